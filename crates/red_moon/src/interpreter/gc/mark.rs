//! Marking: roots, the gray list, traversal of each object type, and the atomic step.

use super::weak::WeakMode;
use super::{GcRef, Phase};
use crate::interpreter::api::ObjectKind;
use crate::interpreter::function::FunctionProto;
use crate::interpreter::function::Upvalue;
use crate::interpreter::heap::{Color, Heap, TableId, ThreadId};
use crate::interpreter::thread::{FrameKind, ThreadState};
use crate::interpreter::value::Value;
use crate::interpreter::Vm;

impl Vm {
    /// Colour of a collectable object.
    pub(crate) fn gc_color(&self, object: GcRef) -> Color {
        let heap = &self.heap;
        match object {
            GcRef::String(id) => heap.strings.color(id.0),
            GcRef::Table(id) => heap.tables.color(id.0),
            GcRef::Closure(id) => heap.closures.color(id.0),
            GcRef::Native(id) => heap.natives.color(id.0),
            GcRef::Upvalue(id) => heap.upvalues.color(id.0),
            GcRef::UserData(id) => heap.userdata.color(id.0),
            GcRef::Thread(id) => heap.threads.color(id.0),
        }
    }

    pub(crate) fn set_gc_color(&mut self, object: GcRef, color: Color) {
        let heap = &mut self.heap;
        match object {
            GcRef::String(id) => heap.strings.set_color(id.0, color),
            GcRef::Table(id) => heap.tables.set_color(id.0, color),
            GcRef::Closure(id) => heap.closures.set_color(id.0, color),
            GcRef::Native(id) => heap.natives.set_color(id.0, color),
            GcRef::Upvalue(id) => heap.upvalues.set_color(id.0, color),
            GcRef::UserData(id) => heap.userdata.set_color(id.0, color),
            GcRef::Thread(id) => heap.threads.set_color(id.0, color),
        }
    }

    /// Marks an object reachable: strings turn black at once (they have no children),
    /// everything else turns gray and waits for traversal.
    pub(crate) fn mark_object(&mut self, object: GcRef) {
        mark_object(&mut self.heap, &mut self.gc.gray, object);
    }

    #[inline]
    pub(crate) fn mark_value(&mut self, value: Value) {
        mark_value(&mut self.heap, &mut self.gc.gray, value);
    }

    /// Starts a cycle: marks the roots.
    pub(crate) fn start_cycle(&mut self) {
        self.gc.gray.clear();
        self.gc.gray_again.clear();
        self.gc.weak_values.clear();
        self.gc.ephemerons.clear();
        self.gc.all_weak.clear();
        self.gc.phase = Phase::Propagate;
        self.mark_roots();
    }

    /// Everything reachable without going through the heap. Objects held only by host
    /// handles are marked in `atomic`, not here: which handles a host holds differs between
    /// peers (a late joiner holds none of the handles the original host created), and
    /// marking them early would change the order of incremental marking, hence barrier
    /// work, step timing and everything scripts can observe of the collector.
    fn mark_roots(&mut self) {
        self.mark_object(GcRef::Table(self.registry));
        self.mark_object(GcRef::Table(self.globals));
        self.mark_object(GcRef::Table(self.loaded));
        self.mark_object(GcRef::Thread(self.main_thread));
        self.mark_object(GcRef::Thread(self.current_thread));
        for id in self.events.all().to_vec() {
            self.mark_object(GcRef::String(id));
        }
        for mt in self.type_metatables.into_iter().flatten() {
            self.mark_object(GcRef::Table(mt));
        }
        for value in self.library_cache.values() {
            self.mark_value(value);
        }
        for value in self.gc_roots.clone() {
            self.mark_value(value);
        }
        for value in self.transfer.clone() {
            self.mark_value(value);
        }
        for resumer in self.resumers.clone() {
            self.mark_object(GcRef::Thread(resumer));
        }
    }

