//! Replays every input kept under `regressions/<target>/` (crashers and timeouts the
//! fuzzers found, now fixed) through the same entry points as the fuzz targets. Runs with
//! plain `cargo test` in this directory, no libFuzzer needed.

use std::path::Path;
use std::time::{Duration, Instant};

/// A kept input must finish well within libFuzzer's timeout (10 s) in a debug build.
const TIME_LIMIT: Duration = Duration::from_secs(20);

fn replay(target: &str, entry: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("regressions")
        .join(target);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return;
    };
    let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths.iter().filter(|p| p.is_file()) {
        let bytes = std::fs::read(path).expect("readable regression input");
        let start = Instant::now();
        entry(&bytes);
        let elapsed = start.elapsed();
        assert!(elapsed < TIME_LIMIT, "{} took {elapsed:?}", path.display());
    }
}

#[test]
fn compile_regressions() {
    replay("compile", red_moon_fuzz::compile);
}

#[test]
fn execute_regressions() {
    replay("execute", red_moon_fuzz::execute);
}

#[test]
fn binary_chunk_regressions() {
    replay("binary_chunk", red_moon_fuzz::binary_chunk);
}

#[test]
fn api_regressions() {
    replay("api", red_moon_fuzz::api::run);
}

#[test]
fn deserialize_regressions() {
    replay("deserialize", red_moon_fuzz::deserialize);
}
