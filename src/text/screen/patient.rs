//! The words of the patient's identity line in the detail, and of a screen
//! seen pseudonymised (a viewer, the auditor), in French and English.

use crate::domain::message::Lang;

/// Before the full birth date: "born 02/07/1956", "née le 02/07/1956"
/// (agreed with the sex on file; "né(e)" only when it is X).
pub fn born(lang: Lang, sex: crate::domain::vocab::Sex) -> &'static str {
    use crate::domain::vocab::Sex;
    match (lang, sex) {
        (Lang::En, _) => "born",
        (Lang::Fr, Sex::F) => "née le",
        (Lang::Fr, Sex::M) => "né le",
        (Lang::Fr, Sex::X) => "né(e) le",
    }
}

/// First on the header line, always, while the screen is pseudonymised.
pub fn pseudonymised(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "PSEUDONYMISED",
        Lang::Fr => "PSEUDONYMISÉ",
    }
}

/// What the help says of a pseudonymised screen.
pub fn pseudonymised_help(lang: Lang) -> &'static str {
    match lang {
        Lang::En => {
            "Initials for the name, the age without the birth date, P-… for the IPP and C-… for the case's id; notes, reasons, justifications and values on file are left out."
        }
        Lang::Fr => {
            "Initiales pour le nom, l'âge sans la date de naissance, P-… pour l'IPP et C-… pour l'identifiant du dossier\u{a0}; notes, motifs, justifications et valeurs du fichier ne sont pas montrés."
        }
    }
}

/// In place of free text left out (a note, a reason, a justification):
/// that there was one stays.
pub fn left_out(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "left out (pseudonymised)",
        Lang::Fr => "non montré (pseudonymisé)",
    }
}

/// The search's label on a pseudonymised screen: it matches what the
/// board shows (the label otherwise: `Ui::search`).
pub fn search_pseudonymised(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "Search (initials, pseudonym or operator)",
        Lang::Fr => "Recherche (initiales, pseudonyme ou opérateur)",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::vocab::Sex;

    #[test]
    fn the_birth_date_agrees_with_the_sex_on_file() {
        for (lang, sex, want) in [
            (Lang::Fr, Sex::F, "née le"),
            (Lang::Fr, Sex::M, "né le"),
            (Lang::Fr, Sex::X, "né(e) le"),
            (Lang::En, Sex::F, "born"),
            (Lang::En, Sex::M, "born"),
            (Lang::En, Sex::X, "born"),
        ] {
            assert_eq!(born(lang, sex), want, "{lang:?} {sex:?}");
        }
    }
}
