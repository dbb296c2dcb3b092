//! Comparison with lua5.4 and edge cases of the date engine.

mod cases;

use super::*;

fn escape(bytes: &[u8]) -> String {
    let mut text = String::new();
    for &byte in bytes {
        if (32..=126).contains(&byte) && byte != b'"' && byte != b'\\' {
            text.push(char::from(byte));
        } else {
            text.push_str(&format!("\\x{byte:02x}"));
        }
    }
    text
}

fn show_table(time: &DateTime) -> String {
    let fields = time.table_fields();
    let numbers: Vec<String> = fields.iter().map(|(_, value)| value.to_string()).collect();
    format!("T:{} {}", numbers.join(" "), time.isdst)
}

fn run_date(format: &[u8], t: i64, local: &Zone) -> String {
    match os_date(format, t, local) {
        Ok(DateOutput::Table(time)) => show_table(&time),
        Ok(DateOutput::Text(text)) => escape(&text),
        Err(error) => format!("E:{error}"),
    }
}

fn run_time(values: [i64; 6], dst: u8, local: &Zone) -> String {
    let [year, month, day, hour, min, sec] = values;
    let isdst = match dst {
        0 => None,
        1 => Some(false),
        _ => Some(true),
    };
    let fields = DateFields {
        year,
        month,
        day,
        hour,
        min,
        sec,
        isdst,
    };
    match time_from_fields(&fields, local) {
        Ok((t, normalized)) => format!("{t} {}", show_table(&normalized)),
        Err(error) => format!("E:{error}"),
    }
}

fn utc_local() -> Zone {
    Zone {
        offset_seconds: 0,
        abbreviation: b"UTC".to_vec(),
    }
}

fn india_local() -> Zone {
    Zone {
        offset_seconds: 5 * 3600 + 1800,
        abbreviation: b"+0530".to_vec(),
    }
}

fn check_date_cases(cases: &[(i64, &[u8], &str)], local: &Zone) {
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|&(t, format, expected)| {
            let got = run_date(format, t, local);
            (got != expected)
                .then(|| format!("{t} {}:\n got {got}\n want {expected}", escape(format)))
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn check_time_cases(cases: &[([i64; 6], u8, &str)], local: &Zone) {
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|&(values, dst, expected)| {
            let got = run_time(values, dst, local);
            (got != expected).then(|| format!("{values:?} dst={dst}: got {got}, want {expected}"))
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn date_agrees_with_lua54_in_utc() {
    check_date_cases(cases::DATE_CASES, &utc_local());
}

#[test]
fn date_agrees_with_lua54_with_an_offset() {
    check_date_cases(cases::DATE_CASES_OFFSET, &india_local());
}

#[test]
fn time_agrees_with_lua54_in_utc() {
    check_time_cases(cases::TIME_CASES_UTC, &utc_local());
}

#[test]
fn time_agrees_with_lua54_with_an_offset() {
    check_time_cases(cases::TIME_CASES_OFFSET, &india_local());
}

#[test]
fn invalid_conversions_report_the_rest_of_the_format() {
    let utc = utc_local();
    let error = |format: &[u8]| os_date(format, 0, &utc).unwrap_err().to_string();
    assert_eq!(error(b"!%Ez abc"), "invalid conversion specifier '%Ez abc'");
    assert_eq!(error(b"%"), "invalid conversion specifier '%'");
    assert_eq!(error(b"x%E"), "invalid conversion specifier '%E'");
    assert_eq!(error(b"%q\0zz"), "invalid conversion specifier '%q'");
    assert_eq!(error(b"%Oc"), "invalid conversion specifier '%Oc'");
    assert_eq!(error(b"%5d"), "invalid conversion specifier '%5d'");
    assert_eq!(run_date(b"!%Ex\0zz", 0, &utc), "01/01/70\\x00zz");
    assert_eq!(run_date(b"*t\0abc", 0, &utc), "T:1970 1 1 0 0 0 1 5 false");
    assert_eq!(run_date(b"", 0, &utc), "");
    assert_eq!(run_date(b"!", 0, &utc), "");
}

#[test]
fn zone_details_are_the_hosts() {
    let zone = Zone {
        offset_seconds: -(3 * 3600 + 30 * 60 + 15),
        abbreviation: b"NST".to_vec(),
    };
    assert_eq!(run_date(b"%H:%M:%S %z %Z", 0, &zone), "20:29:45 -0330 NST");
    let long_name = Zone {
        offset_seconds: 0,
        abbreviation: vec![b'Z'; 250],
    };
    // glibc writes nothing for an item that does not fit PUC's 250-byte buffer.
    assert_eq!(run_date(b"[%Z]", 0, &long_name), "[]");
    let extreme = Zone {
        offset_seconds: i64::MAX,
        abbreviation: Vec::new(),
    };
    assert_eq!(
        os_date(b"%c", 1, &extreme),
        Err(DateError::DateNotRepresentable)
    );
    let fields = DateFields {
        year: 2000,
        month: 1,
        day: 1,
        hour: 0,
        min: 0,
        sec: 0,
        isdst: None,
    };
    assert_eq!(
        time_from_fields(
            &fields,
            &Zone {
                offset_seconds: i64::MIN,
                abbreviation: Vec::new()
            }
        ),
        Err(DateError::TimeNotRepresentable)
    );
}

#[test]
fn fields_are_checked_in_c_int_range() {
    assert_eq!(DateField::Year.check(i64::from(i32::MAX) + 1900), Ok(()));
    assert_eq!(
        DateField::Year.check(i64::from(i32::MAX) + 1901),
        Err(DateError::FieldOutOfBound("year"))
    );
    assert_eq!(DateField::Month.check(i64::from(i32::MIN) + 1), Ok(()));
    assert_eq!(
        DateField::Month.check(i64::from(i32::MIN)),
        Err(DateError::FieldOutOfBound("month"))
    );
    assert_eq!(
        DateField::Sec.check(i64::MIN),
        Err(DateError::FieldOutOfBound("sec"))
    );
    assert_eq!(DateField::Hour.default_value(), Some(12));
    assert_eq!(DateField::Day.default_value(), None);
    assert_eq!(
        DateError::FieldMissing("day").to_string(),
        "field 'day' missing in date table"
    );
    assert_eq!(
        DateError::FieldNotInteger("day").to_string(),
        "field 'day' is not an integer"
    );
}

#[test]
fn difftime_subtracts_exactly() {
    assert_eq!(difftime(10, 3), 7.0);
    assert_eq!(difftime(i64::MIN, i64::MAX), -18446744073709551615.0);
}
