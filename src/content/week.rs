//! One week of the leaders' work schedule (lịch công tác tuần): the bytes of
//! `content/lich-cong-tac/<yyyy>-W<ww>.yaml` -> a [`SourceWeek`], or every
//! problem in it, each at its line and column.
//!
//! ```yaml
//! note: "Lịch có thể thay đổi"
//! items:
//!   - start: 2025-06-30 07:30
//!     end: 2025-06-30 09:00
//!     who: ["Chủ tịch UBND phường"]
//!     what: "Họp giao ban đầu tuần"
//! ```

use jiff::civil::{Date, ISOWeekDate, Time, Weekday};
use jiff::tz::TimeZone;
use jiff::{ToSpan, Zoned};
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use serde_saphyr::Spanned;

use super::dates::{DATE_FORMS, read_date, time_of_day};
use super::document::named_in_vietnamese;
use crate::diagnostics::{Diagnostic, Location};
use crate::yaml::{self, Field, Mapping, location};

/// The fields of a week file.
pub const WEEK_FIELDS: &[&str] = &["note", "items"];

/// The fields of an item of the schedule.
pub const ITEM_FIELDS: &[&str] = &[
    "start", "end", "who", "what", "where", "with", "prepares", "changed", "id",
];

/// The fields of an item by the Vietnamese names of the schedule's columns,
/// folded (`Chủ trì`, `chu_tri` -> `chutri`).
const ITEM_NAMES: &[(&str, &str)] = &[
    ("batdau", "start"),
    ("thoigian", "start"),
    ("gio", "start"),
    ("ngay", "start"),
    ("ketthuc", "end"),
    ("chutri", "who"),
    ("lanhdao", "who"),
    ("noidung", "what"),
    ("congviec", "what"),
    ("diadiem", "where"),
    ("thanhphan", "with"),
    ("chuanbi", "prepares"),
    ("donvichuanbi", "prepares"),
    ("dieuchinh", "changed"),
];

/// The folder under content/ that holds the weeks.
pub const SCHEDULE_DIR: &str = "lich-cong-tac";

const SKELETON: &str = "a week's file lists its items, e.g.\n  items:\n    - start: 2025-06-30 07:30\n      who: \"Chủ tịch UBND phường\"\n      what: \"Họp giao ban đầu tuần\"";

/// An ISO week: `2025-W27` is Monday 30/06/2025 to Sunday 06/07/2025.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct WeekNumber {
    pub year: i16,
    pub week: i8,
}

impl WeekNumber {
    /// The week of `2025-W27` (the name of its file, without `.yaml`), if it is one.
    pub fn parse(name: &str) -> Option<WeekNumber> {
        let (year, week) = name.split_once("-W")?;
        let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(year, 4) || !digits(week, 2) {
            return None;
        }
        let number = WeekNumber {
            year: year.parse().ok()?,
            week: week.parse().ok()?,
        };
        ISOWeekDate::new(number.year, number.week, Weekday::Monday).ok()?;
        Some(number)
    }

    /// The week that holds `date`.
    pub fn of(date: Date) -> WeekNumber {
        let iso = date.iso_week_date();
        WeekNumber {
            year: iso.year(),
            week: iso.week(),
        }
    }

    /// Its Monday.
    pub fn monday(self) -> Date {
        ISOWeekDate::new(self.year, self.week, Weekday::Monday)
            .map(|d| d.date())
            .unwrap_or_default()
    }

    /// Its Sunday.
    pub fn sunday(self) -> Date {
        self.monday()
            .checked_add(6.days())
            .unwrap_or_else(|_| self.monday())
    }

    /// The week after this one.
    pub fn next(self) -> WeekNumber {
        WeekNumber::of(self.monday().checked_add(7.days()).unwrap_or(self.monday()))
    }

    /// `2025-W27`.
    pub fn name(self) -> String {
        format!("{:04}-W{:02}", self.year, self.week)
    }

    pub fn holds(self, date: Date) -> bool {
        (self.monday()..=self.sunday()).contains(&date)
    }
}

/// When an item starts or ends: a day (an all-day item) or a time of day.
#[derive(Debug, Clone, PartialEq)]
pub enum When {
    Day(Date),
    At(Zoned),
}

impl When {
    pub fn date(&self) -> Date {
        match self {
            When::Day(d) => *d,
            When::At(z) => z.date(),
        }
    }

    /// Its instant, or for a day its first instant, in `tz`.
    pub fn instant(&self, tz: &TimeZone) -> jiff::Timestamp {
        match self {
            When::Day(d) => d
                .to_zoned(tz.clone())
                .map(|z| z.timestamp())
                .unwrap_or_default(),
            When::At(z) => z.timestamp(),
        }
    }
}

