//! Schema versions. `schema.sql` is version 1; each later change is one
//! numbered migration below, applied in order and recorded in
//! `PRAGMA user_version`. A file from a newer program is never touched.

use std::path::Path;

use rusqlite::{Connection, TransactionBehavior};

use super::{APPLICATION_ID, Init, Result, StorageError, audit};
use crate::domain::clock::Clock;

/// The schema of a new file.
pub const SCHEMA: &str = include_str!("../../schema.sql");

/// Migrations after `schema.sql`: `MIGRATIONS[0]` takes version 1 to 2, …
/// A new file is created from `schema.sql` (version 1) and then migrated like
/// any other, so that there is one path to each version.
pub const MIGRATIONS: &[&str] = &[
    // 2: the week a postponed case goes to (it is shown at the top of that
    // week "to reschedule"), and the drafts kept when a session drops.
    "ALTER TABLE cases ADD COLUMN postponed_to TEXT
       CHECK (postponed_to GLOB '[0-9][0-9][0-9][0-9]-W[0-9][0-9]');
     -- Set while the case is postponed, else NULL (decided before this version:
     -- the target week of its latest postponement).
     UPDATE cases SET postponed_to = (
         SELECT d.to_week FROM decisions d
         WHERE d.case_id = cases.id AND d.decision = 'postponed'
           AND d.to_week GLOB '[0-9][0-9][0-9][0-9]-W[0-9][0-9]'
         ORDER BY d.id DESC LIMIT 1)
       WHERE status = 'postponed';
     CREATE INDEX cases_by_postponed_to ON cases(postponed_to) WHERE postponed_to IS NOT NULL;
     -- What someone was typing when the session ended (the SSH link dropped):
     -- offered back next time, one per login, case and kind of text.
     CREATE TABLE drafts (
         login      TEXT NOT NULL,
         case_id    INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
         kind       TEXT NOT NULL CHECK (kind IN ('note', 'postpone', 'cancel', 'override')),
         body       TEXT NOT NULL,
         extra      TEXT,
         updated_at TEXT NOT NULL,
         PRIMARY KEY (login, case_id, kind)
     ) STRICT;
     CREATE INDEX drafts_by_case ON drafts(case_id);",
    // 3: the people who may use the file and their roles (issue 4).
    super::users::SCHEMA,
    // 4: a tamper-evident audit trail (issue 4): each row also says in which
    // role, from where (the SSH client) and about which patient, and carries
    // the hash chain. The rows already there get their hashes from the Rust
    // step in `after` (`audit::backfill`), which then adds the triggers that
    // make the table append-only ([`AUDIT_APPEND_ONLY`]: they would refuse
    // the backfill).
    "ALTER TABLE audit ADD COLUMN role TEXT;
     ALTER TABLE audit ADD COLUMN origin TEXT;
     ALTER TABLE audit ADD COLUMN patient_id INTEGER;
     ALTER TABLE audit ADD COLUMN prev_hash TEXT;
     ALTER TABLE audit ADD COLUMN hash TEXT;",
    // 5: drafts of the dossier forms (issue 4): the kind's CHECK widens, which
    // SQLite can only do by rebuilding the table.
    "CREATE TABLE drafts_new (
         login      TEXT NOT NULL,
         case_id    INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
         kind       TEXT NOT NULL CHECK (kind IN ('note', 'postpone', 'cancel', 'override',
                      'form.consultation', 'form.anaesthesia_consult', 'form.imaging',
                      'form.biology', 'form.coagulation', 'form.medications', 'form.scores')),
         body       TEXT NOT NULL,
         extra      TEXT,
         updated_at TEXT NOT NULL,
         PRIMARY KEY (login, case_id, kind)
     ) STRICT;
     INSERT INTO drafts_new (login, case_id, kind, body, extra, updated_at)
       SELECT login, case_id, kind, body, extra, updated_at FROM drafts;
     DROP TABLE drafts;
     ALTER TABLE drafts_new RENAME TO drafts;
     CREATE INDEX drafts_by_case ON drafts(case_id);",
    // 6: exports (issue 5): who attended each week's meeting, and the
    // calendar events already exported (so that a re-export updates them
    // and a case no longer in the programme is sent again as cancelled).
    super::exports::SCHEMA,
    // 7: the re-import rule (issue 9): what each source last sent for each
    // case and item, and the file values that lost, pending a person's
    // choice. The step after it fills the bases from what imports wrote.
    super::reimport::SCHEMA,
    // 8: the drug holds of issue 10 — a
    // `day_noon` unit for the low-risk DOAC holds (J−1 before 12:00) and one
    // aspirin advisory at high risk (`storage/rules.rs`).
    super::rules::DRUG_HOLDS,
    // 9: the access route of a case (issue 10), and the rules rows of the
    // per-case bleeding risk and the INR threshold by access, for files
    // made before `schema.sql` seeded them.
    super::procedure::SCHEMA,
    // 10: the auditor role (issue 11): the role's CHECK widens, which SQLite
    // can only do by rebuilding the table.
    super::users::AUDITOR,
    // 11: what an override accepted (issue 10): the items blocking when it
    // was recorded, so that one blocking later is shown as such.
    "ALTER TABLE decisions ADD COLUMN override_items TEXT
       CHECK (override_items IS NULL OR json_valid(override_items));",
    // 12: the read trace (issue 11): who consulted which cases, when, from
    // where; hash-chained and append-only like the audit trail.
    super::audit::reads::SCHEMA,
    // 13: the read trace is pruned behind a checkpoint (issue 11): a DELETE
    // only at or below the checkpoint in meta, which only rises, to what
    // the audit trail's newest row (the pruning) seals.
    super::audit::prune::SCHEMA,
    // 14: the trail and the live tables agree (issue 12): each tracked row
    // names the audit row that last wrote it, which holds its digest; the
    // step after it claims the rows already there.
    super::audit::live::SCHEMA,
    // 15: rows written under `--today` (issue 12): a demo file's audit and
    // read rows say `clock = 'fixed'`; a committee file never holds one.
    super::audit::clock::SCHEMA,
    // 16: refusals are audited at most once a minute per login and action
    // (issue 12): an index finds this minute's row without reading the
    // trail; another finds the export rows (start, done, failed).
    super::guard::SCHEMA,
    // 17: `audit --verify` finds the read trace's last pruning through an
    // index instead of reading the whole trail backwards.
    super::audit::prune::INDEX,
    // 18: claims are written with version 2 row digests (fewer bytes to
    // hash; `audit::row_digest`). No SQL: the version tells older programs
    // not to open the file, so that the versions only rise with the trail.
    "-- claims of version 2 from here on",
    // 19: a person's own settings of the screen (issue 14: the board's
    // order is kept per login).
    super::preferences::SCHEMA,
    // 20: the quorum (issue 14): a role for a name typed in the attendance
    // list, and the quorum's rows in the rules table (a new unit, people);
    // the step after it claims the rules rows.
    super::exports::QUORUM,
    // 21: a postponed case given a new slot (issue 14 §3): the last decision
    // row it had then, so that an undo reverts only what was decided since.
    super::reschedule::SCHEMA,
    // 22: after the committee (issue 15): the nurse's role, the decisions'
    // coded reasons, the day's outcome, the follow-up calls, the deaths and
    // the operators' logins.
    super::outcome::SCHEMA,
    // 23: the call list reads the procedures of its horizon only
    // (`domain::followup::HORIZON_DAYS`), by the day they were done.
    super::outcome::BY_PERFORMED_AT,
    // 24: the indicators' facts, one narrow row per case kept by triggers
    // (`indicators::CASE_FACTS`).
    super::indicators::CASE_FACTS,
    // 25 (issue 16, the feed's storage): the
    // `feed` role, the INS and the identity change to check on patients, a
    // booking's service codes and its end at the source on cases, the
    // messages applied and the service codes' mapping
    // (`feed::SCHEMA`).
    super::feed::SCHEMA,
    // 26: each biology and coagulation value has its own date (issue 16):
    // the step rewrites the stored objects, bases and pending values.
    super::labs::DATES,
    // 27: a laboratory's final results that could not be used, recorded
    // against the cases they reached until a person deals with them
    // (`lab_unusable::SCHEMA`).
    super::lab_unusable::SCHEMA,
    // 28: the follow-up calls overdue, counted at each load of the screen
    // from an index of `case_facts` (`followup::OVERDUE_INDEX`).
    super::followup::OVERDUE_INDEX,
    // 29: a laboratory's last word per observation (a correction a later
    // final result does not undo, a withdrawal), and the reasons of
    // `lab_unusable` widened to them (`lab_status::SCHEMA`).
    super::lab_status::SCHEMA,
    // 30: a laboratory's values kept until a case can take them (a result
    // that arrives before its booking), and the results that reached no
    // case (`feed_held::SCHEMA`).
    super::feed_held::SCHEMA,
    // 31: the identity before the hospital's system changed it, until a
    // person acknowledges the change (`feed_services::IDENTITY_BEFORE`).
    super::feed_services::IDENTITY_BEFORE,
    // 32: what a booking changed on a case the committee decided, to
    // decide again, and the mark a decision cleared (`feed_change::SCHEMA`).
    super::feed_change::SCHEMA,
    // 33: the local protocol (issue 17): its version (a `meta` row, raised by
    // every change of the rules table; claimed by the step after it), its
    // approvals, and an index of the trail's rows about the rules.
    super::protocol::SCHEMA,
];

