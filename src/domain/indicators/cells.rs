//! Counts and how a pseudonymised report shows them: a cell counting
//! fewer than 5 patients reads "< 5" ([`Cell::Under5`]), and where such a
//! cell could be worked back from a total shown beside it (the total minus
//! the other cells), a second cell is hidden too ([`Cell::Hidden`]:
//! complementary suppression, the smallest other non-zero cell of the same
//! sum, until every sum has none or at least two cells masked). A zero is
//! shown: it reveals nobody.

use serde::Serialize;

use super::{Indicators, NotPerformedMonth, Split, Spread, percent};

/// The patients a cell must count to be shown in a pseudonymised report.
pub const MIN_PATIENTS: u8 = 5;

/// A count of cases and of the distinct patients they belong to (counted
/// up to [`MIN_PATIENTS`] only: that is all the rule needs).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Count {
    pub cases: u32,
    seen: [i64; MIN_PATIENTS as usize],
    patients: u8,
}

impl Count {
    pub fn add(&mut self, patient: i64) {
        self.cases += 1;
        let n = usize::from(self.patients);
        if n < self.seen.len() && !self.seen[..n].contains(&patient) {
            self.seen[n] = patient;
            self.patients += 1;
        }
    }

    /// Distinct patients, up to [`MIN_PATIENTS`].
    pub fn patients(&self) -> u8 {
        self.patients
    }

    /// How the cell is shown.
    pub fn shown(&self, pseudonymise: bool) -> Cell {
        if pseudonymise && self.cases > 0 && self.patients < MIN_PATIENTS {
            Cell::Under5
        } else {
            Cell::N(self.cases)
        }
    }
}

impl Serialize for Count {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u32(self.cases)
    }
}

/// The builder of a count (the same type: counts add patients).
pub type Tally = Count;

/// A count as shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cell {
    N(u32),
    /// Fewer than 5 patients.
    Under5,
    /// Hidden so that a "< 5" cell cannot be worked back from a total.
    Hidden,
}

impl Cell {
    pub fn value(self) -> Option<u32> {
        match self {
            Cell::N(n) => Some(n),
            Cell::Under5 | Cell::Hidden => None,
        }
    }
    fn masked(self) -> bool {
        self.value().is_none()
    }
}

impl Serialize for Cell {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Cell::N(n) => s.serialize_u32(*n),
            Cell::Under5 => s.serialize_str("< 5"),
            Cell::Hidden => s.serialize_str("hidden"),
        }
    }
}

/// One sum `total = Σ parts`: when the masked cells could be worked back
/// — exactly one of them masked, or the masked parts sum (the total less
/// the parts shown) to as many cases as they are cells, each then being 1
/// (a masked part is never 0: a 0 is shown) — hides the smallest other
/// non-zero part (or the total when no part is left). Whether it hid
/// something.
pub fn balance(total: &mut Cell, mut parts: Vec<&mut Cell>) -> bool {
    let masked_parts = parts.iter().filter(|c| c.masked()).count();
    let masked = usize::from(total.masked()) + masked_parts;
    let all_ones = total.value().is_some_and(|t| {
        let shown: u32 = parts.iter().filter_map(|c| c.value()).sum();
        masked_parts >= 2 && t.checked_sub(shown) == u32::try_from(masked_parts).ok()
    });
    if masked != 1 && !all_ones {
        return false;
    }
    let smallest = parts
        .iter_mut()
        .filter(|c| matches!(***c, Cell::N(n) if n > 0))
        .min_by_key(|c| c.value());
    match smallest {
        Some(c) => **c = Cell::Hidden,
        None if !total.masked() => *total = Cell::Hidden,
        None => return false,
    }
    true
}

fn split<K: Clone>(s: &Split<K, Count>, p: bool) -> Split<K, Cell> {
    Split {
        total: s.total.shown(p),
        parts: s
            .parts
            .iter()
            .map(|(k, c)| (k.clone(), c.shown(p)))
            .collect(),
    }
}

fn parts<K>(s: &mut Split<K, Cell>) -> (&mut Cell, Vec<&mut Cell>) {
    (&mut s.total, s.parts.iter_mut().map(|(_, c)| c).collect())
}

fn spread(s: &Spread<Count>, p: bool) -> Spread<Cell> {
    let n = s.n.shown(p);
    let shown = !n.masked();
    Spread {
        n,
        median: s.median.filter(|_| shown),
        p90: s.p90.filter(|_| shown),
    }
}

fn month(m: &NotPerformedMonth<Count>, p: bool) -> NotPerformedMonth<Cell> {
    NotPerformedMonth {
        month: m.month,
        due: m.due.shown(p),
        unrecorded: m.unrecorded.shown(p),
        not_performed: split(&m.not_performed, p),
        rate: m.rate,
    }
}

