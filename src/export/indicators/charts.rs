//! The report's charts, as inline SVG drawn by `plotters` (its SVG backend
//! only: no font files, no bitmap). Readable in black and white: black
//! axes and text, grey bars each with its value written above it, the rate
//! as a black line with a cross at each month and its value beside it;
//! nothing is told by colour alone. A masked month ("< 5") has no bar or
//! point, only its mark written on the axis.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::cell;
use crate::domain::indicators::{Cell, Indicators};
use crate::domain::message::Lang;
use crate::text::indicators::{self as words, W, w};

const SIZE: (u32, u32) = (760, 300);

type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;

fn months(i: &Indicators<Cell>) -> Vec<String> {
    i.months.iter().map(|m| m.to_string()).collect()
}

fn svg(draw: impl FnOnce(&Area<'_>) -> Result<(), Box<dyn std::error::Error>>) -> String {
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, SIZE).into_drawing_area();
        // A chart that cannot be drawn is left out; the tables say it all.
        let drawn = root.fill(&WHITE).is_ok() && draw(&root).is_ok();
        if !drawn || root.present().is_err() {
            return String::new();
        }
    }
    out
}

fn label_of(labels: &[String], v: &SegmentValue<u32>) -> String {
    match v {
        SegmentValue::CenterOf(k) => labels.get(*k as usize).cloned().unwrap_or_default(),
        _ => String::new(),
    }
}

/// Procedures performed per month, as bars.
pub fn performed(i: &Indicators<Cell>, lang: Lang) -> String {
    let labels = months(i);
    let cells: Vec<Cell> = i.performed.parts.iter().map(|(_, c)| *c).collect();
    let n = u32::try_from(cells.len()).unwrap_or(u32::MAX).max(1);
    let top = cells.iter().filter_map(|c| c.value()).max().unwrap_or(0);
    let top = top + top / 5 + 1;
    svg(|root| {
        let mut chart = ChartBuilder::on(root)
            .caption(
                w(lang, W::Procedures),
                ("sans-serif", 16).into_font().color(&BLACK),
            )
            .margin(10)
            .x_label_area_size(40)
            .y_label_area_size(40)
            .build_cartesian_2d((0u32..n).into_segmented(), 0u32..top)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(BLACK.mix(0.1))
            .x_labels(labels.len().min(24))
            .x_label_formatter(&|v| label_of(&labels, v))
            .axis_style(BLACK)
            .draw()?;
        chart.draw_series(
            Histogram::vertical(&chart)
                .style(BLACK.mix(0.3).filled())
                .margin(6)
                .data(
                    cells
                        .iter()
                        .enumerate()
                        .filter_map(|(k, c)| Some((u32::try_from(k).ok()?, c.value()?))),
                ),
        )?;
        let above = ("sans-serif", 12)
            .into_font()
            .color(&BLACK)
            .pos(Pos::new(HPos::Center, VPos::Bottom));
        chart.draw_series(cells.iter().enumerate().filter_map(|(k, c)| {
            let k = u32::try_from(k).ok()?;
            Some(Text::new(
                cell(lang, *c),
                (SegmentValue::CenterOf(k), c.value().unwrap_or(0)),
                above.clone(),
            ))
        }))?;
        Ok(())
    })
}

/// The not-performed rate per month, as a line with a marked, labelled
/// point per month with a rate.
pub fn not_performed(i: &Indicators<Cell>, lang: Lang) -> String {
    let labels = months(i);
    let rates: Vec<Option<f64>> = i.not_performed.iter().map(|m| m.rate).collect();
    let n = u32::try_from(rates.len()).unwrap_or(u32::MAX).max(1);
    let top = rates.iter().flatten().fold(0.0f64, |a, b| a.max(*b));
    let top = (top * 1.25).max(5.0);
    let points: Vec<(SegmentValue<u32>, f64)> = rates
        .iter()
        .enumerate()
        .filter_map(|(k, r)| Some((SegmentValue::CenterOf(u32::try_from(k).ok()?), (*r)?)))
        .collect();
    svg(|root| {
        let mut chart = ChartBuilder::on(root)
            .caption(
                w(lang, W::RateChart),
                ("sans-serif", 16).into_font().color(&BLACK),
            )
            .margin(10)
            .x_label_area_size(40)
            .y_label_area_size(50)
            .build_cartesian_2d((0u32..n).into_segmented(), 0f64..top)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(BLACK.mix(0.1))
            .x_labels(labels.len().min(24))
            .x_label_formatter(&|v| label_of(&labels, v))
            .y_label_formatter(&|y| words::percent(lang, *y))
            .axis_style(BLACK)
            .draw()?;
        chart.draw_series(LineSeries::new(
            points.iter().cloned(),
            BLACK.stroke_width(2),
        ))?;
        chart.draw_series(
            points
                .iter()
                .map(|p| Cross::new(p.clone(), 6, BLACK.stroke_width(2))),
        )?;
        let above = ("sans-serif", 12)
            .into_font()
            .color(&BLACK)
            .pos(Pos::new(HPos::Left, VPos::Bottom));
        chart.draw_series(
            points
                .iter()
                .map(|(x, y)| Text::new(words::percent(lang, *y), (x.clone(), *y), above.clone())),
        )?;
        Ok(())
    })
}
