//! The table library (manual §6.6). Element access honours `__index`/`__newindex`/`__len`
//! like PUC 5.4; tables without a metatable take a raw fast path.

use super::library;
use crate::interpreter::metamethod::Event;
use crate::interpreter::native::{Args, Builtin, Outcome};
use crate::interpreter::value::Value;
use crate::interpreter::{LuaResult, Vm};

pub(crate) static FUNCTIONS: &[Builtin] = library!("table",
    "concat" => concat,
    "insert" => insert,
    "move" => move_,
    "pack" => pack,
    "remove" => remove,
    "sort" => sort,
    "unpack" => unpack,
);

/// Which operations a table-like argument must support (PUC's `checktab`).
#[derive(Clone, Copy)]
struct Needs {
    read: bool,
    write: bool,
    length: bool,
}

const READ: Needs = Needs {
    read: true,
    write: false,
    length: true,
};
const READ_WRITE: Needs = Needs {
    read: true,
    write: true,
    length: true,
};

impl Vm {
    pub(crate) fn open_table(&mut self) -> LuaResult<()> {
        let table = self.new_table(0, 8)?;
        self.register_functions(table, FUNCTIONS)?;
        self.register_library("table", table)
    }

    /// `t[i]` for the table library: raw for plain tables, with `__index` otherwise.
    pub(crate) fn get_element(&mut self, object: Value, i: i64) -> LuaResult<Value> {
        if let Value::Table(id) = object {
            let table = self.table(id)?;
            if table.metatable.is_none() {
                return Ok(table.get_int(i));
            }
        }
        self.index_nested(object, Value::Integer(i))
    }

    /// `t[i] = v` for the table library.
    pub(crate) fn set_element(&mut self, object: Value, i: i64, value: Value) -> LuaResult<()> {
        if let Value::Table(id) = object {
            if self.table(id)?.metatable.is_none() {
                self.raw_set(id, Value::Integer(i), value)?;
                self.write_barrier_table(id, Value::Nil, value);
                return Ok(());
            }
        }
        self.set_index_nested(object, Value::Integer(i), value)
    }

    /// `luaL_len`: `#v` with `__len`, which must give an integer.
    pub(crate) fn length_of(&mut self, value: Value) -> LuaResult<i64> {
        match self.length_nested(value)? {
            Value::Integer(i) => Ok(i),
            Value::Float(f) => crate::numbers::float_to_integer_exact(f)
                .ok_or_else(|| self.library_error("object length is not an integer")),
            _ => Err(self.library_error("object length is not an integer")),
        }
    }
}

/// PUC's `checktab`: a table, or a value whose metatable provides what is needed.
fn check_table_like(vm: &mut Vm, args: Args, n: usize, needs: Needs) -> LuaResult<Value> {
    let value = vm.arg(args, n);
    if matches!(value, Value::Table(_)) {
        return Ok(value);
    }
    if let Some(mt) = vm.metatable(value) {
        let has =
            |vm: &Vm, event: Event| !vm.raw_get(mt, Value::String(vm.events.get(event))).is_nil();
        let ok = (!needs.read || has(vm, Event::Index))
            && (!needs.write || has(vm, Event::NewIndex))
            && (!needs.length || has(vm, Event::Len));
        if ok {
            return Ok(value);
        }
    }
    Err(vm.type_error(args, n, "table"))
}

fn length_arg(vm: &mut Vm, args: Args, needs: Needs) -> LuaResult<(Value, i64)> {
    let table = check_table_like(vm, args, 1, needs)?;
    let length = vm.length_of(table)?;
    Ok((table, length))
}

fn concat(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let (table, length) = length_arg(vm, args, READ)?;
    let separator = vm
        .opt_string(args, 2)?
        .unwrap_or_else(|| std::rc::Rc::from(&b""[..]));
    let first = vm.opt_integer(args, 3, 1)?;
    let last = vm.opt_integer(args, 4, length)?;
    let mut buffer = Vec::new();
    let mut i = first;
    while i <= last {
        vm.charge_fuel(1)?;
        let value = vm.get_element(table, i)?;
        match value {
            Value::String(s) => {
                let bytes = vm.string_bytes(s).len();
                vm.reserve_memory(buffer.len() + bytes)?;
                buffer.extend_from_slice(vm.string_bytes(s));
            }
            Value::Integer(_) | Value::Float(_) => {
                crate::interpreter::execute::write_number_value(value, &mut buffer);
            }
            other => {
                let type_name = other.type_name();
                return Err(vm.library_error(format!(
                    "invalid value ({type_name}) at index {i} in table for 'concat'"
                )));
            }
        }
        if i == last {
            break;
        }
        vm.reserve_memory(buffer.len() + separator.len())?;
        buffer.extend_from_slice(&separator);
        i += 1;
    }
    vm.charge_fuel(buffer.len() as i64 / 64)?;
    vm.return_string(&buffer)
}

