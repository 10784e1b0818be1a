//! The medication item at its edges: holds in days, with a noon cut-off
//! and in hours, renal holds, aspirin, and the order and wording of its lines.

use serde_json::{Value, json};

use crate::domain::message::Lang;
use crate::domain::rules::testkit::{expect, item, with};
use crate::domain::rules::{Item, ItemResult, Severity, Status};

const B: Severity = Severity::Blocking;
const A: Severity = Severity::Advisory;
const N: Severity = Severity::None;
const HIGH: &str = "vertebroplasty";
const DRAIN: &str = "tunnelled_pleural_drain";

/// The medication item of the 2026-12-01 08:30 procedure.
fn meds(technique: &str, medications: Value) -> ItemResult {
    let procedure = json!({ "techniques": [technique] });
    item(
        &with(json!({ "procedure": procedure, "medications": medications })),
        Item::Medication,
    )
}

fn drug(name: &str, last: &str, crcl: Option<f64>) -> Value {
    json!([{ "drug": name, "last_intake": last, "crcl_ml_min": crcl }])
}

#[test]
#[rustfmt::skip] // one row per case
fn holds_at_the_edges() {
    let ok = (Status::Ok, N, "medication.hold_ok");
    let late = (Status::OutOfRange, B, "medication.hold_too_late");
    let only = |d: &str| json!([{ "drug": d }]);
    let (j2, j3, j4, j5) = ("2026-11-29", "2026-11-28", "2026-11-27", "2026-11-26");
    let table = [
        ("apixaban J−3", HIGH, drug("apixaban", j3, Some(60.0)), ok),
        ("apixaban J−2", HIGH, drug("apixaban", j2, Some(60.0)), late),
        ("dabigatran CrCl 55 J−4", HIGH, drug("dabigatran", j4, Some(55.0)), ok),
        ("dabigatran CrCl 50 J−4", HIGH, drug("dabigatran", j4, Some(50.0)), ok),
        ("dabigatran CrCl 40 J−4", HIGH, drug("dabigatran", j4, Some(40.0)), late),
        ("dabigatran CrCl 40 J−5", HIGH, drug("dabigatran", j5, Some(40.0)), ok),
        ("dabigatran CrCl 25", HIGH, drug("dabigatran", j5, Some(25.0)), (Status::OutOfRange, B, "medication.crcl_low")),
        ("dabigatran CrCl absent", HIGH, drug("dabigatran", j5, None), (Status::Missing, B, "medication.crcl_missing")),
        ("apixaban CrCl absent", HIGH, drug("apixaban", j3, None), (Status::Missing, B, "medication.crcl_missing")),
        ("warfarin J−5", HIGH, drug("warfarin", j5, None), (Status::Ok, A, "medication.inr_check")),
        ("warfarin J−4", HIGH, drug("warfarin", j4, None), late),
        ("LMWH 24 h", HIGH, drug("lmwh_therapeutic", "2026-11-30T08:30", None), ok),
        ("LMWH 23 h", HIGH, drug("lmwh_therapeutic", "2026-11-30T09:30", None), late),
        ("LMWH date only, J−2", HIGH, drug("lmwh_therapeutic", "2026-11-29", None), ok),
        ("LMWH date only, J−1", HIGH, drug("lmwh_therapeutic", "2026-11-30", None), late),
        ("clopidogrel J−5", HIGH, drug("clopidogrel", j5, None), ok),
        ("clopidogrel J−4", HIGH, drug("clopidogrel", j4, None), late),
        ("prasugrel J−7", HIGH, drug("prasugrel", "2026-11-24", None), ok),
        ("prasugrel J−6", HIGH, drug("prasugrel", "2026-11-25", None), late),
        ("aspirin, vertebroplasty", HIGH, only("aspirin"), (Status::Ok, A, "medication.aspirin_advisory")),
        ("aspirin, ablation", "radiofrequency_ablation", only("aspirin"), (Status::Ok, A, "medication.aspirin_advisory")),
        ("aspirin, drain", DRAIN, only("aspirin"), (Status::Ok, N, "medication.continued")),
        ("drain: apixaban J−1 08:30", DRAIN, drug("apixaban", "2026-11-30T08:30", Some(60.0)), ok),
        ("drain: apixaban J−1 20:30", DRAIN, drug("apixaban", "2026-11-30T20:30", Some(60.0)), late),
        ("drain: dabigatran CrCl 40, J−1 08:00", DRAIN, drug("dabigatran", "2026-11-30T08:00", Some(40.0)), ok),
        ("drain: clopidogrel", DRAIN, only("clopidogrel"), (Status::Ok, N, "medication.continued")),
        ("no planned last intake", HIGH, json!([{ "drug": "rivaroxaban", "crcl_ml_min": 70.0 }]),
         (Status::Missing, B, "medication.no_last_intake")),
        ("other drug", HIGH, json!([{ "drug": "other", "name": "cilostazol" }]), (Status::Ok, A, "medication.other")),
        ("none taken", HIGH, json!([]), (Status::Ok, N, "medication.none_taken")),
        ("nobody checked", HIGH, Value::Null, (Status::Missing, B, "medication.missing")),
    ];
    for (label, technique, medications, (status, severity, code)) in table {
        expect(label, &meds(technique, medications), status, severity, code);
    }
}

