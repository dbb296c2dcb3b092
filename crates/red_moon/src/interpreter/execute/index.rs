//! Indexing (`t[k]`, `t[k] = v`) with `__index` / `__newindex` chains, and `#`.

use super::call::Step;
use crate::interpreter::heap::{Heap, StringId, TableId};
use crate::interpreter::metamethod::Event;
use crate::interpreter::table::CachedEvent;
use crate::interpreter::thread::ReturnTo;
use crate::interpreter::value::Value;
use crate::interpreter::{LuaResult, Vm};

/// The handler named `name` (the event `cached`) in `metatable`; see `Vm::cached_metamethod`.
#[inline]
fn cached_handler(
    heap: &mut Heap,
    name: StringId,
    metatable: TableId,
    cached: CachedEvent,
) -> Value {
    let Some(mt) = heap.tables.get(metatable.0) else {
        return Value::Nil;
    };
    if mt.event_known_absent(cached) {
        return Value::Nil;
    }
    let handler = mt.get_str(Value::String(name));
    // Only a miss writes (the cache): a read never un-shares a copy-on-write table.
    if handler.is_nil() {
        if let Some(mt) = heap.tables.get_mut(metatable.0) {
            mt.mark_event_absent(cached);
        }
    }
    handler
}

/// `table[key]` when every `__index` met on the way is a table: the walk of
/// `Vm::index_chain` restricted to tables, on the heap alone (the interpreter's fast path
/// uses it while it holds the registers). `index` is the interned `"__index"`. `None` when
/// the walk meets a function or non-table handler, a missing table, or `limit` steps: the
/// full path then walks again (this walk only fills absence caches, which changes no
/// result).
#[inline(never)]
pub(crate) fn index_tables_only(
    heap: &mut Heap,
    index: StringId,
    table: TableId,
    key: Value,
    limit: usize,
) -> Option<Value> {
    let mut current = table;
    for _ in 0..limit {
        let t = heap.tables.get(current.0)?;
        let value = t.get_fast(key);
        if !value.is_nil() {
            return Some(value);
        }
        let Some(metatable) = t.metatable else {
            return Some(Value::Nil);
        };
        match cached_handler(heap, index, metatable, CachedEvent::Index) {
            Value::Nil => return Some(Value::Nil),
            Value::Table(next) => current = next,
            _ => return None,
        }
    }
    None
}

/// What one step of an index chain found.
enum Found {
    Value(Value),
    /// Call this handler with (object, key [, value]).
    Call(Value),
}

impl Vm {
    /// A metamethod of a metatable for a cached event, using and filling the metatable's
    /// absence cache (so tables without `__index` pay one bit test, not a lookup).
    #[inline]
    pub(crate) fn cached_metamethod(
        &mut self,
        metatable: TableId,
        event: Event,
        cached: CachedEvent,
    ) -> Value {
        cached_handler(&mut self.heap, self.events.get(event), metatable, cached)
    }

    fn table_metatable(&self, table: TableId) -> Option<TableId> {
        self.heap.tables.get(table.0).and_then(|t| t.metatable)
    }

    /// Follows `__index` from `object` until a value or a function handler is found.
    fn index_chain(&mut self, object: Value, key: Value) -> LuaResult<(Value, Found)> {
        let mut current = object;
        for _ in 0..self.limits.metamethod_chain {
            let handler = match current {
                Value::Table(id) => {
                    let value = self.table(id)?.get(key);
                    if !value.is_nil() {
                        return Ok((current, Found::Value(value)));
                    }
                    match self.table_metatable(id) {
                        Some(mt) => self.cached_metamethod(mt, Event::Index, CachedEvent::Index),
                        None => Value::Nil,
                    }
                }
                _ => {
                    let handler = self.metamethod(current, Event::Index);
                    if handler.is_nil() {
                        return Err(self.index_error(current, object));
                    }
                    handler
                }
            };
            if handler.is_nil() {
                return Ok((current, Found::Value(Value::Nil)));
            }
            if handler.is_function() {
                return Ok((current, Found::Call(handler)));
            }
            current = handler;
        }
        Err(self.runtime_error("'__index' chain too long; possible loop"))
    }

