//! UTF-8 decoding and encoding as Lua 5.4's `utf8` library does it, and the algorithms of
//! its functions as pure functions.
//!
//! Lua 5.4 accepts two flavours of UTF-8. *Strict* decoding accepts code points up to
//! U+10FFFF, rejects surrogates (U+D800–U+DFFF) and overlong forms. *Lax* decoding (the
//! `lax` argument) accepts the original definition: sequences of up to six bytes encoding
//! values up to 2^31 − 1, still without overlong forms. Positions given to and returned by
//! the functions below are Lua's 1-based integers; byte offsets inside are 0-based.
//!
//! # How the VM implements the library functions
//!
//! * `utf8.char(...)`: [`encode_checked`] for each argument in order; an error is
//!   `bad argument #k to 'char' (value out of range)`.
//! * `utf8.charpattern`: [`CHARPATTERN`].
//! * `utf8.codes(s, lax)`: returns an iterator function, `s` and `0`; each call
//!   `iterator(s, control)` is [`codes_next`]`(s, control, lax)` (`control` converted like
//!   `lua_tointeger`, 0 when not an integer) and returns the position and code point, or
//!   nothing at the end.
//! * `utf8.codepoint(s, i, j, lax)`: `i` defaults to 1 and `j` to `i`. [`codepoint_span`]
//!   checks the arguments; the VM then makes sure it can return `end - start` values
//!   (else "stack overflow (string slice too long)") and calls [`codepoints`].
//! * `utf8.len(s, i, j, lax)`: `i` defaults to 1, `j` to -1; [`len`].
//! * `utf8.offset(s, n, i)`: `i` defaults to 1 when `n >= 0`, else to `#s + 1`; pass `None`
//!   for an absent `i` to [`offset`].
//!
//! Argument errors ([`Utf8Error::Argument`]) become `bad argument #N to 'NAME' (MESSAGE)`;
//! the others are plain Lua errors with the `Display` text.

use std::fmt;

/// The largest code point strict decoding accepts.
pub const MAX_UNICODE: u32 = 0x10_FFFF;
/// The largest value lax decoding and `utf8.char` accept.
pub const MAX_UTF: u32 = 0x7FFF_FFFF;
/// `utf8.charpattern`: a Lua pattern matching exactly one UTF-8 byte sequence (assuming
/// the subject is valid UTF-8).
pub const CHARPATTERN: &[u8] = b"[\0-\x7F\xC2-\xFD][\x80-\xBF]*";

/// Smallest value that needs a sequence of `index + 1` bytes; anything smaller in that
/// many bytes is an overlong form.
const MIN_FOR_LENGTH: [u32; 6] = [0, 0x80, 0x800, 0x1_0000, 0x20_0000, 0x400_0000];

/// Why a `utf8` function failed. `Display` gives PUC's message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Utf8Error {
    /// A bad argument: `bad argument #position to 'function' (message)`.
    Argument {
        /// 1-based argument position.
        position: u8,
        /// The parenthesized message.
        message: &'static str,
    },
    /// `invalid UTF-8 code`
    InvalidCode,
    /// `initial position is a continuation byte`
    ContinuationStart,
    /// `string slice too long`
    SliceTooLong,
}

impl fmt::Display for Utf8Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Utf8Error::Argument { message, .. } => f.write_str(message),
            Utf8Error::InvalidCode => f.write_str("invalid UTF-8 code"),
            Utf8Error::ContinuationStart => f.write_str("initial position is a continuation byte"),
            Utf8Error::SliceTooLong => f.write_str("string slice too long"),
        }
    }
}

impl std::error::Error for Utf8Error {}

/// Whether `byte` is a continuation byte (`10xxxxxx`).
pub fn is_continuation(byte: u8) -> bool {
    byte & 0xC0 == 0x80
}

/// Whether the byte at `offset` is a continuation byte. Past the end there is PUC's
/// terminating NUL, which is not.
fn continuation_at(s: &[u8], offset: usize) -> bool {
    s.get(offset).copied().is_some_and(is_continuation)
}

