//! Compile-time evaluation of operators on constants, with PUC 5.4's rules: arithmetic and
//! bitwise operators fold only on numbers, never when the operation could raise an error
//! (division by zero, bitwise operations on non-integral floats), and never when the result is
//! a NaN or a float zero (so that `-0.0` and `0/0` keep their runtime behaviour).
//!
//! The arithmetic itself is Lua's (wrapping integers, floor division and modulo, `pow` from
//! `libm` for determinism).

use super::ast::{BinaryOperator, Expr, ExprKind, UnaryOperator};
use crate::bytecode::Constant;

/// A number operand.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Number {
    Integer(i64),
    Float(f64),
}

impl Number {
    pub fn from_constant(constant: &Constant) -> Option<Self> {
        match *constant {
            Constant::Integer(value) => Some(Number::Integer(value)),
            Constant::Float(value) => Some(Number::Float(value)),
            _ => None,
        }
    }

    pub fn to_constant(self) -> Constant {
        match self {
            Number::Integer(value) => Constant::Integer(value),
            Number::Float(value) => Constant::Float(value),
        }
    }

    fn to_float(self) -> f64 {
        match self {
            Number::Integer(value) => value as f64,
            Number::Float(value) => value,
        }
    }

    /// The integer with the same value (floats must be integral and in range).
    fn to_integer(self) -> Option<i64> {
        match self {
            Number::Integer(value) => Some(value),
            Number::Float(value) => float_to_integer(value),
        }
    }

    fn is_zero(self) -> bool {
        match self {
            Number::Integer(value) => value == 0,
            Number::Float(value) => value == 0.0,
        }
    }
}

/// `value` as an integer if it has an exact integer representation.
pub fn float_to_integer(value: f64) -> Option<i64> {
    // -2^63 is representable; 2^63 is not an i64.
    const LIMIT: f64 = 9_223_372_036_854_775_808.0;
    if value.floor() == value && (-LIMIT..LIMIT).contains(&value) {
        Some(value as i64)
    } else {
        None
    }
}

/// Whether a constant counts as true in a condition.
pub fn is_truthy(constant: &Constant) -> bool {
    !matches!(constant, Constant::Nil | Constant::Boolean(false))
}

/// Folds a binary arithmetic or bitwise operator, or returns `None` when PUC would not fold.
pub fn fold_binary(operator: BinaryOperator, lhs: Number, rhs: Number) -> Option<Number> {
    use BinaryOperator::*;
    let result = match operator {
        BitwiseAnd | BitwiseOr | BitwiseXor | ShiftLeft | ShiftRight => {
            let (a, b) = (lhs.to_integer()?, rhs.to_integer()?);
            Number::Integer(match operator {
                BitwiseAnd => a & b,
                BitwiseOr => a | b,
                BitwiseXor => a ^ b,
                ShiftLeft => shift_left(a, b),
                _ => shift_left(a, b.wrapping_neg()),
            })
        }
        Divide | IntegerDivide | Modulo if rhs.is_zero() => return None,
        Divide => Number::Float(lhs.to_float() / rhs.to_float()),
        Power => Number::Float(power(lhs.to_float(), rhs.to_float())),
        Add | Subtract | Multiply | IntegerDivide | Modulo => match (lhs, rhs) {
            (Number::Integer(a), Number::Integer(b)) => {
                Number::Integer(integer_arithmetic(operator, a, b))
            }
            _ => Number::Float(float_arithmetic(operator, lhs.to_float(), rhs.to_float())),
        },
        _ => return None,
    };
    acceptable(result)
}

/// Folds unary minus or bitwise not (`not` is handled by the caller, `#` never folds).
pub fn fold_unary(operator: UnaryOperator, operand: Number) -> Option<Number> {
    let result = match (operator, operand) {
        (UnaryOperator::Minus, Number::Integer(value)) => Number::Integer(value.wrapping_neg()),
        (UnaryOperator::Minus, Number::Float(value)) => Number::Float(-value),
        (UnaryOperator::BitwiseNot, _) => Number::Integer(!operand.to_integer()?),
        _ => return None,
    };
    acceptable(result)
}

