//! The committee's indicators' words (`ir-committee report`, the `S` view,
//! issue 15 §4): titles, columns, row names, the method notes.

use chrono::NaiveDate;

use super::Lang;
use super::typo::colon;

/// A fixed word of the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum W {
    Title,
    Activity,
    Technique,
    Month,
    Total,
    Meetings,
    Week,
    Cases,
    PerMeeting,
    Committee,
    Decision,
    OutOf,
    Validated,
    Overridden,
    Pending,
    Postponed,
    Cancelled,
    NotCoded,
    NotPerformed,
    Due,
    Unrecorded,
    Rate,
    Reason,
    Period,
    Delays,
    Delay,
    ConsultationToProcedure,
    CommitteeToProcedure,
    Median,
    P90,
    Days,
    FollowUp,
    Figure,
    M1Reached,
    M1Died,
    PainBefore,
    PainM1,
    PainDown2,
    PainDownHalf,
    AnalgesicsDown,
    Complications,
    Grade,
    NoComplication,
    Hidden,
    Method,
    Procedures,
    RateChart,
    Trend,
    Back,
}

/// The word.
pub fn w(lang: Lang, w: W) -> &'static str {
    let (en, fr) = match w {
        W::Title => ("The committee's indicators", "Indicateurs du comité"),
        W::Activity => (
            "Activity: procedures performed",
            "Activité : actes réalisés",
        ),
        W::Technique => ("Technique", "Technique"),
        W::Month => ("Month", "Mois"),
        W::Total => ("Total", "Total"),
        W::Meetings => (
            "Cases per committee meeting",
            "Dossiers par réunion du comité",
        ),
        W::Week => ("Week", "Semaine"),
        W::Cases => ("Cases", "Dossiers"),
        W::PerMeeting => ("Cases per meeting", "Dossiers par réunion"),
        W::Committee => ("Committee outcomes", "Décisions du comité"),
        W::Decision => ("Decision", "Décision"),
        W::OutOf => ("Out of", "Sur"),
        W::Validated => ("validated", "validé"),
        W::Overridden => ("validated by override", "validé par dérogation"),
        W::Pending => ("not decided", "non décidé"),
        W::Postponed => ("postponed", "reporté"),
        W::Cancelled => ("cancelled", "annulé"),
        W::NotCoded => ("not coded", "non codé"),
        W::NotPerformed => ("Not performed on the day", "Non réalisés le jour prévu"),
        W::Due => ("Validated, due", "Validés prévus"),
        W::Unrecorded => ("No outcome recorded", "Sans issue saisie"),
        W::Rate => ("Rate", "Taux"),
        W::Reason => ("Reason", "Motif"),
        W::Period => ("Period", "Période"),
        W::Delays => ("Delays (days)", "Délais (jours)"),
        W::Delay => ("Delay", "Délai"),
        W::ConsultationToProcedure => ("IR consultation → procedure", "Consultation de RI → geste"),
        W::CommitteeToProcedure => ("Committee → procedure", "Comité → geste"),
        W::Median => ("Median", "Médiane"),
        W::P90 => ("p90", "p90"),
        W::Days => ("days", "jours"),
        W::FollowUp => ("One-month follow-up (M1)", "Suivi à un mois (M1)"),
        W::Figure => ("Figure", "Indicateur"),
        W::M1Reached => (
            "M1 calls that reached the patient",
            "Appels M1 ayant joint le patient",
        ),
        W::M1Died => (
            "Died before the end of the window, not reached (left out)",
            "Décédés avant la fin de la fenêtre, non joints (exclus)",
        ),
        W::PainBefore => (
            "Pain before (median, 0–10)",
            "Douleur avant (médiane, 0–10)",
        ),
        W::PainM1 => ("Pain at M1 (median, 0–10)", "Douleur à M1 (médiane, 0–10)"),
        W::PainDown2 => (
            "Pain down by 2 points or more",
            "Douleur en baisse de 2 points ou plus",
        ),
        W::PainDownHalf => (
            "Pain down by 50 % or more",
            "Douleur en baisse de 50 % ou plus",
        ),
        W::AnalgesicsDown => (
            "Analgesics decreased or stopped",
            "Antalgiques diminués ou arrêtés",
        ),
        W::Complications => (
            "Complications (worst CIRSE grade)",
            "Complications (pire grade CIRSE)",
        ),
        W::Grade => ("Grade", "Grade"),
        W::NoComplication => ("none recorded", "aucune saisie"),
        W::Hidden => ("hidden", "masqué"),
        W::Method => ("Method", "Méthode"),
        W::Procedures => ("Procedures performed per month", "Actes réalisés par mois"),
        W::RateChart => (
            "Not performed on the day (% of validated cases due)",
            "Non réalisés le jour prévu (% des validés prévus)",
        ),
        W::Trend => ("Trend", "Tendance"),
        W::Back => ("back", "retour"),
    };
    lang.pick(en, fr)
}

