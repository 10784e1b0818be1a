//! Refusals of a change to the rules table in words: the row named as the
//! rules table names it (`drug hold · apixaban · low`), the problem in the
//! user's language, never the stored key or unit word (`day_noon`).

use crate::domain::rules::Unit;
use crate::domain::rules::table::{RowName, RuleProblem};
use crate::domain::vocab::{BleedingRisk, Technique};
use crate::text::screen::rules_table;
use crate::text::typo::number;
use crate::text::{Label, Lang};

/// A unit after a number (`3650 days`); empty for a ratio or a flag.
fn unit_after(lang: Lang, unit: Unit) -> &'static str {
    match (lang, unit) {
        (Lang::En, Unit::Days | Unit::DayNoon) => " days",
        (Lang::Fr, Unit::Days | Unit::DayNoon) => " jours",
        (Lang::En, Unit::Hours) => " hours",
        (Lang::Fr, Unit::Hours) => " heures",
        (_, Unit::Minutes) => " minutes",
        (_, Unit::GL) => " G/L",
        (_, Unit::MlMin) => " mL/min",
        (Lang::En, Unit::People) => " people",
        (Lang::Fr, Unit::People) => " personnes",
        (_, Unit::Ratio | Unit::Flag) => "",
    }
}

/// A unit by itself (`an allowed unit: days`).
fn unit_alone(lang: Lang, unit: Unit) -> &'static str {
    match (lang, unit) {
        (Lang::En, Unit::Ratio) => "ratio",
        (Lang::Fr, Unit::Ratio) => "ratio",
        (Lang::En, Unit::Flag) => "yes/no",
        (Lang::Fr, Unit::Flag) => "oui/non",
        (Lang::En, Unit::DayNoon) => "days before noon",
        (Lang::Fr, Unit::DayNoon) => "jours avant midi",
        (l, u) => unit_after(l, u).trim_start(),
    }
}

/// What is wrong with a value, in words.
pub fn problem(lang: Lang, p: &RuleProblem) -> String {
    match (lang, *p) {
        (Lang::En, RuleProblem::UnknownRule) => "the program does not know this rule".into(),
        (Lang::Fr, RuleProblem::UnknownRule) => "le programme ne connaît pas cette règle".into(),
        (_, RuleProblem::UnitNotAllowed { unit, allowed }) => {
            let allowed: Vec<&str> = allowed.iter().map(|u| unit_alone(lang, *u)).collect();
            let allowed = allowed.join(lang.pick(" or ", " ou "));
            let unit = unit_alone(lang, unit);
            match lang {
                Lang::En => format!("a value in {unit} does not suit it (expected {allowed})"),
                Lang::Fr => {
                    format!("une valeur en {unit} ne lui convient pas (attendu\u{a0}: {allowed})")
                }
            }
        }
        (Lang::En, RuleProblem::ValueMissing) => "it needs a value".into(),
        (Lang::Fr, RuleProblem::ValueMissing) => "elle demande une valeur".into(),
        (Lang::En, RuleProblem::NotFinite(_)) => "the value is not a finite number".into(),
        (Lang::Fr, RuleProblem::NotFinite(_)) => "la valeur n'est pas un nombre fini".into(),
        (
            _,
            RuleProblem::OutOfRange {
                value,
                unit,
                min,
                max,
            },
        ) => {
            let (value, min, max) = (number(lang, value), number(lang, min), number(lang, max));
            let unit = unit_after(lang, unit);
            match lang {
                Lang::En => format!("{value} is outside {min}–{max}{unit}"),
                Lang::Fr => format!("{value} est hors de l'intervalle {min}–{max}{unit}"),
            }
        }
        (Lang::En, RuleProblem::ValueNotRead(_)) => {
            "this rule takes no value (it applies by being there): give none".into()
        }
        (Lang::Fr, RuleProblem::ValueNotRead(_)) => {
            "cette règle ne prend pas de valeur (elle s'applique par sa présence)\u{a0}: donnez aucune".into()
        }
        (_, RuleProblem::NotWhole { value, unit }) => {
            let value = number(lang, value);
            let people = unit == crate::domain::rules::Unit::People;
            match (lang, people) {
                (Lang::En, true) => format!("{value} is not a whole number of people"),
                (Lang::Fr, true) => format!("{value} n'est pas un nombre entier de personnes"),
                (Lang::En, false) => format!("{value} is not a whole number of days"),
                (Lang::Fr, false) => format!("{value} n'est pas un nombre entier de jours"),
            }
        }
    }
}

