//! Decisions and dialogs: validate, postpone, cancel, undo, notes, and
//! the drafts of what is being typed.

use ratatui::crossterm::event::KeyEvent;

use super::overlay::{Ctx, Outcome, Refresh};
use super::{App, Component, Overlay};
use crate::decide::{self, Request};
use crate::domain::message::Lang;
use crate::domain::text::sanitize_text;
use crate::domain::vocab::ReasonCode;
use crate::domain::week::Week;
use crate::storage::{drafts, needs, notes};
use crate::text::Localized;
use crate::text::screen;
use crate::tui::action::Action;
use crate::tui::dialog::{Dialog, Kind};
use crate::tui::keys::{Context, Offer, keys_of};
use crate::tui::watchdog::Typing;

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

    /// A decision straight from the board (validate a complete case, undo):
    /// a refusal goes to the status line.
    pub(super) fn decide(&mut self, case_id: i64, version: i64, request: Request) {
        self.with_ctx(|ctx| {
            if let Err(e) = try_decide(ctx, case_id, version, request, None) {
                ctx.reload();
                ctx.error(e.message(ctx.lang));
            }
        });
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
        let draft = kind
            .draft_kind()
            .and_then(|k| drafts::get(&self.db, self.db.login(), case_id, k).ok())
            .flatten();
        if let Some(draft) = draft {
            d = d.with_text(&draft.body, draft.extra.as_deref());
            self.flash(screen::ui(lang).draft_restored.to_owned());
        }
        self.overlay = Some(Overlay::Dialog(Box::new(d)));
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

/// Writes a decision; on success the board shows it at once.
fn try_decide(
    ctx: &mut Ctx<'_>,
    case_id: i64,
    version: i64,
    request: Request,
    code: Option<ReasonCode>,
) -> Result<(), decide::DecideError> {
    let done = decide::decide_coded(ctx.db, case_id, Some(version), request, code)?;
    ctx.reload();
    ctx.flash(crate::text::words::decided(ctx.lang, &done));
    Ok(())
}

impl Component for Dialog {
    fn context(&self) -> Context {
        if self.kind == Kind::AckResult {
            Context::LabAck
        } else if self.on_code() {
            Context::DialogChoice
        } else {
            Context::Dialog
        }
    }
    fn offers(&self, offer: Offer) -> bool {
        match offer {
            Offer::NotConfirming => !self.confirming,
            Offer::DialogHasWeek => !self.confirming && self.has_fields(),
            _ => true,
        }
    }
    fn type_key(&mut self, key: KeyEvent, _lang: Lang) -> bool {
        self.error = None;
        self.losing = false;
        // Nothing is typed in the coded reason: its keys are bound; nor in
        // a confirmation without text.
        if !self.on_code() && self.kind.typed() {
            self.focused().input(key);
        }
        true
    }
    fn multiline(&self) -> bool {
        self.kind.typed() && self.on_text()
    }
    fn paste(&mut self, text: &str) {
        Dialog::paste(self, text);
    }
    fn typing(&self) -> Option<Typing> {
        let kind = self.kind.draft_kind()?;
        (!self.is_blank()).then(|| Typing {
            case_id: self.case_id,
            kind,
            body: self.body(),
            extra: self.has_week().then(|| self.week_text()),
        })
    }

    /// Enter saves, Esc keeps the text as a draft.
    fn update(&mut self, action: Action, ctx: &mut Ctx<'_>) -> Outcome {
        match action {
            Action::Submit => return self.submit(ctx),
            Action::Dismiss => return self.dismiss(ctx),
            Action::Close => return Outcome::Close,
            Action::NewLine if self.focus == crate::tui::dialog::Field::Text => {
                self.text.insert_newline();
            }
            Action::Down if self.kind == Kind::AckResult => self.move_pick(true),
            Action::Up if self.kind == Kind::AckResult => self.move_pick(false),
            Action::NextField => self.next_field(),
            Action::ChoiceNext if self.on_code() && !self.confirming => {
                self.error = None;
                self.cycle_code(true);
            }
            Action::ChoicePrev if self.on_code() && !self.confirming => {
                self.error = None;
                self.cycle_code(false);
            }
            _ => {}
        }
        Outcome::Stay
    }

    /// After a conflict, the case as reloaded: the dialog takes its
    /// version and says so; Enter again applies the text to it.
    fn data_changed(&mut self, now: &Refresh<'_>) -> bool {
        if std::mem::take(&mut self.reread)
            && let Some(c) = now.data.cases.iter().find(|c| c.id() == self.case_id)
        {
            self.version = c.stored.version;
            if let Some(text) = &mut self.error {
                text.push(' ');
                let key = |a| crate::tui::keys::keys_of(Context::Dialog, a, now.lang);
                text.push_str(&screen::enter_again(
                    now.lang,
                    &key(Action::Submit),
                    &key(Action::Dismiss),
                ));
            }
        }
        true
    }
}

impl Dialog {
    fn dismiss(&mut self, ctx: &mut Ctx<'_>) -> Outcome {
        if !self.kind.typed() {
            return Outcome::Close;
        }
        if self.confirming {
            self.confirming = false;
            return Outcome::Stay;
        }
        // Nothing typed is lost to a stray Esc: it is kept as a draft and
        // offered back when the same dialog opens (a save deletes it).
        if let Some(typing) = self.typing() {
            let saved = ctx.db.write_as(&needs::draft_save(typing.case_id), |w| {
                drafts::save(
                    w,
                    typing.case_id,
                    typing.kind,
                    &typing.body,
                    typing.extra.as_deref(),
                )
            });
            match saved {
                Ok(_) => ctx.flash(screen::ui(ctx.lang).kept_as_draft.to_owned()),
                // Not lost to one key: the dialog stays, says why, and
                // the next Esc closes without the text.
                Err(e) if !self.losing => {
                    let esc = keys_of(Context::Dialog, Action::Dismiss, ctx.lang);
                    self.error = Some(screen::draft_not_kept(ctx.lang, &e.in_lang(ctx.lang), &esc));
                    self.losing = true;
                    return Outcome::Stay;
                }
                Err(_) => {}
            }
        }
        Outcome::Close
    }

    fn submit(&mut self, ctx: &mut Ctx<'_>) -> Outcome {
        let lang = ctx.lang;
        if self.kind == Kind::AckIdentity {
            return self.ack_identity(ctx);
        }
        if self.kind == Kind::AckResult {
            return self.ack_result(ctx);
        }
        // Nothing visible is nothing typed (a reason is required).
        let text = sanitize_text(&self.body());
        let (case_id, version, kind) = (self.case_id, self.version, self.kind);
        // Postpone and cancel: the coded reason first (the free text stays).
        if self.has_code() && self.code.is_none() && !self.confirming {
            self.error = Some(code_required(lang));
            return Outcome::Stay;
        }
        let request = match kind {
            Kind::Note | Kind::AckIdentity | Kind::AckResult => None,
            Kind::Override => Some(Request::Validate {
                override_justification: Some(text.clone()),
            }),
            Kind::Cancel if !self.confirming => {
                if text.is_empty() {
                    self.error = Some(crate::text::words::reason_required(lang).to_owned());
                } else {
                    self.confirming = true;
                }
                return Outcome::Stay;
            }
            Kind::Cancel => Some(Request::Cancel {
                reason: text.clone(),
            }),
            Kind::Postpone => match self.week_text().parse::<Week>() {
                Ok(to_week) => Some(Request::Postpone {
                    reason: text.clone(),
                    to_week,
                }),
                Err(e) => {
                    self.error = Some(e.in_lang(lang));
                    return Outcome::Stay;
                }
            },
        };
        let ok = match request {
            Some(request) => {
                let code = self.code.filter(|_| self.has_code());
                self.decide(ctx, case_id, version, request, code)
            }
            None if text.is_empty() => {
                self.error = Some(crate::text::words::note_empty(lang).to_owned());
                false
            }
            None => {
                let saved = ctx.db.write_as(&needs::note(case_id), |w| {
                    notes::add(w, case_id, &text, "screen")
                });
                match saved {
                    Ok(()) => {
                        ctx.reload();
                        ctx.flash(screen::ui(lang).saved_note.to_owned());
                        true
                    }
                    Err(e) => {
                        ctx.error(e.in_lang(lang));
                        false
                    }
                }
            }
        };
        if !ok {
            return Outcome::Stay;
        }
        if let Some(draft) = kind.draft_kind() {
            let _ = ctx.db.write_as(&needs::draft_delete(case_id), |w| {
                drafts::delete(w, case_id, draft).map(|_| ())
            });
        }
        Outcome::Close
    }

    /// A decision from a dialog: a refusal stays in the dialog, with the
    /// text. When someone else changed the case meanwhile, the week is
    /// reloaded and the dialog takes the new version (`data_changed`).
    fn decide(
        &mut self,
        ctx: &mut Ctx<'_>,
        case_id: i64,
        version: i64,
        request: Request,
        code: Option<ReasonCode>,
    ) -> bool {
        match try_decide(ctx, case_id, version, request, code) {
            Ok(()) => true,
            Err(e) => {
                let conflict = matches!(e, decide::DecideError::Conflict { .. });
                if conflict {
                    ctx.reload();
                    self.reread = true;
                }
                self.error = Some(crate::domain::text::sanitize_message(&e.message(ctx.lang)));
                self.confirming = false;
                false
            }
        }
    }
}

/// Enter in a postpone or cancel dialog without a coded reason: which keys
/// reach and choose one.
pub fn code_required(lang: Lang) -> String {
    let tab = keys_of(Context::Dialog, Action::NextField, lang);
    screen::code_required(lang, &tab, &code_keys(lang))
}

/// The keys that go through the coded reasons.
pub fn code_keys(lang: Lang) -> String {
    let key = |a| keys_of(Context::DialogChoice, a, lang);
    format!("{}/{}", key(Action::ChoicePrev), key(Action::ChoiceNext))
}
