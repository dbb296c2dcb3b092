//! `UserDataRef`: borrowing the Rust value inside a userdata, indexing it and calling its
//! methods from the host.
//!
//! Borrows are checked at run time where Rust cannot check them. `borrow`/`borrow_mut`
//! hand out references tied to the `VmContext`, so the compiler rules out conflicts.
//! `with_borrow`/`with_borrow_mut` lend the value *and* the context to a closure (that is
//! how methods run): the value leaves the heap meanwhile, a marker takes its place, and any
//! conflicting access through the VM (a method of the same object called further down)
//! fails with [`RuntimeError::UserDataBorrowed`]. Shared borrows nest.

use super::context::VmContext;
use super::convert::{FromLua, FromMulti, IntoLua, IntoMulti};
use super::handles::{TableRef, UserDataRef};
use super::value::{MultiValue, Value};
use crate::errors::RuntimeError;
use crate::interpreter::heap::UserDataId;
use crate::interpreter::userdata::{
    current_value, ExclusiveBorrow, PendingUserData, SharedBorrow, UserValue,
};
use crate::interpreter::value::Value as RawValue;
use crate::interpreter::Vm;
use std::any::{type_name, Any};
use std::rc::Rc;

/// Why a userdata's value is not available as a `T`.
fn access_error<T: 'static>(value: &dyn UserValue) -> RuntimeError {
    let expected = type_name::<T>();
    let any = value.as_any();
    if let Some(borrowed) = any.downcast_ref::<ExclusiveBorrow>() {
        if borrowed.type_name == expected {
            return RuntimeError::UserDataBorrowed {
                type_name: expected,
            };
        }
        return RuntimeError::UserDataType {
            expected,
            actual: borrowed.type_name.to_string(),
        };
    }
    if let Some(pending) = any.downcast_ref::<PendingUserData>() {
        return RuntimeError::UserDataType {
            expected,
            actual: format!(
                "serialized userdata '{}' (its type is not registered)",
                pending.tag
            ),
        };
    }
    let (inner, actual) = current_value(value);
    if inner.is::<T>() {
        // Shared right now: only a shared borrow would be possible.
        return RuntimeError::UserDataBorrowed {
            type_name: expected,
        };
    }
    RuntimeError::UserDataType {
        expected,
        actual: actual.to_string(),
    }
}

/// `clone_value` of a `SharedBorrow` holding a `T`.
fn clone_shared<T: Clone + 'static>(value: &dyn Any) -> Option<Box<dyn UserValue>> {
    value
        .downcast_ref::<T>()
        .map(|v| Box::new(v.clone()) as Box<dyn UserValue>)
}

impl Vm {
    fn userdata_id(&self, handle: &UserDataRef) -> Result<UserDataId, RuntimeError> {
        match self.resolve(&handle.0)? {
            RawValue::UserData(id) => Ok(id),
            _ => Err(RuntimeError::InvalidHandle),
        }
    }

    fn userdata_slot(&self, id: UserDataId) -> Result<&dyn UserValue, RuntimeError> {
        match self.heap.userdata.get(id.0) {
            Some(userdata) => Ok(&*userdata.value),
            None => Err(RuntimeError::InvalidHandle),
        }
    }

    /// Replaces the value of a userdata, returning the old one.
    fn swap_userdata_value(
        &mut self,
        id: UserDataId,
        value: Box<dyn UserValue>,
    ) -> Option<Box<dyn UserValue>> {
        let slot = self.heap.userdata.get_mut(id.0)?;
        Some(std::mem::replace(&mut slot.value, value))
    }

