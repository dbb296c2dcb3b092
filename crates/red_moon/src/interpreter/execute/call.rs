//! Calls and returns: pushing frames, calling natives, delivering results.

use super::Exit;
use crate::bytecode::Instruction;
use crate::interpreter::function::FunctionProto;
use crate::interpreter::heap::{ClosureId, NativeId};
use crate::interpreter::metamethod::Event;
use crate::interpreter::native::{Args, Continuation, NativeKind, Outcome};
use crate::interpreter::thread::{Frame, FrameKind, ReturnTo};
use crate::interpreter::value::Value;
use crate::interpreter::vm::corrupt_heap;
use crate::interpreter::{LuaError, LuaResult, Vm};
use std::rc::Rc;

use super::window::REGISTER_WINDOW;

/// Moves `count` values from `stack[first..]` down to `stack[dest..]` (`dest <= first`, both
/// ranges in bounds). Single results, the common case, skip `memmove`.
#[inline]
fn move_results(stack: &mut [Value], first: usize, count: usize, dest: usize) {
    if count == 1 {
        if let Some(&value) = stack.get(first) {
            if let Some(slot) = stack.get_mut(dest) {
                *slot = value;
            }
        }
    } else if count > 1 {
        stack.copy_within(first..first + count, dest);
    }
}

/// Where `leave_lua_call` returned to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Left {
    /// Nothing done: the general return path must run.
    No,
    /// The Lua frame below continues.
    ToCaller,
    /// A nested call (`ReturnTo::Nested`) is complete: `run` returns `Exit::Returned`.
    ToNested,
}

/// What the interpreter loop does after an operation that may have called something.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Step {
    /// The current Lua frame continues (any call already completed).
    Same,
    /// The frame stack changed: reload the top frame.
    Reload,
    /// Leave `run` (a nested boundary returned).
    Exit(Exit),
}

impl Vm {
    /// Calls the value in `stack[func]` with the `nargs` values above it. Lua functions get a
    /// new frame (`Step::Reload`); natives run to completion (or start a continuation).
    pub(crate) fn precall(
        &mut self,
        func: usize,
        nargs: usize,
        return_to: ReturnTo,
    ) -> LuaResult<Step> {
        let mut nargs = nargs;
        for _ in 0..=self.limits.metamethod_chain {
            match self.thread.stack.get(func).copied().unwrap_or(Value::Nil) {
                Value::Closure(closure) => {
                    self.push_lua_frame(func, nargs, closure, return_to)?;
                    return Ok(Step::Reload);
                }
                Value::Native(native) => return self.call_native(func, nargs, native, return_to),
                callee => {
                    let handler = self.metamethod(callee, Event::Call);
                    if handler.is_nil() {
                        return Err(self.call_error(callee, func));
                    }
                    // The called object becomes the first argument of its `__call`.
                    self.ensure_stack(func + nargs + 2)?;
                    self.thread
                        .stack
                        .copy_within(func..func + nargs + 1, func + 1);
                    self.thread.stack[func] = handler;
                    nargs += 1;
                }
            }
        }
        Err(self.runtime_error("'__call' chain too long; possibly a loop"))
    }

    pub(crate) fn push_lua_frame(
        &mut self,
        func: usize,
        nargs: usize,
        closure: ClosureId,
        return_to: ReturnTo,
    ) -> LuaResult<()> {
        let proto = &self
            .heap
            .closures
            .get(closure.0)
            .ok_or_else(corrupt_heap)?
            .proto
            .proto;
        let params = proto.param_count as usize;
        let max_stack = proto.max_stack_size as usize;
        let is_vararg = proto.is_vararg;
        if !is_vararg {
            let base = func + 1;
            self.ensure_stack(base + max_stack.max(nargs))?;
            self.reserve_register_window(base)?;
            for slot in &mut self.thread.stack[base + nargs.min(params)..base + params] {
                *slot = Value::Nil;
            }
            self.thread.frames.push(Frame {
                kind: FrameKind::Lua { closure, pc: 0 },
                func: func as u32,
                tail_call: false,
                base: base as u32,
                varargs: 0,
                return_to,
            });
        } else {
            // Layout: func, fixed args, extra args, then the frame's registers (fixed args
            // copied to the start). The extra args stay just below `base`.
            let actual = nargs.max(params);
            let base = func + 1 + actual;
            self.ensure_stack(base + max_stack.max(params))?;
            self.reserve_register_window(base)?;
            for slot in &mut self.thread.stack[func + 1 + nargs..func + 1 + actual] {
                *slot = Value::Nil;
            }
            self.thread
                .stack
                .copy_within(func + 1..func + 1 + params, base);
            self.thread.frames.push(Frame {
                kind: FrameKind::Lua { closure, pc: 0 },
                func: func as u32,
                tail_call: false,
                base: base as u32,
                varargs: (actual - params) as u32,
                return_to,
            });
        }
        if self.thread.frames.len() > self.limits.stack_slots / 4 {
            self.thread.frames.pop();
            return Err(self.runtime_error("stack overflow"));
        }
        if self.thread.hook.is_some() {
            self.call_hook_event(false)?;
        }
        Ok(())
    }

