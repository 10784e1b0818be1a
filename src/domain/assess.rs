//! Everything computed about one case: its dossier items, its scores and
//! its bleeding risk. What `check` prints and the screen shows.

use chrono::{Datelike, NaiveDate};

use super::model::CaseFile;
use super::record::{EvidenceKind, StoredCase};
use super::reimport::{self, Field, ScheduleField};
use super::rules::risk_message::Setter;
use super::rules::{self, Context, Dossier, Finding, Item, ItemResult, Msg, Severity, Status};
use super::scores::{self, MirelsScore, SinsScore};
use super::vocab::BleedingRisk;

/// The computed view of one case.
#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    /// The bleeding risk the case is judged at (a case's own risk that would
    /// lower its techniques' is ignored, and the coagulation item says so).
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

    /// [`Assessment::of`] a stored case, with its pending file values (the
    /// re-import rule) as blocking findings: each on the item it feeds.
    pub fn of_stored(case: &StoredCase, ctx: &Context<'_>) -> Assessment {
        let mut a = Assessment::of(&case.file, ctx);
        // A case's own bleeding risk names who set it.
        if let Some(set) = &case.risk_set {
            let setter = Setter {
                login: set.login.clone(),
                on: utc_date(&set.at, ctx.tz),
                source: set.source.clone(),
            };
            for r in &mut a.dossier.items {
                for f in &mut r.findings {
                    if let Msg::RiskOverride(m) = &mut f.msg {
                        m.by = Some(setter.clone());
                    }
                }
            }
        }
        for p in &case.pending {
            // An item this program does not know still blocks (with the delay).
            let field = Field::parse(&p.item);
            let own = field
                .filter(|f| f.dated())
                .and_then(|f| reimport::dated_at(f, &p.value).ok())
                .map(|w| w.date());
            let dated = own.is_some();
            let at = own
                .or_else(|| utc_date(&p.at, ctx.tz))
                .unwrap_or_else(|| case.file.day());
            let finding = Finding::new(
                "file.conflict",
                Status::OutOfRange,
                Severity::Blocking,
                Msg::FileConflict {
                    item: p.item.clone(),
                    value: reimport::summary(&p.value),
                    at,
                    dated,
                },
            );
            let item = field.map_or(Item::Delay, conflict_item);
            a.add(item, finding);
        }
        if let Some(on) = deceased(case) {
            let finding = Finding::new(
                "patient.deceased",
                Status::OutOfRange,
                Severity::Blocking,
                Msg::Deceased {
                    on,
                    month_only: false,
                },
            );
            a.add(Item::Delay, finding);
        }
        a.add_feed_marks(case);
        a
    }

    /// The hospital's systems' marks on a stored case (issue 16): codes to
    /// map block; an identity changed, an assumed anaesthesia and a target
    /// not sent are to check. A case the committee cancelled, whose day is
    /// recorded, or whose booking ended at its source (its own state,
    /// [`StoredCase::ended_at_source`], not a dossier item) shows none.
    fn add_feed_marks(&mut self, case: &StoredCase) {
        use crate::domain::vocab::DecisionStatus;
        let marks = &case.feed;
        if let Some(change) = case.changed_after_decision() {
            let finding = Finding::new(
                "feed.changed_after_decision",
                Status::OutOfRange,
                Severity::Blocking,
                Msg::ChangedAfterDecision(change.clone()),
            );
            self.add(Item::Delay, finding);
        }
        if case.status == DecisionStatus::Cancelled
            || case.day.is_some()
            || case.ended_at_source().is_some()
        {
            return;
        }
        if marks.techniques_to_define {
            let msg = Msg::TechniqueToMap {
                codes: marks.to_map.clone(),
            };
            let finding = Finding::new("feed.to_map", Status::Missing, Severity::Blocking, msg);
            self.add(Item::Delay, finding);
        }
        if let Some(on) = marks.identity_changed {
            let msg = Msg::IdentityChanged {
                on,
                changes: marks.identity_changes.clone(),
                by_file: marks.identity_changed_by_file.clone(),
            };
            let finding =
                Finding::new("feed.identity", Status::OutOfRange, Severity::Advisory, msg);
            self.add(Item::Delay, finding);
        }
        for u in &marks.lab_unusable {
            let item = match u.analyte.panel() {
                crate::domain::labs::Panel::Coagulation => Item::Coagulation,
                crate::domain::labs::Panel::Biology => Item::Biology,
            };
            let finding = Finding::new(
                "feed.lab_unusable",
                Status::OutOfRange,
                Severity::Blocking,
                Msg::LabUnusable(u.clone()),
            );
            self.add(item, finding);
        }
        if marks.anaesthesia_assumed {
            let msg = Msg::AnaesthesiaAssumed {
                anaesthesia: case.file.procedure.anaesthesia,
            };
            let finding = Finding::new(
                "feed.anaesthesia_assumed",
                Status::Missing,
                Severity::Advisory,
                msg,
            );
            self.add(Item::Anaesthesia, finding);
        }
        if marks.target_missing {
            let finding = Finding::new(
                "feed.target",
                Status::Missing,
                Severity::Advisory,
                Msg::TargetNotSent,
            );
            self.add(Item::Delay, finding);
        }
    }

    /// Adds `finding` to `item`'s result (judged again from its findings).
    fn add(&mut self, item: Item, finding: Finding) {
        if let Some(r) = self.dossier.items.iter_mut().find(|r| r.item == item) {
            let mut findings = std::mem::take(&mut r.findings);
            findings.push(finding);
            *r = ItemResult::from_findings(item, findings);
        }
    }

    /// [`Assessment::of_stored`] for a case shown "to reschedule" in a later
    /// week: its dossier was judged at its former slot, which says nothing
    /// of a slot it does not have yet (windows and holds count from the
    /// procedure day). It is not complete for that week: a blocking line
    /// on the delay says so, until it is given a slot and judged again.
    pub fn to_reschedule(case: &StoredCase, ctx: &Context<'_>) -> Assessment {
        let mut a = Assessment::of_stored(case, ctx);
        let finding = Finding::new(
            "delay.no_slot",
            Status::Missing,
            Severity::Blocking,
            Msg::NoSlotYet {
                former: case.file.day(),
            },
        );
        a.add(Item::Delay, finding);
        a
    }

    /// Validated, and blocking now on items the committee did not accept
    /// (evidence changed after a plain validation, or an item that became
    /// blocking after an override): the board must make it impossible to
    /// miss. Empty unless the case is validated and its booking did not end
    /// at its source.
    pub fn now_blocking(&self, case: &StoredCase) -> Vec<Item> {
        // Ended at its source: no longer to be done, nothing to alert on.
        if case.status != crate::domain::vocab::DecisionStatus::Validated
            || case.ended_at_source().is_some()
        {
            return Vec::new();
        }
        let accepted = case.accepted_items();
        // What a booking changed since is never among what an override
        // accepted: the committee decided another procedure.
        let changed = case.changed_after_decision().is_some();
        self.dossier
            .blocking()
            .map(|r| r.item)
            .filter(|i| (changed && *i == Item::Delay) || !accepted.iter().any(|a| a == i.as_str()))
            .collect()
    }

    /// [`Assessment::now_blocking`] is not empty.
    pub fn validated_but_blocking(&self, case: &StoredCase) -> bool {
        !self.now_blocking(case).is_empty()
    }

    /// No item is blocking.
    pub fn complete(&self) -> bool {
        self.dossier.complete()
    }
}

