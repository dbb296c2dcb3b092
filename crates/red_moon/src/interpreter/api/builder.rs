//! Building a VM: libraries, limits, random seed, fuel and clock.

use crate::errors::RuntimeError;
use crate::interpreter::vm::Limits;
use crate::interpreter::{LuaResult, Vm};
use crate::stdlib::os::TimeSource;
use crate::stdlib::package::ModuleSearch;
use std::ops::BitOr;

/// A set of standard libraries. Combine with `|`:
///
/// ```
/// use red_moon::interpreter::{Libraries, Vm};
///
/// let vm = Vm::builder()
///     .libraries(Libraries::BASE | Libraries::STRING)
///     .build()
///     .unwrap();
/// # let mut vm = vm;
/// let ctx = &mut vm.context();
/// let has_math: bool = ctx.exec(b"return math ~= nil", "=example").unwrap();
/// assert!(!has_math);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Libraries(u16);

impl Libraries {
    /// No library at all (an empty global table).
    pub const NONE: Libraries = Libraries(0);
    /// The basic functions (`print`, `pairs`, `pcall`, `load`, ... but not `dofile` and
    /// `loadfile`).
    pub const BASE: Libraries = Libraries(1);
    /// `require` and `package`; modules come from `package.preload` and the host's module
    /// resolver (from the file system too when [`Libraries::FILES`] is included).
    pub const PACKAGE: Libraries = Libraries(1 << 1);
    /// `coroutine`.
    pub const COROUTINE: Libraries = Libraries(1 << 2);
    /// `table`.
    pub const TABLE: Libraries = Libraries(1 << 3);
    /// `string` (and the string metatable).
    pub const STRING: Libraries = Libraries(1 << 4);
    /// `math` (`math.random` seeded by the host).
    pub const MATH: Libraries = Libraries(1 << 5);
    /// `utf8`.
    pub const UTF8: Libraries = Libraries(1 << 6);
    /// The time functions of `os` (`os.time`, `os.clock`, `os.date`, `os.difftime`), reading
    /// the VM's time source.
    pub const OS_TIME: Libraries = Libraries(1 << 7);
    /// `io`: files and processes of the host. Never for untrusted scripts.
    pub const IO: Libraries = Libraries(1 << 8);
    /// The rest of `os` (`os.getenv`, `os.remove`, `os.exit`, ...); also switches the VM to
    /// the real clock. Never for untrusted scripts.
    pub const OS: Libraries = Libraries(1 << 9);
    /// `debug`. Never for untrusted scripts.
    pub const DEBUG: Libraries = Libraries(1 << 10);
    /// `dofile`, `loadfile` and module search on the file system. Never for untrusted
    /// scripts.
    pub const FILES: Libraries = Libraries(1 << 11);
    /// What `Vm::default()` installs: the libraries that are safe for untrusted scripts.
    pub const SAFE: Libraries = Libraries(0xff);
    /// Everything, as the `red-moon` command-line interpreter has it
    /// ([`Vm::open_all_libraries`]: also the real clock and binary chunks).
    pub const ALL: Libraries = Libraries(0xfff);

    /// Whether every library of `other` is in `self`.
    ///
    /// ```
    /// use red_moon::interpreter::Libraries;
    ///
    /// assert!(Libraries::SAFE.contains(Libraries::MATH));
    /// assert!(!Libraries::SAFE.contains(Libraries::IO));
    /// ```
    pub const fn contains(self, other: Libraries) -> bool {
        self.0 & other.0 == other.0
    }

    /// The libraries of both sets.
    ///
    /// ```
    /// use red_moon::interpreter::Libraries;
    ///
    /// let set = Libraries::BASE.union(Libraries::MATH);
    /// assert_eq!(set, Libraries::BASE | Libraries::MATH);
    /// ```
    pub const fn union(self, other: Libraries) -> Libraries {
        Libraries(self.0 | other.0)
    }
}

impl BitOr for Libraries {
    type Output = Libraries;
    fn bitor(self, other: Libraries) -> Libraries {
        self.union(other)
    }
}

impl Default for Libraries {
    /// [`Libraries::SAFE`].
    fn default() -> Self {
        Libraries::SAFE
    }
}

/// Options for a new VM; see [`Vm::builder`].
#[derive(Clone, Debug, Default)]
pub struct VmBuilder {
    libraries: Libraries,
    limits: Limits,
    random_seed: Option<(i64, i64)>,
    fuel: Option<i64>,
    time_source: Option<TimeSource>,
}

impl Vm {
    /// Options for a new VM: which libraries, limits, the random seed, fuel and clock.
    ///
    /// ```
    /// use red_moon::interpreter::{Libraries, Limits, Vm};
    ///
    /// let mut vm = Vm::builder()
    ///     .libraries(Libraries::SAFE)
    ///     .limits(Limits { memory: 1 << 20, ..Limits::default() })
    ///     .random_seed(42, 0)
    ///     .build()
    ///     .unwrap();
    /// let ctx = &mut vm.context();
    /// let error = ctx.exec::<()>(b"local s = string.rep('x', 1 << 21)", "=example").unwrap_err();
    /// assert!(error.to_string().contains("not enough memory"));
    /// ```
    pub fn builder() -> VmBuilder {
        VmBuilder::default()
    }
}

