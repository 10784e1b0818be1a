//! The follow-up calls and the patients who died (issue 15 §2), in the
//! tables of migration 22 (`outcome.rs`). A case is followed up once it has
//! an `outcomes` row with performed = 1; its day is `performed_at`.
//!
//! - A follow-up: one row per case and kind (j1, m1). A new call replaces
//!   the answers and counts one more attempt; the row is versioned (a write
//!   that carries a stale version is a [`StorageError::Conflict`]) and
//!   audited (`follow_up.record`, old and new row). Who may:
//!   `Permission::RecordFollowUp`.
//! - A death: once per patient (a second one is refused, naming the date
//!   recorded), audited with the patient (`patient.death`); no call is
//!   recorded after its day.
//! - What the call list reads: [`inputs`] (`Read::FollowUps` first).

use std::collections::{HashMap, HashSet};

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::{Value, json};

use super::{Db, Result, StorageError, Writer, audit};
use crate::domain::followup::{Procedure, Recorded, Refusal};
use crate::domain::outcome::FollowUp;
use crate::domain::roles::{Permission, Read};
use crate::domain::text::sanitize_line;
use crate::domain::time::{DATE_FMT, DATETIME_FMT};
use crate::domain::vocab::{FollowUpKind, Technique};

/// The audited actions (and the refusals').
pub const ACTION: &str = "follow_up.record";
pub const DEATH: &str = "patient.death";

/// What the write carries of the row the person saw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seen {
    /// No check (the command line: the call is typed as made).
    Unchecked,
    /// No call was recorded when the form opened.
    Nothing,
    /// The row at this version.
    Version(i64),
}

/// A follow-up as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Saved {
    pub case_id: i64,
    pub external_id: String,
    pub kind: FollowUpKind,
    pub reached: bool,
    /// Calls made for this follow-up, this one included.
    pub attempts: u32,
    pub version: i64,
}

fn refused(r: Refusal) -> StorageError {
    StorageError::FollowUp(r)
}

/// Records a call of `external_id`'s follow-up (`call.attempts` is not
/// read: the file counts them).
pub fn record(w: &Writer<'_>, external_id: &str, call: &FollowUp, seen: Seen) -> Result<Saved> {
    let tx = w.tx();
    let case_id: i64 = tx
        .query_row(
            "SELECT id FROM cases WHERE external_id = ?1",
            [external_id],
            |r| r.get(0),
        )
        .optional()?
        .ok_or_else(|| StorageError::NoCase(sanitize_line(external_id)))?;
    w.require(Permission::RecordFollowUp, ACTION, Some(case_id))?;
    let external_id = sanitize_line(external_id);
    let performed: Option<String> = tx
        .query_row(
            "SELECT performed_at FROM outcomes WHERE case_id = ?1 AND performed = 1",
            [case_id],
            |r| r.get(0),
        )
        .optional()?
        .flatten();
    let Some(performed) = performed else {
        return Err(refused(Refusal::NotPerformed { case: external_id }));
    };
    let performed_at = parse_at(&performed)?;
    let performed = performed_at.date();
    if call.called_at < performed_at {
        return Err(refused(Refusal::BeforeProcedure {
            case: external_id,
            performed,
        }));
    }
    // An M1 call is one from the window's first day (J+28): earlier, it
    // would count in the one-month figures without being one.
    let opens = crate::domain::outcome::m1_window(performed).0;
    if call.kind == FollowUpKind::M1 && call.called_at.date() < opens {
        return Err(refused(Refusal::M1TooEarly {
            case: external_id,
            opens,
        }));
    }
    let (now, _) = super::day::hospital_now(w)?;
    if call.called_at > now {
        return Err(refused(Refusal::CallInFuture {
            case: external_id,
            at: call.called_at,
        }));
    }
    let died: Option<String> = tx
        .query_row(
            "SELECT d.died_on FROM deaths d JOIN cases c ON c.patient_id = d.patient_id
             WHERE c.id = ?1",
            [case_id],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(on) = died.as_deref().map(parse_day).transpose()?
        && call.called_at.date() > on
    {
        return Err(refused(Refusal::CallAfterDeath {
            case: external_id,
            on,
        }));
    }
    call.validate().map_err(|e| refused(Refusal::Invalid(e)))?;
    let old = old_row(w.tx(), case_id, call.kind)?;
    let found = old.as_ref().map(|(v, _, _)| *v);
    let stale = match seen {
        Seen::Unchecked => None,
        Seen::Nothing => found.map(|f| (0, f)),
        Seen::Version(v) => match found {
            Some(f) if f == v => None,
            f => Some((v, f.unwrap_or(0))),
        },
    };
    if let Some((expected, found)) = stale {
        return Err(super::decisions::conflict(
            w,
            case_id,
            &external_id,
            expected,
            found,
        )?);
    }
    if !call.reached && old.as_ref().is_some_and(|(_, _, row)| row["reached"] == 1) {
        return Err(refused(Refusal::AlreadyReached {
            case: external_id,
            kind: call.kind,
        }));
    }
    let attempts = old.as_ref().map_or(1, |(_, a, _)| a + 1);
    let version = found.map_or(1, |v| v + 1);
    let text = call.complication.as_ref().map(|c| sanitize_line(&c.text));
    let grade = call.complication.as_ref().map(|c| c.grade.get());
    let called_at = call.called_at.format(DATETIME_FMT).to_string();
    tx.execute(
        "INSERT INTO follow_ups (case_id, kind, called_at, reached, pain, analgesics,
           morphine_mg_day, complication_grade, complication_text, attempts, recorded_at,
           recorded_by, version)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
         ON CONFLICT (case_id, kind) DO UPDATE SET called_at = excluded.called_at,
           reached = excluded.reached, pain = excluded.pain, analgesics = excluded.analgesics,
           morphine_mg_day = excluded.morphine_mg_day,
           complication_grade = excluded.complication_grade,
           complication_text = excluded.complication_text, attempts = excluded.attempts,
           recorded_at = excluded.recorded_at, recorded_by = excluded.recorded_by,
           version = excluded.version",
        params![
            case_id,
            call.kind.as_str(),
            called_at,
            call.reached,
            call.pain,
            call.analgesics.map(|a| a.as_str()),
            call.morphine_mg_day,
            grade,
            text,
            attempts,
            w.clock().timestamp(),
            w.login(),
            version,
        ],
    )?;
    let new = json!({
        "kind": call.kind.as_str(),
        "called_at": called_at,
        "reached": call.reached,
        "pain": call.pain,
        "analgesics": call.analgesics.map(|a| a.as_str()),
        "morphine_mg_day": call.morphine_mg_day,
        "complication_grade": grade,
        "complication_text": text,
        "attempts": attempts,
        "version": version,
    });
    let old = old.map(|(_, _, v)| v.to_string());
    audit::record(
        w,
        ACTION,
        Some(case_id),
        old.as_deref(),
        Some(&new.to_string()),
    )?;
    Ok(Saved {
        case_id,
        external_id,
        kind: call.kind,
        reached: call.reached,
        attempts,
        version,
    })
}

