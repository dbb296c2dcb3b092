//! The interpreter loop.
//!
//! `Vm::run` executes the running thread's top Lua frame instruction by instruction. Calls
//! between Lua functions, metamethods triggered by instructions, `pcall`, coroutine switches
//! and errors never recurse on the Rust stack: they push or pop `Frame`s and the loop
//! reloads the top frame. That is what makes every instruction boundary a point where the VM
//! can pause (out of fuel), be cloned or serialized, and resume.
//!
//! Invariants relied on for register access: when a Lua frame is on top, the stack holds at
//! least `base + REGISTER_WINDOW` slots (see `window`), and every register operand of the
//! (compiled or verified) code is below `max_stack_size`, so a register range an instruction
//! computes (`a + 3` of `ForLoop`, ...) stays inside the window.

mod arith;
mod call;
mod close;
mod compare;
mod concat;
mod coroutine;
mod for_loop;
mod index;
mod names;
mod unwind;
mod window;

pub(crate) use arith::ArithOp;
use call::Left;
pub(crate) use call::Step;
pub(crate) use concat::write_number_value;
pub(crate) use names::{calling_name, VariableKind};
pub(crate) use unwind::HOST_MESSAGE_HANDLER;

use super::function::Upvalue;
use super::gc::Phase;
use super::heap::{ClosureId, PlainStore};
use super::metamethod::Event;
use super::thread::{Frame, FrameKind, ReturnTo};
use super::value::Value;
use super::{LuaError, LuaResult, Vm};
use crate::bytecode::Instruction;
use index::index_tables_only;
pub(crate) use window::REGISTER_WINDOW;
use window::{register_window, Registers};

/// Why `run` returned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Exit {
    /// The frame started with `ReturnTo::Nested` returned; its results are on the stack from
    /// its function slot to `top`.
    Returned,
    /// Fuel ran out at an instruction boundary; calling `run` again continues.
    Paused,
}

/// Extra fuel a nested (non-pausable) Rust-level call may overdraw before it fails.
pub(crate) const FUEL_OVERDRAFT: i64 = 10_000_000;

impl Vm {
    /// Runs until the innermost nested boundary returns, fuel runs out (only where pausing is
    /// possible), or an error escapes.
    pub(crate) fn run(&mut self) -> LuaResult<Exit> {
        loop {
            match self.run_frames() {
                Ok(exit) => return Ok(exit),
                Err(error) => {
                    if let Some(exit) = self.handle_error(error)? {
                        return Ok(exit);
                    }
                }
            }
        }
    }

