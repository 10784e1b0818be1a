//! The facts of the registry extract (`export-cases`, issue 15 §5): one
//! query, one row per procedure (case) scheduled in a period, with its
//! patient, what the committee decided, what happened on the day and the
//! follow-up calls. Identified: `export::registry` pseudonymises them.
//!
//! Like `storage::indicators`: a range scan on `cases_by_time` and, per
//! case, primary-key lookups (the patient, its scores, its outcome, its two
//! follow-ups, the patient's death) and the decisions by `decisions_by_case`.
//! A value the vocabulary does not know (a technique, an anaesthesia, a
//! reason code) is refused as a damaged file, never dropped.

use chrono::NaiveDate;
use chrono_tz::Tz;
use rusqlite::Row;

use super::{Db, Result, StorageError};
use crate::domain::model::Scores;
use crate::domain::outcome::CirseGrade;
use crate::domain::time::DATE_FMT;
use crate::domain::vocab::{Anaesthesia, Analgesics, ReasonCode, Sex, Technique};

/// One procedure, identified.
#[derive(Debug, Clone, PartialEq)]
pub struct Procedure {
    pub ipp: String,
    pub external_id: String,
    pub birth_date: Option<NaiveDate>,
    pub sex: Sex,
    /// The scheduled day (local).
    pub day: NaiveDate,
    /// Planned.
    pub techniques: Vec<Technique>,
    /// Planned.
    pub anaesthesia: Anaesthesia,
    /// Before the procedure (0–10).
    pub pain_before: Option<u8>,
    /// The score items as stored (None: no scores recorded).
    pub scores: Option<Scores>,
    /// `pending`, `validated`, `postponed` or `cancelled`: the case's status.
    pub status: String,
    /// The decision that set the status (None: pending).
    pub decision: Option<Decision>,
    /// Every decision row, oldest first (`undone` included).
    pub history: Vec<Decision>,
    pub outcome: Option<Outcome>,
    pub j1: Option<FollowUp>,
    pub m1: Option<FollowUp>,
    pub died_on: Option<NaiveDate>,
}

/// A decision row.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    /// `validated`, `postponed`, `cancelled` or `undone`.
    pub decision: String,
    /// The local day it was recorded.
    pub on: Option<NaiveDate>,
    pub reason_code: Option<ReasonCode>,
    /// Validated by override (a justification recorded).
    pub overridden: bool,
}

/// What happened on the day.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub performed: bool,
    pub performed_on: Option<NaiveDate>,
    pub techniques: Vec<Technique>,
    pub anaesthesia: Option<Anaesthesia>,
    pub duration_min: Option<u32>,
    pub reason: Option<ReasonCode>,
    pub complication: Option<CirseGrade>,
}

/// A follow-up call (J+1 or M1): the last call's answers.
#[derive(Debug, Clone, PartialEq)]
pub struct FollowUp {
    pub reached: bool,
    pub pain: Option<u8>,
    pub analgesics: Option<Analgesics>,
    pub morphine_mg_day: Option<f64>,
    pub complication: Option<CirseGrade>,
}

/// The decision that set the case's status is the newest of that kind (an
/// undo restores the status of an older one), as `storage::indicators`.
const PROCEDURES: &str = concat!(
    "
SELECT p.ipp, p.birth_date, p.sex, c.external_id, substr(c.scheduled_at, 1, 10),
       c.techniques, c.anaesthesia, c.pain_vas, s.data, c.status,
       d.at, d.decision, d.reason_code, d.override_justification IS NOT NULL,
       (SELECT json_group_array(json_array(h.decision, h.at, h.reason_code,
                                           h.override_justification IS NOT NULL) ORDER BY h.id)
          FROM decisions h WHERE h.case_id = c.id),
       o.performed, substr(o.performed_at, 1, 10), o.techniques, o.anaesthesia, o.duration_min,
       o.reason, o.complication_grade,
       j.reached, j.pain, j.analgesics, j.morphine_mg_day, j.complication_grade,
       m.reached, m.pain, m.analgesics, m.morphine_mg_day, m.complication_grade,
       x.died_on
  FROM cases c
  JOIN patients p ON p.id = c.patient_id
  LEFT JOIN evidence s ON s.case_id = c.id AND s.kind = 'scores'
",
    super::indicators::decision_in_force!(),
    "
  LEFT JOIN outcomes o ON o.case_id = c.id
  LEFT JOIN follow_ups j ON j.case_id = c.id AND j.kind = 'j1'
  LEFT JOIN follow_ups m ON m.case_id = c.id AND m.kind = 'm1'
  LEFT JOIN deaths x ON x.patient_id = c.patient_id
 WHERE c.scheduled_at >= ?1 AND c.scheduled_at < ?2
 ORDER BY c.scheduled_at, c.id"
);

