//! Dates as old portals printed them -> the contract's `2014-01-17 14:05`, read in
//! the site's time zone.
//!
//! - .NET with the vi-VN culture: `17 Tháng Giêng 2014 2:05:00 CH` (SA = a.m.,
//!   CH = p.m.; months "Tháng Giêng" … "Tháng Mười Hai", or `Tháng 1`)
//! - `dd/MM/yyyy HH:mm`, also with `|`, `-`, `lúc` between, `11h22`, or the time first
//! - `Ngày 11 tháng 6 năm 2018`, as articles open
//! - ISO 8601 from meta tags: `2014-01-17T14:05:00+07:00`

use std::sync::LazyLock;

use jiff::civil::{Date, Time};
use jiff::tz::Offset;
use regex::{Captures, Regex};

/// A date found in a page's text, with its time when the page gave one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LegacyDate {
    pub date: Date,
    pub time: Option<Time>,
    /// The offset written with the time (`+07:00`, `Z`), in ISO dates only.
    pub offset: Option<Offset>,
    /// Byte range of the date's text in the text it was found in.
    pub start: usize,
    pub end: usize,
}

impl LegacyDate {
    /// The value for the `date:` field: `2014-01-17 14:05`, or `2014-01-17`.
    pub fn front_matter(&self) -> String {
        match (self.time, self.offset) {
            (Some(t), Some(offset)) => format!(
                "{}T{:02}:{:02}:{:02}{}",
                self.date,
                t.hour(),
                t.minute(),
                t.second(),
                offset_text(offset)
            ),
            (Some(t), None) => format!("{} {:02}:{:02}", self.date, t.hour(), t.minute()),
            (None, _) => self.date.to_string(),
        }
    }
}

/// .NET vi-VN month names, January first.
const MONTHS: [&str; 12] = [
    "giêng",
    "hai",
    "ba",
    "tư",
    "năm",
    "sáu",
    "bảy",
    "tám",
    "chín",
    "mười",
    "mười một",
    "mười hai",
];

const TIME: &str = r"(?P<h>\d{1,2})\s*(?::|h|giờ)\s*(?P<mi>\d{2})(?::(?P<s>\d{2}))?(?:\s*(?P<ampm>SA|CH|AM|PM|sáng|chiều|tối)\b)?";

static NAMED_MONTH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)\b(?P<d>\d{{1,2}})\s+tháng\s+(?P<m>mười\s+một|mười\s+hai|giêng|một|hai|ba|tư|bốn|năm|sáu|bảy|tám|chín|mười|\d{{1,2}})\s*,?\s+(?:năm\s+)?(?P<y>\d{{4}})(?:\s*(?:,|-|\||lúc)?\s*{TIME})?"
    ))
    .expect("a valid pattern")
});

static NUMERIC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)(?:{TIME}\s*(?:,|-|\||ngày)?\s*)?\b(?P<d>\d{{1,2}})[/.-](?P<m>\d{{1,2}})[/.-](?P<y>\d{{4}})\b(?:\s*(?:,|-|\||lúc)?\s*(?P<time2>\d{{1,2}}\s*(?::|h|giờ)\s*\d{{2}}(?::\d{{2}})?(?:\s*(?:SA|CH|AM|PM)\b)?))?"
    ))
    .expect("a valid pattern")
});

static ISO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?:[T ](?P<h>\d{2}):(?P<mi>\d{2})(?::(?P<s>\d{2}))?(?:\.\d+)?(?P<off>Z|[+-]\d{2}:?\d{2})?)?")
        .expect("a valid pattern")
});

static TIME_ONLY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!("(?i)^{TIME}$")).expect("a valid pattern"));

/// The first date in `text`, in any of the legacy forms; impossible dates
/// (`31/02/2014`) are passed over.
pub fn find_date(text: &str) -> Option<LegacyDate> {
    let named = NAMED_MONTH
        .captures_iter(text)
        .find_map(|c| named_month(&c));
    let numeric = NUMERIC.captures_iter(text).find_map(|c| numeric(&c));
    let iso = ISO.captures_iter(text).find_map(|c| iso(&c));
    [named, numeric, iso]
        .into_iter()
        .flatten()
        .min_by_key(|d| d.start)
}

