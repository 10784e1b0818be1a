//! The day of the procedure on screen (issue 15 §1): the detail pane's
//! section and the `d` form. Drawing only reads the state.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::form::boxed;
use super::layout::centred;
use crate::domain::outcome::{DayRow, Outcome};
use crate::domain::text::{sanitize_line, sanitize_message};
use crate::domain::time::local_time;
use crate::text::day::texts;
use crate::text::typo::{Medium, finish};
use crate::tui::app::{App, DayField, DayState};

/// The detail pane's "Day of procedure" lines of a case whose day is
/// recorded (pseudonymised: its free texts left out).
pub fn detail_lines(app: &App, day: &DayRow) -> Vec<Line<'static>> {
    let lang = app.lang();
    let theme = &app.opts.theme;
    let t = texts(lang);
    let left_out = crate::text::screen::left_out(lang);
    let mut record = day.record.clone();
    if app.data.pseudonymised {
        if let Outcome::NotPerformed(n) = &mut record.outcome
            && n.text.is_some()
        {
            n.text = Some(left_out.to_owned());
        }
        if let Some(c) = &mut record.complication {
            c.text = left_out.to_owned();
        }
    }
    let screen = |s: &str| sanitize_line(&finish(lang, Medium::Screen, s));
    let mut lines = vec![
        Line::from(Span::styled(t.section.to_owned(), theme.header)),
        Line::from(screen(&crate::text::day::outcome(lang, &record.outcome))),
    ];
    if let Some(c) = &record.complication {
        lines.push(Line::from(Span::styled(
            screen(&crate::text::day::complication_line(lang, c)),
            theme.advisory,
        )));
    }
    lines.push(Line::from(Span::styled(
        format!(
            "{} {} · {}",
            t.recorded_by,
            sanitize_line(&day.recorded_by),
            local_time(&day.recorded_at, app.data.tz)
        ),
        theme.muted,
    )));
    lines
}

/// A field's label.
fn label(f: DayField, lang: crate::domain::message::Lang) -> &'static str {
    let t = texts(lang);
    match f {
        DayField::Outcome => t.outcome,
        DayField::At => t.at,
        DayField::Operator => t.operator,
        DayField::Duration => t.duration,
        DayField::Reason => t.reason,
        DayField::Text => t.text,
        DayField::Grade => t.grade,
        DayField::ComplicationText => t.complication_text,
        DayField::Techniques => t.techniques,
        DayField::Anaesthesia => t.anaesthesia,
    }
}

/// Width of the label column.
const LABEL_W: usize = 14;

pub fn render(app: &App, s: &DayState, area: Rect, buf: &mut Buffer) {
    let lang = app.lang();
    let theme = &app.opts.theme;
    let t = texts(lang);
    let title = format!("{} — {}", t.title, s.label);
    let fields = s.fields();
    let rows = u16::try_from(fields.len()).unwrap_or(8);
    let rect = centred(area, 90.min(area.width), (rows + 10).min(area.height));
    let inner = boxed(title, app, rect, buf);
    let [plan, form, why, error, keys] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Length(rows),
        Constraint::Fill(1),
        Constraint::Length(2),
        Constraint::Length(1),
    ])
    .areas(inner);
    let planned = format!(
        "{}{} {}",
        t.as_planned,
        crate::text::typo::colon(lang),
        crate::text::day::as_done(lang, &s.planned.0, s.planned.1)
    );
    Paragraph::new(Span::styled(planned, theme.muted))
        .wrap(Wrap { trim: true })
        .render(plan, buf);
    let lines: Vec<Line> = fields
        .iter()
        .map(|f| {
            let focused = s.focused() == Some(*f);
            let mark = if focused { "▶ " } else { "  " };
            let style = if focused { theme.key } else { theme.base };
            let value = s.shown(*f, lang);
            let value = if focused && !s.is_choice(*f) {
                format!("{value}▏")
            } else {
                value
            };
            Line::from(vec![
                Span::styled(format!("{mark}{:<LABEL_W$}", label(*f, lang)), style),
                Span::raw(sanitize_line(&value)),
            ])
        })
        .collect();
    Paragraph::new(lines).render(form, buf);
    Paragraph::new(t.why)
        .style(theme.muted)
        .wrap(Wrap { trim: true })
        .render(why, buf);
    if let Some(e) = &s.error {
        let style = if s.confirming_drop {
            theme.advisory
        } else {
            theme.blocking
        };
        Paragraph::new(Span::styled(sanitize_message(e), style))
            .wrap(Wrap { trim: true })
            .render(error, buf);
    }
    Paragraph::new(super::hint_line(app, s.context(), false, keys.width)).render(keys, buf);
}
