//! Coagulation: INR and platelets, with windows and thresholds that depend on
//! the procedure's bleeding risk (SIR 2019): `coagulation.max_age`,
//! `coagulation.inr_max` (INR above it is out of range; exactly at it is ok),
//! `coagulation.platelets_min` (below it is out of range; exactly at it is ok).
//!
//! An arterial procedure's INR threshold depends on its access
//! (`coagulation.inr_max_arterial`, subject `femoral` or `radial`; another
//! access has no row and takes `coagulation.inr_max`). A technique with a
//! `technique.arterial_access` row and no access recorded is judged with the
//! strictest access row at its risk, and an advisory asks for the access.
//!
//! The item also says when the case's own bleeding risk differs from its
//! techniques' (applied or ignored: `RuleSet::procedure_risk`), as an
//! advisory; `Assessment::of_stored` adds who set it.
//!
//! Codes: `coagulation.ok`, `coagulation.missing`, `coagulation.expired`,
//! `coagulation.after_procedure`, `coagulation.inr_missing`,
//! `coagulation.platelets_missing`, `coagulation.inr_high`,
//! `coagulation.platelets_low`, `coagulation.rule_missing`,
//! `coagulation.access_missing`, `coagulation.risk_override`,
//! `coagulation.risk_override_ignored`.

use super::message::{OwnDates, Value};
use super::risk_message::{
    AccessMissing, ByAccess, CoagulationOkByAccess, InrHighByAccess, RiskOverride,
};
use super::{
    Age, Context, Evidence, Finding, Findings, Item, Msg, Severity, Status, Validity,
    required_value, validity, within_window,
};
use crate::domain::model::CaseFile;
use crate::domain::vocab::{Access, BleedingRisk};

/// The rows of the INR threshold by access, and of the techniques that go
/// through an (arterial) access.
const INR_MAX_ARTERIAL: &str = "coagulation.inr_max_arterial";
const ARTERIAL_ACCESS: &str = "technique.arterial_access";

pub(super) fn findings(case: &CaseFile, ctx: &Context) -> Findings {
    let risk = ctx.risk(case);
    // Said whatever the work-up shows: what the risk and the INR threshold
    // rest on.
    let mut notes: Vec<Finding> = risk_override(case, ctx).into_iter().collect();
    let mut out = match inr_limit(case, ctx, risk) {
        Ok(limit) => {
            notes.extend(limit.advisory.clone());
            work_up(case, ctx, risk, &limit).unwrap_or_else(|f| vec![f])
        }
        Err(f) => vec![f],
    };
    out.extend(notes);
    Ok(out)
}

