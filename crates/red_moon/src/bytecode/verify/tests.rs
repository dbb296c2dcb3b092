use super::*;
use crate::bytecode::{LocalVariable, UpvalueDescriptor};
use Instruction as I;

fn name(text: &str) -> Rc<[u8]> {
    Rc::from(text.as_bytes())
}

fn upvalue(in_stack: bool, index: u8) -> UpvalueDescriptor {
    UpvalueDescriptor {
        in_stack,
        index,
        name: name("u"),
    }
}

/// A valid function with 4 registers, 2 upvalues, constants
/// `[1, "k", 2.5, nil]` and code `body` followed by `Return0`.
fn function(body: &[Instruction]) -> Proto {
    let mut code = body.to_vec();
    code.push(I::Return0);
    Proto {
        source: name("=test"),
        line_defined: 1,
        last_line_defined: 2,
        param_count: 1,
        is_vararg: false,
        max_stack_size: 4,
        line_info: vec![1; code.len()],
        code,
        constants: vec![
            Constant::Integer(1),
            Constant::String(name("k")),
            Constant::Float(2.5),
            Constant::Nil,
        ],
        upvalues: vec![upvalue(true, 0), upvalue(false, 0)],
        protos: Vec::new(),
        locals: Vec::new(),
    }
}

fn violation(proto: &Proto) -> Option<Violation> {
    verify(proto).err().map(|error| error.violation)
}

fn rejects(body: &[Instruction], expected: Violation) {
    assert_eq!(violation(&function(body)), Some(expected), "{body:?}");
}

fn accepts(body: &[Instruction]) {
    let result = verify(&function(body));
    assert!(result.is_ok(), "{body:?}: {result:?}");
}

fn register(register: usize) -> Violation {
    Violation::RegisterOutOfRange {
        register,
        max_stack_size: 4,
    }
}

#[test]
fn a_valid_function_passes() {
    accepts(&[
        I::Move { dst: 3, src: 0 },
        I::LoadConstant {
            dst: 1,
            constant: 3,
        },
        I::GetField {
            dst: 2,
            table: 0,
            key: 1,
        },
        I::AddK {
            dst: 2,
            lhs: 2,
            constant: 2,
        },
        I::LoadNil { dst: 0, count: 4 },
        I::SelfMethod {
            dst: 2,
            object: 0,
            key: 1,
        },
        I::Concat { first: 2, count: 2 },
    ]);
}

#[test]
fn register_operands_are_below_the_stack_size() {
    rejects(&[I::Move { dst: 4, src: 0 }], register(4));
    rejects(&[I::Move { dst: 0, src: 255 }], register(255));
    rejects(
        &[I::Add {
            dst: 0,
            lhs: 1,
            rhs: 9,
        }],
        register(9),
    );
    rejects(
        &[I::SetTable {
            table: 0,
            key: 1,
            value: 4,
            value_is_constant: false,
        }],
        register(4),
    );
    rejects(&[I::ToBeClosed { src: 4 }], register(4));
    rejects(&[I::Return1 { src: 4 }], register(4));
}

#[test]
fn register_ranges_fit_in_the_stack() {
    rejects(&[I::LoadNil { dst: 2, count: 3 }], register(4));
    rejects(&[I::LoadNil { dst: 2, count: 0 }], Violation::InvalidCount);
    rejects(
        &[I::SelfMethod {
            dst: 3,
            object: 0,
            key: 1,
        }],
        register(4),
    );
    rejects(&[I::Concat { first: 3, count: 2 }], register(4));
    rejects(&[I::Concat { first: 0, count: 1 }], Violation::InvalidCount);
    rejects(
        &[I::Call {
            func: 1,
            args_plus_one: 4,
            results_plus_one: 1,
        }],
        register(4),
    );
    rejects(
        &[I::Call {
            func: 1,
            args_plus_one: 1,
            results_plus_one: 5,
        }],
        register(4),
    );
    rejects(
        &[I::Return {
            first: 2,
            count_plus_one: 4,
        }],
        register(4),
    );
    rejects(
        &[I::SetList {
            table: 1,
            count: 3,
            offset: 0,
        }],
        register(4),
    );
    accepts(&[
        I::Call {
            func: 1,
            args_plus_one: 3,
            results_plus_one: 4,
        },
        I::SetList {
            table: 0,
            count: 3,
            offset: 0,
        },
    ]);
}

