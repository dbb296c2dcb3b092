//! The garbage collector: incremental, tri-colour mark and sweep over the arenas.
//!
//! Determinism: the collector is paced by the heap's logical byte count (never by the real
//! allocator or time), visits objects in arena order and list order, and keeps its whole
//! state in `Collector`, which is part of the `Vm`: a clone or a deserialized copy collects
//! at exactly the same moments and frees exactly the same objects.
//!
//! Cycle: `Pause` → `Propagate` (incremental marking from the gray list) → `Atomic` (one
//! step: re-mark roots and threads, converge ephemerons, separate objects to finalize,
//! clear weak tables, flip the white) → `Sweep` (incremental, arena by arena) →
//! `Finalize` (call pending `__gc` metamethods) → `Pause`.
//!
//! Invariant while propagating: no black object refers to a white one. Stores into tables
//! and native upvalues re-gray the container (backward barrier); stores into closed
//! upvalues mark the value (forward barrier). Thread stacks are not barriered: every live
//! thread is traversed again in the atomic step.
//!
//! Rule for Rust code: a collection step can only run at explicit points (allocating
//! instructions, after a native returns, `collectgarbage`, host calls). Rust code that holds
//! a `Value` across anything that can run Lua code (nested calls) must keep it reachable:
//! on the stack, in a table, or in `Vm::gc_roots`.

mod barrier;
mod finalize;
mod mark;
pub(crate) use mark::frame_extent;
mod sweep;
mod weak;

use super::heap::{ClosureId, NativeId, StringId, TableId, ThreadId, UpvalueId, UserDataId};
use super::value::Value;
use super::{LuaResult, Vm};
use std::collections::{BTreeSet, VecDeque};

/// A reference to any collectable object.
#[derive(serde::Serialize, serde::Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum GcRef {
    String(StringId),
    Table(TableId),
    Closure(ClosureId),
    Native(NativeId),
    Upvalue(UpvalueId),
    UserData(UserDataId),
    Thread(ThreadId),
}

impl GcRef {
    pub(crate) fn from_value(value: Value) -> Option<GcRef> {
        Some(match value {
            Value::String(id) => GcRef::String(id),
            Value::Table(id) => GcRef::Table(id),
            Value::Closure(id) => GcRef::Closure(id),
            Value::Native(id) => GcRef::Native(id),
            Value::UserData(id) => GcRef::UserData(id),
            Value::Thread(id) => GcRef::Thread(id),
            _ => return None,
        })
    }

    /// An ordered identity (kind, arena index), for sets and maps of objects.
    pub(crate) fn key(self) -> (u8, u32) {
        match self {
            GcRef::String(id) => (0, id.0),
            GcRef::Table(id) => (1, id.0),
            GcRef::Closure(id) => (2, id.0),
            GcRef::Native(id) => (3, id.0),
            GcRef::Upvalue(id) => (4, id.0),
            GcRef::UserData(id) => (5, id.0),
            GcRef::Thread(id) => (6, id.0),
        }
    }

    pub(crate) fn to_value(self) -> Option<Value> {
        Some(match self {
            GcRef::String(id) => Value::String(id),
            GcRef::Table(id) => Value::Table(id),
            GcRef::Closure(id) => Value::Closure(id),
            GcRef::Native(id) => Value::Native(id),
            GcRef::UserData(id) => Value::UserData(id),
            GcRef::Thread(id) => Value::Thread(id),
            GcRef::Upvalue(_) => return None,
        })
    }
}

#[derive(serde::Serialize, serde::Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Phase {
    Pause,
    Propagate,
    Sweep,
    Finalize,
}

/// Which arena the sweep is in.
#[derive(
    serde::Serialize, serde::Deserialize, Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord,
)]
pub(crate) enum SweepArena {
    Strings,
    Tables,
    Closures,
    Natives,
    Upvalues,
    UserData,
    Threads,
    Done,
}

/// Collector mode as set by `collectgarbage("incremental"/"generational")`. Generational
/// mode is accepted for compatibility; collection stays incremental.
#[derive(serde::Serialize, serde::Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    Incremental,
    Generational,
}

/// Work units a step does per byte of step size (traversing an object or sweeping a slot
/// costs about one unit per 8 logical bytes).
const UNIT_BYTES: usize = 8;