/// The work-up against the window and the thresholds.
fn work_up(case: &CaseFile, ctx: &Context, risk: BleedingRisk, limit: &InrLimit) -> Findings {
    let Some(coag) = &case.coagulation else {
        let msg = Msg::NoEvidence {
            what: Evidence::Coagulation,
        };
        let finding = Finding::new(
            "coagulation.missing",
            Status::Missing,
            Severity::Blocking,
            msg,
        );
        return Ok(vec![finding]);
    };
    let window = window(case, ctx)?;
    // Both values of the same date: judged as one work-up, one message.
    if coag.present().iter().all(|k| coag.date_of(k) == coag.at) {
        within_window(
            case,
            (Evidence::Coagulation, None),
            coag.at,
            &window,
            Some(risk),
            "coagulation.after_procedure",
            "coagulation.expired",
        )?;
    }
    let at = coag.at.date();
    // Each value on its own date: an INR of yesterday never makes platelets
    // of three weeks ago fresh.
    let dated = |key: &str, value: Value, out: &mut Vec<Finding>| {
        let judged = within_window(
            case,
            (Evidence::Coagulation, Some(value)),
            coag.date_of(key),
            &window,
            Some(risk),
            "coagulation.after_procedure",
            "coagulation.expired",
        );
        judged.map_err(|f| out.push(f)).ok()
    };
    let (inr_max, inr_severity) = (limit.max, limit.severity);
    let (platelets_min, platelets_severity) = required_value(
        ctx,
        Item::Coagulation,
        "coagulation.platelets_min",
        "*",
        risk,
    )?;
    let value_missing = |code, value| {
        let msg = Msg::ValueMissing {
            value,
            what: Evidence::Coagulation,
            at,
        };
        Finding::new(code, Status::Missing, Severity::Blocking, msg)
    };

    let mut out = Vec::new();
    let mut ages = Vec::new();
    let inr_age = coag.inr.and_then(|_| dated("inr", Value::Inr, &mut out));
    let platelets_age = coag
        .platelets_g_l
        .and_then(|_| dated("platelets_g_l", Value::Platelets, &mut out));
    ages.extend(inr_age);
    ages.extend(platelets_age);
    match coag.inr {
        None => out.push(value_missing("coagulation.inr_missing", Value::Inr)),
        Some(_) if inr_age.is_none() => {}
        Some(value) if value > inr_max => {
            let at = coag.date_of("inr").date();
            let msg = match limit.access {
                None => Msg::InrHigh {
                    value,
                    max: inr_max,
                    risk,
                    at,
                },
                Some(access) => Msg::InrHighByAccess(InrHighByAccess {
                    value,
                    max: inr_max,
                    risk,
                    access,
                    at,
                }),
            };
            out.push(Finding::new(
                "coagulation.inr_high",
                Status::OutOfRange,
                inr_severity,
                msg,
            ));
        }
        Some(_) => {}
    }
    match coag.platelets_g_l {
        None => out.push(value_missing(
            "coagulation.platelets_missing",
            Value::Platelets,
        )),
        Some(_) if platelets_age.is_none() => {}
        Some(value) if value < platelets_min => {
            let at = coag.date_of("platelets_g_l").date();
            let msg = Msg::PlateletsLow {
                value,
                min: platelets_min,
                risk,
                at,
            };
            let f = Finding::new(
                "coagulation.platelets_low",
                Status::OutOfRange,
                platelets_severity,
                msg,
            );
            out.push(f);
        }
        Some(_) => {}
    }
    let oldest = ages.into_iter().max_by_key(|a| a.days);
    if let (true, Some(inr), Some(platelets), Some(age)) =
        (out.is_empty(), coag.inr, coag.platelets_g_l, oldest)
    {
        let age = Age { value: None, ..age };
        let dates = OwnDates::of(
            age.at,
            &[
                (Value::Inr, coag.date_of("inr").date()),
                (Value::Platelets, coag.date_of("platelets_g_l").date()),
            ],
        );
        let msg = match limit.access {
            None => Msg::CoagulationOk {
                age,
                dates,
                inr,
                inr_max,
                platelets,
                platelets_min,
            },
            Some(access) => Msg::CoagulationOkByAccess(CoagulationOkByAccess {
                age,
                inr,
                inr_max,
                access,
                platelets,
                platelets_min,
                dates,
            }),
        };
        out.push(Finding::ok("coagulation.ok", msg));
    }
    Ok(out)
}

/// Where the INR and platelets must be dated: `coagulation.max_age` days
/// before day J at most, at the case's bleeding risk. What judges the item,
/// and what the chase list shows.
pub fn window(case: &CaseFile, ctx: &Context) -> Result<Validity, Finding> {
    validity(
        case,
        ctx,
        Item::Coagulation,
        "coagulation.max_age",
        ctx.risk(case),
    )
}

/// The INR threshold that applies, and how it was chosen.
struct InrLimit {
    max: f64,
    severity: Severity,
    /// Chosen by the access (recorded or assumed); `None`: the usual row.
    access: Option<ByAccess>,
    /// No access recorded for an arterial technique: asks for it.
    advisory: Option<Finding>,
}

