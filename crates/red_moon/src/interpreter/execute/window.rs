//! The register window: the 256 stack slots starting at a Lua frame's `base`.
//!
//! Register operands are bytes, so an instruction can address at most 256 registers. If the
//! stack always holds `base + REGISTER_WINDOW` slots while a Lua frame runs, the interpreter
//! can view the frame's registers as a `[Value; 256]` and index it with any operand without a
//! bounds check (and without keeping the window's length in a machine register).
//!
//! Invariant: while the interpreter runs a Lua frame, `stack.len() >= base +
//! REGISTER_WINDOW`. Frames are pushed through `enter_lua_call` (which requires it) or
//! `push_lua_frame` (which establishes it); the interpreter re-establishes it whenever it
//! derives the window, so a stack restored from elsewhere, or shrunk by the collector while
//! its thread was suspended (`gc::mark`), only costs one growth.
//!
//! The slots above `max_stack_size` are scratch space no verified instruction reads before
//! writing (see `bytecode::verify`); they exist only so the window has a fixed size.

use crate::interpreter::value::Value;
use crate::interpreter::{LuaResult, Vm};

/// Number of registers an operand can name.
pub(crate) const REGISTER_WINDOW: usize = 256;

/// A Lua frame's registers.
pub(crate) type Registers = [Value; REGISTER_WINDOW];

/// The register window at `base`, if the stack is long enough.
#[inline(always)]
pub(crate) fn register_window(stack: &mut [Value], base: usize) -> Option<&mut Registers> {
    stack.get_mut(base..)?.first_chunk_mut::<REGISTER_WINDOW>()
}

impl Vm {
    /// Grows the stack so that a frame at `base` has its whole register window.
    ///
    /// This is physical room only: the logical limit (`limits.stack_slots`, "stack
    /// overflow") is checked by the callers against the slots the frame really uses, so the
    /// stack may exceed the limit by up to one window. The memory limit does apply: stack
    /// slots count as heap memory, as in `Vm::ensure_stack`.
    #[inline]
    pub(crate) fn reserve_register_window(&mut self, base: usize) -> LuaResult<()> {
        let needed = base + REGISTER_WINDOW;
        if self.thread.stack.len() < needed {
            self.grow_register_window(needed)?;
        }
        Ok(())
    }

    #[cold]
    fn grow_register_window(&mut self, needed: usize) -> LuaResult<()> {
        let current = self.thread.stack.len();
        let cap = self.limits.stack_slots.saturating_add(REGISTER_WINDOW);
        let new_len = needed.max(current.saturating_mul(2).min(cap));
        let added = new_len.saturating_sub(current);
        self.check_memory(added * 16)?;
        self.heap.allocated += added * 16;
        self.thread.stack.resize(new_len, Value::Nil);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_needs_the_full_register_range() {
        let mut stack = vec![Value::Nil; REGISTER_WINDOW + 3];
        assert!(register_window(&mut stack, 3).is_some());
        assert!(register_window(&mut stack, 4).is_none());
        assert!(register_window(&mut stack, usize::MAX).is_none());
    }

    #[test]
    fn reserving_grows_the_stack_and_counts_the_bytes() {
        let mut vm = Vm::default();
        let old_len = vm.thread.stack.len();
        let base = old_len + 10;
        let before = vm.heap.allocated;
        vm.reserve_register_window(base).unwrap();
        let grown = vm.thread.stack.len();
        assert!(grown >= base + REGISTER_WINDOW);
        assert!(register_window(&mut vm.thread.stack, base).is_some());
        assert_eq!(vm.heap.allocated - before, (grown - old_len) * 16);
        // Already large enough: nothing changes.
        vm.reserve_register_window(base).unwrap();
        assert_eq!(vm.thread.stack.len(), grown);
        // Past the memory limit: an error, and nothing changes.
        vm.limits.memory = vm.heap.allocated;
        assert!(vm.reserve_register_window(grown).is_err());
        assert_eq!(vm.thread.stack.len(), grown);
    }
}
