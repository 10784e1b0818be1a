//! Dates and times as the hospital records them: local wall-clock time.

use std::fmt;

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Timelike};
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

    /// Parses a date written day first, as a French person types it:
    /// `JJ/MM/AAAA` or `JJ/MM/AAAA HH:MM`, every part with all its digits
    /// as ISO wants them (`07/12/26` is refused, not guessed).
    pub fn parse_day_first(s: &str) -> Option<When> {
        let s = s.trim();
        let (day, time) = match s.split_once(' ') {
            Some((d, t)) => (d, Some(t.trim())),
            None => (s, None),
        };
        let mut parts = day.split('/');
        let (d, m, y) = (parts.next()?, parts.next()?, parts.next()?);
        let digits = |p: &str, len: usize| p.len() == len && p.bytes().all(|b| b.is_ascii_digit());
        if parts.next().is_some() || !digits(d, 2) || !digits(m, 2) || !digits(y, 4) {
            return None;
        }
        let date = NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)?;
        match time {
            None => Some(When::Date(date)),
            Some(t) => {
                let (h, min) = t.split_once(':')?;
                if !digits(h, 2) || !digits(min, 2) {
                    return None;
                }
                let time = NaiveTime::from_hms_opt(h.parse().ok()?, min.parse().ok()?, 0)?;
                Some(When::DateTime(date.and_time(time)))
            }
        }
    }

    /// The value written day first (`07/12/2026`, `07/12/2026 10:30`), as
    /// [`When::parse_day_first`] reads it back.
    pub fn day_first(self) -> String {
        match self {
            When::Date(d) => d.format("%d/%m/%Y").to_string(),
            // Seconds (sent by a system, never typed): as stored.
            When::DateTime(_) if self.latest().second() != 0 => self.to_string(),
            When::DateTime(dt) => dt.format("%d/%m/%Y %H:%M").to_string(),
        }
    }
}

