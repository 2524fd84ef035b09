//! Formats that do not depend on the language (those that do are in [`super::locale`]).

use std::sync::LazyLock;

use jiff::Zoned;
use regex::Regex;

/// `2014-01-17T14:05:00+07:00`: the `datetime` of `<time>`, feeds and sitemaps.
pub fn iso(date: &Zoned) -> String {
    date.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

/// Whether `date` says a time of day. A date written alone (`date: 2014-01-17`,
/// as imported archives and many hand-written files have it) is read as the
/// start of that day in the site's zone, so a date at exactly 00:00:00 there is
/// shown as the day alone: "17/01/2014", not "17/01/2014 - 00:00". (A time of
/// 00:00 written out is shown the same way: a page gains nothing by it.)
pub fn has_time_of_day(date: &Zoned) -> bool {
    date.time() != jiff::civil::Time::midnight()
}

/// The `datetime` of `<time>` for what a page shows of `date`: the instant
/// ([`iso`]) when it has a time of day, else the day alone (`2014-01-17`, a
/// valid `datetime` too). Feeds and sitemaps keep [`iso`], as Atom asks.
pub fn shown_iso(date: &Zoned) -> String {
    if has_time_of_day(date) {
        iso(date)
    } else {
        date.date().to_string()
    }
}

/// A strftime run of times of day: `%H:%M`, `%-I:%M %p`, `%Hh%M`, with the
/// words or marks that join it to the day before or after it (` - `, `, `,
/// ` lúc `, ` at `).
static TIME_CODES: LazyLock<Regex> = LazyLock::new(|| {
    let code = r"%[-_0^#]?[HIklMSpPTRXfN]";
    Regex::new(&format!(
        r"(?:\s*(?:[-–—,|·@]|\blúc\b|\bat\b)\s*)?{code}(?:\s*[:.h]?\s*{code})*(?:\s*(?:[-–—,|·@]|\blúc\b|\bat\b)?\s*$)?"
    ))
    .expect("a valid pattern")
});

/// `pattern` (strftime codes) without its time of day, for a date that has
/// none: `{weekday}, %d/%m/%Y - %H:%M` -> `{weekday}, %d/%m/%Y`,
/// `%H:%M, %d/%m/%Y` -> `%d/%m/%Y`. `None` if nothing of a day is left.
pub fn without_time(pattern: &str) -> Option<String> {
    let day = TIME_CODES.replace_all(pattern, "");
    let day = day.trim_matches(|c: char| c.is_whitespace() || ",-–—|·@".contains(c));
    let says_a_day = [
        "%d", "%e", "%-d", "%_d", "%0d", "%j", "%F", "%D", "%x", "%c", "%Y",
    ]
    .iter()
    .any(|code| day.contains(code));
    says_a_day.then(|| day.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_keeps_the_offset() {
        let date: jiff::Zoned = "2014-01-17T14:05:00+07:00[+07:00]".parse().unwrap();
        assert_eq!(super::iso(&date), "2014-01-17T14:05:00+07:00");
    }

    #[test]
    fn a_date_at_midnight_is_shown_as_its_day() {
        let at = |s: &str| s.parse::<Zoned>().unwrap();
        assert_eq!(
            shown_iso(&at("2014-01-17T00:00:00+07:00[+07:00]")),
            "2014-01-17"
        );
        assert_eq!(
            shown_iso(&at("2014-01-17T00:05:00+07:00[+07:00]")),
            "2014-01-17T00:05:00+07:00"
        );
    }

    #[test]
    fn patterns_lose_their_time_of_day() {
        let day = |p: &str| without_time(p);
        assert_eq!(
            day("{weekday}, %d/%m/%Y - %H:%M").as_deref(),
            Some("{weekday}, %d/%m/%Y")
        );
        assert_eq!(
            day("{weekday}, %-d {month} %Y, %H:%M").as_deref(),
            Some("{weekday}, %-d {month} %Y")
        );
        assert_eq!(day("%H:%M, %d/%m/%Y").as_deref(), Some("%d/%m/%Y"));
        assert_eq!(day("%d/%m/%Y lúc %Hh%M").as_deref(), Some("%d/%m/%Y"));
        assert_eq!(day("%-d %B %Y at %-I:%M %p").as_deref(), Some("%-d %B %Y"));
        assert_eq!(day("%d/%m/%Y").as_deref(), Some("%d/%m/%Y"));
        assert_eq!(day("%H:%M"), None);
    }
}
