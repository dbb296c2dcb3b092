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

/// One slot of the intern index: a string id (or `EMPTY` / `REMOVED`) and the high half
/// of its hash, so a probe rejects most other strings without loading them from the arena.
#[derive(Clone, Copy, Debug)]
struct Slot {
    id: u32,
    tag: u32,
}

const EMPTY_SLOT: Slot = Slot { id: EMPTY, tag: 0 };

fn tag_of(hash: u64) -> u32 {
    (hash >> 32) as u32
}

/// Open-addressing index from content to string id. The table stores ids only; comparing
/// contents needs the string arena, passed in by the caller.
///
/// Linear probing stays fast only well below full: the index is rebuilt when live entries
/// plus `REMOVED` markers would pass half the slots (a workload that makes and drops many
/// strings, such as building a long string piece by piece, leaves many markers).
#[derive(Clone, Debug, Default)]
pub struct Interner {
    slots: Vec<Slot>,
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
        if (self.used + 1) * 2 > self.slots.len() {
            self.grow(&contents);
        }
        let mask = self.slots.len() - 1;
        let tag = tag_of(hash);
        let mut index = (hash as usize) & mask;
        let mut first_removed = None;
        loop {
            let slot = self.slots[index];
            match slot.id {
                EMPTY => return Lookup::Vacant(first_removed.unwrap_or(index)),
                REMOVED => {
                    first_removed.get_or_insert(index);
                }
                id if slot.tag == tag => {
                    if let Some(s) = contents(id) {
                        if s.hash == hash && &*s.bytes == bytes {
                            return Lookup::Found(id);
                        }
                    }
                }
                _ => {}
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
        let tag = tag_of(hash);
        let mut index = (hash as usize) & mask;
        for _ in 0..self.slots.len() {
            let slot = self.slots[index];
            match slot.id {
                EMPTY => return None,
                REMOVED => {}
                id if slot.tag == tag => {
                    if let Some(s) = contents(id) {
                        if s.hash == hash && &*s.bytes == bytes {
                            return Some(id);
                        }
                    }
                }
                _ => {}
            }
            index = (index + 1) & mask;
        }
        None
    }

    /// Records `id` (whose hash is `hash`) in the vacant slot returned by `lookup` (no
    /// allocation may happen between the two calls).
    pub fn insert_at(&mut self, slot: usize, id: u32, hash: u64) {
        if let Some(entry) = self.slots.get_mut(slot) {
            if entry.id == EMPTY {
                self.used += 1;
            }
            *entry = Slot {
                id,
                tag: tag_of(hash),
            };
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
            match self.slots[index].id {
                EMPTY => return,
                entry if entry == id => {
                    self.slots[index].id = REMOVED;
                    self.live -= 1;
                    return;
                }
                _ => index = (index + 1) & mask,
            }
        }
    }

    /// Rebuilds the index without `REMOVED` markers, at most a quarter full.
    fn grow<'a>(&mut self, contents: &impl Fn(u32) -> Option<&'a LuaString>) {
        let wanted = ((self.live + 1) * 4).next_power_of_two().max(64);
        let old = std::mem::replace(&mut self.slots, vec![EMPTY_SLOT; wanted]);
        let mask = wanted - 1;
        for slot in old {
            if slot.id == EMPTY || slot.id == REMOVED {
                continue;
            }
            let Some(s) = contents(slot.id) else { continue };
            let mut index = (s.hash as usize) & mask;
            while self.slots[index].id != EMPTY {
                index = (index + 1) & mask;
            }
            self.slots[index] = slot;
        }
        self.used = self.live;
    }
}

impl LuaString {
    pub fn new(bytes: Rc<[u8]>, hash: u64) -> Self {
        LuaString { bytes, hash }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Interns through `lookup`/`insert_at` the way `Heap::intern` does, with a plain
    /// vector as the arena.
    fn intern(interner: &mut Interner, arena: &mut Vec<LuaString>, bytes: &[u8]) -> u32 {
        let hash = hash_bytes(bytes, 7);
        let found = interner.lookup(bytes, hash, |id| arena.get(id as usize));
        match found {
            Lookup::Found(id) => id,
            Lookup::Vacant(slot) => {
                let id = arena.len() as u32;
                arena.push(LuaString::new(Rc::from(bytes), hash));
                interner.insert_at(slot, id, hash);
                id
            }
        }
    }

    #[test]
    fn equal_contents_share_an_id_across_growth_and_removal() {
        let mut interner = Interner::default();
        let mut arena = Vec::new();
        let ids: Vec<u32> = (0..1000)
            .map(|i| intern(&mut interner, &mut arena, format!("s{i}").as_bytes()))
            .collect();
        for (i, &id) in ids.iter().enumerate() {
            assert_eq!(
                intern(&mut interner, &mut arena, format!("s{i}").as_bytes()),
                id
            );
        }
        assert_eq!(arena.len(), 1000);
        // Remove the even ones: they are gone, the odd ones stay found.
        for &id in ids.iter().step_by(2) {
            interner.remove(id, arena[id as usize].hash());
        }
        for (i, &id) in ids.iter().enumerate() {
            let bytes = format!("s{i}");
            let hash = hash_bytes(bytes.as_bytes(), 7);
            let found = interner.find(bytes.as_bytes(), hash, |id| arena.get(id as usize));
            assert_eq!(found, (i % 2 == 1).then_some(id));
        }
        // The index stays at most half full, removal markers included.
        assert!(interner.used * 2 <= interner.slots.len());
    }
}
