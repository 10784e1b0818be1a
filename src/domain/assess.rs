//! Everything computed about one case: its dossier items, its scores and
//! its bleeding risk. What `check` prints and the screen shows.

use chrono::{Datelike, NaiveDate};

use super::model::CaseFile;
use super::record::EvidenceKind;
use super::rules::{self, Context, Dossier, Item};
use super::scores::{self, MirelsScore, SinsScore};
use super::vocab::BleedingRisk;

/// The computed view of one case.
#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    pub risk: BleedingRisk,
    pub dossier: Dossier,
    pub mirels: Vec<MirelsScore>,
    pub sins: Vec<SinsScore>,
    /// Expected duration: the case's own, else the rules table's default.
    pub duration_min: Option<u32>,
}

impl Assessment {
    /// Judges the dossier and computes the scores of `case`.
    pub fn of(case: &CaseFile, ctx: &Context<'_>) -> Assessment {
        let p = &case.procedure;
        let scores = case.scores.clone().unwrap_or_default();
        Assessment {
            risk: ctx.rules.procedure_risk(&p.techniques, p.bleeding_risk),
            dossier: rules::evaluate(case, ctx),
            mirels: scores.mirels.iter().map(scores::mirels).collect(),
            sins: scores.sins.iter().map(scores::sins).collect(),
            duration_min: p
                .duration_min
                .or_else(|| ctx.rules.default_duration_min(&p.techniques)),
        }
    }

    /// No item is blocking.
    pub fn complete(&self) -> bool {
        self.dossier.complete()
    }
}

/// The evidence object an item is judged from.
pub fn source_of(item: Item) -> EvidenceKind {
    match item {
        Item::Imaging => EvidenceKind::Imaging,
        Item::Biology => EvidenceKind::Biology,
        Item::Coagulation => EvidenceKind::Coagulation,
        Item::Anaesthesia => EvidenceKind::AnaesthesiaConsult,
        Item::Consent | Item::Delay => EvidenceKind::Consultation,
        Item::Medication => EvidenceKind::Medications,
    }
}

/// Age in whole years on `day`.
pub fn age_on(birth: NaiveDate, day: NaiveDate) -> i32 {
    let mut age = day.year() - birth.year();
    if (day.month(), day.day()) < (birth.month(), birth.day()) {
        age -= 1;
    }
    age
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn age_counts_birthdays() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date");
        assert_eq!(age_on(d("1950-12-01"), d("2026-11-30")), 75);
        assert_eq!(age_on(d("1950-11-30"), d("2026-11-30")), 76);
        assert_eq!(age_on(d("1952-02-29"), d("2026-02-28")), 73);
    }
}
