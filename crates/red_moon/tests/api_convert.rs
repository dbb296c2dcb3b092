//! Conversions between Rust values and Lua values (`IntoLua`/`FromLua`, `IntoMulti`/
//! `FromMulti`), and their error messages.

use red_moon::errors::RuntimeError;
use red_moon::interpreter::{
    ByteString, CoroutineRef, FromLua, FunctionRef, IntoLua, IntoMulti, MultiValue, StringRef,
    TableRef, UserDataRef, Value, Variadic, Vm, VmContext,
};
use std::collections::{BTreeMap, HashMap};

fn lua<T: FromLua>(ctx: &mut VmContext, source: &str) -> Result<T, RuntimeError> {
    ctx.exec(format!("return {source}").as_bytes(), "=test")
}

/// Passes `value` through a Lua identity function and back.
fn through_lua<T: IntoLua + FromLua>(ctx: &mut VmContext, value: T) -> T {
    let identity: FunctionRef = lua(ctx, "function(...) return ... end").unwrap();
    identity.call(value, ctx).unwrap()
}

#[test]
fn numbers() {
    let mut vm = Vm::default();
    let ctx = &mut vm.context();
    assert_eq!(through_lua(ctx, -5i8), -5);
    assert_eq!(through_lua(ctx, 65535u16), 65535);
    assert_eq!(through_lua(ctx, i64::MIN), i64::MIN);
    assert_eq!(through_lua(ctx, usize::MAX >> 1), usize::MAX >> 1);
    assert_eq!(through_lua(ctx, 1.5f64), 1.5);
    assert_eq!(through_lua(ctx, 0.25f32), 0.25);
    assert_eq!(
        u64::MAX.into_lua(ctx).unwrap(),
        Value::Float(u64::MAX as f64)
    );
    assert_eq!(lua::<i32>(ctx, "3.0").unwrap(), 3);
    assert_eq!(lua::<i32>(ctx, "'0x10'").unwrap(), 16);
    assert_eq!(lua::<f64>(ctx, "'2.5'").unwrap(), 2.5);
    assert_eq!(lua::<f64>(ctx, "7").unwrap(), 7.0);
}

#[test]
fn number_errors_name_types() {
    let mut vm = Vm::default();
    let ctx = &mut vm.context();
    let error = lua::<i32>(ctx, "nil").unwrap_err();
    assert_eq!(error.to_string(), "number expected, got nil");
    assert!(matches!(
        error,
        RuntimeError::Conversion {
            expected: "number",
            actual: "nil"
        }
    ));
    assert_eq!(
        lua::<i64>(ctx, "1.5").unwrap_err().to_string(),
        "number has no integer representation (converting to i64)"
    );
    assert_eq!(
        lua::<u8>(ctx, "256").unwrap_err().to_string(),
        "value out of range (converting to u8)"
    );
    assert_eq!(
        lua::<u32>(ctx, "-1").unwrap_err().to_string(),
        "value out of range (converting to u32)"
    );
    assert_eq!(
        lua::<f64>(ctx, "{}").unwrap_err().to_string(),
        "number expected, got table"
    );
    assert_eq!(
        lua::<f64>(ctx, "'abc'").unwrap_err().to_string(),
        "number expected, got string"
    );
}

#[test]
fn booleans_strings_and_bytes() {
    let mut vm = Vm::default();
    let ctx = &mut vm.context();
    assert!(through_lua(ctx, true));
    // Lua truthiness.
    assert!(!lua::<bool>(ctx, "nil").unwrap());
    assert!(lua::<bool>(ctx, "0").unwrap());
    assert_eq!(through_lua(ctx, String::from("héllo")), "héllo");
    assert_eq!("text".into_lua(ctx).unwrap().type_name(), "string");
    assert_eq!(
        (&String::from("r")).into_lua(ctx).unwrap().type_name(),
        "string"
    );
    assert_eq!(lua::<String>(ctx, "12").unwrap(), "12");
    assert_eq!(lua::<String>(ctx, "1.5").unwrap(), "1.5");
    assert_eq!(
        lua::<String>(ctx, "true").unwrap_err().to_string(),
        "string expected, got boolean"
    );
    assert!(lua::<String>(ctx, "'\\xff'").is_err());
    let bytes = lua::<ByteString>(ctx, "'\\xff\\0'").unwrap();
    assert_eq!(bytes, ByteString(vec![0xff, 0]));
    assert_eq!(
        through_lua(ctx, ByteString(vec![1, 2])),
        ByteString(vec![1, 2])
    );
    let raw: &[u8] = b"\x00\x01";
    let value = raw.into_lua(ctx).unwrap();
    let Value::String(s) = value else { panic!() };
    assert_eq!(&*s.as_bytes(ctx).unwrap(), raw);
    let s: StringRef = lua(ctx, "'abc'").unwrap();
    assert_eq!(s.len(ctx).unwrap(), 3);
}

