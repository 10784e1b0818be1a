//! Re-import never undoes a person's entry without a word (issue 9, point
//! 2): the real binary imports; a person's entry is saved through the same
//! storage call the screen's form makes (`cases::set_evidence`).

mod common;

use std::path::Path;

use common::{bin, check_json, fixture, hash, import_ok as import, imported};
use ir_committee::domain::record::EvidenceKind;
use ir_committee::storage::{Db, cases, read};
use ir_committee::testkit::clock;

/// The first case of the fixture: a vertebroplasty (high bleeding risk) on
/// 2026-11-30 08:00, coagulation of 2026-11-25 07:45, INR 1.05.
const ID: &str = "SCH-2026-004501";

/// What a person saves in the coagulation form.
fn type_coagulation(db: &Path, at: &str, inr: f64) {
    let mut db = Db::open(db, clock()).expect("open");
    let case = read::by_external_id(&db, ID).expect("case");
    let version = case.recorded(EvidenceKind::Coagulation).map(|r| r.version);
    let data = format!(r#"{{"at":"{at}","inr":{inr},"platelets_g_l":236}}"#);
    db.write(|w| cases::set_evidence(w, case.id, EvidenceKind::Coagulation, &data, version))
        .expect("saved as a form saves");
}

/// The fixture with the first case's coagulation replaced.
fn file_with_coagulation(dir: &Path, name: &str, at: &str, inr: f64) -> std::path::PathBuf {
    let text = std::fs::read_to_string(fixture()).expect("fixture");
    let mut doc: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    doc["cases"][0]["coagulation"] =
        serde_json::json!({"at": at, "inr": inr, "platelets_g_l": 236});
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_string(&doc).expect("JSON")).expect("write");
    path
}

