//! The committee's decisions. Each one, in the caller's transaction: a row
//! of `decisions` (the history, append-only), the case's `status`,
//! `postponed_to`, `version` and `updated_at`, and its audit row. An undo is
//! a row too: it reverts the latest decision not yet undone, and the case
//! takes the status of the decision then in force (`pending` when none;
//! for a rescheduled case, only the decisions since its reschedule count:
//! `storage::reschedule`).
//! The rules (reason required, override, target week) are the service's:
//! `crate::decide`.

use rusqlite::{OptionalExtension, params};
use serde_json::json;

use super::read::decision_from_row;
use super::{Db, Result, StorageError, Writer, audit};
use crate::domain::record::{DecisionKind, DecisionRow, mark_undone, replay};
use crate::domain::vocab::{DecisionStatus, ReasonCode};
use crate::domain::week::Week;

/// A decision to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NewDecision {
    /// `override_justification`: why a case with a blocking item is
    /// validated anyway (`None` for a complete case).
    Validated {
        override_justification: Option<String>,
    },
    Postponed {
        reason: String,
        to_week: Week,
    },
    Cancelled {
        reason: String,
    },
    /// Reverts the latest decision not yet undone.
    Undo,
}

impl NewDecision {
    pub fn kind(&self) -> DecisionKind {
        match self {
            NewDecision::Validated { .. } => DecisionKind::Validated,
            NewDecision::Postponed { .. } => DecisionKind::Postponed,
            NewDecision::Cancelled { .. } => DecisionKind::Cancelled,
            NewDecision::Undo => DecisionKind::Undone,
        }
    }
}

/// What recording a decision did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    /// The new row of `decisions`.
    pub decision_id: i64,
    pub external_id: String,
    pub kind: DecisionKind,
    pub old_status: DecisionStatus,
    pub new_status: DecisionStatus,
    /// The case's `postponed_to` now (set only when postponed).
    pub postponed_to: Option<String>,
    /// The case's `version` now.
    pub version: i64,
}

/// The decision-related columns of a case.
#[derive(Debug)]
struct CaseState {
    external_id: String,
    status: DecisionStatus,
    version: i64,
    postponed_to: Option<String>,
}

/// Records `entry` for case `case_id` in `w`'s transaction: checks the
/// case's version when `expected_version` is given (else
/// [`StorageError::Conflict`] naming who changed it last), appends the
/// decision row, updates the case and writes the audit row
/// (`decision.validated|postponed|cancelled|undone`, old → new status).
/// An undo with nothing to undo is [`StorageError::NothingToUndo`].
pub fn record(
    w: &Writer<'_>,
    case_id: i64,
    expected_version: Option<i64>,
    entry: &NewDecision,
) -> Result<Applied> {
    record_coded(w, case_id, expected_version, entry, None)
}

