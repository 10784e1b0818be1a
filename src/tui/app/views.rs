//! The views built from the data once per change (the board's cells, the
//! selected case's detail): a frame borrows them and formats nothing.

use super::App;
use crate::tui::ui::layout;

impl App {
    /// Where things go on the screen now: the detail pane as wide as the
    /// look-alike names leave it, the header and the status area as high
    /// as what they say needs (the draw code, the page size and the mouse all use this).
    pub fn areas(&self) -> layout::Areas {
        self.areas_at(self.size)
    }

    /// [`App::areas`] on a screen of `size`.
    pub fn areas_at(&self, size: (u16, u16)) -> layout::Areas {
        let lent = crate::tui::ui::board::detail_lends(&self.data.cases, size);
        let header = crate::tui::ui::header_height(self, size.0);
        let status = crate::tui::ui::status_height(self, size.0);
        layout::areas_with(size, self.zone_banner(), lent, (header, status))
    }

    /// The selected case's detail as last built (the draw code checks it
    /// is current).
    pub fn detail_view(&self) -> Option<&crate::tui::ui::detail::DetailView> {
        self.detail_view.as_ref()
    }

    /// Forgets the views built from the data: the next frame builds its own.
    #[cfg(test)]
    pub(crate) fn forget_views_for_tests(&mut self) {
        self.board_view = None;
        self.detail_view = None;
    }

    /// The board's text as last built (the draw code checks it is current).
    pub fn board_view(&self) -> Option<&crate::tui::ui::board::BoardView> {
        self.board_view.as_ref()
    }

    /// Rebuilds the views whose inputs changed (after every event).
    pub fn refresh_views(&mut self) {
        use crate::tui::ui::board::{self, BoardView};
        use crate::tui::ui::detail::DetailView;
        if !layout::is_too_small(self.size) {
            let lent = board::detail_lends(&self.data.cases, self.size);
            let width = layout::areas_lending(self.size, self.zone_banner(), lent)
                .board
                .width;
            if !self
                .board_view
                .as_ref()
                .is_some_and(|v| v.is_current(self, width))
            {
                self.board_view = Some(BoardView::build(self, width));
            }
        }
        let stale = match &self.detail_view {
            Some(v) => !v.is_current(self),
            None => DetailView::key(self).is_some(),
        };
        if stale {
            self.detail_view = DetailView::build(self);
        }
    }
}