/// The collector's state (part of the VM).
#[derive(serde::Serialize, serde::Deserialize, Clone, Debug)]
pub(crate) struct Collector {
    pub(crate) phase: Phase,
    pub(crate) gray: Vec<GcRef>,
    /// Objects to traverse again in the atomic step (tables written after being marked,
    /// threads).
    pub(crate) gray_again: Vec<GcRef>,
    /// Tables with weak values (or weak keys and values) seen while marking.
    pub(crate) weak_values: Vec<TableId>,
    /// Tables with weak keys only (ephemerons) seen while marking.
    pub(crate) ephemerons: Vec<TableId>,
    /// Tables with weak keys and weak values seen while marking.
    pub(crate) all_weak: Vec<TableId>,
    /// Objects whose metatable had `__gc` when it was set, oldest first.
    pub(crate) finalizable: Vec<GcRef>,
    /// Unreachable finalizable objects, in the order their `__gc` runs.
    pub(crate) to_finalize: VecDeque<GcRef>,
    /// Every object in `finalizable` or `to_finalize` (by `GcRef::key`), so registering a
    /// finalizer is a logarithmic lookup instead of a scan of both lists (a scan made
    /// `setmetatable` quadratic for scripts creating many finalizable objects).
    pub(crate) registered: BTreeSet<(u8, u32)>,
    pub(crate) sweep_arena: SweepArena,
    pub(crate) sweep_index: u32,
    /// Logical bytes at which the next step runs.
    pub(crate) threshold: usize,
    /// Logical bytes in use after the last complete cycle.
    pub(crate) estimate: usize,
    /// `setpause`: wait until memory grows to `pause`% of the estimate (default 200).
    pub(crate) pause: u32,
    /// `setstepmul`: work per step relative to allocation (default 100).
    pub(crate) step_multiplier: u32,
    /// log2 of the step size in bytes (default 13, 8 KiB).
    pub(crate) step_size_log2: u32,
    /// `collectgarbage("stop")` turns automatic steps off.
    pub(crate) running: bool,
    pub(crate) mode: Mode,
    /// A finalizer is running (finalizers do not start collections themselves).
    pub(crate) in_finalizer: bool,
    /// Generational parameters kept for `collectgarbage("generational", minor, major)`.
    pub(crate) generational_params: (u32, u32),
    /// `Vm::close` has started: objects given a `__gc` metatable from now on are not
    /// finalized (as after `lua_close`).
    pub(crate) closing: bool,
}

impl Default for Collector {
    fn default() -> Self {
        Collector {
            phase: Phase::Pause,
            gray: Vec::new(),
            gray_again: Vec::new(),
            weak_values: Vec::new(),
            ephemerons: Vec::new(),
            all_weak: Vec::new(),
            finalizable: Vec::new(),
            to_finalize: VecDeque::new(),
            registered: BTreeSet::new(),
            sweep_arena: SweepArena::Strings,
            sweep_index: 0,
            threshold: 64 * 1024,
            estimate: 0,
            pause: 200,
            step_multiplier: 100,
            step_size_log2: 13,
            running: true,
            mode: Mode::Incremental,
            in_finalizer: false,
            generational_params: (20, 100),
            closing: false,
        }
    }
}

impl Collector {
    fn step_work(&self) -> usize {
        let bytes = 1usize << self.step_size_log2.min(40);
        (bytes / UNIT_BYTES).saturating_mul(self.step_multiplier.max(1) as usize) / 100 + 1
    }
}

impl Vm {
    /// Runs a collector step if allocation passed the threshold. Called at the points where
    /// every live value is reachable from the roots.
    #[inline]
    pub(crate) fn collect_garbage_if_needed(&mut self) -> LuaResult<()> {
        if self.heap.allocated >= self.gc.threshold {
            self.gc_step_for_allocation()?;
        }
        Ok(())
    }

    #[cold]
    fn gc_step_for_allocation(&mut self) -> LuaResult<()> {
        if !self.gc.running || self.gc.in_finalizer {
            // Stopped: look again after another step's worth of allocation.
            self.gc.threshold = self
                .heap
                .allocated
                .saturating_add(1 << self.gc.step_size_log2);
            return Ok(());
        }
        let work = self.gc.step_work();
        self.gc_step(work)?;
        Ok(())
    }

    /// Does about `work` units of collection; returns whether a cycle completed.
    pub(crate) fn gc_step(&mut self, work: usize) -> LuaResult<bool> {
        let mut budget = work as isize;
        let mut finished = false;
        while budget > 0 {
            match self.gc.phase {
                Phase::Pause => {
                    self.start_cycle();
                    budget -= 1;
                }
                Phase::Propagate => {
                    if self.gc.gray.is_empty() {
                        self.atomic();
                        self.start_sweep();
                        budget -= 1;
                    } else {
                        budget -= self.propagate_one() as isize;
                    }
                }
                Phase::Sweep => budget -= self.sweep_some(budget.max(1) as usize) as isize,
                Phase::Finalize => {
                    if self.gc.to_finalize.is_empty() {
                        self.finish_cycle();
                        finished = true;
                        break;
                    }
                    self.call_next_finalizer()?;
                    budget -= 50;
                }
            }
        }
        if !finished {
            // Next step after another step's worth of allocation.
            self.gc.threshold = self
                .heap
                .allocated
                .saturating_add(1 << self.gc.step_size_log2);
        }
        Ok(finished)
    }

