//! Issue 10, points 1 and 3, through the real binary and the library's
//! import: a case's own `low` bleeding risk is refused where it would lower
//! a technique's risk, the case names who set its own risk, and the access
//! route travels in the JSON file and the CSV schedule.

mod common;

use common::{bin, check_json, fixture, hash, imported};
use ir_committee::domain::clock::Clock;
use ir_committee::import::{self, Kind};
use ir_committee::storage::Db;

use ir_committee::testkit::today;

/// The problems an import finds in `text`, as printed (the rules of a new
/// file); empty when it accepts it.
fn problems(text: &str, kind: Kind) -> Vec<String> {
    let db = Db::open_in_memory(Clock::Fixed(today())).expect("db");
    let rules = db.rules().expect("rules");
    match import::parse_with_rules(text, kind, today(), &rules) {
        Ok(_) => Vec::new(),
        Err(p) => p.iter().map(ToString::to_string).collect(),
    }
}

/// A one-case JSON file with these techniques and own risk.
fn json_case(techniques: &[&str], risk: Option<&str>) -> String {
    let mut procedure = serde_json::json!({
        "scheduled_at": "2026-12-02T11:30", "room": "Salle 2", "operator": "Dr Lefèvre",
        "techniques": techniques, "target": "T12", "anaesthesia": "local",
    });
    if let Some(r) = risk {
        procedure["bleeding_risk"] = r.into();
    }
    serde_json::json!({
        "format": import::FORMAT,
        "cases": [{
            "external_id": "R-1",
            "patient": { "ipp": "1", "last_name": "Durand", "first_name": "Anne",
                         "birth_date": "1950-01-01", "sex": "F" },
            "procedure": procedure,
        }],
    })
    .to_string()
}

const CSV_HEADER: &str = "external_id;ipp;last_name;first_name;birth_date;sex;scheduled_at;room;operator;techniques;target;anaesthesia;duration_min;bleeding_risk;access";

fn csv_case(techniques: &str, risk: &str, access: &str) -> String {
    format!(
        "{CSV_HEADER}\nC-1;1;Durand;Anne;1950-01-01;F;2026-12-02T11:30;Salle 2;Dr Lefèvre;{techniques};T12;local;;{risk};{access}\n"
    )
}

#[test]
#[rustfmt::skip] // one row per case
fn a_low_risk_is_accepted_only_where_every_technique_is_judged_per_case() {
    let refused = |t: &str, risk: &str| format!(
        "'low' is accepted only when every technique's risk is judged per case (embolisation); \
         {t} is not (its risk: {risk}): leave bleeding_risk empty or send 'high'");
    let table: [(&[&str], Option<&str>, Option<String>); 10] = [
        (&["embolisation"], Some("low"), None),
        (&["embolisation"], Some("high"), None),
        (&["embolisation"], None, None),
        (&["vertebroplasty"], Some("low"), Some(refused("vertebroplasty", "high"))),
        (&["vertebroplasty"], Some("high"), None),
        (&["embolisation", "vertebroplasty"], Some("low"), Some(refused("vertebroplasty", "high"))),
        (&["vertebroplasty", "embolisation"], Some("low"), Some(refused("vertebroplasty", "high"))),
        (&["embolisation", "tunnelled_pleural_drain"], Some("low"), Some(refused("tunnelled_pleural_drain", "low"))),
        // Redundant, but not per case either: refused, so that it cannot
        // lower the drain's risk should the rules table raise it.
        (&["tunnelled_pleural_drain"], Some("low"), Some(refused("tunnelled_pleural_drain", "low"))),
        (&["tunnelled_pleural_drain"], Some("high"), None),
    ];
    for (techniques, risk, expected) in table {
        let json = problems(&json_case(techniques, risk), Kind::Json);
        let csv = problems(
            &csv_case(&techniques.join("+"), risk.unwrap_or(""), ""),
            Kind::Csv,
        );
        match &expected {
            None => {
                assert_eq!(json, Vec::<String>::new(), "{techniques:?} {risk:?}");
                assert_eq!(csv, Vec::<String>::new(), "{techniques:?} {risk:?}");
            }
            Some(message) => {
                assert_eq!(json, [format!("case 0 (R-1), field procedure.bleeding_risk: {message}")]);
                assert_eq!(csv, [format!("line 2, case C-1, field procedure.bleeding_risk: {message}")]);
            }
        }
    }
    // The file's own checks alone (`parse`) do not know the rules table.
    assert!(import::parse(&json_case(&["vertebroplasty"], Some("low")), today()).is_ok());
}