/// The version whose migration adds the protocol's version to `meta`.
pub const PROTOCOL_VERSION: i64 = 33;

/// The version whose step dates each biology and coagulation value.
pub const LAB_DATES_VERSION: i64 = 26;

/// The version whose migration adds the quorum's rules rows: they are
/// claimed after it (a migration's writes are not captured).
pub const QUORUM_VERSION: i64 = 20;

/// The version whose migration makes every tracked row name its audit row.
pub const LIVE_CLAIMS_VERSION: i64 = 14;

/// The version whose migration adds the re-import bases.
pub const REIMPORT_BASE_VERSION: i64 = 7;

/// The version whose migration makes the audit trail a hash chain: from it
/// on, audit rows (the migrations' own included) are written by
/// `audit::append`.
pub const AUDIT_CHAIN_VERSION: i64 = 4;

/// The version whose migration adds the `clock` column of the audit and
/// read rows: the migrations' own rows say it from then on.
pub const CLOCK_VERSION: i64 = 15;

/// The audit table is append-only: no UPDATE, no DELETE, whoever asks.
pub const AUDIT_APPEND_ONLY: &str = "
    CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
    CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;";

/// The schema version this program writes.
pub const LATEST: i64 = 1 + MIGRATIONS.len() as i64;

/// Refuses a file that is not ours or is newer, before anything is written.
/// An empty file is accepted only when `creating`.
pub fn check(conn: &Connection, path: &Path, creating: bool) -> Result<()> {
    let app_id: i32 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .map_err(|e| match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::NotADatabase) => StorageError::NotOurs(path.to_owned()),
            _ => e.into(),
        })?;
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let tables: i64 = conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))?;
    if app_id != APPLICATION_ID && (tables > 0 || version != 0) {
        return Err(StorageError::NotOurs(path.to_owned()));
    }
    if app_id != APPLICATION_ID && !creating {
        return Err(StorageError::Empty(path.to_owned()));
    }
    if version > LATEST {
        return Err(StorageError::TooNew {
            path: path.to_owned(),
            found: version,
            known: LATEST,
        });
    }
    Ok(())
}

