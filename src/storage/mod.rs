//! The only place with SQL. A [`Db`] is one connection to the committee's
//! SQLite file, set up for several people writing at once: WAL,
//! `synchronous=FULL`, foreign keys, a busy timeout, and every write in a
//! `BEGIN IMMEDIATE` transaction with its audit row.

pub mod audit;
pub mod cases;
pub mod day;
pub mod decisions;
pub mod drafts;
pub mod exports;
pub mod feed;
mod feed_booking;
pub mod feed_change;
pub mod feed_held;
mod feed_held_apply;
mod feed_held_list;
pub mod feed_labs;
mod feed_marks;
pub mod feed_services;
pub mod followup;
mod guard;
pub mod identity;
pub mod indicators;
pub mod lab_status;
pub mod lab_unusable;
pub mod labs;
pub mod migrate;
pub mod needs;
pub mod notes;
pub mod open;
pub mod operators;
pub mod outcome;
pub mod place;
pub mod preferences;
pub mod procedure;
pub mod protocol;
pub mod read;
pub mod reader;
pub mod refusals;
pub mod registry;
pub mod reimport;
mod reimport_apply;
mod reimport_panel;
pub mod reschedule;
pub mod rules;
pub mod schedule;
mod stamp;
pub mod synthetic;
pub mod users;
pub mod zone;

mod error;
mod inspect;
mod writer;

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono_tz::Tz;
use rusqlite::{Connection, OpenFlags, TransactionBehavior};

use crate::domain::clock::Clock;
use crate::domain::roles::Role;
use crate::domain::rules::RuleSet;

pub use error::StorageError;
pub use guard::{Need, REFUSAL_WAIT};
pub use inspect::{FileKind, inspect};
pub use reader::Reader;
pub use writer::Writer;

/// How long a writer waits for another one before giving up.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// `PRAGMA application_id` of a committee file ("IRC1").
pub const APPLICATION_ID: i32 = 0x4952_4331;

pub type Result<T, E = StorageError> = std::result::Result<T, E>;

/// Facts recorded in a new file, in the transaction that creates it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Init {
    /// The hospital's time zone: elapsed hours and exports use it.
    pub timezone: Tz,
    /// Made by `demo` or `init --demo`: only such files may be recreated
    /// by `demo`, and only they accept writes under `--today`.
    pub demo: bool,
    /// The first user, made chair (`init --admin`); None = the caller.
    pub admin: Option<String>,
    /// The first chair's name (`init --name`); None = their login.
    pub name: Option<String>,
}

/// What a process opens the file with: its clock and the audit key the
/// caller found (the deployment's configuration or the environment, read by
/// `crate::deploy::audit_key`; storage never looks for it). A bare
/// [`Clock`] opens with no key: tests and tools for unkeyed files.
#[derive(Debug, Clone)]
pub struct Opening {
    pub clock: Clock,
    pub audit_key: Option<audit::Key>,
}

impl From<Clock> for Opening {
    fn from(clock: Clock) -> Opening {
        Opening {
            clock,
            audit_key: None,
        }
    }
}

/// One open committee database.
pub struct Db {
    conn: Connection,
    path: PathBuf,
    login: String,
    clock: Clock,
    /// The audit key this connection hashes and verifies the chains with.
    audit_key: Option<audit::Key>,
    /// `meta` demo = '1', read at open (set when the file is created, never
    /// changed): whether writes may be stamped with a fixed clock.
    demo: bool,
    /// Where the writes come from when not the SSH session's: a message
    /// of the hospital's systems (`feed::Origin`, its file or peer),
    /// recorded in the audit rows' `origin`.
    origin: Option<String>,
}

