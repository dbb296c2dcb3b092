//! Host handles to heap objects: `TableRef`, `FunctionRef`, `StringRef`, `CoroutineRef`,
//! `UserDataRef`.
//!
//! A handle is an `Rc` to a small key (object kind, arena index, generation). The VM keeps
//! a `Weak` to every key it handed out and treats the objects of live keys as roots, so a
//! handle keeps its object alive until it is dropped. The VM's weak list is cloned with the
//! VM, so a handle stays valid (and keeps its object alive) in every clone.

use crate::errors::RuntimeError;
use crate::interpreter::heap::{ClosureId, NativeId, StringId, TableId, ThreadId, UserDataId};
use crate::interpreter::value::Value as RawValue;
use crate::interpreter::Vm;
use std::cell::Cell;
use std::fmt;
use std::rc::{Rc, Weak};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ObjectKind {
    String,
    Table,
    Closure,
    Native,
    UserData,
    Thread,
}

/// Index and generation are `Cell`s only so that rehydration can point a handle at the
/// function it stands for (see `Vm::rehydrate`); nothing else changes them.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct RootKey {
    pub kind: ObjectKind,
    pub index: Cell<u32>,
    pub generation: Cell<u32>,
}

/// The shared part of every handle type.
#[derive(Clone)]
pub(crate) struct Handle(pub(crate) Rc<RootKey>);

impl fmt::Debug for Handle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}#{}", self.0.kind, self.0.index.get())
    }
}

impl PartialEq for Handle {
    fn eq(&self, other: &Self) -> bool {
        self.0.kind == other.0.kind
            && self.0.index.get() == other.0.index.get()
            && self.0.generation.get() == other.0.generation.get()
    }
}

/// The VM side: weak references to every key handed out.
#[derive(Clone, Default)]
pub(crate) struct HostRoots {
    keys: Vec<Weak<RootKey>>,
    /// Length after the last pruning (prune again when the list doubles).
    pruned_len: usize,
}

impl HostRoots {
    fn add(&mut self, key: &Rc<RootKey>) {
        if self.keys.len() >= self.pruned_len.max(16) * 2 {
            self.prune();
        }
        self.keys.push(Rc::downgrade(key));
    }

    /// Drops entries whose handles are all gone.
    pub(crate) fn prune(&mut self) {
        self.keys.retain(|k| k.strong_count() > 0);
        self.pruned_len = self.keys.len();
    }

    /// The objects held by live handles.
    pub(crate) fn live(&self) -> impl Iterator<Item = (ObjectKind, u32)> + '_ {
        self.keys
            .iter()
            .filter_map(|k| k.upgrade().map(|k| (k.kind, k.index.get())))
    }
}

impl Vm {
    /// A handle for a heap value (`None` for nil, booleans and numbers).
    pub(crate) fn handle_for(&mut self, value: RawValue) -> Option<Handle> {
        let (kind, index) = match value {
            RawValue::String(id) => (ObjectKind::String, id.0),
            RawValue::Table(id) => (ObjectKind::Table, id.0),
            RawValue::Closure(id) => (ObjectKind::Closure, id.0),
            RawValue::Native(id) => (ObjectKind::Native, id.0),
            RawValue::UserData(id) => (ObjectKind::UserData, id.0),
            RawValue::Thread(id) => (ObjectKind::Thread, id.0),
            _ => return None,
        };
        let generation = self.generation_of(kind, index)?;
        let key = Rc::new(RootKey {
            kind,
            index: Cell::new(index),
            generation: Cell::new(generation),
        });
        self.host_roots.add(&key);
        Some(Handle(key))
    }

    fn generation_of(&self, kind: ObjectKind, index: u32) -> Option<u32> {
        let heap = &self.heap;
        match kind {
            ObjectKind::String => heap.strings.generation(index),
            ObjectKind::Table => heap.tables.generation(index),
            ObjectKind::Closure => heap.closures.generation(index),
            ObjectKind::Native => heap.natives.generation(index),
            ObjectKind::UserData => heap.userdata.generation(index),
            ObjectKind::Thread => heap.threads.generation(index),
        }
    }

    /// The raw value a handle refers to, checking that it belongs to this VM.
    pub(crate) fn resolve(&self, handle: &Handle) -> Result<RawValue, RuntimeError> {
        let key = &handle.0;
        if self.generation_of(key.kind, key.index.get()) != Some(key.generation.get()) {
            return Err(RuntimeError::InvalidHandle);
        }
        let i = key.index.get();
        Ok(match key.kind {
            ObjectKind::String => RawValue::String(StringId(i)),
            ObjectKind::Table => RawValue::Table(TableId(i)),
            ObjectKind::Closure => RawValue::Closure(ClosureId(i)),
            ObjectKind::Native => RawValue::Native(NativeId(i)),
            ObjectKind::UserData => RawValue::UserData(UserDataId(i)),
            ObjectKind::Thread => RawValue::Thread(ThreadId(i)),
        })
    }
}

macro_rules! handle_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq)]
        pub struct $name(pub(crate) Handle);
    };
}

handle_type!(
    /// A Lua table held by the host.
    TableRef
);
handle_type!(
    /// A Lua or Rust function held by the host.
    FunctionRef
);
handle_type!(
    /// A Lua string held by the host.
    StringRef
);
handle_type!(
    /// A coroutine held by the host.
    CoroutineRef
);
handle_type!(
    /// A userdata held by the host.
    UserDataRef
);
