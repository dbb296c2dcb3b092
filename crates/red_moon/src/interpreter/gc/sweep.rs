//! Sweeping: frees the objects the last marking did not reach, arena by arena, a bounded
//! number of slots per step.

use super::{Phase, SweepArena};
use crate::interpreter::function::Upvalue;
use crate::interpreter::heap::{Color, StringId, OBJECT_OVERHEAD};
use crate::interpreter::Vm;

impl Vm {
    pub(crate) fn start_sweep(&mut self) {
        self.gc.phase = Phase::Sweep;
        self.gc.sweep_arena = SweepArena::Strings;
        self.gc.sweep_index = 0;
    }

    /// Sweeps about `budget` slots; returns the work done.
    ///
    /// Each arena is scanned in one tight pass (`Arena::sweep_scan`) that only collects the
    /// dead; freeing them, which differs per type, happens afterwards.
    pub(crate) fn sweep_some(&mut self, budget: usize) -> usize {
        let alive = self.heap.new_color;
        let mut found_dead = Vec::new();
        let mut work = 0;
        while work < budget {
            let arena = self.gc.sweep_arena;
            if arena == SweepArena::Done {
                self.gc.phase = Phase::Finalize;
                work = work.max(1);
                break;
            }
            let start = self.gc.sweep_index;
            found_dead.clear();
            let end = self.sweep_scan(arena, start, budget - work, alive, &mut found_dead);
            for &index in &found_dead {
                self.free_object(arena, index);
            }
            // (`saturating_sub`: a snapshot may carry a sweep position past the arena's end,
            // which the scan clamps.)
            work += end.saturating_sub(start) as usize;
            if end <= start || end >= self.arena_capacity(arena) {
                self.gc.sweep_arena = next_arena(arena);
                self.gc.sweep_index = 0;
            } else {
                self.gc.sweep_index = end;
            }
        }
        work
    }

    fn sweep_scan(
        &mut self,
        arena: SweepArena,
        start: u32,
        budget: usize,
        alive: Color,
        out: &mut Vec<u32>,
    ) -> u32 {
        let heap = &mut self.heap;
        match arena {
            SweepArena::Strings => heap.strings.sweep_scan(start, budget, alive, out),
            SweepArena::Tables => heap.tables.sweep_scan(start, budget, alive, out),
            SweepArena::Closures => heap.closures.sweep_scan(start, budget, alive, out),
            SweepArena::Natives => heap.natives.sweep_scan(start, budget, alive, out),
            SweepArena::Upvalues => heap.upvalues.sweep_scan(start, budget, alive, out),
            SweepArena::UserData => heap.userdata.sweep_scan(start, budget, alive, out),
            SweepArena::Threads => heap.threads.sweep_scan(start, budget, alive, out),
            SweepArena::Done => start,
        }
    }

    fn arena_capacity(&self, arena: SweepArena) -> u32 {
        let heap = &self.heap;
        match arena {
            SweepArena::Strings => heap.strings.capacity(),
            SweepArena::Tables => heap.tables.capacity(),
            SweepArena::Closures => heap.closures.capacity(),
            SweepArena::Natives => heap.natives.capacity(),
            SweepArena::Upvalues => heap.upvalues.capacity(),
            SweepArena::UserData => heap.userdata.capacity(),
            SweepArena::Threads => heap.threads.capacity(),
            SweepArena::Done => 0,
        }
    }

    /// Frees one unreachable object and gives its logical size back.
    fn free_object(&mut self, arena: SweepArena, index: u32) {
        if arena == SweepArena::Tables {
            // A reused slot starts writable (see `stdlib::sandbox`).
            let table = crate::interpreter::heap::TableId(index);
            self.read_only.set(table, false);
        }
        let heap = &mut self.heap;
        let freed = match arena {
            SweepArena::Strings => {
                heap.free_string(StringId(index));
                0
            }
            SweepArena::Tables => heap.tables.free(index).map_or(0, |t| t.memory_size()),
            SweepArena::Closures => heap.closures.free(index).map_or(0, |c| c.memory_size()),
            SweepArena::Natives => heap
                .natives
                .free(index)
                .map_or(0, |n| OBJECT_OVERHEAD + n.upvalues.len() * 16),
            SweepArena::Upvalues => heap.upvalues.free(index).map_or(0, |_| OBJECT_OVERHEAD),
            SweepArena::UserData => heap
                .userdata
                .free(index)
                .map_or(0, |u| OBJECT_OVERHEAD + u.declared_size()),
            SweepArena::Threads => {
                // Upvalues still open on the dead thread's stack take their values now.
                if let Some(thread) = heap.threads.get(index) {
                    let open: Vec<(u32, crate::interpreter::heap::UpvalueId)> =
                        thread.state.open_upvalues.clone();
                    for (slot, upvalue) in open {
                        let value = heap
                            .threads
                            .get(index)
                            .and_then(|t| t.state.stack.get(slot as usize).copied())
                            .unwrap_or_default();
                        if let Some(cell) = heap.upvalues.get_mut(upvalue.0) {
                            *cell = Upvalue::Closed(value);
                        }
                    }
                }
                heap.threads
                    .free(index)
                    .map_or(0, |t| OBJECT_OVERHEAD + 256 + t.state.stack.len() * 16)
            }
            SweepArena::Done => 0,
        };
        heap.allocated = heap.allocated.saturating_sub(freed);
    }
}

fn next_arena(arena: SweepArena) -> SweepArena {
    match arena {
        SweepArena::Strings => SweepArena::Tables,
        SweepArena::Tables => SweepArena::Closures,
        SweepArena::Closures => SweepArena::Natives,
        SweepArena::Natives => SweepArena::Upvalues,
        SweepArena::Upvalues => SweepArena::UserData,
        SweepArena::UserData => SweepArena::Threads,
        SweepArena::Threads | SweepArena::Done => SweepArena::Done,
    }
}
