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
        meeting_on  TEXT,
        attendance  TEXT NOT NULL DEFAULT '[]',
        -- The fingerprint of the rules and the zone approved
        -- (`domain::protocol::digest`).
        -- Not unique with the version: a table edited outside the program
        -- and put back may be approved again as it was.
        rules_digest TEXT NOT NULL,
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
    let now = version(w.tx())?
        .checked_add(1)
        .ok_or_else(|| StorageError::Corrupt("protocol version at its maximum".into()))?;
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
    read_approvals(conn, "ORDER BY id")
}

fn read_approvals(conn: &Connection, order: &str) -> Result<Vec<Approval>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT version, approved_at, login, name, note, week, attendance, rules_digest,
                meeting_on
         FROM protocol_approvals {order}"
    ))?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, Option<String>>(5)?,
            r.get::<_, String>(6)?,
            r.get::<_, String>(7)?,
            r.get::<_, Option<String>>(8)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (version, at, login, name, note, week, attendance, digest, meeting_on) = row?;
        out.push(Approval {
            version,
            at: utc(&at)?,
            login,
            name,
            note,
            week,
            attendance: serde_json::from_str(&attendance)?,
            digest,
            meeting_on: meeting_on
                .as_deref()
                .map(crate::domain::time::parse_date)
                .transpose()
                .map_err(StorageError::Corrupt)?,
        });
    }
    Ok(out)
}

/// The version, its last approval, and the fingerprint of the rules and
/// the zone in force (read from `conn`: call it in the transaction that
/// read the rules shown beside it).
pub fn status(conn: &Connection) -> Result<Status> {
    status_of(conn, &super::rules::load(conn)?)
}

/// [`status`] for `rules` already read in the same transaction (not read
/// twice).
fn status_of(conn: &Connection, rules: &crate::domain::rules::RuleSet) -> Result<Status> {
    let zone: Option<String> = conn
        .query_row("SELECT value FROM meta WHERE key = 'timezone'", [], |r| {
            r.get(0)
        })
        .optional()?;
    Ok(Status {
        version: version(conn)?,
        approval: read_approvals(conn, "ORDER BY id DESC LIMIT 1")?.pop(),
        digest: crate::domain::protocol::digest(rules.rows(), zone.as_deref().unwrap_or("")),
    })
}

/// What `rules approve` asks.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// The version the reviewers read (the document's).
    pub reviewed: i64,
    pub note: &'a str,
    /// The meeting whose attendance to keep; None: the one held today, if
    /// exactly one is recorded (several: refused, to name one).
    pub meeting: Option<crate::domain::week::Week>,
    /// The fingerprint the reviewed document printed: checked when given,
    /// and required when the rules or the zone changed without a new
    /// version since the last approval (the number alone then names two
    /// different tables).
    pub fingerprint: Option<&'a str>,
}

