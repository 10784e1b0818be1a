//! After the committee (issue 15): what happened on the day of a validated
//! case, the immediate complications, the follow-up calls (J+1, M1) and
//! the one-month window they are due in. Pure: no SQL, no screen.
//!
//! The référentiel asks for "un suivi systématique à 1 mois du geste"
//! (efficacy and complications, its Annexe 2 per technique): the M1 call is
//! due from J+28 to J+42 after the procedure, overdue after.

use chrono::{Days, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use super::vocab::{Anaesthesia, Analgesics, FollowUpKind, ReasonCode, Technique};

/// The first day the M1 follow-up is due, counted from the procedure's day.
pub const M1_FROM_DAYS: u64 = 28;
/// The last day it is due; from the next day it is overdue.
pub const M1_TO_DAYS: u64 = 42;

/// A complication's grade on the CIRSE classification (1 to 6: 1 no
/// therapy needed … 6 death).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct CirseGrade(u8);

impl CirseGrade {
    pub const MIN: u8 = 1;
    pub const MAX: u8 = 6;

    pub fn new(grade: u8) -> Option<CirseGrade> {
        (Self::MIN..=Self::MAX)
            .contains(&grade)
            .then_some(CirseGrade(grade))
    }

    pub fn get(self) -> u8 {
        self.0
    }
}

impl TryFrom<u8> for CirseGrade {
    type Error = String;
    fn try_from(g: u8) -> Result<Self, Self::Error> {
        CirseGrade::new(g).ok_or_else(|| format!("CIRSE grade {g}: 1 to 6"))
    }
}

impl From<CirseGrade> for u8 {
    fn from(g: CirseGrade) -> u8 {
        g.0
    }
}

/// A complication: its grade and what happened (never empty).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Complication {
    pub grade: CirseGrade,
    pub text: String,
}

/// What happened on the day of a validated case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "performed", rename_all = "snake_case")]
pub enum Outcome {
    Performed(Performed),
    NotPerformed(NotPerformed),
}

/// A procedure done: when (local time), by whom, what was actually done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Performed {
    pub at: NaiveDateTime,
    pub operator: String,
    /// At least one.
    pub techniques: Vec<Technique>,
    pub anaesthesia: Anaesthesia,
    pub duration_min: Option<u16>,
}

/// A procedure not done, and why (the coded reason the indicators count;
/// `other` needs its text).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotPerformed {
    pub reason: ReasonCode,
    pub text: Option<String>,
}

/// The day of one case as recorded: the outcome and the immediate
/// complication, if any (recorded apart: not by the same roles).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayRecord {
    pub outcome: Outcome,
    pub complication: Option<Complication>,
}

/// The day of a case as stored: what was recorded, by whom, when, and the
/// row's version (a write carries the version it saw).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DayRow {
    pub record: DayRecord,
    /// UTC, RFC 3339.
    pub recorded_at: String,
    pub recorded_by: String,
    pub version: i64,
}

/// Why the day of a case cannot be recorded (in words:
/// `crate::text::outcome::day_refusal`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DayRefusal {
    /// The committee's decision in force is not "validated".
    NotValidated {
        case: String,
        status: super::vocab::DecisionStatus,
    },
    /// The case is scheduled after today.
    NotYet {
        case: String,
        scheduled: NaiveDate,
        today: NaiveDate,
    },
    /// A procedure performed before the day it was scheduled on (a
    /// procedure brought forward is rescheduled first).
    BeforeScheduled {
        case: String,
        at: NaiveDateTime,
        scheduled: NaiveDate,
    },
    /// A procedure performed later than now.
    InFuture {
        case: String,
        at: NaiveDateTime,
        now: NaiveDateTime,
    },
    /// A complication on a case with no outcome recorded as performed.
    NotPerformed {
        case: String,
    },
    /// "Not performed" over a day that has a complication recorded.
    ComplicationRecorded {
        case: String,
    },
    /// "Not performed" over a procedure whose follow-up calls are recorded.
    FollowUpsRecorded {
        case: String,
    },
    Invalid(Invalid),
}

/// One follow-up of a case (one per kind; a new call replaces the last one
/// and counts one more attempt).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FollowUp {
    pub kind: FollowUpKind,
    /// When the call was made (local time).
    pub called_at: NaiveDateTime,
    /// Whether the patient (or a relative) was reached. Not reached: the
    /// attempt counts, nothing else is recorded.
    pub reached: bool,
    /// On the same 0–10 scale as the case's `pain_vas` before.
    pub pain: Option<u8>,
    pub analgesics: Option<Analgesics>,
    /// Morphine-equivalent dose, mg a day (optional).
    pub morphine_mg_day: Option<f64>,
    /// Complications since the procedure.
    pub complication: Option<Complication>,
    /// Calls made for this follow-up, this one included.
    pub attempts: u32,
}

/// Why an outcome or a follow-up cannot be recorded as typed (in words:
/// `crate::text::outcome::invalid`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Invalid {
    NoTechnique,
    OtherWithoutText,
    ComplicationWithoutText,
    Pain(u8),
    Morphine(String),
    NotReachedWithAnswers,
    ZeroDuration,
    /// A performed procedure with no operator named.
    NoOperator,
}

/// The largest morphine-equivalent dose taken as typed, mg a day (beyond,
/// a typing slip: high-dose palliative regimens stay well under it).
pub const MORPHINE_MAX_MG_DAY: f64 = 5000.0;

