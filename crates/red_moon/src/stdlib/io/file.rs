//! File handles: the `FILE*` userdata, its methods and metamethods.
//!
//! A handle is an external resource, not VM state: the userdata holds an
//! `Rc<RefCell<LuaFile>>`, so a cloned VM shares its open files with the original (reads and
//! writes through either move the same file position), and files cannot be serialized.

use super::stream::{Buffering, Stream, Whence};
use super::{file_failure, library_result, FileFailure};
use crate::interpreter::native::{Args, Builtin, Outcome};
use crate::interpreter::value::Value;
use crate::interpreter::{LuaError, LuaResult, Vm};
use crate::stdlib::library;
use std::cell::RefCell;
use std::rc::Rc;

/// The methods of file handles (`file:read(...)`), the metatable's `__index`.
pub(crate) static METHODS: &[Builtin] = library!("FILE*",
    "close" => close,
    "flush" => flush,
    "lines" => super::read::file_lines,
    "read" => super::read::file_read,
    "seek" => seek,
    "setvbuf" => setvbuf,
    "write" => write,
);

/// The metamethods of file handles.
pub(crate) static METAMETHODS: &[Builtin] = library!("FILE*.metatable",
    "__close" => collect,
    "__gc" => collect,
    "__tostring" => tostring,
);

/// How a handle is closed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FileKind {
    /// `io.stdin`, `io.stdout`, `io.stderr`: closing them fails and they stay open.
    Standard,
    /// A file from `io.open`, `io.tmpfile`, `io.lines`, ...
    Regular,
    /// A process from `io.popen`: closing waits for it and returns its exit status.
    Process,
}

/// The state behind a file handle; `stream` is `None` once the file is closed.
pub(crate) struct LuaFile {
    pub(crate) stream: Option<Stream>,
    pub(crate) kind: FileKind,
}

impl LuaFile {
    /// Runs `action` on the stream of `file` if it is open (and not already borrowed);
    /// for housekeeping that has no error to report (flushing at exit, `print`).
    pub(crate) fn if_open<T>(
        file: &Rc<RefCell<LuaFile>>,
        action: impl FnOnce(&mut Stream) -> T,
    ) -> Option<T> {
        let mut file = file.try_borrow_mut().ok()?;
        file.stream.as_mut().map(action)
    }
}

/// The host value inside a `FILE*` userdata.
#[derive(Clone)]
pub(crate) struct FileHandle(pub(crate) Rc<RefCell<LuaFile>>);

/// Logical size of a file userdata for memory accounting.
const HANDLE_SIZE: usize = 64;

impl Vm {
    /// A new file userdata (with the `FILE*` metatable) for `stream`.
    pub(crate) fn new_file_handle(&mut self, stream: Stream, kind: FileKind) -> LuaResult<Value> {
        let file = Rc::new(RefCell::new(LuaFile {
            stream: Some(stream),
            kind,
        }));
        self.host_io.remember_open_file(&file);
        self.new_file_userdata(file)
    }

    /// A `FILE*` userdata for an existing file state.
    pub(crate) fn new_file_userdata(&mut self, file: Rc<RefCell<LuaFile>>) -> LuaResult<Value> {
        let registry = self.registry;
        let metatable = match self.raw_get_str(registry, super::FILE_METATABLE_KEY)? {
            Value::Table(table) => Some(table),
            _ => None,
        };
        self.new_userdata(Box::new(FileHandle(file)), metatable, HANDLE_SIZE)
    }

    /// The handle in `value` if it is a file userdata (`luaL_testudata`).
    pub(crate) fn as_file(&self, value: Value) -> Option<Rc<RefCell<LuaFile>>> {
        self.userdata_value::<FileHandle>(value)
            .map(|handle| handle.0.clone())
    }

    /// `luaL_checkudata(L, n, "FILE*")`.
    pub(crate) fn check_file_handle(
        &mut self,
        args: Args,
        n: usize,
    ) -> LuaResult<Rc<RefCell<LuaFile>>> {
        match self.as_file(self.arg(args, n)) {
            Some(file) => Ok(file),
            None => Err(self.type_error(args, n, "FILE*")),
        }
    }

    /// PUC's `tofile`: a handle that must still be open.
    pub(crate) fn check_open_file(
        &mut self,
        args: Args,
        n: usize,
    ) -> LuaResult<Rc<RefCell<LuaFile>>> {
        let file = self.check_file_handle(args, n)?;
        if file.borrow().stream.is_none() {
            return Err(self.library_error("attempt to use a closed file"));
        }
        Ok(file)
    }

    /// Runs `action` on the open stream of `file`.
    pub(crate) fn with_stream<T>(
        &mut self,
        file: &Rc<RefCell<LuaFile>>,
        action: impl FnOnce(&mut Stream) -> T,
    ) -> LuaResult<T> {
        let mut file = file
            .try_borrow_mut()
            .map_err(|_| LuaError::internal("file handle in use"))?;
        match file.stream.as_mut() {
            Some(stream) => Ok(action(stream)),
            None => Err(self.library_error("attempt to use a closed file")),
        }
    }

