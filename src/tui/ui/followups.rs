//! The follow-up calls: each operator's heading with its count, then per
//! call two lines — the call, the patient, the case and the pain before;
//! the procedure, its date, due or overdue and the attempts — wrapped,
//! never cut (they carry dates); overdue calls marked, the selected one
//! highlighted. And the call form. Drawing only reads the state.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget, Wrap};

use super::form::boxed;
use super::layout::centred;
use super::rules::wrap;
use crate::domain::message::Lang;
use crate::domain::text::{sanitize_line, sanitize_message};
use crate::text::Label;
use crate::text::followup as words;
use crate::text::screen::{self, followup_texts};
use crate::tui::action::Action;
use crate::tui::app::{App, FollowUpField, FollowUpFormState, FollowUpRow, FollowUpsState};
use crate::tui::keys::{Context, keys_of};
use unicode_width::UnicodeWidthStr;

/// Where a call's lines start, under its operator's heading.
const INDENT: usize = 2;

pub fn list(app: &App, s: &FollowUpsState, area: Rect, buf: &mut Buffer) {
    let lang = app.lang();
    let theme = &app.opts.theme;
    let shown = s.shown();
    let rect = centred(area, 120.min(area.width), area.height.saturating_sub(2));
    Clear.render(rect, buf);
    // The M1 window in the title when it fits whole (never cut).
    let mut title = screen::followups_title(lang, s.today, false, s.mine, shown.len());
    if title.width() + 2 > usize::from(rect.width) {
        title = screen::followups_title(lang, s.today, true, s.mine, shown.len());
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .title(title)
        .title_style(theme.title);
    let inner = block.inner(rect);
    block.render(rect, buf);
    let width = usize::from(inner.width);
    let empty = if let Some(e) = &s.error {
        Some((sanitize_message(e), theme.blocking))
    } else if shown.is_empty() && s.mine && s.linked.is_empty() {
        let key = keys_of(Context::FollowUps, Action::Mine, lang);
        let text = screen::followups_no_link(lang, app.db().login(), &key);
        Some((text, theme.muted))
    } else if shown.is_empty() {
        Some((words::none(lang).to_owned(), theme.muted))
    } else {
        None
    };
    if let Some((text, style)) = empty {
        Paragraph::new(Span::styled(text, style))
            .wrap(Wrap { trim: true })
            .render(inner, buf);
        return;
    }
    // Each call's lines, its operator's heading before the first of a group.
    let mut blocks: Vec<(Option<String>, Vec<String>)> = Vec::new();
    for (i, r) in shown.iter().enumerate() {
        let heading = (i == 0 || shown[i - 1].operator != r.operator).then(|| {
            let n = shown.iter().filter(|o| o.operator == r.operator).count();
            sanitize_line(&words::operator(lang, &r.operator, n))
        });
        blocks.push((heading, row_lines(r, width)));
    }
    let room = usize::from(inner.height).max(1);
    let sizes: Vec<usize> = blocks
        .iter()
        .map(|(h, l)| l.len() + usize::from(h.is_some()))
        .collect();
    let mut lines: Vec<Line> = Vec::new();
    for (i, (heading, text)) in blocks
        .iter()
        .enumerate()
        .skip(first_row(&sizes, s.selected, room))
    {
        if let Some(h) = heading {
            lines.push(Line::from(Span::styled(h.clone(), theme.title)));
        }
        let style = if i == s.selected {
            theme.selected
        } else if shown[i].overdue {
            theme.alert
        } else {
            theme.base
        };
        lines.extend(
            text.iter()
                .map(|l| Line::from(Span::styled(l.clone(), style))),
        );
        if lines.len() >= room {
            break;
        }
    }
    Paragraph::new(lines).render(inner, buf);
}

/// A call's lines at `width` columns: who to call, then about what, both
/// wrapped under the patient (never cut: they carry dates).
fn row_lines(r: &FollowUpRow, width: usize) -> Vec<String> {
    let mark = if r.overdue { "!" } else { " " };
    let head = format!("{mark} {:<4} ", r.call);
    let who = format!("{} · {} · {}", r.patient, r.external_id, r.pain);
    let mut what = format!("{}, {} — {}", r.procedure, r.date, r.state);
    if !r.attempts.is_empty() {
        what.push_str(" — ");
        what.push_str(&r.attempts);
    }
    let at = INDENT + head.chars().count();
    let room = width.saturating_sub(at).max(1);
    let under = " ".repeat(at);
    let mut out = Vec::new();
    for (i, l) in wrap(&sanitize_line(&who), room).into_iter().enumerate() {
        let lead = if i == 0 {
            format!("{}{head}", " ".repeat(INDENT))
        } else {
            under.clone()
        };
        out.push(format!("{lead}{l}"));
    }
    out.extend(
        wrap(&sanitize_line(&what), room)
            .into_iter()
            .map(|l| format!("{under}{l}")),
    );
    out
}

/// The first block drawn: the selected one and as many before it as fit.
fn first_row(sizes: &[usize], selected: usize, room: usize) -> usize {
    let Some(last) = sizes.len().checked_sub(1) else {
        return 0;
    };
    let selected = selected.min(last);
    let (mut used, mut first) = (0, selected);
    for i in (0..=selected).rev() {
        used += sizes[i];
        if used > room && i < selected {
            break;
        }
        first = i;
    }
    first
}

/// Width of the form's label column.
const LABEL_W: usize = 24;

pub fn form(app: &App, f: &FollowUpFormState, area: Rect, buf: &mut Buffer) {
    let lang = app.lang();
    let theme = &app.opts.theme;
    let t = followup_texts(lang);
    let c = &f.call;
    let title = format!("{} {} — {} · {}", t.title, c.call, c.patient, c.external_id);
    let rect = centred(area, 100.min(area.width), 18.min(area.height));
    let inner = boxed(title, app, rect, buf);
    let [facts, fields, on_file, error] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Length(7),
        Constraint::Length(1),
        Constraint::Fill(1),
    ])
    .areas(inner);
    let mut about = format!(
        "{} {} · {} · {} · {} {} · {}",
        t.performed, c.date, c.procedure, c.operator, t.pain_before, c.pain, c.state
    );
    if !c.attempts.is_empty() {
        about.push_str(" · ");
        about.push_str(&c.attempts);
    }
    Paragraph::new(Span::styled(sanitize_line(&about), theme.muted))
        .wrap(Wrap { trim: true })
        .render(facts, buf);
    let lines: Vec<Line> = FollowUpField::ALL
        .iter()
        .enumerate()
        .map(|(i, field)| field_line(app, f, i, *field))
        .collect();
    Paragraph::new(lines).render(fields, buf);
    if let Some(now) = f.on_file.as_ref().filter(|s| !s.is_empty()) {
        Paragraph::new(Span::styled(sanitize_message(now), theme.advisory)).render(on_file, buf);
    }
    if let Some(e) = &f.error {
        let style = if f.confirming_drop {
            theme.advisory
        } else {
            theme.blocking
        };
        Paragraph::new(Span::styled(sanitize_message(e), style))
            .wrap(Wrap { trim: true })
            .render(error, buf);
    }
}

