//! Biology and coagulation value by value: each value judged on its own
//! date, at the edges of its window (the day of the limit, one day past),
//! and the messages say that value's own date.

use serde_json::{Value, json};

use super::testkit::{expect, item, with};
use super::{Item, ItemResult, Severity, Status};
use crate::domain::message::Lang;

const B: Severity = Severity::Blocking;
const N: Severity = Severity::None;

/// Vertebroplasty on 2026-12-01 08:30 (high risk): coagulation ≤ 7 days
/// (2026-11-24 is the limit), biology ≤ 30 days (2026-11-01).
fn judged(what: Item, key: &str, object: Value) -> ItemResult {
    item(&with(json!({ key: object })), what)
}

fn coag(inr_at: &str, platelets_at: &str) -> Value {
    json!({ "at": "2026-11-30", "dates": { "inr": inr_at, "platelets_g_l": platelets_at },
            "inr": 1.1, "platelets_g_l": 220.0 })
}

fn bio(neutrophils_at: &str, egfr_at: &str) -> Value {
    json!({ "at": "2026-11-30", "dates": { "neutrophils_g_l": neutrophils_at, "egfr": egfr_at },
            "neutrophils_g_l": 3.0, "egfr": 80.0 })
}

#[test]
#[rustfmt::skip] // one row per case
fn each_value_on_its_own_date_at_the_edges() {
    let (fresh, c_limit, c_past, b_limit, b_past) =
        ("2026-11-30", "2026-11-24", "2026-11-23", "2026-11-01", "2026-10-31");
    let c = Item::Coagulation;
    let b = Item::Biology;
    let table = [
        ("INR on its limit day", c, coag(c_limit, fresh), Status::Ok, N, "coagulation.ok"),
        ("INR one day past", c, coag(c_past, fresh), Status::Expired, B, "coagulation.expired"),
        ("platelets on their limit day", c, coag(fresh, c_limit), Status::Ok, N, "coagulation.ok"),
        ("platelets one day past, fresh INR", c, coag(fresh, c_past), Status::Expired, B, "coagulation.expired"),
        ("platelets after J", c, coag(fresh, "2026-12-02"), Status::OutOfRange, B, "coagulation.after_procedure"),
        ("neutrophils on their limit day", b, bio(b_limit, fresh), Status::Ok, N, "biology.ok"),
        ("neutrophils one day past", b, bio(b_past, fresh), Status::Expired, B, "biology.expired"),
        ("eGFR on its limit day", b, bio(fresh, b_limit), Status::Ok, N, "biology.ok"),
        ("eGFR one day past, fresh count", b, bio(fresh, b_past), Status::Expired, B, "biology.expired"),
    ];
    for (label, what, object, status, severity, code) in table {
        let key = if what == Item::Coagulation { "coagulation" } else { "biology" };
        expect(label, &judged(what, key, object), status, severity, code);
    }
}

#[test]
fn fresh_inr_beside_three_week_old_platelets_names_the_platelets_and_their_date() {
    let r = judged(
        Item::Coagulation,
        "coagulation",
        coag("2026-11-30", "2026-11-10"),
    );
    assert_eq!(r.status, Status::Expired);
    assert_eq!(
        r.message(Lang::En),
        "platelets 2026-11-10, 21 days before (max 7, high bleeding risk)"
    );
    assert_eq!(
        r.message(Lang::Fr),
        "plaquettes du 10/11/2026, 21 jours avant (max 7, risque hémorragique élevé)"
    );
}

#[test]
fn an_out_of_range_value_says_its_own_date_and_an_expired_one_is_not_judged() {
    let low = json!({ "at": "2026-11-30", "dates": { "inr": "2026-11-30", "platelets_g_l": "2026-11-26" },
                      "inr": 1.1, "platelets_g_l": 30.0 });
    let r = judged(Item::Coagulation, "coagulation", low);
    assert_eq!(r.code(), "coagulation.platelets_low");
    assert!(
        r.message(Lang::En).ends_with(", 2026-11-26"),
        "{}",
        r.message(Lang::En)
    );
    // Expired and low: the expiry is said, not a threshold on old evidence.
    let old = json!({ "at": "2026-11-30", "dates": { "inr": "2026-11-30", "platelets_g_l": "2026-11-10" },
                      "inr": 1.1, "platelets_g_l": 30.0 });
    let r = judged(Item::Coagulation, "coagulation", old);
    assert_eq!(r.findings.len(), 1, "{}", r.message(Lang::En));
    assert_eq!(r.code(), "coagulation.expired");
}

#[test]
fn ok_messages_say_each_value_dated_otherwise_than_the_oldest() {
    let r = judged(
        Item::Coagulation,
        "coagulation",
        coag("2026-11-30", "2026-11-26"),
    );
    assert_eq!(r.status, Status::Ok);
    assert_eq!(
        r.message(Lang::En),
        "coagulation work-up 2026-11-26, 5 days before (max 7, high bleeding risk): \
         INR 1.1 (2026-11-30) ≤ 1.5, platelets 220 G/L ≥ 50"
    );
    let creat = json!({ "at": "2026-11-25", "dates": { "creatinine_umol_l": "2026-11-28" },
                        "neutrophils_g_l": 2.5, "creatinine_umol_l": 72.0, "egfr": 80.0 });
    let r = judged(Item::Biology, "biology", creat);
    assert_eq!(
        r.message(Lang::Fr),
        "bilan biologique du 25/11/2026, 6 jours avant (max 30)\u{a0}: neutrophiles 2,5 G/L, \
         créatinine 72 µmol/L (du 28/11/2026), DFG 80 mL/min/1,73 m²"
    );
}

#[test]
fn old_haemoglobin_or_creatinine_block_nothing() {
    let old = json!({ "at": "2026-11-30", "dates": { "hemoglobin_g_dl": "2026-09-01", "creatinine_umol_l": "2026-09-01" },
                      "neutrophils_g_l": 3.0, "hemoglobin_g_dl": 12.0, "creatinine_umol_l": 70.0, "egfr": 80.0 });
    let r = judged(Item::Biology, "biology", old);
    assert_eq!(r.status, Status::Ok, "{}", r.message(Lang::En));
    assert!(
        r.message(Lang::En).contains("Hb 12.0 g/dL (2026-09-01)"),
        "{}",
        r.message(Lang::En)
    );
}
