//! `d` on a validated case whose day has come (issue 15 §1): what happened
//! on the day of the procedure. Performed (when, operator, minutes; the
//! techniques and anaesthesia as planned or as recorded) or not performed
//! with a coded reason; the immediate complication (CIRSE grade and text)
//! for the roles that record it. Enter saves through `storage::day` in one
//! transaction, checked against the version the form opened with; a
//! refusal stays in the form.

use chrono::NaiveDate;
use ratatui::crossterm::event::KeyEvent;
use ratatui_textarea::{CursorMove, TextArea};

use super::overlay::{Ctx, Outcome, Refresh};
use super::{App, Component, Overlay};
use crate::domain::message::Lang;
use crate::domain::outcome::{
    CirseGrade, Complication, DayRecord, DayRefusal, NotPerformed, Outcome as DayOutcome, Performed,
};
use crate::domain::roles::Permission;
use crate::domain::slot;
use crate::domain::text::sanitize_line;
use crate::domain::vocab::{Anaesthesia, DecisionStatus, ReasonCode, Technique};
use crate::storage::StorageError;
use crate::storage::day::{self, Seen};
use crate::text::Localized;
use crate::text::typo::{Medium, finish};
use crate::tui::action::Action;
use crate::tui::keys::Context;

/// The form's fields (those shown depend on the outcome and the role).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DayField {
    Outcome,
    At,
    Operator,
    Duration,
    Reason,
    Text,
    Grade,
    ComplicationText,
    /// The techniques actually done, as their words ("vertebroplasty,
    /// cementoplasty").
    Techniques,
    Anaesthesia,
}

/// The `d` form on screen.
pub struct DayState {
    pub case_id: i64,
    pub external_id: String,
    /// Patient and case, for the title.
    pub label: String,
    /// The day's version when the form opened (None: nothing recorded).
    pub version: Option<i64>,
    /// What was recorded when the form opened.
    pub recorded: Option<DayRecord>,
    pub performed: bool,
    pub reason: Option<ReasonCode>,
    pub grade: Option<CirseGrade>,
    pub at: TextArea<'static>,
    pub operator: TextArea<'static>,
    pub duration: TextArea<'static>,
    pub text: TextArea<'static>,
    pub complication: TextArea<'static>,
    /// The techniques done, as typed (planned or recorded at first).
    pub techniques: TextArea<'static>,
    /// Planned or recorded at first.
    pub anaesthesia: Anaesthesia,
    /// The case's plan, shown above the fields.
    pub planned: (Vec<Technique>, Anaesthesia),
    pub may_outcome: bool,
    pub may_complication: bool,
    pub focus: usize,
    pub error: Option<String>,
    pub confirming_drop: bool,
    pub modified: bool,
    pub reread: bool,
    pub today: NaiveDate,
}

fn boxed(text: &str) -> TextArea<'static> {
    let mut t = TextArea::new(vec![text.to_owned()]);
    t.move_cursor(CursorMove::End);
    t
}

fn line(t: &TextArea<'_>) -> String {
    t.lines().join("")
}

impl DayState {
    /// The fields shown, in order.
    pub fn fields(&self) -> Vec<DayField> {
        use DayField::*;
        let mut f = Vec::new();
        if self.may_outcome {
            f.push(Outcome);
            if self.performed {
                f.extend([At, Operator, Techniques, Anaesthesia, Duration]);
            } else {
                f.extend([Reason, Text]);
            }
        }
        if self.performed && self.may_complication {
            f.extend([Grade, ComplicationText]);
        }
        f
    }

    pub fn focused(&self) -> Option<DayField> {
        self.fields().get(self.focus).copied()
    }

    pub fn is_choice(&self, f: DayField) -> bool {
        matches!(
            f,
            DayField::Outcome | DayField::Reason | DayField::Grade | DayField::Anaesthesia
        )
    }

    pub fn context(&self) -> Context {
        match self.focused() {
            Some(f) if self.is_choice(f) => Context::DayChoice,
            _ => Context::Day,
        }
    }

