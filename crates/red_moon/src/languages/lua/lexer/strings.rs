//! Short strings with their escape sequences, and long brackets (strings and comments).
//!
//! The scanner's buffer is kept exactly as PUC keeps it (delimiter, decoded bytes, and the raw
//! characters of an escape being read), because lexical errors quote it.

use super::{is_space, Lexer, Near};
use crate::languages::lua::syntax_error::SyntaxError;
use crate::languages::lua::token::LuaString;

/// Largest code point `\u{...}` accepts (PUC allows up to 2^31 - 1, encoded on up to 6 bytes).
const MAX_UTF8_ESCAPE: u32 = 0x7FFF_FFFF;

impl Lexer<'_> {
    /// Reads a string delimited by `delimiter` (the current byte) and returns its value.
    pub(super) fn read_string(&mut self, delimiter: u8) -> Result<LuaString, SyntaxError> {
        self.save_and_advance();
        loop {
            match self.current() {
                None => return Err(self.error(b"unfinished string", Near::Eof)),
                Some(b'\n' | b'\r') => {
                    return Err(self.error(b"unfinished string", Near::Text(&self.buffer)))
                }
                Some(byte) if byte == delimiter => break,
                Some(b'\\') => self.read_escape()?,
                Some(_) => self.save_and_advance(),
            }
        }
        self.save_and_advance();
        let buffer = std::mem::take(&mut self.buffer);
        let contents = buffer
            .get(1..buffer.len().saturating_sub(1))
            .unwrap_or_default();
        let value = self.intern(contents);
        self.buffer = buffer;
        Ok(value)
    }

    /// Reads one escape sequence (the current byte is the backslash) and saves its value in
    /// place of the backslash.
    fn read_escape(&mut self) -> Result<(), SyntaxError> {
        self.save_and_advance();
        let simple = match self.current() {
            None => return Ok(()), // "unfinished string" is reported by the caller's loop
            Some(b'a') => Some(0x07),
            Some(b'b') => Some(0x08),
            Some(b'f') => Some(0x0c),
            Some(b'n') => Some(b'\n'),
            Some(b'r') => Some(b'\r'),
            Some(b't') => Some(b'\t'),
            Some(b'v') => Some(0x0b),
            Some(byte @ (b'\\' | b'"' | b'\'')) => Some(byte),
            Some(_) => None,
        };
        if let Some(value) = simple {
            self.advance();
            return self.replace_backslash(value);
        }
        match self.current() {
            Some(b'x') => {
                let value = self.read_hex_escape()?;
                self.advance();
                self.replace_backslash(value)
            }
            Some(b'u') => self.read_utf8_escape(),
            Some(b'\n' | b'\r') => {
                self.skip_newline()?;
                self.replace_backslash(b'\n')
            }
            Some(b'z') => {
                self.buffer.pop();
                self.advance();
                while let Some(byte) = self.current().filter(|&byte| is_space(byte)) {
                    if byte == b'\n' || byte == b'\r' {
                        self.skip_newline()?;
                    } else {
                        self.advance();
                    }
                }
                Ok(())
            }
            Some(byte) if byte.is_ascii_digit() => {
                let value = self.read_decimal_escape()?;
                self.replace_backslash(value)
            }
            _ => Err(self.escape_error(b"invalid escape sequence")),
        }
    }

    /// Removes the saved backslash and saves the escape's value instead.
    fn replace_backslash(&mut self, value: u8) -> Result<(), SyntaxError> {
        self.buffer.pop();
        self.save(value);
        Ok(())
    }

    /// PUC's `esccheck` failure: the offending byte joins the quoted text.
    fn escape_error(&mut self, message: &[u8]) -> SyntaxError {
        if self.current().is_some() {
            self.save_and_advance();
        }
        self.error(message, Near::Text(&self.buffer))
    }

    /// Saves the current byte, moves on, and reads a hexadecimal digit (left current).
    fn read_hex_digit(&mut self) -> Result<u8, SyntaxError> {
        self.save_and_advance();
        match self.current().and_then(|byte| (byte as char).to_digit(16)) {
            Some(digit) => Ok(digit as u8),
            None => Err(self.escape_error(b"hexadecimal digit expected")),
        }
    }

    /// `\xXX` (the current byte is the `x`); leaves the second digit current.
    fn read_hex_escape(&mut self) -> Result<u8, SyntaxError> {
        let high = self.read_hex_digit()?;
        let low = self.read_hex_digit()?;
        self.buffer.truncate(self.buffer.len().saturating_sub(2));
        Ok((high << 4) | low)
    }

    /// `\ddd`: up to three decimal digits, at most 255.
    fn read_decimal_escape(&mut self) -> Result<u8, SyntaxError> {
        let mut value: u32 = 0;
        let mut digits = 0;
        while digits < 3 {
            let Some(digit) = self.current().filter(u8::is_ascii_digit) else {
                break;
            };
            value = value * 10 + u32::from(digit - b'0');
            self.save_and_advance();
            digits += 1;
        }
        if value > u32::from(u8::MAX) {
            return Err(self.escape_error(b"decimal escape too large"));
        }
        self.buffer
            .truncate(self.buffer.len().saturating_sub(digits));
        Ok(value as u8)
    }

    /// `\u{XXX}` (the current byte is the `u`): saves the UTF-8 encoding of the code point.
    fn read_utf8_escape(&mut self) -> Result<(), SyntaxError> {
        // Saved bytes to drop afterwards: the backslash, `u`, `{` and each digit.
        let mut saved = 4;
        self.save_and_advance();
        if self.current() != Some(b'{') {
            return Err(self.escape_error(b"missing '{'"));
        }
        let mut code_point = u32::from(self.read_hex_digit()?);
        loop {
            self.save_and_advance();
            let Some(digit) = self.current().and_then(|byte| (byte as char).to_digit(16)) else {
                break;
            };
            saved += 1;
            if code_point > (MAX_UTF8_ESCAPE >> 4) {
                return Err(self.escape_error(b"UTF-8 value too large"));
            }
            code_point = (code_point << 4) + digit;
        }
        if self.current() != Some(b'}') {
            return Err(self.escape_error(b"missing '}'"));
        }
        self.advance();
        self.buffer
            .truncate(self.buffer.len().saturating_sub(saved));
        let (bytes, length) = encode_utf8(code_point);
        self.buffer.extend_from_slice(&bytes[..length]);
        Ok(())
    }

    /// Reads the contents of a long string or comment whose opening bracket (with
    /// `separator - 2` equal signs) was just read; returns the string's value (empty for a
    /// comment, whose text is not kept).
    pub(super) fn read_long_string(
        &mut self,
        separator: usize,
        is_string: bool,
    ) -> Result<LuaString, SyntaxError> {
        let first_line = self.line;
        self.save_and_advance();
        if self.current_is_newline() {
            self.skip_newline()?;
        }
        loop {
            match self.current() {
                None => {
                    let what = if is_string { "string" } else { "comment" };
                    let message = format!("unfinished long {what} (starting at line {first_line})");
                    return Err(self.error(message.as_bytes(), Near::Eof));
                }
                Some(b']') => {
                    if self.skip_separator() == separator {
                        self.save_and_advance();
                        break;
                    }
                }
                Some(b'\n' | b'\r') => {
                    self.save(b'\n');
                    self.skip_newline()?;
                    if !is_string {
                        self.buffer.clear();
                    }
                }
                Some(_) => {
                    if is_string {
                        self.save_and_advance();
                    } else {
                        self.advance();
                    }
                }
            }
        }
        if !is_string {
            return Ok(LuaString::from(&[][..]));
        }
        let buffer = std::mem::take(&mut self.buffer);
        let contents = buffer
            .get(separator..buffer.len().saturating_sub(separator))
            .unwrap_or_default();
        let value = self.intern(contents);
        self.buffer = buffer;
        Ok(value)
    }
}

