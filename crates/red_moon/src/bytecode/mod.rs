//! The compiled form of Lua code: instructions and function prototypes.
//!
//! This module is the contract between the compiler (`crate::languages::lua`) and the
//! interpreter (`crate::interpreter`).

pub mod binary;
mod chunk_name;
mod disassemble;
mod instruction;
mod proto;
pub mod verify;

pub use chunk_name::chunk_id;
pub use disassemble::disassemble;
pub use instruction::Instruction;
pub use proto::{Constant, LocalVariable, Proto, UpvalueDescriptor};
pub use verify::{verify, VerifyError};
