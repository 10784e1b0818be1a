//! Biology: blood count (neutrophils) and creatinine (eGFR), dated at most
//! `biology.max_age` calendar days before the procedure.
//!
//! - neutrophils < `biology.neutrophils_min` → out of range;
//! - ongoing sepsis → out of range, with the `biology.sepsis` row's severity;
//! - contrast techniques (rows `biology.egfr_block_below` and
//!   `biology.egfr_advise_below` whose subject is the technique, e.g.
//!   embolisation): eGFR below the first → out of range with its severity,
//!   else below the second → out of range, advisory (prophylaxis to plan).
//!
//! Haemoglobin has no threshold: it is only shown.
//!
//! Codes: `biology.ok`, `biology.missing`, `biology.expired`,
//! `biology.after_procedure`, `biology.neutrophils_missing`,
//! `biology.egfr_missing`, `biology.neutrophils_low`, `biology.sepsis`,
//! `biology.egfr_low`, `biology.egfr_prophylaxis`, `biology.rule_missing`.

use super::message::{OwnDates, Value};
use super::{
    Age, Context, Evidence, Finding, Findings, Item, Msg, RuleRow, Severity, Status, Validity,
    required, required_value, validity, within_window,
};
use crate::domain::model::CaseFile;
use crate::domain::vocab::Technique;

pub(super) fn findings(case: &CaseFile, ctx: &Context) -> Findings {
    let risk = ctx.risk(case);
    let Some(bio) = &case.biology else {
        let msg = Msg::NoEvidence {
            what: Evidence::Biology,
        };
        return Ok(vec![Finding::new(
            "biology.missing",
            Status::Missing,
            Severity::Blocking,
            msg,
        )]);
    };
    let window = window(case, ctx)?;
    // Every value of the same date: the work-up is judged as one, as it
    // always was (one message).
    if bio.present().iter().all(|k| bio.date_of(k) == bio.at) {
        within_window(
            case,
            (Evidence::Biology, None),
            bio.at,
            &window,
            None,
            "biology.after_procedure",
            "biology.expired",
        )?;
    }
    let at = bio.at.date();
    let mut out = Vec::new();
    let value_missing = |code, value| {
        let msg = Msg::ValueMissing {
            value,
            what: Evidence::Biology,
            at,
        };
        Finding::new(code, Status::Missing, Severity::Blocking, msg)
    };
    // Each required value on its own date: one expired (or dated after the
    // procedure) is not evidence, whatever the others' dates.
    let dated = |key: &str, value: Value, out: &mut Vec<Finding>| {
        let judged = within_window(
            case,
            (Evidence::Biology, Some(value)),
            bio.date_of(key),
            &window,
            None,
            "biology.after_procedure",
            "biology.expired",
        );
        judged.map_err(|f| out.push(f)).ok()
    };

    let mut ages = Vec::new();
    match bio.neutrophils_g_l {
        None => out.push(value_missing(
            "biology.neutrophils_missing",
            Value::Neutrophils,
        )),
        Some(value) => {
            if let Some(age) = dated("neutrophils_g_l", Value::Neutrophils, &mut out) {
                ages.push(age);
                let (min, severity) =
                    required_value(ctx, Item::Biology, "biology.neutrophils_min", "*", risk)?;
                if value < min {
                    let at = age.at;
                    let msg = Msg::NeutrophilsLow { value, min, at };
                    out.push(Finding::new(
                        "biology.neutrophils_low",
                        Status::OutOfRange,
                        severity,
                        msg,
                    ));
                }
            }
        }
    }
    if bio.sepsis == Some(true) {
        let row = required(ctx, Item::Biology, "biology.sepsis", "*", risk)?;
        let msg = Msg::Sepsis {
            at: bio.date_of("sepsis").date(),
        };
        out.push(Finding::new(
            "biology.sepsis",
            Status::OutOfRange,
            row.severity,
            msg,
        ));
    }
    match bio.egfr {
        None => out.push(value_missing("biology.egfr_missing", Value::Egfr)),
        Some(egfr) => {
            if let Some(age) = dated("egfr", Value::Egfr, &mut out) {
                ages.push(age);
                out.extend(contrast(case, ctx, egfr, age.at));
            }
        }
    }

    // The oldest value judged is the age shown; a value of another date
    // says its own.
    let oldest = ages.into_iter().max_by_key(|a| a.days);
    if let (true, Some(age)) = (out.is_empty(), oldest) {
        let own =
            |key: &str, v: Value, present: bool| present.then(|| (v, bio.date_of(key).date()));
        let values: Vec<_> = [
            own("neutrophils_g_l", Value::Neutrophils, true),
            own(
                "hemoglobin_g_dl",
                Value::Haemoglobin,
                bio.hemoglobin_g_dl.is_some(),
            ),
            own(
                "creatinine_umol_l",
                Value::Creatinine,
                bio.creatinine_umol_l.is_some(),
            ),
            own("egfr", Value::Egfr, true),
        ]
        .into_iter()
        .flatten()
        .collect();
        let msg = Msg::BiologyOk {
            age: Age { value: None, ..age },
            neutrophils: bio.neutrophils_g_l.unwrap_or_default(),
            hemoglobin: bio.hemoglobin_g_dl,
            creatinine: bio.creatinine_umol_l,
            egfr: bio.egfr.unwrap_or_default(),
            dates: OwnDates::of(age.at, &values),
        };
        out.push(Finding::ok("biology.ok", msg));
    }
    Ok(out)
}

