//! Binary chunks: the format `string.dump` writes and `load` reads back.
//!
//! A binary chunk is a serialized [`Proto`] tree. It is Red Moon's own format, not PUC's
//! bytecode, but it starts with PUC 5.4's 31-byte header so that `load` recognises binary
//! chunks by their first byte exactly as PUC does, and tools that inspect the header (the
//! official test suite does) see what they expect. Everything is little-endian on every
//! platform.
//!
//! ```text
//! header   "\x1bLua" 0x54 0x00 "\x19\x93\r\n\x1a\n" 4 8 8      PUC's signature, version,
//!          0x5678 as i64, 370.5 as f64                          format, sizes, check values
//!          "RedMoon" format-version:u16 instruction-set:u16     ours
//! proto    source-present:u8 [source:string]                    0 = the parent's source
//!                                                               ("=?" for the main proto)
//!          line_defined:varint last_line_defined:varint
//!          param_count:u8 is_vararg:bool max_stack_size:u8
//!          code:         count, then per instruction a tag byte and its operands
//!          constants:    count, then tag (0 nil, 1 false, 2 true, 3 integer: 8 bytes,
//!                        4 float: 8 bytes of IEEE bits, 5 string)
//!          upvalues:     count, then in_stack:bool index:u8 name:string
//!          protos:       count, then each nested proto (same layout, recursively)
//!          line_info:    count, then the line deltas (zigzag varints, first one relative
//!                        to line_defined)
//!          locals:       count, then name:string register:u8 start_pc:varint end_pc:varint
//! string   length:varint, then the bytes
//! count    varint
//! ```
//!
//! A stripped dump (`string.dump(f, true)`) writes no sources, no line information, no local
//! variables and empty upvalue names; it loads with `"=?"` as the source of every function,
//! as PUC's stripped chunks do.
//!
//! Decoding is defensive: every length is checked against the remaining input before
//! anything is allocated, nesting is bounded by [`MAX_PROTO_DEPTH`], every tag and boolean is
//! validated, and integers that do not fit their field are rejected. Decoding does *not*
//! check that the code is safe to run; [`verify`](super::verify()) does that, and a decoded
//! proto must pass it before it is loaded into a VM.

mod cursor;
mod instructions;

use super::verify::MAX_PROTO_DEPTH;
use super::{Constant, LocalVariable, Proto, UpvalueDescriptor};
use cursor::{Reader, Writer};
use std::fmt;
use std::rc::Rc;

/// Version of the layout described in the module documentation. Bump it whenever the
/// layout changes.
pub const FORMAT_VERSION: u16 = 1;

/// Version of the instruction set ([`Instruction`](super::Instruction) variants, their tags
/// in `binary/instructions.rs`, and the meaning of their operands). Bump it whenever any of
/// these change: old chunks are then rejected instead of misinterpreted.
pub const INSTRUCTION_SET_VERSION: u16 = 1;

/// PUC 5.4's header (`lundump.h`), kept byte for byte.
const SIGNATURE: &[u8] = b"\x1bLua";
const LUA_VERSION: u8 = 0x54;
const LUA_FORMAT: u8 = 0;
const LUAC_DATA: &[u8] = b"\x19\x93\r\n\x1a\n";
const INSTRUCTION_SIZE: u8 = 4;
const INTEGER_SIZE: u8 = 8;
const NUMBER_SIZE: u8 = 8;
const LUAC_INT: i64 = 0x5678;
const LUAC_NUM: f64 = 370.5;

/// What follows PUC's header in a Red Moon chunk.
const MAGIC: &[u8] = b"RedMoon";

/// Source name given to functions loaded from a stripped chunk (PUC's convention).
const STRIPPED_SOURCE: &[u8] = b"=?";

/// Smallest encodings, used to reject counts the remaining input cannot hold.
const MIN_PROTO_BYTES: usize = 12;
const MIN_UPVALUE_BYTES: usize = 3;
const MIN_LOCAL_BYTES: usize = 4;