    /// Objects held by host handles (see `mark_roots`).
    fn mark_host_roots(&mut self) {
        let held: Vec<(ObjectKind, u32)> = self.host_roots.live().collect();
        for (kind, index) in held {
            let object = match kind {
                ObjectKind::String => GcRef::String(crate::interpreter::heap::StringId(index)),
                ObjectKind::Table => GcRef::Table(TableId(index)),
                ObjectKind::Closure => GcRef::Closure(crate::interpreter::heap::ClosureId(index)),
                ObjectKind::Native => GcRef::Native(crate::interpreter::heap::NativeId(index)),
                ObjectKind::UserData => {
                    GcRef::UserData(crate::interpreter::heap::UserDataId(index))
                }
                ObjectKind::Thread => GcRef::Thread(ThreadId(index)),
            };
            if self.object_exists(object) {
                self.mark_object(object);
            }
        }
        // Objects waiting for their finalizer stay alive until it has run.
        for object in self.gc.to_finalize.clone() {
            self.mark_object(object);
        }
    }

    fn object_exists(&self, object: GcRef) -> bool {
        let heap = &self.heap;
        match object {
            GcRef::String(id) => heap.strings.contains(id.0),
            GcRef::Table(id) => heap.tables.contains(id.0),
            GcRef::Closure(id) => heap.closures.contains(id.0),
            GcRef::Native(id) => heap.natives.contains(id.0),
            GcRef::Upvalue(id) => heap.upvalues.contains(id.0),
            GcRef::UserData(id) => heap.userdata.contains(id.0),
            GcRef::Thread(id) => heap.threads.contains(id.0),
        }
    }

    /// Traverses one gray object; returns the work done.
    pub(crate) fn propagate_one(&mut self) -> usize {
        let Some(object) = self.gc.gray.pop() else {
            return 0;
        };
        self.set_gc_color(object, Color::Black);
        let heap = &mut self.heap;
        let gray = &mut self.gc.gray;
        match object {
            GcRef::String(_) => 1,
            GcRef::Table(id) => self.traverse_table(id),
            GcRef::Closure(id) => {
                let Some(closure) = heap.closures.share(id.0) else {
                    return 1;
                };
                let mut work = 1 + closure.upvalues.len();
                for &upvalue in closure.upvalues.iter() {
                    mark_object(heap, gray, GcRef::Upvalue(upvalue));
                }
                work += mark_proto(heap, gray, &closure.proto);
                work
            }
            GcRef::Native(id) => {
                // Read by index rather than through `share`, which would copy the native
                // (its upvalue list is an owned allocation).
                let count = heap.natives.get(id.0).map_or(0, |n| n.upvalues.len());
                for index in 0..count {
                    let upvalue = heap.natives.get(id.0).and_then(|n| n.upvalues.get(index));
                    if let Some(&value) = upvalue {
                        mark_value(heap, gray, value);
                    }
                }
                1 + count
            }
            GcRef::Upvalue(id) => {
                match heap.upvalues.get(id.0).copied() {
                    Some(Upvalue::Closed(value)) => mark_value(heap, gray, value),
                    // An open upvalue's value lives on its thread's stack; keep the thread.
                    Some(Upvalue::Open { thread, .. }) => {
                        mark_object(heap, gray, GcRef::Thread(thread))
                    }
                    None => {}
                }
                1
            }
            GcRef::UserData(id) => {
                let (metatable, user_values, size) = match heap.userdata.get(id.0) {
                    Some(u) => (u.metatable, u.user_values.clone(), u.size),
                    None => return 1,
                };
                if let Some(mt) = metatable {
                    mark_object(heap, gray, GcRef::Table(mt));
                }
                for value in user_values {
                    mark_value(heap, gray, value);
                }
                1 + size / super::UNIT_BYTES
            }
            GcRef::Thread(id) => {
                // Threads stay gray: their stacks change without barriers, so the atomic
                // step traverses them again.
                self.set_gc_color(object, Color::Gray);
                self.gc.gray_again.push(object);
                self.traverse_thread(id)
            }
        }
    }

