//! The leaders' work schedule as the site shows it: every week read, in order,
//! each with its address, the week that is current on the build's date, and
//! the leaders named in the items, each with a calendar of their own.

use std::collections::BTreeMap;

use jiff::Timestamp;
use jiff::civil::Date;

use crate::content::sources::display_path;
use crate::content::text::slugify;
use crate::content::week::{ScheduleItem, SourceWeek, WeekNumber, When};
use crate::diagnostics::Diagnostic;
use crate::fingerprint::{Fingerprint, fingerprint};

/// Site path of the schedule's index: the current week, and every week.
pub const SCHEDULE_PATH: &str = "/lich-cong-tac/";

/// Site path of the calendar of every item.
pub const CALENDAR_PATH: &str = "/lich-cong-tac/lich.ics";

/// One week as its page shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Week {
    /// Relative to content/: `lich-cong-tac/2025-W27.yaml`.
    pub file: String,
    pub number: WeekNumber,
    /// `/lich-cong-tac/2025/tuan-27/`.
    pub url: String,
    pub note: Option<String>,
    /// By day, all-day items first, then by start time, then as written.
    pub items: Vec<ScheduleItem>,
    /// Each item's event in the calendars, in the items' order.
    pub events: Vec<Event>,
}

/// What the calendars need of an item beyond what it says, the same in every
/// calendar that holds it: made once here rather than by each calendar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// Its UID before `@<host>`: the item's `id:`, else made of its week, its
    /// start and who leads it, which a correction of its text leaves as they
    /// are: `2025-W27-20250630T003000Z-chu-tich-ubnd-phuong` (a second item
    /// with the same makings in the week gets `-2`, and so on).
    pub uid: String,
    /// Who leads it, as indices into the schedule's leaders, each once.
    pub leaders: Vec<usize>,
}

/// Someone named in `who`, with their own calendar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Leader {
    /// As first written (names that fold to one slug are one leader).
    pub name: String,
    pub slug: String,
    /// `/lich-cong-tac/lanh-dao/chu-tich-ubnd-phuong.ics`.
    pub calendar: String,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Schedule {
    /// Oldest first.
    pub weeks: Vec<Week>,
    /// The week `/lich-cong-tac/` shows: the one holding the build's date, else
    /// the latest before it, else the first.
    pub current: Option<usize>,
    /// By slug.
    pub leaders: Vec<Leader>,
    /// When the site was built (`SOURCE_DATE_EPOCH` where set): calendars'
    /// DTSTAMP. No other page shows it (its day aside): a patched model makes
    /// again only the pages `plan::schedule_calendars` lists when it changes,
    /// and those that [`crate::site::plan::PlannedPage::shows_the_day`] when
    /// the day does.
    pub built_at: Timestamp,
}

impl Schedule {
    pub fn is_empty(&self) -> bool {
        self.weeks.is_empty()
    }

    /// A fingerprint of all the schedule's pages and the home page's block
    /// show but the build's day and time (see
    /// [`crate::site::plan::PlannedPage::shows_the_day`] and
    /// [`crate::site::plan::schedule_calendars`]): the weeks, the current week,
    /// the leaders.
    pub fn shown_print(&self) -> Fingerprint {
        // Every field, nested, by its debug form: nothing to keep in step with
        // the types (they hold no map, whose order would vary).
        let shown = format!("{:?}\0{:?}\0{:?}", self.weeks, self.current, self.leaders);
        fingerprint(shown.as_bytes())
    }
}

/// Site path of a week's page: `/lich-cong-tac/2025/tuan-27/`.
pub fn week_path(number: WeekNumber) -> String {
    format!("{SCHEDULE_PATH}{:04}/tuan-{:02}/", number.year, number.week)
}

