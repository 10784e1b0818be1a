//! Editing the rules table: a chair only, audited, and a change made from an
//! older read of a row is refused naming who changed it and when.

use super::rules::{Change, set, set_technique_risk};
use super::*;
use crate::domain::vocab::{BleedingRisk, Technique};

use crate::testkit::clock;

/// A new in-memory database: the caller is its chair.
fn db() -> Db {
    Db::open_in_memory(clock()).expect("in-memory database")
}

/// The caller made `role` (another user stays chair).
fn demote(db: &mut Db, role: Role) {
    let login = identity::login();
    db.write(|w| {
        w.tx().execute(
            "INSERT INTO users (login, name, role, created_at) VALUES ('boss', 'Boss', 'chair', 'x')",
            [],
        )?;
        w.tx().execute(
            "UPDATE users SET role = ?2 WHERE login = ?1",
            [login.as_str(), role.as_str()],
        )?;
        Ok::<_, StorageError>(())
    })
    .expect("set role");
}

/// Runs raw SQL, as someone editing the file by hand (not audited).
fn sql(db: &mut Db, edit: &str) {
    db.write(|w| w.tx().execute_batch(edit).map_err(StorageError::from))
        .expect("edit applies");
}

fn row(db: &Db, rule: &str, subject: &str) -> crate::domain::rules::RuleRow {
    db.rules()
        .expect("rules load")
        .rows()
        .iter()
        .find(|r| r.rule == rule && r.subject == subject)
        .cloned()
        .expect("row")
}

fn max_age(value: f64, expected_version: Option<i64>) -> Change {
    Change {
        rule: "imaging.max_age".into(),
        subject: "*".into(),
        risk: "*".into(),
        value: Some(value),
        severity: None,
        expected_version,
    }
}

fn audit_rows(db: &Db, action: &str) -> Vec<audit::AuditRow> {
    audit::list(db, None)
        .expect("audit")
        .into_iter()
        .filter(|r| r.action == action)
        .collect()
}

fn risk_of(db: &Db, t: Technique) -> BleedingRisk {
    db.rules().expect("rules load").technique_risk(t)
}

#[test]
fn a_set_with_the_version_read_succeeds_and_raises_it() {
    let mut db = db();
    let before = row(&db, "imaging.max_age", "*");
    assert_eq!(before.version, 1);
    db.write(|w| set(w, &max_age(60.0, Some(before.version))))
        .expect("set");
    let after = row(&db, "imaging.max_age", "*");
    assert_eq!((after.value, after.version), (Some(60.0), 2));
    // A caller that reads and writes in one transaction skips the check.
    db.write(|w| set(w, &max_age(30.0, None))).expect("set");
    assert_eq!(row(&db, "imaging.max_age", "*").version, 3);
}

#[test]
fn a_set_from_a_stale_read_is_refused_naming_who_and_when_and_writes_nothing() {
    let mut db = db();
    db.write(|w| set(w, &max_age(60.0, Some(1)))).expect("set");
    let last = audit_rows(&db, "rules.set").pop().expect("audited");
    let audited = audit::list(&db, None).expect("audit").len();
    let err = db
        .write(|w| set(w, &max_age(30.0, Some(1))))
        .expect_err("stale");
    match &err {
        StorageError::RuleConflict {
            row,
            expected,
            found,
            by,
            at,
        } => {
            assert_eq!(
                (row.rule.as_str(), row.subject.as_str(), row.risk),
                ("imaging.max_age", "*", None)
            );
            assert_eq!((*expected, *found), (1, 2));
            assert_eq!(by.as_deref(), Some(identity::login().as_str()));
            assert_eq!(at.as_deref(), Some(last.at.as_str()));
        }
        other => panic!("expected a rule conflict, got {other:?}"),
    }
    let msg = err.to_string();
    assert!(!msg.contains('\n'), "{msg}");
    assert!(
        msg.starts_with(&format!(
            "the rule imaging: validity · all was changed by {} at {}",
            identity::login(),
            last.at
        )),
        "{msg}"
    );
    let now = row(&db, "imaging.max_age", "*");
    assert_eq!((now.value, now.version), (Some(60.0), 2));
    assert_eq!(audit::list(&db, None).expect("audit").len(), audited);
}