/// The indicators as shown: as computed, or pseudonymised (`pseudonymise`:
/// "< 5", complementary suppression, no median nor rate over a masked
/// count).
pub fn mask(i: &Indicators<Count>, pseudonymise: bool) -> Indicators<Cell> {
    let p = pseudonymise;
    let mut o = Indicators {
        from: i.from,
        to: i.to,
        as_of: i.as_of,
        months: i.months.clone(),
        cases: i.cases.shown(p),
        activity: i.activity.iter().map(|(t, s)| (*t, split(s, p))).collect(),
        performed: split(&i.performed, p),
        meetings: split(&i.meetings, p),
        per_meeting: i.per_meeting,
        validated: i.validated.shown(p),
        overridden: i.overridden.shown(p),
        pending: i.pending.shown(p),
        postponed: split(&i.postponed, p),
        cancelled: split(&i.cancelled, p),
        not_performed: i.not_performed.iter().map(|m| month(m, p)).collect(),
        not_performed_total: month(&i.not_performed_total, p),
        not_performed_trend: i.not_performed_trend,
        consultation_to_procedure: spread(&i.consultation_to_procedure, p),
        committee_to_procedure: spread(&i.committee_to_procedure, p),
        m1_due: i.m1_due.shown(p),
        m1_reached: i.m1_reached.shown(p),
        m1_died: i.m1_died.shown(p),
        pain_n: i.pain_n.shown(p),
        pain_before: i.pain_before,
        pain_m1: i.pain_m1,
        pain_down_2: i.pain_down_2.shown(p),
        pain_down_half: i.pain_down_half.shown(p),
        analgesics_n: i.analgesics_n.shown(p),
        analgesics_down: i.analgesics_down.shown(p),
        complications: split(&i.complications, p),
    };
    if !p {
        return o;
    }
    if o.pain_n.masked() {
        o.pain_before = None;
        o.pain_m1 = None;
    }
    while suppress_once(&mut o) {}
    // The trend is fitted on the monthly rates: not shown when one of
    // them is hidden.
    if o.not_performed
        .iter()
        .any(|m| m.not_performed.total.masked() || m.due.masked())
    {
        o.not_performed_trend = None;
    }
    // A rate over a masked count would give it back.
    for m in o
        .not_performed
        .iter_mut()
        .chain(std::iter::once(&mut o.not_performed_total))
    {
        m.rate = match (m.not_performed.total.value(), m.due.value()) {
            (Some(n), Some(d)) => percent(n, d),
            _ => None,
        };
    }
    o
}

/// One pass over every sum the report shows; whether it hid something.
fn suppress_once(o: &mut Indicators<Cell>) -> bool {
    let mut changed = false;
    changed |= balance(
        &mut o.cases,
        vec![
            &mut o.validated,
            &mut o.overridden,
            &mut o.pending,
            &mut o.postponed.total,
            &mut o.cancelled.total,
        ],
    );
    for s in [&mut o.postponed, &mut o.cancelled] {
        let (t, ps) = parts(s);
        changed |= balance(t, ps);
    }
    for (_, s) in &mut o.activity {
        let (t, ps) = parts(s);
        changed |= balance(t, ps);
    }
    let (t, ps) = parts(&mut o.performed);
    changed |= balance(t, ps);
    let (t, ps) = parts(&mut o.meetings);
    changed |= balance(t, ps);
    let (t, ps) = parts(&mut o.complications);
    changed |= balance(t, ps);
    // Not performed: each month's reasons, and each column over the months.
    for m in &mut o.not_performed {
        let (t, ps) = parts(&mut m.not_performed);
        changed |= balance(t, ps);
    }
    let total = &mut o.not_performed_total;
    let months = &mut o.not_performed;
    for (r, (_, col)) in total.not_performed.parts.iter_mut().enumerate() {
        let cells = months
            .iter_mut()
            .filter_map(|m| m.not_performed.parts.get_mut(r).map(|(_, c)| c))
            .collect();
        changed |= balance(col, cells);
    }
    changed |= balance(
        &mut total.not_performed.total,
        months
            .iter_mut()
            .map(|m| &mut m.not_performed.total)
            .collect(),
    );
    changed |= balance(
        &mut total.due,
        months.iter_mut().map(|m| &mut m.due).collect(),
    );
    changed |= balance(
        &mut total.unrecorded,
        months.iter_mut().map(|m| &mut m.unrecorded).collect(),
    );
    changed
}

impl Count {
    /// Adds another count's cases and its patients (up to the cap).
    pub fn merge(&mut self, other: &Count) {
        let before = self.cases;
        for p in &other.seen[..usize::from(other.patients)] {
            self.add(*p);
        }
        self.cases = before + other.cases;
    }
}
