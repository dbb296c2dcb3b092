//! A human-readable listing of a [`Proto`], in the spirit of `luac -l -l`: one line per
//! instruction with its source line and operands (PUC's mnemonics and operand order where the
//! instruction exists in PUC), then the constants, locals and upvalues, then nested functions.
//! Positions are shown 1-based, like `luac`.

use super::{Constant, Instruction, Proto};
use std::fmt::Write;

/// Lists `proto` and, after it, every nested prototype (depth first).
pub fn disassemble(proto: &Proto) -> String {
    let mut out = String::new();
    let mut pending = vec![proto];
    while let Some(proto) = pending.pop() {
        list_function(&mut out, proto);
        pending.extend(proto.protos.iter().rev().map(|child| &**child));
    }
    out
}

fn list_function(out: &mut String, proto: &Proto) {
    let source = String::from_utf8_lossy(&proto.source);
    let kind = if proto.line_defined == 0 {
        "main"
    } else {
        "function"
    };
    let _ = writeln!(
        out,
        "\n{kind} <{source}:{},{}> ({} instructions)",
        proto.line_defined,
        proto.last_line_defined,
        proto.code.len()
    );
    let _ = writeln!(
        out,
        "{}{} params, {} slots, {} upvalues, {} locals, {} constants, {} functions",
        proto.param_count,
        if proto.is_vararg { "+" } else { "" },
        proto.max_stack_size,
        proto.upvalues.len(),
        proto.locals.len(),
        proto.constants.len(),
        proto.protos.len()
    );
    for (pc, instruction) in proto.code.iter().enumerate() {
        let line = proto
            .line_info
            .get(pc)
            .map_or_else(|| "?".to_string(), u32::to_string);
        let (text, comment) = describe(proto, pc, instruction);
        if comment.is_empty() {
            let _ = writeln!(out, "\t{}\t[{line}]\t{text}", pc + 1);
        } else {
            let _ = writeln!(out, "\t{}\t[{line}]\t{text:<24}\t; {comment}", pc + 1);
        }
    }
    let _ = writeln!(out, "constants ({}):", proto.constants.len());
    for (index, constant) in proto.constants.iter().enumerate() {
        let _ = writeln!(out, "\t{index}\t{}", constant_text(constant));
    }
    let _ = writeln!(out, "locals ({}):", proto.locals.len());
    for (index, local) in proto.locals.iter().enumerate() {
        let _ = writeln!(
            out,
            "\t{index}\t{}\t{}\t{}\tR{}",
            String::from_utf8_lossy(&local.name),
            local.start_pc + 1,
            local.end_pc + 1,
            local.register
        );
    }
    let _ = writeln!(out, "upvalues ({}):", proto.upvalues.len());
    for (index, upvalue) in proto.upvalues.iter().enumerate() {
        let _ = writeln!(
            out,
            "\t{index}\t{}\t{}\t{}",
            String::from_utf8_lossy(&upvalue.name),
            u8::from(upvalue.in_stack),
            upvalue.index
        );
    }
}

/// A constant as `luac` shows it (`S "text"`, `I 1`, `F 1.5`, `B true`, `N nil`).
fn constant_text(constant: &Constant) -> String {
    match constant {
        Constant::Nil => "N\tnil".to_string(),
        Constant::Boolean(value) => format!("B\t{value}"),
        Constant::Integer(value) => format!("I\t{value}"),
        Constant::Float(value) => format!("F\t{}", float_text(*value)),
        Constant::String(value) => format!("S\t{}", quoted(value)),
    }
}

/// A float the way Lua prints it (`%.14g`, with `.0` added to integral values).
fn float_text(value: f64) -> String {
    if value.is_infinite() {
        return if value > 0.0 { "inf" } else { "-inf" }.to_string();
    }
    if value.is_nan() {
        return "nan".to_string();
    }
    let text = general_format(value, 14);
    if text
        .bytes()
        .all(|byte| byte == b'-' || byte.is_ascii_digit())
    {
        format!("{text}.0")
    } else {
        text
    }
}

/// C's `%.<precision>g` for a finite value.
fn general_format(value: f64, precision: usize) -> String {
    let scientific = format!("{value:.*e}", precision - 1);
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    if exponent < -4 || exponent >= precision as i32 {
        let mantissa = strip_zeros(mantissa);
        let sign = if exponent < 0 { '-' } else { '+' };
        format!("{mantissa}e{sign}{:02}", exponent.abs())
    } else {
        let decimals = (precision as i32 - 1 - exponent).max(0) as usize;
        strip_zeros(&format!("{value:.decimals$}")).to_string()
    }
}

