//! The words of the patient's identity line in the detail, and of a screen
//! seen pseudonymised (a viewer, the auditor), in French and English.

use crate::domain::message::Lang;

/// Before the full birth date: "born 02/07/1956", "né(e) le 02/07/1956".
pub fn born(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "born",
        Lang::Fr => "né(e) le",
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
            "Initiales pour le nom, l'âge sans la date de naissance, P-… pour l'IPP et C-… pour l'identifiant du dossier ; notes, motifs, justifications et valeurs du fichier ne sont pas montrés."
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
        Lang::En => "Search (initials or pseudonym)",
        Lang::Fr => "Recherche (initiales ou pseudonyme)",
    }
}
