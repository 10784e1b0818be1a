//! Each need says what its write's own `Writer::require` says: the write,
//! run through a plain `Db::write` (no pre-check) by a login the file does
//! not know, is refused for the need's permission and audited under the
//! need's action and case.

use chrono::NaiveDate;

use super::*;
use crate::domain::record::EvidenceKind;
use crate::domain::reimport::{Field, ScheduleField};
use crate::domain::roles::Role;
use crate::domain::week::Week;
use crate::storage::{
    Db, StorageError, audit, cases, decisions, drafts, exports, identity, notes, procedure, read,
    reimport, rules, users, zone,
};

use crate::testkit::clock;

/// The fixture week, with a draft of the caller's, made by the caller as
/// chair; then the caller is removed from the users table. Made once per
/// test process and copied.
fn file_of_nobody() -> (tempfile::TempDir, Db) {
    static NOBODY: crate::testkit::Template = crate::testkit::Template::new("n.sqlite", |path| {
        let (_dir, fixture) = crate::testkit::fixture_db();
        std::fs::copy(&fixture, path).expect("copy");
        let mut db = Db::open(path, clock()).expect("open");
        let id = case(&db);
        db.write(|w| drafts::save(w, id, drafts::DraftKind::Note, "typing", None))
            .expect("draft");
        let login = identity::login();
        db.write(|w| {
            users::add(w, "boss", "Boss", Role::Chair)?;
            w.tx()
                .execute("DELETE FROM users WHERE login = ?1", [&login])?;
            Ok::<_, StorageError>(())
        })
        .expect("leave");
    });
    let (dir, path) = NOBODY.copy();
    let db = Db::open(&path, clock()).expect("open");
    (dir, db)
}

fn case(db: &Db) -> i64 {
    read::by_external_id(db, "SCH-2026-004501")
        .expect("case")
        .id
}

type Attempt = fn(&mut Db, i64) -> Result<(), StorageError>;

fn writes() -> Vec<(Need, Attempt)> {
    vec![
        (decide(0), |db, id| {
            db.write(|w| decisions::record(w, id, None, &decisions::NewDecision::Undo))
                .map(|_| ())
        }),
        (evidence(0, EvidenceKind::Coagulation), |db, id| {
            db.write(|w| cases::set_evidence(w, id, EvidenceKind::Coagulation, "{}", None))
                .map(|_| ())
        }),
        (evidence(0, EvidenceKind::Scores), |db, id| {
            db.write(|w| cases::set_evidence(w, id, EvidenceKind::Scores, "{}", None))
                .map(|_| ())
        }),
        (case_access(0), |db, id| {
            db.write(|w| procedure::set_access(w, id, None, 1))
                .map(|_| ())
        }),
        (note(0), |db, id| {
            db.write(|w| notes::add(w, id, "a note", "test"))
        }),
        (draft_save(0), |db, id| {
            db.write(|w| drafts::save(w, id, drafts::DraftKind::Note, "x", None))
                .map(|_| ())
        }),
        (preference(), |db, _| {
            db.write(|w| crate::storage::preferences::set(w, "board.order", "operator"))
                .map(|_| ())
        }),
        (draft_delete(0), |db, id| {
            db.write(|w| drafts::delete(w, id, drafts::DraftKind::Note))
                .map(|_| ())
        }),
        (import(), |db, _| {
            let week: Week = "2026-W49".parse().expect("week");
            let case = crate::demo::fixture_cases(week).expect("fixture").remove(0);
            db.write(|w| cases::save(w, &case, "test", cases::Absent::Clears))
                .map(|_| ())
        }),
        (
            resolve(0, Field::Evidence(EvidenceKind::Imaging)),
            |db, id| {
                db.write(|w| {
                    reimport::resolve(
                        w,
                        id,
                        Field::Evidence(EvidenceKind::Imaging),
                        None,
                        reimport::Choice::Keep,
                    )
                })
            },
        ),
        (
            resolve(0, Field::Schedule(ScheduleField::Room)),
            |db, id| {
                db.write(|w| {
                    reimport::resolve(
                        w,
                        id,
                        Field::Schedule(ScheduleField::Room),
                        None,
                        reimport::Choice::Keep,
                    )
                })
            },
        ),
        (attendance(), |db, _| {
            let week: Week = "2026-W49".parse().expect("week");
            db.write(|w| exports::set_meeting(w, week, clock().today(), &[]))
        }),
        (rules_set(), |db, _| {
            let change = rules::Change {
                rule: "imaging.max_age".into(),
                subject: "*".into(),
                risk: "*".into(),
                value: Some(60.0),
                severity: None,
                expected_version: None,
            };
            db.write(|w| rules::set(w, &change)).map(|_| ())
        }),
        (rules_approve(), |db, _| {
            db.write(|w| crate::storage::protocol::approve_current(w, "relu"))
                .map(|_| ())
        }),
        (rules_risk(), |db, _| {
            use crate::domain::vocab::{BleedingRisk, Technique};
            db.write(|w| {
                rules::set_technique_risk(w, Technique::Vertebroplasty, BleedingRisk::Low, None)
            })
        }),
        (set_timezone(), |db, _| {
            db.write(|w| zone::set_timezone(w, chrono_tz::America::Cayenne))
                .map(|_| ())
        }),
        (user_add(), |db, _| {
            db.write(|w| users::add(w, "newcomer", "New Comer", Role::Viewer))
        }),
        (user_set_role(), |db, _| {
            db.write(|w| users::set_role(w, "boss", Role::Viewer))
        }),
        (user_set_name(), |db, _| {
            db.write(|w| users::set_name(w, "boss", "Dr Boss"))
        }),
        (user_disable(), |db, _| {
            db.write(|w| users::disable(w, "boss"))
        }),
        (follow_up(0), |db, _| {
            let call = crate::domain::outcome::FollowUp {
                kind: crate::domain::vocab::FollowUpKind::M1,
                called_at: clock().today().and_hms_opt(9, 0, 0).expect("time"),
                reached: false,
                pain: None,
                analgesics: None,
                morphine_mg_day: None,
                complication: None,
                attempts: 0,
            };
            db.write(|w| {
                crate::storage::followup::record(
                    w,
                    "SCH-2026-004501",
                    &call,
                    crate::storage::followup::Seen::Unchecked,
                )
            })
            .map(|_| ())
        }),
        (death(), |db, _| {
            db.write(|w| crate::storage::followup::record_death(w, "IPP-X", clock().today()))
                .map(|_| ())
        }),
        (link_operator(), |db, _| {
            db.write(|w| crate::storage::operators::link(w, "Dr Martin", "boss"))
                .map(|_| ())
        }),
        (unlink_operator(), |db, _| {
            db.write(|w| crate::storage::operators::unlink(w, "Dr Martin"))
                .map(|_| ())
        }),
        (export(true), |db, _| {
            db.write(|w| exports::record(w, &record(true))).map(|_| ())
        }),
        (export(false), |db, _| {
            db.write(|w| exports::record(w, &record(false))).map(|_| ())
        }),
        (export(false), |db, _| {
            db.write(|w| exports::record_start(w, &record(false)))
                .map(|_| ())
        }),
        (export_of(&cases_extract()), |db, _| {
            db.write(|w| exports::record_start(w, &cases_extract()))
                .map(|_| ())
        }),
    ]
}

