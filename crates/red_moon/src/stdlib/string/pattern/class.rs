//! Single-character pattern items: `.`, literal bytes, `%x` classes and `[...]` sets.
//!
//! PUC Lua reads patterns through C pointers into a NUL-terminated buffer, so looking one byte
//! past the end yields `'\0'`. [`byte_at`] reproduces that sentinel; together with the same
//! scanning rules it makes malformed and unusual sets (`[]]`, `[^]]`, `[a-%%]`, ...) behave
//! exactly as in lua5.4.

use super::PatternError;

/// The escape character of patterns and replacement strings.
pub(super) const ESCAPE: u8 = b'%';

/// The byte at `index`, or `0` at and past the end (PUC's terminating NUL).
#[inline]
pub(super) fn byte_at(bytes: &[u8], index: usize) -> u8 {
    bytes.get(index).copied().unwrap_or(0)
}

/// Returns the index just past the single-character item starting at `start` (which must be
/// inside `pattern`): past `%x`, past the closing `]` of a set, or past one plain byte.
pub(super) fn item_end(pattern: &[u8], start: usize) -> Result<usize, PatternError> {
    let after = start + 1;
    match byte_at(pattern, start) {
        ESCAPE if after >= pattern.len() => Err(PatternError::EndsWithEscape),
        ESCAPE => Ok(after + 1),
        b'[' => set_end(pattern, after),
        _ => Ok(after),
    }
}

/// Finds the `]` closing a set whose body starts at `body`; returns the index past it.
///
/// The first byte of the body (after an optional `^`) is never the closing bracket, and an
/// escape skips the following byte, so `[]]` and `[%]]` are sets containing `]`.
fn set_end(pattern: &[u8], body: usize) -> Result<usize, PatternError> {
    let mut cursor = body;
    if byte_at(pattern, cursor) == b'^' {
        cursor += 1;
    }
    loop {
        let Some(&byte) = pattern.get(cursor) else {
            return Err(PatternError::MissingCloseBracket);
        };
        cursor += 1;
        if byte == ESCAPE && cursor < pattern.len() {
            cursor += 1;
        }
        if byte_at(pattern, cursor) == b']' {
            return Ok(cursor + 1);
        }
    }
}

/// Whether `byte` matches the item `pattern[start..end]` (as delimited by [`item_end`]).
#[inline]
pub(super) fn item_matches(byte: u8, pattern: &[u8], start: usize, end: usize) -> bool {
    match byte_at(pattern, start) {
        b'.' => true,
        ESCAPE => class_matches(byte, byte_at(pattern, start + 1)),
        b'[' => set_matches(byte, pattern, start, end.saturating_sub(1)),
        literal => literal == byte,
    }
}

/// Whether `byte` belongs to the class written `%class`: a letter class (upper case for the
/// complement) with C-locale `ctype` semantics, or else the class byte itself.
pub(super) fn class_matches(byte: u8, class: u8) -> bool {
    let in_class = match class.to_ascii_lowercase() {
        b'a' => byte.is_ascii_alphabetic(),
        b'c' => byte.is_ascii_control(),
        b'd' => byte.is_ascii_digit(),
        b'g' => byte.is_ascii_graphic(),
        b'l' => byte.is_ascii_lowercase(),
        b'p' => byte.is_ascii_punctuation(),
        b's' => is_c_space(byte),
        b'u' => byte.is_ascii_uppercase(),
        b'w' => byte.is_ascii_alphanumeric(),
        b'x' => byte.is_ascii_hexdigit(),
        // `%z` (deprecated) is the NUL byte.
        b'z' => byte == 0,
        _ => return class == byte,
    };
    in_class == class.is_ascii_lowercase()
}

/// C's `isspace` in the C locale; unlike `u8::is_ascii_whitespace` it includes `\v`.
fn is_c_space(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r')
}

/// Whether `byte` matches the set `pattern[open..=close]`, where `open` is the `[` and
/// `close` the `]` that ends it.
///
/// Elements are scanned left to right: `%x` is a class, `a-z` a range (only when a byte
/// other than the closing bracket follows the dash), anything else a literal.
pub(super) fn set_matches(byte: u8, pattern: &[u8], open: usize, close: usize) -> bool {
    let mut cursor = open + 1;
    let complemented = byte_at(pattern, cursor) == b'^';
    if complemented {
        cursor += 1;
    }
    while cursor < close {
        let element = byte_at(pattern, cursor);
        let found = if element == ESCAPE {
            cursor += 1;
            class_matches(byte, byte_at(pattern, cursor))
        } else if byte_at(pattern, cursor + 1) == b'-' && cursor + 2 < close {
            cursor += 2;
            (element..=byte_at(pattern, cursor)).contains(&byte)
        } else {
            element == byte
        };
        if found {
            return !complemented;
        }
        cursor += 1;
    }
    complemented
}

#[cfg(test)]
mod tests {
    use super::*;

    fn members(set: &[u8]) -> Vec<u8> {
        let end = item_end(set, 0).expect("well-formed set");
        (0..=255u8)
            .filter(|&b| item_matches(b, set, 0, end))
            .collect()
    }

    #[test]
    fn letter_classes_follow_c_locale() {
        let count = |class: u8| (0..=255u8).filter(|&b| class_matches(b, class)).count();
        // Counts of C-locale ctype classes over all 256 bytes.
        assert_eq!(count(b'a'), 52);
        assert_eq!(count(b'c'), 33);
        assert_eq!(count(b'd'), 10);
        assert_eq!(count(b'g'), 94);
        assert_eq!(count(b'l'), 26);
        assert_eq!(count(b'p'), 32);
        assert_eq!(count(b's'), 6);
        assert_eq!(count(b'u'), 26);
        assert_eq!(count(b'w'), 62);
        assert_eq!(count(b'x'), 22);
        assert_eq!(count(b'z'), 1);
        assert_eq!(count(b'S'), 250);
        assert!(class_matches(0x0B, b's'));
        assert!(class_matches(b'.', b'.'));
        assert!(!class_matches(b'a', b'.'));
    }

    #[test]
    fn item_boundaries() {
        assert_eq!(item_end(b"a*", 0), Ok(1));
        assert_eq!(item_end(b"%a+", 0), Ok(2));
        assert_eq!(item_end(b"[]]x", 0), Ok(3));
        assert_eq!(item_end(b"[^]]x", 0), Ok(4));
        assert_eq!(item_end(b"[%]]", 0), Ok(4));
        assert_eq!(item_end(b"%", 0), Err(PatternError::EndsWithEscape));
        for bad in [&b"[a"[..], b"[]", b"[^]", b"[a%]", b"[a%", b"["] {
            assert_eq!(item_end(bad, 0), Err(PatternError::MissingCloseBracket));
        }
    }

    #[test]
    fn sets_match_like_lua() {
        assert_eq!(members(b"[a-]"), b"-a");
        assert_eq!(members(b"[]%%]"), b"%]");
        assert_eq!(members(b"[a%-z]"), b"-az");
        assert_eq!(members(b"[%^%[%-a%]%-b]"), b"-[]^ab");
        // The escape after a range end swallows the closing bracket as a class byte.
        assert_eq!(members(b"[!-%%]"), b"!\"#$%]");
        assert_eq!(members(b"[\xC8-\xD2]").len(), 11);
        assert_eq!(members(b"[^]]").len(), 255);
        assert_eq!(members(b"[^%W]"), members(b"[%w]"));
    }
}
