//! `rules set`: numbers typed strictly; the same value again writes nothing.

mod common;

use common::{bin, imported};
use predicates::prelude::*;

fn audit_count(db: &std::path::Path, action: &str) -> usize {
    let out = bin(db)
        .args(["audit", "--format", "json"])
        .output()
        .expect("audit");
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).expect("json");
    rows.iter().filter(|r| r["action"] == action).count()
}

#[test]
fn a_threshold_is_a_plain_decimal() {
    let (_dir, db) = imported();
    for typo in ["1e1", "+20", ".5", "20.", "0x10"] {
        bin(&db)
            .args(["rules", "set", "imaging.max_age", typo])
            .assert()
            .failure()
            .stderr(predicate::str::contains("is not a number"));
    }
    bin(&db)
        .args([
            "rules",
            "set",
            "coagulation.inr_max",
            "1,4",
            "--risk",
            "high",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("1.4"));
    assert_eq!(audit_count(&db, "rules.set"), 1);
}

#[test]
fn the_same_value_again_is_not_a_change() {
    let (_dir, db) = imported();
    bin(&db)
        .args(["rules", "set", "imaging.max_age", "30"])
        .assert()
        .success();
    bin(&db)
        .args(["rules", "set", "imaging.max_age", "30"])
        .assert()
        .success()
        .stdout(predicate::str::contains("unchanged"));
    assert_eq!(audit_count(&db, "rules.set"), 1);
}

// ---- The local protocol (issue 17): `rules approve`, `rules history` ----

fn approvals(db: &std::path::Path) -> i64 {
    let conn = rusqlite::Connection::open(db).expect("open");
    conn.query_row("SELECT count(*) FROM protocol_approvals", [], |r| r.get(0))
        .expect("count")
}

/// A refusal: exit 1, nothing on stdout, one line on stderr.
fn refused(cmd: &mut assert_cmd::Command) -> String {
    let out = cmd.assert().code(1).get_output().clone();
    assert!(out.stdout.is_empty());
    let err = String::from_utf8(out.stderr).expect("utf-8");
    assert_eq!(err.lines().count(), 1, "{err}");
    err
}

fn approve(db: &std::path::Path, version: u32, note: &str) -> assert_cmd::Command {
    let mut cmd = bin(db);
    let version = version.to_string();
    cmd.args(["rules", "approve", "--version", &version, "--note", note]);
    cmd
}

fn history(db: &std::path::Path, more: &[&str]) -> Vec<String> {
    let out = bin(db)
        .args(["rules", "history"])
        .args(more)
        .output()
        .expect("history");
    common::lines_of(out)
}

#[test]
fn a_chair_approves_once_with_a_note_others_and_empty_notes_are_refused() {
    let (_dir, db) = imported();
    // An empty note, or only spaces: nothing written.
    for note in ["", "   "] {
        let err = refused(&mut approve(&db, 1, note));
        assert!(err.contains("an approval needs a note"), "{err}");
    }
    let long = "x".repeat(2001);
    let err = refused(&mut approve(&db, 1, &long));
    assert!(
        err.contains("a note of 2001 characters: 2000 at most"),
        "{err}"
    );
    assert_eq!(approvals(&db), 0);
    approve(&db, 1, "reviewed at the meeting")
        .assert()
        .success()
        .stdout("protocol v1 approved on 2026-11-26 13:00 (no meeting recorded today)\n");
    assert_eq!(approvals(&db), 1);
    // The same version again says nothing new.
    let err = refused(&mut approve(&db, 1, "again"));
    assert!(err.contains("protocol v1 is already approved"), "{err}");
    assert_eq!(approvals(&db), 1);
    assert_eq!(audit_count(&db, "rules.approve"), 1);
}

#[test]
fn a_radiologist_may_not_approve() {
    let (_dir, db) = imported();
    common::set_role_by_hand(&db, Some("radiologist"), None);
    let err = refused(&mut approve(&db, 1, "looks fine"));
    assert!(err.contains("chair"), "{err}");
    assert_eq!(approvals(&db), 0);
    // Everyone reads the history.
    assert_eq!(history(&db, &[]).len(), 1);
}

#[test]
fn the_history_shows_each_change_then_its_approval() {
    let (_dir, db) = imported();
    approve(&db, 1, "first review").assert().success();
    bin(&db)
        .args(["rules", "set", "imaging.max_age", "60"])
        .assert()
        .success();
    // The reviewers read v1; the table moved on: refused, nothing written.
    let err = refused(&mut approve(&db, 1, "stale"));
    assert!(
        err.contains("the version reviewed (v1) is not the one in force (v2)"),
        "{err}"
    );
    let lines = history(&db, &[]);
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(lines[0].starts_with("v1 · ") && lines[0].contains("v1 approved by"));
    assert!(lines[0].contains("first review (no meeting recorded that day)"));
    let change = &lines[1];
    assert!(change.starts_with("v2 · "), "{change}");
    assert!(
        change.contains("imaging: validity · all: 42 days (blocking) → 60 days (blocking)"),
        "{change}"
    );
    assert!(change.ends_with(" · not approved"), "{change}");
    approve(&db, 2, "the imaging window").assert().success();
    let lines = history(&db, &[]);
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert!(lines[1].ends_with(" · approved (v2)"), "{}", lines[1]);
    assert!(lines[2].starts_with("v2 · ") && lines[2].contains("v2 approved by"));
    // In French, in the same order.
    let out = assert_cmd::Command::cargo_bin("ir-committee")
        .expect("binary")
        .arg("--db")
        .arg(&db)
        .args(["--today", common::TODAY, "--lang", "fr", "rules", "history"])
        .env_remove("IR_COMMITTEE_DB")
        .output()
        .expect("history");
    let fr = String::from_utf8(out.stdout).expect("utf-8");
    assert!(
        fr.contains("imagerie\u{a0}: validité · tous\u{a0}: 42 jours (bloquant) → 60 jours (bloquant) · approuvé (v2)"),
        "{fr}"
    );
    // --since: on or after a local day.
    assert_eq!(history(&db, &["--since", common::TODAY]).len(), 3);
    assert_eq!(
        history(&db, &["--since", "2026-11-27"]),
        ["no change of the rules and no approval"]
    );
    let err = bin(&db)
        .args(["rules", "history", "--since", "2026-02-30"])
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8(err).expect("utf-8");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("2026-02-30"), "{err}");
    // JSON: the domain's structures, with their kind.
    let out = bin(&db)
        .args(["rules", "history", "--format", "json"])
        .output()
        .expect("json");
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).expect("json");
    let kinds: Vec<&str> = rows.iter().filter_map(|r| r["kind"].as_str()).collect();
    assert_eq!(kinds, ["approval", "change", "approval"]);
    assert_eq!(rows[1]["version"], 2);
    assert_eq!(rows[1]["approved_in"], 2);
    assert_eq!(rows[1]["row"]["rule"], "imaging.max_age");
    assert_eq!(rows[1]["old"]["value"], 42.0);
    assert_eq!(rows[1]["new"]["severity"], "blocking");
    assert_eq!(rows[2]["note"], "the imaging window");
}
