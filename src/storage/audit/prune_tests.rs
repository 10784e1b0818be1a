//! Pruning the read trace: who, how far, the checkpoint, and what
//! `audit --verify` catches after it.

use super::prune::{self, Checkpoint, META_PRUNED_THROUGH};
use super::reads::{self, What};
use super::*;
use crate::domain::clock::Clock;
use crate::domain::roles::Role;
use crate::storage::{Init, identity};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

/// A file in a temporary folder, created on 2026-01-10.
fn file() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("p.sqlite");
    let init = Init {
        timezone: chrono_tz::Europe::Paris,
        demo: true,
        admin: None,
        name: None,
    };
    Db::create(&path, Clock::Fixed(day(2026, 1, 10)), &init).expect("create");
    (dir, path)
}

fn open(path: &std::path::Path, today: NaiveDate) -> Db {
    Db::open(path, Clock::Fixed(today)).expect("open")
}

/// `n` read rows written on `today` (noon UTC), one per subject.
fn reads_on(path: &std::path::Path, today: NaiveDate, n: usize) {
    let db = open(path, today);
    for i in 0..n {
        reads::trace(&db, What::Week, Some(&format!("{today} #{i}")), &[]).expect("trace");
    }
}

/// This process's login gets `role` (None: removed); a chair stays.
fn set_role(path: &std::path::Path, role: Option<Role>) {
    let conn = Connection::open(path).expect("open");
    let me = identity::login();
    conn.execute(
        "INSERT INTO users (login, name, role, created_at) VALUES ('boss', 'Boss', 'chair', 'x')
         ON CONFLICT(login) DO NOTHING",
        [],
    )
    .expect("a chair");
    match role {
        Some(r) => conn.execute(
            "UPDATE users SET role = ?2 WHERE login = ?1",
            [me, r.as_str().to_owned()],
        ),
        None => conn.execute("DELETE FROM users WHERE login = ?1", [me]),
    }
    .expect("role");
}

fn ids(db: &Db) -> Vec<i64> {
    reads::list_reads(db, None)
        .expect("reads")
        .iter()
        .map(|r| r.id)
        .collect()
}

fn intact(db: &Db) -> (u64, String) {
    assert!(
        matches!(verify(db, None).expect("verify"), Verdict::Intact { .. }),
        "the trail verifies"
    );
    match reads::verify_trace(db).expect("verify reads") {
        Verdict::Intact { rows, head, .. } => (rows, head),
        other => panic!("the read trace should verify: {other:?}"),
    }
}

fn broken(db: &Db) -> (i64, String) {
    match reads::verify_trace(db).expect("verify reads") {
        Verdict::Broken { id, reason } => (id, reason),
        other => panic!("the read trace should be broken: {other:?}"),
    }
}

/// Three rows on 2026-01-10, two on 2026-03-02; the auditor prunes on
/// 2026-09-15 (latest date allowed: 2026-03-15).
fn pruned_file() -> (tempfile::TempDir, std::path::PathBuf, Checkpoint) {
    let (dir, path) = file();
    reads_on(&path, day(2026, 1, 10), 3);
    reads_on(&path, day(2026, 3, 2), 2);
    set_role(&path, Some(Role::Auditor));
    let mut db = open(&path, day(2026, 9, 15));
    let p = prune::prune_reads(
        &mut db,
        day(2026, 2, 1),
        crate::deploy::DEFAULT_READ_RETENTION_MONTHS,
    )
    .expect("pruned");
    let removed = p.removed.expect("rows removed");
    (dir, path, removed.checkpoint)
}

