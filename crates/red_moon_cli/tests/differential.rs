//! Differential tests: `red-moon` against the reference interpreter `lua5.4`.
//!
//! Every `*.lua` file under `tests/differential/cases/` (at the workspace root) is run by both
//! interpreters, from the file's own folder, with the file name as the script argument (so
//! chunk names, and thus error positions, are the same) and an empty stdin. Exit status and
//! stdout must be identical; stderr is compared on its first line only (tracebacks may
//! differ), after the program name `lua5.4:` is replaced by `red-moon:`.
//!
//! A table of command-line invocations (`CLI_CASES`) exercises the standalone interpreter's
//! flags the same way, from `tests/differential/cli/`.
//!
//! All mismatches are collected and reported together at the end.
//!
//! Environment variables:
//! - `DIFF_FILTER=substring`: run only the cases whose name contains `substring` (case file
//!   names are relative to `cases/`, e.g. `strings/format.lua`; CLI cases are named `cli: ...`).
//! - `RED_MOON_BIN=path`: compare this program instead of the `red-moon` cargo built. Setting
//!   it to `lua5.4` checks the harness and the cases themselves (everything must pass).
//!
//! Both interpreters run with `TZ=UTC` and `LC_ALL=C` and without the `LUA_INIT*`, `LUA_PATH*`
//! and `LUA_CPATH*` variables, so the machine's settings cannot leak into the results.

use std::ffi::{OsStr, OsString};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::thread;
use std::time::{Duration, Instant};

/// The reference interpreter, looked up in `PATH`.
const REFERENCE_PROGRAM: &str = "lua5.4";
/// What the reference prints before its messages on stderr, and what red-moon prints instead.
const REFERENCE_PROGNAME: &str = "lua5.4:";
const RED_MOON_PROGNAME: &str = "red-moon:";
/// A run taking longer than this is killed and reported as timed out.
const RUN_TIMEOUT: Duration = Duration::from_secs(20);
/// Longest pause between two checks of whether a child has exited.
const MAX_POLL_INTERVAL: Duration = Duration::from_millis(20);
/// The machine has two cores; both interpreters of one case run one after the other.
const WORKER_THREADS: usize = 2;
/// Variables that would let the machine's configuration change what a run prints.
const SCRUBBED_ENV: &[&str] = &[
    "LUA_INIT",
    "LUA_INIT_5_4",
    "LUA_PATH",
    "LUA_PATH_5_4",
    "LUA_CPATH",
    "LUA_CPATH_5_4",
];
/// Fixed settings so that `os.date`, `os.time` and number formatting agree everywhere.
const FIXED_ENV: &[(&str, &str)] = &[("TZ", "UTC"), ("LC_ALL", "C")];

// ---------------------------------------------------------------------------------------------
// The command-line cases.
// ---------------------------------------------------------------------------------------------

/// How the outputs of one invocation are judged.
#[derive(Clone, Copy, Debug)]
enum Expectation {
    /// Same exit status, same stdout, same first line of stderr.
    SameOutput,
    /// Red Moon exits successfully and prints exactly one non-empty line on stdout; the text
    /// itself is Red Moon's own (used for `-v`).
    VersionLine,
    /// Same exit status, and Red Moon's stdout contains each of these pieces (used for `-i`,
    /// whose prompt and echo depend on line-editing libraries).
    StdoutContains(&'static [&'static str]),
    /// Same exit status and same first line of stderr; stdout is not compared (used for
    /// errors in `-i`, whose stdout holds the prompts and echo).
    SameStderr,
}

/// One invocation of the standalone interpreter, run from `tests/differential/cli/`.
struct CliCase {
    name: &'static str,
    args: &'static [&'static str],
    stdin: &'static str,
    env: &'static [(&'static str, &'static str)],
    expectation: Expectation,
}

