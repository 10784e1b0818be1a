//! What each source last sent for each case (the base of the re-import
//! rule, `domain/reimport.rs`) and the file values that lost, waiting for a
//! person to keep or take them (`resolve`).

use rusqlite::{Connection, OptionalExtension, params};

use super::schedule::{Schedule, schedule_field, set_schedule_field};
use super::{Result, StorageError, Writer, audit};
use crate::domain::model::CaseFile;
use crate::domain::record::{PendingValue, StoredCase};
use crate::domain::reimport::{FILE_SOURCE, Field, Loss, ScheduleField};
use crate::domain::roles::Permission;

/// Migration 7: the bases and the pending values.
pub const SCHEMA: &str = "
    -- The value each source last sent for each case and item (an evidence
    -- kind or a schedule field): the base of the three-way re-import rule.
    CREATE TABLE import_base (
        case_id     INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
        item        TEXT NOT NULL,
        source      TEXT NOT NULL,
        value       TEXT NOT NULL CHECK (json_valid(value)),
        imported_at TEXT NOT NULL,
        PRIMARY KEY (case_id, item, source)
    ) STRICT, WITHOUT ROWID;
    -- A source's value that lost to the stored one: blocking until a person
    -- keeps the stored value or takes this one.
    CREATE TABLE pending_values (
        case_id  INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
        item     TEXT NOT NULL,
        source   TEXT NOT NULL,
        value    TEXT NOT NULL CHECK (json_valid(value)),
        origin   TEXT NOT NULL,
        loss     TEXT NOT NULL CHECK (loss IN ('older', 'same_date', 'undated')),
        at       TEXT NOT NULL,
        by_login TEXT NOT NULL,
        PRIMARY KEY (case_id, item, source)
    ) STRICT, WITHOUT ROWID;";

/// How far back migration 7 gives cases a base: a case scheduled earlier
/// is history, not re-imported; should it be, no base reads "both changed"
/// (the cautious reading: a differing file value waits for a person).
pub const BACKFILL_DAYS: i64 = 90;

/// The step of migration 7 after its tables: what the database holds for
/// the cases of the last [`BACKFILL_DAYS`] days and later was last written
/// by an import, except the evidence a form wrote (`source = 'edit'`),
/// which gets no base (a file's value is then judged "both changed").
/// Schedule fields are written by imports only. One statement per table,
/// in SQL, each value written as `storage::schedule` writes it.
pub(super) fn backfill(tx: &Connection, today: chrono::NaiveDate) -> Result<()> {
    let from = (today - chrono::Duration::days(BACKFILL_DAYS))
        .format(crate::domain::time::DATE_FMT)
        .to_string();
    tx.execute(
        "INSERT INTO import_base (case_id, item, source, value, imported_at)
         SELECT e.case_id, e.kind, ?1, e.data, e.updated_at
         FROM evidence e JOIN cases c ON c.id = e.case_id
         WHERE e.source <> 'edit' AND c.scheduled_at >= ?2",
        params![FILE_SOURCE, from],
    )?;
    tx.execute(
        "INSERT INTO import_base (case_id, item, source, value, imported_at)
         SELECT id, item, ?1, value, updated_at FROM (
           SELECT id, updated_at, scheduled_at, 'scheduled_at' AS item, json_quote(scheduled_at) AS value FROM cases
           UNION ALL SELECT id, updated_at, scheduled_at, 'room', json_quote(room) FROM cases
           UNION ALL SELECT id, updated_at, scheduled_at, 'operator', json_quote(operator) FROM cases
           UNION ALL SELECT id, updated_at, scheduled_at, 'techniques', techniques FROM cases
           UNION ALL SELECT id, updated_at, scheduled_at, 'target', json_quote(target) FROM cases
           UNION ALL SELECT id, updated_at, scheduled_at, 'anaesthesia', json_quote(anaesthesia) FROM cases
           UNION ALL SELECT id, updated_at, scheduled_at, 'bleeding_risk', json_quote(bleeding_risk)
             FROM cases WHERE bleeding_risk IS NOT NULL
           UNION ALL SELECT id, updated_at, scheduled_at, 'duration_min', json_quote(duration_min)
             FROM cases WHERE duration_min IS NOT NULL
           UNION ALL SELECT id, updated_at, scheduled_at, 'pain_vas', json_quote(pain_vas)
             FROM cases WHERE pain_vas IS NOT NULL
           UNION ALL SELECT id, updated_at, scheduled_at, 'life_expectancy_over_6_months',
               CASE WHEN life_expectancy_over_6_months THEN 'true' ELSE 'false' END
             FROM cases WHERE life_expectancy_over_6_months IS NOT NULL
         ) WHERE scheduled_at >= ?2",
        params![FILE_SOURCE, from],
    )?;
    Ok(())
}

