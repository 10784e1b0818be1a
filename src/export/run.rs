//! Running an export, the same for the command line and the screen: read
//! the week, build the programme, record the export (permission by role:
//! a viewer only pseudonymised; the audit row; the calendar state for
//! ics) in one write transaction, render it, then write the file, as the
//! person (the group privilege of a setgid deployment is given up first),
//! mode 0600, atomically (a temporary file renamed over the target).

use std::io::Write;
use std::path::Path;

use chrono::Utc;

use super::model::{Attendee, Build, Edition, Minutes, UnfinishedExport, build};
use super::pseudo::Pseudonymiser;
use super::target::{self, Existing, Protected};
use super::{CalendarEvent, ExportError, Format, Programme, render, staging};
use crate::domain::message::Lang;
use crate::domain::rules::Context;
use crate::domain::text::sanitize_line;
use crate::domain::week::Week;
use crate::storage::{Db, exports, needs, users};

#[path = "run_calendar.rs"]
mod calendar;
pub use calendar::calendar_events;

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

/// An export built, not yet recorded nor written.
pub struct Prepared {
    pub text: String,
    pub programme: Programme,
    record: exports::ExportRecord,
    /// ics: the variant, the events as they will be stored, the UIDs
    /// asked about and what was stored when the export was built.
    calendar: Option<Calendar>,
}

struct Calendar {
    variant: String,
    sent: Vec<exports::Sent>,
    uids: Vec<String>,
    before: Vec<exports::Sent>,
}

