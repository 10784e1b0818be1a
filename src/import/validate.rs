//! Checks that serde cannot express: non-empty text, physical bounds,
//! plausible dates, unique ids, one identity per IPP. And normalisation of
//! untrusted text: a text with no visible character is empty.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::{Detail, Location, Place, Problem};
use crate::domain::bounds;
use crate::domain::model::{AnaesthesiaConsult, CaseFile, Patient};
use crate::domain::rules::RuleSet;
use crate::domain::text::{self, sanitize_line};
use crate::domain::time::When;
use crate::domain::vocab::{BleedingRisk, Conclusion, Drug, Technique};

/// Normalises every text field: NFC, no control or invisible characters;
/// single-line fields also lose line breaks and extra spaces. A text with no
/// visible character becomes "" (refused where required, missing where the
/// rules need it).
pub fn sanitize(case: &mut CaseFile) {
    let line = |s: &mut String| *s = sanitize_line(s);
    let opt_line = |s: &mut Option<String>| {
        if let Some(v) = s {
            *v = sanitize_line(v);
        }
    };
    line(&mut case.external_id);
    line(&mut case.patient.ipp);
    line(&mut case.patient.last_name);
    line(&mut case.patient.first_name);
    let p = &mut case.procedure;
    line(&mut p.room);
    line(&mut p.operator);
    line(&mut p.target);
    if let Some(c) = &mut case.consultation {
        opt_line(&mut c.radiologist);
        if let Some(k) = &mut c.consent {
            opt_line(&mut k.by);
            if let Some(d) = &mut k.details {
                *d = text::sanitize_text(d);
            }
        }
    }
    if let Some(a) = &mut case.anaesthesia_consult {
        opt_line(&mut a.anaesthetist);
        opt_line(&mut a.transcribed_by);
        if let Some(c) = &mut a.conditions {
            *c = text::sanitize_text(c);
        }
    }
    for m in case.medications.iter_mut().flatten() {
        opt_line(&mut m.name);
    }
    if let Some(s) = &mut case.scores {
        for m in &mut s.mirels {
            opt_line(&mut m.lesion);
        }
    }
    if let Some(n) = &mut case.notes {
        *n = text::sanitize_text(n);
    }
}

/// Every problem of every case, with its location.
pub fn check_all(cases: &[(Location, CaseFile)], today: NaiveDate) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut seen: HashMap<&str, Place> = HashMap::new();
    // The first case of each IPP: where it is, and the patient it names.
    let mut patients: HashMap<&str, (&Location, &CaseFile)> = HashMap::new();
    for (at, case) in cases {
        let mut c = Checker {
            at,
            today,
            problems: &mut problems,
        };
        c.case(case);
        let place = |at: &Location| match at.line {
            Some(l) => Place::Line(l),
            None => Place::Case(at.case_index.unwrap_or(0)),
        };
        if let Some(first) = seen.insert(case.external_id.as_str(), place(at)) {
            c.problem("external_id", Detail::DuplicateId(first));
        }
        let ipp = case.patient.ipp.as_str();
        if ipp.is_empty() {
            continue;
        }
        match patients.get(ipp) {
            None => {
                patients.insert(ipp, (at, case));
            }
            Some((first_at, first)) if !same_identity(&first.patient, &case.patient) => {
                c.problem(
                    "patient.ipp",
                    Detail::IppOtherIdentity {
                        ipp: ipp.to_owned(),
                        first: place(first_at),
                        external_id: first.external_id.clone(),
                        patient: Box::new(first.patient.clone()),
                    },
                );
            }
            Some(_) => {}
        }
    }
    problems
}

/// A case's own `low` bleeding risk is accepted only when every technique
/// of the case is one whose risk the rules table judges per case
/// (`technique.risk_per_case`): otherwise it would lower the risk the
/// techniques give (a vertebroplasty sent `low` would be judged on the
/// low-risk thresholds). A `high` is always accepted: it only raises.
pub fn check_risks(cases: &[(Location, CaseFile)], rules: &RuleSet) -> Vec<Problem> {
    let per_case: Vec<Technique> = Technique::ALL
        .iter()
        .copied()
        .filter(|t| rules.risk_per_case(*t))
        .collect();
    let mut problems = Vec::new();
    for (at, case) in cases {
        let p = &case.procedure;
        if p.bleeding_risk != Some(BleedingRisk::Low) || rules.lowerable(&p.techniques) {
            continue;
        }
        let Some(t) = rules.not_per_case(&p.techniques) else {
            // No technique: refused already ("needs at least one technique").
            continue;
        };
        let mut at = at.clone();
        at.field = Some("procedure.bleeding_risk".to_owned());
        problems.push(Problem {
            at,
            message: Detail::LowRiskNotPerCase {
                per_case: per_case.clone(),
                technique: t,
                risk: rules.technique_risk(t),
            },
        });
    }
    problems
}

