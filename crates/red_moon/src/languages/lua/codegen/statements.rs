//! Compiling statements.

use super::expression::{ExpDesc, ExpKind, JumpList};
use super::{FunctionBuilder, Generated};
use crate::bytecode::Instruction;
use crate::languages::lua::ast::{
    Assignment, Block, Expr, ExprList, FunctionStatement, GenericFor, Goto, If, LocalDeclaration,
    LocalFunction, LocalStatement, NumericFor, Repeat, Return, Statement, While,
};
use crate::languages::lua::token::LuaString;

/// Name of the hidden locals holding a `for` loop's state.
const FOR_STATE: &[u8] = b"(for state)";

/// Which kind of `for` a body belongs to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum ForKind {
    Numeric,
    Generic,
}

impl FunctionBuilder<'_> {
    /// Compiles statements in order; temporaries are released after each.
    pub(super) fn statements(&mut self, statements: &[Statement]) -> Generated<()> {
        for statement in statements {
            self.statement(statement)?;
            self.free_register = self.locals_level;
        }
        Ok(())
    }

    fn statement(&mut self, statement: &Statement) -> Generated<()> {
        match statement {
            Statement::Call(call) => {
                let value = self.expression(call)?;
                if let ExpKind::Call(pc) = value.kind {
                    if let Some(Instruction::Call {
                        results_plus_one, ..
                    }) = self.code.get_mut(pc)
                    {
                        *results_plus_one = 1;
                    }
                }
                Ok(())
            }
            Statement::Assignment(assignment) => self.assignment(assignment),
            Statement::Local(local) => self.local_statement(local),
            Statement::LocalFunction(local) => self.local_function(local),
            Statement::Function(function) => self.function_statement(function),
            Statement::Do(block) => self.block(block),
            Statement::While(statement) => self.while_statement(statement),
            Statement::Repeat(statement) => self.repeat_statement(statement),
            Statement::If(statement) => self.if_statement(statement),
            Statement::NumericFor(statement) => self.numeric_for(statement),
            Statement::GenericFor(statement) => self.generic_for(statement),
            Statement::Return(statement) => self.return_statement(statement),
            Statement::Goto(goto) => self.goto(goto),
            Statement::Label(label) => {
                self.line = label.line;
                let close_from = label.needs_close.then_some(self.locals_level);
                self.place_label(label.id, close_from)
            }
        }
    }

    /// A block with its own scope.
    #[inline(never)]
    pub(super) fn block(&mut self, block: &Block) -> Generated<()> {
        let state = self.enter_block();
        self.statements(&block.statements)?;
        self.line = block.end_line;
        self.leave_block(state, block.needs_close);
        Ok(())
    }

    /// Adjusts the values of an expression list (whose last one is `last`) to `wanted`
    /// registers (PUC's `adjust_assign`).
    fn adjust_values(&mut self, wanted: usize, given: usize, mut last: ExpDesc) -> Generated<()> {
        let needed = wanted as isize - given as isize;
        if last.is_multiple_results() {
            let extra = (needed + 1).max(0) as usize;
            self.set_returns(&last, Some(extra))?;
        } else {
            if !matches!(last.kind, ExpKind::Void) {
                self.expression_to_next_register(&mut last)?;
            }
            if needed > 0 {
                self.load_nil(self.free_register, needed as usize);
            }
        }
        if needed > 0 {
            self.reserve_registers(needed as usize)
        } else {
            self.free_register = self.free_register.saturating_sub((-needed) as usize);
            Ok(())
        }
    }

    #[inline(never)]
    fn assignment(&mut self, assignment: &Assignment) -> Generated<()> {
        let mut targets: Vec<ExpDesc> = Vec::with_capacity(assignment.targets.len());
        for target in &assignment.targets {
            let target = self.expression(target)?;
            if !targets.is_empty() && !target.is_indexed() {
                self.check_conflict(&mut targets, &target)?;
            }
            targets.push(target);
        }
        let values = &assignment.values;
        let mut last = self.expression_list(values)?;
        let Some((last_target, others)) = targets.split_last() else {
            return Ok(());
        };
        if values.expressions.len() == targets.len() {
            self.set_one_result(&mut last);
            self.store_variable(last_target, &mut last)?;
        } else {
            self.adjust_values(targets.len(), values.expressions.len(), last)?;
            self.store_from_top(last_target)?;
        }
        for target in others.iter().rev() {
            self.store_from_top(target)?;
        }
        Ok(())
    }

    /// Stores the value in the last taken register into `target`.
    fn store_from_top(&mut self, target: &ExpDesc) -> Generated<()> {
        let register = self.free_register.saturating_sub(1) as u8;
        let mut value = ExpDesc::new(ExpKind::Register(register));
        self.store_variable(target, &mut value)
    }

    /// In a multiple assignment, a local or upvalue assigned after a field of a table held in
    /// it (or indexed by it) was chosen: the earlier stores must use a copy of its old value
    /// (PUC's `check_conflict`).
    fn check_conflict(&mut self, previous: &mut [ExpDesc], variable: &ExpDesc) -> Generated<()> {
        let extra = self.free_register_operand();
        let mut conflict = false;
        for target in previous.iter_mut() {
            match (&mut target.kind, &variable.kind) {
                (ExpKind::IndexedUpvalue { upvalue, key }, ExpKind::Upvalue(assigned))
                    if upvalue == assigned =>
                {
                    conflict = true;
                    let key = *key;
                    target.kind = ExpKind::IndexedString { table: extra, key };
                }
                (
                    ExpKind::IndexedString { table, .. } | ExpKind::IndexedInteger { table, .. },
                    ExpKind::Local(assigned),
                ) if table == assigned => {
                    conflict = true;
                    *table = extra;
                }
                (ExpKind::Indexed { table, key }, ExpKind::Local(assigned)) => {
                    if table == assigned {
                        conflict = true;
                        *table = extra;
                    }
                    if key == assigned {
                        conflict = true;
                        *key = extra;
                    }
                }
                _ => {}
            }
        }
        if conflict {
            match variable.kind {
                ExpKind::Local(src) => {
                    self.emit(Instruction::Move { dst: extra, src });
                }
                ExpKind::Upvalue(upvalue) => {
                    self.emit(Instruction::GetUpvalue {
                        dst: extra,
                        upvalue,
                    });
                }
                _ => {}
            }
            self.reserve_registers(1)?;
        }
        Ok(())
    }

    #[inline(never)]
    fn local_statement(&mut self, local: &LocalStatement) -> Generated<()> {
        let values = &local.values;
        if local.last_is_constant {
            // The values of the variables kept in registers were each followed by a comma.
            for (index, value) in values.expressions.iter().enumerate() {
                let mut value = self.expression(value)?;
                if let Some(&line) = values.separator_lines.get(index) {
                    self.line = line;
                }
                self.expression_to_next_register(&mut value)?;
            }
        } else {
            if values.expressions.is_empty() {
                self.line = local.names_end_line;
            }
            let last = self.expression_list(values)?;
            self.adjust_values(local.locals.len(), values.expressions.len(), last)?;
        }
        self.activate_locals(&local.locals);
        if let Some(src) = local.to_be_closed {
            self.emit(Instruction::ToBeClosed { src });
        }
        Ok(())
    }

    #[inline(never)]
    fn local_function(&mut self, local: &LocalFunction) -> Generated<()> {
        self.activate_locals(std::slice::from_ref(&local.local));
        self.closure(&local.function)?;
        // The variable is only visible to debug information after the closure exists.
        self.restart_last_local();
        Ok(())
    }

    #[inline(never)]
    fn function_statement(&mut self, statement: &FunctionStatement) -> Generated<()> {
        let target = self.expression(&statement.target)?;
        let mut value = self.closure(&statement.function)?;
        self.store_variable(&target, &mut value)?;
        self.fix_line(statement.line);
        Ok(())
    }

    /// A condition of `while` or `repeat`: jumps when false (`nil` is compiled as `false`).
    fn loop_condition(&mut self, condition: &Expr) -> Generated<JumpList> {
        let mut value = self.expression(condition)?;
        if matches!(value.kind, ExpKind::Nil) {
            value.kind = ExpKind::False;
        }
        self.go_if_true(&mut value)?;
        Ok(value.false_jumps)
    }

    #[inline(never)]
    fn while_statement(&mut self, statement: &While) -> Generated<()> {
        let start = self.mark_label();
        let exit_jumps = self.loop_condition(&statement.condition)?;
        let state = self.enter_block();
        self.block(&statement.body)?;
        self.jump_to(start)?;
        self.leave_loop(state, &statement.exit, false)?;
        self.patch_to_here(exit_jumps)
    }

    #[inline(never)]
    fn repeat_statement(&mut self, statement: &Repeat) -> Generated<()> {
        let start = self.mark_label();
        let loop_state = self.enter_block();
        let scope = self.enter_block();
        self.statements(&statement.body.statements)?;
        let mut repeat_jumps = self.loop_condition(&statement.condition)?;
        self.leave_block(scope, statement.body.needs_close);
        if statement.body.needs_close {
            // Going around again must close the iteration's variables too.
            let exit = self.jump();
            self.patch_to_here(repeat_jumps)?;
            self.emit(Instruction::Close {
                from: scope.locals_level as u8,
            });
            repeat_jumps = JumpList::single(self.jump());
            self.patch_to_here(JumpList::single(exit))?;
        }
        self.patch_list(repeat_jumps, start)?;
        self.leave_loop(loop_state, &statement.exit, false)
    }

    #[inline(never)]
    fn if_statement(&mut self, statement: &If) -> Generated<()> {
        let mut escapes = JumpList::EMPTY;
        for (index, clause) in statement.clauses.iter().enumerate() {
            let followed = index + 1 < statement.clauses.len() || statement.else_block.is_some();
            let mut condition = self.expression(&clause.condition)?;
            self.line = clause.then_line;
            let state;
            let skip;
            if let Some(break_first) = &clause.break_first {
                self.go_if_false(&mut condition)?;
                state = self.enter_block();
                let label = self.goto_target(break_first.goto);
                self.jumps_to_label(label, condition.true_jumps.take())?;
                self.line = break_first.line;
                if break_first.alone {
                    self.leave_block(state, clause.body.needs_close);
                    continue;
                }
                skip = JumpList::single(self.jump());
            } else {
                self.go_if_true(&mut condition)?;
                state = self.enter_block();
                skip = condition.false_jumps;
            }
            self.statements(&clause.body.statements)?;
            self.line = clause.body.end_line;
            self.leave_block(state, clause.body.needs_close);
            if followed {
                let escape = self.jump();
                self.push_jump(&mut escapes, escape)?;
            }
            self.patch_to_here(skip)?;
        }
        if let Some(block) = &statement.else_block {
            self.block(block)?;
        }
        self.patch_to_here(escapes)
    }

    /// The label a goto or break jumps to.
    fn goto_target(&self, goto: u32) -> u32 {
        self.function
            .goto_targets
            .get(goto as usize)
            .copied()
            .unwrap_or(u32::MAX)
    }

    #[inline(never)]
    fn goto(&mut self, goto: &Goto) -> Generated<()> {
        self.line = goto.line;
        let label = self.goto_target(goto.id);
        if self.is_label_placed(label) {
            if let Some(level) = goto.close_from {
                self.emit(Instruction::Close { from: level });
            }
        }
        let jump = self.jump();
        self.jumps_to_label(label, JumpList::single(jump))
    }

    /// The hidden state locals of a `for` loop at `base`.
    fn for_state_locals(base: u8, count: u8) -> Vec<LocalDeclaration> {
        (0..count)
            .map(|offset| LocalDeclaration {
                name: LuaString::from(FOR_STATE),
                register: base + offset,
            })
            .collect()
    }

    /// Puts an expression in the next register.
    fn expression_to_next(&mut self, expression: &Expr) -> Generated<()> {
        let mut value = self.expression(expression)?;
        self.expression_to_next_register(&mut value)
    }

    #[inline(never)]
    fn numeric_for(&mut self, statement: &NumericFor) -> Generated<()> {
        let loop_state = self.enter_block();
        self.expression_to_next(&statement.start)?;
        self.expression_to_next(&statement.limit)?;
        match &statement.step {
            Some(step) => self.expression_to_next(step)?,
            None => {
                self.load_integer(self.free_register_operand(), 1);
                self.reserve_registers(1)?;
            }
        }
        self.activate_locals(&Self::for_state_locals(statement.base, 3));
        self.for_body(
            ForKind::Numeric,
            statement.base,
            statement.do_line,
            statement.for_line,
            std::slice::from_ref(&statement.variable),
            statement.variable_needs_close,
            &statement.body,
        )?;
        self.leave_loop(loop_state, &statement.exit, false)
    }

    #[inline(never)]
    fn generic_for(&mut self, statement: &GenericFor) -> Generated<()> {
        let loop_state = self.enter_block();
        let values: &ExprList = &statement.values;
        let last = self.expression_list(values)?;
        self.adjust_values(4, values.expressions.len(), last)?;
        self.activate_locals(&Self::for_state_locals(statement.base, 4));
        // Room for the iterator call.
        self.check_stack(3)?;
        self.for_body(
            ForKind::Generic,
            statement.base,
            statement.do_line,
            statement.values_line,
            &statement.variables,
            statement.variables_need_close,
            &statement.body,
        )?;
        self.leave_loop(loop_state, &statement.exit, true)
    }

    /// `do block` of a `for`: the preparation, the body in the scope of the loop variables,
    /// and the instructions that loop back (attributed to `line`).
    #[allow(clippy::too_many_arguments)]
    #[inline(never)]
    fn for_body(
        &mut self,
        kind: ForKind,
        base: u8,
        do_line: u32,
        line: u32,
        variables: &[LocalDeclaration],
        variables_need_close: bool,
        body: &Block,
    ) -> Generated<()> {
        self.line = do_line;
        let prepare = self.emit(match kind {
            ForKind::Numeric => Instruction::ForPrep { base, offset: 0 },
            ForKind::Generic => Instruction::TForPrep { base, offset: 0 },
        });
        let state = self.enter_block();
        self.activate_locals(variables);
        self.reserve_registers(variables.len())?;
        self.block(body)?;
        self.leave_block(state, variables_need_close);
        let call = self.mark_label();
        if kind == ForKind::Generic {
            self.emit(Instruction::TForCall {
                base,
                results: variables.len() as u8,
            });
            self.fix_line(line);
        }
        let end = self.pc();
        let back = self.for_offset(prepare + 1, end + 1)?;
        self.emit(match kind {
            ForKind::Numeric => Instruction::ForLoop { base, offset: back },
            ForKind::Generic => Instruction::TForLoop { base, offset: back },
        });
        self.fix_line(line);
        let forward = match kind {
            ForKind::Numeric => self.for_offset(end + 1, prepare + 1)?,
            ForKind::Generic => self.for_offset(call, prepare + 1)?,
        };
        if let Some(Instruction::ForPrep { offset, .. } | Instruction::TForPrep { offset, .. }) =
            self.code.get_mut(prepare)
        {
            *offset = forward;
        }
        Ok(())
    }

    /// `target - from` as a jump offset.
    fn for_offset(&self, target: usize, from: usize) -> Generated<i32> {
        i32::try_from(target as i64 - from as i64)
            .map_err(|_| self.error("control structure too long"))
    }

    #[inline(never)]
    fn return_statement(&mut self, statement: &Return) -> Generated<()> {
        let mut first = self.locals_level;
        let count = if statement.values.expressions.is_empty() {
            self.line = statement.line;
            Some(0)
        } else {
            let mut last = self.expression_list(&statement.values)?;
            let count = statement.values.expressions.len();
            if last.is_multiple_results() {
                self.set_returns(&last, None)?;
                if let ExpKind::Call(pc) = last.kind {
                    if count == 1 && statement.tail_call_allowed {
                        if let Some(instruction) = self.code.get_mut(pc) {
                            if let Instruction::Call {
                                func,
                                args_plus_one,
                                ..
                            } = *instruction
                            {
                                *instruction = Instruction::TailCall {
                                    func,
                                    args_plus_one,
                                };
                            }
                        }
                    }
                }
                None
            } else if count == 1 {
                first = usize::from(self.expression_to_any_register(&mut last)?);
                Some(1)
            } else {
                self.expression_to_next_register(&mut last)?;
                Some(count)
            }
        };
        self.emit_return(first, count);
        Ok(())
    }

    /// Returns `count` values (`None`: up to the top) from register `first`. Functions that
    /// must close variables use the general `Return`, which closes them.
    pub(super) fn emit_return(&mut self, first: usize, count: Option<usize>) {
        let first = first as u8;
        let instruction = match count {
            Some(0) if !self.function.needs_close => Instruction::Return0,
            Some(1) if !self.function.needs_close => Instruction::Return1 { src: first },
            _ => Instruction::Return {
                first,
                count_plus_one: count.map_or(0, |count| (count + 1) as u8),
            },
        };
        self.emit(instruction);
    }
}
