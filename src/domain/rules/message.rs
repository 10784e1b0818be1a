//! The dossier messages as data. A [`Msg`] carries the evidence (dates,
//! values, thresholds, drug, risk); `src/text/rules/` puts it into words
//! (`Msg::render`), in French and English.

use chrono::NaiveDate;
use serde::Serialize;

use crate::domain::time::When;
use crate::domain::vocab::{Anaesthesia, BleedingRisk, ConsentKind, Drug, ImagingKind, Technique};

/// The kind of evidence a message speaks of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Evidence {
    Imaging(ImagingKind),
    Biology,
    Coagulation,
    AnaesthesiaConsult,
    Consultation,
    Consent,
}

/// A value that a work-up may lack.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Value {
    /// Blood count.
    Neutrophils,
    /// Creatinine.
    Egfr,
    Inr,
    Platelets,
    /// Shown, no threshold.
    Haemoglobin,
    /// µmol/L: shown, no threshold.
    Creatinine,
}

/// The values of a work-up whose own date differs from the one its
/// message's age shows (the oldest), each with its own date.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct OwnDates(pub Box<[(Value, NaiveDate)]>);

impl OwnDates {
    /// The dates of `values` that differ from `shown`.
    pub fn of(shown: NaiveDate, values: &[(Value, NaiveDate)]) -> OwnDates {
        OwnDates(
            values
                .iter()
                .filter(|(_, at)| *at != shown)
                .copied()
                .collect(),
        )
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The own date of `value`, when it differs.
    pub fn get(&self, value: Value) -> Option<NaiveDate> {
        self.0.iter().find(|(v, _)| *v == value).map(|(_, at)| *at)
    }
}

/// A part of the information and consent item that is not recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentGap {
    Radiologist,
    Leaflet,
    Consent,
    ConsentDate,
    TracedBy,
    /// Traced consent without what was said.
    TracedDetails,
}

/// A drug hold: last intake J−n (calendar days), J−n before noon (or an
/// earlier day), or n hours before.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Hold {
    Days(f64),
    DayNoon(f64),
    Hours(f64),
}

/// A hold chosen by the creatinine clearance: `crcl` against the drug's
/// renal threshold (below it, the longer hold applies).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Renal {
    pub crcl: f64,
    pub threshold: f64,
}

/// A piece of evidence dated `days` before day J, against a window of `max` days.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Age {
    pub what: Evidence,
    /// The value judged on its own date (a work-up's values each have one).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<Value>,
    pub at: NaiveDate,
    pub days: i64,
    pub max: f64,
    /// The bleeding risk when the window depends on it.
    pub risk: Option<BleedingRisk>,
}

