//! The chase list (t): one line per task — deadline, patient, what to do —
//! too late ones marked; the selected one highlighted. Drawing only reads
//! the state.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget};

use super::form::hints;
use super::layout::centred;
use crate::text::tasks as words;
use crate::tui::action::Action;
use crate::tui::app::{App, TasksState};
use crate::tui::keys::Context;

pub fn render(app: &App, s: &TasksState, area: Rect, buf: &mut Buffer) {
    let lang = app.lang();
    let theme = &app.opts.theme;
    let shown = s.shown();
    let width = 120.min(area.width);
    let height = area.height.saturating_sub(2);
    let rect = centred(area, width, height);
    Clear.render(rect, buf);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(words::screen_title(
            lang,
            &app.week().to_string(),
            s.mine,
            shown.len(),
            s.rows.len(),
        ))
        .title_style(theme.title);
    let inner = block.inner(rect);
    block.render(rect, buf);
    let [list, foot] = Layout::vertical([Constraint::Fill(1), Constraint::Length(1)]).areas(inner);
    let room = usize::from(list.height).max(1);
    let start = s.selected.saturating_sub(room - 1);
    let h = words::headings(lang);
    let mut lines: Vec<Line> = Vec::new();
    if shown.is_empty() {
        lines.push(Line::from(Span::styled(h.none, theme.muted)));
    }
    for (i, r) in shown.iter().enumerate().skip(start).take(room) {
        let style = if i == s.selected {
            theme.selected
        } else if r.too_late {
            theme.alert
        } else {
            theme.base
        };
        let late = if r.too_late {
            format!(
                " — {}",
                words::state(lang, crate::domain::tasks::State::TooLate)
            )
        } else {
            String::new()
        };
        lines.push(Line::from(Span::styled(
            format!("{:<17} {}  {}{late}", r.deadline, r.patient, r.task),
            style,
        )));
    }
    Paragraph::new(lines).render(list, buf);
    Paragraph::new(hints(
        app,
        Context::Tasks,
        &[Action::Open, Action::Mine, Action::Close],
        foot.width,
    ))
    .render(foot, buf);
}
