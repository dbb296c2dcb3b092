//! `string.format`, `string.pack`, `string.unpack` and `string.packsize`: the VM side of the
//! `format` and `pack` engines (argument access and error reporting).

use super::format::{self, FormatArguments, FormatError, Literal};
use super::pack::{self, PackArguments, PackError, UnpackResults, Unpacked};
use crate::interpreter::native::{Args, Outcome};
use crate::interpreter::value::Value;
use crate::interpreter::{LuaError, LuaResult, Vm};
use crate::numbers::Number;
use std::borrow::Cow;

/// Longest string these functions build without an explicit memory limit.
const MAX_RESULT: usize = i32::MAX as usize;

/// An error from an engine or from the VM while it serves the engine.
enum EngineError<E> {
    Lua(LuaError),
    Engine(E),
}

impl From<FormatError> for EngineError<FormatError> {
    fn from(error: FormatError) -> Self {
        EngineError::Engine(error)
    }
}

impl From<PackError> for EngineError<PackError> {
    fn from(error: PackError) -> Self {
        EngineError::Engine(error)
    }
}

/// The three kinds of engine error, shared by `format` and `pack`.
enum EngineFailure {
    Message(Vec<u8>),
    Argument(usize, Vec<u8>),
    TooLarge,
}

impl From<FormatError> for EngineFailure {
    fn from(error: FormatError) -> Self {
        match error {
            FormatError::Message(m) => EngineFailure::Message(m),
            FormatError::Argument { position, message } => {
                EngineFailure::Argument(position, message)
            }
            FormatError::OutputTooLarge => EngineFailure::TooLarge,
        }
    }
}

impl From<PackError> for EngineFailure {
    fn from(error: PackError) -> Self {
        match error {
            PackError::Message(m) => EngineFailure::Message(m),
            PackError::Argument { position, message } => EngineFailure::Argument(position, message),
            PackError::OutputTooLarge => EngineFailure::TooLarge,
        }
    }
}

impl Vm {
    fn engine_error<E: Into<EngineFailure>>(
        &mut self,
        args: Args,
        error: EngineError<E>,
    ) -> LuaError {
        match error {
            EngineError::Lua(e) => e,
            EngineError::Engine(e) => match e.into() {
                EngineFailure::Message(m) => self.library_error(m),
                EngineFailure::Argument(position, message) => {
                    self.arg_error(args, position, String::from_utf8_lossy(&message))
                }
                EngineFailure::TooLarge => self.library_error("resulting string too large"),
            },
        }
    }

    fn max_result_length(&self) -> usize {
        MAX_RESULT.min(self.limits.memory.saturating_sub(self.heap.allocated))
    }
}

/// Argument access for the engines.
struct Arguments<'vm> {
    vm: &'vm mut Vm,
    args: Args,
}

impl Arguments<'_> {
    fn number(&mut self, position: usize) -> LuaResult<Number> {
        self.vm.check_number(self.args, position)
    }

    fn string(&mut self, position: usize) -> LuaResult<Cow<'static, [u8]>> {
        let bytes = self.vm.check_string(self.args, position)?;
        Ok(Cow::Owned(bytes.to_vec()))
    }
}

impl FormatArguments for Arguments<'_> {
    type Error = EngineError<FormatError>;

    fn argument_count(&self) -> usize {
        self.args.count
    }

    fn number(&mut self, position: usize) -> Result<Number, Self::Error> {
        Arguments::number(self, position).map_err(EngineError::Lua)
    }

    fn string(&mut self, position: usize) -> Result<Cow<'_, [u8]>, Self::Error> {
        let value = self.vm.arg(self.args, position);
        let text = self.vm.display_string(value).map_err(EngineError::Lua)?;
        match text {
            Value::String(s) => Ok(Cow::Owned(self.vm.string_bytes(s).to_vec())),
            _ => Ok(Cow::Borrowed(b"")),
        }
    }

    fn literal(&mut self, position: usize) -> Result<Literal<'_>, Self::Error> {
        Ok(match self.vm.arg(self.args, position) {
            Value::Nil => Literal::Nil,
            Value::Boolean(b) => Literal::Boolean(b),
            Value::Integer(i) => Literal::Integer(i),
            Value::Float(f) => Literal::Float(f),
            Value::String(s) => Literal::String(Cow::Owned(self.vm.string_bytes(s).to_vec())),
            _ => Literal::NoLiteral,
        })
    }

    fn pointer(&mut self, position: usize) -> Result<Option<u64>, Self::Error> {
        let value = self.vm.arg(self.args, position);
        let address = self.vm.object_address(value);
        Ok((address != 0).then_some(address))
    }
}

