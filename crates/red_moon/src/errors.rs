//! Errors returned to the host.

use crate::interpreter::Value;
use std::fmt;

/// An error from the VM or from converting values between Rust and Lua.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum RuntimeError {
    /// A Lua error (raised by `error`, a failed operation, a library function, or a host
    /// function). `value` is the error object itself (any Lua value); `message` is its
    /// string form, and `traceback` the stack at the point of the error, when known.
    Lua {
        value: Value,
        message: String,
        traceback: Option<String>,
    },
    /// A chunk did not compile; the message is PUC's (`chunk:line: ... near '...'`).
    Syntax(String),
    /// The call ran out of fuel and is paused; resume it with
    /// [`VmContext::resume`](crate::interpreter::VmContext::resume) after adding fuel.
    Paused,
    /// A host function argument failed to convert; raised in Lua as PUC's
    /// `bad argument #position to 'name' (message)`.
    BadArgument { position: usize, message: String },
    /// A value had the wrong type for a conversion.
    Conversion {
        expected: &'static str,
        actual: &'static str,
    },
    /// A number could not be converted to the Rust numeric type `target`; `message` says
    /// why, in PUC's words ("number has no integer representation", "value out of range").
    NumberConversion {
        target: &'static str,
        message: &'static str,
    },
    /// A userdata does not hold a value of the Rust type asked for (`actual` names what it
    /// holds: a Rust type, or the tag of a serialized value whose type was not registered).
    UserDataType {
        expected: &'static str,
        actual: String,
    },
    /// A userdata's value is borrowed already (by a method running further up the stack).
    UserDataBorrowed { type_name: &'static str },
    /// Converting between a Rust value and a Lua value with serde failed.
    Serde(String),
    /// A handle was used with a VM that does not hold its object (a different VM, or one
    /// restored from a snapshot taken before the object existed).
    InvalidHandle,
    /// The operation is not allowed in the VM's current state (e.g. starting a call while
    /// another one is paused).
    InvalidState(&'static str),
    /// A host function or the host raised an error with this message.
    Message(String),
    /// A broken internal invariant (e.g. a corrupted snapshot slipped past validation).
    Internal(&'static str),
}

impl RuntimeError {
    /// An error with a message, as a host function raises it.
    pub fn message(message: impl Into<String>) -> Self {
        RuntimeError::Message(message.into())
    }
}

impl fmt::Display for RuntimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RuntimeError::Lua { message, .. } => f.write_str(message),
            RuntimeError::Syntax(message) => f.write_str(message),
            RuntimeError::Paused => f.write_str("execution paused: out of fuel"),
            RuntimeError::Conversion { expected, actual } => {
                write!(f, "{expected} expected, got {actual}")
            }
            RuntimeError::NumberConversion { target, message } => {
                write!(f, "{message} (converting to {target})")
            }
            RuntimeError::UserDataType { expected, actual } => {
                write!(f, "userdata of type {expected} expected, got {actual}")
            }
            RuntimeError::UserDataBorrowed { type_name } => {
                write!(f, "userdata of type {type_name} is already borrowed")
            }
            RuntimeError::Serde(message) => f.write_str(message),
            RuntimeError::BadArgument { position, message } => {
                write!(f, "bad argument #{position} ({message})")
            }
            RuntimeError::InvalidHandle => f.write_str("handle does not belong to this VM"),
            RuntimeError::InvalidState(message) => f.write_str(message),
            RuntimeError::Message(message) => f.write_str(message),
            RuntimeError::Internal(message) => write!(f, "internal error: {message}"),
        }
    }
}

impl std::error::Error for RuntimeError {}
