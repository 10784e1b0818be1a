//! The day of a procedure at the storage layer: who may, the rules' edges
//! (validated, scheduled today or before, not later than now), the
//! versions, the audit rows, and what `read` loads into the case.

use chrono::NaiveDateTime;

use super::*;
use crate::domain::outcome::{CirseGrade, Complication, Invalid, NotPerformed, Performed};
use crate::domain::roles::{Permission, Role, allows};
use crate::domain::vocab::{Anaesthesia, ReasonCode, Technique};
use crate::storage::followup::tests::set_role;
use crate::storage::{Db, StorageError, read};
use crate::testkit::open_fixture;

const CASE: &str = "SCH-2026-004501";

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, DATETIME_FMT).expect("time")
}

/// Sets `CASE`'s status and scheduled time as the committee and the
/// programme would have.
fn set_case(db: &mut Db, status: &str, scheduled_at: &str) {
    db.write(|w| {
        w.tx().execute(
            "UPDATE cases SET status = ?2, scheduled_at = ?3 WHERE external_id = ?1",
            [CASE, status, scheduled_at],
        )?;
        Ok::<_, StorageError>(())
    })
    .expect("case");
}

/// The fixture (today 2026-11-26, Europe/Paris) with `CASE` validated and
/// scheduled on 2026-11-24, the caller in `role`.
fn validated_as(role: Role) -> (tempfile::TempDir, Db) {
    let (dir, mut db) = open_fixture();
    set_case(&mut db, "validated", "2026-11-24T09:00");
    set_role(&mut db, role);
    (dir, db)
}

fn performed(when: &str) -> Outcome {
    Outcome::Performed(Performed {
        at: at(when),
        operator: "Dr Martin\u{200b}".into(),
        techniques: vec![Technique::Vertebroplasty],
        anaesthesia: Anaesthesia::Local,
        duration_min: Some(45),
    })
}

fn not_performed(reason: ReasonCode, text: Option<&str>) -> Outcome {
    Outcome::NotPerformed(NotPerformed {
        reason,
        text: text.map(str::to_owned),
    })
}

fn grade(g: u8, text: &str) -> Complication {
    Complication {
        grade: CirseGrade::new(g).expect("grade"),
        text: text.into(),
    }
}

fn audited(db: &Db, action: &str, outcome: &str) -> Vec<audit::AuditRow> {
    audit::list(db, None)
        .expect("audit")
        .into_iter()
        .filter(|r| r.action == action && r.outcome == outcome)
        .collect()
}

fn rows(db: &Db) -> i64 {
    db.conn()
        .query_row("SELECT count(*) FROM outcomes", [], |r| r.get(0))
        .expect("count")
}

#[test]
fn every_role_records_the_day_and_its_complication_or_is_refused() {
    for role in Role::ALL {
        let (_dir, mut db) = validated_as(role);
        let got =
            db.write(|w| record_outcome(w, CASE, &performed("2026-11-24T09:30"), Seen::Nothing));
        if allows(Some(role), Permission::RecordOutcome) {
            assert_eq!(
                got.as_ref().map(|s| s.version).ok(),
                Some(1),
                "{role}: {got:?}"
            );
            assert_eq!(audited(&db, ACTION, "done").len(), 1, "{role}");
        } else {
            assert!(
                matches!(got, Err(StorageError::Forbidden { .. })),
                "{role}: {got:?}"
            );
            assert_eq!(rows(&db), 0, "{role}");
            assert_eq!(audited(&db, ACTION, "refused").len(), 1, "{role}");
            // The complication needs a performed procedure: written apart.
            crate::storage::followup::tests::perform(&mut db, CASE, "2026-11-24T09:30");
        }
        let seen = Seen::Unchecked;
        let got = db.write(|w| set_complication(w, CASE, &grade(2, "hématome"), seen));
        if allows(Some(role), Permission::RecordComplication) {
            assert!(got.is_ok(), "{role}: {got:?}");
            assert_eq!(audited(&db, COMPLICATION, "done").len(), 1, "{role}");
        } else {
            assert!(
                matches!(got, Err(StorageError::Forbidden { .. })),
                "{role}: {got:?}"
            );
            assert_eq!(audited(&db, COMPLICATION, "refused").len(), 1, "{role}");
            let grade: Option<u8> = db
                .conn()
                .query_row("SELECT complication_grade FROM outcomes", [], |r| r.get(0))
                .expect("row");
            assert_eq!(grade, None, "{role}: nothing written");
        }
    }
}