    /// The dispatch loop proper; errors are handled by `run`.
    ///
    /// Hot state lives in locals: `regs` (the frame's register window, see `window`),
    /// `fuel`, `pc`. Every operation that needs the whole VM goes through `vm!` or `slow!`,
    /// which write `fuel` back, run the operation, and re-derive `regs` (the stack may have
    /// moved) when the frame keeps running.
    ///
    /// Register operands index the window directly: it has 256 slots, so no operand is out
    /// of range. Operands are matched through references (see `arith::arith_fast` for why).
    fn run_frames(&mut self) -> LuaResult<Exit> {
        'frame: loop {
            let (closure, entry_pc, base) = self.running_lua_frame()?;
            let proto = self.closure_proto(closure)?;
            let code = proto.code();
            let constants = &proto.constants[..];
            let frame_top = base + proto.proto.max_stack_size as usize;
            let mut pc = entry_pc;
            let mut fuel = self.fuel;

            // The frame's register window. The collector may have shrunk this thread's
            // stack while another thread ran (see `gc::mark`): then it grows back first.
            macro_rules! window {
                () => {{
                    if self.thread.stack.len() < base + REGISTER_WINDOW {
                        self.reserve_register_window(base)?;
                    }
                    match register_window(&mut self.thread.stack, base) {
                        Some(window) => window,
                        None => {
                            return Err(LuaError::internal("register window outside the stack"))
                        }
                    }
                }};
            }
            let mut regs: &mut Registers = window!();

            // Table access through the heap field only, so it can overlap `regs`.
            macro_rules! table {
                ($id:expr) => {
                    match self.heap.tables.get($id.0) {
                        Some(table) => table,
                        None => return Err(super::vm::corrupt_heap()),
                    }
                };
            }
            macro_rules! reg {
                ($r:expr) => {
                    regs[$r as usize]
                };
            }
            macro_rules! constant {
                ($k:expr) => {
                    constants.get($k as usize).unwrap_or(&Value::Nil)
                };
            }
            // Runs an operation on the whole VM that leaves this frame running; yields its
            // value or returns its error.
            macro_rules! vm {
                ($operation:expr) => {{
                    self.fuel = fuel;
                    let result = $operation;
                    fuel = self.fuel;
                    match result {
                        Ok(value) => {
                            // (Unused when another operation follows directly.)
                            #[allow(unused_assignments)]
                            {
                                regs = window!();
                            }
                            value
                        }
                        Err(error) => return Err(error),
                    }
                }};
            }
            // A slow path that may call something: saves the pc, runs it, and reloads the
            // frame if the frame stack changed.
            macro_rules! slow {
                ($operation:expr) => {{
                    self.save_pc(pc);
                    self.fuel = fuel;
                    let step = $operation;
                    fuel = self.fuel;
                    match step? {
                        #[allow(unused_assignments)]
                        Step::Same => regs = window!(),
                        Step::Reload => continue 'frame,
                        Step::Exit(exit) => return Ok(exit),
                    }
                }};
            }
            macro_rules! arith {
                ($op:expr, $dst:expr, $a:expr, $b:expr) => {{
                    match arith::arith_fast($op, $a, $b) {
                        Some(result) => reg!($dst) = result,
                        None => {
                            let (a, b) = (*$a, *$b);
                            slow!(self.arith_slow($op, a, b, ReturnTo::Register($dst), frame_top))
                        }
                    }
                }};
            }
            macro_rules! jump {
                ($offset:expr) => {
                    pc = (pc as i64 + $offset as i64) as usize
                };
            }
            // For conditional skips: take the `Jmp` that follows when the condition holds.
            macro_rules! jump_if {
                ($condition:expr, $expect:expr) => {{
                    if ($condition) == $expect {
                        if let Some(Instruction::Jmp { offset }) = code.get(pc) {
                            pc = (pc as i64 + 1 + *offset as i64) as usize;
                        } else {
                            pc += 1;
                        }
                    } else {
                        pc += 1;
                    }
                }};
            }
            // A comparison decided by a slow path: it stored the jump decision in the saved
            // pc (or a metamethod call will).
            macro_rules! compare_slow {
                ($a:expr, $b:expr, $operation:ident, $expect:expr) => {{
                    let (a, b) = ($a, $b);
                    slow!(self.$operation(a, b, $expect, frame_top));
                    pc = saved_pc(&self.thread.frames)?;
                }};
            }
            // An ordering comparison of two registers.
            macro_rules! order {
                ($lhs:expr, $rhs:expr, $op:tt, $slow:ident, $expect:expr) => {
                    match (&reg!($lhs), &reg!($rhs)) {
                        (Value::Integer(x), Value::Integer(y)) => jump_if!(x $op y, $expect),
                        (Value::Float(x), Value::Float(y)) => jump_if!(x $op y, $expect),
                        (&a, &b) => compare_slow!(a, b, $slow, $expect),
                    }
                };
            }
            // An ordering comparison of a register with an immediate; `$swap` when the
            // slow path computes it as `immediate < register` (`>` and `>=`).
            macro_rules! order_immediate {
                ($lhs:expr, $value:expr, $is_float:expr, $op:tt, $slow:ident, $swap:expr, $expect:expr) => {
                    match &reg!($lhs) {
                        Value::Integer(i) => jump_if!(*i $op $value as i64, $expect),
                        Value::Float(f) => jump_if!(*f $op $value as f64, $expect),
                        &a => {
                            let b = immediate($value, $is_float);
                            if $swap {
                                compare_slow!(b, a, $slow, $expect)
                            } else {
                                compare_slow!(a, b, $slow, $expect)
                            }
                        }
                    }
                };
            }
            // `t[k] = v` from an instruction: directly when no metamethod can be involved,
            // else the full path.
            macro_rules! store {
                ($table:expr, $key:expr, $value:expr) => {{
                    let (t, k, v) = ($table, $key, $value);
                    // Read-only tables take the general path, which refuses the store.
                    let stored = match t {
                        Value::Table(id) if !self.read_only.contains(id) => {
                            match self.heap.store_plain(id, k, v, self.limits.memory) {
                                Some(PlainStore::Stored) => true,
                                Some(PlainStore::Declined) => false,
                                Some(PlainStore::OverLimit) => {
                                    // The value is in the table: the collector must see it.
                                    self.write_barrier_table(id, k, v);
                                    self.save_pc(pc);
                                    return Err(self.out_of_memory());
                                }
                                None => return Err(super::vm::corrupt_heap()),
                            }
                        }
                        _ => false,
                    };
                    if stored {
                        if self.gc.phase == Phase::Propagate {
                            if let Value::Table(id) = t {
                                self.write_barrier_table(id, k, v);
                                regs = window!();
                            }
                        }
                    } else {
                        slow!(self.set_index(t, k, v, frame_top));
                    }
                }};
            }

            // `object[key]` into register `dst`, following `__index` tables without a call;
            // the full path when that is not enough.
            macro_rules! index {
                ($object:expr, $key:expr, $dst:expr) => {{
                    let (object, key) = ($object, $key);
                    if let Value::Table(id) = object {
                        let found = table!(id).get_fast(key);
                        if !found.is_nil() {
                            reg!($dst) = found;
                            continue;
                        }
                        let index_name = self.events.get(Event::Index);
                        let limit = self.limits.metamethod_chain as usize;
                        if let Some(value) =
                            index_tables_only(&mut self.heap, index_name, id, key, limit)
                        {
                            reg!($dst) = value;
                            continue;
                        }
                    }
                    slow!(self.index_slow(object, key, ReturnTo::Register($dst), frame_top));
                }};
            }
            // Runs `$found` with `$value` bound to upvalue `$index` when it is closed or open
            // in this thread, else `$missing`. (Not an `Option<Value>`: moving one of those
            // makes the compiler copy the payload bytes at odd offsets, which stalls.)
            macro_rules! with_upvalue {
                ($index:expr, $value:ident => $found:expr, $missing:expr) => {{
                    let cell = self
                        .heap
                        .closures
                        .get(closure.0)
                        .and_then(|c| c.upvalues.get($index as usize))
                        .and_then(|id| self.heap.upvalues.get(id.0));
                    match cell {
                        Some(&Upvalue::Closed($value)) => $found,
                        Some(&Upvalue::Open { thread, slot }) if thread == self.current_thread => {
                            let $value = match self.thread.stack.get(slot as usize) {
                                Some(value) => *value,
                                None => return Err(super::vm::corrupt_heap()),
                            };
                            regs = window!();
                            $found
                        }
                        Some(_) => $missing,
                        None => return Err(super::vm::corrupt_heap()),
                    }
                }};
            }

            loop {
                // `fuel` units run exactly `fuel` instructions: the pause comes when the
                // instruction about to run finds no unit left for itself.
                fuel -= 1;
                if fuel < 0 {
                    self.save_pc(pc);
                    if vm!(self.out_of_fuel()) {
                        return Ok(Exit::Paused);
                    }
                }
                // Matched in place (not copied out first), so each arm loads only the
                // operands it uses.
                let Some(instruction) = code.get(pc) else {
                    return Err(LuaError::internal("program counter out of range"));
                };
                pc += 1;
                match *instruction {
                    Instruction::Move { dst, src } => reg!(dst) = reg!(src),
                    Instruction::LoadConstant { dst, constant } => reg!(dst) = *constant!(constant),
                    Instruction::LoadInteger { dst, value } => {
                        reg!(dst) = Value::Integer(value as i64)
                    }
                    Instruction::LoadFloat { dst, value } => reg!(dst) = Value::Float(value as f64),
                    Instruction::LoadBoolean { dst, value } => reg!(dst) = Value::Boolean(value),
                    Instruction::LoadFalseSkip { dst } => {
                        reg!(dst) = Value::Boolean(false);
                        pc += 1;
                    }
                    Instruction::LoadNil { dst, count } => {
                        let start = dst as usize;
                        match regs.get_mut(start..start + count as usize) {
                            Some(slots) => slots.fill(Value::Nil),
                            None => return Err(LuaError::internal("register out of range")),
                        }
                    }
                    Instruction::GetUpvalue { dst, upvalue } => with_upvalue!(
                        upvalue,
                        value => reg!(dst) = value,
                        reg!(dst) = vm!(self.get_upvalue(closure, upvalue))
                    ),
                    Instruction::SetUpvalue { src, upvalue } => {
                        let value = reg!(src);
                        let id = match self
                            .heap
                            .closures
                            .get(closure.0)
                            .and_then(|c| c.upvalues.get(upvalue as usize))
                        {
                            Some(&id) => id,
                            None => return Err(super::vm::corrupt_heap()),
                        };
                        // Closed cells need the collector's barrier while it propagates.
                        let propagating = self.gc.phase == Phase::Propagate;
                        match self.heap.upvalues.get_mut(id.0) {
                            Some(Upvalue::Closed(cell)) if !propagating => *cell = value,
                            Some(&mut Upvalue::Open { thread, slot })
                                if thread == self.current_thread =>
                            {
                                if let Some(cell) = self.thread.stack.get_mut(slot as usize) {
                                    *cell = value;
                                }
                                regs = window!();
                            }
                            _ => vm!(self.write_upvalue(id, value)),
                        }
                    }
                    Instruction::GetTableUpvalue { dst, upvalue, key } => {
                        let key = *constant!(key);
                        with_upvalue!(
                            upvalue,
                            table => index!(table, key, dst),
                            {
                                let table = vm!(self.get_upvalue(closure, upvalue));
                                index!(table, key, dst)
                            }
                        )
                    }
                    Instruction::SetTableUpvalue {
                        upvalue,
                        key,
                        value,
                        value_is_constant,
                    } => {
                        let value = if value_is_constant {
                            *constant!(value)
                        } else {
                            reg!(value)
                        };
                        let key = *constant!(key);
                        with_upvalue!(
                            upvalue,
                            table => store!(table, key, value),
                            {
                                let table = vm!(self.get_upvalue(closure, upvalue));
                                store!(table, key, value)
                            }
                        )
                    }
                    Instruction::GetTable { dst, table, key } => {
                        index!(reg!(table), reg!(key), dst)
                    }
                    Instruction::GetIndex { dst, table, index } => {
                        index!(reg!(table), Value::Integer(index as i64), dst)
                    }
                    Instruction::GetField { dst, table, key } => {
                        index!(reg!(table), *constant!(key), dst)
                    }
                    Instruction::SetTable {
                        table,
                        key,
                        value,
                        value_is_constant,
                    } => {
                        let v = if value_is_constant {
                            *constant!(value)
                        } else {
                            reg!(value)
                        };
                        store!(reg!(table), reg!(key), v);
                    }
                    Instruction::SetIndex {
                        table,
                        index,
                        value,
                        value_is_constant,
                    } => {
                        let v = if value_is_constant {
                            *constant!(value)
                        } else {
                            reg!(value)
                        };
                        store!(reg!(table), Value::Integer(index as i64), v);
                    }
                    Instruction::SetField {
                        table,
                        key,
                        value,
                        value_is_constant,
                    } => {
                        let v = if value_is_constant {
                            *constant!(value)
                        } else {
                            reg!(value)
                        };
                        store!(reg!(table), *constant!(key), v);
                    }
                    Instruction::NewTable {
                        dst,
                        array_size,
                        hash_size,
                    } => {
                        self.save_pc(pc);
                        let t = vm!(self.new_table(array_size as usize, hash_size as usize));
                        reg!(dst) = Value::Table(t);
                        self.thread.top = base + dst as usize + 1;
                        vm!(self.collect_garbage_if_needed());
                    }
                    Instruction::SelfMethod { dst, object, key } => {
                        let obj = reg!(object);
                        let key = *constant!(key);
                        // The verifier guarantees `dst + 1` is a register of the frame.
                        regs[(dst as usize + 1).min(REGISTER_WINDOW - 1)] = obj;
                        index!(obj, key, dst)
                    }

                    Instruction::Add { dst, lhs, rhs } => {
                        arith!(ArithOp::Add, dst, &reg!(lhs), &reg!(rhs))
                    }
                    Instruction::Sub { dst, lhs, rhs } => {
                        arith!(ArithOp::Sub, dst, &reg!(lhs), &reg!(rhs))
                    }
                    Instruction::Mul { dst, lhs, rhs } => {
                        arith!(ArithOp::Mul, dst, &reg!(lhs), &reg!(rhs))
                    }
                    Instruction::Div { dst, lhs, rhs } => {
                        arith!(ArithOp::Div, dst, &reg!(lhs), &reg!(rhs))
                    }
                    Instruction::IDiv { dst, lhs, rhs } => {
                        arith!(ArithOp::IDiv, dst, &reg!(lhs), &reg!(rhs))
                    }
                    Instruction::Mod { dst, lhs, rhs } => {
                        arith!(ArithOp::Mod, dst, &reg!(lhs), &reg!(rhs))
                    }
                    Instruction::Pow { dst, lhs, rhs } => {
                        arith!(ArithOp::Pow, dst, &reg!(lhs), &reg!(rhs))
                    }
                    Instruction::BAnd { dst, lhs, rhs } => {
                        arith!(ArithOp::BAnd, dst, &reg!(lhs), &reg!(rhs))
                    }
                    Instruction::BOr { dst, lhs, rhs } => {
                        arith!(ArithOp::BOr, dst, &reg!(lhs), &reg!(rhs))
                    }
                    Instruction::BXor { dst, lhs, rhs } => {
                        arith!(ArithOp::BXor, dst, &reg!(lhs), &reg!(rhs))
                    }
                    Instruction::Shl { dst, lhs, rhs } => {
                        arith!(ArithOp::Shl, dst, &reg!(lhs), &reg!(rhs))
                    }
                    Instruction::Shr { dst, lhs, rhs } => {
                        arith!(ArithOp::Shr, dst, &reg!(lhs), &reg!(rhs))
                    }
                    Instruction::AddK { dst, lhs, constant } => {
                        arith!(ArithOp::Add, dst, &reg!(lhs), constant!(constant))
                    }
                    Instruction::SubK { dst, lhs, constant } => {
                        arith!(ArithOp::Sub, dst, &reg!(lhs), constant!(constant))
                    }
                    Instruction::MulK { dst, lhs, constant } => {
                        arith!(ArithOp::Mul, dst, &reg!(lhs), constant!(constant))
                    }
                    Instruction::DivK { dst, lhs, constant } => {
                        arith!(ArithOp::Div, dst, &reg!(lhs), constant!(constant))
                    }
                    Instruction::IDivK { dst, lhs, constant } => {
                        arith!(ArithOp::IDiv, dst, &reg!(lhs), constant!(constant))
                    }
                    Instruction::ModK { dst, lhs, constant } => {
                        arith!(ArithOp::Mod, dst, &reg!(lhs), constant!(constant))
                    }
                    Instruction::PowK { dst, lhs, constant } => {
                        arith!(ArithOp::Pow, dst, &reg!(lhs), constant!(constant))
                    }
                    Instruction::BAndK { dst, lhs, constant } => {
                        arith!(ArithOp::BAnd, dst, &reg!(lhs), constant!(constant))
                    }
                    Instruction::BOrK { dst, lhs, constant } => {
                        arith!(ArithOp::BOr, dst, &reg!(lhs), constant!(constant))
                    }
                    Instruction::BXorK { dst, lhs, constant } => {
                        arith!(ArithOp::BXor, dst, &reg!(lhs), constant!(constant))
                    }
                    Instruction::ShlK { dst, lhs, constant } => {
                        arith!(ArithOp::Shl, dst, &reg!(lhs), constant!(constant))
                    }
                    Instruction::ShrK { dst, lhs, constant } => {
                        arith!(ArithOp::Shr, dst, &reg!(lhs), constant!(constant))
                    }
                    Instruction::AddI { dst, lhs, value } => match reg!(lhs) {
                        Value::Integer(x) => {
                            reg!(dst) = Value::Integer(x.wrapping_add(value as i64))
                        }
                        _ => arith!(ArithOp::Add, dst, &reg!(lhs), &Value::Integer(value as i64)),
                    },
                    Instruction::Unm { dst, src } => match reg!(src) {
                        Value::Integer(i) => reg!(dst) = Value::Integer(i.wrapping_neg()),
                        Value::Float(f) => reg!(dst) = Value::Float(-f),
                        v => slow!(self.arith_slow(
                            ArithOp::Unm,
                            v,
                            v,
                            ReturnTo::Register(dst),
                            frame_top
                        )),
                    },
                    Instruction::BNot { dst, src } => match reg!(src) {
                        Value::Integer(i) => reg!(dst) = Value::Integer(!i),
                        v => slow!(self.arith_slow(
                            ArithOp::BNot,
                            v,
                            v,
                            ReturnTo::Register(dst),
                            frame_top
                        )),
                    },
                    Instruction::Not { dst, src } => {
                        reg!(dst) = Value::Boolean(!reg!(src).is_truthy())
                    }
                    Instruction::Len { dst, src } => match reg!(src) {
                        Value::String(s) => {
                            reg!(dst) =
                                Value::Integer(self.heap.string(s).map_or(0, <[u8]>::len) as i64);
                        }
                        v => slow!(self.length(v, ReturnTo::Register(dst), frame_top)),
                    },
                    Instruction::Concat { first, count } => {
                        let first = base + first as usize;
                        slow!(self.concat(first, first + count as usize, frame_top));
                        self.thread.top = first + 1;
                        vm!(self.collect_garbage_if_needed());
                    }

                    Instruction::Jmp { offset } => jump!(offset),
                    Instruction::Eq { lhs, rhs, expect } => {
                        match compare::equals_fast(&reg!(lhs), &reg!(rhs)) {
                            Some(result) => jump_if!(result, expect),
                            None => compare_slow!(reg!(lhs), reg!(rhs), equals_slow, expect),
                        }
                    }
                    Instruction::Lt { lhs, rhs, expect } => {
                        order!(lhs, rhs, <, less_than, expect)
                    }
                    Instruction::Le { lhs, rhs, expect } => {
                        order!(lhs, rhs, <=, less_equal, expect)
                    }
                    Instruction::EqK {
                        lhs,
                        constant,
                        expect,
                    } => {
                        jump_if!(reg!(lhs).raw_equals(*constant!(constant)), expect);
                    }
                    Instruction::EqI {
                        lhs,
                        value,
                        is_float: _,
                        expect,
                    } => {
                        let result = match reg!(lhs) {
                            Value::Integer(i) => i == value as i64,
                            Value::Float(f) => f == value as f64,
                            _ => false,
                        };
                        jump_if!(result, expect);
                    }
                    Instruction::LtI {
                        lhs,
                        value,
                        is_float,
                        expect,
                    } => order_immediate!(lhs, value, is_float, <, less_than, false, expect),
                    Instruction::LeI {
                        lhs,
                        value,
                        is_float,
                        expect,
                    } => order_immediate!(lhs, value, is_float, <=, less_equal, false, expect),
                    Instruction::GtI {
                        lhs,
                        value,
                        is_float,
                        expect,
                    } => order_immediate!(lhs, value, is_float, >, less_than, true, expect),
                    Instruction::GeI {
                        lhs,
                        value,
                        is_float,
                        expect,
                    } => order_immediate!(lhs, value, is_float, >=, less_equal, true, expect),
                    Instruction::Test { src, expect } => jump_if!(reg!(src).is_truthy(), expect),
                    Instruction::TestSet { dst, src, expect } => {
                        let v = reg!(src);
                        if v.is_truthy() == expect {
                            reg!(dst) = v;
                            jump_if!(true, true);
                        } else {
                            pc += 1;
                        }
                    }

                    Instruction::Call {
                        func,
                        args_plus_one,
                        results_plus_one,
                    } => {
                        let func_slot = base + func as usize;
                        let nargs = if args_plus_one == 0 {
                            self.thread.top.saturating_sub(func_slot + 1)
                        } else {
                            args_plus_one as usize - 1
                        };
                        let wanted = results_plus_one as i32 - 1;
                        if let Value::Closure(callee) = reg!(func) {
                            self.fuel = fuel;
                            if self
                                .enter_lua_call(closure, pc, callee, func_slot, nargs, wanted)
                                .is_some()
                            {
                                continue 'frame;
                            }
                        }
                        slow!(self.precall(func_slot, nargs, ReturnTo::Caller { wanted }));
                    }
                    Instruction::TailCall {
                        func,
                        args_plus_one,
                    } => {
                        let func = base + func as usize;
                        let nargs = if args_plus_one == 0 {
                            self.thread.top.saturating_sub(func + 1)
                        } else {
                            args_plus_one as usize - 1
                        };
                        slow!(self.tail_call(func, nargs));
                    }
                    Instruction::Return {
                        first,
                        count_plus_one,
                    } => {
                        let first = base + first as usize;
                        let count = if count_plus_one == 0 {
                            self.thread.top.saturating_sub(first)
                        } else {
                            count_plus_one as usize - 1
                        };
                        self.fuel = fuel;
                        match self.leave_lua_call(base, first, count) {
                            Left::ToCaller => continue 'frame,
                            Left::ToNested => return Ok(Exit::Returned),
                            Left::No => {}
                        }
                        // A `__close` call made while returning re-executes this
                        // instruction when it returns (`ReturnTo::RepeatInstruction`).
                        slow!(self.return_from_lua(base, first, count));
                    }
                    Instruction::Return0 => {
                        self.fuel = fuel;
                        match self.leave_lua_call(base, base, 0) {
                            Left::ToCaller => continue 'frame,
                            Left::ToNested => return Ok(Exit::Returned),
                            Left::No => {}
                        }
                        slow!(self.return_from_lua(base, base, 0));
                    }
                    Instruction::Return1 { src } => {
                        self.fuel = fuel;
                        match self.leave_lua_call(base, base + src as usize, 1) {
                            Left::ToCaller => continue 'frame,
                            Left::ToNested => return Ok(Exit::Returned),
                            Left::No => {}
                        }
                        slow!(self.return_from_lua(base, base + src as usize, 1));
                    }

                    Instruction::ForPrep { base: a, offset } => {
                        self.save_pc(pc);
                        if !vm!(self.for_prepare(base + a as usize)) {
                            jump!(offset);
                        }
                    }
                    Instruction::ForLoop { base: a, offset } => {
                        // The verifier guarantees `a + 3` is a register of the frame.
                        let a = (a as usize).min(REGISTER_WINDOW - 4);
                        match (&regs[a], &regs[a + 1], &regs[a + 2]) {
                            // Integer loops: R[a + 1] holds the remaining iteration count
                            // (unsigned, see `for_prepare`).
                            (&Value::Integer(i), &Value::Integer(count), &Value::Integer(step))
                                if count != 0 =>
                            {
                                let next = i.wrapping_add(step);
                                regs[a + 1] = Value::Integer(count - 1);
                                regs[a] = Value::Integer(next);
                                regs[a + 3] = Value::Integer(next);
                                jump!(offset);
                            }
                            (&Value::Float(i), &Value::Float(limit), &Value::Float(step)) => {
                                let next = i + step;
                                let continues = if step > 0.0 {
                                    next <= limit
                                } else {
                                    limit <= next
                                };
                                if continues {
                                    regs[a] = Value::Float(next);
                                    regs[a + 3] = Value::Float(next);
                                    jump!(offset);
                                }
                            }
                            // Anything else cannot come from `ForPrep`: the loop ends.
                            _ => {}
                        }
                    }
                    Instruction::TForPrep { base: a, offset } => {
                        self.save_pc(pc);
                        vm!(self.mark_to_be_closed(base + a as usize + 3, true));
                        jump!(offset);
                    }
                    Instruction::TForCall { base: a, results } => {
                        let slot = base + a as usize;
                        // The call uses slots up to base + 6 (possibly above the frame).
                        vm!(self.ensure_stack(slot + 7));
                        let stack = &mut self.thread.stack;
                        stack[slot + 4] = stack[slot];
                        stack[slot + 5] = stack[slot + 1];
                        stack[slot + 6] = stack[slot + 2];
                        let wanted = results as i32;
                        slow!(self.precall(slot + 4, 2, ReturnTo::Caller { wanted }));
                    }
                    Instruction::TForLoop { base: a, offset } => {
                        // The verifier guarantees `a + 4` is a register of the frame.
                        let a = (a as usize).min(REGISTER_WINDOW - 5);
                        let control = regs[a + 4];
                        if !control.is_nil() {
                            regs[a + 2] = control;
                            jump!(offset);
                        }
                    }

                    Instruction::SetList {
                        table,
                        count,
                        offset,
                    } => {
                        let first = base + table as usize + 1;
                        let count = if count == 0 {
                            self.thread.top.saturating_sub(first)
                        } else {
                            count as usize
                        };
                        let t = reg!(table);
                        self.save_pc(pc);
                        vm!(self.set_list(t, first, count, offset as i64));
                    }
                    Instruction::Closure { dst, proto: index } => {
                        self.save_pc(pc);
                        let value = vm!(self.new_closure(closure, &proto, index as usize, base));
                        reg!(dst) = value;
                        self.thread.top = base + dst as usize + 1;
                        vm!(self.collect_garbage_if_needed());
                    }
                    Instruction::VarArgPrep { .. } => {}
                    Instruction::VarArg {
                        dst,
                        count_plus_one,
                    } => {
                        self.save_pc(pc);
                        vm!(self.copy_varargs(base, base + dst as usize, count_plus_one));
                    }
                    Instruction::Close { from } => {
                        // A `__close` call re-executes this instruction when it returns,
                        // until every variable at or above `from` is closed.
                        slow!(self.close_block(base + from as usize, frame_top));
                    }
                    Instruction::ToBeClosed { src } => {
                        self.save_pc(pc);
                        vm!(self.mark_to_be_closed(base + src as usize, false));
                    }
                }
            }
        }
    }

    /// The closure, saved pc and base of the Lua frame on top of the running thread.
    #[inline]
    fn running_lua_frame(&self) -> LuaResult<(ClosureId, usize, usize)> {
        match self.thread.frames.last() {
            Some(Frame {
                kind: FrameKind::Lua { closure, pc },
                base,
                ..
            }) => Ok((*closure, *pc as usize, *base as usize)),
            Some(_) => Err(LuaError::internal("native frame on top of the stack")),
            None => Err(LuaError::internal("no frame to run")),
        }
    }

    /// Records the program counter of the running Lua frame (before anything that can raise
    /// an error, call, or pause).
    #[inline]
    pub(crate) fn save_pc(&mut self, new_pc: usize) {
        if let Some(frame) = self.thread.frames.last_mut() {
            if let FrameKind::Lua { pc, .. } = &mut frame.kind {
                *pc = new_pc as u32;
            }
        }
    }

    /// The saved program counter of the running Lua frame.
    pub(crate) fn current_pc(&self) -> LuaResult<usize> {
        match self.thread.frames.last().map(|f| f.kind) {
            Some(FrameKind::Lua { pc, .. }) => Ok(pc as usize),
            _ => Err(LuaError::internal("no Lua frame")),
        }
    }

    /// Called when fuel reaches zero. Returns `true` to pause; in a nested call (where the
    /// Rust stack holds state and pausing is impossible) execution continues on overdraft
    /// until `FUEL_OVERDRAFT` is spent, then fails.
    #[cold]
    fn out_of_fuel(&mut self) -> LuaResult<bool> {
        if self.trap_armed {
            if !self.on_fuel_trap()? {
                return Ok(false);
            }
            if let Some(outcome) = self.check_interrupt() {
                return outcome;
            }
            // Real fuel ran out while a hook is active.
            if self.native_depth == 0 {
                self.fuel_bank = 0;
                return Ok(true);
            }
            if self.fuel_bank <= -FUEL_OVERDRAFT {
                // The debt stays (see below).
                self.fuel_bank = -FUEL_OVERDRAFT;
                return Err(self.error_message("fuel exhausted inside a non-resumable call"));
            }
            return Ok(false);
        }
        if let Some(outcome) = self.check_interrupt() {
            return outcome;
        }
        if self.native_depth == 0 {
            self.fuel = 0;
            return Ok(true);
        }
        if self.fuel <= -FUEL_OVERDRAFT {
            // The debt stays until the next pause: a script that catches this error (pcall
            // in a sort comparator...) fails again at its next instruction instead of
            // getting a fresh overdraft each time. Pausing at the top level clears it.
            self.fuel = -FUEL_OVERDRAFT;
            return Err(self.error_message("fuel exhausted inside a non-resumable call"));
        }
        Ok(false)
    }

    pub(crate) fn closure_proto(
        &self,
        closure: ClosureId,
    ) -> LuaResult<std::rc::Rc<super::function::FunctionProto>> {
        self.heap
            .closures
            .get(closure.0)
            .map(|c| c.proto.clone())
            .ok_or_else(super::vm::corrupt_heap)
    }
}

/// The saved pc of the top frame (a Lua frame).
fn saved_pc(frames: &[super::thread::Frame]) -> LuaResult<usize> {
    match frames.last().map(|f| f.kind) {
        Some(FrameKind::Lua { pc, .. }) => Ok(pc as usize),
        _ => Err(LuaError::internal("no Lua frame")),
    }
}

/// The value of an immediate comparison operand, with the subtype of the source literal.
#[inline]
fn immediate(value: i16, is_float: bool) -> Value {
    if is_float {
        Value::Float(value as f64)
    } else {
        Value::Integer(value as i64)
    }
}
