//! Loading compiled prototypes into a VM: interning their constants and creating the main
//! closure with `_ENV` as its first upvalue.

use super::function::{FunctionProto, LuaClosure, Upvalue};
use super::value::Value;
use super::{LuaResult, Vm};
use crate::bytecode::{Constant, Proto};
use std::rc::Rc;

impl Vm {
    /// Loads the prototype of a main chunk: checks that its compiled code fits in the
    /// memory limit, then interns the constants of the whole tree. The code's size is
    /// charged to the heap with the chunk's closure (`FunctionProto::code_bytes`).
    pub(crate) fn load_proto(&mut self, proto: Rc<Proto>) -> LuaResult<Rc<FunctionProto>> {
        let code_bytes = code_size(&proto, 0);
        self.check_memory(code_bytes)?;
        self.load_proto_tree(proto, code_bytes)
    }

    /// Interns the constants of `proto` and its nested prototypes.
    fn load_proto_tree(
        &mut self,
        proto: Rc<Proto>,
        code_bytes: usize,
    ) -> LuaResult<Rc<FunctionProto>> {
        let mut constants = Vec::with_capacity(proto.constants.len());
        for constant in &proto.constants {
            constants.push(match constant {
                Constant::Nil => Value::Nil,
                Constant::Boolean(b) => Value::Boolean(*b),
                Constant::Integer(i) => Value::Integer(*i),
                Constant::Float(f) => Value::Float(*f),
                Constant::String(s) => self.new_string(s)?,
            });
        }
        let mut children = Vec::with_capacity(proto.protos.len());
        for child in &proto.protos {
            children.push(self.load_proto_tree(child.clone(), 0)?);
        }
        Ok(Rc::new(FunctionProto {
            proto,
            constants: constants.into_boxed_slice(),
            children: children.into_boxed_slice(),
            code_bytes,
        }))
    }

    /// Creates a closure for a main chunk (or a dumped function): its first upvalue is
    /// `env` (the globals by default), any others start as fresh nil cells.
    pub(crate) fn instantiate(&mut self, proto: Rc<FunctionProto>, env: Value) -> LuaResult<Value> {
        let count = proto.proto.upvalues.len();
        let mut upvalues = Vec::with_capacity(count);
        for i in 0..count {
            let value = if i == 0 { env } else { Value::Nil };
            let id = self
                .heap
                .allocate_upvalue(Upvalue::Closed(value))
                .ok_or_else(|| super::LuaError::internal("not enough memory"))?;
            upvalues.push(id);
        }
        let closure = LuaClosure {
            proto,
            upvalues: upvalues.into(),
        };
        match self.heap.allocate_closure(closure) {
            Some(id) => Ok(Value::Closure(id)),
            None => Err(self.out_of_memory()),
        }
    }

    /// Compiles Lua source text into a function value. A syntax error comes back as its
    /// message (`Ok(Err(message))`), as `load` returns it.
    pub(crate) fn load_source(
        &mut self,
        source: &[u8],
        chunk_name: &[u8],
        env: Option<Value>,
    ) -> LuaResult<Result<Value, Vec<u8>>> {
        let options = crate::languages::lua::CompileOptions {
            skip_comment_line: false,
        };
        let proto = match crate::languages::lua::compile_with_options(source, chunk_name, options) {
            Ok(proto) => proto,
            Err(error) => return Ok(Err(error.message)),
        };
        let loaded = self.load_proto(Rc::new(proto))?;
        let env = env.unwrap_or(Value::Table(self.globals));
        self.instantiate(loaded, env).map(Ok)
    }
}

/// Nesting bound of `code_size` (the compiler and the binary-chunk decoder bound nesting
/// far below this; deeper trees are simply not counted further).
const MAX_CODE_SIZE_DEPTH: usize = 1000;

/// Logical bytes of a prototype tree's compiled code: instructions, line information,
/// constants (their interned strings are counted as strings), locals, upvalue
/// descriptors and a fixed overhead per prototype.
fn code_size(proto: &Proto, depth: usize) -> usize {
    use crate::bytecode::{Instruction, LocalVariable, UpvalueDescriptor};
    use std::mem::size_of;
    const PROTO_OVERHEAD: usize = 256;
    let own = PROTO_OVERHEAD
        + proto.code.len() * size_of::<Instruction>()
        + proto.line_info.len() * size_of::<u32>()
        + proto.constants.len() * (size_of::<Constant>() + size_of::<Value>())
        + proto.locals.len() * (size_of::<LocalVariable>() + 16)
        + proto.upvalues.len() * (size_of::<UpvalueDescriptor>() + 16);
    if depth >= MAX_CODE_SIZE_DEPTH {
        return own;
    }
    proto.protos.iter().fold(own, |total, child| {
        total.saturating_add(code_size(child, depth + 1))
    })
}
