//! Helpers shared by the command tests.
#![allow(dead_code)]

pub mod screen;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use sha2::{Digest, Sha256};

/// The committee meets on this Thursday; next week is 2026-W49, the fixture's week.
pub const TODAY: &str = "2026-11-26";

/// The real binary with a fixed day and English messages, and none of the
/// app's variables from the environment the tests run in (a database, a
/// pseudonym key, an SSH origin). The audit key variable is left as it is:
/// tests that open the file in their own process read it too.
pub fn bin(db: &Path) -> Command {
    let mut cmd = Command::cargo_bin("ir-committee").expect("binary built");
    cmd.arg("--db")
        .arg(db)
        .arg("--today")
        .arg(TODAY)
        .arg("--lang")
        .arg("en");
    cmd.env_remove("IR_COMMITTEE_DB");
    cmd.env_remove("IR_COMMITTEE_PSEUDONYM_KEY_FILE");
    cmd.env_remove("SSH_CONNECTION");
    cmd
}

pub fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/week.json")
}

/// A fresh database in a temporary folder, with the fixture imported.
pub fn imported() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("committee.sqlite");
    bin(&db)
        .arg("init")
        .arg("--timezone")
        .arg("Europe/Paris")
        .assert()
        .success();
    bin(&db).arg("import").arg(fixture()).assert().success();
    (dir, db)
}

/// SHA-256 of the database file and its WAL: equal hashes = unchanged content.
pub fn hash(db: &Path) -> String {
    let mut h = Sha256::new();
    for suffix in ["", "-wal"] {
        let mut p = db.as_os_str().to_owned();
        p.push(suffix);
        if let Ok(bytes) = std::fs::read(PathBuf::from(p)) {
            h.update(&bytes);
        }
    }
    format!("{:x}", h.finalize())
}

/// `check --format json` parsed.
pub fn check_json(db: &Path) -> serde_json::Value {
    let out = bin(db)
        .args(["check", "--format", "json"])
        .output()
        .expect("check runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("check prints JSON")
}
