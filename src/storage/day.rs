//! What happened on the day of a validated case (issue 15 §1), in the
//! `outcomes` table of migration 22 (`outcome.rs`): one row per case.
//!
//! - The outcome: performed (when, by whom, what was done) or not performed
//!   with a coded reason. Only for a case the committee validated (with or
//!   without an override) and scheduled today or before; a procedure is not
//!   performed later than now. Who may: `Permission::RecordOutcome`;
//!   audited `outcome.record` (old and new row).
//! - The immediate complication (CIRSE 1 to 6 and its text), on a case
//!   recorded as performed. Who may: `Permission::RecordComplication`;
//!   audited `outcome.complication`.
//!
//! The row is versioned: a write that carries a stale version is a
//! [`StorageError::Conflict`] naming who changed the case last, as for the
//! follow-ups. What the screen shows: [`load`], into `StoredCase::day`.

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{Connection, OptionalExtension, ToSql, params};

use super::{Result, StorageError, Writer, audit};
use crate::domain::clock::Clock;
use crate::domain::outcome::{
    CirseGrade, Complication, DayRecord, DayRefusal, DayRow, NotPerformed, Outcome, Performed,
};
use crate::domain::roles::Permission;
use crate::domain::text::sanitize_line;
use crate::domain::time::DATETIME_FMT;
use crate::domain::vocab::{Anaesthesia, DecisionStatus, ReasonCode, Technique};

pub use super::followup::Seen;

/// The audited actions (and the refusals').
pub const ACTION: &str = "outcome.record";
pub const COMPLICATION: &str = "outcome.complication";

/// The day of a case as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Saved {
    pub case_id: i64,
    pub external_id: String,
    pub version: i64,
}

fn refused(r: DayRefusal) -> StorageError {
    StorageError::Day(r)
}

/// The case a write is about: its row id, status and scheduled time.
struct Target {
    id: i64,
    external_id: String,
    status: DecisionStatus,
    scheduled_at: NaiveDateTime,
}

