//! ORU^R01: OBR and OBX into dated values, or values set aside with why.

use chrono_tz::Tz;
use hl7_parser::message::Segment;

use super::read::{Reader, short, stamp};
use super::types::{
    Header, LabReport, PatientIdentity, Seen, SetAside, SetAsideReason, Withdrawal,
};
use super::units::{analyte, factor, number};
use crate::domain::labs::LabValue;
use crate::domain::time::When;

/// The OBX of the message in order, each dated by the OBR before it
/// (OBR-7, the specimen's time) or, with no OBR-7, by its own OBX-14.
pub fn report(r: &Reader, header: Header, patient: PatientIdentity, zone: Tz) -> LabReport {
    let mut values = Vec::new();
    let mut corrected = Vec::new();
    let mut withdrawn = Vec::new();
    let mut set_aside = Vec::new();
    // OBR-7 of the current OBR: None = no OBR or empty OBR-7; Some(None) =
    // written but unreadable (the specimen's time is unknown, never
    // replaced by the observation's).
    let mut obr_time: Option<Option<When>> = None;
    let mut obx = 0;
    for segment in r.message.segments() {
        match segment.name {
            "OBR" => {
                let raw = r.text(segment, 7, 1);
                obr_time = (!raw.is_empty()).then(|| stamp(&raw, zone).map(|s| s.when()));
            }
            "OBX" => {
                obx += 1;
                match observation(r, segment, obr_time, zone) {
                    Ok(Observed::Value(value, status)) => {
                        if status == Status::Corrected {
                            corrected.push(value);
                        }
                        values.push(value);
                    }
                    Ok(Observed::Withdrawn(analyte, at)) => {
                        withdrawn.push(Withdrawal { obx, analyte, at });
                    }
                    Err(aside) => {
                        let (code, reason, seen) = *aside;
                        set_aside.push(SetAside {
                            obx,
                            code,
                            reason,
                            seen,
                        });
                    }
                }
            }
            _ => {}
        }
    }
    LabReport {
        header,
        patient,
        values,
        corrected,
        withdrawn,
        set_aside,
    }
}

/// OBX-11 of a value taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    Final,
    Corrected,
}

/// An OBX of ours read: a value (F or C), or a withdrawal (W).
enum Observed {
    Value(LabValue, Status),
    Withdrawn(crate::domain::labs::Analyte, Option<When>),
}

/// OBX-3: the LOINC code, in CE.1 (coding system `LN` or none) or in the
/// alternate CE.4 (coding system CE.6 `LN`); `Err` with CE.1 for a code of
/// another system (a local code is never read as LOINC).
fn loinc(r: &Reader, obx: &Segment) -> Result<String, String> {
    let first = r.text(obx, 3, 1);
    let system = r.text(obx, 3, 3);
    if system.is_empty() || system.eq_ignore_ascii_case("LN") {
        return Ok(first);
    }
    if r.text(obx, 3, 6).eq_ignore_ascii_case("LN") {
        return Ok(r.text(obx, 3, 4));
    }
    Err(first)
}

/// Why an OBX is set aside: its code, the reason, and what was sent for a
/// code of ours (boxed: the error is large beside the value).
type Aside = Box<(String, SetAsideReason, Option<Seen>)>;

fn observation(
    r: &Reader,
    obx: &Segment,
    obr_time: Option<Option<When>>,
    zone: Tz,
) -> Result<Observed, Aside> {
    let (code, analyte) = match loinc(r, obx) {
        Ok(code) => match analyte(&code) {
            Some(a) => (code, a),
            None => return Err(Box::new((code, SetAsideReason::NotUsed, None))),
        },
        Err(local) => return Err(Box::new((local, SetAsideReason::NotUsed, None))),
    };
    let values = r.repeats(obx, 5);
    let (raw, plain) = match values.first() {
        // SN (structured numeric): comparator^number^separator^number;
        // only "^215" or "=^215" is a plain number.
        Some(rep) if r.text(obx, 2, 1).eq_ignore_ascii_case("SN") => {
            let parts: Vec<String> = (1..=4).map(|c| r.comp(rep, c)).collect();
            let plain =
                matches!(parts[0].as_str(), "" | "=") && parts[2..].iter().all(String::is_empty);
            (parts.concat(), plain.then(|| parts[1].clone()))
        }
        Some(rep) => (r.comp(rep, 1), Some(r.comp(rep, 1))),
        None => (String::new(), None),
    };
    let mut unit = r.text(obx, 6, 1);
    if unit.is_empty() {
        unit = r.text(obx, 6, 2);
    }
    let at = match obr_time {
        Some(at) => at,
        None => stamp(&r.text(obx, 14, 1), zone).map(|s| s.when()),
    };
    let seen = Seen {
        analyte,
        value: short(&raw),
        unit: short(&unit),
        at,
    };
    let fail = |reason| Err(Box::new((code.clone(), reason, Some(seen.clone()))));
    let status = match r.text(obx, 11, 1).to_ascii_uppercase().as_str() {
        "F" => Status::Final,
        "C" => Status::Corrected,
        // Withdrawn: whatever OBX-5 says, the result is wrong.
        "W" => return Ok(Observed::Withdrawn(analyte, at)),
        other => return fail(SetAsideReason::NotFinal(other.to_owned())),
    };
    let number = match plain.as_deref().and_then(number) {
        Some(n) if values.len() == 1 => n,
        _ => return fail(SetAsideReason::NotANumber(short(&raw))),
    };
    let Some(factor) = factor(&code, &unit) else {
        return fail(SetAsideReason::UnknownUnit(short(&unit)));
    };
    let Some(at) = at else {
        return fail(SetAsideReason::Undated);
    };
    // At the precision the analyte is reported in, before anything judges
    // it: what is stored, shown and checked is one value.
    let value = super::units::reported(analyte, number * factor);
    Ok(Observed::Value(LabValue { analyte, value, at }, status))
}
