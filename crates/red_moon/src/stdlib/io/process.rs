//! Starting processes: `io.popen` and the core of `os.execute`, with their results as
//! `luaL_execresult` reports them (`true|nil, "exit"|"signal", code`).
//!
//! Only when the host allowed it (`Vm::set_process_spawning`); otherwise `io.popen` raises
//! "'popen' not supported" (what PUC does where C has no `popen`).

use super::file::FileKind;
use super::stream::{Buffering, Source, Stream};
use super::{c_string, file_failure};
use crate::interpreter::native::{Args, Outcome};
use crate::interpreter::value::Value;
use crate::interpreter::{LuaResult, Vm};
use std::io;
use std::process::{Command, ExitStatus, Stdio};

/// `io.popen(command [, mode])`: mode `"r"` reads the command's output, `"w"` writes to
/// its input.
pub(super) fn popen(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let command = vm.check_string(args, 1)?;
    let mode = vm.opt_string(args, 2)?;
    let reading = match mode.as_deref().unwrap_or(b"r") {
        b"r" => true,
        b"w" => false,
        _ => return Err(vm.arg_error(args, 2, "invalid mode")),
    };
    if !vm.host_io.processes_enabled {
        return Err(vm.library_error("'popen' not supported"));
    }
    // C's popen implementation flushes every stream first.
    vm.flush_all_files();
    let mut shell = shell_command(&command);
    if reading {
        shell.stdout(Stdio::piped());
    } else {
        shell.stdin(Stdio::piped());
    }
    match shell.spawn() {
        Ok(child) => {
            let stream = Stream::new(Source::Process(child), reading, !reading, Buffering::Full);
            let handle = vm.new_file_handle(stream, FileKind::Process)?;
            vm.return1(handle)
        }
        Err(error) => file_failure(&error, Some(c_string(&command))).push(vm),
    }
}

/// Runs `command` through the shell, waiting for it (`system`).
pub(crate) fn run_command(command: &[u8]) -> io::Result<ExitStatus> {
    shell_command(command).status()
}

/// `sh -c command` (`cmd /C` on Windows).
fn shell_command(command: &[u8]) -> Command {
    let command = c_string(command);
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let mut shell = Command::new("/bin/sh");
        shell.arg("-c").arg(std::ffi::OsStr::from_bytes(command));
        shell
    }
    #[cfg(not(unix))]
    {
        let mut shell = Command::new("cmd");
        shell
            .arg("/C")
            .arg(String::from_utf8_lossy(command).into_owned());
        shell
    }
}

/// Pushes what `luaL_execresult` returns for a finished process.
pub(crate) fn push_exit_status(vm: &mut Vm, status: io::Result<ExitStatus>) -> LuaResult<Outcome> {
    let status = match status {
        Ok(status) => status,
        Err(error) => return file_failure(&error, None).push(vm),
    };
    let (what, code) = match (status.code(), termination_signal(&status)) {
        (Some(code), _) => ("exit", code),
        (None, Some(signal)) => ("signal", signal),
        (None, None) => ("exit", -1),
    };
    let success = if what == "exit" && code == 0 {
        Value::Boolean(true)
    } else {
        Value::Nil
    };
    let what = vm.new_string(what.as_bytes())?;
    vm.return_values(&[success, what, Value::Integer(i64::from(code))])
}

#[cfg(unix)]
fn termination_signal(status: &ExitStatus) -> Option<i32> {
    std::os::unix::process::ExitStatusExt::signal(status)
}

#[cfg(not(unix))]
fn termination_signal(_status: &ExitStatus) -> Option<i32> {
    None
}
