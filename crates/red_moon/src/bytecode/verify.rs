//! The bytecode verifier: decides whether a [`Proto`] tree is safe to load and run.
//!
//! The interpreter indexes registers directly and trusts the shape of the code, because the
//! compiler only produces well-formed prototypes. Prototypes from anywhere else (binary
//! chunks, VM snapshots from an untrusted peer) must pass [`verify`] first.
//!
//! # Guarantees
//!
//! When `verify(proto)` returns `Ok`, for `proto` and every prototype nested in it:
//!
//! - **Shape.** The tree is at most [`MAX_PROTO_DEPTH`] levels deep (so recursive walks
//!   such as loading and marking are bounded) and no prototype appears twice in it (so such
//!   walks take linear time). `param_count <= max_stack_size` (at most 255), at most
//!   [`MAX_UPVALUES`] upvalue descriptors, code of 1 to [`MAX_CODE_LENGTH`] instructions.
//! - **Registers.** Every register operand, and every register of a range an instruction
//!   reads or writes (`LoadNil`, the argument and result windows of `Call`/`TailCall`/
//!   `Return`, `Concat`, `SetList`, `SelfMethod`'s `dst + 1`, `ForPrep`/`ForLoop`/`TForPrep`
//!   `base..=base+3`, `TForCall` `base..=base+3+results`, `TForLoop` `base + 4`, a fixed-count
//!   `VarArg`), is below `max_stack_size`. A range that ends at the dynamic `top` starts at
//!   most at `max_stack_size`.
//! - **Constants.** Every constant index is in range; the keys of `GetField`, `SetField`,
//!   `GetTableUpvalue`, `SetTableUpvalue` and `SelfMethod` are strings; the constants of the
//!   arithmetic `*K` instructions are numbers.
//! - **Upvalues and closures.** Upvalue operands are below the number of upvalue
//!   descriptors; `Closure` indices name a nested prototype; each nested prototype's
//!   descriptors capture a register below the parent's `max_stack_size` (`in_stack`) or one
//!   of the parent's upvalues. The root's descriptors are not checked: whoever instantiates
//!   the root creates its upvalues (`load` makes fresh cells).
//! - **Control flow.** Every jump target (`Jmp`, the `for` instructions, the skips of
//!   `LoadFalseSkip` and of the conditional instructions) is an instruction of the function;
//!   every conditional instruction (`Eq` ... `TestSet`) is followed by a `Jmp`; the last
//!   instruction is a return, so execution cannot fall off the end.
//! - **Variable results.** An instruction that consumes values up to `top` (`Call`/`TailCall`
//!   with `args_plus_one == 0`, `Return` with `count_plus_one == 0`, `SetList` with
//!   `count == 0`) directly follows one that sets `top` (`Call` with `results_plus_one == 0`,
//!   `VarArg` with `count_plus_one == 0`, `TailCall`) and is not a jump target, so it never
//!   reads a stale `top`.
//! - **Varargs.** A vararg function starts with `VarArgPrep { fixed_params: param_count }`;
//!   `VarArgPrep` appears nowhere else, and `VarArg` only in vararg functions.
//! - **Debug information.** `line_info` is empty or has one entry per instruction; local
//!   variables live in registers below `max_stack_size` over pc ranges inside the code.
//!
//! Verification takes time linear in the size of the tree and never recurses.
//!
//! # Using it for other sources of prototypes
//!
//! Anything that builds prototypes from untrusted data (such as a VM snapshot
//! deserializer) must call `verify` on every root prototype before loading it, and must
//! also uphold what the verifier cannot see: a closure over a verified prototype has
//! exactly `upvalues.len()` upvalue cells (as `load` creates them), and a saved program
//! counter points at an instruction of its prototype. Verification is about one tree: a
//! prototype shared between two roots is checked once per root.
//!
//! Not checked (the interpreter copes with any value): immediates, table size hints,
//! `SetList` offsets, whether `for` instructions pair up, names, sources and line numbers.

