//! Enter on a follow-up call (issue 15 §2): the call's answers — whether
//! the patient was reached, pain 0–10 (the scale of `pain_vas` before),
//! analgesics, the morphine-equivalent dose (optional), a complication
//! since the procedure (CIRSE grade and what happened). Choices go with
//! ←/→; the rest is typed. Enter checks every field (each refusal beside
//! it, then the domain's own check), then records through
//! `storage::followup::record` with the version the list was read at: a
//! call recorded meanwhile is a conflict — nothing is written, the list is
//! reloaded, what is on file now is shown, and the answers stay in the
//! form (Enter again records them as one more call). Esc on a changed
//! form asks once more; it goes back to the list.

use chrono::NaiveDateTime;
use ratatui::crossterm::event::KeyEvent;
use ratatui_textarea::{CursorMove, TextArea};

use super::followups::{FollowUpRow, FollowUpsState};
use super::overlay::{Ctx, Outcome, Refresh};
use super::{Component, Overlay};
use crate::domain::message::Lang;
use crate::domain::outcome::{CirseGrade, Complication, FollowUp};
use crate::domain::text::{sanitize_line, sanitize_message};
use crate::domain::vocab::Analgesics;
use crate::storage::StorageError;
use crate::storage::followup::{self, Seen};
use crate::text::Localized;
use crate::text::screen::followup_texts;
use crate::text::typo::{Medium, finish};
use crate::tui::action::Action;
use crate::tui::keys::{Context, keys_of};

/// The form's fields, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Reached,
    Pain,
    Analgesics,
    Morphine,
    Grade,
    Text,
}

impl Field {
    pub const ALL: [Field; 6] = [
        Field::Reached,
        Field::Pain,
        Field::Analgesics,
        Field::Morphine,
        Field::Grade,
        Field::Text,
    ];

    /// Chosen with ←/→ (the others are typed).
    pub fn is_choice(self) -> bool {
        matches!(self, Field::Reached | Field::Analgesics | Field::Grade)
    }

    /// Its text box (typed fields).
    fn boxed(self) -> Option<usize> {
        match self {
            Field::Pain => Some(0),
            Field::Morphine => Some(1),
            Field::Text => Some(2),
            _ => None,
        }
    }
}

pub struct FollowUpFormState {
    /// The call, as the list showed it.
    pub call: FollowUpRow,
    /// The version the save checks (the list's; after a conflict, the
    /// one on file then).
    pub version: Option<i64>,
    pub reached: Option<bool>,
    pub analgesics: Option<Analgesics>,
    pub grade: Option<CirseGrade>,
    /// Pain, morphine, what happened.
    pub boxes: [TextArea<'static>; 3],
    pub focus: usize,
    /// A refused field, shown beside it.
    pub errors: [Option<String>; 6],
    /// A refusal of the save (permission, conflict, domain), in the form.
    pub error: Option<String>,
    /// After a conflict: what is on file now.
    pub on_file: Option<String>,
    pub confirming_drop: bool,
    /// A conflict asked for a reload: the list tells what is on file.
    reread: bool,
    /// The list it came from (Esc, a save: back to it).
    back: Option<Box<FollowUpsState>>,
}

fn empty_box() -> TextArea<'static> {
    TextArea::default()
}

/// `options` after (or before) `now`, wrapping through None.
fn cycle<T: Copy + PartialEq>(options: &[T], now: Option<T>, by: isize) -> Option<T> {
    let n = options.len() as isize + 1;
    let at = now
        .and_then(|v| options.iter().position(|o| *o == v))
        .map_or(0, |i| i as isize + 1);
    let to = (at + by).rem_euclid(n);
    (to > 0).then(|| options[(to - 1) as usize])
}

impl FollowUpFormState {
    pub fn new(call: FollowUpRow, back: Box<FollowUpsState>) -> FollowUpFormState {
        FollowUpFormState {
            version: call.version,
            call,
            reached: None,
            analgesics: None,
            grade: None,
            boxes: [empty_box(), empty_box(), empty_box()],
            focus: 0,
            errors: Default::default(),
            error: None,
            on_file: None,
            confirming_drop: false,
            reread: false,
            back: Some(back),
        }
    }

    pub fn field(&self) -> Field {
        Field::ALL
            .get(self.focus)
            .copied()
            .unwrap_or(Field::Reached)
    }

    /// A typed field's text.
    pub fn text(&self, f: Field) -> String {
        f.boxed()
            .and_then(|i| self.boxes.get(i))
            .map(|b| b.lines().join(""))
            .unwrap_or_default()
    }

