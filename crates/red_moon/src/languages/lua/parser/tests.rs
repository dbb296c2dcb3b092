//! Parser tests: syntax and semantic errors (messages taken from PUC Lua 5.4.4's
//! `load(source, "=src")`), name resolution, constants, gotos.

use super::parse_chunk;
use crate::languages::lua::ast::{ExprKind, Function, Statement};
use std::rc::Rc;

fn parse(source: &str) -> Function {
    parse_chunk(source.as_bytes(), Rc::from(&b"src"[..]), false).expect("parses")
}

fn error(source: &[u8]) -> String {
    let error = parse_chunk(source, Rc::from(&b"src"[..]), false).expect_err("must fail");
    String::from_utf8_lossy(&error.message).into_owned()
}

#[test]
fn resolves_locals_upvalues_and_globals() {
    let main = parse("local a, b = 1, 2\nlocal function f() return a, c end");
    assert_eq!(main.upvalues.len(), 1);
    assert_eq!(&*main.upvalues[0].name, b"_ENV");
    let f = first_function_after_locals(&main);
    let names: Vec<_> = f
        .upvalues
        .iter()
        .map(|upvalue| (&*upvalue.name, upvalue.in_stack, upvalue.index))
        .collect();
    assert_eq!(names, vec![(&b"a"[..], true, 0), (&b"_ENV"[..], false, 0)]);
    assert!(main.needs_close, "a captured local must be closed");
}

fn first_function_after_locals(function: &Function) -> &Function {
    function
        .body
        .statements
        .iter()
        .find_map(|statement| match statement {
            Statement::LocalFunction(local) => Some(&*local.function),
            _ => None,
        })
        .expect("a local function")
}

#[test]
fn upvalues_chain_through_intermediate_functions() {
    let main = parse("local x = 1\nlocal function f() return function() return x end end");
    let f = first_function_after_locals(&main);
    assert_eq!(f.upvalues.len(), 1);
    assert!(f.upvalues[0].in_stack);
    let Some(Statement::Return(ret)) = f.body.statements.first() else {
        panic!()
    };
    let ExprKind::Function(inner) = &ret.values.expressions[0].kind else {
        panic!()
    };
    assert_eq!(inner.upvalues.len(), 1);
    assert!(!inner.upvalues[0].in_stack);
    assert_eq!(inner.upvalues[0].index, 0);
}

#[test]
fn compile_time_constants_have_no_register() {
    let main = parse("local k <const> = 2 * 3 + 1\nlocal r <const> = {}\nreturn k, r");
    let Some(Statement::Local(constant)) = main.body.statements.first() else {
        panic!()
    };
    assert!(constant.last_is_constant && constant.locals.is_empty());
    let Some(Statement::Local(table)) = main.body.statements.get(1) else {
        panic!()
    };
    assert!(!table.last_is_constant && table.locals[0].register == 0);
    let Some(Statement::Return(ret)) = main.body.statements.get(2) else {
        panic!()
    };
    assert!(matches!(
        ret.values.expressions[0].kind,
        ExprKind::Integer(7)
    ));
    assert!(matches!(ret.values.expressions[1].kind, ExprKind::Local(0)));
    // A constant captured by a nested function needs no upvalue.
    let main = parse("local s <const> = 'x'\nlocal function f() return s end");
    assert!(first_function_after_locals(&main).upvalues.is_empty());
}

#[test]
fn gotos_find_their_labels() {
    let main = parse("goto a\n::b::\ngoto b\n::a::\nwhile true do break end");
    assert_eq!(main.goto_targets.len(), 3);
    assert_eq!(main.label_count, 3);
    // The forward goto reaches label 'a' (created second), the backward one 'b' (first).
    assert_eq!(main.goto_targets[0], 1);
    assert_eq!(main.goto_targets[1], 0);
    assert_eq!(main.goto_targets[2], 2);
}

#[test]
fn break_leaving_captured_variables_closes_at_the_loop_exit() {
    let main = parse("while x do local v; f = function() return v end; if y then break end end");
    let Some(Statement::While(statement)) = main.body.statements.first() else {
        panic!()
    };
    assert!(statement.exit.needs_close);
    assert!(statement.body.needs_close);
    let main = parse("while x do local v; if y then break end end");
    let Some(Statement::While(statement)) = main.body.statements.first() else {
        panic!()
    };
    assert!(!statement.exit.needs_close && !statement.body.needs_close);
}

#[test]
fn no_tail_call_in_the_scope_of_a_to_be_closed_variable() {
    let main = parse("local x <close> = nil\nreturn f()");
    let Some(Statement::Return(ret)) = main.body.statements.get(1) else {
        panic!()
    };
    assert!(!ret.tail_call_allowed);
    let main = parse("for k in f do return g() end return g()");
    let Some(Statement::GenericFor(generic)) = main.body.statements.first() else {
        panic!()
    };
    let Some(Statement::Return(ret)) = generic.body.statements.first() else {
        panic!()
    };
    assert!(
        !ret.tail_call_allowed,
        "the generic for's closing value is to be closed"
    );
    let Some(Statement::Return(ret)) = main.body.statements.get(1) else {
        panic!()
    };
    assert!(ret.tail_call_allowed);
}

