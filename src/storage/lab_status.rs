//! A laboratory's last word on one observation (issue 16, OBX-11): per
//! patient, sender (`hl7:<MSH-3>@<MSH-4>`), analyte and specimen time,
//! whether that sender corrected it (C) or withdrew it (W).
//!
//! - A correction stands: a final result (F) of the same key sent later
//!   (an interface engine replaying its queue) is not applied. With
//!   another value it is recorded against the cases reached
//!   (`lab_unusable`, blocking, "kept the correction"); with the
//!   correction's value it is only said in the audit row. A later C wins.
//! - A withdrawal removes the value that sender gave for that analyte and
//!   time from each case that still holds it (a person has not replaced
//!   it since): the item is then missing, and the case blocking with why
//!   until a person types a value or acknowledges it (which never brings
//!   the value back). A final result of that key sent after it is not
//!   applied (blocking, "after its withdrawal"); a correction is.
//!
//! Kept per patient rather than per case: a case booked after the
//! correction is reached by a stale final result too.

use rusqlite::{OptionalExtension, params};

use super::{Result, StorageError, Writer, audit, reimport};
use crate::domain::feed::{Unusable, UnusableLab};
use crate::domain::labs::{Analyte, LabValue, Panel};
use crate::domain::panel::{object_of, values_of};
use crate::domain::record::EvidenceKind;
use crate::domain::reimport::{Field, Loss};
use crate::domain::roles::Permission;
use crate::domain::time::When;

/// Migration 29: the laboratory's last word per observation, and the
/// reasons of `lab_unusable` widened to the results this refuses or
/// withdraws (SQLite widens a CHECK only by rebuilding the table: the rows
/// are copied as they are, ids and audit rows kept).
pub const SCHEMA: &str = "
    CREATE TABLE lab_result_status (
        id          INTEGER PRIMARY KEY,
        patient_id  INTEGER NOT NULL REFERENCES patients (id),
        source      TEXT NOT NULL,
        analyte     TEXT NOT NULL CHECK (analyte IN ('inr', 'platelets_g_l',
                      'neutrophils_g_l', 'hemoglobin_g_dl', 'creatinine_umol_l', 'egfr')),
        -- The specimen's time (OBR-7, else OBX-14).
        at          TEXT NOT NULL,
        status      TEXT NOT NULL CHECK (status IN ('corrected', 'withdrawn')),
        -- The corrected value, in its canonical unit; NULL when withdrawn.
        value       REAL CHECK ((status = 'corrected') = (value IS NOT NULL)),
        received_at TEXT NOT NULL,
        audit_row   INTEGER,
        UNIQUE (patient_id, source, analyte, at)
    ) STRICT;
    CREATE TABLE lab_unusable_new (
        id              INTEGER PRIMARY KEY,
        case_id         INTEGER NOT NULL REFERENCES cases (id),
        analyte         TEXT NOT NULL CHECK (analyte IN ('inr', 'platelets_g_l',
                          'neutrophils_g_l', 'hemoglobin_g_dl', 'creatinine_umol_l', 'egfr')),
        raw             TEXT NOT NULL CHECK (length(raw) <= 24),
        unit            TEXT NOT NULL CHECK (length(unit) <= 24),
        at              TEXT,
        reason          TEXT NOT NULL CHECK (reason IN ('not_a_number', 'unknown_unit',
                          'undated', 'out_of_bounds', 'two_values', 'future',
                          'resent_after_correction', 'withdrawn', 'resent_after_withdrawal')),
        source          TEXT NOT NULL,
        received_at     TEXT NOT NULL,
        acknowledged_by TEXT,
        acknowledged_at TEXT,
        audit_row       INTEGER,
        CHECK ((acknowledged_by IS NULL) = (acknowledged_at IS NULL))
    ) STRICT;
    INSERT INTO lab_unusable_new (id, case_id, analyte, raw, unit, at, reason, source,
        received_at, acknowledged_by, acknowledged_at, audit_row)
      SELECT id, case_id, analyte, raw, unit, at, reason, source,
        received_at, acknowledged_by, acknowledged_at, audit_row FROM lab_unusable;
    DROP TABLE lab_unusable;
    ALTER TABLE lab_unusable_new RENAME TO lab_unusable;
    CREATE INDEX lab_unusable_open ON lab_unusable (case_id) WHERE acknowledged_at IS NULL;";

