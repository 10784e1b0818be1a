//! The dossier forms (opened from the list, `picker.rs`): typing, saving
//! one evidence object in one transaction (`cases::set_evidence`, checked
//! against the version the form was filled from), and the conflict when
//! someone saved it meanwhile: keep theirs, reapply mine on top, or go
//! back to editing. What is typed is never lost: Esc and a dropped link
//! keep it as a draft.

use crate::text::Localized;
use serde::{Deserialize, Serialize};

use ratatui::crossterm::event::KeyEvent;

use super::overlay::{Ctx, Outcome, letter};
use super::{Component, Overlay};
use crate::domain::edit::Form;
use crate::domain::message::Lang;
use crate::domain::record::EvidenceKind;
use crate::domain::roles::Permission;
use crate::domain::time::local_time;
use crate::storage::drafts::{self, DraftKind};
use crate::storage::{Db, StorageError, cases, needs};
use crate::text::screen;
use crate::tui::action::Action;
use crate::tui::form::{Conflict, FormState};
use crate::tui::keys::{Context, Offer, keys_of};
use crate::tui::watchdog::Typing;

/// A form left unsaved, as kept in the drafts table.
#[derive(Debug, Serialize, Deserialize)]
struct FormDraft {
    version: Option<i64>,
    base: Form,
    form: Form,
}

/// Opens the form of `kind` on case `case_id`, with the draft left on it
/// if any (straight into the conflict when the object changed since);
/// None, with the reason said, when it cannot.
pub(super) fn open(ctx: &mut Ctx<'_>, case_id: i64, kind: EvidenceKind) -> Option<Overlay> {
    if !ctx.allowed(Permission::for_evidence(kind)) {
        return None;
    }
    let lang = ctx.lang;
    let stored = match stored(ctx, case_id, kind) {
        Ok(s) => s,
        Err(e) => {
            ctx.error(e);
            return None;
        }
    };
    let today = ctx.db.clock().today();
    let mut state = FormState::new(
        case_id,
        stored.label.clone(),
        stored.version,
        stored.form.clone(),
        today,
    )
    .with_day_first(lang == crate::text::Lang::Fr)
    .with_transcriber(
        (kind == EvidenceKind::AnaesthesiaConsult)
            .then(|| crate::domain::transcribe::transcriber(ctx.role(), ctx.db.login()))
            .flatten(),
    );
    let draft = drafts::get(ctx.db, ctx.db.login(), case_id, DraftKind::Form(kind))
        .ok()
        .flatten();
    if let Some(d) = draft {
        match serde_json::from_str::<FormDraft>(&d.body) {
            Ok(d) if d.form.evidence == kind && d.base.evidence == kind => {
                let (base, form) = (d.base.normalised(), d.form.normalised());
                if d.version == stored.version {
                    state.reset(base, form, stored.version);
                } else {
                    state.reset(base, form, d.version);
                    state.conflict = Some(conflict_with(&state, &stored));
                }
                ctx.flash(screen::ui(lang).draft_restored.to_owned());
            }
            // Never deleted unseen: it stays in the file.
            _ => ctx.error(screen::form_texts(lang).draft_unreadable.to_owned()),
        }
    }
    Some(Overlay::Form(Box::new(state)))
}

/// The object of `kind` of a case as saved now (read from the file, not
/// from the loaded week: the case may have left it), with who saved it
/// and when.
fn stored(ctx: &Ctx<'_>, case_id: i64, kind: EvidenceKind) -> Result<Stored, String> {
    let c = crate::storage::read::by_id(ctx.db, case_id).map_err(|e| e.in_lang(ctx.lang))?;
    let f = &c.file;
    let label = format!(
        "{} {} · {}",
        f.patient.last_name.to_uppercase(),
        f.patient.first_name,
        f.external_id
    );
    let unreadable = |e: serde_json::Error| screen::stored_unreadable(ctx.lang, &e.to_string());
    let json = f.evidence_json(kind).map_err(unreadable)?;
    let recorded = c.recorded(kind);
    let form = Form::load(kind, json.as_deref()).map_err(unreadable)?;
    Ok(Stored {
        label,
        form,
        version: recorded.map(|r| r.version),
        by: recorded.map_or_else(|| "?".to_owned(), |r| r.by.clone()),
        at: recorded.map_or_else(|| "?".to_owned(), |r| local_time(&r.at, ctx.data.tz)),
    })
}

