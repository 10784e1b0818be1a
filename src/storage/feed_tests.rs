//! Messages of the hospital's systems applied by the storage (issue 16),
//! built as the parser gives them: bookings, identity updates, their
//! duplicates, the service codes to map, and who may apply them.

use chrono::{NaiveDate, NaiveDateTime};

use super::feed::{self, Outcome};
use super::*;
use crate::domain::assess::Assessment;
use crate::domain::feed::SourceEnd;
use crate::domain::message::Lang;
use crate::domain::record::StoredCase;
use crate::domain::rules::{Context, Severity};
use crate::domain::vocab::{Sex, Technique};
use crate::import::hl7::*;
use crate::testkit::clock;

pub(super) const ORIGIN: &str = "file:siu-1.hl7";

pub(super) fn header(id: &str, kind: &str, trigger: &str) -> Header {
    Header {
        sending_application: "DXCARE".into(),
        sending_facility: "CHU".into(),
        receiving_application: "IRC".into(),
        receiving_facility: "RI".into(),
        message_type: kind.into(),
        trigger: trigger.into(),
        control_id: id.into(),
        processing_id: "P".into(),
        version: "2.5".into(),
        digest: format!("digest of {id}"),
    }
}

pub(super) fn patient(last: &str) -> PatientIdentity {
    PatientIdentity {
        ipp: "900001".into(),
        authority: "CHU".into(),
        ins: Some(("1840375123456".into(), InsStatus::Qualified)),
        last_name: last.into(),
        first_name: Some("Jeanne".into()),
        birth_date: NaiveDate::from_ymd_opt(1948, 3, 12).expect("date"),
        sex: Some(Sex::F),
    }
}

pub(super) fn at(day: u32, hour: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 12, day)
        .and_then(|d| d.and_hms_opt(hour, 0, 0))
        .expect("time")
}

/// A booking as the parser gives it (also the screen's tests').
pub(crate) fn booking(id: &str, event: BookingEvent, rdv: &str, services: &[&str]) -> Parsed {
    let trigger = match event {
        BookingEvent::New => "S12",
        BookingEvent::Changed => "S13",
        BookingEvent::Cancelled => "S15",
        BookingEvent::Deleted => "S17",
        BookingEvent::NoShow => "S26",
    };
    Parsed::Booking(Booking {
        header: header(id, "SIU", trigger),
        event,
        patient: patient("Durand"),
        appointment_id: rdv.into(),
        start: Some(at(3, 9)),
        duration_min: Some(60),
        room: Some("Salle 3".into()),
        operator: Some("Dr Martin".into()),
        services: services.iter().map(|s| (*s).to_owned()).collect(),
    })
}

/// Applies `msg` as the handler does (its origin set).
pub(crate) fn apply(db: &mut Db, msg: &Parsed) -> Outcome {
    db.set_origin(Some(ORIGIN));
    let out = db
        .write_as(&needs::feed_apply(), |w| feed::apply(w, msg, ORIGIN))
        .expect("applied");
    db.set_origin(None);
    out
}

pub(super) fn case(db: &Db, rdv: &str) -> StoredCase {
    read::by_external_id(db, rdv).expect("case")
}

pub(super) fn assess(db: &Db, c: &StoredCase) -> Assessment {
    let rules = db.rules().expect("rules");
    let ctx = Context {
        rules: &rules,
        tz: db.timezone().expect("zone"),
    };
    Assessment::of_stored(c, &ctx)
}

/// The findings of `code`, with their severity and French words.
pub(super) fn findings(db: &Db, c: &StoredCase, code: &str) -> Vec<(Severity, String)> {
    assess(db, c)
        .dossier
        .items
        .iter()
        .flat_map(|r| r.findings.iter())
        .filter(|f| f.code == code)
        .map(|f| (f.severity, f.msg.render(Lang::Fr)))
        .collect()
}

pub(super) fn count(db: &Db, sql: &str) -> i64 {
    db.conn().query_row(sql, [], |r| r.get(0)).expect("count")
}

pub(super) fn map(db: &mut Db, code: &str, t: &[Technique]) -> feed_services::Mapped {
    db.write_as(&needs::map_service(), |w| {
        feed_services::map_service(w, code, t)
    })
    .expect("mapped")
}

