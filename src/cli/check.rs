//! `check`: a week's cases (and the cases postponed into it, to
//! reschedule), each dossier item and the scores.

use super::{CliError, Format};
use crate::domain::message::Lang;
use crate::domain::rules::Context;
use crate::domain::week::Week;
use crate::report;
use crate::storage::{Db, read};

pub(super) fn run(
    db: &Db,
    week: Week,
    format: Format,
    lang: Lang,
    out: &mut dyn std::io::Write,
) -> Result<(), CliError> {
    let rules = db.rules()?;
    let ctx = Context {
        rules: &rules,
        tz: db.timezone()?,
    };
    // As the screen (`tui::data::load`): the cases postponed into the week
    // first, then the week's own.
    let to_reschedule = read::to_reschedule(db, week)?;
    let stored = read::week(db, week)?;
    let r = report::build(week, &stored, &to_reschedule, &ctx, lang);
    match format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, &r).map_err(std::io::Error::from)?;
            writeln!(out)?;
        }
        Format::Text => write!(out, "{}", report::render_text(&r, lang))?,
    }
    Ok(())
}
