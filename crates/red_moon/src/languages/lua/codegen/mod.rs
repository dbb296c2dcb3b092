//! Code generation: from the resolved syntax tree to [`Proto`]s.
//!
//! The generator reproduces PUC 5.4's code: expressions are compiled to descriptions of
//! where their value is ([`ExpDesc`], PUC's `expdesc`) and only emitted once the consumer
//! says where it wants the value; conditions become jump lists patched when their targets are
//! known; locals live in consecutive registers and temporaries above them. Instruction lines
//! follow the parser's recorded lines so that runtime errors report PUC's lines.

mod constants;
mod expression;
mod expressions;
mod finish;
mod instructions;
mod jumps;
mod limits;
mod operators;
mod scopes;
mod statements;
#[cfg(test)]
pub(super) mod tests;

use super::ast::Function;
use super::syntax_error::SyntaxError;
use crate::bytecode::{Instruction, LocalVariable, Proto};
use constants::ConstantTable;
use expression::ExpDesc;
use scopes::LabelSlot;
use std::rc::Rc;

/// PUC's `MAXREGS`: a function may use registers `0..MAX_REGISTERS - 1`.
const MAX_REGISTERS: usize = 255;
/// Most constants a function may have (PUC's `MAXARG_Ax`).
const MAX_CONSTANTS: usize = (1 << 25) - 1;

/// Result of code generation steps (the errors are PUC's limits).
type Generated<T> = Result<T, SyntaxError>;

/// Compiles the main function of a chunk.
pub fn generate(
    main: &Function,
    source: Rc<[u8]>,
    chunk_id: Rc<[u8]>,
) -> Result<Proto, SyntaxError> {
    let context = Context { source, chunk_id };
    let proto = FunctionBuilder::compile(&context, main)?;
    Ok(Rc::try_unwrap(proto).unwrap_or_else(|shared| (*shared).clone()))
}

/// What every function of a chunk shares.
struct Context {
    source: Rc<[u8]>,
    chunk_id: Rc<[u8]>,
}

/// The state of one function being generated (PUC's `FuncState`).
struct FunctionBuilder<'a> {
    context: &'a Context,
    function: &'a Function,
    code: Vec<Instruction>,
    line_info: Vec<u32>,
    /// Line attributed to the next instruction (PUC's `lastline`).
    line: u32,
    /// Last instruction that is a jump target (optimisations must not merge across it).
    last_target: usize,
    constants: ConstantTable,
    protos: Vec<Rc<Proto>>,
    /// First free register.
    free_register: usize,
    /// Registers held by the local variables in scope (PUC's `luaY_nvarstack`).
    locals_level: usize,
    max_stack_size: usize,
    /// Debug information of every local so far.
    locals: Vec<LocalVariable>,
    /// Indices in `locals` of the variables in scope.
    active_locals: Vec<usize>,
    /// Labels and loop exits, by id.
    labels: Vec<LabelSlot>,
}

impl<'a> FunctionBuilder<'a> {
    /// Generates `function` and its nested functions.
    fn compile(context: &'a Context, function: &'a Function) -> Generated<Rc<Proto>> {
        let mut builder = Self::new(context, function);
        builder.function_body()?;
        Ok(builder.into_proto())
    }

    /// A builder for `function` (boxed: nested functions compile recursively, and the
    /// builder is large).
    #[inline(never)]
    fn new(context: &'a Context, function: &'a Function) -> Box<Self> {
        Box::new(FunctionBuilder {
            context,
            function,
            code: Vec::new(),
            line_info: Vec::new(),
            line: function.line_defined.max(1),
            last_target: 0,
            constants: ConstantTable::default(),
            protos: Vec::new(),
            free_register: 0,
            locals_level: 0,
            // Registers 0 and 1 are always valid (PUC).
            max_stack_size: 2,
            locals: Vec::new(),
            active_locals: Vec::new(),
            labels: (0..function.label_count)
                .map(|_| LabelSlot::Pending(jumps::JumpList::EMPTY))
                .collect(),
        })
    }