const fn same(name: &'static str, args: &'static [&'static str], stdin: &'static str) -> CliCase {
    CliCase {
        name,
        args,
        stdin,
        env: &[],
        expectation: Expectation::SameOutput,
    }
}

const fn with_env(
    name: &'static str,
    args: &'static [&'static str],
    env: &'static [(&'static str, &'static str)],
) -> CliCase {
    CliCase {
        name,
        args,
        stdin: "",
        env,
        expectation: Expectation::SameOutput,
    }
}

const CLI_CASES: &[CliCase] = &[
    same("-e runs a statement", &["-e", "print(1)"], ""),
    same(
        "-e twice, in order",
        &["-e", "x = 1", "-e", "print(x + 1)"],
        "",
    ),
    same("-e then script", &["-e", "y = 7", "args.lua", "a"], ""),
    same("-e with a syntax error", &["-e", "x ="], ""),
    same("-e without its argument", &["-e"], ""),
    same("unrecognized option", &["-x"], ""),
    CliCase {
        name: "-v prints a version line",
        args: &["-v"],
        stdin: "",
        env: &[],
        expectation: Expectation::VersionLine,
    },
    same(
        "- runs stdin with arguments",
        &["-", "a", "b"],
        "print('stdin', ...)\nprint(arg[0], #arg, arg[1], arg[2])\n",
    ),
    same(
        "no arguments runs stdin",
        &[],
        "print('from stdin')\nprint(select('#', ...))\n",
    ),
    same(
        "error in a chunk read from stdin",
        &["-"],
        "local x = 1\nerror('stdin failure')\n",
    ),
    same(
        "-- stops option handling",
        &["--", "args.lua", "-e", "x"],
        "",
    ),
    same(
        "-e then -- then script",
        &["-e", "z = 2", "--", "args.lua", "z"],
        "",
    ),
    same(
        "arg table with negative indices",
        &["-e", "x = 1", "args.lua", "a", "b c", ""],
        "",
    ),
    same("script without arguments", &["args.lua"], ""),
    same(
        "-l loads a module from the current folder",
        &["-l", "mymod", "-e", "print(mymod.value, mymod.name)"],
        "",
    ),
    same(
        "-l g=mod stores the module in g",
        &["-l", "m=mymod", "-e", "print(m.value, mymod)"],
        "",
    ),
    same("-l of a missing module", &["-l", "no_such_module_here"], ""),
    same(
        "require passes the name and the path",
        &[
            "-e",
            "print(select('#', require('mymod')), package.loaded.mymod.value)",
        ],
        "",
    ),
    same("os.exit(3) from a script", &["exit3.lua"], ""),
    same("os.exit(true)", &["-e", "os.exit(true)"], ""),
    same("os.exit(false)", &["-e", "os.exit(false)"], ""),
    same("os.exit() defaults to success", &["-e", "os.exit()"], ""),
    same("uncaught error in a script", &["uncaught.lua"], ""),
    same("uncaught error from -e", &["-e", "error('boom')"], ""),
    same(
        "uncaught error with level 0",
        &["-e", "error('plain', 0)"],
        "",
    ),
    same(
        "uncaught runtime error",
        &["-e", "local t = nil; print(t.x)"],
        "",
    ),
    same("error({}) is described", &["-e", "error({})"], ""),
    same("error() with nil", &["-e", "error()"], ""),
    same("error with a number", &["-e", "error(42)"], ""),
    same(
        "error object with __tostring",
        &[
            "-e",
            "error(setmetatable({}, {__tostring = function() return 'custom' end}))",
        ],
        "",
    ),
    same("syntax error in a script", &["syntax_error.lua"], ""),
    same("missing script file", &["does_not_exist.lua"], ""),
    same("output before an error is kept", &["partial.lua"], ""),
    same(
        "script reads stdin",
        &["read_stdin.lua"],
        "first line\n42 3.5\nrest\n",
    ),
    same(
        "io.write and io.stderr",
        &[
            "-e",
            "io.write('a', 1, 2.5, '\\n'); io.stderr:write('to stderr\\n')",
        ],
        "",
    ),
    with_env(
        "LUA_INIT runs first",
        &["-e", "print(2)"],
        &[("LUA_INIT", "print('init')")],
    ),
    with_env(
        "LUA_INIT_5_4 wins over LUA_INIT",
        &["-e", "print(2)"],
        &[
            ("LUA_INIT", "print('plain')"),
            ("LUA_INIT_5_4", "print('versioned')"),
        ],
    ),
    with_env(
        "LUA_INIT=@file runs the file",
        &["-e", "print(init_ran)"],
        &[("LUA_INIT", "@init.lua")],
    ),
    with_env(
        "LUA_INIT with an error",
        &["-e", "print(2)"],
        &[("LUA_INIT", "error('in init')")],
    ),
    with_env(
        "-E ignores LUA_INIT",
        &["-E", "-e", "print(2)"],
        &[("LUA_INIT", "print('init')")],
    ),
    same("-W turns warnings on", &["-W", "-e", "warn('hi')"], ""),
    same("warnings are off by default", &["-e", "warn('hi')"], ""),
    same(
        "warn @on control message",
        &["-e", "warn('@on'); warn('a', 'b'); warn('@off'); warn('c')"],
        "",
    ),
    same(
        "error object whose __tostring inspects the stack levels",
        &["error_object_levels.lua"],
        "",
    ),
    same(
        "os.exit(true, true) closes pending to-be-closed variables",
        &["exit_closes.lua"],
        "",
    ),
    same(
        "an uncaught error closes pending to-be-closed variables",
        &["uncaught_closes.lua"],
        "",
    ),
    same(
        "print flushes each line (a child process writes after it)",
        &["-e", "print('first'); os.execute('echo second')"],
        "",
    ),
    CliCase {
        name: "-i reports errors without the program name",
        args: &["-i"],
        stdin: "error('in the loop')\n",
        env: &[],
        expectation: Expectation::SameStderr,
    },
    CliCase {
        name: "-i reports a failing print without the program name",
        args: &["-e", "print = nil", "-i"],
        stdin: "1\n",
        env: &[],
        expectation: Expectation::SameStderr,
    },
    CliCase {
        name: "-i runs statements from stdin",
        args: &["-i"],
        stdin: "print(1 + 1)\nx = 5\n",
        env: &[],
        expectation: Expectation::StdoutContains(&["2\n"]),
    },
];

