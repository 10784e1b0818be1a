//! Issue 16 through the real binary: the feed's service account and the
//! `feeds` commands, an unusable lab result in `check`, and the alert of
//! validated cases that became blocking.

mod common;

use common::{bin, check_json, imported};
use predicates::prelude::*;

/// A validated case of the fixture whose coagulation a re-import makes blocking.
const COMPLETE: &str = "SCH-2026-004501";

fn decide_cmd(db: &std::path::Path, args: &[&str]) -> assert_cmd::Command {
    let mut cmd = bin(db);
    cmd.arg("decide").args(args);
    cmd
}

/// Issue 16: the feed's service account is added as any user; `feeds
/// map-service` is a chair's, refuses a technique it does not know in one
/// line, and is audited; `feeds ack-identity` says in one line when there
/// is nothing to acknowledge.
#[test]
fn the_feeds_service_account_and_the_feeds_commands() {
    let (_dir, db) = imported();
    bin(&db)
        .args([
            "users", "add", "feedsvc", "--role", "feed", "--name", "Flux SIH",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("feedsvc"));
    bin(&db)
        .args([
            "feeds",
            "map-service",
            "VERT-01",
            "vertebroplasty+cementoplasty",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("VERT-01"));
    for (args, expected) in [
        (
            vec!["feeds", "map-service", "X", "vertebroplasty+nonsense"],
            "is not a technique",
        ),
        (
            vec!["feeds", "ack-identity", "NO-SUCH-IPP"],
            "no patient with IPP",
        ),
        (
            vec!["feeds", "ack-result", "NO-SUCH-CASE", "inr"],
            "NO-SUCH-CASE",
        ),
        (
            vec!["feeds", "ack-result", "NO-SUCH-CASE", "potassium"],
            "is not an analyte",
        ),
    ] {
        let out = bin(&db).args(&args).assert().failure().get_output().clone();
        let err = String::from_utf8(out.stderr).expect("utf-8");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains(expected), "{err}");
    }
}

/// Issue 16: a laboratory's result the program could not use shows in
/// `check` (its words, blocking) until `feeds ack-result` clears it.
#[test]
fn an_unusable_lab_result_shows_in_check_until_acknowledged() {
    let (_dir, db) = imported();
    let before = check_json(&db).to_string();
    let conn = rusqlite::Connection::open(&db).expect("open");
    let external_id: String = conn
        .query_row(
            "SELECT external_id FROM cases ORDER BY scheduled_at LIMIT 1",
            [],
            |r| r.get(0),
        )
        .expect("a case");
    assert!(before.contains(&external_id), "{before}");
    conn.execute(
        "INSERT INTO lab_unusable (case_id, analyte, raw, unit, at, reason, source, received_at)
         SELECT id, 'inr', '>15', '{INR}', '2026-11-26T08:15', 'not_a_number', 'hl7:LAB@H', 'x'
         FROM cases WHERE external_id = ?1",
        [&external_id],
    )
    .expect("an unusable INR");
    drop(conn);
    let shown = check_json(&db).to_string();
    assert!(
        shown.contains("laboratory INR result unusable: \\\">15\\\""),
        "{shown}"
    );
    bin(&db)
        .args(["feeds", "ack-result", &external_id, "INR"])
        .assert()
        .success()
        .stdout(predicate::str::contains("unusable INR result acknowledged"));
    let after = check_json(&db).to_string();
    assert!(!after.contains("laboratory INR result unusable"), "{after}");
    // Nothing left to acknowledge: one line.
    let out = bin(&db)
        .args(["feeds", "ack-result", &external_id, "inr"])
        .assert()
        .failure()
        .get_output()
        .clone();
    let err = String::from_utf8(out.stderr).expect("utf-8");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("no unusable inr result"), "{err}");
}

/// The alert looks from today (included) 28 days ahead (excluded),
/// whatever the week asked, and says so first in the text.
#[test]
fn the_alert_covers_the_next_28_days_from_today() {
    let (dir, db) = imported();
    decide_cmd(&db, &[COMPLETE, "validate"]).assert().success();
    let mut doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(common::fixture()).expect("fixture"))
            .expect("json");
    let mut day = String::new();
    for c in doc["cases"].as_array_mut().expect("cases") {
        if c["external_id"] == COMPLETE {
            c["coagulation"] =
                serde_json::json!({"at": "2026-11-27", "inr": 3.1, "platelets_g_l": 200});
            day = c["procedure"]["scheduled_at"].as_str().expect("time")[..10].to_owned();
        }
    }
    let file = dir.path().join("again.json");
    std::fs::write(&file, doc.to_string()).expect("write");
    bin(&db).arg("import").arg(&file).assert().success();
    let day = chrono::NaiveDate::parse_from_str(&day, "%Y-%m-%d").expect("day");
    let alerts_on = |today: chrono::NaiveDate| {
        let out = assert_cmd::Command::cargo_bin("ir-committee")
            .expect("binary built")
            .env_remove("IR_COMMITTEE_DB")
            .env_remove("IR_COMMITTEE_PSEUDONYM_KEY_FILE")
            .arg("--db")
            .arg(&db)
            .args(["--today", &today.to_string(), "check", "--format", "json"])
            .output()
            .expect("check runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        v["alerts"].as_array().map(Vec::len).unwrap_or(99)
    };
    let days = |n| chrono::Duration::days(n);
    for (today, expected) in [
        (day - days(28), 0),
        (day - days(27), 1),
        (day, 1),
        (day + days(1), 0),
    ] {
        assert_eq!(alerts_on(today), expected, "today {today}, case on {day}");
    }
    let text = bin(&db).arg("check").output().expect("check runs");
    let text = String::from_utf8_lossy(&text.stdout);
    let first = text.lines().next().unwrap_or_default();
    assert!(
        first.starts_with("ALERT: 1 validated case(s) now blocking"),
        "{text}"
    );
    assert!(text.contains(&format!("{COMPLETE} on {day}")), "{text}");
}

