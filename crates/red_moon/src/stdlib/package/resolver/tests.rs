//! The sandbox's `require` with and without a host module resolver.

use super::*;
use crate::interpreter::heap::NativeId;
use std::cell::Cell;

/// The game's modules: name → source.
fn modules(name: &str) -> Option<ModuleSource> {
    let source = match name {
        "door" => "local name, file = ... return {name = name, file = file, open = false}",
        "mech.gear" => "return {teeth = 12, data = select(2, ...)}",
        "needs_door" => "local door = require 'door' return {door = door}",
        "broken" => "return {",
        "failing" => "error('boom')",
        "binary" => "\x1bLua",
        "nothing" => "DOOR_SIDE_EFFECT = true",
        _ => return None,
    };
    let chunk_name = format!("@scripts/{}.lua", name.replace('.', "/"));
    Some(ModuleSource::new(source, chunk_name))
}

fn run(vm: &mut Vm, code: &str) -> Result<String, String> {
    vm.context()
        .exec::<String>(code.as_bytes(), "=test")
        .map_err(|error| error.to_string())
}

fn sandbox_with_modules() -> Vm {
    let mut vm = Vm::default();
    vm.set_module_resolver(modules).expect("resolver");
    vm
}

#[test]
fn require_loads_host_modules() {
    let mut vm = sandbox_with_modules();
    let result = run(
        &mut vm,
        "local door, file = require 'door'
         assert(require 'door' == door and package.loaded.door == door)
         local gear, gear_file = require 'mech.gear'
         return door.name .. ' ' .. door.file .. ' ' .. file .. ' ' .. gear_file .. ' '
             .. gear.teeth .. ' ' .. gear.data",
    );
    assert_eq!(
        result.as_deref(),
        Ok("door scripts/door.lua scripts/door.lua scripts/mech/gear.lua 12 scripts/mech/gear.lua")
    );
    let nested = run(
        &mut vm,
        "return tostring(require('needs_door').door == require 'door')",
    );
    assert_eq!(nested.as_deref(), Ok("true"));
    let nothing = run(
        &mut vm,
        "return tostring(require 'nothing') .. ' ' .. tostring(DOOR_SIDE_EFFECT)",
    );
    assert_eq!(nothing.as_deref(), Ok("true true"));
}

#[test]
fn sandbox_has_no_file_search() {
    let mut vm = sandbox_with_modules();
    let result = run(
        &mut vm,
        "return tostring(package.path) .. tostring(package.cpath) .. tostring(package.searchpath)
            .. ' ' .. #package.searchers .. ' ' .. package.config:gsub('\\n', '|')",
    );
    assert_eq!(result.as_deref(), Ok("nilnilnil 2 /|;|?|!|-|"));
}

#[test]
fn missing_modules_are_reported() {
    let mut vm = sandbox_with_modules();
    let result = run(&mut vm, "return select(2, pcall(require, 'absent'))");
    assert_eq!(
        result.as_deref(),
        Ok("module 'absent' not found:\n\tno field package.preload['absent']\n\tno host module 'absent'")
    );
    // Names that are not UTF-8 never reach the resolver.
    let result = run(
        &mut vm,
        "local _, message = pcall(require, 'a\\xff') return (message:gsub('\\xff', '?'))",
    );
    assert_eq!(
        result.as_deref(),
        Ok("module 'a?' not found:\n\tno field package.preload['a?']\n\tno host module 'a?'")
    );
}

#[test]
fn without_a_resolver_only_loaded_and_preloaded_modules_exist() {
    let mut vm = Vm::default();
    let result = run(
        &mut vm,
        "package.preload.p = function (...) return table.concat({...}, ',') end
         local p = require 'p'
         local ok, message = pcall(require, 'door')
         return p .. ' ' .. message",
    );
    assert_eq!(
        result.as_deref(),
        Ok("p,:preload: module 'door' not found:\n\tno field package.preload['door']")
    );
    let mut vm = sandbox_with_modules();
    vm.clear_module_resolver().expect("clear");
    let result = run(&mut vm, "return select(2, pcall(require, 'door'))");
    assert_eq!(
        result.as_deref(),
        Ok("module 'door' not found:\n\tno field package.preload['door']")
    );
}

#[test]
fn preload_comes_before_the_resolver() {
    let mut vm = sandbox_with_modules();
    let result = run(
        &mut vm,
        "package.preload.door = function () return 'preloaded' end return require 'door'",
    );
    assert_eq!(result.as_deref(), Ok("preloaded"));
}

