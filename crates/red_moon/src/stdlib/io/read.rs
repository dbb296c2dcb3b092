//! Reading: the formats of `read` (`"n"`, `"l"`, `"L"`, `"a"`, byte counts), `file:read`,
//! `io.read`, and the iterators of `file:lines` / `io.lines`.

use super::file::LuaFile;
use super::numeral::read_numeral;
use super::{file_failure, open};
use crate::interpreter::native::{Args, Builtin, Outcome};
use crate::interpreter::value::Value;
use crate::interpreter::{LuaError, LuaResult, Vm};
use std::cell::RefCell;
use std::rc::Rc;

/// Most formats `lines` accepts (`MAXARGLINE`: the iterator keeps them as upvalues).
const MAX_LINES_FORMATS: usize = 250;

/// The function `lines` returns. Upvalues: the file, whether to close it at the end, then
/// the formats.
pub(crate) static LINES_ITERATOR: Builtin = Builtin {
    id: "io.lines.iterator",
    name: "for iterator",
    function: lines_step,
};

/// One read format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    /// `"n"`: a numeral.
    Number,
    /// `"l"` (without the newline) or `"L"` (with it).
    Line { keep_newline: bool },
    /// `"a"`: the rest of the file.
    All,
    /// A byte count; `0` tests for end of file.
    Count(usize),
}

/// The format given as argument number `position` (for error messages).
fn parse_format(vm: &mut Vm, value: Value, args: Args, position: usize) -> LuaResult<Format> {
    match value {
        Value::Integer(_) | Value::Float(_) => {
            let count = match vm.to_number(value).and_then(|n| n.to_integer_exact()) {
                Some(count) => count,
                None => {
                    return Err(vm.arg_error(
                        args,
                        position,
                        "number has no integer representation",
                    ))
                }
            };
            // A negative count is a huge `size_t` in C, whose buffer cannot be allocated.
            match usize::try_from(count) {
                Ok(count) if count <= isize::MAX as usize => Ok(Format::Count(count)),
                _ => Err(vm.out_of_memory()),
            }
        }
        Value::String(id) => {
            let text = vm.string_bytes(id);
            let text = text.strip_prefix(b"*").unwrap_or(text);
            match text.first() {
                Some(b'n') => Ok(Format::Number),
                Some(b'l') => Ok(Format::Line {
                    keep_newline: false,
                }),
                Some(b'L') => Ok(Format::Line { keep_newline: true }),
                Some(b'a') => Ok(Format::All),
                _ => Err(vm.arg_error(args, position, "invalid format")),
            }
        }
        other => {
            let actual = vm.type_name_with_meta(other);
            Err(vm.arg_error(args, position, format!("string expected, got {actual}")))
        }
    }
}

/// PUC's `g_read`: reads `formats` (none means one `"l"`) in order, stopping at the first
/// that fails, and pushes one value per format read (nil for the failed one). When the
/// stream had an error, pushes `nil, message, errno` instead. Returns how many values to
/// return. `first_position` is the argument number of the first format.
fn read_formats(
    vm: &mut Vm,
    file: &Rc<RefCell<LuaFile>>,
    formats: &[Value],
    args: Args,
    first_position: usize,
) -> LuaResult<usize> {
    if vm.with_stream(file, |stream| stream.is_standard_input())? {
        vm.flush_standard_output();
    }
    vm.with_stream(file, |stream| stream.clear_status())?;
    let mut pushed = 0;
    let mut success = true;
    if formats.is_empty() {
        success = read_one(
            vm,
            file,
            Format::Line {
                keep_newline: false,
            },
        )?;
        pushed = 1;
    }
    for (index, &value) in formats.iter().enumerate() {
        if !success {
            break;
        }
        let format = parse_format(vm, value, args, first_position + index)?;
        success = read_one(vm, file, format)?;
        pushed += 1;
    }
    if let Some(error) = vm.with_stream(file, |stream| stream.take_error())? {
        file_failure(&error, None).push(vm)?;
        return Ok(3);
    }
    if !success {
        vm.thread.top = vm.thread.top.saturating_sub(1);
        vm.push(Value::Nil)?;
    }
    Ok(pushed)
}

/// Reads one format and pushes its value; returns whether it succeeded.
fn read_one(vm: &mut Vm, file: &Rc<RefCell<LuaFile>>, format: Format) -> LuaResult<bool> {
    let (value, success) = match format {
        Format::Number => match vm.with_stream(file, read_numeral)? {
            Some(number) => (number_value(number), true),
            None => (Value::Nil, false),
        },
        Format::Line { keep_newline } => {
            let (line, found) = vm.with_stream(file, |stream| stream.read_line(keep_newline))?;
            (new_read_string(vm, &line)?, found)
        }
        Format::All => {
            let bytes = vm.with_stream(file, |stream| stream.read_to_end())?;
            (new_read_string(vm, &bytes)?, true)
        }
        Format::Count(0) => {
            let more = vm.with_stream(file, |stream| stream.peek().is_some())?;
            (new_read_string(vm, b"")?, more)
        }
        Format::Count(count) => {
            let bytes = vm.with_stream(file, |stream| stream.read_bytes(count))?;
            let found = !bytes.is_empty();
            (new_read_string(vm, &bytes)?, found)
        }
    };
    vm.push(value)?;
    Ok(success)
}

