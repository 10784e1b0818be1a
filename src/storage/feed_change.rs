//! A booking that changes a case the committee decided (issue 16, never
//! silently wrong): its date, techniques or target changed by the
//! hospital's system, or the case booked again after it ended at its
//! source. The committee decided another procedure (or another day): the
//! case is marked (`cases.changed_after_decision`), blocking and counted
//! as an alert, out of the validated programme, until the committee
//! decides again. A decision clears the mark and keeps it on its own row
//! (`decisions.cleared_change`), so that undoing that decision puts it back.

use rusqlite::{OptionalExtension, params};

use super::{Result, Writer, audit};
use crate::domain::feed::ChangedAfterDecision;

/// Migration (issue 16, a decision voided by a booking).
pub const SCHEMA: &str = "
    -- What a booking changed on a decided case since the decision (JSON,
    -- `domain::feed::ChangedAfterDecision`): to decide again. NULL: nothing.
    ALTER TABLE cases ADD COLUMN changed_after_decision TEXT
      CHECK (changed_after_decision IS NULL OR json_valid(changed_after_decision));
    -- The mark a decision cleared: put back when that decision is undone.
    ALTER TABLE decisions ADD COLUMN cleared_change TEXT
      CHECK (cleared_change IS NULL OR json_valid(cleared_change));";

/// The audit action of the mark (set, cleared, put back).
pub const ACTION: &str = "case.changed_after_decision";

fn stored(w: &Writer<'_>, case_id: i64) -> Result<Option<String>> {
    Ok(w.tx()
        .query_row(
            "SELECT changed_after_decision FROM cases WHERE id = ?1",
            [case_id],
            |r| r.get::<_, Option<String>>(0),
        )
        .optional()?
        .flatten())
}

/// Writes the mark, audited; `bump`: the case's version too (a decision
/// bumps it itself).
fn write(
    w: &Writer<'_>,
    case_id: i64,
    old: Option<&str>,
    new: Option<&str>,
    bump: bool,
) -> Result<()> {
    if old == new {
        return Ok(());
    }
    w.tx().execute(
        "UPDATE cases SET changed_after_decision = ?2, version = version + ?3 WHERE id = ?1",
        params![case_id, new, i64::from(bump)],
    )?;
    audit::record(w, ACTION, Some(case_id), old, new)
}

/// Adds `change` to the mark of case `case_id` (the earliest "before" of
/// each field kept), audited.
pub(super) fn note(w: &Writer<'_>, case_id: i64, change: ChangedAfterDecision) -> Result<()> {
    let old = stored(w, case_id)?;
    let merged = match &old {
        Some(o) => serde_json::from_str::<ChangedAfterDecision>(o)?.then(change),
        None => change,
    };
    let new = serde_json::to_string(&merged)?;
    write(w, case_id, old.as_deref(), Some(&new), true)
}

/// Clears the mark of case `case_id` (a new decision), audited; returns
/// it, for the decision's row.
pub(super) fn clear(w: &Writer<'_>, case_id: i64) -> Result<Option<String>> {
    let old = stored(w, case_id)?;
    write(w, case_id, old.as_deref(), None, false)?;
    Ok(old)
}

/// Puts back the mark decision `reverted` cleared (it is undone), before
/// any change noted since; audited.
pub(super) fn restore(w: &Writer<'_>, case_id: i64, reverted: i64) -> Result<()> {
    let cleared: Option<String> = w
        .tx()
        .query_row(
            "SELECT cleared_change FROM decisions WHERE id = ?1",
            [reverted],
            |r| r.get(0),
        )
        .optional()?
        .flatten();
    let Some(cleared) = cleared else {
        return Ok(());
    };
    let old = stored(w, case_id)?;
    let mut back: ChangedAfterDecision = serde_json::from_str(&cleared)?;
    if let Some(o) = &old {
        back = back.then(serde_json::from_str(o)?);
    }
    let new = serde_json::to_string(&back)?;
    write(w, case_id, old.as_deref(), Some(&new), false)
}
