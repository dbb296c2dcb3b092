//! Userdata types: the `UserData` trait, method registration, the per-type metatable, and
//! registration for serialization.
//!
//! Each Rust type gets one metatable per VM, built the first time a value of the type is
//! created (or the type is registered) and kept in the registry under a key derived from the
//! type: its serialization tag when registered, else its Rust type name. Methods and
//! metamethods are host functions tagged `"<key>.<method>"` / `"<key>:<metamethod>"`, so in
//! a deserialized VM building the metatable again rehydrates the serialized ones (and any
//! copies a script kept) instead of making new ones.

use super::context::VmContext;
use super::convert::{FromMulti, IntoMulti};
use super::handles::{TableRef, UserDataRef};
use super::host_function::{host_fn, CallContext};
use super::value::{MultiValue, Value};
use crate::errors::RuntimeError;
use crate::interpreter::heap::TableId;
use crate::interpreter::native::HostFn;
use crate::interpreter::value::Value as RawValue;
use crate::interpreter::Vm;
use std::any::{type_name, TypeId};
use std::marker::PhantomData;
use std::rc::Rc;

/// A Rust type that scripts can hold as a userdata, with methods and metamethods.
///
/// ```
/// use red_moon::interpreter::{UserData, UserDataMethods, Vm};
///
/// #[derive(Clone)]
/// struct Vector(f64, f64);
///
/// impl UserData for Vector {
///     fn add_methods(methods: &mut UserDataMethods<Self>) {
///         methods.add_method("length", |_, v: &Vector, ()| Ok(v.0.hypot(v.1)));
///         methods.add_method_mut("scale", |_, v: &mut Vector, k: f64| {
///             v.0 *= k;
///             v.1 *= k;
///             Ok(())
///         });
///         methods.add_meta_method("__tostring", |_, v: &Vector, ()| Ok(format!("({}, {})", v.0, v.1)));
///     }
/// }
///
/// let mut vm = Vm::default();
/// let ctx = &mut vm.context();
/// let v = ctx.create_userdata(Vector(3.0, 4.0)).unwrap();
/// ctx.default_environment().set("v", v, ctx).unwrap();
/// let (length, text): (f64, String) = ctx
///     .exec(b"v:scale(2) return v:length(), tostring(v)", "=example")
///     .unwrap();
/// assert_eq!((length, text.as_str()), (10.0, "(6, 8)"));
/// ```
pub trait UserData: Clone + 'static {
    /// The name scripts see: the metatable's `__name` (`tostring` shows `Name: 0x...`) and
    /// error messages (`Name expected, got nil`). By default the Rust type's name without
    /// its module path.
    fn name() -> &'static str {
        let full = type_name::<Self>();
        let base = full.split('<').next().unwrap_or(full);
        base.rsplit("::").next().unwrap_or(base)
    }

    /// Registers the type's methods and metamethods.
    fn add_methods(methods: &mut UserDataMethods<Self>) {
        let _ = methods;
    }
}

/// One method or metamethod being registered.
struct Entry {
    name: String,
    meta: bool,
    function: Rc<dyn HostFn>,
}

/// The methods and metamethods of a userdata type, given to [`UserData::add_methods`].
///
/// Methods receive the context, the value (borrowed from the userdata) and their other
/// arguments converted with [`FromMulti`] (a conversion failure raises
/// `bad argument #n to 'name'`, counting `self` as argument 1 like PUC does); they return
/// anything [`IntoMulti`]. While a `_mut` method runs, other access to the same userdata
/// fails with "already borrowed"; shared methods may nest.
pub struct UserDataMethods<T> {
    entries: Vec<Entry>,
    _type: PhantomData<fn(T)>,
}

