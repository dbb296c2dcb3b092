//! The interactive read-eval-print loop.

use red_moon::interpreter::{MultiValue, VmContext};
use std::io::{BufRead, Write};

/// Reads lines from stdin; expressions print their values, incomplete statements continue on
/// the next line.
pub fn run(ctx: &mut VmContext) {
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines();
    loop {
        print!("> ");
        let _ = std::io::stdout().flush();
        let Some(Ok(mut line)) = lines.next() else {
            println!();
            return;
        };
        loop {
            match evaluate(ctx, &line) {
                Evaluation::Incomplete => {
                    print!(">> ");
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
            let print: Result<red_moon::interpreter::Value, _> =
                ctx.default_environment().get("print", ctx);
            if let Ok(red_moon::interpreter::Value::Function(print)) = print {
                if let Err(error) = print.call::<_, ()>(values, ctx) {
                    crate::report(&error);
                }
            }
        }
        Ok(_) => {}
        Err(error) => crate::report(&error),
    }
    Evaluation::Done
}
