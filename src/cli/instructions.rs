//! `instructions`: a case's one-page sheet for the patient and the ward
//! (issue 14 §2, `export::sheet`). Read through the read table
//! (`Read::Instructions`: the care team, identified; a viewer, the auditor
//! and a login the file does not know read nothing) and traced before it is
//! shown. A file is written as an export is (`export::run::text_to_file`:
//! mode 0600, never over a file without `--force`, never over the database,
//! audited).

use std::path::Path;

use super::{Cli, CliError};
use crate::domain::roles::Read;
use crate::domain::rules::Context;
use crate::domain::text::sanitize_line;
use crate::domain::vocab::DecisionStatus;
use crate::export::sheet::{SheetFormat, build, render};
use crate::export::target::Existing;
use crate::storage::Db;

pub(super) fn run(
    cli: &Cli,
    external_id: &str,
    format: SheetFormat,
    output: Option<&Path>,
    force: bool,
    out: &mut dyn std::io::Write,
) -> Result<(), CliError> {
    let lang = cli.lang();
    let file = output.filter(|p| p.as_os_str() != "-");
    let mut db = match file {
        Some(_) => Db::open(&cli.db_path(), cli.opening()?)?,
        None => Db::open_for_reading(&cli.db_path(), cli.opening()?)?,
    };
    // Who may not read the sheet is told so first, whatever the output.
    db.require_read(Read::Instructions)?;
    let Some(path) = file else {
        let text = sheet(&db, external_id, format, lang)?;
        out.write_all(text.as_bytes())?;
        return Ok(());
    };
    let existing = if force {
        Existing::Replace
    } else {
        Existing::Keep
    };
    // Refused before anything is written (no empty file, no audit row).
    let week = scheduled(&db, external_id, lang)?;
    crate::export::run::text_to_file(&mut db, path, existing, |db| {
        let text = match sheet(db, external_id, format, lang) {
            Ok(t) => t,
            Err(SheetError::Storage(e)) => return Err(e.into()),
            Err(SheetError::Refused(reason)) => {
                return Err(crate::export::ExportError::Write {
                    path: sanitize_line(&path.display().to_string()),
                    reason,
                });
            }
        };
        let record = crate::storage::exports::ExportRecord {
            week: week.clone(),
            format: match format {
                SheetFormat::Html => "instructions.html",
                SheetFormat::Md => "instructions.md",
            },
            minutes: false,
            pseudonymised: false,
            cases: 1,
            file: String::new(),
            attempt: None,
        };
        Ok((text, record))
    })?;
    let shown = sanitize_line(&path.display().to_string());
    let id = sanitize_line(external_id);
    writeln!(
        out,
        "{}",
        crate::text::instructions::written(lang, &shown, &id)
    )?;
    Ok(())
}

enum SheetError {
    Storage(crate::storage::StorageError),
    Refused(String),
}

impl From<SheetError> for CliError {
    fn from(e: SheetError) -> Self {
        match e {
            SheetError::Storage(e) => CliError::Storage(e),
            SheetError::Refused(r) => CliError::Refused(r),
        }
    }
}

impl From<crate::storage::StorageError> for SheetError {
    fn from(e: crate::storage::StorageError) -> Self {
        SheetError::Storage(e)
    }
}

/// The case's ISO week, or the refusal of a case that will not take place
/// as scheduled.
fn scheduled(
    db: &Db,
    external_id: &str,
    lang: crate::domain::message::Lang,
) -> Result<String, SheetError> {
    let case = db.reader(Read::Instructions)?.by_external_id(external_id)?;
    refuse(&case, external_id, lang)?;
    Ok(crate::domain::week::Week::containing(case.file.day()).to_string())
}

fn refuse(
    case: &crate::domain::record::StoredCase,
    external_id: &str,
    lang: crate::domain::message::Lang,
) -> Result<(), SheetError> {
    if matches!(
        case.status,
        DecisionStatus::Cancelled | DecisionStatus::Postponed
    ) {
        let status = crate::text::Label::label(case.status, lang);
        return Err(SheetError::Refused(crate::text::instructions::refused(
            lang,
            &sanitize_line(external_id),
            status,
        )));
    }
    Ok(())
}

/// Reads the case (the read table first), refuses one that will not take
/// place as scheduled, traces the read, writes the sheet.
fn sheet(
    db: &Db,
    external_id: &str,
    format: SheetFormat,
    lang: crate::domain::message::Lang,
) -> Result<String, SheetError> {
    let reader = db.reader(Read::Instructions)?;
    let case = reader.by_external_id(external_id)?;
    refuse(&case, external_id, lang)?;
    crate::storage::audit::reads::trace(
        db,
        crate::storage::audit::reads::What::Instructions,
        Some(format.as_str()),
        &[case.id],
    )?;
    let rules = db.rules()?;
    let tz = db.timezone()?;
    let ctx = Context { rules: &rules, tz };
    let now = chrono::DateTime::parse_from_rfc3339(&db.clock().timestamp())
        .map(|t| t.with_timezone(&tz).naive_local())
        .unwrap_or_else(|_| db.clock().today().and_time(chrono::NaiveTime::MIN));
    let s = build(&case, &ctx, now, lang, now);
    Ok(render(&s, format))
}
