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
#[path = "migrate_tests.rs"]
mod tests;
