//! Which cases the board lists (`f` cycles).

use crate::domain::vocab::DecisionStatus;
use crate::tui::data::CaseView;

/// Which cases the board lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filter {
    All,
    Incomplete,
    Pending,
    Validated,
    Postponed,
    Cancelled,
    /// Postponed into this week from an earlier one.
    ToReschedule,
}

impl Filter {
    pub const ALL: [Filter; 7] = [
        Filter::All,
        Filter::Incomplete,
        Filter::Pending,
        Filter::Validated,
        Filter::Postponed,
        Filter::Cancelled,
        Filter::ToReschedule,
    ];

    pub(super) fn next(self) -> Filter {
        let i = Filter::ALL.iter().position(|f| *f == self).unwrap_or(0);
        Filter::ALL[(i + 1) % Filter::ALL.len()]
    }

    /// A case whose booking ended at its source is with the cancelled
    /// ones, never with the incomplete, undecided or validated.
    pub(super) fn keeps(self, c: &CaseView) -> bool {
        let ended = c.stored.ended_at_source().is_some();
        match self {
            Filter::All => true,
            Filter::Incomplete => !ended && !c.assessment.complete(),
            Filter::Pending => !ended && c.stored.status == DecisionStatus::Pending,
            Filter::Validated => !ended && c.stored.status == DecisionStatus::Validated,
            Filter::Postponed => !ended && c.stored.status == DecisionStatus::Postponed,
            Filter::Cancelled => ended || c.stored.status == DecisionStatus::Cancelled,
            Filter::ToReschedule => c.to_reschedule,
        }
    }
}
