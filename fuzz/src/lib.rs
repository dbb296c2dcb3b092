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

/// `deserialize`: bytes → `Vm` (postcard) → run.
///
/// TODO: serde support for `Vm` is not on main yet. Once it lands, decode `data` with
/// `postcard::from_bytes::<Vm>`, set the fuzzing limits and fuel, and call a global
/// function of the decoded VM; no input may panic or run unbounded.
pub fn deserialize(data: &[u8]) {
    let _ = data;
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
