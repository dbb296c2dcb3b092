//! Arithmetic whose Lua semantics differ from Rust's operators: floor division, modulo,
//! exponentiation and shifts. Addition, subtraction, multiplication and float division are
//! plain wrapping integer / IEEE float operations and need no helper.

use core::fmt;

/// An integer operation that Lua reports as a runtime error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArithmeticError {
    /// `n // 0` with integers.
    DivideByZero,
    /// `n % 0` with integers.
    ModuloByZero,
}

impl ArithmeticError {
    /// The error message exactly as PUC Lua raises it (without position information).
    pub fn message(self) -> &'static str {
        match self {
            ArithmeticError::DivideByZero => "attempt to divide by zero",
            ArithmeticError::ModuloByZero => "attempt to perform 'n%0'",
        }
    }
}

impl fmt::Display for ArithmeticError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

/// Integer floor division `a // b`: the quotient rounded towards minus infinity.
/// `i64::MIN // -1` wraps to `i64::MIN`, as in PUC.
#[inline]
pub fn integer_floor_divide(a: i64, b: i64) -> Result<i64, ArithmeticError> {
    if b == 0 {
        return Err(ArithmeticError::DivideByZero);
    }
    let quotient = a.wrapping_div(b);
    // Truncation rounded a negative non-integral quotient up: step down once.
    let needs_floor = (a ^ b) < 0 && quotient.wrapping_mul(b) != a;
    Ok(if needs_floor { quotient - 1 } else { quotient })
}

/// Integer modulo `a % b`: the remainder of floor division, with the sign of `b`.
/// `i64::MIN % -1` is 0.
#[inline]
pub fn integer_modulo(a: i64, b: i64) -> Result<i64, ArithmeticError> {
    if b == 0 {
        return Err(ArithmeticError::ModuloByZero);
    }
    let remainder = a.wrapping_rem(b);
    let signs_differ = remainder != 0 && (remainder ^ b) < 0;
    Ok(if signs_differ {
        remainder + b
    } else {
        remainder
    })
}

/// Float floor division `a // b` = `floor(a / b)`.
#[inline]
pub fn float_floor_divide(a: f64, b: f64) -> f64 {
    libm::floor(a / b)
}

/// Float modulo `a % b`: `fmod(a, b)`, moved into the sign of `b` when the signs differ
/// (so `5.5 % -2 == -0.5`, `-5 % math.huge == math.huge`, `x % 0 == nan`).
#[inline]
pub fn float_modulo(a: f64, b: f64) -> f64 {
    let remainder = libm::fmod(a, b);
    let signs_differ = if remainder > 0.0 {
        b < 0.0
    } else {
        remainder < 0.0 && b > 0.0
    };
    if signs_differ {
        remainder + b
    } else {
        remainder
    }
}

/// Exponentiation `a ^ b` (always a float operation). Squaring is a plain multiplication,
/// as in PUC.
#[inline]
pub fn float_power(a: f64, b: f64) -> f64 {
    if b == 2.0 {
        a * a
    } else {
        libm::pow(a, b)
    }
}

/// Logical shift `a << b`: a negative `b` shifts right, and shifts by 64 or more bits in
/// either direction give 0. Bits shifted in are zeros (no sign extension).
#[inline]
pub fn shift_left(a: i64, b: i64) -> i64 {
    let bits = a as u64;
    let shifted = if b < 0 {
        u32::try_from(b.unsigned_abs())
            .ok()
            .and_then(|n| bits.checked_shr(n))
    } else {
        u32::try_from(b).ok().and_then(|n| bits.checked_shl(n))
    };
    shifted.unwrap_or(0) as i64
}

