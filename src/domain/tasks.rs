//! The chase list (issue 14, §1): every blocking item that some evidence can
//! clear becomes a task: what to do, who may do it, and the window in which
//! it must be done. Tasks are computed from the case's assessment, never
//! stored nor ticked: a task goes away when its evidence arrives.
//!
//! The window is the one the item's rule judges with (`imaging::window`,
//! `biology::window`, `coagulation::window`, `anaesthesia::window`,
//! `delay::window`, `medication::hold_of`), never a second copy of a
//! threshold: the list cannot disagree with the flags.
//!
//! What no evidence can clear goes to the "to discuss" list: a value out of
//! range (an INR too high, neutrophils too low, sepsis, a creatinine
//! clearance too low for a direct oral anticoagulant), a value on file that
//! lost to a person's entry, a rule row missing from the table, and every
//! advisory (a reflection delay under 14 days, aspirin, an INR to check the
//! day before…).
//!
//! Pure: no SQL, no terminal, no words (`crate::text::tasks` says them).

use chrono::NaiveDateTime;
use serde::Serialize;

use super::model::{CaseFile, Medication};
use super::roles::{Permission, Role};
use super::rules::medication::{self, HoldOf};
use super::rules::{
    Context, Dossier, Finding, Hold, Item, Msg, Severity, Window, anaesthesia, biology,
    coagulation, delay, imaging,
};
use super::vocab::Drug;

/// What a task asks for (typed: its words are in `crate::text::tasks`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum What {
    /// Planning imaging (CT, MRI, PET-CT) within its validity.
    Imaging,
    /// Blood count and creatinine.
    Biology,
    /// INR and platelets.
    Coagulation,
    /// The anaesthesia consultation.
    AnaesthesiaConsult,
    /// The pre-interventional consultation, early enough for the reflection
    /// delay.
    Consultation,
    /// Information and consent: what the consent item lacks.
    Consent,
    /// The list of anticoagulants and antiplatelets: nobody checked it.
    Medications,
    /// A creatinine clearance the drug's hold depends on (no date: the
    /// hold, hence the window, is not known without it).
    Crcl { drug: Drug },
    /// The drug's planned last intake, as the medication rule computes it.
    LastIntake { drug: Drug, hold: Hold },
}

/// Whether a task can still be done in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Open,
    /// The window has closed: to discuss at the committee.
    TooLate,
}

/// One thing to do for one case.
#[derive(Debug, Clone, PartialEq)]
pub struct Task {
    /// The case's scheduling id.
    pub case: String,
    pub item: Item,
    pub what: What,
    /// The roles that do it, in the order of [`Role::ALL`].
    pub owners: &'static [Role],
    /// When it must be done; `None`: no date (a value the window depends on,
    /// or evidence with no validity window).
    pub window: Option<Window>,
    pub state: State,
}

/// How a task shows in a role's list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Assigned {
    /// The role does it.
    Do,
    /// The role contacts the case's operator about it, with no date (a drug
    /// hold on the secretary's list: stopping and bridging are decided with
    /// the prescriber).
    Contact,
}

impl Task {
    /// How the task shows in `role`'s list; `None`: not in it.
    pub fn for_role(&self, role: Role) -> Option<Assigned> {
        if self.owners.contains(&role) {
            return Some(Assigned::Do);
        }
        match self.what {
            What::LastIntake { .. } if role == Role::Secretary => Some(Assigned::Contact),
            _ => None,
        }
    }
}

/// Something no evidence clears: said at the committee.
#[derive(Debug, Clone, PartialEq)]
pub struct Discuss {
    pub case: String,
    pub item: Item,
    pub severity: Severity,
    pub code: &'static str,
    pub msg: Msg,
}

/// A case's tasks and what it leaves to discuss.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Chase {
    pub tasks: Vec<Task>,
    pub discuss: Vec<Discuss>,
}

/// Who records imaging, biology, coagulation, consent and the drug list.
fn recorders() -> &'static [Role] {
    Permission::RecordEvidence.roles()
}

