//! Runs every self-checking Lua script under `crates/red_moon/tests/lua/` with the
//! `red-moon` CLI: a script passes when it exits with status 0 (its `assert`s held).

use std::path::{Path, PathBuf};
use std::process::Command;

fn scripts(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            scripts(&path, out);
        } else if path.extension().is_some_and(|e| e == "lua") {
            out.push(path);
        }
    }
}

#[test]
fn lua_scripts_pass() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../red_moon/tests/lua");
    let mut all = Vec::new();
    scripts(&root, &mut all);
    assert!(
        !all.is_empty(),
        "no Lua scripts found under {}",
        root.display()
    );
    let mut failures = Vec::new();
    for script in &all {
        let dir = script.parent().unwrap_or(Path::new("."));
        let name = script.file_name().unwrap_or_default();
        let output = Command::new(env!("CARGO_BIN_EXE_red-moon"))
            .arg(name)
            .current_dir(dir)
            .env("TZ", "UTC")
            .env("LC_ALL", "C")
            .env_remove("LUA_INIT")
            .env_remove("LUA_INIT_5_4")
            .env_remove("LUA_PATH")
            .env_remove("LUA_PATH_5_4")
            .output()
            .expect("the red-moon binary runs");
        if !output.status.success() {
            failures.push(format!(
                "{}: {}\n{}",
                script.display(),
                output.status,
                String::from_utf8_lossy(&output.stderr)
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} scripts failed:\n{}",
        failures.len(),
        all.len(),
        failures.join("\n")
    );
}
