//! Regression tests for attacks by hostile scripts on the VM's limits: fuel, memory and
//! collector work (see also `tests/adversarial/` and the `fuzz/` targets).

use crate::errors::RuntimeError;
use crate::interpreter::{Limits, MultiValue, Vm, VmContext};
use std::time::{Duration, Instant};

fn vm_with(fuel: i64, memory: usize) -> Vm {
    let mut vm = Vm::default();
    let limits = Limits {
        memory,
        ..vm.limits().clone()
    };
    vm.set_limits(limits);
    vm.context().set_fuel(fuel);
    vm
}

fn run(ctx: &mut VmContext, source: &str) -> Result<MultiValue, RuntimeError> {
    ctx.exec::<MultiValue>(source.as_bytes(), "=test")
}

fn error_text(result: Result<MultiValue, RuntimeError>) -> String {
    match result {
        Ok(_) => "no error".into(),
        Err(error) => error.to_string(),
    }
}

const NO_LIMIT: usize = usize::MAX;

#[test]
fn catching_fuel_exhaustion_in_a_nested_call_buys_no_more_work() {
    for body in [
        "while true do pcall(function() while true do end end) end",
        "local s = string.rep('a', 10000) while true do pcall(string.find, s, '.-.-.-b') end",
    ] {
        let mut vm = vm_with(100_000, NO_LIMIT);
        let ctx = &mut vm.context();
        let source = format!("table.sort({{3, 2, 1}}, function(a, b) {body} end)");
        let start = Instant::now();
        let result = run(ctx, &source);
        assert!(start.elapsed() < Duration::from_secs(5), "{body}");
        assert!(error_text(result).contains("fuel exhausted"), "{body}");
    }
}

#[test]
fn the_debt_is_cleared_when_the_call_pauses() {
    let mut vm = vm_with(1_000, NO_LIMIT);
    let ctx = &mut vm.context();
    let source = "local ok = pcall(table.sort, {3, 2, 1}, function() while true do end end)
                  local n = 0 for i = 1, 100 do n = n + i end return ok, n";
    assert!(matches!(run(ctx, source), Err(RuntimeError::Paused)));
    ctx.add_fuel(10_000);
    let (ok, n): (bool, i64) = ctx.resume().unwrap();
    assert_eq!((ok, n), (false, 5050));
}

#[test]
fn long_inputs_cost_fuel_in_proportion() {
    for source in [
        "local s = string.rep('1', 1000000) for i = 1, 1000 do tonumber(s) end",
        "local s = string.rep('7', 1000000) for i = 1, 1000 do tonumber(s, 16) end",
        "local s = string.rep('x = 1 ', 200000) for i = 1, 1000 do load(s) end",
        "local s = string.rep('1', 1000000) for i = 1, 1000 do local t = '0x' .. s end",
        "local function grow(...) return grow(1, ...) end grow()",
        "local t = {} for i = 1, 100000 do t[i] = {} end while true do collectgarbage() end",
    ] {
        let mut vm = vm_with(2_000_000, NO_LIMIT);
        let ctx = &mut vm.context();
        let start = Instant::now();
        let result = run(ctx, source);
        assert!(start.elapsed() < Duration::from_secs(5), "{source}");
        assert!(
            matches!(result, Err(RuntimeError::Paused)) || error_text(result).contains("fuel"),
            "{source}"
        );
    }
}

