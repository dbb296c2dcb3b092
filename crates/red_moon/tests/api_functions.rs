//! Host functions: arguments, errors, calls back into Lua, yields and continuations.

use red_moon::errors::RuntimeError;
use red_moon::interpreter::{FunctionRef, MultiValue, Value, Variadic, Vm, VmContext};

fn set_global(ctx: &mut VmContext, name: &str, function: FunctionRef) {
    ctx.default_environment().set(name, function, ctx).unwrap();
}

fn exec_error(ctx: &mut VmContext, source: &str) -> String {
    ctx.exec::<()>(source.as_bytes(), "=test")
        .unwrap_err()
        .to_string()
}

#[test]
fn arguments_by_position_raise_puc_errors() {
    let mut vm = Vm::default();
    let ctx = &mut vm.context();
    let f = ctx.create_function(|call_ctx, ctx| {
        let n: i64 = call_ctx.arg(1, ctx)?;
        let s: String = call_ctx.arg(2, ctx)?;
        let flag: Option<bool> = call_ctx.arg(3, ctx)?;
        call_ctx.return_values((n, s, flag), ctx)
    });
    set_global(ctx, "f", f);
    let (n, s, flag): (i64, String, Option<bool>) =
        ctx.exec(b"return f(4, 'x', true)", "=test").unwrap();
    assert_eq!((n, s.as_str(), flag), (4, "x", Some(true)));
    assert_eq!(
        exec_error(ctx, "f()"),
        "test:1: bad argument #1 to 'f' (number expected, got no value)"
    );
    assert_eq!(
        exec_error(ctx, "f(nil)"),
        "test:1: bad argument #1 to 'f' (number expected, got nil)"
    );
    assert_eq!(
        exec_error(ctx, "f(1.5)"),
        "test:1: bad argument #1 to 'f' (number has no integer representation)"
    );
    assert_eq!(
        exec_error(ctx, "f(1, {})"),
        "test:1: bad argument #2 to 'f' (string expected, got table)"
    );
    // Numeric strings convert like luaL_checkinteger.
    let (n, _, _): (i64, String, Option<bool>) = ctx.exec(b"return f('10', 2)", "=test").unwrap();
    assert_eq!(n, 10);
    // Method calls count `self` like PUC does.
    assert_eq!(
        exec_error(ctx, "local t = {f = f}; t:f()"),
        "test:1: calling 'f' on bad self (number expected, got table)"
    );
}

#[test]
fn tuple_arguments_report_their_position() {
    let mut vm = Vm::default();
    let ctx = &mut vm.context();
    let f = ctx.create_function(|call_ctx, ctx| {
        let (_a, _b, _c): (i64, u8, String) = call_ctx.get_args(ctx)?;
        call_ctx.return_values((), ctx)
    });
    set_global(ctx, "f", f);
    assert_eq!(
        exec_error(ctx, "f(1, 300, 's')"),
        "test:1: bad argument #2 to 'f' (value out of range)"
    );
    assert_eq!(
        exec_error(ctx, "f(1, 2)"),
        "test:1: bad argument #3 to 'f' (string expected, got no value)"
    );
    let variadic = ctx.create_function(|call_ctx, ctx| {
        let Variadic(numbers): Variadic<f64> = call_ctx.get_args(ctx)?;
        call_ctx.return_values(numbers.iter().sum::<f64>(), ctx)
    });
    set_global(ctx, "sum", variadic);
    let total: f64 = ctx.exec(b"return sum(1, 2, 3.5)", "=test").unwrap();
    assert_eq!(total, 6.5);
    assert_eq!(
        exec_error(ctx, "sum(1, 2, false)"),
        "test:1: bad argument #3 to 'sum' (number expected, got boolean)"
    );
}

#[test]
fn host_errors_become_lua_errors() {
    let mut vm = Vm::default();
    let ctx = &mut vm.context();
    let fail = ctx.create_function(|_, _| -> Result<MultiValue, RuntimeError> {
        Err(RuntimeError::message("it broke"))
    });
    set_global(ctx, "fail", fail);
    let (ok, message): (bool, String) = ctx.exec(b"return pcall(fail)", "=test").unwrap();
    assert!(!ok);
    assert_eq!(message, "it broke");
    assert_eq!(exec_error(ctx, "fail()"), "test:1: it broke");
}

