//! `strftime` in the C locale, as glibc formats each conversion `os.date` accepts.

use super::civil::is_leap_year;
use super::{DateError, DateTime, Zone};

/// One-byte conversions Lua 5.4 accepts (C99).
const SINGLE_CONVERSIONS: &[u8] = b"aAbBcCdDeFgGhHIjmMnprRStTuUVwWxXyYzZ%";
/// Two-byte conversions with the `E` and `O` modifiers Lua 5.4 accepts. In the C locale
/// each formats exactly like the conversion without its modifier.
const MODIFIED_CONVERSIONS: [&[u8; 2]; 19] = [
    b"Ec", b"EC", b"Ex", b"EX", b"Ey", b"EY", b"Od", b"Oe", b"OH", b"OI", b"Om", b"OM", b"OS",
    b"Ou", b"OU", b"OV", b"Ow", b"OW", b"Oy",
];
/// PUC formats each conversion into a buffer of this size; glibc writes nothing for a
/// result that does not fit with its terminating NUL.
const ITEM_BUFFER: usize = 250;

const WEEKDAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Appends `format` expanded for `time` in `zone` to `out`, like PUC's `os.date` loop:
/// bytes other than `%` are copied (NUL bytes included); each `%` must start a conversion
/// Lua accepts.
pub fn format_date(
    format: &[u8],
    time: &DateTime,
    zone: &Zone,
    out: &mut Vec<u8>,
) -> Result<(), DateError> {
    let mut rest = format;
    while let Some(escape_at) = rest.iter().position(|&byte| byte == b'%') {
        let (literal, escaped) = rest.split_at(escape_at);
        out.extend_from_slice(literal);
        let spec = escaped.get(1..).unwrap_or_default();
        let (conversion, length) = parse_conversion(spec)?;
        let mut item = Vec::new();
        write_conversion(conversion, time, zone, &mut item);
        if item.len() < ITEM_BUFFER {
            out.extend_from_slice(&item);
        }
        rest = spec.get(length..).unwrap_or_default();
    }
    out.extend_from_slice(rest);
    Ok(())
}

/// The conversion at the start of `spec` (the bytes after a `%`): its letter with any
/// modifier dropped, and how many bytes it takes.
fn parse_conversion(spec: &[u8]) -> Result<(u8, usize), DateError> {
    if let Some(&single) = spec.first().filter(|b| SINGLE_CONVERSIONS.contains(b)) {
        return Ok((single, 1));
    }
    if let Some(pair @ [_, conversion]) = spec.get(..2) {
        if MODIFIED_CONVERSIONS
            .iter()
            .any(|modified| modified[..] == *pair)
        {
            return Ok((*conversion, 2));
        }
    }
    let shown = spec.split(|&byte| byte == 0).next().unwrap_or_default();
    Err(DateError::InvalidConversion(shown.to_vec()))
}

/// The fixed format a composite conversion stands for in the C locale.
fn composite(conversion: u8) -> Option<&'static [u8]> {
    Some(match conversion {
        b'c' => b"%a %b %e %H:%M:%S %Y",
        b'D' | b'x' => b"%m/%d/%y",
        b'F' => b"%Y-%m-%d",
        b'r' => b"%I:%M:%S %p",
        b'R' => b"%H:%M",
        b'T' | b'X' => b"%H:%M:%S",
        _ => return None,
    })
}

/// How a number is widened to its minimum width.
#[derive(Clone, Copy)]
enum Padding {
    Zeros,
    Spaces,
}

/// Appends one conversion (already validated).
fn write_conversion(conversion: u8, time: &DateTime, zone: &Zone, out: &mut Vec<u8>) {
    if let Some(parts) = composite(conversion) {
        // Composites contain only simple conversions, so this recursion is one level deep.
        for part in parts.split(|&b| b == b'%') {
            if let Some((&inner, literal)) = part.split_first() {
                write_conversion(inner, time, zone, out);
                out.extend_from_slice(literal);
            }
        }
        return;
    }
    let number = |out: &mut Vec<u8>, value: i64, digits: usize| {
        push_number(out, value, digits, Padding::Zeros)
    };
    let c_year = c_year(time);
    match conversion {
        b'a' => out.extend_from_slice(abbreviation(weekday_name(time))),
        b'A' => out.extend_from_slice(weekday_name(time).as_bytes()),
        b'b' | b'h' => out.extend_from_slice(abbreviation(month_name(time))),
        b'B' => out.extend_from_slice(month_name(time).as_bytes()),
        b'C' => number(out, c_year.div_euclid(100), 1),
        b'd' => number(out, i64::from(time.day), 2),
        b'e' => push_number(out, i64::from(time.day), 2, Padding::Spaces),
        b'g' => number(out, iso_week(time).0.rem_euclid(100), 2),
        b'G' => number(out, iso_week(time).0, 1),
        b'H' => number(out, i64::from(time.hour), 2),
        b'I' => number(out, i64::from((time.hour + 11) % 12 + 1), 2),
        b'j' => number(out, i64::from(time.year_day) + 1, 3),
        b'm' => number(out, i64::from(time.month), 2),
        b'M' => number(out, i64::from(time.min), 2),
        b'n' => out.push(b'\n'),
        b'p' => out.extend_from_slice(if time.hour < 12 { b"AM" } else { b"PM" }),
        b'S' => number(out, i64::from(time.sec), 2),
        b't' => out.push(b'\t'),
        b'u' => number(out, i64::from((time.weekday + 6) % 7 + 1), 1),
        b'U' => number(out, weeks_since_first(time, 0), 2),
        b'V' => number(out, iso_week(time).1, 2),
        b'w' => number(out, i64::from(time.weekday), 1),
        b'W' => number(out, weeks_since_first(time, 1), 2),
        b'y' => number(out, i64::from(time.tm_year()).rem_euclid(100), 2),
        b'Y' => number(out, c_year, 1),
        b'z' => push_utc_offset(out, zone.offset_seconds),
        b'Z' => out.extend_from_slice(&zone.abbreviation),
        _ => out.push(conversion), // `%%`
    }
}

