//! A postponed case gets a real slot (issue 14 §3): what the command line
//! (`ir-committee reschedule`) and the screen (`r` on a case to
//! reschedule) both call. Only a case whose status is `postponed` (shown
//! "to reschedule" at the top of the week it was postponed to) may be
//! given one; the slot is checked against the same bounds as an imported
//! one (`domain::slot`), inside the write's own `BEGIN IMMEDIATE`
//! transaction, which reads the case, writes the slot, the status back to
//! `pending` and the audit row (`storage::reschedule`). The case is then an
//! ordinary pending case of the new slot's week; its postponement stays in
//! its history. Who may: the permission table's `reschedule` (chair,
//! secretary).

use super::DecideError;
use crate::domain::slot::{self, Slot};
use crate::domain::vocab::DecisionStatus;
use crate::storage::reschedule::{self, Rescheduled};
use crate::storage::{Db, StorageError, decisions, needs, read};

/// Gives case `case_id` the slot `to` (its room as typed: cleaned here).
/// With `expected_version` (the version the caller's view shows), a case
/// changed since is refused as a [`DecideError::Conflict`].
pub fn reschedule(
    db: &mut Db,
    case_id: i64,
    expected_version: Option<i64>,
    to: &Slot,
) -> Result<Rescheduled, DecideError> {
    let to = Slot {
        at: to.at,
        room: slot::read_room(&to.room).map_err(DecideError::BadSlot)?,
    };
    db.write_as(&needs::reschedule(case_id), |w| {
        decisions::check_version(w, case_id, expected_version)?;
        let case = read::by_id_in(w.tx(), case_id)?;
        if case.status != DecisionStatus::Postponed {
            return Err(DecideError::NotToReschedule {
                external_id: case.file.external_id.clone(),
                status: case.status,
            });
        }
        let today = w.clock().today();
        slot::check(to.at, today, case.file.patient.birth_date).map_err(DecideError::BadSlot)?;
        Ok(reschedule::apply(w, &case, &to)?)
    })
}

