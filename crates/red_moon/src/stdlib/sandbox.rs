//! Keeping the scripts of one VM from changing what other scripts see.
//!
//! Several untrusted scripts often share one VM (one per player, per entity...). They share
//! the global table, the library tables and the string metatable, so without protection
//! one script could replace `string.format` or `getmetatable("").__index` and every other
//! script would run its code.
//!
//! # Design: read-only shared tables (like Luau's sandbox), per-script environments
//!
//! [`Vm::protect_shared_globals`] makes the global table, every table reachable from it
//! (the libraries, `package.loaded`, ...) and the string metatable **read-only**: any
//! assignment, `rawset`, `table.insert`-style library write or `setmetatable` on them raises
//! "attempt to modify a readonly table", from scripts and host calls alike (the host can
//! lift the flag with [`VmContext::set_read_only`]).
//!
//! Read-only in place was chosen over a fresh copy of the libraries per script because it
//! keeps identities intact (`getmetatable("").__index == string`, `require "string" ==
//! string`), costs nothing per script, and closes the paths copies leave open: a copy of
//! `string` does not protect the shared string metatable, and nested shared tables
//! (`package.loaded`) would need deep copies.
//!
//! Each script then runs in its own environment from
//! [`VmContext::create_script_environment`]: an empty table whose reads fall through to the
//! shared globals and whose writes stay in the environment. It holds its own `_G`, a `load`
//! that only accepts text chunks and compiles them in this environment by default (so
//! `load("x = 1")()` cannot write to the shared globals), and a `collectgarbage` limited to
//! the options that do not change the collector for every script (`collect`, `step`,
//! `count`, `isrunning`).
//!
//! ```
//! use red_moon::interpreter::{MultiValue, Vm};
//!
//! let mut vm = Vm::default();
//! vm.protect_shared_globals().unwrap();
//! let ctx = &mut vm.context();
//! let env_a = ctx.create_script_environment().unwrap();
//! let env_b = ctx.create_script_environment().unwrap();
//!
//! // Script A cannot tamper with the shared libraries...
//! let a = ctx.load(b"string.upper = print", "=a", Some(&env_a)).unwrap();
//! let error = a.call::<_, MultiValue>((), ctx).unwrap_err();
//! assert!(error.to_string().contains("attempt to modify a readonly table"));
//!
//! // ...and its globals stay its own.
//! let a = ctx.load(b"shared = 'from a'", "=a", Some(&env_a)).unwrap();
//! a.call::<_, ()>((), ctx).unwrap();
//! let b = ctx.load(b"return shared, string.upper('b')", "=b", Some(&env_b)).unwrap();
//! let (shared, upper): (Option<String>, String) = b.call((), ctx).unwrap();
//! assert_eq!((shared, upper.as_str()), (None, "B"));
//! ```
//!
//! Host code loads a script's chunks with `ctx.load(source, name, Some(&env))`, which only
//! compiles source text (binary chunks never load through it).

use crate::errors::RuntimeError;
use crate::interpreter::heap::TableId;
use crate::interpreter::metamethod::Event;
use crate::interpreter::native::{Args, Builtin, Outcome};
use crate::interpreter::value::{LuaType, Value};
use crate::interpreter::{LuaError, LuaResult, Vm, VmContext};
use crate::interpreter::{TableRef, Value as PublicValue};

/// The flags of read-only tables, one bit per table arena slot. Kept beside the tables
/// (not in them) so that checking costs one word lookup; the collector clears a slot's bit
/// when it frees the table, so a reused slot starts writable.
#[derive(Clone, Debug, Default)]
pub(crate) struct ReadOnlyTables {
    words: Vec<u64>,
}

impl ReadOnlyTables {
    #[inline]
    pub(crate) fn contains(&self, table: TableId) -> bool {
        let index = table.0 as usize;
        self.words
            .get(index / 64)
            .is_some_and(|word| word >> (index % 64) & 1 != 0)
    }

    pub(crate) fn set(&mut self, table: TableId, read_only: bool) {
        let index = table.0 as usize;
        let word = index / 64;
        if read_only && self.words.len() <= word {
            self.words.resize(word + 1, 0);
        }
        if let Some(bits) = self.words.get_mut(word) {
            let mask = 1u64 << (index % 64);
            if read_only {
                *bits |= mask;
            } else {
                *bits &= !mask;
            }
        }
    }