impl Db {
    /// Opens an existing committee file, migrating it if it is older. An
    /// empty, foreign or newer file is refused without being written to.
    pub fn open(path: &Path, opening: impl Into<Opening>) -> Result<Db> {
        let opening = opening.into();
        place::require_local(path)?;
        open::require_readable(path)?;
        let before = open::Before::note(path);
        Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE | open::NO_MUTEX)
            .map_err(StorageError::from)
            .and_then(|conn| Db::setup(conn, path, opening, None))
            .map_err(|e| e.at(path))
            .inspect_err(|_| before.remove_new(path))
    }

    /// Opens a committee file for reading only (a user who may read but
    /// not write it). Nothing is migrated; an older file is refused.
    pub fn open_read_only(path: &Path, opening: impl Into<Opening>) -> Result<Db> {
        let Opening { clock, audit_key } = opening.into();
        place::require_local(path)?;
        open::require_readable(path)?;
        let before = open::Before::note(path);
        let open = || -> Result<Db> {
            let conn = open::read_only_connection(path)?;
            conn.busy_timeout(BUSY_TIMEOUT)?;
            conn.pragma_update(None, "trusted_schema", "OFF")?;
            migrate::check(&conn, path, false)?;
            let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
            if version < migrate::LATEST {
                return Err(StorageError::NeedsUpgrade {
                    path: path.to_owned(),
                    found: version,
                    known: migrate::LATEST,
                });
            }
            let demo = stamp::is_demo(&conn)?;
            Ok(Db {
                conn,
                path: path.to_owned(),
                login: identity::login(),
                clock,
                audit_key: audit_key.clone(),
                demo,
                origin: None,
            })
        };
        open()
            .map_err(|e| open::read_only_failure(e, path))
            .inspect_err(|_| before.remove_new(path))
    }

    /// Opens for reading: read-write when allowed (so an older file is
    /// migrated), else read-only.
    pub fn open_for_reading(path: &Path, opening: impl Into<Opening>) -> Result<Db> {
        let opening = opening.into();
        if !open::writable(path) {
            return Db::open_read_only(path, opening);
        }
        match Db::open(path, opening.clone()) {
            Err(StorageError::ReadOnly(_) | StorageError::CannotOpen(..)) => {
                Db::open_read_only(path, opening)
            }
            other => other,
        }
    }

    /// Creates a committee file with its facts (time zone, demo marker) in
    /// the creating transaction, or opens it if it already is one.
    pub fn create(path: &Path, opening: impl Into<Opening>, init: &Init) -> Result<Db> {
        let opening = opening.into();
        let clock = opening.clock;
        let folder = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
            _ => PathBuf::from("."),
        };
        if !folder.is_dir() {
            return Err(StorageError::NoFolder {
                path: path.to_owned(),
                folder,
            });
        }
        if path.is_dir() {
            return Err(StorageError::CannotOpen(
                path.to_owned(),
                "it is a folder".into(),
            ));
        }
        place::require_local(path)?;
        // `--today` writes only demo files: a committee file is never
        // created under it (an existing one is only opened).
        if matches!(clock, Clock::Fixed(_))
            && !init.demo
            && !matches!(inspect(path)?, FileKind::Committee | FileKind::Demo)
        {
            return Err(StorageError::FixedClockInit(path.to_owned()));
        }
        // SQLite creates a new file 0644 whatever the umask: create it first,
        // 0666 minus the umask like any file, so that a deployment's umask
        // 007 gives the group write access (and its -wal and -shm files,
        // which take the database's mode, too). A failure is left for the
        // open below to report. A failed init removes the file it made.
        let mut before = open::Before::note(path);
        if !path.exists() {
            use std::os::unix::fs::OpenOptionsExt;
            refusals::forget(path);
            let made = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o666)
                .open(path);
            if made.is_ok() {
                before.made_main();
            }
        }
        Connection::open(path)
            .map_err(StorageError::from)
            .and_then(|conn| Db::setup(conn, path, opening, Some(init)))
            .map_err(|e| e.at(path))
            .inspect_err(|_| before.remove_new(path))
    }

    /// An in-memory database with the schema: for tests. It is a demo
    /// file, so that tests may write under a fixed clock.
    pub fn open_in_memory(clock: Clock) -> Result<Db> {
        let init = Init {
            admin: None,
            name: None,
            timezone: chrono_tz::Europe::Paris,
            demo: true,
        };
        Db::setup(
            Connection::open_in_memory()?,
            Path::new(":memory:"),
            clock.into(),
            Some(&init),
        )
    }

    fn setup(conn: Connection, path: &Path, opening: Opening, init: Option<&Init>) -> Result<Db> {
        let Opening { clock, audit_key } = opening;
        use rusqlite::config::DbConfig;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // Connection settings first: they do not touch the file.
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.pragma_update(None, "trusted_schema", "OFF")?;
        // Until the file is known to be ours, closing must not checkpoint a
        // leftover WAL into it.
        conn.set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true)?;
        migrate::check(&conn, path, init.is_some())?;
        conn.set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, false)?;
        // journal_mode=WAL writes to the file: only once we know it is ours.
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        let login = identity::login();
        // Migrations are stamped with the machine's clock on a committee
        // file, even when it is opened under `--today` to be read.
        migrate::run(&conn, &clock, &login, audit_key.as_ref(), init)?;
        let demo = stamp::is_demo(&conn)?;
        let mut db = Db {
            conn,
            path: path.to_owned(),
            login,
            clock: stamp::stamp_clock(clock, demo),
            audit_key,
            demo,
            origin: None,
        };
        // From here on, every row this connection writes is claimed by the
        // audit row that records the write.
        audit::capture::install_capture(&db.conn)?;
        // A file with no user yet (new, or from before users existed): its
        // first user is its chair — `init --admin`, else whoever opens it
        // (like a migration, at the machine's time on a committee file).
        if !users::any(&db.conn)? {
            let admin = init
                .and_then(|i| i.admin.clone())
                .unwrap_or_else(|| db.login.clone());
            let name = init.and_then(|i| i.name.clone());
            db.write(|w| users::add_first_chair(w, &admin, name.as_deref()))?;
        }
        db.clock = clock;
        Ok(db)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The clock asked for (`--today`): what "today" is for reading.
    pub fn clock(&self) -> Clock {
        self.clock
    }

    /// The audit key this connection hashes and verifies with.
    pub fn audit_key(&self) -> Option<&audit::Key> {
        self.audit_key.as_ref()
    }

    /// How this file was opened: to open another connection to it the same
    /// way (the screen's trace writer, the watchdog).
    pub fn opening(&self) -> Opening {
        Opening {
            clock: self.clock,
            audit_key: self.audit_key.clone(),
        }
    }

    /// The login every write of this connection is audited under.
    pub fn login(&self) -> &str {
        &self.login
    }

    /// Sets where the next writes come from (a feed message's file or
    /// peer: `feed::Origin`'s text), recorded as the audit rows' origin
    /// instead of the SSH client's; `None` goes back to the session's.
    /// Control characters are stripped.
    pub fn set_origin(&mut self, origin: Option<&str>) {
        self.origin = origin.map(crate::domain::text::sanitize_line);
    }

    /// Read access for queries.
    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Whether this connection may not write (a file read-only for the
    /// person): it can trace no consultation, so it shows none.
    pub fn is_read_only(&self) -> bool {
        self.conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(true)
    }

    /// Runs `f` in a `BEGIN IMMEDIATE` transaction (the write lock is taken
    /// up front, so the busy timeout applies) and commits if it succeeds.
    /// Under `--today` only a demo file is written: on a committee file the
    /// write is refused before the lock, and nothing is written (not even a
    /// refusal row). Refused while an append-only trigger is missing or
    /// altered.
    pub fn write<T, E>(&mut self, f: impl FnOnce(&Writer<'_>) -> Result<T, E>) -> Result<T, E>
    where
        E: From<StorageError>,
    {
        self.transact(true, f)
    }

    /// Like [`Db::write`], but rolls everything back at the end: what a
    /// write would do, with nothing written (`import --dry-run`). Refusals
    /// are still audited, as for a real attempt.
    pub fn write_dry_run<T, E>(
        &mut self,
        f: impl FnOnce(&Writer<'_>) -> Result<T, E>,
    ) -> Result<T, E>
    where
        E: From<StorageError>,
    {
        self.transact(false, f)
    }

    /// [`Db::write`] (`commit`) or [`Db::write_dry_run`]: the append-only
    /// triggers and the clock checked, then the transaction.
    pub(super) fn transact<T, E>(
        &mut self,
        commit: bool,
        f: impl FnOnce(&Writer<'_>) -> Result<T, E>,
    ) -> Result<T, E>
    where
        E: From<StorageError>,
    {
        audit::guard::require(&self.conn)?;
        self.require_write_clock()?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(StorageError::from)?;
        // A file a newer program migrated since it was opened: its schema
        // is not the one this program writes; nothing is written.
        let version: i64 = tx
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(StorageError::from)?;
        if version > migrate::LATEST {
            return Err(StorageError::TooNew {
                path: self.path.clone(),
                found: version,
                known: migrate::LATEST,
            }
            .into());
        }
        let role = users::role_of(&tx, &self.login)?;
        let w = Writer {
            tx,
            login: &self.login,
            role,
            clock: self.clock,
            audit_key: self.audit_key.as_ref(),
            origin: self.origin.as_deref(),
            refused: Default::default(),
        };
        match f(&w) {
            Ok(out) => {
                if commit {
                    // What changed after the last audit row is claimed too.
                    audit::capture::claim_rest(&w)?;
                    w.tx.commit().map_err(StorageError::from)?;
                }
                Ok(out)
            }
            Err(e) => {
                let refused = w.refused.take();
                drop(w); // rolls the transaction back
                if !refused.is_empty() {
                    self.audit_refusals(role, &refused)?;
                }
                Err(e)
            }
        }
    }

    /// A value of the `meta` table.
    pub fn meta(&self, key: &str) -> Result<Option<String>> {
        use rusqlite::OptionalExtension;
        Ok(self
            .conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()?)
    }

    /// The hospital's time zone recorded in the file. A file that names
    /// none is refused rather than judged in a guessed zone (every file is
    /// created with one).
    pub fn timezone(&self) -> Result<Tz> {
        match self.meta("timezone")? {
            Some(name) => name
                .parse()
                .map_err(|_| StorageError::BadZone(crate::domain::text::sanitize_line(&name))),
            None => Err(StorageError::NoZone),
        }
    }

    /// Whether `demo` made this file.
    pub fn is_demo(&self) -> Result<bool> {
        Ok(self.meta("demo")?.as_deref() == Some("1"))
    }

    /// Changes when another connection commits to the file: polled by the
    /// screen to reload what others wrote (our own writes do not change it).
    pub fn data_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))?)
    }

    /// The role of the person using this connection (None: not a user).
    pub fn role(&self) -> Result<Option<Role>> {
        users::role_of(&self.conn, &self.login)
    }

    /// The rules table and the hospital's zone, as a write transaction sees
    /// them (for judging what it just wrote before it commits).
    pub fn judging(w: &Writer<'_>) -> Result<(RuleSet, Tz)> {
        Ok((rules::load(w.tx())?, zone_in(w.tx())?))
    }

    /// The rules table.
    pub fn rules(&self) -> Result<RuleSet> {
        rules::load(&self.conn)
    }
}

/// The hospital's zone as `conn` (a transaction) sees it; none or an
/// unreadable one refused, as [`Db::timezone`] does.
pub(crate) fn zone_in(conn: &Connection) -> Result<Tz> {
    use rusqlite::OptionalExtension;
    let zone: Option<String> = conn
        .query_row("SELECT value FROM meta WHERE key = 'timezone'", [], |r| {
            r.get(0)
        })
        .optional()?;
    match zone {
        Some(name) => name
            .parse()
            .map_err(|_| StorageError::BadZone(crate::domain::text::sanitize_line(&name))),
        None => Err(StorageError::NoZone),
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod roles_tests;

#[cfg(test)]
mod roles_read_tests;

#[cfg(test)]
mod rules_tests;

#[cfg(test)]
mod reimport_tests;

#[cfg(test)]
pub(crate) mod feed_tests;

#[cfg(test)]
mod feed_more_tests;

#[cfg(test)]
mod feed_guard_tests;

#[cfg(test)]
mod feed_change_tests;

#[cfg(test)]
pub(crate) mod feed_testkit;
