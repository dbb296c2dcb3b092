//! A function's constant table, with each value stored once.

use crate::bytecode::Constant;
use crate::languages::lua::token::LuaString;
use std::collections::BTreeMap;

/// A constant as a map key: floats by their bits, so that integers and floats of the same
/// value stay distinct (as PUC keeps them).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum ConstantKey {
    Nil,
    Boolean(bool),
    Integer(i64),
    Float(u64),
    String(LuaString),
}

impl ConstantKey {
    fn of(constant: &Constant) -> Self {
        match constant {
            Constant::Nil => ConstantKey::Nil,
            Constant::Boolean(value) => ConstantKey::Boolean(*value),
            Constant::Integer(value) => ConstantKey::Integer(*value),
            Constant::Float(value) => ConstantKey::Float(value.to_bits()),
            Constant::String(value) => ConstantKey::String(value.clone()),
        }
    }
}

/// The constants of one function in order of first use.
#[derive(Default)]
pub struct ConstantTable {
    constants: Vec<Constant>,
    indices: BTreeMap<ConstantKey, u32>,
}

impl ConstantTable {
    /// The index of `constant`, adding it if new.
    pub fn index_of(&mut self, constant: Constant) -> u32 {
        let key = ConstantKey::of(&constant);
        if let Some(&index) = self.indices.get(&key) {
            return index;
        }
        let index = self.constants.len() as u32;
        self.constants.push(constant);
        self.indices.insert(key, index);
        index
    }

    /// The constant at `index`.
    pub fn get(&self, index: u32) -> Option<&Constant> {
        self.constants.get(index as usize)
    }

    /// Number of constants.
    pub fn len(&self) -> usize {
        self.constants.len()
    }

    pub fn into_constants(self) -> Vec<Constant> {
        self.constants
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stores_each_value_once_keeping_subtypes_apart() {
        let mut table = ConstantTable::default();
        assert_eq!(table.index_of(Constant::Integer(1)), 0);
        assert_eq!(table.index_of(Constant::Float(1.0)), 1);
        assert_eq!(
            table.index_of(Constant::String(LuaString::from(&b"a"[..]))),
            2
        );
        assert_eq!(table.index_of(Constant::Integer(1)), 0);
        assert_eq!(
            table.index_of(Constant::String(LuaString::from(&b"a"[..]))),
            2
        );
        assert_eq!(table.index_of(Constant::Nil), 3);
        assert_eq!(table.index_of(Constant::Boolean(false)), 4);
        assert_eq!(table.into_constants().len(), 5);
    }
}
