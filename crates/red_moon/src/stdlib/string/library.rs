//! The `string` table, the string metatable, and the byte-level functions.

use super::{formatting, matching};
use crate::interpreter::execute::ArithOp;
use crate::interpreter::native::{Args, Builtin, Outcome};
use crate::interpreter::value::{LuaType, Value};
use crate::interpreter::{LuaResult, Vm};
use crate::stdlib::library;

pub(crate) static FUNCTIONS: &[Builtin] = library!("string",
    "byte" => byte,
    "char" => char,
    "dump" => crate::stdlib::dump::dump,
    "find" => matching::find,
    "format" => formatting::format,
    "gmatch" => matching::gmatch,
    "gsub" => matching::gsub,
    "len" => len,
    "lower" => lower,
    "match" => matching::match_,
    "pack" => formatting::pack,
    "packsize" => formatting::packsize,
    "rep" => rep,
    "reverse" => reverse,
    "sub" => sub,
    "unpack" => formatting::unpack,
    "upper" => upper,
);

/// Arithmetic metamethods of strings: numeric strings take part in arithmetic.
pub(crate) static METAMETHODS: &[Builtin] = library!("string.metatable",
    "__add" => add,
    "__sub" => sub_,
    "__mul" => mul,
    "__mod" => mod_,
    "__pow" => pow,
    "__div" => div,
    "__idiv" => idiv,
    "__unm" => unm,
);

impl Vm {
    pub(crate) fn open_string(&mut self) -> LuaResult<()> {
        let string = self.new_table(0, 20)?;
        self.register_functions(string, FUNCTIONS)?;
        let metatable = self.new_table(0, 10)?;
        self.register_functions(metatable, METAMETHODS)?;
        self.raw_set_str(metatable, "__index", Value::Table(string))?;
        self.set_type_metatable(LuaType::String, Some(metatable));
        self.register_library("string", string)
    }
}

/// PUC's `posrelatI`: a start position (1-based, negative from the end) clipped to >= 1.
pub(crate) fn start_position(position: i64, len: usize) -> usize {
    let len = len as i64;
    if position > 0 {
        position as usize
    } else if position == 0 || position < -len {
        1
    } else {
        (len + position + 1) as usize
    }
}

/// PUC's `getendpos`: an end position clipped to `0..=len`.
pub(crate) fn end_position(position: i64, len: usize) -> usize {
    let len_i = len as i64;
    if position > len_i {
        len
    } else if position >= 0 {
        position as usize
    } else if position < -len_i {
        0
    } else {
        (len_i + position + 1) as usize
    }
}

fn byte(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let s = vm.check_string(args, 1)?;
    let first = vm.opt_integer(args, 2, 1)?;
    let last = vm.opt_integer(args, 3, first)?;
    let end = end_position(last, s.len());
    let start = start_position(first, s.len());
    if start > end {
        return Ok(Outcome::Return(0));
    }
    let count = end - start + 1;
    if count >= i32::MAX as usize || vm.thread.top + count > vm.limits.stack_slots {
        return Err(vm.library_error("string slice too long"));
    }
    vm.charge_fuel(count as i64)?;
    vm.ensure_stack(vm.thread.top + count)?;
    for &b in &s[start - 1..end] {
        vm.push(Value::Integer(b as i64))?;
    }
    Ok(Outcome::Return(count))
}

fn char(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let mut bytes = Vec::with_capacity(args.count);
    for n in 1..=args.count {
        let code = vm.check_integer(args, n)?;
        if !(0..=255).contains(&code) {
            return Err(vm.arg_error(args, n, "value out of range"));
        }
        bytes.push(code as u8);
    }
    vm.charge_fuel(bytes.len() as i64)?;
    vm.reserve_memory(bytes.len())?;
    vm.return_string(&bytes)
}

fn len(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let s = vm.check_string_id(args, 1)?;
    let length = vm.string_bytes(s).len();
    vm.return1(Value::Integer(length as i64))
}

