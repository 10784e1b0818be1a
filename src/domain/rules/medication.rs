//! Anticoagulants and antiplatelets stopped in time. Which drug needs which
//! rule is data (rows `medication.*`), looked up with the drug and the
//! procedure's bleeding risk:
//!
//! - no list → missing (nobody checked); an empty list → ok (none taken);
//! - `other` → ok, advisory (`medication.other`): check by hand;
//! - `medication.crcl_min` for the drug: a creatinine clearance is needed,
//!   and below the value specialist advice is required;
//! - the hold: `medication.hold_renal` when the drug has a
//!   `medication.renal_threshold` and CrCl is below it (falling back to
//!   `medication.hold` when no renal row exists at this risk), else
//!   `medication.hold`. No hold row → continued. In days, the last intake
//!   must fall on J−n or earlier (calendar days); in hours, at least n hours
//!   must elapse before the procedure (a date alone counts as the end of
//!   that day, a daylight-saving change counts);
//! - `medication.inr_check` for the drug → advisory: INR the day before;
//! - aspirin: `medication.aspirin_advisory` rows for the case's techniques →
//!   advisory (aspirin never blocks).
//!
//! Codes: `medication.missing`, `medication.none_taken`, `medication.other`,
//! `medication.crcl_missing`, `medication.crcl_low`, `medication.continued`,
//! `medication.no_last_intake`, `medication.hold_ok`,
//! `medication.hold_too_late`, `medication.inr_check`,
//! `medication.aspirin_advisory`, `medication.rule_missing`.

use super::{Context, Finding, Findings, Hold, Item, Msg, RuleRow, Severity, Status, Unit};
use super::{required, rule_missing};
use crate::domain::model::{CaseFile, Medication};
use crate::domain::time::{days_before, elapsed};
use crate::domain::vocab::{BleedingRisk, Drug};

pub(super) fn findings(case: &CaseFile, ctx: &Context) -> Findings {
    let Some(list) = &case.medications else {
        let msg = Msg::MedicationsUnchecked;
        return Ok(vec![Finding::new(
            "medication.missing",
            Status::Missing,
            Severity::Blocking,
            msg,
        )]);
    };
    if list.is_empty() {
        return Ok(vec![Finding::ok(
            "medication.none_taken",
            Msg::MedicationsNone,
        )]);
    }
    let mut out = Vec::new();
    for med in list {
        drug(case, ctx, med, &mut out)?;
    }
    Ok(out)
}

/// The findings for one drug the patient takes.
fn drug(
    case: &CaseFile,
    ctx: &Context,
    med: &Medication,
    out: &mut Vec<Finding>,
) -> Result<(), Finding> {
    let risk = ctx.risk(case);
    let name = med.drug.as_str();
    if med.drug == Drug::Other {
        let row = required(ctx, Item::Medication, "medication.other", "*", risk)?;
        let msg = Msg::MedicationOther {
            name: med.name.clone(),
        };
        out.push(Finding::ok_advisory("medication.other", row.severity, msg));
        return Ok(());
    }

    // Creatinine clearance: needed, and specialist advice below the minimum.
    let mut crcl_reported = false;
    if let Some(row) = ctx.rules.get("medication.crcl_min", name, risk) {
        let min = row
            .value
            .ok_or_else(|| rule_missing(Item::Medication, "medication.crcl_min", name))?;
        match med.crcl_ml_min {
            None => {
                let msg = Msg::CrclMissing {
                    drug: med.drug,
                    min,
                };
                out.push(Finding::new(
                    "medication.crcl_missing",
                    Status::Missing,
                    row.severity,
                    msg,
                ));
                crcl_reported = true;
            }
            Some(crcl) if crcl < min => {
                let msg = Msg::CrclLow {
                    drug: med.drug,
                    crcl,
                    min,
                };
                out.push(Finding::new(
                    "medication.crcl_low",
                    Status::OutOfRange,
                    row.severity,
                    msg,
                ));
                return Ok(()); // the specialist sets the hold
            }
            Some(_) => {}
        }
    }

    match hold_row(ctx, med, risk)? {
        // Already reported when the drug has a CrCl minimum.
        HoldRow::NeedsCrcl(_) if crcl_reported => {}
        HoldRow::NeedsCrcl(threshold) => {
            let msg = Msg::CrclForHold {
                drug: med.drug,
                threshold,
            };
            out.push(Finding::new(
                "medication.crcl_missing",
                Status::Missing,
                Severity::Blocking,
                msg,
            ));
        }
        HoldRow::None => out.push(Finding::ok(
            "medication.continued",
            Msg::Continued {
                drug: med.drug,
                risk,
                last: med
                    .last_intake
                    .map(|at| (at, days_before(at.date(), case.day()))),
            },
        )),
        HoldRow::Row(row) => out.push(hold(case, ctx, med, row, risk)?),
    }

    if let Some(row) = ctx.rules.get("medication.inr_check", name, risk) {
        out.push(Finding::ok_advisory(
            "medication.inr_check",
            row.severity,
            Msg::InrCheck {
                drug: med.drug,
                days: row.value,
            },
        ));
    }
    if med.drug == Drug::Aspirin {
        let advisory = case.procedure.techniques.iter().find_map(|t| {
            let row = ctx
                .rules
                .get("medication.aspirin_advisory", t.as_str(), risk)?;
            Some((*t, row))
        });
        if let Some((technique, row)) = advisory {
            let msg = Msg::AspirinAdvisory {
                technique,
                days: row.value,
            };
            out.push(Finding::ok_advisory(
                "medication.aspirin_advisory",
                row.severity,
                msg,
            ));
        }
    }
    Ok(())
}

