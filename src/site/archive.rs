//! The date archive ("Xem theo ngày"): articles grouped by year, month and day of
//! their date in the site's time zone, newest period first.

use super::model::Article;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Period {
    /// The year, month (1-12) or day (1-31) this period is.
    pub number: i16,
    /// Indices into the site's articles, newest first.
    pub articles: Vec<usize>,
    /// Months of a year or days of a month, newest first; empty for a day.
    pub parts: Vec<Period>,
}

/// Years, newest first, each with its months and their days.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Archive {
    pub years: Vec<Period>,
    /// Every period of each kind, newest first, for finding neighbours.
    all_years: Vec<PeriodRef>,
    all_months: Vec<PeriodRef>,
    all_days: Vec<PeriodRef>,
}

/// Where a period sits in the archive: indices of its year, month and day.
/// Ordered as the archive is: newest first.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum PeriodRef {
    Year(usize),
    Month(usize, usize),
    Day(usize, usize, usize),
}

impl Archive {
    /// Groups `articles` (newest first, dates already in the site's zone).
    pub fn new(articles: &[Article]) -> Archive {
        let mut years: Vec<Period> = Vec::new();
        for (i, article) in articles.iter().enumerate() {
            let date = &article.date;
            let year = child(&mut years, date.year());
            year.articles.push(i);
            let month = child(&mut year.parts, date.month() as i16);
            month.articles.push(i);
            let day = child(&mut month.parts, date.day() as i16);
            day.articles.push(i);
        }
        let mut archive = Archive {
            years,
            ..Archive::default()
        };
        for (y, year) in archive.years.iter().enumerate() {
            archive.all_years.push(PeriodRef::Year(y));
            for (m, month) in year.parts.iter().enumerate() {
                archive.all_months.push(PeriodRef::Month(y, m));
                archive
                    .all_days
                    .extend((0..month.parts.len()).map(|d| PeriodRef::Day(y, m, d)));
            }
        }
        archive
    }

    /// Every period, years first, then months, then days.
    pub fn all_periods(&self) -> impl Iterator<Item = PeriodRef> + '_ {
        self.all_years
            .iter()
            .chain(&self.all_months)
            .chain(&self.all_days)
            .copied()
    }

    pub fn period(&self, at: PeriodRef) -> &Period {
        match at {
            PeriodRef::Year(y) => &self.years[y],
            PeriodRef::Month(y, m) => &self.years[y].parts[m],
            PeriodRef::Day(y, m, d) => &self.years[y].parts[m].parts[d],
        }
    }

    /// `(year, month, day)` numbers of a period; month and day are 0 when absent.
    pub fn numbers(&self, at: PeriodRef) -> (i16, i16, i16) {
        match at {
            PeriodRef::Year(y) => (self.years[y].number, 0, 0),
            PeriodRef::Month(y, m) => (self.years[y].number, self.years[y].parts[m].number, 0),
            PeriodRef::Day(y, m, d) => {
                let month = &self.years[y].parts[m];
                (self.years[y].number, month.number, month.parts[d].number)
            }
        }
    }

    /// The nearest newer and older periods of the same kind that have articles.
    pub fn neighbours(&self, at: PeriodRef) -> (Option<PeriodRef>, Option<PeriodRef>) {
        let all = match at {
            PeriodRef::Year(..) => &self.all_years,
            PeriodRef::Month(..) => &self.all_months,
            PeriodRef::Day(..) => &self.all_days,
        };
        match all.binary_search(&at).ok() {
            Some(i) => (i.checked_sub(1).map(|j| all[j]), all.get(i + 1).copied()),
            None => (None, None),
        }
    }
}

/// Site path of a period's first page: `/archive/2014/01/17/`.
pub fn period_path(year: i16, month: i16, day: i16) -> String {
    match (month, day) {
        (0, _) => format!("/archive/{year:04}/"),
        (m, 0) => format!("/archive/{year:04}/{m:02}/"),
        (m, d) => format!("/archive/{year:04}/{m:02}/{d:02}/"),
    }
}

/// The last period in `periods` if it is `number`, else a new one pushed there.
/// Articles come newest first, so a period's articles are contiguous.
fn child(periods: &mut Vec<Period>, number: i16) -> &mut Period {
    if periods.last().is_none_or(|p| p.number != number) {
        periods.push(Period {
            number,
            articles: Vec::new(),
            parts: Vec::new(),
        });
    }
    periods.last_mut().expect("just pushed")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_zero_padded() {
        assert_eq!(period_path(2014, 0, 0), "/archive/2014/");
        assert_eq!(period_path(2014, 1, 0), "/archive/2014/01/");
        assert_eq!(period_path(2014, 1, 7), "/archive/2014/01/07/");
    }
}
