//! End-to-end tests of the compiler: bounded recursion on hostile inputs, limits with PUC's
//! messages, the official Lua test suite and the language test scripts.

use super::codegen::tests::check_invariants;
use super::{compile, compile_with_options, CompileOptions, SyntaxError};
use std::path::Path;

/// Stack given to threads that prove the compiler's recursion is bounded.
const SMALL_STACK: usize = 256 * 1024;

/// Compiles `source` on a thread with a small stack (overflowing it would abort the tests),
/// checking the result's invariants there too.
fn compile_on_small_stack(source: Vec<u8>) -> Result<(), SyntaxError> {
    std::thread::Builder::new()
        .stack_size(SMALL_STACK)
        .spawn(move || compile(&source, b"=src").map(|proto| check_invariants(&proto)))
        .expect("spawning a thread")
        .join()
        .expect("the compiler does not panic")
}

fn nested(prefix: &str, open: &str, middle: &str, close: &str, depth: usize) -> Vec<u8> {
    format!(
        "{prefix}{}{middle}{}",
        open.repeat(depth),
        close.repeat(depth)
    )
    .into_bytes()
}

/// Constructs that nest: prefix, opening, middle, closing.
const NESTING: &[(&str, &str, &str, &str)] = &[
    ("return ", "(", "1", ")"),
    ("local a; a", ",a", "= 1", ""),
    ("local a; a=", "{", "0", "}"),
    (
        "local function a (x) return x end; return ",
        "a(",
        "2.2",
        ")",
    ),
    ("", "do ", "", " end"),
    ("", "while a do ", "", " end"),
    ("local a; ", "if a then else ", "", " end"),
    ("", "function foo () ", "", " end"),
    ("local a = ''; return ", "a..", "'a'", ""),
    ("local a = 1; return ", "a^", "a", ""),
    ("return ", "- ", "1", ""),
    ("return ", "not ", "1", ""),
    ("x = ", "{x=", "1", "}"),
    ("", "repeat ", "", " until 1"),
    ("return ", "a[", "1", "]"),
    ("", "f(function() ", "", " end)"),
    ("", "if x then ", "", " end"),
    ("local x = 1 return ", "x + (", "1", ")"),
    ("x = ", "function() return ", "1", " end"),
    ("", "local x = function() ", "", " end"),
    ("", "for i = 1, 2 do ", "", " end"),
    ("", "for k in x do ", "", " end"),
    ("x = ", "f(", "", ")"),
];

#[test]
fn deep_nesting_is_bounded() {
    for &(prefix, open, middle, close) in NESTING {
        for depth in [100, 195, 197, 100_000] {
            let result = compile_on_small_stack(nested(prefix, open, middle, close, depth));
            if let Err(error) = &result {
                let message = String::from_utf8_lossy(&error.message);
                assert!(
                    message == "C stack overflow" || message.contains("too many"),
                    "{open:?} x {depth}: {message}"
                );
            }
            if depth == 100_000 {
                assert!(result.is_err(), "{open:?} x {depth} must fail");
            }
        }
    }
}

#[test]
fn long_flat_constructs_compile() {
    let long: &[(&str, String)] = &[
        ("table", format!("x = {{{}}}", "1,".repeat(1_000_000))),
        ("sum", format!("x = a{}", " + 1".repeat(200_000))),
        ("fields", format!("x = a{}", ".b".repeat(200_000))),
        ("calls", format!("x = a{}", "()".repeat(100_000))),
        ("and", format!("x = a{}", " and b".repeat(100_000))),
        ("comparisons", format!("x = a{}", " == b".repeat(100_000))),
        ("statements", "x = 1\n".repeat(200_000)),
        (
            "elseif",
            format!("if a then{} end", " elseif b then x = 1".repeat(50_000)),
        ),
        (
            "breaks",
            format!("while a do{} end", " if b then break end".repeat(30_000)),
        ),
        ("gotos", format!("{} ::l::", "goto l ".repeat(30_000))),
        ("labels", "do ::l:: end ".repeat(40_000)),
    ];
    for (name, source) in long {
        compile_on_small_stack(source.clone().into_bytes())
            .unwrap_or_else(|error| panic!("{name}: {error}"));
    }
}

