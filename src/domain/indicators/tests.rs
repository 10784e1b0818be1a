//! The indicators on a small hand-made set, every answer worked out by hand
//! in the comments.

use chrono::NaiveDate;

use super::cells::balance;
use super::*;
use crate::domain::vocab::ReasonCode::*;
use crate::domain::vocab::Technique::*;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
}

/// A validated case performed on its day, with no follow-up yet.
fn done(patient: i64, day: &str, t: &[Technique]) -> Fact {
    Fact {
        patient_id: patient,
        day: d(day),
        techniques: t.iter().copied().collect(),
        committee: Committee::Validated { overridden: false },
        decided_on: None,
        consultation_on: None,
        outcome: Some(Day::Performed {
            on: d(day),
            techniques: t.iter().copied().collect(),
        }),
        pain_before: None,
        m1: None,
        complication: None,
        died_on: None,
    }
}

fn with(mut f: Fact, change: impl FnOnce(&mut Fact)) -> Fact {
    change(&mut f);
    f
}

fn m1(pain: Option<u8>, analgesics: Option<Analgesics>) -> Option<M1> {
    Some(M1 {
        reached: true,
        pain,
        analgesics,
    })
}

/// The set (period 2026-01-01..2026-03-31, judged on 2026-06-30: every M1
/// window, the latest J+42 = 2026-04-16, is over). Patient 1 has two cases.
fn set() -> Vec<Fact> {
    let v = |f: &mut Fact, decided: &str| f.decided_on = Some(d(decided));
    let c = |f: &mut Fact, consulted: &str| f.consultation_on = Some(d(consulted));
    let undone = |f: &mut Fact, r: ReasonCode| f.outcome = Some(Day::NotPerformed(r));
    vec![
        // #1 W02: consultation 17 d before, committee 4 d; pain 8 → 3, decreased.
        with(done(1, "2026-01-06", &[Vertebroplasty]), |f| {
            v(f, "2026-01-02");
            c(f, "2025-12-20");
            f.pain_before = Some(8);
            f.m1 = m1(Some(3), Some(Analgesics::Decreased));
        }),
        // #2 W02, validated by override: 11 d, 5 d; pain 7 → 6, unchanged; CIRSE 1.
        with(done(2, "2026-01-07", &[Vertebroplasty]), |f| {
            v(f, "2026-01-02");
            c(f, "2025-12-27");
            f.committee = Committee::Validated { overridden: true };
            f.pain_before = Some(7);
            f.m1 = m1(Some(6), Some(Analgesics::Unchanged));
            f.complication = CirseGrade::new(1);
        }),
        // #3 W02: not performed, drug not stopped.
        with(done(3, "2026-01-08", &[Cementoplasty]), |f| {
            v(f, "2026-01-02");
            c(f, "2026-01-01");
            undone(f, DrugNotStopped);
        }),
        // #4 W03: not performed, missing test.
        with(done(4, "2026-01-13", &[Cementoplasty]), |f| {
            v(f, "2026-01-09");
            undone(f, MissingTest);
        }),
        // #5 W03: validated, nothing recorded on the day.
        with(done(5, "2026-01-14", &[RadiofrequencyAblation]), |f| {
            v(f, "2026-01-09");
            f.outcome = None;
        }),
        // #6 W03: postponed for a missing test; #7 cancelled, not coded.
        with(done(6, "2026-01-15", &[Vertebroplasty]), |f| {
            f.committee = Committee::Postponed(Some(MissingTest));
            f.outcome = None;
        }),
        with(done(7, "2026-01-15", &[Vertebroplasty]), |f| {
            f.committee = Committee::Cancelled(None);
            f.outcome = None;
        }),
        // #8 W06, two techniques: 14 d, 4 d; pain 6 → 3, stopped; CIRSE 2.
        with(
            done(8, "2026-02-03", &[Vertebroplasty, Cementoplasty]),
            |f| {
                v(f, "2026-01-30");
                c(f, "2026-01-20");
                f.pain_before = Some(6);
                f.m1 = m1(Some(3), Some(Analgesics::Stopped));
                f.complication = CirseGrade::new(2);
            },
        ),
        // #9 W06, patient 1 again: 5 d, 5 d; the M1 call did not reach him.
        with(done(1, "2026-02-04", &[Vertebroplasty]), |f| {
            v(f, "2026-01-30");
            c(f, "2026-01-30");
            f.pain_before = Some(9);
            f.m1 = Some(M1 {
                reached: false,
                pain: None,
                analgesics: None,
            });
        }),
        // #10 W06: 26 d, 6 d; died 2026-02-20, before his window's end
        // (2026-03-19), never reached: out of the completion.
        with(done(9, "2026-02-05", &[Embolisation]), |f| {
            v(f, "2026-01-30");
            c(f, "2026-01-10");
            f.died_on = Some(d("2026-02-20"));
        }),
        // #11 W06: not decided.
        with(done(10, "2026-02-05", &[Neurolysis]), |f| {
            f.committee = Committee::Pending;
            f.outcome = None;
        }),
        // #12 W10: 30 d (February has 28 days), 4 d; pain 4 → 2, analgesics not asked.
        with(done(11, "2026-03-03", &[Vertebroplasty]), |f| {
            v(f, "2026-02-27");
            c(f, "2026-02-01");
            f.pain_before = Some(4);
            f.m1 = m1(Some(2), None);
        }),
        // #13 W10: not performed, drug not stopped.
        with(done(12, "2026-03-04", &[Cementoplasty]), |f| {
            v(f, "2026-02-27");
            undone(f, DrugNotStopped);
        }),
        // #14 W10: 6 d from the committee, no consultation, no call recorded.
        with(done(13, "2026-03-05", &[Vertebroplasty]), |f| {
            v(f, "2026-02-27");
        }),
        // Outside the period: ignored.
        done(14, "2026-04-01", &[Vertebroplasty]),
    ]
}

