//! `outcome`: what happened on the day of a validated case, from the
//! command line (issue 15 §1), through `storage::day` (the same rules,
//! permissions and audit as the screen's `d`).
//!
//! A day already recorded is replaced only with `--replace VERSION` (the
//! version this command printed when it recorded it): a second command
//! never silently overwrites the first.

use clap::Subcommand;

use super::CliError;
use crate::domain::message::Lang;
use crate::domain::outcome::{CirseGrade, Complication, NotPerformed, Outcome, Performed};
use crate::domain::roles::Permission;
use crate::domain::slot;
use crate::domain::vocab::{Anaesthesia, ReasonCode, Technique};
use crate::storage::day::{self, Seen};
use crate::storage::{Db, StorageError};
use crate::text::typo::Medium;

#[derive(Debug, Subcommand)]
pub enum OutcomeAction {
    /// The procedure was performed (a radiographer, a secretary, a
    /// radiologist or the chair).
    Performed {
        /// When: "2026-12-15 09:30" (also 2026-12-15T09:30, "15/12 9h30")
        /// [default: the case's scheduled time]. Not later than now.
        #[arg(long, value_name = "WHEN")]
        at: Option<String>,
        /// Who performed it [default: the case's operator].
        #[arg(long, value_name = "NAME")]
        operator: Option<String>,
        /// A technique actually done; repeat for several [default: the
        /// techniques planned].
        #[arg(long = "technique", value_name = "T", value_parser = parse_technique)]
        techniques: Vec<Technique>,
        /// The anaesthesia given [default: the one planned].
        #[arg(long, value_name = "KIND", value_parser = parse_anaesthesia)]
        anaesthesia: Option<Anaesthesia>,
        /// How long it took, in minutes [default: not recorded].
        #[arg(long, value_name = "MIN", value_parser = clap::value_parser!(u16).range(1..))]
        duration: Option<u16>,
        /// Replace the day recorded at this version.
        #[arg(long, value_name = "VERSION")]
        replace: Option<i64>,
    },
    /// The procedure was not performed, for a coded reason.
    NotPerformed {
        /// missing_test, drug_not_stopped, consent, anaesthesia,
        /// patient_condition, patient_deceased, equipment, scheduling,
        /// patient_declined or other.
        #[arg(long, value_name = "CODE", value_parser = parse_reason)]
        reason: ReasonCode,
        /// What happened (required with `other`).
        #[arg(long, value_name = "TEXT")]
        text: Option<String>,
        /// Replace the day recorded at this version.
        #[arg(long, value_name = "VERSION")]
        replace: Option<i64>,
    },
    /// The immediate complication of a performed procedure, on the CIRSE
    /// classification (a radiologist, an anaesthetist or the chair).
    Complication {
        /// CIRSE grade, 1 (no therapy) to 6 (death).
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u8).range(1..=6))]
        grade: u8,
        /// What happened.
        #[arg(long, value_name = "TEXT")]
        text: String,
        /// Replace the complication recorded, at this version of the day.
        #[arg(long, value_name = "VERSION")]
        replace: Option<i64>,
    },
}

fn words(all: &[&str]) -> String {
    all.join(", ")
}

pub(super) fn parse_technique(s: &str) -> Result<Technique, String> {
    Technique::parse(s)
        .ok_or_else(|| format!("'{s}' is not a technique ({})", words(Technique::WORDS)))
}

pub(super) fn parse_anaesthesia(s: &str) -> Result<Anaesthesia, String> {
    Anaesthesia::parse(s).ok_or_else(|| {
        format!(
            "'{s}' is not an anaesthesia ({})",
            words(Anaesthesia::WORDS)
        )
    })
}

pub(super) fn parse_reason(s: &str) -> Result<ReasonCode, String> {
    ReasonCode::parse(s)
        .ok_or_else(|| format!("'{s}' is not a reason code ({})", words(ReasonCode::WORDS)))
}

/// A command line refusal inside the write (rolled back, nothing written).
enum Failed {
    Storage(StorageError),
    Refused(String),
}