impl VmBuilder {
    /// The same as [`Vm::builder`].
    ///
    /// ```
    /// use red_moon::interpreter::VmBuilder;
    ///
    /// let vm = VmBuilder::new().build().unwrap();
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// The standard libraries to install ([`Libraries::SAFE`] unless set).
    ///
    /// ```
    /// use red_moon::interpreter::{Libraries, Vm};
    ///
    /// let mut vm = Vm::builder().libraries(Libraries::NONE).build().unwrap();
    /// let ctx = &mut vm.context();
    /// let has_print: bool = ctx.default_environment().raw_get::<_, Option<red_moon::interpreter::Value>>("print", ctx).unwrap().is_some();
    /// assert!(!has_print);
    /// ```
    pub fn libraries(mut self, libraries: Libraries) -> Self {
        self.libraries = libraries;
        self
    }

    /// Stack, re-entry, metamethod chain and memory limits. They apply once the libraries
    /// are installed.
    ///
    /// ```
    /// use red_moon::interpreter::{Limits, Vm};
    ///
    /// let mut vm = Vm::builder()
    ///     .limits(Limits { stack_slots: 10_000, ..Limits::default() })
    ///     .build()
    ///     .unwrap();
    /// let ctx = &mut vm.context();
    /// let error = ctx.exec::<()>(b"local function f() return 1 + f() end f()", "=example").unwrap_err();
    /// assert!(error.to_string().contains("stack overflow"));
    /// ```
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// Seeds `math.random` (as `math.randomseed(n1, n2)`); `math.randomseed()` without
    /// arguments uses this seed again. Without it the seed is fixed, so every VM draws the
    /// same numbers.
    ///
    /// ```
    /// use red_moon::interpreter::Vm;
    ///
    /// let draw = |seed| {
    ///     let mut vm = Vm::builder().random_seed(seed, 0).build().unwrap();
    ///     let ctx = &mut vm.context();
    ///     ctx.exec::<i64>(b"return math.random(1, 1000000)", "=example").unwrap()
    /// };
    /// assert_eq!(draw(7), draw(7));
    /// ```
    pub fn random_seed(mut self, n1: i64, n2: i64) -> Self {
        self.random_seed = Some((n1, n2));
        self
    }

    /// The initial fuel (unlimited unless set): a call that runs out pauses with
    /// [`RuntimeError::Paused`].
    ///
    /// ```
    /// use red_moon::errors::RuntimeError;
    /// use red_moon::interpreter::Vm;
    ///
    /// let mut vm = Vm::builder().fuel(1000).build().unwrap();
    /// let ctx = &mut vm.context();
    /// let result = ctx.exec::<()>(b"while true do end", "=example");
    /// assert!(matches!(result, Err(RuntimeError::Paused)));
    /// ```
    pub fn fuel(mut self, fuel: i64) -> Self {
        self.fuel = Some(fuel);
        self
    }

    /// Where the `os` time functions read the time (a fixed time chosen by the host by
    /// default, the real clock with [`Libraries::OS`]).
    ///
    /// ```
    /// use red_moon::interpreter::Vm;
    /// use red_moon::stdlib::os::TimeSource;
    ///
    /// let source = TimeSource::Fixed { unix_time: 86400, cpu_clock: 0.5, utc_offset: 0 };
    /// let mut vm = Vm::builder().time_source(source).build().unwrap();
    /// let ctx = &mut vm.context();
    /// let now: i64 = ctx.exec(b"return os.time()", "=example").unwrap();
    /// assert_eq!(now, 86400);
    /// ```
    pub fn time_source(mut self, source: TimeSource) -> Self {
        self.time_source = Some(source);
        self
    }

    /// Builds the VM. Fails only if the libraries do not fit in the heap.
    ///
    /// ```
    /// use red_moon::interpreter::Vm;
    ///
    /// let mut vm = Vm::builder().build().unwrap();
    /// let ctx = &mut vm.context();
    /// let n: i64 = ctx.exec(b"return #table.pack(1, 2, 3)", "=example").unwrap();
    /// assert_eq!(n, 3);
    /// ```
    pub fn build(self) -> Result<Vm, RuntimeError> {
        let mut vm = Vm::empty();
        if self.libraries == Libraries::ALL {
            // Exactly what the command-line interpreter gets.
            vm.open_all_libraries()?;
        } else if let Err(error) = vm.open_libraries(self.libraries) {
            return Err(vm.runtime_error_from(error));
        }
        vm.set_limits(self.limits);
        if let Some((n1, n2)) = self.random_seed {
            vm.set_random_seed(n1, n2);
        }
        if let Some(fuel) = self.fuel {
            vm.context().set_fuel(fuel);
        }
        if let Some(source) = self.time_source {
            vm.set_time_source(source);
        }
        Ok(vm)
    }
}

impl Vm {
    /// Installs a set of libraries into an empty VM.
    fn open_libraries(&mut self, libraries: Libraries) -> LuaResult<()> {
        let has = |set| libraries.contains(set);
        if has(Libraries::BASE) {
            self.open_basic()?;
        }
        if has(Libraries::PACKAGE) {
            let search = if has(Libraries::FILES) {
                ModuleSearch::FileSystem
            } else {
                ModuleSearch::HostResolver
            };
            self.open_package(search)?;
        }
        if has(Libraries::COROUTINE) {
            self.open_coroutine()?;
        }
        if has(Libraries::TABLE) {
            self.open_table()?;
        }
        if has(Libraries::STRING) {
            self.open_string()?;
        }
        if has(Libraries::MATH) {
            self.open_math()?;
        }
        if has(Libraries::UTF8) {
            self.open_utf8()?;
        }
        if has(Libraries::OS_TIME) {
            self.open_os_time()?;
        }
        if has(Libraries::FILES) {
            self.open_files()?;
        }
        if has(Libraries::DEBUG) {
            self.open_debug()?;
        }
        if has(Libraries::IO) {
            self.open_io()?;
        }
        if has(Libraries::OS) {
            self.open_os_host()?;
            self.set_time_source(TimeSource::System);
        }
        Ok(())
    }
}
