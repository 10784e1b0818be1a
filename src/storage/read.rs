//! Reading cases: the week's query, the cases postponed into a week, one
//! case by its external id or row id; each with its evidence, who recorded
//! it, its notes and its decision history.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::{Connection, Row, ToSql};

use super::cases::{SCHEDULE_LEN, corrupt, patient_from_row, schedule_from_row};
use super::{Db, Result, StorageError};
use crate::domain::model::{CaseFile, Procedure};
use crate::domain::record::{
    DecisionKind, DecisionRow, EvidenceKind, Note, Recorded, StoredCase, mark_undone,
};
use crate::domain::time::{DATE_FMT, parse_datetime};
use crate::domain::vocab::{
    Access, Anaesthesia, BleedingRisk, DecisionStatus, ReasonCode, Technique,
};
use crate::domain::week::Week;

const CASE_SELECT: &str = "SELECT c.patient_id, c.scheduled_at, c.room, c.operator, c.techniques,
       c.target, c.anaesthesia, c.bleeding_risk, c.duration_min, c.pain_vas,
       c.life_expectancy_over_6_months, c.access,
       p.ipp, p.last_name, p.first_name, p.birth_date, p.sex,
       c.id, c.external_id, c.version, c.status, c.postponed_to,
       (SELECT d.died_on FROM deaths d WHERE d.patient_id = c.patient_id)
     FROM cases c JOIN patients p ON p.id = c.patient_id";

/// The cases of a week: a range scan on `cases_by_time`.
const IN_WEEK: &str = "c.scheduled_at >= ?1 AND c.scheduled_at < ?2";
/// The cases postponed into a week: a search of `cases_by_postponed_to`.
const POSTPONED_TO: &str = "c.postponed_to = ?1 AND c.status = 'postponed'";

/// The cases scheduled in `week`, by time then room, with their evidence,
/// notes and decisions. Each query is a range scan on `cases_by_time` (plus
/// primary key and per-case index lookups): the cost does not grow with the
/// years the file holds.
pub fn week(db: &Db, week: Week) -> Result<Vec<StoredCase>> {
    let from = week.monday().format(DATE_FMT).to_string();
    let to = week.end().format(DATE_FMT).to_string();
    load(db.conn(), IN_WEEK, &[&from, &to])
}

/// The cases postponed into `week` (still postponed, `postponed_to` = that
/// week), by their original time: the screen shows them at the top of
/// `week`, "to reschedule". A search of the `cases_by_postponed_to` index.
pub fn to_reschedule(db: &Db, week: Week) -> Result<Vec<StoredCase>> {
    load(db.conn(), POSTPONED_TO, &[&week.to_string()])
}

/// The validated cases scheduled from `from` (included) to `to` (excluded),
/// by time: a range scan on `cases_by_time`, the status filtered on the rows
/// it reads.
pub fn validated_between(db: &Db, from: NaiveDate, to: NaiveDate) -> Result<Vec<StoredCase>> {
    let (from, to) = (
        from.format(DATE_FMT).to_string(),
        to.format(DATE_FMT).to_string(),
    );
    load(
        db.conn(),
        "c.scheduled_at >= ?1 AND c.scheduled_at < ?2 AND c.status = 'validated'",
        &[&from, &to],
    )
}

/// One case by its external id, with its evidence, notes and decisions.
pub fn by_external_id(db: &Db, external_id: &str) -> Result<StoredCase> {
    load(db.conn(), "c.external_id = ?1", &[&external_id])?
        .pop()
        .ok_or_else(|| StorageError::NoCase(external_id.to_owned()))
}

/// One case by its row id, with its evidence, notes and decisions.
pub fn by_id(db: &Db, id: i64) -> Result<StoredCase> {
    by_id_in(db.conn(), id)
}

/// [`by_id`] on a connection or an open transaction (reads that a write
/// depends on are made under its lock).
pub(crate) fn by_id_in(conn: &Connection, id: i64) -> Result<StoredCase> {
    load(conn, "c.id = ?1", &[&id])?
        .pop()
        .ok_or_else(|| StorageError::NoCase(id.to_string()))
}

