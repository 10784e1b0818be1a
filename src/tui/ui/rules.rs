//! The rules table: every row (rule, subject, risk in words, then value,
//! severity, unit and source); the selected one editable by a chair.
//! Drawing only reads the state. The words column is capped and wraps, a
//! row as tall as its longest cell, so that the value and the severity stay
//! in view at 80 columns as at 120. The storage key (`medication.hold /
//! apixaban / low`) shows only under the value being edited.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Span;
use ratatui::widgets::{Paragraph, Widget, Wrap};
use unicode_width::UnicodeWidthStr;

use super::form::boxed;
use super::layout::centred;
use crate::domain::roles::Permission;
use crate::domain::text::{sanitize_line, sanitize_message};
use crate::text::screen::rules_table;
use crate::text::screen::{self, form_texts};
use crate::tui::app::{App, RulesState};
use crate::tui::keys::Context;

/// The value column (the editor's width too).
const VALUE_W: u16 = 10;
/// The severity column: `blocking`, `advisory`, `none` (`à signaler`: 10).
const SEVERITY_W: u16 = 10;
/// The unit and source take at most this many lines, or as many as the
/// rule's words; beyond, the source is cut with an ellipsis. The words of
/// the rule are never cut.
const TAIL_LINES: usize = 2;

/// The columns' x offsets and widths within the body.
struct Columns {
    words: u16,
    tail: u16,
}

fn columns(width: u16) -> Columns {
    // mark (2) + words + gap + value + gap + severity + gap + tail
    let fixed = 2 + VALUE_W + SEVERITY_W + 3;
    let free = width.saturating_sub(fixed);
    let words = (free * 11 / 20).max(16.min(free));
    Columns {
        words,
        tail: free.saturating_sub(words),
    }
}

/// `text` broken at spaces into lines of at most `width` columns; a word
/// wider than the column is broken inside.
pub(super) fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let sep = usize::from(!line.is_empty());
        if line.width() + sep + word.width() <= width {
            if sep == 1 {
                line.push(' ');
            }
            line.push_str(word);
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        for c in word.chars() {
            if line.width() + c.to_string().width() > width {
                lines.push(std::mem::take(&mut line));
            }
            line.push(c);
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// The lines of one row: the words, and the unit and source (cut to the
/// row's height).
fn row_lines(
    lang: crate::text::Lang,
    row: &crate::domain::rules::RuleRow,
    cols: &Columns,
) -> (Vec<String>, Vec<String>) {
    let words = wrap(&rules_table::row(lang, row), usize::from(cols.words));
    let tail_text = format!(
        "{} · {}",
        screen::rule_unit(lang, row.unit),
        sanitize_line(&row.source)
    );
    let mut tail = wrap(&tail_text, usize::from(cols.tail));
    let height = words.len().max(TAIL_LINES);
    if tail.len() > height {
        tail.truncate(height);
        if let Some(last) = tail.last_mut() {
            while last.width() + 1 > usize::from(cols.tail) && last.pop().is_some() {}
            last.push('…');
        }
    }
    (words, tail)
}

/// The rules table: every row; the selected one editable by a chair.
pub fn rules(app: &App, r: &RulesState, area: Rect, buf: &mut Buffer) {
    let lang = app.lang();
    let t = form_texts(lang);
    let theme = &app.opts.theme;
    let rect = centred(area, 110.min(area.width), area.height.saturating_sub(2));
    let inner = boxed(t.rules_title.to_owned(), app, rect, buf);
    let [body, error, keys] = Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(2),
        Constraint::Length(1),
    ])
    .areas(inner);
    let cols = columns(body.width);
    let lines: Vec<_> = r
        .rows
        .iter()
        .map(|row| row_lines(lang, row, &cols))
        .collect();
    let height_of = |i: usize| lines[i].0.len().max(lines[i].1.len());
    // The selected row at the bottom once the rows above fill the body.
    let mut start = r.selected.min(r.rows.len().saturating_sub(1));
    let mut used = if r.rows.is_empty() {
        0
    } else {
        height_of(start)
    };
    while start > 0 && used + height_of(start - 1) <= usize::from(body.height) {
        start -= 1;
        used += height_of(start);
    }
    let mut y = body.y;
    for (i, row) in r.rows.iter().enumerate().skip(start) {
        let h = u16::try_from(height_of(i)).unwrap_or(1);
        if y + h > body.y + body.height {
            break;
        }
        let selected = i == r.selected;
        let style = if selected { theme.key } else { theme.base };
        let (words, tail) = &lines[i];
        let mark = if selected { "▶ " } else { "  " };
        Paragraph::new(Span::styled(mark, style)).render(Rect::new(body.x, y, 2, 1), buf);
        let words_x = body.x + 2;
        let value_x = words_x + cols.words + 1;
        let severity_x = value_x + VALUE_W + 1;
        let tail_x = severity_x + SEVERITY_W + 1;
        for (k, text) in words.iter().enumerate() {
            let ly = y + u16::try_from(k).unwrap_or(0);
            Paragraph::new(Span::styled(text.as_str(), style))
                .render(Rect::new(words_x, ly, cols.words, 1), buf);
        }
        let value_area = Rect::new(value_x, y, VALUE_W, 1);
        match (&r.editing, selected) {
            (Some(input), true) => {
                let mut input = input.clone();
                input.set_cursor_line_style(ratatui::style::Style::new());
                input.set_style(theme.selected);
                input.render(value_area, buf);
            }
            _ => {
                Paragraph::new(crate::tui::app::rules_row_value(lang, row)).render(value_area, buf);
            }
        }
        Paragraph::new(Span::styled(
            screen::rule_severity(lang, row.severity),
            theme.muted,
        ))
        .render(Rect::new(severity_x, y, SEVERITY_W, 1), buf);
        for (k, text) in tail.iter().enumerate() {
            let ly = y + u16::try_from(k).unwrap_or(0);
            Paragraph::new(Span::styled(text.as_str(), theme.muted))
                .render(Rect::new(tail_x, ly, cols.tail, 1), buf);
        }
        y += h;
    }
    if let Some(e) = &r.error {
        Paragraph::new(Span::styled(sanitize_message(e), theme.blocking))
            .wrap(Wrap { trim: true })
            .render(error, buf);
    } else if let (Some(_), Some(row)) = (&r.editing, r.rows.get(r.selected)) {
        // The administrator's name for the row being edited.
        Paragraph::new(Span::styled(
            crate::tui::app::rules_row_key(row),
            theme.muted,
        ))
        .render(error, buf);
    } else if !app.may(Permission::ManageRules) {
        let why = screen::not_allowed(lang, app.role, app.disabled, Permission::ManageRules);
        Paragraph::new(Span::styled(why, theme.muted)).render(error, buf);
    }
    let context = if r.editing.is_some() {
        Context::RuleEdit
    } else {
        Context::Rules
    };
    Paragraph::new(super::hint_line(app, context, false, keys.width)).render(keys, buf);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_breaks_at_spaces_and_inside_a_long_word() {
        assert_eq!(wrap("a bb ccc", 4), ["a bb", "ccc"]);
        assert_eq!(wrap("abcdef", 4), ["abcd", "ef"]);
        assert_eq!(wrap("", 4), [""]);
    }

    #[test]
    fn the_value_and_the_severity_fit_at_80_and_120_columns() {
        for width in [78, 108] {
            let c = columns(width);
            assert!(c.words >= 16 && c.tail >= 10, "{width}");
            assert!(2 + c.words + VALUE_W + SEVERITY_W + 3 + c.tail <= width);
        }
    }
}
