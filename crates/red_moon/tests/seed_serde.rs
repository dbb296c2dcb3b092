//! The user's third example (rehydration through serde), as written, plus
//! the same round trip through postcard, the format we recommend.
#![cfg(feature = "serde")]

use red_moon::errors::RuntimeError;
#[allow(unused_imports)]
use red_moon::interpreter::{FunctionRef, MultiValue, Value, Vm, VmContext};

fn implement_foo(ctx: &mut VmContext) -> Result<bool, RuntimeError> {
    let f = ctx.create_function(|call_ctx, ctx| call_ctx.return_values("hello", ctx));
    // rehydrate our function using a tag
    // on the first run this will just tag our function
    // on the second run it will overwrite existing functions
    // with this function's implementation and return true
    let rehydrating = f.rehydrate("my_function", ctx)?;
    if !rehydrating {
        // if we're rehydrating we don't want to set values,
        // since a script may have written over our values
        // and we want to keep in sync
        let env = ctx.default_environment();
        env.set("foo", f, ctx)?;
    }
    Ok(rehydrating)
}

#[test]
fn example_3_rehydration_with_bincode() {
    let mut vm = Vm::default();
    let ctx = &mut vm.context();
    // implement some API
    implement_foo(ctx).unwrap();
    // copy a reference of foo to bar
    let env = ctx.default_environment();
    let foo: Value = env.get("foo", ctx).unwrap();
    env.set("bar", foo, ctx).unwrap();
    // serialize for the network
    let serialized_vm = bincode::serialize(&vm).unwrap();
    // ... a network between us ...
    // a new VM deserialized from the previous one
    let mut vm: Vm = bincode::deserialize(&serialized_vm).unwrap();
    let ctx = &mut vm.context();
    // rehydrate
    assert!(implement_foo(ctx).unwrap());
    // testing if bar was updated
    let env = ctx.default_environment();
    let bar: FunctionRef = env.get("bar", ctx).unwrap();
    let result: String = bar.call((), ctx).unwrap();
    assert_eq!(result, "hello");
}

#[test]
fn example_3_rehydration_with_postcard() {
    let mut vm = Vm::default();
    let ctx = &mut vm.context();
    implement_foo(ctx).unwrap();
    let env = ctx.default_environment();
    let foo: Value = env.get("foo", ctx).unwrap();
    env.set("bar", foo, ctx).unwrap();

    let bytes = postcard::to_allocvec(&vm).unwrap();
    let mut vm: Vm = postcard::from_bytes(&bytes).unwrap();
    let ctx = &mut vm.context();
    assert!(implement_foo(ctx).unwrap());
    let env = ctx.default_environment();
    let bar: FunctionRef = env.get("bar", ctx).unwrap();
    let result: String = bar.call((), ctx).unwrap();
    assert_eq!(result, "hello");
}

#[test]
fn unrehydrated_function_raises_a_lua_error() {
    let mut vm = Vm::default();
    let ctx = &mut vm.context();
    implement_foo(ctx).unwrap();
    let bytes = postcard::to_allocvec(&vm).unwrap();
    let mut vm: Vm = postcard::from_bytes(&bytes).unwrap();
    let ctx = &mut vm.context();
    let err = ctx.exec::<()>(b"return foo()", "=test").unwrap_err();
    assert!(err.to_string().contains("my_function"), "{err}");
}
