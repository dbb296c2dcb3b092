use super::bad_format;
use crate::bytecode::binary::{encode, instruction_from_bytes};
use crate::bytecode::{verify, Constant, Instruction, Proto, UpvalueDescriptor};
use crate::errors::RuntimeError;
use crate::interpreter::Vm;
use std::rc::Rc;

/// Runs `script` in a sandboxed VM (binary chunks as given) with `chunk` as a global
/// string, and fuel enough for the script, not for runaway chunks.
fn run(binary_chunks: bool, chunk: &[u8], script: &str, fuel: i64) -> Result<(), RuntimeError> {
    let mut vm = Vm::default();
    vm.set_binary_chunks(binary_chunks);
    let ctx = &mut vm.context();
    ctx.default_environment().set("chunk", chunk, ctx)?;
    ctx.set_fuel(fuel);
    ctx.exec::<()>(script.as_bytes(), "=test")
}

fn check(binary_chunks: bool, chunk: &[u8], script: &str) {
    if let Err(error) = run(binary_chunks, chunk, script, 1_000_000) {
        panic!("{script}: {error}");
    }
}

#[test]
fn binary_chunks_are_off_by_default() {
    assert!(!Vm::default().binary_chunks());
    check(
        false,
        b"",
        r#"local d = string.dump(function() return 1 end)
           local f, e = load(d)
           assert(f == nil and e == "attempt to load a binary chunk (binary chunks are disabled)")
           f, e = load(d, "x", "t")
           assert(e == "attempt to load a binary chunk (mode is 't')")
           assert(load("return 2")() == 2)"#,
    );
}

#[test]
fn dumped_functions_load_with_fresh_upvalues_and_env() {
    check(
        true,
        b"",
        r#"local a, b = 1, 2
           local function f(x) return a + b + x end
           local g = assert(load(string.dump(f), "g", "b"))
           assert(not pcall(g, 1))                       -- fresh upvalues are nil
           local h = assert(load(string.dump(function() return X end), "h", "b", {X = 7}))
           assert(h() == 7)                              -- first upvalue is the env
           local s = assert(load(string.dump(f, true)))
           assert(select(2, pcall(s, 1)):find("^%?:%-1:"))
           assert(load(string.dump(load("return ...")))(4, 5) == 4)"#,
    );
}

#[test]
fn dump_needs_a_lua_function() {
    check(
        true,
        b"",
        r#"local ok, e = pcall(string.dump, print)
           assert(not ok and e == "unable to dump given function")
           ok, e = pcall(string.dump)
           assert(e == "bad argument #1 to 'string.dump' (function expected, got no value)")"#,
    );
}

#[test]
fn load_errors_name_the_chunk_like_puc() {
    let reason = "truncated chunk";
    let cases: [(&[u8], &[u8]); 4] = [
        (
            b"@file.lua",
            b"file.lua: bad binary format (truncated chunk)",
        ),
        (b"=name", b"name: bad binary format (truncated chunk)"),
        (
            b"\x1bLua...",
            b"binary string: bad binary format (truncated chunk)",
        ),
        (b"plain", b"plain: bad binary format (truncated chunk)"),
    ];
    for (name, expected) in cases {
        assert_eq!(bad_format(name, reason), expected);
    }
}

#[test]
fn invalid_code_is_rejected_before_it_runs() {
    let mut proto = match crate::languages::lua::compile(b"return 1", b"=bad") {
        Ok(proto) => proto,
        Err(_) => panic!("does not compile"),
    };
    proto.code.insert(1, Instruction::Move { dst: 200, src: 0 });
    proto.line_info.insert(1, 1);
    check(
        true,
        &encode(&proto, false),
        r#"local f, e = load(chunk, "=bad")
           assert(f == nil)
           assert(e == "bad: bad binary format (invalid code: main function, instruction 2 " ..
                       "(Move { dst: 200, src: 0 }): register 200 out of range (stack size 2))", e)"#,
    );
}

/// Deterministic pseudo-random numbers (SplitMix64).
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// A small operand byte most of the time (so registers, booleans and offsets are often
    /// valid), sometimes anything.
    fn operand(&mut self) -> u8 {
        match self.below(10) {
            0..=4 => self.below(2) as u8,
            5..=8 => self.below(4) as u8,
            _ => self.next() as u8,
        }
    }
}

/// Number of instruction tags in the binary format.
const INSTRUCTION_TAGS: u64 = 77;

fn random_instruction(random: &mut Random) -> Instruction {
    loop {
        let mut bytes = vec![random.below(INSTRUCTION_TAGS) as u8];
        bytes.extend((0..6).map(|_| random.operand()));
        if let Some(instruction) = instruction_from_bytes(&bytes) {
            return instruction;
        }
    }
}

fn random_constant(random: &mut Random) -> Constant {
    match random.below(5) {
        0 => Constant::Nil,
        1 => Constant::Boolean(random.chance(50)),
        2 => Constant::Integer(random.below(5) as i64 - 2),
        3 => Constant::Float(0.5),
        _ => Constant::String(Rc::from(&b"k"[..])),
    }
}

