//! Where things go, from the terminal size alone: shared by the drawing
//! code and by `update` (page size, mouse clicks), so they always agree.

use ratatui::layout::{Constraint, Layout, Rect};

/// Below this the screen shows "terminal too small".
pub const MIN_W: u16 = 80;
pub const MIN_H: u16 = 24;
/// From this width the detail pane sits beside the board.
pub const WIDE_W: u16 = 120;
/// The header's lines: the week and who is at the keyboard, the counts,
/// the progress and the order (`ui::header` flows them, never cutting one).
pub const HEADER_H: u16 = 3;
/// The detail pane's width when beside the board.
pub const DETAIL_W: u16 = 40;
/// The narrowest the detail pane gets when it lends columns to the board
/// (look-alike patients' names: `board::detail_lends`).
pub const DETAIL_MIN: u16 = 30;

pub fn is_too_small((w, h): (u16, u16)) -> bool {
    w < MIN_W || h < MIN_H
}

pub fn is_wide((w, _): (u16, u16)) -> bool {
    w >= WIDE_W
}

/// The screen's parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    /// One line above everything, when the file's time zone is not the
    /// hospital's (UTC, Etc/…).
    pub banner: Option<Rect>,
    pub header: Rect,
    pub board: Rect,
    pub detail: Option<Rect>,
    pub status: Rect,
}

/// The parts of a screen of `size`, with a `banner` line at the top or not.
pub fn areas(size: (u16, u16), banner: bool) -> Areas {
    areas_lending(size, banner, 0)
}

/// [`areas`] with the detail pane `lent` columns narrower (never below
/// [`DETAIL_MIN`]) and the board that much wider.
pub fn areas_lending(size: (u16, u16), banner: bool, lent: u16) -> Areas {
    let detail_w = DETAIL_W.saturating_sub(lent).max(DETAIL_MIN);
    let full = Rect::new(0, 0, size.0, size.1);
    let [top, header, body, status] = Layout::vertical([
        Constraint::Length(u16::from(banner)),
        Constraint::Length(HEADER_H),
        Constraint::Fill(1),
        Constraint::Length(1),
    ])
    .areas(full);
    let banner = banner.then_some(top);
    if is_wide(size) {
        let [board, detail] =
            Layout::horizontal([Constraint::Fill(1), Constraint::Length(detail_w)]).areas(body);
        Areas {
            banner,
            header,
            board,
            detail: Some(detail),
            status,
        }
    } else {
        Areas {
            banner,
            header,
            board: body,
            detail: None,
            status,
        }
    }
}

/// Rows of cases the board shows at once (its height less the column
/// header).
pub fn board_page(size: (u16, u16), banner: bool) -> usize {
    usize::from(areas(size, banner).board.height.saturating_sub(1))
}

/// The board row (0 = first visible case) under a mouse click, if any
/// (`lent`: as [`areas_lending`]).
pub fn board_row_at(
    size: (u16, u16),
    banner: bool,
    lent: u16,
    column: u16,
    row: u16,
) -> Option<usize> {
    let b = areas_lending(size, banner, lent).board;
    let first = b.y + 1;
    (column >= b.x && column < b.x + b.width && row >= first && row < b.y + b.height)
        .then(|| usize::from(row - first))
}

/// A rectangle centred in `area`, at most `w`×`h`.
pub fn centred(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}
