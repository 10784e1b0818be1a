//! The committee's decisions (`crate::decide`) in words: what a decision
//! did, a case's history, why a decision was refused. The command line and
//! the screen both print these.

use super::{Label, Lang};
use crate::decide::{Blocking, DecideError};
use crate::text::typo;

fn decision(lang: Lang, d: crate::domain::vocab::DecisionStatus) -> &'static str {
    d.label(lang)
}

/// One blocking item: `imaging: no planning imaging…; …`.
pub fn blocking(lang: Lang, b: &Blocking) -> String {
    let parts: Vec<String> = b.findings.iter().map(|m| m.render(lang)).collect();
    let message = typo::clauses(lang, &parts);
    format!("{}{} {message}", b.item.label(lang), typo::colon(lang))
}

/// Every blocking item, one string each.
pub fn blocking_list(lang: Lang, items: &[Blocking]) -> Vec<String> {
    items.iter().map(|b| blocking(lang, b)).collect()
}

/// One line saying what a decision did, e.g. `SCH-2026-004503: validated
/// (override: …)`. User text in it is sanitised.
pub fn decided(lang: Lang, d: &crate::decide::Decided) -> String {
    use crate::domain::record::DecisionKind as K;
    use crate::domain::text::sanitize_line as clean;
    let id = clean(&d.external_id);
    let week = clean(d.postponed_to.as_deref().unwrap_or("?"));
    let reason = clean(d.reason.as_deref().unwrap_or(""));
    let reason = match d.reason_code {
        Some(code) => format!("{} — {reason}", super::Label::label(code, lang)),
        None => reason,
    };
    let justification = clean(d.override_justification.as_deref().unwrap_or(""));
    let status = decision(lang, d.status);
    match (lang, d.decision) {
        (Lang::En, K::Validated) if d.overridden => {
            format!("{id}: validated (override: {justification})")
        }
        (Lang::Fr, K::Validated) if d.overridden => {
            format!("{id}\u{a0}: validé (dérogation\u{a0}: {justification})")
        }
        (Lang::En, K::Validated) => format!("{id}: validated"),
        (Lang::Fr, K::Validated) => format!("{id}\u{a0}: validé"),
        (Lang::En, K::Postponed) => format!("{id}: postponed to {week} (reason: {reason})"),
        (Lang::Fr, K::Postponed) => {
            format!("{id}\u{a0}: reporté à la semaine {week} (motif\u{a0}: {reason})")
        }
        (Lang::En, K::Cancelled) => format!("{id}: cancelled (reason: {reason})"),
        (Lang::Fr, K::Cancelled) => format!("{id}\u{a0}: annulé (motif\u{a0}: {reason})"),
        (Lang::En, K::Undone) if d.postponed_to.is_some() => {
            format!("{id}: last decision undone; now {status} to {week}")
        }
        (Lang::Fr, K::Undone) if d.postponed_to.is_some() => {
            format!(
                "{id}\u{a0}: dernière décision retirée\u{202f}; désormais {status} à la semaine {week}"
            )
        }
        (Lang::En, K::Undone) => format!("{id}: last decision undone; now {status}"),
        (Lang::Fr, K::Undone) => {
            format!("{id}\u{a0}: dernière décision retirée\u{202f}; désormais {status}")
        }
    }
}

