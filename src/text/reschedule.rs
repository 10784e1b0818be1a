//! A postponed case's new slot (issue 14 §3) in words: what a reschedule
//! did, and why a typed slot is refused. The command line and the screen
//! both print these (the screen's form words: `screen::reschedule`).

use super::Lang;
use super::typo::{date, date_time, iso_date};
use crate::domain::record::RescheduleRow;
use crate::domain::slot::SlotError;
use crate::domain::text::sanitize_line as clean;
use crate::domain::week::Week;
use crate::storage::reschedule::Rescheduled;

/// One line: `SCH-2026-004501: rescheduled to 2026-12-15 09:00, Salle 2
/// (week 2026-W51, pending); was 2026-12-07 08:30, Salle 1`.
pub fn rescheduled(lang: Lang, r: &Rescheduled) -> String {
    let id = clean(&r.external_id);
    let (to, from) = (&r.to, &r.from);
    let (at, room) = (date_time(lang, to.at), clean(&to.room));
    let (was, was_room) = (date_time(lang, from.at), clean(&from.room));
    let week = Week::containing(to.at.date());
    match lang {
        Lang::En => format!(
            "{id}: rescheduled to {at}, {room} (week {week}, pending); was {was}, {was_room}"
        ),
        Lang::Fr => format!(
            "{id}\u{a0}: reprogrammé le {at}, {room} (semaine {week}, en attente)\u{202f}; était le {was}, {was_room}"
        ),
    }
}

/// One row of a case's history for a new slot: `at by: rescheduled to
/// 2026-12-10 09:30, Salle 2 (was 2026-12-01 10:00, Salle 2)`, `at` as
/// given (the screen gives local time). User text in it is sanitised.
pub fn history_line(lang: Lang, at: &str, r: &RescheduleRow) -> String {
    let (at, by) = (clean(at), clean(&r.by));
    let (to, to_room) = (iso_date(lang, &clean(&r.to)), clean(&r.to_room));
    let (from, from_room) = (iso_date(lang, &clean(&r.from)), clean(&r.from_room));
    match lang {
        Lang::En => format!("{at} {by}: rescheduled to {to}, {to_room} (was {from}, {from_room})"),
        Lang::Fr => format!(
            "{at} {by}\u{a0}: reprogrammé le {to}, {to_room} (était le {from}, {from_room})"
        ),
    }
}

/// Why a typed slot is refused, in one line.
pub fn slot_error(lang: Lang, e: &SlotError) -> String {
    use SlotError as E;
    let fr = lang == Lang::Fr;
    match e {
        E::DateRequired => lang
            .pick("a date is required", "la date est obligatoire")
            .to_owned(),
        E::NotADate if fr => {
            "date illisible (JJ/MM/AAAA, JJ/MM, AAAA-MM-JJ ou aujourd'hui)".to_owned()
        }
        E::NotADate => "not a date (YYYY-MM-DD or today)".to_owned(),
        E::TimeRequired => lang
            .pick("a time is required", "l'heure est obligatoire")
            .to_owned(),
        E::NotATime if fr => "heure illisible (HH:MM ou 9h30)".to_owned(),
        E::NotATime => "not a time (HH:MM)".to_owned(),
        E::OutOfRange { earliest, latest } => {
            let (from, to) = (date(lang, *earliest), date(lang, *latest));
            lang.pick(
                format!("the date must lie between {from} and {to} (ten years either side of today)"),
                format!("la date doit être comprise entre le {from} et le {to} (dix ans avant ou après aujourd'hui)"),
            )
        }
        E::BeforeBirth { birth } => {
            let birth = date(lang, *birth);
            lang.pick(
                format!("the date is before the patient's birth ({birth})"),
                format!("la date précède la naissance du patient ({birth})"),
            )
        }
        E::RoomRequired => lang
            .pick("a room is required", "la salle est obligatoire")
            .to_owned(),
        E::RoomTooLong { chars, max } => lang.pick(
            format!("the room is {chars} characters long; at most {max} are accepted"),
            format!("la salle fait {chars} caractères\u{202f}; {max} au plus sont acceptés"),
        ),
    }
}
