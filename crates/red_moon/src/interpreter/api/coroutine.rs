//! `CoroutineRef`: creating, resuming and inspecting coroutines from the host.

use super::context::VmContext;
use super::convert::{FromMulti, IntoMulti};
use super::handles::{CoroutineRef, FunctionRef};
use super::value::Value;
use crate::errors::RuntimeError;
use crate::interpreter::heap::ThreadId;
use crate::interpreter::thread::ThreadStatus;
use crate::interpreter::value::Value as RawValue;

/// The state of a coroutine, as `coroutine.status` names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CoroutineStatus {
    /// Not started, or suspended in a yield: can be resumed.
    Suspended,
    /// Running (it is the coroutine that called the host).
    Running,
    /// Active but not running: it resumed another coroutine.
    Normal,
    /// Finished, or stopped by an error.
    Dead,
}

impl CoroutineRef {
    fn thread_id(&self, ctx: &VmContext) -> Result<ThreadId, RuntimeError> {
        match ctx.vm.resolve(&self.0)? {
            RawValue::Thread(id) => Ok(id),
            _ => Err(RuntimeError::InvalidHandle),
        }
    }

    /// Resumes the coroutine with `args`, returning what it yields or returns. An error
    /// inside the coroutine kills it and is returned as [`RuntimeError::Lua`]; so is
    /// resuming a dead or running coroutine.
    ///
    /// Like [`FunctionRef::call`], a resume started by the host can pause when fuel runs
    /// out; [`VmContext::resume`] then continues it and returns what the coroutine yields or
    /// returns.
    ///
    /// ```
    /// use red_moon::interpreter::{CoroutineStatus, FunctionRef, Vm};
    ///
    /// let mut vm = Vm::default();
    /// let ctx = &mut vm.context();
    /// let body: FunctionRef = ctx
    ///     .exec(b"return function(a) local b = coroutine.yield(a + 1) return b * 2 end", "=example")
    ///     .unwrap();
    /// let co = ctx.create_coroutine(&body).unwrap();
    /// assert_eq!(co.resume::<_, i64>(1, ctx).unwrap(), 2);
    /// assert_eq!(co.status(ctx).unwrap(), CoroutineStatus::Suspended);
    /// assert_eq!(co.resume::<_, i64>(21, ctx).unwrap(), 42);
    /// assert_eq!(co.status(ctx).unwrap(), CoroutineStatus::Dead);
    /// assert!(co.resume::<_, ()>((), ctx).is_err());
    /// ```
    pub fn resume<A: IntoMulti, R: FromMulti>(
        &self,
        args: A,
        ctx: &mut VmContext,
    ) -> Result<R, RuntimeError> {
        let thread = self.thread_id(ctx)?;
        // `coroutine.wrap`'s function for this coroutine: it resumes it from the
        // interpreter loop (pausable) and passes values and errors through.
        let wrapped = ctx
            .vm
            .new_native(
                &crate::stdlib::coroutine::WRAPPED,
                vec![RawValue::Thread(thread)],
            )
            .map_err(|e| ctx.vm.runtime_error_from(e))?;
        let wrapped = ctx.vm.to_public(wrapped);
        let args = args.into_multi(ctx)?;
        ctx.call_value(&wrapped, args)
    }

    /// The coroutine's status.
    ///
    /// ```
    /// use red_moon::interpreter::{CoroutineRef, CoroutineStatus, Vm};
    ///
    /// let mut vm = Vm::default();
    /// let ctx = &mut vm.context();
    /// let co: CoroutineRef = ctx.exec(b"return coroutine.create(print)", "=example").unwrap();
    /// assert_eq!(co.status(ctx).unwrap(), CoroutineStatus::Suspended);
    /// ```
    pub fn status(&self, ctx: &VmContext) -> Result<CoroutineStatus, RuntimeError> {
        let thread = self.thread_id(ctx)?;
        Ok(match ctx.vm.thread_status(thread) {
            Some(ThreadStatus::Suspended) => CoroutineStatus::Suspended,
            Some(ThreadStatus::Running) => CoroutineStatus::Running,
            Some(ThreadStatus::Normal) => CoroutineStatus::Normal,
            Some(ThreadStatus::Dead) | None => CoroutineStatus::Dead,
        })
    }
}

impl VmContext<'_> {
    /// A new coroutine running `function` (like `coroutine.create`).
    ///
    /// ```
    /// use red_moon::interpreter::Vm;
    ///
    /// let mut vm = Vm::default();
    /// let ctx = &mut vm.context();
    /// let counter = ctx.create_function(|call_ctx, ctx| {
    ///     call_ctx.yield_values(1, red_moon::interpreter::Value::Nil, ctx)
    /// });
    /// let co = ctx.create_coroutine(&counter).unwrap();
    /// assert_eq!(co.resume::<_, i64>((), ctx).unwrap(), 1);
    /// ```
    pub fn create_coroutine(
        &mut self,
        function: &FunctionRef,
    ) -> Result<CoroutineRef, RuntimeError> {
        let function = self.vm.resolve(&function.0)?;
        let thread = self
            .vm
            .new_thread(function)
            .map_err(|e| self.vm.runtime_error_from(e))?;
        match self.vm.to_public(RawValue::Thread(thread)) {
            Value::Coroutine(co) => Ok(co),
            _ => Err(RuntimeError::Internal("coroutine handle")),
        }
    }
}
