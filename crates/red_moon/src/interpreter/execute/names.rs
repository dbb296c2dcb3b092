//! Names for values in error messages and tracebacks, found by inspecting the bytecode the
//! way PUC's `getobjname` does: the register's active local variable, or else the last
//! instruction that unconditionally wrote the register (a global read, a field, an
//! upvalue, a constant, a method lookup).

use crate::bytecode::Instruction;
use crate::interpreter::function::FunctionProto;
use crate::interpreter::thread::FrameKind;
use crate::interpreter::value::Value;
use crate::interpreter::Vm;

/// The kind of name found for a value (the word PUC prints before the name).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum VariableKind {
    Local,
    Global,
    Field,
    Upvalue,
    Constant,
    Method,
    ForIterator,
    Metamethod,
    Hook,
}

impl VariableKind {
    pub(crate) fn word(self) -> &'static str {
        match self {
            VariableKind::Local => "local",
            VariableKind::Global => "global",
            VariableKind::Field => "field",
            VariableKind::Upvalue => "upvalue",
            VariableKind::Constant => "constant",
            VariableKind::Method => "method",
            VariableKind::ForIterator => "for iterator",
            VariableKind::Metamethod => "metamethod",
            VariableKind::Hook => "hook",
        }
    }
}

fn constant_name(proto: &FunctionProto, index: usize) -> Vec<u8> {
    match proto.constants.get(index) {
        Some(Value::String(_)) => {
            proto_constant_bytes(proto, index).unwrap_or_else(|| b"?".to_vec())
        }
        _ => b"?".to_vec(),
    }
}

/// The bytes of a string constant, from the compiler's prototype (no heap access needed).
fn proto_constant_bytes(proto: &FunctionProto, index: usize) -> Option<Vec<u8>> {
    match proto.proto.constants.get(index)? {
        crate::bytecode::Constant::String(s) => Some(s.to_vec()),
        _ => None,
    }
}

fn upvalue_name(proto: &FunctionProto, index: u8) -> Vec<u8> {
    proto
        .proto
        .upvalues
        .get(index as usize)
        .map_or_else(|| b"?".to_vec(), |u| u.name.to_vec())
}

/// Whether `instruction` (at `pc`) writes register `reg`.
fn writes_register(instruction: Instruction, reg: u8) -> bool {
    use Instruction as I;
    let r = reg as usize;
    match instruction {
        I::LoadNil { dst, count } => (dst as usize..dst as usize + count as usize).contains(&r),
        I::Call { func, .. } | I::TailCall { func, .. } => reg >= func,
        I::TForCall { base, .. } => r >= base as usize + 4,
        I::VarArg { dst, .. } => reg >= dst,
        I::SelfMethod { dst, .. } => r == dst as usize || r == dst as usize + 1,
        I::ForPrep { base, .. } | I::ForLoop { base, .. } => {
            (base as usize..base as usize + 4).contains(&r)
        }
        I::TForLoop { base, .. } => r == base as usize + 2,
        I::Concat { first, .. } => reg == first,
        I::Move { dst, .. }
        | I::LoadConstant { dst, .. }
        | I::LoadInteger { dst, .. }
        | I::LoadFloat { dst, .. }
        | I::LoadBoolean { dst, .. }
        | I::LoadFalseSkip { dst }
        | I::GetUpvalue { dst, .. }
        | I::GetTableUpvalue { dst, .. }
        | I::GetTable { dst, .. }
        | I::GetIndex { dst, .. }
        | I::GetField { dst, .. }
        | I::NewTable { dst, .. }
        | I::Add { dst, .. }
        | I::Sub { dst, .. }
        | I::Mul { dst, .. }
        | I::Div { dst, .. }
        | I::IDiv { dst, .. }
        | I::Mod { dst, .. }
        | I::Pow { dst, .. }
        | I::BAnd { dst, .. }
        | I::BOr { dst, .. }
        | I::BXor { dst, .. }
        | I::Shl { dst, .. }
        | I::Shr { dst, .. }
        | I::AddK { dst, .. }
        | I::SubK { dst, .. }
        | I::MulK { dst, .. }
        | I::DivK { dst, .. }
        | I::IDivK { dst, .. }
        | I::ModK { dst, .. }
        | I::PowK { dst, .. }
        | I::BAndK { dst, .. }
        | I::BOrK { dst, .. }
        | I::BXorK { dst, .. }
        | I::ShlK { dst, .. }
        | I::ShrK { dst, .. }
        | I::AddI { dst, .. }
        | I::Unm { dst, .. }
        | I::BNot { dst, .. }
        | I::Not { dst, .. }
        | I::Len { dst, .. }
        | I::TestSet { dst, .. }
        | I::Closure { dst, .. } => reg == dst,
        _ => false,
    }
}

