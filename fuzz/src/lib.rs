//! Fuzz entry points for Red Moon, shared by the cargo-fuzz targets (`fuzz_targets/`) and
//! by the regression test that replays `regressions/<target>/*` with plain `cargo test`.
//!
//! Every entry point takes arbitrary bytes and must return normally: a panic, a hang (fuel
//! and memory limits bound each run) or a Rust stack overflow is a bug in the VM.

#![forbid(unsafe_code)]

pub mod api;

use red_moon::errors::RuntimeError;
use red_moon::interpreter::{Limits, MultiValue, Vm};

/// Instruction budget of one fuzz run, per top-level call.
pub const FUEL: i64 = 200_000;
/// Logical heap limit of one fuzz run.
pub const MEMORY: usize = 16 << 20;

/// A sandboxed VM (safe libraries only) with the fuzzing limits.
pub fn sandboxed_vm() -> Vm {
    let mut vm = Vm::default();
    let limits = Limits {
        memory: MEMORY,
        ..vm.limits().clone()
    };
    vm.set_limits(limits);
    vm.context().set_fuel(FUEL);
    vm
}

/// `compile`: source bytes through the lexer, parser and code generator; a chunk that
/// compiles must survive the binary-chunk round trip and the verifier.
pub fn compile(data: &[u8]) {
    if let Ok(proto) = red_moon::languages::lua::compile(data, b"=fuzz") {
        let bytes = red_moon::bytecode::binary::encode(&proto, false);
        if let Ok(decoded) = red_moon::bytecode::binary::decode(&bytes) {
            let _ = red_moon::bytecode::verify(&decoded);
        }
    }
}

/// `execute`: source bytes compiled and run in a sandboxed VM. A run that pauses for fuel
/// is resumed once with more fuel on a clone of the VM (exercising pause, clone, resume).
pub fn execute(data: &[u8]) {
    let mut vm = sandboxed_vm();
    let outcome = {
        let ctx = &mut vm.context();
        match ctx.load(data, "=fuzz", None) {
            Ok(function) => function.call::<_, MultiValue>((), ctx).map(|_| ()),
            Err(error) => Err(error),
        }
    };
    if let Err(RuntimeError::Paused) = outcome {
        let mut copy = vm.clone();
        let ctx = &mut copy.context();
        ctx.add_fuel(FUEL);
        let _ = ctx.resume::<MultiValue>();
    }
}

/// `binary_chunk`: bytes handed to `load(bytes, name, "b")` in a VM that accepts binary
/// chunks; whatever the verifier lets through is run with fuel and memory limits.
pub fn binary_chunk(data: &[u8]) {
    let mut vm = sandboxed_vm();
    vm.set_binary_chunks(true);
    let ctx = &mut vm.context();
    let Ok(chunk) = ctx.create_string(data) else {
        return;
    };
    let env = ctx.default_environment();
    if env.set("chunk", chunk, ctx).is_err() {
        return;
    }
    let _ = ctx.exec::<MultiValue>(
        b"local f = load(chunk, '=chunk', 'b') if f then return pcall(f) end",
        "=driver",
    );
}

/// `deserialize`: bytes → `Vm` through the peer path (`postcard::from_bytes`, which
/// validates everything and refuses host powers) → use. A VM that decodes gets the fuzzing
/// limits (a snapshot's own limits are the sender's choice), is digested, serialized
/// again and cloned; then its paused call, if any, is resumed, and every global function
/// is called under `pcall`, each step with a fuel budget.
pub fn deserialize(data: &[u8]) {
    let Ok(mut vm) = postcard::from_bytes::<Vm>(data) else {
        return;
    };
    vm.set_limits(Limits {
        memory: MEMORY,
        ..Limits::default()
    });
    let _ = vm.state_digest();
    let _ = postcard::to_allocvec(&vm);
    let mut copy = vm.clone();
    for vm in [&mut vm, &mut copy] {
        let ctx = &mut vm.context();
        ctx.set_fuel(FUEL);
        let _ = ctx.resume::<MultiValue>();
        ctx.set_fuel(FUEL);
        let _ = ctx.exec::<MultiValue>(CALL_EVERY_GLOBAL, "=driver");
    }
}

/// Calls each global function of a deserialized VM once, in traversal order.
const CALL_EVERY_GLOBAL: &[u8] = b"
    for _, value in next, _G do
        if type(value) == 'function' then pcall(value) end
    end
    collectgarbage()
";

/// Snapshots of VMs in interesting states, to seed the `deserialize` corpus (random bytes
/// rarely decode): a fresh VM, and VMs paused inside coroutines, metatables, closures,
/// weak tables and finalizers.
pub fn snapshot_seeds() -> Vec<(&'static str, Vec<u8>)> {
    const SCRIPT: &[u8] = b"
        local weak = setmetatable({}, { __mode = 'k' })
        local counter = 0
        function tick() counter = counter + 1 return counter end
        local co = coroutine.create(function(a)
            while true do a = coroutine.yield(a * 2) end
        end)
        coroutine.resume(co, 1)
        gen = coroutine.wrap(function() for i = 1, 1e9 do coroutine.yield(i) end end)
        objects = {}
        for i = 1, 200 do
            local t = setmetatable({ i, tostring(i), i / 3 }, { __index = function() return i end,
                __gc = function() counter = counter - 1 end })
            objects[i] = t
            weak[t] = i
        end
        local s = 0
        for i = 1, 1e9 do s = s + (objects[i % 200 + 1][1] or 0) gen() end
    ";
    let mut seeds = vec![("fresh", Vec::new())];
    let fresh = Vm::default();
    if let Ok(bytes) = postcard::to_allocvec(&fresh) {
        seeds[0].1 = bytes;
    }
    for (name, fuel) in [("paused-early", 50), ("paused-late", 20_000)] {
        let mut vm = Vm::default();
        let outcome = {
            let ctx = &mut vm.context();
            ctx.set_fuel(fuel);
            ctx.exec::<MultiValue>(SCRIPT, "=seed").map(|_| ())
        };
        if let (Err(RuntimeError::Paused), Ok(bytes)) = (outcome, postcard::to_allocvec(&vm)) {
            seeds.push((name, bytes));
        }
    }
    seeds
}

/// Runs `target` on the contents of every file named on the command line (used by the
/// target binaries when they are built without libFuzzer, to reproduce a crash).
pub fn replay_arguments(target: fn(&[u8])) {
    for path in std::env::args_os().skip(1) {
        match std::fs::read(&path) {
            Ok(bytes) => {
                eprintln!("replaying {}", path.to_string_lossy());
                target(&bytes);
            }
            Err(error) => eprintln!("cannot read {}: {error}", path.to_string_lossy()),
        }
    }
}
