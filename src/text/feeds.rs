//! What `feeds` prints (issue 16): a service code mapped and the cases it
//! filled, an identity change acknowledged.

use super::typo;
use crate::domain::labs::Analyte;
use crate::domain::message::Lang;
use crate::domain::vocab::Technique;

/// `CODE → vertebroplasty + radiofrequency ablation; 2 cases filled: A, B;
/// 1 waiting for a person: C`.
pub fn mapped(
    lang: Lang,
    code: &str,
    techniques: &[Technique],
    filled: &[String],
    pending: &[String],
) -> String {
    use super::Label;
    let names: Vec<&str> = techniques.iter().map(|t| t.label(lang)).collect();
    let names = names.join(" + ");
    let code = typo::quoted(lang, code);
    let mut parts = vec![match lang {
        Lang::En => format!("service code {code} mapped to {names}"),
        Lang::Fr => format!("code de prestation {code} associé à {names}"),
    }];
    let n = filled.len() as u64;
    let list = filled.join(", ");
    parts.push(match (lang, n) {
        (Lang::En, 0) => "no case waiting for it".to_owned(),
        (Lang::Fr, 0) => "aucun dossier en attente".to_owned(),
        (Lang::En, _) => format!(
            "{n} {} filled: {list}",
            typo::plural(lang, n, "case", "cases")
        ),
        (Lang::Fr, _) => format!(
            "{n} {} complété{}\u{a0}: {list}",
            typo::plural(lang, n, "dossier", "dossiers"),
            typo::plural(lang, n, "", "s")
        ),
    });
    if !pending.is_empty() {
        let list = pending.join(", ");
        parts.push(match lang {
            Lang::En => format!(
                "techniques set by a person meanwhile, the mapped ones wait for a choice (resolve): {list}"
            ),
            Lang::Fr => format!(
                "techniques saisies entre-temps, celles du code attendent un choix (resolve)\u{a0}: {list}"
            ),
        });
    }
    typo::finish(lang, typo::Medium::Print, &typo::clauses(lang, &parts))
}

/// `IPP 900001: identity change acknowledged`.
pub fn identity_acknowledged(lang: Lang, ipp: &str) -> String {
    match lang {
        Lang::En => format!("IPP {ipp}: identity change acknowledged"),
        Lang::Fr => format!("IPP {ipp}\u{a0}: changement d'identité vérifié"),
    }
}

/// `RDV-55501: unusable INR result acknowledged`.
pub fn result_acknowledged(lang: Lang, case: &str, analyte: Analyte, n: usize) -> String {
    let name = crate::text::rules::analyte_name(analyte, lang);
    match (lang, n > 1) {
        (Lang::En, false) => format!("{case}: unusable {name} result acknowledged"),
        (Lang::En, true) => format!("{case}: {n} unusable {name} results acknowledged"),
        (Lang::Fr, false) => {
            format!("{case}\u{a0}: résultat {name} inutilisable vérifié")
        }
        (Lang::Fr, true) => {
            format!("{case}\u{a0}: {n} résultats {name} inutilisables vérifiés")
        }
    }
}

/// An analyte `feeds ack-result` does not know.
pub fn not_analyte(lang: Lang, given: &str) -> String {
    let all = "inr, platelets, neutrophils, haemoglobin, creatinine, egfr";
    match lang {
        Lang::En => format!("\"{given}\" is not an analyte: one of {all}"),
        Lang::Fr => format!("«\u{a0}{given}\u{a0}» n'est pas une analyse\u{a0}: une parmi {all}"),
    }
}

/// A technique list that does not read.
pub fn not_techniques(lang: Lang, given: &str) -> String {
    let all: Vec<&str> = Technique::ALL.iter().map(|t| t.as_str()).collect();
    let all = all.join(", ");
    match lang {
        Lang::En => {
            format!("'{given}' is not a technique or techniques joined by + (expected: {all})")
        }
        Lang::Fr => format!(
            "«\u{a0}{given}\u{a0}» n'est pas une technique ni des techniques jointes par + (attendu\u{a0}: {all})"
        ),
    }
}

/// The board's decision cell of a booking ended at its source (not a
/// committee decision): ten columns at most, as the decisions' words.
pub fn source_end_short(lang: Lang, how: crate::domain::feed::SourceEnd) -> &'static str {
    use crate::domain::feed::SourceEnd;
    match how {
        SourceEnd::Cancelled => lang.pick("✗ HIS canc", "✗ ann. SIH"),
        SourceEnd::Deleted => lang.pick("✗ HIS del.", "✗ sup. SIH"),
        SourceEnd::NoShow => lang.pick("✗ no-show", "✗ non venu"),
    }
}

/// The board's technique cell of a case whose techniques are to define
/// (`short`: the narrow column's).
pub fn techniques_to_define(lang: Lang, short: bool) -> &'static str {
    match short {
        false => lang.pick("to define", "à définir"),
        true => lang.pick("TBD", "à déf."),
    }
}

/// `L` on a case with no laboratory result to acknowledge.
pub fn no_lab_unusable(lang: Lang) -> String {
    lang.pick(
        "no laboratory result the program could not use on this case",
        "aucun résultat de laboratoire inutilisable sur ce dossier",
    )
    .to_owned()
}

/// `I` on a case with no identity change.
pub fn no_identity_change(lang: Lang) -> String {
    lang.pick(
        "no identity change by the hospital system to acknowledge on this case",
        "aucun changement d'identité par le SIH à valider sur ce dossier",
    )
    .to_owned()
}