    fn traverse_thread(&mut self, id: ThreadId) -> usize {
        let heap = &mut self.heap;
        let gray = &mut self.gc.gray;
        if id == self.current_thread {
            let executing = !self.paused;
            return mark_thread_state(heap, gray, &self.thread, executing);
        }
        let Some(thread) = heap.threads.share(id.0) else {
            return 1;
        };
        let work = mark_thread_state(heap, gray, &thread.state, false);
        if let Some(error) = thread.error {
            mark_value(heap, gray, error);
        }
        work
    }

    fn traverse_table(&mut self, id: TableId) -> usize {
        let Some(table) = self.heap.tables.get(id.0) else {
            return 1;
        };
        let metatable = table.metatable;
        let mode = match metatable {
            Some(mt) => self.weak_mode(mt),
            None => WeakMode::Strong,
        };
        let work = 1 + (table.array_len() + 2 * table.hash_entry_count()) / 2;
        if let Some(mt) = metatable {
            self.mark_object(GcRef::Table(mt));
        }
        match mode {
            WeakMode::Strong => {
                let heap = &mut self.heap;
                let gray = &mut self.gc.gray;
                if let Some(table) = heap.tables.share(id.0) {
                    table.for_each_value(|v| mark_value(heap, gray, v));
                }
            }
            WeakMode::WeakValues => {
                self.mark_strong_keys(id);
                self.gc.weak_values.push(id);
            }
            WeakMode::WeakKeys => {
                self.traverse_ephemeron(id);
                self.gc.ephemerons.push(id);
            }
            WeakMode::AllWeak => self.gc.all_weak.push(id),
        }
        work
    }

    /// Marks the values of gray objects until none is left.
    pub(crate) fn propagate_all(&mut self) {
        while !self.gc.gray.is_empty() {
            self.propagate_one();
        }
    }

    /// The indivisible end of marking.
    pub(crate) fn atomic(&mut self) {
        // Roots may have changed since the cycle started.
        self.mark_roots();
        self.mark_host_roots();
        self.propagate_all();
        // Traverse again what was written after being marked (tables, threads).
        let again = std::mem::take(&mut self.gc.gray_again);
        for object in again {
            match object {
                GcRef::Thread(id) => {
                    self.set_gc_color(object, Color::Black);
                    self.traverse_thread(id);
                    self.clear_dead_stack(id);
                }
                other => {
                    self.set_gc_color(other, Color::Gray);
                    self.gc.gray.push(other);
                }
            }
        }
        self.propagate_all();
        self.remark_upvalues_of_dead_threads();
        self.propagate_all();
        self.converge_ephemerons();
        // Everything strongly reachable is marked. Clear weak values first, then find the
        // objects to finalize and resurrect them (and what they reach).
        self.clear_weak_values(false);
        let resurrected_from = self.separate_unreachable_finalizable();
        for object in self
            .gc
            .to_finalize
            .clone()
            .into_iter()
            .skip(resurrected_from)
        {
            self.mark_object(object);
        }
        self.propagate_all();
        self.converge_ephemerons();
        self.clear_weak_keys();
        self.clear_weak_values(true);
        // Unmarked objects now have the old white, which the sweep frees.
        self.heap.new_color = self.heap.new_color.flipped();
    }

    /// Sets the dead part of a thread's stack to nil, so stale values never come back.
    fn clear_dead_stack(&mut self, id: ThreadId) {
        if id == self.current_thread {
            let extent = marked_extent(&self.heap, &self.thread, !self.paused);
            clear_above(&mut self.thread, extent);
            return;
        }
        let Some(thread) = self.heap.threads.get(id.0) else {
            return;
        };
        let state = &thread.state;
        let extent = marked_extent(&self.heap, state, false).max(state.top);
        let kept = frames_extent(&self.heap, state);
        let oversized =
            self.under_memory_pressure() && state.stack.len() >= kept + SHRINK_THRESHOLD;
        // Write (and so copy a thread a snapshot shares) only when there is something to clear.
        let stale = state
            .stack
            .get(extent..)
            .is_some_and(|dead| dead.iter().any(|v| !v.is_nil()));
        if stale || oversized {
            if let Some(thread) = self.heap.threads.get_mut(id.0) {
                clear_above(&mut thread.state, extent);
                if oversized {
                    let removed = shrink_stack(&mut thread.state, kept);
                    self.heap.allocated = self.heap.allocated.saturating_sub(removed * 16);
                }
            }
        }
    }

