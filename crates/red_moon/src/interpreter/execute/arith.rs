//! Arithmetic and bitwise operators: number semantics and the metamethod fallback.
//!
//! The VM itself never converts strings for arithmetic: as in PUC 5.4, the string library's
//! metatable supplies `__add` & co. for that.

use super::call::Step;
use crate::interpreter::metamethod::Event;
use crate::interpreter::thread::ReturnTo;
use crate::interpreter::value::Value;
use crate::interpreter::{LuaResult, Vm};
use crate::numbers;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ArithOp {
    Add,
    Sub,
    Mul,
    Div,
    IDiv,
    Mod,
    Pow,
    BAnd,
    BOr,
    BXor,
    Shl,
    Shr,
    Unm,
    BNot,
}

impl ArithOp {
    pub(crate) fn event(self) -> Event {
        match self {
            ArithOp::Add => Event::Add,
            ArithOp::Sub => Event::Sub,
            ArithOp::Mul => Event::Mul,
            ArithOp::Div => Event::Div,
            ArithOp::IDiv => Event::IDiv,
            ArithOp::Mod => Event::Mod,
            ArithOp::Pow => Event::Pow,
            ArithOp::BAnd => Event::BAnd,
            ArithOp::BOr => Event::BOr,
            ArithOp::BXor => Event::BXor,
            ArithOp::Shl => Event::Shl,
            ArithOp::Shr => Event::Shr,
            ArithOp::Unm => Event::Unm,
            ArithOp::BNot => Event::BNot,
        }
    }

    pub(crate) fn is_bitwise(self) -> bool {
        matches!(
            self,
            ArithOp::BAnd
                | ArithOp::BOr
                | ArithOp::BXor
                | ArithOp::Shl
                | ArithOp::Shr
                | ArithOp::BNot
        )
    }

    /// The integer result for the operators that give integers directly (not `Div`,
    /// `Pow`, `IDiv`, `Mod`).
    #[inline]
    pub(crate) fn integers(self, a: i64, b: i64) -> i64 {
        match self {
            ArithOp::Add => a.wrapping_add(b),
            ArithOp::Sub => a.wrapping_sub(b),
            ArithOp::Mul => a.wrapping_mul(b),
            ArithOp::BAnd => a & b,
            ArithOp::BOr => a | b,
            ArithOp::BXor => a ^ b,
            ArithOp::Shl => numbers::shift_left(a, b),
            ArithOp::Shr => numbers::shift_right(a, b),
            ArithOp::Unm => a.wrapping_neg(),
            ArithOp::BNot => !a,
            ArithOp::Div | ArithOp::Pow | ArithOp::IDiv | ArithOp::Mod => 0,
        }
    }

    /// The float result (bitwise operators never reach here with floats).
    #[inline]
    pub(crate) fn floats(self, a: f64, b: f64) -> f64 {
        match self {
            ArithOp::Add => a + b,
            ArithOp::Sub => a - b,
            ArithOp::Mul => a * b,
            ArithOp::Div => a / b,
            ArithOp::Pow => numbers::float_power(a, b),
            ArithOp::IDiv => numbers::float_floor_divide(a, b),
            ArithOp::Mod => numbers::float_modulo(a, b),
            ArithOp::Unm => -a,
            _ => f64::NAN,
        }
    }
}

/// The interpreter's fast path: the result for number operands when no error can occur
/// (`None` sends the operation to `arith_slow`). `op` is a constant at every call site, so
/// this folds to the code of one operator.
///
/// The operands are references into the registers on purpose: matching through a reference
/// reads the tag and the payload separately, which the processor can forward from the two
/// separate stores that wrote the register (a 16-byte copy of the whole value could not be
/// forwarded and would stall on every dependent operation).
#[inline(always)]
pub(crate) fn arith_fast(op: ArithOp, a: &Value, b: &Value) -> Option<Value> {
    match (a, b) {
        (&Value::Integer(x), &Value::Integer(y)) => match op {
            ArithOp::IDiv => match y {
                0 => None,
                -1 => Some(Value::Integer(x.wrapping_neg())),
                _ => {
                    let q = x / y;
                    Some(Value::Integer(if (x % y != 0) && ((x ^ y) < 0) {
                        q - 1
                    } else {
                        q
                    }))
                }
            },
            ArithOp::Mod => match y {
                0 => None,
                -1 => Some(Value::Integer(0)),
                _ => {
                    let r = x % y;
                    Some(Value::Integer(if r != 0 && (r ^ y) < 0 {
                        r + y
                    } else {
                        r
                    }))
                }
            },
            ArithOp::Div | ArithOp::Pow => Some(Value::Float(op.floats(x as f64, y as f64))),
            _ => Some(Value::Integer(op.integers(x, y))),
        },
        _ if op.is_bitwise() => None,
        (&Value::Float(x), &Value::Float(y)) => Some(Value::Float(op.floats(x, y))),
        (&Value::Integer(x), &Value::Float(y)) => Some(Value::Float(op.floats(x as f64, y))),
        (&Value::Float(x), &Value::Integer(y)) => Some(Value::Float(op.floats(x, y as f64))),
        _ => None,
    }
}

