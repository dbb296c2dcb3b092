//! Pausing, cloning and serializing a VM anywhere must not change what a script does.
//!
//! Generated scripts (arithmetic, tables, closures, coroutines, string work, randomness,
//! garbage) run once without interruption and once with a pause every `k` units of fuel;
//! at each pause the run continues in a copy of the VM (a clone, or a postcard round trip
//! followed by rehydration). Output, state digest and `pairs` order must be identical.
#![cfg(feature = "serde")]

use proptest::prelude::*;
use red_moon::errors::RuntimeError;
use red_moon::interpreter::{FunctionRef, Vm, VmContext};

/// One statement of a generated script.
#[derive(Clone, Debug)]
enum Piece {
    Arithmetic { factor: i64, count: u8 },
    Floats { x: i32 },
    TableWrite { key: Key, value: i64 },
    TableDelete { key: Key },
    Pairs,
    Closure { start: i64, step: i64 },
    Generator,
    Coroutine { input: i64 },
    Strings { n: u8 },
    Random { high: u16 },
    Garbage { count: u8 },
    Sort { count: u8 },
    HostCall { a: i64, b: i64 },
    ProtectedError { code: i64 },
}

#[derive(Clone, Debug)]
enum Key {
    Integer(i64),
    Name(u8),
    Float(i32),
    Boolean(bool),
}

impl Key {
    fn lua(&self) -> String {
        match self {
            Key::Integer(i) => i.to_string(),
            Key::Name(n) => format!("\"k{n}\""),
            Key::Float(f) => format!("{}.5", f),
            Key::Boolean(b) => b.to_string(),
        }
    }
}

impl Piece {
    fn lua(&self) -> String {
        match self {
            Piece::Arithmetic { factor, count } => format!(
                "for i = 1, {count} do acc = (acc * {factor} + i) % 1000003 end emit(acc, acc // 7, acc / 8)"
            ),
            Piece::Floats { x } => format!(
                "emit({x} / 7, {x} // 3, {x} % 5.5, math.sin({x}), math.fmod({x}, 3), {x} ^ 0.5)"
            ),
            Piece::TableWrite { key, value } => format!("t[{}] = {value}", key.lua()),
            Piece::TableDelete { key } => format!("t[{}] = nil", key.lua()),
            Piece::Pairs => "for k, v in pairs(t) do emit(k, v) end".to_string(),
            Piece::Closure { start, step } => {
                format!("do local c = counter({start}) emit(c({step}), c({step})) keep[#keep + 1] = c end")
            }
            Piece::Generator => "emit(gen(), gen())".to_string(),
            Piece::Coroutine { input } => format!("emit(coroutine.resume(co, {input}))"),
            Piece::Strings { n } => format!(
                "emit(string.format('%5.2f|%d|%s', {n} / 3, {n}, ('ab'):rep({n} % 5)), \
                 (('Hello World %d'):format({n})):gsub('o', '0'), \
                 table.concat({{string.byte('xyz', 1, -1)}}, ','), ('%q'):format('a\\n' .. {n}))"
            ),
            Piece::Random { high } => format!("emit(math.random(1, {}), math.random())", high.max(&1)),
            Piece::Garbage { count } => format!(
                "for i = 1, {count} do local g = {{i, tostring(i), {{}}}} end emit(collectgarbage('count'))"
            ),
            Piece::Sort { count } => format!(
                "do local a = {{}} for i = 1, {count} do a[i] = math.random(1, 50) end \
                 table.sort(a, function(x, y) return x > y end) emit(table.concat(a, ' ')) end"
            ),
            Piece::HostCall { a, b } => format!("emit(host_add({a}, {b}))"),
            Piece::ProtectedError { code } => {
                format!("emit(pcall(function() error('code ' .. {code}) end))")
            }
        }
    }
}

fn key() -> impl Strategy<Value = Key> {
    prop_oneof![
        (1i64..40).prop_map(Key::Integer),
        (0u8..20).prop_map(Key::Name),
        (-5i32..5).prop_map(Key::Float),
        any::<bool>().prop_map(Key::Boolean),
    ]
}

