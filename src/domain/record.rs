//! A case as the register holds it: the dossier plus what the database
//! knows about it (row id, version, decision and its history, who recorded
//! each evidence object, notes). What `check` reports and the screen shows.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::model::{Biology, CaseFile, Coagulation};
use super::vocab::DecisionStatus;

/// The evidence objects of a case, each stored and edited on its own
/// (the `evidence.kind` column).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceKind {
    Consultation,
    AnaesthesiaConsult,
    Imaging,
    Biology,
    Coagulation,
    Medications,
    Scores,
}

impl EvidenceKind {
    pub const ALL: [EvidenceKind; 7] = [
        EvidenceKind::Consultation,
        EvidenceKind::AnaesthesiaConsult,
        EvidenceKind::Imaging,
        EvidenceKind::Biology,
        EvidenceKind::Coagulation,
        EvidenceKind::Medications,
        EvidenceKind::Scores,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EvidenceKind::Consultation => "consultation",
            EvidenceKind::AnaesthesiaConsult => "anaesthesia_consult",
            EvidenceKind::Imaging => "imaging",
            EvidenceKind::Biology => "biology",
            EvidenceKind::Coagulation => "coagulation",
            EvidenceKind::Medications => "medications",
            EvidenceKind::Scores => "scores",
        }
    }

    pub fn parse(s: &str) -> Option<EvidenceKind> {
        EvidenceKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

impl CaseFile {
    /// One evidence object as JSON, `None` when absent.
    pub fn evidence_json(&self, kind: EvidenceKind) -> serde_json::Result<Option<String>> {
        fn json<T: Serialize>(v: &Option<T>) -> serde_json::Result<Option<String>> {
            v.as_ref().map(serde_json::to_string).transpose()
        }
        match kind {
            EvidenceKind::Consultation => json(&self.consultation),
            EvidenceKind::AnaesthesiaConsult => json(&self.anaesthesia_consult),
            EvidenceKind::Imaging => json(&self.imaging),
            // The stored form: every value's own date named.
            EvidenceKind::Biology => json(
                &self
                    .biology
                    .clone()
                    .map(Biology::canonical)
                    .transpose()
                    .map_err(de)?,
            ),
            EvidenceKind::Coagulation => json(
                &self
                    .coagulation
                    .clone()
                    .map(Coagulation::canonical)
                    .transpose()
                    .map_err(de)?,
            ),
            EvidenceKind::Medications => json(&self.medications),
            EvidenceKind::Scores => json(&self.scores),
        }
    }

    /// Sets one evidence object from its JSON.
    pub fn set_evidence_json(&mut self, kind: EvidenceKind, data: &str) -> serde_json::Result<()> {
        match kind {
            EvidenceKind::Consultation => self.consultation = Some(serde_json::from_str(data)?),
            EvidenceKind::AnaesthesiaConsult => {
                self.anaesthesia_consult = Some(serde_json::from_str(data)?)
            }
            EvidenceKind::Imaging => self.imaging = Some(serde_json::from_str(data)?),
            EvidenceKind::Biology => self.biology = Some(serde_json::from_str(data)?),
            EvidenceKind::Coagulation => self.coagulation = Some(serde_json::from_str(data)?),
            EvidenceKind::Medications => self.medications = Some(serde_json::from_str(data)?),
            EvidenceKind::Scores => self.scores = Some(serde_json::from_str(data)?),
        }
        Ok(())
    }
}

/// A message as a JSON error.
fn de(message: String) -> serde_json::Error {
    <serde_json::Error as serde::de::Error>::custom(message)
}

/// Checks that `data` is a valid evidence object of `kind` and returns it
/// in the stored (canonical) form.
pub fn canonical_evidence(kind: EvidenceKind, data: &str) -> serde_json::Result<String> {
    use super::model::{AnaesthesiaConsult, Consultation, Imaging, Medication, Scores};
    fn canon<T: Serialize + for<'de> Deserialize<'de>>(data: &str) -> serde_json::Result<String> {
        serde_json::to_string(&serde_json::from_str::<T>(data)?)
    }
    match kind {
        EvidenceKind::Consultation => canon::<Consultation>(data),
        EvidenceKind::AnaesthesiaConsult => canon::<AnaesthesiaConsult>(data),
        EvidenceKind::Imaging => canon::<Vec<Imaging>>(data),
        EvidenceKind::Biology | EvidenceKind::Coagulation => {
            super::panel::canonical_json(kind, data).map_err(de)
        }
        EvidenceKind::Medications => canon::<Vec<Medication>>(data),
        EvidenceKind::Scores => canon::<Scores>(data),
    }
}

/// Who recorded an evidence object, when, and from where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Recorded {
    pub kind: EvidenceKind,
    /// `import:<file>`, `demo`, or later the screen's form.
    pub source: String,
    /// UTC, RFC 3339.
    pub at: String,
    pub by: String,
    pub version: i64,
}

