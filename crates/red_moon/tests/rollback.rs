//! Rollback as a networked game does it: 600 frames of a small game script driven by
//! per-frame inputs, a snapshot (`Vm::clone`) every frame, and now and then a late input
//! that forces a rollback of 8 frames and a re-simulation. The state digest of every frame
//! must equal that of a run that never rolled back.

use red_moon::interpreter::{FunctionRef, Vm};

const GAME: &str = r#"
local players = {}
for i = 1, 4 do
  players[i] = { x = i * 10, y = 0, vx = 0, vy = 0, hp = 100, name = "p" .. i, trail = {} }
end
local bullets = {}
local frame = 0

function step(inputs)
  frame = frame + 1
  for i, p in ipairs(players) do
    local input = inputs[i] or 0
    if input & 1 ~= 0 then p.vx = p.vx - 1 end
    if input & 2 ~= 0 then p.vx = p.vx + 1 end
    if input & 4 ~= 0 then p.vy = p.vy + 0.5 end
    if input & 8 ~= 0 then
      bullets[#bullets + 1] = { x = p.x, y = p.y, owner = i, ttl = 30 + math.random(10) }
    end
    p.x, p.y = p.x + p.vx, p.y + p.vy
    p.vx, p.vy = p.vx * 0.9, p.vy * 0.9
    p.trail[#p.trail + 1] = string.format("%.1f,%.1f", p.x, p.y)
    if #p.trail > 16 then table.remove(p.trail, 1) end
  end
  local alive = {}
  for _, b in ipairs(bullets) do
    b.ttl = b.ttl - 1
    b.x = b.x + (b.owner % 2 == 0 and 3 or -3)
    for i, p in ipairs(players) do
      if i ~= b.owner and math.abs(p.x - b.x) < 2 then p.hp = p.hp - 1; b.ttl = 0 end
    end
    if b.ttl > 0 then alive[#alive + 1] = b end
  end
  bullets = alive
  local scores = {}
  for i, p in ipairs(players) do scores[p.name] = p.hp end
  local order = {}
  for name, hp in pairs(scores) do order[#order + 1] = name .. "=" .. hp end
  return table.concat(order, " "), collectgarbage("count")
end
"#;

/// A tiny deterministic generator for the test's own choices.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

fn inputs_for(frame: usize) -> Vec<i64> {
    let mut rng = Lcg(frame as u64 * 7919 + 13);
    (0..4).map(|_| (rng.next() % 16) as i64).collect()
}

fn new_game() -> Vm {
    let mut vm = Vm::default();
    vm.set_random_seed(2026, 11);
    vm.context()
        .exec::<()>(GAME.as_bytes(), "=game")
        .expect("game loads");
    vm
}

fn step(vm: &mut Vm, frame: usize, inputs: &[i64]) -> (String, f64, u64) {
    let ctx = &mut vm.context();
    let step: FunctionRef = ctx.default_environment().get("step", ctx).expect("step");
    let (scores, memory): (String, f64) = step
        .call(inputs.to_vec(), ctx)
        .unwrap_or_else(|e| panic!("frame {frame}: {e}"));
    (scores, memory, vm.state_digest().expect("digest"))
}

const FRAMES: usize = 600;
const ROLLBACK: usize = 8;

#[test]
fn rolling_back_and_resimulating_matches_a_straight_run() {
    let mut reference = new_game();
    let expected: Vec<_> = (0..FRAMES)
        .map(|frame| step(&mut reference, frame, &inputs_for(frame)))
        .collect();

    let mut vm = new_game();
    // snapshots[f] is the state before frame f.
    let mut snapshots: Vec<Vm> = Vec::with_capacity(FRAMES);
    let mut rng = Lcg(99);
    let mut rollbacks = 0;
    let mut frame = 0;
    while frame < FRAMES {
        snapshots.truncate(frame);
        snapshots.push(vm.clone());
        // Predict the inputs (repeat the previous frame's), as a rollback netcode does.
        let predicted = if frame == 0 {
            vec![0; 4]
        } else {
            inputs_for(frame - 1)
        };
        let actual = inputs_for(frame);
        let result = step(&mut vm, frame, &predicted);
        if predicted == actual {
            assert_eq!(result, expected[frame], "frame {frame}");
        }
        frame += 1;
        // Sometimes the real inputs arrive late: rewind 8 frames and re-simulate them with
        // the true inputs, reusing the VM's allocations.
        if frame >= ROLLBACK && rng.next() % 10 == 0 {
            rollbacks += 1;
            let start = frame - ROLLBACK;
            vm.clone_from(&snapshots[start]);
            for f in start..frame {
                snapshots.truncate(f);
                snapshots.push(vm.clone());
                let result = step(&mut vm, f, &inputs_for(f));
                assert_eq!(result, expected[f], "frame {f} after rollback");
            }
        } else if predicted != actual {
            // A misprediction without a scheduled rollback is corrected at once.
            vm.clone_from(&snapshots[frame - 1]);
            let result = step(&mut vm, frame - 1, &actual);
            assert_eq!(result, expected[frame - 1], "frame {} corrected", frame - 1);
        }
    }
    assert!(rollbacks > 30, "only {rollbacks} rollbacks");
    assert_eq!(
        vm.state_digest().unwrap(),
        reference.state_digest().unwrap()
    );
}

#[test]
fn snapshots_are_independent() {
    let mut vm = new_game();
    let before = vm.clone();
    let digest = before.state_digest().unwrap();
    for frame in 0..50 {
        step(&mut vm, frame, &inputs_for(frame));
    }
    assert_eq!(
        before.state_digest().unwrap(),
        digest,
        "the snapshot changed"
    );
    let mut replay = before.clone();
    for frame in 0..50 {
        step(&mut replay, frame, &inputs_for(frame));
    }
    assert_eq!(replay.state_digest().unwrap(), vm.state_digest().unwrap());
}