/// One column of the row `sql` selects for this case, item and source.
fn column(
    w: &Writer<'_>,
    sql: &str,
    case_id: i64,
    field: Field,
    source: &str,
) -> Result<Option<String>> {
    Ok(w.tx()
        .query_row(sql, params![case_id, field.as_str(), source], |r| r.get(0))
        .optional()?)
}

/// The value `source` last sent for this case and item.
pub(super) fn base(
    w: &Writer<'_>,
    case_id: i64,
    field: Field,
    source: &str,
) -> Result<Option<String>> {
    column(
        w,
        "SELECT value FROM import_base WHERE case_id = ?1 AND item = ?2 AND source = ?3",
        case_id,
        field,
        source,
    )
}

pub(super) fn set_base(
    w: &Writer<'_>,
    case_id: i64,
    field: Field,
    source: &str,
    value: &str,
) -> Result<()> {
    set_base_at(
        w.tx(),
        case_id,
        field,
        source,
        value,
        &w.clock().timestamp(),
    )
}

fn set_base_at(
    tx: &Connection,
    case_id: i64,
    field: Field,
    source: &str,
    value: &str,
    at: &str,
) -> Result<()> {
    tx.execute(
        "INSERT INTO import_base (case_id, item, source, value, imported_at)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (case_id, item, source) DO UPDATE
           SET value = excluded.value, imported_at = excluded.imported_at",
        params![case_id, field.as_str(), source, value, at],
    )?;
    Ok(())
}

/// Keeps a file value that lost, replacing an earlier one of the same
/// source; audited.
pub(super) fn set_pending(
    w: &Writer<'_>,
    case_id: i64,
    field: Field,
    source: &str,
    value: &str,
    origin: &str,
    loss: Loss,
) -> Result<()> {
    let old = pending_value(w, case_id, field, source)?;
    if old.as_deref() == Some(value) {
        return Ok(());
    }
    let loss = loss.as_str();
    w.tx().execute(
        "INSERT INTO pending_values (case_id, item, source, value, origin, loss, at, by_login)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT (case_id, item, source) DO UPDATE
           SET value = excluded.value, origin = excluded.origin, loss = excluded.loss,
               at = excluded.at, by_login = excluded.by_login",
        params![
            case_id,
            field.as_str(),
            source,
            value,
            origin,
            loss,
            w.clock().timestamp(),
            w.login()
        ],
    )?;
    let action = format!("pending.{}", field.as_str());
    audit::record(w, &action, Some(case_id), old.as_deref(), Some(value))?;
    Ok(())
}

/// Drops a pending value the source no longer sends (it now sends what is
/// stored, or a value that was taken); audited. Returns whether one was.
pub(super) fn clear_pending(
    w: &Writer<'_>,
    case_id: i64,
    field: Field,
    source: &str,
) -> Result<bool> {
    let Some(old) = pending_value(w, case_id, field, source)? else {
        return Ok(false);
    };
    w.tx().execute(
        "DELETE FROM pending_values WHERE case_id = ?1 AND item = ?2 AND source = ?3",
        params![case_id, field.as_str(), source],
    )?;
    let action = format!("pending.{}", field.as_str());
    audit::record(w, &action, Some(case_id), Some(&old), None)?;
    Ok(true)
}

