//! Opening files: `io.open`, `io.tmpfile`, the file opening of `io.input`, `io.output` and
//! `io.lines`, and unique temporary files (also used by `os.tmpname`).

use super::file::FileKind;
use super::stream::{Buffering, Source, Stream};
use super::{file_failure, path_from_bytes};
use crate::interpreter::native::{Args, Outcome};
use crate::interpreter::value::Value;
use crate::interpreter::{LuaResult, Vm};
use std::fs::{File, OpenOptions};
use std::io;
use std::path::PathBuf;

/// What an `fopen` mode string asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Mode {
    read: bool,
    write: bool,
    append: bool,
    create: bool,
    truncate: bool,
}

/// Parses a mode accepted by Lua: `[rwa]%+?b*` (anything else is an "invalid mode").
fn parse_mode(mode: &[u8]) -> Option<Mode> {
    let (&kind, rest) = mode.split_first()?;
    let (update, rest) = match rest.split_first() {
        Some((b'+', rest)) => (true, rest),
        _ => (false, rest),
    };
    if !rest.iter().all(|&byte| byte == b'b') {
        return None;
    }
    let mode = match kind {
        b'r' => Mode {
            read: true,
            write: update,
            append: false,
            create: false,
            truncate: false,
        },
        b'w' => Mode {
            read: update,
            write: true,
            append: false,
            create: true,
            truncate: true,
        },
        b'a' => Mode {
            read: update,
            write: true,
            append: true,
            create: true,
            truncate: false,
        },
        _ => return None,
    };
    Some(mode)
}

/// Opens `name` as `fopen(name, mode)` does; `mode` must be valid.
fn open_stream(name: &[u8], mode: Mode) -> io::Result<Stream> {
    let file = OpenOptions::new()
        .read(mode.read)
        .write(mode.write && !mode.append)
        .append(mode.append)
        .create(mode.create)
        .truncate(mode.truncate)
        .open(path_from_bytes(name))?;
    Ok(Stream::new(
        Source::File(file),
        mode.read,
        mode.write,
        Buffering::Full,
    ))
}

/// `io.open(filename [, mode])`.
pub(super) fn open(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let name = vm.check_string(args, 1)?;
    let mode = vm.opt_string(args, 2)?;
    let Some(mode) = parse_mode(mode.as_deref().unwrap_or(b"r")) else {
        return Err(vm.arg_error(args, 2, "invalid mode"));
    };
    match open_stream(&name, mode) {
        Ok(stream) => {
            let handle = vm.new_file_handle(stream, FileKind::Regular)?;
            vm.return1(handle)
        }
        Err(error) => file_failure(&error, Some(super::c_string(&name))).push(vm),
    }
}

/// PUC's `opencheck`: opens a file for `io.input`, `io.output` and `io.lines`, raising
/// "cannot open file" on failure.
pub(crate) fn open_or_raise(vm: &mut Vm, name: &[u8], mode: &[u8]) -> LuaResult<Value> {
    let result = match parse_mode(mode) {
        Some(mode) => open_stream(name, mode),
        None => Err(io::Error::from(io::ErrorKind::InvalidInput)),
    };
    match result {
        Ok(stream) => vm.new_file_handle(stream, FileKind::Regular),
        Err(error) => {
            let message = format!(
                "cannot open file '{}' ({})",
                String::from_utf8_lossy(super::c_string(name)),
                crate::stdlib::files::describe_io_error(&error)
            );
            Err(vm.library_error(message))
        }
    }
}

/// `io.tmpfile()`: a new file open for update, removed when closed (on Unix it is unlinked
/// at once, like C's `tmpfile`).
pub(super) fn tmpfile(vm: &mut Vm, _args: Args) -> LuaResult<Outcome> {
    match create_temporary_file() {
        Ok((path, file)) => {
            // Where an open file cannot be removed, it stays behind in the temporary folder.
            let _ = std::fs::remove_file(path);
            let stream = Stream::new(Source::File(file), true, true, Buffering::Full);
            let handle = vm.new_file_handle(stream, FileKind::Regular)?;
            vm.return1(handle)
        }
        Err(error) => file_failure(&error, None).push(vm),
    }
}

/// Creates a new, empty file with a unique name `lua_XXXXXX` in the system's temporary
/// folder (`std::env::temp_dir`, which follows `TMPDIR`), readable and writable by the
/// owner only, as `mkstemp` does.
pub(crate) fn create_temporary_file() -> io::Result<(PathBuf, File)> {
    const ATTEMPTS: u64 = 100;
    // PUC uses the fixed template "/tmp/lua_XXXXXX" on POSIX systems, whatever TMPDIR says
    // (scripts such as the official test suite rely on names without dots).
    let directory = if cfg!(unix) {
        PathBuf::from("/tmp")
    } else {
        std::env::temp_dir()
    };
    let mut seed = unpredictable_seed();
    let mut last_error = io::Error::from(io::ErrorKind::AlreadyExists);
    for _ in 0..ATTEMPTS {
        seed = mix(seed);
        let path = directory.join(format!("lua_{}", name_suffix(seed)));
        let mut options = OpenOptions::new();
        options.read(true).write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        match options.open(&path) {
            Ok(file) => return Ok((path, file)),
            Err(error) if error.kind() == io::ErrorKind::AlreadyExists => last_error = error,
            Err(error) => return Err(error),
        }
    }
    Err(last_error)
}

/// A seed that differs between calls and processes (temporary names need not be
/// deterministic: only trusted hosts use them).
fn unpredictable_seed() -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_nanos() as u64);
    nanos ^ (u64::from(std::process::id()) << 32)
}

/// splitmix64's step: spreads the seed's bits.
fn mix(seed: u64) -> u64 {
    let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Six letters and digits, like the `XXXXXX` of `mkstemp`.
fn name_suffix(seed: u64) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut value = seed;
    (0..6)
        .map(|_| {
            let index = (value % ALPHABET.len() as u64) as usize;
            value /= ALPHABET.len() as u64;
            char::from(ALPHABET.get(index).copied().unwrap_or(b'X'))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_accepted_like_puc() {
        for valid in [&b"r"[..], b"w", b"a", b"r+", b"w+b", b"a+bb", b"rb", b"r+b"] {
            assert!(parse_mode(valid).is_some(), "{valid:?}");
        }
        for invalid in [&b""[..], b"rw", b"rb+", b"r+bk", b"+", b"b", b"x", b"r++"] {
            assert!(parse_mode(invalid).is_none(), "{invalid:?}");
        }
        let update = parse_mode(b"a+").map(|m| (m.read, m.write, m.append));
        assert_eq!(update, Some((true, true, true)));
    }

    #[test]
    fn temporary_files_are_new_and_distinct() {
        let first = create_temporary_file().map(|(path, _)| path);
        let second = create_temporary_file().map(|(path, _)| path);
        let (Ok(first), Ok(second)) = (first, second) else {
            panic!("cannot create temporary files");
        };
        assert_ne!(first, second);
        assert!(first.exists() && second.exists());
        std::fs::remove_file(first).ok();
        std::fs::remove_file(second).ok();
    }
}
