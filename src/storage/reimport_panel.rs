//! The three-way re-import rule applied to biology and coagulation value
//! by value (`domain::panel_rule`), for one source (the file, a hospital
//! feed sender): records the source's base, keeps its losing values
//! pending (one pending object per source holding only those values), and
//! reports what happened.

use rusqlite::{OptionalExtension, params};

use super::reimport_apply::{Change, ItemReport, Stored};
use super::{Result, StorageError, Writer, reimport};
use crate::domain::panel_rule::{Older, ValueVerdict, judge_panel};
use crate::domain::record::EvidenceKind;
use crate::domain::reimport::{Field, Loss};

/// The object to store when the stored one changes, and each value's
/// verdict (by its key).
pub(super) type Applied = (Option<String>, Vec<(String, ValueVerdict)>);

/// The stored row of an evidence object: (data, by, at, source).
pub(super) type Row = (String, String, String, String);

/// The stored row of one evidence object of a case.
pub(super) fn stored_row(w: &Writer<'_>, case_id: i64, kind: EvidenceKind) -> Result<Option<Row>> {
    Ok(w.tx()
        .query_row(
            "SELECT data, updated_by, updated_at, source FROM evidence
             WHERE case_id = ?1 AND kind = ?2",
            params![case_id, kind.as_str()],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?)
}

/// Applies the rule to the values `file` holds (any of the object's
/// values, each with its own date) from `source` (`origin`: the file or
/// message they came in). Returns the object to store when the stored one
/// changes (the caller writes it), and each value's verdict.
pub(super) fn apply(
    w: &Writer<'_>,
    case: (i64, &str),
    kind: EvidenceKind,
    file: &str,
    stored: Stored<'_>,
    (source, origin, older): (&str, &str, Older),
    items: &mut Vec<ItemReport>,
) -> Result<Applied> {
    let (case_id, external_id) = case;
    let field = Field::Evidence(kind);
    let base = reimport::base(w, case_id, field, source)?;
    let pending = reimport::pending_value(w, case_id, field, source)?;
    let old_loss = reimport::pending_loss(w, case_id, field, source)?;
    let judged = judge_panel(
        kind,
        file,
        base.as_deref(),
        stored.value,
        pending.as_deref(),
        older,
    )
    .map_err(|e| StorageError::Corrupt(format!("{external_id}: {e}")))?;
    match (&judged.pending, &pending) {
        (Some(value), _) => {
            let loss = judged.loss.or(old_loss).unwrap_or(Loss::Older);
            reimport::set_pending(w, case_id, field, source, value, origin, loss)?;
        }
        (None, Some(_)) => {
            reimport::clear_pending(w, case_id, field, source)?;
        }
        (None, None) => {}
    }
    let line = |change, value: &str, loss| stored.line(field, change, value, loss);
    let mut lines = Vec::new();
    if let Some(taken) = &judged.taken {
        let newer = judged
            .verdicts
            .iter()
            .any(|(_, v)| *v == ValueVerdict::TakeNewer);
        let change = match (stored.value, newer) {
            (None, _) => Change::Created,
            (Some(_), true) => Change::Replaced,
            (Some(_), false) => Change::Updated,
        };
        lines.push(line(change, taken, None));
    }
    let unchanged = judged
        .verdicts
        .iter()
        .any(|(_, v)| *v == ValueVerdict::SourceUnchanged);
    match (&judged.lost, &judged.pending, old_loss) {
        (Some(lost), _, _) => lines.push(line(Change::Pending, lost, judged.loss)),
        // What it sends unchanged lost before: still waiting for a person.
        (None, Some(p), Some(loss)) if unchanged && sends_pending(kind, file, p) => {
            lines.push(line(Change::Pending, p, Some(loss)));
        }
        _ => {}
    }
    if let Some(dropped) = &judged.dropped {
        lines.push(line(Change::Dropped, dropped, None));
    }
    if lines.is_empty() && unchanged {
        lines.push(line(Change::Kept, file, None));
    }
    if stored.value.is_none() && lines.is_empty() {
        // A work-up without a value, where none was stored.
        lines.push(line(Change::Created, file, None));
    }
    items.extend(lines);
    reimport::set_base(w, case_id, field, source, &judged.base)?;
    Ok((judged.store, judged.verdicts))
}

/// Whether `file` sends one of the pending values, as pending.
fn sends_pending(kind: EvidenceKind, file: &str, pending: &str) -> bool {
    let read = |json| crate::domain::panel::values_of(kind, json).map(|v| v.0);
    match (read(file), read(pending)) {
        (Ok(file), Ok(pending)) => pending.iter().any(|(k, p)| file.get(k) == Some(p)),
        _ => false,
    }
}
