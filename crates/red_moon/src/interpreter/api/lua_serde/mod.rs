//! Conversions between any `Serialize`/`Deserialize` Rust type and Lua values, driven by
//! serde (feature `serde`).
//!
//! Rust → Lua: booleans, numbers and strings map to themselves (`u64` beyond `i64::MAX`
//! becomes a float); byte arrays become strings; sequences, tuples and `Vec`s become
//! sequence tables; maps and structs become tables keyed by their keys and field names;
//! `None`, `()` and unit structs become nil (or [`VmContext::null`]); an enum variant
//! becomes its name when it has no data, else a one-entry table `{Variant = data}`.
//!
//! With the default options `None` is nil, which a table cannot hold: `Variant(None)`
//! becomes an empty table and `vec![Some(1), None]` loses its second element. Use
//! [`SerializeOptions::serialize_none_to_null`] where that matters.
//!
//! Lua → Rust: the reverse (strings also convert to byte sequences such as `Vec<u8>`). A table is a sequence when it has the
//! [array metatable](VmContext::array_metatable) or its keys are exactly `1..n`; the target
//! type decides otherwise (an empty table converts to an empty `Vec` or an empty map).
//! Floats with an integer value convert to integer types. Functions, coroutines and
//! userdata other than `null` are refused unless
//! [`DeserializeOptions::deny_unsupported_types`] is off (they then read as unit);
//! recursive tables are refused (or, if allowed, fail at the nesting limit).

mod de;
mod ser;

use super::context::VmContext;
use super::convert::{FromLua, IntoLua};
use super::value::Value;
use crate::errors::RuntimeError;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::fmt;

/// How Rust values become Lua values ([`VmContext::to_lua_value_with`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct SerializeOptions {
    /// `None` becomes [`VmContext::null`] instead of nil (so that `Vec<Option<T>>` has no
    /// holes and map entries are kept). Default: off.
    pub serialize_none_to_null: bool,
    /// `()` and unit structs become [`VmContext::null`] instead of nil. Default: off.
    pub serialize_unit_to_null: bool,
    /// Sequences get the [array metatable](VmContext::array_metatable), so that empty ones
    /// convert back to sequences even into untyped targets. Default: off.
    pub set_array_metatable: bool,
}

impl Default for SerializeOptions {
    fn default() -> Self {
        SerializeOptions::new()
    }
}

impl SerializeOptions {
    /// The defaults: nil for `None` and `()`, no array metatable.
    ///
    /// ```
    /// use red_moon::interpreter::SerializeOptions;
    ///
    /// let options = SerializeOptions::new().serialize_none_to_null(true);
    /// assert!(options.serialize_none_to_null);
    /// ```
    pub const fn new() -> Self {
        SerializeOptions {
            serialize_none_to_null: false,
            serialize_unit_to_null: false,
            set_array_metatable: false,
        }
    }

    /// Sets [`SerializeOptions::serialize_none_to_null`].
    ///
    /// ```
    /// use red_moon::interpreter::{SerializeOptions, Vm};
    ///
    /// let mut vm = Vm::default();
    /// let ctx = &mut vm.context();
    /// let options = SerializeOptions::new().serialize_none_to_null(true);
    /// let value = ctx.to_lua_value_with(&None::<i32>, options).unwrap();
    /// assert!(ctx.is_null(&value));
    /// ```
    pub const fn serialize_none_to_null(mut self, on: bool) -> Self {
        self.serialize_none_to_null = on;
        self
    }

    /// Sets [`SerializeOptions::serialize_unit_to_null`].
    ///
    /// ```
    /// use red_moon::interpreter::{SerializeOptions, Vm};
    ///
    /// let mut vm = Vm::default();
    /// let ctx = &mut vm.context();
    /// let options = SerializeOptions::new().serialize_unit_to_null(true);
    /// let value = ctx.to_lua_value_with(&(), options).unwrap();
    /// assert!(ctx.is_null(&value));
    /// ```
    pub const fn serialize_unit_to_null(mut self, on: bool) -> Self {
        self.serialize_unit_to_null = on;
        self
    }

    /// Sets [`SerializeOptions::set_array_metatable`].
    ///
    /// ```
    /// use red_moon::interpreter::{SerializeOptions, Value, Vm};
    ///
    /// let mut vm = Vm::default();
    /// let ctx = &mut vm.context();
    /// let options = SerializeOptions::new().set_array_metatable(true);
    /// let Value::Table(t) = ctx.to_lua_value_with(&Vec::<i32>::new(), options).unwrap() else {
    ///     panic!()
    /// };
    /// assert_eq!(t.metatable(ctx).unwrap(), Some(ctx.array_metatable().unwrap()));
    /// ```
    pub const fn set_array_metatable(mut self, on: bool) -> Self {
        self.set_array_metatable = on;
        self
    }
}

