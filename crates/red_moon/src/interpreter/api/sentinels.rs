//! Two values the serde conversions use to keep what Lua cannot express by itself: `null`
//! (a value that is not nil, for `None` and `()` in sequences and maps) and the array
//! metatable (marks tables that are sequences, so that empty ones stay arrays). Both live
//! in the registry, so they are cloned and serialized with the VM and stay recognizable.

use super::context::VmContext;
use super::handles::TableRef;
use super::value::Value;
use crate::errors::RuntimeError;
use crate::interpreter::value::Value as RawValue;
use std::any::Any;

/// The host value of the `null` userdata.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Null;

const NULL_KEY: &str = "red_moon.null";
const ARRAY_METATABLE_KEY: &str = "red_moon.array_metatable";

/// The serialization tag of the library's own userdata values.
#[cfg_attr(not(feature = "serde"), allow(dead_code))]
pub(crate) fn builtin_userdata_tag(value: &dyn Any) -> Option<&'static str> {
    value.is::<Null>().then_some(NULL_KEY)
}

impl VmContext<'_> {
    /// The `null` value: a userdata that stands for "no value" where nil cannot (inside
    /// sequences, or as a map value). Always the same value in a VM and its copies;
    /// `tostring(null)` starts with `null:`.
    ///
    /// ```
    /// use red_moon::interpreter::Vm;
    ///
    /// let mut vm = Vm::default();
    /// let ctx = &mut vm.context();
    /// let null = ctx.null().unwrap();
    /// assert_eq!(null, ctx.null().unwrap());
    /// ctx.default_environment().set("null", null, ctx).unwrap();
    /// let text: String = ctx.exec(b"return tostring(null)", "=example").unwrap();
    /// assert!(text.starts_with("null: "));
    /// ```
    pub fn null(&mut self) -> Result<Value, RuntimeError> {
        let registry = self.vm.registry;
        let existing = self
            .vm
            .raw_get_str(registry, NULL_KEY)
            .map_err(|e| self.vm.runtime_error_from(e))?;
        if let RawValue::UserData(_) = existing {
            return Ok(self.vm.to_public(existing));
        }
        let metatable = self.create_table()?;
        metatable.raw_set("__name", "null", self)?;
        let metatable = match self.vm.resolve(&metatable.0)? {
            RawValue::Table(id) => id,
            _ => return Err(RuntimeError::InvalidHandle),
        };
        let null = self
            .vm
            .new_userdata(Box::new(Null), Some(metatable), 1)
            .and_then(|null| self.vm.raw_set_str(registry, NULL_KEY, null).map(|_| null))
            .map_err(|e| self.vm.runtime_error_from(e))?;
        Ok(self.vm.to_public(null))
    }

    /// Whether `value` is [`VmContext::null`].
    ///
    /// ```
    /// use red_moon::interpreter::{Value, Vm};
    ///
    /// let mut vm = Vm::default();
    /// let ctx = &mut vm.context();
    /// let null = ctx.null().unwrap();
    /// assert!(ctx.is_null(&null));
    /// assert!(!ctx.is_null(&Value::Nil));
    /// ```
    pub fn is_null(&mut self, value: &Value) -> bool {
        let Value::UserData(_) = value else {
            return false;
        };
        let registry = self.vm.registry;
        match (
            self.vm.raw_get_str(registry, NULL_KEY),
            self.vm.from_public(value),
        ) {
            (Ok(null @ RawValue::UserData(_)), Ok(raw)) => null.raw_equals(raw),
            _ => false,
        }
    }

    /// The array metatable if it was created already.
    #[cfg_attr(not(feature = "serde"), allow(dead_code))]
    pub(crate) fn existing_array_metatable(&mut self) -> Option<TableRef> {
        let registry = self.vm.registry;
        let existing = self.vm.raw_get_str(registry, ARRAY_METATABLE_KEY).ok()?;
        match existing {
            RawValue::Table(_) => match self.vm.to_public(existing) {
                Value::Table(table) => Some(table),
                _ => None,
            },
            _ => None,
        }
    }

    /// The metatable that marks a table as a sequence for the serde conversions (an empty
    /// table with it converts to an empty sequence, not an empty map). Always the same
    /// table in a VM and its copies.
    ///
    /// ```
    /// use red_moon::interpreter::Vm;
    ///
    /// let mut vm = Vm::default();
    /// let ctx = &mut vm.context();
    /// let array_mt = ctx.array_metatable().unwrap();
    /// assert_eq!(array_mt, ctx.array_metatable().unwrap());
    /// ```
    pub fn array_metatable(&mut self) -> Result<TableRef, RuntimeError> {
        let registry = self.vm.registry;
        let existing = self
            .vm
            .raw_get_str(registry, ARRAY_METATABLE_KEY)
            .map_err(|e| self.vm.runtime_error_from(e))?;
        if let Value::Table(table) = self.vm.to_public(existing) {
            return Ok(table);
        }
        let table = self.create_table()?;
        let raw = self.vm.from_public(&Value::Table(table.clone()))?;
        self.vm
            .raw_set_str(registry, ARRAY_METATABLE_KEY, raw)
            .map_err(|e| self.vm.runtime_error_from(e))?;
        Ok(table)
    }
}
