//! A laboratory's last word on one observation (issue 16, OBX-11): per
//! sender (`hl7:<MSH-3>@<MSH-4>`), patient as the PID names them (IPP and
//! its assigning authority), analyte and specimen time, whether that
//! sender corrected it (C) or withdrew it (W).
//!
//! One source of truth: the rows of `lab_held` (`feed_held`), where every
//! ORU^R01 leaves its corrections (`corrected`) and withdrawals' marks
//! (`withdrawn`), whether the patient was known then or not. So a final
//! result replayed after the booking made the patient is judged as one
//! replayed before. (`lab_result_status`, migration 29, is no longer
//! written.)
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

use rusqlite::{OptionalExtension, params};

use super::{Result, StorageError, Writer, audit, reimport};
use crate::domain::feed::{Unusable, UnusableLab};
use crate::domain::labs::{Analyte, LabValue, Panel};
use crate::domain::panel::{object_of, values_of};
use crate::domain::record::EvidenceKind;
use crate::domain::reimport::{Field, Loss};
use crate::domain::roles::Permission;
use crate::domain::time::When;

/// Migration 29: the laboratory's last word per observation (no longer
/// written: `lab_held` holds it, see the module's note), and the
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

/// The audit action of a value removed from a case by a withdrawal.
pub const WITHDRAW_ACTION: &str = "labs.withdrawn";

/// Whose observation: the sender, and the patient as the PID names them.
#[derive(Debug, Clone, Copy)]
pub(super) struct Observer<'a> {
    pub(super) source: &'a str,
    pub(super) ipp: &'a str,
    pub(super) authority: &'a str,
}

/// What the sender last said of one observation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Word {
    Corrected(f64),
    Withdrawn,
}

/// The last correction or withdrawal `o` sent of (analyte, at), if any
/// (the latest row of `lab_held`: a withdrawal deletes the values before
/// it, a later correction is a row after it).
pub(super) fn last_word(
    w: &Writer<'_>,
    o: Observer<'_>,
    analyte: Analyte,
    at: When,
) -> Result<Option<Word>> {
    let row: Option<(String, f64)> = w
        .tx()
        .prepare_cached(
            "SELECT status, value FROM lab_held WHERE source = ?1 AND ipp = ?2
               AND authority = ?3 AND analyte = ?4 AND at = ?5
               AND status IN ('corrected', 'withdrawn')
             ORDER BY id DESC LIMIT 1",
        )?
        .query_row(
            params![o.source, o.ipp, o.authority, analyte.key(), at.to_string()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    Ok(match row {
        None => None,
        Some((s, v)) if s == "corrected" => Some(Word::Corrected(v)),
        Some((s, _)) if s == "withdrawn" => Some(Word::Withdrawn),
        Some((s, _)) => return Err(super::cases::corrupt("lab_held.status", &s)),
    })
}

/// Whether `o` sent a value, a correction or a withdrawal of (analyte,
/// at) that is still kept: a withdrawal of that time names a known
/// observation.
pub(super) fn known(w: &Writer<'_>, o: Observer<'_>, analyte: Analyte, at: When) -> Result<bool> {
    let n: i64 = w
        .tx()
        .prepare_cached(
            "SELECT count(*) FROM lab_held WHERE source = ?1 AND ipp = ?2
               AND authority = ?3 AND analyte = ?4 AND at = ?5",
        )?
        .query_row(
            params![o.source, o.ipp, o.authority, analyte.key(), at.to_string()],
            |r| r.get(0),
        )?;
    Ok(n > 0)
}

/// The final results among `values` (those not in `corrected`) that the
/// sender corrected or withdrew before: taken out. Returns the values
/// left, the audit note's `CODE reason` of each taken out, and those to
/// show as unusable (source to be set).
pub(super) fn screen(
    w: &Writer<'_>,
    o: Observer<'_>,
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
        let reason = match last_word(w, o, v.analyte, v.at)? {
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

/// Whether the case `case_id` still holds the value of `analyte` that
/// `source` gave it, dated the
/// same day as `at` at another time (or with the date alone on one side):
/// a withdrawal of `at` may be of that value
/// (the laboratory's clock, or a date alone). Not removed: only shown.
pub(super) fn holds_same_day(
    w: &Writer<'_>,
    case_id: i64,
    source: &str,
    analyte: Analyte,
    at: When,
) -> Result<bool> {
    let kind = match analyte.panel() {
        Panel::Coagulation => EvidenceKind::Coagulation,
        Panel::Biology => EvidenceKind::Biology,
    };
    let read = |json: Option<String>| {
        json.map(|j| values_of(kind, &j))
            .transpose()
            .map_err(|e| StorageError::Corrupt(format!("case {case_id} {}: {e}", kind.as_str())))
    };
    let key = analyte.key();
    let base = read(reimport::base(w, case_id, Field::Evidence(kind), source)?)?;
    let Some(given) = base
        .as_ref()
        .and_then(|(b, _)| b.get(key))
        .filter(|(_, d)| *d != at && d.date() == at.date())
        .cloned()
    else {
        return Ok(false);
    };
    let stored = read(super::cases::stored_data(w, case_id, kind)?)?;
    Ok(stored.is_some_and(|(s, _)| s.get(key) == Some(&given)))
}
