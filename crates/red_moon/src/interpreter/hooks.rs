//! Debug hooks (`debug.sethook`): call, return, line and count events.
//!
//! Line and count hooks need a look at every instruction. Instead of a test in the
//! interpreter loop, they reuse the fuel check: while such a hook is active the real fuel
//! is kept in `fuel_bank` and `fuel` is held at 1, so every instruction takes the slow path
//! (`on_fuel_trap`). Without hooks the loop pays nothing.

use super::thread::FrameKind;
use super::value::Value;
use super::{LuaResult, Vm};

pub(crate) const HOOK_CALL: u8 = 1;
pub(crate) const HOOK_RETURN: u8 = 2;
pub(crate) const HOOK_LINE: u8 = 4;
pub(crate) const HOOK_COUNT: u8 = 8;

/// A thread's hook.
#[derive(serde::Serialize, serde::Deserialize, Clone, Debug, Default)]
pub(crate) struct Hook {
    pub function: Value,
    pub mask: u8,
    /// `count` of `debug.sethook`: a count event every `count` instructions.
    pub count: u32,
    pub counter: u32,
    /// Pc of the last instruction seen by the line hook in the running function.
    pub old_pc: u32,
    /// A hook function is running: no events until it returns.
    pub running: bool,
}

impl Vm {
    /// Real remaining fuel.
    pub(crate) fn remaining_fuel(&self) -> i64 {
        if self.trap_armed {
            self.fuel_bank
        } else {
            self.fuel
        }
    }

    pub(crate) fn set_remaining_fuel(&mut self, fuel: i64) {
        if self.trap_armed {
            self.fuel_bank = fuel;
        } else {
            self.fuel = fuel;
        }
    }

    /// Arms or disarms the per-instruction trap for the running thread's hook.
    pub(crate) fn rearm_hook_trap(&mut self) {
        let wanted = self
            .thread
            .hook
            .as_ref()
            .is_some_and(|h| !h.running && h.mask & (HOOK_LINE | HOOK_COUNT) != 0);
        if wanted && !self.trap_armed {
            self.fuel_bank = self.fuel;
            self.fuel = 0;
            self.trap_armed = true;
        } else if !wanted && self.trap_armed {
            self.fuel = self.fuel_bank;
            self.trap_armed = false;
        }
    }

    /// The slow path of the trap: charges the instruction, runs line/count hooks. Returns
    /// whether real fuel is exhausted.
    pub(crate) fn on_fuel_trap(&mut self) -> LuaResult<bool> {
        self.fuel_bank -= 1;
        self.fuel = 0;
        // While hooks run, the frame's saved pc points past the instruction about to run
        // (as in PUC), so `currentline` is that instruction's line.
        let pc = self.current_pc()?;
        self.save_pc(pc + 1);
        let result = self.instruction_hooks(pc as u32);
        self.save_pc(pc);
        result?;
        Ok(self.fuel_bank < 0)
    }

    /// Line and count events before the instruction at the running frame's saved pc.
    fn instruction_hooks(&mut self, pc: u32) -> LuaResult<()> {
        let Some(hook) = self.thread.hook.as_mut() else {
            return Ok(());
        };
        if hook.running {
            return Ok(());
        }
        let mut fire_count = false;
        if hook.mask & HOOK_COUNT != 0 && hook.count > 0 {
            hook.counter = hook.counter.saturating_sub(1);
            if hook.counter == 0 {
                hook.counter = hook.count;
                fire_count = true;
            }
        }
        let line_mask = hook.mask & HOOK_LINE != 0;
        let old_pc = hook.old_pc;
        if fire_count {
            self.call_hook("count", None)?;
        }
        if line_mask {
            let Some(frame) = self.thread.frames.last() else {
                return Ok(());
            };
            let FrameKind::Lua { closure, .. } = frame.kind else {
                return Ok(());
            };
            let proto = self.closure_proto(closure)?;
            if pc == 0 && proto.proto.is_vararg {
                // As in PUC, line events of a vararg function start after `VarArgPrep`,
                // and its next instruction counts as a new line.
                if let Some(hook) = self.thread.hook.as_mut() {
                    hook.old_pc = 1;
                }
                return Ok(());
            }
            let old_pc = if (old_pc as usize) < proto.code().len() {
                old_pc
            } else {
                0
            };
            let new_line = proto.line_at(pc as usize);
            let changed = pc <= old_pc || proto.line_at(old_pc as usize) != new_line;
            if let Some(hook) = self.thread.hook.as_mut() {
                hook.old_pc = pc;
            }
            if changed {
                // Without line information the hook gets nil (PUC).
                self.call_hook("line", (new_line >= 0).then_some(new_line))?;
            }
        }
        Ok(())
    }

    /// Call events (`tail call` for tail calls). The new frame is on top.
    #[inline]
    pub(crate) fn call_hook_event(&mut self, tail: bool) -> LuaResult<()> {
        if let Some(hook) = &self.thread.hook {
            if hook.mask & HOOK_CALL != 0 && !hook.running {
                // `ftransfer`/`ntransfer`: the parameters (a native's arguments).
                let count = match self.thread.frames.last() {
                    Some(frame) => match frame.kind {
                        FrameKind::Lua { closure, .. } => self
                            .heap
                            .closures
                            .get(closure.0)
                            .map_or(0, |c| c.proto.proto.param_count as i64),
                        FrameKind::Native { .. } => self.thread.top as i64 - frame.base as i64,
                    },
                    None => 0,
                };
                self.hook_transfer = (1, count);
                let result = self.call_hook(if tail { "tail call" } else { "call" }, None);
                self.hook_transfer = (0, 0);
                result?;
            }
            if let Some(hook) = self.thread.hook.as_mut() {
                if !hook.running {
                    hook.old_pc = 0;
                }
            }
        }
        Ok(())
    }

    /// Return events: the returning frame is still on top.
    #[inline]
    pub(crate) fn return_hook_event(&mut self, first: usize, count: usize) -> LuaResult<()> {
        if let Some(hook) = &self.thread.hook {
            if hook.mask & HOOK_RETURN != 0 && !hook.running {
                // `ftransfer`: the results as local indices of the returning frame.
                let base = self.thread.frames.last().map_or(0, |f| f.base as i64);
                self.hook_transfer = (first as i64 - base + 1, count as i64);
                let result = self.call_hook("return", None);
                self.hook_transfer = (0, 0);
                result?;
            }
        }
        Ok(())
    }

    /// After a return into a Lua frame: the line hook continues from its pc.
    pub(crate) fn hook_resume_caller(&mut self) {
        if self.thread.hook.as_ref().is_none_or(|h| h.running) {
            return;
        }
        if let Some(FrameKind::Lua { pc, .. }) = self.thread.frames.last().map(|f| f.kind) {
            if let Some(hook) = self.thread.hook.as_mut() {
                hook.old_pc = pc.saturating_sub(1);
            }
        }
    }

    fn call_hook(&mut self, event: &str, line: Option<i64>) -> LuaResult<()> {
        let Some(function) = self.thread.hook.as_ref().map(|h| h.function) else {
            return Ok(());
        };
        if let Some(hook) = self.thread.hook.as_mut() {
            hook.running = true;
        }
        self.rearm_hook_trap();
        let event = self.new_string(event.as_bytes());
        let result = match event {
            Ok(event) => {
                let line = line.map_or(Value::Nil, Value::Integer);
                self.call_value(function, &[event, line]).map(|_| ())
            }
            Err(e) => Err(e),
        };
        if let Some(hook) = self.thread.hook.as_mut() {
            hook.running = false;
        }
        self.rearm_hook_trap();
        result
    }
}