use super::{Constant, Instruction, Proto};
use std::collections::HashSet;
use std::fmt;
use std::rc::Rc;

/// Deepest nesting of prototypes accepted (the root is at depth 0). The compiler cannot
/// produce deeper trees (its syntax nesting limit is lower).
pub const MAX_PROTO_DEPTH: usize = 200;

/// Most upvalue descriptors a function may have (PUC's limit; upvalue operands are bytes).
pub const MAX_UPVALUES: usize = 255;

/// Longest code accepted: program counters are stored as `u32` and jump offsets as `i32`.
pub const MAX_CODE_LENGTH: usize = i32::MAX as usize;

/// A rule of the verifier that a prototype breaks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Violation {
    /// Nested deeper than [`MAX_PROTO_DEPTH`].
    TooDeep,
    /// The same prototype object appears twice in the tree.
    SharedProto,
    EmptyCode,
    CodeTooLong {
        length: usize,
    },
    ParamsExceedStack {
        param_count: u8,
        max_stack_size: u8,
    },
    TooManyUpvalues {
        count: usize,
    },
    /// A register (or the end of a register range) at or beyond `max_stack_size`.
    RegisterOutOfRange {
        register: usize,
        max_stack_size: u8,
    },
    ConstantOutOfRange {
        index: usize,
        count: usize,
    },
    /// The constant exists but has the wrong type (`expected` is "string" or "number").
    ConstantKind {
        index: usize,
        expected: &'static str,
    },
    UpvalueOutOfRange {
        index: u8,
        count: usize,
    },
    ProtoOutOfRange {
        index: u32,
        count: usize,
    },
    /// `LoadNil` with no register, `Concat` of fewer than two, `TForCall` with no result.
    InvalidCount,
    JumpOutOfRange {
        target: i64,
        code_length: usize,
    },
    /// A conditional instruction not followed by a `Jmp`.
    MissingJump,
    /// The last instruction is not a return.
    MissingReturn,
    /// A `top`-consuming instruction not directly after a `top`-producing one, or reachable
    /// by a jump.
    OpenRangeWithoutProducer,
    /// A vararg function that does not start with a matching `VarArgPrep`.
    MissingVarArgPrep,
    /// `VarArgPrep` after the first instruction, in a fixed-arity function, or with a
    /// parameter count other than the function's.
    MisplacedVarArgPrep,
    VarArgInFixedFunction,
    /// A nested prototype's upvalue descriptor that captures nothing valid in the parent.
    InvalidCapture {
        child: usize,
        upvalue: usize,
        in_stack: bool,
        index: u8,
    },
    LineInfoLength {
        lines: usize,
        code_length: usize,
    },
    /// A local variable's register or pc range lies outside the function.
    InvalidLocal {
        index: usize,
    },
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Violation::TooDeep => write!(f, "functions nested more than {MAX_PROTO_DEPTH} deep"),
            Violation::SharedProto => write!(f, "a prototype appears twice in the tree"),
            Violation::EmptyCode => write!(f, "function has no code"),
            Violation::CodeTooLong { length } => write!(f, "code too long ({length})"),
            Violation::ParamsExceedStack {
                param_count,
                max_stack_size,
            } => write!(
                f,
                "{param_count} parameters exceed stack size {max_stack_size}"
            ),
            Violation::TooManyUpvalues { count } => write!(f, "too many upvalues ({count})"),
            Violation::RegisterOutOfRange {
                register,
                max_stack_size,
            } => write!(
                f,
                "register {register} out of range (stack size {max_stack_size})"
            ),
            Violation::ConstantOutOfRange { index, count } => {
                write!(f, "constant {index} out of range ({count} constants)")
            }
            Violation::ConstantKind { index, expected } => {
                write!(f, "constant {index} is not a {expected}")
            }
            Violation::UpvalueOutOfRange { index, count } => {
                write!(f, "upvalue {index} out of range ({count} upvalues)")
            }
            Violation::ProtoOutOfRange { index, count } => {
                write!(
                    f,
                    "function {index} out of range ({count} nested functions)"
                )
            }
            Violation::InvalidCount => write!(f, "invalid operand count"),
            Violation::JumpOutOfRange {
                target,
                code_length,
            } => write!(
                f,
                "jump to {target} outside the code ({code_length} instructions)"
            ),
            Violation::MissingJump => write!(f, "conditional instruction not followed by a jump"),
            Violation::MissingReturn => write!(f, "code does not end with a return"),
            Violation::OpenRangeWithoutProducer => write!(
                f,
                "variable number of values used without an instruction producing them"
            ),
            Violation::MissingVarArgPrep => write!(f, "vararg function without VarArgPrep"),
            Violation::MisplacedVarArgPrep => write!(f, "misplaced VarArgPrep"),
            Violation::VarArgInFixedFunction => write!(f, "VarArg in a non-vararg function"),
            Violation::InvalidCapture {
                child,
                upvalue,
                in_stack,
                index,
            } => write!(
                f,
                "upvalue {upvalue} of nested function {child} captures {} {index}, which does \
                 not exist",
                if *in_stack { "register" } else { "upvalue" }
            ),
            Violation::LineInfoLength { lines, code_length } => {
                write!(f, "{lines} line entries for {code_length} instructions")
            }
            Violation::InvalidLocal { index } => write!(f, "invalid local variable {index}"),
        }
    }
}