/// One engagement of the week, as its file says it.
#[derive(Debug, Clone, PartialEq)]
pub struct ScheduleItem {
    pub start: When,
    /// Of the same kind as `start`: a day (the last day, included) for an
    /// all-day item, else a time.
    pub end: Option<When>,
    /// Who leads it (chủ trì), one or more names.
    pub who: Vec<String>,
    /// What it is (nội dung).
    pub what: String,
    /// Where (địa điểm).
    pub place: Option<String>,
    /// Who takes part (thành phần).
    pub with: Option<String>,
    /// Which office prepares it (đơn vị chuẩn bị).
    pub prepares: Option<String>,
    /// The plan changed since first published ("điều chỉnh").
    pub changed: bool,
    /// Pins the item's calendar UID, whatever else changes.
    pub id: Option<String>,
    /// The file line the item starts on.
    pub line: u32,
}

/// A week file as read.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceWeek {
    /// Relative to content/: `lich-cong-tac/2025-W27.yaml`.
    pub source: String,
    pub week: WeekNumber,
    pub note: Option<String>,
    /// In the order written.
    pub items: Vec<ScheduleItem>,
    /// Items left out, not filled in yet (a day of `bantin new --week` with
    /// neither `who` nor `what`).
    pub warnings: Vec<Diagnostic>,
}

/// Whether `rel` (relative to content/) is a week of the schedule: a YAML file
/// under `lich-cong-tac/`, whatever its name (a badly named one is reported).
pub fn is_week_file(rel: &str) -> bool {
    let lower = rel.to_ascii_lowercase();
    lower.starts_with("lich-cong-tac/") && (lower.ends_with(".yaml") || lower.ends_with(".yml"))
}

