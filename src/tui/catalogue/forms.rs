//! The strings of the dossier forms and the rules editor, in French and
//! English: titles, field labels, hints, refusals, the conflict dialog.

use crate::domain::edit::{FieldError, FieldKind, FieldSpec, GroupKind};
use crate::domain::message::Lang;
use crate::domain::record::EvidenceKind;

/// The name of an evidence object (picker, form title).
pub fn evidence(lang: Lang, k: EvidenceKind) -> &'static str {
    use EvidenceKind::*;
    match (lang, k) {
        (Lang::En, Consultation) => "IR consultation and consent",
        (Lang::En, AnaesthesiaConsult) => "Anaesthesia consultation",
        (Lang::En, Imaging) => "Imaging",
        (Lang::En, Biology) => "Biology",
        (Lang::En, Coagulation) => "Coagulation",
        (Lang::En, Medications) => "Anticoagulants and antiplatelets",
        (Lang::En, Scores) => "Score items (Mirels, SINS)",
        (Lang::Fr, Consultation) => "Consultation de RI et consentement",
        (Lang::Fr, AnaesthesiaConsult) => "Consultation d'anesthésie",
        (Lang::Fr, Imaging) => "Imagerie",
        (Lang::Fr, Biology) => "Biologie",
        (Lang::Fr, Coagulation) => "Coagulation",
        (Lang::Fr, Medications) => "Anticoagulants et antiagrégants",
        (Lang::Fr, Scores) => "Items des scores (Mirels, SINS)",
    }
}

/// The heading of one line of a form.
pub fn line(lang: Lang, k: GroupKind, n: usize) -> String {
    match (lang, k) {
        (Lang::En, GroupKind::Imaging) => format!("Examination {n}"),
        (Lang::Fr, GroupKind::Imaging) => format!("Examen {n}"),
        (Lang::En, GroupKind::Medication) => format!("Drug {n}"),
        (Lang::Fr, GroupKind::Medication) => format!("Traitement {n}"),
        (Lang::En, GroupKind::Mirels) => format!("Mirels: long-bone lesion {n}"),
        (Lang::Fr, GroupKind::Mirels) => format!("Mirels : lésion d'os long {n}"),
        (Lang::En, GroupKind::Sins) => format!("SINS: vertebral level {n}"),
        (Lang::Fr, GroupKind::Sins) => format!("SINS : niveau vertébral {n}"),
        _ => String::new(),
    }
}

/// A field's label.
pub fn field(lang: Lang, k: GroupKind, key: &str) -> &'static str {
    let fr = lang == Lang::Fr;
    match (k, key) {
        (GroupKind::Medication, "last_intake") if fr => "Dernière prise",
        (GroupKind::Medication, "last_intake") => "Last intake",
        (_, "at") if fr => "Date (et heure)",
        (_, "at") => "Date (and time)",
        (_, "radiologist") if fr => "Radiologue",
        (_, "radiologist") => "Radiologist",
        (_, "leaflet_given") if fr => "Fiche d'information remise",
        (_, "leaflet_given") => "Information leaflet given",
        (_, "consent_kind") if fr => "Consentement",
        (_, "consent_kind") => "Consent",
        (_, "consent_by") if fr => "Recueilli/tracé par",
        (_, "consent_by") => "Obtained/traced by",
        (_, "consent_at") if fr => "Recueilli le",
        (_, "consent_at") => "Obtained on",
        (_, "consent_details") if fr => "Ce qui a été dit (tracé)",
        (_, "consent_details") => "What was said (traced)",
        (_, "anaesthetist") if fr => "Anesthésiste",
        (_, "anaesthetist") => "Anaesthetist",
        (GroupKind::Imaging, "kind") if fr => "Examen",
        (GroupKind::Imaging, "kind") => "Examination",
        (_, "neutrophils_g_l") if fr => "Neutrophiles (G/L)",
        (_, "neutrophils_g_l") => "Neutrophils (G/L)",
        (_, "hemoglobin_g_dl") if fr => "Hémoglobine (g/dL)",
        (_, "hemoglobin_g_dl") => "Haemoglobin (g/dL)",
        (_, "egfr") if fr => "DFG (mL/min/1,73 m²)",
        (_, "egfr") => "eGFR (mL/min/1.73 m²)",
        (_, "sepsis") if fr => "Sepsis en cours",
        (_, "sepsis") => "Ongoing sepsis",
        (_, "inr") => "INR",
        (_, "platelets_g_l") if fr => "Plaquettes (G/L)",
        (_, "platelets_g_l") => "Platelets (G/L)",
        (_, "drug") if fr => "Médicament",
        (_, "drug") => "Drug",
        (_, "name") if fr => "Nom (si « other »)",
        (_, "name") => "Name (for \"other\")",
        (_, "crcl_ml_min") if fr => "Clairance (mL/min)",
        (_, "crcl_ml_min") => "CrCl (mL/min)",
        (GroupKind::Mirels, "lesion") if fr => "Lésion (libellé)",
        (GroupKind::Mirels, "lesion") => "Lesion (label)",
        (_, "site") if fr => "Site",
        (_, "site") => "Site",
        (_, "pain") if fr => "Douleur",
        (_, "pain") => "Pain",
        (_, "size") if fr => "Taille (/ corticale)",
        (_, "size") => "Size (of the cortex)",
        (_, "appearance") if fr => "Aspect",
        (_, "appearance") => "Appearance",
        (_, "level") if fr => "Niveau (ex. L3)",
        (_, "level") => "Level (e.g. L3)",
        (_, "location") if fr => "Localisation (sans niveau)",
        (_, "location") => "Location (without a level)",
        (_, "lesion") if fr => "Lésion osseuse",
        (_, "lesion") => "Bone lesion",
        (_, "alignment") if fr => "Alignement",
        (_, "alignment") => "Alignment",
        (_, "collapse") if fr => "Tassement",
        (_, "collapse") => "Collapse",
        (_, "posterolateral") if fr => "Atteinte postérolatérale",
        (_, "posterolateral") => "Posterolateral",
        _ => "",
    }
}

