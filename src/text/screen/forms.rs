//! The strings of the dossier forms and the rules editor, in French and
//! English: titles, field labels, hints, refusals, the conflict dialog.

use crate::domain::edit::{FieldError, FieldKind, FieldSpec, GroupKind};
use crate::domain::message::Lang;
use crate::domain::record::EvidenceKind;

pub use super::choices::choice;

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

/// The anaesthesia form's heading when someone other than an anaesthetist
/// types it: a transcription, by `who` (a login).
pub fn transcription(lang: Lang, who: &str) -> String {
    match lang {
        Lang::En => format!("Transcription by {who}: name the anaesthetist who saw the patient"),
        Lang::Fr => {
            format!("Transcription par {who}\u{a0}: nommez l'anesthésiste qui a vu le patient")
        }
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
        (Lang::Fr, GroupKind::Mirels) => format!("Mirels\u{a0}: lésion d'os long {n}"),
        (Lang::En, GroupKind::Sins) => format!("SINS: vertebral level {n}"),
        (Lang::Fr, GroupKind::Sins) => format!("SINS\u{a0}: niveau vertébral {n}"),
        _ => String::new(),
    }
}

/// A field's label.
pub fn field(lang: Lang, k: GroupKind, key: &str) -> &'static str {
    let fr = lang == Lang::Fr;
    match (k, key) {
        (GroupKind::Medication, "last_intake") if fr => "Dernière prise",
        (GroupKind::Medication, "last_intake") => "Last intake",
        // Biology, coagulation: the date goes to the values typed or
        // changed; the others keep their own.
        (GroupKind::Biology | GroupKind::Coagulation, "at") if fr => "Date des valeurs modifiées",
        (GroupKind::Biology | GroupKind::Coagulation, "at") => "Date of the values changed",
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
        (_, "conclusion") => "Conclusion",
        (_, "conditions") => "Conditions",
        (GroupKind::Imaging, "kind") if fr => "Examen",
        (GroupKind::Imaging, "kind") => "Examination",
        (_, "neutrophils_g_l") if fr => "Neutrophiles (G/L)",
        (_, "neutrophils_g_l") => "Neutrophils (G/L)",
        (_, "hemoglobin_g_dl") if fr => "Hémoglobine (g/dL)",
        (_, "hemoglobin_g_dl") => "Haemoglobin (g/dL)",
        (_, "creatinine_umol_l") if fr => "Créatinine (µmol/L)",
        (_, "creatinine_umol_l") => "Creatinine (µmol/L)",
        (_, "egfr") if fr => "DFG (mL/min/1,73 m²)",
        (_, "egfr") => "eGFR (mL/min/1.73 m²)",
        (_, "sepsis") if fr => "Sepsis en cours",
        (_, "sepsis") => "Ongoing sepsis",
        (_, "inr") => "INR",
        (_, "platelets_g_l") if fr => "Plaquettes (G/L)",
        (_, "platelets_g_l") => "Platelets (G/L)",
        (_, "drug") if fr => "Médicament",
        (_, "drug") => "Drug",
        (_, "name") if fr => "Nom (si «\u{a0}autre\u{a0}»)",
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

/// What the focused field expects, under the form.
/// `choose` and `clear` are the keys of a choice (from the key table).
pub fn expects(lang: Lang, spec: &FieldSpec, choose: &str, clear: &str) -> String {
    let fr = lang == Lang::Fr;
    match spec.kind {
        FieldKind::When if fr => {
            "JJ/MM/AAAA ou JJ/MM/AAAA HH:MM (une date seule vaut la fin de ce jour)".into()
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
                    "{choose} ou une lettre pour choisir, {clear} pour vider\u{a0}: {}",
                    words.join(" · ")
                )
            } else {
                format!(
                    "{choose} or a letter to choose, {clear} to empty: {}",
                    words.join(" · ")
                )
            }
        }
        FieldKind::Level if fr => "C0–C7, T1–T12, L1–L5, S1–S5".into(),
        FieldKind::Level => "C0–C7, T1–T12, L1–L5, S1–S5".into(),
        FieldKind::Text if fr => "texte libre, une ligne".into(),
        FieldKind::Text => "free text, one line".into(),
        FieldKind::Paragraph => {
            let keys = crate::tui::keys::keys_of(
                crate::tui::keys::Context::Form,
                crate::tui::action::Action::NewLine,
                lang,
            );
            if fr {
                format!("texte libre, sur plusieurs lignes\u{a0}: {keys} passe à la ligne")
            } else {
                format!("free text, on several lines: {keys} starts a new line")
            }
        }
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
        FieldError::NotADate if fr => {
            "pas une date valide (JJ/MM/AAAA ou JJ/MM/AAAA HH:MM, année sur 4 chiffres\u{a0}; ou AAAA-MM-JJ)".into()
        }
        FieldError::NotADate => "not a valid date (YYYY-MM-DD or YYYY-MM-DDTHH:MM)".into(),
        FieldError::DateOutOfRange { latest } if fr => {
            format!(
                "date hors limites (01/01/1900 au {})",
                crate::text::typo::date(lang, *latest)
            )
        }
        FieldError::DateOutOfRange { latest } => {
            format!("date out of range (1900-01-01 to {latest})")
        }
        FieldError::NotAChoice if fr => "pas un des choix proposés".into(),
        FieldError::NotAChoice => "not one of the choices".into(),
        FieldError::NotALevel if fr => "niveau inconnu (C0–C7, T1–T12, L1–L5, S1–S5)".into(),
        FieldError::NotALevel => "no such level (C0–C7, T1–T12, L1–L5, S1–S5)".into(),
        FieldError::OnlyForOther if fr => "seulement pour le médicament «\u{a0}autre\u{a0}»".into(),
        FieldError::OnlyForOther => "only for the drug \"other\"".into(),
        FieldError::Duplicate if fr => "ce niveau est déjà sur une autre ligne".into(),
        FieldError::Duplicate => "this level is already on another line".into(),
        FieldError::NotWithLevel if fr => {
            "seulement sans niveau (le niveau donne la localisation)".into()
        }
        FieldError::NotWithLevel => "only without a level (the level gives the location)".into(),
        FieldError::TranscriptionNeedsName if fr => {
            "requis pour une transcription\u{a0}: l'anesthésiste qui a vu le patient".into()
        }
        FieldError::TranscriptionNeedsName => {
            "required for a transcription: the anaesthetist who saw the patient".into()
        }
        FieldError::OnlyWithConditions if fr => {
            "seulement pour «\u{a0}apte sous conditions\u{a0}»".into()
        }
        FieldError::OnlyWithConditions => "only for \"fit with conditions\"".into(),
        FieldError::TooLong { max } if fr => format!("trop long ({max} caractères au plus)"),
        FieldError::TooLong { max } => format!("too long (at most {max} characters)"),
    }
}

