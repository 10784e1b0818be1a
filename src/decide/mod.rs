//! The committee's decisions as a service: what the command line
//! (`ir-committee decide`) and the screen both call, so that they apply the
//! same rules and write the same rows.
//!
//! - Validating a complete case takes effect at once (undo exists).
//! - Validating a case with a blocking item needs a non-empty justification,
//!   recorded as the override; without one it is refused with the list of
//!   blocking items. A validated case that has become blocking since can be
//!   validated again the same way (with a justification).
//! - Postponing needs a non-empty reason and a target week strictly after
//!   the case's own week (callers propose [`proposed_target`]).
//! - Cancelling needs a non-empty reason.
//! - Undo reverts the latest decision not yet undone.
//!
//! The case is read and judged (the file's rules and time zone) inside the
//! decision's own `BEGIN IMMEDIATE` transaction, which also writes the
//! decision row, the case's new status and the audit row: what was judged is
//! what is decided on.

use crate::domain::assess::Assessment;
use crate::domain::message::Lang;
use crate::domain::record::{DecisionKind, StoredCase};
use crate::domain::rules::message::Msg;
use crate::domain::rules::{Context, Item, Severity};
use crate::domain::text::sanitize_text;
use crate::domain::vocab::{DecisionStatus, ReasonCode};
use crate::domain::week::Week;
use crate::storage::decisions::{self, NewDecision};
use crate::storage::{Db, StorageError, read};

/// The longest reason or justification accepted, in characters (as a note).
pub const MAX_TEXT_CHARS: usize = 20_000;

/// What the committee decides about a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    /// `override_justification`: needed when the case has a blocking item.
    Validate {
        override_justification: Option<String>,
    },
    Postpone {
        reason: String,
        to_week: Week,
    },
    Cancel {
        reason: String,
    },
    /// Reverts the case's latest decision not yet undone.
    Undo,
    /// Validates a case only if it still has nothing to discuss
    /// ([`nothing_to_discuss`]), judged inside the decision's transaction:
    /// the nod through the green cases (`V` on the screen), one decision
    /// and one audit row per case, as a plain validation.
    Nod,
}

/// A decision recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decided {
    pub case_id: i64,
    pub external_id: String,
    /// The case's status now.
    pub status: DecisionStatus,
    /// Validated despite a blocking item (the justification is recorded).
    pub overridden: bool,
    /// What was recorded (`undone` for an undo).
    pub decision: DecisionKind,
    /// The case's status before.
    pub previous: DecisionStatus,
    /// The week the case now goes to, when postponed (also after an undo
    /// that restores a postponement).
    pub postponed_to: Option<String>,
    /// The reason recorded (postpone, cancel), sanitised.
    pub reason: Option<String>,
    /// Its coded reason, when one was given (postpone, cancel).
    pub reason_code: Option<ReasonCode>,
    /// The justification recorded with an override, sanitised.
    pub override_justification: Option<String>,
    /// The case's `version` now: the next decision's expected version.
    pub version: i64,
}

/// A decision refused (nothing was written), or a storage failure.
/// Data only: `Display` is the English of [`crate::text::decide`];
/// [`DecideError::message`] speaks the user's language.
#[derive(Debug, thiserror::Error)]
pub enum DecideError {
    NotFound(String),
    NeedsOverride {
        external_id: String,
        /// The blocking items, each with its blocking findings.
        blocking: Vec<Blocking>,
    },
    ReasonRequired,
    JustificationRequired,
    BadTargetWeek {
        week: Week,
        must_be_after: Week,
    },
    NothingToUndo(String),
    /// An undo on a case given a new slot with nothing decided since: its
    /// postponement stays (`reschedule`).
    NothingToUndoSinceRescheduled(String),
    AlreadyDecided {
        external_id: String,
        status: DecisionStatus,
        /// The target week, when already postponed to the one asked for.
        postponed_to: Option<String>,
    },
    Conflict {
        external_id: String,
        /// Who made the latest change, and when (UTC, RFC 3339).
        by: String,
        at: String,
        /// The version the caller read, and the one in the file.
        expected: i64,
        found: i64,
    },
    TooLong {
        chars: usize,
        max: usize,
    },
    /// A nod ([`Request::Nod`]) on a case that no longer has nothing to
    /// discuss (decided, blocking, advisory, or a value on file to settle).
    NotGreen(String),
    /// A validation of a case the hospital's system cancelled, deleted or
    /// marked as not come (SIU S15, S17, S26): there is no procedure to
    /// validate, and its feed items would be hidden.
    EndedAtSource(String),
    /// A new slot for a case that is not postponed ([`reschedule`]).
    NotToReschedule {
        external_id: String,
        status: DecisionStatus,
    },
    /// A new slot that is not one ([`reschedule`]).
    BadSlot(crate::domain::slot::SlotError),
    /// A coded reason given with a decision that is neither a
    /// postponement nor a cancellation.
    CodeNotFor(DecisionKind),
    Storage(#[source] StorageError),
}

impl std::fmt::Display for DecideError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::text::decide::decide_refusal(Lang::En, self))
    }
}

