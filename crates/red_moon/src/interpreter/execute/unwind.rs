//! Raising and catching errors.
//!
//! An error unwinds the running thread's frames down to the nearest protected call
//! (`pcall`/`xpcall` native frame), the nearest nested boundary (the error then continues
//! in Rust, in the native that made the nested call), or the bottom of a coroutine (which
//! dies; its resumer gets the error). `xpcall` message handlers run before unwinding, on
//! top of the frames that raised the error, so they can inspect them.

use super::call::Step;
use super::Exit;
use crate::interpreter::heap::ThreadId;
use crate::interpreter::metamethod::Event;
use crate::interpreter::native::{Args, Builtin, Continuation, Outcome};
use crate::interpreter::thread::{Frame, FrameKind, ReturnTo};
use crate::interpreter::value::Value;
use crate::interpreter::vm::corrupt_heap;
use crate::interpreter::{LuaError, LuaResult, Vm};

/// How many times a failing message handler is called again before giving up, like PUC's
/// C-stack bound on error handling.
const HANDLER_DEPTH: usize = 200;

/// Stack slots a message handler may use beyond the limit (PUC's `ERRORSTACKSIZE` margin
/// over `LUAI_MAXSTACK`), so that a "stack overflow" can be handled.
const ERROR_HANDLING_SLOTS: usize = 200;

/// What stops an error at a frame.
enum Catcher {
    Pcall,
    Xpcall {
        handler: u32,
    },
    /// A nested Rust call (or the host's call) started here.
    Boundary,
}

fn catcher(frame: &Frame) -> Option<Catcher> {
    if let FrameKind::Native {
        continuation: Some(continuation),
    } = frame.kind
    {
        match continuation {
            Continuation::Pcall | Continuation::CloseAfterError { handler: None, .. } => {
                return Some(Catcher::Pcall)
            }
            Continuation::Xpcall { handler }
            | Continuation::CloseAfterError {
                handler: Some(handler),
                ..
            } => return Some(Catcher::Xpcall { handler }),
            _ => {}
        }
    }
    (frame.return_to == ReturnTo::Nested).then_some(Catcher::Boundary)
}

impl Vm {
    /// Catches `error` if something can; `Ok(Some(exit))` when `run` must return, `Ok(None)`
    /// to keep running, `Err` when the error leaves this `run`.
    pub(crate) fn handle_error(&mut self, error: LuaError) -> LuaResult<Option<Exit>> {
        let LuaError::Value(mut error) = error else {
            // Broken invariants are not catchable by scripts: abandon the thread's frames.
            self.thread.frames.clear();
            return Err(error);
        };
        loop {
            let found = self
                .thread
                .frames
                .iter()
                .enumerate()
                .rev()
                .find_map(|(i, f)| catcher(f).map(|c| (i, c)));
            // An error while catching (in a `__close`, or `wrap` re-raising in the resumer)
            // is caught in turn; each round unwinds something, so this ends.
            let step = match found {
                Some((index, Catcher::Pcall)) => self.catch_in_pcall(index, None, error),
                Some((index, Catcher::Xpcall { handler })) => {
                    self.call_message_handler(index, handler, error)
                }
                Some((index, Catcher::Boundary)) => {
                    self.record_traceback(error);
                    self.thread.frames.truncate(index);
                    return Err(LuaError::Value(error));
                }
                None => {
                    if self.resumers.is_empty() {
                        self.record_traceback(error);
                        self.thread.frames.clear();
                        return Err(LuaError::Value(error));
                    }
                    self.kill_coroutine(error)
                }
            };
            return match step {
                Ok(Step::Exit(exit)) => Ok(Some(exit)),
                Ok(Step::Same | Step::Reload) => Ok(None),
                Err(LuaError::Value(e)) => {
                    error = e;
                    continue;
                }
                Err(other) => Err(other),
            };
        }
    }