/// A prototype the verifier rejects, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifyError {
    /// `line_defined` of the offending function (0 for a main chunk), as a hint.
    pub line_defined: u32,
    /// Path from the root: indices into `protos` at each level (empty for the root).
    pub path: Vec<usize>,
    /// Index of the offending instruction, when the problem is one instruction.
    pub pc: Option<usize>,
    /// The offending instruction, if any.
    pub instruction: Option<Instruction>,
    pub violation: Violation,
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "main function")?;
        } else {
            write!(f, "function at line {}", self.line_defined)?;
        }
        if let (Some(pc), Some(instruction)) = (self.pc, self.instruction) {
            write!(f, ", instruction {} ({instruction:?})", pc + 1)?;
        }
        write!(f, ": {}", self.violation)
    }
}

impl std::error::Error for VerifyError {}

/// Checks `proto` and every nested prototype against the rules in the module
/// documentation.
pub fn verify(proto: &Proto) -> Result<(), VerifyError> {
    // Prototypes still to check, each with its index in `visited` (for error paths).
    let mut pending: Vec<(&Proto, usize)> = vec![(proto, 0)];
    // Every prototype reached: its parent's index in this list, its index among the
    // parent's `protos`, and its depth.
    let mut visited: Vec<(usize, usize, usize)> = vec![(0, 0, 0)];
    // Identity of every prototype reached, to refuse trees that share one (membership only:
    // the order of the set never matters).
    let mut seen: HashSet<*const Proto> = HashSet::new();
    seen.insert(proto as *const Proto);
    while let Some((current, node)) = pending.pop() {
        let depth = visited.get(node).map_or(0, |&(_, _, depth)| depth);
        if depth > MAX_PROTO_DEPTH {
            return Err(locate(&visited, node, current, Violation::TooDeep));
        }
        if let Err((pc, violation)) = FunctionCheck::new(current).run() {
            let mut error = locate(&visited, node, current, violation);
            error.pc = pc;
            error.instruction = pc.and_then(|pc| current.code.get(pc).copied());
            return Err(error);
        }
        for (index, child) in current.protos.iter().enumerate() {
            let mut violation = check_captures(current, index, child).err();
            if violation.is_none() && !seen.insert(Rc::as_ptr(child)) {
                violation = Some(Violation::SharedProto);
            }
            if let Some(violation) = violation {
                return Err(locate(&visited, node, current, violation));
            }
            visited.push((node, index, depth + 1));
            pending.push((child, visited.len() - 1));
        }
    }
    Ok(())
}

