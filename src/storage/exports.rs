//! What exports need stored: the people present at each week's meeting
//! (recorded by the chair from the screen), the calendar events already
//! exported (a re-export keeps their UID and raises their SEQUENCE; one no
//! longer in the programme goes out again as cancelled), and the audit row
//! of every export.

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::{Db, Result, StorageError, Writer, audit};
use crate::domain::roles::Permission;
use crate::domain::text::sanitize_line;
use crate::domain::time::{DATE_FMT, parse_date};
use crate::domain::week::Week;
use crate::export::CalendarEvent;

/// Migration 6.
pub const SCHEMA: &str = "
    CREATE TABLE meetings (
        week        TEXT PRIMARY KEY CHECK (week GLOB '[0-9][0-9][0-9][0-9]-W[0-9][0-9]'),
        held_on     TEXT NOT NULL,
        recorded_by TEXT NOT NULL,
        recorded_at TEXT NOT NULL
    ) STRICT;
    CREATE TABLE attendance (
        week     TEXT NOT NULL REFERENCES meetings(week) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        name     TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        -- The user's login when picked from the users table, else NULL.
        login    TEXT,
        PRIMARY KEY (week, position)
    ) STRICT;
    CREATE TABLE calendar_events (
        uid        TEXT PRIMARY KEY,
        week       TEXT NOT NULL,
        sequence   INTEGER NOT NULL CHECK (sequence >= 0),
        cancelled  INTEGER NOT NULL CHECK (cancelled IN (0, 1)),
        -- The event as last exported (JSON), to send it again as cancelled.
        event      TEXT NOT NULL,
        updated_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX calendar_events_by_week ON calendar_events(week);";

/// One person present.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub name: String,
    /// Set when picked from the users table.
    pub login: Option<String>,
}

/// A week's meeting as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Meeting {
    pub week: String,
    pub held_on: NaiveDate,
    pub people: Vec<Person>,
}

