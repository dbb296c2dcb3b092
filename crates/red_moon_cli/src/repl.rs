//! The interactive read-eval-print loop.

use crate::messages::{message, report, Prefix};
use red_moon::interpreter::{MultiValue, VmContext};
use std::io::{BufRead, Write};

/// Reads lines from stdin; expressions print their values, incomplete statements continue on
/// the next line.
pub fn run(ctx: &mut VmContext) {
    let mut input = Input::open();
    loop {
        let Some(mut line) = input.read(&prompt(ctx, "_PROMPT", "> ")) else {
            println!();
            return;
        };
        // Lua 5.4's lua.c still reads "=expr" as "return expr".
        if let Some(expression) = line.strip_prefix('=') {
            line = format!("return {expression}");
        }
        while let Evaluation::Incomplete = evaluate(ctx, &line) {
            match input.read(&prompt(ctx, "_PROMPT2", ">> ")) {
                Some(more) => {
                    line.push('\n');
                    line.push_str(&more);
                }
                None => return,
            }
        }
        input.remember(&line);
    }
}

/// Where the REPL's lines come from: a line editor with history on a terminal (as lua.c
/// with readline), plain lines otherwise.
enum Input {
    Editor(rustyline::DefaultEditor),
    /// Debian's lua5.4 reads lines with readline, which echoes them when the input is not
    /// a terminal; scripts (the official tests among them) expect that echo.
    Piped(std::io::Lines<std::io::StdinLock<'static>>),
}

impl Input {
    fn open() -> Input {
        let stdin = std::io::stdin();
        if std::io::IsTerminal::is_terminal(&stdin) {
            if let Ok(editor) = rustyline::DefaultEditor::new() {
                return Input::Editor(editor);
            }
        }
        Input::Piped(stdin.lock().lines())
    }

    /// The next line after showing `prompt`; `None` at the end of input. Ctrl-C in the
    /// editor abandons the line being typed.
    fn read(&mut self, prompt: &str) -> Option<String> {
        match self {
            Input::Editor(editor) => loop {
                match editor.readline(prompt) {
                    Ok(line) => return Some(line),
                    Err(rustyline::error::ReadlineError::Interrupted) => continue,
                    Err(_) => return None,
                }
            },
            Input::Piped(lines) => {
                print!("{prompt}");
                let _ = std::io::stdout().flush();
                let line = lines.next()?.ok()?;
                println!("{line}");
                Some(line)
            }
        }
    }

    /// Adds a complete (possibly multi-line) statement to the editor's history.
    fn remember(&mut self, statement: &str) {
        if let Input::Editor(editor) = self {
            let _ = editor.add_history_entry(statement);
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
                report(Prefix::None, &error);
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
            if let Some(failure) = failure {
                message(Prefix::None, &format!("error calling 'print' ({failure})"));
            }
        }
        Ok(_) => {}
        Err(error) => report(Prefix::None, &error),
    }
    Evaluation::Done
}
