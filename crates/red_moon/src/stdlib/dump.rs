//! `string.dump` and the VM side of loading binary chunks.
//!
//! Dumping is always available (it only serializes a function the script already holds).
//! Loading binary chunks is a host capability, off by default: bytecode that did not come
//! from our compiler must pass the verifier (`crate::bytecode::verify`) before it runs, and
//! a host that does not need binary chunks should not accept them at all. The `red-moon`
//! CLI (`open_all_libraries`) turns it on.

use crate::bytecode::{binary, verify};
use crate::interpreter::native::{Args, Outcome};
use crate::interpreter::value::{LuaType, Value};
use crate::interpreter::{LuaResult, Vm};
use std::rc::Rc;

/// About one unit of fuel per 16 bytes encoded or decoded.
const BYTES_PER_FUEL_UNIT: usize = 16;

impl Vm {
    /// Allows (`true`) or forbids (`false`, the default) loading binary chunks with `load`,
    /// `loadfile` and `dofile`. Chunks are verified before they run, but accept them only
    /// from sources you would let run code anyway.
    pub fn set_binary_chunks(&mut self, enabled: bool) {
        self.binary_chunks = enabled;
    }

    /// Whether `load` accepts binary chunks (see [`Vm::set_binary_chunks`]).
    pub fn binary_chunks(&self) -> bool {
        self.binary_chunks
    }

    /// Loads a binary chunk (`source` starts with `"\x1bLua"`): decodes and verifies it, then
    /// creates its function with `env` (default: the globals) as first upvalue. Failures come
    /// back as `Ok(Err(message))`, the message `load` returns.
    pub(crate) fn load_binary_chunk(
        &mut self,
        source: &[u8],
        chunk_name: &[u8],
        env: Option<Value>,
    ) -> LuaResult<Result<Value, Vec<u8>>> {
        if !self.binary_chunks {
            return Ok(Err(
                b"attempt to load a binary chunk (binary chunks are disabled)".to_vec(),
            ));
        }
        self.charge_fuel((source.len() / BYTES_PER_FUEL_UNIT) as i64)?;
        self.check_memory(source.len())?;
        let proto = match binary::decode(source) {
            Ok(proto) => proto,
            Err(error) => return Ok(Err(bad_format(chunk_name, &error.to_string()))),
        };
        if let Err(error) = verify(&proto) {
            let reason = format!("invalid code: {error}");
            return Ok(Err(bad_format(chunk_name, &reason)));
        }
        let loaded = self.load_proto(Rc::new(proto))?;
        let env = env.unwrap_or(Value::Table(self.globals));
        self.instantiate(loaded, env).map(Ok)
    }
}

/// PUC's message for an unloadable binary chunk: `<name>: bad binary format (<reason>)`,
/// where the name drops the `@`/`=` prefix of the chunk name, and a chunk named by its own
/// bytes (the default for `load(string)`) is called "binary string".
fn bad_format(chunk_name: &[u8], reason: &str) -> Vec<u8> {
    let name: &[u8] = match chunk_name.first() {
        Some(b'@' | b'=') => chunk_name.get(1..).unwrap_or_default(),
        Some(0x1b) => b"binary string",
        _ => chunk_name,
    };
    let mut message = name.to_vec();
    message.extend_from_slice(b": bad binary format (");
    message.extend_from_slice(reason.as_bytes());
    message.push(b')');
    message
}

/// `string.dump(f [, strip])`: the binary chunk of Lua function `f`, without debug
/// information when `strip` is true.
pub(crate) fn dump(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let function = vm.check_type(args, 1, LuaType::Function)?;
    let strip = vm.arg(args, 2).is_truthy();
    let Value::Closure(closure) = function else {
        return Err(vm.library_error("unable to dump given function"));
    };
    let proto = vm.closure_proto(closure)?;
    let bytes = binary::encode(&proto.proto, strip);
    vm.charge_fuel((bytes.len() / BYTES_PER_FUEL_UNIT) as i64)?;
    vm.return_string(&bytes)
}

#[cfg(test)]
mod tests;