/// PUC folds neither NaN nor float zeros.
fn acceptable(result: Number) -> Option<Number> {
    match result {
        Number::Float(value) if value.is_nan() || value == 0.0 => None,
        _ => Some(result),
    }
}

/// Lua's `<<` on integers: shifts of 64 or more give 0, negative shifts go right (logical).
pub fn shift_left(value: i64, shift: i64) -> i64 {
    if shift <= -64 || shift >= 64 {
        0
    } else if shift < 0 {
        ((value as u64) >> (-shift)) as i64
    } else {
        ((value as u64) << shift) as i64
    }
}

fn integer_arithmetic(operator: BinaryOperator, a: i64, b: i64) -> i64 {
    match operator {
        BinaryOperator::Add => a.wrapping_add(b),
        BinaryOperator::Subtract => a.wrapping_sub(b),
        BinaryOperator::Multiply => a.wrapping_mul(b),
        BinaryOperator::IntegerDivide => floor_divide(a, b),
        _ => floor_modulo(a, b),
    }
}

/// Integer floor division (`b != 0`).
fn floor_divide(a: i64, b: i64) -> i64 {
    if b == -1 {
        return a.wrapping_neg();
    }
    let quotient = a / b;
    if (a ^ b) < 0 && a % b != 0 {
        quotient - 1
    } else {
        quotient
    }
}

/// Integer modulo with the sign of the divisor (`b != 0`).
fn floor_modulo(a: i64, b: i64) -> i64 {
    if b == -1 {
        return 0;
    }
    let remainder = a % b;
    if remainder != 0 && (remainder ^ b) < 0 {
        remainder + b
    } else {
        remainder
    }
}

fn float_arithmetic(operator: BinaryOperator, a: f64, b: f64) -> f64 {
    match operator {
        BinaryOperator::Add => a + b,
        BinaryOperator::Subtract => a - b,
        BinaryOperator::Multiply => a * b,
        BinaryOperator::IntegerDivide => (a / b).floor(),
        _ => float_modulo(a, b),
    }
}

/// Float modulo with the sign of the divisor.
fn float_modulo(a: f64, b: f64) -> f64 {
    let remainder = libm::fmod(a, b);
    if (remainder > 0.0 && b < 0.0) || (remainder < 0.0 && b > 0.0) {
        remainder + b
    } else {
        remainder
    }
}

/// `a ^ b` as Lua computes it (squares exactly).
fn power(a: f64, b: f64) -> f64 {
    if b == 2.0 {
        a * a
    } else {
        libm::pow(a, b)
    }
}

