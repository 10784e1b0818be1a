//! Exports of a week: the validated programme (html, csv, ics, json, md)
//! and the minutes of the meeting (html, md). `model.rs` builds what an
//! export holds (pure); one file per format writes it out, escaping text
//! for that format; `run.rs` reads the week, records the export (audit,
//! calendar state) and writes the file (mode 0600, atomically);
//! `target.rs` says where it may write (never onto the database).

pub mod csv;
pub mod home;
pub mod html;
pub mod ics;
pub mod indicators;
pub mod json;
pub mod md;
pub mod model;
pub mod protocol;
/// The programme and the minutes name the protocol's version.
#[cfg(test)]
mod protocol_line_tests;
pub mod pseudo;
pub mod registry;
pub mod run;
#[cfg(test)]
mod run_tests;
pub mod sheet;
pub mod staging;
pub mod target;
#[cfg(test)]
mod target_tests;
#[cfg(test)]
pub mod testkit;
#[cfg(test)]
mod ward_tests;

use serde::{Deserialize, Serialize};

pub use model::{Attendee, Edition, Entry, Minutes, PatientLine, Programme};

/// An export refused or failed: data here, the sentence in
/// `crate::text::error::export` (`Display` is its English).
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    MinutesFormat(&'static str),
    NoPseudonymKey,
    /// A role that reads pseudonymised data only, and no key.
    ReaderNeedsKey {
        role: String,
    },
    PseudonymKey {
        path: String,
        reason: String,
    },
    ViewerNeedsPseudonym,
    Write {
        path: String,
        reason: String,
    },
    /// The target is the open database or its `-wal`, `-shm`, `-journal`
    /// (`file`), under that name or through a link.
    OntoDatabase {
        path: String,
        file: String,
    },
    OntoSqlite {
        path: String,
    },
    Exists {
        path: String,
    },
    StdoutIsDatabase {
        file: String,
    },
    Terminal,
    /// The operating system gave no random bytes for the registry
    /// extract's key.
    RandomKey(String),
    Storage(#[source] crate::storage::StorageError),
}

impl From<crate::storage::StorageError> for ExportError {
    fn from(e: crate::storage::StorageError) -> Self {
        ExportError::Storage(e)
    }
}

impl std::fmt::Display for ExportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::text::error::export::export(
            crate::text::Lang::En,
            self,
        ))
    }
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
