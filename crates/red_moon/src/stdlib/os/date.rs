//! The engine of `os.date` and `os.time`: calendar conversions and `strftime`.
//!
//! Everything is pure. "Local time" is whatever the host says it is: a [`Zone`] with a
//! fixed offset from UTC and an abbreviation (a sandbox host usually passes game time and
//! [`Zone::utc`]-like zones so replays agree). Results match lua5.4 on glibc (Debian) in
//! the C locale, including its behaviour at the edges of the representable range.
//!
//! # How the VM implements the library functions
//!
//! * `os.date(format, t)`: `format` defaults to `"%c"`, `t` to the host's current time.
//!   Call [`os_date`] with the host's local [`Zone`]. [`DateOutput::Table`] becomes a table
//!   filled by [`DateTime::table_fields`] (in that order, then `isdst`);
//!   [`DateOutput::Text`] a string. [`DateError::InvalidConversion`] is an argument error
//!   (`bad argument #1 to 'date' (...)`); other errors are plain Lua errors.
//! * `os.time(table)`: read the fields in the order of [`DateField::ALL`]: a field that is
//!   not an integer raises [`DateError::FieldNotInteger`], an absent one takes
//!   [`DateField::default_value`] or raises [`DateError::FieldMissing`], and each present
//!   value goes through [`DateField::check`] right away (so errors come in PUC's order).
//!   Read `isdst` as a boolean (`nil` = unknown). Then [`time_from_fields`] gives the
//!   timestamp and the normalized fields, which PUC writes back into the table (as with
//!   `*t`) before returning the timestamp. When it fails with
//!   [`DateError::TimeNotRepresentable`] because the result is exactly `-1`, PUC has
//!   already written the normalized fields (`broken_down(-1, zone)`); in the other failing
//!   cases it writes unnormalized values and garbage, which is not reproduced.
//! * `os.difftime(t1, t2)`: [`difftime`].

mod civil;
mod strftime;

use std::fmt;

use civil::{civil_from_days, day_of_year, days_from_civil, weekday};
pub use strftime::format_date;

const SECONDS_PER_DAY: i64 = 86_400;
/// `struct tm` counts years from 1900.
const TM_YEAR_BASE: i64 = 1900;

/// A time zone with a fixed offset, as the host defines "local time".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Zone {
    /// Seconds east of UTC (e.g. `3600` for UTC+01:00).
    pub offset_seconds: i64,
    /// The abbreviation `%Z` prints (e.g. `"UTC"`).
    pub abbreviation: Vec<u8>,
}

impl Zone {
    /// The zone of `os.date("!...")`: UTC, which glibc's `gmtime` calls `"GMT"`.
    pub fn utc() -> Self {
        Zone {
            offset_seconds: 0,
            abbreviation: b"GMT".to_vec(),
        }
    }
}

/// A broken-down time (like C's `struct tm`, with real values: `year` is the year itself,
/// `month` is 1..=12).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateTime {
    /// The year (astronomical numbering: year 0 precedes year 1).
    pub year: i64,
    /// 1..=12.
    pub month: u32,
    /// 1..=31.
    pub day: u32,
    /// 0..=23.
    pub hour: u32,
    /// 0..=59.
    pub min: u32,
    /// 0..=59.
    pub sec: u32,
    /// Day of the week, 0..=6, Sunday = 0 (Lua's `wday` is this plus one).
    pub weekday: u32,
    /// Day of the year, 0..=365 (Lua's `yday` is this plus one).
    pub year_day: u32,
    /// Daylight saving time flag; always `false` for fixed-offset zones.
    pub isdst: bool,
}