/// The last instruction before `last_pc` that certainly set `reg` (not inside code that a
/// jump may have skipped), like PUC's `findsetreg`.
fn find_set_register(proto: &FunctionProto, last_pc: usize, reg: u8) -> Option<usize> {
    let code = proto.code();
    let mut set_at = None;
    let mut jump_target = 0usize;
    for (pc, &instruction) in code.iter().enumerate().take(last_pc) {
        if let Instruction::Jmp { offset } = instruction {
            let dest = pc as i64 + 1 + offset as i64;
            if dest >= 0 && dest as usize <= last_pc && dest as usize > jump_target {
                jump_target = dest as usize;
            }
            continue;
        }
        if writes_register(instruction, reg) {
            set_at = (pc >= jump_target).then_some(pc);
        }
    }
    set_at
}

/// PUC's `getobjname`: a name for the value in register `reg` at `pc`.
pub(crate) fn object_name(
    proto: &FunctionProto,
    pc: usize,
    reg: u8,
) -> Option<(VariableKind, Vec<u8>)> {
    object_name_depth(proto, pc, reg, 0)
}

fn object_name_depth(
    proto: &FunctionProto,
    pc: usize,
    reg: u8,
    depth: u32,
) -> Option<(VariableKind, Vec<u8>)> {
    if depth > 50 {
        return None;
    }
    if let Some(name) = proto.local_name(reg, pc) {
        return Some((VariableKind::Local, name.to_vec()));
    }
    let set_pc = find_set_register(proto, pc, reg)?;
    let global_or_field = |table_name: &[u8]| {
        if table_name == b"_ENV" {
            VariableKind::Global
        } else {
            VariableKind::Field
        }
    };
    match *proto.code().get(set_pc)? {
        Instruction::Move { dst, src } if src < dst => {
            object_name_depth(proto, set_pc, src, depth + 1)
        }
        Instruction::GetTableUpvalue { upvalue, key, .. } => {
            let kind = global_or_field(&upvalue_name(proto, upvalue));
            Some((kind, constant_name(proto, key as usize)))
        }
        Instruction::GetTable { table, key, .. } => {
            let key_name = match object_name_depth(proto, set_pc, key, depth + 1) {
                Some((VariableKind::Constant, name)) => name,
                _ => b"?".to_vec(),
            };
            let table_name = object_name_depth(proto, set_pc, table, depth + 1).map(|(_, n)| n);
            Some((
                global_or_field(table_name.as_deref().unwrap_or(b"")),
                key_name,
            ))
        }
        Instruction::GetIndex { .. } => Some((VariableKind::Field, b"integer index".to_vec())),
        Instruction::GetField { table, key, .. } => {
            let table_name = object_name_depth(proto, set_pc, table, depth + 1).map(|(_, n)| n);
            Some((
                global_or_field(table_name.as_deref().unwrap_or(b"")),
                constant_name(proto, key as usize),
            ))
        }
        Instruction::GetUpvalue { upvalue, .. } => {
            Some((VariableKind::Upvalue, upvalue_name(proto, upvalue)))
        }
        Instruction::LoadConstant { constant, .. } => {
            proto_constant_bytes(proto, constant as usize)
                .map(|name| (VariableKind::Constant, name))
        }
        Instruction::SelfMethod { key, .. } => {
            Some((VariableKind::Method, constant_name(proto, key as usize)))
        }
        _ => None,
    }
}

/// PUC's `funcnamefromcode`: how the instruction at `pc` called a function.
pub(crate) fn calling_name(proto: &FunctionProto, pc: usize) -> Option<(VariableKind, Vec<u8>)> {
    use Instruction as I;
    let instruction = *proto.code().get(pc)?;
    let event = match instruction {
        I::Call { func, .. } | I::TailCall { func, .. } => return object_name(proto, pc, func),
        I::TForCall { .. } => return Some((VariableKind::ForIterator, b"for iterator".to_vec())),
        I::SelfMethod { .. }
        | I::GetTableUpvalue { .. }
        | I::GetTable { .. }
        | I::GetIndex { .. }
        | I::GetField { .. } => "index",
        I::SetTableUpvalue { .. }
        | I::SetTable { .. }
        | I::SetIndex { .. }
        | I::SetField { .. } => "newindex",
        I::Add { .. } | I::AddK { .. } | I::AddI { .. } => "add",
        I::Sub { .. } | I::SubK { .. } => "sub",
        I::Mul { .. } | I::MulK { .. } => "mul",
        I::Div { .. } | I::DivK { .. } => "div",
        I::IDiv { .. } | I::IDivK { .. } => "idiv",
        I::Mod { .. } | I::ModK { .. } => "mod",
        I::Pow { .. } | I::PowK { .. } => "pow",
        I::BAnd { .. } | I::BAndK { .. } => "band",
        I::BOr { .. } | I::BOrK { .. } => "bor",
        I::BXor { .. } | I::BXorK { .. } => "bxor",
        I::Shl { .. } | I::ShlK { .. } => "shl",
        I::Shr { .. } | I::ShrK { .. } => "shr",
        I::Unm { .. } => "unm",
        I::BNot { .. } => "bnot",
        I::Len { .. } => "len",
        I::Concat { .. } => "concat",
        I::Eq { .. } => "eq",
        I::Lt { .. } | I::LtI { .. } | I::GtI { .. } => "lt",
        I::Le { .. } | I::LeI { .. } | I::GeI { .. } => "le",
        I::Close { .. } | I::Return { .. } | I::Return0 | I::Return1 { .. } => "close",
        _ => return None,
    };
    Some((VariableKind::Metamethod, event.as_bytes().to_vec()))
}

