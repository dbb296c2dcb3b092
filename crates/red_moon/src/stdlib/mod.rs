//! Pure engines of the Lua standard library, independent of the interpreter.

pub mod os;
pub mod string;
pub mod utf8;
