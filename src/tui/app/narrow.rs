//! One day, one room or one operator (`s`): a short list of those the
//! week holds, each with its count; Enter shows only its cases, on top of
//! the status filter (`f`) and the search. The first line, Esc on the
//! board, and a case opened from elsewhere that it hides, show every case
//! again.

use chrono::NaiveDate;

use super::overlay::{Ctx, Outcome};
use super::{App, Component, Overlay};
use crate::domain::text::fold;
use crate::tui::action::Action;
use crate::tui::data::CaseView;
use crate::tui::keys::Context;

/// What the board is narrowed to, besides the status filter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Narrow {
    Day(NaiveDate),
    Room(String),
    Operator(String),
}

impl Narrow {
    pub(super) fn keeps(&self, c: &CaseView) -> bool {
        let p = &c.stored.file.procedure;
        match self {
            Narrow::Day(d) => c.stored.file.day() == *d,
            Narrow::Room(r) => fold(&p.room) == fold(r),
            Narrow::Operator(o) => fold(&p.operator) == fold(o),
        }
    }

    /// The days, rooms and operators of `cases`, each once (days in order,
    /// rooms and operators alphabetically), with how many cases each has.
    pub fn choices(cases: &[CaseView]) -> Vec<(Narrow, usize)> {
        let mut days: Vec<NaiveDate> = cases.iter().map(|c| c.stored.file.day()).collect();
        days.sort();
        days.dedup();
        let names = |of: &dyn Fn(&CaseView) -> &str| {
            let mut v: Vec<String> = Vec::new();
            for c in cases {
                let name = of(c).trim();
                if !name.is_empty() && !v.iter().any(|n| fold(n) == fold(name)) {
                    v.push(name.to_owned());
                }
            }
            v.sort_by_key(|n| fold(n));
            v
        };
        let rooms = names(&|c| c.stored.file.procedure.room.as_str());
        let operators = names(&|c| c.stored.file.procedure.operator.as_str());
        days.into_iter()
            .map(Narrow::Day)
            .chain(rooms.into_iter().map(Narrow::Room))
            .chain(operators.into_iter().map(Narrow::Operator))
            .map(|n| {
                let count = cases.iter().filter(|c| n.keeps(c)).count();
                (n, count)
            })
            .collect()
    }
}

/// The list `s` opens: line 0 shows every case, then the week's choices.
pub struct NarrowState {
    pub choices: Vec<(Narrow, usize)>,
    /// 0: every case; `i`: `choices[i - 1]`.
    pub selected: usize,
}

impl App {
    /// `s`: the list, on what the board is narrowed to now.
    pub(super) fn open_narrow(&mut self) {
        let choices = Narrow::choices(&self.data.cases);
        let selected = self
            .narrow
            .as_ref()
            .and_then(|n| choices.iter().position(|(c, _)| c == n))
            .map_or(0, |i| i + 1);
        self.overlay = Some(Overlay::Narrow(Box::new(NarrowState { choices, selected })));
    }

    /// Shows only the cases of `to` (None: every case), keeping the
    /// selection on its case when it stays.
    pub(super) fn narrow_to(&mut self, to: Option<Narrow>) {
        self.narrow = to;
        self.refilter(self.current().map(CaseView::id));
    }
}

impl Component for NarrowState {
    fn context(&self) -> Context {
        Context::Narrow
    }

    fn update(&mut self, action: Action, ctx: &mut Ctx<'_>) -> Outcome {
        let n = self.choices.len() + 1;
        match action {
            Action::Down => self.selected = (self.selected + 1) % n,
            Action::Up => self.selected = (self.selected + n - 1) % n,
            Action::Submit => {
                let chosen = self
                    .selected
                    .checked_sub(1)
                    .and_then(|i| self.choices.get(i))
                    .map(|(c, _)| c.clone());
                ctx.narrow(chosen);
                return Outcome::Close;
            }
            Action::Close | Action::Dismiss => return Outcome::Close,
            _ => {}
        }
        Outcome::Stay
    }
}
