//! `reschedule`: a postponed case given a new slot from the command line
//! (issue 14 §3), through the same service as the screen's `r`.

use super::CliError;
use crate::decide::{DecideError, reschedule};
use crate::domain::message::Lang;
use crate::domain::slot::{self, Slot};
use crate::storage::Db;
use crate::text::typo::Medium;

/// Gives case `external_id` the slot `at` (read as the forms read dates,
/// in `lang`) in `room`; one line on success, one on refusal.
pub(super) fn run(
    db: &mut Db,
    external_id: &str,
    (at, room): (&str, &str),
    lang: Lang,
    out: &mut dyn std::io::Write,
) -> Result<(), CliError> {
    let refused =
        |e: DecideError| CliError::Refused(crate::text::decide::refusal_with_hint(lang, &e));
    let today = db.clock().today();
    let at = slot::read_at(at, lang, today).map_err(|e| refused(DecideError::BadSlot(e)))?;
    let to = Slot {
        at,
        room: room.to_owned(),
    };
    let done = reschedule::reschedule_external(db, external_id, &to).map_err(refused)?;
    let line = crate::text::reschedule::rescheduled(lang, &done);
    writeln!(
        out,
        "{}",
        crate::text::typo::finish(lang, Medium::Print, &line)
    )?;
    Ok(())
}
