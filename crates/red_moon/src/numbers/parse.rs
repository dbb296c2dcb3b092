//! Text to number conversion: Lua's `tonumber(s)` (`lua_stringtonumber`) and
//! `tonumber(s, base)`.

use super::hex_float::parse_hex_float_magnitude;
use super::Number;

/// C's `isspace` in the "C" locale, which is what Lua skips around numerals.
fn is_space(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

fn trim_spaces(mut s: &[u8]) -> &[u8] {
    while let Some((&first, rest)) = s.split_first() {
        if !is_space(first) {
            break;
        }
        s = rest;
    }
    while let Some((&last, rest)) = s.split_last() {
        if !is_space(last) {
            break;
        }
        s = rest;
    }
    s
}

/// Splits an optional leading `-` or `+`; returns whether the sign was `-`.
fn split_sign(s: &[u8]) -> (bool, &[u8]) {
    match s.split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        _ => (false, s),
    }
}

/// Splits a `0x`/`0X` prefix.
fn strip_hex_prefix(s: &[u8]) -> Option<&[u8]> {
    match s {
        [b'0', b'x' | b'X', rest @ ..] => Some(rest),
        _ => None,
    }
}

/// Converts a Lua numeral the way `tonumber(s)` and string coercions do.
///
/// Accepts surrounding whitespace, an optional sign, then a decimal or hexadecimal integer
/// (decimal integers that overflow become floats; hexadecimal ones wrap modulo 2^64) or a
/// decimal or hexadecimal float (correctly rounded). Rejects `inf`/`nan`, trailing garbage
/// and embedded zero bytes.
pub fn parse_number(s: &[u8]) -> Option<Number> {
    if s.contains(&0) {
        return None;
    }
    let numeral = trim_spaces(s);
    if let Some(integer) = parse_integer_numeral(numeral) {
        return Some(Number::Integer(integer));
    }
    parse_float_numeral(numeral).map(Number::Float)
}

/// A decimal integer that fits, or a hexadecimal integer (wrapping), with optional sign.
fn parse_integer_numeral(numeral: &[u8]) -> Option<i64> {
    let (negative, unsigned) = split_sign(numeral);
    let magnitude = match strip_hex_prefix(unsigned) {
        Some(digits) => parse_wrapping_digits(digits, 16)?,
        None => parse_decimal_magnitude(unsigned, negative)?,
    };
    Some(apply_sign(magnitude, negative))
}

fn apply_sign(magnitude: u64, negative: bool) -> i64 {
    let value = if negative {
        magnitude.wrapping_neg()
    } else {
        magnitude
    };
    value as i64
}

/// Nonempty digits in `base`, accumulated modulo 2^64.
fn parse_wrapping_digits(digits: &[u8], base: u32) -> Option<u64> {
    if digits.is_empty() {
        return None;
    }
    digits.iter().try_fold(0u64, |value, &byte| {
        let digit = char::from(byte).to_digit(base)?;
        Some(
            value
                .wrapping_mul(u64::from(base))
                .wrapping_add(u64::from(digit)),
        )
    })
}

/// Nonempty decimal digits whose value fits an `i64` once the sign is applied
/// (up to 2^63 when negative); `None` on overflow so the numeral is read as a float.
fn parse_decimal_magnitude(digits: &[u8], negative: bool) -> Option<u64> {
    if digits.is_empty() {
        return None;
    }
    let limit = i64::MAX as u64 + u64::from(negative);
    digits.iter().try_fold(0u64, |value, &byte| {
        let digit = char::from(byte).to_digit(10)?;
        value
            .checked_mul(10)
            .and_then(|v| v.checked_add(u64::from(digit)))
            .filter(|&v| v <= limit)
    })
}

/// A decimal float (`1.5e3`, `.5`, `1.`) or a hexadecimal float (`0x1.8p3`), with sign.
fn parse_float_numeral(numeral: &[u8]) -> Option<f64> {
    let (negative, unsigned) = split_sign(numeral);
    let magnitude = match strip_hex_prefix(unsigned) {
        Some(hex) => parse_hex_float_magnitude(hex)?,
        None => parse_decimal_float_magnitude(unsigned)?,
    };
    Some(if negative { -magnitude } else { magnitude })
}

