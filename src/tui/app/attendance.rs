//! Who attends the meeting (`a`, chair): the file's users to tick, and
//! names typed in for people who are not users; stored per week
//! (`storage/exports.rs`), audited, printed in the minutes.

use crate::text::Localized;
use ratatui_textarea::TextArea;

use super::{App, Overlay};
use crate::domain::week::Week;
use crate::storage::exports::{self, Person};
use crate::storage::{needs, users};
use crate::text::screen;
use crate::tui::action::Action;

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

    pub(super) fn attendance_update(&mut self, action: Action) {
        let Some(Overlay::Attendance(a)) = &mut self.overlay else {
            return;
        };
        let last = a.rows.len();
        match action {
            Action::Down => a.selected = (a.selected + 1).min(last),
            Action::Up => a.selected = a.selected.saturating_sub(1),
            Action::Toggle => {
                if let Some((_, ticked)) = a.rows.get_mut(a.selected) {
                    *ticked = !*ticked;
                }
            }
            Action::Dismiss | Action::Close => self.overlay = None,
            Action::Submit => {
                let typed = crate::domain::text::sanitize_line(&a.input.lines().join(" "));
                if a.on_input() && !typed.is_empty() {
                    // Enter on a typed name adds it (ticked); Enter again saves.
                    a.rows.push((
                        Person {
                            name: typed,
                            login: None,
                        },
                        true,
                    ));
                    a.selected = a.rows.len();
                    a.input = TextArea::default();
                    return;
                }
                self.save_attendance();
            }
            _ => {}
        }
    }

    fn save_attendance(&mut self) {
        let lang = self.lang();
        let Some(Overlay::Attendance(a)) = &self.overlay else {
            return;
        };
        let week = a.week;
        let people: Vec<Person> = a
            .rows
            .iter()
            .filter(|(_, t)| *t)
            .map(|(p, _)| p.clone())
            .collect();
        let today = self.db.clock().today();
        let saved = self.db.write_as(&needs::attendance(), |w| {
            exports::set_meeting(w, week, today, &people)
        });
        match saved {
            Ok(()) => {
                self.overlay = None;
                self.flash(screen::attendance_saved(lang, people.len()));
            }
            Err(e) => {
                if let Some(Overlay::Attendance(a)) = &mut self.overlay {
                    a.error = Some(crate::domain::text::sanitize_line(
                        &e.in_lang(self.opts.lang),
                    ));
                }
            }
        }
    }
}
