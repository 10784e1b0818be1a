//! `rules document`: the local protocol as a document (issue 17), to the
//! standard output or a file. French unless `--lang` says otherwise: the
//! department signs a French document, whatever the reader's locale.

use std::path::Path;

use super::{Cli, CliError, LangArg};
use crate::domain::roles::Read;
use crate::domain::text::sanitize_line;
use crate::export::protocol::{self, DocFormat};
use crate::export::target::Existing;
use crate::storage::Db;
use crate::text::Lang;

pub(super) fn run(
    cli: &Cli,
    format: DocFormat,
    output: Option<&Path>,
    force: bool,
    out: &mut dyn std::io::Write,
) -> Result<(), CliError> {
    let lang = match cli.lang {
        Some(LangArg::En) => Lang::En,
        Some(LangArg::Fr) | None => Lang::Fr,
    };
    let db = Db::open_for_reading(&cli.db_path(), cli.opening()?)?;
    db.require_read(Read::RulesList)?;
    let text = protocol::document(&db, format, lang)?;
    match output.filter(|p| p.as_os_str() != "-") {
        None => out.write_all(text.as_bytes())?,
        Some(path) => {
            protocol::to_file(&db, path, Existing::from_force(force), &text)?;
            let shown = sanitize_line(&path.display().to_string());
            writeln!(
                out,
                "{}",
                crate::text::protocol_doc::written(cli.lang(), &shown)
            )?;
        }
    }
    Ok(())
}