/// The day the patient of `case` died, when the case is still to come
/// after it: on or after that day, or postponed whatever its former day (it
/// waits for a new slot), not cancelled, its day of procedure not recorded
/// (a case to cancel, issue 15 §2). A case on the day of the death is
/// counted in: the cautious reading.
pub fn deceased(case: &StoredCase) -> Option<NaiveDate> {
    use crate::domain::vocab::DecisionStatus;
    case.died_on.filter(|on| {
        (case.file.day() >= *on || case.status == DecisionStatus::Postponed)
            && case.status != DecisionStatus::Cancelled
            && case.day.is_none()
    })
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

/// The dossier item a pending file value blocks: the one its field feeds.
/// Scores are read from imaging; the schedule's anaesthesia, technique,
/// bleeding risk and access set the anaesthesia and coagulation items; the other
/// schedule fields (date, room, operator…) go with the delay, which the
/// date drives.
pub fn conflict_item(field: Field) -> Item {
    match field {
        Field::Evidence(kind) => match kind {
            EvidenceKind::Consultation => Item::Consent,
            EvidenceKind::AnaesthesiaConsult => Item::Anaesthesia,
            EvidenceKind::Imaging | EvidenceKind::Scores => Item::Imaging,
            EvidenceKind::Biology => Item::Biology,
            EvidenceKind::Coagulation => Item::Coagulation,
            EvidenceKind::Medications => Item::Medication,
        },
        Field::Schedule(ScheduleField::Anaesthesia) => Item::Anaesthesia,
        Field::Schedule(
            ScheduleField::BleedingRisk | ScheduleField::Techniques | ScheduleField::Access,
        ) => Item::Coagulation,
        Field::Schedule(_) => Item::Delay,
    }
}

/// The local day of a UTC RFC 3339 time.
fn utc_date(utc: &str, tz: chrono_tz::Tz) -> Option<NaiveDate> {
    chrono::DateTime::parse_from_rfc3339(utc)
        .ok()
        .map(|t| t.with_timezone(&tz).date_naive())
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

    /// Seen pseudonymised (the finding's free texts left out), the death is
    /// said by its month, never its day.
    #[test]
    fn a_pseudonymised_reader_sees_the_month_of_a_death() {
        use crate::domain::message::Lang;
        let on = NaiveDate::from_ymd_opt(2026, 11, 20).expect("day");
        let mut m = Msg::Deceased {
            on,
            month_only: false,
        };
        assert!(m.render(Lang::Fr).contains("décès le 20/11/2026"));
        m.leave_out_free_text("…");
        assert_eq!(
            m.render(Lang::Fr),
            "patient décédé\u{a0}: à annuler (décès en 11/2026)"
        );
        assert_eq!(
            m.render(Lang::En),
            "patient deceased: to cancel (died in 2026-11)"
        );
    }

    /// A case of a patient who died: blocking "to cancel" from the day of
    /// the death (that day included), unless cancelled; the complete case
    /// of `rules::testkit` is on 2026-12-01.
    #[test]
    fn a_case_on_or_after_the_death_is_to_cancel() {
        use crate::domain::vocab::DecisionStatus as S;
        let ctx = crate::domain::rules::testkit::ctx();
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date");
        let rows = [
            (None, S::Pending, false),
            (Some("2026-12-02"), S::Pending, false),
            (Some("2026-12-01"), S::Pending, true),
            (Some("2026-11-20"), S::Pending, true),
            (Some("2026-11-20"), S::Validated, true),
            (Some("2026-11-20"), S::Cancelled, false),
            // Postponed, it waits for a slot after the death: to cancel.
            (Some("2026-12-02"), S::Postponed, true),
        ];
        for (died, status, blocked) in rows {
            let case = StoredCase {
                id: 1,
                version: 1,
                status,
                postponed_to: None,
                file: crate::domain::rules::testkit::case(),
                recorded: vec![],
                notes: vec![],
                decisions: vec![],
                pending: vec![],
                risk_set: None,
                access_set: None,
                reschedules: vec![],
                died_on: died.map(d),
                day: None,
                feed: Default::default(),
            };
            // Its day recorded (performed on the day of the death): done,
            // nothing to cancel.
            let mut done = case.clone();
            done.day = Some(crate::domain::outcome::DayRow {
                record: crate::domain::outcome::DayRecord {
                    outcome: crate::domain::outcome::Outcome::NotPerformed(
                        crate::domain::outcome::NotPerformed {
                            reason: crate::domain::vocab::ReasonCode::PatientDeceased,
                            text: None,
                        },
                    ),
                    complication: None,
                },
                recorded_at: String::new(),
                recorded_by: String::new(),
                version: 1,
            });
            assert_eq!(deceased(&done), None, "{died:?} {status:?}");
            let a = Assessment::of_stored(&case, &ctx);
            assert_eq!(!a.complete(), blocked, "{died:?} {status:?}");
            assert_eq!(deceased(&case).is_some(), blocked, "{died:?} {status:?}");
            let line = a
                .dossier
                .items
                .iter()
                .flat_map(|r| r.findings.iter())
                .find(|f| f.code == "patient.deceased");
            assert_eq!(line.is_some(), blocked, "{died:?} {status:?}");
            if let (Some(f), Some(on)) = (line, died) {
                assert_eq!(f.severity, Severity::Blocking);
                assert_eq!(
                    f.msg.render(crate::domain::message::Lang::Fr),
                    format!(
                        "patient décédé\u{a0}: à annuler (décès le {})",
                        d(on).format("%d/%m/%Y")
                    )
                );
            }
        }
    }

    #[test]
    fn age_counts_birthdays() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date");
        assert_eq!(age_on(d("1950-12-01"), d("2026-11-30")), 75);
        assert_eq!(age_on(d("1950-11-30"), d("2026-11-30")), 76);
        assert_eq!(age_on(d("1952-02-29"), d("2026-02-28")), 73);
    }
}