    fn is_modified(&self) -> bool {
        self.reached.is_some()
            || self.analgesics.is_some()
            || self.grade.is_some()
            || Field::ALL
                .iter()
                .any(|f| f.boxed().is_some() && !self.text(*f).trim().is_empty())
    }

    fn pain(&self) -> Result<Option<u8>, ()> {
        let t = self.text(Field::Pain);
        let t = t.trim();
        if t.is_empty() {
            return Ok(None);
        }
        match t.parse::<u8>() {
            Ok(p) if p <= 10 => Ok(Some(p)),
            _ => Err(()),
        }
    }

    fn morphine(&self) -> Result<Option<f64>, ()> {
        let t = self.text(Field::Morphine).trim().replace(',', ".");
        if t.is_empty() {
            return Ok(None);
        }
        match t.parse::<f64>() {
            Ok(m) if m.is_finite() && m >= 0.0 => Ok(Some(m)),
            _ => Err(()),
        }
    }

    /// Checks field `i`; its refusal is shown beside it.
    fn check(&mut self, i: usize, lang: Lang) -> bool {
        let t = followup_texts(lang);
        let refusal = match Field::ALL.get(i) {
            Some(Field::Reached) if self.reached.is_none() => Some(t.say_reached),
            Some(Field::Pain) if self.pain().is_err() => Some(t.bad_pain),
            Some(Field::Morphine) if self.morphine().is_err() => Some(t.bad_morphine),
            Some(Field::Text)
                if self.grade.is_none() && !self.text(Field::Text).trim().is_empty() =>
            {
                Some(t.grade_needed)
            }
            _ => None,
        };
        let ok = refusal.is_none();
        if let Some(slot) = self.errors.get_mut(i) {
            *slot = refusal.map(str::to_owned);
        }
        ok
    }

    fn move_focus(&mut self, by: isize, lang: Lang) {
        // Only a typed field is judged on leaving it (a choice left empty
        // is said at the save).
        if !self.field().is_choice() {
            self.check(self.focus, lang);
        }
        self.focus = (self.focus as isize + by).rem_euclid(Field::ALL.len() as isize) as usize;
    }

    fn choose(&mut self, by: isize) {
        match self.field() {
            Field::Reached => self.reached = cycle(&[true, false], self.reached, by),
            Field::Analgesics => self.analgesics = cycle(Analgesics::ALL, self.analgesics, by),
            Field::Grade => {
                let grades: Vec<CirseGrade> = (CirseGrade::MIN..=CirseGrade::MAX)
                    .filter_map(CirseGrade::new)
                    .collect();
                self.grade = cycle(&grades, self.grade, by);
            }
            f => {
                if let Some(b) = f.boxed().and_then(|i| self.boxes.get_mut(i)) {
                    b.move_cursor(if by > 0 {
                        CursorMove::Forward
                    } else {
                        CursorMove::Back
                    });
                }
                return;
            }
        }
        self.error = None;
        self.confirming_drop = false;
        if let Some(e) = self.errors.get_mut(self.focus) {
            *e = None;
        }
    }

    /// The call as typed, once every field passes.
    fn call_at(&mut self, at: NaiveDateTime, lang: Lang) -> Option<FollowUp> {
        let mut ok = true;
        for i in 0..Field::ALL.len() {
            ok &= self.check(i, lang);
        }
        let (true, Some(reached), Ok(pain), Ok(morphine)) =
            (ok, self.reached, self.pain(), self.morphine())
        else {
            return self.refused();
        };
        let text = sanitize_line(&self.text(Field::Text));
        let complication = self.grade.map(|grade| Complication {
            grade,
            text: text.trim().to_owned(),
        });
        Some(FollowUp {
            kind: self.call.kind,
            called_at: at,
            reached,
            pain,
            analgesics: self.analgesics,
            morphine_mg_day: morphine,
            complication,
            attempts: 0,
        })
    }

    /// The first refused field takes the cursor; the form says why.
    fn refused(&mut self) -> Option<FollowUp> {
        self.focus = self.errors.iter().position(Option::is_some).unwrap_or(0);
        None
    }