/// A blocking item of a case that a validation would override: the item
/// and its blocking findings (all its findings when none is blocking by
/// itself). Words come from `crate::text::decide::blocking`.
#[derive(Debug, Clone, PartialEq)]
pub struct Blocking {
    pub item: Item,
    pub findings: Vec<Msg>,
}

impl From<StorageError> for DecideError {
    fn from(e: StorageError) -> Self {
        match e {
            StorageError::NoCase(id) => DecideError::NotFound(id),
            StorageError::NothingToUndo(id) => DecideError::NothingToUndo(id),
            StorageError::Conflict {
                external_id,
                expected,
                found,
                by,
                at,
            } => DecideError::Conflict {
                external_id,
                by,
                at,
                expected,
                found,
            },
            other => DecideError::Storage(other),
        }
    }
}

impl DecideError {
    /// One line in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        crate::text::decide::decide_refusal(lang, self)
    }
}

/// The target week to propose when postponing `case`: the week after its
/// own, or after the week it is already postponed to.
pub fn proposed_target(case: &StoredCase) -> Week {
    let own = Week::containing(case.file.day());
    let current = case
        .postponed_to
        .as_deref()
        .and_then(|w| w.parse::<Week>().ok())
        .filter(|_| case.status == DecisionStatus::Postponed);
    current.map_or(own, |w| w.max(own)).offset(1)
}

/// Decides about case `case_id`. With `expected_version` (the version the
/// caller's view shows), a case changed since is refused as a
/// [`DecideError::Conflict`] naming who changed it. Blocking items are
/// returned as data ([`Blocking`]).
pub fn decide(
    db: &mut Db,
    case_id: i64,
    expected_version: Option<i64>,
    request: Request,
) -> Result<Decided, DecideError> {
    decide_coded(db, case_id, expected_version, request, None)
}

/// [`decide`] with the coded reason of a postponement or a cancellation
/// (issue 15 §1: the same codes as a procedure not performed on the day;
/// kept only with a postponement or a cancellation).
pub fn decide_coded(
    db: &mut Db,
    case_id: i64,
    expected_version: Option<i64>,
    request: Request,
    code: Option<ReasonCode>,
) -> Result<Decided, DecideError> {
    if code.is_some() {
        let kind = match &request {
            Request::Postpone { .. } | Request::Cancel { .. } => None,
            Request::Validate { .. } | Request::Nod => Some(DecisionKind::Validated),
            Request::Undo => Some(DecisionKind::Undone),
        };
        if let Some(kind) = kind {
            return Err(DecideError::CodeNotFor(kind));
        }
    }
    let request = clean(request)?;
    let rules = db.rules()?;
    let ctx = Context {
        rules: &rules,
        tz: db.timezone()?,
    };
    db.write_as(&crate::storage::needs::decide(case_id), |w| {
        decisions::check_version(w, case_id, expected_version)?;
        let case = read::by_id_in(w.tx(), case_id)?;
        let entry = judge(&case, &request, &ctx)?;
        let applied = decisions::record_coded(w, case_id, expected_version, &entry, code).map_err(
            |e| match e {
                StorageError::NothingToUndo(id) if !case.reschedules.is_empty() => {
                    DecideError::NothingToUndoSinceRescheduled(id)
                }
                other => other.into(),
            },
        )?;
        let (reason, justification, reason_code) = match entry {
            NewDecision::Postponed { reason, .. } | NewDecision::Cancelled { reason } => {
                (Some(reason), None, code)
            }
            NewDecision::Validated {
                override_justification,
            } => (None, override_justification, None),
            NewDecision::Undo => (None, None, None),
        };
        Ok(Decided {
            case_id,
            external_id: applied.external_id,
            status: applied.new_status,
            overridden: justification.is_some(),
            decision: applied.kind,
            previous: applied.old_status,
            postponed_to: applied.postponed_to,
            reason,
            reason_code,
            override_justification: justification,
            version: applied.version,
        })
    })
}

/// [`decide`] for the case named by its external id (the command line),
/// without a version check.
pub fn decide_external(
    db: &mut Db,
    external_id: &str,
    request: Request,
) -> Result<Decided, DecideError> {
    decide_external_coded(db, external_id, request, None)
}

/// [`decide_external`] with a coded reason ([`decide_coded`]).
pub fn decide_external_coded(
    db: &mut Db,
    external_id: &str,
    request: Request,
    code: Option<ReasonCode>,
) -> Result<Decided, DecideError> {
    let case_id = match read::by_external_id(db, external_id) {
        Ok(case) => case.id,
        Err(StorageError::NoCase(_)) => return Err(DecideError::NotFound(external_id.to_owned())),
        Err(e) => return Err(e.into()),
    };
    decide_coded(db, case_id, None, request, code)
}

