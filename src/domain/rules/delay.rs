//! The reflection delay (the "48 h rule"): the pre-interventional consultation
//! must take place more than `delay.min_hours` before the procedure.
//!
//! - Elapsed time is counted in the hospital's time zone, so a
//!   daylight-saving change counts (a 25 h night in October).
//! - A consultation recorded as a date alone counts as the end of that day
//!   (the conservative reading): on the 28th, for an 08:30 procedure on the
//!   30th, only 32 h 30 have elapsed.
//! - Exactly `delay.min_hours` is not enough: the rule is "more than".
//! - A delay under `delay.advise_below` calendar days stays ok, with an
//!   advisory (about two weeks of reflection are advised).
//!
//! Codes: `delay.ok`, `delay.short` (ok, advisory), `delay.too_short`,
//! `delay.missing` (no consultation), `delay.rule_missing`.

use chrono::Duration;

use super::{Context, Elapsed, Evidence, Finding, Findings, Item, Msg, RuleRow, Severity, Status};
use super::{Latest, Unit, Window, required, required_value, rule_missing};
use crate::domain::model::CaseFile;
use crate::domain::time::days_before;

pub(super) fn findings(case: &CaseFile, ctx: &Context) -> Findings {
    let risk = ctx.risk(case);
    let Some(consultation) = &case.consultation else {
        let msg = Msg::NoEvidence {
            what: Evidence::Consultation,
        };
        return Ok(vec![Finding::new(
            "delay.missing",
            Status::Missing,
            Severity::Blocking,
            msg,
        )]);
    };
    let at = consultation.at;
    let DelayWindow { elapsed, severity } = window(case, ctx)?;
    let min_hours = elapsed.min.num_seconds() as f64 / 3600.0;

    let waited = elapsed.waited(at);
    if !elapsed.admits(at) {
        let msg = Msg::DelayTooShort {
            at,
            minutes: waited.num_minutes(),
            min_hours,
        };
        return Ok(vec![Finding::new(
            "delay.too_short",
            Status::OutOfRange,
            severity,
            msg,
        )]);
    }

    let days = days_before(at.date(), case.day());
    let (advise_days, advise_severity) =
        required_value(ctx, Item::Delay, "delay.advise_below", "*", risk)?;
    if (days as f64) < advise_days {
        let msg = Msg::DelayUnder {
            at,
            days,
            advise_days,
        };
        return Ok(vec![Finding::ok_advisory(
            "delay.short",
            advise_severity,
            msg,
        )]);
    }
    Ok(vec![Finding::ok(
        "delay.ok",
        Msg::DelayOk {
            at,
            days,
            min_hours,
        },
    )])
}

/// When the pre-interventional consultation must take place: more than
/// `delay.min_hours` before the procedure, with the row's severity.
pub struct DelayWindow {
    pub elapsed: Elapsed,
    pub severity: Severity,
}

impl DelayWindow {
    pub fn window(&self) -> Window {
        Window {
            earliest: None,
            latest: Latest::Elapsed(self.elapsed),
        }
    }
}

/// The reflection delay's window. What judges the item, and what the chase
/// list shows.
pub fn window(case: &CaseFile, ctx: &Context) -> Result<DelayWindow, Finding> {
    let min_row = required(ctx, Item::Delay, "delay.min_hours", "*", ctx.risk(case))?;
    let min = span(min_row).ok_or_else(|| rule_missing(Item::Delay, "delay.min_hours", "*"))?;
    Ok(DelayWindow {
        elapsed: Elapsed {
            min,
            more_than: true,
            procedure: case.procedure.scheduled_at,
            tz: ctx.tz,
        },
        severity: min_row.severity,
    })
}

