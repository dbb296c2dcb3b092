//! The os library (manual §6.9).
//!
//! Two parts: the time functions (`clock`, `date`, `difftime`, `time`) read the VM's
//! [`TimeSource`](super::TimeSource) and are safe for untrusted scripts; the rest
//! (`execute`, `exit`, `getenv`, `remove`, `rename`, `setlocale`, `tmpname`, in
//! `super::host`) reach the host and only `open_all` installs them.

use super::date::{self, DateError, DateField, DateFields, DateOutput, DateTime};
use crate::interpreter::heap::TableId;
use crate::interpreter::native::{Args, Builtin, Outcome};
use crate::interpreter::value::Value;
use crate::interpreter::{LuaResult, Vm};
use crate::stdlib::library;

/// The time functions: what untrusted scripts get.
pub(crate) static SAFE_FUNCTIONS: &[Builtin] = library!("os",
    "clock" => clock,
    "date" => date,
    "difftime" => difftime,
    "time" => time,
);

impl Vm {
    /// Installs the `os` table with the time functions only.
    pub(crate) fn open_os_time(&mut self) -> LuaResult<()> {
        let os = self.os_table()?;
        self.register_functions(os, SAFE_FUNCTIONS)
    }

    /// Adds the functions that reach the host to the `os` table.
    pub(crate) fn open_os_host(&mut self) -> LuaResult<()> {
        let os = self.os_table()?;
        self.register_functions(os, super::host::FUNCTIONS)
    }

    /// The `os` library table, created (and registered) if it does not exist yet.
    fn os_table(&mut self) -> LuaResult<TableId> {
        let loaded = self.loaded;
        if let Value::Table(os) = self.raw_get_str(loaded, "os")? {
            return Ok(os);
        }
        let os = self.new_table(0, 12)?;
        self.register_library("os", os)?;
        Ok(os)
    }
}

fn clock(vm: &mut Vm, _args: Args) -> LuaResult<Outcome> {
    let seconds = vm.processor_clock();
    vm.return1(Value::Float(seconds))
}

/// `os.date([format [, time]])`.
fn date(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let format = vm.opt_string(args, 1)?;
    let format = format.as_deref().unwrap_or(b"%c");
    let time = if vm.arg(args, 2).is_nil() {
        vm.current_time()
    } else {
        vm.check_integer(args, 2)?
    };
    vm.charge_fuel(1 + format.len() as i64 / 16)?;
    let zone = vm.local_zone();
    match date::os_date(format, time, &zone) {
        Ok(DateOutput::Text(text)) => {
            vm.charge_fuel(text.len() as i64 / 16)?;
            vm.return_string(&text)
        }
        Ok(DateOutput::Table(fields)) => {
            let table = vm.new_table(0, 9)?;
            set_date_fields(vm, Value::Table(table), &fields)?;
            vm.return1(Value::Table(table))
        }
        Err(error @ DateError::InvalidConversion(_)) => {
            Err(vm.arg_error(args, 1, error.to_string()))
        }
        Err(error) => Err(vm.library_error(error.to_string())),
    }
}

/// Stores the fields of a broken-down time in `table` as `*t` tables have them (through
/// metamethods, as PUC's `lua_setfield`).
fn set_date_fields(vm: &mut Vm, table: Value, fields: &DateTime) -> LuaResult<()> {
    for (name, value) in fields.table_fields() {
        let key = vm.new_string(name.as_bytes())?;
        vm.set_index_nested(table, key, Value::Integer(value))?;
    }
    let key = vm.new_string(b"isdst")?;
    vm.set_index_nested(table, key, Value::Boolean(fields.isdst))
}

/// `os.time([table])`: the current time, or the time a date table describes (whose fields
/// are then normalized in place).
fn time(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    if vm.arg(args, 1).is_nil() {
        let now = vm.current_time();
        return vm.return1(Value::Integer(now));
    }
    let table = Value::Table(vm.check_table(args, 1)?);
    let fields = read_date_fields(vm, table)?;
    let zone = vm.local_zone();
    match date::time_from_fields(&fields, &zone) {
        Ok((time, normalized)) => {
            set_date_fields(vm, table, &normalized)?;
            vm.return1(Value::Integer(time))
        }
        Err(error) => {
            if error == DateError::TimeNotRepresentable && describes_minus_one(&fields, &zone) {
                // PUC cannot tell the time -1 from mktime's failure, but has already written
                // the normalized fields back.
                if let Ok(normalized) = date::broken_down(-1, &zone) {
                    set_date_fields(vm, table, &normalized)?;
                }
            }
            Err(vm.library_error(error.to_string()))
        }
    }
}

/// Whether the fields are those of the time -1 (one second later is the epoch).
fn describes_minus_one(fields: &DateFields, zone: &date::Zone) -> bool {
    let next = DateFields {
        sec: fields.sec.saturating_add(1),
        ..*fields
    };
    matches!(date::time_from_fields(&next, zone), Ok((0, _)))
}

/// Reads a date table's fields in PUC's order, with its checks and messages.
fn read_date_fields(vm: &mut Vm, table: Value) -> LuaResult<DateFields> {
    let mut values = [0i64; 6];
    for (slot, field) in values.iter_mut().zip(DateField::ALL) {
        let key = vm.new_string(field.name().as_bytes())?;
        let value = vm.index_nested(table, key)?;
        let integer = vm.to_number(value).and_then(|n| n.to_integer_exact());
        *slot = match (integer, value.is_nil(), field.default_value()) {
            (Some(integer), _, _) => match field.check(integer) {
                Ok(()) => integer,
                Err(error) => return Err(vm.library_error(error.to_string())),
            },
            (None, false, _) => {
                let error = DateError::FieldNotInteger(field.name());
                return Err(vm.library_error(error.to_string()));
            }
            (None, true, Some(default)) => default,
            (None, true, None) => {
                let error = DateError::FieldMissing(field.name());
                return Err(vm.library_error(error.to_string()));
            }
        };
    }
    let key = vm.new_string(b"isdst")?;
    let isdst = vm.index_nested(table, key)?;
    let [year, month, day, hour, min, sec] = values;
    Ok(DateFields {
        year,
        month,
        day,
        hour,
        min,
        sec,
        isdst: (!isdst.is_nil()).then(|| isdst.is_truthy()),
    })
}

/// `os.difftime(t2, t1)`.
fn difftime(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let t1 = vm.check_integer(args, 1)?;
    let t2 = vm.check_integer(args, 2)?;
    vm.return1(Value::Float(date::difftime(t1, t2)))
}