/// The schedule of `weeks` as of `built_at` (its date read in the site's zone,
/// `today`). Two files of one week are an error naming both.
pub fn build_schedule(
    weeks: Vec<SourceWeek>,
    today: Date,
    built_at: Timestamp,
) -> (Schedule, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    let mut by_number: BTreeMap<WeekNumber, Week> = BTreeMap::new();
    for source in weeks {
        if let Some(first) = by_number.get(&source.week) {
            problems.push(
                Diagnostic::error(
                    display_path(&source.source),
                    format!(
                        "this file and {} are both the week {}",
                        display_path(&first.file),
                        source.week.name()
                    ),
                )
                .with_hint("keep one file a week: move these items into the other file"),
            );
            continue;
        }
        let mut items = source.items;
        items.sort_by_key(order);
        by_number.insert(
            source.week,
            Week {
                url: week_path(source.week),
                file: source.source,
                number: source.week,
                note: source.note,
                items,
                events: Vec::new(),
            },
        );
    }
    let mut weeks: Vec<Week> = by_number.into_values().collect();
    problems.extend(repeated_ids(&weeks));
    let current = match weeks.partition_point(|w| w.number.monday() <= today) {
        0 if weeks.is_empty() => None,
        0 => Some(0),
        n => Some(n - 1),
    };
    // Each week's items' `who`, slugified once for the leaders and the events.
    let slugs: Vec<Vec<Vec<String>>> = weeks
        .iter()
        .map(|w| {
            let who = w.items.iter().map(|i| i.who.iter().map(|n| slugify(n)));
            who.map(Iterator::collect).collect()
        })
        .collect();
    let mut leaders: BTreeMap<&str, &str> = BTreeMap::new();
    let items = weeks.iter().flat_map(|w| &w.items);
    for (item, slugs) in items.zip(slugs.iter().flatten()) {
        for (name, slug) in item.who.iter().zip(slugs) {
            if !slug.is_empty() {
                leaders.entry(slug).or_insert(name);
            }
        }
    }
    let leaders: Vec<Leader> = leaders
        .into_iter()
        .map(|(slug, name)| Leader {
            calendar: format!("{SCHEDULE_PATH}lanh-dao/{slug}.ics"),
            name: name.to_string(),
            slug: slug.to_string(),
        })
        .collect();
    for (week, slugs) in weeks.iter_mut().zip(slugs) {
        week.events = events(week, slugs, &leaders);
    }
    (
        Schedule {
            weeks,
            current,
            leaders,
            built_at,
        },
        problems,
    )
}

/// The events of `week`'s items, in their order (`slugs`: each item's `who`
/// slugified).
fn events(week: &Week, slugs: Vec<Vec<String>>, leaders: &[Leader]) -> Vec<Event> {
    // The makings of the UIDs so far, to number those made alike.
    let mut seen: Vec<String> = Vec::new();
    week.items
        .iter()
        .zip(slugs)
        .map(|(item, mut slugs)| {
            let mut indices: Vec<usize> = slugs
                .iter()
                .filter_map(|s| leaders.binary_search_by(|l| l.slug.cmp(s)).ok())
                .collect();
            indices.sort_unstable();
            indices.dedup();
            let uid = match &item.id {
                Some(id) => id.clone(),
                None => {
                    slugs.sort();
                    let base = format!(
                        "{}-{}-{}",
                        week.number.name(),
                        uid_start(&item.start),
                        slugs.join("+")
                    );
                    let n = seen.iter().filter(|k| **k == base).count();
                    seen.push(base.clone());
                    match n {
                        0 => base,
                        n => format!("{base}-{}", n + 1),
                    }
                }
            };
            Event {
                uid,
                leaders: indices,
            }
        })
        .collect()
}

/// An item's start as its UID has it: `20250630` for a day,
/// `20250630T003000Z` for a time (in UTC, whatever the site's zone).
fn uid_start(start: &When) -> String {
    match start {
        When::Day(d) => d.strftime("%Y%m%d").to_string(),
        When::At(z) => z.timestamp().strftime("%Y%m%dT%H%M%SZ").to_string(),
    }
}

