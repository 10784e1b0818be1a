//! The list of a case's forms (`e`): the dossier's, then the procedure's;
//! Enter opens the one selected in its place.

use super::overlay::{Ctx, Outcome};
use super::{App, Component, Overlay, forms, procedure};
use crate::domain::record::EvidenceKind;
use crate::domain::roles::Permission;
use crate::storage::drafts::{self, DraftKind};
use crate::text::screen;
use crate::tui::action::Action;
use crate::tui::keys::Context;

/// The list of a case's dossier forms; `selected` indexes
/// `EvidenceKind::ALL`, then the procedure form (the last line).
pub struct PickerState {
    pub case_id: i64,
    pub selected: usize,
    /// The forms of this case with a draft kept (read when opened).
    pub drafts: Vec<EvidenceKind>,
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
        self.overlay = Some(Overlay::Picker(Box::new(PickerState {
            case_id,
            selected: 0,
            drafts,
        })));
    }
}

impl Component for PickerState {
    fn context(&self) -> Context {
        Context::Picker
    }

    /// ↑/↓ move round; Enter opens the form in place of the list (which
    /// stays when the form cannot open).
    fn update(&mut self, action: Action, ctx: &mut Ctx<'_>) -> Outcome {
        // The dossier's forms, then the procedure's.
        let n = EvidenceKind::ALL.len() + 1;
        let opened = match action {
            Action::Down => {
                self.selected = (self.selected + 1) % n;
                None
            }
            Action::Up => {
                self.selected = (self.selected + n - 1) % n;
                None
            }
            Action::Close | Action::Dismiss => return Outcome::Close,
            Action::Open => match EvidenceKind::ALL.get(self.selected % n) {
                Some(kind) => forms::open(ctx, self.case_id, *kind),
                None => procedure::open(ctx, self.case_id),
            },
            _ => None,
        };
        opened.map_or(Outcome::Stay, Outcome::Replace)
    }
}