/// A day: `03/12/2026` in French, ISO in English.
pub fn day(lang: Lang, d: NaiveDate) -> String {
    match lang {
        Lang::Fr => d.format("%d/%m/%Y").to_string(),
        Lang::En => d.format("%Y-%m-%d").to_string(),
    }
}

/// The period line.
pub fn period(lang: Lang, from: NaiveDate, to: NaiveDate, as_of: NaiveDate) -> String {
    let (f, t, a) = (day(lang, from), day(lang, to), day(lang, as_of));
    let c = colon(lang);
    match lang {
        Lang::En => format!("Period{c} cases scheduled from {f} to {t}; follow-ups judged on {a}."),
        Lang::Fr => format!("Période{c} dossiers programmés du {f} au {t}, suivis jugés au {a}."),
    }
}

/// A percentage with one decimal.
pub fn percent(lang: Lang, p: f64) -> String {
    match lang {
        Lang::En => format!("{p:.1} %"),
        Lang::Fr => format!("{p:.1}\u{a0}%").replace('.', ","),
    }
}

/// A median or p90 (days or points): whole when whole.
pub fn number(lang: Lang, x: f64) -> String {
    let s = if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        format!("{x:.1}")
    };
    match lang {
        Lang::En => s,
        Lang::Fr => s.replace('.', ","),
    }
}

/// The trend line of `i`: hidden when a monthly count it is fitted on is
/// masked, else [`trend`].
pub fn trend_of(
    lang: Lang,
    i: &crate::domain::indicators::Indicators<crate::domain::indicators::Cell>,
) -> String {
    if !i.trend_hidden() {
        return trend(lang, i.not_performed_trend);
    }
    let c = colon(lang);
    let t = w(lang, W::Trend);
    match lang {
        Lang::En => format!("{t}{c} hidden (a monthly rate is over fewer than 5 patients)."),
        Lang::Fr => format!("{t}{c} masquée (un taux mensuel porte sur moins de 5 patients)."),
    }
}

/// The not-performed rate's trend, in points a month.
pub fn trend(lang: Lang, slope: Option<f64>) -> String {
    let c = colon(lang);
    let t = w(lang, W::Trend);
    match slope {
        None => match lang {
            Lang::En => format!("{t}{c} fewer than two months with validated cases."),
            Lang::Fr => format!("{t}{c} moins de deux mois avec des dossiers validés."),
        },
        Some(s) => {
            let n = number(lang, (s * 10.0).round() / 10.0);
            let sign = if s > 0.0 { "+" } else { "" };
            match lang {
                Lang::En => format!(
                    "{t}{c} {sign}{n} points a month (least-squares slope of the monthly rates)."
                ),
                Lang::Fr => format!(
                    "{t}{c} {sign}{n} points par mois (pente des moindres carrés des taux mensuels)."
                ),
            }
        }
    }
}

/// CIRSE grade `n`.
pub fn grade(lang: Lang, n: u8) -> String {
    format!("{} {n}", lang.pick("CIRSE grade", "grade CIRSE"))
}

