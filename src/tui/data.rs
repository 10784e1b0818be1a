//! The week as the screen shows it: loaded from storage once per change
//! (never from the draw code), judged, and kept in the app state.

use crate::domain::assess::Assessment;
use crate::domain::record::{PendingValue, StoredCase};
use crate::domain::rules::Context;
use crate::domain::text::fold;
use crate::domain::week::Week;
use crate::storage::{Db, Result, read};

/// What [`CaseView::fingerprint`] compares.
pub type Fingerprint = (i64, i64, usize, usize, Vec<PendingValue>);

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

    /// Validated, and blocking since (not by an override).
    pub fn alert(&self) -> bool {
        self.stored
            .validated_but_blocking(self.assessment.complete())
    }

    /// Changes when anything shown about the case changes: its row, an
    /// evidence object, a note, a decision, a pending file value.
    pub fn fingerprint(&self) -> Fingerprint {
        let evidence = self.stored.recorded.iter().map(|r| r.version).sum();
        (
            self.stored.version,
            evidence,
            self.stored.notes.len(),
            self.stored.decisions.len(),
            self.stored.pending.clone(),
        )
    }
}

/// The loaded week.
#[derive(Debug, Clone)]
pub struct WeekData {
    pub week: Week,
    /// The hospital's time zone, for showing when things were recorded.
    pub tz: chrono_tz::Tz,
    /// Cases to reschedule first, then the week's cases by time and room.
    pub cases: Vec<CaseView>,
}

/// Reads and judges `week`.
pub fn load(db: &Db, week: Week) -> Result<WeekData> {
    let rules = db.rules()?;
    let tz = db.timezone()?;
    let ctx = Context { rules: &rules, tz };
    let view = |stored: StoredCase, to_reschedule: bool| {
        let f = &stored.file;
        let search_key = fold(&format!(
            "{} {} {}",
            f.patient.last_name, f.patient.first_name, f.patient.ipp
        ));
        CaseView {
            assessment: Assessment::of_stored(&stored, &ctx),
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
    Ok(WeekData { week, tz, cases })
}
