//! Host functions: Rust closures callable from Lua.
//!
//! A host function returns either its results or a [`HostOutcome`] asking the interpreter to
//! yield the running coroutine or to call a Lua function. Neither holds the Rust stack: the
//! closure returns first, and the interpreter later enters the function's *continuation*
//! (a second closure, see [`VmContext::create_resumable_function`]) with the values that
//! came back and a Lua value of state the function chose to keep. While it waits, everything
//! about the call is plain data in the VM (`Continuation::Host`), so the VM can pause, be
//! cloned, or be serialized and resumed elsewhere once the function is rehydrated.

use super::context::VmContext;
use super::convert::{convert_argument, FromLua, FromMulti, IntoLua, IntoMulti};
use super::handles::{FunctionRef, Handle, ObjectKind};
use super::value::{MultiValue, Value};
use crate::errors::RuntimeError;
use crate::interpreter::function::NativeFunction;
use crate::interpreter::native::{Args, Continuation, HostFn, HostFunction, NativeKind, Outcome};
use crate::interpreter::thread::FrameKind;
use crate::interpreter::value::Value as RawValue;
use crate::interpreter::{LuaError, LuaResult, Vm};
use std::marker::PhantomData;
use std::ops::Range;
use std::rc::Rc;

/// What a host function receives: its arguments (or, in a continuation, the values that
/// came back), and the state value kept by the step that started the wait.
pub struct CallContext {
    values: MultiValue,
    state: Value,
}

impl CallContext {
    /// All arguments (in a continuation: the results of the call started with
    /// [`call_then`](CallContext::call_then), or the arguments of the `coroutine.resume`
    /// that ended a [`yield_values`](CallContext::yield_values)).
    pub fn args(&self) -> &MultiValue {
        &self.values
    }

    /// The state value passed to `yield_values` or `call_then` by the previous step (nil
    /// on the first entry).
    pub fn state(&self) -> &Value {
        &self.state
    }

    /// Converts all arguments (e.g. into a tuple). A value that fails to convert raises
    /// PUC's `bad argument #n to 'name' (number expected, got nil)`.
    ///
    /// ```
    /// use red_moon::interpreter::Vm;
    ///
    /// let mut vm = Vm::default();
    /// let ctx = &mut vm.context();
    /// let add = ctx.create_function(|call_ctx, ctx| {
    ///     let (a, b): (i64, i64) = call_ctx.get_args(ctx)?;
    ///     call_ctx.return_values(a + b, ctx)
    /// });
    /// ctx.default_environment().set("add", add, ctx).unwrap();
    /// let sum: i64 = ctx.exec(b"return add(2, 3)", "=example").unwrap();
    /// assert_eq!(sum, 5);
    /// let error = ctx.exec::<()>(b"return add(2)", "=example").unwrap_err();
    /// assert_eq!(
    ///     error.to_string(),
    ///     "example:1: bad argument #2 to 'add' (number expected, got no value)"
    /// );
    /// ```
    pub fn get_args<A: FromMulti>(&self, ctx: &mut VmContext) -> Result<A, RuntimeError> {
        A::from_args(self.values.clone(), 1, ctx)
    }

    /// Argument `n` (1-based) converted to `T`; a failed conversion raises PUC's
    /// `bad argument #n to 'name' (number expected, got nil)`.
    ///
    /// ```
    /// use red_moon::interpreter::Vm;
    ///
    /// let mut vm = Vm::default();
    /// let ctx = &mut vm.context();
    /// let double = ctx.create_function(|call_ctx, ctx| {
    ///     let n: i64 = call_ctx.arg(1, ctx)?;
    ///     call_ctx.return_values(n * 2, ctx)
    /// });
    /// ctx.default_environment().set("double", double, ctx).unwrap();
    /// let error = ctx.exec::<()>(b"double(nil)", "=example").unwrap_err();
    /// assert_eq!(
    ///     error.to_string(),
    ///     "example:1: bad argument #1 to 'double' (number expected, got nil)"
    /// );
    /// ```
    pub fn arg<T: FromLua>(&self, n: usize, ctx: &mut VmContext) -> Result<T, RuntimeError> {
        let value = n.checked_sub(1).and_then(|i| self.values.0.get(i)).cloned();
        convert_argument(value, n, ctx)
    }