    /// Closes a handle as its kind requires and returns what `file:close()` returns
    /// (PUC's `aux_close`).
    pub(crate) fn close_file(&mut self, file: &Rc<RefCell<LuaFile>>) -> LuaResult<Outcome> {
        let (kind, stream) = {
            let mut file = file
                .try_borrow_mut()
                .map_err(|_| LuaError::internal("file handle in use"))?;
            match file.kind {
                FileKind::Standard => (file.kind, None),
                _ => (file.kind, file.stream.take()),
            }
        };
        if kind == FileKind::Standard {
            // PUC's `io_noclose`: the file stays open.
            let message = self.new_string(b"cannot close standard file")?;
            return self.return_values(&[Value::Nil, message]);
        }
        // Callers check that the file is open, so there is a stream to close.
        let Some(mut stream) = stream else {
            return Ok(Outcome::Return(0));
        };
        let (flushed, status) = stream.close();
        match status {
            Some(status) => super::process::push_exit_status(self, status),
            None => library_result(self, flushed.map_err(|e| file_failure(&e, None))),
        }
    }

    /// Returns `value` or, on failure, `nil, message, errno` (`luaL_fileresult`).
    pub(crate) fn file_result(
        &mut self,
        value: Value,
        result: Result<(), FileFailure>,
    ) -> LuaResult<Outcome> {
        match result {
            Ok(()) => self.return1(value),
            Err(failure) => failure.push(self),
        }
    }
}

fn close(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let file = vm.check_open_file(args, 1)?;
    vm.close_file(&file)
}

/// `__gc` and `__close`: close the file unless it is already closed.
fn collect(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let file = vm.check_file_handle(args, 1)?;
    if file.borrow().stream.is_some() {
        vm.close_file(&file)?;
    }
    Ok(Outcome::Return(0))
}

fn tostring(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let file = vm.check_file_handle(args, 1)?;
    let text = if file.borrow().stream.is_none() {
        "file (closed)".to_string()
    } else {
        format!("file (0x{:x})", vm.object_address(vm.arg(args, 1)))
    };
    vm.return_string(text.as_bytes())
}

fn flush(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let file = vm.check_open_file(args, 1)?;
    let flushed = vm.with_stream(&file, |stream| stream.flush())?;
    library_result(vm, flushed.map_err(|e| file_failure(&e, None)))
}

fn seek(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    const WHENCE: [Whence; 3] = [Whence::Set, Whence::Current, Whence::End];
    let file = vm.check_open_file(args, 1)?;
    let option = vm.check_option(args, 2, Some("cur"), &["set", "cur", "end"])?;
    let offset = vm.opt_integer(args, 3, 0)?;
    let whence = WHENCE.get(option).copied().unwrap_or(Whence::Current);
    match vm.with_stream(&file, |stream| stream.seek(whence, offset))? {
        Ok(position) => vm.return1(Value::Integer(i64::try_from(position).unwrap_or(i64::MAX))),
        Err(error) => file_failure(&error, None).push(vm),
    }
}

fn setvbuf(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    const MODES: [Buffering; 3] = [Buffering::Unbuffered, Buffering::Full, Buffering::Line];
    let file = vm.check_open_file(args, 1)?;
    let option = vm.check_option(args, 2, None, &["no", "full", "line"])?;
    // The size is checked like PUC does but not used (see `Stream::set_buffering`).
    vm.opt_integer(args, 3, super::stream::BUFFER_SIZE as i64)?;
    let mode = MODES.get(option).copied().unwrap_or(Buffering::Full);
    let result = vm.with_stream(&file, |stream| stream.set_buffering(mode))?;
    library_result(vm, result.map_err(|e| file_failure(&e, None)))
}

fn write(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let file = vm.check_open_file(args, 1)?;
    let handle = vm.arg(args, 1);
    let result = write_arguments(vm, &file, args, 2)?;
    vm.file_result(handle, result)
}

/// PUC's `g_write`: writes arguments `first..` (strings, or numbers as `%d` / `%.14g`).
/// After a failed string write the later strings are skipped, as PUC's `&&` does, but every
/// argument is still checked.
pub(crate) fn write_arguments(
    vm: &mut Vm,
    file: &Rc<RefCell<LuaFile>>,
    args: Args,
    first: usize,
) -> LuaResult<Result<(), FileFailure>> {
    let mut failure = None;
    let mut number_text = Vec::new();
    for n in first..=args.count {
        let value = vm.arg(args, n);
        let result = match value {
            Value::Integer(_) | Value::Float(_) => {
                number_text.clear();
                write_number_for_file(value, &mut number_text);
                vm.with_stream(file, |stream| stream.write(&number_text))?
            }
            _ => {
                let text = vm.check_string(args, n)?;
                vm.charge_fuel(1 + text.len() as i64 / 16)?;
                if failure.is_some() {
                    continue;
                }
                vm.with_stream(file, |stream| stream.write(&text))?
            }
        };
        if let (Err(error), None) = (result, &failure) {
            failure = Some(file_failure(&error, None));
        }
    }
    Ok(match failure {
        Some(failure) => Err(failure),
        None => Ok(()),
    })
}

/// Numbers as `fprintf` with `LUA_INTEGER_FMT` / `LUA_NUMBER_FMT` writes them: floats
/// with `%.14g`, so `1.0` is written as `1` (unlike `tostring`).
fn write_number_for_file(value: Value, out: &mut Vec<u8>) {
    use crate::numbers::printf::{write_float_printf, FloatStyle, PrintfSpec};
    match value {
        Value::Integer(i) => crate::numbers::write_integer(i, out),
        Value::Float(f) => {
            let spec = PrintfSpec {
                precision: Some(14),
                ..PrintfSpec::default()
            };
            write_float_printf(&spec, FloatStyle::General, false, f, out);
        }
        _ => {}
    }
}
