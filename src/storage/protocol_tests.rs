//! The protocol's version, approvals and history (issue 17).

use super::*;
use crate::domain::protocol::{Side, State};
use crate::domain::roles::Role;
use crate::domain::rules::Severity;
use crate::domain::vocab::{BleedingRisk, Technique};
use crate::storage::rules::{Change as RuleChange, set, set_technique_risk};
use crate::storage::{Db, exports, identity};
use crate::testkit::clock;

fn db() -> Db {
    Db::open_in_memory(clock()).expect("in-memory database")
}

fn set_max_age(db: &mut Db, value: f64) -> bool {
    crate::testkit::set_rule(db, "imaging.max_age", value)
}

fn status_of(db: &Db) -> crate::domain::protocol::Status {
    status(db.conn()).expect("status")
}

#[test]
fn a_new_file_is_version_1_never_approved() {
    let db = db();
    let s = status_of(&db);
    assert_eq!(s.version, 1);
    assert_eq!(s.state(), State::NeverApproved);
    assert!(history(db.conn()).expect("history").is_empty());
}

#[test]
fn each_change_raises_the_version_and_the_same_value_again_does_not() {
    let mut db = db();
    assert!(set_max_age(&mut db, 60.0));
    assert_eq!(status_of(&db).version, 2);
    assert!(!set_max_age(&mut db, 60.0), "the same value writes nothing");
    assert_eq!(status_of(&db).version, 2);
    db.write(|w| set_technique_risk(w, Technique::Neurolysis, BleedingRisk::Low, None))
        .expect("risk");
    assert_eq!(status_of(&db).version, 3);
    // Unchanged risk: no new version.
    db.write(|w| set_technique_risk(w, Technique::Neurolysis, BleedingRisk::Low, None))
        .expect("risk");
    assert_eq!(status_of(&db).version, 3);
    // A refused change (a value out of range) raises nothing.
    assert!(
        db.write(|w| set(
            w,
            &RuleChange {
                rule: "imaging.max_age".into(),
                subject: "*".into(),
                risk: "*".into(),
                value: Some(-1.0),
                severity: None,
                expected_version: None,
            }
        ))
        .is_err()
    );
    assert_eq!(status_of(&db).version, 3);
    // The history has one change per version, read back.
    let h = history(db.conn()).expect("history");
    assert_eq!(h.iter().map(|c| c.version).collect::<Vec<_>>(), [2, 3]);
    assert_eq!(
        h[0].old,
        Side::Value {
            value: Some(42.0),
            severity: Severity::Blocking
        }
    );
    assert_eq!(
        h[1].new,
        Side::Risk {
            risk: BleedingRisk::Low
        }
    );
    assert!(h.iter().all(|c| c.approved_in.is_none()));
    // The audit trail still verifies (the meta row is claimed).
    let verdict = crate::storage::audit::verify_live(&db).expect("verify");
    assert!(
        matches!(verdict, crate::storage::audit::LiveVerdict::Match { .. }),
        "{verdict:?}"
    );
}

