//! Operators' names linked to logins (issue 15 §3): `cases.operator` is
//! free text, so a chair says which user "Dr Martin" is, for the call
//! list's "mine". Names are compared by `domain::followup::operator_key`
//! (NFC, case and spaces folded). Chair only (`Permission::ManageUsers`),
//! audited (`user.link_operator`, `user.unlink_operator`).

use rusqlite::{OptionalExtension, params};
use serde::Serialize;
use serde_json::json;

use super::{Db, Result, StorageError, Writer, audit};
use crate::domain::followup::{Refusal, operator_key};
use crate::domain::roles::{Permission, Read};
use crate::domain::text::sanitize_line;

pub const LINK: &str = "user.link_operator";
pub const UNLINK: &str = "user.unlink_operator";

/// One link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Link {
    /// The name as the chair typed it.
    pub operator: String,
    pub login: String,
}

/// Links the operator `name` to `login` (replacing the login it had).
pub fn link(w: &Writer<'_>, name: &str, login: &str) -> Result<Link> {
    w.require(Permission::ManageUsers, LINK, None)?;
    let operator = sanitize_line(name).trim().to_owned();
    let key = operator_key(&operator);
    if key.is_empty() {
        return Err(StorageError::FollowUp(Refusal::NoOperator));
    }
    let login = sanitize_line(login);
    let tx = w.tx();
    let known: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM users WHERE login = ?1)",
        [&login],
        |r| r.get(0),
    )?;
    if !known {
        return Err(StorageError::FollowUp(Refusal::NoUser(login)));
    }
    let old = before(w, &key)?;
    tx.execute(
        "INSERT INTO operator_links (operator_key, operator, login, linked_at, linked_by)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (operator_key) DO UPDATE SET operator = excluded.operator,
           login = excluded.login, linked_at = excluded.linked_at, linked_by = excluded.linked_by",
        params![key, operator, login, w.clock().timestamp(), w.login()],
    )?;
    let new = json!({ "operator": operator, "login": login }).to_string();
    audit::record(w, LINK, None, old.as_deref(), Some(&new))?;
    Ok(Link { operator, login })
}

/// Removes the link of the operator `name`.
pub fn unlink(w: &Writer<'_>, name: &str) -> Result<Link> {
    w.require(Permission::ManageUsers, UNLINK, None)?;
    let key = operator_key(name);
    let Some(old) = before(w, &key)? else {
        return Err(StorageError::FollowUp(Refusal::NoLink(
            sanitize_line(name).trim().to_owned(),
        )));
    };
    let link: Link = serde_json::from_str::<serde_json::Value>(&old)
        .ok()
        .and_then(|v| {
            Some(Link {
                operator: v.get("operator")?.as_str()?.to_owned(),
                login: v.get("login")?.as_str()?.to_owned(),
            })
        })
        .ok_or_else(|| StorageError::Corrupt(format!("operator link '{key}'")))?;
    w.tx()
        .execute("DELETE FROM operator_links WHERE operator_key = ?1", [&key])?;
    audit::record(w, UNLINK, None, Some(&old), None)?;
    Ok(link)
}

/// The link of `key` as the audit row's JSON.
fn before(w: &Writer<'_>, key: &str) -> Result<Option<String>> {
    Ok(w.tx()
        .query_row(
            "SELECT json_object('operator', operator, 'login', login)
             FROM operator_links WHERE operator_key = ?1",
            [key],
            |r| r.get(0),
        )
        .optional()?)
}

/// Every link, by login then name (`users list`: `Read::UsersList`).
pub fn list(db: &Db) -> Result<Vec<Link>> {
    db.require_read(Read::UsersList)?;
    let mut stmt = db.conn().prepare_cached(
        "SELECT operator, login FROM operator_links ORDER BY login, operator_key",
    )?;
    let rows = stmt
        .query_map([], |r| {
            Ok(Link {
                operator: r.get(0)?,
                login: r.get(1)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}