fn number_value(number: crate::numbers::Number) -> Value {
    match number {
        crate::numbers::Number::Integer(i) => Value::Integer(i),
        crate::numbers::Number::Float(f) => Value::Float(f),
    }
}

/// A string made of bytes read from a file, paying fuel for them.
fn new_read_string(vm: &mut Vm, bytes: &[u8]) -> LuaResult<Value> {
    vm.charge_fuel(1 + bytes.len() as i64 / 16)?;
    vm.new_string(bytes)
}

/// The arguments `first..` as a list.
fn arguments_from(vm: &Vm, args: Args, first: usize) -> Vec<Value> {
    (first..=args.count).map(|n| vm.arg(args, n)).collect()
}

/// `file:read(...)`.
pub(crate) fn file_read(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let file = vm.check_open_file(args, 1)?;
    let formats = arguments_from(vm, args, 2);
    let count = read_formats(vm, &file, &formats, args, 2)?;
    Ok(Outcome::Return(count))
}

/// `io.read(...)`: reads the default input.
pub(crate) fn io_read(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let (_, file) = vm.default_file(super::streams::DefaultFile::Input)?;
    let formats = arguments_from(vm, args, 1);
    let count = read_formats(vm, &file, &formats, args, 1)?;
    Ok(Outcome::Return(count))
}

/// `file:lines(...)`.
pub(crate) fn file_lines(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    vm.check_open_file(args, 1)?;
    let handle = vm.arg(args, 1);
    let iterator = new_lines_iterator(vm, args, handle, false)?;
    vm.return1(iterator)
}

/// `io.lines([filename, ...])`: without a name, iterates the default input and leaves it
/// open; with one, opens the file and closes it at the end (it is also returned as the
/// fourth value, the loop's to-be-closed variable).
pub(crate) fn io_lines(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    if vm.arg(args, 1).is_nil() {
        let (handle, _) = vm.open_default_handle(super::streams::DefaultFile::Input)?;
        let iterator = new_lines_iterator(vm, args, handle, false)?;
        return vm.return1(iterator);
    }
    let name = vm.check_string(args, 1)?;
    let handle = open::open_or_raise(vm, &name, b"r")?;
    vm.gc_roots.push(handle);
    let iterator = new_lines_iterator(vm, args, handle, true);
    vm.gc_roots.pop();
    vm.return_values(&[iterator?, Value::Nil, Value::Nil, handle])
}

/// PUC's `aux_lines`: the iterator over `handle` with the formats `args[2..]`.
fn new_lines_iterator(vm: &mut Vm, args: Args, handle: Value, to_close: bool) -> LuaResult<Value> {
    let formats = arguments_from(vm, args, 2);
    if formats.len() > MAX_LINES_FORMATS {
        return Err(vm.arg_error(args, MAX_LINES_FORMATS + 2, "too many arguments"));
    }
    let mut upvalues = Vec::with_capacity(formats.len() + 2);
    upvalues.push(handle);
    upvalues.push(Value::Boolean(to_close));
    upvalues.extend(formats);
    vm.new_native(&LINES_ITERATOR, upvalues)
}

/// One step of a `lines` iterator: the values read, or nothing at the end of the file
/// (closing it if the iterator opened it). A read error is raised.
fn lines_step(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let upvalues = vm
        .heap
        .natives
        .get(args.callee.0)
        .map(|native| native.upvalues.to_vec())
        .unwrap_or_default();
    let (Some(&handle), Some(&to_close)) = (upvalues.first(), upvalues.get(1)) else {
        return Err(LuaError::internal("lines iterator without its file"));
    };
    let Some(file) = vm.as_file(handle) else {
        return Err(LuaError::internal("lines iterator without its file"));
    };
    if file.borrow().stream.is_none() {
        return Err(vm.library_error("file is already closed"));
    }
    let formats = upvalues.get(2..).unwrap_or_default();
    let count = read_formats(vm, &file, formats, args, 2)?;
    let top = vm.thread.top;
    let first = vm
        .thread
        .stack
        .get(top - count)
        .copied()
        .unwrap_or(Value::Nil);
    if first.is_truthy() {
        return Ok(Outcome::Return(count));
    }
    if count > 1 {
        let message = match vm.thread.stack.get(top - count + 1) {
            Some(Value::String(id)) => vm.string_bytes(*id).to_vec(),
            _ => Vec::new(),
        };
        return Err(vm.library_error(message));
    }
    if to_close.is_truthy() {
        vm.close_file(&file)?;
    }
    Ok(Outcome::Return(0))
}
