//! What an insider with the sqlite3 shell does to the trail (issue 12):
//! strip the key and recompute the chains with plain SHA-256 (point 1),
//! drop or replace the append-only triggers (point 3). Each test names
//! what `audit --verify` or a refused write must say.
//!
//! The files are written without `--today` (the system clock): nothing
//! here depends on a date.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use ir_committee::storage::audit::{forge, guard};

const KEY_ENV: &str = "IR_COMMITTEE_AUDIT_KEY_FILE";

/// The real binary on `db`, English messages, the audit key `key` (none:
/// no key), nothing else from the environment the tests run in.
fn app(db: &Path, key: Option<&Path>) -> Command {
    let mut cmd = Command::cargo_bin("ir-committee").expect("binary built");
    cmd.arg("--db").arg(db).arg("--lang").arg("en");
    for var in [
        "IR_COMMITTEE_DB",
        "IR_COMMITTEE_PSEUDONYM_KEY_FILE",
        "SSH_CONNECTION",
        KEY_ENV,
    ] {
        cmd.env_remove(var);
    }
    if let Some(k) = key {
        cmd.env(KEY_ENV, k);
    }
    cmd
}

/// Runs `args`: success, stdout, stderr.
fn run(db: &Path, key: Option<&Path>, args: &[&str]) -> (bool, String, String) {
    let out = app(db, key).args(args).output().expect("runs");
    (
        out.status.success(),
        String::from_utf8(out.stdout).expect("utf-8"),
        String::from_utf8(out.stderr).expect("utf-8"),
    )
}

/// Runs `args`, which must succeed: stdout.
fn ok(db: &Path, key: Option<&Path>, args: &[&str]) -> String {
    let (ok, out, err) = run(db, key, args);
    assert!(ok, "{args:?}: {err}");
    out
}

/// Runs `args`, which must fail with one line: that line.
fn refused(db: &Path, key: Option<&Path>, args: &[&str]) -> String {
    let (ok, out, err) = run(db, key, args);
    assert!(!ok, "{args:?} succeeded: {out}");
    assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: {err}");
    err
}

fn conn(db: &Path) -> rusqlite::Connection {
    rusqlite::Connection::open(db).expect("open")
}

fn count(db: &Path, sql: &str) -> i64 {
    conn(db).query_row(sql, [], |r| r.get(0)).expect("count")
}

fn key_file(dir: &Path, name: &str, byte: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, format!("{}\n", byte.repeat(32))).expect("key file");
    p
}

/// A committee file: created (with `key` if given), two users added, one
/// consultation traced (`check`).
fn committee(dir: &Path, name: &str, key: Option<&Path>) -> PathBuf {
    let db = dir.join(name);
    ok(&db, key, &["init", "--timezone", "Europe/Paris"]);
    ok(
        &db,
        key,
        &[
            "users",
            "add",
            "alice",
            "--role",
            "secretary",
            "--name",
            "Alice",
        ],
    );
    ok(
        &db,
        key,
        &[
            "users", "add", "bruno", "--role", "viewer", "--name", "Bruno",
        ],
    );
    ok(&db, key, &["check", "--format", "json"]);
    db
}

/// Every append-only trigger dropped, `sql` run, the triggers put back
/// exactly as the program creates them: what an insider who knows the
/// schema does, so that only the chains can tell.
fn behind_the_back(db: &Path, sql: &str, rehash: bool) {
    let c = conn(db);
    for (name, _) in guard::expected() {
        c.execute_batch(&format!("DROP TRIGGER {name}"))
            .expect("drop");
    }
    c.execute_batch(sql).expect("tamper");
    if rehash {
        forge::rehash_trail_plain(&c).expect("rehash the trail");
        forge::rehash_reads_plain(&c).expect("rehash the trace");
    }
    for (_, create) in guard::expected() {
        c.execute_batch(create).expect("restore");
    }
}