/// The userdata in argument 1 (`self`), and the remaining arguments.
fn split_self<T: UserData>(
    call: &CallContext,
    ctx: &VmContext,
) -> Result<(UserDataRef, MultiValue), RuntimeError> {
    let mut values = call.args().0.clone();
    let first = (!values.is_empty()).then(|| values.remove(0));
    let actual = first.as_ref().map_or("no value", Value::type_name);
    match first {
        Some(Value::UserData(this)) if this.is::<T>(ctx) => Ok((this, MultiValue(values))),
        _ => Err(RuntimeError::BadArgument {
            position: 1,
            message: format!("{} expected, got {actual}", T::name()),
        }),
    }
}

fn method_function<T, A, R, F>(method: F) -> Rc<dyn HostFn>
where
    T: UserData,
    A: FromMulti + 'static,
    R: IntoMulti + 'static,
    F: Fn(&mut VmContext, &T, A) -> Result<R, RuntimeError> + Clone + 'static,
{
    host_fn(move |call: CallContext, ctx: &mut VmContext| {
        let (this, rest) = split_self::<T>(&call, ctx)?;
        let args = A::from_args(rest, 2, ctx)?;
        this.with_borrow(ctx, |value: &T, ctx| {
            method(ctx, value, args)?.into_multi(ctx)
        })
    })
}

fn method_mut_function<T, A, R, F>(method: F) -> Rc<dyn HostFn>
where
    T: UserData,
    A: FromMulti + 'static,
    R: IntoMulti + 'static,
    F: Fn(&mut VmContext, &mut T, A) -> Result<R, RuntimeError> + Clone + 'static,
{
    host_fn(move |call: CallContext, ctx: &mut VmContext| {
        let (this, rest) = split_self::<T>(&call, ctx)?;
        let args = A::from_args(rest, 2, ctx)?;
        this.with_borrow_mut(ctx, |value: &mut T, ctx| {
            method(ctx, value, args)?.into_multi(ctx)
        })
    })
}

fn plain_function<A, R, F>(function: F) -> Rc<dyn HostFn>
where
    A: FromMulti + 'static,
    R: IntoMulti + 'static,
    F: Fn(&mut VmContext, A) -> Result<R, RuntimeError> + Clone + 'static,
{
    host_fn(move |call: CallContext, ctx: &mut VmContext| {
        let args = call.get_args::<A>(ctx)?;
        function(ctx, args)?.into_multi(ctx)
    })
}

impl<T: UserData> UserDataMethods<T> {
    fn push(&mut self, name: &str, meta: bool, function: Rc<dyn HostFn>) {
        self.entries.push(Entry {
            name: name.to_string(),
            meta,
            function,
        });
    }

    /// A method reading the value: `u:name(args...)`.
    ///
    /// ```
    /// use red_moon::interpreter::{UserData, UserDataMethods, Vm};
    ///
    /// #[derive(Clone)]
    /// struct Name(String);
    /// impl UserData for Name {
    ///     fn add_methods(methods: &mut UserDataMethods<Self>) {
    ///         methods.add_method("greet", |_, n: &Name, greeting: String| Ok(format!("{greeting}, {}", n.0)));
    ///     }
    /// }
    ///
    /// let mut vm = Vm::default();
    /// let ctx = &mut vm.context();
    /// let name = ctx.create_userdata(Name("Ada".into())).unwrap();
    /// let text: String = name.call_method("greet", "hello", ctx).unwrap();
    /// assert_eq!(text, "hello, Ada");
    /// ```
    pub fn add_method<A, R, F>(&mut self, name: &str, method: F)
    where
        A: FromMulti + 'static,
        R: IntoMulti + 'static,
        F: Fn(&mut VmContext, &T, A) -> Result<R, RuntimeError> + Clone + 'static,
    {
        self.push(name, false, method_function(method));
    }

