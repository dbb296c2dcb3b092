//! Scopes seen by the parser: the functions being parsed, their blocks, active local
//! variables, upvalues, labels and pending gotos.
//!
//! This follows the rules of PUC's `lparser.c` (what a name refers to, when a goto needs to
//! close variables, which errors arise and when), but keeps no code: the parser records the
//! outcome in the syntax tree.

use super::super::ast::{GotoId, LabelId, LocalDeclaration, Upvalue};
use super::super::token::LuaString;
use crate::bytecode::Constant;
use std::collections::BTreeMap;

/// Most local variables a function may have active at once.
pub const MAX_LOCALS: usize = 200;
/// Most upvalues a function may have.
pub const MAX_UPVALUES: usize = 255;
/// Most local variables (counting every declaration) a function may have, and most labels and
/// pending gotos at once (PUC's `SHRT_MAX` array limits).
pub const MAX_DEBUG_ENTRIES: usize = 32767;
/// Most functions nested directly in one function (PUC's `MAXARG_Bx`).
pub const MAX_FUNCTIONS: usize = (1 << 17) - 1;

/// What kind of variable a local is (its attribute).
#[derive(Clone, Debug, PartialEq)]
pub enum LocalKind {
    Regular,
    /// `<const>` kept in a register.
    Constant,
    /// `<close>`
    ToBeClosed,
    /// `<const>` whose value is known at compile time: it has no register.
    CompileTimeConstant(Constant),
}

impl LocalKind {
    fn is_read_only(&self) -> bool {
        !matches!(self, LocalKind::Regular)
    }
}

/// A declared local variable.
struct LocalVariable {
    name: LuaString,
    kind: LocalKind,
    /// Set when the variable enters scope (never for compile-time constants).
    register: Option<u8>,
}

/// An upvalue of a function being parsed.
struct UpvalueEntry {
    descriptor: Upvalue,
    read_only: bool,
}

/// A block being parsed (PUC's `BlockCnt`).
pub struct BlockScope {
    /// Active locals of the function when the block was entered.
    active_on_entry: usize,
    first_label: usize,
    first_goto: usize,
    /// Some local of the block is captured or to be closed.
    needs_close: bool,
    is_loop: bool,
    inside_to_be_closed: bool,
}

/// A function being parsed (the scope part of PUC's `FuncState`).
struct FunctionScope {
    /// Index in `Scopes::locals` of the function's first local.
    first_local: usize,
    /// Index in `Scopes::labels` of the function's first label.
    first_label: usize,
    /// Number of locals in scope (PUC's `nactvar`).
    active: usize,
    blocks: Vec<BlockScope>,
    upvalues: Vec<UpvalueEntry>,
    line_defined: u32,
    is_vararg: bool,
    needs_close: bool,
    goto_targets: Vec<LabelId>,
    label_count: u32,
    /// Local variables declared so far (each gets a debug entry).
    local_entries: usize,
    /// Functions defined directly in this one so far.
    child_count: usize,
}

/// A visible label.
struct ActiveLabel {
    name: LuaString,
    id: LabelId,
    line: u32,
    /// Locals in scope at the label.
    active: usize,
}

/// A goto (or break) waiting for its label.
struct PendingGoto {
    /// `None` for `break`.
    name: Option<LuaString>,
    id: GotoId,
    line: u32,
    /// Locals in scope at the goto (lowered as it leaves blocks).
    active: usize,
    /// Whether reaching the label leaves the scope of a captured variable.
    needs_close: bool,
}

/// What a name refers to.
pub enum Resolution {
    Local {
        register: u8,
        read_only: bool,
    },
    Upvalue {
        index: u8,
        read_only: bool,
    },
    Constant(Constant),
    /// A free name: a field of `_ENV`.
    Global,
}

/// A semantic problem; the parser turns it into a message at the current position.
pub enum ScopeError {
    /// `too many <what> (limit is N) in <function>`, with `near` the current token.
    Limit(String),
    /// A message without `near`.
    Semantic(String),
    /// A message without position (PUC raises these as memory errors).
    Plain(String),
}

/// What leaving a block decided.
pub struct BlockExit {
    pub needs_close: bool,
    /// For a loop: the label breaks jump to and whether it must close variables.
    pub loop_exit: Option<(LabelId, bool)>,
}

/// What closing a function produced.
pub struct FunctionScopeResult {
    pub upvalues: Vec<Upvalue>,
    pub needs_close: bool,
    pub goto_targets: Vec<LabelId>,
    pub label_count: u32,
}