    /// Keeps the message and traceback of an error that is about to leave the VM (top-level
    /// calls only). Like lua.c's message handler, the work runs inside a native frame on top
    /// of the failing frames, so an error object's `__tostring` sees the same stack levels
    /// as under `lua` (itself at 1, the handler at 2, the function that raised at 3).
    fn record_traceback(&mut self, error: Value) {
        if self.native_depth != 0 {
            return;
        }
        self.last_traceback = None;
        let handled = self
            .new_native(&HOST_MESSAGE_HANDLER, Vec::new())
            .and_then(|handler| self.call_value(handler, &[error]));
        if handled.is_err() || self.last_traceback.is_none() {
            // No room for the handler's frame (stack overflow, out of memory): the same
            // report, taken directly.
            self.record_message_and_traceback(error, 0);
        }
    }

    /// Stores the host's view of `error`: its text and the traceback from `level` down.
    fn record_message_and_traceback(&mut self, error: Value, level: usize) {
        let message = self.error_text(error);
        let text = self.traceback(None, level);
        self.last_traceback = Some((message, String::from_utf8_lossy(&text).into_owned()));
    }

    /// Unwinds to the `pcall`/`xpcall` frame at `index` (`handler`: the `xpcall` handler's
    /// slot), closes what it protected and makes it return `false, error`.
    fn catch_in_pcall(
        &mut self,
        index: usize,
        handler: Option<u32>,
        error: Value,
    ) -> LuaResult<Step> {
        self.thread.frames.truncate(index + 1);
        let frame = self.thread.frames.get_mut(index).ok_or_else(corrupt_heap)?;
        frame.kind = FrameKind::Native {
            continuation: Some(Continuation::CloseAfterError {
                handler,
                synchronous: true,
            }),
        };
        // The protected function's slot keeps the error while variables are closed; the
        // protected call's locals (and upvalues) are all above it.
        let error_slot = frame.func as usize + 1;
        self.close_upvalues(error_slot);
        self.ensure_stack(error_slot + 1)?;
        self.thread.stack[error_slot] = error;
        self.thread.top = self.thread.top.max(error_slot + 1);
        self.close_after_error(index)
    }

    /// Calls `__close(value, error)` for each pending variable of the protected call whose
    /// `pcall` frame is at `index` (the top frame), newest first, then returns `false, error`
    /// from that frame. A Lua `__close` (or one that yields) leaves the loop; when it returns,
    /// `continue_native` enters it again.
    pub(crate) fn close_after_error(&mut self, index: usize) -> LuaResult<Step> {
        let thread = self.current_thread;
        let func = self.thread.frames.get(index).ok_or_else(corrupt_heap)?.func as usize;
        let error_slot = func + 1;
        while let Some(&slot) = self.thread.to_be_closed.last() {
            let slot = slot as usize;
            if slot <= error_slot {
                break;
            }
            self.thread.to_be_closed.pop();
            let value = self.thread.stack.get(slot).copied().unwrap_or(Value::Nil);
            let error = *self.thread.stack.get(error_slot).ok_or_else(corrupt_heap)?;
            let handler = self.metamethod(value, Event::Close);
            // Above the variable: every pending variable is below it.
            let step =
                self.call_metamethod(handler, &[value, error], ReturnTo::Native, slot + 1)?;
            if step != Step::Same {
                self.mark_close_pending(thread, index);
                return Ok(step);
            }
        }
        *self.thread.stack.get_mut(func).ok_or_else(corrupt_heap)? = Value::Boolean(false);
        self.return_from_frame(func, 2)
    }

    /// The closing loop of the `pcall` frame at `index` of `thread` waits for a call that
    /// the interpreter runs (the running thread may have changed if it yielded).
    fn mark_close_pending(&mut self, thread: ThreadId, index: usize) {
        let frames = if thread == self.current_thread {
            &mut self.thread.frames
        } else {
            match self.heap.threads.get_mut(thread.0) {
                Some(t) => &mut t.state.frames,
                None => return,
            }
        };
        if let Some(Frame {
            kind:
                FrameKind::Native {
                    continuation: Some(Continuation::CloseAfterError { synchronous, .. }),
                },
            ..
        }) = frames.get_mut(index)
        {
            *synchronous = false;
        }
    }

