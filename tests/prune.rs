//! Issue 11, point 2: the read trace is pruned by the auditor only, behind
//! a checkpoint sealed in the audit trail, and `audit --verify` holds.

mod common;

use std::path::Path;

use assert_cmd::Command;

/// The week's reads are written on this day (the fixture's `--today`).
const READ_ON: &str = common::TODAY;
/// Six months and more later.
const LATER: &str = "2027-06-10";

/// The real binary on `today`, English, none of the app's variables but
/// the audit key when `key` names one.
fn bin_on(db: &Path, today: &str, key: Option<&Path>) -> Command {
    let mut cmd = Command::cargo_bin("ir-committee").expect("binary built");
    cmd.arg("--db")
        .arg(db)
        .args(["--today", today, "--lang", "en"]);
    for var in [
        "IR_COMMITTEE_DB",
        "IR_COMMITTEE_PSEUDONYM_KEY_FILE",
        "IR_COMMITTEE_AUDIT_KEY_FILE",
        "SSH_CONNECTION",
    ] {
        cmd.env_remove(var);
    }
    if let Some(k) = key {
        cmd.env("IR_COMMITTEE_AUDIT_KEY_FILE", k);
    }
    cmd
}

fn count(db: &Path, sql: &str) -> i64 {
    let c = rusqlite::Connection::open(db).expect("open");
    c.query_row(sql, [], |r| r.get(0)).expect("count")
}

fn set_role(db: &Path, role: Option<&str>, key: Option<&Path>) {
    common::set_role_by_hand(db, role, key);
}

/// A file with the fixture, checked on `READ_ON` (one read row per case)
/// and again a week later (rows to keep); with an audit key if given.
fn traced(key: Option<&Path>) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("committee.sqlite");
    let run = |today: &str, args: &[&str]| {
        bin_on(&db, today, key).args(args).assert().success();
    };
    run(READ_ON, &["init", "--demo", "--timezone", "Europe/Paris"]);
    if key.is_some() {
        // Sealed beside the key, as root does at deployment.
        run(READ_ON, &["audit", "seal-key"]);
    }
    run(
        READ_ON,
        &["import", &common::fixture().display().to_string()],
    );
    run(READ_ON, &["check"]);
    run("2026-12-03", &["check", "--week", "2026-W49"]);
    (dir, db)
}

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// `audit --verify`: (success, stdout, stderr).
fn verify(db: &Path, key: Option<&Path>) -> (bool, String, String) {
    let out = bin_on(db, LATER, key)
        .args(["audit", "--verify"])
        .output()
        .expect("runs");
    (out.status.success(), stdout(&out), stderr(&out))
}

fn prune(db: &Path, today: &str, before: &str, key: Option<&Path>) -> std::process::Output {
    bin_on(db, today, key)
        .args(["audit", "prune-reads", "--before", before])
        .output()
        .expect("runs")
}

