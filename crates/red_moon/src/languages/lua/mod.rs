//! The Lua 5.4 compiler: lexer, parser, code generation.
//! (Placeholder until the compiler branch lands.)

use crate::bytecode::Proto;

/// A compilation error with PUC's complete message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    pub message: Vec<u8>,
}

/// Compiles a chunk.
pub fn compile(_source: &[u8], _chunk_name: &[u8]) -> Result<Proto, SyntaxError> {
    Err(SyntaxError {
        message: b"compiler not available".to_vec(),
    })
}