/// Why a binary chunk could not be decoded. `Display` gives the reason as PUC words it
/// inside `bad binary format (...)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DecodeError {
    /// The input ended early (or claims more elements than it can hold).
    Truncated,
    /// The first bytes are not `"\x1bLua"`.
    NotBinaryChunk,
    /// The Lua version byte is not 5.4's.
    VersionMismatch,
    /// The Lua format byte is not 0.
    FormatMismatch,
    /// The conversion-detection bytes were altered.
    Corrupted,
    /// A size byte of the header differs (`what` names the C type, as PUC does).
    SizeMismatch {
        what: &'static str,
    },
    IntegerFormatMismatch,
    FloatFormatMismatch,
    /// A valid Lua 5.4 header not followed by Red Moon's magic: probably PUC bytecode.
    NotRedMoon,
    /// A Red Moon chunk written in another layout version.
    FormatVersionMismatch {
        found: u16,
    },
    /// A Red Moon chunk compiled for another instruction set.
    InstructionSetMismatch {
        found: u16,
    },
    /// An integer does not fit the field it encodes.
    IntegerOverflow,
    /// An unknown tag for an instruction or a constant.
    InvalidTag {
        what: &'static str,
        tag: u8,
    },
    /// A boolean byte other than 0 or 1.
    InvalidBoolean,
    /// Functions nested deeper than [`MAX_PROTO_DEPTH`].
    TooDeep,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::Truncated => write!(f, "truncated chunk"),
            DecodeError::NotBinaryChunk => write!(f, "not a binary chunk"),
            DecodeError::VersionMismatch => write!(f, "version mismatch"),
            DecodeError::FormatMismatch => write!(f, "format mismatch"),
            DecodeError::Corrupted => write!(f, "corrupted chunk"),
            DecodeError::SizeMismatch { what } => write!(f, "{what} size mismatch"),
            DecodeError::IntegerFormatMismatch => write!(f, "integer format mismatch"),
            DecodeError::FloatFormatMismatch => write!(f, "float format mismatch"),
            DecodeError::NotRedMoon => write!(f, "not a Red Moon chunk"),
            DecodeError::FormatVersionMismatch { found } => write!(
                f,
                "format version mismatch: chunk has version {found}, expected {FORMAT_VERSION}"
            ),
            DecodeError::InstructionSetMismatch { found } => write!(
                f,
                "instruction set mismatch: chunk has version {found}, expected \
                 {INSTRUCTION_SET_VERSION}"
            ),
            DecodeError::IntegerOverflow => write!(f, "integer overflow"),
            DecodeError::InvalidTag { what, tag } => write!(f, "invalid {what} tag {tag}"),
            DecodeError::InvalidBoolean => write!(f, "invalid boolean"),
            DecodeError::TooDeep => write!(f, "functions nested too deeply"),
        }
    }
}

impl std::error::Error for DecodeError {}

/// Serializes `proto` and its nested prototypes as a binary chunk. With `strip`, debug
/// information is left out (see the module documentation).
///
/// `proto` must be nested at most [`MAX_PROTO_DEPTH`] deep (compiled and verified protos
/// are), or the chunk will not load back.
pub fn encode(proto: &Proto, strip: bool) -> Vec<u8> {
    let mut writer = Writer::default();
    write_header(&mut writer);
    write_proto(&mut writer, proto, None, strip);
    writer.bytes
}

/// Reads a binary chunk back into a prototype tree. Bytes after the chunk are ignored, as
/// PUC does. The result is well-formed data but not necessarily safe to run: pass it to
/// [`verify`](super::verify()) before loading it.
pub fn decode(bytes: &[u8]) -> Result<Proto, DecodeError> {
    let mut reader = Reader::new(bytes);
    check_header(&mut reader)?;
    read_proto(&mut reader, None, 0)
}

fn write_header(writer: &mut Writer) {
    writer.raw(SIGNATURE);
    writer.byte(LUA_VERSION);
    writer.byte(LUA_FORMAT);
    writer.raw(LUAC_DATA);
    writer.byte(INSTRUCTION_SIZE);
    writer.byte(INTEGER_SIZE);
    writer.byte(NUMBER_SIZE);
    writer.fixed_u64(LUAC_INT as u64);
    writer.fixed_u64(LUAC_NUM.to_bits());
    writer.raw(MAGIC);
    writer.raw(&FORMAT_VERSION.to_le_bytes());
    writer.raw(&INSTRUCTION_SET_VERSION.to_le_bytes());
}

