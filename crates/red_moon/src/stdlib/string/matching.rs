//! `string.find`, `match`, `gmatch` and `gsub` on top of the pattern engine.
//!
//! The engine's step budget is tied to the VM's fuel: each call may spend what is left
//! plus the overdraft, and what it used is charged afterwards.

use super::pattern::{self, Budget, Capture, Gmatch, Gsub, GsubStep, Match, PatternError};
use crate::interpreter::execute::FUEL_OVERDRAFT;
use crate::interpreter::native::{Args, Builtin, Outcome};
use crate::interpreter::value::Value;
use crate::interpreter::{LuaError, LuaResult, Vm};
use std::rc::Rc;

/// The iterator `string.gmatch` returns. Upvalues: subject, pattern, next start, end of the
/// last match (or nil).
pub(crate) static GMATCH_ITERATOR: Builtin = Builtin {
    id: "string.gmatch.iterator",
    name: "for iterator",
    function: gmatch_step,
};

/// Fuel for starting one match (compiling the pattern, setting up captures): a `gsub` or
/// `gmatch` with an empty pattern matches at every position at little step cost each, but
/// each match costs far more than one instruction.
const MATCH_SETUP_FUEL: i64 = 8;

impl Vm {
    /// Steps a pattern operation may take: the remaining fuel plus what is left of the
    /// overdraft (nothing once a non-resumable call has spent it).
    fn pattern_budget(&self) -> Budget {
        let steps = self.remaining_fuel().saturating_add(FUEL_OVERDRAFT).max(0);
        Budget::new(steps as u64)
    }

    /// Charges the steps a pattern operation used and turns its errors into Lua errors.
    fn finish_pattern<T>(
        &mut self,
        budget: &Budget,
        result: Result<T, PatternError>,
    ) -> LuaResult<T> {
        self.charge_fuel((budget.used() as i64).saturating_add(MATCH_SETUP_FUEL))?;
        result.map_err(|error| match error {
            PatternError::BudgetExhausted => {
                self.error_message("fuel exhausted inside a non-resumable call")
            }
            other => self.library_error(other.to_string()),
        })
    }

    fn push_capture(&mut self, subject: &[u8], capture: Capture) -> LuaResult<()> {
        let value = match capture {
            Capture::Substring { start, end } => self.new_string(&subject[start..end])?,
            Capture::Position(offset) => Value::Integer(offset as i64 + 1),
        };
        self.push(value)
    }

    /// Pushes the capture values of a match; returns how many.
    fn push_captures(&mut self, subject: &[u8], found: &Match, for_find: bool) -> LuaResult<usize> {
        let values = if for_find {
            found.find_values()
        } else {
            found.values()
        };
        let values = values.map_err(|e| self.library_error(e.to_string()))?;
        for &capture in values.as_slice() {
            self.push_capture(subject, capture)?;
        }
        Ok(values.as_slice().len())
    }
}

fn find_or_match(vm: &mut Vm, args: Args, is_find: bool) -> LuaResult<Outcome> {
    let subject = vm.check_string(args, 1)?;
    let pattern = vm.check_string(args, 2)?;
    let init = vm.opt_integer(args, 3, 1)?;
    let start = pattern::init_offset(init, subject.len());
    if start > subject.len() {
        return vm.return1(Value::Nil);
    }
    let mut budget = vm.pattern_budget();
    let result = if is_find {
        let plain = vm.arg(args, 4).is_truthy();
        pattern::string_find(&subject, &pattern, start, plain, &mut budget)
    } else {
        pattern::string_match(&subject, &pattern, start, &mut budget)
    };
    let Some(found) = vm.finish_pattern(&budget, result)? else {
        return vm.return1(Value::Nil);
    };
    if is_find {
        vm.push(Value::Integer(found.start as i64 + 1))?;
        vm.push(Value::Integer(found.end as i64))?;
        let n = vm.push_captures(&subject, &found, true)?;
        Ok(Outcome::Return(n + 2))
    } else {
        let n = vm.push_captures(&subject, &found, false)?;
        Ok(Outcome::Return(n))
    }
}

pub(crate) fn find(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    find_or_match(vm, args, true)
}

pub(crate) fn match_(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    find_or_match(vm, args, false)
}

pub(crate) fn gmatch(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let subject = vm.check_string_id(args, 1)?;
    let pattern = vm.check_string_id(args, 2)?;
    let length = vm.string_bytes(subject).len();
    let init = vm.opt_integer(args, 3, 1)?;
    let start = pattern::init_offset(init, length);
    let (next, last) = Gmatch::new(length, start).to_parts();
    let iterator = vm.new_native(
        &GMATCH_ITERATOR,
        vec![
            Value::String(subject),
            Value::String(pattern),
            Value::Integer(next as i64),
            last.map_or(Value::Nil, |l| Value::Integer(l as i64)),
        ],
    )?;
    vm.return1(iterator)
}

