//! An import file's problems in words ([`Problem`] is data): where
//! (`line 3, case 0 (SCH-1), field coagulation.inr`) and what, in the
//! user's language. The file's own words (field paths, `low`, a technique
//! as written) stay as written: they are what to look for in the file. The
//! JSON and CSV readers' messages on the file's structure stay English
//! ([`Detail::Reader`]).

use crate::import::{Detail, Location, MAX_LISTED_ERRORS, Place, Problem};
use crate::text::typo::{self, number};
use crate::text::{Label, Lang};

/// Where a problem is.
pub fn location(lang: Lang, at: &Location) -> String {
    let fr = lang == Lang::Fr;
    let case = if fr { "dossier" } else { "case" };
    let mut parts = Vec::new();
    if let Some(l) = at.line {
        parts.push(format!("{} {l}", lang.pick("line", "ligne")));
    }
    match (at.case_index, &at.external_id) {
        (Some(i), Some(id)) => parts.push(format!("{case} {i} ({id})")),
        (Some(i), None) => parts.push(format!("{case} {i}")),
        (None, Some(id)) => parts.push(format!("{case} {id}")),
        (None, None) => {}
    }
    if let Some(field) = &at.field {
        parts.push(format!("{} {field}", lang.pick("field", "champ")));
    }
    parts.join(", ")
}

/// An earlier line or case, as a duplicate points back to it.
fn place(lang: Lang, p: Place) -> String {
    match (lang, p) {
        (Lang::En, Place::Line(n)) => format!("line {n}"),
        (Lang::En, Place::Case(n)) => format!("case {n}"),
        (Lang::Fr, Place::Line(n)) => format!("la ligne {n}"),
        (Lang::Fr, Place::Case(n)) => format!("le dossier {n}"),
    }
}

/// A date in a problem: ISO in English (as in the file), JJ/MM/AAAA in French.
fn date(lang: Lang, d: chrono::NaiveDate) -> String {
    typo::date(lang, d)
}

/// What is wrong.
pub fn detail(lang: Lang, d: &Detail) -> String {
    let fr = lang == Lang::Fr;
    match d {
        Detail::Reader(s) => s.clone(),
        Detail::FileEmpty => lang.pick("the file is empty", "le fichier est vide").into(),
        Detail::NotUtf8(at) if fr => {
            format!("pas du texte UTF-8 (octet invalide à la position {at})")
        }
        Detail::NotUtf8(at) => format!("not UTF-8 text (invalid byte at offset {at})"),
        Detail::Empty => lang
            .pick("must not be empty", "ne doit pas être vide")
            .into(),
        Detail::TooLong { chars, max } if fr => {
            format!("fait {chars} caractères\u{202f}; {max} au plus sont acceptés")
        }
        Detail::TooLong { chars, max } => {
            format!("is {chars} characters long; at most {max} are accepted")
        }
        Detail::OutOfBounds(b) => {
            let unit = if b.unit.is_empty() {
                String::new()
            } else {
                format!(" {}", b.unit)
            };
            let (v, min, max) = (
                number(lang, b.value),
                number(lang, b.min),
                number(lang, b.max),
            );
            match lang {
                Lang::En => format!("{v} is out of the possible range {min}–{max}{unit}"),
                Lang::Fr => format!("{v} est hors de l'intervalle possible {min}–{max}{unit}"),
            }
        }
        Detail::DateOutside(o) => {
            let (d, e, l) = (
                date(lang, o.date),
                date(lang, o.earliest),
                date(lang, o.latest),
            );
            match (lang, o.procedure) {
                (Lang::En, true) => {
                    format!("{d} is outside the accepted procedure dates ({e} to {l})")
                }
                (Lang::En, false) => format!("{d} is outside the accepted dates ({e} to {l})"),
                (Lang::Fr, true) => {
                    format!("{d} est hors des dates d'intervention acceptées (du {e} au {l})")
                }
                (Lang::Fr, false) => format!("{d} est hors des dates acceptées (du {e} au {l})"),
            }
        }
        Detail::BirthInFuture(d) if fr => format!("{} est dans le futur", date(lang, *d)),
        Detail::BirthInFuture(d) => format!("{} is in the future", date(lang, *d)),
        Detail::BeforeBirth => lang
            .pick(
                "is before the patient's birth date",
                "précède la date de naissance du patient",
            )
            .into(),
        Detail::NoTechnique => lang
            .pick(
                "needs at least one technique",
                "demande au moins une technique",
            )
            .into(),
        Detail::TechniqueTwice(t) if fr => format!("«\u{202f}{t}\u{202f}» figure deux fois"),
        Detail::TechniqueTwice(t) => format!("'{t}' is listed twice"),
        Detail::OtherDrugNeedsName => lang
            .pick(
                "drug 'other' needs a name",
                "le médicament «\u{202f}other\u{202f}» demande un nom",
            )
            .into(),
        Detail::ConditionsMissing => lang
            .pick(
                "conclusion 'fit_with_conditions' needs its conditions",
                "la conclusion «\u{202f}fit_with_conditions\u{202f}» demande ses conditions",
            )
            .into(),
        Detail::ConditionsWithoutThatConclusion => lang
            .pick(
                "conditions go with conclusion 'fit_with_conditions' only",
                "des conditions vont seulement avec la conclusion «\u{202f}fit_with_conditions\u{202f}»",
            )
            .into(),
        Detail::TranscriptionNeedsAnaesthetist => lang
            .pick(
                "a transcribed consultation names the anaesthetist who saw the patient",
                "une consultation transcrite nomme l'anesthésiste qui a vu le patient",
            )
            .into(),
        Detail::SinsLevelTwice { level, first } if fr => format!(
            "le niveau {level} est déjà coté dans scores.sins[{first}]\u{a0}: une cotation par niveau"
        ),
        Detail::SinsLevelTwice { level, first } => {
            format!("level {level} is already scored in scores.sins[{first}]: one score per level")
        }
        Detail::SinsLocation { location, level } if fr => format!(
            "{location} contredit le niveau {level} ({})",
            level.location()
        ),
        Detail::SinsLocation { location, level } => {
            format!(
                "{location} contradicts level {level} ({})",
                level.location()
            )
        }
        Detail::DuplicateId(first) if fr => format!(
            "external_id en double, déjà utilisé par {}",
            place(lang, *first)
        ),
        Detail::DuplicateId(first) => format!(
            "duplicate external_id, already used by {}",
            place(lang, *first)
        ),
        Detail::IppOtherIdentity {
            ipp,
            first,
            external_id,
            patient: p,
        } => {
            let who = format!(
                "{} {}, {}, {}",
                p.last_name.to_uppercase(),
                p.first_name,
                date(lang, p.birth_date),
                p.sex
            );
            let first = place(lang, *first);
            match lang {
                Lang::En => format!(
                    "IPP {ipp} is used by {first} ({external_id}) with another identity ({who})"
                ),
                Lang::Fr => format!(
                    "l'IPP {ipp} est utilisé par {first} ({external_id}) avec une autre identité ({who})"
                ),
            }
        }
        Detail::LowRiskNotPerCase {
            per_case,
            technique,
            risk,
        } => {
            let per_case = if per_case.is_empty() {
                lang.pick("none in the rules table", "aucune dans la table des règles")
                    .to_owned()
            } else {
                let words: Vec<&str> = per_case.iter().map(|t| t.as_str()).collect();
                words.join(", ")
            };
            match lang {
                Lang::En => format!(
                    "'low' is accepted only when every technique's risk is judged per case \
                     ({per_case}); {technique} is not (its risk: {risk}): leave bleeding_risk empty or send 'high'"
                ),
                Lang::Fr => format!(
                    "«\u{202f}low\u{202f}» n'est accepté que si le risque de chaque technique est jugé au cas par cas \
                     ({per_case})\u{202f}; {technique} ne l'est pas (son risque\u{a0}: {})\u{a0}: laissez bleeding_risk vide ou envoyez «\u{202f}high\u{202f}»",
                    risk.label(lang)
                ),
            }
        }
    }
}