#[test]
fn an_approval_covers_the_changes_before_it_and_a_change_after_reopens_it() {
    let mut db = db();
    set_max_age(&mut db, 60.0);
    let a = db
        .write(|w| approve_current(w, "  relu en comité\u{7}  "))
        .expect("approve");
    assert_eq!(a.version, 2);
    assert_eq!(
        a.note, "relu en comité",
        "trimmed, control characters stripped"
    );
    assert_eq!(a.login, identity::login());
    assert!(a.week.is_none() && a.attendance.is_empty());
    assert_eq!(status_of(&db).state(), State::Approved);
    // Again: refused, nothing written.
    match db.write(|w| approve_current(w, "encore")) {
        Err(StorageError::AlreadyApproved { version, .. }) => assert_eq!(version, 2),
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(approvals(db.conn()).expect("approvals").len(), 1);
    set_max_age(&mut db, 30.0);
    let s = status_of(&db);
    assert_eq!((s.version, s.state()), (3, State::ModifiedSinceApproval));
    let h = history(db.conn()).expect("history");
    assert_eq!(
        h.iter().map(|c| c.approved_in).collect::<Vec<_>>(),
        [Some(2), None]
    );
    db.write(|w| approve_current(w, "v3")).expect("approve");
    let h = history(db.conn()).expect("history");
    assert_eq!(h[1].approved_in, Some(3));
    let audited = crate::storage::audit::list(&db, None)
        .expect("audit")
        .into_iter()
        .filter(|r| r.action == APPROVE_ACTION)
        .count();
    assert_eq!(audited, 2);
}

#[test]
fn a_note_is_required_and_bounded() {
    let mut db = db();
    for empty in ["", "   ", "\u{1b}\u{7}"] {
        assert!(
            matches!(
                db.write(|w| approve_current(w, empty)),
                Err(StorageError::ApprovalNote(None))
            ),
            "{empty:?}"
        );
    }
    let long = "é".repeat(2001);
    assert!(matches!(
        db.write(|w| approve_current(w, &long)),
        Err(StorageError::ApprovalNote(Some(2001)))
    ));
    assert!(db.write(|w| approve_current(w, &"é".repeat(2000))).is_ok());
}

#[test]
fn the_meetings_attendance_of_the_day_is_kept_with_the_approval() {
    let mut db = db();
    let week = "2026-W49".parse().expect("week");
    let people = [
        exports::Person {
            name: "Dr Anne Salle".into(),
            login: None,
            role: Some(Role::Anaesthetist),
        },
        exports::Person {
            name: "Dr Rémi Radio".into(),
            login: None,
            role: Some(Role::Radiologist),
        },
    ];
    db.write(|w| exports::set_meeting(w, week, clock().today(), &people))
        .expect("meeting");
    let a = db.write(|w| approve_current(w, "relu")).expect("approve");
    assert_eq!(a.week.as_deref(), Some("2026-W49"));
    assert_eq!(a.attendance.len(), 2);
    assert_eq!(a.attendance[0].role, Some(Role::Anaesthetist));
    // Read back the same.
    assert_eq!(approvals(db.conn()).expect("approvals"), vec![a]);
}

#[test]
fn only_a_chair_approves() {
    let mut db = db();
    crate::testkit::demote(&mut db, Role::Radiologist);
    assert!(matches!(
        db.write(|w| approve_current(w, "relu")),
        Err(StorageError::Forbidden { .. })
    ));
    assert!(approvals(db.conn()).expect("approvals").is_empty());
}

#[test]
fn the_version_is_never_set_by_hand() {
    let mut db = db();
    assert!(db.write(|w| w.set_meta(VERSION_KEY, "1")).is_err());
    assert_eq!(status_of(&db).version, 1);
}

#[test]
fn a_file_from_before_the_protocol_counts_its_audited_changes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("old.sqlite");
    {
        let mut db = Db::create(&path, clock(), &crate::testkit::demo_init()).expect("create");
        set_max_age(&mut db, 60.0);
        set_max_age(&mut db, 30.0);
        // Back to the version before migration 33.
        db.conn()
            .execute_batch(
                "DROP TABLE protocol_approvals;
                 DROP INDEX audit_rules;
                 DELETE FROM meta WHERE key = 'protocol_version';
                 PRAGMA user_version = 32;",
            )
            .expect("rewind");
    }
    let db = Db::open(&path, clock()).expect("migrate");
    let s = status_of(&db);
    assert_eq!((s.version, s.state()), (3, State::NeverApproved));
    let h = history(db.conn()).expect("history");
    assert_eq!(h.iter().map(|c| c.version).collect::<Vec<_>>(), [2, 3]);
    let verdict = crate::storage::audit::verify_live(&db).expect("verify");
    assert!(
        matches!(verdict, crate::storage::audit::LiveVerdict::Match { .. }),
        "{verdict:?}"
    );
}

