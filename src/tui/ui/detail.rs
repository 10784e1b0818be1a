//! The selected case in full: patient, procedure, each dossier item with
//! its evidence and message, the scores with their breakdown, notes and
//! the decision history.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget, Wrap};

use super::board::{marker, marker_style};
use crate::domain::text::{sanitize, sanitize_line};
use crate::domain::time::local_time;
use crate::text::rules::access_name;
use crate::text::screen::ui;
use crate::text::words;
use crate::tui::app::App;

/// The detail pane's title and lines for one case: built once per change
/// of selection or data (`App::refresh_views`), not on every frame or
/// scroll key.
#[derive(Clone)]
pub struct DetailView {
    key: DetailKey,
    title: String,
    lines: Vec<Line<'static>>,
}

/// What the detail's lines depend on besides the options fixed at start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DetailKey {
    case: i64,
    /// `App::generation`: bumped whenever the week is (re)loaded.
    generation: u64,
    /// The case is marked as changed by someone else.
    changed: bool,
}

impl DetailView {
    /// What the view of the selected case would be built from; None when
    /// nothing is selected.
    pub fn key(app: &App) -> Option<DetailKey> {
        let c = app.current()?;
        Some(DetailKey {
            case: c.id(),
            generation: app.generation(),
            changed: app.changed.contains(&c.id()),
        })
    }

    pub fn build(app: &App) -> Option<DetailView> {
        let key = Self::key(app)?;
        let (title, lines) = content(app)?;
        Some(DetailView { key, title, lines })
    }

    /// Whether it still shows what `app` would show.
    pub fn is_current(&self, app: &App) -> bool {
        Self::key(app) == Some(self.key)
    }
}

/// The cached view when it is current, else one built now (a state that
/// changed without `refresh_views`, as in tests that set fields).
fn view(app: &App) -> Option<std::borrow::Cow<'_, DetailView>> {
    match app.detail_view() {
        Some(v) if v.is_current(app) => Some(std::borrow::Cow::Borrowed(v)),
        _ => DetailView::build(app).map(std::borrow::Cow::Owned),
    }
}

pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let t = ui(app.lang());
    let theme = &app.opts.theme;
    let block = Block::default()
        .borders(Borders::LEFT | Borders::TOP)
        // Focused (Enter): ↑/↓ scroll it.
        .border_style(if app.detail_open {
            theme.key
        } else {
            theme.border
        });
    let Some(v) = view(app) else {
        Paragraph::new("")
            .block(block.title(t.detail))
            .render(area, buf);
        return;
    };
    let scroll = app.detail_scroll.min(max_scroll_in(&v.lines, area));
    // Lines that borrow the view's text: a frame copies no string.
    let lines: Vec<Line<'_>> = v
        .lines
        .iter()
        .map(|l| Line {
            spans: l
                .spans
                .iter()
                .map(|s| Span::styled(s.content.as_ref(), s.style))
                .collect(),
            style: l.style,
            alignment: l.alignment,
        })
        .collect();
    Paragraph::new(lines)
        .block(block.title(v.title.as_str()))
        .wrap(Wrap { trim: false })
        .scroll((scroll, 0))
        .render(area, buf);
}

/// How far the detail can scroll: its wrapped lines less the pane's height.
pub fn max_scroll(app: &App) -> u16 {
    let a = app.areas();
    let area = a.detail.unwrap_or(a.board);
    view(app).map_or(0, |v| max_scroll_in(&v.lines, area))
}

