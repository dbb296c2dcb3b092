//! The parser: Lua 5.4's grammar, from tokens to the resolved syntax tree of [`super::ast`].
//!
//! It consumes tokens exactly as PUC's recursive-descent parser does (one token of look-ahead,
//! a second one only in table constructors), so that line numbers recorded in the tree and the
//! positions of syntax errors match PUC's. Name resolution and the checks PUC makes while
//! parsing (constant variables, goto scopes, labels, limits) happen here too, at the same
//! moments, so that the first error reported is the one PUC reports.

mod expressions;
mod scope;
mod statements;
#[cfg(test)]
mod tests;

use super::ast::{Block, Function};
use super::lexer::{Lexer, Near, Token};
use super::syntax_error::SyntaxError;
use super::token::{LuaString, TokenKind};
use scope::{ScopeError, Scopes};
use std::rc::Rc;

/// Nesting depth (statements, expressions, assignment targets) at which parsing fails. PUC
/// fails when its count of nested C calls reaches 200; when `load` is called from a Lua chunk
/// run by the standalone interpreter, two of those are already in use, leaving 198 for the
/// parser.
pub const MAX_SYNTAX_LEVELS: u32 = 198;

/// Parses a whole chunk into its main function.
pub fn parse_chunk(
    source: &[u8],
    chunk_id: Rc<[u8]>,
    skip_comment_line: bool,
) -> Result<Function, SyntaxError> {
    let lexer = Lexer::new(source, chunk_id, skip_comment_line);
    let mut parser = Parser {
        lexer,
        current: Token {
            kind: TokenKind::Eof,
            start: 0,
            end: 0,
        },
        lookahead: None,
        last_line: 1,
        levels: 0,
        scopes: Scopes::default(),
    };
    parser.main_function()
}

/// Parser state: the token stream and the scopes of the functions being parsed.
struct Parser<'s> {
    lexer: Lexer<'s>,
    /// The current token (not consumed yet).
    current: Token,
    /// A token read ahead of `current`, if any.
    lookahead: Option<Token>,
    /// Line of the last consumed token (PUC's `lastline`).
    last_line: u32,
    /// Current nesting depth.
    levels: u32,
    scopes: Scopes,
}

