//! Building VMs, loading code, app data, and the handle types.

use red_moon::errors::RuntimeError;
use red_moon::interpreter::{
    CoroutineRef, CoroutineStatus, FunctionRef, Libraries, Limits, TableRef, Value, Vm,
};
use red_moon::stdlib::os::TimeSource;

fn has_global(vm: &mut Vm, name: &str) -> bool {
    let ctx = &mut vm.context();
    let env = ctx.default_environment();
    !env.raw_get::<_, Value>(name, ctx).unwrap().is_nil()
}

#[test]
fn default_vm_has_only_safe_libraries() {
    let mut vm = Vm::default();
    for name in [
        "print",
        "string",
        "table",
        "math",
        "coroutine",
        "utf8",
        "os",
        "require",
    ] {
        assert!(has_global(&mut vm, name), "{name}");
    }
    for name in ["io", "debug", "dofile", "loadfile"] {
        assert!(!has_global(&mut vm, name), "{name}");
    }
    let ctx = &mut vm.context();
    let execute: Value = ctx.exec(b"return os.execute", "=test").unwrap();
    assert!(execute.is_nil());
}

#[test]
fn builder_chooses_libraries() {
    let mut vm = Vm::builder()
        .libraries(Libraries::BASE | Libraries::MATH)
        .build()
        .unwrap();
    assert!(has_global(&mut vm, "print"));
    assert!(has_global(&mut vm, "math"));
    assert!(!has_global(&mut vm, "string"));
    let mut empty = Vm::builder().libraries(Libraries::NONE).build().unwrap();
    assert!(!has_global(&mut empty, "print"));
    let mut all = Vm::builder().libraries(Libraries::ALL).build().unwrap();
    for name in ["io", "debug", "dofile"] {
        assert!(has_global(&mut all, name), "{name}");
    }
    let mut debug_only = Vm::builder()
        .libraries(Libraries::SAFE | Libraries::DEBUG)
        .build()
        .unwrap();
    assert!(has_global(&mut debug_only, "debug"));
    assert!(!has_global(&mut debug_only, "io"));
}

#[test]
fn builder_sets_limits_seed_fuel_and_clock() {
    let draw = |vm: &mut Vm| -> Vec<i64> {
        let ctx = &mut vm.context();
        ctx.exec(
            b"local t = {} for i = 1, 5 do t[i] = math.random(1000) end return t",
            "=test",
        )
        .unwrap()
    };
    let mut a = Vm::builder().random_seed(1, 2).build().unwrap();
    let mut b = Vm::builder().random_seed(1, 2).build().unwrap();
    let mut c = Vm::builder().random_seed(3, 4).build().unwrap();
    assert_eq!(draw(&mut a), draw(&mut b));
    assert_ne!(draw(&mut a), draw(&mut c));

    let mut limited = Vm::builder()
        .limits(Limits {
            memory: 4 << 20,
            ..Limits::default()
        })
        .build()
        .unwrap();
    assert_eq!(limited.limits().memory, 4 << 20);
    let ctx = &mut limited.context();
    let error = ctx
        .exec::<()>(b"local s = string.rep('x', 8 << 20)", "=test")
        .unwrap_err();
    assert!(error.to_string().contains("not enough memory"), "{error}");

    let mut fueled = Vm::builder().fuel(100).build().unwrap();
    let ctx = &mut fueled.context();
    assert!(matches!(
        ctx.exec::<()>(b"for i = 1, 1000 do end", "=test"),
        Err(RuntimeError::Paused)
    ));
    ctx.add_fuel(10_000);
    ctx.resume::<()>().unwrap();

    let mut clock = Vm::builder()
        .time_source(TimeSource::Fixed {
            unix_time: 1000,
            cpu_clock: 0.0,
            utc_offset: 0,
        })
        .build()
        .unwrap();
    let ctx = &mut clock.context();
    assert_eq!(ctx.exec::<i64>(b"return os.time()", "=test").unwrap(), 1000);
}

