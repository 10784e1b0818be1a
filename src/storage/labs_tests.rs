//! Lab results applied value by value (issue 16): a result never makes an
//! older value look fresh, never replaces a newer typed value, and an eGFR
//! never becomes a creatinine clearance.

use super::*;
use crate::domain::assess::Assessment;
use crate::domain::labs::{Analyte, LabValue};
use crate::domain::panel::values_of;
use crate::domain::rules::{Context, Item, Status};
use crate::domain::time::When;
use crate::storage::reimport::{Choice, resolve};
use crate::storage::{Db, audit, cases, read};

const ID: &str = "SCH-2026-004501";
const LAB: &str = "hl7:LAB@HOSP";

fn db() -> Db {
    let mut db = Db::open_in_memory(crate::testkit::clock()).expect("db");
    let cases = crate::testkit::fixture_cases();
    let absent = crate::import::Absent::Clears;
    crate::import::save_all(&mut db, &cases, "import:week.json", absent).expect("import");
    db
}

fn when(s: &str) -> When {
    When::parse(s).expect("date")
}

fn lab(analyte: Analyte, value: f64, at: &str) -> LabValue {
    LabValue {
        analyte,
        value,
        at: when(at),
    }
}

/// A person types the case's coagulation.
fn type_coagulation(db: &mut Db, at: &str, inr: f64, platelets: f64) {
    let case = read::by_external_id(db, ID).expect("case");
    let version = case.recorded(EvidenceKind::Coagulation).map(|r| r.version);
    let data = format!(r#"{{"at":"{at}","inr":{inr},"platelets_g_l":{platelets}}}"#);
    db.write(|w| cases::set_evidence(w, case.id, EvidenceKind::Coagulation, &data, version))
        .expect("a form's save");
}

fn apply_labs(db: &mut Db, values: &[LabValue]) -> LabSummary {
    let id = read::by_external_id(db, ID).expect("case").id;
    db.write(|w| apply(w, id, LAB, "file:oru-1.hl7", values))
        .expect("applied")
}

/// The stored coagulation, value by value: key → (value, own date).
fn coagulation(db: &Db) -> crate::domain::panel::Values {
    let case = read::by_external_id(db, ID).expect("case");
    let json = case
        .file
        .evidence_json(EvidenceKind::Coagulation)
        .expect("json")
        .expect("stored");
    values_of(EvidenceKind::Coagulation, &json)
        .expect("values")
        .0
}

fn coagulation_item(db: &Db) -> (Status, String) {
    let rules = db.rules().expect("rules");
    let ctx = Context {
        rules: &rules,
        tz: chrono_tz::Europe::Paris,
    };
    let case = read::by_external_id(db, ID).expect("case");
    let a = Assessment::of_stored(&case, &ctx);
    let r = a.dossier.item(Item::Coagulation).expect("coagulation");
    (r.status, r.message(crate::domain::message::Lang::En))
}

fn value(v: f64, at: &str) -> (serde_json::Value, When) {
    (serde_json::json!(v), when(at))
}

#[test]
fn an_inr_alone_beside_older_platelets_leaves_them_expired() {
    let mut db = db();
    // Typed three weeks before day J (2026-11-30): both values changed.
    type_coagulation(&mut db, "2026-11-09", 1.4, 230.0);
    let s = apply_labs(&mut db, &[lab(Analyte::Inr, 1.1, "2026-11-26T08:00")]);
    assert_eq!(
        (s.taken.as_slice(), s.pending.as_slice()),
        (&[Analyte::Inr][..], &[][..])
    );
    let c = coagulation(&db);
    assert_eq!(c["inr"], value(1.1, "2026-11-26T08:00"));
    assert_eq!(
        c["platelets_g_l"],
        value(230.0, "2026-11-09"),
        "its own date"
    );
    let (status, message) = coagulation_item(&db);
    assert_eq!(status, Status::Expired, "{message}");
    assert!(message.starts_with("platelets 2026-11-09"), "{message}");
}

#[test]
fn a_form_dates_only_the_values_it_changed() {
    let mut db = db();
    // The file's coagulation: INR 1.05 and platelets 236, 2026-11-25 07:45.
    type_coagulation(&mut db, "2026-11-27T10:00", 1.3, 236.0);
    let c = coagulation(&db);
    assert_eq!(c["inr"], value(1.3, "2026-11-27T10:00"));
    assert_eq!(
        c["platelets_g_l"],
        value(236.0, "2026-11-25T07:45"),
        "not touched"
    );
}

#[test]
fn a_result_older_than_a_typed_value_is_superseded_and_nothing_waits() {
    let mut db = db();
    type_coagulation(&mut db, "2026-11-26T09:00", 2.4, 180.0);
    let s = apply_labs(&mut db, &[lab(Analyte::Inr, 1.1, "2026-11-25T08:00")]);
    assert_eq!(
        (s.taken.len(), s.pending.len(), s.superseded.as_slice()),
        (0, 0, &[Analyte::Inr][..])
    );
    assert_eq!(
        coagulation(&db)["inr"],
        value(2.4, "2026-11-26T09:00"),
        "typed kept"
    );
    let case = read::by_external_id(&db, ID).expect("case");
    assert!(case.pending.is_empty(), "nothing for a person to decide");
}

#[test]
fn a_result_of_the_typed_values_time_waits_and_taking_it_merges_it_alone() {
    let mut db = db();
    type_coagulation(&mut db, "2026-11-26T09:00", 2.4, 180.0);
    let s = apply_labs(&mut db, &[lab(Analyte::Inr, 1.1, "2026-11-26T09:00")]);
    assert_eq!(
        (s.taken.len(), s.pending.as_slice()),
        (0, &[Analyte::Inr][..])
    );
    assert_eq!(
        coagulation(&db)["inr"],
        value(2.4, "2026-11-26T09:00"),
        "typed kept"
    );
    let case = read::by_external_id(&db, ID).expect("case");
    let p = case.pending.first().expect("pending");
    assert_eq!(
        (p.item.as_str(), p.source.as_str(), p.loss.as_str()),
        ("coagulation", LAB, "same_date")
    );
    // Taken by a person: the INR alone, with its own date.
    let field = crate::domain::reimport::Field::Evidence(EvidenceKind::Coagulation);
    db.write(|w| resolve(w, case.id, field, Some(LAB), Choice::Take))
        .expect("taken");
    let c = coagulation(&db);
    assert_eq!(c["inr"], value(1.1, "2026-11-26T09:00"));
    assert_eq!(c["platelets_g_l"], value(180.0, "2026-11-26T09:00"));
    assert!(
        read::by_external_id(&db, ID)
            .expect("case")
            .pending
            .is_empty()
    );
}

#[test]
fn a_newer_result_replaces_a_typed_value() {
    let mut db = db();
    type_coagulation(&mut db, "2026-11-26T09:00", 2.4, 180.0);
    let s = apply_labs(
        &mut db,
        &[
            lab(Analyte::Inr, 1.2, "2026-11-27T07:00"),
            lab(Analyte::Platelets, 190.0, "2026-11-27T07:00"),
        ],
    );
    assert_eq!(s.taken, [Analyte::Inr, Analyte::Platelets]);
    let c = coagulation(&db);
    assert_eq!(c["inr"], value(1.2, "2026-11-27T07:00"));
    let (status, message) = coagulation_item(&db);
    assert_eq!(status, Status::Ok, "{message}");
}

#[test]
fn the_same_values_sent_twice_change_nothing() {
    let mut db = db();
    let values = [
        lab(Analyte::Inr, 1.2, "2026-11-27T07:00"),
        lab(Analyte::Neutrophils, 2.5, "2026-11-27T07:00"),
    ];
    let first = apply_labs(&mut db, &values);
    assert!(first.changed());
    let written = |db: &Db| {
        audit::list(db, None)
            .expect("audit")
            .into_iter()
            .filter(|r| r.action.starts_with("evidence.") || r.action.starts_with("pending."))
            .count()
    };
    let before = (
        written(&db),
        read::by_external_id(&db, ID).expect("case").version,
    );
    let again = apply_labs(&mut db, &values);
    assert!(!again.changed(), "{again:?}");
    assert_eq!(again.unchanged, [Analyte::Neutrophils, Analyte::Inr]);
    let after = (
        written(&db),
        read::by_external_id(&db, ID).expect("case").version,
    );
    assert_eq!(after, before);
}

#[test]
fn an_egfr_is_biology_never_a_clearance() {
    let mut db = db();
    let before = read::by_external_id(&db, ID)
        .expect("case")
        .file
        .medications;
    apply_labs(&mut db, &[lab(Analyte::Egfr, 25.0, "2026-11-27T07:00")]);
    let case = read::by_external_id(&db, ID).expect("case");
    assert_eq!(case.file.biology.and_then(|b| b.egfr), Some(25.0));
    assert_eq!(case.file.medications, before);
    let crcl = |m: &Option<Vec<crate::domain::model::Medication>>| {
        m.iter().flatten().filter_map(|m| m.crcl_ml_min).count()
    };
    assert_eq!(crcl(&case.file.medications), crcl(&before));
}

#[test]
fn the_file_and_a_sender_each_have_their_own_base() {
    let mut db = db();
    apply_labs(&mut db, &[lab(Analyte::Inr, 1.2, "2026-11-27T07:00")]);
    // The week's file again, unchanged: its source has not changed its INR
    // (2026-11-25): the newer result stays.
    let cases = crate::testkit::fixture_cases();
    let absent = crate::import::Absent::Clears;
    crate::import::save_all(&mut db, &cases, "import:week.json", absent).expect("import");
    let c = coagulation(&db);
    assert_eq!(c["inr"], value(1.2, "2026-11-27T07:00"));
    assert_eq!(c["platelets_g_l"], value(236.0, "2026-11-25T07:45"));
    assert!(
        read::by_external_id(&db, ID)
            .expect("case")
            .pending
            .is_empty()
    );
}

#[test]
fn creatinine_is_stored_and_a_value_outside_its_bounds_is_refused() {
    let mut db = db();
    apply_labs(
        &mut db,
        &[lab(Analyte::Creatinine, 88.0, "2026-11-27T07:00")],
    );
    let case = read::by_external_id(&db, ID).expect("case");
    assert_eq!(
        case.file.biology.and_then(|b| b.creatinine_umol_l),
        Some(88.0)
    );
    let id = case.id;
    let bad = [lab(Analyte::Platelets, -3.0, "2026-11-27T07:00")];
    let e = db
        .write(|w| apply(w, id, LAB, "file:oru-2.hl7", &bad))
        .expect_err("refused");
    assert!(e.to_string().contains("platelets_g_l"), "{e}");
}

#[test]
fn migration_26_names_each_values_own_date_and_the_trail_still_verifies() {
    let (_dir, path) = crate::testkit::fixture_db();
    {
        let mut db = Db::open(&path, crate::testkit::clock()).expect("open");
        type_coagulation(&mut db, "2026-11-26T09:00", 2.4, 180.0);
        // An INR of the same time from a sender: pending.
        apply_labs(&mut db, &[lab(Analyte::Inr, 1.1, "2026-11-26T09:00")]);
    }
    // As version 25 wrote them: one date for the whole object.
    let legacy = "UPDATE evidence SET data = json_remove(data, '$.dates')
                    WHERE kind IN ('biology', 'coagulation');
                  UPDATE import_base SET value = json_remove(value, '$.dates')
                    WHERE item IN ('biology', 'coagulation');
                  UPDATE pending_values SET value = json_remove(value, '$.dates')
                    WHERE item IN ('biology', 'coagulation');
                  DROP TABLE lab_unusable;
                  DROP INDEX case_facts_by_performed;
                  DROP TABLE lab_result_status;
                  DROP TABLE lab_held;
                  ALTER TABLE patients DROP COLUMN identity_before;
                  ALTER TABLE cases DROP COLUMN changed_after_decision;
                  ALTER TABLE decisions DROP COLUMN cleared_change;
                  DROP TABLE protocol_approvals;
                  DROP INDEX audit_rules;
                  DELETE FROM meta WHERE key = 'protocol_version';
                  PRAGMA user_version = 25;";
    rusqlite::Connection::open(&path)
        .expect("shell")
        .execute_batch(legacy)
        .expect("legacy rows");
    let db = Db::open(&path, crate::testkit::clock()).expect("migrated");
    let count = |sql: &str| -> i64 { db.conn().query_row(sql, [], |r| r.get(0)).expect("count") };
    for (table, column, item) in [
        ("evidence", "data", "kind"),
        ("import_base", "value", "item"),
        ("pending_values", "value", "item"),
    ] {
        let of = format!("FROM {table} WHERE {item} IN ('biology', 'coagulation')");
        assert!(count(&format!("SELECT count(*) {of}")) > 0, "{table}");
        let undated = format!("SELECT count(*) {of} AND json_extract({column}, '$.dates') IS NULL");
        assert_eq!(count(&undated), 0, "{table}");
    }
    // Every value dated `at`, the one date the object had.
    let c = coagulation(&db);
    assert_eq!(c["platelets_g_l"], value(180.0, "2026-11-26T09:00"));
    let pending = &read::by_external_id(&db, ID).expect("case").pending[0].value;
    assert!(
        pending.contains(r#""dates":{"inr":"2026-11-26T09:00"}"#),
        "{pending}"
    );
    assert!(
        matches!(
            audit::verify_live(&db).expect("verify"),
            audit::LiveVerdict::Match { .. }
        ),
        "the migration claims the rows it rewrote"
    );
}