    /// Parameters, body and final return.
    fn function_body(&mut self) -> Generated<()> {
        let function = self.function;
        self.activate_locals(&function.parameters);
        if function.is_vararg {
            self.line = function.vararg_line;
            let fixed_params = function.parameters.len() as u8;
            self.emit(Instruction::VarArgPrep { fixed_params });
        }
        self.reserve_registers(function.parameters.len())?;
        self.statements(&function.body.statements)?;
        self.line = function.end_line;
        self.emit_return(self.locals_level, Some(0));
        self.end_locals(0);
        if self.constants.len() > MAX_CONSTANTS {
            // PUC reports this one without a position.
            let message = format!("too many constants (limit is {MAX_CONSTANTS})");
            return Err(SyntaxError::new(message.into_bytes()));
        }
        self.finish()
    }

    /// The finished prototype.
    #[inline(never)]
    fn into_proto(self: Box<Self>) -> Rc<Proto> {
        let function = self.function;
        Rc::new(Proto {
            source: self.context.source.clone(),
            line_defined: function.line_defined,
            last_line_defined: function.last_line_defined,
            param_count: function.parameters.len() as u8,
            is_vararg: function.is_vararg,
            max_stack_size: self.max_stack_size as u8,
            code: self.code,
            line_info: self.line_info,
            constants: self.constants.into_constants(),
            upvalues: function
                .upvalues
                .iter()
                .map(|upvalue| crate::bytecode::UpvalueDescriptor {
                    in_stack: upvalue.in_stack,
                    index: upvalue.index,
                    name: upvalue.name.clone(),
                })
                .collect(),
            protos: self.protos,
            locals: self.locals,
        })
    }

    /// An error at the current line (`chunk:line: message`).
    fn error(&self, message: &str) -> SyntaxError {
        SyntaxError::at_line(&self.context.chunk_id, self.line, message.as_bytes())
    }

    /// Index of the next instruction.
    fn pc(&self) -> usize {
        self.code.len()
    }

    /// Appends an instruction attributed to the current line; returns its index.
    fn emit(&mut self, instruction: Instruction) -> usize {
        self.code.push(instruction);
        self.line_info.push(self.line);
        self.code.len() - 1
    }

    /// Attributes the last instruction to `line` instead (PUC's `luaK_fixline`).
    fn fix_line(&mut self, line: u32) {
        if let Some(last) = self.line_info.last_mut() {
            *last = line;
        }
    }

    /// Removes the last instruction.
    fn remove_last_instruction(&mut self) {
        self.code.pop();
        self.line_info.pop();
    }

    /// Marks the current position as a jump target and returns it (PUC's `luaK_getlabel`).
    fn mark_label(&mut self) -> usize {
        self.last_target = self.pc();
        self.last_target
    }

    /// The last instruction, unless a jump may land between it and the next one.
    fn previous_instruction(&mut self) -> Option<&mut Instruction> {
        if self.pc() > self.last_target {
            self.code.last_mut()
        } else {
            None
        }
    }

    /// Makes sure `count` more registers are available.
    fn check_stack(&mut self, count: usize) -> Generated<()> {
        let needed = self.free_register + count;
        if needed > self.max_stack_size {
            if needed >= MAX_REGISTERS {
                return Err(self.error("function or expression needs too many registers"));
            }
            self.max_stack_size = needed;
        }
        Ok(())
    }

    /// Takes `count` registers.
    fn reserve_registers(&mut self, count: usize) -> Generated<()> {
        self.check_stack(count)?;
        self.free_register += count;
        Ok(())
    }

    /// Releases `register` if it is a temporary (it must then be the last one taken).
    fn free_register(&mut self, register: u8) {
        if usize::from(register) >= self.locals_level {
            self.free_register = self.free_register.saturating_sub(1);
            debug_assert_eq!(usize::from(register), self.free_register);
        }
    }

    /// Releases two temporaries, the higher first.
    fn free_registers(&mut self, first: Option<u8>, second: Option<u8>) {
        let (low, high) = if first > second {
            (second, first)
        } else {
            (first, second)
        };
        if let Some(register) = high {
            self.free_register(register);
        }
        if let Some(register) = low {
            self.free_register(register);
        }
    }

    /// Releases the register holding `expression`'s value, if it holds a temporary.
    fn free_expression(&mut self, expression: &ExpDesc) {
        if let Some(register) = expression.fixed_register() {
            self.free_register(register);
        }
    }

    fn free_expressions(&mut self, first: &ExpDesc, second: &ExpDesc) {
        self.free_registers(first.fixed_register(), second.fixed_register());
    }

    /// The first free register as an operand (always below `MAX_REGISTERS` once reserved).
    fn free_register_operand(&self) -> u8 {
        self.free_register as u8
    }
}
