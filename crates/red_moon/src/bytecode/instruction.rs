//! The register instruction set executed by the interpreter loop.
//!
//! The design follows PUC Lua 5.4 (a register machine whose frames are windows of the thread's
//! value stack) but every instruction is a Rust enum variant instead of a packed 32-bit word:
//! decoding is free, the verifier can check every operand by type, and serde derives the format.
//! Every variant fits in 8 bytes.
//!
//! Conventions used in the documentation below:
//! - `R[x]` is register `x` of the current frame (`stack[base + x]`).
//! - `K[x]` is constant `x` of the current prototype.
//! - `U[x]` is upvalue `x` of the running closure.
//! - "RK" operands are a register index plus a `*_is_constant` flag selecting `K[x]` instead.
//! - `top` is the dynamic stack top set by an instruction producing a variable number of values
//!   (a call with `results_plus_one == 0` or `VarArg` with `count_plus_one == 0`); the very next
//!   instruction consumes it (a call, `Return` or `SetList` with a 0 count).
//! - Jump offsets are relative to the instruction *after* the jump: `pc_next += offset`.
//! - "Conditional skip" instructions (`Eq`, `Lt`, `Test`, ...) are always followed by a `Jmp`.
//!   When the condition holds, the interpreter performs that jump; otherwise it skips it.
//!   ("holds" means `result == expect`.)