    /// The values a host function returns.
    ///
    /// ```
    /// use red_moon::interpreter::Vm;
    ///
    /// let mut vm = Vm::default();
    /// let ctx = &mut vm.context();
    /// let pair = ctx.create_function(|call_ctx, ctx| call_ctx.return_values((1, "two"), ctx));
    /// let (a, b): (i64, String) = pair.call((), ctx).unwrap();
    /// assert_eq!((a, b.as_str()), (1, "two"));
    /// ```
    pub fn return_values<R: IntoMulti>(
        self,
        values: R,
        ctx: &mut VmContext,
    ) -> Result<MultiValue, RuntimeError> {
        values.into_multi(ctx)
    }

    /// Yields `values` from the running coroutine (like `coroutine.yield`), without
    /// holding the Rust stack. When the coroutine is resumed, a function made with
    /// [`VmContext::create_resumable_function`] runs its continuation with the resume
    /// arguments and `state`; a plain function returns the resume arguments (and `state`
    /// is dropped).
    ///
    /// Yielding outside a coroutine, or inside a call that cannot yield (e.g. a host
    /// [`FunctionRef::call`] made from another host function), raises a Lua error.
    ///
    /// ```
    /// use red_moon::interpreter::{Value, Vm};
    ///
    /// let mut vm = Vm::default();
    /// let ctx = &mut vm.context();
    /// let wait = ctx.create_function(|call_ctx, ctx| {
    ///     let ticks: i64 = call_ctx.arg(1, ctx)?;
    ///     call_ctx.yield_values(("waiting", ticks), Value::Nil, ctx)
    /// });
    /// ctx.default_environment().set("wait", wait, ctx).unwrap();
    /// let result: String = ctx
    ///     .exec(
    ///         b"local co = coroutine.wrap(function() return 'woke with ' .. wait(3) end)
    ///           local what, ticks = co()
    ///           return co(what .. ' ' .. ticks)",
    ///         "=example",
    ///     )
    ///     .unwrap();
    /// assert_eq!(result, "woke with waiting 3");
    /// ```
    pub fn yield_values<R: IntoMulti, S: IntoLua>(
        self,
        values: R,
        state: S,
        ctx: &mut VmContext,
    ) -> Result<HostOutcome, RuntimeError> {
        Ok(HostOutcome(Step::Yield {
            values: values.into_multi(ctx)?,
            state: state.into_lua(ctx)?,
        }))
    }

    /// Calls `function` with `args` from the interpreter loop (not from Rust, so the call
    /// can yield and pause like any Lua call). A function made with
    /// [`VmContext::create_resumable_function`] then runs its continuation with the results
    /// and `state`; a plain function returns the results unchanged (a tail call, and
    /// `state` is dropped).
    ///
    /// ```
    /// use red_moon::interpreter::{Value, Vm};
    ///
    /// let mut vm = Vm::default();
    /// let ctx = &mut vm.context();
    /// // `twice(f, x)` computes f(f(x)) without re-entering the interpreter: the state
    /// // is `f` while the first call runs, nil during the second.
    /// let twice = ctx.create_resumable_function(
    ///     |call_ctx, ctx| {
    ///         let (f, x): (Value, Value) = call_ctx.get_args(ctx)?;
    ///         call_ctx.call_then(f.clone(), x, f, ctx)
    ///     },
    ///     |call_ctx, ctx| {
    ///         let result = call_ctx.args().get(0);
    ///         match call_ctx.state().clone() {
    ///             Value::Nil => call_ctx.return_values(result, ctx).map(Into::into),
    ///             f => call_ctx.call_then(f, result, Value::Nil, ctx),
    ///         }
    ///     },
    /// );
    /// ctx.default_environment().set("twice", twice, ctx).unwrap();
    /// let n: i64 = ctx.exec(b"return twice(function(x) return x * 10 end, 7)", "=example").unwrap();
    /// assert_eq!(n, 700);
    /// ```
    pub fn call_then<F: IntoLua, A: IntoMulti, S: IntoLua>(
        self,
        function: F,
        args: A,
        state: S,
        ctx: &mut VmContext,
    ) -> Result<HostOutcome, RuntimeError> {
        Ok(HostOutcome(Step::Call {
            function: function.into_lua(ctx)?,
            args: args.into_multi(ctx)?,
            state: state.into_lua(ctx)?,
        }))
    }
}

