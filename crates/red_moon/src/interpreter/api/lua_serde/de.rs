//! Lua → Rust: a serde `Deserializer` reading Lua values.

use super::{DeserializeOptions, Error};
use crate::interpreter::api::context::VmContext;
use crate::interpreter::api::handles::TableRef;
use crate::interpreter::api::value::Value;
use serde::de::{self, DeserializeOwned, DeserializeSeed, IntoDeserializer, Visitor};

/// How deep tables may nest: bounds the recursion of the conversion.
const MAX_DEPTH: usize = 128;

pub(super) fn from_value<T: DeserializeOwned>(
    ctx: &mut VmContext,
    value: Value,
    options: DeserializeOptions,
) -> Result<T, Error> {
    let mut state = State {
        ctx,
        options,
        visiting: Vec::new(),
    };
    T::deserialize(ValueDeserializer {
        state: &mut state,
        value,
    })
}

fn error(message: impl std::fmt::Display) -> Error {
    <Error as de::Error>::custom(message)
}

/// What all the deserializers of one conversion share.
struct State<'a, 'vm> {
    ctx: &'a mut VmContext<'vm>,
    options: DeserializeOptions,
    /// The tables being converted, outermost first.
    visiting: Vec<TableRef>,
}

impl State<'_, '_> {
    /// Nil and `null`.
    fn is_nil(&mut self, value: &Value) -> bool {
        value.is_nil() || self.ctx.is_null(value)
    }

    /// Functions, coroutines and userdata other than `null`.
    fn is_unsupported(&mut self, value: &Value) -> bool {
        match value {
            Value::Function(_) | Value::Coroutine(_) => true,
            Value::UserData(_) => !self.ctx.is_null(value),
            _ => false,
        }
    }

    fn enter(&mut self, table: &TableRef) -> Result<(), Error> {
        if self.options.deny_recursive_tables && self.visiting.contains(table) {
            return Err(error("recursive table detected"));
        }
        if self.visiting.len() >= MAX_DEPTH {
            return Err(error("tables nested too deeply"));
        }
        self.visiting.push(table.clone());
        Ok(())
    }

    fn leave(&mut self) {
        self.visiting.pop();
    }

    /// A table with the array metatable, or whose keys are exactly `1..n` (n > 0).
    fn is_sequence(&mut self, table: &TableRef) -> Result<bool, Error> {
        let metatable = table.metatable(self.ctx)?;
        if metatable.is_some() && metatable == self.ctx.existing_array_metatable() {
            return Ok(true);
        }
        let length = table.raw_len(self.ctx)?;
        if length == 0 {
            return Ok(false);
        }
        let mut count = 0u64;
        let mut key = Value::Nil;
        while let Some((k, _)) = table.next(key, self.ctx)? {
            match k {
                Value::Integer(i) if i >= 1 && i as u64 <= length => count += 1,
                _ => return Ok(false),
            }
            key = k;
        }
        Ok(count == length)
    }
}

/// Reads one Lua value.
struct ValueDeserializer<'s, 'a, 'vm> {
    state: &'s mut State<'a, 'vm>,
    value: Value,
}

impl<'s, 'a, 'vm> ValueDeserializer<'s, 'a, 'vm> {
    fn unsupported<'de, V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.state.options.deny_unsupported_types {
            return Err(error(format!(
                "cannot convert a Lua {} to a Rust value",
                self.value.type_name()
            )));
        }
        visitor.visit_unit()
    }

    fn sequence<'de, V: Visitor<'de>>(
        self,
        table: TableRef,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.state.enter(&table)?;
        let length = table.raw_len(self.state.ctx)?;
        let result = visitor.visit_seq(SequenceAccess {
            state: &mut *self.state,
            table,
            index: 1,
            length,
        });
        self.state.leave();
        result
    }

    fn map<'de, V: Visitor<'de>>(self, table: TableRef, visitor: V) -> Result<V::Value, Error> {
        self.state.enter(&table)?;
        let result = visitor.visit_map(TableAccess {
            state: &mut *self.state,
            table,
            key: Value::Nil,
            value: None,
        });
        self.state.leave();
        result
    }
}

macro_rules! integers {
    ($($method:ident),*) => {$(
        /// Floats with an exact integer value count as integers.
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            if let Value::Float(f) = self.value {
                if let Some(i) = crate::numbers::float_to_integer_exact(f) {
                    return visitor.visit_i64(i);
                }
            }
            self.deserialize_any(visitor)
        }
    )*};
}