    /// A field's value as shown.
    pub fn shown(&self, f: DayField, lang: Lang) -> String {
        let t = crate::text::day::texts(lang);
        let choice = |s: &str| format!("‹ {s} ›");
        match f {
            DayField::Outcome => choice(if self.performed {
                t.performed
            } else {
                t.not_performed
            }),
            DayField::Reason => choice(
                self.reason
                    .map_or("…", |r| crate::text::Label::label(r, lang)),
            ),
            DayField::Grade => choice(&self.grade.map_or(t.no_complication.to_owned(), |g| {
                crate::text::outcome::grade(lang, g)
            })),
            DayField::At => line(&self.at),
            DayField::Operator => line(&self.operator),
            DayField::Duration => line(&self.duration),
            DayField::Text => line(&self.text),
            DayField::ComplicationText => line(&self.complication),
            DayField::Techniques => line(&self.techniques),
            DayField::Anaesthesia => choice(crate::text::Label::label(self.anaesthesia, lang)),
        }
    }

    fn text_of(&mut self, f: DayField) -> Option<&mut TextArea<'static>> {
        match f {
            DayField::At => Some(&mut self.at),
            DayField::Operator => Some(&mut self.operator),
            DayField::Duration => Some(&mut self.duration),
            DayField::Text => Some(&mut self.text),
            DayField::ComplicationText => Some(&mut self.complication),
            DayField::Techniques => Some(&mut self.techniques),
            _ => None,
        }
    }

    fn move_focus(&mut self, by: isize) {
        let n = self.fields().len().max(1) as isize;
        self.focus = (self.focus as isize + by).rem_euclid(n) as usize;
    }

    fn cycle(&mut self, forward: bool) {
        let Some(f) = self.focused() else { return };
        match f {
            DayField::Outcome => self.performed = !self.performed,
            DayField::Reason => {
                let all = ReasonCode::ALL;
                let n = all.len();
                let at = self.reason.and_then(|c| all.iter().position(|x| *x == c));
                let next = match (at, forward) {
                    (None, true) => 0,
                    (None, false) => n - 1,
                    (Some(i), true) => (i + 1) % n,
                    (Some(i), false) => (i + n - 1) % n,
                };
                self.reason = all.get(next).copied();
            }
            DayField::Anaesthesia => {
                let all = Anaesthesia::ALL;
                let n = all.len();
                let i = all.iter().position(|x| *x == self.anaesthesia).unwrap_or(0);
                let next = if forward {
                    (i + 1) % n
                } else {
                    (i + n - 1) % n
                };
                self.anaesthesia = all.get(next).copied().unwrap_or(self.anaesthesia);
            }
            DayField::Grade => {
                // None, 1 … 6, round.
                let g = self.grade.map_or(0, CirseGrade::get);
                let next = if forward { (g + 1) % 7 } else { (g + 6) % 7 };
                self.grade = CirseGrade::new(next);
            }
            _ => return,
        }
        self.modified = true;
    }

    /// The outcome as typed, or why not.
    fn outcome(&self, lang: Lang) -> Result<DayOutcome, String> {
        if !self.performed {
            let reason = self
                .reason
                .ok_or_else(|| crate::text::day::reason_required(lang))?;
            let text = line(&self.text);
            return Ok(DayOutcome::NotPerformed(NotPerformed {
                reason,
                text: (!text.trim().is_empty()).then_some(text),
            }));
        }
        let at = slot::read_at(&line(&self.at), lang, self.today)
            .map_err(|e| crate::text::reschedule::slot_error(lang, &e))?;
        let duration = line(&self.duration);
        let duration_min = match duration.trim() {
            "" => None,
            d => Some(
                d.parse::<u16>()
                    .ok()
                    .filter(|m| *m > 0)
                    .ok_or_else(|| crate::text::day::bad_duration(lang, d))?,
            ),
        };
        let mut techniques = Vec::new();
        for word in line(&self.techniques).split([',', ';']) {
            let word = word.trim();
            if word.is_empty() {
                continue;
            }
            // Its word, or its name in either language.
            let named = |t: &Technique| {
                [Lang::En, Lang::Fr].iter().any(|l| {
                    crate::text::Label::label(*t, *l).to_lowercase() == word.to_lowercase()
                })
            };
            let t = Technique::parse(word)
                .or_else(|| Technique::ALL.iter().copied().find(named))
                .ok_or_else(|| crate::text::day::bad_technique(lang, word))?;
            if !techniques.contains(&t) {
                techniques.push(t);
            }
        }
        Ok(DayOutcome::Performed(Performed {
            at,
            operator: line(&self.operator),
            techniques,
            anaesthesia: self.anaesthesia,
            duration_min,
        }))
    }

    /// Enter: the outcome (when the role records it and it changed), then
    /// the complication (likewise), in one transaction.
    fn save(&mut self, ctx: &mut Ctx<'_>) -> Outcome {
        let lang = ctx.lang;
        let outcome = match self.may_outcome.then(|| self.outcome(lang)).transpose() {
            Ok(o) => o.map(|o| day::cleaned(&o)),
            Err(e) => {
                self.error = Some(finish(lang, Medium::Screen, &e));
                return Outcome::Stay;
            }
        };
        let complication = self
            .grade
            .filter(|_| self.performed && self.may_complication)
            .map(|grade| Complication {
                grade,
                text: sanitize_line(&line(&self.complication)),
            });
        let before = self.recorded.as_ref();
        let outcome = outcome.filter(|o| before.is_none_or(|r| r.outcome != *o));
        let complication =
            complication.filter(|c| before.is_none_or(|r| r.complication.as_ref() != Some(c)));
        let (id, seen) = (self.external_id.clone(), self.version);
        let saved = ctx.db.write(|w| -> Result<Option<i64>, StorageError> {
            let mut version = seen;
            let seen = |v: Option<i64>| v.map_or(Seen::Nothing, Seen::Version);
            if let Some(o) = &outcome {
                version = Some(day::record_outcome(w, &id, o, seen(version))?.version);
            }
            if let Some(c) = &complication {
                version = Some(day::set_complication(w, &id, c, seen(version))?.version);
            }
            Ok(version.filter(|_| outcome.is_some() || complication.is_some()))
        });
        match saved {
            Ok(Some(version)) => {
                ctx.reload();
                let line = crate::text::day::saved(lang, &self.external_id, version);
                ctx.flash(finish(lang, Medium::Screen, &line));
                Outcome::Close
            }
            Ok(None) => Outcome::Close,
            Err(e) => {
                if matches!(e, StorageError::Conflict { .. }) {
                    self.reread = true;
                    ctx.reload();
                }
                let text = finish(lang, Medium::Screen, &e.in_lang(lang));
                self.error = Some(crate::domain::text::sanitize_message(&text));
                Outcome::Stay
            }
        }
    }
}