#[test]
fn combined_and_overridden_risk() {
    let case = with(json!({
        "procedure": { "techniques": [DRAIN, "cryoablation"] },
        "medications": drug("clopidogrel", "2026-11-28", None)
    }));
    let r = item(&case, Item::Medication);
    expect(
        "drain + ablation",
        &r,
        Status::OutOfRange,
        B,
        "medication.hold_too_late",
    );
    let case = with(json!({
        "procedure": { "techniques": ["embolisation"], "bleeding_risk": "low" },
        "medications": drug("clopidogrel", "2026-11-30", None)
    }));
    let r = item(&case, Item::Medication);
    expect(
        "embolisation overridden low",
        &r,
        Status::Ok,
        N,
        "medication.continued",
    );
}

#[test]
#[rustfmt::skip] // long expected strings
fn several_drugs_the_worst_decides() {
    let medications = json!([
        { "drug": "aspirin" },
        { "drug": "apixaban", "last_intake": "2026-11-29", "crcl_ml_min": 60.0 },
    ]);
    let r = meds(HIGH, medications);
    expect("aspirin + apixaban J−2", &r, Status::OutOfRange, B, "medication.hold_too_late");
    // The blocking line first, then the advisory, then the ok line.
    assert_eq!(r.message(Lang::En),
        "apixaban: last intake J−2 (2026-11-29), needs J−3 or earlier (high bleeding risk); \
         aspirin (high bleeding risk): SIR 2019 suggests holding 3–5 days; French practice usually \
         continues it; aspirin: continued (high bleeding risk)");
    assert_eq!(r.findings[0].msg.render(Lang::Fr),
        "apixaban\u{a0}: dernière prise J−2 (29/11/2026), il faut J−3 ou avant (risque hémorragique élevé)");
}

/// Hours holds around the October change (2026-10-25: 02:00–02:59
/// happens twice in Paris): the shortest possible elapsed time counts.
#[test]
#[rustfmt::skip] // one row per case
fn hours_holds_take_the_shortest_reading_of_an_ambiguous_time() {
    let ok = (Status::Ok, N, "medication.hold_ok");
    let late = (Status::OutOfRange, B, "medication.hold_too_late");
    let table = [
        // 02:30 is taken as the later 02:30 (CET): 11 h 15 before 13:45.
        ("LMWH prophylactic 02:30 overlap, 13:45", "lmwh_prophylactic", "2026-10-25T02:30", "2026-10-25T13:45", late),
        ("LMWH prophylactic 02:30 overlap, 14:29", "lmwh_prophylactic", "2026-10-25T02:30", "2026-10-25T14:29", late),
        ("LMWH prophylactic 02:30 overlap, 14:30", "lmwh_prophylactic", "2026-10-25T02:30", "2026-10-25T14:30", ok),
        ("LMWH prophylactic 01:59 before the overlap", "lmwh_prophylactic", "2026-10-25T01:59", "2026-10-25T13:45", ok),
        ("UFH sc 03:00 after the overlap, 15:00", "ufh_sc", "2026-10-25T03:00", "2026-10-25T15:00", ok),
        // A procedure in the overlap: its earlier instant (02:30 CEST), 23 h 45.
        ("LMWH therapeutic, procedure in the overlap", "lmwh_therapeutic", "2026-10-24T02:45", "2026-10-25T02:30", late),
        // After the procedure, the same day.
        ("LMWH prophylactic after the procedure", "lmwh_prophylactic", "2026-12-01T15:00", "2026-12-01T08:00", late),
    ];
    for (label, drug_name, last, scheduled, (status, severity, code)) in table {
        let case = with(json!({
            "procedure": { "scheduled_at": scheduled },
            "medications": drug(drug_name, last, None)
        }));
        expect(label, &item(&case, Item::Medication), status, severity, code);
    }
    let case = with(json!({
        "procedure": { "scheduled_at": "2026-10-25T13:45" },
        "medications": drug("lmwh_prophylactic", "2026-10-25T02:30", None)
    }));
    assert_eq!(item(&case, Item::Medication).message(Lang::En),
        "LMWH (prophylactic dose): last intake 2026-10-25 02:30, 11 h 15 before the procedure, \
         needs ≥ 12 h (high bleeding risk)");
    let case = with(json!({
        "procedure": { "scheduled_at": "2026-12-01T08:00" },
        "medications": drug("lmwh_prophylactic", "2026-12-01T10:30", None)
    }));
    assert_eq!(item(&case, Item::Medication).message(Lang::Fr),
        "HBPM (dose préventive)\u{a0}: dernière prise 01/12/2026 10:30, 2 h 30 après l'acte, \
         il faut ≥ 12 h (risque hémorragique élevé)");
}