/// An error about `proto`, the prototype at `visited[node]`.
fn locate(
    visited: &[(usize, usize, usize)],
    node: usize,
    proto: &Proto,
    violation: Violation,
) -> VerifyError {
    let mut path = Vec::new();
    let mut current = node;
    while current != 0 {
        let Some(&(parent, index, _)) = visited.get(current) else {
            break;
        };
        path.push(index);
        current = parent;
    }
    path.reverse();
    VerifyError {
        line_defined: proto.line_defined,
        path,
        pc: None,
        instruction: None,
        violation,
    }
}

/// The upvalue descriptors of `parent.protos[index]` must capture a register of `parent` or
/// one of its upvalues.
fn check_captures(parent: &Proto, index: usize, child: &Proto) -> Result<(), Violation> {
    for (upvalue, descriptor) in child.upvalues.iter().enumerate() {
        let limit = if descriptor.in_stack {
            usize::from(parent.max_stack_size)
        } else {
            parent.upvalues.len()
        };
        if usize::from(descriptor.index) >= limit {
            return Err(Violation::InvalidCapture {
                child: index,
                upvalue,
                in_stack: descriptor.in_stack,
                index: descriptor.index,
            });
        }
    }
    Ok(())
}

/// The kind of constant an operand requires.
#[derive(Clone, Copy)]
enum ConstantKind {
    Any,
    String,
    Number,
}

/// A violation and the pc of the offending instruction (if one instruction is to blame).
type Failure = (Option<usize>, Violation);

/// The checks of one prototype on its own (its children are checked separately).
struct FunctionCheck<'a> {
    proto: &'a Proto,
    max_stack: usize,
    /// `is_target[pc]`: some jump or skip lands on instruction `pc`.
    is_target: Vec<bool>,
}

impl<'a> FunctionCheck<'a> {
    fn new(proto: &'a Proto) -> Self {
        FunctionCheck {
            proto,
            max_stack: usize::from(proto.max_stack_size),
            is_target: Vec::new(),
        }
    }

    fn run(mut self) -> Result<(), Failure> {
        self.check_header().map_err(|violation| (None, violation))?;
        self.is_target = vec![false; self.proto.code.len()];
        for (pc, &instruction) in self.proto.code.iter().enumerate() {
            self.check_instruction(pc, instruction)
                .map_err(|violation| (Some(pc), violation))?;
        }
        for (pc, &instruction) in self.proto.code.iter().enumerate() {
            self.check_open_range(pc, instruction)
                .map_err(|violation| (Some(pc), violation))?;
        }
        Ok(())
    }

    /// Everything that is not about one instruction.
    fn check_header(&self) -> Result<(), Violation> {
        let proto = self.proto;
        let code_length = proto.code.len();
        if code_length == 0 {
            return Err(Violation::EmptyCode);
        }
        if code_length > MAX_CODE_LENGTH {
            return Err(Violation::CodeTooLong {
                length: code_length,
            });
        }
        if proto.param_count > proto.max_stack_size {
            return Err(Violation::ParamsExceedStack {
                param_count: proto.param_count,
                max_stack_size: proto.max_stack_size,
            });
        }
        if proto.upvalues.len() > MAX_UPVALUES {
            return Err(Violation::TooManyUpvalues {
                count: proto.upvalues.len(),
            });
        }
        if !matches!(
            proto.code.last(),
            Some(Instruction::Return { .. } | Instruction::Return0 | Instruction::Return1 { .. })
        ) {
            return Err(Violation::MissingReturn);
        }
        if proto.is_vararg
            && proto.code.first()
                != Some(&Instruction::VarArgPrep {
                    fixed_params: proto.param_count,
                })
        {
            return Err(Violation::MissingVarArgPrep);
        }
        if !proto.line_info.is_empty() && proto.line_info.len() != code_length {
            return Err(Violation::LineInfoLength {
                lines: proto.line_info.len(),
                code_length,
            });
        }
        for (index, local) in proto.locals.iter().enumerate() {
            let valid = usize::from(local.register) < self.max_stack
                && local.start_pc <= local.end_pc
                && local.end_pc as usize <= code_length;
            if !valid {
                return Err(Violation::InvalidLocal { index });
            }
        }
        Ok(())
    }

