//! Engines of Lua's `utf8` library.

pub mod codec;
pub(crate) mod library;
