//! The rules table (`R`) in words: each row's rule, subject and risk as a
//! person reads them, not the storage key (`anaesthesia.required /
//! conscious_sedation / *`). The command line and the audit keep the key.
//! Shown by `tui/ui/rules.rs` in a capped column that wraps, so the value
//! and the severity stay in view; the key shows only under a value being
//! edited.

use crate::domain::rules::table::RuleRow;
use crate::domain::vocab::{Access, Anaesthesia, Drug, ImagingKind, Technique};
use crate::text::{Label, Lang};

/// A rule's name; an unknown rule (refused at load anyway) as it is.
pub fn rule_name(lang: Lang, rule: &str) -> String {
    let (en, fr) = match rule {
        "technique.bleeding_risk" => ("bleeding risk", "risque hémorragique"),
        "technique.risk_per_case" => ("risk set per case", "risque au cas par cas"),
        "technique.arterial_access" => ("arterial access", "abord artériel"),
        "technique.duration" => ("duration", "durée"),
        "imaging.max_age" => ("imaging: validity", "imagerie : validité"),
        "biology.max_age" => ("biology: validity", "biologie : validité"),
        "biology.neutrophils_min" => ("neutrophils: minimum", "neutrophiles : minimum"),
        "biology.sepsis" => ("sepsis blocks", "sepsis bloquant"),
        "biology.egfr_block_below" => ("eGFR: blocking threshold", "DFG : seuil bloquant"),
        "biology.egfr_advise_below" => ("eGFR: advisory threshold", "DFG : seuil à signaler"),
        "coagulation.max_age" => ("coagulation: validity", "coagulation : validité"),
        "coagulation.inr_max" => ("INR: maximum", "INR : maximum"),
        "coagulation.inr_max_arterial" => ("INR: maximum (arterial)", "INR : maximum (artériel)"),
        "coagulation.platelets_min" => ("platelets: minimum", "plaquettes : minimum"),
        "anaesthesia.required" => (
            "anaesthesia consultation required",
            "consultation d'anesthésie requise",
        ),
        "anaesthesia.min_days_before" => (
            "anaesthesia consultation: days before",
            "consultation d'anesthésie : jours avant",
        ),
        "anaesthesia.max_age" => (
            "anaesthesia consultation: validity",
            "consultation d'anesthésie : validité",
        ),
        "consent.required" => ("consent required", "consentement requis"),
        "delay.min_hours" => ("delay: minimum", "délai : minimum"),
        "delay.advise_below" => ("delay: advisory threshold", "délai : seuil à signaler"),
        "medication.hold" => ("drug hold", "arrêt du traitement"),
        "medication.hold_renal" => ("hold (by CrCl)", "arrêt (selon ClCr)"),
        "medication.renal_threshold" => ("renal threshold", "seuil rénal"),
        "medication.crcl_min" => ("CrCl: minimum", "ClCr : minimum"),
        "medication.inr_check" => ("INR check before", "INR à contrôler avant"),
        "medication.aspirin_advisory" => ("aspirin advisory", "aspirine : à signaler"),
        "medication.other" => ("other drug", "autre médicament"),
        "meeting.quorum" => ("quorum: present at least", "quorum : présents au moins"),
        other => return other.to_owned(),
    };
    lang.pick(en, fr).to_owned()
}

/// A rule's subject: a technique, anaesthesia, drug, imaging or access
/// word in words; `*` is every subject.
pub fn subject(lang: Lang, word: &str) -> String {
    if word == "*" {
        return lang.pick("all", "tous").to_owned();
    }
    Technique::parse(word)
        .map(|v| v.label(lang))
        .or_else(|| Anaesthesia::parse(word).map(|v| v.label(lang)))
        .or_else(|| Drug::parse(word).map(|v| v.label(lang)))
        .or_else(|| ImagingKind::parse(word).map(|v| v.label(lang)))
        .or_else(|| Access::parse(word).map(|v| v.label(lang)))
        .or_else(|| crate::domain::roles::Role::parse(word).map(|v| v.label(lang)))
        .map_or_else(|| word.to_owned(), str::to_owned)
}

/// One row: `rule · subject · risk` (the risk only when the row has one).
pub fn row(lang: Lang, r: &RuleRow) -> String {
    let mut s = format!(
        "{} · {}",
        rule_name(lang, &r.rule),
        subject(lang, &r.subject)
    );
    if let Some(risk) = r.risk {
        s.push_str(" · ");
        s.push_str(risk.label(lang));
    }
    crate::text::typo::finish(lang, crate::text::typo::Medium::Screen, &s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_known_rule_has_words_in_each_language() {
        for spec in crate::domain::rules::table::KNOWN_RULES {
            let (en, fr) = (
                rule_name(Lang::En, spec.rule),
                rule_name(Lang::Fr, spec.rule),
            );
            assert_ne!(en, spec.rule, "no English words for {}", spec.rule);
            assert_ne!(fr, spec.rule, "no French words for {}", spec.rule);
            assert_ne!(en, fr, "{}", spec.rule);
        }
        assert_eq!(subject(Lang::Fr, "conscious_sedation"), "sédation vigile");
        assert_eq!(subject(Lang::En, "*"), "all");
        assert_eq!(subject(Lang::Fr, "femoral"), "fémoral");
    }
}
