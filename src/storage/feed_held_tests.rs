//! Laboratory values kept until a case can take them, through the real
//! parser and handler (the fixtures of `tests/hl7/`): a result before its
//! booking reaches the case the booking (or an import) makes, each value
//! with its own date, never over a newer typed one; a result whose PID
//! differs, or for a patient the file does not hold, is listed and not
//! applied; a value too old for any coming case is not kept.

use crate::storage::feed_testkit::{fixture, send};
use chrono::NaiveDate;

use super::{Why, mismatches};
use crate::domain::clock::Clock;
use crate::feed::handler::StorageHandler;
use crate::feed::{Handler, Origin, Payload};
use crate::storage::feed_held_list::held;
use crate::storage::{Db, StorageError};

/// A file on 2026-12-07 whose user is the feed, with nothing booked.
fn empty() -> StorageHandler {
    let day = NaiveDate::from_ymd_opt(2026, 12, 7).expect("day");
    let mut db = Db::open_in_memory(Clock::Fixed(day)).expect("db");
    let login = db.login().to_owned();
    db.write(|w| {
        w.tx().execute(
            "INSERT INTO users (login, name, role, created_at) VALUES ('boss', 'Boss', 'chair', 'x')",
            [],
        )?;
        w.tx()
            .execute("UPDATE users SET role = 'feed' WHERE login = ?1", [&login])?;
        Ok::<_, StorageError>(())
    })
    .expect("role");
    StorageHandler::new(db).expect("handler")
}

fn panel(h: &StorageHandler, external_id: &str, kind: &str) -> serde_json::Value {
    let c = crate::storage::read::by_external_id(h.db(), external_id).expect("case");
    let v = match kind {
        "coagulation" => serde_json::to_value(c.file.coagulation),
        _ => serde_json::to_value(c.file.biology),
    };
    v.expect("json")
}

fn count(h: &StorageHandler, sql: &str) -> i64 {
    h.db()
        .conn()
        .query_row(sql, [], |r| r.get(0))
        .expect("count")
}

/// The full report (INR, platelets of 2026-12-06 15:30; the blood count
/// and creatinine of 15:45) under another control id.
fn full(id: &str) -> String {
    fixture("oru_full.hl7").replace("LAB-20261207-0002", id)
}

#[test]
fn a_result_before_its_booking_reaches_the_case_the_booking_makes() {
    let mut h = empty();
    assert_eq!(send(&mut h, &full("LAB-1")), "AA");
    // No patient yet: acknowledged, recorded, kept and listed.
    let listed = held(h.db()).expect("held");
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].why, Why::UnknownPatient);
    assert_eq!(listed[0].control_id, "LAB-1");
    assert_eq!(listed[0].values.len(), 6, "{:?}", listed[0].values);
    assert_eq!(send(&mut h, &fixture("siu_s12.hl7")), "AA");
    let co = panel(&h, "RDV-55501", "coagulation");
    assert_eq!(
        (co["inr"].as_f64(), co["platelets_g_l"].as_f64()),
        (Some(1.1), Some(215.0))
    );
    assert_eq!(co["dates"]["inr"], "2026-12-06T15:30", "{co}");
    let bio = panel(&h, "RDV-55501", "biology");
    assert_eq!(bio["hemoglobin_g_dl"].as_f64(), Some(12.8));
    assert_eq!(
        bio["dates"]["creatinine_umol_l"], "2026-12-06T15:45",
        "{bio}"
    );
    // The original sender is the source; applied, audited, no longer listed.
    assert_eq!(
        count(
            &h,
            "SELECT count(*) FROM import_base WHERE item = 'coagulation' AND source = 'hl7:GLIMS@LABO-CHU'"
        ),
        1
    );
    assert_eq!(
        count(
            &h,
            "SELECT count(*) FROM audit WHERE action = 'labs.held_apply' AND case_id IS NOT NULL"
        ),
        1
    );
    assert!(held(h.db()).expect("held").is_empty());
    // The trail and the live rows agree (read by a chair).
    let login = h.db().login().to_owned();
    h.db_mut()
        .write(|w| {
            w.tx()
                .execute("UPDATE users SET role = 'chair' WHERE login = ?1", [&login])?;
            Ok::<_, StorageError>(())
        })
        .expect("role");
    let verdict = crate::storage::audit::verify_live(h.db()).expect("verify");
    assert!(
        matches!(verdict, crate::storage::audit::LiveVerdict::Match { .. }),
        "{verdict:?}"
    );
}

