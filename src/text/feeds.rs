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
    remapped: bool,
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
    if remapped {
        parts.push(match lang {
            Lang::En => "it was mapped otherwise: the new mapping applies to later bookings only, \
                         the cases that have their techniques keep them"
                .to_owned(),
            Lang::Fr => "il était associé autrement\u{a0}: la nouvelle association vaut pour les \
                         réservations suivantes seulement, les dossiers qui ont leurs techniques \
                         les gardent"
                .to_owned(),
        });
    }
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

/// The event that ended a booking at its source, in a few words.
pub fn source_end_event(lang: Lang, how: crate::domain::feed::SourceEnd) -> &'static str {
    use crate::domain::feed::SourceEnd;
    match how {
        SourceEnd::Cancelled => lang.pick("cancellation", "annulation"),
        SourceEnd::Deleted => lang.pick("deletion", "suppression"),
        SourceEnd::NoShow => lang.pick("no-show", "patient non venu"),
    }
}

/// A case whose booking ended at its source, as its own state (the
/// detail, `check`, the minutes): "cancelled at source on 2026-12-06
/// (cancellation, hl7:RIS@HOP): not a committee decision"; `validated`:
/// the committee had validated it before.
pub fn ended_state(lang: Lang, end: &crate::domain::feed::Ended, validated: bool) -> String {
    let on = typo::date(lang, end.on);
    let event = source_end_event(lang, end.how);
    let source = crate::domain::text::sanitize_line(&end.source);
    match (lang, validated) {
        (Lang::En, false) => {
            format!("cancelled at source on {on} ({event}, {source}): not a committee decision")
        }
        (Lang::En, true) => format!(
            "validated, then cancelled at source on {on} ({event}, {source}): not in the programme"
        ),
        (Lang::Fr, false) => format!(
            "annulé par la source le {on} ({event}, {source})\u{a0}: pas une décision du comité"
        ),
        (Lang::Fr, true) => format!(
            "validé puis annulé par la source le {on} ({event}, {source})\u{a0}: retiré du programme"
        ),
    }
}

/// The board's decision cell of a case whose booking ended at its source
/// (not a committee decision), at most eleven columns; `validated`: the
/// committee had validated it before (✓✗).
pub fn ended_short(lang: Lang, how: crate::domain::feed::SourceEnd, validated: bool) -> String {
    let word = source_end_short(lang, how);
    if validated {
        format!("✓{word}")
    } else {
        word.to_owned()
    }
}

/// The header's count of the week's cases ended at their source.
pub fn ended_count(lang: Lang, n: usize) -> String {
    match lang {
        Lang::En => format!("cancelled at source {n}"),
        Lang::Fr => format!("annulés par la source {n}"),
    }
}

/// A trait of the identity, as the advisory names it.
pub fn identity_field(lang: Lang, f: crate::domain::feed::IdentityField) -> &'static str {
    use crate::domain::feed::IdentityField;
    match f {
        IdentityField::LastName => lang.pick("last name", "nom"),
        IdentityField::FirstName => lang.pick("first name", "prénom"),
        IdentityField::BirthDate => lang.pick("birth date", "date de naissance"),
        IdentityField::Sex => lang.pick("sex", "sexe"),
    }
}

/// One trait changed, "last name MARTIN → MARTIN-DUPONT" (a birth date as
/// dates are written in `lang`; an empty value as "—").
pub fn identity_change(lang: Lang, c: &crate::domain::feed::IdentityChange) -> String {
    use crate::domain::feed::IdentityField;
    let value = |v: &str| {
        let v = crate::domain::text::sanitize_line(v);
        if v.is_empty() {
            return "—".to_owned();
        }
        match (c.field, chrono::NaiveDate::parse_from_str(&v, "%Y-%m-%d")) {
            (IdentityField::BirthDate, Ok(d)) => typo::date(lang, d),
            _ => v,
        }
    };
    format!(
        "{} {} → {}",
        identity_field(lang, c.field),
        value(&c.old),
        value(&c.new)
    )
}

/// The identity advisory: "identité modifiée par le SIH le 06/12/2026 :
/// nom MARTIN → MARTIN-DUPONT, date de naissance 01/02/1950 → 02/01/1950 :
/// vérifier" (no change listed: the identity is back to what it was); by
/// an imported file (`by_file`): "identité modifiée par le fichier importé
/// « x.json » le …".
pub fn identity_changed(
    lang: Lang,
    on: chrono::NaiveDate,
    changes: &[crate::domain::feed::IdentityChange],
    by_file: Option<&str>,
) -> String {
    let on = typo::date(lang, on);
    let list: Vec<String> = changes.iter().map(|c| identity_change(lang, c)).collect();
    let list = list.join(", ");
    let by = match (lang, by_file) {
        (Lang::En, None) => "the hospital system".to_owned(),
        (Lang::Fr, None) => "le SIH".to_owned(),
        (Lang::En, Some(f)) => format!("the imported file {}", typo::quoted(lang, f)),
        (Lang::Fr, Some(f)) => format!("le fichier importé {}", typo::quoted(lang, f)),
    };
    match (lang, changes.is_empty()) {
        (Lang::En, true) => format!("identity changed by {by} on {on}, then back as it was: check"),
        (Lang::En, false) => format!("identity changed by {by} on {on}: {list}: check"),
        (Lang::Fr, true) => format!(
            "identité modifiée par {by} le {on}, puis revenue à l'identique\u{a0}: vérifier"
        ),
        (Lang::Fr, false) => {
            format!("identité modifiée par {by} le {on}\u{a0}: {list}\u{a0}: vérifier")
        }
    }
}

