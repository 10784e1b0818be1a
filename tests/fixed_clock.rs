//! `--today` (issue 12, point 4): a fixed clock writes demo files only,
//! stamping and marking what it writes; a committee file is only read under
//! it, and `audit --verify` fails on one that holds a fixed-clock row.

mod common;

use std::path::Path;

use assert_cmd::Command;
use common::{TODAY, bin, committee, hash, imported};
use sha2::{Digest, Sha256};

const CASE: &str = "SCH-2026-004501";

/// The binary on `db` with `today` as its fixed day, English messages and
/// no audit key (the file's chain is plain SHA-256).
fn on(db: &Path, today: &str) -> Command {
    let mut cmd = Command::cargo_bin("ir-committee").expect("binary built");
    cmd.arg("--db")
        .arg(db)
        .args(["--today", today, "--lang", "en"]);
    cmd.env_remove("IR_COMMITTEE_DB");
    cmd.env_remove("IR_COMMITTEE_AUDIT_KEY_FILE");
    cmd.env_remove("SSH_CONNECTION");
    cmd
}

/// The binary on `db` with the machine's clock (no `--today`).
fn now(db: &Path) -> Command {
    let mut cmd = Command::cargo_bin("ir-committee").expect("binary built");
    cmd.arg("--db").arg(db).args(["--lang", "en"]);
    cmd.env_remove("IR_COMMITTEE_DB");
    cmd.env_remove("IR_COMMITTEE_AUDIT_KEY_FILE");
    cmd.env_remove("SSH_CONNECTION");
    cmd
}

fn audit_json(db: &Path) -> Vec<serde_json::Value> {
    let out = bin(db)
        .args(["audit", "--format", "json"])
        .output()
        .expect("audit runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("audit prints JSON")
}

fn count(db: &Path, sql: &str) -> i64 {
    rusqlite::Connection::open(db)
        .expect("open")
        .query_row(sql, [], |r| r.get(0))
        .expect("count")
}

/// `audit --verify`: success, stdout, stderr.
fn verify(db: &Path) -> (bool, String, String) {
    let out = on(db, TODAY)
        .args(["audit", "--verify"])
        .output()
        .expect("runs");
    (
        out.status.success(),
        String::from_utf8(out.stdout).expect("utf-8"),
        String::from_utf8(out.stderr).expect("utf-8"),
    )
}

#[test]
fn a_backdated_decision_on_a_committee_file_is_refused_and_writes_nothing() {
    let (_dir, db) = committee();
    let before = hash(&db);
    let out = on(&db, "2001-01-01")
        .args(["decide", CASE, "cancel", "--reason", "backdated"])
        .output()
        .expect("runs");
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).expect("utf-8");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("--today is only for demo files") && err.contains("reading with --today"),
        "{err}"
    );
    assert_eq!(hash(&db), before, "nothing written, not even a refusal");
    let (ok, out, err) = verify(&db);
    assert!(ok && out.contains("audit trail intact"), "{out}{err}");
    assert_eq!(
        count(&db, "SELECT count(*) FROM decisions"),
        0,
        "no decision"
    );
}

/// Every command that writes is refused the same way under `--today` on a
/// committee file: nothing escapes through another path.
#[test]
fn every_write_under_today_is_refused_on_a_committee_file() {
    let (dir, db) = committee();
    let before = hash(&db);
    let export = dir.path().join("programme.html");
    let export_arg = export.display().to_string();
    let fixture = common::fixture().display().to_string();
    let commands: Vec<Vec<&str>> = vec![
        vec!["decide", CASE, "validate", "--override", "x"],
        vec!["decide", CASE, "undo"],
        vec!["import", &fixture],
        vec!["import", "--dry-run", &fixture],
        vec!["users", "add", "bob", "--role", "viewer", "--name", "Bob"],
        vec!["rules", "set", "imaging.max_age", "60"],
        vec!["set-timezone", "Europe/Berlin"],
        vec!["audit", "prune-reads", "--before", "2000-01-01"],
        vec![
            "export",
            "--format",
            "html",
            "--week",
            "2026-W49",
            "--output",
            &export_arg,
        ],
    ];
    for args in commands {
        let out = on(&db, TODAY).args(&args).output().expect("runs");
        assert!(!out.status.success(), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(
            err.contains("--today is only for demo files"),
            "{args:?}: {err}"
        );
        assert_eq!(hash(&db), before, "{args:?} wrote");
    }
    assert!(!export.exists());
}

#[test]
fn init_under_today_makes_only_demo_files() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("c.sqlite");
    let out = on(&db, TODAY)
        .args(["init", "--timezone", "Europe/Paris"])
        .output()
        .expect("runs");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("init --demo"), "{err}");
    assert!(!db.exists(), "nothing created");
    // The machine's clock makes a committee file; --demo under --today a demo one.
    now(&db)
        .args(["init", "--timezone", "Europe/Paris"])
        .assert()
        .success();
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM meta WHERE key = 'demo' AND value = '0'"
        ),
        1
    );
    assert_eq!(
        count(&db, "SELECT count(*) FROM audit WHERE clock IS NOT NULL"),
        0
    );
    let demo = dir.path().join("d.sqlite");
    on(&demo, TODAY)
        .args(["init", "--demo", "--timezone", "Europe/Paris"])
        .assert()
        .success();
    assert_eq!(
        count(
            &demo,
            "SELECT count(*) FROM meta WHERE key = 'demo' AND value = '1'"
        ),
        1
    );
}