/// Encodes `code_point` (at most 2^31 - 1) the way Lua 5.4 does: standard UTF-8 extended to
/// sequences of up to six bytes. Returns the bytes and how many are used.
fn encode_utf8(mut code_point: u32) -> ([u8; 6], usize) {
    let mut bytes = [0u8; 6];
    if code_point < 0x80 {
        bytes[0] = code_point as u8;
        return (bytes, 1);
    }
    // Fill continuation bytes from the end, while the rest does not fit in the first byte.
    let mut reversed = [0u8; 6];
    let mut count = 0;
    let mut first_byte_capacity = 0x3f;
    loop {
        reversed[count] = 0x80 | (code_point & 0x3f) as u8;
        count += 1;
        code_point >>= 6;
        first_byte_capacity >>= 1;
        if code_point <= first_byte_capacity {
            break;
        }
    }
    reversed[count] = ((!first_byte_capacity << 1) | code_point) as u8;
    count += 1;
    for (index, byte) in reversed[..count].iter().rev().enumerate() {
        bytes[index] = *byte;
    }
    (bytes, count)
}

#[cfg(test)]
mod tests {
    use super::encode_utf8;

    fn encoded(code_point: u32) -> Vec<u8> {
        let (bytes, length) = encode_utf8(code_point);
        bytes[..length].to_vec()
    }

    #[test]
    fn encodes_like_lua() {
        assert_eq!(encoded(0x41), b"A");
        assert_eq!(encoded(0xE9), "é".as_bytes());
        assert_eq!(encoded(0x20AC), "€".as_bytes());
        assert_eq!(encoded(0x1F600), "😀".as_bytes());
        assert_eq!(encoded(0x7FF), vec![0xDF, 0xBF]);
        assert_eq!(encoded(0x10FFFF), vec![0xF4, 0x8F, 0xBF, 0xBF]);
        assert_eq!(encoded(0x200000), vec![0xF8, 0x88, 0x80, 0x80, 0x80]);
        assert_eq!(
            encoded(0x7FFF_FFFF),
            vec![0xFD, 0xBF, 0xBF, 0xBF, 0xBF, 0xBF]
        );
    }
}
