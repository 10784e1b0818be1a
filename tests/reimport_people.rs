//! Re-import and what people did (issue 9 onwards): an undated drug list,
//! a removed study, a schedule field without a base, an override, a
//! validated case made blocking or moved; and who may resolve what waits.

mod common;

use std::path::Path;

use common::reimport::{ID, case_json, file_with_coagulation};
use common::{bin, check_json, fixture, import_ok as import, imported};
use ir_committee::domain::record::EvidenceKind;
use ir_committee::storage::{Db, cases, read};
use ir_committee::testkit::clock;

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
