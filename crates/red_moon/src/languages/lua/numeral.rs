//! Conversion of numeral text to numbers, as PUC's `luaO_str2num` does for the scanner:
//! integers first (decimal ones that overflow become floats, hexadecimal ones wrap around),
//! then floats (decimal, or hexadecimal with an optional binary exponent), correctly rounded.

/// The value of a numeral.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Numeral {
    Integer(i64),
    Float(f64),
}

/// Converts a whole numeral (no sign, no surrounding spaces); `None` if it is malformed.
pub fn parse_numeral(text: &[u8]) -> Option<Numeral> {
    if let Some(value) = parse_integer(text) {
        return Some(Numeral::Integer(value));
    }
    // PUC rejects 'inf' and 'nan' spellings before calling strtod.
    if text.iter().any(|&byte| byte == b'n' || byte == b'N') {
        return None;
    }
    let value = match hex_digits(text) {
        Some(digits) => parse_hex_float(digits)?,
        None => parse_decimal_float(text)?,
    };
    Some(Numeral::Float(value))
}

/// The part after `0x`/`0X`, if `text` is hexadecimal.
fn hex_digits(text: &[u8]) -> Option<&[u8]> {
    match text {
        [b'0', b'x' | b'X', rest @ ..] => Some(rest),
        _ => None,
    }
}

fn hex_value(byte: u8) -> Option<u32> {
    (byte as char).to_digit(16)
}

/// An integer numeral: hexadecimal digits (wrapping modulo 2^64) or decimal digits that fit.
fn parse_integer(text: &[u8]) -> Option<i64> {
    if let Some(digits) = hex_digits(text) {
        if digits.is_empty() {
            return None;
        }
        return digits
            .iter()
            .try_fold(0u64, |value, &byte| {
                hex_value(byte).map(|digit| value.wrapping_mul(16).wrapping_add(u64::from(digit)))
            })
            .map(|value| value as i64);
    }
    if text.is_empty() || !text.iter().all(u8::is_ascii_digit) {
        return None;
    }
    text.iter().try_fold(0i64, |value, &byte| {
        value.checked_mul(10)?.checked_add(i64::from(byte - b'0'))
    })
}

/// A decimal float: `digits [. digits] [(e|E) [+|-] digits]` with at least one mantissa digit.
fn parse_decimal_float(text: &[u8]) -> Option<f64> {
    let mantissa_end = text
        .iter()
        .position(|&byte| byte == b'e' || byte == b'E')
        .unwrap_or(text.len());
    let (mantissa, exponent) = text.split_at(mantissa_end);
    let mut mantissa_digits = 0;
    let mut dots = 0;
    for &byte in mantissa {
        match byte {
            b'0'..=b'9' => mantissa_digits += 1,
            b'.' => dots += 1,
            _ => return None,
        }
    }
    if mantissa_digits == 0 || dots > 1 {
        return None;
    }
    if let Some((_, exponent)) = exponent.split_first() {
        let digits = match exponent {
            [b'+' | b'-', rest @ ..] => rest,
            _ => exponent,
        };
        if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
            return None;
        }
    }
    // The text is now known to be ASCII in a form Rust parses with correct rounding.
    std::str::from_utf8(text).ok()?.parse().ok()
}

/// Hexadecimal significand digits beyond this many only matter through the sticky bit.
const MAX_SIGNIFICANT_HEX_DIGITS: u32 = 15;

/// A hexadecimal float (after `0x`): `hexdigits [. hexdigits] [(p|P) [+|-] digits]`, with at
/// least one significand digit; rounded to nearest, ties to even, like C's `strtod`.
fn parse_hex_float(text: &[u8]) -> Option<f64> {
    let mut significand: u64 = 0;
    let mut sticky = false;
    let mut binary_exponent: i64 = 0;
    let mut significant_digits = 0;
    let mut any_digit = false;
    let mut seen_dot = false;
    let mut index = 0;
    while let Some(&byte) = text.get(index) {
        if byte == b'.' {
            if seen_dot {
                return None;
            }
            seen_dot = true;
        } else if let Some(digit) = hex_value(byte) {
            any_digit = true;
            if significant_digits == 0 && digit == 0 {
                // Leading zeros do not count towards precision.
            } else if significant_digits < MAX_SIGNIFICANT_HEX_DIGITS {
                significand = significand * 16 + u64::from(digit);
                significant_digits += 1;
            } else {
                sticky |= digit != 0;
                binary_exponent += 4;
            }
            if seen_dot {
                binary_exponent -= 4;
            }
        } else {
            break;
        }
        index += 1;
    }
    if !any_digit {
        return None;
    }
    if let Some((&mark, exponent)) = text.get(index..).and_then(<[u8]>::split_first) {
        if mark != b'p' && mark != b'P' {
            return None;
        }
        let (negative, digits) = match exponent {
            [b'-', rest @ ..] => (true, rest),
            [b'+', rest @ ..] => (false, rest),
            _ => (false, exponent),
        };
        if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
            return None;
        }
        // Saturate: beyond this the result is 0 or infinity anyway.
        let value = digits.iter().fold(0i64, |value, &byte| {
            (value * 10 + i64::from(byte - b'0')).min(1 << 40)
        });
        binary_exponent += if negative { -value } else { value };
    }
    Some(compose_float(significand, sticky, binary_exponent))
}