/// How a choice reads on screen (the wire word, or yes/no translated).
pub fn choice(lang: Lang, word: &str) -> String {
    match (lang, word) {
        (_, "") => "—".to_owned(),
        (Lang::Fr, "yes") => "oui".to_owned(),
        (Lang::Fr, "no") => "non".to_owned(),
        _ => word.to_owned(),
    }
}

/// What the focused field expects, under the form.
pub fn expects(lang: Lang, spec: &FieldSpec) -> String {
    let fr = lang == Lang::Fr;
    match spec.kind {
        FieldKind::When if fr => {
            "AAAA-MM-JJ ou AAAA-MM-JJTHH:MM (une date seule vaut la fin de ce jour)".into()
        }
        FieldKind::When => {
            "YYYY-MM-DD or YYYY-MM-DDTHH:MM (a date alone counts as the end of that day)".into()
        }
        FieldKind::Number(bound) => {
            let b = crate::domain::bounds::BOUNDS
                .iter()
                .find(|b| b.field == bound);
            let range = b.map_or(String::new(), |b| format!("{}–{} {}", b.min, b.max, b.unit));
            if fr {
                format!("un nombre, {range} (virgule ou point)")
            } else {
                format!("a number, {range}")
            }
        }
        FieldKind::Choice(words) => {
            let words: Vec<String> = words.iter().map(|w| choice(lang, w)).collect();
            if fr {
                format!(
                    "←/→ ou une lettre pour choisir, Suppr pour vider : {}",
                    words.join(" · ")
                )
            } else {
                format!(
                    "←/→ or a letter to choose, Del to empty: {}",
                    words.join(" · ")
                )
            }
        }
        FieldKind::Level if fr => "C0–C7, T1–T12, L1–L5, S1–S5".into(),
        FieldKind::Level => "C0–C7, T1–T12, L1–L5, S1–S5".into(),
        FieldKind::Text if fr => "texte libre, une ligne".into(),
        FieldKind::Text => "free text, one line".into(),
    }
}

/// Why a field is refused.
pub fn field_error(lang: Lang, e: &FieldError) -> String {
    let fr = lang == Lang::Fr;
    match e {
        FieldError::Required if fr => "obligatoire".into(),
        FieldError::Required => "required".into(),
        FieldError::Needs(_) if fr => "choisir d'abord le type de consentement".into(),
        FieldError::Needs(_) => "choose the kind of consent first".into(),
        FieldError::NotANumber if fr => "pas un nombre".into(),
        FieldError::NotANumber => "not a number".into(),
        FieldError::OutOfRange { min, max, unit } => {
            let unit = if unit.is_empty() {
                String::new()
            } else {
                format!(" {unit}")
            };
            if fr {
                format!("doit être entre {min} et {max}{unit}")
            } else {
                format!("must be between {min} and {max}{unit}")
            }
        }
        FieldError::NotADate if fr => "date attendue : AAAA-MM-JJ ou AAAA-MM-JJTHH:MM".into(),
        FieldError::NotADate => "expected YYYY-MM-DD or YYYY-MM-DDTHH:MM".into(),
        FieldError::DateOutOfRange { latest } if fr => {
            format!("date hors limites (1900-01-01 à {latest})")
        }
        FieldError::DateOutOfRange { latest } => {
            format!("date out of range (1900-01-01 to {latest})")
        }
        FieldError::NotAChoice if fr => "pas un des choix proposés".into(),
        FieldError::NotAChoice => "not one of the choices".into(),
        FieldError::NotALevel if fr => "niveau inconnu (C0–C7, T1–T12, L1–L5, S1–S5)".into(),
        FieldError::NotALevel => "no such level (C0–C7, T1–T12, L1–L5, S1–S5)".into(),
        FieldError::TooLong { max } if fr => format!("trop long ({max} caractères au plus)"),
        FieldError::TooLong { max } => format!("too long (at most {max} characters)"),
    }
}

