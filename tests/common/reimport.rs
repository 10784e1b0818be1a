//! Re-import helpers shared by the re-import tests: the fixture's first
//! case, a person's coagulation form, a file with another coagulation, and
//! the case as `check` reads it.

use std::path::Path;

use ir_committee::domain::record::EvidenceKind;
use ir_committee::storage::{Db, cases, read};
use ir_committee::testkit::clock;

use super::{check_json, fixture};

/// The first case of the fixture: a vertebroplasty (high bleeding risk) on
/// 2026-11-30 08:00, coagulation of 2026-11-25 07:45, INR 1.05.
pub const ID: &str = "SCH-2026-004501";

/// What a person saves in the coagulation form.
pub fn type_coagulation(db: &Path, at: &str, inr: f64) {
    let mut db = Db::open(db, clock()).expect("open");
    let case = read::by_external_id(&db, ID).expect("case");
    let version = case.recorded(EvidenceKind::Coagulation).map(|r| r.version);
    let data = format!(r#"{{"at":"{at}","inr":{inr},"platelets_g_l":236}}"#);
    db.write(|w| cases::set_evidence(w, case.id, EvidenceKind::Coagulation, &data, version))
        .expect("saved as a form saves");
}

/// The fixture with the first case's coagulation replaced.
pub fn file_with_coagulation(dir: &Path, name: &str, at: &str, inr: f64) -> std::path::PathBuf {
    let text = std::fs::read_to_string(fixture()).expect("fixture");
    let mut doc: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    doc["cases"][0]["coagulation"] =
        serde_json::json!({"at": at, "inr": inr, "platelets_g_l": 236});
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_string(&doc).expect("JSON")).expect("write");
    path
}

pub fn case_json(db: &Path) -> serde_json::Value {
    check_json(db)["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .find(|c| c["external_id"] == ID)
        .expect("the case")
        .clone()
}

/// (severity, message) of the case's coagulation item.
pub fn coagulation(db: &Path) -> (String, String) {
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
