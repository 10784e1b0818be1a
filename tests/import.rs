//! Import is all or nothing: every kind of bad input leaves the database
//! unchanged and names where the error is.

mod common;

use common::{bin, check_json, fixture, hash, imported};
use predicates::prelude::*;

/// The fixture with its first case edited by `edit`.
fn with_first_case(edit: impl FnOnce(&mut serde_json::Value)) -> String {
    let text = std::fs::read_to_string(fixture()).expect("fixture");
    let mut doc: serde_json::Value = serde_json::from_str(&text).expect("fixture is JSON");
    edit(&mut doc["cases"][0]);
    serde_json::to_string_pretty(&doc).expect("JSON")
}

fn first_id() -> String {
    let text = std::fs::read_to_string(fixture()).expect("fixture");
    let doc: serde_json::Value = serde_json::from_str(&text).expect("fixture is JSON");
    doc["cases"][0]["external_id"]
        .as_str()
        .expect("external_id")
        .to_owned()
}

/// Imports `content` into an imported database; returns stderr, asserting
/// failure, a single line and an unchanged file.
fn refused(content: &str, name: &str) -> String {
    let (dir, db) = imported();
    let file = dir.path().join(name);
    std::fs::write(&file, content).expect("write");
    let before = hash(&db);
    let out = bin(&db)
        .arg("import")
        .arg(&file)
        .output()
        .expect("import runs");
    assert!(!out.status.success(), "import of {name} should fail");
    assert_eq!(hash(&db), before, "database changed by a refused import");
    let err = String::from_utf8(out.stderr).expect("utf-8");
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
    assert!(!err.contains("panicked"), "{err}");
    err
}

#[test]
fn bad_inputs_are_refused_with_their_location() {
    let id = first_id();
    let cases: Vec<(&str, String, Vec<String>)> = vec![
        (
            "bad JSON",
            "{\"format\": \"ir-committee/cases@1\", \"cases\": [\n{,}]}".into(),
            vec!["line 2".into(), "not valid JSON".into()],
        ),
        (
            "wrong format",
            r#"{"format": "other@2", "cases": []}"#.into(),
            vec!["format".into()],
        ),
        (
            "unknown technique",
            with_first_case(|c| c["procedure"]["techniques"][0] = "acupuncture".into()),
            vec![
                format!("case 0 ({id})"),
                "procedure.techniques[0]".into(),
                "acupuncture".into(),
            ],
        ),
        (
            "impossible date",
            with_first_case(|c| c["procedure"]["scheduled_at"] = "2026-02-30T08:30".into()),
            vec![
                format!("case 0 ({id})"),
                "procedure.scheduled_at".into(),
                "2026-02-30".into(),
            ],
        ),
        (
            "INR 40",
            with_first_case(|c| {
                c["coagulation"] =
                    serde_json::json!({"at": "2026-11-27", "inr": 40, "platelets_g_l": 200})
            }),
            vec![
                format!("case 0 ({id})"),
                "coagulation.inr".into(),
                "40".into(),
            ],
        ),
        (
            "negative count",
            with_first_case(|c| {
                c["coagulation"] =
                    serde_json::json!({"at": "2026-11-27", "inr": 1.0, "platelets_g_l": -5})
            }),
            vec!["coagulation.platelets_g_l".into()],
        ),
        (
            "date in 2062",
            with_first_case(|c| {
                c["biology"] =
                    serde_json::json!({"at": "2062-01-01", "neutrophils_g_l": 3, "egfr": 80})
            }),
            vec!["biology.at".into(), "2062".into()],
        ),
        (
            "unknown field",
            with_first_case(|c| c["coagulaton"] = serde_json::json!({})),
            vec!["coagulaton".into()],
        ),
        (
            "no technique",
            with_first_case(|c| c["procedure"]["techniques"] = serde_json::json!([])),
            vec!["procedure.techniques".into(), "at least one".into()],
        ),
        (
            "empty name",
            with_first_case(|c| c["patient"]["last_name"] = "\u{1b}\u{202e} \u{7}".into()),
            vec!["patient.last_name".into()],
        ),
    ];
    for (what, content, expected) in cases {
        let err = refused(&content, "bad.json");
        for e in expected {
            assert!(err.contains(&e), "{what}: expected '{e}' in: {err}");
        }
    }
}

#[test]
fn a_duplicate_external_id_in_the_file_is_refused() {
    let text = std::fs::read_to_string(fixture()).expect("fixture");
    let mut doc: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    let first = doc["cases"][0].clone();
    doc["cases"].as_array_mut().expect("cases").push(first);
    let err = refused(&doc.to_string(), "dup.json");
    assert!(err.contains("duplicate external_id"), "{err}");
}

#[test]
fn one_bad_case_among_good_ones_imports_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("c.sqlite");
    bin(&db).arg("init").assert().success();
    let before = hash(&db);
    let file = dir.path().join("bad.json");
    std::fs::write(&file, with_first_case(|c| c["pain_vas"] = 11.into())).expect("write");
    bin(&db).arg("import").arg(&file).assert().failure();
    assert_eq!(hash(&db), before);
    assert_eq!(check_json(&db)["cases"].as_array().map(Vec::len), Some(0));
}

