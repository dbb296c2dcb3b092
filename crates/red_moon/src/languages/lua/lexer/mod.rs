//! The scanner: turns source bytes into [`Token`]s on demand, tracking line numbers and
//! producing lexical errors worded exactly like PUC's `llex.c`.

mod strings;
#[cfg(test)]
mod tests;

use super::numeral::{parse_numeral, Numeral};
use super::syntax_error::SyntaxError;
use super::token::{describe_byte, quoted, reserved_word, LuaString, TokenKind};
use std::collections::hash_map::DefaultHasher;
use std::collections::HashSet;
use std::hash::BuildHasherDefault;
use std::rc::Rc;

/// A scanned token and where its text lies in the source.
#[derive(Clone, Debug, PartialEq)]
pub struct Token {
    pub kind: TokenKind,
    /// Byte offset of the token's first byte.
    pub start: usize,
    /// Byte offset just past the token.
    pub end: usize,
}

/// What follows `near` in an error message.
pub enum Near<'t> {
    /// No `near` part at all (PUC's semantic errors, or a NUL byte token).
    Nothing,
    /// `near <eof>`
    Eof,
    /// `near '<text>'`, the text cut at its first NUL byte like C's `%s`.
    Text(&'t [u8]),
    /// `near <already formatted token>`
    Formatted(Vec<u8>),
}

/// Whether `byte` may start a name (`lislalpha`: ASCII letters and `_`; PUC's default ctype
/// does not accept other bytes in names).
fn is_name_start(byte: u8) -> bool {
    byte.is_ascii_alphabetic() || byte == b'_'
}

/// Whether `byte` may continue a name (`lislalnum`).
fn is_name_continue(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_'
}

/// `lisspace`: the C locale's white space.
fn is_space(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r')
}

/// The lexical analyser. Its `line` is PUC's `linenumber`: the line where scanning stands,
/// which after a token was read is the line of that token's last byte.
pub struct Lexer<'s> {
    source: &'s [u8],
    position: usize,
    line: u32,
    chunk_id: Rc<[u8]>,
    /// Scratch space mirroring PUC's token buffer, so that error messages quote exactly the
    /// text PUC has saved when the error happens.
    buffer: Vec<u8>,
    /// Names and strings seen so far, so that each distinct one is allocated once. (Only used
    /// for lookups: its order never matters, and its hasher has fixed keys.)
    interned: HashSet<LuaString, BuildHasherDefault<DefaultHasher>>,
}

impl<'s> Lexer<'s> {
    /// A lexer over `source`. With `skip_comment_line`, a first line starting with `#` is
    /// ignored (its line still counts), as `luaL_loadfile` does for `#!` lines.
    pub fn new(source: &'s [u8], chunk_id: Rc<[u8]>, skip_comment_line: bool) -> Self {
        let mut position = 0;
        if skip_comment_line && source.first() == Some(&b'#') {
            position = source
                .iter()
                .position(|&byte| byte == b'\n' || byte == b'\r')
                .unwrap_or(source.len());
        }
        Self {
            source,
            position,
            line: 1,
            chunk_id,
            buffer: Vec::new(),
            interned: HashSet::default(),
        }
    }

    /// The shared copy of `bytes`.
    fn intern(&mut self, bytes: &[u8]) -> LuaString {
        if let Some(existing) = self.interned.get(bytes) {
            return existing.clone();
        }
        let string: LuaString = bytes.into();
        self.interned.insert(string.clone());
        string
    }

    /// PUC's `linenumber`.
    pub fn line(&self) -> u32 {
        self.line
    }

    /// An error `chunk:line: message near ...` at the current line.
    pub fn error(&self, message: &[u8], near: Near<'_>) -> SyntaxError {
        let error = SyntaxError::at_line(&self.chunk_id, self.line, message);
        match near {
            Near::Nothing => error,
            Near::Eof => error.with_near(b"<eof>"),
            Near::Text(text) => error.with_near(&quoted(cut_at_nul(text))),
            Near::Formatted(text) => error.with_near(&text),
        }
    }

