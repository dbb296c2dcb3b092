//! Expression descriptors and how their values get into registers (PUC's `expdesc` and the
//! `discharge`/`exp2*` family of `lcode.c`).

use super::instructions::set_destination;
use super::limits::{immediate, is_field_key, load_immediate};
use super::{FunctionBuilder, Generated};
use crate::bytecode::{Constant, Instruction};
use crate::languages::lua::constant_folding::{float_to_integer, Number};
use crate::languages::lua::token::LuaString;

pub use super::jumps::JumpList;

pub use super::limits::{MAX_KEY_CONSTANT, MAX_VALUE_CONSTANT};

/// Where an expression's value is, or how to get it.
#[derive(Clone, Debug)]
pub enum ExpKind {
    /// No value (an empty expression list).
    Void,
    Nil,
    True,
    False,
    /// `K[index]`
    Constant(u32),
    Float(f64),
    Integer(i64),
    /// A string literal (already in the constant table at this index).
    String(u32),
    /// In this register, which must not be changed (PUC's `VNONRELOC`).
    Register(u8),
    /// A local variable.
    Local(u8),
    Upvalue(u8),
    /// `R[table][R[key]]`
    Indexed {
        table: u8,
        key: u8,
    },
    /// `U[upvalue][K[key]]` (a string key)
    IndexedUpvalue {
        upvalue: u8,
        key: u32,
    },
    /// `R[table][index]`
    IndexedInteger {
        table: u8,
        index: u8,
    },
    /// `R[table][K[key]]` (a string key)
    IndexedString {
        table: u8,
        key: u32,
    },
    /// A comparison whose jump is at this index.
    Jump(usize),
    /// Computed by the instruction at this index, whose destination is still free.
    Relocatable(usize),
    /// The call at this index (open: its result count can change).
    Call(usize),
    /// The `VarArg` at this index.
    Vararg(usize),
}

/// An expression being compiled: its value and the jumps taken when it is true or false.
#[derive(Clone, Debug)]
pub struct ExpDesc {
    pub kind: ExpKind,
    /// Jumps taken when the expression is true (their destination produces the value).
    pub true_jumps: JumpList,
    /// Jumps taken when the expression is false.
    pub false_jumps: JumpList,
}

impl ExpDesc {
    pub fn new(kind: ExpKind) -> Self {
        Self {
            kind,
            true_jumps: JumpList::EMPTY,
            false_jumps: JumpList::EMPTY,
        }
    }

    pub fn has_jumps(&self) -> bool {
        !self.true_jumps.is_empty() || !self.false_jumps.is_empty()
    }

    /// The register of a value that sits in a fixed register.
    pub fn fixed_register(&self) -> Option<u8> {
        match self.kind {
            ExpKind::Register(register) => Some(register),
            _ => None,
        }
    }

    /// The value of a numeric literal without jumps (PUC's `tonumeral`).
    pub fn numeral(&self) -> Option<Number> {
        if self.has_jumps() {
            return None;
        }
        match self.kind {
            ExpKind::Integer(value) => Some(Number::Integer(value)),
            ExpKind::Float(value) => Some(Number::Float(value)),
            _ => None,
        }
    }

    /// An integer literal without jumps.
    pub fn integer(&self) -> Option<i64> {
        match (self.has_jumps(), &self.kind) {
            (false, ExpKind::Integer(value)) => Some(*value),
            _ => None,
        }
    }

    /// A number fitting an immediate operand, and whether it was a float (PUC's
    /// `isSCnumber`).
    pub fn immediate_number(&self) -> Option<(i16, bool)> {
        if self.has_jumps() {
            return None;
        }
        let (value, is_float) = match self.kind {
            ExpKind::Integer(value) => (value, false),
            ExpKind::Float(value) => (float_to_integer(value)?, true),
            _ => return None,
        };
        immediate(value).map(|value| (value, is_float))
    }

    /// Whether the expression can produce any number of values.
    pub fn is_multiple_results(&self) -> bool {
        matches!(self.kind, ExpKind::Call(_) | ExpKind::Vararg(_))
    }

    pub fn is_indexed(&self) -> bool {
        matches!(
            self.kind,
            ExpKind::Indexed { .. }
                | ExpKind::IndexedUpvalue { .. }
                | ExpKind::IndexedInteger { .. }
                | ExpKind::IndexedString { .. }
        )
    }
}