// ---------------------------------------------------------------------------------------------
// Tests.
// ---------------------------------------------------------------------------------------------

#[test]
fn case_files_match_lua54() {
    require_reference_interpreter();
    let cases_dir = differential_root().join("cases");
    let mut files = Vec::new();
    collect_lua_files(&cases_dir, &mut files);
    files.sort();
    assert!(
        !files.is_empty(),
        "no case files under {}",
        cases_dir.display()
    );
    let jobs: Vec<Job> = files
        .into_iter()
        .map(|path| case_file_job(&cases_dir, path))
        .filter(|job| selected(&job.name))
        .collect();
    run_jobs_and_report(&jobs);
}

#[test]
fn cli_invocations_match_lua54() {
    require_reference_interpreter();
    let cli_dir = differential_root().join("cli");
    let jobs: Vec<Job> = CLI_CASES
        .iter()
        .map(|case| Job {
            name: format!("cli: {}", case.name),
            dir: cli_dir.clone(),
            args: case.args.iter().map(OsString::from).collect(),
            stdin: case.stdin.as_bytes().to_vec(),
            env: case.env.to_vec(),
            expectation: case.expectation,
        })
        .filter(|job| selected(&job.name))
        .collect();
    run_jobs_and_report(&jobs);
}

// ---------------------------------------------------------------------------------------------
// Jobs and their scheduling.
// ---------------------------------------------------------------------------------------------

