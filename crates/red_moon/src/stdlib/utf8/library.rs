//! The `utf8` table (manual §6.5): thin wrappers around the pure [`codec`] engine that read
//! the arguments, charge fuel for the bytes walked and turn codec errors into Lua errors.
//!
//! Fuel: every function charges about one unit per 16 bytes it may walk (`len`, `offset`,
//! the `codes` iterator) or one unit per value it produces (`char`, `codepoint`), so a
//! script cannot make the library scan large strings for free.

use super::codec::{self, Utf8Error};
use crate::interpreter::native::{Args, Builtin, Outcome};
use crate::interpreter::value::Value;
use crate::interpreter::{LuaError, LuaResult, Vm};
use crate::stdlib::library;

pub(crate) static FUNCTIONS: &[Builtin] = library!("utf8",
    "char" => char,
    "codepoint" => codepoint,
    "len" => len,
    "offset" => offset,
);

/// `utf8.codes`, registered apart: its two iterators are its upvalues.
pub(crate) static CODES: Builtin = Builtin {
    id: "utf8.codes",
    name: "codes",
    function: codes,
};

/// The iterator `utf8.codes(s)` returns (strict decoding).
pub(crate) static NEXT_STRICT: Builtin = Builtin {
    id: "utf8.codes.next_strict",
    name: "next_strict",
    function: next_strict,
};

/// The iterator `utf8.codes(s, true)` returns (lax decoding).
pub(crate) static NEXT_LAX: Builtin = Builtin {
    id: "utf8.codes.next_lax",
    name: "next_lax",
    function: next_lax,
};

/// Upvalue slots of `utf8.codes`.
const STRICT_ITERATOR: usize = 0;
const LAX_ITERATOR: usize = 1;

/// Bytes walked per unit of fuel.
const BYTES_PER_FUEL: i64 = 16;

impl Vm {
    pub(crate) fn open_utf8(&mut self) -> LuaResult<()> {
        let utf8 = self.new_table(0, 8)?;
        self.register_functions(utf8, FUNCTIONS)?;
        // Like PUC's light C functions, each iterator is one function value for the whole
        // VM, so `utf8.codes(a) == utf8.codes(b)` holds as it does in lua5.4.
        let strict = self.new_native(&NEXT_STRICT, Vec::new())?;
        let lax = self.new_native(&NEXT_LAX, Vec::new())?;
        let codes = self.new_native(&CODES, vec![strict, lax])?;
        self.raw_set_str(utf8, "codes", codes)?;
        let pattern = self.new_string(codec::CHARPATTERN)?;
        self.raw_set_str(utf8, "charpattern", pattern)?;
        self.register_library("utf8", utf8)
    }

    /// The Lua error for a codec failure: argument errors name the function like
    /// `luaL_argerror`, the others are `luaL_error` messages.
    fn utf8_error(&mut self, args: Args, error: Utf8Error) -> LuaError {
        match error {
            Utf8Error::Argument { position, message } => {
                self.arg_error(args, usize::from(position), message)
            }
            other => self.library_error(other.to_string()),
        }
    }

    /// Charges fuel for walking `bytes` bytes of a string.
    fn charge_walk(&mut self, bytes: i64) -> LuaResult<()> {
        self.charge_fuel(bytes.max(0) / BYTES_PER_FUEL)
    }
}

/// Lua's `u_posrelat`, needed here only to size the walk for fuel: negative positions count
/// from the end, positions before the start become 0.
fn relative_position(position: i64, len: usize) -> i64 {
    let len = i64::try_from(len).unwrap_or(i64::MAX);
    match position {
        p if p >= 0 => p,
        p if p.unsigned_abs() > len.unsigned_abs() => 0,
        p => len + p + 1,
    }
}

fn length_of(s: &[u8]) -> i64 {
    i64::try_from(s.len()).unwrap_or(i64::MAX)
}

fn char(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    vm.charge_fuel(i64::try_from(args.count).unwrap_or(i64::MAX))?;
    let mut bytes = Vec::with_capacity(args.count);
    for n in 1..=args.count {
        let code = vm.check_integer(args, n)?;
        let position = u8::try_from(n).unwrap_or(u8::MAX);
        if let Err(error) = codec::encode_checked(code, position, &mut bytes) {
            // The codec's position saturates; the argument number must not.
            let message = error.to_string();
            return Err(vm.arg_error(args, n, message));
        }
    }
    vm.return_string(&bytes)
}

fn codepoint(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let s = vm.check_string(args, 1)?;
    let i = vm.opt_integer(args, 2, 1)?;
    let j = match vm.arg(args, 3) {
        Value::Nil => None,
        _ => Some(vm.check_integer(args, 3)?),
    };
    let lax = vm.arg(args, 4).is_truthy();
    let span = match codec::codepoint_span(s.len(), i, j) {
        Ok(Some(span)) => span,
        Ok(None) => return Ok(Outcome::Return(0)),
        Err(error) => return Err(vm.utf8_error(args, error)),
    };
    let most = span.1.saturating_sub(span.0);
    if vm.thread.top.saturating_add(most) > vm.limits.stack_slots {
        return Err(vm.library_error("stack overflow (string slice too long)"));
    }
    vm.charge_fuel(i64::try_from(most).unwrap_or(i64::MAX))?;
    let values = codec::codepoints(&s, span, lax).map_err(|error| vm.utf8_error(args, error))?;
    vm.ensure_stack(vm.thread.top + values.len())?;
    for &value in &values {
        vm.push(Value::Integer(i64::from(value)))?;
    }
    Ok(Outcome::Return(values.len()))
}

