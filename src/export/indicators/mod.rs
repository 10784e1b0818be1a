//! The committee's indicators as a document (`ir-committee report`, issue
//! 15 §4): the figures of `domain::indicators` laid out as titled tables,
//! each figure beside its denominator, then written as Markdown, CSV or an
//! HTML page with its charts ([`charts`]). JSON is the figures themselves.

mod charts;
#[cfg(test)]
mod tests;

use std::fmt::Write;

use crate::domain::indicators::{Cell, Indicators, NotPerformedMonth, Spread};
use crate::domain::message::Lang;
use crate::domain::vocab::ReasonCode;
use crate::text::Label;
use crate::text::indicators::{self as words, W, w};

/// A titled table.
pub struct Section {
    pub title: String,
    pub heads: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// A line under the table (the trend).
    pub note: Option<String>,
}

/// A count as shown.
pub fn cell(lang: Lang, c: Cell) -> String {
    match c {
        Cell::N(n) => n.to_string(),
        Cell::Under5 => "< 5".to_owned(),
        Cell::Hidden => w(lang, W::Hidden).to_owned(),
    }
}

fn opt(lang: Lang, x: Option<f64>) -> String {
    x.map(|x| words::number(lang, x))
        .unwrap_or_else(|| "–".to_owned())
}

fn rate(lang: Lang, x: Option<f64>) -> String {
    x.map(|x| words::percent(lang, x))
        .unwrap_or_else(|| "–".to_owned())
}

/// A share of a denominator, as "n / d (p %)".
fn share(lang: Lang, n: Cell, d: Cell) -> Vec<String> {
    let p = match (n.value(), d.value()) {
        (Some(n), Some(d)) => crate::domain::indicators::percent(n, d),
        _ => None,
    };
    vec![cell(lang, n), cell(lang, d), rate(lang, p)]
}

fn reason(lang: Lang, r: Option<ReasonCode>) -> String {
    r.map(|r| r.label(lang))
        .unwrap_or(w(lang, W::NotCoded))
        .to_owned()
}

