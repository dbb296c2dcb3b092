//! Write barriers: keep "no black object refers to a white one" while marking is in
//! progress.

use super::{GcRef, Phase};
use crate::interpreter::heap::{Color, NativeId, TableId, UpvalueId};
use crate::interpreter::value::Value;
use crate::interpreter::Vm;

impl Vm {
    #[inline]
    fn is_white_object(&self, value: Value) -> bool {
        GcRef::from_value(value).is_some_and(|o| self.gc_color(o).is_white())
    }

    /// A store of `key`/`value` into `table` (backward barrier: a black table becomes gray
    /// again and is traversed once more in the atomic step).
    #[inline]
    pub(crate) fn write_barrier_table(&mut self, table: TableId, key: Value, value: Value) {
        if self.gc.phase != Phase::Propagate {
            return;
        }
        if self.heap.tables.color(table.0) == Color::Black
            && (self.is_white_object(value) || self.is_white_object(key))
        {
            self.heap.tables.set_color(table.0, Color::Gray);
            self.gc.gray_again.push(GcRef::Table(table));
        }
    }

    /// A store into a closed upvalue (forward barrier: the value is marked).
    #[inline]
    pub(crate) fn write_barrier_upvalue(&mut self, upvalue: UpvalueId, value: Value) {
        if self.gc.phase == Phase::Propagate && self.heap.upvalues.color(upvalue.0) == Color::Black
        {
            self.mark_value(value);
        }
    }

    /// A store into a native function's upvalues.
    pub(crate) fn write_barrier_native(&mut self, native: NativeId, value: Value) {
        if self.gc.phase == Phase::Propagate && self.heap.natives.color(native.0) == Color::Black {
            self.mark_value(value);
        }
    }

    /// A new reference from a userdata (metatable, user value).
    pub(crate) fn write_barrier_userdata(
        &mut self,
        userdata: crate::interpreter::heap::UserDataId,
        value: Value,
    ) {
        if self.gc.phase == Phase::Propagate && self.heap.userdata.color(userdata.0) == Color::Black
        {
            self.mark_value(value);
        }
    }
}
