//! F: the case's file values that lost to what is stored (the re-import
//! rule), each beside the stored value it conflicts with: `k` keeps the
//! stored value, `t` takes the file's, Enter confirms. Written by
//! `storage::reimport::resolve_shown` (permission of the item, audited),
//! which refuses when what was shown has changed meanwhile.

use super::{App, Overlay};
use crate::domain::reimport::{self, Field};
use crate::domain::roles::Permission;
use crate::domain::text::sanitize_line;
use crate::domain::time::local_time;
use crate::storage::StorageError;
use crate::storage::reimport::{Choice, Shown, permission, stored_json, stored_version};
use crate::text::Localized;
use crate::text::screen;
use crate::tui::action::Action;
use crate::tui::data::CaseView;

/// One pending value, as shown: its texts are made when the case is
/// (re)loaded, never by the draw code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolveRow {
    pub field: Field,
    /// What the choice is checked against when it is written.
    pub shown: Shown,
    /// The item's name in the screen's language.
    pub item: String,
    /// The file's value, in a line (with its date for a dated object).
    pub file: String,
    /// The stored value, in a line; `None`: nothing stored.
    pub stored: Option<String>,
    /// Where it came from, when, who imported it, why it lost.
    pub origin: String,
    pub permission: Permission,
}

pub struct ResolveState {
    pub case_id: i64,
    /// Patient and case, for the title.
    pub label: String,
    pub rows: Vec<ResolveRow>,
    /// Index into `rows`.
    pub selected: usize,
    /// k or t was pressed on the selected row: Enter confirms, Esc not.
    pub confirming: Option<Choice>,
}

impl ResolveState {
    pub fn current(&self) -> Option<&ResolveRow> {
        self.rows.get(self.selected)
    }
}

/// A value in a line: its fields, and its date when the object is dated.
fn in_a_line(field: Field, json: &str) -> String {
    let text = reimport::summary(json);
    match reimport::dated_at(field, json) {
        // As the dossier lines write a time: 2026-11-26 07:45.
        Ok(at) if field.dated() => format!("{text}, {}", at.to_string().replacen('T', " ", 1)),
        _ => text,
    }
}

/// The pending values of a case, as the dialog shows them (an item word
/// this program does not know is left out: it cannot be chosen on).
fn rows_of(c: &CaseView, lang: crate::domain::message::Lang, tz: chrono_tz::Tz) -> Vec<ResolveRow> {
    c.stored
        .pending
        .iter()
        .filter_map(|p| {
            let field = Field::parse(&p.item)?;
            let stored = match stored_json(&c.stored.file, field) {
                Ok(Some(json)) => Some(in_a_line(field, &json)),
                Ok(None) => None,
                Err(e) => Some(format!("? {e}")),
            };
            let why = screen::loss_reason(lang, &p.loss);
            Some(ResolveRow {
                field,
                shown: Shown {
                    source: p.source.clone(),
                    value: p.value.clone(),
                    version: stored_version(&c.stored, field),
                },
                item: screen::pending_item(lang, field),
                file: sanitize_line(&in_a_line(field, &p.value)),
                stored: stored.map(|s| sanitize_line(&s)),
                origin: screen::pending_origin(
                    lang,
                    &p.origin,
                    &local_time(&p.at, tz),
                    &p.by,
                    &why,
                ),
                permission: permission(field),
            })
        })
        .collect()
}

impl App {
    /// Whether the role may keep or take at least one of the selected
    /// case's pending values (false without any).
    pub fn may_resolve_current(&self) -> bool {
        self.current().is_some_and(|c| {
            c.stored
                .pending
                .iter()
                .filter_map(|p| Field::parse(&p.item))
                .any(|f| self.may(permission(f)))
        })
    }

