//! `check --format text`: the week as a person reads it on a terminal.
//! Every string from the database is sanitised again here (a second wall
//! behind the sanitising at import): no escape sequence reaches a terminal.

use std::fmt::Write;

use chrono::{Datelike, NaiveDate};

use super::{CaseReport, WeekReport};
use crate::domain::message::Lang;
use crate::domain::text::sanitize_line;
use crate::domain::time::parse_datetime;
use crate::text::rules::access_name;
use crate::text::words;

/// Renders the report as plain text.
pub fn render_text(r: &WeekReport, lang: Lang) -> String {
    let t = words::texts(lang);
    let c = &r.counts;
    let mut out = String::new();
    // What must be known before reading the rest comes first.
    if r.pseudonymised {
        let _ = writeln!(out, "{}", words::pseudonymised_header(lang));
    }
    // The protocol's warning is shown with the week's line, below.
    for w in r
        .warnings
        .iter()
        .filter(|w| w.code != super::PROTOCOL_WARNING)
    {
        let _ = writeln!(out, "{}", words::warning(lang, &clean(&w.message)));
    }
    if !r.alerts.is_empty() {
        use crate::text::alerts;
        let days = super::alerts::ALERT_DAYS;
        let _ = writeln!(out, "{}", alerts::heading(lang, r.alerts.len(), days));
        for a in &r.alerts {
            let at = a.scheduled_at.replace('T', " ");
            let line = alerts::line(lang, &clean(&a.external_id), &at, &a.items);
            let _ = writeln!(out, "{line}");
        }
    }
    if r.held_identity_mismatch > 0 {
        let line = crate::text::held::check_line(lang, r.held_identity_mismatch);
        let _ = writeln!(out, "{line}");
    }
    let _ = write!(
        out,
        "{} {} ({} → {}) · {} {} · {} {} · {} {} · {} {} · {} {} · {} {}",
        t.week,
        r.week,
        crate::text::typo::iso_date(lang, &r.from),
        crate::text::typo::iso_date(lang, &r.to),
        t.cases,
        c.cases,
        t.complete,
        c.complete,
        t.blocking,
        c.blocking,
        t.validated,
        c.validated,
        t.postponed,
        c.postponed,
        t.cancelled,
        c.cancelled
    );
    // As the screen's header: shown when there are some.
    if c.to_reschedule > 0 {
        let _ = write!(out, " · {} {}", t.to_reschedule, c.to_reschedule);
    }
    // Not a committee decision: counted apart, shown when there are some.
    if c.cancelled_by_source > 0 {
        let _ = write!(
            out,
            " · {}",
            crate::text::feeds::ended_count(lang, c.cancelled_by_source)
        );
    }
    let _ = writeln!(out);
    // The protocol that judged the week, as the board's header says it; a
    // warning when the rules are not the ones approved.
    if let Some(p) = &r.protocol {
        let line = clean(&p.line);
        let line = if p.needs_review {
            words::warning(lang, &line)
        } else {
            line
        };
        let _ = writeln!(out, "{line}");
    }
    let _ = writeln!(out, "{}", words::legend(lang));
    if !r.to_reschedule.is_empty() {
        let _ = writeln!(
            out,
            "\n{}{} {}",
            t.to_reschedule_section, t.colon, c.to_reschedule
        );
        for case in &r.to_reschedule {
            // Its original slot, in another week: the date with the time.
            let when = parse_datetime(&case.scheduled_at).map_or_else(
                |_| clean(&case.scheduled_at),
                |at| crate::text::typo::date_time(lang, at),
            );
            render_case(&mut out, case, &when, lang);
            render_postponement(&mut out, case, lang);
            render_notes(&mut out, case, lang);
        }
    }
    if r.cases.is_empty() {
        let _ = writeln!(out, "\n{}", t.no_cases);
        return out;
    }
    let mut day: Option<NaiveDate> = None;
    for case in &r.cases {
        let Ok(at) = parse_datetime(&case.scheduled_at) else {
            continue;
        };
        if day != Some(at.date()) {
            day = Some(at.date());
            let name = t.weekdays[at.weekday().num_days_from_monday() as usize];
            let _ = writeln!(out, "\n{name} {}", crate::text::typo::date(lang, at.date()));
        }
        render_case(&mut out, case, &at.format("%H:%M").to_string(), lang);
        render_notes(&mut out, case, lang);
    }
    out
}

fn clean(s: &str) -> String {
    sanitize_line(s)
}

