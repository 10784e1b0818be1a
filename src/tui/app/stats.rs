//! S: the committee's indicators on the screen (issue 15 §4), over the
//! last months up to today: procedures performed per month (a bar chart),
//! the rate of validated cases not performed on the day per month (a
//! sparkline, with the period's rate and its trend), then the report's
//! tables (committee outcomes by coded reason, delays, the M1 follow-up,
//! complications), each figure beside its denominator.
//!
//! The same figures as `ir-committee report` over the same period
//! (`report::indicators::figures`): read through the read table (`Read::Report`;
//! a viewer and the auditor see them pseudonymised, cells under 5
//! patients shown "< 5"), traced as one read row per opening. Computed
//! when the view opens, when its span changes and after a reload, never
//! per frame: the draw code only lays out what [`StatsView`] holds.

use chrono::{Datelike, Months, NaiveDate};

use super::overlay::{Ctx, Outcome, Refresh};
use super::{App, Component, Overlay};
use crate::domain::indicators::{Cell, Indicators};
use crate::domain::message::Lang;
use crate::domain::roles::{self, Read};
use crate::export::indicators::{Section, cell, sections};
use crate::storage::Db;
use crate::text::indicators as words;
use crate::tui::action::Action;
use crate::tui::keys::Context;

/// The spans `p` cycles through, in months (the first is the default).
pub const SPANS: [u32; 4] = [12, 24, 6, 3];

/// A month's bar: its label (`MM` or `MM/YY` at a January), its value and
/// the value as written above it ("< 5" when masked).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bar {
    pub label: String,
    pub value: u64,
    pub shown: String,
}

/// What the view shows, made once from the figures.
#[derive(Debug, Clone, PartialEq)]
pub struct StatsView {
    pub title: String,
    pub period: String,
    pub pseudonymised: bool,
    /// Procedures performed per month.
    pub performed: Vec<Bar>,
    /// The not-performed rate per month in tenths of a percent (None: no
    /// validated case due, or masked).
    pub rates: Vec<Option<u64>>,
    /// Each month's rate as written under its column ("–": none).
    pub rate_labels: Vec<String>,
    /// The period's rate over its denominator, and the trend.
    pub rate_line: String,
    pub trend_line: String,
    /// The report's tables but the activity one (its months are the
    /// bars), laid out in columns.
    pub lines: Vec<TableLine>,
}

/// A line of the tables: a table's title, its column heads, or a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableLine {
    pub text: String,
    pub heading: bool,
}

/// A table's lines: its title, its heads and rows in columns (the first
/// left-aligned, the figures right-aligned), its note, a blank line.
fn table_lines(s: &Section) -> Vec<TableLine> {
    use unicode_width::UnicodeWidthStr;
    let mut widths: Vec<usize> = s.heads.iter().map(|h| h.width()).collect();
    for r in &s.rows {
        for (i, c) in r.iter().enumerate() {
            match widths.get_mut(i) {
                Some(w) => *w = (*w).max(c.width()),
                None => widths.push(c.width()),
            }
        }
    }
    let line = |cells: &[String]| {
        let mut out = String::new();
        for (i, c) in cells.iter().enumerate() {
            let pad = widths
                .get(i)
                .copied()
                .unwrap_or(0)
                .saturating_sub(c.width());
            if i == 0 {
                out.push_str(c);
                out.push_str(&" ".repeat(pad));
            } else {
                out.push_str("  ");
                out.push_str(&" ".repeat(pad));
                out.push_str(c);
            }
        }
        out.trim_end().to_owned()
    };
    let mut out = vec![TableLine {
        text: s.title.clone(),
        heading: true,
    }];
    out.push(TableLine {
        text: line(&s.heads),
        heading: true,
    });
    out.extend(s.rows.iter().map(|r| TableLine {
        text: line(r),
        heading: false,
    }));
    if let Some(n) = &s.note {
        out.push(TableLine {
            text: n.clone(),
            heading: false,
        });
    }
    out.push(TableLine {
        text: String::new(),
        heading: false,
    });
    out
}