/// The INR threshold. For an arterial technique (a `technique.arterial_access`
/// row at this risk): the recorded access's row when it has one; with no
/// access recorded, the femoral row (domain.md: "judged as femoral, the
/// stricter"), never looser than `coagulation.inr_max`, with an advisory
/// asking for the access. Otherwise, and for an access on a procedure that
/// is not arterial (a drain "via radial" changes nothing), `coagulation.inr_max`.
fn inr_limit(case: &CaseFile, ctx: &Context, risk: BleedingRisk) -> Result<InrLimit, Finding> {
    let by_access = |access: Access| {
        ctx.rules
            .get(INR_MAX_ARTERIAL, access.as_str(), risk)
            .and_then(|r| r.value.filter(|v| v.is_finite()).map(|v| (v, r.severity)))
    };
    let (usual, usual_severity) =
        required_value(ctx, Item::Coagulation, "coagulation.inr_max", "*", risk)?;
    let usual_limit = InrLimit {
        max: usual,
        severity: usual_severity,
        access: None,
        advisory: None,
    };
    let p = &case.procedure;
    let arterial = p.techniques.iter().find_map(|t| {
        ctx.rules
            .get(ARTERIAL_ACCESS, t.as_str(), risk)
            .map(|row| (*t, row.severity))
    });
    let Some((technique, row_severity)) = arterial else {
        return Ok(usual_limit);
    };
    match p.access {
        Some(access) => Ok(match by_access(access) {
            Some((max, severity)) => InrLimit {
                max,
                severity,
                access: Some(ByAccess {
                    access,
                    assumed: false,
                }),
                advisory: None,
            },
            None => usual_limit,
        }),
        None => {
            // No access rows at this risk (high): the access decides nothing.
            let assumed = Access::Femoral;
            let Some((femoral, femoral_severity)) = by_access(assumed) else {
                return Ok(usual_limit);
            };
            let (max, severity) = if femoral <= usual {
                (femoral, femoral_severity)
            } else {
                (usual, usual_severity)
            };
            let msg = Msg::AccessMissing(AccessMissing {
                technique,
                assumed,
                inr_max: max,
                risk,
            });
            Ok(InrLimit {
                max,
                severity,
                access: Some(ByAccess {
                    access: assumed,
                    assumed: true,
                }),
                advisory: Some(Finding::ok_advisory(
                    "coagulation.access_missing",
                    row_severity,
                    msg,
                )),
            })
        }
    }
}

/// The case's own bleeding risk when it differs from its techniques'
/// (a redundant one says nothing): applied, or ignored when it would lower
/// a technique whose risk is not judged per case. Who set it is added by
/// `Assessment::of_stored`.
fn risk_override(case: &CaseFile, ctx: &Context) -> Option<Finding> {
    let p = &case.procedure;
    let set = p.bleeding_risk?;
    let techniques = ctx.rules.techniques_risk(&p.techniques);
    if set == techniques {
        return None;
    }
    let ignored = !ctx.rules.override_applies(&p.techniques, set);
    let msg = Msg::RiskOverride(RiskOverride {
        set,
        techniques,
        ignored,
        technique: ignored
            .then(|| ctx.rules.not_per_case(&p.techniques))
            .flatten(),
        by: None,
    });
    let code = if ignored {
        "coagulation.risk_override_ignored"
    } else {
        "coagulation.risk_override"
    };
    Some(Finding::ok_advisory(code, Severity::Advisory, msg))
}

