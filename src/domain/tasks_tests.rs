//! The chase list at the edges of each rule: the window a task shows is the
//! one the rule judges with. Evidence dated on a bound clears the task;
//! one day (or minute) outside does not.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use serde_json::{Value, json};

use super::*;
use crate::domain::rules::testkit::{ctx, rules, with};
use crate::domain::rules::{Latest, RuleSet, evaluate};
use crate::domain::time::When;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
}

fn dt(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M").expect("test date-time")
}

/// The shared clock: Thursday 2026-11-26, noon.
fn now() -> NaiveDateTime {
    dt("2026-11-26T12:00")
}

fn chase_of(case: &CaseFile) -> Chase {
    chase_with(case, &ctx())
}

fn chase_with(case: &CaseFile, ctx: &Context) -> Chase {
    chase(case, &evaluate(case, ctx), ctx, now())
}

/// The case's only task (fails if there is not exactly one).
fn only(case: &CaseFile) -> Task {
    let c = chase_of(case);
    assert_eq!(c.tasks.len(), 1, "{:#?}", c.tasks);
    c.tasks[0].clone()
}

/// A complete dossier (the rules testkit's) for a procedure at `at` with
/// `techniques`, patched with `patch`.
fn case_at(at: &str, techniques: Value, patch: Value) -> CaseFile {
    let mut p = patch;
    p["procedure"] = json!({ "scheduled_at": at, "techniques": techniques });
    // Evidence of the testkit's case dated for 2026-12-01: moved with the case.
    let day = d(&at[..10]);
    let back = |n: i64| (day - Duration::days(n)).format("%Y-%m-%d").to_string();
    let obj = p.as_object_mut().expect("object");
    obj.entry("imaging")
        .or_insert(json!([{ "kind": "ct", "at": back(10) }]));
    obj.entry("biology")
        .or_insert(json!({ "at": back(3), "neutrophils_g_l": 3.0, "egfr": 80.0 }));
    obj.entry("coagulation")
        .or_insert(json!({ "at": back(2), "inr": 1.0, "platelets_g_l": 200.0 }));
    obj.entry("anaesthesia_consult")
        .or_insert(json!({ "at": back(5), "anaesthetist": "Dr Blanc" }));
    obj.entry("consultation").or_insert(json!({
        "at": back(20), "radiologist": "Dr Roy", "leaflet_given": true,
        "consent": { "kind": "signed", "at": back(20) } }));
    with(p)
}

const HIGH: fn() -> Value = || json!(["vertebroplasty"]);
const LOW: fn() -> Value = || json!(["tunnelled_pleural_drain"]);

#[test]
fn a_complete_dossier_has_no_task() {
    let c = chase_of(&case_at("2026-12-10T08:30", HIGH(), json!({})));
    assert_eq!(c, Chase::default());
}

/// The example: a coagulation for a high-risk procedure on
/// Thursday 10/12 must be dated between 03/12 and 10/12.
#[test]
#[rustfmt::skip] // one row per case
fn validity_windows_at_their_edges() {
    let table = [
        ("coagulation, high", HIGH(), "coagulation", "2026-12-03", What::Coagulation),
        ("coagulation, low", LOW(), "coagulation", "2026-11-10", What::Coagulation),
        ("biology", HIGH(), "biology", "2026-11-10", What::Biology),
        ("imaging", HIGH(), "imaging", "2026-10-29", What::Imaging),
    ];
    for (label, techniques, key, earliest, what) in table {
        let missing = case_at("2026-12-10T08:30", techniques.clone(), json!({ key: null }));
        let t = only(&missing);
        assert_eq!(t.what, what, "{label}");
        assert_eq!(t.state, State::Open, "{label}");
        let w = t.window.expect("a window");
        assert_eq!(w.earliest, Some(d(earliest)), "{label}");
        assert_eq!(w.latest, Latest::Day(d("2026-12-10")), "{label}");
        // Evidence on the first day clears it; the day before does not.
        let evidence = |at: NaiveDate| {
            let at = at.format("%Y-%m-%d").to_string();
            match key {
                "imaging" => json!([{ "kind": "ct", "at": at }]),
                "biology" => json!({ "at": at, "neutrophils_g_l": 3.0, "egfr": 80.0 }),
                _ => json!({ "at": at, "inr": 1.0, "platelets_g_l": 200.0 }),
            }
        };
        let on = case_at("2026-12-10T08:30", techniques.clone(), json!({ key: evidence(d(earliest)) }));
        assert!(chase_of(&on).tasks.is_empty(), "{label}: on the first day");
        let before = d(earliest).pred_opt().expect("a day before");
        let out = case_at("2026-12-10T08:30", techniques.clone(), json!({ key: evidence(before) }));
        let t = only(&out);
        assert_eq!((t.what, t.window), (what, Some(w)), "{label}: the day before");
        // On day J itself, a date alone is accepted.
        let on_j = case_at("2026-12-10T08:30", techniques, json!({ key: evidence(d("2026-12-10")) }));
        assert!(chase_of(&on_j).tasks.is_empty(), "{label}: day J");
    }
}