/// What a host function asks for when it returns: results
/// ([`CallContext::return_values`], or any [`MultiValue`] converted with `into()`), a
/// yield ([`CallContext::yield_values`]) or a call ([`CallContext::call_then`]).
#[derive(Debug)]
pub struct HostOutcome(Step);

#[derive(Debug)]
enum Step {
    Return(MultiValue),
    Yield {
        values: MultiValue,
        state: Value,
    },
    Call {
        function: Value,
        args: MultiValue,
        state: Value,
    },
}

impl From<MultiValue> for HostOutcome {
    /// Returning these values.
    fn from(values: MultiValue) -> Self {
        HostOutcome(Step::Return(values))
    }
}

/// One step of a host function: the entry point or the continuation, with the closure's
/// result type normalized to `HostOutcome`.
trait HostStep: Clone + 'static {
    fn step(&self, call: CallContext, ctx: &mut VmContext) -> Result<HostOutcome, RuntimeError>;
}

/// A closure returning `Result<R, _>` for some `R: Into<HostOutcome>`.
struct StepFn<F, R>(F, PhantomData<fn() -> R>);

impl<F: Clone, R> Clone for StepFn<F, R> {
    fn clone(&self) -> Self {
        StepFn(self.0.clone(), PhantomData)
    }
}

impl<F, R> HostStep for StepFn<F, R>
where
    F: Fn(CallContext, &mut VmContext) -> Result<R, RuntimeError> + Clone + 'static,
    R: Into<HostOutcome> + 'static,
{
    fn step(&self, call: CallContext, ctx: &mut VmContext) -> Result<HostOutcome, RuntimeError> {
        (self.0)(call, ctx).map(Into::into)
    }
}

/// A host function: its entry point and, for resumable functions, its continuation.
#[derive(Clone)]
struct HostClosure<F, K> {
    entry: F,
    continuation: Option<K>,
}

impl<F: HostStep, K: HostStep> HostFn for HostClosure<F, K> {
    fn call(&self, vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
        let values = vm.public_values(args.func + 1..args.func + 1 + args.count);
        let call = CallContext {
            values,
            state: Value::Nil,
        };
        self.run(&self.entry, vm, args, call)
    }

    fn resume(&self, vm: &mut Vm, args: Args, values: Range<usize>) -> LuaResult<Outcome> {
        let Some(continuation) = &self.continuation else {
            return Err(LuaError::internal("host function without continuation"));
        };
        let state = vm.thread.stack.get(args.func + 1).copied();
        let state = vm.to_public(state.unwrap_or(RawValue::Nil));
        let values = vm.public_values(values);
        self.run(continuation, vm, args, CallContext { values, state })
    }

    fn clone_box(&self) -> Box<dyn HostFn> {
        Box::new(self.clone())
    }
}

impl<F: HostStep, K: HostStep> HostClosure<F, K> {
    fn run<S: HostStep>(
        &self,
        step: &S,
        vm: &mut Vm,
        args: Args,
        call: CallContext,
    ) -> LuaResult<Outcome> {
        let result = step.step(call, &mut VmContext { vm: &mut *vm });
        match result {
            Ok(outcome) => vm.apply_host_outcome(outcome, args, self.continuation.is_some()),
            Err(error) => Err(vm.host_error(error, args)),
        }
    }
}

impl Vm {
    /// The stack values in `range` as host values.
    fn public_values(&mut self, range: Range<usize>) -> MultiValue {
        let raw = self.thread.stack.get(range).unwrap_or(&[]).to_vec();
        MultiValue(raw.into_iter().map(|v| self.to_public(v)).collect())
    }

