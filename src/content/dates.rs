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
/// calls this one, so every file takes the same forms. The forms of
/// [`spoken`] are read too.
pub fn parse_date(text: &str, tz: &TimeZone) -> Result<Zoned, String> {
    read_date(text, tz).map(|read| read.at)
}

/// A date as written: when, and whether it gave a time of day (the schedule
/// makes an item without one an all-day item).
#[derive(Debug, Clone, PartialEq)]
pub struct ReadDate {
    pub at: Zoned,
    pub has_time: bool,
}

/// [`parse_date`], saying whether a time of day was written.
pub fn read_date(text: &str, tz: &TimeZone) -> Result<ReadDate, String> {
    let text = text.trim();
    let (civil, has_time) = match written_date(text)? {
        Written::Instant(t) => {
            return Ok(ReadDate {
                at: t.to_zoned(tz.clone()),
                has_time: true,
            });
        }
        Written::Local(civil, has_time) => (civil, has_time),
    };
    let at = civil
        .to_zoned(tz.clone())
        .map_err(|e| impossible(text, &e))?;
    Ok(ReadDate { at, has_time })
}

/// A date as written: an instant (it gave its offset), or a day and time
/// of the site's zone and whether a time was given.
enum Written {
    Instant(Timestamp),
    Local(DateTime, bool),
}

/// The strict forms first (RFC 3339, ISO, day first), then [`spoken`] ones
/// (`2025-06-30 7h30`), whose errors say more than the strict reader's.
fn written_date(text: &str) -> Result<Written, String> {
    if let Some(civil) = day_first(text) {
        let (civil, has_time) = civil?;
        return Ok(Written::Local(civil, has_time));
    }
    let strict = if !looks_like_date(text) {
        Err(year_first_with_slashes(text).unwrap_or_else(|| format!("`{text}` is not a date")))
    } else if has_offset(text) {
        text.parse::<Timestamp>()
            .map(Written::Instant)
            .map_err(|e| impossible_day(text).unwrap_or_else(|| impossible(text, &e)))
    } else if text.len() == 10 {
        text.parse::<Date>()
            .map(|d| Written::Local(d.to_datetime(Time::midnight()), false))
            .map_err(|e| impossible(text, &e))
    } else {
        text.replacen(' ', "T", 1)
            .parse::<DateTime>()
            .map(|civil| Written::Local(civil, true))
            .map_err(|e| impossible(text, &e))
    };
    strict.or_else(|strict| match spoken(text) {
        Some(read) => read.map(|(civil, has_time)| Written::Local(civil, has_time)),
        None => Err(strict),
    })
}

/// What is impossible about the day that `text` (which [`looks_like_date`])
/// starts with, read year first; `None` if that day is real.
fn impossible_day(text: &str) -> Option<String> {
    let number = |range: std::ops::Range<usize>| text[range].parse::<i16>().ok();
    let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
    day_of(text, Order::YearFirst, year, month, day).err()
}

/// `2024/04/17` or `2024.04.17` (year first, as some forms print it): what to
/// write instead, `2024-04-17`; `None` if `text` is not one.
fn year_first_with_slashes(text: &str) -> Option<String> {
    static YEAR_FIRST: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(\d{4})([/.])(\d{1,2})([/.])(\d{1,2})(.*)$").expect("a valid pattern")
    });
    let c = YEAR_FIRST.captures(text)?;
    if c[2] != c[4] {
        return None;
    }
    let (month, day) = (c[3].parse::<u8>().ok()?, c[5].parse::<u8>().ok()?);
    Some(format!(
        "`{text}` is not a date in a form bantin reads: year first, write it with dashes, as {}-{month:02}-{day:02}{}",
        &c[1], &c[6]
    ))
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