/// The IR radiologist's (the chair counts as one).
const RADIOLOGIST: &[Role] = &[Role::Chair, Role::Radiologist];
/// The anaesthetist's (who holds the consultation; others may only
/// transcribe it once held).
const ANAESTHETIST: &[Role] = &[Role::Chair, Role::Anaesthetist];
/// Stopping and bridging a drug: the IR radiologist or the anaesthetist.
const PRESCRIBERS: &[Role] = &[Role::Chair, Role::Radiologist, Role::Anaesthetist];

/// The findings that evidence clears: missing, expired, dated after the
/// procedure, a value not given, a consultation too late, a consent part
/// not recorded. Any other blocking finding is to discuss.
const CLEARABLE: &[&str] = &[
    "imaging.missing",
    "imaging.not_planning",
    "imaging.expired",
    "imaging.after_procedure",
    "biology.missing",
    "biology.expired",
    "biology.after_procedure",
    "biology.neutrophils_missing",
    "biology.egfr_missing",
    "coagulation.missing",
    "coagulation.expired",
    "coagulation.after_procedure",
    "coagulation.inr_missing",
    "coagulation.platelets_missing",
    "anaesthesia.missing",
    "anaesthesia.too_late",
    "anaesthesia.expired",
    "anaesthesia.after_procedure",
    "consent.no_consultation",
    "consent.no_radiologist",
    "consent.no_leaflet",
    "consent.missing",
    "consent.no_date",
    "consent.traced_no_author",
    "consent.traced_no_details",
    "consent.consultation_after_procedure",
    "consent.after_procedure",
    "consent.before_consultation",
    "delay.missing",
    "delay.too_short",
    "medication.missing",
    "medication.crcl_missing",
    "medication.no_last_intake",
    "medication.hold_too_late",
];

/// The tasks and the points to discuss of one case, from its dossier (as
/// `Assessment` judged it: pending file values included), at `now` (the
/// hospital's local time: a window closed before it is too late).
pub fn chase(case: &CaseFile, dossier: &Dossier, ctx: &Context, now: NaiveDateTime) -> Chase {
    let mut out = Chase::default();
    for result in &dossier.items {
        if result.item == Item::Medication {
            medications(case, &result.findings, ctx, now, &mut out);
            continue;
        }
        let mut task_made = false;
        for f in &result.findings {
            if !(f.severity == Severity::Blocking && CLEARABLE.contains(&f.code)) {
                discuss(case, result.item, f, &mut out);
                continue;
            }
            if task_made {
                continue;
            }
            task_made = true;
            match item_task(case, result.item, ctx, now) {
                Ok(t) => out.tasks.push(t),
                // The window's own rows are missing: said, not guessed.
                Err(f) => discuss(case, result.item, &f, &mut out),
            }
        }
    }
    out
}

/// A finding for the "to discuss" list: blocking or advisory, never one that
/// raises nothing.
fn discuss(case: &CaseFile, item: Item, f: &Finding, out: &mut Chase) {
    if f.severity == Severity::None {
        return;
    }
    out.discuss.push(Discuss {
        case: case.external_id.clone(),
        item,
        severity: f.severity,
        code: f.code,
        msg: f.msg.clone(),
    });
}

/// The task of an item other than the drugs, with its rule's window.
fn item_task(
    case: &CaseFile,
    item: Item,
    ctx: &Context,
    now: NaiveDateTime,
) -> Result<Task, Finding> {
    let (what, owners, window) = match item {
        Item::Imaging => (
            What::Imaging,
            recorders(),
            Some(imaging::window(case, ctx)?.window),
        ),
        Item::Biology => (
            What::Biology,
            recorders(),
            Some(biology::window(case, ctx)?.window),
        ),
        Item::Coagulation => (
            What::Coagulation,
            recorders(),
            Some(coagulation::window(case, ctx)?.window),
        ),
        Item::Anaesthesia => (
            What::AnaesthesiaConsult,
            ANAESTHETIST,
            Some(anaesthesia::window(case, ctx)?.window()),
        ),
        Item::Consent => (What::Consent, recorders(), None),
        Item::Delay => (
            What::Consultation,
            RADIOLOGIST,
            Some(delay::window(case, ctx)?.window()),
        ),
        Item::Medication => (What::Medications, recorders(), None),
    };
    Ok(task(case, item, what, owners, window, now))
}

