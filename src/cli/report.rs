//! `report`: the committee's indicators over a period (issue 15 §4), as
//! html (with its charts), md, json or csv. Read through the read table
//! (`Read::Report`: the care team and the nurse as they ask, a viewer and
//! the auditor always pseudonymised) and traced as ONE read row per run
//! (aggregates: no case is named). A file is written as an export is
//! (`export::run::text_to_file`: staged, mode 0600, never over a file
//! without `--force`, never over the database, audited).

use std::path::Path;

use chrono::NaiveDate;
use clap::ValueEnum;

use super::{Cli, CliError};
use crate::domain::indicators::{Cell, Indicators};
use crate::domain::message::Lang;
use crate::domain::roles::Read;
use crate::domain::text::sanitize_line;
use crate::domain::week::Week;
use crate::export::indicators as doc;
use crate::export::target::Existing;
use crate::storage::Db;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Html,
    Md,
    Json,
    Csv,
}

impl ReportFormat {
    /// As the audit row of a file names it.
    fn audited(self) -> &'static str {
        match self {
            ReportFormat::Html => "report.html",
            ReportFormat::Md => "report.md",
            ReportFormat::Json => "report.json",
            ReportFormat::Csv => "report.csv",
        }
    }
}

/// What `report` was asked.
pub struct Request {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub pseudonymise: bool,
    pub format: ReportFormat,
}

pub(super) fn run(
    cli: &Cli,
    req: &Request,
    output: Option<&Path>,
    force: bool,
    out: &mut dyn std::io::Write,
) -> Result<(), CliError> {
    let lang = cli.lang();
    if req.from > req.to {
        return Err(CliError::Usage(crate::text::indicators::from_after_to(
            lang, req.from, req.to,
        )));
    }
    let file = output.filter(|p| p.as_os_str() != "-");
    let mut db = super::open_for_output(cli, file)?;
    // Who may not read the report is told so first, whatever the output.
    db.require_read(Read::Report)?;
    let Some(path) = file else {
        let (shown, pseudonymised) = figures(&db, req)?;
        out.write_all(render(&shown, req.format, lang, pseudonymised).as_bytes())?;
        return Ok(());
    };
    let mut cases = 0;
    crate::export::run::text_to_file(&mut db, path, Existing::from_force(force), |db| {
        let (shown, pseudonymised) = figures(db, req)?;
        cases = shown.cases.value().unwrap_or(0) as usize;
        let record = crate::storage::exports::ExportRecord {
            week: Week::containing(req.from).to_string(),
            format: req.format.audited(),
            minutes: false,
            pseudonymised,
            cases,
            file: String::new(),
            attempt: None,
            permission: None,
            protocol_version: None,
        };
        Ok((render(&shown, req.format, lang, pseudonymised), record))
    })?;
    let shown = sanitize_line(&path.display().to_string());
    writeln!(out, "{}", crate::text::indicators::written(lang, &shown))?;
    Ok(())
}

/// The figures of the request (`report::indicators::figures`).
pub fn figures(
    db: &Db,
    req: &Request,
) -> Result<(Indicators<Cell>, bool), crate::storage::StorageError> {
    crate::report::indicators::figures(db, req.from, req.to, req.pseudonymise)
}

/// The report in `format`.
pub fn render(
    i: &Indicators<Cell>,
    format: ReportFormat,
    lang: Lang,
    pseudonymised: bool,
) -> String {
    match format {
        ReportFormat::Html => doc::html(i, lang, pseudonymised),
        ReportFormat::Md => doc::markdown(i, lang, pseudonymised),
        ReportFormat::Csv => doc::csv(i, lang),
        ReportFormat::Json => {
            let body = serde_json::json!({
                "pseudonymised": pseudonymised,
                "indicators": i,
            });
            let mut s = serde_json::to_string_pretty(&body).unwrap_or_default();
            s.push('\n');
            s
        }
    }
}
