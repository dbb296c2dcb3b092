//! Lexer tests: token streams, line numbers, and every lexical error (messages taken from
//! PUC Lua 5.4.4's `load(source, "=src")`).

use super::{Lexer, Token};
use crate::languages::lua::token::TokenKind;
use std::rc::Rc;

fn lexer(source: &[u8]) -> Lexer<'_> {
    Lexer::new(source, Rc::from(&b"src"[..]), false)
}

/// All tokens of `source` with the line each ends on, or the first error message.
fn tokens(source: &[u8]) -> Result<Vec<(TokenKind, u32)>, Vec<u8>> {
    let mut lexer = lexer(source);
    let mut out = Vec::new();
    loop {
        let Token { kind, .. } = lexer.next_token().map_err(|error| error.message)?;
        if kind == TokenKind::Eof {
            return Ok(out);
        }
        out.push((kind, lexer.line()));
    }
}

fn kinds(source: &str) -> Vec<TokenKind> {
    tokens(source.as_bytes())
        .expect("lexes")
        .into_iter()
        .map(|(kind, _)| kind)
        .collect()
}

fn name(text: &str) -> TokenKind {
    TokenKind::Name(text.as_bytes().into())
}

fn string(bytes: &[u8]) -> TokenKind {
    TokenKind::String(bytes.into())
}

#[test]
fn reserved_words_names_and_symbols() {
    use TokenKind::*;
    assert_eq!(
        kinds("local function f(a, ...) return a end"),
        vec![
            Local,
            Function,
            name("f"),
            Char(b'('),
            name("a"),
            Char(b','),
            Dots,
            Char(b')'),
            Return,
            name("a"),
            End
        ]
    );
    assert_eq!(
        kinds("a.b:c[d] .. e // f == g ~= h <= i >= j << k >> l :: m ~ n"),
        vec![
            name("a"),
            Char(b'.'),
            name("b"),
            Char(b':'),
            name("c"),
            Char(b'['),
            name("d"),
            Char(b']'),
            Concat,
            name("e"),
            IntegerDivide,
            name("f"),
            Equal,
            name("g"),
            NotEqual,
            name("h"),
            LessEqual,
            name("i"),
            GreaterEqual,
            name("j"),
            ShiftLeft,
            name("k"),
            ShiftRight,
            name("l"),
            DoubleColon,
            name("m"),
            Char(b'~'),
            name("n")
        ]
    );
    assert_eq!(
        kinds("_x1 goto_ nil_ and or not"),
        vec![name("_x1"), name("goto_"), name("nil_"), And, Or, Not]
    );
    // Bytes outside ASCII are single-byte tokens, not parts of names.
    assert_eq!(kinds("é"), vec![Char(0xc3), Char(0xa9)]);
}

#[test]
fn numerals() {
    use TokenKind::*;
    assert_eq!(
        kinds("3 3.0 1.2345 123.45e-2 0.12345E1 34e1 0x0.1E 0xA23p-4 0X1.921FB54442D18P+1"),
        vec![
            Integer(3),
            Float(3.0),
            Float(1.2345),
            Float(1.2345),
            Float(1.2345),
            Float(340.0),
            Float(0.1171875),
            Float(162.1875),
            Float(std::f64::consts::PI),
        ]
    );
    assert_eq!(
        kinds("0xff 0xBEBADA 9223372036854775807 9223372036854775808 0xffffffffffffffff .5"),
        vec![
            Integer(255),
            Integer(0xBEBADA),
            Integer(i64::MAX),
            Float(9_223_372_036_854_775_808.0),
            Integer(-1),
            Float(0.5)
        ]
    );
    // A minus sign is an operator; '..' after a numeral needs a space.
    assert_eq!(kinds("-1"), vec![Char(b'-'), Integer(1)]);
    assert_eq!(kinds("1 ..2"), vec![Integer(1), Concat, Integer(2)]);
    assert_eq!(kinds("a.5"), vec![name("a"), Float(0.5)]);
}

