//! The host's view of Lua values.

use super::handles::{CoroutineRef, FunctionRef, StringRef, TableRef, UserDataRef};
use crate::errors::RuntimeError;
use crate::interpreter::value::Value as RawValue;
use crate::interpreter::Vm;

/// A Lua value held by the host. Heap values are handles that keep their object alive
/// (in the VM that made them and in its clones). Equality compares numbers by value and
/// heap values by identity.
///
/// ```
/// use red_moon::interpreter::{Value, Vm};
///
/// let mut vm = Vm::default();
/// let ctx = &mut vm.context();
/// let value: Value = ctx.exec(b"return {}", "=example").unwrap();
/// assert_eq!(value.type_name(), "table");
/// assert!(matches!(value, Value::Table(_)));
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Value {
    /// `nil`.
    #[default]
    Nil,
    /// `true` or `false`.
    Boolean(bool),
    /// A number of the integer subtype.
    Integer(i64),
    /// A number of the float subtype.
    Float(f64),
    /// A string (bytes, not necessarily UTF-8).
    String(StringRef),
    /// A table.
    Table(TableRef),
    /// A Lua function or a host function.
    Function(FunctionRef),
    /// A userdata.
    UserData(UserDataRef),
    /// A coroutine (Lua's `thread` type).
    Coroutine(CoroutineRef),
}

impl Value {
    /// The Lua type name (`type(v)`).
    ///
    /// ```
    /// use red_moon::interpreter::Value;
    ///
    /// assert_eq!(Value::Float(1.0).type_name(), "number");
    /// assert_eq!(Value::Nil.type_name(), "nil");
    /// ```
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

    /// Whether the value is nil.
    ///
    /// ```
    /// use red_moon::interpreter::Value;
    ///
    /// assert!(Value::Nil.is_nil());
    /// assert!(!Value::Boolean(false).is_nil());
    /// ```
    pub fn is_nil(&self) -> bool {
        matches!(self, Value::Nil)
    }
}

/// Several Lua values: arguments or results of a call (nils included).
///
/// ```
/// use red_moon::interpreter::{MultiValue, Value, Vm};
///
/// let mut vm = Vm::default();
/// let ctx = &mut vm.context();
/// let values: MultiValue = ctx.exec(b"return 1, nil, 3", "=example").unwrap();
/// assert_eq!(values.len(), 3);
/// assert_eq!(values.get(1), Value::Nil);
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MultiValue(pub Vec<Value>);

impl MultiValue {
    /// No values.
    ///
    /// ```
    /// use red_moon::interpreter::MultiValue;
    ///
    /// assert!(MultiValue::new().is_empty());
    /// ```
    pub fn new() -> Self {
        MultiValue(Vec::new())
    }

    /// The number of values.
    ///
    /// ```
    /// use red_moon::interpreter::{MultiValue, Value};
    ///
    /// assert_eq!(MultiValue::from(vec![Value::Nil]).len(), 1);
    /// ```
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are no values.
    ///
    /// ```
    /// use red_moon::interpreter::MultiValue;
    ///
    /// assert!(MultiValue::default().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The value at `index` (0-based), nil when absent.
    ///
    /// ```
    /// use red_moon::interpreter::{MultiValue, Value};
    ///
    /// let values = MultiValue::from(vec![Value::Integer(5)]);
    /// assert_eq!(values.get(0), Value::Integer(5));
    /// assert_eq!(values.get(1), Value::Nil);
    /// ```
    pub fn get(&self, index: usize) -> Value {
        self.0.get(index).cloned().unwrap_or(Value::Nil)
    }

    /// The values in order.
    ///
    /// ```
    /// use red_moon::interpreter::{MultiValue, Value};
    ///
    /// let values = MultiValue::from(vec![Value::Integer(1), Value::Integer(2)]);
    /// assert_eq!(values.iter().count(), 2);
    /// ```
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
    /// A host handle for a metatable (what `metatable()` of a handle returns).
    pub(crate) fn metatable_handle(
        &mut self,
        metatable: Option<crate::interpreter::heap::TableId>,
    ) -> Option<TableRef> {
        match self.to_public(RawValue::Table(metatable?)) {
            Value::Table(table) => Some(table),
            _ => None,
        }
    }

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
