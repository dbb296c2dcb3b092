//! The debug library (manual §6.10). Opt-in: it can break any invariant a script relies
//! on (read locals, replace upvalues, change metatables of every type), so only trusted
//! hosts (like the CLI) install it.

use super::library;
use crate::interpreter::heap::ThreadId;
use crate::interpreter::hooks::{Hook, HOOK_CALL, HOOK_COUNT, HOOK_LINE, HOOK_RETURN};
use crate::interpreter::native::{Args, Builtin, Outcome};
use crate::interpreter::thread::{Frame, FrameKind, ThreadState};
use crate::interpreter::value::Value;
use crate::interpreter::{LuaResult, Vm};

pub(crate) static FUNCTIONS: &[Builtin] = library!("debug",
    "debug" => debug,
    "gethook" => gethook,
    "getinfo" => getinfo,
    "getlocal" => getlocal,
    "getmetatable" => getmetatable,
    "getregistry" => getregistry,
    "getupvalue" => getupvalue,
    "getuservalue" => getuservalue,
    "sethook" => sethook,
    "setlocal" => setlocal,
    "setmetatable" => setmetatable,
    "setupvalue" => setupvalue,
    "setuservalue" => setuservalue,
    "setcstacklimit" => setcstacklimit,
    "traceback" => traceback,
    "upvalueid" => upvalueid,
    "upvaluejoin" => upvaluejoin,
);

impl Vm {
    pub(crate) fn open_debug(&mut self) -> LuaResult<()> {
        let table = self.new_table(0, 20)?;
        self.register_functions(table, FUNCTIONS)?;
        self.register_library("debug", table)
    }

    /// The state of `thread` (the running one is not in its heap slot).
    fn thread_state(&self, thread: ThreadId) -> Option<&ThreadState> {
        if thread == self.current_thread {
            Some(&self.thread)
        } else {
            self.heap.threads.get(thread.0).map(|t| &*t.state)
        }
    }

    fn thread_state_mut(&mut self, thread: ThreadId) -> Option<&mut ThreadState> {
        if thread == self.current_thread {
            Some(&mut self.thread)
        } else {
            self.heap.threads.get_mut(thread.0).map(|t| &mut *t.state)
        }
    }
}

/// The optional thread first argument of most debug functions: `(thread, offset)` where
/// `offset` is 1 when a thread was given.
fn thread_arg(vm: &Vm, args: Args) -> (ThreadId, usize) {
    match vm.arg(args, 1) {
        Value::Thread(t) => (t, 1),
        _ => (vm.current_thread, 0),
    }
}

/// Index into `frames` of stack level `level` (0 = the top frame).
fn frame_at_level(state: &ThreadState, level: i64) -> Option<usize> {
    let len = state.frames.len() as i64;
    (level >= 0 && level < len).then(|| (len - 1 - level) as usize)
}

/// Description of a function (the `S`, `u` parts of `getinfo`).
struct FunctionInfo {
    source: Vec<u8>,
    short_src: Vec<u8>,
    line_defined: i64,
    last_line_defined: i64,
    what: &'static str,
    upvalues: i64,
    params: i64,
    is_vararg: bool,
    lines: Vec<u32>,
}

impl Vm {
    fn function_info(&self, function: Value) -> FunctionInfo {
        match function {
            Value::Closure(id) => {
                let Some(closure) = self.heap.closures.get(id.0) else {
                    return c_function_info(0);
                };
                let proto = &closure.proto.proto;
                let mut lines: Vec<u32> = proto
                    .line_info
                    .iter()
                    .enumerate()
                    .filter(|&(pc, _)| !(proto.is_vararg && pc == 0))
                    .map(|(_, &line)| line)
                    .collect();
                lines.sort_unstable();
                lines.dedup();
                FunctionInfo {
                    source: proto.source.to_vec(),
                    short_src: crate::bytecode::chunk_id(&proto.source),
                    line_defined: proto.line_defined as i64,
                    last_line_defined: proto.last_line_defined as i64,
                    what: if proto.line_defined == 0 {
                        "main"
                    } else {
                        "Lua"
                    },
                    upvalues: closure.upvalues.len() as i64,
                    params: proto.param_count as i64,
                    is_vararg: proto.is_vararg,
                    lines,
                }
            }
            Value::Native(id) => {
                c_function_info(self.heap.natives.get(id.0).map_or(0, |n| n.upvalues.len()))
            }
            _ => c_function_info(0),
        }
    }
}