/// Reads one week file. `source` is its path relative to content/.
pub fn parse_week(
    source: &str,
    bytes: &[u8],
    tz: &TimeZone,
) -> Result<SourceWeek, Vec<Diagnostic>> {
    let path = super::sources::display_path(source);
    let file_name = source.rsplit('/').next().unwrap_or(source);
    // `.yaml`, `.yml`, `.YAML`: the ending apart from the week.
    let (stem, ending) = file_name
        .rsplit_once('.')
        .filter(|(_, e)| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"))
        .unwrap_or((file_name, ""));
    let Some(week) = WeekNumber::parse(stem).filter(|_| ending == "yaml") else {
        return Err(vec![match WeekNumber::parse(stem) {
            Some(week) => Diagnostic::error(
                &path,
                format!("the file's name ends in `.{ending}`, and a week's file in `.yaml`"),
            )
            .with_hint(format!("rename it {}.yaml", week.name())),
            None => misnamed(&path, stem),
        }]);
    };
    if bytes.is_empty() {
        return Err(vec![
            Diagnostic::error(&path, "the file is empty (0 bytes)")
                .at(1, 1)
                .with_hint(SKELETON),
        ]);
    }
    let text = super::front_matter::decode_file(&path, bytes)?;
    if text.trim().is_empty() {
        return Err(vec![
            Diagnostic::error(&path, "the file has no items")
                .at(1, 1)
                .with_hint(SKELETON),
        ]);
    }
    let read = match plain_week(&text) {
        Some(read) => Ok(read),
        None => read_yaml(&text),
    };
    let read = read.map_err(|err| {
        let at = err
            .location()
            .map(|l| location(&l))
            .unwrap_or(Location { line: 1, column: 1 });
        let message = first_line(&err.without_snippet().to_string());
        vec![
            Diagnostic::error(&path, format!("the file is not valid YAML: {message}"))
                .at(at.line, at.column)
                .with_hint(
                    "each item starts with `- ` under `items:`, its fields indented below it; put text containing `:` or `#` in double quotes",
                ),
        ]
    })?;
    let mut reader = Reader {
        path: &path,
        tz,
        week,
        problems: Vec::new(),
        warnings: Vec::new(),
        items_read: 0,
        outside: Vec::new(),
    };
    let mut note = None;
    for field in &read.fields {
        match field.key.as_str() {
            "note" => note = reader.optional_text(field),
            _ => reader
                .problems
                .push(yaml::unknown_field(&path, field, WEEK_FIELDS, 1)),
        }
    }
    let items = match read.items {
        Some(list) => list
            .items
            .iter()
            .filter_map(|item| reader.item(item))
            .collect(),
        None => {
            reader.problems.push(
                Diagnostic::error(&path, "the file has no `items:` list")
                    .at(1, 1)
                    .with_hint(format!("{SKELETON}\na week without engagements (a holiday) has `items: []` and says why in `note:`")),
            );
            Vec::new()
        }
    };
    reader.misnamed_for(stem);
    if !reader.problems.is_empty() {
        return Err(reader.problems);
    }
    let mut warnings = reader.warnings;
    warnings.extend(clashes(&path, &items));
    Ok(SourceWeek {
        source: source.to_string(),
        week,
        note,
        items,
        warnings,
    })
}

/// Warnings for a leader in two items at the same time, at the later item's
/// line: a time mistyped or an item copied and not changed, which readers
/// would take as the plan. All-day items are left alone (a day of visits
/// around a meeting is usual).
fn clashes(path: &str, items: &[ScheduleItem]) -> Vec<Diagnostic> {
    let span = |item: &ScheduleItem| match (&item.start, &item.end) {
        (When::At(start), Some(When::At(end))) => Some((start.clone(), end.clone())),
        (When::At(start), _) => Some((start.clone(), start.clone())),
        (When::Day(_), _) => None,
    };
    let same_leader = |a: &ScheduleItem, b: &ScheduleItem| {
        let lower = |who: &str| who.trim().to_lowercase();
        a.who
            .iter()
            .find(|x| b.who.iter().any(|y| lower(x) == lower(y)))
            .cloned()
    };
    let mut warnings = Vec::new();
    for (j, later) in items.iter().enumerate() {
        let Some((start, end)) = span(later) else {
            continue;
        };
        let clash = items[..j].iter().find_map(|earlier| {
            let (s, e) = span(earlier)?;
            let overlap = start == s || (start < e && s < end);
            overlap.then(|| Some((earlier, same_leader(earlier, later)?)))?
        });
        if let Some((earlier, who)) = clash {
            warnings.push(
                Diagnostic::warning(
                    path,
                    format!(
                        "{who} leads two items at the same time: this one, {}, and “{}”, {} (line {})",
                        hours(later),
                        earlier.what,
                        hours(earlier),
                        earlier.line
                    ),
                )
                .at(later.line, 1)
                .with_hint("correct the time of one of them, or who leads it (`who:`): readers take the schedule as the plan"),
            );
        }
    }
    warnings
}

/// `07:30–09:00 on 30/06/2025`, or `07:30 on 30/06/2025` for an item
/// without an end.
fn hours(item: &ScheduleItem) -> String {
    let time = |when: &When| match when {
        When::At(z) => z.strftime("%H:%M").to_string(),
        When::Day(_) => String::new(),
    };
    let day = item.start.date().strftime("%d/%m/%Y");
    match &item.end {
        Some(end) if end.date() == item.start.date() => {
            format!("{}–{} on {day}", time(&item.start), time(end))
        }
        Some(end) => format!(
            "from {} on {day} to {} on {}",
            time(&item.start),
            time(end),
            end.date().strftime("%d/%m/%Y")
        ),
        None => format!("{} on {day}", time(&item.start)),
    }
}

/// The error for a file whose name is not an ISO week.
fn misnamed(path: &str, stem: &str) -> Diagnostic {
    if let Some(last) = last_week_before_53(stem) {
        let next = last.next();
        return Diagnostic::error(
            path,
            format!(
                "`{stem}` is not a week: {} has {} weeks in ISO 8601, the last ending on Sunday {}",
                last.year,
                last.week,
                last.sunday().strftime("%d/%m/%Y")
            ),
        )
        .with_hint(format!(
            "the days from Monday {} on are the week {}: name the file {}.yaml",
            next.monday().strftime("%d/%m/%Y"),
            next.name(),
            next.name()
        ));
    }
    let example = near_week(stem).unwrap_or(WeekNumber {
        year: 2025,
        week: 27,
    });
    Diagnostic::error(
        path,
        format!("`{stem}` is not the name of a week: a week's file is named after its ISO week, like `{}.yaml`", example.name()),
    )
    .with_hint(format!(
        "name it <year>-W<week>.yaml, the week numbered as in ISO 8601 (Monday to Sunday): {}.yaml is the week from {} to {}",
        example.name(),
        example.monday().strftime("%d/%m/%Y"),
        example.sunday().strftime("%d/%m/%Y"),
    ))
}

/// For `2025-W53`, of a year with 52 ISO weeks: the year's last week.
fn last_week_before_53(stem: &str) -> Option<WeekNumber> {
    let year: i16 = stem.strip_suffix("-W53")?.parse().ok()?;
    let last = WeekNumber::of(Date::new(year, 12, 28).ok()?);
    (last.week == 52).then_some(last)
}

/// The week a misnamed file probably means: `2025-27`, `2025-w27`, or a date in it.
fn near_week(stem: &str) -> Option<WeekNumber> {
    let upper = stem.to_ascii_uppercase();
    if let Some(w) = WeekNumber::parse(&upper) {
        return Some(w);
    }
    if let Some((y, w)) = upper.split_once('-')
        && let (Ok(year), Ok(week)) = (y.parse::<i16>(), w.trim_start_matches('W').parse::<i8>())
        && let Some(found) = WeekNumber::parse(&format!("{year:04}-W{week:02}"))
    {
        return Some(found);
    }
    stem.parse::<Date>().ok().map(WeekNumber::of)
}

fn first_line(rendered: &str) -> String {
    let first = rendered.lines().next().unwrap_or(rendered);
    let first = first.strip_prefix("error: ").unwrap_or(first);
    let message = match first.strip_prefix("line ") {
        Some(rest) => rest.split_once(": ").map_or(rest, |(_, m)| m),
        None => first,
    };
    message
        .rsplit_once(" at line ")
        .map_or(message, |(m, _)| m)
        .to_string()
}

/// The file's top-level fields, `items` apart.
struct WeekYaml {
    fields: Vec<Field>,
    items: Option<ItemList>,
}

/// The `items:` list, each item's fields with their places.
struct ItemList {
    items: Vec<Item>,
}

/// An item of the list: where it starts, and its fields.
struct Item {
    at: Location,
    fields: Vec<Field>,
}

/// Reads the week in `text` with serde-saphyr: anything YAML, and its syntax
/// errors.
fn read_yaml(text: &str) -> Result<WeekYaml, serde_saphyr::Error> {
    serde_saphyr::from_str::<WeekYaml>(text)
}

/// Reads the week files most are, as `bantin new --week` writes them, without
/// the YAML parser, which costs more than all the rest of reading a week:
/// top-level `key: value` lines and `items:` alone, each item a
/// `  - key: value` line and `    key: value` lines below it, each value as
/// [`yaml::plain_value`] reads it or a date and a time (`2025-06-30 07:30`);
/// blank lines and whole-line comments. `None` for anything else (the parser
/// reads that, and reports what is wrong). The fields are those the parser
/// would give, places included.
fn plain_week(text: &str) -> Option<WeekYaml> {
    // Far from the parser's limits, as for front matter.
    if text.len() > 1024 * 1024 {
        return None;
    }
    let value = |text: &str| match is_date_time(text) {
        true => Some(Value::from(text)),
        false => yaml::plain_value(text),
    };
    let mut week = WeekYaml {
        fields: Vec::new(),
        items: None,
    };
    // The item being read, while its lines go on.
    let mut item: Option<Item> = None;
    // Whether lines of `items:` may come (until the next top-level field).
    let mut in_items = false;
    for (line, text) in (1u32..).zip(text.split('\n')) {
        if text.is_empty() || text.starts_with('#') {
            continue;
        }
        let list = week.items.as_mut().filter(|_| in_items);
        if let (Some(list), Some(first)) = (list, text.strip_prefix("  - ")) {
            list.items.extend(item.take());
            let at = Location { line, column: 5 };
            item = Some(Item {
                at,
                fields: vec![yaml::plain_field(first, at, value)?],
            });
        } else if let (Some(item), Some(next)) = (item.as_mut(), text.strip_prefix("    ")) {
            let field = yaml::plain_field(next, Location { line, column: 5 }, value)?;
            if item.fields.iter().any(|f| f.key == field.key) {
                return None;
            }
            item.fields.push(field);
        } else {
            // A top-level field, after the items or before them.
            if let Some(list) = week.items.as_mut() {
                list.items.extend(item.take());
                // `items:` with no item is left to the parser.
                if list.items.is_empty() {
                    return None;
                }
            }
            let known = |key: &str| week.fields.iter().any(|f| f.key == key);
            in_items = text == "items:" && week.items.is_none() && !known("items");
            if in_items {
                week.items = Some(ItemList { items: Vec::new() });
                continue;
            }
            let field = yaml::plain_field(text, Location { line, column: 1 }, value)?;
            if field.key == "items" || known(&field.key) {
                return None;
            }
            week.fields.push(field);
        }
    }
    if let Some(list) = week.items.as_mut() {
        list.items.extend(item.take());
        if list.items.is_empty() {
            return None;
        }
    }
    Some(week)
}

/// `2025-06-30 07:30` or `2025-06-30 07:30:00`: text to the parser, read as
/// a date and time later.
fn is_date_time(text: &str) -> bool {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let Some((day, time)) = text.split_once(' ') else {
        return false;
    };
    let mut ymd = day.split('-');
    let day_ok = matches!(
        (ymd.next(), ymd.next(), ymd.next(), ymd.next()),
        (Some(y), Some(m), Some(d), None) if y.len() == 4 && m.len() == 2 && d.len() == 2 && digits(y) && digits(m) && digits(d)
    );
    let parts: Vec<&str> = time.split(':').collect();
    let time_ok = (2..=3).contains(&parts.len()) && parts.iter().all(|p| p.len() == 2 && digits(p));
    day_ok && time_ok
}

impl<'de> Deserialize<'de> for WeekYaml {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = WeekYaml;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("fields written as `name: value` (`note:` and `items:`)")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<WeekYaml, A::Error> {
                let mut week = WeekYaml {
                    fields: Vec::new(),
                    items: None,
                };
                while let Some(key) = map.next_key::<Spanned<String>>()? {
                    if key.value == "items" {
                        week.items = Some(map.next_value::<ItemList>()?);
                        continue;
                    }
                    week.fields.push(yaml::field(key, map.next_value()?));
                }
                Ok(week)
            }
        }
        deserializer.deserialize_map(V)
    }
}

