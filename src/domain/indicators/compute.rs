//! From the facts to the counts ([`compute`]).

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::stats::{median, p90, slope};
use super::{
    Committee, Count, Day, Fact, Indicators, Month, NotPerformedMonth, Split, Spread, percent,
};
use crate::domain::outcome::{CirseGrade, m1_window};
use crate::domain::vocab::{Analgesics, ReasonCode, Technique};
use crate::domain::week::Week;

/// Values and the patients they come from, for a median.
#[derive(Default)]
struct Values {
    n: Count,
    v: Vec<u32>,
}

impl Values {
    fn add(&mut self, patient: i64, x: u32) {
        self.n.add(patient);
        self.v.push(x);
    }
    fn spread(mut self) -> Spread<Count> {
        Spread {
            n: self.n,
            median: median(&mut self.v),
            p90: p90(&mut self.v),
        }
    }
}

fn empty_month(month: Month) -> NotPerformedMonth<Count> {
    NotPerformedMonth {
        month,
        due: Count::default(),
        unrecorded: Count::default(),
        not_performed: Split {
            total: Count::default(),
            parts: ReasonCode::ALL
                .iter()
                .map(|r| (*r, Count::default()))
                .collect(),
        },
        rate: None,
    }
}

fn days(from: NaiveDate, to: NaiveDate) -> Option<u32> {
    u32::try_from((to - from).num_days()).ok()
}

