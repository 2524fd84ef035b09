//! Dates in front matter (articles, documents, schedule items): the three forms of
//! the contract, and the day-first forms Vietnamese editors write (`08/04/2021`),
//! read in the site's time zone.

use std::sync::LazyLock;

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::TimeZone;
use jiff::{Timestamp, Zoned};
use regex::Regex;

/// How to write a date, for hints.
pub const DATE_FORMS: &str = "write it as 2014-01-17T14:05:00+07:00, as 2014-01-17 14:05, as 2014-01-17, or day first as 17/01/2014 14:05 or 17/01/2014";

/// Reads `2014-01-17T14:05:00+07:00` (any offset), `2014-01-17 14:05[:00]`,
/// `2014-01-17`, and day first (ngày/tháng/năm) `17/01/2014 14:05[:00]`,
/// `17/1/2014 14h05` or `17/01/2014`; all but the first are times in `tz`. The
/// result is in `tz`. Any reader of dates (articles, documents, the schedule)
/// calls this one, so every file takes the same forms.
pub fn parse_date(text: &str, tz: &TimeZone) -> Result<Zoned, String> {
    let text = text.trim();
    if let Some(civil) = day_first(text) {
        return civil?
            .to_zoned(tz.clone())
            .map_err(|e| impossible(text, &e));
    }
    if !looks_like_date(text) {
        return Err(format!("`{text}` is not a date"));
    }
    if has_offset(text) {
        return text
            .parse::<Timestamp>()
            .map(|t| t.to_zoned(tz.clone()))
            .map_err(|e| impossible(text, &e));
    }
    let civil = if text.len() == 10 {
        text.parse::<Date>()
            .map(|d| d.to_datetime(jiff::civil::Time::midnight()))
    } else {
        text.replacen(' ', "T", 1).parse::<DateTime>()
    };
    let civil = civil.map_err(|e| impossible(text, &e))?;
    civil.to_zoned(tz.clone()).map_err(|e| impossible(text, &e))
}

/// `2014-01-17` at least: four digits, a dash, two digits, a dash, two digits.
fn looks_like_date(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() >= 10
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-'
        && b[8..10].iter().all(u8::is_ascii_digit)
}

fn has_offset(text: &str) -> bool {
    let time = &text[10..];
    time.ends_with('Z') || time.ends_with('z') || time.contains('+') || time.contains('-')
}

/// `d/m/yyyy`, with an optional ` H:MM[:SS]` or ` HhMM`; `-` or `.` may stand for `/`.
static DAY_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(\d{1,2})([/.-])(\d{1,2})([/.-])(\d{2}|\d{4})(?:[ T]+(\d{1,2})(?:([:h])(\d{2})(?::(\d{2}))?|h))?$",
    )
    .expect("a valid pattern")
});

/// A day-first date as a civil date-time, `None` if `text` is not one. Errors
/// say which part is impossible, read day first: `31/02/2021` is day 31 of
/// month 2, `04/13/2021` (month first, as in English) has a month 13.
fn day_first(text: &str) -> Option<Result<DateTime, String>> {
    let c = DAY_FIRST.captures(text)?;
    if c[2] != c[4] {
        return None;
    }
    let number = |i: usize| {
        c.get(i)
            .map_or(0, |m| m.as_str().parse::<i16>().unwrap_or(0))
    };
    let (day, month, year) = (number(1), number(3), &c[5]);
    if year.len() == 2 {
        return Some(Err(format!(
            "`{text}` has a year of two digits: write it in full, as {day:02}/{month:02}/20{year}"
        )));
    }
    let year = number(5);
    if !(1..=12).contains(&month) {
        return Some(Err(format!(
            "`{text}` is not a real date: dates written with `/` are read day first (day/month/year), and there is no month {month}"
        )));
    }
    let date = match Date::new(year, month as i8, day as i8) {
        Ok(date) => date,
        Err(e) => {
            let days = Date::new(year, month as i8, 1).map(|d| d.days_in_month());
            return Some(Err(match days {
                Ok(days) => format!(
                    "`{text}` is not a real date: read day first, it is day {day} of month {month}, and month {month} of {year} has {days} days"
                ),
                Err(_) => impossible(text, &e),
            }));
        }
    };
    let time = match c.get(6) {
        None => Ok(Time::midnight()),
        Some(_) => Time::new(number(6) as i8, number(8) as i8, number(9) as i8, 0),
    };
    Some(
        time.map(|time| date.to_datetime(time))
            .map_err(|e| impossible(text, &e)),
    )
}