#[test]
fn vka_adds_an_inr_check() {
    let r = meds(HIGH, drug("warfarin", "2026-11-26", None));
    assert_eq!(r.findings.len(), 2);
    assert_eq!(
        r.message(Lang::Fr),
        "warfarine\u{a0}: INR à contrôler la veille\u{202f}; \
         warfarine\u{a0}: dernière prise J−5 (26/11/2026), J−5 ou avant (risque hémorragique élevé)"
    );
}

#[test]
#[rustfmt::skip] // long expected strings
fn hours_count_a_date_alone_as_end_of_day() {
    let r = meds(HIGH, drug("lmwh_therapeutic", "2026-11-30", None));
    assert_eq!(r.message(Lang::En),
        "LMWH (therapeutic dose): last intake 2026-11-30 (date only, counted 24:00), 8 h 30 before \
         the procedure, needs ≥ 24 h (high bleeding risk)");
}

/// The medication item of a case on `techniques` at `scheduled` (2026-12-01).
fn meds_at(techniques: Value, scheduled: &str, medications: Value) -> ItemResult {
    let procedure = json!({ "techniques": techniques, "scheduled_at": scheduled });
    item(
        &with(json!({ "procedure": procedure, "medications": medications })),
        Item::Medication,
    )
}

/// Before a low-risk procedure (J = 2026-12-01) a direct oral anticoagulant's
/// last intake falls on J−2 or earlier, or on J−1 before 12:00; a date alone
/// on J−1 blocks (its hour is unknown).
#[test]
#[rustfmt::skip] // one row per case
fn doac_holds_before_a_low_risk_procedure_at_the_edges() {
    let ok = (Status::Ok, N, "medication.hold_ok");
    let late = (Status::OutOfRange, B, "medication.hold_too_late");
    let table = [
        ("J−1 11:59", "2026-11-30T11:59", "14:00", ok),
        ("J−1 11:59:59", "2026-11-30T11:59:59", "14:00", ok),
        ("J−1 00:00", "2026-11-30T00:00", "14:00", ok),
        ("J−1 12:00", "2026-11-30T12:00", "14:00", late),
        ("J−1 12:00:01", "2026-11-30T12:00:01", "14:00", late),
        ("J−1 date only", "2026-11-30", "14:00", late),
        ("J−1 19:30 before a 20:00 drain", "2026-11-30T19:30", "20:00", late),
        ("J−2 23:59", "2026-11-29T23:59", "08:00", ok),
        ("J−2 date only", "2026-11-29", "08:00", ok),
        ("J−3 date only", "2026-11-28", "08:00", ok),
        ("J 06:00", "2026-12-01T06:00", "14:00", late),
        ("J date only", "2026-12-01", "14:00", late),
        ("after the procedure", "2026-12-02T06:00", "14:00", late),
    ];
    for drug_name in ["apixaban", "rivaroxaban", "edoxaban", "dabigatran"] {
        for technique in [DRAIN, "tunnelled_peritoneal_drain"] {
            for (label, last, time, (status, severity, code)) in &table {
                let r = meds_at(json!([technique]), &format!("2026-12-01T{time}"),
                    drug(drug_name, last, Some(60.0)));
                expect(&format!("{drug_name}, {technique}, {label}"), &r, *status, *severity, code);
            }
        }
    }
}

