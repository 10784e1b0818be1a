//! Decisions and dialogs: validate, postpone, cancel, undo, notes, and
//! the drafts of what is being typed.

use super::{App, Overlay};
use crate::decide::{self, Request};
use crate::domain::text::sanitize_text;
use crate::domain::week::Week;
use crate::storage::{drafts, needs, notes};
use crate::text::Localized;
use crate::text::screen;
use crate::tui::action::Action;
use crate::tui::dialog::{Dialog, Kind};

impl App {
    /// `v` (the key table gates it on deciding).
    pub(super) fn validate(&mut self) {
        let Some(c) = self.current() else {
            return self.error(screen::ui(self.lang()).nothing_selected.to_owned());
        };
        if c.assessment.complete() {
            let (id, version) = (c.id(), c.stored.version);
            self.decide(
                id,
                version,
                Request::Validate {
                    override_justification: None,
                },
            );
        } else {
            self.open_dialog(Kind::Override);
        }
    }

    /// `u` (the key table gates it on deciding).
    pub(super) fn undo(&mut self) {
        let Some(c) = self.current() else {
            return self.error(screen::ui(self.lang()).nothing_selected.to_owned());
        };
        let (id, version) = (c.id(), c.stored.version);
        self.decide(id, version, Request::Undo);
    }

    /// Writes a decision; on success the board shows it at once.
    fn try_decide(
        &mut self,
        case_id: i64,
        version: i64,
        request: Request,
    ) -> Result<(), decide::DecideError> {
        let lang = self.lang();
        let done = decide::decide(&mut self.db, case_id, Some(version), request)?;
        self.reload();
        self.flash(crate::text::words::decided(lang, &done));
        Ok(())
    }

    /// A decision straight from the board (validate a complete case, undo):
    /// a refusal goes to the status line.
    pub(super) fn decide(&mut self, case_id: i64, version: i64, request: Request) {
        if let Err(e) = self.try_decide(case_id, version, request) {
            self.reload();
            self.error(e.message(self.lang()));
        }
    }

    /// p, c, n, and v on an incomplete case (the key table gates each on
    /// deciding or on notes).
    pub(super) fn open_dialog(&mut self, kind: Kind) {
        let lang = self.lang();
        let Some(c) = self.current() else {
            return self.error(screen::ui(lang).nothing_selected.to_owned());
        };
        let f = &c.stored.file;
        let label = format!(
            "{} {} · {}",
            f.patient.last_name.to_uppercase(),
            f.patient.first_name,
            f.external_id
        );
        let mut d = Dialog::new(kind, c.id(), c.stored.version, label);
        if kind == Kind::Postpone {
            d = d.with_week(decide::proposed_target(&c.stored));
        }
        if kind == Kind::Override {
            d.blocking = decide::blocking_items(&c.assessment, lang);
        }
        let case_id = c.id();
        let draft = drafts::get(&self.db, self.db.login(), case_id, kind.draft_kind())
            .ok()
            .flatten();
        if let Some(draft) = draft {
            d = d.with_text(&draft.body, draft.extra.as_deref());
            self.flash(screen::ui(lang).draft_restored.to_owned());
        }
        self.overlay = Some(Overlay::Dialog(Box::new(d)));
    }

    /// The dialog's keys: Enter saves, Esc keeps the text as a draft.
    pub(super) fn dialog_update(&mut self, action: Action) {
        match action {
            Action::Submit => self.submit(),
            Action::Dismiss => self.dismiss(),
            Action::Close => self.overlay = None,
            Action::NewLine => {
                if let Some(Overlay::Dialog(d)) = &mut self.overlay
                    && d.focus == crate::tui::dialog::Field::Text
                {
                    d.text.insert_newline();
                }
            }
            Action::NextField => {
                if let Some(Overlay::Dialog(d)) = &mut self.overlay {
                    d.next_field();
                }
            }
            _ => {}
        }
    }

    fn dismiss(&mut self) {
        if let Some(Overlay::Dialog(d)) = &mut self.overlay
            && d.confirming
        {
            d.confirming = false;
            return;
        }
        // Nothing typed is lost to a stray Esc: it is kept as a draft and
        // offered back when the same dialog opens (a save deletes it).
        if let Some(typing) = self.typing() {
            let saved = self.db.write_as(&needs::draft_save(typing.case_id), |w| {
                drafts::save(
                    w,
                    typing.case_id,
                    typing.kind,
                    &typing.body,
                    typing.extra.as_deref(),
                )
            });
            match saved {
                Ok(_) => self.flash(screen::ui(self.lang()).kept_as_draft.to_owned()),
                Err(e) => self.error(e.in_lang(self.lang())),
            }
        }
        self.overlay = None;
    }

