//! The conflicting file values dialog (F): each file value beside the
//! stored one, where it came from and why it lost; lines the role may not
//! choose on are dimmed, with the reason. Drawing only reads the state.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget, Wrap};
use unicode_width::UnicodeWidthStr;

use super::layout::centred;
use crate::domain::text::sanitize_line;
use crate::text::screen::{self, resolve_texts};
use crate::tui::action::Action;
use crate::tui::app::{App, ResolveRow, ResolveState};
use crate::tui::keys::{Context, keys_of};

pub fn render(app: &App, r: &ResolveState, area: Rect, buf: &mut Buffer) {
    let lang = app.lang();
    let t = resolve_texts(lang);
    let theme = &app.opts.theme;
    let width = 100.min(area.width);
    let inner_w = usize::from(width.saturating_sub(2)).max(1);
    let intro = vec![Line::from(Span::styled(t.intro, theme.muted))];
    let blocks: Vec<Vec<Line>> = r
        .rows
        .iter()
        .enumerate()
        .map(|(i, row)| row_lines(app, row, i == r.selected))
        .collect();
    let foot = vec![foot_line(app, r)];
    let heights: Vec<usize> = blocks.iter().map(|b| height(b, inner_w)).collect();
    let (intro_h, foot_h) = (height(&intro, inner_w), height(&foot, inner_w));
    let wanted = intro_h + 1 + heights.iter().sum::<usize>() + foot_h + 2;
    let rect = centred(
        area,
        width,
        u16::try_from(wanted)
            .unwrap_or(u16::MAX)
            .min(area.height.saturating_sub(2)),
    );
    Clear.render(rect, buf);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(format!("{} — {}", t.title, sanitize_line(&r.label)))
        .title_style(theme.title);
    let inner = block.inner(rect);
    block.render(rect, buf);
    let as_u16 = |n: usize| u16::try_from(n).unwrap_or(u16::MAX);
    let [intro_area, _, list, foot_area] = Layout::vertical([
        Constraint::Length(as_u16(intro_h)),
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(as_u16(foot_h)),
    ])
    .areas(inner);
    let wrap = Wrap { trim: false };
    Paragraph::new(intro).wrap(wrap).render(intro_area, buf);
    // From the first value that leaves the selected one whole on screen.
    let room = usize::from(list.height);
    let mut start = r.selected.min(blocks.len().saturating_sub(1));
    let mut used = heights.get(start).copied().unwrap_or(0);
    while start > 0 && used + heights[start - 1] <= room {
        start -= 1;
        used += heights[start];
    }
    let lines: Vec<Line> = blocks.into_iter().skip(start).flatten().collect();
    Paragraph::new(lines).wrap(wrap).render(list, buf);
    Paragraph::new(foot).wrap(wrap).render(foot_area, buf);
}

/// A pending value: its item, the stored value, the file's, where it came
/// from and why it lost; dimmed when the role may not choose on it.
fn row_lines(app: &App, row: &ResolveRow, selected: bool) -> Vec<Line<'static>> {
    let t = resolve_texts(app.lang());
    let theme = &app.opts.theme;
    let allowed = app.may(row.permission);
    let (head, body) = match (selected, allowed) {
        (true, true) => (theme.selected, theme.base),
        (true, false) => (theme.selected, theme.muted),
        (false, true) => (theme.title, theme.base),
        (false, false) => (theme.muted, theme.muted),
    };
    let mark = if selected { "▶ " } else { "  " };
    let w = t.stored.chars().count().max(t.file.chars().count());
    let stored = row.stored.as_deref().unwrap_or(t.nothing_stored);
    vec![
        Line::from(Span::styled(format!("{mark}{}", row.item), head)),
        Line::from(Span::styled(format!("    {:<w$} {stored}", t.stored), body)),
        Line::from(Span::styled(
            format!("    {:<w$} {}", t.file, row.file),
            body,
        )),
        Line::from(Span::styled(
            format!("    {:<w$} {}", "", row.origin),
            theme.muted,
        )),
        Line::from(""),
    ]
}

/// Under the list: the question after k or t; else why the role may not
/// choose on the selected value; else the keys.
fn foot_line(app: &App, r: &ResolveState) -> Line<'static> {
    let lang = app.lang();
    let t = resolve_texts(lang);
    let theme = &app.opts.theme;
    let Some(row) = r.current() else {
        return Line::from("");
    };
    match r.confirming {
        Some(choice) => Line::from(Span::styled(
            screen::resolve_confirm(
                lang,
                choice,
                &row.item,
                row.stored.as_deref().unwrap_or(t.nothing_stored),
                &row.file,
                &keys_of(Context::ResolveConfirm, Action::Submit, lang),
                &keys_of(Context::ResolveConfirm, Action::Dismiss, lang),
            ),
            theme.alert,
        )),
        None if !app.may(row.permission) => Line::from(Span::styled(
            screen::not_allowed(lang, app.role, app.disabled, row.permission),
            theme.advisory,
        )),
        None => Line::from(
            [Action::KeepStored, Action::TakeFile, Action::Close]
                .iter()
                .flat_map(|a| {
                    [
                        Span::styled(keys_of(Context::Resolve, *a, lang), theme.key),
                        Span::raw(format!(
                            " {}  ",
                            screen::action_in(lang, Context::Resolve, *a)
                        )),
                    ]
                })
                .collect::<Vec<_>>(),
        ),
    }
}

/// Rows `lines` take once wrapped at `width` (word by word, as drawn).
fn height(lines: &[Line<'_>], width: usize) -> usize {
    lines
        .iter()
        .map(|l| {
            let text: String = l.spans.iter().map(|s| s.content.as_ref()).collect();
            wrapped_rows(&text, width)
        })
        .sum()
}

fn wrapped_rows(text: &str, width: usize) -> usize {
    let mut rows = 1;
    let mut used = 0;
    for word in text.split(' ') {
        let w = word.width();
        if used > 0 && used + 1 + w > width {
            rows += 1;
            used = w;
        } else if used > 0 {
            used += 1 + w;
        } else {
            used += w.max(1);
        }
        while used > width {
            rows += 1;
            used -= width;
        }
    }
    rows
}
