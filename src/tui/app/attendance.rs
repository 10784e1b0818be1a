//! Who attends the meeting (`a`, chair): the file's users to tick, and
//! names typed in for people who are not users; stored per week
//! (`storage/exports.rs`), audited, printed in the minutes.

use crate::text::Localized;
use ratatui_textarea::TextArea;

use ratatui::crossterm::event::KeyEvent;

use super::overlay::{Ctx, Outcome};
use super::{App, Component, Overlay};
use crate::domain::message::Lang;
use crate::domain::roles::Role;
use crate::domain::text::sanitize_line as clean_line;
use crate::domain::week::Week;
use crate::storage::exports::{self, Person};
use crate::storage::{needs, users};
use crate::text::screen;
use crate::tui::action::Action;
use crate::tui::keys::Context;

pub struct AttendanceState {
    pub week: Week,
    /// Each person offered, and whether they are ticked.
    pub rows: Vec<(Person, bool)>,
    /// Index into `rows`; `rows.len()` is the line where a name is typed.
    pub selected: usize,
    pub input: TextArea<'static>,
    pub error: Option<String>,
}

impl AttendanceState {
    /// On the line where a name is typed.
    pub fn on_input(&self) -> bool {
        self.selected >= self.rows.len()
    }
}

impl App {
    /// `a` (the key table gates it on the attendance permission).
    pub(super) fn open_attendance(&mut self) {
        let week = self.week();
        let stored = match exports::meeting(&self.db, week) {
            Ok(m) => m.map(|m| m.people).unwrap_or_default(),
            Err(e) => return self.error(e.in_lang(self.lang())),
        };
        let people = match users::list(&self.db) {
            Ok(u) => u,
            Err(e) => return self.error(e.in_lang(self.lang())),
        };
        let mut rows: Vec<(Person, bool)> = people
            .iter()
            .filter(|u| u.active)
            .map(|u| {
                let ticked = stored
                    .iter()
                    .any(|p| p.login.as_deref() == Some(u.login.as_str()));
                (
                    Person {
                        name: u.name.clone(),
                        login: Some(u.login.clone()),
                        role: None,
                    },
                    ticked,
                )
            })
            .collect();
        // People typed in earlier (and users since disabled) stay ticked.
        for p in stored {
            if !rows
                .iter()
                .any(|(r, _)| r.login.is_some() && r.login == p.login)
            {
                rows.push((p, true));
            }
        }
        self.overlay = Some(Overlay::Attendance(Box::new(AttendanceState {
            week,
            rows,
            selected: 0,
            input: TextArea::default(),
            error: None,
        })));
    }
}

impl Component for AttendanceState {
    fn context(&self) -> Context {
        if self.on_input() {
            Context::AttendanceName
        } else {
            Context::Attendance
        }
    }
    fn type_key(&mut self, key: KeyEvent, _lang: Lang) -> bool {
        if !self.on_input() {
            return false;
        }
        self.error = None;
        self.input.input(key);
        true
    }
    fn paste(&mut self, text: &str) {
        if self.on_input() {
            self.input.insert_str(clean_line(text));
        }
    }

    fn update(&mut self, action: Action, ctx: &mut Ctx<'_>) -> Outcome {
        let last = self.rows.len();
        match action {
            Action::Down => self.selected = (self.selected + 1).min(last),
            Action::Up => self.selected = self.selected.saturating_sub(1),
            Action::Toggle => {
                if let Some((_, ticked)) = self.rows.get_mut(self.selected) {
                    *ticked = !*ticked;
                }
            }
            // A name typed in is given a role (for the quorum); a user's
            // is the users table's.
            Action::ChoiceNext | Action::ChoicePrev => {
                if let Some((p, _)) = self.rows.get_mut(self.selected)
                    && p.login.is_none()
                {
                    p.role = next_role(p.role, action == Action::ChoiceNext);
                }
            }
            Action::Dismiss | Action::Close => return Outcome::Close,
            Action::Submit => {
                let typed = crate::domain::text::sanitize_line(&self.input.lines().join(" "));
                if self.on_input() && !typed.is_empty() {
                    // Enter on a typed name adds it (ticked); Enter again saves.
                    self.rows.push((
                        Person {
                            name: typed,
                            login: None,
                            role: None,
                        },
                        true,
                    ));
                    self.selected = self.rows.len();
                    self.input = TextArea::default();
                    return Outcome::Stay;
                }
                return self.save(ctx);
            }
            _ => {}
        }
        Outcome::Stay
    }
}

impl AttendanceState {
    fn save(&mut self, ctx: &mut Ctx<'_>) -> Outcome {
        let people: Vec<Person> = self
            .rows
            .iter()
            .filter(|(_, t)| *t)
            .map(|(p, _)| p.clone())
            .collect();
        let (week, today) = (self.week, ctx.db.clock().today());
        let saved = ctx.db.write_as(&needs::attendance(), |w| {
            exports::set_meeting(w, week, today, &people)
        });
        match saved {
            Ok(()) => {
                // The header's quorum follows at once.
                ctx.reload();
                ctx.flash(screen::attendance_saved(ctx.lang, people.len()));
                Outcome::Close
            }
            Err(e) => {
                self.error = Some(crate::domain::text::sanitize_message(&e.in_lang(ctx.lang)));
                Outcome::Stay
            }
        }
    }
}

/// The role after (or before) `role` in the list a typed name cycles
/// through: none, then every role.
fn next_role(role: Option<Role>, forward: bool) -> Option<Role> {
    let list: Vec<Option<Role>> = std::iter::once(None)
        .chain(Role::ALL.into_iter().map(Some))
        .collect();
    let i = list.iter().position(|r| *r == role).unwrap_or(0);
    let n = list.len();
    list[if forward {
        (i + 1) % n
    } else {
        (i + n - 1) % n
    }]
}
