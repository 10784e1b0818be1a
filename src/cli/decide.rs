//! `decide`: a committee decision on a case from the command line.

use super::{CliError, DecideAction};
use crate::decide;
use crate::domain::message::Lang;
use crate::domain::vocab::ReasonCode;
use crate::domain::week::Week;
use crate::storage::{self, Db, read};
use crate::text::typo::Medium;

/// Records the decision `request` asks for (`None`: a postponement to the
/// week after the case's) on the case `external_id`.
pub(super) fn run(
    db: &mut Db,
    external_id: &str,
    (request, code): (Option<decide::Request>, Option<ReasonCode>),
    reason: &Option<String>,
    lang: Lang,
    out: &mut dyn std::io::Write,
) -> Result<(), CliError> {
    let refused = |e: decide::DecideError| {
        CliError::Refused(crate::text::decide::refusal_with_hint(lang, &e))
    };
    let request = match request {
        Some(request) => request,
        // Postpone without --to-week: the week after the case's (or
        // after the week it is already postponed to).
        None => {
            let case = match read::by_external_id(db, external_id) {
                Err(storage::StorageError::NoCase(_)) => {
                    return Err(refused(decide::DecideError::NotFound(
                        external_id.to_owned(),
                    )));
                }
                other => other?,
            };
            decide::Request::Postpone {
                reason: reason.clone().unwrap_or_default(),
                to_week: decide::proposed_target(&case),
            }
        }
    };
    let done = decide::decide_external_coded(db, external_id, request, code).map_err(refused)?;
    let line = crate::text::decide::decided(lang, &done);
    writeln!(
        out,
        "{}",
        crate::text::typo::finish(lang, Medium::Print, &line)
    )?;
    Ok(())
}

/// The request a `decide` command line asks for; `None` for a postponement
/// without `--to-week` (its default depends on the case). Options that do
/// not apply to the action are refused rather than ignored.
pub(super) fn decide_request(
    action: DecideAction,
    reason: &Option<String>,
    to_week: Option<Week>,
    justification: &Option<String>,
) -> Result<Option<decide::Request>, CliError> {
    let name = action_name(action);
    let unused = |option: &'static str| {
        Err(CliError::OptionNotFor {
            option,
            action: name,
        })
    };
    if reason.is_some() && matches!(action, DecideAction::Validate | DecideAction::Undo) {
        return unused("--reason");
    }
    if to_week.is_some() && action != DecideAction::Postpone {
        return unused("--to-week");
    }
    if justification.is_some() && action != DecideAction::Validate {
        return unused("--override");
    }
    let reason = reason.clone().unwrap_or_default();
    Ok(match action {
        DecideAction::Validate => Some(decide::Request::Validate {
            override_justification: justification.clone(),
        }),
        DecideAction::Postpone => {
            to_week.map(|to_week| decide::Request::Postpone { reason, to_week })
        }
        DecideAction::Cancel => Some(decide::Request::Cancel { reason }),
        DecideAction::Undo => Some(decide::Request::Undo),
    })
}

/// The action as typed.
pub(super) fn action_name(action: DecideAction) -> &'static str {
    match action {
        DecideAction::Validate => "validate",
        DecideAction::Postpone => "postpone",
        DecideAction::Cancel => "cancel",
        DecideAction::Undo => "undo",
    }
}