/// A note on a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    pub at: String,
    pub author: String,
    pub body: String,
    pub source: String,
}

/// What a row of the decision history records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DecisionKind {
    Validated,
    Postponed,
    Cancelled,
    /// Reverts the latest decision not yet undone.
    Undone,
}

impl DecisionKind {
    pub const ALL: [DecisionKind; 4] = [
        DecisionKind::Validated,
        DecisionKind::Postponed,
        DecisionKind::Cancelled,
        DecisionKind::Undone,
    ];

    /// The word of the `decisions.decision` column and of the JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            DecisionKind::Validated => "validated",
            DecisionKind::Postponed => "postponed",
            DecisionKind::Cancelled => "cancelled",
            DecisionKind::Undone => "undone",
        }
    }

    pub fn parse(s: &str) -> Option<DecisionKind> {
        DecisionKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The status a case has when this is its latest effective decision
    /// (`None` for an undo, which is not a status).
    pub fn status(self) -> Option<DecisionStatus> {
        match self {
            DecisionKind::Validated => Some(DecisionStatus::Validated),
            DecisionKind::Postponed => Some(DecisionStatus::Postponed),
            DecisionKind::Cancelled => Some(DecisionStatus::Cancelled),
            DecisionKind::Undone => None,
        }
    }
}

/// One row of a case's decision history, as the screen and `check` show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DecisionRow {
    /// UTC, RFC 3339.
    pub at: String,
    /// The login that decided.
    pub by: String,
    pub decision: DecisionKind,
    /// Why (postponed, cancelled).
    pub reason: Option<String>,
    /// The coded reason of a postponement or a cancellation (issue 15 §1;
    /// `None` before it, or not given).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason_code: Option<crate::domain::vocab::ReasonCode>,
    /// The ISO week a postponed case goes to (`2026-W50`).
    pub to_week: Option<String>,
    /// Why a case with a blocking item was validated anyway.
    pub override_justification: Option<String>,
    /// The items that were blocking when the override was recorded: what
    /// the committee accepted (`None`: not recorded, before version 11 —
    /// read as nothing accepted, the cautious reading).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub override_items: Option<Vec<String>>,
    /// A later `undone` row reverted this decision.
    pub undone: bool,
}

/// The outcome of a decision history read in order: each `undone` row
/// reverts the latest decision not yet undone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replay {
    /// Per row, in the order given: whether a later undo reverted it.
    pub undone: Vec<bool>,
    /// The index of the decision in force (the latest not undone, never an
    /// `undone` row), `None` when there is none.
    pub effective: Option<usize>,
    /// The status the history gives: that of the decision in force, else
    /// `pending`.
    pub status: DecisionStatus,
}

