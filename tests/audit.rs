//! The audit trail through the real binary: append-only triggers, the hash
//! chain and `audit --verify` (edits, deletions, insertions, anchors, keyed
//! chains), the migration of an older file, and the listing's filters.

mod common;

use std::path::{Path, PathBuf};

use common::{TODAY, bin, fixture, imported};
use ir_committee::storage::migrate;
use predicates::prelude::*;

const KEY_ENV: &str = "IR_COMMITTEE_AUDIT_KEY_FILE";

fn conn(db: &Path) -> rusqlite::Connection {
    rusqlite::Connection::open(db).expect("open")
}

fn count(db: &Path, sql: &str) -> i64 {
    conn(db).query_row(sql, [], |r| r.get(0)).expect("count")
}

/// `audit --verify` (plus `args`): success, stdout, stderr.
fn verify(db: &Path, key: Option<&Path>, args: &[&str]) -> (bool, String, String) {
    let mut cmd = bin(db);
    cmd.env_remove(KEY_ENV);
    if let Some(k) = key {
        cmd.env(KEY_ENV, k);
    }
    let out = cmd
        .args(["audit", "--verify"])
        .args(args)
        .output()
        .expect("runs");
    (
        out.status.success(),
        String::from_utf8(out.stdout).expect("utf-8"),
        String::from_utf8(out.stderr).expect("utf-8"),
    )
}

/// The head hash printed by an intact `audit --verify`.
fn head(db: &Path) -> String {
    let (ok, out, err) = verify(db, None, &[]);
    assert!(ok, "{err}");
    out.trim()
        .rsplit(' ')
        .next()
        .expect("a hash at the end")
        .to_owned()
}

/// Drops the append-only triggers, as someone with the sqlite3 shell could.
fn drop_triggers(c: &rusqlite::Connection) {
    c.execute_batch("DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;")
        .expect("drop triggers");
}

/// Puts the append-only triggers back exactly as the program creates them
/// (else every write is refused, naming them).
fn restore_triggers(c: &rusqlite::Connection) {
    for name in ["audit_no_update", "audit_no_delete"] {
        let sql = ir_committee::storage::audit::guard::create_sql(name).expect("sql");
        c.execute_batch(sql).expect("restore");
    }
}

/// Asserts one error line on stderr reporting the broken row `id`.
fn assert_broken_at(db: &Path, id: i64) {
    let (ok, out, err) = verify(db, None, &[]);
    assert!(!ok, "{out}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains(&format!("audit trail broken at row {id}: ")),
        "{err}"
    );
}

#[test]
fn update_and_delete_are_refused_by_the_triggers() {
    let (_dir, db) = imported();
    let c = conn(&db);
    let update = c.execute("UPDATE audit SET new_value = 'x' WHERE id = 5", []);
    assert!(
        update
            .expect_err("refused")
            .to_string()
            .contains("the audit trail is append-only")
    );
    let delete = c.execute("DELETE FROM audit WHERE id = 5", []);
    assert!(
        delete
            .expect_err("refused")
            .to_string()
            .contains("the audit trail is append-only")
    );
    let delete_all = c.execute("DELETE FROM audit", []);
    assert!(delete_all.is_err());
}

#[test]
fn the_trail_of_an_import_is_intact() {
    let (_dir, db) = imported();
    let rows = count(&db, "SELECT count(*) FROM audit");
    assert!(rows > 250, "{rows}");
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM audit WHERE hash IS NULL OR prev_hash IS NULL"
        ),
        0
    );
    let (ok, out, err) = verify(&db, None, &[]);
    assert!(ok, "{err}");
    let h = head(&db);
    assert_eq!(h.len(), 64);
    // The live rows' line first, then the read trace's, then the trail's
    // (its head last).
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(
        lines[0].starts_with("live rows match the trail: ") && lines[0].ends_with(" in 23 tables"),
        "{out}"
    );
    assert!(lines[1].starts_with("read trace intact: "), "{out}");
    assert_eq!(
        lines[2],
        format!("audit trail intact: {rows} rows, head {h}")
    );
    let last: String = conn(&db)
        .query_row("SELECT hash FROM audit ORDER BY id DESC LIMIT 1", [], |r| {
            r.get(0)
        })
        .expect("head");
    assert_eq!(h, last);
    let first: String = conn(&db)
        .query_row("SELECT prev_hash FROM audit WHERE id = 1", [], |r| r.get(0))
        .expect("first");
    assert_eq!(first, "0".repeat(64));
}

