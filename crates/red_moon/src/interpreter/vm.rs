//! The `Vm` value: the whole state of one Lua universe.
//!
//! Everything a script can observe or change is a field of `Vm` and is plain data (arena
//! indices, `Copy` values, immutable `Rc`s), so `Clone` yields an independent VM and serde can
//! describe it completely.

use super::heap::{Heap, StringId, TableId, ThreadId};
use super::metamethod::{Event, EventNames};
use super::table::Table;
use super::thread::{Thread, ThreadState, ThreadStatus};
use super::value::{LuaType, Value};
use super::{LuaError, LuaResult};

/// Limits that protect the host from hostile scripts.
#[derive(serde::Serialize, serde::Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Maximum number of stack slots per thread ("stack overflow").
    pub stack_slots: usize,
    /// Maximum nesting of Rust-level re-entry (natives calling Lua calling natives...),
    /// "C stack overflow" beyond it.
    pub native_depth: u32,
    /// Maximum length of a metamethod chain (`__index`/`__newindex` through tables).
    pub metamethod_chain: u32,
    /// Logical heap limit in bytes ("not enough memory" beyond it); `usize::MAX` = none.
    pub memory: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            stack_slots: 1_000_000,
            native_depth: 200,
            metamethod_chain: 2000,
            memory: usize::MAX,
        }
    }
}

/// A Lua virtual machine.
pub struct Vm {
    pub(crate) heap: Heap,
    /// State of the running thread (its heap slot holds a placeholder meanwhile).
    pub(crate) thread: Box<ThreadState>,
    pub(crate) current_thread: ThreadId,
    pub(crate) main_thread: ThreadId,
    /// Threads that resumed the current one, innermost last.
    pub(crate) resumers: Vec<ThreadId>,
    pub(crate) registry: TableId,
    pub(crate) globals: TableId,
    pub(crate) events: EventNames,
    /// Metatables of the non-table types (strings get the string library's).
    pub(crate) type_metatables: [Option<TableId>; 8],
    /// Remaining fuel (instruction budget). Execution pauses when it drops to 0 at a point
    /// where pausing is possible.
    pub(crate) fuel: i64,
    pub(crate) limits: Limits,
    /// Current depth of Rust-level re-entry.
    pub(crate) native_depth: u32,
    /// Values Rust code holds across calls that may collect garbage.
    pub(crate) gc_roots: Vec<Value>,
    /// Values moving between two threads' stacks (empty between operations).
    pub(crate) transfer: Vec<Value>,
    /// Reusable byte buffer for building strings (empty between operations).
    pub(crate) scratch: Vec<u8>,
    /// Whether `warn` messages are shown (`@on` / `@off`).
    pub(crate) warnings_on: bool,
    /// Objects held by host handles (roots).
    pub(crate) host_roots: super::api::HostRoots,
    /// A top-level host call is paused (out of fuel).
    pub(crate) paused: bool,
    /// Stack slot of the function of the current top-level host call.
    pub(crate) host_call_base: usize,
    /// Message and traceback of the last error that left the VM, for the host. Both are
    /// taken while the failing frames still exist, as lua.c's message handler does (an
    /// error object's `__tostring` may inspect the stack).
    pub(crate) last_traceback: Option<(String, String)>,
    /// `math.random` state.
    pub(crate) random: crate::stdlib::math::RandomState,
    /// Seed used by `math.randomseed()` without arguments (chosen by the host).
    pub(crate) default_seed: (i64, i64),
    /// `package.loaded` (registry `_LOADED`).
    pub(crate) loaded: TableId,
    /// The garbage collector's state.
    pub(crate) gc: super::gc::Collector,
    /// Library functions that must be the same value every time they are handed out.
    pub(crate) library_cache: LibraryCache,
    /// While a line or count hook is active, the real fuel (see `hooks`).
    pub(crate) fuel_bank: i64,
    pub(crate) trap_armed: bool,
    /// `ftransfer`/`ntransfer` of the call or return hook being run.
    pub(crate) hook_transfer: (i64, i64),
    /// Where the os library reads the time (host-chosen, plain data).
    pub(crate) time_source: crate::stdlib::os::TimeSource,
    /// Open files and process permission of the io/os libraries: host resources, shared
    /// by clones and not serialized.
    pub(crate) host_io: crate::stdlib::io::HostIo,
    /// Whether `load` accepts binary chunks (`Vm::set_binary_chunks`).
    pub(crate) binary_chunks: bool,
    /// Userdata types the host registered for serialization (host-side, not serialized).
    pub(crate) userdata_types: Vec<super::userdata::UserDataCodec>,
    /// Host-side state of the embedding API (app data, userdata classes): cloned with the
    /// VM, not serialized.
    pub(crate) api: super::api::ApiState,
    /// Tables scripts may not modify (`stdlib::sandbox`).
    pub(crate) read_only: crate::stdlib::sandbox::ReadOnlyTables,
    /// The interrupt switch the host asked this VM to watch (`Vm::set_interrupt`).
    pub(crate) interrupt_watch: super::interrupt::InterruptWatch,
}

