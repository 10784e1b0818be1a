//! What a path holds, found without writing to it (`init`, `demo`).

use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use super::{APPLICATION_ID, Result, StorageError, open};

/// What a path holds, found without writing to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Missing,
    /// A committee database marked as a demo.
    Demo,
    /// A committee database (real data).
    Committee,
    /// Anything else: another SQLite file, text, an empty file…
    Foreign,
}

/// Looks at `path` read-only.
pub fn inspect(path: &Path) -> Result<FileKind> {
    match open::require_readable(path) {
        Err(StorageError::NotFound(_)) => return Ok(FileKind::Missing),
        Err(e) => return Err(e),
        Ok(()) => {}
    }
    if !path.is_file() {
        return Ok(FileKind::Foreign);
    }
    // A look leaves nothing behind: the -wal and -shm a read-only
    // connection makes (and never removes) go with it.
    let before = open::Before::note(path);
    let kind = look(path);
    before.remove_new(path);
    Ok(kind)
}

/// What the committee file at `path` is (a read-only connection, closed
/// on return).
fn look(path: &Path) -> FileKind {
    let conn = match Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY) {
        Ok(c) => c,
        Err(_) => return FileKind::Foreign,
    };
    let app_id: i32 = match conn.query_row("PRAGMA application_id", [], |r| r.get(0)) {
        Ok(v) => v,
        Err(_) => return FileKind::Foreign,
    };
    if app_id != APPLICATION_ID {
        return FileKind::Foreign;
    }
    use rusqlite::OptionalExtension;
    let demo: Option<String> = conn
        .query_row("SELECT value FROM meta WHERE key = 'demo'", [], |r| {
            r.get(0)
        })
        .optional()
        .unwrap_or(None);
    if demo.as_deref() == Some("1") {
        FileKind::Demo
    } else {
        FileKind::Committee
    }
}