/// The columns as read, before their words are checked.
struct Raw {
    ipp: String,
    birth_date: String,
    sex: String,
    external_id: String,
    day: String,
    techniques: String,
    anaesthesia: String,
    pain_vas: Option<i64>,
    scores: Option<String>,
    status: String,
    decision: Option<RawDecision>,
    history: String,
    outcome: Option<RawOutcome>,
    j1: Option<RawFollowUp>,
    m1: Option<RawFollowUp>,
    died_on: Option<String>,
}

struct RawDecision {
    at: String,
    decision: String,
    reason_code: Option<String>,
    overridden: bool,
}

struct RawOutcome {
    performed: bool,
    on: Option<String>,
    techniques: Option<String>,
    anaesthesia: Option<String>,
    duration_min: Option<i64>,
    reason: Option<String>,
    grade: Option<i64>,
}

struct RawFollowUp {
    reached: bool,
    pain: Option<i64>,
    analgesics: Option<String>,
    morphine: Option<f64>,
    grade: Option<i64>,
}

/// Every procedure scheduled from `from` to `to` (both included), in the
/// order of their scheduled time. The caller checks the read table
/// (`Read::ExportCases`) and traces the read.
pub fn procedures(db: &Db, from: NaiveDate, to: NaiveDate) -> Result<Vec<Procedure>> {
    let tz = db.timezone()?;
    let start = from.format(DATE_FMT).to_string();
    let end = to
        .succ_opt()
        .unwrap_or(NaiveDate::MAX)
        .format(DATE_FMT)
        .to_string();
    let mut stmt = db.conn().prepare_cached(PROCEDURES)?;
    let rows = stmt.query_map([&start, &end], raw)?;
    let mut out = Vec::new();
    for r in rows {
        out.push(procedure(r?, tz)?);
    }
    Ok(out)
}

fn raw(r: &Row<'_>) -> rusqlite::Result<Raw> {
    let decision = match r.get::<_, Option<String>>(10)? {
        Some(at) => Some(RawDecision {
            at,
            decision: r.get(11)?,
            reason_code: r.get(12)?,
            overridden: r.get::<_, Option<bool>>(13)?.unwrap_or(false),
        }),
        None => None,
    };
    let outcome = match r.get::<_, Option<bool>>(15)? {
        Some(performed) => Some(RawOutcome {
            performed,
            on: r.get(16)?,
            techniques: r.get(17)?,
            anaesthesia: r.get(18)?,
            duration_min: r.get(19)?,
            reason: r.get(20)?,
            grade: r.get(21)?,
        }),
        None => None,
    };
    let follow_up = |i: usize| -> rusqlite::Result<Option<RawFollowUp>> {
        Ok(match r.get::<_, Option<bool>>(i)? {
            Some(reached) => Some(RawFollowUp {
                reached,
                pain: r.get(i + 1)?,
                analgesics: r.get(i + 2)?,
                morphine: r.get(i + 3)?,
                grade: r.get(i + 4)?,
            }),
            None => None,
        })
    };
    Ok(Raw {
        ipp: r.get(0)?,
        birth_date: r.get(1)?,
        sex: r.get(2)?,
        external_id: r.get(3)?,
        day: r.get(4)?,
        techniques: r.get(5)?,
        anaesthesia: r.get(6)?,
        pain_vas: r.get(7)?,
        scores: r.get(8)?,
        status: r.get(9)?,
        decision,
        history: r.get::<_, Option<String>>(14)?.unwrap_or_default(),
        outcome,
        j1: follow_up(22)?,
        m1: follow_up(27)?,
        died_on: r.get(32)?,
    })
}

/// A column whose value does not read: the file is damaged (named by the
/// case, which the chair who runs the extract may read).
fn bad(case: &str, what: &str, value: &str) -> StorageError {
    StorageError::Corrupt(format!(
        "case {}: {what} '{}' does not read",
        crate::domain::text::sanitize_line(case),
        crate::domain::text::sanitize_line(value)
    ))
}

