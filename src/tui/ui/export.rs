//! The attendance list and the export dialog. Drawing only reads the state.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget, Wrap};

use super::layout::centred;
use crate::domain::text::{sanitize_line, sanitize_message};
use crate::text::screen::export_texts;
use crate::tui::app::{App, AttendanceState, ExportField, ExportState};

fn boxed(title: &str, app: &App, r: Rect, buf: &mut Buffer) -> Rect {
    Clear.render(r, buf);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(sanitize_line(title))
        .title_style(app.opts.theme.title);
    let inner = block.inner(r);
    block.render(r, buf);
    inner
}

pub fn attendance(app: &App, a: &AttendanceState, area: Rect, buf: &mut Buffer) {
    let t = export_texts(app.lang());
    let theme = &app.opts.theme;
    let height = u16::try_from(a.rows.len() + 7)
        .unwrap_or(u16::MAX)
        .min(area.height.saturating_sub(2));
    let r = centred(area, 76.min(area.width), height);
    let title = format!("{} · {}", t.attendance_title, a.week);
    let inner = boxed(&title, app, r, buf);
    let mut lines = Vec::new();
    let visible = usize::from(inner.height.saturating_sub(5));
    // The typed-name line is below the list: on it, the list's end shows.
    let last = a.selected.min(a.rows.len().saturating_sub(1));
    let start = (last + 1).saturating_sub(visible);
    for (i, (p, ticked)) in a.rows.iter().enumerate().skip(start).take(visible) {
        let mark = if *ticked { "[x]" } else { "[ ]" };
        let who = match (&p.login, p.role) {
            (Some(l), _) => format!("{} ({})", sanitize_line(&p.name), sanitize_line(l)),
            (None, Some(r)) => format!("{} ({})", sanitize_line(&p.name), r.label(app.lang())),
            (None, None) => sanitize_line(&p.name),
        };
        let style = if i == a.selected {
            theme.selected
        } else {
            theme.base
        };
        lines.push(Line::from(Span::styled(format!(" {mark} {who}"), style)));
    }
    let input_style = if a.on_input() { theme.key } else { theme.base };
    let mut input_line = vec![Span::styled(format!(" {} ", t.add_name), input_style)];
    let typed = sanitize_line(&a.input.lines().join(" "));
    let cursor = if a.on_input() { "▏" } else { "" };
    input_line.push(Span::styled(format!("{typed}{cursor}"), theme.selected));
    lines.push(Line::from(input_line));
    lines.push(Line::from(""));
    if let Some(e) = &a.error {
        lines.push(Line::from(Span::styled(
            sanitize_message(e),
            theme.blocking,
        )));
    }
    let lang = app.lang();
    let hint = crate::text::screen::attendance_hint(
        lang,
        &crate::tui::keys::keys_of(
            crate::tui::keys::Context::Attendance,
            crate::tui::action::Action::Toggle,
            lang,
        ),
        &crate::tui::keys::keys_of(
            crate::tui::keys::Context::AttendanceName,
            crate::tui::action::Action::Submit,
            lang,
        ),
        &crate::tui::keys::keys_of(
            crate::tui::keys::Context::Attendance,
            crate::tui::action::Action::ChoiceNext,
            lang,
        ),
        &crate::tui::keys::keys_of(
            crate::tui::keys::Context::Attendance,
            crate::tui::action::Action::Submit,
            lang,
        ),
    );
    lines.push(Line::from(Span::styled(hint, theme.muted)));
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .render(inner, buf);
}

pub fn export(app: &App, x: &ExportState, area: Rect, buf: &mut Buffer) {
    let t = export_texts(app.lang());
    let theme = &app.opts.theme;
    let r = centred(area, 96.min(area.width), 12);
    let title = format!("{} · {}", t.export_title, app.week());
    let inner = boxed(&title, app, r, buf);
    let yes_no = |b: bool| if b { t.yes } else { t.no };
    let formats: Vec<String> = crate::export::Format::ALL
        .iter()
        .map(|f| {
            if *f == x.format {
                format!("[{}]", f.as_str())
            } else {
                f.as_str().to_owned()
            }
        })
        .collect();
    let content = if x.minutes { t.minutes } else { t.programme };
    let pseudo = if x.pseudonymise_fixed {
        format!("{} {}", yes_no(x.pseudonymise), t.viewer_pseudonymised)
    } else {
        yes_no(x.pseudonymise).to_owned()
    };
    let row = |field: ExportField, label: &str, value: String| {
        let focused = x.focus == field;
        let mark = if focused { "▶ " } else { "  " };
        let style = if focused { theme.key } else { theme.base };
        Line::from(vec![
            Span::styled(format!("{mark}{label:<16}"), style),
            Span::raw(if focused && field != ExportField::File {
                format!("◀ {value} ▶")
            } else {
                value
            }),
        ])
    };
    let file = x.file_text();
    let cursor = if x.focus == ExportField::File {
        "▏"
    } else {
        ""
    };
    let mut lines = vec![
        row(ExportField::Format, t.format, formats.join("  ")),
        row(ExportField::Minutes, t.content, content.to_owned()),
        row(ExportField::Pseudonymise, t.pseudonymise, pseudo),
        row(ExportField::File, t.file, format!("{file}{cursor}")),
        Line::from(""),
    ];
    if let Some(e) = &x.error {
        lines.push(Line::from(Span::styled(
            sanitize_message(e),
            theme.blocking,
        )));
    }
    lines.push(Line::from(Span::styled(t.export_hint, theme.muted)));
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .render(inner, buf);
}
