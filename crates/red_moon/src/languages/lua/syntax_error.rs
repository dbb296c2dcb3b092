//! The error returned when a chunk does not compile.

use std::fmt;

/// A compilation error, carrying the complete message exactly as PUC-Rio Lua 5.4 formats it
/// for `load` (e.g. `[string "x = "]:1: unexpected symbol near <eof>`).
///
/// Lua messages are byte strings (they quote source text, which need not be UTF-8).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    /// The full message, including the `chunk:line:` prefix when PUC adds one.
    pub message: Vec<u8>,
}

impl SyntaxError {
    /// An error whose message is `message` verbatim.
    pub(crate) fn new(message: Vec<u8>) -> Self {
        Self { message }
    }

    /// `chunk_id:line: description`, PUC's `luaG_addinfo` format.
    pub(crate) fn at_line(chunk_id: &[u8], line: u32, description: &[u8]) -> Self {
        let mut message = Vec::with_capacity(chunk_id.len() + description.len() + 16);
        message.extend_from_slice(chunk_id);
        message.push(b':');
        message.extend_from_slice(line.to_string().as_bytes());
        message.extend_from_slice(b": ");
        message.extend_from_slice(description);
        Self { message }
    }

    /// Appends ` near <token>` (the token text is already formatted and quoted).
    pub(crate) fn with_near(mut self, near: &[u8]) -> Self {
        self.message.extend_from_slice(b" near ");
        self.message.extend_from_slice(near);
        self
    }
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&String::from_utf8_lossy(&self.message))
    }
}

impl std::error::Error for SyntaxError {}
