//! Operand ranges of the instruction set: when a value can be an immediate or constant
//! operand instead of going through a register.
//!
//! Red Moon's instructions have wider operands than PUC's packed 32-bit words (16-bit constant
//! indices and immediates, 32-bit loads), so more operations get the compact forms; the
//! semantics are the same.

/// Largest constant index a value operand (`SetField`'s `value`, ...) can hold.
pub const MAX_VALUE_CONSTANT: u32 = u8::MAX as u32;
/// Largest constant index of a key or arithmetic operand (`GetField`, `AddK`, `EqK`, ...).
pub const MAX_KEY_CONSTANT: u32 = u16::MAX as u32;

/// `value` as an immediate operand (`AddI`, `EqI`, `LtI`, ...), if it fits.
pub fn immediate(value: i64) -> Option<i16> {
    i16::try_from(value).ok()
}

/// `value` as the operand of `LoadInteger` or `LoadFloat`, if it fits.
pub fn load_immediate(value: i64) -> Option<i32> {
    i32::try_from(value).ok()
}

/// Whether a string constant can be the key of `GetField`, `SetField`, `GetTableUpvalue` or
/// `SetTableUpvalue` (any string can).
pub fn is_field_key(_key: &[u8]) -> bool {
    true
}