/// An `id:` pins one event of the calendars: a second item with it is an error.
fn repeated_ids(weeks: &[Week]) -> Vec<Diagnostic> {
    let mut first: BTreeMap<&str, (&str, u32)> = BTreeMap::new();
    let mut problems = Vec::new();
    for week in weeks {
        for item in &week.items {
            let Some(id) = item.id.as_deref() else {
                continue;
            };
            match first.get(id) {
                Some((file, line)) => problems.push(
                    Diagnostic::error(
                        display_path(&week.file),
                        format!(
                            "the id `{id}` is also the id of the item at {}:{line}",
                            display_path(file)
                        ),
                    )
                    .at(item.line, 1)
                    .with_hint("give each item its own id (or none)"),
                ),
                None => {
                    first.insert(id, (&week.file, item.line));
                }
            }
        }
    }
    problems
}

/// Days in order; in a day, all-day items first, then by start time; then as
/// written.
fn order(item: &ScheduleItem) -> (Date, Option<Timestamp>, u32) {
    match &item.start {
        When::Day(d) => (*d, None, item.line),
        When::At(z) => (z.date(), Some(z.timestamp()), item.line),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::week::parse_week;

    fn week(name: &str, text: &str) -> SourceWeek {
        let tz = jiff::tz::TimeZone::fixed(jiff::tz::offset(7));
        parse_week(&format!("lich-cong-tac/{name}.yaml"), text.as_bytes(), &tz).unwrap()
    }

    const ITEMS: &str = "items:\n  - start: 2025-07-01 14:00\n    who: \"Chủ tịch\"\n    what: \"B\"\n  - start: 2025-07-01\n    who: [\"Phó Chủ tịch\", \"chủ tịch\"]\n    what: \"A\"\n  - start: 2025-06-30 07:30\n    who: \"Chủ tịch\"\n    what: \"C\"\n";

    #[test]
    fn items_by_day_all_day_first_and_current_week() {
        let w27 = week("2025-W27", ITEMS);
        let w29 = week("2025-W29", "items: []\n");
        let (schedule, problems) = build_schedule(
            vec![w29, w27],
            jiff::civil::date(2025, 7, 10),
            Timestamp::UNIX_EPOCH,
        );
        assert!(problems.is_empty());
        let whats: Vec<&str> = schedule.weeks[0]
            .items
            .iter()
            .map(|i| i.what.as_str())
            .collect();
        assert_eq!(whats, ["C", "A", "B"]);
        // 10/07 is in week 28, which has no file: the latest week before it.
        assert_eq!(schedule.current, Some(0));
        assert_eq!(schedule.weeks[1].url, "/lich-cong-tac/2025/tuan-29/");
        let names: Vec<&str> = schedule.leaders.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(names, ["Chủ tịch", "Phó Chủ tịch"]);
    }

    #[test]
    fn events_carry_uids_numbered_when_alike_and_their_leaders() {
        let text = format!(
            "{ITEMS}  - start: 2025-06-30 07:30\n    who: \"chủ tịch\"\n    what: \"C again\"\n  - start: 2025-07-02\n    who: \"Phó Chủ tịch\"\n    what: \"D\"\n    id: \"tiep-dan\"\n"
        );
        let (schedule, problems) = build_schedule(
            vec![week("2025-W27", &text)],
            jiff::civil::date(2025, 7, 1),
            Timestamp::UNIX_EPOCH,
        );
        assert!(problems.is_empty());
        let week = &schedule.weeks[0];
        let uids: Vec<&str> = week.events.iter().map(|e| e.uid.as_str()).collect();
        assert_eq!(
            uids,
            [
                "2025-W27-20250630T003000Z-chu-tich",
                "2025-W27-20250630T003000Z-chu-tich-2",
                "2025-W27-20250701-chu-tich+pho-chu-tich",
                "2025-W27-20250701T070000Z-chu-tich",
                "tiep-dan",
            ]
        );
        // 0: Chủ tịch, 1: Phó Chủ tịch; named twice in one item, once.
        let leaders: Vec<&[usize]> = week.events.iter().map(|e| e.leaders.as_slice()).collect();
        assert_eq!(leaders, [&[0][..], &[0], &[0, 1], &[0], &[1]]);
    }
}