/// The method notes, one sentence each.
pub fn method(lang: Lang, pseudonymised: bool) -> Vec<&'static str> {
    let mut v = vec![
        lang.pick(
            "A case counts in the month and the committee week (ISO) of its scheduled day.",
            "Un dossier compte dans le mois et la semaine du comité (ISO) de sa date programmée.",
        ),
        lang.pick(
            "Activity counts performed procedures per technique done: a case with two techniques counts in both rows, once in the month's total.",
            "L'activité compte les actes réalisés par technique faite : un dossier à deux techniques compte dans les deux lignes, une fois dans le total du mois.",
        ),
        lang.pick(
            "Committee outcomes: each case by its latest decision.",
            "Décisions du comité : chaque dossier selon sa dernière décision.",
        ),
        lang.pick(
            "Not performed rate: validated cases recorded not performed, over the validated cases due that month.",
            "Taux de non-réalisation : dossiers validés notés non réalisés, sur les dossiers validés prévus ce mois-là.",
        ),
        lang.pick(
            "Delays in whole days. Median: the middle value (the mean of the two middle ones for an even count). p90: nearest rank, the value of rank ⌈0.9 × n⌉ in ascending order.",
            "Délais en jours entiers. Médiane : la valeur du milieu (la moyenne des deux du milieu pour un effectif pair). p90 : rang le plus proche, la valeur de rang ⌈0,9 × n⌉ par ordre croissant.",
        ),
        lang.pick(
            "M1 completion: a performed case counts once its window (D+28 to D+42) is over, or once a call reached the patient; a patient who died before the window's end without being reached is left out.",
            "Suivi M1 : un acte réalisé compte une fois sa fenêtre (J+28 à J+42) passée, ou dès qu'un appel a joint le patient ; un patient décédé avant la fin de la fenêtre sans avoir été joint est exclu.",
        ),
        lang.pick(
            "Pain figures: reached at M1 with a pain before and at M1. A 50 % reduction: (before − M1) × 2 ≥ before, before above 0.",
            "Douleur : patients joints à M1 avec une douleur avant et à M1. Baisse de 50 % : (avant − M1) × 2 ≥ avant, avant supérieur à 0.",
        ),
    ];
    if pseudonymised {
        v.push(lang.pick(
            "Pseudonymised: a count of fewer than 5 patients reads < 5; hidden: a second count left out so that the first cannot be worked back from a total. No median or rate over such a count.",
            "Pseudonymisé : un effectif de moins de 5 patients se lit < 5 ; masqué : un second effectif retiré pour que le premier ne se déduise pas d'un total. Ni médiane ni taux sur un tel effectif.",
        ));
    }
    v
}

/// `report --from` after `--to`.
pub fn from_after_to(lang: Lang, from: NaiveDate, to: NaiveDate) -> String {
    let (f, t) = (day(lang, from), day(lang, to));
    match lang {
        Lang::En => format!("--from {f} is after --to {t}: the period would be empty."),
        Lang::Fr => format!("--from {f} est après --to {t}\u{a0}: la période serait vide."),
    }
}

/// The report written to a file.
pub fn written(lang: Lang, path: &str) -> String {
    let c = colon(lang);
    match lang {
        Lang::En => format!("Indicators written{c} {path}"),
        Lang::Fr => format!("Indicateurs écrits{c} {path}"),
    }
}

/// The screen's refusal of `S` to a person the file does not know.
pub fn screen_refused(lang: Lang) -> String {
    lang.pick(
        "the indicators are for the file's users",
        "les indicateurs sont réservés aux utilisateurs du fichier",
    )
    .to_owned()
}

/// The `S` view's line under the rate chart: the period's rate of
/// validated cases not performed on the day, over its denominator.
pub fn screen_rate(lang: Lang, rate: &str, not_performed: &str, due: &str) -> String {
    let c = colon(lang);
    match lang {
        Lang::En => {
            format!("Period{c} {rate} ({not_performed} not performed / {due} validated due)")
        }
        Lang::Fr => {
            format!("Période{c} {rate} ({not_performed} non réalisés / {due} validés prévus)")
        }
    }
}

/// The `S` view's title: the span in months, and whether the figures
/// are pseudonymised.
pub fn screen_title(lang: Lang, months: u32, pseudonymised: bool) -> String {
    let t = w(lang, W::Title);
    let p = if pseudonymised {
        lang.pick(
            ", pseudonymised (< 5 hidden)",
            ", pseudonymisés (< 5 masqués)",
        )
    } else {
        ""
    };
    match lang {
        Lang::En => format!(" {t}: last {months} months{p} "),
        Lang::Fr => format!(" {t}\u{a0}: {months} derniers mois{p} "),
    }
}