#[test]
fn the_anaesthesia_consultation_by_j_minus_2() {
    let case = |consult: Value| {
        case_at(
            "2026-12-10T08:30",
            HIGH(),
            json!({ "anaesthesia_consult": consult }),
        )
    };
    let t = only(&case(Value::Null));
    assert_eq!(t.what, What::AnaesthesiaConsult);
    assert_eq!(t.owners, &[Role::Chair, Role::Anaesthetist]);
    let w = t.window.expect("a window");
    assert_eq!(w.latest, Latest::Day(d("2026-12-08")));
    assert_eq!(w.earliest, Some(d("2026-11-10")));
    assert!(
        chase_of(&case(json!({ "at": "2026-12-08T17:00" })))
            .tasks
            .is_empty()
    );
    let late = only(&case(json!({ "at": "2026-12-09T08:00" })));
    assert_eq!(
        (late.what, late.window),
        (What::AnaesthesiaConsult, Some(w))
    );
    // Local anaesthesia needs none.
    let local = case_at(
        "2026-12-10T08:30",
        HIGH(),
        json!({ "procedure": { "anaesthesia": "local" }, "anaesthesia_consult": null }),
    );
    let local = with(json!({
        "procedure": { "scheduled_at": "2026-12-10T08:30", "anaesthesia": "local" },
        "anaesthesia_consult": null,
        "imaging": local.imaging, "biology": local.biology, "coagulation": local.coagulation,
        "consultation": local.consultation,
    }));
    assert!(chase_of(&local).tasks.is_empty());
}

/// The IR consultation more than 48 h before: the bound is the procedure's
/// time minus 48 h, itself refused; a minute earlier is accepted.
#[test]
fn the_consultation_more_than_48_hours_before() {
    let case = |at: Value| {
        let consultation = match at {
            Value::Null => Value::Null,
            at => json!({ "at": at, "radiologist": "Dr Roy", "leaflet_given": true,
                           "consent": { "kind": "signed", "at": "2026-12-08" } }),
        };
        case_at(
            "2026-12-10T08:30",
            HIGH(),
            json!({ "consultation": consultation }),
        )
    };
    let c = chase_of(&case(Value::Null));
    let delay = c
        .tasks
        .iter()
        .find(|t| t.item == Item::Delay)
        .expect("a delay task");
    assert_eq!(delay.what, What::Consultation);
    assert_eq!(delay.owners, &[Role::Chair, Role::Radiologist]);
    let Some(Window {
        latest: Latest::Elapsed(e),
        earliest: None,
    }) = delay.window
    else {
        panic!("an elapsed-time window: {:?}", delay.window)
    };
    assert_eq!(e.bound(), dt("2026-12-08T08:30"));
    assert!(c.tasks.iter().any(|t| t.what == What::Consent));
    let at_bound = chase_of(&case(json!("2026-12-08T08:30")));
    assert!(at_bound.tasks.iter().any(|t| t.item == Item::Delay));
    let before = chase_of(&case(json!("2026-12-08T08:29")));
    assert!(before.tasks.is_empty(), "{:#?}", before.tasks);
    // The advisory (under 14 days) is to discuss, not a task.
    assert!(
        before
            .discuss
            .iter()
            .any(|x| x.code == "delay.short" && x.severity == Severity::Advisory)
    );
}

