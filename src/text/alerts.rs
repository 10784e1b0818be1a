//! The alert of validated cases that have become blocking since their
//! validation (a lab result, a changed dossier), over the coming weeks.

use crate::domain::message::Lang;
use crate::domain::rules::Item;

/// The header's count: `n` validated cases blocking now within `days` days.
pub fn header(lang: Lang, n: usize, days: i64) -> String {
    match (lang, n) {
        (Lang::Fr, 1) => format!("⚠ 1 cas validé devenu bloquant ({days} j)"),
        (Lang::Fr, n) => format!("⚠ {n} cas validés devenus bloquants ({days} j)"),
        (Lang::En, 1) => format!("⚠ 1 validated case now blocking ({days} d)"),
        (Lang::En, n) => format!("⚠ {n} validated cases now blocking ({days} d)"),
    }
}

/// `check`'s heading over the alert lines.
pub fn heading(lang: Lang, n: usize, days: i64) -> String {
    match lang {
        Lang::Fr => format!(
            "ALERTE\u{a0}: {n} cas validé(s) devenu(s) bloquant(s) dans les {days} prochains jours"
        ),
        Lang::En => format!("ALERT: {n} validated case(s) now blocking in the next {days} days"),
    }
}

/// One alert line: the case, its time, the items blocking now.
pub fn line(lang: Lang, external_id: &str, at: &str, items: &[Item]) -> String {
    let names: Vec<&str> = items
        .iter()
        .map(|i| crate::text::words::item(lang, *i))
        .collect();
    match lang {
        Lang::Fr => format!("  {external_id} le {at}\u{a0}: {}", names.join(", ")),
        Lang::En => format!("  {external_id} on {at}: {}", names.join(", ")),
    }
}