/// All scopes of the functions being parsed (the innermost last).
#[derive(Default)]
pub struct Scopes {
    functions: Vec<FunctionScope>,
    locals: Vec<LocalVariable>,
    labels: Vec<ActiveLabel>,
    /// For each label name, the indices in `labels` of the visible labels with that name (so
    /// that many labels do not make lookups quadratic).
    labels_by_name: BTreeMap<LuaString, Vec<usize>>,
    gotos: Vec<PendingGoto>,
}

impl Scopes {
    fn function(&self) -> &FunctionScope {
        self.functions
            .last()
            .expect("a function is always open while parsing")
    }

    fn function_mut(&mut self) -> &mut FunctionScope {
        self.functions
            .last_mut()
            .expect("a function is always open while parsing")
    }

    fn block_mut(&mut self) -> &mut BlockScope {
        self.function_mut()
            .blocks
            .last_mut()
            .expect("a function always has a block")
    }

    /// Starts a function (and its outermost block).
    pub fn open_function(&mut self, line_defined: u32) -> Result<(), ScopeError> {
        if let Some(parent) = self.functions.last_mut() {
            if parent.child_count >= MAX_FUNCTIONS {
                return Err(too_many("functions", MAX_FUNCTIONS));
            }
            parent.child_count += 1;
        }
        self.functions.push(FunctionScope {
            first_local: self.locals.len(),
            first_label: self.labels.len(),
            active: 0,
            blocks: Vec::new(),
            upvalues: Vec::new(),
            line_defined,
            is_vararg: false,
            needs_close: false,
            goto_targets: Vec::new(),
            label_count: 0,
            local_entries: 0,
            child_count: 0,
        });
        self.enter_block(false);
        Ok(())
    }

    /// Records whether the innermost function takes `...`.
    pub fn set_vararg(&mut self, is_vararg: bool) {
        self.function_mut().is_vararg = is_vararg;
    }

    pub fn is_vararg(&self) -> bool {
        self.function().is_vararg
    }

    /// Gives the main chunk its `_ENV` upvalue.
    pub fn add_environment_upvalue(&mut self) {
        self.function_mut().upvalues.push(UpvalueEntry {
            descriptor: Upvalue {
                name: LuaString::from(&b"_ENV"[..]),
                in_stack: true,
                index: 0,
            },
            read_only: false,
        });
    }

    /// Ends the innermost function; fails if a goto has no visible label.
    pub fn close_function(&mut self) -> Result<FunctionScopeResult, ScopeError> {
        self.leave_block()?;
        let function = self.functions.pop().expect("closing an open function");
        Ok(FunctionScopeResult {
            upvalues: function
                .upvalues
                .into_iter()
                .map(|entry| entry.descriptor)
                .collect(),
            needs_close: function.needs_close,
            goto_targets: function.goto_targets,
            label_count: function.label_count,
        })
    }

    /// `too many <what> (limit is N) in <main function | function at line N>` about the
    /// function at `level`.
    fn limit_error(&self, level: usize, what: &str, limit: usize) -> ScopeError {
        let place = match self.functions[level].line_defined {
            0 => "main function".to_string(),
            line => format!("function at line {line}"),
        };
        ScopeError::Limit(format!("too many {what} (limit is {limit}) in {place}"))
    }

    pub fn enter_block(&mut self, is_loop: bool) {
        let function = self.function_mut();
        let inside_to_be_closed = function
            .blocks
            .last()
            .is_some_and(|block| block.inside_to_be_closed);
        let block = BlockScope {
            active_on_entry: function.active,
            first_label: self.labels.len(),
            first_goto: self.gotos.len(),
            needs_close: false,
            is_loop,
            inside_to_be_closed,
        };
        self.function_mut().blocks.push(block);
    }

