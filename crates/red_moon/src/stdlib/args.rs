//! Argument access and checking for library functions, with PUC's messages
//! (`bad argument #1 to 'sub' (number expected, got nil)`). Every library uses these; none
//! formats argument errors itself.

use crate::interpreter::execute::VariableKind;
use crate::interpreter::heap::{StringId, TableId};
use crate::interpreter::native::{Args, Outcome};
use crate::interpreter::thread::FrameKind;
use crate::interpreter::value::{LuaType, Value};
use crate::interpreter::{LuaError, LuaResult, Vm};
use crate::numbers::{self, Number};
use std::rc::Rc;

impl Vm {
    /// Argument `n` (1-based), nil when absent.
    #[inline]
    pub(crate) fn arg(&self, args: Args, n: usize) -> Value {
        if n == 0 || n > args.count {
            return Value::Nil;
        }
        self.thread
            .stack
            .get(args.func + n)
            .copied()
            .unwrap_or(Value::Nil)
    }

    /// Whether argument `n` was passed at all (PUC's "none" vs nil).
    #[inline]
    pub(crate) fn has_arg(&self, args: Args, n: usize) -> bool {
        n >= 1 && n <= args.count
    }

    fn set_arg(&mut self, args: Args, n: usize, value: Value) {
        if n >= 1 && n <= args.count {
            if let Some(slot) = self.thread.stack.get_mut(args.func + n) {
                *slot = value;
            }
        }
    }

    /// `luaL_checkany`: the argument must be present (nil counts).
    pub(crate) fn check_any(&mut self, args: Args, n: usize) -> LuaResult<Value> {
        if !self.has_arg(args, n) {
            return Err(self.arg_error(args, n, "value expected"));
        }
        Ok(self.arg(args, n))
    }

    /// `luaL_checkinteger`: integers, floats with an exact integer value, and strings that
    /// convert to such numbers.
    pub(crate) fn check_integer(&mut self, args: Args, n: usize) -> LuaResult<i64> {
        let value = self.arg(args, n);
        match self.to_number(value) {
            Some(number) => match number.to_integer_exact() {
                Some(i) => Ok(i),
                None => Err(self.arg_error(args, n, "number has no integer representation")),
            },
            None => Err(self.type_error(args, n, "number")),
        }
    }

    pub(crate) fn opt_integer(&mut self, args: Args, n: usize, default: i64) -> LuaResult<i64> {
        if self.arg(args, n).is_nil() {
            Ok(default)
        } else {
            self.check_integer(args, n)
        }
    }

    /// `luaL_checknumber`: numbers keep their subtype; numeric strings become floats (as
    /// PUC's `luaL_checknumber` returns a float for them).
    pub(crate) fn check_number(&mut self, args: Args, n: usize) -> LuaResult<Number> {
        let value = self.arg(args, n);
        match (value, self.to_number(value)) {
            (Value::String(_), Some(number)) => Ok(Number::Float(number.to_float())),
            (_, Some(number)) => Ok(number),
            (_, None) => Err(self.type_error(args, n, "number")),
        }
    }

    pub(crate) fn check_float(&mut self, args: Args, n: usize) -> LuaResult<f64> {
        self.check_number(args, n).map(Number::to_float)
    }

    pub(crate) fn opt_float(&mut self, args: Args, n: usize, default: f64) -> LuaResult<f64> {
        if self.arg(args, n).is_nil() {
            Ok(default)
        } else {
            self.check_float(args, n)
        }
    }

    /// A number or a string convertible to one (`lua_tonumber`).
    pub(crate) fn to_number(&self, value: Value) -> Option<Number> {
        match value {
            Value::Integer(i) => Some(Number::Integer(i)),
            Value::Float(f) => Some(Number::Float(f)),
            Value::String(s) => numbers::parse_number(self.string_bytes(s)),
            _ => None,
        }
    }