// Cloning a VM is taking a rollback snapshot; `clone_from` rolls back into existing buffers.
super::clone_by_field!(Vm {
    heap,
    thread,
    current_thread,
    main_thread,
    resumers,
    registry,
    globals,
    events,
    type_metatables,
    fuel,
    limits,
    native_depth,
    gc_roots,
    transfer,
    scratch,
    warnings_on,
    host_roots,
    paused,
    host_call_base,
    last_traceback,
    random,
    default_seed,
    loaded,
    gc,
    library_cache,
    fuel_bank,
    trap_armed,
    hook_transfer,
    time_source,
    host_io,
    binary_chunks,
    userdata_types,
    api,
    read_only,
    interrupt_watch,
});

/// A summary: a VM's contents are objects in arenas, readable through handles.
impl std::fmt::Debug for Vm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vm")
            .field("memory_in_use", &self.heap.allocated)
            .field("paused", &self.paused)
            .finish_non_exhaustive()
    }
}

/// See `Vm::library_cache` (roots for the collector).
#[derive(serde::Serialize, serde::Deserialize, Clone, Debug, Default)]
pub(crate) struct LibraryCache {
    pub next: Value,
    pub ipairs_iterator: Value,
}

impl LibraryCache {
    pub(crate) fn values(&self) -> [Value; 2] {
        [self.next, self.ipairs_iterator]
    }
}

impl Vm {
    /// A VM with no libraries loaded: an empty global table.
    pub fn empty() -> Self {
        Self::try_empty().unwrap_or_else(|_| unreachable_vm())
    }

    fn try_empty() -> LuaResult<Self> {
        let mut heap = Heap::new(0x5EED_0F7A_B1E5);
        let oom = || LuaError::new(Value::Nil);
        let events = EventNames::new(&mut heap).ok_or_else(oom)?;
        let registry = heap.allocate_table(Table::new(2, 4)).ok_or_else(oom)?;
        let globals = heap.allocate_table(Table::new(0, 64)).ok_or_else(oom)?;
        let mut main = Thread::new();
        main.status = ThreadStatus::Running;
        let main_thread = heap.allocate_thread(main).ok_or_else(oom)?;
        let loaded = heap.allocate_table(Table::new(0, 16)).ok_or_else(oom)?;
        let mut vm = Vm {
            heap,
            thread: Box::default(),
            current_thread: main_thread,
            main_thread,
            resumers: Vec::new(),
            registry,
            globals,
            events,
            type_metatables: [None; 8],
            fuel: i64::MAX,
            limits: Limits::default(),
            native_depth: 0,
            gc_roots: Vec::new(),
            transfer: Vec::new(),
            scratch: Vec::new(),
            warnings_on: false,
            host_roots: Default::default(),
            paused: false,
            host_call_base: 0,
            last_traceback: None,
            random: crate::stdlib::math::RandomState::default(),
            default_seed: (0, 0),
            loaded,
            gc: Default::default(),
            library_cache: LibraryCache::default(),
            fuel_bank: 0,
            trap_armed: false,
            hook_transfer: (0, 0),
            time_source: Default::default(),
            host_io: Default::default(),
            binary_chunks: false,
            userdata_types: Vec::new(),
            api: Default::default(),
            read_only: Default::default(),
            interrupt_watch: Default::default(),
        };
        // Registry layout as in PUC: [1] = main thread, [2] = globals.
        vm.raw_set(registry, Value::Integer(1), Value::Thread(main_thread))?;
        vm.raw_set(registry, Value::Integer(2), Value::Table(globals))?;
        vm.raw_set_str(registry, "_LOADED", Value::Table(loaded))?;
        vm.raw_set_str(loaded, "_G", Value::Table(globals))?;
        Ok(vm)
    }

