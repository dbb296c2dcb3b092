//! The engine of `string.format`, exactly as Lua 5.4.4 on x86-64 Linux (glibc `printf`).
//!
//! The engine walks the format string and asks the VM for each argument only when the
//! conversion needs it, through [`FormatArguments`], so argument conversions (and their
//! errors, and `__tostring` calls) happen in the same order as in PUC Lua. Errors are
//! [`FormatError`]s, or the VM's own errors passed through unchanged.

use std::borrow::Cow;

use crate::numbers::printf::{
    write_digits, write_float_printf, write_integer_printf, write_padded_text, FloatStyle,
    IntegerStyle, PrintfSpec,
};
use crate::numbers::{write_integer, Number};

/// An error raised by `string.format` itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FormatError {
    /// A plain error with this message (PUC's `luaL_error`), e.g.
    /// `invalid conversion '%y' to 'format'`.
    Message(Vec<u8>),
    /// An error about one argument (PUC's `luaL_argerror`), which the VM reports as
    /// `bad argument #<position> to 'format' (<message>)`. `position` counts the format
    /// string as argument 1.
    Argument {
        /// The Lua argument position (the format string is 1).
        position: usize,
        /// The reason, e.g. `no value` or `number has no integer representation`.
        message: Vec<u8>,
    },
    /// The result would exceed the maximum length the VM allowed; the VM raises its memory
    /// error.
    OutputTooLarge,
}

impl FormatError {
    fn message(text: &[u8]) -> Self {
        FormatError::Message(text.to_vec())
    }

    fn argument(position: usize, message: &str) -> Self {
        FormatError::Argument {
            position,
            message: message.as_bytes().to_vec(),
        }
    }
}

/// A value as `%q` sees it.
#[derive(Clone, Debug, PartialEq)]
pub enum Literal<'a> {
    /// `nil`, written as `nil`.
    Nil,
    /// A boolean, written as `true` / `false`.
    Boolean(bool),
    /// An integer, written in decimal (`math.mininteger` as `0x8000000000000000`).
    Integer(i64),
    /// A float, written in hexadecimal (`0x1.8p+0`), or `1e9999`, `-1e9999`, `(0/0)`.
    Float(f64),
    /// A string, written between quotes with escapes.
    String(Cow<'a, [u8]>),
    /// Any other value (table, function, ...): "value has no literal form".
    NoLiteral,
}

/// Access to the arguments of a `string.format` call, implemented by the VM.
///
/// `position` is the Lua argument position: the format string is 1, the first value 2.
/// The engine only asks for positions up to [`argument_count`](Self::argument_count).
pub trait FormatArguments {
    /// The VM's error type; engine errors convert into it.
    type Error: From<FormatError>;

    /// The number of arguments including the format string (`lua_gettop`).
    fn argument_count(&self) -> usize;

    /// The argument as a number, as `luaL_checknumber` converts it (strings that are
    /// numerals are accepted), keeping its integer/float subtype; otherwise the VM's
    /// "number expected, got ..." argument error.
    fn number(&mut self, position: usize) -> Result<Number, Self::Error>;

    /// The argument converted by `luaL_tolstring` (`__tostring`, `__name`, numbers...).
    fn string(&mut self, position: usize) -> Result<Cow<'_, [u8]>, Self::Error>;

    /// The argument as `%q` sees it.
    fn literal(&mut self, position: usize) -> Result<Literal<'_>, Self::Error>;

    /// The identity `%p` prints for the argument (`lua_topointer`): `Some(id)` for
    /// tables, functions, threads, userdata and strings; `None` for other values.
    fn pointer(&mut self, position: usize) -> Result<Option<u64>, Self::Error>;
}

/// Formats like `string.format(fmt, ...)`, appending to `out`.
///
/// The result may make `out` at most `max_len` bytes long; beyond that the engine stops
/// with [`FormatError::OutputTooLarge`] before copying large pieces (single numeric items,
/// at most a few hundred bytes, may be written before the check and are then removed).
pub fn format<A: FormatArguments + ?Sized>(
    fmt: &[u8],
    args: &mut A,
    max_len: usize,
    out: &mut Vec<u8>,
) -> Result<(), A::Error> {
    let mut output = BoundedOutput {
        bytes: out,
        max_len,
    };
    let mut position = 1;
    let mut rest = fmt;
    while !rest.is_empty() {
        let literal_end = rest.iter().position(|&b| b == b'%').unwrap_or(rest.len());
        let (literal, after_literal) = rest.split_at(literal_end);
        output.append(literal)?;
        let Some((_, after_percent)) = after_literal.split_first() else {
            break;
        };
        if let Some((b'%', after_escape)) = after_percent.split_first() {
            output.append(b"%")?;
            rest = after_escape;
            continue;
        }
        position += 1;
        if position > args.argument_count() {
            return Err(FormatError::argument(position, "no value").into());
        }
        let (item, after_item) = split_item(after_percent)?;
        format_item(&item, position, args, &mut output)?;
        rest = after_item;
    }
    Ok(())
}

/// `out`, with the length limit of the result.
struct BoundedOutput<'a> {
    bytes: &'a mut Vec<u8>,
    max_len: usize,
}

