//! Conversions between Rust values and Lua values.
//!
//! `IntoLua`/`FromLua` convert one value; `IntoMulti`/`FromMulti` convert argument and
//! result lists (tuples up to 12 elements, single values, `MultiValue`, `Variadic`).
//! Failed conversions name the expected and the actual type.

use super::context::VmContext;
use super::handles::{CoroutineRef, FunctionRef, StringRef, TableRef, UserDataRef};
use super::value::{MultiValue, Value};
use crate::errors::RuntimeError;
use std::collections::{BTreeMap, HashMap};
use std::hash::Hash;

/// Converts a Rust value into a Lua value.
///
/// ```
/// use red_moon::interpreter::{IntoLua, Value, Vm};
///
/// let mut vm = Vm::default();
/// let ctx = &mut vm.context();
/// assert_eq!(7.into_lua(ctx).unwrap(), Value::Integer(7));
/// assert_eq!(None::<i32>.into_lua(ctx).unwrap(), Value::Nil);
/// ```
pub trait IntoLua {
    /// Performs the conversion (strings and tables are created in the VM).
    fn into_lua(self, ctx: &mut VmContext) -> Result<Value, RuntimeError>;
}

/// Converts a Lua value into a Rust value.
///
/// A failed conversion names the expected and the actual type:
///
/// ```
/// use red_moon::interpreter::{FromLua, Value, Vm};
///
/// let mut vm = Vm::default();
/// let ctx = &mut vm.context();
/// let error = i32::from_lua(Value::Boolean(true), ctx).unwrap_err();
/// assert_eq!(error.to_string(), "number expected, got boolean");
/// ```
pub trait FromLua: Sized {
    /// Performs the conversion.
    fn from_lua(value: Value, ctx: &mut VmContext) -> Result<Self, RuntimeError>;
}

/// Converts a Rust value into a list of Lua values (call arguments, function results):
/// `()`, single values, tuples of up to 12 values, [`MultiValue`] and [`Variadic`].
///
/// ```
/// use red_moon::interpreter::{IntoMulti, Vm};
///
/// let mut vm = Vm::default();
/// let ctx = &mut vm.context();
/// assert_eq!((1, "two", 3.0).into_multi(ctx).unwrap().len(), 3);
/// ```
pub trait IntoMulti {
    /// Performs the conversion.
    fn into_multi(self, ctx: &mut VmContext) -> Result<MultiValue, RuntimeError>;
}

/// Converts a list of Lua values into a Rust value. Missing values are nil; extra values
/// are ignored (except by [`MultiValue`] and [`Variadic`], which take them all).
///
/// ```
/// use red_moon::interpreter::{FunctionRef, Vm};
///
/// let mut vm = Vm::default();
/// let ctx = &mut vm.context();
/// let (a, b, c): (i64, String, Option<bool>) = ctx.exec(b"return 1, 'x'", "=example").unwrap();
/// assert_eq!((a, b.as_str(), c), (1, "x", None));
/// ```
pub trait FromMulti: Sized {
    /// Performs the conversion.
    fn from_multi(values: MultiValue, ctx: &mut VmContext) -> Result<Self, RuntimeError>;

    /// Like [`from_multi`](FromMulti::from_multi), for the arguments of a host function:
    /// the value at index `i` that fails to convert is reported as PUC's
    /// `bad argument #(first + i)` error ([`RuntimeError::BadArgument`]).
    fn from_args(
        values: MultiValue,
        first: usize,
        ctx: &mut VmContext,
    ) -> Result<Self, RuntimeError> {
        let _ = first;
        Self::from_multi(values, ctx)
    }
}

/// Any number of values of one type, as arguments or results.
///
/// ```
/// use red_moon::interpreter::{Variadic, Vm};
///
/// let mut vm = Vm::default();
/// let ctx = &mut vm.context();
/// let Variadic(numbers): Variadic<i64> = ctx.exec(b"return 1, 2, 3", "=example").unwrap();
/// assert_eq!(numbers, vec![1, 2, 3]);
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Variadic<T>(pub Vec<T>);

