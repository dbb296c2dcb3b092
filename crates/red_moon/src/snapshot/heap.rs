//! Serialization of the heap: arenas, interned strings, tables in their exact layout,
//! function prototypes (shared between closures, so stored once in a table), natives by id
//! or tag, userdata by registered type.

use super::arena::{arena_view, ArenaParts};
use super::bytes::{ByteBuf, Bytes};
use crate::bytecode::{Constant, Instruction, LocalVariable, Proto, UpvalueDescriptor};
use crate::interpreter::function::{FunctionProto, LuaClosure, NativeFunction, Upvalue};
use crate::interpreter::heap::{hash_bytes, Arena, Color, Heap, LuaString, TableId, UpvalueId};
use crate::interpreter::native::NativeKind;
use crate::interpreter::table::{Table, TableParts};
use crate::interpreter::thread::Thread;
use crate::interpreter::userdata::{PendingUserData, UserData};
use crate::interpreter::value::Value;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::rc::Rc;

/// A prototype in the snapshot's prototype table. Nested prototypes are referenced by index
/// and always come first (post-order), so a table is rebuilt in one pass.
#[derive(Serialize, Deserialize)]
struct ProtoRecord {
    source: u32,
    line_defined: u32,
    last_line_defined: u32,
    param_count: u8,
    is_vararg: bool,
    max_stack_size: u8,
    code: Vec<Instruction>,
    line_info: Vec<u32>,
    constants: Vec<Constant>,
    upvalues: Vec<UpvalueDescriptor>,
    locals: Vec<LocalVariable>,
    children: Vec<u32>,
    /// `FunctionProto::code_bytes`: memory accounting only, so trusted like `allocated`.
    code_bytes: u64,
}

#[derive(Serialize, Deserialize)]
enum NativeRecord {
    /// A library function, by its stable id.
    Builtin(String, Vec<Value>),
    /// A host function, by its rehydration tag (if any).
    Host(Option<String>, Vec<Value>),
}

#[derive(Serialize, Deserialize)]
struct UserDataRecord {
    tag: String,
    payload: ByteBuf,
    metatable: Option<TableId>,
    user_values: Vec<Value>,
    size: u64,
}

#[derive(Serialize)]
struct TableRecordRef<'a> {
    array: &'a [Value],
    entries: Vec<(Value, Value)>,
    index_size: u32,
    metatable: Option<TableId>,
}

#[derive(Deserialize)]
struct TableRecord {
    array: Vec<Value>,
    entries: Vec<(Value, Value)>,
    index_size: u32,
    metatable: Option<TableId>,
}

/// Assigns indices to the prototypes reachable from closures, children first.
struct ProtoTable {
    index: HashMap<*const FunctionProto, u32>,
    records: Vec<ProtoRecord>,
    sources: Vec<Rc<[u8]>>,
    source_index: HashMap<Rc<[u8]>, u32>,
}

impl ProtoTable {
    fn new() -> Self {
        ProtoTable {
            index: HashMap::new(),
            records: Vec::new(),
            sources: Vec::new(),
            source_index: HashMap::new(),
        }
    }

    fn add(&mut self, proto: &Rc<FunctionProto>) -> u32 {
        let key = Rc::as_ptr(proto);
        if let Some(&i) = self.index.get(&key) {
            return i;
        }
        let children: Vec<u32> = proto.children.iter().map(|c| self.add(c)).collect();
        let p = &proto.proto;
        let source = match self.source_index.get(&p.source) {
            Some(&i) => i,
            None => {
                let i = self.sources.len() as u32;
                self.sources.push(p.source.clone());
                self.source_index.insert(p.source.clone(), i);
                i
            }
        };
        let record = ProtoRecord {
            source,
            line_defined: p.line_defined,
            last_line_defined: p.last_line_defined,
            param_count: p.param_count,
            is_vararg: p.is_vararg,
            max_stack_size: p.max_stack_size,
            code: p.code.clone(),
            line_info: p.line_info.clone(),
            constants: p.constants.clone(),
            upvalues: p.upvalues.clone(),
            locals: p.locals.clone(),
            children,
            code_bytes: proto.code_bytes as u64,
        };
        let i = self.records.len() as u32;
        self.records.push(record);
        self.index.insert(key, i);
        i
    }
}

#[derive(Serialize)]
struct HeapRecordRef<'a, S, T, C, N, U, D, H> {
    string_seed: u64,
    strings: S,
    tables: T,
    sources: Vec<Bytes<'a>>,
    protos: &'a [ProtoRecord],
    closures: C,
    natives: N,
    upvalues: U,
    userdata: D,
    threads: H,
    allocated: u64,
    new_color: Color,
}

