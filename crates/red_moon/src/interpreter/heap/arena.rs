//! A typed arena: a vector of slots with a free list.
//!
//! All heap access goes through `allocate` / `get` / `get_mut` / `free`, so the storage can
//! later become copy-on-write chunks (cheap snapshots) without touching the rest of the VM.
//! Every slot carries a generation (bumped when the slot is freed) so that host handles can
//! detect a stale index, and the collector's mark.

/// Collector colour of a slot (see `gc`). There are two whites: at the end of marking the
/// collector swaps which one means "not reached", so objects created while it sweeps (which
/// get the new white) are not mistaken for garbage.
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
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

#[derive(Clone, Debug)]
struct Slot<T> {
    value: Option<T>,
    generation: u32,
    color: Color,
}

/// A vector of `T` slots addressed by `u32` index.
#[derive(Clone, Debug)]
pub struct Arena<T> {
    slots: Vec<Slot<T>>,
    /// Indices of free slots; reused last-in first-out so allocation is deterministic.
    free: Vec<u32>,
    live: usize,
}

impl<T> Default for Arena<T> {
    fn default() -> Self {
        Arena {
            slots: Vec::new(),
            free: Vec::new(),
            live: 0,
        }
    }
}

impl<T> Arena<T> {
    /// Stores `value` and returns its index. Fails only when the index space is exhausted.
    pub fn allocate(&mut self, value: T, color: Color) -> Option<u32> {
        self.live += 1;
        if let Some(index) = self.free.pop() {
            let slot = self.slots.get_mut(index as usize)?;
            slot.value = Some(value);
            slot.color = color;
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
        Some(index)
    }

    #[inline]
    pub fn get(&self, index: u32) -> Option<&T> {
        self.slots.get(index as usize)?.value.as_ref()
    }

    #[inline]
    pub fn get_mut(&mut self, index: u32) -> Option<&mut T> {
        self.slots.get_mut(index as usize)?.value.as_mut()
    }

    /// Removes the object at `index`, returning it. The slot's generation changes so handles
    /// to the old object no longer match.
    pub fn free(&mut self, index: u32) -> Option<T> {
        let slot = self.slots.get_mut(index as usize)?;
        let value = slot.value.take()?;
        slot.generation = slot.generation.wrapping_add(1);
        slot.color = Color::WhiteA;
        self.free.push(index);
        self.live -= 1;
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

    pub fn is_empty(&self) -> bool {
        self.live == 0
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
            .filter_map(|(i, slot)| slot.value.as_ref().map(|v| (i as u32, v)))
    }

    /// The colour of a live slot, `None` for a free slot (sweeping visits every index).
    #[inline]
    pub fn live_color(&self, index: u32) -> Option<Color> {
        let slot = self.slots.get(index as usize)?;
        slot.value.as_ref().map(|_| slot.color)
    }

    /// Re-creates an arena from serialized parts; `entries` are `(index, generation, colour,
    /// value)`. Returns `None` unless every index below `capacity` is exactly once either an
    /// entry or on the free list (so `capacity` is bounded by what was actually read).
    pub fn from_parts(capacity: u32, entries: Vec<(u32, u32, Color, T)>, free_order: Vec<u32>) -> Option<Self> {
        if entries.len().checked_add(free_order.len())? != capacity as usize {
            return None;
        }
        let mut slots: Vec<Slot<T>> = Vec::new();
        slots.resize_with(capacity as usize, || Slot {
            value: None,
            generation: 0,
            color: Color::WhiteA,
        });
        let live = entries.len();
        for (index, generation, color, value) in entries {
            let slot = slots.get_mut(index as usize)?;
            if slot.value.is_some() {
                return None;
            }
            *slot = Slot {
                value: Some(value),
                generation,
                color,
            };
        }
        let mut seen = vec![false; capacity as usize];
        for &index in &free_order {
            let slot = slots.get(index as usize)?;
            if slot.value.is_some() || std::mem::replace(seen.get_mut(index as usize)?, true) {
                return None;
            }
        }
        Some(Arena {
            slots,
            free: free_order,
            live,
        })
    }

    /// The free list, in reuse order (for serialization).
    pub fn free_list(&self) -> &[u32] {
        &self.free
    }
}