/// `digits [. digits] [e [sign] digits]` with at least one mantissa digit, correctly
/// rounded.
fn parse_decimal_float_magnitude(text: &[u8]) -> Option<f64> {
    if !is_decimal_float_syntax(text) {
        return None;
    }
    // The syntax check guarantees ASCII, in a form Rust's correctly rounded parser accepts.
    core::str::from_utf8(text).ok()?.parse::<f64>().ok()
}

fn is_decimal_float_syntax(text: &[u8]) -> bool {
    let (mantissa, exponent) = match text.iter().position(|&b| b == b'e' || b == b'E') {
        Some(e) => (&text[..e], Some(&text[e + 1..])),
        None => (text, None),
    };
    let mut digits = 0usize;
    let mut dots = 0usize;
    for &byte in mantissa {
        match byte {
            b'0'..=b'9' => digits += 1,
            b'.' => dots += 1,
            _ => return false,
        }
    }
    let exponent_ok = exponent.is_none_or(|e| {
        let (_, e_digits) = split_sign(e);
        !e_digits.is_empty() && e_digits.iter().all(u8::is_ascii_digit)
    });
    digits > 0 && dots <= 1 && exponent_ok
}

/// `tonumber(s, base)`: an integer numeral in `base` (2 to 36; other bases give `None`,
/// the caller reports "base out of range"), with surrounding whitespace and an optional
/// sign. Digits are letters or numbers of either case; the value wraps modulo 2^64.
pub fn parse_integer_in_base(s: &[u8], base: u32) -> Option<i64> {
    if !(2..=36).contains(&base) || s.contains(&0) {
        return None;
    }
    let (negative, digits) = split_sign(trim_spaces(s));
    let magnitude = parse_wrapping_digits(digits, base)?;
    Some(apply_sign(magnitude, negative))
}

#[cfg(test)]
mod tests {
    use super::*;
    use Number::{Float, Integer};

    /// Expected results from lua5.4 (`math.type(tonumber(s))` and `%q` of the value).
    const NUMBER_CASES: &[(&[u8], Option<Number>)] = &[
        (b"0x7fffffffffffffff", Some(Integer(i64::MAX))),
        (b"0xffffffffffffffff", Some(Integer(-1))),
        (b"0X7FFFFFFFFFFFFFFFF", Some(Integer(-1))),
        (b"0x8000000000000000", Some(Integer(i64::MIN))),
        (b"9223372036854775807", Some(Integer(i64::MAX))),
        (b"9223372036854775808", Some(Float(9223372036854775808.0))),
        (b"-9223372036854775808", Some(Integer(i64::MIN))),
        (b"-9223372036854775809", Some(Float(-9223372036854775808.0))),
        (b"100000000000000000000000000000000", Some(Float(1e32))),
        (b"00000000000000000000012", Some(Integer(12))),
        (b" 10 ", Some(Integer(10))),
        (b"\t\x0b\x0c\r\n 5 \n", Some(Integer(5))),
        (b"+1", Some(Integer(1))),
        (b"-0", Some(Integer(0))),
        (b"-0x0", Some(Integer(0))),
        (b"+0x10", Some(Integer(16))),
        (b"0xA", Some(Integer(10))),
        (b"0x1e", Some(Integer(30))),
        (b"-0.0", Some(Float(-0.0))),
        (b"1.", Some(Float(1.0))),
        (b".5", Some(Float(0.5))),
        (b"-.5", Some(Float(-0.5))),
        (b"1e+1", Some(Float(10.0))),
        (b"1E5", Some(Float(1e5))),
        (b"1e0001", Some(Float(10.0))),
        (b"1e-7", Some(Float(1e-7))),
        (b"1e400", Some(Float(f64::INFINITY))),
        (b"1.5e308000000000000", Some(Float(f64::INFINITY))),
        (b"1e-400", Some(Float(0.0))),
        (b"0.1e-400", Some(Float(0.0))),
        (b"4.9e-324", Some(Float(5e-324))),
        (b"2.4703282292062328e-324", Some(Float(5e-324))),
        (b"2.4703282292062327e-324", Some(Float(0.0))),
        (b"0x1p-1074", Some(Float(5e-324))),
        (b"0x.1", Some(Float(0.0625))),
        (b"0x1.", Some(Float(1.0))),
        (b"0x1P+4", Some(Float(16.0))),
        (b"0X1.8", Some(Float(1.5))),
        (b"0x1P1", Some(Float(2.0))),
        (b"-0x1p-1", Some(Float(-0.5))),
        (b"0x1p99999999999999999999", Some(Float(f64::INFINITY))),
        (b"1e", None),
        (b"1e+", None),
        (b"1 2", None),
        (b"0x", None),
        (b"0x1p", None),
        (b"0x1p+", None),
        (b"0x1p-", None),
        (b"0x.", None),
        (b"0x.p1", None),
        (b"0x-1", None),
        (b"0x1e+1", None),
        (b".", None),
        (b"- 1", None),
        (b"inf", None),
        (b"-inf", None),
        (b"nan", None),
        (b"infinity", None),
        (b"1x", None),
        (b"1..2", None),
        (b"1.2.3", None),
        (b"", None),
        (b" ", None),
        (b"0b101", None),
        (b"1_000", None),
        (b"2^53", None),
        (b"5\0", None),
        (b"\0", None),
        (b"--1", None),
        (b"+-1", None),
        (b"\xd9\xa3", None),
        (b"1e5.5", None),
        (b"e5", None),
    ];