impl<'de> de::Deserializer<'de> for ValueDeserializer<'_, '_, '_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value.clone() {
            Value::Nil => visitor.visit_unit(),
            Value::Boolean(b) => visitor.visit_bool(b),
            Value::Integer(i) => visitor.visit_i64(i),
            Value::Float(f) => visitor.visit_f64(f),
            Value::String(s) => {
                let bytes = s.as_bytes(self.state.ctx)?;
                match std::str::from_utf8(&bytes) {
                    Ok(text) => visitor.visit_str(text),
                    Err(_) => visitor.visit_bytes(&bytes),
                }
            }
            Value::Table(table) => {
                if self.state.is_sequence(&table)? {
                    self.sequence(table, visitor)
                } else {
                    self.map(table, visitor)
                }
            }
            value if self.state.is_nil(&value) => visitor.visit_unit(),
            _ => self.unsupported(visitor),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let value = self.value.clone();
        if self.state.is_nil(&value)
            || (self.state.is_unsupported(&value) && !self.state.options.deny_unsupported_types)
        {
            return visitor.visit_none();
        }
        visitor.visit_some(self)
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let value = self.value.clone();
        if self.state.is_nil(&value) {
            return visitor.visit_unit();
        }
        self.deserialize_any(visitor)
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    /// Tables, and strings as sequences of bytes (`Vec<u8>`).
    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value.clone() {
            Value::Table(table) => self.sequence(table, visitor),
            Value::String(s) => {
                let bytes = s.as_bytes(self.state.ctx)?;
                let mut access = de::value::SeqDeserializer::<_, Error>::new(bytes.iter().copied());
                let value = visitor.visit_seq(&mut access)?;
                access.end()?;
                Ok(value)
            }
            _ => self.deserialize_any(visitor),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value.clone() {
            Value::Table(table) => self.map(table, visitor),
            _ => self.deserialize_any(visitor),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_map(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.value.clone() {
            Value::String(s) => {
                let name = s.to_string_lossy(self.state.ctx)?;
                visitor.visit_enum(IntoDeserializer::<Error>::into_deserializer(name))
            }
            Value::Table(table) => {
                let mut entries = table.pairs(self.state.ctx)?;
                if entries.len() != 1 {
                    return Err(error(
                        "expected an enum: a variant name, or a table with one entry",
                    ));
                }
                let (variant, value) = entries.remove(0);
                self.state.enter(&table)?;
                let result = visitor.visit_enum(VariantAccess {
                    state: &mut *self.state,
                    variant,
                    value,
                });
                self.state.leave();
                result
            }
            other => Err(error(format!(
                "expected an enum: a variant name, or a table with one entry, got {}",
                other.type_name()
            ))),
        }
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value.clone() {
            Value::String(s) => visitor.visit_bytes(&s.as_bytes(self.state.ctx)?),
            _ => self.deserialize_any(visitor),
        }
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_bytes(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }

    integers!(
        deserialize_i8,
        deserialize_i16,
        deserialize_i32,
        deserialize_i64,
        deserialize_i128,
        deserialize_u8,
        deserialize_u16,
        deserialize_u32,
        deserialize_u64,
        deserialize_u128
    );

    serde::forward_to_deserialize_any! {
        bool f32 f64 char str string identifier
    }
}

/// The elements `t[1..=length]` of a table.
struct SequenceAccess<'s, 'a, 'vm> {
    state: &'s mut State<'a, 'vm>,
    table: TableRef,
    index: u64,
    length: u64,
}

impl<'de> de::SeqAccess<'de> for SequenceAccess<'_, '_, '_> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        if self.index > self.length {
            return Ok(None);
        }
        let key = i64::try_from(self.index).map_err(error)?;
        let value: Value = self.table.raw_get(key, self.state.ctx)?;
        self.index += 1;
        seed.deserialize(ValueDeserializer {
            state: &mut *self.state,
            value,
        })
        .map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        usize::try_from(self.length.saturating_add(1).saturating_sub(self.index)).ok()
    }
}

/// The entries of a table, in traversal order.
struct TableAccess<'s, 'a, 'vm> {
    state: &'s mut State<'a, 'vm>,
    table: TableRef,
    /// The key of the current entry (nil before the first).
    key: Value,
    value: Option<Value>,
}

impl<'de> de::MapAccess<'de> for TableAccess<'_, '_, '_> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        loop {
            let Some((key, value)) = self.table.next(self.key.clone(), self.state.ctx)? else {
                return Ok(None);
            };
            self.key = key.clone();
            let skip = !self.state.options.deny_unsupported_types
                && (self.state.is_unsupported(&key) || self.state.is_unsupported(&value));
            if skip {
                continue;
            }
            self.value = Some(value);
            return seed
                .deserialize(ValueDeserializer {
                    state: &mut *self.state,
                    value: key,
                })
                .map(Some);
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let value = self
            .value
            .take()
            .ok_or_else(|| error("map value without a key"))?;
        seed.deserialize(ValueDeserializer {
            state: &mut *self.state,
            value,
        })
    }
}

/// An enum variant written as `{Variant = value}`.
struct VariantAccess<'s, 'a, 'vm> {
    state: &'s mut State<'a, 'vm>,
    variant: Value,
    value: Value,
}

impl<'de, 's, 'a, 'vm> de::EnumAccess<'de> for VariantAccess<'s, 'a, 'vm> {
    type Error = Error;
    type Variant = ValueDeserializer<'s, 'a, 'vm>;

    fn variant_seed<V: DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, Self::Variant), Error> {
        let variant = seed.deserialize(ValueDeserializer {
            state: &mut *self.state,
            value: self.variant,
        })?;
        Ok((
            variant,
            ValueDeserializer {
                state: self.state,
                value: self.value,
            },
        ))
    }
}

impl<'de> de::VariantAccess<'de> for ValueDeserializer<'_, '_, '_> {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        Ok(())
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Error> {
        seed.deserialize(self)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        de::Deserializer::deserialize_seq(self, visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        de::Deserializer::deserialize_map(self, visitor)
    }
}
