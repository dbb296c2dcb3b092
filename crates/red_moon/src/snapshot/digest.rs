//! The state digest: a 64-bit hash of everything a snapshot would contain, computed by
//! feeding the snapshot's serde description into a hasher instead of a byte buffer.
//!
//! Because it hashes exactly what serialization writes, two VMs with equal digests would
//! serialize to the same bytes (up to hash collisions): same heap layout, same table
//! traversal orders, same collector and random state. The hash is defined on values, not
//! on memory, so it is the same on every platform and in every clone or deserialized copy.
//! Host-side state (handles, app data, the captures of host functions, the remaining fuel)
//! is not included; userdata whose type is not registered for serialization contributes
//! its type name only.

use super::Purpose;
use crate::errors::RuntimeError;
use crate::interpreter::Vm;
use serde::ser::{self, Serialize};
use std::fmt;

impl Vm {
    /// A stable 64-bit hash of the whole VM state, for comparing peers in a rollback
    /// session (e.g. as the checksum GGRS asks for). Equal states give equal digests on
    /// every platform, in clones and in deserialized copies; any difference a script could
    /// observe (a value, a table's traversal order, the random generator, the collector's
    /// progress) changes it.
    ///
    /// Available at rest and while a call is paused; from inside a running host function
    /// it returns `RuntimeError::InvalidState`.
    ///
    /// ```
    /// use red_moon::interpreter::Vm;
    ///
    /// let mut vm = Vm::default();
    /// let before = vm.state_digest().unwrap();
    /// let copy = vm.clone();
    /// assert_eq!(copy.state_digest().unwrap(), before);
    ///
    /// let ctx = &mut vm.context();
    /// ctx.exec::<()>(b"x = 1", "=frame").unwrap();
    /// assert_ne!(vm.state_digest().unwrap(), before);
    /// ```
    pub fn state_digest(&self) -> Result<u64, RuntimeError> {
        if !self.is_between_steps() {
            return Err(RuntimeError::InvalidState(
                "the state digest is only available at rest or while a call is paused",
            ));
        }
        let mut hasher = DigestHasher::new();
        self.serialize_with(&mut hasher, Purpose::Digest)
            .map_err(|error| RuntimeError::Message(error.0))?;
        Ok(hasher.finish())
    }
}

/// Word-at-a-time multiply-fold hashing (the construction wyhash uses): each 64-bit word is
/// mixed into the state through a 128-bit product folded back to 64 bits.
struct DigestHasher {
    state: u64,
    words: u64,
}

const MIX_A: u64 = 0xa076_1d64_78bd_642f;
const MIX_B: u64 = 0xe703_7ed1_a0b4_28db;
const MIX_C: u64 = 0x8ebc_6af0_9c88_c6e3;

fn fold_multiply(a: u64, b: u64) -> u64 {
    let product = u128::from(a) * u128::from(b);
    (product as u64) ^ ((product >> 64) as u64)
}

impl DigestHasher {
    fn new() -> Self {
        DigestHasher {
            state: MIX_C,
            words: 0,
        }
    }

    fn word(&mut self, word: u64) {
        self.state = fold_multiply(self.state ^ word ^ MIX_A, MIX_B);
        self.words = self.words.wrapping_add(1);
    }

    fn bytes(&mut self, bytes: &[u8]) {
        self.word(bytes.len() as u64);
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.word(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.word(u64::from_le_bytes(word));
        }
    }

    fn finish(&self) -> u64 {
        fold_multiply(self.state ^ self.words, MIX_C ^ MIX_A)
    }
}

/// The only way hashing fails: the VM's serialization itself refused.
#[derive(Debug)]
struct DigestError(String);

impl fmt::Display for DigestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for DigestError {}

impl ser::Error for DigestError {
    fn custom<T: fmt::Display>(message: T) -> Self {
        DigestError(message.to_string())
    }
}

// Markers keep differently shaped data apart (`None` vs `Some(0)`, a unit variant vs a
// newtype variant with the same index).
const MARK_NONE: u64 = 0x6e6f6e65;
const MARK_SOME: u64 = 0x736f6d65;
const MARK_UNIT: u64 = 0x756e6974;
const MARK_SEQUENCE: u64 = 0x73657175;
const MARK_END: u64 = 0x656e6421;

type Result<T, E = DigestError> = std::result::Result<T, E>;

