//! Laboratory values applied to one case, value by value: the entry point a
//! hospital feed (HL7 ORU) calls for each case of the patient. Each sender
//! is a source of its own (`hl7:LAB@HOSP`), with its own base; each value
//! is judged by the three-way rule on its own date (`domain::panel_rule`):
//! a newer result wins over an older typed value, never the reverse, and a
//! value not sent keeps the stored one with its own, older, date.

use serde::Serialize;

use super::reimport_apply::{ItemReport, Stored};
use super::{Result, StorageError, Writer, reimport_panel};
use crate::domain::labs::{Analyte, LabValue, Panel};
use crate::domain::panel::{Values, object_of};
use crate::domain::panel_rule::{Older, ValueVerdict};
use crate::domain::record::EvidenceKind;
use crate::domain::reimport::Loss;
use crate::domain::roles::Permission;

/// What applying a message's values to one case did.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct LabSummary {
    /// Stored now, each with its own date (nothing was stored, the source's
    /// value is newer, or nobody changed the one it sent before).
    pub taken: Vec<Analyte>,
    /// Lost to a stored value of the same date (a person's): kept pending
    /// for a person to keep or take (`resolve`, the screen).
    pub pending: Vec<Analyte>,
    /// Older than the stored value: the newer one stands, nothing waits
    /// for a person (a laboratory's older result is not a conflict).
    pub superseded: Vec<Analyte>,
    /// Already stored as sent, or sent before unchanged by this source.
    pub unchanged: Vec<Analyte>,
    /// The lines a re-import reports (biology, coagulation).
    pub items: Vec<ItemReport>,
}

impl LabSummary {
    /// Whether the case's stored values or its pending values changed.
    pub fn changed(&self) -> bool {
        self.items.iter().any(|i| i.change.marks_update())
    }
}

/// Applies `values` from `source` to the case `case_id`, in the caller's
/// write transaction: biology and coagulation, each value by the
/// three-way rule with `source`'s own base; `origin` (the message or file
/// they came in) is recorded on what is written. Audited as a re-import
/// is (each evidence change, each pending value). Refused without the
/// import permission, for a case that does not exist, for a value outside
/// its physical bounds, and for one analyte sent twice with different
/// values of the same date. An eGFR is biology's `egfr`: never a
/// creatinine clearance (`crcl_ml_min`, medications).
pub fn apply(
    w: &Writer<'_>,
    case_id: i64,
    source: &str,
    origin: &str,
    values: &[LabValue],
) -> Result<LabSummary> {
    w.require(Permission::Import, "labs", Some(case_id))?;
    let external_id: String = w
        .tx()
        .query_row(
            "SELECT external_id FROM cases WHERE id = ?1",
            [case_id],
            |r| r.get(0),
        )
        .map_err(|e| match e {
            rusqlite::Error::QueryReturnedNoRows => StorageError::NoCase(case_id.to_string()),
            e => e.into(),
        })?;
    let mut summary = LabSummary::default();
    for (panel, kind) in [
        (Panel::Biology, EvidenceKind::Biology),
        (Panel::Coagulation, EvidenceKind::Coagulation),
    ] {
        let Some(file) = incoming(kind, panel, values)? else {
            continue;
        };
        let row = reimport_panel::stored_row(w, case_id, kind)?;
        let stored = Stored {
            value: row.as_ref().map(|r| r.0.as_str()),
            by: row.as_ref().map(|r| r.1.as_str()),
            at: row.as_ref().map(|r| r.2.as_str()),
            from: row.as_ref().map(|r| r.3.as_str()),
        };
        let case = (case_id, external_id.as_str());
        let (store, verdicts) = reimport_panel::apply(
            w,
            case,
            kind,
            &file,
            stored,
            (source, origin, Older::Superseded),
            &mut summary.items,
        )?;
        if let Some(store) = store {
            super::cases::write_evidence(w, case_id, kind, &store, origin)?;
        }
        for (key, verdict) in verdicts {
            let Some(analyte) = Analyte::from_key(&key) else {
                continue;
            };
            match verdict {
                ValueVerdict::Take | ValueVerdict::TakeNewer => summary.taken.push(analyte),
                // Older than the stored value: superseded, nothing waits.
                ValueVerdict::Loses(Loss::Older) => summary.superseded.push(analyte),
                ValueVerdict::Loses(_) => summary.pending.push(analyte),
                ValueVerdict::Same | ValueVerdict::SourceUnchanged => {
                    summary.unchanged.push(analyte)
                }
            }
        }
    }
    Ok(summary)
}

