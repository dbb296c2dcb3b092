//! Functions: Lua closures over loaded prototypes, upvalue cells, and native functions.

use super::heap::{ThreadId, UpvalueId};
use super::native::NativeKind;
use super::value::Value;
use crate::bytecode::{Instruction, Proto};
use std::rc::Rc;

/// A prototype loaded into a VM: the compiler's `Proto` plus its constants as VM values
/// (strings interned in this VM's heap). Immutable after loading, so shared by `Rc` between
/// clones of the VM, whose heaps hold the same string ids.
#[derive(Debug)]
pub struct FunctionProto {
    pub proto: Rc<Proto>,
    pub constants: Box<[Value]>,
    pub children: Box<[Rc<FunctionProto>]>,
    /// Logical size of the compiled code of the whole prototype tree, charged to the heap
    /// with the closure `load` creates for a main chunk (see `LuaClosure::memory_size`);
    /// 0 for nested prototypes, whose code is already counted with their main chunk.
    pub code_bytes: usize,
}

impl FunctionProto {
    #[inline]
    pub fn code(&self) -> &[Instruction] {
        &self.proto.code
    }

    /// Source line of the instruction at `pc`; -1 when unknown (code loaded from a stripped
    /// binary chunk), as PUC reports it ("?:-1:").
    pub fn line_at(&self, pc: usize) -> i64 {
        self.proto
            .line_info
            .get(pc)
            .map_or(-1, |&line| i64::from(line))
    }

    /// Name of the local variable in register `register` at `pc`, if one is active.
    pub fn local_name(&self, register: u8, pc: usize) -> Option<&[u8]> {
        let pc = pc as u32;
        self.proto
            .locals
            .iter()
            .rev()
            .find(|l| l.register == register && l.start_pc <= pc && pc < l.end_pc)
            .map(|l| &*l.name)
    }
}

/// A Lua function value: a prototype plus the upvalue cells it captured.
#[derive(Clone, Debug)]
pub struct LuaClosure {
    pub proto: Rc<FunctionProto>,
    /// Shared with snapshots (a closure's upvalue list only changes by `debug.upvaluejoin`).
    pub upvalues: Rc<[UpvalueId]>,
}

impl LuaClosure {
    /// Logical size of the closure for the heap's accounting: its own cells plus, for the
    /// closure of a loaded main chunk, the compiled code it keeps alive (so a script cannot
    /// hold unbounded code outside the memory limit by loading chunks and keeping them).
    #[inline]
    pub fn memory_size(&self) -> usize {
        super::heap::OBJECT_OVERHEAD + self.upvalues.len() * 4 + self.proto.code_bytes
    }
}

/// An upvalue cell: while the captured local is alive it lives in a thread's stack (open);
/// when its scope ends the value moves into the cell (closed).
#[derive(serde::Serialize, serde::Deserialize, Clone, Copy, Debug)]
pub enum Upvalue {
    Open { thread: ThreadId, slot: u32 },
    Closed(Value),
}

/// A function implemented in Rust, with optional upvalues (like a C closure in PUC Lua).
#[derive(Clone)]
pub struct NativeFunction {
    pub kind: NativeKind,
    pub upvalues: Box<[Value]>,
}

impl std::fmt::Debug for NativeFunction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NativeFunction")
            .field("kind", &self.kind)
            .field("upvalues", &self.upvalues)
            .finish()
    }
}
