//! Primitive encodings of the binary chunk format: single bytes, LEB128 variable-length
//! integers (zigzag for signed values), fixed 8-byte little-endian numbers, and
//! length-prefixed byte strings.
//!
//! The reader never trusts a length: every count is checked against the bytes that remain
//! before anything is allocated for it, so a short input claiming a huge table fails at once
//! with "truncated chunk".

use super::DecodeError;

/// Longest LEB128 encoding of a `u64` (10 groups of 7 bits).
const MAX_VARINT_BYTES: usize = 10;

/// Appends encoded values to a byte buffer.
#[derive(Default)]
pub(super) struct Writer {
    pub bytes: Vec<u8>,
}

impl Writer {
    pub fn byte(&mut self, value: u8) {
        self.bytes.push(value);
    }

    pub fn raw(&mut self, bytes: &[u8]) {
        self.bytes.extend_from_slice(bytes);
    }

    pub fn boolean(&mut self, value: bool) {
        self.byte(u8::from(value));
    }

    /// LEB128: 7 bits per byte, least significant group first, high bit = "more follows".
    pub fn varint(&mut self, mut value: u64) {
        while value >= 0x80 {
            self.byte((value as u8 & 0x7f) | 0x80);
            value >>= 7;
        }
        self.byte(value as u8);
    }

    /// Zigzag mapping (0, -1, 1, -2, ...) so small negative numbers stay short.
    pub fn signed_varint(&mut self, value: i64) {
        self.varint(((value << 1) ^ (value >> 63)) as u64);
    }

    pub fn count(&mut self, count: usize) {
        self.varint(count as u64);
    }

    pub fn fixed_u64(&mut self, value: u64) {
        self.raw(&value.to_le_bytes());
    }

    pub fn string(&mut self, bytes: &[u8]) {
        self.count(bytes.len());
        self.raw(bytes);
    }
}

/// Reads encoded values from a byte slice, failing (never panicking) on malformed input.
pub(super) struct Reader<'a> {
    bytes: &'a [u8],
    position: usize,
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Reader { bytes, position: 0 }
    }

    /// Bytes not read yet.
    pub fn remaining(&self) -> usize {
        self.bytes.len().saturating_sub(self.position)
    }

    pub fn byte(&mut self) -> Result<u8, DecodeError> {
        let byte = *self
            .bytes
            .get(self.position)
            .ok_or(DecodeError::Truncated)?;
        self.position += 1;
        Ok(byte)
    }

    /// The next `length` bytes.
    pub fn take(&mut self, length: usize) -> Result<&'a [u8], DecodeError> {
        let end = self
            .position
            .checked_add(length)
            .ok_or(DecodeError::Truncated)?;
        let slice = self
            .bytes
            .get(self.position..end)
            .ok_or(DecodeError::Truncated)?;
        self.position = end;
        Ok(slice)
    }

    pub fn boolean(&mut self) -> Result<bool, DecodeError> {
        match self.byte()? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(DecodeError::InvalidBoolean),
        }
    }

    pub fn varint(&mut self) -> Result<u64, DecodeError> {
        let mut value = 0u64;
        for group in 0..MAX_VARINT_BYTES {
            let byte = self.byte()?;
            let bits = u64::from(byte & 0x7f);
            let shift = 7 * group as u32;
            // The tenth group may only hold the single top bit of a u64.
            if group == MAX_VARINT_BYTES - 1 && bits > 1 {
                return Err(DecodeError::IntegerOverflow);
            }
            value |= bits << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(DecodeError::IntegerOverflow)
    }

    pub fn signed_varint(&mut self) -> Result<i64, DecodeError> {
        let zigzag = self.varint()?;
        Ok((zigzag >> 1) as i64 ^ -((zigzag & 1) as i64))
    }

    /// A varint that must fit in `T` (`IntegerOverflow` otherwise).
    pub fn varint_as<T: TryFrom<u64>>(&mut self) -> Result<T, DecodeError> {
        T::try_from(self.varint()?).map_err(|_| DecodeError::IntegerOverflow)
    }

    /// A signed varint that must fit in `T`.
    pub fn signed_varint_as<T: TryFrom<i64>>(&mut self) -> Result<T, DecodeError> {
        T::try_from(self.signed_varint()?).map_err(|_| DecodeError::IntegerOverflow)
    }

    /// The element count of a table whose elements take at least `min_element_size` bytes
    /// each: a count the remaining input cannot hold is a truncated chunk, reported before
    /// the caller allocates anything.
    pub fn count(&mut self, min_element_size: usize) -> Result<usize, DecodeError> {
        let count = self.varint()?;
        let capacity = self.remaining() / min_element_size.max(1);
        if count > capacity as u64 {
            return Err(DecodeError::Truncated);
        }
        Ok(count as usize)
    }

    pub fn fixed_u64(&mut self) -> Result<u64, DecodeError> {
        let bytes = self.take(8)?;
        let mut array = [0u8; 8];
        array.copy_from_slice(bytes);
        Ok(u64::from_le_bytes(array))
    }

    pub fn string(&mut self) -> Result<&'a [u8], DecodeError> {
        let length = self.count(1)?;
        self.take(length)
    }
}
