//! Userdata: host values stored inside the VM.

use super::heap::TableId;
use super::value::Value;
use std::any::Any;
use std::fmt;

/// A cloneable, type-erased host value.
pub trait UserValue: Any {
    fn clone_box(&self) -> Box<dyn UserValue>;
    fn as_any(&self) -> &dyn Any;
    fn as_any_mut(&mut self) -> &mut dyn Any;
    fn into_any(self: Box<Self>) -> Box<dyn Any>;
    /// The Rust type name (for error messages).
    fn type_name(&self) -> &'static str;
}

impl<T: Any + Clone> UserValue for T {
    fn clone_box(&self) -> Box<dyn UserValue> {
        Box::new(self.clone())
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
    fn into_any(self: Box<Self>) -> Box<dyn Any> {
        self
    }
    fn type_name(&self) -> &'static str {
        std::any::type_name::<T>()
    }
}

/// The value of a userdata read from a snapshot, waiting for the host to register its type
/// (`Vm::register_userdata_type`), which decodes `payload`.
#[derive(Clone, Debug)]
#[cfg_attr(not(feature = "serde"), allow(dead_code))]
pub struct PendingUserData {
    pub tag: std::rc::Rc<str>,
    pub payload: std::rc::Rc<[u8]>,
}

/// A userdata object: the host value, its metatable and user value, and the size the host
/// declared for memory accounting.
pub struct UserData {
    pub value: Box<dyn UserValue>,
    pub metatable: Option<TableId>,
    /// The user values (`debug.getuservalue(u, n)`); PUC's `lua_newuserdatauv` count.
    pub user_values: Vec<Value>,
    pub size: usize,
}

impl UserData {
    pub fn declared_size(&self) -> usize {
        self.size
    }
}

/// Left in a userdata's slot while a host method holds its value exclusively (the value is
/// on the Rust stack meanwhile). Accessing the userdata then fails with "already borrowed".
/// A VM cloned during that time keeps the marker: its copy of the userdata stays
/// inaccessible.
#[derive(Clone, Debug)]
pub(crate) struct ExclusiveBorrow {
    pub type_name: &'static str,
}

/// Left in a userdata's slot while host methods share its value: they hold the same `Rc`,
/// and the outermost one puts the value back when it finishes.
#[derive(Clone)]
pub(crate) struct SharedBorrow {
    pub value: std::rc::Rc<dyn Any>,
    pub type_name: &'static str,
    /// Deep copy of the shared value, for VM clones made meanwhile.
    pub clone_value: fn(&dyn Any) -> Option<Box<dyn UserValue>>,
}

/// A copy of a userdata's value for a VM clone: a shared value is copied out of its marker.
fn clone_user_value(value: &dyn UserValue) -> Box<dyn UserValue> {
    if let Some(shared) = value.as_any().downcast_ref::<SharedBorrow>() {
        if let Some(copy) = (shared.clone_value)(&*shared.value) {
            return copy;
        }
    }
    value.clone_box()
}

/// The host value inside a userdata as `&dyn Any`, looking through a shared borrow, with
/// its Rust type name.
pub(crate) fn current_value(value: &dyn UserValue) -> (&dyn Any, &'static str) {
    match value.as_any().downcast_ref::<SharedBorrow>() {
        Some(shared) => (&*shared.value, shared.type_name),
        None => (value.as_any(), value.type_name()),
    }
}

impl Clone for UserData {
    fn clone(&self) -> Self {
        UserData {
            value: clone_user_value(&*self.value),
            metatable: self.metatable,
            user_values: self.user_values.clone(),
            size: self.size,
        }
    }
}

impl fmt::Debug for UserData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UserData")
            .field("metatable", &self.metatable)
            .field("size", &self.size)
            .finish()
    }
}

impl super::Vm {
    /// A new userdata holding `value`, with `size` logical bytes charged to the heap.
    pub(crate) fn new_userdata(
        &mut self,
        value: Box<dyn UserValue>,
        metatable: Option<TableId>,
        size: usize,
    ) -> super::LuaResult<Value> {
        self.check_memory(size)?;
        let userdata = UserData {
            value,
            metatable,
            user_values: Vec::new(),
            size,
        };
        let id = match self.heap.allocate_userdata(userdata) {
            Some(id) => id,
            None => return Err(self.out_of_memory()),
        };
        if metatable.is_some() {
            self.check_finalizer(Value::UserData(id), metatable);
        }
        Ok(Value::UserData(id))
    }

    /// The host value inside a userdata, if it has type `T`.
    pub(crate) fn userdata_value<T: 'static>(&self, value: Value) -> Option<&T> {
        match value {
            Value::UserData(id) => self
                .heap
                .userdata
                .get(id.0)?
                .value
                .as_any()
                .downcast_ref::<T>(),
            _ => None,
        }
    }

    /// Mutable access to the host value inside a userdata, if it has type `T`.
    #[allow(dead_code)] // For library authors (see VM_GUIDE.md), unused right now.
    pub(crate) fn userdata_value_mut<T: 'static>(&mut self, value: Value) -> Option<&mut T> {
        match value {
            Value::UserData(id) => self
                .heap
                .userdata
                .get_mut(id.0)?
                .value
                .as_any_mut()
                .downcast_mut::<T>(),
            _ => None,
        }
    }
}

/// Reads a userdata value back from its snapshot payload.
pub(crate) type DecodeFn = fn(&[u8]) -> Result<Box<dyn UserValue>, String>;

/// How values of one registered userdata type are written to and read from snapshots.
#[derive(Clone)]
#[cfg_attr(not(feature = "serde"), allow(dead_code))]
pub(crate) struct UserDataCodec {
    pub type_id: std::any::TypeId,
    pub tag: std::rc::Rc<str>,
    pub encode: fn(&dyn Any) -> Result<Vec<u8>, String>,
    pub decode: DecodeFn,
}

impl super::Vm {
    /// The tag and payload a userdata is serialized with.
    #[cfg_attr(not(feature = "serde"), allow(dead_code))]
    pub(crate) fn encode_userdata(&self, userdata: &UserData) -> Result<(String, Vec<u8>), String> {
        let (any, type_name) = current_value(&*userdata.value);
        if let Some(pending) = any.downcast_ref::<PendingUserData>() {
            return Ok((pending.tag.to_string(), pending.payload.to_vec()));
        }
        if let Some(borrowed) = any.downcast_ref::<ExclusiveBorrow>() {
            return Err(format!(
                "userdata of type {} cannot be serialized: it was borrowed when the VM was cloned",
                borrowed.type_name
            ));
        }
        if let Some(tag) = super::api::builtin_userdata_tag(any) {
            return Ok((tag.to_string(), Vec::new()));
        }
        let type_id = <dyn Any>::type_id(any);
        match self.userdata_types.iter().find(|c| c.type_id == type_id) {
            Some(codec) => Ok((codec.tag.to_string(), (codec.encode)(any)?)),
            None => Err(format!(
                "userdata of type {type_name} cannot be serialized: register it with Vm::register_userdata_type"
            )),
        }
    }
}