fn field_line<'a>(app: &App, f: &FollowUpFormState, i: usize, field: FollowUpField) -> Line<'a> {
    let lang = app.lang();
    let theme = &app.opts.theme;
    let t = followup_texts(lang);
    let focused = f.focus == i;
    let label = match field {
        FollowUpField::Reached => t.reached,
        FollowUpField::Pain => t.pain,
        FollowUpField::Analgesics => t.analgesics,
        FollowUpField::Morphine => t.morphine,
        FollowUpField::Grade => t.grade,
        FollowUpField::Text => t.text,
    };
    let mark = if focused { "▶ " } else { "  " };
    let style = if focused { theme.key } else { theme.base };
    let value = value(lang, f, field);
    let cursor = if focused && !field.is_choice() {
        "▏"
    } else {
        ""
    };
    let arrows = if focused && field.is_choice() {
        format!("◀ {value} ▶")
    } else {
        format!("{value}{cursor}")
    };
    let mut spans = vec![
        Span::styled(format!("{mark}{label:<LABEL_W$}"), style),
        Span::raw(arrows),
    ];
    match f.errors.get(i).and_then(Option::as_ref) {
        Some(e) => spans.push(Span::styled(
            format!("  ✗ {}", sanitize_message(e)),
            theme.blocking,
        )),
        None if f.reached == Some(false) && field != FollowUpField::Reached => {
            spans.push(Span::styled(format!("  {}", t.not_asked), theme.muted));
        }
        None => {}
    }
    Line::from(spans)
}

/// A field's value as shown.
fn value(lang: Lang, f: &FollowUpFormState, field: FollowUpField) -> String {
    let t = followup_texts(lang);
    match field {
        FollowUpField::Reached => match f.reached {
            Some(true) => t.yes.to_owned(),
            Some(false) => t.no.to_owned(),
            None => t.unset.to_owned(),
        },
        FollowUpField::Analgesics => f.analgesics.map_or(t.unset, |a| a.label(lang)).to_owned(),
        FollowUpField::Grade => f.grade.map_or_else(
            || t.none.to_owned(),
            |g| crate::text::outcome::grade(lang, g),
        ),
        typed => sanitize_line(&f.text(typed)),
    }
}
