//! Exact conversion of hexadecimal float numerals (`0x1.8p3`) to doubles, correctly rounded
//! (to nearest, ties to even) like glibc's `strtod`, including subnormals, overflow to
//! infinity and mantissas of any length.

/// Significant hex digits kept exactly: 16 digits fill the 64-bit accumulator.
const KEPT_DIGITS: u32 = 16;

/// Explicit exponents are clamped to this magnitude; anything beyond already gives 0 or inf.
const EXPONENT_CLAMP: i64 = 1 << 40;

/// The smallest exponent of a unit in the last place of a double (subnormal spacing).
const MIN_ULP_EXPONENT: i64 = -1074;

/// The exponent of the largest power of two below the double range's end (2^1024).
const MAX_EXPONENT: i64 = 1023;

/// Parses the numeral part after `0x`/`0X` (no sign, no spaces): hex digits with at most one
/// `.` and at least one digit, then optionally `p`/`P`, an optional sign and decimal digits.
/// The whole slice must be consumed. Returns the non-negative magnitude.
pub(super) fn parse_hex_float_magnitude(text: &[u8]) -> Option<f64> {
    let (significand, exponent_part) = match text.iter().position(|&b| b == b'p' || b == b'P') {
        Some(p) => (&text[..p], Some(&text[p + 1..])),
        None => (text, None),
    };
    let mut accumulator = parse_significand(significand)?;
    if let Some(exponent_text) = exponent_part {
        let exponent = parse_binary_exponent(exponent_text)?;
        accumulator.exponent = accumulator.exponent.saturating_add(exponent);
    }
    Some(accumulator.to_f64())
}

/// The value `mantissa * 2^exponent`, plus `sticky` when nonzero digits were dropped
/// below the mantissa (so the true value is slightly above).
struct Accumulator {
    mantissa: u64,
    exponent: i64,
    sticky: bool,
}

fn parse_significand(text: &[u8]) -> Option<Accumulator> {
    let mut accumulator = Accumulator {
        mantissa: 0,
        exponent: 0,
        sticky: false,
    };
    let mut kept_digits = 0u32;
    let mut any_digit = false;
    let mut seen_dot = false;
    for &byte in text {
        if byte == b'.' {
            if seen_dot {
                return None;
            }
            seen_dot = true;
            continue;
        }
        let digit = char::from(byte).to_digit(16)?;
        any_digit = true;
        if kept_digits < KEPT_DIGITS {
            accumulator.mantissa = accumulator.mantissa * 16 + u64::from(digit);
            if accumulator.mantissa != 0 {
                kept_digits += 1;
            }
            if seen_dot {
                accumulator.exponent -= 4;
            }
        } else {
            accumulator.sticky |= digit != 0;
            if !seen_dot {
                accumulator.exponent += 4;
            }
        }
    }
    any_digit.then_some(accumulator)
}

/// Parses `[+-]digits` (at least one digit), clamping huge values.
fn parse_binary_exponent(text: &[u8]) -> Option<i64> {
    let (negative, digits) = match text.split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        _ => (false, text),
    };
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let magnitude = digits.iter().fold(0i64, |value, &d| {
        (value * 10 + i64::from(d - b'0')).min(EXPONENT_CLAMP)
    });
    Some(if negative { -magnitude } else { magnitude })
}

impl Accumulator {
    fn to_f64(&self) -> f64 {
        if self.mantissa == 0 {
            // Dropped digits are only counted after a nonzero digit was kept.
            return 0.0;
        }
        // Normalize so that bit 63 is the leading one: value = m * 2^e.
        let shift = self.mantissa.leading_zeros();
        let m = self.mantissa << shift;
        let e = self.exponent - i64::from(shift);
        let leading_exponent = e + 63;
        if leading_exponent > MAX_EXPONENT {
            return f64::INFINITY;
        }
        // Normal numbers keep 53 bits; subnormals keep fewer, down to the 2^-1074 spacing.
        let ulp_exponent = (leading_exponent - 52).max(MIN_ULP_EXPONENT);
        let dropped_bits = ulp_exponent - e;
        let units = round_shifted(m, dropped_bits, self.sticky);
        // `units <= 2^53` converts exactly; the product is exact or overflows to infinity.
        units as f64 * power_of_two(ulp_exponent)
    }
}

