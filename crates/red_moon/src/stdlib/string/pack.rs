//! The engines of `string.pack`, `string.unpack` and `string.packsize`, exactly as Lua
//! 5.4.4 on x86-64 Linux: native sizes are those of that platform (`l`, `j`, `T`, `s`
//! are 8 bytes, `i` is 4, the maximum alignment `!` is 8) and native endianness is little.
//!
//! Arguments are requested lazily through [`PackArguments`] and results handed over one by
//! one through [`UnpackResults`], so conversions and errors happen in PUC's order.

use std::borrow::Cow;

use crate::numbers::Number;

/// An error raised by the pack functions themselves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PackError {
    /// A plain error with this message (`luaL_error`), e.g. `invalid format option 'y'`.
    Message(Vec<u8>),
    /// An error about one argument (`luaL_argerror`), reported by the VM as
    /// `bad argument #<position> to '<function>' (<message>)`.
    Argument {
        /// The Lua argument position (the format string is 1).
        position: usize,
        /// The reason, e.g. `integer overflow`.
        message: Vec<u8>,
    },
    /// `string.pack`'s result would exceed the maximum length the VM allowed.
    OutputTooLarge,
}

impl PackError {
    fn message(text: impl Into<Vec<u8>>) -> Self {
        PackError::Message(text.into())
    }

    fn argument(position: usize, message: &str) -> Self {
        PackError::Argument {
            position,
            message: message.as_bytes().to_vec(),
        }
    }
}

/// Access to the values given to `string.pack`, implemented by the VM. `position` is the
/// Lua argument position (the format string is 1, the first value 2); it may be past the
/// last argument. (PUC reports the first missing argument as "number expected, got nil",
/// not "got no value", because `str_pack` pushes a nil marker on its stack.)
pub trait PackArguments {
    /// The VM's error type; engine errors convert into it.
    type Error: From<PackError>;

    /// The argument as `luaL_checknumber` converts it, keeping its integer/float subtype.
    fn number(&mut self, position: usize) -> Result<Number, Self::Error>;

    /// The argument as `luaL_checklstring` converts it (strings, and numbers as text).
    fn string(&mut self, position: usize) -> Result<Cow<'_, [u8]>, Self::Error>;
}

/// One value produced by `string.unpack`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Unpacked<'a> {
    /// From an integer option.
    Integer(i64),
    /// From `f`, `d` or `n`.
    Float(f64),
    /// From `c`, `s` or `z`: a slice of the data string.
    String(&'a [u8]),
}

/// Receives the values of `string.unpack` in order, implemented by the VM (which may fail,
/// e.g. with "too many results" when its stack is full).
pub trait UnpackResults {
    /// The VM's error type; engine errors convert into it.
    type Error: From<PackError>;

    /// Takes the next result.
    fn push(&mut self, value: Unpacked<'_>) -> Result<(), Self::Error>;
}

/// `string.pack(fmt, ...)`: appends the packed values to `out`, which may grow to at most
/// `max_len` bytes ([`PackError::OutputTooLarge`] otherwise, checked before each piece).
pub fn pack<A: PackArguments + ?Sized>(
    fmt: &[u8],
    args: &mut A,
    max_len: usize,
    out: &mut Vec<u8>,
) -> Result<(), A::Error> {
    let mut reader = FormatReader::new(fmt);
    let mut writer = PackWriter {
        bytes: out,
        max_len,
    };
    let mut position = 1;
    // The size of the result so far, which alignment is relative to.
    let mut total = 0usize;
    while let Some(item) = reader.next_item(total)? {
        writer.fill(0, item.padding)?;
        total = total.wrapping_add(item.padding).wrapping_add(item.size);
        if !item.kind.takes_argument() {
            if item.kind == Kind::Padding {
                writer.fill(0, 1)?;
            }
            continue;
        }
        position += 1;
        match item.kind {
            Kind::Integer { signed } => {
                let value = integer_argument(args, position)?;
                check_integer_fits(value, item.size, signed, position)?;
                // Only signed options sign-extend beyond 8 bytes.
                let negative = signed && value < 0;
                writer.append(&integer_bytes(
                    value as u64,
                    negative,
                    item.size,
                    reader.little_endian,
                ))?;
            }
            Kind::Float32 => {
                let value = args.number(position)?.to_float();
                let bits = f64_to_f32_bits(value);
                writer.append(&ordered(&bits.to_le_bytes(), reader.little_endian))?;
            }
            Kind::Float64 => {
                let value = args.number(position)?.to_float();
                writer.append(&ordered(&value.to_le_bytes(), reader.little_endian))?;
            }
            Kind::FixedString => {
                let text = args.string(position)?;
                if text.len() > item.size {
                    return Err(
                        PackError::argument(position, "string longer than given size").into(),
                    );
                }
                writer.append(&text)?;
                writer.fill(0, item.size - text.len())?;
            }
            Kind::LengthPrefixedString => {
                let text = args.string(position)?;
                let length = text.len() as u64;
                if item.size < 8 && length >> (8 * item.size) != 0 {
                    return Err(PackError::argument(
                        position,
                        "string length does not fit in given size",
                    )
                    .into());
                }
                writer.append(&integer_bytes(
                    length,
                    false,
                    item.size,
                    reader.little_endian,
                ))?;
                writer.append(&text)?;
                total = total.wrapping_add(text.len());
            }
            Kind::ZeroTerminatedString => {
                let text = args.string(position)?;
                if text.contains(&0) {
                    return Err(PackError::argument(position, "string contains zeros").into());
                }
                writer.append(&text)?;
                writer.fill(0, 1)?;
                total = total.wrapping_add(text.len() + 1);
            }
            Kind::Padding | Kind::AlignmentPadding | Kind::Setting => {}
        }
    }
    Ok(())
}

/// PUC's limit on sizes (`MAXSIZE`, the C `INT_MAX`): option sizes and `packsize` results.
const MAX_SIZE: usize = i32::MAX as usize;

/// `string.packsize(fmt)`: the size of the result of `string.pack(fmt, ...)`.
pub fn packsize(fmt: &[u8]) -> Result<i64, PackError> {
    let mut reader = FormatReader::new(fmt);
    let mut total = 0usize;
    while let Some(item) = reader.next_item(total)? {
        if matches!(
            item.kind,
            Kind::LengthPrefixedString | Kind::ZeroTerminatedString
        ) {
            return Err(PackError::argument(1, "variable-length format"));
        }
        // Option sizes are at most MAX_SIZE (fixed strings are never aligned).
        let size = item.size + item.padding;
        if total > MAX_SIZE.saturating_sub(size) {
            return Err(PackError::argument(1, "format result too large"));
        }
        total += size;
    }
    Ok(total as i64)
}

/// `string.unpack(fmt, data, init)`: pushes the unpacked values into `results` and returns
/// the position after the last byte read (1-based, the last result of `string.unpack`).
/// `init` is the (already defaulted) third argument; negative values count from the end.
pub fn unpack<R: UnpackResults + ?Sized>(
    fmt: &[u8],
    data: &[u8],
    init: i64,
    results: &mut R,
) -> Result<i64, R::Error> {
    let mut position = start_offset(init, data.len())
        .ok_or_else(|| PackError::argument(3, "initial position out of string"))?;
    let mut reader = FormatReader::new(fmt);
    let too_short = || PackError::argument(2, "data string too short");
    while let Some(item) = reader.next_item(position)? {
        // Invariant: position <= data.len().
        let available = data.len().saturating_sub(position);
        if item.padding.saturating_add(item.size) > available {
            return Err(too_short().into());
        }
        position += item.padding;
        let field = position
            .checked_add(item.size)
            .and_then(|end| data.get(position..end))
            .ok_or_else(too_short)?;
        let little_endian = reader.little_endian;
        match item.kind {
            Kind::Integer { signed } => {
                results.push(Unpacked::Integer(read_integer(
                    field,
                    signed,
                    little_endian,
                )?))?;
            }
            Kind::Float32 => {
                let bits = u32::from_le_bytes(fixed_bytes(field, little_endian));
                results.push(Unpacked::Float(f32_bits_to_f64(bits)))?;
            }
            Kind::Float64 => {
                let bits = u64::from_le_bytes(fixed_bytes(field, little_endian));
                results.push(Unpacked::Float(f64::from_bits(bits)))?;
            }
            Kind::FixedString => results.push(Unpacked::String(field))?,
            Kind::LengthPrefixedString => {
                let length = read_integer(field, false, little_endian)? as u64;
                let start = position + item.size;
                let text = usize::try_from(length)
                    .ok()
                    .and_then(|length| data.get(start..start.checked_add(length)?))
                    .ok_or_else(too_short)?;
                results.push(Unpacked::String(text))?;
                position += text.len();
            }
            Kind::ZeroTerminatedString => {
                let rest = data.get(position..).unwrap_or_default();
                let Some(length) = rest.iter().position(|&b| b == 0) else {
                    return Err(PackError::argument(2, "unfinished string for format 'z'").into());
                };
                let (text, _) = rest.split_at(length);
                results.push(Unpacked::String(text))?;
                position += length + 1;
            }
            Kind::Padding | Kind::AlignmentPadding | Kind::Setting => {}
        }
        position += item.size;
    }
    Ok(position as i64 + 1)
}

/// The 0-based offset where unpacking starts (PUC's `posrelatI` minus one), or `None`
/// when it is past the end of the data.
fn start_offset(init: i64, length: usize) -> Option<usize> {
    let length = length as u64;
    let one_based = match init {
        1.. => init as u64,
        0 => 1,
        _ if init.unsigned_abs() > length => 1,
        _ => length - init.unsigned_abs() + 1,
    };
    let offset = one_based - 1;
    if offset <= length {
        usize::try_from(offset).ok()
    } else {
        None
    }
}

/// What an option does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// `b B h H l L j J T i[n] I[n]`.
    Integer { signed: bool },
    /// `f`: a C float.
    Float32,
    /// `d`, `n`: a C double / Lua float.
    Float64,
    /// `c[n]`.
    FixedString,
    /// `s[n]`: a string preceded by its length.
    LengthPrefixedString,
    /// `z`.
    ZeroTerminatedString,
    /// `x`: one zero byte.
    Padding,
    /// `X[op]`: only alignment.
    AlignmentPadding,
    /// ` `, `<`, `>`, `=`, `!`: no data.
    Setting,
}