/// Builds the export: reads the week, renders the text. Nothing is
/// written, except the audited refusal of a viewer asking for names.
pub fn prepare(db: &mut Db, req: &Request) -> Result<Prepared, ExportError> {
    if req.minutes && !req.format.has_minutes() {
        return Err(ExportError::MinutesFormat(req.format.as_str()));
    }
    // An export records itself: under `--today`, a demo file's only.
    db.require_write_clock()?;
    // Said before anything else: who may not read an export reads nothing
    // (a login the file does not know, the auditor), and a role that reads
    // pseudonymised only (a viewer) cannot export names at all.
    let sight = db.require_read(crate::domain::roles::Read::Export)?;
    if !req.pseudonymise && sight == crate::domain::roles::Sight::Pseudonymised {
        // Refused (and audited) before the write lock is taken.
        let refused = db.precheck(&needs::export(false));
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
    let cases = db
        .reader(crate::domain::roles::Read::Export)?
        .week(req.week)?;
    // Traced before anything is written out; nothing is if it cannot be.
    let subject = format!(
        "{} {}{}{}",
        req.week,
        req.format.as_str(),
        if req.minutes { " minutes" } else { "" },
        if req.pseudonymise {
            " pseudonymised"
        } else {
            ""
        }
    );
    let ids: Vec<i64> = cases.iter().map(|c| c.id).collect();
    crate::storage::audit::reads::trace(
        db,
        crate::storage::audit::reads::What::Export,
        Some(&subject),
        &ids,
    )?;
    // The rules and the protocol version they are, read together: the
    // export names the version that judged the week.
    let (rules, protocol) = db.rules_and_protocol()?;
    let tz = db.timezone()?;
    let ctx = Context { rules: &rules, tz };
    let stamp = stamp(db.clock());
    // The head now, before the export's own audit row: the same in the
    // edition line and in the minutes.
    let audit_head = exports::audit_head(db)?.unwrap_or_default();
    let edition = Edition {
        at: stamp.with_timezone(&tz).naive_local(),
        audit_head: audit_head.clone(),
    };
    let minutes = if req.minutes {
        Some(minutes(db, req.week, req.lang, audit_head, &rules)?)
    } else {
        None
    };
    let mut programme = build(
        &cases,
        &Build {
            week: req.week,
            lang: req.lang,
            ctx: &ctx,
            pseudonymiser: pseudonymiser.as_ref(),
            edition,
            protocol: &protocol,
            minutes,
        },
    );
    if req.minutes {
        by_name(db, &mut programme)?;
    }
    // The version that judged the week: the one in force at each decision,
    // which may differ from the one in force at the export.
    let decided: Vec<i64> = cases
        .iter()
        .filter(|c| c.status != crate::domain::vocab::DecisionStatus::Pending)
        .map(|c| c.id)
        .collect();
    programme.protocol.decided_under =
        crate::storage::protocol::versions_at_decisions(db.conn(), &decided)?;
    let record = exports::ExportRecord {
        week: req.week.to_string(),
        format: req.format.as_str(),
        minutes: req.minutes,
        pseudonymised: req.pseudonymise,
        cases: programme.validated.len(),
        file: sanitize_line(&req.file),
        attempt: None,
        permission: None,
        protocol_version: Some(protocol.version),
    };
    let (events, calendar) = if req.format == Format::Ics {
        let variant = format!(
            "{}{}",
            req.lang.code(),
            if req.pseudonymise {
                "-pseudonymised"
            } else {
                ""
            }
        );
        let fresh: Vec<CalendarEvent> = programme
            .validated
            .iter()
            .map(|e| super::ics::event_of(e, req.lang))
            .collect();
        let uids: Vec<String> = fresh.iter().map(|e| e.uid.clone()).collect();
        let before = exports::calendar(db, &variant, req.week, &uids)?;
        let (events, sent) = calendar_events(&fresh, &before, req.lang);
        (
            events,
            Some(Calendar {
                variant,
                sent,
                uids,
                before,
            }),
        )
    } else {
        (Vec::new(), None)
    };
    let text = render(&programme, req.format, &events, stamp);
    Ok(Prepared {
        text,
        programme,
        record,
        calendar,
    })
}

/// Records a prepared export: checks the permission (a viewer names no
/// one), writes its audit row and, for a calendar, what was sent; in one
/// transaction.
pub fn commit(db: &mut Db, p: &Prepared, week: Week) -> Result<(), ExportError> {
    record(db, &p.record, p.calendar.as_ref(), week, exports::record)
}

fn record(
    db: &mut Db,
    r: &exports::ExportRecord,
    calendar: Option<&Calendar>,
    week: Week,
    audit: fn(&crate::storage::Writer<'_>, &exports::ExportRecord) -> crate::storage::Result<()>,
) -> Result<(), ExportError> {
    db.write_as(&needs::export_of(r), |w| {
        audit(w, r)?;
        if let Some(c) = calendar {
            // Another export of the same calendar since this one was built
            // would make two files with the same SEQUENCE for different
            // events: refused, export again.
            if exports::calendar_in(w, &c.variant, week, &c.uids)? != c.before {
                return Err(crate::storage::StorageError::Invalid(
                    "another export of this calendar was recorded meanwhile: export again".into(),
                ));
            }
            exports::save_calendar(w, &c.variant, week, &c.sent)?;
        }
        Ok::<_, crate::storage::StorageError>(())
    })?;
    Ok(())
}

/// Exports to `path`: built; a temporary file opened beside it (as the
/// person, mode 0600, named `.<target>.ir-committee-export.<login>.<pid>.tmp`,
/// after the person's stale ones there are removed); the start recorded
/// (`export.start`: the permission is checked there); the text written and
/// synced; the file renamed into place; then the export recorded as done
/// (`export`). A failure removes the temporary file and records
/// `export.failed`; a killed export leaves a start with neither, and a
/// temporary file that the person's next export into that folder removes.
/// The target is checked ([`Protected::check`]: never the database, a
/// SQLite file, or an existing file unless `existing` says replace) before
/// anything is written, and again right before the rename; without
/// [`Existing::Replace`] the rename itself refuses a file that appeared
/// meanwhile.
pub fn to_file(
    db: &mut Db,
    mut req: Request,
    path: &Path,
    existing: Existing,
) -> Result<Programme, ExportError> {
    req.file = absolute(path);
    // Read with the process's rights (the database's folder may be the
    // group's); the target is looked at as the person.
    let protected = Protected::of(db);
    crate::deploy::as_person(|| protected.check(path, existing))
        .map_err(|e| write_error(path, &e))??;
    let mut prepared = prepare(db, &req)?;
    let text = std::mem::take(&mut prepared.text);
    let staged = Staged {
        text: &text,
        record: &mut prepared.record,
        calendar: prepared.calendar.as_ref(),
        week: req.week,
    };
    place(db, path, existing, &protected, staged)?;
    Ok(prepared.programme)
}

/// Writes a text built from the file (the chase list, `tasks --output`)
/// exactly as an export to a file is written ([`to_file`]): the target
/// checked first, then `make` reads and builds the text and its audit
/// record (the read table and the read trace are `make`'s), then the
/// temporary file, `export.start`, the rename and `export` (or
/// `export.failed`).
pub fn text_to_file(
    db: &mut Db,
    path: &Path,
    existing: Existing,
    make: impl FnOnce(&mut Db) -> Result<(String, exports::ExportRecord), ExportError>,
) -> Result<(), ExportError> {
    // Recorded like any export: under `--today`, a demo file's only.
    db.require_write_clock()?;
    let protected = Protected::of(db);
    crate::deploy::as_person(|| protected.check(path, existing))
        .map_err(|e| write_error(path, &e))??;
    let (text, mut record) = make(db)?;
    record.file = absolute(path);
    let week = week_of(&record, &path.display().to_string())?;
    let staged = Staged {
        text: &text,
        record: &mut record,
        calendar: None,
        week,
    };
    place(db, path, existing, &protected, staged)
}

/// Builds a text for the standard output (a pipe) and records it as an
/// export to a pipe is ([`for_stdout`]: one `export` row, the permission
/// checked there), refused when the standard output is one of the
/// database's files: `make` reads and builds the text and its audit
/// record (the read table and the read trace are `make`'s). The caller
/// writes the text returned.
pub fn text_to_stdout(
    db: &mut Db,
    make: impl FnOnce(&mut Db) -> Result<(String, exports::ExportRecord), ExportError>,
) -> Result<String, ExportError> {
    db.require_write_clock()?;
    Protected::of(db).check_stdout()?;
    let (text, mut record) = make(db)?;
    record.file = "-".into();
    let week = week_of(&record, "-")?;
    self::record(db, &record, None, week, exports::record)?;
    Ok(text)
}

/// The week an export's audit row names.
fn week_of(record: &exports::ExportRecord, path: &str) -> Result<Week, ExportError> {
    record.week.parse::<Week>().map_err(|e| ExportError::Write {
        path: sanitize_line(path),
        reason: sanitize_line(&e.to_string()),
    })
}

fn absolute(path: &Path) -> String {
    std::path::absolute(path)
        .unwrap_or_else(|_| path.to_path_buf())
        .display()
        .to_string()
}

/// What a file export writes and records.
struct Staged<'a> {
    text: &'a str,
    record: &'a mut exports::ExportRecord,
    calendar: Option<&'a Calendar>,
    week: Week,
}

/// The writing of [`to_file`] and [`text_to_file`], once the target is
/// checked and the text built.
fn place(
    db: &mut Db,
    path: &Path,
    existing: Existing,
    protected: &Protected,
    s: Staged<'_>,
) -> Result<(), ExportError> {
    s.record.attempt = Some(format!("{}-{:016x}", std::process::id(), fastrand::u64(..)));
    let login = db.login().to_owned();
    let tmp = crate::deploy::as_person(|| staging::create(path, &login))
        .map_err(|e| write_error(path, &e))??;
    if let Err(e) = record(db, s.record, s.calendar, s.week, exports::record_start) {
        // Removed as the person who created it.
        let _ = crate::deploy::as_person(|| tmp.close());
        return Err(e);
    }
    let placed = crate::deploy::as_person(|| {
        let mut tmp = tmp;
        let written = tmp
            .write_all(s.text.as_bytes())
            .and_then(|()| tmp.as_file().sync_all())
            .and_then(|()| staging::test_hook());
        if let Err(e) = written {
            return Err(write_error(path, &e));
        }
        // The target may have appeared, or changed, meanwhile.
        protected.check(path, existing)?;
        let put = match existing {
            Existing::Replace => tmp.persist(path),
            Existing::Keep => tmp.persist_noclobber(path),
        };
        put.map(|_| ()).map_err(|e| match e.error.kind() {
            std::io::ErrorKind::AlreadyExists => target::exists(path),
            _ => write_error(path, &e.error),
        })
    })
    .map_err(|e| write_error(path, &e))
    .and_then(|r| r);
    if let Err(e) = placed {
        let reason = e.to_string();
        let _ = db.write(|w| exports::record_failed(w, s.record, &reason));
        return Err(e);
    }
    db.write(|w| exports::record_done(w, s.record))?;
    Ok(())
}

/// An export for the standard output (a pipe): built and recorded; the
/// caller writes the text returned. Refused when the standard output is
/// one of the database's files (`--output - >> committee.sqlite`).
pub fn for_stdout(db: &mut Db, mut req: Request) -> Result<String, ExportError> {
    req.file = "-".into();
    Protected::of(db).check_stdout()?;
    let prepared = prepare(db, &req)?;
    commit(db, &prepared, req.week)?;
    Ok(prepared.text)
}

/// The export's time for DTSTAMP: the clock's (fixed with `--today`).
fn stamp(clock: crate::domain::clock::Clock) -> chrono::DateTime<Utc> {
    chrono::DateTime::parse_from_rfc3339(&clock.timestamp())
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|_| Utc::now())
}