/// Sends an HL7 message to the file in this process, as `watch` would
/// (the caller is the file's chair, who may apply the feed's messages).
fn send_hl7(db: &std::path::Path, text: &str) {
    use ir_committee::feed::handler::StorageHandler;
    use ir_committee::feed::{Handler, Origin, Payload};
    let lib = ir_committee::storage::Db::open(db, ir_committee::testkit::clock()).expect("open");
    let mut h = StorageHandler::new(lib).expect("handler");
    let a = h.handle(Payload::Hl7(text.as_bytes()), &Origin::File("t.hl7".into()));
    assert!(a.accepted, "{}", String::from_utf8_lossy(&a.bytes));
}

/// The INR fixture for the fixture's first patient (IPP 80012345, born
/// 1948-03-14), its specimen of the day before, with `birth` and `ipp`.
fn inr_for(id: &str, ipp: &str, birth: &str) -> String {
    let path = format!("{}/tests/hl7/oru_inr_only.hl7", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(path)
        .expect("fixture")
        .replace("LAB-20261207-0001", id)
        .replace(
            "123456^^^CHU-NANTES&1.2.250.1.9999.1.1&ISO^PI",
            &format!("{ipp}^^^^PI"),
        )
        .replace("DUPONT^", "BERANGER^")
        .replace("||19520314|", &format!("||{birth}|"))
        .replace("20261207071500+0100", "20261125071500+0100")
}

/// Laboratory results that reached no case: `feeds held` lists them with
/// why (text and JSON), for the care team only, traced; `check` counts
/// those whose identity differs from the file's patient.
#[test]
fn feeds_held_lists_results_on_no_case_and_check_counts_identity_mismatches() {
    let (_dir, db) = imported();
    bin(&db)
        .args(["feeds", "held"])
        .assert()
        .success()
        .stdout(predicate::str::contains("no laboratory result held"));
    assert!(check_json(&db).get("held_identity_mismatch").is_none());
    send_hl7(&db, &inr_for("LAB-X", "80012345", "19480315"));
    send_hl7(&db, &inr_for("LAB-Y", "999999", "19480314"));
    let out = bin(&db).args(["feeds", "held"]).output().expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("2 laboratory result(s) held"), "{text}");
    assert!(
        text.contains("IDENTITY DIFFERS from the file's (birth date)"),
        "{text}"
    );
    assert!(text.contains("IPP 999999 BERANGER"), "{text}");
    assert!(text.contains("patient not in this file"), "{text}");
    assert!(
        text.contains("INR 1.3 (specimen 2026-11-25 07:15)"),
        "{text}"
    );
    let out = bin(&db)
        .args(["feeds", "held", "--format", "json"])
        .output()
        .expect("runs");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let whys: Vec<&str> = v["held"]
        .as_array()
        .expect("held")
        .iter()
        .filter_map(|h| h["why"].as_str())
        .collect();
    assert_eq!(whys, ["identity_mismatch", "unknown_patient"]);
    assert_eq!(v["held"][0]["birth_date"], "1948-03-15");
    assert_eq!(v["held"][0]["values"][0]["analyte"], "inr");
    // Traced: one row per listing (the same listing twice in a minute,
    // once).
    let conn = rusqlite::Connection::open(&db).expect("open");
    let traced: i64 = conn
        .query_row(
            "SELECT count(*) FROM reads WHERE action = 'feeds.held'",
            [],
            |r| r.get(0),
        )
        .expect("reads");
    assert_eq!(traced, 2);
    drop(conn);
    // `check`: the mismatch only, in the text and the JSON.
    assert_eq!(check_json(&db)["held_identity_mismatch"], 1);
    let out = bin(&db).arg("check").output().expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.lines().any(|l| l.starts_with(
            "HELD: 1 laboratory result(s) whose identity differs from the file's patient"
        )),
        "{text}"
    );
    // A viewer reads nothing of it: one line.
    common::set_role_by_hand(&db, Some("viewer"), None);
    let out = bin(&db).args(["feeds", "held"]).output().expect("runs");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("may not read"), "{err}");
}

/// A role that may not map service codes (or acknowledge results) is
/// refused before anything else is looked at: a wrong technique or
/// analyte is not what it is told, the refusal is.
#[test]
fn a_refusal_comes_before_the_arguments_are_judged() {
    for (role, args, may_not) in [
        (
            "secretary",
            vec!["feeds", "map-service", "X", "vertebroplasty+nonsense"],
            "may not map",
        ),
        (
            "viewer",
            vec!["feeds", "ack-result", "NO-SUCH-CASE", "potassium"],
            "may not",
        ),
    ] {
        let (_dir, db) = imported();
        common::set_role_by_hand(&db, Some(role), None);
        let out = bin(&db).args(&args).assert().failure().get_output().clone();
        let err = String::from_utf8(out.stderr).expect("utf-8");
        assert_eq!(err.lines().count(), 1, "{role}: {err}");
        assert!(err.contains(may_not), "{role}: {err}");
        for hidden in ["technique", "analyte", "nonsense", "potassium"] {
            assert!(!err.contains(hidden), "{role}: {err}");
        }
    }
}
