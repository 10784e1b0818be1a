//! Cross-item tests: all seven items, completeness, rules as data.

use serde_json::json;

use super::testkit::{case, ctx, dossier, expect, rules, with};
use super::*;
use crate::domain::message::Lang;

#[test]
fn all_seven_items_always_present_in_order() {
    for c in [
        case(),
        with(
            json!({ "consultation": null, "imaging": null, "biology": null,
                                   "coagulation": null, "anaesthesia_consult": null,
                                   "medications": null }),
        ),
    ] {
        let d = dossier(&c);
        let items: Vec<Item> = d.items.iter().map(|r| r.item).collect();
        assert_eq!(items, Item::ALL);
        assert!(d.items.iter().all(|r| !r.findings.is_empty()));
    }
}

#[test]
fn complete_iff_no_blocking_item() {
    let d = dossier(&case());
    assert!(
        d.complete(),
        "{:?}",
        d.blocking()
            .map(|r| r.message(Lang::En))
            .collect::<Vec<_>>()
    );
    assert!(d.items.iter().all(|r| r.status == Status::Ok));

    // Advisory items leave the case complete.
    let d = dossier(&with(
        json!({ "medications": [{ "drug": "other", "name": "cilostazol" }] }),
    ));
    assert!(d.complete());
    assert_eq!(
        d.item(Item::Medication).map(|r| r.severity),
        Some(Severity::Advisory)
    );

    let d = dossier(&with(json!({ "coagulation": null, "medications": null })));
    assert!(!d.complete());
    let blocking: Vec<Item> = d.blocking().map(|r| r.item).collect();
    assert_eq!(blocking, [Item::Coagulation, Item::Medication]);
}

#[test]
fn a_dossier_serialises_with_codes_and_evidence() {
    let c =
        with(json!({ "coagulation": { "at": "2026-11-30", "inr": 1.7, "platelets_g_l": 200.0 } }));
    let v = serde_json::to_value(dossier(&c)).expect("serialisable");
    let coag = &v["items"][2];
    assert_eq!(coag["item"], "coagulation");
    assert_eq!(coag["status"], "out_of_range");
    assert_eq!(coag["severity"], "blocking");
    assert_eq!(coag["findings"][0]["code"], "coagulation.inr_high");
    assert_eq!(coag["findings"][0]["msg"]["kind"], "inr_high");
    assert_eq!(coag["findings"][0]["msg"]["value"], 1.7);
    assert_eq!(coag["findings"][0]["msg"]["risk"], "high");
}

/// `rules()` with one row's value or severity edited.
fn edited(rule: &str, value: Option<f64>, severity: Option<Severity>) -> RuleSet {
    let rows = rules()
        .rows()
        .iter()
        .cloned()
        .map(|mut r| {
            if r.rule == rule {
                r.value = value.or(r.value);
                r.severity = severity.unwrap_or(r.severity);
            }
            r
        })
        .collect();
    RuleSet::new(rows)
}

#[test]
fn editing_a_rule_row_changes_the_flag() {
    let c = with(json!({ "imaging": [{ "kind": "ct", "at": "2026-10-19" }] }));
    expect(
        "43 days, max 42",
        &evaluate_item(Item::Imaging, &c, &ctx()),
        Status::Expired,
        Severity::Blocking,
        "imaging.expired",
    );
    let sixty = edited("imaging.max_age", Some(60.0), None);
    let ctx60 = Context {
        rules: &sixty,
        ..ctx()
    };
    let r = evaluate_item(Item::Imaging, &c, &ctx60);
    expect(
        "43 days, max 60",
        &r,
        Status::Ok,
        Severity::None,
        "imaging.ok",
    );
    assert_eq!(
        r.message(Lang::En),
        "CT 2026-10-19, 43 days before (max 60)"
    );
}