/// Applies a byte mapping to a whole string argument (`lower`, `upper`, `reverse`).
fn map_bytes(vm: &mut Vm, args: Args, map: impl FnOnce(&[u8]) -> Vec<u8>) -> LuaResult<Outcome> {
    let s = vm.check_string(args, 1)?;
    vm.charge_fuel(s.len() as i64 / 16)?;
    vm.reserve_memory(s.len())?;
    let mapped = map(&s);
    vm.return_string(&mapped)
}

fn lower(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    map_bytes(vm, args, |s| s.to_ascii_lowercase())
}

fn upper(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    map_bytes(vm, args, |s| s.to_ascii_uppercase())
}

fn reverse(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    map_bytes(vm, args, |s| s.iter().rev().copied().collect())
}

fn rep(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let s = vm.check_string(args, 1)?;
    let n = vm.check_integer(args, 2)?;
    let separator = vm
        .opt_string(args, 3)?
        .unwrap_or_else(|| std::rc::Rc::from(&b""[..]));
    if n <= 0 {
        return vm.return_string(b"");
    }
    let piece = s.len() + separator.len();
    let total = (piece as u128) * (n as u128) - separator.len() as u128;
    if piece == 0 {
        return vm.return_string(b"");
    }
    // PUC limits results to INT_MAX bytes (checking `n` pieces including a separator).
    if piece as u128 * n as u128 > i32::MAX as u128 {
        return Err(vm.library_error("resulting string too large"));
    }
    let total = total as usize;
    vm.charge_fuel(total as i64 / 16)?;
    vm.reserve_memory(total)?;
    let mut out = Vec::with_capacity(total);
    for i in 0..n {
        out.extend_from_slice(&s);
        if i + 1 < n {
            out.extend_from_slice(&separator);
        }
    }
    vm.return_string(&out)
}

fn sub(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let s = vm.check_string(args, 1)?;
    let first = vm.check_integer(args, 2)?;
    let last = vm.opt_integer(args, 3, -1)?;
    let start = start_position(first, s.len());
    let end = end_position(last, s.len());
    if start > end {
        return vm.return_string(b"");
    }
    vm.charge_fuel((end - start) as i64 / 16)?;
    vm.return_string(&s[start - 1..end])
}

// ----- arithmetic on numeric strings -----

/// `tonum` of lstrlib: numbers, and strings that are complete numerals.
fn to_arith_operand(vm: &Vm, value: Value) -> Option<Value> {
    match value {
        Value::Integer(_) | Value::Float(_) => Some(value),
        Value::String(s) => crate::numbers::parse_number(vm.string_bytes(s)).map(|n| match n {
            crate::numbers::Number::Integer(i) => Value::Integer(i),
            crate::numbers::Number::Float(f) => Value::Float(f),
        }),
        _ => None,
    }
}

fn string_arith(vm: &mut Vm, args: Args, op: ArithOp, event: &str) -> LuaResult<Outcome> {
    let a = vm.arg(args, 1);
    let b = vm.arg(args, 2);
    if let (Some(x), Some(y)) = (to_arith_operand(vm, a), to_arith_operand(vm, b)) {
        let result = vm.arith_nested(op, x, y)?;
        return vm.return1(result);
    }
    // The second operand's own metamethod, unless it is a string too.
    if !matches!(b, Value::String(_)) {
        if let Some(mt) = vm.metatable(b) {
            let name = vm.new_string(event.as_bytes())?;
            let handler = vm.raw_get(mt, name);
            if !handler.is_nil() {
                let result = vm.call_value1(handler, &[a, b])?;
                return vm.return1(result);
            }
        }
    }
    let message = format!(
        "attempt to {} a '{}' with a '{}'",
        &event[2..],
        a.type_name(),
        b.type_name()
    );
    Err(vm.library_error(message))
}

macro_rules! string_arith_functions {
    ($($name:ident => $op:ident, $event:literal;)*) => {$(
        fn $name(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
            string_arith(vm, args, ArithOp::$op, $event)
        }
    )*};
}

string_arith_functions! {
    add => Add, "__add";
    sub_ => Sub, "__sub";
    mul => Mul, "__mul";
    mod_ => Mod, "__mod";
    pow => Pow, "__pow";
    div => Div, "__div";
    idiv => IDiv, "__idiv";
    unm => Unm, "__unm";
}
