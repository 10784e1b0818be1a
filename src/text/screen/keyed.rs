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
/// the typed name, `save` saves.
pub fn attendance_hint(lang: Lang, toggle: &str, add: &str, save: &str) -> String {
    match lang {
        Lang::En => format!(
            "{toggle} ticks a person; type a name on the last line and {add} adds it; {save} saves."
        ),
        Lang::Fr => fr(format!(
            "{toggle} coche une personne\u{a0}; tapez un nom sur la dernière ligne, {add} l'ajoute\u{a0}; {save} enregistre."
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

/// The question before a cancellation: `yes` cancels, `no` goes back.
pub fn cancel_confirm(lang: Lang, yes: &str, no: &str) -> String {
    match lang {
        Lang::En => format!("Cancel this procedure? {yes}: yes, cancel it · {no}: no, go back"),
        Lang::Fr => fr(format!(
            "Annuler cette intervention\u{a0}? {yes}\u{a0}: oui, l'annuler · {no}\u{a0}: non, revenir"
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Each sentence names the keys it is given, in both languages.
    #[test]
    fn the_keys_are_the_callers() {
        for lang in [Lang::En, Lang::Fr] {
            let (a, b, c) = ("⟨A⟩", "⟨B⟩", "⟨C⟩");
            let two: [String; 5] = [
                confirm_replace(lang, a, b),
                no_match(lang, a, b),
                cancel_confirm(lang, a, b),
                enter_again(lang, a, b),
                confirm_drop(lang, a, b),
            ];
            for s in &two {
                assert!(s.contains(a) && s.contains(b), "{s}");
            }
            let s = attendance_hint(lang, a, b, c);
            assert!(s.contains(a) && s.contains(b) && s.contains(c), "{s}");
            for s in [confirm_none_taken(lang, a), confirm_no_imaging(lang, a)] {
                assert!(s.contains(a), "{s}");
            }
        }
    }
}
