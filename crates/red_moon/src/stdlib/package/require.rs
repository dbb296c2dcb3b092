//! `require` (manual §6.3): `package.loaded` first, then each of `package.searchers` until
//! one returns a loader, which runs as a nested (non-yieldable) call, as in PUC Lua.
//!
//! Like PUC, the module name is used as a C string: the keys of `package.loaded` and the
//! name given to the searchers stop at its first NUL byte; only the loader receives the
//! name exactly as passed.
//!
//! GC: values kept across the nested calls (the key, the loaded table, the searchers, the
//! loader's extra value) are pushed on this native's stack area, where the collector sees
//! them.

use super::search_path::c_string;
use crate::interpreter::native::{Args, Builtin, Outcome};
use crate::interpreter::value::Value;
use crate::interpreter::{LuaResult, Vm};

/// The global `require`; its upvalue is the `package` table.
pub(crate) static REQUIRE: Builtin = Builtin {
    id: "_G.require",
    name: "require",
    function: require,
};

/// Registry key of the table behind `package.loaded`.
const LOADED_KEY: &str = "_LOADED";

/// A loader found by a searcher, and the extra value it returned with it.
struct Loader {
    function: Value,
    data: Value,
}

fn require(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let name = vm.check_string(args, 1)?;
    let full_name = vm.arg(args, 1);
    let key_bytes = c_string(&name).to_vec();
    let key = vm.new_string(&key_bytes)?;
    vm.push(key)?;
    let registry = vm.registry;
    let loaded = vm.raw_get_str(registry, LOADED_KEY)?;
    vm.push(loaded)?;
    let already = vm.index_nested(loaded, key)?;
    if already.is_truthy() {
        return vm.return1(already);
    }
    let loader = vm.find_loader(args, key, &key_bytes)?;
    let result = vm.call_value1(loader.function, &[full_name, loader.data])?;
    vm.push(result)?;
    if !result.is_nil() {
        vm.record_module(loaded, key, result)?;
    }
    let mut module = vm.index_nested(loaded, key)?;
    if module.is_nil() {
        // A module that returns nothing and sets nothing is recorded as `true`.
        module = Value::Boolean(true);
        vm.record_module(loaded, key, module)?;
    }
    vm.return_values(&[module, loader.data])
}

impl Vm {
    /// PUC's `findloader`: calls `package.searchers[1], [2], ...` with the name until one
    /// returns a function; the strings the others return make up the "not found" message.
    /// The loader and its extra value are left on the stack (rooted).
    fn find_loader(&mut self, args: Args, key: Value, name: &[u8]) -> LuaResult<Loader> {
        let package = self.native_upvalue(args.callee, 0);
        let field = self.new_string(b"searchers")?;
        let searchers = self.index_nested(package, field)?;
        let Value::Table(searchers_table) = searchers else {
            return Err(self.library_error("'package.searchers' must be a table"));
        };
        self.push(searchers)?;
        let mut message = Vec::new();
        let mut index = 1;
        loop {
            let searcher = self.raw_get(searchers_table, Value::Integer(index));
            if searcher.is_nil() {
                return Err(self.not_found_error(name, &message));
            }
            self.charge_fuel(1)?;
            let results = self.call_value(searcher, &[key])?;
            let first = results.first().copied().unwrap_or_default();
            if first.is_function() {
                let data = results.get(1).copied().unwrap_or_default();
                self.push(first)?;
                self.push(data)?;
                return Ok(Loader {
                    function: first,
                    data,
                });
            }
            if let Some(part) = self.string_or_number_bytes(first) {
                self.check_memory(message.len() + part.len())?;
                message.extend_from_slice(b"\n\t");
                message.extend_from_slice(&part);
            }
            index += 1;
        }
    }

    /// "module 'name' not found:" followed by the searchers' messages.
    fn not_found_error(&mut self, name: &[u8], searched: &[u8]) -> crate::interpreter::LuaError {
        let mut message = b"module '".to_vec();
        message.extend_from_slice(name);
        message.extend_from_slice(b"' not found:");
        message.extend_from_slice(searched);
        self.library_error(message)
    }
}

impl Vm {
    /// `package.loaded[name] = module`. When the sandbox made `package.loaded` read-only
    /// (`Vm::protect_shared_globals`), scripts cannot write it but `require` still caches
    /// the modules it loads: a raw store, as the table can have no script-set metatable.
    fn record_module(&mut self, loaded: Value, key: Value, module: Value) -> LuaResult<()> {
        match loaded {
            Value::Table(id) if self.is_read_only(id) => {
                self.read_only.set(id, false);
                let stored = self.raw_set(id, key, module);
                self.read_only.set(id, true);
                self.write_barrier_table(id, key, module);
                stored
            }
            _ => self.set_index_nested(loaded, key, module),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::interpreter::Vm;

    fn run(code: &str) -> Result<String, String> {
        let mut vm = Vm::default();
        vm.context()
            .exec::<String>(code.as_bytes(), "=test")
            .map_err(|error| error.to_string())
    }

    #[test]
    fn errors_of_native_searchers_stay_catchable() {
        // A native searcher that fails inside require's nested call: pcall must see it.
        let result = run("package.searchers = {string.rep}
             local ok, message = pcall(require, 'x')
             return tostring(ok) .. ' ' .. message");
        assert_eq!(
            result.as_deref(),
            Ok("false bad argument #2 to 'string.rep' (number expected, got no value)")
        );
    }

    #[test]
    fn the_loader_runs_nested_and_cannot_yield() {
        let result = run("package.preload.y = function () coroutine.yield() end
             local co = coroutine.create(function () return require 'y' end)
             return select(2, coroutine.resume(co))");
        assert_eq!(
            result.as_deref(),
            Ok("attempt to yield across a C-call boundary")
        );
    }

    #[test]
    fn values_survive_collections_inside_the_loader() {
        // The loader drops its references to the extra value and collects: require still
        // returns it intact.
        let result = run("package.searchers = {function (name)
                 return function (n, extra) extra = nil collectgarbage() collectgarbage()
                     return {} end, name .. string.rep('!', 3)
             end}
             local module, extra = require 'gc'
             return type(module) .. ' ' .. extra");
        assert_eq!(result.as_deref(), Ok("table gc!!!"));
    }
}
