//! The virtual machine: values, heap, tables, threads and the execution loop.

/// `Clone` for a struct, field by field, with a `clone_from` that calls `clone_from` on
/// every field so that rolling back into an existing VM reuses its vectors. Both methods
/// name every field (a struct literal and a destructuring without `..`), so adding a field
/// without listing it here does not compile.
macro_rules! clone_by_field {
    ($type:ident { $($field:ident),* $(,)? }) => {
        impl Clone for $type {
            fn clone(&self) -> Self {
                $type { $($field: self.$field.clone()),* }
            }

            fn clone_from(&mut self, source: &Self) {
                let $type { $($field),* } = source;
                $(self.$field.clone_from($field);)*
            }
        }
    };
}
pub(crate) use clone_by_field;

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
