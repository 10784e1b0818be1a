//! Cases, patients and evidence: writes (import) and the week's query.

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, Row, ToSql, params, params_from_iter};
use serde::Serialize;

use super::{Db, Result, StorageError, Writer, audit};
use crate::domain::model::{CaseFile, Patient, Procedure};
use crate::domain::text::fold;
use crate::domain::time::{DATE_FMT, DATETIME_FMT, parse_date, parse_datetime};
use crate::domain::vocab::{Anaesthesia, BleedingRisk, DecisionStatus, Sex, Technique};
use crate::domain::week::Week;

/// The evidence kinds stored one row each (the `evidence.kind` column).
pub const EVIDENCE_KINDS: [&str; 7] = [
    "consultation",
    "anaesthesia_consult",
    "imaging",
    "biology",
    "coagulation",
    "medications",
    "scores",
];

/// A case as stored: its row id, version and decision, and its dossier.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredCase {
    pub id: i64,
    pub version: i64,
    pub status: DecisionStatus,
    pub file: CaseFile,
}

/// What saving one case did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Saved {
    Created,
    Updated,
    Unchanged,
}

/// Creates or updates a case from the scheduling system (matched on
/// `external_id`): schedule, patient and the evidence objects present in
/// `case`. Evidence absent from `case` is left as stored; the decision is
/// never touched. Each change is audited with its old and new value.
pub fn save(w: &Writer<'_>, case: &CaseFile, source: &str) -> Result<(i64, Saved)> {
    let now = w.clock().timestamp();
    let patient_id = save_patient(w, &case.patient)?;
    let existing = w
        .tx()
        .query_row(
            &format!("SELECT {SCHEDULE_COLS}, id FROM cases WHERE external_id = ?1"),
            [&case.external_id],
            |r| Ok((schedule_from_row(r, 0), r.get::<_, i64>(SCHEDULE_LEN)?)),
        )
        .optional()?;
    let new_schedule = Schedule::of(case, patient_id);
    let new_json = serde_json::to_string(&new_schedule)?;
    let (case_id, mut saved) = match existing {
        None => {
            let mut values = new_schedule.values();
            values.extend([&case.external_id as &dyn ToSql, &source, &now]);
            w.tx().execute(
                &format!(
                    "INSERT INTO cases ({SCHEDULE_COLS}, external_id, source, created_at, updated_at)
                     VALUES ({}, ?14)",
                    placeholders(SCHEDULE_LEN + 3)
                ),
                params_from_iter(values),
            )?;
            let id = w.tx().last_insert_rowid();
            audit::record(w, "case.create", Some(id), None, Some(&new_json))?;
            (id, Saved::Created)
        }
        Some((old, id)) => {
            let old = old?;
            // Clinical values the file does not give are kept (a CSV row has none).
            let new_schedule = Schedule {
                pain_vas: new_schedule.pain_vas.or(old.pain_vas),
                life_expectancy_over_6_months: new_schedule
                    .life_expectancy_over_6_months
                    .or(old.life_expectancy_over_6_months),
                ..new_schedule
            };
            if old == new_schedule {
                (id, Saved::Unchanged)
            } else {
                let mut values = new_schedule.values();
                values.extend([&now as &dyn ToSql, &id]);
                w.tx().execute(
                    &format!(
                        "UPDATE cases SET ({SCHEDULE_COLS}) = ({}), updated_at = ?12,
                           version = version + 1 WHERE id = ?13",
                        placeholders(SCHEDULE_LEN)
                    ),
                    params_from_iter(values),
                )?;
                let old_json = serde_json::to_string(&old)?;
                let new_json = serde_json::to_string(&new_schedule)?;
                audit::record(w, "case.update", Some(id), Some(&old_json), Some(&new_json))?;
                (id, Saved::Updated)
            }
        }
    };
    for (kind, data) in evidence_of(case)? {
        if save_evidence(w, case_id, kind, &data, source)? && saved == Saved::Unchanged {
            saved = Saved::Updated;
        }
    }
    if let Some(body) = case.notes.as_deref().filter(|b| !b.trim().is_empty())
        && add_note_once(w, case_id, body, source)?
        && saved == Saved::Unchanged
    {
        saved = Saved::Updated;
    }
    Ok((case_id, saved))
}