/// The row of a follow-up before a write: its version, attempts and JSON.
fn old_row(
    conn: &Connection,
    case_id: i64,
    kind: FollowUpKind,
) -> Result<Option<(i64, u32, Value)>> {
    conn.query_row(
        "SELECT version, attempts, json_object('kind', kind, 'called_at', called_at,
               'reached', reached, 'pain', pain, 'analgesics', analgesics,
               'morphine_mg_day', morphine_mg_day, 'complication_grade', complication_grade,
               'complication_text', complication_text, 'attempts', attempts,
               'version', version)
             FROM follow_ups WHERE case_id = ?1 AND kind = ?2",
        params![case_id, kind.as_str()],
        |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, u32>(1)?,
                r.get::<_, String>(2)?,
            ))
        },
    )
    .optional()?
    .map(|(v, a, j)| -> Result<(i64, u32, Value)> { Ok((v, a, serde_json::from_str(&j)?)) })
    .transpose()
}

/// A death recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Death {
    pub patient_id: i64,
    pub ipp: String,
    pub died_on: NaiveDate,
}

/// Records that the patient `ipp` died on `died_on` (once; not after
/// today), audited with the patient.
pub fn record_death(w: &Writer<'_>, ipp: &str, died_on: NaiveDate) -> Result<Death> {
    w.require(Permission::RecordFollowUp, DEATH, None)?;
    let tx = w.tx();
    let ipp = sanitize_line(ipp);
    let patient_id: i64 = tx
        .query_row("SELECT id FROM patients WHERE ipp = ?1", [&ipp], |r| {
            r.get(0)
        })
        .optional()?
        .ok_or_else(|| refused(Refusal::NoPatient(ipp.clone())))?;
    let known: Option<String> = tx
        .query_row(
            "SELECT died_on FROM deaths WHERE patient_id = ?1",
            [patient_id],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(on) = known {
        return Err(refused(Refusal::AlreadyDead {
            ipp,
            on: parse_day(&on)?,
        }));
    }
    let today = w.clock().today();
    if died_on > today {
        return Err(refused(Refusal::DeathInFuture { on: died_on, today }));
    }
    let on = died_on.format(DATE_FMT).to_string();
    // Not before what the file knows of them alive: their birth, a
    // procedure performed, a call that reached them.
    let alive: Option<String> = tx.query_row(
        "SELECT max(d) FROM (
           SELECT birth_date AS d FROM patients WHERE id = ?1
           UNION ALL SELECT substr(o.performed_at, 1, 10) FROM outcomes o
             JOIN cases c ON c.id = o.case_id WHERE c.patient_id = ?1 AND o.performed = 1
           UNION ALL SELECT substr(f.called_at, 1, 10) FROM follow_ups f
             JOIN cases c ON c.id = f.case_id WHERE c.patient_id = ?1 AND f.reached = 1)",
        [patient_id],
        |r| r.get(0),
    )?;
    if let Some(alive) = alive.as_deref().map(parse_day).transpose()?
        && died_on < alive
    {
        return Err(refused(Refusal::DeathBeforeAlive {
            ipp,
            on: died_on,
            alive,
        }));
    }
    tx.execute(
        "INSERT INTO deaths (patient_id, died_on, recorded_at, recorded_by)
         VALUES (?1, ?2, ?3, ?4)",
        params![patient_id, on, w.clock().timestamp(), w.login()],
    )?;
    let new = json!({ "ipp": ipp, "died_on": on });
    audit::record_for_patient(w, DEATH, patient_id, None, Some(&new.to_string()))?;
    Ok(Death {
        patient_id,
        ipp,
        died_on,
    })
}

