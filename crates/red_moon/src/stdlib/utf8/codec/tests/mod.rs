//! Comparison with lua5.4 and edge cases of the UTF-8 codec.

mod cases;

/// Operation, subject, first and second integer arguments, `lax`, lua5.4's result.
type Case = (
    &'static str,
    &'static [u8],
    Option<i64>,
    Option<i64>,
    bool,
    &'static str,
);

use super::*;

fn escape(bytes: &[u8]) -> String {
    let mut text = String::new();
    for &byte in bytes {
        if (32..=126).contains(&byte) && byte != b'"' && byte != b'\\' {
            text.push(char::from(byte));
        } else {
            text.push_str(&format!("\\x{byte:02x}"));
        }
    }
    text
}

fn show_error(function: &str, error: Utf8Error) -> String {
    match error {
        Utf8Error::Argument { position, message } => {
            format!("E:bad argument #{position} to '{function}' ({message})")
        }
        other => format!("E:{other}"),
    }
}

fn run(op: &str, s: &[u8], a: Option<i64>, b: Option<i64>, lax: bool) -> Result<String, Utf8Error> {
    Ok(match op {
        "len" => match len(s, a.unwrap_or(1), b.unwrap_or(-1), lax)? {
            Ok(count) => count.to_string(),
            Err(position) => format!("nil {position}"),
        },
        "codepoint" => match codepoint_span(s.len(), a.unwrap_or(1), b)? {
            Some(span) => codepoints(s, span, lax)?
                .iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(" "),
            None => String::new(),
        },
        "offset" => match offset(s, a.unwrap_or(1), b)? {
            Some(position) => position.to_string(),
            None => "nil".into(),
        },
        "codes" => {
            let mut out = Vec::new();
            let mut control = 0;
            while let Some((position, code)) = codes_next(s, control, lax)? {
                out.push(format!("{position}:{code}"));
                control = position;
            }
            out.join(" ")
        }
        "char" => {
            let mut out = Vec::new();
            encode_checked(a.unwrap_or(0), 1, &mut out)?;
            escape(&out)
        }
        _ => panic!("unknown operation {op}"),
    })
}