#[test]
fn a_keyed_chain_stripped_of_its_key_and_recomputed_in_plain_sha256_fails_verify() {
    let dir = tempfile::tempdir().expect("temp dir");
    let key = key_file(dir.path(), "audit.key", "5a");
    let db = committee(dir.path(), "c.sqlite", Some(&key));
    ok(&db, Some(&key), &["audit", "seal-key"]);
    assert!(ok(&db, Some(&key), &["audit", "--verify"]).contains("\naudit trail intact: "));
    // Edit a row, recompute both chains with plain SHA-256 (the README's
    // encoding), put the triggers back; then delete the meta rows that say
    // the chain is keyed, with a plain audit row that claims the deletion
    // (else the cross-check of the live rows would catch it).
    behind_the_back(
        &db,
        "UPDATE audit SET new_value = replace(new_value, 'viewer', 'chair')
           WHERE action = 'user.add' AND new_value LIKE 'bruno%';",
        true,
    );
    forge::by_hand(
        &db,
        None,
        "DELETE FROM meta WHERE key IN ('audit_hmac_check', 'audit_hmac_from', 'reads_hmac_from');",
    )
    .expect("meta stripped");
    // As the file alone sees it, the rewrite is perfect …
    let (plain, out, err) = run(&db, None, &["audit", "--verify"]);
    assert!(
        plain,
        "the forged chain is consistent without the key: {err}"
    );
    assert!(out.contains("\naudit trail intact: "), "{out}");
    // … but the seal beside the key says the trail was keyed, from its
    // first row, with a hash nobody without the key can make.
    let err = refused(&db, Some(&key), &["audit", "--verify"]);
    assert!(
        err.contains("none of the 1 seals in")
            && err.contains("its keyed rows were rewritten behind the app's back"),
        "{err}"
    );
}

#[test]
fn a_keyed_file_without_its_seal_fails_verify_until_sealed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let key = key_file(dir.path(), "audit.key", "5a");
    let db = committee(dir.path(), "c.sqlite", Some(&key));
    let err = refused(&db, Some(&key), &["audit", "--verify"]);
    assert!(
        err.contains("the audit trail is keyed but not sealed")
            && err.contains("run `ir-committee audit seal-key`"),
        "{err}"
    );
    let rows = count(&db, "SELECT count(*) FROM audit");
    let said = ok(&db, Some(&key), &["audit", "seal-key"]);
    assert!(
        said.starts_with("sealed in ") && said.contains("audit trail keyed from row 1 (hash "),
        "{said}"
    );
    // Audited, the seal file beside the key, no write bit but the owner's.
    assert_eq!(count(&db, "SELECT count(*) FROM audit"), rows + 1);
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM audit WHERE action = 'audit.seal' AND outcome = 'done'"
        ),
        1
    );
    let seal = dir.path().join("audit.key.seal");
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&seal).expect("seal").permissions().mode();
    assert_eq!(mode & 0o022, 0, "{mode:o}");
    let text = std::fs::read_to_string(&seal).expect("seal");
    assert_eq!(
        text.lines().filter(|l| l.starts_with("seal@1 ")).count(),
        1,
        "{text}"
    );
    ok(&db, Some(&key), &["audit", "--verify"]);
    // Sealing again changes nothing in the file.
    let again = ok(&db, Some(&key), &["audit", "seal-key"]);
    assert!(again.starts_with("already sealed in "), "{again}");
    assert_eq!(std::fs::read_to_string(&seal).expect("seal"), text);
    ok(&db, Some(&key), &["audit", "--verify"]);
    // The seal gone (or made writable by others): refused again.
    std::fs::set_permissions(&seal, std::fs::Permissions::from_mode(0o666)).expect("chmod");
    let err = refused(&db, Some(&key), &["audit", "--verify"]);
    assert!(err.contains("writable by its group or others"), "{err}");
    std::fs::remove_file(&seal).expect("rm");
    let err = refused(&db, Some(&key), &["audit", "--verify"]);
    assert!(err.contains("keyed but not sealed"), "{err}");
}

