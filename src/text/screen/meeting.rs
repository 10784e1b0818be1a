//! The meeting's words on the screen: who is at the keyboard, the week's
//! progress, the agenda's order, the nod through the green cases.

use crate::domain::message::Lang;
use crate::domain::roles::Role;
use crate::text::typo::plural;
use crate::tui::app::Order;

/// Who is logged in, and their role ("read-only" for a login without one).
pub fn who(lang: Lang, login: &str, role: Option<Role>) -> String {
    let login = crate::domain::text::sanitize_line(login);
    match (lang, role) {
        (lang, Some(r)) => format!("{login} ({})", r.label(lang)),
        (Lang::En, None) => format!("{login} (read-only)"),
        (Lang::Fr, None) => format!("{login} (lecture seule)"),
    }
}

/// The week's progress: cases decided, cases still pending.
pub fn progress(lang: Lang, decided: usize, left: usize) -> String {
    match lang {
        Lang::En => format!("decided {decided}, left {left}"),
        Lang::Fr => format!("décidés {decided}, restent {left}"),
    }
}

/// The board's order, as the header names it.
pub fn order(lang: Lang, o: Order) -> String {
    let name = match (lang, o) {
        (Lang::En, Order::Time) => "by time",
        (Lang::En, Order::DiscussFirst) => "to discuss first",
        (Lang::En, Order::Operator) => "by operator",
        (Lang::En, Order::Anaesthesia) => "by anaesthesia",
        (Lang::Fr, Order::Time) => "par heure",
        (Lang::Fr, Order::DiscussFirst) => "à discuter d'abord",
        (Lang::Fr, Order::Operator) => "par opérateur",
        (Lang::Fr, Order::Anaesthesia) => "par anesthésie",
    };
    match lang {
        Lang::En => format!("order: {name}"),
        Lang::Fr => format!("ordre\u{a0}: {name}"),
    }
}

/// The order could not be kept for next time (it still applies now).
pub fn order_not_kept(lang: Lang, why: &str) -> String {
    match lang {
        Lang::En => format!("Order changed for this session only: {why}"),
        Lang::Fr => format!("Ordre changé pour cette session seulement\u{a0}: {why}"),
    }
}

/// The nod's dialog title: how many complete cases with nothing to
/// discuss would be validated.
pub fn nod_title(lang: Lang, n: usize) -> String {
    let count = n as u64;
    match lang {
        Lang::En => format!(
            "Validate {n} {} with nothing to discuss",
            plural(lang, count, "case", "cases")
        ),
        Lang::Fr => format!(
            "Valider {n} {} sans rien à discuter",
            plural(lang, count, "dossier", "dossiers")
        ),
    }
}

/// The nod's dialog when no case qualifies.
pub fn nod_none(lang: Lang) -> &'static str {
    match lang {
        Lang::En => {
            "No pending case of the week is complete with no advisory and no value on file to settle."
        }
        Lang::Fr => {
            "Aucun dossier en attente de la semaine n'est complet sans alerte ni valeur du fichier à trancher."
        }
    }
}

/// What the nod validated, and the cases it skipped (each named).
pub fn nod_done(lang: Lang, validated: usize, skipped: &[String]) -> String {
    let (v, s) = (validated as u64, skipped.len() as u64);
    let names = skipped.join(", ");
    match (lang, skipped.is_empty()) {
        (Lang::En, true) => format!(
            "{validated} {} validated.",
            plural(lang, v, "case", "cases")
        ),
        (Lang::Fr, true) => format!(
            "{validated} {}.",
            plural(lang, v, "dossier validé", "dossiers validés")
        ),
        (Lang::En, false) => format!(
            "{validated} {} validated; {} {} (changed since the list): {names}.",
            plural(lang, v, "case", "cases"),
            skipped.len(),
            plural(lang, s, "skipped", "skipped")
        ),
        (Lang::Fr, false) => format!(
            "{validated} {}\u{a0}; {} {} (modifiés depuis la liste)\u{a0}: {names}.",
            plural(lang, v, "dossier validé", "dossiers validés"),
            skipped.len(),
            plural(lang, s, "écarté", "écartés")
        ),
    }
}

/// Below the nod's list when it does not all fit.
pub fn nod_more(lang: Lang, n: usize) -> String {
    match lang {
        Lang::En => format!("… and {n} more (validated too)"),
        Lang::Fr => format!("… et {n} de plus (validés aussi)"),
    }
}

/// Whether the quorum holds (rules `meeting.quorum`), and who is missing.
pub fn quorum(lang: Lang, missing: &[(Role, u32)]) -> String {
    if missing.is_empty() {
        return match lang {
            Lang::En => "quorum reached".to_owned(),
            Lang::Fr => "quorum atteint".to_owned(),
        };
    }
    let who: Vec<String> = missing
        .iter()
        .map(|(r, n)| match n {
            1 => r.label(lang).to_owned(),
            n => format!("{n} × {}", r.label(lang)),
        })
        .collect();
    let who = who.join(", ");
    match lang {
        Lang::En => format!("quorum: missing {who}"),
        Lang::Fr => format!("quorum\u{a0}: manque {who}"),
    }
}