/// The rules' edges: (status, scheduled at, the outcome, the refusal
/// expected or None).
#[test]
#[rustfmt::skip] // one row per case
fn only_a_validated_case_on_or_after_its_day_and_not_later_than_now() {
    type Want = Option<fn(&StorageError) -> bool>;
    let not_validated: Want = Some(|e| matches!(e, StorageError::Day(DayRefusal::NotValidated { .. })));
    let not_yet: Want = Some(|e| matches!(e, StorageError::Day(DayRefusal::NotYet { .. })));
    let future: Want = Some(|e| matches!(e, StorageError::Day(DayRefusal::InFuture { .. })));
    let other: Want = Some(|e| matches!(e, StorageError::Day(DayRefusal::Invalid(Invalid::OtherWithoutText))));
    let none: Want = Some(|e| matches!(e, StorageError::Day(DayRefusal::Invalid(Invalid::NoTechnique))));
    let mut no_technique = performed("2026-11-24T09:30");
    if let Outcome::Performed(p) = &mut no_technique { p.techniques.clear(); }
    let table: Vec<(&str, &str, Outcome, Want)> = vec![
        ("validated", "2026-11-24T09:00", performed("2026-11-24T09:30"), None),
        // Today (the fixed clock's now: 13:00 in Paris).
        ("validated", "2026-11-26T08:00", performed("2026-11-26T12:59"), None),
        ("validated", "2026-11-26T08:00", performed("2026-11-26T13:00"), None),
        ("validated", "2026-11-26T08:00", performed("2026-11-26T13:01"), future),
        ("validated", "2026-11-26T08:00", not_performed(ReasonCode::MissingTest, None), None),
        ("validated", "2026-11-27T08:00", not_performed(ReasonCode::MissingTest, None), not_yet),
        ("validated", "2026-11-27T08:00", performed("2026-11-26T09:00"), not_yet),
        ("pending", "2026-11-24T09:00", performed("2026-11-24T09:30"), not_validated),
        ("postponed", "2026-11-24T09:00", not_performed(ReasonCode::Consent, None), not_validated),
        ("cancelled", "2026-11-24T09:00", not_performed(ReasonCode::Consent, None), not_validated),
        ("validated", "2026-11-24T09:00", not_performed(ReasonCode::Other, Some(" \u{200b}")), other),
        ("validated", "2026-11-24T09:00", not_performed(ReasonCode::Other, Some("panne")), None),
        ("validated", "2026-11-24T09:00", no_technique, none),
    ];
    for (status, scheduled, outcome, want) in table {
        let (_dir, mut db) = open_fixture();
        set_case(&mut db, status, scheduled);
        set_role(&mut db, Role::Radiographer);
        let got = db.write(|w| record_outcome(w, CASE, &outcome, Seen::Nothing));
        match want {
            None => assert!(got.is_ok(), "{status} {scheduled} {outcome:?}: {got:?}"),
            Some(refusal) => {
                let e = got.expect_err(&format!("refused: {status} {scheduled} {outcome:?}"));
                assert!(refusal(&e), "{status} {scheduled} {outcome:?}: {e:?}");
                assert_eq!(e.to_string().lines().count(), 1, "{e}");
                assert_eq!(rows(&db), 0, "nothing written");
                assert!(audited(&db, ACTION, "done").is_empty());
            }
        }
    }
}