/// The audit action of a last word recorded.
pub const STATUS_ACTION: &str = "labs.result_status";
/// The audit action of a value removed from a case by a withdrawal.
pub const WITHDRAW_ACTION: &str = "labs.withdrawn";

/// What the sender last said of one observation.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Word {
    Corrected(f64),
    Withdrawn,
}

fn last_word(
    w: &Writer<'_>,
    patient_id: i64,
    source: &str,
    analyte: Analyte,
    at: When,
) -> Result<Option<Word>> {
    let row: Option<(String, Option<f64>)> = w
        .tx()
        .query_row(
            "SELECT status, value FROM lab_result_status
             WHERE patient_id = ?1 AND source = ?2 AND analyte = ?3 AND at = ?4",
            params![patient_id, source, analyte.key(), at.to_string()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    Ok(match row {
        None => None,
        Some((s, Some(v))) if s == "corrected" => Some(Word::Corrected(v)),
        Some((s, None)) if s == "withdrawn" => Some(Word::Withdrawn),
        Some((s, _)) => return Err(super::cases::corrupt("lab_result_status.status", &s)),
    })
}

/// Records what `source` last said of (patient, analyte, at); audited.
fn remember(
    w: &Writer<'_>,
    patient_id: i64,
    source: &str,
    (analyte, at): (Analyte, When),
    word: Word,
) -> Result<()> {
    let old = last_word(w, patient_id, source, analyte, at)?;
    if old == Some(word) {
        return Ok(());
    }
    let (status, value) = match word {
        Word::Corrected(v) => ("corrected", Some(v)),
        Word::Withdrawn => ("withdrawn", None),
    };
    w.tx().execute(
        "INSERT INTO lab_result_status (patient_id, source, analyte, at, status, value, received_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (patient_id, source, analyte, at) DO UPDATE
           SET status = excluded.status, value = excluded.value,
               received_at = excluded.received_at",
        params![
            patient_id,
            source,
            analyte.key(),
            at.to_string(),
            status,
            value,
            w.clock().timestamp()
        ],
    )?;
    let line = |word: Word| {
        let what = match word {
            Word::Corrected(v) => format!("corrected {v}"),
            Word::Withdrawn => "withdrawn".to_owned(),
        };
        format!("{} {at} {what} {source}", analyte.key())
    };
    let old = old.map(line);
    audit::record_for_patient(
        w,
        STATUS_ACTION,
        patient_id,
        old.as_deref(),
        Some(&line(word)),
    )
}

/// The final results among `values` (those not in `corrected`) that the
/// sender corrected or withdrew before: taken out. Returns the values
/// left, the audit note's `CODE reason` of each taken out, and those to
/// show as unusable (source to be set).
pub(super) fn screen(
    w: &Writer<'_>,
    patient_id: i64,
    source: &str,
    values: Vec<LabValue>,
    corrected: &[LabValue],
) -> Result<(Vec<LabValue>, Vec<String>, Vec<UnusableLab>)> {
    let mut out = Vec::new();
    let mut notes = Vec::new();
    let mut unusable = Vec::new();
    for v in values {
        if corrected.contains(&v) {
            out.push(v);
            continue;
        }
        let key = v.analyte.key();
        let reason = match last_word(w, patient_id, source, v.analyte, v.at)? {
            None => {
                out.push(v);
                continue;
            }
            Some(Word::Corrected(c)) if c == v.value => {
                notes.push(format!(
                    "{key} final re-sent after its correction, same value"
                ));
                continue;
            }
            Some(Word::Corrected(_)) => {
                notes.push(format!("{key} final re-sent after its correction"));
                Unusable::ResentAfterCorrection
            }
            Some(Word::Withdrawn) => {
                notes.push(format!("{key} final re-sent after its withdrawal"));
                Unusable::ResentAfterWithdrawal
            }
        };
        unusable.push(UnusableLab {
            analyte: v.analyte,
            raw: v.value.to_string(),
            unit: String::new(),
            at: Some(v.at),
            reason,
            source: String::new(),
        });
    }
    Ok((out, notes, unusable))
}

/// Remembers the corrections among `values` (those in `corrected`), once
/// applied: a later final result of their key will not undo them.
pub(super) fn remember_corrections(
    w: &Writer<'_>,
    patient_id: i64,
    source: &str,
    values: &[LabValue],
    corrected: &[LabValue],
) -> Result<()> {
    for v in values.iter().filter(|v| corrected.contains(v)) {
        remember(
            w,
            patient_id,
            source,
            (v.analyte, v.at),
            Word::Corrected(v.value),
        )?;
    }
    Ok(())
}

/// Remembers that `source` withdrew (analyte, at) for the patient.
pub(super) fn remember_withdrawal(
    w: &Writer<'_>,
    patient_id: i64,
    source: &str,
    analyte: Analyte,
    at: When,
) -> Result<()> {
    remember(w, patient_id, source, (analyte, at), Word::Withdrawn)
}

/// Withdraws from the case `case_id` the value of `analyte` dated `at`
/// that `source` gave: removed from the stored object when it is still
/// that value (`source`'s base holds it, and the case the same: nobody
/// replaced it since), and from the source's base and its pending values
/// (a withdrawn value is never taken later); audited. Returns the value
/// removed from the stored object, as text.
pub(super) fn withdraw_from_case(
    w: &Writer<'_>,
    case_id: i64,
    (source, origin): (&str, &str),
    analyte: Analyte,
    at: When,
) -> Result<Option<String>> {
    w.require(Permission::Import, "labs", Some(case_id))?;
    let kind = match analyte.panel() {
        Panel::Coagulation => EvidenceKind::Coagulation,
        Panel::Biology => EvidenceKind::Biology,
    };
    let field = Field::Evidence(kind);
    let key = analyte.key();
    let read = |json: Option<String>| {
        json.map(|j| values_of(kind, &j))
            .transpose()
            .map_err(|e| StorageError::Corrupt(format!("case {case_id} {}: {e}", kind.as_str())))
    };
    let object = |v: &crate::domain::panel::Values, at: When| {
        object_of(kind, v, at).map_err(StorageError::Invalid)
    };
    let base = read(reimport::base(w, case_id, field, source)?)?;
    let given = base
        .as_ref()
        .and_then(|(b, _)| b.get(key))
        .filter(|(_, d)| *d == at)
        .cloned();
    let mut removed = None;
    if let Some(given) = given {
        if let Some((mut stored, stored_at)) = read(super::cases::stored_data(w, case_id, kind)?)?
            && stored.get(key) == Some(&given)
        {
            stored.remove(key);
            super::cases::write_evidence(w, case_id, kind, &object(&stored, stored_at)?, origin)?;
            let line = format!("{key} {} {at} {source}", given.0);
            audit::record(w, WITHDRAW_ACTION, Some(case_id), Some(&line), None)?;
            removed = Some(given.0.to_string());
        }
        if let Some((mut b, base_at)) = base {
            b.remove(key);
            reimport::set_base(w, case_id, field, source, &object(&b, base_at)?)?;
        }
    }
    if let Some((mut pending, pending_at)) =
        read(reimport::pending_value(w, case_id, field, source)?)?
        && pending.get(key).is_some_and(|(_, d)| *d == at)
    {
        pending.remove(key);
        if pending.is_empty() {
            reimport::clear_pending(w, case_id, field, source)?;
        } else {
            let loss = reimport::pending_loss(w, case_id, field, source)?.unwrap_or(Loss::Older);
            let rest = object(&pending, pending_at)?;
            reimport::set_pending(w, case_id, field, source, &rest, origin, loss)?;
        }
    }
    Ok(removed)
}