fn target(w: &Writer<'_>, external_id: &str) -> Result<Target> {
    let row: Option<(i64, String, String)> = w
        .tx()
        .query_row(
            "SELECT id, status, scheduled_at FROM cases WHERE external_id = ?1",
            [external_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let (id, status, at) = row.ok_or_else(|| StorageError::NoCase(sanitize_line(external_id)))?;
    Ok(Target {
        id,
        external_id: sanitize_line(external_id),
        status: DecisionStatus::parse(&status)
            .ok_or_else(|| super::cases::corrupt("status", &status))?,
        scheduled_at: crate::domain::time::parse_datetime(&at).map_err(StorageError::Corrupt)?,
    })
}

/// Now and today on the hospital's clock (`--today`: that day, noon UTC).
pub(super) fn hospital_now(w: &Writer<'_>) -> Result<(NaiveDateTime, NaiveDate)> {
    let (_, tz) = super::Db::judging(w)?;
    let clock = w.clock();
    let now = chrono::DateTime::parse_from_rfc3339(&clock.timestamp())
        .map(|t| t.with_timezone(&tz).naive_local())
        .map_err(|e| StorageError::Corrupt(e.to_string()))?;
    let today = match clock {
        Clock::Fixed(d) => d,
        Clock::System => now.date(),
    };
    Ok((now, today))
}

/// Checks the version the caller saw against the row's (`found`).
fn check_seen(w: &Writer<'_>, t: &Target, seen: Seen, found: Option<i64>) -> Result<()> {
    let stale = match seen {
        Seen::Unchecked => None,
        Seen::Nothing => found.map(|f| (0, f)),
        Seen::Version(v) => match found {
            Some(f) if f == v => None,
            f => Some((v, f.unwrap_or(0))),
        },
    };
    match stale {
        Some((expected, found)) => Err(super::decisions::conflict(
            w,
            t.id,
            &t.external_id,
            expected,
            found,
        )?),
        None => Ok(()),
    }
}

/// Cleans a free text where it enters: one line, `None` when blank.
fn clean(text: Option<&str>) -> Option<String> {
    text.map(sanitize_line)
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty())
}

/// An outcome's free texts as they are recorded: one line, NFC, no
/// control or invisible characters, `None` when blank.
pub fn cleaned(outcome: &Outcome) -> Outcome {
    let mut outcome = outcome.clone();
    match &mut outcome {
        Outcome::Performed(p) => p.operator = clean(Some(&p.operator)).unwrap_or_default(),
        Outcome::NotPerformed(n) => n.text = clean(n.text.as_deref()),
    }
    outcome
}

/// Records what happened on the day of `external_id`; `seen` is the
/// version of its day the caller saw.
pub fn record_outcome(
    w: &Writer<'_>,
    external_id: &str,
    outcome: &Outcome,
    seen: Seen,
) -> Result<Saved> {
    let t = target(w, external_id)?;
    w.require(Permission::RecordOutcome, ACTION, Some(t.id))?;
    if t.status != DecisionStatus::Validated {
        return Err(refused(DayRefusal::NotValidated {
            case: t.external_id,
            status: t.status,
        }));
    }
    let (now, today) = hospital_now(w)?;
    if t.scheduled_at.date() > today {
        return Err(refused(DayRefusal::NotYet {
            case: t.external_id,
            scheduled: t.scheduled_at.date(),
            today,
        }));
    }
    let outcome = &cleaned(outcome);
    outcome
        .validate()
        .map_err(|e| refused(DayRefusal::Invalid(e)))?;
    if let Outcome::Performed(p) = outcome
        && p.at.date() < t.scheduled_at.date()
    {
        return Err(refused(DayRefusal::BeforeScheduled {
            case: t.external_id,
            at: p.at,
            scheduled: t.scheduled_at.date(),
        }));
    }
    if let Outcome::Performed(p) = outcome
        && p.at > now
    {
        return Err(refused(DayRefusal::InFuture {
            case: t.external_id,
            at: p.at,
            now,
        }));
    }
    let old = row_json(w.tx(), t.id)?;
    let found = old.as_ref().map(|(v, _, _)| *v);
    check_seen(w, &t, seen, found)?;
    if matches!(outcome, Outcome::NotPerformed(_)) && old.as_ref().is_some_and(|(_, c, _)| *c) {
        return Err(refused(DayRefusal::ComplicationRecorded {
            case: t.external_id,
        }));
    }
    let calls: i64 = w.tx().query_row(
        "SELECT count(*) FROM follow_ups WHERE case_id = ?1",
        [t.id],
        |r| r.get(0),
    )?;
    if matches!(outcome, Outcome::NotPerformed(_)) && calls > 0 {
        return Err(refused(DayRefusal::FollowUpsRecorded {
            case: t.external_id,
        }));
    }
    let version = found.map_or(1, |v| v + 1);
    let (performed, at, operator, techniques, anaesthesia, duration, reason, text) = match outcome {
        Outcome::Performed(p) => (
            true,
            Some(p.at.format(DATETIME_FMT).to_string()),
            Some(p.operator.clone()).filter(|o| !o.is_empty()),
            Some(serde_json::to_string(&p.techniques)?),
            Some(p.anaesthesia.as_str()),
            p.duration_min,
            None,
            None,
        ),
        Outcome::NotPerformed(n) => (
            false,
            None,
            None,
            None,
            None,
            None,
            Some(n.reason.as_str()),
            n.text.clone(),
        ),
    };
    w.tx().execute(
        "INSERT INTO outcomes (case_id, performed, performed_at, operator, techniques,
           anaesthesia, duration_min, reason, reason_text, recorded_at, recorded_by, version)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
         ON CONFLICT (case_id) DO UPDATE SET performed = excluded.performed,
           performed_at = excluded.performed_at, operator = excluded.operator,
           techniques = excluded.techniques, anaesthesia = excluded.anaesthesia,
           duration_min = excluded.duration_min, reason = excluded.reason,
           reason_text = excluded.reason_text, recorded_at = excluded.recorded_at,
           recorded_by = excluded.recorded_by, version = excluded.version",
        params![
            t.id,
            performed,
            at,
            operator,
            techniques,
            anaesthesia,
            duration,
            reason,
            text,
            w.clock().timestamp(),
            w.login(),
            version,
        ],
    )?;
    audited(w, ACTION, &t, old.map(|(_, _, j)| j))?;
    Ok(Saved {
        case_id: t.id,
        external_id: t.external_id,
        version,
    })
}

