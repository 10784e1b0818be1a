//! What people do about the feed (issue 16): a chair maps a booking's
//! service code to techniques (`feeds map-service`), which fills the cases
//! waiting for it; a person acknowledges an identity the hospital's system
//! changed (`feeds ack-identity`).

use rusqlite::{OptionalExtension, params};

use super::reimport_apply::{Stored, apply_from};
use super::schedule::{
    SCHEDULE_COLS, schedule_field, schedule_from_row, set_schedule_field, update_schedule,
};
use super::{Result, StorageError, Writer, audit};
use crate::domain::feed::{IdentityChange, identity_changes};
use crate::domain::reimport::{Field, ScheduleField};
use crate::domain::roles::Permission;
use crate::domain::text::sanitize_line;
use crate::domain::vocab::Technique;

/// Migration (issue 16, the identity advisory says what changed): the
/// identity (last name, first name, birth date, sex: a JSON array) as it was
/// before the hospital's system first changed it, kept until a person
/// acknowledges the change, so that the advisory names each trait old → new.
pub const IDENTITY_BEFORE: &str = "
    ALTER TABLE patients ADD COLUMN identity_before TEXT
      CHECK (identity_before IS NULL OR (json_valid(identity_before)
        AND json_array_length(identity_before) = 4));";

/// The audit action of a mapping.
pub const MAP_ACTION: &str = "feeds.map_service";
/// The audit action of an identity acknowledged.
pub const ACK_ACTION: &str = "feeds.ack_identity";

/// What mapping a code did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mapped {
    /// The techniques it mapped to before (`None`: a new code).
    pub before: Option<Vec<String>>,
    /// The cases whose techniques it filled (external ids).
    pub filled: Vec<String>,
    /// The cases where a person had set techniques meanwhile: the mapped
    /// ones wait beside them, for a person to keep or take (`resolve`).
    pub pending: Vec<String>,
    /// The code was mapped to other techniques: the new ones apply to
    /// later bookings, never to the cases that have theirs.
    pub remapped: bool,
}

/// Maps a booking's service `code` to `techniques` (a chair only),
/// audited; then every case waiting for that code (its techniques still to
/// define) whose codes are now all mapped gets its techniques, by the
/// three-way rule with the booking's sender as the source. The cases that
/// have techniques keep them, a code mapped again included.
pub fn map_service(w: &Writer<'_>, code: &str, techniques: &[Technique]) -> Result<Mapped> {
    w.require(Permission::MapServices, MAP_ACTION, None)?;
    let code = sanitize_line(code).trim().to_owned();
    if code.is_empty() {
        return Err(StorageError::Invalid(
            "the service code must not be empty".into(),
        ));
    }
    if techniques.is_empty() {
        return Err(StorageError::Invalid(
            "name at least one technique (several joined by +)".into(),
        ));
    }
    let mut words: Vec<&str> = Vec::new();
    for t in techniques {
        if !words.contains(&t.as_str()) {
            words.push(t.as_str());
        }
    }
    let json = serde_json::Value::from(words.clone()).to_string();
    let before: Option<String> = w
        .tx()
        .query_row(
            "SELECT techniques FROM service_map WHERE code = ?1",
            [&code],
            |r| r.get(0),
        )
        .optional()?;
    if before.as_deref() != Some(json.as_str()) {
        w.tx().execute(
            "INSERT INTO service_map (code, techniques, mapped_at, mapped_by) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (code) DO UPDATE SET techniques = excluded.techniques,
               mapped_at = excluded.mapped_at, mapped_by = excluded.mapped_by,
               version = version + 1",
            params![code, json, w.clock().timestamp(), w.login()],
        )?;
        let line = |t: &str| format!("{code}={t}");
        audit::record(
            w,
            MAP_ACTION,
            None,
            before.as_deref().map(line).as_deref(),
            Some(&line(&json)),
        )?;
    }
    let mut mapped = Mapped {
        before: before.as_deref().map(serde_json::from_str).transpose()?,
        filled: Vec::new(),
        pending: Vec::new(),
        remapped: before.as_ref().is_some_and(|b| *b != json),
    };
    fill_waiting(w, &code, &mut mapped)?;
    Ok(mapped)
}