impl Component for FormState {
    /// Reapplying is offered only when the lines still match.
    fn offers(&self, offer: Offer) -> bool {
        match offer {
            Offer::MergePossible => self.conflict.as_ref().is_none_or(|c| c.merged.is_some()),
            _ => true,
        }
    }
    fn context(&self) -> Context {
        if self.conflict.is_some() {
            Context::Conflict
        } else if self.on_choice() {
            Context::Choice
        } else {
            Context::Form
        }
    }
    fn type_key(&mut self, key: KeyEvent, lang: Lang) -> bool {
        self.losing = false;
        match self.context() {
            Context::Choice => {
                if let Some(c) = letter(&key) {
                    self.choose_by_letter(c, |w| screen::choice(lang, w));
                }
                true
            }
            Context::Form => {
                self.error = None;
                self.errors.remove(&self.focus);
                self.input.input(key);
                true
            }
            _ => false,
        }
    }
    fn multiline(&self) -> bool {
        self.on_multiline()
    }
    fn paste(&mut self, text: &str) {
        FormState::paste(self, text);
    }

    /// The open form as a draft, when something in it was changed.
    fn typing(&self) -> Option<Typing> {
        if !self.is_modified() && self.conflict.is_none() {
            return None;
        }
        let draft = FormDraft {
            version: self.version,
            base: self.base.clone(),
            form: self.current(),
        };
        let body = serde_json::to_string(&draft).ok()?;
        Some(Typing {
            case_id: self.case_id,
            kind: DraftKind::Form(self.kind),
            body,
            extra: None,
        })
    }

    fn update(&mut self, action: Action, ctx: &mut Ctx<'_>) -> Outcome {
        let outcome = match action {
            Action::Submit => self.save(ctx),
            Action::Dismiss => self.dismiss(ctx),
            // Only when the lines still match (else the key does nothing
            // and the dialog says why).
            Action::Reapply => match self.conflict.take_if(|c| c.merged.is_some()) {
                Some(Conflict {
                    theirs,
                    merged: Some(merged),
                    version,
                    ..
                }) => {
                    self.reset(theirs, merged, version);
                    self.save(ctx)
                }
                _ => Outcome::Stay,
            },
            _ => {
                self.edit(action, ctx);
                Outcome::Stay
            }
        };
        if action != Action::Submit {
            self.confirming_empty = false;
            self.confirming_replace = false;
        }
        outcome
    }
}

impl FormState {
    /// The keys that change the form without closing it.
    fn edit(&mut self, action: Action, ctx: &mut Ctx<'_>) {
        match action {
            Action::NextField => {
                self.move_focus(1);
            }
            Action::PrevField => {
                self.move_focus(-1);
            }
            Action::NewLine => self.new_line(),
            Action::ChoiceNext => self.cycle(1),
            Action::ChoicePrev => self.cycle(-1),
            Action::ChoiceClear => self.clear_choice(),
            Action::AddLine => {
                self.add_line();
            }
            Action::RemoveLine => {
                self.remove_line();
            }
            Action::Revert => match stored(ctx, self.case_id, self.kind) {
                Ok(stored) => {
                    self.reset(stored.form.clone(), stored.form, stored.version);
                    delete_draft(ctx.db, self.case_id, self.kind);
                    ctx.flash(screen::form_texts(ctx.lang).reverted.to_owned());
                }
                Err(e) => ctx.error(e),
            },
            Action::KeepTheirs => {
                if let Some(c) = self.conflict.take() {
                    self.reset(c.theirs.clone(), c.theirs, c.version);
                    delete_draft(ctx.db, self.case_id, self.kind);
                    ctx.flash(screen::form_texts(ctx.lang).dropped.to_owned());
                }
            }
            Action::BackToEditing => {
                if let Some(c) = self.conflict.take() {
                    let mine = self.current();
                    let merged = c.merged.is_some();
                    self.reset(c.theirs, c.merged.unwrap_or(mine), c.version);
                    // Said in the form until the save, which asks again.
                    self.replacing_theirs = !merged;
                }
            }
            _ => {}
        }
    }