fn impossible(text: &str, err: &jiff::Error) -> String {
    // jiff's own words say which part is out of range ("day 30 of February").
    let reason = err.to_string();
    let reason = reason.rsplit(": ").next().unwrap_or(&reason);
    format!("`{text}` is not a real date or time ({reason})")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vn() -> TimeZone {
        TimeZone::fixed(jiff::tz::offset(7))
    }

    #[test]
    fn three_forms_agree() {
        let a = parse_date("2014-01-17T14:05:00+07:00", &vn()).unwrap();
        let b = parse_date("2014-01-17 14:05", &vn()).unwrap();
        let c = parse_date("2014-01-17 14:05:00", &vn()).unwrap();
        assert_eq!(a, b);
        assert_eq!(b, c);
        let d = parse_date("2014-01-17", &vn()).unwrap();
        assert_eq!(d.to_string(), "2014-01-17T00:00:00+07:00[+07:00]");
    }

    #[test]
    fn other_offsets_are_shown_in_site_time() {
        let z = parse_date("2014-01-16T18:30:00Z", &vn()).unwrap();
        assert_eq!((z.day(), z.hour()), (17, 1));
    }

    #[test]
    fn impossible_dates_are_errors() {
        for bad in [
            "2014-02-30",
            "2014-13-01 10:00",
            "2014-01-17 25:00",
            "hôm qua",
            "17/01/2014 7",
            "17/01-2014",
            "2014/01/17",
            "17/01/201",
        ] {
            assert!(parse_date(bad, &vn()).is_err(), "{bad}");
        }
        let msg = parse_date("2014-02-30", &vn()).unwrap_err();
        assert!(msg.contains("2014-02-30"), "{msg}");
    }

    #[test]
    fn day_first_dates_are_read_as_vietnamese_editors_write_them() {
        let at = |text: &str| parse_date(text, &vn()).unwrap().to_string();
        assert_eq!(at("08/04/2021"), "2021-04-08T00:00:00+07:00[+07:00]");
        assert_eq!(at("8/4/2021 11:22"), "2021-04-08T11:22:00+07:00[+07:00]");
        assert_eq!(at("08/04/2021 11:22"), "2021-04-08T11:22:00+07:00[+07:00]");
        assert_eq!(
            at("08/04/2021 11:22:05"),
            "2021-04-08T11:22:05+07:00[+07:00]"
        );
        assert_eq!(at("08/04/2021 7h30"), "2021-04-08T07:30:00+07:00[+07:00]");
        assert_eq!(at("08/04/2021 7h"), "2021-04-08T07:00:00+07:00[+07:00]");
        assert_eq!(at("08-04-2021"), at("08.04.2021"));
        assert_eq!(at(" 29/02/2024 "), "2024-02-29T00:00:00+07:00[+07:00]");
    }

    #[test]
    fn impossible_day_first_dates_say_which_part_is_wrong() {
        let err = |text: &str| parse_date(text, &vn()).unwrap_err();
        assert_eq!(
            err("31/02/2021"),
            "`31/02/2021` is not a real date: read day first, it is day 31 of month 2, and month 2 of 2021 has 28 days"
        );
        assert!(
            err("04/13/2021").contains("read day first (day/month/year), and there is no month 13")
        );
        assert!(err("0/4/2021").contains("day 0 of month 4"));
        assert!(
            err("08/04/2021 25:00").starts_with("`08/04/2021 25:00` is not a real date or time")
        );
        assert!(err("08/04/2021 11:60").contains("not a real date or time"));
        assert_eq!(
            err("08/04/21"),
            "`08/04/21` has a year of two digits: write it in full, as 08/04/2021"
        );
    }
}
