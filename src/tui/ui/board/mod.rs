//! The week board: one row per case, grouped by day, columns dropped in a
//! fixed order when the terminal is narrow (operator, target, anaesthesia,
//! then the technique abbreviated) instead of cutting names into nonsense.
//! Look-alike patients (`tui::data::Likeness`) show their full first name,
//! then their birth date: the patient column gets the width they need
//! before any of those columns comes back.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Rect};
use ratatui::widgets::{Cell, Paragraph, Row, StatefulWidget, Table, TableState, Widget, Wrap};

mod text;

pub use text::{BoardView, abbrev, marker, marker_style};

use super::patient::patient_label;
use crate::domain::message::Lang;
use crate::text::screen::ui;
use crate::tui::app::App;
use crate::tui::data::{CaseView, Likeness};
use crate::tui::ui::layout;

/// A board column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    When,
    Room,
    Patient,
    Technique,
    TechniqueShort,
    Target,
    Anaesthesia,
    Operator,
    Dossier,
    Scores,
    Decision,
}

impl Col {
    fn width(self) -> u16 {
        match self {
            Col::When => 11,
            Col::Room => 9,
            Col::Patient => 16,
            Col::Technique => 18,
            Col::TechniqueShort => 6,
            Col::Target => 12,
            Col::Anaesthesia => 9,
            Col::Operator => 11,
            Col::Dossier => 13,
            Col::Scores => 7,
            Col::Decision => 11,
        }
    }
}

/// The widest the patient column grows for look-alike names.
const PATIENT_MAX: u16 = 40;

/// The columns that fit in `width` with a patient column `patient` wide
/// (at least its own width), dropping in the fixed order.
fn columns(width: u16, patient: u16) -> Vec<Col> {
    use Col::*;
    let sets: [&[Col]; 5] = [
        &[
            When,
            Room,
            Patient,
            Technique,
            Target,
            Anaesthesia,
            Operator,
            Dossier,
            Scores,
            Decision,
        ],
        &[
            When,
            Room,
            Patient,
            Technique,
            Target,
            Anaesthesia,
            Dossier,
            Scores,
            Decision,
        ],
        &[
            When,
            Room,
            Patient,
            Technique,
            Anaesthesia,
            Dossier,
            Scores,
            Decision,
        ],
        &[When, Room, Patient, Technique, Dossier, Scores, Decision],
        &[
            When,
            Room,
            Patient,
            TechniqueShort,
            Dossier,
            Scores,
            Decision,
        ],
    ];
    let patient = patient.max(Col::Patient.width());
    let w = |c: &Col| match c {
        Col::Patient => patient,
        c => c.width(),
    };
    let fits = |cols: &[Col]| cols.iter().map(w).sum::<u16>() + cols.len() as u16 - 1 <= width;
    sets.iter().find(|s| fits(s)).unwrap_or(&sets[4]).to_vec()
}

/// The patient column's width with `cols` in `usable` columns: what the
/// others leave.
fn patient_room(cols: &[Col], usable: u16) -> u16 {
    let others: u16 = cols
        .iter()
        .filter(|c| **c != Col::Patient)
        .map(|c| c.width() + 1)
        .sum();
    usable.saturating_sub(others).max(Col::Patient.width())
}

/// How many columns the detail pane lends the board at `size` (from 120
/// columns, where it sits beside the board): enough for the look-alike
/// names of the week to show in full, down to [`layout::DETAIL_MIN`]; 0
/// when they fit, or when there are none.
pub fn detail_lends(cases: &[CaseView], size: (u16, u16)) -> u16 {
    if !layout::is_wide(size) {
        return 0;
    }
    let need = patient_need(cases);
    let detail = layout::detail_w(size.0);
    let most = detail - layout::DETAIL_MIN;
    if need <= Col::Patient.width() {
        return 0;
    }
    // The board's usable width (less the selection mark) with `k` more.
    let usable = |k: u16| size.0.saturating_sub(detail - k + 1);
    (0..=most)
        .find(|k| patient_room(&columns(usable(*k), need), usable(*k)) >= need)
        .unwrap_or(most)
}

/// The width the look-alike names of the week want in full (0: there are
/// none), at most [`PATIENT_MAX`]: the patient column gets it before any
/// optional column (the whole week counts, so that the columns stay put
/// when the search narrows the board).
fn patient_need(cases: &[CaseView]) -> u16 {
    use unicode_width::UnicodeWidthStr;
    let widest = cases
        .iter()
        .filter(|c| c.name.likeness != Likeness::Unique)
        .map(|c| patient_label(&c.name, usize::MAX).width())
        .max()
        .unwrap_or(0);
    u16::try_from(widest).unwrap_or(u16::MAX).min(PATIENT_MAX)
}

pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let theme = &app.opts.theme;
    if app.visible.is_empty() {
        let msg = if app.data.board_refused {
            let key = crate::tui::keys::keys_of(
                crate::tui::keys::Context::Board,
                crate::tui::action::Action::FollowUps,
                app.lang(),
            );
            crate::text::screen::board_refused(app.lang(), app.role, &key)
        } else if app.data.cases.is_empty() {
            let key =
                |a| crate::tui::keys::keys_of(crate::tui::keys::Context::Board, a, app.lang());
            crate::text::screen::no_case(
                app.lang(),
                &key(crate::tui::action::Action::PrevWeek),
                &key(crate::tui::action::Action::NextWeek),
            )
        } else {
            let key =
                |a| crate::tui::keys::keys_of(crate::tui::keys::Context::Board, a, app.lang());
            crate::text::screen::no_match(
                app.lang(),
                &key(crate::tui::action::Action::Close),
                &key(crate::tui::action::Action::Filter),
            )
        };
        Paragraph::new(msg)
            .style(theme.muted)
            .wrap(Wrap { trim: true })
            .render(area, buf);
        return;
    }
    // The cells' text is the view's, built once per load and width.
    let built;
    let view = match app.board_view().filter(|v| v.is_current(app, area.width)) {
        Some(v) => v,
        None => {
            built = BoardView::build(app, area.width);
            &built
        }
    };
    let cols = &view.cols;
    let lang = app.lang();
    let header = Row::new(cols.iter().map(|c| Cell::from(title(lang, *c)))).style(theme.header);
    let mut previous_day = None;
    let rows: Vec<Row> = app
        .visible
        .iter()
        .enumerate()
        .skip(app.offset)
        .take(area.height.saturating_sub(1) as usize)
        .map(|(pos, &i)| {
            let c = &app.data.cases[i];
            let day = c.stored.file.day();
            // The day is written on the first case of each day shown.
            let first_of_day = previous_day != Some(day) || pos == app.offset;
            previous_day = Some(day);
            let mut row = Row::new(view.cells(app, i, first_of_day));
            if c.alert() {
                row = row.style(theme.alert);
            }
            row
        })
        .collect();
    let widths: Vec<Constraint> = cols
        .iter()
        .map(|c| {
            if *c == Col::Patient {
                Constraint::Min(c.width())
            } else {
                Constraint::Length(c.width())
            }
        })
        .collect();
    let table = Table::new(rows, widths)
        .header(header)
        .column_spacing(1)
        .row_highlight_style(theme.selected)
        .highlight_symbol("▶")
        .highlight_spacing(ratatui::widgets::HighlightSpacing::Always);
    let mut state =
        TableState::default().with_selected(Some(app.selected.saturating_sub(app.offset)));
    StatefulWidget::render(table, area, buf, &mut state);
}

fn title(lang: Lang, c: Col) -> &'static str {
    let t = ui(lang);
    match c {
        Col::When => t.col_time,
        Col::Room => t.col_room,
        Col::Patient => t.col_patient,
        Col::Technique => t.col_technique,
        Col::TechniqueShort => t.col_technique_short,
        Col::Target => t.col_target,
        Col::Anaesthesia => t.col_anaesthesia,
        Col::Operator => t.col_operator,
        Col::Dossier => t.col_dossier,
        Col::Scores => t.col_scores,
        Col::Decision => t.col_status,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_drop_in_the_fixed_order() {
        let all = columns(200, 0);
        assert!(all.contains(&Col::Operator));
        let c = columns(115, 0);
        assert!(!c.contains(&Col::Operator) && c.contains(&Col::Target));
        let c = columns(101, 0);
        assert!(!c.contains(&Col::Target) && c.contains(&Col::Anaesthesia));
        let c = columns(91, 0);
        assert!(!c.contains(&Col::Anaesthesia) && c.contains(&Col::Technique));
        // 120 columns less the detail pane, and 80 columns (less the
        // selection mark).
        let c = columns(79, 0);
        assert!(c.contains(&Col::TechniqueShort) && c.contains(&Col::Patient));
    }

    #[test]
    fn the_patient_column_widens_before_any_other_comes_back() {
        // "DUPRÉ François, 02/07/1956" wants 26 columns.
        let c = columns(126, 26);
        assert!(!c.contains(&Col::Operator) && c.contains(&Col::Target));
        let c = columns(115, 26);
        assert!(!c.contains(&Col::Target) && c.contains(&Col::Anaesthesia));
        let c = columns(101, 26);
        assert!(!c.contains(&Col::Anaesthesia) && c.contains(&Col::Technique));
        let c = columns(91, 26);
        assert!(c.contains(&Col::TechniqueShort));
        // Narrower than the narrowest set: that set, the name fits as it can.
        assert_eq!(columns(79, 26), columns(79, 0));
        // A need below the column's own width changes nothing.
        for w in [79, 91, 101, 115, 126, 200] {
            assert_eq!(columns(w, 10), columns(w, 0));
        }
    }
}