    /// Enter: every field checked, then one transaction; a refusal stays
    /// in the form, a conflict opens the conflict dialog.
    fn save(&mut self, ctx: &mut Ctx<'_>) -> Outcome {
        let lang = ctx.lang;
        let t = screen::form_texts(lang);
        if !self.check_all() {
            self.error = Some(t.fix_first.to_owned());
            return Outcome::Stay;
        }
        let json = match self.form.to_json(self.today) {
            Ok(json) => json,
            Err(_) => {
                self.error = Some(t.fix_first.to_owned());
                return Outcome::Stay;
            }
        };
        let (case_id, kind, version) = (self.case_id, self.kind, self.version);
        // An empty list ("none taken", "none on file") is a statement: it
        // is recorded only after a second Enter, even on an untouched form
        // when nothing was recorded yet.
        let empty_list =
            json == "[]" && matches!(kind, EvidenceKind::Medications | EvidenceKind::Imaging);
        let first_empty_list = empty_list && version.is_none();
        if !(self.is_modified() || first_empty_list) {
            delete_draft(ctx.db, case_id, kind);
            ctx.flash(t.unchanged.to_owned());
            return Outcome::Close;
        }
        if empty_list && !self.confirming_empty {
            self.confirming_empty = true;
            let again = keys_of(Context::Form, Action::Submit, lang);
            self.error = Some(if kind == EvidenceKind::Medications {
                screen::confirm_none_taken(lang, &again)
            } else {
                screen::confirm_no_imaging(lang, &again)
            });
            return Outcome::Stay;
        }
        if self.replacing_theirs && !self.confirming_replace {
            self.confirming_replace = true;
            let key = |a| keys_of(Context::Form, a, lang);
            self.error = Some(screen::confirm_replace(
                lang,
                &key(Action::Submit),
                &key(Action::Revert),
            ));
            return Outcome::Stay;
        }
        let saved = ctx.db.write_as(&needs::evidence(case_id, kind), |w| {
            cases::set_evidence(w, case_id, kind, &json, version)
        });
        match saved {
            Ok(v) => {
                delete_draft(ctx.db, case_id, kind);
                ctx.reload();
                // The same values written another way (1,0 for 1): nothing changed.
                let what = if Some(v) == version {
                    t.unchanged
                } else {
                    t.saved
                };
                ctx.flash(format!("{} — {what}", screen::evidence(lang, kind)));
                return Outcome::Close;
            }
            Err(StorageError::Conflict { .. }) => {
                // What is saved now, read from the file (not the week).
                match stored(ctx, case_id, kind) {
                    Ok(stored) => self.conflict = Some(conflict_with(self, &stored)),
                    Err(e) => self.error = Some(crate::domain::text::sanitize_message(&e)),
                }
                ctx.reload();
            }
            Err(e) => {
                self.error = Some(crate::domain::text::sanitize_message(&e.in_lang(lang)));
                ctx.reload();
            }
        }
        Outcome::Stay
    }

    /// Esc: closes; what was typed is kept as a draft.
    fn dismiss(&mut self, ctx: &mut Ctx<'_>) -> Outcome {
        let (case_id, kind) = (self.case_id, self.kind);
        match self.typing() {
            Some(t) => {
                let saved = ctx.db.write_as(&needs::draft_save(t.case_id), |w| {
                    drafts::save(w, t.case_id, t.kind, &t.body, None)
                });
                match saved {
                    Ok(_) => {
                        ctx.flash(screen::form_texts(ctx.lang).draft_kept.to_owned());
                        Outcome::Close
                    }
                    // Not lost to one key: the form stays, says why, and
                    // the next Esc closes without what was typed.
                    Err(e) if !self.losing => {
                        let esc = keys_of(Context::Form, Action::Dismiss, ctx.lang);
                        self.error =
                            Some(screen::draft_not_kept(ctx.lang, &e.in_lang(ctx.lang), &esc));
                        self.losing = true;
                        Outcome::Stay
                    }
                    Err(_) => Outcome::Close,
                }
            }
            None => {
                // A draft that could not be read is left alone.
                let readable = drafts::get(ctx.db, ctx.db.login(), case_id, DraftKind::Form(kind))
                    .ok()
                    .flatten()
                    .is_none_or(|d| serde_json::from_str::<FormDraft>(&d.body).is_ok());
                if readable {
                    delete_draft(ctx.db, case_id, kind);
                }
                Outcome::Close
            }
        }
    }
}

fn delete_draft(db: &mut Db, case_id: i64, kind: EvidenceKind) {
    let _ = db.write_as(&needs::draft_delete(case_id), |w| {
        drafts::delete(w, case_id, DraftKind::Form(kind)).map(|_| ())
    });
}

/// An object as saved now, as a form.
struct Stored {
    label: String,
    form: Form,
    version: Option<i64>,
    by: String,
    at: String,
}

/// The conflict between the open form and what is saved now.
fn conflict_with(state: &FormState, stored: &Stored) -> Conflict {
    let mine = state.current();
    Conflict {
        by: stored.by.clone(),
        at: stored.at.clone(),
        changes: state.base.changes(&stored.form),
        merged: Form::rebase(&state.base, &mine, &stored.form),
        theirs: stored.form.clone(),
        version: stored.version,
    }
}
