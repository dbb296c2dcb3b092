//! Lua 5.4 number semantics, independent of the interpreter.
//!
//! Everything here behaves exactly like PUC-Rio Lua 5.4.4 on x86-64 Linux (glibc): converting
//! numbers to text ([`write_float`], [`write_integer`], the printf engine in [`printf`]),
//! converting text to numbers ([`parse_number`], [`parse_integer_in_base`]), the arithmetic
//! operators whose semantics are not plain Rust operators ([`arithmetic`]), float/integer
//! conversions ([`float_to_integer`]) and exact mixed comparisons ([`compare`]).
//!
//! All functions are pure and total: no input makes them panic.

pub mod arithmetic;
pub mod compare;
mod convert;
mod hex_float;
mod parse;
pub mod printf;
#[cfg(test)]
mod printf_tests;
mod to_text;

pub use arithmetic::{
    float_floor_divide, float_modulo, float_power, integer_floor_divide, integer_modulo,
    shift_left, shift_right, ArithmeticError,
};
pub use compare::{
    eq_int_float, le_float_int, le_int_float, lt_float_int, lt_int_float, numbers_equal,
    numbers_less_equal, numbers_less_than,
};
pub use convert::{
    float_fits_integer, float_to_integer, float_to_integer_exact, FloatToIntegerMode,
};
pub use parse::{parse_integer_in_base, parse_number};
pub use to_text::{number_to_string, write_float, write_integer, write_number};

/// A Lua number: the two subtypes of the `number` type.
///
/// The derived `PartialEq` is structural (`Integer(1) != Float(1.0)`, `NaN != NaN`); use
/// [`numbers_equal`] for Lua's `==`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Number {
    /// A 64-bit two's-complement integer (`math.type` "integer").
    Integer(i64),
    /// An IEEE 754 double (`math.type` "float").
    Float(f64),
}

impl Number {
    /// The value as a float, as Lua converts integers for float operations (round to nearest).
    pub fn to_float(self) -> f64 {
        match self {
            Number::Integer(i) => i as f64,
            Number::Float(f) => f,
        }
    }

    /// The value as an integer when it has an exact integer representation (Lua's
    /// `lua_tointeger` without string coercion): integers as they are, floats only when
    /// integral and in range.
    pub fn to_integer_exact(self) -> Option<i64> {
        match self {
            Number::Integer(i) => Some(i),
            Number::Float(f) => float_to_integer(f, FloatToIntegerMode::Exact),
        }
    }
}
