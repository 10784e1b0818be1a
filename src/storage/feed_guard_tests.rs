//! What a message must never do (issue 16 review): move a case to another
//! patient, touch a patient of another assigning authority, leave half of
//! a refused message behind, take another message for one sent again, or
//! erase what an empty field leaves unsaid.

use super::feed::Outcome;
use super::feed_tests::*;
use super::*;
use crate::domain::vocab::{Sex, Technique};
use crate::import::hl7::*;
use crate::testkit::clock;

/// A file holding RDV-1, booked by S12 for patient 900001 (authority CHU).
fn booked() -> Db {
    let mut db = Db::open_in_memory(clock()).expect("db");
    map(&mut db, "VERT", &[Technique::Vertebroplasty]);
    let out = apply(
        &mut db,
        &booking("B1", BookingEvent::New, "RDV-1", &["VERT"]),
    );
    assert!(matches!(out, Outcome::Applied { .. }));
    db
}

/// Everything a message could write, to compare before and after.
fn state(db: &Db) -> Vec<i64> {
    [
        "SELECT count(*) FROM patients",
        "SELECT total(version) FROM patients",
        "SELECT count(*) FROM patients WHERE identity_changed_on IS NOT NULL",
        "SELECT count(*) FROM cases",
        "SELECT total(version) FROM cases",
        "SELECT count(*) FROM cases WHERE source_end IS NOT NULL",
        "SELECT count(*) FROM feed_messages",
        "SELECT count(*) FROM import_base",
    ]
    .iter()
    .map(|sql| {
        db.conn()
            .query_row(sql, [], |r| r.get::<_, f64>(0))
            .map(|v| v as i64)
            .expect("count")
    })
    .collect()
}

/// The audit rows written since `before`, as (action, new value).
fn audit_since(db: &Db, before: i64) -> Vec<(String, String)> {
    let mut stmt = db
        .conn()
        .prepare("SELECT action, coalesce(new_value, '') FROM audit WHERE id > ?1 ORDER BY id")
        .expect("stmt");
    stmt.query_map([before], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("rows")
        .collect::<std::result::Result<_, _>>()
        .expect("rows")
}

fn last_audit(db: &Db) -> i64 {
    count(db, "SELECT coalesce(max(id), 0) FROM audit")
}

/// Asserts `out` is a refusal naming `reason`, and that nothing but its
/// audit row was written.
fn refused_alone(db: &Db, out: &Outcome, code: AckCode, reason: &str, before: (Vec<i64>, i64)) {
    let Outcome::Refused(r) = out else {
        panic!("not refused: {out:?}");
    };
    assert_eq!(r.code, code);
    assert!(r.reason.contains(reason), "{}", r.reason);
    assert_eq!(state(db), before.0, "nothing written");
    let rows = audit_since(db, before.1);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0].0, feed::ACTION);
    assert!(
        rows[0].1.contains(&format!("refused {}", code.as_str())),
        "{rows:?}"
    );
    assert!(rows[0].1.contains(reason), "{rows:?}");
}

/// A booking whose PID is not the patient of the case its appointment id
/// names, whatever the event, changes nothing: not the case's patient, its
/// schedule or its end, nor any patient.
#[test]
fn a_booking_never_moves_or_ends_another_patients_case() {
    let events = [
        BookingEvent::Changed,
        BookingEvent::Cancelled,
        BookingEvent::Deleted,
        BookingEvent::NoShow,
    ];
    // Another IPP (held or not), or the same IPP from another authority.
    let others: [(&str, &str); 3] = [("900002", "CHU"), ("555", "CHU"), ("900001", "CLINIQUE")];
    for event in events {
        for (ipp, authority) in others {
            let mut db = booked();
            // Another patient the file holds, booked on RDV-2.
            let mut second = booking("B2", BookingEvent::New, "RDV-2", &["VERT"]);
            if let Parsed::Booking(b) = &mut second {
                b.patient.ipp = "900002".into();
                b.patient.last_name = "Martin".into();
            }
            apply(&mut db, &second);
            let owner = case(&db, "RDV-1").file.patient.clone();
            let before = (state(&db), last_audit(&db));
            let mut msg = booking("X1", event, "RDV-1", &["VERT"]);
            if let Parsed::Booking(b) = &mut msg {
                b.patient.ipp = ipp.into();
                b.patient.authority = authority.into();
                b.patient.last_name = "Autre".into();
                b.start = Some(at(9, 14));
            }
            let out = apply(&mut db, &msg);
            let why = "appointment RDV-1 belongs to another patient in this file: not applied";
            refused_alone(&db, &out, AckCode::Ar, why, before);
            let c = case(&db, "RDV-1");
            assert_eq!(c.file.patient, owner, "{event:?} {ipp} {authority}");
            assert_eq!(c.feed.ended, None);
        }
    }
}

/// The case's own patient, with the authority the file holds or none on
/// either side, still reschedules and cancels it.
#[test]
fn the_cases_own_patient_still_changes_it() {
    for authority in ["CHU", "chu", ""] {
        let mut db = booked();
        let mut msg = booking("X1", BookingEvent::Changed, "RDV-1", &["VERT"]);
        if let Parsed::Booking(b) = &mut msg {
            b.patient.authority = authority.into();
            b.start = Some(at(9, 14));
        }
        assert!(matches!(apply(&mut db, &msg), Outcome::Applied { .. }));
        let cancel = booking("X2", BookingEvent::Cancelled, "RDV-1", &["VERT"]);
        assert!(matches!(apply(&mut db, &cancel), Outcome::Applied { .. }));
        assert!(case(&db, "RDV-1").feed.ended.is_some(), "{authority:?}");
    }
}

