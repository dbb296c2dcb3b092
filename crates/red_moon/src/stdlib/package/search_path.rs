//! The algorithm of `package.searchpath` as pure functions over bytes: template expansion,
//! the candidate list and the "no file" message. They never touch the file system; the
//! caller (`Vm::search_path` in `searchers`) checks the candidates one by one.
//!
//! PUC Lua handles these strings as C strings: a name, path, separator or replacement is
//! cut at its first NUL byte. [`c_string`] reproduces that, so messages match lua5.4.

/// Separator of templates in a path (`;`).
pub(crate) const TEMPLATE_SEPARATOR: u8 = b';';
/// The mark in a template replaced by the module name (`?`).
pub(crate) const NAME_MARK: u8 = b'?';

/// The part of `bytes` before its first NUL: what C code sees of a Lua string.
pub(crate) fn c_string(bytes: &[u8]) -> &[u8] {
    match bytes.iter().position(|&b| b == 0) {
        Some(end) => &bytes[..end],
        None => bytes,
    }
}

/// `haystack` with every non-overlapping occurrence of `pattern` (found left to right)
/// replaced by `replacement`, like `luaL_gsub`. An empty pattern replaces nothing.
pub(crate) fn replace_all(haystack: &[u8], pattern: &[u8], replacement: &[u8]) -> Vec<u8> {
    if pattern.is_empty() {
        return haystack.to_vec();
    }
    let mut out = Vec::with_capacity(haystack.len());
    let mut rest = haystack;
    while let Some(found) = find(rest, pattern) {
        out.extend_from_slice(&rest[..found]);
        out.extend_from_slice(replacement);
        rest = &rest[found + pattern.len()..];
    }
    out.extend_from_slice(rest);
    out
}

/// Position of the first occurrence of a non-empty `pattern` in `haystack`.
fn find(haystack: &[u8], pattern: &[u8]) -> Option<usize> {
    haystack
        .windows(pattern.len())
        .position(|window| window == pattern)
}

/// The module name as it appears in file names: each `separator` in `name` becomes
/// `replacement` (for `require`, `.` becomes the directory separator). An empty separator
/// changes nothing.
pub(crate) fn name_for_files(name: &[u8], separator: &[u8], replacement: &[u8]) -> Vec<u8> {
    replace_all(c_string(name), c_string(separator), c_string(replacement))
}

/// An upper bound of the bytes [`expand_templates`] produces, to check memory first.
pub(crate) fn expanded_size(file_name: &[u8], path: &[u8]) -> usize {
    let path = c_string(path);
    let marks = path.iter().filter(|&&b| b == NAME_MARK).count();
    marks
        .saturating_mul(file_name.len())
        .saturating_add(path.len())
}

/// `path` with every `?` replaced by `file_name` (the result of [`name_for_files`]).
/// The templates are split only afterwards, so a `;` inside the name splits too, as in PUC.
pub(crate) fn expand_templates(file_name: &[u8], path: &[u8]) -> Vec<u8> {
    replace_all(c_string(path), &[NAME_MARK], file_name)
}

/// The file names to try, in order, from an expanded path. An empty path has none.
pub(crate) fn candidates(expanded: &[u8]) -> impl Iterator<Item = &[u8]> {
    let templates = (!expanded.is_empty()).then(|| expanded.split(|&b| b == TEMPLATE_SEPARATOR));
    templates.into_iter().flatten()
}

