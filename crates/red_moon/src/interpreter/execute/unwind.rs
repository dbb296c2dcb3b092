//! Raising and catching errors.
//!
//! An error unwinds the running thread's frames down to the nearest protected call
//! (`pcall`/`xpcall` native frame), the nearest nested boundary (the error then continues
//! in Rust, in the native that made the nested call), or the bottom of a coroutine (which
//! dies; its resumer gets the error). `xpcall` message handlers run before unwinding, on
//! top of the frames that raised the error, so they can inspect them.

use super::call::Step;
use super::Exit;
use crate::interpreter::native::Continuation;
use crate::interpreter::thread::{Frame, FrameKind, ReturnTo};
use crate::interpreter::value::Value;
use crate::interpreter::{LuaError, LuaResult, Vm};

/// How many times a failing message handler is called again before giving up, like PUC's
/// C-stack bound on error handling.
const HANDLER_DEPTH: usize = 200;

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
            Continuation::Pcall => return Some(Catcher::Pcall),
            Continuation::Xpcall { handler } => return Some(Catcher::Xpcall { handler }),
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
            let step = match found {
                Some((index, Catcher::Pcall)) => self.catch_in_pcall(index, error)?,
                Some((index, Catcher::Xpcall { handler })) => {
                    let handler = self
                        .thread
                        .stack
                        .get(handler as usize)
                        .copied()
                        .unwrap_or(Value::Nil);
                    self.call_message_handler(index, handler, error)?
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
                    match self.kill_coroutine(error) {
                        Ok(step) => step,
                        Err(LuaError::Value(e)) => {
                            // `wrap` re-raises in the resumer.
                            error = e;
                            continue;
                        }
                        Err(other) => return Err(other),
                    }
                }
            };
            return Ok(match step {
                Step::Exit(exit) => Some(exit),
                Step::Same | Step::Reload => None,
            });
        }
    }

    /// Keeps the traceback of an error that is about to leave the VM (top-level calls only).
    fn record_traceback(&mut self, error: Value) {
        if self.native_depth == 0 {
            let message = self.error_text(error);
            let text = self.traceback(None, 0);
            self.last_traceback = Some((message, String::from_utf8_lossy(&text).into_owned()));
        }
    }

    /// Unwinds to the `pcall` frame at `index`, closes what it protected and makes it return
    /// `false, error`.
    fn catch_in_pcall(&mut self, index: usize, error: Value) -> LuaResult<Step> {
        self.thread.frames.truncate(index + 1);
        let func = self.thread.frames[index].func as usize;
        let error = self.close_protected(func + 1, error);
        self.ensure_stack(func + 2)?;
        self.thread.stack[func] = Value::Boolean(false);
        self.thread.stack[func + 1] = error;
        self.return_from_frame(func, 2)
    }

    /// Closes upvalues and to-be-closed variables at or above `level` for an error.
    fn close_protected(&mut self, level: usize, error: Value) -> Value {
        let highest_pending = self
            .thread
            .to_be_closed
            .last()
            .map_or(0, |&s| s as usize + 1);
        self.thread.top = self.thread.top.max(level).max(highest_pending);
        self.close_for_error(level, error)
    }

    /// Runs an `xpcall` message handler on top of the failing frames (so it can inspect
    /// them), as a nested call: like PUC, a handler cannot yield, and a handler that fails
    /// is called again with the new error, up to "error in error handling".
    fn call_message_handler(
        &mut self,
        xpcall_index: usize,
        handler: Value,
        error: Value,
    ) -> LuaResult<Step> {
        let mut error = error;
        let mut attempts = 0;
        let result = loop {
            self.thread.top = self.thread.top.max(self.highest_frame_slot());
            match self.call_value1(handler, &[error]) {
                Ok(value) => break value,
                Err(LuaError::Value(e)) => error = e,
                Err(internal) => return Err(internal),
            }
            attempts += 1;
            if attempts >= HANDLER_DEPTH {
                let message = self.error_message("error in error handling");
                break self.error_value(message);
            }
        };
        self.catch_in_pcall(xpcall_index, result)
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

/// `chunk:line: ` as error messages start.
fn format_position(mut chunk: Vec<u8>, line: i64) -> Vec<u8> {
    chunk.extend_from_slice(format!(":{line}: ").as_bytes());
    chunk
}