#[test]
fn a_result_with_no_case_in_four_weeks_reaches_a_later_booking_of_that_patient() {
    let mut h = empty();
    // Booked in February: beyond the results' four weeks.
    let far = fixture("siu_s12.hl7")
        .replace("20261214093000", "20270215093000")
        .replace("20261214103000", "20270215103000");
    assert_eq!(send(&mut h, &far), "AA");
    assert_eq!(send(&mut h, &fixture("oru_inr_only.hl7")), "AA");
    assert!(panel(&h, "RDV-55501", "coagulation").is_null());
    let listed = held(h.db()).expect("held");
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].why, Why::NoCase);
    // A second booking of that patient, next week.
    let next = fixture("siu_s12.hl7")
        .replace("RDV-20261207-0001", "RDV-2")
        .replace("RDV-55501", "RDV-55502");
    assert_eq!(send(&mut h, &next), "AA");
    let co = panel(&h, "RDV-55502", "coagulation");
    assert_eq!(co["inr"].as_f64(), Some(1.3), "{co}");
    assert_eq!(co["dates"]["inr"], "2026-12-07T07:15");
    assert!(held(h.db()).expect("held").is_empty());
    // The February case, moved to next week by its source (S13): it gets
    // them too; a booking changed again adds nothing to the trail.
    let moved = fixture("siu_s12.hl7")
        .replace("RDV-20261207-0001", "RDV-3")
        .replace("SIU^S12^SIU_S12", "SIU^S13^SIU_S12")
        .replace("20261214093000", "20261216093000")
        .replace("20261214103000", "20261216103000");
    assert_eq!(send(&mut h, &moved), "AA");
    assert_eq!(
        panel(&h, "RDV-55501", "coagulation")["inr"].as_f64(),
        Some(1.3)
    );
    let applied = "SELECT count(*) FROM audit WHERE action = 'labs.held_apply'";
    assert_eq!(count(&h, applied), 2);
    let again = moved
        .replace("RDV-3", "RDV-4")
        .replace("SALLE-RI-2", "SALLE-RI-3");
    assert_eq!(send(&mut h, &again), "AA");
    assert_eq!(count(&h, applied), 2);
}

#[test]
fn an_older_held_result_does_not_override_a_newer_typed_value() {
    let mut h = empty();
    assert_eq!(send(&mut h, &full("LAB-1")), "AA");
    // The case comes from a file with an INR typed the next morning.
    let doc = serde_json::json!({
        "format": "ir-committee/cases@1",
        "cases": [{
            "external_id": "IMP-1",
            "patient": {"ipp": "123456", "last_name": "Dupont", "first_name": "Hélène",
                        "birth_date": "1952-03-14", "sex": "F"},
            "procedure": {"scheduled_at": "2026-12-15T09:00", "room": "S1", "operator": "Dr X",
                          "techniques": ["vertebroplasty"], "target": "L2",
                          "anaesthesia": "conscious_sedation", "duration_min": 60},
            "coagulation": {"at": "2026-12-07T06:00", "inr": 1.5}
        }]
    })
    .to_string();
    let a = h.handle(
        Payload::Json(doc.as_bytes()),
        &Origin::File("week.json".into()),
    );
    assert!(a.accepted, "{}", String::from_utf8_lossy(&a.bytes));
    let co = panel(&h, "IMP-1", "coagulation");
    // The typed INR is newer: it stands; the platelets come from the lab.
    assert_eq!(co["inr"].as_f64(), Some(1.5), "{co}");
    assert_eq!(co["dates"]["inr"], "2026-12-07T06:00");
    assert_eq!(co["platelets_g_l"].as_f64(), Some(215.0));
    assert_eq!(co["dates"]["platelets_g_l"], "2026-12-06T15:30");
    assert_eq!(
        count(&h, "SELECT count(*) FROM pending_values"),
        0,
        "nothing waits"
    );
    assert!(held(h.db()).expect("held").is_empty());
}