#[test]
fn a_stale_version_is_a_conflict_and_the_case_shows_its_day() {
    let (_dir, mut db) = validated_as(Role::Chair);
    let first = db
        .write(|w| record_outcome(w, CASE, &performed("2026-11-24T09:30"), Seen::Nothing))
        .expect("first");
    assert_eq!(first.version, 1);
    for seen in [Seen::Nothing, Seen::Version(7)] {
        let got = db
            .write(|w| record_outcome(w, CASE, &not_performed(ReasonCode::Equipment, None), seen));
        assert!(
            matches!(
                got,
                Err(StorageError::Conflict {
                    expected: _,
                    found: 1,
                    ..
                })
            ),
            "{seen:?}: {got:?}"
        );
    }
    let got = db.write(|w| set_complication(w, CASE, &grade(3, "x"), Seen::Version(0)));
    assert!(
        matches!(got, Err(StorageError::Conflict { found: 1, .. })),
        "{got:?}"
    );
    let second = db
        .write(|w| {
            set_complication(
                w,
                CASE,
                &grade(3, "embolie\u{7} de ciment"),
                Seen::Version(1),
            )
        })
        .expect("complication");
    assert_eq!(second.version, 2);
    // Not performed over a complication: refused.
    let got = db.write(|w| {
        record_outcome(
            w,
            CASE,
            &not_performed(ReasonCode::Equipment, None),
            Seen::Version(2),
        )
    });
    assert!(
        matches!(
            got,
            Err(StorageError::Day(DayRefusal::ComplicationRecorded { .. }))
        ),
        "{got:?}"
    );
    let case = read::by_external_id(&db, CASE).expect("case");
    let day = case.day.expect("day loaded");
    assert_eq!(day.version, 2);
    assert_eq!(
        day.record.complication,
        Some(grade(3, "embolie de ciment")),
        "the text cleaned where it enters"
    );
    match day.record.outcome {
        Outcome::Performed(p) => {
            assert_eq!(p.operator, "Dr Martin");
            assert_eq!(p.at, at("2026-11-24T09:30"));
            assert_eq!(p.techniques, [Technique::Vertebroplasty]);
            assert_eq!(p.duration_min, Some(45));
        }
        other => panic!("{other:?}"),
    }
    // The audit rows: the outcome (no old row), the complication (old → new).
    let outcome = audited(&db, ACTION, "done");
    assert_eq!(outcome.len(), 1);
    assert!(outcome[0].old_value.is_none());
    let new = outcome[0].new_value.as_deref().unwrap_or_default();
    assert!(
        new.contains("\"performed\":true") && new.contains("vertebroplasty"),
        "{new}"
    );
    let complication = audited(&db, COMPLICATION, "done");
    assert_eq!(complication.len(), 1);
    assert!(
        complication[0]
            .old_value
            .as_deref()
            .unwrap_or_default()
            .contains("\"complication_grade\":null")
    );
    assert!(
        complication[0]
            .new_value
            .as_deref()
            .unwrap_or_default()
            .contains("\"complication_grade\":3")
    );
}

#[test]
fn a_complication_needs_a_performed_procedure_and_a_text() {
    let (_dir, mut db) = validated_as(Role::Anaesthetist);
    let got = db.write(|w| set_complication(w, CASE, &grade(1, "x"), Seen::Unchecked));
    assert!(
        matches!(got, Err(StorageError::Day(DayRefusal::NotPerformed { .. }))),
        "{got:?}"
    );
    set_role(&mut db, Role::Secretary);
    db.write(|w| {
        record_outcome(
            w,
            CASE,
            &not_performed(ReasonCode::DrugNotStopped, None),
            Seen::Nothing,
        )
    })
    .expect("not performed");
    set_role(&mut db, Role::Anaesthetist);
    let got = db.write(|w| set_complication(w, CASE, &grade(1, "x"), Seen::Unchecked));
    assert!(
        matches!(got, Err(StorageError::Day(DayRefusal::NotPerformed { .. }))),
        "{got:?}"
    );
    set_role(&mut db, Role::Secretary);
    db.write(|w| record_outcome(w, CASE, &performed("2026-11-24T10:00"), Seen::Version(1)))
        .expect("performed after all");
    set_role(&mut db, Role::Anaesthetist);
    let got = db.write(|w| set_complication(w, CASE, &grade(1, "\u{200b} "), Seen::Unchecked));
    assert!(
        matches!(
            got,
            Err(StorageError::Day(DayRefusal::Invalid(
                Invalid::ComplicationWithoutText
            )))
        ),
        "{got:?}"
    );
}

/// A procedure whose follow-up calls are recorded cannot become "not
/// performed" (the calls would be about a procedure never done).
#[test]
fn not_performed_over_recorded_calls_is_refused() {
    let (_dir, mut db) = validated_as(Role::Chair);
    let saved = db
        .write(|w| record_outcome(w, CASE, &performed("2026-11-24T09:00"), Seen::Nothing))
        .expect("performed");
    let call = crate::domain::outcome::FollowUp {
        kind: crate::domain::vocab::FollowUpKind::J1,
        called_at: at("2026-11-25T10:00"),
        reached: false,
        pain: None,
        analgesics: None,
        morphine_mg_day: None,
        complication: None,
        attempts: 0,
    };
    db.write(|w| {
        crate::storage::followup::record(w, CASE, &call, crate::storage::followup::Seen::Nothing)
    })
    .expect("a call");
    let got = db.write(|w| {
        record_outcome(
            w,
            CASE,
            &not_performed(ReasonCode::Equipment, None),
            Seen::Version(saved.version),
        )
    });
    assert!(
        matches!(
            got,
            Err(StorageError::Day(DayRefusal::FollowUpsRecorded { .. }))
        ),
        "{got:?}"
    );
}
