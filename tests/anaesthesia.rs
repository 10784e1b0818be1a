//! The anaesthesia consultation's conclusion in the interchange format
//! (docs/import-format.md §4.6): accepted and judged, an unknown word or
//! conditions out of place refused with where, an absent one read as fit.

mod common;

use common::{bin, check_json, first_id, imported, refused, with_first_case};
use serde_json::json;

/// The first case's anaesthesia item after importing it with `consult`.
fn imported_with(consult: serde_json::Value) -> serde_json::Value {
    let (dir, db) = imported();
    let file = dir.path().join("week.json");
    std::fs::write(
        &file,
        with_first_case(|c| c["anaesthesia_consult"] = consult),
    )
    .expect("write");
    bin(&db).arg("import").arg(&file).assert().success();
    let id = first_id();
    check_json(&db)["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .find(|c| c["external_id"] == id.as_str())
        .and_then(|c| c["items"].as_array())
        .and_then(|items| items.iter().find(|i| i["item"] == "anaesthesia"))
        .cloned()
        .expect("anaesthesia item")
}

#[test]
#[rustfmt::skip] // one row per case
fn each_conclusion_is_imported_and_judged() {
    let at = "2026-11-18T14:00";
    let table = [
        ("absent: read as fit", json!({ "at": at, "anaesthetist": "Dr Roussel" }), "anaesthesia.ok", "none"),
        ("fit", json!({ "at": at, "anaesthetist": "Dr Roussel", "conclusion": "fit" }), "anaesthesia.ok", "none"),
        ("with conditions", json!({ "at": at, "anaesthetist": "Dr Roussel", "conclusion": "fit_with_conditions",
            "conditions": "Jeûne 6 h" }), "anaesthesia.conditions", "advisory"),
        ("not fit", json!({ "at": at, "anaesthetist": "Dr Roussel", "conclusion": "not_fit" }), "anaesthesia.not_fit", "blocking"),
        ("transcribed", json!({ "at": at, "anaesthetist": "Dr Roussel", "conclusion": "fit",
            "transcribed_by": "secretariat-ri" }), "anaesthesia.ok", "none"),
    ];
    for (what, consult, code, severity) in table {
        let item = imported_with(consult);
        assert_eq!((item["code"].as_str(), item["severity"].as_str()), (Some(code), Some(severity)), "{what}: {item}");
    }
    let item = imported_with(json!({ "at": at, "anaesthetist": "Dr Roussel", "conclusion": "fit_with_conditions",
        "conditions": "Jeûne 6 h" }));
    assert!(item["message"].as_str().is_some_and(|m| m.contains("fit with conditions: Jeûne 6 h")), "{item}");
    let item = imported_with(json!({ "at": at, "anaesthetist": "Dr Roussel", "transcribed_by": "secretariat-ri" }));
    assert!(item["message"].as_str().is_some_and(|m| m.contains("Dr Roussel, transcribed by secretariat-ri")), "{item}");
}

#[test]
#[rustfmt::skip] // one row per case
fn a_bad_conclusion_is_refused_with_where() {
    let at = "2026-11-18T14:00";
    let table = [
        ("unknown word", json!({ "at": at, "anaesthetist": "Dr Roussel", "conclusion": "maybe" }),
            vec!["anaesthesia_consult.conclusion", "maybe"]),
        ("conditions missing", json!({ "at": at, "anaesthetist": "Dr Roussel", "conclusion": "fit_with_conditions" }),
            vec!["anaesthesia_consult.conditions", "needs its conditions"]),
        ("invisible conditions", json!({ "at": at, "anaesthetist": "Dr Roussel", "conclusion": "fit_with_conditions",
            "conditions": "\u{2800}" }), vec!["anaesthesia_consult.conditions", "needs its conditions"]),
        ("conditions when not fit", json!({ "at": at, "anaesthetist": "Dr Roussel", "conclusion": "not_fit",
            "conditions": "Jeûne" }), vec!["anaesthesia_consult.conditions", "'fit_with_conditions' only"]),
        ("conditions without a conclusion", json!({ "at": at, "anaesthetist": "Dr Roussel", "conditions": "Jeûne" }),
            vec!["anaesthesia_consult.conditions", "'fit_with_conditions' only"]),
        ("a transcription without the anaesthetist", json!({ "at": at, "conclusion": "fit", "transcribed_by": "sec" }),
            vec!["anaesthesia_consult.anaesthetist", "names the anaesthetist"]),
    ];
    for (what, consult, expected) in table {
        let err = refused(&with_first_case(|c| c["anaesthesia_consult"] = consult), "bad.json");
        for e in expected {
            assert!(err.contains(e), "{what}: expected '{e}' in: {err}");
        }
    }
}