#[test]
fn the_auditor_prunes_the_old_rows_behind_a_checkpoint_and_both_chains_verify() {
    let (_dir, path) = file();
    reads_on(&path, day(2026, 1, 10), 3);
    reads_on(&path, day(2026, 3, 2), 2);
    set_role(&path, Some(Role::Auditor));
    let mut db = open(&path, day(2026, 9, 15));
    let hash_of_3: String = db
        .conn()
        .query_row("SELECT hash FROM reads WHERE id = 3", [], |r| r.get(0))
        .expect("row 3");
    let before = audit_rows(&db);
    let p = prune::prune_reads(
        &mut db,
        day(2026, 2, 1),
        crate::deploy::DEFAULT_READ_RETENTION_MONTHS,
    )
    .expect("pruned");
    assert_eq!(p.cutoff, "2026-01-31T23:00:00Z", "the hospital's midnight");
    assert_eq!(p.kept_older, 0);
    let removed = p.removed.expect("rows removed");
    assert_eq!((removed.count, removed.first), (3, 1));
    assert_eq!(
        removed.checkpoint,
        Checkpoint {
            through: 3,
            hash: hash_of_3.clone()
        }
    );
    assert_eq!(ids(&db), [4, 5]);
    assert_eq!(
        db.meta(META_PRUNED_THROUGH).expect("meta"),
        Some("3".into())
    );
    // The seal, in the pruning's own transaction, then the row that claims
    // the checkpoint it wrote to `meta` after it (issue 12).
    let rows = list(&db, None).expect("audit");
    assert_eq!(rows.len(), before + 2);
    let seal = &rows[rows.len() - 2];
    assert_eq!(
        rows.last().map(|r| r.action.as_str()),
        Some(crate::storage::audit::live::CLAIM_ACTION)
    );
    assert_eq!(
        (seal.action.as_str(), seal.outcome.as_str()),
        ("reads.prune", "done")
    );
    assert_eq!(seal.role.as_deref(), Some("auditor"));
    assert_eq!(
        seal.new_value.as_deref(),
        Some(
            format!("before=2026-02-01 count=3 first=1 last=3 hash={hash_of_3} cutoff=2026-01-31T23:00:00Z")
                .as_str()
        )
    );
    assert_eq!(intact(&db).0, 2);
    // The chain goes on after the pruning.
    reads::trace(&db, What::Week, Some("after"), &[]).expect("trace");
    assert_eq!(ids(&db), [4, 5, 6]);
    assert_eq!(intact(&db).0, 3);
    assert_eq!(prune::pruned_through(&db).expect("meta"), Some(3));
}

fn audit_rows(db: &Db) -> usize {
    list(db, None).expect("audit").len()
}

#[test]
fn a_second_pruning_raises_the_checkpoint_and_an_emptied_trace_goes_on_from_it() {
    let (_dir, path, first) = pruned_file();
    let mut db = open(&path, day(2026, 12, 1));
    let p = prune::prune_reads(
        &mut db,
        day(2026, 4, 1),
        crate::deploy::DEFAULT_READ_RETENTION_MONTHS,
    )
    .expect("pruned");
    let removed = p.removed.expect("rows removed");
    assert_eq!(
        (removed.count, removed.first, removed.checkpoint.through),
        (2, 4, 5)
    );
    let seal = list(&db, None)
        .expect("audit")
        .into_iter()
        .rfind(|r| r.action == "reads.prune")
        .expect("row");
    assert_eq!(
        seal.old_value.as_deref(),
        Some(format!("last={}", first.through).as_str())
    );
    assert!(ids(&db).is_empty());
    // Every row gone: the chain's head is the checkpoint.
    assert_eq!(intact(&db), (0, removed.checkpoint.hash.clone()));
    // A new row takes the next id and chains from the checkpoint.
    reads::trace(&db, What::Week, Some("later"), &[]).expect("trace");
    let row = reads::list_reads(&db, None).expect("reads").remove(0);
    assert_eq!((row.id, row.prev_hash), (6, removed.checkpoint.hash));
    assert_eq!(intact(&db).0, 1);
    // Nothing left before the date: nothing written.
    let before = audit_rows(&db);
    let p = prune::prune_reads(
        &mut db,
        day(2026, 4, 1),
        crate::deploy::DEFAULT_READ_RETENTION_MONTHS,
    )
    .expect("nothing to do");
    assert_eq!(p.removed, None);
    assert_eq!(audit_rows(&db), before);
    assert_eq!(
        db.meta(META_PRUNED_THROUGH).expect("meta"),
        Some("5".into())
    );
}

