//! `red-moon`: a drop-in for the `lua` standalone interpreter, running on Red Moon.

mod options;
mod repl;

use options::{Action, Options};
use red_moon::errors::RuntimeError;
use red_moon::interpreter::{FunctionRef, MultiValue, Value, Vm, VmContext};
use std::process::ExitCode;

const PROGNAME: &str = "red-moon";

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().collect();
    let options = match options::parse(&argv) {
        Ok(options) => options,
        Err(error) => {
            eprintln!("{PROGNAME}: {error}");
            eprint!("{}", options::USAGE.replace("PROGNAME", PROGNAME));
            return ExitCode::from(1);
        }
    };
    match run(&argv, &options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(()) => ExitCode::from(1),
    }
}

fn new_vm(options: &Options) -> Vm {
    let mut vm = if options.sandbox {
        Vm::default()
    } else {
        Vm::empty()
    };
    if !options.sandbox {
        // `-E`: like lua.c's LUA_NOENV, set before the libraries read LUA_PATH and friends.
        if options.ignore_environment {
            if let Err(error) = vm.set_ignore_environment(true) {
                eprintln!("{PROGNAME}: cannot configure libraries: {error}");
            }
        }
        if let Err(error) = vm.open_all_libraries() {
            eprintln!("{PROGNAME}: cannot open libraries: {error}");
        }
        vm.set_process_spawning(true);
    }
    if let Some(limit) = options.memory_limit {
        let mut limits = vm.limits().clone();
        limits.memory = limit;
        vm.set_limits(limits);
    }
    if let Some(fuel) = options.fuel {
        vm.context().set_fuel(fuel);
    }
    vm.set_warnings(options.warnings);
    vm.set_generational_gc(true);
    vm
}

fn run(argv: &[String], options: &Options) -> Result<(), ()> {
    let mut vm = new_vm(options);
    let result = run_in(&mut vm, argv, options);
    // As lua.c's lua_close, success or not: pending finalizers run (their errors become
    // warnings).
    vm.close();
    result
}

fn run_in(vm: &mut Vm, argv: &[String], options: &Options) -> Result<(), ()> {
    let ctx = &mut vm.context();
    create_arg_table(ctx, argv, options.script).map_err(|e| report(&e))?;
    if options.version {
        print_version();
    }
    if !options.ignore_environment {
        run_lua_init(ctx)?;
    }
    for action in &options.actions {
        match action {
            Action::Execute(code) => {
                run_chunk(ctx, code.as_bytes(), "=(command line)", MultiValue::new())?
            }
            Action::Require { global, module } => require(ctx, global, module)?,
        }
    }
    if let Some(index) = options.script {
        run_script(ctx, argv, index)?;
    }
    if options.interactive {
        repl::run(ctx);
    } else if options.script.is_none() && options.actions.is_empty() && !options.version {
        if std::io::IsTerminal::is_terminal(&std::io::stdin()) {
            print_version();
            repl::run(ctx);
        } else {
            run_file(ctx, None, Some(MultiValue::new()))?;
        }
    }
    Ok(())
}

fn print_version() {
    println!("Red Moon {} (Lua 5.4)", env!("CARGO_PKG_VERSION"));
}

/// `arg`: the script at 0, its arguments at 1.., the interpreter and options at negative
/// indices.
fn create_arg_table(
    ctx: &mut VmContext,
    argv: &[String],
    script: Option<usize>,
) -> Result<(), RuntimeError> {
    let table = ctx.create_table()?;
    let script = script.unwrap_or(argv.len());
    for (i, arg) in argv.iter().enumerate() {
        table.raw_set(i as i64 - script as i64, arg.as_str(), ctx)?;
    }
    ctx.default_environment().set("arg", table, ctx)
}

fn run_lua_init(ctx: &mut VmContext) -> Result<(), ()> {
    let (name, value) = match std::env::var("LUA_INIT_5_4") {
        Ok(v) => ("=LUA_INIT_5_4", v),
        Err(_) => match std::env::var("LUA_INIT") {
            Ok(v) => ("=LUA_INIT", v),
            Err(_) => return Ok(()),
        },
    };
    match value.strip_prefix('@') {
        Some(path) => run_file(ctx, Some(path), Some(MultiValue::new())),
        None => run_chunk(ctx, value.as_bytes(), name, MultiValue::new()),
    }
}

