//! The VM's internal value: a small `Copy` enum whose heap variants are arena indices.
//!
//! Values never own anything, so registers, table slots and upvalues copy them freely; what
//! keeps heap objects alive is reachability from the roots (see `gc`). Host code never sees
//! this type: the public API wraps heap references in rooted handles.

use super::heap::{ClosureId, NativeId, StringId, TableId, ThreadId, UserDataId};

/// A Lua value as stored in registers, tables and upvalues.
#[derive(serde::Serialize, serde::Deserialize, Clone, Copy, Debug, Default)]
pub enum Value {
    #[default]
    Nil,
    Boolean(bool),
    Integer(i64),
    Float(f64),
    String(StringId),
    Table(TableId),
    /// A Lua function (closure over a prototype).
    Closure(ClosureId),
    /// A function implemented in Rust (library or host function).
    Native(NativeId),
    UserData(UserDataId),
    Thread(ThreadId),
}

/// The eight basic Lua types, as `type()` names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LuaType {
    Nil,
    Boolean,
    Number,
    String,
    Table,
    Function,
    UserData,
    Thread,
}

impl LuaType {
    /// The name `type()` returns.
    pub fn name(self) -> &'static str {
        match self {
            LuaType::Nil => "nil",
            LuaType::Boolean => "boolean",
            LuaType::Number => "number",
            LuaType::String => "string",
            LuaType::Table => "table",
            LuaType::Function => "function",
            LuaType::UserData => "userdata",
            LuaType::Thread => "thread",
        }
    }
}

impl Value {
    #[inline]
    pub fn lua_type(self) -> LuaType {
        match self {
            Value::Nil => LuaType::Nil,
            Value::Boolean(_) => LuaType::Boolean,
            Value::Integer(_) | Value::Float(_) => LuaType::Number,
            Value::String(_) => LuaType::String,
            Value::Table(_) => LuaType::Table,
            Value::Closure(_) | Value::Native(_) => LuaType::Function,
            Value::UserData(_) => LuaType::UserData,
            Value::Thread(_) => LuaType::Thread,
        }
    }

    #[inline]
    pub fn type_name(self) -> &'static str {
        self.lua_type().name()
    }

    /// Lua truthiness: everything except `nil` and `false` is true.
    #[inline]
    pub fn is_truthy(self) -> bool {
        !matches!(self, Value::Nil | Value::Boolean(false))
    }

    #[inline]
    pub fn is_nil(self) -> bool {
        matches!(self, Value::Nil)
    }

    #[inline]
    pub fn is_function(self) -> bool {
        matches!(self, Value::Closure(_) | Value::Native(_))
    }

    /// Raw equality (`rawequal`): no metamethods; integers and floats compare by
    /// mathematical value; heap objects by identity (strings are interned, so identity is
    /// content equality).
    #[inline]
    pub fn raw_equals(self, other: Value) -> bool {
        match (self, other) {
            (Value::Nil, Value::Nil) => true,
            (Value::Boolean(a), Value::Boolean(b)) => a == b,
            (Value::Integer(a), Value::Integer(b)) => a == b,
            (Value::Float(a), Value::Float(b)) => a == b,
            (Value::Integer(i), Value::Float(f)) | (Value::Float(f), Value::Integer(i)) => {
                crate::numbers::eq_int_float(i, f)
            }
            (Value::String(a), Value::String(b)) => a == b,
            (Value::Table(a), Value::Table(b)) => a == b,
            (Value::Closure(a), Value::Closure(b)) => a == b,
            (Value::Native(a), Value::Native(b)) => a == b,
            (Value::UserData(a), Value::UserData(b)) => a == b,
            (Value::Thread(a), Value::Thread(b)) => a == b,
            _ => false,
        }
    }

    /// The number inside, if this is a number (no string coercion).
    #[inline]
    pub fn as_float(self) -> Option<f64> {
        match self {
            Value::Integer(i) => Some(i as f64),
            Value::Float(f) => Some(f),
            _ => None,
        }
    }
}