#[test]
fn an_old_row_after_a_newer_one_is_kept_the_trace_is_pruned_from_its_start() {
    let (_dir, path) = file();
    reads_on(&path, day(2026, 1, 10), 2);
    reads_on(&path, day(2026, 3, 2), 1);
    // A clock set back: an old row after a newer one.
    reads_on(&path, day(2026, 1, 11), 1);
    set_role(&path, Some(Role::Auditor));
    let mut db = open(&path, day(2026, 9, 15));
    let p = prune::prune_reads(
        &mut db,
        day(2026, 2, 1),
        crate::deploy::DEFAULT_READ_RETENTION_MONTHS,
    )
    .expect("pruned");
    assert_eq!(p.removed.map(|r| r.count), Some(2));
    assert_eq!(p.kept_older, 1);
    assert_eq!(ids(&db), [3, 4]);
    intact(&db);
}

#[test]
fn the_retention_period_bounds_the_date_at_its_edge() {
    // (today, months, latest date allowed)
    let cases = [
        (day(2026, 9, 15), 6, day(2026, 3, 15)),
        (day(2026, 8, 31), 6, day(2026, 2, 28)),
        (day(2028, 8, 31), 6, day(2028, 2, 29)),
        (day(2026, 9, 15), 1, day(2026, 8, 15)),
        (day(2026, 9, 15), 120, day(2016, 9, 15)),
    ];
    for (today, months, latest) in cases {
        assert_eq!(
            prune::latest_allowed(today, months),
            Some(latest),
            "{today} {months}"
        );
    }
    let (_dir, path) = file();
    reads_on(&path, day(2026, 1, 10), 2);
    set_role(&path, Some(Role::Auditor));
    let mut db = open(&path, day(2026, 7, 10));
    let before = audit_rows(&db);
    // One day too recent: refused, nothing deleted, nothing written.
    match prune::prune_reads(
        &mut db,
        day(2026, 1, 11),
        crate::deploy::DEFAULT_READ_RETENTION_MONTHS,
    ) {
        Err(StorageError::Retention {
            before,
            latest,
            months,
        }) => assert_eq!(
            (before, latest, months),
            (day(2026, 1, 11), day(2026, 1, 10), 6)
        ),
        other => panic!("{other:?}"),
    }
    assert_eq!(ids(&db), [1, 2]);
    assert_eq!(audit_rows(&db), before);
    // A longer retention refuses what 6 months allow.
    assert!(matches!(
        prune::prune_reads(&mut db, day(2026, 1, 10), 12),
        Err(StorageError::Retention { months: 12, .. })
    ));
    // The latest date allowed: rows of the day before it only (none here,
    // the rows are of that very day).
    let p = prune::prune_reads(
        &mut db,
        day(2026, 1, 10),
        crate::deploy::DEFAULT_READ_RETENTION_MONTHS,
    )
    .expect("allowed");
    assert_eq!(p.removed, None);
    assert_eq!(ids(&db), [1, 2]);
}

#[test]
fn every_other_role_and_an_unknown_login_are_refused_and_nothing_is_deleted() {
    let roles = Role::ALL
        .into_iter()
        .filter(|r| *r != Role::Auditor)
        .map(Some)
        .chain([None]);
    for role in roles {
        let (_dir, path) = file();
        reads_on(&path, day(2026, 1, 10), 2);
        set_role(&path, role);
        let mut db = open(&path, day(2026, 9, 15));
        let err = prune::prune_reads(
            &mut db,
            day(2026, 2, 1),
            crate::deploy::DEFAULT_READ_RETENTION_MONTHS,
        )
        .expect_err("refused");
        assert!(
            err.to_string().contains("may not prune reads"),
            "{role:?}: {err}"
        );
        assert_eq!(ids(&db), [1, 2], "{role:?}");
        assert_eq!(db.meta(META_PRUNED_THROUGH).expect("meta"), None);
        let last = list(&db, None).expect("audit").pop().expect("row");
        assert_eq!(
            (last.action.as_str(), last.outcome.as_str()),
            ("reads.prune", "refused"),
            "{role:?}: the refusal is audited"
        );
        // The feed's service account verifies nothing (it reads no list).
        if role.is_some_and(|r| r != Role::Feed) {
            intact(&db);
        }
    }
}