fn len(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let s = vm.check_string(args, 1)?;
    let i = vm.opt_integer(args, 2, 1)?;
    let j = vm.opt_integer(args, 3, -1)?;
    let lax = vm.arg(args, 4).is_truthy();
    let walk = relative_position(j, s.len()).min(length_of(&s)) - relative_position(i, s.len());
    match codec::len(&s, i, j, lax) {
        Ok(Ok(count)) => {
            vm.charge_walk(walk)?;
            vm.return1(Value::Integer(count))
        }
        Ok(Err(position)) => {
            vm.charge_walk(walk)?;
            vm.return_values(&[Value::Nil, Value::Integer(position)])
        }
        Err(error) => Err(vm.utf8_error(args, error)),
    }
}

fn offset(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let s = vm.check_string(args, 1)?;
    let n = vm.check_integer(args, 2)?;
    let i = match vm.arg(args, 3) {
        Value::Nil => None,
        _ => Some(vm.check_integer(args, 3)?),
    };
    let result = codec::offset(&s, n, i).map_err(|error| vm.utf8_error(args, error))?;
    // The walk went from the start position to the result, or to the end of the string in
    // the direction of `n` when there was no such character.
    let default_start = if n >= 0 { 1 } else { length_of(&s) + 1 };
    let start = relative_position(i.unwrap_or(default_start), s.len());
    let end = match result {
        Some(position) => position,
        None if n >= 0 => length_of(&s) + 1,
        None => 1,
    };
    vm.charge_walk(end.saturating_sub(start).saturating_abs())?;
    match result {
        Some(position) => vm.return1(Value::Integer(position)),
        None => vm.return1(Value::Nil),
    }
}

fn codes(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let lax = vm.arg(args, 2).is_truthy();
    vm.check_string_id(args, 1)?;
    let subject = vm.arg(args, 1);
    let slot = if lax { LAX_ITERATOR } else { STRICT_ITERATOR };
    let iterator = vm.native_upvalue(args.callee, slot);
    vm.return_values(&[iterator, subject, Value::Integer(0)])
}

fn next_strict(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    next_code(vm, args, false)
}

fn next_lax(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    next_code(vm, args, true)
}

/// One step of a `utf8.codes` loop: the position and code point of the next character.
fn next_code(vm: &mut Vm, args: Args, lax: bool) -> LuaResult<Outcome> {
    let s = vm.check_string(args, 1)?;
    // `lua_tointeger`: anything that is not an integral number counts as 0.
    let control = vm
        .to_number(vm.arg(args, 2))
        .and_then(|number| number.to_integer_exact())
        .unwrap_or(0);
    match codec::codes_next(&s, control, lax) {
        Ok(Some((position, code))) => {
            vm.charge_walk(position.saturating_sub(control))?;
            vm.return_values(&[Value::Integer(position), Value::Integer(i64::from(code))])
        }
        Ok(None) => {
            vm.charge_walk(length_of(&s).saturating_sub(control))?;
            Ok(Outcome::Return(0))
        }
        Err(error) => Err(vm.utf8_error(args, error)),
    }
}

#[cfg(test)]
mod tests {
    use crate::interpreter::Vm;

    /// Fuel spent running `code` (which must succeed).
    fn fuel_spent(code: &str) -> i64 {
        let mut vm = Vm::default();
        let mut ctx = vm.context();
        ctx.set_fuel(100_000_000);
        let before = ctx.fuel();
        let result = ctx.exec::<()>(code.as_bytes(), "=test");
        assert!(result.is_ok(), "{code}: {:?}", result.err());
        before - ctx.fuel()
    }

    const BIG: &str = "local s = string.rep('\\u{20AC}', 400000) ";
    /// 1,200,000 continuation bytes.
    const CONTINUATIONS: &str = "local c = string.rep('\\x80', 1200000) ";

    /// Fuel spent by `walk` after `setup`.
    fn walk_cost(setup: &str, walk: &str) -> i64 {
        fuel_spent(&format!("{setup}{walk}")) - fuel_spent(setup)
    }

    #[test]
    fn walking_a_string_costs_fuel() {
        let bytes: i64 = 1_200_000;
        for walk in [
            "utf8.len(s)",
            "utf8.offset(s, -400000)",
            "utf8.offset(s, 400001)",
            "for _ in utf8.codes(s) do end",
        ] {
            let spent = walk_cost(BIG, walk);
            assert!(spent >= bytes / 16, "{walk}: {spent}");
        }
        // One step of the iterator over a long run of continuation bytes.
        let spent = walk_cost(CONTINUATIONS, "utf8.codes(c)(c, 0)");
        assert!(spent >= bytes / 16, "codes step: {spent}");
        let spent = walk_cost(BIG, "utf8.codepoint(s, 1, 30000)");
        assert!(spent >= 30_000, "codepoint: {spent}");
    }

    #[test]
    fn short_walks_in_long_strings_are_cheap() {
        for walk in ["utf8.offset(s, 2, 600001)", "utf8.len(s, 600001, 600003)"] {
            let spent = walk_cost(BIG, walk);
            assert!(spent < 100, "{walk}: {spent}");
        }
    }
}
