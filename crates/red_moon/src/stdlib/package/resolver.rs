//! Host-supplied modules for sandboxed scripts: the module resolver and its searcher.
//!
//! A sandbox has no file system. Its `require` finds modules in `package.loaded`, then
//! `package.preload`, then asks the host's *module resolver*: a Rust closure that maps a
//! module name to Lua source text (typically the game's own content, already in memory).
//!
//! The resolver is stored in the VM's heap as a host function (registry key
//! [`RESOLVER_KEY`], tagged [`RESOLVER_TAG`]), so it behaves like any host function:
//!
//! * cloning the VM clones the closure (state it owns is per VM; `Rc`-shared state is
//!   shared);
//! * serialization cannot carry Rust code: after deserializing a VM the host must call
//!   [`Vm::set_module_resolver`] again with the same resolver (as it rehydrates its other
//!   host functions). Until then `require` of a module that is not already loaded fails
//!   with the usual "not rehydrated" error naming the tag, never silently.

use super::search_path::c_string;
use crate::errors::RuntimeError;
use crate::interpreter::function::NativeFunction;
use crate::interpreter::heap::NativeId;
use crate::interpreter::native::{Args, Builtin, HostFn, HostFunction, NativeKind, Outcome};
use crate::interpreter::value::Value;
use crate::interpreter::{LuaResult, Vm};
use std::rc::Rc;

/// Registry key under which the resolver's host function is kept.
pub const RESOLVER_KEY: &str = "red_moon.module_resolver";
/// Tag of the resolver's host function (it names the resolver in errors after
/// deserialization).
pub const RESOLVER_TAG: &str = "red_moon.module_resolver";

/// The Lua source of a module, as a module resolver returns it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModuleSource {
    /// Lua source text (binary chunks are refused).
    pub source: Vec<u8>,
    /// Chunk name following Lua's conventions: `"@scripts/door.lua"` shows as
    /// `scripts/door.lua:12:` in messages, `"=door"` as `door:12:`. Without the leading
    /// `@` or `=`, it is also the second value `require` returns (the "file name").
    pub chunk_name: String,
}

impl ModuleSource {
    /// A module whose source text is `source`, named `chunk_name` (see the field).
    pub fn new(source: impl Into<Vec<u8>>, chunk_name: impl Into<String>) -> Self {
        ModuleSource {
            source: source.into(),
            chunk_name: chunk_name.into(),
        }
    }

    /// The name `require` returns as its second value and error messages show.
    fn display_name(&self) -> &str {
        self.chunk_name
            .strip_prefix(['@', '='])
            .unwrap_or(&self.chunk_name)
    }
}

/// `package.searchers[2]` of a sandbox: asks the host's resolver, if there is one.
pub(crate) static HOST_MODULES: Builtin = Builtin {
    id: "package.searchers.host",
    name: "searcher_host",
    function: search_host_modules,
};

impl Vm {
    /// Sets the module resolver used by `require` in VMs with the sandboxed libraries
    /// (`Vm::default()`): for a module that is neither loaded nor preloaded, `require(name)`
    /// calls `resolver(name)`; `Some(source)` is compiled (text only) and run as the
    /// module, `None` means "no such module". Names that are not valid UTF-8 are never
    /// passed to the resolver.
    ///
    /// The resolver must be deterministic (it runs inside the script's execution) and must
    /// not assume it is called only once per name: each VM clone, and each `require` after
    /// a script cleared `package.loaded[name]`, asks again.
    ///
    /// VMs opened with `open_all_libraries` search the file system instead and ignore the
    /// resolver. After deserialization, call this again (see the module documentation).
    pub fn set_module_resolver<F>(&mut self, resolver: F) -> Result<(), RuntimeError>
    where
        F: Fn(&str) -> Option<ModuleSource> + Clone + 'static,
    {
        let kind = NativeKind::Host(HostFunction {
            function: Rc::new(Resolver(resolver)),
            tag: Some(Rc::from(RESOLVER_TAG)),
        });
        // A resolver already installed (or its placeholder in a deserialized VM) is
        // re-pointed in place, like a rehydrated host function: a late joiner that sets its
        // resolver stays identical to the host (same objects, same digest).
        if let Some(id) = self.installed_resolver() {
            if let Some(native) = self.heap.natives.get_mut(id.0) {
                native.kind = kind;
                return Ok(());
            }
        }
        let native = NativeFunction {
            kind,
            upvalues: Box::new([]),
        };
        let Some(id) = self.heap.allocate_native(native) else {
            let error = self.out_of_memory();
            return Err(self.runtime_error_from(error));
        };
        self.set_resolver_entry(Value::Native(id))
    }