fn record(pseudonymised: bool) -> exports::ExportRecord {
    exports::ExportRecord {
        week: "2026-W49".into(),
        format: "csv",
        minutes: false,
        pseudonymised,
        cases: 0,
        file: "/tmp/x.csv".into(),
        attempt: None,
        permission: None,
        protocol_version: None,
    }
}

/// The registry extract's record: its own permission.
fn cases_extract() -> exports::ExportRecord {
    exports::ExportRecord {
        format: "cases.csv",
        pseudonymised: true,
        permission: Some(crate::domain::roles::Permission::ExportCases),
        protocol_version: None,
        ..record(true)
    }
}

#[test]
fn every_need_matches_its_writes_own_check() {
    let (_dir, mut db) = file_of_nobody();
    let id = case(&db);
    for (need, attempt) in writes() {
        let need = Need {
            case_id: need.case_id.map(|_| id),
            ..need
        };
        match attempt(&mut db, id) {
            Err(StorageError::Forbidden { permission, .. }) => {
                assert_eq!(permission, need.permission, "{need:?}");
            }
            other => panic!("{need:?}: {other:?}"),
        }
        // Its refused row (the same action refused again this minute is
        // counted, not audited again).
        let rows = audit::list(&db, None).expect("audit");
        let row = rows
            .iter()
            .rev()
            .find(|r| r.outcome == "refused" && r.action == need.action)
            .unwrap_or_else(|| panic!("{need:?}: audited"));
        assert_eq!(row.case_id, need.case_id, "{need:?}");
    }
}

/// A synthetic fill and a pruning run their own transactions: refused with
/// the need's permission, audited under its action.
#[test]
fn the_writes_with_their_own_transactions_say_the_same() {
    let (_dir, mut db) = file_of_nobody();
    let before = NaiveDate::from_ymd_opt(2026, 1, 1).expect("date");
    for (need, outcome) in [
        (
            synthetic(),
            crate::storage::synthetic::generate(&mut db, 10, before, 1),
        ),
        (
            prune_reads(),
            audit::prune::prune_reads(
                &mut db,
                before,
                crate::deploy::DEFAULT_READ_RETENTION_MONTHS,
            )
            .map(|_| ()),
        ),
    ] {
        match outcome {
            Err(StorageError::Forbidden { permission, .. }) => {
                assert_eq!(permission, need.permission)
            }
            other => panic!("{need:?}: {other:?}"),
        }
        let rows = audit::list(&db, None).expect("audit");
        assert!(
            rows.iter()
                .any(|r| r.outcome == "refused" && r.action == need.action),
            "{need:?}"
        );
    }
}
