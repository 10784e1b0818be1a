//! Running an export, the same for the command line and the screen: read
//! the week, build the programme, record the export (permission by role:
//! a viewer only pseudonymised; the audit row; the calendar state for
//! ics) in one write transaction, render it, then write the file, as the
//! person (the group privilege of a setgid deployment is given up first),
//! mode 0600, atomically (a temporary file renamed over the target).

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::Utc;

use super::model::{Attendee, Build, Minutes, build};
use super::pseudo::Pseudonymiser;
use super::{CalendarEvent, ExportError, Format, Programme, render};
use crate::domain::message::Lang;
use crate::domain::rules::Context;
use crate::domain::text::sanitize_line;
use crate::domain::week::Week;
use crate::storage::{Db, exports, read, users};

/// What to export.
#[derive(Debug, Clone)]
pub struct Request {
    pub week: Week,
    pub format: Format,
    pub minutes: bool,
    pub pseudonymise: bool,
    pub lang: Lang,
    /// Where the file goes, for the audit row (`-`: the standard output).
    pub file: String,
}

/// Where it went and what it held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Done {
    /// None: the standard output.
    pub path: Option<PathBuf>,
    pub cases: usize,
    pub set_apart: usize,
    pub bytes: usize,
}

/// The file name proposed when none is given: `committee-2026-W49-programme.csv`.
pub fn default_name(req: &Request) -> String {
    let what = if req.minutes { "minutes" } else { "programme" };
    let pseudo = if req.pseudonymise {
        "-pseudonymised"
    } else {
        ""
    };
    format!(
        "committee-{}-{what}{pseudo}.{}",
        req.week,
        req.format.as_str()
    )
}

/// Builds the export and records it (permission, audit, calendar state):
/// the text to write. Nothing is written to the file system here.
pub fn prepare(db: &mut Db, req: &Request) -> Result<(String, Programme), ExportError> {
    if req.minutes && !req.format.has_minutes() {
        return Err(ExportError::MinutesFormat(req.format.as_str()));
    }
    // Said before anything else: a viewer cannot export names at all.
    if !req.pseudonymise && db.role()? == Some(crate::domain::roles::Role::Viewer) {
        // The refusal is audited by the storage layer's check.
        let refused = db.write(|w| {
            w.require(
                crate::domain::roles::Permission::ExportIdentified,
                "export",
                None,
            )
        });
        return Err(match refused {
            Err(crate::storage::StorageError::Forbidden { .. }) | Ok(()) => {
                ExportError::ViewerNeedsPseudonym
            }
            Err(e) => e.into(),
        });
    }
    let pseudonymiser = if req.pseudonymise {
        Some(Pseudonymiser::configured()?)
    } else {
        None
    };
    let cases = read::week(db, req.week)?;
    let rules = db.rules()?;
    let tz = db.timezone()?;
    let ctx = Context { rules: &rules, tz };
    let minutes = if req.minutes {
        Some(minutes(db, req.week)?)
    } else {
        None
    };
    let programme = build(
        &cases,
        &Build {
            week: req.week,
            lang: req.lang,
            ctx: &ctx,
            pseudonymiser: pseudonymiser.as_ref(),
            minutes,
        },
    );
    let fresh: Vec<CalendarEvent> = programme
        .validated
        .iter()
        .map(|e| super::ics::event_of(e, req.lang))
        .collect();
    let record = exports::ExportRecord {
        week: req.week.to_string(),
        format: req.format.as_str(),
        minutes: req.minutes,
        pseudonymised: req.pseudonymise,
        cases: programme.validated.len(),
        file: sanitize_line(&req.file),
    };
    let is_ics = req.format == Format::Ics;
    let events = db.write(|w| {
        exports::record(w, &record)?;
        if !is_ics {
            return Ok(Vec::new());
        }
        let uids: Vec<String> = fresh.iter().map(|e| e.uid.clone()).collect();
        let before = exports::calendar(w, req.week, &uids)?;
        let events = calendar_events(&fresh, &before);
        exports::save_calendar(w, req.week, &events)?;
        Ok::<_, crate::storage::StorageError>(events)
    })?;
    let text = render(&programme, req.format, &events, Utc::now());
    Ok((text, programme))
}

/// The minutes' part: who attended (recorded from the screen) and the
/// audit head hash now.
fn minutes(db: &Db, week: Week) -> Result<Minutes, ExportError> {
    let meeting = exports::meeting(db, week)?;
    let people = users::list(db)?;
    let attendees = meeting
        .as_ref()
        .map(|m| {
            m.people
                .iter()
                .map(|p| Attendee {
                    name: sanitize_line(&p.name),
                    role: p.login.as_ref().and_then(|l| {
                        people
                            .iter()
                            .find(|u| &u.login == l)
                            .map(|u| u.role.as_str().to_owned())
                    }),
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(Minutes {
        meeting_date: meeting
            .map(|m| m.held_on)
            .unwrap_or_else(|| db.clock().today()),
        attendees,
        audit_head: exports::audit_head(db)?.unwrap_or_default(),
    })
}

/// The events to send: each validated procedure (its SEQUENCE raised when
/// it changed since the last export), and each one sent before that is no
/// longer in the programme, now cancelled under the same UID.
pub fn calendar_events(
    fresh: &[CalendarEvent],
    before: &[exports::Exported],
) -> Vec<CalendarEvent> {
    let previous = |uid: &str| before.iter().find(|b| b.event.uid == uid).map(|b| &b.event);
    let same_content = |a: &CalendarEvent, b: &CalendarEvent| {
        a.start == b.start
            && a.end == b.end
            && a.summary == b.summary
            && a.location == b.location
            && a.description == b.description
            && a.cancelled == b.cancelled
    };
    let mut out: Vec<CalendarEvent> = fresh
        .iter()
        .map(|e| {
            let mut e = e.clone();
            e.sequence = match previous(&e.uid) {
                Some(p) if same_content(p, &e) => p.sequence,
                Some(p) => p.sequence.saturating_add(1),
                None => 0,
            };
            e
        })
        .collect();
    for b in before {
        if fresh.iter().any(|e| e.uid == b.event.uid) {
            continue;
        }
        let mut gone = b.event.clone();
        if !gone.cancelled {
            gone.cancelled = true;
            gone.sequence = gone.sequence.saturating_add(1);
        }
        out.push(gone);
    }
    out
}

/// Writes `text` to `path` as the person: mode 0600, through a temporary
/// file in the same folder renamed over the target (never half a file).
pub fn write_file(path: &Path, text: &str) -> Result<(), ExportError> {
    let fail = |e: &dyn std::fmt::Display| ExportError::Write {
        path: sanitize_line(&path.display().to_string()),
        reason: sanitize_line(&e.to_string()),
    };
    crate::deploy::drop_group_privilege().map_err(|e| fail(&e))?;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if path.is_dir() {
        return Err(fail(&"is a folder"));
    }
    // NamedTempFile is created 0600.
    let mut tmp = tempfile::NamedTempFile::new_in(&dir).map_err(|e| fail(&e))?;
    tmp.write_all(text.as_bytes()).map_err(|e| fail(&e))?;
    tmp.as_file().sync_all().map_err(|e| fail(&e))?;
    tmp.persist(path).map_err(|e| fail(&e.error))?;
    Ok(())
}