impl BoundedOutput<'_> {
    /// Fails unless `additional` more bytes fit.
    fn reserve(&self, additional: usize) -> Result<(), FormatError> {
        match self.bytes.len().checked_add(additional) {
            Some(total) if total <= self.max_len => Ok(()),
            _ => Err(FormatError::OutputTooLarge),
        }
    }

    fn append(&mut self, piece: &[u8]) -> Result<(), FormatError> {
        self.reserve(piece.len())?;
        self.bytes.extend_from_slice(piece);
        Ok(())
    }

    /// Runs `write` (which appends a small, bounded item), then enforces the limit.
    fn append_with(&mut self, write: impl FnOnce(&mut Vec<u8>)) -> Result<(), FormatError> {
        let start = self.bytes.len();
        write(self.bytes);
        if self.bytes.len() > self.max_len {
            self.bytes.truncate(start);
            return Err(FormatError::OutputTooLarge);
        }
        Ok(())
    }
}

/// Characters a conversion specification may contain between `%` and the conversion
/// letter (all flags, width and precision digits, the point).
const SPEC_CHARACTERS: &[u8] = b"-+ #0123456789.";

/// PUC rejects specifications whose flags/width/precision part, plus the conversion,
/// reaches this length ("invalid format (too long)").
const MAX_SPEC_LENGTH: usize = 22;

/// One conversion item: the characters between `%` and the conversion, and the conversion
/// byte (0 when the format string ends first, as in C).
struct Item<'a> {
    spec: &'a [u8],
    conversion: u8,
}

impl Item<'_> {
    /// The item as PUC quotes it in error messages: `%`, the spec and the conversion
    /// (a zero byte ends the C string, so it is not shown).
    fn form(&self) -> Vec<u8> {
        let mut form = Vec::with_capacity(self.spec.len() + 2);
        form.push(b'%');
        form.extend_from_slice(self.spec);
        if self.conversion != 0 {
            form.push(self.conversion);
        }
        form
    }
}

/// Splits the item at the start of `text` (just after `%`) from the rest of the format.
fn split_item(text: &[u8]) -> Result<(Item<'_>, &[u8]), FormatError> {
    let spec_len = text
        .iter()
        .take_while(|b| SPEC_CHARACTERS.contains(b))
        .count();
    if spec_len + 1 >= MAX_SPEC_LENGTH {
        return Err(FormatError::message(b"invalid format (too long)"));
    }
    let (spec, after_spec) = text.split_at(spec_len);
    let (conversion, rest) = match after_spec.split_first() {
        Some((&conversion, rest)) => (conversion, rest),
        None => (0, after_spec),
    };
    Ok((Item { spec, conversion }, rest))
}

/// The flags each group of conversions accepts (PUC's `L_FMTFLAGS*`).
const FLOAT_FLAGS: &[u8] = b"-+#0 ";
const HEX_OCTAL_FLAGS: &[u8] = b"-#0";
const SIGNED_FLAGS: &[u8] = b"-+0 ";
const UNSIGNED_FLAGS: &[u8] = b"-0";
const TEXT_FLAGS: &[u8] = b"-";

/// Formats one item whose argument is at `position`, converting the argument and
/// validating the specification in PUC's order for each conversion.
fn format_item<A: FormatArguments + ?Sized>(
    item: &Item<'_>,
    position: usize,
    args: &mut A,
    output: &mut BoundedOutput<'_>,
) -> Result<(), A::Error> {
    match item.conversion {
        b'c' => {
            let spec = check_spec(item, TEXT_FLAGS, false)?;
            // C's `(int)` cast then `unsigned char` conversion keep the low byte.
            let byte = integer_argument(args, position)? as u8;
            output.append_with(|out| write_padded_text(&spec, &[byte], out))?;
        }
        b'd' | b'i' => write_integer_item(item, position, args, output, IntegerStyle::Signed)?,
        b'u' => write_integer_item(item, position, args, output, IntegerStyle::Unsigned)?,
        b'o' => write_integer_item(item, position, args, output, IntegerStyle::Octal)?,
        b'x' | b'X' => {
            let style = IntegerStyle::Hex {
                uppercase: item.conversion == b'X',
            };
            write_integer_item(item, position, args, output, style)?;
        }
        b'a' | b'A' => {
            let spec = check_spec(item, FLOAT_FLAGS, true)?;
            let value = args.number(position)?.to_float();
            let uppercase = item.conversion == b'A';
            output.append_with(|out| {
                write_float_printf(&spec, FloatStyle::Hex, uppercase, value, out)
            })?;
        }
        b'e' | b'E' | b'f' | b'g' | b'G' => {
            let value = args.number(position)?.to_float();
            let spec = check_spec(item, FLOAT_FLAGS, true)?;
            let style = match item.conversion {
                b'e' | b'E' => FloatStyle::Exponent,
                b'f' => FloatStyle::Fixed,
                _ => FloatStyle::General,
            };
            let uppercase = item.conversion.is_ascii_uppercase();
            output.append_with(|out| write_float_printf(&spec, style, uppercase, value, out))?;
        }
        b'p' => {
            let pointer = args.pointer(position)?;
            let spec = check_spec(item, TEXT_FLAGS, false)?;
            output.append_with(|out| write_pointer(&spec, pointer, out))?;
        }
        b'q' => {
            if !item.spec.is_empty() {
                return Err(FormatError::message(b"specifier '%q' cannot have modifiers").into());
            }
            let literal = args.literal(position)?;
            write_literal(literal, position, output)?;
        }
        b's' => {
            let text = args.string(position)?;
            write_string_item(item, position, &text, output)?;
        }
        _ => {
            let mut message = b"invalid conversion '".to_vec();
            message.extend_from_slice(&item.form());
            message.extend_from_slice(b"' to 'format'");
            return Err(FormatError::Message(message).into());
        }
    }
    Ok(())
}

