//! Source languages compiled to Red Moon bytecode.

pub mod lua;
