//! `report` (issue 15 §4): the committee's indicators from the command
//! line: read as the read table says (a viewer always pseudonymised, a
//! login the file does not know refused), one read-trace row per run, a
//! period that would be empty refused in one line.

mod common;

use std::path::Path;

use common::{bin, imported, set_role_by_hand};
use predicates::prelude::*;
use serde_json::Value;

fn report(db: &Path, args: &[&str]) -> Value {
    let out = bin(db)
        .args(["report", "--from", "2026-01-01", "--to", "2026-12-31"])
        .args(["--format", "json"])
        .args(args)
        .output()
        .expect("report");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON")
}

fn traced(db: &Path) -> Vec<Value> {
    let reads = bin(db)
        .args(["audit", "--reads", "--format", "json"])
        .output()
        .expect("audit --reads");
    let rows: Vec<Value> = serde_json::from_slice(&reads.stdout).expect("json");
    rows.into_iter()
        .filter(|r| r["action"] == "report")
        .collect()
}

#[test]
fn the_chair_reads_it_identified_unless_asked_and_each_run_is_one_trace_row() {
    let (_dir, db) = imported();
    assert_eq!(report(&db, &[])["pseudonymised"], Value::Bool(false));
    assert_eq!(
        report(&db, &["--pseudonymise"])["pseudonymised"],
        Value::Bool(true)
    );
    // One row per run, none per case; the same read twice in a minute is
    // one row (the read trace's minute rule), another period another row.
    let rows = traced(&db);
    assert_eq!(rows.len(), 1, "{rows:#?}");
    assert_eq!(rows[0]["subject"], "2026-01-01..2026-12-31");
    assert_eq!(rows[0]["case_id"], Value::Null);
    let other = bin(&db)
        .args(["report", "--from", "2026-06-01", "--to", "2026-12-31"])
        .args(["--format", "csv"])
        .output()
        .expect("report");
    assert!(other.status.success());
    assert_eq!(traced(&db).len(), 2);
}

#[test]
fn a_viewer_reads_it_pseudonymised_and_an_unknown_login_nothing() {
    let (_dir, db) = imported();
    set_role_by_hand(&db, Some("viewer"), None);
    assert_eq!(report(&db, &[])["pseudonymised"], Value::Bool(true));
    set_role_by_hand(&db, None, None);
    bin(&db)
        .args(["report", "--from", "2026-01-01", "--to", "2026-12-31"])
        .args(["--format", "md"])
        .assert()
        .failure()
        .stdout("");
}

#[test]
fn a_period_that_would_be_empty_is_one_line() {
    let (_dir, db) = imported();
    bin(&db)
        .args(["report", "--from", "2026-12-31", "--to", "2026-01-01"])
        .args(["--format", "md"])
        .assert()
        .failure()
        .stdout("")
        .stderr(predicate::str::contains("is after").and(predicate::str::contains("\n").count(1)));
}
