//! Serialization of a whole VM with serde (feature `serde`).
//!
//! Everything a script can observe is saved: the heap with every arena's slot layout and
//! free list (so ids allocated later are the same), tables with their exact traversal order,
//! closures and prototypes, coroutines suspended anywhere, a paused call, the collector's
//! state, the random generator, fuel and limits. Host-side things are not: host handles,
//! app data, open files, and the implementations of host functions, which are re-attached
//! by tag after deserialization (`FunctionRef::rehydrate`).
//!
//! A VM can be serialized at rest or while a call is paused (out of fuel), never from
//! inside a running host function.
//!
//! Deserializing untrusted bytes is safe: every count is read before anything is allocated
//! for it, every prototype's bytecode is verified, and every reference between objects is
//! checked (`validate`), so a deserialized VM upholds the invariants the interpreter relies
//! on. Malformed input is an error, never a panic.

mod arena;
mod bytes;
mod digest;
mod heap;
mod validate;

use crate::interpreter::gc::Collector;
use crate::interpreter::heap::{StringId, TableId, ThreadId};
use crate::interpreter::metamethod::EventNames;
use crate::interpreter::thread::ThreadState;
use crate::interpreter::value::Value;
use crate::interpreter::vm::{LibraryCache, Limits};
use crate::interpreter::Vm;
use crate::stdlib::math::RandomState;
use crate::stdlib::os::TimeSource;
use serde::de::Error as _;
use serde::ser::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Who wrote the snapshot being read.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Trust {
    /// Anyone, a hostile peer included: the snapshot may only hold what a sandboxed VM
    /// holds (safe library functions, text chunks only, a host-chosen clock), so receiving
    /// it cannot hand a script io, os, debug or file access.
    Peer,
    /// The host itself (`Vm::deserialize_trusted`): everything is accepted.
    Host,
}

impl Trust {
    /// The library function a snapshot names, if this trust level allows it.
    fn builtin<E: serde::de::Error>(
        self,
        id: &str,
    ) -> Result<&'static crate::interpreter::native::Builtin, E> {
        use crate::stdlib::registry::{builtin_by_id, Access};
        match builtin_by_id(id) {
            None => Err(E::custom(format!("unknown library function '{id}'"))),
            Some((_, Access::Host)) if self == Trust::Peer => Err(E::custom(format!(
                "snapshot holds the host-only library function '{id}' \
                 (only Vm::deserialize_trusted accepts it)"
            ))),
            Some((builtin, _)) => Ok(builtin),
        }
    }

    /// Host settings a snapshot carries that only a trusted one may turn on.
    fn check_settings<E: serde::de::Error>(self, record: &VmRecord) -> Result<(), E> {
        if self == Trust::Host {
            return Ok(());
        }
        if record.binary_chunks {
            return Err(E::custom(
                "snapshot enables binary chunks (only Vm::deserialize_trusted accepts it)",
            ));
        }
        if matches!(record.time_source, TimeSource::System) {
            return Err(E::custom(
                "snapshot uses the system clock (only Vm::deserialize_trusted accepts it)",
            ));
        }
        Ok(())
    }
}

/// Why the VM is being described.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Purpose {
    /// A snapshot: everything, and userdata of unregistered types is an error.
    #[cfg_attr(not(feature = "serde"), allow(dead_code))]
    Snapshot,
    /// The state digest: the host's fuel budget is left out (peers may pause at different
    /// points and still agree), and unregistered userdata contributes its type name only.
    Digest,
}

struct HeapField<'a>(&'a Vm, Purpose);

impl Serialize for HeapField<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let HeapField(vm, purpose) = *self;
        heap::serialize_heap(
            &vm.heap,
            &|u| match vm.encode_userdata(u) {
                Err(_) if purpose == Purpose::Digest => {
                    Ok((u.value.type_name().to_string(), Vec::new()))
                }
                other => other,
            },
            serializer,
        )
    }
}