impl App {
    /// `d` (the key table gates it on recording the day or a
    /// complication): a validated case whose day has come.
    pub(super) fn open_day(&mut self) {
        let lang = self.lang();
        let Some(c) = self.current() else {
            return self.error(crate::text::screen::ui(lang).nothing_selected.to_owned());
        };
        let f = &c.stored.file;
        let p = &f.procedure;
        let today = self.db.clock().today();
        let case = sanitize_line(&f.external_id);
        let refusal = if c.stored.status != DecisionStatus::Validated {
            Some(DayRefusal::NotValidated {
                case: case.clone(),
                status: c.stored.status,
            })
        } else if p.scheduled_at.date() > today {
            Some(DayRefusal::NotYet {
                case: case.clone(),
                scheduled: p.scheduled_at.date(),
                today,
            })
        } else {
            None
        };
        let may_outcome = self.may(Permission::RecordOutcome);
        let may_complication = self.may(Permission::RecordComplication);
        let day = c.stored.day.clone();
        let performed_day = day.as_ref().and_then(|d| match &d.record.outcome {
            DayOutcome::Performed(p) => Some(p.clone()),
            DayOutcome::NotPerformed(_) => None,
        });
        let refusal = refusal.or_else(|| {
            (!may_outcome && performed_day.is_none())
                .then(|| DayRefusal::NotPerformed { case: case.clone() })
        });
        if let Some(r) = refusal {
            let text = crate::text::outcome::day_refusal(lang, &r);
            return self.error(finish(lang, Medium::Screen, &text));
        }
        let not_done = day.as_ref().and_then(|d| match &d.record.outcome {
            DayOutcome::NotPerformed(n) => Some(n.clone()),
            DayOutcome::Performed(_) => None,
        });
        let complication = day.as_ref().and_then(|d| d.record.complication.clone());
        let at = performed_day.as_ref().map_or(p.scheduled_at, |d| d.at);
        let at = match lang {
            Lang::Fr => at.format("%d/%m/%Y %H:%M").to_string(),
            Lang::En => at.format("%Y-%m-%d %H:%M").to_string(),
        };
        let state = DayState {
            case_id: c.id(),
            external_id: f.external_id.clone(),
            label: format!(
                "{} {} · {}",
                f.patient.last_name.to_uppercase(),
                f.patient.first_name,
                f.external_id
            ),
            version: day.as_ref().map(|d| d.version),
            recorded: day.as_ref().map(|d| d.record.clone()),
            performed: not_done.is_none(),
            reason: not_done.as_ref().map(|n| n.reason),
            grade: complication.as_ref().map(|c| c.grade),
            at: boxed(&at),
            operator: boxed(&sanitize_line(
                performed_day.as_ref().map_or(&p.operator, |d| &d.operator),
            )),
            duration: boxed(
                &performed_day
                    .as_ref()
                    .and_then(|d| d.duration_min)
                    .map(|m| m.to_string())
                    .unwrap_or_default(),
            ),
            text: boxed(&sanitize_line(
                not_done
                    .as_ref()
                    .and_then(|n| n.text.as_deref())
                    .unwrap_or_default(),
            )),
            complication: boxed(&sanitize_line(
                complication.as_ref().map_or("", |c| c.text.as_str()),
            )),
            techniques: boxed(
                &performed_day
                    .as_ref()
                    .map_or(&p.techniques, |d| &d.techniques)
                    .iter()
                    .map(|t| t.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
            anaesthesia: performed_day
                .as_ref()
                .map_or(p.anaesthesia, |d| d.anaesthesia),
            planned: (p.techniques.clone(), p.anaesthesia),
            may_outcome,
            may_complication,
            focus: 0,
            error: None,
            confirming_drop: false,
            modified: false,
            reread: false,
            today,
        };
        self.overlay = Some(Overlay::Day(Box::new(state)));
    }
}

impl Component for DayState {
    fn context(&self) -> Context {
        DayState::context(self)
    }

    fn type_key(&mut self, key: KeyEvent, _lang: Lang) -> bool {
        self.error = None;
        self.confirming_drop = false;
        if crate::tui::keys::breaks_line(&key) {
            return true;
        }
        if let Some(f) = self.focused()
            && let Some(t) = self.text_of(f)
        {
            t.input(key);
            self.modified = true;
        }
        true
    }

    fn paste(&mut self, text: &str) {
        if let Some(f) = self.focused()
            && let Some(t) = self.text_of(f)
        {
            t.insert_str(sanitize_line(text));
            self.modified = true;
        }
    }

    fn update(&mut self, action: Action, ctx: &mut Ctx<'_>) -> Outcome {
        match action {
            Action::NextField => self.move_focus(1),
            Action::PrevField => self.move_focus(-1),
            Action::ChoiceNext => self.cycle(true),
            Action::ChoicePrev => self.cycle(false),
            Action::Submit => return self.save(ctx),
            Action::Dismiss | Action::Close => {
                return super::overlay::dismiss_form(
                    self.modified,
                    &mut self.confirming_drop,
                    &mut self.error,
                    Context::Day,
                    ctx.lang,
                );
            }
            _ => {}
        }
        Outcome::Stay
    }

    /// After a conflict the case as reloaded: the form takes its day's
    /// version (Enter again applies what is typed to it).
    fn data_changed(&mut self, now: &Refresh<'_>) -> bool {
        if std::mem::take(&mut self.reread)
            && let Some(c) = now.data.cases.iter().find(|c| c.id() == self.case_id)
        {
            self.version = c.stored.day.as_ref().map(|d| d.version);
            self.recorded = c.stored.day.as_ref().map(|d| d.record.clone());
        }
        true
    }
}
