//! Every user-facing label outside the rule messages, in French and English.
//! (Rule messages: `domain/rules/message.rs`.)

use crate::domain::message::Lang;
use crate::domain::rules::{Item, Severity, Status};
use crate::domain::scores::{MirelsBand, SinsBand};
use crate::domain::vocab::{Anaesthesia, BleedingRisk, DecisionStatus, Technique};
use crate::text::Label;

mod prune;
mod zone;
pub use prune::*;
pub use zone::*;

/// Labels of one language.
pub struct Texts {
    pub week: &'static str,
    pub cases: &'static str,
    pub complete: &'static str,
    pub blocking: &'static str,
    pub validated: &'static str,
    pub postponed: &'static str,
    pub cancelled: &'static str,
    pub note: &'static str,
    pub no_cases: &'static str,
    pub years: &'static str,
    pub risk: &'static str,
    pub incomplete_score: &'static str,
    pub missing_items: &'static str,
    /// ":" in English, " :" in French typography.
    pub colon: &'static str,
    pub validated_but_blocking: &'static str,
    /// One case's verdict: complete / blocking.
    pub case_complete: &'static str,
    pub case_blocking: &'static str,
    /// The section of the cases postponed into the week, and its count.
    pub to_reschedule: &'static str,
    pub to_reschedule_section: &'static str,
    /// A case to reschedule: why it was postponed.
    pub postponed_because: &'static str,
    pub weekdays: [&'static str; 7],
}

const EN: Texts = Texts {
    week: "Week",
    cases: "cases",
    complete: "complete",
    blocking: "blocking",
    validated: "validated",
    postponed: "postponed",
    cancelled: "cancelled",
    note: "note",
    no_cases: "No procedure scheduled this week.",
    years: "y",
    risk: "bleeding risk",
    incomplete_score: "incomplete",
    missing_items: "missing",
    colon: ":",
    validated_but_blocking: "VALIDATED BUT NOW BLOCKING",
    case_complete: "COMPLETE",
    case_blocking: "BLOCKING",
    to_reschedule: "to reschedule",
    to_reschedule_section: "To reschedule (postponed into this week, not yet given a slot)",
    postponed_because: "postponed",
    weekdays: [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ],
};

const FR: Texts = Texts {
    week: "Semaine",
    cases: "dossiers",
    complete: "complets",
    blocking: "bloquants",
    validated: "validés",
    postponed: "reportés",
    cancelled: "annulés",
    note: "note",
    no_cases: "Aucune intervention prévue cette semaine.",
    years: "ans",
    risk: "risque hémorragique",
    incomplete_score: "incomplet",
    missing_items: "manquant",
    colon: "\u{a0}:",
    validated_but_blocking: "VALIDÉ MAIS DÉSORMAIS BLOQUANT",
    case_complete: "COMPLET",
    case_blocking: "BLOQUANT",
    to_reschedule: "à reprogrammer",
    to_reschedule_section: "À reprogrammer (reportés à cette semaine, sans nouveau créneau)",
    postponed_because: "reporté",
    weekdays: [
        "Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi", "Samedi", "Dimanche",
    ],
};

pub fn texts(lang: Lang) -> &'static Texts {
    match lang {
        Lang::En => &EN,
        Lang::Fr => &FR,
    }
}

pub fn item(lang: Lang, item: Item) -> &'static str {
    item.label(lang)
}

/// A marker that reads without colour: severity first, then status.
pub fn marker(severity: Severity, status: Status) -> &'static str {
    match (severity, status) {
        (Severity::Blocking, _) => "[XX]",
        (Severity::Advisory, _) => "[! ]",
        (_, Status::NotRequired) => "[--]",
        _ => "[ok]",
    }
}

pub fn status(lang: Lang, s: Status) -> &'static str {
    s.label(lang)
}

pub fn decision(lang: Lang, d: DecisionStatus) -> &'static str {
    d.label(lang)
}

pub fn mirels_band(lang: Lang, b: MirelsBand) -> &'static str {
    b.label(lang)
}

pub fn sins_band(lang: Lang, b: SinsBand) -> &'static str {
    b.label(lang)
}

pub fn technique(lang: Lang, t: Technique) -> &'static str {
    t.label(lang)
}

pub fn anaesthesia(lang: Lang, a: Anaesthesia) -> &'static str {
    a.label(lang)
}

pub fn risk(lang: Lang, r: BleedingRisk) -> &'static str {
    r.label(lang)
}

/// What `init` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Init {
    Created,
    /// Created with the server's time zone (no `--timezone`).
    CreatedServerZone,
    Already,
    /// Already initialised with another zone than the one asked for.
    KeptZone {
        asked: chrono_tz::Tz,
    },
}