/// The register an operand of an instruction reads (0 = first operand, 1 = second), if it
/// is a register.
pub(crate) fn operand_register(instruction: Instruction, operand: usize) -> Option<u8> {
    use Instruction as I;
    match (instruction, operand) {
        (
            I::Add { lhs, rhs, .. }
            | I::Sub { lhs, rhs, .. }
            | I::Mul { lhs, rhs, .. }
            | I::Div { lhs, rhs, .. }
            | I::IDiv { lhs, rhs, .. }
            | I::Mod { lhs, rhs, .. }
            | I::Pow { lhs, rhs, .. }
            | I::BAnd { lhs, rhs, .. }
            | I::BOr { lhs, rhs, .. }
            | I::BXor { lhs, rhs, .. }
            | I::Shl { lhs, rhs, .. }
            | I::Shr { lhs, rhs, .. },
            n,
        ) => Some(if n == 0 { lhs } else { rhs }),
        (
            I::AddK { lhs, .. }
            | I::SubK { lhs, .. }
            | I::MulK { lhs, .. }
            | I::DivK { lhs, .. }
            | I::IDivK { lhs, .. }
            | I::ModK { lhs, .. }
            | I::PowK { lhs, .. }
            | I::BAndK { lhs, .. }
            | I::BOrK { lhs, .. }
            | I::BXorK { lhs, .. }
            | I::ShlK { lhs, .. }
            | I::ShrK { lhs, .. }
            | I::AddI { lhs, .. },
            0,
        ) => Some(lhs),
        (I::Unm { src, .. } | I::BNot { src, .. } | I::Len { src, .. }, _) => Some(src),
        (
            I::GetTable { table, .. }
            | I::GetIndex { table, .. }
            | I::GetField { table, .. }
            | I::SetTable { table, .. }
            | I::SetIndex { table, .. }
            | I::SetField { table, .. },
            _,
        ) => Some(table),
        (I::SelfMethod { object, .. }, _) => Some(object),
        (I::Call { func, .. } | I::TailCall { func, .. }, _) => Some(func),
        _ => None,
    }
}

impl Vm {
    /// The running Lua frame's prototype and the pc of the instruction being executed.
    pub(crate) fn current_instruction(&self) -> Option<(std::rc::Rc<FunctionProto>, usize, usize)> {
        let frame = self.thread.frames.last()?;
        let FrameKind::Lua { closure, pc } = frame.kind else {
            return None;
        };
        let proto = self.heap.closures.get(closure.0)?.proto.clone();
        Some((proto, (pc as usize).saturating_sub(1), frame.base as usize))
    }

    /// " (local 'x')"-style information about operand `operand` of the instruction being
    /// executed, or "" when nothing is known.
    pub(crate) fn operand_info(&self, operand: usize) -> String {
        let Some((proto, pc, _)) = self.current_instruction() else {
            return String::new();
        };
        let described = match proto.code().get(pc) {
            Some(
                &Instruction::GetTableUpvalue { upvalue, .. }
                | &Instruction::SetTableUpvalue { upvalue, .. },
            ) => Some((VariableKind::Upvalue, upvalue_name(&proto, upvalue))),
            Some(&instruction) => {
                operand_register(instruction, operand).and_then(|reg| object_name(&proto, pc, reg))
            }
            None => None,
        };
        format_variable(described)
    }

    /// Variable information for stack slot `slot` of the running Lua frame.
    pub(crate) fn slot_info(&self, slot: usize) -> String {
        let Some((proto, pc, base)) = self.current_instruction() else {
            return String::new();
        };
        let Some(reg) = slot.checked_sub(base).and_then(|r| u8::try_from(r).ok()) else {
            return String::new();
        };
        format_variable(object_name(&proto, pc, reg))
    }

    /// Name of the local variable at stack slot `slot` of the running Lua frame.
    pub(crate) fn local_name_at_slot(&self, slot: usize) -> Option<String> {
        let (proto, pc, base) = self.current_instruction()?;
        let reg = u8::try_from(slot.checked_sub(base)?).ok()?;
        proto
            .local_name(reg, pc + 1)
            .map(|n| String::from_utf8_lossy(n).into_owned())
    }
}

pub(crate) fn format_variable(described: Option<(VariableKind, Vec<u8>)>) -> String {
    match described {
        Some((kind, name)) => format!(" ({} '{}')", kind.word(), String::from_utf8_lossy(&name)),
        None => String::new(),
    }
}
