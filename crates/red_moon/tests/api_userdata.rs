//! Userdata: methods and metamethods from Lua, borrowing from natives, clones.

use red_moon::errors::RuntimeError;
use red_moon::interpreter::{
    FunctionRef, UserData, UserDataMethods, UserDataRef, Value, Vm, VmContext,
};

#[derive(Clone, Debug, PartialEq)]
struct Account {
    owner: String,
    balance: i64,
}

impl UserData for Account {
    fn add_methods(methods: &mut UserDataMethods<Self>) {
        methods.add_method("balance", |_, account: &Account, ()| Ok(account.balance));
        methods.add_method("owner", |_, account: &Account, ()| {
            Ok(account.owner.clone())
        });
        methods.add_method_mut("deposit", |_, account: &mut Account, amount: i64| {
            account.balance += amount;
            Ok(account.balance)
        });
        // Calls back into Lua while holding the value (shared): nested shared access works.
        methods.add_method("visit", |ctx, _account: &Account, visitor: FunctionRef| {
            visitor.call::<_, Value>((), ctx)
        });
        // Calls back into Lua while holding the value mutably.
        methods.add_method_mut(
            "update",
            |ctx, account: &mut Account, updater: FunctionRef| {
                let new_balance: i64 = updater.call(account.balance, ctx)?;
                account.balance = new_balance;
                Ok(())
            },
        );
        methods.add_function("new", |ctx, (owner, balance): (String, i64)| {
            ctx.create_userdata(Account { owner, balance })
        });
        methods.add_meta_method("__tostring", |_, account: &Account, ()| {
            Ok(format!("Account({}, {})", account.owner, account.balance))
        });
        methods.add_meta_method("__len", |_, account: &Account, ()| Ok(account.balance));
        methods.add_meta_function("__eq", |ctx, (a, b): (UserDataRef, UserDataRef)| {
            let a = a.borrow::<Account>(ctx)?.clone();
            let b = b.borrow::<Account>(ctx)?;
            Ok(a == *b)
        });
    }
}

fn setup(vm: &mut Vm) -> UserDataRef {
    let ctx = &mut vm.context();
    let account = ctx
        .create_userdata(Account {
            owner: "ada".into(),
            balance: 10,
        })
        .unwrap();
    ctx.default_environment()
        .set("account", &account, ctx)
        .unwrap();
    account
}

#[test]
fn methods_and_metamethods_from_lua() {
    let mut vm = Vm::default();
    setup(&mut vm);
    let ctx = &mut vm.context();
    let (balance, owner, text, length, kind): (i64, String, String, i64, String) = ctx
        .exec(
            b"account:deposit(5)
              return account:balance(), account:owner(), tostring(account), #account, type(account)",
            "=test",
        )
        .unwrap();
    assert_eq!(
        (
            balance,
            owner.as_str(),
            text.as_str(),
            length,
            kind.as_str()
        ),
        (15, "ada", "Account(ada, 15)", 15, "userdata")
    );
    let (equal, different): (bool, bool) = ctx
        .exec(
            b"local a, b = account.new('x', 1), account.new('x', 1)
              return a == b, a == account",
            "=test",
        )
        .unwrap();
    assert!(equal);
    assert!(!different);
}

#[test]
fn method_errors_follow_puc() {
    let mut vm = Vm::default();
    setup(&mut vm);
    let ctx = &mut vm.context();
    let error = ctx
        .exec::<()>(b"account:deposit('lots')", "=test")
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "test:1: bad argument #1 to 'deposit' (number expected, got string)"
    );
    let error = ctx
        .exec::<()>(b"account.deposit(42, 1)", "=test")
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "test:1: bad argument #1 to 'deposit' (Account expected, got number)"
    );
    let error = ctx
        .exec::<()>(b"local d = account.deposit; d()", "=test")
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "test:1: bad argument #1 to 'd' (Account expected, got no value)"
    );
    let error = ctx.exec::<()>(b"account:missing()", "=test").unwrap_err();
    assert!(
        error
            .to_string()
            .contains("attempt to call a nil value (method 'missing')"),
        "{error}"
    );
}

