//! The messages about a case's bleeding risk and its access route, as
//! data: the INR threshold chosen by the access, the access asked for, and
//! a case's own risk that differs from its techniques'. Each is a
//! [`Msg`](super::Msg) variant; `src/text/rules/risk.rs` puts them into words.

use chrono::NaiveDate;
use serde::Serialize;

use super::message::{Age, OwnDates};
use crate::domain::vocab::{Access, BleedingRisk, Technique};

/// The access whose INR threshold judged the case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ByAccess {
    pub access: Access,
    /// None was recorded: the strictest access was assumed.
    pub assumed: bool,
}

/// INR above the threshold of the case's access.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct InrHighByAccess {
    pub value: f64,
    pub max: f64,
    pub risk: BleedingRisk,
    pub access: ByAccess,
    pub at: NaiveDate,
}

/// A coagulation work-up within the thresholds, the INR one by access.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CoagulationOkByAccess {
    pub age: Age,
    pub inr: f64,
    pub inr_max: f64,
    pub access: ByAccess,
    pub platelets: f64,
    pub platelets_min: f64,
    /// The values dated otherwise than `age` shows.
    #[serde(skip_serializing_if = "OwnDates::is_empty")]
    pub dates: OwnDates,
}

/// An arterial technique with no access recorded: judged with the
/// strictest access's threshold until the access is recorded.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct AccessMissing {
    pub technique: Technique,
    pub assumed: Access,
    pub inr_max: f64,
    pub risk: BleedingRisk,
}

/// Who set a case's own bleeding risk, as the case shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Setter {
    pub login: String,
    /// The local day it was set.
    pub on: Option<NaiveDate>,
    /// Where the value came from when the case was created with it
    /// (`import:week.json`).
    pub source: Option<String>,
}

/// A case's own bleeding risk that differs from the one its techniques
/// give: applied (a raise, or a `low` where every technique's risk is
/// judged per case), or ignored (it would lower another technique's risk).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RiskOverride {
    /// The case's own risk.
    pub set: BleedingRisk,
    /// The techniques' risk.
    pub techniques: BleedingRisk,
    /// Ignored: the techniques' risk applies.
    pub ignored: bool,
    /// The technique whose risk is not judged per case (when ignored).
    pub technique: Option<Technique>,
    /// Who set it (from the audit trail; `None` when not known).
    pub by: Option<Setter>,
}