#[test]
fn the_read_trace_stripped_of_its_key_fails_verify() {
    let dir = tempfile::tempdir().expect("temp dir");
    let key = key_file(dir.path(), "audit.key", "5a");
    let db = committee(dir.path(), "c.sqlite", Some(&key));
    ok(&db, Some(&key), &["audit", "seal-key"]);
    let c = conn(&db);
    c.execute_batch("DROP TRIGGER reads_no_update; DROP TRIGGER reads_no_delete;")
        .expect("drop");
    c.execute("DELETE FROM meta WHERE key = 'reads_hmac_from'", [])
        .expect("meta");
    c.execute("UPDATE reads SET subject = 'nothing'", [])
        .expect("edit");
    forge::rehash_reads_plain(&c).expect("rehash");
    for name in ["reads_no_update", "reads_no_delete"] {
        c.execute_batch(guard::create_sql(name).expect("sql"))
            .expect("restore");
    }
    drop(c);
    let err = refused(&db, Some(&key), &["audit", "--verify"]);
    assert!(
        err.contains("read trace broken at row 1: read trace: its content does not match its hash"),
        "{err}"
    );
}

#[test]
fn meta_disagreeing_with_the_seal_fails_verify() {
    let dir = tempfile::tempdir().expect("temp dir");
    let key = key_file(dir.path(), "audit.key", "5a");
    let db = committee(dir.path(), "c.sqlite", Some(&key));
    ok(&db, Some(&key), &["audit", "seal-key"]);
    conn(&db)
        .execute(
            "UPDATE meta SET value = '3' WHERE key = 'audit_hmac_from'",
            [],
        )
        .expect("meta");
    let err = refused(&db, Some(&key), &["audit", "--verify"]);
    assert!(
        err.contains("audit trail broken at row 1: meta says '3' for 'audit_hmac_from' but the seal beside the key says the chain is keyed from row 1"),
        "{err}"
    );
}

#[test]
fn seal_key_needs_a_key_and_the_right_to_write_beside_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = committee(dir.path(), "c.sqlite", None);
    let rows = count(&db, "SELECT count(*) FROM audit");
    let err = refused(&db, None, &["audit", "seal-key"]);
    assert!(err.contains("no audit key is configured"), "{err}");
    assert_eq!(count(&db, "SELECT count(*) FROM audit"), rows);
    if nix::unistd::Uid::effective().is_root() {
        return; // root writes in a read-only folder
    }
    use std::os::unix::fs::PermissionsExt;
    let keys = dir.path().join("keys");
    std::fs::create_dir(&keys).expect("mkdir");
    let key = key_file(&keys, "audit.key", "7e");
    std::fs::set_permissions(&keys, std::fs::Permissions::from_mode(0o555)).expect("chmod");
    let err = refused(&db, Some(&key), &["audit", "seal-key"]);
    std::fs::set_permissions(&keys, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    assert!(
        err.contains("cannot write beside the key: permission denied"),
        "{err}"
    );
    // Refused before the database was touched: the chain is not keyed.
    assert_eq!(count(&db, "SELECT count(*) FROM audit"), rows);
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM meta WHERE key LIKE 'audit_hmac%'"
        ),
        0
    );
}

#[test]
fn one_key_seals_several_databases_one_line_each() {
    let dir = tempfile::tempdir().expect("temp dir");
    let key = key_file(dir.path(), "audit.key", "5a");
    let a = committee(dir.path(), "a.sqlite", Some(&key));
    // b was made without a key: keyed from its first row written with it,
    // which `seal-key` writes.
    let b = committee(dir.path(), "b.sqlite", None);
    let said = ok(&a, Some(&key), &["audit", "seal-key"]);
    assert!(said.contains("; 1 database sealed there"), "{said}");
    let said = ok(&b, Some(&key), &["audit", "seal-key"]);
    let b_first = count(&b, "SELECT max(id) FROM audit");
    assert!(
        said.contains(&format!("audit trail keyed from row {b_first} (hash "))
            && said.contains("; 2 databases sealed there"),
        "{said}"
    );
    ok(&a, Some(&key), &["audit", "--verify"]);
    ok(&b, Some(&key), &["audit", "--verify"]);
    // b's rows from before the key are plain; rewriting b with plain
    // SHA-256 is still caught (its sealed row loses its hash), a untouched.
    behind_the_back(
        &b,
        "DELETE FROM meta WHERE key IN ('audit_hmac_check', 'audit_hmac_from', 'reads_hmac_from');",
        true,
    );
    let err = refused(&b, Some(&key), &["audit", "--verify"]);
    assert!(err.contains("none of the 2 seals in"), "{err}");
    ok(&a, Some(&key), &["audit", "--verify"]);
}

