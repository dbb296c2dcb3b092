//! Compiling expressions of the syntax tree into [`ExpDesc`]s.

use super::expression::{ExpDesc, ExpKind};
use super::{FunctionBuilder, Generated};
use crate::bytecode::Instruction;
use crate::languages::lua::ast::{
    BinaryChain, CallArguments, Environment, Expr, ExprKind, ExprList, FieldKind, Function, Global,
    Suffix, Suffixed, TableConstructor,
};

/// Values a constructor accumulates in registers before storing them (PUC's
/// `LFIELDS_PER_FLUSH`).
const FIELDS_PER_FLUSH: usize = 50;

impl FunctionBuilder<'_> {
    /// Compiles `expression`; afterwards the current line is that of its last token.
    pub(super) fn expression(&mut self, expression: &Expr) -> Generated<ExpDesc> {
        let result = self.expression_kind(expression)?;
        self.line = expression.line;
        Ok(result)
    }

    fn expression_kind(&mut self, expression: &Expr) -> Generated<ExpDesc> {
        let kind = match &expression.kind {
            ExprKind::Nil => ExpKind::Nil,
            ExprKind::True => ExpKind::True,
            ExprKind::False => ExpKind::False,
            ExprKind::Integer(value) => ExpKind::Integer(*value),
            ExprKind::Float(value) => ExpKind::Float(*value),
            ExprKind::String(value) => ExpKind::String(self.string_constant(value)),
            ExprKind::Vararg { line_before } => {
                self.line = *line_before;
                ExpKind::Vararg(self.emit(Instruction::VarArg {
                    dst: 0,
                    count_plus_one: 2,
                }))
            }
            ExprKind::Function(function) => return self.closure(function),
            ExprKind::Table(table) => return self.table(table),
            ExprKind::Local(register) => ExpKind::Local(*register),
            ExprKind::Upvalue(index) => ExpKind::Upvalue(*index),
            ExprKind::Global(global) => return self.global(global),
            ExprKind::Parenthesized(inner) => {
                let mut value = self.expression(inner)?;
                self.line = expression.line;
                self.discharge_variables(&mut value);
                return Ok(value);
            }
            ExprKind::Suffixed(suffixed) => return self.suffixed(suffixed),
            ExprKind::Unary(unary) => {
                let mut operand = self.expression(&unary.operand)?;
                self.prefix(unary.operator, &mut operand, unary.line)?;
                return Ok(operand);
            }
            ExprKind::Binary(chain) => return self.binary_chain(chain),
        };
        Ok(ExpDesc::new(kind))
    }

    /// `first op1 operand1 op2 operand2 ...`, from left to right.
    #[inline(never)]
    fn binary_chain(&mut self, chain: &BinaryChain) -> Generated<ExpDesc> {
        let mut accumulated = self.expression(&chain.first)?;
        for step in &chain.rest {
            self.line = step.line;
            self.infix(step.operator, &mut accumulated)?;
            let operand = self.expression(&step.operand)?;
            self.postfix(step.operator, &mut accumulated, operand, step.line)?;
        }
        Ok(accumulated)
    }

    /// A global variable: a field of `_ENV`.
    #[inline(never)]
    fn global(&mut self, global: &Global) -> Generated<ExpDesc> {
        let mut environment = match &global.environment {
            Environment::Local(register) => ExpDesc::new(ExpKind::Local(*register)),
            Environment::Upvalue(index) => ExpDesc::new(ExpKind::Upvalue(*index)),
            Environment::Constant(value) => self.expression(value)?,
        };
        self.expression_to_register_or_upvalue(&mut environment)?;
        let mut key = ExpDesc::new(ExpKind::String(self.string_constant(&global.name)));
        self.indexed(&mut environment, &mut key)?;
        Ok(environment)
    }

    /// A nested function, created in the next register.
    #[inline(never)]
    pub(super) fn closure(&mut self, function: &Function) -> Generated<ExpDesc> {
        let proto = FunctionBuilder::compile(self.context, function)?;
        let index = self.protos.len() as u32;
        self.protos.push(proto);
        self.line = function.end_line;
        let pc = self.emit(Instruction::Closure {
            dst: 0,
            proto: index,
        });
        let mut value = ExpDesc::new(ExpKind::Relocatable(pc));
        self.expression_to_next_register(&mut value)?;
        Ok(value)
    }

    /// A primary expression followed by fields, indices and calls.
    #[inline(never)]
    fn suffixed(&mut self, suffixed: &Suffixed) -> Generated<ExpDesc> {
        let mut value = self.expression(&suffixed.primary)?;
        for suffix in &suffixed.suffixes {
            match suffix {
                Suffix::Field { name, line } => {
                    self.expression_to_register_or_upvalue(&mut value)?;
                    self.line = *line;
                    let mut key = ExpDesc::new(ExpKind::String(self.string_constant(name)));
                    self.indexed(&mut value, &mut key)?;
                }
                Suffix::Index(index) => {
                    self.expression_to_register_or_upvalue(&mut value)?;
                    let mut key = self.expression(&index.key)?;
                    self.expression_to_value(&mut key)?;
                    self.line = index.close_line;
                    self.indexed(&mut value, &mut key)?;
                }
                Suffix::Method(method) => {
                    self.line = method.line;
                    self.self_method(&mut value, &method.name)?;
                    self.call(&mut value, &method.arguments, suffixed.call_line)?;
                }
                Suffix::Call(arguments) => {
                    self.expression_to_next_register(&mut value)?;
                    self.call(&mut value, arguments, suffixed.call_line)?;
                }
            }
        }
        Ok(value)
    }

    /// Compiles the arguments of a call to the function in register `function.fixed_register()`
    /// and emits the call (PUC's `funcargs`).
    #[inline(never)]
    fn call(
        &mut self,
        function: &mut ExpDesc,
        arguments: &CallArguments,
        line: u32,
    ) -> Generated<()> {
        let mut last = match arguments {
            CallArguments::List { values, close_line } => {
                let mut last = self.expression_list(values)?;
                if last.is_multiple_results() {
                    self.set_returns(&last, None)?;
                }
                self.line = *close_line;
                if values.expressions.is_empty() {
                    last = ExpDesc::new(ExpKind::Void);
                }
                last
            }
            CallArguments::Table(table) => self.table(table)?,
            CallArguments::String { value, line } => {
                self.line = *line;
                ExpDesc::new(ExpKind::String(self.string_constant(value)))
            }
        };
        let base = function.fixed_register().unwrap_or(0);
        let args_plus_one = if last.is_multiple_results() {
            0
        } else {
            if !matches!(last.kind, ExpKind::Void) {
                self.expression_to_next_register(&mut last)?;
            }
            (self.free_register - usize::from(base)) as u8
        };
        let pc = self.emit(Instruction::Call {
            func: base,
            args_plus_one,
            results_plus_one: 2,
        });
        self.fix_line(line);
        function.kind = ExpKind::Call(pc);
        self.free_register = usize::from(base) + 1;
        Ok(())
    }

    /// Compiles a list of expressions, each but the last into the next register; returns the
    /// last one (`Void` for an empty list).
    #[inline(never)]
    pub(super) fn expression_list(&mut self, list: &ExprList) -> Generated<ExpDesc> {
        let mut last = ExpDesc::new(ExpKind::Void);
        for (index, expression) in list.expressions.iter().enumerate() {
            if index > 0 {
                if let Some(&line) = list.separator_lines.get(index - 1) {
                    self.line = line;
                }
                self.expression_to_next_register(&mut last)?;
            }
            last = self.expression(expression)?;
        }
        Ok(last)
    }

    /// A table constructor, in the next register (PUC's `constructor`).
    #[inline(never)]
    fn table(&mut self, table: &TableConstructor) -> Generated<ExpDesc> {
        self.line = table.line_before;
        let new_table = self.emit(Instruction::NewTable {
            dst: 0,
            array_size: 0,
            hash_size: 0,
        });
        let table_register = self.free_register_operand();
        self.reserve_registers(1)?;
        let mut list = ListFields {
            table_register,
            stored: 0,
            pending: 0,
            last: None,
            hash_count: 0,
        };
        for (index, field) in table.fields.iter().enumerate() {
            if index > 0 {
                if let Some(previous) = table.fields.get(index - 1) {
                    self.line = previous.separator_line;
                }
            }
            self.close_list_field(&mut list)?;
            match &field.kind {
                FieldKind::Positional(value) => {
                    list.last = Some(self.expression(value)?);
                    list.pending += 1;
                }
                FieldKind::Named(named) => {
                    let saved = self.free_register;
                    list.hash_count += 1;
                    let key = ExpDesc::new(ExpKind::String(self.string_constant(&named.name)));
                    self.line = named.equals_line;
                    self.record_field(table_register, key, &named.value)?;
                    self.free_register = saved;
                }
                FieldKind::Keyed(keyed) => {
                    let saved = self.free_register;
                    let mut key = self.expression(&keyed.key)?;
                    self.expression_to_value(&mut key)?;
                    list.hash_count += 1;
                    self.line = keyed.equals_line;
                    self.record_field(table_register, key, &keyed.value)?;
                    self.free_register = saved;
                }
            }
        }
        self.line = table.close_line;
        self.last_list_field(&mut list)?;
        if let Some(Instruction::NewTable {
            dst,
            array_size,
            hash_size,
        }) = self.code.get_mut(new_table)
        {
            *dst = table_register;
            *array_size = u16::try_from(list.stored).unwrap_or(u16::MAX);
            *hash_size = u16::try_from(list.hash_count).unwrap_or(u16::MAX);
        }
        Ok(ExpDesc::new(ExpKind::Register(table_register)))
    }

    /// `table[key] = value` inside a constructor.
    #[inline(never)]
    fn record_field(
        &mut self,
        table_register: u8,
        mut key: ExpDesc,
        value: &Expr,
    ) -> Generated<()> {
        let mut target = ExpDesc::new(ExpKind::Register(table_register));
        self.indexed(&mut target, &mut key)?;
        let mut value = self.expression(value)?;
        self.store_variable(&target, &mut value)
    }

    /// Before a new field: puts the pending positional value in its register, storing the
    /// accumulated ones when there are enough (PUC's `closelistfield`).
    #[inline(never)]
    fn close_list_field(&mut self, list: &mut ListFields) -> Generated<()> {
        let Some(mut last) = list.last.take() else {
            return Ok(());
        };
        self.expression_to_next_register(&mut last)?;
        if list.pending == FIELDS_PER_FLUSH {
            self.set_list(list.table_register, list.stored, Some(list.pending));
            list.stored += list.pending;
            list.pending = 0;
        }
        Ok(())
    }

    /// After the last field: stores the remaining positional values, all results of a final
    /// call or `...` included (PUC's `lastlistfield`).
    #[inline(never)]
    fn last_list_field(&mut self, list: &mut ListFields) -> Generated<()> {
        if list.pending == 0 {
            return Ok(());
        }
        match list.last.take() {
            Some(last) if last.is_multiple_results() => {
                self.set_returns(&last, None)?;
                self.set_list(list.table_register, list.stored, None);
                list.stored += list.pending - 1;
            }
            last => {
                if let Some(mut last) = last {
                    self.expression_to_next_register(&mut last)?;
                }
                self.set_list(list.table_register, list.stored, Some(list.pending));
                list.stored += list.pending;
            }
        }
        list.pending = 0;
        Ok(())
    }

    /// `SetList` of `count` values (`None`: up to the top) after `stored` ones.
    fn set_list(&mut self, table_register: u8, stored: usize, count: Option<usize>) {
        self.emit(Instruction::SetList {
            table: table_register,
            count: count.map_or(0, |count| count as u8),
            offset: stored as u32,
        });
        self.free_register = usize::from(table_register) + 1;
    }
}

/// Positional fields of a constructor being compiled (PUC's `ConsControl`).
struct ListFields {
    table_register: u8,
    /// Values already stored in the table.
    stored: usize,
    /// Values in registers waiting to be stored (including `last`).
    pending: usize,
    /// The last positional value, not yet in a register.
    last: Option<ExpDesc>,
    /// Number of record fields.
    hash_count: usize,
}
