//! The programme (or the minutes) as one self-contained HTML5 page to
//! print: no script, no external resource, A4 landscape, legible in black
//! and white (borders and bold, no meaning carried by colour). Every text
//! from the data is escaped; the words come from `labels.rs`. A case
//! validated by override, or validated and blocking since, says so in its
//! row, in bold and boxed; the page says when it was made and the audit
//! trail's head then.

use std::fmt::Write;

use chrono::Duration;

use super::{Entry, Programme};
use crate::domain::message::Lang;
use crate::domain::vocab::DecisionStatus;
use crate::text::export::{day, labels, status};

const STYLE: &str = "@page { size: A4 landscape; margin: 12mm }
body { font: 10pt/1.3 sans-serif; color: #000; background: #fff; margin: 0 }
h1 { font-size: 15pt; margin: 0 0 4pt }
h2 { font-size: 12pt; margin: 12pt 0 4pt; border-bottom: 1.5pt solid #000; break-after: avoid }
h3 { font-size: 11pt; margin: 10pt 0 3pt; text-decoration: underline; break-after: avoid }
p { margin: 2pt 0 }
table { border-collapse: collapse; width: 100%; margin: 0 0 6pt }
thead { display: table-header-group }
th, td { border: 0.75pt solid #000; padding: 2pt 4pt; text-align: left; vertical-align: top }
th { font-weight: bold; border-bottom: 1.5pt solid #000 }
tr { break-inside: avoid }
td:first-child { white-space: nowrap }
.notice { border: 1.5pt solid #000; padding: 3pt 6pt; font-weight: bold }
.alert { border: 2pt solid #000; padding: 1pt 3pt; font-weight: bold; display: inline-block }
code { font-family: monospace; word-break: break-all }
";

/// Escapes text for HTML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// A table cell as both formats write it: lines (a line break in HTML,
/// " · " in Markdown), the first in bold when `strong`; an `alert` cell is
/// bold throughout, and boxed in HTML. A `\n` inside a line (a note) is a
/// line break in both. Text, not escaped.
pub(super) struct Cell {
    pub(super) lines: Vec<String>,
    pub(super) strong: bool,
    pub(super) alert: bool,
}

fn lines(lines: Vec<String>, strong: bool) -> Cell {
    Cell {
        lines,
        strong,
        alert: false,
    }
}

fn alert(s: String) -> Cell {
    Cell {
        lines: vec![s],
        strong: true,
        alert: true,
    }
}

/// What the committee knew of a validated case, as its row shows it, bold
/// and boxed: validated by override (with its justification when
/// `justification`), or validated but blocking now. None: plainly validated.
fn verdict(lang: Lang, e: &Entry, justification: bool) -> Option<Cell> {
    let said = if justification {
        crate::text::export::alert(lang, e)
    } else {
        crate::text::export::override_head(lang, e).or_else(|| crate::text::export::alert(lang, e))
    };
    said.map(alert)
}

/// Escapes a line of a cell: a `\n` in it becomes `<br>`.
fn escape_lines(s: &str) -> String {
    escape(s).replace('\n', "<br>")
}

fn cell(s: impl Into<String>) -> Cell {
    lines(vec![s.into()], false)
}

fn strong(s: impl Into<String>) -> Cell {
    lines(vec![s.into()], true)
}

fn opt(s: &Option<String>) -> Cell {
    cell(s.as_deref().unwrap_or_default())
}

/// A table (shared with the Markdown): headings and rows.
pub(super) struct Table {
    pub(super) heads: Vec<String>,
    pub(super) rows: Vec<Vec<Cell>>,
}

impl Table {
    /// A table of plain text cells (another command's listing: the chase
    /// list), written by [`plain_table`] or `md::plain_table`.
    pub(super) fn plain(heads: &[&str], rows: Vec<Vec<String>>) -> Table {
        Table {
            heads: self::heads(heads),
            rows: rows
                .into_iter()
                .map(|r| r.into_iter().map(cell).collect())
                .collect(),
        }
    }
}

/// `heads` and `rows` of plain text as an HTML table, escaped as the
/// programme's tables are.
pub fn plain_table(heads: &[&str], rows: Vec<Vec<String>>) -> String {
    let mut o = String::new();
    table(&mut o, &Table::plain(heads, rows), "task");
    o
}

fn heads(words: &[&str]) -> Vec<String> {
    words.iter().map(|w| (*w).to_owned()).collect()
}

/// "Semaine 2026-W49 (30/11/2026 – 06/12/2026)".
pub(super) fn week_line(p: &Programme) -> String {
    let first = p.week.monday().format("%d/%m/%Y");
    let last = (p.week.end() - Duration::days(1)).format("%d/%m/%Y");
    format!("{} {} ({first} – {last})", labels(p.lang).week, p.week)
}

/// "Heures locales : Europe/Paris · 8 interventions validées".
pub(super) fn zone_line(p: &Programme) -> String {
    let l = labels(p.lang);
    let colon = crate::text::export::colon(p.lang);
    let count = crate::text::export::validated_count(p.lang, p.validated.len());
    format!("{}{colon}{} · {count}", l.timezone, p.timezone)
}

/// "Protocole v12, approuvé le 03/11/2026 par Dr Martin": the protocol
/// that judged the week, as the board says it, a sentence of its own.
pub(super) fn protocol_line(p: &Programme) -> String {
    let mut out = crate::text::typo::capital(&p.protocol.line);
    // The version in force at the export, then the one(s) the decisions
    // were taken under: they differ when the rules changed since.
    let decided = &p.protocol.decided_under;
    if let Some(s) = crate::text::protocol::decided_under(p.lang, decided, p.protocol.version) {
        out.push_str(". ");
        out.push_str(&s);
    }
    out
}

/// "Edited Thursday 26/11/2026 13:00 (Europe/Paris) · audit trail head:",
/// the hash to follow.
pub(super) fn edition_line(p: &Programme) -> String {
    crate::text::export::edition(p.lang, p.edition.at, &p.timezone)
}

/// One day of the programme: the committee's decision (validated, by
/// override with its justification, or now blocking) after the operator;
/// no notes column when pseudonymised.
pub(super) fn day_table(p: &Programme, entries: &[&Entry]) -> Table {
    let l = labels(p.lang);
    let time = format!("{}–{}", l.time, l.end);
    let mut heads = heads(&[&time, l.room, l.patient, l.technique, l.target]);
    heads.extend([l.anaesthesia, l.operator, l.decision, l.col_ward].map(str::to_owned));
    if !p.pseudonymised {
        heads.push(l.notes.to_owned());
    }
    let rows = entries.iter().map(|e| {
        let pl = &e.patient;
        let mut patient = vec![
            pl.name.clone(),
            format!("{} {} · {}", pl.age, l.years, pl.sex),
            format!("{} {}", l.ipp, pl.ipp),
        ];
        if let Some(b) = pl.birth_date {
            patient.push(format!("{} {}", l.birth_date, b.format("%d/%m/%Y")));
        }
        let span = format!("{}–{}", e.start.format("%H:%M"), e.end.format("%H:%M"));
        let mut cells = vec![
            strong(span),
            cell(&e.room),
            lines(patient, true),
            cell(&e.technique),
            cell(&e.target),
            cell(&e.anaesthesia),
            cell(&e.operator),
            verdict(p.lang, e, true).unwrap_or_else(|| cell(status(p.lang, e.status))),
            lines(crate::text::export::ward_lines(p.lang, &e.ward), false),
        ];
        if !p.pseudonymised {
            cells.push(lines(e.notes.clone(), false));
        }
        cells
    });
    Table {
        heads,
        rows: rows.collect(),
    }
}

/// "lundi 30/11/2026 08:00".
fn when(lang: Lang, e: &Entry) -> String {
    format!("{} {}", day(lang, e.start.date()), e.start.format("%H:%M"))
}

/// Every case of the week (validated and set apart, in time order) with
/// its decision: reason and week for a postponement, reason for a
/// cancellation, validated by override or now blocking (the justification
/// is in the overrides' table).
pub(super) fn discussed_table(p: &Programme) -> Table {
    let l = labels(p.lang);
    let mut all: Vec<&Entry> = p.validated.iter().chain(&p.set_apart).collect();
    all.sort_by_key(|e| (e.start, &e.room, &e.external_id));
    let no_quorum = p
        .minutes
        .as_ref()
        .and_then(|m| m.quorum_missing.as_ref())
        .is_some_and(|missing| !missing.is_empty());
    let rows = all.into_iter().map(|e| {
        // Ended at its source: its own state, not the committee's word (a
        // validation before it is said: "validated, then cancelled…").
        let ended = e.cancelled_by_source.as_ref().map(|end| {
            let validated = e.status == DecisionStatus::Validated;
            alert(crate::text::feeds::ended_state(p.lang, end, validated))
        });
        // Changed by the hospital's system since the decision: to decide again.
        let changed = e
            .changed_after_decision
            .as_ref()
            .map(|c| alert(crate::text::feeds::changed_after_decision(p.lang, c)));
        let mut decision = ended
            .or(changed)
            .or_else(|| verdict(p.lang, e, false))
            .unwrap_or_else(|| strong(status(p.lang, e.status)));
        if no_quorum && e.status != DecisionStatus::Pending {
            decision.lines.push(l.without_quorum.to_owned());
            decision.alert = true;
        }
        let (reason, to_week) = match e.status {
            DecisionStatus::Postponed => (opt(&e.reason), opt(&e.to_week)),
            DecisionStatus::Cancelled => (opt(&e.reason), cell("")),
            DecisionStatus::Validated | DecisionStatus::Pending => (cell(""), cell("")),
        };
        vec![
            cell(&e.external_id),
            cell(when(p.lang, e)),
            strong(&e.patient.name),
            cell(&e.technique),
            decision,
            reason,
            to_week,
            opt(&e.decided_by),
        ]
    });
    let heads = heads(&[
        l.case,
        l.date,
        l.patient,
        l.technique,
        l.decision,
        l.reason,
        l.to_week,
        l.decided_by,
    ]);
    Table {
        heads,
        rows: rows.collect(),
    }
}

/// The validated cases with an override justification (None: there is none).
pub(super) fn override_table(p: &Programme) -> Option<Table> {
    let l = labels(p.lang);
    let rows: Vec<Vec<Cell>> = p
        .validated
        .iter()
        .filter_map(|e| {
            Some(vec![
                cell(&e.external_id),
                cell(when(p.lang, e)),
                strong(&e.patient.name),
                cell(&e.technique),
                cell(e.override_justification.as_deref()?),
                opt(&e.decided_by),
            ])
        })
        .collect();
    let heads = heads(&[
        l.case,
        l.date,
        l.patient,
        l.technique,
        l.justification,
        l.decided_by,
    ]);
    (!rows.is_empty()).then_some(Table { heads, rows })
}

pub fn render(p: &Programme) -> String {
    let l = labels(p.lang);
    let lang = if p.lang == Lang::Fr { "fr" } else { "en" };
    let head = if p.minutes.is_some() {
        l.minutes_title
    } else {
        l.programme_title
    };
    let title = escape(&format!("{head} — {}", week_line(p)));
    let mut o = format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>{title}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n<header>\n"
    );
    match &p.minutes {
        Some(m) => {
            let meeting = format!("{} {}", l.meeting_of, day(p.lang, m.meeting_date));
            let (head, week) = (escape(head), escape(&week_line(p)));
            let _ = write!(o, "<h1>{head}</h1>\n<p>{week}</p>\n");
            let _ = writeln!(o, "<p><strong>{}</strong></p>", escape(&meeting));
        }
        None => {
            let _ = writeln!(o, "<h1>{title}</h1>");
        }
    }
    if p.pseudonymised {
        let _ = writeln!(o, "<p class=\"notice\">{}</p>", escape(l.pseudonymised));
    }
    let _ = writeln!(o, "<p>{}</p>", escape(&zone_line(p)));
    // The protocol that judged the week; boxed when not the one approved.
    let class = if p.protocol.needs_review {
        "protocol alert"
    } else {
        "protocol"
    };
    let _ = writeln!(o, "<p class=\"{class}\">{}</p>", escape(&protocol_line(p)));
    let (edition, head) = (escape(&edition_line(p)), escape(&p.edition.audit_head));
    let _ = writeln!(
        o,
        "<p class=\"edition\">{edition} <code>{head}</code></p>\n</header>\n<main>"
    );
    let Some(m) = &p.minutes else {
        programme(&mut o, p, 2);
        o.push_str("</main>\n</body>\n</html>\n");
        return o;
    };
    open(&mut o, "present", 2, l.present);
    if m.attendees.is_empty() {
        let _ = writeln!(o, "<p>{}</p>", escape(l.nobody_recorded));
    } else {
        o.push_str("<ul>\n");
        for a in &m.attendees {
            let role = a.role.as_deref().map(|r| format!(" ({})", escape(r)));
            let name = escape(&a.name);
            let _ = writeln!(
                o,
                "<li><strong>{name}</strong>{}</li>",
                role.unwrap_or_default()
            );
        }
        o.push_str("</ul>\n");
    }
    if let Some(missing) = &m.quorum_missing {
        let line = escape(&crate::text::export::quorum_line(p.lang, missing));
        let class = if missing.is_empty() {
            ""
        } else {
            " class=\"alert\""
        };
        let _ = writeln!(o, "<p{class}>{line}</p>");
    }
    o.push_str("</section>\n");
    open(&mut o, "programme", 2, l.programme_title);
    programme(&mut o, p, 3);
    o.push_str("</section>\n");
    open(&mut o, "discussed", 2, l.discussed);
    table(&mut o, &discussed_table(p), "discussed");
    o.push_str("</section>\n");
    open(&mut o, "overrides", 2, l.override_title);
    match override_table(p) {
        Some(t) => table(&mut o, &t, "override"),
        None => o.push_str("<p>—</p>\n"),
    }
    o.push_str("</section>\n");
    if !m.unfinished_exports.is_empty() {
        open(&mut o, "unfinished", 2, l.unfinished_title);
        o.push_str("<ul>\n");
        for u in &m.unfinished_exports {
            let line = escape(&crate::text::export::unfinished(p.lang, u));
            let _ = writeln!(o, "<li>{line}</li>");
        }
        o.push_str("</ul>\n</section>\n");
    }
    open(&mut o, "audit", 2, l.audit_head);
    let (hint, hash) = (escape(l.audit_head_hint), escape(&m.audit_head));
    let _ = writeln!(o, "<p>{hint} <code>{hash}</code></p>\n</section>");
    o.push_str("</main>\n</body>\n</html>\n");
    o
}

/// Opens `<section class>` with its heading; the caller closes it.
fn open(o: &mut String, class: &str, level: u8, heading: &str) {
    let h = escape(heading);
    let _ = writeln!(o, "<section class=\"{class}\">\n<h{level}>{h}</h{level}>");
}

/// The validated programme: one section and one table per day.
fn programme(o: &mut String, p: &Programme, level: u8) {
    let days = p.days();
    if days.is_empty() {
        let no = escape(labels(p.lang).no_validated);
        let _ = writeln!(o, "<p class=\"notice\">{no}</p>");
    }
    for (date, entries) in days {
        open(o, "day", level, &day(p.lang, date));
        table(o, &day_table(p, &entries), "case");
        o.push_str("</section>\n");
    }
}

/// Writes `t`, its rows of class `class`.
fn table(o: &mut String, t: &Table, class: &str) {
    o.push_str("<table>\n<thead><tr>");
    for h in &t.heads {
        let _ = write!(o, "<th scope=\"col\">{}</th>", escape(h));
    }
    o.push_str("</tr></thead>\n<tbody>\n");
    for r in &t.rows {
        let _ = write!(o, "<tr class=\"{class}\">");
        for c in r {
            if c.alert {
                let text: Vec<String> = c.lines.iter().map(|l| escape_lines(l)).collect();
                let text = text.join("<br>");
                let _ = write!(o, "<td><strong class=\"alert\">{text}</strong></td>");
                continue;
            }
            o.push_str("<td>");
            for (i, line) in c.lines.iter().enumerate() {
                match (i, c.strong) {
                    (0, true) => {
                        let _ = write!(o, "<strong>{}</strong>", escape_lines(line));
                    }
                    (0, false) => o.push_str(&escape_lines(line)),
                    _ => {
                        let _ = write!(o, "<br>{}", escape_lines(line));
                    }
                }
            }
            o.push_str("</td>");
        }
        o.push_str("</tr>\n");
    }
    o.push_str("</tbody>\n</table>\n");
}

#[cfg(test)]
#[path = "html_tests.rs"]
mod tests;
