//! Threads (the main thread and coroutines): a value stack and a stack of call frames, kept
//! as plain data so execution can stop at any instruction boundary and be cloned or
//! serialized.

use super::heap::{ClosureId, UpvalueId};
use super::native::Continuation;
use super::value::Value;

/// What happens to the values a frame returns.
#[derive(serde::Serialize, serde::Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReturnTo {
    /// A call instruction of the Lua frame below: keep `wanted` results at the callee's slot
    /// (`-1`: all of them, setting `top`).
    Caller { wanted: i32 },
    /// A metamethod started by an instruction of the Lua frame below: store the first
    /// result in register `register` of that frame.
    Register(u8),
    /// A comparison metamethod: the caller's next instruction is a `Jmp`, taken when the
    /// truthiness of the first result (inverted if `negate`: `a <= b` computed as
    /// `not (b < a)` when there is no `__le`) equals `expect`.
    Condition { expect: bool, negate: bool },
    /// A metamethod whose results are ignored (`__newindex`).
    Discard,
    /// A `__close` called by a `Close` or `Return` instruction: results are ignored and the
    /// instruction runs again (to close the next variable, or to finish returning).
    RepeatInstruction,
    /// A `__concat` metamethod inside a `Concat` instruction: store the result at stack slot
    /// `slot` and continue concatenating `stack[first..=slot]`.
    Concat { slot: u32, first: u32 },
    /// The native frame below resumes its continuation with all results.
    Native,
    /// The Rust caller of a nested call (`Vm::call_nested`) takes all results.
    Nested,
    /// The body of a coroutine: its results go to the thread that resumed it.
    Resumer,
}

#[derive(serde::Serialize, serde::Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub enum FrameKind {
    /// A running Lua function.
    Lua { closure: ClosureId, pc: u32 },
    /// A running native, or one waiting for Lua code it started (see `Continuation`).
    Native { continuation: Option<Continuation> },
}

/// One activation record.
#[derive(serde::Serialize, serde::Deserialize, Clone, Copy, Debug)]
pub struct Frame {
    pub kind: FrameKind,
    /// Stack slot of the called function; results are moved here.
    pub func: u32,
    /// The frame replaced its caller's frame through a tail call.
    pub tail_call: bool,
    /// First register (Lua) or first argument (native).
    pub base: u32,
    /// Number of extra arguments of a vararg Lua function (stored just below `func`... see
    /// `call`), 0 otherwise.
    pub varargs: u32,
    pub return_to: ReturnTo,
}

/// Execution state of one thread.
#[derive(serde::Serialize, serde::Deserialize, Debug, Default)]
pub struct ThreadState {
    /// All slots are initialised; `stack.len()` is the allocated size, not the top.
    pub stack: Vec<Value>,
    /// End of the values produced by the last variable-result operation, and the push point
    /// for natives.
    pub top: usize,
    pub frames: Vec<Frame>,
    /// Open upvalues by stack slot, ascending.
    pub open_upvalues: Vec<(u32, UpvalueId)>,
    /// Stack slots of pending to-be-closed variables, ascending.
    pub to_be_closed: Vec<u32>,
    /// Nested Rust calls in progress (while > 0 the thread cannot yield).
    pub nested_calls: u32,
    /// The thread's debug hook (`debug.sethook`).
    pub hook: Option<super::hooks::Hook>,
}

// The running thread's stack is the largest buffer a rollback rewrites.
super::clone_by_field!(ThreadState {
    stack,
    top,
    frames,
    open_upvalues,
    to_be_closed,
    nested_calls,
    hook,
});

#[derive(serde::Serialize, serde::Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ThreadStatus {
    /// Created or yielded: can be resumed.
    Suspended,
    /// Currently executing.
    Running,
    /// Active but not running (it resumed another coroutine).
    Normal,
    /// Finished or failed.
    Dead,
}

/// A thread object in the heap. While a thread runs, its `state` is moved into the VM (see
/// `Vm::thread`) and this slot holds an empty placeholder.
#[derive(serde::Serialize, serde::Deserialize, Clone, Debug)]
pub struct Thread {
    pub state: Box<ThreadState>,
    pub status: ThreadStatus,
    /// The error that killed the thread, for `coroutine.close`.
    pub error: Option<Value>,
}

impl Thread {
    pub fn new() -> Self {
        Thread {
            state: Box::default(),
            status: ThreadStatus::Suspended,
            error: None,
        }
    }
}

impl Default for Thread {
    fn default() -> Self {
        Self::new()
    }
}
