//! Schema versions. `schema.sql` is version 1; each later change is one
//! numbered migration below, applied in order and recorded in
//! `PRAGMA user_version`. A file from a newer program is never touched.

use std::path::Path;

use rusqlite::{Connection, TransactionBehavior};

use super::{APPLICATION_ID, Init, Result, StorageError};
use crate::domain::clock::Clock;

/// The schema of a new file.
pub const SCHEMA: &str = include_str!("../../schema.sql");

/// Migrations after `schema.sql`: `MIGRATIONS[0]` takes version 1 to 2, …
pub const MIGRATIONS: &[&str] = &[];

/// The schema version this program writes.
pub const LATEST: i64 = 1 + MIGRATIONS.len() as i64;

/// Refuses a file that is not ours or is newer, before anything is written.
/// An empty file is accepted only when `creating`.
pub fn check(conn: &Connection, path: &Path, creating: bool) -> Result<()> {
    let app_id: i32 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .map_err(|e| match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::NotADatabase) => StorageError::NotOurs(path.to_owned()),
            _ => e.into(),
        })?;
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let tables: i64 = conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))?;
    if app_id != APPLICATION_ID && (tables > 0 || version != 0) {
        return Err(StorageError::NotOurs(path.to_owned()));
    }
    if app_id != APPLICATION_ID && !creating {
        return Err(StorageError::Empty(path.to_owned()));
    }
    if version > LATEST {
        return Err(StorageError::TooNew {
            path: path.to_owned(),
            found: version,
            known: LATEST,
        });
    }
    Ok(())
}

/// Brings the file to [`LATEST`] in one `BEGIN IMMEDIATE` transaction:
/// creates it from `schema.sql` with `init`'s facts when empty, or applies
/// the pending migrations; each step is audited.
pub fn run(conn: &Connection, clock: &Clock, login: &str, init: Option<&Init>) -> Result<()> {
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version == LATEST {
        return Ok(());
    }
    let tx = rusqlite::Transaction::new_unchecked(conn, TransactionBehavior::Immediate)?;
    // Re-read under the write lock: another process may have just migrated.
    let version: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version == LATEST {
        return Ok(());
    }
    if version == 0 {
        let init = init.ok_or_else(|| {
            StorageError::Corrupt("no schema and nothing to create it with".into())
        })?;
        tx.execute_batch(SCHEMA)?;
        tx.execute(
            "INSERT INTO meta (key, value) VALUES ('created_at', ?1), ('application', 'ir-committee'),
               ('timezone', ?2), ('demo', ?3)",
            rusqlite::params![clock.timestamp(), init.timezone.name(), if init.demo { "1" } else { "0" }],
        )?;
        tx.pragma_update(None, "application_id", APPLICATION_ID)?;
        tx.execute(
            "INSERT INTO audit (at, login, action, new_value) VALUES (?1, ?2, 'schema.create', ?3)",
            rusqlite::params![clock.timestamp(), login, LATEST.to_string()],
        )?;
    } else {
        for (i, sql) in MIGRATIONS.iter().enumerate().skip((version - 1) as usize) {
            tx.execute_batch(sql)?;
            tx.execute(
                "INSERT INTO audit (at, login, action, new_value) VALUES (?1, ?2, 'schema.migrate', ?3)",
                rusqlite::params![clock.timestamp(), login, (i + 2).to_string()],
            )?;
        }
    }
    tx.pragma_update(None, "user_version", LATEST)?;
    tx.commit()?;
    Ok(())
}