/// Brings the file to [`LATEST`] in one `BEGIN IMMEDIATE` transaction:
/// creates it from `schema.sql` with `init`'s facts when empty, or applies
/// the pending migrations; each step is audited.
pub fn run(
    conn: &Connection,
    clock: &Clock,
    login: &str,
    key: Option<&audit::Key>,
    init: Option<&Init>,
) -> Result<()> {
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version == LATEST {
        return Ok(());
    }
    let tx = rusqlite::Transaction::new_unchecked(conn, TransactionBehavior::Immediate)?;
    // Re-read under the write lock: another process may have just migrated.
    let version: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version == LATEST {
        return Ok(());
    }
    if version < 0 {
        return Err(StorageError::Corrupt(format!(
            "schema version {version} is not one ir-committee writes"
        )));
    }
    let mut version = version;
    // A fixed clock (`--today`) stamps a demo file's rows only: a committee
    // file opened under it to be read is migrated at the machine's time.
    let demo = match version {
        0 => init.is_some_and(|i| i.demo),
        _ => super::stamp::is_demo(&tx)?,
    };
    let clock = &super::stamp::stamp_clock(*clock, demo);
    let fixed = matches!(clock, Clock::Fixed(_)).then_some("fixed");
    if version == 0 {
        let init = init.ok_or_else(|| {
            StorageError::Corrupt("no schema and nothing to create it with".into())
        })?;
        tx.execute_batch(SCHEMA)?;
        tx.execute(
            "INSERT INTO meta (key, value) VALUES ('created_at', ?1), ('application', 'ir-committee'),
               ('timezone', ?2), ('demo', ?3)",
            rusqlite::params![clock.timestamp(), init.timezone.name(), if init.demo { "1" } else { "0" }],
        )?;
        tx.pragma_update(None, "application_id", APPLICATION_ID)?;
        tx.execute(
            "INSERT INTO audit (at, login, action, new_value) VALUES (?1, ?2, 'schema.create', ?3)",
            rusqlite::params![clock.timestamp(), login, "1"],
        )?;
        version = 1;
    }
    let done = usize::try_from(version - 1).unwrap_or(usize::MAX);
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(done) {
        let to = i64::try_from(i + 2).unwrap_or(i64::MAX);
        tx.execute_batch(sql)?;
        after(&tx, to, clock, login, key)?;
        let (chained, to_version) = (to >= AUDIT_CHAIN_VERSION, to);
        let (at, to) = (clock.timestamp(), to.to_string());
        if chained {
            let entry = audit::Entry {
                at: &at,
                login,
                role: None,
                origin: audit::origin(),
                action: "schema.migrate",
                case_id: None,
                patient_id: None,
                old_value: None,
                new_value: Some(&to),
                outcome: "done",
                clock: fixed.filter(|_| to_version >= CLOCK_VERSION),
            };
            audit::append(&tx, key, &entry)?;
        } else {
            tx.execute(
                "INSERT INTO audit (at, login, action, new_value) VALUES (?1, ?2, 'schema.migrate', ?3)",
                rusqlite::params![at, login, to],
            )?;
        }
    }
    tx.pragma_update(None, "user_version", LATEST)?;
    tx.commit()?;
    Ok(())
}