/// The C locale abbreviates names to their first three letters.
fn abbreviation(name: &str) -> &[u8] {
    name.as_bytes().get(..3).unwrap_or_default()
}

fn weekday_name(time: &DateTime) -> &'static str {
    WEEKDAYS
        .get(time.weekday as usize)
        .copied()
        .unwrap_or("???")
}

fn month_name(time: &DateTime) -> &'static str {
    MONTHS
        .get((time.month as usize).wrapping_sub(1))
        .copied()
        .unwrap_or("???")
}

/// The year as glibc computes it, `tm_year + 1900` in a C `int`: it wraps around for the
/// last representable years (above `i32::MAX`), as lua5.4 shows.
fn c_year(time: &DateTime) -> i64 {
    i64::from(time.tm_year().wrapping_add(1900))
}

/// Week of the year (`%U` with `first_weekday` 0 = Sunday, `%W` with 1 = Monday): days
/// before the year's first such weekday are in week 0.
fn weeks_since_first(time: &DateTime, first_weekday: u32) -> i64 {
    let days_into_week = i64::from((time.weekday + 7 - first_weekday) % 7);
    (i64::from(time.year_day) - days_into_week + 7) / 7
}

/// ISO 8601 week-based year and week number (`%G`, `%V`). Week 1 is the week (starting on
/// Monday) that contains January 4th; days before it belong to the previous year's last
/// week, and days from the next year's week 1 on to the next year.
fn iso_week(time: &DateTime) -> (i64, i64) {
    let year = c_year(time);
    let year_day = i64::from(time.year_day);
    let weekday = i64::from(time.weekday);
    let days_in = |year: i64| 365 + i64::from(is_leap_year(year));
    let (week_year, days) = match days_since_week_one(year_day, weekday) {
        days if days < 0 => {
            let previous = year - 1;
            let days = days_since_week_one(year_day + days_in(previous), weekday);
            (previous, days)
        }
        days => match days_since_week_one(year_day - days_in(year), weekday) {
            next_days if next_days >= 0 => (year + 1, next_days),
            _ => (year, days),
        },
    };
    (wrap_to_c_int(week_year), days / 7 + 1)
}

/// Days from the Monday that starts ISO week 1 to day `year_day` of a year whose day
/// `year_day` falls on `weekday` (0 = Sunday). `year_day` may lie outside the year.
fn days_since_week_one(year_day: i64, weekday: i64) -> i64 {
    // Weekday of January 1st counted from Monday = 0.
    let january_first = (weekday - year_day + 6).rem_euclid(7);
    // Week 1 starts on the Monday on or before January 4th.
    let week_one_start = if january_first <= 3 {
        -january_first
    } else {
        7 - january_first
    };
    year_day - week_one_start
}

/// The value as a C `int` (glibc's year arithmetic wraps around).
fn wrap_to_c_int(value: i64) -> i64 {
    i64::from(value as i32)
}

/// `%z`: `+hhmm` or `-hhmm` (seconds of the offset are dropped).
fn push_utc_offset(out: &mut Vec<u8>, offset_seconds: i64) {
    out.push(if offset_seconds < 0 { b'-' } else { b'+' });
    let minutes = (offset_seconds / 60).unsigned_abs();
    let hhmm = (minutes / 60)
        .saturating_mul(100)
        .saturating_add(minutes % 60);
    push_number(
        out,
        i64::try_from(hhmm).unwrap_or(i64::MAX),
        4,
        Padding::Zeros,
    );
}

/// Appends `value` in decimal, widened to `min_digits` characters (a minus sign counts,
/// and goes before zero padding).
fn push_number(out: &mut Vec<u8>, value: i64, min_digits: usize, padding: Padding) {
    let magnitude = value.unsigned_abs().to_string();
    let sign = usize::from(value < 0);
    let fill = min_digits.saturating_sub(magnitude.len() + sign);
    match padding {
        Padding::Spaces => {
            out.extend(std::iter::repeat_n(b' ', fill));
            if value < 0 {
                out.push(b'-');
            }
        }
        Padding::Zeros => {
            if value < 0 {
                out.push(b'-');
            }
            out.extend(std::iter::repeat_n(b'0', fill));
        }
    }
    out.extend_from_slice(magnitude.as_bytes());
}
