//! `loadfile` and `dofile`: loading Lua code from the host's file system. Opt-in: only
//! hosts that trust their scripts (like the `red-moon` CLI) install these.

use super::library;
use crate::interpreter::native::{Args, Builtin, Continuation, Outcome};
use crate::interpreter::value::Value;
use crate::interpreter::{LuaError, LuaResult, Vm};

pub(crate) static FUNCTIONS: &[Builtin] = library!("_G",
    "dofile" => dofile,
    "loadfile" => loadfile,
);

impl Vm {
    pub(crate) fn open_files(&mut self) -> LuaResult<()> {
        let globals = self.globals;
        self.register_functions(globals, FUNCTIONS)
    }

    /// Reads and compiles a file (standard input when `path` is `None`) as `loadfile`
    /// does. `Ok(Err(message))` is a load failure returned to the script.
    pub(crate) fn load_file_chunk(
        &mut self,
        path: Option<&[u8]>,
        mode: &[u8],
        env: Option<Value>,
    ) -> LuaResult<Result<Value, Vec<u8>>> {
        let (bytes, chunk_name) = match path {
            Some(path) => {
                let name = String::from_utf8_lossy(path).into_owned();
                match std::fs::read(&name) {
                    Ok(bytes) => (bytes, [b"@", path].concat()),
                    Err(error) => {
                        return Ok(Err(format!(
                            "cannot open {name}: {}",
                            describe_io_error(&error)
                        )
                        .into_bytes()))
                    }
                }
            }
            None => {
                let mut bytes = Vec::new();
                if let Err(error) = std::io::Read::read_to_end(&mut std::io::stdin(), &mut bytes) {
                    return Ok(Err(format!(
                        "cannot read stdin: {}",
                        describe_io_error(&error)
                    )
                    .into_bytes()));
                }
                (bytes, b"=stdin".to_vec())
            }
        };
        self.check_memory(bytes.len())?;
        let source = crate::interpreter::skip_file_prefix(&bytes);
        self.load_chunk(&source, &chunk_name, mode, env)
    }
}

/// The C library's wording for common I/O errors (what `strerror` prints).
pub(crate) fn describe_io_error(error: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match error.kind() {
        ErrorKind::NotFound => "No such file or directory".to_string(),
        ErrorKind::PermissionDenied => "Permission denied".to_string(),
        ErrorKind::AlreadyExists => "File exists".to_string(),
        _ => match error.raw_os_error() {
            Some(21) => "Is a directory".to_string(),
            Some(20) => "Not a directory".to_string(),
            _ => {
                let text = error.to_string();
                match text.find(" (os error") {
                    Some(i) => text[..i].to_string(),
                    None => text,
                }
            }
        },
    }
}

fn loadfile(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let path = vm.opt_string(args, 1)?;
    let mode = vm.opt_string(args, 2)?;
    let env = vm.has_arg(args, 3).then(|| vm.arg(args, 3));
    let mode = mode.as_deref().unwrap_or(b"bt").to_vec();
    match vm.load_file_chunk(path.as_deref(), &mode, env)? {
        Ok(function) => vm.return1(function),
        Err(message) => {
            let message = vm.new_string(&message)?;
            vm.return_values(&[Value::Nil, message])
        }
    }
}

fn dofile(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let path = vm.opt_string(args, 1)?;
    match vm.load_file_chunk(path.as_deref(), b"bt", None)? {
        Ok(function) => {
            vm.push(function)?;
            Ok(Outcome::Call {
                nargs: 0,
                continuation: Continuation::ReturnAll,
            })
        }
        Err(message) => {
            let message = vm.new_string(&message)?;
            Err(LuaError::new(message))
        }
    }
}