/// Removes trailing zeros after a decimal point, and the point itself if nothing follows.
fn strip_zeros(text: &str) -> &str {
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.')
    } else {
        text
    }
}

/// A string constant in double quotes, with control characters escaped.
fn quoted(bytes: &[u8]) -> String {
    let mut out = String::from("\"");
    for &byte in bytes {
        match byte {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            0x07 => out.push_str("\\a"),
            0x08 => out.push_str("\\b"),
            0x0b => out.push_str("\\v"),
            0x0c => out.push_str("\\f"),
            0x20..=0x7e => out.push(byte as char),
            _ => {
                let _ = write!(out, "\\{byte:03}");
            }
        }
    }
    out.push('"');
    out
}

fn constant_comment(proto: &Proto, index: impl Into<u32>) -> String {
    proto.constants.get(index.into() as usize).map_or_else(
        || "?".to_string(),
        |constant| match constant {
            Constant::String(value) => quoted(value),
            Constant::Float(value) => float_text(*value),
            Constant::Integer(value) => value.to_string(),
            Constant::Boolean(value) => value.to_string(),
            Constant::Nil => "nil".to_string(),
        },
    )
}

fn upvalue_name(proto: &Proto, index: u8) -> String {
    proto.upvalues.get(usize::from(index)).map_or_else(
        || "?".to_string(),
        |upvalue| String::from_utf8_lossy(&upvalue.name).into_owned(),
    )
}

/// `value` for a register operand, `valuek` for a constant one.
fn rk(value: u8, is_constant: bool) -> String {
    if is_constant {
        format!("{value}k")
    } else {
        value.to_string()
    }
}

fn rk_comment(proto: &Proto, value: u8, is_constant: bool) -> String {
    if is_constant {
        constant_comment(proto, value)
    } else {
        String::new()
    }
}

