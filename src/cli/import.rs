//! `import` (with its per-item report and `--dry-run`) and `resolve` (keep
//! or take a file value that lost to what is stored).

use super::{CliError, Format, ResolveChoice, show};
use crate::domain::message::Lang;
use crate::domain::reimport::{Field, Loss, summary};
use crate::domain::text::sanitize_line;
use crate::domain::time::local_time;
use crate::import::{self, CaseItem, ImportReport, Mode};
use crate::storage::cases::Change;
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
        writeln!(out, "{}", dry_run_line(lang))?;
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

fn dry_run_line(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "dry run: nothing was written",
        Lang::Fr => "essai à blanc : rien n'a été écrit",
    }
}

/// One line per item of a case that existed before the import (a new case
/// is counted as created; `--format json` lists its items too).
fn item_lines(r: &ImportReport, lang: Lang, tz: chrono_tz::Tz) -> Vec<String> {
    let created: std::collections::HashSet<&str> = r.created.iter().map(String::as_str).collect();
    r.items
        .iter()
        .filter(|i| !created.contains(i.external_id.as_str()))
        .map(|i| item_line(i, lang, tz))
        .collect()
}

/// `SCH-… coagulation: pending — …`, in the user's language.
pub(super) fn item_line(i: &CaseItem, lang: Lang, tz: chrono_tz::Tz) -> String {
    let it = &i.item;
    let id = sanitize_line(&i.external_id);
    let file = sanitize_line(&it.value);
    let stored = it.stored.as_deref().map(sanitize_line).unwrap_or_default();
    let by = it.by.as_deref().map(sanitize_line);
    let when = it
        .at
        .as_deref()
        .map(|a| local_time(a, tz))
        .unwrap_or_default();
    // Who the stored value is owed to: a person's form, a file, or a file
    // value a person took.
    let from = it.from.as_deref().map(sanitize_line);
    let file_of = |f: &str| {
        f.trim_start_matches("resolve:")
            .trim_start_matches("import:")
            .to_owned()
    };
    let entry = match (lang, &by, from.as_deref()) {
        (Lang::En, Some(by), Some(f)) if f.starts_with("resolve:") => format!(
            "the value of {} that {by} took on {when} ({stored})",
            file_of(f)
        ),
        (Lang::Fr, Some(by), Some(f)) if f.starts_with("resolve:") => format!(
            "la valeur de {} retenue par {by} le {when} ({stored})",
            file_of(f)
        ),
        (Lang::En, Some(by), Some(f)) if f != "edit" => format!(
            "the value imported from {} by {by} on {when} ({stored})",
            file_of(f)
        ),
        (Lang::Fr, Some(by), Some(f)) if f != "edit" => format!(
            "la valeur importée de {} par {by} le {when} ({stored})",
            file_of(f)
        ),
        (Lang::En, Some(by), _) => format!("the entry by {by} on {when} ({stored})"),
        (Lang::Fr, Some(by), _) => format!("la saisie de {by} le {when} ({stored})"),
        (Lang::En, None, _) => format!("the stored value ({stored})"),
        (Lang::Fr, None, _) => format!("la valeur enregistrée ({stored})"),
    };
    let typed = from.as_deref() == Some("edit");
    let item = it.item.as_str();
    let text = match (lang, it.change) {
        (Lang::En, Change::Created) => format!("created: {file}"),
        (Lang::Fr, Change::Created) => format!("créé : {file}"),
        (Lang::En, Change::Updated) => format!("updated from the file: {file} (was {stored})"),
        (Lang::Fr, Change::Updated) => {
            format!("mis à jour depuis le fichier : {file} (avant : {stored})")
        }
        (Lang::En, Change::Replaced) => {
            format!("replaced {entry} by the file's, dated later: {file}")
        }
        (Lang::Fr, Change::Replaced) => {
            format!("{entry} remplacée par celle du fichier, plus récente : {file}")
        }
        (Lang::En, Change::Merged) => format!("the file's new studies ({file}) added to {entry}"),
        (Lang::Fr, Change::Merged) => {
            format!("nouveaux examens du fichier ({file}) ajoutés à {entry}")
        }
        (Lang::En, Change::Kept) => match &by {
            Some(by) if typed => format!(
                "kept: newer entry by {by} on {when} ({stored}); the file still sends what it sent before"
            ),
            _ => format!("kept: {entry}; the file still sends what it sent before"),
        },
        (Lang::Fr, Change::Kept) => match &by {
            Some(by) if typed => format!(
                "conservé : saisie plus récente de {by} le {when} ({stored}) ; le fichier envoie toujours la même valeur"
            ),
            _ => format!("conservé : {entry} ; le fichier envoie toujours la même valeur"),
        },
        (Lang::En, Change::Dropped) => {
            format!("conflicting value dropped: the file now sends the stored value ({file})")
        }
        (Lang::Fr, Change::Dropped) => format!(
            "valeur en conflit écartée : le fichier envoie désormais la valeur enregistrée ({file})"
        ),
        (Lang::En, Change::Pending) => {
            let why = match it.loss {
                Some(Loss::Older) => "dated earlier than",
                Some(Loss::SameDate) => "dated the same day as",
                _ => "differs from",
            };
            format!(
                "pending: the file's value ({file}) {why} {entry}; blocking until someone runs `ir-committee resolve {id} {item} keep|take`"
            )
        }
        (Lang::Fr, Change::Pending) => {
            let why = match it.loss {
                Some(Loss::Older) => "est plus ancienne que",
                Some(Loss::SameDate) => "est du même jour que",
                _ => "diffère de",
            };
            format!(
                "en attente : la valeur du fichier ({file}) {why} {entry} ; bloquant jusqu'à `ir-committee resolve {id} {item} keep|take`"
            )
        }
    };
    format!("{id} {item}{} {text}", crate::text::typo::colon(lang))
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
    let field = Field::parse(item).ok_or_else(|| {
        CliError::Usage(format!(
            "'{}' is not an item: one of {}",
            sanitize_line(item),
            Field::all()
                .map(Field::as_str)
                .collect::<Vec<_>>()
                .join(", ")
        ))
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
