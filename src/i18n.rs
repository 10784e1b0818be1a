//! Every user-facing label outside the rule messages, in French and English.
//! (Rule messages: `domain/rules/message.rs`.)

use crate::domain::message::Lang;
use crate::domain::rules::{Item, Severity, Status};
use crate::domain::scores::{MirelsBand, SinsBand};
use crate::domain::vocab::{Anaesthesia, BleedingRisk, DecisionStatus, Technique};

/// Labels of one language.
pub struct Texts {
    pub week: &'static str,
    pub cases: &'static str,
    pub complete: &'static str,
    pub blocking: &'static str,
    pub validated: &'static str,
    pub postponed: &'static str,
    pub cancelled: &'static str,
    pub note: &'static str,
    pub no_cases: &'static str,
    pub years: &'static str,
    pub risk: &'static str,
    pub incomplete_score: &'static str,
    pub missing_items: &'static str,
    pub validated_but_blocking: &'static str,
    /// One case's verdict: complete / blocking.
    pub case_complete: &'static str,
    pub case_blocking: &'static str,
    pub weekdays: [&'static str; 7],
}

const EN: Texts = Texts {
    week: "Week",
    cases: "cases",
    complete: "complete",
    blocking: "blocking",
    validated: "validated",
    postponed: "postponed",
    cancelled: "cancelled",
    note: "note",
    no_cases: "No procedure scheduled this week.",
    years: "y",
    risk: "bleeding risk",
    incomplete_score: "incomplete",
    missing_items: "missing",
    validated_but_blocking: "VALIDATED BUT NOW BLOCKING",
    case_complete: "COMPLETE",
    case_blocking: "BLOCKING",
    weekdays: [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ],
};

const FR: Texts = Texts {
    week: "Semaine",
    cases: "dossiers",
    complete: "complets",
    blocking: "bloquants",
    validated: "validés",
    postponed: "reportés",
    cancelled: "annulés",
    note: "note",
    no_cases: "Aucune intervention prévue cette semaine.",
    years: "ans",
    risk: "risque hémorragique",
    incomplete_score: "incomplet",
    missing_items: "manquant",
    validated_but_blocking: "VALIDÉ MAIS DÉSORMAIS BLOQUANT",
    case_complete: "COMPLET",
    case_blocking: "BLOQUANT",
    weekdays: [
        "Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi", "Samedi", "Dimanche",
    ],
};

pub fn texts(lang: Lang) -> &'static Texts {
    match lang {
        Lang::En => &EN,
        Lang::Fr => &FR,
    }
}

pub fn item(lang: Lang, item: Item) -> &'static str {
    match (lang, item) {
        (Lang::En, Item::Imaging) => "imaging",
        (Lang::En, Item::Biology) => "biology",
        (Lang::En, Item::Coagulation) => "coagulation",
        (Lang::En, Item::Anaesthesia) => "anaesthesia",
        (Lang::En, Item::Consent) => "consent",
        (Lang::En, Item::Delay) => "delay",
        (Lang::En, Item::Medication) => "medication",
        (Lang::Fr, Item::Imaging) => "imagerie",
        (Lang::Fr, Item::Biology) => "biologie",
        (Lang::Fr, Item::Coagulation) => "coagulation",
        (Lang::Fr, Item::Anaesthesia) => "anesthésie",
        (Lang::Fr, Item::Consent) => "consentement",
        (Lang::Fr, Item::Delay) => "délai",
        (Lang::Fr, Item::Medication) => "traitements",
    }
}

/// A marker that reads without colour: severity first, then status.
pub fn marker(severity: Severity, status: Status) -> &'static str {
    match (severity, status) {
        (Severity::Blocking, _) => "[XX]",
        (Severity::Advisory, _) => "[! ]",
        (_, Status::NotRequired) => "[--]",
        _ => "[ok]",
    }
}

pub fn status(lang: Lang, s: Status) -> &'static str {
    match (lang, s) {
        (Lang::En, Status::Ok) => "ok",
        (Lang::En, Status::Missing) => "missing",
        (Lang::En, Status::OutOfRange) => "out of range",
        (Lang::En, Status::Expired) => "expired",
        (Lang::En, Status::NotRequired) => "not required",
        (Lang::Fr, Status::Ok) => "ok",
        (Lang::Fr, Status::Missing) => "manquant",
        (Lang::Fr, Status::OutOfRange) => "hors limites",
        (Lang::Fr, Status::Expired) => "périmé",
        (Lang::Fr, Status::NotRequired) => "non requis",
    }
}

pub fn decision(lang: Lang, d: DecisionStatus) -> &'static str {
    match (lang, d) {
        (Lang::En, DecisionStatus::Pending) => "pending",
        (Lang::En, DecisionStatus::Validated) => "validated",
        (Lang::En, DecisionStatus::Postponed) => "postponed",
        (Lang::En, DecisionStatus::Cancelled) => "cancelled",
        (Lang::Fr, DecisionStatus::Pending) => "en attente",
        (Lang::Fr, DecisionStatus::Validated) => "validé",
        (Lang::Fr, DecisionStatus::Postponed) => "reporté",
        (Lang::Fr, DecisionStatus::Cancelled) => "annulé",
    }
}

