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

use jiff::Timestamp;
use jiff::civil::{Date, DateTime};
use jiff::tz::Offset;

use crate::content::week::{ScheduleItem, When};
use crate::site::model::Site;
use crate::site::schedule::{Event, Leader};

use super::locale::Locale;

/// The longest a content line may be, in octets, without its CRLF.
const LINE_OCTETS: usize = 75;

/// The calendar of every item (`leader` `None`) or of one leader's (index into
/// the schedule's leaders).
pub fn schedule_calendar(site: &Site, leader: Option<usize>, locale: &Locale) -> String {
    let schedule = &site.schedule;
    let config = &site.config;
    let leader_of: Option<&Leader> = leader.map(|l| &schedule.leaders[l]);
    let name = match leader_of {
        Some(l) => format!("{} - {}", locale.word("schedule"), l.name),
        None => format!("{} - {}", locale.word("schedule"), config.title),
    };
    let mut ics = Ics::default();
    ics.line("BEGIN:VCALENDAR");
    ics.line("VERSION:2.0");
    ics.line("PRODID:-//bantin//Lich cong tac//VI");
    ics.line("CALSCALE:GREGORIAN");
    ics.line("METHOD:PUBLISH");
    ics.text_property("X-WR-CALNAME", &[&name]);
    // Times are in UTC; a zone's name (not an offset) tells readers where.
    if config.timezone_name.contains('/') {
        ics.text_property("X-WR-TIMEZONE", &[&config.timezone_name]);
    }
    let words = Words {
        host: uid_host(&config.base_url),
        stamp: utc(schedule.built_at),
        changed: locale.word("schedule_changed"),
        who: locale.word("schedule_who"),
        with: locale.word("schedule_with"),
        prepares: locale.word("schedule_prepares"),
    };
    for week in &schedule.weeks {
        // Every item of the week links to its page.
        let url = config.absolute_url(&week.url);
        for (item, event) in week.items.iter().zip(&week.events) {
            if leader.is_none_or(|l| event.leaders.contains(&l)) {
                ics.event(item, event, &url, &words);
            }
        }
    }
    ics.line("END:VCALENDAR");
    ics.text
}

/// What every event of a calendar shares.
struct Words<'a> {
    /// The site's host, after each UID's `@`.
    host: String,
    /// DTSTAMP: when the site was built.
    stamp: String,
    changed: &'a str,
    who: &'a str,
    with: &'a str,
    prepares: &'a str,
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
fn utc(t: Timestamp) -> String {
    let mut out = String::with_capacity(16);
    let t = Offset::UTC.to_datetime(t);
    write_date(&mut out, t.date());
    write_time(&mut out, t);
    out
}

/// `20250630`.
fn write_date(out: &mut String, d: Date) {
    let _ = write!(out, "{:04}{:02}{:02}", d.year(), d.month(), d.day());
}

/// `T003000Z`, the time of `t` (in UTC).
fn write_time(out: &mut String, t: DateTime) {
    let _ = write!(out, "T{:02}{:02}{:02}Z", t.hour(), t.minute(), t.second());
}

/// A TEXT value escaped (RFC 5545 §3.3.11): `\`, `;`, `,` and line breaks;
/// other control characters, which a content line may not hold, are dropped.
pub fn text(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 8);
    escape_into(&mut out, value);
    out
}

fn escape_into(out: &mut String, value: &str) {
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
}

/// An iCalendar file being written: CRLF line ends, long lines folded. Each
/// line is made in `next`, then folded into `text`.
#[derive(Default)]
struct Ics {
    text: String,
    /// The line being made.
    next: String,
}

impl Ics {
    /// One event of the calendar: `item`, known to calendars as `event`, on
    /// the week page at `url`.
    fn event(&mut self, item: &ScheduleItem, event: &Event, url: &str, words: &Words) {
        self.line("BEGIN:VEVENT");
        self.start("UID");
        self.escaped(&event.uid);
        self.next.push('@');
        self.escaped(&words.host);
        self.end();
        self.property("DTSTAMP", &words.stamp);
        match &item.start {
            When::Day(d) => {
                let last = match &item.end {
                    Some(When::Day(e)) => *e,
                    _ => *d,
                };
                self.date("DTSTART;VALUE=DATE", *d);
                self.date("DTEND;VALUE=DATE", last.tomorrow().unwrap_or(last));
            }
            When::At(z) => {
                self.property("DTSTART", &utc(z.timestamp()));
                if let Some(When::At(e)) = &item.end {
                    self.property("DTEND", &utc(e.timestamp()));
                }
            }
        }
        match item.changed {
            true => self.text_property("SUMMARY", &[&item.what, " (", words.changed, ")"]),
            false => self.text_property("SUMMARY", &[&item.what]),
        }
        if let Some(place) = &item.place {
            self.text_property("LOCATION", &[place]);
        }
        self.start("DESCRIPTION");
        self.escaped(words.who);
        self.escaped(": ");
        for (n, who) in item.who.iter().enumerate() {
            if n > 0 {
                self.escaped(", ");
            }
            self.escaped(who);
        }
        for (word, value) in [(words.with, &item.with), (words.prepares, &item.prepares)] {
            if let Some(value) = value {
                self.escaped("\n");
                self.escaped(word);
                self.escaped(": ");
                self.escaped(value);
            }
        }
        self.end();
        self.property("URL;VALUE=URI", url);
        self.line("END:VEVENT");
    }

    /// A property whose value is written as is.
    fn property(&mut self, name: &str, value: &str) {
        self.start(name);
        self.next.push_str(value);
        self.end();
    }

    /// A TEXT property: the parts of its value, escaped.
    fn text_property(&mut self, name: &str, parts: &[&str]) {
        self.start(name);
        for part in parts {
            self.escaped(part);
        }
        self.end();
    }

    /// A DATE property: `20250630`.
    fn date(&mut self, name: &str, d: Date) {
        self.start(name);
        write_date(&mut self.next, d);
        self.end();
    }

    fn start(&mut self, name: &str) {
        self.next.clear();
        self.next.push_str(name);
        self.next.push(':');
    }

    fn escaped(&mut self, value: &str) {
        escape_into(&mut self.next, value);
    }

    fn end(&mut self) {
        let line = std::mem::take(&mut self.next);
        self.line(&line);
        self.next = line;
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