    /// Ends the innermost block: places a loop's exit label, moves its pending gotos out (or
    /// reports the first one if it was the function's outermost block).
    pub fn leave_block(&mut self) -> Result<BlockExit, ScopeError> {
        let (active_on_entry, is_loop, needs_close, first_goto, first_label, is_outermost) = {
            let function = self.function();
            let block = function.blocks.last().expect("leaving an open block");
            (
                block.active_on_entry,
                block.is_loop,
                block.needs_close,
                block.first_goto,
                block.first_label,
                function.blocks.len() == 1,
            )
        };
        let loop_exit = if is_loop {
            if self.labels.len() >= MAX_DEBUG_ENTRIES {
                return Err(too_many("labels/gotos", MAX_DEBUG_ENTRIES));
            }
            let id = self.new_label_id();
            let close = self.solve_gotos(None, id, active_on_entry)?;
            Some((id, close))
        } else {
            None
        };
        if is_outermost {
            if let Some(goto) = self.gotos.get(first_goto) {
                return Err(ScopeError::Semantic(undefined_goto_message(goto)));
            }
        } else {
            let level_outside = self.register_level(active_on_entry);
            for index in first_goto..self.gotos.len() {
                let goto_level = self.register_level(self.gotos[index].active);
                let goto = &mut self.gotos[index];
                if goto_level > level_outside {
                    goto.needs_close |= needs_close;
                }
                goto.active = active_on_entry;
            }
        }
        let function = self.function_mut();
        function.active = active_on_entry;
        let first_local = function.first_local;
        function.blocks.pop();
        self.locals.truncate(first_local + active_on_entry);
        self.truncate_labels(first_label);
        Ok(BlockExit {
            needs_close,
            loop_exit,
        })
    }

    /// Whether the innermost block is in the scope of a to-be-closed variable.
    pub fn inside_to_be_closed(&self) -> bool {
        self.function()
            .blocks
            .last()
            .is_some_and(|block| block.inside_to_be_closed)
    }

    /// Declares a local variable (not yet in scope); returns its index among the function's.
    pub fn declare_local(&mut self, name: LuaString) -> Result<usize, ScopeError> {
        let function = self.function();
        let index = self.locals.len() - function.first_local;
        if index + 1 > MAX_LOCALS {
            return Err(self.limit_error(self.functions.len() - 1, "local variables", MAX_LOCALS));
        }
        self.locals.push(LocalVariable {
            name,
            kind: LocalKind::Regular,
            register: None,
        });
        Ok(index)
    }

    pub fn set_local_kind(&mut self, index: usize, kind: LocalKind) {
        let first = self.function().first_local;
        if let Some(local) = self.locals.get_mut(first + index) {
            local.kind = kind;
        }
    }

    /// Number of locals of the function in scope.
    pub fn active_count(&self) -> usize {
        self.function().active
    }

    /// Brings the next `count` declared locals into scope, giving them consecutive registers.
    pub fn activate_locals(&mut self, count: usize) -> Result<Vec<LocalDeclaration>, ScopeError> {
        let function = self.function_mut();
        if function.local_entries + count > MAX_DEBUG_ENTRIES {
            return Err(too_many("local variables", MAX_DEBUG_ENTRIES));
        }
        function.local_entries += count;
        let first_register = self.current_register_level();
        let mut declarations = Vec::with_capacity(count);
        for offset in 0..count {
            let function = self.function();
            let index = function.first_local + function.active;
            let register = (first_register + offset) as u8;
            if let Some(local) = self.locals.get_mut(index) {
                local.register = Some(register);
                declarations.push(LocalDeclaration {
                    name: local.name.clone(),
                    register,
                });
            }
            self.function_mut().active += 1;
        }
        Ok(declarations)
    }

    /// Brings the next declared local into scope as a compile-time constant (no register).
    pub fn activate_compile_time_constant(&mut self, value: Constant) {
        let function = self.function();
        let index = function.first_local + function.active;
        if let Some(local) = self.locals.get_mut(index) {
            local.kind = LocalKind::CompileTimeConstant(value);
        }
        self.function_mut().active += 1;
    }

    /// Registers used by the locals in scope (PUC's `luaY_nvarstack`).
    pub fn current_register_level(&self) -> usize {
        self.register_level(self.function().active)
    }

    /// Registers used by the first `active` locals of the function (PUC's `reglevel`).
    fn register_level(&self, active: usize) -> usize {
        let first = self.function().first_local;
        self.locals[first..first + active]
            .iter()
            .rev()
            .find_map(|local| local.register)
            .map_or(0, |register| usize::from(register) + 1)
    }

    /// Marks the innermost block as holding a to-be-closed variable.
    pub fn mark_to_be_closed(&mut self) {
        let block = self.block_mut();
        block.needs_close = true;
        block.inside_to_be_closed = true;
        self.function_mut().needs_close = true;
    }

