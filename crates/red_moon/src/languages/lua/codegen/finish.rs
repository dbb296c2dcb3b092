//! The last pass over a function's code.

use super::{FunctionBuilder, Generated};
use crate::bytecode::Instruction;

/// How many jumps in a row are followed when collapsing jumps to jumps (PUC's bound, which
/// also stops on loops made only of jumps).
const MAX_JUMP_CHAIN: usize = 100;

impl FunctionBuilder<'_> {
    /// Points every jump straight to its final destination when it lands on other jumps.
    pub(super) fn finish(&mut self) -> Generated<()> {
        for pc in 0..self.code.len() {
            if matches!(self.code[pc], Instruction::Jmp { .. }) {
                let target = self.final_target(pc);
                self.fix_jump(pc, target)?;
            }
        }
        Ok(())
    }

    /// Where the jump at `pc` ends up after following jumps to jumps.
    fn final_target(&self, pc: usize) -> usize {
        let mut position = pc;
        for _ in 0..MAX_JUMP_CHAIN {
            match self.code.get(position) {
                Some(Instruction::Jmp { offset }) => {
                    position = (position as i64 + 1 + i64::from(*offset)) as usize;
                }
                _ => break,
            }
        }
        position
    }
}