/// `%d %i %u %o %x %X`: the argument is converted before the specification is checked.
fn write_integer_item<A: FormatArguments + ?Sized>(
    item: &Item<'_>,
    position: usize,
    args: &mut A,
    output: &mut BoundedOutput<'_>,
    style: IntegerStyle,
) -> Result<(), A::Error> {
    let value = integer_argument(args, position)?;
    let flags = match style {
        IntegerStyle::Signed => SIGNED_FLAGS,
        IntegerStyle::Unsigned => UNSIGNED_FLAGS,
        IntegerStyle::Octal | IntegerStyle::Hex { .. } => HEX_OCTAL_FLAGS,
    };
    let spec = check_spec(item, flags, true)?;
    output.append_with(|out| write_integer_printf(&spec, style, value, out))?;
    Ok(())
}

/// `luaL_checkinteger`: a number with an exact integer value.
fn integer_argument<A: FormatArguments + ?Sized>(
    args: &mut A,
    position: usize,
) -> Result<i64, A::Error> {
    let number = args.number(position)?;
    number.to_integer_exact().ok_or_else(|| {
        FormatError::argument(position, "number has no integer representation").into()
    })
}

/// Checks a specification the way PUC does (only the given flags, a width of at most two
/// digits not starting with `0`, a precision of at most two digits when allowed) and
/// returns it parsed.
fn check_spec(
    item: &Item<'_>,
    allowed_flags: &[u8],
    precision_allowed: bool,
) -> Result<PrintfSpec, FormatError> {
    let mut spec = PrintfSpec::default();
    let mut rest = item.spec;
    while let Some((&flag, after)) = rest
        .split_first()
        .filter(|(b, _)| allowed_flags.contains(b))
    {
        match flag {
            b'-' => spec.left_justify = true,
            b'+' => spec.force_sign = true,
            b' ' => spec.space_sign = true,
            b'#' => spec.alternate = true,
            _ => spec.zero_pad = true,
        }
        rest = after;
    }
    if rest.first() != Some(&b'0') {
        let (width, after_width) = split_two_digits(rest);
        spec.width = width;
        rest = after_width;
        if let Some((b'.', after_point)) = rest.split_first().filter(|_| precision_allowed) {
            let (precision, after_precision) = split_two_digits(after_point);
            spec.precision = Some(precision);
            rest = after_precision;
        }
    }
    if rest.is_empty() {
        Ok(spec)
    } else {
        let mut message = b"invalid conversion specification: '".to_vec();
        message.extend_from_slice(&item.form());
        message.push(b'\'');
        Err(FormatError::Message(message))
    }
}

/// Reads up to two leading decimal digits (0 when there are none).
fn split_two_digits(text: &[u8]) -> (u8, &[u8]) {
    let count = text
        .iter()
        .take(2)
        .take_while(|b| b.is_ascii_digit())
        .count();
    let (digits, rest) = text.split_at(count);
    let value = digits.iter().fold(0u8, |value, &d| value * 10 + (d - b'0'));
    (value, rest)
}

/// `%p`: glibc's `0x...` for an object, `(null)` (formatted as a string) for the rest.
fn write_pointer(spec: &PrintfSpec, pointer: Option<u64>, out: &mut Vec<u8>) {
    match pointer {
        Some(id) => {
            let mut text = b"0x".to_vec();
            write_digits(id, 16, false, &mut text);
            write_padded_text(spec, &text, out);
        }
        None => write_padded_text(spec, b"(null)", out),
    }
}

/// Without a precision, strings at least this long are copied whole (PUC's shortcut; a
/// width, at most 99, could not pad them anyway).
const LONG_STRING: usize = 100;

/// `%s`: the whole string without modifiers; with modifiers, C string rules (no zeros),
/// width and truncation to the precision.
fn write_string_item(
    item: &Item<'_>,
    position: usize,
    text: &[u8],
    output: &mut BoundedOutput<'_>,
) -> Result<(), FormatError> {
    if item.spec.is_empty() {
        return output.append(text);
    }
    if text.contains(&0) {
        return Err(FormatError::argument(position, "string contains zeros"));
    }
    let spec = check_spec(item, TEXT_FLAGS, true)?;
    if spec.precision.is_none() && text.len() >= LONG_STRING {
        // The width (at most 99) cannot matter.
        return output.append(text);
    }
    // Here the result is at most max(99, precision <= 99) bytes.
    output.append_with(|out| write_padded_text(&spec, text, out))
}

/// `%q`: writes a value so that Lua reads it back as the same value.
fn write_literal(
    literal: Literal<'_>,
    position: usize,
    output: &mut BoundedOutput<'_>,
) -> Result<(), FormatError> {
    match literal {
        Literal::Nil => output.append(b"nil"),
        Literal::Boolean(true) => output.append(b"true"),
        Literal::Boolean(false) => output.append(b"false"),
        Literal::Integer(i64::MIN) => output.append(b"0x8000000000000000"),
        Literal::Integer(i) => output.append_with(|out| write_integer(i, out)),
        Literal::Float(f) if f == f64::INFINITY => output.append(b"1e9999"),
        Literal::Float(f) if f == f64::NEG_INFINITY => output.append(b"-1e9999"),
        Literal::Float(f) if f.is_nan() => output.append(b"(0/0)"),
        Literal::Float(f) => output.append_with(|out| {
            write_float_printf(&PrintfSpec::default(), FloatStyle::Hex, false, f, out)
        }),
        Literal::String(text) => {
            output.reserve(quoted_length(&text))?;
            write_quoted(&text, output.bytes);
            Ok(())
        }
        Literal::NoLiteral => Err(FormatError::argument(position, "value has no literal form")),
    }
}

