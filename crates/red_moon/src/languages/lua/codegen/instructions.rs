//! Small edits of already emitted instructions (PUC's `SETARG_*` on packed words).

use crate::bytecode::Instruction;

/// Placeholder destination of a `TestSet` whose destination is not known yet.
pub const NO_REGISTER: u8 = u8::MAX;

/// Sets the destination register of an instruction emitted before its destination was known
/// (a "relocatable" value: reads of variables and fields, operators, closures, `...`).
pub fn set_destination(instruction: &mut Instruction, register: u8) {
    use Instruction::*;
    match instruction {
        Move { dst, .. }
        | LoadConstant { dst, .. }
        | LoadInteger { dst, .. }
        | LoadFloat { dst, .. }
        | LoadBoolean { dst, .. }
        | GetUpvalue { dst, .. }
        | GetTableUpvalue { dst, .. }
        | GetTable { dst, .. }
        | GetIndex { dst, .. }
        | GetField { dst, .. }
        | NewTable { dst, .. }
        | Add { dst, .. }
        | Sub { dst, .. }
        | Mul { dst, .. }
        | Div { dst, .. }
        | IDiv { dst, .. }
        | Mod { dst, .. }
        | Pow { dst, .. }
        | BAnd { dst, .. }
        | BOr { dst, .. }
        | BXor { dst, .. }
        | Shl { dst, .. }
        | Shr { dst, .. }
        | AddK { dst, .. }
        | SubK { dst, .. }
        | MulK { dst, .. }
        | DivK { dst, .. }
        | IDivK { dst, .. }
        | ModK { dst, .. }
        | PowK { dst, .. }
        | BAndK { dst, .. }
        | BOrK { dst, .. }
        | BXorK { dst, .. }
        | ShlK { dst, .. }
        | ShrK { dst, .. }
        | AddI { dst, .. }
        | Unm { dst, .. }
        | BNot { dst, .. }
        | Not { dst, .. }
        | Len { dst, .. }
        | Closure { dst, .. }
        | VarArg { dst, .. } => *dst = register,
        _ => debug_assert!(false, "not a relocatable instruction: {instruction:?}"),
    }
}

/// Whether the instruction conditionally skips the jump that follows it.
pub fn is_conditional_skip(instruction: &Instruction) -> bool {
    use Instruction::*;
    matches!(
        instruction,
        Eq { .. }
            | Lt { .. }
            | Le { .. }
            | EqK { .. }
            | EqI { .. }
            | LtI { .. }
            | LeI { .. }
            | GtI { .. }
            | GeI { .. }
            | Test { .. }
            | TestSet { .. }
    )
}

/// Inverts the condition of a comparison.
pub fn negate_condition(instruction: &mut Instruction) {
    use Instruction::*;
    match instruction {
        Eq { expect, .. }
        | Lt { expect, .. }
        | Le { expect, .. }
        | EqK { expect, .. }
        | EqI { expect, .. }
        | LtI { expect, .. }
        | LeI { expect, .. }
        | GtI { expect, .. }
        | GeI { expect, .. } => *expect = !*expect,
        _ => debug_assert!(false, "not a comparison: {instruction:?}"),
    }
}
