//! `FunctionRef` and `StringRef` operations.

use super::context::VmContext;
use super::convert::{FromMulti, IntoMulti};
use super::handles::{FunctionRef, StringRef};
use super::value::Value;
use crate::errors::RuntimeError;
use crate::interpreter::value::Value as RawValue;
use std::rc::Rc;

impl FunctionRef {
    /// Calls the function with `args`, converting its results to `R`.
    ///
    /// From the host (no call running), the call can pause when fuel runs out
    /// ([`RuntimeError::Paused`], continue with [`VmContext::resume`]). From inside a host
    /// function it is a nested call that can neither pause nor yield; use
    /// [`CallContext::call_then`](super::CallContext::call_then) for calls that must.
    ///
    /// ```
    /// use red_moon::interpreter::{FunctionRef, Vm};
    ///
    /// let mut vm = Vm::default();
    /// let ctx = &mut vm.context();
    /// let add: FunctionRef = ctx.exec(b"return function(a, b) return a + b end", "=example").unwrap();
    /// assert_eq!(add.call::<_, i64>((2, 3), ctx).unwrap(), 5);
    /// ```
    pub fn call<A: IntoMulti, R: FromMulti>(
        &self,
        args: A,
        ctx: &mut VmContext,
    ) -> Result<R, RuntimeError> {
        ctx.call_value(&Value::Function(self.clone()), args)
    }

    /// Tags a host function so that it can be re-attached after deserialization.
    ///
    /// The first time (no function with this tag in the VM), the function is tagged and
    /// `false` is returned. In a deserialized VM, every function serialized with this tag
    /// gets this function's implementation and `true` is returned. Only host functions can
    /// be tagged.
    ///
    /// ```
    /// use red_moon::interpreter::Vm;
    ///
    /// let mut vm = Vm::default();
    /// let ctx = &mut vm.context();
    /// let hello = ctx.create_function(|call_ctx, ctx| call_ctx.return_values("hello", ctx));
    /// assert!(!hello.rehydrate("hello", ctx).unwrap());
    /// ```
    pub fn rehydrate(&self, tag: &str, ctx: &mut VmContext) -> Result<bool, RuntimeError> {
        ctx.vm.rehydrate(&self.0, tag)
    }
}

impl StringRef {
    /// The bytes of the string.
    ///
    /// ```
    /// use red_moon::interpreter::Vm;
    ///
    /// let mut vm = Vm::default();
    /// let ctx = &mut vm.context();
    /// let s = ctx.create_string(b"\xffbytes").unwrap();
    /// assert_eq!(&*s.as_bytes(ctx).unwrap(), b"\xffbytes");
    /// ```
    pub fn as_bytes(&self, ctx: &mut VmContext) -> Result<Rc<[u8]>, RuntimeError> {
        match ctx.vm.resolve(&self.0)? {
            RawValue::String(id) => Ok(ctx.vm.shared_string(id)),
            _ => Err(RuntimeError::InvalidHandle),
        }
    }

    /// The string as UTF-8 text (invalid sequences replaced).
    ///
    /// ```
    /// use red_moon::interpreter::Vm;
    ///
    /// let mut vm = Vm::default();
    /// let ctx = &mut vm.context();
    /// let s = ctx.create_string(b"moon").unwrap();
    /// assert_eq!(s.to_string_lossy(ctx).unwrap(), "moon");
    /// ```
    pub fn to_string_lossy(&self, ctx: &mut VmContext) -> Result<String, RuntimeError> {
        Ok(String::from_utf8_lossy(&self.as_bytes(ctx)?).into_owned())
    }

    /// The length in bytes.
    ///
    /// ```
    /// use red_moon::interpreter::Vm;
    ///
    /// let mut vm = Vm::default();
    /// let ctx = &mut vm.context();
    /// let s = ctx.create_string("été".as_bytes()).unwrap();
    /// assert_eq!(s.len(ctx).unwrap(), 5);
    /// ```
    pub fn len(&self, ctx: &mut VmContext) -> Result<usize, RuntimeError> {
        Ok(self.as_bytes(ctx)?.len())
    }
}
