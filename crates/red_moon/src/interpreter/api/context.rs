//! `VmContext`: the host's access to a VM, and the operations on handles.

use super::convert::{FromLua, FromMulti, IntoLua, IntoMulti};
use super::handles::{FunctionRef, Handle, ObjectKind, StringRef, TableRef};
use super::value::{MultiValue, Value};
use crate::errors::RuntimeError;
use crate::interpreter::execute::Exit;
use crate::interpreter::native::Args;
use crate::interpreter::thread::ReturnTo;
use crate::interpreter::value::Value as RawValue;
use crate::interpreter::{LuaError, LuaResult, Vm};

/// Mutable access to a VM for the host: creating values, loading code, calling functions.
/// Obtained with [`Vm::context`]; host functions receive one too.
pub struct VmContext<'vm> {
    pub(crate) vm: &'vm mut Vm,
}

impl Vm {
    /// The host's entry point to this VM.
    ///
    /// ```
    /// use red_moon::interpreter::Vm;
    ///
    /// let mut vm = Vm::default();
    /// let ctx = &mut vm.context();
    /// assert_eq!(ctx.exec::<i64>(b"return 6 * 7", "=example").unwrap(), 42);
    /// ```
    pub fn context(&mut self) -> VmContext<'_> {
        VmContext { vm: self }
    }
}

impl Vm {
    /// Turns a host function's error into the Lua error it raises.
    pub(crate) fn host_error(&mut self, error: RuntimeError, args: Args) -> LuaError {
        match error {
            RuntimeError::Lua { value, .. } => match self.from_public(&value) {
                Ok(raw) => LuaError::new(raw),
                Err(_) => self.library_error("invalid error value"),
            },
            RuntimeError::BadArgument { position, message } if position > 0 => {
                self.arg_error(args, position, message)
            }
            other => {
                let message = other.to_string();
                self.library_error(message)
            }
        }
    }

    /// Converts an internal error into the host's error type (with the traceback recorded
    /// when the error left the VM).
    pub(crate) fn runtime_error_from(&mut self, error: LuaError) -> RuntimeError {
        match error {
            LuaError::Value(value) => {
                let (message, traceback) = match self.last_traceback.take() {
                    Some((message, traceback)) => (message, Some(traceback)),
                    None => (self.error_text(value), None),
                };
                let value = self.to_public(value);
                RuntimeError::Lua {
                    value,
                    message,
                    traceback,
                }
            }
            LuaError::Internal(message) => RuntimeError::Internal(message),
        }
    }

    /// The text shown for an error object: strings and numbers as they are, other values as
    /// "(error object is a X value)" unless they have `__tostring`.
    pub(crate) fn error_text(&mut self, value: RawValue) -> String {
        match value {
            RawValue::String(s) => String::from_utf8_lossy(self.string_bytes(s)).into_owned(),
            RawValue::Integer(_) | RawValue::Float(_) => {
                let mut out = Vec::new();
                crate::interpreter::execute::write_number_value(value, &mut out);
                String::from_utf8_lossy(&out).into_owned()
            }
            other => {
                let handler =
                    self.metamethod(other, crate::interpreter::metamethod::Event::ToString);
                if !handler.is_nil() {
                    if let Ok(RawValue::String(s)) = self.to_display_string(other) {
                        return String::from_utf8_lossy(self.string_bytes(s)).into_owned();
                    }
                }
                format!("(error object is a {} value)", other.type_name())
            }
        }
    }

    /// Calls a function from the host. At the top level the call may pause when fuel runs
    /// out (`RuntimeError::Paused`); inside a host function it is a nested call.
    pub(crate) fn call_from_host(
        &mut self,
        function: RawValue,
        args: &[RawValue],
    ) -> Result<Vec<RawValue>, RuntimeError> {
        if self.paused {
            return Err(RuntimeError::InvalidState(
                "a call is paused: resume or abandon it before starting another",
            ));
        }
        let top_level = self.thread.frames.is_empty();
        let func = self.thread.top;
        let pushed = (|| -> LuaResult<()> {
            self.push(function)?;
            for &arg in args {
                self.push(arg)?;
            }
            Ok(())
        })();
        if let Err(error) = pushed {
            self.thread.top = func;
            return Err(self.runtime_error_from(error));
        }
        if !top_level {
            return match self.call_nested(func, args.len()) {
                Ok(n) => {
                    let results = self.thread.stack[func..func + n].to_vec();
                    self.thread.top = func;
                    Ok(results)
                }
                Err(error) => {
                    self.thread.top = func;
                    Err(self.runtime_error_from(error))
                }
            };
        }
        self.host_call_base = func;
        let started =
            self.precall(func, args.len(), ReturnTo::Nested)
                .and_then(|step| match step {
                    crate::interpreter::execute::Step::Exit(exit) => Ok(exit),
                    _ => self.run(),
                });
        self.finish_host_call(started)
    }

