//! The chase list's words (`ir-committee tasks`, issue 14 §1): each task as
//! a sentence, its deadline, its state, the columns. French dates JJ/MM,
//! English ISO.

use chrono::{NaiveDate, NaiveDateTime};

use super::Lang;
use super::rules::drug_name;
use super::typo::colon;
use crate::domain::roles::Role;
use crate::domain::rules::{Latest, Window};
use crate::domain::tasks::{Assigned, State, Task, What};
use crate::domain::vocab::Drug;

fn pick(lang: Lang, en: &'static str, fr: &'static str) -> &'static str {
    match lang {
        Lang::En => en,
        Lang::Fr => fr,
    }
}

/// A day as a task says it: `03/12` in French, `2026-12-03` in English.
pub fn day(lang: Lang, d: NaiveDate) -> String {
    match lang {
        Lang::Fr => d.format("%d/%m").to_string(),
        Lang::En => d.format("%Y-%m-%d").to_string(),
    }
}

/// A moment: `08/12 08:30`.
pub fn moment(lang: Lang, t: NaiveDateTime) -> String {
    format!("{} {}", day(lang, t.date()), t.format("%H:%M"))
}

/// "du rivaroxaban", "de l'apixaban": French elision before a vowel or a
/// mute h; English "rivaroxaban".
fn of_drug(lang: Lang, drug: Drug) -> String {
    let name = drug_name(drug, lang);
    match lang {
        Lang::En => name.to_owned(),
        Lang::Fr => {
            let elided = name
                .chars()
                .next()
                .is_some_and(|c| "aeiouyhâéèêîïôûAEIOUYH".contains(c));
            if elided {
                format!("de l'{name}")
            } else {
                format!("du {name}")
            }
        }
    }
}

/// The last moment of a window as a task says it: "au plus tard le 08/12",
/// "… le 05/12 avant midi", "avant le 08/12 08:30" (more than a delay).
fn by(lang: Lang, latest: Latest) -> String {
    let fr = lang == Lang::Fr;
    match latest {
        Latest::Day(d) if fr => format!("au plus tard le {}", day(lang, d)),
        Latest::Day(d) => format!("on {} at the latest", day(lang, d)),
        Latest::DayNoon(d) if fr => format!("au plus tard le {} avant midi", day(lang, d)),
        Latest::DayNoon(d) => format!("on {} before noon at the latest", day(lang, d)),
        Latest::Elapsed(e) if e.more_than && fr => format!("avant le {}", moment(lang, e.bound())),
        Latest::Elapsed(e) if e.more_than => format!("before {}", moment(lang, e.bound())),
        Latest::Elapsed(e) if fr => format!("au plus tard le {}", moment(lang, e.bound())),
        Latest::Elapsed(e) => format!("at {} at the latest", moment(lang, e.bound())),
    }
}

/// "entre le 03/12 et le 10/12", or the last moment alone.
fn within(lang: Lang, w: Window) -> String {
    match (w.earliest, w.latest) {
        (Some(from), Latest::Day(to)) => match lang {
            Lang::Fr => format!("entre le {} et le {}", day(lang, from), day(lang, to)),
            Lang::En => format!("between {} and {}", day(lang, from), day(lang, to)),
        },
        (_, latest) => by(lang, latest),
    }
}

/// The age limit a validity window stands for, with a leading space:
/// " de moins de 6 semaines", " under 10 days old". The window is the one the
/// item's rule computed (`imaging::window`: from the day `max_age` days
/// before the procedure to its day), so the figure is the rules table's, in
/// weeks when it is a whole number of weeks, in days otherwise. `None`
/// without a lower bound.
fn under(lang: Lang, w: Window) -> Option<String> {
    let (Some(from), Latest::Day(to)) = (w.earliest, w.latest) else {
        return None;
    };
    let days = u64::try_from((to - from).num_days()).ok()?;
    let (n, en, fr, fr_one) = if days > 0 && days % 7 == 0 {
        (
            days / 7,
            ("week", "weeks"),
            ("semaine", "semaines"),
            "d'une semaine",
        )
    } else {
        (days, ("day", "days"), ("jour", "jours"), "d'un jour")
    };
    Some(match lang {
        Lang::Fr if n == 1 => format!(" de moins {fr_one}"),
        Lang::Fr => format!(
            " de moins de {n} {}",
            super::typo::plural(lang, n, fr.0, fr.1)
        ),
        Lang::En => format!(
            " under {n} {} old",
            super::typo::plural(lang, n, en.0, en.1)
        ),
    })
}

