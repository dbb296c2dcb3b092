//! The os functions that reach the host: environment, files, processes, locale, exit. Only
//! `open_all` installs them.

use crate::interpreter::native::{Args, Builtin, Outcome};
use crate::interpreter::value::Value;
use crate::interpreter::{LuaResult, Vm};
use crate::stdlib::io::{c_string, file_failure, library_result, open, path_from_bytes, process};
use crate::stdlib::library;

pub(crate) static FUNCTIONS: &[Builtin] = library!("os",
    "execute" => execute,
    "exit" => exit,
    "getenv" => getenv,
    "remove" => remove,
    "rename" => rename,
    "setlocale" => setlocale,
    "tmpname" => tmpname,
);

/// `os.getenv(name)`: the variable's value, or nil.
fn getenv(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let name = vm.check_string(args, 1)?;
    let name = c_string(&name);
    // Names the C library can never find (and that std rejects).
    if name.is_empty() || name.contains(&b'=') {
        return vm.return1(Value::Nil);
    }
    match std::env::var_os(path_from_bytes(name)) {
        Some(value) => vm.return_string(&os_string_bytes(value)),
        None => vm.return1(Value::Nil),
    }
}

/// The bytes of an operating-system string (lossy where the system is not byte-based).
fn os_string_bytes(text: std::ffi::OsString) -> Vec<u8> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStringExt;
        text.into_vec()
    }
    #[cfg(not(unix))]
    {
        text.to_string_lossy().into_owned().into_bytes()
    }
}

/// `os.exit([code [, close]])`: `true` is success, `false` failure, a number the status.
/// With `close`, the VM is closed first (finalizers run). Buffered output is always
/// flushed, as C's `exit` does.
fn exit(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let status = match vm.arg(args, 1) {
        Value::Boolean(success) => i32::from(!success),
        // A C `int` conversion, as PUC does.
        _ => vm.opt_integer(args, 1, 0)? as i32,
    };
    if vm.arg(args, 2).is_truthy() {
        vm.close();
    }
    vm.flush_all_files();
    std::process::exit(status)
}

/// `os.remove(name)`: removes a file or an empty directory.
fn remove(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let name = vm.check_string(args, 1)?;
    let path = path_from_bytes(&name);
    let is_directory = std::fs::symlink_metadata(&path).is_ok_and(|data| data.is_dir());
    let result = if is_directory {
        std::fs::remove_dir(&path)
    } else {
        std::fs::remove_file(&path)
    };
    let result = result.map_err(|error| file_failure(&error, Some(c_string(&name))));
    library_result(vm, result)
}

/// `os.rename(from, to)`.
fn rename(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let from = vm.check_string(args, 1)?;
    let to = vm.check_string(args, 2)?;
    let result = std::fs::rename(path_from_bytes(&from), path_from_bytes(&to));
    library_result(vm, result.map_err(|error| file_failure(&error, None)))
}

/// `os.tmpname()`: the name of a new empty file in the temporary folder.
fn tmpname(vm: &mut Vm, _args: Args) -> LuaResult<Outcome> {
    match open::create_temporary_file() {
        Ok((path, _file)) => vm.return_string(&os_string_bytes(path.into_os_string())),
        Err(_) => Err(vm.library_error("unable to generate a unique filename")),
    }
}

/// `os.setlocale([locale [, category]])`: only the C locale exists. Querying or selecting
/// it (`"C"`, `"POSIX"`, or `""` for the default) returns `"C"`; other locales fail (nil).
fn setlocale(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    const CATEGORIES: &[&str] = &["all", "collate", "ctype", "monetary", "numeric", "time"];
    let locale = vm.opt_string(args, 1)?;
    vm.check_option(args, 2, Some("all"), CATEGORIES)?;
    match locale.as_deref().map(c_string) {
        None | Some(b"" | b"C" | b"POSIX") => vm.return_string(b"C"),
        Some(_) => vm.return1(Value::Nil),
    }
}

/// `os.execute([command])`: runs a shell command if the host allows processes
/// (`Vm::set_process_spawning`). Without a command, tells whether a shell is available.
fn execute(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let command = vm.opt_string(args, 1)?;
    let enabled = vm.host_io.processes_enabled;
    match command {
        None => vm.return1(Value::Boolean(enabled)),
        Some(_) if !enabled => Err(vm.library_error("'execute' not supported")),
        Some(command) => {
            let status = process::run_command(&command);
            process::push_exit_status(vm, status)
        }
    }
}