#[test]
fn borrows_are_checked_at_run_time() {
    let mut vm = Vm::default();
    setup(&mut vm);
    let ctx = &mut vm.context();
    // A shared method whose callback calls another shared method: fine.
    let balance: i64 = ctx
        .exec(
            b"return account:visit(function() return account:balance() end)",
            "=test",
        )
        .unwrap();
    assert_eq!(balance, 10);
    // A shared method whose callback calls a mutating method: already borrowed.
    let error = ctx
        .exec::<()>(b"account:visit(function() account:deposit(1) end)", "=test")
        .unwrap_err();
    assert!(error.to_string().contains("already borrowed"), "{error}");
    // A mutating method whose callback reads the value: already borrowed.
    let error = ctx
        .exec::<()>(
            b"account:update(function(b) return b + account:balance() end)",
            "=test",
        )
        .unwrap_err();
    assert!(error.to_string().contains("already borrowed"), "{error}");
    // After the errors, the value is back in place and intact.
    let account: UserDataRef = ctx.default_environment().get("account", ctx).unwrap();
    assert_eq!(account.borrow::<Account>(ctx).unwrap().balance, 10);
    let balance: i64 = ctx
        .exec(
            b"account:update(function(b) return b * 3 end) return account:balance()",
            "=test",
        )
        .unwrap();
    assert_eq!(balance, 30);
}

#[test]
fn borrowing_from_natives() {
    let mut vm = Vm::default();
    setup(&mut vm);
    let ctx = &mut vm.context();
    let transfer = ctx.create_function(|call_ctx, ctx| {
        let (from, to, amount): (UserDataRef, UserDataRef, i64) = call_ctx.get_args(ctx)?;
        from.borrow_mut::<Account>(ctx)?.balance -= amount;
        to.borrow_mut::<Account>(ctx)?.balance += amount;
        call_ctx.return_values(to.borrow::<Account>(ctx)?.balance, ctx)
    });
    ctx.default_environment()
        .set("transfer", transfer, ctx)
        .unwrap();
    let (to_balance, from_balance): (i64, i64) = ctx
        .exec(
            b"local other = account.new('bob', 0)
              return transfer(account, other, 4), account:balance()",
            "=test",
        )
        .unwrap();
    assert_eq!((to_balance, from_balance), (4, 6));
}

#[test]
fn wrong_type_and_foreign_handles_are_errors() {
    let mut vm = Vm::default();
    let account = setup(&mut vm);
    let ctx = &mut vm.context();
    match account.borrow::<String>(ctx) {
        Err(RuntimeError::UserDataType { expected, actual }) => {
            assert_eq!(expected, "alloc::string::String");
            assert!(actual.ends_with("Account"), "{actual}");
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        account.borrow_mut::<u32>(ctx),
        Err(RuntimeError::UserDataType { .. })
    ));
    // A handle from another VM is rejected, not misread.
    let mut other = Vm::default();
    let other_ctx = &mut other.context();
    assert!(matches!(
        account.borrow::<Account>(other_ctx),
        Err(RuntimeError::InvalidHandle)
    ));
    let table = other_ctx.create_table().unwrap();
    assert!(matches!(
        table.set("x", 1, ctx),
        Err(RuntimeError::InvalidHandle)
    ));
}

