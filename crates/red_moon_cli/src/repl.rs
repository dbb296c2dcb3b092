//! The interactive read-eval-print loop.

use red_moon::interpreter::{MultiValue, VmContext};
use std::io::{BufRead, Write};

/// Reads lines from stdin; expressions print their values, incomplete statements continue on
/// the next line.
pub fn run(ctx: &mut VmContext) {
    let stdin = std::io::stdin();
    // Debian's lua5.4 reads lines with readline, which echoes them when the input is not a
    // terminal; scripts (the official tests among them) expect that echo.
    let echo = !std::io::IsTerminal::is_terminal(&stdin);
    let mut lines = stdin.lock().lines().map(move |line| {
        if let (true, Ok(text)) = (echo, &line) {
            println!("{text}");
        }
        line
    });
    loop {
        print!("{}", prompt(ctx, "_PROMPT", "> "));
        let _ = std::io::stdout().flush();
        let Some(Ok(mut line)) = lines.next() else {
            println!();
            return;
        };
        // Lua 5.4's lua.c still reads "=expr" as "return expr".
        if let Some(expression) = line.strip_prefix('=') {
            line = format!("return {expression}");
        }
        loop {
            match evaluate(ctx, &line) {
                Evaluation::Incomplete => {
                    print!("{}", prompt(ctx, "_PROMPT2", ">> "));
                    let _ = std::io::stdout().flush();
                    match lines.next() {
                        Some(Ok(more)) => {
                            line.push('\n');
                            line.push_str(&more);
                        }
                        _ => return,
                    }
                }
                Evaluation::Done => break,
            }
        }
    }
}

/// The prompt: the global `name` converted like `tostring` (so `__tostring` counts), or
/// `default` when it is nil, as lua.c's `get_prompt`.
fn prompt(ctx: &mut VmContext, name: &str, default: &str) -> String {
    use red_moon::interpreter::{FunctionRef, Value};
    let env = ctx.default_environment();
    let value: Value = env.get(name, ctx).unwrap_or(Value::Nil);
    if value.is_nil() {
        return default.to_string();
    }
    let converted: Result<String, _> = env
        .get::<_, FunctionRef>("tostring", ctx)
        .and_then(|tostring| tostring.call(value, ctx));
    converted.unwrap_or_else(|_| default.to_string())
}

enum Evaluation {
    Done,
    Incomplete,
}

fn evaluate(ctx: &mut VmContext, line: &str) -> Evaluation {
    let as_expression = format!("return {line}");
    let function = match ctx.load(as_expression.as_bytes(), "=stdin", None) {
        Ok(f) => f,
        Err(_) => match ctx.load(line.as_bytes(), "=stdin", None) {
            Ok(f) => f,
            Err(red_moon::errors::RuntimeError::Syntax(message)) if message.ends_with("<eof>") => {
                return Evaluation::Incomplete
            }
            Err(error) => {
                crate::report(&error);
                return Evaluation::Done;
            }
        },
    };
    match function.call::<_, MultiValue>((), ctx) {
        Ok(values) if !values.is_empty() => {
            // As lua.c: whatever `print` is now, and its failure reported, not raised.
            let print: Result<red_moon::interpreter::Value, _> =
                ctx.default_environment().get("print", ctx);
            let failure = match print {
                Ok(red_moon::interpreter::Value::Function(print)) => {
                    match print.call::<_, ()>(values, ctx) {
                        Ok(()) => None,
                        Err(red_moon::errors::RuntimeError::Lua { message, .. }) => Some(message),
                        Err(other) => Some(other.to_string()),
                    }
                }
                Ok(other) => Some(format!("attempt to call a {} value", other.type_name())),
                Err(error) => Some(error.to_string()),
            };
            if let Some(message) = failure {
                eprintln!("{}: error calling 'print' ({message})", crate::PROGNAME);
            }
        }
        Ok(_) => {}
        Err(error) => crate::report(&error),
    }
    Evaluation::Done
}