#[test]
fn a_result_whose_birth_date_differs_is_listed_and_not_applied() {
    let mut h = empty();
    let other = fixture("oru_inr_only.hl7").replace("||19520314|", "||19520315|");
    assert_eq!(send(&mut h, &other), "AA");
    assert_eq!(
        mismatches(h.db()).expect("count"),
        0,
        "no patient yet to differ from"
    );
    assert_eq!(send(&mut h, &fixture("siu_s12.hl7")), "AA");
    assert!(
        panel(&h, "RDV-55501", "coagulation").is_null(),
        "not applied"
    );
    let listed = held(h.db()).expect("held");
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].why, Why::IdentityMismatch);
    assert_eq!(listed[0].differs, vec!["birth_date"]);
    assert_eq!(listed[0].birth_date, "1952-03-15");
    assert_eq!(mismatches(h.db()).expect("count"), 1);
    // Arrived for a patient the file holds: recorded as a mismatch, kept.
    let late = fixture("oru_inr_only.hl7")
        .replace("LAB-20261207-0001", "LAB-9")
        .replace("DUPONT^", "DURAND^");
    assert_eq!(send(&mut h, &late), "AA");
    let listed = held(h.db()).expect("held");
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[1].differs, vec!["last_name"]);
    assert_eq!(mismatches(h.db()).expect("count"), 2);
    assert!(panel(&h, "RDV-55501", "coagulation").is_null());
    // The hospital's identity service corrects the birth date to the
    // laboratory's (A08): the first result names the patient now and
    // reaches the case; the other last name still does not.
    assert_eq!(send(&mut h, &fixture("adt_a08.hl7")), "AA");
    let co = panel(&h, "RDV-55501", "coagulation");
    assert_eq!(co["inr"].as_f64(), Some(1.3), "{co}");
    let listed = held(h.db()).expect("held");
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].control_id, "LAB-9");
    assert_eq!(listed[0].differs, vec!["birth_date", "last_name"]);
}

#[test]
fn an_unknown_patient_is_listed_with_the_pid_as_sent() {
    let mut h = empty();
    let unknown = fixture("oru_inr_only.hl7").replace("123456^^^", "999999^^^");
    assert_eq!(send(&mut h, &unknown), "AA");
    let listed = held(h.db()).expect("held");
    assert_eq!(listed.len(), 1);
    let r = &listed[0];
    assert_eq!((r.why, r.ipp.as_str()), (Why::UnknownPatient, "999999"));
    assert_eq!(
        (r.last_name.as_str(), r.first_name.as_str()),
        ("DUPONT", "Hélène")
    );
    assert_eq!(r.authority, "CHU-NANTES");
    assert_eq!(r.source, "hl7:GLIMS@LABO-CHU");
    assert_eq!(r.values.len(), 1);
    assert_eq!((r.values[0].analyte, r.values[0].value), ("inr", 1.3));
    // A booking of another IPP applies none of it.
    assert_eq!(send(&mut h, &fixture("siu_s12.hl7")), "AA");
    assert!(panel(&h, "RDV-55501", "coagulation").is_null());
    assert_eq!(held(h.db()).expect("held").len(), 1);
}

/// Kept as long as the longest biology or coagulation window (30 days by
/// default): a value of that day is kept, one of the day before is not;
/// a shorter table deletes it at the next write, audited.
#[test]
fn values_too_old_for_any_coming_case_are_not_kept() {
    let mut h = empty();
    let dated = |id: &str, day: &str| {
        fixture("oru_inr_only.hl7")
            .replace("LAB-20261207-0001", id)
            .replace("123456^^^", "999999^^^")
            .replace("20261207071500+0100", &format!("{day}071500+0100"))
    };
    assert_eq!(send(&mut h, &dated("LAB-A", "20261107")), "AA");
    assert_eq!(send(&mut h, &dated("LAB-B", "20261106")), "AA");
    let ids: Vec<String> = held(h.db())
        .expect("held")
        .into_iter()
        .map(|r| r.control_id)
        .collect();
    assert_eq!(ids, vec!["LAB-A"]);
    h.db_mut()
        .write(|w| {
            w.tx().execute(
                "UPDATE rules SET value = 20 WHERE rule IN ('biology.max_age', 'coagulation.max_age')",
                [],
            )?;
            Ok::<_, StorageError>(())
        })
        .expect("rules");
    // Not shown once too old, deleted at the next write.
    assert!(held(h.db()).expect("held").is_empty());
    assert_eq!(count(&h, "SELECT count(*) FROM lab_held"), 1);
    assert_eq!(send(&mut h, &dated("LAB-C", "20261206")), "AA");
    let ids: Vec<String> = held(h.db())
        .expect("held")
        .into_iter()
        .map(|r| r.control_id)
        .collect();
    assert_eq!(ids, vec!["LAB-C"]);
    assert_eq!(count(&h, "SELECT count(*) FROM lab_held"), 1);
    assert_eq!(
        count(
            &h,
            "SELECT count(*) FROM audit WHERE action = 'labs.held_purge'"
        ),
        1
    );
}