/// Across the October clock change the bound is 48 h of elapsed time.
#[test]
fn the_48_hours_count_a_clock_change() {
    let case = with(json!({
        "procedure": { "scheduled_at": "2026-10-26T08:30" },
        "consultation": null,
    }));
    let c = chase(&case, &evaluate(&case, &ctx()), &ctx(), now());
    let t = c
        .tasks
        .iter()
        .find(|t| t.item == Item::Delay)
        .expect("task");
    let Some(Window {
        latest: Latest::Elapsed(e),
        ..
    }) = t.window
    else {
        panic!("elapsed")
    };
    assert_eq!(e.bound(), dt("2026-10-24T09:30"));
    assert_eq!(t.state, State::TooLate);
}

/// A drug's latest allowed intake as the medication rule computes it for
/// that drug, risk and kidney function.
#[test]
#[rustfmt::skip] // one row per case
fn drug_holds_at_their_edges() {
    let one = |drug: &str, crcl: Option<f64>| {
        let mut m = json!({ "drug": drug });
        if let Some(c) = crcl { m["crcl_ml_min"] = json!(c); }
        m
    };
    let table = [
        ("rivaroxaban, high", HIGH(), one("rivaroxaban", Some(60.0)), Latest::Day(d("2026-12-07")), "2026-12-07", "2026-12-08"),
        ("dabigatran, CrCl 60", HIGH(), one("dabigatran", Some(60.0)), Latest::Day(d("2026-12-06")), "2026-12-06", "2026-12-07"),
        ("dabigatran, CrCl 40", HIGH(), one("dabigatran", Some(40.0)), Latest::Day(d("2026-12-05")), "2026-12-05", "2026-12-06"),
        ("warfarin, high", HIGH(), one("warfarin", None), Latest::Day(d("2026-12-05")), "2026-12-05", "2026-12-06"),
        ("prasugrel, high", HIGH(), one("prasugrel", None), Latest::Day(d("2026-12-03")), "2026-12-03", "2026-12-04"),
        ("apixaban, low: J−1 before noon", LOW(), one("apixaban", Some(60.0)), Latest::DayNoon(d("2026-12-09")), "2026-12-09T11:59", "2026-12-09"),
    ];
    for (label, techniques, med, latest, ok, late) in table {
        let case = |last: Option<&str>| {
            let mut m = med.clone();
            if let Some(l) = last { m["last_intake"] = json!(l); }
            case_at("2026-12-10T08:30", techniques.clone(), json!({ "medications": [m] }))
        };
        let t = only(&case(None));
        assert!(matches!(t.what, What::LastIntake { .. }), "{label}: {:?}", t.what);
        assert_eq!(t.owners, &[Role::Chair, Role::Radiologist, Role::Anaesthetist], "{label}");
        assert_eq!(t.window, Some(Window { earliest: None, latest }), "{label}");
        assert!(chase_of(&case(Some(ok))).tasks.is_empty(), "{label}: {ok}");
        assert_eq!(only(&case(Some(late))).window, t.window, "{label}: {late}");
    }
}

/// Heparins count hours: the bound is the last moment accepted.
#[test]
fn an_hourly_hold_ends_at_a_moment() {
    let case = |last: Option<&str>| {
        let mut m = json!({ "drug": "lmwh_therapeutic" });
        if let Some(l) = last {
            m["last_intake"] = json!(l);
        }
        case_at("2026-12-10T08:30", HIGH(), json!({ "medications": [m] }))
    };
    let t = only(&case(None));
    let Some(Window {
        latest: Latest::Elapsed(e),
        ..
    }) = t.window
    else {
        panic!("elapsed: {:?}", t.window)
    };
    assert_eq!(e.bound(), dt("2026-12-09T08:30"));
    assert!(chase_of(&case(Some("2026-12-09T08:30"))).tasks.is_empty());
    assert_eq!(only(&case(Some("2026-12-09T08:31"))).window, t.window);
}

/// A direct oral anticoagulant without CrCl: the task is the clearance,
/// with no date; below the minimum, specialist advice: to discuss.
#[test]
fn a_missing_clearance_is_the_task_with_no_date() {
    let case = |med: Value| case_at("2026-12-10T08:30", HIGH(), json!({ "medications": [med] }));
    let t = only(&case(json!({ "drug": "rivaroxaban" })));
    assert_eq!(
        t.what,
        What::Crcl {
            drug: Drug::Rivaroxaban
        }
    );
    assert_eq!((t.window, t.state), (None, State::Open));
    assert_eq!(t.owners, Permission::RecordEvidence.roles());
    let low = chase_of(&case(
        json!({ "drug": "rivaroxaban", "crcl_ml_min": 20.0, "last_intake": "2026-12-01" }),
    ));
    assert!(low.tasks.is_empty());
    assert_eq!(low.discuss[0].code, "medication.crcl_low");
}

