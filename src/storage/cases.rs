//! Writing cases, patients and evidence (import). Reads: `read.rs`.

use rusqlite::{OptionalExtension, Row, ToSql, params, params_from_iter};
use serde::Serialize;

pub use super::reimport_apply::{Change, ItemReport};
use super::reimport_apply::{Stored, apply};
pub use super::schedule::Absent;
use super::schedule::placeholders;
pub(super) use super::schedule::{
    SCHEDULE_COLS, SCHEDULE_LEN, Schedule, schedule_field, schedule_from_row, set_schedule_field,
    update_schedule,
};
use super::{Result, StorageError, Writer, audit, reimport};
use crate::domain::model::{CaseFile, Patient};
use crate::domain::record::EvidenceKind;
use crate::domain::reimport::{FILE_SOURCE, Field};
use crate::domain::text::fold;
use crate::domain::time::{DATE_FMT, parse_date};
use crate::domain::vocab::Sex;

/// What saving one case did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Saved {
    pub case_id: i64,
    pub outcome: Outcome,
    /// Changes a person should look at: a known IPP with another identity,
    /// a case moved to another patient.
    pub warnings: Vec<String>,
    /// What happened to each item the file sent, where something did (an
    /// item the file holds as stored is not listed).
    pub items: Vec<ItemReport>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Created,
    Updated,
    Unchanged,
}