impl Kind {
    fn takes_argument(self) -> bool {
        !matches!(self, Kind::Padding | Kind::AlignmentPadding | Kind::Setting)
    }
}

/// One option read from the format, with the alignment padding that precedes it.
struct Item {
    kind: Kind,
    size: usize,
    padding: usize,
}

/// Native sizes on x86-64 Linux.
const INT_SIZE: usize = 4;
const LUA_INTEGER_SIZE: usize = 8;
const SIZE_T_SIZE: usize = 8;
const MAX_ALIGNMENT: usize = 8;

/// Integer options take sizes from 1 to this (PUC's `MAXINTSIZE`).
const MAX_INTEGER_SIZE: usize = 16;

/// Reads options from a format string, tracking the endianness and maximum alignment
/// settings.
struct FormatReader<'a> {
    rest: &'a [u8],
    little_endian: bool,
    max_alignment: usize,
}

impl<'a> FormatReader<'a> {
    fn new(fmt: &'a [u8]) -> Self {
        // The format is a C string for PUC: it ends at the first zero byte.
        let end = fmt.iter().position(|&b| b == 0).unwrap_or(fmt.len());
        FormatReader {
            rest: fmt.get(..end).unwrap_or_default(),
            little_endian: true,
            max_alignment: 1,
        }
    }

    /// The next option and the padding that aligns it at `offset`, or `None` at the end.
    fn next_item(&mut self, offset: usize) -> Result<Option<Item>, PackError> {
        if self.rest.is_empty() {
            return Ok(None);
        }
        let (kind, size) = self.read_option()?;
        let alignment = if kind == Kind::AlignmentPadding {
            self.alignment_of_next_option()?
        } else {
            size
        };
        let padding = if alignment <= 1 || kind == Kind::FixedString {
            0
        } else {
            let alignment = alignment.min(self.max_alignment);
            if !alignment.is_power_of_two() {
                return Err(PackError::argument(
                    1,
                    "format asks for alignment not power of 2",
                ));
            }
            alignment.wrapping_sub(offset & (alignment - 1)) & (alignment - 1)
        };
        Ok(Some(Item {
            kind,
            size,
            padding,
        }))
    }

    /// `X` aligns like the option after it, which it consumes.
    fn alignment_of_next_option(&mut self) -> Result<usize, PackError> {
        let invalid = || PackError::argument(1, "invalid next option for option 'X'");
        if self.rest.is_empty() {
            return Err(invalid());
        }
        match self.read_option()? {
            (Kind::FixedString, _) | (_, 0) => Err(invalid()),
            (_, size) => Ok(size),
        }
    }

    /// Reads one option letter and its size suffix.
    fn read_option(&mut self) -> Result<(Kind, usize), PackError> {
        let Some((&letter, rest)) = self.rest.split_first() else {
            return Ok((Kind::Setting, 0));
        };
        self.rest = rest;
        let signed = letter.is_ascii_lowercase();
        Ok(match letter {
            b'b' | b'B' => (Kind::Integer { signed }, 1),
            b'h' | b'H' => (Kind::Integer { signed }, 2),
            b'l' | b'L' | b'j' | b'J' => (Kind::Integer { signed }, LUA_INTEGER_SIZE),
            b'T' => (Kind::Integer { signed: false }, SIZE_T_SIZE),
            b'i' | b'I' => (Kind::Integer { signed }, self.read_integer_size(INT_SIZE)?),
            b'f' => (Kind::Float32, 4),
            b'd' | b'n' => (Kind::Float64, 8),
            b's' => (
                Kind::LengthPrefixedString,
                self.read_integer_size(SIZE_T_SIZE)?,
            ),
            b'c' => match self.read_number() {
                Some(size) => (Kind::FixedString, size),
                None => return Err(PackError::message("missing size for format option 'c'")),
            },
            b'z' => (Kind::ZeroTerminatedString, 0),
            b'x' => (Kind::Padding, 1),
            b'X' => (Kind::AlignmentPadding, 0),
            b' ' => (Kind::Setting, 0),
            b'<' | b'=' => {
                self.little_endian = true;
                (Kind::Setting, 0)
            }
            b'>' => {
                self.little_endian = false;
                (Kind::Setting, 0)
            }
            b'!' => {
                self.max_alignment = self.read_integer_size(MAX_ALIGNMENT)?;
                (Kind::Setting, 0)
            }
            _ => {
                let mut message = b"invalid format option '".to_vec();
                message.extend_from_slice(&[letter, b'\'']);
                return Err(PackError::Message(message));
            }
        })
    }