/// Records the immediate complication of `external_id`'s procedure (a
/// case recorded as performed); replaces the one recorded.
pub fn set_complication(
    w: &Writer<'_>,
    external_id: &str,
    complication: &Complication,
    seen: Seen,
) -> Result<Saved> {
    let t = target(w, external_id)?;
    w.require(Permission::RecordComplication, COMPLICATION, Some(t.id))?;
    let performed: Option<bool> = w
        .tx()
        .query_row(
            "SELECT performed FROM outcomes WHERE case_id = ?1",
            [t.id],
            |r| r.get(0),
        )
        .optional()?;
    if performed != Some(true) {
        return Err(refused(DayRefusal::NotPerformed {
            case: t.external_id,
        }));
    }
    let complication = Complication {
        grade: complication.grade,
        text: clean(Some(&complication.text)).unwrap_or_default(),
    };
    complication
        .validate()
        .map_err(|e| refused(DayRefusal::Invalid(e)))?;
    let old = row_json(w.tx(), t.id)?;
    let found = old.as_ref().map(|(v, _, _)| *v);
    check_seen(w, &t, seen, found)?;
    let version = found.map_or(1, |v| v + 1);
    w.tx().execute(
        "UPDATE outcomes SET complication_grade = ?2, complication_text = ?3,
           recorded_at = ?4, recorded_by = ?5, version = ?6
         WHERE case_id = ?1",
        params![
            t.id,
            complication.grade.get(),
            complication.text,
            w.clock().timestamp(),
            w.login(),
            version,
        ],
    )?;
    audited(w, COMPLICATION, &t, old.map(|(_, _, j)| j))?;
    Ok(Saved {
        case_id: t.id,
        external_id: t.external_id,
        version,
    })
}

/// What a case planned and what its day holds (the command line's
/// defaults and the version it replaces), read in the write transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub case_id: i64,
    pub scheduled_at: NaiveDateTime,
    pub operator: String,
    pub techniques: Vec<Technique>,
    pub anaesthesia: Anaesthesia,
    /// The day recorded: its version and whether it has a complication.
    pub day: Option<(i64, bool)>,
}

