//! Table-driven comparison with lua5.4, plus budget and robustness tests.

mod cases;
mod random_cases;

use super::*;

/// A test text: a literal, or `unit` repeated `count` times followed by `tail`.
enum T {
    L(&'static [u8]),
    R(&'static [u8], usize, &'static [u8]),
}

impl T {
    fn bytes(&self) -> Vec<u8> {
        match self {
            T::L(text) => text.to_vec(),
            T::R(unit, count, tail) => [unit.repeat(*count), tail.to_vec()].concat(),
        }
    }
}

/// An optional third or fourth argument of a library call.
#[derive(Clone, Copy)]
enum Arg {
    None,
    Int(i64),
    Bool(bool),
    Str(&'static [u8]),
}

/// Serializes a string result like the generator: quoted with `\xHH` escapes, or length and
/// FNV-1a hash when long.
fn show_bytes(bytes: &[u8]) -> String {
    if bytes.len() > 64 {
        let hash = bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |hash, &byte| {
            (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
        });
        return format!("#{}:{hash:016x}", bytes.len());
    }
    let mut text = String::from("\"");
    for &byte in bytes {
        if (32..=126).contains(&byte) && byte != b'"' && byte != b'\\' {
            text.push(char::from(byte));
        } else {
            text.push_str(&format!("\\x{byte:02x}"));
        }
    }
    text.push('"');
    text
}

fn show_capture(subject: &[u8], capture: &Capture) -> String {
    match *capture {
        Capture::Substring { start, end } => show_bytes(&subject[start..end]),
        Capture::Position(offset) => (offset + 1).to_string(),
    }
}

fn show_values(subject: &[u8], prefix: Vec<String>, values: &CaptureList) -> String {
    let mut parts = prefix;
    parts.extend(values.as_slice().iter().map(|c| show_capture(subject, c)));
    parts.join(" ")
}

fn run_find(s: &[u8], p: &[u8], init: Arg, plain: Arg) -> Result<String, PatternError> {
    let init = init_offset(int_or(init, 1), s.len());
    let plain = !matches!(plain, Arg::None | Arg::Bool(false));
    let budget = &mut Budget::unlimited();
    Ok(match string_find(s, p, init, plain, budget)? {
        Some(m) => {
            let positions = vec![(m.start + 1).to_string(), m.end.to_string()];
            show_values(s, positions, &m.find_values()?)
        }
        None => "nil".into(),
    })
}

fn run_match(s: &[u8], p: &[u8], init: Arg) -> Result<String, PatternError> {
    let init = init_offset(int_or(init, 1), s.len());
    Ok(match string_match(s, p, init, &mut Budget::unlimited())? {
        Some(m) => show_values(s, Vec::new(), &m.values()?),
        None => "nil".into(),
    })
}

fn run_gmatch(s: &[u8], p: &[u8], init: Arg) -> Result<String, PatternError> {
    let mut state = Gmatch::new(s.len(), init_offset(int_or(init, 1), s.len()));
    let mut out = Vec::new();
    while let Some(m) = state.next_match(s, p, &mut Budget::unlimited())? {
        out.push(show_values(s, Vec::new(), &m.values()?));
        if out.len() > 300 {
            break;
        }
    }
    Ok(out.join(";"))
}

fn run_gsub(s: &[u8], p: &[u8], repl: Arg, max: Arg) -> Result<String, PatternError> {
    let Arg::Str(repl) = repl else {
        panic!("gsub cases use string replacements")
    };
    let max = match max {
        Arg::Int(n) => Some(n),
        _ => None,
    };
    let mut state = Gsub::new(s.len(), p, max);
    let mut out = Vec::new();
    let mut changed = false;
    loop {
        match state.next_step(s, p, &mut Budget::unlimited())? {
            GsubStep::Replace { unchanged, found } => {
                out.extend_from_slice(&s[unchanged]);
                expand_replacement(repl, s, &found, &mut out)?;
                changed = true;
            }
            GsubStep::Finish { unchanged } => {
                out.extend_from_slice(&s[unchanged]);
                break;
            }
        }
    }
    let result = if changed { &out[..] } else { s };
    Ok(format!("{} {}", show_bytes(result), state.count()))
}

fn int_or(arg: Arg, default: i64) -> i64 {
    match arg {
        Arg::Int(n) => n,
        _ => default,
    }
}

fn run(op: &str, s: &[u8], p: &[u8], a: Arg, b: Arg) -> String {
    let result = match op {
        "find" => run_find(s, p, a, b),
        "match" => run_match(s, p, a),
        "gmatch" => run_gmatch(s, p, a),
        "gsub" => run_gsub(s, p, a, b),
        _ => panic!("unknown operation {op}"),
    };
    result.unwrap_or_else(|error| format!("E:{error}"))
}

type Case = (&'static str, T, T, Arg, Arg, &'static str);

/// Runs every case; reports all that differ from lua5.4.
fn check_cases(cases: &[Case]) {
    let mut failures = Vec::new();
    for (op, subject, pattern, a, b, expected) in cases {
        let (subject, pattern) = (subject.bytes(), pattern.bytes());
        let got = run(op, &subject, &pattern, *a, *b);
        if got != *expected {
            failures.push(format!(
                "{op}({}, {}): got {got}, expected {expected}",
                show_bytes(&subject),
                show_bytes(&pattern)
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn agrees_with_lua54_on_chosen_cases() {
    check_cases(cases::CASES);
}

#[test]
fn agrees_with_lua54_on_random_cases() {
    check_cases(random_cases::RANDOM_CASES);
}

/// `("a"):rep(n)` matched against `("a*"):rep(k).."b"`: exponential backtracking.
fn backtracking_bomb() -> (Vec<u8>, Vec<u8>) {
    (b"a".repeat(40), [b"a*".repeat(20), b"b".to_vec()].concat())
}

#[test]
fn budget_stops_a_backtracking_bomb() {
    let (subject, pattern) = backtracking_bomb();
    let mut budget = Budget::new(1_000_000);
    let result = string_match(&subject, &pattern, 0, &mut budget);
    assert_eq!(result, Err(PatternError::BudgetExhausted));
    assert_eq!((budget.used(), budget.remaining()), (1_000_000, 0));
    assert!(!PatternError::BudgetExhausted.is_lua_error());
}

#[test]
fn ordinary_matches_cost_proportional_steps() {
    let subject = b"key = value; other = thing; ".repeat(100);
    let mut budget = Budget::unlimited();
    let mut state = Gmatch::new(subject.len(), 0);
    let mut count = 0;
    while state
        .next_match(&subject, b"(%w+)%s*=%s*(%w+)", &mut budget)
        .unwrap()
        .is_some()
    {
        count += 1;
    }
    assert_eq!(count, 200);
    let per_byte = budget.used() / subject.len() as u64;
    assert!((1..=20).contains(&per_byte), "{} steps", budget.used());
}

/// Runs `gsub` handing out `budget_per_call` steps per call, retrying after exhaustion as
/// the VM does after refilling fuel.
fn gsub_with_small_budgets(subject: &[u8], pattern: &[u8], budget_per_call: u64) -> Vec<u8> {
    let mut state = Gsub::new(subject.len(), pattern, None);
    let mut out = Vec::new();
    for _ in 0..10_000 {
        match state.next_step(subject, pattern, &mut Budget::new(budget_per_call)) {
            Err(PatternError::BudgetExhausted) => continue,
            Err(other) => panic!("{other}"),
            Ok(GsubStep::Replace { unchanged, found }) => {
                out.extend_from_slice(&subject[unchanged]);
                expand_replacement(b"<%1>", subject, &found, &mut out).unwrap();
            }
            Ok(GsubStep::Finish { unchanged }) => {
                out.extend_from_slice(&subject[unchanged]);
                return out;
            }
        }
    }
    panic!("no progress with {budget_per_call} steps per call");
}

#[test]
fn gsub_resumes_after_budget_exhaustion() {
    let subject = b"  one two  three   ";
    let expected = gsub_with_small_budgets(subject, b"(%a+)", u64::MAX);
    assert_eq!(expected, b"  <one> <two>  <three>   ");
    assert_eq!(gsub_with_small_budgets(subject, b"(%a+)", 40), expected);
}

#[test]
fn gmatch_resumes_after_budget_exhaustion() {
    let subject = b"a1 b22 c333 d";
    let pattern = b"%a(%d*)";
    let mut state = Gmatch::new(subject.len(), 0);
    let mut found = Vec::new();
    for _ in 0..10_000 {
        match state.next_match(subject, pattern, &mut Budget::new(30)) {
            Err(PatternError::BudgetExhausted) => continue,
            Err(other) => panic!("{other}"),
            Ok(None) => return assert_eq!(found, ["\"1\"", "\"22\"", "\"333\"", "\"\""]),
            Ok(Some(m)) => found.push(show_values(subject, Vec::new(), &m.values().unwrap())),
        }
    }
    panic!("no progress with 30 steps per call");
}

#[test]
fn deep_patterns_run_on_a_small_thread_stack() {
    let worker = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(|| {
            let subject = b"a".repeat(300);
            let deep = b"a?".repeat(199);
            let nested = [b"(".repeat(32), b"a".to_vec(), b")".repeat(32)].concat();
            let budget = &mut Budget::unlimited();
            let deep_match = string_match(&subject, &deep, 0, budget).unwrap().unwrap();
            assert_eq!(deep_match.end, 199);
            let nested_match = string_match(&subject, &nested, 0, budget).unwrap().unwrap();
            assert_eq!(nested_match.captures.len(), 32);
            let too_deep = b"a?".repeat(5000);
            assert_eq!(
                string_match(&subject, &too_deep, 0, budget),
                Err(PatternError::TooComplex)
            );
        })
        .unwrap();
    worker.join().unwrap();
}

/// A deterministic xorshift generator.
fn next_random(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

#[test]
fn arbitrary_bytes_never_panic() {
    const PIECES: &[u8] = b"%[]^$()*+-?.abf019z\0\xff";
    let mut state = 0x1234_5678_9ABC_DEF1;
    for _ in 0..30_000 {
        let text = |max: u64, state: &mut u64| -> Vec<u8> {
            let len = next_random(state) % max;
            (0..len)
                .map(|_| PIECES[(next_random(state) % PIECES.len() as u64) as usize])
                .collect()
        };
        let subject = text(12, &mut state);
        let pattern = text(12, &mut state);
        let replacement = text(5, &mut state);
        let init = (next_random(&mut state) % 16) as i64 - 8;
        let _ = run_find(&subject, &pattern, Arg::Int(init), Arg::None);
        let _ = run_match(&subject, &pattern, Arg::Int(init));
        let _ = run_gmatch(&subject, &pattern, Arg::Int(init));
        let mut gsub = Gsub::new(subject.len(), &pattern, Some(init));
        let mut out = Vec::new();
        while let Ok(GsubStep::Replace { found, .. }) =
            gsub.next_step(&subject, &pattern, &mut Budget::new(10_000))
        {
            let _ = expand_replacement(&replacement, &subject, &found, &mut out);
        }
    }
}