/// A withdrawal (OBX-11 `W`) of a kept value deletes it, audited, and it
/// never reaches a later case; the same final result sent again after it
/// is not kept either, nor a final result sent again after a correction
/// (the correction reaches the case, whatever the order received).
#[test]
fn a_withdrawn_or_corrected_kept_value_never_reaches_a_later_case() {
    let mut h = empty();
    assert_eq!(send(&mut h, &full("LAB-1")), "AA");
    let inr_as = |id: &str, status: &str, value: &str| {
        full(id).replace(
            "OBX|1|NM|6301-6^INR^LN||1.1||0.8-1.2|N|||F",
            &format!("OBX|1|NM|6301-6^INR^LN||{value}||0.8-1.2|N|||{status}"),
        )
    };
    assert_eq!(send(&mut h, &inr_as("LAB-2", "W", "")), "AA");
    // The queue replayed: the withdrawn final result again.
    assert_eq!(send(&mut h, &full("LAB-3")), "AA");
    // The platelets, corrected, then their stale final result replayed.
    let platelets = |id: &str, status: &str, value: &str| {
        full(id).replace(
            "OBX|2|NM|777-3^Plaquettes^LN||215|10*9/L|150-400|N|||F",
            &format!("OBX|2|NM|777-3^Plaquettes^LN||{value}|10*9/L|150-400|N|||{status}"),
        )
    };
    assert_eq!(send(&mut h, &platelets("LAB-4", "C", "95")), "AA");
    assert_eq!(send(&mut h, &platelets("LAB-5", "F", "215")), "AA");
    assert_eq!(send(&mut h, &fixture("siu_s12.hl7")), "AA");
    let co = panel(&h, "RDV-55501", "coagulation");
    assert!(co.get("inr").is_none(), "{co}");
    assert_eq!(co["platelets_g_l"].as_f64(), Some(95.0), "{co}");
    assert_eq!(
        count(
            &h,
            "SELECT count(*) FROM audit WHERE action = 'labs.held_withdraw'"
        ),
        1
    );
    // The withdrawal's mark is not listed as a result on no case.
    assert!(held(h.db()).expect("held").is_empty());
}

/// The INR fixture with OBX-11 `status` and OBX-5 `value`, control id `id`.
fn inr_as(id: &str, status: &str, value: &str) -> String {
    fixture("oru_inr_only.hl7")
        .replace("LAB-20261207-0001", id)
        .replace(
            "|1.3|{INR}|0.8-1.2|H|||F|",
            &format!("|{value}|{{INR}}|0.8-1.2|H|||{status}|"),
        )
}

fn inr(h: &StorageHandler, external_id: &str) -> Option<f64> {
    panel(h, external_id, "coagulation")["inr"].as_f64()
}

/// The laboratory's last word is one: a correction or a withdrawal held
/// before the patient existed still stops the stale final result the
/// engine replays after the booking made the patient and the case.
#[test]
fn a_final_replayed_after_a_held_correction_or_withdrawal_is_not_applied() {
    for (status, value, expected) in [("C", "2.0", Some(2.0)), ("W", "", None)] {
        let mut h = empty();
        assert_eq!(send(&mut h, &inr_as("LAB-1", "F", "2.4")), "AA");
        assert_eq!(send(&mut h, &inr_as("LAB-2", status, value)), "AA");
        assert_eq!(send(&mut h, &fixture("siu_s12.hl7")), "AA");
        assert_eq!(inr(&h, "RDV-55501"), expected, "{status} after the booking");
        assert_eq!(send(&mut h, &inr_as("LAB-3", "F", "2.4")), "AA");
        assert_eq!(inr(&h, "RDV-55501"), expected, "{status} after the replay");
    }
}

/// A kept value reaches the cases a live result reaches: those of the
/// coming four weeks (day 27 yes, day 28 no), so that a later correction
/// or withdrawal reaches every case it was given to.
#[test]
fn a_kept_value_reaches_only_the_cases_of_the_coming_four_weeks() {
    for (day, expected) in [("20270103", Some(1.3)), ("20270104", None)] {
        let mut h = empty();
        assert_eq!(send(&mut h, &fixture("oru_inr_only.hl7")), "AA");
        let booking = fixture("siu_s12.hl7")
            .replace("20261214093000", &format!("{day}093000"))
            .replace("20261214103000", &format!("{day}103000"));
        assert_eq!(send(&mut h, &booking), "AA");
        assert_eq!(inr(&h, "RDV-55501"), expected, "{day}");
        let listed = held(h.db()).expect("held");
        assert_eq!(listed.len(), usize::from(expected.is_none()), "{day}");
    }
}
