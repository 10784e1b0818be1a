//! The day of the procedure in words (issue 15 §1): what `outcome` prints
//! and its refusals; the screen's section is in `screen`.

use super::{Label, Lang};
use crate::domain::outcome::{CirseGrade, Outcome};
use crate::storage::day::Saved;

/// The techniques as a person reads them: "vertebroplasty, kyphoplasty".
fn techniques(lang: Lang, t: &[crate::domain::vocab::Technique]) -> String {
    t.iter()
        .map(|t| t.label(lang))
        .collect::<Vec<_>>()
        .join(", ")
}

/// One line: what an outcome says (no case id, no version).
pub fn outcome(lang: Lang, o: &Outcome) -> String {
    let fr = lang == Lang::Fr;
    match o {
        Outcome::Performed(p) => {
            let mut parts = vec![
                techniques(lang, &p.techniques),
                p.anaesthesia.label(lang).to_owned(),
            ];
            if let Some(d) = p.duration_min {
                parts.push(format!("{d}\u{a0}min"));
            }
            let at = super::typo::date_time(lang, p.at);
            let by = if p.operator.is_empty() {
                String::new()
            } else if fr {
                format!(" par {}", p.operator)
            } else {
                format!(" by {}", p.operator)
            };
            if fr {
                format!("réalisé le {at}{by} ({})", parts.join("\u{202f}; "))
            } else {
                format!("performed on {at}{by} ({})", parts.join("; "))
            }
        }
        Outcome::NotPerformed(n) => {
            let text = n
                .text
                .as_deref()
                .map(|t| format!(" ({t})"))
                .unwrap_or_default();
            if fr {
                format!("non réalisé, motif\u{a0}: {}{text}", n.reason.label(lang))
            } else {
                format!("not performed, reason: {}{text}", n.reason.label(lang))
            }
        }
    }
}

/// `outcome performed|not-performed` done.
pub fn recorded(lang: Lang, saved: &Saved, o: &Outcome) -> String {
    let id = &saved.external_id;
    let v = saved.version;
    let what = outcome(lang, o);
    match lang {
        Lang::Fr => format!("{id}\u{a0}: {what}, enregistré (version {v})"),
        Lang::En => format!("{id}: {what}, recorded (version {v})"),
    }
}

/// `outcome complication` done.
pub fn complication(lang: Lang, saved: &Saved, g: CirseGrade) -> String {
    let id = &saved.external_id;
    let v = saved.version;
    let grade = super::outcome::grade(lang, g);
    match lang {
        Lang::Fr => format!("{id}\u{a0}: complication {grade} enregistrée (version {v})"),
        Lang::En => format!("{id}: complication {grade} recorded (version {v})"),
    }
}

/// A day (or a complication) already recorded, replaced only on purpose.
pub fn already_recorded(lang: Lang, external_id: &str, version: i64) -> String {
    let id = crate::domain::text::sanitize_line(external_id);
    match lang {
        Lang::Fr => format!(
            "{id}\u{a0}: déjà enregistré (version {version})\u{202f}; pour le remplacer, ajoutez --replace {version}"
        ),
        Lang::En => format!(
            "{id}: already recorded (version {version}); to replace it, add --replace {version}"
        ),
    }
}

/// A CIRSE grade outside 1–6.
pub fn bad_grade(lang: Lang, g: u8) -> String {
    match lang {
        Lang::Fr => format!("grade CIRSE {g}\u{a0}: de 1 à 6"),
        Lang::En => format!("CIRSE grade {g}: from 1 to 6"),
    }
}
