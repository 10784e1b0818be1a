//! A laboratory's results in words (issue 16): an analyte's name, a
//! result the program could not use.

use super::when;
use crate::domain::message::Lang;

/// An analyte's name in a sentence.
pub fn analyte_name(a: crate::domain::labs::Analyte, lang: Lang) -> &'static str {
    use crate::domain::labs::Analyte::*;
    match (a, lang == Lang::Fr) {
        (Inr, _) => "INR",
        (Platelets, false) => "platelets",
        (Platelets, true) => "plaquettes",
        (Neutrophils, false) => "neutrophils",
        (Neutrophils, true) => "neutrophiles",
        (Haemoglobin, false) => "haemoglobin",
        (Haemoglobin, true) => "hémoglobine",
        (Creatinine, false) => "creatinine",
        (Creatinine, true) => "créatinine",
        (Egfr, false) => "eGFR",
        (Egfr, true) => "DFG",
    }
}

/// A laboratory's result that could not be used: "laboratory INR result
/// unusable: ">15" on 07/12/2026 08:15 (not a number) — check it".
#[rustfmt::skip]
pub fn unusable(u: &crate::domain::feed::UnusableLab, lang: Lang) -> String {
    use crate::domain::feed::Unusable;
    let fr = lang == Lang::Fr;
    let name = analyte_name(u.analyte, lang);
    // The unit when it is the matter (not known; the bounds' own).
    let unit = matches!(u.reason, Unusable::UnknownUnit | Unusable::OutOfBounds) && !u.unit.is_empty();
    let sent = if unit { format!("{} {}", u.raw, u.unit) } else { u.raw.clone() };
    let sent = crate::text::typo::quoted(lang, &sent);
    let on = match (u.at, fr) {
        (Some(at), false) => format!(" on {}", when(at, lang)),
        (Some(at), true) => format!(" du {}", when(at, lang)),
        (None, _) => String::new(),
    };
    let by = u.source.strip_prefix("hl7:").unwrap_or(&u.source);
    match (u.reason, u.at) {
        (Unusable::ResentAfterCorrection, _) => return t!(fr,
            "final {name} result {sent}{on} re-sent by {by} after its correction: kept the correction — check it (feeds ack-result)",
            "résultat définitif {name} {sent}{on} renvoyé par {by} après sa correction\u{a0}: correction gardée — à vérifier (feeds ack-result)"),
        (Unusable::ResentAfterWithdrawal, _) => return t!(fr,
            "final {name} result {sent}{on} re-sent by {by} after its withdrawal: not applied — check it (feeds ack-result)",
            "résultat définitif {name} {sent}{on} renvoyé par {by} après son retrait\u{a0}: non appliqué — à vérifier (feeds ack-result)"),
        // Dated at a time the sender gave no value of: nothing removed.
        (Unusable::Withdrawn, Some(_)) if u.raw.is_empty() => return t!(fr,
            "{name} result{on} withdrawn by the laboratory ({by}): the stored value of that day has another time and may be the one withdrawn — check it (feeds ack-result)",
            "résultat {name}{on} retiré par le laboratoire ({by})\u{a0}: la valeur enregistrée de ce jour a une autre heure et est peut-être celle retirée — à vérifier (feeds ack-result)"),
        (Unusable::Withdrawn, Some(_)) => return t!(fr,
            "{name} result withdrawn by the laboratory ({by}): {sent}{on} removed from the case — type a value or check it (feeds ack-result)",
            "résultat {name} retiré par le laboratoire ({by})\u{a0}: {sent}{on} enlevé du dossier — à ressaisir ou à vérifier (feeds ack-result)"),
        (Unusable::Withdrawn, None) => return t!(fr,
            "{name} result withdrawn by the laboratory ({by}) with no specimen time: the stored value may be the one withdrawn — check it (feeds ack-result)",
            "résultat {name} retiré par le laboratoire ({by}) sans heure de prélèvement\u{a0}: la valeur enregistrée est peut-être celle retirée — à vérifier (feeds ack-result)"),
        _ => {}
    }
    let why = match u.reason {
        Unusable::NotANumber => t!(fr, "not a number", "pas un nombre"),
        Unusable::UnknownUnit => t!(fr, "unit not known", "unité inconnue"),
        Unusable::Undated => t!(fr, "no specimen time", "sans heure de prélèvement"),
        Unusable::OutOfBounds => t!(fr, "outside physical bounds", "hors des bornes physiques"),
        Unusable::TwoValues => t!(fr, "two different values of one time", "deux valeurs différentes au même moment"),
        Unusable::Future => t!(fr, "dated after it arrived", "daté après sa réception"),
        // Worded above.
        Unusable::ResentAfterCorrection | Unusable::Withdrawn | Unusable::ResentAfterWithdrawal => String::new(),
    };
    t!(fr, "laboratory {name} result unusable: {sent}{on} ({why}) — check it (feeds ack-result)",
        "résultat {name} du laboratoire inutilisable\u{a0}: {sent}{on} ({why}) — à vérifier (feeds ack-result)")
}