/// One comparison: the same invocation given to both interpreters.
struct Job {
    name: String,
    dir: PathBuf,
    args: Vec<OsString>,
    stdin: Vec<u8>,
    env: Vec<(&'static str, &'static str)>,
    expectation: Expectation,
}

fn differential_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/differential")
}

fn red_moon_program() -> OsString {
    std::env::var_os("RED_MOON_BIN").unwrap_or_else(|| env!("CARGO_BIN_EXE_red-moon").into())
}

fn selected(name: &str) -> bool {
    match std::env::var("DIFF_FILTER") {
        Ok(filter) => name.contains(&filter),
        Err(_) => true,
    }
}

fn require_reference_interpreter() {
    let probe = Command::new(REFERENCE_PROGRAM)
        .arg("-v")
        .stdin(Stdio::null())
        .output();
    if probe.is_err() {
        panic!(
            "the differential tests need the reference interpreter `{REFERENCE_PROGRAM}` in PATH; \
             install it (Debian/Ubuntu: `apt-get install lua5.4`)"
        );
    }
}

fn collect_lua_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries =
        std::fs::read_dir(dir).unwrap_or_else(|err| panic!("cannot list {}: {err}", dir.display()));
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_lua_files(&path, out);
        } else if path.extension() == Some(OsStr::new("lua")) {
            out.push(path);
        }
    }
}

/// A case file runs from its own folder with its bare file name as the script, so that both
/// interpreters see the same chunk name.
fn case_file_job(cases_dir: &Path, path: PathBuf) -> Job {
    let name = path
        .strip_prefix(cases_dir)
        .unwrap_or(&path)
        .to_string_lossy()
        .replace('\\', "/");
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let file_name = path.file_name().map(OsString::from).unwrap_or_default();
    Job {
        name,
        dir,
        args: vec![file_name],
        stdin: Vec::new(),
        env: Vec::new(),
        expectation: Expectation::SameOutput,
    }
}

/// Runs every job over `WORKER_THREADS` threads and fails once, listing every mismatch.
fn run_jobs_and_report(jobs: &[Job]) {
    if jobs.is_empty() {
        eprintln!("no case selected (DIFF_FILTER excludes everything)");
        return;
    }
    let red_moon = red_moon_program();
    let next_job = AtomicUsize::new(0);
    let mismatches: Mutex<Vec<(usize, String)>> = Mutex::new(Vec::new());
    thread::scope(|scope| {
        for _ in 0..WORKER_THREADS {
            scope.spawn(|| loop {
                let index = next_job.fetch_add(1, Ordering::Relaxed);
                let Some(job) = jobs.get(index) else { break };
                if let Some(report) = compare_job(job, &red_moon) {
                    if let Ok(mut list) = mismatches.lock() {
                        list.push((index, report));
                    }
                }
            });
        }
    });
    let mut mismatches = mismatches.into_inner().unwrap_or_default();
    if mismatches.is_empty() {
        eprintln!("{} differential cases match lua5.4", jobs.len());
        return;
    }
    mismatches.sort();
    let reports: Vec<String> = mismatches.into_iter().map(|(_, report)| report).collect();
    panic!(
        "{} of {} differential cases differ from lua5.4:\n\n{}",
        reports.len(),
        jobs.len(),
        reports.join("\n")
    );
}

