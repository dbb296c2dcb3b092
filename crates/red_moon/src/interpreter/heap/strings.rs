//! Lua strings: immutable byte strings, interned so that equal contents share one id.
//!
//! Interning every string makes string equality and table lookups by string key a plain id
//! comparison. The intern index is an open-addressing table of ids keyed by a content hash
//! that is seeded per VM (deterministic for peers sharing the seed, but not predictable by a
//! script that does not know it).

use std::rc::Rc;

/// The contents of one Lua string. The bytes are shared (never mutated) between clones.
#[derive(Clone, Debug)]
pub struct LuaString {
    bytes: Rc<[u8]>,
    hash: u64,
}

impl LuaString {
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    pub fn shared_bytes(&self) -> &Rc<[u8]> {
        &self.bytes
    }

    pub fn hash(&self) -> u64 {
        self.hash
    }
}

/// Deterministic keyed hash of a byte string (a multiply-fold hash over 8-byte words).
pub fn hash_bytes(bytes: &[u8], seed: u64) -> u64 {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut h = seed ^ (bytes.len() as u64).wrapping_mul(K);
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        h = fold_multiply(h ^ u64::from_le_bytes(word), K);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut word = [0u8; 8];
        word[..rest.len()].copy_from_slice(rest);
        h = fold_multiply(h ^ u64::from_le_bytes(word), K ^ seed.rotate_left(17));
    }
    fold_multiply(h, seed | 1)
}

#[inline]
fn fold_multiply(a: u64, b: u64) -> u64 {
    let full = (a as u128).wrapping_mul(b as u128);
    (full as u64) ^ ((full >> 64) as u64)
}

const EMPTY: u32 = u32::MAX;
const REMOVED: u32 = u32::MAX - 1;

/// Open-addressing index from content to string id. The table stores ids only; comparing
/// contents needs the string arena, passed in by the caller.
#[derive(Clone, Debug, Default)]
pub struct Interner {
    slots: Vec<u32>,
    /// Live entries plus `REMOVED` markers (both count towards the load factor).
    used: usize,
    live: usize,
}

/// Where a string would be interned: either found (`Ok(id)`) or the slot to insert into.
pub enum Lookup {
    Found(u32),
    Vacant(usize),
}

impl Interner {
    /// Finds `bytes` (with hash `hash`); `contents(id)` yields the bytes of an interned id.
    pub fn lookup<'a>(
        &mut self,
        bytes: &[u8],
        hash: u64,
        contents: impl Fn(u32) -> Option<&'a LuaString>,
    ) -> Lookup {
        if (self.used + 1) * 8 > self.slots.len() * 7 {
            self.grow(&contents);
        }
        let mask = self.slots.len() - 1;
        let mut index = (hash as usize) & mask;
        let mut first_removed = None;
        loop {
            match self.slots[index] {
                EMPTY => return Lookup::Vacant(first_removed.unwrap_or(index)),
                REMOVED => {
                    first_removed.get_or_insert(index);
                }
                id => {
                    if let Some(s) = contents(id) {
                        if s.hash == hash && &*s.bytes == bytes {
                            return Lookup::Found(id);
                        }
                    }
                }
            }
            index = (index + 1) & mask;
        }
    }

    /// Finds `bytes` without inserting (no side effects).
    pub fn find<'a>(
        &self,
        bytes: &[u8],
        hash: u64,
        contents: impl Fn(u32) -> Option<&'a LuaString>,
    ) -> Option<u32> {
        if self.slots.is_empty() {
            return None;
        }
        let mask = self.slots.len() - 1;
        let mut index = (hash as usize) & mask;
        for _ in 0..self.slots.len() {
            match self.slots[index] {
                EMPTY => return None,
                REMOVED => {}
                id => {
                    if let Some(s) = contents(id) {
                        if s.hash == hash && &*s.bytes == bytes {
                            return Some(id);
                        }
                    }
                }
            }
            index = (index + 1) & mask;
        }
        None
    }

    /// Records `id` in the vacant slot returned by `lookup` (no allocation may happen between
    /// the two calls).
    pub fn insert_at(&mut self, slot: usize, id: u32) {
        if let Some(entry) = self.slots.get_mut(slot) {
            if *entry == EMPTY {
                self.used += 1;
            }
            *entry = id;
            self.live += 1;
        }
    }

    /// Forgets a string that is being freed by the collector.
    pub fn remove(&mut self, id: u32, hash: u64) {
        if self.slots.is_empty() {
            return;
        }
        let mask = self.slots.len() - 1;
        let mut index = (hash as usize) & mask;
        for _ in 0..self.slots.len() {
            match self.slots[index] {
                EMPTY => return,
                entry if entry == id => {
                    self.slots[index] = REMOVED;
                    self.live -= 1;
                    return;
                }
                _ => index = (index + 1) & mask,
            }
        }
    }

    fn grow<'a>(&mut self, contents: &impl Fn(u32) -> Option<&'a LuaString>) {
        let wanted = ((self.live + 1) * 2).next_power_of_two().max(64);
        let old = std::mem::replace(&mut self.slots, vec![EMPTY; wanted]);
        let mask = wanted - 1;
        for id in old {
            if id == EMPTY || id == REMOVED {
                continue;
            }
            let Some(s) = contents(id) else { continue };
            let mut index = (s.hash as usize) & mask;
            while self.slots[index] != EMPTY {
                index = (index + 1) & mask;
            }
            self.slots[index] = id;
        }
        self.used = self.live;
    }
}

impl LuaString {
    pub fn new(bytes: Rc<[u8]>, hash: u64) -> Self {
        LuaString { bytes, hash }
    }
}
