//! Lua 5.4 patterns: the engine behind `string.find`, `match`, `gmatch` and `gsub`.
//!
//! Everything here is pure: it works on byte slices and byte offsets and never touches the
//! VM. Offsets are 0-based and ranges half open; the VM converts to Lua's 1-based indices.
//!
//! # Behaviour
//!
//! The matcher reproduces PUC-Rio Lua 5.4.4 exactly: the same classes (C locale), the same
//! backtracking order, the same lazily detected errors (a malformed item is only reported
//! when the matcher reaches it), the same depth limit ("pattern too complex" at 200 nested
//! states), the same 32-capture limit. It never recurses, so any pattern is safe on a small
//! thread stack. Every operation takes a [`Budget`] of elementary steps and stops with
//! [`PatternError::BudgetExhausted`] when it runs out, so a backtracking bomb cannot hang
//! the host.
//!
//! # How the VM implements the library functions
//!
//! Let `len` be the subject length. All errors except `BudgetExhausted` become Lua errors
//! with the `Display` text of [`PatternError`].
//!
//! * `string.find(s, p, init, plain)`: `let i = init_offset(init.unwrap_or(1), len)`;
//!   [`string_find`]`(s, p, i, plain_is_truthy, budget)`. On `Some(m)` return
//!   `m.start + 1`, `m.end`, then each of [`Match::find_values`]; on `None` return `nil`
//!   (`fail`). Plain searches (explicit or when `p` has no special character) use the linear
//!   [`find_plain`].
//! * `string.match(s, p, init)`: same `i`; [`string_match`]; return [`Match::values`].
//! * `string.gmatch(s, p, init)`: keep `(s, p, Gmatch::new(len, i))` in the iterator
//!   closure; each call runs [`Gmatch::next_match`] and returns [`Match::values`], or nothing
//!   at the end. `^` is a literal byte in `gmatch`, and an empty match is not accepted where
//!   the previous match ended (5.4's `lastmatch` rule), e.g. `gmatch("abc", "%a*")` yields
//!   only `"abc"`.
//! * `string.gsub(s, p, repl, n)`: check `repl` is a string, number, table or function
//!   (else the argument error "string/function/table expected"); `Gsub::new(len, p, n)`;
//!   then loop on [`Gsub::next_step`]: append the `unchanged` range, and for
//!   [`GsubStep::Replace`] the replacement (see its documentation; a string or number
//!   `repl` goes through [`expand_replacement`]). A function replacement is a call the VM
//!   makes as a continuation, with the `Gsub` state saved meanwhile. A non-string,
//!   non-number, truthy replacement value raises "invalid replacement value (a TYPE)". At
//!   [`GsubStep::Finish`] return the built string (or the original string object when no
//!   replacement changed anything) and [`Gsub::count`].
//!
//! Capture values ([`Capture`]) become Lua strings (`Substring`) or integers
//! (`Position(offset)` is `offset + 1`).
//!
//! # Fuel
//!
//! Charges are proportional to the work done (about one step per pattern item visited and
//! per subject byte inspected). After a call, the VM charges `budget.used()` to its fuel.
//! After `BudgetExhausted` the VM pauses; the [`Gmatch`] and [`Gsub`] states remain valid and
//! calling again retries the interrupted match attempt from its start (positions already
//! rejected are not searched again). `find`/`match` simply restart.

mod budget;
mod captures;
mod class;
mod drivers;
mod error;
mod machine;
mod replace;
mod search;

#[cfg(test)]
mod tests;

pub use budget::Budget;
pub use captures::{Capture, CaptureList, Captures, Match, MAX_CAPTURES};
pub use drivers::{
    has_specials, init_offset, match_at, split_anchor, string_find, string_match, Gmatch, Gsub,
    GsubStep,
};
pub use error::PatternError;
pub use replace::expand_replacement;
pub use search::find_plain;
