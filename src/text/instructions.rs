//! The instruction sheet's words (`ir-committee instructions`, issue 14
//! §2): a page for the patient and the ward. French dates JJ/MM, English
//! ISO. Text from the database is never here: each format escapes it.

use super::Lang;

fn pick(lang: Lang, en: &'static str, fr: &'static str) -> &'static str {
    match lang {
        Lang::En => en,
        Lang::Fr => fr,
    }
}

pub struct Sheet {
    pub title: &'static str,
    pub patient: &'static str,
    pub born: &'static str,
    pub ipp: &'static str,
    pub when: &'static str,
    pub place: &'static str,
    pub procedure: &'static str,
    pub anaesthesia: &'static str,
    pub tests: &'static str,
    pub no_tests: &'static str,
    pub consult: &'static str,
    pub drugs: &'static str,
    pub no_drugs: &'static str,
    pub contact: &'static str,
    pub edited: &'static str,
    pub not_validated: &'static str,
    pub inr: &'static str,
    pub keep: &'static str,
    pub unchecked: &'static str,
}

const EN: Sheet = Sheet {
    title: "Instructions before your procedure",
    patient: "Patient",
    born: "born",
    ipp: "IPP",
    when: "Date and time",
    place: "Place",
    procedure: "Procedure",
    anaesthesia: "Anaesthesia",
    tests: "Blood tests to do",
    no_tests: "none",
    consult: "Anaesthesia consultation",
    drugs: "Anticoagulants and antiplatelets",
    no_drugs: "none recorded",
    contact: "Whom to call",
    edited: "Edited",
    not_validated: "Procedure not yet validated by the committee: the team will confirm the date.",
    inr: "INR the day before the procedure",
    keep: "do not change this treatment without your doctor's advice: the team will contact you",
    unchecked: "do not change any anticoagulant or antiplatelet treatment without your doctor's advice: the team will contact you",
};

const FR: Sheet = Sheet {
    title: "Consignes avant votre intervention",
    patient: "Patient",
    born: "né(e) le",
    ipp: "IPP",
    when: "Date et heure",
    place: "Lieu",
    procedure: "Intervention",
    anaesthesia: "Anesthésie",
    tests: "Examens de sang à faire",
    no_tests: "aucun",
    consult: "Consultation d'anesthésie",
    drugs: "Traitements anticoagulants et antiplaquettaires",
    no_drugs: "aucun saisi",
    contact: "Qui appeler",
    edited: "Édité le",
    not_validated: "Intervention pas encore validée par le comité\u{a0}: l'équipe vous confirmera la date.",
    inr: "INR la veille de l'intervention",
    keep: "ne modifiez pas ce traitement sans l'avis de votre médecin\u{a0}: l'équipe vous contactera",
    unchecked: "ne modifiez aucun traitement anticoagulant ou antiplaquettaire sans l'avis de votre médecin\u{a0}: l'équipe vous contactera",
};

pub fn sheet(lang: Lang) -> &'static Sheet {
    match lang {
        Lang::En => &EN,
        Lang::Fr => &FR,
    }
}

/// A drug the sheet may not date: "apixaban : ne modifiez pas …".
pub fn keep(lang: Lang, drug: &str) -> String {
    format!("{drug}{}{}", super::export::colon(lang), sheet(lang).keep)
}

/// Whom to call: the operator, in the IR department.
pub fn contact(lang: Lang, operator: &str) -> String {
    let dept = pick(
        lang,
        "interventional radiology",
        "radiologie interventionnelle",
    );
    format!("{operator}, {dept}")
}

/// A case that will not take place as scheduled: no sheet.
pub fn refused(lang: Lang, id: &str, status: &str) -> String {
    match lang {
        Lang::En => {
            format!("{id} is {status}: no instruction sheet for a procedure that is not scheduled")
        }
        Lang::Fr => format!(
            "{id} est {status}\u{a0}: pas de fiche de consignes pour une intervention qui n'est pas programmée"
        ),
    }
}

/// After writing the sheet to a file.
pub fn written(lang: Lang, path: &str, id: &str) -> String {
    match lang {
        Lang::En => format!("{path}: instruction sheet of {id}"),
        Lang::Fr => format!("{path}\u{a0}: fiche de consignes de {id}"),
    }
}

/// The screen's `i` for a role that may not read the sheet.
pub fn screen_refused(lang: Lang) -> String {
    pick(
        lang,
        "the instruction sheet is the care team's (chair, radiologist, anaesthetist, radiographer, secretary)",
        "la fiche de consignes est réservée à l'équipe de soins (président, radiologue, anesthésiste, manipulateur, secrétaire)",
    )
    .to_owned()
}

/// The screen's `i` when the file is already there: never replaced.
pub fn exists(lang: Lang, path: &str) -> String {
    match lang {
        Lang::En => format!(
            "{path} already exists: not replaced (move it, or use ir-committee instructions --force)"
        ),
        Lang::Fr => format!(
            "{path} existe déjà\u{a0}: non remplacé (déplacez-le, ou ir-committee instructions --force)"
        ),
    }
}