/// How `%q` writes one byte of a string, given the byte after it.
enum QuotedByte {
    /// The byte itself.
    Plain(u8),
    /// A backslash and the byte (`"`, `\`, newline).
    Escaped(u8),
    /// A decimal escape; three digits when a digit follows, else as few as possible.
    Decimal { value: u8, three_digits: bool },
}

fn quote_byte(byte: u8, next: Option<u8>) -> QuotedByte {
    match byte {
        b'"' | b'\\' | b'\n' => QuotedByte::Escaped(byte),
        // C's `iscntrl` in the "C" locale.
        0..=31 | 127 => QuotedByte::Decimal {
            value: byte,
            three_digits: next.is_some_and(|b| b.is_ascii_digit()),
        },
        _ => QuotedByte::Plain(byte),
    }
}

fn quoted_pieces(text: &[u8]) -> impl Iterator<Item = QuotedByte> + '_ {
    text.iter()
        .enumerate()
        .map(|(i, &byte)| quote_byte(byte, text.get(i + 1).copied()))
}

/// The length of `text` quoted by [`write_quoted`].
fn quoted_length(text: &[u8]) -> usize {
    let inner: usize = quoted_pieces(text)
        .map(|piece| match piece {
            QuotedByte::Plain(_) => 1,
            QuotedByte::Escaped(_) => 2,
            QuotedByte::Decimal {
                three_digits: true, ..
            } => 4,
            QuotedByte::Decimal { value, .. } => 1 + decimal_digit_count(value),
        })
        .sum();
    inner.saturating_add(2)
}

fn decimal_digit_count(value: u8) -> usize {
    match value {
        0..=9 => 1,
        10..=99 => 2,
        _ => 3,
    }
}

