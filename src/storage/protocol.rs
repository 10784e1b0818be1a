//! The local protocol's version, its approvals and its history (issue 17).
//!
//! The version is a `meta` row, `protocol_version`, raised by [`bump`] in
//! the transaction of every change of the rules table (`rules::set`,
//! `rules::set_technique_risk`), before the change's audit row. Version 1 is
//! the table as a new file holds it (`schema.sql` and the migrations'
//! rows); the migration that adds the counter starts it at 1 plus the
//! changes the trail already holds, so that the k-th audited change of the
//! table made version k + 1 ([`history`] reads them so).
//!
//! An approval ([`approve`], a chair) records that a version was reviewed:
//! who, when, the note, and who was present at the meeting held that day if
//! one is recorded. Audited (`rules.approve`).

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension};

use super::{Result, StorageError, Writer, audit};
use crate::domain::protocol::{Approval, Change, NOTE_MAX_CHARS, Present, Status};
use crate::domain::roles::{Permission, Role};
use crate::domain::text::sanitize_line;

/// The `meta` key of the version.
pub const VERSION_KEY: &str = "protocol_version";

/// The audit actions of a change of the rules table.
pub const CHANGE_ACTIONS: [&str; 2] = ["rules.set", "rules.risk"];

/// The audit action of an approval.
pub const APPROVE_ACTION: &str = "rules.approve";

/// Migration 33: the approvals, the version (1 plus the changes already
/// audited; claimed by the step after it) and an index of the trail's rows
/// about the rules, so that the history does not read the whole trail.
pub const SCHEMA: &str = "
    CREATE TABLE protocol_approvals (
        id          INTEGER PRIMARY KEY,
        version     INTEGER NOT NULL CHECK (version >= 1),
        approved_at TEXT NOT NULL,
        login       TEXT NOT NULL,
        name        TEXT NOT NULL,
        note        TEXT NOT NULL CHECK (length(note) BETWEEN 1 AND 2000),
        -- The meeting held on the day of the approval, if one is recorded,
        -- and who was present then (JSON [{name, role}]).
        week        TEXT,
        attendance  TEXT NOT NULL DEFAULT '[]',
        audit_row   INTEGER
    ) STRICT;
    CREATE INDEX audit_rules ON audit (id)
      WHERE action IN ('rules.set', 'rules.risk', 'rules.approve');
    INSERT INTO meta (key, value)
      SELECT 'protocol_version', CAST(1 + count(*) AS TEXT) FROM audit
      WHERE action IN ('rules.set', 'rules.risk') AND outcome = 'done';";

/// Raises the version by one (in the transaction of a change of the rules
/// table, before its audit row) and returns the new one.
pub(super) fn bump(w: &Writer<'_>) -> Result<i64> {
    let now = version(w.tx())? + 1;
    w.tx().execute(
        "UPDATE meta SET value = ?2 WHERE key = ?1",
        [VERSION_KEY, &now.to_string()],
    )?;
    Ok(now)
}

/// The version of the rules table the file holds.
pub fn version(conn: &Connection) -> Result<i64> {
    let value: Option<String> = conn
        .query_row(
            "SELECT value FROM meta WHERE key = ?1",
            [VERSION_KEY],
            |r| r.get(0),
        )
        .optional()?;
    let value = value.ok_or_else(|| StorageError::Corrupt("no protocol version".into()))?;
    match value.parse::<i64>() {
        Ok(v) if v >= 1 => Ok(v),
        _ => Err(StorageError::Corrupt(format!(
            "protocol version '{}' is not a number from 1",
            sanitize_line(&value)
        ))),
    }
}

/// Every approval, oldest first.
pub fn approvals(conn: &Connection) -> Result<Vec<Approval>> {
    let mut stmt = conn.prepare_cached(
        "SELECT version, approved_at, login, name, note, week, attendance
         FROM protocol_approvals ORDER BY id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, Option<String>>(5)?,
            r.get::<_, String>(6)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (version, at, login, name, note, week, attendance) = row?;
        out.push(Approval {
            version,
            at: utc(&at)?,
            login,
            name,
            note,
            week,
            attendance: serde_json::from_str(&attendance)?,
        });
    }
    Ok(out)
}

/// The version and its last approval.
pub fn status(conn: &Connection) -> Result<Status> {
    Ok(Status {
        version: version(conn)?,
        approval: approvals(conn)?.pop(),
    })
}

