//! How many refused attempts got no audit row of their own (issue 12,
//! point 5). A login refused again and again (a script looping a
//! forbidden command) gets one refused audit row per action and minute
//! (`guard.rs`; per role too, should a chair change it within the minute);
//! each further refusal in that minute adds one here, and the `audit`
//! listing shows the count beside that row.
//!
//! The counts live in a small SQLite file of their own beside the database
//! (`committee.sqlite-refusals`), not in it: adding one to a count in the
//! database would take the database's write lock on every refused attempt,
//! which is what a refused login must never hold (it could stop its process
//! holding it, and every write would wait). This file has its own lock: a
//! process stopped while counting holds up only other counts, which give up
//! after [`WAIT`] (the count is then one short: it says "at least").
//!
//! Not hash-chained and not append-only: whoever may write the data folder
//! (root; the app) can change a count. A count is a hint beside a refused
//! audit row, which the chain does protect; a backup of the database does
//! not carry it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, params};

/// How long a count (or the listing) waits for another process holding the
/// count file.
pub const WAIT: Duration = Duration::from_millis(250);

/// The count file's name is the database's with this suffix.
pub const SUFFIX: &str = "-refusals";

/// `PRAGMA application_id` of a count file ("IRCR").
const APPLICATION_ID: i32 = 0x4952_4352;

const SCHEMA: &str = "CREATE TABLE IF NOT EXISTS refusal_counts (
        login   TEXT NOT NULL,
        -- The role refused ('' for a login the file does not know).
        role    TEXT NOT NULL,
        action  TEXT NOT NULL,
        -- UTC, 'YYYY-MM-DDTHH:MM': how the refused audit rows' `at` begins.
        minute  TEXT NOT NULL,
        further INTEGER NOT NULL CHECK (further > 0),
        PRIMARY KEY (login, role, action, minute)
    ) STRICT, WITHOUT ROWID;";

/// The minute of a timestamp as stored (`2026-11-26T12:00:00Z` →
/// `2026-11-26T12:00`).
pub fn minute_of(at: &str) -> &str {
    at.get(..16).unwrap_or(at)
}

/// The count file of the database at `db` (None: an in-memory database).
pub fn path_of(db: &Path) -> Option<PathBuf> {
    if db == Path::new(":memory:") {
        return None;
    }
    let mut p = db.as_os_str().to_owned();
    p.push(SUFFIX);
    Some(PathBuf::from(p))
}

/// Who was refused what, when: the key of a count.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Key {
    pub login: String,
    /// The role refused ('' for a login the file does not know).
    pub role: String,
    pub action: String,
    /// UTC, `YYYY-MM-DDTHH:MM`.
    pub minute: String,
}

/// One more refusal of `key` that has no audit row of its own. Best
/// effort: false when the count file cannot be written now (held by
/// another process for longer than [`WAIT`], or not ours).
pub fn count(db: &Path, key: &Key) -> bool {
    let Some(path) = path_of(db) else {
        return false;
    };
    let add = || -> rusqlite::Result<()> {
        let conn = open(&path, true)?;
        conn.execute(
            "INSERT INTO refusal_counts (login, role, action, minute, further)
             VALUES (?1, ?2, ?3, ?4, 1)
             ON CONFLICT (login, role, action, minute) DO UPDATE SET further = further + 1",
            params![key.login, key.role, key.action, key.minute],
        )?;
        Ok(())
    };
    add().is_ok()
}

/// Every count. Empty when there is no count file or it cannot be read now.
pub fn counts(db: &Path) -> HashMap<Key, i64> {
    let Some(path) = path_of(db) else {
        return HashMap::new();
    };
    let read = || -> rusqlite::Result<HashMap<Key, i64>> {
        let conn = open(&path, false)?;
        let mut stmt =
            conn.prepare("SELECT login, role, action, minute, further FROM refusal_counts")?;
        let rows = stmt.query_map([], |r| {
            let key = Key {
                login: r.get(0)?,
                role: r.get(1)?,
                action: r.get(2)?,
                minute: r.get(3)?,
            };
            Ok((key, r.get(4)?))
        })?;
        rows.collect()
    };
    read().unwrap_or_default()
}