    /// `object[key]` for an instruction whose fast path failed.
    pub(crate) fn index_slow(
        &mut self,
        object: Value,
        key: Value,
        return_to: ReturnTo,
        frame_top: usize,
    ) -> LuaResult<Step> {
        match self.index_chain(object, key)? {
            (_, Found::Value(value)) => {
                self.store_result(return_to, value)?;
                Ok(Step::Same)
            }
            (holder, Found::Call(handler)) => {
                self.call_metamethod(handler, &[holder, key], return_to, frame_top)
            }
        }
    }

    /// `object[key]` from Rust code (natives): handlers run as nested calls.
    pub(crate) fn index_nested(&mut self, object: Value, key: Value) -> LuaResult<Value> {
        if let Value::Table(id) = object {
            let value = self.table(id)?.get(key);
            if !value.is_nil() || self.table_metatable(id).is_none() {
                return Ok(value);
            }
        }
        match self.index_chain(object, key)? {
            (_, Found::Value(value)) => Ok(value),
            (holder, Found::Call(handler)) => self.call_value1(handler, &[holder, key]),
        }
    }

    /// Follows `__newindex` from `object`; performs the raw store when the chain ends at a
    /// table, or returns the handler to call.
    fn new_index_chain(
        &mut self,
        object: Value,
        key: Value,
        value: Value,
    ) -> LuaResult<Option<(Value, Value)>> {
        let mut current = object;
        for _ in 0..self.limits.metamethod_chain {
            let handler = match current {
                Value::Table(id) => {
                    let table = self.table(id)?;
                    let existing = table.get(key);
                    let handler = if existing.is_nil() {
                        match table.metatable {
                            Some(mt) => {
                                self.cached_metamethod(mt, Event::NewIndex, CachedEvent::NewIndex)
                            }
                            None => Value::Nil,
                        }
                    } else {
                        Value::Nil
                    };
                    if handler.is_nil() {
                        self.raw_set(id, key, value)?;
                        self.write_barrier_table(id, key, value);
                        return Ok(None);
                    }
                    handler
                }
                _ => {
                    let handler = self.metamethod(current, Event::NewIndex);
                    if handler.is_nil() {
                        return Err(self.index_error(current, object));
                    }
                    handler
                }
            };
            if handler.is_function() {
                return Ok(Some((handler, current)));
            }
            current = handler;
        }
        Err(self.runtime_error("'__newindex' chain too long; possible loop"))
    }

    /// `object[key] = value` for an instruction.
    pub(crate) fn set_index(
        &mut self,
        object: Value,
        key: Value,
        value: Value,
        frame_top: usize,
    ) -> LuaResult<Step> {
        match self.new_index_chain(object, key, value)? {
            None => Ok(Step::Same),
            Some((handler, holder)) => {
                self.call_metamethod(handler, &[holder, key, value], ReturnTo::Discard, frame_top)
            }
        }
    }

    /// `object[key] = value` from Rust code.
    pub(crate) fn set_index_nested(
        &mut self,
        object: Value,
        key: Value,
        value: Value,
    ) -> LuaResult<()> {
        if let Some((handler, holder)) = self.new_index_chain(object, key, value)? {
            self.call_value(handler, &[holder, key, value])?;
        }
        Ok(())
    }

    /// `#value` for an instruction.
    pub(crate) fn length(
        &mut self,
        value: Value,
        return_to: ReturnTo,
        frame_top: usize,
    ) -> LuaResult<Step> {
        match self.length_or_handler(value)? {
            Ok(length) => {
                self.store_result(return_to, length)?;
                Ok(Step::Same)
            }
            Err(handler) => self.call_metamethod(handler, &[value, value], return_to, frame_top),
        }
    }

    /// `#value` from Rust code.
    pub(crate) fn length_nested(&mut self, value: Value) -> LuaResult<Value> {
        match self.length_or_handler(value)? {
            Ok(length) => Ok(length),
            Err(handler) => self.call_value1(handler, &[value, value]),
        }
    }