#[test]
fn an_edited_row_is_caught_at_that_row() {
    let (_dir, db) = imported();
    let c = conn(&db);
    drop_triggers(&c);
    c.execute(
        "UPDATE audit SET new_value = 'nothing to see' WHERE id = 42",
        [],
    )
    .expect("edit");
    drop(c);
    assert_broken_at(&db, 42);
}

#[test]
fn an_edited_row_and_hash_are_caught() {
    // (A row rewritten with its hash correctly recomputed is caught at the
    // next row: see the unit tests of `storage::audit`.)
    let (_dir, db) = imported();
    let c = conn(&db);
    drop_triggers(&c);
    c.execute(
        "UPDATE audit SET login = 'mallory', hash = printf('%064d', 7) WHERE id = 42",
        [],
    )
    .expect("edit");
    drop(c);
    assert_broken_at(&db, 42);
}

#[test]
fn a_deleted_row_is_caught_at_the_next_row() {
    let (_dir, db) = imported();
    let c = conn(&db);
    drop_triggers(&c);
    c.execute("DELETE FROM audit WHERE id = 42", [])
        .expect("delete");
    drop(c);
    assert_broken_at(&db, 43);
}

#[test]
fn deleting_the_first_rows_is_caught() {
    let (_dir, db) = imported();
    let c = conn(&db);
    drop_triggers(&c);
    c.execute("DELETE FROM audit WHERE id <= 3", [])
        .expect("delete");
    drop(c);
    assert_broken_at(&db, 4);
}

#[test]
fn an_inserted_row_is_caught() {
    let (_dir, db) = imported();
    let last = count(&db, "SELECT max(id) FROM audit");
    let c = conn(&db);
    // Appended without a hash, or with the right prev_hash and a made-up hash.
    c.execute(
        "INSERT INTO audit (at, login, action, outcome) VALUES ('2026-11-26T12:00:00Z', 'alice', 'case.update', 'done')",
        [],
    )
    .expect("insert");
    drop(c);
    assert_broken_at(&db, last + 1);

    let (_dir, db) = imported();
    let last = count(&db, "SELECT max(id) FROM audit");
    let c = conn(&db);
    c.execute(
        "INSERT INTO audit (at, login, action, outcome, prev_hash, hash)
         SELECT '2026-11-26T12:00:00Z', 'alice', 'case.update', 'done', hash, printf('%064d', 1)
         FROM audit WHERE id = ?1",
        [last],
    )
    .expect("insert");
    drop(c);
    assert_broken_at(&db, last + 1);
}

#[test]
fn an_anchor_is_found_while_rows_keep_being_added() {
    let (_dir, db) = imported();
    let anchor = head(&db);
    let anchored = count(&db, "SELECT max(id) FROM audit");
    bin(&db)
        .args(["decide", "SCH-2026-004503", "postpone", "--reason", "IRM"])
        .assert()
        .success();
    assert!(count(&db, "SELECT max(id) FROM audit") > anchored);
    let (ok, out, err) = verify(&db, None, &["--anchor", &anchor.to_uppercase()]);
    assert!(ok, "{err}");
    assert!(
        out.contains(&format!("; anchor found at row {anchored}")),
        "{out}"
    );
    assert_ne!(head(&db), anchor);
}

#[test]
fn an_unknown_anchor_is_an_error() {
    let (_dir, db) = imported();
    let (ok, _, err) = verify(&db, None, &["--anchor", &"ab".repeat(32)]);
    assert!(!ok);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("anchor not found"), "{err}");
    // Not a hash at all: a usage error.
    let (ok, _, err) = verify(&db, None, &["--anchor", "deadbeef"]);
    assert!(!ok);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("64 hexadecimal digits"), "{err}");
}