fn conversion_error(expected: &'static str, value: &Value) -> RuntimeError {
    RuntimeError::Conversion {
        expected,
        actual: value.type_name(),
    }
}

/// Turns a failed conversion of argument `position` (whose Lua type is `actual`, or
/// "no value" when it is absent) into the `bad argument` error PUC would raise.
pub(crate) fn argument_error(
    position: usize,
    actual: &'static str,
    error: RuntimeError,
) -> RuntimeError {
    let message = match error {
        RuntimeError::Conversion { expected, .. } => format!("{expected} expected, got {actual}"),
        RuntimeError::NumberConversion { message, .. } => message.to_string(),
        RuntimeError::UserDataType { expected, .. } => format!("{expected} expected, got {actual}"),
        RuntimeError::Serde(message) => message,
        other => return other,
    };
    RuntimeError::BadArgument { position, message }
}

/// Converts argument `position` (absent when `value` is `None`).
pub(crate) fn convert_argument<T: FromLua>(
    value: Option<Value>,
    position: usize,
    ctx: &mut VmContext,
) -> Result<T, RuntimeError> {
    let actual = value.as_ref().map_or("no value", Value::type_name);
    T::from_lua(value.unwrap_or(Value::Nil), ctx).map_err(|e| argument_error(position, actual, e))
}

// ----- single values -----

impl IntoLua for Value {
    fn into_lua(self, _: &mut VmContext) -> Result<Value, RuntimeError> {
        Ok(self)
    }
}

impl IntoLua for &Value {
    fn into_lua(self, _: &mut VmContext) -> Result<Value, RuntimeError> {
        Ok(self.clone())
    }
}

impl FromLua for Value {
    fn from_lua(value: Value, _: &mut VmContext) -> Result<Self, RuntimeError> {
        Ok(value)
    }
}

impl IntoLua for bool {
    fn into_lua(self, _: &mut VmContext) -> Result<Value, RuntimeError> {
        Ok(Value::Boolean(self))
    }
}

impl FromLua for bool {
    /// Lua truthiness: everything except nil and false is true.
    fn from_lua(value: Value, _: &mut VmContext) -> Result<Self, RuntimeError> {
        Ok(!matches!(value, Value::Nil | Value::Boolean(false)))
    }
}

macro_rules! integer_conversions {
    ($($t:ty),*) => {$(
        impl IntoLua for $t {
            /// An integer, or a float when the value does not fit in `i64`.
            fn into_lua(self, _: &mut VmContext) -> Result<Value, RuntimeError> {
                match i64::try_from(self) {
                    Ok(i) => Ok(Value::Integer(i)),
                    Err(_) => Ok(Value::Float(self as f64)),
                }
            }
        }

        impl FromLua for $t {
            /// Integers, floats with an exact integer value, and strings that convert to
            /// such numbers (like `luaL_checkinteger`), within the type's range.
            fn from_lua(value: Value, ctx: &mut VmContext) -> Result<Self, RuntimeError> {
                let i = lua_to_integer(&value, stringify!($t), ctx)?;
                <$t>::try_from(i).map_err(|_| RuntimeError::NumberConversion {
                    target: stringify!($t),
                    message: "value out of range",
                })
            }
        }
    )*};
}

integer_conversions!(i8, i16, i32, i64, isize, u8, u16, u32, u64, usize);

/// Integers, floats with an exact integer value, and numeric strings.
fn lua_to_integer(
    value: &Value,
    target: &'static str,
    ctx: &mut VmContext,
) -> Result<i64, RuntimeError> {
    let number = match value {
        Value::Integer(i) => return Ok(*i),
        Value::Float(f) => crate::numbers::Number::Float(*f),
        Value::String(s) => crate::numbers::parse_number(&s.as_bytes(ctx)?)
            .ok_or_else(|| conversion_error("number", value))?,
        _ => return Err(conversion_error("number", value)),
    };
    number
        .to_integer_exact()
        .ok_or(RuntimeError::NumberConversion {
            target,
            message: "number has no integer representation",
        })
}