    fn finish_cycle(&mut self) {
        self.gc.phase = Phase::Pause;
        self.gc.estimate = self.heap.allocated;
        let pause = self.gc.pause.max(100) as usize;
        // Under a memory limit, the next cycle starts before the heap gets close to it
        // (7/8 of the limit at the latest), so garbage is found before allocations fail;
        // when live data is already above that, collection simply stays continuous.
        let limit = self.limits.memory;
        let latest_start = limit - limit / 8;
        self.gc.threshold = (self.gc.estimate / 100)
            .saturating_mul(pause)
            .max(self.gc.estimate + 1024)
            .min(latest_start);
        self.host_roots.prune();
    }

    /// `collectgarbage("collect")`: finishes the current cycle and runs a complete one.
    pub(crate) fn full_collection(&mut self) -> LuaResult<()> {
        // Finish whatever cycle is in progress, then run one from the start.
        if self.gc.phase != Phase::Pause {
            while !self.gc_step(usize::MAX / 4)? {}
        }
        while !self.gc_step(usize::MAX / 4)? {}
        Ok(())
    }

    /// `collectgarbage("step", n)`: returns whether a cycle finished.
    pub(crate) fn explicit_step(&mut self, kib: i64) -> LuaResult<bool> {
        if kib <= 0 {
            return self.gc_step(self.gc.step_work());
        }
        let work = (kib as usize).saturating_mul(1024) / UNIT_BYTES;
        self.gc_step(work.max(1))
    }
}

impl Vm {
    /// `collectgarbage(option, ...)` (manual §6.1), with PUC 5.4's results.
    pub(crate) fn collectgarbage_option(
        &mut self,
        option: &str,
        args: super::native::Args,
    ) -> LuaResult<super::native::Outcome> {
        use super::native::Outcome;
        if self.gc.in_finalizer && option != "count" {
            // PUC refuses collector control inside a finalizer.
            return self.return1(Value::Nil);
        }
        let result = match option {
            "collect" => {
                self.full_collection()?;
                Value::Integer(0)
            }
            "stop" => {
                self.gc.running = false;
                Value::Integer(0)
            }
            "restart" => {
                self.gc.running = true;
                self.gc.threshold = self.heap.allocated;
                Value::Integer(0)
            }
            "count" => Value::Float(self.heap.allocated as f64 / 1024.0),
            "step" => {
                let kib = self.opt_integer(args, 2, 0)?;
                Value::Boolean(self.explicit_step(kib)?)
            }
            "setpause" => {
                let previous = self.gc.pause;
                self.gc.pause = self.opt_integer(args, 2, 0)?.clamp(0, 100_000) as u32;
                Value::Integer(previous as i64)
            }
            "setstepmul" => {
                let previous = self.gc.step_multiplier;
                self.gc.step_multiplier = self.opt_integer(args, 2, 0)?.clamp(0, 100_000) as u32;
                Value::Integer(previous as i64)
            }
            "isrunning" => Value::Boolean(self.gc.running),
            "generational" => {
                let minor = self.opt_integer(args, 2, 0)?.clamp(0, 1000) as u32;
                let major = self.opt_integer(args, 3, 0)?.clamp(0, 100_000) as u32;
                if minor != 0 {
                    self.gc.generational_params.0 = minor;
                }
                if major != 0 {
                    self.gc.generational_params.1 = major;
                }
                let previous = self.gc.mode;
                self.gc.mode = Mode::Generational;
                return self.return_mode(previous);
            }
            "incremental" => {
                let pause = self.opt_integer(args, 2, 0)?.clamp(0, 100_000) as u32;
                let step_multiplier = self.opt_integer(args, 3, 0)?.clamp(0, 100_000) as u32;
                let step_size = self.opt_integer(args, 4, 0)?.clamp(0, 40) as u32;
                if pause != 0 {
                    self.gc.pause = pause;
                }
                if step_multiplier != 0 {
                    self.gc.step_multiplier = step_multiplier;
                }
                if step_size != 0 {
                    self.gc.step_size_log2 = step_size;
                }
                let previous = self.gc.mode;
                self.gc.mode = Mode::Incremental;
                return self.return_mode(previous);
            }
            _ => Value::Integer(0),
        };
        self.return1(result)?;
        Ok(Outcome::Return(1))
    }

    fn return_mode(&mut self, mode: Mode) -> LuaResult<super::native::Outcome> {
        let name = match mode {
            Mode::Incremental => "incremental",
            Mode::Generational => "generational",
        };
        self.return_string(name.as_bytes())
    }

    /// Closes the VM as `lua_close` does: runs the finalizers of every object marked for
    /// finalization (reachable or not), in reverse order of marking.
    pub fn close(&mut self) {
        self.gc.closing = true;
        let _ = self.finalize_all();
    }
}

impl Vm {
    /// Selects the collector mode reported by `collectgarbage` ("generational" or
    /// "incremental"). The `lua` standalone starts in generational mode, so the CLI does
    /// too; collection itself stays incremental in both modes.
    pub fn set_generational_gc(&mut self, generational: bool) {
        self.gc.mode = if generational {
            Mode::Generational
        } else {
            Mode::Incremental
        };
    }
}