#[test]
fn load_with_chunk_names_and_environments() {
    let mut vm = Vm::default();
    let ctx = &mut vm.context();
    let env = ctx.create_table().unwrap();
    env.set("x", 5, ctx).unwrap();
    let f = ctx
        .load(b"y = x * 2 return y", "=sandbox", Some(&env))
        .unwrap();
    assert_eq!(f.call::<_, i64>((), ctx).unwrap(), 10);
    assert_eq!(env.get::<_, i64>("y", ctx).unwrap(), 10);
    let globals = ctx.default_environment();
    assert!(globals.get::<_, Value>("y", ctx).unwrap().is_nil());
    // Chunk names show in errors, as in Lua.
    let f = ctx
        .load(b"\n\nerror('boom')", "@scripts/init.lua", None)
        .unwrap();
    assert_eq!(
        f.call::<_, ()>((), ctx).unwrap_err().to_string(),
        "scripts/init.lua:3: boom"
    );
    let f = ctx.load(b"error('boom')", "chunk", None).unwrap();
    assert_eq!(
        f.call::<_, ()>((), ctx).unwrap_err().to_string(),
        "[string \"chunk\"]:1: boom"
    );
    match ctx.load(b"x = = 1", "=bad", None) {
        Err(RuntimeError::Syntax(message)) => {
            assert_eq!(message, "bad:1: unexpected symbol near '='")
        }
        other => panic!("{other:?}"),
    }
    // Runtime errors carry the error value and a traceback.
    let error = ctx.exec::<()>(b"error({code = 7})", "=test").unwrap_err();
    let RuntimeError::Lua {
        value, traceback, ..
    } = error
    else {
        panic!()
    };
    let Value::Table(t) = value else { panic!() };
    assert_eq!(t.get::<_, i64>("code", ctx).unwrap(), 7);
    assert!(traceback.is_some());
}