    /// An optional size in `[1, 16]`, `default` when absent.
    fn read_integer_size(&mut self, default: usize) -> Result<usize, PackError> {
        let size = self.read_number().unwrap_or(default);
        if (1..=MAX_INTEGER_SIZE).contains(&size) {
            Ok(size)
        } else {
            Err(PackError::message(format!(
                "integral size ({size}) out of limits [1,{MAX_INTEGER_SIZE}]"
            )))
        }
    }

    /// Reads leading digits, stopping (like PUC) once another digit could overflow a C int;
    /// the remaining digits are then read as options.
    fn read_number(&mut self) -> Option<usize> {
        const LAST_SAFE_VALUE: usize = (MAX_SIZE - 9) / 10;
        let (&first, _) = self
            .rest
            .split_first()
            .filter(|(b, _)| b.is_ascii_digit())?;
        let mut value = usize::from(first - b'0');
        self.rest = self.rest.get(1..).unwrap_or_default();
        while let Some((&digit, rest)) = self.rest.split_first() {
            if !digit.is_ascii_digit() || value > LAST_SAFE_VALUE {
                break;
            }
            value = value * 10 + usize::from(digit - b'0');
            self.rest = rest;
        }
        Some(value)
    }
}

/// `out`, with the length limit of the result.
struct PackWriter<'a> {
    bytes: &'a mut Vec<u8>,
    max_len: usize,
}

impl PackWriter<'_> {
    fn reserve(&self, additional: usize) -> Result<(), PackError> {
        match self.bytes.len().checked_add(additional) {
            Some(total) if total <= self.max_len => Ok(()),
            _ => Err(PackError::OutputTooLarge),
        }
    }

    fn append(&mut self, piece: &[u8]) -> Result<(), PackError> {
        self.reserve(piece.len())?;
        self.bytes.extend_from_slice(piece);
        Ok(())
    }

    fn fill(&mut self, byte: u8, count: usize) -> Result<(), PackError> {
        self.reserve(count)?;
        self.bytes.extend(core::iter::repeat_n(byte, count));
        Ok(())
    }
}

/// `luaL_checkinteger`: a number with an exact integer value.
fn integer_argument<A: PackArguments + ?Sized>(
    args: &mut A,
    position: usize,
) -> Result<i64, A::Error> {
    let number = args.number(position)?;
    number
        .to_integer_exact()
        .ok_or_else(|| PackError::argument(position, "number has no integer representation").into())
}

/// Integers narrower than a Lua integer must fit: signed in `[-2^(8n-1), 2^(8n-1))`,
/// unsigned (compared as unsigned, so negatives fail) below `2^(8n)`.
fn check_integer_fits(
    value: i64,
    size: usize,
    signed: bool,
    position: usize,
) -> Result<(), PackError> {
    if size >= LUA_INTEGER_SIZE {
        return Ok(());
    }
    let bits = 8 * size as u32;
    let fits = if signed {
        let limit = 1i64 << (bits - 1);
        (-limit..limit).contains(&value)
    } else {
        (value as u64) >> bits == 0
    };
    if fits {
        Ok(())
    } else {
        let message = if signed {
            "integer overflow"
        } else {
            "unsigned overflow"
        };
        Err(PackError::argument(position, message))
    }
}

/// The `size` bytes of `value` in the requested order; bytes beyond the 8 of a Lua
/// integer are its sign extension.
fn integer_bytes(value: u64, negative: bool, size: usize, little_endian: bool) -> Vec<u8> {
    let extension = if negative { 0xff } else { 0 };
    let little: Vec<u8> = (0..size)
        .map(|i| {
            if i < LUA_INTEGER_SIZE {
                (value >> (8 * i)) as u8
            } else {
                extension
            }
        })
        .collect();
    ordered(&little, little_endian)
}

/// Little-endian bytes put in the requested order.
fn ordered(little: &[u8], little_endian: bool) -> Vec<u8> {
    let mut bytes = little.to_vec();
    if !little_endian {
        bytes.reverse();
    }
    bytes
}

/// A field's bytes in little-endian order as an array (the field has exactly N bytes).
fn fixed_bytes<const N: usize>(field: &[u8], little_endian: bool) -> [u8; N] {
    let mut bytes = [0u8; N];
    for (target, &source) in bytes.iter_mut().zip(ordered(field, little_endian).iter()) {
        *target = source;
    }
    bytes
}

/// Reads an integer field of 1 to 16 bytes: sign- or zero-extended when narrower than a
/// Lua integer; when wider, the extra bytes must be the sign extension.
fn read_integer(field: &[u8], signed: bool, little_endian: bool) -> Result<i64, PackError> {
    let little = ordered(field, little_endian);
    let (low, high) = little.split_at(little.len().min(LUA_INTEGER_SIZE));
    let raw = low
        .iter()
        .rev()
        .fold(0u64, |value, &byte| (value << 8) | u64::from(byte));
    let size = field.len();
    if size < LUA_INTEGER_SIZE {
        let bits = 8 * size as u32;
        let value = if signed && size > 0 {
            // Shift the sign bit to the top and back to extend it.
            ((raw << (64 - bits)) as i64) >> (64 - bits)
        } else {
            raw as i64
        };
        return Ok(value);
    }
    let extension = if signed && (raw as i64) < 0 { 0xff } else { 0 };
    if high.iter().any(|&byte| byte != extension) {
        return Err(PackError::message(format!(
            "{size}-byte integer does not fit into Lua Integer"
        )));
    }
    Ok(raw as i64)
}

/// Converts a double to a float's bits as x86-64 does (round to nearest even; NaN keeps
/// its sign and top payload bits and becomes quiet), independently of the host.
fn f64_to_f32_bits(value: f64) -> u32 {
    if value.is_nan() {
        let bits = value.to_bits();
        let sign = ((bits >> 63) as u32) << 31;
        let payload = ((bits >> 29) as u32) & 0x003f_ffff;
        sign | 0x7fc0_0000 | payload
    } else {
        (value as f32).to_bits()
    }
}