    /// The fast path of a Lua-to-Lua call from a `Call` instruction of the running frame
    /// (running `caller`, about to continue at `pc`): a non-vararg callee whose register
    /// window is already on the stack, no hooks. Records the caller's pc and pushes the
    /// callee's frame, returning the callee's prototype. Returns `None` (having changed
    /// nothing) when the general `precall` must handle it.
    #[inline(always)]
    pub(crate) fn enter_lua_call(
        &mut self,
        caller: ClosureId,
        pc: usize,
        callee: ClosureId,
        func: usize,
        nargs: usize,
        wanted: i32,
    ) -> Option<Rc<FunctionProto>> {
        let closure = self.heap.closures.get(callee.0)?;
        let proto = &closure.proto.proto;
        let state = &mut self.thread;
        let base = func + 1;
        // `base + REGISTER_WINDOW <= stack_slots` also keeps the frame's registers under the
        // logical stack limit (`max_stack_size < REGISTER_WINDOW`).
        let window_end = base + REGISTER_WINDOW;
        if proto.is_vararg
            || state.hook.is_some()
            || window_end > state.stack.len()
            || window_end > self.limits.stack_slots
            || state.frames.len() >= self.limits.stack_slots / 4
        {
            return None;
        }
        let params = proto.param_count as usize;
        if nargs < params {
            if let Some(missing) = state.stack.get_mut(base + nargs..base + params) {
                missing.fill(Value::Nil);
            }
        }
        if let Some(frame) = state.frames.last_mut() {
            frame.kind = FrameKind::Lua {
                closure: caller,
                pc: pc as u32,
            };
        }
        state.frames.push(Frame {
            kind: FrameKind::Lua {
                closure: callee,
                pc: 0,
            },
            func: func as u32,
            tail_call: false,
            base: base as u32,
            varargs: 0,
            return_to: ReturnTo::Caller { wanted },
        });
        Some(Rc::clone(&closure.proto))
    }

    /// The fast path of a return: nothing to close, no hooks, and the results go to a Lua
    /// caller's `Call` or to the Rust caller of a nested call. Returns `Left::No` (having
    /// changed nothing) when `return_from_lua` must handle it.
    #[inline(always)]
    pub(crate) fn leave_lua_call(&mut self, base: usize, first: usize, count: usize) -> Left {
        let state = &mut self.thread;
        if state.hook.is_some()
            || state
                .open_upvalues
                .last()
                .is_some_and(|&(slot, _)| slot as usize >= base)
            || state
                .to_be_closed
                .last()
                .is_some_and(|&slot| slot as usize >= base)
        {
            return Left::No;
        }
        let Some(frame) = state.frames.last() else {
            return Left::No;
        };
        let (wanted, left) = match frame.return_to {
            ReturnTo::Caller { wanted } => (wanted, Left::ToCaller),
            ReturnTo::Nested => (-1, Left::ToNested),
            _ => return Left::No,
        };
        let dest = frame.func as usize;
        // The caller's window (which holds `dest + wanted`) is on the stack; the results
        // are inside the callee's window.
        if first + count > state.stack.len() {
            return Left::No;
        }
        state.frames.pop();
        move_results(&mut state.stack, first, count, dest);
        if wanted < 0 {
            state.top = dest + count;
        } else if count < wanted as usize {
            if let Some(missing) = state.stack.get_mut(dest + count..dest + wanted as usize) {
                missing.fill(Value::Nil);
            }
        }
        left
    }