#[test]
fn an_anchor_before_a_rewrite_is_not_found() {
    let (_dir, db) = imported();
    let anchor = head(&db);
    // Someone rewrites history: recomputing every hash from an edited row
    // (here: the chain emptied and rebuilt as a new file would be) leaves
    // no row with the anchored hash.
    let c = conn(&db);
    drop_triggers(&c);
    c.execute("DELETE FROM audit", []).expect("delete");
    restore_triggers(&c);
    drop(c);
    // The next write starts a fresh chain, intact on its own, but the live
    // rows name audit rows that are gone (issue 12)…
    bin(&db)
        .args(["decide", "SCH-2026-004503", "postpone", "--reason", "IRM"])
        .assert()
        .success();
    let (ok, _, err) = verify(&db, None, &[]);
    assert!(!ok);
    assert_eq!(
        err.trim_end(),
        "ir-committee: error: live rows do not match the audit trail: table meta, row 1: no audit row wrote it: it was written behind the app's back, or the audit rows that wrote it were deleted"
    );
    // …and the anchor taken in the minutes is gone.
    let (ok, _, err) = verify(&db, None, &["--anchor", &anchor]);
    assert!(!ok);
    assert!(err.contains("anchor not found"), "{err}");
}

/// A key file in `dir`.
fn key_file(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).expect("key file");
    p
}

#[test]
fn a_keyed_chain_verifies_with_its_key_only() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("keyed.sqlite");
    let key = key_file(dir.path(), "audit.key", &format!("{}\n", "5a".repeat(32)));
    let other = key_file(dir.path(), "other.key", &"c3".repeat(32));
    bin(&db)
        .env(KEY_ENV, &key)
        .args(["init", "--demo", "--timezone", "Europe/Paris"])
        .assert()
        .success();
    bin(&db)
        .env(KEY_ENV, &key)
        .arg("import")
        .arg(fixture())
        .assert()
        .success();
    // Sealed beside the key (as root does at deployment).
    bin(&db)
        .env(KEY_ENV, &key)
        .args(["audit", "seal-key"])
        .assert()
        .success();
    // meta says the chain is keyed, from its first row; the key is nowhere.
    let c = conn(&db);
    let from: String = c
        .query_row(
            "SELECT value FROM meta WHERE key = 'audit_hmac_from'",
            [],
            |r| r.get(0),
        )
        .expect("keyed");
    assert_eq!(from, "1");
    let key_in_file: i64 = c
        .query_row(
            "SELECT count(*) FROM meta WHERE value LIKE '%5a5a5a%'",
            [],
            |r| r.get(0),
        )
        .expect("meta");
    assert_eq!(key_in_file, 0);
    drop(c);

    let (ok, out, err) = verify(&db, Some(&key), &[]);
    assert!(ok, "{err}");
    assert!(out.contains("\naudit trail intact: "), "{out}");

    let (ok, _, err) = verify(&db, None, &[]);
    assert!(!ok);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("audit trail is keyed"), "{err}");

    let (ok, _, err) = verify(&db, Some(&other), &[]);
    assert!(!ok);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("not the one"), "{err}");

    // Writing without the key (or with another) is refused too: an
    // unkeyed row would weaken the chain.
    let out = bin(&db)
        .env_remove(KEY_ENV)
        .args(["decide", "SCH-2026-004503", "postpone", "--reason", "IRM"])
        .assert()
        .failure()
        .get_output()
        .clone();
    let err = String::from_utf8(out.stderr).expect("utf-8");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("audit trail is keyed"), "{err}");
    bin(&db)
        .env(KEY_ENV, &key)
        .args(["decide", "SCH-2026-004503", "postpone", "--reason", "IRM"])
        .assert()
        .success();
    let (ok, _, err) = verify(&db, Some(&key), &[]);
    assert!(ok, "{err}");
}