impl DateTime {
    /// The integer fields of an `os.date("*t")` table, in the order PUC sets them; the
    /// boolean `isdst` field ([`DateTime::isdst`]) comes last.
    pub fn table_fields(&self) -> [(&'static str, i64); 8] {
        [
            ("year", self.year),
            ("month", i64::from(self.month)),
            ("day", i64::from(self.day)),
            ("hour", i64::from(self.hour)),
            ("min", i64::from(self.min)),
            ("sec", i64::from(self.sec)),
            ("yday", i64::from(self.year_day) + 1),
            ("wday", i64::from(self.weekday) + 1),
        ]
    }

    /// `tm_year` (years since 1900) as C's `int`; representable by construction.
    fn tm_year(&self) -> i32 {
        i32::try_from(self.year - TM_YEAR_BASE).unwrap_or(i32::MAX)
    }
}

/// Why a date operation failed. `Display` gives PUC's message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateError {
    /// `invalid conversion specifier '%…'`, with the rest of the format (up to a NUL byte)
    /// after the `%`. PUC raises it as an argument error for argument 1.
    InvalidConversion(Vec<u8>),
    /// `date result cannot be represented in this installation`
    DateNotRepresentable,
    /// `time result cannot be represented in this installation`
    TimeNotRepresentable,
    /// `field 'NAME' is out-of-bound`
    FieldOutOfBound(&'static str),
    /// `field 'NAME' missing in date table`
    FieldMissing(&'static str),
    /// `field 'NAME' is not an integer`
    FieldNotInteger(&'static str),
}

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DateError::InvalidConversion(rest) => write!(
                f,
                "invalid conversion specifier '%{}'",
                String::from_utf8_lossy(rest)
            ),
            DateError::DateNotRepresentable => {
                f.write_str("date result cannot be represented in this installation")
            }
            DateError::TimeNotRepresentable => {
                f.write_str("time result cannot be represented in this installation")
            }
            DateError::FieldOutOfBound(name) => write!(f, "field '{name}' is out-of-bound"),
            DateError::FieldMissing(name) => write!(f, "field '{name}' missing in date table"),
            DateError::FieldNotInteger(name) => write!(f, "field '{name}' is not an integer"),
        }
    }
}

impl std::error::Error for DateError {}

/// Converts the timestamp `t` (seconds since the epoch) to broken-down time in `zone`.
///
/// Fails like glibc's `gmtime`/`localtime` when the year does not fit C's `int` after
/// subtracting 1900, in the zone or (as glibc converts to UTC first) in UTC.
pub fn broken_down(t: i64, zone: &Zone) -> Result<DateTime, DateError> {
    let local = t
        .checked_add(zone.offset_seconds)
        .ok_or(DateError::DateNotRepresentable)?;
    let days = local.div_euclid(SECONDS_PER_DAY);
    let second_of_day = local.rem_euclid(SECONDS_PER_DAY);
    let (year, month, day) = civil_from_days(days);
    let (utc_year, _, _) = civil_from_days(t.div_euclid(SECONDS_PER_DAY));
    if !has_c_tm_year(year) || !has_c_tm_year(utc_year) {
        return Err(DateError::DateNotRepresentable);
    }
    // In range by construction: second_of_day < 86400, weekday < 7, day of year < 366.
    let small = |value: i64| u32::try_from(value).unwrap_or(0);
    Ok(DateTime {
        year,
        month,
        day,
        hour: small(second_of_day / 3600),
        min: small(second_of_day / 60 % 60),
        sec: small(second_of_day % 60),
        weekday: small(weekday(days)),
        year_day: small(day_of_year(year, month, day)),
        isdst: false,
    })
}

/// Whether `year - 1900` fits the C `int` `tm_year`.
fn has_c_tm_year(year: i64) -> bool {
    i32::try_from(year - TM_YEAR_BASE).is_ok()
}

/// The result of [`os_date`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateOutput {
    /// `"*t"` or `"!*t"`: the fields of the table to return.
    Table(DateTime),
    /// The formatted string.
    Text(Vec<u8>),
}

/// `os.date(format, t)`: a leading `!` selects UTC instead of `local`; then `*t` asks for
/// a table, anything else is a `strftime` format.
pub fn os_date(format: &[u8], t: i64, local: &Zone) -> Result<DateOutput, DateError> {
    let utc = Zone::utc();
    let (zone, format) = match format.split_first() {
        Some((b'!', rest)) => (&utc, rest),
        _ => (local, format),
    };
    let time = broken_down(t, zone)?;
    // PUC compares with `strcmp`, so anything after a NUL byte is ignored.
    let up_to_nul = format.split(|&byte| byte == 0).next().unwrap_or_default();
    if up_to_nul == b"*t" {
        return Ok(DateOutput::Table(time));
    }
    let mut text = Vec::new();
    format_date(format, &time, zone, &mut text)?;
    Ok(DateOutput::Text(text))
}

