//! A C `printf` engine for numbers, producing exactly what glibc produces for the
//! conversions Lua uses: `%d %i %u %o %x %X` on 64-bit integers and `%e %E %f %g %G %a %A`
//! on doubles, with the flags `-+ #0`, a width and a precision.
//!
//! Decimal digits come from Rust's float formatting, which is exact and rounds ties to even
//! like glibc; this module adds glibc's layout rules (exponent form, `%g` style selection,
//! trailing-zero removal, signs, prefixes and padding).

/// The flags, field width and precision of one conversion.
///
/// Width and precision are bytes because Lua allows at most two digits for each; this also
/// bounds the size of every field.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PrintfSpec {
    /// `-`: pad on the right instead of the left.
    pub left_justify: bool,
    /// `+`: write `+` before non-negative signed numbers.
    pub force_sign: bool,
    /// ` `: write a space before non-negative signed numbers (ignored with `+`).
    pub space_sign: bool,
    /// `#`: the alternate form (`0x` prefix, leading octal zero, kept decimal point/zeros).
    pub alternate: bool,
    /// `0`: pad numbers with zeros after the sign/prefix (ignored with `-`, with a precision
    /// for integers, and for inf/nan).
    pub zero_pad: bool,
    /// The minimum field width.
    pub width: u8,
    /// The precision, when given (`.` alone means 0).
    pub precision: Option<u8>,
}

/// The float conversions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FloatStyle {
    /// `%e`: `d.ddde+XX`.
    Exponent,
    /// `%f`: `ddd.ddd`.
    Fixed,
    /// `%g`: `%e` or `%f` depending on the exponent, without trailing zeros.
    General,
    /// `%a`: hexadecimal `0x1.8p+3`.
    Hex,
}

/// The integer conversions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IntegerStyle {
    /// `%d` / `%i`.
    Signed,
    /// `%u`: the two's-complement bits as an unsigned number.
    Unsigned,
    /// `%o`.
    Octal,
    /// `%x` (lowercase) or `%X` (uppercase).
    Hex {
        /// Uppercase digits and `0X` prefix.
        uppercase: bool,
    },
}

/// Writes `x` as printf's `%e %f %g %a` (or `%E %G %A` when `uppercase`) would.
pub fn write_float_printf(
    spec: &PrintfSpec,
    style: FloatStyle,
    uppercase: bool,
    x: f64,
    out: &mut Vec<u8>,
) {
    let mut prefix = sign_prefix(spec, x.is_sign_negative()).to_vec();
    let magnitude = x.abs();
    if !magnitude.is_finite() {
        let word: &[u8] = match (magnitude.is_nan(), uppercase) {
            (true, false) => b"nan",
            (true, true) => b"NAN",
            (false, false) => b"inf",
            (false, true) => b"INF",
        };
        write_field(spec, &prefix, word, false, out);
        return;
    }
    let precision = spec.precision.map(usize::from);
    let mut body = match style {
        FloatStyle::Exponent => exponent_body(magnitude, precision.unwrap_or(6), spec.alternate),
        FloatStyle::Fixed => fixed_body(magnitude, precision.unwrap_or(6), spec.alternate),
        FloatStyle::General => general_body(magnitude, precision.unwrap_or(6), spec.alternate),
        FloatStyle::Hex => {
            prefix.extend_from_slice(b"0x");
            hex_body(magnitude, precision, spec.alternate)
        }
    };
    if uppercase {
        prefix.make_ascii_uppercase();
        body.make_ascii_uppercase();
    }
    write_field(spec, &prefix, &body, true, out);
}

/// Writes `i` as printf's `%d %u %o %x %X` with a 64-bit argument would.
pub fn write_integer_printf(spec: &PrintfSpec, style: IntegerStyle, i: i64, out: &mut Vec<u8>) {
    let (mut prefix, magnitude) = match style {
        IntegerStyle::Signed => (sign_prefix(spec, i < 0).to_vec(), i.unsigned_abs()),
        _ => (Vec::new(), i as u64),
    };
    let (base, uppercase) = match style {
        IntegerStyle::Signed | IntegerStyle::Unsigned => (10, false),
        IntegerStyle::Octal => (8, false),
        IntegerStyle::Hex { uppercase } => (16, uppercase),
    };
    let mut digits = Vec::new();
    // An explicit zero precision writes no digits at all for zero.
    if !(magnitude == 0 && spec.precision == Some(0)) {
        write_digits(magnitude, base, uppercase, &mut digits);
    }
    let minimum_digits = spec.precision.map_or(0, usize::from);
    if digits.len() < minimum_digits {
        let zeros = minimum_digits - digits.len();
        digits.splice(0..0, core::iter::repeat_n(b'0', zeros));
    }
    if spec.alternate {
        match style {
            IntegerStyle::Octal if digits.first() != Some(&b'0') => digits.insert(0, b'0'),
            IntegerStyle::Hex { uppercase } if magnitude != 0 => {
                prefix.extend_from_slice(if uppercase { b"0X" } else { b"0x" });
            }
            _ => {}
        }
    }
    write_field(spec, &prefix, &digits, spec.precision.is_none(), out);
}

