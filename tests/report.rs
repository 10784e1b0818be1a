//! `report` (issue 15 §4): the committee's indicators over a period; one
//! read row per run; a viewer always pseudonymised; bad periods refused in
//! one line; a file written as an export is.

mod common;

use std::path::Path;

use common::written::{Report, written_as_an_export_is};
use common::{bin, imported, set_role_by_hand};
use predicates::prelude::*;
use serde_json::Value;

const PERIOD: [&str; 4] = ["--from", "2026-11-01", "--to", "2026-12-31"];

fn report(db: &Path, args: &[&str]) -> String {
    let out = bin(db)
        .arg("report")
        .args(PERIOD)
        .args(args)
        .output()
        .expect("report");
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
    serde_json::from_str(&report(db, &a)).expect("JSON")
}

fn report_reads(db: &Path) -> Vec<Value> {
    let out = bin(db)
        .args(["audit", "--reads", "--format", "json"])
        .output()
        .expect("audit --reads");
    let rows: Vec<Value> = serde_json::from_slice(&out.stdout).expect("json");
    rows.into_iter()
        .filter(|r| r["action"] == "report")
        .collect()
}

#[test]
fn the_fixture_week_is_counted_and_the_run_traced_once() {
    let (_dir, db) = imported();
    let v = json(&db, &[]);
    assert_eq!(v["pseudonymised"], false);
    let i = &v["indicators"];
    let cases = i["cases"].as_u64().expect("cases");
    assert!(cases > 0, "{v:#}");
    // Every case is in one committee outcome.
    let sum: u64 = ["validated", "overridden", "pending"]
        .iter()
        .map(|k| i[k].as_u64().expect(k))
        .sum::<u64>()
        + i["postponed"]["total"].as_u64().expect("postponed")
        + i["cancelled"]["total"].as_u64().expect("cancelled");
    assert_eq!(sum, cases);
    assert_eq!(i["months"], serde_json::json!(["2026-11", "2026-12"]));
    // One read row for the run, naming the period and no case.
    let reads = report_reads(&db);
    assert_eq!(reads.len(), 1, "{reads:#?}");
    assert_eq!(reads[0]["subject"], "2026-11-01..2026-12-31");
    assert_eq!(reads[0]["case"], Value::Null);
}

#[test]
fn a_viewer_is_always_pseudonymised() {
    let (_dir, db) = imported();
    set_role_by_hand(&db, Some("viewer"), None);
    let v = json(&db, &[]);
    assert_eq!(v["pseudonymised"], true);
    let md = report(&db, &["--format", "md"]);
    // "< 5" as written: markdown reads no tag in it.
    assert!(md.contains("< 5") && !md.contains("&lt; 5"), "{md}");
    // A nurse reads it as asked.
    set_role_by_hand(&db, Some("nurse"), None);
    assert_eq!(json(&db, &[])["pseudonymised"], false);
    assert_eq!(json(&db, &["--pseudonymise"])["pseudonymised"], true);
}

#[test]
fn bad_periods_are_one_clear_line() {
    let (_dir, db) = imported();
    let rows: &[(&[&str], &str)] = &[
        (
            &["--from", "2026-12-31", "--to", "2026-01-01"],
            "is after --to",
        ),
        (
            &["--from", "2026-13-01", "--to", "2026-12-31"],
            "not a valid date",
        ),
        (&["--from", "2026-01-01"], "--to"),
    ];
    for (args, says) in rows {
        let out = bin(&db)
            .arg("report")
            .args(*args)
            .args(["--format", "md"])
            .output()
            .expect("report");
        assert!(!out.status.success(), "{args:?}");
        assert!(out.stdout.is_empty());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says), "{args:?}: {err}");
    }
    assert!(report_reads(&db).is_empty());
}

#[test]
fn the_html_page_has_its_charts() {
    let (_dir, db) = imported();
    let html = report(&db, &["--format", "html"]);
    assert!(html.starts_with("<!DOCTYPE html>"), "{html}");
    assert_eq!(html.matches("<svg").count(), 2);
    assert!(html.contains("<h2>Committee outcomes</h2>"));
}

#[test]
fn a_file_is_written_as_an_export_is() {
    let (dir, db) = imported();
    let file = dir.path().join("indicateurs.md");
    let mut first = vec!["report"];
    first.extend(PERIOD);
    first.extend(["--format", "md"]);
    let mut forced = vec!["report"];
    forced.extend(PERIOD);
    forced.extend(["--format", "html"]);
    let r = Report {
        first: &first,
        said: "indicateurs.md",
        forced: &forced,
        audited: "report.md",
    };
    written_as_an_export_is(&db, &file, &r);
    assert!(
        std::fs::read_to_string(&file)
            .expect("html")
            .starts_with("<!DOCTYPE html>")
    );
    bin(&db)
        .arg("report")
        .args(PERIOD)
        .args(["--format", "md", "--output", "-"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("# The committee's indicators"));
}
