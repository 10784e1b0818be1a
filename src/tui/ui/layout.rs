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
/// The most the header grows to when what narrows the board (a day, room
/// or operator, the filter, the search) leaves its counts no room on 3.
pub const HEADER_MAX: u16 = 5;
/// The detail pane's share of the width when beside the board: one third
/// (40 columns at 120, where the board keeps the 80 columns its narrowest
/// set of columns is drawn for; 53 at 160, 66 at 200), at most
/// [`DETAIL_MAX`].
pub const DETAIL_SHARE: (u16, u16) = (1, 3);
/// The widest the detail pane gets: its lines are prose, which reads badly
/// wider than this; the rest goes to the board's columns.
pub const DETAIL_MAX: u16 = 80;
/// The narrowest the detail pane gets when it lends columns to the board
/// (look-alike patients' names: `board::detail_lends`).
pub const DETAIL_MIN: u16 = 30;

pub fn is_too_small((w, h): (u16, u16)) -> bool {
    w < MIN_W || h < MIN_H
}

pub fn is_wide((w, _): (u16, u16)) -> bool {
    w >= WIDE_W
}

/// The detail pane's width beside a board on a screen `width` wide (before
/// any columns lent to the board).
pub fn detail_w(width: u16) -> u16 {
    let (num, den) = DETAIL_SHARE;
    (u32::from(width) * u32::from(num) / u32::from(den))
        .try_into()
        .unwrap_or(DETAIL_MAX)
        .clamp(DETAIL_MIN, DETAIL_MAX)
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
    areas_with(size, banner, lent, (HEADER_H, 1))
}

/// The most lines the status area grows to (a message that carries a path
/// wraps rather than being cut): a third of the screen's height.
pub fn status_max((_, h): (u16, u16)) -> u16 {
    (h / 3).max(1)
}

/// [`areas_lending`] with a header `header` lines high (from [`HEADER_H`]
/// to [`HEADER_MAX`]) and a status area `status` lines high (at least 1,
/// at most [`status_max`]).
pub fn areas_with(
    size: (u16, u16),
    banner: bool,
    lent: u16,
    (header, status): (u16, u16),
) -> Areas {
    let detail_w = detail_w(size.0).saturating_sub(lent).max(DETAIL_MIN);
    let full = Rect::new(0, 0, size.0, size.1);
    let [top, header, body, status] = Layout::vertical([
        Constraint::Length(u16::from(banner)),
        Constraint::Length(header.clamp(HEADER_H, HEADER_MAX)),
        Constraint::Fill(1),
        Constraint::Length(status.clamp(1, status_max(size))),
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
    row_in(areas_lending(size, banner, lent).board, column, row)
}

/// The row (0 = first visible case) of a board drawn in `b` under a mouse
/// click, if any.
pub fn row_in(b: Rect, column: u16, row: u16) -> Option<usize> {
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
