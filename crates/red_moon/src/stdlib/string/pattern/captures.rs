//! Captures recorded by a match, and the values Lua functions return from them.

use super::PatternError;

/// Maximum number of captures in one pattern (PUC's `LUA_MAXCAPTURES`).
pub const MAX_CAPTURES: usize = 32;

/// The value of one capture.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Capture {
    /// The subject bytes `start..end` (0-based, half open): a Lua string.
    Substring {
        /// First byte of the capture.
        start: usize,
        /// One past its last byte.
        end: usize,
    },
    /// A position capture `()`: the 0-based offset of the subject position. Lua sees the
    /// integer `offset + 1`.
    Position(usize),
}

/// State of one capture slot while matching.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum SlotState {
    /// Opened by `(` and not closed yet.
    Open,
    /// A position capture `()`.
    Position,
    /// Closed by `)` at this subject offset.
    Closed(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Slot {
    pub(super) start: usize,
    pub(super) state: SlotState,
}

const EMPTY_SLOT: Slot = Slot {
    start: 0,
    state: SlotState::Open,
};

/// The capture slots of a match attempt, in the order their `(` appear.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Captures {
    slots: [Slot; MAX_CAPTURES],
    count: usize,
}

impl Default for Captures {
    fn default() -> Self {
        Captures {
            slots: [EMPTY_SLOT; MAX_CAPTURES],
            count: 0,
        }
    }
}

impl Captures {
    /// Number of captures the pattern opened (finished or not).
    pub fn len(&self) -> usize {
        self.count
    }

    /// Whether the pattern has no captures.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    pub(super) fn clear(&mut self) {
        self.count = 0;
    }

    /// Opens a new capture at `start`.
    pub(super) fn open(&mut self, start: usize, state: SlotState) -> Result<(), PatternError> {
        let slot = self
            .slots
            .get_mut(self.count)
            .ok_or(PatternError::TooManyCaptures)?;
        *slot = Slot { start, state };
        self.count += 1;
        Ok(())
    }

    /// Undoes the most recent [`Captures::open`].
    pub(super) fn unopen(&mut self) {
        self.count = self.count.saturating_sub(1);
    }

    /// Closes the innermost open capture at `end`; returns its index.
    pub(super) fn close_innermost(&mut self, end: usize) -> Result<usize, PatternError> {
        let index = self
            .active()
            .iter()
            .rposition(|slot| slot.state == SlotState::Open)
            .ok_or(PatternError::InvalidPatternCapture)?;
        if let Some(slot) = self.slots.get_mut(index) {
            slot.state = SlotState::Closed(end);
        }
        Ok(index)
    }

    /// Reopens capture `index` (undoes [`Captures::close_innermost`]).
    pub(super) fn reopen(&mut self, index: usize) {
        if let Some(slot) = self.slots.get_mut(index) {
            slot.state = SlotState::Open;
        }
    }

    /// The slot a back-reference `%digit` names, if it exists and is not open.
    pub(super) fn referenced(&self, digit: u8) -> Result<Slot, PatternError> {
        let invalid = PatternError::InvalidCaptureIndex(digit.wrapping_sub(b'0'));
        let index = usize::from(digit)
            .checked_sub(usize::from(b'1'))
            .ok_or(invalid)?;
        match self.active().get(index) {
            Some(slot) if slot.state != SlotState::Open => Ok(*slot),
            _ => Err(invalid),
        }
    }

    fn slot(&self, index: usize) -> Option<&Slot> {
        self.active().get(index)
    }

    /// The slots opened so far.
    fn active(&self) -> &[Slot] {
        self.slots.get(..self.count).unwrap_or_default()
    }
}

/// A successful match: the matched range of the subject and its captures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    /// First matched byte (0-based). `string.find` returns `start + 1`.
    pub start: usize,
    /// One past the last matched byte. `string.find` returns `end`.
    pub end: usize,
    /// The captures of the pattern.
    pub captures: Captures,
}

/// Up to [`MAX_CAPTURES`] capture values, as returned to Lua.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaptureList {
    items: [Capture; MAX_CAPTURES],
    len: usize,
}

impl CaptureList {
    fn new() -> Self {
        CaptureList {
            items: [Capture::Position(0); MAX_CAPTURES],
            len: 0,
        }
    }

    fn push(&mut self, capture: Capture) {
        if let Some(item) = self.items.get_mut(self.len) {
            *item = capture;
            self.len += 1;
        }
    }

    /// The values, in order.
    pub fn as_slice(&self) -> &[Capture] {
        self.items.get(..self.len).unwrap_or_default()
    }
}

impl Match {
    /// A match without captures (the plain-search result).
    pub fn without_captures(start: usize, end: usize) -> Self {
        Match {
            start,
            end,
            captures: Captures::default(),
        }
    }

    /// Capture `index` (0-based) like PUC's `get_onecapture`: when the pattern has no
    /// captures, index 0 is the whole match; any other missing index is
    /// `invalid capture index %{index+1}`; an open capture is `unfinished capture`.
    pub fn capture(&self, index: usize) -> Result<Capture, PatternError> {
        let Some(slot) = self.captures.slot(index) else {
            return if index == 0 {
                Ok(Capture::Substring {
                    start: self.start,
                    end: self.end,
                })
            } else {
                let shown = u8::try_from(index + 1).unwrap_or(u8::MAX);
                Err(PatternError::InvalidCaptureIndex(shown))
            };
        };
        match slot.state {
            SlotState::Open => Err(PatternError::UnfinishedCapture),
            SlotState::Position => Ok(Capture::Position(slot.start)),
            SlotState::Closed(end) => Ok(Capture::Substring {
                start: slot.start,
                end,
            }),
        }
    }

    /// The values `string.match`, `gmatch` and a `gsub` replacement function receive: every
    /// capture, or the whole match when the pattern has none.
    pub fn values(&self) -> Result<CaptureList, PatternError> {
        self.collect(self.captures.len().max(1))
    }

    /// The values `string.find` returns after the two positions: every capture (none when
    /// the pattern has none).
    pub fn find_values(&self) -> Result<CaptureList, PatternError> {
        self.collect(self.captures.len())
    }

    fn collect(&self, count: usize) -> Result<CaptureList, PatternError> {
        let mut list = CaptureList::new();
        for index in 0..count {
            list.push(self.capture(index)?);
        }
        Ok(list)
    }
}
