//! Issue 12, point 2: `audit --verify` cross-checks the live tables with the
//! trail, so that what an insider does with the sqlite3 shell to a live row
//! or to the trail itself is caught, in one line naming the table and an
//! internal row id, never a name, IPP or external id.
//!
//! Committee files written on the system clock (no `--today`).

mod common;

use std::path::Path;

use assert_cmd::Command;

fn app(db: &Path) -> Command {
    let mut cmd = Command::cargo_bin("ir-committee").expect("binary built");
    cmd.arg("--db").arg(db).arg("--lang").arg("en");
    for var in [
        "IR_COMMITTEE_DB",
        "IR_COMMITTEE_PSEUDONYM_KEY_FILE",
        "IR_COMMITTEE_AUDIT_KEY_FILE",
        "SSH_CONNECTION",
    ] {
        cmd.env_remove(var);
    }
    cmd
}

/// `audit --verify`: success, stdout, stderr.
fn verify(db: &Path) -> (bool, String, String) {
    let out = app(db).args(["audit", "--verify"]).output().expect("runs");
    (
        out.status.success(),
        String::from_utf8(out.stdout).expect("utf-8"),
        String::from_utf8(out.stderr).expect("utf-8"),
    )
}

fn shell(db: &Path, sql: &str) {
    rusqlite::Connection::open(db)
        .expect("sqlite3 shell")
        .execute_batch(sql)
        .expect(sql);
}

/// Every name, IPP and external id in the file.
fn identifiers(db: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(db).expect("open");
    let mut stmt = conn
        .prepare(
            "SELECT last_name FROM patients UNION SELECT first_name FROM patients
             UNION SELECT ipp FROM patients UNION SELECT external_id FROM cases",
        )
        .expect("identifiers");
    stmt.query_map([], |r| r.get::<_, String>(0))
        .expect("rows")
        .map(|r| r.expect("row"))
        .filter(|s| s.chars().count() > 2)
        .collect()
}

/// A committee file with the fixture week and one postponement, decided
/// through the binary.
fn decided() -> (tempfile::TempDir, std::path::PathBuf) {
    let (dir, db) = common::committee();
    app(&db)
        .args([
            "decide",
            "SCH-2026-004503",
            "postpone",
            "--reason",
            "IRM manquante",
        ])
        .assert()
        .success();
    (dir, db)
}

#[test]
fn a_file_written_by_the_app_matches_its_trail() {
    let (_dir, db) = decided();
    let (ok, out, err) = verify(&db);
    assert!(ok, "{err}");
    let first = out.lines().next().unwrap_or_default();
    assert!(
        first.starts_with("live rows match the trail: ") && first.ends_with(" rows in 23 tables"),
        "{out}"
    );
}

#[test]
fn each_tampering_fails_verify_in_one_line_naming_table_and_row_id_only() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "UPDATE decisions SET decision = 'validated'",
            "table decisions, row 1: its content is not what audit row",
            "decision edited with the sqlite3 shell",
        ),
        (
            "DROP TRIGGER audit_no_delete; DELETE FROM audit;",
            "table meta, row 1: no audit row wrote it",
            "trail emptied",
        ),
        (
            "DROP TRIGGER audit_no_delete;
             DELETE FROM audit WHERE id = (SELECT max(id) FROM audit);
             CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
             BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;",
            "the trail's tail was cut off",
            "tail cut off (triggers put back)",
        ),
        (
            "DELETE FROM decisions;",
            "table decisions, a row written by audit row",
            "a decision deleted",
        ),
    ];
    for (sql, expected, what) in cases {
        let (_dir, db) = decided();
        let names = identifiers(&db);
        shell(&db, sql);
        let (ok, out, err) = verify(&db);
        assert!(!ok, "{what}: not caught: {out}");
        assert_eq!(err.trim_end().lines().count(), 1, "{what}: {err}");
        assert!(
            err.starts_with("ir-committee: error: live rows do not match the audit trail: "),
            "{what}: {err}"
        );
        assert!(err.contains(expected), "{what}: {err}");
        for n in &names {
            assert!(!err.contains(n.as_str()), "{what}: {err} shows {n}");
        }
    }
}
