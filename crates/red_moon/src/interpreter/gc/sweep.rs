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
    pub(crate) fn sweep_some(&mut self, budget: usize) -> usize {
        let dead = self.heap.new_color.flipped();
        let alive = self.heap.new_color;
        let mut work = 0;
        while work < budget {
            let index = self.gc.sweep_index;
            let arena = self.gc.sweep_arena;
            if arena == SweepArena::Done {
                self.gc.phase = Phase::Finalize;
                return work.max(1);
            }
            if index >= self.arena_capacity(arena) {
                self.gc.sweep_arena = next_arena(arena);
                self.gc.sweep_index = 0;
                continue;
            }
            self.gc.sweep_index = index + 1;
            work += 1;
            let Some(color) = self.slot_color(arena, index) else {
                continue;
            };
            if color == dead {
                self.free_object(arena, index);
            } else {
                self.set_slot_color(arena, index, alive);
            }
        }
        work
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

    fn slot_color(&self, arena: SweepArena, index: u32) -> Option<Color> {
        let heap = &self.heap;
        match arena {
            SweepArena::Strings => heap.strings.live_color(index),
            SweepArena::Tables => heap.tables.live_color(index),
            SweepArena::Closures => heap.closures.live_color(index),
            SweepArena::Natives => heap.natives.live_color(index),
            SweepArena::Upvalues => heap.upvalues.live_color(index),
            SweepArena::UserData => heap.userdata.live_color(index),
            SweepArena::Threads => heap.threads.live_color(index),
            SweepArena::Done => None,
        }
    }

    fn set_slot_color(&mut self, arena: SweepArena, index: u32, color: Color) {
        let heap = &mut self.heap;
        match arena {
            SweepArena::Strings => heap.strings.set_color(index, color),
            SweepArena::Tables => heap.tables.set_color(index, color),
            SweepArena::Closures => heap.closures.set_color(index, color),
            SweepArena::Natives => heap.natives.set_color(index, color),
            SweepArena::Upvalues => heap.upvalues.set_color(index, color),
            SweepArena::UserData => heap.userdata.set_color(index, color),
            SweepArena::Threads => heap.threads.set_color(index, color),
            SweepArena::Done => {}
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
