use super::*;
use crate::bytecode::{Instruction, Proto};
use crate::languages::lua::compile;

fn compiled(source: &str) -> Proto {
    match compile(source.as_bytes(), b"=test") {
        Ok(proto) => proto,
        Err(error) => panic!("{}", String::from_utf8_lossy(&error.message)),
    }
}

/// Length of the header (PUC's 31 bytes, then magic and two versions).
const HEADER_LENGTH: usize = 31 + 7 + 4;

fn header() -> Vec<u8> {
    let mut writer = Writer::default();
    write_header(&mut writer);
    writer.bytes
}

/// A chunk made of the header and `body` (hand-written proto bytes).
fn chunk(body: &[u8]) -> Vec<u8> {
    [header(), body.to_vec()].concat()
}

#[test]
fn header_is_puc_then_red_moon() {
    let bytes = header();
    assert_eq!(bytes.len(), HEADER_LENGTH);
    assert_eq!(&bytes[..4], b"\x1bLua");
    assert_eq!(&bytes[4..12], b"\x54\x00\x19\x93\r\n\x1a\n");
    assert_eq!(&bytes[12..15], &[4, 8, 8]);
    assert_eq!(&bytes[15..23], &0x5678i64.to_le_bytes());
    assert_eq!(&bytes[23..31], &370.5f64.to_le_bytes());
    assert_eq!(&bytes[31..38], b"RedMoon");
}

#[test]
fn header_fields_have_puc_reasons() {
    let good = encode(&compiled("return 1"), false);
    // (offset to corrupt, reason) in PUC's checking order.
    let cases: &[(usize, &str)] = &[
        (1, "not a binary chunk"),
        (4, "version mismatch"),
        (5, "format mismatch"),
        (8, "corrupted chunk"),
        (12, "Instruction size mismatch"),
        (13, "lua_Integer size mismatch"),
        (14, "lua_Number size mismatch"),
        (15, "integer format mismatch"),
        (23, "float format mismatch"),
        (31, "not a Red Moon chunk"),
        (
            38,
            "format version mismatch: chunk has version 2, expected 1",
        ),
        (
            40,
            "instruction set mismatch: chunk has version 2, expected 1",
        ),
    ];
    for &(offset, reason) in cases {
        let mut bytes = good.clone();
        bytes[offset] = bytes[offset].wrapping_add(1);
        match decode(&bytes) {
            Err(error) => assert_eq!(error.to_string(), reason, "offset {offset}"),
            Ok(_) => panic!("corrupted offset {offset} accepted"),
        }
    }
}

#[test]
fn every_truncation_is_reported_as_truncated() {
    let bytes = encode(
        &compiled("local a = {1, 'two', 3.5} return function(x) return a[x] end"),
        false,
    );
    for length in 0..bytes.len() {
        assert_eq!(
            decode(&bytes[..length]),
            Err(DecodeError::Truncated),
            "length {length}"
        );
    }
    assert!(decode(&bytes).is_ok());
}

#[test]
fn trailing_bytes_are_ignored_like_puc() {
    let proto = compiled("return 1");
    let mut bytes = encode(&proto, false);
    bytes.extend_from_slice(b"trailing");
    assert_eq!(decode(&bytes), Ok(proto));
}

#[test]
fn huge_counts_fail_before_allocating() {
    // A proto header claiming 2^40 instructions, then 2^40 constants, in a tiny input.
    let huge = [0x80, 0x80, 0x80, 0x80, 0x80, 0x20];
    let prefix = [0, 0, 0, 0, 0, 2];
    assert_eq!(
        decode(&chunk(&[&prefix[..], &huge[..]].concat())),
        Err(DecodeError::Truncated)
    );
    let code = [1, 64]; // one Return0
    assert_eq!(
        decode(&chunk(&[&prefix[..], &code[..], &huge[..]].concat())),
        Err(DecodeError::Truncated)
    );
    // A string claiming 2^40 bytes.
    assert_eq!(
        decode(&chunk(&[&[1][..], &huge[..]].concat())),
        Err(DecodeError::Truncated)
    );
}