    /// `luaL_checklstring`: strings, and numbers (converted in place, as PUC does).
    pub(crate) fn check_string_id(&mut self, args: Args, n: usize) -> LuaResult<StringId> {
        match self.arg(args, n) {
            Value::String(s) => Ok(s),
            number @ (Value::Integer(_) | Value::Float(_)) => {
                let Value::String(s) = self.number_to_string(number)? else {
                    return Err(LuaError::internal("number conversion"));
                };
                self.set_arg(args, n, Value::String(s));
                Ok(s)
            }
            _ => Err(self.type_error(args, n, "string")),
        }
    }

    /// The bytes of a string argument (shared, so the caller may keep using `self`).
    pub(crate) fn check_string(&mut self, args: Args, n: usize) -> LuaResult<Rc<[u8]>> {
        let id = self.check_string_id(args, n)?;
        Ok(self.shared_string(id))
    }

    pub(crate) fn opt_string(&mut self, args: Args, n: usize) -> LuaResult<Option<Rc<[u8]>>> {
        if self.arg(args, n).is_nil() {
            Ok(None)
        } else {
            self.check_string(args, n).map(Some)
        }
    }

    pub(crate) fn shared_string(&self, id: StringId) -> Rc<[u8]> {
        self.heap
            .strings
            .get(id.0)
            .map_or_else(|| Rc::from(&b""[..]), |s| s.shared_bytes().clone())
    }

    pub(crate) fn check_table(&mut self, args: Args, n: usize) -> LuaResult<TableId> {
        match self.arg(args, n) {
            Value::Table(t) => Ok(t),
            _ => Err(self.type_error(args, n, "table")),
        }
    }

    /// `luaL_checktype` for basic types.
    pub(crate) fn check_type(&mut self, args: Args, n: usize, ty: LuaType) -> LuaResult<Value> {
        let value = self.arg(args, n);
        if !self.has_arg(args, n) || value.lua_type() != ty {
            return Err(self.type_error(args, n, ty.name()));
        }
        Ok(value)
    }

    /// `luaL_checkoption`: index of the argument in `options` (or of `default` when absent).
    pub(crate) fn check_option(
        &mut self,
        args: Args,
        n: usize,
        default: Option<&str>,
        options: &[&str],
    ) -> LuaResult<usize> {
        let name: Rc<[u8]> = match (default, self.arg(args, n).is_nil()) {
            (Some(d), true) => Rc::from(d.as_bytes()),
            _ => self.check_string(args, n)?,
        };
        match options.iter().position(|o| o.as_bytes() == &*name) {
            Some(i) => Ok(i),
            None => {
                let message = format!("invalid option '{}'", String::from_utf8_lossy(&name));
                Err(self.arg_error(args, n, message))
            }
        }
    }

    /// `luaL_typeerror`: "<expected> expected, got <actual>".
    pub(crate) fn type_error(&mut self, args: Args, n: usize, expected: &str) -> LuaError {
        let actual = if self.has_arg(args, n) {
            self.type_name_with_meta(self.arg(args, n))
        } else {
            "no value".to_string()
        };
        self.arg_error(args, n, format!("{expected} expected, got {actual}"))
    }

    /// `luaL_argerror`: "bad argument #n to 'name' (message)", with PUC's adjustments for
    /// method calls.
    pub(crate) fn arg_error(&mut self, args: Args, n: usize, message: impl AsRef<str>) -> LuaError {
        let message = message.as_ref();
        let (kind, name) = self.native_name(args);
        let mut n = n;
        if kind == Some(VariableKind::Method) {
            n -= 1;
            if n == 0 {
                return self.library_error(format!("calling '{name}' on bad self ({message})"));
            }
        }
        self.library_error(format!("bad argument #{n} to '{name}' ({message})"))
    }

