//! A report written to a file as an export is (issue 14: `tasks`,
//! `instructions`): mode 0600, never over a file without `--force`, never
//! over the database, audited as an export.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use predicates::prelude::*;
use serde_json::Value;

use super::bin;

/// The commands of one check.
pub struct Report<'a> {
    /// The first write (`--output FILE` is added).
    pub first: &'a [&'a str],
    /// What the first write prints.
    pub said: &'a str,
    /// The write over it, `--force` added (then over the database).
    pub forced: &'a [&'a str],
    /// The first write's format in its audit row.
    pub audited: &'a str,
}

/// Writes `file` as `r.first`, checks its mode, that it is not replaced
/// without `--force` and is with it, that the database never is, and the
/// two writes' audit rows.
pub fn written_as_an_export_is(db: &Path, file: &Path, r: &Report) {
    bin(db)
        .args(r.first)
        .arg("--output")
        .arg(file)
        .assert()
        .success()
        .stdout(predicate::str::contains(r.said));
    let mode = std::fs::metadata(file).expect("file").permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    // Not over it without --force; with it, replaced.
    bin(db)
        .args(r.first)
        .arg("--output")
        .arg(file)
        .assert()
        .failure()
        .stderr(predicate::str::contains("--force"));
    bin(db)
        .args(r.forced)
        .args(["--force", "--output"])
        .arg(file)
        .assert()
        .success();
    // Never over the database.
    bin(db)
        .args(r.forced)
        .args(["--force", "--output"])
        .arg(db)
        .assert()
        .failure();
    // Audited as exports are.
    let out = bin(db)
        .args(["audit", "--format", "json"])
        .output()
        .expect("audit");
    let rows: Vec<Value> = serde_json::from_slice(&out.stdout).expect("json");
    let done: Vec<&Value> = rows
        .iter()
        .filter(|r| r["action"] == "export" && r["outcome"] == "done")
        .collect();
    assert_eq!(done.len(), 2, "{rows:#?}");
    let new: Value =
        serde_json::from_str(done[0]["new_value"].as_str().expect("new value")).expect("json");
    assert_eq!(new["format"], r.audited);
}