/// One IPP is one person: the same names (exactly), birth date and sex.
fn same_identity(a: &Patient, b: &Patient) -> bool {
    a.last_name == b.last_name
        && a.first_name == b.first_name
        && a.birth_date == b.birth_date
        && a.sex == b.sex
}

/// Longest single-line field (names, ids, room, target…), in characters.
pub const MAX_LINE_CHARS: usize = 200;
/// Longest free text (notes, what was said for a traced consent).
pub const MAX_TEXT_CHARS: usize = 20_000;

struct Checker<'a> {
    at: &'a Location,
    today: NaiveDate,
    problems: &'a mut Vec<Problem>,
}

impl Checker<'_> {
    fn problem(&mut self, field: &str, message: Detail) {
        let mut at = self.at.clone();
        at.field = Some(field.to_owned());
        self.problems.push(Problem { at, message });
    }

    fn text(&mut self, field: &str, value: &str) {
        if text::is_blank(value) {
            self.problem(field, Detail::Empty);
        }
        self.length(field, Some(value), MAX_LINE_CHARS);
    }

    /// The optional text fields' lengths (required ones: [`Checker::text`]).
    fn lengths(&mut self, case: &CaseFile) {
        let line = MAX_LINE_CHARS;
        if let Some(c) = &case.consultation {
            self.length("consultation.radiologist", c.radiologist.as_deref(), line);
            if let Some(k) = &c.consent {
                self.length("consultation.consent.by", k.by.as_deref(), line);
                self.length(
                    "consultation.consent.details",
                    k.details.as_deref(),
                    MAX_TEXT_CHARS,
                );
            }
        }
        if let Some(a) = &case.anaesthesia_consult {
            self.length(
                "anaesthesia_consult.anaesthetist",
                a.anaesthetist.as_deref(),
                line,
            );
            self.length(
                "anaesthesia_consult.transcribed_by",
                a.transcribed_by.as_deref(),
                line,
            );
            self.length(
                "anaesthesia_consult.conditions",
                a.conditions.as_deref(),
                MAX_TEXT_CHARS,
            );
        }
        for (i, m) in case.medications.iter().flatten().enumerate() {
            self.length(&format!("medications[{i}].name"), m.name.as_deref(), line);
        }
        for (i, m) in case.scores.iter().flat_map(|s| &s.mirels).enumerate() {
            self.length(
                &format!("scores.mirels[{i}].lesion"),
                m.lesion.as_deref(),
                line,
            );
        }
        self.length("notes", case.notes.as_deref(), MAX_TEXT_CHARS);
    }

    /// Text longer than a person could have meant is refused.
    fn length(&mut self, field: &str, value: Option<&str>, max: usize) {
        if let Some(v) = value {
            let n = v.chars().count();
            if n > max {
                self.problem(field, Detail::TooLong { chars: n, max });
            }
        }
    }

    fn number(&mut self, field: &str, name: &str, value: Option<f64>) {
        if let Some(v) = value
            && let Err(e) = bounds::check(name, v)
        {
            self.problem(field, Detail::OutOfBounds(e));
        }
    }

    fn date(&mut self, field: &str, date: NaiveDate) {
        if let Err(e) = bounds::check_date(date, self.today) {
            self.problem(field, Detail::DateOutside(e));
        }
    }

    /// Each value's own date (biology, coagulation), and that `dates`
    /// names only values the object holds (`refused`).
    fn dates(
        &mut self,
        object: &str,
        dates: &crate::domain::model::Dates,
        refused: Option<String>,
    ) {
        for (key, at) in dates {
            self.when(&format!("{object}.dates.{key}"), Some(*at));
        }
        if let Some(reason) = refused {
            self.problem(&format!("{object}.dates"), Detail::Reader(reason));
        }
    }

    fn when(&mut self, field: &str, value: Option<When>) {
        if let Some(w) = value {
            self.date(field, w.date());
        }
    }

    /// The conclusion and its conditions go together; a transcription
    /// names the anaesthetist (§4.6).
    fn anaesthesia(&mut self, a: &AnaesthesiaConsult) {
        let given = a.conditions.as_deref().is_some_and(|c| !text::is_blank(c));
        match (a.conclusion, given) {
            (Some(Conclusion::FitWithConditions), false) => {
                self.problem("anaesthesia_consult.conditions", Detail::ConditionsMissing);
            }
            (Some(Conclusion::Fit | Conclusion::NotFit) | None, true) => self.problem(
                "anaesthesia_consult.conditions",
                Detail::ConditionsWithoutThatConclusion,
            ),
            _ => {}
        }
        let transcribed = a
            .transcribed_by
            .as_deref()
            .is_some_and(|t| !text::is_blank(t));
        if transcribed && a.anaesthetist.as_deref().is_none_or(text::is_blank) {
            self.problem(
                "anaesthesia_consult.anaesthetist",
                Detail::TranscriptionNeedsAnaesthetist,
            );
        }
    }

    fn case(&mut self, case: &CaseFile) {
        self.lengths(case);
        self.text("external_id", &case.external_id);
        let pa = &case.patient;
        self.text("patient.ipp", &pa.ipp);
        self.text("patient.last_name", &pa.last_name);
        self.text("patient.first_name", &pa.first_name);
        self.date("patient.birth_date", pa.birth_date);
        if pa.birth_date > self.today {
            self.problem("patient.birth_date", Detail::BirthInFuture(pa.birth_date));
        }
        let p = &case.procedure;
        if let Err(e) = bounds::check_procedure_date(p.scheduled_at.date(), self.today) {
            self.problem("procedure.scheduled_at", Detail::DateOutside(e));
        }
        if p.scheduled_at.date() < pa.birth_date {
            self.problem("procedure.scheduled_at", Detail::BeforeBirth);
        }
        self.text("procedure.room", &p.room);
        self.text("procedure.operator", &p.operator);
        self.text("procedure.target", &p.target);
        if p.techniques.is_empty() {
            self.problem("procedure.techniques", Detail::NoTechnique);
        }
        for (i, t) in p.techniques.iter().enumerate() {
            if p.techniques[..i].contains(t) {
                self.problem(
                    &format!("procedure.techniques[{i}]"),
                    Detail::TechniqueTwice(*t),
                );
            }
        }
        self.number(
            "procedure.duration_min",
            "duration_min",
            p.duration_min.map(f64::from),
        );
        self.number("pain_vas", "pain_vas", case.pain_vas.map(f64::from));
        if let Some(c) = &case.consultation {
            self.when("consultation.at", Some(c.at));
            if let Some(k) = &c.consent {
                self.when("consultation.consent.at", k.at);
            }
        }
        if let Some(a) = &case.anaesthesia_consult {
            self.when("anaesthesia_consult.at", Some(a.at));
            self.anaesthesia(a);
        }
        for (i, im) in case.imaging.iter().flatten().enumerate() {
            self.when(&format!("imaging[{i}].at"), Some(im.at));
        }
        if let Some(b) = &case.biology {
            self.when("biology.at", Some(b.at));
            self.number(
                "biology.neutrophils_g_l",
                "neutrophils_g_l",
                b.neutrophils_g_l,
            );
            self.number(
                "biology.hemoglobin_g_dl",
                "hemoglobin_g_dl",
                b.hemoglobin_g_dl,
            );
            self.number(
                "biology.creatinine_umol_l",
                "creatinine_umol_l",
                b.creatinine_umol_l,
            );
            self.number("biology.egfr", "egfr", b.egfr);
            self.dates("biology", &b.dates, b.clone().canonical().err());
        }
        if let Some(c) = &case.coagulation {
            self.when("coagulation.at", Some(c.at));
            self.number("coagulation.inr", "inr", c.inr);
            self.number(
                "coagulation.platelets_g_l",
                "platelets_g_l",
                c.platelets_g_l,
            );
            self.dates("coagulation", &c.dates, c.clone().canonical().err());
        }
        for (i, m) in case.medications.iter().flatten().enumerate() {
            self.when(&format!("medications[{i}].last_intake"), m.last_intake);
            self.number(
                &format!("medications[{i}].crcl_ml_min"),
                "crcl_ml_min",
                m.crcl_ml_min,
            );
            if m.drug == Drug::Other && m.name.as_deref().is_none_or(text::is_blank) {
                self.problem(
                    &format!("medications[{i}].name"),
                    Detail::OtherDrugNeedsName,
                );
            }
        }
        if let Some(s) = &case.scores {
            for (i, sins) in s.sins.iter().enumerate() {
                let first = s.sins[..i]
                    .iter()
                    .position(|earlier| sins.level.is_some() && earlier.level == sins.level);
                if let (Some(j), Some(level)) = (first, sins.level) {
                    self.problem(
                        &format!("scores.sins[{i}].level"),
                        Detail::SinsLevelTwice { level, first: j },
                    );
                }
                if let (Some(level), Some(loc)) = (sins.level, sins.location)
                    && level.location() != loc
                {
                    self.problem(
                        &format!("scores.sins[{i}].location"),
                        Detail::SinsLocation {
                            location: loc,
                            level,
                        },
                    );
                }
            }
        }
    }
}