impl Parser<'_> {
    /// Consumes the current token.
    #[inline(never)]
    fn next(&mut self) -> Result<(), SyntaxError> {
        self.last_line = self.lexer.line();
        self.current = match self.lookahead.take() {
            Some(token) => token,
            None => self.lexer.next_token()?,
        };
        Ok(())
    }

    /// The token after the current one.
    #[inline(never)]
    fn peek(&mut self) -> Result<&TokenKind, SyntaxError> {
        if self.lookahead.is_none() {
            self.lookahead = Some(self.lexer.next_token()?);
        }
        Ok(&self.lookahead.as_ref().expect("just read").kind)
    }

    fn is(&self, kind: &TokenKind) -> bool {
        self.current.kind == *kind
    }

    fn is_char(&self, byte: u8) -> bool {
        self.current.kind == TokenKind::Char(byte)
    }

    /// Consumes the current token if it is `kind`.
    fn test_next(&mut self, kind: &TokenKind) -> Result<bool, SyntaxError> {
        if self.is(kind) {
            self.next()?;
            Ok(true)
        } else {
            Ok(false)
        }
    }

    /// Fails with "X expected" unless the current token is `kind`.
    fn check(&self, kind: &TokenKind) -> Result<(), SyntaxError> {
        if self.is(kind) {
            Ok(())
        } else {
            Err(self.error_expected(kind))
        }
    }

    /// Checks that the current token is `kind` and consumes it.
    fn check_next(&mut self, kind: &TokenKind) -> Result<(), SyntaxError> {
        self.check(kind)?;
        self.next()
    }

    /// Consumes the token `what` closing `who` opened at line `line`.
    fn check_match(
        &mut self,
        what: &TokenKind,
        who: &TokenKind,
        line: u32,
    ) -> Result<(), SyntaxError> {
        if self.test_next(what)? {
            return Ok(());
        }
        Err(self.match_error(what, who, line))
    }

    /// The error of a missing closing token.
    #[cold]
    #[inline(never)]
    fn match_error(&self, what: &TokenKind, who: &TokenKind, line: u32) -> SyntaxError {
        if line == self.lexer.line() {
            return self.error_expected(what);
        }
        let mut message = what.describe();
        message.extend_from_slice(b" expected (to close ");
        message.extend_from_slice(&who.describe());
        message.extend_from_slice(format!(" at line {line})").as_bytes());
        self.syntax_error(&message)
    }

    /// Consumes a name.
    fn check_name(&mut self) -> Result<LuaString, SyntaxError> {
        let TokenKind::Name(name) = &self.current.kind else {
            return Err(self.error_expected(&TokenKind::Name(LuaString::from(&b""[..]))));
        };
        let name = name.clone();
        self.next()?;
        Ok(name)
    }

    /// Whether the current token ends a block (`until` only when `with_until`).
    fn block_follow(&self, with_until: bool) -> bool {
        match self.current.kind {
            TokenKind::Else | TokenKind::Elseif | TokenKind::End | TokenKind::Eof => true,
            TokenKind::Until => with_until,
            _ => false,
        }
    }

    /// An error at the current line, near the current token.
    #[cold]
    #[inline(never)]
    fn syntax_error(&self, message: &[u8]) -> SyntaxError {
        self.lexer
            .error(message, self.lexer.near_token(&self.current))
    }

    /// An error at the current line without a `near` part (PUC's semantic errors).
    #[cold]
    #[inline(never)]
    fn semantic_error(&self, message: &str) -> SyntaxError {
        self.lexer.error(message.as_bytes(), Near::Nothing)
    }

    #[cold]
    #[inline(never)]
    fn error_expected(&self, kind: &TokenKind) -> SyntaxError {
        let mut message = kind.describe();
        message.extend_from_slice(b" expected");
        self.syntax_error(&message)
    }

    #[cold]
    #[inline(never)]
    fn scope_error(&self, error: ScopeError) -> SyntaxError {
        match error {
            ScopeError::Limit(message) => self.syntax_error(message.as_bytes()),
            ScopeError::Semantic(message) => self.semantic_error(&message),
            ScopeError::Plain(message) => SyntaxError::new(message.into_bytes()),
        }
    }

    /// Enters one nesting level (PUC's `enterlevel`).
    fn enter_level(&mut self) -> Result<(), SyntaxError> {
        self.levels += 1;
        if self.levels >= MAX_SYNTAX_LEVELS {
            return Err(SyntaxError::new(b"C stack overflow".to_vec()));
        }
        Ok(())
    }

    fn leave_level(&mut self) {
        self.levels -= 1;
    }

    /// The main chunk: a vararg function with the `_ENV` upvalue.
    fn main_function(&mut self) -> Result<Function, SyntaxError> {
        self.scopes
            .open_function(0)
            .map_err(|error| self.scope_error(error))?;
        self.scopes.add_environment_upvalue();
        self.scopes.set_vararg(true);
        let vararg_line = self.last_line;
        self.next()?;
        let mut statements = Vec::new();
        self.statement_list(&mut statements)?;
        self.check(&TokenKind::Eof)?;
        let end_line = self.last_line;
        let scope = self
            .scopes
            .close_function()
            .map_err(|error| self.scope_error(error))?;
        Ok(Function {
            line_defined: 0,
            last_line_defined: 0,
            parameters: Vec::new(),
            is_vararg: true,
            vararg_line,
            upvalues: scope.upvalues,
            body: Block {
                statements,
                needs_close: false,
                end_line,
            },
            end_line,
            needs_close: scope.needs_close,
            goto_targets: scope.goto_targets,
            label_count: scope.label_count,
        })
    }

    /// A function body after `function` (and its name): parameters, block and `end`.
    #[inline(never)]
    fn function_body(&mut self, is_method: bool, line: u32) -> Result<Box<Function>, SyntaxError> {
        let mut function = self.function_header(is_method, line)?;
        self.statement_list(&mut function.body.statements)?;
        self.function_end(&mut function)?;
        Ok(function)
    }

    /// Opens the function's scope and reads its parameter list.
    #[inline(never)]
    fn function_header(
        &mut self,
        is_method: bool,
        line: u32,
    ) -> Result<Box<Function>, SyntaxError> {
        self.scopes
            .open_function(line)
            .map_err(|error| self.scope_error(error))?;
        self.check_next(&TokenKind::Char(b'('))?;
        let mut parameter_count = 0;
        if is_method {
            self.declare_local(LuaString::from(&b"self"[..]))?;
            parameter_count += 1;
        }
        let mut is_vararg = false;
        if !self.is_char(b')') {
            loop {
                match &self.current.kind {
                    TokenKind::Name(_) => {
                        let name = self.check_name()?;
                        self.declare_local(name)?;
                        parameter_count += 1;
                    }
                    TokenKind::Dots => {
                        self.next()?;
                        is_vararg = true;
                    }
                    _ => return Err(self.syntax_error(b"<name> or '...' expected")),
                }
                if is_vararg || !self.test_next(&TokenKind::Char(b','))? {
                    break;
                }
            }
        }
        let parameters = self.activate_locals(parameter_count)?;
        self.scopes.set_vararg(is_vararg);
        let vararg_line = self.last_line;
        self.check_next(&TokenKind::Char(b')'))?;
        Ok(Box::new(Function {
            line_defined: line,
            last_line_defined: 0,
            parameters,
            is_vararg,
            vararg_line,
            upvalues: Vec::new(),
            body: Block::default(),
            end_line: 0,
            needs_close: false,
            goto_targets: Vec::new(),
            label_count: 0,
        }))
    }

    /// Reads the function's `end` and closes its scope.
    #[inline(never)]
    fn function_end(&mut self, function: &mut Function) -> Result<(), SyntaxError> {
        function.last_line_defined = self.lexer.line();
        self.check_match(&TokenKind::End, &TokenKind::Function, function.line_defined)?;
        function.end_line = self.last_line;
        function.body.end_line = self.last_line;
        let scope = self
            .scopes
            .close_function()
            .map_err(|error| self.scope_error(error))?;
        function.upvalues = scope.upvalues;
        function.needs_close = scope.needs_close;
        function.goto_targets = scope.goto_targets;
        function.label_count = scope.label_count;
        Ok(())
    }

    /// Brings the next `count` declared locals into scope.
    fn activate_locals(
        &mut self,
        count: usize,
    ) -> Result<Vec<super::ast::LocalDeclaration>, SyntaxError> {
        self.scopes
            .activate_locals(count)
            .map_err(|error| self.scope_error(error))
    }

    /// Declares a local variable (limit errors are reported near the current token).
    fn declare_local(&mut self, name: LuaString) -> Result<usize, SyntaxError> {
        self.scopes
            .declare_local(name)
            .map_err(|error| self.scope_error(error))
    }
}
