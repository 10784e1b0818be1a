//! What covers the board: the help (generated from the key table) and the
//! dialogs.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget, Wrap};

use super::layout::centred;
use crate::domain::text::{sanitize_line, sanitize_message};
use crate::text::screen::{self, ui};
use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::dialog::{Dialog, Field, Kind};
use crate::tui::keys::{BINDINGS, Context};

/// The help's box: centred, two rows short of the screen.
fn help_rect(area: Rect) -> Rect {
    centred(area, 84, area.height.saturating_sub(2))
}

/// The help's title and its lines, wrapped to `width` columns (a key's
/// description continues under itself), so that its length is known.
fn help_lines(app: &App, width: usize) -> (String, Vec<Line<'static>>) {
    use crate::text::Label;
    let lang = app.lang();
    let t = ui(lang);
    let theme = &app.opts.theme;
    let mut lines = Vec::new();
    let heading = |lines: &mut Vec<Line<'static>>, name: &str| {
        lines.push(Line::from(Span::styled(name.to_owned(), theme.header)));
    };
    // A line of legend: indented by two, wrapped.
    let text = |lines: &mut Vec<Line<'static>>, s: &str| {
        for l in super::rules::wrap(s, width.saturating_sub(2)) {
            lines.push(Line::from(format!("  {l}")));
        }
    };
    const KEYS_W: usize = 25;
    for context in Context::ALL {
        // Pseudonymised, the search says what it matches.
        let name = match context {
            Context::Search => super::search_label(app),
            _ => screen::context_name(lang, context),
        };
        // The key that opens it, from the table.
        let name = match crate::tui::keys::opened_by(context) {
            Some(action) => format!(
                "{name} ({})",
                crate::tui::keys::keys_of(Context::Board, action, lang)
            ),
            None => name.to_owned(),
        };
        heading(&mut lines, &name);
        for b in BINDINGS.iter().filter(|b| b.context == context) {
            let keys: Vec<String> = b.keys.iter().map(|k| k.label(lang)).collect();
            let what = screen::action_in(lang, context, b.action);
            let rows = super::rules::wrap(what, width.saturating_sub(KEYS_W).max(10));
            for (i, row) in rows.into_iter().enumerate() {
                let keys = if i == 0 {
                    keys.join(" / ")
                } else {
                    String::new()
                };
                lines.push(Line::from(vec![
                    Span::styled(format!("  {keys:<22} "), theme.key),
                    Span::raw(row),
                ]));
            }
        }
        lines.push(Line::from(""));
    }
    heading(&mut lines, screen::context_name(lang, Context::Choice));
    text(&mut lines, screen::letter_choice(lang));
    lines.push(Line::from(""));
    heading(&mut lines, t.help_markers);
    text(&mut lines, t.markers);
    lines.push(Line::from(""));
    heading(&mut lines, screen::help_scores(lang));
    for l in screen::help_score_lines(lang) {
        text(&mut lines, l);
    }
    lines.push(Line::from(""));
    heading(&mut lines, screen::help_techniques(lang));
    for tech in crate::domain::vocab::Technique::ALL {
        let code = super::board::abbrev(*tech);
        // Short enough for any box: not wrapped, the codes aligned.
        lines.push(Line::from(format!("  {code:<5} {}", tech.label(lang))));
    }
    // Pseudonymised: said in the title too (the help covers the header).
    let title = if app.data.pseudonymised {
        lines.push(Line::from(""));
        heading(&mut lines, screen::pseudonymised(lang));
        text(&mut lines, screen::pseudonymised_help(lang));
        format!("{} · {}", t.help_title, screen::pseudonymised(lang))
    } else {
        t.help_title.to_owned()
    };
    (title, lines)
}

/// How far the help scrolls (its last line at the bottom of its box),
/// and how many lines its box shows, on a screen of `size`.
pub fn help_extent(app: &App, size: (u16, u16)) -> (u16, u16) {
    let r = help_rect(Rect::new(0, 0, size.0, size.1));
    let page = r.height.saturating_sub(2);
    let (_, lines) = help_lines(app, usize::from(r.width.saturating_sub(2)));
    let total = u16::try_from(lines.len()).unwrap_or(u16::MAX);
    (total.saturating_sub(page), page)
}

