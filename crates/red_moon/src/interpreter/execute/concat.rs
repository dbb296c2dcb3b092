//! The `..` operator over a range of registers, with `__concat` fallback.

use super::call::Step;
use crate::interpreter::metamethod::Event;
use crate::interpreter::thread::ReturnTo;
use crate::interpreter::value::Value;
use crate::interpreter::{LuaResult, Vm};

impl Vm {
    /// Concatenates `stack[first..end]` into `stack[first]`, right to left: runs of strings
    /// and numbers are joined at once; any other pair goes to `__concat` (whose call, if it
    /// is a Lua function, continues this concatenation when it returns).
    pub(crate) fn concat(
        &mut self,
        first: usize,
        mut end: usize,
        frame_top: usize,
    ) -> LuaResult<Step> {
        while end - first > 1 {
            let a = self.thread.stack[end - 2];
            let b = self.thread.stack[end - 1];
            if is_stringable(a) && is_stringable(b) {
                let mut start = end - 2;
                while start > first && is_stringable(self.thread.stack[start - 1]) {
                    start -= 1;
                }
                let joined = self.join_strings(start, end)?;
                self.thread.stack[start] = joined;
                end = start + 1;
                continue;
            }
            let mut handler = self.metamethod(a, Event::Concat);
            if handler.is_nil() {
                handler = self.metamethod(b, Event::Concat);
            }
            if handler.is_nil() {
                let culprit = if is_stringable(a) { end - 1 } else { end - 2 };
                return Err(self.concat_error(culprit));
            }
            let return_to = ReturnTo::Concat {
                slot: (end - 2) as u32,
                first: first as u32,
            };
            // When the handler is a native, `deliver` finishes the whole concatenation.
            return self.call_metamethod(handler, &[a, b], return_to, frame_top);
        }
        Ok(Step::Same)
    }

    /// Joins the strings and numbers in `stack[start..end]` into one new string.
    fn join_strings(&mut self, start: usize, end: usize) -> LuaResult<Value> {
        let mut buffer = std::mem::take(&mut self.scratch);
        buffer.clear();
        let mut total = 0usize;
        for i in start..end {
            match self.thread.stack[i] {
                Value::String(s) => total += self.string_bytes(s).len(),
                _ => total += 32,
            }
        }
        // Copying is work in proportion to the result: pay fuel for it (one unit per 16
        // bytes, like the string library) before checking memory and copying.
        // An emergency collection may run in `reserve_memory`: the operands must count as
        // live, so `top` covers them meanwhile (it may be lower after an earlier
        // allocating instruction).
        let saved_top = self.thread.top;
        self.thread.top = saved_top.max(end);
        let charged = self
            .charge_fuel((total / 16) as i64)
            .and_then(|()| self.reserve_memory(total));
        self.thread.top = saved_top;
        if let Err(error) = charged {
            self.scratch = buffer;
            return Err(error);
        }
        buffer.reserve(total);
        for i in start..end {
            match self.thread.stack[i] {
                Value::String(s) => buffer.extend_from_slice(self.heap.string(s).unwrap_or(b"")),
                number => write_number_value(number, &mut buffer),
            }
        }
        let result = self.new_string(&buffer);
        self.scratch = buffer;
        result
    }
}

/// Appends the `tostring` form of a number value (nothing for other values).
pub(crate) fn write_number_value(value: Value, out: &mut Vec<u8>) {
    match value {
        Value::Integer(i) => crate::numbers::write_integer(i, out),
        Value::Float(f) => crate::numbers::write_float(f, out),
        _ => {}
    }
}

#[inline]
fn is_stringable(v: Value) -> bool {
    matches!(v, Value::String(_) | Value::Integer(_) | Value::Float(_))
}