    /// A method changing the value: `u:name(args...)`.
    ///
    /// ```
    /// use red_moon::interpreter::{UserData, UserDataMethods, Vm};
    ///
    /// #[derive(Clone)]
    /// struct Stack(Vec<i64>);
    /// impl UserData for Stack {
    ///     fn add_methods(methods: &mut UserDataMethods<Self>) {
    ///         methods.add_method_mut("push", |_, s: &mut Stack, v: i64| {
    ///             s.0.push(v);
    ///             Ok(s.0.len())
    ///         });
    ///     }
    /// }
    ///
    /// let mut vm = Vm::default();
    /// let ctx = &mut vm.context();
    /// let stack = ctx.create_userdata(Stack(vec![])).unwrap();
    /// ctx.default_environment().set("stack", stack, ctx).unwrap();
    /// let n: usize = ctx.exec(b"stack:push(1) return stack:push(2)", "=example").unwrap();
    /// assert_eq!(n, 2);
    /// ```
    pub fn add_method_mut<A, R, F>(&mut self, name: &str, method: F)
    where
        A: FromMulti + 'static,
        R: IntoMulti + 'static,
        F: Fn(&mut VmContext, &mut T, A) -> Result<R, RuntimeError> + Clone + 'static,
    {
        self.push(name, false, method_mut_function(method));
    }

    /// A function in the methods table that gets all arguments as they are (e.g. a
    /// constructor: `Point.new(1, 2)` from a userdata's index, or a method that accepts
    /// other values as `self`).
    ///
    /// ```
    /// use red_moon::interpreter::{UserData, UserDataMethods, Vm};
    ///
    /// #[derive(Clone)]
    /// struct Unit;
    /// impl UserData for Unit {
    ///     fn add_methods(methods: &mut UserDataMethods<Self>) {
    ///         methods.add_function("describe", |_, args: red_moon::interpreter::MultiValue| {
    ///             Ok(format!("{} arguments", args.len()))
    ///         });
    ///     }
    /// }
    ///
    /// let mut vm = Vm::default();
    /// let ctx = &mut vm.context();
    /// let unit = ctx.create_userdata(Unit).unwrap();
    /// ctx.default_environment().set("unit", unit, ctx).unwrap();
    /// let text: String = ctx.exec(b"return unit.describe(1, 2, 3)", "=example").unwrap();
    /// assert_eq!(text, "3 arguments");
    /// ```
    pub fn add_function<A, R, F>(&mut self, name: &str, function: F)
    where
        A: FromMulti + 'static,
        R: IntoMulti + 'static,
        F: Fn(&mut VmContext, A) -> Result<R, RuntimeError> + Clone + 'static,
    {
        self.push(name, false, plain_function(function));
    }

    /// A metamethod reading the value (`"__tostring"`, `"__len"`, `"__eq"`, `"__index"`,
    /// ...). An `__index` metamethod is consulted for keys that are not methods.
    ///
    /// ```
    /// use red_moon::interpreter::{UserData, UserDataMethods, Vm};
    ///
    /// #[derive(Clone)]
    /// struct Bag(Vec<u8>);
    /// impl UserData for Bag {
    ///     fn add_methods(methods: &mut UserDataMethods<Self>) {
    ///         methods.add_meta_method("__len", |_, b: &Bag, ()| Ok(b.0.len()));
    ///     }
    /// }
    ///
    /// let mut vm = Vm::default();
    /// let ctx = &mut vm.context();
    /// let bag = ctx.create_userdata(Bag(vec![1, 2, 3])).unwrap();
    /// ctx.default_environment().set("bag", bag, ctx).unwrap();
    /// assert_eq!(ctx.exec::<i64>(b"return #bag", "=example").unwrap(), 3);
    /// ```
    pub fn add_meta_method<A, R, F>(&mut self, name: &str, method: F)
    where
        A: FromMulti + 'static,
        R: IntoMulti + 'static,
        F: Fn(&mut VmContext, &T, A) -> Result<R, RuntimeError> + Clone + 'static,
    {
        self.push(name, true, method_function(method));
    }

