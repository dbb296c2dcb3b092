//! Lua tables: an array part for keys `1..=n` and an insertion-ordered hash part.
//!
//! Determinism: `next` walks the array part, then the hash entries in the order they were
//! first inserted. Nothing depends on addresses or a process-random hasher, so a clone or a
//! deserialized copy (which stores the entries exactly as laid out) iterates identically.
//!
//! Removing a key only sets its value to nil: the entry stays (a "dead key") so that a
//! traversal that clears fields keeps working, as in PUC Lua. Dead entries are dropped when
//! the hash part is rebuilt, which only happens when a *new* key is inserted into a full
//! hash part (inserting new keys during traversal is undefined behaviour in Lua too).
//!
//! Hash flooding: integer keys hash through a fixed, invertible mix and heap objects hash
//! by id, so a script can compute keys whose hashes collide. A secret seed cannot help (it
//! would travel in every snapshot), so the index bounds the work instead: a probe looks at
//! most `MAX_PROBE` slots, and a key that finds no free slot that close to home goes into
//! an ordered overflow map. Every lookup and insertion therefore costs at most
//! `MAX_PROBE` slots plus a logarithmic search, however the keys were chosen.

use std::collections::BTreeMap;

use super::heap::{StringId, TableId};
use super::value::Value;

/// A key that cannot be stored: `nil` or NaN.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InvalidKey {
    Nil,
    NaN,
}

const EMPTY: u32 = u32::MAX;

/// The most index slots a probe looks at before it consults the overflow map. With the load
/// factor at most 1/2 and well-spread hashes, runs this long are rare enough that the
/// overflow map stays empty in ordinary tables.
const MAX_PROBE: usize = 32;

/// Bytes the collector counts per overflow key (a map entry and its share of a node).
const OVERFLOW_ENTRY_BYTES: usize = 32;

#[derive(Clone, Debug)]
pub(crate) struct Entry {
    key: Value,
    value: Value,
}

/// Snapshots store an entry as the pair `(key, value)`; a deserialized entry goes straight
/// into the table's hash part (`Table::from_parts` checks the keys).
impl serde::Serialize for Entry {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        (self.key, self.value).serialize(serializer)
    }
}

impl<'de> serde::Deserialize<'de> for Entry {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let (key, value) = <(Value, Value)>::deserialize(deserializer)?;
        Ok(Entry { key, value })
    }
}

/// The hash part: entries in insertion order plus an open-addressing index into them.
///
/// Invariant: an entry is either in `index`, within `MAX_PROBE` slots of its home slot, or
/// in `overflow` (never both). A key goes to `overflow` only when the `MAX_PROBE` slots
/// from its home were all taken; slots are never freed before a rebuild, so a probe that
/// meets an `EMPTY` slot (or the key) within `MAX_PROBE` steps has its answer, and only a
/// probe that walked all of them needs the overflow map.
#[derive(Clone, Debug, Default)]
struct HashPart {
    entries: Vec<Entry>,
    /// Power-of-two sized; each slot is an index into `entries` or `EMPTY`. Its size only
    /// changes on a rebuild, so a boxed slice (a word smaller than a `Vec`) is enough.
    index: Box<[u32]>,
    /// Positions of entries whose keys collided too much, by key order. Boxed so that
    /// tables without collisions (nearly all) pay one pointer for it, not a map's three
    /// words.
    #[allow(clippy::box_collection)]
    overflow: Option<Box<BTreeMap<KeyOrder, u32>>>,
}

/// A total order on normalised keys for the overflow map: the value's type, then its bits
/// (integers, float bits, object ids). Deterministic, like everything in a table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct KeyOrder(u8, u64);

fn key_order(key: Value) -> KeyOrder {
    match key {
        Value::Nil => KeyOrder(0, 0),
        Value::Boolean(b) => KeyOrder(1, b as u64),
        Value::Integer(i) => KeyOrder(2, i as u64),
        Value::Float(f) => KeyOrder(3, f.to_bits()),
        Value::String(id) => KeyOrder(4, id.0 as u64),
        Value::Table(id) => KeyOrder(5, id.0 as u64),
        Value::Closure(id) => KeyOrder(6, id.0 as u64),
        Value::Native(id) => KeyOrder(7, id.0 as u64),
        Value::UserData(id) => KeyOrder(8, id.0 as u64),
        Value::Thread(id) => KeyOrder(9, id.0 as u64),
    }
}

/// Metamethod events whose absence a metatable caches (see `Table::flags`).
#[derive(Clone, Copy, Debug)]
#[repr(u8)]
pub enum CachedEvent {
    Index = 0,
    NewIndex = 1,
    Len = 2,
}

#[derive(Clone, Debug, Default)]
pub struct Table {
    /// Values of keys `1..=array.len()` (may contain nils).
    array: Vec<Value>,
    hash: HashPart,
    pub metatable: Option<TableId>,
    /// When this table is used as a metatable: bit `e` set means event `e` is known to be
    /// absent. Any store into the table clears the cache.
    absent_events: u8,
}