    #[test]
    fn parse_number_matches_lua() {
        for &(text, expected) in NUMBER_CASES {
            let got = parse_number(text);
            let same = match (got, expected) {
                (Some(Float(a)), Some(Float(b))) => a.to_bits() == b.to_bits(),
                _ => got == expected,
            };
            assert!(
                same,
                "{:?}: got {got:?}, expected {expected:?}",
                String::from_utf8_lossy(text)
            );
        }
    }

    #[test]
    fn long_decimal_floats_are_correctly_rounded() {
        // 2^-1075 * (1 + tiny): just above the halfway point to the smallest subnormal.
        let mut text =
            b"2.4703282292062327208828439643411068618252990130716238221279284125033775364\
5107e-324"
                .to_vec();
        assert_eq!(parse_number(&text), Some(Float(5e-324)));
        text = [&b"0."[..], &[b'9'; 800]].concat();
        assert_eq!(parse_number(&text), Some(Float(1.0)));
    }

    #[test]
    fn integers_in_other_bases() {
        // Expected values from lua5.4's tonumber(s, base).
        let cases: &[(&[u8], u32, Option<i64>)] = &[
            (b"ff", 16, Some(255)),
            (b"  FF  ", 16, Some(255)),
            (b"-ff", 16, Some(-255)),
            (b"+z", 36, Some(35)),
            (b"Zz", 36, Some(1295)),
            (b"777", 8, Some(511)),
            (b"8", 8, None),
            (b"1010", 2, Some(10)),
            (b"", 10, None),
            (b"-", 10, None),
            (b" ", 10, None),
            (b"1 1", 10, None),
            (b"0x10", 16, None),
            (b"1.0", 10, None),
            (b"ffffffffffffffff", 16, Some(-1)),
            (b"10000000000000000", 16, Some(0)),
            (b"9223372036854775808", 10, Some(i64::MIN)),
            (b"99999999999999999999", 10, Some(7766279631452241919)),
            (b"1\0", 10, None),
            (b"\t\n\x0b\x0c\r10\t\n\x0b\x0c\r", 10, Some(10)),
            (b"\xe9", 36, None),
            (b"10", 1, None),
            (b"10", 37, None),
        ];
        for &(text, base, expected) in cases {
            assert_eq!(
                parse_integer_in_base(text, base),
                expected,
                "{:?} base {base}",
                String::from_utf8_lossy(text)
            );
        }
    }
}