enum HoldRow<'r> {
    /// No hold applies: the drug is continued.
    None,
    /// The hold depends on a creatinine clearance that is not recorded.
    NeedsCrcl(f64),
    Row(&'r RuleRow),
}

/// The hold that applies to the drug at this risk: the renal hold when the
/// drug has one at this risk and CrCl is below the renal threshold.
fn hold_row<'r>(
    ctx: &Context<'r>,
    med: &Medication,
    risk: BleedingRisk,
) -> Result<HoldRow<'r>, Finding> {
    let name = med.drug.as_str();
    let usual = ctx
        .rules
        .get("medication.hold", name, risk)
        .map_or(HoldRow::None, HoldRow::Row);
    let renal_hold = ctx.rules.get("medication.hold_renal", name, risk);
    let threshold = ctx.rules.get("medication.renal_threshold", name, risk);
    let (Some(renal_hold), Some(threshold)) = (renal_hold, threshold) else {
        return Ok(usual);
    };
    let threshold = threshold
        .value
        .ok_or_else(|| rule_missing(Item::Medication, "medication.renal_threshold", name))?;
    Ok(match med.crcl_ml_min {
        None => HoldRow::NeedsCrcl(threshold),
        Some(crcl) if crcl < threshold => HoldRow::Row(renal_hold),
        Some(_) => usual,
    })
}