    /// Enter: every field checked, the domain's check, then one write.
    fn save(&mut self, ctx: &mut Ctx<'_>) -> Outcome {
        let lang = ctx.lang;
        self.error = None;
        let at = crate::tui::data::now(ctx.db, ctx.data.tz);
        let Some(call) = self.call_at(at, lang) else {
            self.error = Some(followup_texts(lang).fix_first.to_owned());
            return Outcome::Stay;
        };
        if let Err(e) = call.validate() {
            let text = crate::text::outcome::invalid(lang, &e);
            self.error = Some(sanitize_message(&finish(lang, Medium::Screen, &text)));
            return Outcome::Stay;
        }
        let seen = self.version.map_or(Seen::Nothing, Seen::Version);
        let external_id = self.call.external_id.clone();
        match ctx
            .db
            .write(|w| followup::record(w, &external_id, &call, seen))
        {
            Ok(saved) => {
                let line = crate::text::followup::saved(
                    lang,
                    &saved.external_id,
                    saved.kind,
                    saved.reached,
                    saved.attempts,
                );
                ctx.flash(finish(lang, Medium::Screen, &line));
                ctx.reload();
                match self.back.take() {
                    Some(list) => Outcome::Replace(Overlay::FollowUps(list)),
                    None => Outcome::Close,
                }
            }
            Err(StorageError::Conflict { found, by, at, .. }) => {
                self.version = Some(found);
                self.reread = true;
                let key = |a| keys_of(Context::FollowUpForm, a, lang);
                let text = crate::text::screen::followup_conflict(
                    lang,
                    &by,
                    &at,
                    &key(Action::Submit),
                    &key(Action::Dismiss),
                );
                self.error = Some(sanitize_message(&text));
                ctx.reload();
                Outcome::Stay
            }
            Err(StorageError::FollowUp(r)) => {
                let text = crate::text::followup::refusal(lang, &r);
                self.error = Some(sanitize_message(&finish(lang, Medium::Screen, &text)));
                Outcome::Stay
            }
            Err(e) => {
                self.error = Some(sanitize_message(&e.in_lang(lang)));
                Outcome::Stay
            }
        }
    }
}

impl Component for FollowUpFormState {
    fn context(&self) -> Context {
        Context::FollowUpForm
    }

    fn type_key(&mut self, key: KeyEvent, _lang: Lang) -> bool {
        let Some(b) = self.field().boxed().and_then(|i| self.boxes.get_mut(i)) else {
            return false;
        };
        if crate::tui::keys::breaks_line(&key) {
            return false;
        }
        b.input(key);
        self.error = None;
        self.confirming_drop = false;
        if let Some(e) = self.errors.get_mut(self.focus) {
            *e = None;
        }
        true
    }

    fn paste(&mut self, text: &str) {
        if let Some(b) = self.field().boxed().and_then(|i| self.boxes.get_mut(i)) {
            b.insert_str(sanitize_line(text));
        }
    }

    fn update(&mut self, action: Action, ctx: &mut Ctx<'_>) -> Outcome {
        match action {
            Action::NextField => self.move_focus(1, ctx.lang),
            Action::PrevField => self.move_focus(-1, ctx.lang),
            Action::ChoiceNext => self.choose(1),
            Action::ChoicePrev => self.choose(-1),
            Action::Submit => return self.save(ctx),
            Action::Dismiss | Action::Close => {
                let modified = self.is_modified();
                let out = super::overlay::dismiss_form(
                    modified,
                    &mut self.confirming_drop,
                    &mut self.error,
                    Context::FollowUpForm,
                    ctx.lang,
                );
                if matches!(out, Outcome::Close)
                    && let Some(list) = self.back.take()
                {
                    return Outcome::Replace(Overlay::FollowUps(list));
                }
                return out;
            }
            _ => {}
        }
        Outcome::Stay
    }

    /// The list under the form follows the file; after a conflict the form
    /// says what is on file now.
    fn data_changed(&mut self, now: &Refresh<'_>) -> bool {
        if let Some(list) = self.back.as_mut() {
            list.data_changed(now);
            if std::mem::take(&mut self.reread) {
                let t = followup_texts(now.lang);
                let on_file = list
                    .recorded
                    .iter()
                    .find(|r| r.case_id == self.call.case_id && r.kind == self.call.kind);
                let still = list
                    .rows
                    .iter()
                    .any(|r| r.case_id == self.call.case_id && r.kind == self.call.kind);
                self.on_file = Some(match on_file {
                    Some(r) if r.reached && !still => {
                        format!("{} {}", t.now_on_file, t.left_list)
                    }
                    Some(r) => format!(
                        "{} {}",
                        t.now_on_file,
                        crate::text::screen::followup_on_file(now.lang, r.reached, r.attempts)
                    ),
                    None => String::new(),
                });
                if let Some(r) = on_file {
                    self.version = Some(r.version);
                }
            }
        }
        true
    }
}