    /// The VM's limits.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Replaces the VM's limits.
    pub fn set_limits(&mut self, limits: Limits) {
        self.limits = limits;
    }

    /// Seeds `math.random` (as `math.randomseed(n1, n2)` would) and makes this the seed
    /// `math.randomseed()` without arguments uses.
    pub fn set_random_seed(&mut self, n1: i64, n2: i64) {
        self.default_seed = (n1, n2);
        self.random = crate::stdlib::math::RandomState::seeded(n1, n2);
    }

    /// The seed for `math.randomseed()` without arguments.
    pub(crate) fn next_default_seed(&mut self) -> (i64, i64) {
        self.default_seed
    }

    /// Charges fuel for work done inside a library function. The interpreter pauses at the
    /// next instruction boundary if the budget is spent; a native that keeps working past
    /// the overdraft limit fails instead of running unbounded.
    #[inline]
    pub(crate) fn charge_fuel(&mut self, amount: i64) -> LuaResult<()> {
        let remaining = self.remaining_fuel().saturating_sub(amount);
        self.set_remaining_fuel(remaining);
        if remaining <= -super::execute::FUEL_OVERDRAFT && !self.refill_unmetered() {
            // The debt stays until the next pause (see `out_of_fuel`), so catching this
            // error buys no more work.
            self.set_remaining_fuel(-super::execute::FUEL_OVERDRAFT);
            return Err(self.error_message("fuel exhausted inside a non-resumable call"));
        }
        Ok(())
    }

    /// Takes `amount` fuel without failing: for work done where an error cannot be raised
    /// (while building an error). The next instruction boundary or `charge_fuel` sees it.
    pub(crate) fn consume_fuel(&mut self, amount: i64) {
        let remaining = self.remaining_fuel().saturating_sub(amount);
        self.set_remaining_fuel(remaining);
    }

    /// Upvalue `index` of a native function.
    pub(crate) fn native_upvalue(&self, native: super::heap::NativeId, index: usize) -> Value {
        self.heap
            .natives
            .get(native.0)
            .and_then(|n| n.upvalues.get(index).copied())
            .unwrap_or(Value::Nil)
    }

    /// Turns `warn` output on or off (the `-W` flag of the standalone interpreter).
    pub fn set_warnings(&mut self, on: bool) {
        self.warnings_on = on;
    }

    // ----- strings -----

    /// Interns a string, raising "not enough memory" if the heap is exhausted.
    pub(crate) fn new_string(&mut self, bytes: &[u8]) -> LuaResult<Value> {
        self.check_memory(bytes.len())?;
        match self.heap.intern(bytes) {
            Some(id) => Ok(Value::String(id)),
            None => Err(self.out_of_memory()),
        }
    }

    pub(crate) fn string_bytes(&self, id: StringId) -> &[u8] {
        self.heap.string(id).unwrap_or(b"")
    }

    /// Fails with "not enough memory" when `extra` more bytes would exceed the limit.
    pub(crate) fn check_memory(&mut self, extra: usize) -> LuaResult<()> {
        if self.heap.allocated.saturating_add(extra) > self.limits.memory {
            return Err(self.out_of_memory());
        }
        Ok(())
    }