/// A low-risk technique combined with a high-risk one takes the high-risk
/// hold; a drain sent as high risk too.
#[test]
#[rustfmt::skip] // one row per case
fn doac_holds_follow_the_effective_risk() {
    let ok = (Status::Ok, N, "medication.hold_ok");
    let late = (Status::OutOfRange, B, "medication.hold_too_late");
    let table = [
        ("drain, J−1 11:00", json!({ "techniques": [DRAIN] }), "2026-11-30T11:00", ok),
        ("drain + vertebroplasty, J−1 11:00", json!({ "techniques": [DRAIN, HIGH] }), "2026-11-30T11:00", late),
        ("drain + vertebroplasty, J−3", json!({ "techniques": [DRAIN, HIGH] }), "2026-11-28", ok),
        ("drain sent high, J−2", json!({ "techniques": [DRAIN], "bleeding_risk": "high" }), "2026-11-29", late),
        ("drain sent high, J−3", json!({ "techniques": [DRAIN], "bleeding_risk": "high" }), "2026-11-28T20:00", ok),
    ];
    for (label, procedure, last, (status, severity, code)) in table {
        let case = with(json!({ "procedure": procedure, "medications": drug("rivaroxaban", last, Some(60.0)) }));
        expect(label, &item(&case, Item::Medication), status, severity, code);
    }
}

/// `day_noon` n reads as "J−n before 12:00, or an earlier day", whatever n
/// a chair sets.
#[test]
#[rustfmt::skip] // one row per case
fn a_day_noon_hold_of_two_days() {
    use crate::domain::rules::{Context, RuleSet, Unit, evaluate_item};
    use crate::domain::rules::testkit::{ctx, rules};
    let mut rows = rules().rows().to_vec();
    let row = rows.iter_mut()
        .find(|r| r.rule == "medication.hold" && r.subject == "apixaban" && r.risk.is_some_and(|x| x.as_str() == "low"))
        .expect("the low-risk apixaban hold");
    assert_eq!((row.value, row.unit), (Some(1.0), Unit::DayNoon));
    row.value = Some(2.0);
    let set = RuleSet::new(rows);
    let ctx = Context { rules: &set, ..ctx() };
    let ok = (Status::Ok, N, "medication.hold_ok");
    let late = (Status::OutOfRange, B, "medication.hold_too_late");
    let table = [
        ("J−2 11:59", "2026-11-29T11:59", ok),
        ("J−2 12:00", "2026-11-29T12:00", late),
        ("J−2 date only", "2026-11-29", late),
        ("J−3 23:59", "2026-11-28T23:59", ok),
        ("J−3 date only", "2026-11-28", ok),
        ("J−1 08:00", "2026-11-30T08:00", late),
    ];
    for (label, last, (status, severity, code)) in table {
        let case = with(json!({ "procedure": { "techniques": [DRAIN] },
                                "medications": drug("apixaban", last, Some(60.0)) }));
        expect(label, &evaluate_item(Item::Medication, &case, &ctx), status, severity, code);
    }
    let case = with(json!({ "procedure": { "techniques": [DRAIN] },
                            "medications": drug("apixaban", "2026-11-29", Some(60.0)) }));
    assert_eq!(evaluate_item(Item::Medication, &case, &ctx).message(Lang::En),
        "apixaban: last intake J−2 (2026-11-29, no time: counted after 12:00), needs J−3 or earlier, \
         or J−2 before 12:00 (low bleeding risk)");
}

