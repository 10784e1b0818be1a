//! Reading cases: the week's query and one case by its external id, with
//! their evidence, who recorded it, and their notes.

use std::collections::HashMap;

use rusqlite::{OptionalExtension, Row};

use super::cases::{SCHEDULE_LEN, corrupt, patient_from_row, schedule_from_row};
use super::{Db, Result, StorageError};
use crate::domain::model::{CaseFile, Procedure};
use crate::domain::record::{EvidenceKind, Note, Recorded, StoredCase};
use crate::domain::time::{DATE_FMT, parse_datetime};
use crate::domain::vocab::{Anaesthesia, BleedingRisk, DecisionStatus, Technique};
use crate::domain::week::Week;

const CASE_SELECT: &str = "SELECT c.patient_id, c.scheduled_at, c.room, c.operator, c.techniques,
       c.target, c.anaesthesia, c.bleeding_risk, c.duration_min, c.pain_vas,
       c.life_expectancy_over_6_months,
       p.ipp, p.last_name, p.first_name, p.birth_date, p.sex,
       c.id, c.external_id, c.version, c.status
     FROM cases c JOIN patients p ON p.id = c.patient_id";

/// The cases scheduled in `week`, by time then room, with their evidence
/// and notes. Each query is a range scan on `cases_by_time` (plus primary
/// key lookups): the cost does not grow with the years the file holds.
pub fn week(db: &Db, week: Week) -> Result<Vec<StoredCase>> {
    let from = week.monday().format(DATE_FMT).to_string();
    let to = week.end().format(DATE_FMT).to_string();
    let conn = db.conn();
    let mut stmt = conn.prepare_cached(&format!(
        "{CASE_SELECT} WHERE c.scheduled_at >= ?1 AND c.scheduled_at < ?2
         ORDER BY c.scheduled_at, c.room, c.id"
    ))?;
    let mut cases = stmt
        .query_map([&from, &to], |r| Ok(case_from_row(r)))?
        .map(|r| r.map_err(StorageError::from).and_then(|c| c))
        .collect::<Result<Vec<_>>>()?;
    let index: HashMap<i64, usize> = cases.iter().enumerate().map(|(i, c)| (c.id, i)).collect();
    let mut ev = conn.prepare_cached(
        "SELECT e.case_id, e.kind, e.data, e.source, e.updated_at, e.updated_by, e.version
         FROM cases c JOIN evidence e ON e.case_id = c.id
         WHERE c.scheduled_at >= ?1 AND c.scheduled_at < ?2",
    )?;
    for row in ev.query_map([&from, &to], |r| {
        Ok((r.get::<_, i64>(0)?, evidence_from_row(r, 1)))
    })? {
        let (case_id, evidence) = row?;
        if let Some(&i) = index.get(&case_id) {
            attach(&mut cases[i], evidence?)?;
        }
    }
    let mut notes = conn.prepare_cached(
        "SELECT n.case_id, n.at, n.author, n.body, n.source
         FROM cases c JOIN notes n ON n.case_id = c.id
         WHERE c.scheduled_at >= ?1 AND c.scheduled_at < ?2 ORDER BY n.id",
    )?;
    for row in notes.query_map([&from, &to], |r| {
        Ok((r.get::<_, i64>(0)?, note_from_row(r, 1)?))
    })? {
        let (case_id, note) = row?;
        if let Some(&i) = index.get(&case_id) {
            cases[i].notes.push(note);
        }
    }
    for c in &mut cases {
        c.recorded.sort_by_key(|r| r.kind);
    }
    Ok(cases)
}

/// One case by its external id, with its evidence and notes.
pub fn by_external_id(db: &Db, external_id: &str) -> Result<StoredCase> {
    let conn = db.conn();
    let mut c = conn
        .query_row(
            &format!("{CASE_SELECT} WHERE c.external_id = ?1"),
            [external_id],
            |r| Ok(case_from_row(r)),
        )
        .optional()?
        .ok_or_else(|| StorageError::NoCase(external_id.to_owned()))??;
    let mut ev = conn.prepare_cached(
        "SELECT kind, data, source, updated_at, updated_by, version FROM evidence WHERE case_id = ?1",
    )?;
    for evidence in ev.query_map([c.id], |r| Ok(evidence_from_row(r, 0)))? {
        attach(&mut c, evidence??)?;
    }
    c.recorded.sort_by_key(|r| r.kind);
    let mut notes = conn.prepare_cached(
        "SELECT at, author, body, source FROM notes WHERE case_id = ?1 ORDER BY id",
    )?;
    c.notes = notes
        .query_map([c.id], |r| note_from_row(r, 0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(c)
}

/// How many cases the file holds.
pub fn count(db: &Db) -> Result<i64> {
    Ok(db
        .conn()
        .query_row("SELECT count(*) FROM cases", [], |r| r.get(0))?)
}

/// An evidence row: its metadata and its JSON.
struct Evidence {
    recorded: Recorded,
    data: String,
}

fn evidence_from_row(r: &Row<'_>, at: usize) -> Result<Evidence> {
    let kind: String = r.get(at)?;
    Ok(Evidence {
        data: r.get(at + 1)?,
        recorded: Recorded {
            kind: EvidenceKind::parse(&kind).ok_or_else(|| corrupt("evidence kind", &kind))?,
            source: r.get(at + 2)?,
            at: r.get(at + 3)?,
            by: r.get(at + 4)?,
            version: r.get(at + 5)?,
        },
    })
}

fn attach(case: &mut StoredCase, e: Evidence) -> Result<()> {
    case.file.set_evidence_json(e.recorded.kind, &e.data)?;
    case.recorded.push(e.recorded);
    Ok(())
}

fn note_from_row(r: &Row<'_>, at: usize) -> rusqlite::Result<Note> {
    Ok(Note {
        at: r.get(at)?,
        author: r.get(at + 1)?,
        body: r.get(at + 2)?,
        source: r.get(at + 3)?,
    })
}

/// Builds the case (without evidence) from a row of [`CASE_SELECT`].
fn case_from_row(r: &Row<'_>) -> Result<StoredCase> {
    let sched = schedule_from_row(r, 0)?;
    let patient = patient_from_row(r, SCHEDULE_LEN)?;
    let base = SCHEDULE_LEN + 5;
    let techniques: Vec<String> = serde_json::from_str(&sched.techniques)?;
    let techniques = techniques
        .iter()
        .map(|t| Technique::parse(t).ok_or_else(|| corrupt("technique", t)))
        .collect::<Result<Vec<_>>>()?;
    let status: String = r.get(base + 3)?;
    let procedure = Procedure {
        scheduled_at: parse_datetime(&sched.scheduled_at).map_err(StorageError::Corrupt)?,
        room: sched.room,
        operator: sched.operator,
        techniques,
        target: sched.target,
        anaesthesia: Anaesthesia::parse(&sched.anaesthesia)
            .ok_or_else(|| corrupt("anaesthesia", &sched.anaesthesia))?,
        bleeding_risk: sched
            .bleeding_risk
            .as_deref()
            .map(|b| BleedingRisk::parse(b).ok_or_else(|| corrupt("bleeding risk", b)))
            .transpose()?,
        duration_min: sched.duration_min,
    };
    Ok(StoredCase {
        id: r.get(base)?,
        version: r.get(base + 2)?,
        status: DecisionStatus::parse(&status).ok_or_else(|| corrupt("status", &status))?,
        file: CaseFile::new(r.get(base + 1)?, patient, procedure)
            .with_clinical(sched.pain_vas, sched.life_expectancy_over_6_months),
        recorded: Vec::new(),
        notes: Vec::new(),
    })
}
