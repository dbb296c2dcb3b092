//! Serialization of arenas: every live slot with its index, generation and colour, plus the
//! free list in reuse order, so a deserialized VM allocates exactly the ids the original
//! would have.

use crate::interpreter::heap::{Arena, Color, Storage};
use serde::de::{self, Deserialize, Deserializer, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeSeq, SerializeStruct, Serializer};
use std::fmt;
use std::marker::PhantomData;

/// Serializes an arena whose values are turned into serializable views by `view`.
pub(crate) struct ArenaView<'a, T: Storage, F> {
    pub arena: &'a Arena<T>,
    pub view: F,
}

/// An `ArenaView` whose `view` borrows from the arena's values.
pub(crate) fn arena_view<'a, T: Storage, V, F: Fn(&'a T) -> Result<V, String>>(
    arena: &'a Arena<T>,
    view: F,
) -> ArenaView<'a, T, F> {
    ArenaView { arena, view }
}

struct Slots<'a, 'b, T: Storage, F> {
    arena: &'a Arena<T>,
    view: &'b F,
}

impl<'a, T: Storage, F, V> Serialize for Slots<'a, '_, T, F>
where
    F: Fn(&'a T) -> Result<V, String>,
    V: Serialize,
{
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.arena.len()))?;
        for (index, value) in self.arena.iter() {
            let generation = self.arena.generation(index).unwrap_or(0);
            let color = self.arena.color(index);
            let value = (self.view)(value).map_err(serde::ser::Error::custom)?;
            seq.serialize_element(&(index, generation, color, value))?;
        }
        seq.end()
    }
}

impl<'a, T: Storage, F, V> Serialize for ArenaView<'a, T, F>
where
    F: Fn(&'a T) -> Result<V, String>,
    V: Serialize,
{
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut state = serializer.serialize_struct("Arena", 3)?;
        state.serialize_field("capacity", &self.arena.capacity())?;
        state.serialize_field("free", &FreeSlots(self.arena))?;
        state.serialize_field(
            "slots",
            &Slots {
                arena: self.arena,
                view: &self.view,
            },
        )?;
        state.end()
    }
}

/// The free list as `(index, generation)` pairs.
struct FreeSlots<'a, T: Storage>(&'a Arena<T>);

impl<T: Storage> Serialize for FreeSlots<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.free_slots())
    }
}

/// A deserialized arena before its values are converted to VM objects.
#[derive(serde::Deserialize)]
#[serde(bound(deserialize = "V: Deserialize<'de>"))]
pub(crate) struct ArenaParts<V> {
    pub capacity: u32,
    pub free: Vec<(u32, u32)>,
    #[serde(deserialize_with = "deserialize_slots")]
    pub slots: Vec<(u32, u32, Color, V)>,
}

fn deserialize_slots<'de, D, V>(deserializer: D) -> Result<Vec<(u32, u32, Color, V)>, D::Error>
where
    D: Deserializer<'de>,
    V: Deserialize<'de>,
{
    struct SlotsVisitor<V>(PhantomData<V>);
    impl<'de, V: Deserialize<'de>> Visitor<'de> for SlotsVisitor<V> {
        type Value = Vec<(u32, u32, Color, V)>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a sequence of arena slots")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            // Never trust the announced length for preallocation.
            let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
            while let Some(slot) = seq.next_element()? {
                out.push(slot);
            }
            Ok(out)
        }
    }
    deserializer.deserialize_seq(SlotsVisitor(PhantomData))
}

impl<V> ArenaParts<V> {
    /// Builds the arena, converting each value; fails on inconsistent indices.
    pub fn build<T: Storage, E: de::Error>(
        self,
        max_capacity: u32,
        mut convert: impl FnMut(u32, V) -> Result<T, E>,
    ) -> Result<Arena<T>, E> {
        if self.capacity > max_capacity {
            return Err(E::custom("arena capacity larger than the snapshot"));
        }
        let count = self.slots.len();
        let entries = self
            .slots
            .into_iter()
            .map(|(index, generation, color, value)| {
                Ok((index, generation, color, convert(index, value)?))
            });
        Arena::from_parts(self.capacity, count, entries, self.free)?
            .ok_or_else(|| E::custom("inconsistent arena slots"))
    }
}