#[test]
fn raw_sql_deletes_only_at_or_below_the_checkpoint_and_never_updates() {
    let (_dir, path) = file();
    reads_on(&path, day(2026, 1, 10), 2);
    let conn = Connection::open(&path).expect("open");
    let refused = |sql: &str| {
        let e = conn.execute(sql, []).expect_err(sql);
        assert!(e.to_string().contains("read trace"), "{sql}: {e}");
    };
    // Never pruned: no row may go.
    refused("DELETE FROM reads WHERE id = 1");
    drop(conn);
    let (_dir, path, cp) = pruned_file();
    let conn = Connection::open(&path).expect("open");
    let refused = |sql: &str| {
        let e = conn.execute(sql, []).expect_err(sql);
        assert!(e.to_string().contains("read trace"), "{sql}: {e}");
    };
    refused(&format!("DELETE FROM reads WHERE id = {}", cp.through + 1));
    refused("DELETE FROM reads");
    refused("UPDATE reads SET login = 'someone'");
    // The checkpoint: never lowered, removed, replaced or raised by hand.
    refused("UPDATE meta SET value = '2' WHERE key = 'reads_pruned_through'");
    refused("UPDATE meta SET value = '4' WHERE key = 'reads_pruned_through'");
    refused("UPDATE meta SET value = '4x' WHERE key = 'reads_pruned_through'");
    refused("DELETE FROM meta WHERE key = 'reads_pruned_through'");
    refused("INSERT OR REPLACE INTO meta (key, value) VALUES ('reads_pruned_through', '9')");
    refused("UPDATE meta SET key = 'x' WHERE key = 'reads_pruned_through'");
    drop(conn);
    let db = open(&path, day(2026, 9, 15));
    assert_eq!(ids(&db), [4, 5]);
    intact(&db);
}

/// Runs raw SQL on the file, its checkpoint triggers dropped first (what
/// someone with write access to the file could do).
fn tamper(path: &std::path::Path, sql: &str) {
    let conn = Connection::open(path).expect("open");
    conn.execute_batch(
        "DROP TRIGGER reads_checkpoint_insert; DROP TRIGGER reads_checkpoint_update;
         DROP TRIGGER reads_checkpoint_delete;",
    )
    .expect("drop");
    conn.execute_batch(sql).expect("tamper");
}

#[test]
fn a_checkpoint_changed_in_meta_is_caught_by_verify() {
    for (sql, needle) in [
        (
            "UPDATE meta SET value = '4' WHERE key = 'reads_pruned_through'",
            "meta says it was pruned through row 4, but the audit trail's latest pruning",
        ),
        (
            "UPDATE meta SET value = '2' WHERE key = 'reads_pruned_through'",
            "meta says it was pruned through row 2",
        ),
        (
            "DELETE FROM meta WHERE key = 'reads_pruned_through'",
            "meta records no checkpoint",
        ),
        (
            "UPDATE meta SET value = 'three' WHERE key = 'reads_pruned_through'",
            "is not a row id",
        ),
    ] {
        let (_dir, path, _) = pruned_file();
        tamper(&path, sql);
        let db = open(&path, day(2026, 9, 15));
        let (_, reason) = broken(&db);
        assert!(reason.contains(needle), "{sql}: {reason}");
    }
}