fn c_function_info(upvalues: usize) -> FunctionInfo {
    FunctionInfo {
        source: b"=[C]".to_vec(),
        short_src: b"[C]".to_vec(),
        line_defined: -1,
        last_line_defined: -1,
        what: "C",
        upvalues: upvalues as i64,
        params: 0,
        is_vararg: true,
        lines: Vec::new(),
    }
}

fn getinfo(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let (thread, offset) = thread_arg(vm, args);
    let options = match vm.opt_string(args, offset + 2)? {
        Some(o) => o.to_vec(),
        None => b"flnSrtu".to_vec(),
    };
    if options.first() == Some(&b'>') {
        return Err(vm.arg_error(args, offset + 2, "invalid option '>'"));
    }
    if options.iter().any(|c| !b"SlnrutLf".contains(c)) {
        return Err(vm.arg_error(args, offset + 2, "invalid option"));
    }
    let target = vm.arg(args, offset + 1);
    let (function, frame): (Value, Option<Frame>) = if target.is_function() {
        (target, None)
    } else {
        let level = vm.check_integer(args, offset + 1)?;
        let Some(state) = vm.thread_state(thread) else {
            return vm.return1(Value::Nil);
        };
        let Some(index) = frame_at_level(state, level) else {
            return vm.return1(Value::Nil);
        };
        let frame = state.frames[index];
        let function = state
            .stack
            .get(frame.func as usize)
            .copied()
            .unwrap_or(Value::Nil);
        (function, Some(frame))
    };
    let info = vm.function_info(function);
    let result = vm.new_table(0, 16)?;
    let has = |c: u8| options.contains(&c);
    if has(b'S') {
        let source = vm.new_string(&info.source)?;
        vm.raw_set_str(result, "source", source)?;
        let short = vm.new_string(&info.short_src)?;
        vm.raw_set_str(result, "short_src", short)?;
        vm.raw_set_str(result, "linedefined", Value::Integer(info.line_defined))?;
        vm.raw_set_str(
            result,
            "lastlinedefined",
            Value::Integer(info.last_line_defined),
        )?;
        let what = vm.new_string(info.what.as_bytes())?;
        vm.raw_set_str(result, "what", what)?;
    }
    if has(b'l') {
        let line = match frame.map(|f| f.kind) {
            Some(FrameKind::Lua { closure, pc }) => vm
                .heap
                .closures
                .get(closure.0)
                .map_or(-1, |c| c.proto.line_at((pc as usize).saturating_sub(1))),
            _ => -1,
        };
        vm.raw_set_str(result, "currentline", Value::Integer(line))?;
    }
    if has(b'u') {
        vm.raw_set_str(result, "nups", Value::Integer(info.upvalues))?;
        vm.raw_set_str(result, "nparams", Value::Integer(info.params))?;
        vm.raw_set_str(result, "isvararg", Value::Boolean(info.is_vararg))?;
    }
    if has(b'n') {
        let named = match (frame, vm.thread_state(thread)) {
            (Some(frame), Some(_)) if !frame.tail_call => frame_name(vm, thread, frame),
            _ => None,
        };
        match named {
            Some((kind, name)) => {
                let name = vm.new_string(&name)?;
                vm.raw_set_str(result, "name", name)?;
                let kind = vm.new_string(kind.as_bytes())?;
                vm.raw_set_str(result, "namewhat", kind)?;
            }
            None => {
                let empty = vm.new_string(b"")?;
                vm.raw_set_str(result, "namewhat", empty)?;
            }
        }
    }
    if has(b'r') {
        let (first, count) = vm.hook_transfer;
        vm.raw_set_str(result, "ftransfer", Value::Integer(first))?;
        vm.raw_set_str(result, "ntransfer", Value::Integer(count))?;
    }
    if has(b't') {
        let tail = frame.is_some_and(|f| f.tail_call);
        vm.raw_set_str(result, "istailcall", Value::Boolean(tail))?;
    }
    if has(b'L') && matches!(function, Value::Closure(_)) {
        let lines = vm.new_table(0, info.lines.len())?;
        for line in info.lines {
            vm.raw_set(lines, Value::Integer(line as i64), Value::Boolean(true))?;
        }
        vm.raw_set_str(result, "activelines", Value::Table(lines))?;
    }
    if has(b'f') {
        vm.raw_set_str(result, "func", function)?;
    }
    vm.return1(Value::Table(result))
}

