//! ORU^R01 through the real parser and handler (the fixtures of
//! `tests/hl7/`): values reach the patient's cases of the coming four
//! weeks, each with its own date; a result applied once; an unknown or
//! mismatched patient changes nothing.

use crate::storage::feed_testkit::{be, fixture, send};
use chrono::NaiveDate;

use crate::domain::assess::Assessment;
use crate::domain::clock::Clock;
use crate::domain::record::StoredCase;
use crate::domain::rules::Context;
use crate::feed::handler::StorageHandler;
use crate::storage::{Db, StorageError};

#[path = "lab_unusable_tests.rs"]
mod unusable;

#[path = "feed_labs_status_tests.rs"]
mod status;

const BOOKING: &str = "RDV-55501";

/// A file on 2026-12-07 whose user is the feed, with the S12 fixture's
/// booking (2026-12-14) applied.
fn booked() -> StorageHandler {
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
    let mut h = StorageHandler::new(db).expect("handler");
    assert_eq!(send(&mut h, &fixture("siu_s12.hl7")), "AA");
    h
}

fn case(h: &StorageHandler) -> StoredCase {
    crate::storage::read::by_external_id(h.db(), BOOKING).expect("case")
}

fn coag(h: &StorageHandler) -> serde_json::Value {
    serde_json::to_value(case(h).file.coagulation).expect("json")
}

#[test]
fn a_full_report_fills_biology_and_coagulation_with_each_values_date() {
    let mut h = booked();
    assert_eq!(send(&mut h, &fixture("oru_full.hl7")), "AA");
    let c = case(&h);
    let co = c.file.coagulation.expect("coagulation");
    assert_eq!((co.inr, co.platelets_g_l), (Some(1.1), Some(215.0)));
    let bio = c.file.biology.expect("biology");
    assert_eq!(bio.neutrophils_g_l, Some(4.2));
    // 128 g/L, corrected (C): 12.8 g/dL.
    assert_eq!(bio.hemoglobin_g_dl, Some(12.8));
    assert_eq!(bio.creatinine_umol_l, Some(88.0));
    assert_eq!(bio.egfr, Some(67.0));
    // An eGFR never fills a Cockcroft clearance.
    assert!(c.file.medications.is_none());
    // The preliminary mg/dL creatinine (P) and the potassium are not applied.
    let audit: String = h
        .db()
        .conn()
        .query_row(
            "SELECT new_value FROM audit WHERE action = 'feed.apply' ORDER BY id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .expect("audit");
    assert!(audit.contains("2160-0 NotFinal"), "{audit}");
    assert!(
        !audit.contains("DUPONT") && !audit.contains("123456"),
        "{audit}"
    );
}

#[test]
fn an_inr_alone_keeps_the_older_platelets_date_and_they_expire_on_it() {
    let mut h = booked();
    // The full report, its specimen three weeks earlier.
    let old = fixture("oru_full.hl7")
        .replace("20261206153000+0100", "20261116153000+0100")
        .replace("20261206154500", "20261116154500");
    assert_eq!(send(&mut h, &old), "AA");
    assert_eq!(send(&mut h, &fixture("oru_inr_only.hl7")), "AA");
    let c = coag(&h);
    assert_eq!(c["inr"], 1.3);
    assert_eq!(c["platelets_g_l"], 215.0);
    assert_eq!(c["dates"]["inr"], "2026-12-07T07:15");
    assert_eq!(c["dates"]["platelets_g_l"], "2026-11-16T15:30");
    let stored = case(&h);
    let rules = h.db().rules().expect("rules");
    let ctx = Context {
        rules: &rules,
        tz: h.db().timezone().expect("tz"),
    };
    let a = Assessment::of_stored(&stored, &ctx);
    let text = format!("{a:?}");
    assert!(text.contains("coagulation.expired"), "{text}");
    assert!(
        text.contains("Platelets"),
        "the platelets are the expired value: {text}"
    );
}

#[test]
fn a_result_is_applied_once_and_an_unknown_or_other_patient_changes_nothing() {
    let mut h = booked();
    let inr = fixture("oru_inr_only.hl7");
    assert_eq!(send(&mut h, &inr), "AA");
    let version = case(&h).recorded.iter().map(|r| r.version).sum::<i64>();
    assert_eq!(send(&mut h, &inr), "AA", "a duplicate is acknowledged");
    assert_eq!(
        case(&h).recorded.iter().map(|r| r.version).sum::<i64>(),
        version,
        "and not applied twice"
    );
    let outcome = |h: &StorageHandler, id: &str| -> String {
        h.db()
            .conn()
            .query_row(
                "SELECT outcome FROM feed_messages WHERE control_id = ?1",
                [id],
                |r| r.get(0),
            )
            .expect("recorded")
    };
    // Another IPP: acknowledged, nothing made.
    let unknown = inr
        .replace("LAB-20261207-0001", "LAB-2")
        .replace("123456^^^", "999999^^^")
        .replace("|1.3|", "|4.0|");
    assert_eq!(send(&mut h, &unknown), "AA");
    assert_eq!(outcome(&h, "LAB-2"), "unknown_patient");
    // The same IPP with another birth date: not applied.
    let other = inr
        .replace("LAB-20261207-0001", "LAB-3")
        .replace("||19520314|", "||19520315|")
        .replace("|1.3|", "|4.0|");
    assert_eq!(send(&mut h, &other), "AA");
    assert_eq!(outcome(&h, "LAB-3"), "identity_mismatch");
    assert_eq!(coag(&h)["inr"], 1.3, "neither reached the case");
}

#[test]
fn a_value_outside_its_bounds_is_set_aside_and_the_rest_applied() {
    let mut h = booked();
    let text = fixture("oru_full.hl7").replace("|1.1||0.8-1.2|", "|40||0.8-1.2|");
    assert_eq!(send(&mut h, &text), "AA");
    let c = coag(&h);
    assert!(c.get("inr").is_none(), "{c}");
    assert_eq!(c["platelets_g_l"], 215.0);
}

/// A specimen dated after the message arrived (a year typo, a clock out of
/// step) would look fresh: not applied, and the case is blocking on it.
#[test]
fn a_result_dated_in_the_future_is_not_applied_and_blocks() {
    let mut h = booked();
    assert_eq!(send(&mut h, &fixture("oru_full.hl7")), "AA");
    // 2026-12-07 08:30 from a file whose clock reads 2026-12-07 13:00
    // (noon UTC): within the tolerance, applied.
    let soon = fixture("oru_inr_only.hl7")
        .replace("20261207071500+0100", "20261207083000+0100")
        .replace("|1.3|", "|1.2|");
    assert_eq!(send(&mut h, &soon), "AA");
    assert_eq!(coag(&h)["inr"], 1.2);
    let later = fixture("oru_inr_only.hl7")
        .replace("LAB-20261207-0001", "LAB-F")
        .replace("20261207071500+0100", "20261210071500+0100");
    assert_eq!(send(&mut h, &later), "AA");
    assert_eq!(coag(&h)["inr"], 1.2, "not applied");
    let stored = case(&h);
    let rules = h.db().rules().expect("rules");
    let ctx = Context {
        rules: &rules,
        tz: h.db().timezone().expect("tz"),
    };
    let text = format!("{:?}", Assessment::of_stored(&stored, &ctx));
    assert!(text.contains("feed.lab_unusable"), "{text}");
    assert!(text.contains("Future"), "{text}");
}
