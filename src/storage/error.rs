//! Storage failures and how low-level errors become them.

use std::path::{Path, PathBuf};

use super::BUSY_TIMEOUT;
use crate::domain::roles::{Permission, Role};

/// Storage failures, each a sentence a user can act on.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("no database at {0}: create one with `ir-committee init` (or pass --db)")]
    NotFound(PathBuf),
    #[error("cannot create {path}: the folder {folder} does not exist")]
    NoFolder { path: PathBuf, folder: PathBuf },
    #[error("{0} already exists and is not an ir-committee database; not touched")]
    NotOurs(PathBuf),
    #[error("{0} is empty, not an ir-committee database yet: create it with `ir-committee init`")]
    Empty(PathBuf),
    #[error(
        "{path} was written by a newer ir-committee (schema version {found}, this program knows up to {known}); not touched: upgrade ir-committee"
    )]
    TooNew {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    #[error(
        "{0} is not a demo database; `demo` only recreates its own files (pick another path with --db)"
    )]
    NotDemo(PathBuf),
    /// A write under `--today` to a committee file (issue 12): it would
    /// date the rows and the audit trail with a day that is not today.
    #[error(
        "{0} is a committee file: --today is only for demo files (made by `demo` or `init --demo`) and would backdate what is written; nothing was written (reading with --today is allowed)"
    )]
    FixedClock(PathBuf),
    /// `init --today` without `--demo`.
    #[error(
        "--today is only for demo files: create {0} with `init --demo` for a demonstration or a rehearsal, or without --today for the committee's file"
    )]
    FixedClockInit(PathBuf),
    #[error("cannot write {0}: the file or its folder is read-only for you")]
    ReadOnly(PathBuf),
    #[error("cannot open {0}: {1}")]
    CannotOpen(PathBuf, String),
    #[error(
        "{path} is on a network filesystem ({kind}): SQLite's locking is not safe there; put the database on a local disk"
    )]
    NetworkFs { path: PathBuf, kind: String },
    #[error("{0} is damaged ({1}); restore it from a backup")]
    Damaged(PathBuf, String),
    #[error(
        "{path} uses schema version {found}; it needs an upgrade to {known}, which needs write access"
    )]
    NeedsUpgrade {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    #[error("{login} ({}) may not {}: {}", who(*.role, *.disabled), .permission.as_str().replace('_', " "), allowed_roles(*.permission))]
    Forbidden {
        login: String,
        role: Option<Role>,
        permission: Permission,
        /// The login is a user of the file, disabled (`role` is then None).
        disabled: bool,
    },
    /// A read by a login the users table does not know (issue 11).
    #[error(
        "{login} is not a registered user of this file: it may read nothing (a chair can add you: ir-committee users add {login} --role ROLE --name NAME)"
    )]
    NotAUser { login: String },
    /// A read by a user a chair disabled.
    #[error(
        "{login} is a disabled user of this file: it may read nothing (a chair can enable you again: ir-committee users set-role {login} ROLE)"
    )]
    Disabled { login: String },
    #[error("cannot read {0}: {1}")]
    CannotRead(PathBuf, String),
    /// A read the role may not make (the read table in `domain/roles.rs`).
    #[error("{login} (role {role}) may not read {}: {}", .read.as_str().replace('_', " "), allowed_readers(*.read))]
    ReadForbidden {
        login: String,
        role: Role,
        read: crate::domain::roles::Read,
    },
    /// A role that reads the screen pseudonymised only, on a screen that
    /// has no usable pseudonym key (the role changed while it was open):
    /// nothing more is loaded.
    #[error(
        "{login} (role {role}) reads pseudonymised data only and no usable pseudonym key is installed: quit, have one installed (docs/deployment.md) and open the screen again"
    )]
    ScreenPseudonymised { login: String, role: Role },
    /// A consultation that could not be recorded in the read trace: nothing
    /// identified is shown (issue 11).
    #[error(
        "cannot record this consultation in the read trace ({0}): nothing is shown; ask the administrator to check the database file"
    )]
    Trace(String),
    /// `audit prune-reads --before DATE` with a date inside the retention.
    #[error(
        "the read trace is kept {months} months: --before {before} is too recent, the latest date allowed today is {latest}; nothing was deleted"
    )]
    Retention {
        before: chrono::NaiveDate,
        latest: chrono::NaiveDate,
        months: u32,
    },
    /// A pruning refused because a chain does not verify: it would erase
    /// the evidence of the break.
    #[error(
        "the {chain} is broken at row {id} ({reason}): nothing was pruned (see ir-committee audit --verify)"
    )]
    ChainBroken {
        chain: &'static str,
        id: i64,
        reason: String,
    },
    #[error("{0}")]
    Invalid(String),
    #[error(
        "the database's time zone '{0}' is not a known IANA zone; set the hospital's with `ir-committee set-timezone ZONE` (e.g. Europe/Paris)"
    )]
    BadZone(String),
    #[error(
        "the database names no time zone; set the hospital's with `ir-committee set-timezone ZONE` (e.g. Europe/Paris)"
    )]
    NoZone,
    #[error("case '{0}' not found")]
    NoCase(String),
    #[error("no conflicting value on file for {0}: nothing to keep or take")]
    NoPending(String),
    #[error(
        "the value on file for {0}, or the stored one, changed since it was shown (an import, a form, or someone chose meanwhile); nothing was written: look at them again"
    )]
    ChangedSinceShown(String),
    #[error(
        "{external_id} was changed by {by} at {at} since it was read (version {found}, expected {expected}); reload it and decide again"
    )]
    Conflict {
        external_id: String,
        /// The version the caller read.
        expected: i64,
        /// The version in the file.
        found: i64,
        /// Who made the latest change (from the case's latest audit row).
        by: String,
        /// When (UTC, RFC 3339).
        at: String,
    },
    #[error(
        "rules row {key} was changed by {by} at {at} since it was read (version {found}, expected {expected}); reload the rules and change it again"
    )]
    RuleConflict {
        /// The row: `rule/subject/risk`, or `technique.bleeding_risk/<technique>`.
        key: String,
        /// The version the caller read.
        expected: i64,
        /// The version in the file.
        found: i64,
        /// Who made the latest change (from the row's latest audit row).
        by: String,
        /// When (UTC, RFC 3339).
        at: String,
    },
    #[error("{0} has no decision to undo")]
    NothingToUndo(String),
    #[error("cannot use the audit key file {path} (IR_COMMITTEE_AUDIT_KEY_FILE): {reason}")]
    AuditKey { path: PathBuf, reason: String },
    #[error(
        "this database's audit trail is keyed: set IR_COMMITTEE_AUDIT_KEY_FILE to its key file"
    )]
    AuditKeyNeeded,
    #[error("the audit key given is not the one this database's audit trail is keyed with")]
    AuditKeyMismatch,
    /// A keyed chain whose seal is missing, unusable or does not match
    /// (issue 12): the sentence says which and what to do.
    #[error("{0}")]
    AuditSeal(String),
    /// `audit seal-key` with no audit key configured.
    #[error(
        "no audit key is configured (IR_COMMITTEE_AUDIT_KEY_FILE, or audit_key_file in the setgid configuration): there is nothing to seal"
    )]
    NoAuditKey,
    /// An append-only trigger missing or altered (issue 12): every write
    /// is refused.
    #[error(
        "{0}: every write is refused until it is restored exactly as ir-committee creates it (README, Audit trail)"
    )]
    Triggers(String),
    #[error("the database is busy (another writer held it for over {}s); try again", BUSY_TIMEOUT.as_secs())]
    Busy,
    #[error("database error: {0}")]
    Sqlite(rusqlite::Error),
    #[error("corrupt data in the database: {0}")]
    Corrupt(String),
}