/// The set's indicators (also the report's tests' data).
pub(crate) fn raw() -> Indicators<Count> {
    compute(&set(), d("2026-01-01"), d("2026-03-31"), d("2026-06-30"))
}

fn part<K: PartialEq, C: Copy>(s: &Split<K, C>, k: K) -> Option<C> {
    s.parts.iter().find(|(x, _)| *x == k).map(|(_, c)| *c)
}

#[test]
fn every_count_and_its_denominator() {
    let i = raw();
    let n = |c: Count| c.cases;
    let reason = |m: &NotPerformedMonth<Count>, r| part(&m.not_performed, r).map(n);
    let months = &i.not_performed;
    let rows: Vec<(&str, Option<u32>, u32)> = vec![
        // 14 cases in the period (the 15th is in April); 13 patients.
        ("cases", Some(n(i.cases)), 14),
        // #1 3 4 5 8 9 10 12 13 14; #2 by override; #11.
        ("validated", Some(n(i.validated)), 10),
        ("overridden", Some(n(i.overridden)), 1),
        ("pending", Some(n(i.pending)), 1),
        ("postponed", Some(n(i.postponed.total)), 1),
        (
            "postponed missing_test",
            part(&i.postponed, Some(MissingTest)).map(n),
            1,
        ),
        ("cancelled not coded", part(&i.cancelled, None).map(n), 1),
        // Meetings: W02 3, W03 4, W06 4, W10 3.
        ("meetings", Some(i.meetings.parts.len() as u32), 4),
        ("W03", i.meetings.parts.get(1).map(|p| n(p.1)), 4),
        // Performed: #1 #2 (Jan), #8 #9 #10 (Feb), #12 #14 (Mar).
        ("performed", Some(n(i.performed.total)), 7),
        ("performed Feb", i.performed.parts.get(1).map(|p| n(p.1)), 3),
        // Activity: vertebroplasty in #1 #2 #8 #9 #12 #14; #8 also cementoplasty.
        ("activity rows", Some(i.activity.len() as u32), 3),
        (
            "vertebroplasty",
            i.activity.first().map(|a| n(a.1.total)),
            6,
        ),
        (
            "cementoplasty Feb",
            i.activity
                .get(1)
                .and_then(|a| a.1.parts.get(1))
                .map(|p| n(p.1)),
            1,
        ),
        // Not performed: Jan due #1-#5 = 5, of which #3 drug, #4 test, #5 unrecorded.
        ("Jan due", Some(n(months[0].due)), 5),
        (
            "Jan not performed",
            Some(n(months[0].not_performed.total)),
            2,
        ),
        ("Jan drug", reason(&months[0], DrugNotStopped), 1),
        ("Jan unrecorded", Some(n(months[0].unrecorded)), 1),
        ("Feb due", Some(n(months[1].due)), 3),
        (
            "Feb not performed",
            Some(n(months[1].not_performed.total)),
            0,
        ),
        ("Mar due", Some(n(months[2].due)), 3),
        ("Mar drug", reason(&months[2], DrugNotStopped), 1),
        ("period due", Some(n(i.not_performed_total.due)), 11),
        (
            "period drug",
            reason(&i.not_performed_total, DrugNotStopped),
            2,
        ),
        (
            "period missing_test",
            reason(&i.not_performed_total, MissingTest),
            1,
        ),
        // Delays: 6 cases with a consultation, 7 validated and performed.
        ("consultation n", Some(n(i.consultation_to_procedure.n)), 6),
        ("committee n", Some(n(i.committee_to_procedure.n)), 7),
        // M1: due #1 #2 #8 #9 #12 #14, reached #1 #2 #8 #12; #10 died.
        ("m1 due", Some(n(i.m1_due)), 6),
        ("m1 reached", Some(n(i.m1_reached)), 4),
        ("m1 died", Some(n(i.m1_died)), 1),
        // Pain: #1 8→3, #2 7→6, #8 6→3, #12 4→2; ≥ 2 points: #1 #8 #12;
        // ≥ 50 %: 5/8, 3/6, 2/4: #1 #8 #12.
        ("pain n", Some(n(i.pain_n)), 4),
        ("pain down 2", Some(n(i.pain_down_2)), 3),
        ("pain down half", Some(n(i.pain_down_half)), 3),
        // Analgesics answered: #1 decreased, #2 unchanged, #8 stopped.
        ("analgesics n", Some(n(i.analgesics_n)), 3),
        ("analgesics down", Some(n(i.analgesics_down)), 2),
        // Complications over the 7 performed: #2 grade 1, #8 grade 2, 5 none.
        ("complications n", Some(n(i.complications.total)), 7),
        ("no complication", part(&i.complications, None).map(n), 5),
        (
            "grade 1",
            part(&i.complications, CirseGrade::new(1)).map(n),
            1,
        ),
        (
            "grade 2",
            part(&i.complications, CirseGrade::new(2)).map(n),
            1,
        ),
        (
            "grade 6",
            part(&i.complications, CirseGrade::new(6)).map(n),
            0,
        ),
    ];
    for (what, got, want) in rows {
        assert_eq!(got, Some(want), "{what}");
    }
}