#[test]
fn native_calls_back_into_lua() {
    let mut vm = Vm::default();
    let ctx = &mut vm.context();
    let apply = ctx.create_function(|call_ctx, ctx| {
        let (f, x): (FunctionRef, i64) = call_ctx.get_args(ctx)?;
        let y: i64 = f.call(x, ctx)?;
        call_ctx.return_values(y + 1, ctx)
    });
    set_global(ctx, "apply", apply);
    let n: i64 = ctx
        .exec(b"return apply(function(x) return x * 2 end, 20)", "=test")
        .unwrap();
    assert_eq!(n, 41);
    // Errors of the callback propagate as Lua errors (catchable by pcall).
    let (ok, message): (bool, String) = ctx
        .exec(
            b"return pcall(apply, function() error('inner') end, 1)",
            "=test",
        )
        .unwrap();
    assert!(!ok);
    assert!(message.ends_with("inner"), "{message}");
}

#[test]
fn plain_function_yields_and_returns_resume_values() {
    let mut vm = Vm::default();
    let ctx = &mut vm.context();
    let wait = ctx.create_function(|call_ctx, ctx| {
        let ticks: i64 = call_ctx.arg(1, ctx)?;
        call_ctx.yield_values(ticks * 2, Value::Nil, ctx)
    });
    set_global(ctx, "wait", wait);
    let (a, b, c): (i64, i64, String) = ctx
        .exec(
            b"local co = coroutine.create(function(x)
                local r1, r2 = wait(x)
                return r1 + r2
              end)
              local _, yielded = coroutine.resume(co, 21)
              local _, result = coroutine.resume(co, 40, 2)
              return yielded, result, coroutine.status(co)",
            "=test",
        )
        .unwrap();
    assert_eq!((a, b, c.as_str()), (42, 42, "dead"));
    // Outside a coroutine, yielding is an error.
    assert_eq!(
        exec_error(ctx, "wait(1)"),
        "attempt to yield from outside a coroutine"
    );
}

#[test]
fn plain_call_then_is_a_tail_call() {
    let mut vm = Vm::default();
    let ctx = &mut vm.context();
    let call_with_ten = ctx.create_function(|call_ctx, ctx| {
        let f: Value = call_ctx.arg(1, ctx)?;
        call_ctx.call_then(f, 10, Value::Nil, ctx)
    });
    set_global(ctx, "call_with_ten", call_with_ten);
    let (a, b): (i64, i64) = ctx
        .exec(
            b"return call_with_ten(function(x) return x + 1, x + 2 end)",
            "=test",
        )
        .unwrap();
    assert_eq!((a, b), (11, 12));
    // The called function may yield: the host function does not hold the Rust stack.
    let yielded: Vec<i64> = ctx
        .exec(
            b"local co = coroutine.wrap(function()
                return call_with_ten(function(x) return coroutine.yield(x) * 3 end)
              end)
              return {co(), co(5)}",
            "=test",
        )
        .unwrap();
    assert_eq!(yielded, vec![10, 15]);
}

/// `map(f, list)`: calls `f` on every element from the interpreter loop; the state is the
/// table being built.
fn create_map(ctx: &mut VmContext) -> FunctionRef {
    ctx.create_resumable_function(
        |call_ctx, ctx| {
            let (f, list): (FunctionRef, Vec<Value>) = call_ctx.get_args(ctx)?;
            let state = ctx.create_table()?;
            state.set("f", f.clone(), ctx)?;
            state.set("list", list.clone(), ctx)?;
            state.set("out", ctx.create_table()?, ctx)?;
            state.set("i", 1, ctx)?;
            match list.first() {
                Some(first) => call_ctx.call_then(f, first, state, ctx),
                None => call_ctx
                    .return_values(state.get::<_, Value>("out", ctx)?, ctx)
                    .map(Into::into),
            }
        },
        |call_ctx, ctx| {
            let state: red_moon::interpreter::TableRef = ctx.convert(call_ctx.state().clone())?;
            let i: i64 = state.get("i", ctx)?;
            let out: red_moon::interpreter::TableRef = state.get("out", ctx)?;
            out.raw_set(i, call_ctx.args().get(0), ctx)?;
            let list: red_moon::interpreter::TableRef = state.get("list", ctx)?;
            let next: Value = list.raw_get(i + 1, ctx)?;
            if next.is_nil() {
                return call_ctx.return_values(out, ctx).map(Into::into);
            }
            state.set("i", i + 1, ctx)?;
            let f: FunctionRef = state.get("f", ctx)?;
            call_ctx.call_then(f, next, state, ctx)
        },
    )
}