/// Normalises a key: floats with an integral value become integers.
#[inline]
fn normalize_key(key: Value) -> Result<Value, InvalidKey> {
    match key {
        Value::Nil => Err(InvalidKey::Nil),
        Value::Float(f) => {
            if f.is_nan() {
                Err(InvalidKey::NaN)
            } else {
                match crate::numbers::float_to_integer_exact(f) {
                    Some(i) => Ok(Value::Integer(i)),
                    None => Ok(key),
                }
            }
        }
        _ => Ok(key),
    }
}

#[inline]
fn mix(x: u64) -> u64 {
    let x = (x ^ (x >> 32)).wrapping_mul(0xD6E8_FEB8_6659_FD93);
    x ^ (x >> 32)
}

/// Hash of a normalised key. Heap objects hash by id, which is deterministic.
#[inline]
fn hash_key(key: Value) -> u64 {
    match key {
        Value::Nil => 0,
        Value::Boolean(b) => b as u64 + 1,
        Value::Integer(i) => mix(i as u64),
        Value::Float(f) => mix(f.to_bits() ^ 0x5555),
        Value::String(id) => mix(id.0 as u64 | (1 << 40)),
        Value::Table(id) => mix(id.0 as u64 | (2 << 40)),
        Value::Closure(id) => mix(id.0 as u64 | (3 << 40)),
        Value::Native(id) => mix(id.0 as u64 | (4 << 40)),
        Value::UserData(id) => mix(id.0 as u64 | (5 << 40)),
        Value::Thread(id) => mix(id.0 as u64 | (6 << 40)),
    }
}

/// Key identity for normalised keys (integers and floats never collide after
/// normalisation, so bitwise float equality is right here).
#[inline]
fn same_key(a: Value, b: Value) -> bool {
    match (a, b) {
        (Value::Integer(x), Value::Integer(y)) => x == y,
        (Value::Float(x), Value::Float(y)) => x.to_bits() == y.to_bits(),
        (Value::Float(_), _) | (_, Value::Float(_)) => false,
        _ => a.raw_equals(b),
    }
}

impl HashPart {
    fn with_capacity(n: usize) -> Self {
        if n == 0 {
            return HashPart::default();
        }
        let slots = (n * 2).next_power_of_two().max(4);
        HashPart {
            entries: Vec::with_capacity(n),
            index: vec![EMPTY; slots].into_boxed_slice(),
            overflow: None,
        }
    }

    /// Position of the entry for `key`, probing from `hash`; `is_key` is `key`'s identity
    /// test, specialised per key type by the callers (a string key compares ids only).
    ///
    /// An empty index has no slot (`get` fails), and an `EMPTY` slot names no entry
    /// (`entries.len() < EMPTY`), so both end the probe through the same check.
    #[inline(always)]
    fn probe(&self, hash: u64, key: Value, is_key: impl Fn(&Value) -> bool) -> Option<usize> {
        let mask = self.index.len().wrapping_sub(1);
        let mut slot = hash as usize & mask;
        for _ in 0..MAX_PROBE {
            let position = *self.index.get(slot)? as usize;
            let entry = self.entries.get(position)?;
            if is_key(&entry.key) {
                return Some(position);
            }
            slot = (slot + 1) & mask;
        }
        self.find_overflow(key)
    }

    #[cold]
    fn find_overflow(&self, key: Value) -> Option<usize> {
        let position = *self.overflow.as_ref()?.get(&key_order(key))?;
        Some(position as usize)
    }

    #[inline]
    fn find(&self, key: Value) -> Option<usize> {
        match key {
            Value::String(id) => self.find_string(id),
            Value::Integer(i) => self.find_integer(i),
            _ => self.probe(hash_key(key), key, |k| same_key(*k, key)),
        }
    }

    #[inline(always)]
    fn find_string(&self, id: StringId) -> Option<usize> {
        let key = Value::String(id);
        self.probe(
            hash_key(key),
            key,
            |k| matches!(k, Value::String(s) if *s == id),
        )
    }

    #[inline(always)]
    fn find_integer(&self, i: i64) -> Option<usize> {
        let key = Value::Integer(i);
        self.probe(
            hash_key(key),
            key,
            |k| matches!(k, Value::Integer(j) if *j == i),
        )
    }

    /// The value stored under `position` (a result of a probe).
    #[inline(always)]
    fn value_at(&self, position: usize) -> Value {
        self.entries.get(position).map_or(Value::Nil, |e| e.value)
    }

    /// The value slot of the entry at `position` (a result of a probe).
    #[inline(always)]
    fn value_mut(&mut self, position: usize) -> Option<&mut Value> {
        self.entries.get_mut(position).map(|entry| &mut entry.value)
    }

    /// Whether one more entry fits without rebuilding (load factor at most 1/2).
    fn has_room(&self) -> bool {
        (self.entries.len() + 1) * 2 <= self.index.len()
    }

    /// Appends a new entry; the caller guarantees `has_room()` and that the key is absent.
    fn push(&mut self, key: Value, value: Value) {
        let position = self.entries.len();
        self.entries.push(Entry { key, value });
        self.index_entry::<false>(position);
    }

