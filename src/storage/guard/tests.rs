//! Refused writes wait for no lock and hold none (issue 12, point 5).

use std::time::{Duration, Instant};

use rusqlite::Connection;

use super::*;
use crate::storage::{Init, identity, needs};

use crate::testkit::clock;

/// A file whose only user is `boss`: the caller is not a user of it.
fn file_of_boss() -> (tempfile::TempDir, Db) {
    let dir = tempfile::tempdir().expect("temp dir");
    let init = Init {
        timezone: chrono_tz::Europe::Paris,
        // Written under a fixed clock: a demo file (point 4).
        demo: true,
        admin: Some("boss".into()),
        name: None,
    };
    let db = Db::create(&dir.path().join("g.sqlite"), clock(), &init).expect("create");
    (dir, db)
}

fn refused_rows(db: &Db, action: &str) -> Vec<audit::AuditRow> {
    audit::list(db, None)
        .expect("audit")
        .into_iter()
        .filter(|r| r.outcome == "refused" && r.action == action)
        .collect()
}

/// Another connection holding the write lock (a write in progress, or a
/// process stopped in the middle of one).
fn hold_lock(db: &Db) -> Connection {
    let other = Connection::open(db.path()).expect("open");
    other.execute_batch("BEGIN IMMEDIATE").expect("lock");
    other
}

fn add_user(db: &mut Db) -> Result<()> {
    db.write_as(&needs::user_add(), |w| {
        users::add(w, "mallory2", "M", Role::Chair)
    })
}

#[test]
fn a_refused_write_waits_for_no_lock_and_is_audited_once_a_minute() {
    let (_dir, mut db) = file_of_boss();
    assert!(
        users::role_of(db.conn(), &identity::login())
            .expect("role")
            .is_none()
    );
    let holder = hold_lock(&db);
    // The first refusal of the minute would like its audit row: it waits
    // REFUSAL_WAIT at most, not the busy timeout, and is counted instead.
    let t = Instant::now();
    let refused = add_user(&mut db);
    assert!(
        matches!(refused, Err(StorageError::Forbidden { .. })),
        "{refused:?}"
    );
    let waited = t.elapsed();
    assert!(waited < REFUSAL_WAIT + Duration::from_secs(2), "{waited:?}");
    holder.execute_batch("ROLLBACK").expect("release");
    // Lock free: the audit row is written.
    assert!(add_user(&mut db).is_err());
    assert_eq!(refused_rows(&db, "user.add").len(), 1);
    // Lock held again: every further refusal this minute returns at once
    // (it does not even try the lock) and the holder keeps it.
    holder.execute_batch("BEGIN IMMEDIATE").expect("lock again");
    for _ in 0..98 {
        let t = Instant::now();
        assert!(add_user(&mut db).is_err());
        assert!(t.elapsed() < REFUSAL_WAIT, "{:?}", t.elapsed());
    }
    holder
        .execute("INSERT INTO meta (key, value) VALUES ('held', 'yes')", [])
        .expect("the holder still writes");
    holder.execute_batch("COMMIT").expect("commit");
    let rows = refused_rows(&db, "user.add");
    assert_eq!(rows.len(), 1, "one audit row a minute");
    // 1 counted while busy + 98 after the row.
    assert_eq!(rows[0].further_refusals, Some(99));
    assert!(
        rows[0]
            .line(chrono_tz::Europe::Paris)
            .contains("user.add (refused; 99 more that minute)"),
        "{}",
        rows[0].line(chrono_tz::Europe::Paris)
    );
    // Another action has its own row.
    assert!(
        db.write_as(&needs::decide(1), |_| Ok::<_, StorageError>(()))
            .is_err()
    );
    assert_eq!(refused_rows(&db, "decide").len(), 1);
    assert_eq!(refused_rows(&db, "decide")[0].further_refusals, None);
}

#[test]
fn a_refusal_inside_the_transaction_is_rate_limited_too() {
    let (_dir, mut db) = file_of_boss();
    // A plain write (no pre-check): the closure's own check refuses.
    for _ in 0..5 {
        let r = db.write(|w| users::add(w, "x", "X", Role::Viewer));
        assert!(matches!(r, Err(StorageError::Forbidden { .. })));
    }
    let rows = refused_rows(&db, "user.add");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].further_refusals, Some(4));
}

#[test]
fn the_minutes_refusal_and_the_export_rows_are_found_by_their_indexes() {
    let (_dir, db) = file_of_boss();
    for (sql, index) in [
        (
            "SELECT 1 FROM audit WHERE outcome = 'refused' AND login = 'x' AND action = 'y'
               AND at >= '2026-11-26T12:00' AND at < '2026-11-26T12:00;'
               AND ifnull(role, '') = '' LIMIT 1",
            "audit_refused",
        ),
        (
            "SELECT id, at, login, action, new_value FROM audit
             WHERE action IN ('export.start', 'export', 'export.failed') ORDER BY id",
            "audit_exports",
        ),
    ] {
        let plan: Vec<String> = db
            .conn()
            .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .expect("explain")
            .query_map([], |r| r.get::<_, String>(3))
            .expect("plan")
            .collect::<std::result::Result<_, _>>()
            .expect("rows");
        let plan = plan.join(" | ");
        assert!(plan.contains(index), "{plan}");
    }
}