#[derive(Serialize)]
struct VmRecordRef<'a> {
    format: u32,
    heap: HeapField<'a>,
    thread: &'a ThreadState,
    current_thread: ThreadId,
    main_thread: ThreadId,
    resumers: &'a [ThreadId],
    registry: TableId,
    globals: TableId,
    loaded: TableId,
    events: &'a [StringId],
    type_metatables: [Option<TableId>; 8],
    fuel: i64,
    fuel_bank: i64,
    trap_armed: bool,
    limits: &'a Limits,
    warnings_on: bool,
    paused: bool,
    host_call_base: u64,
    random: &'a RandomState,
    default_seed: (i64, i64),
    gc: &'a Collector,
    library_cache: &'a LibraryCache,
    time_source: &'a TimeSource,
    binary_chunks: bool,
    read_only: Vec<TableId>,
}

#[derive(Deserialize)]
struct VmRecord {
    format: u32,
    heap: heap::HeapRecord,
    thread: ThreadState,
    current_thread: ThreadId,
    main_thread: ThreadId,
    resumers: Vec<ThreadId>,
    registry: TableId,
    globals: TableId,
    loaded: TableId,
    events: Vec<StringId>,
    type_metatables: [Option<TableId>; 8],
    fuel: i64,
    fuel_bank: i64,
    trap_armed: bool,
    limits: Limits,
    warnings_on: bool,
    paused: bool,
    host_call_base: u64,
    random: RandomState,
    default_seed: (i64, i64),
    gc: Collector,
    library_cache: LibraryCache,
    time_source: TimeSource,
    binary_chunks: bool,
    read_only: Vec<TableId>,
}

/// Version of the snapshot layout; bumped on any incompatible change.
const FORMAT: u32 = 1;

impl Vm {
    /// Whether the VM is at rest or paused: the states that can be serialized or digested.
    /// Inside a running host function the Rust stack holds state no snapshot can describe.
    pub(crate) fn is_between_steps(&self) -> bool {
        (self.thread.frames.is_empty() || self.paused) && self.native_depth == 0
    }

    fn serialize_with<S: Serializer>(
        &self,
        serializer: S,
        purpose: Purpose,
    ) -> Result<S::Ok, S::Error> {
        if !self.is_between_steps() {
            return Err(S::Error::custom(
                "a VM can only be serialized at rest or while a call is paused",
            ));
        }
        VmRecordRef {
            format: FORMAT,
            heap: HeapField(self, purpose),
            thread: &self.thread,
            current_thread: self.current_thread,
            main_thread: self.main_thread,
            resumers: &self.resumers,
            registry: self.registry,
            globals: self.globals,
            loaded: self.loaded,
            events: self.events.all(),
            type_metatables: self.type_metatables,
            fuel: if purpose == Purpose::Digest {
                0
            } else {
                self.fuel
            },
            fuel_bank: if purpose == Purpose::Digest {
                0
            } else {
                self.fuel_bank
            },
            trap_armed: self.trap_armed,
            limits: &self.limits,
            warnings_on: self.warnings_on,
            paused: self.paused,
            host_call_base: self.host_call_base as u64,
            random: &self.random,
            default_seed: self.default_seed,
            gc: &self.gc,
            library_cache: &self.library_cache,
            time_source: &self.time_source,
            binary_chunks: self.binary_chunks,
            read_only: self.read_only.tables(),
        }
        .serialize(serializer)
    }
}

#[cfg(feature = "serde")]
impl Serialize for Vm {
    /// Writes the whole VM. Fails inside a running host function, and for userdata whose
    /// type was not registered for serialization.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.serialize_with(serializer, Purpose::Snapshot)
    }
}

#[cfg(feature = "serde")]
impl<'de> Deserialize<'de> for Vm {
    /// Reads a whole VM from bytes that may come from anyone, validating everything (see
    /// the module documentation). Host functions come back as placeholders until
    /// rehydrated.
    ///
    /// A snapshot read this way may only hold what a sandboxed VM holds: a library function
    /// that reaches the host (io, os beyond the clock, debug, file loading, the file
    /// searchers of `require`), enabled binary chunks or the system clock make it fail, so
    /// a peer cannot hand such powers to scripts. Snapshots of a VM that uses them are read
    /// with [`Vm::deserialize_trusted`].
    ///
    /// The snapshot's limits and fuel are part of the game state and are kept; a host that
    /// does not trust the sender's limits sets its own with [`Vm::set_limits`] and
    /// `VmContext::set_fuel`.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Vm::restore(deserializer, Trust::Peer)
    }
}

