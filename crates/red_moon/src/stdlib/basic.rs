//! The basic library (manual §6.1): `print`, `type`, `pairs`, `pcall`, `load`, ...
//!
//! `dofile` and `loadfile` read files and live in the opt-in `files` loader (`stdlib::files`).

use super::library;
use crate::interpreter::heap::TableId;
use crate::interpreter::metamethod::Event;
use crate::interpreter::native::{Args, Builtin, Continuation, Outcome};
use crate::interpreter::value::Value;
use crate::interpreter::{LuaError, LuaResult, Vm};
use crate::numbers::{self, Number};

pub(crate) static FUNCTIONS: &[Builtin] = library!("_G",
    "assert" => assert,
    "collectgarbage" => collectgarbage,
    "error" => error,
    "getmetatable" => getmetatable,
    "ipairs" => ipairs,
    "load" => load,
    "next" => next,
    "pairs" => pairs,
    "pcall" => pcall,
    "print" => print,
    "rawequal" => rawequal,
    "rawget" => rawget,
    "rawlen" => rawlen,
    "rawset" => rawset,
    "select" => select,
    "setmetatable" => setmetatable,
    "tonumber" => tonumber,
    "tostring" => tostring,
    "type" => type_,
    "warn" => warn,
    "xpcall" => xpcall,
);

/// The iterator `ipairs` returns.
pub(crate) static IPAIRS_ITERATOR: Builtin = Builtin {
    id: "_G.ipairs.iterator",
    name: "for iterator",
    function: ipairs_step,
};

impl Vm {
    /// Installs the basic library into the global table.
    pub(crate) fn open_basic(&mut self) -> LuaResult<()> {
        let globals = self.globals;
        self.register_functions(globals, FUNCTIONS)?;
        self.raw_set_str(globals, "_G", Value::Table(globals))?;
        let version = self.new_string(b"Lua 5.4")?;
        self.raw_set_str(globals, "_VERSION", version)?;
        // `pairs` returns the same `next` every time, and `ipairs` the same iterator.
        self.library_cache.next = self.raw_get_str(globals, "next")?;
        self.library_cache.ipairs_iterator = self.new_native(&IPAIRS_ITERATOR, Vec::new())?;
        Ok(())
    }

    /// `luaL_tolstring`: the string `tostring` shows for a value (`__tostring`, `__name`).
    pub(crate) fn to_display_string(&mut self, value: Value) -> LuaResult<Value> {
        let handler = self.metamethod(value, Event::ToString);
        if !handler.is_nil() {
            let result = self.call_value1(handler, &[value])?;
            return match result {
                Value::String(_) => Ok(result),
                Value::Integer(_) | Value::Float(_) => self.number_to_string(result),
                _ => Err(self.library_error("'__tostring' must return a string")),
            };
        }
        let text = match value {
            Value::String(_) => return Ok(value),
            Value::Integer(_) | Value::Float(_) => return self.number_to_string(value),
            Value::Nil => "nil".to_string(),
            Value::Boolean(b) => b.to_string(),
            other => {
                let kind = self.type_name_with_meta(other);
                format!("{kind}: 0x{:x}", self.object_address(other))
            }
        };
        self.new_string(text.as_bytes())
    }

    /// A deterministic stand-in for an object's address (`%p`, `tostring`): derived from its
    /// type and arena index, never from memory addresses.
    pub(crate) fn object_address(&self, value: Value) -> u64 {
        let (tag, index) = match value {
            Value::String(id) => (1u64, id.0),
            Value::Table(id) => (2, id.0),
            Value::Closure(id) => (3, id.0),
            Value::Native(id) => (4, id.0),
            Value::UserData(id) => (5, id.0),
            Value::Thread(id) => (6, id.0),
            _ => return 0,
        };
        0x5500_0000_0000 | (tag << 40) | ((index as u64) << 4)
    }

    /// `setmetatable` / `debug.setmetatable` core for tables.
    pub(crate) fn set_table_metatable(
        &mut self,
        table: TableId,
        metatable: Option<TableId>,
    ) -> LuaResult<()> {
        self.table_mut(table)?.metatable = metatable;
        self.after_setmetatable(Value::Table(table), metatable)
    }