    /// Runs a native function. Its frame stays on the frame stack while it runs (tracebacks
    /// and argument errors name it) and, if it starts a continuation, until that ends.
    fn call_native(
        &mut self,
        func: usize,
        nargs: usize,
        native: NativeId,
        return_to: ReturnTo,
    ) -> LuaResult<Step> {
        let kind = match &self
            .heap
            .natives
            .get(native.0)
            .ok_or_else(corrupt_heap)?
            .kind
        {
            NativeKind::Builtin(builtin) => Callable::Builtin(builtin.function),
            NativeKind::Host(host) => Callable::Host(Rc::clone(&host.function)),
            NativeKind::Missing { tag } => {
                let message = match tag {
                    Some(tag) => format!("host function '{tag}' was not rehydrated"),
                    None => "host function was not rehydrated (it has no tag)".to_string(),
                };
                return Err(self.runtime_error(message));
            }
        };
        self.thread.frames.push(Frame {
            kind: FrameKind::Native { continuation: None },
            func: func as u32,
            tail_call: false,
            base: func as u32 + 1,
            varargs: 0,
            return_to,
        });
        self.thread.top = func + 1 + nargs;
        if self.thread.hook.is_some() {
            self.call_hook_event(false)?;
        }
        let args = Args {
            func,
            count: nargs,
            callee: native,
        };
        let outcome = match kind {
            Callable::Builtin(function) => function(self, args)?,
            Callable::Host(function) => function.call(self, args)?,
        };
        // Natives allocate freely; their results are on the stack, so collecting is safe.
        self.collect_garbage_if_needed()?;
        self.handle_outcome(outcome)
    }

    /// Acts on what a native (whose frame is on top) asked for.
    pub(crate) fn handle_outcome(&mut self, outcome: Outcome) -> LuaResult<Step> {
        match outcome {
            Outcome::Return(n) => {
                let top = self.thread.top;
                let first = top
                    .checked_sub(n)
                    .ok_or_else(|| LuaError::internal("native returned too many values"))?;
                self.return_from_frame(first, n)
            }
            Outcome::Call {
                nargs,
                continuation,
            } => {
                self.set_continuation(continuation)?;
                let func = self
                    .thread
                    .top
                    .checked_sub(nargs + 1)
                    .ok_or_else(|| LuaError::internal("native call without function"))?;
                self.enter_native_level()?;
                let step = self.precall(func, nargs, ReturnTo::Native);
                self.native_depth -= 1;
                step
            }
            Outcome::Yield(n) => self.yield_thread(n),
            Outcome::Resume {
                thread,
                nargs,
                continuation,
            } => {
                self.set_continuation(continuation)?;
                self.resume_thread(thread, nargs)
            }
        }
    }

    /// Direct native-to-native calls recurse on the Rust stack; bound them like PUC's C
    /// stack ("C stack overflow").
    pub(crate) fn enter_native_level(&mut self) -> LuaResult<()> {
        if self.native_depth >= self.limits.native_depth {
            return Err(self.runtime_error("C stack overflow"));
        }
        self.native_depth += 1;
        Ok(())
    }

    fn set_continuation(&mut self, continuation: Continuation) -> LuaResult<()> {
        match self.thread.frames.last_mut() {
            Some(Frame {
                kind: FrameKind::Native { continuation: c },
                ..
            }) => {
                *c = Some(continuation);
                Ok(())
            }
            _ => Err(LuaError::internal("continuation without native frame")),
        }
    }

    /// A `TailCall` instruction: replaces the running frame by the call.
    pub(crate) fn tail_call(&mut self, func: usize, nargs: usize) -> LuaResult<Step> {
        let frame = *self.thread.frames.last().ok_or_else(corrupt_heap)?;
        let callee = self.thread.stack.get(func).copied().unwrap_or(Value::Nil);
        if !matches!(callee, Value::Closure(_)) {
            // Natives and callable objects: an ordinary call whose results are returned.
            return self
                .precall(func, nargs, ReturnTo::Caller { wanted: -1 })
                .and_then(|step| {
                    match step {
                        // The native finished: return its results from this frame.
                        Step::Same => {
                            let top = self.thread.top;
                            self.return_from_lua(frame.base as usize, func, top - func)
                        }
                        // A Lua function (through `__call`) was pushed: it returns into this frame
                        // with all results, and the `Return` that follows `TailCall` returns them.
                        other => Ok(other),
                    }
                });
        }
        // Close upvalues of the frame being replaced, then move the call down to its slot.
        self.close_upvalues(frame.base as usize);
        let dest = frame.func as usize;
        self.thread.stack.copy_within(func..func + nargs + 1, dest);
        self.thread.frames.pop();
        let Value::Closure(closure) = callee else {
            return Err(corrupt_heap());
        };
        let hook = self.thread.hook.take();
        let pushed = self.push_lua_frame(dest, nargs, closure, frame.return_to);
        self.thread.hook = hook;
        pushed?;
        if let Some(top) = self.thread.frames.last_mut() {
            top.tail_call = true;
        }
        if self.thread.hook.is_some() {
            self.call_hook_event(true)?;
        }
        Ok(Step::Reload)
    }

