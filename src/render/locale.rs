//! The theme's words and formats in the site's language, read from the theme's
//! `languages/<code>.yaml` (`vi.yaml`, `en.yaml`).

use std::collections::BTreeMap;

use jiff::Zoned;
use serde::Deserialize;

use super::format::{has_time_of_day, without_time};
use crate::diagnostics::Diagnostic;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Locale {
    pub formats: Formats,
    pub words: BTreeMap<String, String>,
}

/// Date patterns use strftime codes plus `{weekday}` and `{month}` for names.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Formats {
    pub date_long: String,
    pub date_short: String,
    pub year: String,
    pub month: String,
    pub day: String,
    pub thousands_separator: String,
    /// Monday first.
    pub weekdays: Vec<String>,
    pub weekdays_short: Vec<String>,
    pub months: Vec<String>,
    /// For Open Graph: `vi_VN`.
    pub locale: String,
    /// `date_long` without its time of day, for a date that has none (see
    /// [`super::format::without_time`]); made when the file is read.
    #[serde(skip)]
    pub date_long_day: Option<String>,
}

impl Locale {
    /// Reads a language file; `origin` names it in messages.
    pub fn parse(text: &str, origin: &str) -> Result<Locale, Diagnostic> {
        let mut locale: Locale = serde_saphyr::from_str(text).map_err(|e| {
            let at = e.location().map(|l| (l.line() as u32, l.column() as u32));
            let d = Diagnostic::error(
                origin,
                format!("the language file is not valid: {}", e.without_snippet()),
            );
            match at {
                Some((line, column)) => d.at(line.max(1), column.max(1)),
                None => d,
            }
        })?;
        let f = &locale.formats;
        for (name, list, len) in [
            ("weekdays", &f.weekdays, 7),
            ("weekdays_short", &f.weekdays_short, 7),
            ("months", &f.months, 12),
        ] {
            if list.len() != len {
                return Err(Diagnostic::error(
                    origin,
                    format!(
                        "`formats.{name}` should list {len} names, not {}",
                        list.len()
                    ),
                ));
            }
        }
        let sample: Zoned = "2014-01-17T14:05:00+07:00[+07:00]"
            .parse()
            .expect("a valid date");
        for pattern in [&f.date_long, &f.date_short, &f.year, &f.month, &f.day] {
            if jiff::fmt::strtime::format(locale.expand(pattern, &sample).as_str(), &sample)
                .is_err()
            {
                return Err(Diagnostic::error(
                    origin,
                    format!("`{pattern}` is not a date pattern"),
                )
                .with_hint("use strftime codes such as %d/%m/%Y %H:%M, and {weekday} or {month}"));
            }
        }
        locale.formats.date_long_day = without_time(&locale.formats.date_long);
        Ok(locale)
    }

    /// The theme's word for `key`, or the key itself when the file lacks it.
    pub fn word<'a>(&'a self, key: &'a str) -> &'a str {
        self.words.get(key).map_or(key, String::as_str)
    }

    /// `pattern` with `{weekday}` and `{month}` replaced by their names for `date`.
    fn expand(&self, pattern: &str, date: &Zoned) -> String {
        let escape = |name: &str| name.replace('%', "%%");
        let weekday = date.weekday().to_monday_zero_offset() as usize;
        pattern
            .replace("{weekday}", &escape(&self.formats.weekdays[weekday]))
            .replace(
                "{month}",
                &escape(&self.formats.months[date.month() as usize - 1]),
            )
    }

    fn format(&self, pattern: &str, date: &Zoned) -> String {
        jiff::fmt::strtime::format(self.expand(pattern, date).as_str(), date)
            .unwrap_or_else(|_| super::format::iso(date))
    }

    /// `Thứ Sáu, 17/01/2014 - 14:05` / `Friday, 17 January 2014, 14:05`; a
    /// date without a time of day (`date: 2014-01-17`) as the day alone,
    /// `Thứ Sáu, 17/01/2014`, not "- 00:00".
    pub fn long_date(&self, date: &Zoned) -> String {
        let f = &self.formats;
        match (has_time_of_day(date), &f.date_long_day) {
            (true, _) => self.format(&f.date_long, date),
            (false, Some(day)) => self.format(day, date),
            (false, None) => self.short_date(date),
        }
    }

    /// `17/01/2014` / `17 January 2014`.
    pub fn short_date(&self, date: &Zoned) -> String {
        self.format(&self.formats.date_short, date)
    }

    /// The name of a year, month or day of the archive: `Tháng 01/2014`.
    pub fn period(&self, year: i16, month: i16, day: i16) -> String {
        let date = jiff::civil::date(year, month.max(1) as i8, day.max(1) as i8)
            .to_zoned(jiff::tz::TimeZone::UTC)
            .expect("a day of the archive is a real date");
        let pattern = match (month, day) {
            (0, _) => &self.formats.year,
            (_, 0) => &self.formats.month,
            _ => &self.formats.day,
        };
        self.format(pattern, &date)
    }

    /// `4.351` in Vietnamese, `4,351` in English.
    pub fn count(&self, n: u64) -> String {
        let digits = n.to_string();
        let mut out = String::with_capacity(digits.len() + digits.len() / 3 * 3);
        for (i, d) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push_str(&self.formats.thousands_separator);
            }
            out.push(d);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(code: &str) -> Locale {
        let path = format!(
            "{}/themes/default/languages/{code}.yaml",
            env!("CARGO_MANIFEST_DIR")
        );
        Locale::parse(&std::fs::read_to_string(path).unwrap(), code).unwrap()
    }

    fn date() -> Zoned {
        "2014-01-17T14:05:00+07:00[+07:00]".parse().unwrap()
    }

    #[test]
    fn vietnamese_forms() {
        let vi = load("vi");
        assert_eq!(vi.long_date(&date()), "Thứ Sáu, 17/01/2014 - 14:05");
        assert_eq!(vi.short_date(&date()), "17/01/2014");
        assert_eq!(vi.count(4351), "4.351");
        assert_eq!(vi.count(1234567), "1.234.567");
        assert_eq!(vi.count(12), "12");
        assert_eq!(vi.period(2014, 1, 0), "Tháng 01/2014");
        assert_eq!(vi.period(2014, 1, 7), "Ngày 07/01/2014");
        assert_eq!(vi.period(2014, 0, 0), "Năm 2014");
        assert_eq!(vi.word("home"), "Trang chủ");
    }

    #[test]
    fn english_forms() {
        let en = load("en");
        assert_eq!(en.long_date(&date()), "Friday, 17 January 2014, 14:05");
        assert_eq!(en.count(4351), "4,351");
        assert_eq!(en.period(2014, 1, 0), "January 2014");
        assert_eq!(en.word("home"), "Home");
    }

    #[test]
    fn both_languages_have_the_same_words() {
        let (vi, en) = (load("vi"), load("en"));
        assert_eq!(
            vi.words.keys().collect::<Vec<_>>(),
            en.words.keys().collect::<Vec<_>>()
        );
    }

    #[test]
    fn bad_files_are_reported() {
        let err = Locale::parse("formats: {}\n", "languages/xx.yaml").unwrap_err();
        assert_eq!(err.path, "languages/xx.yaml");
        let text = std::fs::read_to_string(format!(
            "{}/themes/default/languages/vi.yaml",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap()
        .replace("\"%d/%m/%Y\"", "\"%d/%m/%\"");
        assert!(
            Locale::parse(&text, "vi.yaml")
                .unwrap_err()
                .message
                .contains("not a date pattern")
        );
    }
}
