//! The searchers of `package.searchers` (preload, Lua files, C libraries, all-in-one C
//! libraries), `package.searchpath` and `package.loadlib`.
//!
//! Native code is never loaded: the C searchers report their candidate files exactly like
//! PUC's, so "module not found" messages match lua5.4, but a C library they find fails to
//! load the way it does in a PUC build without dynamic-library support, and `loadlib`
//! always returns that build's documented failure.
//!
//! Every searcher has the `package` table as its upvalue, like PUC's.

use super::search_path::{self, c_string};
use crate::interpreter::native::{Args, Builtin, Outcome};
use crate::interpreter::value::Value;
use crate::interpreter::{LuaResult, Vm};

/// `package.searchers[1]`: `package.preload[name]`.
pub(crate) static PRELOAD: Builtin = Builtin {
    id: "package.searchers.preload",
    name: "searcher_preload",
    function: search_preload,
};

/// `package.searchers[2]`: a Lua file on `package.path`.
pub(crate) static LUA_FILE: Builtin = Builtin {
    id: "package.searchers.lua",
    name: "searcher_Lua",
    function: search_lua_file,
};

/// `package.searchers[3]`: a C library on `package.cpath`.
pub(crate) static C_LIBRARY: Builtin = Builtin {
    id: "package.searchers.c",
    name: "searcher_C",
    function: search_c_library,
};

/// `package.searchers[4]`: the C library of the root of a dotted name.
pub(crate) static C_ROOT: Builtin = Builtin {
    id: "package.searchers.croot",
    name: "searcher_Croot",
    function: search_c_root,
};

/// `package.searchpath`.
pub(crate) static SEARCHPATH: Builtin = Builtin {
    id: "package.searchpath",
    name: "searchpath",
    function: searchpath,
};

/// `package.loadlib`.
pub(crate) static LOADLIB: Builtin = Builtin {
    id: "package.loadlib",
    name: "loadlib",
    function: loadlib,
};

/// Why native code cannot be loaded (the message of a PUC build without `LUA_DL_*`).
const NO_DYNAMIC_LIBRARIES: &str = "dynamic libraries not enabled; check your Lua installation";

/// Registry key of the table behind `package.preload`.
pub(crate) const PRELOAD_KEY: &str = "_PRELOAD";

/// The directory separator that replaces `.` in module names.
const DIRECTORY_SEPARATOR: &[u8] = b"/";

/// What a searcher returns: a loader and its extra value, or a message for the "module not
/// found" error.
enum Found {
    Loader(Value, Value),
    Message(Vec<u8>),
}

impl Vm {
    fn return_found(&mut self, found: Found) -> LuaResult<Outcome> {
        match found {
            Found::Loader(loader, data) => self.return_values(&[loader, data]),
            Found::Message(message) => self.return_string(&message),
        }
    }

    /// Whether a file can be opened for reading (PUC's `readable`). Charges fuel: this is
    /// a request to the host's file system.
    fn readable(&mut self, file_name: &[u8]) -> LuaResult<bool> {
        self.charge_fuel(1 + i64::try_from(file_name.len() / 16).unwrap_or(i64::MAX))?;
        Ok(std::fs::File::open(host_path(file_name)).is_ok())
    }

    /// The search of `package.searchpath`: the file found, or the "no file" message.
    fn search_path(
        &mut self,
        name: &[u8],
        path: &[u8],
        separator: &[u8],
        replacement: &[u8],
    ) -> LuaResult<Result<Vec<u8>, Vec<u8>>> {
        let file_name = search_path::name_for_files(name, separator, replacement);
        let size = search_path::expanded_size(&file_name, path);
        // The expansion and the message built from it.
        self.check_memory(size.saturating_mul(2))?;
        self.charge_fuel(i64::try_from(size / 16).unwrap_or(i64::MAX))?;
        let expanded = search_path::expand_templates(&file_name, path);
        for candidate in search_path::candidates(&expanded) {
            if self.readable(candidate)? {
                return Ok(Ok(candidate.to_vec()));
            }
        }
        Ok(Err(search_path::not_found_message(&expanded)))
    }

    /// PUC's `findfile`: searches `package[field]` (a string, or a number converted to one).
    fn find_in_package_path(
        &mut self,
        args: Args,
        name: &[u8],
        field: &str,
    ) -> LuaResult<Result<Vec<u8>, Vec<u8>>> {
        let package = self.native_upvalue(args.callee, 0);
        let key = self.new_string(field.as_bytes())?;
        let path = self.index_nested(package, key)?;
        let Some(path) = self.string_or_number_bytes(path) else {
            return Err(self.library_error(format!("'package.{field}' must be a string")));
        };
        self.search_path(name, &path, b".", DIRECTORY_SEPARATOR)
    }

