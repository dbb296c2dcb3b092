//! End-to-end tests of the compiler: limits and the official test suite.

use super::{compile, parser};
use std::rc::Rc;

/// Runs `work` on a thread with a `stack_size`-byte stack; fails if it overflows.
fn with_stack<T: Send + 'static>(
    stack_size: usize,
    work: impl FnOnce() -> T + Send + 'static,
) -> T {
    std::thread::Builder::new()
        .stack_size(stack_size)
        .spawn(work)
        .expect("spawning a thread")
        .join()
        .expect("the thread finished")
}

fn nested(prefix: &str, open: &str, middle: &str, close: &str, depth: usize) -> Vec<u8> {
    format!(
        "{prefix}{}{middle}{}",
        open.repeat(depth),
        close.repeat(depth)
    )
    .into_bytes()
}

const CASES: &[(&str, &str, &str, &str)] = &[
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
];

#[test]
fn stack_probe() {
    let size: usize = std::env::var("PROBE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256);
    let case: usize = std::env::var("CASE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let phase = std::env::var("PHASE").unwrap_or_default();
    let (a, b, c, d) = CASES[case];
    let source = nested(a, b, c, d, 197);
    let ok = with_stack(size * 1024, move || {
        if phase == "parse" {
            parser::parse_chunk(&source, Rc::from(&b"x"[..]), false)
                .map(|_| ())
                .map_err(|e| e.to_string())
        } else {
            compile(&source, b"x")
                .map(|_| ())
                .map_err(|e| e.to_string())
        }
    });
    eprintln!("{size}K ok {ok:?}");
}