#[test]
fn a_dropped_trigger_refuses_every_write_and_fails_verify_naming_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = committee(dir.path(), "c.sqlite", None);
    let rows = count(&db, "SELECT count(*) FROM audit");
    conn(&db)
        .execute_batch("DROP TRIGGER audit_no_delete")
        .expect("drop");
    let write = [
        "users", "add", "carol", "--role", "viewer", "--name", "Carol",
    ];
    let err = refused(&db, None, &write);
    assert!(
        err.contains("the append-only trigger audit_no_delete is missing: every write is refused"),
        "{err}"
    );
    assert_eq!(count(&db, "SELECT count(*) FROM audit"), rows);
    // Reads go on.
    ok(&db, None, &["check", "--format", "json"]);
    let err = refused(&db, None, &["audit", "--verify"]);
    assert!(
        err.contains("the append-only trigger audit_no_delete is missing: the chains verify"),
        "{err}"
    );
    // Put back with another body: caught as well.
    conn(&db)
        .execute_batch("CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT 1; END;")
        .expect("replace");
    let err = refused(&db, None, &write);
    assert!(
        err.contains(
            "the append-only trigger audit_no_delete differs from the one ir-committee creates"
        ),
        "{err}"
    );
    let err = refused(&db, None, &["audit", "--verify"]);
    assert!(err.contains("audit_no_delete differs"), "{err}");
    // The read trace's triggers are checked too.
    let c = conn(&db);
    c.execute_batch("DROP TRIGGER audit_no_delete")
        .expect("drop");
    c.execute_batch(guard::create_sql("audit_no_delete").expect("sql"))
        .expect("restore");
    c.execute_batch("DROP TRIGGER reads_checkpoint_delete")
        .expect("drop");
    drop(c);
    let err = refused(&db, None, &write);
    assert!(
        err.contains("the append-only trigger reads_checkpoint_delete is missing"),
        "{err}"
    );
    // Restored exactly: writes and verify work again.
    conn(&db)
        .execute_batch(guard::create_sql("reads_checkpoint_delete").expect("sql"))
        .expect("restore");
    ok(&db, None, &write);
    let (ok, out, err) = run(&db, None, &["audit", "--verify"]);
    assert!(ok, "{err}");
    assert!(out.contains("\naudit trail intact: "), "{out}");
    // Without a key, verify says the chains are unkeyed.
    assert!(
        err.contains("the chains are unkeyed")
            && err.contains("whoever can write the file can recompute every hash"),
        "{err}"
    );
}

#[test]
fn a_trigger_dropped_with_a_row_edited_names_both() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = committee(dir.path(), "c.sqlite", None);
    conn(&db)
        .execute_batch(
            "DROP TRIGGER audit_no_update;
             UPDATE audit SET login = 'someone' WHERE id = 2;",
        )
        .expect("tamper");
    let err = refused(&db, None, &["audit", "--verify"]);
    assert!(
        err.contains("audit trail broken at row 2: its content does not match its hash")
            && err.contains("; also the append-only trigger audit_no_update is missing"),
        "{err}"
    );
}

#[test]
fn demo_seals_its_own_file_when_a_key_is_set() {
    let dir = tempfile::tempdir().expect("temp dir");
    let key = key_file(dir.path(), "audit.key", "3c");
    let db = dir.path().join("demo.sqlite");
    ok(&db, Some(&key), &["demo"]);
    let seal = std::fs::read_to_string(dir.path().join("audit.key.seal")).expect("sealed");
    assert!(seal.contains("\nseal@1 audit=1:"), "{seal}");
    let out = ok(&db, Some(&key), &["audit", "--verify"]);
    assert!(out.contains("\naudit trail intact: "), "{out}");
}