#[test]
fn a_conflict_without_an_audited_change_names_someone_at_an_unknown_time() {
    let mut db = db();
    sql(
        &mut db,
        "UPDATE rules SET version = 7 WHERE rule = 'imaging.max_age'",
    );
    let err = db
        .write(|w| set(w, &max_age(30.0, Some(1))))
        .expect_err("stale");
    let (en, fr) = (
        err.to_string(),
        crate::text::Localized::in_lang(&err, crate::text::Lang::Fr),
    );
    assert!(
        en.starts_with(
            "the rule imaging: validity · all was changed by someone at an unknown time since it was read (version 7, expected 1)"
        ),
        "{en}"
    );
    assert!(
        fr.starts_with(
            "la règle imagerie\u{a0}: validité · tous a été modifiée par quelqu'un à une date inconnue depuis sa lecture"
        ),
        "{fr}"
    );
}

#[test]
fn a_technique_risk_change_is_read_back_versioned_and_audited() {
    let mut db = db();
    let t = Technique::Vertebroplasty;
    assert_eq!(risk_of(&db, t), BleedingRisk::High);
    let version = row(&db, "technique.bleeding_risk", "vertebroplasty").version;
    db.write(|w| set_technique_risk(w, t, BleedingRisk::Low, Some(version)))
        .expect("set risk");
    assert_eq!(risk_of(&db, t), BleedingRisk::Low);
    let after = row(&db, "technique.bleeding_risk", "vertebroplasty");
    assert_eq!(
        (after.risk, after.version),
        (Some(BleedingRisk::Low), version + 1)
    );
    // Only that technique changed.
    assert_eq!(risk_of(&db, Technique::Kyphoplasty), BleedingRisk::High);
    let audited = audit_rows(&db, "rules.risk");
    assert_eq!(audited.len(), 1);
    assert_eq!(
        audited[0].old_value.as_deref(),
        Some("technique.bleeding_risk/vertebroplasty = high")
    );
    assert_eq!(
        audited[0].new_value.as_deref(),
        Some("technique.bleeding_risk/vertebroplasty = low")
    );
    assert_eq!(audited[0].outcome, "done");
}

#[test]
fn an_unchanged_technique_risk_writes_nothing() {
    let mut db = db();
    let audited = audit::list(&db, None).expect("audit").len();
    db.write(|w| set_technique_risk(w, Technique::Vertebroplasty, BleedingRisk::High, Some(1)))
        .expect("no-op");
    assert_eq!(audit::list(&db, None).expect("audit").len(), audited);
    assert_eq!(
        row(&db, "technique.bleeding_risk", "vertebroplasty").version,
        1
    );
}

#[test]
fn a_technique_risk_from_a_stale_read_is_refused_naming_who_and_when() {
    let mut db = db();
    let t = Technique::Vertebroplasty;
    db.write(|w| set_technique_risk(w, t, BleedingRisk::Low, None))
        .expect("set risk");
    let last = audit_rows(&db, "rules.risk").pop().expect("audited");
    let err = db
        .write(|w| set_technique_risk(w, t, BleedingRisk::High, Some(1)))
        .expect_err("stale");
    assert!(
        matches!(&err, StorageError::RuleConflict { row, by, at, .. }
            if row.rule == "technique.bleeding_risk" && row.subject == "vertebroplasty" && row.risk.is_none() && by.as_deref() == Some(identity::login().as_str()) && at.as_deref() == Some(last.at.as_str())),
        "{err:?}"
    );
    assert_eq!(risk_of(&db, t), BleedingRisk::Low);
    // The row's other edits find the risk change too (its key changed with it).
    let err = db
        .write(|w| {
            set(
                w,
                &Change {
                    rule: "technique.bleeding_risk".into(),
                    subject: "vertebroplasty".into(),
                    risk: "low".into(),
                    value: None,
                    severity: None,
                    expected_version: Some(1),
                },
            )
        })
        .expect_err("stale");
    assert!(
        matches!(&err, StorageError::RuleConflict { by, at, .. }
            if by.as_deref() == Some(identity::login().as_str()) && at.as_deref() == Some(last.at.as_str())),
        "{err:?}"
    );
}

