//! Drug holds through the real binary (issue 10, points 4 and 5): a direct
//! oral anticoagulant before a low-risk procedure is stopped J−2, or J−1
//! before 12:00; aspirin advises at high risk; an item's message leads with
//! what decides and names the value a threshold depends on. The rules table
//! shows and edits the new `day_noon` unit.

mod common;

use common::{bin, check_json, fixture};
use predicates::prelude::*;
use serde_json::{Value, json};

/// A case of the fixture's first (complete) one, on `techniques` at
/// `scheduled_at`, taking `medications`.
fn case(id: &str, techniques: &[&str], scheduled_at: &str, medications: Value) -> Value {
    let week: Value =
        serde_json::from_str(&std::fs::read_to_string(fixture()).expect("fixture")).expect("json");
    let mut c = week["cases"][0].clone();
    c["external_id"] = json!(id);
    c["procedure"]["techniques"] = json!(techniques);
    c["procedure"]["scheduled_at"] = json!(scheduled_at);
    c["medications"] = medications;
    c
}

/// A new database holding `cases`.
fn imported(cases: Vec<Value>) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("committee.sqlite");
    bin(&db)
        .args(["init", "--demo", "--timezone", "Europe/Paris"])
        .assert()
        .success();
    let file = dir.path().join("week.json");
    let week = json!({ "format": "ir-committee/cases@1", "cases": cases });
    std::fs::write(&file, week.to_string()).expect("write");
    bin(&db).arg("import").arg(&file).assert().success();
    (dir, db)
}

