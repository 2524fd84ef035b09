//! Dates and numbers written as readers of the site's language expect them.
//! Done in Rust, once per value, rather than with template filters.

use jiff::Zoned;
use jiff::civil::Weekday;

use crate::config::Language;

/// `2014-01-17T14:05:00+07:00`: the `datetime` of `<time>` and feeds.
pub fn iso(date: &Zoned) -> String {
    date.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

/// `Thứ Sáu, 17/01/2014 - 14:05` / `Friday, 17 January 2014, 14:05`.
pub fn long_date(date: &Zoned, language: Language) -> String {
    match language {
        Language::Vi => format!(
            "{}, {} - {}",
            weekday_vi(date.weekday()),
            date.strftime("%d/%m/%Y"),
            date.strftime("%H:%M")
        ),
        Language::En => date.strftime("%A, %-d %B %Y, %H:%M").to_string(),
    }
}

/// `17/01/2014` / `17 Jan 2014`.
pub fn short_date(date: &Zoned, language: Language) -> String {
    match language {
        Language::Vi => date.strftime("%d/%m/%Y").to_string(),
        Language::En => date.strftime("%-d %b %Y").to_string(),
    }
}

fn weekday_vi(day: Weekday) -> &'static str {
    match day {
        Weekday::Monday => "Thứ Hai",
        Weekday::Tuesday => "Thứ Ba",
        Weekday::Wednesday => "Thứ Tư",
        Weekday::Thursday => "Thứ Năm",
        Weekday::Friday => "Thứ Sáu",
        Weekday::Saturday => "Thứ Bảy",
        Weekday::Sunday => "Chủ Nhật",
    }
}

/// `4.351` in Vietnamese, `4,351` in English.
pub fn count(n: u64, language: Language) -> String {
    let separator = match language {
        Language::Vi => '.',
        Language::En => ',',
    };
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(d);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date() -> Zoned {
        "2014-01-17T14:05:00+07:00[+07:00]".parse().unwrap()
    }

    #[test]
    fn vietnamese_forms() {
        assert_eq!(
            long_date(&date(), Language::Vi),
            "Thứ Sáu, 17/01/2014 - 14:05"
        );
        assert_eq!(short_date(&date(), Language::Vi), "17/01/2014");
        assert_eq!(iso(&date()), "2014-01-17T14:05:00+07:00");
        assert_eq!(count(4351, Language::Vi), "4.351");
        assert_eq!(count(1234567, Language::Vi), "1.234.567");
        assert_eq!(count(12, Language::Vi), "12");
    }

    #[test]
    fn english_forms() {
        assert_eq!(
            long_date(&date(), Language::En),
            "Friday, 17 January 2014, 14:05"
        );
        assert_eq!(count(4351, Language::En), "4,351");
    }
}