fn insert(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let (table, length) = length_arg(vm, args, READ_WRITE)?;
    let first_empty = length.wrapping_add(1);
    let position = match args.count {
        2 => first_empty,
        3 => {
            let position = vm.check_integer(args, 2)?;
            if (position as u64).wrapping_sub(1) >= first_empty as u64 {
                return Err(vm.arg_error(args, 2, "position out of bounds"));
            }
            let mut i = first_empty;
            while i > position {
                vm.charge_fuel(1)?;
                let value = vm.get_element(table, i - 1)?;
                vm.set_element(table, i, value)?;
                i -= 1;
            }
            position
        }
        _ => return Err(vm.library_error("wrong number of arguments to 'insert'")),
    };
    let value = vm.arg(args, args.count);
    vm.set_element(table, position, value)?;
    Ok(Outcome::Return(0))
}

fn move_(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let from = vm.check_integer(args, 2)?;
    let end = vm.check_integer(args, 3)?;
    let to = vm.check_integer(args, 4)?;
    let destination_arg = if vm.arg(args, 5).is_nil() { 1 } else { 5 };
    let source = check_table_like(
        vm,
        args,
        1,
        Needs {
            read: true,
            write: false,
            length: false,
        },
    )?;
    let destination = check_table_like(
        vm,
        args,
        destination_arg,
        Needs {
            read: false,
            write: true,
            length: false,
        },
    )?;
    if end >= from {
        if !(from > 0 || end < i64::MAX.wrapping_add(from)) {
            return Err(vm.arg_error(args, 3, "too many elements to move"));
        }
        let count = end - from + 1;
        if to > i64::MAX - count + 1 {
            return Err(vm.arg_error(args, 4, "destination wrap around"));
        }
        let same_table = destination_arg == 1 || vm.equals_nested(source, destination)?;
        let forward = to > end || to <= from || !same_table;
        for k in 0..count {
            vm.charge_fuel(1)?;
            let i = if forward { k } else { count - 1 - k };
            let value = vm.get_element(source, from + i)?;
            vm.set_element(destination, to + i, value)?;
        }
    }
    vm.return1(destination)
}

fn pack(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    vm.charge_fuel(args.count as i64)?;
    let table = vm.new_table(args.count, 1)?;
    for n in 1..=args.count {
        let value = vm.arg(args, n);
        vm.raw_set(table, Value::Integer(n as i64), value)?;
    }
    vm.raw_set_str(table, "n", Value::Integer(args.count as i64))?;
    vm.return1(Value::Table(table))
}

fn remove(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let (table, size) = length_arg(vm, args, READ_WRITE)?;
    let mut position = vm.opt_integer(args, 2, size)?;
    if position != size && (position as u64).wrapping_sub(1) > size as u64 {
        return Err(vm.arg_error(args, 1, "position out of bounds"));
    }
    let result = vm.get_element(table, position)?;
    while position < size {
        vm.charge_fuel(1)?;
        let next = vm.get_element(table, position + 1)?;
        vm.set_element(table, position, next)?;
        position += 1;
    }
    vm.set_element(table, position, Value::Nil)?;
    vm.return1(result)
}

fn unpack(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let table = vm.arg(args, 1);
    let first = vm.opt_integer(args, 2, 1)?;
    let last = if vm.arg(args, 3).is_nil() {
        vm.length_of(table)?
    } else {
        vm.check_integer(args, 3)?
    };
    if first > last {
        return Ok(Outcome::Return(0));
    }
    let count = (last as u64).wrapping_sub(first as u64);
    if count >= (i32::MAX as u64)
        || count as usize + 1 > vm.limits.stack_slots.saturating_sub(vm.thread.top)
    {
        return Err(vm.library_error("too many results to unpack"));
    }
    let count = count as usize + 1;
    vm.charge_fuel(count as i64)?;
    vm.ensure_stack(vm.thread.top + count)?;
    for k in 0..count {
        let value = vm.get_element(table, first.wrapping_add(k as i64))?;
        vm.push(value)?;
    }
    Ok(Outcome::Return(count))
}

// ----- sort: PUC's quicksort, so comparison order and "invalid order function" errors
// happen at the same points -----

/// Arrays above this size may use a pseudo-random pivot (PUC's RANLIMIT).
const RANDOM_PIVOT_LIMIT: u64 = 100;