/// `namewhat` and `name` of a frame: how its caller called it.
fn frame_name(vm: &Vm, thread: ThreadId, frame: Frame) -> Option<(&'static str, Vec<u8>)> {
    let state = vm.thread_state(thread)?;
    let index = state
        .frames
        .iter()
        .position(|f| f.func == frame.func && f.base == frame.base)?;
    vm.name_from_caller(state, index)
        .map(|(kind, name)| (kind.word(), name))
}

/// Name and stack slot of local `n` of a frame (PUC's `luaG_findlocal`).
fn find_local(vm: &Vm, state: &ThreadState, index: usize, n: i64) -> Option<(Vec<u8>, usize)> {
    let frame = state.frames.get(index)?;
    let limit = match state.frames.get(index + 1) {
        Some(next) => next.func as usize,
        None => state.top,
    };
    match frame.kind {
        FrameKind::Lua { closure, pc } => {
            let proto = &vm.heap.closures.get(closure.0)?.proto;
            if n < 0 {
                let extra = frame.varargs as i64;
                if proto.proto.is_vararg && n >= -extra {
                    let slot = frame.base as i64 - extra + (-n - 1);
                    return Some((b"(vararg)".to_vec(), slot as usize));
                }
                return None;
            }
            let pc = (pc as usize).saturating_sub(1) as u32;
            let mut active = 0;
            for local in &proto.proto.locals {
                if local.start_pc <= pc && pc < local.end_pc {
                    active += 1;
                    if active == n {
                        return Some((
                            local.name.to_vec(),
                            frame.base as usize + local.register as usize,
                        ));
                    }
                }
            }
            let base = frame.base as usize;
            (n > 0 && limit.saturating_sub(base) as i64 >= n)
                .then(|| (b"(temporary)".to_vec(), base + n as usize - 1))
        }
        FrameKind::Native { .. } => {
            let base = frame.base as usize;
            (n > 0 && limit.saturating_sub(base) as i64 >= n)
                .then(|| (b"(C temporary)".to_vec(), base + n as usize - 1))
        }
    }
}

fn getlocal(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let (thread, offset) = thread_arg(vm, args);
    let n = vm.check_integer(args, offset + 2)?;
    let target = vm.arg(args, offset + 1);
    if target.is_function() {
        // Parameter names of a function (no values).
        let name = match target {
            Value::Closure(id) => vm.heap.closures.get(id.0).and_then(|c| {
                let proto = &c.proto.proto;
                proto
                    .locals
                    .iter()
                    .filter(|l| l.start_pc == 0)
                    .nth((n - 1).max(0) as usize)
                    .filter(|_| n >= 1 && n <= proto.param_count as i64)
                    .map(|l| l.name.to_vec())
            }),
            _ => None,
        };
        return match name {
            Some(name) => vm.return_string(&name),
            None => vm.return1(Value::Nil),
        };
    }
    let level = vm.check_integer(args, offset + 1)?;
    let Some(state) = vm.thread_state(thread) else {
        return Err(vm.arg_error(args, offset + 1, "level out of range"));
    };
    let Some(index) = frame_at_level(state, level) else {
        return Err(vm.arg_error(args, offset + 1, "level out of range"));
    };
    match find_local(vm, state, index, n) {
        Some((name, slot)) => {
            let value = state.stack.get(slot).copied().unwrap_or(Value::Nil);
            let name = vm.new_string(&name)?;
            vm.return_values(&[name, value])
        }
        None => vm.return1(Value::Nil),
    }
}

