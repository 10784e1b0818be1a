//! What the hospital's systems said about a case that the committee must
//! see (issue 16): service codes of a booking not yet mapped to
//! techniques, a booking cancelled, deleted or missed at the source, an
//! identity the hospital corrected (and what it changed), fields a
//! booking does not carry. Pure: the storage reads these marks, `assess`
//! turns them into findings — except a booking's end, which is the case's
//! own state (`StoredCase::ended_at_source`), not a dossier item.

use chrono::NaiveDate;

use super::labs::Analyte;
use super::time::When;
use serde::Serialize;

/// How a booking ended at its source (SIU S15, S17, S26): not a committee
/// decision, whose history stays untouched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceEnd {
    /// S15: cancelled.
    Cancelled,
    /// S17: deleted.
    Deleted,
    /// S26: the patient did not come.
    NoShow,
}

impl SourceEnd {
    pub const ALL: [SourceEnd; 3] = [SourceEnd::Cancelled, SourceEnd::Deleted, SourceEnd::NoShow];

    /// The word stored in `cases.source_end`.
    pub fn as_str(self) -> &'static str {
        match self {
            SourceEnd::Cancelled => "cancelled",
            SourceEnd::Deleted => "deleted",
            SourceEnd::NoShow => "no_show",
        }
    }

    pub fn parse(s: &str) -> Option<SourceEnd> {
        SourceEnd::ALL.into_iter().find(|e| e.as_str() == s)
    }
}

/// A booking ended at its source: how, by which sender, on which day
/// (the hospital's).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ended {
    pub how: SourceEnd,
    /// The sender (`hl7:<MSH-3>@<MSH-4>`).
    pub source: String,
    pub on: NaiveDate,
}

/// A trait of the patient's identity the hospital's system changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IdentityField {
    LastName,
    FirstName,
    BirthDate,
    Sex,
}

/// One trait changed, as stored before (`old`) and now (`new`): names as
/// written, the birth date `YYYY-MM-DD`, the sex `M`/`F`/`X`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IdentityChange {
    pub field: IdentityField,
    pub old: String,
    pub new: String,
}

/// The traits that differ between `before` and `now`, each given as
/// (last name, first name, birth date, sex), in that order.
pub fn identity_changes(before: [&str; 4], now: [&str; 4]) -> Vec<IdentityChange> {
    let fields = [
        IdentityField::LastName,
        IdentityField::FirstName,
        IdentityField::BirthDate,
        IdentityField::Sex,
    ];
    fields
        .into_iter()
        .zip(before.into_iter().zip(now))
        .filter(|(_, (old, new))| old != new)
        .map(|(field, (old, new))| IdentityChange {
            field,
            old: old.to_owned(),
            new: new.to_owned(),
        })
        .collect()
}

/// The feed's marks on one case, as read with it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FeedMarks {
    /// Service codes the booking sent that no technique is mapped to yet
    /// (`feeds map-service`): blocking, the case's techniques are to define.
    pub to_map: Vec<String>,
    /// The case's techniques are to define: a code to map, or a booking
    /// that sent no service code and no technique from anyone since.
    pub techniques_to_define: bool,
    /// The booking ended at its source.
    pub ended: Option<Ended>,
    /// The day the hospital's system changed the patient's identity, until
    /// a person acknowledges it (`feeds ack-identity`): an advisory.
    pub identity_changed: Option<NaiveDate>,
    /// Who changed it: `None` for the hospital's system (a message), else
    /// the file an import read it from (its name as the import gives it).
    pub identity_changed_by_file: Option<String>,
    /// What it changed since the identity a person last checked (or the
    /// first the file held), field by field, old → new; empty when the
    /// identity is back to what it was.
    pub identity_changes: Vec<IdentityChange>,
    /// Final results of the laboratory for this case's patient that could
    /// not be used (`storage::lab_unusable`), until a person types a value
    /// of that analyte dated at or after it, or acknowledges it (`feeds
    /// ack-result`): each makes its item blocking.
    pub lab_unusable: Vec<UnusableLab>,
    /// The case was made from a booking, which carries no anaesthesia: the
    /// cautious one (general, which needs the anaesthesia consultation) is
    /// assumed until a source or a person sets it.
    pub anaesthesia_assumed: bool,
    /// The case was made from a booking, which carries no target: empty
    /// until a source or a person sets it.
    pub target_missing: bool,
    /// A booking changed the date, the techniques or the target of a case
    /// the committee had decided, or booked again a case ended at its
    /// source: blocking, to decide again, until the committee decides again.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub changed_after_decision: Option<ChangedAfterDecision>,
}

/// A schedule field whose change by a booking voids the committee's decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangedField {
    ScheduledAt,
    Techniques,
    Target,
}