impl From<StorageError> for Failed {
    fn from(e: StorageError) -> Self {
        Failed::Storage(e)
    }
}

/// Records `action` on case `external_id`; one line on success.
pub(super) fn run(
    db: &mut Db,
    external_id: &str,
    action: &OutcomeAction,
    lang: Lang,
    out: &mut dyn std::io::Write,
) -> Result<(), CliError> {
    let today = db.clock().today();
    let already = |version: i64| {
        Failed::Refused(crate::text::day::already_recorded(
            lang,
            external_id,
            version,
        ))
    };
    let done = db.write(|w| -> Result<String, Failed> {
        let plan = day::plan(w, external_id)?;
        // Who may not record this is told so (and audited) before anything
        // of the case's day is said.
        let (permission, audited) = match action {
            OutcomeAction::Complication { .. } => {
                (Permission::RecordComplication, day::COMPLICATION)
            }
            _ => (Permission::RecordOutcome, day::ACTION),
        };
        w.require(permission, audited, Some(plan.case_id))?;
        let seen_day = |replace: Option<i64>| match (replace, plan.day) {
            (Some(v), _) => Ok(Seen::Version(v)),
            (None, None) => Ok(Seen::Nothing),
            (None, Some((v, _))) => Err(already(v)),
        };
        match action {
            OutcomeAction::Performed {
                at,
                operator,
                techniques,
                anaesthesia,
                duration,
                replace,
            } => {
                let seen = seen_day(*replace)?;
                let at = match at {
                    Some(text) => slot::read_at(text, lang, today).map_err(|e| {
                        Failed::Refused(crate::text::reschedule::slot_error(lang, &e))
                    })?,
                    None => plan.scheduled_at,
                };
                let outcome = Outcome::Performed(Performed {
                    at,
                    operator: operator.clone().unwrap_or_else(|| plan.operator.clone()),
                    techniques: if techniques.is_empty() {
                        plan.techniques.clone()
                    } else {
                        techniques.clone()
                    },
                    anaesthesia: anaesthesia.unwrap_or(plan.anaesthesia),
                    duration_min: *duration,
                });
                let saved = day::record_outcome(w, external_id, &outcome, seen)?;
                Ok(crate::text::day::recorded(
                    lang,
                    &saved,
                    &day::cleaned(&outcome),
                ))
            }
            OutcomeAction::NotPerformed {
                reason,
                text,
                replace,
            } => {
                let seen = seen_day(*replace)?;
                let outcome = Outcome::NotPerformed(NotPerformed {
                    reason: *reason,
                    text: text.clone(),
                });
                let saved = day::record_outcome(w, external_id, &outcome, seen)?;
                Ok(crate::text::day::recorded(
                    lang,
                    &saved,
                    &day::cleaned(&outcome),
                ))
            }
            OutcomeAction::Complication {
                grade,
                text,
                replace,
            } => {
                let seen = match (replace, plan.day) {
                    (Some(v), _) => Seen::Version(*v),
                    (None, Some((v, true))) => {
                        return Err(Failed::Refused(crate::text::day::complication_recorded(
                            lang,
                            external_id,
                            v,
                        )));
                    }
                    (None, Some((v, false))) => Seen::Version(v),
                    (None, None) => Seen::Nothing,
                };
                let grade = CirseGrade::new(*grade)
                    .ok_or_else(|| Failed::Refused(crate::text::day::bad_grade(lang, *grade)))?;
                let c = Complication {
                    grade,
                    text: text.clone(),
                };
                let saved = day::set_complication(w, external_id, &c, seen)?;
                Ok(crate::text::day::complication(lang, &saved, grade))
            }
        }
    });
    let line = match done {
        Ok(line) => line,
        Err(Failed::Storage(e)) => return Err(e.into()),
        Err(Failed::Refused(r)) => return Err(CliError::Refused(r)),
    };
    writeln!(
        out,
        "{}",
        crate::text::typo::finish(lang, Medium::Print, &line)
    )?;
    Ok(())
}