#[test]
fn agrees_with_lua54() {
    let failures: Vec<String> = cases::CASES
        .iter()
        .filter_map(|&(op, s, a, b, lax, expected)| {
            let got = run(op, s, a, b, lax).unwrap_or_else(|error| show_error(op, error));
            (got != expected).then(|| {
                format!(
                    "{op}({}, {a:?}, {b:?}, {lax}): got {got}, want {expected}",
                    escape(s)
                )
            })
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn decodes_boundaries_strictly_and_laxly() {
    let strict = |bytes: &[u8]| decode(bytes, 0, false);
    let lax = |bytes: &[u8]| decode(bytes, 0, true);
    assert_eq!(strict(b"\x7F"), Some((0x7F, 1)));
    assert_eq!(strict(b"\xC2\x80"), Some((0x80, 2)));
    assert_eq!(strict(b"\xF4\x8F\xBF\xBF"), Some((0x10FFFF, 4)));
    assert_eq!(strict(b"\xF4\x90\x80\x80"), None);
    assert_eq!(lax(b"\xF4\x90\x80\x80"), Some((0x110000, 4)));
    assert_eq!(strict(b"\xED\xA0\x80"), None);
    assert_eq!(lax(b"\xED\xA0\x80"), Some((0xD800, 3)));
    assert_eq!(lax(b"\xFD\xBF\xBF\xBF\xBF\xBF"), Some((MAX_UTF, 6)));
    for overlong in [
        &b"\xC0\x80"[..],
        b"\xC1\xBF",
        b"\xE0\x9F\xBF",
        b"\xF0\x8F\xBF\xBF",
    ] {
        assert_eq!(lax(overlong), None);
    }
    for bad in [
        &b"\x80"[..],
        b"\xBF",
        b"\xFE",
        b"\xFF",
        b"\xC3",
        b"",
        b"\xE6\xB1a",
    ] {
        assert_eq!(lax(bad), None);
    }
    assert_eq!(decode(b"a\xC3\xA9", 1, false), Some((0xE9, 2)));
    assert_eq!(decode(b"a", 5, false), None);
}

#[test]
fn encodes_every_length_and_round_trips() {
    let samples = [
        0, 0x7F, 0x80, 0x7FF, 0x800, 0xD800, 0xFFFF, 0x10000, 0x10FFFF, 0x1FFFFF, 0x200000,
        0x3FFFFFF, 0x4000000, MAX_UTF,
    ];
    for code in samples {
        let mut out = Vec::new();
        encode(code, &mut out);
        assert_eq!(decode(&out, 0, true), Some((code, out.len())), "{code:#x}");
    }
    let mut out = Vec::new();
    encode(0x7FFF_FFFF, &mut out);
    assert_eq!(out, b"\xFD\xBF\xBF\xBF\xBF\xBF");
    assert_eq!(
        encode_checked(-1, 3, &mut out),
        Err(Utf8Error::Argument {
            position: 3,
            message: "value out of range"
        })
    );
    assert!(encode_checked(i64::from(MAX_UTF) + 1, 1, &mut out).is_err());
}

#[test]
fn charpattern_is_lua_s() {
    assert_eq!(CHARPATTERN, b"[\x00-\x7F\xC2-\xFD][\x80-\xBF]*");
}

#[test]
fn offset_and_codes_handle_edges() {
    assert_eq!(offset(b"alo", 5, None), Ok(None));
    assert_eq!(offset(b"alo", -4, None), Ok(None));
    assert_eq!(offset(b"abc", 0, Some(4)), Ok(Some(4)));
    assert_eq!(offset(b"abc", 1, Some(4)), Ok(Some(4)));
    assert_eq!(offset(b"abc", -1, Some(4)), Ok(Some(3)));
    assert_eq!(offset(b"abc", 2, Some(4)), Ok(None));
    assert_eq!(
        offset(b"\xF0\xA6\xA7\xBA", 1, Some(2)),
        Err(Utf8Error::ContinuationStart)
    );
    assert_eq!(offset(b"\x80", 1, None), Err(Utf8Error::ContinuationStart));
    assert!(matches!(
        offset(b"", 1, Some(2)),
        Err(Utf8Error::Argument { position: 3, .. })
    ));
    assert_eq!(codes_next(b"", 2, false), Ok(None));
    assert_eq!(codes_next(b"", -1, false), Ok(None));
    assert_eq!(codes_next(b"abc", i64::MIN, false), Ok(None));
    // 5.4.4 does not check the byte after a decoded character.
    assert_eq!(codes_next(b"\xC3\xA9\x80", 1, false), Ok(None));
    assert_eq!(codes_next(b"ab\xFF", 2, false), Err(Utf8Error::InvalidCode));
    assert_eq!(
        codepoint_span(10, 1, Some(i64::from(i32::MAX) + 5)),
        Err(Utf8Error::Argument {
            position: 3,
            message: "out of bounds"
        })
    );
    assert_eq!(
        codepoint_span(usize::MAX / 2, 1, Some(i64::from(i32::MAX) + 1)),
        Err(Utf8Error::SliceTooLong)
    );
    assert_eq!(len(b"abc\xE3def", 1, -1, false), Ok(Err(4)));
    assert_eq!(len(b"\xF4\x9F\xBF\xBF", 1, -1, true), Ok(Ok(1)));
}

#[test]
fn charpattern_splits_characters_with_the_pattern_engine() {
    use crate::stdlib::string::pattern::{Budget, Gmatch};
    let text = "日本語a-4\0éó".as_bytes();
    let mut state = Gmatch::new(text.len(), 0);
    let mut pieces = Vec::new();
    while let Some(found) = state
        .next_match(text, CHARPATTERN, &mut Budget::unlimited())
        .unwrap()
    {
        pieces.push(&text[found.start..found.end]);
    }
    let expected: Vec<&[u8]> = ["日", "本", "語", "a", "-", "4", "\0", "é", "ó"]
        .iter()
        .map(|piece| piece.as_bytes())
        .collect();
    assert_eq!(pieces, expected);
}