#[test]
fn resumable_function_calls_lua_without_reentry() {
    let mut vm = Vm::default();
    let ctx = &mut vm.context();
    let map = create_map(ctx);
    set_global(ctx, "map", map);
    let doubled: Vec<i64> = ctx
        .exec(
            b"return map(function(x) return x * 2 end, {1, 2, 3})",
            "=test",
        )
        .unwrap();
    assert_eq!(doubled, vec![2, 4, 6]);
    // The callback can yield across the host function.
    let result: Vec<i64> = ctx
        .exec(
            b"local co = coroutine.wrap(function()
                return map(function(x) return coroutine.yield(x) end, {1, 2})
              end)
              local a = co()
              local b = co(a + 100)
              local t = co(b + 100)
              return {a, b, t[1], t[2]}",
            "=test",
        )
        .unwrap();
    assert_eq!(result, vec![1, 2, 101, 102]);
    // Errors in the callback propagate through the waiting host function.
    let (ok, message): (bool, String) = ctx
        .exec(
            b"return pcall(map, function(x) error('bad ' .. x, 0) end, {7})",
            "=test",
        )
        .unwrap();
    assert!(!ok);
    assert_eq!(message, "bad 7");
}

#[test]
fn resumable_function_pauses_for_fuel_inside_its_call() {
    let mut vm = Vm::default();
    let ctx = &mut vm.context();
    let map = create_map(ctx);
    set_global(ctx, "map", map);
    let f = ctx
        .load(
            b"return map(function(x) local s = 0 for i = 1, x do s = s + i end return s end, {1000, 2000})",
            "=test",
            None,
        )
        .unwrap();
    ctx.set_fuel(1500);
    let first = f.call::<_, Vec<i64>>((), ctx);
    assert!(matches!(first, Err(RuntimeError::Paused)), "{first:?}");
    let mut result = None;
    for _ in 0..100 {
        ctx.add_fuel(1500);
        match ctx.resume::<Vec<i64>>() {
            Ok(values) => {
                result = Some(values);
                break;
            }
            Err(RuntimeError::Paused) => {
                // The paused VM can be cloned mid-call.
                let mut copy = ctx.vm().clone();
                let copy_ctx = &mut copy.context();
                copy_ctx.add_fuel(1_000_000);
                let from_copy: Vec<i64> = copy_ctx.resume().unwrap();
                assert_eq!(from_copy, vec![500500, 2001000]);
            }
            Err(other) => panic!("{other}"),
        }
    }
    assert_eq!(result, Some(vec![500500, 2001000]));
}

#[test]
fn resumable_function_yields_with_state() {
    let mut vm = Vm::default();
    let ctx = &mut vm.context();
    // Yields `n` times, then returns the sum of the values it was resumed with.
    let collect = ctx.create_resumable_function(
        |call_ctx, ctx| {
            let n: i64 = call_ctx.arg(1, ctx)?;
            call_ctx.yield_values("ready", vec![n, 0], ctx)
        },
        |call_ctx, ctx| {
            let state: Vec<i64> = ctx.convert(call_ctx.state().clone())?;
            let input: i64 = call_ctx.arg(1, ctx)?;
            let (left, sum) = (state[0] - 1, state[1] + input);
            if left == 0 {
                return call_ctx.return_values(("done", sum), ctx).map(Into::into);
            }
            call_ctx.yield_values(left, vec![left, sum], ctx)
        },
    );
    set_global(ctx, "collect", collect);
    let log: Vec<String> = ctx
        .exec(
            b"local co = coroutine.create(collect)
              local log = {}
              local function step(...)
                local ok, a, b = coroutine.resume(co, ...)
                log[#log + 1] = tostring(ok) .. ' ' .. tostring(a) .. ' ' .. tostring(b)
              end
              step(3) step(10) step(20) step(12) step(1)
              return log",
            "=test",
        )
        .unwrap();
    assert_eq!(
        log,
        vec![
            "true ready nil",
            "true 2 nil",
            "true 1 nil",
            "true done 42",
            "false cannot resume dead coroutine nil",
        ]
    );
    // A bad resume value raises a bad argument error from the continuation.
    let message: String = ctx
        .exec(
            b"local co = coroutine.create(collect)
              coroutine.resume(co, 2)
              local ok, message = coroutine.resume(co, 'not a number')
              return message",
            "=test",
        )
        .unwrap();
    assert!(message.contains("number expected, got string"), "{message}");
}

#[test]
fn host_function_state_is_per_vm_clone() {
    let mut vm = Vm::default();
    let ctx = &mut vm.context();
    let counter = std::cell::Cell::new(0);
    let next = ctx.create_function(move |call_ctx, ctx| {
        counter.set(counter.get() + 1);
        call_ctx.return_values(counter.get(), ctx)
    });
    assert_eq!(next.call::<_, i32>((), ctx).unwrap(), 1);
    let mut copy = vm.clone();
    let ctx = &mut vm.context();
    assert_eq!(next.call::<_, i32>((), ctx).unwrap(), 2);
    let copy_ctx = &mut copy.context();
    assert_eq!(next.call::<_, i32>((), copy_ctx).unwrap(), 2);
}
