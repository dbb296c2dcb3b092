//! Numeric `for` loops with Lua 5.4 semantics.
//!
//! Integer loops precompute an unsigned iteration count (stored in the limit's slot), so
//! they never overflow: `for i = math.maxinteger - 1, math.maxinteger` runs twice and stops.
//! Float loops compare against the limit each step. The step itself (`ForLoop`) is in the
//! interpreter loop.

use crate::interpreter::value::Value;
use crate::interpreter::{LuaResult, Vm};
use crate::numbers;

impl Vm {
    /// `ForPrep` at stack slot `slot` (init, limit, step, control). Returns whether the loop
    /// body runs at least once.
    pub(crate) fn for_prepare(&mut self, slot: usize) -> LuaResult<bool> {
        let init = self.thread.stack[slot];
        let limit = self.thread.stack[slot + 1];
        let step = self.thread.stack[slot + 2];
        if let (Value::Integer(init), Value::Integer(step)) = (init, step) {
            if step == 0 {
                return Err(self.runtime_error("'for' step is zero"));
            }
            let Some(limit) = self.for_integer_limit(init, limit, step)? else {
                return Ok(false);
            };
            // Unsigned iteration count, stored in place of the limit.
            let count = if step > 0 {
                let span = (limit as u64).wrapping_sub(init as u64);
                if step == 1 {
                    span
                } else {
                    span / step as u64
                }
            } else {
                let span = (init as u64).wrapping_sub(limit as u64);
                span / ((-(step + 1)) as u64 + 1)
            };
            self.thread.stack[slot + 1] = Value::Integer(count as i64);
            self.thread.stack[slot + 3] = Value::Integer(init);
            return Ok(true);
        }
        let init = self.for_number(init, "initial value")?;
        let limit = self.for_number(limit, "limit")?;
        let step = self.for_number(step, "step")?;
        if step == 0.0 {
            return Err(self.runtime_error("'for' step is zero"));
        }
        let runs = if step > 0.0 {
            init <= limit
        } else {
            limit <= init
        };
        if runs {
            self.thread.stack[slot] = Value::Float(init);
            self.thread.stack[slot + 1] = Value::Float(limit);
            self.thread.stack[slot + 2] = Value::Float(step);
            self.thread.stack[slot + 3] = Value::Float(init);
        }
        Ok(runs)
    }

    /// The integer limit of an integer loop, or `None` when the loop must not run.
    fn for_integer_limit(&mut self, init: i64, limit: Value, step: i64) -> LuaResult<Option<i64>> {
        let limit = match limit {
            Value::Integer(i) => i,
            other => {
                let f = self.for_number(other, "limit")?;
                if f.is_nan() {
                    return Ok(None);
                }
                // Round towards the loop direction, clipping to the integer range.
                let rounded = if step < 0 { f.ceil() } else { f.floor() };
                match numbers::float_to_integer_exact(rounded) {
                    Some(i) => i,
                    None if rounded > 0.0 => {
                        if step < 0 {
                            return Ok(None);
                        }
                        i64::MAX
                    }
                    None => {
                        if step > 0 {
                            return Ok(None);
                        }
                        i64::MIN
                    }
                }
            }
        };
        let skip = if step > 0 { init > limit } else { init < limit };
        Ok((!skip).then_some(limit))
    }

    /// Converts a `for` control value to a float (numbers and numeric strings).
    fn for_number(&mut self, value: Value, what: &str) -> LuaResult<f64> {
        match value {
            Value::Integer(i) => Ok(i as f64),
            Value::Float(f) => Ok(f),
            Value::String(s) => match crate::numbers::parse_number(self.string_bytes(s)) {
                Some(numbers::Number::Integer(i)) => Ok(i as f64),
                Some(numbers::Number::Float(f)) => Ok(f),
                None => Err(self.for_error(value, what)),
            },
            _ => Err(self.for_error(value, what)),
        }
    }

    fn for_error(&mut self, value: Value, what: &str) -> crate::interpreter::LuaError {
        let type_name = self.type_name_with_meta(value);
        self.runtime_error(format!(
            "bad 'for' {what} (number expected, got {type_name})"
        ))
    }
}
