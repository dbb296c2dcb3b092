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

/// The identity of a VM and of its clones. Every key remembers the lineage it was made in,
/// so a handle used with an unrelated VM (or a deserialized one) is rejected instead of
/// silently naming whatever object sits at the same index there. Only compared by address.
#[derive(Debug)]
pub(crate) struct Lineage;

/// Index and generation are `Cell`s only so that rehydration can point a handle at the
/// function it stands for (see `Vm::rehydrate`); nothing else changes them.
#[derive(Debug)]
pub(crate) struct RootKey {
    pub kind: ObjectKind,
    pub index: Cell<u32>,
    pub generation: Cell<u32>,
    pub lineage: Rc<Lineage>,
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
            && Rc::ptr_eq(&self.0.lineage, &other.0.lineage)
    }
}

impl Handle {
    /// A handle that no VM accepts (its lineage belongs to no VM). Returned instead of
    /// panicking in the practically impossible case that an arena is full.
    pub(crate) fn dangling(kind: ObjectKind) -> Handle {
        Handle(Rc::new(RootKey {
            kind,
            index: Cell::new(u32::MAX),
            generation: Cell::new(u32::MAX),
            lineage: Rc::new(Lineage),
        }))
    }
}

/// The VM side: weak references to every key handed out, and the VM's lineage. Cloned with
/// the VM (so handles stay valid in clones), never serialized (a deserialized VM starts a
/// new lineage).
#[derive(Clone)]
pub(crate) struct HostRoots {
    keys: Vec<Weak<RootKey>>,
    /// Length after the last pruning (prune again when the list doubles).
    pruned_len: usize,
    lineage: Rc<Lineage>,
}

impl Default for HostRoots {
    fn default() -> Self {
        HostRoots {
            keys: Vec::new(),
            pruned_len: 0,
            lineage: Rc::new(Lineage),
        }
    }
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
            lineage: Rc::clone(&self.host_roots.lineage),
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
        if !Rc::ptr_eq(&key.lineage, &self.host_roots.lineage)
            || self.generation_of(key.kind, key.index.get()) != Some(key.generation.get())
        {
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
    /// A Lua table held by the host. Like every handle, it keeps its object alive, is
    /// valid in the VM that made it and in every clone of that VM, and is rejected
    /// ([`RuntimeError::InvalidHandle`]) by any other VM, including deserialized copies.
    ///
    /// ```
    /// use red_moon::interpreter::{TableRef, Vm};
    ///
    /// let mut vm = Vm::default();
    /// let ctx = &mut vm.context();
    /// let t: TableRef = ctx.exec(b"return {x = 1}", "=example").unwrap();
    /// let mut copy = vm.clone();
    /// let copy_ctx = &mut copy.context();
    /// assert_eq!(t.get::<_, i64>("x", copy_ctx).unwrap(), 1);
    /// ```
    TableRef
);
handle_type!(
    /// A Lua or Rust function held by the host.
    ///
    /// ```
    /// use red_moon::interpreter::{FunctionRef, Vm};
    ///
    /// let mut vm = Vm::default();
    /// let ctx = &mut vm.context();
    /// let upper: FunctionRef = ctx.exec(b"return string.upper", "=example").unwrap();
    /// assert_eq!(upper.call::<_, String>("moon", ctx).unwrap(), "MOON");
    /// ```
    FunctionRef
);
handle_type!(
    /// A Lua string held by the host.
    ///
    /// ```
    /// use red_moon::interpreter::{StringRef, Vm};
    ///
    /// let mut vm = Vm::default();
    /// let ctx = &mut vm.context();
    /// let s: StringRef = ctx.exec(b"return 'a' .. 'b'", "=example").unwrap();
    /// assert_eq!(&*s.as_bytes(ctx).unwrap(), b"ab");
    /// ```
    StringRef
);
handle_type!(
    /// A coroutine held by the host.
    ///
    /// ```
    /// use red_moon::interpreter::{CoroutineRef, Vm};
    ///
    /// let mut vm = Vm::default();
    /// let ctx = &mut vm.context();
    /// let co: CoroutineRef = ctx
    ///     .exec(b"return coroutine.create(function() coroutine.yield(1) end)", "=example")
    ///     .unwrap();
    /// assert_eq!(co.resume::<_, i64>((), ctx).unwrap(), 1);
    /// ```
    CoroutineRef
);
handle_type!(
    /// A userdata held by the host.
    ///
    /// ```
    /// use red_moon::interpreter::{UserData, Vm};
    ///
    /// #[derive(Clone)]
    /// struct Score(u32);
    /// impl UserData for Score {}
    ///
    /// let mut vm = Vm::default();
    /// let ctx = &mut vm.context();
    /// let score = ctx.create_userdata(Score(3)).unwrap();
    /// assert_eq!(score.borrow::<Score>(ctx).unwrap().0, 3);
    /// ```
    UserDataRef
);
