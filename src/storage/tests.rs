//! Storage behaviour: connection settings, schema version, audit rows in the
//! write's own transaction, the week's query plan.

use super::*;
use crate::domain::week::Week;

use crate::testkit::clock;

fn file_db() -> (tempfile::TempDir, Db) {
    let dir = tempfile::tempdir().expect("temp dir");
    let init = Init {
        admin: None,
        name: None,
        timezone: chrono_tz::Europe::Paris,
        demo: true,
    };
    let db = Db::create(&dir.path().join("t.sqlite"), clock(), &init).expect("create");
    (dir, db)
}

fn pragma(db: &Db, name: &str) -> String {
    db.conn()
        .query_row(&format!("PRAGMA {name}"), [], |r| {
            r.get::<_, rusqlite::types::Value>(0)
        })
        .map(|v| match v {
            rusqlite::types::Value::Integer(i) => i.to_string(),
            rusqlite::types::Value::Text(t) => t,
            other => format!("{other:?}"),
        })
        .expect("pragma")
}

#[test]
fn every_connection_is_set_up_for_shared_use() {
    let (_dir, db) = file_db();
    assert_eq!(pragma(&db, "journal_mode"), "wal");
    assert_eq!(pragma(&db, "synchronous"), "2"); // FULL
    assert_eq!(pragma(&db, "foreign_keys"), "1");
    assert_eq!(pragma(&db, "trusted_schema"), "0");
    assert_eq!(
        pragma(&db, "busy_timeout"),
        BUSY_TIMEOUT.as_millis().to_string()
    );
    assert_eq!(pragma(&db, "user_version"), migrate::LATEST.to_string());
    assert_eq!(pragma(&db, "application_id"), APPLICATION_ID.to_string());
    assert_eq!(db.timezone().expect("zone"), chrono_tz::Europe::Paris);
}

#[test]
fn a_failed_write_leaves_no_row_and_no_audit() {
    let (_dir, mut db) = file_db();
    let audit_rows = |db: &Db| audit::list(db, None).expect("audit").len();
    let before = audit_rows(&db);
    let r: Result<(), StorageError> = db.write(|w| {
        w.set_meta("k", "v")?;
        Err(StorageError::Corrupt("abandon".into()))
    });
    assert!(r.is_err());
    assert_eq!(db.meta("k").expect("meta"), None);
    assert_eq!(audit_rows(&db), before);
    db.write(|w| w.set_meta("k", "v")).expect("write");
    assert_eq!(db.meta("k").expect("meta").as_deref(), Some("v"));
    assert_eq!(audit_rows(&db), before + 1);
}

#[test]
fn the_week_query_is_an_index_range_scan() {
    let (_dir, db) = file_db();
    for sql in [
        "SELECT * FROM cases c JOIN patients p ON p.id = c.patient_id
         WHERE c.scheduled_at >= '2026-11-30' AND c.scheduled_at < '2026-12-07'",
        "SELECT e.case_id, e.kind, e.data FROM cases c JOIN evidence e ON e.case_id = c.id
         WHERE c.scheduled_at >= '2026-11-30' AND c.scheduled_at < '2026-12-07'",
    ] {
        let plan: Vec<String> = db
            .conn()
            .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .expect("explain")
            .query_map([], |r| r.get::<_, String>(3))
            .expect("plan")
            .collect::<Result<_, _>>()
            .expect("rows");
        let plan = plan.join(" | ");
        assert!(
            plan.contains("SEARCH c USING") && plan.contains("INDEX cases_by_time"),
            "{plan}"
        );
        assert!(!plan.contains("SCAN c"), "{plan}");
    }
}

#[test]
fn import_writes_one_audit_row_per_change_with_the_real_login() {
    let (_dir, mut db) = file_db();
    let cases = crate::testkit::fixture_cases();
    crate::import::save_all(&mut db, &cases, "test", crate::import::Absent::Clears).expect("save");
    let rows = audit::list(&db, None).expect("audit");
    let creates = rows.iter().filter(|r| r.action == "case.create").count();
    assert_eq!(creates, cases.len());
    assert!(rows.iter().all(|r| r.login == identity::login()));
    assert!(rows.iter().any(|r| r.action == "import"));
    // Evidence rows carry old → new.
    let first = &cases[0];
    let stored = read::by_external_id(&db, &first.external_id).expect("case");
    assert_eq!(stored.file.consultation, first.consultation);
    let case_rows = audit::list(&db, Some(stored.id)).expect("audit");
    assert!(case_rows.iter().any(|r| r.action == "evidence.consultation"
        && r.old_value.is_none()
        && r.new_value.is_some()));
}

#[test]
fn stored_cases_read_back_as_imported() {
    let (_dir, mut db) = file_db();
    let week: Week = "2026-W49".parse().expect("week");
    let cases = crate::demo::fixture_cases(week).expect("fixture");
    crate::import::save_all(&mut db, &cases, "test", crate::import::Absent::Clears).expect("save");
    let stored = read::week(&db, week).expect("week");
    assert_eq!(stored.len(), cases.len());
    for c in &cases {
        let s = stored
            .iter()
            .find(|s| s.file.external_id == c.external_id)
            .expect("stored");
        let mut expected = c.clone();
        expected.notes = None; // notes are stored as notes, not on the case
        // Stored, each biology and coagulation value names its own date.
        expected.biology = expected.biology.map(|b| b.canonical().expect("canonical"));
        expected.coagulation = expected
            .coagulation
            .map(|c| c.canonical().expect("canonical"));
        assert_eq!(s.file, expected);
        assert_eq!(s.version, 1);
    }
}

#[test]
fn a_read_only_connection_reads_and_never_migrates() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("ro.sqlite");
    let init = Init {
        admin: None,
        name: None,
        timezone: chrono_tz::Europe::Paris,
        demo: true,
    };
    let mut db = Db::create(&path, clock(), &init).expect("create");
    let cases = crate::testkit::fixture_cases();
    crate::import::save_all(&mut db, &cases, "test", crate::import::Absent::Clears).expect("save");
    drop(db);
    let ro = Db::open_read_only(&path, clock()).expect("read-only open");
    let week = read::week(&ro, "2026-W49".parse().expect("week")).expect("week");
    assert_eq!(week.len(), cases.len());
    drop(ro);
    {
        let conn = rusqlite::Connection::open(&path).expect("open");
        conn.pragma_update(None, "user_version", 0)
            .expect("pretend an older file");
    }
    assert!(matches!(
        Db::open_read_only(&path, clock()),
        Err(StorageError::Empty(_) | StorageError::NeedsUpgrade { .. })
    ));
}