#[test]
fn medians_p90_rates_and_trend() {
    let i = raw();
    let rows: Vec<(&str, Option<f64>, Option<f64>)> = vec![
        // Sizes 3 4 4 3 → 3 3 4 4: median 3.5; p90 rank ⌈3.6⌉ = 4 → 4.
        ("per meeting median", i.per_meeting.median, Some(3.5)),
        ("per meeting p90", i.per_meeting.p90, Some(4.0)),
        // Consultation → procedure: 17 11 14 5 26 30 → 5 11 14 17 26 30:
        // median (14 + 17) / 2; p90 rank ⌈5.4⌉ = 6 → 30.
        (
            "consultation median",
            i.consultation_to_procedure.median,
            Some(15.5),
        ),
        (
            "consultation p90",
            i.consultation_to_procedure.p90,
            Some(30.0),
        ),
        // Committee → procedure: 4 5 4 5 6 4 6 → 4 4 4 5 5 6 6: median 5;
        // p90 rank ⌈6.3⌉ = 7 → 6.
        (
            "committee median",
            i.committee_to_procedure.median,
            Some(5.0),
        ),
        ("committee p90", i.committee_to_procedure.p90, Some(6.0)),
        // Pain before 4 6 7 8 → 6.5; at M1 2 3 3 6 → 3.
        ("pain before", i.pain_before, Some(6.5)),
        ("pain m1", i.pain_m1, Some(3.0)),
        // Rates: Jan 2/5, Feb 0/3, Mar 1/3, period 3/11.
        ("Jan rate", i.not_performed[0].rate, Some(40.0)),
        ("Feb rate", i.not_performed[1].rate, Some(0.0)),
        ("Mar rate", i.not_performed[2].rate, Some(100.0 / 3.0)),
        (
            "period rate",
            i.not_performed_total.rate,
            Some(300.0 / 11.0),
        ),
        // Slope over (0, 40) (1, 0) (2, 33.3): Σ(x−1)(y−ȳ) / Σ(x−1)² =
        // (−40 + 33.3) / 2 = −3.33 points a month.
        ("trend", i.not_performed_trend, Some(-10.0 / 3.0)),
    ];
    for (what, got, want) in rows {
        match (got, want) {
            (Some(g), Some(w)) => assert!((g - w).abs() < 1e-9, "{what}: {g} ≠ {w}"),
            _ => assert_eq!(got, want, "{what}"),
        }
    }
}

