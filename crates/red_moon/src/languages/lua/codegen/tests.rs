//! Code generation tests: the shape of the code for key patterns (checked against
//! `luac5.4 -l`, keeping in mind where Red Moon's instruction set differs), line and debug
//! information, and structural invariants.

use crate::bytecode::{disassemble, Constant, Instruction, Proto};
use crate::languages::lua::{compile_with_options, CompileOptions};
use Instruction::*;

fn compile(source: &str) -> Proto {
    let options = CompileOptions {
        skip_comment_line: false,
    };
    compile_with_options(source.as_bytes(), b"=test", options)
        .unwrap_or_else(|error| panic!("{error}"))
}

/// The code of the main function, without the `VarArgPrep` prologue.
fn code(source: &str) -> Vec<Instruction> {
    let proto = compile(source);
    assert_eq!(proto.code.first(), Some(&VarArgPrep { fixed_params: 0 }));
    proto.code[1..].to_vec()
}

/// Whether `needle` appears as a contiguous run in `haystack`.
fn contains(haystack: &[Instruction], needle: &[Instruction]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

#[track_caller]
fn assert_code_contains(source: &str, needle: &[Instruction]) {
    let proto = compile(source);
    assert!(
        contains(&proto.code, needle),
        "{needle:?} not found in:{}",
        disassemble(&proto)
    );
}

#[test]
fn main_chunk_shape() {
    let proto = compile("return ...");
    assert!(proto.is_vararg);
    assert_eq!(proto.param_count, 0);
    assert_eq!((proto.line_defined, proto.last_line_defined), (0, 0));
    assert_eq!(proto.upvalues.len(), 1);
    assert_eq!(&*proto.upvalues[0].name, b"_ENV");
    assert!(proto.upvalues[0].in_stack && proto.upvalues[0].index == 0);
    assert_eq!(&*proto.source, b"=test");
    assert_eq!(
        proto.code,
        vec![
            VarArgPrep { fixed_params: 0 },
            VarArg {
                dst: 0,
                count_plus_one: 0
            },
            Return {
                first: 0,
                count_plus_one: 0
            },
            Return0
        ]
    );
    assert!(proto.max_stack_size >= 2);
}

#[test]
fn globals_use_the_env_upvalue() {
    let proto = compile("x = y");
    assert_eq!(
        proto.code[1..3],
        [
            GetTableUpvalue {
                dst: 0,
                upvalue: 0,
                key: 1
            },
            SetTableUpvalue {
                upvalue: 0,
                key: 0,
                value: 0,
                value_is_constant: false
            },
        ]
    );
    assert_eq!(proto.constants[0], Constant::String(b"x"[..].into()));
    // A local _ENV is indexed with fields.
    assert_code_contains(
        "local _ENV = {} x = 1",
        &[SetField {
            table: 0,
            key: 0,
            value: 1,
            value_is_constant: true,
        }],
    );
    // _ENV as a parameter.
    let proto = compile("return function (_ENV) return x end");
    assert!(contains(
        &proto.protos[0].code,
        &[GetField {
            dst: 1,
            table: 0,
            key: 0
        }]
    ));
}

#[test]
fn arithmetic_uses_immediate_and_constant_operands_on_the_right_only() {
    assert_code_contains(
        "local a = ... local b = a + 1",
        &[AddI {
            dst: 1,
            lhs: 0,
            value: 1,
        }],
    );
    assert_code_contains(
        "local a = ... local b = a + -300",
        &[AddI {
            dst: 1,
            lhs: 0,
            value: -300,
        }],
    );
    // Subtraction keeps its own metamethod: never an AddI with a negated immediate.
    assert_code_contains(
        "local a = ... local b = a - 1",
        &[SubK {
            dst: 1,
            lhs: 0,
            constant: 0,
        }],
    );
    // A constant on the left goes to a register.
    assert_code_contains(
        "local a = ... local b = 1 - a",
        &[
            LoadInteger { dst: 1, value: 1 },
            Sub {
                dst: 1,
                lhs: 1,
                rhs: 0,
            },
        ],
    );
    assert_code_contains(
        "local a = ... local b = 2 * a",
        &[
            LoadInteger { dst: 1, value: 2 },
            Mul {
                dst: 1,
                lhs: 1,
                rhs: 0,
            },
        ],
    );
    assert_code_contains(
        "local a = ... local b = a * 2.5",
        &[MulK {
            dst: 1,
            lhs: 0,
            constant: 0,
        }],
    );
    assert_code_contains(
        "local a = ... local b = a & 0xff",
        &[BAndK {
            dst: 1,
            lhs: 0,
            constant: 0,
        }],
    );
    assert_code_contains(
        "local a = ... local b = a >> 3",
        &[ShrK {
            dst: 1,
            lhs: 0,
            constant: 0,
        }],
    );
    assert_code_contains(
        "local a, c = ... local b = a ^ c",
        &[Pow {
            dst: 2,
            lhs: 0,
            rhs: 1,
        }],
    );
}

#[test]
fn constants_fold_like_puc() {
    assert_eq!(
        code("local x = 2^10 + 1")[0],
        LoadFloat {
            dst: 0,
            value: 1025
        }
    );
    assert_eq!(
        code("local x = 7 // 2")[0],
        LoadInteger { dst: 0, value: 3 }
    );
    assert_eq!(
        code("local x = -(-9223372036854775807 - 1)")[0],
        LoadConstant {
            dst: 0,
            constant: 0
        }
    );
    assert_eq!(
        compile("local x = -(-9223372036854775807 - 1)").constants[0],
        Constant::Integer(i64::MIN)
    );
    assert_eq!(
        code("local x = ~0 >> 1")[0],
        LoadConstant {
            dst: 0,
            constant: 0
        }
    );
    assert_eq!(code("local x = 1 < 2")[0], LoadInteger { dst: 0, value: 1 });
    // Not folded: division by zero, NaN, float zero (-0.0 keeps its sign), non-integral bitwise.
    assert_eq!(
        code("local x = 3 // 0")[..2],
        [
            LoadInteger { dst: 0, value: 3 },
            IDivK {
                dst: 0,
                lhs: 0,
                constant: 0
            }
        ]
    );
    assert_eq!(
        code("local x = -0.0")[..2],
        [LoadFloat { dst: 0, value: 0 }, Unm { dst: 0, src: 0 }]
    );
    assert_eq!(
        code("local x = 0/0")[..2],
        [
            LoadInteger { dst: 0, value: 0 },
            DivK {
                dst: 0,
                lhs: 0,
                constant: 0
            }
        ]
    );
    assert_eq!(
        code("local x = 1.5 | 1")[..2],
        [
            LoadConstant {
                dst: 0,
                constant: 1
            },
            BOrK {
                dst: 0,
                lhs: 0,
                constant: 0
            }
        ]
    );
    // <const> locals are folded too.
    assert_eq!(
        code("local k <const> = 10 local x = k * k")[0],
        LoadInteger { dst: 0, value: 100 }
    );
    // Strings are never arithmetic constants.
    assert!(contains(
        &code("local x = '1' + 1"),
        &[
            LoadConstant {
                dst: 0,
                constant: 0
            },
            AddI {
                dst: 0,
                lhs: 0,
                value: 1
            }
        ]
    ));
}

#[test]
fn comparisons_use_immediates_and_constants() {
    let source = |condition: &str| format!("local a = ... if {condition} then a = nil end");
    let first_test = |condition: &str| code(&source(condition))[1];
    assert_eq!(
        first_test("a < 10"),
        LtI {
            lhs: 0,
            value: 10,
            is_float: false,
            expect: false
        }
    );
    assert_eq!(
        first_test("a <= 10"),
        LeI {
            lhs: 0,
            value: 10,
            is_float: false,
            expect: false
        }
    );
    assert_eq!(
        first_test("10 < a"),
        GtI {
            lhs: 0,
            value: 10,
            is_float: false,
            expect: false
        }
    );
    assert_eq!(
        first_test("10 <= a"),
        GeI {
            lhs: 0,
            value: 10,
            is_float: false,
            expect: false
        }
    );
    assert_eq!(
        first_test("a > 10"),
        GtI {
            lhs: 0,
            value: 10,
            is_float: false,
            expect: false
        }
    );
    assert_eq!(
        first_test("a >= 1.0"),
        GeI {
            lhs: 0,
            value: 1,
            is_float: true,
            expect: false
        }
    );
    assert_eq!(
        first_test("a == 1"),
        EqI {
            lhs: 0,
            value: 1,
            is_float: false,
            expect: false
        }
    );
    assert_eq!(
        first_test("1 == a"),
        EqI {
            lhs: 0,
            value: 1,
            is_float: false,
            expect: false
        }
    );
    assert_eq!(
        first_test("a ~= 1"),
        EqI {
            lhs: 0,
            value: 1,
            is_float: false,
            expect: true
        }
    );
    assert_eq!(
        first_test("a == 'x'"),
        EqK {
            lhs: 0,
            constant: 0,
            expect: false
        }
    );
    assert_eq!(
        first_test("'x' == a"),
        EqK {
            lhs: 0,
            constant: 0,
            expect: false
        }
    );
    assert_eq!(
        first_test("a == nil"),
        EqK {
            lhs: 0,
            constant: 0,
            expect: false
        }
    );
    assert_eq!(
        first_test("a == 1.5"),
        EqK {
            lhs: 0,
            constant: 0,
            expect: false
        }
    );
    assert_eq!(
        first_test("a < 1.5"),
        LoadConstant {
            dst: 1,
            constant: 0
        }
    );
    assert_eq!(
        first_test("not a"),
        Test {
            src: 0,
            expect: true
        }
    );
    assert_eq!(
        first_test("a"),
        Test {
            src: 0,
            expect: false
        }
    );
    // Each test is followed by its jump.
    assert!(matches!(code(&source("a < 10"))[2], Jmp { .. }));
}

#[test]
fn conditions_jump_directly_and_values_use_test_set() {
    // `a and b or c` as a value: TestSet copies, comparisons load booleans.
    let instructions = code("local a, b, c = ... local x = a and b or c");
    assert!(instructions
        .iter()
        .any(|instruction| matches!(instruction, TestSet { dst: 3, .. })));
    let instructions = code("local a, b = ... local x = a < b");
    assert!(contains(
        &instructions,
        &[
            Lt {
                lhs: 0,
                rhs: 1,
                expect: true
            },
            Jmp { offset: 1 },
            LoadFalseSkip { dst: 2 },
            LoadBoolean {
                dst: 2,
                value: true
            }
        ]
    ));
}

#[test]
fn jumps_to_jumps_are_collapsed() {
    for source in [
        "local a, b = ... while a do if b then break end end",
        "local a, b = ... if a then if b then a = 1 end else b = 2 end",
        "local a, b, c = ... while a do while b do if c then break end end end",
        "local a, b = ... repeat if a then goto continue end b = 1 ::continue:: until b",
    ] {
        assert_no_jump_to_jump(&compile(source));
    }
}

fn assert_no_jump_to_jump(proto: &Proto) {
    for (pc, instruction) in proto.code.iter().enumerate() {
        if let Jmp { offset } = instruction {
            let target = (pc as i64 + 1 + i64::from(*offset)) as usize;
            assert!(
                !matches!(proto.code.get(target), Some(Jmp { .. })),
                "jump at {pc} lands on a jump:{}",
                disassemble(proto)
            );
        }
    }
    for child in &proto.protos {
        assert_no_jump_to_jump(child);
    }
}

#[test]
fn returns_and_tail_calls() {
    let proto = compile("local function f(x) return x end local function g(x) return f(x) end");
    assert_eq!(proto.protos[0].code, vec![Return1 { src: 0 }, Return0]);
    assert_eq!(
        proto.protos[1].code[2..],
        [
            TailCall {
                func: 1,
                args_plus_one: 2
            },
            Return {
                first: 1,
                count_plus_one: 0
            },
            Return0
        ]
    );
    // No tail call in the scope of a to-be-closed variable; returns then close.
    let proto = compile("local function g(x) local c <close> = x return f() end");
    let code = &proto.protos[0].code;
    assert!(code.contains(&ToBeClosed { src: 1 }));
    assert!(!code
        .iter()
        .any(|instruction| matches!(instruction, TailCall { .. })));
    assert_eq!(
        code.last(),
        Some(&Return {
            first: 2,
            count_plus_one: 1
        })
    );
    // Functions with captured locals use the general Return (it closes upvalues).
    let proto = compile("local function h() local v = 1 return function() return v end end");
    assert_eq!(
        proto.protos[0].code.last(),
        Some(&Return {
            first: 1,
            count_plus_one: 1
        })
    );
}

#[test]
fn table_constructors_flush_every_fifty_values() {
    let items: Vec<String> = (1..=60).map(|i| i.to_string()).collect();
    let instructions = code(&format!("local t = {{{}}}", items.join(",")));
    assert_eq!(
        instructions[0],
        NewTable {
            dst: 0,
            array_size: 60,
            hash_size: 0
        }
    );
    let set_lists: Vec<_> = instructions
        .iter()
        .filter(|instruction| matches!(instruction, SetList { .. }))
        .collect();
    assert_eq!(
        set_lists,
        vec![
            &SetList {
                table: 0,
                count: 50,
                offset: 0
            },
            &SetList {
                table: 0,
                count: 10,
                offset: 50
            }
        ]
    );
    assert_eq!(
        code("local t = {x = 1, [2] = 3, 'a', f()}")[..2],
        [
            NewTable {
                dst: 0,
                array_size: 1,
                hash_size: 2
            },
            SetField {
                table: 0,
                key: 0,
                value: 1,
                value_is_constant: true
            }
        ]
    );
    assert!(code("local t = {...}").contains(&SetList {
        table: 0,
        count: 0,
        offset: 0
    }));
}

#[test]
fn loops_close_captured_variables_each_iteration() {
    let instructions = code("for i = 1, 3 do local x = i f = function() return x end end");
    let close = instructions
        .iter()
        .position(|i| matches!(i, Close { from: 4 }));
    let back = instructions
        .iter()
        .position(|i| matches!(i, ForLoop { .. }));
    assert!(close.is_some() && close < back, "{instructions:?}");
    // The loop variable itself.
    let instructions = code("for i = 1, 3 do f = function() return i end end");
    assert!(instructions.contains(&Close { from: 3 }));
    // while and repeat.
    let instructions = code("while x do local v = 1 f = function() return v end end");
    assert!(instructions.contains(&Close { from: 0 }));
    let instructions = code("repeat local v = 1 f = function() return v end until v");
    assert_eq!(
        instructions
            .iter()
            .filter(|i| matches!(i, Close { from: 0 }))
            .count(),
        2
    );
    // Generic for closes its state after the loop.
    let instructions = code("for k in pairs(t) do end");
    assert!(instructions.contains(&Close { from: 0 }));
}

#[test]
fn numeric_for_jumps() {
    let instructions = code("for i = 1, 10 do x = i end");
    let prepare = instructions
        .iter()
        .position(|i| matches!(i, ForPrep { .. }))
        .expect("prep");
    let looping = instructions
        .iter()
        .position(|i| matches!(i, ForLoop { .. }))
        .expect("loop");
    let ForPrep { base: 0, offset } = instructions[prepare] else {
        panic!()
    };
    assert_eq!(
        prepare as i32 + 1 + offset,
        looping as i32 + 1,
        "exits after the ForLoop"
    );
    let ForLoop { base: 0, offset } = instructions[looping] else {
        panic!()
    };
    assert_eq!(
        looping as i32 + 1 + offset,
        prepare as i32 + 1,
        "loops to the body"
    );
    let instructions = code("for k, v in next, t do x = k end");
    let prepare = instructions
        .iter()
        .position(|i| matches!(i, TForPrep { .. }))
        .expect("prep");
    let call = instructions
        .iter()
        .position(|i| {
            matches!(
                i,
                TForCall {
                    base: 0,
                    results: 2
                }
            )
        })
        .expect("call");
    let TForPrep { offset, .. } = instructions[prepare] else {
        panic!()
    };
    assert_eq!(prepare as i32 + 1 + offset, call as i32);
    assert!(
        matches!(instructions[call + 1], TForLoop { base: 0, offset } if call as i32 + 2 + offset == prepare as i32 + 1)
    );
}

#[test]
fn multiple_assignment_saves_conflicting_locals() {
    // `a[i], i = ...`: i is assigned first, so a[i] uses a copy of its old value.
    assert_eq!(
        code("local a, i = {}, 1 a[i], i = i + 1, 20")[2..6],
        [
            Move { dst: 2, src: 1 },
            AddI {
                dst: 3,
                lhs: 1,
                value: 1
            },
            LoadInteger { dst: 1, value: 20 },
            SetTable {
                table: 0,
                key: 2,
                value: 3,
                value_is_constant: false
            }
        ]
    );
    // `i, a[i] = ...`: a[i] is assigned first, with the old i: no copy.
    assert_eq!(
        code("local a, i = {}, 1 i, a[i] = i + 1, 20")[2..5],
        [
            AddI {
                dst: 2,
                lhs: 1,
                value: 1
            },
            SetTable {
                table: 0,
                key: 1,
                value: 0,
                value_is_constant: true
            },
            Move { dst: 1, src: 2 }
        ]
    );
    // An upvalue table assigned after one of its fields: the field uses a copy.
    let proto = compile("local t = {} return function() t.x, t = 1, {} end");
    assert_eq!(
        proto.protos[0].code,
        [
            GetUpvalue { dst: 0, upvalue: 0 },
            LoadInteger { dst: 1, value: 1 },
            NewTable {
                dst: 2,
                array_size: 0,
                hash_size: 0
            },
            SetUpvalue { src: 2, upvalue: 0 },
            SetField {
                table: 0,
                key: 0,
                value: 1,
                value_is_constant: false
            },
            Return0
        ]
    );
}

#[test]
fn line_information_follows_puc() {
    let proto = compile("local f\nf\n(\n1\n)");
    let call = proto
        .code
        .iter()
        .position(|i| matches!(i, Call { .. }))
        .expect("call");
    assert_eq!(
        proto.line_info[call], 2,
        "a call is attributed to the line of its function"
    );
    let proto = compile("local a\nlocal b = a\n+\n1");
    let add = proto
        .code
        .iter()
        .position(|i| matches!(i, AddI { .. }))
        .expect("add");
    assert_eq!(
        proto.line_info[add], 3,
        "an operator is attributed to its line"
    );
    let proto = compile("local t\nlocal x = t\n.y\n.z");
    let fields: Vec<_> = proto
        .code
        .iter()
        .enumerate()
        .filter(|(_, i)| matches!(i, GetField { .. }))
        .map(|(pc, _)| proto.line_info[pc])
        .collect();
    assert_eq!(fields, vec![3, 4]);
    let proto = compile("for i = 1, 2\ndo\nx = i\nend");
    let looping = proto
        .code
        .iter()
        .position(|i| matches!(i, ForLoop { .. }))
        .expect("loop");
    assert_eq!(proto.line_info[looping], 1);
    let prepare = proto
        .code
        .iter()
        .position(|i| matches!(i, ForPrep { .. }))
        .expect("prep");
    assert_eq!(proto.line_info[prepare], 2);
    let proto = compile("local function f()\nreturn 1\nend");
    assert_eq!(
        (
            proto.protos[0].line_defined,
            proto.protos[0].last_line_defined
        ),
        (1, 3)
    );
    assert_eq!(proto.protos[0].line_info, vec![2, 2, 3]);
    assert_eq!(proto.line_info[1], 3, "closures are created at their 'end'");
}

#[test]
fn local_variable_ranges() {
    let proto =
        compile("local a = 1\ndo local b = 2 end\nlocal function f() end\nfor i = 1, 2 do end");
    let ranges: Vec<_> = proto
        .locals
        .iter()
        .map(|local| {
            (
                String::from_utf8_lossy(&local.name).into_owned(),
                local.register,
                local.start_pc,
                local.end_pc,
            )
        })
        .collect();
    let end = proto.code.len() as u32;
    assert_eq!(
        ranges,
        vec![
            ("a".to_string(), 0, 2, end),
            ("b".to_string(), 1, 3, 3),
            ("f".to_string(), 1, 4, end),
            ("(for state)".to_string(), 2, 7, 9),
            ("(for state)".to_string(), 3, 7, 9),
            ("(for state)".to_string(), 4, 7, 9),
            ("i".to_string(), 5, 8, 8),
        ]
    );
}

/// Checks what the interpreter relies on in every prototype.
pub(crate) fn check_invariants(proto: &Proto) {
    let size = proto.code.len();
    assert_eq!(proto.line_info.len(), size);
    assert!(matches!(proto.code.last(), Some(Return0 | Return { .. })));
    for (pc, instruction) in proto.code.iter().enumerate() {
        let jump = match instruction {
            Jmp { offset }
            | ForPrep { offset, .. }
            | ForLoop { offset, .. }
            | TForPrep { offset, .. }
            | TForLoop { offset, .. } => Some(*offset),
            _ => None,
        };
        if let Some(offset) = jump {
            let target = pc as i64 + 1 + i64::from(offset);
            assert!(
                target >= 0 && (target as usize) < size,
                "jump out of the code at {pc}"
            );
        }
        if super::instructions::is_conditional_skip(instruction) {
            assert!(
                matches!(proto.code.get(pc + 1), Some(Jmp { .. })),
                "test without jump at {pc}"
            );
        }
        if let TestSet { dst, .. } = instruction {
            assert_ne!(*dst, super::instructions::NO_REGISTER);
        }
        if let Closure { proto: index, .. } = instruction {
            assert!((*index as usize) < proto.protos.len());
        }
        if let LoadConstant { constant, .. } = instruction {
            assert!((*constant as usize) < proto.constants.len());
        }
    }
    for local in &proto.locals {
        assert!(local.start_pc <= local.end_pc && local.end_pc as usize <= size);
        assert!(local.register < proto.max_stack_size);
    }
    for child in &proto.protos {
        check_invariants(child);
    }
}

#[test]
fn invariants_hold_for_varied_code() {
    check_invariants(&compile(
        "local a, b = ...
         local t = {a, b, x = a and b or nil, [a] = not b}
         for i = 1, #t do if t[i] then goto c end t[i] = i ::c:: end
         while a do a = a - 1 if a < 3 then break end end
         repeat local z = b until z
         local function f(...) local g <close> = nil return ... end
         return f(a .. b, t:m(1, 2), -a, ~b, a // b)",
    ));
}