#[test]
fn short_strings_and_escapes() {
    assert_eq!(
        kinds(
            r#""a\tb" 'c\'d' "\65\066\0677" "\x41\u{48}\u{20AC}" "\z
              z" "line\
next""#
        ),
        vec![
            string(b"a\tb"),
            string(b"c'd"),
            string(b"ABC7"),
            string("AH€".as_bytes()),
            string(b"z"),
            string(b"line\nnext"),
        ]
    );
    assert_eq!(kinds(r#""\0\255""#), vec![string(b"\0\xff")]);
    assert_eq!(
        kinds(r#""\u{7FFFFFFF}""#),
        vec![string(b"\xfd\xbf\xbf\xbf\xbf\xbf")]
    );
}

#[test]
fn long_strings_and_comments() {
    assert_eq!(
        kinds("[[abc]] [==[a]]b]=]c]==] [[\nfirst newline skipped]] [=[[[x]]]=]"),
        vec![
            string(b"abc"),
            string(b"a]]b]=]c"),
            string(b"first newline skipped"),
            string(b"[[x]]"),
        ]
    );
    assert_eq!(kinds("[[a\r\nb\n\rc\rd]]"), vec![string(b"a\nb\nc\nd")]);
    assert_eq!(
        kinds("a -- comment\nb --[[ long\ncomment ]] c --[==[ x ]] ]==] d ---[[ e\nf"),
        vec![name("a"), name("b"), name("c"), name("d"), name("f")]
    );
    assert_eq!(kinds("--[=x\ny"), vec![name("y")]);
}

#[test]
fn line_numbers() {
    let lines = |source: &str| -> Vec<u32> {
        tokens(source.as_bytes())
            .expect("lexes")
            .into_iter()
            .map(|(_, line)| line)
            .collect()
    };
    assert_eq!(lines("a\nb\r\nc\n\rd\re"), vec![1, 2, 3, 4, 5]);
    assert_eq!(lines("a\n\n\nb"), vec![1, 4]);
    assert_eq!(lines("[[x\ny\nz]] w"), vec![3, 3]);
    assert_eq!(lines("--[[\n\n]] w"), vec![3]);
    assert_eq!(lines("'a\\\nb' c"), vec![2, 2]);
    assert_eq!(lines("'a\\z\n\n b' c"), vec![3, 3]);
}

#[test]
fn first_line_comment_is_skipped_only_when_asked() {
    let mut skipping = Lexer::new(b"#!/usr/bin/lua\nx", Rc::from(&b"src"[..]), true);
    let token = skipping.next_token().expect("lexes");
    assert_eq!(token.kind, name("x"));
    assert_eq!(skipping.line(), 2);
    assert_eq!(kinds("#x").first(), Some(&TokenKind::Char(b'#')));
}

#[test]
fn tokens_are_quoted_in_syntax_errors_like_puc() {
    let near = |source: &[u8]| -> Vec<u8> {
        let mut lexer = lexer(source);
        let token = lexer.next_token().expect("lexes");
        lexer.error(b"x", lexer.near_token(&token)).message
    };
    assert_eq!(near(b"name"), b"src:1: x near 'name'");
    assert_eq!(near(b"0x1P4"), b"src:1: x near '0x1P4'");
    assert_eq!(near(b"'a\\tb'"), b"src:1: x near ''a\tb''");
    assert_eq!(near(b"'a\\0b'"), b"src:1: x near ''a'");
    assert_eq!(near(b"[==[x]==]"), b"src:1: x near '[==[x]==]'");
    assert_eq!(near(b"[[\nx\r\ny]]"), b"src:3: x near '[[x\ny]]'");
    assert_eq!(near(b"end"), b"src:1: x near 'end'");
    assert_eq!(near(b"..."), b"src:1: x near '...'");
    assert_eq!(near(b"\x01"), b"src:1: x near '<\\1>'");
    assert_eq!(near(b""), b"src:1: x near <eof>");
    assert_eq!(near(b"\0"), b"src:1: x");
}

/// Sources and the message `lua5.4` gives for `load(source, "=src")`.
const LEXICAL_ERRORS: &[(&[u8], &[u8])] = &[
    (b"x = '\\q'", b"src:1: invalid escape sequence near ''\\q'"),
    (b"x = \"abc", b"src:1: unfinished string near <eof>"),
    (
        b"x = \"abc\ndef\"",
        b"src:1: unfinished string near '\"abc'",
    ),
    (b"x = 3x", b"src:1: malformed number near '3x'"),
    (b"x = 0x", b"src:1: malformed number near '0x'"),
    (b"x = 1e", b"src:1: malformed number near '1e'"),
    (b"x = 1e+", b"src:1: malformed number near '1e+'"),
    (b"x = 3..2", b"src:1: malformed number near '3..2'"),
    (b"x = 0x1p", b"src:1: malformed number near '0x1p'"),
    (b"x = .5e", b"src:1: malformed number near '.5e'"),
    (b"x = 0xg", b"src:1: malformed number near '0xg'"),
    (b"x = 12abc", b"src:1: malformed number near '12abc'"),
    (b"x = 1ee", b"src:1: malformed number near '1ee'"),
    (b"x = 0x.p1", b"src:1: malformed number near '0x.p1'"),
    (b"x = 1.2.3", b"src:1: malformed number near '1.2.3'"),
    (b"x = 0xep+", b"src:1: malformed number near '0xep+'"),
    (b"f(1_000)", b"src:1: malformed number near '1_'"),
    (
        b"x = [==[ abc",
        b"src:1: unfinished long string (starting at line 1) near <eof>",
    ),
    (
        b"--[==[ abc",
        b"src:1: unfinished long comment (starting at line 1) near <eof>",
    ),
    (
        b"x = 1\n--[==[ abc\n\n",
        b"src:4: unfinished long comment (starting at line 2) near <eof>",
    ),
    (
        b"x = [==",
        b"src:1: invalid long string delimiter near '[=='",
    ),
    (
        b"x = [=a",
        b"src:1: invalid long string delimiter near '[='",
    ),
    (
        b"x = '\\300'",
        b"src:1: decimal escape too large near ''\\300''",
    ),
    (
        b"x = '\\9999'",
        b"src:1: decimal escape too large near ''\\9999'",
    ),
    (
        b"x = '\\256'",
        b"src:1: decimal escape too large near ''\\256''",
    ),
    (
        b"x = '\\u{110000000}'",
        b"src:1: UTF-8 value too large near ''\\u{110000000'",
    ),
    (
        b"x = '\\u{80000000}'",
        b"src:1: UTF-8 value too large near ''\\u{80000000'",
    ),
    (b"x = '\\u123'", b"src:1: missing '{' near ''\\u1'"),
    (b"x = '\\u{123'", b"src:1: missing '}' near ''\\u{123''"),
    (
        b"x = '\\u{}'",
        b"src:1: hexadecimal digit expected near ''\\u{}'",
    ),
    (
        b"x = \"\\u{g}\"",
        b"src:1: hexadecimal digit expected near '\"\\u{g'",
    ),
    (
        b"x = '\\xZZ'",
        b"src:1: hexadecimal digit expected near ''\\xZ'",
    ),
    (
        b"x = '\\x5'",
        b"src:1: hexadecimal digit expected near ''\\x5''",
    ),
    (
        b"x = \"\\xg\"",
        b"src:1: hexadecimal digit expected near '\"\\xg'",
    ),
    (
        b"x = '\\z  \n\n  \\q'",
        b"src:3: invalid escape sequence near ''\\q'",
    ),
    (
        b"x = \"\\u{7FFFFFFF}\\u{7FFFFFFFF}\"",
        b"src:1: UTF-8 value too large near '\"\xfd\xbf\xbf\xbf\xbf\xbf\\u{7FFFFFFFF'",
    ),
    (
        b"x = 12345678901234567890abc",
        b"src:1: malformed number near '12345678901234567890abc'",
    ),
    (b"x = 'abc\\\ndef", b"src:2: unfinished string near <eof>"),
    (b"x = \"abc\\", b"src:1: unfinished string near <eof>"),
    (
        b"x = [[\nabc",
        b"src:2: unfinished long string (starting at line 1) near <eof>",
    ),
    (b"x = 'a' .. 'b", b"src:1: unfinished string near <eof>"),
    (
        b"x = 'tab\x09and \\q'",
        b"src:1: invalid escape sequence near ''tab\x09and \\q'",
    ),
    (
        b"local s = \"\\z\n   \n   \\u{48}\\u{49}\\w\"",
        b"src:3: invalid escape sequence near '\"HI\\w'",
    ),
    (
        b"x = \"a\\'b\\\"c\\e\"",
        b"src:1: invalid escape sequence near '\"a'b\"c\\e'",
    ),
];

#[test]
fn lexical_errors_match_puc() {
    for (source, expected) in LEXICAL_ERRORS {
        let error = crate::languages::lua::compile_with_options(
            source,
            b"=src",
            crate::languages::lua::CompileOptions {
                skip_comment_line: false,
            },
        )
        .expect_err("must not compile");
        assert_eq!(
            String::from_utf8_lossy(&error.message),
            String::from_utf8_lossy(expected),
            "source: {}",
            String::from_utf8_lossy(source)
        );
    }
}