    /// Takes the `T` out of a userdata, leaving `marker` in its place.
    fn take_userdata_value<T: 'static>(
        &mut self,
        id: UserDataId,
        marker: Box<dyn UserValue>,
    ) -> Result<T, RuntimeError> {
        let slot = self.userdata_slot(id)?;
        if !slot.as_any().is::<T>() {
            return Err(access_error::<T>(slot));
        }
        let old = self
            .swap_userdata_value(id, marker)
            .ok_or(RuntimeError::InvalidHandle)?;
        match old.into_any().downcast::<T>() {
            Ok(value) => Ok(*value),
            Err(_) => Err(RuntimeError::Internal("userdata type changed")),
        }
    }

    /// A shared reference to the `T` in a userdata, turning its slot into a shared borrow.
    fn share_userdata<T: Clone + 'static>(
        &mut self,
        id: UserDataId,
    ) -> Result<Rc<dyn Any>, RuntimeError> {
        let slot = self.userdata_slot(id)?;
        if let Some(shared) = slot.as_any().downcast_ref::<SharedBorrow>() {
            if shared.value.is::<T>() {
                return Ok(Rc::clone(&shared.value));
            }
            return Err(access_error::<T>(slot));
        }
        let marker = Box::new(ExclusiveBorrow {
            type_name: type_name::<T>(),
        });
        let value: Rc<dyn Any> = Rc::new(self.take_userdata_value::<T>(id, marker)?);
        let shared = SharedBorrow {
            value: Rc::clone(&value),
            type_name: type_name::<T>(),
            clone_value: clone_shared::<T>,
        };
        self.swap_userdata_value(id, Box::new(shared));
        Ok(value)
    }

    /// Ends a shared borrow; the last one puts the value back in place. (Nothing happens
    /// if the host replaced the VM's state meanwhile, e.g. with `clone_from`.)
    fn unshare_userdata<T: Clone + 'static>(&mut self, handle: &UserDataRef, value: Rc<dyn Any>) {
        let Ok(id) = self.userdata_id(handle) else {
            return;
        };
        let is_ours = self.userdata_slot(id).is_ok_and(|slot| {
            slot.as_any()
                .downcast_ref::<SharedBorrow>()
                .is_some_and(|shared| Rc::ptr_eq(&shared.value, &value))
        });
        // The slot's `Rc` and ours: no other borrow is active.
        if !is_ours || Rc::strong_count(&value) != 2 {
            return;
        }
        let placeholder = Box::new(ExclusiveBorrow {
            type_name: type_name::<T>(),
        });
        let marker = self.swap_userdata_value(id, placeholder);
        drop(marker);
        let restored: Box<dyn UserValue> = match value.downcast::<T>().map(Rc::try_unwrap) {
            Ok(Ok(value)) => Box::new(value),
            // Unreachable (the count was checked); keep the value shared rather than lose it.
            Ok(Err(value)) => Box::new(SharedBorrow {
                value,
                type_name: type_name::<T>(),
                clone_value: clone_shared::<T>,
            }),
            Err(_) => return,
        };
        self.swap_userdata_value(id, restored);
    }
}