    /// Collector bookkeeping when an object gets a metatable: the write barrier, and
    /// marking for finalization when the metatable has `__gc`.
    pub(crate) fn after_setmetatable(
        &mut self,
        object: Value,
        metatable: Option<TableId>,
    ) -> LuaResult<()> {
        if let Some(mt) = metatable {
            match object {
                Value::Table(t) => self.write_barrier_table(t, Value::Nil, Value::Table(mt)),
                Value::UserData(u) => self.write_barrier_userdata(u, Value::Table(mt)),
                _ => {}
            }
        }
        self.check_finalizer(object, metatable);
        Ok(())
    }
}

fn assert(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let value = vm.check_any(args, 1)?;
    if value.is_truthy() {
        return Ok(Outcome::Return(args.count));
    }
    // Like PUC, the message goes through `error` at level 1 (strings get the position).
    let message = if args.count >= 2 {
        vm.arg(args, 2)
    } else {
        vm.new_string(b"assertion failed!")?
    };
    Err(vm.error_at_level(message, 1))
}

fn collectgarbage(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    const OPTIONS: &[&str] = &[
        "stop",
        "restart",
        "collect",
        "count",
        "step",
        "setpause",
        "setstepmul",
        "isrunning",
        "generational",
        "incremental",
    ];
    let option = vm.check_option(args, 1, Some("collect"), OPTIONS)?;
    collectgarbage_checked(vm, OPTIONS[option], args)
}

/// `collectgarbage` once the option is known valid: charges the work, then runs it.
pub(crate) fn collectgarbage_checked(vm: &mut Vm, option: &str, args: Args) -> LuaResult<Outcome> {
    vm.charge_collection_fuel(option, args)?;
    vm.collectgarbage_option(option, args)
}

/// Heap bytes a collection visits per unit of fuel (a full collection costs fuel in
/// proportion to the heap, so `while true do collectgarbage() end` on a big heap cannot
/// run for long on little fuel).
const COLLECTED_BYTES_PER_FUEL: usize = 32;

/// Table slots `next` looks at per unit of fuel.
const SCANNED_SLOTS_PER_FUEL: usize = 2;

/// Bytes written per unit of fuel (`print`, `warn`).
const OUTPUT_BYTES_PER_FUEL: usize = 16;

/// Source bytes compiled per unit of fuel (`load`, `tonumber` of long numerals).
const SOURCE_BYTES_PER_FUEL: usize = 1;

/// Fuel for `byte_count` bytes of input at `bytes_per_unit`, at least 1.
fn fuel_for_bytes(byte_count: usize, bytes_per_unit: usize) -> i64 {
    i64::try_from(byte_count / bytes_per_unit.max(1))
        .unwrap_or(i64::MAX)
        .saturating_add(1)
}

impl Vm {
    /// Charges `collectgarbage` for the collector work the option asks for: a full
    /// collection visits the whole heap, a step about the requested kilobytes.
    fn charge_collection_fuel(&mut self, option: &str, args: Args) -> LuaResult<()> {
        let bytes = match option {
            "collect" => self.heap.allocated,
            "step" => {
                let kib = self.opt_integer(args, 2, 0)?;
                usize::try_from(kib)
                    .unwrap_or(0)
                    .saturating_mul(1024)
                    .min(self.heap.allocated)
            }
            _ => 0,
        };
        self.charge_fuel(fuel_for_bytes(bytes, COLLECTED_BYTES_PER_FUEL))
    }
}

fn error(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let value = vm.arg(args, 1);
    let level = vm.opt_integer(args, 2, 1)?;
    Err(vm.error_at_level(value, level))
}

impl Vm {
    /// `error(value, level)`: string messages get the position of the function `level`
    /// levels up (1 = the caller of the native raising it).
    pub(crate) fn error_at_level(&mut self, value: Value, level: i64) -> LuaError {
        if let (Value::String(s), true) = (value, level > 0) {
            let mut message = self.position_of_level(level as usize);
            if message.is_empty() {
                return LuaError::new(value);
            }
            message.extend_from_slice(self.string_bytes(s));
            return match self.new_string(&message) {
                Ok(v) => LuaError::new(v),
                Err(e) => e,
            };
        }
        LuaError::new(value)
    }
}

fn getmetatable(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let value = vm.check_any(args, 1)?;
    let Some(mt) = vm.metatable(value) else {
        return vm.return1(Value::Nil);
    };
    let protected = vm.raw_get(mt, Value::String(vm.events.get(Event::Metatable)));
    if !protected.is_nil() {
        return vm.return1(protected);
    }
    vm.return1(Value::Table(mt))
}

