//! Float to integer conversions (PUC's `luaV_flttointns` and its rounding modes).

/// `2^63` as a float: the first float above the integer range. `-2^63` is `-TWO_POW_63`.
const TWO_POW_63: f64 = 9_223_372_036_854_775_808.0;

/// How [`float_to_integer`] treats floats that are not integral.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FloatToIntegerMode {
    /// Only integral floats convert (`F2Ieq`); `3.5` fails.
    Exact,
    /// Round towards minus infinity first (`F2Ifloor`); `3.5` gives 3.
    Floor,
    /// Round towards plus infinity first (`F2Iceil`); `3.5` gives 4.
    Ceil,
}

/// Converts a float to an integer, rounding according to `mode`; `None` when the (rounded)
/// value is outside the integer range, or is NaN, or is not integral in `Exact` mode.
pub fn float_to_integer(f: f64, mode: FloatToIntegerMode) -> Option<i64> {
    let floor = libm::floor(f);
    let rounded = if floor == f {
        f
    } else {
        match mode {
            FloatToIntegerMode::Exact => return None,
            FloatToIntegerMode::Floor => floor,
            FloatToIntegerMode::Ceil => floor + 1.0,
        }
    };
    integral_float_to_integer(rounded)
}

/// The integer equal to `f`, if `f` is integral and in range: the hot-path form of
/// `float_to_integer(f, FloatToIntegerMode::Exact)` (table keys, equality).
#[inline]
pub fn float_to_integer_exact(f: f64) -> Option<i64> {
    // The range test comes first: `as` saturates, so out-of-range values must not reach it.
    if (-9223372036854775808.0..9223372036854775808.0).contains(&f) {
        let i = f as i64;
        if i as f64 == f {
            return Some(i);
        }
    }
    None
}

/// Whether `f` has an exact integer representation (integral and within `[-2^63, 2^63)`).
pub fn float_fits_integer(f: f64) -> bool {
    float_to_integer(f, FloatToIntegerMode::Exact).is_some()
}

/// Converts an integral float to an integer when it is in range. The comparisons are false
/// for NaN, so NaN is rejected too.
fn integral_float_to_integer(f: f64) -> Option<i64> {
    if (-TWO_POW_63..TWO_POW_63).contains(&f) {
        // In range and integral, so the cast is exact.
        Some(f as i64)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::FloatToIntegerMode::{Ceil, Exact, Floor};
    use super::*;

    #[test]
    fn exact_mode_accepts_only_integral_floats_in_range() {
        assert_eq!(float_to_integer(3.0, Exact), Some(3));
        assert_eq!(float_to_integer(-0.0, Exact), Some(0));
        assert_eq!(float_to_integer(3.5, Exact), None);
        assert_eq!(float_to_integer(-TWO_POW_63, Exact), Some(i64::MIN));
        assert_eq!(float_to_integer(TWO_POW_63, Exact), None);
        assert_eq!(
            float_to_integer(9007199254740993.0, Exact),
            Some(9007199254740992)
        );
        assert_eq!(float_to_integer(f64::NAN, Exact), None);
        assert_eq!(float_to_integer(f64::INFINITY, Exact), None);
        assert_eq!(float_to_integer(f64::NEG_INFINITY, Floor), None);
        assert_eq!(
            float_to_integer(9223372036854774784.0, Exact),
            Some(9223372036854774784)
        );
    }

    #[test]
    fn floor_and_ceil_round_before_converting() {
        assert_eq!(float_to_integer(3.5, Floor), Some(3));
        assert_eq!(float_to_integer(3.5, Ceil), Some(4));
        assert_eq!(float_to_integer(-3.5, Floor), Some(-4));
        assert_eq!(float_to_integer(-3.5, Ceil), Some(-3));
        assert_eq!(float_to_integer(-0.5, Ceil), Some(0));
        assert_eq!(float_to_integer(5e-324, Ceil), Some(1));
        assert_eq!(float_to_integer(-TWO_POW_63 - 2048.0, Ceil), None);
        assert_eq!(float_to_integer(f64::NAN, Ceil), None);
    }

    #[test]
    fn fits_integer() {
        assert!(float_fits_integer(1e18));
        assert!(!float_fits_integer(1e19));
        assert!(!float_fits_integer(0.1));
    }
}