fn max_scroll_in(lines: &[Line<'_>], area: Rect) -> u16 {
    let width = usize::from(area.width.saturating_sub(1)).max(1);
    let height = usize::from(area.height.saturating_sub(1));
    let total: usize = lines.iter().map(|l| l.width().div_ceil(width).max(1)).sum();
    u16::try_from(total.saturating_sub(height)).unwrap_or(u16::MAX)
}

/// The detail's title and lines for the selected case.
fn content(app: &App) -> Option<(String, Vec<Line<'static>>)> {
    let lang = app.lang();
    let t = ui(lang);
    let theme = &app.opts.theme;
    let c = app.current()?;
    let f = &c.stored.file;
    let p = &f.procedure;
    let a = &c.assessment;
    let mut lines: Vec<Line> = Vec::new();
    let section = |name: &str| Line::from(Span::styled(name.to_owned(), theme.header));

    if c.alert() {
        lines.push(Line::from(Span::styled(
            t.validated_but_blocking,
            theme.alert,
        )));
    }
    // Ended at its source: the case's own state, first (a validation
    // before it is said).
    if let Some(end) = c.stored.ended_at_source() {
        let validated = c.stored.status == crate::domain::vocab::DecisionStatus::Validated;
        lines.push(Line::from(Span::styled(
            format!(
                "✗ {}",
                crate::text::feeds::ended_state(lang, end, validated)
            ),
            theme.alert,
        )));
    }
    if app.changed.contains(&c.id()) {
        lines.push(Line::from(Span::styled(
            format!("* {}", t.changed_elsewhere),
            theme.advisory,
        )));
    }
    // Identity vigilance: every trait, whatever the board could show;
    // pseudonymised, the initials, the age and the IPP's pseudonym (no
    // birth date: `data::load` leaves none to show).
    let n = &c.name;
    let name = if n.first.is_empty() {
        n.last.clone()
    } else {
        format!("{} {}", n.last, n.first)
    };
    let born = n
        .birth_date
        .map(|d| {
            format!(
                " · {} {}",
                crate::text::screen::born(lang, f.patient.sex),
                d.format("%d/%m/%Y")
            )
        })
        .unwrap_or_default();
    lines.push(Line::from(vec![
        Span::styled(name, theme.title),
        Span::raw(format!(
            ", {} {}, {}{born} · IPP {}",
            n.age, t.years, f.patient.sex, n.ipp
        )),
    ]));
    // Identity vigilance: what the hospital's system changed, old → new,
    // under the identity it changed (also the delay item's advisory).
    if let (Some(on), None) = (c.stored.feed.identity_changed, c.stored.ended_at_source()) {
        let f = &c.stored.feed;
        let said = crate::text::feeds::identity_changed(
            lang,
            on,
            &f.identity_changes,
            f.identity_changed_by_file.as_deref(),
        );
        lines.push(Line::from(Span::styled(
            format!("! {}", sanitize_line(&said)),
            theme.advisory,
        )));
    }
    if let Some(on) = c.stored.died_on {
        lines.push(Line::from(Span::styled(
            format!(
                "{} {}",
                crate::text::followup::DECEASED_MARK,
                if app.data.pseudonymised {
                    crate::text::followup::deceased_in(lang, on)
                } else {
                    crate::text::followup::deceased(lang, on)
                }
            ),
            theme.alert,
        )));
    }
    lines.push(Line::from(format!(
        "{} · {} {} · {}",
        sanitize_line(&f.external_id),
        p.scheduled_at.format("%d/%m/%Y %H:%M"),
        sanitize_line(&p.room),
        sanitize_line(&p.operator)
    )));
    lines.push(section(t.procedure));
    let techniques: Vec<&str> = p
        .techniques
        .iter()
        .map(|x| words::technique(lang, *x))
        .collect();
    // Techniques to define (a booking's service code not mapped yet): the
    // codes and the command that maps them, not an empty name.
    let techniques = if c.stored.feed.techniques_to_define && p.techniques.is_empty() {
        crate::text::feeds::procedure_to_define(lang, &c.stored.feed.to_map)
    } else {
        techniques.join(" + ")
    };
    let target = sanitize_line(&p.target);
    lines.push(Line::from(if target.is_empty() {
        techniques
    } else {
        format!("{techniques} · {target}")
    }));
    lines.push(Line::from(format!(
        "{} · {} {}{}{}",
        words::anaesthesia(lang, p.anaesthesia),
        t.risk,
        words::risk(lang, a.risk),
        p.access
            .map(|x| format!(" · {}", access_name(x, lang)))
            .unwrap_or_default(),
        a.duration_min
            .map(|d| format!(" · {d} min"))
            .unwrap_or_default()
    )));
    if let Some(vas) = f.pain_vas {
        lines.push(Line::from(format!("{} {vas}/10", t.pain_scale)));
    }

    lines.push(section(t.dossier));
    for item in &a.dossier.items {
        lines.push(Line::from(vec![
            Span::styled(
                format!("{} ", marker(item.severity, item.status)),
                marker_style(theme, item.severity),
            ),
            Span::styled(
                format!("{}{} ", words::item(lang, item.item), t.colon),
                theme.header,
            ),
            Span::raw(sanitize_line(&item.message(lang))),
        ]));
    }

    if !a.mirels.is_empty() || !a.sins.is_empty() {
        lines.push(section(t.scores));
        let parts = |b: &[crate::domain::scores::ScoreItem]| {
            b.iter()
                .map(|i| {
                    format!(
                        "{} {}",
                        words::score_item(lang, i.name),
                        i.points.map_or("?".into(), |p| p.to_string())
                    )
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        for m in &a.mirels {
            let total = match (m.total, m.band) {
                (Some(t), Some(b)) => format!("{t} — {}", words::mirels_band(lang, b)),
                _ => incomplete(lang, &m.missing),
            };
            let lesion = m.lesion.as_deref().map(sanitize_line).unwrap_or_default();
            lines.push(Line::from(format!("Mirels {lesion}: {total}")));
            lines.push(Line::from(Span::styled(
                format!("  {}", parts(&m.breakdown)),
                theme.muted,
            )));
        }
        for s in &a.sins {
            let total = match (s.total, s.band) {
                (Some(t), Some(b)) => format!("{t} — {}", words::sins_band(lang, b)),
                _ => incomplete(lang, &s.missing),
            };
            let level = s.level.map(|l| l.to_string()).unwrap_or_default();
            lines.push(Line::from(format!("SINS {level}: {total}")));
            lines.push(Line::from(Span::styled(
                format!("  {}", parts(&s.breakdown)),
                theme.muted,
            )));
        }
    }

    lines.push(section(t.notes));
    // Pseudonymised, the notes were left out: not "none".
    let left_out = crate::text::screen::left_out(lang);
    if app.data.pseudonymised {
        lines.push(Line::from(Span::styled(left_out, theme.muted)));
    } else if c.stored.notes.is_empty() {
        lines.push(Line::from(Span::styled(t.none, theme.muted)));
    }
    for n in &c.stored.notes {
        lines.push(Line::from(Span::styled(
            format!(
                "{} · {}",
                sanitize_line(&n.author),
                local_time(&n.at, app.data.tz)
            ),
            theme.muted,
        )));
        // Notes keep their line breaks; each line is cleaned on its own.
        for l in sanitize(&n.body).lines() {
            lines.push(Line::from(format!("  {}", sanitize_line(l))));
        }
    }

    lines.push(section(t.history));
    if c.stored.decisions.is_empty() {
        lines.push(Line::from(Span::styled(t.none, theme.muted)));
    }
    // Decisions and new slots, in the order they were made (both at UTC
    // RFC 3339: the text sorts as the time).
    let mut history: Vec<(&str, Line)> = Vec::new();
    for stored in &c.stored.decisions {
        // A reason or justification left out (pseudonymised) says so.
        let said = |text: &Option<String>| match text {
            Some(_) if app.data.pseudonymised => Some(left_out.to_owned()),
            other => other.clone(),
        };
        let d = crate::domain::record::DecisionRow {
            at: local_time(&stored.at, app.data.tz),
            reason: said(&stored.reason),
            override_justification: said(&stored.override_justification),
            ..stored.clone()
        };
        let line = Line::from(sanitize_line(&words::decision_line(lang, &d)));
        history.push((&stored.at, line));
    }
    for r in &c.stored.reschedules {
        let at = local_time(&r.at, app.data.tz);
        let line = crate::text::reschedule::history_line(lang, &at, r);
        history.push((&r.at, Line::from(sanitize_line(&line))));
    }
    history.sort_by(|a, b| a.0.cmp(b.0));
    lines.extend(history.into_iter().map(|(_, line)| line));
    if let Some(day) = &c.stored.day {
        lines.extend(super::day::detail_lines(app, day));
    }

    let title = format!("{} {}", t.detail, sanitize_line(&f.external_id));
    Some((title, lines))
}

fn incomplete(lang: crate::domain::message::Lang, missing: &[&str]) -> String {
    let t = words::texts(lang);
    let names: Vec<&str> = missing.iter().map(|m| words::score_item(lang, m)).collect();
    format!(
        "{}, {}{} {}",
        t.incomplete_score,
        t.missing_items,
        t.colon,
        names.join(", ")
    )
}