/// Decodes the sequence starting at byte `offset` of `s`; returns the value and the
/// sequence length, or `None` when the bytes there are not a valid sequence (in strict
/// mode unless `lax`). A sequence cut short by the end of `s` is invalid.
pub fn decode(s: &[u8], offset: usize, lax: bool) -> Option<(u32, usize)> {
    let first = *s.get(offset)?;
    if first < 0x80 {
        return Some((u32::from(first), 1));
    }
    // The leading ones after the top bit count the continuation bytes.
    let continuations = (first << 1).leading_ones() as usize;
    let min_value = *MIN_FOR_LENGTH.get(continuations)?;
    if continuations == 0 {
        return None; // a continuation byte cannot start a sequence
    }
    let first_bits = u32::from(first) & (0x7F >> (continuations + 1));
    let mut value = first_bits;
    for index in 1..=continuations {
        let byte = *s.get(offset + index).filter(|&&b| is_continuation(b))?;
        value = (value << 6) | u32::from(byte & 0x3F);
    }
    let acceptable = value >= min_value
        && value <= MAX_UTF
        && (lax || (value <= MAX_UNICODE && !(0xD800..=0xDFFF).contains(&value)));
    acceptable.then_some((value, continuations + 1))
}

/// Appends the UTF-8 sequence of `code` (at most [`MAX_UTF`]; larger values are
/// truncated to 31 bits), in up to six bytes like Lua's `%U`; surrogates are encoded too.
pub fn encode(code: u32, out: &mut Vec<u8>) {
    let code = code & MAX_UTF;
    if code < 0x80 {
        out.push(code as u8);
        return;
    }
    let continuations = MIN_FOR_LENGTH
        .iter()
        .rposition(|&min| code >= min)
        .unwrap_or(1);
    // Leading byte: `continuations + 1` ones, a zero, then the top bits of the value.
    let marker = !(0xFFu32 >> (continuations + 1)) & 0xFF;
    out.push((marker | (code >> (6 * continuations))) as u8);
    for index in (0..continuations).rev() {
        out.push(0x80 | ((code >> (6 * index)) & 0x3F) as u8);
    }
}

/// `utf8.char` for one argument: appends the encoding of `code`, or fails with the
/// argument error "value out of range" (for negative values too) at `position`.
pub fn encode_checked(code: i64, position: u8, out: &mut Vec<u8>) -> Result<(), Utf8Error> {
    match u32::try_from(code).ok().filter(|&code| code <= MAX_UTF) {
        Some(code) => {
            encode(code, out);
            Ok(())
        }
        None => Err(Utf8Error::Argument {
            position,
            message: "value out of range",
        }),
    }
}

/// Lua's `u_posrelat`: a negative position counts from the end (`-1` is the last byte);
/// positions before the start become 0.
fn relative_position(position: i64, len: usize) -> i64 {
    let len = i64::try_from(len).unwrap_or(i64::MAX);
    if position >= 0 {
        position
    } else if position.unsigned_abs() > len.unsigned_abs() {
        0
    } else {
        len + position + 1
    }
}

/// `utf8.len(s, i, j, lax)`: the number of characters starting between byte positions `i`
/// and `j` (1-based, inclusive), or `Err(position)` with the 1-based position of the first
/// invalid sequence. The outer error is an argument error.
pub fn len(s: &[u8], i: i64, j: i64, lax: bool) -> Result<Result<i64, i64>, Utf8Error> {
    let length = i64::try_from(s.len()).unwrap_or(i64::MAX);
    let start = relative_position(i, s.len());
    if !(1..=length + 1).contains(&start) {
        return Err(Utf8Error::Argument {
            position: 2,
            message: "initial position out of bounds",
        });
    }
    let last = relative_position(j, s.len());
    if last > length {
        return Err(Utf8Error::Argument {
            position: 3,
            message: "final position out of bounds",
        });
    }
    let mut offset = usize::try_from(start - 1).unwrap_or(usize::MAX);
    let mut count = 0;
    // `last` is in 0..=len here, so `offset < last` bounds the loop by the string.
    while i64::try_from(offset).is_ok_and(|offset| offset < last) {
        match decode(s, offset, lax) {
            Some((_, length)) => offset += length,
            None => return Ok(Err(i64::try_from(offset).unwrap_or(i64::MAX) + 1)),
        }
        count += 1;
    }
    Ok(Ok(count))
}

