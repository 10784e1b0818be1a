//! What the wards and the patient need to know about a case's drugs
//! (issue 14, §2): for each drug the patient takes, the planned last intake
//! a person recorded and who recorded it, or that the drug is to review
//! (its line blocks, or the list as a whole does), or that no last intake
//! was recorded. Never a date the rules computed: the hold decides only
//! whether a recorded intake is to review.
//!
//! Pure: no SQL, no words (`crate::text::export` says them).

use serde::Serialize;

use super::model::{CaseFile, Medication};
use super::rules::{Context, Dossier, Item, Msg, Severity, medication};
use super::time::When;
use super::vocab::Drug;

/// One drug as the ward instructions give it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum DrugLine {
    /// The planned last intake a person recorded, and who recorded it; the
    /// drug's line does not block.
    Recorded {
        drug: Drug,
        name: Option<String>,
        at: When,
        by: String,
    },
    /// The drug's line blocks (or the drug list does): to review, no date.
    Review { drug: Drug, name: Option<String> },
    /// No planned last intake recorded, and the line does not block (a
    /// drug continued, or one checked by hand).
    NotRecorded { drug: Drug, name: Option<String> },
}

impl DrugLine {
    pub fn drug(&self) -> (Drug, Option<&str>) {
        match self {
            DrugLine::Recorded { drug, name, .. }
            | DrugLine::Review { drug, name }
            | DrugLine::NotRecorded { drug, name } => (*drug, name.as_deref()),
        }
    }
}

/// A case's ward instructions.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Ward {
    /// Nobody checked the drug list (the medication item blocks on it).
    pub unchecked: bool,
    pub drugs: Vec<DrugLine>,
    /// A drug the rules table marks for an INR the day before (a vitamin K
    /// antagonist).
    pub inr_day_before: bool,
    /// The case's advisories, in item order (the INR check left out: said
    /// by `inr_day_before`).
    pub advisories: Vec<Msg>,
}

impl Ward {
    pub fn is_empty(&self) -> bool {
        !self.unchecked
            && self.drugs.is_empty()
            && !self.inr_day_before
            && self.advisories.is_empty()
    }
}

/// The ward instructions of `case`, judged as `dossier` says (pending file
/// values included). `recorded_by`: who recorded the drug list (`None`: not
/// known, and then no recorded intake is given as a person's).
pub fn ward(case: &CaseFile, dossier: &Dossier, ctx: &Context, recorded_by: Option<&str>) -> Ward {
    let med_item = dossier.item(Item::Medication);
    // A blocking finding of the list as a whole (a value on file to settle,
    // a rule row missing): every drug is to review.
    let list_blocks = med_item.is_some_and(|r| {
        r.findings.iter().any(|f| {
            f.severity == Severity::Blocking
                && matches!(
                    f.code,
                    "file.conflict" | "medication.rule_missing" | "medication.missing"
                )
        })
    });
    let mut out = Ward {
        unchecked: case.medications.is_none(),
        ..Ward::default()
    };
    for med in case.medications.as_deref().unwrap_or_default() {
        let findings = medication::drug_findings(case, ctx, med);
        let blocks = match &findings {
            Ok(f) => f.iter().any(|f| f.severity == Severity::Blocking),
            Err(_) => true,
        };
        if let Ok(f) = &findings
            && f.iter().any(|f| f.code == "medication.inr_check")
        {
            out.inr_day_before = true;
        }
        out.drugs
            .push(line(med, blocks || list_blocks, recorded_by));
    }
    for r in &dossier.items {
        for f in &r.findings {
            if f.severity == Severity::Advisory && f.code != "medication.inr_check" {
                out.advisories.push(f.msg.clone());
            }
        }
    }
    out
}

fn line(med: &Medication, review: bool, recorded_by: Option<&str>) -> DrugLine {
    let (drug, name) = (med.drug, med.name.clone());
    if review {
        return DrugLine::Review { drug, name };
    }
    match (med.last_intake, recorded_by) {
        (Some(at), Some(by)) => DrugLine::Recorded {
            drug,
            name,
            at,
            by: by.to_owned(),
        },
        // A date whose author is not known is not given as a person's.
        (Some(_), None) => DrugLine::Review { drug, name },
        (None, _) => DrugLine::NotRecorded { drug, name },
    }
}
