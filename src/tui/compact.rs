//! A backend that writes fewer bytes per frame (what crosses an SSH link):
//! ratatui sends only the changed cells, and jumps the cursor over every
//! unchanged run (about 9 bytes, `ESC [ row ; col H`). When a short run of
//! unchanged cells sits between two changes on a row, in the same style as
//! the change before it and one column wide each, writing those cells again
//! costs less than the jump. The screen looks the same: the cells rewritten
//! hold what the terminal already shows (kept in `shown`).

use std::io;

use ratatui::backend::{Backend, ClearType, WindowSize};
use ratatui::buffer::{Buffer, Cell, CellDiffOption};
use ratatui::layout::{Position, Rect, Size};

/// The longest unchanged run rewritten rather than jumped over.
const MAX_GAP: u16 = 8;

pub struct Compact<B> {
    inner: B,
    /// What the terminal shows, as far as this backend wrote it.
    shown: Buffer,
    /// False after a partial clear: what is left on screen is not known
    /// cell by cell, and nothing is rewritten from memory until the next
    /// full clear.
    known: bool,
}

impl<B> Compact<B> {
    pub fn new(inner: B) -> Self {
        Compact {
            inner,
            shown: Buffer::empty(Rect::ZERO),
            known: true,
        }
    }

    /// The backend written to (tests compare what it shows).
    #[cfg(test)]
    pub fn inner_for_tests(&self) -> &B {
        &self.inner
    }

    /// The changed cells, with the short same-style gaps between them on a
    /// row filled in from `shown`.
    fn fill(&self, cells: &[(u16, u16, Cell)]) -> Vec<(u16, u16, Cell)> {
        if !self.known {
            return cells.to_vec();
        }
        let mut out: Vec<(u16, u16, Cell)> = Vec::with_capacity(cells.len());
        for (x, y, cell) in cells {
            if let Some((px, py, prev)) = out.last()
                && *py == *y
                && *x > px + 1
                && x - px - 1 <= MAX_GAP
                && plain(prev)
            {
                let (px, style) = (*px, prev.style());
                let gap: Option<Vec<Cell>> = (px + 1..*x)
                    .map(|gx| {
                        self.shown
                            .cell(Position::new(gx, *y))
                            .filter(|c| plain(c) && c.style() == style)
                            .cloned()
                    })
                    .collect();
                if let Some(gap) = gap {
                    out.extend((px + 1..).zip(gap).map(|(gx, c)| (gx, *y, c)));
                }
            }
            out.push((*x, *y, cell.clone()));
        }
        out
    }
}

impl<B> Compact<B> {
    /// Grows `shown` to `area`, every cell kept at its position
    /// (`Buffer::resize` keeps the cells' order, not their positions: a
    /// wider buffer would shift every row after the first).
    fn grow(&mut self, area: Rect) {
        let mut grown = Buffer::empty(self.shown.area.union(area));
        grown.merge(&self.shown);
        self.shown = grown;
    }
}

/// One column wide, drawn as itself (no diff option).
fn plain(c: &Cell) -> bool {
    use unicode_width::UnicodeWidthStr;
    c.diff_option == CellDiffOption::None && c.symbol().width() == 1
}

impl<B: Backend> Backend for Compact<B> {
    type Error = B::Error;

    fn draw<'a, I>(&mut self, content: I) -> Result<(), Self::Error>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        let cells: Vec<(u16, u16, Cell)> = content.map(|(x, y, c)| (x, y, c.clone())).collect();
        let filled = self.fill(&cells);
        // What the terminal shows is as large as the screen, blank where
        // nothing was written (ratatui assumes as much: it writes no blank
        // cell on a first frame).
        let screen = self
            .inner
            .size()
            .map(|s| Rect::new(0, 0, s.width, s.height))
            .unwrap_or_default();
        for (x, y, c) in &cells {
            let p = Position::new(*x, *y);
            if !self.shown.area.contains(p) {
                self.grow(screen.union(Rect::new(0, 0, x + 1, y + 1)));
            }
            if let Some(s) = self.shown.cell_mut(p) {
                *s = c.clone();
            }
        }
        self.inner.draw(filled.iter().map(|(x, y, c)| (*x, *y, c)))
    }

    fn append_lines(&mut self, n: u16) -> Result<(), Self::Error> {
        self.inner.append_lines(n)
    }

    fn hide_cursor(&mut self) -> Result<(), Self::Error> {
        self.inner.hide_cursor()
    }

    fn show_cursor(&mut self) -> Result<(), Self::Error> {
        self.inner.show_cursor()
    }

    fn get_cursor_position(&mut self) -> Result<Position, Self::Error> {
        self.inner.get_cursor_position()
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> Result<(), Self::Error> {
        self.inner.set_cursor_position(position)
    }

    fn clear(&mut self) -> Result<(), Self::Error> {
        self.shown.reset();
        self.known = true;
        self.inner.clear()
    }

    fn clear_region(&mut self, clear_type: ClearType) -> Result<(), Self::Error> {
        // What is left on screen is not known cell by cell: nothing is
        // rewritten from memory until the next full clear.
        if clear_type == ClearType::All {
            self.shown.reset();
            self.known = true;
        } else {
            self.known = false;
        }
        self.inner.clear_region(clear_type)
    }

    fn size(&self) -> Result<Size, Self::Error> {
        self.inner.size()
    }

    fn window_size(&mut self) -> Result<WindowSize, Self::Error> {
        self.inner.window_size()
    }

    fn flush(&mut self) -> Result<(), Self::Error> {
        self.inner.flush()
    }
}

impl<B: io::Write> io::Write for Compact<B> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.inner.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        io::Write::flush(&mut self.inner)
    }
}

#[cfg(test)]
mod tests {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ratatui::widgets::Paragraph;

    use super::*;

    /// The screen drawn through `Compact` is the screen drawn directly.
    #[test]
    fn the_screen_is_the_same() {
        let frames = [
            "abc def ghi jkl",
            "abX def gYi jkZ",
            "a",
            "zzzzzzzzzzzzzzzzzzzz",
        ];
        let mut direct = Terminal::new(TestBackend::new(20, 2)).expect("terminal");
        let mut compact = Terminal::new(Compact::new(TestBackend::new(20, 2))).expect("terminal");
        for text in frames {
            direct
                .draw(|f| f.render_widget(Paragraph::new(text), f.area()))
                .expect("draw");
            compact
                .draw(|f| f.render_widget(Paragraph::new(text), f.area()))
                .expect("draw");
            assert_eq!(direct.backend().buffer(), compact.backend().inner.buffer());
        }
    }

    /// A first frame whose lower row is wider than the one above, then a
    /// change on each side of an unchanged cell of that row: the cell
    /// rewritten from memory is the one on screen (it once came from the
    /// wrong row, and a letter showed as a space).
    #[test]
    fn a_wider_row_below_keeps_every_cell_in_place() {
        let frames = ["x\nabcdefghijklmnop", "x\nXbZdefghijklmnop"];
        let mut direct = Terminal::new(TestBackend::new(20, 2)).expect("terminal");
        let mut compact = Terminal::new(Compact::new(TestBackend::new(20, 2))).expect("terminal");
        for text in frames {
            direct
                .draw(|f| f.render_widget(Paragraph::new(text), f.area()))
                .expect("draw");
            compact
                .draw(|f| f.render_widget(Paragraph::new(text), f.area()))
                .expect("draw");
            assert_eq!(direct.backend().buffer(), compact.backend().inner.buffer());
        }
    }
}
