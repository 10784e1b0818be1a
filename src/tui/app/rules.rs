//! The rules table on screen (`R`): every row, readable by all; a chair
//! changes a threshold, window or hold, or a technique's bleeding risk,
//! saved against the row's version (`storage/rules.rs`), audited. A row
//! someone changed meanwhile is reloaded and the typed value kept: Enter
//! again applies it.

use crate::text::Localized;
use ratatui_textarea::{CursorMove, TextArea};

use super::{App, Overlay};
use crate::domain::roles::Permission;
use crate::domain::rules::RuleRow;
use crate::domain::vocab::{BleedingRisk, Technique};
use crate::storage::needs;
use crate::storage::rules as store;
use crate::text::Lang;
use crate::text::screen;
use crate::text::screen::rules_table;
use crate::tui::action::Action;

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

    pub(super) fn rules_update(&mut self, action: Action) {
        let may = self.may(Permission::ManageRules);
        let lang = self.lang();
        let Some(Overlay::Rules(r)) = &mut self.overlay else {
            return;
        };
        let n = r.rows.len().max(1);
        match (action, r.editing.is_some()) {
            (Action::Down, false) => r.selected = (r.selected + 1).min(n - 1),
            (Action::Up, false) => r.selected = r.selected.saturating_sub(1),
            (Action::Close, false) => self.overlay = None,
            (Action::Submit, false) => {
                if !may {
                    self.check_allowed(Permission::ManageRules);
                    return;
                }
                if let Some(row) = r.rows.get(r.selected) {
                    let mut input = TextArea::new(vec![row_value(lang, row)]);
                    input.move_cursor(CursorMove::End);
                    r.editing = Some(input);
                    r.error = None;
                }
            }
            (Action::Dismiss, true) => {
                r.editing = None;
                r.error = None;
            }
            (Action::Submit, true) => self.save_rule(),
            _ => {}
        }
    }

    fn save_rule(&mut self) {
        let lang = self.lang();
        let Some(Overlay::Rules(r)) = &mut self.overlay else {
            return;
        };
        let (Some(row), Some(input)) = (r.rows.get(r.selected).cloned(), &r.editing) else {
            return;
        };
        let typed = input.lines().join("").trim().to_owned();
        let saved = if row.rule == TECHNIQUE_RISK {
            let (Some(technique), Some(risk)) = (
                Technique::parse(&row.subject),
                rules_table::read_risk(&typed),
            ) else {
                r.error = Some(screen::rule_value_refused(lang, &typed, true));
                return;
            };
            let changed = row.risk != Some(risk);
            self.db
                .write_as(&needs::rules_risk(), |w| {
                    store::set_technique_risk(w, technique, risk, Some(row.version))
                })
                .map(|()| changed)
        } else {
            let Some(value) = rules_table::read_value(&typed) else {
                r.error = Some(screen::rule_value_refused(lang, &typed, false));
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
            self.db
                .write_as(&needs::rules_set(), |w| store::set(w, &change))
        };
        let fresh = self.db.rules().map(|s| s.rows().to_vec());
        let Some(Overlay::Rules(r)) = &mut self.overlay else {
            return;
        };
        if let Ok(rows) = fresh {
            // The same row stays selected (a risk change moves nothing).
            r.rows = rows;
        }
        match saved {
            Ok(changed) => {
                r.editing = None;
                r.error = None;
                self.reload();
                let t = screen::form_texts(lang);
                self.flash(if changed { t.rules_saved } else { t.unchanged }.to_owned());
            }
            Err(e) => {
                let mut text = crate::domain::text::sanitize_message(&e.in_lang(self.opts.lang));
                if matches!(e, crate::storage::StorageError::RuleConflict { .. }) {
                    text.push(' ');
                    let key =
                        |a| crate::tui::keys::keys_of(crate::tui::keys::Context::RuleEdit, a, lang);
                    text.push_str(&screen::enter_again(
                        lang,
                        &key(Action::Submit),
                        &key(Action::Dismiss),
                    ));
                }
                r.error = Some(text);
            }
        }
    }
}