/// A context's heading in the help.
pub fn context_name(lang: Lang, c: crate::tui::keys::Context) -> &'static str {
    use crate::tui::keys::Context::*;
    let t = super::ui(lang);
    match (lang, c) {
        (_, Board) => t.help_board,
        (_, Dialog) => t.help_dialog,
        (_, Help) => t.help_help,
        (Lang::En, Picker) => "Choosing a form (e)",
        (Lang::En, Form) => "In a form",
        (Lang::En, Choice) => "On a choice in a form",
        (Lang::En, Conflict) => "When someone saved the same item meanwhile",
        (Lang::En, Rules) => "The rules table (R)",
        (Lang::En, RuleEdit) => "Changing a rule",
        (Lang::Fr, Picker) => "Choix d'un formulaire (e)",
        (Lang::Fr, Form) => "Dans un formulaire",
        (Lang::Fr, Choice) => "Sur un choix d'un formulaire",
        (Lang::Fr, Conflict) => "Quand quelqu'un a enregistré le même élément entre-temps",
        (Lang::Fr, Rules) => "La table des règles (R)",
        (Lang::Fr, RuleEdit) => "Modification d'une règle",
    }
}

pub struct FormTexts {
    pub picker_title: &'static str,
    pub picker_hint: &'static str,
    pub not_recorded: &'static str,
    pub recorded_by: &'static str,
    pub fix_first: &'static str,
    pub saved: &'static str,
    pub unchanged: &'static str,
    pub conflict_title: &'static str,
    pub theirs: &'static str,
    pub yours: &'static str,
    pub nothing_else: &'static str,
    pub list_hint: &'static str,
    pub dropped: &'static str,
    pub draft_kept: &'static str,
    pub rules_title: &'static str,
    pub rules_hint: &'static str,
    pub rules_edit_hint: &'static str,
    pub rules_saved: &'static str,
}

const EN: FormTexts = FormTexts {
    picker_title: "Record or correct",
    picker_hint: "Enter: open the form · Esc: back",
    not_recorded: "not recorded",
    recorded_by: "by",
    fix_first: "Not saved: correct the fields marked ✗.",
    saved: "Saved.",
    unchanged: "Nothing changed: nothing saved.",
    conflict_title: "Saved by someone else meanwhile",
    theirs: "theirs",
    yours: "yours",
    nothing_else: "(they changed no field you see here)",
    list_hint: "Ctrl-N adds a line, Ctrl-D removes this one; a blank line is not saved",
    dropped: "Your changes were dropped; the form shows what is saved.",
    draft_kept: "Closed without saving; what you typed is kept: the same form on this case brings it back.",
    rules_title: "Rules (thresholds, windows, holds, bleeding risk)",
    rules_hint: "Enter: change the value · Esc: back",
    rules_edit_hint: "Enter: save · Esc: leave unchanged",
    rules_saved: "Rule changed (audited).",
};

const FR: FormTexts = FormTexts {
    picker_title: "Saisir ou corriger",
    picker_hint: "Entrée : ouvrir le formulaire · Échap : retour",
    not_recorded: "non renseigné",
    recorded_by: "par",
    fix_first: "Non enregistré : corrigez les champs marqués ✗.",
    saved: "Enregistré.",
    unchanged: "Rien de changé : rien d'enregistré.",
    conflict_title: "Enregistré par quelqu'un d'autre entre-temps",
    theirs: "le sien",
    yours: "le vôtre",
    nothing_else: "(aucun champ affiché ici n'a changé de son côté)",
    list_hint: "Ctrl-N ajoute une ligne, Ctrl-D retire celle-ci ; une ligne vide n'est pas enregistrée",
    dropped: "Vos modifications sont abandonnées ; le formulaire montre ce qui est enregistré.",
    draft_kept: "Fermé sans enregistrer ; votre saisie est gardée : le même formulaire sur ce dossier la rappelle.",
    rules_title: "Règles (seuils, délais, arrêts, risque hémorragique)",
    rules_hint: "Entrée : changer la valeur · Échap : retour",
    rules_edit_hint: "Entrée : enregistrer · Échap : laisser tel quel",
    rules_saved: "Règle modifiée (tracée).",
};

pub fn form_texts(lang: Lang) -> &'static FormTexts {
    match lang {
        Lang::En => &EN,
        Lang::Fr => &FR,
    }
}

/// The conflict's first line: who saved, when.
pub fn conflict_who(lang: Lang, by: &str, at: &str) -> String {
    let by = crate::domain::text::sanitize_line(by);
    match lang {
        Lang::En => {
            format!("{by} saved this at {at}, after you opened the form. Nothing of yours is lost.")
        }
        Lang::Fr => format!(
            "{by} l'a enregistré à {at}, après l'ouverture de votre formulaire. Rien de votre saisie n'est perdu."
        ),
    }
}

/// A rule's new value that is not one.
pub fn rule_value_refused(lang: Lang, typed: &str, risk: bool) -> String {
    let typed = crate::domain::text::sanitize_line(typed);
    match (lang, risk) {
        (Lang::En, true) => format!("'{typed}': type low or high"),
        (Lang::Fr, true) => format!("« {typed} » : tapez low ou high"),
        (Lang::En, false) => format!("'{typed}' is not a number (or none)"),
        (Lang::Fr, false) => format!("« {typed} » n'est pas un nombre (ni none)"),
    }
}