#[test]
fn loop_registers_fit_in_the_stack() {
    let mut proto = function(&[
        I::ForPrep { base: 1, offset: 1 },
        I::ForLoop {
            base: 1,
            offset: -2,
        },
    ]);
    assert_eq!(violation(&proto), Some(register(4)));
    proto.max_stack_size = 5;
    assert_eq!(violation(&proto), None);
    let generic = |results| {
        let mut proto = function(&[
            I::TForPrep { base: 0, offset: 0 },
            I::TForCall { base: 0, results },
            I::TForLoop {
                base: 0,
                offset: -2,
            },
        ]);
        proto.max_stack_size = 6;
        violation(&proto)
    };
    assert_eq!(generic(2), None);
    assert_eq!(
        generic(3),
        Some(Violation::RegisterOutOfRange {
            register: 6,
            max_stack_size: 6
        })
    );
    assert_eq!(generic(0), Some(Violation::InvalidCount));
    rejects(
        &[I::TForLoop {
            base: 0,
            offset: -1,
        }],
        register(4),
    );
}

#[test]
fn constants_exist_and_have_the_right_kind() {
    rejects(
        &[I::LoadConstant {
            dst: 0,
            constant: 4,
        }],
        Violation::ConstantOutOfRange { index: 4, count: 4 },
    );
    let not_a_string = Violation::ConstantKind {
        index: 0,
        expected: "string",
    };
    rejects(
        &[I::GetField {
            dst: 0,
            table: 0,
            key: 0,
        }],
        not_a_string.clone(),
    );
    rejects(
        &[I::SetField {
            table: 0,
            key: 0,
            value: 0,
            value_is_constant: false,
        }],
        not_a_string.clone(),
    );
    rejects(
        &[I::GetTableUpvalue {
            dst: 0,
            upvalue: 0,
            key: 0,
        }],
        not_a_string.clone(),
    );
    rejects(
        &[I::SetTableUpvalue {
            upvalue: 0,
            key: 0,
            value: 0,
            value_is_constant: true,
        }],
        not_a_string.clone(),
    );
    rejects(
        &[I::SelfMethod {
            dst: 0,
            object: 0,
            key: 0,
        }],
        not_a_string,
    );
    rejects(
        &[I::MulK {
            dst: 0,
            lhs: 0,
            constant: 1,
        }],
        Violation::ConstantKind {
            index: 1,
            expected: "number",
        },
    );
    rejects(
        &[I::ShlK {
            dst: 0,
            lhs: 0,
            constant: 3,
        }],
        Violation::ConstantKind {
            index: 3,
            expected: "number",
        },
    );
    rejects(
        &[I::SetIndex {
            table: 0,
            index: 1,
            value: 7,
            value_is_constant: true,
        }],
        Violation::ConstantOutOfRange { index: 7, count: 4 },
    );
    rejects(
        &[I::EqK {
            lhs: 0,
            constant: 9,
            expect: true,
        }],
        Violation::ConstantOutOfRange { index: 9, count: 4 },
    );
}

#[test]
fn upvalue_operands_exist() {
    let missing = Violation::UpvalueOutOfRange { index: 2, count: 2 };
    rejects(&[I::GetUpvalue { dst: 0, upvalue: 2 }], missing.clone());
    rejects(&[I::SetUpvalue { src: 0, upvalue: 2 }], missing.clone());
    rejects(
        &[I::GetTableUpvalue {
            dst: 0,
            upvalue: 2,
            key: 1,
        }],
        missing,
    );
    let mut proto = function(&[]);
    proto.upvalues = vec![upvalue(false, 0); 256];
    assert_eq!(
        violation(&proto),
        Some(Violation::TooManyUpvalues { count: 256 })
    );
}

#[test]
fn closures_name_a_nested_function_whose_captures_exist() {
    rejects(
        &[I::Closure { dst: 0, proto: 0 }],
        Violation::ProtoOutOfRange { index: 0, count: 0 },
    );
    let with_child = |child_upvalues: Vec<UpvalueDescriptor>| {
        let mut child = function(&[]);
        child.upvalues = child_upvalues;
        let mut parent = function(&[I::Closure { dst: 0, proto: 0 }]);
        parent.protos = vec![Rc::new(child)];
        verify(&parent)
    };
    assert!(with_child(vec![upvalue(true, 3), upvalue(false, 1)]).is_ok());
    let error = with_child(vec![upvalue(true, 0), upvalue(true, 4)]).err();
    assert_eq!(
        error.map(|e| e.violation),
        Some(Violation::InvalidCapture {
            child: 0,
            upvalue: 1,
            in_stack: true,
            index: 4
        })
    );
    let error = with_child(vec![upvalue(false, 2)]).err();
    assert!(matches!(
        error.map(|e| e.violation),
        Some(Violation::InvalidCapture {
            in_stack: false,
            ..
        })
    ));
}

