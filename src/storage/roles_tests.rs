//! Every role × every write the storage layer offers today: allowed ones
//! succeed, forbidden ones fail at the storage layer, change nothing, and
//! are audited as refused.

use super::*;
use crate::domain::roles::{Permission, Role, allows};
use crate::domain::week::Week;
use crate::testkit::clock;
use chrono::NaiveDate;

/// A file with the fixture week, made by its chair; then the caller's role
/// is set to `role` (None: removed from the users table). One file per
/// role, made once per test process and copied.
pub(super) fn file_as(role: Option<Role>) -> (tempfile::TempDir, Db) {
    static BY_ROLE: crate::testkit::Templates = crate::testkit::Templates::new("r.sqlite");
    let key = role.map_or("none", |r| r.as_str());
    let (dir, path) = BY_ROLE.copy(key, |path| {
        let (_fixture, fixture) = crate::testkit::fixture_db();
        std::fs::copy(&fixture, path).expect("copy");
        let mut db = Db::open(path, clock()).expect("open");
        let login = identity::login();
        db.write(|w| {
            w.tx().execute(
                "INSERT INTO users (login, name, role, created_at) VALUES ('boss', 'Boss', 'chair', 'x')",
                [],
            )?;
            // A case to reschedule (the reschedule's attempt).
            w.tx().execute(
                "UPDATE cases SET status = 'postponed', postponed_to = '2026-W50'
                 WHERE external_id = 'SCH-2026-004502'",
                [],
            )?;
            // A performed procedure (a follow-up's attempt) and an
            // operator's link (the unlink's).
            w.tx().execute(
                "INSERT INTO outcomes (case_id, performed, performed_at, operator, techniques,
                   anaesthesia, recorded_at, recorded_by)
                 SELECT id, 1, '2026-10-20T09:00', 'Dr Martin', '[\"vertebroplasty\"]',
                   'local', 'x', 'x' FROM cases WHERE external_id = 'SCH-2026-004505'",
                [],
            )?;
            w.tx().execute(
                "INSERT INTO operator_links (operator_key, operator, login, linked_at, linked_by)
                 VALUES ('dr nguyen', 'Dr Nguyen', 'boss', 'x', 'x')",
                [],
            )?;
            match role {
                Some(r) => w.tx().execute("UPDATE users SET role = ?2 WHERE login = ?1", [&login, r.as_str()])?,
                None => w.tx().execute("DELETE FROM users WHERE login = ?1", [&login])?,
            };
            Ok::<_, StorageError>(())
        })
        .expect("set role");
    });
    let db = Db::open(&path, clock()).expect("open");
    (dir, db)
}

pub(super) fn refused_rows(db: &Db, action: &str) -> usize {
    audit::list(db, None)
        .expect("audit")
        .iter()
        .filter(|r| r.action == action && r.outcome == "refused")
        .count()
}

type Attempt = fn(&mut Db, i64) -> std::result::Result<(), String>;