#[test]
fn rows_deleted_behind_a_checkpoint_raised_without_a_trail_row_are_caught() {
    let (_dir, path, cp) = pruned_file();
    // Raising the checkpoint by hand is refused by the triggers …
    let conn = Connection::open(&path).expect("open");
    assert!(
        conn.execute(
            "UPDATE meta SET value = '4' WHERE key = 'reads_pruned_through'",
            []
        )
        .is_err()
    );
    drop(conn);
    // … and, past them, caught: the trail still says row 3.
    tamper(
        &path,
        "UPDATE meta SET value = '4' WHERE key = 'reads_pruned_through';
         DELETE FROM reads WHERE id = 4;",
    );
    let db = open(&path, day(2026, 9, 15));
    let (id, reason) = broken(&db);
    assert_eq!(id, cp.through);
    assert!(
        reason.contains("the audit trail's latest pruning"),
        "{reason}"
    );
    // A file never pruned, its first rows deleted behind a forged checkpoint.
    let (_dir, path) = file();
    reads_on(&path, day(2026, 1, 10), 3);
    tamper(
        &path,
        "INSERT INTO meta (key, value) VALUES ('reads_pruned_through', '1');
         DELETE FROM reads WHERE id = 1;",
    );
    let db = open(&path, day(2026, 9, 15));
    let (_, reason) = broken(&db);
    assert!(
        reason.contains("the audit trail records no pruning"),
        "{reason}"
    );
}

#[test]
fn a_row_after_the_checkpoint_deleted_or_one_below_it_put_back_is_caught() {
    let (_dir, path, cp) = pruned_file();
    let conn = Connection::open(&path).expect("open");
    conn.execute_batch("DROP TRIGGER reads_no_delete; DELETE FROM reads WHERE id = 4;")
        .expect("delete");
    drop(conn);
    let db = open(&path, day(2026, 9, 15));
    let (id, reason) = broken(&db);
    assert_eq!(id, 5);
    assert!(reason.contains("pruning checkpoint (row 3"), "{reason}");
    // A pruned row put back (a partial pruning).
    let (_dir, path, _) = pruned_file();
    let conn = Connection::open(&path).expect("open");
    conn.execute(
        "INSERT INTO reads (id, at, login, action, prev_hash, hash)
         VALUES (?1, '2026-01-10T12:00:00Z', 'x', 'week', ?2, ?2)",
        rusqlite::params![cp.through, GENESIS],
    )
    .expect("put back");
    drop(conn);
    let db = open(&path, day(2026, 9, 15));
    let (id, reason) = broken(&db);
    assert_eq!(id, cp.through);
    assert!(
        reason.contains("at or below the pruning checkpoint"),
        "{reason}"
    );
}

#[test]
fn a_broken_trace_is_not_pruned() {
    let (_dir, path) = file();
    reads_on(&path, day(2026, 1, 10), 3);
    let conn = Connection::open(&path).expect("open");
    conn.execute_batch(
        "DROP TRIGGER reads_no_update; UPDATE reads SET login = 'forged' WHERE id = 2;",
    )
    .expect("forge");
    // Put back as the code writes it (else every write, this pruning
    // included, is refused for the missing trigger).
    conn.execute_batch(super::guard::create_sql("reads_no_update").expect("sql"))
        .expect("restore");
    drop(conn);
    set_role(&path, Some(Role::Auditor));
    let mut db = open(&path, day(2026, 9, 15));
    let err = prune::prune_reads(
        &mut db,
        day(2026, 2, 1),
        crate::deploy::DEFAULT_READ_RETENTION_MONTHS,
    )
    .expect_err("refused");
    assert!(
        matches!(
            &err,
            StorageError::ChainBroken {
                chain: "read trace",
                id: 2,
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(ids(&db), [1, 2, 3]);
}

/// Every `audit --verify` looks for the last pruning: through its index,
/// never by reading the whole trail (migration 17).
#[test]
fn the_last_pruning_is_found_through_its_index() {
    assert!(prune::LAST_PRUNE.contains(&format!("action = '{}'", prune::ACTION)));
    let (_dir, path) = file();
    let db = open(&path, day(2026, 1, 10));
    let plan: String = db
        .conn()
        .query_row(
            &format!("EXPLAIN QUERY PLAN {}", prune::LAST_PRUNE),
            [],
            |r| r.get(3),
        )
        .expect("plan");
    assert!(plan.contains("USING INDEX audit_prunes"), "{plan}");
}
