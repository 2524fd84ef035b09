//! The work schedule as iCalendar (RFC 5545), to subscribe to from a phone or
//! a desktop calendar: every item (`/lich-cong-tac/lich.ics`) or one leader's.
//!
//! Times are written in UTC (RFC 5545 §3.3.5, form #2), exact whatever the
//! reader's zone, so no VTIMEZONE is needed; all-day items are DATE values,
//! their DTEND the day after the last (exclusive). Each event's UID is made of
//! what does not change when a clerk corrects an item's text: its week, its
//! start and who leads it (or the item's own `id:`, which pins it), so that a
//! subscribed calendar updates the event instead of adding a second one.

use std::fmt::Write as _;

use crate::content::text::slugify;
use crate::content::week::{ScheduleItem, When};
use crate::site::model::Site;
use crate::site::schedule::{Leader, Week};

use super::locale::Locale;

/// The longest a content line may be, in octets, without its CRLF.
const LINE_OCTETS: usize = 75;

/// The calendar of every item (`leader` `None`) or of one leader's (index into
/// the schedule's leaders).
pub fn schedule_calendar(site: &Site, leader: Option<usize>, locale: &Locale) -> String {
    let schedule = &site.schedule;
    let config = &site.config;
    let leader: Option<&Leader> = leader.map(|l| &schedule.leaders[l]);
    let name = match leader {
        Some(l) => format!("{} - {}", locale.word("schedule"), l.name),
        None => format!("{} - {}", locale.word("schedule"), config.title),
    };
    let host = uid_host(&config.base_url);
    let stamp = utc(&schedule.built_at);
    let mut ics = Ics::default();
    ics.line("BEGIN:VCALENDAR");
    ics.line("VERSION:2.0");
    ics.line("PRODID:-//bantin//Lich cong tac//VI");
    ics.line("CALSCALE:GREGORIAN");
    ics.line("METHOD:PUBLISH");
    ics.property("X-WR-CALNAME", &text(&name));
    // Times are in UTC; a zone's name (not an offset) tells readers where.
    if config.timezone_name.contains('/') {
        ics.property("X-WR-TIMEZONE", &text(&config.timezone_name));
    }
    for week in &schedule.weeks {
        let mut seen: Vec<String> = Vec::new();
        for item in &week.items {
            let uid = item_uid(week, item, &host, &mut seen);
            let wanted = leader.is_none_or(|l| item.who.iter().any(|w| slugify(w) == l.slug));
            if wanted {
                event(&mut ics, site, week, item, &uid, &stamp, locale);
            }
        }
    }
    ics.line("END:VCALENDAR");
    ics.text
}

fn event(
    ics: &mut Ics,
    site: &Site,
    week: &Week,
    item: &ScheduleItem,
    uid: &str,
    stamp: &str,
    locale: &Locale,
) {
    ics.line("BEGIN:VEVENT");
    ics.property("UID", &text(uid));
    ics.property("DTSTAMP", stamp);
    match &item.start {
        When::Day(d) => {
            ics.property("DTSTART;VALUE=DATE", &d.strftime("%Y%m%d").to_string());
            let last = match &item.end {
                Some(When::Day(e)) => *e,
                _ => *d,
            };
            let after = last.tomorrow().unwrap_or(last);
            ics.property("DTEND;VALUE=DATE", &after.strftime("%Y%m%d").to_string());
        }
        When::At(z) => {
            ics.property("DTSTART", &utc(&z.timestamp()));
            if let Some(When::At(e)) = &item.end {
                ics.property("DTEND", &utc(&e.timestamp()));
            }
        }
    }
    let summary = match item.changed {
        true => format!("{} ({})", item.what, locale.word("schedule_changed")),
        false => item.what.clone(),
    };
    ics.property("SUMMARY", &text(&summary));
    if let Some(place) = &item.place {
        ics.property("LOCATION", &text(place));
    }
    let mut description = format!("{}: {}", locale.word("schedule_who"), item.who.join(", "));
    for (key, value) in [
        ("schedule_with", &item.with),
        ("schedule_prepares", &item.prepares),
    ] {
        if let Some(value) = value {
            let _ = write!(description, "\n{}: {value}", locale.word(key));
        }
    }
    ics.property("DESCRIPTION", &text(&description));
    ics.property("URL;VALUE=URI", &site.config.absolute_url(&week.url));
    ics.line("END:VEVENT");
}