/// A context's heading in the help (the help adds the key that opens it,
/// from the key table).
pub fn context_name(lang: Lang, c: crate::tui::keys::Context) -> &'static str {
    use crate::tui::keys::Context::*;
    let t = super::ui(lang);
    match (lang, c) {
        (_, Board) => t.help_board,
        (_, Dialog) => t.help_dialog,
        (Lang::En, DialogChoice) => "A dialog, on the coded reason",
        (Lang::Fr, DialogChoice) => "Dans une fenêtre de saisie, sur le motif codé",
        (Lang::En, LabAck) => "Laboratory results the program could not use (one chosen)",
        (Lang::Fr, LabAck) => "Résultats de laboratoire inutilisables (un choisi)",
        (_, Help) => t.help_help,
        (_, Search) => t.search,
        (Lang::En, Picker) => "Choosing a form",
        (Lang::En, Form) => "In a form",
        (Lang::En, Choice) => "On a choice in a form",
        (Lang::En, Procedure) => "The procedure form (access route)",
        (Lang::En, Conflict) => "When someone saved the same item meanwhile",
        (Lang::En, Rules) => "The rules table",
        (Lang::En, RuleEdit) => "Changing a rule",
        (Lang::Fr, Picker) => "Choix d'un formulaire",
        (Lang::Fr, Form) => "Dans un formulaire",
        (Lang::Fr, Choice) => "Sur un choix d'un formulaire",
        (Lang::Fr, Procedure) => "Le formulaire procédure (voie d'abord)",
        (Lang::Fr, Conflict) => "Quand quelqu'un a enregistré le même élément entre-temps",
        (Lang::Fr, Rules) => "La table des règles",
        (Lang::Fr, RuleEdit) => "Modification d'une règle",
        (Lang::En, Attendance) => "Attendance",
        (Lang::En, AttendanceName) => "Attendance, typing a name",
        (Lang::En, Export) => "Export",
        (Lang::En, ExportFile) => "Export, typing the file name",
        (Lang::Fr, Attendance) => "Présents",
        (Lang::Fr, AttendanceName) => "Présents, saisie d'un nom",
        (Lang::Fr, Export) => "Export",
        (Lang::Fr, ExportFile) => "Export, saisie du nom de fichier",
        (Lang::En, Nod) => "Cases with nothing to discuss",
        (Lang::Fr, Nod) => "Dossiers sans rien à discuter",
        (Lang::En, Tasks) => "The chase list",
        (Lang::Fr, Tasks) => "La liste des relances",
        (Lang::En, Stats) => "The committee's indicators",
        (Lang::Fr, Stats) => "Les indicateurs du comité",
        (Lang::En, Narrow) => "Showing one day, room or operator",
        (Lang::Fr, Narrow) => "Afficher un jour, une salle ou un opérateur",
        (Lang::En, Resolve) => "Conflicting values on file",
        (Lang::En, ResolveConfirm) => "Confirming a keep or take",
        (Lang::Fr, Resolve) => "Valeurs du fichier en conflit",
        (Lang::Fr, ResolveConfirm) => "Confirmation de garder ou prendre",
        (Lang::En, Reschedule) => "Rescheduling a postponed case",
        (Lang::En, FollowUps) => "The follow-up calls",
        (Lang::Fr, FollowUps) => "Les appels de suivi",
        (Lang::En, FollowUpForm) => "Recording a follow-up call",
        (Lang::Fr, FollowUpForm) => "Saisie d'un appel de suivi",
        (Lang::En, Day) => "The day of the procedure",
        (Lang::Fr, Day) => "Le jour du geste",
        (Lang::En, DayChoice) => "The day of the procedure, on a choice",
        (Lang::Fr, DayChoice) => "Le jour du geste, sur un choix",
        (Lang::Fr, Reschedule) => "Reprogrammation d'un dossier reporté",
    }
}