/// Runs one job under both interpreters; returns a readable report when they disagree.
fn compare_job(job: &Job, red_moon: &OsStr) -> Option<String> {
    let reference = match run(OsStr::new(REFERENCE_PROGRAM), job) {
        Ok(outcome) => outcome,
        Err(err) => return Some(format!("=== {}\n  lua5.4 failed to run: {err}\n", job.name)),
    };
    let candidate = match run(red_moon, job) {
        Ok(outcome) => outcome,
        Err(err) => {
            return Some(format!(
                "=== {}\n  red-moon failed to run: {err}\n",
                job.name
            ))
        }
    };
    let problems = match job.expectation {
        Expectation::SameOutput => same_output_problems(&reference, &candidate),
        Expectation::VersionLine => version_line_problems(&candidate),
        Expectation::StdoutContains(pieces) => {
            let mut problems = status_problems(&reference, &candidate);
            problems.extend(missing_pieces(&candidate, pieces));
            problems
        }
        Expectation::SameStderr => {
            let mut problems = status_problems(&reference, &candidate);
            problems.extend(stderr_problems(&reference, &candidate));
            problems
        }
    };
    if problems.is_empty() {
        return None;
    }
    let mut report = format!("=== {} (args: {:?})\n", job.name, job.args);
    for problem in problems {
        report.push_str(&problem);
    }
    Some(report)
}

// ---------------------------------------------------------------------------------------------
// Running a program with a deadline.
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Status {
    Exited(i32),
    /// Ended by a signal (a crash, an abort).
    Signalled,
    TimedOut,
}

struct Outcome {
    status: Status,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
}

fn run(program: &OsStr, job: &Job) -> Result<Outcome, String> {
    let mut command = Command::new(program);
    // Both interpreters name themselves after `argv[0]` in messages: give each its bare name,
    // as when it is started from PATH.
    #[cfg(unix)]
    if let Some(name) = Path::new(program).file_name() {
        std::os::unix::process::CommandExt::arg0(&mut command, name);
    }
    command
        .args(&job.args)
        .current_dir(&job.dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for name in SCRUBBED_ENV {
        command.env_remove(name);
    }
    for (key, value) in FIXED_ENV.iter().chain(job.env.iter()) {
        command.env(key, value);
    }
    let mut child = command
        .spawn()
        .map_err(|err| format!("cannot start {program:?}: {err}"))?;
    // stdin, stdout and stderr are serviced by their own threads so that a child filling one
    // pipe never blocks on it while we wait for it.
    let input = job.stdin.clone();
    let stdin_pipe = child.stdin.take();
    let writer = thread::spawn(move || {
        if let Some(mut pipe) = stdin_pipe {
            // A child that exits without reading its input is not an error.
            let _ = pipe.write_all(&input);
        }
    });
    let stdout_reader = spawn_reader(child.stdout.take());
    let stderr_reader = spawn_reader(child.stderr.take());
    let status = wait_with_deadline(&mut child);
    let _ = writer.join();
    let stdout = stdout_reader.join().unwrap_or_default();
    let stderr = stderr_reader.join().unwrap_or_default();
    Ok(Outcome {
        status: status?,
        stdout,
        stderr,
    })
}

fn spawn_reader<R: Read + Send + 'static>(pipe: Option<R>) -> thread::JoinHandle<Vec<u8>> {
    thread::spawn(move || {
        let mut buffer = Vec::new();
        if let Some(mut pipe) = pipe {
            let _ = pipe.read_to_end(&mut buffer);
        }
        buffer
    })
}

/// Polls `try_wait` (sleeping a little longer each time, up to `MAX_POLL_INTERVAL`) until the
/// child exits or `RUN_TIMEOUT` passes, in which case the child is killed.
fn wait_with_deadline(child: &mut Child) -> Result<Status, String> {
    let started = Instant::now();
    let mut pause = Duration::from_millis(1);
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Ok(classify(status)),
            Ok(None) if started.elapsed() >= RUN_TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                return Ok(Status::TimedOut);
            }
            Ok(None) => {
                thread::sleep(pause);
                pause = (pause * 2).min(MAX_POLL_INTERVAL);
            }
            Err(err) => {
                let _ = child.kill();
                return Err(format!("cannot wait for the child: {err}"));
            }
        }
    }
}

fn classify(status: ExitStatus) -> Status {
    match status.code() {
        Some(code) => Status::Exited(code),
        None => Status::Signalled,
    }
}