/// The evidence objects present in `case`, as (kind, JSON).
fn evidence_of(case: &CaseFile) -> Result<Vec<(&'static str, String)>> {
    let mut out = Vec::new();
    let mut push = |kind: &'static str, v: Option<serde_json::Value>| {
        if let Some(v) = v {
            out.push((kind, v.to_string()));
        }
    };
    push(
        "consultation",
        case.consultation
            .as_ref()
            .map(serde_json::to_value)
            .transpose()?,
    );
    push(
        "anaesthesia_consult",
        case.anaesthesia_consult
            .as_ref()
            .map(serde_json::to_value)
            .transpose()?,
    );
    push(
        "imaging",
        case.imaging
            .as_ref()
            .map(serde_json::to_value)
            .transpose()?,
    );
    push(
        "biology",
        case.biology
            .as_ref()
            .map(serde_json::to_value)
            .transpose()?,
    );
    push(
        "coagulation",
        case.coagulation
            .as_ref()
            .map(serde_json::to_value)
            .transpose()?,
    );
    push(
        "medications",
        case.medications
            .as_ref()
            .map(serde_json::to_value)
            .transpose()?,
    );
    push(
        "scores",
        case.scores.as_ref().map(serde_json::to_value).transpose()?,
    );
    Ok(out)
}

/// Writes one evidence row if it changed; returns whether it did.
fn save_evidence(
    w: &Writer<'_>,
    case_id: i64,
    kind: &str,
    data: &str,
    source: &str,
) -> Result<bool> {
    let old: Option<String> = w
        .tx()
        .query_row(
            "SELECT data FROM evidence WHERE case_id = ?1 AND kind = ?2",
            params![case_id, kind],
            |r| r.get(0),
        )
        .optional()?;
    if old.as_deref() == Some(data) {
        return Ok(false);
    }
    w.tx().execute(
        "INSERT INTO evidence (case_id, kind, data, source, updated_at, updated_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (case_id, kind) DO UPDATE SET data = excluded.data, source = excluded.source,
           updated_at = excluded.updated_at, updated_by = excluded.updated_by, version = version + 1",
        params![case_id, kind, data, source, w.clock().timestamp(), w.login()],
    )?;
    audit::record(
        w,
        &format!("evidence.{kind}"),
        Some(case_id),
        old.as_deref(),
        Some(data),
    )?;
    Ok(true)
}

/// Adds a note unless the case already holds one with the same text.
fn add_note_once(w: &Writer<'_>, case_id: i64, body: &str, source: &str) -> Result<bool> {
    let exists: bool = w.tx().query_row(
        "SELECT EXISTS (SELECT 1 FROM notes WHERE case_id = ?1 AND body = ?2)",
        params![case_id, body],
        |r| r.get(0),
    )?;
    if exists {
        return Ok(false);
    }
    w.tx().execute(
        "INSERT INTO notes (case_id, at, author, body, source) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![case_id, w.clock().timestamp(), w.login(), body, source],
    )?;
    audit::record(w, "note.add", Some(case_id), None, Some(body))?;
    Ok(true)
}

