//! `export-cases`: the registry extract (issue 15 §5), one row per
//! procedure of a period, always pseudonymised with a key of its own
//! (`export::registry`; columns and guarantees in
//! `docs/registry-extract.md`). The chair's only (`Read::ExportCases`, and
//! `Permission::ExportCases` where the export is recorded): anyone else is
//! refused in one line before anything is read or written. Traced as ONE
//! read row per run (the period, no case) and recorded as an export (the
//! audit row, `cases.csv` or `cases.json`); written as every export is
//! (`export::run::text_to_file`: mode 0600, never over a file without
//! `--force`, never over the database), or to a pipe with `--output -`
//! (never to a terminal).

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use clap::ValueEnum;

use super::{Cli, CliError};
use crate::domain::roles::{Permission, Read};
use crate::domain::text::sanitize_line;
use crate::domain::week::Week;
use crate::export::registry;
use crate::export::target::Existing;
use crate::export::{ExportError, run};
use crate::storage::Db;
use crate::storage::audit::reads::{self, What};
use crate::storage::exports::ExportRecord;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CasesFormat {
    Csv,
    Json,
}

impl CasesFormat {
    fn ext(self) -> &'static str {
        match self {
            CasesFormat::Csv => "csv",
            CasesFormat::Json => "json",
        }
    }

    /// As the audit row of the export names it.
    fn audited(self) -> &'static str {
        match self {
            CasesFormat::Csv => "cases.csv",
            CasesFormat::Json => "cases.json",
        }
    }
}

/// What `export-cases` was asked.
pub struct Request {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub format: CasesFormat,
}

/// The file name when none is given: `registry-extract-2026-01-01-2026-12-31.csv`.
pub fn default_name(req: &Request) -> String {
    format!(
        "registry-extract-{}-{}.{}",
        req.from,
        req.to,
        req.format.ext()
    )
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
    let to_stdout = output.is_some_and(|p| p.as_os_str() == "-");
    if to_stdout && std::io::stdout().is_terminal() {
        // Data is never printed to a terminal outside the screen.
        return Err(ExportError::Terminal.into());
    }
    let mut db = Db::open(&cli.db_path(), cli.opening()?)?;
    // Who may not take the extract is told so first: nothing is read,
    // traced or written.
    db.require_read(Read::ExportCases)?;
    if to_stdout {
        let text = run::text_to_stdout(&mut db, |db| extract(db, req))?;
        out.write_all(text.as_bytes())?;
        return Ok(());
    }
    let path = output.map_or_else(|| PathBuf::from(default_name(req)), Path::to_path_buf);
    let mut procedures = 0;
    run::text_to_file(&mut db, &path, Existing::from_force(force), |db| {
        let (text, record) = extract(db, req)?;
        procedures = record.cases;
        Ok((text, record))
    })?;
    let shown = sanitize_line(&path.display().to_string());
    writeln!(
        out,
        "{}",
        crate::text::export::cases_exported(lang, &shown, procedures)
    )?;
    Ok(())
}

/// Reads the period's procedures (the read table first), traces the read
/// as one row, pseudonymises them under a key drawn now and dropped when
/// the text is built, and renders the extract with its audit record.
fn extract(db: &mut Db, req: &Request) -> Result<(String, ExportRecord), ExportError> {
    db.require_read(Read::ExportCases)?;
    let procedures = crate::storage::registry::procedures(db, req.from, req.to)?;
    reads::trace(
        db,
        What::ExportCases,
        Some(&format!("{}..{} {}", req.from, req.to, req.format.ext())),
        &[],
    )?;
    let rows = {
        let key = registry::Key::random().map_err(|e| ExportError::RandomKey(e.to_string()))?;
        registry::rows(&procedures, &key)
    };
    let text = match req.format {
        CasesFormat::Csv => registry::csv(&rows),
        CasesFormat::Json => registry::json(&rows, req.from, req.to),
    };
    let record = ExportRecord {
        week: Week::containing(req.from).to_string(),
        format: req.format.audited(),
        minutes: false,
        pseudonymised: true,
        cases: rows.len(),
        file: String::new(),
        attempt: None,
        permission: Some(Permission::ExportCases),
        protocol_version: None,
    };
    Ok((text, record))
}
