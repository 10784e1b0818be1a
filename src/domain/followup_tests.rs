use std::collections::HashSet;

use chrono::{NaiveDate, NaiveDateTime};

use super::*;
use crate::domain::vocab::{FollowUpKind, Technique};

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
}

fn at(s: &str) -> NaiveDateTime {
    day(s).and_hms_opt(10, 0, 0).expect("time")
}

fn procedure(case_id: i64, done: &str, operator: &str) -> Procedure {
    Procedure {
        case_id,
        external_id: format!("SCH-{case_id}"),
        patient_id: case_id * 10,
        patient: format!("PATIENT {case_id}"),
        ipp: format!("IPP{case_id}"),
        techniques: vec![Technique::Cementoplasty],
        performed_at: at(done),
        operator: operator.into(),
        pain_before: Some(7),
    }
}

fn recorded(case_id: i64, kind: FollowUpKind, reached: bool, attempts: u32) -> Recorded {
    Recorded {
        case_id,
        kind,
        reached,
        attempts,
        called_at: at("2026-12-01"),
        version: i64::from(attempts),
    }
}

/// The M1 window's edges, and J+1 on its day only: (days after the
/// procedure, the states on the list).
#[test]
fn the_list_on_each_edge_of_the_windows() {
    let done = "2026-11-02";
    let due_until = day("2026-12-14");
    let table: &[(u64, &[(FollowUpKind, State)])] = &[
        (0, &[]),
        (
            1,
            &[(
                FollowUpKind::J1,
                State::Due {
                    until: day("2026-11-03"),
                },
            )],
        ),
        (2, &[]),
        (27, &[]),
        (28, &[(FollowUpKind::M1, State::Due { until: due_until })]),
        (42, &[(FollowUpKind::M1, State::Due { until: due_until })]),
        (
            43,
            &[(FollowUpKind::M1, State::Overdue { ended: due_until })],
        ),
        (
            120,
            &[(FollowUpKind::M1, State::Overdue { ended: due_until })],
        ),
        // Past the list's horizon: no longer a one-month follow-up.
        (121, &[]),
        (200, &[]),
    ];
    let procs = [procedure(1, done, "Dr Martin")];
    for (after, want) in table {
        let today = day(done)
            .checked_add_days(chrono::Days::new(*after))
            .expect("day");
        let got: Vec<(FollowUpKind, State)> = calls(&procs, &[], &HashSet::new(), today)
            .into_iter()
            .map(|c| (c.kind, c.state))
            .collect();
        assert_eq!(got, want.to_vec(), "J+{after}");
    }
}

/// A reached call closes a follow-up; an attempt that did not reach the
/// patient keeps it, with its count; a patient who died leaves the list.
#[test]
fn what_closes_a_call_and_what_keeps_it() {
    let today = day("2026-12-05"); // J+33 of the procedures below
    let procs = [
        procedure(1, "2026-11-02", "Dr Martin"),
        procedure(2, "2026-11-02", "Dr Martin"),
        procedure(3, "2026-11-02", "Dr Martin"),
        procedure(4, "2026-11-02", "Dr Martin"),
    ];
    let rows = [
        recorded(1, FollowUpKind::M1, true, 1),
        recorded(2, FollowUpKind::M1, false, 2),
        // A reached J+1 does not close the M1.
        recorded(3, FollowUpKind::J1, true, 1),
    ];
    let deceased: HashSet<i64> = [40].into_iter().collect();
    let list = calls(&procs, &rows, &deceased, today);
    let got: Vec<(i64, u32, Option<i64>)> = list
        .iter()
        .map(|c| (c.procedure.case_id, c.attempts, c.version))
        .collect();
    assert_eq!(got, vec![(2, 2, Some(2)), (3, 0, None)]);
}

#[test]
fn overdue_first_then_by_window_then_by_case() {
    let today = day("2026-12-20");
    let procs = [
        procedure(1, "2026-11-20", "a"), // J+30: due until 01-01
        procedure(2, "2026-11-01", "a"), // J+49: overdue since 12-13
        procedure(3, "2026-11-15", "a"), // J+35: due until 12-27
        procedure(4, "2026-10-20", "a"), // overdue since 12-01
    ];
    let order: Vec<i64> = calls(&procs, &[], &HashSet::new(), today)
        .iter()
        .map(|c| c.procedure.case_id)
        .collect();
    assert_eq!(order, vec![4, 2, 3, 1]);
    assert_eq!(overdue(&calls(&procs, &[], &HashSet::new(), today)), 2);
}

#[test]
fn selecting_by_state_and_operator() {
    let today = day("2026-12-20");
    let procs = [
        procedure(1, "2026-11-20", "Dr Martin"),
        procedure(2, "2026-11-01", "dr  MARTIN "),
        procedure(3, "2026-11-15", "Dr Léa Roux"),
    ];
    let all = calls(&procs, &[], &HashSet::new(), today);
    let ids = |v: Vec<&Call>| v.iter().map(|c| c.procedure.case_id).collect::<Vec<_>>();
    assert_eq!(ids(select(&all, When::All, None)), vec![2, 3, 1]);
    assert_eq!(ids(select(&all, When::Due, None)), vec![3, 1]);
    assert_eq!(ids(select(&all, When::Overdue, None)), vec![2]);
    assert_eq!(ids(select(&all, When::All, Some("DR MARTIN"))), vec![2, 1]);
    assert_eq!(ids(select(&all, When::Due, Some("dr martin"))), vec![1]);
    // NFD typed, NFC stored: the same name.
    assert_eq!(
        ids(select(&all, When::All, Some("dr le\u{301}a roux"))),
        vec![3]
    );
    let groups = by_operator(&select(&all, When::All, None));
    let names: Vec<(&str, usize)> = groups.iter().map(|(n, v)| (n.as_str(), v.len())).collect();
    assert_eq!(names, vec![("Dr Léa Roux", 1), ("dr  MARTIN ", 2)]);
}

#[test]
fn operator_keys_fold_nfc_case_and_spaces() {
    let table = [
        ("Dr Martin", "dr martin"),
        ("  DR\tMARTIN  ", "dr martin"),
        ("Dr Le\u{301}a", "dr léa"),
        ("Dr Léa", "dr léa"),
        ("Dr\u{200b} Martin", "dr martin"),
        ("   ", ""),
    ];
    for (name, key) in table {
        assert_eq!(operator_key(name), key, "{name:?}");
    }
}
