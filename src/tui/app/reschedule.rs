//! `r` on a case to reschedule (issue 14 §3): a small form, date, time and
//! room, proposed as the same weekday, time and room in the week the case
//! was postponed to. Each field is checked when the cursor leaves it, as
//! the dossier forms are (`domain::slot`, the same reading of dates);
//! Enter saves through `decide::reschedule` (one transaction, checked
//! against the case's version when the form opened), and a refusal stays
//! in the form. Nothing here is long to type: Esc on a changed form asks
//! once more before dropping it.

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime};
use ratatui::crossterm::event::KeyEvent;
use ratatui_textarea::{CursorMove, TextArea};

use super::overlay::{Ctx, Outcome, Refresh};
use super::{App, Component, Overlay};
use crate::decide::{DecideError, reschedule};
use crate::domain::message::Lang;
use crate::domain::slot::{self, Part, Slot, SlotError};
use crate::domain::text::{sanitize_line, sanitize_message};
use crate::domain::week::Week;
use crate::text::screen;
use crate::text::typo::{Medium, finish};
use crate::tui::action::Action;
use crate::tui::keys::Context;

/// The fields, in order.
const PARTS: [Part; 3] = [Part::Date, Part::Time, Part::Room];

/// The form's fields, in order (for drawing).
pub fn parts() -> &'static [Part; 3] {
    &PARTS
}

/// The reschedule form on screen.
pub struct RescheduleState {
    pub case_id: i64,
    /// Patient and case, for the title.
    pub label: String,
    /// The case's version when the form opened: the save checks it.
    pub version: i64,
    /// Its slot now, and the week it was postponed to.
    pub was: Slot,
    pub postponed_to: String,
    /// Date, time, room, as typed.
    pub fields: [TextArea<'static>; 3],
    /// What the form opened with (Esc on a changed form asks once more).
    pub proposed: [String; 3],
    pub focus: usize,
    /// A refused field, shown beside it.
    pub errors: [Option<String>; 3],
    /// A refusal of the save (permission, conflict, status), in the form.
    pub error: Option<String>,
    /// Esc was pressed once on a changed form: the next drops it.
    pub confirming_drop: bool,
    /// A save met someone else's change: the reload it asked for gives
    /// the form the case's version then.
    pub reread: bool,
    pub today: NaiveDate,
    pub lang: Lang,
}

/// A line of text in a text box, the cursor at its end.
fn boxed(text: &str) -> TextArea<'static> {
    let mut t = TextArea::new(vec![text.to_owned()]);
    t.move_cursor(CursorMove::End);
    t
}

/// The day the form proposes: the case's weekday in the week it was
/// postponed to (its own day if that week cannot be read).
fn proposed_day(at: NaiveDateTime, postponed_to: &str) -> NaiveDate {
    postponed_to.parse::<Week>().ok().map_or(at.date(), |w| {
        w.monday() + chrono::Days::new(u64::from(at.weekday().num_days_from_monday()))
    })
}

impl RescheduleState {
    pub fn text(&self, i: usize) -> String {
        self.fields
            .get(i)
            .map(|f| f.lines().join(""))
            .unwrap_or_default()
    }

    fn is_modified(&self) -> bool {
        (0..3).any(|i| self.proposed.get(i).is_some_and(|p| *p != self.text(i)))
    }

    fn date(&self) -> Result<NaiveDate, SlotError> {
        slot::read_date(&self.text(0), self.lang, self.today)
    }

    fn time(&self) -> Result<NaiveTime, SlotError> {
        slot::read_time(&self.text(1))
    }

    fn room(&self) -> Result<String, SlotError> {
        slot::read_room(&self.text(2))
    }

    /// Checks field `i`; its refusal is shown beside it.
    fn check(&mut self, i: usize) -> bool {
        let refusal = match PARTS.get(i) {
            Some(Part::Date) => self.date().err(),
            Some(Part::Time) => self.time().err(),
            Some(Part::Room) => self.room().err(),
            None => None,
        };
        let ok = refusal.is_none();
        let words = refusal.map(|e| self.word(&e));
        if let Some(slot) = self.errors.get_mut(i) {
            *slot = words;
        }
        ok
    }

    fn word(&self, e: &SlotError) -> String {
        finish(
            self.lang,
            Medium::Screen,
            &crate::text::reschedule::slot_error(self.lang, e),
        )
    }

    fn move_focus(&mut self, by: isize) {
        self.check(self.focus);
        self.focus = (self.focus as isize + by).rem_euclid(PARTS.len() as isize) as usize;
    }

