//! The dossier forms: choosing one (`e`), typing, saving one evidence
//! object in one transaction (`cases::set_evidence`, checked against the
//! version the form was filled from), and the conflict when someone saved
//! it meanwhile: keep theirs, reapply mine on top, or go back to editing.
//! What is typed is never lost: Esc and a dropped link keep it as a draft.

use crate::text::Localized;
use serde::{Deserialize, Serialize};

use super::{App, Overlay};
use crate::domain::edit::Form;
use crate::domain::record::EvidenceKind;
use crate::domain::roles::Permission;
use crate::domain::time::local_time;
use crate::storage::drafts::{self, DraftKind};
use crate::storage::{StorageError, cases, needs};
use crate::text::screen;
use crate::tui::action::Action;
use crate::tui::form::{Conflict, FormState};
use crate::tui::keys::{Context, keys_of};

/// A form left unsaved, as kept in the drafts table.
#[derive(Debug, Serialize, Deserialize)]
struct FormDraft {
    version: Option<i64>,
    base: Form,
    form: Form,
}

impl App {
    /// Whether the role may record at least one dossier item.
    pub fn may_edit_any(&self) -> bool {
        EvidenceKind::ALL
            .into_iter()
            .any(|k| self.may(Permission::for_evidence(k)))
    }

    /// `e`: the list of the case's forms (greyed where the role may not).
    /// (The key table gates it on recording at least one item.)
    pub(super) fn open_picker(&mut self) {
        let Some(case_id) = self.current().map(|c| c.id()) else {
            return self.error(screen::ui(self.lang()).nothing_selected.to_owned());
        };
        // The case is fixed now: a reload meanwhile cannot change whose
        // form opens.
        let drafts = drafts::list(&self.db, self.db.login())
            .unwrap_or_default()
            .into_iter()
            .filter(|d| d.case_id == case_id)
            .filter_map(|d| match d.kind {
                DraftKind::Form(k) => Some(k),
                _ => None,
            })
            .collect();
        self.overlay = Some(Overlay::Picker(Box::new(super::PickerState {
            case_id,
            selected: 0,
            drafts,
        })));
    }

    pub(super) fn picker_update(&mut self, action: Action) {
        let Some(Overlay::Picker(p)) = &mut self.overlay else {
            return;
        };
        let (case_id, selected) = (p.case_id, &mut p.selected);
        // The dossier's forms, then the procedure's.
        let n = EvidenceKind::ALL.len() + 1;
        match action {
            Action::Down => *selected = (*selected + 1) % n,
            Action::Up => *selected = (*selected + n - 1) % n,
            Action::Close | Action::Dismiss => self.overlay = None,
            Action::Open => match EvidenceKind::ALL.get(*selected % n) {
                Some(kind) => self.open_form(case_id, *kind),
                None => self.open_procedure(case_id),
            },
            _ => {}
        }
    }

