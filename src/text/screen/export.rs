//! The strings of the attendance list and the export dialog, in French
//! and English.

use crate::domain::message::Lang;
use crate::text::typo::plural;

pub struct ExportTexts {
    pub attendance_title: &'static str,
    pub add_name: &'static str,
    pub export_title: &'static str,
    pub format: &'static str,
    pub content: &'static str,
    pub programme: &'static str,
    pub minutes: &'static str,
    pub pseudonymise: &'static str,
    pub file: &'static str,
    pub yes: &'static str,
    pub no: &'static str,
    pub viewer_pseudonymised: &'static str,
    pub export_hint: &'static str,
}

const EN: ExportTexts = ExportTexts {
    attendance_title: "Present at this week's meeting",
    add_name: "Someone else:",
    export_title: "Export",
    format: "Format",
    content: "Content",
    programme: "validated programme",
    minutes: "minutes of the meeting (html, md)",
    pseudonymise: "Pseudonymised",
    file: "File",
    yes: "yes",
    no: "no",
    viewer_pseudonymised: "(a viewer exports pseudonymised only)",
    export_hint: "The file is created readable by you alone (0600); the export is audited.",
};

const FR: ExportTexts = ExportTexts {
    attendance_title: "Présents à la séance de la semaine",
    add_name: "Autre personne\u{a0}:",
    export_title: "Exporter",
    format: "Format",
    content: "Contenu",
    programme: "programme validé",
    minutes: "compte rendu de séance (html, md)",
    pseudonymise: "Pseudonymisé",
    file: "Fichier",
    yes: "oui",
    no: "non",
    viewer_pseudonymised: "(un lecteur n'exporte que pseudonymisé)",
    export_hint: "Le fichier n'est lisible que par vous (0600)\u{a0}; l'export est tracé.",
};

pub fn export_texts(lang: Lang) -> &'static ExportTexts {
    match lang {
        Lang::En => &EN,
        Lang::Fr => &FR,
    }
}

pub fn attendance_saved(lang: Lang, n: usize) -> String {
    let count = n as u64;
    match lang {
        Lang::En => format!("Attendance saved: {n} present."),
        Lang::Fr => format!(
            "Présence enregistrée\u{a0}: {n} {}.",
            plural(lang, count, "présent", "présents")
        ),
    }
}

pub fn minutes_html_md(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "The minutes are written in html or md: choose one of those formats.",
        Lang::Fr => "Le compte rendu s'écrit en html ou md\u{a0}: choisissez l'un de ces formats.",
    }
}

/// After an export from the screen: where the file went.
pub fn exported(lang: Lang, path: &str, validated: usize, minutes: bool) -> String {
    let path = crate::domain::text::sanitize_line(path);
    let count = validated as u64;
    match (lang, minutes) {
        (Lang::En, false) => format!(
            "Exported {validated} validated {} to {path}",
            plural(lang, count, "procedure", "procedures")
        ),
        (Lang::En, true) => format!("Minutes written to {path}"),
        (Lang::Fr, false) => format!(
            "{validated} {} dans {path}",
            plural(
                lang,
                count,
                "intervention validée exportée",
                "interventions validées exportées"
            )
        ),
        (Lang::Fr, true) => format!("Compte rendu écrit dans {path}"),
    }
}

/// Why an export from the screen failed, in the screen's words (the
/// command line's say which option to add; here the dialog has them).
/// `again` is the key that confirms (from the key table).
pub fn export_error(lang: Lang, e: &crate::export::ExportError, again: &str) -> String {
    use crate::export::ExportError as E;
    let fr = lang == Lang::Fr;
    let clean = crate::domain::text::sanitize_line;
    match e {
        E::MinutesFormat(_) => minutes_html_md(lang).to_owned(),
        E::NoPseudonymKey if fr => "Pas de clé de pseudonymisation\u{a0}: l'administrateur doit en installer une (voir docs/deployment.md).".into(),
        E::NoPseudonymKey => "No pseudonym key: the administrator must install one (see docs/deployment.md).".into(),
        E::PseudonymKey { path, reason } if fr => {
            format!("Clé de pseudonymisation {} inutilisable\u{a0}: {}", clean(path), clean(reason))
        }
        E::PseudonymKey { path, reason } => {
            format!("Pseudonym key {} unusable: {}", clean(path), clean(reason))
        }
        E::ViewerNeedsPseudonym if fr => "Un lecteur n'exporte que pseudonymisé.".into(),
        E::ViewerNeedsPseudonym => "A viewer exports pseudonymised only.".into(),
        E::Write { path, reason } if fr => {
            format!("Impossible d'écrire {}\u{a0}: {}", clean(path), clean(reason))
        }
        E::Write { path, reason } => format!("Cannot write {}: {}", clean(path), clean(reason)),
        E::OntoDatabase { path, file } if fr => format!(
            "Pas d'export\u{a0}: {} est la base de données ({})\u{a0}; choisissez un autre fichier.",
            clean(path),
            clean(file)
        ),
        E::OntoDatabase { path, file } => format!(
            "Not exported: {} is the database ({}); choose another file.",
            clean(path),
            clean(file)
        ),
        E::OntoSqlite { path } if fr => format!(
            "Pas d'export\u{a0}: {} est une base SQLite\u{a0}; choisissez un autre fichier.",
            clean(path)
        ),
        E::OntoSqlite { path } => format!(
            "Not exported: {} is a SQLite database; choose another file.",
            clean(path)
        ),
        E::Exists { path } if fr => {
            format!("{} existe\u{a0}: {again} de nouveau pour le remplacer.", clean(path))
        }
        E::Exists { path } => format!("{} exists: {again} again to replace it.", clean(path)),
        other => clean(&crate::text::error::export::export(lang, other)),
    }
}
