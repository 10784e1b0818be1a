//! Where an export may write: never onto the database or its `-wal`,
//! `-shm`, `-journal` (whatever name reaches them: a symlink, a hard link),
//! never onto a SQLite file, and onto another existing file only with
//! `--force`. After each refusal the file is untouched, the database opens
//! and its audit trail verifies.

use std::path::{Path, PathBuf};

use predicates::prelude::*;

use super::{audit_exports, decide_some, export};
use crate::common::{bin, hash, imported};

fn sibling(db: &Path, suffix: &str) -> PathBuf {
    let mut p = db.as_os_str().to_owned();
    p.push(suffix);
    PathBuf::from(p)
}

/// `export --format csv --output target` (and `--force` if asked) is
/// refused in one line saying `why`, naming the file.
fn refused(db: &Path, target: &Path, force: bool, why: &str) {
    let mut cmd = export(db);
    cmd.args(["--format", "csv", "--output"]).arg(target);
    if force {
        cmd.arg("--force");
    }
    let out = cmd.assert().failure().get_output().clone();
    let err = String::from_utf8(out.stderr).expect("utf-8");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains(why), "{err}");
    assert!(err.contains(&target.display().to_string()), "{err}");
}

/// The database still opens, its trail is intact and it records no export.
fn still_whole(db: &Path) {
    bin(db)
        .args(["audit", "--verify"])
        .assert()
        .success()
        .stdout(predicate::str::contains("intact"));
    bin(db).arg("check").assert().success();
    assert!(audit_exports(db).is_empty());
}

#[test]
fn an_export_onto_the_database_is_refused_even_with_force() {
    let (_dir, db) = imported();
    decide_some(&db);
    let before = hash(&db);
    for force in [false, true] {
        refused(&db, &db, force, "that is the database");
    }
    assert_eq!(hash(&db), before);
    still_whole(&db);
}

#[test]
fn an_export_onto_the_wal_is_refused_and_no_decision_is_lost() {
    let (_dir, db) = imported();
    // Someone has the file open (the screen): the WAL is not checkpointed
    // away when the commands below close, it holds their decisions.
    let screen = rusqlite::Connection::open(&db).expect("open");
    let _: i64 = screen
        .query_row("SELECT count(*) FROM cases", [], |r| r.get(0))
        .expect("read");
    decide_some(&db);
    let wal = sibling(&db, "-wal");
    let logged = std::fs::read(&wal).expect("the WAL holds the decisions");
    assert!(!logged.is_empty());
    for force in [false, true] {
        refused(&db, &wal, force, "that is the database");
    }
    for suffix in ["-shm", "-journal"] {
        refused(&db, &sibling(&db, suffix), true, "that is the database");
    }
    assert_eq!(std::fs::read(&wal).expect("WAL"), logged);
    assert!(!sibling(&db, "-journal").exists());
    drop(screen);
    still_whole(&db);
    let out = bin(&db)
        .args(["audit", "--format", "json"])
        .output()
        .expect("audit");
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).expect("json");
    let decisions: Vec<&str> = rows
        .iter()
        .filter_map(|r| r["action"].as_str())
        .filter(|a| a.starts_with("decision."))
        .collect();
    assert_eq!(decisions.len(), 5, "{decisions:?}");
}

#[test]
fn an_export_onto_a_symlink_or_a_hard_link_to_the_database_is_refused() {
    let (dir, db) = imported();
    let soft = dir.path().join("programme.csv");
    std::os::unix::fs::symlink(&db, &soft).expect("symlink");
    let hard = dir.path().join("hard.csv");
    std::fs::hard_link(&db, &hard).expect("hard link");
    // A symlink to the WAL, which exists while the export's own process has
    // the file open.
    let to_wal = dir.path().join("wal.csv");
    std::os::unix::fs::symlink(sibling(&db, "-wal"), &to_wal).expect("symlink");
    let before = hash(&db);
    for target in [&soft, &hard, &to_wal] {
        for force in [false, true] {
            refused(&db, target, force, "that is the database");
        }
    }
    assert_eq!(hash(&db), before);
    assert_eq!(std::fs::read_link(&soft).expect("still a link"), db);
    still_whole(&db);
}

#[test]
fn a_sqlite_file_under_another_name_is_never_replaced() {
    let (dir, db) = imported();
    let copy = dir.path().join("last-week.csv");
    rusqlite::Connection::open(&db)
        .expect("open")
        .execute("VACUUM INTO ?1", [copy.display().to_string()])
        .expect("a copy");
    let bytes = std::fs::read(&copy).expect("copy");
    for force in [false, true] {
        refused(&db, &copy, force, "is a SQLite database");
    }
    assert_eq!(std::fs::read(&copy).expect("copy"), bytes);
    still_whole(&db);
}

#[test]
fn an_existing_file_is_replaced_only_with_force() {
    use std::os::unix::fs::PermissionsExt;
    let (dir, db) = imported();
    let out = dir.path().join("p.csv");
    std::fs::write(&out, "old content that is much longer than nothing").expect("old");
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    let mut cmd = export(&db);
    cmd.args(["--format", "csv", "--output"]).arg(&out);
    cmd.assert().failure().stderr(predicate::str::diff(format!(
        "ir-committee: error: {} exists; add --force to replace it\n",
        out.display()
    )));
    assert_eq!(
        std::fs::read_to_string(&out).expect("old"),
        "old content that is much longer than nothing"
    );
    still_whole(&db);
    // With --force it is replaced whole and is 0600.
    cmd.arg("--force").assert().success();
    let mode = std::fs::metadata(&out).expect("file").permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let text = std::fs::read_to_string(&out).expect("text");
    assert!(!text.contains("old content"), "{text}");
    assert_eq!(audit_exports(&db).len(), 1);
}

#[test]
fn the_standard_output_is_never_the_database() {
    let (_dir, db) = imported();
    let before = hash(&db);
    // `export --output - >> committee.sqlite`
    let appended = std::fs::OpenOptions::new()
        .append(true)
        .open(&db)
        .expect("open");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_ir-committee"))
        .arg("--db")
        .arg(&db)
        .args(["--today", crate::common::TODAY, "--lang", "en"])
        .args([
            "export", "--week", "2026-W49", "--format", "csv", "--output", "-",
        ])
        .env_remove("IR_COMMITTEE_DB")
        .stdout(appended)
        .output()
        .expect("runs");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(err.contains("the standard output is the database"), "{err}");
    assert_eq!(hash(&db), before);
    still_whole(&db);
}