    /// How a syntax error shows `token` after `near` (`txtToken`): the source text of names and
    /// numerals, the delimited contents of strings, the spelling of other tokens. `None` for a
    /// NUL byte, which PUC cannot show.
    pub fn near_token(&self, token: &Token) -> Near<'_> {
        match &token.kind {
            TokenKind::Eof => Near::Eof,
            TokenKind::Char(0) => Near::Nothing,
            TokenKind::Char(byte) => Near::Formatted(describe_byte(*byte)),
            TokenKind::Name(name) => Near::Formatted(quoted(name)),
            TokenKind::Integer(_) | TokenKind::Float(_) => {
                Near::Text(self.source.get(token.start..token.end).unwrap_or_default())
            }
            TokenKind::String(value) => Near::Formatted(quoted(cut_at_nul(
                &self.delimited_string_text(token, value),
            ))),
            other => Near::Formatted(other.describe()),
        }
    }

    /// The text PUC keeps for a string token: its delimiters around its decoded contents.
    fn delimited_string_text(&self, token: &Token, value: &[u8]) -> Vec<u8> {
        let opening = self.source.get(token.start).copied().unwrap_or(b'"');
        if opening != b'[' {
            return [&[opening], value, &[opening]].concat();
        }
        let level = self
            .source
            .get(token.start + 1..)
            .unwrap_or_default()
            .iter()
            .take_while(|&&byte| byte == b'=')
            .count();
        let equals = vec![b'='; level];
        [b"[", &equals[..], b"[", value, b"]", &equals[..], b"]"].concat()
    }

    fn current(&self) -> Option<u8> {
        self.source.get(self.position).copied()
    }

    fn advance(&mut self) {
        self.position += 1;
    }

    fn current_is_newline(&self) -> bool {
        matches!(self.current(), Some(b'\n' | b'\r'))
    }

    fn save(&mut self, byte: u8) {
        self.buffer.push(byte);
    }

    /// Saves the current byte and moves past it.
    fn save_and_advance(&mut self) {
        if let Some(byte) = self.current() {
            self.buffer.push(byte);
        }
        self.advance();
    }

    /// Moves past a line break: `\n`, `\r`, `\n\r` or `\r\n` count as one.
    fn skip_newline(&mut self) -> Result<(), SyntaxError> {
        let first = self.current();
        self.advance();
        if self.current_is_newline() && self.current() != first {
            self.advance();
        }
        self.line += 1;
        if self.line >= i32::MAX as u32 {
            return Err(self.error(b"chunk has too many lines", Near::Nothing));
        }
        Ok(())
    }

    /// If the current byte is `expected`, moves past it.
    fn advance_if(&mut self, expected: u8) -> bool {
        if self.current() == Some(expected) {
            self.advance();
            true
        } else {
            false
        }
    }

    /// If the current byte is one of `choices`, saves it and moves past it.
    fn save_and_advance_if(&mut self, choices: &[u8; 2]) -> bool {
        match self.current() {
            Some(byte) if choices.contains(&byte) => {
                self.save_and_advance();
                true
            }
            _ => false,
        }
    }

    /// Scans the next token.
    pub fn next_token(&mut self) -> Result<Token, SyntaxError> {
        self.buffer.clear();
        loop {
            let start = self.position;
            let Some(byte) = self.current() else {
                return Ok(self.token(TokenKind::Eof, start));
            };
            let kind = match byte {
                b'\n' | b'\r' => {
                    self.skip_newline()?;
                    continue;
                }
                b' ' | b'\x0c' | b'\t' | b'\x0b' => {
                    self.advance();
                    continue;
                }
                b'-' => {
                    self.advance();
                    if self.current() != Some(b'-') {
                        TokenKind::Char(b'-')
                    } else {
                        self.advance();
                        self.skip_comment()?;
                        continue;
                    }
                }
                b'[' => self.read_bracket()?,
                b'=' => self.one_or_two(b'=', TokenKind::Equal, b'='),
                b'<' => {
                    self.advance();
                    if self.advance_if(b'=') {
                        TokenKind::LessEqual
                    } else if self.advance_if(b'<') {
                        TokenKind::ShiftLeft
                    } else {
                        TokenKind::Char(b'<')
                    }
                }
                b'>' => {
                    self.advance();
                    if self.advance_if(b'=') {
                        TokenKind::GreaterEqual
                    } else if self.advance_if(b'>') {
                        TokenKind::ShiftRight
                    } else {
                        TokenKind::Char(b'>')
                    }
                }
                b'/' => self.one_or_two(b'/', TokenKind::IntegerDivide, b'/'),
                b'~' => self.one_or_two(b'~', TokenKind::NotEqual, b'='),
                b':' => self.one_or_two(b':', TokenKind::DoubleColon, b':'),
                b'"' | b'\'' => TokenKind::String(self.read_string(byte)?),
                b'.' => {
                    self.save_and_advance();
                    if self.advance_if(b'.') {
                        if self.advance_if(b'.') {
                            TokenKind::Dots
                        } else {
                            TokenKind::Concat
                        }
                    } else if self.current().is_some_and(|byte| byte.is_ascii_digit()) {
                        self.read_numeral()?
                    } else {
                        TokenKind::Char(b'.')
                    }
                }
                b'0'..=b'9' => self.read_numeral()?,
                _ if is_name_start(byte) => self.read_name(),
                _ => {
                    self.advance();
                    TokenKind::Char(byte)
                }
            };
            return Ok(self.token(kind, start));
        }
    }

    fn token(&self, kind: TokenKind, start: usize) -> Token {
        Token {
            kind,
            start,
            end: self.position.min(self.source.len()),
        }
    }

    /// `first` alone, or `double` when followed by `second`.
    fn one_or_two(&mut self, first: u8, double: TokenKind, second: u8) -> TokenKind {
        self.advance();
        if self.advance_if(second) {
            double
        } else {
            TokenKind::Char(first)
        }
    }

    fn read_name(&mut self) -> TokenKind {
        let start = self.position;
        while self.current().is_some_and(is_name_continue) {
            self.advance();
        }
        let source = self.source;
        let word = source.get(start..self.position).unwrap_or_default();
        match reserved_word(word) {
            Some(reserved) => reserved,
            None => TokenKind::Name(self.intern(word)),
        }
    }

    /// Skips a comment whose `--` was already consumed.
    fn skip_comment(&mut self) -> Result<(), SyntaxError> {
        if self.current() == Some(b'[') {
            let separator = self.skip_separator();
            self.buffer.clear();
            if separator >= 2 {
                self.read_long_string(separator, false)?;
                self.buffer.clear();
                return Ok(());
            }
        }
        while self.current().is_some() && !self.current_is_newline() {
            self.advance();
        }
        Ok(())
    }

    /// A `[` token or a long string.
    fn read_bracket(&mut self) -> Result<TokenKind, SyntaxError> {
        let separator = self.skip_separator();
        if separator >= 2 {
            let value = self.read_long_string(separator, true)?;
            Ok(TokenKind::String(value))
        } else if separator == 0 {
            Err(self.error(b"invalid long string delimiter", Near::Text(&self.buffer)))
        } else {
            Ok(TokenKind::Char(b'['))
        }
    }

    /// Reads a numeral like PUC's `read_numeral`: liberal on purpose (digits, dots, exponent
    /// marks with signs, and one touching letter), so that malformed numerals are reported as a
    /// whole. The caller may already have saved a leading `.`.
    fn read_numeral(&mut self) -> Result<TokenKind, SyntaxError> {
        let first = self.current();
        self.save_and_advance();
        let mut exponent_marks = b"Ee";
        if first == Some(b'0') && self.save_and_advance_if(b"xX") {
            exponent_marks = b"Pp";
        }
        loop {
            if self.save_and_advance_if(exponent_marks) {
                self.save_and_advance_if(b"-+");
            } else if self
                .current()
                .is_some_and(|byte| byte.is_ascii_hexdigit() || byte == b'.')
            {
                self.save_and_advance();
            } else {
                break;
            }
        }
        if self.current().is_some_and(is_name_start) {
            self.save_and_advance();
        }
        match parse_numeral(&self.buffer) {
            Some(Numeral::Integer(value)) => Ok(TokenKind::Integer(value)),
            Some(Numeral::Float(value)) => Ok(TokenKind::Float(value)),
            None => Err(self.error(b"malformed number", Near::Text(&self.buffer))),
        }
    }

    /// Reads `[=*[` or `]=*]` (saving it), leaving the last bracket current. Returns the
    /// number of `=` plus 2 when well formed, 1 for a lone bracket, 0 for `[=` without the
    /// second bracket.
    fn skip_separator(&mut self) -> usize {
        let bracket = self.current();
        self.save_and_advance();
        let mut count = 0;
        while self.current() == Some(b'=') {
            self.save_and_advance();
            count += 1;
        }
        if self.current() == bracket {
            count + 2
        } else if count == 0 {
            1
        } else {
            0
        }
    }
}

/// The part of `text` before its first NUL byte (C's `%s` stops there).
fn cut_at_nul(text: &[u8]) -> &[u8] {
    match text.iter().position(|&byte| byte == 0) {
        Some(end) => &text[..end],
        None => text,
    }
}