/// Creates or updates a case from a file (matched on `external_id`):
/// schedule, patient and the evidence objects present in `case`, each by
/// the three-way rule of `domain/reimport.rs` against what this source sent
/// last time. Evidence absent from `case` is left as stored; the decision
/// is never touched. Each change is audited with its old and new value.
pub fn save(w: &Writer<'_>, case: &CaseFile, origin: &str, absent: Absent) -> Result<Saved> {
    w.require(crate::domain::roles::Permission::Import, "import", None)?;
    let now = w.clock().timestamp();
    let patient = save_patient(w, &case.patient, origin)?;
    let mut warnings = patient.warning.clone().into_iter().collect::<Vec<_>>();
    let existing = w
        .tx()
        .query_row(
            &format!(
                "SELECT {SCHEDULE_COLS}, id, updated_at, status FROM cases WHERE external_id = ?1"
            ),
            [&case.external_id],
            |r| {
                Ok((
                    schedule_from_row(r, 0),
                    r.get::<_, i64>(SCHEDULE_LEN)?,
                    r.get::<_, String>(SCHEDULE_LEN + 1)?,
                    r.get::<_, String>(SCHEDULE_LEN + 2)?,
                ))
            },
        )
        .optional()?;
    let incoming = Schedule::of(case, patient.id);
    let mut items = Vec::new();
    // Created, or given to another patient: that patient's laboratory
    // values kept by the feed apply to it (`feed_held`).
    let mut new_patient = existing.is_none();
    let (case_id, mut outcome) = match existing {
        None => {
            let id = || Ok(case.external_id.clone());
            super::procedure::check_risk(w.tx(), &id, None, &incoming)?;
            let mut values = incoming.values();
            values.extend([&case.external_id as &dyn ToSql, &origin, &now]);
            w.tx().execute(
                &format!(
                    "INSERT INTO cases ({SCHEDULE_COLS}, external_id, source, created_at, updated_at)
                     VALUES ({}, ?{})",
                    placeholders(SCHEDULE_LEN + 3),
                    SCHEDULE_LEN + 3
                ),
                params_from_iter(values),
            )?;
            let id = w.tx().last_insert_rowid();
            let new = serde_json::to_string(&incoming)?;
            audit::record(w, "case.create", Some(id), None, Some(&new))?;
            for (field, value) in incoming.sent(absent)? {
                reimport::set_base(w, id, Field::Schedule(field), FILE_SOURCE, &value)?;
            }
            (id, Outcome::Created)
        }
        Some((old, id, updated_at, status)) => {
            let old = old?;
            if old.patient_id != incoming.patient_id {
                new_patient = true;
                warnings.push(format!(
                    "{}: the case now belongs to IPP {} (it was another patient's)",
                    case.external_id, case.patient.ipp
                ));
            }
            let mut new = Schedule {
                patient_id: incoming.patient_id,
                ..old.clone()
            };
            for (field, file) in incoming.sent(absent)? {
                let stored = schedule_field(&old, field)?;
                let meta = Stored {
                    value: stored.as_deref(),
                    by: None,
                    at: Some(&updated_at),
                    from: None,
                };
                let field = Field::Schedule(field);
                if let Some(value) = apply(
                    w,
                    (id, &case.external_id),
                    field,
                    &file,
                    meta,
                    origin,
                    &mut items,
                )? && let Field::Schedule(f) = field
                {
                    set_schedule_field(&mut new, f, &value)?;
                }
            }
            update_schedule(w, id, &old, &new)?;
            // The committee validated the case for its slot: a file that
            // moves it must say so.
            if status == "validated" && old.scheduled_at != new.scheduled_at {
                warnings.push(format!(
                    "{}: validated for {}, now scheduled {} by the file: the committee should look at it again",
                    case.external_id,
                    old.scheduled_at.replace('T', " "),
                    new.scheduled_at.replace('T', " ")
                ));
            }
            let changed = old != new || items.iter().any(|i| i.change.marks_update());
            let outcome = if changed {
                Outcome::Updated
            } else {
                Outcome::Unchanged
            };
            (id, outcome)
        }
    };
    if let Some((action, old, new)) = &patient.audit {
        audit::record(w, action, Some(case_id), old.as_deref(), Some(new))?;
        if outcome == Outcome::Unchanged {
            outcome = Outcome::Updated;
        }
    }
    for kind in EvidenceKind::ALL {
        let Some(file) = case.evidence_json(kind)? else {
            continue;
        };
        let row: Option<(String, String, String, String)> = w
            .tx()
            .query_row(
                "SELECT data, updated_by, updated_at, source FROM evidence
                 WHERE case_id = ?1 AND kind = ?2",
                params![case_id, kind.as_str()],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?;
        let meta = Stored {
            value: row.as_ref().map(|r| r.0.as_str()),
            by: row.as_ref().map(|r| r.1.as_str()),
            at: row.as_ref().map(|r| r.2.as_str()),
            from: row.as_ref().map(|r| r.3.as_str()),
        };
        let field = Field::Evidence(kind);
        let judged = if crate::domain::panel::is_panel(kind) {
            // Biology, coagulation: value by value, each with its own date.
            let older = crate::domain::panel_rule::Older::Pending;
            let source = (FILE_SOURCE, origin, older);
            let case = (case_id, case.external_id.as_str());
            super::reimport_panel::apply(w, case, kind, &file, meta, source, &mut items)?.0
        } else {
            let case = (case_id, case.external_id.as_str());
            apply(w, case, field, &file, meta, origin, &mut items)?
        };
        if let Some(value) = judged
            && write_evidence(w, case_id, kind, &value, origin)?
            && outcome == Outcome::Unchanged
        {
            outcome = Outcome::Updated;
        }
    }
    if new_patient {
        // After the file's own values: an older kept result is superseded
        // by a newer typed one, never the reverse.
        items.extend(super::feed_held::apply_to_case(w, case_id)?);
    }
    if outcome == Outcome::Unchanged && items.iter().any(|i| i.change.marks_update()) {
        outcome = Outcome::Updated;
    }
    if let Some(body) = case.notes.as_deref().filter(|b| !b.trim().is_empty())
        && add_note_once(w, case_id, body, origin)?
        && outcome == Outcome::Unchanged
    {
        outcome = Outcome::Updated;
    }
    Ok(Saved {
        case_id,
        outcome,
        warnings,
        items,
    })
}

/// Records one evidence object of a case as edited by a person (the
/// screen's forms, scripts): `expected` is the version the editor read
/// (None: the object was absent and must still be). If someone saved it in
/// between, nothing is written and the conflict says who and when. Returns
/// the new version. The permission depends on the object: the anaesthesia
/// consultation (an anaesthetist; the chair, a radiographer or a secretary
/// as a transcription naming the anaesthetist: `domain::transcribe`), the
/// scores (radiologist, chair), the rest of the dossier (radiologist,
/// radiographer, secretary, chair).
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
    let sent = data;
    let data = crate::domain::record::canonical_evidence(kind, data)
        .map_err(|e| StorageError::Invalid(format!("{}: {e}", kind.as_str())))?;
    if kind == EvidenceKind::AnaesthesiaConsult {
        let consult: crate::domain::model::AnaesthesiaConsult = serde_json::from_str(&data)
            .map_err(|e| StorageError::Invalid(format!("{}: {e}", kind.as_str())))?;
        crate::domain::transcribe::check(w.role(), w.login(), &consult)
            .map_err(StorageError::Transcription)?;
    }
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
    // Biology, coagulation: a value the person left as stored keeps its
    // own date; the values they changed take the form's.
    let data = if crate::domain::panel::is_panel(kind) {
        let stored = stored_data(w, case_id, kind)?;
        // As sent: the dates it names explicitly, not those canonical
        // gives every value.
        crate::domain::panel::dated_edit(kind, stored.as_deref(), sent)
            .map_err(|e| StorageError::Invalid(format!("{}: {e}", kind.as_str())))?
    } else {
        data
    };
    let before = stored_data(w, case_id, kind)?;
    let changed = write_evidence(w, case_id, kind, &data, "edit")?;
    if changed {
        // A value typed at or after a result the laboratory sent unusable:
        // the person has dealt with it.
        super::lab_unusable::cleared_by_edit(w, case_id, kind, before.as_deref(), &data)?;
    }
    Ok(match (changed, current) {
        (true, Some(v)) => v + 1,
        (true, None) => 1,
        (false, v) => v.unwrap_or(1),
    })
}