    /// Pushes host values; returns how many.
    fn push_public(&mut self, values: &MultiValue, args: Args) -> LuaResult<usize> {
        for value in values.iter() {
            self.push_public_value(value, args)?;
        }
        Ok(values.len())
    }

    fn push_public_value(&mut self, value: &Value, args: Args) -> LuaResult<()> {
        let raw = self
            .from_public(value)
            .map_err(|e| self.host_error(e, args))?;
        self.push(raw)
    }

    /// Turns what a host function returned into the native calling convention. For a
    /// resumable function, the state value goes to `stack[func + 1]`, below everything the
    /// interpreter runs next, where the continuation finds it (and the collector sees it).
    fn apply_host_outcome(
        &mut self,
        outcome: HostOutcome,
        args: Args,
        resumable: bool,
    ) -> LuaResult<Outcome> {
        match outcome.0 {
            Step::Return(values) => Ok(Outcome::Return(self.push_public(&values, args)?)),
            Step::Yield { values, state } => {
                if resumable {
                    self.keep_host_state(&state, args)?;
                    self.set_host_continuation(args)?;
                }
                Ok(Outcome::Yield(self.push_public(&values, args)?))
            }
            Step::Call {
                function,
                args: call_args,
                state,
            } => {
                let continuation = if resumable {
                    self.keep_host_state(&state, args)?;
                    Continuation::Host
                } else {
                    Continuation::ReturnAll
                };
                self.push_public_value(&function, args)?;
                let nargs = self.push_public(&call_args, args)?;
                Ok(Outcome::Call {
                    nargs,
                    continuation,
                })
            }
        }
    }

    /// Drops the frame's arguments and stores `state` just above the function slot.
    fn keep_host_state(&mut self, state: &Value, args: Args) -> LuaResult<()> {
        self.thread.top = args.func + 1;
        self.push_public_value(state, args)
    }

    /// Marks the host function's frame (on top) as waiting for its continuation.
    fn set_host_continuation(&mut self, args: Args) -> LuaResult<()> {
        match self.thread.frames.last_mut() {
            Some(frame) if frame.func as usize == args.func => {
                frame.kind = FrameKind::Native {
                    continuation: Some(Continuation::Host),
                };
                Ok(())
            }
            _ => Err(LuaError::internal("host function frame missing")),
        }
    }

    /// Stores a host function in the heap.
    pub(crate) fn new_host_function(&mut self, function: Rc<dyn HostFn>) -> FunctionRef {
        let native = NativeFunction {
            kind: NativeKind::Host(HostFunction {
                function,
                tag: None,
            }),
            upvalues: Box::new([]),
        };
        match self.heap.allocate_native(native) {
            Some(id) => match self.to_public(RawValue::Native(id)) {
                Value::Function(f) => f,
                _ => FunctionRef(Handle::dangling(ObjectKind::Native)),
            },
            // Only when 2^32 natives exist; the handle is rejected wherever it is used.
            None => FunctionRef(Handle::dangling(ObjectKind::Native)),
        }
    }
}

/// A host function from a closure (for functions built before they are stored).
pub(crate) fn host_fn<F, R>(function: F) -> Rc<dyn HostFn>
where
    F: Fn(CallContext, &mut VmContext) -> Result<R, RuntimeError> + Clone + 'static,
    R: Into<HostOutcome> + 'static,
{
    Rc::new(HostClosure::<_, StepFn<F, R>> {
        entry: StepFn(function, PhantomData),
        continuation: None,
    })
}