    /// Runs an `xpcall` message handler on top of the failing frames (so it can inspect
    /// them), as a nested call: like PUC, a handler cannot yield, and a handler that fails
    /// is called again with the new error, up to "error in error handling".
    ///
    /// The handler gets `ERROR_HANDLING_SLOTS` more stack than the limit, as PUC reserves
    /// room to handle a stack overflow: a handler called for "stack overflow" can still run.
    fn call_message_handler(
        &mut self,
        xpcall_index: usize,
        handler: u32,
        error: Value,
    ) -> LuaResult<Step> {
        let limit = self.limits.stack_slots;
        self.limits.stack_slots = limit.saturating_add(ERROR_HANDLING_SLOTS);
        let handler_value = self
            .thread
            .stack
            .get(handler as usize)
            .copied()
            .unwrap_or(Value::Nil);
        let result = self.run_message_handler(handler_value, error);
        self.limits.stack_slots = limit;
        self.catch_in_pcall(xpcall_index, Some(handler), result?)
    }

    /// Calls `handler` with `error`; a handler that fails is called again with its own
    /// error, up to "error in error handling". Returns the value `xpcall` returns.
    fn run_message_handler(&mut self, handler: Value, mut error: Value) -> LuaResult<Value> {
        for _ in 0..HANDLER_DEPTH {
            self.thread.top = self.thread.top.max(self.highest_frame_slot());
            match self.call_value1(handler, &[error]) {
                Ok(value) => return Ok(value),
                Err(LuaError::Value(e)) => error = e,
                Err(internal) => return Err(internal),
            }
        }
        let message = self.error_message("error in error handling");
        Ok(self.error_value(message))
    }

    /// The end of the registers of the running frame (a safe place for new calls).
    fn highest_frame_slot(&self) -> usize {
        match self.thread.frames.last() {
            Some(frame) => match frame.kind {
                FrameKind::Lua { closure, .. } => {
                    let size = self
                        .heap
                        .closures
                        .get(closure.0)
                        .map_or(0, |c| c.proto.proto.max_stack_size as usize);
                    frame.base as usize + size
                }
                FrameKind::Native { .. } => self.thread.top,
            },
            None => 0,
        }
    }

    // ----- error construction -----

    /// `chunk:line: ` of the Lua function `level` frames below the top (0 = the running
    /// frame), or empty when that frame is not a Lua function or its line is unknown
    /// (stripped code), like PUC's `luaL_where`.
    pub(crate) fn position_of_level(&self, level: usize) -> Vec<u8> {
        match self.source_and_line(level) {
            Some((chunk, line)) if line > 0 => format_position(chunk, line),
            _ => Vec::new(),
        }
    }

    /// Chunk id and current line (-1 when unknown) of the Lua function `level` frames below
    /// the top.
    fn source_and_line(&self, level: usize) -> Option<(Vec<u8>, i64)> {
        let frames = &self.thread.frames;
        let frame = frames
            .len()
            .checked_sub(level + 1)
            .and_then(|i| frames.get(i))?;
        let FrameKind::Lua { closure, pc } = frame.kind else {
            return None;
        };
        let proto = &self.heap.closures.get(closure.0)?.proto;
        let line = proto.line_at((pc as usize).saturating_sub(1));
        Some((crate::bytecode::chunk_id(&proto.proto.source), line))
    }

    /// An error raised by the VM itself (`luaG_runerror`): the message gets the position of
    /// the running Lua function, if that is what is running (`?:-1:` in stripped code).
    pub(crate) fn runtime_error(&mut self, message: impl AsRef<[u8]>) -> LuaError {
        let mut text = match self.source_and_line(0) {
            Some((chunk, line)) => format_position(chunk, line),
            None => Vec::new(),
        };
        text.extend_from_slice(message.as_ref());
        self.error_message(text)
    }