/// Converts a float's bits to a double as x86-64 does (exact; NaN keeps its sign and
/// payload and becomes quiet).
fn f32_bits_to_f64(bits: u32) -> f64 {
    let value = f32::from_bits(bits);
    if value.is_nan() {
        let sign = u64::from(bits >> 31) << 63;
        let payload = u64::from(bits & 0x003f_ffff) << 29;
        f64::from_bits(sign | 0x7ff8_0000_0000_0000 | payload)
    } else {
        f64::from(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::numbers::{parse_number, write_number};
    use Arg::{F, I, S};
    use U::{UF, UI, US};

    #[derive(Clone, Copy, Debug)]
    enum Arg {
        I(i64),
        F(f64),
        S(&'static [u8]),
    }

    /// An expected unpacked value; floats as bits so that NaNs compare.
    #[derive(Clone, Copy, Debug, PartialEq)]
    enum U {
        UI(i64),
        UF(u64),
        US(&'static [u8]),
    }

    #[derive(Debug)]
    struct TestError(Vec<u8>);

    /// Renders errors as lua5.4 shows them (with the function name PUC would use).
    fn render(error: PackError, function: &str) -> Vec<u8> {
        match error {
            PackError::Message(message) => message,
            PackError::Argument { position, message } => {
                let message = String::from_utf8_lossy(&message);
                format!("bad argument #{position} to '{function}' ({message})").into_bytes()
            }
            PackError::OutputTooLarge => b"<too large>".to_vec(),
        }
    }

    impl From<PackError> for TestError {
        fn from(error: PackError) -> Self {
            TestError(render(error, "pack"))
        }
    }

    /// Arguments behaving like `luaL_checknumber` / `luaL_checklstring`.
    struct TestArgs(&'static [Arg]);

    impl TestArgs {
        fn type_error(position: usize, expected: &str, got: &str) -> TestError {
            let message =
                format!("bad argument #{position} to 'pack' ({expected} expected, got {got})");
            TestError(message.into_bytes())
        }
    }

    impl PackArguments for TestArgs {
        type Error = TestError;

        fn number(&mut self, position: usize) -> Result<Number, TestError> {
            match self.0.get(position - 2) {
                Some(I(i)) => Ok(Number::Integer(*i)),
                Some(F(f)) => Ok(Number::Float(*f)),
                Some(S(s)) => {
                    parse_number(s).ok_or_else(|| Self::type_error(position, "number", "string"))
                }
                None => Err(Self::type_error(position, "number", "nil")),
            }
        }

        fn string(&mut self, position: usize) -> Result<Cow<'_, [u8]>, TestError> {
            let mut text = Vec::new();
            match self.0.get(position - 2) {
                Some(I(i)) => write_number(Number::Integer(*i), &mut text),
                Some(F(f)) => write_number(Number::Float(*f), &mut text),
                Some(S(s)) => return Ok(Cow::Borrowed(s)),
                None => return Err(Self::type_error(position, "string", "nil")),
            }
            Ok(Cow::Owned(text))
        }
    }

    /// Collects results like the VM's stack would.
    #[derive(Default)]
    struct Collected(Vec<U>);

    impl UnpackResults for Collected {
        type Error = Vec<u8>;

        fn push(&mut self, value: Unpacked<'_>) -> Result<(), Vec<u8>> {
            self.0.push(match value {
                Unpacked::Integer(i) => UI(i),
                Unpacked::Float(f) => UF(f.to_bits()),
                // Leaked once per test value to compare with the 'static expectations.
                Unpacked::String(s) => US(Box::leak(s.to_vec().into_boxed_slice())),
            });
            Ok(())
        }
    }

    impl From<PackError> for Vec<u8> {
        fn from(error: PackError) -> Self {
            render(error, "unpack")
        }
    }

    fn show(bytes: &[u8]) -> String {
        String::from_utf8_lossy(bytes).into_owned()
    }

    #[test]
    fn pack_matches_lua() {
        for &(fmt, args, expected) in PACK_CASES {
            let mut out = Vec::new();
            let result = pack(fmt, &mut TestArgs(args), usize::MAX, &mut out)
                .map(|()| out)
                .map_err(|e| e.0);
            let expected = expected.map(<[u8]>::to_vec).map_err(<[u8]>::to_vec);
            assert_eq!(result, expected, "pack {:?} {args:?}", show(fmt));
        }
    }

    #[test]
    fn unpack_matches_lua() {
        for &(fmt, data, init, expected) in UNPACK_CASES {
            let mut results = Collected::default();
            let result = unpack(fmt, data, init, &mut results).map(|next| {
                results.0.push(UI(next));
                results.0
            });
            let expected = expected.map(<[U]>::to_vec).map_err(<[u8]>::to_vec);
            assert_eq!(
                result,
                expected,
                "unpack {:?} {:?} {init}",
                show(fmt),
                show(data)
            );
        }
    }

    #[test]
    fn packsize_matches_lua() {
        for &(fmt, expected) in PACKSIZE_CASES {
            let result = packsize(fmt).map_err(|e| render(e, "packsize"));
            assert_eq!(
                result,
                expected.map_err(<[u8]>::to_vec),
                "packsize {:?}",
                show(fmt)
            );
        }
    }

    #[test]
    fn pack_output_is_bounded_before_allocating() {
        let mut out = Vec::new();
        let result = pack(b"c2147483639", &mut TestArgs(&[S(b"")]), 1 << 20, &mut out);
        assert_eq!(result.map_err(|e| e.0), Err(b"<too large>".to_vec()));
        assert!(out.capacity() < 1 << 20);
        let result = pack(b"i4i4", &mut TestArgs(&[I(1), I(2)]), 7, &mut out);
        assert_eq!(result.map_err(|e| e.0), Err(b"<too large>".to_vec()));
    }

    #[test]
    fn round_trips_integers_of_every_size() {
        for size in 1..=16usize {
            for &(signed, value) in &[
                (true, -1i64),
                (true, 0x55),
                (false, 0xAA),
                (true, i64::MIN),
                (false, -1),
            ] {
                if size < 8 && (value < 0 && !signed || value == i64::MIN) {
                    continue;
                }
                for endian in ["<", ">"] {
                    let fmt = format!("{endian}{}{size}", if signed { 'i' } else { 'I' });
                    let args: &'static [Arg] = Box::leak(vec![I(value)].into_boxed_slice());
                    let mut packed = Vec::new();
                    assert!(
                        pack(fmt.as_bytes(), &mut TestArgs(args), usize::MAX, &mut packed).is_ok()
                    );
                    assert_eq!(packed.len(), size);
                    let mut results = Collected::default();
                    let next = unpack(fmt.as_bytes(), &packed, 1, &mut results);
                    assert_eq!(next, Ok(size as i64 + 1), "{fmt} {value}");
                    assert_eq!(results.0, vec![UI(value)], "{fmt}");
                }
            }
        }
    }

    type Expected<T> = Result<T, &'static [u8]>;
    /// (format, arguments, result).
    type PackCase = (&'static [u8], &'static [Arg], Expected<&'static [u8]>);
    /// (format, data, init, results including the next position).
    type UnpackCase = (&'static [u8], &'static [u8], i64, Expected<&'static [U]>);
    /// (format, result).
    type PacksizeCase = (&'static [u8], Expected<i64>);

    // Generated by running each case through lua5.4 (pcall(string.pack, ...) etc., with
    // 'string.pack' in messages written as 'pack').
    #[rustfmt::skip]
    const PACK_CASES: &[PackCase] = &[
        (b"b", &[I(127)], Ok(b"\x7f")),
        (b"b", &[I(-128)], Ok(b"\x80")),
        (b"b", &[I(128)], Err(b"bad argument #2 to 'pack' (integer overflow)")),
        (b"b", &[I(-129)], Err(b"bad argument #2 to 'pack' (integer overflow)")),
        (b"B", &[I(255)], Ok(b"\xff")),
        (b"B", &[I(256)], Err(b"bad argument #2 to 'pack' (unsigned overflow)")),
        (b"B", &[I(-1)], Err(b"bad argument #2 to 'pack' (unsigned overflow)")),
        (b"h", &[I(32767)], Ok(b"\xff\x7f")),
        (b"h", &[I(-32768)], Ok(b"\x00\x80")),
        (b"h", &[I(32768)], Err(b"bad argument #2 to 'pack' (integer overflow)")),
        (b"H", &[I(65535)], Ok(b"\xff\xff")),
        (b"H", &[I(-1)], Err(b"bad argument #2 to 'pack' (unsigned overflow)")),
        (b"l", &[I(i64::MIN)], Ok(b"\x00\x00\x00\x00\x00\x00\x00\x80")),
        (b"L", &[I(-1)], Ok(b"\xff\xff\xff\xff\xff\xff\xff\xff")),
        (b"j", &[I(9223372036854775807)], Ok(b"\xff\xff\xff\xff\xff\xff\xff\x7f")),
        (b"J", &[I(-1)], Ok(b"\xff\xff\xff\xff\xff\xff\xff\xff")),
        (b"T", &[I(12345)], Ok(b"90\x00\x00\x00\x00\x00\x00")),
        (b">j", &[I(72623859790382856)], Ok(b"\x01\x02\x03\x04\x05\x06\x07\x08")),
        (b"<j", &[I(72623859790382856)], Ok(b"\x08\x07\x06\x05\x04\x03\x02\x01")),
        (b"=i4", &[I(2001)], Ok(b"\xd1\x07\x00\x00")),
        (b"i", &[I(1)], Ok(b"\x01\x00\x00\x00")),
        (b"i", &[I(2147483647)], Ok(b"\xff\xff\xff\x7f")),
        (b"i", &[I(2147483648)], Err(b"bad argument #2 to 'pack' (integer overflow)")),
        (b"I", &[I(4294967295)], Ok(b"\xff\xff\xff\xff")),
        (b"I", &[I(4294967296)], Err(b"bad argument #2 to 'pack' (unsigned overflow)")),
        (b"i3", &[I(-8388608)], Ok(b"\x00\x00\x80")),
        (b"i3", &[I(8388608)], Err(b"bad argument #2 to 'pack' (integer overflow)")),
        (b"i7", &[I(-1)], Ok(b"\xff\xff\xff\xff\xff\xff\xff")),
        (b"I7", &[I(72057594037927935)], Ok(b"\xff\xff\xff\xff\xff\xff\xff")),
        (b"I7", &[I(72057594037927936)], Err(b"bad argument #2 to 'pack' (unsigned overflow)")),
        (b"i9", &[I(-1)], Ok(b"\xff\xff\xff\xff\xff\xff\xff\xff\xff")),
        (b"i9", &[I(1)], Ok(b"\x01\x00\x00\x00\x00\x00\x00\x00\x00")),
        (b">i16", &[I(-2)], Ok(b"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xfe")),
        (b"<I16", &[I(-1)], Ok(b"\xff\xff\xff\xff\xff\xff\xff\xff\x00\x00\x00\x00\x00\x00\x00\x00")),
        (b"<i12", &[I(i64::MIN)], Ok(b"\x00\x00\x00\x00\x00\x00\x00\x80\xff\xff\xff\xff")),
        (b">I11", &[I(9223372036854775807)], Ok(b"\x00\x00\x00\x7f\xff\xff\xff\xff\xff\xff\xff")),
        (b"i0", &[I(0)], Err(b"integral size (0) out of limits [1,16]")),
        (b"i17", &[I(0)], Err(b"integral size (17) out of limits [1,16]")),
        (b"!17", &[I(0)], Err(b"integral size (17) out of limits [1,16]")),
        (b"Xi17", &[], Err(b"integral size (17) out of limits [1,16]")),
        (b"i3r", &[I(0)], Err(b"invalid format option 'r'")),
        (b"y", &[], Err(b"invalid format option 'y'")),
        (b"\xff", &[], Err(b"invalid format option '\xff'")),
        (b"c", &[S(b"")], Err(b"missing size for format option 'c'")),
        (b"!4i3", &[I(0)], Err(b"bad argument #1 to 'pack' (format asks for alignment not power of 2)")),
        (b"!2 i3", &[I(0)], Ok(b"\x00\x00\x00")),
        (b"!", &[I(0)], Ok(b"")),
        (b"i", &[F(1.0)], Ok(b"\x01\x00\x00\x00")),
        (b"i", &[F(1.5)], Err(b"bad argument #2 to 'pack' (number has no integer representation)")),
        (b"i", &[S(b"10")], Ok(b"\x0a\x00\x00\x00")),
        (b"i", &[S(b"0x10")], Ok(b"\x10\x00\x00\x00")),
        (b"i", &[S(b"1.5")], Err(b"bad argument #2 to 'pack' (number has no integer representation)")),
        (b"i", &[S(b"x")], Err(b"bad argument #2 to 'pack' (number expected, got string)")),
        (b"i", &[], Err(b"bad argument #2 to 'pack' (number expected, got nil)")),
        (b"d", &[], Err(b"bad argument #2 to 'pack' (number expected, got nil)")),
        (b"s", &[], Err(b"bad argument #2 to 'pack' (string expected, got nil)")),
        (b"i i", &[I(1)], Err(b"bad argument #3 to 'pack' (number expected, got nil)")),
        (b"f", &[I(24)], Ok(b"\x00\x00\xc0A")),
        (b"<f", &[F(1.5)], Ok(b"\x00\x00\xc0?")),
        (b">f", &[F(-0.0)], Ok(b"\x80\x00\x00\x00")),
        (b"f", &[F(1e+300)], Ok(b"\x00\x00\x80\x7f")),
        (b"f", &[F(-1e+300)], Ok(b"\x00\x00\x80\xff")),
        (b"f", &[F(1e-50)], Ok(b"\x00\x00\x00\x00")),
        (b"f", &[F(0.1)], Ok(b"\xcd\xcc\xcc=")),
        (b"f", &[F(f64::INFINITY)], Ok(b"\x00\x00\x80\x7f")),
        (b"f", &[F(f64::from_bits(0x7ff8000000000001))], Ok(b"\x00\x00\xc0\x7f")),
        (b"f", &[F(f64::from_bits(0xfff8000000000000))], Ok(b"\x00\x00\xc0\xff")),
        (b"f", &[I(16777217)], Ok(b"\x00\x00\x80K")),
        (b"f", &[F(3.4028235677973366e+38)], Ok(b"\x00\x00\x80\x7f")),
        (b"d", &[F(0.1)], Ok(b"\x9a\x99\x99\x99\x99\x99\xb9?")),
        (b">d", &[F(0.1)], Ok(b"?\xb9\x99\x99\x99\x99\x99\x9a")),
        (b"n", &[F(-1.5)], Ok(b"\x00\x00\x00\x00\x00\x00\xf8\xbf")),
        (b"n", &[I(3)], Ok(b"\x00\x00\x00\x00\x00\x00\x08@")),
        (b"d", &[F(f64::from_bits(0xfff8000000000000))], Ok(b"\x00\x00\x00\x00\x00\x00\xf8\xff")),
        (b">n", &[F(f64::INFINITY)], Ok(b"\x7f\xf0\x00\x00\x00\x00\x00\x00")),
        (b"d", &[S(b"0x1p-1074")], Ok(b"\x01\x00\x00\x00\x00\x00\x00\x00")),
        (b"c0", &[S(b"")], Ok(b"")),
        (b"c3", &[S(b"abc")], Ok(b"abc")),
        (b"c3", &[S(b"ab")], Ok(b"ab\x00")),
        (b"c3", &[S(b"abcd")], Err(b"bad argument #2 to 'pack' (string longer than given size)")),
        (b"c8", &[S(b"123456")], Ok(b"123456\x00\x00")),
        (b"c3", &[I(12)], Ok(b"12\x00")),
        (b"c2", &[F(1.5)], Err(b"bad argument #2 to 'pack' (string longer than given size)")),
        (b"c10", &[S(b"")], Ok(b"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00")),
        (b"z", &[S(b"hello")], Ok(b"hello\x00")),
        (b"z", &[S(b"")], Ok(b"\x00")),
        (b"z", &[S(b"a\x00b")], Err(b"bad argument #2 to 'pack' (string contains zeros)")),
        (b"z", &[I(42)], Ok(b"42\x00")),
        (b"s", &[S(b"alo")], Ok(b"\x03\x00\x00\x00\x00\x00\x00\x00alo")),
        (b"s1", &[S(b"alo")], Ok(b"\x03alo")),
        (b">s2", &[S(b"alo")], Ok(b"\x00\x03alo")),
        (b"s1", &[S(b"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")], Ok(b"\xffxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")),
        (b"s1", &[S(b"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")], Err(b"bad argument #2 to 'pack' (string length does not fit in given size)")),
        (b"s16", &[S(b"ab")], Ok(b"\x02\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00ab")),
        (b"s0", &[S(b"a")], Err(b"integral size (0) out of limits [1,16]")),
        (b"s17", &[S(b"a")], Err(b"integral size (17) out of limits [1,16]")),
        (b"<s3", &[S(b"")], Ok(b"\x00\x00\x00")),
        (b"zB", &[S(b"abc"), I(247)], Ok(b"abc\x00\xf7")),
        (b"<b h b f d f n i", &[I(1), I(2), I(3), I(4), I(5), I(6), I(7), I(8)], Ok(b"\x01\x02\x00\x03\x00\x00\x80@\x00\x00\x00\x00\x00\x00\x14@\x00\x00\xc0@\x00\x00\x00\x00\x00\x00\x1c@\x08\x00\x00\x00")),
        (b" < i1 i2 ", &[I(2), I(3)], Ok(b"\x02\x03\x00")),
        (b">!8 b Xh i4 i8 c1 Xi8", &[I(-12), I(100), I(200), S(b"\xec")], Ok(b"\xf4\x00\x00\x00\x00\x00\x00d\x00\x00\x00\x00\x00\x00\x00\xc8\xec\x00\x00\x00\x00\x00\x00\x00")),
        (b">!4 c3 c4 c2 z i4 c5 c2 Xi4", &[S(b"abc"), S(b"abcd"), S(b"xz"), S(b"hello"), I(5), S(b"world"), S(b"xy")], Ok(b"abcabcdxzhello\x00\x00\x00\x00\x00\x05worldxy\x00")),
        (b" b b Xd b Xb x", &[I(1), I(2), I(3)], Ok(b"\x01\x02\x03\x00")),
        (b"!8 xXi8", &[], Ok(b"\x00\x00\x00\x00\x00\x00\x00\x00")),
        (b"!2 xXi8", &[], Ok(b"\x00\x00")),
        (b"!16 xXi16", &[], Ok(b"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00")),
        (b"!8 b d", &[I(1), I(2)], Ok(b"\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00@")),
        (b"!8 b s", &[I(1), S(b"a")], Ok(b"\x01\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00a")),
        (b"!8 b s2", &[I(1), S(b"a")], Ok(b"\x01\x00\x01\x00a")),
        (b"!3 b i2", &[I(1), I(2)], Ok(b"\x01\x00\x02\x00")),
        (b"!3 b i4", &[I(1), I(2)], Err(b"bad argument #1 to 'pack' (format asks for alignment not power of 2)")),
        (b"!b i8", &[I(1), I(2)], Ok(b"\x01\x00\x00\x00\x00\x00\x00\x00\x02\x00\x00\x00\x00\x00\x00\x00")),
        (b"X", &[], Err(b"bad argument #1 to 'pack' (invalid next option for option 'X')")),
        (b"Xc1", &[], Err(b"bad argument #1 to 'pack' (invalid next option for option 'X')")),
        (b"XX i", &[], Err(b"bad argument #1 to 'pack' (invalid next option for option 'X')")),
        (b"X i", &[], Err(b"bad argument #1 to 'pack' (invalid next option for option 'X')")),
        (b"Xz", &[], Err(b"bad argument #1 to 'pack' (invalid next option for option 'X')")),
        (b"X<", &[], Err(b"bad argument #1 to 'pack' (invalid next option for option 'X')")),
        (b"b X", &[I(1)], Err(b"bad argument #1 to 'pack' (invalid next option for option 'X')")),
        (b"x", &[], Ok(b"\x00")),
        (b"xxx", &[], Ok(b"\x00\x00\x00")),
        (b"b\x00b", &[I(1), I(2)], Ok(b"\x01")),
        (b"\x00", &[I(1)], Ok(b"")),
        (b"i1>i2", &[I(1), I(2)], Ok(b"\x01\x00\x02")),
        (b"i10000000000000000000000000000000000000000", &[I(1)], Err(b"integral size (1000000000) out of limits [1,16]")),
        (b"c1000000y", &[S(b"")], Err(b"invalid format option 'y'")),
        (b"i4 i99", &[I(1)], Err(b"integral size (99) out of limits [1,16]")),
        (b"!1 i8", &[I(1)], Ok(b"\x01\x00\x00\x00\x00\x00\x00\x00")),
        (b"bXi", &[I(1)], Ok(b"\x01")),
        (b">=i2", &[I(1)], Ok(b"\x01\x00")),
        (b"!8 b Xd", &[I(1)], Ok(b"\x01\x00\x00\x00\x00\x00\x00\x00")),
        (b"!4 b !8 d", &[I(1), I(2)], Ok(b"\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00@")),
        (b"!8 b T", &[I(1), I(2)], Ok(b"\x01\x00\x00\x00\x00\x00\x00\x00\x02\x00\x00\x00\x00\x00\x00\x00")),
        (b"!16 b i16", &[I(1), I(-3)], Ok(b"\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\xfd\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff")),
        (b"!8 b s4", &[I(1), S(b"ab")], Ok(b"\x01\x00\x00\x00\x02\x00\x00\x00ab")),
        (b"b", &[I(1), I(2), I(3)], Ok(b"\x01")),
    ];

    #[rustfmt::skip]
    const UNPACK_CASES: &[UnpackCase] = &[
        (b"B", b"\xff", 1, Ok(&[UI(255), UI(2)])),
        (b"b", b"\xff", 1, Ok(&[UI(-1), UI(2)])),
        (b"b", b"\x7f", 1, Ok(&[UI(127), UI(2)])),
        (b"h", b"\x00\x80", 1, Ok(&[UI(-32768), UI(3)])),
        (b">h", b"\x00\x80", 1, Ok(&[UI(128), UI(3)])),
        (b"H", b"\xff\xff", 1, Ok(&[UI(65535), UI(3)])),
        (b"i3", b"\xff\xff\x7f", 1, Ok(&[UI(8388607), UI(4)])),
        (b"i3", b"\x00\x00\x80", 1, Ok(&[UI(-8388608), UI(4)])),
        (b"I3", b"\x00\x00\x80", 1, Ok(&[UI(8388608), UI(4)])),
        (b"<i9", b"\xff\xff\xff\xff\xff\xff\xff\xff\xff", 1, Ok(&[UI(-1), UI(10)])),
        (b"<i9", b"\x01\x00\x00\x00\x00\x00\x00\x00\x00", 1, Ok(&[UI(1), UI(10)])),
        (b"<i9", b"\x01\x00\x00\x00\x00\x00\x00\x80\x00", 1, Err(b"9-byte integer does not fit into Lua Integer")),
        (b"<I9", b"\x01\x00\x00\x00\x00\x00\x00\x80\x00", 1, Ok(&[UI(-9223372036854775807), UI(10)])),
        (b"<i9", b"\x00\x00\x00\x00\x00\x00\x00\x80\xff", 1, Ok(&[UI(i64::MIN), UI(10)])),
        (b"<I9", b"\xff\xff\xff\xff\xff\xff\xff\xff\x00", 1, Ok(&[UI(-1), UI(10)])),
        (b"<i9", b"\xff\xff\xff\xff\xff\xff\xff\x7f\xff", 1, Err(b"9-byte integer does not fit into Lua Integer")),
        (b"i16", b"\x03\x03\x03\x03\x03\x03\x03\x03\x03\x03\x03\x03\x03\x03\x03\x03", 1, Err(b"16-byte integer does not fit into Lua Integer")),
        (b">i16", b"\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00", 1, Err(b"16-byte integer does not fit into Lua Integer")),
        (b"<I16", b"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01", 1, Err(b"16-byte integer does not fit into Lua Integer")),
        (b">I16", b"\x00\x00\x00\x00\x00\x00\x00\x00\x01\x02\x03\x04\x05\x06\x07\x08", 1, Ok(&[UI(72623859790382856), UI(17)])),
        (b"j", b"\x01\x02\x03\x04\x05\x06\x07\x08", 1, Ok(&[UI(578437695752307201), UI(9)])),
        (b">J", b"\xff\xff\xff\xff\xff\xff\xff\xff", 1, Ok(&[UI(-1), UI(9)])),
        (b"i", b"\x01\x00\x00", 1, Err(b"bad argument #2 to 'unpack' (data string too short)")),
        (b"c5", b"abcd", 1, Err(b"bad argument #2 to 'unpack' (data string too short)")),
        (b"c0", b"", 1, Ok(&[US(b""), UI(1)])),
        (b"c0", b"abc", 4, Ok(&[US(b""), UI(4)])),
        (b"c0", b"abc", 5, Err(b"bad argument #3 to 'unpack' (initial position out of string)")),
        (b"c0", b"abc", -1, Ok(&[US(b""), UI(3)])),
        (b"c0", b"abc", -3, Ok(&[US(b""), UI(1)])),
        (b"c0", b"abc", -4, Ok(&[US(b""), UI(1)])),
        (b"c0", b"abc", -100, Ok(&[US(b""), UI(1)])),
        (b"c0", b"abc", 0, Ok(&[US(b""), UI(1)])),
        (b"c0", b"abc", i64::MIN, Ok(&[US(b""), UI(1)])),
        (b"c0", b"abc", i64::MAX, Err(b"bad argument #3 to 'unpack' (initial position out of string)")),
        (b"f", b"\x00\x00\xc0?", 1, Ok(&[UF(0x3ff8000000000000), UI(5)])),
        (b">f", b"?\xc0\x00\x00", 1, Ok(&[UF(0x3ff8000000000000), UI(5)])),
        (b"f", b"\x01\x00\xc0\x7f", 1, Ok(&[UF(0x7ff8000020000000), UI(5)])),
        (b"f", b"\x01\x00\x80\xff", 1, Ok(&[UF(0xfff8000020000000), UI(5)])),
        (b"f", b"\x00\x00\x80\x7f", 1, Ok(&[UF(0x7ff0000000000000), UI(5)])),
        (b"f", b"\x01\x00\x00\x00", 1, Ok(&[UF(0x36a0000000000000), UI(5)])),
        (b"d", b"\x9a\x99\x99\x99\x99\x99\xb9?", 1, Ok(&[UF(0x3fb999999999999a), UI(9)])),
        (b">n", b"?\xb9\x99\x99\x99\x99\x99\x9a", 1, Ok(&[UF(0x3fb999999999999a), UI(9)])),
        (b"d", b"\x01\x00\x00\x00\x00\x00\xf0\x7f", 1, Ok(&[UF(0x7ff0000000000001), UI(9)])),
        (b"z", b"hello\x00rest", 1, Ok(&[US(b"hello"), UI(7)])),
        (b"z", b"hello", 1, Err(b"bad argument #2 to 'unpack' (unfinished string for format 'z')")),
        (b"z", b"", 1, Err(b"bad argument #2 to 'unpack' (unfinished string for format 'z')")),
        (b"zB", b"abc\x00\xf9", 1, Ok(&[US(b"abc"), UI(249), UI(6)])),
        (b"zc10000000", b"alo", 1, Err(b"bad argument #2 to 'unpack' (unfinished string for format 'z')")),
        (b"s", b"\x03\x00\x00\x00\x00\x00\x00\x00alo", 1, Ok(&[US(b"alo"), UI(12)])),
        (b"s", b"\x03\x00\x00\x00\x00\x00\x00\x00al", 1, Err(b"bad argument #2 to 'unpack' (data string too short)")),
        (b"s1", b"\x03alo!", 1, Ok(&[US(b"alo"), UI(5)])),
        (b">s2", b"\x00\x03alo", 1, Ok(&[US(b"alo"), UI(6)])),
        (b"s9", b"\x01\x00\x00\x00\x00\x00\x00\x00\x01a", 1, Err(b"9-byte integer does not fit into Lua Integer")),
        (b"s", b"\xff\xff\xff\xff\xff\xff\xff\xffa", 1, Err(b"bad argument #2 to 'unpack' (data string too short)")),
        (b"!4 z c3", b"abcdefghi\x00xyz", 1, Ok(&[US(b"abcdefghi"), US(b"xyz"), UI(14)])),
        (b">!8 c1 Xh i4 i8 b Xi8 XI XH", b"\xf4\x00\x00\x00\x00\x00\x00d\x00\x00\x00\x00\x00\x00\x00\xc8\xec\x00\x00\x00\x00\x00\x00\x00", 1, Ok(&[US(b"\xf4"), UI(100), UI(200), UI(-20), UI(25)])),
        (b"bbXdb", b"\x01\x02\x03\x00", 1, Ok(&[UI(1), UI(2), UI(3), UI(4)])),
        (b"!8 xXi8", b"0123456701234567", 1, Ok(&[UI(9)])),
        (b"!8 xXi2", b"0123456701234567", 1, Ok(&[UI(3)])),
        (b"!2 xXi8", b"0123456701234567", 1, Ok(&[UI(3)])),
        (b"!16 xXi16", b"0123456701234567", 1, Ok(&[UI(17)])),
        (b"!4 i4", b"\x01\x00\x00\x00\x02\x00\x00\x00\x03\x00\x00\x00\x04\x00\x00\x00", 2, Ok(&[UI(2), UI(9)])),
        (b"!4 i4", b"\x01\x00\x00\x00\x02\x00\x00\x00\x03\x00\x00\x00\x04\x00\x00\x00", -4, Ok(&[UI(4), UI(17)])),
        (b"!4 i4", b"\x01\x00\x00\x00\x02\x00\x00\x00\x03\x00\x00\x00\x04\x00\x00\x00", -7, Ok(&[UI(4), UI(17)])),
        (b"!4 i4", b"\x01\x00\x00\x00\x02\x00\x00\x00\x03\x00\x00\x00\x04\x00\x00\x00", 14, Err(b"bad argument #2 to 'unpack' (data string too short)")),
        (b"XXi", b"", 1, Err(b"bad argument #1 to 'unpack' (invalid next option for option 'X')")),
        (b"X i", b"", 1, Err(b"bad argument #1 to 'unpack' (invalid next option for option 'X')")),
        (b"y", b"a", 1, Err(b"invalid format option 'y'")),
        (b"i17", b"", 1, Err(b"integral size (17) out of limits [1,16]")),
        (b"b\x00b", b"\x01\x02", 1, Ok(&[UI(1), UI(2)])),
        (b"<i2 >i2", b"\x0a\x00\x00\x14", 1, Ok(&[UI(10), UI(20), UI(5)])),
        (b"x", b"", 1, Err(b"bad argument #2 to 'unpack' (data string too short)")),
        (b"xx", b"ab", 1, Ok(&[UI(3)])),
        (b"  ", b"", 1, Ok(&[UI(1)])),
        (b"", b"abc", 2, Ok(&[UI(2)])),
        (b"s", b"\x01\x00", 1, Err(b"bad argument #2 to 'unpack' (data string too short)")),
        (b"<s16", b"\x02\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00ab", 1, Ok(&[US(b"ab"), UI(19)])),
        (b"<s16", b"\x02\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01ab", 1, Err(b"16-byte integer does not fit into Lua Integer")),
        (b"c2147483639", b"abc", 1, Err(b"bad argument #2 to 'unpack' (data string too short)")),
        (b"!4 b c0 Xi4 b", b"\x01\x02\x03\x04\x05", 1, Ok(&[UI(1), US(b""), UI(5), UI(6)])),
        (b"!8 b d", b"\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00@", 1, Ok(&[UI(1), UF(0x4000000000000000), UI(17)])),
        (b"!8 b d", b"\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00@", 2, Ok(&[UI(0), UF(0x4000000000000000), UI(17)])),
        (b"=>i2", b"\x01\x02", 1, Ok(&[UI(258), UI(3)])),
        (b">!2 h", b"\x00\x01\x02", 2, Err(b"bad argument #2 to 'unpack' (data string too short)")),
    ];

    #[rustfmt::skip]
    const PACKSIZE_CASES: &[PacksizeCase] = &[
        (b"", Ok(0)),
        (b"b", Ok(1)),
        (b"h", Ok(2)),
        (b"i", Ok(4)),
        (b"l", Ok(8)),
        (b"j", Ok(8)),
        (b"T", Ok(8)),
        (b"f", Ok(4)),
        (b"d", Ok(8)),
        (b"n", Ok(8)),
        (b"i16", Ok(16)),
        (b"!xXi16", Ok(8)),
        (b"<! c3", Ok(3)),
        (b"!8 b Xh i4 i8 c1 Xi8", Ok(24)),
        (b" b b Xd b Xb x", Ok(4)),
        (b"!8 xXi8", Ok(8)),
        (b"!2 xXi8", Ok(2)),
        (b"s", Err(b"bad argument #1 to 'packsize' (variable-length format)")),
        (b"z", Err(b"bad argument #1 to 'packsize' (variable-length format)")),
        (b"c", Err(b"missing size for format option 'c'")),
        (b"c10000000000000000000000000000000000000000", Err(b"invalid format option '0'")),
        (b"c268435456c268435456c268435456c268435456c268435456c268435456c268435456c268435456", Err(b"bad argument #1 to 'packsize' (format result too large)")),
        (b"c268435456c268435456c268435456c268435456c268435456c268435456c268435456c268435455", Ok(2147483647)),
        (b"c2147483639", Ok(2147483639)),
        (b"c2147483639c9", Err(b"bad argument #1 to 'packsize' (format result too large)")),
        (b"c2147483639c8", Ok(2147483647)),
        (b"c21474836391", Err(b"invalid format option '1'")),
        (b"!4 i3", Err(b"bad argument #1 to 'packsize' (format asks for alignment not power of 2)")),
        (b"!b i3", Err(b"bad argument #1 to 'packsize' (format asks for alignment not power of 2)")),
        (b"i0", Err(b"integral size (0) out of limits [1,16]")),
        (b"y", Err(b"invalid format option 'y'")),
        (b"\x00s", Ok(0)),
        (b"bb\x00s", Ok(2)),
        (b"!8 i3 i8", Err(b"bad argument #1 to 'packsize' (format asks for alignment not power of 2)")),
        (b"!2 i3 i8", Ok(12)),
        (b"X", Err(b"bad argument #1 to 'packsize' (invalid next option for option 'X')")),
        (b"i X", Err(b"bad argument #1 to 'packsize' (invalid next option for option 'X')")),
    ];
}
