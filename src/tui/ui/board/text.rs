//! The board's text: every cell a frame would otherwise format (times,
//! names, techniques, scores, the decision) is built once per load of the
//! week and board width (`App::refresh_views`), and a frame only lays it
//! out, borrowing it. The day, the "changed" mark and the dossier markers,
//! which depend on the scroll position or are plain symbols, are set per
//! frame.

use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Cell;

use super::{Col, columns, patient_need, patient_room};
use crate::domain::message::Lang;
use crate::domain::rules::{Severity, Status};
use crate::domain::text::sanitize_line;
use crate::domain::vocab::{DecisionStatus, Technique};
use crate::text::screen::{self, ui};
use crate::text::words;
use crate::tui::app::App;
use crate::tui::data::CaseView;
use crate::tui::theme::Theme;
use crate::tui::ui::patient::patient_label;

/// What the board's text depends on besides the options fixed at start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct BoardKey {
    /// `App::generation`: bumped whenever the week is (re)loaded.
    generation: u64,
    /// The board's width.
    width: u16,
}

/// The text of every case of the week, for the columns that fit.
pub struct BoardView {
    key: BoardKey,
    pub(super) cols: Vec<Col>,
    /// By index into `WeekData::cases`.
    rows: Vec<RowText>,
}

/// One case's cells, in the order of `BoardView::cols` (empty for the
/// columns set per frame: the time and the dossier markers).
struct RowText {
    cells: Vec<String>,
    /// The time, and the day it is on.
    time: String,
    day: &'static str,
    decision: Style,
}

impl BoardView {
    /// The board's text for a board `width` columns wide.
    pub fn build(app: &App, width: u16) -> BoardView {
        // One column for the selection mark (▶), visible even on an alert row.
        let usable = width.saturating_sub(1);
        let cols = columns(usable, patient_need(&app.data.cases));
        let patient_w = usize::from(patient_room(&cols, usable));
        let rows = app
            .data
            .cases
            .iter()
            .map(|c| RowText::build(app, c, &cols, patient_w))
            .collect();
        BoardView {
            key: BoardKey {
                generation: app.generation(),
                width,
            },
            cols,
            rows,
        }
    }

    /// Whether it still shows what `app` would show `width` columns wide.
    pub fn is_current(&self, app: &App, width: u16) -> bool {
        self.key
            == BoardKey {
                generation: app.generation(),
                width,
            }
    }

    /// The cells of the case at `index` in the week (`first_of_day`: the
    /// first row of its day on screen, which names the day).
    pub(super) fn cells<'a>(
        &'a self,
        app: &App,
        index: usize,
        first_of_day: bool,
    ) -> Vec<Cell<'a>> {
        let (Some(row), Some(c)) = (self.rows.get(index), app.data.cases.get(index)) else {
            return Vec::new();
        };
        let theme = &app.opts.theme;
        self.cols
            .iter()
            .zip(&row.cells)
            .map(|(col, text)| match col {
                // A case postponed into this week keeps its original slot:
                // its date (built with the row).
                Col::When if c.to_reschedule => Cell::from(text.as_str()),
                Col::When => {
                    let day = if first_of_day { row.day } else { "  " };
                    let mark = if app.changed.contains(&c.id()) {
                        "*"
                    } else {
                        " "
                    };
                    Cell::from(format!("{mark}{day} {}", row.time))
                }
                Col::Dossier => Cell::from(markers(c, theme)),
                Col::Decision => Cell::from(Span::styled(text.as_str(), row.decision)),
                _ => Cell::from(text.as_str()),
            })
            .collect()
    }
}

impl RowText {
    fn build(app: &App, c: &CaseView, cols: &[Col], patient_w: usize) -> RowText {
        let lang = app.lang();
        let p = &c.stored.file.procedure;
        let (decision_text, decision) = decision(lang, c, &app.opts.theme);
        let mut decision_text = Some(decision_text);
        let cells = cols
            .iter()
            .map(|col| match col {
                Col::When if c.to_reschedule => p.scheduled_at.format("%d/%m %H:%M").to_string(),
                Col::When | Col::Dossier => String::new(),
                Col::Room => sanitize_line(&p.room),
                Col::Patient => match c.stored.died_on {
                    // A patient who died: a short mark, the name after it.
                    Some(_) => format!(
                        "{} {}",
                        crate::text::followup::DECEASED_MARK,
                        patient_label(&c.name, patient_w.saturating_sub(2))
                    ),
                    None => patient_label(&c.name, patient_w),
                },
                Col::Technique | Col::TechniqueShort if c.stored.feed.techniques_to_define => {
                    let short = matches!(col, Col::TechniqueShort);
                    crate::text::feeds::techniques_to_define(lang, short).to_owned()
                }
                Col::Technique => p
                    .techniques
                    .iter()
                    .map(|t| words::technique(lang, *t))
                    .collect::<Vec<_>>()
                    .join(" + "),
                Col::TechniqueShort => p
                    .techniques
                    .iter()
                    .map(|t| abbrev(*t))
                    .collect::<Vec<_>>()
                    .join("+"),
                Col::Target => sanitize_line(&p.target),
                Col::Anaesthesia => screen::anaesthesia_short(lang, p.anaesthesia).to_owned(),
                Col::Operator => sanitize_line(&p.operator),
                Col::Scores => scores(c),
                Col::Decision => decision_text.take().unwrap_or_default(),
            })
            .collect();
        RowText {
            cells,
            time: p.scheduled_at.format("%H:%M").to_string(),
            day: screen::day_abbrev(lang, p.scheduled_at.date()),
            decision,
        }
    }
}

