//! The backtracking matcher.
//!
//! It explores alternatives in exactly the order PUC Lua's recursive `match` does, so that
//! results, captures and lazily detected pattern errors agree. Instead of recursing, every
//! point where PUC would recurse pushes a [`Frame`] on an explicit stack; failing pops frames
//! (undoing capture changes) until one offers another alternative. The stack length plus one
//! equals PUC's recursion depth, which is bounded by [`MAX_NESTING`] ("pattern too
//! complex"), so the Rust stack use is constant whatever the input.

use super::captures::{Captures, SlotState};
use super::class::{byte_at, item_end, item_matches, set_matches, ESCAPE};
use super::{Budget, PatternError};

/// PUC's `MAXCCALLS`: the deepest nesting of match states before "pattern too complex".
pub(super) const MAX_NESTING: usize = 200;

/// A point where PUC's matcher would have recursed, with what to do when the rest fails.
#[derive(Debug, Clone, Copy)]
enum Frame {
    /// A capture was opened: on failure, forget it.
    CaptureOpened,
    /// Capture `.0` was closed: on failure, reopen it.
    CaptureClosed(usize),
    /// An optional item `x?` consumed a byte: on failure, continue at `subject` without it.
    Optional { subject: usize, resume: usize },
    /// A greedy item `x*`/`x+` matched `count` bytes after `base`: on failure, give one back.
    Greedy {
        base: usize,
        count: usize,
        resume: usize,
    },
    /// A lazy item `x-` is being tried at `subject`: on failure, consume one more byte.
    Lazy {
        subject: usize,
        item: usize,
        item_end: usize,
    },
}

/// What to do after one forward step.
enum Flow {
    /// Go on matching pattern index `.1` at subject index `.0`.
    Continue(usize, usize),
    /// This path failed: backtrack.
    Fail,
    /// The whole pattern matched, ending at this subject index.
    Succeed(usize),
}

/// Matches one pattern against one subject; reusable across start positions.
pub(super) struct Matcher<'a> {
    subject: &'a [u8],
    pattern: &'a [u8],
    captures: Captures,
    frames: Vec<Frame>,
}

impl<'a> Matcher<'a> {
    /// A matcher for `pattern` (taken literally: a leading `^` is not an anchor here).
    pub(super) fn new(subject: &'a [u8], pattern: &'a [u8]) -> Self {
        Matcher {
            subject,
            pattern,
            captures: Captures::default(),
            frames: Vec::new(),
        }
    }

    /// The captures of the last successful [`Matcher::attempt`].
    pub(super) fn captures(&self) -> &Captures {
        &self.captures
    }

    /// Tries to match the whole pattern starting exactly at subject index `start`
    /// (`start <= subject.len()`); returns where the match ends.
    pub(super) fn attempt(
        &mut self,
        start: usize,
        budget: &mut Budget,
    ) -> Result<Option<usize>, PatternError> {
        self.captures.clear();
        self.frames.clear();
        let (mut subject, mut pattern) = (start, 0);
        loop {
            match self.step(subject, pattern, budget)? {
                Flow::Continue(next_subject, next_pattern) => {
                    (subject, pattern) = (next_subject, next_pattern);
                }
                Flow::Succeed(end) => return Ok(Some(end)),
                Flow::Fail => match self.backtrack(budget)? {
                    Some((next_subject, next_pattern)) => {
                        (subject, pattern) = (next_subject, next_pattern);
                    }
                    None => return Ok(None),
                },
            }
        }
    }