fn ipairs(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let value = vm.check_any(args, 1)?;
    let iterator = vm.library_cache.ipairs_iterator;
    vm.return_values(&[iterator, value, Value::Integer(0)])
}

fn ipairs_step(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let object = vm.arg(args, 1);
    let i = vm.check_integer(args, 2)?.wrapping_add(1);
    let value = vm.index_nested(object, Value::Integer(i))?;
    if value.is_nil() {
        vm.return1(Value::Nil)
    } else {
        vm.return_values(&[Value::Integer(i), value])
    }
}

fn load(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    load_with_policy(vm, args, LoadPolicy::default())
}

/// Restrictions a `load` variant applies (see `stdlib::sandbox`).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct LoadPolicy {
    /// Refuse binary chunks whatever the mode argument says.
    pub text_only: bool,
    /// Environment of the chunk when `load` gets none (the globals when `None`).
    pub default_environment: Option<Value>,
}

/// `load(chunk [, chunkname [, mode [, env]]])` under `policy`.
pub(crate) fn load_with_policy(vm: &mut Vm, args: Args, policy: LoadPolicy) -> LuaResult<Outcome> {
    let chunk = vm.arg(args, 1);
    let mode = vm.opt_string(args, 3)?;
    let env = if vm.has_arg(args, 4) {
        Some(vm.arg(args, 4))
    } else {
        policy.default_environment
    };
    let (source, default_name) = match chunk {
        Value::String(s) => {
            let bytes = vm.shared_string(s);
            (bytes.to_vec(), bytes.to_vec())
        }
        Value::Closure(_) | Value::Native(_) => match read_chunk_pieces(vm, chunk) {
            Ok(source) => (source, b"=(load)".to_vec()),
            // Errors in the reader make `load` fail, like syntax errors.
            Err(error) => {
                let error = vm.error_value(error);
                return vm.return_values(&[Value::Nil, error]);
            }
        },
        Value::Integer(_) | Value::Float(_) => {
            let bytes = vm.check_string(args, 1)?;
            (bytes.to_vec(), bytes.to_vec())
        }
        _ => return Err(vm.type_error(args, 1, "function")),
    };
    let name = match vm.opt_string(args, 2)? {
        Some(name) => name.to_vec(),
        None => default_name,
    };
    let mut mode = mode.as_deref().unwrap_or(b"bt").to_vec();
    if policy.text_only {
        mode.retain(|&c| c != b'b');
    }
    // Compilation does work in proportion to the source: pay before doing it (a reader's
    // pieces were paid for as they came).
    if !matches!(chunk, Value::Closure(_) | Value::Native(_)) {
        vm.charge_fuel(fuel_for_bytes(source.len(), SOURCE_BYTES_PER_FUEL))?;
    }
    match vm.load_chunk(&source, &name, &mode, env)? {
        Ok(function) => vm.return1(function),
        Err(message) => {
            let message = vm.new_string(&message)?;
            vm.return_values(&[Value::Nil, message])
        }
    }
}

/// Calls a `load` reader function until it returns nil or an empty string.
fn read_chunk_pieces(vm: &mut Vm, reader: Value) -> LuaResult<Vec<u8>> {
    let mut source = Vec::new();
    loop {
        let piece = vm.call_value1(reader, &[])?;
        match piece {
            Value::Nil => break,
            Value::Integer(_) | Value::Float(_) => {
                let text = vm.number_to_string(piece)?;
                if let Value::String(s) = text {
                    source.extend_from_slice(vm.string_bytes(s));
                }
            }
            Value::String(s) => {
                let bytes = vm.string_bytes(s);
                if bytes.is_empty() {
                    break;
                }
                let total = source.len().saturating_add(bytes.len());
                vm.charge_fuel(fuel_for_bytes(bytes.len(), SOURCE_BYTES_PER_FUEL))?;
                vm.check_memory(total)?;
                source.extend_from_slice(vm.string_bytes(s));
            }
            _ => return Err(vm.library_error("reader function must return a string")),
        }
    }
    Ok(source)
}

