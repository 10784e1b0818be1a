//! The status area at the foot of the screen: the search being typed, else
//! a message, else the keys of the context. Nothing in it is cut: a
//! message (an export's path, a count) wraps over more lines and the area
//! grows to hold it (`App::areas`); the key hints are left out whole, in
//! the key table's drop order (`keys::drop_sequence`), never half of one.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::{key_sentence, search_label};
use crate::text::screen::{self, ui};
use crate::tui::app::App;
use crate::tui::keys::{self, Context};

/// The status area's lines on a screen `width` wide.
fn lines(app: &App, width: u16) -> Vec<Line<'static>> {
    let theme = &app.opts.theme;
    let lang = app.lang();
    let t = ui(lang);
    let line = if app.searching {
        Line::from(vec![
            Span::styled(format!("{}{} ", search_label(app), t.colon), theme.key),
            Span::raw(format!(
                "{}▏",
                crate::domain::text::sanitize_line(&app.search)
            )),
            Span::styled(
                format!("   {}", key_sentence(app, Context::Search)),
                theme.muted,
            ),
        ])
    } else if app.detail_open && app.overlay.is_none() && app.flash.is_none() {
        Line::from(Span::styled(screen::detail_keys(lang), theme.key))
    } else if let Some(f) = &app.flash {
        let style = if f.error { theme.blocking } else { theme.title };
        Line::from(Span::styled(f.text.clone(), style))
    } else {
        return vec![hint_line(app, app.context(), true, width)];
    };
    wrap(&line, width)
}

/// How many lines the status area needs now on a screen `width` wide (at
/// least 1).
pub fn status_height(app: &App, width: u16) -> u16 {
    u16::try_from(lines(app, width).len())
        .unwrap_or(u16::MAX)
        .max(1)
}

pub(super) fn status(app: &App, area: Rect, buf: &mut Buffer) {
    Paragraph::new(lines(app, area.width)).render(area, buf);
}

/// The keys the status bar (or a dialog's key row) offers in `context`,
/// in the key table's order, as many whole hints as fit in `width`; with
/// `dim`, what the role may not do is shown dimmed (pressing it says why).
pub(super) fn hint_line(app: &App, context: Context, dim: bool, width: u16) -> Line<'static> {
    let theme = &app.opts.theme;
    let lang = app.lang();
    let mut hints: Vec<(crate::tui::action::Action, [Span<'static>; 2])> = Vec::new();
    for b in keys::hints(context) {
        if !app.offers(b.offer) {
            continue;
        }
        let allowed = !dim || b.gate.is_none_or(|g| app.passes(g));
        let (key_style, text_style) = match (allowed, dim) {
            (true, true) => (theme.key, theme.base),
            (true, false) => (theme.key, ratatui::style::Style::default()),
            (false, _) => (theme.muted, theme.muted),
        };
        hints.push((
            b.action,
            [
                Span::styled(keys::keys_of(context, b.action, lang), key_style),
                Span::styled(
                    format!(" {}", screen::hint_in(lang, context, b.action)),
                    text_style,
                ),
            ],
        ));
    }
    fit(context, hints, width)
}

/// As many of `hints` (each its key and its words, in the bar's order) as
/// fit in `width`, whole, left out in the key table's drop order.
pub(super) fn fit(
    context: Context,
    hints: Vec<(crate::tui::action::Action, [Span<'static>; 2])>,
    width: u16,
) -> Line<'static> {
    let widths: Vec<usize> = hints
        .iter()
        .map(|(_, s)| s.iter().map(|s| s.content.width()).sum())
        .collect();
    let mut kept = vec![true; hints.len()];
    let shown: Vec<_> = hints.iter().map(|(a, _)| *a).collect();
    let total = |kept: &[bool]| {
        let (n, w) = widths
            .iter()
            .zip(kept)
            .filter(|(_, k)| **k)
            .fold((0usize, 0usize), |(n, sum), (w, _)| (n + 1, sum + w));
        w + SEP.len() * n.saturating_sub(1)
    };
    for i in keys::drop_sequence(context, &shown) {
        if total(&kept) <= usize::from(width) {
            break;
        }
        kept[i] = false;
    }
    let mut spans = Vec::new();
    for ((_, pair), _) in hints.into_iter().zip(&kept).filter(|(_, k)| **k) {
        if !spans.is_empty() {
            spans.push(Span::raw(SEP));
        }
        spans.extend(pair);
    }
    Line::from(spans)
}

/// Between two hints.
const SEP: &str = "  ";

/// `line` broken into lines at most `width` wide, at spaces (a word wider
/// than a line, a long path, is broken where the line ends): nothing is
/// cut, and each piece keeps its style.
pub(super) fn wrap(line: &Line<'static>, width: u16) -> Vec<Line<'static>> {
    let width = usize::from(width.max(1));
    let mut out: Vec<Vec<Span<'static>>> = vec![Vec::new()];
    let mut used = 0;
    for span in &line.spans {
        for (n, part) in span.content.split('\n').enumerate() {
            if n > 0 {
                out.push(Vec::new());
                used = 0;
            }
            for word in part.split_inclusive(' ') {
                if used > 0 && used + word.trim_end_matches(' ').width() > width {
                    out.push(Vec::new());
                    used = 0;
                }
                let mut word = if used == 0 {
                    word.trim_start_matches(' ')
                } else {
                    word
                };
                while used + word.trim_end_matches(' ').width() > width {
                    let (head, tail) = split_at_width(word, width - used);
                    if let Some(l) = out.last_mut() {
                        l.push(Span::styled(head.to_owned(), span.style));
                    }
                    out.push(Vec::new());
                    used = 0;
                    word = tail;
                }
                if !word.is_empty()
                    && let Some(l) = out.last_mut()
                {
                    l.push(Span::styled(word.to_owned(), span.style));
                    used += word.width();
                }
            }
        }
    }
    // A space where a line breaks is not shown.
    for l in &mut out {
        while let Some(last) = l.last_mut() {
            let trimmed = last.content.trim_end_matches(' ');
            if trimmed.is_empty() {
                l.pop();
            } else {
                last.content = trimmed.to_owned().into();
                break;
            }
        }
    }
    out.into_iter().map(Line::from).collect()
}

/// `s` split after as many characters as fit in `width` (at least one).
fn split_at_width(s: &str, width: usize) -> (&str, &str) {
    let mut used = 0;
    for (i, c) in s.char_indices() {
        used += c.width().unwrap_or(0);
        if used > width && i > 0 {
            return s.split_at(i);
        }
    }
    (s, "")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(lines: &[Line<'_>]) -> Vec<String> {
        lines.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn wrapping_breaks_at_spaces_and_cuts_nothing() {
        let line =
            Line::from("Exporté vers /home/dr-martin/comite/programme-2026-W49.html (39 dossiers)");
        for width in [1, 5, 12, 20, 40, 80] {
            let lines = wrap(&line, width);
            for l in &lines {
                assert!(l.width() <= usize::from(width), "{width}: {l}");
            }
            let joined: String = texts(&lines).concat();
            assert_eq!(
                joined.replace(' ', ""),
                line.to_string().replace(' ', ""),
                "{width}"
            );
        }
        assert_eq!(
            texts(&wrap(&line, 40)),
            [
                "Exporté vers",
                "/home/dr-martin/comite/programme-2026-W4",
                "9.html (39 dossiers)"
            ]
        );
        assert_eq!(texts(&wrap(&Line::from(Span::raw("a\nb")), 10)), ["a", "b"]);
    }
}
