//! `export`: the week's programme or minutes to a file (or a pipe).

use std::io::IsTerminal;
use std::path::Path;

use super::{Cli, CliError};
use crate::export::run::{self, Request};
use crate::export::target::Existing;
use crate::export::{ExportError, Format};
use crate::storage::Db;

pub(super) fn parse_format(s: &str) -> Result<Format, String> {
    Format::parse(s).ok_or_else(|| {
        let all: Vec<&str> = Format::ALL.iter().map(|f| f.as_str()).collect();
        format!(
            "'{s}' is not an export format (expected one of: {})",
            all.join(", ")
        )
    })
}

pub(super) fn run(
    cli: &Cli,
    req: Request,
    output: Option<&Path>,
    force: bool,
    out: &mut dyn std::io::Write,
) -> Result<(), CliError> {
    let to_stdout = output.is_some_and(|p| p.as_os_str() == "-");
    if to_stdout && std::io::stdout().is_terminal() {
        // Data is never printed to a terminal outside the screen.
        return Err(ExportError::Terminal.into());
    }
    let path = match output {
        Some(p) if !to_stdout => p.to_path_buf(),
        _ => run::default_name(&req).into(),
    };
    let mut db = Db::open(&cli.db_path(), cli.opening()?)?;
    if to_stdout {
        let text = run::for_stdout(&mut db, req)?;
        out.write_all(text.as_bytes())?;
        return Ok(());
    }
    let existing = Existing::from_force(force);
    let programme = run::to_file(&mut db, req.clone(), &path, existing)?;
    writeln!(
        out,
        "{}",
        crate::text::export::exported(
            cli.lang(),
            &crate::domain::text::sanitize_line(&path.display().to_string()),
            programme.validated.len(),
            programme.set_apart.len(),
            req.minutes,
        )
    )?;
    Ok(())
}
