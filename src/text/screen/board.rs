//! The board's short words: a day, an anaesthesia.

use chrono::Datelike;

use crate::domain::message::Lang;

/// The day of the week in three letters.
pub fn day_abbrev(lang: Lang, d: chrono::NaiveDate) -> &'static str {
    let names = match lang {
        Lang::En => ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
        Lang::Fr => ["Lun", "Mar", "Mer", "Jeu", "Ven", "Sam", "Dim"],
    };
    names[d.weekday().num_days_from_monday() as usize]
}

/// An anaesthesia in a few letters (the board's column).
pub fn anaesthesia_short(lang: Lang, a: crate::domain::vocab::Anaesthesia) -> &'static str {
    use crate::domain::vocab::Anaesthesia::*;
    match (lang, a) {
        (Lang::En, Local) => "local",
        (Lang::En, Hypnoanalgesia) => "hypnosis",
        (Lang::En, Meopa) => "MEOPA",
        (Lang::En, ConsciousSedation) => "sedation",
        (Lang::En, General) => "general",
        (Lang::En, Regional) => "regional",
        (Lang::Fr, Local) => "AL",
        (Lang::Fr, Hypnoanalgesia) => "hypnose",
        (Lang::Fr, Meopa) => "MEOPA",
        (Lang::Fr, ConsciousSedation) => "sédation",
        (Lang::Fr, General) => "AG",
        (Lang::Fr, Regional) => "ALR",
    }
}
