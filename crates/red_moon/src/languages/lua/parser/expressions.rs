//! Expressions: operators by priority, primary and suffixed expressions, constructors.

use super::scope::Resolution;
use super::Parser;
use crate::bytecode::Constant;
use crate::languages::lua::ast::{
    BinaryChain, BinaryOperator, BinaryStep, CallArguments, Environment, Expr, ExprKind, ExprList,
    FieldKind, Global, IndexSuffix, KeyedField, MethodCall, NamedField, Suffix, Suffixed,
    TableConstructor, TableField, Unary, UnaryOperator,
};
use crate::languages::lua::syntax_error::SyntaxError;
use crate::languages::lua::token::{LuaString, TokenKind};

/// Priority of unary operators (above every binary operator but `^`).
const UNARY_PRIORITY: u8 = 12;

/// What a suffixed expression turned out to be, for statements that care.
pub enum SuffixedKind {
    /// A plain name; `read_only` holds its name when assigning to it is forbidden.
    Variable { read_only: Option<LuaString> },
    /// Ends with a field access or an index.
    Indexed,
    /// Ends with a call.
    Call,
    /// A parenthesized expression.
    Other,
}

fn unary_operator(kind: &TokenKind) -> Option<UnaryOperator> {
    Some(match kind {
        TokenKind::Not => UnaryOperator::Not,
        TokenKind::Char(b'-') => UnaryOperator::Minus,
        TokenKind::Char(b'~') => UnaryOperator::BitwiseNot,
        TokenKind::Char(b'#') => UnaryOperator::Length,
        _ => return None,
    })
}

fn binary_operator(kind: &TokenKind) -> Option<BinaryOperator> {
    use BinaryOperator::*;
    Some(match kind {
        TokenKind::Char(b'+') => Add,
        TokenKind::Char(b'-') => Subtract,
        TokenKind::Char(b'*') => Multiply,
        TokenKind::Char(b'%') => Modulo,
        TokenKind::Char(b'^') => Power,
        TokenKind::Char(b'/') => Divide,
        TokenKind::IntegerDivide => IntegerDivide,
        TokenKind::Char(b'&') => BitwiseAnd,
        TokenKind::Char(b'|') => BitwiseOr,
        TokenKind::Char(b'~') => BitwiseXor,
        TokenKind::ShiftLeft => ShiftLeft,
        TokenKind::ShiftRight => ShiftRight,
        TokenKind::Concat => Concat,
        TokenKind::NotEqual => NotEqual,
        TokenKind::Equal => Equal,
        TokenKind::Char(b'<') => Less,
        TokenKind::LessEqual => LessEqual,
        TokenKind::Char(b'>') => Greater,
        TokenKind::GreaterEqual => GreaterEqual,
        TokenKind::And => And,
        TokenKind::Or => Or,
        _ => return None,
    })
}

/// Left and right priorities: an operator binds an operand to its right while the next
/// operator's left priority exceeds its right one (`..` and `^` are right associative).
fn priority(operator: BinaryOperator) -> (u8, u8) {
    use BinaryOperator::*;
    match operator {
        Add | Subtract => (10, 10),
        Multiply | Divide | IntegerDivide | Modulo => (11, 11),
        Power => (14, 13),
        BitwiseAnd => (6, 6),
        BitwiseOr => (4, 4),
        BitwiseXor => (5, 5),
        ShiftLeft | ShiftRight => (7, 7),
        Concat => (9, 8),
        Equal | NotEqual | Less | LessEqual | Greater | GreaterEqual => (3, 3),
        And => (2, 2),
        Or => (1, 1),
    }
}

/// The expression for a compile-time constant's value.
pub fn constant_expression(value: Constant, line: u32) -> Expr {
    let kind = match value {
        Constant::Nil => ExprKind::Nil,
        Constant::Boolean(true) => ExprKind::True,
        Constant::Boolean(false) => ExprKind::False,
        Constant::Integer(value) => ExprKind::Integer(value),
        Constant::Float(value) => ExprKind::Float(value),
        Constant::String(value) => ExprKind::String(value),
    };
    Expr { kind, line }
}