    /// The read-only tables in slot order (what a snapshot stores).
    pub(crate) fn tables(&self) -> Vec<TableId> {
        let mut tables = Vec::new();
        for (word_index, &word) in self.words.iter().enumerate() {
            for bit in 0..64 {
                if word >> bit & 1 != 0 {
                    tables.push(TableId((word_index * 64 + bit) as u32));
                }
            }
        }
        tables
    }
}

/// The error for writes to read-only tables (Luau's wording).
const READ_ONLY_MESSAGE: &str = "attempt to modify a readonly table";

/// Bound on the tables `protect_shared_globals` visits (a guard against hostile hosts'
/// data, not a limit real programs reach).
const MAX_PROTECTED_TABLES: usize = 1 << 20;

static SCRIPT_LOAD: Builtin = Builtin {
    id: "sandbox.load",
    name: "load",
    function: script_load,
};

static SCRIPT_COLLECTGARBAGE: Builtin = Builtin {
    id: "sandbox.collectgarbage",
    name: "collectgarbage",
    function: script_collectgarbage,
};

impl Vm {
    /// Whether scripts (and host writes) are refused on this table.
    #[inline]
    pub(crate) fn is_read_only(&self, table: TableId) -> bool {
        self.read_only.contains(table)
    }

    /// "attempt to modify a readonly table", with the caller's position.
    pub(crate) fn read_only_error(&mut self) -> LuaError {
        self.runtime_error(READ_ONLY_MESSAGE)
    }

    /// Makes the global table, every table reachable from it through keys, values and
    /// metatables, and the string metatable read-only. Call it once the host has installed
    /// everything scripts may read; give each script an environment from
    /// [`VmContext::create_script_environment`]. See the [module documentation](self).
    pub fn protect_shared_globals(&mut self) -> Result<(), RuntimeError> {
        let mut pending = vec![self.globals];
        pending.extend(self.type_metatables[LuaType::String as usize]);
        let mut visited = 0usize;
        while let Some(table) = pending.pop() {
            if self.is_read_only(table) || visited >= MAX_PROTECTED_TABLES {
                continue;
            }
            visited += 1;
            self.read_only.set(table, true);
            let Ok(contents) = self.table(table) else {
                continue;
            };
            pending.extend(contents.metatable);
            for (key, value) in contents.hash_entries() {
                pending.extend([key, value].into_iter().filter_map(as_table));
            }
            pending.extend(contents.array().iter().copied().filter_map(as_table));
        }
        Ok(())
    }

    /// A new environment for one script (see `VmContext::create_script_environment`).
    fn new_script_environment(&mut self) -> LuaResult<TableId> {
        let env = self.new_table(0, 4)?;
        self.gc_roots.push(Value::Table(env));
        let result = self.fill_script_environment(env);
        self.gc_roots.pop();
        result.map(|()| env)
    }

    fn fill_script_environment(&mut self, env: TableId) -> LuaResult<()> {
        self.raw_set_str(env, "_G", Value::Table(env))?;
        let load = self.new_native(&SCRIPT_LOAD, vec![Value::Table(env)])?;
        self.raw_set_str(env, "load", load)?;
        let collectgarbage = self.new_native(&SCRIPT_COLLECTGARBAGE, Vec::new())?;
        self.raw_set_str(env, "collectgarbage", collectgarbage)?;
        let metatable = self.new_table(0, 2)?;
        let index = Value::String(self.events.get(Event::Index));
        self.raw_set(metatable, index, Value::Table(self.globals))?;
        let protection = Value::String(self.events.get(Event::Metatable));
        self.raw_set(metatable, protection, Value::Boolean(false))?;
        self.set_table_metatable(env, Some(metatable))?;
        self.read_only.set(metatable, true);
        Ok(())
    }
}

fn as_table(value: Value) -> Option<TableId> {
    match value {
        Value::Table(id) => Some(id),
        _ => None,
    }
}

/// `load` of a script environment: text chunks only; without an explicit environment the
/// chunk runs in the script's own environment (upvalue 0), never in the shared globals.
fn script_load(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let own_environment = vm.native_upvalue(args.callee, 0);
    crate::stdlib::basic::load_with_policy(
        vm,
        args,
        crate::stdlib::basic::LoadPolicy {
            text_only: true,
            default_environment: Some(own_environment),
        },
    )
}

/// `collectgarbage` of a script environment: only the options that do not change the
/// collector for every other script of the VM.
fn script_collectgarbage(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    const OPTIONS: &[&str] = &["collect", "step", "count", "isrunning"];
    let option = vm.check_option(args, 1, Some("collect"), OPTIONS)?;
    crate::stdlib::basic::collectgarbage_checked(vm, OPTIONS[option], args)
}