    /// Indexes `entries[position]`, already stored, checking that its key is new.
    fn index_existing(&mut self, position: usize) -> bool {
        self.index_entry::<true>(position)
    }

    /// Indexes `entries[position]`: in the first free slot within `MAX_PROBE` of its home,
    /// else in the overflow map. `false` (nothing changed) if the index has no slot or,
    /// when `CHECK_NEW`, the key is already indexed (else the caller knows it is absent).
    #[inline]
    fn index_entry<const CHECK_NEW: bool>(&mut self, position: usize) -> bool {
        let Some(key) = self.entries.get(position).map(|e| e.key) else {
            return false;
        };
        let mask = self.index.len().wrapping_sub(1);
        let mut slot = hash_key(key) as usize & mask;
        for _ in 0..MAX_PROBE {
            match self.index.get(slot).copied() {
                Some(EMPTY) => {
                    if let Some(free) = self.index.get_mut(slot) {
                        *free = position as u32;
                    }
                    return true;
                }
                Some(other) => {
                    if CHECK_NEW
                        && self
                            .entries
                            .get(other as usize)
                            .is_some_and(|e| same_key(e.key, key))
                    {
                        return false;
                    }
                }
                None => return false,
            }
            slot = (slot + 1) & mask;
        }
        let overflow = self.overflow.get_or_insert_with(Default::default);
        match overflow.entry(key_order(key)) {
            std::collections::btree_map::Entry::Occupied(_) => false,
            std::collections::btree_map::Entry::Vacant(vacant) => {
                vacant.insert(position as u32);
                true
            }
        }
    }

    fn overflow_len(&self) -> usize {
        self.overflow.as_ref().map_or(0, |map| map.len())
    }
}

impl Table {
    pub fn new(array_capacity: usize, hash_capacity: usize) -> Self {
        Table {
            array: Vec::with_capacity(array_capacity),
            hash: HashPart::with_capacity(hash_capacity),
            metatable: None,
            absent_events: 0,
        }
    }

    /// Logical size in bytes for the collector's accounting. It depends only on the
    /// table's logical layout (never on `Vec` capacities, which differ between a table and
    /// its clone or deserialized copy), so every copy of a VM counts the same bytes.
    pub fn memory_size(&self) -> usize {
        56 + self.array.len() * 16
            + self.hash.entries.len() * 32
            + self.hash.index.len() * 4
            + self.hash.overflow_len() * OVERFLOW_ENTRY_BYTES
    }

    #[inline]
    pub fn get(&self, key: Value) -> Value {
        match key {
            Value::Integer(i) => self.get_int(i),
            Value::String(_) => self.get_str(key),
            Value::Nil => Value::Nil,
            Value::Float(f) => match crate::numbers::float_to_integer_exact(f) {
                Some(i) => self.get_int(i),
                None if f.is_nan() => Value::Nil,
                None => self.get_hashed(key),
            },
            _ => self.get_hashed(key),
        }
    }

    /// `get` with the common key types (field names, array indices) inlined into the
    /// caller: the interpreter's table reads.
    #[inline(always)]
    pub fn get_fast(&self, key: Value) -> Value {
        match key {
            Value::String(id) => match self.hash.find_string(id) {
                Some(position) => self.hash.value_at(position),
                None => Value::Nil,
            },
            Value::Integer(i) => self.get_int(i),
            _ => self.get(key),
        }
    }

    #[inline]
    pub fn get_int(&self, i: i64) -> Value {
        if let Some(v) = (i as u64)
            .checked_sub(1)
            .and_then(|k| self.array.get(k as usize))
        {
            return *v;
        }
        match self.hash.find_integer(i) {
            Some(position) => self.hash.value_at(position),
            None => Value::Nil,
        }
    }

    /// Lookup of a string key (or any already-normalised non-integer key).
    #[inline]
    pub fn get_str(&self, key: Value) -> Value {
        match key {
            Value::String(id) => match self.hash.find_string(id) {
                Some(position) => self.hash.value_at(position),
                None => Value::Nil,
            },
            _ => self.get_hashed(key),
        }
    }

    #[inline]
    fn get_hashed(&self, key: Value) -> Value {
        match self.hash.find(key) {
            Some(position) => self.hash.value_at(position),
            None => Value::Nil,
        }
    }

    /// The interpreter's fast path for `t[k] = v` with an integer or string key: stores in
    /// place when that neither creates a slot nor could consult `__newindex` (the key holds a
    /// non-nil value, or the table has no metatable). Returns `false`, having changed
    /// nothing, in every other case; the general path (`set` plus metamethods) then runs.
    /// The table's size does not change, so no memory accounting is needed.
    #[inline(always)]
    pub fn store_existing(&mut self, key: Value, value: Value) -> bool {
        let no_metatable = self.metatable.is_none();
        let slot = match key {
            Value::Integer(i) => match (i as u64)
                .checked_sub(1)
                .and_then(|k| self.array.get_mut(k as usize))
            {
                Some(slot) => slot,
                None => match self
                    .hash
                    .find_integer(i)
                    .and_then(|p| self.hash.value_mut(p))
                {
                    Some(slot) => slot,
                    None => return false,
                },
            },
            Value::String(id) => match self
                .hash
                .find_string(id)
                .and_then(|p| self.hash.value_mut(p))
            {
                Some(slot) => slot,
                None => return false,
            },
            _ => return false,
        };
        if slot.is_nil() && !no_metatable {
            return false;
        }
        *slot = value;
        self.absent_events = 0;
        true
    }

