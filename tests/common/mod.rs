//! Helpers shared by the command tests.
#![allow(dead_code)]

pub mod parse;
pub mod reimport;
pub mod screen;
pub mod written;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use sha2::{Digest, Sha256};

/// The committee meets on this Thursday; next week is 2026-W49, the fixture's week.
pub use ir_committee::testkit::TODAY;
use ir_committee::testkit::Template;

/// The real binary with a fixed day and English messages, and none of the
/// app's variables from the environment the tests run in (a database, a
/// pseudonym key, an SSH origin). The audit key variable is left as it is:
/// tests that open the file in their own process read it too.
/// The lines a command printed, asserting it succeeded (its stderr shown
/// if not).
pub fn lines_of(out: std::process::Output) -> Vec<String> {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .expect("utf-8")
        .lines()
        .map(str::to_owned)
        .collect()
}

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
    cmd.env_remove("IR_COMMITTEE_MLLP_ALLOWED_PEERS");
    cmd.env_remove("IR_COMMITTEE_MLLP_LOCAL_ACCOUNTS");
    cmd
}

pub fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/week.json")
}

/// A fresh demo database (`init --demo`: the only kind `--today` writes)
/// in a temporary folder, with the fixture imported: made by the binary
/// once per test process, then copied (`ir_committee::testkit`).
pub fn imported() -> (tempfile::TempDir, PathBuf) {
    static IMPORTED: Template = Template::new("committee.sqlite", |db| {
        bin(db)
            .arg("init")
            .arg("--demo")
            .arg("--timezone")
            .arg("Europe/Paris")
            .assert()
            .success();
        bin(db).arg("import").arg(fixture()).assert().success();
    });
    IMPORTED.copy()
}

/// A committee file (not a demo one: `--today` only reads it) with the
/// fixture's week, written through the library at the machine's time
/// (the binary would need `--today` to import the fixture's dates); made
/// once per test process, then copied.
pub fn committee() -> (tempfile::TempDir, PathBuf) {
    static COMMITTEE: Template = Template::new("committee.sqlite", |path| {
        use ir_committee::domain::clock::Clock;
        use ir_committee::storage::{Db, Init};
        let init = Init {
            timezone: chrono_tz::Europe::Paris,
            demo: false,
            admin: None,
            name: None,
        };
        let mut db = Db::create(path, Clock::System, &init).expect("create");
        ir_committee::import::save_all(
            &mut db,
            &ir_committee::testkit::fixture_cases(),
            "test",
            ir_committee::import::Absent::Clears,
        )
        .expect("import");
    });
    COMMITTEE.copy()
}

/// Imports `file` with the binary, which must succeed: its report.
pub fn import_ok(db: &Path, file: &Path) -> String {
    let out = bin(db)
        .arg("import")
        .arg(file)
        .output()
        .expect("import runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
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

/// The fixture with its first case edited by `edit`.
pub fn with_first_case(edit: impl FnOnce(&mut serde_json::Value)) -> String {
    let text = std::fs::read_to_string(fixture()).expect("fixture");
    let mut doc: serde_json::Value = serde_json::from_str(&text).expect("fixture is JSON");
    edit(&mut doc["cases"][0]);
    serde_json::to_string_pretty(&doc).expect("JSON")
}

pub fn first_id() -> String {
    let text = std::fs::read_to_string(fixture()).expect("fixture");
    let doc: serde_json::Value = serde_json::from_str(&text).expect("fixture is JSON");
    doc["cases"][0]["external_id"]
        .as_str()
        .expect("external_id")
        .to_owned()
}

/// Imports `content` into an imported database; returns stderr, asserting
/// failure, a single line and an unchanged file.
pub fn refused(content: &str, name: &str) -> String {
    let (dir, db) = imported();
    let file = dir.path().join(name);
    std::fs::write(&file, content).expect("write");
    let before = hash(&db);
    let out = bin(&db)
        .arg("import")
        .arg(&file)
        .output()
        .expect("import runs");
    assert!(!out.status.success(), "import of {name} should fail");
    assert_eq!(hash(&db), before, "database changed by a refused import");
    let err = String::from_utf8(out.stderr).expect("utf-8");
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
    assert!(!err.contains("panicked"), "{err}");
    err
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

/// Gives the caller `role` (None: removes them from the users table), with
/// another chair `boss` there, by hand — and claims the change in the trail
/// as an insider would have to (`forge::by_hand`), else `audit --verify`
/// rightly calls it tampering (issue 12). `key`: the audit key file, when
/// the chain is keyed.
pub fn set_role_by_hand(db: &Path, role: Option<&str>, key: Option<&Path>) {
    let me = ir_committee::storage::identity::login();
    let change = match role {
        Some(r) => format!("UPDATE users SET role = '{r}' WHERE login = '{me}';"),
        None => format!("DELETE FROM users WHERE login = '{me}';"),
    };
    ir_committee::storage::audit::forge::by_hand(
        db,
        key,
        &format!(
            "INSERT INTO users (login, name, role, created_at) VALUES ('boss', 'Boss', 'chair', 'x')
               ON CONFLICT(login) DO NOTHING;
             {change}"
        ),
    )
    .expect("role");
}
