//! Metamethod events and their pre-interned names.

use super::heap::{Heap, StringId};

/// Every event of manual §2.4 plus the other metafields the VM reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    Index,
    NewIndex,
    Gc,
    Mode,
    Len,
    Eq,
    Add,
    Sub,
    Mul,
    Mod,
    Pow,
    Div,
    IDiv,
    BAnd,
    BOr,
    BXor,
    Shl,
    Shr,
    Unm,
    BNot,
    Lt,
    Le,
    Concat,
    Call,
    Close,
    ToString,
    Name,
    Metatable,
    Pairs,
}

impl Event {
    pub const ALL: [Event; 29] = [
        Event::Index,
        Event::NewIndex,
        Event::Gc,
        Event::Mode,
        Event::Len,
        Event::Eq,
        Event::Add,
        Event::Sub,
        Event::Mul,
        Event::Mod,
        Event::Pow,
        Event::Div,
        Event::IDiv,
        Event::BAnd,
        Event::BOr,
        Event::BXor,
        Event::Shl,
        Event::Shr,
        Event::Unm,
        Event::BNot,
        Event::Lt,
        Event::Le,
        Event::Concat,
        Event::Call,
        Event::Close,
        Event::ToString,
        Event::Name,
        Event::Metatable,
        Event::Pairs,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Event::Index => "__index",
            Event::NewIndex => "__newindex",
            Event::Gc => "__gc",
            Event::Mode => "__mode",
            Event::Len => "__len",
            Event::Eq => "__eq",
            Event::Add => "__add",
            Event::Sub => "__sub",
            Event::Mul => "__mul",
            Event::Mod => "__mod",
            Event::Pow => "__pow",
            Event::Div => "__div",
            Event::IDiv => "__idiv",
            Event::BAnd => "__band",
            Event::BOr => "__bor",
            Event::BXor => "__bxor",
            Event::Shl => "__shl",
            Event::Shr => "__shr",
            Event::Unm => "__unm",
            Event::BNot => "__bnot",
            Event::Lt => "__lt",
            Event::Le => "__le",
            Event::Concat => "__concat",
            Event::Call => "__call",
            Event::Close => "__close",
            Event::ToString => "__tostring",
            Event::Name => "__name",
            Event::Metatable => "__metatable",
            Event::Pairs => "__pairs",
        }
    }
}

/// The interned names of all events, indexed by `Event as usize`. These strings are roots:
/// the collector never frees them.
#[derive(Clone, Debug)]
pub struct EventNames {
    ids: Vec<StringId>,
}

impl EventNames {
    pub fn new(heap: &mut Heap) -> Option<Self> {
        let ids = Event::ALL
            .iter()
            .map(|e| heap.intern(e.name().as_bytes()))
            .collect::<Option<Vec<_>>>()?;
        Some(EventNames { ids })
    }

    #[inline]
    pub fn get(&self, event: Event) -> StringId {
        self.ids[event as usize]
    }

    pub fn all(&self) -> &[StringId] {
        &self.ids
    }

    pub fn from_ids(ids: Vec<StringId>) -> Option<Self> {
        (ids.len() == Event::ALL.len()).then_some(EventNames { ids })
    }
}
