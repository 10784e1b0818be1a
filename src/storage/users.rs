//! The people who may use the file: login → name and role. The first user
//! of a new file is its chair (`init --admin LOGIN`, default the caller);
//! afterwards only a chair manages users.

use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use super::{Db, Result, StorageError, Writer, audit};
use crate::domain::roles::{Permission, Role};
use crate::domain::text::sanitize_line;

/// The users table (migration 4).
pub const SCHEMA: &str = "CREATE TABLE users (
        login      TEXT PRIMARY KEY,
        name       TEXT NOT NULL,
        role       TEXT NOT NULL CHECK (role IN
                     ('chair', 'radiologist', 'anaesthetist', 'radiographer', 'secretary', 'viewer')),
        active     INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
        created_at TEXT NOT NULL,
        version    INTEGER NOT NULL DEFAULT 1
    ) STRICT;";

/// Migration 10: the users table rebuilt with the `auditor` role (issue 11).
pub const AUDITOR: &str = "CREATE TABLE users_new (
        login      TEXT PRIMARY KEY,
        name       TEXT NOT NULL,
        role       TEXT NOT NULL CHECK (role IN
                     ('chair', 'radiologist', 'anaesthetist', 'radiographer', 'secretary', 'viewer',
                      'auditor')),
        active     INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
        created_at TEXT NOT NULL,
        version    INTEGER NOT NULL DEFAULT 1
    ) STRICT;
    INSERT INTO users_new (login, name, role, active, created_at, version)
      SELECT login, name, role, active, created_at, version FROM users;
    DROP TABLE users;
    ALTER TABLE users_new RENAME TO users;";

/// One user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct User {
    pub login: String,
    pub name: String,
    pub role: Role,
    pub active: bool,
}

/// The role of an active user, None for an unknown or disabled login.
pub fn role_of(conn: &rusqlite::Connection, login: &str) -> Result<Option<Role>> {
    let role: Option<String> = conn
        .query_row(
            "SELECT role FROM users WHERE login = ?1 AND active = 1",
            [login],
            |r| r.get(0),
        )
        .optional()?;
    Ok(role.as_deref().and_then(Role::parse))
}

/// Whether `login` is a user of the file who was disabled (`users
/// disable`): told apart from a login the file does not know in refusals.
pub fn is_disabled(conn: &rusqlite::Connection, login: &str) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM users WHERE login = ?1 AND active = 0)",
        [login],
        |r| r.get(0),
    )?)
}

/// Every user, by login (read table: `Read::UsersList`).
pub fn list(db: &Db) -> Result<Vec<User>> {
    db.require_read(crate::domain::roles::Read::UsersList)?;
    let mut stmt = db
        .conn()
        .prepare("SELECT login, name, role, active FROM users ORDER BY login")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, bool>(3)?,
        ))
    })?;
    rows.map(|row| {
        let (login, name, role, active) = row?;
        let role = Role::parse(&role)
            .ok_or_else(|| StorageError::Corrupt(format!("user {login}: unknown role '{role}'")))?;
        Ok(User {
            login,
            name,
            role,
            active,
        })
    })
    .collect()
}

/// Whether the file has any user yet.
pub fn any(conn: &rusqlite::Connection) -> Result<bool> {
    Ok(conn.query_row("SELECT EXISTS (SELECT 1 FROM users)", [], |r| r.get(0))?)
}

/// Makes `login` the first chair of a file that has no user yet (init,
/// demo, or the first open of a file from before users existed), named
/// `name` (`init --name`), else by the login.
pub fn add_first_chair(w: &Writer<'_>, login: &str, name: Option<&str>) -> Result<()> {
    if any(w.tx())? {
        return Ok(());
    }
    insert(w, login, name.unwrap_or(login), Role::Chair)
}

/// Adds a user (chair only). The login and the name are cleaned as they
/// enter (no control or invisible character) and must each keep a visible
/// character.
pub fn add(w: &Writer<'_>, login: &str, name: &str, role: Role) -> Result<()> {
    w.require(Permission::ManageUsers, "user.add", None)?;
    let login = sanitize_line(login);
    let exists: bool = w.tx().query_row(
        "SELECT EXISTS (SELECT 1 FROM users WHERE login = ?1)",
        [&login],
        |r| r.get(0),
    )?;
    if exists {
        return Err(StorageError::Invalid(format!(
            "user '{login}' already exists (use set-role)"
        )));
    }
    insert(w, &login, name, role)
}