macro_rules! float_conversions {
    ($($t:ty),*) => {$(
        impl IntoLua for $t {
            fn into_lua(self, _: &mut VmContext) -> Result<Value, RuntimeError> {
                Ok(Value::Float(self as f64))
            }
        }

        impl FromLua for $t {
            fn from_lua(value: Value, ctx: &mut VmContext) -> Result<Self, RuntimeError> {
                match &value {
                    Value::Integer(i) => Ok(*i as $t),
                    Value::Float(f) => Ok(*f as $t),
                    Value::String(s) => {
                        let bytes = s.as_bytes(ctx)?;
                        crate::numbers::parse_number(&bytes)
                            .map(|n| n.to_float() as $t)
                            .ok_or_else(|| conversion_error("number", &value))
                    }
                    _ => Err(conversion_error("number", &value)),
                }
            }
        }
    )*};
}

float_conversions!(f32, f64);

impl IntoLua for &str {
    fn into_lua(self, ctx: &mut VmContext) -> Result<Value, RuntimeError> {
        ctx.create_string(self.as_bytes()).map(Value::String)
    }
}

impl IntoLua for String {
    fn into_lua(self, ctx: &mut VmContext) -> Result<Value, RuntimeError> {
        ctx.create_string(self.as_bytes()).map(Value::String)
    }
}

impl IntoLua for &String {
    fn into_lua(self, ctx: &mut VmContext) -> Result<Value, RuntimeError> {
        ctx.create_string(self.as_bytes()).map(Value::String)
    }
}

impl FromLua for String {
    /// Strings that are valid UTF-8, and numbers (converted as `tostring` does).
    fn from_lua(value: Value, ctx: &mut VmContext) -> Result<Self, RuntimeError> {
        match &value {
            Value::String(s) => {
                let bytes = s.as_bytes(ctx)?;
                String::from_utf8(bytes.to_vec()).map_err(|_| RuntimeError::Conversion {
                    expected: "UTF-8 string",
                    actual: "string with invalid UTF-8",
                })
            }
            Value::Integer(i) => Ok(i.to_string()),
            Value::Float(f) => {
                let mut out = Vec::new();
                crate::numbers::write_float(*f, &mut out);
                Ok(String::from_utf8_lossy(&out).into_owned())
            }
            _ => Err(conversion_error("string", &value)),
        }
    }
}

/// A Lua string as raw bytes (Lua strings need not be UTF-8).
///
/// ```
/// use red_moon::interpreter::{ByteString, Vm};
///
/// let mut vm = Vm::default();
/// let ctx = &mut vm.context();
/// let bytes: ByteString = ctx.exec(b"return '\xff\x00'", "=example").unwrap();
/// assert_eq!(bytes, ByteString(vec![0xff, 0]));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ByteString(pub Vec<u8>);

impl IntoLua for ByteString {
    fn into_lua(self, ctx: &mut VmContext) -> Result<Value, RuntimeError> {
        ctx.create_string(&self.0).map(Value::String)
    }
}

impl IntoLua for &[u8] {
    fn into_lua(self, ctx: &mut VmContext) -> Result<Value, RuntimeError> {
        ctx.create_string(self).map(Value::String)
    }
}

impl FromLua for ByteString {
    fn from_lua(value: Value, ctx: &mut VmContext) -> Result<Self, RuntimeError> {
        match &value {
            Value::String(s) => Ok(ByteString(s.as_bytes(ctx)?.to_vec())),
            Value::Integer(_) | Value::Float(_) => {
                String::from_lua(value, ctx).map(|s| ByteString(s.into_bytes()))
            }
            _ => Err(conversion_error("string", &value)),
        }
    }
}

impl<T: IntoLua> IntoLua for Option<T> {
    fn into_lua(self, ctx: &mut VmContext) -> Result<Value, RuntimeError> {
        match self {
            Some(v) => v.into_lua(ctx),
            None => Ok(Value::Nil),
        }
    }
}

impl<T: FromLua> FromLua for Option<T> {
    fn from_lua(value: Value, ctx: &mut VmContext) -> Result<Self, RuntimeError> {
        match value {
            Value::Nil => Ok(None),
            other => T::from_lua(other, ctx).map(Some),
        }
    }
}