#[test]
fn a_keyed_chain_cannot_be_rewritten_without_the_key() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("keyed.sqlite");
    let key = key_file(dir.path(), "audit.key", &"5a".repeat(32));
    bin(&db)
        .env(KEY_ENV, &key)
        .args(["init", "--demo", "--timezone", "Europe/Paris"])
        .assert()
        .success();
    // Someone without the key removes the marker and the key check: the
    // rows' HMACs no longer match plain SHA-256.
    let c = conn(&db);
    c.execute("DELETE FROM meta WHERE key LIKE 'audit_hmac%'", [])
        .expect("meta");
    drop(c);
    assert_broken_at(&db, 1);
}

#[test]
fn a_bad_key_file_is_one_clear_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("c.sqlite");
    let short = key_file(dir.path(), "short.key", "secret\n");
    for (key, says) in [
        (dir.path().join("absent.key"), "no such file"),
        (short, "fewer than 32 bytes"),
        (dir.path().to_owned(), "it is a folder"),
    ] {
        let out = bin(&db)
            .env(KEY_ENV, &key)
            .args(["init", "--demo", "--timezone", "Europe/Paris"])
            .assert()
            .failure()
            .get_output()
            .clone();
        let err = String::from_utf8(out.stderr).expect("utf-8");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains("audit key file"), "{err}");
        assert!(err.contains(says), "{err}");
        assert!(!db.exists() || std::fs::metadata(&db).map(|m| m.len()).unwrap_or(0) == 0);
    }
}

/// A file as version 2 of the program wrote it, with a few audit rows.
fn version_2_file(path: &Path) {
    let c = conn(path);
    c.execute_batch(migrate::SCHEMA).expect("schema");
    c.execute_batch(migrate::MIGRATIONS[0])
        .expect("migration 2");
    c.pragma_update(
        None,
        "application_id",
        ir_committee::storage::APPLICATION_ID,
    )
    .expect("application id");
    // A demo file: the tests write to it under `--today` (issue 12, point 4).
    c.execute_batch(
        "INSERT INTO meta (key, value) VALUES ('timezone', 'Europe/Paris'), ('demo', '1');
         INSERT INTO audit (at, login, action, new_value) VALUES
           ('2026-11-01T08:00:00Z', 'alice', 'schema.create', '1'),
           ('2026-11-01T08:00:00Z', 'alice', 'schema.migrate', '2'),
           ('2026-11-02T09:00:00Z', 'alice', 'import', 'import:week.json: 34 created'),
           ('2026-11-03T10:00:00Z', 'bob', 'note.add', 'Vu avec l''anesthésiste');",
    )
    .expect("rows");
    c.pragma_update(None, "user_version", 2).expect("version 2");
}

#[test]
fn a_version_2_file_gets_its_hashes_and_verifies() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("v2.sqlite");
    version_2_file(&db);
    let (ok, out, err) = verify(&db, None, &[]);
    assert!(ok, "{err}");
    let rows = count(&db, "SELECT count(*) FROM audit");
    assert!(rows > 4, "the migrations are audited: {rows}");
    assert!(
        out.contains(&format!("\naudit trail intact: {rows} rows, head ")),
        "{out}"
    );
    assert_eq!(
        count(&db, "SELECT count(*) FROM audit WHERE hash IS NULL"),
        0
    );
    assert_eq!(
        count(&db, "PRAGMA user_version"),
        migrate::LATEST,
        "migrated"
    );
    // The old rows are as they were, now chained.
    let note: (String, String) = conn(&db)
        .query_row("SELECT login, new_value FROM audit WHERE id = 4", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .expect("row 4");
    assert_eq!(note, ("bob".into(), "Vu avec l'anesthésiste".into()));
    let c = conn(&db);
    drop_triggers(&c);
    c.execute("UPDATE audit SET login = 'carol' WHERE id = 4", [])
        .expect("edit");
    drop(c);
    assert_broken_at(&db, 4);
}

#[test]
fn a_version_2_file_migrated_with_a_key_is_keyed_from_its_first_row() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("v2.sqlite");
    let key = key_file(dir.path(), "audit.key", &"7e".repeat(32));
    version_2_file(&db);
    bin(&db)
        .env(KEY_ENV, &key)
        .args(["audit", "seal-key"])
        .assert()
        .success();
    let (ok, _, err) = verify(&db, Some(&key), &[]);
    assert!(ok, "{err}");
    let (ok, _, err) = verify(&db, None, &[]);
    assert!(!ok);
    assert!(err.contains("keyed"), "{err}");
}