/// Why the pending value of this source lost, if one is waiting.
pub(super) fn pending_loss(
    w: &Writer<'_>,
    case_id: i64,
    field: Field,
    source: &str,
) -> Result<Option<Loss>> {
    let loss = column(
        w,
        "SELECT loss FROM pending_values WHERE case_id = ?1 AND item = ?2 AND source = ?3",
        case_id,
        field,
        source,
    )?;
    Ok(loss.as_deref().map(Loss::parse))
}

pub(super) fn pending_value(
    w: &Writer<'_>,
    case_id: i64,
    field: Field,
    source: &str,
) -> Result<Option<String>> {
    column(
        w,
        "SELECT value FROM pending_values WHERE case_id = ?1 AND item = ?2 AND source = ?3",
        case_id,
        field,
        source,
    )
}

/// The pending values of the cases matching `filter` (a condition on
/// `cases c`), as (case id, value).
pub(super) fn load_pending(
    conn: &Connection,
    filter: &str,
    params: &[&dyn rusqlite::ToSql],
) -> Result<Vec<(i64, PendingValue)>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT v.case_id, v.item, v.source, v.value, v.origin, v.loss, v.at, v.by_login
         FROM cases c JOIN pending_values v ON v.case_id = c.id WHERE {filter}
         ORDER BY v.case_id, v.item, v.source"
    ))?;
    let rows = stmt
        .query_map(params, |r| {
            Ok((
                r.get(0)?,
                PendingValue {
                    item: r.get(1)?,
                    source: r.get(2)?,
                    value: r.get(3)?,
                    origin: r.get(4)?,
                    loss: r.get(5)?,
                    at: r.get(6)?,
                    by: r.get(7)?,
                },
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// What a person chooses for a pending value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    /// The stored value stays; the file's is dropped.
    Keep,
    /// The file's value replaces the stored one.
    Take,
}

/// What recording a value of `field` needs: the evidence's own permission;
/// the access route, as the procedure form records it (recording
/// evidence); the other schedule fields, deciding the schedule (the chair,
/// a secretary).
pub fn permission(field: Field) -> Permission {
    match field {
        Field::Evidence(kind) => Permission::for_evidence(kind),
        Field::Schedule(ScheduleField::Access) => Permission::RecordEvidence,
        Field::Schedule(_) => Permission::Schedule,
    }
}

/// Keeps or takes the pending value(s) of one item of a case, audited.
/// `source` picks one when several sources have one (today there is only
/// the file). Refused without the permission to record that item.
pub fn resolve(
    w: &Writer<'_>,
    case_id: i64,
    field: Field,
    source: Option<&str>,
    choice: Choice,
) -> Result<()> {
    let verb = match choice {
        Choice::Keep => "keep",
        Choice::Take => "take",
    };
    let action = format!("resolve.{}", field.as_str());
    w.require(permission(field), &action, Some(case_id))?;
    let mut rows: Vec<(String, String, String)> = {
        let mut stmt = w.tx().prepare(
            "SELECT source, value, origin FROM pending_values WHERE case_id = ?1 AND item = ?2
             ORDER BY source",
        )?;
        stmt.query_map(params![case_id, field.as_str()], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?
    };
    if let Some(s) = source {
        rows.retain(|(src, _, _)| src == s);
    }
    let (src, value, origin) = match rows.as_slice() {
        [] => return Err(StorageError::NoPending(field.as_str().to_owned())),
        [one] => one.clone(),
        _ => {
            return Err(StorageError::Invalid(format!(
                "{} has pending values from several sources ({}); name one",
                field.as_str(),
                rows.iter()
                    .map(|(s, _, _)| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
    };
    if choice == Choice::Take {
        match field {
            Field::Evidence(kind) => {
                // Biology, coagulation: the pending values replace theirs,
                // each with its own date; the others stay as stored.
                let value = if crate::domain::panel::is_panel(kind) {
                    let stored = super::cases::stored_data(w, case_id, kind)?;
                    crate::domain::panel_rule::take_pending(kind, stored.as_deref(), &value)
                        .map_err(|e| StorageError::Corrupt(format!("{}: {e}", kind.as_str())))?
                } else {
                    value.clone()
                };
                super::cases::write_evidence(
                    w,
                    case_id,
                    kind,
                    &value,
                    &format!("resolve:{origin}"),
                )?;
            }
            Field::Schedule(f) => take_schedule(w, case_id, f, &value)?,
        }
    }
    w.tx().execute(
        "DELETE FROM pending_values WHERE case_id = ?1 AND item = ?2 AND source = ?3",
        params![case_id, field.as_str(), src],
    )?;
    audit::record(
        w,
        &format!("{action}.{verb}"),
        Some(case_id),
        None,
        Some(&value),
    )?;
    Ok(())
}

/// What a person was shown before choosing on the screen: the file's
/// value (from which source) and the version of the stored value it
/// conflicts with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown {
    pub source: String,
    /// The pending value, as stored (JSON).
    pub value: String,
    /// [`stored_version`] when it was shown.
    pub version: Option<i64>,
}

/// The version of what a pending value conflicts with: the evidence
/// object's (`None`: absent); for a schedule field, the case's.
pub fn stored_version(case: &StoredCase, field: Field) -> Option<i64> {
    match field {
        Field::Evidence(kind) => case.recorded(kind).map(|r| r.version),
        Field::Schedule(_) => Some(case.version),
    }
}

/// The stored value of `field` as JSON (`None`: nothing stored), to show it
/// beside the file's. Reads the case as loaded, not the database.
pub fn stored_json(file: &CaseFile, field: Field) -> Result<Option<String>> {
    match field {
        Field::Evidence(kind) => Ok(file.evidence_json(kind)?),
        Field::Schedule(f) => schedule_field(&Schedule::of(file, 0), f),
    }
}

/// [`resolve`] the value a person was shown: when the file's value or the
/// stored one changed since (another import, a form, someone who chose
/// meanwhile), nothing is written and [`StorageError::ChangedSinceShown`]
/// says so: a choice is only ever made on what was seen.
pub fn resolve_shown(
    w: &Writer<'_>,
    case_id: i64,
    field: Field,
    shown: &Shown,
    choice: Choice,
) -> Result<()> {
    let action = format!("resolve.{}", field.as_str());
    w.require(permission(field), &action, Some(case_id))?;
    let pending = pending_value(w, case_id, field, &shown.source)?;
    let version: Option<i64> = match field {
        Field::Evidence(kind) => w
            .tx()
            .query_row(
                "SELECT version FROM evidence WHERE case_id = ?1 AND kind = ?2",
                params![case_id, kind.as_str()],
                |r| r.get(0),
            )
            .optional()?,
        Field::Schedule(_) => w
            .tx()
            .query_row("SELECT version FROM cases WHERE id = ?1", [case_id], |r| {
                r.get(0)
            })
            .optional()?,
    };
    if pending.as_deref() != Some(shown.value.as_str()) || version != shown.version {
        return Err(StorageError::ChangedSinceShown(field.as_str().to_owned()));
    }
    resolve(w, case_id, field, Some(&shown.source), choice)
}

fn take_schedule(w: &Writer<'_>, case_id: i64, field: ScheduleField, value: &str) -> Result<()> {
    let old: Schedule = w
        .tx()
        .query_row(
            &format!(
                "SELECT {} FROM cases WHERE id = ?1",
                super::schedule::SCHEDULE_COLS
            ),
            [case_id],
            |r| Ok(super::schedule::schedule_from_row(r, 0)),
        )
        .optional()?
        .ok_or_else(|| StorageError::NoCase(case_id.to_string()))??;
    let mut new = old.clone();
    set_schedule_field(&mut new, field, value)?;
    super::schedule::update_schedule(w, case_id, &old, &new)
}

#[cfg(test)]
#[path = "reimport_backfill_tests.rs"]
mod tests;