/// The deaths recorded, by the patient's IPP (what the chase list, the
/// instruction sheets and the board know a case's patient by).
pub fn deaths(conn: &Connection) -> Result<HashMap<String, NaiveDate>> {
    let mut stmt = conn.prepare_cached(
        "SELECT p.ipp, d.died_on FROM deaths d JOIN patients p ON p.id = d.patient_id",
    )?;
    let rows = stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter()
        .map(|(ipp, on)| Ok((ipp, parse_day(&on)?)))
        .collect()
}

/// What the call list is computed from.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    pub procedures: Vec<Procedure>,
    pub recorded: Vec<Recorded>,
    /// The patients (row ids) who died.
    pub deceased: HashSet<i64>,
}

/// Reads the procedures performed since the call list's horizon
/// (`domain::followup::horizon` of the file's today: a range scan on
/// `outcomes_by_performed_at`), their follow-ups and the deaths, once the
/// read table allows `Read::FollowUps` (the caller traces what it shows:
/// [`trace`]).
pub fn inputs(db: &Db) -> Result<Inputs> {
    db.require_read(Read::FollowUps)?;
    let conn = db.conn();
    let mut stmt = conn.prepare_cached(
        "SELECT c.id, c.external_id, c.patient_id, p.last_name, p.first_name, p.ipp,
                coalesce(o.techniques, c.techniques), o.performed_at,
                coalesce(nullif(trim(o.operator), ''), c.operator), c.pain_vas
         FROM outcomes o JOIN cases c ON c.id = o.case_id JOIN patients p ON p.id = c.patient_id
         WHERE o.performed = 1 AND o.performed_at >= ?1
         ORDER BY o.performed_at, c.id",
    )?;
    let since = crate::domain::followup::horizon(db.clock().today())
        .format(crate::domain::time::DATE_FMT)
        .to_string();
    let rows = stmt
        .query_map([&since], |r| {
            Ok((
                (
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, i64>(2)?,
                ),
                (
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, String>(5)?,
                ),
                (r.get::<_, String>(6)?, r.get::<_, String>(7)?),
                (r.get::<_, String>(8)?, r.get::<_, Option<u8>>(9)?),
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut procedures = Vec::with_capacity(rows.len());
    for ((case_id, external_id, patient_id), (last, first, ipp), (tech, at), (op, pain)) in rows {
        let techniques: Vec<Technique> = serde_json::from_str(&tech)?;
        procedures.push(Procedure {
            case_id,
            external_id: sanitize_line(&external_id),
            patient_id,
            patient: sanitize_line(&format!("{} {}", last.to_uppercase(), first)),
            ipp: sanitize_line(&ipp),
            techniques,
            performed_at: parse_at(&at)?,
            operator: sanitize_line(&op),
            pain_before: pain,
        });
    }
    let mut stmt = conn.prepare_cached(
        "SELECT f.case_id, f.kind, f.reached, f.attempts, f.called_at, f.version
         FROM outcomes o JOIN follow_ups f ON f.case_id = o.case_id
         WHERE o.performed = 1 AND o.performed_at >= ?1",
    )?;
    let rows = stmt
        .query_map([&since], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, bool>(2)?,
                r.get::<_, u32>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, i64>(5)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut recorded = Vec::with_capacity(rows.len());
    for (case_id, kind, reached, attempts, at, version) in rows {
        recorded.push(Recorded {
            case_id,
            kind: FollowUpKind::parse(&kind)
                .ok_or_else(|| super::cases::corrupt("follow_ups.kind", &kind))?,
            reached,
            attempts,
            called_at: parse_at(&at)?,
            version,
        });
    }
    let deceased = conn
        .prepare_cached("SELECT patient_id FROM deaths")?
        .query_map([], |r| r.get::<_, i64>(0))?
        .collect::<rusqlite::Result<HashSet<_>>>()?;
    Ok(Inputs {
        procedures,
        recorded,
        deceased,
    })
}

/// The row id of the case `external_id` (no patient data: what a write's
/// [`super::needs::follow_up`] names before the write lock is taken).
pub fn case_id(db: &Db, external_id: &str) -> Result<i64> {
    db.conn()
        .query_row(
            "SELECT id FROM cases WHERE external_id = ?1",
            [external_id],
            |r| r.get(0),
        )
        .optional()?
        .ok_or_else(|| StorageError::NoCase(sanitize_line(external_id)))
}

/// Migration 28: the performed cases by day, with what the overdue count
/// reads ([`overdue_count`]), so that it never reads the cases themselves.
pub const OVERDUE_INDEX: &str = "
    CREATE INDEX case_facts_by_performed ON case_facts (performed_on, m1_reached, patient_id)
      WHERE performed = 1;";

/// How many M1 follow-ups are overdue on `today` (the board's header):
/// what `domain::followup::overdue` counts over [`inputs`] — performed
/// more than J+42 ago but within the list's horizon, no M1 call that
/// reached the patient, the patient alive — in one query that
/// materialises no row, once the read table allows `Read::FollowUps`. The
/// board reads it at each load, so it scans the indicators' `case_facts`
/// (kept by triggers from the outcomes and the calls) through
/// [`OVERDUE_INDEX`], which holds all it needs but the deaths: 5 ms on the
/// 1,000,600-case file where the join over outcomes, cases and calls took 44.
pub fn overdue_count(db: &Db, today: NaiveDate) -> Result<usize> {
    db.require_read(Read::FollowUps)?;
    // Overdue: done + 42 < today, i.e. done < today - 42.
    let Some(cutoff) =
        today.checked_sub_days(chrono::Days::new(crate::domain::outcome::M1_TO_DAYS))
    else {
        return Ok(0);
    };
    let n: i64 = db
        .conn()
        .prepare_cached(
            "SELECT count(*) FROM case_facts f
              WHERE f.performed = 1 AND f.performed_on >= ?2 AND f.performed_on < ?1
                AND f.m1_reached IS NOT 1
                AND NOT EXISTS (SELECT 1 FROM deaths d WHERE d.patient_id = f.patient_id)",
        )?
        .query_row(
            [
                cutoff.format(DATE_FMT).to_string(),
                crate::domain::followup::horizon(today)
                    .format(DATE_FMT)
                    .to_string(),
            ],
            |r| r.get(0),
        )?;
    Ok(usize::try_from(n).unwrap_or(0))
}

/// Traces the call list shown (`subject`: its filter) for `case_ids`.
pub fn trace(db: &Db, subject: &str, case_ids: &[i64]) -> Result<()> {
    audit::reads::trace(db, audit::reads::What::FollowUps, Some(subject), case_ids)
}

/// The operators' names (as keys) linked to `login`: "mine".
pub fn operators_of(db: &Db, login: &str) -> Result<Vec<String>> {
    let mut stmt = db
        .conn()
        .prepare_cached("SELECT operator_key FROM operator_links WHERE login = ?1 ORDER BY 1")?;
    let keys = stmt
        .query_map([login], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(keys)
}

pub(super) fn parse_at(s: &str) -> Result<NaiveDateTime> {
    NaiveDateTime::parse_from_str(s, DATETIME_FMT)
        .map_err(|_| super::cases::corrupt("date and time", s))
}

pub(super) fn parse_day(s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s, DATE_FMT).map_err(|_| super::cases::corrupt("date", s))
}

#[cfg(test)]
#[path = "followup_tests.rs"]
pub(super) mod tests;