impl ser::Serializer for &mut DigestHasher {
    type Ok = ();
    type Error = DigestError;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    fn serialize_bool(self, v: bool) -> Result<()> {
        self.word(u64::from(v));
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<()> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i16(self, v: i16) -> Result<()> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i32(self, v: i32) -> Result<()> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i64(self, v: i64) -> Result<()> {
        self.word(v as u64);
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> Result<()> {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u16(self, v: u16) -> Result<()> {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u32(self, v: u32) -> Result<()> {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u64(self, v: u64) -> Result<()> {
        self.word(v);
        Ok(())
    }
    fn serialize_f32(self, v: f32) -> Result<()> {
        self.serialize_f64(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> Result<()> {
        self.word(v.to_bits());
        Ok(())
    }
    fn serialize_char(self, v: char) -> Result<()> {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_str(self, v: &str) -> Result<()> {
        self.bytes(v.as_bytes());
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<()> {
        self.bytes(v);
        Ok(())
    }
    fn serialize_none(self) -> Result<()> {
        self.word(MARK_NONE);
        Ok(())
    }
    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result<()> {
        self.word(MARK_SOME);
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<()> {
        self.word(MARK_UNIT);
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<()> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(self, _: &'static str, index: u32, _: &'static str) -> Result<()> {
        self.word(u64::from(index));
        self.serialize_unit()
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<()> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        index: u32,
        _: &'static str,
        value: &T,
    ) -> Result<()> {
        self.word(u64::from(index));
        value.serialize(self)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self> {
        // The length is implied by the end marker; known or not, the hash is the same.
        self.word(MARK_SEQUENCE);
        Ok(self)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self> {
        Ok(self)
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self> {
        Ok(self)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        index: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self> {
        self.word(u64::from(index));
        Ok(self)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self> {
        self.word(MARK_SEQUENCE);
        Ok(self)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self> {
        Ok(self)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        index: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self> {
        self.word(u64::from(index));
        Ok(self)
    }
}

/// Elements of every compound shape are hashed in order; sequences and maps end with a
/// marker so that `[[1], []]` and `[[], [1]]` differ.
macro_rules! compound {
    ($($trait:ident :: $method:ident),* $(,)?) => {$(
        impl<'a> ser::$trait for &'a mut DigestHasher {
            type Ok = ();
            type Error = DigestError;
            fn $method<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<()> {
                value.serialize(&mut **self)
            }
            fn end(self) -> Result<()> {
                self.word(MARK_END);
                Ok(())
            }
        }
    )*};
}

compound!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field,
);

impl ser::SerializeMap for &mut DigestHasher {
    type Ok = ();
    type Error = DigestError;
    fn serialize_key<T: ?Sized + Serialize>(&mut self, key: &T) -> Result<()> {
        key.serialize(&mut **self)
    }
    fn serialize_value<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<()> {
        value.serialize(&mut **self)
    }
    fn end(self) -> Result<()> {
        self.word(MARK_END);
        Ok(())
    }
}

/// Named fields hash like positional ones: field names are the same on every peer.
macro_rules! named_fields {
    ($($trait:ident),*) => {$(
        impl ser::$trait for &mut DigestHasher {
            type Ok = ();
            type Error = DigestError;
            fn serialize_field<T: ?Sized + Serialize>(
                &mut self,
                _: &'static str,
                value: &T,
            ) -> Result<()> {
                value.serialize(&mut **self)
            }
            fn end(self) -> Result<()> {
                self.word(MARK_END);
                Ok(())
            }
        }
    )*};
}

named_fields!(SerializeStruct, SerializeStructVariant);

#[cfg(test)]
mod tests {
    use crate::interpreter::Vm;

    fn digest_after(source: &str) -> u64 {
        let mut vm = Vm::default();
        vm.context().exec::<()>(source.as_bytes(), "=test").unwrap();
        vm.state_digest().unwrap()
    }

    #[test]
    fn equal_histories_give_equal_digests() {
        let script = "t = {} for i = 1, 100 do t['k' .. i] = i * 1.5 end";
        assert_eq!(digest_after(script), digest_after(script));
    }

    #[test]
    fn values_order_and_random_state_all_count() {
        let base = digest_after("t = {a = 1, b = 2}");
        assert_ne!(base, digest_after("t = {a = 1, b = 3}"));
        assert_ne!(
            base,
            digest_after("t = {b = 2, a = 1}"),
            "traversal order differs"
        );
        assert_ne!(base, digest_after("t = {a = 1, b = 2} math.random()"));
    }

    #[test]
    fn clones_share_the_digest() {
        let mut vm = Vm::default();
        vm.context()
            .exec::<()>(b"co = coroutine.create(function(x) coroutine.yield(x) end) coroutine.resume(co, {})", "=t")
            .unwrap();
        let copy = vm.clone();
        assert_eq!(vm.state_digest().unwrap(), copy.state_digest().unwrap());
    }

    #[test]
    fn sequences_are_delimited() {
        use serde::Serialize;
        let mut a = super::DigestHasher::new();
        let mut b = super::DigestHasher::new();
        (vec![vec![1u8], vec![]]).serialize(&mut a).unwrap();
        (vec![vec![], vec![1u8]]).serialize(&mut b).unwrap();
        assert_ne!(a.finish(), b.finish());
    }
}