/// Removes the count file of a database being created at `db`: a count
/// left by an earlier file of that name would stand beside another file's
/// rows.
pub fn forget(db: &Path) {
    if let Some(path) = path_of(db) {
        for suffix in ["", "-journal"] {
            let mut p = path.as_os_str().to_owned();
            p.push(suffix);
            let _ = std::fs::remove_file(PathBuf::from(p));
        }
    }
}

/// Opens the count file (never through a symlink), creating it when
/// `create` (mode 0666 minus the umask, like the database: in the setgid
/// deployment the group's, so that every person's refusals are counted).
fn open(path: &Path, create: bool) -> rusqlite::Result<Connection> {
    let missing = matches!(
        std::fs::symlink_metadata(path),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound
    );
    if missing && !create {
        return Err(rusqlite::Error::InvalidPath(path.to_owned()));
    }
    if missing {
        use std::os::unix::fs::OpenOptionsExt;
        // A race with another process creating it is fine: it exists.
        let _ = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o666)
            .open(path);
    }
    let flags = if create {
        OpenFlags::SQLITE_OPEN_READ_WRITE
    } else {
        OpenFlags::SQLITE_OPEN_READ_ONLY
    } | OpenFlags::SQLITE_OPEN_NOFOLLOW
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags)?;
    conn.busy_timeout(WAIT)?;
    conn.pragma_update(None, "trusted_schema", "OFF")?;
    let id: i32 = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
    let tables: i64 = conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))?;
    if id == 0 && tables == 0 && create {
        // A new (empty) count file: ours from now on.
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.execute_batch(&format!(
            "BEGIN IMMEDIATE; PRAGMA application_id = {APPLICATION_ID}; {SCHEMA} COMMIT;"
        ))?;
    } else if id != APPLICATION_ID {
        return Err(rusqlite::Error::InvalidPath(path.to_owned()));
    } else if create {
        conn.pragma_update(None, "synchronous", "NORMAL")?;
    }
    Ok(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(action: &str, minute: &str) -> Key {
        Key {
            login: "mallory".into(),
            role: String::new(),
            action: action.into(),
            minute: minute.into(),
        }
    }

    #[test]
    fn counts_add_up_per_login_action_and_minute() {
        let dir = tempfile::tempdir().expect("dir");
        let db = dir.path().join("c.sqlite");
        for _ in 0..3 {
            assert!(count(&db, &key("user.add", "2026-11-26T12:00")));
        }
        assert!(count(&db, &key("decide", "2026-11-26T12:00")));
        assert!(count(&db, &key("user.add", "2026-11-26T12:01")));
        let got = counts(&db);
        assert_eq!(got.get(&key("user.add", "2026-11-26T12:00")), Some(&3));
        assert_eq!(got.get(&key("decide", "2026-11-26T12:00")), Some(&1));
        assert_eq!(got.get(&key("user.add", "2026-11-26T12:01")), Some(&1));
        forget(&db);
        assert!(counts(&db).is_empty());
    }

    #[test]
    fn a_file_that_is_not_a_count_file_is_left_alone() {
        let dir = tempfile::tempdir().expect("dir");
        let db = dir.path().join("c.sqlite");
        let side = path_of(&db).expect("path");
        std::fs::write(&side, "not sqlite").expect("write");
        assert!(!count(&db, &key("user.add", "2026-11-26T12:00")));
        assert_eq!(std::fs::read(&side).expect("read"), b"not sqlite");
        std::fs::remove_file(&side).expect("remove");
        let other = Connection::open(&side).expect("open");
        other
            .execute_batch("CREATE TABLE t (x); PRAGMA application_id = 7;")
            .expect("foreign");
        assert!(!count(&db, &key("user.add", "2026-11-26T12:00")));
        std::fs::remove_file(&side).expect("remove");
        std::os::unix::fs::symlink(dir.path().join("elsewhere"), &side).expect("symlink");
        assert!(!count(&db, &key("user.add", "2026-11-26T12:00")));
        assert!(!dir.path().join("elsewhere").exists(), "not followed");
    }
}
