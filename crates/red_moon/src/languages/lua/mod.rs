//! The Lua 5.4 compiler: lexer, parser, code generation.
//!
//! [`compile`] turns Lua source text into a [`Proto`] (the main function of the chunk), or
//! fails with the [`SyntaxError`] PUC-Rio Lua 5.4 reports for the same source.

mod ast;
mod codegen;
mod constant_folding;
mod lexer;
mod numeral;
mod parser;
mod syntax_error;
#[cfg(test)]
mod tests;
mod token;

use crate::bytecode::{chunk_id, Proto};
use std::rc::Rc;

pub use parser::MAX_SYNTAX_LEVELS;
pub use syntax_error::SyntaxError;

/// How to read a chunk.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CompileOptions {
    /// Ignore a first line starting with `#` (such as `#!/usr/bin/lua`), as `luaL_loadfile`
    /// does. PUC's `load` does not skip it.
    pub skip_comment_line: bool,
}

impl Default for CompileOptions {
    fn default() -> Self {
        Self {
            skip_comment_line: true,
        }
    }
}

/// Compiles the Lua source `source` of the chunk named `chunk_name` (as given to `load`:
/// `=name`, `@file` or the source itself), skipping a first line starting with `#`.
///
/// The result is the chunk's main function: a vararg function whose only upvalue is `_ENV`,
/// to be set to the global table by the loader.
pub fn compile(source: &[u8], chunk_name: &[u8]) -> Result<Proto, SyntaxError> {
    compile_with_options(source, chunk_name, CompileOptions::default())
}

/// [`compile`] with explicit [`CompileOptions`].
pub fn compile_with_options(
    source: &[u8],
    chunk_name: &[u8],
    options: CompileOptions,
) -> Result<Proto, SyntaxError> {
    let chunk_id: Rc<[u8]> = chunk_id(chunk_name).into();
    let main = parser::parse_chunk(source, chunk_id.clone(), options.skip_comment_line)?;
    codegen::generate(&main, chunk_name.into(), chunk_id)
}