/// Who was refused, in the refusal message.
fn who(role: Option<Role>, disabled: bool) -> String {
    match role {
        Some(r) => format!("role {r}"),
        None if disabled => "a disabled user of this file".into(),
        None => "not a registered user".into(),
    }
}

/// "allowed for: chair, radiologist" — for the refusal message.
fn allowed_roles(p: Permission) -> String {
    let names: Vec<&str> = p.roles().iter().map(|r| r.as_str()).collect();
    format!("allowed for {}", names.join(", "))
}

fn allowed_readers(r: crate::domain::roles::Read) -> String {
    let names: Vec<&str> = Role::ALL
        .iter()
        .filter(|role| r.identified().contains(role) || r.pseudonymised().contains(role))
        .map(|role| role.as_str())
        .collect();
    format!("allowed for {}", names.join(", "))
}

impl StorageError {
    /// Names the file in low-level errors that are about the file itself.
    pub(super) fn at(self, path: &Path) -> StorageError {
        use rusqlite::ErrorCode as C;
        let StorageError::Sqlite(e) = &self else {
            return self;
        };
        let path = path.to_owned();
        match e.sqlite_error_code() {
            Some(C::ReadOnly) => StorageError::ReadOnly(path),
            Some(C::CannotOpen | C::PermissionDenied) if path.is_dir() => {
                StorageError::CannotOpen(path, "it is a folder".into())
            }
            Some(C::CannotOpen | C::PermissionDenied) => {
                StorageError::CannotOpen(path, "permission denied or no such folder".into())
            }
            Some(C::DatabaseCorrupt) => StorageError::Damaged(path, e.to_string()),
            Some(C::NotADatabase) => StorageError::NotOurs(path),
            _ => self,
        }
    }
}

impl From<rusqlite::Error> for StorageError {
    fn from(e: rusqlite::Error) -> Self {
        match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
                StorageError::Busy
            }
            _ => StorageError::Sqlite(e),
        }
    }
}

impl From<serde_json::Error> for StorageError {
    fn from(e: serde_json::Error) -> Self {
        StorageError::Corrupt(e.to_string())
    }
}