#[test]
fn userdata_is_cloned_with_the_vm() {
    let mut vm = Vm::default();
    let account = setup(&mut vm);
    let mut copy = vm.clone();
    let copy_ctx = &mut copy.context();
    copy_ctx
        .exec::<()>(b"account:deposit(100)", "=test")
        .unwrap();
    account.borrow_mut::<Account>(copy_ctx).unwrap().owner = "eve".into();
    assert_eq!(
        *account.borrow::<Account>(copy_ctx).unwrap(),
        Account {
            owner: "eve".into(),
            balance: 110
        }
    );
    let ctx = &mut vm.context();
    assert_eq!(
        *account.borrow::<Account>(ctx).unwrap(),
        Account {
            owner: "ada".into(),
            balance: 10
        }
    );
    // Rolling back restores the value too.
    let snapshot = vm.clone();
    let ctx = &mut vm.context();
    ctx.exec::<()>(b"account:deposit(1)", "=test").unwrap();
    vm.clone_from(&snapshot);
    let ctx = &mut vm.context();
    assert_eq!(
        ctx.exec::<i64>(b"return account:balance()", "=test")
            .unwrap(),
        10
    );
}

#[test]
fn clone_during_a_shared_borrow_copies_the_value() {
    let mut vm = Vm::default();
    let account = setup(&mut vm);
    let ctx = &mut vm.context();
    let copy = account
        .with_borrow(ctx, |_: &Account, ctx: &mut VmContext| Ok(ctx.vm().clone()))
        .unwrap();
    let mut copy = copy;
    let copy_ctx = &mut copy.context();
    assert_eq!(account.borrow::<Account>(copy_ctx).unwrap().balance, 10);
    assert_eq!(
        copy_ctx
            .exec::<i64>(b"return account:deposit(1)", "=test")
            .unwrap(),
        11
    );
}

#[test]
fn user_index_is_consulted_after_methods() {
    #[derive(Clone)]
    struct Record(Vec<(String, i64)>);
    impl UserData for Record {
        fn name() -> &'static str {
            "record"
        }
        fn add_methods(methods: &mut UserDataMethods<Self>) {
            methods.add_method("count", |_, r: &Record, ()| Ok(r.0.len()));
            methods.add_meta_method("__index", |_, r: &Record, key: String| {
                Ok(r.0.iter().find(|(k, _)| *k == key).map(|(_, v)| *v))
            });
            methods.add_meta_method_mut(
                "__newindex",
                |_, r: &mut Record, (key, value): (String, i64)| {
                    r.0.push((key, value));
                    Ok(())
                },
            );
        }
    }
    let mut vm = Vm::default();
    let ctx = &mut vm.context();
    let record = ctx.create_userdata(Record(vec![("a".into(), 1)])).unwrap();
    ctx.default_environment()
        .set("record", record, ctx)
        .unwrap();
    let (a, b, missing, count, text): (i64, i64, Option<i64>, usize, String) = ctx
        .exec(
            b"record.b = 2
              return record.a, record.b, record.zzz, record:count(), tostring(record)",
            "=test",
        )
        .unwrap();
    assert_eq!((a, b, missing, count), (1, 2, None, 2));
    assert!(text.starts_with("record: "), "{text}");
}

#[test]
fn finalizers_run_for_userdata() {
    #[derive(Clone)]
    struct Tracked;
    impl UserData for Tracked {
        fn add_methods(methods: &mut UserDataMethods<Self>) {
            methods.add_meta_function("__gc", |ctx, _: Value| {
                let env = ctx.default_environment();
                let n: i64 = env.get("collected", ctx)?;
                env.set("collected", n + 1, ctx)
            });
        }
    }
    let mut vm = Vm::default();
    let ctx = &mut vm.context();
    ctx.default_environment().set("collected", 0, ctx).unwrap();
    let make = ctx.create_function(|call_ctx, ctx| {
        let value = ctx.create_userdata(Tracked)?;
        call_ctx.return_values(value, ctx)
    });
    ctx.default_environment().set("make", make, ctx).unwrap();
    let collected: i64 = ctx
        .exec(
            b"for i = 1, 10 do make() end
              collectgarbage() collectgarbage()
              return collected",
            "=test",
        )
        .unwrap();
    assert_eq!(collected, 10);
}