/// The object of `panel`'s values among `values` (`None`: none), each with
/// its own date; of one analyte sent twice, the later.
fn incoming(kind: EvidenceKind, panel: Panel, values: &[LabValue]) -> Result<Option<String>> {
    let mut out = Values::new();
    for v in values.iter().filter(|v| v.analyte.panel() == panel) {
        let key = v.analyte.key();
        v.check_bounds().map_err(|e| {
            StorageError::Invalid(format!(
                "{key} {}: outside {}–{} {}",
                v.value, e.min, e.max, e.unit
            ))
        })?;
        let number = serde_json::Number::from_f64(v.value)
            .ok_or_else(|| StorageError::Invalid(format!("{key}: not a number")))?;
        let value = (serde_json::Value::Number(number), v.at);
        match out.get(key) {
            Some((old, at)) if *at == v.at && *old != value.0 => {
                return Err(StorageError::Invalid(format!(
                    "{key}: two different values dated {}",
                    v.at
                )));
            }
            Some((_, at)) if crate::domain::reimport::compare_dates(*at, v.at).is_ge() => {}
            _ => {
                out.insert(key.to_owned(), value);
            }
        }
    }
    let Some(first) = values.iter().find(|v| v.analyte.panel() == panel) else {
        return Ok(None);
    };
    object_of(kind, &out, first.at)
        .map(Some)
        .map_err(StorageError::Invalid)
}

#[cfg(test)]
#[path = "labs_tests.rs"]
mod tests;

/// Migration 26: biology and coagulation name each value's own date.
pub const DATES: &str = "-- 26: each biology and coagulation value names its own date (Rust step)";

/// The step of migration 26: the stored biology and coagulation objects,
/// the sources' bases and the pending values of those items, rewritten in
/// the canonical form (every present value's date named: the object's
/// `at`, the one date they had). A row that does not read as its kind is
/// left as it is (the rules read it as before). Returns the rows rewritten.
pub(super) fn date_each_value(tx: &rusqlite::Connection) -> Result<usize> {
    // Read in key order, a batch at a time (a file of a million cases holds
    // two million such rows: never all in memory), each row rewritten by
    // one prepared statement.
    const BATCH: i64 = 5000;
    let tables = [
        (
            "SELECT case_id, kind, '', data FROM evidence
             WHERE kind IN ('biology', 'coagulation') AND (case_id, kind) > (?1, ?2) AND ?3 IS NOT NULL
             ORDER BY case_id, kind LIMIT ?4",
            "UPDATE evidence SET data = ?4 WHERE case_id = ?1 AND kind = ?2",
        ),
        (
            "SELECT case_id, item, source, value FROM import_base
             WHERE item IN ('biology', 'coagulation') AND (case_id, item, source) > (?1, ?2, ?3)
             ORDER BY case_id, item, source LIMIT ?4",
            "UPDATE import_base SET value = ?4 WHERE case_id = ?1 AND item = ?2 AND source = ?3",
        ),
        (
            "SELECT case_id, item, source, value FROM pending_values
             WHERE item IN ('biology', 'coagulation') AND (case_id, item, source) > (?1, ?2, ?3)
             ORDER BY case_id, item, source LIMIT ?4",
            "UPDATE pending_values SET value = ?4 WHERE case_id = ?1 AND item = ?2 AND source = ?3",
        ),
    ];
    let mut rewritten = 0;
    for (select, update) in tables {
        let mut after: (i64, String, String) = (i64::MIN, String::new(), String::new());
        loop {
            let rows: Vec<(i64, String, String, String)> = tx
                .prepare_cached(select)?
                .query_map(rusqlite::params![after.0, after.1, after.2, BATCH], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
                })?
                .collect::<rusqlite::Result<_>>()?;
            let Some(last) = rows.last() else {
                break;
            };
            after = (last.0, last.1.clone(), last.2.clone());
            let mut write = tx.prepare_cached(update)?;
            for (case_id, item, source, value) in rows {
                let Some(kind) = EvidenceKind::parse(&item) else {
                    continue;
                };
                let Ok(canonical) = crate::domain::panel::canonical_json(kind, &value) else {
                    continue;
                };
                if canonical != value {
                    write.execute(rusqlite::params![case_id, item, source, canonical])?;
                    rewritten += 1;
                }
            }
        }
    }
    Ok(rewritten)
}
