//! The chase list (t): per task the deadline, the patient and what to do
//! (wrapped under the patient when it does not fit: never cut, it carries
//! dates); too late ones marked; the selected one highlighted. Drawing only reads
//! the state.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget};

use super::layout::centred;
use super::rules::wrap;
use crate::text::tasks as words;
use crate::tui::app::{App, TaskRow, TasksState};
use unicode_width::UnicodeWidthStr;

pub fn render(app: &App, s: &TasksState, area: Rect, buf: &mut Buffer) {
    let lang = app.lang();
    let theme = &app.opts.theme;
    let shown = s.shown();
    let width = 120.min(area.width);
    let height = area.height.saturating_sub(2);
    let rect = centred(area, width, height);
    Clear.render(rect, buf);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(words::screen_title(
            lang,
            &app.week().to_string(),
            s.mine,
            shown.len(),
            s.rows.len(),
        ))
        .title_style(theme.title);
    let inner = block.inner(rect);
    block.render(rect, buf);
    // The keys are in the screen's footer, as for every overlay.
    let list = inner;
    let h = words::headings(lang);
    if shown.is_empty() {
        Paragraph::new(Span::styled(h.none, theme.muted)).render(list, buf);
    }
    let rows: Vec<Vec<String>> = shown
        .iter()
        .map(|r| row_lines(lang, r, usize::from(list.width)))
        .collect();
    let room = usize::from(list.height).max(1);
    let mut lines: Vec<Line> = Vec::new();
    for (i, text) in rows
        .iter()
        .enumerate()
        .skip(first_row(&rows, s.selected, room))
    {
        let style = if i == s.selected {
            theme.selected
        } else if shown[i].too_late {
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
    Paragraph::new(lines).render(list, buf);
}

/// Where the deadline column ends: the task's text wraps under the patient.
const DEADLINE_W: usize = 17;

/// One task's lines at `width` columns: the deadline, the patient and what
/// to do on one line when they fit; otherwise the text wraps onto lines
/// indented under the patient. Never cut: a task carries dates.
fn row_lines(lang: crate::domain::message::Lang, r: &TaskRow, width: usize) -> Vec<String> {
    let late = if r.too_late {
        format!(
            " — {}",
            words::state(lang, crate::domain::tasks::State::TooLate)
        )
    } else {
        String::new()
    };
    let head = format!("{:<DEADLINE_W$} {}", r.deadline, r.patient);
    let text = format!("{}{late}", r.task);
    let one = format!("{head}  {text}");
    if one.width() <= width {
        return vec![one];
    }
    // What of the text fits after the patient, then the rest wrapped under
    // the patient (a head wider than the screen wraps as a whole).
    let indent = (DEADLINE_W + 1).min(width / 3);
    let mut first = if head.width() <= width {
        head
    } else {
        return wrap(&head, width)
            .into_iter()
            .chain(indented(&text, width, indent))
            .collect();
    };
    let mut rest = text.split(' ').filter(|w| !w.is_empty()).peekable();
    let mut sep = "  ";
    while let Some(word) = rest.next_if(|w| first.width() + sep.len() + w.width() <= width) {
        first.push_str(sep);
        first.push_str(word);
        sep = " ";
    }
    let rest: Vec<&str> = rest.collect();
    let mut out = vec![first];
    if !rest.is_empty() {
        out.extend(indented(&rest.join(" "), width, indent));
    }
    out
}

/// `text` wrapped at `width` columns, each line after `indent` spaces.
fn indented(text: &str, width: usize, indent: usize) -> impl Iterator<Item = String> {
    wrap(text, width.saturating_sub(indent))
        .into_iter()
        .map(move |l| format!("{}{l}", " ".repeat(indent)))
}

/// The first row drawn: the selected row and as many before it as fit.
fn first_row(rows: &[Vec<String>], selected: usize, room: usize) -> usize {
    let Some(last) = rows.len().checked_sub(1) else {
        return 0;
    };
    let selected = selected.min(last);
    let (mut used, mut first) = (0, selected);
    for i in (0..=selected).rev() {
        used += rows[i].len();
        if used > room && i < selected {
            break;
        }
        first = i;
    }
    first
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::message::Lang;

    fn row(task: &str) -> TaskRow {
        TaskRow::for_test("2026-12-03", "DESROSIÈRES Gaëlle", task, true)
    }

    /// At 80 columns a long task wraps under its patient: every word of
    /// it, its dates included, is on the screen.
    #[test]
    fn a_long_task_wraps_under_its_patient_never_cut() {
        let task =
            "stop clopidogrel: last intake on 2026-12-03 at the latest (J−5, high bleeding risk)";
        let r = row(task);
        for width in [30, 78, 118] {
            let lines = row_lines(Lang::En, &r, width);
            assert!(lines.iter().all(|l| l.width() <= width), "{lines:#?}");
            let joined = lines.iter().map(|l| l.trim()).collect::<Vec<_>>().join(" ");
            for word in task.split(' ').chain(["DESROSIÈRES", "2026-12-03", "too"]) {
                assert!(joined.contains(word), "{word} at {width}: {lines:#?}");
            }
        }
        let short = TaskRow::for_test("—", "LE GALL Loïc", "consent to record", false);
        assert_eq!(row_lines(Lang::En, &short, 78).len(), 1);
    }

    /// The selected row is always drawn whole, with what fits before it.
    #[test]
    fn the_selected_row_is_drawn_with_what_fits_before_it() {
        let rows = vec![vec![String::new(); 2]; 5];
        assert_eq!(first_row(&rows, 0, 3), 0);
        assert_eq!(first_row(&rows, 1, 4), 0);
        assert_eq!(first_row(&rows, 4, 4), 3);
        assert_eq!(first_row(&rows, 4, 3), 4);
        assert_eq!(first_row(&[], 0, 3), 0);
    }
}