/// (permission, audited action, the attempt).
const ACTIONS: &[(Permission, &str, Attempt)] = &[
    (Permission::Decide, "decide", |db, id| {
        crate::decide::decide(
            db,
            id,
            None,
            crate::decide::Request::Validate {
                override_justification: None,
            },
        )
        .map(|_| ())
        .map_err(|e| e.to_string())
    }),
    (Permission::Import, "import", |db, _| {
        let week: Week = "2026-W49".parse().expect("week");
        let mut case = crate::demo::fixture_cases(week).expect("fixture").remove(0);
        case.procedure.room = "Salle 9".into();
        crate::import::save_all(db, &[case], "test", crate::import::Absent::Clears)
            .map(|_| ())
            .map_err(|e| e.to_string())
    }),
    (Permission::Notes, "note.add", |db, id| {
        db.write(|w| notes::add(w, id, "a note", "test"))
            .map_err(|e| e.to_string())
    }),
    (Permission::Notes, "draft.save", |db, id| {
        db.write(|w| drafts::save(w, id, drafts::DraftKind::Note, "typing", None))
            .map(|_| ())
            .map_err(|e| e.to_string())
    }),
    (Permission::RecordEvidence, "case.access", |db, id| {
        let version = read::by_id(db, id).map_err(|e| e.to_string())?.version;
        let access = Some(crate::domain::vocab::Access::Radial);
        db.write(|w| procedure::set_access(w, id, access, version))
            .map(|_| ())
            .map_err(|e| e.to_string())
    }),
    (Permission::Reschedule, reschedule::ACTION, |db, _| {
        let at = NaiveDate::from_ymd_opt(2026, 12, 15).and_then(|d| d.and_hms_opt(9, 0, 0));
        let to = crate::domain::slot::Slot {
            at: at.expect("slot"),
            room: "Salle 2".into(),
        };
        crate::decide::reschedule::reschedule_external(db, "SCH-2026-004502", &to)
            .map(|_| ())
            .map_err(|e| e.to_string())
    }),
    (Permission::ManageUsers, "user.add", |db, _| {
        db.write(|w| users::add(w, "newcomer", "New Comer", Role::Viewer))
            .map_err(|e| e.to_string())
    }),
    (Permission::ManageUsers, "meta.set", |db, _| {
        db.write(|w| w.set_meta("note", "x"))
            .map_err(|e| e.to_string())
    }),
    (Permission::ManageRules, "rules.set", |db, _| {
        let change = rules::Change {
            rule: "imaging.max_age".into(),
            subject: "*".into(),
            risk: "*".into(),
            value: Some(60.0),
            severity: None,
            expected_version: None,
        };
        db.write(|w| rules::set(w, &change).map(|_| ()))
            .map_err(|e| e.to_string())
    }),
    (Permission::ManageRules, "rules.risk", |db, _| {
        use crate::domain::vocab::{BleedingRisk, Technique};
        db.write(|w| {
            rules::set_technique_risk(w, Technique::Vertebroplasty, BleedingRisk::Low, None)
        })
        .map_err(|e| e.to_string())
    }),
    (Permission::PruneReads, audit::prune::ACTION, |db, _| {
        let before = NaiveDate::from_ymd_opt(2026, 1, 1).expect("date");
        audit::prune::prune_reads(db, before, crate::deploy::DEFAULT_READ_RETENTION_MONTHS)
            .map(|_| ())
            .map_err(|e| e.to_string())
    }),
    (Permission::RecordFollowUp, followup::ACTION, |db, _| {
        let call = crate::domain::outcome::FollowUp {
            kind: crate::domain::vocab::FollowUpKind::M1,
            called_at: clock().today().and_hms_opt(9, 0, 0).expect("time"),
            reached: true,
            pain: Some(2),
            analgesics: Some(crate::domain::vocab::Analgesics::Decreased),
            morphine_mg_day: None,
            complication: None,
            attempts: 0,
        };
        db.write(|w| followup::record(w, "SCH-2026-004505", &call, followup::Seen::Nothing))
            .map(|_| ())
            .map_err(|e| e.to_string())
    }),
    (Permission::RecordFollowUp, followup::DEATH, |db, id| {
        let ipp = read::by_id(db, id)
            .map_err(|e| e.to_string())?
            .file
            .patient
            .ipp;
        db.write(|w| followup::record_death(w, &ipp, clock().today()))
            .map(|_| ())
            .map_err(|e| e.to_string())
    }),
    (Permission::ManageUsers, operators::LINK, |db, _| {
        db.write(|w| operators::link(w, "Dr Martin", "boss"))
            .map(|_| ())
            .map_err(|e| e.to_string())
    }),
    (Permission::ManageUsers, operators::UNLINK, |db, _| {
        db.write(|w| operators::unlink(w, "DR  NGUYEN"))
            .map(|_| ())
            .map_err(|e| e.to_string())
    }),
    (Permission::RecordOutcome, day::ACTION, |db, _| {
        // Not the performed case the file holds (a follow-up's attempt).
        let id = read::by_external_id(db, "SCH-2026-004503")
            .expect("case")
            .id;
        use crate::domain::outcome::{NotPerformed, Outcome};
        let outcome = Outcome::NotPerformed(NotPerformed {
            reason: crate::domain::vocab::ReasonCode::DrugNotStopped,
            text: None,
        });
        db.write(|w| {
            validated_before_today(w, id)?;
            day::record_outcome(w, "SCH-2026-004503", &outcome, day::Seen::Nothing)
        })
        .map(|_| ())
        .map_err(|e| e.to_string())
    }),
    (
        Permission::RecordComplication,
        day::COMPLICATION,
        |db, _| {
            let id = read::by_external_id(db, "SCH-2026-004503")
                .expect("case")
                .id;
            let grade = crate::domain::outcome::CirseGrade::new(2).expect("grade");
            let c = crate::domain::outcome::Complication {
                grade,
                text: "hématome".into(),
            };
            db.write(|w| {
                validated_before_today(w, id)?;
                w.tx().execute(
                    "INSERT INTO outcomes (case_id, performed, performed_at, operator, techniques,
                   anaesthesia, recorded_at, recorded_by)
                 SELECT id, 1, '2026-11-20T10:00', operator, techniques, anaesthesia, 'x', 'test'
                 FROM cases WHERE id = ?1",
                    [id],
                )?;
                day::set_complication(w, "SCH-2026-004503", &c, day::Seen::Unchecked)
            })
            .map(|_| ())
            .map_err(|e| e.to_string())
        },
    ),
    (Permission::ManageRules, zone::ACTION, |db, _| {
        db.write(|w| zone::set_timezone(w, chrono_tz::America::Cayenne).map(|_| ()))
            .map_err(|e| e.to_string())
    }),
    // The registry extract is recorded under its own permission (issue 15
    // §5), not the programme's `export`.
    (Permission::ExportCases, "export", |db, _| {
        let record = exports::ExportRecord {
            week: "2026-W49".into(),
            format: "cases.csv",
            minutes: false,
            pseudonymised: true,
            cases: 0,
            file: "-".into(),
            attempt: None,
            permission: Some(Permission::ExportCases),
            protocol_version: None,
        };
        db.write(|w| exports::record(w, &record))
            .map_err(|e| e.to_string())
    }),
    // Issue 16: a message of the hospital's systems, the mapping of a
    // service code, an identity change acknowledged.
    (Permission::ApplyFeed, feed::ACTION, |db, _| {
        let msg = crate::import::hl7::Parsed::Identity(crate::import::hl7::IdentityUpdate {
            header: crate::import::hl7::Header {
                sending_application: "APP".into(),
                sending_facility: "FAC".into(),
                receiving_application: String::new(),
                receiving_facility: String::new(),
                message_type: "ADT".into(),
                trigger: "A08".into(),
                control_id: "1".into(),
                processing_id: "P".into(),
                version: "2.5".into(),
                digest: String::new(),
            },
            patient: crate::import::hl7::PatientIdentity {
                ipp: "NOT-HELD".into(),
                authority: String::new(),
                ins: None,
                last_name: "X".into(),
                first_name: Some("Y".into()),
                birth_date: NaiveDate::from_ymd_opt(1950, 1, 1).expect("date"),
                sex: Some(crate::domain::vocab::Sex::F),
            },
        });
        db.write(|w| feed::apply(w, &msg, "file:t.hl7"))
            .map(|_| ())
            .map_err(|e| e.to_string())
    }),
    (
        Permission::MapServices,
        feed_services::MAP_ACTION,
        |db, _| {
            let t = [crate::domain::vocab::Technique::Vertebroplasty];
            db.write(|w| feed_services::map_service(w, "VERT", &t))
                .map(|_| ())
                .map_err(|e| e.to_string())
        },
    ),
    (
        Permission::AckIdentity,
        feed_services::ACK_ACTION,
        |db, id| {
            db.write(|w| {
                w.tx().execute(
                    "UPDATE patients SET identity_changed_on = '2026-11-26'
                 WHERE id = (SELECT patient_id FROM cases WHERE id = ?1)",
                    [id],
                )?;
                let ipp: String = w.tx().query_row(
                "SELECT p.ipp FROM patients p JOIN cases c ON c.patient_id = p.id WHERE c.id = ?1",
                [id],
                |r| r.get(0),
            )?;
                feed_services::ack_identity(w, &ipp)
            })
            .map_err(|e| e.to_string())
        },
    ),
    (
        Permission::AckResult,
        crate::storage::lab_unusable::ACK_ACTION,
        |db, id| {
            db.write(|w| {
                w.tx().execute(
                    "INSERT INTO lab_unusable (case_id, analyte, raw, unit, reason, source, received_at)
                     VALUES (?1, 'inr', '>15', '', 'not_a_number', 'hl7:LAB@H', 'x')",
                    [id],
                )?;
                let ext: String = w.tx().query_row(
                    "SELECT external_id FROM cases WHERE id = ?1",
                    [id],
                    |r| r.get(0),
                )?;
                crate::storage::lab_unusable::acknowledge(w, &ext, crate::domain::labs::Analyte::Inr)
            })
            .map(|_| ())
            .map_err(|e| e.to_string())
        },
    ),
];