fn setlocal(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let (thread, offset) = thread_arg(vm, args);
    let level = vm.check_integer(args, offset + 1)?;
    let n = vm.check_integer(args, offset + 2)?;
    let value = vm.check_any(args, offset + 3)?;
    let Some(state) = vm.thread_state(thread) else {
        return Err(vm.arg_error(args, offset + 1, "level out of range"));
    };
    let Some(index) = frame_at_level(state, level) else {
        return Err(vm.arg_error(args, offset + 1, "level out of range"));
    };
    match find_local(vm, state, index, n) {
        Some((name, slot)) => {
            if let Some(state) = vm.thread_state_mut(thread) {
                if let Some(s) = state.stack.get_mut(slot) {
                    *s = value;
                }
            }
            vm.return_string(&name)
        }
        None => vm.return1(Value::Nil),
    }
}

/// Name and cell of upvalue `n` (1-based) of a function.
enum UpvalueRef {
    Lua(crate::interpreter::heap::UpvalueId, Vec<u8>),
    Native(crate::interpreter::heap::NativeId, usize),
}

fn upvalue_ref(vm: &Vm, function: Value, n: i64) -> Option<UpvalueRef> {
    if n < 1 {
        return None;
    }
    let i = (n - 1) as usize;
    match function {
        Value::Closure(id) => {
            let closure = vm.heap.closures.get(id.0)?;
            let cell = *closure.upvalues.get(i)?;
            let name = closure.proto.proto.upvalues.get(i).map_or_else(
                || b"?".to_vec(),
                |u| {
                    // Names are dropped by stripped binary chunks (PUC's wording).
                    if u.name.is_empty() {
                        b"(no name)".to_vec()
                    } else {
                        u.name.to_vec()
                    }
                },
            );
            Some(UpvalueRef::Lua(cell, name))
        }
        Value::Native(id) => {
            let native = vm.heap.natives.get(id.0)?;
            (i < native.upvalues.len()).then_some(UpvalueRef::Native(id, i))
        }
        _ => None,
    }
}

fn check_function(vm: &mut Vm, args: Args, n: usize) -> LuaResult<Value> {
    let value = vm.arg(args, n);
    if !value.is_function() {
        return Err(vm.type_error(args, n, "function"));
    }
    Ok(value)
}

fn getupvalue(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let n = vm.check_integer(args, 2)?;
    let function = check_function(vm, args, 1)?;
    match upvalue_ref(vm, function, n) {
        Some(UpvalueRef::Lua(cell, name)) => {
            let value = vm.read_upvalue(cell)?;
            let name = vm.new_string(&name)?;
            vm.return_values(&[name, value])
        }
        Some(UpvalueRef::Native(native, i)) => {
            let value = vm.native_upvalue(native, i);
            let name = vm.new_string(b"")?;
            vm.return_values(&[name, value])
        }
        None => Ok(Outcome::Return(0)),
    }
}

fn setupvalue(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let value = vm.check_any(args, 3)?;
    let n = vm.check_integer(args, 2)?;
    let function = check_function(vm, args, 1)?;
    match upvalue_ref(vm, function, n) {
        Some(UpvalueRef::Lua(cell, name)) => {
            vm.write_upvalue(cell, value)?;
            vm.return_string(&name)
        }
        Some(UpvalueRef::Native(native, i)) => {
            if let Some(slot) = vm
                .heap
                .natives
                .get_mut(native.0)
                .and_then(|n| n.upvalues.get_mut(i))
            {
                *slot = value;
            }
            vm.write_barrier_native(native, value);
            vm.return_string(b"")
        }
        None => Ok(Outcome::Return(0)),
    }
}

fn upvalueid(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let n = vm.check_integer(args, 2)?;
    let function = check_function(vm, args, 1)?;
    let id = match upvalue_ref(vm, function, n) {
        Some(UpvalueRef::Lua(cell, _)) => 0x7000_0000_0000 | ((cell.0 as u64) << 4),
        Some(UpvalueRef::Native(native, i)) => {
            0x7100_0000_0000 | ((native.0 as u64) << 8) | i as u64
        }
        None => return vm.return1(Value::Nil),
    };
    // Light userdata do not exist in Red Moon: the identity is an integer, unique per cell.
    vm.return1(Value::Integer(id as i64))
}

