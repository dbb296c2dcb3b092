//! Engines of Lua's `string` library.

pub mod pattern;
