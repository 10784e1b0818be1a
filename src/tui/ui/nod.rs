//! The list of the cases with nothing to discuss (`V`), then what was
//! done. Drawing only reads the state.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget, Wrap};

use super::layout::centred;
use crate::text::screen;
use crate::tui::app::{App, NodState};
use crate::tui::keys::Context;

pub fn render(app: &App, n: &NodState, area: Rect, buf: &mut Buffer) {
    let lang = app.lang();
    let theme = &app.opts.theme;
    let width = 76.min(area.width);
    // The list, a blank line, the keys (up to three lines), the borders.
    let want = u16::try_from(n.cases.len() + 6).unwrap_or(u16::MAX);
    let r = centred(area, width, want.min(area.height.saturating_sub(2)));
    Clear.render(r, buf);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(screen::nod_title(lang, n.cases.len()))
        .title_style(theme.title);
    let inner = block.inner(r);
    block.render(r, buf);
    let keys = super::key_sentence(app, Context::Nod);
    let keys_h = {
        use unicode_width::UnicodeWidthStr;
        keys.width()
            .div_ceil(usize::from(inner.width).max(1))
            .max(1)
    };
    let mut lines = Vec::new();
    if let Some(done) = &n.done {
        lines.push(Line::from(Span::styled(done.clone(), theme.title)));
    } else {
        // Room for the list, a blank line and the keys (as they wrap).
        let room = usize::from(inner.height).saturating_sub(1 + keys_h);
        let shown = if n.cases.len() > room {
            room.saturating_sub(1)
        } else {
            n.cases.len()
        };
        for (_, label) in n.cases.iter().take(shown) {
            lines.push(Line::from(vec![
                Span::styled("✓ ", theme.ok),
                Span::raw(label.clone()),
            ]));
        }
        if shown < n.cases.len() {
            lines.push(Line::from(Span::styled(
                screen::nod_more(lang, n.cases.len() - shown),
                theme.muted,
            )));
        }
    }
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(keys, theme.muted)));
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .render(inner, buf);
}