impl Vm {
    /// `load` core: checks the mode against the chunk kind, compiles text chunks (binary
    /// chunks only when the host enabled them) and sets the first upvalue to `env`.
    pub(crate) fn load_chunk(
        &mut self,
        source: &[u8],
        chunk_name: &[u8],
        mode: &[u8],
        env: Option<Value>,
    ) -> LuaResult<Result<Value, Vec<u8>>> {
        let is_binary = source.first() == Some(&0x1b);
        let (kind, allowed) = if is_binary {
            ("binary", mode.contains(&b'b'))
        } else {
            ("text", mode.contains(&b't'))
        };
        if !allowed {
            let mode = String::from_utf8_lossy(mode);
            return Ok(Err(format!(
                "attempt to load a {kind} chunk (mode is '{mode}')"
            )
            .into_bytes()));
        }
        if is_binary {
            return self.load_binary_chunk(source, chunk_name, env);
        }
        self.load_source(source, chunk_name, env)
    }
}

fn next(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let table = vm.check_table(args, 1)?;
    let key = vm.arg(args, 2);
    let (entry, scanned) = match vm.table(table)?.next_counting(key) {
        Ok(found) => found,
        Err(()) => return Err(vm.runtime_error("invalid key to 'next'")),
    };
    // A table emptied by removals keeps its slots: one call can skip over all of them.
    vm.charge_fuel((scanned / SCANNED_SLOTS_PER_FUEL) as i64)?;
    match entry {
        Some((k, v)) => vm.return_values(&[k, v]),
        None => vm.return1(Value::Nil),
    }
}

fn pairs(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let value = vm.check_any(args, 1)?;
    let handler = vm.metamethod(value, Event::Pairs);
    if handler.is_nil() {
        let next = vm.library_cache.next;
        return vm.return_values(&[next, value, Value::Nil]);
    }
    vm.push(handler)?;
    vm.push(value)?;
    Ok(Outcome::Call {
        nargs: 1,
        continuation: Continuation::ReturnExactly(3),
    })
}

fn pcall(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    vm.check_any(args, 1)?;
    Ok(Outcome::Call {
        nargs: args.count - 1,
        continuation: Continuation::Pcall,
    })
}

fn xpcall(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    if !vm.arg(args, 2).is_function() {
        return Err(vm.type_error(args, 2, "function"));
    }
    // Lay out `f, args...` at the top; the handler stays in its argument slot.
    let function = vm.arg(args, 1);
    vm.push(function)?;
    for n in 3..=args.count {
        let value = vm.arg(args, n);
        vm.push(value)?;
    }
    Ok(Outcome::Call {
        nargs: args.count - 2,
        continuation: Continuation::Xpcall {
            handler: (args.func + 2) as u32,
        },
    })
}

/// `print`: writes each argument as it is converted (like PUC), never gathering them in
/// one buffer (many huge arguments would make a buffer far beyond the memory limit), and
/// pays fuel for the bytes written.
fn print(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    for n in 1..=args.count {
        let value = vm.arg(args, n);
        let text = vm.to_display_string(value)?;
        if let Value::String(s) = text {
            let length = vm.string_bytes(s).len();
            vm.charge_fuel(fuel_for_bytes(length, OUTPUT_BYTES_PER_FUEL))?;
            let bytes = vm.shared_string(s);
            if n > 1 {
                vm.write_output(b"\t");
            }
            vm.write_output(&bytes);
        }
    }
    vm.write_output(b"\n");
    Ok(Outcome::Return(0))
}

fn rawequal(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let a = vm.check_any(args, 1)?;
    let b = vm.check_any(args, 2)?;
    vm.return1(Value::Boolean(a.raw_equals(b)))
}

fn rawget(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let table = vm.check_table(args, 1)?;
    let key = vm.check_any(args, 2)?;
    let value = vm.raw_get(table, key);
    vm.return1(value)
}

fn rawlen(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let length = match vm.arg(args, 1) {
        Value::Table(t) => vm.table(t)?.border() as i64,
        Value::String(s) => vm.string_bytes(s).len() as i64,
        _ => return Err(vm.type_error(args, 1, "table or string")),
    };
    vm.return1(Value::Integer(length))
}

fn rawset(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let table = vm.check_table(args, 1)?;
    let key = vm.check_any(args, 2)?;
    let value = vm.check_any(args, 3)?;
    vm.raw_set(table, key, value)?;
    vm.write_barrier_table(table, key, value);
    vm.return1(Value::Table(table))
}