/// Writes `text` between double quotes, escaping what Lua's reader needs escaped.
fn write_quoted(text: &[u8], out: &mut Vec<u8>) {
    out.push(b'"');
    for piece in quoted_pieces(text) {
        match piece {
            QuotedByte::Plain(byte) => out.push(byte),
            QuotedByte::Escaped(byte) => out.extend_from_slice(&[b'\\', byte]),
            QuotedByte::Decimal {
                value,
                three_digits,
            } => {
                out.push(b'\\');
                if three_digits {
                    out.extend(core::iter::repeat_n(b'0', 3 - decimal_digit_count(value)));
                }
                write_integer(i64::from(value), out);
            }
        }
    }
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::numbers::{parse_number, write_number};
    use Arg::{Nil, B, F, I, S, T};

    /// A test argument; `T` is a table (no literal form, not a number).
    #[derive(Clone, Copy, Debug)]
    enum Arg {
        Nil,
        B(bool),
        I(i64),
        F(f64),
        S(&'static [u8]),
        T,
    }

    /// The errors of a minimal VM: engine errors, or argument errors it raises itself.
    #[derive(Debug)]
    struct TestError(Vec<u8>);

    impl From<FormatError> for TestError {
        fn from(error: FormatError) -> Self {
            TestError(match error {
                FormatError::Message(message) => message,
                FormatError::Argument { position, message } => {
                    argument_error(position, &String::from_utf8_lossy(&message))
                }
                FormatError::OutputTooLarge => b"<too large>".to_vec(),
            })
        }
    }

    fn argument_error(position: usize, message: &str) -> Vec<u8> {
        format!("bad argument #{position} to 'format' ({message})").into_bytes()
    }

    /// Arguments behaving like PUC's `luaL_check*` / `luaL_tolstring` on these values.
    struct TestArgs<'a> {
        values: &'a [Arg],
        requests: Vec<usize>,
    }

    impl TestArgs<'_> {
        fn get(&mut self, position: usize) -> Arg {
            self.requests.push(position);
            self.values[position - 2]
        }

        fn type_error(position: usize, expected: &str, value: Arg) -> TestError {
            let name = match value {
                Nil => "nil",
                B(_) => "boolean",
                I(_) | F(_) => "number",
                S(_) => "string",
                T => "table",
            };
            TestError(argument_error(
                position,
                &format!("{expected} expected, got {name}"),
            ))
        }
    }

    impl FormatArguments for TestArgs<'_> {
        type Error = TestError;

        fn argument_count(&self) -> usize {
            self.values.len() + 1
        }

        fn number(&mut self, position: usize) -> Result<Number, TestError> {
            match self.get(position) {
                I(i) => Ok(Number::Integer(i)),
                F(f) => Ok(Number::Float(f)),
                S(s) => parse_number(s).ok_or_else(|| Self::type_error(position, "number", S(s))),
                other => Err(Self::type_error(position, "number", other)),
            }
        }

        fn string(&mut self, position: usize) -> Result<Cow<'_, [u8]>, TestError> {
            let mut text = Vec::new();
            match self.get(position) {
                Nil => text.extend_from_slice(b"nil"),
                B(b) => text.extend_from_slice(if b { b"true" } else { b"false" }),
                I(i) => write_number(Number::Integer(i), &mut text),
                F(f) => write_number(Number::Float(f), &mut text),
                S(s) => return Ok(Cow::Borrowed(s)),
                T => text.extend_from_slice(b"table: 0x1"),
            }
            Ok(Cow::Owned(text))
        }

        fn literal(&mut self, position: usize) -> Result<Literal<'_>, TestError> {
            Ok(match self.get(position) {
                Nil => Literal::Nil,
                B(b) => Literal::Boolean(b),
                I(i) => Literal::Integer(i),
                F(f) => Literal::Float(f),
                S(s) => Literal::String(Cow::Borrowed(s)),
                T => Literal::NoLiteral,
            })
        }

        fn pointer(&mut self, position: usize) -> Result<Option<u64>, TestError> {
            Ok(match self.get(position) {
                S(_) => Some(0x5000),
                T => Some(0x1234),
                _ => None,
            })
        }
    }

    fn run(fmt: &[u8], values: &[Arg], max_len: usize) -> (Result<Vec<u8>, Vec<u8>>, Vec<usize>) {
        let mut args = TestArgs {
            values,
            requests: Vec::new(),
        };
        let mut out = Vec::new();
        let result = format(fmt, &mut args, max_len, &mut out)
            .map(|()| out)
            .map_err(|e| e.0);
        (result, args.requests)
    }

    #[test]
    fn matches_lua() {
        for &(fmt, values, expected) in CASES {
            let (result, _) = run(fmt, values, usize::MAX);
            let got = match result {
                Ok(text) => text,
                Err(message) => [&b"ERROR: "[..], &message].concat(),
            };
            assert_eq!(
                String::from_utf8_lossy(&got),
                String::from_utf8_lossy(expected),
                "format {:?} with {values:?}",
                String::from_utf8_lossy(fmt)
            );
        }
    }

    #[test]
    fn pointers_use_the_vm_identity() {
        assert_eq!(
            run(b"%p|%-8p|%8p", &[T, T, S(b"")], 100).0,
            Ok(b"0x1234|0x1234  |  0x5000".to_vec())
        );
    }

    #[test]
    fn arguments_are_requested_lazily_in_order() {
        // The bad conversion stops formatting before the third argument is looked at.
        let (result, requests) = run(b"%d%s%y%d", &[I(1), S(b"a"), I(2), I(3)], 100);
        assert!(result.is_err());
        assert_eq!(requests, vec![2, 3]);
        // '%c' checks its specification before converting the argument.
        let (result, requests) = run(b"%.1c", &[T], 100);
        assert_eq!(
            result,
            Err(b"invalid conversion specification: '%.1c'".to_vec())
        );
        assert!(requests.is_empty());
        // '%d' converts the argument first.
        let (result, _) = run(b"%#d", &[T], 100);
        assert_eq!(result, Err(argument_error(2, "number expected, got table")));
    }

    #[test]
    fn output_is_bounded() {
        let long = &[b'x'; 1000][..];
        assert_eq!(run(b"ab%s", &[S(long)], 1002).0.map(|t| t.len()), Ok(1002));
        assert_eq!(
            run(b"ab%s", &[S(long)], 1001).0,
            Err(b"<too large>".to_vec())
        );
        assert_eq!(run(b"%q", &[S(b"\0\0")], 6).0, Ok(b"\"\\0\\0\"".to_vec()));
        assert_eq!(run(b"%q", &[S(b"\0\0")], 5).0, Err(b"<too large>".to_vec()));
        assert_eq!(run(b"%99d", &[I(1)], 98).0, Err(b"<too large>".to_vec()));
        assert_eq!(run(b"%.99f", &[F(1e308)], 1000).0.map(|t| t.len()), Ok(409));
        assert_eq!(
            run(b"%.99f", &[F(1e308)], 408).0,
            Err(b"<too large>".to_vec())
        );
        assert_eq!(run(b"abcdef", &[], 3).0, Err(b"<too large>".to_vec()));
        assert_eq!(run(b"%%", &[], 0).0, Err(b"<too large>".to_vec()));
    }

    #[test]
    fn quoted_length_matches_output() {
        let samples: &[&[u8]] = &[
            b"",
            b"\0",
            b"\x009",
            b"\x7f1\x7fa\x1f\n\"\\\r",
            &[0u8, 1, 2, 10, 13, 31, 48, 57, 100, 127, 128, 255],
        ];
        for sample in samples {
            let mut out = Vec::new();
            write_quoted(sample, &mut out);
            assert_eq!(out.len(), quoted_length(sample));
        }
    }

    // Generated by running each case through lua5.4's string.format (errors prefixed with
    // "ERROR: ", 'string.format' in messages written as 'format').
    #[rustfmt::skip]
    const CASES: &[(&[u8], &[Arg], &[u8])] = &[
        (b"", &[], b""),
        (b"abc", &[], b"abc"),
        (b"%%", &[], b"%"),
        (b"a%%b%%", &[], b"a%b%"),
        (b"a\x00b%d\x00", &[I(5)], b"a\x00b5\x00"),
        (b"%", &[], b"ERROR: bad argument #2 to 'format' (no value)"),
        (b"%", &[I(1)], b"ERROR: invalid conversion '%' to 'format'"),
        (b"abc%", &[], b"ERROR: bad argument #2 to 'format' (no value)"),
        (b"%5", &[I(1)], b"ERROR: invalid conversion '%5' to 'format'"),
        (b"%5\x00d", &[I(1)], b"ERROR: invalid conversion '%5' to 'format'"),
        (b"%5%", &[], b"ERROR: bad argument #2 to 'format' (no value)"),
        (b"%5%", &[I(1)], b"ERROR: invalid conversion '%5%' to 'format'"),
        (b"%-5.2%", &[I(1)], b"ERROR: invalid conversion '%-5.2%' to 'format'"),
        (b"%y", &[I(1)], b"ERROR: invalid conversion '%y' to 'format'"),
        (b"%y", &[], b"ERROR: bad argument #2 to 'format' (no value)"),
        (b"%ld", &[I(1)], b"ERROR: invalid conversion '%l' to 'format'"),
        (b"%hd", &[I(1)], b"ERROR: invalid conversion '%h' to 'format'"),
        (b"%F", &[F(1.0)], b"ERROR: invalid conversion '%F' to 'format'"),
        (b"%n", &[I(1)], b"ERROR: invalid conversion '%n' to 'format'"),
        (b"%\xff", &[I(1)], b"ERROR: invalid conversion '%\xff' to 'format'"),
        (b"%10.3\xff", &[I(1)], b"ERROR: invalid conversion '%10.3\xff' to 'format'"),
        (b"%d %d", &[I(1)], b"ERROR: bad argument #3 to 'format' (no value)"),
        (b"%d %y", &[I(1), I(2)], b"ERROR: invalid conversion '%y' to 'format'"),
        (b"%d", &[I(1), I(2), I(3)], b"1"),
        (b"%10.123d", &[I(1)], b"ERROR: invalid conversion specification: '%10.123d'"),
        (b"%123d", &[I(1)], b"ERROR: invalid conversion specification: '%123d'"),
        (b"%0000000000000000000000000000000000d", &[I(1)], b"ERROR: invalid format (too long)"),
        (b"%000000000000000000005d", &[I(1)], b"ERROR: invalid format (too long)"),
        (b"%00000000000000000005d", &[I(1)], b"00001"),
        (b"%-----d", &[I(1)], b"1"),
        (b"%-+ 0-+ 0d", &[I(1)], b"+1"),
        (b"%#d", &[I(1)], b"ERROR: invalid conversion specification: '%#d'"),
        (b"%#d", &[S(b"x")], b"ERROR: bad argument #2 to 'format' (number expected, got string)"),
        (b"%1.2.3d", &[I(1)], b"ERROR: invalid conversion specification: '%1.2.3d'"),
        (b"%1.2.3y", &[I(1)], b"ERROR: invalid conversion '%1.2.3y' to 'format'"),
        (b"%.d", &[I(0)], b""),
        (b"%.d", &[I(7)], b"7"),
        (b"%5.d|", &[I(0)], b"     |"),
        (b"%05s", &[S(b"a")], b"ERROR: invalid conversion specification: '%05s'"),
        (b"%.3s", &[S(b"a\x00b")], b"ERROR: bad argument #2 to 'format' (string contains zeros)"),
        (b"%s", &[S(b"a\x00b")], b"a\x00b"),
        (b"%5s", &[S(b"a\x00b")], b"ERROR: bad argument #2 to 'format' (string contains zeros)"),
        (b"%-5s|", &[S(b"a\x00b")], b"ERROR: bad argument #2 to 'format' (string contains zeros)"),
        (b"%s", &[I(12)], b"12"),
        (b"%s", &[F(1.5)], b"1.5"),
        (b"%s", &[F(-0.0)], b"-0.0"),
        (b"%s", &[F(1e+100)], b"1e+100"),
        (b"%s", &[Nil], b"nil"),
        (b"%s", &[B(true)], b"true"),
        (b"%s|%s", &[B(false), S(b"x")], b"false|x"),
        (b"%5.s|", &[S(b"abc")], b"     |"),
        (b"%.s|", &[S(b"abc")], b"|"),
        (b"%s|%10s|%-10s|%.2s|%5.1s|", &[S(b"abc"), S(b"abc"), S(b"abc"), S(b"abc"), S(b"abc")], b"abc|       abc|abc       |ab|    a|"),
        (b"%.0s|", &[S(b"abc")], b"|"),
        (b"%99.98s|", &[S(b"abc")], b"                                                                                                abc|"),
        (b"%.200s", &[S(b"a")], b"ERROR: invalid conversion specification: '%.200s'"),
        (b"%#s", &[S(b"a")], b"ERROR: invalid conversion specification: '%#s'"),
        (b"%+s", &[S(b"a")], b"ERROR: invalid conversion specification: '%+s'"),
        (b"% s", &[S(b"a")], b"ERROR: invalid conversion specification: '% s'"),
        (b"%10s|", &[S(b"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")], b"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa|"),
        (b"%.99s|", &[S(b"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb")], b"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb|"),
        (b"%-99s|", &[S(b"ccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc")], b"ccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc|"),
        (b"%99s|", &[S(b"dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd")], b"dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd|"),
        (b"%99.s|", &[S(b"eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee")], b"                                                                                                   |"),
        (b"%d", &[F(1.5)], b"ERROR: bad argument #2 to 'format' (number has no integer representation)"),
        (b"%d", &[S(b"1.0")], b"1"),
        (b"%d", &[S(b"10")], b"10"),
        (b"%d", &[S(b" 0x10 ")], b"16"),
        (b"%d", &[S(b"1.5")], b"ERROR: bad argument #2 to 'format' (number has no integer representation)"),
        (b"%d", &[S(b"x")], b"ERROR: bad argument #2 to 'format' (number expected, got string)"),
        (b"%d", &[Nil], b"ERROR: bad argument #2 to 'format' (number expected, got nil)"),
        (b"%d", &[B(true)], b"ERROR: bad argument #2 to 'format' (number expected, got boolean)"),
        (b"%d", &[T], b"ERROR: bad argument #2 to 'format' (number expected, got table)"),
        (b"%d", &[F(3.0)], b"3"),
        (b"%d", &[F(-0.0)], b"0"),
        (b"%d", &[F(9.223372036854776e+18)], b"ERROR: bad argument #2 to 'format' (number has no integer representation)"),
        (b"%d", &[F(-9.223372036854776e+18)], b"-9223372036854775808"),
        (b"%d", &[F(1e+100)], b"ERROR: bad argument #2 to 'format' (number has no integer representation)"),
        (b"%d", &[F(-f64::NAN)], b"ERROR: bad argument #2 to 'format' (number has no integer representation)"),
        (b"%i", &[I(-7)], b"-7"),
        (b"%5i|", &[I(42)], b"   42|"),
        (b"%x", &[I(-1)], b"ffffffffffffffff"),
        (b"%X", &[I(11259375)], b"ABCDEF"),
        (b"%o", &[I(-1)], b"1777777777777777777777"),
        (b"%u", &[I(-1)], b"18446744073709551615"),
        (b"%x", &[F(9007199254740992.0)], b"20000000000000"),
        (b"%x", &[S(b"0xff")], b"ff"),
        (b"%+x", &[I(1)], b"ERROR: invalid conversion specification: '%+x'"),
        (b"% u", &[I(1)], b"ERROR: invalid conversion specification: '% u'"),
        (b"%#u", &[I(1)], b"ERROR: invalid conversion specification: '%#u'"),
        (b"%+o", &[I(1)], b"ERROR: invalid conversion specification: '%+o'"),
        (b"%#i", &[I(1)], b"ERROR: invalid conversion specification: '%#i'"),
        (b"%d", &[I(i64::MIN)], b"-9223372036854775808"),
        (b"%d", &[I(9223372036854775807)], b"9223372036854775807"),
        (b"%+.3d|% 05d|%-6d|", &[I(7), I(-7), I(7)], b"+007|-0007|7     |"),
        (b"%.20d", &[I(5)], b"00000000000000000005"),
        (b"%020d", &[I(-5)], b"-0000000000000000005"),
        (b"%#.0o|%#.0x|%#5.3x|", &[I(0), I(0), I(10)], b"0||0x00a|"),
        (b"%c", &[I(65)], b"A"),
        (b"%c", &[I(0)], b"\x00"),
        (b"%c", &[I(321)], b"A"),
        (b"%c", &[I(-1)], b"\xff"),
        (b"%c", &[F(1099511627776.0)], b"\x00"),
        (b"%5c|", &[I(65)], b"    A|"),
        (b"%-5c|", &[I(65)], b"A    |"),
        (b"%.3c|", &[I(65)], b"ERROR: invalid conversion specification: '%.3c'"),
        (b"%05c", &[I(65)], b"ERROR: invalid conversion specification: '%05c'"),
        (b"%c", &[F(65.5)], b"ERROR: bad argument #2 to 'format' (number has no integer representation)"),
        (b"%c", &[S(b"66")], b"B"),
        (b"%c%c%c", &[I(76), I(117), I(97)], b"Lua"),
        (b"%e", &[I(1)], b"1.000000e+00"),
        (b"%E", &[F(12345.678)], b"1.234568E+04"),
        (b"%.3e", &[F(-0.0)], b"-0.000e+00"),
        (b"%f", &[F(1e+15)], b"1000000000000000.000000"),
        (b"%.99f", &[F(-1.7976931348623157e+308)], b"-179769313486231570814527423731704356798070567525844996598917476803157260780028538760589558632766878171540458953514382464234321326889464182768467546703537516986049910576551282076245490090389328944075868508455133942304583236903222948165808559332123348274797826204144723168738177180919299881250404026184124858368.000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"),
        (b"%099.99f", &[I(1)], b"1.000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"),
        (b"%.100f", &[I(1)], b"ERROR: invalid conversion specification: '%.100f'"),
        (b"%g", &[F(1e-05)], b"1e-05"),
        (b"%G", &[F(1e-10)], b"1E-10"),
        (b"%.14g", &[F(0.1)], b"0.1"),
        (b"%f", &[S(b"1.5")], b"1.500000"),
        (b"%f", &[S(b"0x10")], b"16.000000"),
        (b"%f", &[S(b"x")], b"ERROR: bad argument #2 to 'format' (number expected, got string)"),
        (b"%f", &[I(9223372036854775807)], b"9223372036854775808.000000"),
        (b"%.0f", &[F(9.223372036854776e+18)], b"9223372036854775808"),
        (b"%g", &[I(i64::MIN)], b"-9.22337e+18"),
        (b"%e", &[T], b"ERROR: bad argument #2 to 'format' (number expected, got table)"),
        (b"%5.1f|%-8.3e|%+g", &[F(3.25159), F(2.61828), I(1)], b"  3.3|2.618e+00|+1"),
        (b"%f", &[F(f64::INFINITY)], b"inf"),
        (b"%f", &[F(f64::NEG_INFINITY)], b"-inf"),
        (b"%f", &[F(-f64::NAN)], b"-nan"),
        (b"%f", &[F(f64::NAN)], b"nan"),
        (b"%05f|%-6f|%06e|%+f|% f|%05g", &[F(f64::INFINITY), F(-f64::NAN), F(f64::NEG_INFINITY), F(f64::INFINITY), F(-f64::NAN), F(f64::NAN)], b"  inf|-nan  |  -inf|+inf|-nan|  nan"),
        (b"%E", &[F(f64::INFINITY)], b"INF"),
        (b"%G", &[F(-f64::NAN)], b"-NAN"),
        (b"%#g", &[F(999999.5)], b"1.e+06"),
        (b"%#.2g", &[F(99.96)], b"1.e+02"),
        (b"%#.4g", &[F(9999.5)], b"1.e+04"),
        (b"%#.3g", &[F(99.96)], b"100."),
        (b"%#g", &[F(9.9999999e-05)], b"0.000100000"),
        (b"%a", &[I(1)], b"0x1p+0"),
        (b"%a", &[F(5e-324)], b"0x0.0000000000001p-1022"),
        (b"%.3a", &[F(0.3333333333333333)], b"0x1.555p-2"),
        (b"%A", &[F(-0.0)], b"-0X0P+0"),
        (b"%20.3a|", &[F(f64::INFINITY)], b"                 inf|"),
        (b"%a", &[F(-f64::NAN)], b"-nan"),
        (b"%.0a", &[F(1.5)], b"0x2p+0"),
        (b"%.1a", &[F(1.03125)], b"0x1.0p+0"),
        (b"%.0a", &[F(1.9375)], b"0x2p+0"),
        (b"%.3a", &[F(5e-324)], b"0x0.000p-1022"),
        (b"%#a", &[I(1)], b"0x1.p+0"),
        (b"%#.0a", &[I(0)], b"0x0.p+0"),
        (b"%010a", &[I(1)], b"0x00001p+0"),
        (b"%-10a|", &[I(1)], b"0x1p+0    |"),
        (b"%+a", &[I(1)], b"+0x1p+0"),
        (b"% a", &[I(1)], b" 0x1p+0"),
        (b"%A", &[F(255.5)], b"0X1.FFP+7"),
        (b"%a", &[I(3)], b"0x1.8p+1"),
        (b"%a", &[S(b"0x1p4")], b"0x1p+4"),
        (b"%.20a", &[F(0.1)], b"0x1.999999999999a0000000p-4"),
        (b"%a", &[F(8.98846567431158e+307)], b"0x1p+1023"),
        (b"%p", &[I(1)], b"(null)"),
        (b"%p", &[Nil], b"(null)"),
        (b"%p", &[B(true)], b"(null)"),
        (b"%10p|", &[Nil], b"    (null)|"),
        (b"%-10p|", &[F(2.5)], b"(null)    |"),
        (b"%.3p", &[Nil], b"ERROR: invalid conversion specification: '%.3p'"),
        (b"%#p", &[Nil], b"ERROR: invalid conversion specification: '%#p'"),
        (b"%05p", &[Nil], b"ERROR: invalid conversion specification: '%05p'"),
        (b"%q", &[S(b"\x00\x01\x011\x0a\x0d\"\\\x7f\x80")], b"\"\\0\\1\\0011\\\x0a\\13\\\"\\\\\\127\x80\""),
        (b"%q", &[S(b"a\x001\x00x\x0d\x09\"\\\x0a\x7f\x80\xff")], b"\"a\\0001\\0x\\13\\9\\\"\\\\\\\x0a\\127\x80\xff\""),
        (b"%q", &[S(b"")], b"\"\""),
        (b"%q", &[S(b"\x00")], b"\"\\0\""),
        (b"%q", &[S(b"\x009")], b"\"\\0009\""),
        (b"%q", &[S(b"\x1f5\x1fa\x1f")], b"\"\\0315\\31a\\31\""),
        (b"%q", &[S(b"\x0d\x0a\x09\x0b\x0c\x07\x08")], b"\"\\13\\\x0a\\9\\11\\12\\7\\8\""),
        (b"%q", &[F(1e+100)], b"0x1.249ad2594c37dp+332"),
        (b"%q", &[F(0.5)], b"0x1p-1"),
        (b"%q", &[F(1.0)], b"0x1p+0"),
        (b"%q", &[F(-1.5)], b"-0x1.8p+0"),
        (b"%q", &[F(9007199254740992.0)], b"0x1p+53"),
        (b"%q", &[F(9.223372036854776e+18)], b"0x1p+63"),
        (b"%q", &[F(-0.0)], b"-0x0p+0"),
        (b"%q", &[F(0.0)], b"0x0p+0"),
        (b"%q", &[F(5e-324)], b"0x0.0000000000001p-1022"),
        (b"%q", &[F(0.1)], b"0x1.999999999999ap-4"),
        (b"%q", &[F(f64::INFINITY)], b"1e9999"),
        (b"%q", &[F(f64::NEG_INFINITY)], b"-1e9999"),
        (b"%q", &[F(-f64::NAN)], b"(0/0)"),
        (b"%q", &[F(f64::NAN)], b"(0/0)"),
        (b"%q", &[I(i64::MIN)], b"0x8000000000000000"),
        (b"%q", &[I(9223372036854775807)], b"9223372036854775807"),
        (b"%q", &[I(0)], b"0"),
        (b"%q", &[I(-1)], b"-1"),
        (b"%q", &[Nil], b"nil"),
        (b"%q", &[B(true)], b"true"),
        (b"%q", &[B(false)], b"false"),
        (b"%q", &[T], b"ERROR: bad argument #2 to 'format' (value has no literal form)"),
        (b"%10q", &[I(1)], b"ERROR: specifier '%q' cannot have modifiers"),
        (b"%-q", &[I(1)], b"ERROR: specifier '%q' cannot have modifiers"),
        (b"%q", &[], b"ERROR: bad argument #2 to 'format' (no value)"),
        (b"%q %q", &[S(b"a")], b"ERROR: bad argument #3 to 'format' (no value)"),
        (b"%s=%q", &[S(b"key"), S(b"va\x00lue")], b"key=\"va\\0lue\""),
        (b"[%5d|%-5d|%05d]", &[I(42), I(42), I(42)], b"[   42|42   |00042]"),
        (b"%3$s", &[I(1)], b"ERROR: invalid conversion '%3$' to 'format'"),
    ];
}
