//! The banner of a file whose time zone is not the hospital's.

use crate::domain::message::Lang;

/// One line at the top of the screen, in the alert style: what is wrong
/// first (it must survive an 80-column cut), then what to do (whole from
/// 120 columns for a zone named `UTC`).
pub fn zone_banner(lang: Lang, tz: chrono_tz::Tz) -> String {
    match lang {
        Lang::En => format!(
            "⚠ Time zone {tz} is not the hospital's: delays in hours may be wrong. Chair: ir-committee set-timezone ZONE"
        ),
        Lang::Fr => format!(
            "⚠ Fuseau {tz}, pas celui de l'hôpital\u{a0}: délais en heures peut-être faux. Président\u{a0}: ir-committee set-timezone FUSEAU"
        ),
    }
}
