//! The week as the screen shows it: loaded from storage once per change
//! (never from the draw code), judged, and kept in the app state.

use crate::domain::assess::Assessment;
use crate::domain::record::StoredCase;
use crate::domain::rules::Context;
use crate::domain::text::fold;
use crate::domain::week::Week;
use crate::storage::{Db, Result, read};

/// One case on the board.
#[derive(Debug, Clone)]
pub struct CaseView {
    pub stored: StoredCase,
    pub assessment: Assessment,
    /// Postponed into this week from an earlier one: shown at the top.
    pub to_reschedule: bool,
    /// Lower-case, accent-free "last first ipp" for search.
    pub search_key: String,
}

impl CaseView {
    pub fn id(&self) -> i64 {
        self.stored.id
    }
}

/// The loaded week.
#[derive(Debug, Clone)]
pub struct WeekData {
    pub week: Week,
    /// Cases to reschedule first, then the week's cases by time and room.
    pub cases: Vec<CaseView>,
}

/// Reads and judges `week`.
pub fn load(db: &Db, week: Week) -> Result<WeekData> {
    let rules = db.rules()?;
    let ctx = Context {
        rules: &rules,
        tz: db.timezone()?,
    };
    let view = |stored: StoredCase, to_reschedule: bool| {
        let f = &stored.file;
        let search_key = fold(&format!(
            "{} {} {}",
            f.patient.last_name, f.patient.first_name, f.patient.ipp
        ));
        CaseView {
            assessment: Assessment::of(f, &ctx),
            stored,
            to_reschedule,
            search_key,
        }
    };
    let mut cases: Vec<CaseView> = read::to_reschedule(db, week)?
        .into_iter()
        .map(|c| view(c, true))
        .collect();
    cases.extend(read::week(db, week)?.into_iter().map(|c| view(c, false)));
    Ok(WeekData { week, cases })
}
