//! The syntax tree the parser hands to the code generator.
//!
//! Names are already resolved: a variable is a local (its register), an upvalue (its index),
//! a compile-time constant (replaced by its value) or a global (a field of `_ENV`). Gotos and
//! breaks are matched with their labels, and blocks know whether leaving them must close
//! variables. What remains for the code generator is register allocation and emission.
//!
//! Line numbers reproduce what PUC's single-pass compiler sees when it emits each instruction
//! (its `lastline`, the line of the last token consumed), so nodes record the lines of the
//! tokens after which PUC emits code. Every [`Expr`] records the line of its last token.
//!
//! Sequences that PUC parses with loops rather than recursion (statement lists, suffix chains
//! such as `a.b(c)[d]`, left-associative operator chains such as `a + b - c`, constructor
//! fields) are vectors, so the depth of the tree is bounded by the parser's nesting limit and
//! walking or dropping it cannot exhaust the stack.

use super::token::LuaString;

/// A compiled function: the main chunk or a `function` body.
#[derive(Debug)]
pub struct Function {
    /// Line of `function` (0 for the main chunk).
    pub line_defined: u32,
    /// Line of the closing `end` (0 for the main chunk).
    pub last_line_defined: u32,
    /// Named parameters (including `self` for methods), in registers `0..`.
    pub parameters: Vec<LocalDeclaration>,
    pub is_vararg: bool,
    /// Line at which `VarArgPrep` is emitted (that of `...` in the parameter list).
    pub vararg_line: u32,
    pub upvalues: Vec<Upvalue>,
    pub body: Block,
    /// Line of the last token of the function (its `end`), where the final return goes.
    pub end_line: u32,
    /// Whether some local variable of the function is captured or to be closed.
    pub needs_close: bool,
    /// For each goto and break of the function (by [`GotoId`]), the label it jumps to.
    pub goto_targets: Vec<LabelId>,
    /// Number of labels (explicit ones and loop exits) in the function.
    pub label_count: u32,
}

/// How a function captures one upvalue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Upvalue {
    pub name: LuaString,
    /// `true`: a local of the enclosing function, in register `index`; `false`: the enclosing
    /// function's upvalue `index`.
    pub in_stack: bool,
    pub index: u8,
}

/// A local variable entering scope, for registers and debug information.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LocalDeclaration {
    pub name: LuaString,
    pub register: u8,
}

/// A statement list with its own scope.
#[derive(Debug, Default)]
pub struct Block {
    pub statements: Vec<Statement>,
    /// Whether leaving the block must close variables (one of its locals is captured by a
    /// closure or is to be closed).
    pub needs_close: bool,
    /// Line of the block's last token (where its closing instructions are emitted).
    pub end_line: u32,
}

/// Index of a goto or break within its function.
pub type GotoId = u32;
/// Index of a label (explicit, or the exit of a loop) within its function.
pub type LabelId = u32;

#[derive(Debug)]
pub enum Statement {
    /// A function call used as a statement.
    Call(Expr),
    Assignment(Box<Assignment>),
    Local(Box<LocalStatement>),
    LocalFunction(Box<LocalFunction>),
    Function(Box<FunctionStatement>),
    Do(Box<Block>),
    While(Box<While>),
    Repeat(Box<Repeat>),
    If(Box<If>),
    NumericFor(Box<NumericFor>),
    GenericFor(Box<GenericFor>),
    Return(Box<Return>),
    Goto(Goto),
    Label(Label),
}

/// `targets = values`
#[derive(Debug)]
pub struct Assignment {
    /// Locals, upvalues, globals and indexed expressions, in source order.
    pub targets: Vec<Expr>,
    pub values: ExprList,
}

/// `local names = values`
#[derive(Debug)]
pub struct LocalStatement {
    /// The variables that get registers. A last `<const>` variable initialised with a constant
    /// expression is a compile-time constant: it is not listed, and neither is its value.
    pub locals: Vec<LocalDeclaration>,
    pub values: ExprList,
    /// Whether the last variable became a compile-time constant (its value was dropped from
    /// `values`).
    pub last_is_constant: bool,
    /// Register of the `<close>` variable, if any.
    pub to_be_closed: Option<u8>,
    /// Line of the last token of the name list (where nils are loaded when there is no `=`).
    pub names_end_line: u32,
}

/// `local function name body`
#[derive(Debug)]
pub struct LocalFunction {
    pub local: LocalDeclaration,
    pub function: Box<Function>,
}