impl StatsView {
    pub fn build(i: &Indicators<Cell>, lang: Lang, pseudonymised: bool, months: u32) -> StatsView {
        let performed = i
            .performed
            .parts
            .iter()
            .map(|(m, c)| Bar {
                label: if m.month == 1 {
                    format!("{:02}/{:02}", m.month, m.year % 100)
                } else {
                    format!("{:02}", m.month)
                },
                value: u64::from(c.value().unwrap_or(0)),
                shown: cell(lang, *c),
            })
            .collect();
        let rates = i
            .not_performed
            .iter()
            .map(|m| m.rate.map(|r| (r * 10.0).round() as u64))
            .collect();
        let rate_labels = i
            .not_performed
            .iter()
            .map(|m| {
                m.rate
                    .map(|r| words::number(lang, (r * 10.0).round() / 10.0))
                    .unwrap_or_else(|| "–".to_owned())
            })
            .collect();
        let t = &i.not_performed_total;
        let rate = t
            .rate
            .map(|r| words::percent(lang, r))
            .unwrap_or_else(|| "–".to_owned());
        let rate_line = crate::text::indicators::screen_rate(
            lang,
            &rate,
            &cell(lang, t.not_performed.total),
            &cell(lang, t.due),
        );
        let lines = sections(i, lang)
            .iter()
            .skip(1)
            .flat_map(table_lines)
            .collect();
        StatsView {
            title: words::screen_title(lang, months, pseudonymised),
            period: words::period(lang, i.from, i.to, i.as_of),
            pseudonymised,
            performed,
            rates,
            rate_labels,
            rate_line,
            trend_line: words::trend_of(lang, i),
            lines,
        }
    }
}

/// The lines PageDown and PageUp move.
const PAGE: u16 = 10;

pub struct StatsState {
    /// Index into [`SPANS`].
    pub span: usize,
    pub view: StatsView,
    /// The first line of the tables shown.
    pub scroll: u16,
}

/// The first day of the span of `months` months ending with `today`'s month.
pub fn span_from(today: NaiveDate, months: u32) -> NaiveDate {
    let first = today.with_day(1).unwrap_or(today);
    first
        .checked_sub_months(Months::new(months.saturating_sub(1)))
        .unwrap_or(first)
}

/// Reads, traces and lays out the figures of the span ending today.
fn load(db: &Db, span: usize, lang: Lang) -> Result<StatsView, crate::storage::StorageError> {
    let today = db.clock().today();
    let months = SPANS.get(span).copied().unwrap_or(SPANS[0]);
    let from = span_from(today, months);
    let (shown, pseudonymised) = crate::report::indicators::figures(db, from, today, false)?;
    Ok(StatsView::build(&shown, lang, pseudonymised, months))
}

impl App {
    /// S: the indicators, refused (with why) to a role that may not read
    /// them.
    pub(super) fn open_stats(&mut self) {
        let lang = self.lang();
        if roles::reads(self.role, Read::Report).is_none() {
            self.error(crate::text::indicators::screen_refused(lang));
            return;
        }
        match load(self.db(), 0, lang) {
            Ok(view) => {
                self.overlay = Some(Overlay::Stats(Box::new(StatsState {
                    span: 0,
                    view,
                    scroll: 0,
                })))
            }
            Err(e) => {
                use crate::text::Localized;
                self.error(e.in_lang(lang));
            }
        }
    }
}

impl Component for StatsState {
    fn context(&self) -> Context {
        Context::Stats
    }

    fn update(&mut self, action: Action, ctx: &mut Ctx<'_>) -> Outcome {
        match action {
            Action::Down => self.scroll = self.scroll.saturating_add(1),
            Action::Up => self.scroll = self.scroll.saturating_sub(1),
            Action::PageDown => self.scroll = self.scroll.saturating_add(PAGE),
            Action::PageUp => self.scroll = self.scroll.saturating_sub(PAGE),
            Action::Top => self.scroll = 0,
            Action::Bottom => self.scroll = u16::MAX,
            Action::Span => {
                let next = (self.span + 1) % SPANS.len();
                match load(ctx.db, next, ctx.lang) {
                    Ok(view) => {
                        self.span = next;
                        self.view = view;
                        self.scroll = 0;
                    }
                    Err(e) => {
                        use crate::text::Localized;
                        ctx.error(e.in_lang(ctx.lang));
                    }
                }
            }
            Action::Close | Action::Dismiss => return Outcome::Close,
            _ => {}
        }
        // Never past the last line (the drawing shows a full last page).
        let last = u16::try_from(self.view.lines.len().saturating_sub(1)).unwrap_or(u16::MAX);
        self.scroll = self.scroll.min(last);
        Outcome::Stay
    }

    /// Someone wrote: the figures are read again (no new trace row within
    /// the minute: the trail keeps one per person, subject and minute).
    fn data_changed(&mut self, now: &Refresh<'_>) -> bool {
        if let Ok(view) = load(now.db, self.span, now.lang) {
            self.view = view;
        }
        true
    }
}
