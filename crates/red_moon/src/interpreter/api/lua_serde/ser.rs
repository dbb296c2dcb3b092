//! Rust → Lua: a serde `Serializer` that builds Lua values.

use super::{Error, SerializeOptions};
use crate::interpreter::api::context::VmContext;
use crate::interpreter::api::handles::TableRef;
use crate::interpreter::api::value::Value;
use serde::ser::{self, Serialize};

pub(super) fn to_value<T: Serialize + ?Sized>(
    ctx: &mut VmContext,
    value: &T,
    options: SerializeOptions,
) -> Result<Value, Error> {
    value.serialize(Serializer { ctx, options })
}

/// Builds one Lua value.
struct Serializer<'c, 'vm> {
    ctx: &'c mut VmContext<'vm>,
    options: SerializeOptions,
}

impl<'c, 'vm> Serializer<'c, 'vm> {
    fn string(self, bytes: &[u8]) -> Result<Value, Error> {
        Ok(Value::String(self.ctx.create_string(bytes)?))
    }

    fn nil_or_null(self, null: bool) -> Result<Value, Error> {
        if null {
            Ok(self.ctx.null()?)
        } else {
            Ok(Value::Nil)
        }
    }

    fn table(self) -> Result<TableBuilder<'c, 'vm>, Error> {
        let table = self.ctx.create_table()?;
        Ok(TableBuilder {
            ctx: self.ctx,
            options: self.options,
            table,
            next_index: 1,
            pending_key: None,
            variant: None,
        })
    }

    /// A table builder whose result is wrapped as `{variant = result}`.
    fn variant_table(self, variant: &'static str) -> Result<TableBuilder<'c, 'vm>, Error> {
        let mut builder = self.table()?;
        builder.variant = Some(variant);
        Ok(builder)
    }

    fn wrap_variant(self, variant: &'static str, value: Value) -> Result<Value, Error> {
        let table = self.ctx.create_table()?;
        table.raw_set(variant, value, self.ctx)?;
        Ok(Value::Table(table))
    }
}

/// Fills a table: sequences (`next_index`), maps (`pending_key`) and structs.
struct TableBuilder<'c, 'vm> {
    ctx: &'c mut VmContext<'vm>,
    options: SerializeOptions,
    table: TableRef,
    next_index: i64,
    pending_key: Option<Value>,
    /// For enum variants with data: the variant name to wrap the table in.
    variant: Option<&'static str>,
}

impl TableBuilder<'_, '_> {
    fn convert<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<Value, Error> {
        value.serialize(Serializer {
            ctx: &mut *self.ctx,
            options: self.options,
        })
    }

    fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        let value = self.convert(value)?;
        self.table.raw_set(self.next_index, value, self.ctx)?;
        self.next_index += 1;
        Ok(())
    }

    fn field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), Error> {
        let value = self.convert(value)?;
        self.table.raw_set(key, value, self.ctx)?;
        Ok(())
    }

    fn finish_sequence(self) -> Result<Value, Error> {
        if self.options.set_array_metatable {
            let metatable = self.ctx.array_metatable()?;
            self.table.set_metatable(Some(&metatable), self.ctx)?;
        }
        self.finish()
    }

    fn finish(self) -> Result<Value, Error> {
        let value = Value::Table(self.table);
        match self.variant {
            Some(variant) => Serializer {
                ctx: self.ctx,
                options: self.options,
            }
            .wrap_variant(variant, value),
            None => Ok(value),
        }
    }
}

impl<'c, 'vm> ser::Serializer for Serializer<'c, 'vm> {
    type Ok = Value;
    type Error = Error;
    type SerializeSeq = TableBuilder<'c, 'vm>;
    type SerializeTuple = TableBuilder<'c, 'vm>;
    type SerializeTupleStruct = TableBuilder<'c, 'vm>;
    type SerializeTupleVariant = TableBuilder<'c, 'vm>;
    type SerializeMap = TableBuilder<'c, 'vm>;
    type SerializeStruct = TableBuilder<'c, 'vm>;
    type SerializeStructVariant = TableBuilder<'c, 'vm>;