    /// Whether `t[key] = value` on this table is a raw store: no metatable (so no
    /// `__newindex`) and a key that can be stored (not nil, not NaN).
    #[inline]
    pub fn stores_raw(&self, key: Value) -> bool {
        self.metatable.is_none()
            && match key {
                Value::Nil => false,
                Value::Float(f) => !f.is_nan(),
                _ => true,
            }
    }

    /// Raw assignment. Returns an error for nil and NaN keys.
    pub fn set(&mut self, key: Value, value: Value) -> Result<(), InvalidKey> {
        let key = normalize_key(key)?;
        match key {
            Value::Integer(i) => self.set_int(i, value),
            _ => self.set_hashed(key, value),
        }
        Ok(())
    }

    pub fn set_int(&mut self, i: i64, value: Value) {
        self.absent_events = 0;
        let len = self.array.len();
        if let Some(slot) = (i as u64)
            .checked_sub(1)
            .and_then(|k| self.array.get_mut(k as usize))
        {
            *slot = value;
            return;
        }
        if i as u64 == len as u64 + 1 && !value.is_nil() {
            // Appending (the common way arrays grow): only a hash part can hold the key.
            if self.hash.entries.is_empty() {
                self.array.push(value);
                return;
            }
            if self.hash.find_integer(i).is_none() {
                self.array.push(value);
                self.migrate_from_hash();
                return;
            }
        }
        self.set_hashed(Value::Integer(i), value);
    }

    /// After the array part grew, moves the keys that now continue it out of the hash part.
    fn migrate_from_hash(&mut self) {
        if self.hash.entries.is_empty() {
            return;
        }
        loop {
            let next = Value::Integer(self.array.len() as i64 + 1);
            match self.hash.find(next) {
                Some(pos) if !self.hash.entries[pos].value.is_nil() => {
                    let value = std::mem::take(&mut self.hash.entries[pos].value);
                    self.array.push(value);
                }
                _ => return,
            }
        }
    }

    fn set_hashed(&mut self, key: Value, value: Value) {
        self.absent_events = 0;
        if let Some(pos) = self.hash.find(key) {
            self.hash.entries[pos].value = value;
            return;
        }
        if value.is_nil() {
            return;
        }
        if !self.hash.has_room() {
            self.rebuild(Some(key));
            if let Value::Integer(i) = key {
                // The array part may now hold the key, or end just before it (the rebuild
                // trims trailing nils): then the key extends the array instead of landing
                // in the hash part, where it would stop every later append and make
                // filling `t[2], t[3], ...` rebuild every few insertions. The hash part has
                // room now, so this does not come back here.
                self.set_int(i, value);
                return;
            }
        }
        self.hash.push(key, value);
    }

    /// Rebuilds both parts for the live keys plus `extra` (a key about to be inserted):
    /// chooses the largest array size `n` (a power of two) such that more than half of
    /// `1..=n` would be used, as PUC does, moves integer keys accordingly, drops dead entries
    /// and resizes the hash part.
    fn rebuild(&mut self, extra: Option<Value>) {
        // counts[b] = number of integer keys k with 2^(b-1) < k <= 2^b
        let mut counts = [0usize; 65];
        let mut count_key = |k: i64| {
            if k >= 1 {
                let bucket = 64 - (k as u64 - 1).leading_zeros() as usize;
                counts[bucket] += 1;
            }
        };
        for (i, v) in self.array.iter().enumerate() {
            if !v.is_nil() {
                count_key(i as i64 + 1);
            }
        }
        for e in &self.hash.entries {
            if let (Value::Integer(k), false) = (e.key, e.value.is_nil()) {
                count_key(k);
            }
        }
        if let Some(Value::Integer(k)) = extra {
            count_key(k);
        }
        let mut array_size = 0usize;
        let mut accumulated = 0usize;
        for (bucket, &count) in counts.iter().enumerate().take(48) {
            accumulated += count;
            let limit = 1usize << bucket;
            if accumulated > limit / 2 {
                array_size = limit;
            }
        }
        // Never shrink below the current array part: it may hold keys being traversed.
        array_size = array_size.max(self.array.len());
        let old_entries = std::mem::take(&mut self.hash.entries);
        let mut array = std::mem::take(&mut self.array);
        array.resize(array_size, Value::Nil);
        let mut keep = Vec::with_capacity(old_entries.len());
        for e in old_entries {
            if e.value.is_nil() {
                continue;
            }
            match e.key {
                Value::Integer(k) if k >= 1 && (k as u64) <= array_size as u64 => {
                    array[k as usize - 1] = e.value;
                }
                _ => keep.push(e),
            }
        }
        // Trim trailing nils so appends keep using the fast path.
        while array.last().is_some_and(|v| v.is_nil()) {
            array.pop();
        }
        self.array = array;
        let wanted = keep.len() + 1;
        self.hash = HashPart::with_capacity(wanted.max(4));
        for e in keep {
            self.hash.push(e.key, e.value);
        }
    }

