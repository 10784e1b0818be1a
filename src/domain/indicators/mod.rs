//! The committee's indicators (issue 15 §4), computed from a flat list of
//! per-case facts over a period. Pure: the facts are read by
//! `storage::indicators`, the figures shown by `text::indicators` and the
//! report writers.
//!
//! Every figure carries its denominator. Definitions (also in the report's
//! notes):
//! - a case belongs to the month and the committee week (ISO week, the
//!   programme the committee discussed) of its scheduled day;
//! - activity: procedures performed (outcome "performed"), per technique
//!   actually done (a case with two techniques counts once in each row,
//!   once in its month's total);
//! - committee outcomes: each case by its latest decision;
//! - not performed on the day: validated cases of the month recorded "not
//!   performed", over the validated cases due that month (their day on or
//!   before the report's day: a case validated for next week is not yet
//!   due); the trend is the
//!   least-squares slope of the monthly rates, in percentage points a month;
//! - delays in whole days, median and p90 (nearest rank, [`stats`]);
//! - M1 follow-up: a performed case counts once its window (J+28..J+42)
//!   is over on the day of the report, or once its call reached the
//!   patient; a patient who died before the window's end, unreached, is
//!   left out of both sides (and counted apart).

pub mod cells;
mod compute;
pub mod stats;
#[cfg(test)]
pub(crate) mod tests;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

pub use cells::{Cell, Count, Tally, mask};
pub use compute::compute;

use super::outcome::CirseGrade;
use super::vocab::{Analgesics, ReasonCode, Technique};
use super::week::Week;

/// A set of techniques (a case has one to a few).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Techniques(u16);

impl Techniques {
    pub fn iter(self) -> impl Iterator<Item = Technique> {
        Technique::ALL
            .iter()
            .enumerate()
            .filter(move |(i, _)| self.0 & (1 << i) != 0)
            .map(|(_, t)| *t)
    }
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
}

impl FromIterator<Technique> for Techniques {
    fn from_iter<I: IntoIterator<Item = Technique>>(iter: I) -> Self {
        let mut bits = 0u16;
        for t in iter {
            if let Some(i) = Technique::ALL.iter().position(|x| *x == t) {
                bits |= 1 << i;
            }
        }
        Techniques(bits)
    }
}

/// Where the committee left a case (its latest decision).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Committee {
    Pending,
    Validated { overridden: bool },
    Postponed(Option<ReasonCode>),
    Cancelled(Option<ReasonCode>),
}

/// What happened on the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Day {
    Performed {
        on: NaiveDate,
        techniques: Techniques,
    },
    NotPerformed(ReasonCode),
}

/// The M1 follow-up as recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct M1 {
    pub reached: bool,
    pub pain: Option<u8>,
    pub analgesics: Option<Analgesics>,
}

/// One case's facts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fact {
    pub patient_id: i64,
    /// The scheduled day.
    pub day: NaiveDate,
    /// The techniques planned (the performed ones count for activity).
    pub techniques: Techniques,
    pub committee: Committee,
    /// The day of the latest decision (for a validated case, the
    /// validation).
    pub decided_on: Option<NaiveDate>,
    /// The IR consultation's day.
    pub consultation_on: Option<NaiveDate>,
    pub outcome: Option<Day>,
    /// `pain_vas` before the procedure.
    pub pain_before: Option<u8>,
    pub m1: Option<M1>,
    /// The worst complication recorded (immediate, J+1, M1).
    pub complication: Option<CirseGrade>,
    pub died_on: Option<NaiveDate>,
}

/// A calendar month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    pub year: i32,
    pub month: u32,
}