/// [`Plan`] of `external_id`.
pub fn plan(w: &Writer<'_>, external_id: &str) -> Result<Plan> {
    let row: Option<(i64, String, String, String, String)> = w
        .tx()
        .query_row(
            "SELECT id, scheduled_at, operator, techniques, anaesthesia FROM cases
             WHERE external_id = ?1",
            [external_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .optional()?;
    let (id, at, operator, techniques, anaesthesia) =
        row.ok_or_else(|| StorageError::NoCase(sanitize_line(external_id)))?;
    Ok(Plan {
        case_id: id,
        scheduled_at: crate::domain::time::parse_datetime(&at).map_err(StorageError::Corrupt)?,
        operator: sanitize_line(&operator),
        techniques: serde_json::from_str(&techniques)?,
        anaesthesia: Anaesthesia::parse(&anaesthesia)
            .ok_or_else(|| super::cases::corrupt("anaesthesia", &anaesthesia))?,
        day: row_json(w.tx(), id)?.map(|(v, c, _)| (v, c)),
    })
}

/// The audit row of a write: the row before (`old`) and after.
fn audited(w: &Writer<'_>, action: &str, t: &Target, old: Option<String>) -> Result<()> {
    let new = row_json(w.tx(), t.id)?.map(|(_, _, j)| j);
    audit::record(w, action, Some(t.id), old.as_deref(), new.as_deref())
}

/// The row of a case's day: its version, whether a complication is
/// recorded, and its JSON (what the audit trail keeps).
fn row_json(conn: &Connection, case_id: i64) -> Result<Option<(i64, bool, String)>> {
    Ok(conn
        .query_row(
            "SELECT version, complication_grade IS NOT NULL,
               json_object('performed', json(CASE performed WHEN 1 THEN 'true' ELSE 'false' END),
                 'performed_at', performed_at, 'operator', operator,
                 'techniques', json(techniques), 'anaesthesia', anaesthesia,
                 'duration_min', duration_min, 'reason', reason, 'reason_text', reason_text,
                 'complication_grade', complication_grade,
                 'complication_text', complication_text, 'version', version)
             FROM outcomes WHERE case_id = ?1",
            [case_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?)
}

/// The days of the cases matching `filter` (a condition on `cases c`), by
/// case row id: what `read::load` attaches to each case.
pub(super) fn load(
    conn: &Connection,
    filter: &str,
    params: &[&dyn ToSql],
) -> Result<Vec<(i64, DayRow)>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT o.case_id, o.performed, o.performed_at, o.operator, o.techniques, o.anaesthesia,
           o.duration_min, o.reason, o.reason_text, o.complication_grade, o.complication_text,
           o.recorded_at, o.recorded_by, o.version
         FROM cases c JOIN outcomes o ON o.case_id = c.id WHERE {filter}"
    ))?;
    let rows = stmt
        .query_map(params, |r| Ok((r.get::<_, i64>(0)?, day_from_row(r))))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter().map(|(id, day)| Ok((id, day?))).collect()
}

fn day_from_row(r: &rusqlite::Row<'_>) -> Result<DayRow> {
    let corrupt = super::cases::corrupt;
    let outcome = if r.get::<_, bool>(1)? {
        let at: String = r.get::<_, Option<String>>(2)?.unwrap_or_default();
        let techniques: Vec<Technique> =
            serde_json::from_str(&r.get::<_, Option<String>>(4)?.unwrap_or_default())?;
        let anaesthesia: String = r.get::<_, Option<String>>(5)?.unwrap_or_default();
        Outcome::Performed(Performed {
            at: super::followup::parse_at(&at)?,
            operator: r.get::<_, Option<String>>(3)?.unwrap_or_default(),
            techniques,
            anaesthesia: Anaesthesia::parse(&anaesthesia)
                .ok_or_else(|| corrupt("outcomes.anaesthesia", &anaesthesia))?,
            duration_min: r.get(6)?,
        })
    } else {
        let reason: String = r.get::<_, Option<String>>(7)?.unwrap_or_default();
        Outcome::NotPerformed(NotPerformed {
            reason: ReasonCode::parse(&reason)
                .ok_or_else(|| corrupt("outcomes.reason", &reason))?,
            text: r.get(8)?,
        })
    };
    let complication = match r.get::<_, Option<u8>>(9)? {
        Some(g) => Some(Complication {
            grade: CirseGrade::new(g)
                .ok_or_else(|| corrupt("outcomes.complication_grade", &g.to_string()))?,
            text: r.get::<_, Option<String>>(10)?.unwrap_or_default(),
        }),
        None => None,
    };
    Ok(DayRow {
        record: DayRecord {
            outcome,
            complication,
        },
        recorded_at: r.get(11)?,
        recorded_by: r.get(12)?,
        version: r.get(13)?,
    })
}

#[cfg(test)]
#[path = "day_tests.rs"]
mod tests;