/// How Lua values become Rust values ([`VmContext::from_lua_value_with`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct DeserializeOptions {
    /// Functions, coroutines and userdata (other than `null`) are errors; when off they
    /// read as unit (and are skipped in maps). Default: on.
    pub deny_unsupported_types: bool,
    /// A table containing itself is an error; when off, conversion fails only at the
    /// nesting limit. Default: on.
    pub deny_recursive_tables: bool,
}

impl Default for DeserializeOptions {
    fn default() -> Self {
        DeserializeOptions::new()
    }
}

impl DeserializeOptions {
    /// The defaults: unsupported types and recursive tables are errors.
    ///
    /// ```
    /// use red_moon::interpreter::DeserializeOptions;
    ///
    /// assert!(DeserializeOptions::new().deny_recursive_tables);
    /// ```
    pub const fn new() -> Self {
        DeserializeOptions {
            deny_unsupported_types: true,
            deny_recursive_tables: true,
        }
    }

    /// Sets [`DeserializeOptions::deny_unsupported_types`].
    ///
    /// ```
    /// use red_moon::interpreter::{DeserializeOptions, Value, Vm};
    /// use std::collections::BTreeMap;
    ///
    /// let mut vm = Vm::default();
    /// let ctx = &mut vm.context();
    /// let t: Value = ctx.exec(b"return {n = 1, f = print}", "=example").unwrap();
    /// assert!(ctx.from_lua_value::<BTreeMap<String, i64>>(t.clone()).is_err());
    /// let options = DeserializeOptions::new().deny_unsupported_types(false);
    /// let map: BTreeMap<String, i64> = ctx.from_lua_value_with(t, options).unwrap();
    /// assert_eq!(map.len(), 1);
    /// ```
    pub const fn deny_unsupported_types(mut self, on: bool) -> Self {
        self.deny_unsupported_types = on;
        self
    }

    /// Sets [`DeserializeOptions::deny_recursive_tables`].
    ///
    /// ```
    /// use red_moon::interpreter::{DeserializeOptions, Value, Vm};
    ///
    /// #[derive(serde::Deserialize)]
    /// struct Node { next: Option<Box<Node>> }
    ///
    /// let mut vm = Vm::default();
    /// let ctx = &mut vm.context();
    /// let t: Value = ctx.exec(b"local t = {} t.next = t return t", "=example").unwrap();
    /// let error = ctx.from_lua_value::<Node>(t.clone()).err().unwrap();
    /// assert!(error.to_string().contains("recursive table"));
    /// let options = DeserializeOptions::new().deny_recursive_tables(false);
    /// let error = ctx.from_lua_value_with::<Node>(t, options).err().unwrap();
    /// assert!(error.to_string().contains("nested too deeply"));
    /// ```
    pub const fn deny_recursive_tables(mut self, on: bool) -> Self {
        self.deny_recursive_tables = on;
        self
    }
}

/// The error type of the serde traits, carrying a [`RuntimeError`].
#[derive(Debug)]
struct Error(RuntimeError);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for Error {}

impl serde::ser::Error for Error {
    fn custom<T: fmt::Display>(message: T) -> Self {
        Error(RuntimeError::Serde(message.to_string()))
    }
}

impl serde::de::Error for Error {
    fn custom<T: fmt::Display>(message: T) -> Self {
        Error(RuntimeError::Serde(message.to_string()))
    }
}

impl From<RuntimeError> for Error {
    fn from(error: RuntimeError) -> Self {
        Error(error)
    }
}

