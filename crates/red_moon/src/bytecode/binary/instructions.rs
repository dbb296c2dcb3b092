//! The encoding of instructions: a tag byte naming the variant, then its operands in
//! declaration order (`u8` operands as one byte, `bool` as 0/1, wider integers as
//! varints, signed ones zigzag-encoded).
//!
//! The tag table below is part of the format. Changing the instruction set (adding,
//! removing or changing a variant or the meaning of an operand) must bump
//! [`INSTRUCTION_SET_VERSION`](super::INSTRUCTION_SET_VERSION); the exhaustive `match` the
//! macro generates makes adding a variant without a tag a compile error here.

use super::cursor::{Reader, Writer};
use super::DecodeError;
use crate::bytecode::Instruction;

/// How one operand type is written and read back.
trait Operand: Sized {
    fn write(self, writer: &mut Writer);
    fn read(reader: &mut Reader<'_>) -> Result<Self, DecodeError>;
}

impl Operand for u8 {
    fn write(self, writer: &mut Writer) {
        writer.byte(self);
    }
    fn read(reader: &mut Reader<'_>) -> Result<Self, DecodeError> {
        reader.byte()
    }
}

impl Operand for bool {
    fn write(self, writer: &mut Writer) {
        writer.boolean(self);
    }
    fn read(reader: &mut Reader<'_>) -> Result<Self, DecodeError> {
        reader.boolean()
    }
}

/// Unsigned operands wider than a byte.
macro_rules! unsigned_operand {
    ($($t:ty),*) => {$(
        impl Operand for $t {
            fn write(self, writer: &mut Writer) {
                writer.varint(u64::from(self));
            }
            fn read(reader: &mut Reader<'_>) -> Result<Self, DecodeError> {
                reader.varint_as()
            }
        }
    )*};
}
unsigned_operand!(u16, u32);

/// Signed operands (immediates and jump offsets).
macro_rules! signed_operand {
    ($($t:ty),*) => {$(
        impl Operand for $t {
            fn write(self, writer: &mut Writer) {
                writer.signed_varint(i64::from(self));
            }
            fn read(reader: &mut Reader<'_>) -> Result<Self, DecodeError> {
                reader.signed_varint_as()
            }
        }
    )*};
}
signed_operand!(i16, i32);

/// Generates `write_instruction` and `read_instruction` from one table of
/// `tag => Variant { operands }`, so the two directions cannot disagree. Struct
/// expressions evaluate their fields in the order written, which is the order encoded.
macro_rules! instruction_codec {
    ($($tag:literal => $variant:ident { $($field:ident),* }),* $(,)?) => {
        /// Appends the encoding of `instruction`.
        pub(super) fn write_instruction(writer: &mut Writer, instruction: Instruction) {
            match instruction {
                $(Instruction::$variant { $($field),* } => {
                    writer.byte($tag);
                    $(Operand::write($field, writer);)*
                })*
            }
        }

        /// Reads one instruction; an unknown tag is an error.
        pub(super) fn read_instruction(reader: &mut Reader<'_>) -> Result<Instruction, DecodeError> {
            let tag = reader.byte()?;
            Ok(match tag {
                $($tag => Instruction::$variant { $($field: Operand::read(reader)?),* },)*
                _ => return Err(DecodeError::InvalidTag { what: "instruction", tag }),
            })
        }
    };
}

instruction_codec! {
    0 => Move { dst, src },
    1 => LoadConstant { dst, constant },
    2 => LoadInteger { dst, value },
    3 => LoadFloat { dst, value },
    4 => LoadBoolean { dst, value },
    5 => LoadFalseSkip { dst },
    6 => LoadNil { dst, count },
    7 => GetUpvalue { dst, upvalue },
    8 => SetUpvalue { src, upvalue },
    9 => GetTableUpvalue { dst, upvalue, key },
    10 => SetTableUpvalue { upvalue, key, value, value_is_constant },
    11 => GetTable { dst, table, key },
    12 => GetIndex { dst, table, index },
    13 => GetField { dst, table, key },
    14 => SetTable { table, key, value, value_is_constant },
    15 => SetIndex { table, index, value, value_is_constant },
    16 => SetField { table, key, value, value_is_constant },
    17 => NewTable { dst, array_size, hash_size },
    18 => SelfMethod { dst, object, key },
    19 => Add { dst, lhs, rhs },
    20 => Sub { dst, lhs, rhs },
    21 => Mul { dst, lhs, rhs },
    22 => Div { dst, lhs, rhs },
    23 => IDiv { dst, lhs, rhs },
    24 => Mod { dst, lhs, rhs },
    25 => Pow { dst, lhs, rhs },
    26 => BAnd { dst, lhs, rhs },
    27 => BOr { dst, lhs, rhs },
    28 => BXor { dst, lhs, rhs },
    29 => Shl { dst, lhs, rhs },
    30 => Shr { dst, lhs, rhs },
    31 => AddK { dst, lhs, constant },
    32 => SubK { dst, lhs, constant },
    33 => MulK { dst, lhs, constant },
    34 => DivK { dst, lhs, constant },
    35 => IDivK { dst, lhs, constant },
    36 => ModK { dst, lhs, constant },
    37 => PowK { dst, lhs, constant },
    38 => BAndK { dst, lhs, constant },
    39 => BOrK { dst, lhs, constant },
    40 => BXorK { dst, lhs, constant },
    41 => ShlK { dst, lhs, constant },
    42 => ShrK { dst, lhs, constant },
    43 => AddI { dst, lhs, value },
    44 => Unm { dst, src },
    45 => BNot { dst, src },
    46 => Not { dst, src },
    47 => Len { dst, src },
    48 => Concat { first, count },
    49 => Jmp { offset },
    50 => Eq { lhs, rhs, expect },
    51 => Lt { lhs, rhs, expect },
    52 => Le { lhs, rhs, expect },
    53 => EqK { lhs, constant, expect },
    54 => EqI { lhs, value, is_float, expect },
    55 => LtI { lhs, value, is_float, expect },
    56 => LeI { lhs, value, is_float, expect },
    57 => GtI { lhs, value, is_float, expect },
    58 => GeI { lhs, value, is_float, expect },
    59 => Test { src, expect },
    60 => TestSet { dst, src, expect },
    61 => Call { func, args_plus_one, results_plus_one },
    62 => TailCall { func, args_plus_one },
    63 => Return { first, count_plus_one },
    64 => Return0 {},
    65 => Return1 { src },
    66 => ForPrep { base, offset },
    67 => ForLoop { base, offset },
    68 => TForPrep { base, offset },
    69 => TForCall { base, results },
    70 => TForLoop { base, offset },
    71 => SetList { table, count, offset },
    72 => Closure { dst, proto },
    73 => VarArgPrep { fixed_params },
    74 => VarArg { dst, count_plus_one },
    75 => Close { from },
    76 => ToBeClosed { src },
}
