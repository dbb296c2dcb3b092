//! Snapshots from peers cannot hand host powers to scripts: only `Vm::deserialize_trusted`
//! accepts library functions that reach the host, binary chunks or the system clock.
#![cfg(feature = "serde")]

use bincode::Options;
use red_moon::interpreter::{Libraries, Vm};

// bincode 1.x keeps the messages of deserialization errors (postcard drops them).
fn snapshot(vm: &Vm) -> Vec<u8> {
    bincode::serialize(vm).expect("serialize")
}

fn from_peer(bytes: &[u8]) -> Result<Vm, String> {
    bincode::deserialize::<Vm>(bytes).map_err(|e| format!("{e:?}"))
}

fn from_host(bytes: &[u8]) -> Result<Vm, String> {
    let options = bincode::DefaultOptions::new()
        .with_fixint_encoding()
        .allow_trailing_bytes();
    let mut deserializer = bincode::Deserializer::from_slice(bytes, options);
    Vm::deserialize_trusted(&mut deserializer).map_err(|e| format!("{e:?}"))
}

#[test]
fn a_peer_snapshot_holding_host_libraries_is_refused() {
    // (A VM with io holds its standard files, which no snapshot can carry.)
    for (libraries, name) in [
        (Libraries::DEBUG, "debug"),
        (Libraries::OS, "os"),
        (Libraries::FILES, "dofile"),
    ] {
        let vm = Vm::builder()
            .libraries(Libraries::SAFE.union(libraries))
            .build()
            .expect("vm");
        let bytes = snapshot(&vm);
        let error = from_peer(&bytes)
            .err()
            .unwrap_or_else(|| panic!("{name} accepted"));
        // (The os library also switches to the system clock, refused first.)
        let expected = if name == "os" {
            "system clock"
        } else {
            "host-only library function"
        };
        assert!(error.contains(expected), "{name}: {error}");
        assert!(
            from_host(&bytes).is_ok(),
            "{name} refused by the trusted path"
        );
    }
}

#[test]
fn a_peer_snapshot_enabling_binary_chunks_or_the_system_clock_is_refused() {
    let mut vm = Vm::default();
    vm.set_binary_chunks(true);
    let error = from_peer(&snapshot(&vm)).expect_err("binary chunks accepted");
    assert!(error.contains("binary chunks"), "{error}");
    let mut vm = Vm::default();
    vm.set_time_source(red_moon::stdlib::os::TimeSource::System);
    let error = from_peer(&snapshot(&vm)).expect_err("system clock accepted");
    assert!(error.contains("system clock"), "{error}");
}

#[test]
fn sandboxed_vms_with_script_environments_round_trip_from_peers() {
    let mut vm = Vm::default();
    vm.protect_shared_globals().expect("protect");
    let ctx = &mut vm.context();
    let env = ctx.create_script_environment().expect("environment");
    let chunk = ctx
        .load(
            b"local it = ('a b'):gmatch('%a') gen = coroutine.wrap(function() coroutine.yield(it()) end) return gen()",
            "=script",
            Some(&env),
        )
        .expect("load");
    let first: String = chunk.call((), ctx).expect("run");
    assert_eq!(first, "a");
    let mut copy = from_peer(&snapshot(&vm)).expect("sandboxed VM refused");
    assert_eq!(copy.state_digest().ok(), vm.state_digest().ok());
    let ctx = &mut copy.context();
    let loaded: bool = ctx
        .exec(b"return getmetatable('').__index == string", "=check")
        .expect("run");
    assert!(loaded);
}
