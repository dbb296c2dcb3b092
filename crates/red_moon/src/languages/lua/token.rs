//! Lua tokens and how PUC shows them in messages (`luaX_token2str`).

use std::rc::Rc;

/// A Lua string (names and literals are byte strings).
pub type LuaString = Rc<[u8]>;

/// One lexical element.
#[derive(Clone, Debug, PartialEq)]
pub enum TokenKind {
    // Reserved words.
    And,
    Break,
    Do,
    Else,
    Elseif,
    End,
    False,
    For,
    Function,
    Goto,
    If,
    In,
    Local,
    Nil,
    Not,
    Or,
    Repeat,
    Return,
    Then,
    True,
    Until,
    While,
    // Multi-byte symbols.
    /// `//`
    IntegerDivide,
    /// `..`
    Concat,
    /// `...`
    Dots,
    /// `==`
    Equal,
    /// `>=`
    GreaterEqual,
    /// `<=`
    LessEqual,
    /// `~=`
    NotEqual,
    /// `<<`
    ShiftLeft,
    /// `>>`
    ShiftRight,
    /// `::`
    DoubleColon,
    /// End of the source.
    Eof,
    // Tokens with a value.
    Float(f64),
    Integer(i64),
    Name(LuaString),
    String(LuaString),
    /// Any other single byte (`+`, `(`, `;`, but also stray bytes such as `@` or `\x80`).
    Char(u8),
}

/// Reserved words in PUC's order, with their token.
const RESERVED_WORDS: [(&[u8], TokenKind); 22] = [
    (b"and", TokenKind::And),
    (b"break", TokenKind::Break),
    (b"do", TokenKind::Do),
    (b"else", TokenKind::Else),
    (b"elseif", TokenKind::Elseif),
    (b"end", TokenKind::End),
    (b"false", TokenKind::False),
    (b"for", TokenKind::For),
    (b"function", TokenKind::Function),
    (b"goto", TokenKind::Goto),
    (b"if", TokenKind::If),
    (b"in", TokenKind::In),
    (b"local", TokenKind::Local),
    (b"nil", TokenKind::Nil),
    (b"not", TokenKind::Not),
    (b"or", TokenKind::Or),
    (b"repeat", TokenKind::Repeat),
    (b"return", TokenKind::Return),
    (b"then", TokenKind::Then),
    (b"true", TokenKind::True),
    (b"until", TokenKind::Until),
    (b"while", TokenKind::While),
];

/// The reserved word spelled `word`, if it is one.
pub fn reserved_word(word: &[u8]) -> Option<TokenKind> {
    RESERVED_WORDS
        .iter()
        .find(|(spelling, _)| *spelling == word)
        .map(|(_, kind)| kind.clone())
}

impl TokenKind {
    /// The fixed spelling of reserved words and multi-byte symbols.
    fn fixed_spelling(&self) -> Option<&'static [u8]> {
        if let Some((spelling, _)) = RESERVED_WORDS.iter().find(|(_, kind)| kind == self) {
            return Some(spelling);
        }
        Some(match self {
            TokenKind::IntegerDivide => b"//",
            TokenKind::Concat => b"..",
            TokenKind::Dots => b"...",
            TokenKind::Equal => b"==",
            TokenKind::GreaterEqual => b">=",
            TokenKind::LessEqual => b"<=",
            TokenKind::NotEqual => b"~=",
            TokenKind::ShiftLeft => b"<<",
            TokenKind::ShiftRight => b">>",
            TokenKind::DoubleColon => b"::",
            _ => return None,
        })
    }

    /// How PUC names a token kind in "X expected" messages (`luaX_token2str`): fixed tokens
    /// quoted (`'end'`), bytes quoted or as `'<\N>'` when not printable, and the classes
    /// `<eof>`, `<name>`, `<string>`, `<number>`, `<integer>` unquoted.
    pub fn describe(&self) -> Vec<u8> {
        if let Some(spelling) = self.fixed_spelling() {
            return quoted(spelling);
        }
        match self {
            TokenKind::Eof => b"<eof>".to_vec(),
            TokenKind::Float(_) => b"<number>".to_vec(),
            TokenKind::Integer(_) => b"<integer>".to_vec(),
            TokenKind::Name(_) => b"<name>".to_vec(),
            TokenKind::String(_) => b"<string>".to_vec(),
            TokenKind::Char(byte) => describe_byte(*byte),
            _ => Vec::new(),
        }
    }
}

/// `'c'` for a printable byte, `'<\N>'` (decimal) otherwise.
pub fn describe_byte(byte: u8) -> Vec<u8> {
    if (0x20..0x7f).contains(&byte) {
        quoted(&[byte])
    } else {
        quoted(format!("<\\{byte}>").as_bytes())
    }
}

/// `'text'`
pub fn quoted(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() + 2);
    out.push(b'\'');
    out.extend_from_slice(text);
    out.push(b'\'');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describes_tokens_like_puc() {
        assert_eq!(TokenKind::End.describe(), b"'end'");
        assert_eq!(TokenKind::Concat.describe(), b"'..'");
        assert_eq!(TokenKind::Eof.describe(), b"<eof>");
        assert_eq!(TokenKind::Name("x".as_bytes().into()).describe(), b"<name>");
        assert_eq!(TokenKind::Char(b'=').describe(), b"'='");
        assert_eq!(TokenKind::Char(1).describe(), b"'<\\1>'");
        assert_eq!(TokenKind::Char(0x80).describe(), b"'<\\128>'");
    }

    #[test]
    fn finds_reserved_words() {
        assert_eq!(reserved_word(b"while"), Some(TokenKind::While));
        assert_eq!(reserved_word(b"While"), None);
        assert_eq!(reserved_word(b"goto"), Some(TokenKind::Goto));
    }
}
