//! Formats that do not depend on the language (those that do are in [`super::locale`]).

use jiff::Zoned;

/// `2014-01-17T14:05:00+07:00`: the `datetime` of `<time>`, feeds and sitemaps.
pub fn iso(date: &Zoned) -> String {
    date.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn iso_keeps_the_offset() {
        let date: jiff::Zoned = "2014-01-17T14:05:00+07:00[+07:00]".parse().unwrap();
        assert_eq!(super::iso(&date), "2014-01-17T14:05:00+07:00");
    }
}