fn case_json(db: &Path) -> serde_json::Value {
    check_json(db)["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .find(|c| c["external_id"] == ID)
        .expect("the case")
        .clone()
}

/// (severity, message) of the case's coagulation item.
fn coagulation(db: &Path) -> (String, String) {
    let case = case_json(db);
    let item = case["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["item"] == "coagulation")
        .expect("coagulation")
        .clone();
    (
        item["severity"].as_str().unwrap_or_default().to_owned(),
        item["message"].as_str().unwrap_or_default().to_owned(),
    )
}

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

/// Makes the test's login (the chair who ran init) take `role`, keeping a
/// chair in the file.
fn become_role(db: &Path, role: &str) {
    bin(db)
        .args([
            "users", "add", "alice", "--role", "chair", "--name", "Alice",
        ])
        .assert()
        .success();
    let me = read_login(db);
    bin(db)
        .args(["users", "set-role", &me, role])
        .assert()
        .success();
}

fn read_login(db: &Path) -> String {
    let handle = Db::open(db, clock()).expect("open");
    handle.login().to_owned()
}

/// The fixture with the first case edited by `edit`, written to `name`.
fn file_with(
    dir: &Path,
    name: &str,
    edit: impl FnOnce(&mut serde_json::Value),
) -> std::path::PathBuf {
    let text = std::fs::read_to_string(fixture()).expect("fixture");
    let mut doc: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    edit(&mut doc["cases"][0]);
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_string(&doc).expect("JSON")).expect("write");
    path
}

#[test]
fn an_undated_drug_list_typed_here_keeps_and_a_differing_file_waits_then_goes_with_a_word() {
    let (dir, db) = imported();
    // A secretary records clopidogrel; the file says none.
    {
        let mut handle = Db::open(&db, clock()).expect("open");
        let case = read::by_external_id(&handle, ID).expect("case");
        let version = case.recorded(EvidenceKind::Medications).map(|r| r.version);
        let data = r#"[{"drug":"clopidogrel","last_intake":"2026-11-24"}]"#;
        handle
            .write(|w| cases::set_evidence(w, case.id, EvidenceKind::Medications, data, version))
            .expect("saved");
    }
    let aspirin = file_with(dir.path(), "aspirin.json", |c| {
        c["medications"] = serde_json::json!([{"drug": "aspirin"}]);
    });
    let out = import(&db, &aspirin);
    assert!(
        out.contains(&format!(
            "{ID} medications: pending: the file's value (aspirin) differs from the entry by"
        )),
        "{out}"
    );
    // The same file again: still pending, said again.
    let out = import(&db, &aspirin);
    assert!(out.contains(&format!("{ID} medications: pending")), "{out}");
    assert!(!out.contains(&format!("{ID} medications: kept")), "{out}");
    // A file that now sends what is stored: the conflict goes, with a word.
    let agrees = file_with(dir.path(), "agrees.json", |c| {
        c["medications"] =
            serde_json::json!([{"drug": "clopidogrel", "last_intake": "2026-11-24"}]);
    });
    let out = import(&db, &agrees);
    assert!(
        out.contains(&format!("{ID} medications: conflicting value dropped")),
        "{out}"
    );
    assert!(
        out.contains(&format!("updated: {ID}")),
        "the case counts as updated: {out}"
    );
    assert_eq!(case_json(&db)["pending"], serde_json::json!([]));
}

#[test]
fn resolving_needs_the_right_to_record_that_item() {
    let (dir, db) = imported();
    // Anaesthesia consultation typed, then an older one on file.
    {
        let mut handle = Db::open(&db, clock()).expect("open");
        let case = read::by_external_id(&handle, ID).expect("case");
        let version = case
            .recorded(EvidenceKind::AnaesthesiaConsult)
            .map(|r| r.version);
        // Typed by the chair: a transcription, with both names.
        let login = ir_committee::storage::identity::login();
        let data = format!(
            r#"{{"at":"2026-11-20T10:00","anaesthetist":"Dr Roussel","transcribed_by":"{login}"}}"#
        );
        handle
            .write(|w| {
                cases::set_evidence(w, case.id, EvidenceKind::AnaesthesiaConsult, &data, version)
            })
            .expect("saved");
    }
    let older = file_with(dir.path(), "older.json", |c| {
        c["anaesthesia_consult"] =
            serde_json::json!({"at": "2026-11-12T10:00", "anaesthetist": "Dr X"});
    });
    import(&db, &older);
    // An IR radiologist may neither record nor transcribe it.
    become_role(&db, "radiologist");
    bin(&db)
        .args(["resolve", ID, "anaesthesia_consult", "take"])
        .assert()
        .failure()
        .stderr(predicates::str::contains("may not record anaesthesia"));
    assert_eq!(case_json(&db)["pending"].as_array().map(Vec::len), Some(1));
}

#[test]
fn a_schedule_field_without_a_base_waits_for_a_chair_or_a_secretary() {
    let (dir, db) = imported();
    // A case from before the rule: no base for its room.
    {
        let conn = rusqlite::Connection::open(&db).expect("open");
        conn.execute(
            "DELETE FROM import_base WHERE item = 'room'
               AND case_id = (SELECT id FROM cases WHERE external_id = ?1)",
            [ID],
        )
        .expect("no base");
        conn.execute(
            "UPDATE cases SET room = 'Salle 3' WHERE external_id = ?1",
            [ID],
        )
        .expect("room");
    }
    let moved = file_with(dir.path(), "moved.json", |c| {
        c["procedure"]["room"] = serde_json::json!("Salle 2");
    });
    let out = import(&db, &moved);
    assert!(out.contains(&format!("{ID} room: pending")), "{out}");
    assert_eq!(case_json(&db)["room"], "Salle 3");
    let (severity, _) = {
        let case = case_json(&db);
        let delay = case["items"]
            .as_array()
            .expect("items")
            .iter()
            .find(|i| i["item"] == "delay")
            .expect("delay")
            .clone();
        (
            delay["severity"].as_str().unwrap_or_default().to_owned(),
            delay,
        )
    };
    assert_eq!(
        severity, "blocking",
        "a schedule conflict blocks (with the delay)"
    );
    become_role(&db, "radiographer");
    bin(&db)
        .args(["resolve", ID, "room", "take"])
        .assert()
        .failure()
        .stderr(predicates::str::contains("may not schedule"));
    // The chair (alice, another login) makes this person a secretary.
    {
        let conn = rusqlite::Connection::open(&db).expect("open");
        conn.execute(
            "UPDATE users SET role = 'secretary' WHERE login = ?1",
            [read_login(&db)],
        )
        .expect("secretary");
    }
    bin(&db)
        .args(["resolve", ID, "room", "take"])
        .assert()
        .success();
    assert_eq!(case_json(&db)["room"], "Salle 2");
}

#[test]
fn a_study_a_person_removed_is_not_added_back_and_a_new_one_is_named() {
    let (dir, db) = imported();
    let case_imaging = {
        let handle = Db::open(&db, clock()).expect("open");
        read::by_external_id(&handle, ID)
            .expect("case")
            .file
            .imaging
            .expect("imaging")
    };
    assert!(!case_imaging.is_empty());
    // A person removes every study on file and records an MRI.
    {
        let mut handle = Db::open(&db, clock()).expect("open");
        let case = read::by_external_id(&handle, ID).expect("case");
        let version = case.recorded(EvidenceKind::Imaging).map(|r| r.version);
        let data = r#"[{"kind":"mri","at":"2026-11-20"}]"#;
        handle
            .write(|w| cases::set_evidence(w, case.id, EvidenceKind::Imaging, data, version))
            .expect("saved");
    }
    // The file still sends its studies, plus a PET-CT.
    let more = file_with(dir.path(), "more.json", |c| {
        c["imaging"]
            .as_array_mut()
            .expect("imaging")
            .push(serde_json::json!({"kind": "pet_ct", "at": "2026-11-25"}));
    });
    let out = import(&db, &more);
    assert!(
        out.contains(&format!(
            "{ID} imaging: the file's new studies (pet_ct 2026-11-25) added to the entry by"
        )),
        "{out}"
    );
    assert!(out.contains("pet_ct 2026-11-25"), "{out}");
    let handle = Db::open(&db, clock()).expect("open");
    let after = read::by_external_id(&handle, ID)
        .expect("case")
        .file
        .imaging
        .expect("imaging");
    let kinds: Vec<String> = after
        .iter()
        .map(|s| serde_json::to_string(&s.kind).expect("kind"))
        .collect();
    assert_eq!(
        kinds,
        vec!["\"mri\"".to_owned(), "\"pet_ct\"".to_owned()],
        "removed studies stay removed"
    );
}

#[test]
fn a_validated_case_made_blocking_is_said_in_json_and_in_a_dry_run() {
    let (dir, db) = imported();
    bin(&db).args(["decide", ID, "validate"]).assert().success();
    let bad = file_with_coagulation(dir.path(), "bad.json", "2026-11-27T08:00", 2.4);
    for args in [
        vec!["import", "--dry-run"],
        vec!["import", "--format", "json", "--dry-run"],
    ] {
        let out = bin(&db).args(&args).arg(&bad).output().expect("import");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains("validated") && text.contains(ID),
            "{args:?}: {text}"
        );
    }
    let out = bin(&db)
        .args(["import", "--format", "json"])
        .arg(&bad)
        .output()
        .expect("import");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(
        report["validated_now_blocking"],
        serde_json::json!([{"external_id": ID, "items": ["coagulation"]}])
    );
}

