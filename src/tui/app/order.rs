//! The agenda's order (`o` cycles): by time, the cases to discuss first,
//! by operator, by anaesthesia. Kept per login in the file
//! (`storage::preferences`), so that each person finds their own.

use crate::domain::rules::Severity;
use crate::domain::text::fold;
use crate::domain::vocab::Anaesthesia;
use crate::tui::data::CaseView;

/// The preference's key in `preferences`.
pub const KEY: &str = "board.order";

/// How the board orders the week's cases (the cases to reschedule stay
/// at the top in every order, as their own section).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Order {
    /// Day, time and room: the day's order.
    #[default]
    Time,
    /// Blocking first, then advisory, then complete (by time within each).
    DiscussFirst,
    /// Grouped by operator (by time within each).
    Operator,
    /// Grouped by anaesthesia, the anaesthetist's first (general, regional,
    /// sedation), by time within each.
    Anaesthesia,
}

impl Order {
    pub const ALL: [Order; 4] = [
        Order::Time,
        Order::DiscussFirst,
        Order::Operator,
        Order::Anaesthesia,
    ];

    pub(super) fn next(self) -> Order {
        let i = Order::ALL.iter().position(|o| *o == self).unwrap_or(0);
        Order::ALL[(i + 1) % Order::ALL.len()]
    }

    /// As stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Order::Time => "time",
            Order::DiscussFirst => "discuss_first",
            Order::Operator => "operator",
            Order::Anaesthesia => "anaesthesia",
        }
    }

    /// A stored value (an unknown one reads as the day's order).
    pub fn parse(s: &str) -> Order {
        Order::ALL
            .into_iter()
            .find(|o| o.as_str() == s)
            .unwrap_or_default()
    }

    /// Sorts `visible` (indices into `cases`, in the day's order) in this
    /// order; stable, so the day's order stays within each group.
    pub(super) fn sort(self, cases: &[CaseView], visible: &mut [usize]) {
        let section = |i: usize| !cases[i].to_reschedule;
        match self {
            Order::Time => {}
            Order::DiscussFirst => visible.sort_by_key(|&i| (section(i), discuss_rank(&cases[i]))),
            Order::Operator => visible.sort_by_cached_key(|&i| {
                (section(i), fold(&cases[i].stored.file.procedure.operator))
            }),
            Order::Anaesthesia => visible.sort_by_key(|&i| {
                (
                    section(i),
                    anaesthesia_rank(cases[i].stored.file.procedure.anaesthesia),
                )
            }),
        }
    }
}

/// 0 blocking, 1 advisory, 2 complete.
fn discuss_rank(c: &CaseView) -> u8 {
    let worst = c
        .assessment
        .dossier
        .items
        .iter()
        .map(|r| r.severity)
        .max()
        .unwrap_or(Severity::None);
    match worst {
        Severity::Blocking => 0,
        Severity::Advisory => 1,
        Severity::None => 2,
    }
}

/// The anaesthetist's cases first.
fn anaesthesia_rank(a: Anaesthesia) -> u8 {
    match a {
        Anaesthesia::General => 0,
        Anaesthesia::Regional => 1,
        Anaesthesia::ConsciousSedation => 2,
        Anaesthesia::Meopa => 3,
        Anaesthesia::Hypnoanalgesia => 4,
        Anaesthesia::Local => 5,
    }
}

impl super::App {
    /// `o`: the next order, kept for this login (a role that writes
    /// nothing keeps it for the session only); the selection stays on its
    /// case.
    pub(super) fn cycle_order(&mut self) {
        self.order = self.order.next();
        self.refilter(self.current().map(CaseView::id));
        if !self.may(crate::storage::preferences::PERMISSION) {
            return;
        }
        let value = self.order.as_str();
        let saved = self.db.write_as(&crate::storage::needs::preference(), |w| {
            crate::storage::preferences::set(w, KEY, value)
        });
        if let Err(e) = saved {
            use crate::text::Localized;
            let why = e.in_lang(self.lang());
            self.error(crate::text::screen::order_not_kept(self.lang(), &why));
        }
    }
}