impl<T: IntoLua> IntoLua for Vec<T> {
    /// A sequence table `{v1, v2, ...}`.
    fn into_lua(self, ctx: &mut VmContext) -> Result<Value, RuntimeError> {
        let table = ctx.create_table()?;
        for (i, v) in self.into_iter().enumerate() {
            table.raw_set(i as i64 + 1, v, ctx)?;
        }
        Ok(Value::Table(table))
    }
}

impl<T: FromLua> FromLua for Vec<T> {
    /// The sequence `t[1..#t]` of a table (raw access).
    fn from_lua(value: Value, ctx: &mut VmContext) -> Result<Self, RuntimeError> {
        let Value::Table(table) = &value else {
            return Err(conversion_error("table", &value));
        };
        let length = table.raw_len(ctx)?;
        let mut out = Vec::with_capacity(length.min(1 << 16) as usize);
        for i in 1..=length {
            out.push(table.raw_get(i as i64, ctx)?);
        }
        Ok(out)
    }
}

impl<K: IntoLua, V: IntoLua, S> IntoLua for HashMap<K, V, S> {
    fn into_lua(self, ctx: &mut VmContext) -> Result<Value, RuntimeError> {
        let table = ctx.create_table()?;
        for (k, v) in self {
            table.raw_set(k, v, ctx)?;
        }
        Ok(Value::Table(table))
    }
}

impl<K: FromLua + Eq + Hash, V: FromLua, S: Default + std::hash::BuildHasher> FromLua
    for HashMap<K, V, S>
{
    fn from_lua(value: Value, ctx: &mut VmContext) -> Result<Self, RuntimeError> {
        let Value::Table(table) = &value else {
            return Err(conversion_error("table", &value));
        };
        let mut out = HashMap::default();
        for (k, v) in table.pairs(ctx)? {
            out.insert(K::from_lua(k, ctx)?, V::from_lua(v, ctx)?);
        }
        Ok(out)
    }
}

impl<K: IntoLua, V: IntoLua> IntoLua for BTreeMap<K, V> {
    fn into_lua(self, ctx: &mut VmContext) -> Result<Value, RuntimeError> {
        let table = ctx.create_table()?;
        for (k, v) in self {
            table.raw_set(k, v, ctx)?;
        }
        Ok(Value::Table(table))
    }
}

impl<K: FromLua + Ord, V: FromLua> FromLua for BTreeMap<K, V> {
    fn from_lua(value: Value, ctx: &mut VmContext) -> Result<Self, RuntimeError> {
        let Value::Table(table) = &value else {
            return Err(conversion_error("table", &value));
        };
        let mut out = BTreeMap::new();
        for (k, v) in table.pairs(ctx)? {
            out.insert(K::from_lua(k, ctx)?, V::from_lua(v, ctx)?);
        }
        Ok(out)
    }
}

macro_rules! handle_conversions {
    ($($handle:ident => $variant:ident, $expected:literal;)*) => {$(
        impl IntoLua for $handle {
            fn into_lua(self, _: &mut VmContext) -> Result<Value, RuntimeError> {
                Ok(Value::$variant(self))
            }
        }

        impl IntoLua for &$handle {
            fn into_lua(self, _: &mut VmContext) -> Result<Value, RuntimeError> {
                Ok(Value::$variant(self.clone()))
            }
        }

        impl FromLua for $handle {
            fn from_lua(value: Value, _: &mut VmContext) -> Result<Self, RuntimeError> {
                match value {
                    Value::$variant(handle) => Ok(handle),
                    other => Err(conversion_error($expected, &other)),
                }
            }
        }
    )*};
}

handle_conversions! {
    TableRef => Table, "table";
    FunctionRef => Function, "function";
    StringRef => String, "string";
    CoroutineRef => Coroutine, "thread";
    UserDataRef => UserData, "userdata";
}

// ----- lists of values -----

impl<T: IntoLua> IntoMulti for T {
    fn into_multi(self, ctx: &mut VmContext) -> Result<MultiValue, RuntimeError> {
        Ok(MultiValue(vec![self.into_lua(ctx)?]))
    }
}