#[test]
fn nesting_limit_matches_puc() {
    let nested = |open: &str, middle: &str, close: &str, depth: usize| {
        format!("{}{middle}{}", open.repeat(depth), close.repeat(depth))
    };
    assert!(parse_chunk(
        format!("return {}", nested("(", "1", ")", 195)).as_bytes(),
        Rc::from(&b"s"[..]),
        false
    )
    .is_ok());
    assert_eq!(
        error(format!("return {}", nested("(", "1", ")", 196)).as_bytes()),
        "C stack overflow"
    );
    assert!(parse_chunk(
        nested("do ", "", " end", 197).as_bytes(),
        Rc::from(&b"s"[..]),
        false
    )
    .is_ok());
    assert_eq!(
        error(nested("do ", "", " end", 198).as_bytes()),
        "C stack overflow"
    );
    assert_eq!(
        error(format!("local a; a{} = 1", ",a".repeat(196)).as_bytes()),
        "C stack overflow"
    );
    assert!(parse_chunk(
        format!("local a; a{} = 1", ",a".repeat(195)).as_bytes(),
        Rc::from(&b"s"[..]),
        false
    )
    .is_ok());
}

/// Sources and the message `lua5.4` gives for `load(source, "=src")`.
const SYNTAX_ERRORS: &[(&[u8], &[u8])] = &[
    (b"x = 1 end", b"src:1: <eof> expected near 'end'"),
    (b"local 1", b"src:1: <name> expected near '1'"),
    (b"for x do end", b"src:1: '=' or 'in' expected near 'do'"),
    (b"f(a", b"src:1: ')' expected near <eof>"),
    (
        b"f(a\n\n",
        b"src:3: ')' expected (to close '(' at line 1) near <eof>",
    ),
    (
        b"x = function(1) end",
        b"src:1: <name> or '...' expected near '1'",
    ),
    (b"local x <const = 1", b"src:1: '>' expected near '='"),
    (b"return return", b"src:1: unexpected symbol near 'return'"),
    (b"x.y:z = 1", b"src:1: function arguments expected near '='"),
    (b"x", b"src:1: syntax error near <eof>"),
    (b"x, y", b"src:1: '=' expected near <eof>"),
    (b"(x) = 1", b"src:1: syntax error near '='"),
    (b"f() = 1", b"src:1: syntax error near '='"),
    (
        b"function f() x = ... end",
        b"src:1: cannot use '...' outside a vararg function near '...'",
    ),
    (b"goto 1", b"src:1: <name> expected near '1'"),
    (b"::1::", b"src:1: <name> expected near '1'"),
    (b"a.b:c.d()", b"src:1: function arguments expected near '.'"),
    (
        b"if x then else elseif y then end",
        b"src:1: 'end' expected near 'elseif'",
    ),
    (
        b"while x do\n\nuntil y",
        b"src:3: 'end' expected (to close 'while' at line 1) near 'until'",
    ),
    (b"repeat x = 1 end", b"src:1: 'until' expected near 'end'"),
    (
        b"x = {1,2\n\n3}",
        b"src:3: '}' expected (to close '{' at line 1) near '3'",
    ),
    (b"x = [[\nabc]] +", b"src:2: unexpected symbol near <eof>"),
    (b"x = 1 .. 2 ..", b"src:1: unexpected symbol near <eof>"),
    (b"~", b"src:1: unexpected symbol near '~'"),
    (b"local function 1", b"src:1: <name> expected near '1'"),
    (b"function a.1() end", b"src:1: '(' expected near '.1'"),
    (b"x = y z", b"src:1: syntax error near <eof>"),
    (b"x = {[1] 2}", b"src:1: '=' expected near '2'"),
    (b"x = {a.b = 1}", b"src:1: '}' expected near '='"),
    (
        b"local x <const> <const> = 1",
        b"src:1: unexpected symbol near '<'",
    ),
    (
        b"::a:: do ::a:: end",
        b"src:1: label 'a' already defined on line 1",
    ),
    (
        b"goto a; local x; ::a:: print(x)",
        b"src:1: <goto a> at line 1 jumps into the scope of local 'x'",
    ),
    (
        b"repeat goto a; local x; ::a:: until x",
        b"src:1: <goto a> at line 1 jumps into the scope of local 'x'",
    ),
    (b"break", b"src:1: break outside loop at line 1"),
    (b"do break end", b"src:1: break outside loop at line 1"),
    (b"x = 1 break", b"src:1: break outside loop at line 1"),
    (
        b"goto foo",
        b"src:1: no visible label 'foo' for <goto> at line 1",
    ),
    (
        b"::a:: ::a::",
        b"src:1: label 'a' already defined on line 1",
    ),
    (
        b"::a:: ::b:: ::a::",
        b"src:1: label 'a' already defined on line 1",
    ),
    (b"local x <foo> = 1", b"src:1: unknown attribute 'foo'"),
    (
        b"local x <close>, y <close> = 1",
        b"src:1: multiple to-be-closed variables in local list",
    ),
    (
        b"local x <const> = 1; x = 2",
        b"src:1: attempt to assign to const variable 'x'",
    ),
    (
        b"local x <const> = 1; function x() end",
        b"src:1: attempt to assign to const variable 'x'",
    ),
    (b"x = 1 +", b"src:1: unexpected symbol near <eof>"),
    (b"f(", b"src:1: unexpected symbol near <eof>"),
    (
        b"local t = {a = 1\n\n",
        b"src:3: '}' expected (to close '{' at line 1) near <eof>",
    ),
    (b"break\n\n", b"src:3: break outside loop at line 1"),
    (
        b"x = 1\n\n  goto lbl\nx = 2\n\n",
        b"src:6: no visible label 'lbl' for <goto> at line 3",
    ),
    (
        b"local function f()\n goto lbl\n end\n\n x = 1",
        b"src:5: no visible label 'lbl' for <goto> at line 2",
    ),
    (
        b"local x <const> = 1\nlocal function f() x = 2 end",
        b"src:2: attempt to assign to const variable 'x'",
    ),
    (
        b"local x <close> = nil; x = 1",
        b"src:1: attempt to assign to const variable 'x'",
    ),
    (
        b"local a <const> = 1; local b = a; a, b = 1, 2",
        b"src:1: attempt to assign to const variable 'a'",
    ),
    (
        b"do goto l; local y; ::l:: local z end",
        b"src:1: <goto l> at line 1 jumps into the scope of local 'y'",
    ),
    (
        b"if x then\n  y = 1",
        b"src:2: 'end' expected (to close 'if' at line 1) near <eof>",
    ),
    (
        b"function f()\n  return 1",
        b"src:2: 'end' expected (to close 'function' at line 1) near <eof>",
    ),
    (
        b"for i = 1, 10\n  do end end",
        b"src:2: <eof> expected near 'end'",
    ),
    (b"x = }", b"src:1: unexpected symbol near '}'"),
    (b"x = 'abc\\\ndef' y", b"src:2: syntax error near <eof>"),
    (b"x = \"\\0\" + ", b"src:1: unexpected symbol near <eof>"),
    (
        b"local a = {} a[1] = ",
        b"src:1: unexpected symbol near <eof>",
    ),
    (b"x = #", b"src:1: unexpected symbol near <eof>"),
    (b"x = not", b"src:1: unexpected symbol near <eof>"),
    (
        b"local t <const> = {}; t = 1",
        b"src:1: attempt to assign to const variable 't'",
    ),
    (
        b"x = function() end()",
        b"src:1: unexpected symbol near ')'",
    ),
    (
        b"a.b.c = function() end.x",
        b"src:1: unexpected symbol near '.'",
    ),
    (b"x = [[\n]]]", b"src:2: unexpected symbol near ']'"),
    (b"f{}{}\"\" y", b"src:1: syntax error near <eof>"),
    (
        b"local a, b, c = 1, 2, 3 c, d = , 1",
        b"src:1: unexpected symbol near ','",
    ),
    (b"return 1,", b"src:1: unexpected symbol near <eof>"),
    (
        b"local function f(a, b, ...) return ... end return f(1,",
        b"src:1: unexpected symbol near <eof>",
    ),
    (b"if a then elseif", b"src:1: unexpected symbol near <eof>"),
    (b"for a, b in", b"src:1: unexpected symbol near <eof>"),
    (b"for a = 1 in x do end", b"src:1: ',' expected near 'in'"),
    (
        b"for a.b = 1, 2 do end",
        b"src:1: '=' or 'in' expected near '.'",
    ),
    (b"local x = { [x = 1 }", b"src:1: ']' expected near '='"),
    (b"local x = { x = }", b"src:1: unexpected symbol near '}'"),
    (b"a = b[", b"src:1: unexpected symbol near <eof>"),
    (b"a = b:c", b"src:1: function arguments expected near <eof>"),
    (b"a = b:c.d", b"src:1: function arguments expected near '.'"),
    (b"y = @", b"src:1: unexpected symbol near '@'"),
    (b"y = $x", b"src:1: unexpected symbol near '$'"),
    (b"y = 1 ? 2", b"src:1: unexpected symbol near '?'"),
    (
        b"x = \"\\u{0000000000000041}\" y",
        b"src:1: syntax error near <eof>",
    ),
];

#[test]
fn syntax_errors_match_puc() {
    for (source, expected) in SYNTAX_ERRORS {
        let message = error(source);
        assert_eq!(
            message,
            String::from_utf8_lossy(expected),
            "source: {}",
            String::from_utf8_lossy(source)
        );
    }
}