/// Every table of the report, in order.
pub fn sections(i: &Indicators<Cell>, lang: Lang) -> Vec<Section> {
    let s = |x: W| w(lang, x).to_owned();
    let c = |x: Cell| cell(lang, x);
    let months: Vec<String> = i.months.iter().map(|m| m.to_string()).collect();
    let mut out = Vec::new();

    // Activity: one row per technique, one column per month.
    let mut heads = vec![s(W::Technique)];
    heads.extend(months.iter().cloned());
    heads.push(s(W::Total));
    let mut rows: Vec<Vec<String>> = i
        .activity
        .iter()
        .map(|(t, split)| {
            let mut r = vec![t.label(lang).to_owned()];
            r.extend(split.parts.iter().map(|(_, x)| c(*x)));
            r.push(c(split.total));
            r
        })
        .collect();
    let mut total = vec![s(W::Procedures)];
    total.extend(i.performed.parts.iter().map(|(_, x)| c(*x)));
    total.push(c(i.performed.total));
    rows.push(total);
    out.push(Section {
        title: s(W::Activity),
        heads,
        rows,
        note: None,
    });

    // Committee outcomes, each over the period's cases.
    let mut rows = vec![
        vec![s(W::Validated), c(i.validated), c(i.cases)],
        vec![s(W::Overridden), c(i.overridden), c(i.cases)],
        vec![s(W::Pending), c(i.pending), c(i.cases)],
        vec![s(W::Postponed), c(i.postponed.total), c(i.cases)],
    ];
    rows.extend(i.postponed.parts.iter().map(|(r, x)| {
        vec![
            format!("  {} · {}", s(W::Postponed), reason(lang, *r)),
            c(*x),
            c(i.postponed.total),
        ]
    }));
    rows.push(vec![s(W::Cancelled), c(i.cancelled.total), c(i.cases)]);
    rows.extend(i.cancelled.parts.iter().map(|(r, x)| {
        vec![
            format!("  {} · {}", s(W::Cancelled), reason(lang, *r)),
            c(*x),
            c(i.cancelled.total),
        ]
    }));
    out.push(Section {
        title: s(W::Committee),
        heads: vec![s(W::Decision), s(W::Cases), s(W::OutOf)],
        rows,
        note: None,
    });

    // Cases per committee week.
    let mut rows: Vec<Vec<String>> = i
        .meetings
        .parts
        .iter()
        .map(|(wk, x)| vec![wk.to_string(), c(*x)])
        .collect();
    rows.push(vec![s(W::Total), c(i.meetings.total)]);
    let pm = &i.per_meeting;
    let note = format!(
        "{}{} {} {} · {} {} · n = {}",
        s(W::PerMeeting),
        crate::text::typo::colon(lang),
        s(W::Median),
        opt(lang, pm.median),
        s(W::P90),
        opt(lang, pm.p90),
        pm.n
    );
    out.push(Section {
        title: s(W::Meetings),
        heads: vec![s(W::Week), s(W::Cases)],
        rows,
        note: Some(note),
    });

    // Not performed on the day, per month and reason.
    let mut heads = vec![
        s(W::Month),
        s(W::Due),
        s(W::Unrecorded),
        s(W::NotPerformed),
        s(W::Rate),
    ];
    heads.extend(ReasonCode::ALL.iter().map(|r| r.label(lang).to_owned()));
    let row = |label: String, m: &NotPerformedMonth<Cell>| {
        let mut r = vec![
            label,
            c(m.due),
            c(m.unrecorded),
            c(m.not_performed.total),
            rate(lang, m.rate),
        ];
        r.extend(m.not_performed.parts.iter().map(|(_, x)| c(*x)));
        r
    };
    let mut rows: Vec<Vec<String>> = i
        .not_performed
        .iter()
        .map(|m| row(m.month.to_string(), m))
        .collect();
    rows.push(row(s(W::Period), &i.not_performed_total));
    out.push(Section {
        title: s(W::NotPerformed),
        heads,
        rows,
        note: Some(words::trend_of(lang, i)),
    });

    // Delays.
    let delay =
        |label: W, d: &Spread<Cell>| vec![s(label), opt(lang, d.median), opt(lang, d.p90), c(d.n)];
    out.push(Section {
        title: s(W::Delays),
        heads: vec![s(W::Delay), s(W::Median), s(W::P90), "n".to_owned()],
        rows: vec![
            delay(W::ConsultationToProcedure, &i.consultation_to_procedure),
            delay(W::CommitteeToProcedure, &i.committee_to_procedure),
        ],
        note: None,
    });

    // The M1 follow-up: every figure over its own denominator.
    let with = |label: W, n: Cell, d: Cell| {
        let mut r = vec![s(label)];
        r.extend(share(lang, n, d));
        r
    };
    let rows = vec![
        with(W::M1Reached, i.m1_reached, i.m1_due),
        with(W::PainDown2, i.pain_down_2, i.pain_n),
        with(W::PainDownHalf, i.pain_down_half, i.pain_n),
        with(W::AnalgesicsDown, i.analgesics_down, i.analgesics_n),
        vec![
            s(W::PainBefore),
            opt(lang, i.pain_before),
            c(i.pain_n),
            String::new(),
        ],
        vec![
            s(W::PainM1),
            opt(lang, i.pain_m1),
            c(i.pain_n),
            String::new(),
        ],
        vec![s(W::M1Died), c(i.m1_died), String::new(), String::new()],
    ];
    out.push(Section {
        title: s(W::FollowUp),
        heads: vec![s(W::Figure), s(W::Cases), s(W::OutOf), s(W::Rate)],
        rows,
        note: None,
    });

    // Complications, over the performed procedures.
    let rows = i
        .complications
        .parts
        .iter()
        .map(|(g, x)| {
            let label = g
                .map(|g| words::grade(lang, g.get()))
                .unwrap_or_else(|| s(W::NoComplication));
            let mut r = vec![label];
            r.extend(share(lang, *x, i.complications.total));
            r
        })
        .collect();
    out.push(Section {
        title: s(W::Complications),
        heads: vec![s(W::Grade), s(W::Cases), s(W::OutOf), s(W::Rate)],
        rows,
        note: None,
    });
    out
}