#[test]
fn load_and_run_errors() {
    let mut vm = sandbox_with_modules();
    let broken = run(&mut vm, "return select(2, pcall(require, 'broken'))");
    assert_eq!(
        broken.as_deref(),
        Ok("error loading module 'broken' from file 'scripts/broken.lua':\n\tscripts/broken.lua:1: unexpected symbol near <eof>")
    );
    let failing = run(&mut vm, "return select(2, pcall(require, 'failing'))");
    assert_eq!(failing.as_deref(), Ok("scripts/failing.lua:1: boom"));
    let binary = run(&mut vm, "return select(2, pcall(require, 'binary'))");
    assert_eq!(
        binary.as_deref(),
        Ok("error loading module 'binary' from file 'scripts/binary.lua':\n\tattempt to load a binary chunk (mode is 't')")
    );
}

#[test]
fn clones_get_their_own_resolver() {
    // State owned by the closure is per VM: each clone counts its own calls.
    let calls = Cell::new(0);
    let counting = move |name: &str| {
        calls.set(calls.get() + 1);
        Some(ModuleSource::new(
            format!("return '{name} #{}'", calls.get()),
            "=counted",
        ))
    };
    let mut vm = Vm::default();
    vm.set_module_resolver(counting).expect("resolver");
    assert_eq!(run(&mut vm, "return require 'a'").as_deref(), Ok("a #1"));
    let mut copy = vm.clone();
    assert_eq!(run(&mut copy, "return require 'b'").as_deref(), Ok("b #2"));
    assert_eq!(run(&mut copy, "return require 'c'").as_deref(), Ok("c #3"));
    assert_eq!(run(&mut vm, "return require 'b'").as_deref(), Ok("b #2"));
    assert_eq!(run(&mut copy, "return require 'a'").as_deref(), Ok("a #1"));
}

/// What deserialization does to the resolver: its host function loses its code.
fn forget_resolver_code(vm: &mut Vm) {
    let registry = vm.registry;
    let Ok(Value::Native(NativeId(index))) = vm.raw_get_str(registry, RESOLVER_KEY) else {
        panic!("no resolver in the registry");
    };
    let native = vm.heap.natives.get_mut(index).expect("resolver native");
    native.kind = NativeKind::Missing {
        tag: Some(Rc::from(RESOLVER_TAG)),
    };
}

#[test]
fn a_resolver_without_code_fails_loudly_until_set_again() {
    let mut vm = sandbox_with_modules();
    assert_eq!(
        run(&mut vm, "return require('door').name").as_deref(),
        Ok("door")
    );
    forget_resolver_code(&mut vm);
    // Loaded modules stay available; new ones cannot silently go missing.
    assert_eq!(
        run(&mut vm, "return require('door').name").as_deref(),
        Ok("door")
    );
    let result = run(&mut vm, "return select(2, pcall(require, 'mech.gear'))");
    assert_eq!(
        result.as_deref(),
        Ok("host function 'red_moon.module_resolver' was not rehydrated")
    );
    vm.set_module_resolver(modules).expect("resolver");
    assert_eq!(
        run(&mut vm, "return require('mech.gear').teeth").as_deref(),
        Ok("12")
    );
}

#[test]
fn host_modules_cost_fuel() {
    let big = format!("return {}", "1 + ".repeat(20_000) + "1");
    let mut vm = Vm::default();
    vm.set_module_resolver(move |_: &str| Some(ModuleSource::new(big.clone(), "=big")))
        .expect("resolver");
    let mut ctx = vm.context();
    ctx.set_fuel(1_000_000);
    let before = ctx.fuel();
    let result = ctx.exec::<i64>(b"return require 'big'", "=test");
    assert_eq!(result.ok(), Some(20_001));
    // At least one unit per 16 bytes of source.
    assert!(before - ctx.fuel() >= 80_000 / 16);
}

/// A late joiner that sets its resolver after deserializing is the same VM as the host.
#[cfg(feature = "serde")]
#[test]
fn setting_the_resolver_again_after_deserializing_keeps_the_digest() {
    let mut host = sandbox_with_modules();
    host.context()
        .exec::<()>(b"door = require('door')", "=game")
        .unwrap();
    let bytes = postcard::to_allocvec(&host).unwrap();
    let mut joiner: Vm = postcard::from_bytes(&bytes).unwrap();
    joiner.set_module_resolver(modules).unwrap();
    assert_eq!(joiner.state_digest().unwrap(), host.state_digest().unwrap());
    // And it resolves new modules like the host.
    let script = b"package.loaded.door = nil return require('door') ~= nil";
    assert!(joiner.context().exec::<bool>(script, "=again").unwrap());
}
