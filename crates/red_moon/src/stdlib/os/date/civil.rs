//! The proleptic Gregorian calendar: conversions between day numbers and dates.
//!
//! Day numbers count days since 1970-01-01 (day 0). The algorithms work on whole 400-year
//! eras (146,097 days), so they are exact for any year an `i64` day count can reach.

const DAYS_PER_ERA: i64 = 146_097;
const YEARS_PER_ERA: i64 = 400;
/// Day number of 0000-03-01, the start of era 0 in the March-based year used below.
const ERA_ZERO_DAY: i64 = -719_468;

/// Whether `year` has a February 29th.
pub(super) fn is_leap_year(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

/// Day number of `year`-`month`-`day` (`month` in 1..=12, `day` in 1..=31).
pub(super) fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    // Count years from March so that the leap day ends the year.
    let march_year = if month <= 2 { year - 1 } else { year };
    let era = march_year.div_euclid(YEARS_PER_ERA);
    let year_of_era = march_year.rem_euclid(YEARS_PER_ERA);
    let march_month = i64::from((month + 9) % 12); // March = 0
    let day_of_year = (153 * march_month + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * DAYS_PER_ERA + day_of_era + ERA_ZERO_DAY
}

/// The date (year, month 1..=12, day 1..=31) of day number `days`.
pub(super) fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let shifted = days - ERA_ZERO_DAY;
    let era = shifted.div_euclid(DAYS_PER_ERA);
    let day_of_era = shifted.rem_euclid(DAYS_PER_ERA);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let march_month = (5 * day_of_year + 2) / 153; // March = 0
    let day = day_of_year - (153 * march_month + 2) / 5 + 1;
    let month = if march_month < 10 {
        march_month + 3
    } else {
        march_month - 9
    };
    let year = era * YEARS_PER_ERA + year_of_era + i64::from(month <= 2);
    // Both are small by construction: month in 1..=12, day in 1..=31.
    (year, month as u32, day as u32)
}

/// Days from January 1st to the given date (0-based day of the year).
pub(super) fn day_of_year(year: i64, month: u32, day: u32) -> i64 {
    days_from_civil(year, month, day) - days_from_civil(year, 1, 1)
}

/// Weekday of day number `days`, 0 = Sunday (1970-01-01 was a Thursday).
pub(super) fn weekday(days: i64) -> i64 {
    (days + 4).rem_euclid(7)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_known_dates() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(days_from_civil(1, 1, 1), -719_162);
        assert_eq!(civil_from_days(-719_163), (0, 12, 31));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        for days in (-1_000_000..1_000_000).step_by(997) {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        let far = 800_000_000_000;
        let (y, m, d) = civil_from_days(far);
        assert_eq!(days_from_civil(y, m, d), far);
        assert_eq!(weekday(0), 4);
        assert_eq!(day_of_year(2000, 12, 31), 365);
        assert!(is_leap_year(2000) && is_leap_year(-4) && !is_leap_year(1900));
    }
}