/// A day-first date as a civil date-time, and whether it gave a time; `None`
/// if `text` is not one. Errors say which part is impossible, read day first:
/// `31/02/2021` is day 31 of month 2, `04/13/2021` (month first, as in
/// English) has a month 13.
fn day_first(text: &str) -> Option<Result<(DateTime, bool), String>> {
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
    let date = match day_of(text, Order::DayFirst, number(5), month, day) {
        Ok(date) => date,
        Err(e) => return Some(Err(e)),
    };
    let time = match c.get(6) {
        None => Ok(Time::midnight()),
        Some(_) => Time::new(number(6) as i8, number(8) as i8, number(9) as i8, 0),
    };
    Some(
        time.map(|time| (date.to_datetime(time), c.get(6).is_some()))
            .map_err(|e| impossible(text, &e)),
    )
}

/// How a day was written: day first (`31/04/2024`, `ngày 31 tháng 4 năm
/// 2024`) or year first, as ISO 8601 has it (`2024-04-31`); a message about an
/// impossible day reads it the way it was written.
#[derive(Clone, Copy, PartialEq)]
enum Order {
    DayFirst,
    YearFirst,
}

/// Day `day` of month `month` of `year`, read from `text` (written in
/// `order`), or what is impossible about it and how to write it.
fn day_of(text: &str, order: Order, year: i16, month: i16, day: i16) -> Result<Date, String> {
    if !(1..=12).contains(&month) {
        // `04/13/2021`, `2024-13-01`: the day and the month swapped, perhaps.
        let swapped = (1..=12).contains(&day)
            && (1..=31).contains(&month)
            && Date::new(year, day as i8, month as i8).is_ok();
        return Err(match (order, swapped) {
            (Order::DayFirst, false) => format!(
                "`{text}` is not a real date: dates are read day first (day/month/year), and there is no month {month}"
            ),
            (Order::DayFirst, true) => format!(
                "`{text}` is not a real date: dates are read day first (day/month/year), and there is no month {month}; if {month} is the day, write {month:02}/{day:02}/{year}"
            ),
            (Order::YearFirst, false) => format!(
                "`{text}` is not a real date: it is written year-month-day, and there is no month {month}; write the month as 01 to 12"
            ),
            (Order::YearFirst, true) => format!(
                "`{text}` is not a real date: it is written year-month-day, and there is no month {month}; if {month} is the day, write {year}-{day:02}-{month:02}"
            ),
        });
    }
    Date::new(year, month as i8, day as i8).map_err(|e| {
        let Ok(last) = Date::new(year, month as i8, 1).map(|d| d.last_of_month()) else {
            return impossible(text, &e);
        };
        let days = last.day();
        match order {
            Order::DayFirst => format!(
                "`{text}` is not a real date: read day first, it is day {day} of month {month}, and month {month} of {year} has {days} days; check the day (the last day of that month is {})",
                last.strftime("%d/%m/%Y"),
            ),
            Order::YearFirst => format!(
                "`{text}` is not a real date: day {day} does not exist in {} {year}, which has {days} days; check the day (the last day of that month is {last})",
                MONTHS[month as usize - 1],
            ),
        }
    })
}

/// The months' names, for messages (which are in English).
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

/// A day: `2025-06-30`, `30/6/2025`, `ngày 30 tháng 6 năm 2025`, `ngày 30/6/2025`.
const DAY: &str = r"(?:ng[àa]y\s*)?(?:(?P<iy>\d{4})-(?P<im>\d{1,2})-(?P<id>\d{1,2})|(?P<sd>\d{1,2})([/.-])(?P<sm>\d{1,2})[/.-](?P<sy>\d{4})|(?P<wd>\d{1,2})\s*th[áa]ng\s*(?P<wm>\d{1,2})\s*n[ăa]m\s*(?P<wy>\d{4}))";

/// A time of day as said: `7h30`, `7h`, `7 giờ 30 phút`, `14:00`, `2 giờ chiều`.
const CLOCK: &str = r"(?P<h>\d{1,2})\s*(?::|h|g|gi[ờơo])\s*(?:(?P<mi>\d{1,2})\s*(?:ph[úu]t|p|')?)?(?::(?P<s>\d{2}))?(?:\s*(?P<part>s[áa]ng|tr[ưu]a|chi[ềe]u|t[ốo]i|đêm|[đd][êe]m))?";

