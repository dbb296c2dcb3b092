//! Checks that a deserialized VM is internally consistent: every id names a live object of
//! the right kind, every frame fits its stack and its function's code, open upvalues and
//! to-be-closed lists are well formed. After this, the interpreter's invariants hold as they
//! do for a VM built by running code.

use crate::interpreter::function::Upvalue;
use crate::interpreter::gc::{GcRef, Phase};
use crate::interpreter::heap::{Color, ThreadId, UpvalueId};
use crate::interpreter::metamethod::Event;
use crate::interpreter::native::Continuation;
use crate::interpreter::thread::{FrameKind, ThreadState};
use crate::interpreter::value::Value;
use crate::interpreter::Vm;

type Check = Result<(), String>;

fn fail(message: &str) -> Check {
    Err(message.to_string())
}

impl Vm {
    /// Full consistency check of a deserialized VM.
    pub(crate) fn validate(&self) -> Check {
        let heap = &self.heap;
        for (i, event) in Event::ALL.iter().enumerate() {
            let id = self.events.all()[i];
            if heap.string(id) != Some(event.name().as_bytes()) {
                return fail("event names do not match");
            }
        }
        for table in [self.registry, self.globals, self.loaded] {
            self.check_value(Value::Table(table))?;
        }
        for mt in self.type_metatables.into_iter().flatten() {
            self.check_value(Value::Table(mt))?;
        }
        for value in self.library_cache.values() {
            self.check_value(value)?;
        }
        self.check_thread_id(self.main_thread)?;
        self.check_thread_id(self.current_thread)?;
        for &resumer in &self.resumers {
            self.check_thread_id(resumer)?;
        }
        // Objects the collector found dead and has not swept yet may refer to objects it
        // already freed; nothing reads them any more, so only live objects are checked.
        let garbage =
            |color: Color| self.gc.phase == Phase::Sweep && color == heap.new_color.flipped();
        // Tables.
        for (index, table) in heap.tables.iter() {
            if garbage(heap.tables.color(index)) {
                continue;
            }
            if let Some(mt) = table.metatable {
                self.check_value(Value::Table(mt))?;
            }
            for &v in table.array() {
                self.check_value(v)?;
            }
            for (k, v) in table.hash_entries() {
                // A dead key (nil value) may name a collected object: only its id is
                // compared, never followed.
                if !v.is_nil() {
                    self.check_value(k)?;
                    self.check_value(v)?;
                }
            }
        }
        // Closures and upvalues.
        for (index, closure) in heap.closures.iter() {
            if garbage(heap.closures.color(index)) {
                continue;
            }
            for &upvalue in closure.upvalues.iter() {
                self.check_upvalue_id(upvalue)?;
            }
        }
        for (index, native) in heap.natives.iter() {
            if garbage(heap.natives.color(index)) {
                continue;
            }
            for &v in native.upvalues.iter() {
                self.check_value(v)?;
            }
        }
        for (index, upvalue) in heap.upvalues.iter() {
            if garbage(heap.upvalues.color(index)) {
                continue;
            }
            match *upvalue {
                Upvalue::Closed(v) => self.check_value(v)?,
                Upvalue::Open { thread, slot } => {
                    let state = self
                        .state_of(thread)
                        .ok_or("open upvalue of a missing thread")?;
                    if slot as usize >= state.stack.len() {
                        return fail("open upvalue outside its thread's stack");
                    }
                    if !state
                        .open_upvalues
                        .iter()
                        .any(|&(s, u)| s == slot && u == UpvalueId(index))
                    {
                        return fail("open upvalue not listed by its thread");
                    }
                }
            }
        }
        for (index, userdata) in heap.userdata.iter() {
            if garbage(heap.userdata.color(index)) {
                continue;
            }
            if let Some(mt) = userdata.metatable {
                self.check_value(Value::Table(mt))?;
            }
            for &v in &userdata.user_values {
                self.check_value(v)?;
            }
        }
        // Threads.
        for (index, thread) in heap.threads.iter() {
            if ThreadId(index) == self.current_thread {
                if !thread.state.stack.is_empty() || !thread.state.frames.is_empty() {
                    return fail("the running thread's slot is not empty");
                }
                continue;
            }
            if garbage(heap.threads.color(index)) {
                continue;
            }
            self.check_thread_state(ThreadId(index), &thread.state)?;
            if let Some(error) = thread.error {
                self.check_value(error)?;
            }
        }
        self.check_thread_state(self.current_thread, &self.thread)?;
        self.check_collector()?;
        if self.paused && self.thread.frames.is_empty() {
            return fail("paused without a call");
        }
        if !self.paused && !self.thread.frames.is_empty() {
            return fail("frames without a paused call");
        }
        Ok(())
    }

