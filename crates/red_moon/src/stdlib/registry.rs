//! Every library function by stable id, so that serialized natives find their function
//! pointer again (`Builtin::id`).

use crate::interpreter::native::Builtin;

/// Who may hold a library function: any script, or only VMs whose host opted in to
/// libraries that reach the host (a snapshot from a peer may only name `Safe` ones unless
/// the receiver trusts it, see `Vm::deserialize_trusted`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Access {
    Safe,
    Host,
}

/// Libraries registered as `library!` tables, with who may hold them.
fn tables() -> [(&'static [Builtin], Access); 15] {
    use super::*;
    use Access::{Host, Safe};
    [
        (basic::FUNCTIONS, Safe),
        (coroutine::FUNCTIONS, Safe),
        (math::FUNCTIONS, Safe),
        (math::COMPATIBILITY_FUNCTIONS, Safe),
        (os::library::SAFE_FUNCTIONS, Safe),
        (string::library::FUNCTIONS, Safe),
        (string::library::METAMETHODS, Safe),
        (table::FUNCTIONS, Safe),
        (utf8::library::FUNCTIONS, Safe),
        (debug::FUNCTIONS, Host),
        (files::FUNCTIONS, Host),
        (io::FUNCTIONS, Host),
        (io::file::METHODS, Host),
        (io::file::METAMETHODS, Host),
        (os::host::FUNCTIONS, Host),
    ]
}

/// Functions created outside the library tables (iterators, closures, searchers).
fn singles() -> [(&'static Builtin, Access); 18] {
    use super::*;
    use Access::{Host, Safe};
    [
        (&basic::IPAIRS_ITERATOR, Safe),
        (&coroutine::WRAPPED, Safe),
        (&package::require::REQUIRE, Safe),
        (&package::resolver::HOST_MODULES, Safe),
        (&package::searchers::PRELOAD, Safe),
        // Always fails: no dynamic libraries exist.
        (&package::searchers::LOADLIB, Safe),
        (&sandbox::SCRIPT_LOAD, Safe),
        (&sandbox::SCRIPT_COLLECTGARBAGE, Safe),
        (&string::matching::GMATCH_ITERATOR, Safe),
        (&utf8::library::CODES, Safe),
        (&utf8::library::NEXT_STRICT, Safe),
        (&utf8::library::NEXT_LAX, Safe),
        // Formats an uncaught error's message and traceback for the host.
        (&crate::interpreter::execute::HOST_MESSAGE_HANDLER, Safe),
        (&io::read::LINES_ITERATOR, Host),
        (&package::searchers::LUA_FILE, Host),
        (&package::searchers::C_LIBRARY, Host),
        (&package::searchers::C_ROOT, Host),
        (&package::searchers::SEARCHPATH, Host),
    ]
}

fn all() -> impl Iterator<Item = (&'static Builtin, Access)> {
    tables()
        .into_iter()
        .flat_map(|(table, access)| table.iter().map(move |b| (b, access)))
        .chain(singles())
}

/// The builtin with this id, and who may hold it.
pub(crate) fn builtin_by_id(id: &str) -> Option<(&'static Builtin, Access)> {
    all().find(|(b, _)| b.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interpreter::native::NativeKind;
    use crate::interpreter::Vm;

    /// The ids of the builtins a VM holds, with their access class.
    fn opened(vm: &Vm) -> Vec<(&'static str, Access)> {
        let mut found = Vec::new();
        for (_, native) in vm.heap.natives.iter() {
            if let NativeKind::Builtin(b) = native.kind {
                let (_, access) =
                    builtin_by_id(b.id).unwrap_or_else(|| panic!("{} is not registered", b.id));
                found.push((b.id, access));
            }
        }
        found
    }

    #[test]
    fn ids_are_unique_and_every_opened_native_is_registered() {
        let mut ids: Vec<&str> = all().map(|(b, _)| b.id).collect();
        ids.sort_unstable();
        let before = ids.len();
        ids.dedup();
        assert_eq!(before, ids.len(), "duplicate builtin ids");
        let mut vm = Vm::empty();
        vm.open_all_libraries().unwrap();
        assert!(opened(&vm)
            .iter()
            .any(|&(_, access)| access == Access::Host));
    }

    #[test]
    fn the_default_sandbox_holds_only_safe_builtins() {
        let mut vm = Vm::default();
        vm.protect_shared_globals().unwrap();
        vm.context().create_script_environment().unwrap();
        vm.context()
            .exec::<()>(
                b"local _ = ipairs({}), ('x'):gmatch('x'), utf8.codes('x'), coroutine.wrap(print)",
                "=t",
            )
            .unwrap();
        for (id, access) in opened(&vm) {
            assert_eq!(access, Access::Safe, "{id}");
        }
    }
}