    /// A `Return` instruction of the Lua frame whose registers start at `base`: closes what
    /// must be closed (calling `__close` handlers, after which the instruction runs again),
    /// then returns `count` values starting at `first`.
    pub(crate) fn return_from_lua(
        &mut self,
        base: usize,
        first: usize,
        count: usize,
    ) -> LuaResult<Step> {
        if self
            .thread
            .to_be_closed
            .last()
            .is_some_and(|&slot| slot as usize >= base)
        {
            // Keep the results below the `__close` calls; `top` marks their end so that a
            // re-executed variable-count `Return` finds them again.
            self.thread.top = first + count;
            let step = self.close_to_be_closed(base, first + count)?;
            if step != Step::Same {
                return Ok(step);
            }
        }
        self.close_upvalues(base);
        // The returning frame is gone, so the loop must reload whatever is on top now.
        match self.return_from_frame(first, count)? {
            Step::Same => Ok(Step::Reload),
            other => Ok(other),
        }
    }

    /// Pops the top frame and moves its `count` results from `first` to its function slot,
    /// then hands them to whoever waits for them.
    pub(crate) fn return_from_frame(&mut self, first: usize, count: usize) -> LuaResult<Step> {
        if self.thread.hook.is_some() {
            self.thread.top = self.thread.top.max(first + count);
            self.return_hook_event(first, count)?;
        }
        let frame = self.thread.frames.pop().ok_or_else(corrupt_heap)?;
        let dest = frame.func as usize;
        if first != dest {
            self.thread.stack.copy_within(first..first + count, dest);
        }
        if self.thread.hook.is_some() {
            self.hook_resume_caller();
        }
        self.deliver(frame.return_to, dest, count)
    }

    /// Hands `count` results at `dest` to the consumer named by `return_to`.
    pub(crate) fn deliver(
        &mut self,
        return_to: ReturnTo,
        dest: usize,
        count: usize,
    ) -> LuaResult<Step> {
        match return_to {
            ReturnTo::Caller { wanted } => {
                if wanted < 0 {
                    self.thread.top = dest + count;
                } else {
                    let wanted = wanted as usize;
                    if count < wanted {
                        self.ensure_stack(dest + wanted)?;
                        for slot in &mut self.thread.stack[dest + count..dest + wanted] {
                            *slot = Value::Nil;
                        }
                    }
                }
                Ok(Step::Same)
            }
            ReturnTo::Register(register) => {
                let value = self.first_result(dest, count);
                let caller = self.thread.frames.last().ok_or_else(corrupt_heap)?;
                let slot = caller.base as usize + register as usize;
                *self.thread.stack.get_mut(slot).ok_or_else(corrupt_heap)? = value;
                Ok(Step::Same)
            }
            ReturnTo::Condition { expect, negate } => {
                let value = self.first_result(dest, count);
                self.decide_jump(value.is_truthy() != negate, expect)?;
                Ok(Step::Same)
            }
            ReturnTo::Discard => {
                self.thread.top = dest;
                Ok(Step::Same)
            }
            ReturnTo::RepeatInstruction => {
                self.thread.top = dest;
                if let Some(Frame {
                    kind: FrameKind::Lua { pc, .. },
                    ..
                }) = self.thread.frames.last_mut()
                {
                    *pc = pc.saturating_sub(1);
                }
                Ok(Step::Same)
            }
            ReturnTo::Concat { slot, first } => {
                let value = self.first_result(dest, count);
                *self
                    .thread
                    .stack
                    .get_mut(slot as usize)
                    .ok_or_else(corrupt_heap)? = value;
                let frame_top = self.lua_frame_top()?;
                self.concat(first as usize, slot as usize + 1, frame_top)
            }
            ReturnTo::Native => self.continue_native(dest, count),
            ReturnTo::Nested => {
                self.thread.top = dest + count;
                Ok(Step::Exit(Exit::Returned))
            }
            ReturnTo::Resumer => self.finish_coroutine(dest, count),
        }
    }