/// The result of applying an operator to two values that are numbers (no metamethods).
pub(crate) enum NumericResult {
    Value(Value),
    /// Operands are not (convertible) numbers: try metamethods.
    NotNumbers,
    /// An error message (division by zero, no integer representation).
    Error(&'static str),
}

/// Number semantics of `op` (strings are not numbers here).
pub(crate) fn arith_numbers(op: ArithOp, a: Value, b: Value) -> NumericResult {
    if op.is_bitwise() {
        let (Some(x), Some(y)) = (to_integer_for_bitwise(a), to_integer_for_bitwise(b)) else {
            let both_numbers = a.as_float().is_some() && b.as_float().is_some();
            return if both_numbers {
                NumericResult::Error("number has no integer representation")
            } else {
                NumericResult::NotNumbers
            };
        };
        return NumericResult::Value(Value::Integer(op.integers(x, y)));
    }
    match (a, b) {
        (Value::Integer(x), Value::Integer(y)) => match op {
            ArithOp::IDiv => match numbers::integer_floor_divide(x, y) {
                Ok(v) => NumericResult::Value(Value::Integer(v)),
                Err(e) => NumericResult::Error(e.message()),
            },
            ArithOp::Mod => match numbers::integer_modulo(x, y) {
                Ok(v) => NumericResult::Value(Value::Integer(v)),
                Err(e) => NumericResult::Error(e.message()),
            },
            ArithOp::Div | ArithOp::Pow => {
                NumericResult::Value(Value::Float(op.floats(x as f64, y as f64)))
            }
            _ => NumericResult::Value(Value::Integer(op.integers(x, y))),
        },
        _ => match (a.as_float(), b.as_float()) {
            (Some(x), Some(y)) => NumericResult::Value(Value::Float(op.floats(x, y))),
            _ => NumericResult::NotNumbers,
        },
    }
}

/// Integer operand of a bitwise operator: integers, and floats with an exact integer value.
#[inline]
fn to_integer_for_bitwise(v: Value) -> Option<i64> {
    match v {
        Value::Integer(i) => Some(i),
        Value::Float(f) => numbers::float_to_integer_exact(f),
        _ => None,
    }
}

impl Vm {
    /// Arithmetic on non-fast-path operands: numbers with special cases, then metamethods,
    /// then PUC's error messages. The result goes where `return_to` says.
    pub(crate) fn arith_slow(
        &mut self,
        op: ArithOp,
        a: Value,
        b: Value,
        return_to: ReturnTo,
        frame_top: usize,
    ) -> LuaResult<Step> {
        match arith_numbers(op, a, b) {
            NumericResult::Value(v) => {
                self.store_result(return_to, v)?;
                Ok(Step::Same)
            }
            NumericResult::Error(_) if op.is_bitwise() => Err(self.arith_error(op, a, b)),
            NumericResult::Error(message) => Err(self.runtime_error(message)),
            NumericResult::NotNumbers => {
                let mut handler = self.metamethod(a, op.event());
                if handler.is_nil() {
                    handler = self.metamethod(b, op.event());
                }
                if handler.is_nil() {
                    return Err(self.arith_error(op, a, b));
                }
                self.call_metamethod(handler, &[a, b], return_to, frame_top)
            }
        }
    }

    /// Stores an immediately computed result the way `return_to` asks (only `Register` is
    /// used by instructions).
    pub(crate) fn store_result(&mut self, return_to: ReturnTo, value: Value) -> LuaResult<()> {
        if let ReturnTo::Register(register) = return_to {
            let base = self
                .thread
                .frames
                .last()
                .map(|f| f.base as usize)
                .unwrap_or(0);
            if let Some(slot) = self.thread.stack.get_mut(base + register as usize) {
                *slot = value;
            }
        }
        Ok(())
    }

    /// The error for an operator without applicable metamethod. PUC blames the first
    /// operand that is not a number (the second one if both are numbers).
    fn arith_error(&mut self, op: ArithOp, a: Value, b: Value) -> crate::interpreter::LuaError {
        let (culprit, operand) = if a.as_float().is_some() {
            (b, 1)
        } else {
            (a, 0)
        };
        if op.is_bitwise() {
            if a.as_float().is_some() && b.as_float().is_some() {
                // PUC names the operand that is not integral (the second if both are not).
                let operand = if to_integer_for_bitwise(b).is_none() {
                    1
                } else {
                    0
                };
                let info = self.operand_info(operand);
                return self.runtime_error(format!("number{info} has no integer representation"));
            }
            return self.operand_error(culprit, operand, "perform bitwise operation on");
        }
        self.operand_error(culprit, operand, "perform arithmetic on")
    }

    /// Applies an operator with full semantics from Rust code (natives, constant folding at
    /// run time): numbers, then metamethods through a nested call.
    pub(crate) fn arith_nested(&mut self, op: ArithOp, a: Value, b: Value) -> LuaResult<Value> {
        match arith_numbers(op, a, b) {
            NumericResult::Value(v) => Ok(v),
            NumericResult::Error(message) => Err(self.runtime_error(message)),
            NumericResult::NotNumbers => {
                let mut handler = self.metamethod(a, op.event());
                if handler.is_nil() {
                    handler = self.metamethod(b, op.event());
                }
                if handler.is_nil() {
                    return Err(self.arith_error(op, a, b));
                }
                self.call_value1(handler, &[a, b])
            }
        }
    }
}