fn auditor_prunes_and_both_chains_verify(db: &Path, key: Option<&Path>) {
    let old = count(db, "SELECT count(*) FROM reads WHERE at < '2026-11-30'");
    let total = count(db, "SELECT count(*) FROM reads");
    assert!(old > 0 && total > old);
    let last = count(db, "SELECT max(id) FROM reads WHERE at < '2026-11-30'");
    set_role(db, Some("auditor"), key);
    let out = prune(db, LATER, "2026-11-30", key);
    assert!(out.status.success(), "{}", stderr(&out));
    let line = stdout(&out);
    let hash: String = rusqlite::Connection::open(db)
        .expect("open")
        .query_row(
            "SELECT new_value FROM audit WHERE action = 'reads.prune'",
            [],
            |r| r.get::<_, String>(0),
        )
        .expect("the seal")
        .split_ascii_whitespace()
        .find_map(|w| w.strip_prefix("hash="))
        .expect("hash=")
        .to_owned();
    assert_eq!(
        line,
        format!(
            "pruned {old} read rows (ids 1 to {last}, written before 2026-11-30 00:00 Europe/Paris); checkpoint: row {last}, hash {hash}\n"
        )
    );
    assert_eq!(count(db, "SELECT count(*) FROM reads"), total - old);
    assert_eq!(count(db, "SELECT min(id) FROM reads"), last + 1);
    assert_eq!(
        count(
            db,
            "SELECT count(*) FROM reads WHERE id = (SELECT min(id) FROM reads) AND prev_hash = (
               SELECT substr(new_value, instr(new_value, 'hash=') + 5, 64) FROM audit
               WHERE action = 'reads.prune')"
        ),
        1,
        "the first remaining row chains from the checkpoint"
    );
    let (ok, v, err) = verify(db, key);
    assert!(ok, "{err}");
    let lines: Vec<&str> = v.lines().collect();
    assert_eq!(lines.len(), 3, "{v}");
    assert!(lines[0].starts_with("live rows match the trail: "), "{v}");
    assert!(
        lines[1].starts_with(&format!("read trace intact: {} rows, head ", total - old))
            && lines[1].ends_with(&format!(" (pruned through row {last})")),
        "{v}"
    );
    assert!(lines[2].starts_with("audit trail intact: "), "{v}");
    // Reads go on after the pruning; both chains still verify.
    bin_on(db, LATER, key)
        .args(["audit", "--reads"])
        .assert()
        .success();
    let (ok, _, err) = verify(db, key);
    assert!(ok, "{err}");
}

#[test]
fn the_auditor_prunes_old_reads_and_both_chains_verify() {
    let (_dir, db) = traced(None);
    auditor_prunes_and_both_chains_verify(&db, None);
}

#[test]
fn the_auditor_prunes_old_reads_of_a_keyed_file_and_both_chains_verify() {
    let keydir = tempfile::tempdir().expect("temp dir");
    let key = keydir.path().join("audit.key");
    std::fs::write(&key, "0123456789abcdef0123456789abcdef0123456789abcdef\n").expect("key");
    let (_dir, db) = traced(Some(&key));
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM meta WHERE key = 'reads_hmac_from'"
        ),
        1,
        "the trace is keyed"
    );
    auditor_prunes_and_both_chains_verify(&db, Some(&key));
    // Without the key, neither a pruning nor a verification.
    let out = prune(&db, "2028-01-01", "2027-01-01", None);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("keyed"), "{}", stderr(&out));
}

#[test]
fn a_date_inside_the_retention_period_or_not_a_date_is_refused_and_nothing_is_deleted() {
    let (_dir, db) = traced(None);
    set_role(&db, Some("auditor"), None);
    let reads = count(&db, "SELECT count(*) FROM reads");
    let audit = count(&db, "SELECT count(*) FROM audit");
    // On 2027-05-29 the latest date allowed is 2026-11-29.
    for (today, before) in [
        ("2027-05-29", "2026-11-30"),
        (READ_ON, "2026-11-30"),
        (LATER, "2027-06-10"),
    ] {
        let out = prune(&db, today, before, None);
        assert_eq!(out.status.code(), Some(1), "{today} {before}");
        assert!(out.stdout.is_empty());
        let err = stderr(&out);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(
            err.contains(&format!("--before {before} is too recent"))
                && err.contains("the latest date allowed today is")
                && err.contains("kept 6 months"),
            "{err}"
        );
    }
    let err = stderr(&prune(&db, "2027-05-29", "2026-11-30", None));
    assert!(
        err.contains("the latest date allowed today is 2026-11-29"),
        "{err}"
    );
    for bad in ["2026-13-01", "yesterday", "2026-11-30T00:00"] {
        let out = prune(&db, LATER, bad, None);
        assert_eq!(out.status.code(), Some(2), "{bad}");
        assert_eq!(stderr(&out).lines().count(), 1);
    }
    assert_eq!(count(&db, "SELECT count(*) FROM reads"), reads);
    assert_eq!(
        count(&db, "SELECT count(*) FROM audit"),
        audit,
        "nothing written"
    );
    // The latest date allowed is accepted.
    let out = prune(&db, "2027-05-29", "2026-11-29", None);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).starts_with("pruned "), "{}", stdout(&out));
}

