//! Unary and binary operators: constant folding, immediate and constant operand forms,
//! comparisons as conditional jumps, `and`/`or` as jump lists, concatenation runs.

use super::expression::{ExpDesc, ExpKind};
use super::limits::{immediate, MAX_KEY_CONSTANT};
use super::{FunctionBuilder, Generated};
use crate::bytecode::Instruction;
use crate::languages::lua::ast::{BinaryOperator, UnaryOperator};
use crate::languages::lua::constant_folding::{fold_binary, fold_unary, Number};

/// Whether the operator folds on numbers (arithmetic and bitwise operators).
fn is_foldable(operator: BinaryOperator) -> bool {
    use BinaryOperator::*;
    matches!(
        operator,
        Add | Subtract
            | Multiply
            | Divide
            | IntegerDivide
            | Modulo
            | Power
            | BitwiseAnd
            | BitwiseOr
            | BitwiseXor
            | ShiftLeft
            | ShiftRight
    )
}

fn number_kind(number: Number) -> ExpKind {
    match number {
        Number::Integer(value) => ExpKind::Integer(value),
        Number::Float(value) => ExpKind::Float(value),
    }
}

/// The register-register instruction of an arithmetic or bitwise operator.
fn register_form(operator: BinaryOperator, dst: u8, lhs: u8, rhs: u8) -> Instruction {
    use BinaryOperator::*;
    match operator {
        Add => Instruction::Add { dst, lhs, rhs },
        Subtract => Instruction::Sub { dst, lhs, rhs },
        Multiply => Instruction::Mul { dst, lhs, rhs },
        Divide => Instruction::Div { dst, lhs, rhs },
        IntegerDivide => Instruction::IDiv { dst, lhs, rhs },
        Modulo => Instruction::Mod { dst, lhs, rhs },
        Power => Instruction::Pow { dst, lhs, rhs },
        BitwiseAnd => Instruction::BAnd { dst, lhs, rhs },
        BitwiseOr => Instruction::BOr { dst, lhs, rhs },
        BitwiseXor => Instruction::BXor { dst, lhs, rhs },
        ShiftLeft => Instruction::Shl { dst, lhs, rhs },
        _ => Instruction::Shr { dst, lhs, rhs },
    }
}

/// The register-constant instruction of an arithmetic or bitwise operator.
fn constant_form(operator: BinaryOperator, dst: u8, lhs: u8, constant: u16) -> Instruction {
    use BinaryOperator::*;
    match operator {
        Add => Instruction::AddK { dst, lhs, constant },
        Subtract => Instruction::SubK { dst, lhs, constant },
        Multiply => Instruction::MulK { dst, lhs, constant },
        Divide => Instruction::DivK { dst, lhs, constant },
        IntegerDivide => Instruction::IDivK { dst, lhs, constant },
        Modulo => Instruction::ModK { dst, lhs, constant },
        Power => Instruction::PowK { dst, lhs, constant },
        BitwiseAnd => Instruction::BAndK { dst, lhs, constant },
        BitwiseOr => Instruction::BOrK { dst, lhs, constant },
        BitwiseXor => Instruction::BXorK { dst, lhs, constant },
        ShiftLeft => Instruction::ShlK { dst, lhs, constant },
        _ => Instruction::ShrK { dst, lhs, constant },
    }
}

/// How the right operand of an arithmetic instruction is given.
enum RightOperand {
    Register(u8),
    Constant(u16),
    Immediate(i16),
}