/// Records that the version in force was reviewed (a chair), with a note
/// (one line, 1–2000 characters), and who was present at the meeting held
/// today if one is recorded. A version already approved is refused: the
/// approval says nothing new.
pub fn approve(w: &Writer<'_>, note: &str) -> Result<Approval> {
    w.require(Permission::ManageRules, APPROVE_ACTION, None)?;
    let note = sanitize_line(note).trim().to_owned();
    let chars = note.chars().count();
    if chars == 0 {
        return Err(StorageError::ApprovalNote(None));
    }
    if chars > NOTE_MAX_CHARS {
        return Err(StorageError::ApprovalNote(Some(chars)));
    }
    let status = status(w.tx())?;
    if let Some(last) = status.approval.filter(|a| a.version >= status.version) {
        return Err(StorageError::AlreadyApproved(Box::new(last)));
    }
    let name: String = w
        .tx()
        .query_row(
            "SELECT name FROM users WHERE login = ?1",
            [w.login()],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or_else(|| w.login().to_owned());
    let (week, attendance) = meeting_today(w)?;
    let at = w.clock().timestamp();
    w.tx().execute(
        "INSERT INTO protocol_approvals
           (version, approved_at, login, name, note, week, attendance)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        rusqlite::params![
            status.version,
            at,
            w.login(),
            name,
            note,
            week,
            serde_json::to_string(&attendance)?
        ],
    )?;
    audit::record(
        w,
        APPROVE_ACTION,
        None,
        None,
        Some(&format!("protocol v{} approved: {note}", status.version)),
    )?;
    Ok(Approval {
        version: status.version,
        at: utc(&at)?,
        login: w.login().to_owned(),
        name,
        note,
        week,
        attendance,
    })
}

/// The meeting held today (in the hospital's zone), if one is recorded,
/// and who was present: a name typed in keeps its typed role, a user's
/// role is the users table's.
fn meeting_today(w: &Writer<'_>) -> Result<(Option<String>, Vec<Present>)> {
    let (_, tz) = super::Db::judging(w)?;
    let today = w.clock().today_in(tz).format("%Y-%m-%d").to_string();
    let week: Option<String> = w
        .tx()
        .query_row(
            "SELECT week FROM meetings WHERE held_on = ?1 ORDER BY week DESC LIMIT 1",
            [&today],
            |r| r.get(0),
        )
        .optional()?;
    let Some(week) = week else {
        return Ok((None, Vec::new()));
    };
    let mut stmt = w.tx().prepare_cached(
        "SELECT a.name, coalesce(u.role, a.role) FROM attendance a
         LEFT JOIN users u ON u.login = a.login
         WHERE a.week = ?1 ORDER BY a.position",
    )?;
    let people = stmt
        .query_map([&week], |r| {
            let role: Option<String> = r.get(1)?;
            Ok(Present {
                name: r.get(0)?,
                role: role.as_deref().and_then(Role::parse),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok((Some(week), people))
}

/// Every change of the rules table the trail holds, oldest first, each
/// with the version it made and the approval that covers it.
pub fn history(conn: &Connection) -> Result<Vec<Change>> {
    let approvals = approvals(conn)?;
    // The first term is the partial index's own (`audit_rules`): SQLite
    // uses it only for a query that repeats it word for word.
    let mut stmt = conn.prepare_cached(
        "SELECT a.at, a.login, u.name, coalesce(a.old_value, ''), coalesce(a.new_value, '')
         FROM audit a LEFT JOIN users u ON u.login = a.login
         WHERE a.action IN ('rules.set', 'rules.risk', 'rules.approve')
           AND a.action IN ('rules.set', 'rules.risk') AND a.outcome = 'done'
         ORDER BY a.id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, Option<String>>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
        ))
    })?;
    let mut out = Vec::new();
    for (k, row) in rows.enumerate() {
        let (at, login, name, old, new) = row?;
        let version = crate::domain::protocol::FIRST_VERSION + 1 + k as i64;
        let (row, old, new) = Change::sides(&old, &new);
        out.push(Change {
            version,
            at: utc(&at)?,
            login,
            name,
            row,
            old,
            new,
            approved_in: crate::domain::protocol::approved_in(&approvals, version),
        });
    }
    Ok(out)
}

impl super::Db {
    /// The rules table and the protocol's status, read in one transaction
    /// (one snapshot of the file): the version names the rules returned,
    /// those `check` and an export judge the week by.
    pub fn rules_and_protocol(&self) -> Result<(crate::domain::rules::RuleSet, Status)> {
        let tx = self.conn().unchecked_transaction()?;
        let rules = super::rules::load(&tx)?;
        let status = status(&tx)?;
        tx.commit()?;
        Ok((rules, status))
    }
}

fn utc(at: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(at)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| StorageError::Corrupt(format!("time '{}'", sanitize_line(at))))
}

#[cfg(test)]
#[path = "protocol_tests.rs"]
mod tests;