    fn state_of(&self, thread: ThreadId) -> Option<&ThreadState> {
        if thread == self.current_thread {
            Some(&self.thread)
        } else {
            self.heap.threads.get(thread.0).map(|t| &*t.state)
        }
    }

    fn check_thread_id(&self, thread: ThreadId) -> Check {
        self.check_value(Value::Thread(thread))
    }

    fn check_upvalue_id(&self, upvalue: UpvalueId) -> Check {
        if self.heap.upvalues.contains(upvalue.0) {
            Ok(())
        } else {
            fail("dangling upvalue id")
        }
    }

    pub(super) fn check_value(&self, value: Value) -> Check {
        let heap = &self.heap;
        let live = match value {
            Value::String(id) => heap.strings.contains(id.0),
            Value::Table(id) => heap.tables.contains(id.0),
            Value::Closure(id) => heap.closures.contains(id.0),
            Value::Native(id) => heap.natives.contains(id.0),
            Value::UserData(id) => heap.userdata.contains(id.0),
            Value::Thread(id) => heap.threads.contains(id.0),
            _ => true,
        };
        if live {
            Ok(())
        } else {
            fail("dangling reference")
        }
    }

    fn check_thread_state(&self, id: ThreadId, state: &ThreadState) -> Check {
        let len = state.stack.len();
        // The stack may hold one register window beyond the logical limit (see
        // `execute::window`).
        let physical_limit = self
            .limits
            .stack_slots
            .saturating_add(crate::interpreter::execute::REGISTER_WINDOW);
        if len > physical_limit || state.top > len {
            return fail("thread stack out of bounds");
        }
        if state.nested_calls != 0 {
            return fail("thread inside a nested call");
        }
        for &v in &state.stack {
            self.check_value(v)?;
        }
        let mut previous = None;
        for &(slot, upvalue) in &state.open_upvalues {
            if previous.is_some_and(|p| p >= slot) || slot as usize >= len {
                return fail("open upvalue list out of order");
            }
            previous = Some(slot);
            match self.heap.upvalues.get(upvalue.0) {
                Some(Upvalue::Open { thread, slot: s }) if *thread == id && *s == slot => {}
                _ => return fail("open upvalue list does not match the upvalue"),
            }
        }
        let mut previous = None;
        for &slot in &state.to_be_closed {
            if previous.is_some_and(|p| p >= slot) || slot as usize >= len {
                return fail("to-be-closed list out of order");
            }
            previous = Some(slot);
        }
        if let Some(hook) = &state.hook {
            self.check_value(hook.function)?;
        }
        for frame in &state.frames {
            let func = frame.func as usize;
            let base = frame.base as usize;
            if func >= len || base <= func || base > len {
                return fail("frame outside its stack");
            }
            match frame.kind {
                FrameKind::Lua { closure, pc } => {
                    let closure = self
                        .heap
                        .closures
                        .get(closure.0)
                        .ok_or("frame of a missing closure")?;
                    let proto = &closure.proto.proto;
                    if base + proto.max_stack_size as usize > len
                        || pc as usize > proto.code.len()
                        || frame.varargs as usize > base - func - 1
                    {
                        return fail("Lua frame inconsistent with its function");
                    }
                }
                FrameKind::Native { continuation } => {
                    if base != func + 1 {
                        return fail("native frame layout");
                    }
                    let handler = match continuation {
                        Some(Continuation::Xpcall { handler })
                        | Some(Continuation::CloseAfterError {
                            handler: Some(handler),
                            ..
                        }) => Some(handler),
                        _ => None,
                    };
                    if let Some(handler) = handler {
                        if handler as usize >= len {
                            return fail("xpcall handler outside the stack");
                        }
                    }
                }
            }
        }
        Ok(())
    }

    fn check_collector(&self) -> Check {
        let gc = &self.gc;
        let refs = gc
            .gray
            .iter()
            .chain(&gc.gray_again)
            .chain(&gc.finalizable)
            .chain(&gc.to_finalize);
        for &object in refs {
            let live = match object {
                GcRef::Upvalue(id) => self.heap.upvalues.contains(id.0),
                other => other
                    .to_value()
                    .is_some_and(|v| self.check_value(v).is_ok()),
            };
            if !live {
                return fail("collector list refers to a missing object");
            }
        }
        for &table in gc
            .weak_values
            .iter()
            .chain(&gc.ephemerons)
            .chain(&gc.all_weak)
        {
            self.check_value(Value::Table(table))?;
        }
        if gc.in_finalizer {
            return fail("snapshot taken inside a finalizer");
        }
        Ok(())
    }
}
