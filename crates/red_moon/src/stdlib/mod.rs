//! The standard libraries (manual §6), one module per library.
//!
//! Who gets what: `Vm::default()` installs only the libraries that are safe for untrusted
//! scripts (see `Libraries`); io, os beyond the time functions, debug, file loading and
//! binary chunks are separate opt-in loaders.

mod args;
pub(crate) mod basic;
pub(crate) mod coroutine;
pub(crate) mod debug;
pub(crate) mod dump;
pub(crate) mod files;
#[cfg(test)]
mod hardening_tests;
pub(crate) mod io;
pub mod math;
pub mod os;
pub mod package;
pub(crate) mod registry;
pub mod sandbox;
pub mod string;
pub(crate) mod table;
pub mod utf8;

use crate::interpreter::function::NativeFunction;
use crate::interpreter::heap::TableId;
use crate::interpreter::native::{Builtin, NativeKind};
use crate::interpreter::value::Value;
use crate::interpreter::{LuaResult, Vm};

/// Builds a `&'static [Builtin]` for a library: `library!("string", "len" => len, ...)`. The
/// id of each function is `"<library>.<name>"`.
macro_rules! library {
    ($prefix:literal, $($name:literal => $function:path),* $(,)?) => {
        &[$(
            $crate::interpreter::native::Builtin {
                id: concat!($prefix, ".", $name),
                name: $name,
                function: $function,
            }
        ),*]
    };
}
pub(crate) use library;

impl Vm {
    /// Installs the libraries that are safe for untrusted scripts.
    pub(crate) fn open_safe_libraries(&mut self) -> LuaResult<()> {
        self.open_basic()?;
        self.open_package(package::ModuleSearch::HostResolver)?;
        self.open_coroutine()?;
        self.open_table()?;
        self.open_string()?;
        self.open_math()?;
        self.open_utf8()?;
        self.open_os_time()?;
        Ok(())
    }

    /// Installs every library, including those that reach the host (io, os, debug, file
    /// loading): what the `red-moon` command-line interpreter uses. Never give this to
    /// untrusted scripts.
    pub fn open_all_libraries(&mut self) -> Result<(), crate::errors::RuntimeError> {
        self.open_all().map_err(|e| self.runtime_error_from(e))
    }

    /// Also switches the VM to the real clock (`TimeSource::System`) and accepts binary
    /// chunks (`set_binary_chunks(true)`); process spawning stays off unless the host calls
    /// `set_process_spawning(true)`.
    fn open_all(&mut self) -> LuaResult<()> {
        self.open_safe_libraries()?;
        self.open_package(package::ModuleSearch::FileSystem)?;
        self.open_files()?;
        self.open_debug()?;
        self.open_io()?;
        self.open_os_host()?;
        self.set_time_source(os::TimeSource::System);
        self.set_binary_chunks(true);
        Ok(())
    }

    /// A native function value for a builtin, with the given upvalues.
    pub(crate) fn new_native(
        &mut self,
        builtin: &'static Builtin,
        upvalues: Vec<Value>,
    ) -> LuaResult<Value> {
        let native = NativeFunction {
            kind: NativeKind::Builtin(builtin),
            upvalues: upvalues.into_boxed_slice(),
        };
        match self.heap.allocate_native(native) {
            Some(id) => Ok(Value::Native(id)),
            None => Err(self.out_of_memory()),
        }
    }

    /// Sets `table[name] = function` for every builtin of a library.
    pub(crate) fn register_functions(
        &mut self,
        table: TableId,
        functions: &'static [Builtin],
    ) -> LuaResult<()> {
        for builtin in functions {
            let function = self.new_native(builtin, Vec::new())?;
            self.raw_set_str(table, builtin.name, function)?;
        }
        Ok(())
    }

    /// Makes a library table visible as global `name` and in `package.loaded`.
    pub(crate) fn register_library(&mut self, name: &str, table: TableId) -> LuaResult<()> {
        let globals = self.globals;
        self.raw_set_str(globals, name, Value::Table(table))?;
        let loaded = self.loaded;
        self.raw_set_str(loaded, name, Value::Table(table))
    }

    /// Writes to the script's standard output (`print`), through the buffer `io.stdout`
    /// shares (see `stdlib::io`).
    pub(crate) fn write_output(&mut self, bytes: &[u8]) {
        self.write_standard_output(bytes);
    }

    /// Writes to the script's error output (warnings).
    pub(crate) fn write_error_output(&mut self, bytes: &[u8]) {
        use std::io::Write;
        let _ = std::io::stderr().write_all(bytes);
    }
}