#[test]
fn aspirin_and_values_out_of_range_are_to_discuss() {
    let c = chase_of(&case_at(
        "2026-12-10T08:30",
        HIGH(),
        json!({ "medications": [{ "drug": "aspirin" }],
                "coagulation": { "at": "2026-12-08", "inr": 2.5, "platelets_g_l": 200.0 } }),
    ));
    assert!(c.tasks.is_empty(), "{:#?}", c.tasks);
    let codes: Vec<&str> = c.discuss.iter().map(|x| x.code).collect();
    assert!(codes.contains(&"medication.aspirin_advisory"), "{codes:?}");
    assert!(codes.contains(&"coagulation.inr_high"), "{codes:?}");
}

/// An anaesthetist's "not fit" is blocking but no evidence clears it; "fit
/// with conditions" is an advisory: both are to discuss, neither a task.
#[test]
fn the_anaesthetists_conclusion_is_to_discuss() {
    for (conclusion, code, severity) in [
        ("not_fit", "anaesthesia.not_fit", Severity::Blocking),
        (
            "fit_with_conditions",
            "anaesthesia.conditions",
            Severity::Advisory,
        ),
    ] {
        let c = chase_of(&case_at(
            "2026-12-10T08:30",
            HIGH(),
            json!({ "anaesthesia_consult": { "at": "2026-12-05", "anaesthetist": "Dr Blanc",
                    "conclusion": conclusion, "conditions": (conclusion == "fit_with_conditions").then_some("à jeun") } }),
        ));
        assert!(c.tasks.is_empty(), "{conclusion}: {:#?}", c.tasks);
        let d: Vec<(&str, Severity)> = c.discuss.iter().map(|x| (x.code, x.severity)).collect();
        assert_eq!(d, [(code, severity)], "{conclusion}");
    }
}

#[test]
fn a_closed_window_is_too_late() {
    // Friday 27/11, the day after the clock's Thursday: the anaesthesia
    // consultation was due by 25/11.
    let t = only(&case_at(
        "2026-11-27T08:30",
        HIGH(),
        json!({ "anaesthesia_consult": null }),
    ));
    assert_eq!(t.state, State::TooLate);
    // Due today (J−2 = 26/11): still open.
    let t = only(&case_at(
        "2026-11-28T08:30",
        HIGH(),
        json!({ "anaesthesia_consult": null }),
    ));
    assert_eq!(t.state, State::Open);
}

#[test]
fn the_secretary_contacts_the_operator_about_a_drug() {
    let t = only(&case_at(
        "2026-12-10T08:30",
        HIGH(),
        json!({ "medications": [{ "drug": "clopidogrel" }] }),
    ));
    assert_eq!(t.for_role(Role::Secretary), Some(Assigned::Contact));
    assert_eq!(t.for_role(Role::Anaesthetist), Some(Assigned::Do));
    assert_eq!(t.for_role(Role::Radiographer), None);
    let imaging = only(&case_at(
        "2026-12-10T08:30",
        HIGH(),
        json!({ "imaging": null }),
    ));
    assert_eq!(imaging.for_role(Role::Secretary), Some(Assigned::Do));
    assert_eq!(imaging.for_role(Role::Anaesthetist), None);
}

