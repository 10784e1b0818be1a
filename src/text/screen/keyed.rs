//! Sentences that name keys. The keys are never written here: each is a
//! parameter the caller fills from the key table (`tui::keys::keys_of`),
//! so a sentence cannot name a key the table does not bind
//! (`tui/keys/names_tests.rs` checks no other sentence names one).

use crate::domain::message::Lang;
use crate::text::typo::{Medium, finish};

/// French spacing for the screen (`text::typo`).
fn fr(s: String) -> String {
    finish(Lang::Fr, Medium::Screen, &s)
}

/// The attendance list's help line: `toggle` ticks a person, `add` adds
/// the typed name, `role` gives it its role (the quorum), `save` saves.
pub fn attendance_hint(lang: Lang, toggle: &str, add: &str, role: &str, save: &str) -> String {
    match lang {
        Lang::En => format!(
            "{toggle} ticks a person; type a name on the last line and {add} adds it, {role} gives it its role (quorum); {save} saves."
        ),
        Lang::Fr => fr(format!(
            "{toggle} coche une personne\u{a0}; tapez un nom sur la dernière ligne, {add} l'ajoute, {role} lui donne son rôle (quorum)\u{a0}; {save} enregistre."
        )),
    }
}

/// A form saved over someone else's save: `again` confirms, `revert`
/// goes back to theirs.
pub fn confirm_replace(lang: Lang, again: &str, revert: &str) -> String {
    match lang {
        Lang::En => format!(
            "{again} again saves your form over theirs; {revert} goes back to what they saved."
        ),
        Lang::Fr => fr(format!(
            "{again} de nouveau enregistre votre formulaire à la place du sien\u{a0}; {revert} revient au sien."
        )),
    }
}

/// An empty list saved as "none": `again` confirms.
pub fn confirm_none_taken(lang: Lang, again: &str) -> String {
    match lang {
        Lang::En => format!(
            "Nothing in the list: {again} again records \"no anticoagulant or antiplatelet taken\"."
        ),
        Lang::Fr => fr(format!(
            "Liste vide\u{a0}: {again} de nouveau enregistre «\u{a0}aucun anticoagulant ni antiagrégant\u{a0}»."
        )),
    }
}

/// An empty imaging list saved as "none": `again` confirms.
pub fn confirm_no_imaging(lang: Lang, again: &str) -> String {
    match lang {
        Lang::En => format!("Nothing in the list: {again} again records \"no imaging on file\"."),
        Lang::Fr => fr(format!(
            "Liste vide\u{a0}: {again} de nouveau enregistre «\u{a0}aucune imagerie au dossier\u{a0}»."
        )),
    }
}

/// The board when nothing is left to show: `clear` clears the search,
/// `filter` changes the filter.
pub fn no_match(lang: Lang, clear: &str, filter: &str) -> String {
    match lang {
        Lang::En => format!(
            "No case matches the search or filter ({clear} clears the search, {filter} changes the filter)."
        ),
        Lang::Fr => fr(format!(
            "Aucun dossier ne correspond ({clear} efface la recherche, {filter} change le filtre)."
        )),
    }
}

/// The board of a week with no case: `prev` and `next` change the week.
pub fn no_case(lang: Lang, prev: &str, next: &str) -> String {
    match lang {
        Lang::En => format!("No procedure scheduled this week. {prev} and {next} change the week."),
        Lang::Fr => fr(format!(
            "Aucune intervention prévue cette semaine. {prev} et {next} changent de semaine."
        )),
    }
}

/// A conflicting save that cannot be merged: `back` shows the form again.
pub fn no_merge(lang: Lang, back: &str) -> String {
    match lang {
        Lang::En => format!(
            "Their lines differ from the ones you started from (a line added, removed, or another drug, examination, lesion or level): yours cannot be put on top automatically. {back} shows your form again; saving it replaces theirs, so compare with the list below first."
        ),
        Lang::Fr => fr(format!(
            "Ses lignes ne sont plus celles de départ (ligne ajoutée, retirée, ou autre médicament, examen, lésion ou niveau)\u{a0}: vos modifications ne peuvent pas être posées automatiquement par-dessus. {back} rouvre votre formulaire\u{a0}; l'enregistrer remplace le sien\u{a0}: comparez d'abord avec la liste ci-dessous."
        )),
    }
}

/// Why patient data is hidden: the read trace cannot be written (`why`);
/// `quit` quits.
pub fn trace_failing(lang: Lang, why: &str, quit: &str) -> String {
    match lang {
        Lang::En => format!(
            "Patient data is hidden: this consultation cannot be recorded in the read trace ({why}). \
             It is tried again every second; {quit} quits. If it lasts, ask the administrator to check the database file."
        ),
        Lang::Fr => fr(format!(
            "Données des patients masquées\u{a0}: cette consultation ne peut pas être tracée ({why}). \
             Nouvel essai chaque seconde\u{a0}; {quit} pour quitter. Si cela dure, demandez à l'administrateur de vérifier le fichier."
        )),
    }
}