/// A row's value as a duration (hours, or minutes or days if the table says
/// so); `None` for a value no duration can hold (never panics: the load
/// refuses such rows, and a rule set built otherwise reads as missing).
fn span(row: &RuleRow) -> Option<Duration> {
    let v = row.value.filter(|v| v.is_finite() && *v >= 0.0)?;
    let seconds = match row.unit {
        Unit::Minutes => v * 60.0,
        Unit::Hours => v * 3600.0,
        Unit::Days => v * 86_400.0,
        _ => return None,
    };
    // `as` saturates; an out-of-range count of seconds gives `None`.
    Duration::try_seconds(seconds.round() as i64)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::testkit::{ctx, expect, item, rules, with};
    use super::super::{Context, Item, ItemResult, RuleSet, Severity, Status, evaluate_item};
    use crate::domain::message::Lang;

    const BLOCKING: (Status, Severity, &str) =
        (Status::OutOfRange, Severity::Blocking, "delay.too_short");
    const ADVISORY: (Status, Severity, &str) = (Status::Ok, Severity::Advisory, "delay.short");
    const OK: (Status, Severity, &str) = (Status::Ok, Severity::None, "delay.ok");

    fn delay(consultation: &str, scheduled: &str) -> ItemResult {
        let case = with(json!({
            "procedure": { "scheduled_at": scheduled },
            "consultation": { "at": consultation, "radiologist": "Dr Roy", "leaflet_given": true }
        }));
        item(&case, Item::Delay)
    }

    #[test]
    #[rustfmt::skip] // one row per case
    fn forty_eight_hours_at_the_edges() {
        let table = [
            ("47 h 59", "2026-11-29T08:31", "2026-12-01T08:30", BLOCKING),
            ("exactly 48 h", "2026-11-29T08:30", "2026-12-01T08:30", BLOCKING),
            ("48 h 01", "2026-11-29T08:29", "2026-12-01T08:30", ADVISORY),
            ("date only, two days before 08:30", "2026-11-29", "2026-12-01T08:30", BLOCKING),
            ("date only, three days before", "2026-11-28", "2026-12-01T08:30", ADVISORY),
            ("after the procedure", "2026-12-02T08:00", "2026-12-01T08:30", BLOCKING),
            // Clocks go back on 2026-10-25: 47 h on the wall are 48 h elapsed.
            ("October DST, exactly 48 h", "2026-10-24T09:30", "2026-10-26T08:30", BLOCKING),
            ("October DST, 48 h 30", "2026-10-24T09:00", "2026-10-26T08:30", ADVISORY),
            // Clocks go forward on 2026-03-29: 48 h 30 on the wall are 47 h 30.
            ("March DST, 47 h 30", "2026-03-28T08:00", "2026-03-30T08:30", BLOCKING),
            // 02:30 happens twice on 2026-10-25: the later one is taken for the
            // consultation (47 h 15 elapsed, not 48 h 15).
            ("October overlap, consultation 02:30", "2026-10-25T02:30", "2026-10-27T01:45", BLOCKING),
            ("October overlap, consultation 01:30", "2026-10-25T01:30", "2026-10-27T01:45", ADVISORY),
            // Timed after the procedure, the same day.
            ("same day, after the procedure", "2026-12-01T15:00", "2026-12-01T08:00", BLOCKING),
            ("13 days", "2026-11-18T10:00", "2026-12-01T08:30", ADVISORY),
            ("14 days", "2026-11-17T10:00", "2026-12-01T08:30", OK),
        ];
        for (label, consultation, scheduled, (status, severity, code)) in table {
            expect(label, &delay(consultation, scheduled), status, severity, code);
        }
    }

    /// The delay item with `delay.min_hours` set to `value` (bypassing the
    /// load-time check, which refuses such rows).
    fn delay_with_min(value: f64) -> ItemResult {
        let rows = rules()
            .rows()
            .iter()
            .cloned()
            .map(|mut r| {
                if r.rule == "delay.min_hours" {
                    r.value = Some(value);
                }
                r
            })
            .collect();
        let rules = RuleSet::new(rows);
        let ctx = Context {
            rules: &rules,
            ..ctx()
        };
        let case = with(json!({ "consultation": { "at": "2026-11-10T10:00" } }));
        evaluate_item(Item::Delay, &case, &ctx)
    }

    #[test]
    fn absurd_table_values_never_panic() {
        for value in [1e300, f64::MAX, f64::INFINITY, f64::NAN, -1.0, 3e15] {
            let r = delay_with_min(value);
            expect(
                &format!("min {value}"),
                &r,
                Status::Missing,
                Severity::Blocking,
                "delay.rule_missing",
            );
        }
        // Huge but representable: simply too short.
        let r = delay_with_min(1e9);
        expect(
            "min 1e9 h",
            &r,
            Status::OutOfRange,
            Severity::Blocking,
            "delay.too_short",
        );
    }

    #[test]
    fn no_consultation_is_missing() {
        let r = item(&with(json!({ "consultation": null })), Item::Delay);
        expect(
            "none",
            &r,
            Status::Missing,
            Severity::Blocking,
            "delay.missing",
        );
    }

    #[test]
    #[rustfmt::skip] // long expected strings
    fn messages_name_the_consultation_and_the_rule() {
        let r = delay("2026-11-28", "2026-11-30T08:00");
        assert_eq!(r.message(Lang::En),
            "consultation 2026-11-28 (date only, counted 24:00), 32 h before the procedure: needs > 48 h");
        assert_eq!(r.message(Lang::Fr),
            "consultation du 28/11/2026 (date seule, comptée à 24:00), 32 h avant l'acte\u{a0}: il faut plus de 48 h");
        let r = delay("2026-12-01T10:30", "2026-12-01T08:00");
        assert_eq!(r.message(Lang::En),
            "consultation 2026-12-01 10:30, 2 h 30 after the procedure: needs > 48 h");
        let r = delay("2026-11-29T08:31", "2026-12-01T08:30");
        assert!(r.message(Lang::En).contains("47 h 59 before"), "{}", r.message(Lang::En));
        let r = delay("2026-11-25T10:00", "2026-12-01T08:30");
        assert_eq!(r.message(Lang::En),
            "consultation 2026-11-25 10:00, 6 days before the procedure: reflection delay under 14 days");
    }
}