    /// Enter: every field checked, then one transaction.
    fn save(&mut self, ctx: &mut Ctx<'_>) -> Outcome {
        // Every field checked (each refusal shown), then the first refused
        // one takes the cursor.
        for i in 0..PARTS.len() {
            self.check(i);
        }
        let (Ok(day), Ok(time), Ok(room)) = (self.date(), self.time(), self.room()) else {
            self.focus = self.errors.iter().position(Option::is_some).unwrap_or(0);
            return Outcome::Stay;
        };
        let to = Slot {
            at: day.and_time(time),
            room,
        };
        match reschedule::reschedule(ctx.db, self.case_id, Some(self.version), &to) {
            Ok(done) => {
                ctx.reload();
                let line = crate::text::reschedule::rescheduled(ctx.lang, &done);
                ctx.flash(finish(ctx.lang, Medium::Screen, &line));
                Outcome::Close
            }
            Err(e) => {
                if let DecideError::BadSlot(s) = &e {
                    let i = PARTS.iter().position(|p| *p == s.part()).unwrap_or(0);
                    let words = self.word(s);
                    if let Some(slot) = self.errors.get_mut(i) {
                        *slot = Some(words);
                    }
                    self.focus = i;
                    return Outcome::Stay;
                }
                if matches!(e, DecideError::Conflict { .. }) {
                    self.reread = true;
                    ctx.reload();
                }
                let text = finish(ctx.lang, Medium::Screen, &e.message(ctx.lang));
                self.error = Some(sanitize_message(&text));
                Outcome::Stay
            }
        }
    }
}

impl App {
    /// `r` (the key table gates it on rescheduling): only on a case to
    /// reschedule.
    pub(super) fn open_reschedule(&mut self) {
        let lang = self.lang();
        let Some(c) = self.current() else {
            return self.error(screen::ui(lang).nothing_selected.to_owned());
        };
        if !c.to_reschedule {
            let e = DecideError::NotToReschedule {
                external_id: c.stored.file.external_id.clone(),
                status: c.stored.status,
            };
            let text = finish(lang, Medium::Screen, &e.message(lang));
            return self.error(text);
        }
        let f = &c.stored.file;
        let p = &f.procedure;
        let postponed_to = c.stored.postponed_to.clone().unwrap_or_default();
        let day = proposed_day(p.scheduled_at, &postponed_to);
        let date = match lang {
            Lang::Fr => day.format("%d/%m/%Y").to_string(),
            Lang::En => day.format("%Y-%m-%d").to_string(),
        };
        let proposed = [
            date,
            p.scheduled_at.format("%H:%M").to_string(),
            sanitize_line(&p.room),
        ];
        let state = RescheduleState {
            case_id: c.id(),
            label: format!(
                "{} {} · {}",
                f.patient.last_name.to_uppercase(),
                f.patient.first_name,
                f.external_id
            ),
            version: c.stored.version,
            was: Slot {
                at: p.scheduled_at,
                room: p.room.clone(),
            },
            postponed_to,
            fields: [
                boxed(&proposed[0]),
                boxed(&proposed[1]),
                boxed(&proposed[2]),
            ],
            proposed,
            focus: 0,
            errors: [None, None, None],
            error: None,
            confirming_drop: false,
            reread: false,
            today: self.db.clock().today(),
            lang,
        };
        self.overlay = Some(Overlay::Reschedule(Box::new(state)));
    }
}

impl Component for RescheduleState {
    fn context(&self) -> Context {
        Context::Reschedule
    }

    fn type_key(&mut self, key: KeyEvent, _lang: Lang) -> bool {
        self.error = None;
        self.confirming_drop = false;
        if let Some(e) = self.errors.get_mut(self.focus) {
            *e = None;
        }
        if let Some(f) = self.fields.get_mut(self.focus) {
            f.input(key);
        }
        true
    }

    fn paste(&mut self, text: &str) {
        if let Some(f) = self.fields.get_mut(self.focus) {
            f.insert_str(sanitize_line(text));
        }
    }

    fn update(&mut self, action: Action, ctx: &mut Ctx<'_>) -> Outcome {
        match action {
            Action::NextField => self.move_focus(1),
            Action::PrevField => self.move_focus(-1),
            Action::Submit => return self.save(ctx),
            Action::Dismiss | Action::Close => {
                let modified = self.is_modified();
                return super::overlay::dismiss_form(
                    modified,
                    &mut self.confirming_drop,
                    &mut self.error,
                    Context::Reschedule,
                    ctx.lang,
                );
            }
            _ => {}
        }
        Outcome::Stay
    }

    /// After a conflict the case as reloaded: the form takes its version
    /// (Enter again applies the slot to it).
    fn data_changed(&mut self, now: &Refresh<'_>) -> bool {
        if std::mem::take(&mut self.reread)
            && let Some(c) = now.data.cases.iter().find(|c| c.id() == self.case_id)
        {
            self.version = c.stored.version;
        }
        true
    }
}