    /// A metamethod changing the value (`"__newindex"`, `"__call"`, ...).
    ///
    /// ```
    /// use red_moon::interpreter::{UserData, UserDataMethods, Vm};
    ///
    /// #[derive(Clone)]
    /// struct Counter(i64);
    /// impl UserData for Counter {
    ///     fn add_methods(methods: &mut UserDataMethods<Self>) {
    ///         methods.add_meta_method_mut("__call", |_, c: &mut Counter, ()| {
    ///             c.0 += 1;
    ///             Ok(c.0)
    ///         });
    ///     }
    /// }
    ///
    /// let mut vm = Vm::default();
    /// let ctx = &mut vm.context();
    /// let counter = ctx.create_userdata(Counter(0)).unwrap();
    /// ctx.default_environment().set("tick", counter, ctx).unwrap();
    /// assert_eq!(ctx.exec::<i64>(b"tick() return tick()", "=example").unwrap(), 2);
    /// ```
    pub fn add_meta_method_mut<A, R, F>(&mut self, name: &str, method: F)
    where
        A: FromMulti + 'static,
        R: IntoMulti + 'static,
        F: Fn(&mut VmContext, &mut T, A) -> Result<R, RuntimeError> + Clone + 'static,
    {
        self.push(name, true, method_mut_function(method));
    }

    /// A metamethod that gets all operands as they are: for binary operators, where the
    /// userdata may be either operand (`2 * v` as well as `v * 2`).
    ///
    /// ```
    /// use red_moon::interpreter::{FromLua, UserData, UserDataMethods, UserDataRef, Value, Vm};
    ///
    /// #[derive(Clone)]
    /// struct Money(i64);
    /// impl UserData for Money {
    ///     fn add_methods(methods: &mut UserDataMethods<Self>) {
    ///         methods.add_meta_function("__add", |ctx, (a, b): (Value, Value)| {
    ///             let mut total = 0;
    ///             for operand in [a, b] {
    ///                 total += match operand {
    ///                     Value::UserData(u) => u.borrow::<Money>(ctx)?.0,
    ///                     other => i64::from_lua(other, ctx)?,
    ///                 };
    ///             }
    ///             ctx.create_userdata(Money(total))
    ///         });
    ///     }
    /// }
    ///
    /// let mut vm = Vm::default();
    /// let ctx = &mut vm.context();
    /// let money = ctx.create_userdata(Money(5)).unwrap();
    /// ctx.default_environment().set("money", money, ctx).unwrap();
    /// let sum: UserDataRef = ctx.exec(b"return 10 + money + money", "=example").unwrap();
    /// assert_eq!(sum.borrow::<Money>(ctx).unwrap().0, 20);
    /// ```
    pub fn add_meta_function<A, R, F>(&mut self, name: &str, function: F)
    where
        A: FromMulti + 'static,
        R: IntoMulti + 'static,
        F: Fn(&mut VmContext, A) -> Result<R, RuntimeError> + Clone + 'static,
    {
        self.push(name, true, plain_function(function));
    }
}

/// Registry keys of a type's metatable and methods table.
struct ClassKeys {
    key: String,
    metatable: String,
    methods: String,
}

impl ClassKeys {
    fn new(key: String) -> Self {
        ClassKeys {
            metatable: format!("red_moon.userdata:{key}"),
            methods: format!("red_moon.userdata.methods:{key}"),
            key,
        }
    }

    /// The rehydration tag of a method or metamethod.
    fn tag(&self, entry: &Entry) -> String {
        let separator = if entry.meta { ':' } else { '.' };
        format!("{}{separator}{}", self.key, entry.name)
    }
}

/// `__index` for a type with both methods and an `__index` metamethod: methods first.
const COMBINED_INDEX: &[u8] = b"local methods, index = ...
return function(self, key)
  local method = methods[key]
  if method ~= nil then return method end
  return index(self, key)
end";

impl Vm {
    /// The key a type's metatable is stored under: its serialization tag, else its name.
    fn class_key<T: 'static>(&self) -> String {
        let id = TypeId::of::<T>();
        match self.userdata_types.iter().find(|codec| codec.type_id == id) {
            Some(codec) => codec.tag.to_string(),
            None => type_name::<T>().to_string(),
        }
    }
}