impl Month {
    pub fn of(d: NaiveDate) -> Month {
        Month {
            year: d.year(),
            month: d.month(),
        }
    }
    fn index(self) -> i64 {
        i64::from(self.year) * 12 + i64::from(self.month) - 1
    }
    /// The months from `from`'s to `to`'s, both included.
    pub fn range(from: NaiveDate, to: NaiveDate) -> Vec<Month> {
        let (a, b) = (Month::of(from).index(), Month::of(to).index());
        (a..=b)
            .map(|i| Month {
                year: i32::try_from(i.div_euclid(12)).unwrap_or(i32::MAX),
                month: u32::try_from(i.rem_euclid(12) + 1).unwrap_or(1),
            })
            .collect()
    }
}

impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl Serialize for Month {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl Serialize for Week {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A median and a p90 over `n` values (None: no value, or hidden).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Spread<C> {
    pub n: C,
    pub median: Option<f64>,
    pub p90: Option<f64>,
}

/// A count and the cells it is split into.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Split<K, C> {
    pub total: C,
    pub parts: Vec<(K, C)>,
}

/// One month of the "not performed on the day" table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NotPerformedMonth<C> {
    pub month: Month,
    /// Validated cases due that month: the rate's denominator.
    pub due: C,
    /// Of which no outcome is recorded yet.
    pub unrecorded: C,
    /// Not performed, by coded reason (every reason, in vocabulary order).
    pub not_performed: Split<ReasonCode, C>,
    /// not performed / due, percent.
    pub rate: Option<f64>,
}

/// Everything the report and the `S` view show. `C` is [`Count`] as
/// computed, [`Cell`] once shown ([`mask`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Indicators<C> {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The day the follow-up windows are judged on.
    pub as_of: NaiveDate,
    pub months: Vec<Month>,
    /// Every case of the period (the committee outcomes' denominator).
    pub cases: C,
    /// Performed procedures per technique (rows: every technique with at
    /// least one) and per month; `total` per technique.
    pub activity: Vec<(Technique, Split<Month, C>)>,
    /// Performed procedures per month, and in the period.
    pub performed: Split<Month, C>,
    /// Cases per committee week (weeks with a case), and their spread.
    pub meetings: Split<Week, C>,
    pub per_meeting: Spread<usize>,
    pub validated: C,
    pub overridden: C,
    pub pending: C,
    /// By coded reason; `None`: not coded.
    pub postponed: Split<Option<ReasonCode>, C>,
    pub cancelled: Split<Option<ReasonCode>, C>,
    pub not_performed: Vec<NotPerformedMonth<C>>,
    /// The whole period, as one row.
    pub not_performed_total: NotPerformedMonth<C>,
    /// Least-squares slope of the monthly rates, points a month (None:
    /// fewer than two months with a denominator).
    pub not_performed_trend: Option<f64>,
    pub consultation_to_procedure: Spread<C>,
    pub committee_to_procedure: Spread<C>,
    /// M1 calls due (the completion's denominator) and reached.
    pub m1_due: C,
    pub m1_reached: C,
    /// Left out of the completion: died before the window's end, unreached.
    pub m1_died: C,
    /// Reached at M1 with a pain before and at M1: the pain figures'
    /// denominator.
    pub pain_n: C,
    pub pain_before: Option<f64>,
    pub pain_m1: Option<f64>,
    pub pain_down_2: C,
    pub pain_down_half: C,
    /// Reached at M1 with the analgesics answered; of which decreased or
    /// stopped.
    pub analgesics_n: C,
    pub analgesics_down: C,
    /// Performed procedures (denominator), by worst CIRSE grade; `None`:
    /// no complication recorded.
    pub complications: Split<Option<CirseGrade>, C>,
}

impl Indicators<Cell> {
    /// Whether the trend was left out because a monthly count it is
    /// fitted on is masked.
    pub fn trend_hidden(&self) -> bool {
        self.not_performed_trend.is_none()
            && self
                .not_performed
                .iter()
                .any(|m| m.due.value().is_none() || m.not_performed.total.value().is_none())
    }
}

/// A percentage, when the denominator is not zero.
pub fn percent(num: u32, den: u32) -> Option<f64> {
    (den > 0).then(|| f64::from(num) * 100.0 / f64::from(den))
}