/// One message per kind of finding.
#[rustfmt::skip] // one line per message
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Msg {
    /// A rule the item needs is not in the rules table.
    RuleMissing { rule: String, subject: String },
    NoEvidence { what: Evidence },
    AfterProcedure { what: Evidence, at: When },
    /// Dated evidence and its window (ok or expired).
    Age(Age),
    /// No imaging on file at all.
    NoPlanningImaging,
    /// Imaging on file, none of it planning imaging; the most recent.
    ImagingNotPlanning { imaging: ImagingKind, at: NaiveDate },
    ValueMissing { value: Value, what: Evidence, at: NaiveDate },
    /// `age`: the oldest of the values judged; `dates`: the values dated otherwise.
    BiologyOk { age: Age, neutrophils: f64, hemoglobin: Option<f64>, creatinine: Option<f64>, egfr: f64, #[serde(skip_serializing_if = "OwnDates::is_empty")] dates: OwnDates },
    NeutrophilsLow { value: f64, min: f64, at: NaiveDate },
    Sepsis { at: NaiveDate },
    EgfrLow { value: f64, min: f64, technique: Technique, at: NaiveDate },
    EgfrProphylaxis { value: f64, below: f64, technique: Technique, at: NaiveDate },
    CoagulationOk { age: Age, inr: f64, inr_max: f64, platelets: f64, platelets_min: f64, #[serde(skip_serializing_if = "OwnDates::is_empty")] dates: OwnDates },
    InrHigh { value: f64, max: f64, risk: BleedingRisk, at: NaiveDate },
    PlateletsLow { value: f64, min: f64, risk: BleedingRisk, at: NaiveDate },
    AnaesthesiaNotRequired { anaesthesia: Anaesthesia },
    AnaesthesiaMissing { anaesthesia: Anaesthesia },
    /// `fit`: the conclusion "fit" was recorded (absent: not said);
    /// `transcribed_by`: who transcribed it (a login).
    AnaesthesiaOk { at: When, days: i64, anaesthesia: Anaesthesia, by: Option<String>, transcribed_by: Option<String>, fit: bool },
    /// The consultation concluded "not fit": no evidence clears it.
    AnaesthesiaNotFit { at: When },
    /// The consultation concluded "fit with conditions": what they are
    /// (free text: left out when pseudonymised, [`Msg::leave_out_free_text`]).
    AnaesthesiaConditions { conditions: String },
    AnaesthesiaTooLate { at: When, days: i64, min: f64 },
    ConsentGap { gap: ConsentGap },
    ConsentOk { consent: ConsentKind, at: When, by: Option<String>, radiologist: String },
    /// Consent dated before the consultation that informed the patient.
    ConsentBeforeConsultation { at: When, consultation: When },
    /// Elapsed minutes from the consultation (a date alone: end of day) to the procedure.
    DelayTooShort { at: When, minutes: i64, min_hours: f64 },
    DelayUnder { at: When, days: i64, advise_days: f64 },
    DelayOk { at: When, days: i64, min_hours: f64 },
    MedicationsUnchecked,
    MedicationsNone,
    MedicationOther { name: Option<String> },
    CrclMissing { drug: Drug, min: f64 },
    /// The hold depends on whether CrCl is below `threshold`.
    CrclForHold { drug: Drug, threshold: f64 },
    CrclLow { drug: Drug, crcl: f64, min: f64 },
    /// No hold applies; `last` is the planned last intake if one was sent,
    /// with its J−n.
    Continued { drug: Drug, risk: BleedingRisk, last: Option<(When, i64)> },
    /// `renal`: the creatinine clearance that chose the hold, when one did.
    NoLastIntake { drug: Drug, hold: Hold, risk: BleedingRisk, renal: Option<Renal> },
    /// Last intake J−`days` against a hold in days.
    HoldDays { drug: Drug, at: When, days: i64, hold: f64, risk: BleedingRisk, ok: bool, renal: Option<Renal> },
    /// Last intake J−`days` against a hold of J−`hold` before noon, or earlier days.
    HoldNoon { drug: Drug, at: When, days: i64, hold: f64, risk: BleedingRisk, ok: bool, renal: Option<Renal> },
    /// Last intake `minutes` before the procedure against a hold in hours.
    HoldHours { drug: Drug, at: When, minutes: i64, hold: f64, risk: BleedingRisk, ok: bool, renal: Option<Renal> },
    /// INR to check `days` before (1: the day before).
    InrCheck { drug: Drug, days: Option<f64> },
    /// Aspirin before a procedure at `risk` (the case's effective risk).
    AspirinAdvisory { risk: BleedingRisk },
    /// A file value that lost to the stored one (re-import rule): blocking
    /// until a person keeps the stored value or takes the file's.
    FileConflict { item: String, value: String, at: NaiveDate, dated: bool },
    /// A postponed case shown in a later week has no slot there yet: its
    /// dossier was judged for `former`, and is judged again once it has one.
    NoSlotYet { former: NaiveDate },
    /// The patient died on `on` (issue 15 §2): a case on or after that
    /// day is blocking, to cancel. `month_only`: seen pseudonymised, the
    /// month is said, not the day (as the registry extract does).
    Deceased { on: NaiveDate, month_only: bool },
    /// Service codes of the hospital's booking no technique is mapped to
    /// yet (issue 16): blocking until a chair maps them.
    TechniqueToMap { codes: Vec<String> },
    /// The hospital's system changed the patient's identity on `on`: to
    /// check, until a person acknowledges it; what it changed, old → new.
    IdentityChanged {
        on: NaiveDate,
        changes: Vec<crate::domain::feed::IdentityChange>,
        /// The imported file that changed it; `None`: the hospital's system.
        by_file: Option<String>,
    },
    /// A laboratory's final result that could not be used (issue 16): the
    /// item blocks until a person types a value dated at or after it, or
    /// acknowledges it (`feeds ack-result`).
    LabUnusable(crate::domain::feed::UnusableLab),
    /// A booking carries no anaesthesia: the cautious one is assumed.
    AnaesthesiaAssumed { anaesthesia: Anaesthesia },
    /// A booking carries no target.
    TargetNotSent,
    /// A booking changed the case after the committee's decision: to
    /// decide again (the target's values are left out when pseudonymised).
    ChangedAfterDecision(crate::domain::feed::ChangedAfterDecision),
    /// The INR threshold by access, the access asked for, a case's own
    /// bleeding risk: rendered in `risk_message.rs`.
    InrHighByAccess(super::risk_message::InrHighByAccess),
    CoagulationOkByAccess(super::risk_message::CoagulationOkByAccess),
    AccessMissing(super::risk_message::AccessMissing),
    RiskOverride(super::risk_message::RiskOverride),
}

impl Msg {
    /// Replaces the free text a message carries (a value on file, the
    /// conditions of an anaesthetist's "fit with conditions") with `left_out`:
    /// how a pseudonymised reader sees it (free text may name people).
    pub fn leave_out_free_text(&mut self, left_out: &str) {
        match self {
            Msg::FileConflict { value, .. } => *value = left_out.to_owned(),
            Msg::AnaesthesiaConditions { conditions } => *conditions = left_out.to_owned(),
            Msg::MedicationOther { name: Some(name) } => *name = left_out.to_owned(),
            Msg::Deceased { month_only, .. } => *month_only = true,
            // As sent, it may be text (a comment naming someone).
            Msg::LabUnusable(u) => u.raw = left_out.to_owned(),
            Msg::ChangedAfterDecision(c) => c.leave_out_target(left_out),
            // Which traits changed stays; their values are the identity.
            Msg::IdentityChanged { changes, .. } => {
                for c in changes {
                    c.old = left_out.to_owned();
                    c.new = left_out.to_owned();
                }
            }
            _ => {}
        }
    }
}