impl fmt::Display for When {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            When::Date(d) => write!(f, "{}", d.format(DATE_FMT)),
            // Seconds, when a system sends them, are kept (to the minute otherwise).
            When::DateTime(dt) if dt.second() != 0 => {
                write!(f, "{}", dt.format("%Y-%m-%dT%H:%M:%S"))
            }
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

/// Midnight at the start of the following day (on the last representable
/// day, its last second: never panics).
pub fn end_of_day(d: NaiveDate) -> NaiveDateTime {
    match d.succ_opt() {
        Some(next) => next.and_time(NaiveTime::MIN),
        None => d.and_time(NaiveTime::from_hms_opt(23, 59, 59).unwrap_or(NaiveTime::MIN)),
    }
}

/// Parses `YYYY-MM-DD` exactly (four-digit year, two-digit month and
/// day: `2026-1-2` is refused, as a typing slip may hide there), with a
/// message that names an impossible date. White space around is ignored.
pub fn parse_date(s: &str) -> Result<NaiveDate, String> {
    let t = s.trim();
    let refused = || {
        format!(
            "'{}' is not a valid date (expected YYYY-MM-DD)",
            t.escape_debug()
        )
    };
    if !shaped(t, "dddd-dd-dd") {
        return Err(refused());
    }
    NaiveDate::parse_from_str(t, DATE_FMT).map_err(|_| refused())
}

/// Parses `YYYY-MM-DDTHH:MM` exactly (a space instead of `T`, and
/// seconds, are accepted; a tab or any other separator, a one-digit
/// field, and a leap second `:60` are not). White space around is ignored.
pub fn parse_datetime(s: &str) -> Result<NaiveDateTime, String> {
    let t = s.trim();
    let shown = t.escape_debug();
    let refused = || format!("'{shown}' is not a valid date-time (expected YYYY-MM-DDTHH:MM)");
    let sep = t.chars().nth(10);
    let with_seconds = match t.len() {
        16 => false,
        19 => true,
        _ => return Err(refused()),
    };
    let pattern = if with_seconds {
        "dddd-dd-dd?dd:dd:dd"
    } else {
        "dddd-dd-dd?dd:dd"
    };
    if !shaped(t, pattern) {
        return Err(refused());
    }
    match sep {
        Some('T' | ' ') => {}
        Some(c) => {
            return Err(format!(
                "'{shown}' is not a valid date-time: the date and the time are separated by T (or a space), not '{}'",
                c.escape_debug()
            ));
        }
        None => return Err(refused()),
    }
    if with_seconds && t.get(17..) == Some("60") {
        return Err(format!(
            "'{shown}' is not a valid date-time: second 60 (a leap second) is not accepted"
        ));
    }
    let format = if with_seconds {
        "%Y-%m-%dT%H:%M:%S"
    } else {
        DATETIME_FMT
    };
    // The separator checked above; chrono is given the `T`.
    let normal: String = t
        .char_indices()
        .map(|(i, c)| if i == 10 { 'T' } else { c })
        .collect();
    NaiveDateTime::parse_from_str(&normal, format).map_err(|_| refused())
}

/// Whether `s` has exactly the shape of `pattern`: `d` an ASCII digit, `?`
/// any one character, anything else itself.
fn shaped(s: &str, pattern: &str) -> bool {
    s.chars().count() == pattern.len()
        && s.chars().zip(pattern.chars()).all(|(c, p)| match p {
            'd' => c.is_ascii_digit(),
            '?' => true,
            p => c == p,
        })
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
///
/// In the autumn overlap (a wall-clock time that happens twice) the shortest
/// possible elapsed time is taken: the later instant for `from`, the earlier
/// for `to`. That is the conservative reading for the minimum delays (48 h
/// reflection, heparin holds): an ambiguous time never makes a delay look
/// longer than it may have been. In the spring gap (a wall-clock time that
/// never happens), the first time after the gap is taken.
pub fn elapsed(tz: Tz, from: NaiveDateTime, to: NaiveDateTime) -> Duration {
    to_instant(tz, to, Overlap::Earlier) - to_instant(tz, from, Overlap::Later)
}

/// The local wall-clock moment `span` before `local` in the hospital's zone
/// (a daylight-saving change counts): the bound of a minimum delay, as
/// [`elapsed`] counts it (the earlier instant of an ambiguous `local`).
pub fn before(tz: Tz, local: NaiveDateTime, span: Duration) -> NaiveDateTime {
    let instant = to_instant(tz, local, Overlap::Earlier) - span;
    instant.with_timezone(&tz).naive_local()
}

/// Which instant to take for a wall-clock time that happens twice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Overlap {
    Earlier,
    Later,
}

/// A local wall-clock time as an absolute instant: in the autumn overlap the
/// instant chosen by `overlap`; in the spring gap, the time just after the gap.
fn to_instant(tz: Tz, local: NaiveDateTime, overlap: Overlap) -> chrono::DateTime<chrono::Utc> {
    use chrono::LocalResult;
    let mut probe = local;
    // A gap is at most a few hours; step forward minute by minute until the
    // wall-clock time exists.
    for _ in 0..(24 * 60) {
        match tz.from_local_datetime(&probe) {
            LocalResult::Single(t) => return t.to_utc(),
            LocalResult::Ambiguous(earlier, later) => {
                return match overlap {
                    Overlap::Earlier => earlier.to_utc(),
                    Overlap::Later => later.to_utc(),
                };
            }
            LocalResult::None => match probe.checked_add_signed(Duration::minutes(1)) {
                Some(next) => probe = next,
                None => break,
            },
        }
    }
    local.and_utc()
}

/// A UTC timestamp of the database (`2026-11-26T12:00:00Z`) as the
/// hospital's local time, `26/11/2026 13:00`; the text itself if it is not
/// such a timestamp.
pub fn local_time(utc: &str, tz: Tz) -> String {
    match chrono::DateTime::parse_from_rfc3339(utc) {
        Ok(t) => t.with_timezone(&tz).format("%d/%m/%Y %H:%M").to_string(),
        Err(_) => utc.to_owned(),
    }
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
    #[rustfmt::skip] // one row per case
    fn a_date_typed_day_first_at_the_edges() {
        let d = |y, m, day| When::Date(NaiveDate::from_ymd_opt(y, m, day).expect("date"));
        let table = [
            ("a date", "07/12/2026", Some(d(2026, 12, 7))),
            ("spaces around", " 07/12/2026 ", Some(d(2026, 12, 7))),
            ("29 February of a leap year", "29/02/2028", Some(d(2028, 2, 29))),
            ("with the time", "07/12/2026 10:30", Some(When::DateTime(dt("2026-12-07T10:30")))),
            ("31 February", "31/02/2026", None),
            ("29 February of another year", "29/02/2026", None),
            ("day 0", "00/12/2026", None),
            ("month 0", "07/00/2026", None),
            ("month 13", "07/13/2026", None),
            ("a two-digit year", "07/12/26", None),
            ("a five-digit year", "07/12/02026", None),
            ("a one-digit day", "7/12/2026", None),
            ("a one-digit hour", "07/12/2026 9:30", None),
            ("hour 24", "07/12/2026 24:00", None),
            ("T instead of a space", "07/12/2026T10:30", None),
            ("dashes", "07-12-2026", None),
            ("ISO (read elsewhere)", "2026-12-07", None),
            ("a fourth part", "07/12/2026/1", None),
            ("a sign", "+7/12/2026", None),
            ("empty", "", None),
        ];
        for (label, input, want) in table {
            assert_eq!(When::parse_day_first(input), want, "{label}");
        }
        for w in [d(2026, 12, 7), When::DateTime(dt("2026-12-07T10:30"))] {
            assert_eq!(When::parse_day_first(&w.day_first()), Some(w));
        }
        assert_eq!(d(2026, 12, 7).day_first(), "07/12/2026");
        // Seconds (never typed) stay ISO, which the form reads as well.
        let s = When::parse("2026-12-07T10:30:15").expect("seconds");
        assert_eq!(s.day_first(), "2026-12-07T10:30:15");
    }

    #[test]
    fn date_alone_counts_as_end_of_day() {
        let w = When::parse("2026-11-28").expect("date");
        assert_eq!(w.latest(), dt("2026-11-29T00:00"));
        assert_eq!(w.date(), parse_date("2026-11-28").expect("date"));
    }

    #[test]
    #[rustfmt::skip] // one row per case
    fn loose_dates_and_times_are_refused_with_what_is_wrong() {
        let table = [
            ("a leap second", "2026-11-21T15:29:60", "second 60 (a leap second)"),
            ("a one-digit month and day", "2026-1-2", "expected YYYY-MM-DD"),
            ("a one-digit day", "2026-11-2", "expected YYYY-MM-DD"),
            ("a one-digit hour", "2026-11-21T7:45", "expected YYYY-MM-DDTHH:MM"),
            ("a one-digit month in a date-time", "2026-1-21T07:45", "expected YYYY-MM-DDTHH:MM"),
            ("a tab instead of T", "2026-11-21\t07:45", "not '\\t'"),
            ("two spaces", "2026-11-21  07:45", "expected YYYY-MM-DDTHH:MM"),
            ("a slash instead of T", "2026-11-21/07:45", "not '/'"),
            ("a five-digit year", "20260-11-21", "expected YYYY-MM-DD"),
            ("a sign", "+2026-11-21", "expected YYYY-MM-DD"),
        ];
        for (label, input, why) in table {
            let err = When::parse(input).expect_err(label);
            assert!(err.contains(why), "{label}: {err}");
        }
        let cases = [
            ("T", "2026-11-21T07:45"),
            ("a space", "2026-11-21 07:45"),
            ("seconds", "2026-11-21T07:45:59"),
            ("space around", " 2026-11-21T07:45 "),
        ];
        for (label, input) in cases {
            assert_eq!(When::parse(input).map(|w| w.date().to_string()), Ok("2026-11-21".into()), "{label}");
        }
        assert_eq!(parse_date("2026-01-02").map(|d| d.to_string()), Ok("2026-01-02".into()));
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

    /// Paris, 2026-10-25: clocks go back from 03:00 CEST to 02:00 CET, so
    /// 02:00–02:59 happens twice. 2026-03-29: clocks go forward from 02:00
    /// CET to 03:00 CEST, so 02:00–02:59 never happens.
    #[test]
    #[rustfmt::skip] // one row per case
    fn ambiguous_and_missing_times_give_the_shortest_elapsed_time() {
        let tz: Tz = "Europe/Paris".parse().expect("zone");
        let table = [
            // from in the overlap: its later instant (02:30 CET).
            ("from in the overlap", "2026-10-25T02:30", "2026-10-25T13:45", 11 * 60 + 15),
            ("from at the start of the overlap", "2026-10-25T02:00", "2026-10-25T03:00", 60),
            ("from just before the overlap", "2026-10-25T01:59", "2026-10-25T03:00", 2 * 60 + 1),
            ("from just after the overlap", "2026-10-25T03:00", "2026-10-25T13:45", 10 * 60 + 45),
            // to in the overlap: its earlier instant (02:30 CEST).
            ("to in the overlap", "2026-10-24T14:30", "2026-10-25T02:30", 12 * 60),
            ("both in the overlap", "2026-10-25T02:10", "2026-10-25T02:50", -20),
            ("no overlap", "2026-10-24T02:30", "2026-10-24T13:45", 11 * 60 + 15),
            // The spring gap: 02:30 does not exist and counts as 03:00.
            ("from in the gap", "2026-03-29T02:30", "2026-03-29T08:00", 5 * 60),
            ("to in the gap", "2026-03-28T20:00", "2026-03-29T02:30", 6 * 60),
            ("across the gap", "2026-03-29T01:00", "2026-03-29T04:00", 2 * 60),
        ];
        for (label, from, to, minutes) in table {
            assert_eq!(elapsed(tz, dt(from), dt(to)).num_minutes(), minutes, "{label}");
        }
    }

    #[test]
    fn the_last_day_has_an_end_without_panicking() {
        assert_eq!(
            end_of_day(NaiveDate::MAX).date(),
            NaiveDate::MAX,
            "no day after the last one"
        );
        let tz: Tz = "Europe/Paris".parse().expect("zone");
        let last = end_of_day(NaiveDate::MAX);
        let _ = elapsed(tz, last, last);
    }
}

#[cfg(test)]
mod seconds_tests {
    use super::*;

    #[test]
    fn seconds_survive_a_round_trip() {
        for s in ["2026-11-27T08:15:30", "2026-11-27T08:15", "2026-11-27"] {
            let w = When::parse(s).expect("valid");
            assert_eq!(w.to_string(), s);
            let json = serde_json::to_string(&w).expect("json");
            assert_eq!(serde_json::from_str::<When>(&json).expect("back"), w);
        }
    }
}