    /// Operand checks of the instruction at `pc`; records where it may jump.
    fn check_instruction(&mut self, pc: usize, instruction: Instruction) -> Result<(), Violation> {
        use ConstantKind::{Any, Number, String};
        use Instruction as I;
        match instruction {
            I::Move { dst, src }
            | I::Unm { dst, src }
            | I::BNot { dst, src }
            | I::Not { dst, src }
            | I::Len { dst, src } => self.registers(&[dst, src]),
            I::LoadConstant { dst, constant } => {
                self.register(dst)?;
                self.constant(constant as usize, Any)
            }
            I::LoadInteger { dst, .. }
            | I::LoadFloat { dst, .. }
            | I::LoadBoolean { dst, .. }
            | I::NewTable { dst, .. } => self.register(dst),
            I::LoadFalseSkip { dst } => {
                self.register(dst)?;
                self.jump(pc, 1)
            }
            I::LoadNil { dst, count } => self.range(dst.into(), count.into(), 1),
            I::GetUpvalue { dst, upvalue } => {
                self.register(dst)?;
                self.upvalue(upvalue)
            }
            I::SetUpvalue { src, upvalue } => {
                self.register(src)?;
                self.upvalue(upvalue)
            }
            I::GetTableUpvalue { dst, upvalue, key } => {
                self.register(dst)?;
                self.upvalue(upvalue)?;
                self.constant(key.into(), String)
            }
            I::SetTableUpvalue {
                upvalue,
                key,
                value,
                value_is_constant,
            } => {
                self.upvalue(upvalue)?;
                self.constant(key.into(), String)?;
                self.register_or_constant(value, value_is_constant)
            }
            I::GetTable { dst, table, key } => self.registers(&[dst, table, key]),
            I::GetIndex { dst, table, .. } => self.registers(&[dst, table]),
            I::GetField { dst, table, key } => {
                self.registers(&[dst, table])?;
                self.constant(key.into(), String)
            }
            I::SetTable {
                table,
                key,
                value,
                value_is_constant,
            } => {
                self.registers(&[table, key])?;
                self.register_or_constant(value, value_is_constant)
            }
            I::SetIndex {
                table,
                value,
                value_is_constant,
                ..
            } => {
                self.register(table)?;
                self.register_or_constant(value, value_is_constant)
            }
            I::SetField {
                table,
                key,
                value,
                value_is_constant,
            } => {
                self.register(table)?;
                self.constant(key.into(), String)?;
                self.register_or_constant(value, value_is_constant)
            }
            I::SelfMethod { dst, object, key } => {
                self.range(dst.into(), 2, 2)?;
                self.register(object)?;
                self.constant(key.into(), String)
            }
            I::Add { dst, lhs, rhs }
            | I::Sub { dst, lhs, rhs }
            | I::Mul { dst, lhs, rhs }
            | I::Div { dst, lhs, rhs }
            | I::IDiv { dst, lhs, rhs }
            | I::Mod { dst, lhs, rhs }
            | I::Pow { dst, lhs, rhs }
            | I::BAnd { dst, lhs, rhs }
            | I::BOr { dst, lhs, rhs }
            | I::BXor { dst, lhs, rhs }
            | I::Shl { dst, lhs, rhs }
            | I::Shr { dst, lhs, rhs } => self.registers(&[dst, lhs, rhs]),
            I::AddK { dst, lhs, constant }
            | I::SubK { dst, lhs, constant }
            | I::MulK { dst, lhs, constant }
            | I::DivK { dst, lhs, constant }
            | I::IDivK { dst, lhs, constant }
            | I::ModK { dst, lhs, constant }
            | I::PowK { dst, lhs, constant }
            | I::BAndK { dst, lhs, constant }
            | I::BOrK { dst, lhs, constant }
            | I::BXorK { dst, lhs, constant }
            | I::ShlK { dst, lhs, constant }
            | I::ShrK { dst, lhs, constant } => {
                self.registers(&[dst, lhs])?;
                self.constant(constant.into(), Number)
            }
            I::AddI { dst, lhs, .. } => self.registers(&[dst, lhs]),
            I::Concat { first, count } => self.range(first.into(), count.into(), 2),
            I::Jmp { offset } => self.jump(pc, offset),
            I::Eq { lhs, rhs, .. } | I::Lt { lhs, rhs, .. } | I::Le { lhs, rhs, .. } => {
                self.registers(&[lhs, rhs])?;
                self.conditional(pc)
            }
            I::EqK { lhs, constant, .. } => {
                self.register(lhs)?;
                self.constant(constant.into(), Any)?;
                self.conditional(pc)
            }
            I::EqI { lhs, .. }
            | I::LtI { lhs, .. }
            | I::LeI { lhs, .. }
            | I::GtI { lhs, .. }
            | I::GeI { lhs, .. }
            | I::Test { src: lhs, .. } => {
                self.register(lhs)?;
                self.conditional(pc)
            }
            I::TestSet { dst, src, .. } => {
                self.registers(&[dst, src])?;
                self.conditional(pc)
            }
            I::Call {
                func,
                args_plus_one,
                results_plus_one,
            } => {
                self.call_arguments(func, args_plus_one)?;
                self.range(
                    func.into(),
                    usize::from(results_plus_one).saturating_sub(1),
                    0,
                )
            }
            I::TailCall {
                func,
                args_plus_one,
            } => self.call_arguments(func, args_plus_one),
            I::Return {
                first,
                count_plus_one,
            } => self.range(
                first.into(),
                usize::from(count_plus_one).saturating_sub(1),
                0,
            ),
            I::Return0 => Ok(()),
            I::Return1 { src } => self.register(src),
            I::ForPrep { base, offset }
            | I::ForLoop { base, offset }
            | I::TForPrep { base, offset } => {
                self.range(base.into(), 4, 4)?;
                self.jump(pc, offset)
            }
            I::TForCall { base, results } => {
                if results == 0 {
                    return Err(Violation::InvalidCount);
                }
                self.range(base.into(), 4 + usize::from(results), 5)
            }
            I::TForLoop { base, offset } => {
                self.range(base.into(), 5, 5)?;
                self.jump(pc, offset)
            }
            I::SetList { table, count, .. } => {
                self.register(table)?;
                self.range(usize::from(table) + 1, count.into(), 0)
            }
            I::Closure { dst, proto } => {
                self.register(dst)?;
                let count = self.proto.protos.len();
                if proto as usize >= count {
                    return Err(Violation::ProtoOutOfRange {
                        index: proto,
                        count,
                    });
                }
                Ok(())
            }
            I::VarArgPrep { fixed_params } => {
                if pc != 0 || !self.proto.is_vararg || fixed_params != self.proto.param_count {
                    return Err(Violation::MisplacedVarArgPrep);
                }
                Ok(())
            }
            I::VarArg {
                dst,
                count_plus_one,
            } => {
                if !self.proto.is_vararg {
                    return Err(Violation::VarArgInFixedFunction);
                }
                self.range(dst.into(), usize::from(count_plus_one).saturating_sub(1), 0)
            }
            I::Close { from } => self.range(from.into(), 0, 0),
            I::ToBeClosed { src } => self.register(src),
        }
    }