/// Replays a history (oldest first). An `undone` row with nothing left to
/// revert reverts nothing (the register never writes one).
pub fn replay(kinds: &[DecisionKind]) -> Replay {
    let mut undone = vec![false; kinds.len()];
    let mut stack: Vec<usize> = Vec::new();
    for (i, kind) in kinds.iter().enumerate() {
        if *kind == DecisionKind::Undone {
            if let Some(j) = stack.pop()
                && let Some(flag) = undone.get_mut(j)
            {
                *flag = true;
            }
        } else {
            stack.push(i);
        }
    }
    let effective = stack.last().copied();
    let status = effective
        .and_then(|i| kinds.get(i))
        .and_then(|k| k.status())
        .unwrap_or(DecisionStatus::Pending);
    Replay {
        undone,
        effective,
        status,
    }
}

/// Sets the `undone` flags of a history read oldest first.
pub fn mark_undone(rows: &mut [DecisionRow]) {
    let kinds: Vec<DecisionKind> = rows.iter().map(|r| r.decision).collect();
    for (row, undone) in rows.iter_mut().zip(replay(&kinds).undone) {
        row.undone = undone;
    }
}

/// A case as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredCase {
    pub id: i64,
    pub version: i64,
    pub status: DecisionStatus,
    /// The ISO week a postponed case goes to (`None` unless postponed): the
    /// case is shown at the top of that week, "to reschedule".
    pub postponed_to: Option<String>,
    pub file: CaseFile,
    /// One entry per evidence object present, in [`EvidenceKind::ALL`] order.
    pub recorded: Vec<Recorded>,
    pub notes: Vec<Note>,
    /// The decision history, oldest first (undone rows flagged).
    pub decisions: Vec<DecisionRow>,
    /// File values that lost to what is stored (the re-import rule), waiting
    /// for a person to keep the stored value or take the file's; blocking.
    pub pending: Vec<PendingValue>,
    /// Who last set the case's own bleeding risk, and its access route
    /// (from the audit trail; `None`: never set, or not in the trail).
    pub risk_set: Option<SetBy>,
    pub access_set: Option<SetBy>,
    /// The new slots it was given after a postponement (issue 14 §3),
    /// oldest first, from the audit trail.
    pub reschedules: Vec<RescheduleRow>,
    /// The day the patient died, when a death is recorded (issue 15 §2):
    /// the case leaves the call and chase lists, and a case on or after
    /// that day is blocking, to cancel.
    pub died_on: Option<NaiveDate>,
    /// What happened on the day of the procedure (issue 15 §1), once
    /// recorded.
    pub day: Option<crate::domain::outcome::DayRow>,
    /// What the hospital's systems said that the committee must see
    /// (issue 16): codes to map, a booking ended at its source, an
    /// identity changed, fields a booking does not carry.
    pub feed: crate::domain::feed::FeedMarks,
}

/// A postponed case given a new slot, as its audit row recorded it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RescheduleRow {
    /// UTC, RFC 3339.
    pub at: String,
    pub by: String,
    /// The slot before and after: local `YYYY-MM-DDTHH:MM`, and the room.
    pub from: String,
    pub from_room: String,
    pub to: String,
    pub to_room: String,
}

/// Who set a value of a case, when, and from where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SetBy {
    pub login: String,
    /// UTC, RFC 3339.
    pub at: String,
    /// The case's source (`import:week.json`) when the case was created
    /// with the value; `None` for a later change.
    pub source: Option<String>,
}

/// A value a source sent that lost to the stored one (docs/import-format.md
/// §7): shown as a blocking line until someone keeps or takes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PendingValue {
    /// The evidence object or schedule field (`coagulation`, `room`).
    pub item: String,
    /// The source whose value it is (`file`).
    pub source: String,
    /// The value, as stored (JSON).
    pub value: String,
    /// Where it came from (`import:week.json`).
    pub origin: String,
    /// Why it lost: `older`, `same_date`, `undated`.
    pub loss: String,
    /// When it was imported (UTC, RFC 3339) and by whom.
    pub at: String,
    pub by: String,
}

impl StoredCase {
    pub fn recorded(&self, kind: EvidenceKind) -> Option<&Recorded> {
        self.recorded.iter().find(|r| r.kind == kind)
    }

