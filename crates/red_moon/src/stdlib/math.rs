//! The math library (manual §6.7). Transcendental functions come from the `libm` crate so
//! every platform computes the same bits; `random` is xoshiro256** exactly as Lua 5.4, with
//! its state inside the VM.

use super::library;
use crate::interpreter::native::{Args, Builtin, Outcome};
use crate::interpreter::value::Value;
use crate::interpreter::{LuaResult, Vm};
use crate::numbers::{self, FloatToIntegerMode, Number};

pub(crate) static FUNCTIONS: &[Builtin] = library!("math",
    "abs" => abs,
    "acos" => acos,
    "asin" => asin,
    "atan" => atan,
    "ceil" => ceil,
    "cos" => cos,
    "deg" => deg,
    "exp" => exp,
    "floor" => floor,
    "fmod" => fmod,
    "log" => log,
    "max" => max,
    "min" => min,
    "modf" => modf,
    "rad" => rad,
    "random" => random,
    "randomseed" => randomseed,
    "sin" => sin,
    "sqrt" => sqrt,
    "tan" => tan,
    "tointeger" => tointeger,
    "type" => type_,
    "ult" => ult,
);

/// Functions Lua 5.4 keeps for 5.3 compatibility (`LUA_COMPAT_MATHLIB`), present in
/// Debian's `lua5.4`.
pub(crate) static COMPATIBILITY_FUNCTIONS: &[Builtin] = library!("math",
    "atan2" => atan,
    "cosh" => cosh,
    "frexp" => frexp,
    "ldexp" => ldexp,
    "log10" => log10,
    "pow" => pow,
    "sinh" => sinh,
    "tanh" => tanh,
);

/// xoshiro256** state (Lua 5.4's `math.random` generator).
#[derive(serde::Serialize, serde::Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct RandomState {
    pub(crate) s: [u64; 4],
}

impl RandomState {
    /// The state `math.randomseed(n1, n2)` produces.
    pub fn seeded(n1: i64, n2: i64) -> Self {
        let mut state = RandomState {
            s: [n1 as u64, 0xff, n2 as u64, 0],
        };
        for _ in 0..16 {
            state.next();
        }
        state
    }

