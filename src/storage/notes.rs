//! Notes on a case, added from the screen (import notes: `cases.rs`).

use rusqlite::params;

use super::{Result, Writer, audit};

/// Adds a note to a case, audited. `body` must already be sanitised.
pub fn add(w: &Writer<'_>, case_id: i64, body: &str, source: &str) -> Result<()> {
    w.require(
        crate::domain::roles::Permission::Notes,
        "note.add",
        Some(case_id),
    )?;
    w.tx().execute(
        "INSERT INTO notes (case_id, at, author, body, source) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![case_id, w.clock().timestamp(), w.login(), body, source],
    )?;
    audit::record(w, "note.add", Some(case_id), None, Some(body))
}