pub(crate) fn serialize_heap<S: serde::Serializer>(
    heap: &Heap,
    userdata_tags: &dyn Fn(&UserData) -> Result<(String, Vec<u8>), String>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let mut protos = ProtoTable::new();
    for (_, closure) in heap.closures.iter() {
        protos.add(&closure.proto);
    }
    let sources: Vec<Bytes> = protos.sources.iter().map(|s| Bytes(s)).collect();
    let record = HeapRecordRef {
        string_seed: heap.string_seed(),
        strings: arena_view(&heap.strings, |s| Ok(Bytes(s.bytes()))),
        tables: arena_view(&heap.tables, |t| {
            let (array, entries, index_size) = t.layout();
            Ok(TableRecordRef {
                array,
                entries: entries.collect(),
                index_size,
                metatable: t.metatable,
            })
        }),
        sources,
        protos: &protos.records,
        closures: arena_view(&heap.closures, |c| {
            let proto = protos
                .index
                .get(&Rc::as_ptr(&c.proto))
                .copied()
                .ok_or_else(|| "prototype missing from the table".to_string())?;
            Ok((proto, &*c.upvalues))
        }),
        natives: arena_view(&heap.natives, |n| {
            let upvalues = n.upvalues.to_vec();
            Ok(match &n.kind {
                NativeKind::Builtin(b) => NativeRecord::Builtin(b.id.to_string(), upvalues),
                NativeKind::Host(h) => {
                    NativeRecord::Host(h.tag.as_deref().map(str::to_string), upvalues)
                }
                NativeKind::Missing { tag } => {
                    NativeRecord::Host(tag.as_deref().map(str::to_string), upvalues)
                }
            })
        }),
        upvalues: arena_view(&heap.upvalues, |u| Ok(*u)),
        userdata: arena_view(&heap.userdata, |u| {
            let (tag, payload) = userdata_tags(u)?;
            Ok(UserDataRecord {
                tag,
                payload: ByteBuf(payload),
                metatable: u.metatable,
                user_values: u.user_values.clone(),
                size: u.size as u64,
            })
        }),
        threads: arena_view(&heap.threads, |t| Ok(t)),
        allocated: heap.allocated as u64,
        new_color: heap.new_color,
    };
    record.serialize(serializer)
}

#[derive(Deserialize)]
pub(crate) struct HeapRecord {
    string_seed: u64,
    strings: ArenaParts<ByteBuf>,
    tables: ArenaParts<TableRecord>,
    sources: Vec<ByteBuf>,
    protos: Vec<ProtoRecord>,
    closures: ArenaParts<(u32, Vec<UpvalueId>)>,
    natives: ArenaParts<NativeRecord>,
    upvalues: ArenaParts<Upvalue>,
    userdata: ArenaParts<UserDataRecord>,
    threads: ArenaParts<Thread>,
    allocated: u64,
    new_color: Color,
}

/// Arenas never hold more slots than a 32-bit id can name.
const MAX_CAPACITY: u32 = u32::MAX - 1;

/// Hash index slots beyond twice what the entries need, summed over all tables (16 MiB of
/// index). Constructors preallocate a little; only a forged snapshot needs more.
const MAX_SPARE_INDEX_SLOTS: usize = 1 << 22;

impl HeapRecord {
    /// Rebuilds the heap. Structural checks happen here (arena consistency, string
    /// uniqueness, table keys, prototype tree shape and bytecode verification); references
    /// between objects are checked by `validate` once the whole VM exists.
    pub(crate) fn build<E: serde::de::Error>(self) -> Result<Heap, E> {
        let seed = self.string_seed;
        let strings = self.strings.build(MAX_CAPACITY, |_, bytes: ByteBuf| {
            let bytes: Rc<[u8]> = Rc::from(bytes.0);
            let hash = hash_bytes(&bytes, seed);
            Ok::<_, E>(LuaString::new(bytes, hash))
        })?;
        let mut heap = Heap::from_strings(strings, seed)
            .ok_or_else(|| E::custom("duplicate interned string"))?;
        let mut spare_slots = MAX_SPARE_INDEX_SLOTS;
        heap.tables = self.tables.build(MAX_CAPACITY, |_, t: TableRecord| {
            let parts = TableParts {
                array: t.array,
                entries: t.entries,
                index_size: t.index_size,
                metatable: t.metatable,
            };
            Table::from_parts(parts, &mut spare_slots)
                .ok_or_else(|| E::custom("invalid table layout"))
        })?;
        let protos = build_protos::<E>(&heap, self.sources, self.protos)?;
        heap.closures = self.closures.build(
            MAX_CAPACITY,
            |_, (proto, upvalues): (u32, Vec<UpvalueId>)| {
                let proto = protos
                    .get(proto as usize)
                    .cloned()
                    .ok_or_else(|| E::custom("closure refers to a missing prototype"))?;
                if upvalues.len() != proto.proto.upvalues.len() {
                    return Err(E::custom(
                        "closure upvalue count differs from its prototype",
                    ));
                }
                Ok(LuaClosure {
                    proto,
                    upvalues: upvalues.into(),
                })
            },
        )?;
        heap.natives = self
            .natives
            .build(MAX_CAPACITY, |_, record: NativeRecord| {
                Ok(match record {
                    NativeRecord::Builtin(id, upvalues) => NativeFunction {
                        kind: NativeKind::Builtin(
                            crate::stdlib::registry::builtin_by_id(&id).ok_or_else(|| {
                                E::custom(format!("unknown library function '{id}'"))
                            })?,
                        ),
                        upvalues: upvalues.into(),
                    },
                    NativeRecord::Host(tag, upvalues) => NativeFunction {
                        kind: NativeKind::Missing {
                            tag: tag.map(|t| Rc::from(t.as_str())),
                        },
                        upvalues: upvalues.into(),
                    },
                })
            })?;
        heap.upvalues = self.upvalues.build(MAX_CAPACITY, |_, u| Ok::<_, E>(u))?;
        heap.userdata = self.userdata.build(MAX_CAPACITY, |_, u: UserDataRecord| {
            Ok::<_, E>(UserData {
                value: Box::new(PendingUserData {
                    tag: Rc::from(u.tag.as_str()),
                    payload: Rc::from(u.payload.0),
                }),
                metatable: u.metatable,
                user_values: u.user_values,
                size: usize::try_from(u.size).unwrap_or(usize::MAX),
            })
        })?;
        heap.threads = self.threads.build(MAX_CAPACITY, |_, t| Ok::<_, E>(t))?;
        heap.allocated = usize::try_from(self.allocated).unwrap_or(usize::MAX);
        heap.new_color = match self.new_color {
            c @ (Color::WhiteA | Color::WhiteB) => c,
            _ => return Err(E::custom("invalid current white")),
        };
        Ok(heap)
    }
}