    fn serialize_bool(self, v: bool) -> Result<Value, Error> {
        Ok(Value::Boolean(v))
    }
    fn serialize_i8(self, v: i8) -> Result<Value, Error> {
        Ok(Value::Integer(v.into()))
    }
    fn serialize_i16(self, v: i16) -> Result<Value, Error> {
        Ok(Value::Integer(v.into()))
    }
    fn serialize_i32(self, v: i32) -> Result<Value, Error> {
        Ok(Value::Integer(v.into()))
    }
    fn serialize_i64(self, v: i64) -> Result<Value, Error> {
        Ok(Value::Integer(v))
    }
    fn serialize_i128(self, v: i128) -> Result<Value, Error> {
        Ok(i64::try_from(v).map_or(Value::Float(v as f64), Value::Integer))
    }
    fn serialize_u8(self, v: u8) -> Result<Value, Error> {
        Ok(Value::Integer(v.into()))
    }
    fn serialize_u16(self, v: u16) -> Result<Value, Error> {
        Ok(Value::Integer(v.into()))
    }
    fn serialize_u32(self, v: u32) -> Result<Value, Error> {
        Ok(Value::Integer(v.into()))
    }
    fn serialize_u64(self, v: u64) -> Result<Value, Error> {
        Ok(i64::try_from(v).map_or(Value::Float(v as f64), Value::Integer))
    }
    fn serialize_u128(self, v: u128) -> Result<Value, Error> {
        Ok(i64::try_from(v).map_or(Value::Float(v as f64), Value::Integer))
    }
    fn serialize_f32(self, v: f32) -> Result<Value, Error> {
        Ok(Value::Float(v.into()))
    }
    fn serialize_f64(self, v: f64) -> Result<Value, Error> {
        Ok(Value::Float(v))
    }
    fn serialize_char(self, v: char) -> Result<Value, Error> {
        self.string(v.encode_utf8(&mut [0; 4]).as_bytes())
    }
    fn serialize_str(self, v: &str) -> Result<Value, Error> {
        self.string(v.as_bytes())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<Value, Error> {
        self.string(v)
    }
    fn serialize_none(self) -> Result<Value, Error> {
        let null = self.options.serialize_none_to_null;
        self.nil_or_null(null)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Value, Error> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<Value, Error> {
        let null = self.options.serialize_unit_to_null;
        self.nil_or_null(null)
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<Value, Error> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<Value, Error> {
        self.string(variant.as_bytes())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<Value, Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<Value, Error> {
        let inner = value.serialize(Serializer {
            ctx: &mut *self.ctx,
            options: self.options,
        })?;
        self.wrap_variant(variant, inner)
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<TableBuilder<'c, 'vm>, Error> {
        self.table()
    }
    fn serialize_tuple(self, _len: usize) -> Result<TableBuilder<'c, 'vm>, Error> {
        self.table()
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<TableBuilder<'c, 'vm>, Error> {
        self.table()
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<TableBuilder<'c, 'vm>, Error> {
        self.variant_table(variant)
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<TableBuilder<'c, 'vm>, Error> {
        self.table()
    }
    fn serialize_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<TableBuilder<'c, 'vm>, Error> {
        self.table()
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<TableBuilder<'c, 'vm>, Error> {
        self.variant_table(variant)
    }
}

/// Sequences, tuples and tuple structs/variants all become the array part of a table.
macro_rules! positional {
    ($($trait:ident :: $method:ident),*) => {$(
        impl ser::$trait for TableBuilder<'_, '_> {
            type Ok = Value;
            type Error = Error;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
                self.push(value)
            }
            fn end(self) -> Result<Value, Error> {
                self.finish_sequence()
            }
        }
    )*};
}

positional!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

impl ser::SerializeMap for TableBuilder<'_, '_> {
    type Ok = Value;
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        self.pending_key = Some(self.convert(key)?);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        let key = self
            .pending_key
            .take()
            .ok_or_else(|| <Error as ser::Error>::custom("map value without a key"))?;
        let value = self.convert(value)?;
        self.table.raw_set(key, value, self.ctx)?;
        Ok(())
    }
    fn end(self) -> Result<Value, Error> {
        self.finish()
    }
}

impl ser::SerializeStruct for TableBuilder<'_, '_> {
    type Ok = Value;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.field(key, value)
    }
    fn end(self) -> Result<Value, Error> {
        self.finish()
    }
}

impl ser::SerializeStructVariant for TableBuilder<'_, '_> {
    type Ok = Value;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.field(key, value)
    }
    fn end(self) -> Result<Value, Error> {
        self.finish()
    }
}
