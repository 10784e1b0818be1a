//! The list `s` opens: every case, then the week's days, rooms and
//! operators, each with its count; the selected line highlighted, the
//! one the board shows now marked. Drawing only reads the state.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget};

use super::layout::centred;
use crate::text::screen;
use crate::tui::app::{App, NarrowState};
use crate::tui::keys::Context;

pub fn render(app: &App, s: &NarrowState, area: Rect, buf: &mut Buffer) {
    let lang = app.lang();
    let theme = &app.opts.theme;
    let mut items: Vec<(String, bool)> =
        vec![(screen::narrow_all(lang).to_owned(), app.narrow.is_none())];
    for (n, count) in &s.choices {
        items.push((
            format!("{} ({count})", screen::narrow_label(lang, n)),
            app.narrow.as_ref() == Some(n),
        ));
    }
    let rows = u16::try_from(items.len()).unwrap_or(u16::MAX);
    let rect = centred(
        area,
        64,
        rows.saturating_add(3).min(area.height.saturating_sub(2)),
    );
    Clear.render(rect, buf);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(screen::narrow_title(lang))
        .title_style(theme.title);
    let inner = block.inner(rect);
    block.render(rect, buf);
    let [list, foot] = Layout::vertical([Constraint::Fill(1), Constraint::Length(1)]).areas(inner);
    let room = usize::from(list.height).max(1);
    let start = s.selected.saturating_sub(room - 1);
    let lines: Vec<Line> = items
        .into_iter()
        .enumerate()
        .skip(start)
        .take(room)
        .map(|(i, (text, current))| {
            let style = if i == s.selected {
                theme.selected
            } else {
                theme.base
            };
            let mark = if current { "• " } else { "  " };
            Line::from(Span::styled(format!("{mark}{text}"), style))
        })
        .collect();
    Paragraph::new(lines).render(list, buf);
    Paragraph::new(super::hint_line(app, Context::Narrow, false, foot.width)).render(foot, buf);
}