#[test]
fn downgrading_a_row_downgrades_its_findings() {
    let c =
        with(json!({ "coagulation": { "at": "2026-11-30", "inr": 1.7, "platelets_g_l": 200.0 } }));
    assert!(!dossier(&c).complete());
    let advisory = edited("coagulation.inr_max", None, Some(Severity::Advisory));
    let d = evaluate(
        &c,
        &Context {
            rules: &advisory,
            ..ctx()
        },
    );
    expect(
        "advisory INR",
        d.item(Item::Coagulation).expect("all seven items"),
        Status::OutOfRange,
        Severity::Advisory,
        "coagulation.inr_high",
    );
    assert!(d.complete());
}

#[test]
fn a_missing_rule_row_blocks() {
    let without = RuleSet::new(
        rules()
            .rows()
            .iter()
            .filter(|r| r.rule != "biology.max_age")
            .cloned()
            .collect(),
    );
    let r = evaluate_item(
        Item::Biology,
        &case(),
        &Context {
            rules: &without,
            ..ctx()
        },
    );
    expect(
        "no biology.max_age",
        &r,
        Status::Missing,
        Severity::Blocking,
        "biology.rule_missing",
    );
    assert_eq!(
        r.message(Lang::En),
        "rule biology.max_age missing from the rules table"
    );
}

#[test]
fn the_most_severe_finding_decides_then_the_first_non_ok() {
    let f = |code, status, severity| Finding::new(code, status, severity, Msg::MedicationsNone);
    let r = ItemResult::from_findings(
        Item::Medication,
        vec![
            f("a", Status::Ok, Severity::Advisory),
            f("b", Status::OutOfRange, Severity::Advisory),
            f("c", Status::Missing, Severity::Advisory),
            f("d", Status::Ok, Severity::None),
        ],
    );
    assert_eq!(
        (r.status, r.severity, r.code()),
        (Status::OutOfRange, Severity::Advisory, "b")
    );
    let r = ItemResult::from_findings(
        Item::Medication,
        vec![
            f("a", Status::OutOfRange, Severity::None),
            f("b", Status::Ok, Severity::Advisory),
        ],
    );
    assert_eq!(
        (r.status, r.severity, r.code()),
        (Status::Ok, Severity::Advisory, "b")
    );
    let r = ItemResult::from_findings(
        Item::Coagulation,
        vec![
            f("a", Status::Missing, Severity::Blocking),
            f("b", Status::OutOfRange, Severity::Blocking),
        ],
    );
    assert_eq!((r.status, r.code()), (Status::Missing, "a"));
}

