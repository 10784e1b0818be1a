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
//!   `medication.hold`; a hold that CrCl chose names it. No hold row →
//!   continued. In days, the last intake must fall on J−n or earlier
//!   (calendar days); in `day_noon`, on J−n before 12:00 or on an earlier
//!   day (a date alone on J−n blocks: its hour is unknown); in hours, at
//!   least n hours must elapse before the procedure (a date alone counts as
//!   the end of that day, a daylight-saving change counts);
//! - `medication.inr_check` for the drug → advisory: INR the day before;
//! - aspirin: a `medication.aspirin_advisory` row for `aspirin` at the
//!   case's effective bleeding risk (seeded at high risk) → one advisory per
//!   aspirin line, whatever the technique (aspirin never blocks).
//!
//! Codes: `medication.missing`, `medication.none_taken`, `medication.other`,
//! `medication.crcl_missing`, `medication.crcl_low`, `medication.continued`,
//! `medication.no_last_intake`, `medication.hold_ok`,
//! `medication.hold_too_late`, `medication.inr_check`,
//! `medication.aspirin_advisory`, `medication.rule_missing`.

use super::{Context, Elapsed, Finding, Findings, Hold, Item, Latest, Msg, Renal, RuleRow};
use super::{Severity, Status, Unit, days_back, required, rule_missing};
use crate::domain::model::{CaseFile, Medication};
use crate::domain::time::days_before;
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

/// The findings for one drug the patient takes (the item's, for that line).
pub fn drug_findings(case: &CaseFile, ctx: &Context, med: &Medication) -> Findings {
    let mut out = Vec::new();
    drug(case, ctx, med, &mut out)?;
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
        HoldRow::Row(row, renal) => out.push(hold(case, ctx, med, (row, renal), risk)?),
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
    if med.drug == Drug::Aspirin
        && let Some(row) = ctx.rules.get("medication.aspirin_advisory", name, risk)
    {
        let msg = Msg::AspirinAdvisory { risk };
        out.push(Finding::ok_advisory(
            "medication.aspirin_advisory",
            row.severity,
            msg,
        ));
    }
    Ok(())
}

/// The hold that applies to a drug at the case's risk, as the item judges it.
pub enum HoldOf {
    /// No hold applies: the drug is continued.
    Continued,
    /// The hold depends on a creatinine clearance that is not recorded.
    NeedsCrcl,
    /// The latest intake allowed, the hold it comes from, and the clearance
    /// that chose it when one did.
    Latest(Latest, Hold, Option<Renal>),
}

/// The latest allowed intake of `med` for this case: what judges its hold,
/// and what the chase list shows.
pub fn hold_of(case: &CaseFile, ctx: &Context, med: &Medication) -> Result<HoldOf, Finding> {
    let risk = ctx.risk(case);
    Ok(match hold_row(ctx, med, risk)? {
        HoldRow::None => HoldOf::Continued,
        HoldRow::NeedsCrcl(_) => HoldOf::NeedsCrcl,
        HoldRow::Row(row, renal) => {
            let (hold, latest) = limit(case, ctx, med, row)?;
            HoldOf::Latest(latest, hold, renal)
        }
    })
}

/// A hold row as a hold and the latest intake it allows.
fn limit(
    case: &CaseFile,
    ctx: &Context,
    med: &Medication,
    row: &RuleRow,
) -> Result<(Hold, Latest), Finding> {
    let missing = || rule_missing(Item::Medication, &row.rule, med.drug.as_str());
    let n = row.value.ok_or_else(missing)?;
    let hours = |h: f64| {
        chrono::Duration::try_seconds((h * 3600.0).round() as i64)
            .filter(|_| h.is_finite() && h >= 0.0)
            .map(|min| {
                Latest::Elapsed(Elapsed {
                    min,
                    more_than: false,
                    procedure: case.procedure.scheduled_at,
                    tz: ctx.tz,
                })
            })
    };
    let day = case.day();
    let (hold, latest) = match row.unit {
        Unit::Days => (Hold::Days(n), days_back(day, n).map(Latest::Day)),
        Unit::DayNoon if n.fract() == 0.0 => {
            (Hold::DayNoon(n), days_back(day, n).map(Latest::DayNoon))
        }
        // A split day has no noon: after J−n means J−ceil(n) or earlier.
        Unit::DayNoon => (Hold::DayNoon(n), days_back(day, n).map(Latest::Day)),
        Unit::Hours => (Hold::Hours(n), hours(n)),
        Unit::Minutes => (Hold::Hours(n / 60.0), hours(n / 60.0)),
        _ => return Err(missing()),
    };
    Ok((hold, latest.ok_or_else(missing)?))
}

enum HoldRow<'r> {
    /// No hold applies: the drug is continued.
    None,
    /// The hold depends on a creatinine clearance that is not recorded.
    NeedsCrcl(f64),
    /// The hold, and the clearance that chose it when one did.
    Row(&'r RuleRow, Option<Renal>),
}

/// The hold that applies to the drug at this risk: the renal hold when the
/// drug has one at this risk and CrCl is below the renal threshold.
fn hold_row<'r>(
    ctx: &Context<'r>,
    med: &Medication,
    risk: BleedingRisk,
) -> Result<HoldRow<'r>, Finding> {
    let name = med.drug.as_str();
    let usual = ctx.rules.get("medication.hold", name, risk);
    let renal_hold = ctx.rules.get("medication.hold_renal", name, risk);
    let threshold = ctx.rules.get("medication.renal_threshold", name, risk);
    let (Some(renal_hold), Some(threshold)) = (renal_hold, threshold) else {
        return Ok(usual.map_or(HoldRow::None, |row| HoldRow::Row(row, None)));
    };
    let threshold = threshold
        .value
        .ok_or_else(|| rule_missing(Item::Medication, "medication.renal_threshold", name))?;
    let Some(crcl) = med.crcl_ml_min else {
        return Ok(HoldRow::NeedsCrcl(threshold));
    };
    let renal = Some(Renal { crcl, threshold });
    Ok(match (crcl < threshold, usual) {
        (true, _) => HoldRow::Row(renal_hold, renal),
        (false, Some(row)) => HoldRow::Row(row, renal),
        (false, None) => HoldRow::None,
    })
}

/// The planned last intake against a hold row (days, days with a noon
/// cut-off, or hours), with the clearance that chose the row if one did.
fn hold(
    case: &CaseFile,
    ctx: &Context,
    med: &Medication,
    (row, renal): (&RuleRow, Option<Renal>),
    risk: BleedingRisk,
) -> Result<Finding, Finding> {
    let drug = med.drug;
    let (hold, latest) = limit(case, ctx, med, row)?;
    let Some(at) = med.last_intake else {
        let msg = Msg::NoLastIntake {
            drug,
            hold,
            risk,
            renal,
        };
        return Ok(Finding::new(
            "medication.no_last_intake",
            Status::Missing,
            row.severity,
            msg,
        ));
    };
    let ok = latest.admits(at);
    let days = days_before(at.date(), case.day());
    let msg = match (hold, latest) {
        (Hold::Hours(n), Latest::Elapsed(e)) => Msg::HoldHours {
            drug,
            at,
            minutes: e.waited(at).num_minutes(),
            hold: n,
            risk,
            ok,
            renal,
        },
        (Hold::DayNoon(n), _) => Msg::HoldNoon {
            drug,
            at,
            days,
            hold: n,
            risk,
            ok,
            renal,
        },
        (Hold::Days(n) | Hold::Hours(n), _) => Msg::HoldDays {
            drug,
            at,
            days,
            hold: n,
            risk,
            ok,
            renal,
        },
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
mod tests;
