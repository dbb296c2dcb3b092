//! Cost of a rollback snapshot: clone, `clone_from`, postcard serialize and deserialize, and
//! the state digest, for a VM holding 100,000 small tables and one suspended coroutine.
//! Prints medians; it is a measurement, not a test.
//!
//! `cargo bench -p red_moon --features serde --bench snapshot`

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

fn measure(name: &str, runs: usize, mut action: impl FnMut()) {
    action();
    let mut wall = Vec::new();
    let mut cpu = Vec::new();
    for _ in 0..runs {
        let (start, start_cpu) = (Instant::now(), thread_cpu_time());
        action();
        wall.push(start.elapsed());
        if let (Some(before), Some(after)) = (start_cpu, thread_cpu_time()) {
            cpu.push(after.saturating_sub(before));
        }
    }
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let cpu = if cpu.is_empty() {
        String::new()
    } else {
        format!("  (cpu {:.2} ms)", ms(median(cpu)))
    };
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
    measure("clone", 20, || drop(std::hint::black_box(vm.clone())));
    let mut target = vm.clone();
    measure("clone_from", 20, || target.clone_from(&vm));
    measure("state_digest", 20, || {
        std::hint::black_box(vm.state_digest().expect("digest"));
    });
    #[cfg(feature = "serde")]
    {
        let bytes = postcard::to_allocvec(&vm).expect("serialize");
        measure("serialize (postcard)", 20, || {
            std::hint::black_box(postcard::to_allocvec(&vm).expect("serialize"));
        });
        measure("deserialize (postcard)", 20, || {
            let copy: Vm = postcard::from_bytes(&bytes).expect("deserialize");
            drop(std::hint::black_box(copy));
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
