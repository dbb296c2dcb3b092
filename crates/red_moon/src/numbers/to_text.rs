//! Number to text conversion exactly as Lua's `tostring` (`lua_Number2str` and
//! `lua_Integer2str` plus the `.0` rule).

use super::printf::{write_digits, write_float_printf, FloatStyle, PrintfSpec};
use super::Number;

/// Significant digits of `tostring` for floats (`LUAI_NUMFFORMAT` is `%.14g`).
const FLOAT_TOSTRING_PRECISION: u8 = 14;

/// Appends the decimal text of an integer (`%lld`).
pub fn write_integer(i: i64, out: &mut Vec<u8>) {
    if i < 0 {
        out.push(b'-');
    }
    write_digits(i.unsigned_abs(), 10, false, out);
}

/// Appends a float as Lua's `tostring` does: `%.14g`, plus `.0` when the result would read
/// back as an integer (`1.0`, `-0.0`, `1e+15` stays as is, `inf`, `-inf`, `nan`, `-nan` by
/// the sign bit, as glibc prints them).
pub fn write_float(f: f64, out: &mut Vec<u8>) {
    let start = out.len();
    let spec = PrintfSpec {
        precision: Some(FLOAT_TOSTRING_PRECISION),
        ..PrintfSpec::default()
    };
    write_float_printf(&spec, FloatStyle::General, false, f, out);
    let written = out.get(start..).unwrap_or_default();
    if written.iter().all(|b| b"-0123456789".contains(b)) {
        out.extend_from_slice(b".0");
    }
}

/// Appends a number as Lua's `tostring` does.
pub fn write_number(n: Number, out: &mut Vec<u8>) {
    match n {
        Number::Integer(i) => write_integer(i, out),
        Number::Float(f) => write_float(f, out),
    }
}

/// The text of a number as Lua's `tostring` (and string coercion in `..`) produces it.
pub fn number_to_string(n: Number) -> Vec<u8> {
    let mut out = Vec::new();
    write_number(n, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn float_text(f: f64) -> String {
        let mut out = Vec::new();
        write_float(f, &mut out);
        String::from_utf8(out).unwrap_or_default()
    }

    #[test]
    fn integers() {
        for (i, text) in [
            (0, "0"),
            (-1, "-1"),
            (100, "100"),
            (i64::MIN, "-9223372036854775808"),
            (i64::MAX, "9223372036854775807"),
            (123456789012345678, "123456789012345678"),
        ] {
            assert_eq!(number_to_string(Number::Integer(i)), text.as_bytes());
        }
    }

    #[test]
    fn floats_match_lua_tostring() {
        // print(...) output of lua5.4 on x86-64 Linux.
        let neg_nan = f64::from_bits(0xfff8_0000_0000_0000);
        let cases: &[(f64, &str)] = &[
            (0.1, "0.1"),
            (1.0 / 3.0, "0.33333333333333"),
            (100.0, "100.0"),
            (9007199254740992.0, "9.007199254741e+15"),
            (9223372036854775808.0, "9.2233720368548e+18"),
            (-9223372036854775808.0, "-9.2233720368548e+18"),
            (1e100, "1e+100"),
            (5e-324, "4.9406564584125e-324"),
            (neg_nan, "-nan"),
            (-neg_nan, "nan"),
            (f64::INFINITY, "inf"),
            (f64::NEG_INFINITY, "-inf"),
            (-0.0, "-0.0"),
            (0.0, "0.0"),
            (1e15, "1e+15"),
            (1e16, "1e+16"),
            (1e14, "1e+14"),
            (123456789012345.0, "1.2345678901234e+14"),
            (12345678901234.0, "12345678901234.0"),
            (1e-5, "1e-05"),
            (0.0001, "0.0001"),
            (-1.5, "-1.5"),
            (2.5, "2.5"),
            (1e300 * 10.0, "1e+301"),
            (f64::MAX, "1.7976931348623e+308"),
            (f64::MIN_POSITIVE, "2.2250738585072e-308"),
            (1.2345678901234567, "1.2345678901235"),
            (0.999999999999999, "1.0"),
            (99999999999999.5, "1e+14"),
            (-123.456, "-123.456"),
            (1e-300, "1e-300"),
            (123e-310, "1.23e-308"),
        ];
        for &(f, text) in cases {
            assert_eq!(float_text(f), text, "{f:e}");
        }
    }
}
