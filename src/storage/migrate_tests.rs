//! The migrations: a file of each older version is brought to the latest
//! once, audited, its rows claimed.

use super::*;
use crate::storage::{Db, audit, read};
use crate::testkit::clock;

/// A file as version 1 of the program wrote it: `schema.sql` only, with
/// one postponed case (and its decision) and one validated case.
fn version_1_file(path: &Path) {
    let conn = Connection::open(path).expect("open");
    conn.execute_batch(SCHEMA).expect("schema");
    conn.pragma_update(None, "application_id", APPLICATION_ID)
        .expect("application id");
    conn.execute_batch(
        "INSERT INTO meta (key, value) VALUES ('timezone', 'Europe/Paris'), ('demo', '0');
         INSERT INTO patients (id, ipp, last_name, first_name, birth_date, sex, search_key)
           VALUES (1, '100', 'Dupont', 'Hélène', '1950-01-01', 'F', 'dupont helene 100');
         INSERT INTO cases (id, external_id, patient_id, scheduled_at, room, operator,
           techniques, target, anaesthesia, status, source, created_at, updated_at)
         VALUES
           (1, 'A', 1, '2026-12-01T09:00', 'S1', 'Dr X', '[\"vertebroplasty\"]', 'L2',
            'general', 'postponed', 'test', '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z'),
           (2, 'B', 1, '2026-12-02T09:00', 'S1', 'Dr X', '[\"vertebroplasty\"]', 'L3',
            'general', 'validated', 'test', '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z');
         INSERT INTO decisions (case_id, at, by_login, decision, reason, to_week) VALUES
           (1, '2026-11-20T10:00:00Z', 'alice', 'postponed', 'IRM', '2026-W50'),
           (2, '2026-11-20T10:00:00Z', 'alice', 'validated', NULL, NULL);",
    )
    .expect("rows");
    conn.pragma_update(None, "user_version", 1)
        .expect("version 1");
}

#[test]
fn a_version_1_file_is_migrated_once_and_audited() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("v1.sqlite");
    version_1_file(&path);
    let db = Db::open(&path, clock()).expect("open and migrate");
    let version: i64 = db
        .conn()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .expect("version");
    assert_eq!(version, LATEST);
    let migrations = |db: &Db| -> Vec<Option<String>> {
        audit::list(db, None)
            .expect("audit")
            .into_iter()
            .filter(|r| r.action == "schema.migrate")
            .map(|r| r.new_value)
            .collect()
    };
    let every: Vec<Option<String>> = (2..=LATEST).map(|v| Some(v.to_string())).collect();
    assert_eq!(migrations(&db), every);
    // The postponed case got its target week; the others none.
    let a = read::by_external_id(&db, "A").expect("case A");
    assert_eq!(a.postponed_to.as_deref(), Some("2026-W50"));
    assert_eq!(a.decisions.len(), 1);
    let b = read::by_external_id(&db, "B").expect("case B");
    assert_eq!(b.postponed_to, None);
    let listed = read::to_reschedule(&db, "2026-W50".parse().expect("week")).expect("list");
    assert_eq!(listed.len(), 1);
    let drafts: i64 = db
        .conn()
        .query_row("SELECT count(*) FROM drafts", [], |r| r.get(0))
        .expect("drafts table");
    assert_eq!(drafts, 0);
    let audit_rows = audit::list(&db, None).expect("audit").len();
    drop(db);
    // Opening again migrates nothing and writes nothing.
    let db = Db::open(&path, clock()).expect("open again");
    assert_eq!(migrations(&db), every);
    assert_eq!(audit::list(&db, None).expect("audit").len(), audit_rows);
}

#[test]
fn drafts_kept_before_migration_5_survive_the_table_rebuild() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("v4.sqlite");
    version_1_file(&path);
    {
        // Bring it to version 4 by hand, with a draft in it.
        let conn = Connection::open(&path).expect("open");
        for m in &MIGRATIONS[..3] {
            conn.execute_batch(m).expect("migration");
        }
        // Migration 4's Rust step made the trail append-only.
        conn.execute_batch(AUDIT_APPEND_ONLY).expect("triggers");
        conn.execute_batch(
            "INSERT INTO drafts (login, case_id, kind, body, extra, updated_at)
             VALUES ('alice', 1, 'postpone', 'wait for the MRI', '2026-W51', '2026-11-20T10:00:00Z');",
        )
        .expect("draft");
        conn.pragma_update(None, "user_version", 4)
            .expect("version 4");
    }
    let db = Db::open(&path, clock()).expect("open and migrate");
    let row: (String, i64, String, String, Option<String>) = db
        .conn()
        .query_row(
            "SELECT login, case_id, kind, body, extra FROM drafts",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .expect("the draft is still there");
    assert_eq!(
        row,
        (
            "alice".into(),
            1,
            "postpone".into(),
            "wait for the MRI".into(),
            Some("2026-W51".into())
        )
    );
    let fk: String = db
        .conn()
        .query_row(
            "SELECT \"table\" || ':' || on_delete FROM pragma_foreign_key_list('drafts')",
            [],
            |r| r.get(0),
        )
        .expect("a foreign key");
    assert_eq!(fk, "cases:CASCADE");
    let index: i64 = db
        .conn()
        .query_row(
            "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name = 'drafts_by_case'",
            [],
            |r| r.get(0),
        )
        .expect("index");
    assert_eq!(index, 1);
    let broken: i64 = db
        .conn()
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .expect("check");
    assert_eq!(broken, 0);
    // The new kinds are accepted.
    db.conn()
        .execute(
            "INSERT INTO drafts (login, case_id, kind, body, updated_at)
             VALUES ('alice', 1, 'form.coagulation', '{}', 'x')",
            [],
        )
        .expect("a form draft");
}

