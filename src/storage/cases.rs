//! Writing cases, patients and evidence (import). Reads: `read.rs`.

use rusqlite::{OptionalExtension, Row, ToSql, params, params_from_iter};
use serde::Serialize;

use super::{Result, StorageError, Writer, audit};
use crate::domain::model::{CaseFile, Patient};
use crate::domain::record::EvidenceKind;
use crate::domain::text::fold;
use crate::domain::time::{DATE_FMT, DATETIME_FMT, parse_date};
use crate::domain::vocab::Sex;

/// What saving one case did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Saved {
    pub case_id: i64,
    pub outcome: Outcome,
    /// Changes a person should look at: a known IPP with another identity,
    /// a case moved to another patient.
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Created,
    Updated,
    Unchanged,
}

/// How fields the source does not carry are treated on update.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Absent {
    /// The source is complete for its fields: an absent optional value
    /// clears the stored one (JSON interchange).
    Clears,
    /// The source only carries the schedule: absent optional values keep
    /// the stored ones (CSV schedule).
    Keeps,
}

/// Creates or updates a case from the scheduling system (matched on
/// `external_id`): schedule, patient and the evidence objects present in
/// `case`. Evidence absent from `case` is left as stored; `pain_vas` and
/// `life_expectancy_over_6_months` too; the decision is never touched.
/// Each change is audited with its old and new value.
pub fn save(w: &Writer<'_>, case: &CaseFile, source: &str, absent: Absent) -> Result<Saved> {
    w.require(crate::domain::roles::Permission::Import, "import", None)?;
    let now = w.clock().timestamp();
    let patient = save_patient(w, &case.patient)?;
    let mut warnings = patient.warning.clone().into_iter().collect::<Vec<_>>();
    let existing = w
        .tx()
        .query_row(
            &format!("SELECT {SCHEDULE_COLS}, id FROM cases WHERE external_id = ?1"),
            [&case.external_id],
            |r| Ok((schedule_from_row(r, 0), r.get::<_, i64>(SCHEDULE_LEN)?)),
        )
        .optional()?;
    let incoming = Schedule::of(case, patient.id);
    let (case_id, mut outcome) = match existing {
        None => {
            let mut values = incoming.values();
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
            let new = serde_json::to_string(&incoming)?;
            audit::record(w, "case.create", Some(id), None, Some(&new))?;
            (id, Outcome::Created)
        }
        Some((old, id)) => {
            let old = old?;
            let new = incoming.merged(&old, absent);
            if old.patient_id != new.patient_id {
                warnings.push(format!(
                    "{}: the case now belongs to IPP {} (it was another patient's)",
                    case.external_id, case.patient.ipp
                ));
            }
            if old == new {
                (id, Outcome::Unchanged)
            } else {
                let mut values = new.values();
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
                let new_json = serde_json::to_string(&new)?;
                audit::record(w, "case.update", Some(id), Some(&old_json), Some(&new_json))?;
                (id, Outcome::Updated)
            }
        }
    };
    if let Some((action, old, new)) = &patient.audit {
        audit::record(w, action, Some(case_id), old.as_deref(), Some(new))?;
        if outcome == Outcome::Unchanged {
            outcome = Outcome::Updated;
        }
    }
    for kind in EvidenceKind::ALL {
        if let Some(data) = case.evidence_json(kind)?
            && save_evidence(w, case_id, kind, &data, source)?
            && outcome == Outcome::Unchanged
        {
            outcome = Outcome::Updated;
        }
    }
    if let Some(body) = case.notes.as_deref().filter(|b| !b.trim().is_empty())
        && add_note_once(w, case_id, body, source)?
        && outcome == Outcome::Unchanged
    {
        outcome = Outcome::Updated;
    }
    Ok(Saved {
        case_id,
        outcome,
        warnings,
    })
}

/// Records one evidence object of a case as edited by a person (the
/// screen's forms, scripts): `expected` is the version the editor read
/// (None: the object was absent and must still be). If someone saved it in
/// between, nothing is written and the conflict says who and when. Returns
/// the new version. The permission depends on the object: the anaesthesia
/// consultation (anaesthetist, chair), the scores (radiologist, chair), the
/// rest of the dossier (radiologist, radiographer, secretary, chair).
pub fn set_evidence(
    w: &Writer<'_>,
    case_id: i64,
    kind: EvidenceKind,
    data: &str,
    expected: Option<i64>,
) -> Result<i64> {
    let permission = crate::domain::roles::Permission::for_evidence(kind);
    let action = format!("evidence.{}", kind.as_str());
    w.require(permission, &action, Some(case_id))?;
    let data = crate::domain::record::canonical_evidence(kind, data)
        .map_err(|e| StorageError::Invalid(format!("{}: {e}", kind.as_str())))?;
    let current: Option<i64> = w
        .tx()
        .query_row(
            "SELECT version FROM evidence WHERE case_id = ?1 AND kind = ?2",
            params![case_id, kind.as_str()],
            |r| r.get(0),
        )
        .optional()?;
    if current != expected {
        let external_id: String = w
            .tx()
            .query_row(
                "SELECT external_id FROM cases WHERE id = ?1",
                [case_id],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| StorageError::NoCase(case_id.to_string()))?;
        return Err(super::decisions::conflict(
            w,
            case_id,
            &external_id,
            expected.unwrap_or(0),
            current.unwrap_or(0),
        )?);
    }
    let changed = save_evidence(w, case_id, kind, &data, "edit")?;
    Ok(match (changed, current) {
        (true, Some(v)) => v + 1,
        (true, None) => 1,
        (false, v) => v.unwrap_or(1),
    })
}