    /// Continues a paused top-level call.
    pub(crate) fn resume_host_call(&mut self) -> Result<Vec<RawValue>, RuntimeError> {
        if !self.paused {
            return Err(RuntimeError::InvalidState("no call is paused"));
        }
        self.paused = false;
        let result = self.run();
        self.finish_host_call(result)
    }

    fn finish_host_call(&mut self, result: LuaResult<Exit>) -> Result<Vec<RawValue>, RuntimeError> {
        let func = self.host_call_base;
        match result {
            Ok(Exit::Returned) => {
                let results = self.thread.stack[func..self.thread.top].to_vec();
                self.thread.top = func;
                Ok(results)
            }
            Ok(Exit::Paused) => {
                self.paused = true;
                Err(RuntimeError::Paused)
            }
            Err(error) => {
                self.reset_after_error(func);
                Err(self.runtime_error_from(error))
            }
        }
    }

    /// After an error left a top-level call: the main thread is idle again.
    fn reset_after_error(&mut self, func: usize) {
        self.thread.frames.clear();
        self.close_upvalues(func);
        self.thread
            .to_be_closed
            .retain(|&slot| (slot as usize) < func);
        self.thread.top = func;
        self.resumers.clear();
    }
}

impl<'vm> VmContext<'vm> {
    /// The global environment that scripts see (`_G`).
    ///
    /// ```
    /// use red_moon::interpreter::Vm;
    ///
    /// let mut vm = Vm::default();
    /// let ctx = &mut vm.context();
    /// let env = ctx.default_environment();
    /// env.set("greeting", "hi", ctx).unwrap();
    /// assert_eq!(ctx.exec::<String>(b"return greeting", "=example").unwrap(), "hi");
    /// ```
    pub fn default_environment(&mut self) -> TableRef {
        let globals = RawValue::Table(self.vm.globals);
        match self.vm.to_public(globals) {
            Value::Table(t) => t,
            // Only in a corrupted VM; the handle is rejected wherever it is used.
            _ => TableRef(Handle::dangling(ObjectKind::Table)),
        }
    }

    /// A new empty table.
    ///
    /// ```
    /// use red_moon::interpreter::Vm;
    ///
    /// let mut vm = Vm::default();
    /// let ctx = &mut vm.context();
    /// let t = ctx.create_table().unwrap();
    /// t.set(1, "first", ctx).unwrap();
    /// assert_eq!(t.raw_len(ctx).unwrap(), 1);
    /// ```
    pub fn create_table(&mut self) -> Result<TableRef, RuntimeError> {
        let table = self
            .vm
            .new_table(0, 0)
            .map_err(|e| self.vm.runtime_error_from(e))?;
        match self.vm.to_public(RawValue::Table(table)) {
            Value::Table(t) => Ok(t),
            _ => Err(RuntimeError::Internal("table handle")),
        }
    }

    /// A Lua string with these bytes (any bytes: Lua strings need not be UTF-8).
    ///
    /// ```
    /// use red_moon::interpreter::Vm;
    ///
    /// let mut vm = Vm::default();
    /// let ctx = &mut vm.context();
    /// let s = ctx.create_string(b"moon").unwrap();
    /// assert_eq!(s.to_string_lossy(ctx).unwrap(), "moon");
    /// ```
    pub fn create_string(&mut self, bytes: &[u8]) -> Result<StringRef, RuntimeError> {
        let value = self
            .vm
            .new_string(bytes)
            .map_err(|e| self.vm.runtime_error_from(e))?;
        match self.vm.to_public(value) {
            Value::String(s) => Ok(s),
            _ => Err(RuntimeError::Internal("string handle")),
        }
    }

