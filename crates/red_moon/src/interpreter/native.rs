//! Native (Rust) functions: the calling convention shared by the standard library and host
//! functions.
//!
//! A native is called with its arguments on the running thread's stack (`Args`). It pushes
//! its results with `Vm::push` and returns `Outcome::Return(n)`: the top `n` stack values
//! are the results. A native that must run Lua code *without* growing the Rust stack (so the
//! call stays pausable and yieldable: `pcall`, `coroutine.resume`, ...) returns another
//! `Outcome` and names a `Continuation` the interpreter runs when that code finishes.

use super::heap::{NativeId, ThreadId};
use super::vm::Vm;
use super::LuaResult;
use std::fmt;
use std::ops::Range;
use std::rc::Rc;

/// Where a native's arguments are: `stack[func + 1 ..= func + count]` of the running thread.
#[derive(Clone, Copy, Debug)]
pub struct Args {
    /// Stack index of the called function value.
    pub func: usize,
    pub count: usize,
    /// The native being called (for access to its upvalues).
    pub callee: NativeId,
}

/// What a native asks the interpreter to do when it returns.
#[derive(Debug)]
pub enum Outcome {
    /// The top `n` values of the stack are the results.
    Return(usize),
    /// Call `stack[top - nargs - 1]` with the `nargs` values above it, then run
    /// `continuation` with its results (they end at the stack top).
    Call {
        nargs: usize,
        continuation: Continuation,
    },
    /// Suspend the running coroutine, passing the top `n` values to its resumer.
    Yield(usize),
    /// Resume `thread` with the top `nargs` values; the resumer's `continuation` receives
    /// the values the coroutine yields or returns (or its error).
    Resume {
        thread: ThreadId,
        nargs: usize,
        continuation: Continuation,
    },
}

/// A step a native frame performs after the Lua code it started finishes. These are plain
/// data so that a paused or suspended call can be cloned and serialized.
#[derive(serde::Serialize, serde::Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Continuation {
    /// `pcall`: results become `true, ...`; an error becomes `false, err`.
    Pcall,
    /// `xpcall`: like `pcall`, but errors first go through the handler stored at stack slot
    /// `handler` (the native frame's argument area, so the collector sees it).
    Xpcall { handler: u32 },
    /// `coroutine.resume`: `true, ...` or `false, err`.
    Resume,
    /// A function made by `coroutine.wrap`: values pass through; errors propagate (with
    /// position information added to string messages, as PUC does).
    Wrap,
    /// Return the results unchanged (`dofile`, `pairs` with `__pairs` truncating to 3, ...).
    ReturnAll,
    /// Return exactly `n` results.
    ReturnExactly(u8),
    /// A host function's own continuation (`VmContext::create_resumable_function`). Plain
    /// data like the others: the host function is the frame's callee (`stack[func]`), the
    /// state value it asked to keep is at `stack[func + 1]`, and the values it receives (the
    /// results of the call it started, or the arguments of the `resume` that woke it) are
    /// above. A deserialized VM finds the implementation again through rehydration.
    Host,
}

/// A library function: a plain function pointer with a stable identifier, so that natives
/// survive serialization (the deserializer finds the pointer again by `id`).
pub struct Builtin {
    /// Unique, stable name, e.g. `"string.sub"`.
    pub id: &'static str,
    /// Name used in error messages (`bad argument #1 to 'sub'`).
    pub name: &'static str,
    pub function: fn(&mut Vm, Args) -> LuaResult<Outcome>,
}

impl fmt::Debug for Builtin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "builtin {}", self.id)
    }
}

/// A host function: a cloneable Rust closure. Cloning the VM clones the closure (state it
/// owns is per VM); `Rc` is only used to call it without borrowing the heap.
pub trait HostFn: 'static {
    /// The function's entry point.
    fn call(&self, vm: &mut Vm, args: Args) -> LuaResult<Outcome>;
    /// The entry point of its continuation (`Continuation::Host`): `args.func` is the frame's
    /// function slot (`args.count` is 0) and `values` the stack range of the values it
    /// receives. Only functions that asked for `Continuation::Host` are resumed.
    fn resume(&self, vm: &mut Vm, args: Args, values: Range<usize>) -> LuaResult<Outcome> {
        let _ = (vm, args, values);
        Err(super::LuaError::internal(
            "host function without continuation",
        ))
    }
    fn clone_box(&self) -> Box<dyn HostFn>;
}

/// A host function stored in the heap, with the tag used for rehydration.
pub struct HostFunction {
    pub function: Rc<dyn HostFn>,
    pub tag: Option<Rc<str>>,
}

impl Clone for HostFunction {
    /// Deep clone: each VM clone gets its own copy of the closure and its captures.
    fn clone(&self) -> Self {
        HostFunction {
            function: Rc::from(self.function.clone_box()),
            tag: self.tag.clone(),
        }
    }
}

#[derive(Clone)]
pub enum NativeKind {
    Builtin(&'static Builtin),
    Host(HostFunction),
    /// A host function that was serialized and has not been rehydrated yet; calling it
    /// raises an error naming the tag.
    #[cfg_attr(not(feature = "serde"), allow(dead_code))]
    Missing {
        tag: Option<Rc<str>>,
    },
}

impl fmt::Debug for NativeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NativeKind::Builtin(b) => write!(f, "{b:?}"),
            NativeKind::Host(h) => write!(f, "host function {:?}", h.tag),
            NativeKind::Missing { tag } => write!(f, "missing host function {tag:?}"),
        }
    }
}

/// The error raised when a serialized host function runs before it was rehydrated.
pub(crate) fn not_rehydrated_message(tag: Option<&str>) -> String {
    match tag {
        Some(tag) => format!("host function '{tag}' was not rehydrated"),
        None => "host function was not rehydrated (it has no tag)".to_string(),
    }
}

impl Vm {
    /// Runs the continuation of the host function whose native frame is on top (its callee
    /// is at `stack[func]`), handing it the `count` values at `first`.
    pub(crate) fn resume_host_function(
        &mut self,
        func: usize,
        first: usize,
        count: usize,
    ) -> LuaResult<Outcome> {
        let Some(super::value::Value::Native(callee)) = self.thread.stack.get(func).copied() else {
            return Err(super::LuaError::internal(
                "host continuation without its function",
            ));
        };
        let function = match self.heap.natives.get(callee.0).map(|n| &n.kind) {
            Some(NativeKind::Host(host)) => Rc::clone(&host.function),
            Some(NativeKind::Missing { tag }) => {
                let message = not_rehydrated_message(tag.as_deref());
                return Err(self.runtime_error(message));
            }
            _ => return Err(super::LuaError::internal("host continuation of a builtin")),
        };
        let args = Args {
            func,
            count: 0,
            callee,
        };
        function.resume(self, args, first..first + count)
    }
}
