//! The io and os libraries: the self-checking scripts of `tests/lua/io` and `tests/lua/os`
//! (which also pass under lua5.4), run with every library installed, and the sandbox's view
//! of the os library (time functions only, on the host's time source).

use red_moon::interpreter::Vm;
use red_moon::stdlib::os::TimeSource;
use std::path::Path;

/// Runs `source` in `vm`, returning the error message if it fails.
fn run(vm: &mut Vm, source: &[u8], name: &str) -> Result<(), String> {
    let ctx = &mut vm.context();
    let function = ctx.load(source, name, None).map_err(|e| e.to_string())?;
    function.call::<_, ()>((), ctx).map_err(|e| e.to_string())
}

fn run_scripts_in(folder: &str) {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/lua")
        .join(folder);
    let mut scripts: Vec<_> = std::fs::read_dir(&folder)
        .map(|entries| {
            entries
                .filter_map(|entry| entry.ok().map(|e| e.path()))
                .collect()
        })
        .unwrap_or_default();
    scripts.retain(|path| path.extension().is_some_and(|e| e == "lua"));
    scripts.sort();
    assert!(!scripts.is_empty(), "no scripts in {}", folder.display());
    for script in scripts {
        let source = std::fs::read(&script).unwrap_or_default();
        let mut vm = Vm::empty();
        assert!(vm.open_all_libraries().is_ok());
        let name = format!("@{}", script.display());
        if let Err(message) = run(&mut vm, &source, &name) {
            panic!("{}: {message}", script.display());
        }
    }
}

#[test]
fn io_scripts() {
    run_scripts_in("io");
}

#[test]
fn os_scripts() {
    run_scripts_in("os");
}

#[test]
fn sandbox_has_only_the_time_functions_on_a_fixed_clock() {
    let mut vm = Vm::default();
    let checks = br#"
        assert(io == nil)
        assert(os.getenv == nil and os.exit == nil and os.remove == nil and os.execute == nil)
        assert(os.time() == 0 and os.clock() == 0.0)
        assert(os.date() == "Thu Jan  1 00:00:00 1970")
        assert(os.date("%Y-%m-%d %Z") == "1970-01-01 UTC")
        assert(os.time{year = 1970, month = 1, day = 2, hour = 0} == 86400)
    "#;
    assert_eq!(run(&mut vm, checks, "=sandbox"), Ok(()));
    vm.set_time_source(TimeSource::Fixed {
        unix_time: 1_000_000_000,
        cpu_clock: 2.5,
        utc_offset: 3600,
    });
    let checks = br#"
        assert(os.time() == 1000000000 and os.clock() == 2.5)
        assert(os.date("%H:%M %Z") == "02:46 +01")
        assert(os.date("!%H:%M %Z") == "01:46 GMT")
        assert(os.time{year = 1970, month = 1, day = 1, hour = 1} == 0)
    "#;
    assert_eq!(run(&mut vm, checks, "=sandbox"), Ok(()));
}

#[test]
fn processes_are_opt_in() {
    let mut vm = Vm::empty();
    assert!(vm.open_all_libraries().is_ok());
    let refused = br#"
        assert(os.execute() == false)
        local ok, message = pcall(io.popen, "echo hi")
        assert(not ok and message == "'popen' not supported")
        ok, message = pcall(io.popen, "echo hi", "rw")
        assert(not ok and string.find(message, "(invalid mode)", 1, true))
        ok, message = pcall(os.execute, "true")
        assert(not ok and message == "'execute' not supported")
    "#;
    assert_eq!(run(&mut vm, refused, "=refused"), Ok(()));
    if cfg!(unix) {
        vm.set_process_spawning(true);
        let allowed = br#"
            assert(os.execute() == true)
            local f = assert(io.popen("echo hi"))
            assert(f:read("a") == "hi\n")
            local ok, what, code = f:close()
            assert(ok == true and what == "exit" and code == 0)
            ok, what, code = os.execute("exit 3")
            assert(ok == nil and what == "exit" and code == 3)
            ok, what, code = io.popen("kill -s KILL $$"):close()
            assert(ok == nil and what == "signal" and code == 9)
        "#;
        assert_eq!(run(&mut vm, allowed, "=allowed"), Ok(()));
    }
}
