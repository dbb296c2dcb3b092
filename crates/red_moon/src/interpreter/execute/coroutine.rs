//! Switching between threads: `coroutine.resume`, `coroutine.yield`, and a coroutine's end.
//!
//! The running thread's state lives in `Vm::thread`; switching swaps it with the target's
//! heap slot. Values cross between the two stacks through `Vm::transfer`.

use super::call::Step;
use crate::interpreter::heap::ThreadId;
use crate::interpreter::native::Continuation;
use crate::interpreter::thread::{FrameKind, ReturnTo, ThreadStatus};
use crate::interpreter::value::Value;
use crate::interpreter::vm::corrupt_heap;
use crate::interpreter::{LuaError, LuaResult, Vm};

impl Vm {
    /// Makes `target` the running thread; the current one gets `status`.
    ///
    /// Two swaps, no moves through temporaries: the running state goes into the current
    /// thread's slot (which held the empty placeholder), and the placeholder then trades
    /// places with the target's state. (If `target` were the current thread, the second
    /// swap would simply undo the first.)
    fn switch_to(&mut self, target: ThreadId, status: ThreadStatus) -> LuaResult<()> {
        self.compact_outgoing_stack();
        let current = self.current_thread;
        let outgoing = self
            .heap
            .threads
            .get_mut(current.0)
            .ok_or_else(corrupt_heap)?;
        std::mem::swap(&mut outgoing.state, &mut self.thread);
        outgoing.status = status;
        match self.heap.threads.get_mut(target.0) {
            Some(incoming) => {
                std::mem::swap(&mut incoming.state, &mut self.thread);
                incoming.status = ThreadStatus::Running;
            }
            None => {
                // Put the running state back before reporting the corruption.
                if let Some(outgoing) = self.heap.threads.get_mut(current.0) {
                    std::mem::swap(&mut outgoing.state, &mut self.thread);
                }
                return Err(corrupt_heap());
            }
        }
        self.current_thread = target;
        self.rearm_hook_trap();
        Ok(())
    }

    /// Moves the top `n` values of the running stack into `self.transfer`.
    fn take_top_values(&mut self, n: usize) {
        let top = self.thread.top;
        self.transfer.clear();
        self.transfer
            .extend_from_slice(&self.thread.stack[top - n..top]);
        self.thread.top = top - n;
    }

    /// Pushes `self.transfer` onto the running stack; returns where they start.
    fn push_transferred(&mut self) -> LuaResult<usize> {
        let start = self.thread.top;
        self.ensure_stack(start + self.transfer.len())?;
        let values = std::mem::take(&mut self.transfer);
        self.thread.stack[start..start + values.len()].copy_from_slice(&values);
        self.thread.top = start + values.len();
        self.transfer = values;
        Ok(start)
    }

    /// `Outcome::Resume`: the resumer's native frame (with its continuation) is on top and
    /// the arguments are the top `nargs` values.
    pub(crate) fn resume_thread(&mut self, target: ThreadId, nargs: usize) -> LuaResult<Step> {
        let status = self.thread_status(target).ok_or_else(corrupt_heap)?;
        let fresh = status == ThreadStatus::Suspended
            && self
                .heap
                .threads
                .get(target.0)
                .is_some_and(|t| t.state.frames.is_empty());
        let message = match status {
            ThreadStatus::Suspended => None,
            ThreadStatus::Dead => Some("cannot resume dead coroutine"),
            _ => Some("cannot resume non-suspended coroutine"),
        };
        if let Some(message) = message {
            self.thread.top -= nargs;
            let error = self.error_message(message);
            let error = self.error_value(error);
            return self.resume_failed(error);
        }
        if self.resumers.len() >= self.limits.native_depth as usize {
            self.thread.top -= nargs;
            let error = self.error_message("C stack overflow");
            let error = self.error_value(error);
            return self.resume_failed(error);
        }
        self.take_top_values(nargs);
        self.resumers.push(self.current_thread);
        self.switch_to(target, ThreadStatus::Normal)?;
        if fresh {
            // The body function waits in slot 0.
            self.thread.top = 1;
            self.push_transferred()?;
            match self.precall(0, nargs, ReturnTo::Resumer)? {
                Step::Same => Ok(Step::Reload),
                other => Ok(other),
            }
        } else {
            // Suspended in `yield`, whose native frame is on top: its results are the
            // resume arguments, unless a host function yielded with a continuation, which
            // receives them.
            let start = self.push_transferred()?;
            let step = if matches!(self.top_continuation(), Ok(Continuation::Host)) {
                self.deliver(ReturnTo::Native, start, nargs)?
            } else {
                self.return_from_frame(start, nargs)?
            };
            match step {
                Step::Same => Ok(Step::Reload),
                other => Ok(other),
            }
        }
    }

    /// A resume that could not start: `false, message` for `resume`, an error for `wrap`.
    fn resume_failed(&mut self, error: Value) -> LuaResult<Step> {
        let continuation = self.top_continuation()?;
        if continuation == Continuation::Wrap {
            let error = self.add_position_to_wrap_error(error)?;
            return Err(LuaError::new(error));
        }
        let top = self.thread.top;
        self.push(Value::Boolean(false))?;
        self.push(error)?;
        self.return_from_frame(top, 2)
    }