impl FunctionBuilder<'_> {
    pub(super) fn constant_index(&mut self, constant: Constant) -> u32 {
        self.constants.index_of(constant)
    }

    pub(super) fn string_constant(&mut self, value: &LuaString) -> u32 {
        self.constant_index(Constant::String(value.clone()))
    }

    /// Whether `K[index]` is a string usable as a field key.
    fn is_field_key_constant(&self, index: u32) -> bool {
        matches!(self.constants.get(index), Some(Constant::String(key)) if is_field_key(key))
    }

    /// `R[register] = nil` for `count` registers, merged into the previous `LoadNil` when
    /// their ranges touch.
    pub(super) fn load_nil(&mut self, from: usize, count: usize) {
        let last = from + count - 1;
        if let Some(Instruction::LoadNil {
            dst,
            count: previous_count,
        }) = self.previous_instruction()
        {
            let previous_from = usize::from(*dst);
            let previous_last = previous_from + usize::from(*previous_count) - 1;
            if (previous_from <= from && from <= previous_last + 1)
                || (from <= previous_from && previous_from <= last + 1)
            {
                let merged_from = previous_from.min(from);
                let merged_last = previous_last.max(last);
                *dst = merged_from as u8;
                *previous_count = (merged_last - merged_from + 1) as u8;
                return;
            }
        }
        self.emit(Instruction::LoadNil {
            dst: from as u8,
            count: count as u8,
        });
    }

    pub(super) fn load_integer(&mut self, register: u8, value: i64) {
        match load_immediate(value) {
            Some(value) => self.emit(Instruction::LoadInteger {
                dst: register,
                value,
            }),
            None => {
                let constant = self.constant_index(Constant::Integer(value));
                self.emit(Instruction::LoadConstant {
                    dst: register,
                    constant,
                })
            }
        };
    }

    fn load_float(&mut self, register: u8, value: f64) {
        let small = float_to_integer(value)
            .and_then(load_immediate)
            .filter(|_| value.to_bits() != (-0.0f64).to_bits());
        match small {
            Some(value) => self.emit(Instruction::LoadFloat {
                dst: register,
                value,
            }),
            None => {
                let constant = self.constant_index(Constant::Float(value));
                self.emit(Instruction::LoadConstant {
                    dst: register,
                    constant,
                })
            }
        };
    }

    /// Turns variables into values: reads locals, upvalues and fields (PUC's
    /// `luaK_dischargevars`).
    pub(super) fn discharge_variables(&mut self, expression: &mut ExpDesc) {
        let kind = match expression.kind {
            ExpKind::Local(register) => ExpKind::Register(register),
            ExpKind::Upvalue(upvalue) => {
                ExpKind::Relocatable(self.emit(Instruction::GetUpvalue { dst: 0, upvalue }))
            }
            ExpKind::IndexedUpvalue { upvalue, key } => {
                ExpKind::Relocatable(self.emit(Instruction::GetTableUpvalue {
                    dst: 0,
                    upvalue,
                    key: key as u16,
                }))
            }
            ExpKind::IndexedInteger { table, index } => {
                self.free_register(table);
                ExpKind::Relocatable(self.emit(Instruction::GetIndex {
                    dst: 0,
                    table,
                    index,
                }))
            }
            ExpKind::IndexedString { table, key } => {
                self.free_register(table);
                ExpKind::Relocatable(self.emit(Instruction::GetField {
                    dst: 0,
                    table,
                    key: key as u16,
                }))
            }
            ExpKind::Indexed { table, key } => {
                self.free_registers(Some(table), Some(key));
                ExpKind::Relocatable(self.emit(Instruction::GetTable { dst: 0, table, key }))
            }
            ExpKind::Call(_) | ExpKind::Vararg(_) => {
                self.set_one_result(expression);
                return;
            }
            _ => return,
        };
        expression.kind = kind;
    }

    /// Makes a call or `...` produce exactly one value.
    pub(super) fn set_one_result(&mut self, expression: &mut ExpDesc) {
        match expression.kind {
            ExpKind::Call(pc) => {
                if let Some(Instruction::Call { func, .. }) = self.code.get(pc) {
                    expression.kind = ExpKind::Register(*func);
                }
            }
            ExpKind::Vararg(pc) => {
                if let Some(Instruction::VarArg { count_plus_one, .. }) = self.code.get_mut(pc) {
                    *count_plus_one = 2;
                }
                expression.kind = ExpKind::Relocatable(pc);
            }
            _ => {}
        }
    }

    /// Makes a call or `...` produce `count` values (`None`: all of them).
    pub(super) fn set_returns(
        &mut self,
        expression: &ExpDesc,
        count: Option<usize>,
    ) -> Generated<()> {
        let count_plus_one = count.map_or(0, |count| (count + 1) as u8);
        match expression.kind {
            ExpKind::Call(pc) => {
                if let Some(Instruction::Call {
                    results_plus_one, ..
                }) = self.code.get_mut(pc)
                {
                    *results_plus_one = count_plus_one;
                }
            }
            ExpKind::Vararg(pc) => {
                let register = self.free_register_operand();
                if let Some(Instruction::VarArg {
                    dst,
                    count_plus_one: count,
                }) = self.code.get_mut(pc)
                {
                    *dst = register;
                    *count = count_plus_one;
                }
                self.reserve_registers(1)?;
            }
            _ => {}
        }
        Ok(())
    }

    /// Puts the value (ignoring jump lists) in `register`.
    fn discharge_to_register(&mut self, expression: &mut ExpDesc, register: u8) {
        self.discharge_variables(expression);
        match &expression.kind {
            ExpKind::Nil => self.load_nil(usize::from(register), 1),
            ExpKind::False => {
                self.emit(Instruction::LoadBoolean {
                    dst: register,
                    value: false,
                });
            }
            ExpKind::True => {
                self.emit(Instruction::LoadBoolean {
                    dst: register,
                    value: true,
                });
            }
            ExpKind::Constant(constant) | ExpKind::String(constant) => {
                self.emit(Instruction::LoadConstant {
                    dst: register,
                    constant: *constant,
                });
            }
            ExpKind::Float(value) => self.load_float(register, *value),
            ExpKind::Integer(value) => self.load_integer(register, *value),
            ExpKind::Relocatable(pc) => {
                let pc = *pc;
                if let Some(instruction) = self.code.get_mut(pc) {
                    set_destination(instruction, register);
                }
            }
            ExpKind::Register(source) => {
                if *source != register {
                    let src = *source;
                    self.emit(Instruction::Move { dst: register, src });
                }
            }
            _ => return, // a comparison: its jumps produce the value
        }
        expression.kind = ExpKind::Register(register);
    }

    /// Puts the value (ignoring jump lists) in some register.
    pub(super) fn discharge_to_any_register(&mut self, expression: &mut ExpDesc) -> Generated<()> {
        if !matches!(expression.kind, ExpKind::Register(_)) {
            self.reserve_registers(1)?;
            let register = self.free_register_operand() - 1;
            self.discharge_to_register(expression, register);
        }
        Ok(())
    }

    /// Puts the final value, including what its jump lists produce, in `register` (PUC's
    /// `exp2reg`).
    pub(super) fn expression_to_register(
        &mut self,
        expression: &mut ExpDesc,
        register: u8,
    ) -> Generated<()> {
        self.discharge_to_register(expression, register);
        if let ExpKind::Jump(pc) = expression.kind {
            self.push_jump(&mut expression.true_jumps, pc)?;
        }
        if expression.has_jumps() {
            let mut load_false = None;
            let mut load_true = None;
            if self.need_value(expression.true_jumps) || self.need_value(expression.false_jumps) {
                let skip = if matches!(expression.kind, ExpKind::Jump(_)) {
                    None
                } else {
                    Some(self.jump())
                };
                load_false =
                    Some(self.code_load_boolean(Instruction::LoadFalseSkip { dst: register }));
                load_true = Some(self.code_load_boolean(Instruction::LoadBoolean {
                    dst: register,
                    value: true,
                }));
                if let Some(skip) = skip {
                    self.patch_to_here(JumpList::single(skip))?;
                }
            }
            let end = self.mark_label();
            let false_jumps = expression.false_jumps.take();
            let true_jumps = expression.true_jumps.take();
            self.patch_list_with_values(
                false_jumps,
                end,
                Some(register),
                load_false.unwrap_or(end),
            )?;
            self.patch_list_with_values(true_jumps, end, Some(register), load_true.unwrap_or(end))?;
        }
        expression.true_jumps = JumpList::EMPTY;
        expression.false_jumps = JumpList::EMPTY;
        expression.kind = ExpKind::Register(register);
        Ok(())
    }

    /// Emits a boolean load that a jump may target.
    fn code_load_boolean(&mut self, instruction: Instruction) -> usize {
        self.mark_label();
        self.emit(instruction)
    }

    /// Puts the final value in the next free register (PUC's `luaK_exp2nextreg`).
    pub(super) fn expression_to_next_register(
        &mut self,
        expression: &mut ExpDesc,
    ) -> Generated<()> {
        self.discharge_variables(expression);
        self.free_expression(expression);
        self.reserve_registers(1)?;
        let register = self.free_register_operand() - 1;
        self.expression_to_register(expression, register)
    }

    /// Puts the final value in some register and returns it (PUC's `luaK_exp2anyreg`).
    pub(super) fn expression_to_any_register(&mut self, expression: &mut ExpDesc) -> Generated<u8> {
        self.discharge_variables(expression);
        if let ExpKind::Register(register) = expression.kind {
            if !expression.has_jumps() {
                return Ok(register);
            }
            if usize::from(register) >= self.locals_level {
                self.expression_to_register(expression, register)?;
                return Ok(register);
            }
            // A local cannot receive the values of the jumps: use a new register.
        }
        self.expression_to_next_register(expression)?;
        Ok(expression.fixed_register().unwrap_or(0))
    }

    /// Puts the final value in a register, unless it is an upvalue without jumps.
    pub(super) fn expression_to_register_or_upvalue(
        &mut self,
        expression: &mut ExpDesc,
    ) -> Generated<()> {
        if !matches!(expression.kind, ExpKind::Upvalue(_)) || expression.has_jumps() {
            self.expression_to_any_register(expression)?;
        }
        Ok(())
    }

    /// Puts the final value in a register, unless it is a constant or a register already.
    pub(super) fn expression_to_value(&mut self, expression: &mut ExpDesc) -> Generated<()> {
        if expression.has_jumps() {
            self.expression_to_any_register(expression)?;
        } else {
            self.discharge_variables(expression);
        }
        Ok(())
    }

    /// Makes a constant without jumps a `K[index]` operand if its index is at most `limit`
    /// (PUC's `luaK_exp2K`); the constant enters the table even when it does not fit.
    pub(super) fn expression_to_constant(&mut self, expression: &mut ExpDesc, limit: u32) -> bool {
        if expression.has_jumps() {
            return false;
        }
        let index = match &expression.kind {
            ExpKind::True => self.constant_index(Constant::Boolean(true)),
            ExpKind::False => self.constant_index(Constant::Boolean(false)),
            ExpKind::Nil => self.constant_index(Constant::Nil),
            ExpKind::Integer(value) => self.constant_index(Constant::Integer(*value)),
            ExpKind::Float(value) => self.constant_index(Constant::Float(*value)),
            ExpKind::Constant(index) | ExpKind::String(index) => *index,
            _ => return false,
        };
        if index <= limit {
            expression.kind = ExpKind::Constant(index);
            true
        } else {
            false
        }
    }

    /// Makes the value a constant operand (up to `limit`) or puts it in a register; returns
    /// the operand and whether it is a constant.
    pub(super) fn expression_to_operand(
        &mut self,
        expression: &mut ExpDesc,
        limit: u32,
    ) -> Generated<(u32, bool)> {
        if self.expression_to_constant(expression, limit) {
            if let ExpKind::Constant(index) = expression.kind {
                return Ok((index, true));
            }
        }
        let register = self.expression_to_any_register(expression)?;
        Ok((u32::from(register), false))
    }

    /// Stores `value` into the variable `target` (PUC's `luaK_storevar`).
    pub(super) fn store_variable(
        &mut self,
        target: &ExpDesc,
        value: &mut ExpDesc,
    ) -> Generated<()> {
        match target.kind {
            ExpKind::Local(register) => {
                self.free_expression(value);
                return self.expression_to_register(value, register);
            }
            ExpKind::Upvalue(upvalue) => {
                let src = self.expression_to_any_register(value)?;
                self.emit(Instruction::SetUpvalue { src, upvalue });
            }
            ExpKind::IndexedUpvalue { upvalue, key } => {
                let (value_operand, value_is_constant) =
                    self.expression_to_operand(value, MAX_VALUE_CONSTANT)?;
                self.emit(Instruction::SetTableUpvalue {
                    upvalue,
                    key: key as u16,
                    value: value_operand as u8,
                    value_is_constant,
                });
            }
            ExpKind::IndexedInteger { table, index } => {
                let (value_operand, value_is_constant) =
                    self.expression_to_operand(value, MAX_VALUE_CONSTANT)?;
                self.emit(Instruction::SetIndex {
                    table,
                    index,
                    value: value_operand as u8,
                    value_is_constant,
                });
            }
            ExpKind::IndexedString { table, key } => {
                let (value_operand, value_is_constant) =
                    self.expression_to_operand(value, MAX_VALUE_CONSTANT)?;
                self.emit(Instruction::SetField {
                    table,
                    key: key as u16,
                    value: value_operand as u8,
                    value_is_constant,
                });
            }
            ExpKind::Indexed { table, key } => {
                let (value_operand, value_is_constant) =
                    self.expression_to_operand(value, MAX_VALUE_CONSTANT)?;
                self.emit(Instruction::SetTable {
                    table,
                    key,
                    value: value_operand as u8,
                    value_is_constant,
                });
            }
            _ => debug_assert!(false, "not a variable: {target:?}"),
        }
        self.free_expression(value);
        Ok(())
    }

    /// `object:name` before a method call: puts the method and `object` in two new registers
    /// (PUC's `luaK_self`).
    pub(super) fn self_method(&mut self, object: &mut ExpDesc, name: &LuaString) -> Generated<()> {
        let object_register = self.expression_to_any_register(object)?;
        self.free_expression(object);
        let base = self.free_register_operand();
        object.kind = ExpKind::Register(base);
        self.reserve_registers(2)?;
        let key = self.string_constant(name);
        if key <= MAX_KEY_CONSTANT {
            self.emit(Instruction::SelfMethod {
                dst: base,
                object: object_register,
                key: key as u16,
            });
            return Ok(());
        }
        // Too many constants for a key operand: look the method up with a register key.
        self.emit(Instruction::Move {
            dst: base + 1,
            src: object_register,
        });
        self.reserve_registers(1)?;
        self.emit(Instruction::LoadConstant {
            dst: base + 2,
            constant: key,
        });
        self.emit(Instruction::GetTable {
            dst: base,
            table: base + 1,
            key: base + 2,
        });
        self.free_register(base + 2);
        Ok(())
    }

    /// Turns `table` into the variable `table[key]` (PUC's `luaK_indexed`). `table` must be a
    /// local, a register or an upvalue.
    pub(super) fn indexed(&mut self, table: &mut ExpDesc, key: &mut ExpDesc) -> Generated<()> {
        if let ExpKind::String(index) = key.kind {
            key.kind = ExpKind::Constant(index);
        }
        let string_key = match key.kind {
            ExpKind::Constant(index)
                if !key.has_jumps()
                    && index <= MAX_KEY_CONSTANT
                    && self.is_field_key_constant(index) =>
            {
                Some(index)
            }
            _ => None,
        };
        if matches!(table.kind, ExpKind::Upvalue(_)) && string_key.is_none() {
            self.expression_to_any_register(table)?;
        }
        table.kind = match (&table.kind, string_key) {
            (ExpKind::Upvalue(upvalue), Some(key)) => ExpKind::IndexedUpvalue {
                upvalue: *upvalue,
                key,
            },
            (ExpKind::Local(register) | ExpKind::Register(register), _) => {
                let table = *register;
                if let Some(key) = string_key {
                    ExpKind::IndexedString { table, key }
                } else if let Some(index) = key.integer().and_then(|value| u8::try_from(value).ok())
                {
                    ExpKind::IndexedInteger { table, index }
                } else {
                    let key = self.expression_to_any_register(key)?;
                    ExpKind::Indexed { table, key }
                }
            }
            _ => {
                debug_assert!(false, "cannot index {table:?}");
                return Ok(());
            }
        };
        Ok(())
    }
}