    /// `lua_tolstring` without metamethods: the bytes of a string, or a number's text.
    pub(crate) fn string_or_number_bytes(&self, value: Value) -> Option<Vec<u8>> {
        match value {
            Value::String(s) => Some(self.string_bytes(s).to_vec()),
            Value::Integer(_) | Value::Float(_) => {
                let mut text = Vec::new();
                crate::interpreter::execute::write_number_value(value, &mut text);
                Some(text)
            }
            _ => None,
        }
    }

    /// PUC's `checkload` failure: "error loading module 'm' from file 'f':\n\treason".
    pub(crate) fn module_load_error(
        &mut self,
        module: &[u8],
        file: &[u8],
        reason: &[u8],
    ) -> crate::interpreter::LuaError {
        let mut message = b"error loading module '".to_vec();
        message.extend_from_slice(c_string(module));
        message.extend_from_slice(b"' from file '");
        message.extend_from_slice(c_string(file));
        message.extend_from_slice(b"':\n\t");
        message.extend_from_slice(c_string(reason));
        self.library_error(message)
    }

    /// What the C searchers do with a library they found: fail to load it.
    fn refuse_native_library(
        &mut self,
        module: &[u8],
        file: &[u8],
    ) -> crate::interpreter::LuaError {
        self.module_load_error(module, file, NO_DYNAMIC_LIBRARIES.as_bytes())
    }
}

/// A file name for the host's file system (on Unix, the exact bytes).
fn host_path(file_name: &[u8]) -> std::path::PathBuf {
    #[cfg(unix)]
    {
        std::path::PathBuf::from(
            <std::ffi::OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(file_name),
        )
    }
    #[cfg(not(unix))]
    {
        std::path::PathBuf::from(String::from_utf8_lossy(file_name).into_owned())
    }
}

fn search_preload(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let name = vm.check_string(args, 1)?;
    let name = c_string(&name);
    let registry = vm.registry;
    let preload = vm.raw_get_str(registry, PRELOAD_KEY)?;
    let key = vm.new_string(name)?;
    let loader = vm.index_nested(preload, key)?;
    let found = if loader.is_nil() {
        let mut message = b"no field package.preload['".to_vec();
        message.extend_from_slice(name);
        message.extend_from_slice(b"']");
        Found::Message(message)
    } else {
        let data = vm.new_string(b":preload:")?;
        Found::Loader(loader, data)
    };
    vm.return_found(found)
}

fn search_lua_file(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let name = vm.check_string(args, 1)?;
    let file = match vm.find_in_package_path(args, &name, "path")? {
        Ok(file) => file,
        Err(message) => return vm.return_string(&message),
    };
    match vm.load_file_chunk(Some(&file), b"bt", None)? {
        Ok(loader) => {
            let data = vm.new_string(&file)?;
            vm.return_found(Found::Loader(loader, data))
        }
        Err(reason) => Err(vm.module_load_error(&name, &file, &reason)),
    }
}

fn search_c_library(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let name = vm.check_string(args, 1)?;
    match vm.find_in_package_path(args, &name, "cpath")? {
        Ok(file) => Err(vm.refuse_native_library(&name, &file)),
        Err(message) => vm.return_string(&message),
    }
}

fn search_c_root(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let name = vm.check_string(args, 1)?;
    let Some(dot) = c_string(&name).iter().position(|&b| b == b'.') else {
        return Ok(Outcome::Return(0)); // a root name: searcher_C already looked for it
    };
    let root = name.get(..dot).unwrap_or_default();
    match vm.find_in_package_path(args, root, "cpath")? {
        Ok(file) => Err(vm.refuse_native_library(&name, &file)),
        Err(message) => vm.return_string(&message),
    }
}

fn searchpath(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let name = vm.check_string(args, 1)?;
    let path = vm.check_string(args, 2)?;
    let separator = vm.opt_string(args, 3)?;
    let replacement = vm.opt_string(args, 4)?;
    let separator = separator.as_deref().unwrap_or(b".");
    let replacement = replacement.as_deref().unwrap_or(DIRECTORY_SEPARATOR);
    match vm.search_path(&name, &path, separator, replacement)? {
        Ok(file) => vm.return_string(&file),
        Err(message) => {
            let message = vm.new_string(&message)?;
            vm.return_values(&[Value::Nil, message])
        }
    }
}

fn loadlib(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    vm.check_string(args, 1)?;
    vm.check_string(args, 2)?;
    let message = vm.new_string(NO_DYNAMIC_LIBRARIES.as_bytes())?;
    let place = vm.new_string(b"absent")?;
    vm.return_values(&[Value::Nil, message, place])
}