#[test]
fn errors_in_nested_functions_say_where() {
    let mut grandchild = function(&[I::Move { dst: 9, src: 0 }]);
    grandchild.line_defined = 7;
    let mut child = function(&[]);
    child.protos = vec![Rc::new(function(&[])), Rc::new(grandchild)];
    let mut root = function(&[]);
    root.protos = vec![Rc::new(child)];
    let Err(error) = verify(&root) else {
        panic!("accepted");
    };
    assert_eq!(error.path, vec![0, 1]);
    assert_eq!(error.pc, Some(0));
    assert_eq!(error.line_defined, 7);
    assert_eq!(
        error.to_string(),
        "function at line 7, instruction 1 (Move { dst: 9, src: 0 }): register 9 out of range \
         (stack size 4)"
    );
}

#[test]
fn jumps_land_inside_the_code() {
    accepts(&[I::Jmp { offset: 0 }, I::Jmp { offset: -2 }]);
    rejects(
        &[I::Jmp { offset: 1 }],
        Violation::JumpOutOfRange {
            target: 2,
            code_length: 2,
        },
    );
    rejects(
        &[I::Jmp { offset: -2 }],
        Violation::JumpOutOfRange {
            target: -1,
            code_length: 2,
        },
    );
    rejects(
        &[I::Jmp { offset: i32::MIN }],
        Violation::JumpOutOfRange {
            target: 1 + i64::from(i32::MIN),
            code_length: 2,
        },
    );
    rejects(
        &[I::ForPrep { base: 0, offset: 5 }],
        Violation::JumpOutOfRange {
            target: 6,
            code_length: 2,
        },
    );
}

#[test]
fn skips_need_an_instruction_to_skip_and_one_to_land_on() {
    // `LoadFalseSkip` before the final return would skip past the end.
    rejects(
        &[I::LoadFalseSkip { dst: 0 }],
        Violation::JumpOutOfRange {
            target: 2,
            code_length: 2,
        },
    );
    accepts(&[
        I::LoadFalseSkip { dst: 0 },
        I::LoadBoolean {
            dst: 0,
            value: true,
        },
    ]);
}

#[test]
fn conditionals_are_followed_by_a_jump() {
    let conditionals = [
        I::Eq {
            lhs: 0,
            rhs: 1,
            expect: true,
        },
        I::LtI {
            lhs: 0,
            value: 3,
            is_float: false,
            expect: false,
        },
        I::Test {
            src: 0,
            expect: true,
        },
        I::TestSet {
            dst: 1,
            src: 0,
            expect: true,
        },
        I::EqK {
            lhs: 0,
            constant: 1,
            expect: true,
        },
    ];
    for conditional in conditionals {
        accepts(&[conditional, I::Jmp { offset: 0 }]);
        rejects(&[conditional], Violation::MissingJump);
        rejects(
            &[conditional, I::Move { dst: 0, src: 0 }],
            Violation::MissingJump,
        );
    }
}

#[test]
fn code_ends_with_a_return() {
    let mut proto = function(&[]);
    proto.code = vec![I::Move { dst: 0, src: 0 }];
    proto.line_info.clear();
    assert_eq!(violation(&proto), Some(Violation::MissingReturn));
    proto.code = vec![I::Jmp { offset: -1 }];
    assert_eq!(violation(&proto), Some(Violation::MissingReturn));
    proto.code.clear();
    assert_eq!(violation(&proto), Some(Violation::EmptyCode));
    for last in [
        I::Return {
            first: 0,
            count_plus_one: 2,
        },
        I::Return1 { src: 0 },
    ] {
        proto.code = vec![last];
        assert_eq!(violation(&proto), None);
    }
}

#[test]
fn open_ranges_follow_their_producer() {
    let open_call = I::Call {
        func: 0,
        args_plus_one: 0,
        results_plus_one: 1,
    };
    let producer = I::Call {
        func: 1,
        args_plus_one: 1,
        results_plus_one: 0,
    };
    accepts(&[producer, open_call]);
    rejects(&[open_call], Violation::OpenRangeWithoutProducer);
    rejects(
        &[producer, I::Move { dst: 0, src: 0 }, open_call],
        Violation::OpenRangeWithoutProducer,
    );
    // Reachable by a jump that skips the producer.
    rejects(
        &[I::Jmp { offset: 1 }, producer, open_call],
        Violation::OpenRangeWithoutProducer,
    );
    // ... or by a skip.
    rejects(
        &[I::LoadFalseSkip { dst: 0 }, producer, open_call],
        Violation::OpenRangeWithoutProducer,
    );
    let open_return = I::Return {
        first: 1,
        count_plus_one: 0,
    };
    let open_set_list = I::SetList {
        table: 0,
        count: 0,
        offset: 0,
    };
    let tail_call = I::TailCall {
        func: 1,
        args_plus_one: 2,
    };
    accepts(&[producer, open_set_list]);
    accepts(&[tail_call, open_return]);
    rejects(&[open_return], Violation::OpenRangeWithoutProducer);
    rejects(&[open_set_list], Violation::OpenRangeWithoutProducer);
    let mut vararg = function(&[
        I::VarArgPrep { fixed_params: 1 },
        I::VarArg {
            dst: 1,
            count_plus_one: 0,
        },
        open_return,
    ]);
    vararg.is_vararg = true;
    assert_eq!(violation(&vararg), None);
}

