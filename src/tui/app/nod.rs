//! The nod through the green cases (`V`, deciding roles): the pending
//! cases of the week with nothing to discuss (`decide::nothing_to_discuss`:
//! complete, no advisory, no value on file to settle) are listed, and
//! Enter validates them. Each goes through `decide::decide` on its own
//! (`Request::Nod`): judged again inside its own write transaction, one
//! decision and one audit row each, as `v`; one that no longer qualifies
//! (someone changed it since the list) is skipped and named.

use super::overlay::{Ctx, Outcome};
use super::{App, Component, Overlay};
use crate::decide::{self, DecideError, Request};
use crate::text::screen;
use crate::tui::action::Action;
use crate::tui::keys::{Context, Offer};

pub struct NodState {
    /// The cases listed, as the board names them: id and label.
    pub cases: Vec<(i64, String)>,
    /// After Enter: what was done (the list then only closes).
    pub done: Option<String>,
}

impl App {
    /// `V` (the key table gates it on deciding).
    pub(super) fn open_nod(&mut self) {
        let cases: Vec<(i64, String)> = self
            .data
            .cases
            .iter()
            .filter(|c| !c.to_reschedule)
            .filter(|c| decide::nothing_to_discuss(&c.stored, &c.assessment))
            .map(|c| {
                // As the board names them: look-alike patients told apart.
                let label = format!(
                    "{} ({})",
                    crate::tui::ui::patient::patient_label(&c.name, usize::MAX),
                    crate::domain::text::sanitize_line(&c.stored.file.external_id)
                );
                (c.id(), label)
            })
            .collect();
        if cases.is_empty() {
            return self.flash(screen::nod_none(self.lang()).to_owned());
        }
        self.overlay = Some(Overlay::Nod(Box::new(NodState { cases, done: None })));
    }
}

impl Component for NodState {
    fn context(&self) -> Context {
        Context::Nod
    }

    /// Once done, Enter only closes: it is no longer offered as validating.
    fn offers(&self, offer: Offer) -> bool {
        offer != Offer::NotConfirming || self.done.is_none()
    }

    fn update(&mut self, action: Action, ctx: &mut Ctx<'_>) -> Outcome {
        match action {
            Action::Submit if self.done.is_none() => self.validate(ctx),
            Action::Submit | Action::Dismiss | Action::Close => Outcome::Close,
            _ => Outcome::Stay,
        }
    }
}

impl NodState {
    /// Validates each listed case that still qualifies; names the others.
    fn validate(&mut self, ctx: &mut Ctx<'_>) -> Outcome {
        let lang = ctx.lang;
        let mut validated = 0;
        let mut skipped = Vec::new();
        for (id, label) in &self.cases {
            match decide::decide(ctx.db, *id, None, Request::Nod) {
                Ok(_) => validated += 1,
                Err(DecideError::NotGreen(_)) => skipped.push(label.clone()),
                Err(e) => skipped.push(format!(
                    "{label}: {}",
                    crate::domain::text::sanitize_line(&e.message(lang))
                )),
            }
        }
        ctx.reload();
        let text = screen::nod_done(lang, validated, &skipped);
        ctx.flash(text.clone());
        self.done = Some(text);
        Outcome::Stay
    }
}
