//! Hostile snapshots: bytes derived from a real snapshot of a paused VM by deterministic
//! mutations (flipped bytes, overwritten lengths, truncation, spliced ranges) go through
//! the peer path. Each must fail with an error or give a VM that runs under limits; none
//! may panic. (The `deserialize` fuzz target explores the same space without end.)
#![cfg(feature = "serde")]

use red_moon::errors::RuntimeError;
use red_moon::interpreter::{Limits, MultiValue, Vm};

const SCRIPT: &[u8] = b"
    local weak = setmetatable({}, { __mode = 'v' })
    local co = coroutine.wrap(function(a) while true do a = coroutine.yield(a + 1) end end)
    objects = {}
    for i = 1, 1e9 do
        objects[i % 50 + 1] = setmetatable({ i, 'x' .. i }, { __index = function() return i end })
        weak[i % 7] = objects[i % 50 + 1]
        co(i)
    end
";

fn paused_snapshot() -> Vec<u8> {
    let mut vm = Vm::default();
    let ctx = &mut vm.context();
    ctx.set_fuel(5_000);
    let outcome = ctx.exec::<()>(SCRIPT, "=hostile");
    assert!(matches!(outcome, Err(RuntimeError::Paused)));
    postcard::to_allocvec(&vm).expect("serialize")
}

/// A small deterministic generator (xorshift64*), so failures reproduce.
struct Mutator(u64);

impl Mutator {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn mutate(&mut self, original: &[u8]) -> Vec<u8> {
        let mut bytes = original.to_vec();
        for _ in 0..1 + self.below(3) {
            let at = self.below(bytes.len());
            match self.below(5) {
                0 => bytes[at] ^= 1 << self.below(8),
                1 => bytes[at] = [0, 0x7f, 0x80, 0xff][self.below(4)],
                2 => bytes.truncate(at),
                3 => {
                    // A long varint where a small count was.
                    let tail = bytes.split_off(at);
                    bytes.extend_from_slice(&[0xff, 0xff, 0xff, 0xff, 0x0f]);
                    bytes.extend_from_slice(&tail);
                }
                _ => {
                    let from = self.below(bytes.len());
                    let len = self.below(64).min(bytes.len() - from);
                    let piece = bytes[from..from + len].to_vec();
                    let at = at.min(bytes.len());
                    bytes.splice(at..at, piece);
                }
            }
            if bytes.is_empty() {
                break;
            }
        }
        bytes
    }
}

/// What a host does with a snapshot from a peer: decode, impose its limits, run.
fn receive(bytes: &[u8]) -> bool {
    let Ok(mut vm) = postcard::from_bytes::<Vm>(bytes) else {
        return false;
    };
    vm.set_limits(Limits {
        memory: 8 << 20,
        ..Limits::default()
    });
    let _ = vm.state_digest();
    let ctx = &mut vm.context();
    ctx.set_fuel(20_000);
    let _ = ctx.resume::<MultiValue>();
    ctx.set_fuel(20_000);
    let _ = ctx.exec::<MultiValue>(b"collectgarbage() return objects and #objects", "=after");
    true
}

#[test]
fn mutated_snapshots_never_panic() {
    let original = paused_snapshot();
    assert!(receive(&original), "the unmutated snapshot decodes");
    let mut mutator = Mutator(0x5eed_1234_abcd_0001);
    let mut decoded = 0;
    for _ in 0..4000 {
        let bytes = mutator.mutate(&original);
        if receive(&bytes) {
            decoded += 1;
        }
    }
    // Most mutations are caught by validation; some (a changed number) are legal.
    assert!(decoded < 4000);
}

#[test]
fn every_truncation_is_an_error() {
    let original = paused_snapshot();
    for len in (0..original.len()).step_by(7) {
        assert!(
            postcard::from_bytes::<Vm>(&original[..len]).is_err(),
            "{len}"
        );
    }
}