fn upvaluejoin(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let n1 = vm.check_integer(args, 2)?;
    let f1 = check_function(vm, args, 1)?;
    let n2 = vm.check_integer(args, 4)?;
    let f2 = check_function(vm, args, 3)?;
    let (Value::Closure(c1), Value::Closure(_)) = (f1, f2) else {
        let which = if matches!(f1, Value::Closure(_)) {
            3
        } else {
            1
        };
        return Err(vm.arg_error(args, which, "Lua function expected"));
    };
    let Some(UpvalueRef::Lua(_, _)) = upvalue_ref(vm, f1, n1) else {
        return Err(vm.arg_error(args, 2, "invalid upvalue index"));
    };
    let Some(UpvalueRef::Lua(target, _)) = upvalue_ref(vm, f2, n2) else {
        return Err(vm.arg_error(args, 4, "invalid upvalue index"));
    };
    if let Some(closure) = vm.heap.closures.get_mut(c1.0) {
        // The list may be shared with a snapshot: replace it rather than write through it.
        let mut upvalues = closure.upvalues.to_vec();
        if let Some(slot) = upvalues.get_mut((n1 - 1) as usize) {
            *slot = target;
        }
        closure.upvalues = upvalues.into();
    }
    Ok(Outcome::Return(0))
}

fn getmetatable(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let value = vm.check_any(args, 1)?;
    let result = vm.metatable(value).map_or(Value::Nil, Value::Table);
    vm.return1(result)
}

fn setmetatable(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let value = vm.arg(args, 1);
    let metatable = match vm.arg(args, 2) {
        Value::Nil => None,
        Value::Table(t) => Some(t),
        _ => return Err(vm.type_error(args, 2, "nil or table")),
    };
    match value {
        Value::Table(t) => vm.set_table_metatable(t, metatable)?,
        Value::UserData(u) => {
            if let Some(data) = vm.heap.userdata.get_mut(u.0) {
                data.metatable = metatable;
            }
            vm.after_setmetatable(value, metatable)?;
        }
        other => vm.set_type_metatable(other.lua_type(), metatable),
    }
    vm.return1(value)
}

fn getregistry(vm: &mut Vm, _args: Args) -> LuaResult<Outcome> {
    let registry = vm.registry;
    vm.return1(Value::Table(registry))
}

fn getuservalue(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let n = vm.opt_integer(args, 2, 1)?;
    let Value::UserData(u) = vm.arg(args, 1) else {
        return vm.return1(Value::Nil);
    };
    let value = vm.heap.userdata.get(u.0).and_then(|d| {
        usize::try_from(n - 1)
            .ok()
            .and_then(|i| d.user_values.get(i).copied())
    });
    match value {
        Some(value) => vm.return_values(&[value, Value::Boolean(true)]),
        None => vm.return_values(&[Value::Nil, Value::Boolean(false)]),
    }
}

fn setuservalue(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let Value::UserData(u) = vm.arg(args, 1) else {
        return Err(vm.type_error(args, 1, "userdata"));
    };
    let value = vm.check_any(args, 2)?;
    let n = vm.opt_integer(args, 3, 1)?;
    let stored = vm.heap.userdata.get_mut(u.0).is_some_and(|d| {
        match usize::try_from(n - 1)
            .ok()
            .and_then(|i| d.user_values.get_mut(i))
        {
            Some(slot) => {
                *slot = value;
                true
            }
            None => false,
        }
    });
    if !stored {
        return vm.return1(Value::Nil);
    }
    vm.write_barrier_userdata(u, value);
    vm.return1(Value::UserData(u))
}

fn sethook(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let (thread, offset) = thread_arg(vm, args);
    let function = vm.arg(args, offset + 1);
    let hook = if function.is_nil() {
        None
    } else {
        let mask_text = vm.check_string(args, offset + 2)?;
        if !function.is_function() {
            return Err(vm.type_error(args, offset + 1, "function"));
        }
        let count = vm
            .opt_integer(args, offset + 3, 0)?
            .clamp(0, u32::MAX as i64) as u32;
        let mut mask = 0;
        for &c in mask_text.iter() {
            mask |= match c {
                b'c' => HOOK_CALL,
                b'r' => HOOK_RETURN,
                b'l' => HOOK_LINE,
                _ => 0,
            };
        }
        if count > 0 {
            mask |= HOOK_COUNT;
        }
        (mask != 0).then_some(Hook {
            function,
            mask,
            count,
            counter: count,
            old_pc: 0,
            running: false,
        })
    };
    let function = hook.as_ref().map_or(Value::Nil, |h| h.function);
    if let Some(state) = vm.thread_state_mut(thread) {
        // Set from inside a hook: no events until that hook returns.
        let running = state.hook.as_ref().is_some_and(|h| h.running);
        state.hook = hook.map(|h| Hook { running, ..h });
    }
    vm.rearm_hook_trap();
    // PUC keeps hooks in a registry table with weak keys (threads); scripts can see it.
    let table = vm.hook_table()?;
    vm.raw_set(table, Value::Thread(thread), function)?;
    Ok(Outcome::Return(0))
}