/// What the task asks, in one sentence, with its window when it has one:
/// "bilan de coagulation à prélever entre le 03/12 et le 10/12". A drug
/// hold on a list that contacts the operator: "contacter Dr Roy : arrêt du
/// rivaroxaban", with no date.
#[rustfmt::skip] // a table of texts: English, then French
pub fn sentence(lang: Lang, task: &Task, assigned: Assigned, operator: &str) -> String {
    let fr = lang == Lang::Fr;
    let c = colon(lang);
    let w = |s: &str| match task.window {
        Some(window) => format!("{s} {}", within(lang, window)),
        None => s.to_owned(),
    };
    let late = |w: Window| by(lang, w.latest);
    match task.what {
        What::LastIntake { drug, .. } if assigned == Assigned::Contact => match lang {
            Lang::Fr => format!("contacter {operator}{c} arrêt {}", of_drug(lang, drug)),
            Lang::En => format!("contact {operator}{c} stop {}", of_drug(lang, drug)),
        },
        What::LastIntake { drug, .. } => {
            let when = task.window.map(late).unwrap_or_default();
            match lang {
                Lang::Fr => format!("arrêt {}{c} dernière prise {when}", of_drug(lang, drug)),
                Lang::En => format!("stop {}{c} last intake {when}", of_drug(lang, drug)),
            }
        }
        What::Crcl { drug } => match lang {
            Lang::Fr => format!("ClCr à obtenir (arrêt {})", of_drug(lang, drug)),
            Lang::En => format!("CrCl to obtain (to stop {})", of_drug(lang, drug)),
        },
        What::Imaging => {
            let age = task.window.and_then(|w| under(lang, w)).unwrap_or_default();
            w(&match lang {
                Lang::Fr => format!("imagerie (TDM, IRM, TEP-TDM){age} à obtenir, datée"),
                Lang::En => format!("planning imaging (CT, MRI, PET-CT){age} to obtain, dated"),
            })
        }
        What::Biology => w(pick(lang, "blood count and creatinine to take",
                                "NFS et créatinine à prélever")),
        What::Coagulation => w(pick(lang, "coagulation work-up (INR, platelets) to take",
                                    "bilan de coagulation à prélever")),
        What::AnaesthesiaConsult => {
            let s = pick(lang, "anaesthesia consultation to schedule", "consultation d'anesthésie à programmer");
            match task.window { Some(window) => format!("{s} {}", late(window)), None => s.to_owned() }
        }
        What::Consultation => {
            let s = pick(lang, "pre-interventional consultation (IR) to hold",
                         "consultation pré-interventionnelle (RI) à tenir");
            match task.window { Some(window) => format!("{s} {}", late(window)), None => s.to_owned() }
        }
        What::Consent if fr => "consentement à tracer".to_owned(),
        What::Consent => "consent to record".to_owned(),
        What::Medications => pick(lang, "anticoagulants and antiplatelets to check",
                                  "anticoagulants et antiagrégants à vérifier").to_owned(),
    }
}

/// The deadline column: "10/12", "05/12 avant midi", "08/12 08:30"; "—"
/// without a date (or for who contacts the operator).
pub fn deadline(lang: Lang, window: Option<Window>, assigned: Assigned) -> String {
    match (window, assigned) {
        (Some(w), Assigned::Do) => match w.latest {
            Latest::Day(d) => day(lang, d),
            Latest::DayNoon(d) => format!(
                "{} {}",
                day(lang, d),
                pick(lang, "before noon", "avant midi")
            ),
            Latest::Elapsed(e) => moment(lang, e.bound()),
        },
        _ => "—".to_owned(),
    }
}

/// The state: open, or too late.
pub fn state(lang: Lang, s: State) -> &'static str {
    match s {
        State::Open => pick(lang, "open", "à faire"),
        State::TooLate => pick(
            lang,
            "too late: to discuss at the committee",
            "trop tard\u{a0}: à discuter en comité",
        ),
    }
}

