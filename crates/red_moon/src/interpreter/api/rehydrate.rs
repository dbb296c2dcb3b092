//! Re-attaching host functions by tag after deserialization.

use super::handles::Handle;
use crate::errors::RuntimeError;
use crate::interpreter::native::{HostFunction, NativeKind};
use crate::interpreter::value::Value as RawValue;
use crate::interpreter::Vm;
use std::rc::Rc;

impl Vm {
    /// See `FunctionRef::rehydrate`.
    pub(crate) fn rehydrate(&mut self, handle: &Handle, tag: &str) -> Result<bool, RuntimeError> {
        let RawValue::Native(id) = self.resolve(handle)? else {
            return Err(RuntimeError::InvalidState(
                "only host functions can be rehydrated",
            ));
        };
        let tag: Rc<str> = Rc::from(tag);
        let implementation = match self.heap.natives.get(id.0).map(|n| &n.kind) {
            Some(NativeKind::Host(host)) => host.function.clone(),
            _ => {
                return Err(RuntimeError::InvalidState(
                    "only host functions can be rehydrated",
                ))
            }
        };
        let mut rehydrated = false;
        let targets: Vec<u32> = self
            .heap
            .natives
            .iter()
            .filter(|&(index, native)| {
                index != id.0
                    && match &native.kind {
                        NativeKind::Host(host) => host.tag.as_deref() == Some(&*tag),
                        NativeKind::Missing { tag: Some(t) } => **t == *tag,
                        _ => false,
                    }
            })
            .map(|(index, _)| index)
            .collect();
        for &index in &targets {
            if let Some(native) = self.heap.natives.get_mut(index) {
                // Each function object gets its own copy of the closure, like a VM clone.
                native.kind = NativeKind::Host(HostFunction {
                    function: Rc::from(implementation.clone_box()),
                    tag: Some(tag.clone()),
                });
                rehydrated = true;
            }
        }
        if let (Some(&first), true) = (targets.first(), rehydrated) {
            // The function the host just created only stands for the existing ones: take
            // it back out of the heap so that this VM stays exactly the VM that was
            // serialized (a late joiner must not differ from its peers by one object), and
            // let the handle refer to the first rehydrated function instead.
            if self.heap.undo_native_allocation(id) {
                if let Some(generation) = self.heap.natives.generation(first) {
                    handle.0.index.set(first);
                    handle.0.generation.set(generation);
                }
                return Ok(true);
            }
        }
        if let Some(native) = self.heap.natives.get_mut(id.0) {
            if let NativeKind::Host(host) = &mut native.kind {
                host.tag = Some(tag);
            }
        }
        Ok(rehydrated)
    }
}