#[test]
fn a_technique_risk_is_a_chairs_change() {
    let mut db = db();
    demote(&mut db, Role::Radiologist);
    let t = Technique::Vertebroplasty;
    let err = db
        .write(|w| set_technique_risk(w, t, BleedingRisk::Low, None))
        .expect_err("refused");
    assert!(matches!(err, StorageError::Forbidden { .. }), "{err:?}");
    assert!(err.to_string().contains("may not manage rules"), "{err}");
    assert_eq!(risk_of(&db, t), BleedingRisk::High);
    let refused = audit_rows(&db, "rules.risk");
    assert_eq!(refused.len(), 1);
    assert_eq!(refused[0].outcome, "refused");
}

#[test]
fn a_technique_without_its_row_is_refused_with_one_clear_line() {
    let mut db = db();
    sql(
        &mut db,
        "DELETE FROM rules WHERE rule = 'technique.bleeding_risk' AND subject = 'neurolysis'",
    );
    let err = db
        .write(|w| set_technique_risk(w, Technique::Neurolysis, BleedingRisk::Low, None))
        .expect_err("no row");
    assert!(
        matches!(err, StorageError::NoRiskRow(Technique::Neurolysis)),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "the technique neurolysis has no bleeding risk row to change (see `ir-committee rules list`)"
    );
    assert!(audit_rows(&db, "rules.risk").is_empty());
}

/// A file as the program wrote it just before the drug-holds migration
/// (`rules::DRUG_HOLDS`), with its rules edited as a chair might have.
fn before_drug_holds(path: &Path) {
    use super::migrate::{MIGRATIONS, SCHEMA};
    let at = MIGRATIONS
        .iter()
        .position(|m| *m == super::rules::DRUG_HOLDS)
        .expect("the drug-holds migration");
    let conn = Connection::open(path).expect("open");
    conn.execute_batch(SCHEMA).expect("schema");
    conn.pragma_update(None, "application_id", APPLICATION_ID)
        .expect("application id");
    conn.execute_batch(
        "INSERT INTO meta (key, value) VALUES ('timezone', 'Europe/Paris'), ('demo', '0');",
    )
    .expect("meta");
    for m in &MIGRATIONS[..at] {
        conn.execute_batch(m).expect("migration");
    }
    // Migration 4's Rust step made the trail append-only.
    conn.execute_batch(super::migrate::AUDIT_APPEND_ONLY)
        .expect("triggers");
    // The old CHECK refuses the new unit.
    assert!(
        conn.execute_batch(
            "UPDATE rules SET unit = 'day_noon' WHERE rule = 'medication.hold' AND subject = 'apixaban' AND risk = 'high'"
        )
        .is_err()
    );
    conn.execute_batch(
        "UPDATE rules SET value = 36, version = 3 WHERE rule = 'medication.hold' AND subject = 'apixaban' AND risk = 'low';
         UPDATE rules SET severity = 'advisory', version = 2 WHERE rule = 'medication.hold' AND subject = 'edoxaban' AND risk = 'low';
         DELETE FROM rules WHERE rule = 'medication.hold' AND subject = 'dabigatran' AND risk = 'low';
         UPDATE rules SET value = 60, version = 4 WHERE rule = 'imaging.max_age';
         UPDATE rules SET severity = 'none', version = 2 WHERE rule = 'medication.aspirin_advisory' AND subject = 'neurolysis';",
    )
    .expect("a chair's edits");
    let version = i64::try_from(at + 1).expect("small");
    conn.pragma_update(None, "user_version", version)
        .expect("version");
}

