//! Finalizers (`__gc`): objects whose metatable has `__gc` when it is set are remembered;
//! when the collector finds them unreachable it keeps them (and what they reference) alive
//! for one more cycle and calls their finalizers, newest-marked first as PUC does. Errors in
//! finalizers become warnings.

use super::GcRef;
use crate::interpreter::heap::TableId;
use crate::interpreter::metamethod::Event;
use crate::interpreter::value::Value;
use crate::interpreter::{LuaResult, Vm};

impl Vm {
    /// `setmetatable` with a metatable that has `__gc`: remember the object (once).
    pub(crate) fn check_finalizer(&mut self, object: Value, metatable: Option<TableId>) {
        let Some(mt) = metatable else {
            return;
        };
        if self.gc.closing {
            return;
        }
        let gc = Value::String(self.events.get(Event::Gc));
        if self.raw_get(mt, gc).is_nil() {
            return;
        }
        let Some(object) = GcRef::from_value(object) else {
            return;
        };
        if self.gc.registered.insert(object.key()) {
            self.gc.finalizable.push(object);
        }
    }

    /// Moves unreachable finalizable objects to the finalization queue (newest first).
    /// Returns where the newly queued objects start in the queue.
    pub(crate) fn separate_unreachable_finalizable(&mut self) -> usize {
        let start = self.gc.to_finalize.len();
        let mut kept = Vec::with_capacity(self.gc.finalizable.len());
        let candidates = std::mem::take(&mut self.gc.finalizable);
        let mut separated = Vec::new();
        for object in candidates {
            if self.gc_color(object).is_white() {
                separated.push(object);
            } else {
                kept.push(object);
            }
        }
        self.gc.finalizable = kept;
        for object in separated.into_iter().rev() {
            self.gc.to_finalize.push_back(object);
        }
        start
    }

    /// Calls the finalizer of the next queued object.
    pub(crate) fn call_next_finalizer(&mut self) -> LuaResult<()> {
        let Some(object) = self.gc.to_finalize.pop_front() else {
            return Ok(());
        };
        self.gc.registered.remove(&object.key());
        let Some(value) = object.to_value() else {
            return Ok(());
        };
        let handler = self.metamethod(value, Event::Gc);
        if !handler.is_function() {
            return Ok(());
        }
        // The call goes above every live value of the running thread.
        let extent = super::mark::frame_extent(&self.heap, &self.thread);
        self.thread.top = self.thread.top.max(extent);
        let was_running = self.gc.in_finalizer;
        self.gc.in_finalizer = true;
        self.gc_roots.push(value);
        let result = self.call_value(handler, &[value]);
        self.gc_roots.pop();
        self.gc.in_finalizer = was_running;
        if let Err(error) = result {
            let error = self.error_value(error);
            let message = match error {
                Value::String(s) => self.string_bytes(s).to_vec(),
                _ => b"error object is not a string".to_vec(),
            };
            let mut text = b"error in __gc (".to_vec();
            text.extend_from_slice(&message);
            text.push(b')');
            self.warn(&text, false);
        }
        Ok(())
    }

    /// Runs every pending finalizer, including those of objects still reachable: what
    /// closing the VM does (`lua_close`).
    pub(crate) fn finalize_all(&mut self) -> LuaResult<()> {
        let all = std::mem::take(&mut self.gc.finalizable);
        for object in all.into_iter().rev() {
            self.gc.to_finalize.push_back(object);
        }
        while !self.gc.to_finalize.is_empty() {
            self.call_next_finalizer()?;
        }
        Ok(())
    }
}
