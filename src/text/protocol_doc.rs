//! The words of the local protocol's document (`rules document`, issue
//! 17): headings, what each rule means, the units, the scores' bands and
//! the changes since the last approval. Printed text: U+00A0 before `:`,
//! U+202F before `;` `?` `!` in French.

use crate::domain::rules::Unit;
use crate::text::Lang;

/// The document's title.
pub fn title(lang: Lang) -> &'static str {
    lang.pick(
        "Local protocol of the pre-interventional validation committee",
        "Protocole local du comité de validation pré-interventionnel",
    )
}

/// Under the title: what the document is.
pub fn intro(lang: Lang) -> &'static str {
    lang.pick(
        "Every threshold, validity window and drug hold the committee's dossier checks apply, as the rules table of the file holds them. The department reviews and approves this table; a chair changes a row with the command ir-committee rules set.",
        "Chaque seuil, fenêtre de validité et arrêt de traitement que vérifie le contrôle des dossiers du comité, tels que la table des règles du fichier les contient. Le service relit et approuve cette table\u{202f}; un président modifie une ligne avec la commande ir-committee rules set.",
    )
}

/// The header's labels: version, last approval, state, time zone.
pub fn version_label(lang: Lang) -> &'static str {
    lang.pick("Protocol version", "Version du protocole")
}

pub fn approval_label(lang: Lang) -> &'static str {
    lang.pick("Last approval", "Dernière approbation")
}

pub fn state_label(lang: Lang) -> &'static str {
    lang.pick("State", "État")
}

pub fn zone_label(lang: Lang) -> &'static str {
    lang.pick("Hospital time zone", "Fuseau horaire de l'hôpital")
}

/// The fingerprint of the rules and the zone (`domain::protocol::digest`):
/// what an approval keeps, to tell a change the version did not count.
pub fn digest_label(lang: Lang) -> &'static str {
    lang.pick(
        "Fingerprint of the rules and the zone",
        "Empreinte des règles et du fuseau",
    )
}

/// The last approval: "04/11/2026, Dr Martin (note: relu en réunion)".
pub fn approval(lang: Lang, version: i64, on: &str, by: &str, note: &str) -> String {
    match lang {
        Lang::En => format!("v{version}, {on}, by {by} (note: {note})"),
        Lang::Fr => format!("v{version}, le {on}, par {by} (note\u{a0}: {note})"),
    }
}

/// The meeting of an approval and who was present: "meeting 2026-W45:
/// Dr A (radiologist), Dr B"; none recorded: said so.
pub fn approval_meeting(lang: Lang, week: Option<&str>, present: &[String]) -> String {
    match (lang, week) {
        (Lang::En, Some(w)) if present.is_empty() => format!("meeting {w}: nobody recorded"),
        (Lang::Fr, Some(w)) if present.is_empty() => {
            format!("réunion {w}\u{a0}: aucun présent enregistré")
        }
        (Lang::En, Some(w)) => format!("meeting {w}: {}", present.join(", ")),
        (Lang::Fr, Some(w)) => format!("réunion {w}\u{a0}: {}", present.join(", ")),
        (Lang::En, None) => "no meeting recorded that day".into(),
        (Lang::Fr, None) => "aucune réunion enregistrée ce jour-là".into(),
    }
}

pub fn meeting_label(lang: Lang) -> &'static str {
    lang.pick("Approved at", "Approuvé en")
}

pub fn never_approved(lang: Lang) -> &'static str {
    lang.pick("never approved", "jamais approuvé")
}

/// A section's heading: the dossier item whose rules it holds (the part of
/// the rule's name before the dot); `scores` is the scores' section.
pub fn group(lang: Lang, prefix: &str) -> String {
    let (en, fr) = match prefix {
        "technique" => ("Techniques", "Techniques"),
        "imaging" => ("Imaging", "Imagerie"),
        "biology" => ("Biology", "Biologie"),
        "coagulation" => ("Coagulation", "Coagulation"),
        "anaesthesia" => ("Anaesthesia consultation", "Consultation d'anesthésie"),
        "consent" => ("Information and consent", "Information et consentement"),
        "delay" => ("Reflection delay", "Délai de réflexion"),
        "medication" => (
            "Anticoagulants and antiplatelets",
            "Anticoagulants et antiagrégants plaquettaires",
        ),
        "meeting" => ("Meeting", "Réunion"),
        "scores" => ("Scores", "Scores"),
        other => return other.to_owned(),
    };
    lang.pick(en, fr).to_owned()
}

/// The rules tables' column headings.
pub fn heads(lang: Lang) -> [&'static str; 7] {
    match lang {
        Lang::En => [
            "subject",
            "bleeding risk",
            "value",
            "unit",
            "severity",
            "source",
            "last change",
        ],
        Lang::Fr => [
            "objet",
            "risque hémorragique",
            "valeur",
            "unité",
            "sévérité",
            "source",
            "dernière modification",
        ],
    }
}