    fn submit(&mut self) {
        let lang = self.lang();
        let Some(Overlay::Dialog(d)) = &mut self.overlay else {
            return;
        };
        // Nothing visible is nothing typed (a reason is required).
        let text = sanitize_text(&d.body());
        let (case_id, version, kind) = (d.case_id, d.version, d.kind);
        let request = match kind {
            Kind::Note => None,
            Kind::Override => Some(Request::Validate {
                override_justification: Some(text.clone()),
            }),
            Kind::Cancel if !d.confirming => {
                if text.is_empty() {
                    d.error = Some(crate::text::words::reason_required(lang).to_owned());
                } else {
                    d.confirming = true;
                }
                return;
            }
            Kind::Cancel => Some(Request::Cancel {
                reason: text.clone(),
            }),
            Kind::Postpone => match d.week_text().parse::<Week>() {
                Ok(to_week) => Some(Request::Postpone {
                    reason: text.clone(),
                    to_week,
                }),
                Err(e) => {
                    d.error = Some(e.in_lang(self.opts.lang));
                    return;
                }
            },
        };
        let ok = match request {
            Some(request) => self.decide_in_dialog(case_id, version, request),
            None if text.is_empty() => {
                if let Some(Overlay::Dialog(d)) = &mut self.overlay {
                    d.error = Some(crate::text::words::note_empty(lang).to_owned());
                }
                false
            }
            None => {
                let saved = self.db.write_as(&needs::note(case_id), |w| {
                    notes::add(w, case_id, &text, "screen")
                });
                match saved {
                    Ok(()) => {
                        self.reload();
                        self.flash(screen::ui(lang).saved_note.to_owned());
                        true
                    }
                    Err(e) => {
                        self.error(e.in_lang(self.lang()));
                        false
                    }
                }
            }
        };
        if ok {
            self.overlay = None;
            let _ = self.db.write_as(&needs::draft_delete(case_id), |w| {
                drafts::delete(w, case_id, kind.draft_kind()).map(|_| ())
            });
        }
    }

    /// A decision from a dialog: a refusal stays in the dialog, with the
    /// text. When someone else changed the case meanwhile, the dialog takes
    /// the new version and says so: Enter again applies the text to it.
    pub(super) fn decide_in_dialog(
        &mut self,
        case_id: i64,
        version: i64,
        request: Request,
    ) -> bool {
        let lang = self.lang();
        match self.try_decide(case_id, version, request) {
            Ok(()) => true,
            Err(e) => {
                let conflict = matches!(e, decide::DecideError::Conflict { .. });
                if conflict {
                    self.reload();
                }
                let current = self
                    .data
                    .cases
                    .iter()
                    .find(|c| c.id() == case_id)
                    .map(|c| c.stored.version);
                if let Some(Overlay::Dialog(d)) = &mut self.overlay {
                    let mut text = crate::domain::text::sanitize_message(&e.message(lang));
                    if conflict && let Some(v) = current {
                        d.version = v;
                        text.push(' ');
                        let key = |a| {
                            crate::tui::keys::keys_of(crate::tui::keys::Context::Dialog, a, lang)
                        };
                        text.push_str(&screen::enter_again(
                            lang,
                            &key(Action::Submit),
                            &key(Action::Dismiss),
                        ));
                    }
                    d.error = Some(text);
                    d.confirming = false;
                }
                false
            }
        }
    }

    /// What is being typed in the open dialog, if anything.
    pub fn typing(&self) -> Option<crate::tui::watchdog::Typing> {
        if let Some(Overlay::Form(_)) = &self.overlay {
            return self.form_typing();
        }
        let Some(Overlay::Dialog(d)) = &self.overlay else {
            return None;
        };
        (!d.is_blank()).then(|| crate::tui::watchdog::Typing {
            case_id: d.case_id,
            kind: d.kind.draft_kind(),
            body: d.body(),
            extra: d.has_week().then(|| d.week_text()),
        })
    }

    /// Keeps what is being typed (the link dropped, or the app is told to
    /// stop): it is offered back next time the same dialog opens.
    pub fn save_draft(&mut self) {
        if let Some(t) = self.typing() {
            let saved = self.db.write_as(&needs::draft_save(t.case_id), |w| {
                drafts::save(w, t.case_id, t.kind, &t.body, t.extra.as_deref())
            });
            if let Err(e) = saved {
                self.error(e.in_lang(self.lang()));
            }
        }
    }
}
