//! Re-import never undoes a person's entry without a word (issue 9, point
//! 2): the real binary imports; a person's entry is saved through the same
//! storage call the screen's form makes (`cases::set_evidence`).

mod common;

use common::reimport::{ID, case_json, coagulation, file_with_coagulation, type_coagulation};
use common::{bin, fixture, hash, import_ok as import, imported};
use ir_committee::domain::record::EvidenceKind;
use ir_committee::storage::{Db, cases, read};
use ir_committee::testkit::clock;

#[test]
fn a_typed_inr_survives_the_same_file_and_an_older_one_waits_for_a_person() {
    let (dir, db) = imported();
    assert_eq!(coagulation(&db).0, "none", "INR 1.05 on file: ok");

    // A radiographer records INR 2.4 two days later: blocking.
    type_coagulation(&db, "2026-11-27T08:00", 2.4);
    let (severity, message) = coagulation(&db);
    assert_eq!(severity, "blocking");
    assert!(message.contains("INR 2.4"), "{message}");

    // The same schedule file again: the typed value stays, and the report says so.
    let out = import(&db, &fixture());
    assert!(
        out.contains(&format!("{ID} coagulation: kept: newer entry by")),
        "{out}"
    );
    let (severity, message) = coagulation(&db);
    assert_eq!(severity, "blocking", "the ✗ must not turn ✓: {message}");
    assert!(message.contains("INR 2.4"), "{message}");
    // And again: nothing else happens.
    import(&db, &fixture());
    assert_eq!(coagulation(&db).0, "blocking");
    assert_eq!(case_json(&db)["pending"], serde_json::json!([]));

    // A file with an older work-up than the typed one: it loses, and waits.
    let older = file_with_coagulation(dir.path(), "older.json", "2026-11-26T07:45", 1.0);
    let out = import(&db, &older);
    assert!(out.contains(&format!("{ID} coagulation: pending")), "{out}");
    assert!(out.contains("dated earlier than the entry by"), "{out}");
    let case = case_json(&db);
    assert_eq!(case["pending"].as_array().map(Vec::len), Some(1), "{case}");
    let (severity, message) = coagulation(&db);
    assert_eq!(severity, "blocking");
    assert!(
        message.contains(
            // Value by value (issue 16): the older INR waits alone; the
            // platelets, newer than those on file, are taken.
            "conflicting value on file for coagulation: INR 1, 2026-11-26 — keep or take"
        ),
        "{message}"
    );
    assert!(
        message.contains("INR 2.4"),
        "stored value still judged: {message}"
    );

    // Importing it again leaves one pending value, not two.
    import(&db, &older);
    assert_eq!(case_json(&db)["pending"].as_array().map(Vec::len), Some(1));

    // A person keeps the stored value: the conflict is gone, the value stays.
    bin(&db)
        .args(["resolve", ID, "coagulation", "keep"])
        .assert()
        .success()
        .stdout(predicates::str::contains("the stored value is kept"));
    assert_eq!(case_json(&db)["pending"], serde_json::json!([]));
    let (severity, message) = coagulation(&db);
    assert_eq!(severity, "blocking");
    assert!(message.contains("INR 2.4"));
    assert!(!message.contains("conflicting"), "{message}");
    // Nothing left to resolve.
    bin(&db)
        .args(["resolve", ID, "coagulation", "keep"])
        .assert()
        .failure()
        .stderr(predicates::str::contains("no conflicting value on file"));

    // Every step is in the audit trail of the case.
    let audit = bin(&db)
        .args(["audit", "--case", ID])
        .output()
        .expect("audit");
    let audit = String::from_utf8_lossy(&audit.stdout);
    assert!(audit.contains("pending.coagulation"), "{audit}");
    assert!(audit.contains("resolve.coagulation.keep"), "{audit}");
}

#[test]
fn a_newer_file_replaces_a_typed_value_and_says_so() {
    let (dir, db) = imported();
    type_coagulation(&db, "2026-11-27T08:00", 2.4);
    let newer = file_with_coagulation(dir.path(), "newer.json", "2026-11-28T08:00", 1.1);
    let out = import(&db, &newer);
    assert!(
        out.contains(&format!("{ID} coagulation: replaced the entry by")),
        "{out}"
    );
    assert!(
        out.contains("INR 2.4"),
        "the replaced value is named: {out}"
    );
    let (severity, message) = coagulation(&db);
    assert_eq!(severity, "none", "{message}");
    assert!(message.contains("INR 1.1"), "{message}");
    // The replaced value is in the case's history.
    let audit = bin(&db)
        .args(["audit", "--case", ID, "--format", "json"])
        .output()
        .expect("audit");
    let audit = String::from_utf8_lossy(&audit.stdout);
    assert!(audit.contains("2.4"), "{audit}");
}