pub struct FormTexts {
    pub picker_title: &'static str,
    pub not_recorded: &'static str,
    pub recorded_by: &'static str,
    pub fix_first: &'static str,
    pub saved: &'static str,
    pub unchanged: &'static str,
    pub conflict_title: &'static str,
    pub before: &'static str,
    pub theirs: &'static str,
    pub yours: &'static str,
    pub nothing_else: &'static str,
    pub draft_mark: &'static str,
    pub replaces_theirs: &'static str,
    pub reverted: &'static str,
    pub draft_unreadable: &'static str,
    pub dropped: &'static str,
    pub draft_kept: &'static str,
    pub rules_title: &'static str,
    pub rules_saved: &'static str,
}

const EN: FormTexts = FormTexts {
    picker_title: "Record or correct",
    not_recorded: "not recorded",
    recorded_by: "by",
    fix_first: "Not saved: correct the fields marked ✗.",
    saved: "Saved.",
    unchanged: "Nothing changed: nothing saved.",
    conflict_title: "Saved by someone else meanwhile",
    before: "before:",
    theirs: "theirs:",
    yours: "yours:",
    nothing_else: "(no field differs: they saved the same values)",
    draft_mark: "✎ draft kept",
    replaces_theirs: "Your form, not merged: saving it replaces what they saved (their lines not in it are dropped).",
    reverted: "Back to what is saved; your changes and the draft are dropped.",
    draft_unreadable: "A draft of this form could not be read (kept in the file, not shown); the form shows what is saved.",
    dropped: "Your changes were dropped; the form shows what is saved.",
    draft_kept: "Closed without saving; what you typed is kept: the same form on this case brings it back.",
    rules_title: "Rules (thresholds, windows, holds, bleeding risk)",
    rules_saved: "Rule changed (audited).",
};