/// The arguments of `utf8.codepoint(s, i, j)` as a byte range `start..end` of `s`
/// (`j` defaults to `i`: pass `None`). `Ok(None)` means an empty interval (no results).
pub fn codepoint_span(
    len: usize,
    i: i64,
    j: Option<i64>,
) -> Result<Option<(usize, usize)>, Utf8Error> {
    let first = relative_position(i, len);
    let last = relative_position(j.unwrap_or(first), len);
    let out_of_bounds = |position| Utf8Error::Argument {
        position,
        message: "out of bounds",
    };
    if first < 1 {
        return Err(out_of_bounds(2));
    }
    if last > i64::try_from(len).unwrap_or(i64::MAX) {
        return Err(out_of_bounds(3));
    }
    if first > last {
        return Ok(None);
    }
    if last - first >= i64::from(i32::MAX) {
        return Err(Utf8Error::SliceTooLong);
    }
    // 1 <= first <= last <= len, so both convert.
    let start = usize::try_from(first - 1).unwrap_or(0);
    let end = usize::try_from(last).unwrap_or(0);
    Ok(Some((start, end)))
}

/// The code points of the characters starting in `span` (from [`codepoint_span`]); a
/// character may extend past the span's end. Fails on the first invalid sequence.
pub fn codepoints(s: &[u8], span: (usize, usize), lax: bool) -> Result<Vec<u32>, Utf8Error> {
    let (mut offset, end) = span;
    let mut values = Vec::new();
    while offset < end {
        let (value, length) = decode(s, offset, lax).ok_or(Utf8Error::InvalidCode)?;
        values.push(value);
        offset += length;
    }
    Ok(values)
}

/// One step of `utf8.codes`: after the character at 1-based position `control` (0 to
/// start), skips continuation bytes and decodes the next character. Returns its position
/// and code point, or `None` at the end.
pub fn codes_next(s: &[u8], control: i64, lax: bool) -> Result<Option<(i64, u32)>, Utf8Error> {
    // PUC reads the control as unsigned, so negative values are past the end.
    let Ok(mut offset) = usize::try_from(control) else {
        return Ok(None);
    };
    while offset < s.len() && continuation_at(s, offset) {
        offset += 1;
    }
    if offset >= s.len() {
        return Ok(None);
    }
    let (value, _) = decode(s, offset, lax).ok_or(Utf8Error::InvalidCode)?;
    let position = i64::try_from(offset).unwrap_or(i64::MAX) + 1;
    Ok(Some((position, value)))
}

/// `utf8.offset(s, n, i)`: the 1-based byte position where the `n`-th character counted
/// from position `i` starts (`n = 0`: the start of the character containing `i`; negative
/// `n` counts backwards), or `Ok(None)` when there is no such character.
pub fn offset(s: &[u8], n: i64, i: Option<i64>) -> Result<Option<i64>, Utf8Error> {
    let length = i64::try_from(s.len()).unwrap_or(i64::MAX);
    let default = if n >= 0 { 1 } else { length + 1 };
    let start = relative_position(i.unwrap_or(default), s.len());
    if !(1..=length + 1).contains(&start) {
        return Err(Utf8Error::Argument {
            position: 3,
            message: "position out of bounds",
        });
    }
    // 0 <= position <= len: a byte offset, where `len` is the terminating NUL.
    let mut position = usize::try_from(start - 1).unwrap_or(0);
    let mut remaining = n;
    if n == 0 {
        while position > 0 && continuation_at(s, position) {
            position -= 1;
        }
    } else if continuation_at(s, position) {
        return Err(Utf8Error::ContinuationStart);
    } else if n < 0 {
        while remaining < 0 && position > 0 {
            position -= 1;
            while position > 0 && continuation_at(s, position) {
                position -= 1;
            }
            remaining += 1;
        }
    } else {
        remaining -= 1; // the character at `i` is the first
        while remaining > 0 && position < s.len() {
            position += 1;
            while continuation_at(s, position) {
                position += 1;
            }
            remaining -= 1;
        }
    }
    Ok((remaining == 0).then(|| i64::try_from(position).unwrap_or(i64::MAX) + 1))
}

#[cfg(test)]
mod tests;