/// Records that version `reviewed` was reviewed (a chair), with a note
/// (one line, 1–2000 characters), and who was present at the meeting held
/// today if one is recorded. Refused when `reviewed` is not the version in
/// force (the table changed since the document the reviewers read), and
/// when it is already approved as it stands: the approval would say
/// nothing new.
pub fn approve(w: &Writer<'_>, req: &Request<'_>) -> Result<Approval> {
    w.require(Permission::ManageRules, APPROVE_ACTION, None)?;
    let reviewed = req.reviewed;
    let note = sanitize_line(req.note).trim().to_owned();
    let chars = note.chars().count();
    if chars == 0 {
        return Err(StorageError::ApprovalNote(None));
    }
    if chars > NOTE_MAX_CHARS {
        return Err(StorageError::ApprovalNote(Some(chars)));
    }
    let status = status(w.tx())?;
    if reviewed != status.version {
        return Err(StorageError::ApprovalStale {
            reviewed,
            found: status.version,
        });
    }
    let given = req.fingerprint.map(str::trim);
    let outside = status.state() == crate::domain::protocol::State::ChangedOutsideVersion;
    if given.is_some_and(|f| f != status.digest) || (outside && given.is_none()) {
        return Err(StorageError::ApprovalFingerprint {
            given: given.map(sanitize_line),
            found: status.digest,
        });
    }
    let tz = super::zone_in(w.tx())?;
    if status.state() == crate::domain::protocol::State::Approved
        && let Some(last) = status.approval
    {
        return Err(StorageError::AlreadyApproved {
            version: last.version,
            on: last.at.with_timezone(&tz).date_naive(),
            by: last.name,
        });
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
    let (week, meeting_on, attendance) = meeting_of(w, tz, req.meeting)?;
    let at = w.clock().timestamp();
    w.tx().execute(
        "INSERT INTO protocol_approvals
           (version, approved_at, login, name, note, week, attendance, rules_digest, meeting_on)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        rusqlite::params![
            status.version,
            at,
            w.login(),
            name,
            note,
            week,
            serde_json::to_string(&attendance)?,
            status.digest,
            meeting_on.map(|d| d.format("%Y-%m-%d").to_string())
        ],
    )?;
    audit::record(
        w,
        APPROVE_ACTION,
        None,
        None,
        Some(&format!(
            "protocol v{} ({}) approved: {note}",
            status.version, status.digest
        )),
    )?;
    Ok(Approval {
        version: status.version,
        at: utc(&at)?,
        login: w.login().to_owned(),
        name,
        note,
        week,
        meeting_on,
        attendance,
        digest: status.digest,
    })
}

/// For tests: approves the version in force with `note` (the meeting held
/// today, if one).
#[cfg(test)]
pub(crate) fn approve_current(w: &Writer<'_>, note: &str) -> Result<Approval> {
    let reviewed = version(w.tx())?;
    approve(
        w,
        &Request {
            reviewed,
            note,
            meeting: None,
            fingerprint: None,
        },
    )
}

/// The meeting named, else the one held today (in the hospital's zone) if
/// exactly one is recorded, and who was present: a name typed in keeps its
/// typed role, a user's role is the users table's. A meeting named but not
/// recorded, or several held today with none named, is refused rather
/// than one picked.
fn meeting_of(
    w: &Writer<'_>,
    tz: chrono_tz::Tz,
    named: Option<crate::domain::week::Week>,
) -> Result<(Option<String>, Option<chrono::NaiveDate>, Vec<Present>)> {
    let week = match named {
        Some(week) => {
            let week = week.to_string();
            let known: bool = w.tx().query_row(
                "SELECT EXISTS (SELECT 1 FROM meetings WHERE week = ?1)",
                [&week],
                |r| r.get(0),
            )?;
            if !known {
                return Err(StorageError::ApprovalMeeting {
                    named: Some(week),
                    held_today: Vec::new(),
                });
            }
            week
        }
        None => {
            let today = w.clock().today_in(tz).format("%Y-%m-%d").to_string();
            let held: Vec<String> = w
                .tx()
                .prepare_cached("SELECT week FROM meetings WHERE held_on = ?1 ORDER BY week")?
                .query_map([&today], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            match held.as_slice() {
                [] => return Ok((None, None, Vec::new())),
                [one] => one.clone(),
                _ => {
                    return Err(StorageError::ApprovalMeeting {
                        named: None,
                        held_today: held,
                    });
                }
            }
        }
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
    let held_on: String = w.tx().query_row(
        "SELECT held_on FROM meetings WHERE week = ?1",
        [&week],
        |r| r.get(0),
    )?;
    let held_on = crate::domain::time::parse_date(&held_on).map_err(StorageError::Corrupt)?;
    Ok((Some(week), Some(held_on), people))
}

/// Every change of the rules table the trail holds, oldest first, each
/// with the version it made and the approval that covers it.
pub fn history(conn: &Connection) -> Result<Vec<Change>> {
    let approvals = approvals(conn)?;
    // The first term is the partial index's own (`audit_rules`): SQLite
    // uses it only for a query that repeats it word for word.
    let mut stmt = conn.prepare_cached(
        "SELECT a.at, a.login, u.name, coalesce(a.old_value, ''), coalesce(a.new_value, ''),
                a.action
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
            r.get::<_, String>(5)?,
        ))
    })?;
    let mut out = Vec::new();
    for (k, row) in rows.enumerate() {
        let (at, login, name, old, new, action) = row?;
        let version = crate::domain::protocol::FIRST_VERSION + 1 + k as i64;
        let (row, old, new) = Change::sides(action == "rules.risk", &old, &new);
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
    // The k-th change made version k + 1: the counter must say as much, or
    // every version and approval read from the trail would be mislabelled.
    let counted = crate::domain::protocol::FIRST_VERSION + out.len() as i64;
    let version = version(conn)?;
    if counted != version {
        return Err(StorageError::Corrupt(format!(
            "the protocol is at version {version} but the audit trail holds {} changes of the rules",
            out.len()
        )));
    }
    Ok(out)
}

/// The protocol versions in force when the decisions in force on `cases`
/// were recorded (sorted, each once): the version of a decision is 1 plus
/// the changes of the rules the trail holds before its audit row. A case
/// whose latest decision is an undo (undecided) counts for none.
pub fn versions_at_decisions(conn: &Connection, cases: &[i64]) -> Result<Vec<i64>> {
    // One query for the week: each case's last decision row (by
    // `audit_by_case`), then the changes before it (by the partial index
    // `audit_rules`, whose term it repeats word for word).
    let mut stmt = conn.prepare_cached(
        "WITH last AS (
           SELECT (SELECT a.id FROM audit a
                   WHERE a.case_id = c.value AND a.action LIKE 'decision.%'
                     AND a.outcome = 'done'
                   ORDER BY a.id DESC LIMIT 1) AS id
           FROM json_each(?1) c)
         SELECT DISTINCT (SELECT count(*) FROM audit r
                          WHERE r.action IN ('rules.set', 'rules.risk', 'rules.approve')
                            AND r.action IN ('rules.set', 'rules.risk')
                            AND r.outcome = 'done' AND r.id < d.id)
         FROM last JOIN audit d ON d.id = last.id
         WHERE d.action <> 'decision.undone'
         ORDER BY 1",
    )?;
    let changes = stmt
        .query_map([serde_json::to_string(cases)?], |r| r.get::<_, i64>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(changes
        .into_iter()
        .map(|n| crate::domain::protocol::FIRST_VERSION + n)
        .collect())
}

/// What a document or the history shows, read in one transaction: the
/// rules, the zone, the status, every approval and every change.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub rules: crate::domain::rules::RuleSet,
    pub tz: chrono_tz::Tz,
    pub status: Status,
    pub approvals: Vec<Approval>,
    pub history: Vec<Change>,
}

impl super::Db {
    /// Everything the protocol's document and history show, in one read
    /// transaction ([`Snapshot`]).
    pub fn protocol_snapshot(&self) -> Result<Snapshot> {
        let tx = self.conn().unchecked_transaction()?;
        let rules = super::rules::load(&tx)?;
        let snapshot = Snapshot {
            tz: self.timezone()?,
            status: status_of(&tx, &rules)?,
            rules,
            approvals: approvals(&tx)?,
            history: history(&tx)?,
        };
        tx.commit()?;
        Ok(snapshot)
    }

    /// The rules table and the protocol's status, read in one transaction
    /// (one snapshot of the file): the version names the rules returned,
    /// those `check` and an export judge the week by.
    pub fn rules_and_protocol(&self) -> Result<(crate::domain::rules::RuleSet, Status)> {
        let tx = self.conn().unchecked_transaction()?;
        let rules = super::rules::load(&tx)?;
        let status = status_of(&tx, &rules)?;
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
