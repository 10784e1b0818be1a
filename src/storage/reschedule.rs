//! A postponed case given a new slot (issue 14 §3): in the caller's
//! transaction, its date, time and room, its status back to `pending` (it
//! is then an ordinary case of the new slot's week), `postponed_to`
//! cleared, `version` and `updated_at`, and one audit row with the old and
//! the new slot. The decision history is not touched: the postponement
//! stays in it, and the case remembers the last decision row it had then
//! (`rescheduled_after`) so that an undo reverts only what was decided
//! since (`decisions::record`). The re-import bases are not touched
//! either: a file that still holds the old slot keeps the one typed here,
//! one that moves the case again is left pending for a person
//! (docs/import-format.md §7, the three-way rule). The rules (the case
//! must be postponed, the slot's bounds) are the service's:
//! `crate::decide::reschedule`.

use rusqlite::{Connection, OptionalExtension, ToSql, params};
use serde_json::json;

use super::{Result, Writer, audit};
use crate::domain::record::{RescheduleRow, StoredCase};
use crate::domain::roles::Permission;
use crate::domain::slot::Slot;
use crate::domain::time::DATETIME_FMT;
use crate::domain::vocab::DecisionStatus;

/// Migration 21: the last decision row of a case when it was rescheduled.
pub const SCHEMA: &str = "
    -- The id of the case's last decision row when it was given a new slot
    -- (issue 14 §3): the decisions up to it stay in its history, but no
    -- longer give its status nor can be undone. NULL: never rescheduled.
    ALTER TABLE cases ADD COLUMN rescheduled_after INTEGER;";

/// The audited action (and the refusal's).
pub const ACTION: &str = "case.reschedule";

/// What a reschedule did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rescheduled {
    pub case_id: i64,
    pub external_id: String,
    /// The slot before, and now.
    pub from: Slot,
    pub to: Slot,
    /// The week the case had been postponed to.
    pub postponed_to: Option<String>,
    /// The case's `version` now.
    pub version: i64,
}

/// Gives `case` (read in `w`'s transaction, and judged by the caller) the
/// slot `to`, audited (`case.reschedule`, old and new slot, status and
/// target week).
pub fn apply(w: &Writer<'_>, case: &StoredCase, to: &Slot) -> Result<Rescheduled> {
    w.require(Permission::Reschedule, ACTION, Some(case.id))?;
    let tx = w.tx();
    let last_decision: Option<i64> = tx
        .query_row(
            "SELECT max(id) FROM decisions WHERE case_id = ?1",
            [case.id],
            |r| r.get(0),
        )
        .optional()?
        .flatten();
    let p = &case.file.procedure;
    let from = Slot {
        at: p.scheduled_at,
        room: p.room.clone(),
    };
    let now = w.clock().timestamp();
    let new_at = to.at.format(DATETIME_FMT).to_string();
    let pending = DecisionStatus::Pending.as_str();
    tx.execute(
        "UPDATE cases SET scheduled_at = ?2, room = ?3, status = ?4, postponed_to = NULL,
           rescheduled_after = ?5, version = version + 1, updated_at = ?6
         WHERE id = ?1",
        params![case.id, new_at, to.room, pending, last_decision, now],
    )?;
    let old = json!({
        "scheduled_at": from.at.format(DATETIME_FMT).to_string(),
        "room": from.room,
        "status": case.status.as_str(),
        "postponed_to": case.postponed_to,
        "version": case.version,
    });
    let new = json!({
        "scheduled_at": new_at,
        "room": to.room,
        "status": pending,
        "postponed_to": null,
        "version": case.version + 1,
        "rescheduled_after": last_decision,
    });
    audit::record(
        w,
        ACTION,
        Some(case.id),
        Some(&old.to_string()),
        Some(&new.to_string()),
    )?;
    Ok(Rescheduled {
        case_id: case.id,
        external_id: case.file.external_id.clone(),
        from,
        to: to.clone(),
        postponed_to: case.postponed_to.clone(),
        version: case.version + 1,
    })
}

/// The reschedules of the cases matching `filter` (a condition on `cases
/// c`), oldest first: (case id, row), from their audit rows.
pub(super) fn load(
    conn: &Connection,
    filter: &str,
    params: &[&dyn ToSql],
) -> Result<Vec<(i64, RescheduleRow)>> {
    let field = |value: &str, key: &str| {
        format!("json_extract(CASE WHEN json_valid(a.{value}) THEN a.{value} END, '$.{key}')")
    };
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT a.case_id, a.at, a.login, {}, {}, {}, {}
         FROM cases c JOIN audit a ON a.case_id = c.id
         WHERE {filter} AND a.action = '{ACTION}' AND a.outcome = 'done'
         ORDER BY a.case_id, a.id",
        field("old_value", "scheduled_at"),
        field("old_value", "room"),
        field("new_value", "scheduled_at"),
        field("new_value", "room"),
    ))?;
    let text = |r: &rusqlite::Row<'_>, i: usize| -> rusqlite::Result<String> {
        Ok(r.get::<_, Option<String>>(i)?.unwrap_or_default())
    };
    let rows = stmt
        .query_map(params, |r| {
            Ok((
                r.get(0)?,
                RescheduleRow {
                    at: r.get(1)?,
                    by: r.get(2)?,
                    from: text(r, 3)?,
                    from_room: text(r, 4)?,
                    to: text(r, 5)?,
                    to_room: text(r, 6)?,
                },
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The last decision row a case had when it was rescheduled (`None`:
/// never rescheduled): an undo reverts only the decisions after it.
pub(super) fn decided_after(w: &Writer<'_>, case_id: i64) -> Result<Option<i64>> {
    Ok(w.tx()
        .query_row(
            "SELECT rescheduled_after FROM cases WHERE id = ?1",
            [case_id],
            |r| r.get(0),
        )
        .optional()?
        .flatten())
}