impl<'de> Deserialize<'de> for ItemList {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = ItemList;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a list of items, each starting with `- start:`")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<ItemList, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element::<Spanned<Mapping>>()? {
                    items.push(Item {
                        at: location(&item.referenced),
                        fields: item.value.0,
                    });
                }
                Ok(ItemList { items })
            }
            // `items:` with nothing after it: a week with no engagements.
            fn visit_unit<E>(self) -> Result<ItemList, E> {
                Ok(ItemList { items: Vec::new() })
            }
            fn visit_none<E>(self) -> Result<ItemList, E> {
                Ok(ItemList { items: Vec::new() })
            }
        }
        // Any: `items:` with nothing after it is null, not a list.
        deserializer.deserialize_any(V)
    }
}

struct Reader<'a> {
    path: &'a str,
    tz: &'a TimeZone,
    week: WeekNumber,
    problems: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
    /// The items read (not blank), and of those the ones outside the week:
    /// the week each is in, and its problem's index in `problems`.
    items_read: usize,
    outside: Vec<(WeekNumber, usize)>,
}

impl Reader<'_> {
    /// When every item of the file is in one other week, the file is named
    /// for the wrong week (copied from last week's and not renamed, or the
    /// week miscounted): one error saying so, at the first item, in place of
    /// one an item.
    fn misnamed_for(&mut self, stem: &str) {
        let Some(&(week, first)) = self.outside.first() else {
            return;
        };
        if self.outside.len() < 2
            || self.outside.len() != self.items_read
            || self.outside.iter().any(|(w, _)| *w != week)
        {
            return;
        }
        let (line, column) = (self.problems[first].line, self.problems[first].column);
        let outside: Vec<usize> = self.outside.iter().map(|(_, i)| *i).collect();
        self.problems = std::mem::take(&mut self.problems)
            .into_iter()
            .enumerate()
            .filter(|(i, _)| !outside.contains(i))
            .map(|(_, problem)| problem)
            .collect();
        let mut problem = Diagnostic::error(
            self.path,
            format!(
                "every item of this file is in the week {} ({} to {}), but the file is named for the week {} ({} to {})",
                week.name(),
                week.monday().strftime("%d/%m/%Y"),
                week.sunday().strftime("%d/%m/%Y"),
                stem,
                self.week.monday().strftime("%d/%m/%Y"),
                self.week.sunday().strftime("%d/%m/%Y"),
            ),
        )
        .with_hint(format!(
            "rename the file {}.yaml, or correct the dates of its items",
            week.name()
        ));
        if let (Some(line), Some(column)) = (line, column) {
            problem = problem.at(line, column);
        }
        self.problems.insert(0, problem);
    }

    fn problem(&mut self, at: Location, message: String, hint: impl Into<String>) {
        self.problems.push(
            Diagnostic::error(self.path, message)
                .at(at.line, at.column)
                .with_hint(hint),
        );
    }

    fn item(&mut self, item: &Item) -> Option<ScheduleItem> {
        let at = item.at;
        if is_blank(&item.fields) {
            self.warnings.push(
                Diagnostic::warning(
                    self.path,
                    "this item is not filled in: it is left out of the schedule",
                )
                .at(at.line, at.column)
                .with_hint(
                    "write who leads it (`who:`) and what it is (`what:`), or delete the item",
                ),
            );
            return None;
        }
        self.items_read += 1;
        let before = self.problems.len();
        let (mut start, mut end, mut who, mut what) = (None, None, None, None);
        let mut found = ScheduleItem {
            start: When::Day(Date::default()),
            end: None,
            who: Vec::new(),
            what: String::new(),
            place: None,
            with: None,
            prepares: None,
            changed: false,
            id: None,
            line: at.line,
        };
        for field in &item.fields {
            match field.key.as_str() {
                "start" => start = self.when(field).map(|w| (w, field.value_at)),
                "end" => end = Some(field),
                "who" => who = self.who(field),
                "what" => what = self.required_text(field),
                "where" => found.place = self.optional_text(field),
                "with" => found.with = self.optional_text(field),
                "prepares" => found.prepares = self.optional_text(field),
                "id" => found.id = self.optional_text(field),
                "changed" => match field.value {
                    Value::Bool(b) => found.changed = b,
                    Value::Null => {}
                    _ => self.problem(
                        field.value_at,
                        format!(
                            "`changed` should be true or false, not {}",
                            yaml::describe(&field.value)
                        ),
                        "write `changed: true` on an item whose plan changed",
                    ),
                },
                _ => {
                    let mut problem = yaml::unknown_field(self.path, field, ITEM_FIELDS, 1);
                    if let Some(known) = named_in_vietnamese(&field.key, ITEM_NAMES) {
                        problem.hint = Some(format!(
                            "did you mean `{known}`? (the fields have English names: `{}` is `{known}`)",
                            field.key
                        ));
                    }
                    self.problems.push(problem);
                }
            }
        }
        let has = |name: &str| item.fields.iter().any(|f| f.key == name);
        for (name, hint) in [
            (
                "start",
                "add `start: 2025-06-30 07:30` (a date alone for an all-day item)",
            ),
            (
                "who",
                "add `who: \"Chủ tịch UBND phường\"`, or a list of names",
            ),
            ("what", "add `what: \"Họp giao ban đầu tuần\"`"),
        ] {
            if !has(name) {
                self.problem(at, format!("this item has no `{name}`"), hint);
            }
        }
        if let Some((start, start_at)) = &start {
            if !self.week.holds(start.date()) {
                let belongs = WeekNumber::of(start.date());
                self.outside.push((belongs, self.problems.len()));
                self.problem(
                    *start_at,
                    format!(
                        "this item is on {}, outside the week {} ({} to {})",
                        start.date().strftime("%d/%m/%Y"),
                        self.week.name(),
                        self.week.monday().strftime("%d/%m/%Y"),
                        self.week.sunday().strftime("%d/%m/%Y"),
                    ),
                    format!("move it to {}.yaml, or correct its date", belongs.name()),
                );
            }
            if let Some(field) = end {
                found.end = self.end(field, start);
            }
        }
        if self.problems.len() > before {
            return None;
        }
        found.start = start?.0;
        found.who = who?;
        found.what = what?;
        Some(found)
    }

    /// A start or end: a date alone (an all-day item) or a date and time.
    fn when(&mut self, field: &Field) -> Option<When> {
        let Some(text) = scalar_text(&field.value) else {
            self.problem(
                field.value_at,
                format!(
                    "`{}` should be a date, not {}",
                    field.key,
                    yaml::describe(&field.value)
                ),
                DATE_FORMS,
            );
            return None;
        };
        match read_date(&text, self.tz) {
            Ok(read) if read.has_time => Some(When::At(read.at)),
            Ok(read) => Some(When::Day(read.at.date())),
            Err(e) => {
                self.problem(field.value_at, e, DATE_FORMS);
                None
            }
        }
    }

    /// `end`: of the kind of `start`; a time alone (`09:00`) is on the start's day.
    fn end(&mut self, field: &Field, start: &When) -> Option<When> {
        let text = scalar_text(&field.value);
        let time_alone = match text.as_deref().and_then(time_alone) {
            Some(Ok(time)) => Some(time),
            Some(Err(e)) => {
                self.problem(field.value_at, e, DATE_FORMS);
                return None;
            }
            None => None,
        };
        let end = match (time_alone, start) {
            (Some(time), When::At(s)) => {
                match s.date().to_datetime(time).to_zoned(self.tz.clone()) {
                    Ok(z) => When::At(z),
                    Err(e) => {
                        self.problem(field.value_at, e.to_string(), DATE_FORMS);
                        return None;
                    }
                }
            }
            _ => self.when(field)?,
        };
        let ends_before = match (start, &end) {
            (When::Day(s), When::Day(e)) => e < s,
            (When::At(s), When::At(e)) => e.timestamp() < s.timestamp(),
            (When::Day(_), When::At(_)) => {
                self.problem(
                    field.value_at,
                    "the item starts on a day without a time, but ends at a time".to_string(),
                    "give `start` its time too (`2025-06-30 07:30`), or `end` as a date alone for an item of several days",
                );
                return None;
            }
            (When::At(_), When::Day(_)) => {
                self.problem(
                    field.value_at,
                    "the item starts at a time, but `end` is a date without a time".to_string(),
                    "write the time it ends (`end: 2025-06-30 11:00`, or `end: \"11:00\"` the same day)",
                );
                return None;
            }
        };
        if ends_before {
            self.problem(
                field.value_at,
                "the item ends before it starts".to_string(),
                "correct `end` (or `start`): the end comes after the start",
            );
            return None;
        }
        Some(end)
    }

    fn who(&mut self, field: &Field) -> Option<Vec<String>> {
        let names: Vec<String> = match &field.value {
            Value::Array(list) => {
                let mut names = Vec::new();
                for v in list {
                    match scalar_text(v) {
                        Some(name) if !name.is_empty() => names.push(name),
                        _ => {
                            self.problem(
                                field.value_at,
                                "each name in `who` should be text, and not empty".to_string(),
                                "write `who: [\"Chủ tịch UBND phường\", \"Phó Chủ tịch UBND phường\"]`",
                            );
                            return None;
                        }
                    }
                }
                names
            }
            v => scalar_text(v)
                .filter(|t| !t.is_empty())
                .into_iter()
                .collect(),
        };
        // `"Chủ tịch; Phó Chủ tịch"`: the page shows several leaders so, and
        // each leader's calendar must hold the item.
        let names: Vec<String> = names
            .iter()
            .flat_map(|name| name.split(';'))
            .map(|name| name.trim().to_string())
            .filter(|name| !name.is_empty())
            .collect();
        if names.is_empty() {
            self.problem(
                field.value_at,
                "`who` names no leader".to_string(),
                "name who leads the item (chủ trì): `who: \"Chủ tịch UBND phường\"`, or a list of names",
            );
            return None;
        }
        Some(names)
    }

    fn required_text(&mut self, field: &Field) -> Option<String> {
        match scalar_text(&field.value) {
            Some(t) if !t.is_empty() => Some(t),
            _ => {
                self.problem(
                    field.value_at,
                    format!("`{}` should be text, and not empty", field.key),
                    "write the text after the colon, in double quotes",
                );
                None
            }
        }
    }

    fn optional_text(&mut self, field: &Field) -> Option<String> {
        if field.value.is_null() {
            return None;
        }
        match scalar_text(&field.value) {
            Some(t) if t.is_empty() => None,
            Some(t) => Some(t),
            None => {
                self.problem(
                    field.value_at,
                    format!(
                        "`{}` should be text, not {}",
                        field.key,
                        yaml::describe(&field.value)
                    ),
                    "write the text in double quotes on the same line",
                );
                None
            }
        }
    }
}

