//! `string.find`, `string.match`, `string.gmatch` and `string.gsub` on top of the matcher.

use super::machine::Matcher;
use super::search::find_plain;
use super::{Budget, Match, PatternError};

/// Bytes that make a pattern more than a literal string (PUC's `SPECIALS`).
const SPECIALS: &[u8] = b"^$*+?.([%-";

/// Converts the Lua `init` argument of `find`/`match`/`gmatch` (1-based, negative counts
/// from the end, 0 and too-negative values mean 1) to a 0-based offset. The result may
/// exceed `len` (then `find`/`match` fail and `gmatch` yields nothing).
pub fn init_offset(init: i64, len: usize) -> usize {
    let len_i64 = i64::try_from(len).unwrap_or(i64::MAX);
    if init > 0 {
        usize::try_from(init - 1).unwrap_or(usize::MAX)
    } else if init == 0 || init < -len_i64 {
        0
    } else {
        // -len <= init < 0, so the result lies in 0..len.
        usize::try_from(len_i64 + init).unwrap_or(0)
    }
}

/// Whether `pattern` contains a special character; without one, `string.find` does a plain
/// search.
pub fn has_specials(pattern: &[u8]) -> bool {
    pattern.iter().any(|byte| SPECIALS.contains(byte))
}

/// Splits a leading `^` anchor off `pattern` (as `find`, `match` and `gsub` do; `gmatch`
/// does not, there `^` is an ordinary byte).
pub fn split_anchor(pattern: &[u8]) -> (bool, &[u8]) {
    match pattern.split_first() {
        Some((b'^', rest)) => (true, rest),
        _ => (false, pattern),
    }
}

/// Tries to match `pattern` (taken literally: no anchor handling) exactly at subject offset
/// `start` (`start <= subject.len()`, else no match).
pub fn match_at(
    subject: &[u8],
    pattern: &[u8],
    start: usize,
    budget: &mut Budget,
) -> Result<Option<Match>, PatternError> {
    if start > subject.len() {
        return Ok(None);
    }
    let mut matcher = Matcher::new(subject, pattern);
    attempt(&mut matcher, start, budget)
}

/// One attempt of a reusable matcher, packaged as a [`Match`].
fn attempt(
    matcher: &mut Matcher<'_>,
    start: usize,
    budget: &mut Budget,
) -> Result<Option<Match>, PatternError> {
    Ok(matcher.attempt(start, budget)?.map(|end| Match {
        start,
        end,
        captures: matcher.captures().clone(),
    }))
}

/// `string.find(subject, pattern, init, plain)` with `init` already converted by
/// [`init_offset`]. Returns the match; the VM returns `start + 1`, `end`, then
/// [`Match::find_values`].
pub fn string_find(
    subject: &[u8],
    pattern: &[u8],
    init: usize,
    plain: bool,
    budget: &mut Budget,
) -> Result<Option<Match>, PatternError> {
    if init > subject.len() {
        return Ok(None);
    }
    if plain || !has_specials(pattern) {
        let found = find_plain(subject, pattern, init);
        // The search is linear; charge what it scanned.
        let scanned = found.map_or(subject.len(), |at| at + pattern.len()) - init;
        budget.charge(u64::try_from(scanned).unwrap_or(u64::MAX))?;
        return Ok(found.map(|at| Match::without_captures(at, at + pattern.len())));
    }
    search(subject, pattern, init, budget)
}

/// `string.match(subject, pattern, init)` with `init` already converted by [`init_offset`].
/// The VM returns [`Match::values`].
pub fn string_match(
    subject: &[u8],
    pattern: &[u8],
    init: usize,
    budget: &mut Budget,
) -> Result<Option<Match>, PatternError> {
    if init > subject.len() {
        return Ok(None);
    }
    search(subject, pattern, init, budget)
}

/// Tries every start from `init` (only `init` when anchored) until the pattern matches.
fn search(
    subject: &[u8],
    pattern: &[u8],
    init: usize,
    budget: &mut Budget,
) -> Result<Option<Match>, PatternError> {
    let (anchored, body) = split_anchor(pattern);
    let mut matcher = Matcher::new(subject, body);
    let last_start = if anchored { init } else { subject.len() };
    for start in init..=last_start {
        if let Some(found) = attempt(&mut matcher, start, budget)? {
            return Ok(Some(found));
        }
    }
    Ok(None)
}

/// The state of a `string.gmatch` iterator: plain data the VM keeps in the iterator closure.
///
/// Each call to the iterator calls [`Gmatch::next_match`] with the same subject and pattern
/// and returns [`Match::values`], or nothing at the end. As in Lua 5.4, a match may not be
/// empty at the position where the previous match ended (so `gmatch("abc", "%a*")` yields
/// `"abc"` once, not an extra `""` at the end), and `^` is not an anchor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gmatch {
    /// Where the next attempt starts.
    next_start: usize,
    /// End of the previous match.
    last_match: Option<usize>,
}