/// `sáng`, `chiều`: a part of the day, not a time.
const PART_OF_DAY: &str = r"(?P<part>s[áa]ng|tr[ưu]a|chi[ềe]u|t[ốo]i|[đd][êe]m)";

/// The day and then the time (`30/6/2025 lúc 7h30`), the time and then the
/// day (`7h30 ngày 30/6/2025`), the day and `cả ngày` (all day), and two
/// mistakes: the day and a part of it (`Sáng`), the day and hours
/// (`14h-16h30`).
static SPOKEN: LazyLock<[Regex; 5]> = LazyLock::new(|| {
    let at = r"(?:l[úu]c\s*)?";
    let sep = r"\s*,?\s*";
    let whole = |body: String| Regex::new(&format!("(?i)^{body}$")).expect("a valid pattern");
    [
        whole(format!("{DAY}(?:{sep}{at}{CLOCK})?")),
        whole(format!("{at}{CLOCK}{sep}{DAY}")),
        whole(format!(r"{DAY}{sep}\(?\s*c[ảa]\s*ng[àa]y\s*\)?")),
        whole(format!("{DAY}{sep}(?:bu[ổo]i\\s*)?{PART_OF_DAY}")),
        whole(format!(
            r"{DAY}{sep}{at}(?P<from>\d{{1,2}}\s*(?::|h|g|gi[ờơo])[^-–]*?)\s*(?:-|–|đến|den)\s*(?P<to>\d{{1,2}}\s*(?::|h|g|gi[ờơo]).*)"
        )),
    ]
});

/// The forms Vietnamese clerks write that the strict forms above do not take:
/// `2025-06-30 7h30`, `30/6/2025 14 giờ`, `7h30 ngày 30/6/2025`,
/// `ngày 5 tháng 12 năm 2024`, `30/6/2025 2 giờ chiều`, `2025-06-30 cả ngày`
/// (a day, no time). A day with only `sáng` or `chiều` is an error saying to
/// write the hour. `None` if `text` is none of these.
fn spoken(text: &str) -> Option<Result<(DateTime, bool), String>> {
    let text = super::text::to_nfc(text.trim().to_string());
    let (form, c) = SPOKEN
        .iter()
        .enumerate()
        .find_map(|(form, re)| Some((form, re.captures(&text)?)))?;
    // `17/01-2014`: one separator or the other, not both.
    if let (Some(d), Some(m), Some(y)) = (c.name("sd"), c.name("sm"), c.name("sy"))
        && text[d.end()..m.start()] != text[m.end()..y.start()]
    {
        return None;
    }
    let number = |name: &str| c.name(name).and_then(|m| m.as_str().parse::<i16>().ok());
    let (order, year, month, day) = ["i", "s", "w"].iter().find_map(|k| {
        let order = match *k {
            "i" => Order::YearFirst,
            _ => Order::DayFirst,
        };
        Some((
            order,
            number(&format!("{k}y"))?,
            number(&format!("{k}m"))?,
            number(&format!("{k}d"))?,
        ))
    })?;
    let date = match day_of(&text, order, year, month, day) {
        Ok(date) => date,
        Err(e) => return Some(Err(e)),
    };
    if form == 4 {
        let (from, to) = (c["from"].trim(), c["to"].trim());
        return Some(Err(format!(
            "`{text}` gives the hours from {from} to {to}: write when it starts in `start` and when it ends in `end`, e.g. `start: {date} {from}` and `end: \"{to}\"`"
        )));
    }
    if form == 3 {
        let part = &c["part"];
        return Some(Err(format!(
            "`{text}` says the part of the day ({part}), not the hour: write the hour it starts, e.g. `{date} 07:30` in the morning or `{date} 14:00` in the afternoon, or the date alone for the whole day"
        )));
    }
    let Some(hour) = number("h") else {
        return Some(Ok((date.to_datetime(Time::midnight()), false)));
    };
    let part = c.name("part").map(|p| p.as_str().to_lowercase());
    let hour = match part.as_deref().map(fold_part) {
        // `2 giờ chiều` is 14:00; `14 giờ chiều` says the same twice.
        Some("chieu" | "toi") if (1..12).contains(&hour) => hour + 12,
        Some("trua") if (1..6).contains(&hour) => hour + 12,
        Some("sang") if hour > 12 => {
            return Some(Err(format!(
                "`{text}` is not a real time: {hour} giờ is not in the morning (sáng)"
            )));
        }
        _ => hour,
    };
    let time = Time::new(
        hour as i8,
        number("mi").unwrap_or(0) as i8,
        number("s").unwrap_or(0) as i8,
        0,
    );
    Some(
        time.map(|time| (date.to_datetime(time), true))
            .map_err(|e| impossible(&text, &e)),
    )
}

