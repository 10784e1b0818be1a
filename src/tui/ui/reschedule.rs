//! The reschedule form (`r`): the case's slot now and the week it was
//! postponed to, then date, time and room, each with its refusal beside
//! it. Drawing only reads the state.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::form::boxed;
use super::layout::centred;
use crate::domain::slot::Part;
use crate::domain::text::{sanitize_line, sanitize_message};
use crate::text::screen::reschedule_texts;
use crate::text::typo::date_time;
use crate::tui::app::{App, RescheduleState};
use crate::tui::keys::Context;

/// Width of the label column.
const LABEL_W: usize = 10;

pub fn render(app: &App, r: &RescheduleState, area: Rect, buf: &mut Buffer) {
    let lang = app.lang();
    let theme = &app.opts.theme;
    let t = reschedule_texts(lang);
    let title = format!("{} — {}", t.title, r.label);
    let rect = centred(area, 90.min(area.width), 14.min(area.height));
    let inner = boxed(title, app, rect, buf);
    let [was, fields, why, error, keys] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Length(3),
        Constraint::Fill(1),
        Constraint::Length(2),
        Constraint::Length(1),
    ])
    .areas(inner);
    let postponed = format!(
        "{} {} · {} {}, {}",
        t.postponed_to,
        sanitize_line(&r.postponed_to),
        t.was,
        date_time(lang, r.was.at),
        sanitize_line(&r.was.room)
    );
    Paragraph::new(Span::styled(postponed, theme.muted))
        .wrap(Wrap { trim: true })
        .render(was, buf);
    let label = |p: Part| match p {
        Part::Date => t.date,
        Part::Time => t.time,
        Part::Room => t.room,
    };
    let lines: Vec<Line> = crate::tui::app::reschedule_parts()
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let focused = r.focus == i;
            let mark = if focused { "▶ " } else { "  " };
            let style = if focused { theme.key } else { theme.base };
            let cursor = if focused { "▏" } else { "" };
            let mut spans = vec![
                Span::styled(format!("{mark}{:<LABEL_W$}", label(*p)), style),
                Span::raw(format!("{}{cursor}", sanitize_line(&r.text(i)))),
            ];
            match r.errors.get(i).and_then(Option::as_ref) {
                Some(e) => spans.push(Span::styled(
                    format!("  {}", sanitize_message(e)),
                    theme.blocking,
                )),
                None if *p == Part::Date && focused => {
                    spans.push(Span::styled(format!("  ({})", t.date_forms), theme.muted));
                }
                None => {}
            }
            Line::from(spans)
        })
        .collect();
    Paragraph::new(lines).render(fields, buf);
    Paragraph::new(t.why)
        .style(theme.muted)
        .wrap(Wrap { trim: true })
        .render(why, buf);
    if let Some(e) = &r.error {
        let style = if r.confirming_drop {
            theme.advisory
        } else {
            theme.blocking
        };
        Paragraph::new(Span::styled(sanitize_message(e), style))
            .wrap(Wrap { trim: true })
            .render(error, buf);
    }
    Paragraph::new(super::hint_line(
        app,
        Context::Reschedule,
        false,
        keys.width,
    ))
    .render(keys, buf);
}
