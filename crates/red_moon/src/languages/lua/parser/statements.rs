//! Statements and blocks.

use super::expressions::SuffixedKind;
use super::scope::LocalKind;
use super::Parser;
use crate::languages::lua::ast::{
    Assignment, Block, BreakFirst, Expr, ExprKind, ExprList, FunctionStatement, GenericFor, Goto,
    If, IfClause, Label, LocalDeclaration, LocalFunction, LocalStatement, LoopExit, NumericFor,
    Repeat, Return, Statement, Suffix, Suffixed, While,
};
use crate::languages::lua::constant_folding::constant_value;
use crate::languages::lua::syntax_error::SyntaxError;
use crate::languages::lua::token::{LuaString, TokenKind};

/// Name of the hidden locals holding a `for` loop's state.
const FOR_STATE: &[u8] = b"(for state)";

impl Parser<'_> {
    /// `{ stat [';'] }` up to the end of the block (`return` must come last).
    pub(super) fn statement_list(
        &mut self,
        statements: &mut Vec<Statement>,
    ) -> Result<(), SyntaxError> {
        while !self.block_follow(true) {
            if self.is(&TokenKind::Return) {
                return self.statement(statements);
            }
            self.statement(statements)?;
        }
        Ok(())
    }

    /// A block with its own scope.
    fn block(&mut self) -> Result<Block, SyntaxError> {
        self.scopes.enter_block(false);
        let mut statements = Vec::new();
        self.statement_list(&mut statements)?;
        let end_line = self.last_line;
        let exit = self.leave_block()?;
        Ok(Block {
            statements,
            needs_close: exit.needs_close,
            end_line,
        })
    }

    fn leave_block(&mut self) -> Result<super::scope::BlockExit, SyntaxError> {
        self.scopes
            .leave_block()
            .map_err(|error| self.scope_error(error))
    }

    /// Leaves a loop's block; its exit is placed at the last consumed token.
    fn leave_loop_block(&mut self) -> Result<(LoopExit, bool), SyntaxError> {
        let exit = self.leave_block()?;
        let (label, needs_close) = exit.loop_exit.unwrap_or_default();
        let loop_exit = LoopExit {
            label,
            needs_close,
            line: self.last_line,
        };
        Ok((loop_exit, exit.needs_close))
    }

    /// One statement (pushed to `statements`; a label may push the no-op statements that
    /// follow it first).
    fn statement(&mut self, statements: &mut Vec<Statement>) -> Result<(), SyntaxError> {
        let line = self.lexer.line();
        self.enter_level()?;
        match &self.current.kind {
            TokenKind::Char(b';') => self.next()?,
            TokenKind::If => self.if_statement(line, statements)?,
            TokenKind::While => self.while_statement(line, statements)?,
            TokenKind::Do => self.do_statement(line, statements)?,
            TokenKind::For => self.for_statement(line, statements)?,
            TokenKind::Repeat => self.repeat_statement(line, statements)?,
            TokenKind::Function => self.function_statement(line, statements)?,
            TokenKind::Local => self.local_statement_or_function(statements)?,
            TokenKind::DoubleColon => self.label_statement(line, statements)?,
            TokenKind::Return => self.return_statement(statements)?,
            TokenKind::Break => self.break_statement(statements)?,
            TokenKind::Goto => self.goto_statement(statements)?,
            _ => self.expression_statement(statements)?,
        }
        self.leave_level();
        Ok(())
    }

    /// `local function ...` or `local names ...`
    #[inline(never)]
    fn local_statement_or_function(&mut self, out: &mut Vec<Statement>) -> Result<(), SyntaxError> {
        self.next()?;
        if self.test_next(&TokenKind::Function)? {
            self.local_function(out)
        } else {
            self.local_statement(out)
        }
    }

    /// `do block end`
    #[inline(never)]
    fn do_statement(&mut self, line: u32, out: &mut Vec<Statement>) -> Result<(), SyntaxError> {
        self.next()?;
        let block = Box::new(self.block()?);
        self.check_match(&TokenKind::End, &TokenKind::Do, line)?;
        out.push(Statement::Do(block));
        Ok(())
    }

    /// `if cond then block {elseif cond then block} [else block] end`
    #[inline(never)]
    fn if_statement(&mut self, line: u32, out: &mut Vec<Statement>) -> Result<(), SyntaxError> {
        let mut clauses = Vec::new();
        self.test_then_block(&mut clauses)?;
        while self.is(&TokenKind::Elseif) {
            self.test_then_block(&mut clauses)?;
        }
        let else_block = if self.test_next(&TokenKind::Else)? {
            Some(self.block()?)
        } else {
            None
        };
        self.check_match(&TokenKind::End, &TokenKind::If, line)?;
        out.push(Statement::If(Box::new(If {
            clauses,
            else_block,
        })));
        Ok(())
    }

    /// `[if | elseif] cond then block`
    #[inline(never)]
    fn test_then_block(&mut self, clauses: &mut Vec<IfClause>) -> Result<(), SyntaxError> {
        self.next()?;
        let condition = self.expression()?;
        self.check_next(&TokenKind::Then)?;
        let then_line = self.last_line;
        let mut statements = Vec::new();
        let mut break_first = None;
        if self.is(&TokenKind::Break) {
            let break_line = self.lexer.line();
            self.next()?;
            self.scopes.enter_block(false);
            let goto = self
                .scopes
                .break_statement(break_line)
                .map_err(|error| self.scope_error(error))?;
            while self.test_next(&TokenKind::Char(b';'))? {}
            let alone = self.block_follow(false);
            break_first = Some(BreakFirst {
                goto,
                alone,
                line: self.last_line,
            });
            if !alone {
                self.statement_list(&mut statements)?;
            }
        } else {
            self.scopes.enter_block(false);
            self.statement_list(&mut statements)?;
        }
        let end_line = self.last_line;
        let exit = self.leave_block()?;
        clauses.push(IfClause {
            condition,
            then_line,
            break_first,
            body: Block {
                statements,
                needs_close: exit.needs_close,
                end_line,
            },
        });
        Ok(())
    }

    /// `while cond do block end`
    #[inline(never)]
    fn while_statement(&mut self, line: u32, out: &mut Vec<Statement>) -> Result<(), SyntaxError> {
        self.next()?;
        let condition = self.expression()?;
        self.scopes.enter_block(true);
        self.check_next(&TokenKind::Do)?;
        let body = self.block()?;
        self.check_match(&TokenKind::End, &TokenKind::While, line)?;
        let (exit, _) = self.leave_loop_block()?;
        out.push(Statement::While(Box::new(While {
            condition,
            body,
            exit,
        })));
        Ok(())
    }

    /// `repeat block until cond`
    #[inline(never)]
    fn repeat_statement(&mut self, line: u32, out: &mut Vec<Statement>) -> Result<(), SyntaxError> {
        self.scopes.enter_block(true);
        self.scopes.enter_block(false);
        self.next()?;
        let mut statements = Vec::new();
        self.statement_list(&mut statements)?;
        self.check_match(&TokenKind::Until, &TokenKind::Repeat, line)?;
        let condition = self.expression()?;
        let end_line = self.last_line;
        let scope = self.leave_block()?;
        let (exit, _) = self.leave_loop_block()?;
        out.push(Statement::Repeat(Box::new(Repeat {
            body: Block {
                statements,
                needs_close: scope.needs_close,
                end_line,
            },
            condition,
            exit,
        })));
        Ok(())
    }

    /// `for name = ... do block end` or `for names in ... do block end`
    #[inline(never)]
    fn for_statement(&mut self, line: u32, out: &mut Vec<Statement>) -> Result<(), SyntaxError> {
        self.scopes.enter_block(true);
        self.next()?;
        let name = self.check_name()?;
        let statement = match self.current.kind {
            TokenKind::Char(b'=') => self.numeric_for(name, line)?,
            TokenKind::Char(b',') | TokenKind::In => self.generic_for(name)?,
            _ => return Err(self.syntax_error(b"'=' or 'in' expected")),
        };
        self.check_match(&TokenKind::End, &TokenKind::For, line)?;
        let (exit, _) = self.leave_loop_block()?;
        out.push(match statement {
            ForStatement::Numeric(mut numeric) => {
                numeric.exit = exit;
                Statement::NumericFor(numeric)
            }
            ForStatement::Generic(mut generic) => {
                generic.exit = exit;
                Statement::GenericFor(generic)
            }
        });
        Ok(())
    }

    fn declare_for_state(&mut self, count: usize) -> Result<(), SyntaxError> {
        for _ in 0..count {
            self.declare_local(LuaString::from(FOR_STATE))?;
        }
        Ok(())
    }

    /// `name = start, limit [, step] do block`
    #[inline(never)]
    fn numeric_for(&mut self, name: LuaString, line: u32) -> Result<ForStatement, SyntaxError> {
        let base = self.scopes.current_register_level() as u8;
        self.declare_for_state(3)?;
        self.declare_local(name)?;
        self.check_next(&TokenKind::Char(b'='))?;
        let start = self.expression()?;
        self.check_next(&TokenKind::Char(b','))?;
        let limit = self.expression()?;
        let step = if self.test_next(&TokenKind::Char(b','))? {
            Some(self.expression()?)
        } else {
            None
        };
        self.activate_locals(3)?;
        let (do_line, mut variables, variables_need_close, body) = self.for_body(1)?;
        let variable = variables.pop().unwrap_or_else(|| LocalDeclaration {
            name: LuaString::from(&b""[..]),
            register: base.wrapping_add(3),
        });
        Ok(ForStatement::Numeric(Box::new(NumericFor {
            base,
            variable,
            start,
            limit,
            step,
            do_line,
            for_line: line,
            variable_needs_close: variables_need_close,
            body,
            exit: LoopExit::default(),
        })))
    }

    /// `names in explist do block`
    #[inline(never)]
    fn generic_for(&mut self, name: LuaString) -> Result<ForStatement, SyntaxError> {
        let base = self.scopes.current_register_level() as u8;
        self.declare_for_state(4)?;
        self.declare_local(name)?;
        let mut variable_count = 1;
        while self.test_next(&TokenKind::Char(b','))? {
            let name = self.check_name()?;
            self.declare_local(name)?;
            variable_count += 1;
        }
        self.check_next(&TokenKind::In)?;
        let values_line = self.lexer.line();
        let values = self.expression_list()?;
        self.activate_locals(4)?;
        self.scopes.mark_to_be_closed();
        let (do_line, variables, variables_need_close, body) = self.for_body(variable_count)?;
        Ok(ForStatement::Generic(Box::new(GenericFor {
            base,
            variables,
            values,
            values_line,
            do_line,
            variables_need_close,
            body,
            exit: LoopExit::default(),
        })))
    }

    /// `do block` of a `for`, declaring its `count` variables in their own scope.
    #[allow(clippy::type_complexity)]
    fn for_body(
        &mut self,
        count: usize,
    ) -> Result<(u32, Vec<LocalDeclaration>, bool, Block), SyntaxError> {
        self.check_next(&TokenKind::Do)?;
        let do_line = self.last_line;
        self.scopes.enter_block(false);
        let variables = self.activate_locals(count)?;
        let body = self.block()?;
        let exit = self.leave_block()?;
        Ok((do_line, variables, exit.needs_close, body))
    }

    /// `function name {'.' name} [':' name] body`
    #[inline(never)]
    fn function_statement(
        &mut self,
        line: u32,
        out: &mut Vec<Statement>,
    ) -> Result<(), SyntaxError> {
        self.next()?;
        let (target, read_only, is_method) = self.function_name()?;
        let function = self.function_body(is_method, line)?;
        if let Some(name) = read_only {
            return Err(self.const_assignment_error(&name));
        }
        out.push(Statement::Function(Box::new(FunctionStatement {
            target,
            function,
            line,
        })));
        Ok(())
    }

    /// The target of a function statement, the name that may not be assigned, and whether it
    /// defines a method.
    fn function_name(&mut self) -> Result<(Expr, Option<LuaString>, bool), SyntaxError> {
        let (variable, kind) = self.single_variable()?;
        let mut read_only = match kind {
            SuffixedKind::Variable { read_only } => read_only,
            _ => None,
        };
        let mut suffixes = Vec::new();
        let mut is_method = false;
        while self.is_char(b'.') || self.is_char(b':') {
            is_method = self.is_char(b':');
            self.next()?;
            let name = self.check_name()?;
            suffixes.push(Suffix::Field {
                name,
                line: self.last_line,
            });
            read_only = None;
            if is_method {
                break;
            }
        }
        if suffixes.is_empty() {
            return Ok((variable, read_only, false));
        }
        let call_line = variable.line;
        let target = Expr {
            kind: ExprKind::Suffixed(Box::new(Suffixed {
                primary: variable,
                suffixes,
                call_line,
            })),
            line: self.last_line,
        };
        Ok((target, read_only, is_method))
    }

    /// `local function name body`
    #[inline(never)]
    fn local_function(&mut self, out: &mut Vec<Statement>) -> Result<(), SyntaxError> {
        let name = self.check_name()?;
        self.declare_local(name)?;
        let local = self.activate_locals(1)?.pop();
        let line = self.lexer.line();
        let function = self.function_body(false, line)?;
        let local = local.unwrap_or_else(|| LocalDeclaration {
            name: LuaString::from(&b""[..]),
            register: 0,
        });
        out.push(Statement::LocalFunction(Box::new(LocalFunction {
            local,
            function,
        })));
        Ok(())
    }

    /// `local name attrib {',' name attrib} ['=' explist]`
    #[inline(never)]
    fn local_statement(&mut self, out: &mut Vec<Statement>) -> Result<(), SyntaxError> {
        let mut variable_count = 0;
        let mut to_be_closed = None;
        let last_kind = loop {
            let name = self.check_name()?;
            let index = self.declare_local(name)?;
            let kind = self.attribute()?;
            self.scopes.set_local_kind(index, kind.clone());
            if kind == LocalKind::ToBeClosed {
                if to_be_closed.is_some() {
                    return Err(
                        self.semantic_error("multiple to-be-closed variables in local list")
                    );
                }
                to_be_closed = Some(self.scopes.active_count() + variable_count);
            }
            variable_count += 1;
            if !self.test_next(&TokenKind::Char(b','))? {
                break kind;
            }
        };
        let names_end_line = self.last_line;
        let mut values = if self.test_next(&TokenKind::Char(b'='))? {
            self.expression_list()?
        } else {
            ExprList::default()
        };
        let constant =
            if values.expressions.len() == variable_count && last_kind == LocalKind::Constant {
                values.expressions.last().and_then(constant_value)
            } else {
                None
            };
        let last_is_constant = constant.is_some();
        let locals = match constant {
            Some(value) => {
                values.expressions.pop();
                let locals = self.activate_locals(variable_count - 1)?;
                self.scopes.activate_compile_time_constant(value);
                locals
            }
            None => self.activate_locals(variable_count)?,
        };
        let to_be_closed = to_be_closed.map(|index| {
            self.scopes.mark_to_be_closed();
            let first = self.scopes.active_count() - variable_count;
            locals.get(index - first).map_or(0, |local| local.register)
        });
        out.push(Statement::Local(Box::new(LocalStatement {
            locals,
            values,
            last_is_constant,
            to_be_closed,
            names_end_line,
        })));
        Ok(())
    }

    /// `['<' name '>']`
    fn attribute(&mut self) -> Result<LocalKind, SyntaxError> {
        if !self.test_next(&TokenKind::Char(b'<'))? {
            return Ok(LocalKind::Regular);
        }
        let attribute = self.check_name()?;
        self.check_next(&TokenKind::Char(b'>'))?;
        match &attribute[..] {
            b"const" => Ok(LocalKind::Constant),
            b"close" => Ok(LocalKind::ToBeClosed),
            _ => Err(self.semantic_error(&format!(
                "unknown attribute '{}'",
                String::from_utf8_lossy(&attribute)
            ))),
        }
    }

    /// `::name::`, with the no-op statements that follow it.
    #[inline(never)]
    fn label_statement(
        &mut self,
        line: u32,
        statements: &mut Vec<Statement>,
    ) -> Result<(), SyntaxError> {
        self.next()?;
        let name = self.check_name()?;
        self.check_next(&TokenKind::DoubleColon)?;
        while self.is_char(b';') || self.is(&TokenKind::DoubleColon) {
            self.statement(statements)?;
        }
        self.scopes
            .check_repeated_label(&name)
            .map_err(|error| self.scope_error(error))?;
        let last = self.block_follow(false);
        let (id, needs_close) = self
            .scopes
            .create_label(name, line, last)
            .map_err(|error| self.scope_error(error))?;
        statements.push(Statement::Label(Label {
            id,
            needs_close,
            line: self.last_line,
        }));
        Ok(())
    }

    /// `return [explist] [';']` (after `return`)
    #[inline(never)]
    fn return_statement(&mut self, out: &mut Vec<Statement>) -> Result<(), SyntaxError> {
        self.next()?;
        let line = self.last_line;
        let values = if self.block_follow(true) || self.is_char(b';') {
            ExprList::default()
        } else {
            self.expression_list()?
        };
        let tail_call_allowed = !self.scopes.inside_to_be_closed();
        let statement = Statement::Return(Box::new(Return {
            values,
            line,
            tail_call_allowed,
        }));
        out.push(statement);
        self.test_next(&TokenKind::Char(b';'))?;
        Ok(())
    }

    #[inline(never)]
    fn break_statement(&mut self, out: &mut Vec<Statement>) -> Result<(), SyntaxError> {
        let line = self.lexer.line();
        self.next()?;
        let id = self
            .scopes
            .break_statement(line)
            .map_err(|error| self.scope_error(error))?;
        out.push(Statement::Goto(Goto {
            id,
            line: self.last_line,
            close_from: None,
        }));
        Ok(())
    }

    /// `goto name` (after `goto`)
    #[inline(never)]
    fn goto_statement(&mut self, out: &mut Vec<Statement>) -> Result<(), SyntaxError> {
        self.next()?;
        let line = self.lexer.line();
        let name = self.check_name()?;
        let (id, close_from) = self
            .scopes
            .goto(name, line)
            .map_err(|error| self.scope_error(error))?;
        out.push(Statement::Goto(Goto {
            id,
            line: self.last_line,
            close_from,
        }));
        Ok(())
    }

    /// A function call or an assignment.
    #[inline(never)]
    fn expression_statement(&mut self, out: &mut Vec<Statement>) -> Result<(), SyntaxError> {
        let (first, kind) = self.suffixed_expression()?;
        if !(self.is_char(b'=') || self.is_char(b',')) {
            if !matches!(kind, SuffixedKind::Call) {
                return Err(self.syntax_error(b"syntax error"));
            }
            out.push(Statement::Call(first));
            return Ok(());
        }
        self.check_assignable(&kind)?;
        let mut targets = vec![first];
        let mut levels = 0;
        while self.test_next(&TokenKind::Char(b','))? {
            let (target, kind) = self.suffixed_expression()?;
            self.enter_level()?;
            levels += 1;
            self.check_assignable(&kind)?;
            targets.push(target);
        }
        self.check_next(&TokenKind::Char(b'='))?;
        let values = self.expression_list()?;
        for _ in 0..levels {
            self.leave_level();
        }
        out.push(Statement::Assignment(Box::new(Assignment {
            targets,
            values,
        })));
        Ok(())
    }

    /// Fails unless an expression of `kind` can be assigned to.
    fn check_assignable(&self, kind: &SuffixedKind) -> Result<(), SyntaxError> {
        match kind {
            SuffixedKind::Variable {
                read_only: Some(name),
            } => Err(self.const_assignment_error(name)),
            SuffixedKind::Variable { .. } | SuffixedKind::Indexed => Ok(()),
            SuffixedKind::Call | SuffixedKind::Other => Err(self.syntax_error(b"syntax error")),
        }
    }

    fn const_assignment_error(&self, name: &LuaString) -> SyntaxError {
        self.semantic_error(&format!(
            "attempt to assign to const variable '{}'",
            String::from_utf8_lossy(name)
        ))
    }
}

/// A `for` statement before its exit is known.
enum ForStatement {
    Numeric(Box<NumericFor>),
    Generic(Box<GenericFor>),
}