#[test]
fn the_binary_refuses_the_whole_file_and_names_the_place() {
    let (dir, db) = imported();
    let file = dir.path().join("low.json");
    std::fs::write(&file, json_case(&["vertebroplasty"], Some("low"))).expect("write");
    let before = hash(&db);
    let out = bin(&db).arg("import").arg(&file).output().expect("runs");
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).expect("utf-8");
    assert!(
        err.contains("case 0 (R-1), field procedure.bleeding_risk: 'low' is accepted only"),
        "{err}"
    );
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert_eq!(hash(&db), before, "nothing imported");
}

#[test]
fn the_case_names_who_set_its_own_risk_and_asks_for_the_access() {
    let (_dir, db) = imported();
    let report = check_json(&db);
    let case = report["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .find(|c| c["external_id"] == "SCH-2026-004516")
        .expect("the embolisation sent low");
    assert_eq!(case["bleeding_risk"], "low");
    assert_eq!(case["access"], serde_json::Value::Null);
    let coag = case["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["item"] == "coagulation")
        .expect("coagulation");
    assert_eq!(coag["severity"], "advisory");
    let message = coag["message"].as_str().expect("message");
    let login = ir_committee::storage::identity::login();
    assert!(
        message.contains(&format!(
            "bleeding risk set to low for this case by {login} on 2026-11-26 (import:week.json); \
             its techniques give high"
        )),
        "{message}"
    );
    assert!(
        message.contains("INR 1.0 ≤ 1.8 (femoral access assumed)"),
        "{message}"
    );
    assert!(
        message.contains("embolisation: no access recorded, judged as femoral access"),
        "{message}"
    );
}

#[test]
fn the_access_travels_in_the_csv_schedule_and_a_reimport_without_it_keeps_it() {
    let (dir, db) = imported();
    let text = std::fs::read_to_string(fixture()).expect("fixture");
    let doc: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    let c = doc["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .find(|c| c["external_id"] == "SCH-2026-004516")
        .expect("case")
        .clone();
    let (p, x) = (&c["patient"], &c["procedure"]);
    let row = |access: &str| {
        format!(
            "{CSV_HEADER}\nSCH-2026-004516;{};{};{};{};{};{};{};{};embolisation;{};{};90;low;{access}\n",
            p["ipp"].as_str().expect("ipp"),
            p["last_name"].as_str().expect("name"),
            p["first_name"].as_str().expect("name"),
            p["birth_date"].as_str().expect("birth"),
            p["sex"].as_str().expect("sex"),
            x["scheduled_at"].as_str().expect("at"),
            x["room"].as_str().expect("room"),
            x["operator"].as_str().expect("operator"),
            x["target"].as_str().expect("target"),
            x["anaesthesia"].as_str().expect("anaesthesia"),
        )
    };
    let access_of = || {
        check_json(&db)["cases"]
            .as_array()
            .expect("cases")
            .iter()
            .find(|c| c["external_id"] == "SCH-2026-004516")
            .expect("case")["access"]
            .clone()
    };
    let file = dir.path().join("s.csv");
    std::fs::write(&file, row("radial")).expect("write");
    bin(&db).arg("import").arg(&file).assert().success();
    assert_eq!(access_of(), "radial");
    // Empty in a schedule, or absent from the JSON file: not a value.
    std::fs::write(&file, row("")).expect("write");
    bin(&db).arg("import").arg(&file).assert().success();
    assert_eq!(access_of(), "radial");
    bin(&db).arg("import").arg(fixture()).assert().success();
    assert_eq!(access_of(), "radial");
    // An unknown word is refused with its column.
    let problems = problems(&row("carotid"), Kind::Csv);
    assert_eq!(
        problems,
        [
            "line 2, case SCH-2026-004516, field access: unknown word 'carotid' \
          (expected one of: femoral, radial, venous, percutaneous)"
        ]
    );
}