#[test]
fn varargs_have_their_shape() {
    rejects(
        &[I::VarArgPrep { fixed_params: 1 }],
        Violation::MisplacedVarArgPrep,
    );
    rejects(
        &[I::VarArg {
            dst: 0,
            count_plus_one: 2,
        }],
        Violation::VarArgInFixedFunction,
    );
    let vararg = |code: &[Instruction]| {
        let mut proto = function(code);
        proto.is_vararg = true;
        violation(&proto)
    };
    assert_eq!(vararg(&[]), Some(Violation::MissingVarArgPrep));
    assert_eq!(
        vararg(&[I::VarArgPrep { fixed_params: 0 }]),
        Some(Violation::MissingVarArgPrep)
    );
    assert_eq!(
        vararg(&[
            I::VarArgPrep { fixed_params: 1 },
            I::VarArgPrep { fixed_params: 1 }
        ]),
        Some(Violation::MisplacedVarArgPrep)
    );
    assert_eq!(
        vararg(&[
            I::VarArgPrep { fixed_params: 1 },
            I::VarArg {
                dst: 1,
                count_plus_one: 4,
            }
        ]),
        None
    );
    assert_eq!(
        vararg(&[
            I::VarArgPrep { fixed_params: 1 },
            I::VarArg {
                dst: 1,
                count_plus_one: 5,
            }
        ]),
        Some(register(4))
    );
}

#[test]
fn function_header_is_consistent() {
    let mut proto = function(&[]);
    proto.param_count = 5;
    assert_eq!(
        violation(&proto),
        Some(Violation::ParamsExceedStack {
            param_count: 5,
            max_stack_size: 4
        })
    );
    let mut proto = function(&[]);
    proto.line_info = vec![1, 2];
    assert_eq!(
        violation(&proto),
        Some(Violation::LineInfoLength {
            lines: 2,
            code_length: 1
        })
    );
    proto.line_info.clear();
    assert_eq!(violation(&proto), None);
    let local = |register, start_pc, end_pc| LocalVariable {
        name: name("x"),
        register,
        start_pc,
        end_pc,
    };
    for (bad, index) in [
        (local(4, 0, 1), 1),
        (local(0, 1, 0), 1),
        (local(0, 0, 2), 1),
    ] {
        let mut proto = function(&[]);
        proto.locals = vec![local(3, 0, 1), bad];
        assert_eq!(violation(&proto), Some(Violation::InvalidLocal { index }));
    }
}

#[test]
fn nesting_is_bounded_and_trees_are_not_shared() {
    let mut proto = function(&[]);
    for _ in 0..MAX_PROTO_DEPTH {
        let mut parent = function(&[]);
        parent.protos = vec![Rc::new(proto)];
        proto = parent;
    }
    assert_eq!(violation(&proto), None);
    let mut parent = function(&[]);
    parent.protos = vec![Rc::new(proto)];
    assert_eq!(violation(&parent), Some(Violation::TooDeep));

    // A DAG would make recursive walks exponential.
    let shared = Rc::new(function(&[]));
    let mut proto = function(&[]);
    proto.protos = vec![shared.clone(), shared];
    assert_eq!(violation(&proto), Some(Violation::SharedProto));
}

#[test]
fn compiled_code_verifies() {
    let sources = [
        "return",
        "local a, b = ... return a .. b, #a, -b, not a",
        "local t = {1, 2, 3, ...} for i, v in ipairs(t) do t[i] = v * 2 end return t",
        "for i = 10, 1, -1 do if i % 2 == 0 then goto continue end print(i) ::continue:: end",
        "local x <close> = nil do local y <close> = setmetatable({}, {__close = print}) end",
        "local o = {} function o:m(...) return self, select('#', ...) end return o:m(1, 2)",
        "return (function(...) return ... end)(1, nil, 3)",
        "local a = 1 local function f() a = a + 1 return function() return a end end return f",
        "while true do local x = math.random() if x > 0.5 then break end end",
        "return 1 < 2, 'a' <= 'b', {} == {}, 3 > 2.5, nil ~= false",
    ];
    for source in sources {
        let proto = match crate::languages::lua::compile(source.as_bytes(), b"=test") {
            Ok(proto) => proto,
            Err(error) => panic!("{}", String::from_utf8_lossy(&error.message)),
        };
        let result = verify(&proto);
        assert!(result.is_ok(), "{source}: {result:?}");
    }
}