#[cfg(test)]
#[path = "coagulation_access_tests.rs"]
mod access_tests;

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::super::testkit::{expect, item, with};
    use super::super::{Item, ItemResult, Severity, Status};
    use crate::domain::message::Lang;

    const A: Severity = Severity::Advisory;
    const B: Severity = Severity::Blocking;
    const N: Severity = Severity::None;

    /// The coagulation item for a procedure (techniques, override) and a work-up.
    fn coag(techniques: Value, risk: Value, coagulation: Value) -> ItemResult {
        let procedure = json!({ "techniques": techniques, "bleeding_risk": risk });
        let case = with(json!({ "procedure": procedure, "coagulation": coagulation }));
        item(&case, Item::Coagulation)
    }

    fn work_up(at: &str, inr: f64, platelets: f64) -> Value {
        json!({ "at": at, "inr": inr, "platelets_g_l": platelets })
    }

    #[test]
    #[rustfmt::skip] // one row per case
    fn thresholds_and_windows_at_the_edges() {
        let high = || json!(["vertebroplasty"]);
        let low = || json!(["tunnelled_pleural_drain"]);
        let (j1, j7, j8, j30, j31) = ("2026-11-30", "2026-11-24", "2026-11-23", "2026-11-01", "2026-10-31");
        let table = [
            ("INR 1.5 high", high(), work_up(j1, 1.5, 200.0), Status::Ok, N, "coagulation.ok"),
            ("INR 1.51 high", high(), work_up(j1, 1.51, 200.0), Status::OutOfRange, B, "coagulation.inr_high"),
            ("INR 2.0 low", low(), work_up(j1, 2.0, 200.0), Status::Ok, N, "coagulation.ok"),
            ("INR 2.01 low", low(), work_up(j1, 2.01, 200.0), Status::OutOfRange, B, "coagulation.inr_high"),
            ("platelets 50 high", high(), work_up(j1, 1.0, 50.0), Status::Ok, N, "coagulation.ok"),
            ("platelets 49 high", high(), work_up(j1, 1.0, 49.0), Status::OutOfRange, B, "coagulation.platelets_low"),
            ("platelets 20 low", low(), work_up(j1, 1.0, 20.0), Status::Ok, N, "coagulation.ok"),
            ("platelets 19 low", low(), work_up(j1, 1.0, 19.0), Status::OutOfRange, B, "coagulation.platelets_low"),
            ("7 days high", high(), work_up(j7, 1.0, 200.0), Status::Ok, N, "coagulation.ok"),
            ("8 days high", high(), work_up(j8, 1.0, 200.0), Status::Expired, B, "coagulation.expired"),
            ("30 days low", low(), work_up(j30, 1.0, 200.0), Status::Ok, N, "coagulation.ok"),
            ("31 days low", low(), work_up(j31, 1.0, 200.0), Status::Expired, B, "coagulation.expired"),
            ("after J", high(), work_up("2026-12-02", 1.0, 200.0), Status::OutOfRange, B, "coagulation.after_procedure"),
            ("day J, date only", high(), work_up("2026-12-01", 1.0, 200.0), Status::Ok, N, "coagulation.ok"),
            ("day J 07:00, before 08:30", high(), work_up("2026-12-01T07:00", 1.0, 200.0), Status::Ok, N, "coagulation.ok"),
            ("day J 15:00, after 08:30", high(), work_up("2026-12-01T15:00", 1.0, 200.0), Status::OutOfRange, B, "coagulation.after_procedure"),
            ("no INR", high(), json!({ "at": j1, "platelets_g_l": 200.0 }), Status::Missing, B, "coagulation.inr_missing"),
            ("no platelets", high(), json!({ "at": j1, "inr": 1.0 }), Status::Missing, B, "coagulation.platelets_missing"),
        ];
        for (label, techniques, work_up, status, severity, code) in table {
            expect(label, &coag(techniques, Value::Null, work_up), status, severity, code);
        }
    }

    #[test]
    #[rustfmt::skip] // one row per case
    fn the_procedure_risk_chooses_the_rows() {
        let inr_17 = || work_up("2026-11-30", 1.7, 200.0);
        let table = [
            ("drain + ablation is high risk", json!(["tunnelled_pleural_drain", "radiofrequency_ablation"]),
             Value::Null, Status::OutOfRange, B, "coagulation.inr_high"),
            // Judged as femoral (1.8), no access recorded: said, with the override.
            ("embolisation overridden low", json!(["embolisation"]), json!("low"), Status::Ok, A, "coagulation.risk_override"),
            ("embolisation by default", json!(["embolisation"]), Value::Null, Status::OutOfRange, B, "coagulation.inr_high"),
        ];
        for (label, techniques, risk, status, severity, code) in table {
            expect(label, &coag(techniques, risk, inr_17()), status, severity, code);
        }
    }

    #[test]
    #[rustfmt::skip] // long expected strings
    fn absent_work_up_is_missing_and_both_faults_are_listed() {
        let r = item(&with(json!({ "coagulation": null })), Item::Coagulation);
        expect("absent", &r, Status::Missing, B, "coagulation.missing");

        let r = coag(json!(["vertebroplasty"]), Value::Null, work_up("2026-11-27", 1.7, 40.0));
        expect("both", &r, Status::OutOfRange, B, "coagulation.inr_high");
        assert_eq!(r.findings.len(), 2);
        assert_eq!(r.message(Lang::En), "INR 1.7 > 1.5 (high bleeding risk), 2026-11-27; \
            platelets 40 G/L < 50 (high bleeding risk), 2026-11-27");
        assert_eq!(r.message(Lang::Fr), "INR 1,7 > 1,5 (risque hémorragique élevé), 27/11/2026\u{202f}; \
            plaquettes 40 G/L < 50 (risque hémorragique élevé), 27/11/2026");
    }
}