    fn top_continuation(&self) -> LuaResult<Continuation> {
        match self.thread.frames.last().map(|f| f.kind) {
            Some(FrameKind::Native {
                continuation: Some(c),
            }) => Ok(c),
            _ => Err(LuaError::internal("resume without continuation")),
        }
    }

    /// `Outcome::Yield`: suspends the running coroutine; its `yield` frame stays on top.
    pub(crate) fn yield_thread(&mut self, n: usize) -> LuaResult<Step> {
        if self.resumers.is_empty() || self.current_thread == self.main_thread {
            return Err(self.runtime_error("attempt to yield from outside a coroutine"));
        }
        if self.thread.nested_calls > 0 {
            return Err(self.runtime_error("attempt to yield across a C-call boundary"));
        }
        self.take_top_values(n);
        let resumer = self.resumers.pop().ok_or_else(corrupt_heap)?;
        self.switch_to(resumer, ThreadStatus::Suspended)?;
        self.deliver_to_resumer()
    }

    /// The body of the running coroutine returned `count` values at `first`.
    pub(crate) fn finish_coroutine(&mut self, first: usize, count: usize) -> LuaResult<Step> {
        self.thread.top = first + count;
        self.take_top_values(count);
        self.thread.frames.clear();
        self.thread.top = 0;
        // A finished coroutine never runs again: its stack (a whole register window) goes
        // back now rather than when the collector frees the thread, so programs that make
        // many short-lived coroutines do not run collections for memory already dead.
        let released = std::mem::take(&mut self.thread.stack).len();
        self.heap.allocated = self.heap.allocated.saturating_sub(released * 16);
        let resumer = self.resumers.pop().ok_or_else(corrupt_heap)?;
        self.switch_to(resumer, ThreadStatus::Dead)?;
        self.deliver_to_resumer()
    }

    /// Hands `self.transfer` to the native frame that resumed (its continuation decides).
    fn deliver_to_resumer(&mut self) -> LuaResult<Step> {
        let count = self.transfer.len();
        if self.thread.top.saturating_add(count) > self.limits.stack_slots {
            // As PUC: the resume fails (the values are dropped), the resumer goes on.
            self.transfer.clear();
            let message = self.error_message("too many results to resume");
            let error = self.error_value(message);
            return match self.resume_failed(error)? {
                Step::Same => Ok(Step::Reload),
                other => Ok(other),
            };
        }
        let start = self.push_transferred()?;
        match self.deliver(ReturnTo::Native, start, count)? {
            Step::Same => Ok(Step::Reload),
            other => Ok(other),
        }
    }

    /// An error escaped the running coroutine: it dies and the resumer receives
    /// `false, error` (`resume`) or the error itself (`wrap`, which also closes the
    /// coroutine's pending variables and adds position information to string errors).
    pub(crate) fn kill_coroutine(&mut self, error: Value) -> LuaResult<Step> {
        let dead = self.current_thread;
        let resumer = self.resumers.pop().ok_or_else(corrupt_heap)?;
        // The dead coroutine keeps its frames, as in PUC: a traceback can still show where
        // the error happened, and `coroutine.close` closes its pending variables.
        self.switch_to(resumer, ThreadStatus::Dead)?;
        if let Some(thread) = self.heap.threads.get_mut(dead.0) {
            thread.error = Some(error);
        }
        match self.top_continuation()? {
            Continuation::Wrap => {
                let error = self.close_dead_coroutine(dead, error)?;
                let error = self.add_position_to_wrap_error(error)?;
                Err(LuaError::new(error))
            }
            _ => {
                let top = self.thread.top;
                self.push(Value::Boolean(false))?;
                self.push(error)?;
                match self.return_from_frame(top, 2)? {
                    Step::Same => Ok(Step::Reload),
                    other => Ok(other),
                }
            }
        }
    }

    /// `coroutine.wrap` prefixes string errors with the caller's position, like PUC.
    fn add_position_to_wrap_error(&mut self, error: Value) -> LuaResult<Value> {
        if let Value::String(s) = error {
            let mut message = self.position_of_level(1);
            message.extend_from_slice(self.string_bytes(s));
            return self.new_string(&message);
        }
        Ok(error)
    }

    /// Runs the pending `__close` handlers of a dead (or suspended) coroutine, as
    /// `coroutine.close` does. Returns the final error value (or the given one).
    pub(crate) fn close_dead_coroutine(
        &mut self,
        thread: ThreadId,
        error: Value,
    ) -> LuaResult<Value> {
        let has_pending =
            self.heap.threads.get(thread.0).is_some_and(|t| {
                !t.state.to_be_closed.is_empty() || !t.state.open_upvalues.is_empty()
            });
        if !has_pending {
            return Ok(error);
        }
        // Run the handlers on the coroutine's own stack.
        self.resumers.push(self.current_thread);
        self.switch_to(thread, ThreadStatus::Normal)?;
        self.thread.frames.clear();
        let error = self.close_for_error(0, error);
        self.thread.to_be_closed.clear();
        let resumer = self.resumers.pop().ok_or_else(corrupt_heap)?;
        self.switch_to(resumer, ThreadStatus::Dead)?;
        Ok(error)
    }
}
