//! Follow-ups, deaths and operator links at the storage layer: who may,
//! what a refusal leaves (nothing), the attempts, the conflicts, a death
//! recorded once.

use chrono::{NaiveDate, NaiveDateTime};

use super::*;
use crate::domain::outcome::{CirseGrade, Complication, FollowUp};
use crate::domain::roles::{Permission, Role, allows};
use crate::domain::vocab::{Analgesics, FollowUpKind};
use crate::storage::{Db, StorageError, identity, operators};
use crate::testkit::{clock, open_fixture};

const CASE: &str = "SCH-2026-004501";

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, DATETIME_FMT).expect("time")
}

/// The fixture with `CASE` performed on 2026-10-20 (an `outcomes` row
/// written as the day's helper would), the caller in `role`.
pub(crate) fn performed_as(role: Role) -> (tempfile::TempDir, Db) {
    let (dir, mut db) = open_fixture();
    perform(&mut db, CASE, "2026-10-20T10:00");
    set_role(&mut db, role);
    (dir, db)
}

/// Writes an `outcomes` row: `external_id` performed at `at`.
pub(crate) fn perform(db: &mut Db, external_id: &str, at: &str) {
    db.write(|w| {
        w.tx().execute(
            "INSERT INTO outcomes (case_id, performed, performed_at, operator, techniques,
               anaesthesia, recorded_at, recorded_by)
             SELECT id, 1, ?2, operator, techniques, anaesthesia, 'x', 'test'
             FROM cases WHERE external_id = ?1",
            [external_id, at],
        )?;
        Ok::<_, StorageError>(())
    })
    .expect("outcome");
}

pub(crate) fn set_role(db: &mut Db, role: Role) {
    let login = identity::login();
    db.write(|w| {
        w.tx().execute(
            "INSERT OR IGNORE INTO users (login, name, role, created_at) VALUES ('boss', 'Boss', 'chair', 'x')",
            [],
        )?;
        w.tx().execute(
            "UPDATE users SET role = ?2 WHERE login = ?1",
            [&login, role.as_str()],
        )?;
        Ok::<_, StorageError>(())
    })
    .expect("role");
}

fn call(reached: bool) -> FollowUp {
    FollowUp {
        kind: FollowUpKind::M1,
        called_at: at("2026-11-20T09:30"),
        reached,
        pain: reached.then_some(3),
        analgesics: reached.then_some(Analgesics::Decreased),
        morphine_mg_day: None,
        complication: None,
        attempts: 1,
    }
}

fn rows(db: &Db, table: &str) -> i64 {
    db.conn()
        .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .expect("count")
}

fn audited(db: &Db, action: &str, outcome: &str) -> usize {
    audit::list(db, None)
        .expect("audit")
        .iter()
        .filter(|r| r.action == action && r.outcome == outcome)
        .count()
}

#[test]
fn every_role_records_a_follow_up_or_is_refused_and_nothing_is_written() {
    for role in Role::ALL {
        let (_dir, mut db) = performed_as(role);
        let got = db.write(|w| record(w, CASE, &call(true), Seen::Unchecked));
        let death = db.write(|w| {
            record_death(
                w,
                "IPP-100201",
                NaiveDate::from_ymd_opt(2026, 11, 25).expect("day"),
            )
        });
        if allows(Some(role), Permission::RecordFollowUp) {
            assert!(got.is_ok(), "{role}: {got:?}");
            assert!(
                matches!(
                    death,
                    Ok(_) | Err(StorageError::FollowUp(Refusal::NoPatient(_)))
                ),
                "{role}: {death:?}"
            );
            assert_eq!(audited(&db, ACTION, "done"), 1, "{role}");
        } else {
            assert!(
                matches!(got, Err(StorageError::Forbidden { .. })),
                "{role}: {got:?}"
            );
            assert!(
                matches!(death, Err(StorageError::Forbidden { .. })),
                "{role}: {death:?}"
            );
            assert_eq!(rows(&db, "follow_ups"), 0, "{role}");
            assert_eq!(rows(&db, "deaths"), 0, "{role}");
            assert_eq!(audited(&db, ACTION, "refused"), 1, "{role}");
            assert_eq!(audited(&db, DEATH, "refused"), 1, "{role}");
        }
    }
}