fn procedure(r: Raw, tz: Tz) -> Result<Procedure> {
    let case = r.external_id.as_str();
    let word = |what: &str, s: &str| bad(case, what, s);
    let day = NaiveDate::parse_from_str(&r.day, DATE_FMT).map_err(|_| word("day", &r.day))?;
    let techniques = technique_words(case, &r.techniques)?;
    let anaesthesia =
        Anaesthesia::parse(&r.anaesthesia).ok_or_else(|| word("anaesthesia", &r.anaesthesia))?;
    let scores = match &r.scores {
        Some(s) => Some(serde_json::from_str::<Scores>(s).map_err(|_| word("scores", s))?),
        None => None,
    };
    let decision = match r.decision {
        Some(d) => Some(Decision {
            on: local_day(&d.at, tz),
            reason_code: code(case, d.reason_code.as_deref())?,
            decision: d.decision,
            overridden: d.overridden,
        }),
        None => None,
    };
    let rows: Vec<(String, String, Option<String>, u8)> = if r.history.is_empty() {
        Vec::new()
    } else {
        serde_json::from_str(&r.history).map_err(|_| word("decisions", &r.history))?
    };
    let history = rows
        .into_iter()
        .map(|(decision, at, reason, overridden)| {
            Ok(Decision {
                on: local_day(&at, tz),
                reason_code: code(case, reason.as_deref())?,
                decision,
                overridden: overridden != 0,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let outcome = match r.outcome {
        Some(o) => Some(Outcome {
            performed: o.performed,
            performed_on: o
                .on
                .as_deref()
                .map(|s| NaiveDate::parse_from_str(s, DATE_FMT).map_err(|_| word("performed", s)))
                .transpose()?,
            techniques: match &o.techniques {
                Some(t) => technique_words(case, t)?,
                None => Vec::new(),
            },
            anaesthesia: o
                .anaesthesia
                .as_deref()
                .map(|a| Anaesthesia::parse(a).ok_or_else(|| word("anaesthesia", a)))
                .transpose()?,
            duration_min: o.duration_min.and_then(|m| u32::try_from(m).ok()),
            reason: code(case, o.reason.as_deref())?,
            complication: grade(case, o.grade)?,
        }),
        None => None,
    };
    Ok(Procedure {
        birth_date: NaiveDate::parse_from_str(&r.birth_date, DATE_FMT).ok(),
        sex: Sex::parse(&r.sex).ok_or_else(|| word("sex", &r.sex))?,
        day,
        techniques,
        anaesthesia,
        pain_before: r.pain_vas.and_then(|p| u8::try_from(p).ok()),
        scores,
        status: r.status,
        decision,
        history,
        outcome,
        j1: r.j1.map(|f| follow_up(case, f)).transpose()?,
        m1: r.m1.map(|f| follow_up(case, f)).transpose()?,
        died_on: r
            .died_on
            .as_deref()
            .map(|s| NaiveDate::parse_from_str(s, DATE_FMT).map_err(|_| word("death", s)))
            .transpose()?,
        ipp: r.ipp,
        external_id: r.external_id,
    })
}

fn follow_up(case: &str, f: RawFollowUp) -> Result<FollowUp> {
    Ok(FollowUp {
        reached: f.reached,
        pain: f.pain.and_then(|p| u8::try_from(p).ok()),
        analgesics: f
            .analgesics
            .as_deref()
            .map(|a| Analgesics::parse(a).ok_or_else(|| bad(case, "analgesics", a)))
            .transpose()?,
        morphine_mg_day: f.morphine,
        complication: grade(case, f.grade)?,
    })
}

/// The local day of an RFC 3339 instant; a time without an offset (as the
/// demo's history writes them) is read as `storage::indicators` reads it:
/// its leading date.
fn local_day(at: &str, tz: Tz) -> Option<NaiveDate> {
    match chrono::DateTime::parse_from_rfc3339(at) {
        Ok(t) => Some(t.with_timezone(&tz).date_naive()),
        Err(_) => at
            .get(..10)
            .and_then(|d| NaiveDate::parse_from_str(d, DATE_FMT).ok()),
    }
}

/// The technique words of a JSON array, each known.
fn technique_words(case: &str, json: &str) -> Result<Vec<Technique>> {
    let words: Vec<String> =
        serde_json::from_str(json).map_err(|_| bad(case, "techniques", json))?;
    words
        .iter()
        .map(|w| Technique::parse(w).ok_or_else(|| bad(case, "technique", w)))
        .collect()
}

fn code(case: &str, s: Option<&str>) -> Result<Option<ReasonCode>> {
    s.map(|c| ReasonCode::parse(c).ok_or_else(|| bad(case, "reason code", c)))
        .transpose()
}

fn grade(case: &str, g: Option<i64>) -> Result<Option<CirseGrade>> {
    g.map(|g| {
        u8::try_from(g)
            .ok()
            .and_then(CirseGrade::new)
            .ok_or_else(|| bad(case, "CIRSE grade", &g.to_string()))
    })
    .transpose()
}

#[cfg(test)]
#[path = "registry_tests.rs"]
mod tests;