/// [`record`] with the coded reason of a postponement or a cancellation
/// (issue 15 §1; not kept for another decision).
pub fn record_coded(
    w: &Writer<'_>,
    case_id: i64,
    expected_version: Option<i64>,
    entry: &NewDecision,
    code: Option<ReasonCode>,
) -> Result<Applied> {
    w.require(
        crate::domain::roles::Permission::Decide,
        "decide",
        Some(case_id),
    )?;
    let tx = w.tx();
    let case = tx
        .query_row(
            "SELECT external_id, status, version, postponed_to FROM cases WHERE id = ?1",
            [case_id],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, i64>(2)?,
                    r.get::<_, Option<String>>(3)?,
                ))
            },
        )
        .optional()?
        .ok_or_else(|| StorageError::NoCase(case_id.to_string()))?;
    let case = CaseState {
        status: DecisionStatus::parse(&case.1)
            .ok_or_else(|| super::cases::corrupt("status", &case.1))?,
        external_id: case.0,
        version: case.2,
        postponed_to: case.3,
    };
    // Once its day is recorded (performed or not), the committee's
    // decision is history: changing it would make the case cancelled and
    // performed at once.
    let day: Option<bool> = tx
        .query_row(
            "SELECT performed FROM outcomes WHERE case_id = ?1",
            [case_id],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(performed) = day {
        return Err(StorageError::DayRecorded {
            case: case.external_id,
            performed,
        });
    }
    if let Some(expected) = expected_version
        && expected != case.version
    {
        return Err(conflict(
            w,
            case_id,
            &case.external_id,
            expected,
            case.version,
        )?);
    }

    let kind = entry.kind();
    let code = code
        .filter(|_| {
            matches!(
                entry,
                NewDecision::Postponed { .. } | NewDecision::Cancelled { .. }
            )
        })
        .map(ReasonCode::as_str);
    let (reason, to_week, justification) = match entry {
        NewDecision::Validated {
            override_justification,
        } => (None, None, override_justification.clone()),
        NewDecision::Postponed { reason, to_week } => {
            (Some(reason.clone()), Some(to_week.to_string()), None)
        }
        NewDecision::Cancelled { reason } => (Some(reason.clone()), None, None),
        NewDecision::Undo => (None, None, None),
    };
    let (new_status, postponed_to, reverts) = match entry {
        NewDecision::Validated { .. } => (DecisionStatus::Validated, None, None),
        NewDecision::Postponed { .. } => (DecisionStatus::Postponed, to_week.clone(), None),
        NewDecision::Cancelled { .. } => (DecisionStatus::Cancelled, None, None),
        NewDecision::Undo => {
            let (status, postponed_to, reverts) = after_undo(w, case_id, &case)?;
            (status, postponed_to, Some(reverts))
        }
    };

    // A decision is taken on the case as it is now: what a booking
    // changed since the previous one is decided (the mark goes, kept on
    // this row for an undo), and is not among what an override accepts.
    let cleared = match entry {
        NewDecision::Undo => None,
        _ => super::feed_change::clear(w, case_id)?,
    };
    // An override accepts the items blocking now, and only those: one that
    // becomes blocking later is shown as such.
    let accepted = match justification {
        Some(_) => Some(serde_json::to_string(&blocking_now(w, case_id)?)?),
        None => None,
    };
    let at = w.clock().timestamp();
    tx.execute(
        "INSERT INTO decisions (case_id, at, by_login, decision, reason, to_week,
           override_justification, override_items, reason_code, cleared_change)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            case_id,
            at,
            w.login(),
            kind.as_str(),
            reason,
            to_week,
            justification,
            accepted,
            code,
            cleared
        ],
    )?;
    let decision_id = tx.last_insert_rowid();
    if let Some(reverted) = reverts {
        super::feed_change::restore(w, case_id, reverted)?;
    }
    tx.execute(
        "UPDATE cases SET status = ?2, postponed_to = ?3, version = version + 1, updated_at = ?4
         WHERE id = ?1",
        params![case_id, new_status.as_str(), postponed_to, at],
    )?;
    let old = json!({
        "status": case.status.as_str(),
        "postponed_to": case.postponed_to,
        "version": case.version,
    });
    let mut new = json!({
        "status": new_status.as_str(),
        "postponed_to": postponed_to,
        "version": case.version + 1,
        "decision_id": decision_id,
    });
    if let Some(map) = new.as_object_mut() {
        for (key, value) in [
            ("reason", reason),
            ("reason_code", code.map(str::to_owned)),
            ("to_week", to_week),
            ("override_justification", justification),
        ] {
            if let Some(v) = value {
                map.insert(key.into(), v.into());
            }
        }
        if let Some(id) = reverts {
            map.insert("reverts".into(), id.into());
        }
    }
    audit::record(
        w,
        &format!("decision.{}", kind.as_str()),
        Some(case_id),
        Some(&old.to_string()),
        Some(&new.to_string()),
    )?;
    Ok(Applied {
        decision_id,
        external_id: case.external_id,
        kind,
        old_status: case.status,
        new_status,
        postponed_to,
        version: case.version + 1,
    })
}

