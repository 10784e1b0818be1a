//! Which hints the status bar leaves out when they do not all fit: whole
//! hints, never half of one, in a fixed order. A context listed here drops
//! its listed actions first, in the order written; then (and in a context
//! not listed) the rightmost hint first, since the key table places the
//! most useful keys first. The help's hint is never dropped: it lists
//! every key.
//!
//! A new hinted key on the board takes its place in the board's row below
//! (a test checks that each has one).

use super::Context;
use crate::tui::action::Action;

/// Per context, its hints in the order they are left out (first: first
/// to go).
pub const DROP_ORDER: &[(Context, &[Action])] = &[(
    Context::Board,
    &[
        Action::Rules,
        Action::Order,
        Action::Narrow,
        Action::Filter,
        Action::Search,
        Action::Attendance,
        Action::Export,
        Action::Note,
        Action::Reschedule,
        Action::Edit,
        Action::Undo,
        Action::Cancel,
        Action::Postpone,
        Action::Validate,
        Action::Resolve,
        Action::Open,
        Action::Quit,
    ],
)];

/// The hint the status bar never leaves out.
pub const NEVER_DROPPED: Action = Action::Help;

/// The positions in `shown` (a context's hints, in the bar's order) in the
/// order they are left out; the help's is not among them.
pub fn drop_sequence(context: Context, shown: &[Action]) -> Vec<usize> {
    let listed = DROP_ORDER
        .iter()
        .find(|(c, _)| *c == context)
        .map_or(&[][..], |(_, order)| order);
    let mut seq: Vec<usize> = listed
        .iter()
        .filter(|a| **a != NEVER_DROPPED)
        .filter_map(|a| shown.iter().position(|s| s == a))
        .collect();
    for i in (0..shown.len()).rev() {
        if !seq.contains(&i) && shown[i] != NEVER_DROPPED {
            seq.push(i);
        }
    }
    seq
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_board_hint_has_its_place_in_the_drop_order() {
        let (_, board) = DROP_ORDER
            .iter()
            .find(|(c, _)| *c == Context::Board)
            .expect("the board's row");
        for b in super::super::hints(Context::Board) {
            if b.action != NEVER_DROPPED {
                assert!(
                    board.contains(&b.action),
                    "{:?} is offered on the board: give it a place in DROP_ORDER",
                    b.action
                );
            }
        }
        assert!(!board.contains(&NEVER_DROPPED));
    }

    #[test]
    fn listed_first_then_from_the_right_and_never_the_help() {
        use Action::*;
        let shown = [Help, Quit, Open, Validate, Rules];
        assert_eq!(drop_sequence(Context::Board, &shown), vec![4, 3, 2, 1]);
        let shown = [Submit, Dismiss, NextField];
        assert_eq!(drop_sequence(Context::Form, &shown), vec![2, 1, 0]);
    }
}