/// `m / 2^dropped_bits` rounded to nearest, ties to even; `sticky` means the true value is
/// slightly above `m`. Requires `dropped_bits >= 1`.
fn round_shifted(m: u64, dropped_bits: i64, sticky: bool) -> u64 {
    if dropped_bits > 64 {
        // The value is below half a unit (m < 2^64 <= 2^(dropped_bits - 1)).
        return 0;
    }
    let (kept, remainder, half) = if dropped_bits == 64 {
        (0, m, 1u64 << 63)
    } else {
        let half = 1u64 << (dropped_bits - 1);
        (m >> dropped_bits, m & ((half << 1) - 1), half)
    };
    let round_up = remainder > half || (remainder == half && (sticky || kept & 1 == 1));
    kept + u64::from(round_up)
}

/// `2^exponent` for exponents in `[-1074, 1023]` (the representable powers of two).
fn power_of_two(exponent: i64) -> f64 {
    if exponent >= -1022 {
        f64::from_bits(((exponent + 1023) as u64) << 52)
    } else {
        f64::from_bits(1u64 << (exponent + 1074))
    }
}

#[cfg(test)]
mod tests {
    use super::parse_hex_float_magnitude as parse;

    #[test]
    fn simple_values() {
        assert_eq!(parse(b"1"), Some(1.0));
        assert_eq!(parse(b".1"), Some(0.0625));
        assert_eq!(parse(b"1."), Some(1.0));
        assert_eq!(parse(b"1.8"), Some(1.5));
        assert_eq!(parse(b"A.8p1"), Some(21.0));
        assert_eq!(parse(b"1P+4"), Some(16.0));
        assert_eq!(parse(b"10p-4"), Some(1.0));
        assert_eq!(parse(b"0"), Some(0.0));
        assert_eq!(parse(b"000.000p99999"), Some(0.0));
    }

    #[test]
    fn malformed_numerals() {
        for text in [
            &b""[..],
            b".",
            b".p1",
            b"1p",
            b"1p+",
            b"1..2",
            b"1.2.3",
            b"g",
            b"1p1.5",
            b"1pp1",
        ] {
            assert_eq!(parse(text), None, "{:?}", text);
        }
    }

    #[test]
    fn extremes_round_like_strtod() {
        // Bits expected from lua5.4's tonumber.
        assert_eq!(parse(b"1p-1074"), Some(5e-324));
        assert_eq!(parse(b"1p-1075"), Some(0.0));
        assert_eq!(parse(b"1.0000000000001p-1075"), Some(5e-324));
        assert_eq!(parse(b"3p-1076"), Some(5e-324));
        assert_eq!(parse(b"0.00000000000008p-1022"), Some(0.0));
        assert_eq!(parse(b".0000000000001p-1022"), Some(5e-324));
        assert_eq!(parse(b"1.fffffffffffff8p1023"), Some(f64::INFINITY));
        assert_eq!(parse(b"1.fffffffffffff7ffffffp1023"), Some(f64::MAX));
        assert_eq!(parse(b"1p99999999999999999999"), Some(f64::INFINITY));
        assert_eq!(parse(b"1p-99999999999999999999"), Some(0.0));
        assert_eq!(parse(b"1p1023"), Some(8.98846567431158e307));
        assert_eq!(parse(b"1p-1022"), Some(f64::MIN_POSITIVE));
        assert_eq!(parse(b"0.fffffffffffff8p-1022"), Some(f64::MIN_POSITIVE));
    }

    #[test]
    fn long_mantissas_round_with_sticky_digits() {
        // 2^53 + 1 is a tie between 2^53 and 2^53 + 2: ties go to even.
        assert_eq!(parse(b"20000000000001"), Some(9007199254740992.0));
        assert_eq!(parse(b"20000000000003"), Some(9007199254740996.0));
        // A far nonzero digit breaks the tie upwards.
        assert_eq!(
            parse(b"20000000000001000000000000000001"),
            Some(9007199254740994.0 * 2f64.powi(72))
        );
        let many_zeros = [&b"1."[..], &[b'0'; 5000], b"1p0"].concat();
        assert_eq!(parse(&many_zeros), Some(1.0));
        let long_integer = [&b"1"[..], &[b'0'; 300]].concat();
        assert_eq!(parse(&long_integer), Some(f64::INFINITY));
        let long_fraction = [&b"."[..], &[b'0'; 300], b"1p1200"].concat();
        assert_eq!(parse(&long_fraction), Some(2f64.powi(1200 - 1204)));
    }
}