impl UserDataRef {
    /// Whether the userdata holds a `T` (borrowed or not).
    ///
    /// ```
    /// use red_moon::interpreter::{UserData, Vm};
    ///
    /// #[derive(Clone)]
    /// struct Coin;
    /// impl UserData for Coin {}
    ///
    /// let mut vm = Vm::default();
    /// let ctx = &mut vm.context();
    /// let coin = ctx.create_userdata(Coin).unwrap();
    /// assert!(coin.is::<Coin>(ctx));
    /// assert!(!coin.is::<String>(ctx));
    /// ```
    pub fn is<T: 'static>(&self, ctx: &VmContext) -> bool {
        let Ok(id) = ctx.vm.userdata_id(self) else {
            return false;
        };
        ctx.vm.userdata_slot(id).is_ok_and(|slot| {
            let (inner, _) = current_value(slot);
            inner.is::<T>()
                || inner
                    .downcast_ref::<ExclusiveBorrow>()
                    .is_some_and(|borrowed| borrowed.type_name == type_name::<T>())
        })
    }

    /// The Rust value inside the userdata. Fails if it is not a `T`
    /// ([`RuntimeError::UserDataType`]) or is mutably borrowed by a method running further
    /// up the stack ([`RuntimeError::UserDataBorrowed`]).
    ///
    /// ```
    /// use red_moon::interpreter::{UserData, UserDataRef, Vm};
    ///
    /// #[derive(Clone)]
    /// struct Health(u32);
    /// impl UserData for Health {}
    ///
    /// let mut vm = Vm::default();
    /// let ctx = &mut vm.context();
    /// let health = ctx.create_userdata(Health(10)).unwrap();
    /// assert_eq!(health.borrow::<Health>(ctx).unwrap().0, 10);
    /// let error = health.borrow::<String>(ctx).unwrap_err();
    /// assert!(error.to_string().contains("String expected"));
    /// ```
    pub fn borrow<'a, T: 'static>(&self, ctx: &'a VmContext) -> Result<&'a T, RuntimeError> {
        let vm: &'a Vm = ctx.vm;
        let slot = vm.userdata_slot(vm.userdata_id(self)?)?;
        let (inner, _) = current_value(slot);
        inner
            .downcast_ref::<T>()
            .ok_or_else(|| access_error::<T>(slot))
    }

    /// Mutable access to the Rust value inside the userdata. Fails if it is not a `T` or is
    /// borrowed by a method running further up the stack.
    ///
    /// ```
    /// use red_moon::interpreter::{UserData, Vm};
    ///
    /// #[derive(Clone)]
    /// struct Health(u32);
    /// impl UserData for Health {}
    ///
    /// let mut vm = Vm::default();
    /// let ctx = &mut vm.context();
    /// let health = ctx.create_userdata(Health(10)).unwrap();
    /// health.borrow_mut::<Health>(ctx).unwrap().0 -= 3;
    /// assert_eq!(health.borrow::<Health>(ctx).unwrap().0, 7);
    /// ```
    pub fn borrow_mut<'a, T: 'static>(
        &self,
        ctx: &'a mut VmContext,
    ) -> Result<&'a mut T, RuntimeError> {
        let vm: &'a mut Vm = &mut *ctx.vm;
        let id = vm.userdata_id(self)?;
        let slot = vm.userdata_slot(id)?;
        if !slot.as_any().is::<T>() {
            return Err(access_error::<T>(slot));
        }
        vm.heap
            .userdata
            .get_mut(id.0)
            .and_then(|userdata| userdata.value.as_any_mut().downcast_mut::<T>())
            .ok_or(RuntimeError::InvalidHandle)
    }

    /// Lends the value and the context to `f`, as methods get them. Other shared borrows
    /// of the same userdata may happen inside `f` (a method calling Lua that calls another
    /// method of the same object); mutable ones fail with
    /// [`RuntimeError::UserDataBorrowed`].
    ///
    /// ```
    /// use red_moon::interpreter::{UserData, Vm};
    ///
    /// #[derive(Clone)]
    /// struct Greeting(String);
    /// impl UserData for Greeting {}
    ///
    /// let mut vm = Vm::default();
    /// let ctx = &mut vm.context();
    /// let greeting = ctx.create_userdata(Greeting("hi".into())).unwrap();
    /// let text: String = greeting
    ///     .with_borrow(ctx, |g: &Greeting, ctx| {
    ///         // The context is usable meanwhile.
    ///         ctx.exec(format!("return '{}' .. '!'", g.0).as_bytes(), "=example")
    ///     })
    ///     .unwrap();
    /// assert_eq!(text, "hi!");
    /// ```
    pub fn with_borrow<T, R, F>(&self, ctx: &mut VmContext, f: F) -> Result<R, RuntimeError>
    where
        T: Clone + 'static,
        F: FnOnce(&T, &mut VmContext) -> Result<R, RuntimeError>,
    {
        let id = ctx.vm.userdata_id(self)?;
        let shared = ctx.vm.share_userdata::<T>(id)?;
        let result = match shared.downcast_ref::<T>() {
            Some(value) => f(value, ctx),
            None => Err(RuntimeError::Internal("shared userdata of another type")),
        };
        ctx.vm.unshare_userdata::<T>(self, shared);
        result
    }

    /// Lends the value mutably, and the context, to `f`. Any access to this userdata's
    /// value through the VM inside `f` fails with [`RuntimeError::UserDataBorrowed`].
    ///
    /// ```
    /// use red_moon::errors::RuntimeError;
    /// use red_moon::interpreter::{UserData, Vm};
    ///
    /// #[derive(Clone)]
    /// struct Counter(i64);
    /// impl UserData for Counter {}
    ///
    /// let mut vm = Vm::default();
    /// let ctx = &mut vm.context();
    /// let counter = ctx.create_userdata(Counter(0)).unwrap();
    /// let inner = counter.clone();
    /// counter
    ///     .with_borrow_mut(ctx, |c: &mut Counter, ctx| {
    ///         c.0 += 1;
    ///         // The value is out of the VM meanwhile.
    ///         let nested = inner.borrow::<Counter>(ctx).map(|_| ());
    ///         assert!(matches!(nested, Err(RuntimeError::UserDataBorrowed { .. })));
    ///         Ok(())
    ///     })
    ///     .unwrap();
    /// assert_eq!(counter.borrow::<Counter>(ctx).unwrap().0, 1);
    /// ```
    pub fn with_borrow_mut<T, R, F>(&self, ctx: &mut VmContext, f: F) -> Result<R, RuntimeError>
    where
        T: Clone + 'static,
        F: FnOnce(&mut T, &mut VmContext) -> Result<R, RuntimeError>,
    {
        let id = ctx.vm.userdata_id(self)?;
        let marker = Box::new(ExclusiveBorrow {
            type_name: type_name::<T>(),
        });
        let mut value = ctx.vm.take_userdata_value::<T>(id, marker)?;
        let result = f(&mut value, ctx);
        // Put it back unless the host replaced the VM's state meanwhile.
        if let Ok(id) = ctx.vm.userdata_id(self) {
            let still_marked = ctx
                .vm
                .userdata_slot(id)
                .is_ok_and(|slot| slot.as_any().is::<ExclusiveBorrow>());
            if still_marked {
                ctx.vm.swap_userdata_value(id, Box::new(value));
            }
        }
        result
    }

    /// `u[key]` (through the metatable's `__index`, as Lua does).
    ///
    /// ```
    /// use red_moon::interpreter::{UserData, UserDataMethods, Vm};
    ///
    /// #[derive(Clone)]
    /// struct Point(i64, i64);
    /// impl UserData for Point {
    ///     fn add_methods(methods: &mut UserDataMethods<Self>) {
    ///         methods.add_meta_method("__index", |_, p: &Point, key: String| {
    ///             Ok(if key == "x" { p.0 } else { p.1 })
    ///         });
    ///     }
    /// }
    ///
    /// let mut vm = Vm::default();
    /// let ctx = &mut vm.context();
    /// let p = ctx.create_userdata(Point(3, 4)).unwrap();
    /// assert_eq!(p.get::<_, i64>("y", ctx).unwrap(), 4);
    /// ```
    pub fn get<K: IntoLua, V: FromLua>(
        &self,
        key: K,
        ctx: &mut VmContext,
    ) -> Result<V, RuntimeError> {
        let object = RawValue::UserData(ctx.vm.userdata_id(self)?);
        ctx.index_value(object, key)
    }

    /// `u[key] = value` (through the metatable's `__newindex`).
    ///
    /// ```
    /// use red_moon::interpreter::{UserData, UserDataMethods, Vm};
    ///
    /// #[derive(Clone)]
    /// struct Slot(i64);
    /// impl UserData for Slot {
    ///     fn add_methods(methods: &mut UserDataMethods<Self>) {
    ///         methods.add_meta_method_mut("__newindex", |_, s: &mut Slot, (_key, v): (String, i64)| {
    ///             s.0 = v;
    ///             Ok(())
    ///         });
    ///     }
    /// }
    ///
    /// let mut vm = Vm::default();
    /// let ctx = &mut vm.context();
    /// let slot = ctx.create_userdata(Slot(0)).unwrap();
    /// slot.set("value", 9, ctx).unwrap();
    /// assert_eq!(slot.borrow::<Slot>(ctx).unwrap().0, 9);
    /// ```
    pub fn set<K: IntoLua, V: IntoLua>(
        &self,
        key: K,
        value: V,
        ctx: &mut VmContext,
    ) -> Result<(), RuntimeError> {
        let object = RawValue::UserData(ctx.vm.userdata_id(self)?);
        ctx.set_index_value(object, key, value)
    }

    /// Calls the method `name` with the userdata as first argument (`u:name(args...)`).
    ///
    /// ```
    /// use red_moon::interpreter::{UserData, UserDataMethods, Vm};
    ///
    /// #[derive(Clone)]
    /// struct Counter(i64);
    /// impl UserData for Counter {
    ///     fn add_methods(methods: &mut UserDataMethods<Self>) {
    ///         methods.add_method_mut("add", |_, c: &mut Counter, n: i64| {
    ///             c.0 += n;
    ///             Ok(c.0)
    ///         });
    ///     }
    /// }
    ///
    /// let mut vm = Vm::default();
    /// let ctx = &mut vm.context();
    /// let counter = ctx.create_userdata(Counter(1)).unwrap();
    /// let total: i64 = counter.call_method("add", 41, ctx).unwrap();
    /// assert_eq!(total, 42);
    /// ```
    pub fn call_method<A: IntoMulti, R: FromMulti>(
        &self,
        name: &str,
        args: A,
        ctx: &mut VmContext,
    ) -> Result<R, RuntimeError> {
        let method: Value = self.get(name, ctx)?;
        let mut values = vec![Value::UserData(self.clone())];
        values.extend(args.into_multi(ctx)?);
        ctx.call_value(&method, MultiValue(values))
    }

    /// The userdata's metatable.
    ///
    /// ```
    /// use red_moon::interpreter::{UserData, Vm};
    ///
    /// #[derive(Clone)]
    /// struct Tag;
    /// impl UserData for Tag {}
    ///
    /// let mut vm = Vm::default();
    /// let ctx = &mut vm.context();
    /// let tag = ctx.create_userdata(Tag).unwrap();
    /// let metatable = tag.metatable(ctx).unwrap().unwrap();
    /// assert_eq!(metatable.get::<_, String>("__name", ctx).unwrap(), "Tag");
    /// ```
    pub fn metatable(&self, ctx: &mut VmContext) -> Result<Option<TableRef>, RuntimeError> {
        let id = ctx.vm.userdata_id(self)?;
        let metatable = ctx.vm.heap.userdata.get(id.0).and_then(|u| u.metatable);
        Ok(ctx.vm.metatable_handle(metatable))
    }

    /// Replaces (or removes) the userdata's metatable.
    ///
    /// ```
    /// use red_moon::interpreter::{UserData, Vm};
    ///
    /// #[derive(Clone)]
    /// struct Tag;
    /// impl UserData for Tag {}
    ///
    /// let mut vm = Vm::default();
    /// let ctx = &mut vm.context();
    /// let tag = ctx.create_userdata(Tag).unwrap();
    /// tag.set_metatable(None, ctx).unwrap();
    /// assert!(tag.metatable(ctx).unwrap().is_none());
    /// ```
    pub fn set_metatable(
        &self,
        metatable: Option<&TableRef>,
        ctx: &mut VmContext,
    ) -> Result<(), RuntimeError> {
        let id = ctx.vm.userdata_id(self)?;
        let metatable = match metatable {
            Some(mt) => match ctx.vm.resolve(&mt.0)? {
                RawValue::Table(t) => Some(t),
                _ => return Err(RuntimeError::InvalidHandle),
            },
            None => None,
        };
        ctx.vm.set_userdata_metatable(id, metatable)
    }
}

impl Vm {
    /// Sets a userdata's metatable (with the collector's barrier and finalizer check).
    pub(crate) fn set_userdata_metatable(
        &mut self,
        id: UserDataId,
        metatable: Option<crate::interpreter::heap::TableId>,
    ) -> Result<(), RuntimeError> {
        let userdata = self
            .heap
            .userdata
            .get_mut(id.0)
            .ok_or(RuntimeError::InvalidHandle)?;
        userdata.metatable = metatable;
        if let Some(mt) = metatable {
            self.write_barrier_userdata(id, RawValue::Table(mt));
            self.check_finalizer(RawValue::UserData(id), Some(mt));
        }
        Ok(())
    }
}
