//! Red Moon: a Lua 5.4 virtual machine for multiplayer games that run untrusted scripts.
#![forbid(unsafe_code)]

pub mod bytecode;
pub mod errors;
pub mod interpreter;
pub mod languages;
pub mod numbers;
mod snapshot;
pub mod stdlib;