/// One marker per dossier item, readable without colour.
pub fn marker(severity: Severity, status: Status) -> &'static str {
    match (severity, status) {
        (Severity::Blocking, _) => "✗",
        (Severity::Advisory, _) => "!",
        (_, Status::NotRequired) => "–",
        _ => "✓",
    }
}

pub fn marker_style(theme: &Theme, severity: Severity) -> Style {
    match severity {
        Severity::Blocking => theme.blocking,
        Severity::Advisory => theme.advisory,
        Severity::None => theme.ok,
    }
}

/// A dossier mark of a case whose booking ended at its source.
const ENDED_MARKER: &str = "·";

pub(super) fn markers<'a>(c: &CaseView, theme: &Theme) -> Line<'a> {
    let mut spans = Vec::with_capacity(14);
    let ended = c.stored.ended_at_source().is_some();
    for (i, item) in c.assessment.dossier.items.iter().enumerate() {
        if i > 0 {
            spans.push(Span::raw(" "));
        }
        // Ended at its source: nothing is left to complete (the detail
        // still shows each item).
        match ended {
            true => spans.push(Span::styled(ENDED_MARKER, theme.muted)),
            false => spans.push(Span::styled(
                marker(item.severity, item.status),
                marker_style(theme, item.severity),
            )),
        }
    }
    Line::from(spans)
}

fn scores(c: &CaseView) -> String {
    let a = &c.assessment;
    let mut parts: Vec<String> = a
        .sins
        .iter()
        .map(|s| s.total.map_or("S?".into(), |t| format!("S{t}")))
        .chain(
            a.mirels
                .iter()
                .map(|m| m.total.map_or("M?".into(), |t| format!("M{t}"))),
        )
        .collect();
    if parts.len() > 2 {
        parts.truncate(2);
        parts.push("…".into());
    }
    parts.join(" ")
}

fn decision(lang: Lang, c: &CaseView, theme: &Theme) -> (String, Style) {
    let t = ui(lang);
    if c.alert() {
        return (
            format!("✗ {}", words::decision(lang, DecisionStatus::Validated)),
            theme.alert,
        );
    }
    if c.to_reschedule {
        return (t.to_reschedule_short.to_owned(), theme.advisory);
    }
    // A booking ended at its source: its own state, not a committee
    // decision (a validation before it shows as ✓✗).
    if let Some(end) = c.stored.ended_at_source() {
        let validated = c.stored.status == DecisionStatus::Validated;
        let word = crate::text::feeds::ended_short(lang, end.how, validated);
        return (word, theme.advisory);
    }
    if c.stored.overridden() {
        return (t.overridden_short.to_owned(), theme.advisory);
    }
    let style = match c.stored.status {
        DecisionStatus::Validated => theme.ok,
        DecisionStatus::Postponed | DecisionStatus::Cancelled => theme.advisory,
        DecisionStatus::Pending => theme.base,
    };
    (words::decision(lang, c.stored.status).to_owned(), style)
}

/// Short technique names for narrow terminals.
pub fn abbrev(t: Technique) -> &'static str {
    use Technique::*;
    match t {
        Vertebroplasty => "VP",
        Kyphoplasty => "KP",
        Cementoplasty => "CP",
        Osteosynthesis => "OS",
        RadiofrequencyAblation => "RF",
        Cryoablation => "CRY",
        MicrowaveAblation => "MW",
        LaserAblation => "LAS",
        FocusedUltrasound => "HIFU",
        Neurolysis => "NL",
        Embolisation => "EMB",
        TunnelledPleuralDrain => "PLV",
        TunnelledPeritonealDrain => "PER",
    }
}