#[test]
fn every_other_role_and_an_unknown_login_are_refused_and_the_refusal_audited() {
    let (_dir, db) = traced(None);
    let reads = count(&db, "SELECT count(*) FROM reads");
    let roles = [
        Some("chair"),
        Some("radiologist"),
        Some("anaesthetist"),
        Some("radiographer"),
        Some("secretary"),
        Some("viewer"),
        None,
    ];
    for (n, role) in roles.into_iter().enumerate() {
        set_role(&db, role, None);
        let out = prune(&db, LATER, "2026-11-30", None);
        assert_eq!(out.status.code(), Some(1), "{role:?}");
        assert!(out.stdout.is_empty());
        let err = stderr(&out);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(
            err.contains("may not prune reads: allowed for auditor"),
            "{role:?}: {err}"
        );
        assert_eq!(count(&db, "SELECT count(*) FROM reads"), reads, "{role:?}");
        assert_eq!(
            count(
                &db,
                "SELECT count(*) FROM audit WHERE action = 'reads.prune' AND outcome = 'refused'"
            ),
            i64::try_from(n + 1).expect("small"),
            "{role:?}: audited"
        );
    }
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM meta WHERE key = 'reads_pruned_through'"
        ),
        0
    );
}

/// A pruned file: the auditor removed the rows of `READ_ON`.
fn pruned() -> (tempfile::TempDir, std::path::PathBuf, i64) {
    let (dir, db) = traced(None);
    set_role(&db, Some("auditor"), None);
    assert!(prune(&db, LATER, "2026-11-30", None).status.success());
    let through = count(
        &db,
        "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'reads_pruned_through'",
    );
    (dir, db, through)
}

#[test]
fn a_raw_delete_above_the_checkpoint_is_refused() {
    let (_dir, db, through) = pruned();
    let c = rusqlite::Connection::open(&db).expect("open");
    let err = c
        .execute("DELETE FROM reads WHERE id = ?1", [through + 1])
        .expect_err("refused");
    assert!(err.to_string().contains("append-only"), "{err}");
    assert!(c.execute("DELETE FROM reads", []).is_err());
    assert!(c.execute("UPDATE reads SET login = 'x'", []).is_err());
    drop(c);
    assert!(verify(&db, None).0);
}

/// Raw SQL past the checkpoint's triggers (someone with write access to
/// the file and the will to drop them).
fn tamper(db: &Path, sql: &str) {
    let c = rusqlite::Connection::open(db).expect("open");
    c.execute_batch(
        "DROP TRIGGER reads_checkpoint_insert; DROP TRIGGER reads_checkpoint_update;
         DROP TRIGGER reads_checkpoint_delete;",
    )
    .expect("drop");
    c.execute_batch(sql).expect("tamper");
}

#[test]
fn a_checkpoint_changed_in_meta_is_caught_by_verify() {
    let (_dir, db, through) = pruned();
    tamper(
        &db,
        &format!(
            "UPDATE meta SET value = '{}' WHERE key = 'reads_pruned_through'",
            through + 5
        ),
    );
    let (ok, out, err) = verify(&db, None);
    assert!(!ok);
    assert!(out.is_empty(), "{out}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains(&format!("read trace broken at row {through}"))
            && err.contains(&format!(
                "meta says it was pruned through row {}, but the audit trail's latest pruning",
                through + 5
            )),
        "{err}"
    );
}

#[test]
fn the_end_of_the_pruned_range_deleted_behind_a_raised_checkpoint_is_caught() {
    let (_dir, db, through) = pruned();
    // The triggers refuse to raise the checkpoint without a trail row …
    let c = rusqlite::Connection::open(&db).expect("open");
    let raise = format!(
        "UPDATE meta SET value = '{}' WHERE key = 'reads_pruned_through'",
        through + 1
    );
    assert!(c.execute(&raise, []).is_err());
    drop(c);
    // … and past them, verify tells.
    tamper(
        &db,
        &format!("{raise}; DELETE FROM reads WHERE id = {};", through + 1),
    );
    let (ok, _, err) = verify(&db, None);
    assert!(!ok);
    assert!(
        err.contains("read trace broken at row")
            && err.contains("the audit trail's latest pruning"),
        "{err}"
    );
}