#[test]
fn percentiles_at_their_edges() {
    let rows: &[(&[u32], Option<f64>, Option<f64>)] = &[
        (&[], None, None),
        (&[7], Some(7.0), Some(7.0)),
        (&[1, 9], Some(5.0), Some(9.0)),
        // Ten values: p90 is rank 9.
        (&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], Some(5.5), Some(9.0)),
        // Eleven: rank ⌈9.9⌉ = 10.
        (&[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], Some(5.0), Some(9.0)),
    ];
    for (values, median, p90) in rows {
        assert_eq!(stats::median(&mut values.to_vec()), *median, "{values:?}");
        assert_eq!(stats::p90(&mut values.to_vec()), *p90, "{values:?}");
    }
}

#[test]
fn a_cell_under_5_patients_reads_under_5() {
    // (patients of each case, pseudonymised, shown)
    let rows: &[(&[i64], bool, Cell)] = &[
        (&[], true, Cell::N(0)),
        (&[1], true, Cell::Under5),
        (&[1, 2, 3, 4], true, Cell::Under5),
        (&[1, 2, 3, 4, 5], true, Cell::N(5)),
        // Six cases of two patients: still under 5 patients.
        (&[1, 1, 1, 2, 2, 2], true, Cell::Under5),
        (&[1, 2], false, Cell::N(2)),
    ];
    for (patients, pseudo, want) in rows {
        let mut c = Count::default();
        patients.iter().for_each(|p| c.add(*p));
        assert_eq!(c.shown(*pseudo), *want, "{patients:?}");
    }
}

#[test]
fn a_second_cell_is_hidden_where_the_first_could_be_worked_back() {
    use Cell::*;
    // (total, parts) before → after, and whether it changed.
    type Row = (Cell, Vec<Cell>, Cell, Vec<Cell>, bool);
    let rows: Vec<Row> = vec![
        // One "< 5" beside a shown total: the smallest non-zero other goes.
        (
            N(20),
            vec![Under5, N(7), N(9), N(0)],
            N(20),
            vec![Under5, Hidden, N(9), N(0)],
            true,
        ),
        (
            N(30),
            vec![N(9), Under5, N(9), N(8)],
            N(30),
            vec![N(9), Under5, N(9), Hidden],
            true,
        ),
        // Two masked already: nothing to do.
        (
            N(20),
            vec![Under5, Under5, N(12)],
            N(20),
            vec![Under5, Under5, N(12)],
            false,
        ),
        (
            Under5,
            vec![Under5, N(0)],
            Under5,
            vec![Under5, N(0)],
            false,
        ),
        // Nothing masked.
        (N(5), vec![N(5), N(0)], N(5), vec![N(5), N(0)], false),
        // No other non-zero part: the total goes.
        (N(7), vec![Under5, N(0)], Hidden, vec![Under5, N(0)], true),
    ];
    for (total, parts, want_total, want_parts, changed) in rows {
        let (mut t, mut p) = (total, parts.clone());
        assert_eq!(
            balance(&mut t, p.iter_mut().collect()),
            changed,
            "{total:?} {parts:?}"
        );
        assert_eq!((t, p), (want_total, want_parts), "{total:?} {parts:?}");
    }
}

