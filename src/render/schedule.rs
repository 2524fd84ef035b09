//! What the schedule's templates receive: a week by day with its items ready
//! to print ("Thứ Hai, 30/06/2025", "07:30"), and the list of every week by year.

use jiff::ToSpan;
use jiff::civil::Date;
use serde::Serialize;

use super::context::Views;
use super::format::iso;
use crate::content::week::{ScheduleItem, When};
use crate::fingerprint::{Fingerprint, FingerprintWriter};
use crate::site::schedule::{CALENDAR_PATH, SCHEDULE_PATH, Week};

/// Items at most in the home page's block.
pub const HOME_ITEMS: usize = 12;

#[derive(Serialize)]
pub struct WeekView<'a> {
    /// "Lịch công tác tuần 27/2025".
    pub title: String,
    /// "Từ 30/06/2025 đến 06/07/2025".
    pub range: String,
    pub year: i16,
    pub number: i8,
    pub url: String,
    pub note: Option<&'a str>,
    /// Monday to Friday always; Saturday and Sunday when they have items.
    pub days: Vec<DayView<'a>>,
    /// The week after (`rel="prev"`) and before (`rel="next"`) this one.
    pub newer: Option<WeekLink>,
    pub older: Option<WeekLink>,
    /// Whether it is the week `/lich-cong-tac/` shows.
    pub current: bool,
    /// Whether the build's day is in it: set for the home page's block only,
    /// the one page made again when the day changes. A week page calls its
    /// week "this week" until the reader's clock says it is over.
    pub this_week: bool,
    /// The instant the week is over (next Monday, 00:00 in the site's zone):
    /// a reader's page after it says a newer schedule may exist.
    pub ends_iso: String,
    pub index_url: String,
    pub calendar_url: String,
    /// The leaders named this week, each with their calendar.
    pub leaders: Vec<LeaderLink<'a>>,
    pub item_count: usize,
}

#[derive(Serialize)]
pub struct DayView<'a> {
    /// "Thứ Hai, 30/06/2025".
    pub name: String,
    /// `2025-06-30`.
    pub date_iso: String,
    pub items: Vec<ItemView<'a>>,
}

#[derive(Serialize)]
pub struct ItemView<'a> {
    /// `2025-06-30T07:30:00+07:00`, or `2025-06-30` for an all-day item.
    pub start_iso: String,
    /// "07:30", or "Cả ngày".
    pub time: String,
    pub all_day: bool,
    /// "09:00", or for an item of several days the last day.
    pub end: Option<String>,
    pub end_iso: Option<String>,
    pub who: &'a [String],
    pub what: &'a str,
    pub place: Option<&'a str>,
    pub with: Option<&'a str>,
    pub prepares: Option<&'a str>,
    pub changed: bool,
}

#[derive(Serialize, Clone)]
pub struct WeekLink {
    /// "Tuần 27/2025".
    pub name: String,
    pub range: String,
    pub url: String,
    pub current: bool,
    /// As [`WeekView::ends_iso`].
    pub ends_iso: String,
}

#[derive(Serialize)]
pub struct LeaderLink<'a> {
    pub name: &'a str,
    pub url: String,
}

/// A year of the schedule, its weeks newest first.
#[derive(Serialize)]
pub struct YearView {
    pub year: i16,
    pub weeks: Vec<WeekLink>,
}

/// A [`YearView`] made once for all the pages that show it.
pub struct YearList {
    pub year: i16,
    /// The view as the templates receive it.
    pub view: tera::Value,
    /// The view's fingerprint (`None` if it could not be taken).
    pub print: Option<Fingerprint>,
}