/// Joins the non-empty parts of a comment.
fn join(parts: &[String]) -> String {
    parts
        .iter()
        .filter(|part| !part.is_empty())
        .cloned()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Position (1-based) reached by a jump of `offset` from the instruction at `pc`.
fn target(pc: usize, offset: i32) -> i64 {
    pc as i64 + 2 + i64::from(offset)
}

/// Mnemonic with operands, and a comment.
fn describe(proto: &Proto, pc: usize, instruction: &Instruction) -> (String, String) {
    use Instruction::*;
    let none = String::new;
    match *instruction {
        Move { dst, src } => (format!("MOVE {dst} {src}"), none()),
        LoadConstant { dst, constant } => (
            format!("LOADK {dst} {constant}"),
            constant_comment(proto, constant),
        ),
        LoadInteger { dst, value } => (format!("LOADI {dst} {value}"), none()),
        LoadFloat { dst, value } => (format!("LOADF {dst} {value}"), none()),
        LoadBoolean { dst, value: true } => (format!("LOADTRUE {dst}"), none()),
        LoadBoolean { dst, value: false } => (format!("LOADFALSE {dst}"), none()),
        LoadFalseSkip { dst } => (format!("LFALSESKIP {dst}"), none()),
        LoadNil { dst, count } => (
            format!("LOADNIL {dst} {}", count.wrapping_sub(1)),
            format!("{count} out"),
        ),
        GetUpvalue { dst, upvalue } => (
            format!("GETUPVAL {dst} {upvalue}"),
            upvalue_name(proto, upvalue),
        ),
        SetUpvalue { src, upvalue } => (
            format!("SETUPVAL {src} {upvalue}"),
            upvalue_name(proto, upvalue),
        ),
        GetTableUpvalue { dst, upvalue, key } => (
            format!("GETTABUP {dst} {upvalue} {key}"),
            join(&[upvalue_name(proto, upvalue), constant_comment(proto, key)]),
        ),
        SetTableUpvalue {
            upvalue,
            key,
            value,
            value_is_constant,
        } => (
            format!("SETTABUP {upvalue} {key} {}", rk(value, value_is_constant)),
            join(&[
                upvalue_name(proto, upvalue),
                constant_comment(proto, key),
                rk_comment(proto, value, value_is_constant),
            ]),
        ),
        GetTable { dst, table, key } => (format!("GETTABLE {dst} {table} {key}"), none()),
        GetIndex { dst, table, index } => (format!("GETI {dst} {table} {index}"), none()),
        GetField { dst, table, key } => (
            format!("GETFIELD {dst} {table} {key}"),
            constant_comment(proto, key),
        ),
        SetTable {
            table,
            key,
            value,
            value_is_constant,
        } => (
            format!("SETTABLE {table} {key} {}", rk(value, value_is_constant)),
            rk_comment(proto, value, value_is_constant),
        ),
        SetIndex {
            table,
            index,
            value,
            value_is_constant,
        } => (
            format!("SETI {table} {index} {}", rk(value, value_is_constant)),
            rk_comment(proto, value, value_is_constant),
        ),
        SetField {
            table,
            key,
            value,
            value_is_constant,
        } => (
            format!("SETFIELD {table} {key} {}", rk(value, value_is_constant)),
            join(&[
                constant_comment(proto, key),
                rk_comment(proto, value, value_is_constant),
            ]),
        ),
        NewTable {
            dst,
            array_size,
            hash_size,
        } => (format!("NEWTABLE {dst} {array_size} {hash_size}"), none()),
        SelfMethod { dst, object, key } => (
            format!("SELF {dst} {object} {key}"),
            constant_comment(proto, key),
        ),
        Add { dst, lhs, rhs } => (format!("ADD {dst} {lhs} {rhs}"), none()),
        Sub { dst, lhs, rhs } => (format!("SUB {dst} {lhs} {rhs}"), none()),
        Mul { dst, lhs, rhs } => (format!("MUL {dst} {lhs} {rhs}"), none()),
        Div { dst, lhs, rhs } => (format!("DIV {dst} {lhs} {rhs}"), none()),
        IDiv { dst, lhs, rhs } => (format!("IDIV {dst} {lhs} {rhs}"), none()),
        Mod { dst, lhs, rhs } => (format!("MOD {dst} {lhs} {rhs}"), none()),
        Pow { dst, lhs, rhs } => (format!("POW {dst} {lhs} {rhs}"), none()),
        BAnd { dst, lhs, rhs } => (format!("BAND {dst} {lhs} {rhs}"), none()),
        BOr { dst, lhs, rhs } => (format!("BOR {dst} {lhs} {rhs}"), none()),
        BXor { dst, lhs, rhs } => (format!("BXOR {dst} {lhs} {rhs}"), none()),
        Shl { dst, lhs, rhs } => (format!("SHL {dst} {lhs} {rhs}"), none()),
        Shr { dst, lhs, rhs } => (format!("SHR {dst} {lhs} {rhs}"), none()),
        AddK { dst, lhs, constant } => arith_k("ADDK", proto, dst, lhs, constant),
        SubK { dst, lhs, constant } => arith_k("SUBK", proto, dst, lhs, constant),
        MulK { dst, lhs, constant } => arith_k("MULK", proto, dst, lhs, constant),
        DivK { dst, lhs, constant } => arith_k("DIVK", proto, dst, lhs, constant),
        IDivK { dst, lhs, constant } => arith_k("IDIVK", proto, dst, lhs, constant),
        ModK { dst, lhs, constant } => arith_k("MODK", proto, dst, lhs, constant),
        PowK { dst, lhs, constant } => arith_k("POWK", proto, dst, lhs, constant),
        BAndK { dst, lhs, constant } => arith_k("BANDK", proto, dst, lhs, constant),
        BOrK { dst, lhs, constant } => arith_k("BORK", proto, dst, lhs, constant),
        BXorK { dst, lhs, constant } => arith_k("BXORK", proto, dst, lhs, constant),
        ShlK { dst, lhs, constant } => arith_k("SHLK", proto, dst, lhs, constant),
        ShrK { dst, lhs, constant } => arith_k("SHRK", proto, dst, lhs, constant),
        AddI { dst, lhs, value } => (format!("ADDI {dst} {lhs} {value}"), none()),
        Unm { dst, src } => (format!("UNM {dst} {src}"), none()),
        BNot { dst, src } => (format!("BNOT {dst} {src}"), none()),
        Not { dst, src } => (format!("NOT {dst} {src}"), none()),
        Len { dst, src } => (format!("LEN {dst} {src}"), none()),
        Concat { first, count } => (format!("CONCAT {first} {count}"), none()),
        Jmp { offset } => (
            format!("JMP {offset}"),
            format!("to {}", target(pc, offset)),
        ),
        Eq { lhs, rhs, expect } => (format!("EQ {lhs} {rhs} {}", u8::from(expect)), none()),
        Lt { lhs, rhs, expect } => (format!("LT {lhs} {rhs} {}", u8::from(expect)), none()),
        Le { lhs, rhs, expect } => (format!("LE {lhs} {rhs} {}", u8::from(expect)), none()),
        EqK {
            lhs,
            constant,
            expect,
        } => (
            format!("EQK {lhs} {constant} {}", u8::from(expect)),
            constant_comment(proto, constant),
        ),
        EqI {
            lhs,
            value,
            is_float,
            expect,
        } => compare_i("EQI", lhs, value, is_float, expect),
        LtI {
            lhs,
            value,
            is_float,
            expect,
        } => compare_i("LTI", lhs, value, is_float, expect),
        LeI {
            lhs,
            value,
            is_float,
            expect,
        } => compare_i("LEI", lhs, value, is_float, expect),
        GtI {
            lhs,
            value,
            is_float,
            expect,
        } => compare_i("GTI", lhs, value, is_float, expect),
        GeI {
            lhs,
            value,
            is_float,
            expect,
        } => compare_i("GEI", lhs, value, is_float, expect),
        Test { src, expect } => (format!("TEST {src} {}", u8::from(expect)), none()),
        TestSet { dst, src, expect } => {
            (format!("TESTSET {dst} {src} {}", u8::from(expect)), none())
        }
        Call {
            func,
            args_plus_one,
            results_plus_one,
        } => (
            format!("CALL {func} {args_plus_one} {results_plus_one}"),
            format!(
                "{} in {} out",
                count_text(args_plus_one),
                count_text(results_plus_one)
            ),
        ),
        TailCall {
            func,
            args_plus_one,
        } => (
            format!("TAILCALL {func} {args_plus_one}"),
            format!("{} in", count_text(args_plus_one)),
        ),
        Return {
            first,
            count_plus_one,
        } => (
            format!("RETURN {first} {count_plus_one}"),
            format!("{} out", count_text(count_plus_one)),
        ),
        Return0 => ("RETURN0".to_string(), none()),
        Return1 { src } => (format!("RETURN1 {src}"), none()),
        ForPrep { base, offset } => (
            format!("FORPREP {base} {offset}"),
            format!("exit to {}", target(pc, offset)),
        ),
        ForLoop { base, offset } => (
            format!("FORLOOP {base} {offset}"),
            format!("to {}", target(pc, offset)),
        ),
        TForPrep { base, offset } => (
            format!("TFORPREP {base} {offset}"),
            format!("to {}", target(pc, offset)),
        ),
        TForCall { base, results } => (format!("TFORCALL {base} {results}"), none()),
        TForLoop { base, offset } => (
            format!("TFORLOOP {base} {offset}"),
            format!("to {}", target(pc, offset)),
        ),
        SetList {
            table,
            count,
            offset,
        } => (format!("SETLIST {table} {count} {offset}"), none()),
        Closure { dst, proto: index } => (format!("CLOSURE {dst} {index}"), none()),
        VarArgPrep { fixed_params } => (format!("VARARGPREP {fixed_params}"), none()),
        VarArg {
            dst,
            count_plus_one,
        } => (
            format!("VARARG {dst} {count_plus_one}"),
            format!("{} out", count_text(count_plus_one)),
        ),
        Close { from } => (format!("CLOSE {from}"), none()),
        ToBeClosed { src } => (format!("TBC {src}"), none()),
    }
}

fn arith_k(name: &str, proto: &Proto, dst: u8, lhs: u8, constant: u16) -> (String, String) {
    (
        format!("{name} {dst} {lhs} {constant}"),
        constant_comment(proto, constant),
    )
}

fn compare_i(name: &str, lhs: u8, value: i16, is_float: bool, expect: bool) -> (String, String) {
    let float = if is_float { " (float)" } else { "" };
    (
        format!("{name} {lhs} {value}{float} {}", u8::from(expect)),
        String::new(),
    )
}

/// A `count + 1` operand as a count (`all` for 0).
fn count_text(count_plus_one: u8) -> String {
    match count_plus_one {
        0 => "all".to_string(),
        count => (count - 1).to_string(),
    }
}