fn gmatch_step(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let upvalue = |i| vm.native_upvalue(args.callee, i);
    let (Value::String(subject), Value::String(pattern), Value::Integer(next)) =
        (upvalue(0), upvalue(1), upvalue(2))
    else {
        return Err(LuaError::internal("corrupted gmatch state"));
    };
    let last = match upvalue(3) {
        Value::Integer(l) => Some(l as usize),
        _ => None,
    };
    let subject: Rc<[u8]> = vm.shared_string(subject);
    let pattern: Rc<[u8]> = vm.shared_string(pattern);
    let mut state = Gmatch::from_parts(next as usize, last);
    let mut budget = vm.pattern_budget();
    let result = state.next_match(&subject, &pattern, &mut budget);
    let found = vm.finish_pattern(&budget, result)?;
    let (next, last) = state.to_parts();
    if let Some(native) = vm.heap.natives.get_mut(args.callee.0) {
        if let Some(slot) = native.upvalues.get_mut(2) {
            *slot = Value::Integer(next as i64);
        }
        if let Some(slot) = native.upvalues.get_mut(3) {
            *slot = last.map_or(Value::Nil, |l| Value::Integer(l as i64));
        }
    }
    match found {
        Some(found) => {
            let n = vm.push_captures(&subject, &found, false)?;
            Ok(Outcome::Return(n))
        }
        None => Ok(Outcome::Return(0)),
    }
}

pub(crate) fn gsub(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let subject = vm.check_string(args, 1)?;
    let pattern = vm.check_string(args, 2)?;
    let replacement = vm.arg(args, 3);
    let max = if vm.arg(args, 4).is_nil() {
        None
    } else {
        Some(vm.check_integer(args, 4)?)
    };
    let replacement_text = match replacement {
        Value::String(_) | Value::Integer(_) | Value::Float(_) => Some(vm.check_string(args, 3)?),
        Value::Table(_) | Value::Closure(_) | Value::Native(_) => None,
        _ => return Err(vm.type_error(args, 3, "string/function/table")),
    };
    let mut state = Gsub::new(subject.len(), &pattern, max);
    let mut out = Vec::new();
    loop {
        let mut budget = vm.pattern_budget();
        let step = state.next_step(&subject, &pattern, &mut budget);
        let step = vm.finish_pattern(&budget, step)?;
        match step {
            GsubStep::Finish { unchanged } => {
                out.extend_from_slice(&subject[unchanged]);
                break;
            }
            GsubStep::Replace { unchanged, found } => {
                out.extend_from_slice(&subject[unchanged]);
                match &replacement_text {
                    Some(text) => {
                        let result = pattern::expand_replacement(text, &subject, &found, &mut out);
                        result.map_err(|e| vm.library_error(e.to_string()))?;
                    }
                    None => {
                        let value = replacement_value(vm, replacement, &subject, &found)?;
                        append_replacement(vm, value, &subject[found.start..found.end], &mut out)?;
                    }
                }
                vm.reserve_memory(out.len())?;
            }
        }
    }
    vm.charge_fuel(out.len() as i64 / 16)?;
    let result = vm.new_string(&out)?;
    vm.return_values(&[result, Value::Integer(state.count())])
}

/// The value a table or function replacement gives for a match (first capture as key or
/// all captures as arguments).
fn replacement_value(
    vm: &mut Vm,
    replacement: Value,
    subject: &[u8],
    found: &Match,
) -> LuaResult<Value> {
    let base = vm.thread.top;
    let n = vm.push_captures(subject, found, false)?;
    let captures: Vec<Value> = vm.thread.stack[base..base + n].to_vec();
    vm.thread.top = base;
    if let Value::Table(_) = replacement {
        let key = captures.first().copied().unwrap_or(Value::Nil);
        vm.index_nested(replacement, key)
    } else {
        vm.call_value1(replacement, &captures)
    }
}

/// Appends a replacement value: false/nil keep the match, strings and numbers replace it.
fn append_replacement(
    vm: &mut Vm,
    value: Value,
    original: &[u8],
    out: &mut Vec<u8>,
) -> LuaResult<()> {
    match value {
        Value::Nil | Value::Boolean(false) => out.extend_from_slice(original),
        Value::String(s) => out.extend_from_slice(vm.string_bytes(s)),
        Value::Integer(_) | Value::Float(_) => {
            crate::interpreter::execute::write_number_value(value, out)
        }
        other => {
            return Err(vm.library_error(format!(
                "invalid replacement value (a {})",
                other.type_name()
            )));
        }
    }
    Ok(())
}
