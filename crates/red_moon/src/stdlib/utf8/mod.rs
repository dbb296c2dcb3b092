//! Lua's `utf8` library (manual §6.5): the pure codec engine and the library table.

pub mod codec;
pub(crate) mod library;
