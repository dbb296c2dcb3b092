//! Suspended coroutines under a memory limit: their stacks are compacted (the running
//! thread's register window is not kept for them), and the compacted stacks still resume,
//! also after serialization.
#![cfg(feature = "serde")]

use red_moon::interpreter::{Limits, Vm};

const SCRIPT: &[u8] = b"
    cos = {}
    local function inner(i)
      local a, b, c, d, e, f, g, h = i, i + 1, i + 2, i + 3, i + 4, i + 5, i + 6, i + 7
      local got = coroutine.yield(a)
      return got + a + b + c + d + e + f + g + h
    end
    -- Each coroutine that ran once would keep a 4 KiB register window: 1500 of them do
    -- not fit in 4 MiB unless suspended stacks are compacted.
    for i = 1, 1500 do
      local co = coroutine.create(function(n) return inner(n) end)
      local ok, first = coroutine.resume(co, i)
      assert(ok and first == i)
      cos[i] = co
    end
";

const FINISH: &[u8] = b"
    local total = 0
    for i, co in ipairs(cos) do
      local ok, sum = coroutine.resume(co, 1)
      assert(ok and sum == 1 + 8 * i + 28, sum)
      total = total + sum
    end
    return total
";

fn expected_total() -> i64 {
    (1..=1500).map(|i| 1 + 8 * i + 28).sum()
}

#[test]
fn many_suspended_coroutines_fit_and_resume_after_serialization() {
    let mut vm = Vm::builder()
        .limits(Limits {
            memory: 4 << 20,
            ..Limits::default()
        })
        .build()
        .unwrap();
    let ctx = &mut vm.context();
    ctx.exec::<()>(SCRIPT, "=setup").unwrap();

    let bytes = postcard::to_allocvec(&vm).unwrap();
    let mut copy: Vm = postcard::from_bytes(&bytes).unwrap();
    let copy_ctx = &mut copy.context();
    assert_eq!(
        copy_ctx.exec::<i64>(FINISH, "=finish").unwrap(),
        expected_total()
    );

    let ctx = &mut vm.context();
    assert_eq!(
        ctx.exec::<i64>(FINISH, "=finish").unwrap(),
        expected_total()
    );
}