/// The roles that do it: "secrétaire, manipulateur…".
pub fn owners(lang: Lang, roles: &[Role]) -> String {
    roles
        .iter()
        .map(|r| r.label(lang))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The columns of the list.
pub struct Headings {
    pub title: &'static str,
    pub deadline: &'static str,
    pub case: &'static str,
    pub patient: &'static str,
    pub procedure: &'static str,
    pub operator: &'static str,
    pub item: &'static str,
    pub task: &'static str,
    pub owners: &'static str,
    pub state: &'static str,
    pub discuss: &'static str,
    pub none: &'static str,
}

#[rustfmt::skip] // English, then French
pub fn headings(lang: Lang) -> Headings {
    let p = |en, fr| pick(lang, en, fr);
    Headings {
        title: p("Chase list", "Liste des relances"),
        deadline: p("deadline", "échéance"),
        case: p("case", "dossier"),
        patient: p("patient", "patient"),
        procedure: p("procedure", "acte"),
        operator: p("operator", "opérateur"),
        item: p("item", "élément"),
        task: p("task", "à faire"),
        owners: p("who", "qui"),
        state: p("state", "état"),
        discuss: p("To discuss at the committee", "À discuter en comité"),
        none: p("nothing to chase", "rien à relancer"),
    }
}

/// "Chase list, weeks 2026-W49 and 2026-W50 (secretary)".
pub fn title(lang: Lang, weeks: (&str, &str), role: Option<Role>) -> String {
    let h = headings(lang);
    let of = match lang {
        Lang::Fr => format!("{}, semaines {} et {}", h.title, weeks.0, weeks.1),
        Lang::En => format!("{}, weeks {} and {}", h.title, weeks.0, weeks.1),
    };
    match role {
        Some(r) => format!("{of} ({})", r.label(lang)),
        None => of,
    }
}

/// The screen's refusal of `t` to a role that may not read the list.
pub fn screen_refused(lang: Lang) -> String {
    match lang {
        Lang::Fr => "la liste des relances est réservée à l'équipe de soins (président, radiologue, anesthésiste, manipulateur, secrétaire)".to_owned(),
        Lang::En => "the chase list is the care team's (chair, radiologist, anaesthetist, radiographer, secretary)".to_owned(),
    }
}

/// The screen's list: its title, with the filter.
pub fn screen_title(lang: Lang, week: &str, mine: bool, shown: usize, all: usize) -> String {
    let h = headings(lang);
    let filter = match (lang, mine) {
        (_, false) => String::new(),
        (Lang::Fr, true) => format!(" — les miennes {shown}/{all}"),
        (Lang::En, true) => format!(" — mine {shown}/{all}"),
    };
    format!("{} — {week}{filter}", h.title)
}

/// The header's count: "relances 12 (3 en retard)".
pub fn header_count(lang: Lang, open: usize, late: usize) -> String {
    match lang {
        Lang::Fr => format!("relances {open} ({late} trop tard)"),
        Lang::En => format!("tasks {open} ({late} too late)"),
    }
}

/// The line after a file is written.
pub fn written(lang: Lang, path: &str, tasks: usize) -> String {
    match lang {
        Lang::Fr => format!(
            "{path}\u{a0}: {tasks} {}",
            super::typo::plural(lang, tasks as u64, "relance", "relances")
        ),
        Lang::En => format!(
            "{path}: {tasks} {}",
            super::typo::plural(lang, tasks as u64, "task", "tasks")
        ),
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDateTime;
    use serde_json::json;

    use super::*;
    use crate::domain::rules::evaluate;
    use crate::domain::rules::testkit::{ctx, with};
    use crate::domain::tasks::chase;

    fn now() -> NaiveDateTime {
        NaiveDateTime::parse_from_str("2026-11-26T12:00", "%Y-%m-%dT%H:%M").expect("now")
    }

    /// The sentences of a case on Thursday 10/12 (high risk unless `low`).
    fn sentences(patch: serde_json::Value, lang: Lang, assigned: Assigned) -> Vec<String> {
        let case = with(patch);
        let c = chase(&case, &evaluate(&case, &ctx()), &ctx(), now());
        c.tasks
            .iter()
            .map(|t| sentence(lang, t, assigned, "Dr Roy"))
            .collect()
    }

    #[test]
    #[rustfmt::skip] // one row per sentence
    fn the_issues_sentences() {
        let thursday = |extra: serde_json::Value| {
            let mut p = json!({ "procedure": { "scheduled_at": "2026-12-10T08:30" },
                                "imaging": [{ "kind": "ct", "at": "2026-12-01" }],
                                "biology": { "at": "2026-12-07", "neutrophils_g_l": 3.0, "egfr": 80.0 },
                                "coagulation": { "at": "2026-12-07", "inr": 1.0, "platelets_g_l": 200.0 },
                                "anaesthesia_consult": { "at": "2026-12-01" } });
            for (k, v) in extra.as_object().expect("object") { p[k] = v.clone(); }
            p
        };
        let low = |extra: serde_json::Value| {
            let mut p = thursday(extra);
            p["procedure"]["techniques"] = json!(["tunnelled_pleural_drain"]);
            p
        };
        let fr = Lang::Fr;
        let table = [
            (thursday(json!({ "coagulation": null })), fr,
             "bilan de coagulation à prélever entre le 03/12 et le 10/12"),
            (thursday(json!({ "anaesthesia_consult": null })), fr,
             "consultation d'anesthésie à programmer au plus tard le 08/12"),
            (low(json!({ "medications": [{ "drug": "rivaroxaban", "crcl_ml_min": 60.0 }] })), fr,
             "arrêt du rivaroxaban\u{a0}: dernière prise au plus tard le 09/12 avant midi"),
            (thursday(json!({ "medications": [{ "drug": "apixaban", "crcl_ml_min": 60.0 }] })), fr,
             "arrêt de l'apixaban\u{a0}: dernière prise au plus tard le 07/12"),
            (thursday(json!({ "medications": [{ "drug": "rivaroxaban" }] })), fr,
             "ClCr à obtenir (arrêt du rivaroxaban)"),
            (thursday(json!({ "consultation": { "at": "2026-11-10T10:00", "radiologist": "Dr Roy",
                                                "leaflet_given": true } })), fr,
             "consentement à tracer"),
            (thursday(json!({ "imaging": null })), fr,
             "imagerie (TDM, IRM, TEP-TDM) de moins de 6 semaines à obtenir, datée entre le 29/10 et le 10/12"),
            (thursday(json!({ "coagulation": null })), Lang::En,
             "coagulation work-up (INR, platelets) to take between 2026-12-03 and 2026-12-10"),
            (thursday(json!({ "medications": [{ "drug": "lmwh_therapeutic" }] })), Lang::En,
             "stop LMWH (therapeutic dose): last intake at 2026-12-09 08:30 at the latest"),
        ];
        for (patch, lang, want) in table {
            assert_eq!(sentences(patch, lang, Assigned::Do), [want]);
        }
    }

    /// The age in the imaging task is the rules table's `imaging.max_age`:
    /// in weeks when it divides by 7, in days otherwise.
    #[test]
    #[rustfmt::skip] // one row per sentence
    fn the_imaging_age_follows_the_rule() {
        use crate::domain::rules::{Context, RuleSet};
        use crate::domain::rules::testkit::rules;
        let with_max_age = |days: f64| {
            let rows = rules().rows().iter().cloned().map(|mut r| {
                if r.rule == "imaging.max_age" {
                    r.value = Some(days);
                }
                r
            });
            RuleSet::new(rows.collect())
        };
        let patch = json!({ "procedure": { "scheduled_at": "2026-12-10T08:30" }, "imaging": null });
        let case = with(patch);
        let table = [
            (42.0, Lang::Fr, "imagerie (TDM, IRM, TEP-TDM) de moins de 6 semaines à obtenir, datée entre le 29/10 et le 10/12"),
            (42.0, Lang::En, "planning imaging (CT, MRI, PET-CT) under 6 weeks old to obtain, dated between 2026-10-29 and 2026-12-10"),
            (28.0, Lang::Fr, "imagerie (TDM, IRM, TEP-TDM) de moins de 4 semaines à obtenir, datée entre le 12/11 et le 10/12"),
            (28.0, Lang::En, "planning imaging (CT, MRI, PET-CT) under 4 weeks old to obtain, dated between 2026-11-12 and 2026-12-10"),
            (30.0, Lang::Fr, "imagerie (TDM, IRM, TEP-TDM) de moins de 30 jours à obtenir, datée entre le 10/11 et le 10/12"),
            (30.0, Lang::En, "planning imaging (CT, MRI, PET-CT) under 30 days old to obtain, dated between 2026-11-10 and 2026-12-10"),
            (7.0, Lang::Fr, "imagerie (TDM, IRM, TEP-TDM) de moins d'une semaine à obtenir, datée entre le 03/12 et le 10/12"),
            (7.0, Lang::En, "planning imaging (CT, MRI, PET-CT) under 1 week old to obtain, dated between 2026-12-03 and 2026-12-10"),
        ];
        for (days, lang, want) in table {
            let changed = with_max_age(days);
            let ctx = Context { rules: &changed, ..ctx() };
            let c = chase(&case, &evaluate(&case, &ctx), &ctx, now());
            let said: Vec<String> = c.tasks.iter().filter(|t| t.what == What::Imaging)
                .map(|t| sentence(lang, t, Assigned::Do, "Dr Roy")).collect();
            assert_eq!(said, [want], "{days} days");
        }
    }

    #[test]
    fn the_secretary_contacts_the_operator_with_no_date() {
        let patch = json!({ "medications": [{ "drug": "clopidogrel" }] });
        assert_eq!(
            sentences(patch.clone(), Lang::Fr, Assigned::Contact),
            ["contacter Dr Roy\u{a0}: arrêt du clopidogrel"]
        );
        let case = with(patch);
        let c = chase(&case, &evaluate(&case, &ctx()), &ctx(), now());
        assert_eq!(
            deadline(Lang::Fr, c.tasks[0].window, Assigned::Contact),
            "—"
        );
        assert_eq!(deadline(Lang::Fr, c.tasks[0].window, Assigned::Do), "26/11");
    }

    #[test]
    fn the_state_reads_too_late_to_discuss() {
        assert_eq!(
            state(Lang::En, State::TooLate),
            "too late: to discuss at the committee"
        );
        assert_eq!(
            state(Lang::Fr, State::TooLate),
            "trop tard\u{a0}: à discuter en comité"
        );
    }
}