/// Case `id` validated and scheduled before the fixture's today (written
/// as the committee and the programme would have, unaudited).
fn validated_before_today(w: &Writer<'_>, id: i64) -> Result<()> {
    w.tx().execute(
        "UPDATE cases SET status = 'validated', scheduled_at = '2026-11-20T09:00' WHERE id = ?1",
        [id],
    )?;
    Ok(())
}

#[test]
fn every_role_and_every_write() {
    let roles: Vec<Option<Role>> = Role::ALL.into_iter().map(Some).chain([None]).collect();
    for role in roles {
        for (permission, action, attempt) in ACTIONS {
            let (_dir, mut db) = file_as(role);
            let id = read::by_external_id(&db, "SCH-2026-004501")
                .expect("case")
                .id;
            let before = audit::list(&db, None).expect("audit").len();
            let outcome = attempt(&mut db, id);
            let who = role.map_or("unknown".to_owned(), |r| r.to_string());
            if allows(role, *permission) {
                assert!(
                    outcome.is_ok(),
                    "{who} should be able to {action}: {outcome:?}"
                );
                assert_eq!(refused_rows(&db, action), 0);
            } else {
                let err = outcome.expect_err("refused");
                assert!(err.contains("may not"), "{who} {action}: {err}");
                assert_eq!(
                    refused_rows(&db, action),
                    1,
                    "{who} {action}: refusal audited"
                );
                // Nothing but the refusal was written.
                assert_eq!(
                    audit::list(&db, None).expect("audit").len(),
                    before + 1,
                    "{who} {action}"
                );
            }
        }
    }
}

