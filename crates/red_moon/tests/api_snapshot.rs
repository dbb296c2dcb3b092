//! The embedding API across VM serialization: userdata, suspended host functions,
//! app data and handles.
#![cfg(feature = "serde")]

use red_moon::errors::RuntimeError;
use red_moon::interpreter::{
    CoroutineRef, FunctionRef, UserData, UserDataMethods, UserDataRef, Value, Vm, VmContext,
};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct Inventory {
    items: Vec<String>,
    gold: u32,
}

impl UserData for Inventory {
    fn add_methods(methods: &mut UserDataMethods<Self>) {
        methods.add_method_mut("add", |_, inventory: &mut Inventory, item: String| {
            inventory.items.push(item);
            Ok(inventory.items.len())
        });
        methods.add_method("gold", |_, inventory: &Inventory, ()| Ok(inventory.gold));
        methods.add_meta_method("__len", |_, inventory: &Inventory, ()| {
            Ok(inventory.items.len())
        });
    }
}

/// Not registered for serialization.
#[derive(Clone)]
struct Secret(#[allow(dead_code)] u64);
impl UserData for Secret {}

fn serialize(vm: &Vm) -> Vec<u8> {
    postcard::to_allocvec(vm).unwrap()
}

fn deserialize(bytes: &[u8]) -> Vm {
    postcard::from_bytes(bytes).unwrap()
}

#[test]
fn registered_userdata_round_trips_through_postcard() {
    let mut vm = Vm::default();
    let ctx = &mut vm.context();
    ctx.register_userdata_type::<Inventory>("inventory")
        .unwrap();
    let inventory = ctx
        .create_userdata(Inventory {
            items: vec!["map".into()],
            gold: 7,
        })
        .unwrap();
    ctx.default_environment()
        .set("inv", &inventory, ctx)
        .unwrap();
    // A script keeps a copy of a method: it must be rehydrated too.
    ctx.exec::<()>(b"add = inv.add", "=test").unwrap();

    let bytes = serialize(&vm);
    let mut copy = deserialize(&bytes);
    let copy_ctx = &mut copy.context();
    // Before registration the value is still encoded and the methods are not attached.
    let held: UserDataRef = copy_ctx.default_environment().get("inv", copy_ctx).unwrap();
    let error = held.borrow::<Inventory>(copy_ctx).unwrap_err();
    assert!(error.to_string().contains("'inventory'"), "{error}");
    let error = copy_ctx.exec::<()>(b"inv:add('x')", "=test").unwrap_err();
    assert!(error.to_string().contains("inventory.add"), "{error}");

    copy_ctx
        .register_userdata_type::<Inventory>("inventory")
        .unwrap();
    assert_eq!(
        *held.borrow::<Inventory>(copy_ctx).unwrap(),
        Inventory {
            items: vec!["map".into()],
            gold: 7
        }
    );
    let (count, gold, length): (usize, u32, usize) = copy_ctx
        .exec(
            b"inv:add('rope') return add(inv, 'lamp'), inv:gold(), #inv",
            "=test",
        )
        .unwrap();
    assert_eq!((count, gold, length), (3, 7, 3));
    // New values of the type share the rehydrated metatable.
    let fresh = copy_ctx
        .create_userdata(Inventory {
            items: vec![],
            gold: 1,
        })
        .unwrap();
    assert_eq!(
        fresh.call_method::<_, u32>("gold", (), copy_ctx).unwrap(),
        1
    );

    // The original did not change.
    let ctx = &mut vm.context();
    assert_eq!(inventory.borrow::<Inventory>(ctx).unwrap().items.len(), 1);

    // And the copy serializes again, decoded values included.
    let again = serialize(&copy);
    let mut third = deserialize(&again);
    let third_ctx = &mut third.context();
    third_ctx
        .register_userdata_type::<Inventory>("inventory")
        .unwrap();
    assert_eq!(third_ctx.exec::<usize>(b"return #inv", "=test").unwrap(), 3);
}

#[test]
fn unregistered_userdata_names_its_type() {
    let mut vm = Vm::default();
    let ctx = &mut vm.context();
    let secret = ctx.create_userdata(Secret(42)).unwrap();
    ctx.default_environment()
        .set("secret", secret, ctx)
        .unwrap();
    // Postcard drops the message of serialization errors; `check_serializable` has it.
    assert!(postcard::to_allocvec(&vm).is_err());
    let error = vm.check_serializable().unwrap_err().to_string();
    assert!(
        error.contains("api_snapshot::Secret cannot be serialized"),
        "{error}"
    );
    let error = bincode::serialize(&vm).unwrap_err().to_string();
    assert!(error.contains("api_snapshot::Secret"), "{error}");
    // Once it is unreachable and collected, the VM serializes.
    let ctx = &mut vm.context();
    ctx.exec::<()>(b"secret = nil collectgarbage()", "=test")
        .unwrap();
    assert!(vm.check_serializable().is_ok());
    assert!(postcard::to_allocvec(&vm).is_ok());
}

#[test]
fn registration_misuse_is_an_error() {
    let mut vm = Vm::default();
    let ctx = &mut vm.context();
    ctx.create_userdata(Inventory {
        items: vec![],
        gold: 0,
    })
    .unwrap();
    assert!(matches!(
        ctx.register_userdata_type::<Inventory>("inventory"),
        Err(RuntimeError::InvalidState(_))
    ));
    let mut vm = Vm::default();
    let ctx = &mut vm.context();
    assert!(ctx
        .register_userdata_type::<Inventory>("red_moon.x")
        .is_err());
    ctx.register_userdata_type::<Inventory>("inventory")
        .unwrap();
    ctx.register_userdata_type::<Inventory>("inventory")
        .unwrap();
    assert!(ctx.register_userdata_type::<Inventory>("other").is_err());
}

/// Registers `collect(n)`: yields `n` times (yielding how many are left) and returns the
/// sum of the values it was resumed with. Its state lives in the VM, not in the closures.
fn implement_collect(ctx: &mut VmContext) -> Result<bool, RuntimeError> {
    let collect = ctx.create_resumable_function(
        |call_ctx, ctx| {
            let n: i64 = call_ctx.arg(1, ctx)?;
            call_ctx.yield_values(n, vec![n, 0], ctx)
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
    let rehydrated = collect.rehydrate("collect", ctx)?;
    if !rehydrated {
        ctx.default_environment().set("collect", collect, ctx)?;
    }
    Ok(rehydrated)
}

#[test]
fn coroutine_suspended_in_a_host_function_resumes_after_deserialization() {
    let mut vm = Vm::default();
    let ctx = &mut vm.context();
    assert!(!implement_collect(ctx).unwrap());
    let body: FunctionRef = ctx
        .exec(
            b"return function(n)
                local tag, sum = collect(n)
                return tag .. ' ' .. sum
              end",
            "=test",
        )
        .unwrap();
    let co = ctx.create_coroutine(&body).unwrap();
    ctx.default_environment().set("co", &co, ctx).unwrap();
    assert_eq!(co.resume::<_, i64>(3, ctx).unwrap(), 3);
    assert_eq!(co.resume::<_, i64>(10, ctx).unwrap(), 2);

    // Suspended inside the host function's continuation: serialize.
    let bytes = serialize(&vm);
    let mut copy = deserialize(&bytes);
    // Before rehydration, resuming raises a clear error (and kills the coroutine copy).
    let mut broken = copy.clone();
    let broken_ctx = &mut broken.context();
    let co_broken: CoroutineRef = broken_ctx
        .default_environment()
        .get("co", broken_ctx)
        .unwrap();
    let error = co_broken.resume::<_, ()>(1, broken_ctx).unwrap_err();
    assert!(
        error.to_string().contains("'collect' was not rehydrated"),
        "{error}"
    );

    let copy_ctx = &mut copy.context();
    assert!(implement_collect(copy_ctx).unwrap());
    let co_copy: CoroutineRef = copy_ctx.default_environment().get("co", copy_ctx).unwrap();
    assert_eq!(co_copy.resume::<_, i64>(20, copy_ctx).unwrap(), 1);
    let result: String = co_copy.resume(12, copy_ctx).unwrap();
    assert_eq!(result, "done 42");

    // The original continues independently.
    let ctx = &mut vm.context();
    assert_eq!(co.resume::<_, i64>(1, ctx).unwrap(), 1);
    let result: String = co.resume(1, ctx).unwrap();
    assert_eq!(result, "done 12");
}

#[test]
fn host_function_paused_in_its_call_resumes_after_deserialization() {
    fn implement_apply(ctx: &mut VmContext) -> Result<bool, RuntimeError> {
        // `apply(f, x)` = f(x) + 1, calling f from the interpreter loop.
        let apply = ctx.create_resumable_function(
            |call_ctx, ctx| {
                let (f, x): (Value, i64) = call_ctx.get_args(ctx)?;
                call_ctx.call_then(f, x, Value::Nil, ctx)
            },
            |call_ctx, ctx| {
                let result: i64 = call_ctx.arg(1, ctx)?;
                call_ctx.return_values(result + 1, ctx)
            },
        );
        let rehydrated = apply.rehydrate("apply", ctx)?;
        if !rehydrated {
            ctx.default_environment().set("apply", apply, ctx)?;
        }
        Ok(rehydrated)
    }
    let mut vm = Vm::default();
    let ctx = &mut vm.context();
    implement_apply(ctx).unwrap();
    let f = ctx
        .load(
            b"return apply(function(n) local s = 0 for i = 1, n do s = s + i end return s end, 10000)",
            "=test",
            None,
        )
        .unwrap();
    ctx.set_fuel(5000);
    assert!(matches!(
        f.call::<_, i64>((), ctx),
        Err(RuntimeError::Paused)
    ));
    let bytes = serialize(&vm);
    let mut copy = deserialize(&bytes);
    let copy_ctx = &mut copy.context();
    assert!(implement_apply(copy_ctx).unwrap());
    copy_ctx.set_fuel(i64::MAX);
    assert_eq!(copy_ctx.resume::<i64>().unwrap(), 50005001);
}

#[test]
fn app_data_and_handles_stay_host_side() {
    let mut vm = Vm::default();
    vm.set_app_data(String::from("host only"));
    let ctx = &mut vm.context();
    let env = ctx.default_environment();
    env.set("x", 1, ctx).unwrap();
    let clone = vm.clone();
    assert_eq!(
        clone.app_data::<String>().map(String::as_str),
        Some("host only")
    );
    let mut copy = deserialize(&serialize(&vm));
    assert_eq!(copy.app_data::<String>(), None);
    let copy_ctx = &mut copy.context();
    // Handles of the original are not valid in a deserialized copy...
    assert!(matches!(
        env.get::<_, i64>("x", copy_ctx),
        Err(RuntimeError::InvalidHandle)
    ));
    // ...but the copy's own are.
    let copy_env = copy_ctx.default_environment();
    assert_eq!(copy_env.get::<_, i64>("x", copy_ctx).unwrap(), 1);
}

#[test]
fn coroutine_suspended_in_close_after_an_error_resumes_after_deserialization() {
    let mut vm = Vm::default();
    let ctx = &mut vm.context();
    let body: FunctionRef = ctx
        .exec(
            b"return function()
                local ok, err = pcall(function()
                  local x <close> = setmetatable({}, {__close = function(_, e)
                    local extra = coroutine.yield('closing ' .. e)
                    error(e .. ' then ' .. extra, 0)
                  end})
                  error('boom', 0)
                end)
                return tostring(ok) .. ': ' .. err
              end",
            "=test",
        )
        .unwrap();
    let co = ctx.create_coroutine(&body).unwrap();
    ctx.default_environment().set("co", &co, ctx).unwrap();
    let first: String = co.resume((), ctx).unwrap();
    assert_eq!(first, "closing boom");

    // Suspended inside `__close` while pcall unwinds: serialize, resume the copy.
    let bytes = serialize(&vm);
    let mut copy = deserialize(&bytes);
    let copy_ctx = &mut copy.context();
    let co_copy: CoroutineRef = copy_ctx.default_environment().get("co", copy_ctx).unwrap();
    let result: String = co_copy.resume("copy", copy_ctx).unwrap();
    assert_eq!(result, "false: boom then copy");

    let ctx = &mut vm.context();
    let result: String = co.resume("original", ctx).unwrap();
    assert_eq!(result, "false: boom then original");
}

#[test]
fn tables_whose_array_part_absorbed_hash_keys_round_trip() {
    // `t[5]` starts in the hash part; the append of `t[4]` moves its value into the array
    // part and leaves a dead entry behind, which snapshots carry and must accept.
    let mut vm = Vm::default();
    vm.context()
        .exec::<()>(
            b"t = {1, 2, 3}; t[5] = 5; t[4] = 4; u = {}; for i = 2, 100 do u[i] = i end",
            "=test",
        )
        .unwrap();
    let mut copy = deserialize(&serialize(&vm));
    let ctx = &mut copy.context();
    let check = b"local n = 0 for k, v in pairs(t) do n = n + 1 assert(k == v) end \
                  assert(n == 5 and #t == 5) \
                  for i = 2, 100 do assert(u[i] == i) end return true";
    assert!(ctx.exec::<bool>(check, "=test").unwrap());
}