/// One row of a case's decision history: when, who, what (and `[undone]`
/// when a later undo reverted it). User text in it is sanitised.
pub fn decision_line(lang: Lang, d: &crate::domain::record::DecisionRow) -> String {
    use crate::domain::record::DecisionKind as K;
    use crate::domain::text::sanitize_line as clean;
    let (at, by) = (clean(&d.at), clean(&d.by));
    let week = clean(d.to_week.as_deref().unwrap_or("?"));
    let reason = clean(d.reason.as_deref().unwrap_or(""));
    let reason = match d.reason_code {
        Some(code) => format!("{} — {reason}", super::Label::label(code, lang)),
        None => reason,
    };
    let what = match (lang, d.decision, d.override_justification.as_deref()) {
        (Lang::En, K::Validated, Some(j)) => format!("validated (override: {})", clean(j)),
        (Lang::Fr, K::Validated, Some(j)) => format!("validé (dérogation\u{a0}: {})", clean(j)),
        (Lang::En, K::Validated, None) => "validated".to_owned(),
        (Lang::Fr, K::Validated, None) => "validé".to_owned(),
        (Lang::En, K::Postponed, _) => format!("postponed to {week} (reason: {reason})"),
        (Lang::Fr, K::Postponed, _) => {
            format!("reporté à la semaine {week} (motif\u{a0}: {reason})")
        }
        (Lang::En, K::Cancelled, _) => format!("cancelled (reason: {reason})"),
        (Lang::Fr, K::Cancelled, _) => format!("annulé (motif\u{a0}: {reason})"),
        (Lang::En, K::Undone, _) => "undid the last decision".to_owned(),
        (Lang::Fr, K::Undone, _) => "a retiré la dernière décision".to_owned(),
    };
    let undone = match (lang, d.undone) {
        (_, false) => "",
        (Lang::En, true) => " [undone]",
        (Lang::Fr, true) => " [retirée]",
    };
    match lang {
        Lang::En => format!("{at} {by}: {what}{undone}"),
        Lang::Fr => format!("{at} {by}\u{a0}: {what}{undone}"),
    }
}