    /// The border `#t`: an index `n` with `t[n] ~= nil` and `t[n + 1] == nil` (or 0).
    pub fn border(&self) -> u64 {
        let len = self.array.len();
        if len > 0 && self.array[len - 1].is_nil() {
            // Binary search for a border inside the array part.
            let (mut lo, mut hi) = (0usize, len);
            while hi - lo > 1 {
                let mid = (lo + hi) / 2;
                if self.array[mid - 1].is_nil() {
                    hi = mid;
                } else {
                    lo = mid;
                }
            }
            return lo as u64;
        }
        if self.hash.entries.is_empty() || self.get_hashed(Value::Integer(len as i64 + 1)).is_nil()
        {
            return len as u64;
        }
        // Unbounded search in the hash part.
        let mut i = len as u64 + 1;
        let mut j = i.saturating_mul(2);
        loop {
            if j > i64::MAX as u64 / 2 {
                // Pathological: linear search from i.
                let mut n = i;
                while !self.get_int(n as i64 + 1).is_nil() {
                    n += 1;
                }
                return n;
            }
            if self.get_int(j as i64).is_nil() {
                break;
            }
            i = j;
            j *= 2;
        }
        while j - i > 1 {
            let mid = (i + j) / 2;
            if self.get_int(mid as i64).is_nil() {
                j = mid;
            } else {
                i = mid;
            }
        }
        i
    }

    /// The traversal step of `next`: the entry after `key` (`nil` starts). `Err` when `key` is
    /// not in the table.
    pub fn next(&self, key: Value) -> Result<Option<(Value, Value)>, ()> {
        self.next_counting(key).map(|(entry, _)| entry)
    }

    /// `next`, also returning how many slots it looked at: after many removals a call can
    /// skip over a long run of empty slots, and the caller charges fuel for it.
    pub fn next_counting(&self, key: Value) -> Result<(Option<(Value, Value)>, usize), ()> {
        let start = match key {
            Value::Nil => 0,
            _ => {
                let key = normalize_key(key).map_err(|_| ())?;
                match key {
                    Value::Integer(i) if i >= 1 && (i as u64) <= self.array.len() as u64 => {
                        i as usize
                    }
                    _ => {
                        let pos = self.hash.find(key).ok_or(())?;
                        self.array.len() + pos + 1
                    }
                }
            }
        };
        for i in start..self.array.len() {
            let v = self.array[i];
            if !v.is_nil() {
                return Ok((Some((Value::Integer(i as i64 + 1), v)), i + 1 - start));
            }
        }
        let hash_start = start.saturating_sub(self.array.len());
        let array_scanned = self.array.len().saturating_sub(start);
        for (i, e) in self.hash.entries.iter().skip(hash_start).enumerate() {
            if !e.value.is_nil() {
                return Ok((Some((e.key, e.value)), array_scanned + i + 1));
            }
        }
        let hash_scanned = self.hash.entries.len().saturating_sub(hash_start);
        Ok((None, array_scanned + hash_scanned))
    }

    pub fn array_len(&self) -> usize {
        self.array.len()
    }

    /// Number of entries in the hash part, dead keys included (collector work units).
    pub fn hash_entry_count(&self) -> usize {
        self.hash.entries.len()
    }

    /// All values and keys, for the collector's traversal.
    pub fn for_each_value(&self, mut f: impl FnMut(Value)) {
        for &v in &self.array {
            f(v);
        }
        for e in &self.hash.entries {
            if !e.value.is_nil() {
                f(e.key);
                f(e.value);
            }
        }
    }

    /// Metamethod absence cache (see `absent_events`).
    #[inline]
    pub fn event_known_absent(&self, event: CachedEvent) -> bool {
        self.absent_events & (1 << event as u8) != 0
    }

    #[inline]
    pub fn mark_event_absent(&mut self, event: CachedEvent) {
        self.absent_events |= 1 << event as u8;
    }

    /// Reserves room for `n` array elements (table constructors, `table.move`).
    pub fn reserve_array(&mut self, n: usize) {
        self.array.reserve(n);
    }

    /// Array slice for fast paths (`ipairs`, `table.concat`, unpack).
    pub fn array(&self) -> &[Value] {
        &self.array
    }