/// Checks that case `case_id` is still at `expected_version` (nothing to
/// check when `None`): else [`StorageError::Conflict`] naming who changed it
/// last and when. [`record`] checks it too; a caller that judges the case
/// before recording calls it first, so that a stale view is reported as
/// such rather than judged.
pub fn check_version(w: &Writer<'_>, case_id: i64, expected_version: Option<i64>) -> Result<()> {
    let Some(expected) = expected_version else {
        return Ok(());
    };
    let found = w
        .tx()
        .query_row(
            "SELECT external_id, version FROM cases WHERE id = ?1",
            [case_id],
            |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)),
        )
        .optional()?
        .ok_or_else(|| StorageError::NoCase(case_id.to_string()))?;
    if found.1 == expected {
        return Ok(());
    }
    Err(conflict(w, case_id, &found.0, expected, found.1)?)
}

/// The status and `postponed_to` a case gets when its latest decision in
/// force is undone, and the id of that decision.
fn after_undo(
    w: &Writer<'_>,
    case_id: i64,
    case: &CaseState,
) -> Result<(DecisionStatus, Option<String>, i64)> {
    // A rescheduled case starts afresh in its new slot: the decisions up
    // to its reschedule stay in its history but are not undone.
    let after = super::reschedule::decided_after(w, case_id)?.unwrap_or(0);
    let mut stmt = w.tx().prepare_cached(
        "SELECT id, decision, to_week FROM decisions WHERE case_id = ?1 AND id > ?2 ORDER BY id",
    )?;
    let rows = stmt
        .query_map([case_id, after], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut kinds = rows
        .iter()
        .map(|(_, k, _)| DecisionKind::parse(k).ok_or_else(|| super::cases::corrupt("decision", k)))
        .collect::<Result<Vec<_>>>()?;
    let reverts = replay(&kinds)
        .effective
        .and_then(|i| rows.get(i))
        .map(|(id, _, _)| *id)
        .ok_or_else(|| StorageError::NothingToUndo(case.external_id.clone()))?;
    kinds.push(DecisionKind::Undone);
    let after = replay(&kinds);
    let postponed_to = match after.status {
        DecisionStatus::Postponed => after
            .effective
            .and_then(|i| rows.get(i))
            .and_then(|(_, _, week)| week.clone()),
        _ => None,
    };
    Ok((after.status, postponed_to, reverts))
}

/// The conflict error: who changed the case last and when, from its latest
/// audit row.
pub(super) fn conflict(
    w: &Writer<'_>,
    case_id: i64,
    external_id: &str,
    expected: i64,
    found: i64,
) -> Result<StorageError> {
    let last: Option<(String, String)> = w
        .tx()
        .query_row(
            "SELECT login, at FROM audit WHERE case_id = ?1 ORDER BY id DESC LIMIT 1",
            [case_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let (by, at) = last.unwrap_or_else(|| ("someone".into(), "an unknown time".into()));
    Ok(StorageError::Conflict {
        external_id: external_id.to_owned(),
        expected,
        found,
        by,
        at,
    })
}

/// The items of a case blocking now, judged inside the write transaction.
fn blocking_now(w: &Writer<'_>, case_id: i64) -> Result<Vec<&'static str>> {
    let (rules, tz) = Db::judging(w)?;
    let ctx = crate::domain::rules::Context { rules: &rules, tz };
    let case = super::read::by_id_in(w.tx(), case_id)?;
    let a = crate::domain::assess::Assessment::of_stored(&case, &ctx);
    Ok(a.dossier.blocking().map(|i| i.item.as_str()).collect())
}

/// The decision history of a case, oldest first, undone rows flagged
/// (empty for a case without decisions or an unknown id).
pub fn history(db: &Db, case_id: i64) -> Result<Vec<DecisionRow>> {
    let mut stmt = db.conn().prepare_cached(
        "SELECT at, by_login, decision, reason, to_week, override_justification, override_items,
           reason_code
         FROM decisions WHERE case_id = ?1 ORDER BY id",
    )?;
    let mut rows = stmt
        .query_map([case_id], |r| Ok(decision_from_row(r, 0)))?
        .map(|r| r.map_err(StorageError::from).and_then(|d| d))
        .collect::<Result<Vec<_>>>()?;
    mark_undone(&mut rows);
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::read;
    use crate::testkit::clock;

    fn week() -> Week {
        "2026-W49".parse().expect("week")
    }

    /// An in-memory register with the fixture week; the first case's id.
    fn db() -> (Db, i64) {
        let mut db = Db::open_in_memory(clock()).expect("db");
        let cases = crate::demo::fixture_cases(week()).expect("fixture");
        crate::import::save_all(&mut db, &cases, "test", crate::import::Absent::Clears)
            .expect("save");
        let id = read::by_external_id(&db, &cases[0].external_id)
            .expect("case")
            .id;
        (db, id)
    }

    fn decide(db: &mut Db, id: i64, entry: NewDecision) -> Result<Applied> {
        db.write(|w| record(w, id, None, &entry))
    }

    fn postpone(reason: &str, to: &str) -> NewDecision {
        NewDecision::Postponed {
            reason: reason.into(),
            to_week: to.parse().expect("week"),
        }
    }

    #[test]
    fn a_decision_updates_the_case_and_writes_its_row_and_audit() {
        let (mut db, id) = db();
        let before = read::by_id(&db, id).expect("case");
        let a = decide(&mut db, id, postpone("scanner en panne", "2026-W50")).expect("postpone");
        assert_eq!(a.old_status, DecisionStatus::Pending);
        assert_eq!(a.new_status, DecisionStatus::Postponed);
        assert_eq!(a.version, before.version + 1);
        let after = read::by_id(&db, id).expect("case");
        assert_eq!(after.status, DecisionStatus::Postponed);
        assert_eq!(after.postponed_to.as_deref(), Some("2026-W50"));
        assert_eq!(after.version, before.version + 1);
        assert_eq!(after.decisions.len(), 1);
        assert_eq!(
            after.decisions[0].reason.as_deref(),
            Some("scanner en panne")
        );
        assert_eq!(after.decisions[0].by, db.login());
        let rows = audit::list(&db, Some(id)).expect("audit");
        let last = rows.last().expect("audit row");
        assert_eq!(last.action, "decision.postponed");
        let old: serde_json::Value =
            serde_json::from_str(last.old_value.as_deref().expect("old")).expect("json");
        let new: serde_json::Value =
            serde_json::from_str(last.new_value.as_deref().expect("new")).expect("json");
        assert_eq!(old["status"], "pending");
        assert_eq!(new["status"], "postponed");
        assert_eq!(new["to_week"], "2026-W50");
        assert_eq!(new["reason"], "scanner en panne");
    }

    #[test]
    fn undo_replays_the_history() {
        let (mut db, id) = db();
        let validate = || NewDecision::Validated {
            override_justification: None,
        };
        decide(&mut db, id, validate()).expect("validate");
        decide(&mut db, id, postpone("r", "2026-W51")).expect("postpone");
        decide(&mut db, id, NewDecision::Cancelled { reason: "c".into() }).expect("cancel");
        let a = decide(&mut db, id, NewDecision::Undo).expect("undo");
        assert_eq!(a.new_status, DecisionStatus::Postponed);
        assert_eq!(a.postponed_to.as_deref(), Some("2026-W51"));
        assert_eq!(
            read::by_id(&db, id).expect("case").postponed_to.as_deref(),
            Some("2026-W51")
        );
        let a = decide(&mut db, id, NewDecision::Undo).expect("undo");
        assert_eq!(a.new_status, DecisionStatus::Validated);
        assert_eq!(a.postponed_to, None);
        let a = decide(&mut db, id, NewDecision::Undo).expect("undo");
        assert_eq!(a.new_status, DecisionStatus::Pending);
        let before = audit::list(&db, None).expect("audit").len();
        assert!(matches!(
            decide(&mut db, id, NewDecision::Undo),
            Err(StorageError::NothingToUndo(_))
        ));
        assert_eq!(audit::list(&db, None).expect("audit").len(), before);
        let h = history(&db, id).expect("history");
        let kinds: Vec<_> = h.iter().map(|d| (d.decision, d.undone)).collect();
        use DecisionKind::*;
        assert_eq!(
            kinds,
            [
                (Validated, true),
                (Postponed, true),
                (Cancelled, true),
                (Undone, false),
                (Undone, false),
                (Undone, false),
            ]
        );
        assert_eq!(read::by_id(&db, id).expect("case").decisions, h);
    }

    #[test]
    fn a_stale_version_is_a_conflict_naming_who_changed_the_case() {
        let (mut db, id) = db();
        let v = read::by_id(&db, id).expect("case").version;
        db.write(|w| record(w, id, Some(v), &postpone("r", "2026-W50")))
            .expect("first");
        let err = db
            .write(|w| {
                record(
                    w,
                    id,
                    Some(v),
                    &NewDecision::Validated {
                        override_justification: None,
                    },
                )
            })
            .expect_err("stale");
        match err {
            StorageError::Conflict {
                by,
                expected,
                found,
                ..
            } => {
                assert_eq!(by, db.login());
                assert_eq!((expected, found), (v, v + 1));
            }
            other => panic!("{other}"),
        }
        assert_eq!(
            read::by_id(&db, id).expect("case").status,
            DecisionStatus::Postponed
        );
    }

    #[test]
    fn an_unknown_case_is_refused() {
        let (mut db, _) = db();
        assert!(matches!(
            decide(&mut db, 999_999, NewDecision::Undo),
            Err(StorageError::NoCase(_))
        ));
    }

    #[test]
    fn postponed_cases_are_listed_in_their_target_week_by_original_time() {
        let (mut db, _) = db();
        let cases = read::week(&db, week()).expect("week");
        let (late, early) = (&cases[5], &cases[1]);
        decide(&mut db, late.id, postpone("r", "2026-W51")).expect("postpone");
        decide(&mut db, early.id, postpone("r", "2026-W51")).expect("postpone");
        decide(&mut db, cases[2].id, postpone("r", "2026-W50")).expect("postpone");
        let listed = read::to_reschedule(&db, "2026-W51".parse().expect("week")).expect("list");
        let ids: Vec<i64> = listed.iter().map(|c| c.id).collect();
        assert_eq!(ids, [early.id, late.id]);
        assert!(listed.iter().all(|c| c.decisions.len() == 1));
        assert!(listed.iter().all(|c| !c.recorded.is_empty()));
        // Undone: no longer to reschedule.
        decide(&mut db, early.id, NewDecision::Undo).expect("undo");
        let listed = read::to_reschedule(&db, "2026-W51".parse().expect("week")).expect("list");
        assert_eq!(listed.len(), 1);
        assert!(read::to_reschedule(&db, week()).expect("list").is_empty());
    }

    fn plan(db: &Db, sql: &str) -> String {
        db.conn()
            .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .expect("explain")
            .query_map([], |r| r.get::<_, String>(3))
            .expect("plan")
            .collect::<Result<Vec<_>, _>>()
            .expect("rows")
            .join(" | ")
    }

    #[test]
    fn history_queries_are_index_searches() {
        let (db, _) = db();
        let p = plan(
            &db,
            "SELECT d.case_id FROM cases c JOIN decisions d ON d.case_id = c.id
             WHERE c.scheduled_at >= '2026-11-30' AND c.scheduled_at < '2026-12-07' ORDER BY d.id",
        );
        assert!(p.contains("INDEX cases_by_time"), "{p}");
        assert!(p.contains("INDEX decisions_by_case"), "{p}");
        assert!(!p.contains("SCAN c") && !p.contains("SCAN d"), "{p}");
        let p = plan(
            &db,
            "SELECT c.id FROM cases c WHERE c.postponed_to = '2026-W50' AND c.status = 'postponed'",
        );
        assert!(p.contains("INDEX cases_by_postponed_to"), "{p}");
        let p = plan(
            &db,
            "SELECT e.case_id FROM cases c JOIN evidence e ON e.case_id = c.id
             WHERE c.postponed_to = '2026-W50' AND c.status = 'postponed'",
        );
        assert!(p.contains("INDEX cases_by_postponed_to"), "{p}");
    }
}
