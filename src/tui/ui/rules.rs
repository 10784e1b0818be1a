//! The rules table: every row (rule, subject, risk, value, unit, severity,
//! source); the selected one editable by a chair. Drawing only reads the
//! state.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Span;
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::form::boxed;
use super::layout::centred;
use crate::domain::roles::Permission;
use crate::domain::text::sanitize_line;
use crate::tui::app::{App, RulesState};
use crate::tui::catalogue::{self, form_texts};
use crate::tui::keys::Context;

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
    let height = usize::from(body.height);
    let start = (r.selected + 1).saturating_sub(height);
    // The key column as wide as the longest key, so that the unit and the
    // severity stay in view.
    let key_width = r
        .rows
        .iter()
        .map(|row| crate::tui::app::rules_row_key(row).chars().count())
        .max()
        .unwrap_or(0);
    for (i, row) in r.rows.iter().enumerate().skip(start).take(height) {
        let y = body.y + u16::try_from(i - start).unwrap_or(0);
        let line = Rect::new(body.x, y, body.width, 1);
        let unit = catalogue::rule_unit(row.unit);
        let key = crate::tui::app::rules_row_key(row);
        let selected = i == r.selected;
        let mark = if selected { "▶ " } else { "  " };
        let head = format!("{mark}{key:<key_width$} ");
        let head_w = u16::try_from(head.chars().count()).unwrap_or(line.width);
        let style = if selected { theme.key } else { theme.base };
        Paragraph::new(Span::styled(head, style)).render(line, buf);
        let value_area = Rect::new(
            line.x + head_w,
            y,
            14.min(line.width.saturating_sub(head_w)),
            1,
        );
        match (&r.editing, selected) {
            (Some(input), true) => {
                let mut input = input.clone();
                input.set_cursor_line_style(ratatui::style::Style::new());
                input.set_style(theme.selected);
                input.render(value_area, buf);
            }
            _ => {
                Paragraph::new(crate::tui::app::rules_row_value(row)).render(value_area, buf);
            }
        }
        let rest_x = value_area.x + value_area.width + 1;
        let rest = Rect::new(rest_x, y, (line.x + line.width).saturating_sub(rest_x), 1);
        Paragraph::new(Span::styled(
            format!(
                "{unit} · {} · {}",
                row.severity.as_str(),
                sanitize_line(&row.source)
            ),
            theme.muted,
        ))
        .render(rest, buf);
    }
    if let Some(e) = &r.error {
        Paragraph::new(Span::styled(sanitize_line(e), theme.blocking))
            .wrap(Wrap { trim: true })
            .render(error, buf);
    } else if !app.may(Permission::ManageRules) {
        let why = catalogue::not_allowed(lang, app.role, app.disabled, Permission::ManageRules);
        Paragraph::new(Span::styled(why, theme.muted)).render(error, buf);
    }
    let context = if r.editing.is_some() {
        Context::RuleEdit
    } else {
        Context::Rules
    };
    Paragraph::new(super::hint_line(app, context, false)).render(keys, buf);
}