fn run_chunk(
    ctx: &mut VmContext,
    source: &[u8],
    chunk_name: &str,
    args: MultiValue,
) -> Result<(), ()> {
    let function = ctx.load(source, chunk_name, None).map_err(|e| report(&e))?;
    call(ctx, &function, args)
}

fn call(ctx: &mut VmContext, function: &FunctionRef, args: MultiValue) -> Result<(), ()> {
    match function.call::<_, MultiValue>(args, ctx) {
        Ok(_) => Ok(()),
        Err(error) => Err(report(&error)),
    }
}

/// Runs a file (or stdin) as the `lua` standalone does: `#` first line skipped, chunk name
/// `@path` (`=stdin` for standard input).
fn run_file(ctx: &mut VmContext, path: Option<&str>, args: Option<MultiValue>) -> Result<(), ()> {
    let function = match path {
        Some(path) => ctx.load_file(path),
        None => {
            let mut source = Vec::new();
            if let Err(error) = std::io::Read::read_to_end(&mut std::io::stdin(), &mut source) {
                eprintln!("{PROGNAME}: cannot read stdin: {error}");
                return Err(());
            }
            ctx.load(
                &red_moon::interpreter::skip_file_prefix(&source),
                "=stdin",
                None,
            )
        }
    }
    .map_err(|e| report(&e))?;
    let args = match args {
        Some(args) => args,
        None => script_arguments(ctx)?,
    };
    call(ctx, &function, args)
}

/// The script's arguments: `arg[1..#arg]` as the table is when the script starts (after
/// `-e` code may have changed it), as `lua.c` does.
fn script_arguments(ctx: &mut VmContext) -> Result<MultiValue, ()> {
    let arg: Value = ctx
        .default_environment()
        .get("arg", ctx)
        .map_err(|e| report(&e))?;
    let Value::Table(arg) = arg else {
        eprintln!("{PROGNAME}: 'arg' is not a table");
        return Err(());
    };
    let count = match arg.len(ctx).map_err(|e| report(&e))? {
        Value::Integer(n) => n,
        Value::Float(f) if f.fract() == 0.0 => f as i64,
        _ => {
            eprintln!("{PROGNAME}: object length is not an integer");
            return Err(());
        }
    };
    let mut values = Vec::new();
    for i in 1..=count {
        values.push(arg.get(i, ctx).map_err(|e| report(&e))?);
    }
    Ok(MultiValue(values))
}

fn run_script(ctx: &mut VmContext, argv: &[String], index: usize) -> Result<(), ()> {
    let path = argv[index].as_str();
    let path = if path == "-" && argv.get(index - 1).map(String::as_str) != Some("--") {
        None
    } else {
        Some(path)
    };
    run_file(ctx, path, None)
}

fn require(ctx: &mut VmContext, global: &str, module: &str) -> Result<(), ()> {
    let env = ctx.default_environment();
    let require: Value = env.get("require", ctx).map_err(|e| report(&e))?;
    let Value::Function(require) = require else {
        eprintln!("{PROGNAME}: 'require' is not available");
        return Err(());
    };
    let result: Value = require.call(module, ctx).map_err(|e| report(&e))?;
    env.set(global, result, ctx).map_err(|e| report(&e))
}

/// Prints an error like `lua.c`: `red-moon: message` and the traceback.
pub(crate) fn report(error: &RuntimeError) {
    match error {
        RuntimeError::Lua {
            value,
            message,
            traceback,
        } => {
            eprintln!("{PROGNAME}: {message}");
            // lua.c's message handler: an error object other than a string or number that
            // converts itself with `__tostring` is the whole message, without traceback.
            let converted = !matches!(
                value,
                Value::String(_) | Value::Integer(_) | Value::Float(_)
            ) && !message.starts_with("(error object is a ");
            if let (Some(traceback), false) = (traceback, converted) {
                eprintln!("{traceback}\n\t[C]: in ?");
            }
        }
        RuntimeError::Paused => eprintln!("{PROGNAME}: fuel exhausted"),
        other => eprintln!("{PROGNAME}: {other}"),
    }
}
