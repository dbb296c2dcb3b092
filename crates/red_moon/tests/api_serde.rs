//! Serde-driven conversion between Rust types and Lua values.
#![cfg(feature = "serde")]

use red_moon::errors::RuntimeError;
use red_moon::interpreter::{
    DeserializeOptions, Serde, SerializeOptions, TableRef, Value, Vm, VmContext,
};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
enum Element {
    Fire,
    Water { depth: u32 },
    Earth(i64, i64),
    Air(Option<String>),
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
struct Stats {
    hp: i32,
    speed: f64,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
struct Unit {
    name: String,
    level: u8,
    alive: bool,
    stats: Stats,
    elements: Vec<Element>,
    inventory: BTreeMap<String, u32>,
    tags: HashMap<u32, String>,
    nickname: Option<String>,
    target: Option<Box<Unit>>,
    position: (i32, i32, i32),
    raw: Vec<u8>,
    // Nil in Lua, so absent from the table: it needs a default to be read back.
    #[serde(default)]
    nothing: (),
}

fn sample() -> Unit {
    let leaf = Unit {
        name: "scout".into(),
        level: 1,
        alive: false,
        stats: Stats { hp: 0, speed: 9.5 },
        elements: vec![],
        inventory: BTreeMap::new(),
        tags: HashMap::new(),
        nickname: None,
        target: None,
        position: (0, 0, 0),
        raw: vec![],
        nothing: (),
    };
    Unit {
        name: "knight".into(),
        level: 12,
        alive: true,
        stats: Stats {
            hp: 120,
            speed: 1.25,
        },
        elements: vec![
            Element::Fire,
            Element::Water { depth: 3 },
            Element::Earth(-1, 2),
            Element::Air(Some("breeze".into())),
            Element::Air(None),
        ],
        inventory: [("sword".to_string(), 1), ("potion".to_string(), 5)].into(),
        tags: [(7, "seven".to_string())].into(),
        nickname: Some("sir".into()),
        target: Some(Box::new(leaf)),
        position: (1, -2, 3),
        raw: vec![0, 255, 10],
        nothing: (),
    }
}

fn round_trip<T: Serialize + serde::de::DeserializeOwned>(
    ctx: &mut VmContext,
    value: &T,
    options: SerializeOptions,
) -> T {
    let lua = ctx.to_lua_value_with(value, options).unwrap();
    ctx.from_lua_value(lua).unwrap()
}

#[test]
fn nested_structs_enums_maps_vecs_options_round_trip() {
    let mut vm = Vm::default();
    let ctx = &mut vm.context();
    let mut unit = sample();
    let with_null = SerializeOptions::new()
        .serialize_none_to_null(true)
        .serialize_unit_to_null(true)
        .set_array_metatable(true);
    assert_eq!(round_trip(ctx, &unit, with_null), unit);
    // Without null, `Air(None)` is `{Air = nil}`, an empty table: it cannot come back.
    let lua = ctx.to_lua_value(&unit).unwrap();
    assert!(ctx.from_lua_value::<Unit>(lua).is_err());
    unit.elements.pop();
    assert_eq!(round_trip(ctx, &unit, SerializeOptions::new()), unit);
    // Through a clone and a serialized copy of the VM too.
    let lua = ctx.to_lua_value(&unit).unwrap();
    ctx.default_environment().set("unit", lua, ctx).unwrap();
    let bytes = postcard::to_allocvec(&vm).unwrap();
    let mut copy: Vm = postcard::from_bytes(&bytes).unwrap();
    let ctx = &mut copy.context();
    let lua: Value = ctx.default_environment().get("unit", ctx).unwrap();
    assert_eq!(ctx.from_lua_value::<Unit>(lua).unwrap(), unit);
}

#[test]
fn lua_sees_natural_tables() {
    let mut vm = Vm::default();
    let ctx = &mut vm.context();
    let value = ctx.to_lua_value(&sample()).unwrap();
    ctx.default_environment().set("unit", value, ctx).unwrap();
    // `Air(None)` is `{Air = nil}`: an empty table, so `.Air` is nil.
    let summary: String = ctx
        .exec(
            b"local u = unit
              return table.concat({
                u.name, u.level, tostring(u.alive), u.stats.hp, u.stats.speed,
                u.elements[1], u.elements[2].Water.depth, u.elements[3].Earth[2],
                u.elements[4].Air, tostring(u.elements[5].Air), #u.elements,
                u.inventory.potion, u.tags[7], u.nickname, u.target.name,
                tostring(u.target.nickname), u.position[2], #u.raw, tostring(u.nothing)
              }, ' ')",
            "=test",
        )
        .unwrap();
    assert_eq!(
        summary,
        "knight 12 true 120 1.25 Fire 3 2 breeze nil 5 5 seven sir scout nil -2 3 nil"
    );
}

#[test]
fn lua_tables_convert_to_rust_types() {
    let mut vm = Vm::default();
    let ctx = &mut vm.context();
    let value: Value = ctx
        .exec(
            b"return {
                name = 'archer', level = 3.0, alive = true,
                stats = {hp = 40, speed = 2},
                elements = {'Fire', {Earth = {1, 2}}, {Air = 'gust'}, {Water = {depth = 1}}},
                inventory = {arrows = 20}, tags = {}, position = {1, 2, 3},
                raw = 'abc',
              }",
            "=test",
        )
        .unwrap();
    let unit: Unit = ctx.from_lua_value(value).unwrap();
    assert_eq!(unit.level, 3);
    assert_eq!(unit.stats.speed, 2.0);
    assert_eq!(
        unit.elements,
        vec![
            Element::Fire,
            Element::Earth(1, 2),
            Element::Air(Some("gust".into())),
            Element::Water { depth: 1 }
        ]
    );
    assert_eq!(unit.inventory["arrows"], 20);
    assert!(unit.tags.is_empty());
    assert_eq!(unit.nickname, None);
    assert_eq!(unit.raw, b"abc");
}

#[test]
fn conversion_errors_are_descriptive() {
    let mut vm = Vm::default();
    let ctx = &mut vm.context();
    let value: Value = ctx
        .exec(b"return {hp = 'lots', speed = 1}", "=test")
        .unwrap();
    let error = ctx.from_lua_value::<Stats>(value).unwrap_err();
    assert!(matches!(error, RuntimeError::Serde(_)));
    assert!(error.to_string().contains("invalid type"), "{error}");
    let value: Value = ctx.exec(b"return {speed = 1}", "=test").unwrap();
    let error = ctx.from_lua_value::<Stats>(value).unwrap_err();
    assert!(error.to_string().contains("missing field `hp`"), "{error}");
    let value: Value = ctx.exec(b"return 300", "=test").unwrap();
    assert!(ctx.from_lua_value::<u8>(value).is_err());
    let value: Value = ctx.exec(b"return {Fire = 1, Water = 2}", "=test").unwrap();
    let error = ctx.from_lua_value::<Element>(value).unwrap_err();
    assert!(error.to_string().contains("one entry"), "{error}");
    let value: Value = ctx.exec(b"return {f = print}", "=test").unwrap();
    let error = ctx
        .from_lua_value::<HashMap<String, i32>>(value)
        .unwrap_err();
    assert!(error.to_string().contains("Lua function"), "{error}");
}

#[test]
fn recursive_and_deep_tables_are_bounded() {
    #[derive(Deserialize, Debug)]
    #[allow(dead_code)]
    struct Node {
        next: Option<Box<Node>>,
    }
    let mut vm = Vm::default();
    let ctx = &mut vm.context();
    let cycle: Value = ctx
        .exec(
            b"local a, b = {}, {} a.next = b b.next = a return a",
            "=test",
        )
        .unwrap();
    let error = ctx.from_lua_value::<Node>(cycle.clone()).unwrap_err();
    assert!(error.to_string().contains("recursive"), "{error}");
    let options = DeserializeOptions::new().deny_recursive_tables(false);
    let error = ctx.from_lua_value_with::<Node>(cycle, options).unwrap_err();
    assert!(error.to_string().contains("too deeply"), "{error}");
    let deep: Value = ctx
        .exec(
            b"local t = {} for i = 1, 100000 do t = {next = t} end return t",
            "=test",
        )
        .unwrap();
    assert!(ctx.from_lua_value::<Node>(deep).is_err());
}

#[test]
fn null_and_array_metatable_options() {
    let mut vm = Vm::default();
    let ctx = &mut vm.context();
    let options = SerializeOptions::new()
        .serialize_none_to_null(true)
        .set_array_metatable(true);
    let holes = vec![Some(1), None, Some(3)];
    let value = ctx.to_lua_value_with(&holes, options).unwrap();
    let Value::Table(table) = &value else {
        panic!("{value:?}")
    };
    assert_eq!(table.raw_len(ctx).unwrap(), 3);
    let null = table.raw_get::<_, Value>(2, ctx).unwrap();
    assert!(ctx.is_null(&null));
    assert_eq!(
        ctx.from_lua_value::<Vec<Option<i32>>>(value).unwrap(),
        holes
    );
    // Without null, None leaves a hole (Lua cannot store nil in a table).
    let plain = ctx.to_lua_value(&holes).unwrap();
    let Value::Table(table) = plain else { panic!() };
    assert_eq!(table.raw_get::<_, Option<i32>>(3, ctx).unwrap(), Some(3));
    // An empty sequence with the array metatable stays a sequence for untyped targets.
    let empty = ctx
        .to_lua_value_with(
            &Vec::<i32>::new(),
            SerializeOptions::new().set_array_metatable(true),
        )
        .unwrap();
    #[derive(Deserialize, Debug, PartialEq)]
    #[serde(untagged)]
    enum Shape {
        List(Vec<i32>),
        Map(BTreeMap<String, i32>),
    }
    assert_eq!(
        ctx.from_lua_value::<Shape>(empty).unwrap(),
        Shape::List(vec![])
    );
    let map: Value = ctx.exec(b"return {}", "=test").unwrap();
    assert_eq!(
        ctx.from_lua_value::<Shape>(map).unwrap(),
        Shape::Map(BTreeMap::new())
    );
    // The null value survives VM serialization and is still recognized.
    let null = ctx.null().unwrap();
    ctx.default_environment().set("null", null, ctx).unwrap();
    let bytes = postcard::to_allocvec(&vm).unwrap();
    let mut copy: Vm = postcard::from_bytes(&bytes).unwrap();
    let ctx = &mut copy.context();
    let null: Value = ctx.default_environment().get("null", ctx).unwrap();
    assert!(ctx.is_null(&null));
    assert_eq!(ctx.null().unwrap(), null);
}

#[test]
fn serde_wrapper_converts_arguments_and_results() {
    let mut vm = Vm::default();
    let ctx = &mut vm.context();
    let heal = ctx.create_function(|call_ctx, ctx| {
        let Serde(mut stats): Serde<Stats> = call_ctx.arg(1, ctx)?;
        stats.hp += 10;
        call_ctx.return_values(Serde(stats), ctx)
    });
    ctx.default_environment().set("heal", heal, ctx).unwrap();
    let hp: i32 = ctx
        .exec(b"return heal({hp = 5, speed = 1}).hp", "=test")
        .unwrap();
    assert_eq!(hp, 15);
    let error = ctx
        .exec::<()>(b"heal({hp = 'x', speed = 1})", "=test")
        .unwrap_err()
        .to_string();
    assert!(
        error.starts_with("test:1: bad argument #1 to 'heal' (invalid type"),
        "{error}"
    );
    let table: TableRef = ctx.exec(b"return {}", "=test").unwrap();
    table
        .set("stats", Serde(Stats { hp: 1, speed: 0.5 }), ctx)
        .unwrap();
    let Serde(back): Serde<Stats> = table.get("stats", ctx).unwrap();
    assert_eq!(back, Stats { hp: 1, speed: 0.5 });
}

#[test]
fn unsupported_values_can_be_skipped() {
    let mut vm = Vm::default();
    let ctx = &mut vm.context();
    let value: Value = ctx
        .exec(b"return {a = 1, f = print, list = {1, print, 3}}", "=test")
        .unwrap();
    #[derive(Deserialize, Debug, PartialEq)]
    struct Loose {
        a: i32,
        f: Option<i32>,
        list: Vec<Option<i32>>,
    }
    let options = DeserializeOptions::new().deny_unsupported_types(false);
    let loose: Loose = ctx.from_lua_value_with(value, options).unwrap();
    assert_eq!(
        loose,
        Loose {
            a: 1,
            f: None,
            list: vec![Some(1), None, Some(3)]
        }
    );
}
