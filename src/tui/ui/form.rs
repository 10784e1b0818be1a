//! The dossier forms, the list they are chosen from, and the conflict
//! dialog (the rules table: `rules.rs`). Drawing only reads the state.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget, Wrap};

use super::layout::centred;
use super::patient::cut_end;
use crate::domain::edit::{FieldKind, GroupKind};
use crate::domain::record::EvidenceKind;
use crate::domain::roles::Permission;
use crate::domain::text::{sanitize_line, sanitize_message};
use crate::domain::time::local_time;
use crate::text::screen::{self, form_texts};
use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::form::FormState;
use crate::tui::keys::{Context, keys_of};

/// Width of the labels column.
const LABEL_W: usize = 30;
/// Rows of a field on several lines (a consent's "what was said").
const PARAGRAPH_ROWS: usize = 4;
/// Width of a value: one line, several lines.
const VALUE_W: u16 = 24;
const PARAGRAPH_W: u16 = 44;

pub(super) fn boxed(title: String, app: &App, r: Rect, buf: &mut Buffer) -> Rect {
    Clear.render(r, buf);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(sanitize_line(&title))
        .title_style(app.opts.theme.title);
    let inner = block.inner(r);
    block.render(r, buf);
    inner
}

/// The keys of `actions` in `context`, as many whole ones as fit in `width`.
pub(super) fn hints(app: &App, context: Context, actions: &[Action], width: u16) -> Line<'static> {
    let lang = app.lang();
    let theme = &app.opts.theme;
    let hints = actions
        .iter()
        .map(|a| {
            (
                *a,
                [
                    Span::styled(keys_of(context, *a, lang), theme.key),
                    Span::raw(format!(" {}", screen::hint_in(lang, context, *a))),
                ],
            )
        })
        .collect();
    super::status::fit(context, hints, width)
}

/// The list of a case's forms, with who recorded each and when.
pub fn picker(
    app: &App,
    case_id: i64,
    selected: usize,
    drafts: &[EvidenceKind],
    area: Rect,
    buf: &mut Buffer,
) {
    let lang = app.lang();
    let t = form_texts(lang);
    let theme = &app.opts.theme;
    let Some(c) = app.data.cases.iter().find(|c| c.id() == case_id) else {
        return;
    };
    let f = &c.stored.file;
    let title = format!(
        "{} — {} {} · {}",
        t.picker_title,
        f.patient.last_name.to_uppercase(),
        f.patient.first_name,
        f.external_id
    );
    let r = centred(area, 90.min(area.width), 13);
    let inner = boxed(title, app, r, buf);
    let mut lines = Vec::new();
    for (i, kind) in EvidenceKind::ALL.into_iter().enumerate() {
        let allowed = app.may(Permission::for_evidence(kind));
        let recorded = c.stored.recorded.iter().find(|r| r.kind == kind);
        let state = match recorded {
            Some(r) => format!(
                "{} {} · {}",
                t.recorded_by,
                sanitize_line(&r.by),
                local_time(&r.at, app.data.tz)
            ),
            None => t.not_recorded.to_owned(),
        };
        let mark = if i == selected { "▶ " } else { "  " };
        let draft = if drafts.contains(&kind) {
            format!(" · {}", t.draft_mark)
        } else {
            String::new()
        };
        let text = format!("{mark}{:<36} {state}{draft}", screen::evidence(lang, kind));
        let style = match (i == selected, allowed) {
            (true, _) => theme.selected,
            (false, true) => theme.base,
            (false, false) => theme.muted,
        };
        lines.push(Line::from(Span::styled(text, style)));
    }
    // Last, the procedure form: the access route.
    let on_procedure = selected % (EvidenceKind::ALL.len() + 1) == EvidenceKind::ALL.len();
    lines.push(super::procedure::picker_line(app, &c.stored, on_procedure));
    lines.push(Line::from(""));
    let needed = EvidenceKind::ALL
        .get(selected % (EvidenceKind::ALL.len() + 1))
        .map_or(Permission::RecordEvidence, |k| Permission::for_evidence(*k));
    if !app.may(needed) {
        let why = screen::not_allowed(lang, app.role, app.disabled, needed);
        lines.push(Line::from(Span::styled(why, theme.advisory)));
    } else {
        lines.push(Line::from(super::key_sentence(app, Context::Picker)));
    }
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .render(inner, buf);
}