#[test]
fn a_demo_file_takes_the_fixed_clock_and_marks_its_rows() {
    let (_dir, db) = imported();
    on(&db, "2001-01-01")
        .args(["decide", CASE, "cancel", "--reason", "rehearsal"])
        .assert()
        .success();
    let rows = audit_json(&db);
    let cancel = rows
        .iter()
        .rfind(|r| r["case_external_id"] == CASE && r["outcome"] == "done")
        .expect("the decision's row");
    assert_eq!(cancel["at"], "2001-01-01T12:00:00Z", "{cancel}");
    assert_eq!(cancel["clock"], "fixed", "{cancel}");
    // Every row a fixed clock wrote says so (the listing itself, traced,
    // included); the text listing too.
    assert!(
        rows.iter()
            .filter(|r| r["action"] != "schema.create" && !is_old_migration(r))
            .all(|r| r["clock"] == "fixed"),
        "{rows:?}"
    );
    let text = bin(&db).arg("audit").output().expect("audit");
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.lines()
            .any(|l| l.contains("decision") && l.ends_with("clock: fixed")),
        "{text}"
    );
    assert_eq!(
        count(&db, "SELECT count(*) FROM reads WHERE clock IS NOT 'fixed'"),
        0,
        "the reads of a demo file under --today are marked too"
    );
    let (ok, out, err) = verify(&db);
    assert!(ok && out.contains("audit trail intact"), "{out}{err}");
}

/// The migrations' rows before the `clock` column existed (version 16) cannot say it.
fn is_old_migration(r: &serde_json::Value) -> bool {
    // Migration 14's own step (its claims of the rows already there) comes
    // before the `clock` column too.
    r["action"] == "rows.baseline"
        || r["action"] == "schema.migrate"
            && r["new_value"]
                .as_str()
                .and_then(|v| v.parse::<i64>().ok())
                .is_some_and(|v| v < ir_committee::storage::migrate::CLOCK_VERSION)
}

#[test]
fn reading_a_committee_file_under_today_works_and_traces_at_the_real_time() {
    let (_dir, db) = committee();
    let out = on(&db, TODAY)
        .args(["check", "--format", "json"])
        .output()
        .expect("check runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(report["week"], "2026-W49");
    assert!(report["cases"].as_array().is_some_and(|c| c.len() >= 24));
    // The reads are traced, at the machine's time and unmarked.
    assert!(count(&db, "SELECT count(*) FROM reads") > 0);
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM reads WHERE clock IS NOT NULL OR at LIKE '2026-11-26T12:00:00Z'"
        ),
        0
    );
    let (ok, out, err) = verify(&db);
    assert!(ok, "{out}{err}");
}

/// The canonical encoding of an audit row (README), with the `clock`
/// field after the outcome (marker byte 3).
fn encode(prev: &str, id: i64, at: &str, login: &str, action: &str, clock: &str) -> Vec<u8> {
    fn text(buf: &mut Vec<u8>, v: Option<&str>) {
        match v {
            None => buf.push(0),
            Some(s) => {
                buf.push(1);
                buf.extend_from_slice(&(s.len() as u64).to_be_bytes());
                buf.extend_from_slice(s.as_bytes());
            }
        }
    }
    let mut buf = b"ir-committee/audit@1\0".to_vec();
    text(&mut buf, Some(prev));
    buf.push(2);
    buf.extend_from_slice(&id.to_be_bytes());
    text(&mut buf, Some(at));
    text(&mut buf, Some(login));
    text(&mut buf, None); // role
    text(&mut buf, None); // origin
    text(&mut buf, Some(action));
    buf.push(0); // case
    buf.push(0); // patient
    text(&mut buf, None); // old
    text(&mut buf, None); // new
    text(&mut buf, Some("refused"));
    buf.push(3);
    text(&mut buf, Some(clock));
    buf
}

/// A fixed-clock row in a committee file (written by a build that did not
/// refuse it, say), chained as the app would: the chain is sound, but
/// `audit --verify` fails at that row, naming its id only.
#[test]
fn a_committee_file_holding_a_fixed_clock_row_fails_verify() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("c.sqlite");
    now(&db)
        .args(["init", "--timezone", "Europe/Paris"])
        .assert()
        .success();
    let (ok, out, err) = verify(&db);
    assert!(ok, "{out}{err}");
    {
        let c = rusqlite::Connection::open(&db).expect("open");
        let (last, prev): (i64, String) = c
            .query_row(
                "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .expect("head");
        let (id, at) = (last + 1, "2001-01-01T12:00:00Z");
        let hash = format!(
            "{:x}",
            Sha256::digest(encode(&prev, id, at, "mallory", "decision.cancel", "fixed"))
        );
        c.execute(
            "INSERT INTO audit (id, at, login, action, outcome, prev_hash, hash, clock)
             VALUES (?1, ?2, 'mallory', 'decision.cancel', 'refused', ?3, ?4, 'fixed')",
            rusqlite::params![id, at, prev, hash],
        )
        .expect("insert");
    }
    let id = count(&db, "SELECT max(id) FROM audit");
    let (ok, out, err) = verify(&db);
    assert!(!ok, "{out}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains(&format!("audit trail broken at row {id}: ")) && err.contains("fixed clock"),
        "{err}"
    );
}