fn insert(w: &Writer<'_>, login: &str, name: &str, role: Role) -> Result<()> {
    // Empty once cleaned: nothing visible was given.
    let (login, name) = (sanitize_line(login), sanitize_line(name));
    if login.is_empty() {
        return Err(StorageError::Invalid(
            "a login must not be empty (invisible characters do not count)".into(),
        ));
    }
    if name.is_empty() {
        return Err(StorageError::Invalid(format!(
            "the name of '{login}' must not be empty (invisible characters do not count)"
        )));
    }
    w.tx()
        .execute(
            "INSERT INTO users (login, name, role, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![login, name, role.as_str(), w.clock().timestamp()],
        )
        .map_err(|e| match e.sqlite_error_code() {
            // The login as cleaned is the key: never the database's own words.
            Some(rusqlite::ErrorCode::ConstraintViolation) => {
                StorageError::Invalid(format!("user '{login}' already exists (use set-role)"))
            }
            _ => e.into(),
        })?;
    let new = format!("{login} ({name}): {role}");
    audit::record(w, "user.add", None, None, Some(&new))
}

/// Changes a user's role (chair only); re-enables a disabled user. The
/// login is cleaned as `add` cleans it (an invisible character names the
/// same user).
pub fn set_role(w: &Writer<'_>, login: &str, role: Role) -> Result<()> {
    w.require(Permission::ManageUsers, "user.set_role", None)?;
    let login = &sanitize_line(login);
    let old = current(w, login)?;
    if old.role == Role::Chair && role != Role::Chair {
        last_chair_guard(w, login)?;
    }
    w.tx().execute(
        "UPDATE users SET role = ?2, active = 1, version = version + 1 WHERE login = ?1",
        params![login, role.as_str()],
    )?;
    audit::record(
        w,
        "user.set_role",
        None,
        Some(old.role.as_str()),
        Some(role.as_str()),
    )
}

/// Renames a user (chair only): the name the minutes and the attendance
/// print. Cleaned as `add` cleans it, and must keep a visible character;
/// audited with the name before and after.
pub fn set_name(w: &Writer<'_>, login: &str, name: &str) -> Result<()> {
    w.require(Permission::ManageUsers, "user.set_name", None)?;
    let login = &sanitize_line(login);
    let old = current(w, login)?;
    let name = sanitize_line(name);
    if name.is_empty() {
        return Err(StorageError::Invalid(format!(
            "the name of '{login}' must not be empty (invisible characters do not count)"
        )));
    }
    w.tx().execute(
        "UPDATE users SET name = ?2, version = version + 1 WHERE login = ?1",
        params![login, name],
    )?;
    audit::record(
        w,
        "user.set_name",
        None,
        Some(&format!("{login}: {}", old.name)),
        Some(&format!("{login}: {name}")),
    )
}

/// Disables a user (chair only): the login keeps its history but may no
/// longer change anything.
pub fn disable(w: &Writer<'_>, login: &str) -> Result<()> {
    w.require(Permission::ManageUsers, "user.disable", None)?;
    let login = &sanitize_line(login);
    let old = current(w, login)?;
    if old.role == Role::Chair {
        last_chair_guard(w, login)?;
    }
    w.tx().execute(
        "UPDATE users SET active = 0, version = version + 1 WHERE login = ?1",
        [login],
    )?;
    audit::record(
        w,
        "user.disable",
        None,
        Some(&format!("{login}: active")),
        Some(&format!("{login}: disabled")),
    )
}

fn current(w: &Writer<'_>, login: &str) -> Result<User> {
    let row = w
        .tx()
        .query_row(
            "SELECT login, name, role, active FROM users WHERE login = ?1",
            [login],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, bool>(3)?,
                ))
            },
        )
        .optional()?
        .ok_or_else(|| StorageError::Invalid(format!("no user '{login}'")))?;
    let role = Role::parse(&row.2)
        .ok_or_else(|| StorageError::Corrupt(format!("user {login}: bad role")))?;
    Ok(User {
        login: row.0,
        name: row.1,
        role,
        active: row.3,
    })
}

/// A file must keep one active chair, or nobody could manage it.
fn last_chair_guard(w: &Writer<'_>, login: &str) -> Result<()> {
    let others: i64 = w.tx().query_row(
        "SELECT count(*) FROM users WHERE role = 'chair' AND active = 1 AND login != ?1",
        [login],
        |r| r.get(0),
    )?;
    if others == 0 {
        return Err(StorageError::Invalid(format!(
            "'{login}' is the last chair: add another chair first"
        )));
    }
    Ok(())
}