/// Logical shift `a >> b`, that is `a << -b` (with `-b` wrapping like PUC's).
#[inline]
pub fn shift_right(a: i64, b: i64) -> i64 {
    shift_left(a, b.wrapping_neg())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_floor_division_matches_lua() {
        // Expected values from lua5.4.
        let cases = [
            (7, 2, 3),
            (-7, 2, -4),
            (7, -2, -4),
            (-7, -2, 3),
            (6, -3, -2),
            (0, -3, 0),
            (i64::MIN, -1, i64::MIN),
            (i64::MIN, 1, i64::MIN),
            (i64::MAX, -1, -i64::MAX),
            (i64::MIN, 2, -4611686018427387904),
            (i64::MIN, i64::MAX, -2),
            (i64::MAX, i64::MIN, -1),
        ];
        for (a, b, expected) in cases {
            assert_eq!(integer_floor_divide(a, b), Ok(expected), "{a} // {b}");
        }
        assert_eq!(
            integer_floor_divide(1, 0),
            Err(ArithmeticError::DivideByZero)
        );
    }

    #[test]
    fn integer_modulo_matches_lua() {
        let cases = [
            (7, 3, 1),
            (-7, 3, 2),
            (7, -3, -2),
            (-7, -3, -1),
            (6, -3, 0),
            (i64::MIN, -1, 0),
            (i64::MIN, i64::MAX, 9223372036854775806),
            (i64::MAX, i64::MIN, -1),
            (5, i64::MIN, -9223372036854775803),
        ];
        for (a, b, expected) in cases {
            assert_eq!(integer_modulo(a, b), Ok(expected), "{a} % {b}");
        }
        assert_eq!(integer_modulo(1, 0), Err(ArithmeticError::ModuloByZero));
        assert_eq!(
            ArithmeticError::ModuloByZero.message(),
            "attempt to perform 'n%0'"
        );
    }

    #[test]
    fn float_modulo_matches_lua() {
        let inf = f64::INFINITY;
        assert_eq!(float_modulo(5.5, 2.0), 1.5);
        assert_eq!(float_modulo(5.5, -2.0), -0.5);
        assert_eq!(float_modulo(-5.5, 2.0), 0.5);
        assert_eq!(float_modulo(-5.0, inf), inf);
        assert_eq!(float_modulo(5.0, inf), 5.0);
        assert_eq!(float_modulo(5.0, -inf), -inf);
        assert_eq!(float_modulo(-5.0, -inf), -5.0);
        assert!(float_modulo(5.0, 0.0).is_nan());
        assert!(float_modulo(inf, 2.0).is_nan());
        assert_eq!(float_modulo(-0.0, 2.0).to_bits(), (-0.0f64).to_bits());
        assert_eq!(float_modulo(4.0, -2.0).to_bits(), 0.0f64.to_bits());
    }

    #[test]
    fn float_floor_division_and_power() {
        assert_eq!(float_floor_divide(7.0, 2.0), 3.0);
        assert_eq!(float_floor_divide(-7.0, 2.0), -4.0);
        assert_eq!(float_floor_divide(1.0, 0.0), f64::INFINITY);
        assert_eq!(float_floor_divide(-1.0, 0.0), f64::NEG_INFINITY);
        assert!(float_floor_divide(0.0, 0.0).is_nan());
        assert_eq!(float_power(2.0, 10.0), 1024.0);
        assert_eq!(float_power(2.0, 0.5), core::f64::consts::SQRT_2);
        assert_eq!(float_power(-3.0, 2.0), 9.0);
        assert_eq!(float_power(0.0, -1.0), f64::INFINITY);
        assert_eq!(float_power(f64::NAN, 0.0), 1.0);
    }

    #[test]
    fn shifts_are_logical_and_saturate() {
        assert_eq!(shift_left(1, 63), i64::MIN);
        assert_eq!(shift_left(1, 64), 0);
        assert_eq!(shift_left(-1, -1), i64::MAX);
        assert_eq!(shift_right(-1, 1), i64::MAX);
        assert_eq!(shift_right(-1, 63), 1);
        assert_eq!(shift_right(-1, 64), 0);
        assert_eq!(shift_right(1, -3), 8);
        assert_eq!(shift_left(5, i64::MIN), 0);
        assert_eq!(shift_right(5, i64::MIN), 0);
        assert_eq!(shift_left(5, i64::MAX), 0);
        assert_eq!(shift_left(-1, 0), -1);
    }
}
