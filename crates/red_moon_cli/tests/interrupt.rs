//! Ctrl-C as in `lua`: the first SIGINT raises "interrupted!" in the running Lua code (so
//! `pcall` catches it), a second one ends the process.
#![cfg(unix)]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

fn start(code: &str) -> (Child, BufReader<std::process::ChildStdout>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_red-moon"))
        .args(["-e", code])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("red-moon starts");
    let stdout = BufReader::new(child.stdout.take().expect("stdout"));
    (child, stdout)
}

fn line(reader: &mut BufReader<std::process::ChildStdout>) -> String {
    let mut line = String::new();
    reader.read_line(&mut line).expect("a line");
    line.trim_end().to_string()
}

fn interrupt(child: &Child) -> bool {
    Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .is_ok_and(|s| s.success())
}

#[test]
fn pcall_catches_an_interrupted_loop() {
    let (mut child, mut out) =
        start("print(pcall(function () print(12); while true do end end)); print(42)");
    assert_eq!(line(&mut out), "12");
    assert!(interrupt(&child));
    let caught = line(&mut out);
    assert!(
        caught.starts_with("false") && caught.contains("interrupted!"),
        "{caught}"
    );
    assert_eq!(line(&mut out), "42");
    assert!(child.wait().expect("exit").success());
}

#[test]
fn an_uncaught_interrupt_is_an_error_and_a_second_one_ends_a_long_library_call() {
    let (mut child, mut out) = start("print(1) while true do end");
    assert_eq!(line(&mut out), "1");
    assert!(interrupt(&child));
    let status = child.wait().expect("exit");
    assert_eq!(status.code(), Some(1));

    let (mut child, mut out) = start("print(15) string.find(string.rep('a', 100000), '.*b')");
    assert_eq!(line(&mut out), "15");
    std::thread::sleep(std::time::Duration::from_millis(200));
    assert!(interrupt(&child));
    std::thread::sleep(std::time::Duration::from_millis(200));
    assert!(interrupt(&child));
    let status = child.wait().expect("exit");
    assert!(!status.success());
}
