//! The three-way re-import rule applied to one item of a case (the rule
//! itself: `domain/reimport.rs`), and the import report's line for it.

use serde::Serialize;

use super::{Result, StorageError, Writer, reimport};
use crate::domain::reimport::{
    self as domain_reimport, FILE_SOURCE, Field, Loss, Verdict, summary_dated,
};

/// What an import did to one item (evidence object or schedule field).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    /// Nothing was stored: the file's value is recorded.
    Created,
    /// Nobody changed it here: the file's value replaces the source's
    /// previous one.
    Updated,
    /// Both changed; the file's is dated later: it replaces the stored
    /// value (`stored`, recorded `by` on `at`), which stays in the history.
    Replaced,
    /// Both changed, imaging: the file's other studies were added.
    Merged,
    /// The source has not changed it (or sends nothing new): the stored
    /// value, recorded `by` on `at`, is kept.
    Kept,
    /// The file's value lost to the stored one: pending, blocking, until a
    /// person keeps or takes it (also when an earlier loss still waits).
    Pending,
    /// The file now sends the stored value: the conflicting value it sent
    /// before is dropped, and its blocking line with it.
    Dropped,
}

impl Change {
    /// Whether the case counts as updated: its stored values changed, or a
    /// blocking conflict appeared or went.
    pub fn marks_update(self) -> bool {
        !matches!(self, Change::Kept)
    }
}

/// One line of the import report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemReport {
    pub item: String,
    pub change: Change,
    /// The file's value, in a line.
    pub value: String,
    /// The stored value it met (replaced, kept), in a line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stored: Option<String>,
    /// Who recorded the stored value, and when (UTC, RFC 3339).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
    /// Where the stored value came from: `edit` (a person's form), a file
    /// (`import:week.json`), `resolve:import:…` (a file value a person took).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// Why a pending value lost.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub loss: Option<Loss>,
}

/// The stored side of one item: its value and who recorded it when.
#[derive(Clone, Copy)]
pub(super) struct Stored<'a> {
    pub value: Option<&'a str>,
    pub by: Option<&'a str>,
    pub at: Option<&'a str>,
    pub from: Option<&'a str>,
}

impl Stored<'_> {
    /// The report line of `field`: `change` to `value`, beside what is
    /// stored (left out when the item is created).
    pub(super) fn line(
        &self,
        field: Field,
        change: Change,
        value: &str,
        loss: Option<Loss>,
    ) -> ItemReport {
        let with_stored = change != Change::Created;
        ItemReport {
            item: field.as_str().to_owned(),
            change,
            value: summary_dated(field, value),
            stored: self
                .value
                .filter(|_| with_stored)
                .map(|v| summary_dated(field, v)),
            by: self.by.filter(|_| with_stored).map(str::to_owned),
            at: self.at.filter(|_| with_stored).map(str::to_owned),
            from: self.from.filter(|_| with_stored).map(str::to_owned),
            loss,
        }
    }
}

/// Applies the three-way rule to one item of a case: records the source's
/// base, keeps a losing file value pending (or drops a pending one the
/// source no longer sends), and reports every change, a dropped pending
/// value included. Returns the value to store when the stored one changes.
pub(super) fn apply(
    w: &Writer<'_>,
    case: (i64, &str),
    field: Field,
    file: &str,
    stored: Stored<'_>,
    origin: &str,
    items: &mut Vec<ItemReport>,
) -> Result<Option<String>> {
    apply_from(w, case, field, file, stored, (FILE_SOURCE, origin), items)
}

/// [`apply`] for the value a given source sends (`(source, origin)`): each
/// hospital feed sender (`hl7:<MSH-3>@<MSH-4>`) is a source of its own.
pub(super) fn apply_from(
    w: &Writer<'_>,
    case: (i64, &str),
    field: Field,
    file: &str,
    stored: Stored<'_>,
    (source, origin): (&str, &str),
    items: &mut Vec<ItemReport>,
) -> Result<Option<String>> {
    let (case_id, external_id) = case;
    let base = reimport::base(w, case_id, field, source)?;
    let verdict = domain_reimport::judge(field, file, base.as_deref(), stored.value)
        .map_err(|e| StorageError::Corrupt(format!("{external_id}: {e}")))?;
    let line = |change, value: &str, loss| stored.line(field, change, value, loss);
    let (report, store) = match verdict {
        Verdict::Same => {
            // The source now sends what is stored: an earlier losing value
            // of it is moot, and its blocking line goes, with a word.
            let dropped = reimport::clear_pending(w, case_id, field, source)?;
            (dropped.then(|| line(Change::Dropped, file, None)), None)
        }
        Verdict::SourceUnchanged | Verdict::Covered => {
            // The value it lost with last time is still waiting for a person.
            match reimport::pending_loss(w, case_id, field, source)? {
                Some(loss) => (Some(line(Change::Pending, file, Some(loss))), None),
                None => (Some(line(Change::Kept, file, None)), None),
            }
        }
        Verdict::Take | Verdict::TakeNewer | Verdict::Merge { .. } => {
            let (change, value, store) = match verdict {
                Verdict::Take if stored.value.is_none() => (Change::Created, file, file),
                Verdict::Take => (Change::Updated, file, file),
                Verdict::Merge {
                    ref merged,
                    ref added,
                } => (Change::Merged, added.as_str(), merged.as_str()),
                _ => (Change::Replaced, file, file),
            };
            reimport::clear_pending(w, case_id, field, source)?;
            (Some(line(change, value, None)), Some(store.to_owned()))
        }
        Verdict::FileLoses(loss) => {
            reimport::set_pending(w, case_id, field, source, file, origin, loss)?;
            (Some(line(Change::Pending, file, Some(loss))), None)
        }
    };
    reimport::set_base(w, case_id, field, source, file)?;
    items.extend(report);
    Ok(store)
}