    /// The booking's end at its source (SIU S15, S17, S26) when it stands
    /// as the case's state: the committee did not cancel it itself and its
    /// day is not recorded. Such a case is neither undecided nor blocking,
    /// leaves the programme, the chase list and the alerts; its decisions
    /// are kept as they were (a validation shows as "validated, then
    /// cancelled at source").
    pub fn ended_at_source(&self) -> Option<&crate::domain::feed::Ended> {
        self.feed
            .ended
            .as_ref()
            .filter(|_| self.status != DecisionStatus::Cancelled && self.day.is_none())
    }

    /// What a booking changed after the committee's decision (issue 16):
    /// in force while the case is decided (validated, postponed,
    /// cancelled), its day not recorded and its booking not ended at its
    /// source; blocking, to decide again.
    pub fn changed_after_decision(&self) -> Option<&crate::domain::feed::ChangedAfterDecision> {
        self.feed.changed_after_decision.as_ref().filter(|_| {
            self.status != DecisionStatus::Pending
                && self.day.is_none()
                && self.ended_at_source().is_none()
        })
    }

    /// The decision in force: the latest one not undone.
    pub fn last_decision(&self) -> Option<&DecisionRow> {
        self.decisions
            .iter()
            .rev()
            .find(|d| !d.undone && d.decision != DecisionKind::Undone)
    }

    /// Validated by an override: the committee accepted its blocking items
    /// with a justification.
    pub fn overridden(&self) -> bool {
        self.status == DecisionStatus::Validated
            && self.last_decision().is_some_and(|d| {
                d.decision == DecisionKind::Validated && d.override_justification.is_some()
            })
    }

    /// The items the committee accepted when it validated: those blocking
    /// when an override was recorded; none for a plain validation (or an
    /// override recorded before the items were kept).
    pub fn accepted_items(&self) -> Vec<String> {
        match self.last_decision() {
            Some(d) if self.overridden() => d.override_items.clone().unwrap_or_default(),
            _ => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip() {
        for k in EvidenceKind::ALL {
            assert_eq!(EvidenceKind::parse(k.as_str()), Some(k));
            assert_eq!(
                serde_json::to_value(k).ok(),
                Some(serde_json::Value::from(k.as_str()))
            );
        }
        assert_eq!(EvidenceKind::parse("notes"), None);
    }

    #[test]
    fn decision_kinds_round_trip() {
        for k in DecisionKind::ALL {
            assert_eq!(DecisionKind::parse(k.as_str()), Some(k));
            assert_eq!(
                serde_json::to_value(k).ok(),
                Some(serde_json::Value::from(k.as_str()))
            );
        }
        assert_eq!(DecisionKind::parse("pending"), None);
    }

    #[test]
    #[rustfmt::skip] // one row per history
    fn each_undo_reverts_the_latest_decision_not_yet_undone() {
        use DecisionKind::{Cancelled as C, Postponed as P, Undone as U, Validated as V};
        use DecisionStatus as S;
        let table: &[(&[DecisionKind], &[bool], S)] = &[
            (&[], &[], S::Pending),
            (&[V], &[false], S::Validated),
            (&[V, U], &[true, false], S::Pending),
            (&[V, P], &[false, false], S::Postponed),
            (&[V, P, U], &[false, true, false], S::Validated),
            (&[V, P, U, U], &[true, true, false, false], S::Pending),
            (&[V, P, U, C], &[false, true, false, false], S::Cancelled),
            (&[V, P, U, C, U], &[false, true, false, true, false], S::Validated),
            // Nothing left to revert: the extra undo reverts nothing.
            (&[V, U, U], &[true, false, false], S::Pending),
            (&[U, V], &[false, false], S::Validated),
        ];
        for (kinds, undone, status) in table {
            let r = replay(kinds);
            assert_eq!(r.undone, *undone, "{kinds:?}");
            assert_eq!(r.status, *status, "{kinds:?}");
            if let Some(i) = r.effective {
                assert_ne!(kinds[i], U);
                assert!(!r.undone[i]);
            }
        }
    }
}
