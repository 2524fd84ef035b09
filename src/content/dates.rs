//! Article dates: the three forms of the contract, read in the site's time zone.

use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use jiff::{Timestamp, Zoned};

/// How to write a date, for hints.
pub const DATE_FORMS: &str =
    "write it as 2014-01-17T14:05:00+07:00, as 2014-01-17 14:05, or as 2014-01-17";

/// Reads `2014-01-17T14:05:00+07:00` (any offset), `2014-01-17 14:05[:00]` or
/// `2014-01-17`; the last two are times in `tz`. The result is in `tz`.
pub fn parse_date(text: &str, tz: &TimeZone) -> Result<Zoned, String> {
    let text = text.trim();
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
            "17/01/2014",
        ] {
            assert!(parse_date(bad, &vn()).is_err(), "{bad}");
        }
        let msg = parse_date("2014-02-30", &vn()).unwrap_err();
        assert!(msg.contains("2014-02-30"), "{msg}");
    }
}