/// Creates or updates a patient by IPP; returns its id.
fn save_patient(w: &Writer<'_>, p: &Patient) -> Result<i64> {
    let new = serde_json::to_string(p)?;
    let old = w
        .tx()
        .query_row(
            "SELECT id, ipp, last_name, first_name, birth_date, sex FROM patients WHERE ipp = ?1",
            [&p.ipp],
            |r| Ok((r.get::<_, i64>(0)?, patient_from_row(r, 1))),
        )
        .optional()?;
    let search = fold(&format!("{} {} {}", p.last_name, p.first_name, p.ipp));
    let birth = p.birth_date.format(DATE_FMT).to_string();
    match old {
        None => {
            w.tx().execute(
                "INSERT INTO patients (ipp, last_name, first_name, birth_date, sex, search_key)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    p.ipp,
                    p.last_name,
                    p.first_name,
                    birth,
                    p.sex.as_str(),
                    search
                ],
            )?;
            let id = w.tx().last_insert_rowid();
            audit::record(w, "patient.create", None, None, Some(&new))?;
            Ok(id)
        }
        Some((id, old)) => {
            let old = old?;
            if old != *p {
                w.tx().execute(
                    "UPDATE patients SET last_name = ?2, first_name = ?3, birth_date = ?4, sex = ?5,
                       search_key = ?6, version = version + 1 WHERE id = ?1",
                    params![id, p.last_name, p.first_name, birth, p.sex.as_str(), search],
                )?;
                let old = serde_json::to_string(&old)?;
                audit::record(w, "patient.update", None, Some(&old), Some(&new))?;
            }
            Ok(id)
        }
    }
}

/// The schedule columns of a case, as stored (for comparison and audit).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
struct Schedule {
    patient_id: i64,
    scheduled_at: String,
    room: String,
    operator: String,
    techniques: String,
    target: String,
    anaesthesia: String,
    bleeding_risk: Option<String>,
    duration_min: Option<u32>,
    pain_vas: Option<u8>,
    life_expectancy_over_6_months: Option<bool>,
}

const SCHEDULE_COLS: &str = "patient_id, scheduled_at, room, operator, techniques, target, \
    anaesthesia, bleeding_risk, duration_min, pain_vas, life_expectancy_over_6_months";
const SCHEDULE_LEN: usize = 11;