#[test]
fn table_and_stack_growth_respect_the_memory_limit() {
    for source in [
        "local t = {} local i = 1 while true do t[i] = i i = i + 1 end",
        "local t = {} local i = 0.5 while true do t[i] = true i = i + 1 end",
        "local t = {} for i = 1, 100000 do t[i] = i end
         for k = 1, 100 do table.move(t, 1, 100000, k * (1 << 40)) end",
        "local keep = {} while true do
           local co = coroutine.wrap(function(n) local function d(n)
             if n == 0 then coroutine.yield() return 0 end return 1 + d(n - 1) end
             return d(n) end)
           co(3000) keep[#keep + 1] = co end",
    ] {
        let mut vm = vm_with(i64::MAX, 8 << 20);
        let ctx = &mut vm.context();
        let result = error_text(run(ctx, source));
        assert!(result.contains("not enough memory"), "{source}: {result}");
    }
}

#[test]
fn kept_compiled_code_counts_against_the_limit() {
    let mut vm = vm_with(i64::MAX, 8 << 20);
    let ctx = &mut vm.context();
    let source = "local src = string.rep('a = {1, 2, 3}; ', 1000)
                  local keep = {} while true do keep[#keep + 1] = assert(load(src)) end";
    assert!(error_text(run(ctx, source)).contains("not enough memory"));
    // Once the chunks are garbage, their code is given back.
    let before = ctx.vm().heap.allocated;
    run(ctx, "collectgarbage()").unwrap();
    assert!(ctx.vm().heap.allocated < before / 2);
}

#[test]
fn large_requests_collect_garbage_before_failing() {
    // Each result is 1 MiB of garbage by the next iteration; the limit is 8 MiB.
    let mut vm = vm_with(i64::MAX, 8 << 20);
    let ctx = &mut vm.context();
    // The operands must survive the emergency collections (they are checked after).
    let source = "collectgarbage('stop') local s = string.rep('x', 1 << 20)
                  for i = 1, 50 do
                    local t = s:upper() local u = string.rep(s, 2)
                    assert(#t == 1 << 20 and #u == 2 << 20 and u:sub(-1) == 'x')
                  end
                  for i = 1, 50 do
                    local a, b = s:sub(1, -2), s:sub(2)
                    local t = table.concat({a, b}) local u = a .. i .. b
                    assert(#t == (2 << 20) - 2 and #u == #t + #tostring(i))
                  end
                  return collectgarbage('isrunning')";
    let (running,): (bool,) = ctx.exec(source.as_bytes(), "=test").unwrap();
    assert!(
        !running,
        "the emergency collection leaves the collector stopped"
    );
}

#[test]
fn ephemeron_chains_converge_in_linear_time() {
    let mut vm = vm_with(i64::MAX, NO_LIMIT);
    let ctx = &mut vm.context();
    let source = "collectgarbage('stop')
                  local weak = setmetatable({}, {__mode = 'k'})
                  local prev = {}
                  for i = 1, 50000 do local k = {} weak[k] = prev prev = k end
                  collectgarbage('restart') collectgarbage()
                  local n = 0 for _ in pairs(weak) do n = n + 1 end
                  return n";
    let start = Instant::now();
    let (kept,): (i64,) = ctx.exec(source.as_bytes(), "=test").unwrap();
    assert!(start.elapsed() < Duration::from_secs(5));
    assert_eq!(kept, 50000, "every link is reachable from the last key");
}

#[test]
fn registering_many_finalizers_is_not_quadratic() {
    let mut vm = vm_with(i64::MAX, NO_LIMIT);
    let ctx = &mut vm.context();
    let source = "local mt = {__gc = function() end} local keep = {}
                  for i = 1, 50000 do keep[i] = setmetatable({}, mt) end
                  for i = 1, 50000 do setmetatable(keep[i], mt) end";
    let start = Instant::now();
    run(ctx, source).unwrap();
    assert!(start.elapsed() < Duration::from_secs(5));
}

/// Every path of Rust-level re-entry, driven to the "C stack overflow" limit, on a thread
/// with Rust's default 2 MiB stack (what a host's worker thread usually has).
#[test]
fn reentry_at_the_depth_limit_fits_in_a_default_thread_stack() {
    const SCRIPTS: &[&str] = &[
        "local function f(c) return ('x'):gsub('.', f) end return ('x'):gsub('.', f)",
        "local function c(a, b) table.sort({3, 2, 1}, c) return a < b end table.sort({3, 2, 1}, c)",
        "local t = setmetatable({}, {__tostring = function(s) return tostring(s) end}) return tostring(t)",
        "local function r() load(r) return nil end return load(r)",
        "local function n() local co = coroutine.wrap(n) return co() end return n()",
        "local function n() local ok, e = pcall(n) error(e, 0) end return n()",
        "local t = setmetatable({}, {__index = function(t, k) return t[k] end}) return t.x",
        "local s = string.rep('(', 10000) return load('return ' .. s)",
        "local f f = function() return xpcall(f, f) end return f()",
    ];
    let worker = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(|| {
            for script in SCRIPTS {
                let mut vm = vm_with(50_000_000, 64 << 20);
                let ctx = &mut vm.context();
                // Any clean outcome will do; a Rust stack overflow aborts the test binary.
                let _ = run(ctx, script);
            }
        })
        .expect("thread");
    assert!(worker.join().is_ok());
}
