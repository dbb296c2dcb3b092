//! The embedding API: handles, host values, conversions and `VmContext`.

mod context;
mod convert;
mod handles;
mod host_function;
mod rehydrate;
mod value;

pub use context::{skip_file_prefix, VmContext};
pub use host_function::{CallContext, HostOutcome};
pub use convert::{ByteString, FromLua, FromMulti, IntoLua, IntoMulti, Variadic};
pub use handles::{CoroutineRef, FunctionRef, StringRef, TableRef, UserDataRef};
pub(crate) use handles::{HostRoots, ObjectKind};
pub use value::{MultiValue, Value};