#[test]
fn a_message_already_applied_is_acknowledged_and_not_applied_twice() {
    let mut db = Db::open_in_memory(clock()).expect("db");
    map(&mut db, "VERT", &[Technique::Vertebroplasty]);
    let msg = booking("MSG-1", BookingEvent::New, "RDV-1", &["VERT"]);
    let first = apply(&mut db, &msg);
    assert!(matches!(first, Outcome::Applied { case_id: Some(_) }));
    assert_eq!(first.ack_code(), AckCode::Aa);
    let audit_rows = count(&db, "SELECT count(*) FROM audit");
    let version = case(&db, "RDV-1").version;
    let second = apply(&mut db, &msg);
    assert_eq!(second, Outcome::Duplicate);
    assert_eq!(second.ack_code(), AckCode::Aa);
    assert_eq!(
        count(&db, "SELECT count(*) FROM audit"),
        audit_rows,
        "nothing written"
    );
    assert_eq!(case(&db, "RDV-1").version, version);
    assert_eq!(count(&db, "SELECT count(*) FROM cases"), 1);
    // The message is recorded with its origin, type and ACK.
    let row: (String, String, String, String) = db
        .conn()
        .query_row(
            "SELECT origin, message_type, ack_code, outcome FROM feed_messages",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .expect("row");
    assert_eq!(
        row,
        (
            ORIGIN.into(),
            "SIU^S12".into(),
            "AA".into(),
            "applied".into()
        )
    );
    // Its audit rows name the origin.
    let origins = count(
        &db,
        "SELECT count(*) FROM audit WHERE action = 'case.create' AND origin = 'file:siu-1.hl7'",
    );
    assert_eq!(origins, 1);
    // The same id from another sender is another message.
    let mut other = msg.clone();
    if let Parsed::Booking(b) = &mut other {
        b.header.sending_facility = "CLINIQUE".into();
    }
    assert!(matches!(apply(&mut db, &other), Outcome::Applied { .. }));
}

#[test]
fn an_unknown_service_code_is_acknowledged_to_map_and_blocking_until_a_chair_maps_it() {
    let (_dir, mut db) = crate::testkit::open_empty();
    let out = apply(
        &mut db,
        &booking("M1", BookingEvent::New, "RDV-1", &["SCAN-X"]),
    );
    assert_eq!(out.ack_code(), AckCode::Aa);
    let c = case(&db, "RDV-1");
    assert!(c.file.procedure.techniques.is_empty());
    assert_eq!(c.feed.to_map, ["SCAN-X"]);
    let words = findings(&db, &c, "feed.to_map");
    assert_eq!(
        words,
        [(
            Severity::Blocking,
            "technique à définir\u{a0}: code SIH «\u{a0}SCAN-X\u{a0}» non associé (feeds map-service)"
                .to_owned()
        )]
    );
    assert!(!assess(&db, &c).complete());
    // What a booking does not say is shown, not guessed silently.
    assert!(c.feed.anaesthesia_assumed && c.feed.target_missing);
    assert_eq!(
        findings(&db, &c, "feed.anaesthesia_assumed")[0].0,
        Severity::Advisory
    );
    // The chair maps it: the waiting case is filled, no longer blocking.
    let mapped = map(
        &mut db,
        "SCAN-X",
        &[Technique::Vertebroplasty, Technique::RadiofrequencyAblation],
    );
    assert_eq!(mapped.filled, ["RDV-1"]);
    assert_eq!(mapped.before, None);
    let c = case(&db, "RDV-1");
    assert_eq!(
        c.file.procedure.techniques,
        [Technique::Vertebroplasty, Technique::RadiofrequencyAblation]
    );
    assert!(c.feed.to_map.is_empty());
    assert!(findings(&db, &c, "feed.to_map").is_empty());
    let audited = count(
        &db,
        "SELECT count(*) FROM audit WHERE action = 'feeds.map_service'",
    );
    assert_eq!(audited, 1);
    // A later booking with that code maps itself.
    apply(
        &mut db,
        &booking("M2", BookingEvent::New, "RDV-2", &["SCAN-X"]),
    );
    let c = case(&db, "RDV-2");
    assert_eq!(c.file.procedure.techniques.len(), 2);
    assert!(findings(&db, &c, "feed.to_map").is_empty());
    // Mapping is a chair's: clear one-line refusals of bad input.
    let empty = db.write_as(&needs::map_service(), |w| {
        feed_services::map_service(w, " ", &[Technique::Vertebroplasty])
    });
    assert!(empty.is_err_and(|e| e.to_string().contains("must not be empty")));
}

#[test]
fn a_cancellation_marks_the_case_cancelled_by_the_source_not_by_the_committee() {
    let mut db = Db::open_in_memory(clock()).expect("db");
    map(&mut db, "VERT", &[Technique::Vertebroplasty]);
    apply(
        &mut db,
        &booking("M1", BookingEvent::New, "RDV-1", &["VERT"]),
    );
    for (id, event, how) in [
        ("M2", BookingEvent::Cancelled, SourceEnd::Cancelled),
        ("M3", BookingEvent::Deleted, SourceEnd::Deleted),
        ("M4", BookingEvent::NoShow, SourceEnd::NoShow),
    ] {
        assert!(matches!(
            apply(&mut db, &booking(id, event, "RDV-1", &["VERT"])),
            Outcome::Applied { .. }
        ));
        let c = case(&db, "RDV-1");
        let ended = c.feed.ended.clone().expect("ended");
        assert_eq!((ended.how, ended.source.as_str()), (how, "hl7:DXCARE@CHU"));
        assert_eq!(c.status, crate::domain::vocab::DecisionStatus::Pending);
        assert!(
            c.decisions.is_empty(),
            "the committee's history is untouched"
        );
        // The case's own state, not a dossier finding: nothing blocks
        // on it, nothing is to decide.
        assert_eq!(c.ended_at_source(), Some(&ended));
        assert!(findings(&db, &c, "feed.ended").is_empty());
        assert!(assess(&db, &c).now_blocking(&c).is_empty());
    }
    // Nothing is deleted; booked again, the end no longer stands.
    assert_eq!(count(&db, "SELECT count(*) FROM cases"), 1);
    apply(
        &mut db,
        &booking("M5", BookingEvent::Changed, "RDV-1", &["VERT"]),
    );
    assert_eq!(case(&db, "RDV-1").feed.ended, None);
    // An end for a booking the file does not hold: acknowledged, recorded.
    let out = apply(
        &mut db,
        &booking("M6", BookingEvent::Cancelled, "RDV-9", &["VERT"]),
    );
    assert_eq!(
        (out.clone(), out.ack_code()),
        (Outcome::Unknown, AckCode::Aa)
    );
    assert_eq!(count(&db, "SELECT count(*) FROM cases"), 1);
}

#[test]
fn a_reschedule_follows_the_three_way_rule_after_a_persons_edit() {
    let mut db = Db::open_in_memory(clock()).expect("db");
    map(&mut db, "VERT", &[Technique::Vertebroplasty]);
    apply(
        &mut db,
        &booking("M1", BookingEvent::New, "RDV-1", &["VERT"]),
    );
    // A person moves it to another room (written as a person's change:
    // the stored value no longer what the sender sent).
    db.write(|w| {
        w.tx().execute(
            "UPDATE cases SET room = 'Salle 5' WHERE external_id = 'RDV-1'",
            [],
        )?;
        Ok::<_, StorageError>(())
    })
    .expect("a person's edit");
    // The sender reschedules, room unchanged on its side: the new start is
    // taken, the person's room stays.
    let mut msg = booking("M2", BookingEvent::Changed, "RDV-1", &["VERT"]);
    if let Parsed::Booking(b) = &mut msg {
        b.start = Some(at(4, 14));
    }
    apply(&mut db, &msg);
    let c = case(&db, "RDV-1");
    assert_eq!(c.file.procedure.scheduled_at, at(4, 14));
    assert_eq!(c.file.procedure.room, "Salle 5");
    assert!(c.pending.is_empty());
    // Then it sends another room: both changed, the person's stays and the
    // sender's waits for a person (blocking), not undone silently.
    let mut msg = booking("M3", BookingEvent::Changed, "RDV-1", &["VERT"]);
    if let Parsed::Booking(b) = &mut msg {
        b.start = Some(at(4, 14));
        b.room = Some("Salle 7".into());
    }
    apply(&mut db, &msg);
    let c = case(&db, "RDV-1");
    assert_eq!(c.file.procedure.room, "Salle 5");
    assert_eq!(c.pending.len(), 1);
    assert_eq!(
        (c.pending[0].item.as_str(), c.pending[0].source.as_str()),
        ("room", "hl7:DXCARE@CHU")
    );
    assert!(!findings(&db, &c, "file.conflict").is_empty());
}

#[test]
fn an_identity_update_is_audited_and_to_check_until_acknowledged() {
    let mut db = Db::open_in_memory(clock()).expect("db");
    map(&mut db, "VERT", &[Technique::Vertebroplasty]);
    apply(
        &mut db,
        &booking("M1", BookingEvent::New, "RDV-1", &["VERT"]),
    );
    let c = case(&db, "RDV-1");
    assert_eq!(c.feed.identity_changed, None);
    let ins: (String, String) = db
        .conn()
        .query_row("SELECT ins, ins_status FROM patients", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .expect("ins");
    assert_eq!(ins, ("1840375123456".into(), "qualified".into()));
    let update = |id: &str, last: &str, ipp: &str| {
        let mut p = patient(last);
        p.ipp = ipp.into();
        Parsed::Identity(IdentityUpdate {
            header: header(id, "ADT", "A08"),
            patient: p,
        })
    };
    assert!(matches!(
        apply(&mut db, &update("A1", "Durand-Lefèvre", "900001")),
        Outcome::Applied { .. }
    ));
    let c = case(&db, "RDV-1");
    assert_eq!(c.file.patient.last_name, "Durand-Lefèvre");
    assert_eq!(c.feed.identity_changed, Some(crate::testkit::today()));
    let f = findings(&db, &c, "feed.identity");
    assert_eq!(f[0].0, Severity::Advisory);
    assert_eq!(
        f[0].1,
        "identité modifiée par le SIH le 26/11/2026\u{a0}: nom Durand → Durand-Lefèvre\u{a0}: vérifier"
    );
    let (old, new): (String, String) = db
        .conn()
        .query_row(
            "SELECT old_value, new_value FROM audit WHERE action = 'patient.update'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("audited");
    assert!(
        old.contains("\"Durand\"") && new.contains("Durand-Lefèvre"),
        "{old} {new}"
    );
    // A person acknowledges it: the advisory goes; twice is refused.
    let ack = |db: &mut Db| {
        db.write_as(&needs::ack_identity(), |w| {
            feed_services::ack_identity(w, "900001")
        })
    };
    ack(&mut db).expect("acknowledged");
    assert!(findings(&db, &case(&db, "RDV-1"), "feed.identity").is_empty());
    let again = ack(&mut db).expect_err("nothing to acknowledge");
    assert!(
        again
            .to_string()
            .contains("no identity change to acknowledge"),
        "{again}"
    );
    // The same identity again changes nothing and raises nothing.
    apply(&mut db, &update("A2", "Durand-Lefèvre", "900001"));
    assert_eq!(case(&db, "RDV-1").feed.identity_changed, None);
    // An IPP the file does not hold: acknowledged, recorded, nothing made.
    let patients = count(&db, "SELECT count(*) FROM patients");
    let out = apply(&mut db, &update("A3", "Autre", "123456"));
    assert_eq!(
        (out.clone(), out.ack_code()),
        (Outcome::Unknown, AckCode::Aa)
    );
    assert_eq!(count(&db, "SELECT count(*) FROM patients"), patients);
    let recorded = count(
        &db,
        "SELECT count(*) FROM feed_messages WHERE control_id = 'A3' AND outcome = 'unknown_patient'",
    );
    assert_eq!(recorded, 1);
}

/// A lab report for a patient the file does not hold: acknowledged and
/// recorded, nothing made (through the parser: `feed_labs_tests`).
#[test]
fn lab_results_for_an_unknown_patient_are_recorded_and_change_nothing() {
    let mut db = Db::open_in_memory(clock()).expect("db");
    let msg = Parsed::Lab(LabReport {
        header: header("L1", "ORU", "R01"),
        patient: patient("Durand"),
        values: vec![],
        corrected: vec![],
        withdrawn: vec![],
        set_aside: vec![],
    });
    let out = apply(&mut db, &msg);
    assert_eq!(out.ack_code(), AckCode::Aa);
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM feed_messages WHERE outcome = 'unknown_patient'"
        ),
        1
    );
    assert_eq!(count(&db, "SELECT count(*) FROM patients"), 0);
}
