//! The strings of the conflicting file values dialog (P), in French and
//! English.

use crate::domain::message::Lang;
use crate::domain::reimport::Field;
use crate::domain::text::sanitize_line;
use crate::storage::reimport::Choice;

pub struct ResolveTexts {
    pub title: &'static str,
    pub intro: &'static str,
    pub stored: &'static str,
    pub file: &'static str,
    pub nothing_stored: &'static str,
}

const EN: ResolveTexts = ResolveTexts {
    title: "Conflicting values on file",
    intro: "A file sent these values after a person recorded the item: for each, keep what is stored or take the file's. Either choice is audited.",
    stored: "stored:",
    file: "file:",
    nothing_stored: "(nothing stored)",
};

const FR: ResolveTexts = ResolveTexts {
    title: "Valeurs du fichier en conflit",
    intro: "Un fichier a envoyé ces valeurs après une saisie\u{a0}: pour chacune, gardez ce qui est enregistré ou prenez celle du fichier. Chaque choix est tracé.",
    stored: "enregistré\u{a0}:",
    file: "fichier\u{a0}:",
    nothing_stored: "(rien d'enregistré)",
};

pub fn resolve_texts(lang: Lang) -> &'static ResolveTexts {
    match lang {
        Lang::En => &EN,
        Lang::Fr => &FR,
    }
}

/// The name of the item a pending value is for: the form's name for an
/// evidence object, the schedule field's (capitalised) otherwise.
pub fn pending_item(lang: Lang, field: Field) -> String {
    match field {
        Field::Evidence(kind) => super::evidence(lang, kind).to_owned(),
        Field::Schedule(_) => crate::text::typo::capital(field.label(lang)),
    }
}

/// Why the file's value lost (`older`, `same_date`, `undated` as stored).
pub fn loss_reason(lang: Lang, loss: &str) -> String {
    let fr = lang == Lang::Fr;
    match loss {
        "older" if fr => "datée d'avant la valeur enregistrée".into(),
        "older" => "dated earlier than the stored value".into(),
        "same_date" if fr => "même date que la valeur enregistrée, et les deux ont changé".into(),
        "same_date" => "same date as the stored value, and both changed".into(),
        "undated" if fr => "pas de date pour départager, et les deux ont changé".into(),
        "undated" => "no date to decide by, and both changed".into(),
        other => sanitize_line(other),
    }
}

/// Where a pending value came from, when, who imported it, and why it lost.
pub fn pending_origin(lang: Lang, origin: &str, at: &str, by: &str, why: &str) -> String {
    let (origin, at, by) = (sanitize_line(origin), sanitize_line(at), sanitize_line(by));
    match lang {
        Lang::En => format!("from {origin}, {at} ({by}) — {why}"),
        Lang::Fr => format!("venue de {origin}, le {at} ({by}) — {why}"),
    }
}

/// P on a case without a pending value.
pub fn no_pending(lang: Lang, external_id: &str) -> String {
    let id = sanitize_line(external_id);
    match lang {
        Lang::En => format!("No conflicting value on file for {id}: nothing to keep or take."),
        Lang::Fr => {
            format!(
                "Aucune valeur du fichier en conflit pour {id}\u{a0}: rien à garder ni à prendre."
            )
        }
    }
}

/// The question after k or t, with the values it is about; `yes` and `no`
/// are the keys (from the key table).
pub fn resolve_confirm(
    lang: Lang,
    choice: Choice,
    item: &str,
    stored: &str,
    file: &str,
    yes: &str,
    no: &str,
) -> String {
    let (stored, file) = (sanitize_line(stored), sanitize_line(file));
    match (lang, choice) {
        (Lang::En, Choice::Keep) => format!(
            "{item}: keep the stored value ({stored}) and drop the file's ({file})? {yes}: yes · {no}: no"
        ),
        (Lang::Fr, Choice::Keep) => format!(
            "{item}\u{a0}: garder la valeur enregistrée ({stored}) et écarter celle du fichier ({file})\u{a0}? {yes}\u{a0}: oui · {no}\u{a0}: non"
        ),
        (Lang::En, Choice::Take) => format!(
            "{item}: take the file's value ({file}) in place of the stored one ({stored})? {yes}: yes · {no}: no"
        ),
        (Lang::Fr, Choice::Take) => format!(
            "{item}\u{a0}: prendre la valeur du fichier ({file}) à la place de l'enregistrée ({stored})\u{a0}? {yes}\u{a0}: oui · {no}\u{a0}: non"
        ),
    }
}

/// After a choice was written.
pub fn resolved(lang: Lang, choice: Choice, item: &str, file: &str) -> String {
    let file = sanitize_line(file);
    match (lang, choice) {
        (Lang::En, Choice::Keep) => {
            format!("{item}: the stored value is kept; the file's ({file}) is dropped (audited).")
        }
        (Lang::Fr, Choice::Keep) => format!(
            "{item}\u{a0}: la valeur enregistrée est conservée\u{a0}; celle du fichier ({file}) est écartée (tracé)."
        ),
        (Lang::En, Choice::Take) => {
            format!("{item}: the file's value is taken: {file} (audited).")
        }
        (Lang::Fr, Choice::Take) => {
            format!("{item}\u{a0}: la valeur du fichier est retenue\u{a0}: {file} (tracé).")
        }
    }
}

/// A choice refused because what was shown changed meanwhile.
pub fn changed_since_shown(lang: Lang) -> &'static str {
    match lang {
        Lang::En => {
            "Changed meanwhile (an import, a form, or someone chose): nothing written. The values shown are the current ones: choose again."
        }
        Lang::Fr => {
            "Modifié entre-temps (un import, un formulaire, ou quelqu'un a choisi)\u{a0}: rien n'est écrit. Les valeurs affichées sont les actuelles\u{a0}: choisissez de nouveau."
        }
    }
}
