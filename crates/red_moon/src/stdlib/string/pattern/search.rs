//! Plain substring search, linear in the haystack length whatever the input.
//!
//! `string.find` with `plain` (or a pattern without special characters) is a substring
//! search. PUC's naive search is quadratic on inputs like `("a"):rep(n)` vs
//! `("a"):rep(n/2).."b"`; this one uses the Crochemore–Perrin two-way algorithm, which needs
//! constant extra memory and inspects each haystack byte a bounded number of times.

/// Index of the first occurrence of `needle` in `haystack` at or after `from`.
///
/// An empty needle is found at `from` (when `from <= haystack.len()`).
pub fn find_plain(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    let window = haystack.get(from..)?;
    let found = match needle {
        [] => Some(0),
        [byte] => window.iter().position(|b| b == byte),
        _ if needle.len() > window.len() => None,
        _ => TwoWay::new(needle).find(window),
    };
    found.map(|at| at + from)
}

/// A needle prepared for two-way search: split at a critical factorization
/// `needle = left ++ right` (`left = needle[..split]`) with `period` the period of `right`.
struct TwoWay<'a> {
    needle: &'a [u8],
    split: usize,
    period: usize,
    /// Whether `period` is a period of the whole needle; then matched prefixes are
    /// remembered across shifts.
    periodic: bool,
}

impl<'a> TwoWay<'a> {
    /// Prepares `needle` (at least one byte).
    fn new(needle: &'a [u8]) -> Self {
        let (split_less, period_less) = maximal_suffix(needle, false);
        let (split_greater, period_greater) = maximal_suffix(needle, true);
        // The later of the two maximal suffixes gives a critical factorization.
        let (split, period) = if split_less > split_greater {
            (split_less, period_less)
        } else {
            (split_greater, period_greater)
        };
        let left = needle.get(..split);
        let shifted = period
            .checked_add(split)
            .and_then(|end| needle.get(period..end));
        let periodic = left.is_some() && left == shifted;
        TwoWay {
            needle,
            split,
            period,
            periodic,
        }
    }

    /// Index of the first occurrence in `haystack`.
    fn find(&self, haystack: &[u8]) -> Option<usize> {
        let length = self.needle.len();
        let last_start = haystack.len().checked_sub(length)?;
        // Bytes at the start of the needle known to match at `position` (periodic case).
        let mut remembered = 0;
        let mut position = 0;
        while position <= last_start {
            let window = haystack.get(position..position + length)?;
            let right_start = self.split.max(remembered);
            let mismatch = (right_start..length).find(|&i| !same_at(self.needle, window, i));
            if let Some(i) = mismatch {
                position += i + 1 - self.split;
                remembered = 0;
                continue;
            }
            let left_floor = if self.periodic { remembered } else { 0 };
            let left_matches = (left_floor..self.split)
                .rev()
                .all(|i| same_at(self.needle, window, i));
            if left_matches {
                return Some(position);
            }
            if self.periodic {
                position += self.period;
                remembered = length - self.period;
            } else {
                position += self.split.max(length - self.split) + 1;
            }
        }
        None
    }
}

/// Whether `needle` and `window` agree at index `i` (false when either is too short).
#[inline]
fn same_at(needle: &[u8], window: &[u8], i: usize) -> bool {
    match (needle.get(i), window.get(i)) {
        (Some(a), Some(b)) => a == b,
        _ => false,
    }
}

/// Start and period of the lexicographically maximal suffix of `needle` (non-empty), under
/// byte order or, with `reversed`, the reversed byte order.
fn maximal_suffix(needle: &[u8], reversed: bool) -> (usize, usize) {
    let mut suffix = 0; // start of the best suffix so far
    let mut candidate = 1; // start of the suffix compared against it
    let mut offset = 0; // bytes of both known equal
    let mut period = 1;
    while let Some(&next) = needle.get(candidate + offset) {
        let Some(&current) = needle.get(suffix + offset) else {
            break;
        };
        let candidate_smaller = if reversed {
            next > current
        } else {
            next < current
        };
        if candidate_smaller {
            candidate += offset + 1;
            offset = 0;
            period = candidate - suffix;
        } else if next == current {
            if offset + 1 == period {
                candidate += period;
                offset = 0;
            } else {
                offset += 1;
            }
        } else {
            suffix = candidate;
            candidate = suffix + 1;
            offset = 0;
            period = 1;
        }
    }
    (suffix, period)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
        if from > haystack.len() {
            return None;
        }
        (from..=haystack.len().saturating_sub(needle.len()))
            .find(|&i| haystack.get(i..i + needle.len()) == Some(needle))
    }

    /// A deterministic xorshift generator for exhaustive-ish comparisons.
    fn next(state: &mut u64) -> u64 {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        *state
    }

    #[test]
    fn agrees_with_naive_search_on_small_alphabets() {
        let mut state = 0x9E37_79B9_7F4A_7C15;
        for round in 0..20_000 {
            let alphabet = 1 + (round % 3) as u64;
            let word = |max: u64, state: &mut u64| -> Vec<u8> {
                let len = next(state) % max;
                (0..len)
                    .map(|_| b'a' + (next(state) % alphabet) as u8)
                    .collect()
            };
            let haystack = word(24, &mut state);
            let needle = word(8, &mut state);
            let from = (next(&mut state) % 26) as usize;
            assert_eq!(
                find_plain(&haystack, &needle, from),
                naive(&haystack, &needle, from),
                "{haystack:?} {needle:?} {from}"
            );
        }
    }

    #[test]
    fn finds_with_nul_bytes_and_edges() {
        assert_eq!(find_plain(b"a\0o a\0o a\0o", b"a\0o", 1), Some(4));
        assert_eq!(find_plain(b"a\0a\0a\0a\0\0ab", b"\0ab", 1), Some(8));
        assert_eq!(find_plain(b"", b"", 0), Some(0));
        assert_eq!(find_plain(b"abc", b"", 3), Some(3));
        assert_eq!(find_plain(b"abc", b"", 4), None);
        assert_eq!(find_plain(b"abc", b"abcd", 0), None);
        assert_eq!(find_plain(b"", b"\0", 0), None);
    }

    #[test]
    fn stays_fast_on_quadratic_inputs_for_naive_search() {
        let haystack = vec![b'a'; 200_000];
        let mut needle = vec![b'a'; 100_000];
        needle.push(b'b');
        assert_eq!(find_plain(&haystack, &needle, 0), None);
        needle.insert(0, b'b');
        assert_eq!(find_plain(&haystack, &needle, 0), None);
    }
}
