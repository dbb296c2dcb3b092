//! Comparison operators: `==` (with `__eq`), `<` (`__lt`) and `<=` (`__le`).

use super::call::Step;
use crate::interpreter::metamethod::Event;
use crate::interpreter::thread::ReturnTo;
use crate::interpreter::value::Value;
use crate::interpreter::{LuaResult, Vm};
use crate::numbers;
use std::cmp::Ordering;

/// Exact numeric ordering of two numbers (integers and floats mixed), `None` when a NaN is
/// involved or either value is not a number.
#[inline]
pub(crate) fn compare_numbers(a: Value, b: Value) -> Option<Ordering> {
    match (a, b) {
        (Value::Integer(x), Value::Integer(y)) => Some(x.cmp(&y)),
        (Value::Float(x), Value::Float(y)) => x.partial_cmp(&y),
        (Value::Integer(i), Value::Float(f)) => compare_int_float(i, f),
        (Value::Float(f), Value::Integer(i)) => compare_int_float(i, f).map(Ordering::reverse),
        _ => None,
    }
}

fn compare_int_float(i: i64, f: f64) -> Option<Ordering> {
    if f.is_nan() {
        None
    } else if numbers::lt_int_float(i, f) {
        Some(Ordering::Less)
    } else if numbers::eq_int_float(i, f) {
        Some(Ordering::Equal)
    } else {
        Some(Ordering::Greater)
    }
}

fn is_number(v: Value) -> bool {
    matches!(v, Value::Integer(_) | Value::Float(_))
}

/// Equality decided without metamethods, or `None` when `__eq` must be consulted (two
/// distinct tables or two distinct userdata).
/// Takes references for the reason given at `arith::arith_fast`.
#[inline]
pub(crate) fn equals_fast(a: &Value, b: &Value) -> Option<bool> {
    match (a, b) {
        (Value::Table(x), Value::Table(y)) if x != y => None,
        (Value::UserData(x), Value::UserData(y)) if x != y => None,
        _ => Some(a.raw_equals(*b)),
    }
}

/// Which ordering operator.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Order {
    Less,
    LessEqual,
}

impl Order {
    fn event(self) -> Event {
        match self {
            Order::Less => Event::Lt,
            Order::LessEqual => Event::Le,
        }
    }

    fn holds(self, ordering: Ordering) -> bool {
        match self {
            Order::Less => ordering == Ordering::Less,
            Order::LessEqual => ordering != Ordering::Greater,
        }
    }
}

impl Vm {
    /// `Eq` with possible `__eq`: the decision is applied to the running frame's saved pc.
    pub(crate) fn equals_slow(
        &mut self,
        a: Value,
        b: Value,
        expect: bool,
        frame_top: usize,
    ) -> LuaResult<Step> {
        let handler = self.eq_handler(a, b);
        if handler.is_nil() {
            self.decide_jump(false, expect)?;
            return Ok(Step::Same);
        }
        let return_to = ReturnTo::Condition {
            expect,
            negate: false,
        };
        self.call_metamethod(handler, &[a, b], return_to, frame_top)
    }

    fn eq_handler(&self, a: Value, b: Value) -> Value {
        let handler = self.metamethod(a, Event::Eq);
        if handler.is_nil() {
            self.metamethod(b, Event::Eq)
        } else {
            handler
        }
    }

    /// `==` from Rust code (natives): metamethods through a nested call.
    pub(crate) fn equals_nested(&mut self, a: Value, b: Value) -> LuaResult<bool> {
        if let Some(result) = equals_fast(&a, &b) {
            return Ok(result);
        }
        let handler = self.eq_handler(a, b);
        if handler.is_nil() {
            return Ok(false);
        }
        Ok(self.call_value1(handler, &[a, b])?.is_truthy())
    }

    pub(crate) fn less_than(
        &mut self,
        a: Value,
        b: Value,
        expect: bool,
        frame_top: usize,
    ) -> LuaResult<Step> {
        self.order(Order::Less, a, b, expect, frame_top)
    }

    pub(crate) fn less_equal(
        &mut self,
        a: Value,
        b: Value,
        expect: bool,
        frame_top: usize,
    ) -> LuaResult<Step> {
        self.order(Order::LessEqual, a, b, expect, frame_top)
    }

    fn order(
        &mut self,
        order: Order,
        a: Value,
        b: Value,
        expect: bool,
        frame_top: usize,
    ) -> LuaResult<Step> {
        if let Some(result) = self.order_primitive(order, a, b) {
            self.decide_jump(result, expect)?;
            return Ok(Step::Same);
        }
        let (handler, swapped) = self.order_handler(order, a, b)?;
        let (args, negate) = if swapped {
            ([b, a], true)
        } else {
            ([a, b], false)
        };
        self.call_metamethod(
            handler,
            &args,
            ReturnTo::Condition { expect, negate },
            frame_top,
        )
    }

    /// Ordering of numbers and of strings (byte-wise, as `strcmp` in the C locale).
    fn order_primitive(&self, order: Order, a: Value, b: Value) -> Option<bool> {
        if is_number(a) && is_number(b) {
            return Some(compare_numbers(a, b).is_some_and(|o| order.holds(o)));
        }
        if let (Value::String(x), Value::String(y)) = (a, b) {
            let ordering = self.string_bytes(x).cmp(self.string_bytes(y));
            return Some(order.holds(ordering));
        }
        None
    }

    /// The metamethod deciding `a < b` or `a <= b`. Without `__le`, `a <= b` is computed as
    /// `not (b < a)` (Lua 5.3 compatibility, which Debian's lua5.4 keeps): `swapped` says so.
    fn order_handler(&mut self, order: Order, a: Value, b: Value) -> LuaResult<(Value, bool)> {
        let mut handler = self.metamethod(a, order.event());
        if handler.is_nil() {
            handler = self.metamethod(b, order.event());
        }
        if !handler.is_nil() {
            return Ok((handler, false));
        }
        if order == Order::LessEqual {
            let mut lt = self.metamethod(b, Event::Lt);
            if lt.is_nil() {
                lt = self.metamethod(a, Event::Lt);
            }
            if !lt.is_nil() {
                return Ok((lt, true));
            }
        }
        Err(self.compare_error(a, b))
    }

    /// `<` / `<=` from Rust code (natives such as `table.sort`).
    pub(crate) fn less_than_nested(&mut self, a: Value, b: Value) -> LuaResult<bool> {
        self.order_nested(Order::Less, a, b)
    }

    fn order_nested(&mut self, order: Order, a: Value, b: Value) -> LuaResult<bool> {
        if let Some(result) = self.order_primitive(order, a, b) {
            return Ok(result);
        }
        let (handler, swapped) = self.order_handler(order, a, b)?;
        if swapped {
            return Ok(!self.call_value1(handler, &[b, a])?.is_truthy());
        }
        Ok(self.call_value1(handler, &[a, b])?.is_truthy())
    }

    fn compare_error(&mut self, a: Value, b: Value) -> crate::interpreter::LuaError {
        let t1 = self.type_name_with_meta(a);
        let t2 = self.type_name_with_meta(b);
        if t1 == t2 {
            self.runtime_error(format!("attempt to compare two {t1} values"))
        } else {
            self.runtime_error(format!("attempt to compare {t1} with {t2}"))
        }
    }
}