fn strs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

/// The report as Markdown.
pub fn markdown(i: &Indicators<Cell>, lang: Lang, pseudonymised: bool) -> String {
    let md = crate::export::md::escape;
    let mut o = format!(
        "# {}\n\n{}\n",
        md(w(lang, W::Title)),
        md(&words::period(lang, i.from, i.to, i.as_of))
    );
    for s in sections(i, lang) {
        let _ = write!(o, "\n## {}\n", md(&s.title));
        o.push_str(&crate::export::md::plain_table(&strs(&s.heads), s.rows));
        if let Some(n) = s.note {
            let _ = write!(o, "\n{}\n", md(&n));
        }
    }
    let _ = write!(o, "\n## {}\n\n", md(w(lang, W::Method)));
    for m in words::method(lang, pseudonymised) {
        let _ = writeln!(o, "- {}", md(m));
    }
    o
}

/// The report as CSV: one line per table row, the table's title first.
pub fn csv(i: &Indicators<Cell>, lang: Lang) -> String {
    let mut lines: Vec<Vec<String>> = Vec::new();
    for s in sections(i, lang) {
        let mut head = vec![s.title.clone()];
        head.extend(s.heads.iter().cloned());
        lines.push(head);
        for r in s.rows {
            let mut l = vec![s.title.clone()];
            l.extend(r.into_iter().map(|c| c.trim().to_owned()));
            lines.push(l);
        }
        if let Some(n) = s.note {
            lines.push(vec![s.title.clone(), n]);
        }
    }
    // Every line as wide as the widest (the writer wants fixed-width rows).
    let width = lines.iter().map(Vec::len).max().unwrap_or(0);
    for l in &mut lines {
        l.resize(width, String::new());
    }
    crate::export::csv::sheet(lines.iter())
}

/// The report as one self-contained HTML page, its charts inline SVG.
pub fn html(i: &Indicators<Cell>, lang: Lang, pseudonymised: bool) -> String {
    let e = crate::export::html::escape;
    let mut o = String::new();
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title><style>{STYLE}</style></head><body>\n<h1>{}</h1>\n<p>{}</p>\n",
        lang.code(),
        e(w(lang, W::Title)),
        e(w(lang, W::Title)),
        e(&words::period(lang, i.from, i.to, i.as_of)),
    );
    let _ = writeln!(o, "<figure>{}</figure>", charts::performed(i, lang));
    let _ = writeln!(o, "<figure>{}</figure>", charts::not_performed(i, lang));
    for s in sections(i, lang) {
        let _ = writeln!(o, "<h2>{}</h2>", e(&s.title));
        o.push_str(&crate::export::html::plain_table(&strs(&s.heads), s.rows));
        if let Some(n) = s.note {
            let _ = writeln!(o, "<p>{}</p>", e(&n));
        }
    }
    let _ = write!(o, "<h2>{}</h2>\n<ul>\n", e(w(lang, W::Method)));
    for m in words::method(lang, pseudonymised) {
        let _ = writeln!(o, "<li>{}</li>", e(m));
    }
    o.push_str("</ul>\n</body></html>\n");
    o
}

const STYLE: &str = "@page { size: A4 landscape; margin: 12mm }
body { font: 10pt/1.3 sans-serif; color: #000; background: #fff; margin: 0 }
h1 { font-size: 15pt; margin: 0 0 4pt }
h2 { font-size: 12pt; margin: 12pt 0 4pt; border-bottom: 1.5pt solid #000 }
table { border-collapse: collapse; margin: 0 0 6pt }
th, td { border: 0.75pt solid #000; padding: 2pt 4pt; text-align: left }
th { font-weight: bold }
figure { margin: 6pt 0 }
";
