//! The `check` report: a week's cases with each dossier item and the scores,
//! as JSON (a documented shape) or as text.

pub mod alerts;
pub mod indicators;
pub mod pseudo;
mod text;

use serde::Serialize;

pub use text::render_text;

use crate::domain::assess::source_of;
use crate::domain::assess::{Assessment, age_on};
use crate::domain::message::Lang;
use crate::domain::record::{DecisionRow, Note, Recorded, StoredCase};
use crate::domain::rules::{Context, Item, Severity, Status};
use crate::domain::scores::{MirelsBand, ScoreItem, SinsBand, VertebralLevel};
use crate::domain::time::{DATE_FMT, DATETIME_FMT};
use crate::domain::vocab::{
    Access, Anaesthesia, BleedingRisk, DecisionStatus, SinsLocation, Technique,
};
use crate::domain::week::Week;
use crate::export::pseudo::Pseudonymiser;

#[derive(Debug, Clone, Serialize)]
pub struct WeekReport {
    pub week: String,
    pub from: String,
    pub to: String,
    /// The file's time zone: every delay in hours is counted in it.
    pub timezone: String,
    /// Names become initials, birth dates ages, the IPP and the scheduling
    /// id keyed pseudonyms, free text is left out (`docs/export-format.md`):
    /// what a viewer reads ([`pseudo::case`]).
    pub pseudonymised: bool,
    /// What the reader must know before trusting the report (e.g. a file
    /// whose time zone is UTC); empty when nothing.
    pub warnings: Vec<Warning>,
    /// Validated cases of the coming four weeks (from today, whatever the
    /// week) blocking now on an item the committee did not accept
    /// ([`alerts::coming`]); empty when none, or when not looked up.
    pub alerts: Vec<alerts::Alert>,
    /// Laboratory results held, on no case, because their PID's birth date
    /// or last name differs from the file's patient of that IPP (possibly
    /// another patient's: `feeds held`); left out when none.
    #[serde(skip_serializing_if = "is_zero")]
    pub held_identity_mismatch: usize,
    /// The local protocol (the rules table) that judged the week: its
    /// version, its state, its last approval ([`WeekReport::judged_by`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub protocol: Option<crate::export::model::Protocol>,
    /// The week's own cases (as the screen: the cases to reschedule are
    /// counted apart, in `to_reschedule`).
    pub counts: Counts,
    /// Cases postponed into this week from an earlier one, still to be
    /// given a new slot (shown first on the screen), by their original time.
    pub to_reschedule: Vec<CaseReport>,
    pub cases: Vec<CaseReport>,
}

/// The warning of a week judged by rules the department did not approve
/// (never approved, or changed since): its text is the protocol's line,
/// shown under the week's line rather than first.
pub const PROTOCOL_WARNING: &str = "protocol.needs_review";

impl WeekReport {
    /// Names the protocol version that judged the week (read with the
    /// rules, `status`), in the board's words; one to review is a warning
    /// too ([`PROTOCOL_WARNING`]).
    pub fn judged_by(
        &mut self,
        status: &crate::domain::protocol::Status,
        tz: chrono_tz::Tz,
        lang: Lang,
    ) {
        let line = crate::text::protocol::line(lang, status, tz);
        let p = crate::export::model::Protocol::of(status, tz, line);
        if p.needs_review {
            self.warnings.push(Warning {
                code: PROTOCOL_WARNING,
                message: p.line.clone(),
            });
        }
        self.protocol = Some(p);
    }
}

