//! `check` lists the week as the screen does (issue 10.7): the cases
//! postponed into the week, "to reschedule", first, then the week's own.

mod common;

use std::path::Path;

use common::{bin, imported};

/// Complete in the fixture (week 2026-W49).
const CASE: &str = "SCH-2026-004501";

fn check(db: &Path, args: &[&str]) -> String {
    let out = bin(db).arg("check").args(args).output().expect("check");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

fn postpone_to_w52(db: &Path) {
    bin(db)
        .args([
            "decide",
            CASE,
            "postpone",
            "--to-week",
            "2026-W52",
            "--reason",
            "attente IRM",
        ])
        .assert()
        .success();
}

#[test]
fn a_case_postponed_into_a_week_is_listed_to_reschedule_in_text() {
    let (_dir, db) = imported();
    postpone_to_w52(&db);
    let text = check(&db, &["--week", "2026-W52"]);
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].starts_with("Week 2026-W52 ")
            && lines[0].contains("cases 0")
            && lines[0].ends_with(" · to reschedule 1"),
        "{text}"
    );
    let section = text
        .find("To reschedule (postponed into this week, not yet given a slot): 1")
        .expect("the section");
    let case = text.find(CASE).expect("the case");
    let none = text
        .find("No procedure scheduled this week.")
        .expect("no own case");
    assert!(section < case && case < none, "{text}");
    // Its original slot, its verdict, its items and why it was postponed.
    assert!(
        text.contains("  2026-11-30 08:00  Salle 1  BÉRANGER Hélène"),
        "{text}"
    );
    assert!(text.contains("[ok] coagulation"), "{text}");
    assert!(text.contains("postponed ("), "{text}");
    assert!(text.contains("): attente IRM"), "{text}");

    let fr = {
        let out = assert_cmd::Command::cargo_bin("ir-committee")
            .expect("binary")
            .env_remove("IR_COMMITTEE_DB")
            .arg("--db")
            .arg(&db)
            .args(["--today", common::TODAY, "--lang", "fr"])
            .args(["check", "--week", "2026-W52"])
            .output()
            .expect("check");
        String::from_utf8(out.stdout).expect("utf-8")
    };
    assert!(fr.contains(" · à reprogrammer 1"), "{fr}");
    assert!(
        fr.contains("À reprogrammer (reportés à cette semaine, sans nouveau créneau)\u{a0}: 1"),
        "{fr}"
    );
    assert!(fr.contains("reporté ("), "{fr}");

    // The week it left still lists it where it was, postponed.
    let w49 = check(&db, &["--week", "2026-W49"]);
    assert!(!w49.contains("To reschedule"), "{w49}");
    assert!(w49.contains(CASE), "{w49}");
}