/// The value of `expression` if PUC treats it as a compile-time constant (which decides whether
/// a `<const>` local needs a register): literals, and operators that fold on constants. `and`
/// and `or` give their second operand when the first is a constant that lets it through.
pub fn constant_value(expression: &Expr) -> Option<Constant> {
    match &expression.kind {
        ExprKind::Nil => Some(Constant::Nil),
        ExprKind::True => Some(Constant::Boolean(true)),
        ExprKind::False => Some(Constant::Boolean(false)),
        ExprKind::Integer(value) => Some(Constant::Integer(*value)),
        ExprKind::Float(value) => Some(Constant::Float(*value)),
        ExprKind::String(value) => Some(Constant::String(value.clone())),
        ExprKind::Parenthesized(inner) => constant_value(inner),
        ExprKind::Unary(unary) => {
            let operand = constant_value(&unary.operand)?;
            if unary.operator == UnaryOperator::Not {
                return Some(Constant::Boolean(!is_truthy(&operand)));
            }
            let number = Number::from_constant(&operand)?;
            fold_unary(unary.operator, number).map(Number::to_constant)
        }
        ExprKind::Binary(chain) => {
            let mut accumulated = constant_value(&chain.first)?;
            for step in &chain.rest {
                accumulated = match step.operator {
                    BinaryOperator::And if is_truthy(&accumulated) => {
                        constant_value(&step.operand)?
                    }
                    BinaryOperator::Or if !is_truthy(&accumulated) => {
                        constant_value(&step.operand)?
                    }
                    BinaryOperator::And | BinaryOperator::Or => return None,
                    operator => {
                        let lhs = Number::from_constant(&accumulated)?;
                        let rhs = Number::from_constant(&constant_value(&step.operand)?)?;
                        fold_binary(operator, lhs, rhs)?.to_constant()
                    }
                };
            }
            Some(accumulated)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use BinaryOperator::*;
    use Number::{Float, Integer};

    #[test]
    fn integer_operations_wrap_and_floor() {
        assert_eq!(
            fold_binary(Add, Integer(i64::MAX), Integer(1)),
            Some(Integer(i64::MIN))
        );
        assert_eq!(
            fold_binary(IntegerDivide, Integer(7), Integer(-2)),
            Some(Integer(-4))
        );
        assert_eq!(
            fold_binary(Modulo, Integer(-7), Integer(3)),
            Some(Integer(2))
        );
        assert_eq!(
            fold_binary(Modulo, Integer(7), Integer(-3)),
            Some(Integer(-2))
        );
        assert_eq!(
            fold_binary(IntegerDivide, Integer(i64::MIN), Integer(-1)),
            Some(Integer(i64::MIN))
        );
        assert_eq!(
            fold_binary(Modulo, Integer(i64::MIN), Integer(-1)),
            Some(Integer(0))
        );
    }

    #[test]
    fn never_folds_errors_nan_or_zero() {
        assert_eq!(fold_binary(IntegerDivide, Integer(1), Integer(0)), None);
        assert_eq!(fold_binary(Modulo, Integer(1), Integer(0)), None);
        assert_eq!(fold_binary(Divide, Integer(1), Float(-0.0)), None);
        assert_eq!(fold_binary(BitwiseAnd, Float(1.5), Integer(1)), None);
        assert_eq!(fold_binary(Subtract, Float(1.0), Float(1.0)), None);
        assert_eq!(fold_binary(Multiply, Integer(0), Float(5.0)), None);
        assert_eq!(fold_unary(UnaryOperator::Minus, Float(0.0)), None);
        assert_eq!(
            fold_binary(Subtract, Integer(1), Integer(1)),
            Some(Integer(0))
        );
    }

    #[test]
    fn floats_and_conversions() {
        assert_eq!(
            fold_binary(Divide, Integer(1), Integer(2)),
            Some(Float(0.5))
        );
        assert_eq!(
            fold_binary(Power, Integer(2), Integer(10)),
            Some(Float(1024.0))
        );
        assert_eq!(
            fold_binary(BitwiseOr, Float(2.0), Integer(1)),
            Some(Integer(3))
        );
        assert_eq!(
            fold_binary(Modulo, Float(5.5), Integer(-2)),
            Some(Float(-0.5))
        );
        assert_eq!(
            fold_binary(IntegerDivide, Float(7.0), Integer(2)),
            Some(Float(3.0))
        );
        assert_eq!(
            fold_unary(UnaryOperator::BitwiseNot, Float(0.0)),
            Some(Integer(-1))
        );
        assert_eq!(fold_binary(Divide, Integer(1), Integer(0)), None);
    }

    #[test]
    fn shifts() {
        assert_eq!(
            fold_binary(ShiftLeft, Integer(1), Integer(63)),
            Some(Integer(i64::MIN))
        );
        assert_eq!(
            fold_binary(ShiftLeft, Integer(1), Integer(64)),
            Some(Integer(0))
        );
        assert_eq!(
            fold_binary(ShiftRight, Integer(-1), Integer(60)),
            Some(Integer(15))
        );
        assert_eq!(
            fold_binary(ShiftRight, Integer(1), Integer(-2)),
            Some(Integer(4))
        );
        assert_eq!(
            fold_binary(ShiftRight, Integer(1), Integer(i64::MIN)),
            Some(Integer(0))
        );
    }
}
