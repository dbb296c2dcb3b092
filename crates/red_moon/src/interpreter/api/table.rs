//! `TableRef`: reading and writing Lua tables from the host.

use super::context::VmContext;
use super::convert::{FromLua, IntoLua};
use super::handles::TableRef;
use super::value::Value;
use crate::errors::RuntimeError;
use crate::interpreter::heap::TableId;
use crate::interpreter::value::Value as RawValue;

impl TableRef {
    fn table_id(&self, ctx: &VmContext) -> Result<TableId, RuntimeError> {
        match ctx.vm.resolve(&self.0)? {
            RawValue::Table(id) => Ok(id),
            _ => Err(RuntimeError::InvalidHandle),
        }
    }

    /// `t[key]` (with `__index`).
    ///
    /// ```
    /// use red_moon::interpreter::{TableRef, Vm};
    ///
    /// let mut vm = Vm::default();
    /// let ctx = &mut vm.context();
    /// let t: TableRef = ctx
    ///     .exec(b"return setmetatable({}, {__index = function(_, k) return k .. '!' end})", "=example")
    ///     .unwrap();
    /// assert_eq!(t.get::<_, String>("hi", ctx).unwrap(), "hi!");
    /// ```
    pub fn get<K: IntoLua, V: FromLua>(
        &self,
        key: K,
        ctx: &mut VmContext,
    ) -> Result<V, RuntimeError> {
        let table = RawValue::Table(self.table_id(ctx)?);
        ctx.index_value(table, key)
    }

    /// `t[key] = value` (with `__newindex`).
    ///
    /// ```
    /// use red_moon::interpreter::Vm;
    ///
    /// let mut vm = Vm::default();
    /// let ctx = &mut vm.context();
    /// let env = ctx.default_environment();
    /// env.set("answer", 42, ctx).unwrap();
    /// assert_eq!(ctx.exec::<i64>(b"return answer", "=example").unwrap(), 42);
    /// ```
    pub fn set<K: IntoLua, V: IntoLua>(
        &self,
        key: K,
        value: V,
        ctx: &mut VmContext,
    ) -> Result<(), RuntimeError> {
        let table = RawValue::Table(self.table_id(ctx)?);
        ctx.set_index_value(table, key, value)
    }

    /// `rawget(t, key)`.
    ///
    /// ```
    /// use red_moon::interpreter::{TableRef, Value, Vm};
    ///
    /// let mut vm = Vm::default();
    /// let ctx = &mut vm.context();
    /// let t: TableRef = ctx
    ///     .exec(b"return setmetatable({}, {__index = function() return 1 end})", "=example")
    ///     .unwrap();
    /// assert_eq!(t.raw_get::<_, Value>("x", ctx).unwrap(), Value::Nil);
    /// ```
    pub fn raw_get<K: IntoLua, V: FromLua>(
        &self,
        key: K,
        ctx: &mut VmContext,
    ) -> Result<V, RuntimeError> {
        let table = self.table_id(ctx)?;
        let (_key, raw_key) = ctx.raw(key)?;
        let value = ctx.vm.raw_get(table, raw_key);
        let value = ctx.vm.to_public(value);
        V::from_lua(value, ctx)
    }

    /// `rawset(t, key, value)`; a nil or NaN key is an error, as in Lua.
    ///
    /// ```
    /// use red_moon::interpreter::{Value, Vm};
    ///
    /// let mut vm = Vm::default();
    /// let ctx = &mut vm.context();
    /// let t = ctx.create_table().unwrap();
    /// t.raw_set(1, "one", ctx).unwrap();
    /// assert_eq!(t.raw_get::<_, String>(1, ctx).unwrap(), "one");
    /// assert!(t.raw_set(Value::Nil, 1, ctx).is_err());
    /// ```
    pub fn raw_set<K: IntoLua, V: IntoLua>(
        &self,
        key: K,
        value: V,
        ctx: &mut VmContext,
    ) -> Result<(), RuntimeError> {
        let table = self.table_id(ctx)?;
        let (_key, raw_key) = ctx.raw(key)?;
        let (_value, raw_value) = ctx.raw(value)?;
        ctx.vm
            .raw_set(table, raw_key, raw_value)
            .map_err(|e| ctx.vm.runtime_error_from(e))?;
        ctx.vm.write_barrier_table(table, raw_key, raw_value);
        Ok(())
    }

    /// `#t` without metamethods (the border of the sequence).
    ///
    /// ```
    /// use red_moon::interpreter::{TableRef, Vm};
    ///
    /// let mut vm = Vm::default();
    /// let ctx = &mut vm.context();
    /// let t: TableRef = ctx.exec(b"return {10, 20, 30}", "=example").unwrap();
    /// assert_eq!(t.raw_len(ctx).unwrap(), 3);
    /// ```
    pub fn raw_len(&self, ctx: &mut VmContext) -> Result<u64, RuntimeError> {
        let table = self.table_id(ctx)?;
        match ctx.vm.table(table) {
            Ok(t) => Ok(t.border()),
            Err(e) => Err(ctx.vm.runtime_error_from(e)),
        }
    }