/// Why a decision was refused, in one line (user text in it sanitised).
pub fn decide_refusal(lang: Lang, e: &DecideError) -> String {
    use crate::domain::text::sanitize_line as clean;
    use DecideError as E;
    let fr = lang == Lang::Fr;
    let text = match e {
        E::Storage(s) => super::Localized::in_lang(s, lang),
        E::NotFound(id) if fr => format!("aucun dossier d'identifiant externe '{id}'"),
        E::NotFound(id) => format!("no case with external id '{id}'"),
        E::NeedsOverride {
            external_id,
            blocking,
        } => {
            let items = blocking_list(lang, blocking);
            if fr {
                format!(
                    "{external_id} a des éléments bloquants\u{a0}: {}",
                    items.join("\u{202f}; ")
                )
            } else {
                format!("{external_id} has blocking items: {}", items.join("; "))
            }
        }
        E::ReasonRequired => lang
            .pick("a reason is required", "un motif est obligatoire")
            .to_owned(),
        E::JustificationRequired => lang
            .pick(
                "a justification is required to validate a case that has a blocking item",
                "une justification est obligatoire pour valider un dossier qui a un élément bloquant",
            )
            .to_owned(),
        E::BadTargetWeek {
            week,
            must_be_after,
        } if fr => format!(
            "la semaine cible {week} doit être postérieure à {must_be_after}, celle du dossier"
        ),
        E::BadTargetWeek {
            week,
            must_be_after,
        } => format!("the target week {week} must be after {must_be_after}, the case's week"),
        E::NothingToUndo(id) if fr => format!("{id} n'a aucune décision à retirer"),
        E::NothingToUndo(id) => format!("{id} has no decision to undo"),
        E::NothingToUndoSinceRescheduled(id) if fr => format!(
            "{id} n'a aucune décision à retirer depuis sa reprogrammation (son report reste dans son historique\u{202f}; reportez-le de nouveau pour le déplacer)"
        ),
        E::NothingToUndoSinceRescheduled(id) => format!(
            "{id} has no decision to undo since it was rescheduled (its postponement stays in its history; postpone it again to move it)"
        ),
        E::AlreadyDecided {
            external_id,
            status,
            postponed_to,
        } => {
            let to = postponed_to
                .as_deref()
                .map(|w| lang.pick(format!(" to {w}"), format!(" à la semaine {w}")))
                .unwrap_or_default();
            let status = decision(lang, *status);
            lang.pick(
                format!("{external_id} is already {status}{to}"),
                format!("{external_id} est déjà {status}{to}"),
            )
        }
        E::Conflict {
            external_id,
            by,
            at,
            ..
        } if fr => format!(
            "{external_id} a été modifié par {by} le {} depuis sa lecture\u{202f}; rechargez-le et décidez à nouveau",
            typo::iso_date(lang, at)
        ),
        E::Conflict {
            external_id,
            by,
            at,
            ..
        } => format!(
            "{external_id} was changed by {by} at {at} since it was read; reload it and decide again"
        ),
        E::CodeNotFor(kind) if fr => format!(
            "un motif codé va avec un report ou une annulation, pas avec «\u{a0}{}\u{a0}»",
            super::Label::label(*kind, lang)
        ),
        E::CodeNotFor(kind) => format!(
            "a coded reason goes with a postponement or a cancellation, not with \u{201c}{}\u{201d}",
            super::Label::label(*kind, lang)
        ),
        E::EndedAtSource(id) if fr => format!(
            "{id} a été annulé par la source (le SIH)\u{a0}: il n'y a pas d'acte à valider\u{a0}; s'il est reprogrammé, le SIH renverra le rendez-vous"
        ),
        E::EndedAtSource(id) => format!(
            "{id} was cancelled at the source (the hospital's system): there is no procedure to validate; if it is rebooked, the hospital's system sends the appointment again"
        ),
        E::NotGreen(id) if fr => format!(
            "{id} n'est plus sans rien à discuter (décidé, bloquant, alerte ou valeur du fichier à trancher)\u{a0}: il n'est pas validé"
        ),
        E::NotGreen(id) => format!(
            "{id} no longer has nothing to discuss (decided, blocking, advisory or a value on file to settle): not validated"
        ),
        E::NotToReschedule {
            external_id,
            status,
        } => {
            let status = decision(lang, *status);
            lang.pick(
                format!("{external_id} is {status}, not postponed: only a case to reschedule is given a new slot"),
                format!("{external_id} est {status}, pas reporté\u{a0}: seul un dossier à reprogrammer reçoit un nouveau créneau"),
            )
        }
        E::BadSlot(e) => super::reschedule::slot_error(lang, e),
        E::TooLong { chars, max } if fr => {
            format!("le texte fait {chars} caractères\u{202f}; {max} au plus sont acceptés")
        }
        E::TooLong { chars, max } => {
            format!("the text is {chars} characters long; at most {max} are accepted")
        }
    };
    clean(&text)
}

/// What to add on the command line after a refusal, if anything.
pub fn decide_cli_hint(lang: Lang, e: &DecideError) -> Option<&'static str> {
    use DecideError as E;
    Some(match (lang, e) {
        (Lang::En, E::NeedsOverride { .. }) => {
            "pass --override \"justification\" to validate anyway"
        }
        (Lang::Fr, E::NeedsOverride { .. }) => {
            "passer --override \"justification\" pour valider malgré tout"
        }
        (Lang::En, E::JustificationRequired) => "give the justification with --override",
        (Lang::Fr, E::JustificationRequired) => "donner la justification avec --override",
        (Lang::En, E::ReasonRequired) => "pass --reason \"reason\"",
        (Lang::Fr, E::ReasonRequired) => "passer --reason \"motif\"",
        (Lang::En, E::BadTargetWeek { .. }) => "pass a later --to-week",
        (Lang::Fr, E::BadTargetWeek { .. }) => "passer un --to-week postérieur",
        _ => return None,
    })
}

/// The refusal, then what to add on the command line (if anything).
pub fn refusal_with_hint(lang: Lang, e: &DecideError) -> String {
    let mut line = decide_refusal(lang, e);
    if let Some(hint) = decide_cli_hint(lang, e) {
        line.push_str(lang.pick("; ", "\u{202f}; "));
        line.push_str(hint);
    }
    line
}