    /// `Call`/`TailCall`: the function register and a fixed argument window.
    fn call_arguments(&self, func: u8, args_plus_one: u8) -> Result<(), Violation> {
        self.register(func)?;
        let arguments = usize::from(args_plus_one).saturating_sub(1);
        self.range(usize::from(func) + 1, arguments, 0)
    }

    /// A `top`-consuming instruction must directly follow a `top`-producing one and must
    /// not be reachable otherwise (needs `is_target`, complete after the first pass).
    fn check_open_range(&self, pc: usize, instruction: Instruction) -> Result<(), Violation> {
        use Instruction as I;
        let consumes_top = matches!(
            instruction,
            I::Call {
                args_plus_one: 0,
                ..
            } | I::TailCall {
                args_plus_one: 0,
                ..
            } | I::Return {
                count_plus_one: 0,
                ..
            } | I::SetList { count: 0, .. }
        );
        if !consumes_top {
            return Ok(());
        }
        let previous = pc.checked_sub(1).and_then(|p| self.proto.code.get(p));
        let produced = matches!(
            previous,
            Some(
                I::Call {
                    results_plus_one: 0,
                    ..
                } | I::VarArg {
                    count_plus_one: 0,
                    ..
                } | I::TailCall { .. }
            )
        );
        if !produced || self.is_target.get(pc).copied().unwrap_or(true) {
            return Err(Violation::OpenRangeWithoutProducer);
        }
        Ok(())
    }

