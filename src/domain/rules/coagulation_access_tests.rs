//! The INR threshold by access and a case's own bleeding risk, at their
//! edges (domain.md §3 item 3).

use serde_json::{Value, json};

use super::super::testkit::{dossier, item, with};
use super::super::{Item, ItemResult, Severity, Status};
use crate::domain::message::Lang;

const A: Severity = Severity::Advisory;
const B: Severity = Severity::Blocking;
const N: Severity = Severity::None;

/// The coagulation item of a procedure (techniques, own risk, access) with
/// an INR the day before and plenty of platelets.
fn coag(techniques: Value, risk: Value, access: Value, inr: f64) -> ItemResult {
    let procedure = json!({ "techniques": techniques, "bleeding_risk": risk, "access": access });
    let coagulation = json!({ "at": "2026-11-30", "inr": inr, "platelets_g_l": 200.0 });
    item(
        &with(json!({ "procedure": procedure, "coagulation": coagulation })),
        Item::Coagulation,
    )
}

/// (status, severity, every finding's code).
fn verdict(r: &ItemResult) -> (Status, Severity, Vec<&'static str>) {
    (
        r.status,
        r.severity,
        r.findings.iter().map(|f| f.code).collect(),
    )
}

#[test]
#[rustfmt::skip] // one row per case
fn the_inr_threshold_follows_the_access_at_low_risk() {
    let emb = || json!(["embolisation"]);
    let low = || json!("low");
    let (ok, high, over) = ("coagulation.ok", "coagulation.inr_high", "coagulation.risk_override");
    let (ask, null) = ("coagulation.access_missing", Value::Null);
    let table = [
        ("femoral 1.8", emb(), low(), json!("femoral"), 1.8, Status::Ok, A, vec![over, ok]),
        ("femoral 1.81", emb(), low(), json!("femoral"), 1.81, Status::OutOfRange, B, vec![high, over]),
        ("radial 2.2", emb(), low(), json!("radial"), 2.2, Status::Ok, A, vec![over, ok]),
        ("radial 2.21", emb(), low(), json!("radial"), 2.21, Status::OutOfRange, B, vec![high, over]),
        ("venous 2.0", emb(), low(), json!("venous"), 2.0, Status::Ok, A, vec![over, ok]),
        ("venous 2.01", emb(), low(), json!("venous"), 2.01, Status::OutOfRange, B, vec![high, over]),
        ("percutaneous 2.0", emb(), low(), json!("percutaneous"), 2.0, Status::Ok, A, vec![over, ok]),
        ("percutaneous 2.01", emb(), low(), json!("percutaneous"), 2.01, Status::OutOfRange, B, vec![high, over]),
        // No access recorded: judged as femoral (the strictest), and asked for.
        ("no access 1.8", emb(), low(), null.clone(), 1.8, Status::Ok, A, vec![over, ask, ok]),
        ("no access 1.81", emb(), low(), null.clone(), 1.81, Status::OutOfRange, B, vec![high, over, ask]),
        ("no access 1.9 (2.0 would pass)", emb(), low(), null.clone(), 1.9, Status::OutOfRange, B, vec![high, over, ask]),
        // High risk: the access changes nothing (1.5), and is not asked for.
        ("high, femoral 1.5", emb(), null.clone(), json!("femoral"), 1.5, Status::Ok, N, vec![ok]),
        ("high, femoral 1.51", emb(), null.clone(), json!("femoral"), 1.51, Status::OutOfRange, B, vec![high]),
        ("high, radial 1.51", emb(), null.clone(), json!("radial"), 1.51, Status::OutOfRange, B, vec![high]),
        ("high, no access 1.5", emb(), null.clone(), null.clone(), 1.5, Status::Ok, N, vec![ok]),
        ("high, no access 1.51", emb(), null.clone(), null.clone(), 1.51, Status::OutOfRange, B, vec![high]),
        // A low-risk technique that is not arterial: the usual 2.0, nothing asked.
        ("drain, no access 2.0", json!(["tunnelled_pleural_drain"]), null.clone(), null.clone(), 2.0, Status::Ok, N, vec![ok]),
        ("drain, percutaneous 2.01", json!(["tunnelled_pleural_drain"]), null.clone(), json!("percutaneous"), 2.01, Status::OutOfRange, B, vec![high]),
        // An access on a procedure that is not arterial changes nothing.
        ("drain, radial 2.1", json!(["tunnelled_pleural_drain"]), null.clone(), json!("radial"), 2.1, Status::OutOfRange, B, vec![high]),
        ("drain, femoral 2.0", json!(["tunnelled_pleural_drain"]), null.clone(), json!("femoral"), 2.0, Status::Ok, N, vec![ok]),
    ];
    for (label, techniques, risk, access, inr, status, severity, codes) in table {
        let r = coag(techniques, risk, access, inr);
        assert_eq!(verdict(&r), (status, severity, codes), "{label}: {}", r.message(Lang::En));
    }
}