    /// Whether more than half the memory limit is in use: then the stacks of threads that
    /// do not run give back their register windows (see `SHRINK_THRESHOLD`). Without
    /// pressure they keep them, so a coroutine resumed again and again does not pay for a
    /// new window each time.
    fn under_memory_pressure(&self) -> bool {
        self.heap.allocated > self.limits.memory / 2
    }

    /// Called for the running thread just before it is switched out: under memory
    /// pressure, releases its unused register window at once rather than at the next
    /// collection, so that many coroutines each resumed once cannot exhaust the heap with
    /// windows the collector has not reached yet.
    #[inline]
    pub(crate) fn compact_outgoing_stack(&mut self) {
        if !self.under_memory_pressure() {
            return;
        }
        let kept = frames_extent(&self.heap, &self.thread);
        if self.thread.stack.len() >= kept + SHRINK_THRESHOLD {
            let removed = shrink_stack(&mut self.thread, kept);
            self.heap.allocated = self.heap.allocated.saturating_sub(removed * 16);
        }
    }

    /// Open upvalues of unreachable threads that are still used by live closures: their
    /// values live on a stack nobody traverses, so mark them here (PUC's `remarkupvals`).
    fn remark_upvalues_of_dead_threads(&mut self) {
        let mut values = Vec::new();
        for (index, upvalue) in self.heap.upvalues.iter() {
            if self.heap.upvalues.color(index).is_white() {
                continue;
            }
            if let Upvalue::Open { thread, slot } = *upvalue {
                if thread != self.current_thread && self.heap.threads.color(thread.0).is_white() {
                    if let Some(t) = self.heap.threads.get(thread.0) {
                        if let Some(&v) = t.state.stack.get(slot as usize) {
                            values.push(v);
                        }
                    }
                }
            }
        }
        for value in values {
            self.mark_value(value);
        }
    }
}

/// Marks an object (split borrow: usable while other parts of the VM are borrowed).
pub(crate) fn mark_object(heap: &mut Heap, gray: &mut Vec<GcRef>, object: GcRef) {
    macro_rules! grayed {
        ($arena:ident, $id:expr) => {{
            if heap.$arena.color($id.0).is_white() {
                heap.$arena.set_color($id.0, Color::Gray);
                gray.push(object);
            }
        }};
    }
    match object {
        GcRef::String(id) => {
            if heap.strings.color(id.0).is_white() {
                heap.strings.set_color(id.0, Color::Black);
            }
        }
        GcRef::Table(id) => grayed!(tables, id),
        GcRef::Closure(id) => grayed!(closures, id),
        GcRef::Native(id) => grayed!(natives, id),
        GcRef::Upvalue(id) => grayed!(upvalues, id),
        GcRef::UserData(id) => grayed!(userdata, id),
        GcRef::Thread(id) => grayed!(threads, id),
    }
}

#[inline]
pub(crate) fn mark_value(heap: &mut Heap, gray: &mut Vec<GcRef>, value: Value) {
    if let Some(object) = GcRef::from_value(value) {
        mark_object(heap, gray, object);
    }
}

/// Marks the constants of a prototype and of its nested prototypes.
fn mark_proto(heap: &mut Heap, gray: &mut Vec<GcRef>, proto: &FunctionProto) -> usize {
    let mut work = proto.constants.len();
    for &constant in proto.constants.iter() {
        if let Value::String(_) = constant {
            mark_value(heap, gray, constant);
        }
    }
    for child in proto.children.iter() {
        work += mark_proto(heap, gray, child);
    }
    work
}