fn piece() -> impl Strategy<Value = Piece> {
    prop_oneof![
        (2i64..1000, 1u8..200).prop_map(|(factor, count)| Piece::Arithmetic { factor, count }),
        (-1000i32..1000).prop_map(|x| Piece::Floats { x }),
        (key(), -100i64..100).prop_map(|(key, value)| Piece::TableWrite { key, value }),
        key().prop_map(|key| Piece::TableDelete { key }),
        Just(Piece::Pairs),
        (-50i64..50, -5i64..5).prop_map(|(start, step)| Piece::Closure { start, step }),
        Just(Piece::Generator),
        (-100i64..100).prop_map(|input| Piece::Coroutine { input }),
        any::<u8>().prop_map(|n| Piece::Strings { n }),
        any::<u16>().prop_map(|high| Piece::Random { high }),
        (1u8..250).prop_map(|count| Piece::Garbage { count }),
        (1u8..60).prop_map(|count| Piece::Sort { count }),
        (-1000i64..1000, -1000i64..1000).prop_map(|(a, b)| Piece::HostCall { a, b }),
        any::<i64>().prop_map(|code| Piece::ProtectedError { code }),
    ]
}

const PRELUDE: &str = r#"
local out = {}
local function emit(...)
  for i = 1, select('#', ...) do out[#out + 1] = tostring((select(i, ...))) end
end
local t, keep, acc = {}, {}, 1
local function counter(n) return function(d) n = n + d return n end end
local gen = coroutine.wrap(function() local i = 0 while true do i = i + 1 coroutine.yield(i * i) end end)
local co = coroutine.create(function(x) while true do x = coroutine.yield(x * 2 + 1) end end)
"#;

const EPILOGUE: &str = r#"
for k, v in pairs(t) do emit(k, v) end
return table.concat(out, "\n")
"#;

fn script(pieces: &[Piece]) -> String {
    let body: Vec<String> = pieces.iter().map(Piece::lua).collect();
    format!("{PRELUDE}\n{}\n{EPILOGUE}", body.join("\n"))
}

/// Defines (or, in a deserialized VM, rehydrates) the host function scripts call.
fn install_host_functions(ctx: &mut VmContext) -> Result<(), RuntimeError> {
    let add = ctx.create_function(|call, ctx| {
        let a: i64 = call.arg(1, ctx)?;
        let b: i64 = call.arg(2, ctx)?;
        call.return_values(a.wrapping_add(b), ctx)
    });
    if !add.rehydrate("host_add", ctx)? {
        ctx.default_environment().set("host_add", add, ctx)?;
    }
    Ok(())
}

fn new_vm(seed: i64) -> Vm {
    let mut vm = Vm::default();
    vm.set_random_seed(seed, 7);
    install_host_functions(&mut vm.context()).expect("host functions");
    vm
}

/// What a run leaves behind: the script's output and the digest of the final state.
#[derive(Debug, PartialEq)]
struct Outcome {
    output: Result<String, String>,
    digest: u64,
}

fn run_uninterrupted(source: &str, seed: i64) -> Outcome {
    let mut vm = new_vm(seed);
    let ctx = &mut vm.context();
    let output = ctx
        .load(source.as_bytes(), "=generated", None)
        .and_then(|f: FunctionRef| f.call::<_, String>((), ctx))
        .map_err(|e| e.to_string());
    let digest = vm.state_digest().expect("digest");
    Outcome { output, digest }
}

#[derive(Clone, Copy, Debug)]
enum CopyKind {
    Clone,
    Postcard,
}

fn copy_vm(vm: &Vm, kind: CopyKind) -> Vm {
    match kind {
        CopyKind::Clone => vm.clone(),
        CopyKind::Postcard => {
            let bytes = postcard::to_allocvec(vm).expect("serialize");
            let mut copy: Vm = match postcard::from_bytes(&bytes) {
                Ok(copy) => copy,
                // postcard drops the message; bincode keeps it.
                Err(error) => {
                    match bincode::deserialize::<Vm>(&bincode::serialize(vm).expect("bincode")) {
                        Err(detail) => panic!("deserialize: {error} ({detail})"),
                        Ok(_) => panic!("deserialize: {error} (bincode succeeds)"),
                    }
                }
            };
            install_host_functions(&mut copy.context()).expect("rehydrate");
            assert_eq!(
                copy.state_digest().ok(),
                vm.state_digest().ok(),
                "digest changed by the round trip"
            );
            copy
        }
    }
}

fn run_with_pauses(source: &str, seed: i64, fuel: i64, kind: CopyKind) -> (Outcome, usize) {
    let mut vm = new_vm(seed);
    let mut pauses = 0;
    let mut result = {
        let ctx = &mut vm.context();
        ctx.set_fuel(fuel);
        ctx.load(source.as_bytes(), "=generated", None)
            .and_then(|f: FunctionRef| f.call::<_, String>((), ctx))
    };
    while let Err(RuntimeError::Paused) = result {
        pauses += 1;
        assert!(pauses < 100_000, "no progress");
        vm = copy_vm(&vm, kind);
        let ctx = &mut vm.context();
        ctx.add_fuel(fuel);
        result = ctx.resume::<String>();
    }
    let output = result.map_err(|e| e.to_string());
    let digest = vm.state_digest().expect("digest");
    (Outcome { output, digest }, pauses)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 160, .. ProptestConfig::default() })]

    #[test]
    fn pausing_and_copying_changes_nothing(
        pieces in prop::collection::vec(piece(), 1..40),
        seed in any::<i64>(),
        fuel in 1i64..400,
        postcard in any::<bool>(),
    ) {
        let source = script(&pieces);
        let expected = run_uninterrupted(&source, seed);
        let kind = if postcard { CopyKind::Postcard } else { CopyKind::Clone };
        let (actual, _) = run_with_pauses(&source, seed, fuel, kind);
        prop_assert_eq!(actual, expected, "script:\n{}", source);
    }
}

