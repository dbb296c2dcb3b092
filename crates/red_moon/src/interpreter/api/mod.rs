//! The embedding API: handles, host values, conversions and `VmContext`.

mod app_data;
mod builder;
mod context;
mod convert;
mod coroutine;
mod function;
mod handles;
mod host_function;
#[cfg(feature = "serde")]
mod lua_serde;
mod rehydrate;
mod sentinels;
mod table;
mod userdata;
mod userdata_class;
mod value;

pub use builder::{Libraries, VmBuilder};
pub use context::{skip_file_prefix, VmContext};
pub use convert::{ByteString, FromLua, FromMulti, IntoLua, IntoMulti, Variadic};
pub use coroutine::CoroutineStatus;
pub use handles::{CoroutineRef, FunctionRef, StringRef, TableRef, UserDataRef};
pub(crate) use handles::{HostRoots, ObjectKind};
pub use host_function::{CallContext, HostOutcome};
#[cfg(feature = "serde")]
pub use lua_serde::{DeserializeOptions, Serde, SerializeOptions};
pub(crate) use sentinels::builtin_userdata_tag;
pub use userdata_class::{UserData, UserDataMethods};
pub use value::{MultiValue, Value};

/// Host-side state of the API kept on the `Vm`: cloned with it, never serialized.
#[derive(Clone, Default)]
pub(crate) struct ApiState {
    /// App data (`Vm::set_app_data`).
    pub app_data: app_data::AppData,
    /// Userdata types whose metatable this VM has built (or rehydrated).
    pub userdata_classes: Vec<std::any::TypeId>,
}