#[test]
fn a_validated_case_moved_by_a_file_is_said() {
    let (dir, db) = imported();
    bin(&db).args(["decide", ID, "validate"]).assert().success();
    let moved = file_with(dir.path(), "moved.json", |c| {
        c["procedure"]["scheduled_at"] = serde_json::json!("2026-12-08T09:00");
    });
    let out = import(&db, &moved);
    assert!(
        out.contains(&format!(
            "warning: {ID}: validated for 2026-11-30 08:00, now scheduled 2026-12-08 09:00 by the file"
        )),
        "{out}"
    );
}

#[test]
fn an_override_accepts_what_was_blocking_then_and_not_what_blocks_later() {
    let (dir, db) = imported();
    // SCH-2026-004504: coagulation and consent missing; validated anyway.
    let id = "SCH-2026-004504";
    bin(&db)
        .args([
            "decide",
            id,
            "validate",
            "--override",
            "hémato OK, consentement oral tracé",
        ])
        .assert()
        .success();
    let case = |db: &Path| -> serde_json::Value {
        check_json(db)["cases"]
            .as_array()
            .expect("cases")
            .iter()
            .find(|c| c["external_id"] == id)
            .expect("case")
            .clone()
    };
    assert_eq!(
        case(&db)["validated_but_blocking"],
        false,
        "what it accepted"
    );
    // A file then adds rivaroxaban taken J−1 before this high-risk ablation.
    let drug = {
        let text = std::fs::read_to_string(fixture()).expect("fixture");
        let mut doc: serde_json::Value = serde_json::from_str(&text).expect("JSON");
        let c = doc["cases"]
            .as_array_mut()
            .expect("cases")
            .iter_mut()
            .find(|c| c["external_id"] == id)
            .expect("case");
        c["medications"] = serde_json::json!([
            {"drug": "aspirin"},
            {"drug": "rivaroxaban", "last_intake": "2026-11-29", "crcl_ml_min": 70}
        ]);
        let path = dir.path().join("drug.json");
        std::fs::write(&path, serde_json::to_string(&doc).expect("JSON")).expect("write");
        path
    };
    let out = import(&db, &drug);
    assert!(
        out.contains(&format!(
            "warning: {id} is validated but now blocking: medication"
        )),
        "only the item the override did not accept: {out}"
    );
    assert_eq!(case(&db)["validated_but_blocking"], true);
    let csv = bin(&db)
        .args(["export", "--format", "csv", "--output", "-"])
        .output()
        .expect("export");
    let csv = String::from_utf8_lossy(&csv.stdout);
    let row = csv
        .lines()
        .find(|l| l.contains("LE GALL"))
        .expect("the case's row");
    // Column 17, "Now blocking"; the ward instructions follow.
    assert!(row.contains(r#";"medication";""#), "now blocking: {row}");
}
