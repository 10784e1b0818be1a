//! Who must be called (issue 15 §2–3): from the performed procedures, the
//! follow-ups recorded, the patients who died and today, the calls due and
//! overdue, per operator, with what the caller needs on the phone. Pure:
//! the storage layer reads the rows, the CLI and the screen show the list.
//!
//! - M1: due from J+28 to J+42 after the procedure ([`m1_due`]), overdue
//!   after; a reached call closes it, a call that did not reach the patient
//!   keeps it on the list with its attempts.
//! - J+1 (optional): on the list on the day after the procedure only.
//! - A patient who died leaves every list.
//! - Only the procedures of the last [`HORIZON_DAYS`] days are on it: an
//!   M1 call that late is no longer a one-month follow-up (the report
//!   counts it as due and not reached), and a department's years of
//!   history must not be read for a list of this week's calls.

use std::collections::{HashMap, HashSet};

use chrono::{Days, NaiveDate, NaiveDateTime};
use serde::Serialize;
use unicode_normalization::UnicodeNormalization;

use super::outcome::{Due, Invalid, m1_due};
use super::vocab::{FollowUpKind, Technique};

/// A performed procedure, as the call list needs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Procedure {
    pub case_id: i64,
    pub external_id: String,
    pub patient_id: i64,
    /// "LAST First", cleaned.
    pub patient: String,
    pub ipp: String,
    /// What was actually done (else what was planned).
    pub techniques: Vec<Technique>,
    /// `outcomes.performed_at`.
    pub performed_at: NaiveDateTime,
    /// Who did it (else the case's planned operator).
    pub operator: String,
    /// `cases.pain_vas`: pain before, 0–10.
    pub pain_before: Option<u8>,
}

/// A follow-up row as recorded (the last call's answer and the attempts).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Recorded {
    pub case_id: i64,
    pub kind: FollowUpKind,
    pub reached: bool,
    pub attempts: u32,
    pub called_at: NaiveDateTime,
    pub version: i64,
}

/// Where a call on the list stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum State {
    /// The window ended on `ended` (M1 only).
    Overdue { ended: NaiveDate },
    /// Due now, until `until` included.
    Due { until: NaiveDate },
}

/// One call to make.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Call {
    pub procedure: Procedure,
    pub kind: FollowUpKind,
    pub state: State,
    /// Calls already made without reaching the patient.
    pub attempts: u32,
    pub last_called: Option<NaiveDateTime>,
    /// The follow-up row's version (None: no call yet), for the next write.
    pub version: Option<i64>,
}

/// Which calls a list shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum When {
    /// Due and overdue.
    #[default]
    All,
    Due,
    Overdue,
}

/// How long after a procedure its calls stay on the list, in days.
pub const HORIZON_DAYS: u64 = 120;

/// The first day of the procedures the list of `today` looks at.
pub fn horizon(today: NaiveDate) -> NaiveDate {
    today
        .checked_sub_days(Days::new(HORIZON_DAYS))
        .unwrap_or(NaiveDate::MIN)
}

/// The calls to make on `today`, overdue first, then by the end of their
/// window, then by case. Procedures before the [`horizon`] are left out.
pub fn calls(
    procedures: &[Procedure],
    recorded: &[Recorded],
    deceased: &HashSet<i64>,
    today: NaiveDate,
) -> Vec<Call> {
    let by_case: HashMap<(i64, FollowUpKind), &Recorded> =
        recorded.iter().map(|r| ((r.case_id, r.kind), r)).collect();
    let since = horizon(today);
    let mut out = Vec::new();
    for p in procedures {
        let done = p.performed_at.date();
        if deceased.contains(&p.patient_id) || done < since {
            continue;
        }
        for kind in [FollowUpKind::J1, FollowUpKind::M1] {
            let last = by_case.get(&(p.case_id, kind)).copied();
            if last.is_some_and(|r| r.reached) {
                continue;
            }
            let Some(state) = state(kind, done, today) else {
                continue;
            };
            out.push(Call {
                procedure: p.clone(),
                kind,
                state,
                attempts: last.map_or(0, |r| r.attempts),
                last_called: last.map(|r| r.called_at),
                version: last.map(|r| r.version),
            });
        }
    }
    out.sort_by(|a, b| {
        (a.state, &a.procedure.external_id, a.kind).cmp(&(
            b.state,
            &b.procedure.external_id,
            b.kind,
        ))
    });
    out
}