    fn first_result(&self, dest: usize, count: usize) -> Value {
        if count > 0 {
            self.thread.stack.get(dest).copied().unwrap_or(Value::Nil)
        } else {
            Value::Nil
        }
    }

    /// For a comparison decided by a metamethod (or a slow path): the running Lua frame's
    /// saved pc points at the `Jmp` after the comparison; take it if `result == expect`.
    pub(crate) fn decide_jump(&mut self, result: bool, expect: bool) -> LuaResult<()> {
        let frame = self.thread.frames.last().ok_or_else(corrupt_heap)?;
        let FrameKind::Lua { closure, pc } = frame.kind else {
            return Err(corrupt_heap());
        };
        let proto = self.closure_proto(closure)?;
        let next = match (result == expect, proto.code().get(pc as usize)) {
            (true, Some(Instruction::Jmp { offset })) => (pc as i64 + 1 + *offset as i64) as u32,
            _ => pc + 1,
        };
        self.save_pc(next as usize);
        Ok(())
    }

    /// `base + max_stack_size` of the running Lua frame: where metamethod calls go.
    pub(crate) fn lua_frame_top(&self) -> LuaResult<usize> {
        let frame = self.thread.frames.last().ok_or_else(corrupt_heap)?;
        let FrameKind::Lua { closure, .. } = frame.kind else {
            return Err(corrupt_heap());
        };
        let closure = self.heap.closures.get(closure.0).ok_or_else(corrupt_heap)?;
        Ok(frame.base as usize + closure.proto.proto.max_stack_size as usize)
    }

    /// Runs the continuation of the native frame on top, which receives `count` results at
    /// `dest`.
    fn continue_native(&mut self, dest: usize, count: usize) -> LuaResult<Step> {
        let frame = *self.thread.frames.last().ok_or_else(corrupt_heap)?;
        let FrameKind::Native {
            continuation: Some(continuation),
        } = frame.kind
        else {
            return Err(LuaError::internal(
                "results delivered to a frame without continuation",
            ));
        };
        let func = frame.func as usize;
        match continuation {
            Continuation::Pcall | Continuation::Xpcall { .. } | Continuation::Resume => {
                // `true` followed by the results.
                self.ensure_stack(func + count + 1)?;
                self.thread.stack.copy_within(dest..dest + count, func + 1);
                self.thread.stack[func] = Value::Boolean(true);
                self.return_from_frame(func, count + 1)
            }
            Continuation::Wrap | Continuation::ReturnAll => self.return_from_frame(dest, count),
            Continuation::ReturnExactly(n) => {
                let n = n as usize;
                self.ensure_stack(dest + n)?;
                for slot in &mut self.thread.stack[dest + count.min(n)..dest + n] {
                    *slot = Value::Nil;
                }
                self.return_from_frame(dest, n)
            }
            Continuation::CloseAfterError { synchronous, .. } => {
                // A `__close` returned; its results are dropped.
                self.thread.top = dest;
                if synchronous {
                    // The closing loop is waiting for this call: it continues itself.
                    Ok(Step::Same)
                } else {
                    self.close_after_error(self.thread.frames.len().saturating_sub(1))
                }
            }
            Continuation::Host => {
                let outcome = self.resume_host_function(func, dest, count)?;
                self.collect_garbage_if_needed()?;
                self.handle_outcome(outcome)
            }
        }
    }

    /// Calls `stack[func]` with `nargs` arguments from Rust code running inside a native
    /// (a re-entrant, non-yieldable, non-pausable call). Returns the number of results, which
    /// are left at `func..top`.
    pub(crate) fn call_nested(&mut self, func: usize, nargs: usize) -> LuaResult<usize> {
        self.enter_native_level()?;
        self.thread.nested_calls += 1;
        let depth = self.thread.frames.len();
        let result = self.call_nested_inner(func, nargs);
        if result.is_err() {
            // A native callee that fails returns before any unwinding: drop its frame here,
            // or the outer unwinding would take it for this call's boundary and let the
            // error escape the protected calls below.
            self.thread.frames.truncate(depth);
        }
        self.thread.nested_calls -= 1;
        self.native_depth -= 1;
        result?;
        Ok(self.thread.top - func)
    }

