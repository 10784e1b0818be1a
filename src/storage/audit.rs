//! The audit trail: one row per write, in the write's own transaction.

use super::{Result, Writer};

/// Appends an audit row: who (the connection's login), when, what, which
/// case, old → new.
pub fn record(
    w: &Writer<'_>,
    action: &str,
    case_id: Option<i64>,
    old_value: Option<&str>,
    new_value: Option<&str>,
) -> Result<()> {
    w.tx().execute(
        "INSERT INTO audit (at, login, action, case_id, old_value, new_value, outcome)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'done')",
        rusqlite::params![
            w.clock().timestamp(),
            w.login(),
            action,
            case_id,
            old_value,
            new_value
        ],
    )?;
    Ok(())
}

/// One audit row as read back.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AuditRow {
    pub id: i64,
    pub at: String,
    pub login: String,
    pub action: String,
    pub case_id: Option<i64>,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
    pub outcome: String,
}

/// The audit rows of a case (all rows when `case_id` is None), oldest first.
pub fn list(db: &super::Db, case_id: Option<i64>) -> Result<Vec<AuditRow>> {
    let mut stmt = db.conn().prepare(
        "SELECT id, at, login, action, case_id, old_value, new_value, outcome FROM audit
         WHERE ?1 IS NULL OR case_id = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([case_id], |r| {
        Ok(AuditRow {
            id: r.get(0)?,
            at: r.get(1)?,
            login: r.get(2)?,
            action: r.get(3)?,
            case_id: r.get(4)?,
            old_value: r.get(5)?,
            new_value: r.get(6)?,
            outcome: r.get(7)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