/// Aspirin: one advisory per aspirin line whenever the case's effective risk
/// is high, whatever the technique; none at low risk; never blocking.
#[test]
fn aspirin_advises_at_high_risk_for_every_technique() {
    use crate::domain::rules::testkit::rules;
    use crate::domain::vocab::{BleedingRisk, Technique};
    let advisories = |r: &ItemResult| {
        r.findings
            .iter()
            .filter(|f| f.code == "medication.aspirin_advisory")
            .count()
    };
    for &t in Technique::ALL.iter() {
        let high = rules().technique_risk(t) == BleedingRisk::High;
        let r = meds(t.as_str(), json!([{ "drug": "aspirin" }]));
        let (severity, n) = if high { (A, 1) } else { (N, 0) };
        assert_eq!(
            (r.status, r.severity, advisories(&r)),
            (Status::Ok, severity, n),
            "{t}"
        );
        // Taken up to the procedure: aspirin still never blocks.
        let r = meds(t.as_str(), drug("aspirin", "2026-12-01T07:00", None));
        assert!(!r.is_blocking(), "{t}: {}", r.message(Lang::En));
    }
    // One per aspirin line.
    let two = json!([{ "drug": "aspirin" }, { "drug": "aspirin", "last_intake": "2026-11-30" }]);
    assert_eq!(advisories(&meds("neurolysis", two)), 2);
    // The effective risk: a combined procedure takes the highest; a drain
    // sent as high risk is high.
    for (label, procedure, n) in [
        ("drain", json!({ "techniques": [DRAIN] }), 0),
        (
            "drain + cryoablation",
            json!({ "techniques": [DRAIN, "cryoablation"] }),
            1,
        ),
        (
            "drain sent high",
            json!({ "techniques": [DRAIN], "bleeding_risk": "high" }),
            1,
        ),
    ] {
        let case = with(json!({ "procedure": procedure, "medications": [{ "drug": "aspirin" }] }));
        assert_eq!(advisories(&item(&case, Item::Medication)), n, "{label}");
    }
}

/// Every line names what its threshold depends on (the bleeding risk, the
/// clearance that chose a renal hold), in both languages; a date alone on
/// the cut-off day says why it blocks.
#[test]
#[rustfmt::skip] // long expected strings
fn hold_messages_name_what_decides() {
    let table = [
        ("dabigatran CrCl 42, J−4", HIGH, "08:30", drug("dabigatran", "2026-11-27", Some(42.0)),
         "dabigatran: last intake J−4 (2026-11-27), needs J−5 or earlier because CrCl 42 mL/min < 50 (high bleeding risk)",
         "dabigatran\u{a0}: dernière prise J−4 (27/11/2026), il faut J−5 ou avant car ClCr 42 mL/min < 50 (risque hémorragique élevé)"),
        ("dabigatran CrCl 42, J−5", HIGH, "08:30", drug("dabigatran", "2026-11-26", Some(42.0)),
         "dabigatran: last intake J−5 (2026-11-26), J−5 or earlier because CrCl 42 mL/min < 50 (high bleeding risk)",
         "dabigatran\u{a0}: dernière prise J−5 (26/11/2026), J−5 ou avant car ClCr 42 mL/min < 50 (risque hémorragique élevé)"),
        ("dabigatran CrCl 50, J−4", HIGH, "08:30", drug("dabigatran", "2026-11-27", Some(50.0)),
         "dabigatran: last intake J−4 (2026-11-27), J−4 or earlier because CrCl 50 mL/min ≥ 50 (high bleeding risk)",
         "dabigatran\u{a0}: dernière prise J−4 (27/11/2026), J−4 ou avant car ClCr 50 mL/min ≥ 50 (risque hémorragique élevé)"),
        ("dabigatran CrCl 42.5, no last intake", HIGH, "08:30", json!([{ "drug": "dabigatran", "crcl_ml_min": 42.5 }]),
         "dabigatran: no planned last intake (needs J−5 or earlier because CrCl 42.5 mL/min < 50, high bleeding risk)",
         "dabigatran\u{a0}: pas de dernière prise prévue (il faut J−5 ou avant car ClCr 42,5 mL/min < 50, risque hémorragique élevé)"),
        ("apixaban: no clearance involved", HIGH, "08:30", drug("apixaban", "2026-11-28", Some(42.0)),
         "apixaban: last intake J−3 (2026-11-28), J−3 or earlier (high bleeding risk)",
         "apixaban\u{a0}: dernière prise J−3 (28/11/2026), J−3 ou avant (risque hémorragique élevé)"),
        ("drain: dabigatran at low risk, no renal hold", DRAIN, "14:00", drug("dabigatran", "2026-11-30T11:59", Some(42.0)),
         "dabigatran: last intake J−1 (2026-11-30 11:59), J−2 or earlier, or J−1 before 12:00 (low bleeding risk)",
         "dabigatran\u{a0}: dernière prise J−1 (30/11/2026 11:59), J−2 ou avant, ou J−1 avant 12:00 (risque hémorragique faible)"),
        ("drain: rivaroxaban J−1 19:30", DRAIN, "20:00", drug("rivaroxaban", "2026-11-30T19:30", Some(60.0)),
         "rivaroxaban: last intake J−1 (2026-11-30 19:30), needs J−2 or earlier, or J−1 before 12:00 (low bleeding risk)",
         "rivaroxaban\u{a0}: dernière prise J−1 (30/11/2026 19:30), il faut J−2 ou avant, ou J−1 avant 12:00 (risque hémorragique faible)"),
        ("drain: rivaroxaban J−1 date only", DRAIN, "14:00", drug("rivaroxaban", "2026-11-30", Some(60.0)),
         "rivaroxaban: last intake J−1 (2026-11-30, no time: counted after 12:00), needs J−2 or earlier, or J−1 before 12:00 (low bleeding risk)",
         "rivaroxaban\u{a0}: dernière prise J−1 (30/11/2026, sans heure\u{a0}: comptée après 12:00), il faut J−2 ou avant, ou J−1 avant 12:00 (risque hémorragique faible)"),
        ("drain: edoxaban J−2 date only", DRAIN, "14:00", drug("edoxaban", "2026-11-29", Some(60.0)),
         "edoxaban: last intake J−2 (2026-11-29), J−2 or earlier, or J−1 before 12:00 (low bleeding risk)",
         "edoxaban\u{a0}: dernière prise J−2 (29/11/2026), J−2 ou avant, ou J−1 avant 12:00 (risque hémorragique faible)"),
        ("drain: apixaban, no last intake", DRAIN, "14:00", json!([{ "drug": "apixaban", "crcl_ml_min": 60.0 }]),
         "apixaban: no planned last intake (needs J−2 or earlier, or J−1 before 12:00, low bleeding risk)",
         "apixaban\u{a0}: pas de dernière prise prévue (il faut J−2 ou avant, ou J−1 avant 12:00, risque hémorragique faible)"),
        ("aspirin, cryoablation", "cryoablation", "08:30", json!([{ "drug": "aspirin" }]),
         "aspirin (high bleeding risk): SIR 2019 suggests holding 3–5 days; French practice usually continues it; \
          aspirin: continued (high bleeding risk)",
         "aspirine (risque hémorragique élevé)\u{a0}: la SIR 2019 suggère de l'arrêter 3 à 5 jours\u{202f}; la pratique française \
          la poursuit le plus souvent\u{202f}; aspirine\u{a0}: traitement poursuivi (risque hémorragique élevé)"),
    ];
    for (label, technique, time, medications, en, fr) in table {
        let r = meds_at(json!([technique]), &format!("2026-12-01T{time}"), medications);
        assert_eq!(r.message(Lang::En), en, "{label}");
        assert_eq!(r.message(Lang::Fr), fr, "{label}");
    }
}

