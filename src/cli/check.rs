//! `check`: a week's cases (and the cases postponed into it, to
//! reschedule), each dossier item and the scores. Read through the read
//! table: a login the file does not know reads nothing; a viewer (and the
//! auditor) reads it pseudonymised, and not at all without a pseudonym key.

use super::{CliError, Format};
use crate::domain::message::Lang;
use crate::domain::roles::Read;
use crate::domain::rules::Context;
use crate::domain::week::Week;
use crate::export::pseudo::Pseudonymiser;
use crate::report;
use crate::storage::Db;

pub(super) fn run(
    db: &Db,
    week: Week,
    format: Format,
    lang: Lang,
    out: &mut dyn std::io::Write,
) -> Result<(), CliError> {
    let reader = db.reader(Read::Week)?;
    let pseudonymiser = Pseudonymiser::for_sight(reader.sight(), db.role()?)?;
    // The rules and the protocol version they are, read together.
    let (rules, protocol) = db.rules_and_protocol()?;
    let ctx = Context {
        rules: &rules,
        tz: db.timezone()?,
    };
    // As the screen (`tui::data::load`): the cases postponed into the week
    // first, then the week's own.
    let to_reschedule = reader.to_reschedule(week)?;
    let stored = reader.week(week)?;
    // Traced before anything is shown; nothing is shown if it cannot be.
    let ids: Vec<i64> = to_reschedule.iter().chain(&stored).map(|c| c.id).collect();
    crate::storage::audit::reads::trace(
        db,
        crate::storage::audit::reads::What::Week,
        Some(&week.to_string()),
        &ids,
    )?;
    let today = db.clock().today_in(ctx.tz);
    let alerts = report::alerts::coming(db, &reader, &ctx, today, pseudonymiser.as_ref())?;
    let mut r = report::build(
        week,
        &stored,
        &to_reschedule,
        &ctx,
        lang,
        pseudonymiser.as_ref(),
    );
    r.alerts = alerts;
    r.held_identity_mismatch = crate::storage::feed_held::mismatches(db)?;
    r.judged_by(&protocol, ctx.tz, lang);
    match format {
        Format::Json => {
            super::json::write(out, &r)?;
        }
        Format::Text => write!(out, "{}", report::render_text(&r, lang))?,
    }
    Ok(())
}
