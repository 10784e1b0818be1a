//! `follow-ups`, `follow-up`, `deceased` and the operators' links (issue 15
//! §2–3), the real binary over a demo file (its past year of procedures,
//! calls and deaths): the list (due, overdue, per operator, mine) and its
//! read trace; a nurse records a call, a secretary may not; a death takes
//! the patient off the lists and blocks their future case in `check`.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use common::written::{Report, written_as_an_export_is};
use common::{bin, check_json, set_role_by_hand};
use ir_committee::testkit::Template;
use serde_json::Value;

/// A demo file made by the binary on the tests' day, once per process.
fn demo() -> (tempfile::TempDir, PathBuf) {
    static DEMO: Template = Template::new("demo.sqlite", |db| {
        bin(db).arg("demo").assert().success();
    });
    DEMO.copy()
}

fn run(db: &Path, args: &[&str]) -> String {
    let out = bin(db).args(args).output().expect("runs");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

/// The one line a refused command says (and that it is refused).
fn refused(db: &Path, args: &[&str]) -> String {
    let out = bin(db).args(args).output().expect("runs");
    assert!(!out.status.success(), "{args:?} should be refused");
    assert!(out.stdout.is_empty(), "{args:?}");
    let err = String::from_utf8(out.stderr).expect("utf-8");
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
    assert!(!err.contains("panicked"), "{err}");
    err
}

fn list(db: &Path, args: &[&str]) -> Value {
    let mut a = vec!["follow-ups", "--format", "json"];
    a.extend_from_slice(args);
    serde_json::from_str(&run(db, &a)).expect("JSON")
}

/// Every call of a list: (case, kind, state, operator, ipp, attempts).
fn calls(v: &Value) -> Vec<Value> {
    v["operators"]
        .as_array()
        .expect("operators")
        .iter()
        .flat_map(|g| g["calls"].as_array().expect("calls").clone())
        .collect()
}

fn cases(v: &Value) -> BTreeSet<String> {
    calls(v)
        .iter()
        .map(|c| c["case"].as_str().expect("case").to_owned())
        .collect()
}

/// The read-trace rows of the call list.
fn reads(db: &Path) -> Vec<Value> {
    let out = run(db, &["audit", "--reads", "--format", "json"]);
    let rows: Vec<Value> = serde_json::from_str(&out).expect("json");
    rows.into_iter()
        .filter(|r| r["action"] == "follow_ups")
        .collect()
}

#[test]
fn the_list_is_due_and_overdue_per_operator_and_each_read_traced() {
    let (_dir, db) = demo();
    let all = list(&db, &[]);
    let every = calls(&all);
    assert!(!every.is_empty(), "{all:#}");
    assert!(every.iter().any(|c| c["state"] == "due"), "{all:#}");
    assert!(every.iter().any(|c| c["state"] == "overdue"), "{all:#}");
    assert_eq!(
        all["overdue"].as_u64().expect("overdue") as usize,
        every.iter().filter(|c| c["state"] == "overdue").count()
    );
    // Each group is one operator's; the phone-call facts are there.
    for g in all["operators"].as_array().expect("groups") {
        for c in g["calls"].as_array().expect("calls") {
            assert_eq!(c["operator"], g["operator"]);
            for key in ["patient", "ipp", "techniques", "performed_at", "kind"] {
                assert!(!c[key].is_null(), "{key} in {c}");
            }
        }
    }
    // --due and --overdue split it.
    let due = calls(&list(&db, &["--due"]));
    let overdue = calls(&list(&db, &["--overdue"]));
    assert!(due.iter().all(|c| c["state"] == "due"));
    assert!(overdue.iter().all(|c| c["state"] == "overdue"));
    assert_eq!(due.len() + overdue.len(), every.len());
    // --operator: compared without case or extra spaces.
    let name = all["operators"][0]["operator"]
        .as_str()
        .expect("name")
        .to_owned();
    let typed = format!("  {}  ", name.to_uppercase().replace(' ', "   "));
    let one = list(&db, &["--operator", &typed]);
    assert_eq!(one["operators"].as_array().expect("groups").len(), 1);
    assert_eq!(one["operators"][0]["operator"], name.as_str());
    assert_eq!(
        calls(&one).len(),
        calls(&all)
            .iter()
            .filter(|c| c["operator"] == name.as_str())
            .count()
    );
    // Each run traced: one row per case shown, the filter as subject.
    let rows = reads(&db);
    let traced: BTreeSet<String> = rows
        .iter()
        .filter(|r| r["subject"] == "due+overdue")
        .map(|r| r["case_external_id"].as_str().expect("case").to_owned())
        .collect();
    assert_eq!(traced, cases(&all));
    assert!(rows.iter().any(|r| r["subject"] == "due"));
    assert!(rows.iter().any(|r| {
        r["subject"]
            .as_str()
            .is_some_and(|s| s.starts_with("due+overdue operator="))
    }));
    // The text lists the operator's heading and the pain before.
    let text = run(&db, &["follow-ups", "--operator", &name]);
    assert!(text.starts_with("Follow-up calls on 2026-11-26"), "{text}");
    assert!(text.contains(&format!("{name} (")), "{text}");
    assert!(text.contains("Pain before"), "{text}");
}

#[test]
fn mine_is_the_operators_a_chair_linked_to_the_login() {
    let (_dir, db) = demo();
    let me = ir_committee::storage::identity::login();
    let err = refused(&db, &["follow-ups", "--mine"]);
    assert!(err.contains("no operator is linked"), "{err}");
    let all = list(&db, &[]);
    let name = all["operators"][0]["operator"]
        .as_str()
        .expect("name")
        .to_owned();
    let said = run(&db, &["users", "link-operator", &name, &me]);
    assert!(said.contains("linked to"), "{said}");
    let users = run(&db, &["users", "list"]);
    assert!(users.contains(&format!("operator: {name}")), "{users}");
    let mine = list(&db, &["--mine"]);
    assert_eq!(cases(&mine), cases(&list(&db, &["--operator", &name])));
    assert!(
        reads(&db)
            .iter()
            .any(|r| r["subject"] == "due+overdue mine")
    );
    // A link to a login the file does not know; an unlink.
    let err = refused(&db, &["users", "link-operator", "Dr X", "nobody"]);
    assert!(err.contains("not a user"), "{err}");
    run(&db, &["users", "unlink-operator", &name.to_lowercase()]);
    refused(&db, &["follow-ups", "--mine"]);
    // Only a chair links.
    set_role_by_hand(&db, Some("nurse"), None);
    let err = refused(&db, &["users", "link-operator", &name, &me]);
    assert!(err.contains("may not"), "{err}");
}

#[test]
fn a_nurse_records_calls_and_a_secretary_may_not() {
    let (_dir, db) = demo();
    let due = calls(&list(&db, &["--due"]));
    let call = due
        .iter()
        .find(|c| c["kind"] == "m1" && c["attempts"] == 0)
        .expect("an M1 call due with no attempt yet");
    let case = call["case"].as_str().expect("case").to_owned();
    // A secretary reads the list but records nothing.
    set_role_by_hand(&db, Some("secretary"), None);
    let err = refused(&db, &["follow-up", &case, "m1", "--reached", "no"]);
    assert!(err.contains("may not"), "{err}");
    let ipp = call["ipp"].as_str().expect("ipp");
    let err = refused(&db, &["deceased", ipp, "--on", "2026-11-20"]);
    assert!(err.contains("may not"), "{err}");
    // The nurse: a call that does not reach the patient counts.
    set_role_by_hand(&db, Some("nurse"), None);
    let said = run(
        &db,
        &[
            "follow-up",
            &case,
            "m1",
            "--reached",
            "no",
            "--called-at",
            "2026-11-26 09:30",
        ],
    );
    assert!(said.contains("not reached (1 attempt)"), "{said}");
    let again = calls(&list(&db, &["--due"]));
    let still = again
        .iter()
        .find(|c| c["case"] == case.as_str())
        .expect("still due");
    assert_eq!(still["attempts"], 1);
    assert_eq!(still["last_called"], "2026-11-26T09:30");
    // Validation: one line each, nothing written.
    let rows: &[(&[&str], &str)] = &[
        (&["--reached", "no", "--pain", "3"], "not reached"),
        (&["--reached", "yes", "--pain", "11"], "--pain"),
        (&["--reached", "yes", "--analgesics", "less"], "analgesic"),
        (
            &["--reached", "yes", "--complication-grade", "2"],
            "--complication",
        ),
        (
            &["--reached", "yes", "--called-at", "26/11/2026"],
            "date-time",
        ),
        (
            &["--reached", "yes", "--called-at", "2026-10-01 10:00"],
            "before the procedure",
        ),
        (
            &["--reached", "yes", "--called-at", "2027-10-01 10:00"],
            "is in the future",
        ),
        (
            &["--reached", "yes", "--pain", "2", "--morphine", "100000"],
            "from 0 to 5000 mg a day",
        ),
        (
            &["--reached", "yes", "--seen-version", "0"],
            "M1 follow-up was changed by",
        ),
        // Without --seen-version: taken as the first call, so the one on
        // file is never replaced unseen.
        (&["--reached", "yes"], "(version 1, expected 0)"),
    ];
    for (args, says) in rows {
        let mut a = vec!["follow-up", case.as_str(), "m1"];
        a.extend_from_slice(args);
        let err = refused(&db, &a);
        assert!(err.contains(says), "{args:?}: {err}");
    }
    let err = refused(&db, &["follow-up", "NOPE-1", "m1", "--reached", "yes"]);
    assert!(err.contains("NOPE-1"), "{err}");
    // Reached: the call leaves the list.
    let said = run(
        &db,
        &[
            "follow-up",
            &case,
            "m1",
            "--reached",
            "yes",
            "--pain",
            "2",
            "--analgesics",
            "decreased",
            "--morphine",
            "10",
            "--complication-grade",
            "1",
            "--complication",
            "small haematoma",
            "--seen-version",
            "1",
        ],
    );
    assert!(said.contains("recorded (patient reached)"), "{said}");
    assert!(!cases(&list(&db, &[])).contains(&case));
    // An unanswered call after it would erase the answers: refused.
    let err = refused(
        &db,
        &[
            "follow-up",
            &case,
            "m1",
            "--reached",
            "no",
            "--seen-version",
            "2",
        ],
    );
    assert!(err.contains("already reached the patient"), "{err}");
    // Audited: two calls of the case (the chair reads the trail).
    set_role_by_hand(&db, Some("chair"), None);
    let trail = run(&db, &["audit", "--case", &case, "--format", "json"]);
    let trail: Vec<Value> = serde_json::from_str(&trail).expect("json");
    assert_eq!(
        trail
            .iter()
            .filter(|r| r["action"] == "follow_up.record" && r["outcome"] != "refused")
            .count(),
        2,
        "{trail:#?}"
    );
}

#[test]
fn a_death_takes_the_patient_off_the_lists_and_blocks_their_future_case() {
    let (_dir, db) = demo();
    // On the call list: a patient of a call.
    let all = list(&db, &[]);
    let call = calls(&all)[0].clone();
    let ipp = call["ipp"].as_str().expect("ipp").to_owned();
    // Not before the file knows them alive (their procedure, their birth).
    let err = refused(&db, &["deceased", &ipp, "--on", "1900-01-01"]);
    assert!(err.contains("when the file knows them alive"), "{err}");
    let said = run(&db, &["deceased", &ipp, "--on", "2026-11-20"]);
    assert!(said.contains("recorded"), "{said}");
    let after = list(&db, &[]);
    assert!(
        calls(&after).iter().all(|c| c["ipp"] != ipp.as_str()),
        "{after:#}"
    );
    // No call after the death.
    let case = call["case"].as_str().expect("case");
    let kind = call["kind"].as_str().expect("kind");
    let err = refused(&db, &["follow-up", case, kind, "--reached", "no"]);
    assert!(err.contains("no follow-up call after that day"), "{err}");
    // Once.
    let err = refused(&db, &["deceased", &ipp, "--on", "2026-11-21"]);
    assert!(err.contains("already recorded"), "{err}");
    // Not after today.
    let other = calls(&after)[0]["ipp"].as_str().expect("ipp").to_owned();
    let err = refused(&db, &["deceased", &other, "--on", "2026-11-27"]);
    assert!(err.contains("after today"), "{err}");
    // A patient of next week's board.
    let week = check_json(&db);
    let case = week["cases"][0].clone();
    let id = case["external_id"].as_str().expect("id").to_owned();
    let ipp = case["patient"]["ipp"].as_str().expect("ipp").to_owned();
    let tasks = |db: &Path| -> Value {
        serde_json::from_str(&run(db, &["tasks", "--format", "json"])).expect("json")
    };
    run(&db, &["deceased", &ipp, "--on", "2026-11-26"]);
    let week = check_json(&db);
    let case = week["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .find(|c| c["external_id"] == id.as_str())
        .expect("still on the board")
        .clone();
    assert_eq!(case["complete"], false);
    let delay = case["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["item"] == "delay")
        .expect("delay");
    assert_eq!(delay["severity"], "blocking", "{delay}");
    assert!(
        delay["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("patient deceased: to cancel")),
        "{delay}"
    );
    // Shown as such.
    assert_eq!(case["patient"]["died_on"], "2026-11-26");
    let text = run(&db, &["check"]);
    assert!(text.contains("† deceased on 2026-11-26"), "{text}");
    // Off the chase list; no instruction sheet.
    let t = tasks(&db);
    assert!(
        t["tasks"]
            .as_array()
            .expect("tasks")
            .iter()
            .all(|x| x["case"] != id.as_str())
    );
    assert!(
        t["discuss"]
            .as_array()
            .expect("discuss")
            .iter()
            .all(|x| x["case"] != id.as_str())
    );
    let err = refused(&db, &["instructions", &id, "--format", "md"]);
    assert!(err.contains("died on 2026-11-26"), "{err}");
    // Audited with the patient.
    let trail = run(&db, &["audit", "--format", "json"]);
    let trail: Vec<Value> = serde_json::from_str(&trail).expect("json");
    assert_eq!(
        trail
            .iter()
            .filter(|r| r["action"] == "patient.death" && r["outcome"] != "refused")
            .count(),
        2
    );
}

#[test]
fn a_file_is_written_as_an_export_is() {
    let (dir, db) = demo();
    let file = dir.path().join("appels.txt");
    let r = Report {
        first: &["follow-ups"],
        said: "appels.txt",
        forced: &["follow-ups", "--format", "json"],
        audited: "follow_ups.text",
    };
    written_as_an_export_is(&db, &file, &r);
}
