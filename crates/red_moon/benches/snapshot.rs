//! Cost of a rollback snapshot: clone, `clone_from`, postcard serialize and deserialize, and
//! the state digest, for a VM holding 100,000 small tables and one suspended coroutine.
//! Prints medians; it is a measurement, not a test.
//!
//! `cargo bench -p red_moon --features serde --bench snapshot [-- name-filter]`

use red_moon::interpreter::Vm;
use std::time::{Duration, Instant};

const SETUP: &str = r#"
world = {}
for i = 1, 100000 do
  world[i] = { x = i, y = i * 0.5, name = "unit" .. (i % 100) }
end
local function worker(step)
  local total = 0
  while true do
    total = total + step
    step = coroutine.yield(total)
  end
end
agent = coroutine.create(worker)
coroutine.resume(agent, 1)
"#;

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

/// CPU time of this thread (Linux), which other processes on a busy machine do not inflate.
fn thread_cpu_time() -> Option<Duration> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanos = text.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(nanos))
}

/// Times `action` (the value it returns is dropped after the clock stops: tearing down a
/// copy is not part of making it). Only runs when `name` contains the command-line filter.
fn measure<T>(name: &str, runs: usize, mut action: impl FnMut() -> T) {
    let filter = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    if filter.is_some_and(|f| !name.contains(f.as_str())) {
        return;
    }
    drop(action());
    let mut wall = Vec::new();
    // The thread's CPU clock advances in scheduler ticks, so one run's reading is a
    // multiple of the tick; the mean over all runs is still an unbiased estimate.
    let mut cpu = Some(Duration::ZERO);
    for _ in 0..runs {
        let (start, start_cpu) = (Instant::now(), thread_cpu_time());
        let result = std::hint::black_box(action());
        wall.push(start.elapsed());
        cpu = match (cpu, start_cpu, thread_cpu_time()) {
            (Some(total), Some(before), Some(after)) => Some(total + after.saturating_sub(before)),
            _ => None,
        };
        drop(result);
    }
    let cpu = cpu.map_or(String::new(), |total| {
        format!("  (cpu {:.2} ms)", total.as_secs_f64() * 1e3 / runs as f64)
    });
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!("{name:<28} {:>9.2} ms{cpu}", ms(median(wall)));
}

fn main() {
    let mut vm = Vm::default();
    vm.context()
        .exec::<()>(SETUP.as_bytes(), "=setup")
        .expect("setup script runs");
    vm.context()
        .exec::<()>(b"collectgarbage()", "=gc")
        .expect("collect");

    println!("VM with 100,000 small tables and one suspended coroutine");
    measure("clone", 20, || vm.clone());
    let mut target = vm.clone();
    measure("clone_from", 20, || target.clone_from(&vm));
    measure("state_digest", 20, || vm.state_digest().expect("digest"));
    #[cfg(feature = "serde")]
    {
        let bytes = postcard::to_allocvec(&vm).expect("serialize");
        measure("serialize (postcard)", 20, || {
            postcard::to_allocvec(&vm).expect("serialize")
        });
        measure("deserialize (postcard)", 20, || {
            postcard::from_bytes::<Vm>(&bytes).expect("deserialize")
        });
        println!(
            "{:<28} {:>9.2} MB",
            "postcard size",
            bytes.len() as f64 / 1e6
        );
    }
    #[cfg(not(feature = "serde"))]
    println!("(serialization skipped: run with --features serde)");
}
