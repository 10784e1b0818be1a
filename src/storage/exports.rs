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
use crate::domain::roles::{Permission, Role};
use crate::domain::text::sanitize_line;
use crate::domain::time::{DATE_FMT, parse_date};
use crate::domain::week::Week;

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
    -- The calendar events already sent, per variant of the export (its
    -- language, pseudonymised or not): never their text (names), only what
    -- a re-export needs: the sequence, and a digest to tell a change.
    CREATE TABLE calendar_events (
        uid        TEXT NOT NULL,
        variant    TEXT NOT NULL,
        week       TEXT NOT NULL,
        sequence   INTEGER NOT NULL CHECK (sequence >= 0),
        cancelled  INTEGER NOT NULL CHECK (cancelled IN (0, 1)),
        start      TEXT NOT NULL,
        \"end\"    TEXT NOT NULL,
        location   TEXT NOT NULL,
        digest     TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (uid, variant)
    ) STRICT;
    CREATE INDEX calendar_events_by_week ON calendar_events(variant, week);";

/// Migration 20: the role of a name typed in the attendance list, and the
/// quorum's rows in the rules table, counted in people: the rules table is
/// rebuilt for the new unit (its columns, `audit_row` included, copied as
/// they are, so every row keeps its claim), then the rows the migration
/// wrote are claimed (`migrate::after`).
pub const QUORUM: &str = "
    ALTER TABLE attendance ADD COLUMN role TEXT
      CHECK (role IS NULL OR role IN ('chair', 'radiologist', 'anaesthetist', 'radiographer',
                                      'secretary', 'viewer', 'auditor'));
    CREATE TABLE rules_new (
        rule      TEXT NOT NULL,
        subject   TEXT NOT NULL DEFAULT '*',
        risk      TEXT NOT NULL DEFAULT '*' CHECK (risk IN ('low', 'high', '*')),
        value     REAL,
        unit      TEXT NOT NULL CHECK (unit IN ('days', 'day_noon', 'hours', 'minutes', 'g_l',
                    'ratio', 'ml_min', 'flag', 'people')),
        severity  TEXT NOT NULL CHECK (severity IN ('blocking', 'advisory', 'none')),
        source    TEXT NOT NULL,
        version   INTEGER NOT NULL DEFAULT 1,
        audit_row INTEGER,
        PRIMARY KEY (rule, subject, risk)
    ) STRICT;
    INSERT INTO rules_new (rule, subject, risk, value, unit, severity, source, version, audit_row)
      SELECT rule, subject, risk, value, unit, severity, source, version, audit_row FROM rules;
    DROP TABLE rules;
    ALTER TABLE rules_new RENAME TO rules;
    INSERT OR IGNORE INTO rules (rule, subject, risk, value, unit, severity, source) VALUES
     ('meeting.quorum', 'radiologist',  '*', 1, 'people', 'advisory',
      'référentiel: IR radiologists and anaesthetists attend (the chair counts as an IR radiologist)'),
     ('meeting.quorum', 'anaesthetist', '*', 1, 'people', 'advisory',
      'référentiel: IR radiologists and anaesthetists attend (the chair counts as an IR radiologist)');";

