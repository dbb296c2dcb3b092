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

fn measure(name: &str, runs: usize, mut action: impl FnMut()) {
    action();
    let samples = (0..runs)
        .map(|_| {
            let start = Instant::now();
            action();
            start.elapsed()
        })
        .collect();
    println!("{name:<28} {:>9.2} ms", median(samples).as_secs_f64() * 1e3);
}

fn main() {
    let mut vm = Vm::default();
    vm.context()
        .exec::<()>(SETUP.as_bytes(), "=setup")
        .expect("setup script runs");
    vm.context().exec::<()>(b"collectgarbage()", "=gc").expect("collect");

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
        println!("{:<28} {:>9.2} MB", "postcard size", bytes.len() as f64 / 1e6);
    }
    #[cfg(not(feature = "serde"))]
    println!("(serialization skipped: run with --features serde)");
}