/// The procedure line of a case whose techniques are to define: the
/// codes to map and the command that maps them.
pub fn procedure_to_define(lang: Lang, codes: &[String]) -> String {
    let list: Vec<String> = codes
        .iter()
        .map(|c| crate::domain::text::sanitize_line(c))
        .collect();
    let list = list.join(", ");
    match (lang, codes.len()) {
        (Lang::En, 0) => "to define (the hospital system sent no service code)".to_owned(),
        (Lang::En, 1) => format!("to define (hospital system code {list}: feeds map-service)"),
        (Lang::En, _) => format!("to define (hospital system codes {list}: feeds map-service)"),
        (Lang::Fr, 0) => "à définir (le SIH n'a envoyé aucun code de prestation)".to_owned(),
        (Lang::Fr, 1) => format!("à définir (code SIH {list}\u{a0}: feeds map-service)"),
        (Lang::Fr, _) => format!("à définir (codes SIH {list}\u{a0}: feeds map-service)"),
    }
}

/// A case whose booking ended at its source, in two words (a refusal's
/// "X is …").
pub fn ended_word(lang: Lang) -> &'static str {
    lang.pick("cancelled at source", "annulé par la source")
}

/// The title of `I`'s confirmation.
/// `L`'s dialog title.
pub fn results_dialog_title(lang: Lang) -> &'static str {
    lang.pick(
        "Laboratory results the program could not use",
        "Résultats de laboratoire inutilisables",
    )
}

/// `RDV-7: unusable INR result ">15" acknowledged; 1 more to check`.
pub fn one_result_acknowledged(
    lang: Lang,
    case: &str,
    u: &crate::domain::feed::UnusableLab,
    left: usize,
) -> String {
    let name = crate::text::rules::analyte_name(u.analyte, lang);
    let sent = typo::quoted(lang, &crate::domain::text::sanitize_line(&u.raw));
    match (lang, left) {
        (Lang::En, 0) => format!("{case}: unusable {name} result {sent} acknowledged"),
        (Lang::En, n) => {
            format!("{case}: unusable {name} result {sent} acknowledged; {n} more to check")
        }
        (Lang::Fr, 0) => format!("{case}\u{a0}: résultat {name} inutilisable {sent} vérifié"),
        (Lang::Fr, n) => format!(
            "{case}\u{a0}: résultat {name} inutilisable {sent} vérifié\u{a0}; encore {n} à vérifier"
        ),
    }
}

pub fn identity_dialog_title(lang: Lang) -> &'static str {
    lang.pick(
        "Identity changed by the hospital system",
        "Identité modifiée par le SIH",
    )
}

/// A decided case the hospital's system changed since: "modifié par le SIH
/// le 01/12/2026 après la décision du comité (date 02/12/2026 10:00 →
/// 05/12/2026 14:00, technique radiofréquence → vertébroplastie) : à
/// re-décider".
pub fn changed_after_decision(lang: Lang, c: &crate::domain::feed::ChangedAfterDecision) -> String {
    use crate::domain::feed::ChangedField;
    let on = typo::date(lang, c.on);
    let mut parts: Vec<String> = c
        .changes
        .iter()
        .map(|ch| {
            let (name, before, after) = match ch.field {
                ChangedField::ScheduledAt => (
                    "date",
                    slot_words(lang, &ch.before),
                    slot_words(lang, &ch.after),
                ),
                ChangedField::Techniques => (
                    "technique",
                    techniques_words(lang, &ch.before),
                    techniques_words(lang, &ch.after),
                ),
                ChangedField::Target => (
                    if lang == Lang::Fr { "cible" } else { "target" },
                    target_words(&ch.before),
                    target_words(&ch.after),
                ),
            };
            format!("{name} {before} → {after}")
        })
        .collect();
    if c.reopened {
        parts.push(match lang {
            Lang::Fr => "réservé à nouveau après sa fin à la source".to_owned(),
            Lang::En => "booked again after it ended at the source".to_owned(),
        });
    }
    let list = parts.join(", ");
    match lang {
        Lang::Fr => format!(
            "modifié par le SIH le {on} après la décision du comité ({list})\u{a0}: à re-décider"
        ),
        Lang::En => format!(
            "changed by the hospital system on {on} after the committee's decision ({list}): \
             to decide again"
        ),
    }
}

/// A stored time (`YYYY-MM-DDTHH:MM`) in words.
fn slot_words(lang: Lang, at: &str) -> String {
    match chrono::NaiveDateTime::parse_from_str(at, crate::domain::time::DATETIME_FMT) {
        Ok(t) => typo::date_time(lang, t),
        Err(_) => crate::domain::text::sanitize_line(at),
    }
}

/// Stored techniques (a JSON array) in words; none: to define.
fn techniques_words(lang: Lang, json: &str) -> String {
    use super::Label;
    let words: Vec<String> = serde_json::from_str(json).unwrap_or_default();
    if words.is_empty() {
        return match lang {
            Lang::Fr => "à définir".to_owned(),
            Lang::En => "to define".to_owned(),
        };
    }
    words
        .iter()
        .map(|w| match Technique::parse(w) {
            Some(t) => t.label(lang).to_owned(),
            None => crate::domain::text::sanitize_line(w),
        })
        .collect::<Vec<_>>()
        .join(" + ")
}

/// A stored target in words; empty: a dash.
fn target_words(target: &str) -> String {
    let t = crate::domain::text::sanitize_line(target);
    if t.trim().is_empty() {
        "—".to_owned()
    } else {
        t
    }
}