#[test]
fn overlong_varints_are_rejected() {
    let mut body = vec![0, 0, 0, 0, 0, 2];
    body.extend_from_slice(&[0xff; 11]);
    assert_eq!(decode(&chunk(&body)), Err(DecodeError::IntegerOverflow));
    // line_defined must fit in u32.
    let body = [0, 0x80, 0x80, 0x80, 0x80, 0x10];
    assert_eq!(decode(&chunk(&body)), Err(DecodeError::IntegerOverflow));
}

#[test]
fn operands_must_fit_their_field() {
    // LoadNil { dst: 0, count: 1 } is fine; a u16 key of 65536 is not.
    let good = [0, 0, 0, 0, 0, 2, 1, 6, 0, 1];
    assert!(matches!(decode(&chunk(&good)), Err(DecodeError::Truncated)));
    // GetField { dst: 0, table: 0, key: 65536 }
    let bad = [0, 0, 0, 0, 0, 2, 1, 13, 0, 0, 0x80, 0x80, 0x04];
    assert_eq!(decode(&chunk(&bad)), Err(DecodeError::IntegerOverflow));
}

#[test]
fn tags_and_booleans_are_validated() {
    let unknown_instruction = [0, 0, 0, 0, 0, 2, 1, 200];
    assert_eq!(
        decode(&chunk(&unknown_instruction)),
        Err(DecodeError::InvalidTag {
            what: "instruction",
            tag: 200
        })
    );
    let unknown_constant = [0, 0, 0, 0, 0, 2, 1, 64, 1, 9];
    assert_eq!(
        decode(&chunk(&unknown_constant)),
        Err(DecodeError::InvalidTag {
            what: "constant",
            tag: 9
        })
    );
    let bad_boolean = [0, 0, 0, 0, 2, 2];
    assert_eq!(
        decode(&chunk(&bad_boolean)),
        Err(DecodeError::InvalidBoolean)
    );
}

#[test]
fn nesting_is_bounded() {
    // Each level: no source, lines, params, fixed, stack 2, one Return0, no constants,
    // no upvalues, one child ... then the innermost has no child.
    let level = [0u8, 0, 0, 0, 0, 2, 1, 64, 0, 0, 1];
    let leaf = [0u8, 0, 0, 0, 0, 2, 1, 64, 0, 0, 0, 0, 0];
    let closing = [0u8, 0]; // line_info and locals of each enclosing level
    let nested = |depth: usize| {
        let mut body = level.repeat(depth);
        body.extend_from_slice(&leaf);
        body.extend_from_slice(&closing.repeat(depth));
        chunk(&body)
    };
    assert!(decode(&nested(MAX_PROTO_DEPTH)).is_ok());
    assert_eq!(
        decode(&nested(MAX_PROTO_DEPTH + 1)),
        Err(DecodeError::TooDeep)
    );
    // Far deeper input fails the same way without exhausting the Rust stack.
    assert_eq!(decode(&nested(100_000)), Err(DecodeError::TooDeep));
}

#[test]
fn constants_round_trip_bit_exact() {
    let constants = vec![
        Constant::Nil,
        Constant::Boolean(false),
        Constant::Boolean(true),
        Constant::Integer(i64::MIN),
        Constant::Integer(i64::MAX),
        Constant::Integer(-1),
        Constant::Float(-0.0),
        Constant::Float(f64::from_bits(0x7ff8_0000_dead_beef)),
        Constant::Float(f64::INFINITY),
        Constant::Float(f64::MIN_POSITIVE / 2.0),
        Constant::String(Rc::from(&b"\0bytes\xff"[..])),
        Constant::String(Rc::from(&b""[..])),
    ];
    let mut proto = compiled("return");
    proto.constants = constants.clone();
    let decoded = decode(&encode(&proto, false)).map_err(|e| e.to_string());
    let Ok(decoded) = decoded else {
        panic!("{decoded:?}");
    };
    assert_eq!(decoded.constants.len(), constants.len());
    for (got, expected) in decoded.constants.iter().zip(&constants) {
        match (got, expected) {
            (Constant::Float(a), Constant::Float(b)) => assert_eq!(a.to_bits(), b.to_bits()),
            _ => assert_eq!(got, expected),
        }
    }
}