#[test]
fn the_pseudonymised_set_masks_small_cells_and_what_they_leave_open() {
    let shown = mask(&raw(), true);
    use Cell::*;
    let rows: Vec<(&str, Option<Cell>, Cell)> = vec![
        ("cases", Some(shown.cases), N(14)),
        // Ten cases of nine patients, hidden: the "< 5" cells beside it
        // (override, postponed, cancelled) would otherwise be 1 each.
        ("validated", Some(shown.validated), Hidden),
        ("overridden", Some(shown.overridden), Under5),
        // Vertebroplasty: 2 2 2 a month, 6 in all of 5 patients.
        (
            "vertebroplasty",
            shown.activity.first().map(|a| a.1.total),
            N(6),
        ),
        (
            "vertebroplasty Jan",
            shown.activity.first().map(|a| a.1.parts[0].1),
            Under5,
        ),
        // January's due: 5 patients; February's 3.
        ("Jan due", Some(shown.not_performed[0].due), N(5)),
        ("Feb due", Some(shown.not_performed[1].due), Under5),
        (
            "Feb not performed",
            Some(shown.not_performed[1].not_performed.total),
            N(0),
        ),
        ("period due", Some(shown.not_performed_total.due), N(11)),
        ("pain n", Some(shown.pain_n), Under5),
        ("m1 due", Some(shown.m1_due), N(6)),
        ("m1 reached", Some(shown.m1_reached), Under5),
    ];
    for (what, got, want) in rows {
        assert_eq!(got, Some(want), "{what}");
    }
    // No median over fewer than 5 patients, no rate over a masked count;
    // a rate over shown counts stays (February: 0 of "< 5" is hidden too).
    assert_eq!((shown.pain_before, shown.pain_m1), (None, None));
    assert_eq!(shown.not_performed[0].rate, None);
    assert_eq!(shown.not_performed[1].rate, None);
    assert_eq!(shown.consultation_to_procedure.median, Some(15.5));
    // Identified: everything as computed.
    let plain = mask(&raw(), false);
    assert_eq!(plain.overridden, N(1));
    assert_eq!(plain.pain_before, Some(6.5));
}

#[test]
fn one_small_grade_hides_the_none_column_beside_it() {
    // Twelve patients performed in January, three with a CIRSE 1: the "no
    // complication" 9 would give the 3 back from the total 12.
    let facts: Vec<Fact> = (1..=12)
        .map(|p| {
            with(done(p, "2026-01-06", &[Vertebroplasty]), |f| {
                f.complication = if p <= 3 { CirseGrade::new(1) } else { None };
            })
        })
        .collect();
    let i = compute(&facts, d("2026-01-01"), d("2026-01-31"), d("2026-01-31"));
    let shown = mask(&i, true);
    let c = &shown.complications;
    assert_eq!(c.total, Cell::N(12));
    assert_eq!(part(c, CirseGrade::new(1)), Some(Cell::Under5));
    assert_eq!(part(c, None), Some(Cell::Hidden));
    assert_eq!(part(c, CirseGrade::new(2)), Some(Cell::N(0)));
    assert_eq!(mask(&i, false).complications.parts[0].1, Cell::N(9));
}

#[test]
fn months_span_the_period_across_a_year() {
    let m = Month::range(d("2025-11-15"), d("2026-02-01"));
    let shown: Vec<String> = m.iter().map(|m| m.to_string()).collect();
    assert_eq!(shown, ["2025-11", "2025-12", "2026-01", "2026-02"]);
}

/// A validated case counts in the not-performed rate's denominator once
/// its day has come (on the report's day: yes; the day after: not yet).
#[test]
fn a_case_is_due_once_its_day_has_come() {
    let pending_outcome = |p, day: &str| {
        with(done(p, day, &[Technique::Cementoplasty]), |f| {
            f.outcome = None
        })
    };
    let facts = [
        pending_outcome(1, "2026-03-10"),
        pending_outcome(2, "2026-03-11"),
    ];
    let i = compute(&facts, d("2026-03-01"), d("2026-03-31"), d("2026-03-10"));
    let march = &i.not_performed[0];
    assert_eq!(march.due.cases, 1);
    assert_eq!(march.unrecorded.cases, 1);
    assert_eq!(i.validated.cases, 2, "both validated all the same");
}

/// Two "< 5" cells whose sum is 2 (the total less the cells shown) are 1
/// each: a third cell is hidden so that they are not given away.
#[test]
fn masked_cells_that_can_only_be_ones_are_covered() {
    use crate::domain::indicators::cells::balance;
    let mut total = Cell::N(12);
    let mut parts = [Cell::N(10), Cell::N(0), Cell::Under5, Cell::Under5];
    assert!(balance(&mut total, parts.iter_mut().collect()));
    assert_eq!(
        parts,
        [Cell::Hidden, Cell::N(0), Cell::Under5, Cell::Under5]
    );
    // Summing to 3 over two cells: (1, 2) or (2, 1), nothing given away.
    let mut total = Cell::N(13);
    let mut parts = [Cell::N(10), Cell::Under5, Cell::Under5];
    assert!(!balance(&mut total, parts.iter_mut().collect()));
}
