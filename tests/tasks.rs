//! `tasks` (issue 14, §1): the chase list of the week and the next, per
//! role, in every format; a viewer reads nothing; the read is traced; a
//! file is written as an export is.

mod common;

use std::path::Path;

use common::written::{Report, written_as_an_export_is};
use common::{bin, imported, set_role_by_hand};
use predicates::prelude::*;
use serde_json::Value;

fn tasks(db: &Path, args: &[&str]) -> String {
    let out = bin(db).arg("tasks").args(args).output().expect("tasks");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

fn json(db: &Path, args: &[&str]) -> Value {
    let mut a = vec!["--format", "json"];
    a.extend_from_slice(args);
    serde_json::from_str(&tasks(db, &a)).expect("JSON")
}

#[test]
fn the_json_list_is_sorted_by_deadline_with_owners_and_windows() {
    let (_dir, db) = imported();
    let v = json(&db, &[]);
    assert_eq!(v["weeks"], serde_json::json!(["2026-W49", "2026-W50"]));
    assert_eq!(v["role"], Value::Null);
    let list = v["tasks"].as_array().expect("tasks");
    assert!(!list.is_empty());
    // Every task has its case, owners and state; dated ones are in order.
    let mut last = String::new();
    for t in list {
        for key in ["case", "item", "what", "owners", "state", "text", "latest"] {
            assert!(t.get(key).is_some(), "{key} in {t}");
        }
        if let Some(latest) = t["latest"].as_str() {
            let day = latest[..10].to_owned();
            assert!(day >= last, "{v:#}");
            last = day;
        }
    }
    // A coagulation task: a validity window that ends on day J.
    let coag = list
        .iter()
        .find(|t| t["what"] == "coagulation")
        .expect("a coagulation task in the fixture");
    let day = &coag["scheduled_at"].as_str().expect("time")[..10];
    assert_eq!(coag["latest"], day);
    assert_eq!(coag["latest_kind"], "day");
    assert!(coag["earliest"].as_str().is_some_and(|e| e < day));
    assert!(
        coag["owners"]
            .as_array()
            .expect("owners")
            .contains(&"secretary".into())
    );
    // Aspirin and other advisories are to discuss, never tasks.
    assert!(list.iter().all(|t| t["drug"] != "aspirin"));
    assert!(
        v["discuss"]
            .as_array()
            .expect("discuss")
            .iter()
            .all(|d| d["severity"] == "blocking" || d["severity"] == "advisory")
    );
}

#[test]
fn a_role_sees_its_own_tasks_and_the_secretary_contacts_the_operator() {
    let (_dir, db) = imported();
    let all = json(&db, &[]);
    let holds = all["tasks"]
        .as_array()
        .expect("tasks")
        .iter()
        .filter(|t| t["what"] == "last_intake")
        .count();
    assert!(holds > 0, "the fixture has drug holds to chase");

    let anaesthetist = json(&db, &["--role", "anaesthetist"]);
    assert_eq!(anaesthetist["role"], "anaesthetist");
    for t in anaesthetist["tasks"].as_array().expect("tasks") {
        assert!(
            t["owners"]
                .as_array()
                .expect("owners")
                .contains(&"anaesthetist".into()),
            "{t}"
        );
    }

    let secretary = json(&db, &["--role", "secretary"]);
    let contacts: Vec<&Value> = secretary["tasks"]
        .as_array()
        .expect("tasks")
        .iter()
        .filter(|t| t["what"] == "last_intake")
        .collect();
    assert_eq!(contacts.len(), holds);
    for t in contacts {
        assert_eq!(t["assigned"], "contact");
        assert_eq!(t["latest"], Value::Null, "no date: {t}");
        let text = t["text"].as_str().expect("text");
        assert!(text.starts_with("contact "), "{text}");
        assert!(
            text.contains(t["operator"].as_str().expect("operator")),
            "{text}"
        );
    }
    assert!(
        secretary["tasks"]
            .as_array()
            .expect("tasks")
            .iter()
            .all(|t| t["what"] != "anaesthesia_consult")
    );
    let text = tasks(&db, &["--role", "secretary"]);
    assert!(text.contains("(secretary)"), "{text}");
}

#[test]
fn french_words_and_dates() {
    let (_dir, db) = imported();
    let out = assert_cmd::Command::cargo_bin("ir-committee")
        .expect("binary")
        .env_remove("IR_COMMITTEE_DB")
        .arg("--db")
        .arg(&db)
        .args(["--today", common::TODAY, "--lang", "fr", "tasks"])
        .output()
        .expect("tasks");
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert!(
        text.starts_with("Liste des relances, semaines 2026-W49 et 2026-W50"),
        "{text}"
    );
    assert!(
        text.contains("bilan de coagulation à prélever entre le "),
        "{text}"
    );
    assert!(
        text.contains("consultation d'anesthésie à programmer au plus tard le "),
        "{text}"
    );
    assert!(text.contains("dernière prise au plus tard le "), "{text}");
    assert!(text.contains("À discuter en comité"), "{text}");
    // JJ/MM, never ISO, in the sentences.
    assert!(!text.contains(" le 2026-"), "{text}");
}

#[test]
fn csv_html_and_md_are_escaped_as_the_exports_are() {
    let (_dir, db) = imported();
    let csv = tasks(&db, &["--format", "csv"]);
    let body = csv.strip_prefix('\u{feff}').expect("a BOM first");
    let mut r = csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .from_reader(body.as_bytes());
    let rows: Vec<csv::StringRecord> = r.records().map(|r| r.expect("row")).collect();
    assert_eq!(&rows[0][0], "deadline");
    assert!(rows.len() > 1);
    assert!(rows.iter().all(|r| r.len() == rows[0].len()));

    let html = tasks(&db, &["--format", "html"]);
    assert!(html.starts_with("<!DOCTYPE html>"), "{html}");
    assert!(html.contains("<td>D&#39;ARCY Ségolène</td>"), "{html}");
    assert!(html.contains("<h2>To discuss at the committee</h2>"));

    let md = tasks(&db, &["--format", "md"]);
    assert!(
        md.starts_with("# Chase list, weeks 2026-W49 and 2026-W50\n"),
        "{md}"
    );
    assert!(md.contains("| deadline | case |"), "{md}");
}

#[test]
fn a_viewer_reads_nothing_and_the_read_is_traced() {
    let (_dir, db) = imported();
    tasks(&db, &[]);
    let reads = bin(&db)
        .args(["audit", "--reads", "--format", "json"])
        .output()
        .expect("audit --reads");
    let rows: Vec<Value> = serde_json::from_slice(&reads.stdout).expect("json");
    let traced: Vec<&Value> = rows.iter().filter(|r| r["action"] == "tasks").collect();
    assert!(!traced.is_empty(), "{rows:#?}");
    assert_eq!(traced[0]["subject"], "2026-W49 2026-W50");

    set_role_by_hand(&db, Some("viewer"), None);
    bin(&db)
        .arg("tasks")
        .assert()
        .failure()
        .stdout("")
        .stderr(predicate::str::contains("may not read chase list"));
}

#[test]
fn a_file_is_written_as_an_export_is() {
    let (dir, db) = imported();
    let file = dir.path().join("relances.csv");
    let report = Report {
        first: &["tasks", "--format", "csv"],
        said: "relances.csv: ",
        forced: &["tasks", "--format", "md"],
        audited: "tasks.csv",
    };
    written_as_an_export_is(&db, &file, &report);
    assert!(
        std::fs::read_to_string(&file)
            .expect("md")
            .starts_with("# Chase list")
    );
}

/// The rules table edited with SQL: the task's dates move with it (the
/// list reads the rows the flags read).
#[test]
fn a_rule_edited_with_sql_moves_the_dates() {
    let (_dir, db) = imported();
    let coag = |v: &Value| -> Vec<(String, String)> {
        v["tasks"]
            .as_array()
            .expect("tasks")
            .iter()
            .filter(|t| t["what"] == "coagulation")
            .map(|t| {
                (
                    t["case"].as_str().expect("case").to_owned(),
                    t["earliest"].as_str().expect("earliest").to_owned(),
                )
            })
            .collect()
    };
    let before = coag(&json(&db, &[]));
    assert!(!before.is_empty());
    rusqlite::Connection::open(&db)
        .expect("open")
        .execute(
            "UPDATE rules SET value = value + 3 WHERE rule = 'coagulation.max_age'",
            [],
        )
        .expect("edit the rule");
    let after = coag(&json(&db, &[]));
    assert!(!after.is_empty());
    for (case, now) in &after {
        let (_, was) = before
            .iter()
            .find(|(c, _)| c == case)
            .expect("no new coagulation task");
        let (was, now) = (
            chrono::NaiveDate::parse_from_str(was, "%Y-%m-%d").expect("date"),
            chrono::NaiveDate::parse_from_str(now, "%Y-%m-%d").expect("date"),
        );
        assert_eq!((was - now).num_days(), 3, "{case}");
    }
    // A work-up the longer window now accepts: its task went away, and the
    // flags agree.
    let gone: Vec<&String> = before
        .iter()
        .map(|(c, _)| c)
        .filter(|c| !after.iter().any(|(a, _)| a == *c))
        .collect();
    assert!(!gone.is_empty());
    let out = bin(&db)
        .args(["check", "--format", "json", "--week", "2026-W49"])
        .output()
        .expect("check");
    let mut check: Vec<Value> = Vec::new();
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    check.extend(v["cases"].as_array().expect("cases").iter().cloned());
    let out = bin(&db)
        .args(["check", "--format", "json", "--week", "2026-W50"])
        .output()
        .expect("check");
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    check.extend(v["cases"].as_array().expect("cases").iter().cloned());
    for case in gone {
        let c = check
            .iter()
            .find(|c| c["external_id"] == case.as_str())
            .expect("the case");
        let item = c["items"]
            .as_array()
            .expect("items")
            .iter()
            .find(|i| i["item"] == "coagulation")
            .expect("coagulation");
        assert_ne!(item["severity"], "blocking", "{case}: {item}");
    }
}
