//! Storage failures and how low-level errors become them.

use std::path::{Path, PathBuf};

use crate::domain::roles::{Permission, Role};

/// Storage failures, each a sentence a user can act on: data here, the
/// sentence in `crate::text::error::storage` (`Display` is its English).
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    NotFound(PathBuf),
    NoFolder {
        path: PathBuf,
        folder: PathBuf,
    },
    NotOurs(PathBuf),
    Empty(PathBuf),
    TooNew {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    NotDemo(PathBuf),
    /// A write under `--today` to a committee file (issue 12): it would
    /// date the rows and the audit trail with a day that is not today.
    FixedClock(PathBuf),
    /// `init --today` without `--demo`.
    FixedClockInit(PathBuf),
    ReadOnly(PathBuf),
    CannotOpen(PathBuf, String),
    NetworkFs {
        path: PathBuf,
        kind: String,
    },
    Damaged(PathBuf, String),
    NeedsUpgrade {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    Forbidden {
        login: String,
        role: Option<Role>,
        permission: Permission,
        /// The login is a user of the file, disabled (`role` is then None).
        disabled: bool,
    },
    /// A read by a login the users table does not know (issue 11).
    NotAUser {
        login: String,
    },
    /// A read by a user a chair disabled.
    Disabled {
        login: String,
    },
    CannotRead(PathBuf, String),
    /// A read the role may not make (the read table in `domain/roles.rs`).
    ReadForbidden {
        login: String,
        role: Role,
        read: crate::domain::roles::Read,
    },
    /// A role that reads the screen pseudonymised only, on a screen that
    /// has no usable pseudonym key (the role changed while it was open):
    /// nothing more is loaded.
    ScreenPseudonymised {
        login: String,
        role: Role,
    },
    /// A consultation that could not be recorded in the read trace: nothing
    /// identified is shown (issue 11).
    Trace(String),
    /// `audit prune-reads --before DATE` with a date inside the retention.
    Retention {
        before: chrono::NaiveDate,
        latest: chrono::NaiveDate,
        months: u32,
    },
    /// A pruning refused because a chain does not verify: it would erase
    /// the evidence of the break.
    ChainBroken {
        chain: &'static str,
        id: i64,
        reason: String,
    },
    Invalid(String),
    /// A person's record of the anaesthesia consultation that is not a
    /// proper transcription (`domain::transcribe`).
    Transcription(crate::domain::transcribe::TranscriptionProblem),
    BadZone(String),
    NoZone,
    NoCase(String),
    NoPending(String),
    ChangedSinceShown(String),
    /// The identity the hospital's system changed on the patient of this
    /// IPP is not the one shown when a person confirmed checking it (a
    /// later ADT^A08 or booking): nothing acknowledged.
    IdentityChangedSinceShown(String),
    /// The open unusable laboratory results of this case (external id)
    /// are not the ones listed when a person chose one to acknowledge (one
    /// arrived, one was cleared): nothing acknowledged.
    LabResultsChangedSinceShown(String),
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
    /// A rules row change refused: the value does not suit the rule.
    RuleRefused {
        row: Box<crate::domain::rules::table::RowName>,
        problem: crate::domain::rules::table::RuleProblem,
    },
    /// `rules set` on a row the table does not have (as typed:
    /// `rule/subject/risk`).
    NoRuleRow(String),
    /// A technique with no `technique.bleeding_risk` row to change.
    NoRiskRow(crate::domain::vocab::Technique),
    /// A technique with several `technique.bleeding_risk` rows (their risks).
    RiskRows(crate::domain::vocab::Technique, Vec<String>),
    RuleConflict {
        /// The row.
        row: Box<crate::domain::rules::table::RowName>,
        /// The version the caller read.
        expected: i64,
        /// The version in the file.
        found: i64,
        /// Who made the latest change (from the row's latest audit row;
        /// None: no audited change found).
        by: Option<String>,
        /// When (UTC, RFC 3339).
        at: Option<String>,
    },
    NothingToUndo(String),
    /// `rules approve` with an empty note (None) or one too long (its
    /// length in characters).
    ApprovalNote(Option<usize>),
    /// `rules approve` when the version in force is already approved as it
    /// stands: that approval's version, day (in the hospital's zone) and
    /// approver.
    AlreadyApproved {
        version: i64,
        on: chrono::NaiveDate,
        by: String,
    },
    /// `rules approve --version N` when the version in force is another:
    /// the table changed since the document the reviewers read.
    ApprovalStale {
        reviewed: i64,
        found: i64,
    },
    /// `rules approve`: the fingerprint given is not the table's
    /// (`found`), or none was given while the rules or the zone changed
    /// without a new version since the last approval.
    ApprovalFingerprint {
        given: Option<String>,
        found: String,
    },
    /// `rules approve --meeting WEEK` naming no recorded meeting
    /// (`named`), or several meetings held today and none named.
    ApprovalMeeting {
        named: Option<String>,
        held_today: Vec<String>,
    },
    /// A decision on a case whose day of procedure is recorded.
    DayRecorded {
        case: String,
        performed: bool,
    },
    AuditKey {
        path: PathBuf,
        reason: String,
    },
    AuditKeyNeeded,
    AuditKeyMismatch,
    /// A keyed chain whose seal is missing, unusable or does not match
    /// (issue 12): the sentence says which and what to do.
    AuditSeal(String),
    /// `audit seal-key` with no audit key configured.
    NoAuditKey,
    /// An append-only trigger missing or altered (issue 12): every write
    /// is refused.
    Triggers(String),
    Busy,
    Sqlite(rusqlite::Error),
    Corrupt(String),
    /// A follow-up, a death or an operator link refused (issue 15 §2–3).
    FollowUp(crate::domain::followup::Refusal),
    /// The day of a procedure refused (issue 15 §1).
    Day(crate::domain::outcome::DayRefusal),
}

impl std::fmt::Display for StorageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::text::error::storage::storage(
            crate::text::Lang::En,
            self,
        ))
    }
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
