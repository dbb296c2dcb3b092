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

/// Why the VM is being described.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Purpose {
    /// A snapshot: everything, and userdata of unregistered types is an error.
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
    /// Reads a whole VM, validating everything (see the module documentation). Host
    /// functions come back as placeholders until rehydrated.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Vm::restore(deserializer)
    }
}

impl Vm {
    /// Without the `serde` feature nothing deserializes a VM, but the code stays compiled
    /// (and checked) so that both configurations build the same snapshot format.
    #[cfg_attr(not(feature = "serde"), allow(dead_code))]
    fn restore<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let record = VmRecord::deserialize(deserializer)?;
        if record.format != FORMAT {
            return Err(D::Error::custom(format!(
                "snapshot format {} is not supported (expected {FORMAT})",
                record.format
            )));
        }
        let heap = record.heap.build::<D::Error>()?;
        let events = EventNames::from_ids(record.events)
            .ok_or_else(|| D::Error::custom("wrong number of event names"))?;
        let mut vm = Vm::empty();
        vm.heap = heap;
        vm.thread = record.thread;
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