#[test]
fn csv_errors_name_the_line() {
    let csv = "external_id;ipp;last_name;first_name;birth_date;sex;scheduled_at;room;operator;techniques;target;anaesthesia\n\
               CSV-1;100;Dupré;Hélène;1950-03-02;F;2026-12-01T08:30;Salle 1;Dr Martin;vertebroplasty;L3;general\n\
               CSV-2;101;Noël;Côme;1948-07-14;M;2026-12-01T10:00;Salle 1;Dr Martin;vertebroplasty+teleportation;L4;general\n";
    let err = refused(csv, "schedule.csv");
    assert!(err.contains("line 3"), "{err}");
    assert!(err.contains("teleportation"), "{err}");
}

#[test]
fn csv_schedule_imports_and_reimport_keeps_evidence() {
    let (dir, db) = imported();
    let id = first_id();
    let before = check_json(&db);
    let case = before["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .find(|c| c["external_id"] == id.as_str())
        .expect("case")
        .clone();
    let csv = format!(
        "\u{feff}external_id,ipp,last_name,first_name,birth_date,sex,scheduled_at,room,operator,techniques,target,anaesthesia\n\
         {id},{ipp},{last},{first},{birth},{sex},{at},Salle 7,Dr Autre,{tech},{target},{anaes}\n\
         CSV-NEW,99999999,Zoé,Béranger,1960-01-01,F,2026-12-03T14:00,Salle 2,Dr Nguyen,tunnelled_pleural_drain,plèvre droite,local\n",
        ipp = case["patient"]["ipp"].as_str().expect("ipp"),
        last = case["patient"]["last_name"].as_str().expect("name"),
        first = case["patient"]["first_name"].as_str().expect("name"),
        birth = case["patient"]["birth_date"].as_str().expect("birth"),
        sex = case["patient"]["sex"].as_str().expect("sex"),
        at = case["scheduled_at"].as_str().expect("at"),
        tech = case["techniques"]
            .as_array()
            .expect("t")
            .iter()
            .filter_map(|t| t.as_str())
            .collect::<Vec<_>>()
            .join("+"),
        target = case["target"].as_str().expect("target"),
        anaes = case["anaesthesia"].as_str().expect("anaesthesia"),
    );
    let file = dir.path().join("schedule.csv");
    std::fs::write(&file, csv).expect("write");
    bin(&db)
        .arg("import")
        .arg(&file)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "1 created, 1 updated, 0 unchanged",
        ));
    let after = check_json(&db);
    let updated = after["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .find(|c| c["external_id"] == id.as_str())
        .expect("case");
    assert_eq!(updated["room"], "Salle 7");
    // Evidence and clinical values from the JSON import are still there.
    assert_eq!(updated["items"], case["items"]);
    assert_eq!(updated["pain_vas"], case["pain_vas"]);
    assert!(updated["pain_vas"].is_u64());
    let new = after["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .find(|c| c["external_id"] == "CSV-NEW")
        .expect("new case");
    assert_eq!(new["complete"], false);
}

#[test]
fn text_is_normalised_and_stripped_on_the_way_in() {
    let (dir, db) = imported();
    let id = first_id();
    let file = dir.path().join("names.json");
    std::fs::write(
        &file,
        with_first_case(|c| {
            c["patient"]["first_name"] = "He\u{301}le\u{300}ne\u{1b}[31m\u{202e}".into();
        }),
    )
    .expect("write");
    bin(&db).arg("import").arg(&file).assert().success();
    let v = check_json(&db);
    let case = v["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .find(|c| c["external_id"] == id.as_str())
        .expect("case");
    assert_eq!(case["patient"]["first_name"], "Hélène[31m");
}

#[test]
fn reimport_reports_updates_and_never_touches_a_decision() {
    let (dir, db) = imported();
    let id = first_id();
    {
        let conn = rusqlite::Connection::open(&db).expect("open");
        conn.execute(
            "UPDATE cases SET status = 'validated' WHERE external_id = ?1",
            [&id],
        )
        .expect("validate");
    }
    let file = dir.path().join("again.json");
    std::fs::write(
        &file,
        with_first_case(|c| {
            c["coagulation"] =
                serde_json::json!({"at": "2026-11-27", "inr": 3.1, "platelets_g_l": 200})
        }),
    )
    .expect("write");
    bin(&db).arg("import").arg(&file).assert().success().stdout(
        predicate::str::contains("1 updated").and(predicate::str::contains(format!(
            "warning: {id} is validated but now blocking: coagulation"
        ))),
    );
    let v = check_json(&db);
    let case = v["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .find(|c| c["external_id"] == id.as_str())
        .expect("case");
    assert_eq!(case["status"], "validated");
    assert_eq!(case["validated_but_blocking"], true);
    assert_eq!(case["complete"], false);
}