struct Sorter {
    table: Value,
    comparator: Value,
}

impl Sorter {
    fn get(&self, vm: &mut Vm, i: u64) -> LuaResult<Value> {
        vm.get_element(self.table, i as i64)
    }

    fn set(&self, vm: &mut Vm, i: u64, value: Value) -> LuaResult<()> {
        vm.set_element(self.table, i as i64, value)
    }

    /// `a < b` in the sort's order.
    fn less(&self, vm: &mut Vm, a: Value, b: Value) -> LuaResult<bool> {
        vm.charge_fuel(1)?;
        if self.comparator.is_nil() {
            vm.less_than_nested(a, b)
        } else {
            Ok(vm.call_value1(self.comparator, &[a, b])?.is_truthy())
        }
    }

    fn swap(&self, vm: &mut Vm, i: u64, j: u64, value_i: Value, value_j: Value) -> LuaResult<()> {
        self.set(vm, i, value_j)?;
        self.set(vm, j, value_i)
    }

    /// Partitions `lo..=up` around the pivot `pivot` (stored at `up - 1`).
    fn partition(&self, vm: &mut Vm, lo: u64, up: u64, pivot: Value) -> LuaResult<u64> {
        let mut i = lo;
        let mut j = up - 1;
        loop {
            let mut value_i;
            loop {
                i += 1;
                value_i = self.get(vm, i)?;
                if !self.less(vm, value_i, pivot)? {
                    break;
                }
                if i == up - 1 {
                    return Err(vm.library_error("invalid order function for sorting"));
                }
            }
            let mut value_j;
            loop {
                j -= 1;
                value_j = self.get(vm, j)?;
                if !self.less(vm, pivot, value_j)? {
                    break;
                }
                if j < i {
                    return Err(vm.library_error("invalid order function for sorting"));
                }
            }
            if j < i {
                let last = self.get(vm, up - 1)?;
                self.swap(vm, up - 1, i, last, value_i)?;
                return Ok(i);
            }
            self.swap(vm, i, j, value_i, value_j)?;
        }
    }

    fn sort(&self, vm: &mut Vm, mut lo: u64, mut up: u64, mut salt: u64) -> LuaResult<()> {
        while lo < up {
            let value_lo = self.get(vm, lo)?;
            let value_up = self.get(vm, up)?;
            if self.less(vm, value_up, value_lo)? {
                self.swap(vm, lo, up, value_lo, value_up)?;
            }
            if up - lo == 1 {
                return Ok(());
            }
            let p = if up - lo < RANDOM_PIVOT_LIMIT || salt == 0 {
                (lo + up) / 2
            } else {
                let quarter = (up - lo) / 4;
                salt % (quarter * 2) + lo + quarter
            };
            let value_p = self.get(vm, p)?;
            let value_lo = self.get(vm, lo)?;
            if self.less(vm, value_p, value_lo)? {
                self.swap(vm, p, lo, value_p, value_lo)?;
            } else {
                let value_up = self.get(vm, up)?;
                if self.less(vm, value_up, value_p)? {
                    self.swap(vm, p, up, value_p, value_up)?;
                }
            }
            if up - lo == 2 {
                return Ok(());
            }
            let pivot = self.get(vm, p)?;
            let before_last = self.get(vm, up - 1)?;
            self.swap(vm, p, up - 1, pivot, before_last)?;
            let p = self.partition(vm, lo, up, pivot)?;
            let smaller;
            if p - lo < up - p {
                self.sort(vm, lo, p - 1, salt)?;
                smaller = p - lo;
                lo = p + 1;
            } else {
                self.sort(vm, p + 1, up, salt)?;
                smaller = up - p;
                up = p - 1;
            }
            if (up.wrapping_sub(lo)) / 128 > smaller {
                // Badly unbalanced: switch to a pseudo-random pivot. PUC uses the clock; a
                // fixed function of the bounds keeps runs reproducible.
                salt = (lo.wrapping_mul(0x9E37_79B9) ^ up.wrapping_mul(0x85EB_CA6B)) | 1;
            }
        }
        Ok(())
    }
}

fn sort(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let (table, length) = length_arg(vm, args, READ_WRITE)?;
    if length > 1 {
        if length >= i32::MAX as i64 {
            return Err(vm.arg_error(args, 1, "array too big"));
        }
        let comparator = vm.arg(args, 2);
        if !comparator.is_nil() && !comparator.is_function() {
            return Err(vm.type_error(args, 2, "function"));
        }
        let sorter = Sorter { table, comparator };
        sorter.sort(vm, 1, length as u64, 0)?;
    }
    Ok(Outcome::Return(0))
}
