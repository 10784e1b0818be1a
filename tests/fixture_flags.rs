//! The fixture week, judged by the real binary: every case carries exactly
//! the flags it was written for, and every kind of flag appears at least twice.

mod common;

use std::collections::BTreeMap;

use common::{check_json, imported};

/// external_id → the items that are not plain ok (`item=status/severity`).
/// Items not listed must be `ok/none`, or `not_required/none` for anaesthesia.
const EXPECTED: &[(&str, &str)] = &[
    ("SCH-2026-004501", ""),
    ("SCH-2026-004502", ""),
    (
        "SCH-2026-004503",
        "imaging=expired/blocking delay=ok/advisory",
    ),
    (
        "SCH-2026-004504",
        "coagulation=missing/blocking consent=missing/blocking medication=ok/advisory",
    ),
    ("SCH-2026-004531", ""),
    ("SCH-2026-004505", ""),
    (
        "SCH-2026-004506",
        "biology=out_of_range/blocking medication=out_of_range/blocking",
    ),
    (
        "SCH-2026-004507",
        "biology=expired/blocking medication=out_of_range/blocking",
    ),
    (
        "SCH-2026-004508",
        "anaesthesia=missing/blocking delay=ok/advisory",
    ),
    (
        "SCH-2026-004509",
        "biology=missing/blocking consent=missing/blocking medication=missing/blocking",
    ),
    ("SCH-2026-004510", "biology=out_of_range/blocking"),
    (
        "SCH-2026-004511",
        "anaesthesia=expired/blocking medication=missing/blocking",
    ),
    (
        "SCH-2026-004512",
        "biology=out_of_range/blocking coagulation=out_of_range/blocking medication=ok/advisory",
    ),
    (
        "SCH-2026-004513",
        "coagulation=out_of_range/blocking anaesthesia=out_of_range/blocking medication=ok/advisory",
    ),
    // "Fit with conditions" (transcribed by the secretariat): an advisory.
    (
        "SCH-2026-004514",
        "anaesthesia=ok/advisory medication=ok/advisory",
    ),
    ("SCH-2026-004515", "biology=out_of_range/blocking"),
    (
        "SCH-2026-004516",
        // Sent `low` (embolisation: per case), no access recorded: judged
        // as femoral, the access asked for, who set the risk said.
        "biology=out_of_range/advisory coagulation=ok/advisory delay=ok/advisory medication=ok/advisory",
    ),
    (
        "SCH-2026-004517",
        "imaging=expired/blocking coagulation=out_of_range/blocking medication=out_of_range/blocking",
    ),
    ("SCH-2026-004518", ""),
    // The anaesthetist concluded "not fit": blocking, to discuss.
    ("SCH-2026-004532", "anaesthesia=out_of_range/blocking"),
    ("SCH-2026-004519", "delay=out_of_range/blocking"),
    (
        "SCH-2026-004520",
        "imaging=missing/blocking coagulation=expired/blocking consent=missing/blocking delay=missing/blocking medication=missing/blocking",
    ),
    (
        "SCH-2026-004521",
        "biology=expired/blocking medication=out_of_range/blocking",
    ),
    ("SCH-2026-004522", ""),
    (
        "SCH-2026-004523",
        "biology=out_of_range/blocking anaesthesia=out_of_range/blocking medication=out_of_range/blocking",
    ),
    (
        "SCH-2026-004524",
        "biology=out_of_range/advisory anaesthesia=expired/blocking",
    ),
    // "Fit with conditions": an advisory carrying them.
    ("SCH-2026-004533", "anaesthesia=ok/advisory"),
    (
        "SCH-2026-004525",
        "biology=missing/blocking coagulation=expired/blocking delay=out_of_range/blocking medication=ok/advisory",
    ),
    ("SCH-2026-004526", ""),
    (
        "SCH-2026-004527",
        "imaging=missing/blocking anaesthesia=missing/blocking medication=ok/advisory",
    ),
    (
        "SCH-2026-004528",
        "biology=out_of_range/blocking coagulation=out_of_range/blocking consent=missing/blocking medication=ok/advisory",
    ),
    ("SCH-2026-004529", ""),
    (
        "SCH-2026-004530",
        "imaging=missing/blocking coagulation=missing/blocking anaesthesia=missing/blocking consent=missing/blocking delay=missing/blocking medication=missing/blocking",
    ),
    ("SCH-2026-004534", "medication=ok/advisory"),
    // Issue 10. An embolisation sent `low` with a radial access: INR 2.1
    // is within 2.2; the case's own risk is said.
    ("SCH-2026-004535", "coagulation=ok/advisory"),
    // An embolisation sent `low`, no access: judged as femoral (1.8), INR
    // 1.9 blocks, and the access is asked for.
    ("SCH-2026-004536", "coagulation=out_of_range/blocking"),
    // Rivaroxaban J−1 19:30 before a 20:00 drain: J−1 after noon blocks.
    ("SCH-2026-004537", "medication=out_of_range/blocking"),
    // Apixaban J−1 11:00 before a drain: before noon, ok.
    ("SCH-2026-004538", ""),
    // A third DUPRÉ François (another birth date): clean, told apart on the board.
    ("SCH-2026-004539", ""),
];

