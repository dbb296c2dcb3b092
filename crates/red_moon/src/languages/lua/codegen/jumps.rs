//! Jumps: emitting and patching them, and compiling conditions to jump lists.
//!
//! A list of jumps waiting for the same destination is linked through the jumps themselves:
//! each pending `Jmp` holds the offset to the next one, [`LIST_END`] ending the list (as PUC
//! does), so a list is a single index and expression descriptors stay small.

use super::expression::{ExpDesc, ExpKind};
use super::instructions::{is_conditional_skip, negate_condition, NO_REGISTER};
use super::{FunctionBuilder, Generated};
use crate::bytecode::Instruction;

/// Offset of the last pending jump of a list (a jump to itself never waits in a list).
const LIST_END: i32 = -1;

/// Pending jumps sharing a destination: the index of the first one, linked to the others.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct JumpList(u32);

impl JumpList {
    pub const EMPTY: JumpList = JumpList(u32::MAX);

    /// The list made of the jump at `pc`.
    pub fn single(pc: usize) -> Self {
        JumpList(pc as u32)
    }

    pub fn is_empty(self) -> bool {
        self == Self::EMPTY
    }

    fn head(self) -> Option<usize> {
        (!self.is_empty()).then_some(self.0 as usize)
    }

    /// Takes the list, leaving an empty one.
    pub fn take(&mut self) -> Self {
        std::mem::replace(self, Self::EMPTY)
    }
}

impl Default for JumpList {
    fn default() -> Self {
        Self::EMPTY
    }
}