/// `audit` with `args`: its output lines.
fn listing(db: &Path, args: &[&str]) -> Vec<String> {
    common::lines_of(bin(db).arg("audit").args(args).output().expect("runs"))
}

#[test]
fn the_listing_filters_by_case_and_day() {
    let (_dir, db) = imported();
    // Two days later, from an SSH session, a decision on one case.
    let mut later = assert_cmd::Command::cargo_bin("ir-committee").expect("binary");
    later
        .args(["--db"])
        .arg(&db)
        .args(["--today", "2026-11-28", "--lang", "en"])
        .args(["decide", "SCH-2026-004503", "postpone", "--reason", "IRM"])
        .env("SSH_CONNECTION", "192.0.2.7 52144 10.0.0.1 22")
        .env_remove("IR_COMMITTEE_DB")
        .assert()
        .success();

    let all = listing(&db, &[]);
    assert_eq!(
        i64::try_from(all.len()).expect("count"),
        count(&db, "SELECT count(*) FROM audit")
    );
    let case = listing(&db, &["--case", "SCH-2026-004503"]);
    assert!(case.len() >= 3, "{case:?}");
    assert!(case.len() < all.len());
    assert!(
        case.iter().all(|l| l.contains("SCH-2026-004503")),
        "{case:?}"
    );

    let since = listing(&db, &["--since", "2026-11-28"]);
    assert_eq!(since.len(), 1, "{since:?}");
    let line = &since[0];
    // Local time (Paris: noon UTC is 13:00), login, role, origin, action, case, old → new.
    assert!(line.starts_with("2026-11-28 13:00:00  "), "{line}");
    assert!(line.contains("  chair  192.0.2.7:52144  decision.postponed  SCH-2026-004503  "));
    assert!(line.contains(" → "), "{line}");
    assert_eq!(listing(&db, &["--since", TODAY]).len(), all.len());
    assert!(listing(&db, &["--since", "2026-11-29"]).is_empty());
    assert_eq!(
        listing(&db, &["--case", "SCH-2026-004503", "--since", "2026-11-28"]).len(),
        1
    );

    // Unknown case: one line, failure.
    bin(&db)
        .args(["audit", "--case", "SCH-0000"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("not found"));
    // Options of the listing do not go with --verify.
    bin(&db)
        .args(["audit", "--verify", "--case", "SCH-2026-004503"])
        .assert()
        .failure()
        .code(2);
}

#[test]
fn the_json_listing_carries_the_chain() {
    let (_dir, db) = imported();
    let out = bin(&db)
        .args(["audit", "--format", "json", "--case", "SCH-2026-004503"])
        .output()
        .expect("runs");
    assert!(out.status.success());
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let rows = rows.as_array().expect("array");
    assert!(!rows.is_empty());
    for r in rows {
        assert_eq!(r["case_external_id"], "SCH-2026-004503");
        assert!(r["patient_id"].is_i64(), "{r}");
        assert_eq!(r["hash"].as_str().map(str::len), Some(64));
        assert_eq!(r["prev_hash"].as_str().map(str::len), Some(64));
    }
}

#[test]
fn text_in_the_listing_is_one_line_per_row() {
    let (_dir, db) = imported();
    bin(&db)
        .args([
            "decide",
            "SCH-2026-004503",
            "postpone",
            "--reason",
            "IRM\nmanquante\u{1b}[2J",
        ])
        .assert()
        .success();
    let rows = count(&db, "SELECT count(*) FROM audit");
    let lines = listing(&db, &[]);
    assert_eq!(i64::try_from(lines.len()).expect("count"), rows);
    assert!(lines.iter().all(|l| !l.contains('\u{1b}')));
}

#[test]
fn audit_has_help() {
    let mut c = assert_cmd::Command::cargo_bin("ir-committee").expect("binary");
    c.args(["audit", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("--verify").and(predicate::str::contains("--anchor")));
}