/// `chiều` -> `chieu`: the parts of the day, with or without their tones.
fn fold_part(part: &str) -> &'static str {
    match part.chars().next() {
        Some('s') => "sang",
        Some('t') if part.contains(['ư', 'u']) => "trua",
        Some('t') => "toi",
        Some('c') => "chieu",
        _ => "dem",
    }
}

/// A time of day alone, as an item's `end` may be written: `09:00`, `9h`,
/// `11h30`, `16 giờ 30`, `4 giờ chiều`. `None` if `text` is not one.
pub fn time_of_day(text: &str) -> Option<Result<Time, String>> {
    static ALONE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(&format!("(?i)^{CLOCK}$")).expect("a valid pattern"));
    let text = super::text::to_nfc(text.trim().to_string());
    ALONE.captures(&text)?;
    // The same reading as after a day.
    let (civil, _) = match spoken(&format!("2000-01-01 {text}"))? {
        Ok(read) => read,
        Err(e) => return Some(Err(e.replace("2000-01-01 ", ""))),
    };
    Some(Ok(civil.time()))
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
            "`31/02/2021` is not a real date: read day first, it is day 31 of month 2, and month 2 of 2021 has 28 days; check the day (the last day of that month is 28/02/2021)"
        );
        assert!(err("04/13/2021").ends_with("if 13 is the day, write 13/04/2021"));
        assert!(err("29/02/2023").contains("month 2 of 2023 has 28 days"));
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

    #[test]
    fn impossible_iso_dates_are_read_year_first() {
        let err = |text: &str| parse_date(text, &vn()).unwrap_err();
        assert_eq!(
            err("2024-04-31"),
            "`2024-04-31` is not a real date: day 31 does not exist in April 2024, which has 30 days; check the day (the last day of that month is 2024-04-30)"
        );
        assert!(err("2024-04-31 10:00").contains("day 31 does not exist in April 2024"));
        assert!(err("2024-04-31T10:00:00+07:00").contains("day 31 does not exist in April 2024"));
        assert!(err("2024-04-30T25:00:00+07:00").contains("not a real date or time"));
        assert!(err("2023-02-29").contains("February 2023, which has 28 days"));
        assert_eq!(
            err("2024-13-01"),
            "`2024-13-01` is not a real date: it is written year-month-day, and there is no month 13; if 13 is the day, write 2024-01-13"
        );
        assert_eq!(
            err("2024/04/17"),
            "`2024/04/17` is not a date in a form bantin reads: year first, write it with dashes, as 2024-04-17"
        );
        assert!(err("2024.4.7 08:00").ends_with("as 2024-04-07 08:00"));
        assert!(err("2024-40-01").ends_with("there is no month 40; write the month as 01 to 12"));
        for text in ["2024-04-31", "2024-13-01", "2023-02-29"] {
            assert!(!err(text).contains("day first"), "{text}: {}", err(text));
        }
    }

    #[test]
    fn dates_and_times_as_clerks_say_them_are_read() {
        let at = |text: &str| {
            let read = read_date(text, &vn()).unwrap_or_else(|e| panic!("{text}: {e}"));
            (
                read.at.strftime("%Y-%m-%d %H:%M").to_string(),
                read.has_time,
            )
        };
        let timed = |s: &str| (s.to_string(), true);
        assert_eq!(at("2025-06-30 7h30"), timed("2025-06-30 07:30"));
        assert_eq!(at("2025-06-30 14h"), timed("2025-06-30 14:00"));
        assert_eq!(at("2025-06-30 7 giờ 30"), timed("2025-06-30 07:30"));
        assert_eq!(at("2025-06-30 7 giờ 30 phút"), timed("2025-06-30 07:30"));
        assert_eq!(at("30/6/2025 lúc 2 giờ chiều"), timed("2025-06-30 14:00"));
        assert_eq!(at("7h30 ngày 30/6/2025"), timed("2025-06-30 07:30"));
        assert_eq!(at("07g30, 30/06/2025"), timed("2025-06-30 07:30"));
        assert_eq!(at("30/6/2025 7h30"), timed("2025-06-30 07:30"));
        assert_eq!(at("30/6/2025 7h"), timed("2025-06-30 07:00"));
        assert_eq!(at("2025-06-30"), ("2025-06-30 00:00".into(), false));
        assert_eq!(at("2025-06-30 cả ngày"), ("2025-06-30 00:00".into(), false));
        assert_eq!(
            at("30/06/2025 (cả ngày)"),
            ("2025-06-30 00:00".into(), false)
        );
        assert_eq!(
            at("ngày 5 tháng 12 năm 2024"),
            ("2024-12-05 00:00".into(), false)
        );
        assert_eq!(
            at("Ngày 05 tháng 12 năm 2024"),
            ("2024-12-05 00:00".into(), false)
        );
        assert_eq!(
            at("ngay 5 thang 12 nam 2024"),
            ("2024-12-05 00:00".into(), false)
        );
        assert_eq!(at("2014-01-17T14:05:00+07:00"), timed("2014-01-17 14:05"));
        assert_eq!(at("2014-01-17 14:05"), timed("2014-01-17 14:05"));
    }

    #[test]
    fn a_part_of_the_day_or_an_impossible_time_is_an_error_saying_so() {
        let err = |text: &str| read_date(text, &vn()).unwrap_err();
        assert!(err("2025-06-30 Sáng").contains("says the part of the day (Sáng), not the hour"));
        assert!(err("30/06/2025 buổi chiều").contains("not the hour"));
        assert!(err("2025-06-30 25h").contains("not a real date or time"));
        assert!(err("ngày 31 tháng 2 năm 2025").contains("month 2 of 2025 has 28 days"));
        assert!(err("2025-06-30 15h sáng").contains("not in the morning"));
        assert_eq!(err("hôm qua"), "`hôm qua` is not a date");
        assert_eq!(
            err("2025-06-30 14h-16h30"),
            "`2025-06-30 14h-16h30` gives the hours from 14h to 16h30: write when it starts in `start` and when it ends in `end`, e.g. `start: 2025-06-30 14h` and `end: \"16h30\"`"
        );
        assert!(err("30/06/2025 7h30 đến 11h").contains("from 7h30 to 11h"));
        assert!(err("2025-06-30 7:30 - 9:00").contains("from 7:30 to 9:00"));
    }

    #[test]
    fn a_time_alone_is_read_in_the_same_forms() {
        let time = |text: &str| time_of_day(text).map(|t| t.unwrap().to_string());
        assert_eq!(time("11h30").as_deref(), Some("11:30:00"));
        assert_eq!(time("16 giờ").as_deref(), Some("16:00:00"));
        assert_eq!(time("4 giờ chiều").as_deref(), Some("16:00:00"));
        assert_eq!(time("2025-06-30"), None);
        assert!(time_of_day("26h").unwrap().is_err());
    }
}