#[test]
fn a_long_script_pauses_many_times_and_still_agrees() {
    let pieces: Vec<Piece> = (0..40)
        .map(|i| match i % 7 {
            0 => Piece::Arithmetic {
                factor: 31 + i,
                count: 150,
            },
            1 => Piece::TableWrite {
                key: Key::Name(i as u8 % 11),
                value: i,
            },
            2 => Piece::Garbage { count: 80 },
            3 => Piece::Coroutine { input: i },
            4 => Piece::Sort { count: 40 },
            5 => Piece::HostCall { a: i, b: -i * 3 },
            _ => Piece::Strings { n: i as u8 },
        })
        .collect();
    let source = script(&pieces);
    let expected = run_uninterrupted(&source, 42);
    assert!(expected.output.is_ok(), "{:?}", expected.output);
    for kind in [CopyKind::Clone, CopyKind::Postcard] {
        let (actual, pauses) = run_with_pauses(&source, 42, 97, kind);
        assert!(pauses > 50, "only {pauses} pauses");
        assert_eq!(actual, expected, "{kind:?}");
    }
}

#[test]
fn a_late_joiner_is_the_same_vm() {
    let mut host = new_vm(1);
    host.context()
        .exec::<()>(
            b"world = {} for i = 1, 50 do world[i] = {hp = i} end",
            "=setup",
        )
        .expect("setup");
    let bytes = postcard::to_allocvec(&host).expect("serialize");
    let mut joiner: Vm = postcard::from_bytes(&bytes).expect("deserialize");
    install_host_functions(&mut joiner.context()).expect("rehydrate");
    assert_eq!(joiner.state_digest().unwrap(), host.state_digest().unwrap());
    let frame = b"for i = 1, 50 do world[i].hp = host_add(world[i].hp, math.random(3)) end return collectgarbage('count')";
    for _ in 0..20 {
        let a: f64 = host.context().exec(frame, "=frame").expect("host frame");
        let b: f64 = joiner
            .context()
            .exec(frame, "=frame")
            .expect("joiner frame");
        assert_eq!(a, b);
        assert_eq!(joiner.state_digest().unwrap(), host.state_digest().unwrap());
    }
}