impl Outcome {
    /// Checks what the types cannot say.
    pub fn validate(&self) -> Result<(), Invalid> {
        match self {
            Outcome::Performed(p) => {
                if p.techniques.is_empty() {
                    return Err(Invalid::NoTechnique);
                }
                if p.duration_min == Some(0) {
                    return Err(Invalid::ZeroDuration);
                }
                if p.operator.trim().is_empty() {
                    return Err(Invalid::NoOperator);
                }
            }
            Outcome::NotPerformed(n) => {
                if n.reason == ReasonCode::Other && blank(n.text.as_deref()) {
                    return Err(Invalid::OtherWithoutText);
                }
            }
        }
        Ok(())
    }

    /// The day it happened (or was to happen: `scheduled` for a case not
    /// performed).
    pub fn day(&self, scheduled: NaiveDateTime) -> NaiveDate {
        match self {
            Outcome::Performed(p) => p.at.date(),
            Outcome::NotPerformed(_) => scheduled.date(),
        }
    }
}

impl Complication {
    pub fn validate(&self) -> Result<(), Invalid> {
        if self.text.trim().is_empty() {
            return Err(Invalid::ComplicationWithoutText);
        }
        Ok(())
    }
}

impl FollowUp {
    pub fn validate(&self) -> Result<(), Invalid> {
        if let Some(p) = self.pain
            && p > 10
        {
            return Err(Invalid::Pain(p));
        }
        if let Some(m) = self.morphine_mg_day
            && !(m.is_finite() && (0.0..=MORPHINE_MAX_MG_DAY).contains(&m))
        {
            return Err(Invalid::Morphine(m.to_string()));
        }
        if !self.reached
            && (self.pain.is_some() || self.analgesics.is_some() || self.complication.is_some())
        {
            return Err(Invalid::NotReachedWithAnswers);
        }
        if let Some(c) = &self.complication {
            c.validate()?;
        }
        Ok(())
    }
}

fn blank(text: Option<&str>) -> bool {
    text.is_none_or(|t| t.trim().is_empty())
}

/// Where an M1 follow-up stands on `today`, for a procedure done on
/// `performed_on`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Due {
    /// Not yet: due from `from`.
    NotYet { from: NaiveDate },
    /// Due now, until `until` included.
    Due { until: NaiveDate },
    /// The window ended on `ended`.
    Overdue { ended: NaiveDate },
}

/// The M1 window of a procedure done on `performed_on`: J+28 to J+42, both
/// included.
pub fn m1_window(performed_on: NaiveDate) -> (NaiveDate, NaiveDate) {
    let add = |d: u64| {
        performed_on
            .checked_add_days(Days::new(d))
            .unwrap_or(NaiveDate::MAX)
    };
    (add(M1_FROM_DAYS), add(M1_TO_DAYS))
}

/// Where the M1 follow-up of a procedure done on `performed_on` stands on
/// `today` (whether it was done is the caller's: a reached call closes it).
pub fn m1_due(performed_on: NaiveDate, today: NaiveDate) -> Due {
    let (from, until) = m1_window(performed_on);
    if today < from {
        Due::NotYet { from }
    } else if today <= until {
        Due::Due { until }
    } else {
        Due::Overdue { ended: until }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    /// The window's edges: J+27 not yet, J+28 and J+42 due, J+43 overdue.
    #[test]
    fn the_m1_window_is_j28_to_j42() {
        let done = day("2026-11-02");
        let cases = [
            (
                "2026-11-02",
                Due::NotYet {
                    from: day("2026-11-30"),
                },
            ),
            (
                "2026-11-29",
                Due::NotYet {
                    from: day("2026-11-30"),
                },
            ),
            (
                "2026-11-30",
                Due::Due {
                    until: day("2026-12-14"),
                },
            ),
            (
                "2026-12-14",
                Due::Due {
                    until: day("2026-12-14"),
                },
            ),
            (
                "2026-12-15",
                Due::Overdue {
                    ended: day("2026-12-14"),
                },
            ),
            (
                "2027-03-01",
                Due::Overdue {
                    ended: day("2026-12-14"),
                },
            ),
        ];
        for (today, want) in cases {
            assert_eq!(m1_due(done, day(today)), want, "on {today}");
        }
    }

    #[test]
    fn cirse_grades_are_1_to_6() {
        assert_eq!(CirseGrade::new(0), None);
        assert_eq!(CirseGrade::new(1).map(CirseGrade::get), Some(1));
        assert_eq!(CirseGrade::new(6).map(CirseGrade::get), Some(6));
        assert_eq!(CirseGrade::new(7), None);
        assert!(serde_json::from_str::<CirseGrade>("7").is_err());
    }

    #[test]
    fn what_cannot_be_recorded() {
        let other = Outcome::NotPerformed(NotPerformed {
            reason: ReasonCode::Other,
            text: Some("  ".into()),
        });
        assert_eq!(other.validate(), Err(Invalid::OtherWithoutText));
        let coded = Outcome::NotPerformed(NotPerformed {
            reason: ReasonCode::DrugNotStopped,
            text: None,
        });
        assert_eq!(coded.validate(), Ok(()));
        let at = day("2026-11-02").and_hms_opt(9, 0, 0).expect("time");
        let call = FollowUp {
            kind: FollowUpKind::M1,
            called_at: at,
            reached: false,
            pain: Some(3),
            analgesics: None,
            morphine_mg_day: None,
            complication: None,
            attempts: 1,
        };
        assert_eq!(call.validate(), Err(Invalid::NotReachedWithAnswers));
        let reached = FollowUp {
            reached: true,
            pain: Some(11),
            ..call.clone()
        };
        assert_eq!(reached.validate(), Err(Invalid::Pain(11)));
        let fine = FollowUp {
            reached: true,
            pain: Some(2),
            morphine_mg_day: Some(30.0),
            ..call
        };
        assert_eq!(fine.validate(), Ok(()));
    }
}
