//! The rules table (`R`) in words: each row's rule, subject and risk as a
//! person reads them, not the storage key (`anaesthesia.required /
//! conscious_sedation / *`). The command line and the audit keep the key.
//! Shown by `tui/ui/rules.rs` in a capped column that wraps, so the value
//! and the severity stay in view; the key shows only under a value being
//! edited.

use crate::domain::rules::table::RuleRow;
use crate::domain::vocab::{Access, Anaesthesia, BleedingRisk, Drug, ImagingKind, Technique};
use crate::text::{Label, Lang};

/// A rule's name; an unknown rule (refused at load anyway) as it is.
pub fn rule_name(lang: Lang, rule: &str) -> String {
    let (en, fr) = match rule {
        "technique.bleeding_risk" => ("bleeding risk", "risque hémorragique"),
        "technique.risk_per_case" => ("risk set per case", "risque au cas par cas"),
        "technique.arterial_access" => ("arterial access", "abord artériel"),
        "technique.duration" => ("duration", "durée"),
        "imaging.max_age" => ("imaging: validity", "imagerie\u{a0}: validité"),
        "biology.max_age" => ("biology: validity", "biologie\u{a0}: validité"),
        "biology.neutrophils_min" => ("neutrophils: minimum", "neutrophiles\u{a0}: minimum"),
        "biology.sepsis" => ("sepsis blocks", "sepsis bloquant"),
        "biology.egfr_block_below" => ("eGFR: blocking threshold", "DFG\u{a0}: seuil bloquant"),
        "biology.egfr_advise_below" => ("eGFR: advisory threshold", "DFG\u{a0}: seuil à signaler"),
        "coagulation.max_age" => ("coagulation: validity", "coagulation\u{a0}: validité"),
        "coagulation.inr_max" => ("INR: maximum", "INR\u{a0}: maximum"),
        "coagulation.inr_max_arterial" => {
            ("INR: maximum (arterial)", "INR\u{a0}: maximum (artériel)")
        }
        "coagulation.platelets_min" => ("platelets: minimum", "plaquettes\u{a0}: minimum"),
        "anaesthesia.required" => (
            "anaesthesia consultation required",
            "consultation d'anesthésie requise",
        ),
        "anaesthesia.min_days_before" => (
            "anaesthesia consultation: days before",
            "consultation d'anesthésie\u{a0}: jours avant",
        ),
        "anaesthesia.max_age" => (
            "anaesthesia consultation: validity",
            "consultation d'anesthésie\u{a0}: validité",
        ),
        "consent.required" => ("consent required", "consentement requis"),
        "delay.min_hours" => ("delay: minimum", "délai\u{a0}: minimum"),
        "delay.advise_below" => ("delay: advisory threshold", "délai\u{a0}: seuil à signaler"),
        "medication.hold" => ("drug hold", "arrêt du traitement"),
        "medication.hold_renal" => ("hold (by CrCl)", "arrêt (selon ClCr)"),
        "medication.renal_threshold" => ("renal threshold", "seuil rénal"),
        "medication.crcl_min" => ("CrCl: minimum", "ClCr\u{a0}: minimum"),
        "medication.inr_check" => ("INR check before", "INR à contrôler avant"),
        "medication.aspirin_advisory" => ("aspirin advisory", "aspirine\u{a0}: à signaler"),
        "medication.other" => ("other drug", "autre médicament"),
        "meeting.quorum" => (
            "quorum: present at least",
            "quorum\u{a0}: présents au moins",
        ),
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
    named(lang, &r.rule, &r.subject, r.risk)
}

/// A row known by its rule, subject and risk, as [`row`] writes it (the
/// refusals name a row so).
pub fn named(lang: Lang, rule: &str, word: &str, risk: Option<BleedingRisk>) -> String {
    let mut s = format!("{} · {}", rule_name(lang, rule), subject(lang, word));
    if let Some(risk) = risk {
        s.push_str(" · ");
        s.push_str(risk.label(lang));
    }
    crate::text::typo::finish(lang, crate::text::typo::Medium::Screen, &s)
}

/// The value column's word for a row without a value (a flag rule).
pub fn no_value(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "none",
        Lang::Fr => "aucune",
    }
}

/// A row's value as the table shows it and the editor starts from: the
/// number (decimal comma in French) or [`no_value`].
pub fn value(lang: Lang, v: Option<f64>) -> String {
    v.map_or_else(
        || no_value(lang).to_owned(),
        |v| crate::text::typo::number(lang, v),
    )
}

/// A typed value read back, whatever the language shown: a number with a
/// point or a comma (`Some(Some(1.5))`), or no value (`Some(None)`: the
/// word in either language, `-` or nothing). None: neither.
pub fn read_value(typed: &str) -> Option<Option<f64>> {
    let typed = typed.trim();
    let empty = typed.is_empty()
        || typed == "-"
        || [Lang::En, Lang::Fr]
            .iter()
            .any(|&l| typed.eq_ignore_ascii_case(no_value(l)));
    if empty {
        return Some(None);
    }
    crate::domain::edit::decimal(typed).map(Some)
}

/// A technique's bleeding risk as its row's value shows it (`*`: none set).
pub fn risk_value(lang: Lang, risk: Option<BleedingRisk>) -> String {
    risk.map_or("*", |r| r.label(lang)).to_owned()
}

/// A typed bleeding risk read back: the word in either language.
pub fn read_risk(typed: &str) -> Option<BleedingRisk> {
    let typed = typed.trim().to_lowercase();
    BleedingRisk::ALL.iter().copied().find(|r| {
        [Lang::En, Lang::Fr]
            .iter()
            .any(|&l| typed == r.label(l) || typed == r.as_str())
    })
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

    #[test]
    fn the_editor_reads_what_the_table_shows_in_either_language() {
        assert_eq!(value(Lang::Fr, Some(1.5)), "1,5");
        assert_eq!(value(Lang::En, Some(1.5)), "1.5");
        assert_eq!(value(Lang::Fr, None), "aucune");
        assert_eq!(value(Lang::En, None), "none");
        #[rustfmt::skip]
        let cases = [
            ("1,5", Some(Some(1.5))), ("1.5", Some(Some(1.5))), ("30", Some(Some(30.0))),
            ("aucune", Some(None)), ("none", Some(None)), ("Aucune", Some(None)),
            ("-", Some(None)), ("", Some(None)), (" ", Some(None)),
            ("1,5,2", None), ("un", None), ("-1", None), ("1.", None),
        ];
        for (typed, read) in cases {
            assert_eq!(read_value(typed), read, "{typed:?}");
        }
        for lang in [Lang::En, Lang::Fr] {
            for r in BleedingRisk::ALL {
                assert_eq!(read_risk(&risk_value(lang, Some(*r))), Some(*r));
            }
        }
        assert_eq!(read_risk("élevé"), Some(BleedingRisk::High));
        assert_eq!(read_risk("low"), Some(BleedingRisk::Low));
        assert_eq!(read_risk("moyen"), None);
    }
}
