//! Exports of a week: the validated programme (html, csv, ics, json, md)
//! and the minutes of the meeting (html, md). `model.rs` builds what an
//! export holds (pure); one file per format writes it out, escaping text
//! for that format; `run.rs` reads the week, records the export (audit,
//! calendar state) and writes the file (mode 0600, atomically);
//! `target.rs` says where it may write (never onto the database).

pub mod csv;
pub mod html;
pub mod ics;
pub mod json;
pub mod labels;
pub mod md;
pub mod model;
pub mod pseudo;
pub mod run;
#[cfg(test)]
mod run_tests;
pub mod staging;
pub mod target;
#[cfg(test)]
mod target_tests;
#[cfg(test)]
pub mod testkit;

use serde::{Deserialize, Serialize};

pub use model::{Attendee, Edition, Entry, Minutes, PatientLine, Programme};

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("--minutes is for html and md (the minutes are a document to read), not {0}")]
    MinutesFormat(&'static str),
    #[error(
        "no pseudonym key: name a file of at least 16 random bytes in ${} (e.g. `openssl rand -hex 32 > pseudonym.key; chmod 600 pseudonym.key`), or pseudonym_key_file in the configuration",
        pseudo::KEY_FILE_ENV
    )]
    NoPseudonymKey,
    /// A role that reads pseudonymised data only, and no key.
    #[error(
        "{role} reads pseudonymised data only and no pseudonym key is installed: name a file of at least 16 random bytes in ${} (e.g. `openssl rand -hex 32 > pseudonym.key; chmod 600 pseudonym.key`), or pseudonym_key_file in the configuration",
        pseudo::KEY_FILE_ENV
    )]
    ReaderNeedsKey { role: String },
    #[error("pseudonym key {path}: {reason}")]
    PseudonymKey { path: String, reason: String },
    #[error("a viewer may export only pseudonymised (add --pseudonymise)")]
    ViewerNeedsPseudonym,
    #[error("{path}: {reason}")]
    Write { path: String, reason: String },
    /// The target is the open database or its `-wal`, `-shm`, `-journal`
    /// (`file`), under that name or through a link.
    #[error("refusing to export onto {path}: that is the database ({file}); choose another file")]
    OntoDatabase { path: String, file: String },
    #[error("refusing to export onto {path}: it is a SQLite database; choose another file")]
    OntoSqlite { path: String },
    #[error("{path} exists; add --force to replace it")]
    Exists { path: String },
    #[error(
        "refusing to write the export to the standard output: the standard output is the database ({file})"
    )]
    StdoutIsDatabase { file: String },
    #[error("refusing to write the export to a terminal: give --output FILE (or pipe it)")]
    Terminal,
    #[error(transparent)]
    Storage(#[from] crate::storage::StorageError),
}

/// The export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    Html,
    Csv,
    Ics,
    Json,
    Md,
}

impl Format {
    pub const ALL: [Format; 5] = [
        Format::Html,
        Format::Csv,
        Format::Ics,
        Format::Json,
        Format::Md,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Html => "html",
            Format::Csv => "csv",
            Format::Ics => "ics",
            Format::Json => "json",
            Format::Md => "md",
        }
    }

    pub fn parse(s: &str) -> Option<Format> {
        Format::ALL
            .into_iter()
            .find(|f| f.as_str().eq_ignore_ascii_case(s.trim()))
    }

    /// Whether the minutes can be written in this format.
    pub fn has_minutes(self) -> bool {
        matches!(self, Format::Html | Format::Md)
    }
}

/// One event of the calendar export: a validated procedure, or one
/// exported earlier that is no longer in the programme (postponed,
/// cancelled, moved), sent again as cancelled under the same UID so that
/// calendars drop it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarEvent {
    /// Stable: `<external id>@ir-committee`.
    pub uid: String,
    /// Goes up each time the event changes (RFC 5545 SEQUENCE).
    pub sequence: u32,
    pub cancelled: bool,
    /// Local wall-clock times in the export's zone, `YYYY-MM-DDTHH:MM`.
    pub start: chrono::NaiveDateTime,
    pub end: chrono::NaiveDateTime,
    pub summary: String,
    pub location: String,
    pub description: String,
    /// What the committee knew beyond "validated" (validated by override,
    /// validated but blocking now): also the description's first line, and
    /// the `X-IR-COMMITTEE-ALERT` property.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alert: Option<String>,
}

/// Writes `p` in `format`. `events` (ics only) are the calendar events
/// with their sequence numbers (`run.rs` keeps them); `stamp` is the
/// export's time in UTC (ics DTSTAMP).
pub fn render(
    p: &Programme,
    format: Format,
    events: &[CalendarEvent],
    stamp: chrono::DateTime<chrono::Utc>,
) -> String {
    match format {
        Format::Html => html::render(p),
        Format::Csv => csv::render(p),
        Format::Ics => ics::render(p, events, stamp),
        Format::Json => json::render(p),
        Format::Md => md::render(p),
    }
}