/// `?1, ?2, …, ?n`.
fn placeholders(n: usize) -> String {
    (1..=n)
        .map(|i| format!("?{i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Schedule {
    /// The values of [`SCHEDULE_COLS`], in order.
    fn values(&self) -> Vec<&dyn ToSql> {
        vec![
            &self.patient_id,
            &self.scheduled_at,
            &self.room,
            &self.operator,
            &self.techniques,
            &self.target,
            &self.anaesthesia,
            &self.bleeding_risk,
            &self.duration_min,
            &self.pain_vas,
            &self.life_expectancy_over_6_months,
        ]
    }

    fn of(case: &CaseFile, patient_id: i64) -> Schedule {
        let p = &case.procedure;
        let techniques: Vec<&str> = p.techniques.iter().map(|t| t.as_str()).collect();
        Schedule {
            patient_id,
            scheduled_at: p.scheduled_at.format(DATETIME_FMT).to_string(),
            room: p.room.clone(),
            operator: p.operator.clone(),
            techniques: serde_json::Value::from(techniques).to_string(),
            target: p.target.clone(),
            anaesthesia: p.anaesthesia.as_str().to_owned(),
            bleeding_risk: p.bleeding_risk.map(|r| r.as_str().to_owned()),
            duration_min: p.duration_min,
            pain_vas: case.pain_vas,
            life_expectancy_over_6_months: case.life_expectancy_over_6_months,
        }
    }
}

fn schedule_from_row(r: &Row<'_>, at: usize) -> Result<Schedule> {
    Ok(Schedule {
        patient_id: r.get(at)?,
        scheduled_at: r.get(at + 1)?,
        room: r.get(at + 2)?,
        operator: r.get(at + 3)?,
        techniques: r.get(at + 4)?,
        target: r.get(at + 5)?,
        anaesthesia: r.get(at + 6)?,
        bleeding_risk: r.get(at + 7)?,
        duration_min: r.get(at + 8)?,
        pain_vas: r.get(at + 9)?,
        life_expectancy_over_6_months: r.get(at + 10)?,
    })
}

fn patient_from_row(r: &Row<'_>, at: usize) -> Result<Patient> {
    let birth: String = r.get(at + 3)?;
    let sex: String = r.get(at + 4)?;
    Ok(Patient {
        ipp: r.get(at)?,
        last_name: r.get(at + 1)?,
        first_name: r.get(at + 2)?,
        birth_date: parse_date(&birth).map_err(StorageError::Corrupt)?,
        sex: Sex::parse(&sex).ok_or_else(|| corrupt("sex", &sex))?,
    })
}

fn corrupt(what: &str, value: &str) -> StorageError {
    StorageError::Corrupt(format!("unexpected {what} '{value}'"))
}

/// Builds the case (without evidence) from a row of the week's query.
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
    Ok(StoredCase {
        id: r.get(base)?,
        version: r.get(base + 2)?,
        status: DecisionStatus::parse(&status).ok_or_else(|| corrupt("status", &status))?,
        file: CaseFile::new(
            r.get(base + 1)?,
            patient,
            Procedure {
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
            },
        )
        .with_clinical(sched.pain_vas, sched.life_expectancy_over_6_months),
    })
}

/// Attaches one evidence row to its case.
fn attach(case: &mut CaseFile, kind: &str, data: &str) -> Result<()> {
    match kind {
        "consultation" => case.consultation = Some(serde_json::from_str(data)?),
        "anaesthesia_consult" => case.anaesthesia_consult = Some(serde_json::from_str(data)?),
        "imaging" => case.imaging = Some(serde_json::from_str(data)?),
        "biology" => case.biology = Some(serde_json::from_str(data)?),
        "coagulation" => case.coagulation = Some(serde_json::from_str(data)?),
        "medications" => case.medications = Some(serde_json::from_str(data)?),
        "scores" => case.scores = Some(serde_json::from_str(data)?),
        other => return Err(corrupt("evidence kind", other)),
    }
    Ok(())
}

const CASE_SELECT: &str = "SELECT c.patient_id, c.scheduled_at, c.room, c.operator, c.techniques,
       c.target, c.anaesthesia, c.bleeding_risk, c.duration_min, c.pain_vas,
       c.life_expectancy_over_6_months,
       p.ipp, p.last_name, p.first_name, p.birth_date, p.sex,
       c.id, c.external_id, c.version, c.status
     FROM cases c JOIN patients p ON p.id = c.patient_id";

/// The cases scheduled in `week`, by time then room, with their evidence.
/// Two range scans on `cases_by_time`: the cost does not grow with the
/// years of history the file holds.
pub fn week(db: &Db, week: Week) -> Result<Vec<StoredCase>> {
    let (from, to) = bounds(week.monday(), week.end());
    let conn = db.conn();
    let mut stmt = conn.prepare_cached(&format!(
        "{CASE_SELECT} WHERE c.scheduled_at >= ?1 AND c.scheduled_at < ?2
         ORDER BY c.scheduled_at, c.room, c.id"
    ))?;
    let mut cases = stmt
        .query_map([&from, &to], |r| Ok(case_from_row(r)))?
        .map(|r| r.map_err(StorageError::from).and_then(|c| c))
        .collect::<Result<Vec<_>>>()?;
    let mut ev = conn.prepare_cached(
        "SELECT e.case_id, e.kind, e.data FROM cases c JOIN evidence e ON e.case_id = c.id
         WHERE c.scheduled_at >= ?1 AND c.scheduled_at < ?2",
    )?;
    let rows = ev.query_map([&from, &to], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    for row in rows {
        let (case_id, kind, data) = row?;
        if let Some(c) = cases.iter_mut().find(|c| c.id == case_id) {
            attach(&mut c.file, &kind, &data)?;
        }
    }
    Ok(cases)
}

/// One case by its external id, with its evidence.
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
    let mut ev = conn.prepare_cached("SELECT kind, data FROM evidence WHERE case_id = ?1")?;
    let rows = ev.query_map([c.id], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
    })?;
    for row in rows {
        let (kind, data) = row?;
        attach(&mut c.file, &kind, &data)?;
    }
    Ok(c)
}

/// How many cases the file holds.
pub fn count(db: &Db) -> Result<i64> {
    Ok(db
        .conn()
        .query_row("SELECT count(*) FROM cases", [], |r| r.get(0))?)
}

fn bounds(from: NaiveDate, to: NaiveDate) -> (String, String) {
    (
        from.format(DATE_FMT).to_string(),
        to.format(DATE_FMT).to_string(),
    )
}