/// The rules table edited: the task's dates move with the flags.
#[test]
fn a_changed_rule_moves_the_task() {
    let rows = rules()
        .rows()
        .iter()
        .cloned()
        .map(|mut r| {
            match (r.rule.as_str(), r.subject.as_str()) {
                ("coagulation.max_age", _) => r.value = Some(10.0),
                ("anaesthesia.min_days_before", _) => r.value = Some(3.0),
                ("medication.hold", "clopidogrel") => r.value = Some(6.0),
                ("delay.min_hours", _) => r.value = Some(72.0),
                _ => {}
            }
            r
        })
        .collect();
    let changed = RuleSet::new(rows);
    let ctx = Context {
        rules: &changed,
        ..ctx()
    };
    let case = case_at(
        "2026-12-10T08:30",
        HIGH(),
        json!({ "coagulation": null, "anaesthesia_consult": null, "consultation": null,
                "medications": [{ "drug": "clopidogrel" }] }),
    );
    let c = chase_with(&case, &ctx);
    let window = |item: Item| {
        c.tasks
            .iter()
            .find(|t| t.item == item)
            .and_then(|t| t.window)
            .expect("a task with a window")
    };
    assert_eq!(window(Item::Coagulation).earliest, Some(d("2026-11-30")));
    assert_eq!(
        window(Item::Anaesthesia).latest,
        Latest::Day(d("2026-12-07"))
    );
    assert_eq!(
        window(Item::Medication).latest,
        Latest::Day(d("2026-12-04"))
    );
    let Latest::Elapsed(e) = window(Item::Delay).latest else {
        panic!("elapsed")
    };
    assert_eq!(e.bound(), dt("2026-12-07T08:30"));
    // And the judge agrees at the moved bounds.
    let on = |patch: Value| {
        let mut p = json!({ "anaesthesia_consult": null, "consultation": null,
                            "medications": [{ "drug": "clopidogrel" }] });
        for (k, v) in patch.as_object().expect("object") {
            p[k] = v.clone();
        }
        let case = case_at("2026-12-10T08:30", HIGH(), p);
        chase_with(&case, &ctx)
            .tasks
            .iter()
            .map(|t| t.item)
            .collect::<Vec<_>>()
    };
    let coag =
        |at: &str| json!({ "coagulation": { "at": at, "inr": 1.0, "platelets_g_l": 200.0 } });
    assert!(!on(coag("2026-11-30")).contains(&Item::Coagulation));
    assert!(on(coag("2026-11-29")).contains(&Item::Coagulation));
    let drug = |at: &str| json!({ "medications": [{ "drug": "clopidogrel", "last_intake": at }] });
    assert!(!on(drug("2026-12-04")).contains(&Item::Medication));
    assert!(on(drug("2026-12-05")).contains(&Item::Medication));
}

/// Tasks are computed: recording the evidence removes them.
#[test]
fn recording_the_evidence_removes_the_task() {
    let missing = case_at(
        "2026-12-10T08:30",
        HIGH(),
        json!({ "imaging": null, "biology": null }),
    );
    assert_eq!(chase_of(&missing).tasks.len(), 2);
    let mut recorded = missing.clone();
    recorded.biology = case_at("2026-12-10T08:30", HIGH(), json!({})).biology;
    let t = only(&recorded);
    assert_eq!(t.what, What::Imaging);
    // A window's `closed` is its `admits`, at now.
    let w = t.window.expect("window");
    assert!(!w.latest.closed(now()));
    assert!(w.latest.admits(When::Date(d("2026-12-10"))));
}

/// The fixture week: every blocking item gives exactly one task (one per
/// drug line for the drugs) or a point to discuss, with the owner its kind
/// expects, and recording the evidence (the item judged ok) leaves none.
#[test]
fn the_fixture_weeks_blocking_items_are_all_chased_or_discussed() {
    let ctx = ctx();
    for case in crate::testkit::fixture_cases() {
        let dossier = evaluate(&case, &ctx);
        let c = chase(&case, &dossier, &ctx, now());
        for r in &dossier.items {
            let tasks: Vec<&Task> = c.tasks.iter().filter(|t| t.item == r.item).collect();
            let discussed = c
                .discuss
                .iter()
                .any(|d| d.item == r.item && d.severity == Severity::Blocking);
            let label = format!("{} {:?}", case.external_id, r.item);
            if !r.is_blocking() {
                assert!(tasks.is_empty(), "{label}: {tasks:?}");
                continue;
            }
            assert!(!tasks.is_empty() || discussed, "{label}");
            if r.item != Item::Medication {
                assert!(tasks.len() <= 1, "{label}: {tasks:?}");
            }
            for t in tasks {
                let owners: &[Role] = match t.what {
                    What::AnaesthesiaConsult => &[Role::Chair, Role::Anaesthetist],
                    What::Consultation => &[Role::Chair, Role::Radiologist],
                    What::LastIntake { .. } => {
                        &[Role::Chair, Role::Radiologist, Role::Anaesthetist]
                    }
                    _ => Permission::RecordEvidence.roles(),
                };
                assert_eq!(t.owners, owners, "{label}");
            }
        }
    }
}