/// Checks the header field by field in PUC's order, with PUC's reasons. Each field is read
/// whole before it is compared, so a short input is reported as truncated.
fn check_header(reader: &mut Reader<'_>) -> Result<(), DecodeError> {
    expect_bytes(reader, SIGNATURE, DecodeError::NotBinaryChunk)?;
    expect_bytes(reader, &[LUA_VERSION], DecodeError::VersionMismatch)?;
    expect_bytes(reader, &[LUA_FORMAT], DecodeError::FormatMismatch)?;
    expect_bytes(reader, LUAC_DATA, DecodeError::Corrupted)?;
    let sizes = [
        (INSTRUCTION_SIZE, "Instruction"),
        (INTEGER_SIZE, "lua_Integer"),
        (NUMBER_SIZE, "lua_Number"),
    ];
    for (size, what) in sizes {
        expect_bytes(reader, &[size], DecodeError::SizeMismatch { what })?;
    }
    if reader.fixed_u64()? != LUAC_INT as u64 {
        return Err(DecodeError::IntegerFormatMismatch);
    }
    if reader.fixed_u64()? != LUAC_NUM.to_bits() {
        return Err(DecodeError::FloatFormatMismatch);
    }
    expect_bytes(reader, MAGIC, DecodeError::NotRedMoon)?;
    let format = read_u16(reader)?;
    if format != FORMAT_VERSION {
        return Err(DecodeError::FormatVersionMismatch { found: format });
    }
    let instruction_set = read_u16(reader)?;
    if instruction_set != INSTRUCTION_SET_VERSION {
        return Err(DecodeError::InstructionSetMismatch {
            found: instruction_set,
        });
    }
    Ok(())
}

fn expect_bytes(
    reader: &mut Reader<'_>,
    expected: &[u8],
    mismatch: DecodeError,
) -> Result<(), DecodeError> {
    if reader.take(expected.len())? == expected {
        Ok(())
    } else {
        Err(mismatch)
    }
}

fn read_u16(reader: &mut Reader<'_>) -> Result<u16, DecodeError> {
    let low = reader.byte()?;
    let high = reader.byte()?;
    Ok(u16::from_le_bytes([low, high]))
}

fn write_proto(writer: &mut Writer, proto: &Proto, parent_source: Option<&[u8]>, strip: bool) {
    if strip || parent_source == Some(&*proto.source) {
        writer.byte(0);
    } else {
        writer.byte(1);
        writer.string(&proto.source);
    }
    writer.varint(u64::from(proto.line_defined));
    writer.varint(u64::from(proto.last_line_defined));
    writer.byte(proto.param_count);
    writer.boolean(proto.is_vararg);
    writer.byte(proto.max_stack_size);
    writer.count(proto.code.len());
    for &instruction in &proto.code {
        instructions::write_instruction(writer, instruction);
    }
    writer.count(proto.constants.len());
    for constant in &proto.constants {
        write_constant(writer, constant);
    }
    writer.count(proto.upvalues.len());
    for upvalue in &proto.upvalues {
        writer.boolean(upvalue.in_stack);
        writer.byte(upvalue.index);
        writer.string(if strip { b"" } else { &upvalue.name });
    }
    writer.count(proto.protos.len());
    for child in &proto.protos {
        write_proto(writer, child, Some(&proto.source), strip);
    }
    if strip {
        writer.count(0);
        writer.count(0);
    } else {
        write_line_info(writer, proto);
        write_locals(writer, &proto.locals);
    }
}

fn read_proto(
    reader: &mut Reader<'_>,
    parent_source: Option<&Rc<[u8]>>,
    depth: usize,
) -> Result<Proto, DecodeError> {
    if depth > MAX_PROTO_DEPTH {
        return Err(DecodeError::TooDeep);
    }
    let source = if reader.boolean()? {
        Rc::from(reader.string()?)
    } else {
        parent_source
            .cloned()
            .unwrap_or_else(|| Rc::from(STRIPPED_SOURCE))
    };
    let line_defined = reader.varint_as()?;
    let last_line_defined = reader.varint_as()?;
    let param_count = reader.byte()?;
    let is_vararg = reader.boolean()?;
    let max_stack_size = reader.byte()?;
    let code_length = reader.count(1)?;
    let mut code = Vec::with_capacity(code_length);
    for _ in 0..code_length {
        code.push(instructions::read_instruction(reader)?);
    }
    let constant_count = reader.count(1)?;
    let mut constants = Vec::with_capacity(constant_count);
    for _ in 0..constant_count {
        constants.push(read_constant(reader)?);
    }
    let upvalues = read_upvalues(reader)?;
    let proto_count = reader.count(MIN_PROTO_BYTES)?;
    let mut protos = Vec::with_capacity(proto_count);
    for _ in 0..proto_count {
        protos.push(Rc::new(read_proto(reader, Some(&source), depth + 1)?));
    }
    let line_info = read_line_info(reader, line_defined)?;
    let locals = read_locals(reader)?;
    Ok(Proto {
        source,
        line_defined,
        last_line_defined,
        param_count,
        is_vararg,
        max_stack_size,
        code,
        line_info,
        constants,
        upvalues,
        protos,
        locals,
    })
}