impl VmContext<'_> {
    /// A userdata holding `value`, with the metatable of its type (its methods and
    /// metamethods). Cloning the VM clones the value; serializing it requires the type to
    /// be registered with [`VmContext::register_userdata_type`].
    ///
    /// ```
    /// use red_moon::interpreter::{UserData, UserDataMethods, Vm};
    ///
    /// #[derive(Clone)]
    /// struct Player { name: String }
    /// impl UserData for Player {
    ///     fn add_methods(methods: &mut UserDataMethods<Self>) {
    ///         methods.add_method("name", |_, p: &Player, ()| Ok(p.name.clone()));
    ///     }
    /// }
    ///
    /// let mut vm = Vm::default();
    /// let ctx = &mut vm.context();
    /// let player = ctx.create_userdata(Player { name: "Ada".into() }).unwrap();
    /// ctx.default_environment().set("player", player, ctx).unwrap();
    /// let name: String = ctx.exec(b"return player:name()", "=example").unwrap();
    /// assert_eq!(name, "Ada");
    /// ```
    pub fn create_userdata<T: UserData>(&mut self, value: T) -> Result<UserDataRef, RuntimeError> {
        let metatable = self.class_metatable::<T>()?;
        let size = std::mem::size_of::<T>().max(1);
        let userdata = self
            .vm
            .new_userdata(Box::new(value), Some(metatable), size)
            .map_err(|e| self.vm.runtime_error_from(e))?;
        match self.vm.to_public(userdata) {
            Value::UserData(u) => Ok(u),
            _ => Err(RuntimeError::Internal("userdata handle")),
        }
    }

    /// The metatable of `T`'s userdata, built (or, in a deserialized VM, rehydrated) the
    /// first time.
    fn class_metatable<T: UserData>(&mut self) -> Result<TableId, RuntimeError> {
        let keys = ClassKeys::new(self.vm.class_key::<T>());
        let registry = self.registry_table()?;
        let existing: Option<TableRef> = registry.raw_get(keys.metatable.as_str(), self)?;
        let installed = self.vm.api.userdata_classes.contains(&TypeId::of::<T>());
        let metatable = match existing {
            Some(metatable) if installed => metatable,
            Some(metatable) => {
                let methods: Option<TableRef> = registry.raw_get(keys.methods.as_str(), self)?;
                let methods = match methods {
                    Some(methods) => methods,
                    None => self.create_table()?,
                };
                self.install_methods::<T>(&keys, &metatable, &methods)?;
                metatable
            }
            None => {
                let metatable = self.create_table()?;
                let methods = self.create_table()?;
                let index = self.install_methods::<T>(&keys, &metatable, &methods)?;
                metatable.raw_set("__name", T::name(), self)?;
                metatable.raw_set("__index", index, self)?;
                registry.raw_set(keys.metatable.as_str(), &metatable, self)?;
                registry.raw_set(keys.methods.as_str(), &methods, self)?;
                metatable
            }
        };
        self.vm.api.userdata_classes.push(TypeId::of::<T>());
        match self.vm.resolve(&metatable.0)? {
            RawValue::Table(id) => Ok(id),
            _ => Err(RuntimeError::InvalidHandle),
        }
    }

    /// Creates `T`'s methods and metamethods, rehydrating serialized copies, and adds the
    /// ones the tables lack. Returns the value `__index` gets in a new metatable.
    fn install_methods<T: UserData>(
        &mut self,
        keys: &ClassKeys,
        metatable: &TableRef,
        methods: &TableRef,
    ) -> Result<Value, RuntimeError> {
        let mut registered = UserDataMethods::<T> {
            entries: Vec::new(),
            _type: PhantomData,
        };
        T::add_methods(&mut registered);
        let mut user_index = None;
        for entry in registered.entries {
            let tag = keys.tag(&entry);
            let function = self.vm.new_host_function(entry.function);
            self.vm.rehydrate(&function.0, &tag)?;
            if entry.meta && entry.name == "__index" {
                user_index = Some(function);
                continue;
            }
            let table = if entry.meta { metatable } else { methods };
            let current: Value = table.raw_get(entry.name.as_str(), self)?;
            if current.is_nil() {
                table.raw_set(entry.name.as_str(), function, self)?;
            }
        }
        match user_index {
            None => Ok(Value::Table(methods.clone())),
            Some(index) => {
                let combine = self.load(COMBINED_INDEX, "=userdata __index", None)?;
                combine.call((methods, index), self)
            }
        }
    }

    fn registry_table(&mut self) -> Result<TableRef, RuntimeError> {
        let registry = RawValue::Table(self.vm.registry);
        match self.vm.to_public(registry) {
            Value::Table(t) => Ok(t),
            _ => Err(RuntimeError::Internal("registry")),
        }
    }
}