/// One row of the form: a line heading, a field, or a further row of the
/// field above it (a field on several lines).
enum Row {
    Heading(String),
    Field(usize, usize),
    More,
}

fn rows(f: &FormState, lang: crate::domain::message::Lang) -> Vec<Row> {
    let mut out = Vec::new();
    let mut count = std::collections::HashMap::<GroupKind, usize>::new();
    if let Some(who) = &f.form.transcriber {
        out.push(Row::Heading(screen::transcription(
            lang,
            &sanitize_line(who),
        )));
    }
    for (gi, g) in f.form.groups.iter().enumerate() {
        if g.kind.repeats() {
            let n = count.entry(g.kind).or_default();
            *n += 1;
            out.push(Row::Heading(screen::line(lang, g.kind, *n)));
        }
        for (fi, spec) in g.kind.fields().iter().enumerate() {
            out.push(Row::Field(gi, fi));
            if spec.is_multiline() {
                out.extend((1..PARAGRAPH_ROWS).map(|_| Row::More));
            }
        }
    }
    out
}

/// A dossier form: one row per field, the refusal beside it, what the
/// focused field expects under the form.
pub fn render(app: &App, f: &FormState, area: Rect, buf: &mut Buffer) {
    let lang = app.lang();
    let theme = &app.opts.theme;
    let title = format!("{} — {}", screen::evidence(lang, f.kind), f.label);
    let all = rows(f, lang);
    let wanted = u16::try_from(all.len() + 8).unwrap_or(u16::MAX);
    let r = centred(
        area,
        100.min(area.width),
        wanted.min(area.height.saturating_sub(2)),
    );
    let inner = boxed(title, app, r, buf);
    let [body, expects, error, keys] = Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(3),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(inner);
    let focus_row = all
        .iter()
        .position(|r| matches!(r, Row::Field(g, x) if (*g, *x) == f.focus))
        .unwrap_or(0);
    let height = usize::from(body.height);
    // The focused field stays in view, all its rows (with its line's
    // heading when it fits).
    let focus_end = focus_row
        + all
            .iter()
            .skip(focus_row + 1)
            .take_while(|r| matches!(r, Row::More))
            .count();
    let start = (focus_end + 2).saturating_sub(height).min(focus_row);
    for (i, row) in all.iter().enumerate().skip(start).take(height) {
        let y = body.y + u16::try_from(i - start).unwrap_or(0);
        let line_area = Rect::new(body.x, y, body.width, 1);
        match row {
            Row::Heading(h) => {
                Paragraph::new(Span::styled(h.clone(), theme.header)).render(line_area, buf);
            }
            Row::Field(gi, fi) => {
                // A field on several lines takes its further rows too.
                let more = all
                    .iter()
                    .skip(i + 1)
                    .take_while(|r| matches!(r, Row::More));
                let rows = u16::try_from(1 + more.count()).unwrap_or(1);
                let rows = rows.min(body.y + body.height - y);
                let field_area = Rect::new(body.x, y, body.width, rows);
                field_row(app, f, (*gi, *fi), field_area, buf);
            }
            Row::More => {}
        }
    }
    if let Some(spec) = f.spec() {
        let key = |a| keys_of(Context::Choice, a, lang);
        let choose = format!("{}/{}", key(Action::ChoicePrev), key(Action::ChoiceNext));
        let mut text = screen::expects(lang, spec, &choose, &key(Action::ChoiceClear));
        if f.form
            .groups
            .get(f.focus.0)
            .is_some_and(|g| g.kind.repeats())
        {
            text = format!(
                "{text}\n{}",
                screen::list_hint(
                    lang,
                    &keys_of(Context::Form, Action::AddLine, lang),
                    &keys_of(Context::Form, Action::RemoveLine, lang)
                )
            );
        }
        Paragraph::new(text)
            .style(theme.muted)
            .wrap(Wrap { trim: true })
            .render(expects, buf);
    }
    // The focused field's refusal in full (beside the field it may be cut),
    // else the refusal of the whole save.
    let focused_error = f.errors.get(&f.focus).zip(f.spec()).map(|(e, spec)| {
        let kind = f.form.groups[f.focus.0].kind;
        format!(
            "✗ {}{} {}",
            screen::field(lang, kind, spec.key),
            screen::ui(lang).colon,
            screen::field_error(lang, e)
        )
    });
    if let Some(e) = focused_error.or_else(|| f.error.as_deref().map(sanitize_message)) {
        Paragraph::new(Span::styled(e, theme.blocking)).render(error, buf);
    } else if f.replacing_theirs {
        let t = form_texts(lang);
        Paragraph::new(Span::styled(t.replaces_theirs, theme.advisory)).render(error, buf);
    }
    let context = if f.on_choice() {
        Context::Choice
    } else {
        Context::Form
    };
    let actions: &[Action] = if f.on_choice() {
        &[
            Action::Submit,
            Action::Dismiss,
            Action::ChoiceNext,
            Action::NextField,
            Action::Revert,
        ]
    } else if f.on_multiline() {
        &[
            Action::Submit,
            Action::Dismiss,
            Action::NewLine,
            Action::NextField,
            Action::PrevField,
            Action::Revert,
        ]
    } else {
        &[
            Action::Submit,
            Action::Dismiss,
            Action::NextField,
            Action::PrevField,
            Action::Revert,
        ]
    };
    Paragraph::new(hints(app, context, actions, keys.width)).render(keys, buf);
    if f.conflict.is_some() {
        conflict(app, f, area, buf);
    }
}