impl Vm {
    /// `registry._HOOKKEY`, created on first use (a table that is its own metatable, with
    /// `__mode = "k"`).
    fn hook_table(&mut self) -> LuaResult<crate::interpreter::heap::TableId> {
        let registry = self.registry;
        if let Value::Table(t) = self.raw_get_str(registry, "_HOOKKEY")? {
            return Ok(t);
        }
        let table = self.new_table(0, 2)?;
        let mode = self.new_string(b"k")?;
        self.raw_set_str(table, "__mode", mode)?;
        self.set_table_metatable(table, Some(table))?;
        self.raw_set_str(registry, "_HOOKKEY", Value::Table(table))?;
        Ok(table)
    }
}

fn gethook(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let (thread, _) = thread_arg(vm, args);
    let Some(hook) = vm.thread_state(thread).and_then(|s| s.hook.clone()) else {
        return vm.return1(Value::Nil);
    };
    let mut mask = String::new();
    for (bit, c) in [(HOOK_CALL, 'c'), (HOOK_RETURN, 'r'), (HOOK_LINE, 'l')] {
        if hook.mask & bit != 0 {
            mask.push(c);
        }
    }
    let mask = vm.new_string(mask.as_bytes())?;
    vm.return_values(&[hook.function, mask, Value::Integer(hook.count as i64)])
}

fn traceback(vm: &mut Vm, args: Args) -> LuaResult<Outcome> {
    let (thread, offset) = thread_arg(vm, args);
    let message = vm.arg(args, offset + 1);
    let text = match message {
        Value::String(s) => Some(vm.string_bytes(s).to_vec()),
        Value::Integer(_) | Value::Float(_) => {
            let Value::String(s) = vm.number_to_string(message)? else {
                return vm.return1(message);
            };
            Some(vm.string_bytes(s).to_vec())
        }
        Value::Nil => None,
        _ => return vm.return1(message),
    };
    let default_level = if thread == vm.current_thread { 1 } else { 0 };
    let level = vm.opt_integer(args, offset + 2, default_level)?.max(0) as usize;
    let trace = if thread == vm.current_thread {
        vm.traceback(text.as_deref(), level)
    } else {
        vm.thread_traceback(thread, text.as_deref(), level)
    };
    vm.return_string(&trace)
}

/// `debug.setcstacklimit`: deprecated in 5.4 and without effect; like PUC 5.4.4, it
/// reports the fixed limit of nested C calls (200).
fn setcstacklimit(vm: &mut Vm, _args: Args) -> LuaResult<Outcome> {
    vm.return1(Value::Integer(200))
}

/// `debug.debug()`: reads lines from standard input and runs them until "cont".
fn debug(vm: &mut Vm, _args: Args) -> LuaResult<Outcome> {
    use std::io::BufRead;
    let stdin = std::io::stdin();
    loop {
        vm.write_error_output(b"lua_debug> ");
        let mut line = String::new();
        if stdin.lock().read_line(&mut line).unwrap_or(0) == 0 || line.trim_end() == "cont" {
            return Ok(Outcome::Return(0));
        }
        let loaded = vm.load_source(line.as_bytes(), b"=(debug command)", None)?;
        let result = match loaded {
            Ok(function) => vm.call_value(function, &[]).map(|_| ()),
            Err(message) => {
                vm.write_error_output(&message);
                vm.write_error_output(b"\n");
                Ok(())
            }
        };
        if let Err(error) = result {
            let value = vm.error_value(error);
            let text = vm.error_text(value);
            vm.write_error_output(text.as_bytes());
            vm.write_error_output(b"\n");
        }
    }
}