impl<T: FromLua> FromMulti for T {
    /// The first value (nil when there is none).
    fn from_multi(values: MultiValue, ctx: &mut VmContext) -> Result<Self, RuntimeError> {
        let first = values.0.into_iter().next().unwrap_or(Value::Nil);
        T::from_lua(first, ctx)
    }

    fn from_args(
        values: MultiValue,
        first: usize,
        ctx: &mut VmContext,
    ) -> Result<Self, RuntimeError> {
        convert_argument(values.0.into_iter().next(), first, ctx)
    }
}

impl IntoMulti for MultiValue {
    fn into_multi(self, _: &mut VmContext) -> Result<MultiValue, RuntimeError> {
        Ok(self)
    }
}

impl FromMulti for MultiValue {
    fn from_multi(values: MultiValue, _: &mut VmContext) -> Result<Self, RuntimeError> {
        Ok(values)
    }
}

impl<T: IntoLua> IntoMulti for Variadic<T> {
    fn into_multi(self, ctx: &mut VmContext) -> Result<MultiValue, RuntimeError> {
        let mut out = Vec::with_capacity(self.0.len());
        for v in self.0 {
            out.push(v.into_lua(ctx)?);
        }
        Ok(MultiValue(out))
    }
}

impl<T: FromLua> FromMulti for Variadic<T> {
    fn from_multi(values: MultiValue, ctx: &mut VmContext) -> Result<Self, RuntimeError> {
        let mut out = Vec::with_capacity(values.len());
        for v in values {
            out.push(T::from_lua(v, ctx)?);
        }
        Ok(Variadic(out))
    }

    fn from_args(
        values: MultiValue,
        first: usize,
        ctx: &mut VmContext,
    ) -> Result<Self, RuntimeError> {
        let mut out = Vec::with_capacity(values.len());
        for (i, v) in values.into_iter().enumerate() {
            out.push(convert_argument(Some(v), first + i, ctx)?);
        }
        Ok(Variadic(out))
    }
}

impl IntoMulti for () {
    fn into_multi(self, _: &mut VmContext) -> Result<MultiValue, RuntimeError> {
        Ok(MultiValue::new())
    }
}

impl FromMulti for () {
    fn from_multi(_: MultiValue, _: &mut VmContext) -> Result<Self, RuntimeError> {
        Ok(())
    }
}

macro_rules! tuple_conversions {
    ($($name:ident),+) => {
        impl<$($name: IntoLua),+> IntoMulti for ($($name,)+) {
            #[allow(non_snake_case)]
            fn into_multi(self, ctx: &mut VmContext) -> Result<MultiValue, RuntimeError> {
                let ($($name,)+) = self;
                Ok(MultiValue(vec![$($name.into_lua(ctx)?),+]))
            }
        }

        impl<$($name: FromLua),+> FromMulti for ($($name,)+) {
            fn from_multi(values: MultiValue, ctx: &mut VmContext) -> Result<Self, RuntimeError> {
                let mut values = values.0.into_iter();
                Ok(($($name::from_lua(values.next().unwrap_or(Value::Nil), ctx)?,)+))
            }

            #[allow(unused_assignments)]
            fn from_args(
                values: MultiValue,
                first: usize,
                ctx: &mut VmContext,
            ) -> Result<Self, RuntimeError> {
                let mut values = values.0.into_iter();
                let mut position = first;
                Ok(($({
                    let converted = convert_argument::<$name>(values.next(), position, ctx)?;
                    position += 1;
                    converted
                },)+))
            }
        }
    };
}

tuple_conversions!(A);
tuple_conversions!(A, B);
tuple_conversions!(A, B, C);
tuple_conversions!(A, B, C, D);
tuple_conversions!(A, B, C, D, E);
tuple_conversions!(A, B, C, D, E, F);
tuple_conversions!(A, B, C, D, E, F, G);
tuple_conversions!(A, B, C, D, E, F, G, H);
tuple_conversions!(A, B, C, D, E, F, G, H, I);
tuple_conversions!(A, B, C, D, E, F, G, H, I, J);
tuple_conversions!(A, B, C, D, E, F, G, H, I, J, K);
tuple_conversions!(A, B, C, D, E, F, G, H, I, J, K, L);