/// The minutes name who decided by their name, not their login (a login
/// the file no longer knows stays as it is).
fn by_name(db: &Db, programme: &mut Programme) -> Result<(), ExportError> {
    let people = users::list(db)?;
    let entries = programme
        .validated
        .iter_mut()
        .chain(programme.set_apart.iter_mut());
    for e in entries {
        let name = e.decided_by.as_ref().and_then(|by| {
            people
                .iter()
                .find(|u| sanitize_line(&u.login) == *by)
                .map(|u| sanitize_line(&u.name))
        });
        if name.is_some() {
            e.decided_by = name;
        }
    }
    Ok(())
}

/// The minutes' part: who attended (recorded from the screen) and the
/// audit head hash now (`audit_head`); the quorum is the one of `rules`,
/// the rules (and protocol version) that judged the week.
fn minutes(
    db: &Db,
    week: Week,
    lang: Lang,
    audit_head: String,
    rules: &crate::domain::rules::RuleSet,
) -> Result<Minutes, ExportError> {
    let meeting = exports::meeting(db, week)?;
    let people = users::list(db)?;
    // A user in their role; a name typed in, in the role it was given.
    let role_of = |p: &exports::Person| match &p.login {
        Some(l) => people.iter().find(|u| &u.login == l).map(|u| u.role),
        None => p.role,
    };
    let quorum_missing = match &meeting {
        Some(m) => {
            let present: Vec<_> = m.people.iter().filter_map(role_of).collect();
            let missing = crate::domain::quorum::missing(&rules.quorum(), &present);
            Some(crate::text::export::quorum_missing(lang, &missing))
        }
        None => None,
    };
    let attendees = meeting
        .as_ref()
        .map(|m| {
            m.people
                .iter()
                .map(|p| Attendee {
                    name: sanitize_line(&p.name),
                    role: role_of(p).map(|r| r.label(lang).to_owned()),
                })
                .collect()
        })
        .unwrap_or_default();
    let tz = db.timezone()?;
    let unfinished_exports = exports::unfinished(db, Some(week))?
        .into_iter()
        .map(|u| UnfinishedExport {
            at: chrono::DateTime::parse_from_rfc3339(&u.at)
                .map(|t| t.with_timezone(&tz).naive_local())
                .unwrap_or_default(),
            login: sanitize_line(&u.login),
            format: sanitize_line(&u.format),
            minutes: u.minutes,
            pseudonymised: u.pseudonymised,
        })
        .collect();
    Ok(Minutes {
        unfinished_exports,
        meeting_date: meeting
            .map(|m| m.held_on)
            .unwrap_or_else(|| db.clock().today()),
        attendees,
        quorum_missing,
        audit_head,
    })
}

pub(super) fn write_error(path: &Path, e: &dyn std::fmt::Display) -> ExportError {
    ExportError::Write {
        path: sanitize_line(&path.display().to_string()),
        reason: sanitize_line(&e.to_string()),
    }
}