    /// Matches the pattern item at `p` against the subject at `s`.
    fn step(&mut self, s: usize, p: usize, budget: &mut Budget) -> Result<Flow, PatternError> {
        budget.charge(1)?;
        let Some(&op) = self.pattern.get(p) else {
            return Ok(Flow::Succeed(s));
        };
        match op {
            b'(' if byte_at(self.pattern, p + 1) == b')' => {
                self.open_capture(s, SlotState::Position, p + 2)
            }
            b'(' => self.open_capture(s, SlotState::Open, p + 1),
            b')' => {
                let index = self.captures.close_innermost(s)?;
                self.push(Frame::CaptureClosed(index))?;
                Ok(Flow::Continue(s, p + 1))
            }
            b'$' if p + 1 == self.pattern.len() => Ok(if s == self.subject.len() {
                Flow::Succeed(s)
            } else {
                Flow::Fail
            }),
            ESCAPE => match byte_at(self.pattern, p + 1) {
                b'b' => self.balance(s, p + 2, budget),
                b'f' => self.frontier(s, p + 2, budget),
                digit @ b'0'..=b'9' => self.back_reference(s, digit, p + 2, budget),
                _ => self.single(s, p, budget),
            },
            _ => self.single(s, p, budget),
        }
    }

    /// Records a new frame; fails like PUC when its recursion would get too deep.
    fn push(&mut self, frame: Frame) -> Result<(), PatternError> {
        // The outermost PUC call counts as one level; each frame is one more.
        if self.frames.len() + 1 >= MAX_NESTING {
            return Err(PatternError::TooComplex);
        }
        self.frames.push(frame);
        Ok(())
    }

    fn open_capture(
        &mut self,
        s: usize,
        state: SlotState,
        next: usize,
    ) -> Result<Flow, PatternError> {
        self.captures.open(s, state)?;
        self.push(Frame::CaptureOpened)?;
        Ok(Flow::Continue(s, next))
    }

    /// A single-character item at `p`, with its optional quantifier.
    fn single(&mut self, s: usize, p: usize, budget: &mut Budget) -> Result<Flow, PatternError> {
        let end = item_end(self.pattern, p)?;
        budget.charge(width(p, end))?;
        let suffix = byte_at(self.pattern, end);
        if !matches_at(self.subject, s, self.pattern, p, end) {
            let accepts_empty = matches!(suffix, b'*' | b'?' | b'-');
            return Ok(if accepts_empty {
                Flow::Continue(s, end + 1)
            } else {
                Flow::Fail
            });
        }
        match suffix {
            b'?' => {
                self.push(Frame::Optional {
                    subject: s,
                    resume: end + 1,
                })?;
                Ok(Flow::Continue(s + 1, end + 1))
            }
            b'+' => self.greedy(s + 1, p, end, budget),
            b'*' => self.greedy(s, p, end, budget),
            b'-' => {
                self.push(Frame::Lazy {
                    subject: s,
                    item: p,
                    item_end: end,
                })?;
                Ok(Flow::Continue(s, end + 1))
            }
            _ => Ok(Flow::Continue(s + 1, end)),
        }
    }

    /// Consumes as many bytes from `base` as the item `p..end` matches, remembering how to
    /// give them back one at a time.
    fn greedy(
        &mut self,
        base: usize,
        p: usize,
        end: usize,
        budget: &mut Budget,
    ) -> Result<Flow, PatternError> {
        let rest = self.subject.get(base..).unwrap_or_default();
        let count = rest
            .iter()
            .take_while(|&&byte| item_matches(byte, self.pattern, p, end))
            .count();
        budget.charge(
            u64::try_from(count)
                .unwrap_or(u64::MAX)
                .saturating_mul(width(p, end)),
        )?;
        self.push(Frame::Greedy {
            base,
            count,
            resume: end + 1,
        })?;
        Ok(Flow::Continue(base + count, end + 1))
    }