impl VmContext<'_> {
    /// A fresh environment for one untrusted script: pass it to [`VmContext::load`] as the
    /// chunk's environment. Reads of missing names fall through to the shared globals;
    /// assignments to globals stay in the environment. It has its own `_G` (itself), a
    /// text-only `load` that defaults to this environment, and a `collectgarbage` without
    /// the VM-wide options. Its metatable is hidden and read-only. Combine with
    /// [`Vm::protect_shared_globals`] so that what reads fall through to cannot be changed
    /// either. See the [module documentation](crate::stdlib::sandbox).
    pub fn create_script_environment(&mut self) -> Result<TableRef, RuntimeError> {
        let env = self
            .vm
            .new_script_environment()
            .map_err(|e| self.vm.runtime_error_from(e))?;
        match self.vm.to_public(Value::Table(env)) {
            PublicValue::Table(t) => Ok(t),
            _ => Err(RuntimeError::Internal("table handle")),
        }
    }

    /// Makes a table read-only (or writable again). Read-only tables refuse assignments,
    /// `rawset`, library writes and `setmetatable`, from scripts and from the host.
    ///
    /// ```
    /// use red_moon::interpreter::Vm;
    ///
    /// let mut vm = Vm::default();
    /// let ctx = &mut vm.context();
    /// let config = ctx.create_table().unwrap();
    /// config.set("level", 3, ctx).unwrap();
    /// ctx.set_read_only(&config, true).unwrap();
    /// assert!(config.set("level", 4, ctx).is_err());
    /// ctx.set_read_only(&config, false).unwrap();
    /// config.set("level", 4, ctx).unwrap();
    /// ```
    pub fn set_read_only(&mut self, table: &TableRef, read_only: bool) -> Result<(), RuntimeError> {
        let id = self.table_id_of(table)?;
        self.vm.read_only.set(id, read_only);
        Ok(())
    }

    /// Whether a table is read-only.
    pub fn is_read_only(&mut self, table: &TableRef) -> Result<bool, RuntimeError> {
        let id = self.table_id_of(table)?;
        Ok(self.vm.is_read_only(id))
    }

    fn table_id_of(&mut self, table: &TableRef) -> Result<TableId, RuntimeError> {
        match self.vm.resolve(&table.0)? {
            Value::Table(id) => Ok(id),
            _ => Err(RuntimeError::InvalidHandle),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::interpreter::{MultiValue, TableRef, Vm, VmContext};

    fn protected_vm() -> Vm {
        let mut vm = Vm::default();
        vm.protect_shared_globals().expect("protect");
        vm
    }

    /// Runs `source` in `env`; `Err` carries the error text.
    fn run(ctx: &mut VmContext, env: &TableRef, source: &str) -> Result<MultiValue, String> {
        let function = ctx
            .load(source.as_bytes(), "=script", Some(env))
            .map_err(|e| e.to_string())?;
        function
            .call::<_, MultiValue>((), ctx)
            .map_err(|e| e.to_string())
    }

    fn assert_read_only(ctx: &mut VmContext, env: &TableRef, source: &str) {
        let error = run(ctx, env, source).expect_err(source);
        assert!(
            error.contains("attempt to modify a readonly table"),
            "{source}: {error}"
        );
    }

    #[test]
    fn shared_tables_refuse_every_kind_of_write() {
        let mut vm = protected_vm();
        let ctx = &mut vm.context();
        let env = ctx.create_script_environment().unwrap();
        for source in [
            "string.upper = print",
            "string.brand_new = 1",
            "rawset(string, 'upper', print)",
            "table.insert(math, 1)",
            "getmetatable('').__index = {}",
            "getmetatable('').__add = print",
            "rawset(getmetatable(''), '__index', {})",
            "setmetatable(string, {})",
            "package.loaded.string = {}",
            "package.path = '/etc/?'",
            "package.loaded._G.print = error",
            "table.remove(package.searchers)",
        ] {
            assert_read_only(ctx, &env, source);
        }
        // Nothing changed for anybody.
        let other = ctx.create_script_environment().unwrap();
        let check = "assert(string.upper('a') == 'A' and string.brand_new == nil)
                     assert(getmetatable('').__index == string and ('x'):upper() == 'X')
                     assert(package.loaded.string == string and package.path ~= '/etc/?')";
        run(ctx, &other, check).unwrap();
    }

    #[test]
    fn environments_keep_their_globals_to_themselves() {
        let mut vm = protected_vm();
        let ctx = &mut vm.context();
        let a = ctx.create_script_environment().unwrap();
        let b = ctx.create_script_environment().unwrap();
        run(ctx, &a, "x = 1; _G.y = 2; print = nil").unwrap();
        run(ctx, &b, "assert(x == nil and y == nil and print ~= nil)").unwrap();
        // Assigning nil cannot hide a shared global: reads still fall through.
        run(
            ctx,
            &a,
            "assert(x == 1 and y == 2 and print ~= nil and _G == _ENV)",
        )
        .unwrap();
        // The environment's metatable (and through it the real globals) stays hidden.
        run(ctx, &a, "assert(getmetatable(_ENV) == false)").unwrap();
        let error = run(ctx, &a, "setmetatable(_ENV, nil)").unwrap_err();
        assert!(
            error.contains("cannot change a protected metatable"),
            "{error}"
        );
    }

    #[test]
    fn script_load_compiles_text_in_the_script_environment() {
        let mut vm = protected_vm();
        vm.set_binary_chunks(true);
        let ctx = &mut vm.context();
        let env = ctx.create_script_environment().unwrap();
        run(ctx, &env, "load('z = 5')(); assert(z == 5)").unwrap();
        let other = ctx.create_script_environment().unwrap();
        run(ctx, &other, "assert(z == nil)").unwrap();
        // An explicit environment still works; binary chunks never load.
        run(
            ctx,
            &env,
            "local t = {} load('w = 1', 'c', 't', t)() assert(t.w == 1 and w == nil)
             local f, e = load('\\27Lua', 'c', 'bt') assert(f == nil and e:find('binary'))
             local g, e2 = load(function() return nil end, 'c', 'b') assert(g == nil)",
        )
        .unwrap();
    }

    #[test]
    fn script_collectgarbage_keeps_collector_settings_shared() {
        let mut vm = protected_vm();
        let ctx = &mut vm.context();
        let env = ctx.create_script_environment().unwrap();
        run(
            ctx,
            &env,
            "collectgarbage() collectgarbage('step') assert(collectgarbage('count') > 0)",
        )
        .unwrap();
        for option in ["stop", "restart", "incremental", "generational", "setpause"] {
            let error = run(ctx, &env, &format!("collectgarbage('{option}')")).unwrap_err();
            assert!(error.contains("invalid option"), "{option}: {error}");
        }
        run(ctx, &env, "assert(collectgarbage('isrunning'))").unwrap();
    }

    #[test]
    fn require_still_caches_modules_in_a_read_only_loaded_table() {
        let mut vm = protected_vm();
        let ctx = &mut vm.context();
        let env = ctx.create_script_environment().unwrap();
        run(ctx, &env, "assert(require('string') == string)").unwrap();
        run(ctx, &env, "package.preload = nil").unwrap_err();
    }

    #[test]
    fn default_vm_is_unchanged_and_host_controls_the_flag() {
        let mut vm = Vm::default();
        let ctx = &mut vm.context();
        let globals = ctx.default_environment();
        assert!(!ctx.is_read_only(&globals).unwrap());
        ctx.exec::<()>(b"string.shout = string.upper x = 1", "=plain")
            .unwrap();
        ctx.set_read_only(&globals, true).unwrap();
        assert!(ctx.is_read_only(&globals).unwrap());
        assert!(ctx.exec::<()>(b"y = 1", "=plain").is_err());
        assert!(globals.set("y", 1, ctx).is_err());
        ctx.set_read_only(&globals, false).unwrap();
        ctx.exec::<()>(b"y = 1", "=plain").unwrap();
    }

    #[test]
    fn freed_tables_lose_the_flag() {
        let mut vm = Vm::default();
        let table = vm.new_table(0, 0).unwrap();
        vm.read_only.set(table, true);
        assert!(vm.is_read_only(table));
        vm.full_collection().unwrap();
        assert!(!vm.is_read_only(table));
    }

    #[test]
    fn read_only_bits() {
        use super::ReadOnlyTables;
        use crate::interpreter::heap::TableId;
        let mut bits = ReadOnlyTables::default();
        assert!(!bits.contains(TableId(1000)));
        bits.set(TableId(1000), true);
        bits.set(TableId(3), true);
        assert!(bits.contains(TableId(1000)) && bits.contains(TableId(3)));
        assert!(!bits.contains(TableId(999)) && !bits.contains(TableId(64)));
        bits.set(TableId(1000), false);
        bits.set(TableId(5000), false);
        assert!(!bits.contains(TableId(1000)) && bits.contains(TableId(3)));
    }
}