impl Gmatch {
    /// The state as plain numbers `(next_start, last_match)`, for storing it in Lua values.
    pub fn to_parts(&self) -> (usize, Option<usize>) {
        (self.next_start, self.last_match)
    }

    /// Rebuilds a state saved with [`Gmatch::to_parts`].
    pub fn from_parts(next_start: usize, last_match: Option<usize>) -> Self {
        Gmatch {
            next_start,
            last_match,
        }
    }

    /// An iterator state for a subject of `subject_len` bytes, starting at `init` (already
    /// converted by [`init_offset`]; beyond the end yields nothing).
    pub fn new(subject_len: usize, init: usize) -> Self {
        Gmatch {
            next_start: init.min(subject_len.saturating_add(1)),
            last_match: None,
        }
    }

    /// The next match, or `None` when the subject is exhausted.
    ///
    /// Positions that failed are skipped for good even if a later attempt errors, so after
    /// [`PatternError::BudgetExhausted`] a retry resumes where the search stopped.
    pub fn next_match(
        &mut self,
        subject: &[u8],
        pattern: &[u8],
        budget: &mut Budget,
    ) -> Result<Option<Match>, PatternError> {
        let mut matcher = Matcher::new(subject, pattern);
        while self.next_start <= subject.len() {
            let start = self.next_start;
            if let Some(found) = attempt(&mut matcher, start, budget)? {
                if Some(found.end) != self.last_match {
                    self.next_start = found.end;
                    self.last_match = Some(found.end);
                    return Ok(Some(found));
                }
            }
            self.next_start = start + 1;
        }
        Ok(None)
    }
}

/// One step of [`Gsub`].
// Steps are returned one at a time, never stored in bulk, so the size of `Match` is fine.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GsubStep {
    /// Append `subject[unchanged]` to the result, then the replacement of `found`.
    ///
    /// The replacement is [`super::expand_replacement`] for a string (or number) `repl`; for
    /// a table, `repl[first value of found.values()]`; for a function, the call with all of
    /// `found.values()`. When a table or function yields `nil` or `false`, append the
    /// original `subject[found.start..found.end]` instead (this does not count as a change).
    Replace {
        /// Subject bytes before the match that stay as they are.
        unchanged: std::ops::Range<usize>,
        /// The match to replace.
        found: Match,
    },
    /// Append `subject[unchanged]`; the result is complete. If no replacement changed
    /// anything, `gsub` returns the original string object. Its second result is
    /// [`Gsub::count`].
    Finish {
        /// The rest of the subject.
        unchanged: std::ops::Range<usize>,
    },
}

/// The state of a `string.gsub` in progress: plain data, so the VM can keep it in a
/// continuation while a replacement function runs, or across a pause.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gsub {
    /// Where the next match attempt starts.
    position: usize,
    /// Start of the subject bytes not yet handed out.
    copied_upto: usize,
    last_match: Option<usize>,
    count: i64,
    max_replacements: i64,
    anchored: bool,
    finished: bool,
}

impl Gsub {
    /// A new `gsub` over a subject of `subject_len` bytes with `pattern` (for its anchor)
    /// and the optional 4th argument `n` (default: `subject_len + 1`, i.e. unlimited).
    pub fn new(subject_len: usize, pattern: &[u8], max_replacements: Option<i64>) -> Self {
        let default_max = i64::try_from(subject_len)
            .unwrap_or(i64::MAX)
            .saturating_add(1);
        Gsub {
            position: 0,
            copied_upto: 0,
            last_match: None,
            count: 0,
            max_replacements: max_replacements.unwrap_or(default_max),
            anchored: split_anchor(pattern).0,
            finished: false,
        }
    }

    /// Number of matches replaced so far (`gsub`'s second result).
    pub fn count(&self) -> i64 {
        self.count
    }

    /// Finds the next match to replace, or finishes. Call with the same subject and pattern
    /// every time; after [`GsubStep::Finish`] it keeps returning an empty finish.
    ///
    /// On an error the state stays consistent: after [`PatternError::BudgetExhausted`] the
    /// VM may call again to retry the interrupted attempt.
    pub fn next_step(
        &mut self,
        subject: &[u8],
        pattern: &[u8],
        budget: &mut Budget,
    ) -> Result<GsubStep, PatternError> {
        let body = split_anchor(pattern).1;
        let mut matcher = Matcher::new(subject, body);
        while !self.finished && self.count < self.max_replacements {
            let start = self.position;
            let found = attempt(&mut matcher, start, budget)?;
            match found {
                Some(found) if Some(found.end) != self.last_match => {
                    self.count += 1;
                    self.position = found.end;
                    self.last_match = Some(found.end);
                    let unchanged = self.copied_upto..start;
                    self.copied_upto = found.end;
                    self.finished = self.anchored;
                    return Ok(GsubStep::Replace { unchanged, found });
                }
                _ if start < subject.len() && !self.anchored => self.position = start + 1,
                _ => self.finished = true,
            }
        }
        self.finished = true;
        let unchanged = self.copied_upto..subject.len();
        self.copied_upto = subject.len();
        Ok(GsubStep::Finish { unchanged })
    }
}