fn select(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let extra = args.count as i64 - 1;
    if let Value::String(s) = vm.arg(args, 1) {
        if vm.string_bytes(s).first() == Some(&b'#') {
            return vm.return1(Value::Integer(extra.max(0)));
        }
    }
    let n = vm.check_integer(args, 1)?;
    let start = if n < 0 {
        extra + n
    } else if n == 0 {
        return Err(vm.arg_error(args, 1, "index out of range"));
    } else {
        n - 1
    };
    if start < 0 {
        return Err(vm.arg_error(args, 1, "index out of range"));
    }
    // The results are the arguments from `start` on: they already end at the top.
    Ok(Outcome::Return((extra - start.min(extra)) as usize))
}

fn setmetatable(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let table = vm.check_table(args, 1)?;
    let metatable = match vm.arg(args, 2) {
        Value::Nil if vm.has_arg(args, 2) => None,
        Value::Table(mt) => Some(mt),
        _ => return Err(vm.type_error(args, 2, "nil or table")),
    };
    if vm.is_read_only(table) {
        return Err(vm.read_only_error());
    }
    if let Some(current) = vm.table(table)?.metatable {
        let protected = vm.raw_get(current, Value::String(vm.events.get(Event::Metatable)));
        if !protected.is_nil() {
            return Err(vm.library_error("cannot change a protected metatable"));
        }
    }
    vm.set_table_metatable(table, metatable)?;
    vm.return1(Value::Table(table))
}

fn tonumber(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    if vm.arg(args, 2).is_nil() {
        let value = vm.check_any(args, 1)?;
        let result = match value {
            Value::Integer(_) | Value::Float(_) => value,
            Value::String(s) => match vm.parse_numeral(s)? {
                Some(Number::Integer(i)) => Value::Integer(i),
                Some(Number::Float(f)) => Value::Float(f),
                None => Value::Nil,
            },
            _ => Value::Nil,
        };
        return vm.return1(result);
    }
    let base = vm.check_integer(args, 2)?;
    let text = match vm.arg(args, 1) {
        Value::String(s) => vm.shared_string(s),
        _ => return Err(vm.type_error(args, 1, "string")),
    };
    if !(2..=36).contains(&base) {
        return Err(vm.arg_error(args, 2, "base out of range"));
    }
    vm.charge_fuel(fuel_for_bytes(text.len(), SOURCE_BYTES_PER_FUEL))?;
    let result =
        numbers::parse_integer_in_base(&text, base as u32).map_or(Value::Nil, Value::Integer);
    vm.return1(result)
}

impl Vm {
    /// `tonumber(s)` without a base: parses the numeral after paying for its length.
    fn parse_numeral(
        &mut self,
        s: crate::interpreter::heap::StringId,
    ) -> LuaResult<Option<Number>> {
        let length = self.string_bytes(s).len();
        self.charge_fuel(fuel_for_bytes(length, SOURCE_BYTES_PER_FUEL))?;
        Ok(numbers::parse_number(self.string_bytes(s)))
    }
}

fn tostring(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let value = vm.check_any(args, 1)?;
    let text = vm.to_display_string(value)?;
    vm.return1(text)
}

fn type_(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let value = vm.check_any(args, 1)?;
    let name = vm.new_string(value.type_name().as_bytes())?;
    vm.return1(name)
}

fn warn(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    vm.check_string(args, 1)?;
    let mut message = Vec::new();
    for n in 1..=args.count {
        let piece = vm.check_string(args, n)?;
        let total = message.len().saturating_add(piece.len());
        vm.charge_fuel(fuel_for_bytes(piece.len(), OUTPUT_BYTES_PER_FUEL))?;
        vm.check_memory(total)?;
        message.extend_from_slice(&piece);
    }
    vm.warn(&message, args.count == 1);
    Ok(Outcome::Return(0))
}

impl Vm {
    /// `warn`: control messages (`@on`, `@off`) when `single` and starting with `@`,
    /// otherwise "Lua warning: ..." on the warning output while warnings are on.
    pub(crate) fn warn(&mut self, message: &[u8], single: bool) {
        if single && message.first() == Some(&b'@') {
            match message {
                b"@on" => self.warnings_on = true,
                b"@off" => self.warnings_on = false,
                _ => {}
            }
            return;
        }
        if self.warnings_on {
            let mut line = b"Lua warning: ".to_vec();
            line.extend_from_slice(message);
            line.push(b'\n');
            self.write_error_output(&line);
        }
    }
}