    /// Hash entries in iteration order, including dead ones (value nil), for serialization
    /// and weak-table clearing.
    pub fn hash_entries(&self) -> impl Iterator<Item = (Value, Value)> + '_ {
        self.hash.entries.iter().map(|e| (e.key, e.value))
    }

    /// Clears entries for which `dead(key, value)` says a weak reference died; the entry's
    /// value becomes nil (its key stays, as a dead key).
    /// Every slot as `(key, value)`: array slots first (with a nil key: integer keys are
    /// never collected, so weak-table clearing only looks at their values), then hash
    /// entries. Positions in this sequence are what `clear_positions` takes.
    pub fn entries_with_array_keys(&self) -> impl Iterator<Item = (Value, Value)> + '_ {
        let array = self.array.iter().map(|&v| (Value::Nil, v));
        array.chain(self.hash.entries.iter().map(|e| (e.key, e.value)))
    }

    /// Sets to nil the values at the given positions of `entries_with_array_keys` (the
    /// keys stay, dead, so traversal order is unchanged).
    pub fn clear_positions(&mut self, positions: &[usize]) {
        let array_len = self.array.len();
        for &position in positions {
            let slot = match position.checked_sub(array_len) {
                None => self.array.get_mut(position),
                Some(entry) => self.hash.entries.get_mut(entry).map(|e| &mut e.value),
            };
            if let Some(slot) = slot {
                *slot = Value::Nil;
            }
        }
    }
}

/// Whether `key` is stored as is (not nil, not NaN, not a float with an integer value).
fn is_normalized_key(key: Value) -> bool {
    match key {
        Value::Nil => false,
        Value::Float(f) => !f.is_nan() && crate::numbers::float_to_integer_exact(f).is_none(),
        _ => true,
    }
}

/// A table's contents as stored in a snapshot: the array part, the hash entries in
/// traversal order (dead keys included, values nil), and the hash index size (which decides
/// when the next rebuild happens, hence future traversal order).
pub(crate) struct TableParts {
    pub array: Vec<Value>,
    pub entries: Vec<Entry>,
    pub index_size: u32,
    pub metatable: Option<TableId>,
}

impl Table {
    /// The array part, hash entries and index size for serialization, without copying.
    pub(crate) fn layout(&self) -> (&[Value], &[Entry], u32) {
        (
            &self.array,
            &self.hash.entries,
            self.hash.index.len() as u32,
        )
    }