// ---------------------------------------------------------------------------------------------
// Comparing outcomes.
// ---------------------------------------------------------------------------------------------

fn same_output_problems(reference: &Outcome, candidate: &Outcome) -> Vec<String> {
    let mut problems = status_problems(reference, candidate);
    if let Some(diff) = first_difference(&reference.stdout, &candidate.stdout) {
        problems.push(format!("  stdout differs {diff}"));
    }
    problems.extend(stderr_problems(reference, candidate));
    problems
}

fn stderr_problems(reference: &Outcome, candidate: &Outcome) -> Option<String> {
    let reference_err = first_stderr_line(&reference.stderr);
    let candidate_err = first_stderr_line(&candidate.stderr);
    (reference_err != candidate_err).then(|| {
        format!(
            "  stderr (first line, program name normalised) differs\n    lua5.4  : {reference_err:?}\n    red-moon: {candidate_err:?}\n"
        )
    })
}

fn status_problems(reference: &Outcome, candidate: &Outcome) -> Vec<String> {
    if reference.status == candidate.status {
        return Vec::new();
    }
    vec![format!(
        "  exit status differs: lua5.4 {:?}, red-moon {:?} (red-moon stderr: {:?})\n",
        reference.status,
        candidate.status,
        first_stderr_line(&candidate.stderr)
    )]
}

fn version_line_problems(candidate: &Outcome) -> Vec<String> {
    let mut problems = Vec::new();
    if candidate.status != Status::Exited(0) {
        problems.push(format!(
            "  expected exit status 0, got {:?}\n",
            candidate.status
        ));
    }
    let text = String::from_utf8_lossy(&candidate.stdout);
    let lines: Vec<&str> = text.lines().collect();
    if lines.len() != 1 || lines[0].trim().is_empty() {
        problems.push(format!(
            "  expected exactly one non-empty line on stdout, got {text:?}\n"
        ));
    }
    problems
}

fn missing_pieces(candidate: &Outcome, pieces: &[&str]) -> Vec<String> {
    let text = String::from_utf8_lossy(&candidate.stdout);
    pieces
        .iter()
        .filter(|piece| !text.contains(*piece))
        .map(|piece| format!("  stdout lacks {piece:?}; red-moon printed {text:?}\n"))
        .collect()
}

/// The first line of stderr, with the reference's program name replaced by red-moon's (on
/// both sides, so that `RED_MOON_BIN=lua5.4` compares equal).
fn first_stderr_line(stderr: &[u8]) -> String {
    let text = String::from_utf8_lossy(stderr);
    let line = text.lines().next().unwrap_or("");
    match line.strip_prefix(REFERENCE_PROGNAME) {
        Some(rest) => format!("{RED_MOON_PROGNAME}{rest}"),
        None => line.to_string(),
    }
}

/// Describes the first line where the two outputs differ, or `None` when they are equal.
/// Lines keep their terminator so that a missing final newline is a difference too.
fn first_difference(reference: &[u8], candidate: &[u8]) -> Option<String> {
    if reference == candidate {
        return None;
    }
    let reference_lines: Vec<&[u8]> = reference.split_inclusive(|&b| b == b'\n').collect();
    let candidate_lines: Vec<&[u8]> = candidate.split_inclusive(|&b| b == b'\n').collect();
    let line_count = reference_lines.len().max(candidate_lines.len());
    let index = (0..line_count)
        .find(|&i| reference_lines.get(i) != candidate_lines.get(i))
        .unwrap_or(0);
    let show = |line: Option<&&[u8]>| match line {
        Some(bytes) => format!("{:?}", String::from_utf8_lossy(bytes)),
        None => "<end of output>".to_string(),
    };
    Some(format!(
        "at line {}\n    lua5.4  : {}\n    red-moon: {}\n",
        index + 1,
        show(reference_lines.get(index)),
        show(candidate_lines.get(index))
    ))
}
