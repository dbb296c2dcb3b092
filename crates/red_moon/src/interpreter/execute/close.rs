//! Closures, upvalues and to-be-closed variables.

use super::call::Step;
use crate::interpreter::function::{FunctionProto, LuaClosure, Upvalue};
use crate::interpreter::heap::{ClosureId, UpvalueId};
use crate::interpreter::metamethod::Event;
use crate::interpreter::thread::ReturnTo;
use crate::interpreter::value::Value;
use crate::interpreter::vm::corrupt_heap;
use crate::interpreter::{LuaResult, Vm};
use std::rc::Rc;

impl Vm {
    #[inline]
    fn upvalue_id(&self, closure: ClosureId, index: u8) -> LuaResult<UpvalueId> {
        self.heap
            .closures
            .get(closure.0)
            .and_then(|c| c.upvalues.get(index as usize).copied())
            .ok_or_else(corrupt_heap)
    }

    #[inline]
    pub(crate) fn get_upvalue(&self, closure: ClosureId, index: u8) -> LuaResult<Value> {
        let id = self.upvalue_id(closure, index)?;
        self.read_upvalue(id)
    }

    /// The value of an upvalue cell (open cells read the owning thread's stack).
    #[inline]
    pub(crate) fn read_upvalue(&self, id: UpvalueId) -> LuaResult<Value> {
        match self.heap.upvalues.get(id.0).ok_or_else(corrupt_heap)? {
            Upvalue::Closed(v) => Ok(*v),
            Upvalue::Open { thread, slot } => {
                let stack = if *thread == self.current_thread {
                    &self.thread.stack
                } else {
                    &self
                        .heap
                        .threads
                        .get(thread.0)
                        .ok_or_else(corrupt_heap)?
                        .state
                        .stack
                };
                stack.get(*slot as usize).copied().ok_or_else(corrupt_heap)
            }
        }
    }

    pub(crate) fn write_upvalue(&mut self, id: UpvalueId, value: Value) -> LuaResult<()> {
        match *self.heap.upvalues.get(id.0).ok_or_else(corrupt_heap)? {
            Upvalue::Closed(_) => {
                if let Some(upvalue) = self.heap.upvalues.get_mut(id.0) {
                    *upvalue = Upvalue::Closed(value);
                }
                self.write_barrier_upvalue(id, value);
            }
            Upvalue::Open { thread, slot } => {
                let stack = if thread == self.current_thread {
                    &mut self.thread.stack
                } else {
                    &mut self
                        .heap
                        .threads
                        .get_mut(thread.0)
                        .ok_or_else(corrupt_heap)?
                        .state
                        .stack
                };
                *stack.get_mut(slot as usize).ok_or_else(corrupt_heap)? = value;
            }
        }
        Ok(())
    }

    /// `Closure`: instantiates child prototype `index` of the running function.
    pub(crate) fn new_closure(
        &mut self,
        parent: ClosureId,
        proto: &Rc<FunctionProto>,
        index: usize,
        base: usize,
    ) -> LuaResult<Value> {
        let child = proto.children.get(index).ok_or_else(corrupt_heap)?.clone();
        let mut upvalues = Vec::with_capacity(child.proto.upvalues.len());
        for descriptor in &child.proto.upvalues {
            let id = if descriptor.in_stack {
                self.find_upvalue(base + descriptor.index as usize)?
            } else {
                self.upvalue_id(parent, descriptor.index)?
            };
            upvalues.push(id);
        }
        self.check_memory(64)?;
        let closure = LuaClosure {
            proto: child,
            upvalues: upvalues.into(),
        };
        match self.heap.allocate_closure(closure) {
            Some(id) => Ok(Value::Closure(id)),
            None => Err(self.out_of_memory()),
        }
    }

