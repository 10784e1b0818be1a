//! Shared by the items' tests: the seeded rules, the Paris zone and a case
//! whose seven items are all ok.

use std::sync::OnceLock;

use serde_json::json;

use super::{Context, Dossier, Item, ItemResult, RuleSet, Severity, Status};
use super::{evaluate, evaluate_item};
use crate::domain::message::Lang;
use crate::domain::model::CaseFile;

pub fn rules() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(crate::storage::rules::seeded)
}

pub fn ctx() -> Context<'static> {
    Context {
        rules: rules(),
        tz: "Europe/Paris".parse().expect("known zone"),
    }
}

/// Vertebroplasty under general anaesthesia on Tuesday 2026-12-01 at
/// 08:30 (high bleeding risk), with a complete dossier.
pub fn case() -> CaseFile {
    serde_json::from_value(json!({
        "external_id": "T-1",
        "patient": { "ipp": "1", "last_name": "Durand", "first_name": "Anne",
                     "birth_date": "1950-01-01", "sex": "F" },
        "procedure": { "scheduled_at": "2026-12-01T08:30", "room": "1", "operator": "Dr Roy",
                       "techniques": ["vertebroplasty"], "target": "L3",
                       "anaesthesia": "general" },
        "consultation": { "at": "2026-11-10T10:00", "radiologist": "Dr Roy",
                          "leaflet_given": true,
                          "consent": { "kind": "signed", "at": "2026-11-10", "by": "Dr Roy" } },
        "anaesthesia_consult": { "at": "2026-11-20T14:00", "anaesthetist": "Dr Blanc" },
        "imaging": [{ "kind": "ct", "at": "2026-11-01" }],
        "biology": { "at": "2026-11-25", "neutrophils_g_l": 3.0, "hemoglobin_g_dl": 12.5,
                     "egfr": 80.0 },
        "coagulation": { "at": "2026-11-27", "inr": 1.1, "platelets_g_l": 220.0 },
        "medications": []
    }))
    .expect("valid test case")
}

/// `case()` with a JSON patch: top-level keys replaced, `null` removes.
pub fn with(patch: serde_json::Value) -> CaseFile {
    let mut v = serde_json::to_value(case()).expect("serialisable case");
    for (k, val) in patch.as_object().expect("patch is an object") {
        if val.is_null() {
            v.as_object_mut().expect("object").remove(k);
        } else if k == "procedure" {
            for (pk, pv) in val.as_object().expect("procedure patch") {
                v["procedure"][pk] = pv.clone();
            }
        } else {
            v[k] = val.clone();
        }
    }
    serde_json::from_value(v).expect("patched case is valid")
}

pub fn item(case: &CaseFile, item: Item) -> ItemResult {
    evaluate_item(item, case, &ctx())
}

pub fn dossier(case: &CaseFile) -> Dossier {
    evaluate(case, &ctx())
}

/// Checks an item's status, severity and deciding code; `label` names the
/// table row, and the message is shown on failure.
pub fn expect(label: &str, r: &ItemResult, status: Status, severity: Severity, code: &str) {
    assert_eq!(
        (r.status, r.severity, r.code()),
        (status, severity, code),
        "{label}: {}",
        r.message(Lang::En)
    );
}
