//! After the committee (issue 15) in words: the day of the procedure, the
//! follow-up calls, why what was typed cannot be recorded.

use super::Lang;
use crate::domain::outcome::{CirseGrade, DayRefusal, Invalid, M1_FROM_DAYS, M1_TO_DAYS};

/// Why an outcome or a follow-up is refused, one line.
pub fn invalid(lang: Lang, e: &Invalid) -> String {
    match e {
        Invalid::NoTechnique => lang
            .pick(
                "a performed procedure needs at least one technique",
                "un geste réalisé a au moins une technique",
            )
            .to_owned(),
        Invalid::OtherWithoutText => lang
            .pick(
                "the reason \u{201c}other\u{201d} needs a text",
                "le motif «\u{a0}autre\u{a0}» demande un texte",
            )
            .to_owned(),
        Invalid::ComplicationWithoutText => lang
            .pick(
                "a complication needs a text saying what happened",
                "une complication demande un texte qui la décrit",
            )
            .to_owned(),
        Invalid::Pain(p) => match lang {
            Lang::En => format!("pain {p}: from 0 to 10"),
            Lang::Fr => format!("douleur {p}\u{a0}: de 0 à 10"),
        },
        Invalid::Morphine(m) => {
            let max = crate::domain::outcome::MORPHINE_MAX_MG_DAY;
            match lang {
                Lang::En => format!("morphine-equivalent dose {m}: from 0 to {max} mg a day"),
                Lang::Fr => format!("dose en équivalent morphine {m}\u{a0}: de 0 à {max} mg/j"),
            }
        }
        Invalid::NoOperator => lang
            .pick(
                "a performed procedure names its operator",
                "un geste réalisé nomme son opérateur",
            )
            .to_owned(),
        Invalid::NotReachedWithAnswers => lang
            .pick(
                "a patient not reached has no pain, analgesic or complication to record",
                "patient non joint\u{a0}: ni douleur, ni antalgiques, ni complication à enregistrer",
            )
            .to_owned(),
        Invalid::ZeroDuration => lang
            .pick(
                "a duration is 1 minute or more",
                "une durée est d'au moins 1 minute",
            )
            .to_owned(),
    }
}

/// "CIRSE grade 3" / « CIRSE grade 3 ».
pub fn grade(lang: Lang, g: CirseGrade) -> String {
    let g = g.get();
    match lang {
        Lang::En => format!("CIRSE grade {g}"),
        Lang::Fr => format!("CIRSE grade {g}"),
    }
}

/// The M1 window, as the call list explains it.
pub fn m1_window(lang: Lang) -> String {
    match lang {
        Lang::En => format!("due from day {M1_FROM_DAYS} to day {M1_TO_DAYS} after the procedure"),
        Lang::Fr => format!("à faire de J+{M1_FROM_DAYS} à J+{M1_TO_DAYS} après le geste"),
    }
}

/// Why the day of a procedure is refused, one line.
pub fn day_refusal(lang: Lang, r: &DayRefusal) -> String {
    let fr = lang == Lang::Fr;
    let day = |d: &chrono::NaiveDate| super::typo::date(lang, *d);
    let at = |t: &chrono::NaiveDateTime| super::typo::date_time(lang, *t);
    match r {
        DayRefusal::NotValidated { case, status } if fr => format!(
            "{case} n'est pas validé par le comité (statut\u{a0}: {})\u{a0}: pas de jour du geste à enregistrer",
            crate::text::Label::label(*status, lang)
        ),
        DayRefusal::NotValidated { case, status } => format!(
            "{case} is not validated by the committee (status: {}): no day of procedure to record",
            crate::text::Label::label(*status, lang)
        ),
        DayRefusal::NotYet {
            case,
            scheduled,
            today,
        } if fr => format!(
            "{case} est programmé le {}, après aujourd'hui ({})\u{a0}: le jour du geste s'enregistre ce jour-là ou après",
            day(scheduled),
            day(today)
        ),
        DayRefusal::NotYet {
            case,
            scheduled,
            today,
        } => format!(
            "{case} is scheduled on {}, after today ({}): the day of the procedure is recorded on that day or later",
            day(scheduled),
            day(today)
        ),
        DayRefusal::BeforeScheduled {
            case,
            at: t,
            scheduled,
        } if fr => format!(
            "{case}\u{a0}: un geste réalisé le {} précède le jour prévu ({})\u{a0}; reprogrammez d'abord le dossier",
            at(t),
            day(scheduled)
        ),
        DayRefusal::BeforeScheduled {
            case,
            at: t,
            scheduled,
        } => format!(
            "{case}: a procedure performed at {} is before its scheduled day ({}); reschedule the case first",
            at(t),
            day(scheduled)
        ),
        DayRefusal::InFuture { case, at: t, now } if fr => format!(
            "{case}\u{a0}: un geste réalisé le {} est dans le futur (il est {})",
            at(t),
            at(now)
        ),
        DayRefusal::InFuture { case, at: t, now } => format!(
            "{case}: a procedure performed at {} is in the future (it is {})",
            at(t),
            at(now)
        ),
        DayRefusal::NotPerformed { case } if fr => format!(
            "{case} n'a pas de geste enregistré comme réalisé\u{a0}: enregistrez d'abord le jour du geste"
        ),
        DayRefusal::NotPerformed { case } => format!(
            "{case} has no procedure recorded as performed: record the day of the procedure first"
        ),
        DayRefusal::ComplicationRecorded { case } if fr => format!(
            "{case} a une complication enregistrée\u{a0}: le geste ne peut pas devenir «\u{a0}non réalisé\u{a0}»"
        ),
        DayRefusal::ComplicationRecorded { case } => format!(
            "{case} has a complication recorded: the procedure cannot become \u{201c}not performed\u{201d}"
        ),
        DayRefusal::FollowUpsRecorded { case } if fr => format!(
            "{case} a des appels de suivi enregistrés\u{a0}: le geste ne peut pas devenir «\u{a0}non réalisé\u{a0}»"
        ),
        DayRefusal::FollowUpsRecorded { case } => format!(
            "{case} has follow-up calls recorded: the procedure cannot become \u{201c}not performed\u{201d}"
        ),
        DayRefusal::Invalid(e) => invalid(lang, e),
    }
}