/// (value, unit, severity, version) of a rules row, read raw.
fn raw(
    db: &Db,
    rule: &str,
    subject: &str,
    risk: &str,
) -> Option<(Option<f64>, String, String, i64)> {
    use rusqlite::OptionalExtension;
    db.conn()
        .query_row(
            "SELECT value, unit, severity, version FROM rules WHERE rule = ?1 AND subject = ?2 AND risk = ?3",
            [rule, subject, risk],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()
        .expect("query")
}

#[test]
#[rustfmt::skip] // one row per case
fn the_drug_holds_migration_keeps_the_rows_and_rewrites_the_seeded_holds_only() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("before.sqlite");
    before_drug_holds(&path);
    let count = |db: &Db| -> i64 {
        db.conn().query_row("SELECT count(*) FROM rules", [], |r| r.get(0)).expect("count")
    };
    let db = Db::open(&path, clock()).expect("open and migrate");
    let noon = |severity: &str, version| Some((Some(1.0), "day_noon".to_owned(), severity.to_owned(), version));
    let table = [
        // A value the chair changed (36 h) is never loosened behind their back.
        ("medication.hold", "apixaban", "low", Some((Some(36.0), "hours".into(), "blocking".into(), 3))),
        // Still at the seeded 24 h: rewritten, severity kept, version up.
        ("medication.hold", "rivaroxaban", "low", noon("blocking", 2)),
        ("medication.hold", "edoxaban", "low", noon("advisory", 3)),
        // Missing: added.
        ("medication.hold", "dabigatran", "low", noon("blocking", 1)),
        // Everything else as it was.
        ("medication.hold", "apixaban", "high", Some((Some(3.0), "days".into(), "blocking".into(), 1))),
        ("medication.hold", "lmwh_therapeutic", "low", Some((Some(12.0), "hours".into(), "blocking".into(), 1))),
        ("imaging.max_age", "*", "*", Some((Some(60.0), "days".into(), "blocking".into(), 4))),
        // Aspirin: one row at high risk for the drug.
        ("medication.aspirin_advisory", "aspirin", "high", Some((None, "flag".into(), "advisory".into(), 1))),
        ("medication.aspirin_advisory", "neurolysis", "*", None),
        ("medication.aspirin_advisory", "vertebroplasty", "*", None),
    ];
    for (rule, subject, risk, expected) in table {
        assert_eq!(raw(&db, rule, subject, risk), expected, "{rule}/{subject}/{risk}");
    }
    let aspirin: i64 = db.conn()
        .query_row("SELECT count(*) FROM rules WHERE rule = 'medication.aspirin_advisory'", [], |r| r.get(0))
        .expect("count");
    assert_eq!(aspirin, 1);
    let rows = count(&db);
    assert!(db.rules().is_ok(), "every row loads");
    // The key and the new CHECK hold.
    let insert = |unit: &str| db.conn().execute_batch(&format!(
        "INSERT INTO rules (rule, subject, risk, value, unit, severity, source)
         VALUES ('medication.hold', 'warfarin', 'low', 2, '{unit}', 'blocking', 't')"));
    assert!(insert("weeks").is_err());
    assert!(insert("day_noon").is_ok());
    assert!(insert("day_noon").is_err(), "the primary key is kept");
    assert_eq!(count(&db), rows + 1);
    drop(db);
    // Opened again: nothing changes.
    let db = Db::open(&path, clock()).expect("open again");
    assert_eq!(raw(&db, "medication.hold", "rivaroxaban", "low"), noon("blocking", 2));
}

#[test]
fn a_new_file_gets_the_noon_holds_and_one_aspirin_row() {
    let db = db();
    let rules = db.rules().expect("rules");
    for drug in ["apixaban", "rivaroxaban", "edoxaban", "dabigatran"] {
        let row = rules
            .get("medication.hold", drug, BleedingRisk::Low)
            .expect("a low-risk hold");
        assert_eq!(
            (row.value, row.unit),
            (Some(1.0), crate::domain::rules::Unit::DayNoon),
            "{drug}"
        );
    }
    let aspirin: Vec<_> = rules
        .rows()
        .iter()
        .filter(|r| r.rule == "medication.aspirin_advisory")
        .collect();
    assert_eq!(aspirin.len(), 1);
    assert_eq!(
        (aspirin[0].subject.as_str(), aspirin[0].risk),
        ("aspirin", Some(BleedingRisk::High))
    );
    assert!(
        rules
            .get("medication.aspirin_advisory", "aspirin", BleedingRisk::Low)
            .is_none()
    );
}