fn field_row(app: &App, f: &FormState, (gi, fi): (usize, usize), area: Rect, buf: &mut Buffer) {
    let lang = app.lang();
    let theme = &app.opts.theme;
    let Some(g) = f.form.groups.get(gi) else {
        return;
    };
    let Some(spec) = g.kind.fields().get(fi) else {
        return;
    };
    let focused = (gi, fi) == f.focus && f.conflict.is_none();
    let mut label = screen::field(lang, g.kind, spec.key).to_owned();
    let here = f.form.required_here(g, spec.key);
    if (spec.required || here) && !(g.kind.repeats() && g.is_blank()) {
        label.push_str(" *");
    }
    let mark = if focused { "▶ " } else { "  " };
    let label_style = if focused { theme.key } else { theme.base };
    let label_text = format!("{mark}{label:<LABEL_W$} ");
    let label_w = u16::try_from(label_text.chars().count()).unwrap_or(area.width);
    let first_row = Rect::new(area.x, area.y, area.width, 1);
    Paragraph::new(Span::styled(label_text, label_style)).render(first_row, buf);
    let (value_w, value_h) = if spec.is_multiline() {
        (PARAGRAPH_W, area.height)
    } else {
        (VALUE_W, 1)
    };
    let value_w = value_w.min(area.width.saturating_sub(label_w));
    let value_area = Rect::new(area.x + label_w, area.y, value_w, value_h);
    let error = f.errors.get(&(gi, fi));
    if focused && !f.on_choice() {
        let mut input = f.input.clone();
        input.set_cursor_line_style(ratatui::style::Style::new());
        // Underlined, so that the cursor (reverse video) stays visible.
        input.set_style(
            ratatui::style::Style::new().add_modifier(ratatui::style::Modifier::UNDERLINED),
        );
        input.render(value_area, buf);
    } else {
        let value = f.value(gi, fi);
        let style = if focused { theme.selected } else { theme.base };
        // A value wider than its field ends with "…" (the value itself
        // is whole: the field shows it all when it has the cursor).
        let width = usize::from(value_area.width);
        if spec.is_multiline() {
            // Each line as typed, wrapped in the field's rows.
            let mut lines: Vec<Line> = value
                .split('\n')
                .flat_map(|l| {
                    super::status::wrap(
                        &Line::from(Span::styled(sanitize_line(l), style)),
                        value_area.width,
                    )
                })
                .collect();
            let rows = usize::from(value_area.height);
            if lines.len() > rows {
                lines.truncate(rows);
                if let Some(last) = lines.last_mut() {
                    let text = format!("{last}…");
                    // Ends with "…", cut shorter when the line is full.
                    *last = Line::from(Span::styled(cut_end(&text, width), style));
                }
            }
            Paragraph::new(lines).render(value_area, buf);
        } else {
            let shown = match spec.kind {
                FieldKind::Choice(_) if focused => format!(
                    "◀ {} ▶",
                    cut_end(&screen::choice(lang, &value), width.saturating_sub(4))
                ),
                FieldKind::Choice(_) => screen::choice(lang, &value),
                _ => sanitize_line(&f.shown(spec, &value)),
            };
            Paragraph::new(Span::styled(cut_end(&shown, width), style)).render(value_area, buf);
        }
    }
    if let Some(e) = error {
        let x = value_area.x + value_area.width + 1;
        let w = (area.x + area.width).saturating_sub(x);
        let text = format!("✗ {}", screen::field_error(lang, e));
        Paragraph::new(Span::styled(text, theme.blocking)).render(Rect::new(x, area.y, w, 1), buf);
    }
}