/// The indicators of the cases scheduled from `from` to `to` (both
/// included; facts outside are ignored), the follow-ups judged on `as_of`.
pub fn compute(
    facts: &[Fact],
    from: NaiveDate,
    to: NaiveDate,
    as_of: NaiveDate,
) -> Indicators<Count> {
    let months = Month::range(from, to);
    let first = months
        .first()
        .map(|m| i64::from(m.year) * 12 + i64::from(m.month));
    let slot = |d: NaiveDate| -> Option<usize> {
        let m = Month::of(d);
        usize::try_from(i64::from(m.year) * 12 + i64::from(m.month) - first?).ok()
    };
    let zeros =
        || -> Vec<(Month, Count)> { months.iter().map(|m| (*m, Count::default())).collect() };
    let mut cases = Count::default();
    let mut activity: Vec<Option<Vec<(Month, Count)>>> = vec![None; Technique::ALL.len()];
    let mut performed = zeros();
    let mut meetings: BTreeMap<Week, Count> = BTreeMap::new();
    let (mut validated, mut overridden, mut pending) =
        (Count::default(), Count::default(), Count::default());
    let mut postponed: BTreeMap<Option<ReasonCode>, Count> = BTreeMap::new();
    let mut cancelled: BTreeMap<Option<ReasonCode>, Count> = BTreeMap::new();
    let mut np: Vec<NotPerformedMonth<Count>> = months.iter().map(|m| empty_month(*m)).collect();
    let (mut consult, mut committee) = (Values::default(), Values::default());
    let (mut m1_due, mut m1_reached, mut m1_died) =
        (Count::default(), Count::default(), Count::default());
    let mut pain = (Count::default(), Vec::new(), Vec::new());
    let (mut pain_down_2, mut pain_down_half) = (Count::default(), Count::default());
    let (mut analgesics_n, mut analgesics_down) = (Count::default(), Count::default());
    let mut grades: BTreeMap<Option<CirseGrade>, Count> = BTreeMap::new();

    for f in facts.iter().filter(|f| (from..=to).contains(&f.day)) {
        let Some(mi) = slot(f.day) else { continue };
        let pid = f.patient_id;
        cases.add(pid);
        meetings
            .entry(Week::containing(f.day))
            .or_default()
            .add(pid);
        match f.committee {
            Committee::Pending => pending.add(pid),
            Committee::Validated { overridden: false } => validated.add(pid),
            Committee::Validated { overridden: true } => overridden.add(pid),
            Committee::Postponed(r) => postponed.entry(r).or_default().add(pid),
            Committee::Cancelled(r) => cancelled.entry(r).or_default().add(pid),
        }
        // Due: validated and its day come (a case validated for next week
        // is not yet one that was or was not performed).
        if matches!(f.committee, Committee::Validated { .. }) && f.day <= as_of {
            let m = &mut np[mi];
            m.due.add(pid);
            match f.outcome {
                None => m.unrecorded.add(pid),
                Some(Day::NotPerformed(r)) => {
                    m.not_performed.total.add(pid);
                    if let Some((_, c)) = m.not_performed.parts.iter_mut().find(|(k, _)| *k == r) {
                        c.add(pid);
                    }
                }
                Some(Day::Performed { .. }) => {}
            }
        }
        let Some(Day::Performed { on, techniques }) = f.outcome else {
            continue;
        };
        performed[mi].1.add(pid);
        let done = if techniques.is_empty() {
            f.techniques
        } else {
            techniques
        };
        for t in done.iter() {
            if let Some(i) = Technique::ALL.iter().position(|x| *x == t) {
                activity[i].get_or_insert_with(zeros)[mi].1.add(pid);
            }
        }
        if let Some(d) = f.consultation_on.and_then(|c| days(c, on)) {
            consult.add(pid, d);
        }
        if let (Committee::Validated { .. }, Some(d)) =
            (f.committee, f.decided_on.and_then(|c| days(c, on)))
        {
            committee.add(pid, d);
        }
        grades.entry(f.complication).or_default().add(pid);
        // The M1 follow-up.
        let (_, until) = m1_window(on);
        let reached = f.m1.is_some_and(|m| m.reached);
        if !reached && f.died_on.is_some_and(|d| d <= until) {
            if as_of > until || f.died_on.is_some_and(|d| d <= as_of) {
                m1_died.add(pid);
            }
            continue;
        }
        if !(reached || as_of > until) {
            continue;
        }
        m1_due.add(pid);
        let Some(m1) = f.m1.filter(|m| m.reached) else {
            continue;
        };
        m1_reached.add(pid);
        if let (Some(b), Some(a)) = (f.pain_before, m1.pain) {
            pain.0.add(pid);
            pain.1.push(u32::from(b));
            pain.2.push(u32::from(a));
            let drop = i32::from(b) - i32::from(a);
            if drop >= 2 {
                pain_down_2.add(pid);
            }
            if drop > 0 && 2 * drop >= i32::from(b) {
                pain_down_half.add(pid);
            }
        }
        if let Some(a) = m1.analgesics {
            analgesics_n.add(pid);
            if matches!(a, Analgesics::Decreased | Analgesics::Stopped) {
                analgesics_down.add(pid);
            }
        }
    }

    let coded = |m: BTreeMap<Option<ReasonCode>, Count>| split_of(m.into_iter().collect());
    // Every grade, none first.
    let complications = {
        let parts: Vec<(Option<CirseGrade>, Count)> = std::iter::once(None)
            .chain((CirseGrade::MIN..=CirseGrade::MAX).map(CirseGrade::new))
            .map(|g| (g, grades.get(&g).copied().unwrap_or_default()))
            .collect();
        split_of(parts)
    };
    for m in &mut np {
        m.rate = percent(m.not_performed.total.cases, m.due.cases);
    }
    let trend_points: Vec<(f64, f64)> = np
        .iter()
        .enumerate()
        .filter_map(|(i, m)| m.rate.map(|r| (i as f64, r)))
        .collect();
    let mut np_total = empty_month(months.first().copied().unwrap_or(Month::of(from)));
    np_total.due = sum(np.iter().map(|m| &m.due));
    np_total.unrecorded = sum(np.iter().map(|m| &m.unrecorded));
    np_total.not_performed.total = sum(np.iter().map(|m| &m.not_performed.total));
    for (r, (_, c)) in np_total.not_performed.parts.iter_mut().enumerate() {
        *c = sum(np
            .iter()
            .filter_map(|m| m.not_performed.parts.get(r).map(|p| &p.1)));
    }
    np_total.rate = percent(np_total.not_performed.total.cases, np_total.due.cases);
    let meetings = split_of(meetings.into_iter().collect());
    let mut sizes: Vec<u32> = meetings.parts.iter().map(|(_, c)| c.cases).collect();
    let per_meeting = Spread {
        n: sizes.len(),
        median: median(&mut sizes),
        p90: p90(&mut sizes),
    };
    Indicators {
        from,
        to,
        as_of,
        cases,
        activity: Technique::ALL
            .iter()
            .zip(activity)
            .filter_map(|(t, a)| a.map(|a| (*t, split_of(a))))
            .collect(),
        performed: split_of(performed),
        meetings,
        per_meeting,
        validated,
        overridden,
        pending,
        postponed: coded(postponed),
        cancelled: coded(cancelled),
        not_performed_trend: slope(&trend_points),
        not_performed: np,
        not_performed_total: np_total,
        consultation_to_procedure: consult.spread(),
        committee_to_procedure: committee.spread(),
        m1_due,
        m1_reached,
        m1_died,
        pain_n: pain.0,
        pain_before: median(&mut pain.1),
        pain_m1: median(&mut pain.2),
        pain_down_2,
        pain_down_half,
        analgesics_n,
        analgesics_down,
        complications,
        months,
    }
}

/// A split whose total is the sum of its parts.
fn split_of<K>(parts: Vec<(K, Count)>) -> Split<K, Count> {
    Split {
        total: sum(parts.iter().map(|(_, c)| c)),
        parts,
    }
}

/// The sum of counts: cases added, patients merged (up to the cap).
fn sum<'a>(counts: impl Iterator<Item = &'a Count>) -> Count {
    let mut out = Count::default();
    for c in counts {
        out.merge(c);
    }
    out
}