/// [`reschedule`] for the case named by its external id (the command
/// line), without a version check.
pub fn reschedule_external(
    db: &mut Db,
    external_id: &str,
    to: &Slot,
) -> Result<Rescheduled, DecideError> {
    let case_id = match read::by_external_id(db, external_id) {
        Ok(case) => case.id,
        Err(StorageError::NoCase(_)) => return Err(DecideError::NotFound(external_id.to_owned())),
        Err(e) => return Err(e.into()),
    };
    reschedule(db, case_id, None, to)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decide::{Request, decide};
    use crate::domain::record::DecisionKind;
    use crate::storage::audit;
    use chrono::NaiveDate;

    fn db() -> Db {
        let mut db = Db::open_in_memory(crate::testkit::clock()).expect("db");
        let cases = crate::testkit::fixture_cases();
        crate::import::save_all(&mut db, &cases, "test", crate::import::Absent::Clears)
            .expect("save");
        db
    }

    const CASE: &str = "SCH-2026-004501";

    fn slot(y: i32, m: u32, d: u32, h: u32, room: &str) -> Slot {
        Slot {
            at: NaiveDate::from_ymd_opt(y, m, d)
                .and_then(|d| d.and_hms_opt(h, 0, 0))
                .expect("slot"),
            room: room.into(),
        }
    }

    fn postpone(db: &mut Db, id: i64) {
        let to_week = "2026-W50".parse().expect("week");
        decide(
            db,
            id,
            None,
            Request::Postpone {
                reason: "scanner en panne".into(),
                to_week,
            },
        )
        .expect("postpone");
    }

    #[test]
    fn a_postponed_case_becomes_pending_in_its_new_slot_and_the_trail_says_from_what() {
        let mut db = db();
        let id = read::by_external_id(&db, CASE).expect("case").id;
        postpone(&mut db, id);
        let before = read::by_id(&db, id).expect("case");
        let done = reschedule(
            &mut db,
            id,
            Some(before.version),
            &slot(2026, 12, 15, 9, " Salle 2 "),
        )
        .expect("reschedule");
        assert_eq!(done.to.room, "Salle 2");
        assert_eq!(done.postponed_to.as_deref(), Some("2026-W50"));
        let after = read::by_id(&db, id).expect("case");
        assert_eq!(after.status, DecisionStatus::Pending);
        assert_eq!(after.postponed_to, None);
        assert_eq!(after.version, before.version + 1);
        assert_eq!(after.file.procedure.room, "Salle 2");
        assert_eq!(after.file.procedure.scheduled_at, done.to.at);
        // In the new week, an ordinary case; no longer to reschedule.
        let w51 = "2026-W51".parse().expect("week");
        assert!(
            read::week(&db, w51)
                .expect("week")
                .iter()
                .any(|c| c.id == id)
        );
        let w50 = "2026-W50".parse().expect("week");
        assert!(read::to_reschedule(&db, w50).expect("list").is_empty());
        // The postponement stays in the history, not undone.
        let kinds: Vec<_> = after
            .decisions
            .iter()
            .map(|d| (d.decision, d.undone))
            .collect();
        assert_eq!(kinds, [(DecisionKind::Postponed, false)]);
        let rows = audit::list(&db, Some(id)).expect("audit");
        let last = rows.last().expect("row");
        assert_eq!(last.action, "case.reschedule");
        let json = |s: &Option<String>| -> serde_json::Value {
            serde_json::from_str(s.as_deref().expect("value")).expect("json")
        };
        let (old, new) = (json(&last.old_value), json(&last.new_value));
        assert_eq!(
            old["scheduled_at"],
            before
                .file
                .procedure
                .scheduled_at
                .format("%Y-%m-%dT%H:%M")
                .to_string()
        );
        assert_eq!(old["room"], before.file.procedure.room);
        assert_eq!(
            (&old["status"], &old["postponed_to"]),
            (&"postponed".into(), &"2026-W50".into())
        );
        assert_eq!(
            (&new["scheduled_at"], &new["room"]),
            (&"2026-12-15T09:00".into(), &"Salle 2".into())
        );
        assert_eq!(new["status"], "pending");
    }

    #[test]
    fn only_a_postponed_case_within_the_bounds_and_nothing_written_on_refusal() {
        let mut db = db();
        let id = read::by_external_id(&db, CASE).expect("case").id;
        let n = audit::list(&db, None).expect("audit").len();
        let ok = slot(2026, 12, 15, 9, "Salle 2");
        assert!(matches!(
            reschedule(&mut db, id, None, &ok),
            Err(DecideError::NotToReschedule {
                status: DecisionStatus::Pending,
                ..
            })
        ));
        postpone(&mut db, id);
        let n = n + 1;
        let refusals = [
            (slot(2040, 1, 1, 9, "Salle 2"), "out of range"),
            (slot(1900, 1, 1, 9, "Salle 2"), "out of range"),
            (slot(2026, 12, 15, 9, " \u{200b}"), "room"),
        ];
        for (to, label) in refusals {
            let e = reschedule(&mut db, id, None, &to).expect_err(label);
            assert!(matches!(e, DecideError::BadSlot(_)), "{label}: {e}");
        }
        assert!(matches!(
            reschedule(&mut db, id, Some(1), &ok),
            Err(DecideError::Conflict { .. })
        ));
        assert!(matches!(
            reschedule_external(&mut db, "SCH-NOPE", &ok),
            Err(DecideError::NotFound(_))
        ));
        assert_eq!(audit::list(&db, None).expect("audit").len(), n);
    }

    #[test]
    fn after_a_reschedule_undo_reverts_only_what_was_decided_since() {
        let mut db = db();
        let id = read::by_external_id(&db, CASE).expect("case").id;
        postpone(&mut db, id);
        reschedule(&mut db, id, None, &slot(2026, 12, 15, 9, "Salle 2")).expect("reschedule");
        assert!(matches!(
            decide(&mut db, id, None, Request::Undo),
            Err(DecideError::NothingToUndoSinceRescheduled(_))
        ));
        let validate = Request::Validate {
            override_justification: Some("vu en séance".into()),
        };
        decide(&mut db, id, None, validate).expect("validate");
        let undone = decide(&mut db, id, None, Request::Undo).expect("undo");
        assert_eq!(undone.status, DecisionStatus::Pending);
        assert_eq!(undone.postponed_to, None);
        let case = read::by_id(&db, id).expect("case");
        assert_eq!(case.status, DecisionStatus::Pending);
        assert_eq!(case.file.procedure.room, "Salle 2");
    }
}