/// The cases that sent `code`, whose techniques are still to define (their
/// booking's sender last sent none: a code was not mapped then) and whose
/// codes are all mapped now: their techniques, as their booking's sender
/// would send them. A case that got its techniques (a booking after the
/// code was mapped, or an earlier mapping) is not touched: re-mapping a
/// code changes the table for later bookings only.
fn fill_waiting(w: &Writer<'_>, code: &str, mapped: &mut Mapped) -> Result<()> {
    let waiting: Vec<(i64, String, String, Vec<String>, String)> = {
        let mut stmt = w.tx().prepare(
            "SELECT c.id, c.external_id, c.source, c.services, c.updated_at FROM cases c
             WHERE c.services IS NOT NULL AND c.status <> 'cancelled'
               AND EXISTS (SELECT 1 FROM json_each(c.services) j WHERE j.value = ?1)
               AND EXISTS (SELECT 1 FROM import_base b WHERE b.case_id = c.id
                 AND b.item = 'techniques' AND b.source = c.source AND b.value = '[]')
             ORDER BY c.id",
        )?;
        let rows = stmt.query_map([code], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, ext, source, services, at) = row?;
            out.push((id, ext, source, serde_json::from_str(&services)?, at));
        }
        out
    };
    let field = ScheduleField::Techniques;
    for (id, external_id, source, services, updated_at) in waiting {
        let Some(techniques) = super::feed_booking::techniques_of(w, &services)? else {
            continue;
        };
        let old = w
            .tx()
            .query_row(
                &format!("SELECT {SCHEDULE_COLS} FROM cases WHERE id = ?1"),
                [id],
                |r| Ok(schedule_from_row(r, 0)),
            )?
            .map_err(|e| StorageError::Corrupt(e.to_string()))?;
        let stored = schedule_field(&old, field)?;
        let meta = Stored {
            value: stored.as_deref(),
            by: None,
            at: Some(&updated_at),
            from: None,
        };
        let mut items = Vec::new();
        let origin = format!("{MAP_ACTION}:{code}");
        let taken = apply_from(
            w,
            (id, &external_id),
            Field::Schedule(field),
            &techniques,
            meta,
            (&source, &origin),
            &mut items,
        )?;
        match taken {
            Some(value) => {
                let mut new = old.clone();
                set_schedule_field(&mut new, field, &value)?;
                update_schedule(w, id, &old, &new)?;
                mapped.filled.push(external_id);
            }
            None if items
                .iter()
                .any(|i| i.change == super::reimport_apply::Change::Pending) =>
            {
                mapped.pending.push(external_id);
            }
            None => {}
        }
    }
    Ok(())
}

/// Acknowledges that the identity the hospital's system changed on the
/// patient of `ipp` was checked: the advisory leaves their cases; audited.
pub fn ack_identity(w: &Writer<'_>, ipp: &str) -> Result<()> {
    acknowledge(w, ipp, None)
}

/// [`ack_identity`] of the changes a person was shown (`I`'s
/// confirmation): refused, nothing written, when the identity changed
/// again since (a later message), so that what is acknowledged is what
/// was checked.
pub fn ack_identity_seen(w: &Writer<'_>, ipp: &str, seen: &[IdentityChange]) -> Result<()> {
    acknowledge(w, ipp, Some(seen))
}

fn acknowledge(w: &Writer<'_>, ipp: &str, seen: Option<&[IdentityChange]>) -> Result<()> {
    w.require(Permission::AckIdentity, ACK_ACTION, None)?;
    type Row = (
        i64,
        Option<String>,
        Option<String>,
        Option<String>,
        [String; 4],
    );
    let row: Option<Row> = w
        .tx()
        .query_row(
            "SELECT id, identity_changed_on, identity_changed_by, identity_before,
               last_name, first_name, birth_date, sex FROM patients WHERE ipp = ?1",
            [ipp],
            |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    [r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?],
                ))
            },
        )
        .optional()?;
    let ipp = sanitize_line(ipp);
    let Some((id, on, by, before, now)) = row else {
        return Err(StorageError::Invalid(format!("no patient with IPP {ipp}")));
    };
    let Some(on) = on else {
        return Err(StorageError::Invalid(format!(
            "IPP {ipp}: no identity change to acknowledge"
        )));
    };
    if let Some(seen) = seen {
        let current = match &before {
            Some(b) => {
                let b: [String; 4] = serde_json::from_str(b)?;
                identity_changes(
                    b.each_ref().map(String::as_str),
                    now.each_ref().map(String::as_str),
                )
            }
            None => Vec::new(),
        };
        if current != seen {
            return Err(StorageError::IdentityChangedSinceShown(ipp));
        }
    }
    w.tx().execute(
        "UPDATE patients SET identity_changed_on = NULL, identity_changed_by = NULL,
           identity_before = NULL, version = version + 1 WHERE id = ?1",
        [id],
    )?;
    let old = format!("{on} {}", by.unwrap_or_default());
    audit::record_for_patient(w, ACK_ACTION, id, Some(old.trim()), Some("checked"))
}