/// The risk column of a row for either bleeding risk.
pub fn either_risk(lang: Lang) -> &'static str {
    lang.pick("either", "les deux")
}

/// A row no change of the trail names: as the file was created.
pub fn initial_value(lang: Lang) -> &'static str {
    lang.pick("initial value", "valeur initiale")
}

/// The last change of a row: "07/12/2026, Dr Martin (v2)".
pub fn changed(lang: Lang, on: &str, by: &str, version: i64) -> String {
    match lang {
        Lang::En => format!("{on}, {by} (v{version})"),
        Lang::Fr => format!("{on}, {by} (v{version})"),
    }
}

/// A value that is not read (a flag) or not set.
pub const NO_VALUE: &str = "—";

/// A unit in words, as the document's unit column writes it.
pub fn unit(lang: Lang, unit: Unit) -> &'static str {
    let fr = lang == Lang::Fr;
    match unit {
        Unit::Days if fr => "jours",
        Unit::Days => "days",
        Unit::DayNoon if fr => "J−n avant midi",
        Unit::DayNoon => "J−n before noon",
        Unit::Hours if fr => "heures",
        Unit::Hours => "hours",
        Unit::Minutes => "minutes",
        Unit::GL => "G/L",
        Unit::Ratio if fr => "ratio (INR)",
        Unit::Ratio => "ratio (INR)",
        Unit::MlMin => "mL/min",
        Unit::People if fr => "personnes",
        Unit::People => "people",
        Unit::Flag => NO_VALUE,
    }
}

/// The printed document's sign-off block: its heading, its sentence, its
/// columns and the roles that usually review a local protocol (left blank
/// to fill in by hand on paper).
pub fn sign_off(
    lang: Lang,
    version: i64,
    digest: &str,
) -> (String, String, [&'static str; 4], [&'static str; 4]) {
    let fr = lang == Lang::Fr;
    let title = lang
        .pick("Review and signatures", "Relecture et signatures")
        .to_owned();
    let sentence = if fr {
        format!("Relu et approuvé, version v{version} (empreinte {digest})\u{a0}:")
    } else {
        format!("Reviewed and approved, version v{version} (fingerprint {digest}):")
    };
    let heads = if fr {
        ["fonction", "nom", "date", "signature"]
    } else {
        ["role", "name", "date", "signature"]
    };
    let roles = if fr {
        [
            "radiologue interventionnel",
            "anesthésiste-réanimateur",
            "pharmacien",
            "comité de lutte contre la douleur",
        ]
    } else {
        [
            "interventional radiologist",
            "anaesthetist",
            "pharmacist",
            "pain committee",
        ]
    };
    (title, sentence, heads, roles)
}

/// The last section's heading and its sentences.
pub fn changes_title(lang: Lang) -> &'static str {
    lang.pick(
        "Changes since the previous approved version",
        "Modifications depuis la version approuvée précédente",
    )
}

/// What the changes start from: the version approved before the one in
/// force, or none.
pub fn changes_since(lang: Lang, base: Option<i64>) -> String {
    match (lang, base) {
        (Lang::En, Some(v)) => format!("Every change of the rules table after version v{v}."),
        (Lang::Fr, Some(v)) => {
            format!("Chaque modification de la table des règles après la version v{v}.")
        }
        (Lang::En, None) => {
            "No version was approved before: every change of the rules table.".into()
        }
        (Lang::Fr, None) => "Aucune version n'a été approuvée auparavant\u{a0}: chaque modification de la table des règles.".into(),
    }
}

pub fn no_changes(lang: Lang, base: Option<i64>) -> String {
    match (lang, base) {
        (Lang::En, Some(v)) => format!("No change since version v{v}."),
        (Lang::Fr, Some(v)) => format!("Aucune modification depuis la version v{v}."),
        (Lang::En, None) => "No change: the table is as a new file holds it.".into(),
        (Lang::Fr, None) => {
            "Aucune modification\u{a0}: la table est celle d'un nouveau fichier.".into()
        }
    }
}

/// The changes table's column headings.
pub fn change_heads(lang: Lang) -> [&'static str; 7] {
    match lang {
        Lang::En => [
            "version", "when", "who", "row", "before", "after", "approved",
        ],
        Lang::Fr => [
            "version",
            "quand",
            "qui",
            "ligne",
            "avant",
            "après",
            "approuvée",
        ],
    }
}