#[test]
fn a_new_file_is_created_at_version_1_then_migrated() {
    let db = Db::open_in_memory(clock()).expect("db");
    let actions: Vec<(String, Option<String>)> = audit::list(&db, None)
        .expect("audit")
        .into_iter()
        .map(|r| (r.action, r.new_value))
        .collect();
    // Created at version 1, then each migration in turn; then its first
    // user, the chair.
    let mut expected = vec![("schema.create".to_owned(), Some("1".to_owned()))];
    for v in 2..=LATEST {
        // Migration 14's step claims the rows already there (rules, meta);
        // migration 20's, the rules rows it wrote; migration 33's, the
        // protocol's version in meta.
        if v == LIVE_CLAIMS_VERSION || v == QUORUM_VERSION || v == PROTOCOL_VERSION {
            expected.push((
                audit::live::BASELINE_ACTION.to_owned(),
                Some("1 of 1".to_owned()),
            ));
        }
        expected.push(("schema.migrate".to_owned(), Some(v.to_string())));
    }
    let login = crate::storage::identity::login();
    expected.push((
        "user.add".to_owned(),
        Some(format!("{login} ({login}): chair")),
    ));
    assert_eq!(actions, expected);
    let has_column: bool = db
        .conn()
        .query_row(
            "SELECT EXISTS (SELECT 1 FROM pragma_table_info('cases') WHERE name = 'postponed_to')",
            [],
            |r| r.get(0),
        )
        .expect("table info");
    assert!(has_column);
}

#[test]
fn migration_9_gives_an_older_file_the_access_and_the_risk_rows() {
    const NEW_RULES: &str = "('technique.risk_per_case', 'technique.arterial_access',
        'coagulation.inr_max_arterial')";
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("v1.sqlite");
    version_1_file(&path);
    {
        // Its schema.sql did not seed them yet.
        let conn = Connection::open(&path).expect("open");
        conn.execute(&format!("DELETE FROM rules WHERE rule IN {NEW_RULES}"), [])
            .expect("as before");
    }
    let db = Db::open(&path, clock()).expect("open and migrate");
    let rows = |rules: &crate::domain::rules::RuleSet| -> Vec<_> {
        rules
            .rows()
            .iter()
            .filter(|r| NEW_RULES.contains(&format!("'{}'", r.rule)))
            .cloned()
            .collect()
    };
    let migrated = rows(&db.rules().expect("rules"));
    assert_eq!(migrated.len(), 4);
    assert_eq!(migrated, rows(&crate::storage::rules::seeded()));
    // A new file has them once (schema.sql, then the migration's INSERT OR IGNORE).
    let fresh = Db::open_in_memory(clock()).expect("db");
    assert_eq!(rows(&fresh.rules().expect("rules")), migrated);
    // The access column, with its vocabulary.
    let case = read::by_external_id(&db, "A").expect("case A");
    assert_eq!(case.file.procedure.access, None);
    let bad = db.conn().execute(
        "UPDATE cases SET access = 'carotid' WHERE external_id = 'A'",
        [],
    );
    assert!(bad.is_err());
}

#[test]
fn postponed_to_holds_iso_weeks_only() {
    let db = Db::open_in_memory(clock()).expect("db");
    let bad = db.conn().execute_batch(
        "INSERT INTO patients (id, ipp, last_name, first_name, birth_date, sex, search_key)
           VALUES (1, '100', 'D', 'H', '1950-01-01', 'F', 'd h 100');
         INSERT INTO cases (external_id, patient_id, scheduled_at, room, operator,
           techniques, target, anaesthesia, status, source, created_at, updated_at,
           postponed_to)
         VALUES ('A', 1, '2026-12-01T09:00', 'S1', 'X', '[]', 'L2', 'general', 'postponed',
           't', 'x', 'x', 'next week');",
    );
    assert!(bad.is_err());
}
