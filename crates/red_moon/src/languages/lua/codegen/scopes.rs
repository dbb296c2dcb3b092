//! Scopes at code generation time: locals entering and leaving registers (with their debug
//! ranges), `Close` at block exits, labels and the jumps waiting for them.

use super::jumps::JumpList;
use super::{FunctionBuilder, Generated};
use crate::bytecode::{Instruction, LocalVariable};
use crate::languages::lua::ast::{LabelId, LocalDeclaration, LoopExit};

/// A label (explicit or a loop exit): placed, or with the jumps waiting for it.
pub enum LabelSlot {
    Pending(JumpList),
    Placed(usize),
}

/// What to restore when a block ends.
#[derive(Clone, Copy)]
pub struct BlockState {
    /// Registers held by locals when the block started.
    pub locals_level: usize,
    /// Locals in scope when the block started.
    active_count: usize,
}

impl FunctionBuilder<'_> {
    pub(super) fn enter_block(&self) -> BlockState {
        BlockState {
            locals_level: self.locals_level,
            active_count: self.active_locals.len(),
        }
    }

    /// Ends a block: closes its variables if needed, then takes them out of scope.
    pub(super) fn leave_block(&mut self, state: BlockState, needs_close: bool) {
        if needs_close {
            self.emit(Instruction::Close {
                from: state.locals_level as u8,
            });
        }
        self.restore_scope(state);
    }

    /// Takes the block's locals out of scope and frees their registers.
    pub(super) fn restore_scope(&mut self, state: BlockState) {
        self.end_locals(state.active_count);
        self.locals_level = state.locals_level;
        self.free_register = state.locals_level;
    }

    /// Brings locals into scope from the current instruction on.
    pub(super) fn activate_locals(&mut self, declarations: &[LocalDeclaration]) {
        let start_pc = self.pc() as u32;
        for declaration in declarations {
            self.active_locals.push(self.locals.len());
            self.locals.push(LocalVariable {
                name: declaration.name.clone(),
                register: declaration.register,
                start_pc,
                end_pc: start_pc,
            });
            self.locals_level = usize::from(declaration.register) + 1;
        }
    }

    /// Makes the scope of the most recent local start at the current instruction.
    pub(super) fn restart_last_local(&mut self) {
        let start_pc = self.pc() as u32;
        if let Some(local) = self
            .active_locals
            .last()
            .and_then(|&index| self.locals.get_mut(index))
        {
            local.start_pc = start_pc;
            local.end_pc = start_pc;
        }
    }

    /// Ends the scope of the locals beyond the first `count` in scope.
    pub(super) fn end_locals(&mut self, count: usize) {
        let end_pc = self.pc() as u32;
        while self.active_locals.len() > count {
            if let Some(index) = self.active_locals.pop() {
                if let Some(local) = self.locals.get_mut(index) {
                    local.end_pc = end_pc;
                }
            }
        }
    }

    /// Places label `id` here: pending jumps land here, and a `Close` from `close_from`
    /// follows if given.
    pub(super) fn place_label(&mut self, id: LabelId, close_from: Option<usize>) -> Generated<()> {
        let here = self.mark_label();
        let slot = self
            .labels
            .get_mut(id as usize)
            .map(|slot| std::mem::replace(slot, LabelSlot::Placed(here)));
        if let Some(LabelSlot::Pending(jumps)) = slot {
            self.patch_list(jumps, here)?;
        }
        if let Some(level) = close_from {
            self.emit(Instruction::Close { from: level as u8 });
        }
        Ok(())
    }

    /// Sends `jumps` to label `id` (now if it is placed, when it is otherwise).
    pub(super) fn jumps_to_label(&mut self, id: LabelId, jumps: JumpList) -> Generated<()> {
        match self.labels.get(id as usize) {
            Some(LabelSlot::Placed(target)) => {
                let target = *target;
                self.patch_list(jumps, target)
            }
            Some(LabelSlot::Pending(pending)) => {
                // Walk the new (short) list rather than the pending one.
                let pending = *pending;
                let mut jumps = jumps;
                self.append_jumps(&mut jumps, pending)?;
                if let Some(slot) = self.labels.get_mut(id as usize) {
                    *slot = LabelSlot::Pending(jumps);
                }
                Ok(())
            }
            None => Ok(()),
        }
    }

    /// Whether label `id` is already placed (a goto to it jumps backwards).
    pub(super) fn is_label_placed(&self, id: LabelId) -> bool {
        matches!(self.labels.get(id as usize), Some(LabelSlot::Placed(_)))
    }

    /// Ends a loop whose block started at `state`: places its exit (closing variables when a
    /// break requires it, or always for a generic `for`), then ends the loop's scope.
    pub(super) fn leave_loop(
        &mut self,
        state: BlockState,
        exit: &LoopExit,
        always_close: bool,
    ) -> Generated<()> {
        self.line = exit.line;
        let level = state.locals_level;
        self.place_label(exit.label, exit.needs_close.then_some(level))?;
        if always_close && !exit.needs_close {
            self.emit(Instruction::Close { from: level as u8 });
        }
        self.restore_scope(state);
        Ok(())
    }
}