    /// F: the selected case's pending values; says so when there are none,
    /// and why when the role may choose on none of them.
    pub(super) fn open_resolve(&mut self) {
        let lang = self.lang();
        let Some(c) = self.current() else {
            return self.error(screen::ui(lang).nothing_selected.to_owned());
        };
        let rows = rows_of(c, lang, self.data.tz);
        let f = &c.stored.file;
        let label = format!(
            "{} {} · {}",
            f.patient.last_name.to_uppercase(),
            f.patient.first_name,
            f.external_id
        );
        let (case_id, external_id) = (c.id(), f.external_id.clone());
        // (The key table refuses F when the role may choose on none.)
        if rows.is_empty() {
            return self.flash(screen::no_pending(lang, &external_id));
        }
        // The first line this role may choose on.
        let selected = rows
            .iter()
            .position(|r| self.may(r.permission))
            .unwrap_or(0);
        self.overlay = Some(Overlay::Resolve(Box::new(ResolveState {
            case_id,
            label,
            rows,
            selected,
            confirming: None,
        })));
    }

    pub(super) fn resolve_update(&mut self, action: Action) {
        let Some(Overlay::Resolve(r)) = &mut self.overlay else {
            return;
        };
        match action {
            Action::Down if r.confirming.is_none() => {
                r.selected = (r.selected + 1).min(r.rows.len().saturating_sub(1));
            }
            Action::Up if r.confirming.is_none() => r.selected = r.selected.saturating_sub(1),
            Action::KeepStored => self.ask(Choice::Keep),
            Action::TakeFile => self.ask(Choice::Take),
            Action::Submit => self.resolve_selected(),
            Action::Dismiss => r.confirming = None,
            Action::Close => self.overlay = None,
            _ => {}
        }
    }

    /// k or t: refused with the reason when the role may not record the
    /// item; else the question, answered by Enter.
    fn ask(&mut self, choice: Choice) {
        let Some(Overlay::Resolve(r)) = &self.overlay else {
            return;
        };
        // (The key table refuses k and t on a value the role may not record.)
        if r.current().is_some()
            && let Some(Overlay::Resolve(r)) = &mut self.overlay
        {
            r.confirming = Some(choice);
        }
    }

    /// Enter on the question: writes the choice, reloads the week, and
    /// shows what is left (the dialog closes when nothing is).
    fn resolve_selected(&mut self) {
        let lang = self.lang();
        let Some(Overlay::Resolve(r)) = &self.overlay else {
            return;
        };
        let (Some(choice), Some(row)) = (r.confirming, r.current().cloned()) else {
            return;
        };
        let case_id = r.case_id;
        if !self.check_allowed(row.permission) {
            return;
        }
        let need = crate::storage::needs::resolve(case_id, row.field);
        let done = self.db.write_as(&need, |w| {
            crate::storage::reimport::resolve_shown(w, case_id, row.field, &row.shown, choice)
        });
        self.reload();
        match done {
            Ok(()) => self.flash(screen::resolved(lang, choice, &row.item, &row.file)),
            Err(StorageError::ChangedSinceShown(_) | StorageError::NoPending(_)) => {
                self.error(screen::changed_since_shown(lang).to_owned());
            }
            // The role in the file now (a chair may have changed it).
            Err(StorageError::Forbidden {
                role,
                permission,
                disabled,
                ..
            }) => self.error(screen::not_allowed(lang, role, disabled, permission)),
            Err(e) => self.error(e.in_lang(self.lang())),
        }
        if let Some(Overlay::Resolve(r)) = &mut self.overlay {
            r.confirming = None;
        }
        self.overlay_data_changed();
    }
}

impl ResolveState {
    /// After a reload: the open dialog shows the case's pending values as
    /// they are now, and closes when none is left. A question asked about
    /// a value that changed is dropped: Enter never answers it for another.
    /// Returns false when it should close.
    pub(super) fn refresh(
        &mut self,
        data: &crate::tui::data::WeekData,
        lang: crate::domain::message::Lang,
    ) -> bool {
        let rows = data
            .cases
            .iter()
            .find(|c| c.id() == self.case_id)
            .map(|c| rows_of(c, lang, data.tz))
            .unwrap_or_default();
        if rows.is_empty() {
            return false;
        }
        let before = self.current().cloned();
        let at = before
            .as_ref()
            .and_then(|b| rows.iter().position(|x| x.field == b.field))
            .unwrap_or(self.selected);
        self.selected = at.min(rows.len() - 1);
        if rows.get(self.selected) != before.as_ref() {
            self.confirming = None;
        }
        self.rows = rows;
        true
    }
}