/// The question before a cancellation: `yes` cancels, `no` goes back.
pub fn cancel_confirm(lang: Lang, yes: &str, no: &str) -> String {
    match lang {
        Lang::En => format!("Cancel this procedure? {yes}: yes, cancel it · {no}: no, go back"),
        Lang::Fr => fr(format!(
            "Annuler cette intervention\u{a0}? {yes}\u{a0}: oui, l'annuler · {no}\u{a0}: non, revenir"
        )),
    }
}

/// `I`'s confirmation: what acknowledging an identity changed by the
/// hospital's system does, the keys that say yes or no.
/// `L`'s dialog: what Enter, the moves and Esc do.
pub fn results_confirm(lang: Lang, yes: &str, moves: &str, no: &str) -> String {
    match lang {
        Lang::En => format!(
            "Result marked ▶ checked (its value typed, or nothing to do)? {yes}: yes, acknowledge that one only · {moves}: another one · {no}: nothing acknowledged"
        ),
        Lang::Fr => fr(format!(
            "Résultat marqué ▶ vérifié (sa valeur saisie, ou rien à faire)\u{a0}? {yes}\u{a0}: oui, valider celui-là seulement · {moves}\u{a0}: un autre · {no}\u{a0}: rien de validé"
        )),
    }
}

pub fn identity_confirm(lang: Lang, yes: &str, no: &str) -> String {
    match lang {
        Lang::En => format!(
            "Identity checked against the patient's documents? The warning leaves every case of this patient. {yes}: yes, checked · {no}: no, go back"
        ),
        Lang::Fr => fr(format!(
            "Identité vérifiée sur les documents du patient\u{a0}? L'avertissement quitte tous les dossiers de ce patient. {yes}\u{a0}: oui, vérifiée · {no}\u{a0}: non, revenir"
        )),
    }
}

/// After someone else changed the case: `apply` applies the text to it as
/// it is now, `close` leaves without saving it.
pub fn enter_again(lang: Lang, apply: &str, close: &str) -> String {
    match lang {
        Lang::En => format!(
            "{apply} applies your text to the case as it is now; {close} closes without saving."
        ),
        Lang::Fr => fr(format!(
            "{apply} applique votre texte au dossier tel qu'il est maintenant\u{a0}; {close} ferme sans enregistrer."
        )),
    }
}

/// A rule someone else changed while a value was typed: `apply` saves the
/// typed value over theirs, `leave` leaves the rule as it is now.
pub fn rule_enter_again(lang: Lang, apply: &str, leave: &str) -> String {
    match lang {
        Lang::En => {
            format!("{apply} saves your value over theirs; {leave} leaves the rule as it is now.")
        }
        Lang::Fr => fr(format!(
            "{apply} enregistre votre valeur à la place de la leur\u{a0}; {leave} laisse la règle telle qu'elle est maintenant."
        )),
    }
}

/// The procedure form closed with a change: `again` closes without
/// saving, `save` saves.
pub fn confirm_drop(lang: Lang, again: &str, save: &str) -> String {
    match lang {
        Lang::En => format!("Not saved: {again} again closes without saving; {save} saves."),
        Lang::Fr => fr(format!(
            "Non enregistré\u{a0}: {again} de nouveau ferme sans enregistrer\u{a0}; {save} enregistre."
        )),
    }
}

/// Esc met a draft that could not be kept (`why`): `again` closes and
/// loses what was typed.
pub fn draft_not_kept(lang: Lang, why: &str, again: &str) -> String {
    let why = crate::domain::text::sanitize_line(why);
    match lang {
        Lang::En => {
            format!("Not kept as a draft: {why}. {again} again closes and loses what was typed.")
        }
        Lang::Fr => fr(format!(
            "Pas gardé en brouillon\u{a0}: {why}. {again} de nouveau ferme et perd ce qui a été tapé."
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each sentence names the keys it is given, in both languages.
    #[test]
    fn the_keys_are_the_callers() {
        for lang in [Lang::En, Lang::Fr] {
            let (a, b, c) = ("⟨A⟩", "⟨B⟩", "⟨C⟩");
            let two: [String; 8] = [
                confirm_replace(lang, a, b),
                no_match(lang, a, b),
                no_case(lang, a, b),
                cancel_confirm(lang, a, b),
                identity_confirm(lang, a, b),
                enter_again(lang, a, b),
                rule_enter_again(lang, a, b),
                confirm_drop(lang, a, b),
            ];
            for s in &two {
                assert!(s.contains(a) && s.contains(b), "{s}");
            }
            let d = "⟨D⟩";
            let s = attendance_hint(lang, a, b, d, c);
            assert!(
                s.contains(a) && s.contains(b) && s.contains(c) && s.contains(d),
                "{s}"
            );
            assert!(no_merge(lang, a).contains(a));
            let s = draft_not_kept(lang, "why", a);
            assert!(s.contains(a) && s.contains("why"), "{s}");
            for s in [confirm_none_taken(lang, a), confirm_no_imaging(lang, a)] {
                assert!(s.contains(a), "{s}");
            }
        }
    }
}