/// The stored evidence object of a case (`None`: absent).
pub(super) fn stored_data(
    w: &Writer<'_>,
    case_id: i64,
    kind: EvidenceKind,
) -> Result<Option<String>> {
    Ok(w.tx()
        .query_row(
            "SELECT data FROM evidence WHERE case_id = ?1 AND kind = ?2",
            params![case_id, kind.as_str()],
            |r| r.get(0),
        )
        .optional()?)
}

/// Writes one evidence row if it changed; returns whether it did.
pub(super) fn write_evidence(
    w: &Writer<'_>,
    case_id: i64,
    kind: EvidenceKind,
    data: &str,
    source: &str,
) -> Result<bool> {
    let old = stored_data(w, case_id, kind)?;
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

/// A patient's `search_key` column: last name, first name and IPP, folded
/// (`domain::text::fold`); the one formula every writer of `patients` uses.
pub(crate) fn search_key(last_name: &str, first_name: &str, ipp: &str) -> String {
    fold(&format!("{last_name} {first_name} {ipp}"))
}

/// Creates or updates a patient by IPP.
fn save_patient(w: &Writer<'_>, p: &Patient, origin: &str) -> Result<PatientSaved> {
    let new = serde_json::to_string(p)?;
    let old = w
        .tx()
        .query_row(
            "SELECT id, ipp, last_name, first_name, birth_date, sex FROM patients WHERE ipp = ?1",
            [&p.ipp],
            |r| Ok((r.get::<_, i64>(0)?, patient_from_row(r, 1))),
        )
        .optional()?;
    let search = search_key(&p.last_name, &p.first_name, &p.ipp);
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
            // The same advisory as the hospital's identity service's
            // (ADT^A08): the committee checks it before results follow the
            // new identity.
            let born = old.birth_date.format(DATE_FMT).to_string();
            let before = [
                old.last_name.as_str(),
                old.first_name.as_str(),
                born.as_str(),
                old.sex.as_str(),
            ];
            super::feed::mark_identity_changed(w, id, before, origin)?;
            let old = serde_json::to_string(&old)?;
            Ok(PatientSaved {
                id,
                audit: Some(("patient.update", Some(old), new)),
                warning: Some(warning),
            })
        }
    }
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

#[cfg(test)]
mod search_key_tests {
    use crate::domain::text::{fold, search_matches, search_words};

    /// One formula for every writer of `patients` (an import, a booking,
    /// an identity update, the synthetic file): folded last name, first
    /// name and IPP.
    #[test]
    fn the_search_key_of_a_patient() {
        let key = super::search_key("Dupont-Martin", "Hélène", "123456");
        assert_eq!(key, fold("Dupont-Martin Hélène 123456"));
        assert!(search_matches(&key, &search_words("helene DUPONT 1234")));
    }
}
