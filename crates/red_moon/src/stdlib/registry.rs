//! Every library function by stable id, so that serialized natives find their function
//! pointer again (`Builtin::id`).

use crate::interpreter::native::Builtin;

/// Libraries registered as `library!` tables.
fn tables() -> [&'static [Builtin]; 16] {
    use super::*;
    [
        basic::FUNCTIONS,
        coroutine::FUNCTIONS,
        debug::FUNCTIONS,
        files::FUNCTIONS,
        io::FUNCTIONS,
        io::file::METHODS,
        io::file::METAMETHODS,
        math::FUNCTIONS,
        math::COMPATIBILITY_FUNCTIONS,
        os::host::FUNCTIONS,
        os::library::SAFE_FUNCTIONS,
        string::library::FUNCTIONS,
        string::library::METAMETHODS,
        table::FUNCTIONS,
        utf8::library::FUNCTIONS,
        &[],
    ]
}

/// Functions created outside the library tables (iterators, closures, searchers).
fn singles() -> [&'static Builtin; 15] {
    use super::*;
    [
        &basic::IPAIRS_ITERATOR,
        &coroutine::WRAPPED,
        &io::read::LINES_ITERATOR,
        &package::require::REQUIRE,
        &package::resolver::HOST_MODULES,
        &package::searchers::PRELOAD,
        &package::searchers::LUA_FILE,
        &package::searchers::C_LIBRARY,
        &package::searchers::C_ROOT,
        &package::searchers::SEARCHPATH,
        &package::searchers::LOADLIB,
        &string::matching::GMATCH_ITERATOR,
        &utf8::library::CODES,
        &utf8::library::NEXT_STRICT,
        &utf8::library::NEXT_LAX,
    ]
}

/// The builtin with this id.
pub(crate) fn builtin_by_id(id: &str) -> Option<&'static Builtin> {
    tables()
        .into_iter()
        .flat_map(|t| t.iter())
        .chain(singles())
        .find(|b| b.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interpreter::native::NativeKind;

    #[test]
    fn ids_are_unique_and_every_opened_native_is_registered() {
        let mut ids: Vec<&str> = tables()
            .into_iter()
            .flat_map(|t| t.iter())
            .chain(singles())
            .map(|b| b.id)
            .collect();
        ids.sort_unstable();
        let before = ids.len();
        ids.dedup();
        assert_eq!(before, ids.len(), "duplicate builtin ids");
        let mut vm = crate::interpreter::Vm::empty();
        vm.open_all_libraries().unwrap();
        for (_, native) in vm.heap.natives.iter() {
            if let NativeKind::Builtin(b) = native.kind {
                assert!(builtin_by_id(b.id).is_some(), "{} is not registered", b.id);
            }
        }
    }
}