    /// Resolves `name` in the innermost function, creating upvalues through the enclosing
    /// functions as needed.
    pub fn resolve(&mut self, name: &LuaString) -> Result<Resolution, ScopeError> {
        let innermost = self.functions.len() - 1;
        for level in (0..=innermost).rev() {
            if let Some(index) = self.find_active_local(level, name) {
                let local = &self.locals[index];
                if let LocalKind::CompileTimeConstant(value) = &local.kind {
                    return Ok(Resolution::Constant(value.clone()));
                }
                let register = local.register.unwrap_or(0);
                let read_only = local.kind.is_read_only();
                if level == innermost {
                    return Ok(Resolution::Local {
                        register,
                        read_only,
                    });
                }
                self.mark_captured(level, index);
                let descriptor = Upvalue {
                    name: name.clone(),
                    in_stack: true,
                    index: register,
                };
                return self.chain_upvalue(level + 1, descriptor, read_only);
            }
            if let Some(index) = self.find_upvalue(level, name) {
                let entry = &self.functions[level].upvalues[index];
                let read_only = entry.read_only;
                if level == innermost {
                    return Ok(Resolution::Upvalue {
                        index: index as u8,
                        read_only,
                    });
                }
                let descriptor = Upvalue {
                    name: name.clone(),
                    in_stack: false,
                    index: index as u8,
                };
                return self.chain_upvalue(level + 1, descriptor, read_only);
            }
        }
        Ok(Resolution::Global)
    }

    /// Adds the upvalue `descriptor` to the function at `level`, then an upvalue referring to
    /// it to each function nested inside, down to the innermost.
    fn chain_upvalue(
        &mut self,
        mut level: usize,
        mut descriptor: Upvalue,
        read_only: bool,
    ) -> Result<Resolution, ScopeError> {
        loop {
            if self.functions[level].upvalues.len() + 1 > MAX_UPVALUES {
                return Err(self.limit_error(level, "upvalues", MAX_UPVALUES));
            }
            let function = &mut self.functions[level];
            let index = function.upvalues.len() as u8;
            let name = descriptor.name.clone();
            function.upvalues.push(UpvalueEntry {
                descriptor,
                read_only,
            });
            if level + 1 == self.functions.len() {
                return Ok(Resolution::Upvalue { index, read_only });
            }
            descriptor = Upvalue {
                name,
                in_stack: false,
                index,
            };
            level += 1;
        }
    }

    /// Index in `locals` of the innermost active local of function `level` named `name`.
    fn find_active_local(&self, level: usize, name: &LuaString) -> Option<usize> {
        let function = &self.functions[level];
        let range = function.first_local..function.first_local + function.active;
        range.rev().find(|&index| self.locals[index].name == *name)
    }

    fn find_upvalue(&self, level: usize, name: &LuaString) -> Option<usize> {
        self.functions[level]
            .upvalues
            .iter()
            .position(|entry| entry.descriptor.name == *name)
    }

    /// Marks the block of function `level` declaring local `index` as needing a close.
    fn mark_captured(&mut self, level: usize, index: usize) {
        let function = &mut self.functions[level];
        let position = index - function.first_local;
        if let Some(block) = function
            .blocks
            .iter_mut()
            .rev()
            .find(|block| block.active_on_entry <= position)
        {
            block.needs_close = true;
        }
        function.needs_close = true;
    }

    fn new_label_id(&mut self) -> LabelId {
        let function = self.function_mut();
        let id = function.label_count;
        function.label_count += 1;
        id
    }

    fn new_goto_id(&mut self) -> GotoId {
        let function = self.function_mut();
        let id = function.goto_targets.len() as GotoId;
        function.goto_targets.push(LabelId::MAX);
        id
    }

    /// The visible label named `name` in the innermost function.
    fn find_label(&self, name: &LuaString) -> Option<&ActiveLabel> {
        let first = self.function().first_label;
        let index = *self.labels_by_name.get(name)?.last()?;
        self.labels.get(index).filter(|_| index >= first)
    }

    /// Forgets the labels from index `first` on (their block ended).
    fn truncate_labels(&mut self, first: usize) {
        while self.labels.len() > first {
            let Some(label) = self.labels.pop() else {
                break;
            };
            if let Some(indices) = self.labels_by_name.get_mut(&label.name) {
                indices.pop();
                if indices.is_empty() {
                    self.labels_by_name.remove(&label.name);
                }
            }
        }
    }

    /// A `goto name` at `line`: returns its id and, for a backward jump leaving the scope of
    /// some variables, the register level to close from.
    pub fn goto(&mut self, name: LuaString, line: u32) -> Result<(GotoId, Option<u8>), ScopeError> {
        let id = self.new_goto_id();
        let label = self.find_label(&name).map(|label| (label.id, label.active));
        if let Some((label_id, label_active)) = label {
            self.function_mut().goto_targets[id as usize] = label_id;
            let label_level = self.register_level(label_active);
            let close_from =
                (self.current_register_level() > label_level).then_some(label_level as u8);
            return Ok((id, close_from));
        }
        self.add_pending_goto(Some(name), id, line)?;
        Ok((id, None))
    }

