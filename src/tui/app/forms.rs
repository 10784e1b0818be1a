//! The dossier forms: choosing one (`e`), typing, saving one evidence
//! object in one transaction (`cases::set_evidence`, checked against the
//! version the form was filled from), and the conflict when someone saved
//! it meanwhile: keep theirs, reapply mine on top, or go back to editing.
//! What is typed is never lost: Esc and a dropped link keep it as a draft.

use serde::{Deserialize, Serialize};

use super::{App, Overlay};
use crate::domain::edit::Form;
use crate::domain::record::EvidenceKind;
use crate::domain::roles::Permission;
use crate::domain::time::local_time;
use crate::storage::drafts::{self, DraftKind};
use crate::storage::{StorageError, cases};
use crate::tui::action::Action;
use crate::tui::catalogue;
use crate::tui::form::{Conflict, FormState};

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
    pub(super) fn open_picker(&mut self) {
        if !self.may_edit_any() {
            self.check_allowed(Permission::RecordEvidence);
            return;
        }
        if self.current().is_none() {
            return self.error(catalogue::ui(self.lang()).nothing_selected.to_owned());
        }
        self.overlay = Some(Overlay::Picker { selected: 0 });
    }

    pub(super) fn picker_update(&mut self, action: Action) {
        let Some(Overlay::Picker { selected }) = &mut self.overlay else {
            return;
        };
        let n = EvidenceKind::ALL.len();
        match action {
            Action::Down => *selected = (*selected + 1) % n,
            Action::Up => *selected = (*selected + n - 1) % n,
            Action::Close | Action::Dismiss => self.overlay = None,
            Action::Open => {
                let kind = EvidenceKind::ALL[*selected % n];
                self.open_form(kind);
            }
            _ => {}
        }
    }

    /// Opens the form of `kind` on the selected case, with the draft left
    /// on it if any (straight into the conflict when the object changed
    /// since).
    pub(super) fn open_form(&mut self, kind: EvidenceKind) {
        if !self.check_allowed(Permission::for_evidence(kind)) {
            return;
        }
        let lang = self.lang();
        let Some(c) = self.current() else {
            return self.error(catalogue::ui(lang).nothing_selected.to_owned());
        };
        let case_id = c.id();
        let f = &c.stored.file;
        let label = format!(
            "{} {} · {}",
            f.patient.last_name.to_uppercase(),
            f.patient.first_name,
            f.external_id
        );
        let (stored, version) = match self.stored_form(case_id, kind) {
            Ok(x) => x,
            Err(e) => return self.error(e),
        };
        let today = self.db.clock().today();
        let mut state = FormState::new(case_id, label, version, stored.clone(), today);
        let draft = drafts::get(&self.db, self.db.login(), case_id, DraftKind::Form(kind))
            .ok()
            .flatten()
            .and_then(|d| serde_json::from_str::<FormDraft>(&d.body).ok());
        if let Some(d) = draft.filter(|d| d.form.evidence == kind) {
            if d.version == version {
                state.reset(d.base, d.form, version);
            } else {
                state.reset(d.base.clone(), d.form, d.version);
                state.conflict = Some(self.conflict_with(&state, stored, version));
            }
            self.flash(catalogue::ui(lang).draft_restored.to_owned());
        }
        self.overlay = Some(Overlay::Form(Box::new(state)));
    }

    /// The stored object of `kind` of a case, as a form, and its version
    /// (from the week as last loaded).
    fn stored_form(&self, case_id: i64, kind: EvidenceKind) -> Result<(Form, Option<i64>), String> {
        let c = self
            .data
            .cases
            .iter()
            .find(|c| c.id() == case_id)
            .ok_or_else(|| catalogue::ui(self.lang()).nothing_selected.to_owned())?;
        let json = c
            .stored
            .file
            .evidence_json(kind)
            .map_err(|e| e.to_string())?;
        let version = c
            .stored
            .recorded
            .iter()
            .find(|r| r.kind == kind)
            .map(|r| r.version);
        let form = Form::load(kind, json.as_deref()).map_err(|e| e.to_string())?;
        Ok((form, version))
    }

    /// The conflict between the open form and what is saved now.
    fn conflict_with(&self, state: &FormState, theirs: Form, version: Option<i64>) -> Conflict {
        let recorded = self
            .data
            .cases
            .iter()
            .find(|c| c.id() == state.case_id)
            .and_then(|c| c.stored.recorded.iter().find(|r| r.kind == state.kind));
        let (by, at) = recorded.map_or_else(
            || ("?".to_owned(), "?".to_owned()),
            |r| (r.by.clone(), local_time(&r.at, self.data.tz)),
        );
        Conflict {
            by,
            at,
            changes: state.base.changes(&theirs),
            theirs,
            version,
        }
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
            Action::Dismiss => self.dismiss_form(),
            Action::KeepTheirs => {
                if let Some(c) = f.conflict.take() {
                    f.reset(c.theirs.clone(), c.theirs, c.version);
                    let (case_id, kind) = (f.case_id, f.kind);
                    self.delete_form_draft(case_id, kind);
                    self.flash(catalogue::form_texts(self.lang()).dropped.to_owned());
                }
            }
            Action::Reapply | Action::BackToEditing => {
                if let Some(c) = f.conflict.take() {
                    f.commit_input();
                    let merged = Form::rebase(&f.base, &f.form, &c.theirs);
                    f.reset(c.theirs, merged, c.version);
                    if action == Action::Reapply {
                        self.save_form();
                    }
                }
            }
            _ => {}
        }
    }

    /// Enter: every field checked, then one transaction; a refusal stays
    /// in the form, a conflict opens the conflict dialog.
    fn save_form(&mut self) {
        let lang = self.lang();
        let t = catalogue::form_texts(lang);
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
        if !f.is_modified() && version.is_some() {
            self.overlay = None;
            self.delete_form_draft(case_id, kind);
            return self.flash(t.unchanged.to_owned());
        }
        let saved = self
            .db
            .write(|w| cases::set_evidence(w, case_id, kind, &json, version));
        match saved {
            Ok(_) => {
                self.overlay = None;
                self.delete_form_draft(case_id, kind);
                self.reload();
                self.flash(format!("{} — {}", catalogue::evidence(lang, kind), t.saved));
            }
            Err(StorageError::Conflict { .. }) => {
                self.reload();
                let Ok((theirs, v)) = self.stored_form(case_id, kind) else {
                    return;
                };
                if let Some(Overlay::Form(f)) = &self.overlay {
                    let conflict = self.conflict_with(f, theirs, v);
                    if let Some(Overlay::Form(f)) = &mut self.overlay {
                        f.conflict = Some(conflict);
                    }
                }
            }
            Err(e) => {
                self.reload();
                if let Some(Overlay::Form(f)) = &mut self.overlay {
                    f.error = Some(crate::domain::text::sanitize_line(&e.to_string()));
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
                let saved = self
                    .db
                    .write(|w| drafts::save(w, t.case_id, t.kind, &t.body, None));
                match saved {
                    Ok(_) => self.flash(catalogue::form_texts(self.lang()).draft_kept.to_owned()),
                    Err(e) => self.error(e.to_string()),
                }
            }
            None => self.delete_form_draft(case_id, kind),
        }
        self.overlay = None;
    }

    fn delete_form_draft(&mut self, case_id: i64, kind: EvidenceKind) {
        let _ = self
            .db
            .write(|w| drafts::delete(w, case_id, DraftKind::Form(kind)).map(|_| ()));
    }

    /// The open form as a draft, when something in it was changed.
    pub(super) fn form_typing(&self) -> Option<crate::tui::watchdog::Typing> {
        let Some(Overlay::Form(f)) = &self.overlay else {
            return None;
        };
        if !f.is_modified() && f.conflict.is_none() {
            return None;
        }
        let mut form = f.form.clone();
        if !f.on_choice()
            && let Some(v) = form
                .groups
                .get_mut(f.focus.0)
                .and_then(|g| g.values.get_mut(f.focus.1))
        {
            *v = f.input.lines().join(" ");
        }
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