/// `significand * 2^exponent` rounded to the nearest double (ties to even), where `sticky`
/// says that nonzero bits below the significand were dropped (only possible when the
/// significand is wider than a double's, so rounding always sees them).
fn compose_float(significand: u64, sticky: bool, exponent: i64) -> f64 {
    if significand == 0 {
        return 0.0;
    }
    let length = i64::from(64 - significand.leading_zeros());
    // Exponent of the leading bit.
    let top = exponent + length - 1;
    if top > 1023 {
        return f64::INFINITY;
    }
    // Exponent of the last bit a double can keep: 53 bits for normal numbers, fewer for
    // subnormal ones.
    let unit = (top - 52).max(-1074);
    let dropped = unit - exponent;
    let wide = u128::from(significand);
    let kept = if dropped <= 0 {
        wide << (-dropped)
    } else if dropped >= 127 {
        0
    } else {
        let kept = wide >> dropped;
        let remainder = wide & ((1u128 << dropped) - 1);
        let half = 1u128 << (dropped - 1);
        let above_half = remainder > half || (remainder == half && sticky);
        let tie_to_odd = remainder == half && !sticky && kept & 1 == 1;
        kept + u128::from(above_half || tie_to_odd)
    };
    double_from_units(kept as u64, unit)
}

/// The double `units * 2^unit`, where `units` has at most 54 bits and is exactly
/// representable (a carry out of rounding makes it a power of two).
fn double_from_units(units: u64, unit: i64) -> f64 {
    if units == 0 {
        return 0.0;
    }
    let length = i64::from(64 - units.leading_zeros());
    let top = unit + length - 1;
    if top > 1023 {
        return f64::INFINITY;
    }
    if top < -1022 {
        // Subnormal: the bits are the value in units of 2^-1074.
        return f64::from_bits(units << (unit + 1074));
    }
    let normalized = if length > 53 {
        units >> (length - 53)
    } else {
        units << (53 - length)
    };
    let fraction = normalized & ((1u64 << 52) - 1);
    let biased = (top + 1023) as u64;
    f64::from_bits((biased << 52) | fraction)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn float(text: &str) -> f64 {
        match parse_numeral(text.as_bytes()) {
            Some(Numeral::Float(value)) => value,
            other => panic!("{text}: {other:?}"),
        }
    }

    fn integer(text: &str) -> i64 {
        match parse_numeral(text.as_bytes()) {
            Some(Numeral::Integer(value)) => value,
            other => panic!("{text}: {other:?}"),
        }
    }

    #[test]
    fn integers() {
        assert_eq!(integer("0"), 0);
        assert_eq!(integer("007"), 7);
        assert_eq!(integer("9223372036854775807"), i64::MAX);
        assert_eq!(integer("0xff"), 255);
        assert_eq!(integer("0XA"), 10);
        assert_eq!(integer("0xffffffffffffffff"), -1);
        assert_eq!(integer("0x7fffffffffffffff"), i64::MAX);
        // Wraps modulo 2^64: only the last 16 digits matter.
        assert_eq!(integer("0x10000000000000001"), 1);
    }

    #[test]
    fn decimal_overflow_becomes_float() {
        assert_eq!(float("9223372036854775808"), 9_223_372_036_854_775_808.0);
        assert_eq!(float("18446744073709551616"), 18446744073709551616.0);
    }

    #[test]
    fn decimal_floats() {
        assert_eq!(float("1.5"), 1.5);
        assert_eq!(float(".5"), 0.5);
        assert_eq!(float("5."), 5.0);
        assert_eq!(float("1e2"), 100.0);
        assert_eq!(float("1E-2"), 0.01);
        assert_eq!(float("1.e+2"), 100.0);
        assert_eq!(float("1e400"), f64::INFINITY);
        assert_eq!(float("0.1"), 0.1);
    }

    #[test]
    fn hexadecimal_floats() {
        assert_eq!(float("0x1p4"), 16.0);
        assert_eq!(float("0xA.8"), 10.5);
        assert_eq!(float("0x.8p1"), 1.0);
        assert_eq!(float("0x1P-2"), 0.25);
        assert_eq!(float("0x1.8"), 1.5);
        assert_eq!(float("0xA."), 10.0);
        assert_eq!(float("0x1p-1074"), f64::from_bits(1));
        assert_eq!(float("0x1p-1075"), 0.0);
        assert_eq!(float("0x1.8p-1075"), f64::from_bits(1));
        assert_eq!(float("0x1p1024"), f64::INFINITY);
        assert_eq!(float("0x1.fffffffffffff8p1023"), f64::INFINITY);
        assert_eq!(float("0x1.fffffffffffff7p1023"), f64::MAX);
        // 2^53 + 1 rounds to even (down), 2^53 + 3 rounds up.
        assert_eq!(float("0x20000000000001p0"), 9007199254740992.0);
        assert_eq!(float("0x20000000000003p0"), 9007199254740996.0);
        // Digits beyond the kept precision still break ties.
        assert_eq!(float("0x2000000000000100000001p-32"), 9007199254740994.0);
        assert_eq!(float("0x0.0000000000000000000001p0"), 2f64.powi(-88));
        assert_eq!(float("0x1p-1022"), f64::MIN_POSITIVE);
    }

    #[test]
    fn malformed() {
        for text in [
            "0x", "1e", "1e+", "3x", "3..2", "0x1p", ".5e", "0xg", "0x.", "1.2.3",
        ] {
            assert_eq!(parse_numeral(text.as_bytes()), None, "{text}");
        }
        assert_eq!(parse_numeral(b"08"), Some(Numeral::Integer(8)));
        assert_eq!(parse_numeral(b"0x1.p4"), Some(Numeral::Float(16.0)));
    }
}