/// Writes `text` padded to the field width (printf's `%s` and `%c`), truncated to the
/// precision when there is one.
pub fn write_padded_text(spec: &PrintfSpec, text: &[u8], out: &mut Vec<u8>) {
    let limit = spec.precision.map_or(text.len(), usize::from);
    let shown = text.get(..limit).unwrap_or(text);
    write_field(spec, &[], shown, false, out);
}

/// Writes the digits of `value` in `base` (2 to 16).
pub(crate) fn write_digits(value: u64, base: u64, uppercase: bool, out: &mut Vec<u8>) {
    let table: &[u8; 16] = if uppercase {
        b"0123456789ABCDEF"
    } else {
        b"0123456789abcdef"
    };
    // At most 64 digits (base 2); the clamp keeps the loop and the table lookup in bounds.
    let base = base.clamp(2, 16);
    let mut buffer = [0u8; 64];
    let mut start = buffer.len();
    let mut rest = value;
    loop {
        start -= 1;
        buffer[start] = table[(rest % base) as usize];
        rest /= base;
        if rest == 0 {
            break;
        }
    }
    out.extend_from_slice(&buffer[start..]);
}

fn sign_prefix(spec: &PrintfSpec, negative: bool) -> &'static [u8] {
    if negative {
        b"-"
    } else if spec.force_sign {
        b"+"
    } else if spec.space_sign {
        b" "
    } else {
        b""
    }
}

/// Lays out `prefix` (sign, `0x`) and `body` in the field: spaces on the right with `-`,
/// zeros between prefix and body with `0` (when `zeros_allowed`), else spaces on the left.
fn write_field(
    spec: &PrintfSpec,
    prefix: &[u8],
    body: &[u8],
    zeros_allowed: bool,
    out: &mut Vec<u8>,
) {
    let padding = usize::from(spec.width).saturating_sub(prefix.len() + body.len());
    let fill = |byte: u8, out: &mut Vec<u8>| out.extend(core::iter::repeat_n(byte, padding));
    if spec.left_justify {
        out.extend_from_slice(prefix);
        out.extend_from_slice(body);
        fill(b' ', out);
    } else if spec.zero_pad && zeros_allowed {
        out.extend_from_slice(prefix);
        fill(b'0', out);
        out.extend_from_slice(body);
    } else {
        fill(b' ', out);
        out.extend_from_slice(prefix);
        out.extend_from_slice(body);
    }
}

/// The correctly rounded decimal digits of a finite non-negative `x` with `fraction_digits`
/// digits after the first one, and the decimal exponent of the first digit.
fn scientific_digits(x: f64, fraction_digits: usize) -> (Vec<u8>, i32) {
    let text = format!("{x:.fraction_digits$e}");
    let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
    let digits = mantissa.bytes().filter(u8::is_ascii_digit).collect();
    (digits, exponent.parse().unwrap_or(0))
}

/// `%e` body: `d[.ddd]e±XX`.
fn exponent_body(x: f64, precision: usize, alternate: bool) -> Vec<u8> {
    let (digits, exponent) = scientific_digits(x, precision);
    let mut body = Vec::with_capacity(digits.len() + 6);
    let (first, fraction) = digits.split_at(1.min(digits.len()));
    body.extend_from_slice(first);
    if !fraction.is_empty() || alternate {
        body.push(b'.');
    }
    body.extend_from_slice(fraction);
    write_exponent(b'e', exponent, 2, &mut body);
    body
}

/// `%f` body: `ddd[.ddd]`.
fn fixed_body(x: f64, precision: usize, alternate: bool) -> Vec<u8> {
    let mut body = format!("{x:.precision$}").into_bytes();
    if precision == 0 && alternate {
        body.push(b'.');
    }
    body
}

/// `%g` body: `%e` style when the exponent is below -4 or at least the precision, else `%f`
/// style, with `precision` significant digits and trailing zeros removed unless `#`.
fn general_body(x: f64, precision: usize, alternate: bool) -> Vec<u8> {
    let significant = precision.max(1);
    let (_, exponent) = scientific_digits(x, significant - 1);
    let use_exponent = exponent < -4 || i64::from(exponent) >= significant as i64;
    let carried_out_of_fixed_style = alternate
        && i64::from(exponent) == significant as i64
        && rounding_reached_exponent(x, exponent);
    let mut body = if carried_out_of_fixed_style {
        // glibc quirk: when rounding carries `x` up to 10^precision, glibc switches from the
        // fixed style it first chose to the exponent style but keeps the fixed style's
        // (empty) fraction, printing "1.e+06" for `%#g` of 999999.5.
        exponent_body(x, 0, alternate)
    } else if use_exponent {
        exponent_body(x, significant - 1, alternate)
    } else {
        // Here -4 <= exponent < significant, so the fraction length is non-negative.
        let fraction_digits = (significant as i64 - 1 - i64::from(exponent)) as usize;
        fixed_body(x, fraction_digits, alternate)
    };
    if !alternate {
        remove_trailing_fraction_zeros(&mut body);
    }
    body
}