    /// An error raised by a library function (`luaL_error`): position of its caller.
    pub(crate) fn library_error(&mut self, message: impl AsRef<[u8]>) -> LuaError {
        let mut text = self.position_of_level(1);
        text.extend_from_slice(message.as_ref());
        self.error_message(text)
    }

    /// "attempt to {action} a {type} value{variable info}" for operand `operand` of the
    /// running instruction.
    pub(crate) fn operand_error(&mut self, value: Value, operand: usize, action: &str) -> LuaError {
        let type_name = self.type_name_with_meta(value);
        let info = self.operand_info(operand);
        self.runtime_error(format!("attempt to {action} a {type_name} value{info}"))
    }

    /// The error for indexing `value`; variable information only describes the value the
    /// instruction indexed directly (not a table reached through `__index`).
    pub(crate) fn index_error(&mut self, value: Value, original: Value) -> LuaError {
        if value.raw_equals(original) {
            self.operand_error(value, 0, "index")
        } else {
            let type_name = self.type_name_with_meta(value);
            self.runtime_error(format!("attempt to index a {type_name} value"))
        }
    }

    /// "attempt to call a nil value (global 'f')".
    pub(crate) fn call_error(&mut self, callee: Value, _func_slot: usize) -> LuaError {
        let type_name = self.type_name_with_meta(callee);
        let info = match self.current_instruction() {
            Some((proto, pc, _)) => {
                super::names::format_variable(super::names::calling_name(&proto, pc))
            }
            None => String::new(),
        };
        self.runtime_error(format!("attempt to call a {type_name} value{info}"))
    }

    /// "attempt to concatenate a table value (local 't')" for the value at `slot`.
    pub(crate) fn concat_error(&mut self, slot: usize) -> LuaError {
        let value = self.thread.stack.get(slot).copied().unwrap_or(Value::Nil);
        let type_name = self.type_name_with_meta(value);
        let info = self.slot_info(slot);
        self.runtime_error(format!("attempt to concatenate a {type_name} value{info}"))
    }

    /// The type name PUC uses in messages (`luaT_objtypename`): a string `__name` in the
    /// metatable of a table or userdata, else the basic type name.
    pub(crate) fn type_name_with_meta(&self, value: Value) -> String {
        if matches!(value, Value::Table(_) | Value::UserData(_)) {
            if let Some(mt) = self.metatable(value) {
                let name =
                    Value::String(self.events.get(crate::interpreter::metamethod::Event::Name));
                if let Value::String(s) = self.raw_get(mt, name) {
                    return String::from_utf8_lossy(self.string_bytes(s)).into_owned();
                }
            }
        }
        value.type_name().to_string()
    }

    /// The Lua value carried by an error (internal errors become their message).
    pub(crate) fn error_value(&mut self, error: LuaError) -> Value {
        match error {
            LuaError::Value(v) => v,
            LuaError::Internal(message) => match self.error_message(message) {
                LuaError::Value(v) => v,
                LuaError::Internal(_) => Value::Nil,
            },
        }
    }
}

/// The message handler of errors that leave the VM (see `Vm::record_traceback`).
pub(crate) static HOST_MESSAGE_HANDLER: Builtin = Builtin {
    id: "vm.host_message_handler",
    name: "?",
    function: host_message_handler,
};

fn host_message_handler(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let error = vm.arg(args, 1);
    // Level 1: the frames below this handler's own.
    vm.record_message_and_traceback(error, 1);
    Ok(Outcome::Return(0))
}

/// `chunk:line: ` as error messages start.
fn format_position(mut chunk: Vec<u8>, line: i64) -> Vec<u8> {
    chunk.extend_from_slice(format!(":{line}: ").as_bytes());
    chunk
}