/// One person present.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub name: String,
    /// Set when picked from the users table.
    pub login: Option<String>,
    /// The role of a name typed in (not a user of the file), for the
    /// quorum; a user's role is the users table's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
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
    let mut stmt = db.conn().prepare_cached(
        "SELECT name, login, role FROM attendance WHERE week = ?1 ORDER BY position",
    )?;
    let people = stmt
        .query_map([&week_s], |r| {
            let role: Option<String> = r.get(2)?;
            Ok(Person {
                name: r.get(0)?,
                login: r.get(1)?,
                role: role.as_deref().and_then(Role::parse),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(Some(Meeting {
        week: week_s,
        held_on: parse_date(&held).map_err(StorageError::Corrupt)?,
        people,
    }))
}

/// Records who attended `week`'s meeting (chair only, audited old → new).
/// `held_on` dates the meeting the first time; a later correction of the
/// list keeps the date. Names are cleaned (one line, no control
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
            // A user's role is the users table's.
            role: p.role.filter(|_| p.login.is_none()),
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
    let held = old
        .clone()
        .unwrap_or_else(|| held_on.format(DATE_FMT).to_string());
    w.tx().execute(
        "INSERT INTO meetings (week, held_on, recorded_by, recorded_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (week) DO UPDATE SET
           recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at",
        params![week_s, held, w.login(), w.clock().timestamp()],
    )?;
    w.tx()
        .execute("DELETE FROM attendance WHERE week = ?1", [&week_s])?;
    for (i, p) in clean.iter().enumerate() {
        w.tx().execute(
            "INSERT INTO attendance (week, position, name, login, role) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![week_s, i as i64, p.name, p.login, p.role.map(Role::as_str)],
        )?;
    }
    let names: Vec<&str> = clean.iter().map(|p| p.name.as_str()).collect();
    let old = old.map(|h| json!({"week": week_s, "held_on": h, "present": old_people}).to_string());
    let mut new = json!({"week": week_s, "held_on": held, "present": names});
    // The roles given to names typed in (the quorum counts them).
    let roles: serde_json::Map<String, serde_json::Value> = clean
        .iter()
        .filter_map(|p| p.role.map(|r| (p.name.clone(), json!(r.as_str()))))
        .collect();
    if !roles.is_empty() {
        new["roles"] = serde_json::Value::Object(roles);
    }
    let new = new.to_string();
    audit::record(w, "attendance.set", None, old.as_deref(), Some(&new))
}

/// A calendar event as last sent: enough to send it again as cancelled
/// and to tell whether it changed, nothing that names a patient.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sent {
    pub uid: String,
    pub sequence: u32,
    pub cancelled: bool,
    pub start: chrono::NaiveDateTime,
    pub end: chrono::NaiveDateTime,
    /// The room.
    pub location: String,
    /// SHA-256 of the event's content as sent.
    pub digest: String,
}

/// The events of `variant` sent for `week` before, and any others with
/// one of `uids` (a case moved from another week keeps its UID).
pub fn calendar(db: &Db, variant: &str, week: Week, uids: &[String]) -> Result<Vec<Sent>> {
    calendar_rows(db.conn(), variant, week, uids)
}

/// The same, read again inside a write (to see an export made meanwhile).
pub fn calendar_in(
    w: &Writer<'_>,
    variant: &str,
    week: Week,
    uids: &[String],
) -> Result<Vec<Sent>> {
    calendar_rows(w.tx(), variant, week, uids)
}

fn calendar_rows(
    conn: &rusqlite::Connection,
    variant: &str,
    week: Week,
    uids: &[String],
) -> Result<Vec<Sent>> {
    use crate::domain::time::parse_datetime;
    let mut stmt = conn.prepare_cached(
        "SELECT uid, sequence, cancelled, start, \"end\", location, digest FROM calendar_events
         WHERE variant = ?1 AND (week = ?2 OR uid IN (SELECT value FROM json_each(?3)))
         ORDER BY start, uid",
    )?;
    let uids = serde_json::to_string(uids)?;
    let rows = stmt
        .query_map(params![variant, week.to_string(), uids], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, String>(6)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter()
        .map(|(uid, sequence, cancelled, start, end, location, digest)| {
            Ok(Sent {
                uid,
                sequence: u32::try_from(sequence).unwrap_or(0),
                cancelled: cancelled != 0,
                start: parse_datetime(&start).map_err(StorageError::Corrupt)?,
                end: parse_datetime(&end).map_err(StorageError::Corrupt)?,
                location,
                digest,
            })
        })
        .collect()
}

/// Stores the events of `variant` just sent for `week`.
pub fn save_calendar(w: &Writer<'_>, variant: &str, week: Week, sent: &[Sent]) -> Result<()> {
    use crate::domain::time::DATETIME_FMT;
    for e in sent {
        w.tx().execute(
            "INSERT INTO calendar_events
               (uid, variant, week, sequence, cancelled, start, \"end\", location, digest, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
             ON CONFLICT (uid, variant) DO UPDATE SET week = excluded.week,
               sequence = excluded.sequence, cancelled = excluded.cancelled,
               start = excluded.start, \"end\" = excluded.\"end\",
               location = excluded.location, digest = excluded.digest,
               updated_at = excluded.updated_at",
            params![
                e.uid,
                variant,
                week.to_string(),
                e.sequence,
                e.cancelled,
                e.start.format(DATETIME_FMT).to_string(),
                e.end.format(DATETIME_FMT).to_string(),
                e.location,
                e.digest,
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
    /// An export to a file: the token its `export.start` row and its
    /// completion (`export`, `export.failed`) share (issue 12).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attempt: Option<String>,
    /// The permission the export needs when it is not the programme's
    /// rule (`None`: `export`, or `export_identified` with names): the
    /// registry extract's `export_cases`. Not in the audit row (its format
    /// says which export it was).
    #[serde(skip)]
    pub permission: Option<crate::domain::roles::Permission>,
    /// The version of the local protocol (the rules table) that judged the
    /// week, for the programme and the minutes (issue 17); absent for the
    /// exports that name none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub protocol_version: Option<i64>,
}

/// Checks that the writer may export (with names, or pseudonymised only)
/// and audits the export. A refusal is audited too.
pub fn record(w: &Writer<'_>, r: &ExportRecord) -> Result<()> {
    require_export(w, r)?;
    let new = serde_json::to_string(r)?;
    audit::record(w, "export", None, None, Some(&new))
}

/// The same check, for an export to a file whose temporary file is open:
/// audited as `export.start`; [`record_done`] or [`record_failed`] follows
/// under the same `attempt`. A start with neither is an export that never
/// completed (its process was killed): the `audit` listing and the minutes
/// say so.
pub fn record_start(w: &Writer<'_>, r: &ExportRecord) -> Result<()> {
    require_export(w, r)?;
    let new = serde_json::to_string(r)?;
    audit::record(w, "export.start", None, None, Some(&new))
}

/// Audits an export to a file once the file is in place (`export`).
pub fn record_done(w: &Writer<'_>, r: &ExportRecord) -> Result<()> {
    let new = serde_json::to_string(r)?;
    audit::record(w, "export", None, None, Some(&new))
}

fn require_export(w: &Writer<'_>, r: &ExportRecord) -> Result<()> {
    let need = super::needs::export_of(r);
    w.require(need.permission, &need.action, need.case_id)
}

/// Audits an export whose file could not be written or put in place: the
/// trail must not claim a file that is not there.
pub fn record_failed(w: &Writer<'_>, r: &ExportRecord, reason: &str) -> Result<()> {
    let new = json!({"export": r, "failed": sanitize_line(reason)}).to_string();
    audit::record(w, "export.failed", None, None, Some(&new))
}

/// An export to a file that was started and never completed: an
/// `export.start` row with no `export` nor `export.failed` row of the same
/// attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unfinished {
    /// The `export.start` row.
    pub audit_id: i64,
    pub at: String,
    pub login: String,
    pub week: String,
    pub format: String,
    pub minutes: bool,
    pub pseudonymised: bool,
}

/// The exports never completed, oldest first (of `week` only when given).
pub fn unfinished(db: &Db, week: Option<Week>) -> Result<Vec<Unfinished>> {
    unfinished_in(db.conn(), week)
}

pub(crate) fn unfinished_in(
    conn: &rusqlite::Connection,
    week: Option<Week>,
) -> Result<Vec<Unfinished>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, at, login, action, new_value FROM audit
         WHERE action IN ('export.start', 'export', 'export.failed') ORDER BY id",
    )?;
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, Option<String>>(4)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let value = |v: &Option<String>| -> serde_json::Value {
        v.as_deref()
            .and_then(|v| serde_json::from_str(v).ok())
            .unwrap_or_default()
    };
    let mut done = std::collections::HashSet::new();
    for (_, _, _, action, new) in &rows {
        let v = value(new);
        let attempt = match action.as_str() {
            "export" => v.get("attempt"),
            "export.failed" => v.get("export").and_then(|e| e.get("attempt")),
            _ => None,
        };
        if let Some(a) = attempt.and_then(|a| a.as_str()) {
            done.insert(a.to_owned());
        }
    }
    let week = week.map(|w| w.to_string());
    let mut out = Vec::new();
    for (id, at, login, action, new) in rows {
        if action != "export.start" {
            continue;
        }
        let v = value(&new);
        let text = |k: &str| {
            v.get(k)
                .and_then(|x| x.as_str())
                .unwrap_or_default()
                .to_owned()
        };
        let flag = |k: &str| v.get(k).and_then(|x| x.as_bool()).unwrap_or_default();
        if done.contains(&text("attempt")) || week.as_ref().is_some_and(|w| *w != text("week")) {
            continue;
        }
        out.push(Unfinished {
            audit_id: id,
            at,
            login,
            week: text("week"),
            format: text("format"),
            minutes: flag("minutes"),
            pseudonymised: flag("pseudonymised"),
        });
    }
    Ok(out)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::clock::Clock;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).expect("date")
    }

    #[test]
    fn a_corrected_list_keeps_the_meeting_date_and_drops_repeats() {
        let mut db = Db::open_in_memory(Clock::Fixed(day(26))).expect("db");
        let week: Week = "2026-W49".parse().expect("week");
        let p = |name: &str| Person {
            role: None,
            name: name.into(),
            login: None,
        };
        db.write(|w| set_meeting(w, week, day(26), &[p("Dr A"), p("Dr A"), p(" ")]))
            .expect("saved");
        db.write(|w| set_meeting(w, week, day(27), &[p("Dr A"), p("Dr B\u{1b}[2J")]))
            .expect("corrected");
        let m = meeting(&db, week).expect("read").expect("recorded");
        assert_eq!(m.held_on, day(26), "the date of the meeting stays");
        let names: Vec<&str> = m.people.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["Dr A", "Dr B[2J"]);
    }
}