fn number(c: &Captures, name: &str) -> Option<i64> {
    c.name(name)?.as_str().parse().ok()
}

fn named_month(c: &Captures) -> Option<LegacyDate> {
    let month_text = c.name("m")?.as_str().to_lowercase();
    let month_text = month_text.split_whitespace().collect::<Vec<_>>().join(" ");
    // "Tháng Một" and "Tháng Bốn", as other systems than .NET name January and April.
    let month = match (month_text.parse::<i64>(), month_text.as_str()) {
        (Ok(n), _) => n,
        (_, "một") => 1,
        (_, "bốn") => 4,
        _ => MONTHS.iter().position(|m| *m == month_text)? as i64 + 1,
    };
    let date = civil_date(number(c, "y")?, month, number(c, "d")?)?;
    let time = clock(c);
    let whole = c.get(0)?;
    Some(LegacyDate {
        date,
        time,
        offset: None,
        start: whole.start(),
        end: whole.end(),
    })
}

fn numeric(c: &Captures) -> Option<LegacyDate> {
    let (year, first, second) = (number(c, "y")?, number(c, "m")?, number(c, "d")?);
    // Day first, as Vietnamese writes it; `1/17/2014` can only be month first (.NET en-US).
    let date = civil_date(year, first, second).or_else(|| civil_date(year, second, first))?;
    let time = match c.name("time2") {
        Some(after) => TIME_ONLY.captures(after.as_str()).and_then(|t| clock(&t)),
        None => clock(c),
    };
    let whole = c.get(0)?;
    Some(LegacyDate {
        date,
        time,
        offset: None,
        start: whole.start(),
        end: whole.end(),
    })
}

fn iso(c: &Captures) -> Option<LegacyDate> {
    let date = civil_date(number(c, "y")?, number(c, "m")?, number(c, "d")?)?;
    let whole = c.get(0)?;
    let time = if c.name("h").is_some() {
        clock(c)
    } else {
        None
    };
    let offset = c.name("off").and_then(|o| parse_offset(o.as_str()));
    Some(LegacyDate {
        date,
        time,
        offset: offset.filter(|_| time.is_some()),
        start: whole.start(),
        end: whole.end(),
    })
}

/// `Z`, `+07:00` or `+0700`.
fn parse_offset(text: &str) -> Option<Offset> {
    if text.eq_ignore_ascii_case("z") {
        return Some(Offset::UTC);
    }
    let sign = if text.starts_with('-') { -1 } else { 1 };
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    let hours: i32 = digits.get(..2)?.parse().ok()?;
    let minutes: i32 = digits.get(2..4)?.parse().ok()?;
    Offset::from_seconds(sign * (hours * 3600 + minutes * 60)).ok()
}

fn offset_text(offset: Offset) -> String {
    let seconds = offset.seconds();
    let sign = if seconds < 0 { '-' } else { '+' };
    let seconds = seconds.abs();
    format!("{sign}{:02}:{:02}", seconds / 3600, seconds % 3600 / 60)
}

fn civil_date(year: i64, month: i64, day: i64) -> Option<Date> {
    if !(1990..=2100).contains(&year) {
        return None; // "1/1/0001" placeholders, or a number that only looks like a year
    }
    Date::new(year as i16, month as i8, day as i8).ok()
}