#[test]
fn attempts_count_and_a_new_call_replaces_the_answers() {
    let (_dir, mut db) = performed_as(Role::Nurse);
    let first = db
        .write(|w| record(w, CASE, &call(false), Seen::Nothing))
        .expect("first");
    assert_eq!(
        (first.attempts, first.version, first.reached),
        (1, 1, false)
    );
    let second = db
        .write(|w| record(w, CASE, &call(false), Seen::Version(1)))
        .expect("second");
    assert_eq!((second.attempts, second.version), (2, 2));
    let mut reached = call(true);
    reached.complication = Some(Complication {
        grade: CirseGrade::new(2).expect("grade"),
        text: "hématome\u{200b} au point de ponction".into(),
    });
    let third = db
        .write(|w| record(w, CASE, &reached, Seen::Version(2)))
        .expect("third");
    assert_eq!((third.attempts, third.version, third.reached), (3, 3, true));
    let (pain, text, attempts): (Option<u8>, Option<String>, u32) = db
        .conn()
        .query_row(
            "SELECT pain, complication_text, attempts FROM follow_ups",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .expect("row");
    assert_eq!(
        (pain, text.as_deref(), attempts),
        (Some(3), Some("hématome au point de ponction"), 3)
    );
    assert_eq!(rows(&db, "follow_ups"), 1);
    assert_eq!(audited(&db, ACTION, "done"), 3);
}

#[test]
fn a_stale_version_is_a_conflict_and_writes_nothing() {
    let (_dir, mut db) = performed_as(Role::Radiologist);
    db.write(|w| record(w, CASE, &call(false), Seen::Nothing))
        .expect("first");
    for seen in [Seen::Nothing, Seen::Version(7)] {
        let got = db.write(|w| record(w, CASE, &call(true), seen));
        assert!(
            matches!(got, Err(StorageError::Conflict { found: 1, .. })),
            "{seen:?}: {got:?}"
        );
    }
    let reached: bool = db
        .conn()
        .query_row("SELECT reached FROM follow_ups", [], |r| r.get(0))
        .expect("row");
    assert!(!reached);
    assert_eq!(audited(&db, ACTION, "done"), 1);
}

#[test]
fn only_a_performed_procedure_is_followed_up_and_answers_are_checked() {
    let (_dir, mut db) = performed_as(Role::Chair);
    let not_done = db.write(|w| record(w, "SCH-2026-004502", &call(true), Seen::Unchecked));
    assert!(
        matches!(
            not_done,
            Err(StorageError::FollowUp(Refusal::NotPerformed { .. }))
        ),
        "{not_done:?}"
    );
    let mut early = call(true);
    early.called_at = at("2026-10-19T09:00");
    let got = db.write(|w| record(w, CASE, &early, Seen::Unchecked));
    assert!(
        matches!(
            got,
            Err(StorageError::FollowUp(Refusal::BeforeProcedure { .. }))
        ),
        "{got:?}"
    );
    let mut answers = call(false);
    answers.pain = Some(4);
    let got = db.write(|w| record(w, CASE, &answers, Seen::Unchecked));
    assert!(
        matches!(got, Err(StorageError::FollowUp(Refusal::Invalid(_)))),
        "{got:?}"
    );
    let got = db.write(|w| record(w, "NOPE", &call(true), Seen::Unchecked));
    assert!(matches!(got, Err(StorageError::NoCase(_))), "{got:?}");
    assert_eq!(rows(&db, "follow_ups"), 0);
}

#[test]
fn a_death_is_recorded_once_and_audited_with_the_patient() {
    let (_dir, mut db) = performed_as(Role::Nurse);
    let ipp: String = db
        .conn()
        .query_row(
            "SELECT p.ipp FROM cases c JOIN patients p ON p.id = c.patient_id WHERE c.external_id = ?1",
            [CASE],
            |r| r.get(0),
        )
        .expect("ipp");
    let on = NaiveDate::from_ymd_opt(2026, 11, 24).expect("day");
    let future = clock().today().succ_opt().expect("day");
    let got = db.write(|w| record_death(w, &ipp, future));
    assert!(
        matches!(
            got,
            Err(StorageError::FollowUp(Refusal::DeathInFuture { .. }))
        ),
        "{got:?}"
    );
    let death = db.write(|w| record_death(w, &ipp, on)).expect("death");
    assert_eq!(death.died_on, on);
    let again = db.write(|w| record_death(w, &ipp, clock().today()));
    match again {
        Err(StorageError::FollowUp(Refusal::AlreadyDead { on: recorded, .. })) => {
            assert_eq!(recorded, on)
        }
        other => panic!("{other:?}"),
    }
    let message = crate::text::followup::refusal(
        crate::text::Lang::En,
        &Refusal::AlreadyDead {
            ipp: ipp.clone(),
            on,
        },
    );
    assert!(
        message.contains("2026-11-24") || message.contains("24"),
        "{message}"
    );
    let (patient, case): (Option<i64>, Option<i64>) = db
        .conn()
        .query_row(
            "SELECT patient_id, case_id FROM audit WHERE action = ?1",
            [DEATH],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("audit row");
    assert_eq!((patient, case), (Some(death.patient_id), None));
    assert_eq!(deaths(db.conn()).expect("deaths").get(&ipp), Some(&on));
    let got = db.write(|w| record_death(w, "NOPE", on));
    assert!(
        matches!(got, Err(StorageError::FollowUp(Refusal::NoPatient(_)))),
        "{got:?}"
    );
}

#[test]
fn the_call_list_reads_only_for_who_may() {
    for role in Role::ALL {
        let (_dir, db) = performed_as(role);
        let got = inputs(&db);
        let may = crate::domain::roles::reads(Some(role), crate::domain::roles::Read::FollowUps);
        assert_eq!(got.is_ok(), may.is_some(), "{role}");
        if let Ok(i) = got {
            assert_eq!(i.procedures.len(), 1);
            assert_eq!(i.procedures[0].external_id, CASE);
        }
    }
}

#[test]
fn a_chair_links_operators_by_their_folded_name() {
    let (_dir, mut db) = performed_as(Role::Chair);
    let me = identity::login();
    db.write(|w| operators::link(w, "Dr  Martin ", &me))
        .expect("link");
    // The same name folded: the link is replaced, not doubled.
    db.write(|w| operators::link(w, "DR MARTIN", "boss"))
        .expect("relink");
    let links = operators::list(&db).expect("list");
    assert_eq!(links.len(), 1);
    assert_eq!(links[0].login, "boss");
    assert_eq!(
        operators_of(&db, "boss").expect("mine"),
        vec!["dr martin".to_owned()]
    );
    let got = db.write(|w| operators::link(w, "Dr Roux", "nobody"));
    assert!(
        matches!(got, Err(StorageError::FollowUp(Refusal::NoUser(_)))),
        "{got:?}"
    );
    let got = db.write(|w| operators::link(w, " \u{200b} ", "boss"));
    assert!(
        matches!(got, Err(StorageError::FollowUp(Refusal::NoOperator))),
        "{got:?}"
    );
    db.write(|w| operators::unlink(w, "dr martin"))
        .expect("unlink");
    let got = db.write(|w| operators::unlink(w, "dr martin"));
    assert!(
        matches!(got, Err(StorageError::FollowUp(Refusal::NoLink(_)))),
        "{got:?}"
    );
    assert_eq!(audited(&db, operators::LINK, "done"), 2);
    assert_eq!(audited(&db, operators::UNLINK, "done"), 1);
    set_role(&mut db, Role::Radiologist);
    let got = db.write(|w| operators::link(w, "Dr Martin", "boss"));
    assert!(
        matches!(got, Err(StorageError::Forbidden { .. })),
        "{got:?}"
    );
    assert_eq!(rows(&db, "operator_links"), 0);
}

/// The list reads the procedures of its horizon only (120 days before the
/// file's today, 2026-11-26: from 2026-07-29), with their follow-ups.
#[test]
fn the_call_list_reads_the_procedures_of_its_horizon_only() {
    let (_dir, mut db) = performed_as(Role::Chair);
    let others: Vec<String> = db
        .conn()
        .prepare("SELECT external_id FROM cases WHERE external_id != ?1 ORDER BY id LIMIT 2")
        .and_then(|mut s| {
            s.query_map([CASE], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<String>>>()
        })
        .expect("cases");
    perform(&mut db, &others[0], "2026-07-29T08:00");
    perform(&mut db, &others[1], "2026-07-28T23:59");
    let got = inputs(&db).expect("inputs");
    let mut ids: Vec<&str> = got
        .procedures
        .iter()
        .map(|p| p.external_id.as_str())
        .collect();
    ids.sort_unstable();
    let mut want = vec![CASE, others[0].as_str()];
    want.sort_unstable();
    assert_eq!(ids, want);
}

/// The board's count of overdue calls is the call list's, at the window's
/// edge (J+42 due, J+43 overdue), with a call that reached the patient
/// (gone), one that did not (still overdue) and a patient who died (gone).
#[test]
fn the_overdue_count_is_the_lists() {
    use crate::domain::followup::{calls, overdue};
    let (_dir, mut db) = open_fixture();
    let today = crate::testkit::today();
    let day = |n: u64| {
        (today - chrono::Days::new(n))
            .format("%Y-%m-%dT10:00")
            .to_string()
    };
    let count = |db: &Db| {
        let i = inputs(db).expect("inputs");
        let list = overdue(&calls(&i.procedures, &i.recorded, &i.deceased, today));
        (overdue_count(db, today).expect("count"), list)
    };
    assert_eq!(count(&db), (0, 0));
    // J+42: due, not overdue.
    perform(&mut db, "SCH-2026-004501", &day(42));
    assert_eq!(count(&db), (0, 0));
    // J+43: overdue.
    perform(&mut db, "SCH-2026-004502", &day(43));
    assert_eq!(count(&db), (1, 1));
    perform(&mut db, "SCH-2026-004503", &day(100));
    perform(&mut db, "SCH-2026-004504", &day(100));
    perform(&mut db, "SCH-2026-004505", &day(60));
    assert_eq!(count(&db), (4, 4));
    let mut m1 = call(true);
    m1.called_at = at(&day(1));
    db.write(|w| record(w, "SCH-2026-004503", &m1, Seen::Unchecked))
        .expect("reached");
    let mut j1 = call(true);
    j1.kind = FollowUpKind::J1;
    j1.called_at = at(&day(1));
    db.write(|w| record(w, "SCH-2026-004502", &j1, Seen::Unchecked))
        .expect("a J+1 does not close the M1");
    let mut missed = call(false);
    missed.called_at = at(&day(1));
    db.write(|w| record(w, "SCH-2026-004504", &missed, Seen::Unchecked))
        .expect("not reached");
    assert_eq!(count(&db), (3, 3));
    let ipp: String = db
        .conn()
        .query_row(
            "SELECT p.ipp FROM cases c JOIN patients p ON p.id = c.patient_id
             WHERE c.external_id = 'SCH-2026-004505'",
            [],
            |r| r.get(0),
        )
        .expect("ipp");
    db.write(|w| record_death(w, &ipp, today)).expect("death");
    assert_eq!(count(&db), (2, 2));
    // Past the list's horizon (J+121): off the list and the count.
    perform(&mut db, "SCH-2026-004506", &day(121));
    assert_eq!(count(&db), (2, 2));
    perform(&mut db, "SCH-2026-004507", &day(120));
    assert_eq!(count(&db), (3, 3));
    // A role that may not read the calls gets no count.
    set_role(&mut db, Role::Viewer);
    assert!(matches!(
        overdue_count(&db, today),
        Err(StorageError::ReadForbidden { .. })
    ));
}

/// An unanswered call after a reached one is refused: it would erase the
/// answers; a reached call corrects them.
#[test]
fn an_unanswered_call_never_erases_a_reached_one() {
    let (_dir, mut db) = performed_as(Role::Nurse);
    db.write(|w| record(w, CASE, &call(true), Seen::Nothing))
        .expect("reached");
    let before = rows(&db, "follow_ups");
    let got = db.write(|w| record(w, CASE, &call(false), Seen::Version(1)));
    assert!(
        matches!(
            got,
            Err(StorageError::FollowUp(Refusal::AlreadyReached { .. }))
        ),
        "{got:?}"
    );
    let (reached, pain): (bool, Option<u8>) = db
        .conn()
        .query_row(
            "SELECT reached, pain FROM follow_ups WHERE kind = 'm1'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("row");
    assert!(reached && pain.is_some());
    assert_eq!(rows(&db, "follow_ups"), before);
    let mut again = call(true);
    again.pain = Some(1);
    db.write(|w| record(w, CASE, &again, Seen::Version(1)))
        .expect("a correction");
}

/// An M1 call is one from J+28: J+27 is refused, J+28 recorded (the case
/// was performed on 2026-10-20).
#[test]
fn an_m1_call_before_its_window_is_refused() {
    let (_dir, mut db) = performed_as(Role::Nurse);
    let mut early = call(true);
    early.called_at = at("2026-11-16T10:00");
    let got = db.write(|w| record(w, CASE, &early, Seen::Nothing));
    assert!(
        matches!(got, Err(StorageError::FollowUp(Refusal::M1TooEarly { .. }))),
        "{got:?}"
    );
    let mut first_day = call(true);
    first_day.called_at = at("2026-11-17T10:00");
    db.write(|w| record(w, CASE, &first_day, Seen::Nothing))
        .expect("J+28");
}
