//! `demo`: a demo database seeded with the fixture week, moved onto next
//! week so that it is never empty whatever today's date.

use std::path::{Path, PathBuf};

use chrono::Duration;

use crate::domain::model::CaseFile;
use crate::domain::time::When;
use crate::domain::week::Week;
use crate::import;
use crate::storage::{self, Db, FileKind, Init, Opening, StorageError, synthetic};

pub mod notes;

/// Where `demo` writes when no `--db` is given.
pub const DEFAULT_PATH: &str = "demo.sqlite";

/// The most past cases `--synthetic` makes (about 9 GB of database).
pub const MAX_SYNTHETIC: u64 = 10_000_000;

/// Past cases of the twelve months before this week in every demo (a
/// department's dozen a week), with their outcomes and follow-ups: a fresh
/// demo has a report to show.
pub const HISTORY_CASES: u64 = 600;

/// The fixture week, embedded so that `demo` works from any folder.
pub const FIXTURE: &str = include_str!("../fixtures/week.json");

/// The ISO week the fixture's dates are written for.
pub const FIXTURE_WEEK: &str = "2026-W49";

/// The demo database's time zone (the fixture's daylight-saving cases assume it).
pub const DEMO_TZ: chrono_tz::Tz = chrono_tz::Europe::Paris;

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    Storage(#[from] StorageError),
    Fixture(String),
    Remove {
        path: PathBuf,
        source: std::io::Error,
    },
    Import(#[from] import::ImportError),
}

impl std::fmt::Display for DemoError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::text::error::misc::demo(crate::text::Lang::En, self))
    }
}

/// What `demo` made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    pub week: Week,
    pub cases: usize,
    pub synthetic: u64,
}

/// Creates (or recreates) the demo database at `path`. A file that is not
/// a demo database is refused and left untouched.
pub fn create(
    path: &Path,
    opening: impl Into<Opening>,
    synthetic_cases: u64,
) -> Result<Summary, DemoError> {
    let opening = opening.into();
    let clock = opening.clock;
    match storage::inspect(path)? {
        FileKind::Missing => {}
        FileKind::Demo => remove_db_files(path)?,
        FileKind::Committee | FileKind::Foreign => {
            return Err(StorageError::NotDemo(path.to_owned()).into());
        }
    }
    let week = Week::next_after(clock.today());
    let cases = fixture_cases(week)?;
    let mut db = Db::create(
        path,
        opening,
        &Init {
            admin: None,
            name: None,
            timezone: DEMO_TZ,
            demo: true,
        },
    )?;
    // Its cases look like patients': readable by whoever made it only.
    restrict_to_owner(path);
    import::save_all(&mut db, &cases, "demo", import::Absent::Clears)?;
    synthetic::generate_series(
        &mut db,
        HISTORY_CASES,
        week.offset(-1).monday(),
        0x1515,
        synthetic::HISTORY,
    )?;
    if synthetic_cases > 0 {
        synthetic::generate(&mut db, synthetic_cases, week.offset(-1).monday(), 0x1C0DE)?;
    }
    // With an audit key, the demo's chains are sealed beside it, as root
    // seals a committee file at deployment (`audit seal-key`).
    if db.audit_key().is_some() {
        storage::audit::seal::seal_key(&mut db)?;
    }
    Ok(Summary {
        week,
        cases: cases.len(),
        synthetic: synthetic_cases + HISTORY_CASES,
    })
}

/// The fixture's cases with every date moved onto `week`.
pub fn fixture_cases(week: Week) -> Result<Vec<CaseFile>, DemoError> {
    let from: Week = FIXTURE_WEEK
        .parse()
        .map_err(|e: crate::domain::week::WeekError| DemoError::Fixture(e.to_string()))?;
    let shift = Duration::weeks(from.weeks_until(week));
    // Parse as if today were the fixture's own Thursday, so its bounds hold.
    let fixture_today = from.monday() - Duration::days(4);
    let mut cases = import::parse(FIXTURE, fixture_today).map_err(|p| {
        DemoError::Fixture(
            p.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(" | "),
        )
    })?;
    let span = dossier_span(&mut cases);
    for c in &mut cases {
        shift_case(c, shift, span);
    }
    Ok(cases)
}

/// The first and last dates of the cases' dossiers (birth dates aside).
fn dossier_span(cases: &mut [CaseFile]) -> Option<notes::Span> {
    let mut span: Option<notes::Span> = None;
    let mut widen = |d: chrono::NaiveDate| {
        span = Some(span.map_or(notes::Span { first: d, last: d }, |s| s.with(d)));
    };
    for c in cases {
        widen(c.procedure.scheduled_at.date());
        each_when(c, &mut |x| widen(x.date()));
    }
    span
}

/// Moves every date of a case (but the birth date) by `d`, and the dates
/// written in its free text that fall within `span` (see [`notes`]).
pub fn shift_case(c: &mut CaseFile, d: Duration, span: Option<notes::Span>) {
    c.procedure.scheduled_at += d;
    each_when(c, &mut |x| {
        *x = match *x {
            When::Date(v) => When::Date(v + d),
            When::DateTime(v) => When::DateTime(v + d),
        }
    });
    let Some(span) = span else { return };
    let text = |t: &mut String| *t = notes::shift_dates_in(t, d, span);
    c.notes.as_mut().map(text);
    if let Some(k) = c.consultation.as_mut().and_then(|x| x.consent.as_mut()) {
        k.details.as_mut().map(text);
    }
}

/// Calls `f` on every dated value of a dossier but the schedule and the
/// birth date.
fn each_when(c: &mut CaseFile, f: &mut dyn FnMut(&mut When)) {
    if let Some(x) = &mut c.consultation {
        f(&mut x.at);
        if let Some(k) = &mut x.consent {
            k.at.as_mut().map(&mut *f);
        }
    }
    if let Some(x) = &mut c.anaesthesia_consult {
        f(&mut x.at);
    }
    for x in c.imaging.iter_mut().flatten() {
        f(&mut x.at);
    }
    // Each biology and coagulation value's own date too.
    if let Some(x) = &mut c.biology {
        f(&mut x.at);
        x.dates.values_mut().for_each(&mut *f);
    }
    if let Some(x) = &mut c.coagulation {
        f(&mut x.at);
        x.dates.values_mut().for_each(&mut *f);
    }
    for x in c.medications.iter_mut().flatten() {
        x.last_intake.as_mut().map(&mut *f);
    }
}

fn remove_db_files(path: &Path) -> Result<(), DemoError> {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        let p = PathBuf::from(p);
        match std::fs::remove_file(&p) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(source) => return Err(DemoError::Remove { path: p, source }),
        }
    }
    Ok(())
}

/// Mode 0600 on the demo file and its `-wal`/`-shm` (best effort: a
/// filesystem without modes keeps its own).
fn restrict_to_owner(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    for suffix in ["", "-wal", "-shm"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        let p = std::path::PathBuf::from(p);
        if p.exists() {
            let _ = std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o600));
        }
    }
}
