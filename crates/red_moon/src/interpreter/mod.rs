//! The virtual machine: values, heap, tables, threads and the execution loop.

mod api;
pub(crate) mod execute;
pub(crate) mod function;
pub(crate) mod gc;
pub(crate) mod heap;
pub(crate) mod hooks;
mod load;
pub(crate) mod metamethod;
pub(crate) mod native;
pub(crate) mod table;
pub(crate) mod thread;
mod traceback;
pub(crate) mod userdata;
pub(crate) mod value;
pub(crate) mod vm;

pub use api::{
    skip_file_prefix, ByteString, CallContext, CoroutineRef, CoroutineStatus, FromLua, FromMulti,
    FunctionRef, HostOutcome, IntoLua, IntoMulti, Libraries, MultiValue, StringRef, TableRef,
    UserData, UserDataMethods, UserDataRef, Value, Variadic, VmBuilder, VmContext,
};
#[cfg(feature = "serde")]
pub use api::{DeserializeOptions, Serde, SerializeOptions};
pub use vm::{Limits, Vm};

/// An error being raised inside the VM: a Lua value (any type), or a violated internal
/// invariant reported as an error instead of a panic.
#[derive(Clone, Copy, Debug)]
pub enum LuaError {
    Value(value::Value),
    Internal(&'static str),
}

impl LuaError {
    #[inline]
    pub(crate) fn new(value: value::Value) -> Self {
        LuaError::Value(value)
    }

    pub(crate) fn internal(message: &'static str) -> Self {
        LuaError::Internal(message)
    }
}

pub(crate) type LuaResult<T> = Result<T, LuaError>;