#[test]
fn taking_the_file_value_replaces_the_stored_one() {
    let (dir, db) = imported();
    type_coagulation(&db, "2026-11-27T08:00", 2.4);
    // A date alone on the typed value's day: a tie keeps the stored value.
    let same_day = file_with_coagulation(dir.path(), "same.json", "2026-11-27", 1.2);
    let out = import(&db, &same_day);
    assert!(out.contains("dated the same day as"), "{out}");
    bin(&db)
        .args(["resolve", ID, "coagulation", "take"])
        .assert()
        .success();
    let (severity, message) = coagulation(&db);
    assert_eq!(severity, "none", "{message}");
    assert!(message.contains("INR 1.2"), "{message}");
    assert_eq!(case_json(&db)["pending"], serde_json::json!([]));
    // The file's value is now the stored one: importing it again changes nothing.
    let out = import(&db, &same_day);
    assert!(!out.contains("pending"), "{out}");
}

#[test]
fn a_viewer_or_an_unknown_item_cannot_resolve() {
    let (dir, db) = imported();
    type_coagulation(&db, "2026-11-27T08:00", 2.4);
    let older = file_with_coagulation(dir.path(), "older.json", "2026-11-20T07:45", 1.0);
    import(&db, &older);
    bin(&db)
        .args(["resolve", ID, "notes", "keep"])
        .assert()
        .failure()
        .stderr(predicates::str::contains("is not an item"));
    bin(&db)
        .args(["resolve", ID, "coagulation", "maybe"])
        .assert()
        .failure();
    // Demote the only other possible resolver: root is the chair; add a
    // second chair, then make root a viewer.
    bin(&db)
        .args([
            "users", "add", "alice", "--role", "chair", "--name", "Alice",
        ])
        .assert()
        .success();
    bin(&db)
        .args(["users", "set-role", "root", "viewer"])
        .assert()
        .success();
    let before = hash(&db);
    bin(&db)
        .args(["resolve", ID, "coagulation", "take"])
        .assert()
        .failure()
        .stderr(predicates::str::contains("may not"));
    assert_ne!(hash(&db), before, "the refusal is audited");
    // A viewer reads pseudonymised only (issue 11): the chair looks.
    rusqlite::Connection::open(&db)
        .expect("open")
        .execute("UPDATE users SET role = 'chair' WHERE login = 'root'", [])
        .expect("chair again");
    assert_eq!(
        case_json(&db)["pending"].as_array().map(Vec::len),
        Some(1),
        "still pending"
    );
}

#[test]
fn dry_run_reports_the_same_and_writes_nothing() {
    let (dir, db) = imported();
    type_coagulation(&db, "2026-11-27T08:00", 2.4);
    let older = file_with_coagulation(dir.path(), "older.json", "2026-11-20T07:45", 1.0);
    let before = hash(&db);
    let out = bin(&db)
        .args(["import", "--dry-run"])
        .arg(&older)
        .output()
        .expect("dry run");
    assert!(out.status.success());
    let dry = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(hash(&db), before, "a dry run writes nothing");
    assert!(dry.starts_with("dry run: nothing was written"), "{dry}");
    let real = import(&db, &older);
    assert_eq!(
        dry.lines().skip(1).collect::<Vec<_>>(),
        real.lines().collect::<Vec<_>>()
    );
    // JSON: per case and item.
    let out = bin(&db)
        .args(["import", "--dry-run", "--format", "json"])
        .arg(&older)
        .output()
        .expect("json");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    assert_eq!(report["dry_run"], true);
    let items = report["items"].as_array().expect("items");
    assert!(
        items.iter().any(|i| i["external_id"] == ID
            && i["item"] == "coagulation"
            && i["change"] == "pending"),
        "the value that lost last time still waits: {report}"
    );
}

#[test]
fn a_leaflet_a_consent_and_an_added_mri_survive_a_reimport() {
    let (_dir, db) = imported();
    let mut handle = Db::open(&db, clock()).expect("open");
    let case = read::by_external_id(&handle, ID).expect("case");
    let mut consultation = case.file.consultation.clone().expect("consultation");
    consultation.leaflet_given = Some(false);
    let mut imaging = case.file.imaging.clone().unwrap_or_default();
    imaging.push(serde_json::from_str(r#"{"kind":"mri","at":"2026-11-24"}"#).expect("mri"));
    for (kind, data) in [
        (
            EvidenceKind::Consultation,
            serde_json::to_string(&consultation).expect("json"),
        ),
        (
            EvidenceKind::Imaging,
            serde_json::to_string(&imaging).expect("json"),
        ),
    ] {
        let version = case.recorded(kind).map(|r| r.version);
        handle
            .write(|w| cases::set_evidence(w, case.id, kind, &data, version))
            .expect("saved");
    }
    drop(handle);
    import(&db, &fixture());
    let handle = Db::open(&db, clock()).expect("open");
    let after = read::by_external_id(&handle, ID).expect("case");
    assert_eq!(
        after.file.consultation.and_then(|c| c.leaflet_given),
        Some(false)
    );
    assert_eq!(after.file.imaging.map(|i| i.len()), Some(imaging.len()));
}
