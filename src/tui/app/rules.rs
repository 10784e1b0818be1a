//! The rules table on screen (`R`): every row, readable by all; a chair
//! changes a threshold, window or hold, or a technique's bleeding risk,
//! saved against the row's version (`storage/rules.rs`), audited. A row
//! someone changed meanwhile is reloaded and the typed value kept: Enter
//! again applies it.

use crate::text::Localized;
use ratatui_textarea::{CursorMove, TextArea};

use super::overlay::{Ctx, Outcome, Refresh};
use super::{App, Component, Overlay};
use crate::domain::message::Lang;
use crate::domain::roles::Permission;
use crate::domain::rules::RuleRow;
use crate::domain::text::sanitize_line as clean_line;
use crate::domain::vocab::{BleedingRisk, Technique};
use crate::storage::needs;
use crate::storage::rules as store;
use crate::text::screen;
use crate::text::screen::rules_table;
use crate::tui::action::Action;
use crate::tui::keys::Context;
use ratatui::crossterm::event::KeyEvent;

/// The rule whose rows carry a technique's bleeding risk in their risk column.
const TECHNIQUE_RISK: &str = "technique.bleeding_risk";

pub struct RulesState {
    /// The rows as loaded when the table opened or after a save.
    pub rows: Vec<RuleRow>,
    pub selected: usize,
    /// The new value being typed, if any.
    pub editing: Option<TextArea<'static>>,
    pub error: Option<String>,
}

/// The row's key as the command line and the audit write it.
pub fn row_key(r: &RuleRow) -> String {
    if r.rule == TECHNIQUE_RISK {
        return format!("{}/{}", r.rule, r.subject);
    }
    format!(
        "{}/{}/{}",
        r.rule,
        r.subject,
        r.risk.map_or("*", BleedingRisk::as_str)
    )
}

/// What the editor shows and takes as the row's value, in the user's
/// language: the risk word for a technique's bleeding risk, else the number
/// (decimal comma in French; the no-value word when empty).
pub fn row_value(lang: Lang, r: &RuleRow) -> String {
    if r.rule == TECHNIQUE_RISK {
        return rules_table::risk_value(lang, r.risk);
    }
    rules_table::value(lang, r.value)
}

impl App {
    pub(super) fn open_rules(&mut self) {
        match self.db.rules() {
            Ok(set) => {
                self.overlay = Some(Overlay::Rules(Box::new(RulesState {
                    rows: set.rows().to_vec(),
                    selected: 0,
                    editing: None,
                    error: None,
                })));
            }
            Err(e) => self.error(e.in_lang(self.lang())),
        }
    }
}

impl Component for RulesState {
    /// Shows what is saved now (not while a value is being typed: its
    /// save checks the version it was read at).
    fn data_changed(&mut self, now: &Refresh<'_>) -> bool {
        if self.editing.is_none()
            && let Ok(set) = now.db.rules()
        {
            self.rows = set.rows().to_vec();
        }
        true
    }
    fn context(&self) -> Context {
        if self.editing.is_some() {
            Context::RuleEdit
        } else {
            Context::Rules
        }
    }
    fn type_key(&mut self, key: KeyEvent, _lang: Lang) -> bool {
        let Some(input) = &mut self.editing else {
            return false;
        };
        self.error = None;
        input.input(key);
        true
    }
    fn paste(&mut self, text: &str) {
        if let Some(input) = &mut self.editing {
            input.insert_str(clean_line(text));
        }
    }

    fn update(&mut self, action: Action, ctx: &mut Ctx<'_>) -> Outcome {
        let n = self.rows.len().max(1);
        match (action, self.editing.is_some()) {
            (Action::Down, false) => self.selected = (self.selected + 1).min(n - 1),
            (Action::Up, false) => self.selected = self.selected.saturating_sub(1),
            (Action::Close, false) => return Outcome::Close,
            (Action::Submit, false) => {
                if !ctx.allowed(Permission::ManageRules) {
                    return Outcome::Stay;
                }
                if let Some(row) = self.rows.get(self.selected) {
                    let mut input = TextArea::new(vec![row_value(ctx.lang, row)]);
                    input.move_cursor(CursorMove::End);
                    self.editing = Some(input);
                    self.error = None;
                }
            }
            (Action::Dismiss, true) => {
                self.editing = None;
                self.error = None;
            }
            (Action::Submit, true) => self.save(ctx),
            _ => {}
        }
        Outcome::Stay
    }
}

impl RulesState {
    fn save(&mut self, ctx: &mut Ctx<'_>) {
        let lang = ctx.lang;
        let (Some(row), Some(input)) = (self.rows.get(self.selected).cloned(), &self.editing)
        else {
            return;
        };
        let typed = input.lines().join("").trim().to_owned();
        let saved = if row.rule == TECHNIQUE_RISK {
            let (Some(technique), Some(risk)) = (
                Technique::parse(&row.subject),
                rules_table::read_risk(&typed),
            ) else {
                self.error = Some(screen::rule_value_refused(lang, &typed, true));
                return;
            };
            let changed = row.risk != Some(risk);
            ctx.db
                .write_as(&needs::rules_risk(), |w| {
                    store::set_technique_risk(w, technique, risk, Some(row.version))
                })
                .map(|()| changed)
        } else {
            let Some(value) = rules_table::read_value(&typed) else {
                self.error = Some(screen::rule_value_refused(lang, &typed, false));
                return;
            };
            let change = store::Change {
                rule: row.rule.clone(),
                subject: row.subject.clone(),
                risk: row.risk.map_or("*", BleedingRisk::as_str).to_owned(),
                value,
                severity: None,
                expected_version: Some(row.version),
            };
            ctx.db
                .write_as(&needs::rules_set(), |w| store::set(w, &change))
        };
        if let Ok(set) = ctx.db.rules() {
            // The same row stays selected (a risk change moves nothing).
            self.rows = set.rows().to_vec();
        }
        match saved {
            Ok(changed) => {
                self.editing = None;
                self.error = None;
                ctx.reload();
                let t = screen::form_texts(lang);
                ctx.flash(if changed { t.rules_saved } else { t.unchanged }.to_owned());
            }
            Err(e) => {
                let mut text = crate::domain::text::sanitize_message(&e.in_lang(lang));
                if matches!(e, crate::storage::StorageError::RuleConflict { .. }) {
                    text.push(' ');
                    let key =
                        |a| crate::tui::keys::keys_of(crate::tui::keys::Context::RuleEdit, a, lang);
                    text.push_str(&screen::rule_enter_again(
                        lang,
                        &key(Action::Submit),
                        &key(Action::Dismiss),
                    ));
                }
                self.error = Some(text);
            }
        }
    }
}
