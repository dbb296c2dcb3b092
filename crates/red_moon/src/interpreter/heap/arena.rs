//! A typed arena: a vector of slots with a free list.
//!
//! Cloning an arena is what taking a rollback snapshot does, so it must be cheap. Each
//! object type chooses its `Storage`: objects whose clone would allocate (tables, threads)
//! are kept copy-on-write behind an `Rc`, so a clone bumps one reference count per object
//! and `get_mut` copies an object only while a snapshot still shares it (a game that
//! snapshots every frame pays for the objects it changed, not for the heap). Objects whose
//! clone is already a few reference-count bumps (strings, closures, upvalue cells) stay
//! inline and avoid the extra allocation and indirection; so do natives and userdata, whose
//! host values every clone must deep-copy (see `heap`). Mutation goes only through
//! `get_mut`, so clones stay independent either way.
//!
//! The generation and the collector's colour live in the slot, outside the shared object,
//! so marking never forces a copy. The generation is bumped when the slot is freed, so host
//! handles can detect a stale index.

use std::ops::Deref;

/// How an arena holds objects of a type (see the module documentation).
pub trait Storage: Sized {
    /// What a slot holds: `Rc<Self>` (copy-on-write) or `Inline<Self>`.
    type Cell: Clone + Deref<Target = Self>;
    fn store(self) -> Self::Cell;
    /// Write access, copying a shared object first.
    fn make_mut(cell: &mut Self::Cell) -> &mut Self;
}

/// An object stored directly in its slot.
#[derive(Clone, Debug)]
pub struct Inline<T>(T);

impl<T> Deref for Inline<T> {
    type Target = T;
    #[inline]
    fn deref(&self) -> &T {
        &self.0
    }
}

/// Declares that `Arena`s keep objects of these types copy-on-write behind an `Rc`.
macro_rules! shared_storage {
    ($($t:ty),* $(,)?) => {$(
        impl $crate::interpreter::heap::arena::Storage for $t {
            type Cell = std::rc::Rc<$t>;
            #[inline]
            fn store(self) -> Self::Cell {
                std::rc::Rc::new(self)
            }
            #[inline]
            fn make_mut(cell: &mut Self::Cell) -> &mut Self {
                std::rc::Rc::make_mut(cell)
            }
        }
    )*};
}

/// Declares that `Arena`s keep objects of these types inline (their clone is cheap).
macro_rules! inline_storage {
    ($($t:ty),* $(,)?) => {$(
        impl $crate::interpreter::heap::arena::Storage for $t {
            type Cell = $crate::interpreter::heap::arena::Inline<$t>;
            #[inline]
            fn store(self) -> Self::Cell {
                $crate::interpreter::heap::arena::Inline::new(self)
            }
            #[inline]
            fn make_mut(cell: &mut Self::Cell) -> &mut Self {
                cell.get_mut()
            }
        }
    )*};
}

pub(crate) use {inline_storage, shared_storage};

impl<T> Inline<T> {
    #[inline]
    pub fn new(value: T) -> Self {
        Inline(value)
    }

    #[inline]
    pub fn get_mut(&mut self) -> &mut T {
        &mut self.0
    }
}

/// Collector colour of a slot (see `gc`). There are two whites: at the end of marking the
/// collector swaps which one means "not reached", so objects created while it sweeps (which
/// get the new white) are not mistaken for garbage.
#[derive(serde::Serialize, serde::Deserialize, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Color {
    #[default]
    WhiteA,
    WhiteB,
    /// Reachable, children not yet traversed.
    Gray,
    /// Reachable and traversed.
    Black,
}

impl Color {
    #[inline]
    pub fn is_white(self) -> bool {
        matches!(self, Color::WhiteA | Color::WhiteB)
    }

    /// The other white.
    pub fn flipped(self) -> Color {
        match self {
            Color::WhiteA => Color::WhiteB,
            _ => Color::WhiteA,
        }
    }
}

struct Slot<T: Storage> {
    value: Option<T::Cell>,
    generation: u32,
    color: Color,
}

// By hand: a derive would require `T: Clone`, but only the cell is cloned.
impl<T: Storage> Clone for Slot<T> {
    fn clone(&self) -> Self {
        Slot {
            value: self.value.clone(),
            generation: self.generation,
            color: self.color,
        }
    }
}