    /// Opens the form of `kind` on case `case_id`, with the draft left on
    /// it if any (straight into the conflict when the object changed
    /// since).
    pub(super) fn open_form(&mut self, case_id: i64, kind: EvidenceKind) {
        if !self.check_allowed(Permission::for_evidence(kind)) {
            return;
        }
        let lang = self.lang();
        let stored = match self.stored(case_id, kind) {
            Ok(s) => s,
            Err(e) => return self.error(e),
        };
        let today = self.db.clock().today();
        let mut state = FormState::new(
            case_id,
            stored.label.clone(),
            stored.version,
            stored.form.clone(),
            today,
        )
        .with_day_first(lang == crate::text::Lang::Fr);
        let draft = drafts::get(&self.db, self.db.login(), case_id, DraftKind::Form(kind))
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
                    self.flash(screen::ui(lang).draft_restored.to_owned());
                }
                // Never deleted unseen: it stays in the file.
                _ => self.error(screen::form_texts(lang).draft_unreadable.to_owned()),
            }
        }
        self.overlay = Some(Overlay::Form(Box::new(state)));
    }

    /// The object of `kind` of a case as saved now (read from the file,
    /// not from the loaded week: the case may have left it), with who
    /// saved it and when.
    fn stored(&self, case_id: i64, kind: EvidenceKind) -> Result<Stored, String> {
        let c =
            crate::storage::read::by_id(&self.db, case_id).map_err(|e| e.in_lang(self.lang()))?;
        let f = &c.file;
        let label = format!(
            "{} {} · {}",
            f.patient.last_name.to_uppercase(),
            f.patient.first_name,
            f.external_id
        );
        let json = f.evidence_json(kind).map_err(|e| e.to_string())?;
        let recorded = c.recorded(kind);
        let form = Form::load(kind, json.as_deref()).map_err(|e| e.to_string())?;
        Ok(Stored {
            label,
            form,
            version: recorded.map(|r| r.version),
            by: recorded.map_or_else(|| "?".to_owned(), |r| r.by.clone()),
            at: recorded.map_or_else(|| "?".to_owned(), |r| local_time(&r.at, self.data.tz)),
        })
    }

    pub(super) fn form_update(&mut self, action: Action) {
        let Some(Overlay::Form(f)) = &mut self.overlay else {
            return;
        };
        match action {
            Action::NextField => {
                f.move_focus(1);
            }
            Action::PrevField => {
                f.move_focus(-1);
            }
            Action::NewLine => f.new_line(),
            Action::ChoiceNext => f.cycle(1),
            Action::ChoicePrev => f.cycle(-1),
            Action::ChoiceClear => f.clear_choice(),
            Action::AddLine => {
                f.add_line();
            }
            Action::RemoveLine => {
                f.remove_line();
            }
            Action::Submit => self.save_form(),
            Action::Revert => {
                let (case_id, kind) = (f.case_id, f.kind);
                match self.stored(case_id, kind) {
                    Ok(stored) => {
                        if let Some(Overlay::Form(f)) = &mut self.overlay {
                            f.reset(stored.form.clone(), stored.form, stored.version);
                        }
                        self.delete_form_draft(case_id, kind);
                        self.flash(screen::form_texts(self.lang()).reverted.to_owned());
                    }
                    Err(e) => self.error(e),
                }
            }
            Action::Dismiss => self.dismiss_form(),
            Action::KeepTheirs => {
                if let Some(c) = f.conflict.take() {
                    f.reset(c.theirs.clone(), c.theirs, c.version);
                    let (case_id, kind) = (f.case_id, f.kind);
                    self.delete_form_draft(case_id, kind);
                    self.flash(screen::form_texts(self.lang()).dropped.to_owned());
                }
            }
            Action::Reapply => {
                // Only when the lines still match (else the key does nothing
                // and the dialog says why).
                if let Some(c) = f.conflict.take_if(|c| c.merged.is_some())
                    && let Some(merged) = c.merged
                {
                    f.reset(c.theirs, merged, c.version);
                    self.save_form();
                }
            }
            Action::BackToEditing => {
                if let Some(c) = f.conflict.take() {
                    let mine = f.current();
                    let merged = c.merged.is_some();
                    f.reset(c.theirs, c.merged.unwrap_or(mine), c.version);
                    // Said in the form until the save, which asks again.
                    f.replacing_theirs = !merged;
                }
            }
            _ => {}
        }
        if action != Action::Submit
            && let Some(Overlay::Form(f)) = &mut self.overlay
        {
            f.confirming_empty = false;
            f.confirming_replace = false;
        }
    }

    /// Enter: every field checked, then one transaction; a refusal stays
    /// in the form, a conflict opens the conflict dialog.
    fn save_form(&mut self) {
        let lang = self.lang();
        let t = screen::form_texts(lang);
        let Some(Overlay::Form(f)) = &mut self.overlay else {
            return;
        };
        if !f.check_all() {
            f.error = Some(t.fix_first.to_owned());
            return;
        }
        let json = match f.form.to_json(f.today) {
            Ok(json) => json,
            Err(_) => {
                f.error = Some(t.fix_first.to_owned());
                return;
            }
        };
        let (case_id, kind, version) = (f.case_id, f.kind, f.version);
        // An empty list ("none taken", "none on file") is a statement: it
        // is recorded only after a second Enter, even on an untouched form
        // when nothing was recorded yet.
        let empty_list =
            json == "[]" && matches!(kind, EvidenceKind::Medications | EvidenceKind::Imaging);
        let first_empty_list = empty_list && version.is_none();
        if !(f.is_modified() || first_empty_list) {
            self.overlay = None;
            self.delete_form_draft(case_id, kind);
            return self.flash(t.unchanged.to_owned());
        }
        if empty_list && !f.confirming_empty {
            f.confirming_empty = true;
            let again = keys_of(Context::Form, Action::Submit, lang);
            f.error = Some(if kind == EvidenceKind::Medications {
                screen::confirm_none_taken(lang, &again)
            } else {
                screen::confirm_no_imaging(lang, &again)
            });
            return;
        }
        if f.replacing_theirs && !f.confirming_replace {
            f.confirming_replace = true;
            let key = |a| keys_of(Context::Form, a, lang);
            f.error = Some(screen::confirm_replace(
                lang,
                &key(Action::Submit),
                &key(Action::Revert),
            ));
            return;
        }
        let saved = self.db.write_as(&needs::evidence(case_id, kind), |w| {
            cases::set_evidence(w, case_id, kind, &json, version)
        });
        match saved {
            Ok(v) => {
                self.overlay = None;
                self.delete_form_draft(case_id, kind);
                self.reload();
                // The same values written another way (1,0 for 1): nothing changed.
                let what = if Some(v) == version {
                    t.unchanged
                } else {
                    t.saved
                };
                self.flash(format!("{} — {what}", screen::evidence(lang, kind)));
            }
            Err(StorageError::Conflict { .. }) => {
                self.reload();
                let stored = self.stored(case_id, kind);
                if let Some(Overlay::Form(f)) = &mut self.overlay {
                    match stored {
                        Ok(stored) => f.conflict = Some(conflict_with(f, &stored)),
                        Err(e) => f.error = Some(crate::domain::text::sanitize_message(&e)),
                    }
                }
            }
            Err(e) => {
                self.reload();
                if let Some(Overlay::Form(f)) = &mut self.overlay {
                    f.error = Some(crate::domain::text::sanitize_line(
                        &e.in_lang(self.opts.lang),
                    ));
                }
            }
        }
    }

    /// Esc: closes; what was typed is kept as a draft.
    fn dismiss_form(&mut self) {
        let Some(Overlay::Form(f)) = &self.overlay else {
            return;
        };
        let (case_id, kind) = (f.case_id, f.kind);
        match self.form_typing() {
            Some(t) => {
                let saved = self.db.write_as(&needs::draft_save(t.case_id), |w| {
                    drafts::save(w, t.case_id, t.kind, &t.body, None)
                });
                match saved {
                    Ok(_) => {
                        self.overlay = None;
                        self.flash(screen::form_texts(self.lang()).draft_kept.to_owned());
                    }
                    // The form stays open: what was typed is still there.
                    Err(e) => {
                        if let Some(Overlay::Form(f)) = &mut self.overlay {
                            f.error = Some(crate::domain::text::sanitize_line(
                                &e.in_lang(self.opts.lang),
                            ));
                        }
                    }
                }
            }
            None => {
                self.overlay = None;
                // A draft that could not be read is left alone.
                let readable =
                    drafts::get(&self.db, self.db.login(), case_id, DraftKind::Form(kind))
                        .ok()
                        .flatten()
                        .is_none_or(|d| serde_json::from_str::<FormDraft>(&d.body).is_ok());
                if readable {
                    self.delete_form_draft(case_id, kind);
                }
            }
        }
    }

    fn delete_form_draft(&mut self, case_id: i64, kind: EvidenceKind) {
        let _ = self.db.write_as(&needs::draft_delete(case_id), |w| {
            drafts::delete(w, case_id, DraftKind::Form(kind)).map(|_| ())
        });
    }

    /// The open form as a draft, when something in it was changed.
    pub(super) fn form_typing(&self) -> Option<crate::tui::watchdog::Typing> {
        let Some(Overlay::Form(f)) = &self.overlay else {
            return None;
        };
        if !f.is_modified() && f.conflict.is_none() {
            return None;
        }
        let form = f.current();
        let draft = FormDraft {
            version: f.version,
            base: f.base.clone(),
            form,
        };
        let body = serde_json::to_string(&draft).ok()?;
        Some(crate::tui::watchdog::Typing {
            case_id: f.case_id,
            kind: DraftKind::Form(f.kind),
            body,
            extra: None,
        })
    }
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
