//! The `"n"` read format: which bytes of a stream form a numeral.
//!
//! Lua does not parse numbers straight from the stream. It first collects the longest prefix
//! that *looks like* a numeral (optional sign, `0x`, digits, one decimal point, an exponent
//! whose mark is only accepted after at least one digit), at most 200 bytes, consuming
//! exactly those bytes and leaving the first byte that does not fit unread. Then the
//! collected text goes through the ordinary string-to-number conversion, which may still
//! reject it (`"0x"`, `"-"`, `"."`): the bytes stay consumed and the read fails.

use crate::numbers::{self, Number};

/// Longest numeral the reader collects (`L_MAXLENNUM`).
pub(crate) const MAX_NUMERAL_LENGTH: usize = 200;

/// A byte source with one byte of look-ahead.
pub(crate) trait Lookahead {
    /// The next byte, not consumed; `None` at the end.
    fn peek(&mut self) -> Option<u8>;
    /// Consumes the byte `peek` returned.
    fn advance(&mut self);
}

impl Lookahead for super::stream::Stream {
    fn peek(&mut self) -> Option<u8> {
        super::stream::Stream::peek(self)
    }
    fn advance(&mut self) {
        super::stream::Stream::advance(self)
    }
}

/// Collects the numeral prefix, then converts it. `None` when the text is not a valid
/// number or is longer than [`MAX_NUMERAL_LENGTH`].
pub(crate) fn read_numeral(input: &mut impl Lookahead) -> Option<Number> {
    let text = collect_numeral(input)?;
    numbers::parse_number(&text)
}

/// The bytes of the numeral prefix, after skipping white space; `None` when it overflowed
/// the length limit.
fn collect_numeral(input: &mut impl Lookahead) -> Option<Vec<u8>> {
    while input.peek().is_some_and(is_c_space) {
        input.advance();
    }
    let mut scanner = Scanner {
        input,
        text: Vec::new(),
        overflowed: false,
    };
    scanner.accept(b"-+");
    let mut digits = 0;
    let mut hex = false;
    if scanner.accept(b"0") {
        if scanner.accept(b"xX") {
            hex = true;
        } else {
            digits = 1;
        }
    }
    digits += scanner.accept_digits(hex);
    if scanner.accept(b".") {
        digits += scanner.accept_digits(hex);
    }
    let exponent_marks: &[u8] = if hex { b"pP" } else { b"eE" };
    if digits > 0 && scanner.accept(exponent_marks) {
        scanner.accept(b"-+");
        scanner.accept_digits(false);
    }
    (!scanner.overflowed).then_some(scanner.text)
}

/// C's `isspace` in the C locale.
fn is_c_space(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

struct Scanner<'a, L: Lookahead> {
    input: &'a mut L,
    text: Vec<u8>,
    /// The length limit was hit: the numeral is invalid and nothing more is consumed.
    overflowed: bool,
}

impl<L: Lookahead> Scanner<'_, L> {
    /// Consumes the next byte if it is one of `set`.
    fn accept(&mut self, set: &[u8]) -> bool {
        match self.input.peek() {
            Some(byte) if set.contains(&byte) => self.take(byte),
            _ => false,
        }
    }

    /// Consumes a run of decimal (or hexadecimal) digits; returns how many.
    fn accept_digits(&mut self, hex: bool) -> usize {
        let mut count = 0;
        while let Some(byte) = self.input.peek() {
            let is_digit = if hex {
                byte.is_ascii_hexdigit()
            } else {
                byte.is_ascii_digit()
            };
            if !is_digit || !self.take(byte) {
                break;
            }
            count += 1;
        }
        count
    }

    fn take(&mut self, byte: u8) -> bool {
        if self.overflowed || self.text.len() >= MAX_NUMERAL_LENGTH {
            self.overflowed = true;
            return false;
        }
        self.text.push(byte);
        self.input.advance();
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Bytes<'a> {
        bytes: &'a [u8],
        position: usize,
    }

    impl Lookahead for Bytes<'_> {
        fn peek(&mut self) -> Option<u8> {
            self.bytes.get(self.position).copied()
        }
        fn advance(&mut self) {
            self.position += 1;
        }
    }

    /// Reads one numeral from `text`: the number and the rest of the input.
    fn read(text: &[u8]) -> (Option<Number>, &[u8]) {
        let mut input = Bytes {
            bytes: text,
            position: 0,
        };
        let number = read_numeral(&mut input);
        (number, text.get(input.position..).unwrap_or_default())
    }

    #[test]
    fn numerals_and_what_they_leave_unread() {
        // Expected values from lua5.4 (files.lua's "test number termination").
        assert_eq!(read(b"-12.3-"), (Some(Number::Float(-12.3)), &b"-"[..]));
        assert_eq!(
            read(b"\t-0xffff+ "),
            (Some(Number::Integer(-0xffff)), &b"+ "[..])
        );
        assert_eq!(read(b"  .3|"), (Some(Number::Float(0.3)), &b"|"[..]));
        assert_eq!(read(b"5.E-3X"), (Some(Number::Float(5e-3)), &b"X"[..]));
        assert_eq!(read(b"+234e+13E"), (Some(Number::Float(234e13)), &b"E"[..]));
        assert_eq!(
            read(b"0xDEADBEEFDEADBEEFx"),
            (
                Some(Number::Integer(0xDEADBEEFDEADBEEFu64 as i64)),
                &b"x"[..]
            )
        );
        assert_eq!(
            read(b"0x1.13Ap+3e"),
            (Some(Number::Float(8.61328125)), &b"e"[..])
        );
        assert_eq!(
            read(b"9223372036854775807\n"),
            (Some(Number::Integer(i64::MAX)), &b"\n"[..])
        );
    }

    #[test]
    fn invalid_prefixes_are_consumed() {
        assert_eq!(read(b".e+\t"), (None, &b"e+\t"[..]));
        assert_eq!(read(b"0.e;"), (None, &b";"[..]));
        assert_eq!(read(b"--;"), (None, &b"-;"[..]));
        assert_eq!(read(b"0xX;"), (None, &b"X;"[..]));
        assert_eq!(read(b""), (None, &b""[..]));
    }

    #[test]
    fn numerals_longer_than_the_limit_fail_after_200_bytes() {
        let mut text = b"1234".to_vec();
        text.extend(std::iter::repeat_n(b'0', 1000));
        let (number, rest) = read(&text);
        assert_eq!(number, None);
        assert_eq!(rest.len(), text.len() - MAX_NUMERAL_LENGTH);
    }
}