/// Whether a change is covered by an approval (the version that approved
/// it).
pub fn approved_in(lang: Lang, version: Option<i64>) -> String {
    match (lang, version) {
        (Lang::En, Some(v)) => format!("yes (v{v})"),
        (Lang::Fr, Some(v)) => format!("oui (v{v})"),
        (Lang::En, None) => "no".into(),
        (Lang::Fr, None) => "non".into(),
    }
}

/// A row of the trail that cannot be read back.
pub fn unreadable_row(lang: Lang) -> &'static str {
    lang.pick("(unreadable)", "(illisible)")
}

/// A value of a change with its severity: "1,5 ratio (INR) (bloquant)".
pub fn side(value: &str, unit: &str, severity: &str) -> String {
    if unit.is_empty() || value == NO_VALUE {
        format!("{value} ({severity})")
    } else {
        format!("{value} {unit} ({severity})")
    }
}

/// The scores' section: they are not rows of the table.
pub fn scores_intro(lang: Lang) -> &'static str {
    lang.pick(
        "The scores are fixed by their publications, not by the rules table: they cannot be changed here. If any item is unknown, no total is shown.",
        "Les scores sont fixés par leurs publications, pas par la table des règles\u{a0}: ils ne se modifient pas ici. Si un item est inconnu, aucun total n'est affiché.",
    )
}

/// Mirels (per lesion): its items, bands and sources, one line each.
pub fn mirels(lang: Lang) -> [&'static str; 5] {
    match lang {
        Lang::En => [
            "Mirels (per lesion; Mirels, Clin Orthop 1989;249:256): site, pain, size (of cortex) and appearance, 1–3 points each, total 4–12.",
            "≤ 7: fracture risk 4%, observation or radiotherapy.",
            "8: fracture risk 15%, case by case.",
            "≥ 9: fracture risk > 33%, prophylactic stabilisation (référentiel p. 11: \"Mirels > 8 impose une fixation prophylactique\").",
            "Source: Mirels H. Clin Orthop Relat Res 1989;249:256–264; référentiel, Annexe 4.",
        ],
        Lang::Fr => [
            "Mirels (par lésion\u{202f}; Mirels, Clin Orthop 1989;249:256)\u{a0}: siège, douleur, taille (de la corticale) et aspect, 1 à 3 points chacun, total de 4 à 12.",
            "≤ 7\u{a0}: risque fracturaire 4\u{a0}%, surveillance ou radiothérapie.",
            "8\u{a0}: risque fracturaire 15\u{a0}%, au cas par cas.",
            "≥ 9\u{a0}: risque fracturaire > 33\u{a0}%, stabilisation prophylactique (référentiel p. 11\u{a0}: «\u{202f}Mirels > 8 impose une fixation prophylactique\u{202f}»).",
            "Source\u{a0}: Mirels H. Clin Orthop Relat Res 1989;249:256–264\u{202f}; référentiel, annexe 4.",
        ],
    }
}

/// SINS (per vertebral level): its items, bands and sources, one line each.
pub fn sins(lang: Lang) -> [&'static str; 5] {
    match lang {
        Lang::En => [
            "SINS (per vertebral level; Fisher, Spine 2010;35:E1221): location, pain, bone lesion, alignment, body collapse, posterolateral involvement, total 0–18. L2, L3 and L4 are mobile (2 points).",
            "0–6: stable.",
            "7–12: potentially unstable, surgical opinion.",
            "13–18: unstable, surgical opinion.",
            "Source: Fisher CG et al. Spine 2010;35:E1221–E1229; référentiel, Annexe 4.",
        ],
        Lang::Fr => [
            "SINS (par étage vertébral\u{202f}; Fisher, Spine 2010;35:E1221)\u{a0}: localisation, douleur, lésion osseuse, alignement, tassement du corps, atteinte postéro-latérale, total de 0 à 18. L2, L3 et L4 sont mobiles (2 points).",
            "0 à 6\u{a0}: stable.",
            "7 à 12\u{a0}: potentiellement instable, avis chirurgical.",
            "13 à 18\u{a0}: instable, avis chirurgical.",
            "Source\u{a0}: Fisher CG et al. Spine 2010;35:E1221–E1229\u{202f}; référentiel, annexe 4.",
        ],
    }
}

/// The end of the document: how it was made.
pub fn made_by(lang: Lang) -> &'static str {
    lang.pick(
        "Generated by the command ir-committee rules document from the file's rules table.",
        "Produit par la commande ir-committee rules document à partir de la table des règles du fichier.",
    )
}

/// `rules document --output FILE` done.
pub fn written(lang: Lang, path: &str) -> String {
    match lang {
        Lang::En => format!("Local protocol written: {path}"),
        Lang::Fr => format!("Protocole local écrit\u{a0}: {path}"),
    }
}

#[path = "protocol_rules.rs"]
mod rules;
pub use rules::description;