#[test]
fn every_instruction_round_trips_with_extreme_operands() {
    use Instruction as I;
    let code = vec![
        I::LoadConstant {
            dst: 255,
            constant: u32::MAX,
        },
        I::LoadInteger {
            dst: 0,
            value: i32::MIN,
        },
        I::LoadFloat {
            dst: 0,
            value: i32::MAX,
        },
        I::GetTableUpvalue {
            dst: 1,
            upvalue: 255,
            key: u16::MAX,
        },
        I::AddI {
            dst: 0,
            lhs: 1,
            value: i16::MIN,
        },
        I::EqI {
            lhs: 3,
            value: i16::MAX,
            is_float: true,
            expect: false,
        },
        I::Jmp { offset: i32::MIN },
        I::SetList {
            table: 0,
            count: 0,
            offset: u32::MAX,
        },
        I::Return0,
    ];
    let mut proto = compiled("return");
    proto.code = code;
    proto.line_info = vec![u32::MAX, 0, 7, 7, 6, u32::MAX, 1, 2, 3];
    assert_eq!(decode(&encode(&proto, false)), Ok(proto));
}

#[test]
fn whole_programs_round_trip() {
    let proto = compiled(
        "local t <const> = 10
         local function f(a, b, ...)
           local s = 0
           for i = 1, a do s = s + i end
           for k, v in pairs({...}) do s = s + v end
           return s .. b, select('#', ...)
         end
         return f(t, 'x', 1, 2, 3)",
    );
    let decoded = decode(&encode(&proto, false));
    assert_eq!(decoded.as_ref(), Ok(&proto));
}

#[test]
fn children_share_the_source_of_their_parent() {
    let name = "x".repeat(1000);
    let proto = match compile(
        b"return function(x) return function(y) return x + y end end",
        name.as_bytes(),
    ) {
        Ok(proto) => proto,
        Err(_) => panic!("does not compile"),
    };
    let bytes = encode(&proto, false);
    assert!(bytes.len() > 1000 && bytes.len() < 1200, "{}", bytes.len());
    let Ok(decoded) = decode(&bytes) else {
        panic!("does not decode");
    };
    assert!(Rc::ptr_eq(&decoded.source, &decoded.protos[0].source));
    // A child with a source of its own keeps it.
    let mut mixed = proto.clone();
    let mut child = (*mixed.protos[0]).clone();
    child.source = Rc::from(&b"@other.lua"[..]);
    mixed.protos[0] = Rc::new(child);
    assert_eq!(decode(&encode(&mixed, false)), Ok(mixed));
}

#[test]
fn stripping_drops_debug_information_only() {
    let proto = compiled("local a = 1 return function(b) local c = a + b return c end");
    let bytes = encode(&proto, true);
    assert!(bytes.len() < encode(&proto, false).len());
    let Ok(decoded) = decode(&bytes) else {
        panic!("does not decode");
    };
    for function in [&decoded, &*decoded.protos[0]] {
        assert_eq!(&*function.source, b"=?");
        assert!(function.line_info.is_empty());
        assert!(function.locals.is_empty());
        assert!(function.upvalues.iter().all(|u| u.name.is_empty()));
    }
    let child = &decoded.protos[0];
    let original = &proto.protos[0];
    assert_eq!(child.code, original.code);
    assert_eq!(child.constants, original.constants);
    assert_eq!(child.line_defined, original.line_defined);
    assert_eq!(child.last_line_defined, original.last_line_defined);
    assert_eq!(
        (child.param_count, child.is_vararg, child.max_stack_size),
        (
            original.param_count,
            original.is_vararg,
            original.max_stack_size
        )
    );
    assert_eq!(child.upvalues[0].index, original.upvalues[0].index);
    assert_eq!(child.upvalues[0].in_stack, original.upvalues[0].in_stack);
}

#[test]
fn varints_round_trip_at_the_edges() {
    let values = [0, 1, 127, 128, 16383, 16384, u64::from(u32::MAX), u64::MAX];
    let signed = [0, -1, 1, i64::MIN, i64::MAX, -64, 64];
    let mut writer = Writer::default();
    for value in values {
        writer.varint(value);
    }
    for value in signed {
        writer.signed_varint(value);
    }
    let mut reader = Reader::new(&writer.bytes);
    for value in values {
        assert_eq!(reader.varint(), Ok(value));
    }
    for value in signed {
        assert_eq!(reader.signed_varint(), Ok(value));
    }
    assert_eq!(reader.remaining(), 0);
    assert_eq!(reader.byte(), Err(DecodeError::Truncated));
}