/// One instruction. See the module documentation for notation.
#[derive(serde::Serialize, serde::Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Instruction {
    /// `R[dst] = R[src]`
    Move {
        dst: u8,
        src: u8,
    },
    /// `R[dst] = K[constant]`
    LoadConstant {
        dst: u8,
        constant: u32,
    },
    /// `R[dst] = value` (an integer)
    LoadInteger {
        dst: u8,
        value: i32,
    },
    /// `R[dst] = value as float` (a float with an integral value)
    LoadFloat {
        dst: u8,
        value: i32,
    },
    /// `R[dst] = value`
    LoadBoolean {
        dst: u8,
        value: bool,
    },
    /// `R[dst] = false; pc++` (skips the next instruction; used to materialise comparisons)
    LoadFalseSkip {
        dst: u8,
    },
    /// `R[dst], ..., R[dst + count - 1] = nil` (`count >= 1`)
    LoadNil {
        dst: u8,
        count: u8,
    },

    /// `R[dst] = U[upvalue]`
    GetUpvalue {
        dst: u8,
        upvalue: u8,
    },
    /// `U[upvalue] = R[src]`
    SetUpvalue {
        src: u8,
        upvalue: u8,
    },
    /// `R[dst] = U[upvalue][K[key]]` where `K[key]` is a string (global reads through `_ENV`).
    GetTableUpvalue {
        dst: u8,
        upvalue: u8,
        key: u16,
    },
    /// `U[upvalue][K[key]] = RK(value)` where `K[key]` is a string (global writes).
    SetTableUpvalue {
        upvalue: u8,
        key: u16,
        value: u8,
        value_is_constant: bool,
    },

    /// `R[dst] = R[table][R[key]]`
    GetTable {
        dst: u8,
        table: u8,
        key: u8,
    },
    /// `R[dst] = R[table][index]` (integer key)
    GetIndex {
        dst: u8,
        table: u8,
        index: u8,
    },
    /// `R[dst] = R[table][K[key]]` where `K[key]` is a string.
    GetField {
        dst: u8,
        table: u8,
        key: u16,
    },
    /// `R[table][R[key]] = RK(value)`
    SetTable {
        table: u8,
        key: u8,
        value: u8,
        value_is_constant: bool,
    },
    /// `R[table][index] = RK(value)` (integer key)
    SetIndex {
        table: u8,
        index: u8,
        value: u8,
        value_is_constant: bool,
    },
    /// `R[table][K[key]] = RK(value)` where `K[key]` is a string.
    SetField {
        table: u8,
        key: u16,
        value: u8,
        value_is_constant: bool,
    },
    /// `R[dst] = {}` with size hints for the array and hash parts.
    NewTable {
        dst: u8,
        array_size: u16,
        hash_size: u16,
    },
    /// Method lookup: `R[dst + 1] = R[object]; R[dst] = R[object][K[key]]` (`K[key]` a string).
    /// Reads `R[object]` before writing either destination.
    SelfMethod {
        dst: u8,
        object: u8,
        key: u16,
    },

    /// `R[dst] = R[lhs] + R[rhs]` (and so on for each arithmetic and bitwise operator).
    /// Non-number operands (after string coercion for arithmetic) go to the metamethod.
    Add {
        dst: u8,
        lhs: u8,
        rhs: u8,
    },
    Sub {
        dst: u8,
        lhs: u8,
        rhs: u8,
    },
    Mul {
        dst: u8,
        lhs: u8,
        rhs: u8,
    },
    Div {
        dst: u8,
        lhs: u8,
        rhs: u8,
    },
    IDiv {
        dst: u8,
        lhs: u8,
        rhs: u8,
    },
    Mod {
        dst: u8,
        lhs: u8,
        rhs: u8,
    },
    Pow {
        dst: u8,
        lhs: u8,
        rhs: u8,
    },
    BAnd {
        dst: u8,
        lhs: u8,
        rhs: u8,
    },
    BOr {
        dst: u8,
        lhs: u8,
        rhs: u8,
    },
    BXor {
        dst: u8,
        lhs: u8,
        rhs: u8,
    },
    Shl {
        dst: u8,
        lhs: u8,
        rhs: u8,
    },
    Shr {
        dst: u8,
        lhs: u8,
        rhs: u8,
    },
    /// `R[dst] = R[lhs] + K[constant]` where `K[constant]` is a number (and so on). The
    /// constant is always the right operand, also for metamethod calls.
    AddK {
        dst: u8,
        lhs: u8,
        constant: u16,
    },
    SubK {
        dst: u8,
        lhs: u8,
        constant: u16,
    },
    MulK {
        dst: u8,
        lhs: u8,
        constant: u16,
    },
    DivK {
        dst: u8,
        lhs: u8,
        constant: u16,
    },
    IDivK {
        dst: u8,
        lhs: u8,
        constant: u16,
    },
    ModK {
        dst: u8,
        lhs: u8,
        constant: u16,
    },
    PowK {
        dst: u8,
        lhs: u8,
        constant: u16,
    },
    BAndK {
        dst: u8,
        lhs: u8,
        constant: u16,
    },
    BOrK {
        dst: u8,
        lhs: u8,
        constant: u16,
    },
    BXorK {
        dst: u8,
        lhs: u8,
        constant: u16,
    },
    ShlK {
        dst: u8,
        lhs: u8,
        constant: u16,
    },
    ShrK {
        dst: u8,
        lhs: u8,
        constant: u16,
    },
    /// `R[dst] = R[lhs] + value` (integer immediate, right operand).
    AddI {
        dst: u8,
        lhs: u8,
        value: i16,
    },
    /// `R[dst] = -R[src]`
    Unm {
        dst: u8,
        src: u8,
    },
    /// `R[dst] = ~R[src]`
    BNot {
        dst: u8,
        src: u8,
    },
    /// `R[dst] = not R[src]`
    Not {
        dst: u8,
        src: u8,
    },
    /// `R[dst] = #R[src]`
    Len {
        dst: u8,
        src: u8,
    },
    /// `R[first] = R[first] .. ... .. R[first + count - 1]` (`count >= 2`); concatenation is
    /// right-associative, so metamethods are tried pairwise from the right end. Registers
    /// above `first` are clobbered.
    Concat {
        first: u8,
        count: u8,
    },

    /// `pc += offset`
    Jmp {
        offset: i32,
    },
    /// Conditional skip: condition `R[lhs] == R[rhs]` (with `__eq`).
    Eq {
        lhs: u8,
        rhs: u8,
        expect: bool,
    },
    /// Conditional skip: condition `R[lhs] < R[rhs]` (with `__lt`).
    Lt {
        lhs: u8,
        rhs: u8,
        expect: bool,
    },
    /// Conditional skip: condition `R[lhs] <= R[rhs]` (with `__le`).
    Le {
        lhs: u8,
        rhs: u8,
        expect: bool,
    },
    /// Conditional skip: condition `R[lhs] == K[constant]` (raw equality; constants never have
    /// metamethods).
    EqK {
        lhs: u8,
        constant: u16,
        expect: bool,
    },
    /// Conditional skip: condition `R[lhs] == value`. `is_float` records that the source
    /// literal was a float, so the value passed to a metamethod has the right subtype.
    EqI {
        lhs: u8,
        value: i16,
        is_float: bool,
        expect: bool,
    },
    /// Conditional skip: condition `R[lhs] < value`.
    LtI {
        lhs: u8,
        value: i16,
        is_float: bool,
        expect: bool,
    },
    /// Conditional skip: condition `R[lhs] <= value`.
    LeI {
        lhs: u8,
        value: i16,
        is_float: bool,
        expect: bool,
    },
    /// Conditional skip: condition `R[lhs] > value` (metamethod `__lt(value, R[lhs])`).
    GtI {
        lhs: u8,
        value: i16,
        is_float: bool,
        expect: bool,
    },
    /// Conditional skip: condition `R[lhs] >= value` (metamethod `__le(value, R[lhs])`).
    GeI {
        lhs: u8,
        value: i16,
        is_float: bool,
        expect: bool,
    },
    /// Conditional skip: condition `truthy(R[src])`.
    Test {
        src: u8,
        expect: bool,
    },
    /// If `truthy(R[src]) == expect` then `R[dst] = R[src]` and the next `Jmp` is taken;
    /// otherwise the `Jmp` is skipped.
    TestSet {
        dst: u8,
        src: u8,
        expect: bool,
    },

    /// Call `R[func]` with arguments `R[func + 1] ..`.
    /// `args_plus_one == 0`: the arguments run up to `top`; otherwise there are
    /// `args_plus_one - 1` of them.
    /// Results are stored from `R[func]` on. `results_plus_one == 0`: all results are kept and
    /// `top` is set after the last one; otherwise exactly `results_plus_one - 1` (padded with
    /// nil).
    Call {
        func: u8,
        args_plus_one: u8,
        results_plus_one: u8,
    },
    /// `return R[func](args...)` as a proper tail call (same argument convention as `Call`).
    TailCall {
        func: u8,
        args_plus_one: u8,
    },
    /// Return `R[first] .. R[first + count_plus_one - 2]`, or up to `top` when
    /// `count_plus_one == 0`. Closes open upvalues and pending to-be-closed variables.
    Return {
        first: u8,
        count_plus_one: u8,
    },
    /// Return no values.
    Return0,
    /// Return `R[src]`.
    Return1 {
        src: u8,
    },

    /// Numeric `for` preparation. `R[base]` = initial value, `R[base + 1]` = limit,
    /// `R[base + 2]` = step; the loop variable lives in `R[base + 3]`. Validates and
    /// converts the values ("'for' initial value must be a number", "'for' step is zero",
    /// ...), precomputes the iteration count for integer loops (5.4 semantics, overflow safe),
    /// and, if the loop runs at least once, sets `R[base + 3]`; otherwise jumps by `offset`
    /// (to just after the matching `ForLoop`).
    ForPrep {
        base: u8,
        offset: i32,
    },
    /// Numeric `for` step: if another iteration is due, updates the internal state and
    /// `R[base + 3]` and jumps by `offset` (negative, to the loop body start).
    ForLoop {
        base: u8,
        offset: i32,
    },
    /// Generic `for` preparation: `R[base]` iterator, `R[base + 1]` state, `R[base + 2]`
    /// control, `R[base + 3]` closing value (marked to-be-closed if not nil/false).
    /// Then `pc += offset` (to the `TForCall`).
    TForPrep {
        base: u8,
        offset: i32,
    },
    /// `R[base + 4], ..., R[base + 3 + results] = R[base](R[base + 1], R[base + 2])`
    /// (`results >= 1`).
    TForCall {
        base: u8,
        results: u8,
    },
    /// If `R[base + 4] ~= nil` then `R[base + 2] = R[base + 4]; pc += offset` (backwards).
    TForLoop {
        base: u8,
        offset: i32,
    },

    /// `R[table][offset + i] = R[table + i]` for `1 <= i <= count`; `count == 0` means up to
    /// `top`.
    SetList {
        table: u8,
        count: u8,
        offset: u32,
    },
    /// `R[dst] = closure(child prototype [proto])`, capturing upvalues as the child's
    /// `UpvalueDescriptor`s describe.
    Closure {
        dst: u8,
        proto: u32,
    },
    /// Prologue of a vararg function with `fixed_params` named parameters (first instruction).
    VarArgPrep {
        fixed_params: u8,
    },
    /// `R[dst], ..., R[dst + count_plus_one - 2] = ...` (the extra arguments); with
    /// `count_plus_one == 0` all of them, setting `top`.
    VarArg {
        dst: u8,
        count_plus_one: u8,
    },
    /// Close upvalues and to-be-closed variables at or above `R[from]` (block exit).
    Close {
        from: u8,
    },
    /// Mark `R[src]` as a to-be-closed variable (error if it is neither false/nil nor has a
    /// `__close` metamethod: "variable 'x' got a non-closable value").
    ToBeClosed {
        src: u8,
    },
}

#[cfg(test)]
mod tests {
    use super::Instruction;

    #[test]
    fn instructions_are_eight_bytes() {
        assert_eq!(std::mem::size_of::<Instruction>(), 8);
    }
}