    /// The open upvalue for stack slot `slot` of the running thread, created if needed.
    pub(crate) fn find_upvalue(&mut self, slot: usize) -> LuaResult<UpvalueId> {
        let slot = slot as u32;
        let open = &self.thread.open_upvalues;
        match open.binary_search_by_key(&slot, |&(s, _)| s) {
            Ok(i) => Ok(open[i].1),
            Err(i) => {
                let upvalue = Upvalue::Open {
                    thread: self.current_thread,
                    slot,
                };
                let id = self
                    .heap
                    .allocate_upvalue(upvalue)
                    .ok_or_else(|| self.out_of_memory_error())?;
                self.thread.open_upvalues.insert(i, (slot, id));
                Ok(id)
            }
        }
    }

    fn out_of_memory_error(&self) -> crate::interpreter::LuaError {
        crate::interpreter::LuaError::internal("not enough memory")
    }

    /// Closes every open upvalue at or above stack slot `level`: the value moves from the
    /// stack into the cell.
    pub(crate) fn close_upvalues(&mut self, level: usize) {
        while let Some(&(slot, id)) = self.thread.open_upvalues.last() {
            if (slot as usize) < level {
                break;
            }
            self.thread.open_upvalues.pop();
            let value = self
                .thread
                .stack
                .get(slot as usize)
                .copied()
                .unwrap_or(Value::Nil);
            if let Some(cell) = self.heap.upvalues.get_mut(id.0) {
                *cell = Upvalue::Closed(value);
            }
            self.write_barrier_upvalue(id, value);
        }
    }

    /// `ToBeClosed` (and the closing value of a generic `for`): registers the variable at
    /// `slot` unless it is false/nil; other values need a `__close` metamethod.
    pub(crate) fn mark_to_be_closed(&mut self, slot: usize, is_for_state: bool) -> LuaResult<()> {
        let value = self.thread.stack[slot];
        if !value.is_truthy() {
            return Ok(());
        }
        if self.metamethod(value, Event::Close).is_nil() {
            let name = if is_for_state {
                "(for state)".to_string()
            } else {
                self.local_name_at_slot(slot)
                    .unwrap_or_else(|| "?".to_string())
            };
            return Err(self.runtime_error(format!("variable '{name}' got a non-closable value")));
        }
        self.thread.to_be_closed.push(slot as u32);
        Ok(())
    }

    /// `Close`: closes upvalues and to-be-closed variables at or above `level`. A `__close`
    /// that is a Lua function returns `Reload`; the instruction then runs again to close the
    /// remaining variables.
    pub(crate) fn close_block(&mut self, level: usize, frame_top: usize) -> LuaResult<Step> {
        self.close_upvalues(level);
        self.close_to_be_closed(level, frame_top)
    }

    /// Calls `__close(value, nil)` for pending variables at or above `level`, newest first,
    /// placing each call at `call_slot`.
    pub(crate) fn close_to_be_closed(&mut self, level: usize, call_slot: usize) -> LuaResult<Step> {
        while let Some(&slot) = self.thread.to_be_closed.last() {
            if (slot as usize) < level {
                break;
            }
            self.thread.to_be_closed.pop();
            let value = self.thread.stack[slot as usize];
            let handler = self.metamethod(value, Event::Close);
            let step = self.call_metamethod(
                handler,
                &[value, Value::Nil],
                ReturnTo::RepeatInstruction,
                call_slot,
            )?;
            if step != Step::Same {
                return Ok(step);
            }
        }
        Ok(Step::Same)
    }

    /// Closes everything at or above `level` while an error propagates: `__close` handlers
    /// run as nested calls and receive the error; an error in a handler replaces it.
    pub(crate) fn close_for_error(&mut self, level: usize, mut error: Value) -> Value {
        self.close_upvalues(level);
        while let Some(&slot) = self.thread.to_be_closed.last() {
            if (slot as usize) < level {
                break;
            }
            self.thread.to_be_closed.pop();
            let value = self
                .thread
                .stack
                .get(slot as usize)
                .copied()
                .unwrap_or(Value::Nil);
            let handler = self.metamethod(value, Event::Close);
            // Keep the error rooted while the handler runs.
            self.gc_roots.push(error);
            let top = self.thread.top.max(slot as usize + 1);
            self.thread.top = top;
            let result = self.call_value(handler, &[value, error]);
            self.gc_roots.pop();
            if let Err(e) = result {
                error = self.error_value(e);
            }
        }
        error
    }
}
