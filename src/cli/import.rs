//! `import` (with its per-item report and `--dry-run`) and `resolve` (keep
//! or take a file value that lost to what is stored).

use super::{CliError, Format, ResolveChoice, show};
use crate::domain::message::Lang;
use crate::domain::reimport::{Field, summary};
use crate::domain::text::sanitize_line;
use crate::import::{self, ImportReport, Mode};
use crate::storage::reimport::{self, Choice};
use crate::storage::{Db, StorageError, read};
use crate::text::words;

/// Imports `file` (or says what it would do), and prints the report.
pub(super) fn run(
    db: &mut Db,
    file: &std::path::Path,
    dry_run: bool,
    format: Format,
    lang: Lang,
    out: &mut dyn std::io::Write,
) -> Result<(), CliError> {
    let mode = if dry_run { Mode::DryRun } else { Mode::Write };
    let r = import::import_file(db, file, mode)?;
    if let Format::Json = format {
        super::json::write(out, &r)?;
        return Ok(());
    }
    let tz = db.timezone()?;
    if dry_run {
        writeln!(out, "{}", crate::text::import::dry_run(lang))?;
    }
    writeln!(out, "{}", words::import_summary(lang, &show(file), &r))?;
    for line in item_lines(&r, lang, tz) {
        writeln!(out, "{line}")?;
    }
    for w in &r.warnings {
        writeln!(out, "{}", words::warning(lang, &sanitize_line(w)))?;
    }
    for case in &r.validated_now_blocking {
        writeln!(out, "{}", now_blocking_line(lang, case))?;
    }
    Ok(())
}

/// `warning: ID is validated but now blocking: ITEMS`.
fn now_blocking_line(lang: Lang, case: &import::NowBlocking) -> String {
    let items: Vec<&str> = case.items.iter().map(|i| words::item(lang, *i)).collect();
    let w =
        words::validated_now_blocking(lang, &sanitize_line(&case.external_id), &items.join(", "));
    words::warning(lang, &w)
}

/// One line per item of a case that existed before the import (a new case
/// is counted as created; `--format json` lists its items too).
fn item_lines(r: &ImportReport, lang: Lang, tz: chrono_tz::Tz) -> Vec<String> {
    let created: std::collections::HashSet<&str> = r.created.iter().map(String::as_str).collect();
    r.items
        .iter()
        .filter(|i| !created.contains(i.external_id.as_str()))
        .map(|i| crate::text::import::item_line(i, lang, tz))
        .collect()
}

/// `resolve EXTERNAL_ID ITEM keep|take`.
pub(super) fn resolve(
    db: &mut Db,
    external_id: &str,
    item: &str,
    choice: ResolveChoice,
    lang: Lang,
    out: &mut dyn std::io::Write,
) -> Result<(), CliError> {
    let field = Field::parse(item).ok_or_else(|| CliError::NotAnItem {
        item: sanitize_line(item),
    })?;
    let case = read::by_external_id(db, external_id)?;
    let Some(pending) = case.pending.iter().find(|p| p.item == field.as_str()) else {
        return Err(StorageError::NoPending(format!(
            "{} {}",
            sanitize_line(external_id),
            field.as_str()
        ))
        .into());
    };
    let value = summary(&pending.value);
    let choice = match choice {
        ResolveChoice::Keep => Choice::Keep,
        ResolveChoice::Take => Choice::Take,
    };
    // The choice is made on the values read here: if an import or a form
    // changed them in between, nothing is written.
    let shown = reimport::Shown {
        source: pending.source.clone(),
        value: pending.value.clone(),
        version: reimport::stored_version(&case, field),
    };
    db.write_as(&crate::storage::needs::resolve(case.id, field), |w| {
        reimport::resolve_shown(w, case.id, field, &shown, choice)
    })?;
    let id = sanitize_line(external_id);
    let value = sanitize_line(&value);
    let line = match (lang, choice) {
        (Lang::En, Choice::Keep) => {
            format!("{id} {field}: the stored value is kept; the file's ({value}) is dropped")
        }
        (Lang::Fr, Choice::Keep) => {
            format!(
                "{id} {field} : la valeur enregistrée est conservée ; celle du fichier ({value}) est écartée"
            )
        }
        (Lang::En, Choice::Take) => format!("{id} {field}: the file's value is taken: {value}"),
        (Lang::Fr, Choice::Take) => {
            format!("{id} {field} : la valeur du fichier est retenue : {value}")
        }
    };
    writeln!(out, "{line}")?;
    // Taking the file's value may make a validated case blocking.
    if choice == Choice::Take {
        let (rules, tz) = (db.rules()?, db.timezone()?);
        let ctx = crate::domain::rules::Context { rules: &rules, tz };
        let case = read::by_id(db, case.id)?;
        let a = crate::domain::assess::Assessment::of_stored(&case, &ctx);
        let items = a.now_blocking(&case);
        if !items.is_empty() {
            let now = import::NowBlocking {
                external_id: case.file.external_id.clone(),
                items,
            };
            writeln!(out, "{}", now_blocking_line(lang, &now))?;
        }
    }
    Ok(())
}
