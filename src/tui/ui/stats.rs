//! The indicators (S): the period, procedures performed per month as bars,
//! the not-performed rate per month as a sparkline with the period's rate
//! and trend, then the report's tables (scrolled). Drawing only reads the
//! state: every text was made when the figures were read.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Bar, BarChart, BarGroup, Block, Borders, Clear, Paragraph, Sparkline, Widget,
};

use super::layout::centred;
use crate::text::indicators::{W, w};
use crate::tui::app::{App, StatsState};

/// The bars' height (with their labels).
const BARS_H: u16 = 9;
/// The sparkline's height.
const SPARK_H: u16 = 3;

pub fn render(app: &App, s: &StatsState, area: Rect, buf: &mut Buffer) {
    let lang = app.lang();
    let theme = &app.opts.theme;
    let v = &s.view;
    let rect = centred(area, 120.min(area.width), area.height.saturating_sub(2));
    Clear.render(rect, buf);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(v.title.as_str())
        .title_style(theme.title);
    let inner = block.inner(rect);
    block.render(rect, buf);
    let [
        period,
        bars_title,
        bars,
        rate_title,
        spark,
        labels,
        rate,
        tables,
    ] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(BARS_H),
        Constraint::Length(1),
        Constraint::Length(SPARK_H),
        Constraint::Length(1),
        Constraint::Length(2),
        Constraint::Min(0),
    ])
    .areas(inner);
    Paragraph::new(Span::styled(v.period.as_str(), theme.muted)).render(period, buf);
    Paragraph::new(Span::styled(w(lang, W::Procedures), theme.title)).render(bars_title, buf);
    let n = u16::try_from(v.performed.len().max(1)).unwrap_or(u16::MAX);
    // Each month's bar as wide as the width leaves it, a column between.
    let width = (bars.width.saturating_sub(n.saturating_sub(1)) / n).max(1);
    let group: Vec<Bar> = v
        .performed
        .iter()
        .map(|b| {
            Bar::default()
                .value(b.value)
                .text_value(b.shown.clone())
                .label(Line::from(b.label.as_str()))
        })
        .collect();
    BarChart::default()
        .data(BarGroup::default().bars(&group))
        .bar_width(width)
        .bar_gap(1)
        .bar_style(theme.base)
        .value_style(theme.selected)
        .label_style(theme.muted)
        .render(bars, buf);
    Paragraph::new(Span::styled(w(lang, W::RateChart), theme.title)).render(rate_title, buf);
    // The sparkline under the bars: each month as wide as its bar.
    let step = usize::from(width) + 1;
    let data: Vec<Option<u64>> = v
        .rates
        .iter()
        .flat_map(|r| std::iter::repeat_n(*r, step))
        .collect();
    Sparkline::default()
        .data(&data)
        .style(theme.base)
        .absent_value_symbol("·")
        .absent_value_style(theme.muted)
        .render(spark, buf);
    // Each month's rate (%) centred under its column.
    let mut under = String::new();
    for l in &v.rate_labels {
        let w = usize::from(width);
        under.push_str(&format!("{l:^w$} "));
    }
    Paragraph::new(Span::styled(under, theme.muted)).render(labels, buf);
    Paragraph::new(vec![
        Line::from(v.rate_line.as_str()),
        Line::from(Span::styled(v.trend_line.as_str(), theme.muted)),
    ])
    .render(rate, buf);
    let lines: Vec<Line> = v
        .lines
        .iter()
        .skip(usize::from(s.scroll).min(v.lines.len().saturating_sub(usize::from(tables.height))))
        .take(usize::from(tables.height))
        .map(|l| {
            let style = if l.heading { theme.title } else { theme.base };
            Line::from(Span::styled(l.text.as_str(), style))
        })
        .collect();
    Paragraph::new(lines).render(tables, buf);
}