#[cfg(feature = "serde")]
impl Vm {
    /// Reads a VM from a snapshot the host wrote itself or got from an authority it
    /// trusts: like `Deserialize`, with every check on the data, but library functions
    /// that reach the host (io, os, debug, file loading), binary chunks and the system
    /// clock are accepted.
    ///
    /// ```
    /// use red_moon::interpreter::{Libraries, Vm};
    ///
    /// let mut vm = Vm::builder()
    ///     .libraries(Libraries::SAFE.union(Libraries::DEBUG))
    ///     .build()
    ///     .unwrap();
    /// vm.context().exec::<()>(b"reader = debug.getinfo", "=setup").unwrap();
    /// let bytes = postcard::to_allocvec(&vm).unwrap();
    ///
    /// // From a peer, debug is refused (formats that keep messages, such as bincode, say
    /// // "... only Vm::deserialize_trusted accepts it")...
    /// assert!(postcard::from_bytes::<Vm>(&bytes).is_err());
    /// // ...from the host's own storage it is accepted.
    /// let mut restored =
    ///     Vm::deserialize_trusted(&mut postcard::Deserializer::from_bytes(&bytes)).unwrap();
    /// let is_function: bool = restored
    ///     .context()
    ///     .exec(b"return type(reader) == 'function'", "=check")
    ///     .unwrap();
    /// assert!(is_function);
    /// ```
    pub fn deserialize_trusted<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vm, D::Error> {
        Vm::restore(deserializer, Trust::Host)
    }
}

impl Vm {
    /// Without the `serde` feature nothing deserializes a VM, but the code stays compiled
    /// (and checked) so that both configurations build the same snapshot format.
    #[cfg_attr(not(feature = "serde"), allow(dead_code))]
    fn restore<'de, D: Deserializer<'de>>(deserializer: D, trust: Trust) -> Result<Self, D::Error> {
        let record = VmRecord::deserialize(deserializer)?;
        if record.format != FORMAT {
            return Err(D::Error::custom(format!(
                "snapshot format {} is not supported (expected {FORMAT})",
                record.format
            )));
        }
        trust.check_settings::<D::Error>(&record)?;
        let heap = record.heap.build::<D::Error>(trust)?;
        let events = EventNames::from_ids(record.events)
            .ok_or_else(|| D::Error::custom("wrong number of event names"))?;
        let mut vm = Vm::empty();
        vm.heap = heap;
        vm.thread = Box::new(record.thread);
        vm.current_thread = record.current_thread;
        vm.main_thread = record.main_thread;
        vm.resumers = record.resumers;
        vm.registry = record.registry;
        vm.globals = record.globals;
        vm.loaded = record.loaded;
        vm.events = events;
        vm.type_metatables = record.type_metatables;
        vm.fuel = record.fuel;
        vm.fuel_bank = record.fuel_bank;
        vm.trap_armed = record.trap_armed;
        vm.limits = record.limits;
        vm.warnings_on = record.warnings_on;
        vm.paused = record.paused;
        vm.host_call_base = usize::try_from(record.host_call_base).map_err(D::Error::custom)?;
        vm.random = record.random;
        vm.default_seed = record.default_seed;
        vm.gc = record.gc;
        vm.library_cache = record.library_cache;
        vm.time_source = record.time_source;
        vm.binary_chunks = record.binary_chunks;
        vm.native_depth = 0;
        vm.validate().map_err(D::Error::custom)?;
        // After validation, so the flags can only name live tables.
        for table in record.read_only {
            vm.check_value(Value::Table(table))
                .map_err(D::Error::custom)?;
            vm.read_only.set(table, true);
        }
        Ok(vm)
    }
}