#[test]
fn users_are_managed_by_a_chair_and_a_file_keeps_one() {
    let (_dir, mut db) = file_as(Some(Role::Chair));
    db.write(|w| users::add(w, "hm", "Dr Hélène Martin", Role::Radiologist))
        .expect("add");
    assert!(
        db.write(|w| users::add(w, "hm", "again", Role::Viewer))
            .is_err(),
        "no duplicate"
    );
    db.write(|w| users::set_role(w, "hm", Role::Chair))
        .expect("set role");
    db.write(|w| users::disable(w, "boss"))
        .expect("disable another chair");
    let login = identity::login();
    db.write(|w| users::disable(w, "hm"))
        .expect("hm is not the last chair");
    let last = db.write(|w| users::disable(w, &login));
    assert!(last.is_err_and(|e| e.to_string().contains("last chair")));
    let list = users::list(&db).expect("list");
    assert!(list.iter().any(|u| u.login == "hm" && !u.active));
    assert_eq!(
        users::role_of(db.conn(), "hm").expect("role"),
        None,
        "a disabled user has no role"
    );
}

/// A chair renames a user (audited, before and after); the name is
/// cleaned and must keep a visible character; another role may not.
#[test]
fn a_chair_renames_a_user_and_the_trail_says_from_what() {
    let (_dir, mut db) = file_as(Some(Role::Chair));
    let table: [(&str, &str, Result<&str, &str>); 4] = [
        ("boss", "Dr Anne Boss\u{200b}", Ok("Dr Anne Boss")),
        ("boss", "\u{200b} ", Err("must not be empty")),
        ("nobody", "Someone", Err("no user 'nobody'")),
        ("boss", "Pr Anne Boss", Ok("Pr Anne Boss")),
    ];
    for (login, name, expected) in table {
        let got = db.write(|w| users::set_name(w, login, name));
        match expected {
            Ok(clean) => {
                got.expect("renamed");
                let list = users::list(&db).expect("list");
                assert!(list.iter().any(|u| u.login == login && u.name == clean));
            }
            Err(why) => assert!(got.is_err_and(|e| e.to_string().contains(why)), "{name}"),
        }
    }
    let trail = audit::query(&db, &audit::Filter::default()).expect("trail");
    let renames: Vec<_> = trail
        .iter()
        .filter(|e| e.action == "user.set_name")
        .map(|e| (e.old_value.clone(), e.new_value.clone()))
        .collect();
    assert_eq!(
        renames,
        [
            (Some("boss: Boss".into()), Some("boss: Dr Anne Boss".into())),
            (
                Some("boss: Dr Anne Boss".into()),
                Some("boss: Pr Anne Boss".into())
            ),
        ]
    );
    let (_dir, mut secretary) = file_as(Some(Role::Secretary));
    assert!(
        secretary
            .write(|w| users::set_name(w, "boss", "X"))
            .is_err()
    );
}