#[test]
fn limits_have_puc_messages() {
    let error = |source: String| -> String {
        let error = compile(source.as_bytes(), b"=src").expect_err("must fail");
        String::from_utf8_lossy(&error.message).into_owned()
    };
    let names: Vec<String> = (1..=300).map(|i| format!("a{i}")).collect();
    // Messages from lua5.4 for the same sources (errors.lua of the official test suite).
    assert_eq!(
        error(format!(
            "\nfunction foo ()\n  local {}, b\n",
            names.join(", ")
        )),
        "src:3: too many local variables (limit is 200) in function at line 2 near ','"
    );
    assert!(compile(
        format!("local {}", names[..200].join(",")).as_bytes(),
        b"=src"
    )
    .is_ok());
    assert_eq!(
        error(format!("local {}", names[..201].join(","))),
        "src:1: too many local variables (limit is 200) in main function near <eof>"
    );
    let upvalues = {
        let mut source = String::from("local function fooA ()\n  local ");
        for j in 1..=127 {
            source += &format!("a{j}, ");
        }
        source += "b,c\nlocal function fooB ()\n  local ";
        for j in 1..=127 {
            source += &format!("b{j}, ");
        }
        source += "b\nfunction fooC () return b+c";
        for j in 1..=127 {
            source += &format!("+a{j}+b{j}");
        }
        source + "\nend  end end"
    };
    assert_eq!(
        error(upvalues),
        "src:6: too many upvalues (limit is 255) in function at line 5 near 'end'"
    );
    assert_eq!(
        error(format!("a = f(x{})", ",x".repeat(260))),
        "src:1: function or expression needs too many registers"
    );
    // Array limits, reported without position (as memory errors).
    assert_eq!(
        error(format!("{} ::l::", "goto l ".repeat(32_768))),
        "too many labels/gotos (limit is 32767)"
    );
    assert_eq!(
        error(
            (1..=32_768)
                .map(|i| format!("::l{i}:: x = 1 "))
                .collect::<String>()
        ),
        "too many labels/gotos (limit is 32767)"
    );
    assert_eq!(
        error("do local a end ".repeat(32_768)),
        "too many local variables (limit is 32767)"
    );
}

#[test]
fn official_test_suite_compiles() {
    let directory = Path::new("/work/main/.lua-tests");
    let Ok(entries) = std::fs::read_dir(directory) else {
        return; // the suite is not available here
    };
    let mut count = 0;
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().is_some_and(|extension| extension == "lua") {
            let source = std::fs::read(&path).expect("readable");
            let name = format!("@{}", path.display());
            let proto = compile(&source, name.as_bytes())
                .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
            check_invariants(&proto);
            count += 1;
        }
    }
    assert!(count > 20);
}

#[test]
fn language_test_scripts_compile() {
    let directory = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/lua/language");
    let entries = std::fs::read_dir(&directory).expect("the language scripts exist");
    for entry in entries.flatten() {
        let path = entry.path();
        let source = std::fs::read(&path).expect("readable");
        let proto = compile(&source, b"@script")
            .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
        check_invariants(&proto);
    }
}

#[test]
fn comment_line_is_skipped_only_when_asked() {
    assert!(compile(b"#!/usr/bin/env lua\nreturn 1", b"=src").is_ok());
    let options = CompileOptions {
        skip_comment_line: false,
    };
    let error = compile_with_options(b"#!/usr/bin/env lua\nreturn 1", b"=src", options)
        .expect_err("load does not skip it");
    assert_eq!(error.message, b"src:1: unexpected symbol near '#'");
    // The skipped line still counts.
    let error = compile(b"#!lua\nx = = 1", b"=src").expect_err("syntax error");
    assert_eq!(error.message, b"src:2: unexpected symbol near '='");
}

#[test]
fn syntax_errors_display_as_text() {
    let error = compile(b"x = ", b"=src").expect_err("syntax error");
    assert_eq!(error.to_string(), "src:1: unexpected symbol near <eof>");
    let error = compile(b"x = 1 +", b"x = 1 +").expect_err("syntax error");
    assert_eq!(
        error.to_string(),
        "[string \"x = 1 +\"]:1: unexpected symbol near <eof>"
    );
}