    /// Compiles Lua source into a function. `chunk_name` follows Lua's conventions
    /// (`"=name"` is shown as is, `"@file.lua"` as a file name, anything else as
    /// `[string "..."]`); `env` replaces the global environment for this chunk. A syntax
    /// error is [`RuntimeError::Syntax`] with PUC's message.
    ///
    /// ```
    /// use red_moon::interpreter::Vm;
    ///
    /// let mut vm = Vm::default();
    /// let ctx = &mut vm.context();
    /// let sandbox = ctx.create_table().unwrap();
    /// sandbox.set("limit", 3, ctx).unwrap();
    /// let chunk = ctx.load(b"return limit * 2", "=config", Some(&sandbox)).unwrap();
    /// assert_eq!(chunk.call::<_, i64>((), ctx).unwrap(), 6);
    /// let error = ctx.load(b"return +", "=config", None).unwrap_err();
    /// assert_eq!(error.to_string(), "config:1: unexpected symbol near '+'");
    /// ```
    pub fn load(
        &mut self,
        source: &[u8],
        chunk_name: &str,
        env: Option<&TableRef>,
    ) -> Result<FunctionRef, RuntimeError> {
        let env = match env {
            Some(t) => Some(self.vm.resolve(&t.0)?),
            None => None,
        };
        match self.vm.load_source(source, chunk_name.as_bytes(), env) {
            Ok(Ok(function)) => match self.vm.to_public(function) {
                Value::Function(f) => Ok(f),
                _ => Err(RuntimeError::Internal("function handle")),
            },
            Ok(Err(message)) => Err(RuntimeError::Syntax(
                String::from_utf8_lossy(&message).into_owned(),
            )),
            Err(error) => Err(self.vm.runtime_error_from(error)),
        }
    }

    /// Compiles a Lua file from the host's file system (chunk name `@path`), skipping a
    /// UTF-8 byte-order mark and a first line starting with `#`, as `loadfile` does.
    ///
    /// ```
    /// use red_moon::interpreter::Vm;
    ///
    /// let mut vm = Vm::default();
    /// let ctx = &mut vm.context();
    /// let error = ctx.load_file("/nonexistent/script.lua").unwrap_err();
    /// assert!(error.to_string().starts_with("cannot open /nonexistent/script.lua"));
    /// ```
    pub fn load_file(&mut self, path: &str) -> Result<FunctionRef, RuntimeError> {
        let bytes = std::fs::read(path).map_err(|error| {
            let reason = crate::stdlib::files::describe_io_error(&error);
            RuntimeError::Message(format!("cannot open {path}: {reason}"))
        })?;
        let source = skip_file_prefix(&bytes);
        self.load(&source, &format!("@{path}"), None)
    }

    /// Compiles and runs a chunk, returning its results.
    ///
    /// ```
    /// use red_moon::interpreter::Vm;
    ///
    /// let mut vm = Vm::default();
    /// let ctx = &mut vm.context();
    /// let (a, b): (i64, String) = ctx.exec(b"return 1, 'two'", "=example").unwrap();
    /// assert_eq!((a, b.as_str()), (1, "two"));
    /// ```
    pub fn exec<R: FromMulti>(
        &mut self,
        source: &[u8],
        chunk_name: &str,
    ) -> Result<R, RuntimeError> {
        let function = self.load(source, chunk_name, None)?;
        function.call((), self)
    }

    /// Continues a call that paused because fuel ran out, returning its results (or
    /// [`RuntimeError::Paused`] again).
    ///
    /// ```
    /// use red_moon::errors::RuntimeError;
    /// use red_moon::interpreter::Vm;
    ///
    /// let mut vm = Vm::default();
    /// let ctx = &mut vm.context();
    /// ctx.set_fuel(100);
    /// let paused = ctx.exec::<i64>(b"local s = 0 for i = 1, 1000 do s = s + i end return s", "=example");
    /// assert!(matches!(paused, Err(RuntimeError::Paused)));
    /// assert!(ctx.is_paused());
    /// ctx.add_fuel(1_000_000);
    /// assert_eq!(ctx.resume::<i64>().unwrap(), 500500);
    /// ```
    pub fn resume<R: FromMulti>(&mut self) -> Result<R, RuntimeError> {
        let results = self.vm.resume_host_call()?;
        self.results_to::<R>(results)
    }

    /// Adds fuel (instruction budget).
    ///
    /// ```
    /// use red_moon::interpreter::Vm;
    ///
    /// let mut vm = Vm::default();
    /// let ctx = &mut vm.context();
    /// ctx.set_fuel(10);
    /// ctx.add_fuel(5);
    /// assert_eq!(ctx.fuel(), 15);
    /// ```
    pub fn add_fuel(&mut self, fuel: i64) {
        let total = self.vm.remaining_fuel().saturating_add(fuel);
        self.vm.set_remaining_fuel(total);
    }

