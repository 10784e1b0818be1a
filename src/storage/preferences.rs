//! A person's own settings of the screen (today: the board's order, `o`),
//! one row per login and key. Not the committee's data: a viewer keeps
//! none (it writes nothing); every change is audited (`preference.set`),
//! as drafts are.

use rusqlite::{OptionalExtension, params};
use serde_json::json;

use super::{Db, Result, Writer, audit};
use crate::domain::roles::Permission;
use crate::domain::text::sanitize_line;

/// Migration 19.
pub const SCHEMA: &str = "
    CREATE TABLE preferences (
        login      TEXT NOT NULL,
        key        TEXT NOT NULL CHECK (length(key) BETWEEN 1 AND 100),
        value      TEXT NOT NULL CHECK (length(value) <= 1000),
        updated_at TEXT NOT NULL,
        PRIMARY KEY (login, key)
    ) STRICT;";

/// The permission a preference needs: the one that keeps drafts (every
/// role that writes anything; not a viewer or the auditor).
pub const PERMISSION: Permission = Permission::Notes;

/// Sets the writer's `key` to `value` (cleaned to one line). Setting the
/// same value again writes nothing. Returns whether something was written.
pub fn set(w: &Writer<'_>, key: &str, value: &str) -> Result<bool> {
    w.require(PERMISSION, "preference.set", None)?;
    let value = sanitize_line(value);
    let old = find(w.tx(), w.login(), key)?;
    if old.as_deref() == Some(value.as_str()) {
        return Ok(false);
    }
    w.tx().execute(
        "INSERT INTO preferences (login, key, value, updated_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (login, key) DO UPDATE SET value = excluded.value,
           updated_at = excluded.updated_at",
        params![w.login(), key, value, w.clock().timestamp()],
    )?;
    let new = json!({"key": key, "value": value}).to_string();
    let old = old.map(|v| json!({"key": key, "value": v}).to_string());
    audit::record(w, "preference.set", None, old.as_deref(), Some(&new))?;
    Ok(true)
}

/// `login`'s value of `key`, if set.
pub fn get(db: &Db, login: &str, key: &str) -> Result<Option<String>> {
    find(db.conn(), login, key)
}

fn find(conn: &rusqlite::Connection, login: &str, key: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT value FROM preferences WHERE login = ?1 AND key = ?2")?
        .query_row(params![login, key], |r| r.get(0))
        .optional()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::clock;

    #[test]
    fn a_preference_is_kept_per_login_and_audited_once_per_change() {
        let (_dir, path) = crate::testkit::fixture_db_as("p.sqlite");
        let mut db = Db::open(&path, clock()).expect("open");
        let login = db.login().to_owned();
        assert_eq!(get(&db, &login, "board.order").expect("get"), None);
        for (value, wrote) in [("operator", true), ("operator", false), ("time", true)] {
            let done = db.write(|w| set(w, "board.order", value)).expect("set");
            assert_eq!(done, wrote, "{value}");
        }
        assert_eq!(
            get(&db, &login, "board.order").expect("get").as_deref(),
            Some("time")
        );
        assert_eq!(get(&db, "someone-else", "board.order").expect("get"), None);
        let rows: Vec<_> = audit::list(&db, None)
            .expect("audit")
            .into_iter()
            .filter(|r| r.action == "preference.set")
            .collect();
        assert_eq!(rows.len(), 2);
        assert_eq!(
            rows[1].old_value.as_deref(),
            Some(r#"{"key":"board.order","value":"operator"}"#)
        );
    }
}