    fn call_nested_inner(&mut self, func: usize, nargs: usize) -> LuaResult<()> {
        match self.precall(func, nargs, ReturnTo::Nested)? {
            Step::Exit(Exit::Returned) => Ok(()),
            Step::Exit(Exit::Paused) => Err(LuaError::internal("pause inside a nested call")),
            Step::Same | Step::Reload => match self.run()? {
                Exit::Returned => Ok(()),
                Exit::Paused => Err(LuaError::internal("pause inside a nested call")),
            },
        }
    }

    /// Convenience for natives: calls `function` with `args` (pushed at the stack top) and
    /// returns its results (copied out).
    pub(crate) fn call_value(&mut self, function: Value, args: &[Value]) -> LuaResult<Vec<Value>> {
        self.call_above_live_values(function, args, |vm, func, n| {
            vm.thread.stack[func..func + n].to_vec()
        })
    }

    /// Like `call_value` but keeps only the first result.
    pub(crate) fn call_value1(&mut self, function: Value, args: &[Value]) -> LuaResult<Value> {
        self.call_above_live_values(function, args, |vm, func, n| {
            if n > 0 {
                vm.thread.stack[func]
            } else {
                Value::Nil
            }
        })
    }

    /// A nested call placed above every live value of the running frame; `top` is restored
    /// afterwards (a pending variable-results `top` survives hooks and finalizers).
    fn call_above_live_values<T>(
        &mut self,
        function: Value,
        args: &[Value],
        take: impl FnOnce(&mut Vm, usize, usize) -> T,
    ) -> LuaResult<T> {
        let original_top = self.thread.top;
        self.raise_top_to_live_extent();
        let func = self.thread.top;
        let result = (|| {
            self.push(function)?;
            for &arg in args {
                self.push(arg)?;
            }
            self.call_nested(func, args.len())
        })();
        let result = result.map(|n| take(self, func, n));
        self.thread.top = original_top;
        result
    }

    /// Makes `top` safe for pushing a nested call: above every live value of the running
    /// frame (a Lua frame's registers; a native's arguments and pushes).
    #[inline]
    fn raise_top_to_live_extent(&mut self) {
        let extent = crate::interpreter::gc::frame_extent(&self.heap, &self.thread);
        if extent > self.thread.top {
            self.thread.top = extent;
        }
    }

    /// Calls a metamethod for an instruction of the running Lua frame. The call is placed at
    /// `frame_top` (above every register) so no live value is overwritten.
    pub(crate) fn call_metamethod(
        &mut self,
        handler: Value,
        args: &[Value],
        return_to: ReturnTo,
        frame_top: usize,
    ) -> LuaResult<Step> {
        self.ensure_stack(frame_top + 1 + args.len())?;
        self.thread.stack[frame_top] = handler;
        self.thread.stack[frame_top + 1..frame_top + 1 + args.len()].copy_from_slice(args);
        self.thread.top = frame_top + 1 + args.len();
        self.precall(frame_top, args.len(), return_to)
    }

    /// `VarArg`: copies the extra arguments of the running vararg frame to `dest`.
    pub(crate) fn copy_varargs(
        &mut self,
        base: usize,
        dest: usize,
        count_plus_one: u8,
    ) -> LuaResult<()> {
        let frame = self.thread.frames.last().ok_or_else(corrupt_heap)?;
        let available = frame.varargs as usize;
        let start = base - available;
        let wanted = if count_plus_one == 0 {
            available
        } else {
            count_plus_one as usize - 1
        };
        // Copying is work in proportion to the count: without this, `f(1, ...)` recursion
        // does quadratic work for linear fuel.
        self.charge_fuel((wanted / 16) as i64)?;
        self.ensure_stack(dest + wanted)?;
        let copied = wanted.min(available);
        self.thread.stack.copy_within(start..start + copied, dest);
        for slot in &mut self.thread.stack[dest + copied..dest + wanted] {
            *slot = Value::Nil;
        }
        if count_plus_one == 0 {
            self.thread.top = dest + wanted;
        }
        Ok(())
    }
}

enum Callable {
    Builtin(fn(&mut Vm, Args) -> LuaResult<Outcome>),
    Host(Rc<dyn crate::interpreter::native::HostFn>),
}