#[test]
fn an_approval_names_the_version_reviewed_and_is_refused_once_the_table_moved_on() {
    let mut db = db();
    set_max_age(&mut db, 60.0);
    // The reviewers read v1; the table is at v2.
    let req = Request {
        reviewed: 1,
        note: "relu",
        meeting: None,
        fingerprint: None,
    };
    match db.write(|w| approve(w, &req)) {
        Err(StorageError::ApprovalStale { reviewed, found }) => {
            assert_eq!((reviewed, found), (1, 2))
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert!(approvals(db.conn()).expect("approvals").is_empty());
    let req = Request { reviewed: 2, ..req };
    assert_eq!(db.write(|w| approve(w, &req)).expect("approve").version, 2);
}

#[test]
fn rules_or_a_zone_changed_outside_a_version_turn_the_approval_amber() {
    let mut db = db();
    db.write(|w| approve_current(w, "relu")).expect("approve");
    assert_eq!(status_of(&db).state(), State::Approved);
    // A hand edit (the sqlite3 shell): no new version, other rules.
    db.write(|w| {
        w.tx()
            .execute_batch("UPDATE rules SET value = 90 WHERE rule = 'imaging.max_age'")
            .map_err(StorageError::from)
    })
    .expect("edit");
    let s = status_of(&db);
    assert_eq!((s.version, s.state()), (1, State::ChangedOutsideVersion));
    assert!(s.needs_review());
    // Approved again as it stands: the same version, with the new
    // fingerprint the reviewers read.
    let req = Request {
        reviewed: 1,
        note: "relu après la correction",
        meeting: None,
        fingerprint: Some(s.digest.as_str()),
    };
    db.write(|w| approve(w, &req)).expect("approve again");
    assert_eq!(status_of(&db).state(), State::Approved);
    // The hospital's zone dates every window: a change of it too.
    db.write(|w| crate::storage::zone::set_timezone(w, chrono_tz::America::New_York))
        .expect("zone");
    assert_eq!(status_of(&db).state(), State::ChangedOutsideVersion);
}

#[test]
fn several_meetings_today_are_refused_unless_one_is_named() {
    let mut db = db();
    for week in ["2026-W49", "2026-W50"] {
        let person = exports::Person {
            name: format!("Dr {week}"),
            login: None,
            role: Some(Role::Radiologist),
        };
        db.write(|w| {
            exports::set_meeting(w, week.parse().expect("week"), clock().today(), &[person])
        })
        .expect("meeting");
    }
    match db.write(|w| approve_current(w, "relu")) {
        Err(StorageError::ApprovalMeeting {
            named: None,
            held_today,
        }) => {
            assert_eq!(held_today, ["2026-W49", "2026-W50"]);
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    let named = |week: &str| Request {
        reviewed: 1,
        note: "relu",
        meeting: Some(week.parse().expect("week")),
        fingerprint: None,
    };
    assert!(matches!(
        db.write(|w| approve(w, &named("2026-W40"))),
        Err(StorageError::ApprovalMeeting { named: Some(_), .. })
    ));
    let a = db
        .write(|w| approve(w, &named("2026-W50")))
        .expect("approve");
    assert_eq!(a.week.as_deref(), Some("2026-W50"));
    assert_eq!(a.attendance[0].name, "Dr 2026-W50");
}

#[test]
fn a_flag_rule_takes_no_value() {
    let mut db = db();
    let change = RuleChange {
        rule: "consent.required".into(),
        subject: "*".into(),
        risk: "*".into(),
        value: Some(5.0),
        severity: None,
        expected_version: None,
    };
    assert!(matches!(
        db.write(|w| set(w, &change)),
        Err(StorageError::RuleRefused { .. })
    ));
    assert_eq!(status_of(&db).version, 1);
}

#[test]
fn a_counter_that_disagrees_with_the_trail_is_refused_not_misread() {
    let mut db = db();
    set_max_age(&mut db, 60.0);
    db.write(|w| {
        w.tx()
            .execute_batch("UPDATE meta SET value = '7' WHERE key = 'protocol_version'")
            .map_err(StorageError::from)
    })
    .expect("edit");
    assert!(matches!(history(db.conn()), Err(StorageError::Corrupt(_))));
}

#[test]
fn a_refused_change_is_no_version() {
    let mut db = db();
    crate::testkit::demote(&mut db, Role::Radiologist);
    let change = RuleChange {
        rule: "imaging.max_age".into(),
        subject: "*".into(),
        risk: "*".into(),
        value: Some(60.0),
        severity: None,
        expected_version: None,
    };
    assert!(
        db.write_as(&crate::storage::needs::rules_set(), |w| set(w, &change))
            .is_err()
    );
    // The refusal is audited, and counts as no change.
    assert!(
        crate::storage::audit::list(&db, None)
            .expect("audit")
            .iter()
            .any(|r| r.action == "rules.set")
    );
    assert_eq!(status_of(&db).version, 1);
    assert!(history(db.conn()).expect("history").is_empty());
}

#[test]
fn a_table_changed_without_a_version_is_approved_only_with_the_fingerprint_reviewed() {
    let mut db = db();
    db.write(|w| approve_current(w, "relu")).expect("approve");
    db.write(|w| crate::storage::zone::set_timezone(w, chrono_tz::America::New_York))
        .expect("zone");
    let found = status_of(&db).digest;
    // The number alone names two tables now: refused, naming the print's.
    match db.write(|w| approve_current(w, "encore")) {
        Err(StorageError::ApprovalFingerprint {
            given: None,
            found: f,
        }) => assert_eq!(f, found),
        other => panic!("expected a refusal, got {other:?}"),
    }
    let req = |fingerprint| Request {
        reviewed: 1,
        note: "relu, nouveau fuseau",
        meeting: None,
        fingerprint,
    };
    assert!(matches!(
        db.write(|w| approve(w, &req(Some("0000000000000000")))),
        Err(StorageError::ApprovalFingerprint { given: Some(_), .. })
    ));
    let a = db
        .write(|w| approve(w, &req(Some(found.as_str()))))
        .expect("approve with the fingerprint");
    assert_eq!(a.digest, found);
    assert_eq!(status_of(&db).state(), State::Approved);
}

#[test]
fn a_table_put_back_as_it_was_approved_may_be_approved_again() {
    let mut db = db();
    db.write(|w| approve_current(w, "relu")).expect("approve");
    let first = status_of(&db).digest;
    let edit = |db: &mut Db, value: i64| {
        db.write(|w| {
            w.tx()
                .execute(
                    "UPDATE rules SET value = ?1 WHERE rule = 'imaging.max_age'",
                    [value],
                )
                .map_err(StorageError::from)
        })
        .expect("edit");
    };
    edit(&mut db, 90);
    let second = status_of(&db).digest;
    let req = |fingerprint| Request {
        reviewed: 1,
        note: "relu",
        meeting: None,
        fingerprint,
    };
    db.write(|w| approve(w, &req(Some(second.as_str()))))
        .expect("the edited table");
    edit(&mut db, 42);
    assert_eq!(status_of(&db).state(), State::ChangedOutsideVersion);
    db.write(|w| approve(w, &req(Some(first.as_str()))))
        .expect("the table as first approved, again");
    assert_eq!(status_of(&db).state(), State::Approved);
    assert_eq!(approvals(db.conn()).expect("approvals").len(), 3);
}
