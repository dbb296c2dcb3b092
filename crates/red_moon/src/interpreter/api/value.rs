//! The host's view of Lua values.

use super::handles::{CoroutineRef, FunctionRef, StringRef, TableRef, UserDataRef};
use crate::errors::RuntimeError;
use crate::interpreter::value::Value as RawValue;
use crate::interpreter::Vm;

/// A Lua value held by the host. Heap values are handles that keep their object alive.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Value {
    #[default]
    Nil,
    Boolean(bool),
    Integer(i64),
    Float(f64),
    String(StringRef),
    Table(TableRef),
    Function(FunctionRef),
    UserData(UserDataRef),
    Coroutine(CoroutineRef),
}

impl Value {
    /// The Lua type name (`type(v)`).
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Nil => "nil",
            Value::Boolean(_) => "boolean",
            Value::Integer(_) | Value::Float(_) => "number",
            Value::String(_) => "string",
            Value::Table(_) => "table",
            Value::Function(_) => "function",
            Value::UserData(_) => "userdata",
            Value::Coroutine(_) => "thread",
        }
    }

    pub fn is_nil(&self) -> bool {
        matches!(self, Value::Nil)
    }
}

/// Several Lua values: arguments or results of a call.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MultiValue(pub Vec<Value>);

impl MultiValue {
    pub fn new() -> Self {
        MultiValue(Vec::new())
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The value at `index` (0-based), nil when absent.
    pub fn get(&self, index: usize) -> Value {
        self.0.get(index).cloned().unwrap_or(Value::Nil)
    }

    pub fn iter(&self) -> std::slice::Iter<'_, Value> {
        self.0.iter()
    }
}

impl From<Vec<Value>> for MultiValue {
    fn from(values: Vec<Value>) -> Self {
        MultiValue(values)
    }
}

impl IntoIterator for MultiValue {
    type Item = Value;
    type IntoIter = std::vec::IntoIter<Value>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl Vm {
    /// Wraps a raw value for the host (creating a handle for heap values).
    #[allow(clippy::wrong_self_convention)]
    pub(crate) fn to_public(&mut self, value: RawValue) -> Value {
        match value {
            RawValue::Nil => Value::Nil,
            RawValue::Boolean(b) => Value::Boolean(b),
            RawValue::Integer(i) => Value::Integer(i),
            RawValue::Float(f) => Value::Float(f),
            other => {
                let Some(handle) = self.handle_for(other) else {
                    return Value::Nil;
                };
                match other {
                    RawValue::String(_) => Value::String(StringRef(handle)),
                    RawValue::Table(_) => Value::Table(TableRef(handle)),
                    RawValue::Closure(_) | RawValue::Native(_) => {
                        Value::Function(FunctionRef(handle))
                    }
                    RawValue::UserData(_) => Value::UserData(UserDataRef(handle)),
                    _ => Value::Coroutine(CoroutineRef(handle)),
                }
            }
        }
    }

    /// The raw value behind a host value.
    #[allow(clippy::wrong_self_convention)]
    pub(crate) fn from_public(&self, value: &Value) -> Result<RawValue, RuntimeError> {
        Ok(match value {
            Value::Nil => RawValue::Nil,
            Value::Boolean(b) => RawValue::Boolean(*b),
            Value::Integer(i) => RawValue::Integer(*i),
            Value::Float(f) => RawValue::Float(*f),
            Value::String(r) => self.resolve(&r.0)?,
            Value::Table(r) => self.resolve(&r.0)?,
            Value::Function(r) => self.resolve(&r.0)?,
            Value::UserData(r) => self.resolve(&r.0)?,
            Value::Coroutine(r) => self.resolve(&r.0)?,
        })
    }
}
