//! Weak tables (`__mode`): weak values, weak keys with ephemeron semantics, and clearing.

use super::mark::mark_value;
use super::GcRef;
use crate::interpreter::heap::Color;
use crate::interpreter::heap::TableId;
use crate::interpreter::metamethod::Event;
use crate::interpreter::value::Value;
use crate::interpreter::Vm;
use std::collections::BTreeMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum WeakMode {
    Strong,
    WeakValues,
    /// Weak keys, strong values: an ephemeron table (a value is reachable only if its key
    /// is).
    WeakKeys,
    AllWeak,
}

impl Vm {
    /// The weakness a metatable's `__mode` gives.
    pub(crate) fn weak_mode(&self, metatable: TableId) -> WeakMode {
        let name = Value::String(self.events.get(Event::Mode));
        let Value::String(mode) = self.raw_get(metatable, name) else {
            return WeakMode::Strong;
        };
        let mode = self.string_bytes(mode);
        match (mode.contains(&b'k'), mode.contains(&b'v')) {
            (false, false) => WeakMode::Strong,
            (false, true) => WeakMode::WeakValues,
            (true, false) => WeakMode::WeakKeys,
            (true, true) => WeakMode::AllWeak,
        }
    }

    /// Whether a weak reference to `value` is dead (PUC's `iscleared`): white collectable
    /// objects are; strings never are (they are values, so they get marked instead).
    fn is_cleared(&mut self, value: Value) -> bool {
        match GcRef::from_value(value) {
            None => false,
            Some(GcRef::String(_)) => {
                self.mark_value(value);
                false
            }
            Some(object) => self.gc_color(object).is_white(),
        }
    }

    /// Weak-values table: keys are strong.
    pub(crate) fn mark_strong_keys(&mut self, id: TableId) {
        let keys: Vec<Value> = match self.heap.tables.get(id.0) {
            Some(t) => t
                .hash_entries()
                .filter(|(_, v)| !v.is_nil())
                .map(|(k, _)| k)
                .collect(),
            None => return,
        };
        for key in keys {
            self.mark_value(key);
        }
    }

    /// Ephemeron table: marks the values whose keys are marked. Returns whether anything
    /// new was marked.
    pub(crate) fn traverse_ephemeron(&mut self, id: TableId) -> bool {
        let Some(contents) = self.heap.tables.share(id.0) else {
            return false;
        };
        let gray_before = self.gc.gray.len();
        // Array part: integer keys are never collected, so the values are strong.
        for &value in contents.array() {
            mark_value(&mut self.heap, &mut self.gc.gray, value);
        }
        for (key, value) in contents.hash_entries() {
            if value.is_nil() {
                continue;
            }
            if !self.is_cleared(key) {
                mark_value(&mut self.heap, &mut self.gc.gray, value);
            }
        }
        self.gc.gray.len() > gray_before
    }

    /// Repeats ephemeron traversal until no new value becomes reachable.
    ///
    /// A plain fixpoint (traverse every table, propagate, repeat) is quadratic: a chain
    /// of n entries whose keys are reached one per pass takes n passes over n entries, which
    /// a script can build to stall the collector. Instead, after each pass the values of
    /// still-unmarked keys wait in a map keyed by the key object, and propagation marks them
    /// as soon as their key is marked (every marked non-string object passes through the gray
    /// list, where this looks it up). The next pass then only confirms the fixpoint.
    pub(crate) fn converge_ephemerons(&mut self) {
        loop {
            let mut changed = false;
            for id in self.gc.ephemerons.clone() {
                changed |= self.traverse_ephemeron(id);
            }
            if !changed {
                return;
            }
            let mut pending = self.pending_ephemeron_values();
            self.propagate_with_pending(&mut pending);
        }
    }

    /// Values of ephemeron entries whose keys are not marked (yet), by key object. A gray
    /// key counts as not marked: it is still on the gray list, where propagation meets it.
    fn pending_ephemeron_values(&self) -> BTreeMap<(u8, u32), Vec<Value>> {
        let mut pending: BTreeMap<(u8, u32), Vec<Value>> = BTreeMap::new();
        for &id in &self.gc.ephemerons {
            let Some(table) = self.heap.tables.get(id.0) else {
                continue;
            };
            for (key, value) in table.hash_entries() {
                let (Some(key_object), Some(value_object)) =
                    (GcRef::from_value(key), GcRef::from_value(value))
                else {
                    continue;
                };
                let waits = !matches!(key_object, GcRef::String(_))
                    && self.gc_color(key_object) != Color::Black
                    && self.gc_color(value_object).is_white();
                if waits {
                    pending.entry(key_object.key()).or_default().push(value);
                }
            }
        }
        pending
    }

    /// `propagate_all`, also marking the pending values of each object it reaches.
    fn propagate_with_pending(&mut self, pending: &mut BTreeMap<(u8, u32), Vec<Value>>) {
        while let Some(&object) = self.gc.gray.last() {
            if let Some(values) = pending.remove(&object.key()) {
                // The values go on top of the gray list; `object` is traversed later.
                for value in values {
                    self.mark_value(value);
                }
                continue;
            }
            self.propagate_one();
        }
    }

    /// Removes entries whose value died from weak-value and all-weak tables.
    pub(crate) fn clear_weak_values(&mut self, _after_resurrection: bool) {
        let tables: Vec<TableId> = self
            .gc
            .weak_values
            .iter()
            .chain(&self.gc.all_weak)
            .copied()
            .collect();
        for id in tables {
            self.clear_table(id, |vm, _key, value| vm.is_cleared(value));
        }
    }

    /// Removes entries whose key died from ephemeron and all-weak tables.
    pub(crate) fn clear_weak_keys(&mut self) {
        let tables: Vec<TableId> = self
            .gc
            .ephemerons
            .iter()
            .chain(&self.gc.all_weak)
            .copied()
            .collect();
        for id in tables {
            self.clear_table(id, |vm, key, _value| !key.is_nil() && vm.is_cleared(key));
        }
    }

    fn clear_table(&mut self, id: TableId, mut dead: impl FnMut(&mut Vm, Value, Value) -> bool) {
        let Some(table) = self.heap.tables.share(id.0) else {
            return;
        };
        // Find the dead entries first: writing copies a table a snapshot shares.
        let mut doomed = Vec::new();
        for (position, (key, value)) in table.entries_with_array_keys().enumerate() {
            if !value.is_nil() && dead(self, key, value) {
                doomed.push(position);
            }
        }
        drop(table);
        if doomed.is_empty() {
            return;
        }
        if let Some(table) = self.heap.tables.get_mut(id.0) {
            table.clear_positions(&doomed);
        }
    }
}