/// Sanitises and trims the texts of a request; refuses an empty reason or
/// justification (one with no visible character is empty) and overlong
/// text.
fn clean(request: Request) -> Result<Request, DecideError> {
    fn text(s: &str) -> Result<String, DecideError> {
        let s = sanitize_text(s);
        let chars = s.chars().count();
        if chars > MAX_TEXT_CHARS {
            return Err(DecideError::TooLong {
                chars,
                max: MAX_TEXT_CHARS,
            });
        }
        Ok(s)
    }
    fn reason(s: &str) -> Result<String, DecideError> {
        let s = text(s)?;
        if s.is_empty() {
            return Err(DecideError::ReasonRequired);
        }
        Ok(s)
    }
    Ok(match request {
        Request::Validate {
            override_justification,
        } => Request::Validate {
            override_justification: override_justification.as_deref().map(text).transpose()?,
        },
        Request::Postpone { reason: r, to_week } => Request::Postpone {
            reason: reason(&r)?,
            to_week,
        },
        Request::Cancel { reason: r } => Request::Cancel {
            reason: reason(&r)?,
        },
        Request::Undo => Request::Undo,
        Request::Nod => Request::Nod,
    })
}

/// Applies the rules to a (cleaned) request on the case as it is now.
fn judge(
    case: &StoredCase,
    request: &Request,
    ctx: &Context<'_>,
) -> Result<NewDecision, DecideError> {
    let external_id = &case.file.external_id;
    let already = |postponed_to: Option<String>| DecideError::AlreadyDecided {
        external_id: external_id.clone(),
        status: case.status,
        postponed_to,
    };
    match request {
        Request::Validate {
            override_justification,
        } => {
            if case.ended_at_source().is_some() {
                return Err(DecideError::EndedAtSource(external_id.clone()));
            }
            let assessment = Assessment::of_stored(case, ctx);
            if assessment.complete() {
                if case.status == DecisionStatus::Validated {
                    return Err(already(None));
                }
                // Nothing to override: a justification given anyway is not one.
                return Ok(NewDecision::Validated {
                    override_justification: None,
                });
            }
            match override_justification.as_deref() {
                None => Err(DecideError::NeedsOverride {
                    external_id: external_id.clone(),
                    blocking: blocking(&assessment),
                }),
                Some("") => Err(DecideError::JustificationRequired),
                Some(j) => Ok(NewDecision::Validated {
                    override_justification: Some(j.to_owned()),
                }),
            }
        }
        Request::Postpone { reason, to_week } => {
            let own = Week::containing(case.file.day());
            if *to_week <= own {
                return Err(DecideError::BadTargetWeek {
                    week: *to_week,
                    must_be_after: own,
                });
            }
            let target = to_week.to_string();
            if case.status == DecisionStatus::Postponed
                && case.postponed_to.as_deref() == Some(target.as_str())
            {
                return Err(already(Some(target)));
            }
            Ok(NewDecision::Postponed {
                reason: reason.clone(),
                to_week: *to_week,
            })
        }
        Request::Cancel { reason } => {
            if case.status == DecisionStatus::Cancelled {
                return Err(already(None));
            }
            Ok(NewDecision::Cancelled {
                reason: reason.clone(),
            })
        }
        Request::Undo => Ok(NewDecision::Undo),
        Request::Nod => {
            if !nothing_to_discuss(case, &Assessment::of_stored(case, ctx)) {
                return Err(DecideError::NotGreen(external_id.clone()));
            }
            Ok(NewDecision::Validated {
                override_justification: None,
            })
        }
    }
}

/// A case the committee may nod through (`V`): pending, every item clear
/// (no blocking, no advisory) and no value on file waiting for a person.
/// `assessment` is the case's as stored ([`Assessment::of_stored`]).
pub fn nothing_to_discuss(case: &StoredCase, assessment: &Assessment) -> bool {
    case.status == DecisionStatus::Pending
        && case.pending.is_empty()
        // Ended at its source: nothing to validate.
        && case.ended_at_source().is_none()
        && assessment
            .dossier
            .items
            .iter()
            .all(|r| r.severity == Severity::None)
}

/// `item: message` for each blocking item (only its blocking findings).
pub fn blocking(a: &Assessment) -> Vec<Blocking> {
    a.dossier
        .blocking()
        .map(|i| {
            let blocking: Vec<Msg> = i
                .findings
                .iter()
                .filter(|f| f.severity == Severity::Blocking)
                .map(|f| f.msg.clone())
                .collect();
            let findings = if blocking.is_empty() {
                i.findings.iter().map(|f| f.msg.clone()).collect()
            } else {
                blocking
            };
            Blocking {
                item: i.item,
                findings,
            }
        })
        .collect()
}

/// [`blocking`] in words, one line per item (the override dialog).
pub fn blocking_items(a: &Assessment, lang: Lang) -> Vec<String> {
    crate::text::decide::blocking_list(lang, &blocking(a))
}

pub mod reschedule;

#[cfg(test)]
mod tests;
