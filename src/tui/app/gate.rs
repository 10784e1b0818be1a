//! What the key table's `Gate` and `Offer` ask of the state: whether the
//! role may (the status bar dims the hint, `update` refuses the key and
//! says why), and whether a key is offered now.

use super::{App, Overlay};
use crate::domain::reimport::Field;
use crate::domain::roles::Permission;
use crate::storage::reimport::permission;
use crate::tui::keys::{Gate, Offer};

impl App {
    /// Whether the role passes `gate`.
    pub fn passes(&self, gate: Gate) -> bool {
        match gate {
            Gate::Permission(p) => self.may(p),
            Gate::EditAny => self.may_edit_any(),
            Gate::RecordDay => {
                self.may(Permission::RecordOutcome) || self.may(Permission::RecordComplication)
            }
            // Nothing pending (or nothing selected): P says so itself.
            Gate::ResolveCase => {
                self.first_pending_permission().is_none() || self.may_resolve_current()
            }
            Gate::ResolveRow => self.resolve_row_permission().is_some_and(|p| self.may(p)),
        }
    }

    /// Says why the role does not pass `gate` (the same message as every
    /// refusal: who may).
    pub(super) fn refuse(&mut self, gate: Gate) {
        let needed = match gate {
            Gate::Permission(p) => Some(p),
            Gate::EditAny => Some(Permission::RecordEvidence),
            Gate::RecordDay => Some(Permission::RecordOutcome),
            Gate::ResolveCase => self.first_pending_permission(),
            Gate::ResolveRow => self.resolve_row_permission(),
        };
        if let Some(p) = needed {
            // The same words as an overlay's refusal (`Ctx::allowed`).
            self.with_ctx(|ctx| ctx.allowed(p));
        }
    }

    /// Whether the status bar offers a key now: the board answers for the
    /// selected case, the open overlay for its own state.
    pub fn offers(&self, offer: Offer) -> bool {
        match offer {
            Offer::Always => true,
            Offer::CaseHasPending => self.current().is_some_and(|c| !c.stored.pending.is_empty()),
            Offer::CaseToReschedule => self.current().is_some_and(|c| c.to_reschedule),
            Offer::CaseIdentityChanged => self
                .current()
                .is_some_and(|c| c.stored.feed.identity_changed.is_some()),
            Offer::CaseLabUnusable => self
                .current()
                .is_some_and(|c| !c.stored.feed.lab_unusable.is_empty()),
            other => self
                .overlay
                .as_ref()
                .is_none_or(|o| o.component().offers(other)),
        }
    }

    /// What recording the selected case's first pending value needs.
    fn first_pending_permission(&self) -> Option<Permission> {
        self.current()?
            .stored
            .pending
            .iter()
            .find_map(|p| Field::parse(&p.item))
            .map(permission)
    }

    /// What recording the value selected in P needs.
    fn resolve_row_permission(&self) -> Option<Permission> {
        match &self.overlay {
            Some(Overlay::Resolve(r)) => r.current().map(|row| row.permission),
            _ => None,
        }
    }
}