/// Writes one evidence row if it changed; returns whether it did.
fn save_evidence(
    w: &Writer<'_>,
    case_id: i64,
    kind: EvidenceKind,
    data: &str,
    source: &str,
) -> Result<bool> {
    let old: Option<String> = w
        .tx()
        .query_row(
            "SELECT data FROM evidence WHERE case_id = ?1 AND kind = ?2",
            params![case_id, kind.as_str()],
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
        params![case_id, kind.as_str(), data, source, w.clock().timestamp(), w.login()],
    )?;
    let action = format!("evidence.{}", kind.as_str());
    audit::record(w, &action, Some(case_id), old.as_deref(), Some(data))?;
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

/// What saving a patient did; its audit row waits for the case id.
struct PatientSaved {
    id: i64,
    /// (action, old, new)
    audit: Option<(&'static str, Option<String>, String)>,
    warning: Option<String>,
}

/// Creates or updates a patient by IPP.
fn save_patient(w: &Writer<'_>, p: &Patient) -> Result<PatientSaved> {
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
            Ok(PatientSaved {
                id,
                audit: Some(("patient.create", None, new)),
                warning: None,
            })
        }
        Some((id, old)) => {
            let old = old?;
            if old == *p {
                return Ok(PatientSaved {
                    id,
                    audit: None,
                    warning: None,
                });
            }
            w.tx().execute(
                "UPDATE patients SET last_name = ?2, first_name = ?3, birth_date = ?4, sex = ?5,
                   search_key = ?6, version = version + 1 WHERE id = ?1",
                params![id, p.last_name, p.first_name, birth, p.sex.as_str(), search],
            )?;
            let warning = format!(
                "IPP {}: identity changed from {} {} ({}, {}) to {} {} ({}, {})",
                p.ipp,
                old.last_name,
                old.first_name,
                old.birth_date.format(DATE_FMT),
                old.sex,
                p.last_name,
                p.first_name,
                p.birth_date.format(DATE_FMT),
                p.sex
            );
            let old = serde_json::to_string(&old)?;
            Ok(PatientSaved {
                id,
                audit: Some(("patient.update", Some(old), new)),
                warning: Some(warning),
            })
        }
    }
}

/// The schedule columns of a case, as stored (for comparison and audit).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(super) struct Schedule {
    pub patient_id: i64,
    pub scheduled_at: String,
    pub room: String,
    pub operator: String,
    pub techniques: String,
    pub target: String,
    pub anaesthesia: String,
    pub bleeding_risk: Option<String>,
    pub duration_min: Option<u32>,
    pub pain_vas: Option<u8>,
    pub life_expectancy_over_6_months: Option<bool>,
}

pub(super) const SCHEDULE_COLS: &str = "patient_id, scheduled_at, room, operator, techniques, \
    target, anaesthesia, bleeding_risk, duration_min, pain_vas, life_expectancy_over_6_months";
pub(super) const SCHEDULE_LEN: usize = 11;

/// `?1, ?2, …, ?n`.
fn placeholders(n: usize) -> String {
    (1..=n)
        .map(|i| format!("?{i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Schedule {
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

    /// The incoming schedule over the stored one: clinical values the file
    /// does not give are kept, and so are the optional schedule fields when
    /// the source does not carry them.
    fn merged(self, old: &Schedule, absent: Absent) -> Schedule {
        let keep_optional = absent == Absent::Keeps;
        Schedule {
            pain_vas: self.pain_vas.or(old.pain_vas),
            life_expectancy_over_6_months: self
                .life_expectancy_over_6_months
                .or(old.life_expectancy_over_6_months),
            bleeding_risk: if keep_optional {
                self.bleeding_risk.or_else(|| old.bleeding_risk.clone())
            } else {
                self.bleeding_risk
            },
            duration_min: if keep_optional {
                self.duration_min.or(old.duration_min)
            } else {
                self.duration_min
            },
            ..self
        }
    }

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
}

pub(super) fn schedule_from_row(r: &Row<'_>, at: usize) -> Result<Schedule> {
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

pub(super) fn patient_from_row(r: &Row<'_>, at: usize) -> Result<Patient> {
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

pub(super) fn corrupt(what: &str, value: &str) -> StorageError {
    StorageError::Corrupt(format!("unexpected {what} '{value}'"))
}