/// The message for a failed search: `no file 'a'` and one `\n\tno file 'b'` line for each
/// further template of the expanded path.
pub(crate) fn not_found_message(expanded: &[u8]) -> Vec<u8> {
    let mut message = b"no file '".to_vec();
    message.extend_from_slice(&replace_all(
        expanded,
        &[TEMPLATE_SEPARATOR],
        b"'\n\tno file '",
    ));
    message.push(b'\'');
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The pieces put together as `Vm::search_path` does, with `exists` deciding whether
    /// a file can be opened: the first candidate that exists, or the "no file" message.
    fn search(
        name: &[u8],
        path: &[u8],
        separator: &[u8],
        replacement: &[u8],
        mut exists: impl FnMut(&[u8]) -> bool,
    ) -> Result<Vec<u8>, Vec<u8>> {
        let file_name = name_for_files(name, separator, replacement);
        let expanded = expand_templates(&file_name, path);
        let found = candidates(&expanded).find(|candidate| exists(candidate));
        found
            .map(<[u8]>::to_vec)
            .ok_or_else(|| not_found_message(&expanded))
    }

    fn text(bytes: &[u8]) -> String {
        String::from_utf8_lossy(bytes).into_owned()
    }

    /// Runs a search in which only `existing` files exist.
    fn search_among(
        name: &str,
        path: &str,
        separator: &str,
        replacement: &str,
        existing: &[&str],
    ) -> Result<String, String> {
        search(
            name.as_bytes(),
            path.as_bytes(),
            separator.as_bytes(),
            replacement.as_bytes(),
            |candidate| existing.iter().any(|e| e.as_bytes() == candidate),
        )
        .map(|found| text(&found))
        .map_err(|message| text(&message))
    }

    #[test]
    fn messages_match_lua54() {
        // Expected values printed by lua5.4's package.searchpath.
        let cases: &[(&str, &str, &str, &str, &str)] = &[
            (
                "a\0b",
                "./?.x;?\0z",
                ".",
                "/",
                "no file './a.x'\n\tno file 'a'",
            ),
            (
                "a.b",
                "./?.x;?",
                ".",
                "\0",
                "no file './ab.x'\n\tno file 'ab'",
            ),
            (
                "a.b",
                "./?.x;?",
                "",
                "/",
                "no file './a.b.x'\n\tno file 'a.b'",
            ),
            (
                "a..b",
                "?;;?",
                "..",
                "/",
                "no file 'a/b'\n\tno file ''\n\tno file 'a/b'",
            ),
            ("a", "", ".", "/", "no file ''"),
            ("a", ";", ".", "/", "no file ''\n\tno file ''"),
            (
                "a",
                ";;x",
                ".",
                "/",
                "no file ''\n\tno file ''\n\tno file 'x'",
            ),
            ("1", "2", "3", "4", "no file '2'"),
            ("a;b", "?.lua", ".", "/", "no file 'a'\n\tno file 'b.lua'"),
        ];
        for &(name, path, separator, replacement, expected) in cases {
            let result = search_among(name, path, separator, replacement, &[]);
            assert_eq!(result, Err(expected.to_string()), "{name:?} in {path:?}");
        }
    }

    #[test]
    fn finds_the_first_existing_candidate() {
        let found = search_among(
            "p.q",
            "x/?.lua;y/?.lua;z/?",
            ".",
            "/",
            &["y/p/q.lua", "z/p/q"],
        );
        assert_eq!(found, Ok("y/p/q.lua".to_string()));
        let found = search_among("--x-", "d/?", "-", "X", &["d/XXxX"]);
        assert_eq!(found, Ok("d/XXxX".to_string()));
        let found = search_among("---xX", "d/?", "---", "XX", &["d/XXxX"]);
        assert_eq!(found, Ok("d/XXxX".to_string()));
    }

    #[test]
    fn empty_path_has_no_candidates() {
        let mut asked = Vec::new();
        let result = search(b"m", b"", b".", b"/", |c| {
            asked.push(c.to_vec());
            true
        });
        assert!(result.is_err());
        assert!(asked.is_empty());
    }

    #[test]
    fn expanded_size_bounds_the_expansion() {
        let name = name_for_files(b"long.module.name", b".", b"/");
        for path in [&b"??;?/init.lua"[..], b"", b"no marks", b"?\0???"] {
            assert!(expand_templates(&name, path).len() <= expanded_size(&name, path));
        }
    }

    #[test]
    fn replace_all_is_left_to_right_and_non_overlapping() {
        assert_eq!(replace_all(b"aaaa", b"aa", b"b"), b"bb");
        assert_eq!(replace_all(b"aaa", b"aa", b"b"), b"ba");
        assert_eq!(replace_all(b"abc", b"", b"x"), b"abc");
        assert_eq!(c_string(b"ab\0cd"), b"ab");
    }
}
