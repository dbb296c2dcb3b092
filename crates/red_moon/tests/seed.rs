//! The three examples from the user's document, compiled and run as written.
//! They are the API contract: a change that breaks one of them breaks users.

use red_moon::interpreter::{MultiValue, Vm};
use std::cell::Cell;
use std::rc::Rc;

#[test]
fn example_1_rollback_with_clone_from() {
    let mut vm = Vm::default();
    let ctx = &mut vm.context();
    let env = ctx.default_environment();
    env.set("a", 1, ctx).unwrap();
    // copy a version where a = 1
    let snapshot = vm.clone();
    let ctx = &mut vm.context();
    env.set("a", 2, ctx).unwrap();
    // 2 should be stored in a
    let a: i32 = env.get("a", ctx).unwrap();
    assert_eq!(a, 2);
    // rewinding
    vm.clone_from(&snapshot);
    // 1 should be stored in `a`
    let ctx = &mut vm.context();
    let a: i32 = env.get("a", ctx).unwrap();
    assert_eq!(a, 1);
}

#[test]
fn example_2_captures() {
    // interior mutability is fine as long as serialization isn't necessary and Rc is not involved:
    let counter = Cell::new(1);
    // Rc is fine as long as the data is immutable:
    let data = Rc::new(1);
    // Rc with interior mutability will cause issues during rollback:
    let rc_counter = Rc::new(Cell::new(1));
    let mut vm = Vm::default();
    let ctx = &mut vm.context();
    // these can be captured, but not all are bug free:
    let f = ctx.create_function(move |call_ctx, ctx| {
        let count = counter.get();
        counter.set(count + 1);
        call_ctx.return_values(rc_counter.get() + *data + count, ctx)
    });
    // Beyond the document: the function works, and each VM copy owns its
    // own `counter` because captures are cloned with the VM.
    let first: i32 = f.call((), ctx).unwrap();
    assert_eq!(first, 3);
    let snapshot = vm.clone();
    let ctx = &mut vm.context();
    let second: i32 = f.call((), ctx).unwrap();
    assert_eq!(second, 4);
    vm.clone_from(&snapshot);
    let ctx = &mut vm.context();
    let again: i32 = f.call((), ctx).unwrap();
    assert_eq!(again, 4);
    let _unused: Option<MultiValue> = None;
}
