//! `I`: a person acknowledges that the selected case's patient identity,
//! changed by the hospital's system (issue 16), was checked; the advisory
//! leaves every case of that patient. `L`: the laboratory's results the
//! program could not use on the selected case were dealt with.

use super::overlay::{Ctx, Outcome};
use super::{App, Overlay};
use crate::domain::text::sanitize_line;
use crate::storage::{feed_services, lab_unusable, needs};
use crate::text::{Localized, screen};
use crate::tui::dialog::{Dialog, Kind};

impl App {
    /// `I`: asks for the confirmation first (the changes listed), as `c`
    /// does before a cancellation; Enter in it acknowledges.
    pub(super) fn ack_identity(&mut self) {
        let lang = self.lang();
        let Some(c) = self.current() else {
            return self.error(screen::ui(lang).nothing_selected.to_owned());
        };
        let Some(on) = c.stored.feed.identity_changed else {
            return self.error(crate::text::feeds::no_identity_change(lang));
        };
        let label = format!(
            "{} · {}",
            crate::tui::ui::patient::patient_label(&c.name, usize::MAX),
            sanitize_line(&c.stored.file.external_id)
        );
        let changes = &c.stored.feed.identity_changes;
        let mut d = Dialog::new(Kind::AckIdentity, c.id(), c.stored.version, label);
        d.confirming = true;
        let by_file = c.stored.feed.identity_changed_by_file.as_deref();
        d.blocking = vec![crate::text::feeds::identity_changed(
            lang, on, changes, by_file,
        )];
        d.identity = changes.clone();
        self.overlay = Some(Overlay::Dialog(Box::new(d)));
    }

    /// `L`: lists the case's laboratory results the program could not
    /// use, read afresh from the file (the board's snapshot may predate
    /// one); the person chooses the one to acknowledge, Enter confirms.
    pub(super) fn ack_results(&mut self) {
        let lang = self.lang();
        let Some(c) = self.current() else {
            return self.error(screen::ui(lang).nothing_selected.to_owned());
        };
        let results = match lab_unusable::open_of(&self.db, c.id()) {
            Ok(r) => r,
            Err(e) => return self.error(e.in_lang(lang)),
        };
        if results.is_empty() {
            return self.error(crate::text::feeds::no_lab_unusable(lang));
        }
        let label = format!(
            "{} · {}",
            crate::tui::ui::patient::patient_label(&c.name, usize::MAX),
            sanitize_line(&c.stored.file.external_id)
        );
        let mut d = Dialog::new(Kind::AckResult, c.id(), c.stored.version, label);
        d.confirming = true;
        d.blocking = results
            .iter()
            .map(|(_, u)| crate::text::rules::unusable_lab(u, lang))
            .collect();
        d.results = results;
        self.overlay = Some(Overlay::Dialog(Box::new(d)));
    }
}

impl Dialog {
    /// Enter in `I`'s confirmation: the identity of the case's patient is
    /// acknowledged as checked (audited), if it is still the one shown; a
    /// refusal stays in the dialog.
    pub(super) fn ack_identity(&mut self, ctx: &mut Ctx<'_>) -> Outcome {
        let Some(c) = ctx.data.cases.iter().find(|c| c.id() == self.case_id) else {
            ctx.error(screen::ui(ctx.lang).nothing_selected.to_owned());
            return Outcome::Close;
        };
        let ipp = c.stored.file.patient.ipp.clone();
        let done = ctx.db.write_as(&needs::ack_identity(), |w| {
            feed_services::ack_identity_seen(w, &ipp, &self.identity)
        });
        ctx.reload();
        match done {
            Ok(()) => {
                let line =
                    crate::text::feeds::identity_acknowledged(ctx.lang, &sanitize_line(&ipp));
                ctx.flash(line);
                Outcome::Close
            }
            Err(e) => {
                self.error = Some(e.in_lang(ctx.lang));
                Outcome::Stay
            }
        }
    }

    /// `L`'s list: `j`/`k` move the choice, round the list.
    pub(super) fn move_pick(&mut self, down: bool) {
        let n = self.results.len();
        if n == 0 {
            return;
        }
        self.error = None;
        self.pick = if down {
            (self.pick + 1) % n
        } else {
            (self.pick + n - 1) % n
        };
    }

    /// Enter in `L`'s list: the result chosen is acknowledged (audited),
    /// if the case's unusable results are still the ones listed; a refusal
    /// stays in the dialog and acknowledges nothing.
    pub(super) fn ack_result(&mut self, ctx: &mut Ctx<'_>) -> Outcome {
        let Some(&(id, _)) = self.results.get(self.pick) else {
            return Outcome::Close;
        };
        let (case_id, seen) = (self.case_id, &self.results);
        let done = ctx.db.write_as(&needs::ack_result(), |w| {
            lab_unusable::acknowledge_seen(w, case_id, seen, id)
        });
        ctx.reload();
        match done {
            Ok((external_id, u)) => {
                let left = self.results.len().saturating_sub(1);
                let line = crate::text::feeds::one_result_acknowledged(
                    ctx.lang,
                    &sanitize_line(&external_id),
                    &u,
                    left,
                );
                ctx.flash(line);
                Outcome::Close
            }
            Err(e) => {
                self.error = Some(e.in_lang(ctx.lang));
                Outcome::Stay
            }
        }
    }
}