/// A vector of `T` slots addressed by `u32` index.
pub struct Arena<T: Storage> {
    slots: Vec<Slot<T>>,
    /// Indices of free slots; reused last-in first-out so allocation is deterministic.
    free: Vec<u32>,
    live: usize,
    /// The most recent allocation `(index, appended)` while it can still be undone exactly
    /// (see `undo_allocation`). Not part of a snapshot.
    newest: Option<(u32, bool)>,
}

impl<T: Storage> Clone for Arena<T> {
    fn clone(&self) -> Self {
        Arena {
            slots: self.slots.clone(),
            free: self.free.clone(),
            live: self.live,
            newest: self.newest,
        }
    }

    /// Reuses this arena's vectors (a rollback into an existing VM).
    fn clone_from(&mut self, source: &Self) {
        let Arena {
            slots,
            free,
            live,
            newest,
        } = source;
        self.slots.clone_from(slots);
        self.free.clone_from(free);
        self.live = *live;
        self.newest = *newest;
    }
}

impl<T: Storage> std::fmt::Debug for Arena<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Arena")
            .field("live", &self.live)
            .field("capacity", &self.slots.len())
            .finish()
    }
}

impl<T: Storage> Default for Arena<T> {
    fn default() -> Self {
        Arena {
            slots: Vec::new(),
            free: Vec::new(),
            live: 0,
            newest: None,
        }
    }
}

impl<T: Storage> Arena<T> {
    /// Stores `value` and returns its index. Fails only when the index space is exhausted.
    pub fn allocate(&mut self, value: T, color: Color) -> Option<u32> {
        let value = value.store();
        if let Some(&index) = self.free.last() {
            let slot = self.slots.get_mut(index as usize)?;
            self.free.pop();
            slot.value = Some(value);
            slot.color = color;
            self.live += 1;
            self.newest = Some((index, false));
            return Some(index);
        }
        let index = u32::try_from(self.slots.len())
            .ok()
            .filter(|&i| i < u32::MAX)?;
        self.slots.push(Slot {
            value: Some(value),
            generation: 0,
            color,
        });
        self.live += 1;
        self.newest = Some((index, true));
        Some(index)
    }

    /// Takes back the most recent allocation if it was at `index` and nothing was
    /// allocated or freed in this arena since, leaving the arena exactly as before it
    /// (same free list, same generations). Returns whether it did.
    pub fn undo_allocation(&mut self, index: u32) -> bool {
        let Some((newest, appended)) = self.newest else {
            return false;
        };
        if newest != index {
            return false;
        }
        if appended {
            if self.slots.len() != index as usize + 1 {
                return false;
            }
            self.slots.pop();
        } else {
            let Some(slot) = self.slots.get_mut(index as usize) else {
                return false;
            };
            slot.value = None;
            slot.color = Color::WhiteA;
            self.free.push(index);
        }
        self.live -= 1;
        self.newest = None;
        true
    }

    #[inline]
    pub fn get(&self, index: u32) -> Option<&T> {
        self.slots.get(index as usize)?.value.as_deref()
    }

    /// Another reference to the object at `index` — a reference-count bump for shared
    /// storage — so it can be read while the rest of the heap is borrowed mutably (the
    /// collector marks through it). Reading this way never copies a shared object.
    #[inline]
    pub fn share(&self, index: u32) -> Option<T::Cell> {
        self.slots.get(index as usize)?.value.clone()
    }

    /// Removes the object at `index`, returning it (it may still be shared with a snapshot).
    /// The slot's generation changes so handles to the old object no longer match.
    pub fn free(&mut self, index: u32) -> Option<T::Cell> {
        let slot = self.slots.get_mut(index as usize)?;
        let value = slot.value.take()?;
        slot.generation = slot.generation.wrapping_add(1);
        slot.color = Color::WhiteA;
        self.free.push(index);
        self.live -= 1;
        self.newest = None;
        Some(value)
    }

    pub fn generation(&self, index: u32) -> Option<u32> {
        let slot = self.slots.get(index as usize)?;
        slot.value.as_ref().map(|_| slot.generation)
    }

    #[inline]
    pub fn color(&self, index: u32) -> Color {
        self.slots
            .get(index as usize)
            .map_or(Color::Black, |slot| slot.color)
    }

    #[inline]
    pub fn set_color(&mut self, index: u32, color: Color) {
        if let Some(slot) = self.slots.get_mut(index as usize) {
            slot.color = color;
        }
    }