/// The time in `h`, `mi`, `s`, `ampm`: `2:05:00 CH` -> 14:05.
fn clock(c: &Captures) -> Option<Time> {
    let mut hour = number(c, "h")?;
    let minute = number(c, "mi")?;
    let second = number(c, "s").unwrap_or(0);
    let ampm = c.name("ampm").map(|m| m.as_str().to_lowercase());
    match ampm.as_deref() {
        Some("ch" | "pm" | "chiều" | "tối") if hour < 12 => hour += 12,
        Some("sa" | "am" | "sáng") if hour == 12 => hour = 0,
        _ => {}
    }
    Time::new(hour as i8, minute as i8, second as i8, 0).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(text: &str) -> Option<String> {
        find_date(text).map(|d| d.front_matter())
    }

    #[test]
    fn dotnet_vietnamese_months_with_sa_ch() {
        assert_eq!(
            written("Nghị quyết trung ương 4 17 Tháng Giêng 2014 2:05:00 CH").as_deref(),
            Some("2014-01-17 14:05")
        );
        assert_eq!(
            written("Tin tức sự kiện 20 Tháng Sáu 2015 10:30:00 SA").as_deref(),
            Some("2015-06-20 10:30")
        );
        assert_eq!(
            written("1 Tháng Mười Hai 2012 12:15:00 SA").as_deref(),
            Some("2012-12-01 00:15")
        );
        assert_eq!(
            written("3 tháng mười một 2016 12:00:00 CH").as_deref(),
            Some("2016-11-03 12:00")
        );
        assert_eq!(written("9 Tháng Mười 2013").as_deref(), Some("2013-10-09"));
        assert_eq!(
            written("Đăng ngày: 17 Tháng Một 2014").as_deref(),
            Some("2014-01-17")
        );
        assert_eq!(
            written("2 tháng bốn 2016 9:00:00 SA").as_deref(),
            Some("2016-04-02 09:00")
        );
        assert_eq!(
            written("5 Tháng 7, 2019 8:01:00 SA").as_deref(),
            Some("2019-07-05 08:01")
        );
    }

    #[test]
    fn numeric_dates_with_times() {
        assert_eq!(
            written("Ngày đăng 08/04/2021 | 11:22  | Lượt xem: 1748").as_deref(),
            Some("2021-04-08 11:22")
        );
        assert_eq!(
            written("Cập nhật: 17/01/2014 14:05").as_deref(),
            Some("2014-01-17 14:05")
        );
        assert_eq!(
            written("Thứ Năm, 17-01-2014, 9h05").as_deref(),
            Some("2014-01-17 09:05")
        );
        assert_eq!(
            written("14:05 17/01/2014").as_deref(),
            Some("2014-01-17 14:05")
        );
        assert_eq!(written("Đăng ngày 5/3/2019").as_deref(), Some("2019-03-05"));
        assert_eq!(
            written("1/17/2014 2:05:00 PM").as_deref(),
            Some("2014-01-17 14:05")
        );
        assert_eq!(
            written("17/01/2014 2:05:00 CH").as_deref(),
            Some("2014-01-17 14:05")
        );
        assert_eq!(
            written("Thứ Sáu, ngày 17 tháng 01 năm 2014").as_deref(),
            Some("2014-01-17")
        );
    }

    #[test]
    fn article_opening_and_iso() {
        assert_eq!(
            written("Ngày 11 tháng 6 năm 2018, Ban dân vận Huyện ủy").as_deref(),
            Some("2018-06-11")
        );
        assert_eq!(
            written("2014-01-17T14:05:00+07:00").as_deref(),
            Some("2014-01-17T14:05:00+07:00")
        );
        assert_eq!(
            written("2014-01-17T07:05:00Z").as_deref(),
            Some("2014-01-17T07:05:00+00:00")
        );
        assert_eq!(written("2014-01-17").as_deref(), Some("2014-01-17"));
    }

    #[test]
    fn impossible_and_partial_dates_are_not_dates() {
        assert_eq!(written("31/02/2014"), None);
        assert_eq!(written("Quyết định số 1288-QĐ/QU ngày 14/5/013"), None);
        assert_eq!(written("giai đoạn 2010 – 2020"), None);
        assert_eq!(written("Số lượt người xem: 4351"), None);
    }

    #[test]
    fn first_date_wins() {
        let d = find_date("Ngày 15/01/2014, hội nghị ngày 16/01/2014").unwrap();
        assert_eq!(d.front_matter(), "2014-01-15");
    }
}
