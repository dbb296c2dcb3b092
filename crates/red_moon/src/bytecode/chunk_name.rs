//! How a chunk name is shown in messages (`chunk:line: message`), as PUC's `luaO_chunkid`.

/// Longest chunk id PUC produces (`LUA_IDSIZE` is 60 including the terminating NUL).
const ID_SIZE: usize = 60;

/// Formats a chunk name for error messages and tracebacks:
/// - `=name` shows `name` (truncated),
/// - `@file` shows `file` (the start elided with `...` if too long),
/// - anything else is source text, shown as `[string "first line..."]`.
pub fn chunk_id(source: &[u8]) -> Vec<u8> {
    let available = ID_SIZE - 1;
    match source.first() {
        Some(b'=') => {
            let rest = &source[1..];
            rest[..rest.len().min(available)].to_vec()
        }
        Some(b'@') => {
            let rest = &source[1..];
            if rest.len() <= available {
                rest.to_vec()
            } else {
                let keep = available - 3;
                let mut out = b"...".to_vec();
                out.extend_from_slice(&rest[rest.len() - keep..]);
                out
            }
        }
        _ => {
            const PREFIX: &[u8] = b"[string \"";
            const SUFFIX: &[u8] = b"\"]";
            const DOTS: &[u8] = b"...";
            let budget = available - PREFIX.len() - DOTS.len() - SUFFIX.len();
            let first_line_end = source.iter().position(|&b| b == b'\n');
            let mut out = PREFIX.to_vec();
            if first_line_end.is_none() && source.len() < budget {
                out.extend_from_slice(source);
            } else {
                let mut len = first_line_end.unwrap_or(source.len());
                if len > budget {
                    len = budget;
                }
                out.extend_from_slice(&source[..len]);
                out.extend_from_slice(DOTS);
            }
            out.extend_from_slice(SUFFIX);
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::chunk_id;

    #[test]
    fn formats_like_puc() {
        assert_eq!(chunk_id(b"=stdin"), b"stdin");
        assert_eq!(chunk_id(b"@a.lua"), b"a.lua");
        assert_eq!(chunk_id(b"x = 1"), b"[string \"x = 1\"]");
        assert_eq!(chunk_id(b"x = 1\ny = 2"), b"[string \"x = 1...\"]");
        let long = [b'a'; 100];
        assert_eq!(
            chunk_id(&long),
            [&b"[string \""[..], &[b'a'; 45], b"...\"]"].concat()
        );
    }
}
