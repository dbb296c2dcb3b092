//! Rollback netcode with Red Moon: the game state lives in a Lua VM, a snapshot is a
//! `Vm::clone` taken every frame, and a late input rewinds with `clone_from` and
//! re-simulates. Peers compare `state_digest` checksums to detect desyncs.
//!
//! `cargo run --release -p red_moon --example rollback`

use red_moon::errors::RuntimeError;
use red_moon::interpreter::{FunctionRef, Vm};
use std::collections::VecDeque;

const GAME: &str = r#"
local ship = { x = 0, speed = 0 }
local log = {}
function update(thrust)
  ship.speed = ship.speed * 0.95 + thrust
  ship.x = ship.x + ship.speed
  log[#log + 1] = math.floor(ship.x)
  if #log > 8 then table.remove(log, 1) end
  return ship.x
end
"#;

/// How many frames of history a late input may reach back.
const MAX_ROLLBACK: usize = 8;

struct Session {
    vm: Vm,
    /// `history[i]` is the state before frame `first_frame + i`.
    history: VecDeque<Vm>,
    first_frame: usize,
    inputs: Vec<f64>,
}

impl Session {
    fn new() -> Result<Self, RuntimeError> {
        let mut vm = Vm::default();
        vm.context().exec::<()>(GAME.as_bytes(), "=game")?;
        Ok(Session {
            vm,
            history: VecDeque::new(),
            first_frame: 0,
            inputs: Vec::new(),
        })
    }

    fn simulate(&mut self, thrust: f64) -> Result<f64, RuntimeError> {
        let ctx = &mut self.vm.context();
        let update: FunctionRef = ctx.default_environment().get("update", ctx)?;
        update.call(thrust, ctx)
    }

    /// Runs one frame with the input we believe is right, keeping a snapshot first.
    fn advance(&mut self, thrust: f64) -> Result<f64, RuntimeError> {
        if self.history.len() == MAX_ROLLBACK {
            self.history.pop_front();
            self.first_frame += 1;
        }
        self.history.push_back(self.vm.clone());
        self.inputs.push(thrust);
        self.simulate(thrust)
    }

    /// The real input for `frame` arrived late: rewind to before it and re-simulate.
    fn correct(&mut self, frame: usize, thrust: f64) -> Result<(), RuntimeError> {
        let offset = frame - self.first_frame;
        self.vm.clone_from(&self.history[offset]);
        self.inputs[frame] = thrust;
        self.history.truncate(offset);
        let replay: Vec<f64> = self.inputs[frame..].to_vec();
        self.inputs.truncate(frame);
        for input in replay {
            self.advance(input)?;
        }
        Ok(())
    }
}

fn main() -> Result<(), RuntimeError> {
    let mut session = Session::new()?;
    let mut reference = Session::new()?;
    for frame in 0..120 {
        let real = if frame % 7 == 0 { 1.0 } else { 0.25 };
        // We predict "same as last frame"; the real input shows up three frames later.
        let predicted = if frame == 0 {
            0.0
        } else {
            session.inputs[frame - 1]
        };
        session.advance(predicted)?;
        reference.advance(real)?;
        if frame >= 3 {
            let late = frame - 3;
            let actual = if late % 7 == 0 { 1.0 } else { 0.25 };
            if session.inputs[late] != actual {
                session.correct(late, actual)?;
            }
        }
    }
    // Settle the last predictions.
    for late in 117..120 {
        let actual = if late % 7 == 0 { 1.0 } else { 0.25 };
        if session.inputs[late] != actual {
            session.correct(late, actual)?;
        }
    }
    let ours = session.vm.state_digest()?;
    let theirs = reference.vm.state_digest()?;
    println!("digest after 120 frames: {ours:016x} (reference {theirs:016x})");
    assert_eq!(ours, theirs, "desync");
    println!("in sync");
    Ok(())
}