fn is_conditional(instruction: Instruction) -> bool {
    use Instruction as I;
    matches!(
        instruction,
        I::Eq { .. }
            | I::Lt { .. }
            | I::Le { .. }
            | I::EqK { .. }
            | I::EqI { .. }
            | I::LtI { .. }
            | I::LeI { .. }
            | I::GtI { .. }
            | I::GeI { .. }
            | I::Test { .. }
            | I::TestSet { .. }
    )
}

/// Points the jump of `instruction` (at `pc`) at a random instruction of `length`.
fn aim_jump(random: &mut Random, instruction: &mut Instruction, pc: usize, length: usize) {
    use Instruction as I;
    if let I::Jmp { offset }
    | I::ForPrep { offset, .. }
    | I::ForLoop { offset, .. }
    | I::TForPrep { offset, .. }
    | I::TForLoop { offset, .. } = instruction
    {
        *offset = random.below(length as u64) as i32 - (pc as i32 + 1);
    }
}

/// Random instructions, each conditional followed by a jump, jumps aimed inside the code,
/// usually with the prologue and return a function needs.
fn random_code(random: &mut Random, is_vararg: bool, param_count: u8) -> Vec<Instruction> {
    let mut code = Vec::new();
    if is_vararg && random.chance(90) {
        code.push(Instruction::VarArgPrep {
            fixed_params: param_count,
        });
    }
    for _ in 0..1 + random.below(10) {
        let instruction = random_instruction(random);
        code.push(instruction);
        if is_conditional(instruction) || random.chance(10) {
            code.push(Instruction::Jmp { offset: 0 });
        }
    }
    if random.chance(95) {
        code.push(match random.below(3) {
            0 => Instruction::Return0,
            1 => Instruction::Return1 { src: 0 },
            _ => Instruction::Return {
                first: 0,
                count_plus_one: random.below(3) as u8,
            },
        });
    }
    let length = code.len();
    for (pc, instruction) in code.iter_mut().enumerate() {
        aim_jump(random, instruction, pc, length);
    }
    code
}

/// A small function that often, but not always, satisfies the verifier.
fn random_proto(random: &mut Random, depth: usize) -> Proto {
    let max_stack_size = if random.chance(70) {
        5 + random.below(4) as u8
    } else {
        random.below(9) as u8
    };
    let param_count = random.below(u64::from(max_stack_size) + 1) as u8;
    let is_vararg = random.chance(30);
    let code = random_code(random, is_vararg, param_count);
    let protos = if depth < 2 && random.chance(30) {
        vec![Rc::new(random_proto(random, depth + 1))]
    } else {
        Vec::new()
    };
    let mut constants = vec![
        Constant::Integer(2),
        Constant::String(Rc::from(&b"k"[..])),
        Constant::Float(0.5),
    ];
    constants.extend((0..random.below(3)).map(|_| random_constant(random)));
    Proto {
        source: Rc::from(&b"=fuzz"[..]),
        line_defined: depth as u32,
        last_line_defined: depth as u32,
        param_count,
        is_vararg,
        max_stack_size,
        line_info: if random.chance(50) {
            vec![1; code.len()]
        } else {
            Vec::new()
        },
        code,
        constants,
        upvalues: (0..random.below(3))
            .map(|_| UpvalueDescriptor {
                in_stack: random.chance(50),
                index: random.below(3) as u8,
                name: Rc::from(&b""[..]),
            })
            .collect(),
        protos,
        locals: Vec::new(),
    }
}

/// Iterations and seed of the random-code test; `FUZZ_N` and `FUZZ_SEED` in the
/// environment override them for a longer local run.
fn fuzz_settings() -> (u64, u64) {
    let read = |name: &str, default: u64| {
        std::env::var(name)
            .ok()
            .and_then(|value| value.parse().ok())
            .unwrap_or(default)
    };
    (read("FUZZ_N", 5000), read("FUZZ_SEED", 0x5eed))
}

/// Whatever random code gets past the verifier loads and runs without panicking (errors
/// and running out of fuel are fine): the verifier's guarantees are enough for the
/// interpreter. Internal errors (broken interpreter invariants) would fail the test too.
#[test]
fn verified_random_code_runs_safely() {
    let (iterations, seed) = fuzz_settings();
    let mut random = Random(seed);
    let (mut verified, mut completed) = (0, 0);
    for _ in 0..iterations {
        let proto = random_proto(&mut random, 0);
        if verify(&proto).is_err() {
            continue;
        }
        verified += 1;
        let script = "local f, e = load(chunk, '=fuzz', 'b')
                      if not f then error('load failed: ' .. e) end
                      pcall(f, 1, 'a', {}, nil)
                      pcall(f)";
        match run(true, &encode(&proto, random.chance(50)), script, 3000) {
            Ok(()) => completed += 1,
            Err(RuntimeError::Paused) => {}
            Err(error) => panic!("verified code: {error}\n{proto:?}"),
        }
    }
    assert!(
        verified > iterations / 12 && completed > iterations / 15,
        "only {verified} random functions verified, {completed} completed"
    );
}
