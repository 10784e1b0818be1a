//! The procedure form: the access route, one choice, with what is saved and
//! who set it. Drawing only reads the state.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::form::boxed;
use super::layout::centred;
use crate::domain::record::StoredCase;
use crate::domain::roles::Permission;
use crate::domain::text::{sanitize_line, sanitize_message};
use crate::domain::time::local_time;
use crate::domain::vocab::Access;
use crate::text::screen::{self, form_texts, procedure_texts};
use crate::tui::app::{App, ProcedureState};
use crate::tui::keys::Context;

/// Width of the label column.
const LABEL_W: usize = 30;

pub fn render(app: &App, p: &ProcedureState, area: Rect, buf: &mut Buffer) {
    let lang = app.lang();
    let theme = &app.opts.theme;
    let t = procedure_texts(lang);
    let word = |a: Option<Access>| screen::choice(lang, a.map_or("", Access::as_str));
    let title = format!("{} — {}", t.title, p.label);
    let r = centred(area, 90.min(area.width), 11.min(area.height));
    let inner = boxed(title, app, r, buf);
    let [field, saved, why, error, keys] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(inner);
    Paragraph::new(Line::from(vec![
        Span::styled(format!("{:<LABEL_W$}", t.access), theme.header),
        Span::styled(format!("◀ {} ▶", word(p.chosen)), theme.selected),
    ]))
    .render(field, buf);
    let who = p
        .set_by
        .as_ref()
        .map(|(by, at)| format!(" · {} {} · {at}", t.by, sanitize_line(by)))
        .unwrap_or_default();
    Paragraph::new(Span::styled(
        format!("{} {}{who}", t.saved_as, word(p.stored)),
        theme.muted,
    ))
    .render(saved, buf);
    Paragraph::new(t.why)
        .style(theme.muted)
        .wrap(Wrap { trim: true })
        .render(why, buf);
    if let Some(e) = &p.error {
        let style = if p.confirming_drop {
            theme.advisory
        } else {
            theme.blocking
        };
        Paragraph::new(Span::styled(sanitize_message(e), style)).render(error, buf);
    }
    Paragraph::new(super::hint_line(app, Context::Procedure, false, keys.width)).render(keys, buf);
}

/// The procedure form's line in the list of forms: the access recorded,
/// who recorded it and when.
pub fn picker_line(app: &App, c: &StoredCase, selected: bool) -> Line<'static> {
    let lang = app.lang();
    let theme = &app.opts.theme;
    let t = form_texts(lang);
    let state = match (c.file.procedure.access, &c.access_set) {
        (Some(a), Some(s)) => format!(
            "{} · {} {} · {}",
            screen::choice(lang, a.as_str()),
            t.recorded_by,
            sanitize_line(&s.login),
            local_time(&s.at, app.data.tz)
        ),
        (Some(a), None) => screen::choice(lang, a.as_str()),
        (None, _) => t.not_recorded.to_owned(),
    };
    let mark = if selected { "▶ " } else { "  " };
    let text = format!("{mark}{:<36} {state}", procedure_texts(lang).title);
    let style = match (selected, app.may(Permission::RecordEvidence)) {
        (true, _) => theme.selected,
        (false, true) => theme.base,
        (false, false) => theme.muted,
    };
    Line::from(Span::styled(text, style))
}