impl FunctionBuilder<'_> {
    /// Emits a jump whose destination is set later; returns its index.
    pub(super) fn jump(&mut self) -> usize {
        self.emit(Instruction::Jmp { offset: LIST_END })
    }

    /// Emits a jump to `target` (an earlier position).
    pub(super) fn jump_to(&mut self, target: usize) -> Generated<()> {
        let jump = self.jump();
        self.patch_list(JumpList::single(jump), target)
    }

    /// The jump after the one at `pc` in its list.
    fn next_in_list(&self, pc: usize) -> Option<usize> {
        match self.code.get(pc) {
            Some(Instruction::Jmp { offset }) if *offset != LIST_END => {
                Some((pc as i64 + 1 + i64::from(*offset)) as usize)
            }
            _ => None,
        }
    }

    /// The jumps of `list`, in order.
    fn jumps_of(&self, list: JumpList) -> impl Iterator<Item = usize> + '_ {
        std::iter::successors(list.head(), move |&pc| self.next_in_list(pc))
    }

    /// Adds the pending jump at `pc` to `list` (in front: the order of a list does not matter,
    /// and this keeps long lists linear to build).
    pub(super) fn push_jump(&mut self, list: &mut JumpList, pc: usize) -> Generated<()> {
        if let Some(head) = list.head() {
            self.fix_jump(pc, head)?;
        }
        *list = JumpList::single(pc);
        Ok(())
    }

    /// Appends the jumps of `other` to `list` (PUC's `luaK_concat`).
    pub(super) fn append_jumps(&mut self, list: &mut JumpList, other: JumpList) -> Generated<()> {
        let Some(other_head) = other.head() else {
            return Ok(());
        };
        match self.jumps_of(*list).last() {
            None => *list = other,
            Some(last) => self.fix_jump(last, other_head)?,
        }
        Ok(())
    }

    /// Emits a conditional skip followed by its jump; returns the jump's index.
    pub(super) fn conditional_jump(&mut self, test: Instruction) -> usize {
        self.emit(test);
        self.jump()
    }

    /// Points the jump at `pc` to `target`.
    pub(super) fn fix_jump(&mut self, pc: usize, target: usize) -> Generated<()> {
        let offset = target as i64 - (pc as i64 + 1);
        let Ok(offset) = i32::try_from(offset) else {
            return Err(self.error("control structure too long"));
        };
        if let Some(Instruction::Jmp { offset: slot }) = self.code.get_mut(pc) {
            *slot = offset;
        }
        Ok(())
    }

    /// Index of the instruction controlling the jump at `pc` (the test before it, if any).
    fn jump_control(&self, pc: usize) -> usize {
        match pc
            .checked_sub(1)
            .and_then(|previous| self.code.get(previous))
        {
            Some(instruction) if is_conditional_skip(instruction) => pc - 1,
            _ => pc,
        }
    }

    /// If the jump at `pc` is controlled by a `TestSet`, makes it copy its value into
    /// `register`, or turns it into a plain `Test` when there is no register or the value is
    /// already there. Returns whether it was a `TestSet`.
    fn patch_test_register(&mut self, pc: usize, register: Option<u8>) -> bool {
        let control = self.jump_control(pc);
        let Some(Instruction::TestSet { dst, src, expect }) = self.code.get(control).copied()
        else {
            return false;
        };
        self.code[control] = match register {
            Some(register) if register != src => Instruction::TestSet {
                dst: register,
                src,
                expect,
            },
            _ => {
                debug_assert!(dst == NO_REGISTER || register.is_none() || register == Some(src));
                Instruction::Test { src, expect }
            }
        };
        true
    }

    /// Makes the tests of `list` produce no values.
    pub(super) fn remove_values(&mut self, list: JumpList) {
        let mut next = list.head();
        while let Some(pc) = next {
            next = self.next_in_list(pc);
            self.patch_test_register(pc, None);
        }
    }

    /// Whether some jump of `list` does not produce a value (is not controlled by a `TestSet`).
    pub(super) fn need_value(&self, list: JumpList) -> bool {
        self.jumps_of(list).any(|pc| {
            !matches!(
                self.code.get(self.jump_control(pc)),
                Some(Instruction::TestSet { .. })
            )
        })
    }

    /// Patches the jumps of `list`: tests producing values copy them to `register` and jump
    /// to `value_target`; the others jump to `default_target`.
    pub(super) fn patch_list_with_values(
        &mut self,
        list: JumpList,
        value_target: usize,
        register: Option<u8>,
        default_target: usize,
    ) -> Generated<()> {
        let mut next = list.head();
        while let Some(pc) = next {
            next = self.next_in_list(pc);
            let target = if self.patch_test_register(pc, register) {
                value_target
            } else {
                default_target
            };
            self.fix_jump(pc, target)?;
        }
        Ok(())
    }

    /// Points every jump of `list` to `target`.
    pub(super) fn patch_list(&mut self, list: JumpList, target: usize) -> Generated<()> {
        self.patch_list_with_values(list, target, None, target)
    }

    /// Points every jump of `list` to the current position.
    pub(super) fn patch_to_here(&mut self, list: JumpList) -> Generated<()> {
        let here = self.mark_label();
        self.patch_list(list, here)
    }

    /// Emits a jump taken when `expression`'s value is `condition`; a `not` just computed is
    /// removed and the test inverted instead.
    fn jump_on_condition(&mut self, expression: &mut ExpDesc, condition: bool) -> Generated<usize> {
        if let ExpKind::Relocatable(pc) = expression.kind {
            if let Some(Instruction::Not { src, .. }) = self.code.get(pc).copied() {
                if pc + 1 == self.pc() {
                    self.remove_last_instruction();
                    return Ok(self.conditional_jump(Instruction::Test {
                        src,
                        expect: !condition,
                    }));
                }
            }
        }
        self.discharge_to_any_register(expression)?;
        self.free_expression(expression);
        let src = expression.fixed_register().unwrap_or(0);
        Ok(self.conditional_jump(Instruction::TestSet {
            dst: NO_REGISTER,
            src,
            expect: condition,
        }))
    }

    /// Inverts the comparison of a `Jump` expression.
    pub(super) fn negate_jump_condition(&mut self, pc: usize) {
        let control = self.jump_control(pc);
        if let Some(instruction) = self.code.get_mut(control) {
            negate_condition(instruction);
        }
    }

    /// Falls through when `expression` is true and jumps (via its false list) otherwise
    /// (PUC's `luaK_goiftrue`).
    pub(super) fn go_if_true(&mut self, expression: &mut ExpDesc) -> Generated<()> {
        self.discharge_variables(expression);
        let jump = match expression.kind {
            ExpKind::Jump(pc) => {
                self.negate_jump_condition(pc);
                Some(pc)
            }
            ExpKind::Constant(_)
            | ExpKind::Float(_)
            | ExpKind::Integer(_)
            | ExpKind::String(_)
            | ExpKind::True => None,
            _ => Some(self.jump_on_condition(expression, false)?),
        };
        if let Some(jump) = jump {
            self.push_jump(&mut expression.false_jumps, jump)?;
        }
        let true_jumps = expression.true_jumps.take();
        self.patch_to_here(true_jumps)
    }

    /// Falls through when `expression` is false and jumps (via its true list) otherwise
    /// (PUC's `luaK_goiffalse`).
    pub(super) fn go_if_false(&mut self, expression: &mut ExpDesc) -> Generated<()> {
        self.discharge_variables(expression);
        let jump = match expression.kind {
            ExpKind::Jump(pc) => Some(pc),
            ExpKind::Nil | ExpKind::False => None,
            _ => Some(self.jump_on_condition(expression, true)?),
        };
        if let Some(jump) = jump {
            self.push_jump(&mut expression.true_jumps, jump)?;
        }
        let false_jumps = expression.false_jumps.take();
        self.patch_to_here(false_jumps)
    }
}