/// Whether the decimal exponent `rounded_exponent` of `x` after rounding is above the
/// exponent of its exact value (the rounding carried into a new leading digit).
fn rounding_reached_exponent(x: f64, rounded_exponent: i32) -> bool {
    // A double's exact decimal expansion has at most 767 significant digits, so with 800
    // digits the formatting does not round and its exponent is exact.
    let (_, exact_exponent) = scientific_digits(x, 800);
    exact_exponent < rounded_exponent
}

/// Removes trailing zeros of the fraction, and the point if nothing is left after it,
/// keeping an exponent suffix in place.
fn remove_trailing_fraction_zeros(body: &mut Vec<u8>) {
    let Some(point) = body.iter().position(|&b| b == b'.') else {
        return;
    };
    let fraction_end = body.iter().position(|&b| b == b'e').unwrap_or(body.len());
    let mut keep = fraction_end;
    while keep > point + 1 && body.get(keep - 1) == Some(&b'0') {
        keep -= 1;
    }
    if keep == point + 1 {
        keep = point;
    }
    body.drain(keep..fraction_end);
}

/// Writes `letter`, the exponent sign and at least `min_digits` exponent digits.
fn write_exponent(letter: u8, exponent: i32, min_digits: usize, out: &mut Vec<u8>) {
    out.push(letter);
    out.push(if exponent < 0 { b'-' } else { b'+' });
    let mut digits = Vec::new();
    write_digits(u64::from(exponent.unsigned_abs()), 10, false, &mut digits);
    out.extend(core::iter::repeat_n(
        b'0',
        min_digits.saturating_sub(digits.len()),
    ));
    out.extend_from_slice(&digits);
}

/// Number of hex digits in a double's fraction (52 bits).
const HEX_FRACTION_DIGITS: usize = 13;

/// `%a` body after `0x`, as glibc writes it: normal numbers as `1.hhhp±d`, subnormals as
/// `0.hhhp-1022`, zero as `0p+0`; without precision all significant hex digits, with a
/// precision rounded to nearest, ties to even (a carry may turn the leading 1 into 2).
fn hex_body(x: f64, precision: Option<usize>, alternate: bool) -> Vec<u8> {
    let bits = x.to_bits();
    let biased_exponent = ((bits >> 52) & 0x7ff) as i32;
    let fraction = bits & ((1u64 << 52) - 1);
    let (leading, exponent) = match (biased_exponent, fraction) {
        (0, 0) => (0u64, 0),
        (0, _) => (0, -1022),
        _ => (1, biased_exponent - 1023),
    };
    let full = (leading << 52) | fraction;
    let digit_count = precision.unwrap_or_else(|| significant_hex_digits(fraction));
    let (leading_digit, fraction_digits) = round_hex(full, digit_count);

    let mut body = Vec::with_capacity(digit_count + 10);
    write_digits(leading_digit, 16, false, &mut body);
    if digit_count > 0 || alternate {
        body.push(b'.');
    }
    let mut fraction_text = Vec::new();
    write_digits(fraction_digits, 16, false, &mut fraction_text);
    let shown = digit_count.min(HEX_FRACTION_DIGITS);
    body.extend(core::iter::repeat_n(
        b'0',
        shown.saturating_sub(fraction_text.len()),
    ));
    if shown > 0 {
        body.extend_from_slice(&fraction_text);
    }
    body.extend(core::iter::repeat_n(b'0', digit_count - shown));
    let mut exponent_text = Vec::new();
    write_exponent(b'p', exponent, 1, &mut exponent_text);
    body.extend_from_slice(&exponent_text);
    body
}

/// The number of hex fraction digits up to the last nonzero one.
fn significant_hex_digits(fraction: u64) -> usize {
    if fraction == 0 {
        0
    } else {
        HEX_FRACTION_DIGITS - (fraction.trailing_zeros() / 4) as usize
    }
}

/// Rounds `full` (leading digit above 52 fraction bits) to `digit_count` hex fraction digits;
/// returns the leading digit and the fraction digits as a number. Counts of 13 or more
/// need no rounding (the extra digits are zeros).
fn round_hex(full: u64, digit_count: usize) -> (u64, u64) {
    let dropped_digits = HEX_FRACTION_DIGITS.saturating_sub(digit_count);
    let dropped_bits = 4 * dropped_digits as u32;
    let kept_fraction_bits = 52 - dropped_bits;
    let mut kept = full >> dropped_bits;
    if dropped_bits > 0 {
        let half = 1u64 << (dropped_bits - 1);
        let remainder = full & ((half << 1) - 1);
        if remainder > half || (remainder == half && kept & 1 == 1) {
            kept += 1;
        }
    }
    (
        kept >> kept_fraction_bits,
        kept & ((1u64 << kept_fraction_bits) - 1),
    )
}