    /// Number of live objects.
    pub fn len(&self) -> usize {
        self.live
    }

    /// One past the highest index ever allocated (sweeps walk `0..capacity()`).
    pub fn capacity(&self) -> u32 {
        self.slots.len() as u32
    }

    /// Whether `index` holds a live object.
    pub fn contains(&self, index: u32) -> bool {
        self.get(index).is_some()
    }

    /// Live objects with their indices, in index order.
    pub fn iter(&self) -> impl Iterator<Item = (u32, &T)> {
        self.slots
            .iter()
            .enumerate()
            .filter_map(|(i, slot)| slot.value.as_deref().map(|v| (i as u32, v)))
    }

    /// The sweep's scan: from slot `start`, looks at up to `budget` slots; each live object
    /// of the old white (the flip of `alive`, the colour of the current cycle's new objects)
    /// has its index pushed on `found_dead`, every other live object is repainted `alive`.
    /// Returns the index after the last slot looked at.
    pub fn sweep_scan(
        &mut self,
        start: u32,
        budget: usize,
        alive: Color,
        found_dead: &mut Vec<u32>,
    ) -> u32 {
        let dead = alive.flipped();
        let start = (start as usize).min(self.slots.len());
        let end = start.saturating_add(budget).min(self.slots.len());
        let Some(slots) = self.slots.get_mut(start..end) else {
            return start as u32;
        };
        for (offset, slot) in slots.iter_mut().enumerate() {
            if slot.value.is_none() {
                continue;
            }
            if slot.color == dead {
                found_dead.push((start + offset) as u32);
            } else {
                slot.color = alive;
            }
        }
        end as u32
    }

    /// Re-creates an arena from serialized parts: `entries` yields `(index, generation,
    /// colour, value)` for `entry_count` live slots. Returns `None` unless every index below
    /// `capacity` is exactly once either an entry or on the free list (so `capacity` is
    /// bounded by what was actually read), or when `entries` fails.
    pub fn from_parts<E>(
        capacity: u32,
        entry_count: usize,
        entries: impl Iterator<Item = Result<(u32, u32, Color, T), E>>,
        free_order: Vec<(u32, u32)>,
    ) -> Result<Option<Self>, E> {
        if entry_count.checked_add(free_order.len()) != Some(capacity as usize) {
            return Ok(None);
        }
        let mut slots: Vec<Slot<T>> = Vec::new();
        slots.resize_with(capacity as usize, || Slot {
            value: None,
            generation: 0,
            color: Color::WhiteA,
        });
        let mut live = 0;
        for entry in entries {
            let (index, generation, color, value) = entry?;
            let Some(slot) = slots.get_mut(index as usize) else {
                return Ok(None);
            };
            if slot.value.is_some() {
                return Ok(None);
            }
            *slot = Slot {
                value: Some(value.store()),
                generation,
                color,
            };
            live += 1;
        }
        let mut seen = vec![false; capacity as usize];
        let mut free = Vec::with_capacity(free_order.len());
        for (index, generation) in free_order {
            let Some(slot) = slots.get_mut(index as usize) else {
                return Ok(None);
            };
            let Some(seen) = seen.get_mut(index as usize) else {
                return Ok(None);
            };
            if slot.value.is_some() || std::mem::replace(seen, true) {
                return Ok(None);
            }
            slot.generation = generation;
            free.push(index);
        }
        if live != entry_count {
            return Ok(None);
        }
        Ok(Some(Arena {
            slots,
            free,
            live,
            newest: None,
        }))
    }

    /// The free slots with their generations, in reuse order (for serialization: the
    /// generation a slot will have when reused is part of the state).
    pub fn free_slots(&self) -> impl Iterator<Item = (u32, u32)> + '_ {
        self.free.iter().map(|&index| {
            let generation = self
                .slots
                .get(index as usize)
                .map_or(0, |slot| slot.generation);
            (index, generation)
        })
    }
}

impl<T: Storage> Arena<T> {
    /// The object at `index` for writing; copies it first if a snapshot shares it.
    #[inline]
    pub fn get_mut(&mut self, index: u32) -> Option<&mut T> {
        self.slots
            .get_mut(index as usize)?
            .value
            .as_mut()
            .map(T::make_mut)
    }
}