/// The help: every binding of the key table, by context, then the legend
/// of the board; the border says when more is above or below.
pub fn help(app: &App, area: Rect, scroll: u16, buf: &mut Buffer) {
    let lang = app.lang();
    let theme = &app.opts.theme;
    let r = help_rect(area);
    let (title, lines) = help_lines(app, usize::from(r.width.saturating_sub(2)));
    let page = r.height.saturating_sub(2);
    let total = u16::try_from(lines.len()).unwrap_or(u16::MAX);
    let scroll = scroll.min(total.saturating_sub(page));
    let mut block = Block::default().borders(Borders::ALL).title(title);
    if scroll > 0 {
        block = block.title_top(
            Line::from(Span::styled(screen::help_more(lang, false), theme.key)).right_aligned(),
        );
    }
    if scroll.saturating_add(page) < total {
        block = block.title_bottom(
            Line::from(Span::styled(screen::help_more(lang, true), theme.key)).right_aligned(),
        );
    }
    Clear.render(r, buf);
    Paragraph::new(lines)
        .block(block)
        .scroll((scroll, 0))
        .render(r, buf);
}

pub fn dialog(app: &App, d: &Dialog, area: Rect, buf: &mut Buffer) {
    let lang = app.lang();
    let t = ui(lang);
    let theme = &app.opts.theme;
    let title = match d.kind {
        Kind::Override => t.dlg_validate,
        Kind::Postpone => t.dlg_postpone,
        Kind::Cancel => t.dlg_cancel,
        Kind::Note => t.dlg_note,
        Kind::AckIdentity => crate::text::feeds::identity_dialog_title(lang),
        Kind::AckResult => crate::text::feeds::results_dialog_title(lang),
    };
    // The override dialog lists every blocking item: room for each wrapped
    // line, so that none is hidden.
    let width = 76.min(area.width);
    let inner_w = usize::from(width.saturating_sub(2)).max(1);
    let wrapped = |s: &str| {
        use unicode_width::UnicodeWidthStr;
        u16::try_from(s.width().div_ceil(inner_w).max(1)).unwrap_or(u16::MAX)
    };
    let extra = match d.kind {
        Kind::Override => {
            let items: u16 = d.blocking.iter().map(|b| wrapped(&format!("✗ {b}"))).sum();
            wrapped(t.dlg_validate_hint) + items + 1
        }
        // What the hospital's system changed: every line whole.
        Kind::AckIdentity => d.blocking.iter().map(|b| wrapped(&format!("! {b}"))).sum(),
        // The results listed: every line whole, the chosen one marked.
        Kind::AckResult => d.blocking.iter().map(|b| wrapped(&format!("▶ {b}"))).sum(),
        _ => 0,
    };
    let code_h = if d.has_code() { 3 } else { 0 };
    // Nothing typed in a confirmation alone: no text field.
    let text_h = match d.kind {
        _ if d.kind.typed() => 12,
        // The list's question on three lines, whole.
        Kind::AckResult => 6,
        _ => 5,
    };
    let r = centred(area, width, text_h + extra + code_h);
    Clear.render(r, buf);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(format!("{title} — {}", sanitize_line(&d.label)))
        .title_style(theme.title);
    let inner = block.inner(r);
    block.render(r, buf);

    let week_h = if d.has_week() { 3 } else { 0 };
    let [top, text, week, code, error, keys] = Layout::vertical([
        Constraint::Length(extra),
        if d.kind.typed() {
            Constraint::Fill(1)
        } else {
            Constraint::Length(0)
        },
        Constraint::Length(week_h),
        Constraint::Length(code_h),
        Constraint::Length(if d.kind.typed() { 2 } else { 3 }),
        Constraint::Length(1),
    ])
    .areas(inner);
    if d.kind == Kind::Override {
        let mut lines = vec![Line::from(t.dlg_validate_hint)];
        lines.extend(d.blocking.iter().map(|b| {
            Line::from(Span::styled(
                format!("✗ {}", sanitize_line(b)),
                theme.blocking,
            ))
        }));
        Paragraph::new(lines)
            .wrap(Wrap { trim: true })
            .render(top, buf);
    }
    if d.kind == Kind::AckIdentity {
        let lines: Vec<Line> = d
            .blocking
            .iter()
            .map(|b| {
                Line::from(Span::styled(
                    format!("! {}", sanitize_line(b)),
                    theme.advisory,
                ))
            })
            .collect();
        Paragraph::new(lines)
            .wrap(Wrap { trim: true })
            .render(top, buf);
    }
    if d.kind == Kind::AckResult {
        let lines: Vec<Line> = d
            .blocking
            .iter()
            .enumerate()
            .map(|(i, b)| {
                let (mark, style) = if i == d.pick {
                    ("▶", theme.key)
                } else {
                    (" ", theme.blocking)
                };
                Line::from(Span::styled(format!("{mark} {}", sanitize_line(b)), style))
            })
            .collect();
        Paragraph::new(lines)
            .wrap(Wrap { trim: true })
            .render(top, buf);
    }
    let label = match d.kind {
        Kind::Override => t.field_justification,
        Kind::Note | Kind::AckIdentity | Kind::AckResult => t.field_note,
        Kind::Postpone | Kind::Cancel => t.field_reason,
    };
    let focus_style = |f: Field| {
        if d.focus == f {
            theme.key
        } else {
            theme.border
        }
    };
    let mut area_text = d.text.clone();
    area_text.set_block(
        Block::default()
            .borders(Borders::ALL)
            .title(label)
            .border_style(focus_style(Field::Text)),
    );
    area_text.set_cursor_line_style(ratatui::style::Style::new());
    if d.focus != Field::Text {
        // One cursor on screen: the focused field's.
        area_text.set_cursor_style(ratatui::style::Style::new());
    }
    if d.kind.typed() {
        area_text.render(text, buf);
    }
    if d.has_week() {
        let mut w = d.week.clone();
        w.set_block(
            Block::default()
                .borders(Borders::ALL)
                .title(t.field_to_week)
                .border_style(focus_style(Field::Week)),
        );
        w.set_cursor_line_style(ratatui::style::Style::new());
        if d.focus != Field::Week {
            w.set_cursor_style(ratatui::style::Style::new());
        }
        w.render(week, buf);
    }
    if d.has_code() {
        let tab = crate::tui::keys::keys_of(Context::Dialog, Action::NextField, lang);
        let keys = crate::tui::app::code_keys(lang);
        let value = screen::code_value(lang, d.code, &tab, &keys);
        let style = if d.code.is_some() {
            ratatui::style::Style::new()
        } else {
            theme.border
        };
        Paragraph::new(Span::styled(value, style))
            .block(
                Block::default()
                    .borders(Borders::ALL)
                    .title(screen::code_field(lang))
                    .border_style(focus_style(Field::Code)),
            )
            .render(code, buf);
    }
    if let Some(e) = &d.error {
        Paragraph::new(Span::styled(sanitize_message(e), theme.blocking))
            .wrap(Wrap { trim: true })
            .render(error, buf);
    } else if d.confirming {
        let lang = app.lang();
        let key = |a| crate::tui::keys::keys_of(crate::tui::keys::Context::Dialog, a, lang);
        let (yes, no) = (
            key(crate::tui::action::Action::Submit),
            key(crate::tui::action::Action::Dismiss),
        );
        let ask = match d.kind {
            Kind::AckIdentity => crate::text::screen::identity_confirm(lang, &yes, &no),
            Kind::AckResult => {
                let key = |a| crate::tui::keys::keys_of(Context::LabAck, a, lang);
                let moves = format!("{} {}", key(Action::Up), key(Action::Down));
                crate::text::screen::results_confirm(
                    lang,
                    &key(Action::Submit),
                    &moves,
                    &key(Action::Dismiss),
                )
            }
            _ => crate::text::screen::cancel_confirm(lang, &yes, &no),
        };
        Paragraph::new(Span::styled(ask, theme.alert))
            .wrap(Wrap { trim: true })
            .render(error, buf);
        // The confirmation says which keys do what: no second hint line.
        return;
    }
    // Nothing typed in `L`'s list: its keys are the status line's, never
    // the typed dialogs' (save, new line).
    if d.kind == Kind::AckResult {
        return;
    }
    // As many whole hints as the dialog's width holds, never half of one.
    let actions: Vec<Action> = if d.on_code() {
        vec![
            Action::Submit,
            Action::Dismiss,
            Action::ChoiceNext,
            Action::ChoicePrev,
            Action::NextField,
        ]
    } else {
        [
            Action::Submit,
            Action::Dismiss,
            Action::NewLine,
            Action::NextField,
        ]
        .into_iter()
        .filter(|a| *a != Action::NextField || d.has_fields())
        .collect()
    };
    let context = if d.on_code() {
        Context::DialogChoice
    } else {
        Context::Dialog
    };
    Paragraph::new(super::form::hints(app, context, &actions, keys.width)).render(keys, buf);
}
