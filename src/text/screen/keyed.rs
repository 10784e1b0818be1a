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
            "{toggle} coche une personne ; tapez un nom sur la dernière ligne, {add} l'ajoute, {role} lui donne son rôle (quorum) ; {save} enregistre."
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
            "{again} de nouveau enregistre votre formulaire à la place du sien ; {revert} revient au sien."
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
            "Liste vide : {again} de nouveau enregistre « aucun anticoagulant ni antiagrégant »."
        )),
    }
}

/// An empty imaging list saved as "none": `again` confirms.
pub fn confirm_no_imaging(lang: Lang, again: &str) -> String {
    match lang {
        Lang::En => format!("Nothing in the list: {again} again records \"no imaging on file\"."),
        Lang::Fr => fr(format!(
            "Liste vide : {again} de nouveau enregistre « aucune imagerie au dossier »."
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
            "Annuler cette intervention ? {yes} : oui, l'annuler · {no} : non, revenir"
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
            "{apply} applique votre texte au dossier tel qu'il est maintenant ; {close} ferme sans enregistrer."
        )),
    }
}

/// The procedure form closed with a change: `again` closes without
/// saving, `save` saves.
pub fn confirm_drop(lang: Lang, again: &str, save: &str) -> String {
    match lang {
        Lang::En => format!("Not saved: {again} again closes without saving; {save} saves."),
        Lang::Fr => fr(format!(
            "Non enregistré : {again} de nouveau ferme sans enregistrer ; {save} enregistre."
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
            let d = "⟨D⟩";
            let s = attendance_hint(lang, a, b, d, c);
            assert!(
                s.contains(a) && s.contains(b) && s.contains(c) && s.contains(d),
                "{s}"
            );
            for s in [confirm_none_taken(lang, a), confirm_no_imaging(lang, a)] {
                assert!(s.contains(a), "{s}");
            }
        }
    }
}