fn task(
    case: &CaseFile,
    item: Item,
    what: What,
    owners: &'static [Role],
    window: Option<Window>,
    now: NaiveDateTime,
) -> Task {
    let state = match window {
        Some(w) if w.latest.closed(now) => State::TooLate,
        _ => State::Open,
    };
    Task {
        case: case.external_id.clone(),
        item,
        what,
        owners,
        window,
        state,
    }
}

/// The codes of the medication item that belong to one drug line.
const PER_DRUG: &[&str] = &[
    "medication.other",
    "medication.crcl_missing",
    "medication.crcl_low",
    "medication.continued",
    "medication.no_last_intake",
    "medication.hold_ok",
    "medication.hold_too_late",
    "medication.inr_check",
    "medication.aspirin_advisory",
];

/// The medication item: the list as a whole (not checked, a value on file
/// to settle), then each drug line as the item judges it.
fn medications(
    case: &CaseFile,
    findings: &[Finding],
    ctx: &Context,
    now: NaiveDateTime,
    out: &mut Chase,
) {
    let item = Item::Medication;
    for f in findings.iter().filter(|f| !PER_DRUG.contains(&f.code)) {
        if f.severity == Severity::Blocking && f.code == "medication.missing" {
            out.tasks
                .push(task(case, item, What::Medications, recorders(), None, now));
        } else if f.code != "medication.rule_missing" || !drug_rule_missing(case, ctx, f) {
            discuss(case, item, f, out);
        }
    }
    for med in case.medications.as_deref().unwrap_or_default() {
        let findings = match medication::drug_findings(case, ctx, med) {
            Ok(f) => f,
            Err(f) => vec![f],
        };
        let mut task_made = false;
        for f in &findings {
            if !(f.severity == Severity::Blocking && CLEARABLE.contains(&f.code)) {
                discuss(case, item, f, out);
                continue;
            }
            if task_made {
                continue;
            }
            task_made = true;
            match drug_task(case, ctx, med, f, now) {
                Ok(t) => out.tasks.push(t),
                Err(f) => discuss(case, item, &f, out),
            }
        }
    }
}

/// Whether a `medication.rule_missing` finding of the item is one of a drug
/// line's (said with that line, not twice).
fn drug_rule_missing(case: &CaseFile, ctx: &Context, f: &Finding) -> bool {
    case.medications
        .as_deref()
        .unwrap_or_default()
        .iter()
        .any(|m| matches!(medication::drug_findings(case, ctx, m), Err(e) if e == *f))
}

/// A drug line's task: the clearance its hold needs, or its last intake.
fn drug_task(
    case: &CaseFile,
    ctx: &Context,
    med: &Medication,
    f: &Finding,
    now: NaiveDateTime,
) -> Result<Task, Finding> {
    let item = Item::Medication;
    if f.code == "medication.crcl_missing" {
        let what = What::Crcl { drug: med.drug };
        return Ok(task(case, item, what, recorders(), None, now));
    }
    match medication::hold_of(case, ctx, med)? {
        HoldOf::Latest(latest, hold, _) => {
            let what = What::LastIntake {
                drug: med.drug,
                hold,
            };
            let window = Window {
                earliest: None,
                latest,
            };
            Ok(task(case, item, what, PRESCRIBERS, Some(window), now))
        }
        // Not reached: a hold finding comes from a hold row.
        HoldOf::NeedsCrcl | HoldOf::Continued => {
            let what = What::Crcl { drug: med.drug };
            Ok(task(case, item, what, recorders(), None, now))
        }
    }
}

#[cfg(test)]
#[path = "tasks_tests.rs"]
mod tests;