impl FunctionBuilder<'_> {
    /// Folds `expression` if it is a numeral and the operation is safe (PUC's
    /// `constfolding`); `rhs` is `None` for unary operators.
    fn fold(&self, operator: Folding, expression: &mut ExpDesc, rhs: Option<&ExpDesc>) -> bool {
        let Some(lhs) = expression.numeral() else {
            return false;
        };
        let result = match (operator, rhs) {
            (Folding::Unary(operator), _) => fold_unary(operator, lhs),
            (Folding::Binary(operator), Some(rhs)) => match rhs.numeral() {
                Some(rhs) => fold_binary(operator, lhs, rhs),
                None => None,
            },
            _ => None,
        };
        match result {
            Some(number) => {
                expression.kind = number_kind(number);
                true
            }
            None => false,
        }
    }

    /// Applies a prefix operator (PUC's `luaK_prefix`).
    #[inline(never)]
    pub(super) fn prefix(
        &mut self,
        operator: UnaryOperator,
        expression: &mut ExpDesc,
        line: u32,
    ) -> Generated<()> {
        self.discharge_variables(expression);
        match operator {
            UnaryOperator::Minus | UnaryOperator::BitwiseNot => {
                if self.fold(Folding::Unary(operator), expression, None) {
                    return Ok(());
                }
                self.unary_value(operator, expression, line)
            }
            UnaryOperator::Length => self.unary_value(operator, expression, line),
            UnaryOperator::Not => self.code_not(expression),
        }
    }

    /// `-e`, `~e` or `#e` into a relocatable instruction.
    fn unary_value(
        &mut self,
        operator: UnaryOperator,
        expression: &mut ExpDesc,
        line: u32,
    ) -> Generated<()> {
        let src = self.expression_to_any_register(expression)?;
        self.free_expression(expression);
        let instruction = match operator {
            UnaryOperator::Minus => Instruction::Unm { dst: 0, src },
            UnaryOperator::BitwiseNot => Instruction::BNot { dst: 0, src },
            _ => Instruction::Len { dst: 0, src },
        };
        expression.kind = ExpKind::Relocatable(self.emit(instruction));
        self.fix_line(line);
        Ok(())
    }

    /// `not e`, folding constants and inverting comparisons.
    fn code_not(&mut self, expression: &mut ExpDesc) -> Generated<()> {
        match expression.kind {
            ExpKind::Nil | ExpKind::False => expression.kind = ExpKind::True,
            ExpKind::Constant(_)
            | ExpKind::Float(_)
            | ExpKind::Integer(_)
            | ExpKind::String(_)
            | ExpKind::True => expression.kind = ExpKind::False,
            ExpKind::Jump(pc) => self.negate_jump_condition(pc),
            ExpKind::Relocatable(_) | ExpKind::Register(_) => {
                self.discharge_to_any_register(expression)?;
                self.free_expression(expression);
                let src = expression.fixed_register().unwrap_or(0);
                expression.kind = ExpKind::Relocatable(self.emit(Instruction::Not { dst: 0, src }));
            }
            _ => debug_assert!(false, "unexpected operand of not: {expression:?}"),
        }
        std::mem::swap(&mut expression.true_jumps, &mut expression.false_jumps);
        self.remove_values(expression.false_jumps);
        self.remove_values(expression.true_jumps);
        Ok(())
    }

    /// Prepares the first operand before the second is compiled (PUC's `luaK_infix`).
    #[inline(never)]
    pub(super) fn infix(
        &mut self,
        operator: BinaryOperator,
        expression: &mut ExpDesc,
    ) -> Generated<()> {
        use BinaryOperator::*;
        self.discharge_variables(expression);
        match operator {
            And => self.go_if_true(expression),
            Or => self.go_if_false(expression),
            Concat => self.expression_to_next_register(expression),
            Equal | NotEqual => {
                if expression.numeral().is_none() {
                    self.expression_to_operand(expression, MAX_KEY_CONSTANT)?;
                }
                Ok(())
            }
            Less | LessEqual | Greater | GreaterEqual => {
                if expression.immediate_number().is_none() {
                    self.expression_to_any_register(expression)?;
                }
                Ok(())
            }
            _ => {
                // Keep numerals: they may fold with the second operand.
                if expression.numeral().is_none() {
                    self.expression_to_any_register(expression)?;
                }
                Ok(())
            }
        }
    }

    /// Completes a binary operation once both operands are compiled (PUC's `luaK_posfix`);
    /// the result replaces `first`.
    #[inline(never)]
    pub(super) fn postfix(
        &mut self,
        operator: BinaryOperator,
        first: &mut ExpDesc,
        mut second: ExpDesc,
        line: u32,
    ) -> Generated<()> {
        use BinaryOperator::*;
        self.discharge_variables(&mut second);
        if is_foldable(operator) && self.fold(Folding::Binary(operator), first, Some(&second)) {
            return Ok(());
        }
        match operator {
            And => {
                self.append_jumps(&mut second.false_jumps, first.false_jumps)?;
                *first = second;
            }
            Or => {
                self.append_jumps(&mut second.true_jumps, first.true_jumps)?;
                *first = second;
            }
            Concat => {
                self.expression_to_next_register(&mut second)?;
                self.concat(first, &second, line);
            }
            Add => match second.integer().and_then(immediate) {
                Some(value) => self.binary_value(
                    operator,
                    first,
                    &second,
                    RightOperand::Immediate(value),
                    line,
                )?,
                None => self.arithmetic(operator, first, second, line)?,
            },
            Subtract | Multiply | Divide | IntegerDivide | Modulo | Power => {
                self.arithmetic(operator, first, second, line)?
            }
            BitwiseAnd | BitwiseOr | BitwiseXor | ShiftLeft | ShiftRight => {
                self.bitwise(operator, first, second, line)?
            }
            Equal | NotEqual => self.equality(operator == Equal, first, second)?,
            Less | LessEqual => self.order(operator == Less, first, second)?,
            Greater | GreaterEqual => {
                // `a > b` is `b < a`.
                let mut swapped = second;
                std::mem::swap(first, &mut swapped);
                self.order(operator == Greater, first, swapped)?;
            }
        }
        Ok(())
    }

    /// Emits `first op second` (with `second` given as `right`) into a relocatable
    /// instruction attributed to the operator's line.
    fn binary_value(
        &mut self,
        operator: BinaryOperator,
        first: &mut ExpDesc,
        second: &ExpDesc,
        right: RightOperand,
        line: u32,
    ) -> Generated<()> {
        let lhs = self.expression_to_any_register(first)?;
        let instruction = match right {
            RightOperand::Register(rhs) => register_form(operator, 0, lhs, rhs),
            RightOperand::Constant(constant) => constant_form(operator, 0, lhs, constant),
            RightOperand::Immediate(value) => Instruction::AddI { dst: 0, lhs, value },
        };
        let pc = self.emit(instruction);
        self.free_expressions(first, second);
        first.kind = ExpKind::Relocatable(pc);
        self.fix_line(line);
        Ok(())
    }

    /// Both operands in registers.
    fn binary_registers(
        &mut self,
        operator: BinaryOperator,
        first: &mut ExpDesc,
        mut second: ExpDesc,
        line: u32,
    ) -> Generated<()> {
        let rhs = self.expression_to_any_register(&mut second)?;
        self.binary_value(operator, first, &second, RightOperand::Register(rhs), line)
    }

    /// Arithmetic, with a constant operand when the second is a numeral.
    fn arithmetic(
        &mut self,
        operator: BinaryOperator,
        first: &mut ExpDesc,
        mut second: ExpDesc,
        line: u32,
    ) -> Generated<()> {
        if second.numeral().is_some() && self.expression_to_constant(&mut second, MAX_KEY_CONSTANT)
        {
            if let ExpKind::Constant(constant) = second.kind {
                let right = RightOperand::Constant(constant as u16);
                return self.binary_value(operator, first, &second, right, line);
            }
        }
        self.binary_registers(operator, first, second, line)
    }

    /// Bitwise operators and shifts, with a constant operand when the second is an integer.
    fn bitwise(
        &mut self,
        operator: BinaryOperator,
        first: &mut ExpDesc,
        mut second: ExpDesc,
        line: u32,
    ) -> Generated<()> {
        if matches!(second.kind, ExpKind::Integer(_))
            && self.expression_to_constant(&mut second, MAX_KEY_CONSTANT)
        {
            if let ExpKind::Constant(constant) = second.kind {
                let right = RightOperand::Constant(constant as u16);
                return self.binary_value(operator, first, &second, right, line);
            }
        }
        self.binary_registers(operator, first, second, line)
    }

    /// `==` (`equal`) or `~=`: a conditional jump, with an immediate or constant operand when
    /// one side allows it.
    fn equality(&mut self, equal: bool, first: &mut ExpDesc, mut second: ExpDesc) -> Generated<()> {
        if first.fixed_register().is_none() {
            // The first operand was kept as a constant: compare the other one with it.
            std::mem::swap(first, &mut second);
        }
        let lhs = self.expression_to_any_register(first)?;
        let test = if let Some((value, is_float)) = second.immediate_number() {
            Instruction::EqI {
                lhs,
                value,
                is_float,
                expect: equal,
            }
        } else {
            match self.expression_to_operand(&mut second, MAX_KEY_CONSTANT)? {
                (constant, true) => Instruction::EqK {
                    lhs,
                    constant: constant as u16,
                    expect: equal,
                },
                (rhs, false) => Instruction::Eq {
                    lhs,
                    rhs: rhs as u8,
                    expect: equal,
                },
            }
        };
        self.free_expressions(first, &second);
        first.kind = ExpKind::Jump(self.conditional_jump(test));
        Ok(())
    }

    /// `<` (`strict`) or `<=`, with an immediate operand when one side is a small number.
    fn order(&mut self, strict: bool, first: &mut ExpDesc, mut second: ExpDesc) -> Generated<()> {
        let test = if let Some((value, is_float)) = second.immediate_number() {
            let lhs = self.expression_to_any_register(first)?;
            if strict {
                Instruction::LtI {
                    lhs,
                    value,
                    is_float,
                    expect: true,
                }
            } else {
                Instruction::LeI {
                    lhs,
                    value,
                    is_float,
                    expect: true,
                }
            }
        } else if let Some((value, is_float)) = first.immediate_number() {
            // `value < x` is `x > value`.
            let lhs = self.expression_to_any_register(&mut second)?;
            if strict {
                Instruction::GtI {
                    lhs,
                    value,
                    is_float,
                    expect: true,
                }
            } else {
                Instruction::GeI {
                    lhs,
                    value,
                    is_float,
                    expect: true,
                }
            }
        } else {
            let lhs = self.expression_to_any_register(first)?;
            let rhs = self.expression_to_any_register(&mut second)?;
            if strict {
                Instruction::Lt {
                    lhs,
                    rhs,
                    expect: true,
                }
            } else {
                Instruction::Le {
                    lhs,
                    rhs,
                    expect: true,
                }
            }
        };
        self.free_expressions(first, &second);
        first.kind = ExpKind::Jump(self.conditional_jump(test));
        Ok(())
    }

    /// `first .. second` where both are in consecutive registers; extends the `Concat` that
    /// produced `second` if there is one (concatenation is right associative).
    fn concat(&mut self, first: &ExpDesc, second: &ExpDesc, line: u32) {
        let first_register = first.fixed_register().unwrap_or(0);
        if let Some(Instruction::Concat {
            first: previous_first,
            count,
        }) = self.previous_instruction()
        {
            *previous_first = first_register;
            *count += 1;
            self.free_expression(second);
            return;
        }
        self.emit(Instruction::Concat {
            first: first_register,
            count: 2,
        });
        self.free_expression(second);
        self.fix_line(line);
    }
}

/// An operator to fold.
#[derive(Clone, Copy)]
enum Folding {
    Unary(UnaryOperator),
    Binary(BinaryOperator),
}
