//! The VM heap: one arena per object type, plus the string interner and the logical byte
//! count that paces the collector.
//!
//! Invariant: every id stored in a live object, a register or a root refers to a live slot of
//! the matching arena. The collector maintains it (it frees only unreachable objects); the
//! deserializer validates it. Accessors still return `Option` so that a violated invariant
//! becomes an error, never a panic.

mod arena;
mod strings;

pub use arena::{Arena, Color, Storage};
pub use strings::{hash_bytes, LuaString};

use super::function::{LuaClosure, NativeFunction, Upvalue};
use super::table::Table;
use super::thread::Thread;
use super::userdata::UserData;
use super::value::Value;
use std::rc::Rc;
use strings::{Interner, Lookup};

// Copy-on-write for objects whose clone would allocate; inline for those whose clone is a
// few reference-count bumps (see `arena`). Natives and userdata stay inline although their
// clone may allocate: they hold host Rust values, which may use interior mutability (a
// `Cell` counter in a closure, say), and the embedding API promises that such state is
// per VM, so every clone must deep-clone them.
arena::shared_storage!(Table, Thread);
arena::inline_storage!(LuaString, LuaClosure, Upvalue, NativeFunction, UserData);

macro_rules! define_ids {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[derive(serde::Serialize, serde::Deserialize)]
        pub struct $name(pub u32);
    )*};
}

define_ids!(
    /// Index of a string in `Heap::strings`.
    StringId,
    /// Index of a table in `Heap::tables`.
    TableId,
    /// Index of a Lua closure in `Heap::closures`.
    ClosureId,
    /// Index of a native function in `Heap::natives`.
    NativeId,
    /// Index of an upvalue cell in `Heap::upvalues`.
    UpvalueId,
    /// Index of a userdata in `Heap::userdata`.
    UserDataId,
    /// Index of a coroutine (or the main thread) in `Heap::threads`.
    ThreadId,
);

/// Approximate per-object overhead, in logical bytes, charged to the collector's count.
pub const OBJECT_OVERHEAD: usize = 32;

#[derive(Debug)]
pub struct Heap {
    pub strings: Arena<LuaString>,
    interner: Interner,
    string_seed: u64,
    pub tables: Arena<Table>,
    pub closures: Arena<LuaClosure>,
    pub natives: Arena<NativeFunction>,
    pub upvalues: Arena<Upvalue>,
    pub userdata: Arena<UserData>,
    pub threads: Arena<Thread>,
    /// Logical bytes currently allocated (deterministic: computed from object sizes, never
    /// from the real allocator).
    pub allocated: usize,
    /// Colour given to new objects: the collector's current white (see `gc`).
    pub new_color: Color,
}

crate::interpreter::clone_by_field!(Heap {
    strings,
    interner,
    string_seed,
    tables,
    closures,
    natives,
    upvalues,
    userdata,
    threads,
    allocated,
    new_color,
});

impl Heap {
    pub fn new(string_seed: u64) -> Self {
        Heap {
            strings: Arena::default(),
            interner: Interner::default(),
            string_seed,
            tables: Arena::default(),
            closures: Arena::default(),
            natives: Arena::default(),
            upvalues: Arena::default(),
            userdata: Arena::default(),
            threads: Arena::default(),
            allocated: 0,
            new_color: Color::WhiteA,
        }
    }

    /// The seed of the string hash (part of the VM's state).
    pub fn string_seed(&self) -> u64 {
        self.string_seed
    }

    /// Rebuilds the intern index from the strings arena (after deserialization). Fails if
    /// two strings have the same contents.
    pub fn rebuild_interner(&mut self) -> Option<()> {
        self.interner = Interner::default();
        let strings = &self.strings;
        for (id, string) in strings.iter() {
            match self
                .interner
                .lookup(string.bytes(), string.hash(), |i| strings.get(i))
            {
                Lookup::Found(_) => return None,
                Lookup::Vacant(slot) => self.interner.insert_at(slot, id, string.hash()),
            }
        }
        Some(())
    }