impl PackArguments for Arguments<'_> {
    type Error = EngineError<PackError>;

    fn number(&mut self, position: usize) -> Result<Number, Self::Error> {
        if position == self.args.count + 1 {
            // PUC's `str_pack` leaves a nil marker right after the arguments.
            return Err(EngineError::Lua(self.vm.arg_error(
                self.args,
                position,
                "number expected, got nil",
            )));
        }
        Arguments::number(self, position).map_err(EngineError::Lua)
    }

    fn string(&mut self, position: usize) -> Result<Cow<'_, [u8]>, Self::Error> {
        if position == self.args.count + 1 {
            return Err(EngineError::Lua(self.vm.arg_error(
                self.args,
                position,
                "string expected, got nil",
            )));
        }
        Arguments::string(self, position).map_err(EngineError::Lua)
    }
}

pub(crate) fn format(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let fmt = vm.check_string(args, 1)?;
    let max = vm.max_result_length();
    let mut out = Vec::new();
    let result = {
        let mut arguments = Arguments { vm: &mut *vm, args };
        format::format(&fmt, &mut arguments, max, &mut out)
    };
    if let Err(error) = result {
        return Err(vm.engine_error(args, error));
    }
    vm.charge_fuel(out.len() as i64 / 16 + args.count as i64)?;
    vm.return_string(&out)
}

pub(crate) fn pack(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let fmt = vm.check_string(args, 1)?;
    let max = vm.max_result_length();
    let mut out = Vec::new();
    let result = {
        let mut arguments = Arguments { vm: &mut *vm, args };
        pack::pack(&fmt, &mut arguments, max, &mut out)
    };
    if let Err(error) = result {
        return Err(vm.engine_error(args, error));
    }
    vm.charge_fuel(out.len() as i64 / 16 + args.count as i64)?;
    vm.return_string(&out)
}

pub(crate) fn packsize(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let fmt = vm.check_string(args, 1)?;
    match pack::packsize(&fmt) {
        Ok(size) => vm.return1(Value::Integer(size)),
        Err(error) => Err(vm.engine_error(args, EngineError::Engine(error))),
    }
}

/// Collects `string.unpack` results on the stack.
struct StackResults<'vm> {
    vm: &'vm mut Vm,
    count: usize,
}

impl UnpackResults for StackResults<'_> {
    type Error = EngineError<PackError>;

    fn push(&mut self, value: Unpacked<'_>) -> Result<(), Self::Error> {
        let value = match value {
            Unpacked::Integer(i) => Value::Integer(i),
            Unpacked::Float(f) => Value::Float(f),
            Unpacked::String(bytes) => self.vm.new_string(bytes).map_err(EngineError::Lua)?,
        };
        self.vm.charge_fuel(1).map_err(EngineError::Lua)?;
        self.vm.push(value).map_err(EngineError::Lua)?;
        self.count += 1;
        Ok(())
    }
}

pub(crate) fn unpack(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let fmt = vm.check_string(args, 1)?;
    let data = vm.check_string(args, 2)?;
    let init = vm.opt_integer(args, 3, 1)?;
    let result = {
        let mut results = StackResults {
            vm: &mut *vm,
            count: 0,
        };
        pack::unpack(&fmt, &data, init, &mut results).map(|next| (next, results.count))
    };
    match result {
        Ok((next, count)) => {
            vm.push(Value::Integer(next))?;
            Ok(Outcome::Return(count + 1))
        }
        Err(error) => Err(vm.engine_error(args, error)),
    }
}