    /// The native holding the current resolver (or its placeholder), if any. Only looks:
    /// the registry key is interned once a resolver was ever set.
    fn installed_resolver(&self) -> Option<NativeId> {
        let key = self.heap.find_interned(RESOLVER_KEY.as_bytes())?;
        let Value::Native(id) = self.raw_get(self.registry, Value::String(key)) else {
            return None;
        };
        let tag = match &self.heap.natives.get(id.0)?.kind {
            NativeKind::Host(host) => host.tag.clone(),
            NativeKind::Missing { tag } => tag.clone(),
            NativeKind::Builtin(_) => None,
        };
        (tag.as_deref() == Some(RESOLVER_TAG)).then_some(id)
    }

    /// Removes the module resolver: `require` then finds only loaded and preloaded modules.
    pub fn clear_module_resolver(&mut self) -> Result<(), RuntimeError> {
        self.set_resolver_entry(Value::Nil)
    }

    fn set_resolver_entry(&mut self, value: Value) -> Result<(), RuntimeError> {
        let registry = self.registry;
        let result = self.new_string(RESOLVER_KEY.as_bytes()).and_then(|key| {
            self.raw_set(registry, key, value)?;
            self.write_barrier_table(registry, key, value);
            Ok(())
        });
        result.map_err(|error| self.runtime_error_from(error))
    }

    /// Runs a resolver for the module name in argument 1: a loader and its extra value, or
    /// the message for "module not found".
    fn resolve_module(
        &mut self,
        args: Args,
        resolve: impl Fn(&str) -> Option<ModuleSource>,
    ) -> LuaResult<Outcome> {
        let name = self.check_string(args, 1)?;
        let name = c_string(&name);
        let Some(module) = std::str::from_utf8(name).ok().and_then(resolve) else {
            let mut message = b"no host module '".to_vec();
            message.extend_from_slice(name);
            message.push(b'\'');
            return self.return_string(&message);
        };
        self.check_memory(module.source.len())?;
        self.charge_fuel(i64::try_from(module.source.len() / 16).unwrap_or(i64::MAX))?;
        let chunk_name = module.chunk_name.as_bytes();
        match self.load_chunk(&module.source, chunk_name, b"t", None)? {
            Ok(loader) => {
                let data = self.new_string(module.display_name().as_bytes())?;
                self.return_values(&[loader, data])
            }
            Err(reason) => {
                let file = module.display_name().as_bytes();
                Err(self.module_load_error(name, file, &reason))
            }
        }
    }
}

/// A resolver closure as a host function (so clones and serialization treat it like one).
struct Resolver<F>(F);

impl<F> HostFn for Resolver<F>
where
    F: Fn(&str) -> Option<ModuleSource> + Clone + 'static,
{
    fn call(&self, vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
        vm.resolve_module(args, &self.0)
    }

    fn clone_box(&self) -> Box<dyn HostFn> {
        Box::new(Resolver(self.0.clone()))
    }
}

/// The sandbox's searcher: passes the name to the resolver; without one, it returns
/// nothing (so the "not found" message lists only the preload search).
fn search_host_modules(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let name = vm.check_string_id(args, 1)?;
    let registry = vm.registry;
    let resolver = vm.raw_get_str(registry, RESOLVER_KEY)?;
    if resolver.is_nil() {
        return Ok(Outcome::Return(0));
    }
    let results = vm.call_value(resolver, &[Value::String(name)])?;
    let loader = results.first().copied().unwrap_or_default();
    let data = results.get(1).copied().unwrap_or_default();
    vm.return_values(&[loader, data])
}

#[cfg(test)]
mod tests;
