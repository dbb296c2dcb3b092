//! Binary chunks end to end: every Lua file we have compiles, dumps, decodes to an equal
//! prototype and verifies; mangled chunks never panic; `string.dump`/`load` work from Lua
//! when the host enables binary chunks and fail cleanly when it does not.

use red_moon::bytecode::binary::{decode, encode};
use red_moon::bytecode::{verify, Proto};
use red_moon::interpreter::Vm;
use red_moon::languages::lua::compile;
use std::path::{Path, PathBuf};

/// Where the official PUC test suite may be (it is not part of the repository): the
/// folder named by `CONF_TESTS_DIR` (as for `lua-testsuite.sh`), `.lua-tests` at the
/// workspace root, or the main checkout's copy. Missing folders are skipped.
fn official_suite_folders() -> Vec<PathBuf> {
    let mut folders: Vec<PathBuf> = std::env::var_os("CONF_TESTS_DIR")
        .map(PathBuf::from)
        .into_iter()
        .collect();
    folders.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.lua-tests"));
    folders.push(PathBuf::from("/work/main/.lua-tests"));
    folders
}

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
    if let Some(suite) = official_suite_folders().into_iter().find(|f| f.is_dir()) {
        lua_files_under(&suite, &mut files);
    }
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
            panic!(
                "{}: compiled code fails verification: {error}",
                path.display()
            );
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
    assert!(checked > 0);
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

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// A program using most instruction kinds.
const SAMPLE: &str = r#"
local t, n = {10, 20, 30, x = 'y'}, 0
local function add(a, b, ...) return a + b, select('#', ...) end
for i = 1, #t do n = n + t[i] end
for k, v in pairs(t) do n = n + (type(v) == 'number' and v or 0) end
local s = ('a'):rep(3) .. n .. tostring(n > 5) .. (n // 3) .. (n % 7) .. (n ^ 2)
local o = {v = 1}
function o:get() return self.v end
while n > 0 do n = n - 17 if n < 3 then break end end
local ok, e = pcall(error, {code = 1})
do local c <close> = nil end
return add(o:get(), 2, 3, 4), s, ok, e and e.code, n & 3, ~n, n << 1, -n, not ok, #s
"#;

fn sample_chunks() -> Vec<Vec<u8>> {
    let proto = match compile(SAMPLE.as_bytes(), b"=sample") {
        Ok(proto) => proto,
        Err(error) => panic!("{}", String::from_utf8_lossy(&error.message)),
    };
    vec![encode(&proto, false), encode(&proto, true)]
}

/// Decodes and verifies `bytes`: never panics; if both succeed the chunk also loads and
/// runs (out of fuel or with an error, but without panicking) in a sandboxed VM.
fn exercise(bytes: &[u8], run_it: bool) -> bool {
    let Ok(proto) = decode(bytes) else {
        return false;
    };
    if verify(&proto).is_err() {
        return false;
    }
    if run_it {
        let mut vm = Vm::default();
        vm.set_binary_chunks(true);
        let ctx = &mut vm.context();
        let env = ctx.default_environment();
        assert!(env.set("chunk", bytes, ctx).is_ok());
        ctx.set_fuel(5000);
        let result = ctx.exec::<()>(
            b"local f, e = load(chunk, '=mutant', 'b')
              if not f then error('load failed: ' .. e) end
              pcall(f)",
            "=driver",
        );
        if let Err(error) = result {
            assert!(
                !error.to_string().contains("load failed")
                    && !error.to_string().contains("internal error"),
                "{error}"
            );
        }
    }
    true
}

#[test]
fn truncated_chunks_always_fail() {
    for chunk in sample_chunks() {
        for length in 0..chunk.len() {
            let result = decode(&chunk[..length]);
            assert!(
                matches!(
                    result,
                    Err(red_moon::bytecode::binary::DecodeError::Truncated)
                ),
                "length {length}: {result:?}"
            );
        }
    }
}

#[test]
fn mutated_chunks_fail_or_verify() {
    let mut random = Random(0xb17e);
    let mut survivors = 0;
    for chunk in sample_chunks() {
        // Every byte replaced by a few other values.
        for position in 0..chunk.len() {
            for _ in 0..3 {
                let mut mutant = chunk.clone();
                mutant[position] ^= 1 << random.below(8);
                if exercise(&mutant, survivors % 4 == 0) {
                    survivors += 1;
                }
            }
        }
        // Several random changes at once, insertions and deletions.
        for _ in 0..1500 {
            let mut mutant = chunk.clone();
            for _ in 0..1 + random.below(4) {
                let position = random.below(mutant.len());
                match random.below(3) {
                    0 => mutant[position] = random.next() as u8,
                    1 => mutant.insert(position, random.next() as u8),
                    _ => {
                        mutant.remove(position);
                    }
                }
            }
            if exercise(&mutant, survivors % 4 == 0) {
                survivors += 1;
            }
        }
    }
    // Many single-byte changes (a register, a constant) still make valid code.
    assert!(survivors > 100, "{survivors}");
}

#[test]
fn random_bytes_fail_cleanly() {
    let mut random = Random(0xfeed);
    let header_length = 42;
    let header = sample_chunks()[0][..header_length].to_vec();
    for _ in 0..3000 {
        let length = random.below(64);
        let tail: Vec<u8> = (0..length).map(|_| random.next() as u8).collect();
        exercise(&[header.clone(), tail.clone()].concat(), true);
        exercise(&[&[0x1b][..], &tail[..]].concat(), false);
        exercise(&tail, false);
    }
}

#[test]
fn sandboxes_refuse_binary_chunks_and_the_cli_setup_accepts_them() {
    let script = br#"
        local f, e = load(string.dump(function() return 42 end))
        return f and f() or e
    "#;
    let mut sandbox = Vm::default();
    let ctx = &mut sandbox.context();
    let result = ctx
        .exec::<String>(script, "=test")
        .map_err(|e| e.to_string());
    assert_eq!(
        result.as_deref(),
        Ok("attempt to load a binary chunk (binary chunks are disabled)")
    );
    let mut full = Vm::empty();
    assert!(full.open_all_libraries().is_ok());
    assert!(full.binary_chunks());
    let ctx = &mut full.context();
    let result = ctx.exec::<i64>(script, "=test").map_err(|e| e.to_string());
    assert_eq!(result, Ok(42));
}

#[test]
fn lua_dump_script() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/lua/language/dump.lua");
    let source = std::fs::read(&path).unwrap_or_default();
    let mut vm = Vm::empty();
    assert!(vm.open_all_libraries().is_ok());
    let ctx = &mut vm.context();
    let name = format!("@{}", path.display());
    let result = ctx
        .load(&source, &name, None)
        .and_then(|function| function.call::<_, ()>((), ctx));
    if let Err(error) = result {
        panic!("{}: {error}", path.display());
    }
}
