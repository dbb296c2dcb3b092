//! Messages on stderr, as lua.c's `l_message`: `progname: text`, where `progname` is the name
//! the interpreter was started with (`argv[0]`), and no prefix at all in interactive mode.

use red_moon::errors::RuntimeError;
use red_moon::interpreter::Value;
use std::sync::OnceLock;

/// Used when the system gives no `argv[0]` (lua.c's `LUA_PROGNAME`).
const DEFAULT_PROGNAME: &str = "red-moon";

/// Set once at start-up, read-only afterwards (lua.c's `progname`).
static PROGNAME: OnceLock<String> = OnceLock::new();

/// Records the program name from `argv[0]`, when there is a non-empty one.
pub fn set_progname(argv: &[String]) {
    if let Some(name) = argv.first().filter(|name| !name.is_empty()) {
        let _ = PROGNAME.set(name.clone());
    }
}

/// The program name messages start with.
pub fn progname() -> &'static str {
    PROGNAME.get().map_or(DEFAULT_PROGNAME, String::as_str)
}

/// Where a message is reported: lua.c drops the program name in interactive mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Prefix {
    ProgramName,
    None,
}

/// Prints `text` on stderr with the prefix.
pub fn message(prefix: Prefix, text: &str) {
    match prefix {
        Prefix::ProgramName => eprintln!("{}: {text}", progname()),
        Prefix::None => eprintln!("{text}"),
    }
}

/// Prints an error like lua.c's message handler and `report`: the message, then the
/// traceback, except for an error object that converted itself with `__tostring` (that
/// text is the whole report).
pub fn report(prefix: Prefix, error: &RuntimeError) {
    match error {
        RuntimeError::Lua {
            value,
            message: text,
            traceback,
        } => {
            message(prefix, text);
            let converted = !matches!(
                value,
                Value::String(_) | Value::Integer(_) | Value::Float(_)
            ) && !text.starts_with("(error object is a ");
            if let (Some(traceback), false) = (traceback, converted) {
                eprintln!("{traceback}\n\t[C]: in ?");
            }
        }
        RuntimeError::Paused => message(prefix, "fuel exhausted"),
        other => message(prefix, &other.to_string()),
    }
}