fn render_case(out: &mut String, c: &CaseReport, time: &str, lang: Lang) {
    let t = words::texts(lang);
    let p = &c.patient;
    let verdict = if c.validated_but_blocking {
        t.validated_but_blocking.to_owned()
    } else if c.complete {
        t.case_complete.to_owned()
    } else {
        t.case_blocking.to_owned()
    };
    // A booking ended at its source is the case's own state: neither the
    // committee's decision word nor complete/blocking would tell it.
    let state = match &c.cancelled_by_source {
        Some(end) => format!("✗ {}", clean(&end.message)),
        None => format!("{}  {verdict}", words::decision(lang, c.status)),
    };
    let name = match &p.initials {
        Some(initials) => clean(initials),
        None => format!(
            "{} {}",
            clean(p.last_name.as_deref().unwrap_or_default()).to_uppercase(),
            clean(p.first_name.as_deref().unwrap_or_default())
        ),
    };
    // A patient who died: the board's mark and the day, after the name.
    // (Pseudonymised, the month only: "2026-11".)
    let name = match p.died_on.as_deref() {
        Some(d) => match chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d") {
            Ok(on) => format!(
                "{name} {} {}",
                crate::text::followup::DECEASED_MARK,
                crate::text::followup::deceased(lang, on)
            ),
            Err(_) => match chrono::NaiveDate::parse_from_str(&format!("{d}-01"), "%Y-%m-%d") {
                Ok(on) => format!(
                    "{name} {} {}",
                    crate::text::followup::DECEASED_MARK,
                    crate::text::followup::deceased_in(lang, on)
                ),
                Err(_) => format!("{name} {}", crate::text::followup::DECEASED_MARK),
            },
        },
        None => name,
    };
    let _ = writeln!(
        out,
        "  {time}  {}  {name} ({} {}, {}, IPP {})  {}  {}",
        clean(&c.room),
        p.age,
        t.years,
        p.sex,
        clean(&p.ipp),
        clean(&c.external_id),
        state
    );
    let techniques: Vec<&str> = c
        .techniques
        .iter()
        .map(|x| words::technique(lang, *x))
        .collect();
    let _ = writeln!(
        out,
        "         {} · {} · {} · {} · {} {}{}",
        techniques.join(" + "),
        clean(&c.target),
        words::anaesthesia(lang, c.anaesthesia),
        clean(&c.operator),
        t.risk,
        words::risk(lang, c.bleeding_risk),
        c.access
            .map(|a| format!(" · {}", access_name(a, lang)))
            .unwrap_or_default()
    );
    for item in &c.items {
        let _ = writeln!(
            out,
            "         {} {:<13} {}",
            words::marker(item.severity, item.status),
            words::item(lang, item.item),
            clean(&item.message)
        );
    }
    for m in &c.scores.mirels {
        let label = m.lesion.as_deref().map(clean).unwrap_or_default();
        let parts = breakdown_text(&m.breakdown, lang);
        let total = match (m.total, m.band) {
            (Some(total), Some(band)) => format!("{total} ({})", words::mirels_band(lang, band)),
            _ => format!(
                "{}, {}{} {}",
                t.incomplete_score,
                t.missing_items,
                t.colon,
                missing_text(&m.missing, lang)
            ),
        };
        let _ = writeln!(out, "         Mirels {label}: {total} [{parts}]");
    }
    for s in &c.scores.sins {
        let label = s.level.map(|l| l.to_string()).unwrap_or_default();
        let parts = breakdown_text(&s.breakdown, lang);
        let total = match (s.total, s.band) {
            (Some(total), Some(band)) => format!("{total} ({})", words::sins_band(lang, band)),
            _ => format!(
                "{}, {}{} {}",
                t.incomplete_score,
                t.missing_items,
                t.colon,
                missing_text(&s.missing, lang)
            ),
        };
        let _ = writeln!(out, "         SINS {label}: {total} [{parts}]");
    }
}

fn render_notes(out: &mut String, c: &CaseReport, lang: Lang) {
    let t = words::texts(lang);
    for n in &c.notes {
        // A note may span lines: each line indented under the case.
        let body = crate::domain::text::sanitize(&n.body);
        let mut lines = body.lines();
        let first = lines.next().unwrap_or("");
        let _ = writeln!(
            out,
            "         {} ({}, {}): {}",
            t.note,
            clean(&n.author),
            clean(&n.at),
            clean(first)
        );
        for line in lines {
            let _ = writeln!(out, "           {}", clean(line));
        }
    }
}

/// Why a case to reschedule was postponed: its postponement in force.
fn render_postponement(out: &mut String, c: &CaseReport, lang: Lang) {
    use crate::domain::record::DecisionKind;
    let t = words::texts(lang);
    let Some(d) = c
        .decisions
        .iter()
        .rev()
        .find(|d| d.decision == DecisionKind::Postponed && !d.undone)
    else {
        return;
    };
    let reason = d.reason.as_deref().map(clean).unwrap_or_default();
    let _ = writeln!(
        out,
        "         {} ({}){} {reason}",
        t.postponed_because,
        clean(&d.by),
        t.colon
    );
}

fn missing_text(names: &[&str], lang: Lang) -> String {
    names
        .iter()
        .map(|n| words::score_item(lang, n))
        .collect::<Vec<_>>()
        .join(", ")
}

fn breakdown_text(b: &super::Breakdown, lang: Lang) -> String {
    b.0.iter()
        .map(|i| {
            let name = words::score_item(lang, i.name);
            match i.points {
                Some(p) => format!("{name} {p}"),
                None => format!("{name} ?"),
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}