/// An item's findings read in the order they decide: blocking, then
/// advisory, then the rest; within a severity a finding that is not ok
/// first; otherwise in the order the item gave them.
#[test]
#[rustfmt::skip] // one row per case
fn findings_are_ordered_blocking_then_advisory_then_ok() {
    use Severity::{Advisory as A, Blocking as B, None as N};
    use Status::{Missing as M, Ok as O, OutOfRange as R};
    type Lines = Vec<(&'static str, Status, Severity)>;
    let table: [(&str, Lines, &str); 5] = [
        ("advisory, ok, blocking", vec![("a", O, A), ("b", O, N), ("c", R, B)], "c a b"),
        ("ok advisory after a non-ok advisory", vec![("a", O, A), ("b", R, A), ("c", M, B)], "c b a"),
        ("blocking lines keep their order", vec![("a", O, N), ("b", R, B), ("c", M, B), ("d", O, A)], "b c d a"),
        ("a non-ok line without severity before the ok ones", vec![("a", O, N), ("b", R, N)], "b a"),
        ("already in order", vec![("a", M, B), ("b", O, A), ("c", O, N)], "a b c"),
    ];
    for (label, findings, expected) in table {
        let findings = findings.into_iter()
            .map(|(code, status, severity)| Finding::new(code, status, severity, Msg::MedicationsNone))
            .collect();
        let r = ItemResult::from_findings(Item::Medication, findings);
        let codes: Vec<&str> = r.findings.iter().map(|f| f.code).collect();
        assert_eq!(codes.join(" "), expected, "{label}");
        assert_eq!(Some(r.code()), expected.split(' ').next(), "{label}: the first line decides");
    }
    // A real item: neutrophils made advisory by the table, creatinine
    // missing (blocking) comes first.
    let advisory = edited("biology.neutrophils_min", None, Some(Severity::Advisory));
    let c = with(json!({ "biology": { "at": "2026-11-25", "neutrophils_g_l": 0.8 } }));
    let r = evaluate_item(Item::Biology, &c, &Context { rules: &advisory, ..ctx() });
    let codes: Vec<&str> = r.findings.iter().map(|f| f.code).collect();
    assert_eq!(codes, ["biology.egfr_missing", "biology.neutrophils_low"]);
    assert_eq!(r.message(Lang::En),
        "no creatinine (eGFR) in the biology of 2026-11-25; neutrophils 0.8 G/L < 1.0, 2026-11-25");
    assert_eq!(r.message(Lang::Fr),
        "pas de créatinine (DFG) dans le bilan biologique du 25/11/2026\u{202f}; neutrophiles 0,8 G/L < 1,0, 25/11/2026");
}

/// Evidence on day J against an 08:00 procedure: before it (or a date alone)
/// it counts as J, timed after it it is after the procedure, for every item
/// that dates its evidence.
#[test]
#[rustfmt::skip] // one row per case
fn evidence_timed_after_the_procedure_on_day_j() {
    let patch = |item: Item, at: &str| match item {
        Item::Imaging => json!({ "imaging": [{ "kind": "ct", "at": at }] }),
        Item::Biology => json!({ "biology": { "at": at, "neutrophils_g_l": 3.0, "egfr": 80.0 } }),
        Item::Coagulation => json!({ "coagulation": { "at": at, "inr": 1.0, "platelets_g_l": 200.0 } }),
        Item::Anaesthesia => json!({ "anaesthesia_consult": { "at": at } }),
        Item::Consent => json!({ "consultation": { "at": "2026-11-10T10:00", "radiologist": "Dr Roy",
                                 "leaflet_given": true, "consent": { "kind": "signed", "at": at } } }),
        _ => json!({}),
    };
    let ok = |item: Item| match item {
        // J−0 is too late for the anaesthesia consultation (J−2 or earlier).
        Item::Anaesthesia => (Status::OutOfRange, Severity::Blocking, "anaesthesia.too_late"),
        Item::Imaging => (Status::Ok, Severity::None, "imaging.ok"),
        Item::Biology => (Status::Ok, Severity::None, "biology.ok"),
        Item::Coagulation => (Status::Ok, Severity::None, "coagulation.ok"),
        _ => (Status::Ok, Severity::None, "consent.ok"),
    };
    let after = |item: Item| {
        let code = match item {
            Item::Imaging => "imaging.after_procedure",
            Item::Biology => "biology.after_procedure",
            Item::Coagulation => "coagulation.after_procedure",
            Item::Anaesthesia => "anaesthesia.after_procedure",
            _ => "consent.after_procedure",
        };
        (Status::OutOfRange, Severity::Blocking, code)
    };
    let table: [(&str, &str, bool); 6] = [
        ("date only, day J", "2026-12-01", false),
        ("day J 00:00", "2026-12-01T00:00", false),
        ("day J 07:00, before", "2026-12-01T07:00", false),
        ("day J 08:00, at the procedure time", "2026-12-01T08:00", false),
        ("day J 08:01, after", "2026-12-01T08:01", true),
        ("day J 15:00, after", "2026-12-01T15:00", true),
    ];
    let items = [Item::Imaging, Item::Biology, Item::Coagulation, Item::Anaesthesia, Item::Consent];
    for item in items {
        for (label, at, is_after) in table {
            let mut case = with(patch(item, at));
            case.procedure.scheduled_at = crate::domain::time::parse_datetime("2026-12-01T08:00")
                .expect("date-time");
            let (status, severity, code) = if is_after { after(item) } else { ok(item) };
            let r = evaluate_item(item, &case, &ctx());
            expect(&format!("{}: {label}", item.as_str()), &r, status, severity, code);
        }
    }
}