    /// Like `check_memory`, but when `extra` more bytes do not fit, first runs a full
    /// collection (an emergency collection, as PUC does when an allocation fails) and only
    /// then raises "not enough memory".
    ///
    /// Only for callers that hold no unrooted `Value` (see the rule in `gc`): a collection
    /// frees whatever is not reachable from the roots, and may run finalizers (Lua code).
    /// Library functions qualify when they call this before creating their result, since
    /// their arguments are on the stack. Inside a finalizer no collection runs (as for
    /// `collectgarbage`), so there the check is plain `check_memory`.
    pub(crate) fn reserve_memory(&mut self, extra: usize) -> LuaResult<()> {
        if self.heap.allocated.saturating_add(extra) <= self.limits.memory {
            return Ok(());
        }
        if !self.gc.in_finalizer {
            self.full_collection()?;
        }
        self.check_memory(extra)
    }

    pub(crate) fn out_of_memory(&mut self) -> LuaError {
        // The message string is interned up front so raising it never allocates.
        match self.heap.intern(b"not enough memory") {
            Some(id) => LuaError::new(Value::String(id)),
            None => LuaError::new(Value::Nil),
        }
    }

    // ----- tables -----

    pub(crate) fn new_table(&mut self, array: usize, hash: usize) -> LuaResult<TableId> {
        self.check_memory(array * 16 + hash * 32)?;
        match self.heap.allocate_table(Table::new(array, hash)) {
            Some(id) => Ok(id),
            None => Err(self.out_of_memory()),
        }
    }

    pub(crate) fn table(&self, id: TableId) -> LuaResult<&Table> {
        self.heap.tables.get(id.0).ok_or_else(corrupt_heap)
    }

    pub(crate) fn table_mut(&mut self, id: TableId) -> LuaResult<&mut Table> {
        self.heap.tables.get_mut(id.0).ok_or_else(corrupt_heap)
    }

    /// `rawset`, raising PUC's errors for nil and NaN keys.
    pub(crate) fn raw_set(&mut self, table: TableId, key: Value, value: Value) -> LuaResult<()> {
        if self.is_read_only(table) {
            return Err(self.read_only_error());
        }
        let t = self.heap.tables.get_mut(table.0).ok_or_else(corrupt_heap)?;
        // Overwriting an existing slot (the table library shuffling an array) changes no
        // size, so there is nothing to account.
        if t.store_existing(key, value) {
            return Ok(());
        }
        let before = t.memory_size();
        match t.set(key, value) {
            Ok(()) => {
                let after = t.memory_size();
                let accounted = self.account_table_growth(before, after);
                if accounted.is_err() {
                    // The value is stored even though the growth fails: callers skip their
                    // barrier on error, so it is applied here.
                    self.write_barrier_table(table, key, value);
                }
                accounted
            }
            Err(super::table::InvalidKey::Nil) => Err(self.runtime_error("table index is nil")),
            Err(super::table::InvalidKey::NaN) => Err(self.runtime_error("table index is NaN")),
        }
    }

    /// Accounts a table's change of size and, when it grew past the memory limit, raises
    /// "not enough memory". The table keeps its new size (it is consistent); the check comes
    /// after the resize because only the table knows when it rehashes, so a table can
    /// overshoot the limit by at most its own growth step.
    #[inline]
    pub(crate) fn account_table_growth(&mut self, before: usize, after: usize) -> LuaResult<()> {
        self.account_growth(before, after);
        if after > before && self.heap.allocated > self.limits.memory {
            return Err(self.out_of_memory());
        }
        Ok(())
    }

    #[inline]
    pub(crate) fn account_growth(&mut self, before: usize, after: usize) {
        if after >= before {
            self.heap.allocated += after - before;
        } else {
            self.heap.allocated = self.heap.allocated.saturating_sub(before - after);
        }
    }

    pub(crate) fn raw_get(&self, table: TableId, key: Value) -> Value {
        self.heap
            .tables
            .get(table.0)
            .map_or(Value::Nil, |t| t.get(key))
    }

    /// `rawget(t, "name")` for a Rust string key (interning it first).
    pub(crate) fn raw_get_str(&mut self, table: TableId, key: &str) -> LuaResult<Value> {
        let key = self.new_string(key.as_bytes())?;
        Ok(self.raw_get(table, key))
    }