/// The Rust step of a migration, after its SQL, in the same transaction.
fn after(
    tx: &Connection,
    version: i64,
    clock: &Clock,
    login: &str,
    key: Option<&audit::Key>,
) -> Result<()> {
    if version == AUDIT_CHAIN_VERSION {
        audit::backfill(tx, key)?;
        tx.execute_batch(AUDIT_APPEND_ONLY)?;
    }
    if version == REIMPORT_BASE_VERSION {
        super::reimport::backfill(tx, clock.today())?;
    }
    if version == LIVE_CLAIMS_VERSION {
        // The tables of that version: a later migration's tables start empty.
        let mut there = Vec::new();
        for t in audit::live::TRACKED {
            let exists: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?1)",
                [t],
                |r| r.get(0),
            )?;
            if exists {
                there.push(*t);
            }
        }
        audit::capture::claim_baseline(tx, clock, login, key, &there)?;
    }
    if version == QUORUM_VERSION {
        audit::capture::claim_baseline(tx, clock, login, key, &["rules"])?;
    }
    if version == PROTOCOL_VERSION {
        audit::capture::claim_baseline(tx, clock, login, key, &["meta"])?;
    }
    if version == LAB_DATES_VERSION && super::labs::date_each_value(tx)? > 0 {
        let tables = ["evidence", "import_base", "pending_values"];
        audit::capture::claim_baseline(tx, clock, login, key, &tables)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
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
}