impl Init {
    pub fn render(self, lang: Lang, path: &str, tz: chrono_tz::Tz) -> String {
        match (lang, self) {
            (Lang::En, Init::Created) => format!("{path}: created (time zone {tz})"),
            (Lang::Fr, Init::Created) => format!("{path}\u{a0}: créée (fuseau horaire {tz})"),
            (Lang::En, Init::CreatedServerZone) => format!(
                "{path}: created (time zone {tz}, the server's; the hospital's zone can be given with --timezone, e.g. Europe/Paris)"
            ),
            (Lang::Fr, Init::CreatedServerZone) => format!(
                "{path}\u{a0}: créée (fuseau horaire {tz}, celui du serveur\u{202f}; celui de l'hôpital se donne avec --timezone, p. ex. Europe/Paris)"
            ),
            (Lang::En, Init::Already) => format!("{path}: already initialised (time zone {tz})"),
            (Lang::Fr, Init::Already) => {
                format!("{path}\u{a0}: déjà initialisée (fuseau horaire {tz})")
            }
            (Lang::En, Init::KeptZone { asked }) => format!(
                "{path}: already initialised with time zone {tz}; --timezone {asked} was not applied"
            ),
            (Lang::Fr, Init::KeptZone { asked }) => format!(
                "{path}\u{a0}: déjà initialisée avec le fuseau horaire {tz}\u{202f}; --timezone {asked} n'a pas été appliqué"
            ),
        }
    }
}

/// The one-line summary of an import, then the updated ids.
pub fn import_summary(lang: Lang, file: &str, r: &crate::import::ImportReport) -> String {
    let (c, u, n) = (r.created.len(), r.updated.len(), r.unchanged.len());
    let mut s = match lang {
        Lang::En => format!("{file}: {c} created, {u} updated, {n} unchanged"),
        Lang::Fr => format!("{file}\u{a0}: créés {c}, mis à jour {u}, inchangés {n}"),
    };
    if !r.updated.is_empty() {
        let label = match lang {
            Lang::En => "updated: ",
            Lang::Fr => "mis à jour\u{a0}: ",
        };
        s.push('\n');
        s.push_str(label);
        s.push_str(&r.updated.join(", "));
    }
    s
}

pub fn warning(lang: Lang, text: &str) -> String {
    match lang {
        Lang::En => format!("warning: {text}"),
        Lang::Fr => format!("attention\u{a0}: {text}"),
    }
}

pub fn validated_now_blocking(lang: Lang, id: &str, items: &str) -> String {
    match lang {
        Lang::En => format!("{id} is validated but now blocking: {items}"),
        Lang::Fr => format!("{id} est validé mais désormais bloquant\u{a0}: {items}"),
    }
}

pub fn demo_ready(lang: Lang, path: &str, s: &crate::demo::Summary) -> String {
    match lang {
        Lang::En => format!(
            "demo database ready: {path} ({} cases in week {}, {} past cases)",
            s.cases, s.week, s.synthetic
        ),
        Lang::Fr => format!(
            "base de démonstration prête\u{a0}: {path} ({} dossiers semaine {}, {} dossiers passés)",
            s.cases, s.week, s.synthetic
        ),
    }
}

/// A score item's name (`site`, `pain`, … as in the JSON breakdown).
pub fn score_item(lang: Lang, name: &str) -> &str {
    match (lang, name) {
        (Lang::Fr, "site") => "site",
        (Lang::Fr, "pain") => "douleur",
        (Lang::Fr, "size") => "taille",
        (Lang::Fr, "appearance") => "aspect",
        (Lang::Fr, "location") => "localisation",
        (Lang::Fr, "lesion") => "lésion",
        (Lang::Fr, "alignment") => "alignement",
        (Lang::Fr, "collapse") => "tassement",
        (Lang::Fr, "posterolateral") => "atteinte postérolatérale",
        (_, other) => other,
    }
}

/// How the text report marks each item, for the legend.
pub fn legend(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "[ok] ok   [! ] advisory   [XX] blocking   [--] not required",
        Lang::Fr => "[ok] conforme   [! ] à signaler   [XX] bloquant   [--] non requis",
    }
}

/// The first line of a pseudonymised `check` (what a viewer reads).
pub fn pseudonymised_header(lang: Lang) -> &'static str {
    match lang {
        Lang::En => {
            "PSEUDONYMISED: initials for names, ages for birth dates, P-… for the IPP, C-… for the case id; notes, reasons and justifications left out"
        }
        Lang::Fr => {
            "PSEUDONYMISÉ\u{a0}: initiales au lieu des noms, âges au lieu des dates de naissance, P-… pour l'IPP, C-… pour l'identifiant du cas\u{202f}; notes, motifs et justifications omis"
        }
    }
}

// ---- The screen's messages that also serve the command line ----

pub fn reason_required(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "a reason is required",
        Lang::Fr => "un motif est obligatoire",
    }
}

pub fn note_empty(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "the note is empty",
        Lang::Fr => "la note est vide",
    }
}

// ---- Decisions: moved to `crate::text::decide` ----
pub use crate::text::decide::{decide_cli_hint, decide_refusal, decided, decision_line};