    /// Interns `bytes`, returning the existing id when the string already exists.
    pub fn intern(&mut self, bytes: &[u8]) -> Option<StringId> {
        let hash = hash_bytes(bytes, self.string_seed);
        let strings = &self.strings;
        match self.interner.lookup(bytes, hash, |id| strings.get(id)) {
            Lookup::Found(id) => {
                // A string found while the collector sweeps may be dead (the other white) but
                // not yet freed: resurrect it by giving it the current white.
                if self.strings.color(id) == self.new_color.flipped() {
                    self.strings.set_color(id, self.new_color);
                }
                Some(StringId(id))
            }
            Lookup::Vacant(slot) => {
                let string = LuaString::new(Rc::from(bytes), hash);
                let id = self.strings.allocate(string, self.new_color)?;
                self.interner.insert_at(slot, id, hash);
                self.allocated += OBJECT_OVERHEAD + bytes.len();
                Some(StringId(id))
            }
        }
    }

    /// The id of an already interned string, if any.
    pub fn find_interned(&self, bytes: &[u8]) -> Option<StringId> {
        let hash = hash_bytes(bytes, self.string_seed);
        let strings = &self.strings;
        self.interner
            .find(bytes, hash, |id| strings.get(id))
            .map(StringId)
    }

    #[inline]
    pub fn string(&self, id: StringId) -> Option<&[u8]> {
        self.strings.get(id.0).map(LuaString::bytes)
    }

    /// Frees a string (collector only).
    pub fn free_string(&mut self, id: StringId) {
        if let Some(s) = self.strings.free(id.0) {
            self.interner.remove(id.0, s.hash());
            self.allocated = self
                .allocated
                .saturating_sub(OBJECT_OVERHEAD + s.bytes().len());
        }
    }

    /// The interpreter's fast path for `t[key] = value`: stores when no metamethod can be
    /// involved (see `Table::store_existing` and `Table::stores_raw`), counting any growth
    /// of the table. A growth that takes the heap past `memory_limit` is still made (as in
    /// `Vm::account_table_growth`) but reported, so the caller raises "not enough memory".
    /// `None`: no such table. The caller checks read-only tables first.
    #[inline(always)]
    pub fn store_plain(
        &mut self,
        id: TableId,
        key: Value,
        value: Value,
        memory_limit: usize,
    ) -> Option<PlainStore> {
        let table = self.tables.get_mut(id.0)?;
        if table.store_existing(key, value) {
            return Some(PlainStore::Stored);
        }
        self.store_new_key(id, key, value, memory_limit)
    }

    /// `store_plain` for a key without a slot yet (the table may grow).
    #[inline(never)]
    fn store_new_key(
        &mut self,
        id: TableId,
        key: Value,
        value: Value,
        memory_limit: usize,
    ) -> Option<PlainStore> {
        let table = self.tables.get_mut(id.0)?;
        if !table.stores_raw(key) {
            return Some(PlainStore::Declined);
        }
        let before = table.memory_size();
        // Cannot fail: `stores_raw` excluded the invalid keys.
        if table.set(key, value).is_err() {
            return Some(PlainStore::Declined);
        }
        let after = table.memory_size();
        self.allocated = (self.allocated + after).saturating_sub(before);
        if after > before && self.allocated > memory_limit {
            return Some(PlainStore::OverLimit);
        }
        Some(PlainStore::Stored)
    }

    pub fn allocate_table(&mut self, table: Table) -> Option<TableId> {
        self.allocated += table.memory_size();
        self.tables.allocate(table, self.new_color).map(TableId)
    }

    pub fn allocate_closure(&mut self, closure: LuaClosure) -> Option<ClosureId> {
        self.allocated += closure.memory_size();
        self.closures
            .allocate(closure, self.new_color)
            .map(ClosureId)
    }