const CONSTANT_NIL: u8 = 0;
const CONSTANT_FALSE: u8 = 1;
const CONSTANT_TRUE: u8 = 2;
const CONSTANT_INTEGER: u8 = 3;
const CONSTANT_FLOAT: u8 = 4;
const CONSTANT_STRING: u8 = 5;

fn write_constant(writer: &mut Writer, constant: &Constant) {
    match constant {
        Constant::Nil => writer.byte(CONSTANT_NIL),
        Constant::Boolean(false) => writer.byte(CONSTANT_FALSE),
        Constant::Boolean(true) => writer.byte(CONSTANT_TRUE),
        Constant::Integer(i) => {
            writer.byte(CONSTANT_INTEGER);
            writer.fixed_u64(*i as u64);
        }
        Constant::Float(x) => {
            writer.byte(CONSTANT_FLOAT);
            writer.fixed_u64(x.to_bits());
        }
        Constant::String(s) => {
            writer.byte(CONSTANT_STRING);
            writer.string(s);
        }
    }
}

fn read_constant(reader: &mut Reader<'_>) -> Result<Constant, DecodeError> {
    Ok(match reader.byte()? {
        CONSTANT_NIL => Constant::Nil,
        CONSTANT_FALSE => Constant::Boolean(false),
        CONSTANT_TRUE => Constant::Boolean(true),
        CONSTANT_INTEGER => Constant::Integer(reader.fixed_u64()? as i64),
        CONSTANT_FLOAT => Constant::Float(f64::from_bits(reader.fixed_u64()?)),
        CONSTANT_STRING => Constant::String(Rc::from(reader.string()?)),
        tag => {
            return Err(DecodeError::InvalidTag {
                what: "constant",
                tag,
            })
        }
    })
}

fn read_upvalues(reader: &mut Reader<'_>) -> Result<Vec<UpvalueDescriptor>, DecodeError> {
    let count = reader.count(MIN_UPVALUE_BYTES)?;
    let mut upvalues = Vec::with_capacity(count);
    for _ in 0..count {
        upvalues.push(UpvalueDescriptor {
            in_stack: reader.boolean()?,
            index: reader.byte()?,
            name: Rc::from(reader.string()?),
        });
    }
    Ok(upvalues)
}

/// Lines as deltas from the previous one (from `line_defined` for the first): consecutive
/// instructions are usually on the same or the next line, so most deltas take one byte.
fn write_line_info(writer: &mut Writer, proto: &Proto) {
    writer.count(proto.line_info.len());
    let mut previous = i64::from(proto.line_defined);
    for &line in &proto.line_info {
        writer.signed_varint(i64::from(line) - previous);
        previous = i64::from(line);
    }
}

fn read_line_info(reader: &mut Reader<'_>, line_defined: u32) -> Result<Vec<u32>, DecodeError> {
    let count = reader.count(1)?;
    let mut lines = Vec::with_capacity(count);
    let mut previous = i64::from(line_defined);
    for _ in 0..count {
        let line = previous
            .checked_add(reader.signed_varint()?)
            .and_then(|line| u32::try_from(line).ok())
            .ok_or(DecodeError::IntegerOverflow)?;
        lines.push(line);
        previous = i64::from(line);
    }
    Ok(lines)
}

fn write_locals(writer: &mut Writer, locals: &[LocalVariable]) {
    writer.count(locals.len());
    for local in locals {
        writer.string(&local.name);
        writer.byte(local.register);
        writer.varint(u64::from(local.start_pc));
        writer.varint(u64::from(local.end_pc));
    }
}

fn read_locals(reader: &mut Reader<'_>) -> Result<Vec<LocalVariable>, DecodeError> {
    let count = reader.count(MIN_LOCAL_BYTES)?;
    let mut locals = Vec::with_capacity(count);
    for _ in 0..count {
        locals.push(LocalVariable {
            name: Rc::from(reader.string()?),
            register: reader.byte()?,
            start_pc: reader.varint_as()?,
            end_pc: reader.varint_as()?,
        });
    }
    Ok(locals)
}

/// Decodes one instruction from `bytes` (a tag and its operands; extra bytes are ignored),
/// for tests that generate arbitrary instructions.
#[cfg(test)]
pub(crate) fn instruction_from_bytes(bytes: &[u8]) -> Option<super::Instruction> {
    instructions::read_instruction(&mut Reader::new(bytes)).ok()
}

#[cfg(test)]
mod tests;