    /// `#t` (with `__len`, whose result may be any value).
    ///
    /// ```
    /// use red_moon::interpreter::{TableRef, Value, Vm};
    ///
    /// let mut vm = Vm::default();
    /// let ctx = &mut vm.context();
    /// let t: TableRef = ctx
    ///     .exec(b"return setmetatable({}, {__len = function() return 7 end})", "=example")
    ///     .unwrap();
    /// assert_eq!(t.len(ctx).unwrap(), Value::Integer(7));
    /// ```
    pub fn len(&self, ctx: &mut VmContext) -> Result<Value, RuntimeError> {
        let table = RawValue::Table(self.table_id(ctx)?);
        let value = ctx
            .vm
            .length_nested(table)
            .map_err(|e| ctx.vm.runtime_error_from(e))?;
        Ok(ctx.vm.to_public(value))
    }

    /// `next(t, key)`: the entry after `key` in traversal order (`None` at the end). The
    /// order is deterministic: the same in every clone and deserialized copy.
    ///
    /// ```
    /// use red_moon::interpreter::{TableRef, Value, Vm};
    ///
    /// let mut vm = Vm::default();
    /// let ctx = &mut vm.context();
    /// let t: TableRef = ctx.exec(b"return {'a'}", "=example").unwrap();
    /// let (key, value) = t.next(Value::Nil, ctx).unwrap().unwrap();
    /// assert_eq!(key, Value::Integer(1));
    /// assert!(t.next(key, ctx).unwrap().is_none());
    /// ```
    pub fn next(
        &self,
        key: Value,
        ctx: &mut VmContext,
    ) -> Result<Option<(Value, Value)>, RuntimeError> {
        let table = self.table_id(ctx)?;
        let key = ctx.vm.from_public(&key)?;
        let entry = match ctx.vm.table(table) {
            Ok(t) => t.next(key),
            Err(e) => return Err(ctx.vm.runtime_error_from(e)),
        };
        match entry {
            Ok(Some((k, v))) => Ok(Some((ctx.vm.to_public(k), ctx.vm.to_public(v)))),
            Ok(None) => Ok(None),
            Err(()) => Err(RuntimeError::message("invalid key to 'next'")),
        }
    }

    /// All entries in traversal order (raw).
    ///
    /// ```
    /// use red_moon::interpreter::{TableRef, Vm};
    ///
    /// let mut vm = Vm::default();
    /// let ctx = &mut vm.context();
    /// let t: TableRef = ctx.exec(b"return {x = 1}", "=example").unwrap();
    /// assert_eq!(t.pairs(ctx).unwrap().len(), 1);
    /// ```
    pub fn pairs(&self, ctx: &mut VmContext) -> Result<Vec<(Value, Value)>, RuntimeError> {
        let mut out = Vec::new();
        let mut key = Value::Nil;
        while let Some((k, v)) = self.next(key, ctx)? {
            key = k.clone();
            out.push((k, v));
        }
        Ok(out)
    }

    /// The metatable (raw, ignoring `__metatable`).
    ///
    /// ```
    /// use red_moon::interpreter::{TableRef, Vm};
    ///
    /// let mut vm = Vm::default();
    /// let ctx = &mut vm.context();
    /// let t: TableRef = ctx.exec(b"return setmetatable({}, {kind = 'meta'})", "=example").unwrap();
    /// let mt = t.metatable(ctx).unwrap().unwrap();
    /// assert_eq!(mt.get::<_, String>("kind", ctx).unwrap(), "meta");
    /// ```
    pub fn metatable(&self, ctx: &mut VmContext) -> Result<Option<TableRef>, RuntimeError> {
        let table = self.table_id(ctx)?;
        let metatable = match ctx.vm.table(table) {
            Ok(t) => t.metatable,
            Err(e) => return Err(ctx.vm.runtime_error_from(e)),
        };
        Ok(ctx.vm.metatable_handle(metatable))
    }

    /// Sets or removes the metatable.
    ///
    /// ```
    /// use red_moon::interpreter::Vm;
    ///
    /// let mut vm = Vm::default();
    /// let ctx = &mut vm.context();
    /// let t = ctx.create_table().unwrap();
    /// let mt: red_moon::interpreter::TableRef = ctx
    ///     .exec(b"return {__index = function() return 'default' end}", "=example")
    ///     .unwrap();
    /// t.set_metatable(Some(&mt), ctx).unwrap();
    /// assert_eq!(t.get::<_, String>("anything", ctx).unwrap(), "default");
    /// ```
    pub fn set_metatable(
        &self,
        metatable: Option<&TableRef>,
        ctx: &mut VmContext,
    ) -> Result<(), RuntimeError> {
        let table = self.table_id(ctx)?;
        let metatable = match metatable {
            Some(mt) => Some(mt.table_id(ctx)?),
            None => None,
        };
        ctx.vm
            .set_table_metatable(table, metatable)
            .map_err(|e| ctx.vm.runtime_error_from(e))
    }
}