    /// `%bxy` with `x` at pattern index `p`: a balanced run from `x` to its matching `y`.
    fn balance(&mut self, s: usize, p: usize, budget: &mut Budget) -> Result<Flow, PatternError> {
        let (Some(&open), Some(&close)) = (self.pattern.get(p), self.pattern.get(p + 1)) else {
            return Err(PatternError::MissingBalanceArguments);
        };
        if self.subject.get(s) != Some(&open) {
            return Ok(Flow::Fail);
        }
        let mut depth = 1usize;
        let after_open = s + 1;
        for (offset, &byte) in self
            .subject
            .get(after_open..)
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            // The closing byte is tested first, so `%b''` pairs consecutive quotes.
            if byte == close {
                depth -= 1;
                if depth == 0 {
                    budget.charge(to_steps(offset + 1))?;
                    return Ok(Flow::Continue(after_open + offset + 1, p + 2));
                }
            } else if byte == open {
                depth += 1;
            }
        }
        budget.charge(to_steps(self.subject.len() - s))?;
        Ok(Flow::Fail)
    }

    /// `%f[set]` with `[` expected at pattern index `p`: the previous byte (NUL at the
    /// start) is not in the set and the current one (NUL at the end) is.
    fn frontier(&mut self, s: usize, p: usize, budget: &mut Budget) -> Result<Flow, PatternError> {
        if byte_at(self.pattern, p) != b'[' {
            return Err(PatternError::MissingFrontierSet);
        }
        let end = item_end(self.pattern, p)?;
        budget.charge(width(p, end))?;
        let previous = s.checked_sub(1).map_or(0, |i| byte_at(self.subject, i));
        let current = byte_at(self.subject, s);
        let close = end - 1;
        let at_frontier = !set_matches(previous, self.pattern, p, close)
            && set_matches(current, self.pattern, p, close);
        Ok(if at_frontier {
            Flow::Continue(s, end)
        } else {
            Flow::Fail
        })
    }

    /// `%1`-`%9`: the same bytes as an earlier closed capture. (`%0` and open captures are
    /// errors; position captures never match.)
    fn back_reference(
        &mut self,
        s: usize,
        digit: u8,
        next: usize,
        budget: &mut Budget,
    ) -> Result<Flow, PatternError> {
        let slot = self.captures.referenced(digit)?;
        let SlotState::Closed(captured_end) = slot.state else {
            return Ok(Flow::Fail);
        };
        let captured = self
            .subject
            .get(slot.start..captured_end)
            .unwrap_or_default();
        budget.charge(to_steps(captured.len()))?;
        let candidate_end = s.saturating_add(captured.len());
        Ok(if self.subject.get(s..candidate_end) == Some(captured) {
            Flow::Continue(candidate_end, next)
        } else {
            Flow::Fail
        })
    }

    /// Undoes frames until one offers an alternative; returns where to resume, or `None`
    /// when every alternative failed.
    fn backtrack(&mut self, budget: &mut Budget) -> Result<Option<(usize, usize)>, PatternError> {
        while let Some(frame) = self.frames.last_mut() {
            budget.charge(1)?;
            match frame {
                Frame::CaptureOpened => self.captures.unopen(),
                Frame::CaptureClosed(index) => self.captures.reopen(*index),
                Frame::Optional { subject, resume } => {
                    let resume_at = (*subject, *resume);
                    self.frames.pop();
                    return Ok(Some(resume_at));
                }
                Frame::Greedy {
                    base,
                    count,
                    resume,
                } => {
                    if *count > 0 {
                        *count -= 1;
                        return Ok(Some((*base + *count, *resume)));
                    }
                }
                Frame::Lazy {
                    subject,
                    item,
                    item_end,
                } => {
                    budget.charge(width(*item, *item_end))?;
                    if matches_at(self.subject, *subject, self.pattern, *item, *item_end) {
                        *subject += 1;
                        return Ok(Some((*subject, *item_end + 1)));
                    }
                }
            }
            self.frames.pop();
        }
        Ok(None)
    }
}

/// Whether the subject byte at `s` exists and matches the item `p..end`.
fn matches_at(subject: &[u8], s: usize, pattern: &[u8], p: usize, end: usize) -> bool {
    subject
        .get(s)
        .is_some_and(|&byte| item_matches(byte, pattern, p, end))
}

/// Step cost of testing one byte against the item `p..end`: its length in the pattern.
fn width(p: usize, end: usize) -> u64 {
    to_steps(end.saturating_sub(p))
}

fn to_steps(count: usize) -> u64 {
    u64::try_from(count).unwrap_or(u64::MAX)
}
