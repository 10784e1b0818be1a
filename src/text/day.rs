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

/// A complication already recorded, replaced only on purpose.
pub fn complication_recorded(lang: Lang, external_id: &str, version: i64) -> String {
    let id = crate::domain::text::sanitize_line(external_id);
    match lang {
        Lang::Fr => format!(
            "{id}\u{a0}: une complication est déjà enregistrée (version {version})\u{202f}; pour la remplacer, ajoutez --replace {version}"
        ),
        Lang::En => format!(
            "{id}: a complication is already recorded (version {version}); to replace it, add --replace {version}"
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

/// The detail pane's section and the `d` form (screen words).
pub struct DayTexts {
    pub section: &'static str,
    pub title: &'static str,
    pub outcome: &'static str,
    pub performed: &'static str,
    pub not_performed: &'static str,
    pub at: &'static str,
    pub operator: &'static str,
    pub duration: &'static str,
    pub reason: &'static str,
    pub text: &'static str,
    pub grade: &'static str,
    pub complication_text: &'static str,
    pub no_complication: &'static str,
    /// Before the techniques and anaesthesia planned.
    pub as_planned: &'static str,
    pub techniques: &'static str,
    pub anaesthesia: &'static str,
    pub recorded_by: &'static str,
    pub complication: &'static str,
    /// The form's last line: what Enter does.
    pub why: &'static str,
}

const EN: DayTexts = DayTexts {
    section: "Day of procedure",
    title: "Day of procedure",
    outcome: "Outcome",
    performed: "performed",
    not_performed: "not performed",
    at: "When",
    operator: "Operator",
    duration: "Minutes",
    reason: "Reason",
    text: "Details",
    grade: "Complication",
    complication_text: "What happened",
    no_complication: "none",
    as_planned: "Planned",
    techniques: "Techniques",
    anaesthesia: "Anaesthesia",
    recorded_by: "recorded by",
    complication: "complication",
    why: "Saved and audited. Techniques: their words, separated by commas.",
};

const FR: DayTexts = DayTexts {
    section: "Jour du geste",
    title: "Jour du geste",
    outcome: "Résultat",
    performed: "réalisé",
    not_performed: "non réalisé",
    at: "Quand",
    operator: "Opérateur",
    duration: "Minutes",
    reason: "Motif",
    text: "Précisions",
    grade: "Complication",
    complication_text: "Description",
    no_complication: "aucune",
    as_planned: "Prévu",
    techniques: "Techniques",
    anaesthesia: "Anesthésie",
    recorded_by: "enregistré par",
    complication: "complication",
    why: "Enregistré et tracé. Techniques\u{a0}: leurs mots, séparés par des virgules.",
};

pub fn texts(lang: Lang) -> &'static DayTexts {
    match lang {
        Lang::En => &EN,
        Lang::Fr => &FR,
    }
}

/// The complication line: "complication: CIRSE grade 2 — bruise".
pub fn complication_line(lang: Lang, c: &crate::domain::outcome::Complication) -> String {
    let t = texts(lang);
    format!(
        "{}{} {} — {}",
        t.complication,
        super::typo::colon(lang),
        super::outcome::grade(lang, c.grade),
        c.text
    )
}

/// The techniques and anaesthesia a performed procedure records.
pub fn as_done(
    lang: Lang,
    t: &[crate::domain::vocab::Technique],
    a: crate::domain::vocab::Anaesthesia,
) -> String {
    format!("{} · {}", techniques(lang, t), a.label(lang))
}

/// The `d` form saved (screen).
pub fn saved(lang: Lang, external_id: &str, version: i64) -> String {
    let id = crate::domain::text::sanitize_line(external_id);
    match lang {
        Lang::Fr => format!("{id}\u{a0}: jour du geste enregistré (version {version})"),
        Lang::En => format!("{id}: day of procedure recorded (version {version})"),
    }
}

/// Not performed without a coded reason (the form).
pub fn reason_required(lang: Lang) -> String {
    lang.pick(
        "a procedure not performed needs its coded reason",
        "un geste non réalisé demande son motif codé",
    )
    .to_owned()
}

/// A duration that is not a number of minutes.
/// A technique word the form does not know, with the words it knows.
pub fn bad_technique(lang: Lang, typed: &str) -> String {
    let typed = crate::domain::text::sanitize_line(typed);
    let known = crate::domain::vocab::Technique::ALL
        .iter()
        .map(|t| t.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    match lang {
        Lang::Fr => format!("technique «\u{a0}{typed}\u{a0}» inconnue\u{a0}: {known}"),
        Lang::En => format!("unknown technique \u{201c}{typed}\u{201d}: {known}"),
    }
}

pub fn bad_duration(lang: Lang, typed: &str) -> String {
    let typed = crate::domain::text::sanitize_line(typed);
    match lang {
        Lang::Fr => format!("durée «\u{a0}{typed}\u{a0}»\u{a0}: un nombre de minutes, 1 ou plus"),
        Lang::En => format!("duration \u{201c}{typed}\u{201d}: a number of minutes, 1 or more"),
    }
}