impl VmContext<'_> {
    /// A function implemented by a Rust closure. The closure is cloned with the VM, so state
    /// it owns is per VM (`Rc`-shared state is shared by every copy, which breaks
    /// rollback). It returns its results ([`CallContext::return_values`]) or a
    /// [`HostOutcome`] ([`CallContext::yield_values`], [`CallContext::call_then`]).
    ///
    /// ```
    /// use red_moon::interpreter::Vm;
    ///
    /// let mut vm = Vm::default();
    /// let ctx = &mut vm.context();
    /// let greet = ctx.create_function(|call_ctx, ctx| {
    ///     let name: String = call_ctx.arg(1, ctx)?;
    ///     call_ctx.return_values(format!("hello, {name}"), ctx)
    /// });
    /// let text: String = greet.call("moon", ctx).unwrap();
    /// assert_eq!(text, "hello, moon");
    /// ```
    pub fn create_function<F, R>(&mut self, function: F) -> FunctionRef
    where
        F: Fn(CallContext, &mut VmContext) -> Result<R, RuntimeError> + Clone + 'static,
        R: Into<HostOutcome> + 'static,
    {
        self.vm.new_host_function(host_fn(function))
    }

    /// A host function with a continuation: when `function` (or a previous run of
    /// `continuation`) returns [`CallContext::yield_values`] or [`CallContext::call_then`],
    /// the interpreter later runs `continuation` with the values that came back
    /// ([`CallContext::args`]) and the state value given then ([`CallContext::state`]).
    ///
    /// Everything a waiting function needs is in the VM as data, so a coroutine suspended
    /// inside one can be cloned, serialized and resumed in the copy (after rehydrating the
    /// function with [`FunctionRef::rehydrate`]). Keep the state in the state value, not in
    /// the closures.
    ///
    /// ```
    /// use red_moon::interpreter::Vm;
    ///
    /// let mut vm = Vm::default();
    /// let ctx = &mut vm.context();
    /// // `sum_inputs(n)` yields n times and returns the sum of the values it is resumed with.
    /// let sum_inputs = ctx.create_resumable_function(
    ///     |call_ctx, ctx| {
    ///         let n: i64 = call_ctx.arg(1, ctx)?;
    ///         call_ctx.yield_values((), vec![n, 0], ctx)
    ///     },
    ///     |call_ctx, ctx| {
    ///         let state: Vec<i64> = ctx.convert(call_ctx.state().clone())?;
    ///         let input: i64 = call_ctx.arg(1, ctx)?;
    ///         let (left, sum) = (state[0] - 1, state[1] + input);
    ///         if left == 0 {
    ///             return call_ctx.return_values(sum, ctx).map(Into::into);
    ///         }
    ///         call_ctx.yield_values((), vec![left, sum], ctx)
    ///     },
    /// );
    /// ctx.default_environment().set("sum_inputs", sum_inputs, ctx).unwrap();
    /// let total: i64 = ctx
    ///     .exec(
    ///         b"local co = coroutine.wrap(sum_inputs)
    ///           co(3); co(10); co(20)
    ///           return co(12)",
    ///         "=example",
    ///     )
    ///     .unwrap();
    /// assert_eq!(total, 42);
    /// ```
    pub fn create_resumable_function<F, R, K, S>(
        &mut self,
        function: F,
        continuation: K,
    ) -> FunctionRef
    where
        F: Fn(CallContext, &mut VmContext) -> Result<R, RuntimeError> + Clone + 'static,
        R: Into<HostOutcome> + 'static,
        K: Fn(CallContext, &mut VmContext) -> Result<S, RuntimeError> + Clone + 'static,
        S: Into<HostOutcome> + 'static,
    {
        let closure = HostClosure {
            entry: StepFn(function, PhantomData),
            continuation: Some(StepFn(continuation, PhantomData)),
        };
        self.vm.new_host_function(Rc::new(closure))
    }

    /// Converts a Lua value (e.g. a [`CallContext::state`]) into a Rust value.
    ///
    /// ```
    /// use red_moon::interpreter::{Value, Vm};
    ///
    /// let mut vm = Vm::default();
    /// let ctx = &mut vm.context();
    /// let n: f64 = ctx.convert(Value::Integer(3)).unwrap();
    /// assert_eq!(n, 3.0);
    /// ```
    pub fn convert<T: FromLua>(&mut self, value: Value) -> Result<T, RuntimeError> {
        T::from_lua(value, self)
    }
}
