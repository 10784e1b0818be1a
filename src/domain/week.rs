//! ISO weeks (`2026-W49`): the unit of a committee meeting.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, Duration, IsoWeek, NaiveDate, Weekday};

/// An ISO 8601 week.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Week {
    monday: NaiveDate,
}

impl Week {
    /// Years a week may be given in (dates in files are bounded the same way).
    pub const MIN_YEAR: i32 = 1900;
    pub const MAX_YEAR: i32 = 9000;

    /// The week containing `day`.
    pub fn containing(day: NaiveDate) -> Week {
        let iso: IsoWeek = day.iso_week();
        let monday = NaiveDate::from_isoywd_opt(iso.year(), iso.week(), Weekday::Mon)
            .unwrap_or(day - Duration::days(i64::from(day.weekday().num_days_from_monday())));
        Week { monday }
    }

    /// The week after the one containing `today`: the committee's default.
    pub fn next_after(today: NaiveDate) -> Week {
        Week::containing(today).offset(1)
    }

    pub fn offset(self, weeks: i64) -> Week {
        Week {
            monday: self.monday + Duration::weeks(weeks),
        }
    }

    pub fn monday(self) -> NaiveDate {
        self.monday
    }

    /// The Monday of the following week (exclusive end).
    pub fn end(self) -> NaiveDate {
        self.monday + Duration::days(7)
    }

    /// Whole weeks from `self` to `other`.
    pub fn weeks_until(self, other: Week) -> i64 {
        (other.monday - self.monday).num_days() / 7
    }
}

impl fmt::Display for Week {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let iso = self.monday.iso_week();
        write!(f, "{}-W{:02}", iso.year(), iso.week())
    }
}

/// Why a week could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct WeekError(pub String);

impl std::fmt::Display for WeekError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::text::error::misc::week(
            crate::text::Lang::En,
            &self.0,
        ))
    }
}

impl FromStr for Week {
    type Err = WeekError;

    fn from_str(s: &str) -> Result<Week, WeekError> {
        let err = || WeekError(s.to_owned());
        let (year, week) = s.trim().split_once(['W', 'w']).ok_or_else(err)?;
        let year: i32 = year
            .strip_suffix('-')
            .unwrap_or(year)
            .parse()
            .map_err(|_| err())?;
        let week: u32 = week.parse().map_err(|_| err())?;
        if !(Week::MIN_YEAR..=Week::MAX_YEAR).contains(&year) {
            return Err(err());
        }
        NaiveDate::from_isoywd_opt(year, week, Weekday::Mon)
            .map(|monday| Week { monday })
            .ok_or_else(err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
    }

    #[test]
    fn parses_and_prints() {
        let w: Week = "2026-W49".parse().expect("week");
        assert_eq!(w.monday(), d("2026-11-30"));
        assert_eq!(w.to_string(), "2026-W49");
        assert_eq!(
            "2026W01".parse::<Week>().expect("week").to_string(),
            "2026-W01"
        );
    }

    #[test]
    fn refuses_nonsense() {
        for bad in [
            "2026-W54",
            "2026-W00",
            "2026-49",
            "W49",
            "next",
            "2026-W4x",
            "262143-W01",
            "1899-W10",
        ] {
            assert!(bad.parse::<Week>().is_err(), "{bad}");
        }
        assert!("2026-W53".parse::<Week>().is_ok());
    }

    #[test]
    fn next_week_crosses_years() {
        assert_eq!(Week::next_after(d("2026-11-26")).to_string(), "2026-W49");
        assert_eq!(Week::next_after(d("2026-12-30")).to_string(), "2027-W01");
        assert_eq!(Week::next_after(d("2026-11-29")).to_string(), "2026-W49");
        assert_eq!(Week::next_after(d("2026-11-30")).to_string(), "2026-W50");
    }
}
