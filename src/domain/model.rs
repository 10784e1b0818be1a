//! A case and its dossier, as the interchange format carries it and as the
//! database stores it (each evidence object is stored, and edited, on its own).

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

pub use super::panel::Dates;
use super::time::{When, date, local_datetime};
use super::vocab::*;

/// Everything known about one scheduled procedure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseFile {
    /// The scheduling system's id; unique; re-importing it updates the case.
    pub external_id: String,
    pub patient: Patient,
    pub procedure: Procedure,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consultation: Option<Consultation>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub anaesthesia_consult: Option<AnaesthesiaConsult>,
    /// Absent = nobody recorded imaging; `[]` = none on file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub imaging: Option<Vec<Imaging>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub biology: Option<Biology>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coagulation: Option<Coagulation>,
    /// Absent = nobody checked (missing, blocking); `[]` = none taken.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub medications: Option<Vec<Medication>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scores: Option<Scores>,
    /// Pain on the visual analogue scale (EVA), 0–10, before the procedure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pain_vas: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub life_expectancy_over_6_months: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Patient {
    /// Hospital patient number.
    pub ipp: String,
    pub last_name: String,
    pub first_name: String,
    #[serde(with = "date")]
    pub birth_date: NaiveDate,
    pub sex: Sex,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Procedure {
    /// Local wall-clock time, `YYYY-MM-DDTHH:MM`.
    #[serde(with = "local_datetime")]
    pub scheduled_at: NaiveDateTime,
    pub room: String,
    pub operator: String,
    /// At least one; more than one is a combined procedure.
    pub techniques: Vec<Technique>,
    pub target: String,
    pub anaesthesia: Anaesthesia,
    /// The case's own bleeding risk: it may raise the risk derived from the
    /// techniques, and lower it only when every technique's risk is judged
    /// per case (`technique.risk_per_case`: embolisation). Import refuses
    /// another `low`; one already stored is ignored (see `RuleSet::procedure_risk`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bleeding_risk: Option<BleedingRisk>,
    /// Expected duration; the rules table holds a default per technique.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_min: Option<u32>,
    /// The access route (arterial femoral or radial, venous, percutaneous):
    /// the low-risk INR threshold of an arterial procedure depends on it.
    /// Absent = not recorded (a re-import without it keeps a recorded one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access: Option<Access>,
}

/// The pre-interventional consultation by the IR radiologist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Consultation {
    pub at: When,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub radiologist: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub leaflet_given: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent: Option<Consent>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Consent {
    pub kind: ConsentKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<When>,
    /// Who obtained or traced the consent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    /// For traced consent: what was said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<String>,
}

/// The anaesthesia consultation (docs/import-format.md §4.6).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnaesthesiaConsult {
    pub at: When,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub anaesthetist: Option<String>,
    /// Fit, fit with conditions, not fit. Absent: a consultation recorded
    /// before the field existed, read as fit ([`AnaesthesiaConsult::reads`]);
    /// the screen's form asks for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conclusion: Option<Conclusion>,
    /// What "fit with conditions" asks for (only with that conclusion).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conditions: Option<String>,
    /// The login of who transcribed the consultation (a radiographer, a
    /// secretary, the chair: anyone but an anaesthetist recording their
    /// own); `anaesthetist` then names who consulted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transcribed_by: Option<String>,
}

impl AnaesthesiaConsult {
    /// The conclusion as the rules read it: absent is fit.
    pub fn reads(&self) -> Conclusion {
        self.conclusion.unwrap_or(Conclusion::Fit)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Imaging {
    pub kind: ImagingKind,
    pub at: When,
}

/// Blood count, creatinine and sepsis. Each value has its own date
/// (`dates`, by the value's key; a value it does not name is dated `at`);
/// `at` is the latest of them. The stored (canonical) form names every
/// present value's date: [`Biology::canonical`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Biology {
    pub at: When,
    #[serde(default, skip_serializing_if = "Dates::is_empty")]
    pub dates: Dates,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub neutrophils_g_l: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hemoglobin_g_dl: Option<f64>,
    /// µmol/L; stored and shown, no threshold. Never a clearance.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creatinine_umol_l: Option<f64>,
    /// mL/min/1.73 m².
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub egfr: Option<f64>,
    /// Ongoing sepsis; absent = none reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sepsis: Option<bool>,
}

/// INR and platelets, each with its own date (as [`Biology`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Coagulation {
    pub at: When,
    #[serde(default, skip_serializing_if = "Dates::is_empty")]
    pub dates: Dates,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inr: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platelets_g_l: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Medication {
    pub drug: Drug,
    /// The drug's name when `drug` is `other`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Planned (or actual) last intake; a date alone is the end of that day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_intake: Option<When>,
    /// Creatinine clearance (Cockcroft), mL/min.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crcl_ml_min: Option<f64>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scores {
    #[serde(default)]
    pub mirels: Vec<MirelsInput>,
    #[serde(default)]
    pub sins: Vec<SinsInput>,
}

/// Mirels items for one long-bone lesion; a missing item leaves the score incomplete.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MirelsInput {
    #[serde(default)]
    pub lesion: Option<String>,
    #[serde(default)]
    pub site: Option<MirelsSite>,
    #[serde(default)]
    pub pain: Option<MirelsPain>,
    #[serde(default)]
    pub size: Option<MirelsSize>,
    #[serde(default)]
    pub appearance: Option<MirelsAppearance>,
}

/// SINS items for one vertebral level; `level` (from which the location is
/// derived) or `location`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SinsInput {
    #[serde(default)]
    pub level: Option<super::scores::VertebralLevel>,
    #[serde(default)]
    pub location: Option<SinsLocation>,
    #[serde(default)]
    pub pain: Option<SinsPain>,
    #[serde(default)]
    pub lesion: Option<SinsLesion>,
    #[serde(default)]
    pub alignment: Option<SinsAlignment>,
    #[serde(default)]
    pub collapse: Option<SinsCollapse>,
    #[serde(default)]
    pub posterolateral: Option<SinsPosterolateral>,
}

impl CaseFile {
    /// A scheduled case with no evidence yet (every item missing).
    pub fn new(external_id: String, patient: Patient, procedure: Procedure) -> CaseFile {
        CaseFile {
            external_id,
            patient,
            procedure,
            consultation: None,
            anaesthesia_consult: None,
            imaging: None,
            biology: None,
            coagulation: None,
            medications: None,
            scores: None,
            pain_vas: None,
            life_expectancy_over_6_months: None,
            notes: None,
        }
    }

    /// With the clinical values recorded beside the schedule.
    pub fn with_clinical(
        mut self,
        pain_vas: Option<u8>,
        life_expectancy: Option<bool>,
    ) -> CaseFile {
        self.pain_vas = pain_vas;
        self.life_expectancy_over_6_months = life_expectancy;
        self
    }

    /// The procedure's calendar day (day J).
    pub fn day(&self) -> NaiveDate {
        self.procedure.scheduled_at.date()
    }
}