    /// Sets the remaining fuel (about one unit per instruction; library functions charge
    /// for the work they do).
    ///
    /// ```
    /// use red_moon::interpreter::Vm;
    ///
    /// let mut vm = Vm::default();
    /// let ctx = &mut vm.context();
    /// ctx.set_fuel(1000);
    /// ctx.exec::<()>(b"for i = 1, 10 do end", "=example").unwrap();
    /// assert!(ctx.fuel() < 1000);
    /// ```
    pub fn set_fuel(&mut self, fuel: i64) {
        self.vm.set_remaining_fuel(fuel);
    }

    /// Remaining fuel.
    ///
    /// ```
    /// use red_moon::interpreter::Vm;
    ///
    /// let mut vm = Vm::default();
    /// let ctx = &mut vm.context();
    /// ctx.set_fuel(7);
    /// assert_eq!(ctx.fuel(), 7);
    /// ```
    pub fn fuel(&self) -> i64 {
        self.vm.remaining_fuel()
    }

    /// Whether a call is paused waiting for fuel.
    ///
    /// ```
    /// use red_moon::interpreter::Vm;
    ///
    /// let mut vm = Vm::default();
    /// let ctx = &mut vm.context();
    /// assert!(!ctx.is_paused());
    /// ```
    pub fn is_paused(&self) -> bool {
        self.vm.paused
    }

    pub(crate) fn results_to<R: FromMulti>(
        &mut self,
        results: Vec<RawValue>,
    ) -> Result<R, RuntimeError> {
        let values: Vec<Value> = results.into_iter().map(|v| self.vm.to_public(v)).collect();
        R::from_multi(MultiValue(values), self)
    }

    /// The VM behind this context.
    ///
    /// ```
    /// use red_moon::interpreter::Vm;
    ///
    /// let mut vm = Vm::default();
    /// let ctx = &mut vm.context();
    /// ctx.vm().set_warnings(true);
    /// ```
    pub fn vm(&mut self) -> &mut Vm {
        self.vm
    }

    /// A host value as a raw value; the host value must stay alive while the raw value is
    /// used (its handle is what keeps the object from being collected).
    pub(crate) fn raw<T: IntoLua>(&mut self, value: T) -> Result<(Value, RawValue), RuntimeError> {
        let value = value.into_lua(self)?;
        let raw = self.vm.from_public(&value)?;
        Ok((value, raw))
    }

    /// `object[key]` with metamethods.
    pub(crate) fn index_value<K: IntoLua, V: FromLua>(
        &mut self,
        object: RawValue,
        key: K,
    ) -> Result<V, RuntimeError> {
        let (_key, raw_key) = self.raw(key)?;
        let value = self
            .vm
            .index_nested(object, raw_key)
            .map_err(|e| self.vm.runtime_error_from(e))?;
        let value = self.vm.to_public(value);
        V::from_lua(value, self)
    }

    /// `object[key] = value` with metamethods.
    pub(crate) fn set_index_value<K: IntoLua, V: IntoLua>(
        &mut self,
        object: RawValue,
        key: K,
        value: V,
    ) -> Result<(), RuntimeError> {
        let (_key, raw_key) = self.raw(key)?;
        let (_value, raw_value) = self.raw(value)?;
        self.vm
            .set_index_nested(object, raw_key, raw_value)
            .map_err(|e| self.vm.runtime_error_from(e))
    }

    /// Calls any callable value (functions, and values with `__call`).
    pub(crate) fn call_value<A: IntoMulti, R: FromMulti>(
        &mut self,
        function: &Value,
        args: A,
    ) -> Result<R, RuntimeError> {
        let function = self.vm.from_public(function)?;
        let args = args.into_multi(self)?;
        let mut raw = Vec::with_capacity(args.len());
        for value in args.iter() {
            raw.push(self.vm.from_public(value)?);
        }
        let results = self.vm.call_from_host(function, &raw)?;
        self.results_to(results)
    }
}

/// The source of a Lua file as `loadfile` reads it: without a UTF-8 byte-order mark, and
/// with a first line starting with `#` blanked (its newline kept, so line numbers match,
/// unless a binary chunk follows it).
///
/// ```
/// use red_moon::interpreter::skip_file_prefix;
///
/// assert_eq!(&*skip_file_prefix(b"#!/usr/bin/lua\nprint(1)"), b"\nprint(1)");
/// ```
pub fn skip_file_prefix(bytes: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.first() == Some(&b'#') {
        let rest = bytes
            .iter()
            .position(|&b| b == b'\n')
            .map_or(&[][..], |i| &bytes[i..]);
        let rest = match rest.get(1) {
            Some(0x1b) => &rest[1..],
            _ => rest,
        };
        return std::borrow::Cow::Owned(rest.to_vec());
    }
    std::borrow::Cow::Borrowed(bytes)
}