/// Someone saved the same item meanwhile: who, when, what they changed
/// (theirs against yours), and the three ways on.
fn conflict(app: &App, f: &FormState, area: Rect, buf: &mut Buffer) {
    let Some(c) = &f.conflict else {
        return;
    };
    let lang = app.lang();
    let t = form_texts(lang);
    let theme = &app.opts.theme;
    let mine = f.current();
    // Every field either side changed: theirs first, then only mine.
    let mut fields: Vec<(usize, GroupKind, &'static str)> = c
        .changes
        .iter()
        .map(|ch| (ch.group, ch.kind, ch.key))
        .collect();
    for ch in f.base.changes(&mine) {
        if !fields.contains(&(ch.group, ch.kind, ch.key)) {
            fields.push((ch.group, ch.kind, ch.key));
        }
    }
    let value = |form: &crate::domain::edit::Form, (g, kind, key): (usize, GroupKind, &str)| {
        form.groups
            .get(g)
            .filter(|x| x.kind == kind)
            .and_then(|x| {
                let i = x.kind.fields().iter().position(|s| s.key == key)?;
                x.values.get(i).map(|v| v.trim().to_owned())
            })
            .unwrap_or_default()
    };
    let no_merge_rows = if c.merged.is_some() { 0 } else { 4 };
    let wanted = u16::try_from(fields.len() + 7 + no_merge_rows).unwrap_or(u16::MAX);
    let r = centred(
        area,
        100.min(area.width),
        wanted.min(area.height.saturating_sub(2)),
    );
    let inner = boxed(t.conflict_title.to_owned(), app, r, buf);
    let [body, keys] = Layout::vertical([Constraint::Fill(1), Constraint::Length(1)]).areas(inner);
    let mut lines = vec![
        Line::from(screen::conflict_who(lang, &c.by, &c.at)),
        Line::from(""),
    ];
    // First, so that a long list of fields cannot push it out of sight.
    if c.merged.is_none() {
        let back = keys_of(Context::Conflict, Action::BackToEditing, lang);
        lines.push(Line::from(Span::styled(
            screen::no_merge(lang, &back),
            theme.advisory,
        )));
        lines.push(Line::from(""));
    }
    if fields.is_empty() {
        lines.push(Line::from(Span::styled(t.nothing_else, theme.muted)));
    }
    for field in &fields {
        let (g, kind, key) = *field;
        let show = |v: String| {
            let spec = kind.fields().iter().find(|s| s.key == key);
            match spec {
                Some(s) if matches!(s.kind, FieldKind::Choice(_)) => screen::choice(lang, &v),
                _ if v.is_empty() => "—".to_owned(),
                Some(s) => sanitize_line(&f.shown(s, &v)),
                None => sanitize_line(&v),
            }
        };
        let before = value(&f.base, *field);
        let theirs = value(&c.theirs, *field);
        let yours = value(&mine, *field);
        let name = screen::field(lang, kind, key);
        let colon = screen::ui(lang).colon;
        let heading = screen::line(lang, kind, 1 + line_number(f, g, kind));
        let place = if heading.is_empty() {
            name.to_owned()
        } else {
            format!("{heading} · {name}")
        };
        let marked = |changed: bool| if changed { theme.advisory } else { theme.base };
        lines.push(Line::from(vec![
            Span::styled(format!("{place}{colon} "), theme.header),
            Span::raw(format!("{} {}  ·  ", t.before, show(before.clone()))),
            Span::styled(
                format!("{} {}", t.theirs, show(theirs.clone())),
                marked(theirs != before),
            ),
            Span::raw("  ·  "),
            Span::styled(
                format!("{} {}", t.yours, show(yours.clone())),
                marked(yours != before),
            ),
        ]));
    }
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .render(body, buf);
    // The keys keep their own row: never cut by a long list.
    Paragraph::new(super::hint_line(app, Context::Conflict, false, keys.width)).render(keys, buf);
}

/// How many lines of `kind` come before line `group` (for "Drug 2").
fn line_number(f: &FormState, group: usize, kind: GroupKind) -> usize {
    f.base
        .groups
        .iter()
        .take(group)
        .filter(|g| g.kind == kind)
        .count()
}
