//! Engines of Lua's `os` library.

pub mod date;