/// The planned last intake against a hold row (days or hours).
fn hold(
    case: &CaseFile,
    ctx: &Context,
    med: &Medication,
    row: &RuleRow,
    risk: BleedingRisk,
) -> Result<Finding, Finding> {
    let drug = med.drug;
    let missing = || rule_missing(Item::Medication, &row.rule, drug.as_str());
    let n = row.value.ok_or_else(missing)?;
    let hold = match row.unit {
        Unit::Days => Hold::Days(n),
        Unit::Hours => Hold::Hours(n),
        Unit::Minutes => Hold::Hours(n / 60.0),
        _ => return Err(missing()),
    };
    let Some(at) = med.last_intake else {
        let msg = Msg::NoLastIntake { drug, hold, risk };
        return Ok(Finding::new(
            "medication.no_last_intake",
            Status::Missing,
            row.severity,
            msg,
        ));
    };
    let (ok, msg) = match hold {
        Hold::Days(n) => {
            let days = days_before(at.date(), case.day());
            let ok = days as f64 >= n;
            (
                ok,
                Msg::HoldDays {
                    drug,
                    at,
                    days,
                    hold: n,
                    risk,
                    ok,
                },
            )
        }
        Hold::Hours(n) => {
            let waited = elapsed(ctx.tz, at.latest(), case.procedure.scheduled_at);
            let ok = waited.num_seconds() as f64 >= n * 3600.0;
            (
                ok,
                Msg::HoldHours {
                    drug,
                    at,
                    minutes: waited.num_minutes(),
                    hold: n,
                    risk,
                    ok,
                },
            )
        }
    };
    Ok(if ok {
        Finding::ok("medication.hold_ok", msg)
    } else {
        Finding::new(
            "medication.hold_too_late",
            Status::OutOfRange,
            row.severity,
            msg,
        )
    })
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
    const HIGH: &str = "vertebroplasty";
    const DRAIN: &str = "tunnelled_pleural_drain";

    /// The medication item of the 2026-12-01 08:30 procedure.
    fn meds(technique: &str, medications: Value) -> ItemResult {
        let procedure = json!({ "techniques": [technique] });
        item(
            &with(json!({ "procedure": procedure, "medications": medications })),
            Item::Medication,
        )
    }

    fn drug(name: &str, last: &str, crcl: Option<f64>) -> Value {
        json!([{ "drug": name, "last_intake": last, "crcl_ml_min": crcl }])
    }

    #[test]
    #[rustfmt::skip] // one row per case
    fn holds_at_the_edges() {
        let ok = (Status::Ok, N, "medication.hold_ok");
        let late = (Status::OutOfRange, B, "medication.hold_too_late");
        let only = |d: &str| json!([{ "drug": d }]);
        let (j2, j3, j4, j5) = ("2026-11-29", "2026-11-28", "2026-11-27", "2026-11-26");
        let table = [
            ("apixaban J−3", HIGH, drug("apixaban", j3, Some(60.0)), ok),
            ("apixaban J−2", HIGH, drug("apixaban", j2, Some(60.0)), late),
            ("dabigatran CrCl 55 J−4", HIGH, drug("dabigatran", j4, Some(55.0)), ok),
            ("dabigatran CrCl 50 J−4", HIGH, drug("dabigatran", j4, Some(50.0)), ok),
            ("dabigatran CrCl 40 J−4", HIGH, drug("dabigatran", j4, Some(40.0)), late),
            ("dabigatran CrCl 40 J−5", HIGH, drug("dabigatran", j5, Some(40.0)), ok),
            ("dabigatran CrCl 25", HIGH, drug("dabigatran", j5, Some(25.0)), (Status::OutOfRange, B, "medication.crcl_low")),
            ("dabigatran CrCl absent", HIGH, drug("dabigatran", j5, None), (Status::Missing, B, "medication.crcl_missing")),
            ("apixaban CrCl absent", HIGH, drug("apixaban", j3, None), (Status::Missing, B, "medication.crcl_missing")),
            ("warfarin J−5", HIGH, drug("warfarin", j5, None), (Status::Ok, A, "medication.inr_check")),
            ("warfarin J−4", HIGH, drug("warfarin", j4, None), late),
            ("LMWH 24 h", HIGH, drug("lmwh_therapeutic", "2026-11-30T08:30", None), ok),
            ("LMWH 23 h", HIGH, drug("lmwh_therapeutic", "2026-11-30T09:30", None), late),
            ("LMWH date only, J−2", HIGH, drug("lmwh_therapeutic", "2026-11-29", None), ok),
            ("LMWH date only, J−1", HIGH, drug("lmwh_therapeutic", "2026-11-30", None), late),
            ("clopidogrel J−5", HIGH, drug("clopidogrel", j5, None), ok),
            ("clopidogrel J−4", HIGH, drug("clopidogrel", j4, None), late),
            ("prasugrel J−7", HIGH, drug("prasugrel", "2026-11-24", None), ok),
            ("prasugrel J−6", HIGH, drug("prasugrel", "2026-11-25", None), late),
            ("aspirin, vertebroplasty", HIGH, only("aspirin"), (Status::Ok, A, "medication.aspirin_advisory")),
            ("aspirin, ablation", "radiofrequency_ablation", only("aspirin"), (Status::Ok, N, "medication.continued")),
            ("drain: apixaban 24 h", DRAIN, drug("apixaban", "2026-11-30T08:30", Some(60.0)), ok),
            ("drain: apixaban 12 h", DRAIN, drug("apixaban", "2026-11-30T20:30", Some(60.0)), late),
            ("drain: dabigatran CrCl 40, 24 h", DRAIN, drug("dabigatran", "2026-11-30T08:00", Some(40.0)), ok),
            ("drain: clopidogrel", DRAIN, only("clopidogrel"), (Status::Ok, N, "medication.continued")),
            ("no planned last intake", HIGH, json!([{ "drug": "rivaroxaban", "crcl_ml_min": 70.0 }]),
             (Status::Missing, B, "medication.no_last_intake")),
            ("other drug", HIGH, json!([{ "drug": "other", "name": "cilostazol" }]), (Status::Ok, A, "medication.other")),
            ("none taken", HIGH, json!([]), (Status::Ok, N, "medication.none_taken")),
            ("nobody checked", HIGH, Value::Null, (Status::Missing, B, "medication.missing")),
        ];
        for (label, technique, medications, (status, severity, code)) in table {
            expect(label, &meds(technique, medications), status, severity, code);
        }
    }

    #[test]
    fn combined_and_overridden_risk() {
        let case = with(json!({
            "procedure": { "techniques": [DRAIN, "cryoablation"] },
            "medications": drug("clopidogrel", "2026-11-28", None)
        }));
        let r = item(&case, Item::Medication);
        expect(
            "drain + ablation",
            &r,
            Status::OutOfRange,
            B,
            "medication.hold_too_late",
        );
        let case = with(json!({
            "procedure": { "techniques": ["embolisation"], "bleeding_risk": "low" },
            "medications": drug("clopidogrel", "2026-11-30", None)
        }));
        let r = item(&case, Item::Medication);
        expect(
            "embolisation overridden low",
            &r,
            Status::Ok,
            N,
            "medication.continued",
        );
    }

    #[test]
    #[rustfmt::skip] // long expected strings
    fn several_drugs_the_worst_decides() {
        let medications = json!([
            { "drug": "aspirin" },
            { "drug": "apixaban", "last_intake": "2026-11-29", "crcl_ml_min": 60.0 },
        ]);
        let r = meds(HIGH, medications);
        expect("aspirin + apixaban J−2", &r, Status::OutOfRange, B, "medication.hold_too_late");
        // The blocking line first, then the advisory, then the ok line.
        assert_eq!(r.message(Lang::En),
            "apixaban: last intake J−2 (2026-11-29), needs J−3 or earlier (high bleeding risk); \
             aspirin: consider stopping J−3 (vertebroplasty); aspirin: continued (high bleeding risk)");
        assert_eq!(r.findings[0].msg.render(Lang::Fr),
            "apixaban : dernière prise J−2 (2026-11-29), il faut J−3 ou avant (risque hémorragique élevé)");
    }

    /// Hours holds around the October change (2026-10-25: 02:00–02:59
    /// happens twice in Paris): the shortest possible elapsed time counts.
    #[test]
    #[rustfmt::skip] // one row per case
    fn hours_holds_take_the_shortest_reading_of_an_ambiguous_time() {
        let ok = (Status::Ok, N, "medication.hold_ok");
        let late = (Status::OutOfRange, B, "medication.hold_too_late");
        let table = [
            // 02:30 is taken as the later 02:30 (CET): 11 h 15 before 13:45.
            ("LMWH prophylactic 02:30 overlap, 13:45", "lmwh_prophylactic", "2026-10-25T02:30", "2026-10-25T13:45", late),
            ("LMWH prophylactic 02:30 overlap, 14:29", "lmwh_prophylactic", "2026-10-25T02:30", "2026-10-25T14:29", late),
            ("LMWH prophylactic 02:30 overlap, 14:30", "lmwh_prophylactic", "2026-10-25T02:30", "2026-10-25T14:30", ok),
            ("LMWH prophylactic 01:59 before the overlap", "lmwh_prophylactic", "2026-10-25T01:59", "2026-10-25T13:45", ok),
            ("UFH sc 03:00 after the overlap, 15:00", "ufh_sc", "2026-10-25T03:00", "2026-10-25T15:00", ok),
            // A procedure in the overlap: its earlier instant (02:30 CEST), 23 h 45.
            ("LMWH therapeutic, procedure in the overlap", "lmwh_therapeutic", "2026-10-24T02:45", "2026-10-25T02:30", late),
            // After the procedure, the same day.
            ("LMWH prophylactic after the procedure", "lmwh_prophylactic", "2026-12-01T15:00", "2026-12-01T08:00", late),
        ];
        for (label, drug_name, last, scheduled, (status, severity, code)) in table {
            let case = with(json!({
                "procedure": { "scheduled_at": scheduled },
                "medications": drug(drug_name, last, None)
            }));
            expect(label, &item(&case, Item::Medication), status, severity, code);
        }
        let case = with(json!({
            "procedure": { "scheduled_at": "2026-10-25T13:45" },
            "medications": drug("lmwh_prophylactic", "2026-10-25T02:30", None)
        }));
        assert_eq!(item(&case, Item::Medication).message(Lang::En),
            "LMWH (prophylactic dose): last intake 2026-10-25 02:30, 11 h 15 before the procedure, \
             needs ≥ 12 h (high bleeding risk)");
        let case = with(json!({
            "procedure": { "scheduled_at": "2026-12-01T08:00" },
            "medications": drug("lmwh_prophylactic", "2026-12-01T10:30", None)
        }));
        assert_eq!(item(&case, Item::Medication).message(Lang::Fr),
            "HBPM (dose préventive) : dernière prise 2026-12-01 10:30, 2 h 30 après l'acte, \
             il faut ≥ 12 h (risque hémorragique élevé)");
    }

    #[test]
    fn vka_adds_an_inr_check() {
        let r = meds(HIGH, drug("warfarin", "2026-11-26", None));
        assert_eq!(r.findings.len(), 2);
        assert_eq!(
            r.message(Lang::Fr),
            "warfarine : INR à contrôler la veille; \
             warfarine : dernière prise J−5 (2026-11-26), J−5 ou avant (risque hémorragique élevé)"
        );
    }

    #[test]
    #[rustfmt::skip] // long expected strings
    fn hours_count_a_date_alone_as_end_of_day() {
        let r = meds(HIGH, drug("lmwh_therapeutic", "2026-11-30", None));
        assert_eq!(r.message(Lang::En),
            "LMWH (therapeutic dose): last intake 2026-11-30 (date only, counted 24:00), 8 h 30 before \
             the procedure, needs ≥ 24 h (high bleeding risk)");
    }

    /// An item's lines lead with what decides: blocking, then advisory, then
    /// ok, each group in the order of the list.
    #[test]
    #[rustfmt::skip] // one row per case
    fn lines_lead_with_what_decides() {
        let table = [
            ("aspirin, clopidogrel late, warfarin ok", json!([
                { "drug": "aspirin" },
                { "drug": "warfarin", "last_intake": "2026-11-26" },
                { "drug": "clopidogrel", "last_intake": "2026-11-29" },
             ]),
             vec!["medication.hold_too_late", "medication.aspirin_advisory", "medication.inr_check",
                  "medication.continued", "medication.hold_ok"]),
            ("two blocking drugs keep their order", json!([
                { "drug": "other", "name": "cilostazol" },
                { "drug": "prasugrel", "last_intake": "2026-11-30" },
                { "drug": "apixaban", "crcl_ml_min": 20.0 },
             ]),
             vec!["medication.hold_too_late", "medication.crcl_low", "medication.other"]),
            ("CrCl missing before an advisory", json!([
                { "drug": "warfarin", "last_intake": "2026-11-20" },
                { "drug": "dabigatran", "last_intake": "2026-11-20" },
             ]),
             vec!["medication.crcl_missing", "medication.inr_check", "medication.hold_ok"]),
        ];
        for (label, medications, codes) in table {
            let r = meds(HIGH, medications);
            let got: Vec<&str> = r.findings.iter().map(|f| f.code).collect();
            assert_eq!(got, codes, "{label}");
            assert_eq!(r.code(), codes[0], "{label}: the first line decides");
        }
    }
}