    /// The primitive length, or the `__len` handler to call.
    fn length_or_handler(&mut self, value: Value) -> LuaResult<Result<Value, Value>> {
        match value {
            Value::String(s) => Ok(Ok(Value::Integer(self.string_bytes(s).len() as i64))),
            Value::Table(id) => {
                let handler = match self.table_metatable(id) {
                    Some(mt) => self.cached_metamethod(mt, Event::Len, CachedEvent::Len),
                    None => Value::Nil,
                };
                if handler.is_nil() {
                    Ok(Ok(Value::Integer(self.table(id)?.border() as i64)))
                } else {
                    Ok(Err(handler))
                }
            }
            _ => {
                let handler = self.metamethod(value, Event::Len);
                if handler.is_nil() {
                    Err(self.operand_error(value, 0, "get length of"))
                } else {
                    Ok(Err(handler))
                }
            }
        }
    }

    /// `SetList`: stores `count` values from `stack[first..]` at `offset + 1 ..`.
    pub(crate) fn set_list(
        &mut self,
        table: Value,
        first: usize,
        count: usize,
        offset: i64,
    ) -> LuaResult<()> {
        let Value::Table(id) = table else {
            // Compiled code never does this; verified binary chunks can, so it must be an
            // ordinary (catchable) error.
            let type_name = self.type_name_with_meta(table);
            return Err(self.runtime_error(format!("attempt to index a {type_name} value")));
        };
        if self.is_read_only(id) {
            return Err(self.read_only_error());
        }
        let values: &[Value] = &self.thread.stack[first..first + count];
        let t = self
            .heap
            .tables
            .get_mut(id.0)
            .ok_or_else(crate::interpreter::vm::corrupt_heap)?;
        let before = t.memory_size();
        t.reserve_array(count);
        for (i, &v) in values.iter().enumerate() {
            t.set_int(offset + i as i64 + 1, v);
        }
        let after = t.memory_size();
        let grown = self.account_table_growth(before, after);
        for i in 0..count {
            let v = self.thread.stack[first + i];
            self.write_barrier_table(id, Value::Nil, v);
        }
        grown
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interpreter::table::Table;

    /// A heap with `"__index"`, a key, and tables `object -> class -> base` linked by
    /// `__index` tables; `base` holds `key = 42`.
    fn chain() -> (Heap, StringId, Value, [TableId; 3]) {
        let mut heap = Heap::new(0);
        let index = heap.intern(b"__index").unwrap();
        let key = Value::String(heap.intern(b"method").unwrap());
        let base = heap.allocate_table(Table::new(0, 1)).unwrap();
        let class = heap.allocate_table(Table::new(0, 1)).unwrap();
        let class_meta = heap.allocate_table(Table::new(0, 1)).unwrap();
        let object = heap.allocate_table(Table::new(0, 0)).unwrap();
        let set = |heap: &mut Heap, t: TableId, k: Value, v: Value| {
            heap.tables.get_mut(t.0).unwrap().set(k, v).unwrap();
        };
        set(&mut heap, base, key, Value::Integer(42));
        set(&mut heap, class, Value::String(index), Value::Table(class));
        set(
            &mut heap,
            class_meta,
            Value::String(index),
            Value::Table(base),
        );
        heap.tables.get_mut(class.0).unwrap().metatable = Some(class_meta);
        heap.tables.get_mut(object.0).unwrap().metatable = Some(class);
        (heap, index, key, [object, class, base])
    }

    #[test]
    fn follows_index_tables() {
        let (mut heap, index, key, [object, ..]) = chain();
        let found = index_tables_only(&mut heap, index, object, key, 2000);
        assert!(matches!(found, Some(Value::Integer(42))));
        let missing = Value::String(heap.intern(b"other").unwrap());
        assert!(matches!(
            index_tables_only(&mut heap, index, object, missing, 2000),
            Some(Value::Nil)
        ));
    }

    #[test]
    fn gives_up_on_functions_and_long_chains() {
        let (mut heap, index, key, [object, class, _]) = chain();
        // Each table of the chain is one step: three are needed here.
        assert!(index_tables_only(&mut heap, index, object, key, 2).is_none());
        // A function handler must be called: the full path takes over.
        let meta = heap.tables.get(class.0).unwrap().metatable.unwrap();
        let handler = Value::Closure(crate::interpreter::heap::ClosureId(0));
        heap.tables
            .get_mut(meta.0)
            .unwrap()
            .set(Value::String(index), handler)
            .unwrap();
        assert!(index_tables_only(&mut heap, index, object, key, 2000).is_none());
    }
}