/// The cases matching `filter` (a condition on `cases c`), by time then
/// room. The evidence, notes and decisions are read by one query each,
/// joined on the same condition, so each is the same index search.
fn load(conn: &Connection, filter: &str, params: &[&dyn ToSql]) -> Result<Vec<StoredCase>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{CASE_SELECT} WHERE {filter} ORDER BY c.scheduled_at, c.room, c.id"
    ))?;
    let mut cases = stmt
        .query_map(params, |r| Ok(case_from_row(r)))?
        .map(|r| r.map_err(StorageError::from).and_then(|c| c))
        .collect::<Result<Vec<_>>>()?;
    if cases.is_empty() {
        return Ok(cases);
    }
    let index: HashMap<i64, usize> = cases.iter().enumerate().map(|(i, c)| (c.id, i)).collect();
    let mut ev = conn.prepare_cached(&format!(
        "SELECT e.case_id, e.kind, e.data, e.source, e.updated_at, e.updated_by, e.version
         FROM cases c JOIN evidence e ON e.case_id = c.id WHERE {filter}"
    ))?;
    for row in ev.query_map(params, |r| {
        Ok((r.get::<_, i64>(0)?, evidence_from_row(r, 1)))
    })? {
        let (case_id, evidence) = row?;
        if let Some(c) = index.get(&case_id).and_then(|&i| cases.get_mut(i)) {
            attach(c, evidence?)?;
        }
    }
    let mut notes = conn.prepare_cached(&format!(
        "SELECT n.case_id, n.at, n.author, n.body, n.source
         FROM cases c JOIN notes n ON n.case_id = c.id WHERE {filter} ORDER BY n.id"
    ))?;
    for row in notes.query_map(params, |r| Ok((r.get::<_, i64>(0)?, note_from_row(r, 1)?)))? {
        let (case_id, note) = row?;
        if let Some(c) = index.get(&case_id).and_then(|&i| cases.get_mut(i)) {
            c.notes.push(note);
        }
    }
    let mut decisions = conn.prepare_cached(&format!(
        "SELECT d.case_id, d.at, d.by_login, d.decision, d.reason, d.to_week,
           d.override_justification, d.override_items, d.reason_code
         FROM cases c JOIN decisions d ON d.case_id = c.id WHERE {filter} ORDER BY d.id"
    ))?;
    for row in decisions.query_map(params, |r| {
        Ok((r.get::<_, i64>(0)?, decision_from_row(r, 1)))
    })? {
        let (case_id, decision) = row?;
        if let Some(c) = index.get(&case_id).and_then(|&i| cases.get_mut(i)) {
            c.decisions.push(decision?);
        }
    }
    for (case_id, pending) in super::reimport::load_pending(conn, filter, params)? {
        if let Some(c) = index.get(&case_id).and_then(|&i| cases.get_mut(i)) {
            c.pending.push(pending);
        }
    }
    for (case_id, risk, access) in super::procedure::load_set_by(conn, filter, params)? {
        if let Some(c) = index.get(&case_id).and_then(|&i| cases.get_mut(i)) {
            c.risk_set = risk;
            c.access_set = access;
        }
    }
    for (case_id, row) in super::reschedule::load(conn, filter, params)? {
        if let Some(c) = index.get(&case_id).and_then(|&i| cases.get_mut(i)) {
            c.reschedules.push(row);
        }
    }
    for (case_id, day) in super::day::load(conn, filter, params)? {
        if let Some(c) = index.get(&case_id).and_then(|&i| cases.get_mut(i)) {
            c.day = Some(day);
        }
    }
    for (case_id, marks) in super::feed_marks::load_marks(conn, filter, params)? {
        if let Some(c) = index.get(&case_id).and_then(|&i| cases.get_mut(i)) {
            c.feed = marks;
        }
    }
    for c in &mut cases {
        c.recorded.sort_by_key(|r| r.kind);
        mark_undone(&mut c.decisions);
    }
    Ok(cases)
}

/// A decision row from `at, by_login, decision, reason, to_week,
/// override_justification, override_items, reason_code` (its `undone` flag
/// comes from the replay).
pub(super) fn decision_from_row(r: &Row<'_>, at: usize) -> Result<DecisionRow> {
    let decision: String = r.get(at + 2)?;
    Ok(DecisionRow {
        at: r.get(at)?,
        by: r.get(at + 1)?,
        decision: DecisionKind::parse(&decision).ok_or_else(|| corrupt("decision", &decision))?,
        reason: r.get(at + 3)?,
        to_week: r.get(at + 4)?,
        override_justification: r.get(at + 5)?,
        override_items: r
            .get::<_, Option<String>>(at + 6)?
            .map(|j| serde_json::from_str(&j))
            .transpose()?,
        reason_code: r
            .get::<_, Option<String>>(at + 7)?
            .map(|c| ReasonCode::parse(&c).ok_or_else(|| corrupt("decisions.reason_code", &c)))
            .transpose()?,
        undone: false,
    })
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
        access: sched
            .access
            .as_deref()
            .map(|a| Access::parse(a).ok_or_else(|| corrupt("access", a)))
            .transpose()?,
    };
    Ok(StoredCase {
        id: r.get(base)?,
        version: r.get(base + 2)?,
        status: DecisionStatus::parse(&status).ok_or_else(|| corrupt("status", &status))?,
        postponed_to: r.get(base + 4)?,
        file: CaseFile::new(r.get(base + 1)?, patient, procedure)
            .with_clinical(sched.pain_vas, sched.life_expectancy_over_6_months),
        recorded: Vec::new(),
        notes: Vec::new(),
        decisions: Vec::new(),
        pending: Vec::new(),
        risk_set: None,
        access_set: None,
        reschedules: Vec::new(),
        died_on: r
            .get::<_, Option<String>>(base + 5)?
            .map(|d| super::followup::parse_day(&d))
            .transpose()?,
        day: None,
        feed: Default::default(),
    })
}
