//! Dates and times as the hospital records them: local wall-clock time.

use std::fmt;

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use chrono_tz::Tz;
use serde::{Deserialize, Deserializer, Serialize, Serializer, de};

/// Wire format of a local date-time: `YYYY-MM-DDTHH:MM`.
pub const DATETIME_FMT: &str = "%Y-%m-%dT%H:%M";
/// Wire format of a date: `YYYY-MM-DD`.
pub const DATE_FMT: &str = "%Y-%m-%d";

/// A moment recorded either as a date alone or as a local date-time.
///
/// A date alone counts as the end of that day wherever hours matter
/// (the conservative reading), and as that day for calendar-day rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum When {
    Date(NaiveDate),
    DateTime(NaiveDateTime),
}

impl When {
    /// The calendar day.
    pub fn date(self) -> NaiveDate {
        match self {
            When::Date(d) => d,
            When::DateTime(dt) => dt.date(),
        }
    }

    /// The latest moment this value may stand for: a date alone is the end of
    /// its day (midnight at the start of the next day).
    pub fn latest(self) -> NaiveDateTime {
        match self {
            When::Date(d) => end_of_day(d),
            When::DateTime(dt) => dt,
        }
    }

    /// Parses `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM` (seconds accepted and kept).
    pub fn parse(s: &str) -> Result<When, String> {
        let s = s.trim();
        if s.len() <= 10 {
            return parse_date(s).map(When::Date);
        }
        parse_datetime(s).map(When::DateTime)
    }
}

impl fmt::Display for When {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            When::Date(d) => write!(f, "{}", d.format(DATE_FMT)),
            When::DateTime(dt) => write!(f, "{}", dt.format(DATETIME_FMT)),
        }
    }
}

impl Serialize for When {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for When {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        When::parse(&s).map_err(de::Error::custom)
    }
}

/// Midnight at the start of the following day.
pub fn end_of_day(d: NaiveDate) -> NaiveDateTime {
    d.and_time(NaiveTime::MIN) + Duration::days(1)
}

/// Parses `YYYY-MM-DD`, with a message that names an impossible date.
pub fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s.trim(), DATE_FMT)
        .map_err(|_| format!("'{s}' is not a valid date (expected YYYY-MM-DD)"))
}

/// Parses `YYYY-MM-DDTHH:MM` (a space instead of `T`, and seconds, are accepted).
pub fn parse_datetime(s: &str) -> Result<NaiveDateTime, String> {
    let t = s.trim();
    [
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(t, f).ok())
    .ok_or_else(|| format!("'{s}' is not a valid date-time (expected YYYY-MM-DDTHH:MM)"))
}

/// Serde helpers for a local date-time written as `YYYY-MM-DDTHH:MM`.
pub mod local_datetime {
    use super::*;

    pub fn serialize<S: Serializer>(dt: &NaiveDateTime, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&dt.format(DATETIME_FMT))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDateTime, D::Error> {
        let s = String::deserialize(d)?;
        parse_datetime(&s).map_err(de::Error::custom)
    }
}

/// Serde helpers for a date written as `YYYY-MM-DD`, with a clear message.
pub mod date {
    use super::*;

    pub fn serialize<S: Serializer>(d: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&d.format(DATE_FMT))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
        let s = String::deserialize(d)?;
        parse_date(&s).map_err(de::Error::custom)
    }
}

/// Elapsed time between two local wall-clock moments in the hospital's zone:
/// a daylight-saving change counts (23 h or 25 h days).
pub fn elapsed(tz: Tz, from: NaiveDateTime, to: NaiveDateTime) -> Duration {
    to_instant(tz, to) - to_instant(tz, from)
}

/// A local wall-clock time as an absolute instant. In the autumn overlap the
/// earlier instant is taken; in the spring gap, the time just after the gap.
fn to_instant(tz: Tz, local: NaiveDateTime) -> chrono::DateTime<chrono::Utc> {
    use chrono::LocalResult;
    let mut probe = local;
    // A gap is at most a few hours; step forward minute by minute until the
    // wall-clock time exists.
    for _ in 0..(24 * 60) {
        match tz.from_local_datetime(&probe) {
            LocalResult::Single(t) => return t.to_utc(),
            LocalResult::Ambiguous(a, _) => return a.to_utc(),
            LocalResult::None => probe += Duration::minutes(1),
        }
    }
    local.and_utc()
}

/// Calendar days from `evidence` to `procedure` (J − date): 0 the same day,
/// 3 for J−3, negative when the evidence is dated after the procedure.
pub fn days_before(evidence: NaiveDate, procedure: NaiveDate) -> i64 {
    (procedure - evidence).num_days()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dt(s: &str) -> NaiveDateTime {
        parse_datetime(s).expect("valid test date-time")
    }

    #[test]
    fn date_alone_counts_as_end_of_day() {
        let w = When::parse("2026-11-28").expect("date");
        assert_eq!(w.latest(), dt("2026-11-29T00:00"));
        assert_eq!(w.date(), parse_date("2026-11-28").expect("date"));
    }

    #[test]
    fn impossible_dates_are_refused() {
        assert!(When::parse("2026-02-30").is_err());
        assert!(When::parse("2026-13-01T10:00").is_err());
        assert!(When::parse("2026-11-28T25:00").is_err());
        assert!(When::parse("yesterday").is_err());
    }

    #[test]
    fn elapsed_counts_daylight_saving() {
        let tz: Tz = "Europe/Paris".parse().expect("zone");
        // Clocks go back on 2026-10-25 at 03:00: that night is 25 h long.
        let h = elapsed(tz, dt("2026-10-24T12:00"), dt("2026-10-26T12:00")).num_hours();
        assert_eq!(h, 49);
        // Clocks go forward on 2026-03-29 at 02:00: 47 h.
        let h = elapsed(tz, dt("2026-03-28T12:00"), dt("2026-03-30T12:00")).num_hours();
        assert_eq!(h, 47);
    }
}
