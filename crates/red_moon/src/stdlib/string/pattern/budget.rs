//! The step budget that bounds the work of one pattern operation.

use super::PatternError;

/// A count of elementary matching steps an operation may still take.
///
/// The matcher charges roughly one step per byte it inspects (per pattern item visited, per
/// subject byte compared or scanned, per backtrack), so the total charge is proportional to
/// the real work. The VM converts its remaining fuel into a `Budget`, runs the operation, and
/// charges [`Budget::used`] back to its fuel, also when the operation failed with
/// [`PatternError::BudgetExhausted`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Budget {
    remaining: u64,
    used: u64,
}

impl Budget {
    /// A budget of `steps` elementary steps.
    pub fn new(steps: u64) -> Self {
        Budget {
            remaining: steps,
            used: 0,
        }
    }

    /// A budget that never runs out in practice (for hosts that do not meter).
    pub fn unlimited() -> Self {
        Budget::new(u64::MAX)
    }

    /// Steps still available.
    pub fn remaining(&self) -> u64 {
        self.remaining
    }

    /// Steps charged so far.
    pub fn used(&self) -> u64 {
        self.used
    }

    /// Charges `steps`; fails (spending everything left) when fewer remain.
    #[inline]
    pub fn charge(&mut self, steps: u64) -> Result<(), PatternError> {
        if steps <= self.remaining {
            self.remaining -= steps;
            self.used = self.used.saturating_add(steps);
            Ok(())
        } else {
            self.used = self.used.saturating_add(self.remaining);
            self.remaining = 0;
            Err(PatternError::BudgetExhausted)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charges_until_exhausted() {
        let mut budget = Budget::new(5);
        assert_eq!(budget.charge(3), Ok(()));
        assert_eq!((budget.remaining(), budget.used()), (2, 3));
        assert_eq!(budget.charge(3), Err(PatternError::BudgetExhausted));
        assert_eq!((budget.remaining(), budget.used()), (0, 5));
        assert_eq!(budget.charge(0), Ok(()));
    }
}