/// End of the stack slots a thread's top frame may use: all registers of a Lua function,
/// or up to `top` for a native (its arguments and pushed values). New calls go above it.
pub(crate) fn frame_extent(heap: &Heap, state: &ThreadState) -> usize {
    let extent = match state.frames.last() {
        Some(frame) => match frame.kind {
            FrameKind::Lua { closure, .. } => {
                let size = heap
                    .closures
                    .get(closure.0)
                    .map_or(0, |c| c.proto.proto.max_stack_size as usize);
                frame.base as usize + size
            }
            FrameKind::Native { .. } => state.top,
        },
        None => state.top,
    };
    extent.min(state.stack.len())
}

/// End of the live part of a thread's stack, for marking. While the running thread
/// executes a Lua function, `top` says where its live registers end: the allocating
/// instructions (the only places that collect with a Lua frame on top) set it just above
/// the register they wrote, as PUC does, so dead temporaries above it do not keep garbage
/// alive. In every other state (other threads, a paused call) the whole frame and any
/// pending values up to `top` are live.
fn marked_extent(heap: &Heap, state: &ThreadState, executing: bool) -> usize {
    let extent = frame_extent(heap, state);
    match state.frames.last().map(|f| f.kind) {
        Some(FrameKind::Lua { .. }) if executing => state.top.min(extent),
        _ => extent.max(state.top).min(state.stack.len()),
    }
}

/// Marks a thread's live stack and open upvalues.
fn mark_thread_state(
    heap: &mut Heap,
    gray: &mut Vec<GcRef>,
    state: &ThreadState,
    running: bool,
) -> usize {
    let extent = marked_extent(heap, state, running);
    for &value in &state.stack[..extent] {
        mark_value(heap, gray, value);
    }
    for &(_, upvalue) in &state.open_upvalues {
        mark_object(heap, gray, GcRef::Upvalue(upvalue));
    }
    if let Some(hook) = &state.hook {
        mark_value(heap, gray, hook.function);
    }
    1 + state.stack.len() / 4
}

/// Unused stack slots above which a thread that is not running gets its stack shrunk
/// under memory pressure. The running thread keeps a whole register window above its top
/// Lua frame (see `execute::window`), 256 slots that a suspended coroutine does not need:
/// without this, many suspended coroutines would each hold 4 KiB they never use and fill
/// the heap limit (PUC shrinks stacks during collection too). The window comes back when
/// the thread runs again.
const SHRINK_THRESHOLD: usize = 64;

/// The stack a thread that does not run must keep: every Lua frame's registers (a
/// snapshot checks that they exist) and anything pushed up to `top`.
fn frames_extent(heap: &Heap, state: &ThreadState) -> usize {
    let mut extent = state.top;
    for frame in &state.frames {
        if let FrameKind::Lua { closure, .. } = frame.kind {
            let size = heap
                .closures
                .get(closure.0)
                .map_or(0, |c| c.proto.proto.max_stack_size as usize);
            extent = extent.max(frame.base as usize + size);
        }
    }
    extent.min(state.stack.len())
}

/// Cuts a thread's stack down to `extent` slots (see `frames_extent`),
/// releasing the memory; returns how many slots went.
fn shrink_stack(state: &mut ThreadState, extent: usize) -> usize {
    let before = state.stack.len();
    // A fresh allocation, not `shrink_to_fit`: shrinking in place would leave the freed
    // tail a little too small for the next window, and every coroutine would strand one.
    let kept = state.stack.get(..extent).unwrap_or(&state.stack).to_vec();
    state.stack = kept;
    before - state.stack.len()
}

fn clear_above(state: &mut ThreadState, extent: usize) {
    let extent = extent.min(state.stack.len());
    for slot in &mut state.stack[extent..] {
        *slot = Value::Nil;
    }
}
