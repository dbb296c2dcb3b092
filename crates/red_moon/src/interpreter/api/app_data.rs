//! App data: host values attached to a VM, one per Rust type.
//!
//! Stored on the `Vm`, so host functions reach them through their `VmContext`; cloned with
//! the VM (each copy owns its own values, like host function captures); never serialized
//! (a deserialized VM has none).

use super::context::VmContext;
use crate::interpreter::userdata::UserValue;
use crate::interpreter::Vm;
use std::any::TypeId;

/// The app data of one VM.
#[derive(Default)]
pub(crate) struct AppData {
    entries: Vec<(TypeId, Box<dyn UserValue>)>,
}

impl Clone for AppData {
    fn clone(&self) -> Self {
        AppData {
            entries: self
                .entries
                .iter()
                .map(|(id, value)| (*id, (**value).clone_box()))
                .collect(),
        }
    }
}

impl AppData {
    fn position<T: 'static>(&self) -> Option<usize> {
        let id = TypeId::of::<T>();
        self.entries.iter().position(|(entry, _)| *entry == id)
    }
}

impl Vm {
    /// Stores `value` as this VM's app data of type `T`, returning the previous one. App
    /// data is cloned with the VM and not serialized.
    ///
    /// ```
    /// use red_moon::interpreter::Vm;
    ///
    /// #[derive(Clone, Debug, PartialEq)]
    /// struct Score(u32);
    ///
    /// let mut vm = Vm::default();
    /// assert_eq!(vm.set_app_data(Score(1)), None);
    /// let snapshot = vm.clone();
    /// vm.app_data_mut::<Score>().unwrap().0 = 5;
    /// assert_eq!(vm.app_data::<Score>(), Some(&Score(5)));
    /// assert_eq!(snapshot.app_data::<Score>(), Some(&Score(1)));
    /// ```
    pub fn set_app_data<T: Clone + 'static>(&mut self, value: T) -> Option<T> {
        let previous = self.remove_app_data::<T>();
        self.api
            .app_data
            .entries
            .push((TypeId::of::<T>(), Box::new(value)));
        previous
    }

    /// The app data of type `T`, if any.
    ///
    /// ```
    /// use red_moon::interpreter::Vm;
    ///
    /// let mut vm = Vm::default();
    /// vm.set_app_data(String::from("player one"));
    /// assert_eq!(vm.app_data::<String>().map(String::as_str), Some("player one"));
    /// assert_eq!(vm.app_data::<u32>(), None);
    /// ```
    pub fn app_data<T: 'static>(&self) -> Option<&T> {
        let data = &self.api.app_data;
        let (_, value) = data.entries.get(data.position::<T>()?)?;
        (**value).as_any().downcast_ref()
    }

    /// Mutable access to the app data of type `T`, if any.
    ///
    /// ```
    /// use red_moon::interpreter::Vm;
    ///
    /// let mut vm = Vm::default();
    /// vm.set_app_data(vec![1, 2]);
    /// vm.app_data_mut::<Vec<i32>>().unwrap().push(3);
    /// assert_eq!(vm.app_data::<Vec<i32>>(), Some(&vec![1, 2, 3]));
    /// ```
    pub fn app_data_mut<T: 'static>(&mut self) -> Option<&mut T> {
        let index = self.api.app_data.position::<T>()?;
        let (_, value) = self.api.app_data.entries.get_mut(index)?;
        value.as_any_mut().downcast_mut()
    }

    /// Removes and returns the app data of type `T`.
    ///
    /// ```
    /// use red_moon::interpreter::Vm;
    ///
    /// let mut vm = Vm::default();
    /// vm.set_app_data(7u8);
    /// assert_eq!(vm.remove_app_data::<u8>(), Some(7));
    /// assert_eq!(vm.app_data::<u8>(), None);
    /// ```
    pub fn remove_app_data<T: 'static>(&mut self) -> Option<T> {
        let index = self.api.app_data.position::<T>()?;
        let (_, value) = self.api.app_data.entries.remove(index);
        value.into_any().downcast().ok().map(|boxed| *boxed)
    }
}

impl VmContext<'_> {
    /// [`Vm::set_app_data`], for host functions.
    ///
    /// ```
    /// use red_moon::interpreter::Vm;
    ///
    /// #[derive(Clone)]
    /// struct Calls(u32);
    ///
    /// let mut vm = Vm::default();
    /// let ctx = &mut vm.context();
    /// ctx.set_app_data(Calls(0));
    /// let count = ctx.create_function(|call_ctx, ctx| {
    ///     let calls = ctx.app_data_mut::<Calls>().map(|c| {
    ///         c.0 += 1;
    ///         c.0
    ///     });
    ///     call_ctx.return_values(calls, ctx)
    /// });
    /// count.call::<_, ()>((), ctx).unwrap();
    /// let n: u32 = count.call((), ctx).unwrap();
    /// assert_eq!(n, 2);
    /// assert_eq!(ctx.app_data::<Calls>().map(|c| c.0), Some(2));
    /// ```
    pub fn set_app_data<T: Clone + 'static>(&mut self, value: T) -> Option<T> {
        self.vm.set_app_data(value)
    }

    /// [`Vm::app_data`], for host functions.
    ///
    /// ```
    /// use red_moon::interpreter::Vm;
    ///
    /// let mut vm = Vm::default();
    /// let ctx = &mut vm.context();
    /// ctx.set_app_data(3u8);
    /// assert_eq!(ctx.app_data::<u8>(), Some(&3));
    /// ```
    pub fn app_data<T: 'static>(&self) -> Option<&T> {
        self.vm.app_data()
    }

    /// [`Vm::app_data_mut`], for host functions.
    ///
    /// ```
    /// use red_moon::interpreter::Vm;
    ///
    /// let mut vm = Vm::default();
    /// let ctx = &mut vm.context();
    /// ctx.set_app_data(3u8);
    /// *ctx.app_data_mut::<u8>().unwrap() += 1;
    /// assert_eq!(ctx.app_data::<u8>(), Some(&4));
    /// ```
    pub fn app_data_mut<T: 'static>(&mut self) -> Option<&mut T> {
        self.vm.app_data_mut()
    }

    /// [`Vm::remove_app_data`], for host functions.
    ///
    /// ```
    /// use red_moon::interpreter::Vm;
    ///
    /// let mut vm = Vm::default();
    /// let ctx = &mut vm.context();
    /// ctx.set_app_data(3u8);
    /// assert_eq!(ctx.remove_app_data::<u8>(), Some(3));
    /// ```
    pub fn remove_app_data<T: 'static>(&mut self) -> Option<T> {
        self.vm.remove_app_data()
    }
}