/// A warning about the whole report.
#[derive(Debug, Clone, Serialize)]
pub struct Warning {
    /// Stable: `timezone.not_a_place`, `protocol.needs_review`.
    pub code: &'static str,
    pub message: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Counts {
    pub cases: usize,
    pub complete: usize,
    pub blocking: usize,
    pub validated: usize,
    pub postponed: usize,
    pub cancelled: usize,
    /// Cases whose booking ended at its source (SIU S15, S17, S26) and that
    /// the committee did not cancel itself: counted here only, neither
    /// complete, blocking, validated nor undecided.
    pub cancelled_by_source: usize,
    /// Cases postponed into the week (not in the counts above).
    pub to_reschedule: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct CaseReport {
    pub id: i64,
    pub external_id: String,
    pub scheduled_at: String,
    pub room: String,
    pub operator: String,
    pub patient: PatientReport,
    pub techniques: Vec<Technique>,
    pub target: String,
    pub anaesthesia: Anaesthesia,
    /// The bleeding risk the case is judged at (a case's own `low` that
    /// would lower its techniques' risk is ignored, and said).
    pub bleeding_risk: BleedingRisk,
    /// The access route, when recorded.
    pub access: Option<Access>,
    pub duration_min: Option<u32>,
    pub pain_vas: Option<u8>,
    pub life_expectancy_over_6_months: Option<bool>,
    pub status: DecisionStatus,
    pub complete: bool,
    pub validated_but_blocking: bool,
    /// Validated with a justification despite blocking items.
    pub overridden: bool,
    /// The booking ended at its source and the committee did not cancel the
    /// case itself: the case's state, whatever `status` (the committee's,
    /// untouched) says. Left out when not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cancelled_by_source: Option<CancelledBySource>,
    pub items: Vec<ItemReport>,
    pub scores: ScoresReport,
    pub notes: Vec<Note>,
    /// The decision history, oldest first (`undone`: reverted by a later undo).
    pub decisions: Vec<DecisionRow>,
    /// File values that lost to the stored ones, blocking until kept or
    /// taken (`ir-committee resolve`); each is also a `file.conflict`
    /// finding of the item it feeds.
    pub pending: Vec<crate::domain::record::PendingValue>,
    /// What the hospital's systems said (issue 16): service codes to map,
    /// the booking's end at its source, an identity change to check, the
    /// fields a booking does not carry. Left out when there is none.
    #[serde(skip_serializing_if = "crate::domain::feed::FeedMarks::is_empty")]
    pub feed: crate::domain::feed::FeedMarks,
}

/// A case's booking ended at its source, as `check` reports it.
#[derive(Debug, Clone, Serialize)]
pub struct CancelledBySource {
    /// `cancelled` (S15), `deleted` (S17), `no_show` (S26).
    pub how: crate::domain::feed::SourceEnd,
    /// The hospital's day it arrived, `YYYY-MM-DD`.
    pub on: String,
    /// The sender (`hl7:<MSH-3>@<MSH-4>`).
    pub source: String,
    /// The committee had validated it before: it left the programme.
    pub after_validation: bool,
    /// In words ("cancelled at source on …").
    pub message: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PatientReport {
    /// The hospital number, or its keyed pseudonym (`P-…`).
    pub ipp: String,
    /// Left out when pseudonymised (then `initials`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub birth_date: Option<String>,
    /// "B. H.": only when pseudonymised.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub initials: Option<String>,
    pub sex: String,
    /// Age in years on the day of the procedure.
    pub age: i32,
    /// The day the patient died, when a death is recorded (issue 15 §2).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub died_on: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ItemReport {
    pub item: Item,
    pub status: Status,
    pub severity: Severity,
    pub code: &'static str,
    pub message: String,
    /// Who recorded the evidence this item is judged from, when, from where.
    pub recorded: Option<Recorded>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct ScoresReport {
    pub mirels: Vec<MirelsReport>,
    pub sins: Vec<SinsReport>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MirelsReport {
    pub lesion: Option<String>,
    pub total: Option<u8>,
    pub band: Option<MirelsBand>,
    pub breakdown: Breakdown,
    pub missing: Vec<&'static str>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SinsReport {
    pub level: Option<VertebralLevel>,
    pub location: Option<SinsLocation>,
    pub total: Option<u8>,
    pub band: Option<SinsBand>,
    pub breakdown: Breakdown,
    pub missing: Vec<&'static str>,
}

/// A score's points per item, serialised as a JSON object in item order
/// (`null` for a missing item).
#[derive(Debug, Clone)]
pub struct Breakdown(pub Vec<ScoreItem>);

impl Serialize for Breakdown {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for item in &self.0 {
            map.serialize_entry(item.name, &item.points)?;
        }
        map.end()
    }
}

fn breakdown(items: &[ScoreItem]) -> Breakdown {
    Breakdown(items.to_vec())
}

/// Builds the report of `week` from its stored cases and the cases
/// postponed into it; with `ps`, pseudonymised: each case judged, then seen
/// as a viewer sees it ([`pseudo::case`]).
pub fn build(
    week: Week,
    cases: &[StoredCase],
    to_reschedule: &[StoredCase],
    ctx: &Context<'_>,
    lang: Lang,
    ps: Option<&Pseudonymiser>,
) -> WeekReport {
    let report = |c: &StoredCase, a: Assessment| match ps {
        None => case_report(c, &a, lang),
        Some(ps) => {
            let (mut c, mut a) = (c.clone(), a);
            pseudo::case(&mut c, &mut a, ps);
            let mut r = case_report(&c, &a, lang);
            pseudo::report(&mut r);
            r
        }
    };
    let mut counts = Counts::default();
    let cases: Vec<CaseReport> = cases
        .iter()
        .map(|c| {
            let r = report(c, Assessment::of_stored(c, ctx));
            counts.cases += 1;
            if c.ended_at_source().is_some() {
                counts.cancelled_by_source += 1;
                return r;
            }
            counts.complete += usize::from(r.complete);
            counts.blocking += usize::from(!r.complete);
            match c.status {
                DecisionStatus::Validated => counts.validated += 1,
                DecisionStatus::Postponed => counts.postponed += 1,
                DecisionStatus::Cancelled => counts.cancelled += 1,
                DecisionStatus::Pending => {}
            }
            r
        })
        .collect();
    let to_reschedule: Vec<CaseReport> = to_reschedule
        .iter()
        .map(|c| report(c, Assessment::to_reschedule(c, ctx)))
        .collect();
    counts.to_reschedule = to_reschedule.len();
    let mut warnings = Vec::new();
    if crate::domain::zone::is_generic(ctx.tz) {
        warnings.push(Warning {
            code: "timezone.not_a_place",
            message: crate::text::words::generic_zone(lang, ctx.tz),
        });
    }
    WeekReport {
        week: week.to_string(),
        from: week.monday().format(DATE_FMT).to_string(),
        to: (week.end() - chrono::Duration::days(1))
            .format(DATE_FMT)
            .to_string(),
        timezone: ctx.tz.name().to_owned(),
        pseudonymised: ps.is_some(),
        warnings,
        alerts: Vec::new(),
        held_identity_mismatch: 0,
        protocol: None,
        counts,
        to_reschedule,
        cases,
    }
}

fn case_report(c: &StoredCase, a: &Assessment, lang: Lang) -> CaseReport {
    let f = &c.file;
    let p = &f.procedure;
    CaseReport {
        id: c.id,
        external_id: f.external_id.clone(),
        scheduled_at: p.scheduled_at.format(DATETIME_FMT).to_string(),
        room: p.room.clone(),
        operator: p.operator.clone(),
        patient: PatientReport {
            ipp: f.patient.ipp.clone(),
            last_name: Some(f.patient.last_name.clone()),
            first_name: Some(f.patient.first_name.clone()),
            birth_date: Some(f.patient.birth_date.format(DATE_FMT).to_string()),
            initials: None,
            sex: f.patient.sex.as_str().to_owned(),
            age: age_on(f.patient.birth_date, f.day()),
            died_on: c.died_on.map(|d| d.format(DATE_FMT).to_string()),
        },
        techniques: p.techniques.clone(),
        target: p.target.clone(),
        anaesthesia: p.anaesthesia,
        bleeding_risk: a.risk,
        access: p.access,
        duration_min: a.duration_min,
        pain_vas: f.pain_vas,
        life_expectancy_over_6_months: f.life_expectancy_over_6_months,
        status: c.status,
        complete: a.complete(),
        validated_but_blocking: a.validated_but_blocking(c),
        overridden: c.overridden(),
        cancelled_by_source: c.ended_at_source().map(|end| {
            let after_validation = c.status == DecisionStatus::Validated;
            CancelledBySource {
                how: end.how,
                on: end.on.format(DATE_FMT).to_string(),
                source: end.source.clone(),
                after_validation,
                message: crate::text::feeds::ended_state(lang, end, after_validation),
            }
        }),
        items: a
            .dossier
            .items
            .iter()
            .map(|i| ItemReport {
                item: i.item,
                status: i.status,
                severity: i.severity,
                code: i.code(),
                message: i.message(lang),
                recorded: c.recorded(source_of(i.item)).cloned(),
            })
            .collect(),
        scores: ScoresReport {
            mirels: a
                .mirels
                .iter()
                .map(|m| MirelsReport {
                    lesion: m.lesion.clone(),
                    total: m.total,
                    band: m.band,
                    breakdown: breakdown(&m.breakdown),
                    missing: m.missing.clone(),
                })
                .collect(),
            sins: a
                .sins
                .iter()
                .map(|s| SinsReport {
                    level: s.level,
                    location: s.location,
                    total: s.total,
                    band: s.band,
                    breakdown: breakdown(&s.breakdown),
                    missing: s.missing.clone(),
                })
                .collect(),
        },
        notes: c.notes.clone(),
        decisions: c.decisions.clone(),
        pending: c.pending.clone(),
        feed: c.feed.clone(),
    }
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}