    /// How the running native was called: the name its Lua caller used, else its global
    /// name (`string.rep`), else "?".
    pub(crate) fn native_name(&mut self, args: Args) -> (Option<VariableKind>, String) {
        let frames = &self.thread.frames;
        if let Some(caller) = frames.len().checked_sub(2).and_then(|i| frames.get(i)) {
            if let FrameKind::Lua { closure, pc } = caller.kind {
                if let Some(closure) = self.heap.closures.get(closure.0) {
                    let pc = (pc as usize).saturating_sub(1);
                    if let Some((kind, name)) =
                        crate::interpreter::execute::calling_name(&closure.proto, pc)
                    {
                        return (Some(kind), String::from_utf8_lossy(&name).into_owned());
                    }
                }
            }
        }
        let function = self
            .thread
            .stack
            .get(args.func)
            .copied()
            .unwrap_or(Value::Nil);
        let (name, scanned) = self.global_function_name_counting(function);
        // The search is work a script can make large: pay for it (without failing here;
        // the next instruction or charge sees the fuel).
        self.consume_fuel((scanned / NAME_SEARCH_SLOTS_PER_FUEL) as i64);
        (None, name.unwrap_or_else(|| "?".to_string()))
    }

    /// PUC's `pushglobalfuncname`: "module.field" for a function found in a loaded module
    /// (`_G.` is dropped).
    pub(crate) fn global_function_name(&self, function: Value) -> Option<String> {
        self.global_function_name_counting(function).0
    }

    /// `global_function_name`, also returning how many table slots the search looked at.
    ///
    /// Every argument error runs this search, so a script that fills `_G` or a module with
    /// a million entries could make each `pcall(string.rep)` cost a million steps. The
    /// search walks the hash parts directly (names are string keys, never in an array
    /// part), in `next` order, and gives up after `MAX_NAME_SEARCH_SLOTS` slots: past the
    /// bound the function is simply unnamed ("?"), which only such scripts see.
    pub(crate) fn global_function_name_counting(&self, function: Value) -> (Option<String>, usize) {
        let mut scanned = 0usize;
        let Some(loaded_key) = self.heap.find_interned(b"_LOADED") else {
            return (None, scanned);
        };
        let Value::Table(loaded) = self.raw_get(self.registry, Value::String(loaded_key)) else {
            return (None, scanned);
        };
        let Some(loaded) = self.heap.tables.get(loaded.0) else {
            return (None, scanned);
        };
        for (module_name, module) in loaded.hash_entries() {
            scanned += 1;
            let (Value::String(module_name), Value::Table(module)) = (module_name, module) else {
                continue;
            };
            let Some(module) = self.heap.tables.get(module.0) else {
                continue;
            };
            for (field, value) in module.hash_entries() {
                scanned += 1;
                if scanned > MAX_NAME_SEARCH_SLOTS {
                    return (None, scanned);
                }
                let Value::String(field) = field else {
                    continue;
                };
                if value.is_nil() || !value.raw_equals(function) {
                    continue;
                }
                let module_name = String::from_utf8_lossy(self.string_bytes(module_name));
                let field = String::from_utf8_lossy(self.string_bytes(field));
                let name = if module_name == "_G" {
                    field.into_owned()
                } else {
                    format!("{module_name}.{field}")
                };
                return (Some(name), scanned);
            }
        }
        (None, scanned)
    }

    // ----- results -----

    /// Returns one value from a native.
    #[inline]
    pub(crate) fn return1(&mut self, value: Value) -> LuaResult<Outcome> {
        self.push(value)?;
        Ok(Outcome::Return(1))
    }

    pub(crate) fn return_values(&mut self, values: &[Value]) -> LuaResult<Outcome> {
        for &v in values {
            self.push(v)?;
        }
        Ok(Outcome::Return(values.len()))
    }

    /// Returns a new string made from `bytes`.
    pub(crate) fn return_string(&mut self, bytes: &[u8]) -> LuaResult<Outcome> {
        let value = self.new_string(bytes)?;
        self.return1(value)
    }

    /// The string form of a number value.
    pub(crate) fn number_to_string(&mut self, number: Value) -> LuaResult<Value> {
        let mut buffer = Vec::new();
        crate::interpreter::execute::write_number_value(number, &mut buffer);
        self.new_string(&buffer)
    }
}

/// Bound on the table slots `global_function_name` looks at (the standard libraries and a
/// usual global table take a few hundred).
const MAX_NAME_SEARCH_SLOTS: usize = 20_000;

/// Slots of the name search per unit of fuel.
const NAME_SEARCH_SLOTS_PER_FUEL: usize = 8;