    pub(crate) fn next(&mut self) -> u64 {
        let s = &mut self.s;
        let result = s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    /// Projects a random value into `[0, n]` without bias, as 5.4's `project` does.
    fn project(&mut self, mut random: u64, n: u64) -> u64 {
        if n & n.wrapping_add(1) == 0 {
            return random & n;
        }
        let mut limit = n;
        limit |= limit >> 1;
        limit |= limit >> 2;
        limit |= limit >> 4;
        limit |= limit >> 8;
        limit |= limit >> 16;
        limit |= limit >> 32;
        loop {
            random &= limit;
            if random <= n {
                return random;
            }
            random = self.next();
        }
    }
}

impl Default for RandomState {
    fn default() -> Self {
        RandomState::seeded(0, 0)
    }
}

impl Vm {
    pub(crate) fn open_math(&mut self) -> LuaResult<()> {
        let math = self.new_table(0, 32)?;
        self.register_functions(math, FUNCTIONS)?;
        self.register_functions(math, COMPATIBILITY_FUNCTIONS)?;
        self.raw_set_str(math, "pi", Value::Float(std::f64::consts::PI))?;
        self.raw_set_str(math, "huge", Value::Float(f64::INFINITY))?;
        self.raw_set_str(math, "maxinteger", Value::Integer(i64::MAX))?;
        self.raw_set_str(math, "mininteger", Value::Integer(i64::MIN))?;
        self.register_library("math", math)
    }
}

/// Float functions of one argument.
macro_rules! float_function {
    ($($name:ident => $f:expr;)*) => {$(
        fn $name(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
            let x = vm.check_float(args, 1)?;
            let f: fn(f64) -> f64 = $f;
            vm.return1(Value::Float(f(x)))
        }
    )*};
}

float_function! {
    acos => libm::acos;
    asin => libm::asin;
    cos => libm::cos;
    exp => libm::exp;
    sin => libm::sin;
    sqrt => libm::sqrt;
    tan => libm::tan;
    cosh => libm::cosh;
    sinh => libm::sinh;
    tanh => libm::tanh;
    log10 => libm::log10;
    deg => |x| x * (180.0 / std::f64::consts::PI);
    rad => |x| x * (std::f64::consts::PI / 180.0);
}

fn abs(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    if let Value::Integer(i) = vm.arg(args, 1) {
        return vm.return1(Value::Integer(i.wrapping_abs()));
    }
    let f = vm.check_float(args, 1)?;
    vm.return1(Value::Float(f.abs()))
}

fn pow(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let x = vm.check_float(args, 1)?;
    let y = vm.check_float(args, 2)?;
    vm.return1(Value::Float(libm::pow(x, y)))
}

fn frexp(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let x = vm.check_float(args, 1)?;
    let (mantissa, exponent) = libm::frexp(x);
    vm.return_values(&[Value::Float(mantissa), Value::Integer(exponent as i64)])
}

fn ldexp(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let x = vm.check_float(args, 1)?;
    let exponent = vm
        .check_integer(args, 2)?
        .clamp(i32::MIN as i64, i32::MAX as i64) as i32;
    vm.return1(Value::Float(libm::ldexp(x, exponent)))
}

fn atan(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let y = vm.check_float(args, 1)?;
    let x = vm.opt_float(args, 2, 1.0)?;
    vm.return1(Value::Float(libm::atan2(y, x)))
}

/// `floor`/`ceil`: integers stay; floats are rounded and become integers when they fit.
fn round_with(vm: &mut Vm, args: Args, mode: FloatToIntegerMode) -> LuaResult<Outcome> {
    if let Value::Integer(i) = vm.arg(args, 1) {
        return vm.return1(Value::Integer(i));
    }
    let f = vm.check_float(args, 1)?;
    let rounded = match mode {
        FloatToIntegerMode::Ceil => libm::ceil(f),
        _ => libm::floor(f),
    };
    vm.return1(float_or_integer(rounded))
}

fn ceil(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    round_with(vm, args, FloatToIntegerMode::Ceil)
}

fn floor(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    round_with(vm, args, FloatToIntegerMode::Floor)
}

fn fmod(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    if let (Value::Integer(x), Value::Integer(y)) = (vm.arg(args, 1), vm.arg(args, 2)) {
        if y == 0 {
            return Err(vm.arg_error(args, 2, "zero"));
        }
        // C semantics (truncated); -1 is special-cased to avoid overflow.
        return vm.return1(Value::Integer(if y == -1 { 0 } else { x % y }));
    }
    // GCC evaluates PUC's `fmod(luaL_checknumber(L, 1), luaL_checknumber(L, 2))` right to
    // left, so the second argument is checked first.
    let b = vm.check_float(args, 2)?;
    let a = vm.check_float(args, 1)?;
    vm.return1(Value::Float(libm::fmod(a, b)))
}

fn log(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let x = vm.check_float(args, 1)?;
    let result = if vm.arg(args, 2).is_nil() {
        libm::log(x)
    } else {
        let base = vm.check_float(args, 2)?;
        if base == 2.0 {
            libm::log2(x)
        } else if base == 10.0 {
            libm::log10(x)
        } else {
            libm::log(x) / libm::log(base)
        }
    };
    vm.return1(Value::Float(result))
}

/// `max`/`min`: the extreme argument by Lua's `<` (the argument itself is returned, and
/// arguments are compared as they are, exactly like PUC's `lua_compare` loop).
fn extreme(vm: &mut Vm, args: Args, want_max: bool) -> LuaResult<Outcome> {
    if args.count == 0 {
        return Err(vm.arg_error(args, 1, "value expected"));
    }
    let mut best_index = 1;
    for n in 2..=args.count {
        let (best, candidate) = (vm.arg(args, best_index), vm.arg(args, n));
        let better = if want_max {
            vm.less_than_nested(best, candidate)?
        } else {
            vm.less_than_nested(candidate, best)?
        };
        if better {
            best_index = n;
        }
    }
    let value = vm.arg(args, best_index);
    vm.return1(value)
}

fn max(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    extreme(vm, args, true)
}

fn min(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    extreme(vm, args, false)
}

fn modf(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    if let Value::Integer(i) = vm.arg(args, 1) {
        return vm.return_values(&[Value::Integer(i), Value::Float(0.0)]);
    }
    let f = vm.check_float(args, 1)?;
    // Integral part rounds toward zero; the fraction test also covers infinities.
    let whole = if f < 0.0 {
        libm::ceil(f)
    } else {
        libm::floor(f)
    };
    let fraction = if f == whole { 0.0 } else { f - whole };
    let integral = float_or_integer(whole);
    vm.return_values(&[integral, Value::Float(fraction)])
}

/// PUC's `pushnumint`: an integral float as an integer when it fits.
fn float_or_integer(f: f64) -> Value {
    numbers::float_to_integer(f, FloatToIntegerMode::Exact).map_or(Value::Float(f), Value::Integer)
}

fn random(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let value = vm.random.next();
    let (low, high) = match args.count {
        0 => {
            let f = (value >> 11) as f64 * (0.5 / (1u64 << 52) as f64);
            return vm.return1(Value::Float(f));
        }
        1 => {
            let high = vm.check_integer(args, 1)?;
            if high == 0 {
                return vm.return1(Value::Integer(value as i64));
            }
            (1, high)
        }
        2 => (vm.check_integer(args, 1)?, vm.check_integer(args, 2)?),
        _ => return Err(vm.library_error("wrong number of arguments")),
    };
    if low > high {
        return Err(vm.arg_error(args, 1, "interval is empty"));
    }
    let span = (high as u64).wrapping_sub(low as u64);
    let projected = vm.random.project(value, span);
    vm.return1(Value::Integer(projected.wrapping_add(low as u64) as i64))
}

fn randomseed(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let (n1, n2) = if vm.has_arg(args, 1) {
        (vm.check_integer(args, 1)?, vm.opt_integer(args, 2, 0)?)
    } else {
        vm.next_default_seed()
    };
    vm.random = RandomState::seeded(n1, n2);
    vm.return_values(&[Value::Integer(n1), Value::Integer(n2)])
}

fn tointeger(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let result = match vm.arg(args, 1) {
        Value::Integer(i) => Value::Integer(i),
        Value::Float(f) => numbers::float_to_integer(f, FloatToIntegerMode::Exact)
            .map_or(Value::Nil, Value::Integer),
        Value::String(s) => {
            match numbers::parse_number(vm.string_bytes(s)).and_then(Number::to_integer_exact) {
                Some(i) => Value::Integer(i),
                None => Value::Nil,
            }
        }
        _ => {
            vm.check_any(args, 1)?;
            Value::Nil
        }
    };
    vm.return1(result)
}

fn type_(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let name = match vm.check_any(args, 1)? {
        Value::Integer(_) => "integer",
        Value::Float(_) => "float",
        _ => return vm.return1(Value::Nil),
    };
    vm.return_string(name.as_bytes())
}

fn ult(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let a = vm.check_integer(args, 1)?;
    let b = vm.check_integer(args, 2)?;
    vm.return1(Value::Boolean((a as u64) < (b as u64)))
}

#[cfg(test)]
mod tests {
    use super::RandomState;

    #[test]
    fn xoshiro_matches_lua_5_4() {
        // lua5.4 -e 'math.randomseed(42); print(math.random(0), math.random(0))'
        let mut state = RandomState::seeded(42, 0);
        assert_eq!(state.next() as i64, -1276290044721465627);
        assert_eq!(state.next() as i64, 8333941968102511665);
    }
}