const FR: FormTexts = FormTexts {
    picker_title: "Saisir ou corriger",
    not_recorded: "non renseigné",
    recorded_by: "par",
    fix_first: "Non enregistré\u{a0}: corrigez les champs marqués ✗.",
    saved: "Enregistré.",
    unchanged: "Rien de changé\u{a0}: rien d'enregistré.",
    conflict_title: "Enregistré par quelqu'un d'autre entre-temps",
    before: "avant\u{a0}:",
    theirs: "le sien\u{a0}:",
    yours: "le vôtre\u{a0}:",
    nothing_else: "(aucun champ ne diffère\u{a0}: mêmes valeurs enregistrées)",
    draft_mark: "✎ brouillon gardé",
    replaces_theirs: "Votre formulaire, non fusionné\u{a0}: l'enregistrer remplace le sien (ses lignes absentes ici disparaissent).",
    reverted: "Retour à ce qui est enregistré\u{a0}; votre saisie et le brouillon sont abandonnés.",
    draft_unreadable: "Un brouillon de ce formulaire est illisible (gardé dans le fichier, non affiché)\u{a0}; le formulaire montre ce qui est enregistré.",
    dropped: "Vos modifications sont abandonnées\u{a0}; le formulaire montre ce qui est enregistré.",
    draft_kept: "Fermé sans enregistrer\u{a0}; votre saisie est gardée\u{a0}: le même formulaire sur ce dossier la rappelle.",
    rules_title: "Règles (seuils, délais, arrêts, risque hémorragique)",
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
        (Lang::Fr, true) => format!("«\u{a0}{typed}\u{a0}»\u{a0}: tapez faible ou élevé"),
        (Lang::En, false) => format!("'{typed}' is not a number (or none)"),
        (Lang::Fr, false) => {
            format!("«\u{a0}{typed}\u{a0}» n'est ni un nombre ni «\u{a0}aucune\u{a0}»")
        }
    }
}

/// A rules row's unit on the rules screen: its word (as `rules list` and
/// the database write it), with what `day_noon` means (short enough for the
/// severity to stay in view): the last intake on J−n before 12:00, or on an
/// earlier day.
pub fn rule_unit(lang: Lang, unit: crate::domain::rules::Unit) -> &'static str {
    use crate::domain::rules::Unit;
    let fr = lang == Lang::Fr;
    match unit {
        Unit::Days if fr => "jours",
        Unit::Days => "days",
        Unit::Hours if fr => "heures",
        Unit::Hours => "hours",
        Unit::Minutes => "minutes",
        Unit::GL => "G/L",
        Unit::Ratio => "ratio",
        Unit::MlMin => "mL/min",
        Unit::Flag if fr => "oui/non",
        Unit::Flag => "yes/no",
        Unit::DayNoon if fr => "jours, dernière prise avant midi (J−n < 12:00)",
        Unit::DayNoon => "days, last intake before noon (J−n < 12:00)",
        Unit::People if fr => "personnes",
        Unit::People => "people",
    }
}

/// The rules table's severity column, in the words of the screen's legend.
pub fn rule_severity(lang: Lang, severity: crate::domain::rules::Severity) -> &'static str {
    use crate::domain::rules::Severity;
    match (lang, severity) {
        (Lang::Fr, Severity::Blocking) => "bloquant",
        (Lang::Fr, Severity::Advisory) => "à signaler",
        (Lang::Fr, Severity::None) => "aucune",
        (Lang::En, Severity::Blocking) => "blocking",
        (Lang::En, Severity::Advisory) => "advisory",
        (Lang::En, Severity::None) => "none",
    }
}

/// Under a list form: how to add and remove lines (keys from the key table).
pub fn list_hint(lang: Lang, add: &str, remove: &str) -> String {
    match lang {
        Lang::En => {
            format!("{add} adds a line, {remove} removes this one; a blank line is not saved")
        }
        Lang::Fr => format!(
            "{add} ajoute une ligne, {remove} retire celle-ci\u{a0}; une ligne vide n'est pas enregistrée"
        ),
    }
}
