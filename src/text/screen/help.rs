//! The help's legend (what the board's columns, markers, scores and
//! technique codes mean) and its scroll marks.

use crate::domain::message::Lang;

/// The heading of the scores' legend.
pub fn help_scores(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "Scores (column S/M)",
        Lang::Fr => "Scores (colonne S/M)",
    }
}

/// What the scores column writes, one line each.
pub fn help_score_lines(lang: Lang) -> [&'static str; 4] {
    match lang {
        Lang::En => [
            "S7: SINS total, spinal instability (0 to 18)",
            "M9: Mirels total, risk of a long-bone fracture (4 to 12)",
            "S?, M?: a score with items not yet recorded",
            "…: more lesions than the column shows (the detail lists them)",
        ],
        Lang::Fr => [
            "S7\u{a0}: total SINS, instabilité rachidienne (0 à 18)",
            "M9\u{a0}: total de Mirels, risque de fracture d'un os long (4 à 12)",
            "S?, M?\u{a0}: un score dont des items ne sont pas encore saisis",
            "…\u{a0}: plus de lésions que la colonne n'en montre (le détail les liste)",
        ],
    }
}

/// The heading of the technique codes' legend.
pub fn help_techniques(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "Technique codes (narrow board)",
        Lang::Fr => "Codes des techniques (tableau étroit)",
    }
}

/// The scroll mark on the help's border: more lines below (`below`) or above.
pub fn help_more(lang: Lang, below: bool) -> String {
    let arrow = if below { '↓' } else { '↑' };
    match (lang, below) {
        (Lang::En, true) => format!("{arrow} more below"),
        (Lang::En, false) => format!("{arrow} more above"),
        (Lang::Fr, true) => format!("{arrow} suite plus bas"),
        (Lang::Fr, false) => format!("{arrow} début plus haut"),
    }
}
