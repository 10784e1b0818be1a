//! What the screen queues for the read trace (`tui::trace`): the week's
//! cases when a week is opened, a case's detail once it has stayed on
//! screen; and the patient data it hides while the trace cannot be written.

use std::sync::Arc;
use std::time::Instant;

use super::App;
use crate::storage::audit::reads::What;
use crate::tui::trace::{self, Queue};
use crate::tui::ui::layout;

impl App {
    /// The queue the writer thread empties (`tui::run` starts it).
    pub fn trace_queue(&self) -> Arc<Queue> {
        Arc::clone(&self.trace)
    }

    /// Why patient data is hidden: the read trace could not be written.
    pub fn trace_failure(&self) -> Option<String> {
        self.trace
            .failure()
            .map(|f| f.in_lang(self.lang()).to_owned())
    }

    /// Queues the loaded week's cases not yet traced in this opening.
    pub(super) fn trace_board(&mut self) {
        let ids: Vec<i64> = self.data.cases.iter().map(|c| c.id()).collect();
        let new = self.seen.board(self.week(), &ids);
        if !new.is_empty() {
            let at = self.db.stamp_clock().timestamp();
            self.trace
                .push(trace::consulted(What::Week, self.week(), &new, &at));
        }
    }

    /// The case whose detail is on screen: the selected one beside the
    /// board (wide terminals), or the one opened full-screen (`true`).
    fn detail_on_screen(&self) -> Option<(i64, bool)> {
        if self.trace.failure().is_some() {
            return None;
        }
        let id = self.current()?.id();
        if layout::is_wide(self.size) {
            Some((id, self.detail_open))
        } else {
            self.detail_open.then_some((id, true))
        }
    }

    /// Called by the loop after each batch of events and at least every
    /// few hundred milliseconds: queues a detail that has been on screen
    /// long enough, and redraws when patient data must be hidden or may
    /// be shown again.
    pub fn tick(&mut self, now: Instant) {
        let shown = self.detail_on_screen();
        if let Some(id) = self
            .seen
            .detail(shown.map(|s| s.0), shown.is_some_and(|s| s.1), now)
        {
            let at = self.db.stamp_clock().timestamp();
            self.trace
                .push(trace::consulted(What::Case, self.week(), &[id], &at));
        }
        if self.trace.take_changed() {
            self.dirty = true;
        }
    }

    /// When [`App::tick`] must run next for a detail to count on time.
    pub fn next_tick(&self) -> Option<Instant> {
        self.seen.detail_due()
    }
}
