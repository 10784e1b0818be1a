//! The import report's lines (`ir-committee import`), French and English.

use crate::domain::message::Lang;
use crate::domain::reimport::Loss;
use crate::domain::text::sanitize_line;
use crate::domain::time::local_time;
use crate::import::CaseItem;
use crate::storage::cases::Change;

/// Said after `import --dry-run`.
pub fn dry_run(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "dry run: nothing was written",
        Lang::Fr => "essai à blanc\u{a0}: rien n'a été écrit",
    }
}

/// `SCH-… coagulation: pending — …`, in the user's language.
pub fn item_line(i: &CaseItem, lang: Lang, tz: chrono_tz::Tz) -> String {
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
        (Lang::Fr, Change::Created) => format!("créé\u{a0}: {file}"),
        (Lang::En, Change::Updated) => format!("updated from the file: {file} (was {stored})"),
        (Lang::Fr, Change::Updated) => {
            format!("mis à jour depuis le fichier\u{a0}: {file} (avant\u{a0}: {stored})")
        }
        (Lang::En, Change::Replaced) => {
            format!("replaced {entry} by the file's, dated later: {file}")
        }
        (Lang::Fr, Change::Replaced) => {
            format!("{entry} remplacée par celle du fichier, plus récente\u{a0}: {file}")
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
                "conservé\u{a0}: saisie plus récente de {by} le {when} ({stored})\u{202f}; le fichier envoie toujours la même valeur"
            ),
            _ => format!(
                "conservé\u{a0}: {entry}\u{202f}; le fichier envoie toujours la même valeur"
            ),
        },
        (Lang::En, Change::Dropped) => {
            format!("conflicting value dropped: the file now sends the stored value ({file})")
        }
        (Lang::Fr, Change::Dropped) => format!(
            "valeur en conflit écartée\u{a0}: le fichier envoie désormais la valeur enregistrée ({file})"
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
                "en attente\u{a0}: la valeur du fichier ({file}) {why} {entry}\u{202f}; bloquant jusqu'à `ir-committee resolve {id} {item} keep|take`"
            )
        }
    };
    format!("{id} {item}{} {text}", crate::text::typo::colon(lang))
}
