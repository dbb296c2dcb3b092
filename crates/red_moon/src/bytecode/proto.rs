//! Compiled function prototypes, independent of any VM heap.
//!
//! The compiler produces a tree of [`Proto`]s; loading it into a VM interns the string
//! constants into that VM's heap. Keeping the compiler's output heap-free means the compiler
//! can be tested alone, binary chunks (`string.dump`) are just a serialized `Proto`, and a
//! prototype can be shared (through `Rc`) by every clone of a VM because nobody mutates it.

use super::Instruction;
use std::rc::Rc;

/// A constant of a prototype's constant table.
#[derive(serde::Serialize, serde::Deserialize, Clone, Debug, PartialEq)]
pub enum Constant {
    Nil,
    Boolean(bool),
    Integer(i64),
    Float(f64),
    /// Lua strings are byte strings.
    String(Rc<[u8]>),
}

/// How a closure captures one upvalue when it is created by `Instruction::Closure`.
#[derive(serde::Serialize, serde::Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct UpvalueDescriptor {
    /// `true`: capture the enclosing function's register `index` (a local variable).
    /// `false`: reuse the enclosing closure's upvalue `index`.
    pub in_stack: bool,
    pub index: u8,
    /// The variable's name, for debug information and error messages.
    pub name: Rc<[u8]>,
}

/// Debug information about one local variable: it lives in register `register` while the
/// program counter is in `start_pc..end_pc` (instruction indices, `end_pc` exclusive).
#[derive(serde::Serialize, serde::Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct LocalVariable {
    pub name: Rc<[u8]>,
    pub register: u8,
    pub start_pc: u32,
    pub end_pc: u32,
}

/// A compiled Lua function.
#[derive(Clone, Debug, PartialEq)]
pub struct Proto {
    /// The chunk name as given to `load` (e.g. `"=stdin"`, `"@script.lua"`, or the source
    /// text itself for string chunks); error messages derive `chunk:line:` from it.
    pub source: Rc<[u8]>,
    /// Line where the function was defined (0 for the main chunk).
    pub line_defined: u32,
    /// Line of the function's `end` (0 for the main chunk).
    pub last_line_defined: u32,
    /// Number of named parameters.
    pub param_count: u8,
    /// Whether the function takes `...`.
    pub is_vararg: bool,
    /// Number of registers the function needs (at most 255).
    pub max_stack_size: u8,
    pub code: Vec<Instruction>,
    /// `line_info[pc]` is the source line of `code[pc]`.
    pub line_info: Vec<u32>,
    pub constants: Vec<Constant>,
    pub upvalues: Vec<UpvalueDescriptor>,
    /// Nested function prototypes, referenced by `Instruction::Closure`.
    pub protos: Vec<Rc<Proto>>,
    /// Local variables in order of declaration (registers may be reused by later locals).
    pub locals: Vec<LocalVariable>,
}
