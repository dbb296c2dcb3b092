//! The coroutine library (manual §6.2). Resuming and yielding are `Outcome`s handled by the
//! interpreter loop, so coroutines never use the Rust stack.

use super::library;
use crate::interpreter::heap::ThreadId;
use crate::interpreter::native::{Args, Builtin, Continuation, Outcome};
use crate::interpreter::thread::{Thread, ThreadStatus};
use crate::interpreter::value::Value;
use crate::interpreter::{LuaResult, Vm};

pub(crate) static FUNCTIONS: &[Builtin] = library!("coroutine",
    "close" => close,
    "create" => create,
    "isyieldable" => isyieldable,
    "resume" => resume,
    "running" => running,
    "status" => status,
    "wrap" => wrap,
    "yield" => yield_,
);

/// The function `coroutine.wrap` returns; its upvalue is the coroutine.
pub(crate) static WRAPPED: Builtin = Builtin {
    id: "coroutine.wrap.function",
    name: "wrap",
    function: call_wrapped,
};

impl Vm {
    pub(crate) fn open_coroutine(&mut self) -> LuaResult<()> {
        let table = self.new_table(0, 8)?;
        self.register_functions(table, FUNCTIONS)?;
        self.register_library("coroutine", table)
    }

    /// A new suspended coroutine whose body is `function` (waiting in stack slot 0).
    pub(crate) fn new_thread(&mut self, function: Value) -> LuaResult<ThreadId> {
        let mut thread = Thread::new();
        thread.state.stack = vec![function, Value::Nil];
        thread.state.top = 1;
        self.check_memory(256)?;
        match self.heap.allocate_thread(thread) {
            Some(id) => Ok(id),
            None => Err(self.out_of_memory()),
        }
    }

    /// `coroutine.status` names.
    fn status_name(&self, thread: ThreadId) -> &'static str {
        match self.thread_status(thread) {
            Some(ThreadStatus::Running) => "running",
            Some(ThreadStatus::Normal) => "normal",
            Some(ThreadStatus::Suspended) => "suspended",
            Some(ThreadStatus::Dead) | None => "dead",
        }
    }
}

fn check_function(vm: &mut Vm, args: Args, n: usize) -> LuaResult<Value> {
    let value = vm.arg(args, n);
    if !value.is_function() {
        return Err(vm.type_error(args, n, "function"));
    }
    Ok(value)
}

impl Vm {
    /// The coroutine argument of the coroutine functions ("thread expected").
    fn coroutine_arg(&mut self, args: Args, n: usize) -> LuaResult<ThreadId> {
        match self.arg(args, n) {
            Value::Thread(t) => Ok(t),
            _ => Err(self.type_error(args, n, "thread")),
        }
    }
}

fn create(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let function = check_function(vm, args, 1)?;
    let thread = vm.new_thread(function)?;
    vm.return1(Value::Thread(thread))
}

fn resume(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let thread = vm.coroutine_arg(args, 1)?;
    Ok(Outcome::Resume {
        thread,
        nargs: args.count - 1,
        continuation: Continuation::Resume,
    })
}

fn yield_(_vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    Ok(Outcome::Yield(args.count))
}

fn wrap(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let function = check_function(vm, args, 1)?;
    let thread = vm.new_thread(function)?;
    let wrapped = vm.new_native(&WRAPPED, vec![Value::Thread(thread)])?;
    vm.return1(wrapped)
}

fn call_wrapped(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let thread = match vm.native_upvalue(args.callee, 0) {
        Value::Thread(t) => t,
        _ => return Err(vm.library_error("invalid wrapped coroutine")),
    };
    Ok(Outcome::Resume {
        thread,
        nargs: args.count,
        continuation: Continuation::Wrap,
    })
}

fn status(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let thread = vm.coroutine_arg(args, 1)?;
    let name = vm.status_name(thread);
    vm.return_string(name.as_bytes())
}

fn running(vm: &mut Vm, _args: Args) -> LuaResult<Outcome> {
    let current = vm.current_thread;
    let is_main = current == vm.main_thread;
    vm.return_values(&[Value::Thread(current), Value::Boolean(is_main)])
}

fn isyieldable(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let thread = if vm.arg(args, 1).is_nil() {
        vm.current_thread
    } else {
        vm.coroutine_arg(args, 1)?
    };
    let yieldable = thread != vm.main_thread
        && if thread == vm.current_thread {
            vm.thread.nested_calls == 0
        } else {
            vm.heap
                .threads
                .get(thread.0)
                .is_some_and(|t| t.state.nested_calls == 0)
        };
    vm.return1(Value::Boolean(yieldable))
}

fn close(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let thread = vm.coroutine_arg(args, 1)?;
    let status = vm.status_name(thread);
    if status == "running" || status == "normal" {
        return Err(vm.library_error(format!("cannot close a {status} coroutine")));
    }
    let pending_error = vm.heap.threads.get(thread.0).and_then(|t| t.error);
    let error = vm.close_dead_coroutine(thread, pending_error.unwrap_or(Value::Nil))?;
    if let Some(t) = vm.heap.threads.get_mut(thread.0) {
        t.status = ThreadStatus::Dead;
        t.error = None;
        *t.state = Default::default();
    }
    match pending_error {
        None if error.is_nil() => vm.return1(Value::Boolean(true)),
        _ => vm.return_values(&[Value::Boolean(false), error]),
    }
}
