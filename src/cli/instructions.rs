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
use crate::domain::text::sanitize_line;
use crate::export::sheet::{SheetError, SheetFormat};
use crate::export::target::Existing;

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
    let mut db = super::open_for_output(cli, file)?;
    // Who may not read the sheet is told so first, whatever the output.
    db.require_read(Read::Instructions)?;
    let Some(path) = file else {
        let text = crate::export::sheet::text(&db, external_id, format, lang).map_err(cli_error)?;
        out.write_all(text.as_bytes())?;
        return Ok(());
    };
    let existing = Existing::from_force(force);
    crate::export::sheet::to_file(&mut db, external_id, format, lang, path, existing)
        .map_err(cli_error)?;
    let shown = sanitize_line(&path.display().to_string());
    let id = sanitize_line(external_id);
    writeln!(
        out,
        "{}",
        crate::text::instructions::written(lang, &shown, &id)
    )?;
    Ok(())
}

fn cli_error(e: SheetError) -> CliError {
    match e {
        SheetError::Storage(e) => CliError::Storage(e),
        SheetError::Refused(r) => CliError::Refused(r),
        SheetError::Export(e) => CliError::Export(e),
    }
}
