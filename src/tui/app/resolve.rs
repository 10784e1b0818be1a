//! P: the case's file values that lost to what is stored (the re-import
//! rule), each beside the stored value it conflicts with: `k` keeps the
//! stored value, `t` takes the file's, Enter confirms. Written by
//! `storage::reimport::resolve_shown` (permission of the item, audited),
//! which refuses when what was shown has changed meanwhile.

use super::overlay::{Ctx, Outcome, Refresh};
use super::{App, Component, Overlay};
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
use crate::tui::keys::Context;

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
        Ok(at) if field.dated() && !reimport::dated_apart(json) => {
            format!("{text}, {}", at.to_string().replacen('T', " ", 1))
        }
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

    /// P: the selected case's pending values; says so when there are none,
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
        // (The key table refuses P when the role may choose on none.)
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
}

impl Component for ResolveState {
    fn data_changed(&mut self, now: &Refresh<'_>) -> bool {
        self.refresh(now.data, now.lang)
    }
    fn context(&self) -> Context {
        if self.confirming.is_some() {
            Context::ResolveConfirm
        } else {
            Context::Resolve
        }
    }

    fn update(&mut self, action: Action, ctx: &mut Ctx<'_>) -> Outcome {
        match action {
            Action::Down if self.confirming.is_none() => {
                self.selected = (self.selected + 1).min(self.rows.len().saturating_sub(1));
            }
            Action::Up if self.confirming.is_none() => {
                self.selected = self.selected.saturating_sub(1)
            }
            // k or t: the question, answered by Enter. (The key table
            // refuses k and t on a value the role may not record.)
            Action::KeepStored | Action::TakeFile if self.current().is_some() => {
                self.confirming = Some(if action == Action::KeepStored {
                    Choice::Keep
                } else {
                    Choice::Take
                });
            }
            Action::Submit => self.resolve_selected(ctx),
            Action::Dismiss => self.confirming = None,
            Action::Close => return Outcome::Close,
            _ => {}
        }
        Outcome::Stay
    }
}

impl ResolveState {
    /// Enter on the question: writes the choice, reloads the week, and
    /// shows what is left (the dialog closes when nothing is: the reload
    /// tells it, `data_changed`).
    fn resolve_selected(&mut self, ctx: &mut Ctx<'_>) {
        let lang = ctx.lang;
        let (Some(choice), Some(row)) = (self.confirming, self.current().cloned()) else {
            return;
        };
        let case_id = self.case_id;
        if !ctx.allowed(row.permission) {
            return;
        }
        let need = crate::storage::needs::resolve(case_id, row.field);
        let done = ctx.db.write_as(&need, |w| {
            crate::storage::reimport::resolve_shown(w, case_id, row.field, &row.shown, choice)
        });
        self.confirming = None;
        ctx.reload();
        match done {
            Ok(()) => ctx.flash(screen::resolved(lang, choice, &row.item, &row.file)),
            Err(StorageError::ChangedSinceShown(_) | StorageError::NoPending(_)) => {
                ctx.error(screen::changed_since_shown(lang).to_owned());
            }
            // The role in the file now (a chair may have changed it).
            Err(StorageError::Forbidden {
                role,
                permission,
                disabled,
                ..
            }) => ctx.error(screen::not_allowed(lang, role, disabled, permission)),
            Err(e) => ctx.error(e.in_lang(lang)),
        }
    }
}

impl ResolveState {
    /// After a reload: the open dialog shows the case's pending values as
    /// they are now, and closes when none is left. A question asked about
    /// a value that changed is dropped: Enter never answers it for another.
    /// Returns false when it should close.
    fn refresh(
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
