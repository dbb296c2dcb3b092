//! Expansion of `gsub` replacement strings (`%0`-`%9`, `%%`).

use super::class::ESCAPE;
use super::{Capture, Match, PatternError};

/// Appends the expansion of the replacement string `replacement` for `found` (a match in
/// `subject`) to `out`, as `string.gsub` does for a string or number replacement:
/// `%0` is the whole match, `%1`-`%9` a capture (`%1` is the whole match when the pattern
/// has no captures; a position capture appears as its decimal 1-based position), `%%` is
/// `%`; any other `%` is an error.
///
/// On error, `out` holds a partial expansion that the caller should discard.
pub fn expand_replacement(
    replacement: &[u8],
    subject: &[u8],
    found: &Match,
    out: &mut Vec<u8>,
) -> Result<(), PatternError> {
    let mut rest = replacement;
    while let Some(escape_at) = rest.iter().position(|&byte| byte == ESCAPE) {
        let (literal, escaped) = rest.split_at(escape_at);
        out.extend_from_slice(literal);
        let directive = escaped.get(1).copied();
        match directive {
            Some(ESCAPE) => out.push(ESCAPE),
            Some(b'0') => out.extend_from_slice(substring(subject, found.start, found.end)),
            Some(digit @ b'1'..=b'9') => {
                append_capture(found.capture(usize::from(digit - b'1'))?, subject, out);
            }
            _ => return Err(PatternError::InvalidReplacementEscape),
        }
        rest = escaped.get(2..).unwrap_or_default();
    }
    out.extend_from_slice(rest);
    Ok(())
}

/// Appends a capture's text: its bytes, or its 1-based position in decimal.
fn append_capture(capture: Capture, subject: &[u8], out: &mut Vec<u8>) {
    match capture {
        Capture::Substring { start, end } => out.extend_from_slice(substring(subject, start, end)),
        Capture::Position(offset) => {
            out.extend_from_slice(offset.saturating_add(1).to_string().as_bytes());
        }
    }
}

fn substring(subject: &[u8], start: usize, end: usize) -> &[u8] {
    subject.get(start..end).unwrap_or_default()
}