impl<'a> Views<'a> {
    /// Week `w` of the schedule, by day.
    pub fn schedule_week(&self, w: usize) -> WeekView<'a> {
        let schedule = &self.site.schedule;
        let config = &self.site.config;
        let week = &schedule.weeks[w];
        let number = week.number;
        let mut days: Vec<DayView> = Vec::new();
        let mut day = number.monday();
        for offset in 0..7 {
            let items: Vec<ItemView> = week
                .items
                .iter()
                .filter(|item| item.start.date() == day)
                .map(|item| self.schedule_item(item))
                .collect();
            if offset < 5 || !items.is_empty() {
                days.push(DayView {
                    name: self.day_name(day),
                    date_iso: day.to_string(),
                    items,
                });
            }
            day = day.tomorrow().unwrap_or(day);
        }
        let ends = self.week_ends(week);
        let mut named: Vec<usize> = week
            .events
            .iter()
            .flat_map(|e| e.leaders.iter().copied())
            .collect();
        named.sort_unstable();
        named.dedup();
        let mut leaders: Vec<LeaderLink> = named
            .into_iter()
            .map(|l| LeaderLink {
                name: &schedule.leaders[l].name,
                url: config.link(&schedule.leaders[l].calendar),
            })
            .collect();
        leaders.sort_by(|a, b| a.name.cmp(b.name));
        WeekView {
            title: self.week_title(week),
            range: self.week_range(week),
            year: number.year,
            number: number.week,
            url: config.link(&week.url),
            note: week.note.as_deref(),
            days,
            newer: schedule.weeks.get(w + 1).map(|w| self.week_link(w)),
            older: w.checked_sub(1).map(|w| self.week_link(&schedule.weeks[w])),
            current: schedule.current == Some(w),
            this_week: false,
            ends_iso: ends,
            index_url: config.link(SCHEDULE_PATH),
            calendar_url: config.link(CALENDAR_PATH),
            leaders,
            item_count: week.items.len(),
        }
    }

    /// The week `/lich-cong-tac/` and the home page show.
    pub fn current_week(&self) -> Option<WeekView<'a>> {
        self.site.schedule.current.map(|w| self.schedule_week(w))
    }

    /// The home page's block: the current week from the build's day on (the
    /// whole week when the build's day is not in it), at most
    /// [`HOME_ITEMS`] items; the week's page has the rest.
    pub fn home_week(&self) -> Option<WeekView<'a>> {
        let mut week = self.current_week()?;
        let schedule = &self.site.schedule;
        let today = schedule
            .built_at
            .to_zoned(self.site.config.timezone.clone())
            .date();
        let monday = schedule.weeks[schedule.current?].number.monday();
        week.this_week = monday <= today && today < monday.checked_add(7.days()).ok()?;
        if week.this_week {
            let today = today.to_string();
            week.days.retain(|d| d.date_iso >= today);
        }
        let mut room = HOME_ITEMS;
        for day in &mut week.days {
            day.items.truncate(room);
            room -= day.items.len();
        }
        week.days.retain(|d| !d.items.is_empty());
        Some(week)
    }

    /// Every week by year, newest first.
    pub fn schedule_years(&self, only: Option<i16>) -> Vec<YearView> {
        let mut years: Vec<YearView> = Vec::new();
        let weeks = self.site.schedule.weeks.iter().rev();
        for week in weeks.filter(|w| only.is_none_or(|year| w.number.year == year)) {
            let link = self.week_link(week);
            match years.last_mut() {
                Some(year) if year.year == week.number.year => year.weeks.push(link),
                _ => years.push(YearView {
                    year: week.number.year,
                    weeks: vec![link],
                }),
            }
        }
        years
    }

    /// [`Views::schedule_years`] of every year, each ready to be shown.
    pub fn year_lists(&self) -> Vec<YearList> {
        self.schedule_years(None)
            .into_iter()
            .map(|view| {
                let mut print = FingerprintWriter::new();
                let print = print.add_value(&view).ok().map(|()| print.finish());
                YearList {
                    year: view.year,
                    view: tera::Value::from_serializable(&view),
                    print,
                }
            })
            .collect()
    }

    fn week_link(&self, week: &Week) -> WeekLink {
        let schedule = &self.site.schedule;
        WeekLink {
            name: self.fill(
                "schedule_week_short",
                &[
                    ("week", &week.number.week.to_string()),
                    ("year", &week.number.year.to_string()),
                ],
            ),
            range: self.week_range(week),
            url: self.site.config.link(&week.url),
            current: schedule
                .current
                .is_some_and(|c| schedule.weeks[c].number == week.number),
            ends_iso: self.week_ends(week),
        }
    }

    /// The instant `week` is over: the next Monday, 00:00 in the site's zone.
    fn week_ends(&self, week: &Week) -> String {
        week.number
            .monday()
            .checked_add(7.days())
            .ok()
            .and_then(|d| d.to_zoned(self.site.config.timezone.clone()).ok())
            .map(|z| iso(&z))
            .unwrap_or_default()
    }

    fn week_title(&self, week: &Week) -> String {
        self.fill(
            "schedule_week",
            &[
                ("week", &week.number.week.to_string()),
                ("year", &week.number.year.to_string()),
            ],
        )
    }

    fn week_range(&self, week: &Week) -> String {
        self.fill(
            "schedule_range",
            &[
                ("from", &self.short_day(week.number.monday())),
                ("to", &self.short_day(week.number.sunday())),
            ],
        )
    }

    /// The theme's word `key` with each `{name}` replaced.
    fn fill(&self, key: &str, values: &[(&str, &str)]) -> String {
        let mut text = self.locale.word(key).to_string();
        for (name, value) in values {
            text = text.replace(&format!("{{{name}}}"), value);
        }
        text
    }

    /// "Thứ Hai, 30/06/2025".
    fn day_name(&self, day: Date) -> String {
        let weekday = day.weekday().to_monday_zero_offset() as usize;
        format!(
            "{}, {}",
            self.locale.formats.weekdays[weekday],
            self.short_day(day)
        )
    }

    fn short_day(&self, day: Date) -> String {
        match day.to_zoned(jiff::tz::TimeZone::UTC) {
            Ok(z) => self.locale.short_date(&z),
            Err(_) => day.to_string(),
        }
    }

    fn schedule_item(&self, item: &'a ScheduleItem) -> ItemView<'a> {
        let (start_iso, time, all_day) = match &item.start {
            When::Day(d) => (
                d.to_string(),
                self.locale.word("schedule_all_day").to_string(),
                true,
            ),
            When::At(z) => (iso(z), z.strftime("%H:%M").to_string(), false),
        };
        let (end, end_iso) = match &item.end {
            // An all-day item of one day says nothing more.
            Some(When::Day(d)) if *d != item.start.date() => {
                (Some(self.short_day(*d)), Some(d.to_string()))
            }
            Some(When::At(z)) if z.date() == item.start.date() => {
                (Some(z.strftime("%H:%M").to_string()), Some(iso(z)))
            }
            Some(When::At(z)) => (
                Some(format!(
                    "{} {}",
                    z.strftime("%H:%M"),
                    self.short_day(z.date())
                )),
                Some(iso(z)),
            ),
            _ => (None, None),
        };
        ItemView {
            start_iso,
            time,
            all_day,
            end,
            end_iso,
            who: &item.who,
            what: &item.what,
            place: item.place.as_deref(),
            with: item.with.as_deref(),
            prepares: item.prepares.as_deref(),
            changed: item.changed,
        }
    }
}