/// Where a follow-up of `kind` of a procedure done on `done` stands on
/// `today`; None: not on the list (not yet, or a J+1 whose day passed).
pub fn state(kind: FollowUpKind, done: NaiveDate, today: NaiveDate) -> Option<State> {
    match kind {
        FollowUpKind::J1 => {
            let day = done.checked_add_days(Days::new(1))?;
            (today == day).then_some(State::Due { until: day })
        }
        FollowUpKind::M1 => match m1_due(done, today) {
            Due::NotYet { .. } => None,
            Due::Due { until } => Some(State::Due { until }),
            Due::Overdue { ended } => Some(State::Overdue { ended }),
        },
    }
}

/// The calls `when` asks for, of the operator named `operator` (compared
/// by [`operator_key`]) when one is given.
pub fn select<'a>(calls: &'a [Call], when: When, operator: Option<&str>) -> Vec<&'a Call> {
    let key = operator.map(operator_key);
    calls
        .iter()
        .filter(|c| match when {
            When::All => true,
            When::Due => matches!(c.state, State::Due { .. }),
            When::Overdue => matches!(c.state, State::Overdue { .. }),
        })
        .filter(|c| {
            key.as_ref()
                .is_none_or(|k| operator_key(&c.procedure.operator) == *k)
        })
        .collect()
}

/// The calls of each operator (as first written), operators in the order
/// of their keys; each group keeps the list's order.
pub fn by_operator<'a>(calls: &[&'a Call]) -> Vec<(String, Vec<&'a Call>)> {
    let mut groups: Vec<(String, String, Vec<&'a Call>)> = Vec::new();
    for c in calls {
        let key = operator_key(&c.procedure.operator);
        match groups.iter_mut().find(|g| g.0 == key) {
            Some(g) => g.2.push(c),
            None => groups.push((key, c.procedure.operator.clone(), vec![c])),
        }
    }
    groups.sort_by(|a, b| a.0.cmp(&b.0));
    groups.into_iter().map(|(_, name, v)| (name, v)).collect()
}

/// How many calls are overdue (the board's header).
pub fn overdue(calls: &[Call]) -> usize {
    calls
        .iter()
        .filter(|c| matches!(c.state, State::Overdue { .. }))
        .count()
}

/// An operator's name as links compare it: NFC, lower case, runs of
/// white space as one space, none at the ends ("Dr  MARTIN " = "dr martin").
pub fn operator_key(name: &str) -> String {
    let nfc: String = super::text::sanitize_line(name).nfc().collect();
    nfc.to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Why a follow-up, a death or an operator link is refused (in words:
/// `crate::text::followup::refusal`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// No `outcomes` row with performed = 1: nothing to follow up yet.
    NotPerformed {
        case: String,
    },
    /// A call before the procedure.
    BeforeProcedure {
        case: String,
        performed: NaiveDate,
    },
    Invalid(Invalid),
    /// A death already recorded for this patient.
    AlreadyDead {
        ipp: String,
        on: NaiveDate,
    },
    /// A death dated after today.
    DeathInFuture {
        on: NaiveDate,
        today: NaiveDate,
    },
    NoPatient(String),
    /// A link to a login the users table does not know.
    NoUser(String),
    /// An operator name with nothing visible.
    NoOperator,
    /// `unlink-operator` of a name with no link.
    NoLink(String),
    /// A call that did not reach the patient over one that did: it would
    /// erase the answers (a correction is a reached call).
    AlreadyReached {
        case: String,
        kind: FollowUpKind,
    },
    /// A death dated before the last day the file knows the patient alive
    /// (birth, a procedure performed, a call that reached them).
    DeathBeforeAlive {
        ipp: String,
        on: NaiveDate,
        alive: NaiveDate,
    },
    /// An M1 call before its window opens (J+28).
    M1TooEarly {
        case: String,
        opens: NaiveDate,
    },
    /// A call dated later than now.
    CallInFuture {
        case: String,
        at: NaiveDateTime,
    },
    /// A call dated after the patient's recorded death.
    CallAfterDeath {
        case: String,
        on: NaiveDate,
    },
    /// Something for a patient who died (an instruction sheet).
    Deceased {
        ipp: String,
        on: NaiveDate,
    },
}

#[cfg(test)]
#[path = "followup_tests.rs"]
mod tests;
