//! Errors raised while matching a Lua pattern or expanding a `gsub` replacement string.

use std::fmt;

/// Why a pattern operation failed.
///
/// Every variant except [`PatternError::BudgetExhausted`] is a Lua error; its `Display` text
/// is exactly the message PUC-Rio Lua 5.4.4 raises (without position prefix, as `luaL_error`
/// adds none for C functions).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatternError {
    /// `malformed pattern (ends with '%')`
    EndsWithEscape,
    /// `malformed pattern (missing ']')`
    MissingCloseBracket,
    /// `missing '[' after '%f' in pattern`
    MissingFrontierSet,
    /// `malformed pattern (missing arguments to '%b')`
    MissingBalanceArguments,
    /// `invalid capture index %N`: a back-reference or replacement names a capture that does
    /// not exist (or, in a pattern, is still open). The payload is the digit `N` as written.
    InvalidCaptureIndex(u8),
    /// `invalid pattern capture`: a `)` closes no open capture.
    InvalidPatternCapture,
    /// `unfinished capture`: the match succeeded while a capture was still open, and its
    /// value was requested.
    UnfinishedCapture,
    /// `too many captures` (more than [`super::MAX_CAPTURES`]).
    TooManyCaptures,
    /// `pattern too complex`: the backtracking nesting exceeded PUC's `MAXCCALLS` bound.
    TooComplex,
    /// `invalid use of '%' in replacement string`
    InvalidReplacementEscape,
    /// The step budget ran out. Not a Lua error: the VM should charge the spent fuel and
    /// pause; retrying the same operation later repeats it from its last saved state.
    BudgetExhausted,
}

impl PatternError {
    /// Whether this error is a Lua error a script may catch (everything but budget
    /// exhaustion).
    pub fn is_lua_error(self) -> bool {
        self != PatternError::BudgetExhausted
    }
}

impl fmt::Display for PatternError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PatternError::EndsWithEscape => f.write_str("malformed pattern (ends with '%')"),
            PatternError::MissingCloseBracket => f.write_str("malformed pattern (missing ']')"),
            PatternError::MissingFrontierSet => f.write_str("missing '[' after '%f' in pattern"),
            PatternError::MissingBalanceArguments => {
                f.write_str("malformed pattern (missing arguments to '%b')")
            }
            PatternError::InvalidCaptureIndex(n) => write!(f, "invalid capture index %{n}"),
            PatternError::InvalidPatternCapture => f.write_str("invalid pattern capture"),
            PatternError::UnfinishedCapture => f.write_str("unfinished capture"),
            PatternError::TooManyCaptures => f.write_str("too many captures"),
            PatternError::TooComplex => f.write_str("pattern too complex"),
            PatternError::InvalidReplacementEscape => {
                f.write_str("invalid use of '%' in replacement string")
            }
            PatternError::BudgetExhausted => f.write_str("pattern matching step budget exhausted"),
        }
    }
}

impl std::error::Error for PatternError {}