#[test]
fn options_vectors_and_maps() {
    let mut vm = Vm::default();
    let ctx = &mut vm.context();
    assert_eq!(through_lua(ctx, Some(3)), Some(3));
    assert_eq!(through_lua(ctx, None::<i32>), None);
    assert_eq!(through_lua(ctx, vec![1, 2, 3]), vec![1, 2, 3]);
    assert_eq!(
        through_lua(ctx, vec![vec!["a".to_string()], vec![]]),
        vec![vec!["a".to_string()], vec![]]
    );
    let map: HashMap<String, i64> = [("a".to_string(), 1), ("b".to_string(), 2)].into();
    assert_eq!(through_lua(ctx, map.clone()), map);
    let tree: BTreeMap<i64, bool> = [(1, true), (5, false)].into();
    assert_eq!(through_lua(ctx, tree.clone()), tree);
    assert_eq!(
        lua::<Vec<i32>>(ctx, "{1, 'x'}").unwrap_err().to_string(),
        "number expected, got string"
    );
    assert_eq!(
        lua::<Vec<i32>>(ctx, "5").unwrap_err().to_string(),
        "table expected, got number"
    );
    assert_eq!(
        lua::<BTreeMap<String, i32>>(ctx, "{[true] = 1}")
            .unwrap_err()
            .to_string(),
        "string expected, got boolean"
    );
}

#[test]
fn handles_and_values() {
    let mut vm = Vm::default();
    let ctx = &mut vm.context();
    let t: TableRef = lua(ctx, "{}").unwrap();
    assert_eq!(through_lua(ctx, t.clone()), t);
    let f: FunctionRef = lua(ctx, "print").unwrap();
    assert_eq!(through_lua(ctx, f.clone()), f);
    let co: CoroutineRef = lua(ctx, "coroutine.create(print)").unwrap();
    assert_eq!(through_lua(ctx, co.clone()), co);
    let value: Value = lua(ctx, "io").unwrap();
    assert!(value.is_nil());
    assert_eq!(
        lua::<TableRef>(ctx, "print").unwrap_err().to_string(),
        "table expected, got function"
    );
    assert_eq!(
        lua::<UserDataRef>(ctx, "{}").unwrap_err().to_string(),
        "userdata expected, got table"
    );
    assert_eq!(
        lua::<CoroutineRef>(ctx, "1").unwrap_err().to_string(),
        "thread expected, got number"
    );
    assert_eq!(
        lua::<FunctionRef>(ctx, "nil").unwrap_err().to_string(),
        "function expected, got nil"
    );
}

#[test]
fn tuples_and_multiple_values() {
    let mut vm = Vm::default();
    let ctx = &mut vm.context();
    let identity: FunctionRef = lua(ctx, "function(...) return ... end").unwrap();
    let twelve: (
        i32,
        i32,
        i32,
        i32,
        i32,
        i32,
        i32,
        i32,
        i32,
        i32,
        i32,
        String,
    ) = identity
        .call((1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, "twelve"), ctx)
        .unwrap();
    assert_eq!(twelve.0 + twelve.10, 12);
    assert_eq!(twelve.11, "twelve");
    // Missing values are nil; extra ones are dropped.
    let (a, b, c): (i32, Option<i32>, Option<String>) = identity.call(1, ctx).unwrap();
    assert_eq!((a, b, c), (1, None, None));
    let first: i32 = identity.call((7, 8, 9), ctx).unwrap();
    assert_eq!(first, 7);
    let (): () = identity.call((1, 2), ctx).unwrap();
    let all: MultiValue = identity.call((1, "x", true), ctx).unwrap();
    assert_eq!(all.len(), 3);
    assert_eq!(all.get(2), Value::Boolean(true));
    assert_eq!(all.get(9), Value::Nil);
    let Variadic(rest): Variadic<String> = identity.call(Variadic(vec!["a", "b"]), ctx).unwrap();
    assert_eq!(rest, vec!["a", "b"]);
    assert_eq!((1, 2).into_multi(ctx).unwrap().len(), 2);
    assert_eq!(().into_multi(ctx).unwrap().len(), 0);
    let error = identity.call::<_, (i32, i32)>((1, "x"), ctx).unwrap_err();
    assert_eq!(error.to_string(), "number expected, got string");
    // A MultiValue passes through unchanged, including nils in the middle.
    let values = MultiValue::from(vec![Value::Nil, Value::Integer(2), Value::Nil]);
    let back: MultiValue = identity.call(values.clone(), ctx).unwrap();
    assert_eq!(back, values);
    let count: i64 = lua::<FunctionRef>(ctx, "function(...) return select('#', ...) end")
        .unwrap()
        .call(values, ctx)
        .unwrap();
    assert_eq!(count, 3);
}