impl VmContext<'_> {
    /// Converts any `Serialize` value into a Lua value, with the default options.
    ///
    /// ```
    /// use red_moon::interpreter::Vm;
    /// use serde::Serialize;
    ///
    /// #[derive(Serialize)]
    /// struct Item { name: String, count: u32, tags: Vec<String> }
    ///
    /// let mut vm = Vm::default();
    /// let ctx = &mut vm.context();
    /// let item = Item { name: "rope".into(), count: 2, tags: vec!["tool".into()] };
    /// let value = ctx.to_lua_value(&item).unwrap();
    /// ctx.default_environment().set("item", value, ctx).unwrap();
    /// let text: String = ctx
    ///     .exec(b"return item.name .. ' x' .. item.count .. ' ' .. item.tags[1]", "=example")
    ///     .unwrap();
    /// assert_eq!(text, "rope x2 tool");
    /// ```
    pub fn to_lua_value<T: Serialize + ?Sized>(
        &mut self,
        value: &T,
    ) -> Result<Value, RuntimeError> {
        self.to_lua_value_with(value, SerializeOptions::new())
    }

    /// Converts any `Serialize` value into a Lua value.
    ///
    /// ```
    /// use red_moon::interpreter::{SerializeOptions, Vm};
    ///
    /// let mut vm = Vm::default();
    /// let ctx = &mut vm.context();
    /// let options = SerializeOptions::new().serialize_none_to_null(true);
    /// let value = ctx.to_lua_value_with(&vec![Some(1), None, Some(3)], options).unwrap();
    /// ctx.default_environment().set("list", value, ctx).unwrap();
    /// assert_eq!(ctx.exec::<i64>(b"return #list", "=example").unwrap(), 3);
    /// ```
    pub fn to_lua_value_with<T: Serialize + ?Sized>(
        &mut self,
        value: &T,
        options: SerializeOptions,
    ) -> Result<Value, RuntimeError> {
        ser::to_value(self, value, options).map_err(|Error(e)| e)
    }

    /// Converts a Lua value into any `Deserialize` type, with the default options.
    ///
    /// ```
    /// use red_moon::interpreter::{Value, Vm};
    /// use serde::Deserialize;
    ///
    /// #[derive(Deserialize, Debug, PartialEq)]
    /// enum Shape { Circle { radius: f64 }, Square(f64), Point }
    ///
    /// let mut vm = Vm::default();
    /// let ctx = &mut vm.context();
    /// let value: Value = ctx
    ///     .exec(b"return {{Circle = {radius = 1}}, {Square = 2.5}, 'Point'}", "=example")
    ///     .unwrap();
    /// let shapes: Vec<Shape> = ctx.from_lua_value(value).unwrap();
    /// assert_eq!(shapes, vec![Shape::Circle { radius: 1.0 }, Shape::Square(2.5), Shape::Point]);
    /// ```
    pub fn from_lua_value<T: DeserializeOwned>(&mut self, value: Value) -> Result<T, RuntimeError> {
        self.from_lua_value_with(value, DeserializeOptions::new())
    }

    /// Converts a Lua value into any `Deserialize` type.
    ///
    /// ```
    /// use red_moon::interpreter::{DeserializeOptions, Value, Vm};
    ///
    /// let mut vm = Vm::default();
    /// let ctx = &mut vm.context();
    /// let value: Value = ctx.exec(b"return {1, 2, print}", "=example").unwrap();
    /// let options = DeserializeOptions::new().deny_unsupported_types(false);
    /// let list: Vec<Option<i64>> = ctx.from_lua_value_with(value, options).unwrap();
    /// assert_eq!(list, vec![Some(1), Some(2), None]);
    /// ```
    pub fn from_lua_value_with<T: DeserializeOwned>(
        &mut self,
        value: Value,
        options: DeserializeOptions,
    ) -> Result<T, RuntimeError> {
        de::from_value(self, value, options).map_err(|Error(e)| e)
    }
}

/// A value converted through serde with the default options, usable wherever a
/// [`IntoLua`] or [`FromLua`] is: host function arguments and results, table fields...
///
/// ```
/// use red_moon::interpreter::{Serde, Vm};
/// use serde::{Deserialize, Serialize};
///
/// #[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
/// struct Settings { volume: u8, muted: bool }
///
/// let mut vm = Vm::default();
/// let ctx = &mut vm.context();
/// let louder = ctx.create_function(|call_ctx, ctx| {
///     let Serde(mut settings): Serde<Settings> = call_ctx.arg(1, ctx)?;
///     settings.volume += 1;
///     call_ctx.return_values(Serde(settings), ctx)
/// });
/// let Serde(result): Serde<Settings> = louder
///     .call(Serde(Settings { volume: 3, muted: false }), ctx)
///     .unwrap();
/// assert_eq!(result, Settings { volume: 4, muted: false });
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Serde<T>(pub T);

impl<T: Serialize> IntoLua for Serde<T> {
    fn into_lua(self, ctx: &mut VmContext) -> Result<Value, RuntimeError> {
        ctx.to_lua_value(&self.0)
    }
}

impl<T: DeserializeOwned> FromLua for Serde<T> {
    fn from_lua(value: Value, ctx: &mut VmContext) -> Result<Self, RuntimeError> {
        ctx.from_lua_value(value).map(Serde)
    }
}