#[test]
fn every_fixture_case_has_its_intended_flags() {
    let (_dir, db) = imported();
    let report = check_json(&db);
    let cases = report["cases"].as_array().expect("cases");
    assert_eq!(cases.len(), EXPECTED.len());
    for (id, flags) in EXPECTED {
        let case = cases
            .iter()
            .find(|c| c["external_id"] == *id)
            .unwrap_or_else(|| panic!("{id} missing"));
        let expected: BTreeMap<&str, &str> = flags
            .split_whitespace()
            .filter_map(|f| f.split_once('='))
            .collect();
        for item in case["items"].as_array().expect("items") {
            let name = item["item"].as_str().expect("item");
            let got = format!(
                "{}/{}",
                item["status"].as_str().expect("status"),
                item["severity"].as_str().expect("severity")
            );
            match expected.get(name) {
                Some(want) => assert_eq!(&got, want, "{id} {name}: {}", item["message"]),
                None => assert!(
                    got == "ok/none" || (name == "anaesthesia" && got == "not_required/none"),
                    "{id} {name}: unexpected {got}: {}",
                    item["message"]
                ),
            }
        }
        let blocking = flags.contains("/blocking");
        assert_eq!(case["complete"], !blocking, "{id}");
    }
}

#[test]
fn every_kind_of_flag_appears_at_least_twice() {
    let (_dir, db) = imported();
    let report = check_json(&db);
    let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
    let mut clean = 0;
    for case in report["cases"].as_array().expect("cases") {
        let items = case["items"].as_array().expect("items");
        if items.iter().all(|i| i["severity"] == "none") {
            clean += 1;
        }
        for i in items.iter().filter(|i| i["severity"] != "none") {
            let key = format!(
                "{}={}/{}",
                i["item"].as_str().unwrap_or(""),
                i["status"].as_str().unwrap_or(""),
                i["severity"].as_str().unwrap_or("")
            );
            *kinds.entry(key).or_default() += 1;
        }
    }
    assert!(clean >= 8, "{clean} clean dossiers");
    let rare: Vec<_> = kinds.iter().filter(|(_, n)| **n < 2).collect();
    assert!(rare.is_empty(), "flags seen once only: {rare:?}");
    for must in [
        "imaging=missing/blocking",
        "imaging=expired/blocking",
        "biology=missing/blocking",
        "biology=expired/blocking",
        "biology=out_of_range/blocking",
        "biology=out_of_range/advisory",
        "coagulation=missing/blocking",
        "coagulation=expired/blocking",
        "coagulation=out_of_range/blocking",
        "anaesthesia=missing/blocking",
        "anaesthesia=expired/blocking",
        "anaesthesia=out_of_range/blocking",
        "anaesthesia=ok/advisory",
        "consent=missing/blocking",
        "delay=out_of_range/blocking",
        "delay=ok/advisory",
        "medication=missing/blocking",
        "medication=out_of_range/blocking",
        "medication=ok/advisory",
        "coagulation=ok/advisory",
    ] {
        assert!(
            kinds.get(must).is_some_and(|n| *n >= 2),
            "{must}: {:?}",
            kinds.get(must)
        );
    }
}

/// The anaesthetists' conclusions of the fixture: each says what it is,
/// the conditions in words, the transcription with both names.
#[test]
#[rustfmt::skip] // one row per case
fn the_anaesthetists_conclusions_are_said() {
    let (_dir, db) = imported();
    let report = check_json(&db);
    let cases = report["cases"].as_array().expect("cases");
    let table = [
        ("SCH-2026-004532", "anaesthesia.not_fit", "not fit for the procedure, to discuss at the committee"),
        ("SCH-2026-004533", "anaesthesia.conditions", "fit with conditions: Jeûne 6 h ; pas de sédation profonde"),
        ("SCH-2026-004514", "anaesthesia.conditions", "(J−12, Dr Chevalier, transcribed by secretariat-ri)"),
        // Sent "fit": said; others, from before the field, read fit unsaid.
        ("SCH-2026-004534", "anaesthesia.ok", "for general anaesthesia: fit"),
        ("SCH-2026-004502", "anaesthesia.ok", "for general anaesthesia"),
    ];
    for (id, code, says) in table {
        let case = cases.iter().find(|c| c["external_id"] == id).expect("case");
        let item = case["items"].as_array().expect("items").iter()
            .find(|i| i["item"] == "anaesthesia").expect("anaesthesia");
        assert_eq!(item["code"], code, "{id}: {item}");
        let message = item["message"].as_str().expect("message");
        assert!(message.contains(says), "{id}: {message}");
    }
}

#[test]
fn fixture_covers_every_technique_and_anaesthesia() {
    let text = std::fs::read_to_string(common::fixture()).expect("fixture");
    for word in ir_committee::domain::vocab::Technique::ALL {
        assert!(text.contains(&format!("\"{word}\"")), "technique {word}");
    }
    for word in ir_committee::domain::vocab::Anaesthesia::ALL {
        assert!(
            text.contains(&format!("\"anaesthesia\": \"{word}\"")),
            "anaesthesia {word}"
        );
    }
}
