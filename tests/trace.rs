//! Issue 11, point 2 (command line): consultations are traced in the
//! `reads` table before anything is printed.

mod common;

use std::path::Path;

use common::{bin, imported};

fn count(db: &Path, sql: &str) -> i64 {
    let c = rusqlite::Connection::open(db).expect("open");
    c.query_row(sql, [], |r| r.get(0)).expect("count")
}

fn set_role(db: &Path, role: &str) {
    let c = rusqlite::Connection::open(db).expect("open");
    c.execute(
        "INSERT INTO users (login, name, role, created_at) VALUES ('boss', 'Boss', 'chair', 'x')
         ON CONFLICT(login) DO NOTHING",
        [],
    )
    .expect("another chair");
    let me = ir_committee::storage::identity::login();
    c.execute(
        "UPDATE users SET role = ?2 WHERE login = ?1",
        [me, role.to_owned()],
    )
    .expect("role");
}

#[test]
fn check_twice_in_a_minute_traces_each_case_once() {
    let (_dir, db) = imported();
    assert_eq!(count(&db, "SELECT count(*) FROM reads"), 0);
    bin(&db).arg("check").assert().success();
    let once = count(
        &db,
        "SELECT count(*) FROM reads WHERE action = 'week' AND subject = '2026-W49'",
    );
    assert!(once > 0);
    bin(&db)
        .args(["check", "--format", "json"])
        .assert()
        .success();
    // The same minute (the fixed clock): nothing added, one row per case.
    assert_eq!(count(&db, "SELECT count(*) FROM reads"), once);
    assert_eq!(
        count(
            &db,
            "SELECT count(DISTINCT case_id) FROM reads WHERE action = 'week'"
        ),
        once
    );
}

#[test]
fn an_export_and_an_audit_listing_are_traced_and_the_chains_verify() {
    let (dir, db) = imported();
    let out = dir.path().join("w.csv");
    bin(&db)
        .args(["export", "--format", "csv", "--output"])
        .arg(&out)
        .assert()
        .success();
    let exported = count(
        &db,
        "SELECT count(*) FROM reads WHERE action = 'export' AND subject = '2026-W49 csv'",
    );
    assert!(exported > 0);
    assert_eq!(
        count(
            &db,
            "SELECT count(DISTINCT case_id) FROM reads WHERE action = 'export'"
        ),
        exported
    );
    bin(&db).arg("audit").assert().success();
    bin(&db)
        .args(["audit", "--case", "SCH-2026-004501"])
        .assert()
        .success();
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM reads WHERE action = 'audit.list'"
        ),
        2
    );
    let listed = bin(&db)
        .args(["audit", "--reads", "--case", "SCH-2026-004501"])
        .output()
        .expect("runs");
    assert!(listed.status.success());
    let text = String::from_utf8_lossy(&listed.stdout);
    assert!(
        text.contains("read:export  2026-W49 csv  SCH-2026-004501"),
        "{text}"
    );
    let v = bin(&db).args(["audit", "--verify"]).output().expect("runs");
    let v = String::from_utf8_lossy(&v.stdout);
    assert!(v.starts_with("live rows match the trail: "), "{v}");
    assert!(v.contains("\nread trace intact: "), "{v}");
    assert!(v.contains("\naudit trail intact: "), "{v}");
}

#[test]
fn a_viewers_pseudonymised_check_is_traced_and_the_trace_listing_is_refused_to_them() {
    let (dir, db) = imported();
    let key = dir.path().join("pseudonym.key");
    std::fs::write(&key, "0123456789abcdef0123456789abcdef\n").expect("key");
    set_role(&db, "viewer");
    bin(&db)
        .env("IR_COMMITTEE_PSEUDONYM_KEY_FILE", &key)
        .arg("check")
        .assert()
        .success();
    let traced = count(
        &db,
        "SELECT count(*) FROM reads WHERE role = 'viewer' AND action = 'week'",
    );
    assert!(traced > 0);
    for role in ["viewer", "radiologist", "secretary"] {
        set_role(&db, role);
        let out = bin(&db).args(["audit", "--reads"]).output().expect("runs");
        assert!(!out.status.success(), "{role}");
        assert!(out.stdout.is_empty());
    }
    for role in ["auditor", "chair"] {
        set_role(&db, role);
        bin(&db).args(["audit", "--reads"]).assert().success();
    }
}

#[test]
fn nothing_is_printed_when_the_trace_cannot_be_written() {
    let (dir, db) = imported();
    let c = rusqlite::Connection::open(&db).expect("open");
    c.execute_batch(
        "CREATE TRIGGER reads_fail BEFORE INSERT ON reads
         BEGIN SELECT RAISE(ABORT, 'trace disk full'); END;",
    )
    .expect("trigger");
    drop(c);
    let csv = dir.path().join("w.csv");
    let runs: [&[&str]; 4] = [
        &["check"],
        &["check", "--format", "json"],
        &["audit"],
        &["audit", "--reads"],
    ];
    for args in runs {
        let out = bin(&db).args(args).output().expect("runs");
        assert!(!out.status.success(), "{args:?}");
        assert!(
            out.stdout.is_empty(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
        assert!(err.contains("read trace"), "{err}");
    }
    let out = bin(&db)
        .args(["export", "--format", "csv", "--output"])
        .arg(&csv)
        .output()
        .expect("runs");
    assert!(!out.status.success());
    assert!(!csv.exists(), "no export file when the trace fails");
}