/// One such field, as it was when the committee decided (`before`) and as
/// the booking made it (`after`), as stored: the time `YYYY-MM-DDTHH:MM`,
/// the techniques a JSON array, the target its text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct FieldChange {
    pub field: ChangedField,
    pub before: String,
    pub after: String,
}

/// What the hospital's system changed on a decided case, since the
/// decision (`cases.changed_after_decision`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct ChangedAfterDecision {
    /// The local day of the last change, and its sender.
    pub on: NaiveDate,
    pub source: String,
    pub changes: Vec<FieldChange>,
    /// Booked again after it had ended at its source (S15, S17, S26).
    #[serde(default)]
    pub reopened: bool,
}

impl ChangedAfterDecision {
    /// `self` followed by `later`: each field from what it was at the
    /// decision (the earliest `before`) to its latest `after`.
    pub fn then(mut self, later: ChangedAfterDecision) -> ChangedAfterDecision {
        for c in later.changes {
            match self.changes.iter_mut().find(|o| o.field == c.field) {
                Some(o) => o.after = c.after,
                None => self.changes.push(c),
            }
        }
        self.on = later.on;
        self.source = later.source;
        self.reopened |= later.reopened;
        self
    }

    /// The target's values replaced with `left_out` (free text: how a
    /// pseudonymised reader sees it).
    pub fn leave_out_target(&mut self, left_out: &str) {
        for c in &mut self.changes {
            if c.field == ChangedField::Target {
                c.before = left_out.to_owned();
                c.after = left_out.to_owned();
            }
        }
    }
}

impl FeedMarks {
    /// No mark: a case the hospital's systems said nothing about.
    pub fn is_empty(&self) -> bool {
        *self == FeedMarks::default()
    }
}

/// The anaesthesia a case made from a booking starts with: the most
/// demanding (it needs the anaesthesia consultation), shown as assumed.
pub const ASSUMED_ANAESTHESIA: super::vocab::Anaesthesia = super::vocab::Anaesthesia::General;

/// Why a laboratory's final result could not be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unusable {
    /// Not a number (`>15`, `<0.5`, text).
    NotANumber,
    /// A unit this product does not know for the analyte.
    UnknownUnit,
    /// No specimen time.
    Undated,
    /// Outside the analyte's physical bounds.
    OutOfBounds,
    /// Two different values of one date.
    TwoValues,
    /// Dated after it arrived (beyond [`FUTURE_TOLERANCE_MIN`]): a year
    /// typo or a clock out of step would make it look fresh.
    Future,
    /// A final result (F) sent again after the same sender corrected it
    /// (C, same analyte and specimen time) with another value: an
    /// interface engine replaying its queue. Not applied: the correction
    /// stands.
    ResentAfterCorrection,
    /// The laboratory withdrew it (W: posted in error, e.g. on the wrong
    /// patient): the value it had given was removed from the case (`raw`),
    /// or, undated, could not be found (`raw` empty).
    Withdrawn,
    /// A final result (F) sent again after the same sender withdrew that
    /// analyte and specimen time: not applied.
    ResentAfterWithdrawal,
}

/// How far past the hospital's clock a specimen time may be (the
/// laboratory's and this server's clocks differ a little).
pub const FUTURE_TOLERANCE_MIN: i64 = 60;

impl Unusable {
    pub const ALL: [Unusable; 9] = [
        Unusable::NotANumber,
        Unusable::UnknownUnit,
        Unusable::Undated,
        Unusable::OutOfBounds,
        Unusable::TwoValues,
        Unusable::Future,
        Unusable::ResentAfterCorrection,
        Unusable::Withdrawn,
        Unusable::ResentAfterWithdrawal,
    ];

    /// The word stored in `lab_unusable.reason`.
    pub fn as_str(self) -> &'static str {
        match self {
            Unusable::NotANumber => "not_a_number",
            Unusable::UnknownUnit => "unknown_unit",
            Unusable::Undated => "undated",
            Unusable::OutOfBounds => "out_of_bounds",
            Unusable::TwoValues => "two_values",
            Unusable::Future => "future",
            Unusable::ResentAfterCorrection => "resent_after_correction",
            Unusable::Withdrawn => "withdrawn",
            Unusable::ResentAfterWithdrawal => "resent_after_withdrawal",
        }
    }

    pub fn parse(s: &str) -> Option<Unusable> {
        Unusable::ALL.into_iter().find(|u| u.as_str() == s)
    }
}

/// A laboratory's final result for one of our analytes that could not be
/// used, as sent; the stored value of that analyte is left as it was.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnusableLab {
    pub analyte: Analyte,
    /// The value as sent (at most 24 characters).
    pub raw: String,
    /// The unit as sent (empty: none).
    pub unit: String,
    /// The specimen's time, when known.
    pub at: Option<When>,
    pub reason: Unusable,
    /// The sender (`hl7:<MSH-3>@<MSH-4>`).
    pub source: String,
}
