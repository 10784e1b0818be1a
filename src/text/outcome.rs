//! After the committee (issue 15) in words: the day of the procedure, the
//! follow-up calls, why what was typed cannot be recorded.

use super::Lang;
use crate::domain::outcome::{CirseGrade, Invalid, M1_FROM_DAYS, M1_TO_DAYS};

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
        Invalid::Morphine(m) => match lang {
            Lang::En => format!("morphine-equivalent dose {m}: 0 or more mg a day"),
            Lang::Fr => format!("dose en équivalent morphine {m}\u{a0}: 0 mg/j ou plus"),
        },
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