/// Where the blood count and creatinine must be dated: `biology.max_age`
/// days before day J at most. What judges the item, and what the chase list
/// shows.
pub fn window(case: &CaseFile, ctx: &Context) -> Result<Validity, Finding> {
    validity(case, ctx, Item::Biology, "biology.max_age", ctx.risk(case))
}

/// eGFR against the contrast rows of each of the case's techniques (a row
/// shared by several techniques is judged once).
fn contrast(case: &CaseFile, ctx: &Context, egfr: f64, at: chrono::NaiveDate) -> Vec<Finding> {
    let risk = ctx.risk(case);
    let mut seen: Vec<&RuleRow> = Vec::new();
    let mut out = Vec::new();
    for &technique in &case.procedure.techniques {
        let block = ctx
            .rules
            .get("biology.egfr_block_below", technique.as_str(), risk);
        let advise = ctx
            .rules
            .get("biology.egfr_advise_below", technique.as_str(), risk);
        let key = block.or(advise);
        if key.is_none_or(|k| seen.iter().any(|s| std::ptr::eq(*s, k))) {
            continue;
        }
        seen.extend(key);
        if let Some(f) = judge(technique, egfr, block, advise, at) {
            out.push(f);
        }
    }
    out
}

fn judge(
    technique: Technique,
    value: f64,
    block: Option<&RuleRow>,
    advise: Option<&RuleRow>,
    at: chrono::NaiveDate,
) -> Option<Finding> {
    if let Some((min, row)) = block.and_then(|r| r.value.map(|v| (v, r)))
        && value < min
    {
        let msg = Msg::EgfrLow {
            value,
            min,
            technique,
            at,
        };
        return Some(Finding::new(
            "biology.egfr_low",
            Status::OutOfRange,
            row.severity,
            msg,
        ));
    }
    if let Some((below, row)) = advise.and_then(|r| r.value.map(|v| (v, r)))
        && value < below
    {
        let msg = Msg::EgfrProphylaxis {
            value,
            below,
            technique,
            at,
        };
        return Some(Finding::new(
            "biology.egfr_prophylaxis",
            Status::OutOfRange,
            row.severity,
            msg,
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::super::testkit::{expect, item, with};
    use super::super::{Item, ItemResult, Severity, Status};
    use crate::domain::message::Lang;

    const B: Severity = Severity::Blocking;
    const A: Severity = Severity::Advisory;
    const N: Severity = Severity::None;

    fn biology(technique: &str, biology: Value) -> ItemResult {
        let case = with(json!({ "procedure": { "techniques": [technique] }, "biology": biology }));
        item(&case, Item::Biology)
    }

    fn bio(at: &str, neutrophils: f64, egfr: f64) -> Value {
        json!({ "at": at, "neutrophils_g_l": neutrophils, "hemoglobin_g_dl": 11.0, "egfr": egfr })
    }

    #[test]
    #[rustfmt::skip] // one row per case
    fn values_and_window_at_the_edges() {
        let (v, e, j1) = ("vertebroplasty", "embolisation", "2026-11-30");
        let sepsis = |s: bool| json!({ "at": j1, "neutrophils_g_l": 3.0, "egfr": 80.0, "sepsis": s });
        let table = [
            ("30 days", v, bio("2026-11-01", 3.0, 80.0), Status::Ok, N, "biology.ok"),
            ("31 days", v, bio("2026-10-31", 3.0, 80.0), Status::Expired, B, "biology.expired"),
            ("after J", v, bio("2026-12-02", 3.0, 80.0), Status::OutOfRange, B, "biology.after_procedure"),
            ("day J, date only", v, bio("2026-12-01", 3.0, 80.0), Status::Ok, N, "biology.ok"),
            ("day J 07:00, before 08:30", v, bio("2026-12-01T07:00", 3.0, 80.0), Status::Ok, N, "biology.ok"),
            ("day J 15:00, after 08:30", v, bio("2026-12-01T15:00", 3.0, 80.0), Status::OutOfRange, B, "biology.after_procedure"),
            ("neutrophils 0.99", v, bio(j1, 0.99, 80.0), Status::OutOfRange, B, "biology.neutrophils_low"),
            ("neutrophils 1.0", v, bio(j1, 1.0, 80.0), Status::Ok, N, "biology.ok"),
            ("eGFR 29 embolisation", e, bio(j1, 3.0, 29.0), Status::OutOfRange, B, "biology.egfr_low"),
            ("eGFR 30 embolisation", e, bio(j1, 3.0, 30.0), Status::OutOfRange, A, "biology.egfr_prophylaxis"),
            ("eGFR 44 embolisation", e, bio(j1, 3.0, 44.0), Status::OutOfRange, A, "biology.egfr_prophylaxis"),
            ("eGFR 45 embolisation", e, bio(j1, 3.0, 45.0), Status::Ok, N, "biology.ok"),
            ("eGFR 25 vertebroplasty", v, bio(j1, 3.0, 25.0), Status::Ok, N, "biology.ok"),
            ("sepsis", v, sepsis(true), Status::OutOfRange, B, "biology.sepsis"),
            ("no sepsis", v, sepsis(false), Status::Ok, N, "biology.ok"),
            ("no blood count", v, json!({ "at": j1, "egfr": 80.0 }), Status::Missing, B, "biology.neutrophils_missing"),
            ("no creatinine", v, json!({ "at": j1, "neutrophils_g_l": 3.0 }), Status::Missing, B, "biology.egfr_missing"),
            ("absent", v, Value::Null, Status::Missing, B, "biology.missing"),
        ];
        for (label, technique, work_up, status, severity, code) in table {
            expect(label, &biology(technique, work_up), status, severity, code);
        }
    }

    #[test]
    #[rustfmt::skip] // long expected strings
    fn messages_show_the_values() {
        let r = biology("embolisation", bio("2026-11-25", 2.5, 40.0));
        assert_eq!(r.message(Lang::En),
            "eGFR 40 < 45 mL/min/1.73 m² (embolisation): prophylaxis to plan, 2026-11-25");
        let r = biology("vertebroplasty", bio("2026-11-25", 2.5, 80.0));
        assert_eq!(r.message(Lang::Fr), "bilan biologique du 25/11/2026, 6 jours avant (max 30)\u{a0}: \
            neutrophiles 2,5 G/L, Hb 11,0 g/dL, DFG 80 mL/min/1,73 m²");
    }
}