impl Parser<'_> {
    /// An expression ending at the last consumed token.
    fn finish(&self, kind: ExprKind) -> Expr {
        Expr {
            kind,
            line: self.last_line,
        }
    }

    pub(super) fn expression(&mut self) -> Result<Expr, SyntaxError> {
        self.subexpression(0).map(|(expression, _)| expression)
    }

    /// `(simple | unop subexpression) { binop subexpression }` for binary operators whose left
    /// priority exceeds `limit`; also returns the first operator not handled.
    fn subexpression(&mut self, limit: u8) -> Result<(Expr, Option<BinaryOperator>), SyntaxError> {
        self.enter_level()?;
        let first = match unary_operator(&self.current.kind) {
            Some(operator) => {
                let line = self.lexer.line();
                self.next()?;
                let (operand, _) = self.subexpression(UNARY_PRIORITY)?;
                self.finish(ExprKind::Unary(Box::new(Unary {
                    operator,
                    line,
                    operand,
                })))
            }
            None => self.simple_expression()?,
        };
        let mut rest = Vec::new();
        let mut operator = binary_operator(&self.current.kind);
        while let Some(current) = operator.filter(|&op| priority(op).0 > limit) {
            let line = self.lexer.line();
            self.next()?;
            let (operand, next) = self.subexpression(priority(current).1)?;
            rest.push(BinaryStep {
                operator: current,
                line,
                operand,
            });
            operator = next;
        }
        self.leave_level();
        let expression = if rest.is_empty() {
            first
        } else {
            self.finish(ExprKind::Binary(Box::new(BinaryChain { first, rest })))
        };
        Ok((expression, operator))
    }

    /// Literals, `...`, constructors, functions, and suffixed expressions.
    #[inline(never)]
    fn simple_expression(&mut self) -> Result<Expr, SyntaxError> {
        let kind = match &self.current.kind {
            TokenKind::Float(value) => ExprKind::Float(*value),
            TokenKind::Integer(value) => ExprKind::Integer(*value),
            TokenKind::String(value) => ExprKind::String(value.clone()),
            TokenKind::Nil => ExprKind::Nil,
            TokenKind::True => ExprKind::True,
            TokenKind::False => ExprKind::False,
            TokenKind::Dots => {
                if !self.scopes.is_vararg() {
                    return Err(self.syntax_error(b"cannot use '...' outside a vararg function"));
                }
                ExprKind::Vararg {
                    line_before: self.last_line,
                }
            }
            TokenKind::Char(b'{') => {
                let table = self.table_constructor()?;
                return Ok(self.finish(ExprKind::Table(table)));
            }
            TokenKind::Function => {
                self.next()?;
                let line = self.lexer.line();
                let function = self.function_body(false, line)?;
                return Ok(self.finish(ExprKind::Function(function)));
            }
            _ => return self.suffixed_expression().map(|(expression, _)| expression),
        };
        self.next()?;
        Ok(self.finish(kind))
    }

    /// `primary { '.' name | '[' exp ']' | ':' name args | args }`
    #[inline(always)]
    pub(super) fn suffixed_expression(&mut self) -> Result<(Expr, SuffixedKind), SyntaxError> {
        let call_line = self.lexer.line();
        let (primary, mut kind) = self.primary_expression()?;
        let mut suffixes = Vec::new();
        while self.suffix(call_line, &mut kind, &mut suffixes)? {}
        if suffixes.is_empty() {
            return Ok((primary, kind));
        }
        let expression = self.finish(ExprKind::Suffixed(Box::new(Suffixed {
            primary,
            suffixes,
            call_line,
        })));
        Ok((expression, kind))
    }

    /// Parses one suffix into `suffixes` if the current token starts one.
    #[inline(never)]
    fn suffix(
        &mut self,
        call_line: u32,
        kind: &mut SuffixedKind,
        suffixes: &mut Vec<Suffix>,
    ) -> Result<bool, SyntaxError> {
        let suffix = match &self.current.kind {
            TokenKind::Char(b'.') => {
                self.next()?;
                let name = self.check_name()?;
                *kind = SuffixedKind::Indexed;
                Suffix::Field {
                    name,
                    line: self.last_line,
                }
            }
            TokenKind::Char(b'[') => {
                self.next()?;
                let key = self.expression()?;
                self.check_next(&TokenKind::Char(b']'))?;
                *kind = SuffixedKind::Indexed;
                Suffix::Index(Box::new(IndexSuffix {
                    key,
                    close_line: self.last_line,
                }))
            }
            TokenKind::Char(b':') => {
                self.next()?;
                let name = self.check_name()?;
                let line = self.last_line;
                let arguments = self.call_arguments(call_line)?;
                *kind = SuffixedKind::Call;
                Suffix::Method(Box::new(MethodCall {
                    name,
                    line,
                    arguments: *arguments,
                }))
            }
            TokenKind::Char(b'(' | b'{') | TokenKind::String(_) => {
                let arguments = self.call_arguments(call_line)?;
                *kind = SuffixedKind::Call;
                Suffix::Call(arguments)
            }
            _ => return Ok(false),
        };
        suffixes.push(suffix);
        Ok(true)
    }

    /// `name | '(' expr ')'`
    #[inline(never)]
    fn primary_expression(&mut self) -> Result<(Expr, SuffixedKind), SyntaxError> {
        match &self.current.kind {
            TokenKind::Char(b'(') => {
                let line = self.lexer.line();
                self.next()?;
                let inner = self.expression()?;
                self.check_match(&TokenKind::Char(b')'), &TokenKind::Char(b'('), line)?;
                let expression = self.finish(ExprKind::Parenthesized(Box::new(inner)));
                Ok((expression, SuffixedKind::Other))
            }
            TokenKind::Name(_) => self.single_variable(),
            _ => Err(self.syntax_error(b"unexpected symbol")),
        }
    }

    /// A name: local, upvalue, compile-time constant or global.
    #[inline(never)]
    pub(super) fn single_variable(&mut self) -> Result<(Expr, SuffixedKind), SyntaxError> {
        let name = self.check_name()?;
        let resolution = self.resolve(&name)?;
        let line = self.last_line;
        let (kind, read_only) = match resolution {
            Resolution::Local {
                register,
                read_only,
            } => (ExprKind::Local(register), read_only),
            Resolution::Upvalue { index, read_only } => (ExprKind::Upvalue(index), read_only),
            Resolution::Constant(value) => (constant_expression(value, line).kind, true),
            Resolution::Global => {
                let environment = self.environment()?;
                (
                    ExprKind::Global(Box::new(Global {
                        environment,
                        name: name.clone(),
                    })),
                    false,
                )
            }
        };
        let read_only = read_only.then_some(name);
        Ok((Expr { kind, line }, SuffixedKind::Variable { read_only }))
    }

    fn resolve(&mut self, name: &LuaString) -> Result<Resolution, SyntaxError> {
        self.scopes
            .resolve(name)
            .map_err(|error| self.scope_error(error))
    }

    /// Where `_ENV` is, for a global name.
    fn environment(&mut self) -> Result<Environment, SyntaxError> {
        let name = LuaString::from(&b"_ENV"[..]);
        Ok(match self.resolve(&name)? {
            Resolution::Local { register, .. } => Environment::Local(register),
            Resolution::Upvalue { index, .. } => Environment::Upvalue(index),
            Resolution::Constant(value) => {
                Environment::Constant(Box::new(constant_expression(value, self.last_line)))
            }
            // The main chunk always has `_ENV`, so a name cannot escape it.
            Resolution::Global => Environment::Upvalue(0),
        })
    }

    /// `( [explist] ) | constructor | string`
    ///
    /// Inlined in its caller so that nested calls use few stack frames.
    #[inline(always)]
    fn call_arguments(&mut self, line: u32) -> Result<Box<CallArguments>, SyntaxError> {
        let arguments = match &self.current.kind {
            TokenKind::Char(b'(') => {
                self.next()?;
                let mut values = ExprList::default();
                if !self.is_char(b')') {
                    loop {
                        values.expressions.push(self.expression()?);
                        if !self.test_next(&TokenKind::Char(b','))? {
                            break;
                        }
                        values.separator_lines.push(self.last_line);
                    }
                }
                self.check_match(&TokenKind::Char(b')'), &TokenKind::Char(b'('), line)?;
                CallArguments::List {
                    values,
                    close_line: self.last_line,
                }
            }
            TokenKind::Char(b'{') => CallArguments::Table(self.table_constructor()?),
            TokenKind::String(value) => {
                let value = value.clone();
                self.next()?;
                CallArguments::String {
                    value,
                    line: self.last_line,
                }
            }
            _ => return Err(self.syntax_error(b"function arguments expected")),
        };
        Ok(Box::new(arguments))
    }

    /// `expr { ',' expr }`
    pub(super) fn expression_list(&mut self) -> Result<ExprList, SyntaxError> {
        let mut list = ExprList::default();
        self.expression_list_into(&mut list)?;
        Ok(list)
    }

    /// `expr { ',' expr }` appended to `list`.
    #[inline(never)]
    fn expression_list_into(&mut self, list: &mut ExprList) -> Result<(), SyntaxError> {
        list.expressions.push(self.expression()?);
        while self.test_next(&TokenKind::Char(b','))? {
            list.separator_lines.push(self.last_line);
            list.expressions.push(self.expression()?);
        }
        Ok(())
    }

    /// `'{' [ field { sep field } [sep] ] '}'`
    #[inline(never)]
    fn table_constructor(&mut self) -> Result<Box<TableConstructor>, SyntaxError> {
        let line = self.lexer.line();
        let line_before = self.last_line;
        self.check_next(&TokenKind::Char(b'{'))?;
        let mut fields: Vec<TableField> = Vec::new();
        loop {
            if self.is_char(b'}') {
                break;
            }
            self.table_field(&mut fields)?;
            if !(self.test_next(&TokenKind::Char(b','))?
                || self.test_next(&TokenKind::Char(b';'))?)
            {
                break;
            }
            if let Some(field) = fields.last_mut() {
                field.separator_line = self.last_line;
            }
        }
        self.check_match(&TokenKind::Char(b'}'), &TokenKind::Char(b'{'), line)?;
        let close_line = self.last_line;
        if let Some(field) = fields.last_mut() {
            field.separator_line = close_line;
        }
        Ok(Box::new(TableConstructor {
            line_before,
            fields,
            close_line,
        }))
    }

    /// `name '=' exp | '[' exp ']' '=' exp | exp`
    #[inline(never)]
    fn table_field(&mut self, fields: &mut Vec<TableField>) -> Result<(), SyntaxError> {
        let kind = self.table_field_kind()?;
        fields.push(TableField {
            kind,
            separator_line: 0,
        });
        Ok(())
    }

    /// One field of a constructor.
    fn table_field_kind(&mut self) -> Result<FieldKind, SyntaxError> {
        let is_name = matches!(self.current.kind, TokenKind::Name(_));
        if is_name && *self.peek()? == TokenKind::Char(b'=') {
            let name = self.check_name()?;
            self.check_next(&TokenKind::Char(b'='))?;
            let equals_line = self.last_line;
            let value = self.expression()?;
            return Ok(FieldKind::Named(Box::new(NamedField {
                name,
                equals_line,
                value,
            })));
        }
        match &self.current.kind {
            TokenKind::Char(b'[') => {
                self.next()?;
                let key = self.expression()?;
                self.check_next(&TokenKind::Char(b']'))?;
                self.check_next(&TokenKind::Char(b'='))?;
                let equals_line = self.last_line;
                let value = self.expression()?;
                Ok(FieldKind::Keyed(Box::new(KeyedField {
                    key,
                    equals_line,
                    value,
                })))
            }
            _ => Ok(FieldKind::Positional(self.expression()?)),
        }
    }
}