    /// Rebuilds a table from a snapshot. Fails on keys a table cannot hold (nil, NaN,
    /// unnormalised floats, duplicates, integer keys that belong in the array part) and on
    /// an index size that is not a power of two with room for every entry.
    ///
    /// A table preallocated by a constructor may have far more index slots than entries.
    /// Those extra slots are charged to `spare_slots`, shared by every table of one
    /// snapshot, so a few bytes of input cannot request gigabytes of index.
    pub(crate) fn from_parts(parts: TableParts, spare_slots: &mut usize) -> Option<Table> {
        let entries = parts.entries.len();
        let size = parts.index_size as usize;
        let room = entries == 0 && size == 0 || (size.is_power_of_two() && entries * 2 <= size);
        if !room {
            return None;
        }
        let proportional = (entries * 2).next_power_of_two().max(4) * 2;
        if size > proportional {
            *spare_slots = spare_slots.checked_sub(size - proportional)?;
        }
        let array_len = parts.array.len() as i64;
        // A live key inside the array part's range belongs there. A dead one is normal:
        // when appends make the array part reach keys of the hash part, their values move
        // and their entries stay behind, dead (lookups of such keys never reach them).
        let misplaced = |entry: &Entry| {
            let in_array = matches!(entry.key, Value::Integer(i) if i >= 1 && i <= array_len);
            (in_array && !entry.value.is_nil()) || !is_normalized_key(entry.key)
        };
        if parts.entries.iter().any(misplaced) {
            return None;
        }
        let mut hash = HashPart {
            entries: parts.entries,
            index: vec![EMPTY; size].into_boxed_slice(),
            overflow: None,
        };
        for position in 0..entries {
            if !hash.index_existing(position) {
                return None;
            }
        }
        Some(Table {
            array: parts.array,
            hash,
            metatable: parts.metatable,
            absent_events: 0,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn int(i: i64) -> Value {
        Value::Integer(i)
    }

    #[test]
    fn array_and_hash_parts() {
        let mut t = Table::new(0, 0);
        for i in 1..=100 {
            t.set(int(i), int(i * 2)).unwrap();
        }
        assert_eq!(t.array_len(), 100);
        assert_eq!(t.border(), 100);
        assert!(matches!(t.get(Value::Float(3.0)), Value::Integer(6)));
        t.set(Value::Float(2.5), int(7)).unwrap();
        assert!(matches!(t.get(Value::Float(2.5)), Value::Integer(7)));
        assert_eq!(t.set(Value::Nil, int(1)), Err(InvalidKey::Nil));
        assert_eq!(t.set(Value::Float(f64::NAN), int(1)), Err(InvalidKey::NaN));
    }

    #[test]
    fn sparse_keys_move_to_array_on_rebuild() {
        let mut t = Table::new(0, 0);
        for i in (1..=64).rev() {
            t.set(int(i), int(i)).unwrap();
        }
        assert_eq!(t.border(), 64);
        for i in 1..=64 {
            assert!(matches!(t.get(int(i)), Value::Integer(x) if x == i));
        }
    }

    #[test]
    fn arrays_not_starting_at_one_grow_in_linear_time() {
        for start in [2, 3, 6] {
            let mut t = Table::new(0, 0);
            let mut rebuilds = 0;
            for i in start..=5000 {
                // A rebuild moves the hash part's integer keys into the array part.
                let entries = t.hash.entries.len();
                t.set(int(i), Value::Boolean(true)).unwrap();
                if t.hash.entries.len() < entries {
                    rebuilds += 1;
                }
            }
            assert!(rebuilds < 40, "start {start}: {rebuilds} rebuilds");
            assert!(t.array_len() >= 4990);
        }
    }

    #[test]
    fn traversal_order_is_insertion_order_and_survives_clearing() {
        let mut t = Table::new(0, 0);
        let keys = [10, -5, 7, 1000, 3];
        for k in keys {
            t.set(int(k), Value::Boolean(true)).unwrap();
        }
        let mut seen = vec![];
        let mut k = Value::Nil;
        while let Some((key, _)) = t.next(k).unwrap() {
            if let Value::Integer(i) = key {
                seen.push(i);
            }
            t.set(key, Value::Nil).unwrap();
            k = key;
        }
        assert_eq!(seen, keys);
        assert!(t.next(Value::Nil).unwrap().is_none());
    }

    #[test]
    fn store_existing_only_overwrites_without_possible_metamethods() {
        let key = Value::String(StringId(7));
        let mut t = Table::new(0, 0);
        // Absent keys need the general path (a new slot).
        assert!(!t.store_existing(int(1), int(10)));
        assert!(!t.store_existing(key, int(10)));
        t.set(int(1), int(10)).unwrap();
        t.set(key, int(20)).unwrap();
        assert!(t.store_existing(int(1), int(11)));
        assert!(t.store_existing(key, int(21)));
        assert!(matches!(t.get(int(1)), Value::Integer(11)));
        assert!(matches!(t.get_str(key), Value::Integer(21)));
        // Floats and other key types always take the general path.
        assert!(!t.store_existing(Value::Float(1.0), int(0)));
        // An emptied slot: fine without a metatable, not with one (`__newindex`).
        assert!(t.store_existing(key, Value::Nil));
        assert!(t.store_existing(key, int(22)));
        t.set(key, Value::Nil).unwrap();
        t.metatable = Some(TableId(0));
        assert!(!t.store_existing(key, int(23)));
        assert!(t.get_str(key).is_nil());
        assert!(t.store_existing(int(1), int(12)));
    }

    #[test]
    fn stores_raw_needs_no_metatable_and_a_valid_key() {
        let mut t = Table::new(0, 0);
        assert!(t.stores_raw(int(5)));
        assert!(t.stores_raw(Value::Float(0.5)));
        assert!(!t.stores_raw(Value::Nil));
        assert!(!t.stores_raw(Value::Float(f64::NAN)));
        t.metatable = Some(TableId(0));
        assert!(!t.stores_raw(int(5)));
    }

    /// Integer keys whose hashes share their low `bits` bits: what a hash-flooding script
    /// computes by inverting `mix`.
    fn colliding_keys(count: usize, bits: u32) -> Vec<i64> {
        let mask = (1u64 << bits) - 1;
        (0i64..)
            .filter(|&k| hash_key(int(k)) & mask == 0)
            .take(count)
            .collect()
    }

    #[test]
    fn colliding_keys_overflow_and_stay_reachable() {
        let keys = colliding_keys(300, 12);
        let mut t = Table::new(0, 0);
        for (n, &k) in keys.iter().enumerate() {
            t.set(int(k), int(n as i64)).unwrap();
        }
        assert!(
            t.hash.overflow_len() > 0,
            "a flood must reach the overflow map"
        );
        assert!(t.hash.overflow_len() < keys.len());
        for (n, &k) in keys.iter().enumerate() {
            assert!(matches!(t.get(int(k)), Value::Integer(x) if x == n as i64));
        }
        // Absent keys with the same home slot, and overwrites and removals of present ones.
        for &k in &colliding_keys(400, 12)[300..] {
            assert!(t.get(int(k)).is_nil());
        }
        let last = *keys.last().unwrap();
        assert!(t.store_existing(int(last), int(-1)));
        assert!(matches!(t.get(int(last)), Value::Integer(-1)));
        t.set(int(last), Value::Nil).unwrap();
        assert!(t.get(int(last)).is_nil());
        // Traversal is still insertion order.
        let mut seen = vec![];
        let mut key = Value::Nil;
        while let Some((k, _)) = t.next(key).unwrap() {
            if let Value::Integer(i) = k {
                seen.push(i);
            }
            key = k;
        }
        assert_eq!(seen, keys[..keys.len() - 1]);
    }

    #[test]
    fn snapshot_layout_rebuilds_the_same_overflow() {
        let mut t = Table::new(0, 0);
        for (n, k) in colliding_keys(200, 12).into_iter().enumerate() {
            t.set(int(k), int(n as i64)).unwrap();
        }
        let (array, entries, index_size) = t.layout();
        let parts = TableParts {
            array: array.to_vec(),
            entries: entries.to_vec(),
            index_size,
            metatable: None,
        };
        let copy = Table::from_parts(parts, &mut 0).unwrap();
        assert_eq!(copy.hash.index, t.hash.index);
        assert_eq!(copy.hash.overflow, t.hash.overflow);
        assert_eq!(copy.memory_size(), t.memory_size());
        // A duplicate key is refused even when both copies would overflow.
        let (_, entries, index_size) = t.layout();
        let mut entries = entries.to_vec();
        entries.push(entries[entries.len() - 1].clone());
        let parts = TableParts {
            array: vec![],
            entries,
            index_size,
            metatable: None,
        };
        assert!(Table::from_parts(parts, &mut 0).is_none());
    }

    mod model {
        //! The table against a map model, with keys drawn partly from a pool of hash
        //! collisions so that operations go through the overflow map too.
        use super::*;
        use proptest::prelude::*;
        use std::collections::BTreeMap;

        #[derive(Clone, Debug)]
        enum Op {
            Set(usize, Option<i64>),
            Get(usize),
        }

        fn key_pool() -> Vec<Value> {
            let mut keys: Vec<Value> = colliding_keys(120, 10).into_iter().map(int).collect();
            keys.extend((-5..40).map(int));
            keys.extend((0..20).map(|i| Value::String(StringId(i))));
            keys.extend([0.5, -2.25, 1e300].map(Value::Float));
            keys.push(Value::Boolean(true));
            keys
        }

        fn ops() -> impl Strategy<Value = Vec<Op>> {
            let pool: usize = 120 + 45 + 20 + 3 + 1;
            let op = prop_oneof![
                3 => (0..pool, proptest::option::weighted(0.8, any::<i64>()))
                    .prop_map(|(k, v)| Op::Set(k, v)),
                1 => (0..pool).prop_map(Op::Get),
            ];
            proptest::collection::vec(op, 0..400)
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(64))]
            #[test]
            fn behaves_like_a_map(ops in ops()) {
                let pool = key_pool();
                let mut table = Table::new(0, 0);
                let mut model: BTreeMap<KeyOrder, (Value, i64)> = BTreeMap::new();
                for op in ops {
                    match op {
                        Op::Set(k, value) => {
                            let key = pool[k];
                            let stored = value.map_or(Value::Nil, Value::Integer);
                            table.set(key, stored).unwrap();
                            match value {
                                Some(v) => model.insert(key_order(key), (key, v)),
                                None => model.remove(&key_order(key)),
                            };
                        }
                        Op::Get(k) => {
                            let key = pool[k];
                            let expected = model.get(&key_order(key)).map(|&(_, v)| v);
                            let found = match table.get(key) {
                                Value::Integer(v) => Some(v),
                                _ => None,
                            };
                            prop_assert_eq!(found, expected);
                        }
                    }
                }
                // Traversal visits exactly the live keys.
                let mut seen = BTreeMap::new();
                let mut key = Value::Nil;
                while let Some((k, v)) = table.next(key).unwrap() {
                    if let Value::Integer(v) = v {
                        prop_assert!(seen.insert(key_order(k), v).is_none());
                    }
                    key = k;
                }
                let expected: BTreeMap<_, _> =
                    model.iter().map(|(&order, &(_, v))| (order, v)).collect();
                prop_assert_eq!(seen, expected);
                // A snapshot of the layout rebuilds the same index and overflow map.
                let (array, entries, index_size) = table.layout();
                let mut spare_slots = usize::MAX;
                let copy = Table::from_parts(
                    TableParts {
                        array: array.to_vec(),
                        entries: entries.to_vec(),
                        index_size,
                        metatable: None,
                    },
                    &mut spare_slots,
                )
                .unwrap();
                prop_assert_eq!(&copy.hash.index, &table.hash.index);
                prop_assert_eq!(&copy.hash.overflow, &table.hash.overflow);
            }
        }
    }

    #[test]
    fn probes_by_key_type() {
        let mut t = Table::new(0, 0);
        for i in 0..50 {
            t.set(Value::String(StringId(i)), int(i as i64)).unwrap();
            t.set(int(-(i as i64)), int(100 + i as i64)).unwrap();
        }
        for i in 0..50 {
            assert!(
                matches!(t.get_str(Value::String(StringId(i))), Value::Integer(x) if x == i as i64)
            );
            assert!(matches!(t.get_int(-(i as i64)), Value::Integer(x) if x == 100 + i as i64));
        }
        assert!(t.get_str(Value::String(StringId(50))).is_nil());
        assert!(t.get_int(-50).is_nil());
        assert!(Table::new(0, 0)
            .get_str(Value::String(StringId(1)))
            .is_nil());
        assert!(Table::new(0, 0).get_int(3).is_nil());
    }
}