/// A field of the table `os.time` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateField {
    /// `year`
    Year,
    /// `month`
    Month,
    /// `day`
    Day,
    /// `hour`
    Hour,
    /// `min`
    Min,
    /// `sec`
    Sec,
}

impl DateField {
    /// The fields in the order `os.time` reads them.
    pub const ALL: [DateField; 6] = [
        DateField::Year,
        DateField::Month,
        DateField::Day,
        DateField::Hour,
        DateField::Min,
        DateField::Sec,
    ];

    /// The table key.
    pub fn name(self) -> &'static str {
        match self {
            DateField::Year => "year",
            DateField::Month => "month",
            DateField::Day => "day",
            DateField::Hour => "hour",
            DateField::Min => "min",
            DateField::Sec => "sec",
        }
    }

    /// The value of an absent field, or `None` when it is required.
    pub fn default_value(self) -> Option<i64> {
        match self {
            DateField::Year | DateField::Month | DateField::Day => None,
            DateField::Hour => Some(12),
            DateField::Min | DateField::Sec => Some(0),
        }
    }

    /// What PUC subtracts before storing the value in a C `int` of `struct tm`.
    fn offset(self) -> i64 {
        match self {
            DateField::Year => TM_YEAR_BASE,
            DateField::Month => 1,
            _ => 0,
        }
    }

    /// Checks that `value` fits the C `int` of `struct tm` after the field's offset.
    pub fn check(self, value: i64) -> Result<(), DateError> {
        let lowest = i64::from(i32::MIN) + self.offset();
        let highest = i64::from(i32::MAX) + self.offset();
        if (lowest..=highest).contains(&value) {
            Ok(())
        } else {
            Err(DateError::FieldOutOfBound(self.name()))
        }
    }
}

/// The fields `os.time` reads, with defaults already applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateFields {
    /// `year`
    pub year: i64,
    /// `month` (any value: 13 is January of the next year, 0 December of the previous).
    pub month: i64,
    /// `day` (0 is the last day of the previous month, and so on).
    pub day: i64,
    /// `hour`
    pub hour: i64,
    /// `min`
    pub min: i64,
    /// `sec`
    pub sec: i64,
    /// `isdst`: `None` when absent or `nil`.
    pub isdst: Option<bool>,
}

/// `os.time(table)`: the timestamp of `fields` as local time in `zone`, like C's
/// `mktime`, and the normalized broken-down time.
///
/// Out-of-range fields carry over (month 13, day 0, negative hours, ...). As glibc does
/// for a zone without daylight saving time, `isdst = true` means the clock was one hour
/// ahead, so the timestamp is one hour earlier. Fails when a field is out of `int`
/// range, when the result's year is not representable, or when the result is `-1`
/// (PUC cannot tell it from `mktime`'s error value).
pub fn time_from_fields(fields: &DateFields, zone: &Zone) -> Result<(i64, DateTime), DateError> {
    let values = [
        fields.year,
        fields.month,
        fields.day,
        fields.hour,
        fields.min,
        fields.sec,
    ];
    for (field, value) in DateField::ALL.into_iter().zip(values) {
        field.check(value)?;
    }
    // Every field fits an `i32` now, so the local seconds cannot overflow an `i64`.
    let month_index = fields.month - 1;
    let year = fields.year + month_index.div_euclid(12);
    let month = u32::try_from(month_index.rem_euclid(12) + 1).unwrap_or(1);
    let days = days_from_civil(year, month, 1) + fields.day - 1;
    let local = days * SECONDS_PER_DAY + fields.hour * 3600 + fields.min * 60 + fields.sec;
    let dst_shift = if fields.isdst == Some(true) { 3600 } else { 0 };
    let t = local
        .checked_sub(zone.offset_seconds)
        .and_then(|t| t.checked_sub(dst_shift))
        .ok_or(DateError::TimeNotRepresentable)?;
    let normalized = broken_down(t, zone).map_err(|_| DateError::TimeNotRepresentable)?;
    if t == -1 {
        return Err(DateError::TimeNotRepresentable);
    }
    Ok((t, normalized))
}

/// `os.difftime(t1, t2)`: `t1 - t2` in seconds, rounded once to a float.
pub fn difftime(t1: i64, t2: i64) -> f64 {
    (i128::from(t1) - i128::from(t2)) as f64
}

#[cfg(test)]
mod tests;
