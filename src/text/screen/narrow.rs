//! Showing one day, room or operator of the week (`s`): the list's words
//! and the header's label.

use crate::domain::message::Lang;
use crate::domain::text::sanitize_line;
use crate::tui::app::Narrow;

/// What the board is narrowed to, as the header and the list name it
/// ("salle : Salle 2").
pub fn narrow_label(lang: Lang, n: &Narrow) -> String {
    match (lang, n) {
        (Lang::En, Narrow::Day(d)) => {
            format!("day: {} {}", super::day_abbrev(lang, *d), d.format("%d/%m"))
        }
        (Lang::Fr, Narrow::Day(d)) => format!(
            "jour\u{a0}: {} {}",
            super::day_abbrev(lang, *d),
            d.format("%d/%m")
        ),
        (Lang::En, Narrow::Room(r)) => format!("room: {}", sanitize_line(r)),
        (Lang::Fr, Narrow::Room(r)) => format!("salle\u{a0}: {}", sanitize_line(r)),
        (Lang::En, Narrow::Operator(o)) => format!("operator: {}", sanitize_line(o)),
        (Lang::Fr, Narrow::Operator(o)) => format!("opérateur\u{a0}: {}", sanitize_line(o)),
    }
}

/// The list's title.
pub fn narrow_title(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "Show one day, room or operator",
        Lang::Fr => "Afficher un jour, une salle ou un opérateur",
    }
}

/// The list's first line: no narrowing.
pub fn narrow_all(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "every day, room and operator",
        Lang::Fr => "tous les jours, salles et opérateurs",
    }
}
