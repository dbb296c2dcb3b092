//! Exact comparisons between integers and floats.
//!
//! Converting the integer to a float would round integers beyond 2^53, so each mixed
//! comparison instead rounds the float to an integer in the direction that preserves the
//! answer (`i < f` iff `i < ceil(f)`, `i <= f` iff `i <= floor(f)`). When that rounded float
//! is outside the integer range, the float is beyond every integer and its sign decides.
//! Every comparison with NaN is false.

use super::convert::{float_to_integer, FloatToIntegerMode};
use super::Number;

/// Integers in `[-2^53, 2^53]` convert to floats exactly, so they compare as floats.
const EXACT_FLOAT_LIMIT: i64 = 1 << 53;

fn converts_exactly(i: i64) -> bool {
    (-EXACT_FLOAT_LIMIT..=EXACT_FLOAT_LIMIT).contains(&i)
}

/// `i < f`.
pub fn lt_int_float(i: i64, f: f64) -> bool {
    if converts_exactly(i) {
        return (i as f64) < f;
    }
    match float_to_integer(f, FloatToIntegerMode::Ceil) {
        Some(ceil) => i < ceil,
        None => f > 0.0,
    }
}

/// `i <= f`.
pub fn le_int_float(i: i64, f: f64) -> bool {
    if converts_exactly(i) {
        return (i as f64) <= f;
    }
    match float_to_integer(f, FloatToIntegerMode::Floor) {
        Some(floor) => i <= floor,
        None => f > 0.0,
    }
}

/// `f < i`.
pub fn lt_float_int(f: f64, i: i64) -> bool {
    if converts_exactly(i) {
        return f < (i as f64);
    }
    match float_to_integer(f, FloatToIntegerMode::Floor) {
        Some(floor) => floor < i,
        None => f < 0.0,
    }
}

/// `f <= i`.
pub fn le_float_int(f: f64, i: i64) -> bool {
    if converts_exactly(i) {
        return f <= (i as f64);
    }
    match float_to_integer(f, FloatToIntegerMode::Ceil) {
        Some(ceil) => ceil <= i,
        None => f < 0.0,
    }
}

/// `i == f`: true only when `f` is integral, in range, and equal to `i`.
pub fn eq_int_float(i: i64, f: f64) -> bool {
    float_to_integer(f, FloatToIntegerMode::Exact) == Some(i)
}

/// Lua's `a < b` for two numbers.
pub fn numbers_less_than(a: Number, b: Number) -> bool {
    match (a, b) {
        (Number::Integer(x), Number::Integer(y)) => x < y,
        (Number::Integer(x), Number::Float(y)) => lt_int_float(x, y),
        (Number::Float(x), Number::Integer(y)) => lt_float_int(x, y),
        (Number::Float(x), Number::Float(y)) => x < y,
    }
}

/// Lua's `a <= b` for two numbers.
pub fn numbers_less_equal(a: Number, b: Number) -> bool {
    match (a, b) {
        (Number::Integer(x), Number::Integer(y)) => x <= y,
        (Number::Integer(x), Number::Float(y)) => le_int_float(x, y),
        (Number::Float(x), Number::Integer(y)) => le_float_int(x, y),
        (Number::Float(x), Number::Float(y)) => x <= y,
    }
}

/// Lua's `a == b` for two numbers (raw equality; numbers have no `__eq`).
pub fn numbers_equal(a: Number, b: Number) -> bool {
    match (a, b) {
        (Number::Integer(x), Number::Integer(y)) => x == y,
        (Number::Integer(x), Number::Float(y)) | (Number::Float(y), Number::Integer(x)) => {
            eq_int_float(x, y)
        }
        (Number::Float(x), Number::Float(y)) => x == y,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAX: i64 = i64::MAX;
    const MIN: i64 = i64::MIN;
    const TWO_63: f64 = 9223372036854775808.0;
    const INF: f64 = f64::INFINITY;

    /// (integer, float, i < f, i <= f, f < i, f <= i, i == f), from lua5.4.
    const CASES: &[(i64, f64, bool, bool, bool, bool, bool)] = &[
        (MAX, TWO_63, true, true, false, false, false),
        (MIN, -TWO_63, false, true, false, true, true),
        (MIN, TWO_63, true, true, false, false, false),
        (MAX, 9223372036854774784.0, false, false, true, true, false),
        (
            9223372036854774784,
            9223372036854774784.0,
            false,
            true,
            false,
            true,
            true,
        ),
        (
            9007199254740993,
            9007199254740992.0,
            false,
            false,
            true,
            true,
            false,
        ),
        (
            9007199254740993,
            9007199254740994.0,
            true,
            true,
            false,
            false,
            false,
        ),
        (
            -9007199254740993,
            -9007199254740992.0,
            true,
            true,
            false,
            false,
            false,
        ),
        (1, 1.5, true, true, false, false, false),
        (2, 1.5, false, false, true, true, false),
        (1, 1.0, false, true, false, true, true),
        (0, -0.0, false, true, false, true, true),
        (MAX, INF, true, true, false, false, false),
        (MIN, -INF, false, false, true, true, false),
        (MAX, f64::NAN, false, false, false, false, false),
        (0, f64::NAN, false, false, false, false, false),
        (MIN, -1e300, false, false, true, true, false),
        (MAX, 1e300, true, true, false, false, false),
        (
            MAX - 1,
            9_223_372_036_854_774_784.0,
            false,
            false,
            true,
            true,
            false,
        ),
    ];

    #[test]
    fn mixed_comparisons_are_exact() {
        for &(i, f, lt, le, flt, fle, eq) in CASES {
            assert_eq!(lt_int_float(i, f), lt, "{i} < {f}");
            assert_eq!(le_int_float(i, f), le, "{i} <= {f}");
            assert_eq!(lt_float_int(f, i), flt, "{f} < {i}");
            assert_eq!(le_float_int(f, i), fle, "{f} <= {i}");
            assert_eq!(eq_int_float(i, f), eq, "{i} == {f}");
            let (a, b) = (Number::Integer(i), Number::Float(f));
            assert_eq!(numbers_less_than(a, b), lt);
            assert_eq!(numbers_less_equal(b, a), fle);
            assert_eq!(numbers_equal(b, a), eq);
        }
    }

    #[test]
    fn same_subtype_comparisons() {
        assert!(numbers_less_than(
            Number::Integer(MIN),
            Number::Integer(MAX)
        ));
        assert!(!numbers_less_equal(
            Number::Float(f64::NAN),
            Number::Float(f64::NAN)
        ));
        assert!(numbers_equal(Number::Float(0.0), Number::Float(-0.0)));
    }
}