#[test]
fn a_case_postponed_into_a_week_is_listed_to_reschedule_in_json() {
    let (_dir, db) = imported();
    let own = common::check_json(&db);
    postpone_to_w52(&db);
    let r: serde_json::Value =
        serde_json::from_str(&check(&db, &["--week", "2026-W52", "--format", "json"]))
            .expect("json");
    assert_eq!(r["cases"].as_array().expect("cases").len(), 0);
    let listed = r["to_reschedule"].as_array().expect("to_reschedule");
    assert_eq!(listed.len(), 1);
    let c = &listed[0];
    assert_eq!(c["external_id"], CASE);
    assert_eq!(c["status"], "postponed");
    assert_eq!(c["decisions"][0]["to_week"], "2026-W52");
    // The same shape as a case of `cases`: the same keys.
    let before = own["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .find(|x| x["external_id"] == CASE)
        .expect("the case in its week");
    let keys = |v: &serde_json::Value| {
        v.as_object()
            .expect("object")
            .keys()
            .cloned()
            .collect::<Vec<_>>()
    };
    assert_eq!(keys(c), keys(before));
    // Judged as in its own week, but not complete for this one: it has no
    // slot here yet (the delay says so, blocking).
    assert_eq!(c["complete"], false);
    let delay = c["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["item"] == "delay")
        .expect("delay");
    assert_eq!(delay["code"], "delay.no_slot");
    assert_eq!(delay["severity"], "blocking");
    let others = |v: &serde_json::Value| -> Vec<serde_json::Value> {
        v.as_array()
            .expect("items")
            .iter()
            .filter(|i| i["item"] != "delay")
            .cloned()
            .collect()
    };
    assert_eq!(
        others(&c["items"]),
        others(&before["items"]),
        "judged as in its own week"
    );
    // Counted apart, as on the screen's header.
    let counts = &r["counts"];
    assert_eq!(counts["cases"], 0);
    assert_eq!(counts["complete"], 0);
    assert_eq!(counts["blocking"], 0);
    assert_eq!(counts["postponed"], 0);
    assert_eq!(counts["to_reschedule"], 1);
    // The week it left: counted there as postponed, nothing to reschedule.
    let w49 = common::check_json(&db);
    assert_eq!(w49["counts"]["postponed"], 1);
    assert_eq!(w49["counts"]["to_reschedule"], 0);
    assert_eq!(w49["to_reschedule"].as_array().map(Vec::len), Some(0));
}

/// The protocol that judged the week (issue 17), as the board says it:
/// under the week's line, a warning while the rules are not the ones
/// approved (never, or changed since), and in JSON a `protocol` object and
/// a `protocol.needs_review` warning; `check` still succeeds.
#[test]
fn check_names_the_protocol_version_and_warns_until_it_is_approved() {
    use ir_committee::storage::{Db, protocol};
    let (_dir, db) = imported();
    let second = |text: &str| text.lines().nth(1).unwrap_or_default().to_owned();
    let text = check(&db, &[]);
    assert!(text.starts_with("Week 2026-W49 "), "{text}");
    assert_eq!(second(&text), "warning: protocol v1, never approved");
    assert_eq!(text.matches("never approved").count(), 1, "{text}");
    let r = common::check_json(&db);
    assert_eq!(r["protocol"]["version"], 1);
    assert_eq!(r["protocol"]["state"], "never_approved");
    assert_eq!(r["protocol"]["needs_review"], true);
    assert!(r["protocol"]["approval"].is_null());
    assert_eq!(r["warnings"][0]["code"], "protocol.needs_review");
    assert_eq!(r["warnings"][0]["message"], "protocol v1, never approved");

    // A change of the rules table, then its approval (a chair: the demo
    // file's maker), then another change.
    bin(&db)
        .args(["rules", "set", "imaging.max_age", "60"])
        .assert()
        .success();
    assert_eq!(
        second(&check(&db, &[])),
        "warning: protocol v2, never approved"
    );
    let approval = {
        let mut lib = Db::open(&db, ir_committee::testkit::clock()).expect("open");
        lib.write(|w| {
            protocol::approve(
                w,
                &protocol::Request {
                    reviewed: 2,
                    note: "relu en comité",
                    meeting: None,
                    fingerprint: None,
                },
            )
        })
        .expect("approved")
    };
    let text = check(&db, &[]);
    // The clock's noon UTC on 26/11/2026: that day in Paris.
    assert_eq!(second(&text), "protocol v2, approved on 2026-11-26");
    assert!(!text.contains("warning"), "{text}");
    let r = common::check_json(&db);
    assert_eq!(r["protocol"]["state"], "approved");
    assert_eq!(r["protocol"]["needs_review"], false);
    assert_eq!(
        r["protocol"]["approval"],
        serde_json::json!({"version": 2, "on": "2026-11-26", "by": approval.name})
    );
    assert_eq!(r["warnings"].as_array().map(Vec::len), Some(0));
    let fr = {
        let out = assert_cmd::Command::cargo_bin("ir-committee")
            .expect("binary")
            .env_remove("IR_COMMITTEE_DB")
            .arg("--db")
            .arg(&db)
            .args(["--today", common::TODAY, "--lang", "fr", "check"])
            .output()
            .expect("check");
        String::from_utf8(out.stdout).expect("utf-8")
    };
    assert_eq!(second(&fr), "protocole v2, approuvé le 26/11/2026");

    bin(&db)
        .args(["rules", "set", "imaging.max_age", "30"])
        .assert()
        .success();
    let out = bin(&db).arg("check").output().expect("check");
    assert!(
        out.status.success(),
        "a protocol to review is not a failure"
    );
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert_eq!(
        second(&text),
        "warning: protocol v3 changed since its approval (v2 of 2026-11-26)"
    );
    let r = common::check_json(&db);
    assert_eq!(r["protocol"]["state"], "modified_since_approval");
    assert_eq!(r["protocol"]["approval"]["version"], 2);
}
