//! The package library (manual §6.3): `require` and the `package` table.
//!
//! # Two flavours
//!
//! Module search is host access, so the library comes in two flavours:
//!
//! * **Sandboxed** (`Vm::default()`, the libraries for untrusted scripts): nothing touches
//!   the file system or the environment. `package` has `loaded`, `preload`, `searchers`,
//!   `config` and `loadlib` (which always fails). `package.searchers` holds the preload
//!   searcher and a searcher that asks the host's *module resolver* (see
//!   [`Vm::set_module_resolver`] and [`ModuleSource`]): the game supplies module source
//!   text from its own content. Without a resolver, `require` finds only modules in
//!   `package.loaded` and `package.preload`.
//! * **Host** (`Vm::open_all_libraries`, what the `red-moon` CLI uses): exactly PUC's
//!   library. `package.path` and `package.cpath` start as a PUC build for `/usr/local`
//!   sets them, overridden by `LUA_PATH_5_4`/`LUA_PATH` and `LUA_CPATH_5_4`/`LUA_CPATH`
//!   (`;;` stands for the default) unless [`Vm::set_ignore_environment`] said not to read
//!   the environment. The searchers are PUC's four (preload, Lua files, C libraries,
//!   all-in-one C libraries), plus `package.searchpath`. Native code is never loaded: the
//!   C searchers list their candidate files like PUC's, but a library they find fails to
//!   load as in a PUC build without dynamic libraries, and `package.loadlib` returns
//!   `nil`, a message and `"absent"`.
//!
//! In both, `require(name)` returns the module and the loader's extra value (the file
//! name, `":preload:"`, or the resolver's chunk name), and the loader runs as a nested
//! call that cannot yield (as in PUC Lua).

mod paths;
pub(crate) mod require;
pub(crate) mod resolver;
mod search_path;
pub(crate) mod searchers;

pub use resolver::{ModuleSource, RESOLVER_KEY, RESOLVER_TAG};

use crate::errors::RuntimeError;
use crate::interpreter::heap::TableId;
use crate::interpreter::native::Builtin;
use crate::interpreter::value::Value;
use crate::interpreter::{LuaResult, Vm};
use paths::PathSetting;

/// Where `require` looks for modules that are neither loaded nor preloaded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ModuleSearch {
    /// Only the host's module resolver (sandboxed scripts).
    HostResolver,
    /// `package.path` and `package.cpath` on the file system (trusted scripts).
    FileSystem,
}

/// Registry key that tells the library not to read environment variables (PUC's name).
const NO_ENVIRONMENT_KEY: &str = "LUA_NOENV";

impl Vm {
    /// Makes the package library ignore the environment variables `LUA_PATH*` and
    /// `LUA_CPATH*` (the `-E` option of the standalone interpreter). Call it before
    /// `open_all_libraries`; it is stored in the registry as PUC's `LUA_NOENV`.
    pub fn set_ignore_environment(&mut self, ignore: bool) -> Result<(), RuntimeError> {
        let registry = self.registry;
        self.raw_set_str(registry, NO_ENVIRONMENT_KEY, Value::Boolean(ignore))
            .map_err(|error| self.runtime_error_from(error))
    }

    /// Installs `require` and `package`. Opening again (the host flavour after the
    /// sandboxed one) replaces both; `loaded` and `preload` keep their contents.
    pub(crate) fn open_package(&mut self, search: ModuleSearch) -> LuaResult<()> {
        let package = self.new_table(0, 12)?;
        let upvalue = Value::Table(package);
        let loadlib = self.new_native(&searchers::LOADLIB, Vec::new())?;
        self.raw_set_str(package, "loadlib", loadlib)?;
        let config = self.new_string(paths::CONFIG.as_bytes())?;
        self.raw_set_str(package, "config", config)?;
        self.raw_set_str(package, "loaded", Value::Table(self.loaded))?;
        let preload = self.preload_table()?;
        self.raw_set_str(package, "preload", Value::Table(preload))?;
        let searchers: &[&'static Builtin] = match search {
            ModuleSearch::HostResolver => &[&searchers::PRELOAD, &resolver::HOST_MODULES],
            ModuleSearch::FileSystem => &[
                &searchers::PRELOAD,
                &searchers::LUA_FILE,
                &searchers::C_LIBRARY,
                &searchers::C_ROOT,
            ],
        };
        let list = self.new_table(searchers.len(), 0)?;
        for (index, builtin) in (1..).zip(searchers) {
            let searcher = self.new_native(builtin, vec![upvalue])?;
            self.raw_set(list, Value::Integer(index), searcher)?;
        }
        self.raw_set_str(package, "searchers", Value::Table(list))?;
        if search == ModuleSearch::FileSystem {
            self.install_search_paths(package)?;
        }
        let require = self.new_native(&require::REQUIRE, vec![upvalue])?;
        let globals = self.globals;
        self.raw_set_str(globals, "require", require)?;
        self.register_library("package", package)
    }

    /// `package.searchpath`, `package.path` and `package.cpath`.
    fn install_search_paths(&mut self, package: TableId) -> LuaResult<()> {
        let searchpath = self.new_native(&searchers::SEARCHPATH, Vec::new())?;
        self.raw_set_str(package, "searchpath", searchpath)?;
        let registry = self.registry;
        let read_environment = !self.raw_get_str(registry, NO_ENVIRONMENT_KEY)?.is_truthy();
        for setting in [paths::LUA_PATH, paths::LUA_CPATH] {
            let value = path_value(setting, read_environment);
            let value = self.new_string(&value)?;
            self.raw_set_str(package, setting.field, value)?;
        }
        Ok(())
    }

    /// The registry's `_PRELOAD` table (created on first use).
    fn preload_table(&mut self) -> LuaResult<TableId> {
        let registry = self.registry;
        if let Value::Table(table) = self.raw_get_str(registry, searchers::PRELOAD_KEY)? {
            return Ok(table);
        }
        let table = self.new_table(0, 4)?;
        self.raw_set_str(registry, searchers::PRELOAD_KEY, Value::Table(table))?;
        Ok(table)
    }
}

/// A path's value, reading the process environment only when allowed.
fn path_value(setting: PathSetting, read_environment: bool) -> Vec<u8> {
    setting.value(|variable| {
        if read_environment {
            paths::process_variable(variable)
        } else {
            None
        }
    })
}