/// The anaesthesia consultation: an anaesthetist records their own; the
/// chair, a radiographer or a secretary only as their transcription naming
/// the anaesthetist; anyone else not at all. Refused at the storage layer,
/// whatever the screen asked for.
#[test]
#[rustfmt::skip] // one row per role
fn the_anaesthesia_consultation_is_an_anaesthetists_or_a_transcription() {
    use crate::domain::record::EvidenceKind;
    const OK: &str = "ok";
    const FORBIDDEN: &str = "may not";
    const NOT_MARKED: &str = "transcription";
    const NO_NAME: &str = "names the anaesthetist";
    let login = identity::login();
    let own = r#"{"at":"2026-11-25","anaesthetist":"Dr Roussel","conclusion":"fit"}"#.to_owned();
    let transcribed = format!(r#"{{"at":"2026-11-25","anaesthetist":"Dr Roussel","conclusion":"fit","transcribed_by":"{login}"}}"#);
    let unnamed = format!(r#"{{"at":"2026-11-25","conclusion":"fit","transcribed_by":"{login}"}}"#);
    let table: &[(Option<Role>, [&str; 3])] = &[
        (Some(Role::Anaesthetist), [OK, OK, NO_NAME]),
        (Some(Role::Chair), [NOT_MARKED, OK, NO_NAME]),
        (Some(Role::Radiographer), [NOT_MARKED, OK, NO_NAME]),
        (Some(Role::Secretary), [NOT_MARKED, OK, NO_NAME]),
        (Some(Role::Radiologist), [FORBIDDEN; 3]),
        (Some(Role::Viewer), [FORBIDDEN; 3]),
        (Some(Role::Auditor), [FORBIDDEN; 3]),
        (None, [FORBIDDEN; 3]),
    ];
    for (role, wants) in table {
        for (data, want) in [&own, &transcribed, &unnamed].into_iter().zip(wants) {
            let (_dir, mut db) = file_as(*role);
            let case = read::by_external_id(&db, "SCH-2026-004501").expect("case");
            let version = case.recorded(EvidenceKind::AnaesthesiaConsult).map(|r| r.version);
            let kind = EvidenceKind::AnaesthesiaConsult;
            let outcome = db.write(|w| cases::set_evidence(w, case.id, kind, data, version));
            let stored = read::by_id(&db, case.id).expect("case").file.anaesthesia_consult;
            match outcome {
                Ok(_) => {
                    assert_eq!(*want, OK, "{role:?} {data}");
                    let stored = stored.expect("recorded");
                    assert_eq!(stored.anaesthetist.as_deref(), Some("Dr Roussel"));
                    let tr = (data != &own).then_some(login.as_str());
                    assert_eq!(stored.transcribed_by.as_deref(), tr, "both names kept");
                }
                Err(e) => {
                    let e = e.to_string();
                    assert!(e.contains(want), "{role:?} {data}: {e}");
                    assert_eq!(stored, case.file.anaesthesia_consult, "nothing written");
                }
            }
        }
    }
}