/// An item's lines lead with what decides: blocking, then advisory, then
/// ok, each group in the order of the list.
#[test]
#[rustfmt::skip] // one row per case
fn lines_lead_with_what_decides() {
    let table = [
        ("aspirin, clopidogrel late, warfarin ok", json!([
            { "drug": "aspirin" },
            { "drug": "warfarin", "last_intake": "2026-11-26" },
            { "drug": "clopidogrel", "last_intake": "2026-11-29" },
         ]),
         vec!["medication.hold_too_late", "medication.aspirin_advisory", "medication.inr_check",
              "medication.continued", "medication.hold_ok"]),
        ("two blocking drugs keep their order", json!([
            { "drug": "other", "name": "cilostazol" },
            { "drug": "prasugrel", "last_intake": "2026-11-30" },
            { "drug": "apixaban", "crcl_ml_min": 20.0 },
         ]),
         vec!["medication.hold_too_late", "medication.crcl_low", "medication.other"]),
        ("CrCl missing before an advisory", json!([
            { "drug": "warfarin", "last_intake": "2026-11-20" },
            { "drug": "dabigatran", "last_intake": "2026-11-20" },
         ]),
         vec!["medication.crcl_missing", "medication.inr_check", "medication.hold_ok"]),
    ];
    for (label, medications, codes) in table {
        let r = meds(HIGH, medications);
        let got: Vec<&str> = r.findings.iter().map(|f| f.code).collect();
        assert_eq!(got, codes, "{label}");
        assert_eq!(r.code(), codes[0], "{label}: the first line decides");
    }
}