/// external_id → (medication status/severity, message).
fn medication(report: &Value, id: &str) -> (String, String) {
    let case = report["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .find(|c| c["external_id"] == id)
        .unwrap_or_else(|| panic!("{id} missing"));
    let item = case["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["item"] == "medication")
        .expect("medication item");
    (
        format!(
            "{}/{}",
            item["status"].as_str().unwrap_or(""),
            item["severity"].as_str().unwrap_or("")
        ),
        item["message"].as_str().unwrap_or("").to_owned(),
    )
}

const DRAIN: &str = "tunnelled_pleural_drain";

fn doac(drug: &str, last: &str) -> Value {
    json!([{ "drug": drug, "last_intake": last, "crcl_ml_min": 60 }])
}

#[test]
#[rustfmt::skip] // one row per case
fn low_risk_doac_holds_aspirin_and_messages_through_check() {
    let table = [
        ("H-1", vec![DRAIN], "2026-12-01T20:00", doac("rivaroxaban", "2026-11-30T19:30"), "out_of_range/blocking",
         "rivaroxaban: last intake J−1 (2026-11-30 19:30), needs J−2 or earlier, or J−1 before 12:00 (low bleeding risk)"),
        ("H-2", vec![DRAIN], "2026-12-01T14:00", doac("apixaban", "2026-11-30T11:59"), "ok/none",
         "apixaban: last intake J−1 (2026-11-30 11:59), J−2 or earlier, or J−1 before 12:00 (low bleeding risk)"),
        ("H-3", vec![DRAIN], "2026-12-01T14:00", doac("edoxaban", "2026-11-30T12:00"), "out_of_range/blocking",
         "edoxaban: last intake J−1 (2026-11-30 12:00), needs J−2 or earlier, or J−1 before 12:00 (low bleeding risk)"),
        ("H-4", vec![DRAIN], "2026-12-01T08:00", doac("dabigatran", "2026-11-30"), "out_of_range/blocking",
         "dabigatran: last intake J−1 (2026-11-30, no time: counted after 12:00), needs J−2 or earlier, or J−1 before 12:00 (low bleeding risk)"),
        ("H-5", vec![DRAIN], "2026-12-01T08:00", doac("apixaban", "2026-11-29T23:59"), "ok/none",
         "apixaban: last intake J−2 (2026-11-29 23:59), J−2 or earlier, or J−1 before 12:00 (low bleeding risk)"),
        ("H-6", vec!["cryoablation"], "2026-12-01T08:00", json!([{ "drug": "aspirin" }]), "ok/advisory",
         "aspirin (high bleeding risk): SIR 2019 suggests holding 3–5 days; French practice usually continues it; aspirin: continued (high bleeding risk)"),
        ("H-7", vec![DRAIN], "2026-12-01T08:00", json!([{ "drug": "aspirin" }]), "ok/none",
         "aspirin: continued (low bleeding risk)"),
        ("H-8", vec!["vertebroplasty"], "2026-12-01T08:00",
         json!([{ "drug": "aspirin" }, { "drug": "dabigatran", "last_intake": "2026-11-27", "crcl_ml_min": 42 }]),
         "out_of_range/blocking",
         "dabigatran: last intake J−4 (2026-11-27), needs J−5 or earlier because CrCl 42 mL/min < 50 (high bleeding risk); \
          aspirin (high bleeding risk): SIR 2019 suggests holding 3–5 days; French practice usually continues it; \
          aspirin: continued (high bleeding risk)"),
    ];
    let cases = table.iter().map(|(id, t, at, meds, ..)| case(id, t, at, meds.clone())).collect();
    let (_dir, db) = imported(cases);
    let report = check_json(&db);
    for (id, _, _, _, flag, message) in &table {
        assert_eq!(medication(&report, id), (flag.to_string(), message.to_string()), "{id}");
    }
    // In French too.
    let out = bin(&db).args(["check", "--format", "json", "--lang", "fr"]).output().expect("check");
    let report: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(medication(&report, "H-8").1,
        "dabigatran\u{a0}: dernière prise J−4 (27/11/2026), il faut J−5 ou avant car ClCr 42 mL/min < 50 \
         (risque hémorragique élevé)\u{202f}; aspirine (risque hémorragique élevé)\u{a0}: la SIR 2019 suggère de l'arrêter \
         3 à 5 jours\u{202f}; la pratique française la poursuit le plus souvent\u{202f}; aspirine\u{a0}: traitement poursuivi \
         (risque hémorragique élevé)");
    assert_eq!(medication(&report, "H-1").1,
        "rivaroxaban\u{a0}: dernière prise J−1 (30/11/2026 19:30), il faut J−2 ou avant, ou J−1 avant 12:00 \
         (risque hémorragique faible)");
}

#[test]
fn the_rules_table_lists_and_edits_the_noon_holds_in_whole_days() {
    let (_dir, db) = imported(vec![case(
        "H-1",
        &[DRAIN],
        "2026-12-01T14:00",
        doac("apixaban", "2026-11-29T20:00"),
    )]);
    let out = bin(&db).args(["rules", "list"]).output().expect("list");
    let list = String::from_utf8(out.stdout).expect("utf-8");
    for drug in ["apixaban", "rivaroxaban", "edoxaban", "dabigatran"] {
        let row = format!("medication.hold\t{drug}\tlow\t1 day_noon\tblocking\t");
        assert!(list.contains(&row), "{row}\n{list}");
    }
    let aspirin: Vec<&str> = list
        .lines()
        .filter(|l| l.starts_with("medication.aspirin_advisory\t"))
        .collect();
    assert_eq!(aspirin.len(), 1, "{aspirin:?}");
    assert!(
        aspirin[0].starts_with("medication.aspirin_advisory\taspirin\thigh\t- flag\tadvisory\t")
    );
    assert!(!list.contains("\tlow\t24 hours"), "{list}");
    let set = |value: &str| {
        let mut cmd = bin(&db);
        cmd.args([
            "rules",
            "set",
            "medication.hold",
            value,
            "--subject",
            "apixaban",
            "--risk",
            "low",
        ]);
        cmd
    };
    set("1.5")
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "1.5 is not a whole number of days (drug hold · apixaban · low)",
        ));
    set("0")
        .assert()
        .failure()
        .stderr(predicate::str::contains("0 is outside 1–3650 days"));
    assert_eq!(medication(&check_json(&db), "H-1").0, "ok/none");
    set("2")
        .assert()
        .success()
        .stdout(predicate::str::contains("medication.hold apixaban low: 2"));
    // J−2 at 20:00 is now too late (J−2 before 12:00, or J−3).
    let (flag, message) = medication(&check_json(&db), "H-1");
    assert_eq!(flag, "out_of_range/blocking");
    assert!(
        message.contains("needs J−3 or earlier, or J−2 before 12:00"),
        "{message}"
    );
}