/// One problem: `where: what`.
pub fn problem(lang: Lang, p: &Problem) -> String {
    let at = location(lang, &p.at);
    let what = detail(lang, &p.message);
    if at.is_empty() {
        what
    } else {
        format!("{at}{} {what}", typo::colon(lang))
    }
}

/// Every problem on one line: the first [`MAX_LISTED_ERRORS`] and how many
/// more.
pub fn summarize(lang: Lang, problems: &[Problem]) -> String {
    let listed = || {
        problems
            .iter()
            .take(MAX_LISTED_ERRORS)
            .map(|p| problem(lang, p))
            .collect::<Vec<_>>()
            .join(" | ")
    };
    let mut s = match problems {
        [one] => problem(lang, one),
        _ => format!(
            "{} {}{} {}",
            problems.len(),
            typo::plural(
                lang,
                problems.len() as u64,
                lang.pick("error", "erreur"),
                lang.pick("errors", "erreurs")
            ),
            typo::colon(lang),
            listed()
        ),
    };
    if problems.len() > MAX_LISTED_ERRORS {
        let more = problems.len() - MAX_LISTED_ERRORS;
        s.push_str(&match lang {
            Lang::En => format!(" | … and {more} more"),
            Lang::Fr => format!(" | … et {more} de plus"),
        });
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::bounds::OutOfBounds;

    #[test]
    fn a_problem_reads_in_french_with_french_dates_and_numbers() {
        let at = Location {
            line: None,
            case_index: Some(0),
            external_id: Some("SCH-1".into()),
            field: Some("coagulation.inr".into()),
        };
        let p = Problem {
            at,
            message: Detail::OutOfBounds(OutOfBounds {
                value: 40.5,
                min: 0.5,
                max: 15.0,
                unit: "",
            }),
        };
        assert_eq!(
            problem(Lang::Fr, &p),
            "dossier 0 (SCH-1), champ coagulation.inr\u{a0}: 40,5 est hors de l'intervalle possible 0,5–15"
        );
        assert_eq!(
            problem(Lang::En, &p),
            "case 0 (SCH-1), field coagulation.inr: 40.5 is out of the possible range 0.5–15"
        );
        let d = chrono::NaiveDate::from_ymd_opt(2030, 2, 1).expect("date");
        let future = Detail::BirthInFuture(d);
        assert_eq!(detail(Lang::Fr, &future), "01/02/2030 est dans le futur");
        assert_eq!(detail(Lang::En, &future), "2030-02-01 is in the future");
        let two = [p.clone(), p];
        assert!(summarize(Lang::Fr, &two).starts_with("2 erreurs\u{a0}: dossier 0"));
        assert!(summarize(Lang::En, &two).starts_with("2 errors: case 0"));
    }
}
