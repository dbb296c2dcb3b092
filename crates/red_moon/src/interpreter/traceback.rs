//! Stack tracebacks in PUC's format (`luaL_traceback`).

use super::execute::{calling_name, VariableKind};
use super::heap::ThreadId;
use super::thread::{FrameKind, ReturnTo, ThreadState};
use super::value::Value;
use super::Vm;

/// Levels shown before and after the "..." of a long traceback (PUC's LEVELS1/LEVELS2).
const FIRST_LEVELS: usize = 10;
const LAST_LEVELS: usize = 11;

impl Vm {
    /// "stack traceback:" followed by one line per frame of the running thread, starting
    /// `level` frames below the top.
    pub(crate) fn traceback(&self, message: Option<&[u8]>, level: usize) -> Vec<u8> {
        self.traceback_of(&self.thread, message, level)
    }

    /// The traceback of another thread.
    pub(crate) fn thread_traceback(
        &self,
        thread: ThreadId,
        message: Option<&[u8]>,
        level: usize,
    ) -> Vec<u8> {
        match self.heap.threads.get(thread.0) {
            Some(t) => self.traceback_of(&t.state, message, level),
            None => self.traceback_of(&ThreadState::default(), message, level),
        }
    }

    fn traceback_of(&self, state: &ThreadState, message: Option<&[u8]>, level: usize) -> Vec<u8> {
        let mut out = Vec::new();
        if let Some(message) = message {
            out.extend_from_slice(message);
            out.push(b'\n');
        }
        out.extend_from_slice(b"stack traceback:");
        let shown: Vec<usize> = (0..state.frames.len().saturating_sub(level))
            .rev()
            .collect();
        let total = shown.len();
        let elide = total > FIRST_LEVELS + LAST_LEVELS;
        for (n, &index) in shown.iter().enumerate() {
            if elide && n == FIRST_LEVELS {
                let skipped = total - FIRST_LEVELS - LAST_LEVELS;
                out.extend_from_slice(format!("\n\t...\t(skipping {skipped} levels)").as_bytes());
            }
            if elide && n >= FIRST_LEVELS && n < total - LAST_LEVELS {
                continue;
            }
            out.extend_from_slice(b"\n\t");
            self.describe_frame(state, index, &mut out);
            if state.frames[index].tail_call {
                out.extend_from_slice(b"\n\t(...tail calls...)");
            }
        }
        out
    }

    fn describe_frame(&self, state: &ThreadState, index: usize, out: &mut Vec<u8>) {
        let frame = &state.frames[index];
        let lua = match frame.kind {
            FrameKind::Lua { closure, pc } => self
                .heap
                .closures
                .get(closure.0)
                .map(|c| (c.proto.clone(), pc)),
            FrameKind::Native { .. } => None,
        };
        match &lua {
            Some((proto, pc)) => {
                out.extend_from_slice(&crate::bytecode::chunk_id(&proto.proto.source));
                // PUC leaves the line out when it is unknown (stripped code).
                match proto.line_at((*pc as usize).saturating_sub(1)) {
                    line if line > 0 => out.extend_from_slice(format!(":{line}:").as_bytes()),
                    _ => out.push(b':'),
                }
            }
            None => out.extend_from_slice(b"[C]:"),
        }
        out.extend_from_slice(b" in ");
        let function = state
            .stack
            .get(frame.func as usize)
            .copied()
            .unwrap_or(Value::Nil);
        let from_caller = if frame.tail_call {
            None
        } else {
            self.name_from_caller(state, index)
        };
        if let Some(name) = self.global_function_name(function) {
            out.extend_from_slice(format!("function '{name}'").as_bytes());
        } else if let Some((kind, name)) = from_caller {
            out.extend_from_slice(kind.word().as_bytes());
            out.extend_from_slice(b" '");
            out.extend_from_slice(&name);
            out.push(b'\'');
        } else if let Some((proto, _)) = &lua {
            if proto.proto.line_defined == 0 {
                out.extend_from_slice(b"main chunk");
            } else {
                out.extend_from_slice(b"function <");
                out.extend_from_slice(&crate::bytecode::chunk_id(&proto.proto.source));
                out.extend_from_slice(format!(":{}>", proto.proto.line_defined).as_bytes());
            }
        } else {
            out.push(b'?');
        }
    }

    /// How the frame at `index` was called, from the instruction of the Lua frame below it.
    pub(crate) fn name_from_caller(
        &self,
        state: &ThreadState,
        index: usize,
    ) -> Option<(VariableKind, Vec<u8>)> {
        let caller = state.frames.get(index.checked_sub(1)?)?;
        let FrameKind::Lua { closure, pc } = caller.kind else {
            return None;
        };
        // A nested call started by the VM itself between two instructions of a Lua frame:
        // a hook, or else a finalizer.
        if state.frames.get(index)?.return_to == ReturnTo::Nested {
            return Some(if state.hook.as_ref().is_some_and(|h| h.running) {
                (VariableKind::Hook, b"?".to_vec())
            } else {
                (VariableKind::Metamethod, b"__gc".to_vec())
            });
        }
        let proto = &self.heap.closures.get(closure.0)?.proto;
        calling_name(proto, (pc as usize).saturating_sub(1))
    }
}