/// Rebuilds the prototype table (children before parents), verifying every tree's
/// bytecode and resolving string constants to the heap's interned strings.
fn build_protos<E: serde::de::Error>(
    heap: &Heap,
    sources: Vec<ByteBuf>,
    records: Vec<ProtoRecord>,
) -> Result<Vec<Rc<FunctionProto>>, E> {
    let sources: Vec<Rc<[u8]>> = sources.into_iter().map(|s| Rc::from(s.0)).collect();
    let mut built: Vec<Rc<FunctionProto>> = Vec::with_capacity(records.len().min(4096));
    let mut is_child = vec![false; records.len()];
    for (i, record) in records.into_iter().enumerate() {
        let mut children = Vec::with_capacity(record.children.len().min(4096));
        for &child in &record.children {
            let child = child as usize;
            if child >= i
                || std::mem::replace(
                    is_child
                        .get_mut(child)
                        .ok_or_else(|| E::custom("bad prototype index"))?,
                    true,
                )
            {
                return Err(E::custom("prototypes do not form a tree"));
            }
            children.push(built[child].clone());
        }
        let source = sources
            .get(record.source as usize)
            .cloned()
            .ok_or_else(|| E::custom("prototype refers to a missing source"))?;
        let proto = Proto {
            source,
            line_defined: record.line_defined,
            last_line_defined: record.last_line_defined,
            param_count: record.param_count,
            is_vararg: record.is_vararg,
            max_stack_size: record.max_stack_size,
            code: record.code,
            line_info: record.line_info,
            constants: record.constants,
            upvalues: record.upvalues,
            protos: children
                .iter()
                .map(|c: &Rc<FunctionProto>| c.proto.clone())
                .collect(),
            locals: record.locals,
        };
        let mut constants = Vec::with_capacity(proto.constants.len());
        for constant in &proto.constants {
            constants.push(match constant {
                Constant::Nil => Value::Nil,
                Constant::Boolean(b) => Value::Boolean(*b),
                Constant::Integer(n) => Value::Integer(*n),
                Constant::Float(f) => Value::Float(*f),
                Constant::String(s) => Value::String(
                    heap.find_interned(s)
                        .ok_or_else(|| E::custom("string constant missing from the heap"))?,
                ),
            });
        }
        built.push(Rc::new(FunctionProto {
            proto: Rc::new(proto),
            constants: constants.into_boxed_slice(),
            children: children.into_boxed_slice(),
            code_bytes: usize::try_from(record.code_bytes).unwrap_or(usize::MAX),
        }));
    }
    for (proto, child) in built.iter().zip(&is_child) {
        if !child {
            crate::bytecode::verify(&proto.proto)
                .map_err(|e| E::custom(format!("invalid bytecode: {e}")))?;
        }
    }
    Ok(built)
}

impl Heap {
    /// A heap holding `strings` (with a fresh interner); `None` if two strings are equal.
    pub(crate) fn from_strings(strings: Arena<LuaString>, seed: u64) -> Option<Heap> {
        let mut heap = Heap::new(seed);
        heap.strings = strings;
        heap.rebuild_interner()?;
        Some(heap)
    }
}
