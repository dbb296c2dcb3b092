//! A late joiner receives the live game: the host serializes its VM in the middle of a
//! running script (paused for lack of fuel, with a coroutine suspended inside it), ships
//! the bytes, and the joiner deserializes, re-attaches the host functions by tag and
//! continues. Both end in the same state.
//!
//! `cargo run --release -p red_moon --features serde --example late_join`

use red_moon::errors::RuntimeError;
use red_moon::interpreter::{FunctionRef, Vm, VmContext};

const MOD_SCRIPT: &str = r#"
local spawner = coroutine.wrap(function()
  local wave = 0
  while true do
    wave = wave + 1
    for i = 1, wave do coroutine.yield("enemy " .. wave .. "." .. i) end
  end
end)
local spawned = {}
for tick = 1, 200 do
  spawned[#spawned + 1] = spawner()
  announce(#spawned)
end
return spawned[#spawned], #spawned
"#;

/// The game's API for scripts. On a fresh VM it defines `announce`; on a deserialized VM
/// it re-attaches the implementation to the function the scripts already hold.
fn install_api(ctx: &mut VmContext) -> Result<(), RuntimeError> {
    let announce = ctx.create_function(|call, ctx| {
        let count: i64 = call.arg(1, ctx)?;
        if count % 50 == 0 {
            println!("  {count} enemies so far");
        }
        call.return_values((), ctx)
    });
    if !announce.rehydrate("game.announce", ctx)? {
        ctx.default_environment().set("announce", announce, ctx)?;
    }
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // The host starts the mod with a small fuel budget per frame.
    let mut host = Vm::default();
    let ctx = &mut host.context();
    install_api(ctx)?;
    let script: FunctionRef = ctx.load(MOD_SCRIPT.as_bytes(), "=mod", None)?;
    ctx.set_fuel(300);
    let mut paused = script.call::<_, (String, i64)>((), ctx);
    let mut frames = 1;
    while matches!(paused, Err(RuntimeError::Paused)) && frames < 5 {
        ctx.add_fuel(300);
        paused = ctx.resume();
        frames += 1;
    }
    assert!(
        ctx.is_paused(),
        "the script should still be running: {paused:?}"
    );
    println!("host: paused after {frames} frames");

    // A player joins: ship the whole VM, mid-script.
    let bytes = postcard::to_allocvec(&host)?;
    println!("snapshot: {} bytes", bytes.len());
    let mut joiner: Vm = postcard::from_bytes(&bytes)?;
    install_api(&mut joiner.context())?;
    assert_eq!(joiner.state_digest()?, host.state_digest()?);

    // Both keep running the same frames.
    let finish = |vm: &mut Vm, name: &str| -> Result<(String, i64), RuntimeError> {
        let ctx = &mut vm.context();
        loop {
            ctx.add_fuel(1_000);
            match ctx.resume::<(String, i64)>() {
                Err(RuntimeError::Paused) => continue,
                other => {
                    println!("{name}: finished");
                    return other;
                }
            }
        }
    };
    let host_result = finish(&mut host, "host")?;
    let joiner_result = finish(&mut joiner, "joiner")?;
    println!("host: {host_result:?}, joiner: {joiner_result:?}");
    assert_eq!(host_result, joiner_result);
    assert_eq!(host.state_digest()?, joiner.state_digest()?);
    println!("in sync");
    Ok(())
}