/// `function name.field:method body`
#[derive(Debug)]
pub struct FunctionStatement {
    /// A variable, or a suffixed expression made of field accesses.
    pub target: Expr,
    pub function: Box<Function>,
    /// Line of `function` (the assignment is attributed to it).
    pub line: u32,
}

/// `while condition do body end`
#[derive(Debug)]
pub struct While {
    pub condition: Expr,
    pub body: Block,
    pub exit: LoopExit,
}

/// Where a loop ends: the label its breaks jump to.
#[derive(Debug, Default)]
pub struct LoopExit {
    pub label: LabelId,
    /// Whether a break leaves the scope of a captured variable (a `Close` is then emitted at
    /// the exit).
    pub needs_close: bool,
    /// Line at which the exit is placed (the loop's `end`, or the end of `until`'s condition).
    pub line: u32,
}

/// `repeat body until condition`; the condition sees the body's locals.
#[derive(Debug)]
pub struct Repeat {
    /// The body; its `needs_close` also accounts for closures in the condition.
    pub body: Block,
    pub condition: Expr,
    pub exit: LoopExit,
}

/// `if c1 then b1 elseif c2 then b2 ... else bn end`
#[derive(Debug)]
pub struct If {
    pub clauses: Vec<IfClause>,
    pub else_block: Option<Block>,
}

#[derive(Debug)]
pub struct IfClause {
    pub condition: Expr,
    /// Line of `then`.
    pub then_line: u32,
    /// Set when the clause starts with `break` (PUC jumps out directly on the condition).
    pub break_first: Option<BreakFirst>,
    pub body: Block,
}

/// `if condition then break ...`: the break (whose jumps are the condition's) and what
/// follows it.
#[derive(Debug)]
pub struct BreakFirst {
    pub goto: GotoId,
    /// Whether the break is the whole clause (otherwise the remaining statements need a jump
    /// over them when the condition is false).
    pub alone: bool,
    /// Line of the last token of `break` and the semicolons after it.
    pub line: u32,
}

/// `for variable = start, limit, step do body end`
#[derive(Debug)]
pub struct NumericFor {
    /// First of the three internal registers; the variable is at `base + 3`.
    pub base: u8,
    pub variable: LocalDeclaration,
    pub start: Expr,
    pub limit: Expr,
    pub step: Option<Expr>,
    /// Line of `do`.
    pub do_line: u32,
    /// Line of `for`.
    pub for_line: u32,
    /// Whether the loop variable is captured.
    pub variable_needs_close: bool,
    pub body: Block,
    pub exit: LoopExit,
}

/// `for names in values do body end`
#[derive(Debug)]
pub struct GenericFor {
    /// First of the four internal registers; the variables start at `base + 4`.
    pub base: u8,
    pub variables: Vec<LocalDeclaration>,
    pub values: ExprList,
    /// Line of the first token after `in` (attributed to the iterator calls).
    pub values_line: u32,
    /// Line of `do`.
    pub do_line: u32,
    /// Whether one of the declared variables is captured.
    pub variables_need_close: bool,
    pub body: Block,
    pub exit: LoopExit,
}

/// `return values`
#[derive(Debug)]
pub struct Return {
    pub values: ExprList,
    /// Line of `return`.
    pub line: u32,
    /// False inside the scope of a to-be-closed variable (which forbids tail calls).
    pub tail_call_allowed: bool,
}

/// `goto name` or `break`.
#[derive(Debug)]
pub struct Goto {
    pub id: GotoId,
    /// Line of the label name (or of `break`).
    pub line: u32,
    /// For a jump back to a label outside the scope of some variables: the register level to
    /// close from.
    pub close_from: Option<u8>,
}

/// `::name::`
#[derive(Debug)]
pub struct Label {
    pub id: LabelId,
    /// Whether a goto jumping here leaves the scope of a captured variable.
    pub needs_close: bool,
    /// Line of the last token before the label takes effect.
    pub line: u32,
}

/// A comma-separated list of expressions.
#[derive(Debug, Default)]
pub struct ExprList {
    pub expressions: Vec<Expr>,
    /// `separator_lines[i]` is the line of the comma after `expressions[i]`.
    pub separator_lines: Vec<u32>,
}

/// An expression and the line of its last token.
#[derive(Debug)]
pub struct Expr {
    pub kind: ExprKind,
    pub line: u32,
}