#[test]
fn table_handles() {
    let mut vm = Vm::default();
    let ctx = &mut vm.context();
    let t: TableRef = ctx
        .exec(
            b"return setmetatable({1, 2, 3, x = 'raw'}, {
                __index = function(_, k) return 'meta ' .. k end,
                __newindex = function(t, k, v) rawset(t, k, v * 10) end,
                __len = function() return 99 end,
              })",
            "=test",
        )
        .unwrap();
    assert_eq!(t.get::<_, String>("y", ctx).unwrap(), "meta y");
    assert_eq!(t.raw_get::<_, Option<String>>("y", ctx).unwrap(), None);
    t.set("z", 2, ctx).unwrap();
    assert_eq!(t.raw_get::<_, i64>("z", ctx).unwrap(), 20);
    t.raw_set("w", 2, ctx).unwrap();
    assert_eq!(t.raw_get::<_, i64>("w", ctx).unwrap(), 2);
    assert_eq!(t.len(ctx).unwrap(), Value::Integer(99));
    assert_eq!(t.raw_len(ctx).unwrap(), 3);
    let keys: Vec<String> = t
        .pairs(ctx)
        .unwrap()
        .into_iter()
        .map(|(k, _)| match k {
            Value::Integer(i) => i.to_string(),
            Value::String(s) => s.to_string_lossy(ctx).unwrap(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(keys[..3], ["1", "2", "3"]);
    assert_eq!(keys.len(), 6);
    // `next` follows the same order as Lua's `next`.
    let lua_keys: FunctionRef = ctx
        .exec(
            b"return function(t) local out = {} for k in next, t do out[#out + 1] = tostring(k) end return out end",
            "=test",
        )
        .unwrap();
    let lua_order: Vec<String> = lua_keys.call(&t, ctx).unwrap();
    assert_eq!(lua_order, keys);
    let error = t.next(Value::Integer(1000), ctx).unwrap_err();
    assert!(
        error.to_string().contains("invalid key to 'next'"),
        "{error}"
    );
    assert!(t.metatable(ctx).unwrap().is_some());
    t.set_metatable(None, ctx).unwrap();
    assert_eq!(t.get::<_, Option<String>>("y", ctx).unwrap(), None);
    assert!(matches!(
        t.raw_set(f64::NAN, 1, ctx),
        Err(RuntimeError::Lua { .. })
    ));
}

#[test]
fn coroutine_handles() {
    let mut vm = Vm::default();
    let ctx = &mut vm.context();
    let body: FunctionRef = ctx
        .exec(
            b"return function(a)
                local b = coroutine.yield(a * 2)
                error('stop ' .. b, 0)
              end",
            "=test",
        )
        .unwrap();
    let co = ctx.create_coroutine(&body).unwrap();
    assert_eq!(co.status(ctx).unwrap(), CoroutineStatus::Suspended);
    assert_eq!(co.resume::<_, i64>(21, ctx).unwrap(), 42);
    let error = co.resume::<_, ()>("now", ctx).unwrap_err();
    assert_eq!(error.to_string(), "stop now");
    assert_eq!(co.status(ctx).unwrap(), CoroutineStatus::Dead);
    let error = co.resume::<_, ()>((), ctx).unwrap_err();
    assert!(
        error.to_string().contains("cannot resume dead coroutine"),
        "{error}"
    );
    // A coroutine created by Lua, resumed by the host, pausing for fuel.
    let co: CoroutineRef = ctx
        .exec(
            b"return coroutine.create(function() local s = 0 for i = 1, 1e5 do s = s + i end coroutine.yield(s) return 'end' end)",
            "=test",
        )
        .unwrap();
    ctx.set_fuel(1000);
    assert!(matches!(
        co.resume::<_, i64>((), ctx),
        Err(RuntimeError::Paused)
    ));
    ctx.set_fuel(i64::MAX);
    assert_eq!(ctx.resume::<i64>().unwrap(), 5000050000);
    assert_eq!(co.resume::<_, String>((), ctx).unwrap(), "end");
}

#[test]
fn handles_are_valid_in_clones_and_keep_objects_alive() {
    let mut vm = Vm::default();
    let ctx = &mut vm.context();
    let t: TableRef = ctx.exec(b"return {value = 1}", "=test").unwrap();
    ctx.exec::<()>(b"collectgarbage() collectgarbage()", "=test")
        .unwrap();
    assert_eq!(t.get::<_, i64>("value", ctx).unwrap(), 1);
    let mut copy = vm.clone();
    let copy_ctx = &mut copy.context();
    copy_ctx
        .exec::<()>(b"collectgarbage() collectgarbage()", "=test")
        .unwrap();
    t.set("value", 2, copy_ctx).unwrap();
    let ctx = &mut vm.context();
    assert_eq!(t.get::<_, i64>("value", ctx).unwrap(), 1);
    let copy_ctx = &mut copy.context();
    assert_eq!(t.get::<_, i64>("value", copy_ctx).unwrap(), 2);
    // A handle from an unrelated VM is rejected.
    let mut other = Vm::default();
    let other_ctx = &mut other.context();
    assert!(matches!(
        t.get::<_, i64>("value", other_ctx),
        Err(RuntimeError::InvalidHandle)
    ));
    // ...and after `clone_from` an unrelated VM, so are the old handles.
    let unrelated = Vm::default();
    vm.clone_from(&unrelated);
    let ctx = &mut vm.context();
    assert!(matches!(
        t.get::<_, i64>("value", ctx),
        Err(RuntimeError::InvalidHandle)
    ));
}

#[test]
fn app_data_is_per_vm_copy() {
    #[derive(Clone, Debug, PartialEq)]
    struct Frame(u64);
    let mut vm = Vm::default();
    assert_eq!(vm.set_app_data(Frame(1)), None);
    assert_eq!(vm.set_app_data(Frame(2)), Some(Frame(1)));
    let ctx = &mut vm.context();
    let advance = ctx.create_function(|call_ctx, ctx| {
        let frame = ctx
            .app_data_mut::<Frame>()
            .ok_or_else(|| RuntimeError::message("no frame"))?;
        frame.0 += 1;
        let n = frame.0;
        call_ctx.return_values(n, ctx)
    });
    ctx.default_environment()
        .set("advance", advance, ctx)
        .unwrap();
    assert_eq!(ctx.exec::<u64>(b"return advance()", "=test").unwrap(), 3);
    let mut copy = vm.clone();
    let copy_ctx = &mut copy.context();
    assert_eq!(
        copy_ctx.exec::<u64>(b"return advance()", "=test").unwrap(),
        4
    );
    assert_eq!(vm.app_data::<Frame>(), Some(&Frame(3)));
    assert_eq!(copy.app_data::<Frame>(), Some(&Frame(4)));
    assert_eq!(vm.remove_app_data::<Frame>(), Some(Frame(3)));
    let ctx = &mut vm.context();
    let error = ctx.exec::<u64>(b"return advance()", "=test").unwrap_err();
    assert_eq!(error.to_string(), "test:1: no frame");
}