    /// A `break` at `line`.
    pub fn break_statement(&mut self, line: u32) -> Result<GotoId, ScopeError> {
        let id = self.new_goto_id();
        self.add_pending_goto(None, id, line)?;
        Ok(id)
    }

    fn add_pending_goto(
        &mut self,
        name: Option<LuaString>,
        id: GotoId,
        line: u32,
    ) -> Result<(), ScopeError> {
        if self.gotos.len() >= MAX_DEBUG_ENTRIES {
            return Err(too_many("labels/gotos", MAX_DEBUG_ENTRIES));
        }
        let active = self.active_count();
        self.gotos.push(PendingGoto {
            name,
            id,
            line,
            active,
            needs_close: false,
        });
        Ok(())
    }

    /// Fails if a label named `name` is visible (labels must be unique where visible).
    pub fn check_repeated_label(&self, name: &LuaString) -> Result<(), ScopeError> {
        match self.find_label(name) {
            Some(label) => Err(ScopeError::Semantic(format!(
                "label '{}' already defined on line {}",
                String::from_utf8_lossy(name),
                label.line
            ))),
            None => Ok(()),
        }
    }

    /// Creates label `name`; `last` says it ends its block (then the block's locals are out of
    /// scope there). Returns its id and whether a goto reaching it must close variables.
    pub fn create_label(
        &mut self,
        name: LuaString,
        line: u32,
        last: bool,
    ) -> Result<(LabelId, bool), ScopeError> {
        if self.labels.len() >= MAX_DEBUG_ENTRIES {
            return Err(too_many("labels/gotos", MAX_DEBUG_ENTRIES));
        }
        let id = self.new_label_id();
        let active = if last {
            self.function()
                .blocks
                .last()
                .map_or(0, |block| block.active_on_entry)
        } else {
            self.active_count()
        };
        self.labels_by_name
            .entry(name.clone())
            .or_default()
            .push(self.labels.len());
        self.labels.push(ActiveLabel {
            name: name.clone(),
            id,
            line,
            active,
        });
        let needs_close = self.solve_gotos(Some(&name), id, active)?;
        Ok((id, needs_close))
    }

    /// Matches the pending gotos of the innermost block named `name` (`None`: breaks) with
    /// label `id` (with `active` locals in scope). Returns whether one of them must close.
    fn solve_gotos(
        &mut self,
        name: Option<&LuaString>,
        id: LabelId,
        active: usize,
    ) -> Result<bool, ScopeError> {
        let first = self
            .function()
            .blocks
            .last()
            .map_or(0, |block| block.first_goto);
        let mut needs_close = false;
        // Unsolved gotos are moved to the front (keeping their order), solved ones dropped.
        let mut unsolved = first;
        for index in first..self.gotos.len() {
            let goto = &self.gotos[index];
            if goto.name.as_ref() != name {
                self.gotos.swap(unsolved, index);
                unsolved += 1;
                continue;
            }
            if goto.active < active {
                return Err(ScopeError::Semantic(self.scope_jump_message(goto)));
            }
            needs_close |= goto.needs_close;
            let goto_id = goto.id as usize;
            self.function_mut().goto_targets[goto_id] = id;
        }
        self.gotos.truncate(unsolved);
        Ok(needs_close)
    }

    fn scope_jump_message(&self, goto: &PendingGoto) -> String {
        let first = self.function().first_local;
        let local = self
            .locals
            .get(first + goto.active)
            .map_or_else(String::new, |local| {
                String::from_utf8_lossy(&local.name).into_owned()
            });
        format!(
            "<goto {}> at line {} jumps into the scope of local '{}'",
            goto.name
                .as_ref()
                .map_or_else(String::new, |name| String::from_utf8_lossy(name)
                    .into_owned()),
            goto.line,
            local
        )
    }
}

/// PUC's error for a full array: `too many <what> (limit is N)`.
fn too_many(what: &str, limit: usize) -> ScopeError {
    ScopeError::Plain(format!("too many {what} (limit is {limit})"))
}

fn undefined_goto_message(goto: &PendingGoto) -> String {
    match &goto.name {
        None => format!("break outside loop at line {}", goto.line),
        Some(name) => format!(
            "no visible label '{}' for <goto> at line {}",
            String::from_utf8_lossy(name),
            goto.line
        ),
    }
}