#[cfg(feature = "serde")]
mod serialization {
    use super::*;
    use crate::interpreter::userdata::{PendingUserData, UserDataCodec, UserValue};
    use serde::de::DeserializeOwned;
    use serde::Serialize;
    use std::any::Any;

    fn encode<T: Serialize + 'static>(value: &dyn Any) -> Result<Vec<u8>, String> {
        let value = value
            .downcast_ref::<T>()
            .ok_or_else(|| format!("userdata is not a {}", type_name::<T>()))?;
        postcard::to_allocvec(value).map_err(|e| e.to_string())
    }

    fn decode<T: DeserializeOwned + Clone + 'static>(
        bytes: &[u8],
    ) -> Result<Box<dyn UserValue>, String> {
        postcard::from_bytes::<T>(bytes)
            .map(|value| Box::new(value) as Box<dyn UserValue>)
            .map_err(|e| e.to_string())
    }

    impl VmContext<'_> {
        /// Makes userdata of type `T` serializable: their values are written with postcard
        /// under `tag`. In a VM deserialized from a snapshot, registering the type (with
        /// the same tag) decodes the values of that tag back into `T` and rehydrates the
        /// type's methods. Register each type before creating values of it; tags starting
        /// with `red_moon.` are reserved.
        ///
        /// Serializing a VM holding userdata of an unregistered type fails with an error
        /// naming the Rust type.
        ///
        /// ```
        /// use red_moon::interpreter::{UserData, UserDataMethods, UserDataRef, Vm};
        /// use serde::{Deserialize, Serialize};
        ///
        /// #[derive(Clone, Serialize, Deserialize)]
        /// struct Gold(u32);
        /// impl UserData for Gold {
        ///     fn add_methods(methods: &mut UserDataMethods<Self>) {
        ///         methods.add_method("amount", |_, g: &Gold, ()| Ok(g.0));
        ///     }
        /// }
        ///
        /// let mut vm = Vm::default();
        /// let ctx = &mut vm.context();
        /// ctx.register_userdata_type::<Gold>("gold").unwrap();
        /// let gold = ctx.create_userdata(Gold(12)).unwrap();
        /// ctx.default_environment().set("gold", gold, ctx).unwrap();
        ///
        /// let bytes = postcard::to_allocvec(&vm).unwrap();
        /// let mut copy: Vm = postcard::from_bytes(&bytes).unwrap();
        /// let ctx = &mut copy.context();
        /// ctx.register_userdata_type::<Gold>("gold").unwrap();
        /// assert_eq!(ctx.exec::<u32>(b"return gold:amount()", "=example").unwrap(), 12);
        /// let gold: UserDataRef = ctx.default_environment().get("gold", ctx).unwrap();
        /// assert_eq!(gold.borrow::<Gold>(ctx).unwrap().0, 12);
        /// ```
        pub fn register_userdata_type<T>(&mut self, tag: &str) -> Result<(), RuntimeError>
        where
            T: UserData + Serialize + DeserializeOwned,
        {
            if tag.starts_with("red_moon.") {
                return Err(RuntimeError::InvalidState(
                    "userdata tags starting with 'red_moon.' are reserved",
                ));
            }
            let id = TypeId::of::<T>();
            let types = &self.vm.userdata_types;
            if let Some(codec) = types.iter().find(|codec| codec.type_id == id) {
                if &*codec.tag == tag {
                    return Ok(());
                }
                return Err(RuntimeError::InvalidState(
                    "this userdata type is registered with another tag",
                ));
            }
            if types.iter().any(|codec| &*codec.tag == tag) {
                return Err(RuntimeError::InvalidState(
                    "another userdata type is registered with this tag",
                ));
            }
            if self.vm.api.userdata_classes.contains(&id) {
                return Err(RuntimeError::InvalidState(
                    "register a userdata type before creating values of it",
                ));
            }
            let codec = UserDataCodec {
                type_id: id,
                tag: Rc::from(tag),
                encode: encode::<T>,
                decode: decode::<T>,
            };
            self.vm.decode_pending_userdata(&codec)?;
            self.vm.userdata_types.push(codec);
            self.class_metatable::<T>()?;
            Ok(())
        }
    }

    impl Vm {
        /// [`VmContext::register_userdata_type`].
        ///
        /// ```
        /// use red_moon::interpreter::{UserData, Vm};
        ///
        /// #[derive(Clone, serde::Serialize, serde::Deserialize)]
        /// struct Marker;
        /// impl UserData for Marker {}
        ///
        /// let mut vm = Vm::default();
        /// vm.register_userdata_type::<Marker>("marker").unwrap();
        /// ```
        pub fn register_userdata_type<T>(&mut self, tag: &str) -> Result<(), RuntimeError>
        where
            T: UserData + Serialize + DeserializeOwned,
        {
            self.context().register_userdata_type::<T>(tag)
        }

        /// Whether the VM can be serialized now; if not, why. Some formats (postcard) drop
        /// the message of a serialization error; this names the culprit, e.g. the Rust type
        /// of a userdata whose type is not registered.
        ///
        /// ```
        /// use red_moon::interpreter::{UserData, Vm};
        ///
        /// #[derive(Clone)]
        /// struct Handle(u32);
        /// impl UserData for Handle {}
        ///
        /// let mut vm = Vm::default();
        /// let ctx = &mut vm.context();
        /// let handle = ctx.create_userdata(Handle(1)).unwrap();
        /// ctx.default_environment().set("handle", handle, ctx).unwrap();
        /// assert!(postcard::to_allocvec(&vm).is_err());
        /// let error = vm.check_serializable().unwrap_err();
        /// assert!(error.to_string().contains("Handle cannot be serialized"));
        /// ```
        pub fn check_serializable(&self) -> Result<(), RuntimeError> {
            if (!self.thread.frames.is_empty() && !self.paused) || self.native_depth != 0 {
                return Err(RuntimeError::Serde(
                    "a VM can only be serialized at rest or while a call is paused".to_string(),
                ));
            }
            for (_, userdata) in self.heap.userdata.iter() {
                self.encode_userdata(userdata)
                    .map_err(RuntimeError::Serde)?;
            }
            Ok(())
        }

        /// Decodes every userdata of the codec's tag read from a snapshot (all or none).
        fn decode_pending_userdata(&mut self, codec: &UserDataCodec) -> Result<(), RuntimeError> {
            let mut decoded = Vec::new();
            for (index, userdata) in self.heap.userdata.iter() {
                let Some(pending) = userdata.value.as_any().downcast_ref::<PendingUserData>()
                else {
                    continue;
                };
                if pending.tag != codec.tag {
                    continue;
                }
                let value = (codec.decode)(&pending.payload).map_err(|error| {
                    RuntimeError::Serde(format!("cannot decode userdata '{}': {error}", codec.tag))
                })?;
                decoded.push((index, value));
            }
            for (index, value) in decoded {
                if let Some(userdata) = self.heap.userdata.get_mut(index) {
                    userdata.value = value;
                }
            }
            Ok(())
        }
    }
}
