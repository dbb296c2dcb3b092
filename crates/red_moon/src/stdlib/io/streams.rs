//! The standard files (`io.stdin`, `io.stdout`, `io.stderr`), the default input and output
//! files, and the io functions that use them (`io.input`, `io.output`, `io.write`,
//! `io.close`, `io.flush`), plus `io.type`.
//!
//! The default files live in the registry under `_IO_input` / `_IO_output`, as in PUC. The
//! standard output stream is shared with `print` (`Vm::write_output`): buffered (by lines
//! on a terminal), flushed when standard input is read, at `os.exit` and when the VM is
//! dropped.

use super::file::{write_arguments, FileKind, LuaFile};
use super::stream::{Buffering, Source, Stream};
use super::{library_result, open};
use crate::interpreter::heap::TableId;
use crate::interpreter::native::{Args, Outcome};
use crate::interpreter::value::Value;
use crate::interpreter::{LuaError, LuaResult, Vm};
use std::cell::RefCell;
use std::io::IsTerminal;
use std::rc::Rc;

/// Which default file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum DefaultFile {
    Input,
    Output,
}

impl DefaultFile {
    fn registry_key(self) -> &'static str {
        match self {
            DefaultFile::Input => "_IO_input",
            DefaultFile::Output => "_IO_output",
        }
    }

    fn name(self) -> &'static str {
        match self {
            DefaultFile::Input => "input",
            DefaultFile::Output => "output",
        }
    }

    /// The mode `io.input(name)` / `io.output(name)` opens a file with.
    fn open_mode(self) -> &'static [u8] {
        match self {
            DefaultFile::Input => b"r",
            DefaultFile::Output => b"w",
        }
    }
}

impl Vm {
    /// Creates `io.stdin`, `io.stdout` and `io.stderr` and makes the first two the default
    /// input and output.
    pub(super) fn open_standard_files(&mut self, io: TableId) -> LuaResult<()> {
        let input = Stream::new(Source::Stdin, true, false, Buffering::Full);
        let stdin = self.new_file_handle(input, FileKind::Standard)?;
        self.raw_set_str(io, "stdin", stdin)?;
        let output = self.standard_output_file();
        let stdout = self.new_file_userdata(output)?;
        self.raw_set_str(io, "stdout", stdout)?;
        let errors = Stream::new(Source::Stderr, false, true, Buffering::Unbuffered);
        let stderr = self.new_file_handle(errors, FileKind::Standard)?;
        self.raw_set_str(io, "stderr", stderr)?;
        let registry = self.registry;
        self.raw_set_str(registry, DefaultFile::Input.registry_key(), stdin)?;
        self.raw_set_str(registry, DefaultFile::Output.registry_key(), stdout)
    }

    /// The process's standard output stream, created on first use: buffered by lines on a
    /// terminal, fully otherwise (as C's `stdout`).
    fn standard_output_file(&mut self) -> Rc<RefCell<LuaFile>> {
        if let Some(file) = &self.host_io.standard_output {
            return file.clone();
        }
        let buffering = if std::io::stdout().is_terminal() {
            Buffering::Line
        } else {
            Buffering::Full
        };
        let file = Rc::new(RefCell::new(LuaFile {
            stream: Some(Stream::new(Source::Stdout, false, true, buffering)),
            kind: FileKind::Standard,
        }));
        self.host_io.standard_output = Some(file.clone());
        file
    }

    /// Writes to the script's standard output through the shared buffer (`print`).
    pub(crate) fn write_standard_output(&mut self, bytes: &[u8]) {
        let file = self.standard_output_file();
        LuaFile::if_open(&file, |stream| stream.write(bytes));
    }

    /// Flushes the buffered standard output, if any.
    pub(crate) fn flush_standard_output(&mut self) {
        if let Some(file) = &self.host_io.standard_output {
            LuaFile::if_open(file, |stream| stream.flush());
        }
    }

    /// The default input or output file: its handle and state, open or not.
    pub(crate) fn default_handle(
        &mut self,
        which: DefaultFile,
    ) -> LuaResult<(Value, Rc<RefCell<LuaFile>>)> {
        let registry = self.registry;
        let handle = self.raw_get_str(registry, which.registry_key())?;
        let file = self
            .as_file(handle)
            .ok_or_else(|| LuaError::internal("io default file missing"))?;
        Ok((handle, file))
    }

    /// The default input or output file, which must be open (PUC's `getiofile`).
    pub(crate) fn default_file(
        &mut self,
        which: DefaultFile,
    ) -> LuaResult<(Value, Rc<RefCell<LuaFile>>)> {
        let (handle, file) = self.default_handle(which)?;
        if file.borrow().stream.is_none() {
            let message = format!("default {} file is closed", which.name());
            return Err(self.library_error(message));
        }
        Ok((handle, file))
    }

    /// The default input or output file, which must be open (PUC's `tofile` on it).
    pub(crate) fn open_default_handle(
        &mut self,
        which: DefaultFile,
    ) -> LuaResult<(Value, Rc<RefCell<LuaFile>>)> {
        let (handle, file) = self.default_handle(which)?;
        if file.borrow().stream.is_none() {
            return Err(self.library_error("attempt to use a closed file"));
        }
        Ok((handle, file))
    }
}

/// PUC's `g_iofile`: `io.input` / `io.output` with a file name (opened), a file handle (must
/// be open) or nothing; returns the current default.
fn set_default_file(vm: &mut Vm, args: Args, which: DefaultFile) -> LuaResult<Outcome> {
    let registry = vm.registry;
    let argument = vm.arg(args, 1);
    if !argument.is_nil() {
        let handle = match argument {
            Value::String(_) | Value::Integer(_) | Value::Float(_) => {
                let name = vm.check_string(args, 1)?;
                open::open_or_raise(vm, &name, which.open_mode())?
            }
            _ => {
                vm.check_open_file(args, 1)?;
                argument
            }
        };
        vm.raw_set_str(registry, which.registry_key(), handle)?;
    }
    let current = vm.raw_get_str(registry, which.registry_key())?;
    vm.return1(current)
}

pub(super) fn input(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    set_default_file(vm, args, DefaultFile::Input)
}

pub(super) fn output(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    set_default_file(vm, args, DefaultFile::Output)
}

/// `io.write(...)`: writes to the default output and returns it.
pub(super) fn write(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let (handle, file) = vm.default_file(DefaultFile::Output)?;
    let result = write_arguments(vm, &file, args, 1)?;
    vm.file_result(handle, result)
}

/// `io.close([file])`: closes the file, or the default output.
pub(super) fn close(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    if vm.has_arg(args, 1) {
        let file = vm.check_open_file(args, 1)?;
        return vm.close_file(&file);
    }
    let (_, file) = vm.open_default_handle(DefaultFile::Output)?;
    vm.close_file(&file)
}

/// `io.flush()`: flushes the default output.
pub(super) fn flush(vm: &mut Vm, _args: Args) -> LuaResult<Outcome> {
    let (_, file) = vm.default_file(DefaultFile::Output)?;
    let flushed = vm.with_stream(&file, |stream| stream.flush())?;
    library_result(vm, flushed.map_err(|e| super::file_failure(&e, None)))
}

/// `io.type(x)`: `"file"`, `"closed file"`, or nil for anything else.
pub(super) fn type_(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let value = vm.check_any(args, 1)?;
    match vm.as_file(value) {
        None => vm.return1(Value::Nil),
        Some(file) if file.borrow().stream.is_none() => vm.return_string(b"closed file"),
        Some(_) => vm.return_string(b"file"),
    }
}
