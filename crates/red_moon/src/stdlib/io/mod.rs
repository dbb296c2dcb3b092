//! The io library (manual §6.8). It reaches the host's files and processes, so only
//! `open_all` installs it (never the safe set for untrusted scripts).
//!
//! * `stream`: a C-stdio-like buffered stream (what a `FILE*` is).
//! * `file`: the `FILE*` userdata, its methods and metamethods.
//! * `read`: the read formats, `read` and `lines`.
//! * `numeral`: which bytes the `"n"` format reads.
//! * `streams`: standard input/output/error and the default input and output files.
//! * `open`: `io.open`, `io.tmpfile`, temporary names, mode checks.
//! * `process`: `io.popen` and exit statuses (also used by `os.execute`).
//!
//! Open files are host resources, not VM state: cloning a VM shares them, and they are not
//! serialized (see [`HostIo`]).

pub(crate) mod file;
mod numeral;
pub(crate) mod open;
pub(crate) mod process;
pub(crate) mod read;
mod stream;
mod streams;

use crate::interpreter::native::{Builtin, Outcome};
use crate::interpreter::value::Value;
use crate::interpreter::{LuaResult, Vm};
use crate::stdlib::library;
use file::LuaFile;
use std::cell::RefCell;
use std::rc::{Rc, Weak};

pub(crate) static FUNCTIONS: &[Builtin] = library!("io",
    "close" => streams::close,
    "flush" => streams::flush,
    "input" => streams::input,
    "lines" => read::io_lines,
    "open" => open::open,
    "output" => streams::output,
    "popen" => process::popen,
    "read" => read::io_read,
    "tmpfile" => open::tmpfile,
    "type" => streams::type_,
    "write" => streams::write,
);

/// The registry key of the file handles' metatable (as `luaL_newmetatable` names it).
const FILE_METATABLE_KEY: &str = "FILE*";

/// The io library's host-side state: open files and the host's permissions.
///
/// This is not part of the VM's logical state: it holds operating-system resources. Cloning
/// a VM shares the files (through `Rc`), and a serialized VM does not contain them.
#[derive(Clone, Default)]
pub(crate) struct HostIo {
    /// The process's standard output as a buffered stream, shared by `print` and
    /// `io.stdout` so their output keeps its order. Created on first use.
    standard_output: Option<Rc<RefCell<LuaFile>>>,
    /// Every file opened so far (pruned as they go away), to flush them all at `os.exit`.
    open_files: Vec<Weak<RefCell<LuaFile>>>,
    /// Whether `io.popen` and `os.execute` may start processes.
    pub(crate) processes_enabled: bool,
    /// When the real-time source was installed: `os.clock`'s zero.
    pub(crate) clock_origin: Option<std::time::Instant>,
}

impl HostIo {
    /// Notes a newly opened file so that `os.exit` can flush it.
    fn remember_open_file(&mut self, file: &Rc<RefCell<LuaFile>>) {
        if self.open_files.len() >= 16 && self.open_files.len().is_power_of_two() {
            self.open_files.retain(|file| file.strong_count() > 0);
        }
        self.open_files.push(Rc::downgrade(file));
    }
}

impl Vm {
    /// Installs the io library: the `io` table, the `FILE*` metatable and the standard files.
    pub(crate) fn open_io(&mut self) -> LuaResult<()> {
        let io = self.new_table(0, 16)?;
        self.register_functions(io, FUNCTIONS)?;
        let metatable = self.new_table(0, 8)?;
        self.register_functions(metatable, file::METAMETHODS)?;
        let methods = self.new_table(0, 8)?;
        self.register_functions(methods, file::METHODS)?;
        self.raw_set_str(metatable, "__index", Value::Table(methods))?;
        let name = self.new_string(FILE_METATABLE_KEY.as_bytes())?;
        self.raw_set_str(metatable, "__name", name)?;
        let registry = self.registry;
        self.raw_set_str(registry, FILE_METATABLE_KEY, Value::Table(metatable))?;
        self.open_standard_files(io)?;
        self.register_library("io", io)
    }

    /// Lets (or forbids) scripts start processes with `io.popen` and `os.execute`. Off by
    /// default, including after [`Vm::open_all_libraries`]; the `red-moon` command-line
    /// interpreter turns it on. Only for trusted scripts: a command runs with the host's
    /// rights.
    pub fn set_process_spawning(&mut self, enabled: bool) {
        self.host_io.processes_enabled = enabled;
    }

    /// Passes the output that `print` and `io.write` buffered on to the process's standard
    /// output. Buffered output is also flushed when the VM is dropped, when a script reads
    /// standard input, and by `os.exit`.
    pub fn flush_output(&mut self) {
        self.flush_standard_output();
    }

    /// Flushes every open file and the standard output (C's `exit` does this).
    pub(crate) fn flush_all_files(&mut self) {
        self.flush_standard_output();
        for file in self.host_io.open_files.iter().filter_map(Weak::upgrade) {
            LuaFile::if_open(&file, |stream| stream.flush());
        }
    }
}

/// A failed operation as `luaL_fileresult` reports it: `nil, message, errno`.
pub(crate) struct FileFailure {
    message: Vec<u8>,
    code: i64,
}

impl FileFailure {
    /// Pushes `nil, message, errno` and returns them.
    pub(crate) fn push(&self, vm: &mut Vm) -> LuaResult<Outcome> {
        let message = vm.new_string(&self.message)?;
        vm.return_values(&[Value::Nil, message, Value::Integer(self.code)])
    }
}

/// The failure for an I/O error; with a file name the message is `"name: reason"`.
pub(crate) fn file_failure(error: &std::io::Error, name: Option<&[u8]>) -> FileFailure {
    let reason = crate::stdlib::files::describe_io_error(error);
    let mut message = Vec::new();
    if let Some(name) = name {
        message.extend_from_slice(name);
        message.extend_from_slice(b": ");
    }
    message.extend_from_slice(reason.as_bytes());
    FileFailure {
        message,
        code: error.raw_os_error().map_or(0, i64::from),
    }
}

/// `luaL_fileresult` for operations that return `true` on success.
pub(crate) fn library_result(vm: &mut Vm, result: Result<(), FileFailure>) -> LuaResult<Outcome> {
    match result {
        Ok(()) => vm.return1(Value::Boolean(true)),
        Err(failure) => failure.push(vm),
    }
}

/// A file name as the operating system wants it. Like C, the name ends at its first NUL.
pub(crate) fn path_from_bytes(name: &[u8]) -> std::path::PathBuf {
    let name = c_string(name);
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        std::path::PathBuf::from(std::ffi::OsStr::from_bytes(name))
    }
    #[cfg(not(unix))]
    {
        std::path::PathBuf::from(String::from_utf8_lossy(name).into_owned())
    }
}

/// The bytes of `text` up to its first NUL (what a C function sees).
pub(crate) fn c_string(text: &[u8]) -> &[u8] {
    text.split(|&byte| byte == 0).next().unwrap_or_default()
}