/// The people present at `week`'s meeting, if recorded.
pub fn meeting(db: &Db, week: Week) -> Result<Option<Meeting>> {
    let week_s = week.to_string();
    let held: Option<String> = db
        .conn()
        .query_row(
            "SELECT held_on FROM meetings WHERE week = ?1",
            [&week_s],
            |r| r.get(0),
        )
        .optional()?;
    let Some(held) = held else {
        return Ok(None);
    };
    let mut stmt = db
        .conn()
        .prepare_cached("SELECT name, login FROM attendance WHERE week = ?1 ORDER BY position")?;
    let people = stmt
        .query_map([&week_s], |r| {
            Ok(Person {
                name: r.get(0)?,
                login: r.get(1)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(Some(Meeting {
        week: week_s,
        held_on: parse_date(&held).map_err(StorageError::Corrupt)?,
        people,
    }))
}

/// Records who attended `week`'s meeting, held on `held_on` (chair only,
/// audited old → new). Names are cleaned (one line, no control
/// characters); empty names and repeats are dropped.
pub fn set_meeting(
    w: &Writer<'_>,
    week: Week,
    held_on: NaiveDate,
    people: &[Person],
) -> Result<()> {
    w.require(Permission::Attendance, "attendance.set", None)?;
    let week_s = week.to_string();
    let mut clean: Vec<Person> = Vec::new();
    for p in people {
        let name = sanitize_line(&p.name);
        if name.is_empty() || name.chars().count() > 200 {
            if name.is_empty() {
                continue;
            }
            return Err(StorageError::Invalid(format!(
                "attendance: a name of more than 200 characters ({}…)",
                name.chars().take(20).collect::<String>()
            )));
        }
        if clean.iter().any(|c| c.name == name) {
            continue;
        }
        clean.push(Person {
            name,
            login: p.login.clone(),
        });
    }
    let old: Option<String> = w
        .tx()
        .query_row(
            "SELECT held_on FROM meetings WHERE week = ?1",
            [&week_s],
            |r| r.get(0),
        )
        .optional()?;
    let old_people: Vec<String> = {
        let mut stmt = w
            .tx()
            .prepare_cached("SELECT name FROM attendance WHERE week = ?1 ORDER BY position")?;
        stmt.query_map([&week_s], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?
    };
    let held = held_on.format(DATE_FMT).to_string();
    w.tx().execute(
        "INSERT INTO meetings (week, held_on, recorded_by, recorded_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (week) DO UPDATE SET held_on = excluded.held_on,
           recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at",
        params![week_s, held, w.login(), w.clock().timestamp()],
    )?;
    w.tx()
        .execute("DELETE FROM attendance WHERE week = ?1", [&week_s])?;
    for (i, p) in clean.iter().enumerate() {
        w.tx().execute(
            "INSERT INTO attendance (week, position, name, login) VALUES (?1, ?2, ?3, ?4)",
            params![week_s, i as i64, p.name, p.login],
        )?;
    }
    let names: Vec<&str> = clean.iter().map(|p| p.name.as_str()).collect();
    let old = old.map(|h| json!({"week": week_s, "held_on": h, "present": old_people}).to_string());
    let new = json!({"week": week_s, "held_on": held, "present": names}).to_string();
    audit::record(w, "attendance.set", None, old.as_deref(), Some(&new))
}

/// A calendar event as last exported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exported {
    pub week: String,
    pub event: CalendarEvent,
}

/// The calendar events exported for `week` before, and any others with
/// one of `uids` (a case moved from another week keeps its UID).
pub fn calendar(w: &Writer<'_>, week: Week, uids: &[String]) -> Result<Vec<Exported>> {
    let mut stmt = w.tx().prepare_cached(
        "SELECT week, sequence, cancelled, event FROM calendar_events
         WHERE week = ?1 OR uid IN (SELECT value FROM json_each(?2))",
    )?;
    let uids = serde_json::to_string(uids)?;
    let rows = stmt
        .query_map(params![week.to_string(), uids], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, String>(3)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter()
        .map(|(week, sequence, cancelled, event)| {
            let mut event: CalendarEvent = serde_json::from_str(&event)
                .map_err(|e| StorageError::Corrupt(format!("calendar event: {e}")))?;
            event.sequence = u32::try_from(sequence).unwrap_or(0);
            event.cancelled = cancelled != 0;
            Ok(Exported { week, event })
        })
        .collect()
}

/// Stores the events as just exported for `week`.
pub fn save_calendar(w: &Writer<'_>, week: Week, events: &[CalendarEvent]) -> Result<()> {
    for e in events {
        w.tx().execute(
            "INSERT INTO calendar_events (uid, week, sequence, cancelled, event, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (uid) DO UPDATE SET week = excluded.week, sequence = excluded.sequence,
               cancelled = excluded.cancelled, event = excluded.event,
               updated_at = excluded.updated_at",
            params![
                e.uid,
                week.to_string(),
                e.sequence,
                e.cancelled,
                serde_json::to_string(e)?,
                w.clock().timestamp()
            ],
        )?;
    }
    Ok(())
}

/// What one export was, for its audit row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportRecord {
    pub week: String,
    pub format: &'static str,
    pub minutes: bool,
    pub pseudonymised: bool,
    /// Validated procedures in the programme.
    pub cases: usize,
    /// Where the file went (`-` for the standard output).
    pub file: String,
}

/// Checks that the writer may export (with names, or pseudonymised only)
/// and audits the export. A refusal is audited too.
pub fn record(w: &Writer<'_>, r: &ExportRecord) -> Result<()> {
    let permission = if r.pseudonymised {
        Permission::Export
    } else {
        Permission::ExportIdentified
    };
    w.require(permission, "export", None)?;
    let new = serde_json::to_string(r)?;
    audit::record(w, "export", None, None, Some(&new))
}

/// The audit trail's newest hash (the chain's head), if any row.
pub fn audit_head(db: &Db) -> Result<Option<String>> {
    Ok(db
        .conn()
        .query_row(
            "SELECT hash FROM audit WHERE hash IS NOT NULL ORDER BY id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .optional()?)
}