    pub(crate) fn raw_set_str(&mut self, table: TableId, key: &str, value: Value) -> LuaResult<()> {
        let key = self.new_string(key.as_bytes())?;
        self.raw_set(table, key, value)
    }

    // ----- metatables -----

    pub(crate) fn metatable(&self, value: Value) -> Option<TableId> {
        match value {
            Value::Table(t) => self.heap.tables.get(t.0).and_then(|t| t.metatable),
            Value::UserData(u) => self.heap.userdata.get(u.0).and_then(|u| u.metatable),
            other => self.type_metatables[type_slot(other.lua_type())],
        }
    }

    pub(crate) fn set_type_metatable(&mut self, ty: LuaType, metatable: Option<TableId>) {
        self.type_metatables[type_slot(ty)] = metatable;
    }

    /// The metamethod for `event` of `value`, or nil.
    #[inline]
    pub(crate) fn metamethod(&self, value: Value, event: Event) -> Value {
        match self.metatable(value) {
            Some(mt) => self.raw_get(mt, Value::String(self.events.get(event))),
            None => Value::Nil,
        }
    }

    // ----- the running thread's stack -----

    /// Pushes a value at `top` (natives use this to return results).
    #[inline]
    pub(crate) fn push(&mut self, value: Value) -> LuaResult<()> {
        let top = self.thread.top;
        if top < self.thread.stack.len() {
            self.thread.stack[top] = value;
        } else {
            if top >= self.limits.stack_slots {
                return Err(self.error_message("stack overflow"));
            }
            self.thread.stack.push(value);
        }
        self.thread.top = top + 1;
        Ok(())
    }

    /// Makes sure slots `0..size` exist.
    #[inline]
    pub(crate) fn ensure_stack(&mut self, size: usize) -> LuaResult<()> {
        if size > self.thread.stack.len() {
            if size > self.limits.stack_slots {
                return Err(self.error_message("stack overflow"));
            }
            self.grow_stack(size)?;
        }
        Ok(())
    }

    /// Grows the running thread's stack to at least `size` slots (doubling), within the
    /// memory limit: stacks count as heap memory ("not enough memory" past the limit).
    #[cold]
    fn grow_stack(&mut self, size: usize) -> LuaResult<()> {
        let new_len = size
            .max(self.thread.stack.len() * 2)
            .min(self.limits.stack_slots.max(size));
        let added = new_len.saturating_sub(self.thread.stack.len());
        self.check_memory(added * 16)?;
        self.heap.allocated += added * 16;
        self.thread.stack.resize(new_len, Value::Nil);
        Ok(())
    }

    /// Error value from a message, with no position information.
    pub(crate) fn error_message(&mut self, message: impl AsRef<[u8]>) -> LuaError {
        match self.heap.intern(message.as_ref()) {
            Some(id) => LuaError::new(Value::String(id)),
            None => LuaError::new(Value::Nil),
        }
    }

    pub fn main_thread_is_running(&self) -> bool {
        self.current_thread == self.main_thread
    }

    pub(crate) fn thread_status(&self, id: ThreadId) -> Option<ThreadStatus> {
        if id == self.current_thread {
            return Some(ThreadStatus::Running);
        }
        self.heap.threads.get(id.0).map(|t| t.status)
    }
}

impl Default for Vm {
    /// A VM with the libraries that are safe for untrusted scripts.
    fn default() -> Self {
        let mut vm = Self::empty();
        if vm.open_safe_libraries().is_err() {
            return Self::empty();
        }
        vm
    }
}

pub(crate) fn type_slot(ty: LuaType) -> usize {
    ty as usize
}

/// The error raised when an internal invariant does not hold (e.g. a dangling id in a
/// corrupted snapshot). Never a panic.
pub(crate) fn corrupt_heap() -> LuaError {
    LuaError::internal("corrupted VM state (dangling reference)")
}

#[cold]
fn unreachable_vm() -> Vm {
    // Building an empty VM only fails when the arenas cannot hold a handful of objects,
    // which cannot happen for a fresh heap.
    panic!("failed to create an empty VM")
}