    pub fn allocate_native(&mut self, native: NativeFunction) -> Option<NativeId> {
        self.allocated += OBJECT_OVERHEAD + native.upvalues.len() * 16;
        self.natives.allocate(native, self.new_color).map(NativeId)
    }

    /// Takes back a native that was the last allocation of its arena (see
    /// `Arena::undo_allocation`), restoring the memory count too.
    pub fn undo_native_allocation(&mut self, id: NativeId) -> bool {
        let size = match self.natives.get(id.0) {
            Some(native) => OBJECT_OVERHEAD + native.upvalues.len() * 16,
            None => return false,
        };
        if !self.natives.undo_allocation(id.0) {
            return false;
        }
        self.allocated = self.allocated.saturating_sub(size);
        true
    }

    pub fn allocate_upvalue(&mut self, upvalue: Upvalue) -> Option<UpvalueId> {
        self.allocated += OBJECT_OVERHEAD;
        self.upvalues
            .allocate(upvalue, self.new_color)
            .map(UpvalueId)
    }

    pub fn allocate_userdata(&mut self, userdata: UserData) -> Option<UserDataId> {
        self.allocated += OBJECT_OVERHEAD + userdata.declared_size();
        self.userdata
            .allocate(userdata, self.new_color)
            .map(UserDataId)
    }

    pub fn allocate_thread(&mut self, thread: Thread) -> Option<ThreadId> {
        self.allocated += OBJECT_OVERHEAD + 256;
        self.threads.allocate(thread, self.new_color).map(ThreadId)
    }
}

/// What `Heap::store_plain` did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlainStore {
    /// The value is stored.
    Stored,
    /// Nothing changed: the general path (metamethods, key errors) must run.
    Declined,
    /// Stored, but the table's growth took the heap past the memory limit.
    OverLimit,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_plain_counts_growth_and_defers_metamethods() {
        let mut heap = Heap::new(0);
        let id = heap.allocate_table(Table::new(0, 0)).unwrap();
        let before = heap.allocated;
        for i in 1..=100 {
            assert_eq!(
                heap.store_plain(id, Value::Integer(i), Value::Boolean(true), usize::MAX),
                Some(PlainStore::Stored)
            );
        }
        let size = heap.tables.get(id.0).unwrap().memory_size();
        assert_eq!(
            heap.allocated - before,
            size - Table::new(0, 0).memory_size()
        );
        // Invalid keys and possible `__newindex` go to the general path.
        assert_eq!(
            heap.store_plain(id, Value::Nil, Value::Integer(1), usize::MAX),
            Some(PlainStore::Declined)
        );
        heap.tables.get_mut(id.0).unwrap().metatable = Some(id);
        assert_eq!(
            heap.store_plain(id, Value::Integer(500), Value::Integer(1), usize::MAX),
            Some(PlainStore::Declined)
        );
        assert_eq!(
            heap.store_plain(id, Value::Integer(5), Value::Integer(1), usize::MAX),
            Some(PlainStore::Stored)
        );
        assert_eq!(
            heap.store_plain(TableId(99), Value::Integer(1), Value::Nil, usize::MAX),
            None
        );
    }

    #[test]
    fn store_plain_reports_growth_past_the_limit() {
        let mut heap = Heap::new(0);
        let id = heap.allocate_table(Table::new(0, 0)).unwrap();
        let limit = heap.allocated;
        // Growing past the limit stores but says so.
        assert_eq!(
            heap.store_plain(id, Value::Integer(1), Value::Integer(1), limit),
            Some(PlainStore::OverLimit)
        );
        assert!(matches!(
            heap.tables.get(id.0).unwrap().get(Value::Integer(1)),
            Value::Integer(1)
        ));
        // Overwriting needs no memory: fine even while over the limit.
        assert_eq!(
            heap.store_plain(id, Value::Integer(1), Value::Integer(2), limit),
            Some(PlainStore::Stored)
        );
    }
}