#[derive(Debug)]
pub enum ExprKind {
    Nil,
    True,
    False,
    Integer(i64),
    Float(f64),
    String(LuaString),
    /// `...`, emitted at the line of the token before it.
    Vararg {
        line_before: u32,
    },
    Function(Box<Function>),
    Table(Box<TableConstructor>),
    /// A local variable in its register.
    Local(u8),
    Upvalue(u8),
    /// `_ENV.name`
    Global(Box<Global>),
    /// `(expression)`: one value, and not assignable.
    Parenthesized(Box<Expr>),
    Suffixed(Box<Suffixed>),
    Unary(Box<Unary>),
    Binary(Box<BinaryChain>),
}

/// A free name, read from the `_ENV` variable in scope.
#[derive(Debug)]
pub struct Global {
    pub environment: Environment,
    pub name: LuaString,
}

/// Where `_ENV` is.
#[derive(Debug)]
pub enum Environment {
    Local(u8),
    Upvalue(u8),
    /// `local _ENV <const> = value`
    Constant(Box<Expr>),
}

/// A primary expression followed by field accesses, indexing and calls.
#[derive(Debug)]
pub struct Suffixed {
    pub primary: Expr,
    /// Never empty.
    pub suffixes: Vec<Suffix>,
    /// Line at which the chain starts (PUC attributes every call of the chain to it).
    pub call_line: u32,
}

#[derive(Debug)]
pub enum Suffix {
    /// `.name` (`line` is the name's).
    Field { name: LuaString, line: u32 },
    /// `[key]`
    Index(Box<IndexSuffix>),
    /// `:name(arguments)`
    Method(Box<MethodCall>),
    /// `(arguments)`, `"string"` or `{table}`
    Call(Box<CallArguments>),
}

/// `[key]` (`close_line` is the `]`'s).
#[derive(Debug)]
pub struct IndexSuffix {
    pub key: Expr,
    pub close_line: u32,
}

/// `:name(arguments)` (`line` is the name's).
#[derive(Debug)]
pub struct MethodCall {
    pub name: LuaString,
    pub line: u32,
    pub arguments: CallArguments,
}

#[derive(Debug)]
pub enum CallArguments {
    /// `(values)` (`close_line` is the `)`'s).
    List {
        values: ExprList,
        close_line: u32,
    },
    Table(Box<TableConstructor>),
    String {
        value: LuaString,
        line: u32,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnaryOperator {
    Minus,
    BitwiseNot,
    Not,
    Length,
}

#[derive(Debug)]
pub struct Unary {
    pub operator: UnaryOperator,
    /// Line of the operator.
    pub line: u32,
    pub operand: Expr,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinaryOperator {
    Add,
    Subtract,
    Multiply,
    Divide,
    IntegerDivide,
    Modulo,
    Power,
    BitwiseAnd,
    BitwiseOr,
    BitwiseXor,
    ShiftLeft,
    ShiftRight,
    Concat,
    Equal,
    NotEqual,
    Less,
    LessEqual,
    Greater,
    GreaterEqual,
    And,
    Or,
}

/// `first op1 rhs1 op2 rhs2 ...`, evaluated from left to right: `((first op1 rhs1) op2 rhs2)`.
/// (Each right operand already holds the operators of higher priority.)
#[derive(Debug)]
pub struct BinaryChain {
    pub first: Expr,
    /// Never empty.
    pub rest: Vec<BinaryStep>,
}

#[derive(Debug)]
pub struct BinaryStep {
    pub operator: BinaryOperator,
    /// Line of the operator.
    pub line: u32,
    pub operand: Expr,
}

/// `{ fields }`
#[derive(Debug)]
pub struct TableConstructor {
    /// Line of the token before `{` (the table is created then).
    pub line_before: u32,
    pub fields: Vec<TableField>,
    /// Line of `}`.
    pub close_line: u32,
}

#[derive(Debug)]
pub struct TableField {
    pub kind: FieldKind,
    /// Line of the separator after the field, or of `}` for the last field.
    pub separator_line: u32,
}

#[derive(Debug)]
pub enum FieldKind {
    /// `value`
    Positional(Expr),
    /// `name = value`
    Named(Box<NamedField>),
    /// `[key] = value`
    Keyed(Box<KeyedField>),
}

#[derive(Debug)]
pub struct NamedField {
    pub name: LuaString,
    /// Line of `=`.
    pub equals_line: u32,
    pub value: Expr,
}

#[derive(Debug)]
pub struct KeyedField {
    pub key: Expr,
    /// Line of `=`.
    pub equals_line: u32,
    pub value: Expr,
}
