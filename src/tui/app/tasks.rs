//! t: the chase list of the loaded week (issue 14, §1), sorted by deadline:
//! every blocking item that evidence can clear, with who does it and by
//! when (`domain::tasks`, the windows of the rules that judge the items).
//! `m` keeps the tasks of one's own role ("mine"); Enter shows the case on
//! the board with its detail open. Read through the read table
//! (`Read::Tasks`: a viewer and the auditor read nothing of it) and traced
//! when it opens. Computed from the week as loaded, never stored: it
//! follows every reload.

use chrono::NaiveDateTime;

use super::overlay::{Ctx, Outcome, Refresh};
use super::{App, Component, Overlay};
use crate::domain::message::Lang;
use crate::domain::roles::{self, Read, Role};
use crate::domain::rules::Context as RuleContext;
use crate::domain::tasks::{Assigned, State, chase};
use crate::storage::Db;
use crate::text::tasks as words;
use crate::tui::action::Action;
use crate::tui::data::WeekData;
use crate::tui::keys::Context;

/// One task as shown: its texts are made when the list is (re)built,
/// never by the draw code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskRow {
    pub case_id: i64,
    pub deadline: String,
    pub patient: String,
    pub task: String,
    pub too_late: bool,
    /// The role's own (or a contact line on the secretary's list).
    pub mine: bool,
    key: (NaiveDateTime, NaiveDateTime),
}

impl TaskRow {
    /// A row with no case behind it, for the drawing's tests.
    #[cfg(test)]
    pub fn for_test(deadline: &str, patient: &str, task: &str, too_late: bool) -> TaskRow {
        TaskRow {
            case_id: 0,
            deadline: deadline.to_owned(),
            patient: patient.to_owned(),
            task: task.to_owned(),
            too_late,
            mine: true,
            key: (NaiveDateTime::MIN, NaiveDateTime::MIN),
        }
    }
}

pub struct TasksState {
    /// Every task of the week, by deadline.
    pub rows: Vec<TaskRow>,
    /// Only the role's own.
    pub mine: bool,
    /// Index into [`TasksState::shown`].
    pub selected: usize,
}

impl TasksState {
    /// The rows the filter keeps.
    pub fn shown(&self) -> Vec<&TaskRow> {
        self.rows.iter().filter(|r| !self.mine || r.mine).collect()
    }
}

/// The open and overdue (too late) tasks of a week, for the header.
pub fn counts(rows: &[TaskRow]) -> (usize, usize) {
    let late = rows.iter().filter(|r| r.too_late).count();
    (rows.len() - late, late)
}

/// The week's tasks as the screen shows them (`role`: whose are "mine").
pub fn rows(db: &Db, data: &WeekData, role: Option<Role>, lang: Lang) -> Vec<TaskRow> {
    let (Ok(rules), Ok(tz)) = (db.rules(), db.timezone()) else {
        return Vec::new();
    };
    let ctx = RuleContext { rules: &rules, tz };
    let now = crate::tui::data::now(db, tz);
    let mut out = Vec::new();
    for c in data.cases.iter().filter(|c| crate::tui::data::chased(c)) {
        let f = &c.stored.file;
        let operator = crate::domain::text::sanitize_line(&f.procedure.operator);
        for t in chase(f, &c.assessment.dossier, &ctx, now).tasks {
            let assigned = role.and_then(|r| t.for_role(r));
            let shown_as = assigned.unwrap_or(Assigned::Do);
            let due = match (t.window, shown_as) {
                (Some(w), Assigned::Do) => w.latest.sort_key(),
                _ => f.procedure.scheduled_at,
            };
            out.push(TaskRow {
                case_id: c.id(),
                deadline: words::deadline(lang, t.window, shown_as),
                patient: format!("{} {}", c.name.last, c.name.first),
                task: words::sentence(lang, &t, shown_as, &operator),
                too_late: t.state == State::TooLate,
                mine: assigned.is_some(),
                key: (due, f.procedure.scheduled_at),
            });
        }
    }
    out.sort_by_key(|r| r.key);
    out
}

impl App {
    /// t: the chase list of the week; refused (with why) to a role that
    /// may not read it, and shown only once its read is traced.
    pub(super) fn open_tasks(&mut self) {
        let lang = self.lang();
        if roles::reads(self.role, Read::Tasks).is_none() {
            self.error(words::screen_refused(lang));
            return;
        }
        let ids: Vec<i64> = self.data.cases.iter().map(|c| c.id()).collect();
        let week = self.week().to_string();
        if let Err(e) = crate::storage::audit::reads::trace(
            self.db(),
            crate::storage::audit::reads::What::Tasks,
            Some(&week),
            &ids,
        ) {
            use crate::text::Localized;
            self.error(e.in_lang(lang));
            return;
        }
        let rows = rows(self.db(), &self.data, self.role, lang);
        self.overlay = Some(Overlay::Tasks(Box::new(TasksState {
            rows,
            mine: false,
            selected: 0,
        })));
    }

    /// Selects `case_id` on the board (the filter and the search cleared
    /// when they hide it) and opens its detail.
    pub(super) fn show_case(&mut self, case_id: i64) {
        let visible = self
            .visible
            .iter()
            .any(|&i| self.data.cases.get(i).is_some_and(|c| c.id() == case_id));
        if !visible {
            self.filter = super::Filter::All;
            self.narrow = None;
            self.search.clear();
        }
        self.refilter(Some(case_id));
        if self.current().is_some_and(|c| c.id() == case_id) {
            self.detail_open = true;
            self.detail_scroll = 0;
        }
    }
}

impl Component for TasksState {
    fn context(&self) -> Context {
        Context::Tasks
    }

    fn update(&mut self, action: Action, ctx: &mut Ctx<'_>) -> Outcome {
        let n = self.shown().len();
        match action {
            Action::Down if self.selected + 1 < n => self.selected += 1,
            Action::Up => self.selected = self.selected.saturating_sub(1),
            Action::Mine => {
                self.mine = !self.mine;
                self.selected = 0;
            }
            Action::Open => {
                if let Some(r) = self.shown().get(self.selected) {
                    ctx.show_case(r.case_id);
                    return Outcome::Close;
                }
            }
            Action::Close | Action::Dismiss => return Outcome::Close,
            _ => {}
        }
        Outcome::Stay
    }

    fn data_changed(&mut self, now: &Refresh<'_>) -> bool {
        let role = now.db.role().ok().flatten();
        self.rows = rows(now.db, now.data, role, now.lang);
        self.selected = self.selected.min(self.shown().len().saturating_sub(1));
        true
    }
}
