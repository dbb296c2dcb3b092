//! `api`: a byte-driven sequence of embedding-API calls on handles.
//!
//! The input is read as a little program: each operation takes an opcode byte and operand
//! bytes. Handles live in one pool shared by up to four VMs (an original and its clones),
//! so handles are deliberately used with the wrong VM, after their VM was replaced by
//! `clone_from`, and after the objects they point at could have been collected. Every
//! misuse must end in a `RuntimeError`, never a panic.

use crate::{sandboxed_vm, FUEL};
use red_moon::interpreter::{MultiValue, Value, Vm};

const MAX_VMS: usize = 4;
const MAX_POOL: usize = 64;
const MAX_OPS: usize = 256;

/// Reads operands from the fuzzer's bytes; past the end every read yields 0.
struct Input<'a> {
    bytes: &'a [u8],
}

impl Input<'_> {
    fn byte(&mut self) -> u8 {
        match self.bytes.split_first() {
            Some((first, rest)) => {
                self.bytes = rest;
                *first
            }
            None => 0,
        }
    }

    fn slice(&mut self, max: usize) -> &[u8] {
        let len = (self.byte() as usize).min(max).min(self.bytes.len());
        let (head, tail) = self.bytes.split_at(len);
        self.bytes = tail;
        head
    }

    fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }
}

struct State {
    vms: Vec<Vm>,
    pool: Vec<Value>,
}

impl State {
    fn pick_vm(&mut self, input: &mut Input) -> usize {
        input.byte() as usize % self.vms.len()
    }

    fn pick(&self, input: &mut Input) -> Value {
        if self.pool.is_empty() {
            return Value::Nil;
        }
        self.pool[input.byte() as usize % self.pool.len()].clone()
    }

    fn keep(&mut self, value: Value) {
        if self.pool.len() < MAX_POOL {
            self.pool.push(value);
        }
    }
}

/// Runs the operations encoded in `data`.
pub fn run(data: &[u8]) {
    let mut input = Input { bytes: data };
    let mut state = State {
        vms: vec![sandboxed_vm()],
        pool: Vec::new(),
    };
    for _ in 0..MAX_OPS {
        if input.is_empty() {
            break;
        }
        step(&mut state, &mut input);
    }
}

fn step(state: &mut State, input: &mut Input) {
    let opcode = input.byte() % 20;
    let which = state.pick_vm(input);
    match opcode {
        0 => {
            if let Ok(t) = state.vms[which].context().create_table() {
                state.keep(Value::Table(t));
            }
        }
        1 => {
            let bytes = input.slice(64).to_vec();
            if let Ok(s) = state.vms[which].context().create_string(&bytes) {
                state.keep(Value::String(s));
            }
        }
        2 => {
            let n = i64::from(input.byte() as i8);
            let value = match input.byte() % 5 {
                0 => Value::Nil,
                1 => Value::Boolean(n > 0),
                2 => Value::Integer(n),
                3 => Value::Float(n as f64 / 3.0),
                _ => Value::Float(f64::NAN),
            };
            state.keep(value);
        }
        3..=6 => table_operation(state, input, which, opcode),
        7 => {
            let source = input.slice(200).to_vec();
            if let Ok(f) = state.vms[which].context().load(&source, "=api", None) {
                state.keep(Value::Function(f));
            }
        }
        8 => call(state, input, which),
        9 => {
            if state.vms.len() < MAX_VMS {
                let copy = state.vms[which].clone();
                state.vms.push(copy);
            }
        }
        10 => {
            let source = state.pick_vm(input);
            if source != which {
                let snapshot = state.vms[source].clone();
                state.vms[which].clone_from(&snapshot);
            }
        }
        11 => {
            let _ = state.vms[which]
                .context()
                .exec::<MultiValue>(b"collectgarbage()", "=gc");
        }
        12 => {
            let ctx = &mut state.vms[which].context();
            if ctx.is_paused() {
                ctx.add_fuel(FUEL);
                let _ = ctx.resume::<MultiValue>();
            }
        }
        13 => {
            if !state.pool.is_empty() {
                let index = input.byte() as usize % state.pool.len();
                state.pool.swap_remove(index);
            }
        }
        14 => {
            let f = state.vms[which].context().create_function(|call, ctx| {
                let args = call.args().clone();
                call.return_values(args, ctx)
            });
            state.keep(Value::Function(f));
        }
        15 => {
            let env = state.vms[which].context().default_environment();
            state.keep(Value::Table(env));
        }
        16 => evaluate(state, input, which),
        17 => {
            if let Value::Function(f) = state.pick(input) {
                let tag = format!("tag{}", input.byte() % 4);
                let _ = f.rehydrate(&tag, &mut state.vms[which].context());
            }
        }
        18 => {
            if let Value::String(s) = state.pick(input) {
                let _ = s.as_bytes(&mut state.vms[which].context());
            }
        }
        _ => {
            let fuel = i64::from(input.byte()) * 1000;
            state.vms[which].context().set_fuel(fuel);
        }
    }
}

fn table_operation(state: &mut State, input: &mut Input, which: usize, opcode: u8) {
    let Value::Table(table) = state.pick(input) else {
        return;
    };
    let key = state.pick(input);
    let value = state.pick(input);
    let ctx = &mut state.vms[which].context();
    let result = match opcode {
        3 => table.set(key, value, ctx),
        4 => table.raw_set(key, value, ctx),
        5 => match value {
            Value::Table(mt) => table.set_metatable(Some(&mt), ctx),
            _ => table.set_metatable(None, ctx),
        },
        _ => {
            let _ = table.raw_len(ctx);
            let _ = table.len(ctx);
            let _ = table.metatable(ctx);
            let _ = table.pairs(ctx);
            match table.get::<_, Value>(key, ctx) {
                Ok(found) => {
                    state.keep(found);
                    Ok(())
                }
                Err(error) => Err(error),
            }
        }
    };
    let _ = result;
}

fn call(state: &mut State, input: &mut Input, which: usize) {
    let Value::Function(function) = state.pick(input) else {
        return;
    };
    let count = input.byte() % 4;
    let args: Vec<Value> = (0..count).map(|_| state.pick(input)).collect();
    let ctx = &mut state.vms[which].context();
    if let Ok(results) = function.call::<_, MultiValue>(MultiValue(args), ctx) {
        for value in results.0 {
            state.keep(value);
        }
    }
}

/// Runs one of a few fixed snippets that create objects the other operations cannot.
fn evaluate(state: &mut State, input: &mut Input, which: usize) {
    const SNIPPETS: [&[u8]; 6] = [
        b"return coroutine.create(function(...) coroutine.yield(...) return ... end)",
        b"return setmetatable({}, {__index = function(t, k) return k end, __gc = function() end})",
        b"return function(...) return select('#', ...), ... end",
        b"return setmetatable({}, {__mode = 'k'})",
        b"local t = {} for i = 1, 100 do t[i] = {i} end return t",
        b"while true do end",
    ];
    let snippet = SNIPPETS[input.byte() as usize % SNIPPETS.len()];
    let ctx = &mut state.vms[which].context();
    if let Ok(results) = ctx.exec::<MultiValue>(snippet, "=snippet") {
        for value in results.0 {
            state.keep(value);
        }
    }
}