    fn register(&self, register: u8) -> Result<(), Violation> {
        if usize::from(register) < self.max_stack {
            Ok(())
        } else {
            Err(self.register_error(register.into()))
        }
    }

    fn registers(&self, registers: &[u8]) -> Result<(), Violation> {
        registers.iter().try_for_each(|&r| self.register(r))
    }

    /// Registers `first .. first + count` (none when `count == 0`, but `first` may then be
    /// at most `max_stack_size`), with `count >= min_count`.
    fn range(&self, first: usize, count: usize, min_count: usize) -> Result<(), Violation> {
        if count < min_count {
            return Err(Violation::InvalidCount);
        }
        let end = first + count;
        if end > self.max_stack {
            return Err(self.register_error(end.saturating_sub(1).max(first)));
        }
        Ok(())
    }

    fn register_error(&self, register: usize) -> Violation {
        Violation::RegisterOutOfRange {
            register,
            max_stack_size: self.proto.max_stack_size,
        }
    }

    fn register_or_constant(&self, value: u8, is_constant: bool) -> Result<(), Violation> {
        if is_constant {
            self.constant(value.into(), ConstantKind::Any)
        } else {
            self.register(value)
        }
    }

    fn constant(&self, index: usize, kind: ConstantKind) -> Result<(), Violation> {
        let constants = &self.proto.constants;
        let Some(constant) = constants.get(index) else {
            return Err(Violation::ConstantOutOfRange {
                index,
                count: constants.len(),
            });
        };
        let expected = match (kind, constant) {
            (ConstantKind::Any, _)
            | (ConstantKind::String, Constant::String(_))
            | (ConstantKind::Number, Constant::Integer(_) | Constant::Float(_)) => return Ok(()),
            (ConstantKind::String, _) => "string",
            (ConstantKind::Number, _) => "number",
        };
        Err(Violation::ConstantKind { index, expected })
    }

    fn upvalue(&self, index: u8) -> Result<(), Violation> {
        let count = self.proto.upvalues.len();
        if usize::from(index) < count {
            Ok(())
        } else {
            Err(Violation::UpvalueOutOfRange { index, count })
        }
    }

    /// A conditional instruction: the next one must be a `Jmp`, and skipping it (landing
    /// two instructions ahead) must stay inside the code.
    fn conditional(&mut self, pc: usize) -> Result<(), Violation> {
        if !matches!(self.proto.code.get(pc + 1), Some(Instruction::Jmp { .. })) {
            return Err(Violation::MissingJump);
        }
        self.jump(pc, 1)
    }

    /// A jump from the instruction at `pc` by `offset` (relative to `pc + 1`): the target
    /// must be an instruction; it is recorded as a jump target.
    fn jump(&mut self, pc: usize, offset: i32) -> Result<(), Violation> {
        let code_length = self.proto.code.len();
        let target = pc as i64 + 1 + i64::from(offset);
        match usize::try_from(target)
            .ok()
            .and_then(|t| self.is_target.get_mut(t))
        {
            Some(slot) => {
                *slot = true;
                Ok(())
            }
            None => Err(Violation::JumpOutOfRange {
                target,
                code_length,
            }),
        }
    }
}

#[cfg(test)]
mod tests;