pub fn mirels_band(lang: Lang, b: MirelsBand) -> &'static str {
    match (lang, b) {
        (Lang::En, MirelsBand::Low) => "low fracture risk",
        (Lang::En, MirelsBand::Borderline) => "borderline: case by case",
        (Lang::En, MirelsBand::High) => "high: prophylactic fixation",
        (Lang::Fr, MirelsBand::Low) => "risque fracturaire faible",
        (Lang::Fr, MirelsBand::Borderline) => "limite : au cas par cas",
        (Lang::Fr, MirelsBand::High) => "élevé : fixation prophylactique",
    }
}

pub fn sins_band(lang: Lang, b: SinsBand) -> &'static str {
    match (lang, b) {
        (Lang::En, SinsBand::Stable) => "stable",
        (Lang::En, SinsBand::PotentiallyUnstable) => "potentially unstable: surgical opinion",
        (Lang::En, SinsBand::Unstable) => "unstable: surgical opinion",
        (Lang::Fr, SinsBand::Stable) => "stable",
        (Lang::Fr, SinsBand::PotentiallyUnstable) => "potentiellement instable : avis chirurgical",
        (Lang::Fr, SinsBand::Unstable) => "instable : avis chirurgical",
    }
}

pub fn technique(lang: Lang, t: Technique) -> &'static str {
    use Technique::*;
    match (lang, t) {
        (Lang::En, Vertebroplasty) => "vertebroplasty",
        (Lang::En, Kyphoplasty) => "kyphoplasty",
        (Lang::En, Cementoplasty) => "cementoplasty",
        (Lang::En, Osteosynthesis) => "percutaneous osteosynthesis",
        (Lang::En, RadiofrequencyAblation) => "radiofrequency ablation",
        (Lang::En, Cryoablation) => "cryoablation",
        (Lang::En, MicrowaveAblation) => "microwave ablation",
        (Lang::En, LaserAblation) => "laser ablation",
        (Lang::En, FocusedUltrasound) => "focused ultrasound",
        (Lang::En, Neurolysis) => "neurolysis",
        (Lang::En, Embolisation) => "embolisation",
        (Lang::En, TunnelledPleuralDrain) => "tunnelled pleural drain",
        (Lang::En, TunnelledPeritonealDrain) => "tunnelled peritoneal drain",
        (Lang::Fr, Vertebroplasty) => "vertébroplastie",
        (Lang::Fr, Kyphoplasty) => "cyphoplastie",
        (Lang::Fr, Cementoplasty) => "cimentoplastie",
        (Lang::Fr, Osteosynthesis) => "ostéosynthèse percutanée",
        (Lang::Fr, RadiofrequencyAblation) => "radiofréquence",
        (Lang::Fr, Cryoablation) => "cryothérapie",
        (Lang::Fr, MicrowaveAblation) => "micro-ondes",
        (Lang::Fr, LaserAblation) => "laser",
        (Lang::Fr, FocusedUltrasound) => "ultrasons focalisés",
        (Lang::Fr, Neurolysis) => "neurolyse",
        (Lang::Fr, Embolisation) => "embolisation",
        (Lang::Fr, TunnelledPleuralDrain) => "cathéter pleural tunnélisé",
        (Lang::Fr, TunnelledPeritonealDrain) => "cathéter péritonéal tunnélisé",
    }
}

pub fn anaesthesia(lang: Lang, a: Anaesthesia) -> &'static str {
    use Anaesthesia::*;
    match (lang, a) {
        (Lang::En, Local) => "local anaesthesia",
        (Lang::En, Hypnoanalgesia) => "hypnoanalgesia",
        (Lang::En, Meopa) => "nitrous oxide (MEOPA)",
        (Lang::En, ConsciousSedation) => "conscious sedation",
        (Lang::En, General) => "general anaesthesia",
        (Lang::En, Regional) => "regional anaesthesia",
        (Lang::Fr, Local) => "anesthésie locale",
        (Lang::Fr, Hypnoanalgesia) => "hypnoanalgésie",
        (Lang::Fr, Meopa) => "MEOPA",
        (Lang::Fr, ConsciousSedation) => "sédation vigile",
        (Lang::Fr, General) => "anesthésie générale",
        (Lang::Fr, Regional) => "anesthésie locorégionale",
    }
}

pub fn risk(lang: Lang, r: BleedingRisk) -> &'static str {
    match (lang, r) {
        (Lang::En, BleedingRisk::Low) => "low",
        (Lang::En, BleedingRisk::High) => "high",
        (Lang::Fr, BleedingRisk::Low) => "faible",
        (Lang::Fr, BleedingRisk::High) => "élevé",
    }
}