/// A time of day alone: `09:00`, `09:00:00`, `11h30`, `16 giờ`.
fn time_alone(text: &str) -> Option<Result<Time, String>> {
    let text = text.trim();
    match text.parse::<Time>() {
        Ok(time) if text.len() <= 8 => Some(Ok(time)),
        _ => time_of_day(text),
    }
}

/// An item as `bantin new --week` writes it, not filled in: no `who` and no
/// `what`, or both empty.
fn is_blank(fields: &[Field]) -> bool {
    let empty = |name: &str| {
        fields.iter().find(|f| f.key == name).is_none_or(|f| {
            scalar_text(&f.value).is_some_and(|t| t.is_empty()) || f.value.is_null()
        })
    };
    empty("who") && empty("what")
}

/// Text, or a number written as text (`where: 101`), trimmed.
fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The file of a week, to be filled in (`bantin new --week`): the five working
/// days with a morning item each, ready to copy and fill.
pub fn blank_week(week: WeekNumber) -> String {
    let mut text = format!(
        "# Lịch công tác tuần {} ({} - {}).\n# Mỗi mục: start (bắt đầu), end (kết thúc, có thể bỏ), who (chủ trì), what (nội dung),\n# where (địa điểm), with (thành phần), prepares (đơn vị chuẩn bị), changed: true khi lịch điều chỉnh.\n# Xóa các mục không dùng. Một ngày không có giờ là việc cả ngày.\nnote: \"Lịch có thể thay đổi; xem bản mới nhất trên cổng thông tin.\"\nitems:\n",
        week.name(),
        week.monday().strftime("%d/%m/%Y"),
        week.sunday().strftime("%d/%m/%Y"),
    );
    let mut day = week.monday();
    for _ in 0..5 {
        text.push_str(&format!(
            "  - start: {} 07:30\n    end: \"09:00\"\n    who: \"\"\n    what: \"\"\n    where: \"\"\n    with: \"\"\n    prepares: \"\"\n",
            day.strftime("%Y-%m-%d")
        ));
        day = day.tomorrow().unwrap_or(day);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vn() -> TimeZone {
        TimeZone::fixed(jiff::tz::offset(7))
    }

    const WEEK: &str = "note: \"Lịch có thể thay đổi\"\nitems:\n  - start: 2025-06-30 07:30\n    end: 2025-06-30 09:00\n    who: [\"Chủ tịch UBND phường\"]\n    what: \"Họp giao ban\"\n    where: \"Phòng họp số 1\"\n  - start: 2025-07-02\n    who: \"Phó Chủ tịch\"\n    what: \"Tiếp công dân\"\n    changed: true\n";

    fn read(text: &str) -> Result<SourceWeek, Vec<Diagnostic>> {
        parse_week("lich-cong-tac/2025-W27.yaml", text.as_bytes(), &vn())
    }

    #[test]
    fn reads_items_and_their_kinds() {
        let week = read(WEEK).unwrap();
        assert_eq!(
            week.week,
            WeekNumber {
                year: 2025,
                week: 27
            }
        );
        assert_eq!(week.items.len(), 2);
        assert!(matches!(week.items[0].start, When::At(_)));
        assert_eq!(
            week.items[1].start,
            When::Day(jiff::civil::date(2025, 7, 2))
        );
        assert_eq!(week.items[1].who, ["Phó Chủ tịch"]);
        assert!(week.items[1].changed);
        assert_eq!(week.items[1].line, 8);
    }

    #[test]
    fn week_names() {
        assert_eq!(
            WeekNumber::parse("2025-W27").unwrap().monday(),
            jiff::civil::date(2025, 6, 30)
        );
        assert_eq!(
            WeekNumber::parse("2020-W53").unwrap().sunday(),
            jiff::civil::date(2021, 1, 3)
        );
        for bad in [
            "2025-W54", "2021-W53", "2025-27", "2025-w27", "2025-W7", "tuan-27",
        ] {
            assert!(WeekNumber::parse(bad).is_none(), "{bad}");
        }
        assert_eq!(
            WeekNumber::of(jiff::civil::date(2025, 12, 29)).name(),
            "2026-W01"
        );
    }

    #[test]
    fn a_time_alone_ends_on_the_start_day() {
        let text = WEEK.replace("end: 2025-06-30 09:00", "end: \"09:00\"");
        let week = read(&text).unwrap();
        let When::At(end) = week.items[0].end.clone().unwrap() else {
            panic!()
        };
        assert_eq!((end.day(), end.hour()), (30, 9));
    }

    /// Both readers' weeks are the same, field by field, places included.
    fn same_week(a: &WeekYaml, b: &WeekYaml) -> bool {
        let same_fields = |a: &[Field], b: &[Field]| {
            a.len() == b.len()
                && a.iter().zip(b).all(|(a, b)| {
                    (&a.key, a.key_at, &a.value, a.value_at)
                        == (&b.key, b.key_at, &b.value, b.value_at)
                })
        };
        let same_items = match (&a.items, &b.items) {
            (Some(a), Some(b)) => {
                a.items.len() == b.items.len()
                    && a.items
                        .iter()
                        .zip(&b.items)
                        .all(|(a, b)| a.at == b.at && same_fields(&a.fields, &b.fields))
            }
            (None, None) => true,
            _ => false,
        };
        same_fields(&a.fields, &b.fields) && same_items
    }

    #[test]
    fn plain_weeks_read_as_the_parser_reads_them() {
        let filled = blank_week(WeekNumber::parse("2025-W27").unwrap())
            .replace("who: \"\"", "who: [\"Chủ tịch\", \"Phó Chủ tịch\"]");
        for text in [WEEK, filled.as_str(), "note: \"a\"\n"] {
            let plain = plain_week(text).expect(text);
            let parsed = read_yaml(text).unwrap();
            assert!(same_week(&plain, &parsed), "{text}");
        }
        for text in [
            "items:\n",
            "items:\nnote: \"a\"\n",
            "items:\n  - start: 2025-06-30\n  -\n",
            "items:\n  - start: 2025-06-30 7:30\n",
            "items:\n  - start: 2025-06-30\n    start: 2025-07-01\n",
            "items:\n  - start: 2025-06-30\n     who: \"a\"\n",
            "items:\n- start: 2025-06-30\n",
            "items:\n  - start: 2025-06-30 # sáng\n",
            "items:\nnote: \"a\"\n  - start: 2025-06-30\n",
            "items: []\n",
            "items:\nitems:\n",
            "  - start: 2025-06-30\nitems:\n",
            "items:\r\n  - start: 2025-06-30\r\n",
        ] {
            assert!(plain_week(text).is_none(), "{text:?}");
        }
    }

    proptest::proptest! {
        /// Whatever the plain reader accepts, the parser reads the same.
        #[test]
        fn plain_week_reader_agrees_with_the_parser(
            note in proptest::option::of("\"[a-zA-Z :#,ưđạ-]{0,10}\""),
            items in proptest::collection::vec(
                proptest::collection::vec(
                    (
                        "start|end|who|what|where|changed|id|[a-z_]{1,6}",
                        proptest::prop_oneof![
                            "\"[a-zA-Z0-9 :#'\\[\\]{},&*!|>%@`ưđạệ-]{0,12}\"",
                            "\\[(\"[a-z ,ạ]{0,5}\"(, )?){0,3}\\]",
                            "[0-9]{4}-[0-9]{2}-[0-9]{2}( [0-9]{1,2}:[0-9]{2}(:[0-9]{2})?)?",
                            "[0-9]{1,20}",
                            "[a-z0-9]{1,4}(-[a-z0-9]{1,4}){0,2}",
                            "true|false|yes|null|~",
                        ],
                        "    |   |     ",
                    ),
                    1..5,
                ),
                0..4,
            ),
            note_after in proptest::bool::ANY,
        ) {
            let mut text = String::from("# Lịch công tác\n");
            if let (Some(note), false) = (&note, note_after) {
                text.push_str(&format!("note: {note}\n"));
            }
            text.push_str("items:\n");
            for fields in &items {
                for (n, (key, value, indent)) in fields.iter().enumerate() {
                    let lead = if n == 0 { "  - " } else { indent.as_str() };
                    text.push_str(&format!("{lead}{key}: {value}\n"));
                }
            }
            if let (Some(note), true) = (&note, note_after) {
                text.push_str(&format!("\nnote: {note}\n"));
            }
            if let Some(plain) = plain_week(&text) {
                let parsed = read_yaml(&text).map_err(|e| e.to_string());
                proptest::prop_assert!(parsed.is_ok(), "{:?}: {:?}", text, parsed.err());
                proptest::prop_assert!(same_week(&plain, &parsed.unwrap()), "{:?}", text);
            }
        }
    }

    /// `WEEK` with `item` written before its second item, at line 8.
    fn with_item_at_line_8(item: &str) -> String {
        WEEK.replace(
            "  - start: 2025-07-02\n",
            &format!("{item}  - start: 2025-07-02\n"),
        )
    }

    #[test]
    fn a_dash_alone_is_a_yaml_error_at_it() {
        for (empty, column) in [("  -\n", 4), ("  - \n", 5), ("  - ~\n", 5)] {
            let problems = read(&with_item_at_line_8(empty)).unwrap_err();
            assert_eq!(problems.len(), 1, "{empty:?}: {problems:?}");
            let problem = &problems[0];
            assert_eq!(
                (problem.line, problem.column),
                (Some(8), Some(column)),
                "{empty:?}"
            );
            assert_eq!(
                problem.message,
                "the file is not valid YAML: expected mapping start"
            );
        }
    }

    #[test]
    fn an_item_without_fields_is_left_out_with_a_warning() {
        let week = read(&with_item_at_line_8("  - {}\n")).unwrap();
        assert_eq!(week.items.len(), 2);
        assert_eq!(week.warnings.len(), 1);
        let warning = &week.warnings[0];
        assert_eq!((warning.line, warning.column), (Some(8), Some(5)));
        assert!(warning.message.contains("not filled in"), "{warning:?}");
    }

    #[test]
    fn blank_week_reads_back_once_filled() {
        let w = WeekNumber::parse("2025-W27").unwrap();
        let text = blank_week(w)
            .replace("who: \"\"", "who: \"Chủ tịch\"")
            .replace("what: \"\"", "what: \"Họp\"");
        let week = read(&text).unwrap();
        assert_eq!(week.items.len(), 5);
        assert_eq!(week.items[4].start.date(), jiff::civil::date(2025, 7, 4));
    }
}
