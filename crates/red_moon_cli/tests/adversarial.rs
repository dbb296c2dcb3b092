//! Runs every hostile script under `tests/adversarial/` with
//! `red-moon --sandbox --fuel N --memory-limit M` and checks that it ends cleanly: exit
//! status 0 or 1, within a wall-clock timeout, with a bounded peak resident set, no panic
//! and no signal, and an outcome the script's header announces.
//!
//! Header lines (Lua comments at the top of each script):
//! - `-- attack: ...` what the script attacks (documentation only);
//! - `-- expect: ok` (exit 0, no error output) or `-- expect: A | B` (exit 1, error output
//!   `red-moon: ...` containing one of the alternatives, e.g. `fuel exhausted`,
//!   `not enough memory`, `stack overflow`);
//! - `-- fuel: N` and `-- memory: BYTES` override the defaults below.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

const DEFAULT_FUEL: u64 = 5_000_000;
const DEFAULT_MEMORY: u64 = 64 << 20;
const TIMEOUT: Duration = Duration::from_secs(10);
const WORKERS: usize = 2;
/// Peak resident set allowed above the script's memory limit: the interpreter itself,
/// buffers outside the logical heap (a string being built is copied once when interned),
/// allocator slack and the overshoot of a table's last growth step.
const RSS_SLACK_FACTOR: u64 = 3;
const RSS_BASE: u64 = 64 << 20;

struct Header {
    expect: Vec<String>,
    fuel: u64,
    memory: u64,
}

fn parse_header(source: &str) -> Header {
    let mut header = Header {
        expect: Vec::new(),
        fuel: DEFAULT_FUEL,
        memory: DEFAULT_MEMORY,
    };
    for line in source.lines().take_while(|l| l.starts_with("--")) {
        let line = line.trim_start_matches('-').trim();
        if let Some(value) = line.strip_prefix("expect:") {
            header.expect = value.split('|').map(|s| s.trim().to_string()).collect();
        } else if let Some(value) = line.strip_prefix("fuel:") {
            header.fuel = value.trim().parse().expect("a number after 'fuel:'");
        } else if let Some(value) = line.strip_prefix("memory:") {
            header.memory = value.trim().parse().expect("a number after 'memory:'");
        }
    }
    header
}

fn scripts() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/adversarial");
    let mut all: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/adversarial exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "lua"))
        .collect();
    all.sort();
    all
}

/// Peak resident set of a live process in bytes (`VmHWM`), if the system reports it.
fn peak_rss(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

struct Run {
    status: Option<ExitStatus>,
    stderr: String,
    peak_rss: u64,
    elapsed: Duration,
}

/// Waits for the child with a timeout, sampling its peak RSS while it runs (the kernel's
/// high-water mark only grows, so the last sample before exit is close to the true peak).
fn wait_with_timeout(mut child: Child) -> Run {
    let start = Instant::now();
    let mut peak = 0;
    let status = loop {
        if let Some(rss) = peak_rss(child.id()) {
            peak = peak.max(rss);
        }
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if start.elapsed() > TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(error) => panic!("waiting for red-moon: {error}"),
        }
    };
    let mut stderr = String::new();
    if let Some(mut pipe) = child.stderr.take() {
        let _ = pipe.read_to_string(&mut stderr);
    }
    Run {
        status,
        stderr,
        peak_rss: peak,
        elapsed: start.elapsed(),
    }
}

/// Checks one script; returns a description of what went wrong, if anything.
fn check(script: &Path) -> Option<String> {
    let source = std::fs::read_to_string(script).expect("readable script");
    let header = parse_header(&source);
    if header.expect.is_empty() {
        return Some("no '-- expect:' header".into());
    }
    let child = Command::new(env!("CARGO_BIN_EXE_red-moon"))
        .arg("--sandbox")
        .arg("--fuel")
        .arg(header.fuel.to_string())
        .arg("--memory-limit")
        .arg(header.memory.to_string())
        .arg(script)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .env_remove("LUA_INIT")
        .env_remove("LUA_INIT_5_4")
        .spawn()
        .expect("the red-moon binary runs");
    let run = wait_with_timeout(child);
    let Some(status) = run.status else {
        return Some(format!("still running after {TIMEOUT:?}"));
    };
    let first_line = run.stderr.lines().next().unwrap_or("");
    let rss_limit = header.memory.saturating_mul(RSS_SLACK_FACTOR) + RSS_BASE;
    let problem = if status.code().is_none() {
        Some(format!("killed by a signal ({status})"))
    } else if run.stderr.contains("panicked") {
        Some("panicked".to_string())
    } else if !matches!(status.code(), Some(0 | 1)) {
        Some(format!("exit status {status}"))
    } else if !run.stderr.is_empty() && !run.stderr.starts_with("red-moon: ") {
        Some("error output does not start with 'red-moon: '".to_string())
    } else if run.peak_rss > rss_limit {
        Some(format!(
            "peak RSS {} MiB over {} MiB",
            run.peak_rss >> 20,
            rss_limit >> 20
        ))
    } else if header.expect == ["ok"] {
        (status.code() != Some(0)).then(|| "expected to succeed".to_string())
    } else if status.code() != Some(1) {
        Some(format!("expected an error ({})", header.expect.join(" | ")))
    } else if !header
        .expect
        .iter()
        .any(|e| first_line.contains(e.as_str()))
    {
        Some(format!("expected {}", header.expect.join(" | ")))
    } else {
        None
    };
    problem.map(|p| format!("{p} [{:?}]: {first_line}", run.elapsed))
}

#[test]
fn adversarial_scripts_end_cleanly() {
    let all = scripts();
    assert!(all.len() >= 60, "only {} adversarial scripts", all.len());
    // Two scripts at a time: the suite stays short without crowding a small machine.
    let next = std::sync::atomic::AtomicUsize::new(0);
    let failures = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..WORKERS {
            scope.spawn(|| loop {
                let index = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(script) = all.get(index) else {
                    break;
                };
                if let Some(problem) = check(script) {
                    let line = format!("{}: {problem}", script.display());
                    failures
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push(line);
                }
            });
        }
    });
    let mut failures = failures.into_inner().unwrap_or_else(|e| e.into_inner());
    failures.sort();
    assert!(
        failures.is_empty(),
        "{} of {} adversarial scripts failed:\n{}",
        failures.len(),
        all.len(),
        failures.join("\n")
    );
}

#[test]
fn header_parsing() {
    let header = parse_header(
        "-- attack: x\n-- expect: a | b c\n-- fuel: 5\n-- memory: 7\nx = 1\n-- fuel: 9",
    );
    assert_eq!(header.expect, ["a", "b c"]);
    assert_eq!(header.fuel, 5);
    assert_eq!(header.memory, 7);
}