/// The UID of `item` of `week`: its `id:`, else made of the week, the start and
/// who leads it; a second item with the same makings (`seen` holds those
/// before it in the file's order) gets a number after.
fn item_uid(week: &Week, item: &ScheduleItem, host: &str, seen: &mut Vec<String>) -> String {
    if let Some(id) = &item.id {
        return format!("{id}@{host}");
    }
    let start = match &item.start {
        When::Day(d) => d.strftime("%Y%m%d").to_string(),
        When::At(z) => utc(&z.timestamp()),
    };
    let mut who: Vec<String> = item.who.iter().map(|w| slugify(w)).collect();
    who.sort();
    // Readable and made of nothing that a version of bantin could compute
    // otherwise: `2025-W27-20250630T003000Z-chu-tich-ubnd-phuong`.
    let base = format!("{}-{start}-{}", week.number.name(), who.join("+"));
    let n = seen.iter().filter(|k| **k == base).count();
    seen.push(base.clone());
    match n {
        0 => format!("{base}@{host}"),
        n => format!("{base}-{}@{host}", n + 1),
    }
}

/// The host of the site's address, to make UIDs unique across portals.
fn uid_host(base_url: &str) -> String {
    let rest = base_url.split_once("://").map_or(base_url, |(_, r)| r);
    let host = rest.split(['/', ':']).next().unwrap_or_default();
    if host.is_empty() {
        "bantin".to_string()
    } else {
        host.to_ascii_lowercase()
    }
}

/// `20250630T003000Z`.
fn utc(t: &jiff::Timestamp) -> String {
    t.strftime("%Y%m%dT%H%M%SZ").to_string()
}

/// A TEXT value escaped (RFC 5545 §3.3.11): `\`, `;`, `,` and line breaks;
/// other control characters, which a content line may not hold, are dropped.
pub fn text(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 8);
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// An iCalendar file being written: CRLF line ends, long lines folded.
#[derive(Default)]
struct Ics {
    text: String,
}

impl Ics {
    fn property(&mut self, name: &str, value: &str) {
        self.line(&format!("{name}:{value}"));
    }

    /// `line` folded at 75 octets (RFC 5545 §3.1), never inside a UTF-8
    /// character: each further part starts with a space, which counts.
    fn line(&mut self, line: &str) {
        let mut rest = line;
        let mut room = LINE_OCTETS;
        loop {
            if rest.len() <= room {
                self.text.push_str(rest);
                self.text.push_str("\r\n");
                return;
            }
            let mut cut = room;
            while !rest.is_char_boundary(cut) {
                cut -= 1;
            }
            self.text.push_str(&rest[..cut]);
            self.text.push_str("\r\n ");
            rest = &rest[cut..];
            room = LINE_OCTETS - 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        assert_eq!(text("a,b;c\\d\ne\r"), "a\\,b\\;c\\\\d\\ne");
    }

    #[test]
    fn long_lines_fold_between_characters() {
        let mut ics = Ics::default();
        let value = "Hội nghị triển khai nhiệm vụ ".repeat(10);
        ics.property("SUMMARY", &value);
        for line in ics.text.split_terminator("\r\n") {
            assert!(line.len() <= 75, "{} octets: {line}", line.len());
        }
        let unfolded = ics.text.replace("\r\n ", "");
        assert_eq!(unfolded, format!("SUMMARY:{value}\r\n"));
    }

    #[test]
    fn uid_host_is_the_sites() {
        assert_eq!(
            uid_host("https://AnKhanh.example.gov.vn/portal/"),
            "ankhanh.example.gov.vn"
        );
        assert_eq!(uid_host(""), "bantin");
    }
}