/// A row as the rules table names it.
pub fn name(lang: Lang, row: &RowName) -> String {
    rules_table::named(lang, &row.rule, &row.subject, row.risk)
}

/// A change to a row refused: `problem (row in words)`.
pub fn refused(lang: Lang, row: &RowName, p: &RuleProblem) -> String {
    format!("{} ({})", problem(lang, p), name(lang, row))
}

/// `rules set` on a row the table does not have: the key as typed.
pub fn no_row(lang: Lang, key: &str) -> String {
    match lang {
        Lang::En => format!("no rules row {key} (see `ir-committee rules list`)"),
        Lang::Fr => {
            format!("aucune ligne de règle {key} (voir `ir-committee rules list`)")
        }
    }
}

/// A technique with no bleeding risk row to change.
pub fn no_risk_row(lang: Lang, t: Technique) -> String {
    let t = t.label(lang);
    match lang {
        Lang::En => format!(
            "the technique {t} has no bleeding risk row to change (see `ir-committee rules list`)"
        ),
        Lang::Fr => format!(
            "la technique {t} n'a pas de ligne de risque hémorragique à modifier (voir `ir-committee rules list`)"
        ),
    }
}

/// A technique with several bleeding risk rows.
pub fn risk_rows(lang: Lang, t: Technique, risks: &[String]) -> String {
    let label = t.label(lang);
    let risks: Vec<&str> = risks
        .iter()
        .map(|r| BleedingRisk::parse(r).map_or(r.as_str(), |r| r.label(lang)))
        .collect();
    let (n, risks) = (risks.len(), risks.join(", "));
    match lang {
        Lang::En => format!(
            "the technique {label} has {n} bleeding risk rows ({risks}); keep one before changing it"
        ),
        Lang::Fr => format!(
            "la technique {label} a {n} lignes de risque hémorragique ({risks})\u{202f}; n'en gardez qu'une avant de la modifier"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_value_names_the_row_in_words_never_its_key() {
        let p = RuleProblem::NotWhole {
            value: 1.5,
            unit: Unit::DayNoon,
        };
        let row = RowName {
            rule: "medication.hold".into(),
            subject: "apixaban".into(),
            risk: Some(BleedingRisk::Low),
        };
        assert_eq!(
            refused(Lang::Fr, &row, &p),
            "1,5 n'est pas un nombre entier de jours (arrêt du traitement · apixaban · faible)"
        );
        assert_eq!(
            refused(Lang::En, &row, &p),
            "1.5 is not a whole number of days (drug hold · apixaban · low)"
        );
        let p = RuleProblem::OutOfRange {
            value: 0.0,
            unit: Unit::DayNoon,
            min: 1.0,
            max: 3650.0,
        };
        assert_eq!(
            problem(Lang::Fr, &p),
            "0 est hors de l'intervalle 1–3650 jours"
        );
        let p = RuleProblem::OutOfRange {
            value: 40.0,
            unit: Unit::Ratio,
            min: 0.5,
            max: 15.0,
        };
        assert_eq!(problem(Lang::Fr, &p), "40 est hors de l'intervalle 0,5–15");
        let p = RuleProblem::UnitNotAllowed {
            unit: Unit::Days,
            allowed: &[Unit::Flag],
        };
        assert_eq!(
            problem(Lang::Fr, &p),
            "une valeur en jours ne lui convient pas (attendu\u{a0}: oui/non)"
        );
        for lang in [Lang::En, Lang::Fr] {
            for s in [
                refused(lang, &row, &p),
                no_risk_row(lang, Technique::Neurolysis),
                risk_rows(lang, Technique::Neurolysis, &["low".into(), "high".into()]),
            ] {
                for internal in ["day_noon", "medication.hold", "technique.bleeding_risk"] {
                    assert!(!s.contains(internal), "{s}");
                }
            }
        }
    }
}
