//! The garbage collector seen from scripts and the host: weak tables, ephemerons,
//! finalizer order and resurrection, host handles as roots, collection while a coroutine
//! is suspended, and determinism across clones.

use red_moon::errors::RuntimeError;
use red_moon::interpreter::{TableRef, Vm};

fn run(vm: &mut Vm, source: &str) -> String {
    vm.context()
        .exec::<String>(source.as_bytes(), "=test")
        .unwrap_or_else(|error| panic!("{error}"))
}

#[test]
fn weak_tables_lose_collected_entries() {
    let mut vm = Vm::default();
    let out = run(
        &mut vm,
        r#"
        local weak_values = setmetatable({}, { __mode = "v" })
        local weak_keys = setmetatable({}, { __mode = "k" })
        local kept = {}
        weak_values[1], weak_values[2], weak_values.s = {}, kept, "strings stay"
        weak_keys[{}] = 1
        weak_keys[kept] = 2
        collectgarbage()
        local n = 0
        for _ in pairs(weak_keys) do n = n + 1 end
        return tostring(weak_values[1]) .. " " .. tostring(weak_values[2] == kept)
            .. " " .. weak_values.s .. " " .. n .. " " .. tostring(weak_keys[kept])
        "#,
    );
    assert_eq!(out, "nil true strings stay 1 2");
}

#[test]
fn ephemerons_keep_values_only_through_their_keys() {
    let mut vm = Vm::default();
    let out = run(
        &mut vm,
        r#"
        local e = setmetatable({}, { __mode = "k" })
        local a, b = {}, {}
        e[a] = b            -- b alive while a is
        e[b] = { a }        -- value refers back to a key: no strong cycle through e
        local chain = {}
        local first = {}
        local key = first
        for i = 1, 50 do local nxt = {} e[key] = nxt key = nxt end
        first = nil
        collectgarbage()
        local n = 0
        for _ in pairs(e) do n = n + 1 end
        local before = n
        a, b = nil, nil
        collectgarbage()
        n = 0
        for _ in pairs(e) do n = n + 1 end
        return before .. " " .. n
        "#,
    );
    // The chain of 50 died at once (each value only reachable through a dead key); a and b
    // kept each other's entries until dropped.
    assert_eq!(out, "2 0");
}

#[test]
fn finalizers_run_in_reverse_order_and_can_resurrect() {
    let mut vm = Vm::default();
    let out = run(
        &mut vm,
        r#"
        local log = {}
        saved = nil
        for i = 1, 3 do
            setmetatable({}, { __gc = function(o) log[#log + 1] = i end })
        end
        setmetatable({ name = "phoenix" }, { __gc = function(o) saved = o end })
        collectgarbage()
        collectgarbage()
        local first = table.concat(log, ",")
        -- The resurrected object is usable, and not finalized a second time.
        local name = saved and saved.name
        saved = nil
        collectgarbage()
        return first .. " " .. tostring(name) .. " " .. #log
        "#,
    );
    assert_eq!(out, "3,2,1 phoenix 3");
}

#[test]
fn finalizer_errors_become_warnings() {
    let mut vm = Vm::default();
    let out = run(
        &mut vm,
        r#"
        setmetatable({}, { __gc = function() error("boom") end })
        local ok = pcall(collectgarbage)
        return tostring(ok)
        "#,
    );
    assert_eq!(out, "true");
}

#[test]
fn host_handles_keep_objects_alive_until_dropped() {
    let mut vm = Vm::default();
    let handle: TableRef = {
        let ctx = &mut vm.context();
        ctx.exec(
            b"local t = setmetatable({ 42 }, { __gc = function() gone = true end }) return t",
            "=make",
        )
        .unwrap()
    };
    vm.collect_garbage().unwrap();
    assert_eq!(run(&mut vm, "return tostring(gone)"), "nil");
    let ctx = &mut vm.context();
    assert_eq!(handle.get::<_, i64>(1, ctx).unwrap(), 42);
    drop(handle);
    vm.collect_garbage().unwrap();
    vm.collect_garbage().unwrap();
    assert_eq!(run(&mut vm, "return tostring(gone)"), "true");
}

#[test]
fn collection_while_a_coroutine_is_suspended_keeps_its_locals() {
    let mut vm = Vm::default();
    let out = run(
        &mut vm,
        r#"
        local co = coroutine.wrap(function()
            local mine = { "kept" }
            local weak = setmetatable({ mine, {} }, { __mode = "v" })
            coroutine.yield()
            return mine[1] .. " " .. tostring(weak[1] == mine) .. " " .. tostring(weak[2])
        end)
        co()
        for i = 1, 1000 do local _ = { i } end
        collectgarbage()
        return co()
        "#,
    );
    assert_eq!(out, "kept true nil");
}

#[test]
fn the_host_api_mirrors_collectgarbage() {
    let mut vm = Vm::default();
    vm.set_garbage_collection(false);
    assert!(!vm.is_garbage_collection_running());
    assert_eq!(
        run(&mut vm, "return tostring(collectgarbage('isrunning'))"),
        "false"
    );
    vm.set_garbage_collection(true);
    run(
        &mut vm,
        "junk = {} for i = 1, 5000 do junk[i] = { i } end return ''",
    );
    let full = vm.memory_in_use();
    run(&mut vm, "junk = nil return ''");
    while !vm.collect_garbage_step(64).unwrap() {}
    assert!(
        vm.memory_in_use() < full / 2,
        "{} vs {full}",
        vm.memory_in_use()
    );
    let kib: f64 = vm
        .context()
        .exec(b"return collectgarbage('count')", "=c")
        .unwrap();
    assert!((kib * 1024.0 - vm.memory_in_use() as f64).abs() < 4096.0);
}

/// The same allocation-heavy script in a VM and in a clone taken mid-run gives the same
/// `collectgarbage("count")` sequence, finalizer log and weak-table contents.
#[test]
fn a_clone_collects_exactly_like_the_original() {
    const SCRIPT: &str = r#"
        counts, finalized = counts or {}, finalized or {}
        weak = weak or setmetatable({}, { __mode = "v" })
        for round = 1, 40 do
            local tree = {}
            for i = 1, 300 do
                tree[i] = setmetatable({ i, tostring(i) }, {
                    __gc = function() finalized[#finalized + 1] = round * 1000 + i end })
                if i % 37 == 0 then weak[#weak + 1] = tree[i] end
            end
            counts[#counts + 1] = collectgarbage("count")
        end
        local alive = 0
        for _, v in pairs(weak) do alive = alive + 1 end
        return table.concat(counts, ",") .. "|" .. table.concat(finalized, ",") .. "|" .. alive
    "#;
    let mut original = Vm::default();
    let ctx = &mut original.context();
    ctx.set_fuel(60_000);
    let paused = ctx.exec::<String>(SCRIPT.as_bytes(), "=script");
    assert!(matches!(paused, Err(RuntimeError::Paused)), "{paused:?}");
    // The clone is taken in the middle of the script, collector cycle in progress.
    let mut clone = original.clone();
    let finish = |vm: &mut Vm| {
        let ctx = &mut vm.context();
        ctx.set_fuel(i64::MAX);
        ctx.resume::<String>().unwrap()
    };
    let a = finish(&mut original);
    let b = finish(&mut clone);
    assert_eq!(a, b);
    assert!(
        a.split('|').nth(1).is_some_and(|log| !log.is_empty()),
        "no finalizer ran"
    );
    assert_eq!(original.state_digest().ok(), clone.state_digest().ok());
}