/// A new booking for an IPP the file holds under another authority is
/// refused: neither that patient nor a new one is touched.
#[test]
fn a_booking_from_another_authority_is_refused() {
    let mut db = booked();
    let before = (state(&db), last_audit(&db));
    let mut msg = booking("X1", BookingEvent::New, "RDV-9", &["VERT"]);
    if let Parsed::Booking(b) = &mut msg {
        b.patient.authority = "CLINIQUE".into();
        b.patient.last_name = "Autre".into();
    }
    let out = apply(&mut db, &msg);
    refused_alone(
        &db,
        &out,
        AckCode::Ar,
        "another assigning authority",
        before,
    );
}

/// An identity update from another authority with a colliding IPP leaves
/// the file's patient as it is (acknowledged, recorded as unknown).
#[test]
fn an_identity_update_from_another_authority_changes_no_one() {
    let mut db = booked();
    let owner = case(&db, "RDV-1").file.patient.clone();
    let mut p = patient("Autre");
    p.authority = "CLINIQUE".into();
    let msg = Parsed::Identity(IdentityUpdate {
        header: header("A1", "ADT", "A08"),
        patient: p,
    });
    assert_eq!(apply(&mut db, &msg), Outcome::Unknown);
    let c = case(&db, "RDV-1");
    assert_eq!(c.file.patient, owner);
    assert_eq!(c.feed.identity_changed, None);
}

/// A refused booking leaves nothing of what it wrote before its refusal:
/// not the identity it corrected, its advisory, nor a patient it made.
#[test]
fn a_refused_booking_is_not_half_applied() {
    let mut db = booked();
    // Without a start a new booking is refused, after its patient was
    // corrected (a held IPP) or made (an unknown one).
    for (ipp, id) in [("900001", "N1"), ("777", "N2")] {
        let before = (state(&db), last_audit(&db));
        let mut msg = booking(id, BookingEvent::New, "RDV-9", &["VERT"]);
        if let Parsed::Booking(b) = &mut msg {
            b.patient.ipp = ipp.into();
            b.patient.last_name = "Durand-Lefèvre".into();
            b.start = None;
        }
        let out = apply(&mut db, &msg);
        refused_alone(&db, &out, AckCode::Ae, "without a start time", before);
    }
    let c = case(&db, "RDV-1");
    assert_eq!(c.file.patient.last_name, "Durand");
    assert_eq!(c.feed.identity_changed, None);
    // Sent again once corrected, under its control id: applied.
    let mut msg = booking("N1", BookingEvent::New, "RDV-9", &["VERT"]);
    if let Parsed::Booking(b) = &mut msg {
        b.header.digest = "corrected".into();
    }
    assert!(matches!(apply(&mut db, &msg), Outcome::Applied { .. }));
}

/// A control id used again: the same message is a duplicate (AA, nothing
/// applied); another message is refused on MSH-10, nothing applied.
#[test]
fn a_control_id_used_for_another_message_is_refused() {
    let mut db = booked();
    let same = booking("B1", BookingEvent::New, "RDV-1", &["VERT"]);
    let before = (state(&db), last_audit(&db));
    assert_eq!(apply(&mut db, &same), Outcome::Duplicate);
    assert_eq!((state(&db), last_audit(&db)), before);
    let mut other = booking("B1", BookingEvent::Cancelled, "RDV-1", &["VERT"]);
    if let Parsed::Booking(b) = &mut other {
        b.header.digest = "another message".into();
    }
    let out = apply(&mut db, &other);
    let why = "control id already used for another message";
    refused_alone(&db, &out, AckCode::Ae, why, before);
    let Outcome::Refused(r) = out else {
        unreachable!()
    };
    assert_eq!(r.place, Some(tests_place("MSH", 10)));
    assert_eq!(case(&db, "RDV-1").feed.ended, None);
}

fn tests_place(segment: &str, field: usize) -> Place {
    Place {
        segment: segment.into(),
        sequence: 1,
        field,
    }
}

/// An identity update that leaves the given name or the sex empty keeps
/// the stored ones (HL7: empty is no change); `""` deletes the given name.
#[test]
fn an_identity_update_with_empty_fields_keeps_what_is_stored() {
    let mut db = booked();
    let update = |id: &str, first: Option<&str>, sex: Option<Sex>| {
        let mut p = patient("Durand");
        p.first_name = first.map(str::to_owned);
        p.sex = sex;
        Parsed::Identity(IdentityUpdate {
            header: header(id, "ADT", "A08"),
            patient: p,
        })
    };
    let before = state(&db);
    assert!(matches!(
        apply(&mut db, &update("A1", None, None)),
        Outcome::Applied { .. }
    ));
    let p = case(&db, "RDV-1").file.patient;
    assert_eq!((p.first_name.as_str(), p.sex), ("Jeanne", Sex::F));
    assert_eq!(state(&db)[1], before[1], "nothing changed");
    assert_eq!(case(&db, "RDV-1").feed.identity_changed, None);
    apply(&mut db, &update("A2", Some(""), Some(Sex::M)));
    let p = case(&db, "RDV-1").file.patient;
    assert_eq!((p.first_name.as_str(), p.sex), ("", Sex::M));
    // A new patient a booking makes without them: no given name, X.
    let mut msg = booking("B9", BookingEvent::New, "RDV-9", &["VERT"]);
    if let Parsed::Booking(b) = &mut msg {
        b.patient.ipp = "901".into();
        b.patient.first_name = None;
        b.patient.sex = None;
    }
    apply(&mut db, &msg);
    let p = case(&db, "RDV-9").file.patient;
    assert_eq!((p.first_name.as_str(), p.sex), ("", Sex::X));
}