#[test]
#[rustfmt::skip] // one row per case
fn a_cases_own_risk_only_raises_except_where_the_risk_is_per_case() {
    let (ok, high) = ("coagulation.ok", "coagulation.inr_high");
    let (over, ignored) = ("coagulation.risk_override", "coagulation.risk_override_ignored");
    let (femoral, null) = (json!("femoral"), Value::Null);
    let table = [
        // Lowering a technique whose risk is not per case: ignored (1.5), said.
        ("vertebroplasty low, INR 1.6", json!(["vertebroplasty"]), json!("low"), null.clone(), 1.6, Status::OutOfRange, B, vec![high, ignored]),
        ("vertebroplasty low, INR 1.5", json!(["vertebroplasty"]), json!("low"), null.clone(), 1.5, Status::Ok, A, vec![ignored, ok]),
        ("embolisation + vertebroplasty low", json!(["embolisation", "vertebroplasty"]), json!("low"), femoral.clone(), 1.6, Status::OutOfRange, B, vec![high, ignored]),
        ("embolisation + drain low", json!(["embolisation", "tunnelled_pleural_drain"]), json!("low"), femoral.clone(), 1.6, Status::OutOfRange, B, vec![high, ignored]),
        // Every technique per case: applied (femoral 1.8), said.
        ("embolisation low", json!(["embolisation"]), json!("low"), femoral.clone(), 1.6, Status::Ok, A, vec![over, ok]),
        // Redundant: nothing said.
        ("vertebroplasty high", json!(["vertebroplasty"]), json!("high"), null.clone(), 1.5, Status::Ok, N, vec![ok]),
        ("embolisation high", json!(["embolisation"]), json!("high"), null.clone(), 1.5, Status::Ok, N, vec![ok]),
        ("drain low", json!(["tunnelled_pleural_drain"]), json!("low"), null.clone(), 2.0, Status::Ok, N, vec![ok]),
        // Raising: applied (1.5), said.
        ("drain high, INR 1.51", json!(["tunnelled_pleural_drain"]), json!("high"), null.clone(), 1.51, Status::OutOfRange, B, vec![high, over]),
        ("drain high, INR 1.5", json!(["tunnelled_pleural_drain"]), json!("high"), null.clone(), 1.5, Status::Ok, A, vec![over, ok]),
    ];
    for (label, techniques, risk, access, inr, status, severity, codes) in table {
        let r = coag(techniques, risk, access, inr);
        assert_eq!(verdict(&r), (status, severity, codes), "{label}: {}", r.message(Lang::En));
    }
}

#[test]
#[rustfmt::skip] // long expected strings
fn the_messages_name_the_access_and_the_ignored_risk() {
    let r = coag(json!(["embolisation"]), json!("low"), Value::Null, 1.85);
    assert_eq!(r.message(Lang::En),
        "INR 1.85 > 1.8 (low bleeding risk, femoral access assumed), 2026-11-30; \
         bleeding risk set to low for this case; its techniques give high; \
         embolisation: no access recorded, judged as femoral access (INR ≤ 1.8, low bleeding risk); \
         record the access (form: procedure)");
    assert_eq!(r.message(Lang::Fr),
        "INR 1,85 > 1,8 (risque hémorragique faible, abord fémoral supposé), 30/11/2026\u{202f}; \
         risque hémorragique fixé à faible pour ce cas\u{202f}; ses techniques donnent élevé\u{202f}; \
         embolisation\u{a0}: abord non renseigné, jugé comme abord fémoral (INR ≤ 1,8, risque hémorragique faible)\u{202f}; \
         renseigner l'abord (formulaire\u{a0}: procédure)");
    let r = coag(json!(["embolisation"]), json!("low"), json!("radial"), 2.1);
    assert_eq!(r.message(Lang::En),
        "bleeding risk set to low for this case; its techniques give high; \
         coagulation work-up 2026-11-30, 1 day before (max 30, low bleeding risk): \
         INR 2.1 ≤ 2.2 (radial access), platelets 200 G/L ≥ 20");
    let r = coag(json!(["vertebroplasty"]), json!("low"), Value::Null, 1.6);
    assert_eq!(r.message(Lang::En),
        "INR 1.6 > 1.5 (high bleeding risk), 2026-11-30; \
         bleeding risk low set for this case is ignored: the risk of vertebroplasty is not judged per case; \
         high bleeding risk applies");
}

/// The audit's case: a vertebroplasty sent `low`, clopidogrel continued,
/// INR 1.9, platelets 30 and a coagulation 25 days old. With the override
/// ignored it is judged at high risk: nothing of it passes.
#[test]
fn a_vertebroplasty_sent_low_is_judged_at_high_risk() {
    let case = with(json!({
        "procedure": { "bleeding_risk": "low" },
        "coagulation": { "at": "2026-11-06", "inr": 1.9, "platelets_g_l": 30.0 },
        "medications": [{ "drug": "clopidogrel", "last_intake": "2026-11-30" }],
    }));
    let d = dossier(&case);
    assert!(!d.complete());
    let coag = d.item(Item::Coagulation).expect("coagulation");
    assert_eq!(
        (coag.severity, coag.code()),
        (B, "coagulation.expired"),
        "{}",
        coag.message(Lang::En)
    );
    assert!(
        coag.findings
            .iter()
            .any(|f| f.code == "coagulation.risk_override_ignored")
    );
    let med = d.item(Item::Medication).expect("medication");
    assert_eq!(med.severity, B, "{}", med.message(Lang::En));
}
