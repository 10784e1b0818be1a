//! The read trace (issue 11, point 2): who consulted identified or
//! pseudonymised patient data, when, from where, and what (a week and the
//! cases it showed, an export, an audit listing).
//!
//! It is a table of the database file itself (`reads`, migration 12), not a
//! file beside it: it shares the database's backups, its owner, group and
//! mode in the setgid deployment, and its read-only state (a file nobody
//! may write can trace nothing, so it shows nothing but `audit --verify`);
//! a trace and the data it is about can never be restored apart. The cost
//! is that a trace takes the file's write lock, for one short transaction
//! of a few inserts (the busy timeout covers a concurrent decision); the
//! screen will batch its traces off the frame path.
//!
//! Like the audit trail it is append-only (triggers) and hash-chained, with
//! its own chain and its own format prefix, keyed with the audit key when
//! one is configured. At most one row per person, kind of read, subject,
//! case and minute: a `check` run twice in a minute adds nothing.

#[allow(unused_imports)]
use super::*;
use crate::domain::roles::Read;

/// Migration 12: the read trace.
pub(crate) const SCHEMA: &str = "
    CREATE TABLE reads (
        id         INTEGER PRIMARY KEY,
        at         TEXT NOT NULL,
        login      TEXT NOT NULL,
        role       TEXT,
        origin     TEXT,
        action     TEXT NOT NULL,
        subject    TEXT,
        case_id    INTEGER,
        patient_id INTEGER,
        prev_hash  TEXT NOT NULL,
        hash       TEXT NOT NULL
    ) STRICT;
    -- At most one row per person, kind of read, subject, case and minute.
    CREATE UNIQUE INDEX reads_once_a_minute
        ON reads (login, action, ifnull(subject, ''), ifnull(case_id, 0), substr(at, 1, 16));
    CREATE INDEX reads_by_case ON reads (case_id) WHERE case_id IS NOT NULL;
    CREATE TRIGGER reads_no_update BEFORE UPDATE ON reads
    BEGIN SELECT RAISE(ABORT, 'the read trace is append-only'); END;
    CREATE TRIGGER reads_no_delete BEFORE DELETE ON reads
    BEGIN SELECT RAISE(ABORT, 'the read trace is append-only'); END;";

/// Prefix of every encoded read row.
const READS_DOMAIN: &[u8] = b"ir-committee/reads@1\0";

/// `meta` key: the first read row hashed with the audit key.
const META_READS_FROM: &str = "reads_hmac_from";

/// What was consulted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum What {
    /// A week's cases (`check`, the board): subject the week.
    Week,
    /// One case's detail (the screen): subject the week.
    Case,
    /// An export: subject the week and the format.
    Export,
    /// The audit listing: subject its filter.
    AuditList,
    /// The read trace's listing: subject its filter.
    AuditReads,
    /// The chase list (`tasks`): subject the two weeks.
    Tasks,
    /// A case's instruction sheet (`instructions`): subject the format.
    Instructions,
    /// The committee's indicators (`report`, `S`): aggregates, one row per
    /// run with no case; subject the period.
    Report,
    /// The follow-up call list (`follow-ups`, `F`): subject its filter.
    FollowUps,
    /// The registry extract (`export-cases`): pseudonymised, one row per
    /// run with no case; subject the period and the format.
    ExportCases,
    /// The laboratory results that reached no case (`feeds held`): one
    /// row per listing, subject the number of results shown.
    HeldResults,
}

impl What {
    pub fn as_str(self) -> &'static str {
        match self {
            What::Week => "week",
            What::Case => "case",
            What::Export => "export",
            What::AuditList => "audit.list",
            What::AuditReads => "audit.reads",
            What::Tasks => "tasks",
            What::Instructions => "instructions",
            What::Report => "report",
            What::FollowUps => "follow_ups",
            What::ExportCases => "export_cases",
            What::HeldResults => "feeds.held",
        }
    }
}

/// The fields a read row's hash covers, besides `prev_hash`.
pub(super) struct ReadFields<'a> {
    pub(super) id: i64,
    pub(super) at: &'a [u8],
    pub(super) login: &'a [u8],
    pub(super) role: Option<&'a [u8]>,
    pub(super) origin: Option<&'a [u8]>,
    pub(super) action: &'a [u8],
    pub(super) subject: Option<&'a [u8]>,
    pub(super) case_id: Option<i64>,
    pub(super) patient_id: Option<i64>,
    /// 'fixed' when written under `--today` (a demo file), else None.
    pub(super) clock: Option<&'a [u8]>,
}

/// The columns [`read_fields`] reads, then `prev_hash`, `hash`, then the
/// columns added later (`clock`, index 11).
pub(super) const SELECT_READS: &str = "SELECT id, at, login, role, origin, action, subject,
    case_id, patient_id, prev_hash, hash, clock FROM reads";

pub(super) fn read_fields<'r>(r: &'r Row<'_>) -> rusqlite::Result<ReadFields<'r>> {
    Ok(ReadFields {
        id: r.get(0)?,
        at: bytes(r, 1)?.unwrap_or_default(),
        login: bytes(r, 2)?.unwrap_or_default(),
        role: bytes(r, 3)?,
        origin: bytes(r, 4)?,
        action: bytes(r, 5)?.unwrap_or_default(),
        subject: bytes(r, 6)?,
        case_id: r.get(7)?,
        patient_id: r.get(8)?,
        clock: bytes(r, 11)?,
    })
}

/// Like the trail's encoding: a field added later is encoded only when
/// set, behind a marker byte (3: `clock`), so older rows keep their hashes.
pub(super) fn encode_read(buf: &mut Vec<u8>, prev_hash: &[u8], f: &ReadFields<'_>) {
    buf.clear();
    buf.extend_from_slice(READS_DOMAIN);
    put_text(buf, Some(prev_hash));
    put_int(buf, Some(f.id));
    put_text(buf, Some(f.at));
    put_text(buf, Some(f.login));
    put_text(buf, f.role);
    put_text(buf, f.origin);
    put_text(buf, Some(f.action));
    put_text(buf, f.subject);
    put_int(buf, f.case_id);
    put_int(buf, f.patient_id);
    if let Some(clock) = f.clock {
        buf.push(3);
        put_text(buf, Some(clock));
    }
}

/// Records that this connection's person consulted `what` (`subject`: the
/// week, the format, the filter) and the cases `case_ids` (one row per
/// case; one row without a case when none), in one transaction of its own,
/// before anything is shown. A failure is returned as
/// [`StorageError::Trace`]: the caller shows nothing identified.
pub fn trace(db: &Db, what: What, subject: Option<&str>, case_ids: &[i64]) -> Result<()> {
    let at = db.stamp_clock().timestamp();
    let cases: Vec<Option<i64>> = if case_ids.is_empty() {
        vec![None]
    } else {
        case_ids.iter().copied().map(Some).collect()
    };
    let entries: Vec<Consulted> = cases
        .into_iter()
        .map(|case_id| Consulted {
            what,
            subject: subject.map(str::to_owned),
            case_id,
            at: at.clone(),
        })
        .collect();
    trace_all(db, &entries)
}

/// One consultation waiting to be traced (the screen queues them and
/// writes them off the frame path, at least once a second).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Consulted {
    pub what: What,
    pub subject: Option<String>,
    pub case_id: Option<i64>,
    /// When it was shown (UTC, RFC 3339), not when it is written: from
    /// [`Db::stamp_clock`] (a fixed day on a demo file only).
    pub at: String,
}

/// Records `entries` in one transaction of their own (the minute rule
/// applies to each); a failure is [`StorageError::Trace`] and writes none.
pub fn trace_all(db: &Db, entries: &[Consulted]) -> Result<()> {
    write_trace(db, entries).map_err(|e| StorageError::Trace(e.to_string()))
}

fn write_trace(db: &Db, entries: &[Consulted]) -> Result<()> {
    let conn = db.conn();
    let tx = rusqlite::Transaction::new_unchecked(conn, rusqlite::TransactionBehavior::Immediate)?;
    let role = super::super::users::role_of(&tx, db.login())?;
    let key = chain_key(&tx, db.audit_key())?;
    let clock =
        matches!(db.stamp_clock(), crate::domain::clock::Clock::Fixed(_)).then_some("fixed");
    let mut buf = Vec::with_capacity(256);
    for e in entries {
        let (what, subject, case_id, at) = (e.what, e.subject.as_deref(), e.case_id, &e.at);
        let seen: Option<i64> = tx
            .prepare_cached(
                "SELECT id FROM reads WHERE login = ?1 AND action = ?2
                   AND ifnull(subject, '') = ifnull(?3, '') AND ifnull(case_id, 0) = ifnull(?4, 0)
                   AND substr(at, 1, 16) = substr(?5, 1, 16)",
            )?
            .query_row(
                rusqlite::params![db.login(), what.as_str(), subject, case_id, at],
                |r| r.get(0),
            )
            .optional()?;
        if seen.is_some() {
            continue;
        }
        let patient_id: Option<i64> = match case_id {
            Some(id) => tx
                .prepare_cached("SELECT patient_id FROM cases WHERE id = ?1")?
                .query_row([id], |r| r.get(0))
                .optional()?,
            None => None,
        };
        let last: Option<(i64, String)> = tx
            .prepare_cached("SELECT id, hash FROM reads ORDER BY id DESC LIMIT 1")?
            .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let (id, prev) = match last {
            Some((id, hash)) => (id + 1, hash),
            // Empty: never written, or every row pruned (then the chain
            // goes on from the checkpoint, its ids too).
            None => match super::prune::checkpoint_for_append(&tx)? {
                Some(cp) => (cp.through + 1, cp.hash),
                None => (1, GENESIS.to_owned()),
            },
        };
        if let Some(k) = key
            && meta_value(&tx, META_READS_FROM)?.is_none()
        {
            let from = id.to_string();
            tx.execute(
                "INSERT INTO meta (key, value) VALUES (?1, ?2)",
                rusqlite::params![META_READS_FROM, from],
            )?;
            // A write to `meta`: the audit row that claims it.
            let at = db.stamp_clock().timestamp();
            let entry = Entry {
                at: &at,
                login: db.login(),
                role: role.map(|r| r.as_str()),
                origin: origin(),
                action: "reads.keyed",
                case_id: None,
                patient_id: None,
                old_value: None,
                new_value: Some(&from),
                outcome: "done",
                clock,
            };
            append(&tx, Some(k), &entry)?;
        }
        let role = role.map(|r| r.as_str());
        let origin = origin();
        let fields = ReadFields {
            id,
            at: at.as_bytes(),
            login: db.login().as_bytes(),
            role: role.map(str::as_bytes),
            origin: origin.map(str::as_bytes),
            action: what.as_str().as_bytes(),
            subject: subject.map(str::as_bytes),
            case_id,
            patient_id,
            clock: clock.map(str::as_bytes),
        };
        encode_read(&mut buf, prev.as_bytes(), &fields);
        let hash = hex(&digest(key, &buf));
        tx.prepare_cached(
            "INSERT INTO reads (id, at, login, role, origin, action, subject, case_id,
               patient_id, prev_hash, hash, clock)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        )?
        .execute(rusqlite::params![
            id,
            at,
            db.login(),
            role,
            origin,
            what.as_str(),
            subject,
            case_id,
            patient_id,
            prev,
            hash,
            clock
        ])?;
    }
    tx.commit()?;
    Ok(())
}

fn meta_value(conn: &Connection, k: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT value FROM meta WHERE key = ?1")?
        .query_row([k], |r| r.get(0))
        .optional()?)
}

/// One read row as listed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ReadRow {
    pub id: i64,
    pub at: String,
    pub login: String,
    pub role: Option<String>,
    pub origin: Option<String>,
    pub action: String,
    pub subject: Option<String>,
    pub case_id: Option<i64>,
    /// The case's external id, when the case still exists.
    pub case_external_id: Option<String>,
    pub patient_id: Option<i64>,
    pub prev_hash: String,
    pub hash: String,
    /// "fixed" when written under `--today` (a demo file only).
    pub clock: Option<String>,
}

/// Which read rows to list.
#[derive(Debug, Clone, Default)]
pub struct ReadFilter {
    /// The case's internal id.
    pub case_id: Option<i64>,
    pub login: Option<String>,
    /// Rows written at or after this UTC timestamp (as stored).
    pub since: Option<String>,
}

/// The read rows that pass `filter`, oldest first: for the roles the read
/// table allows (`Read::AuditReads`: the auditor, the chair).
pub fn query_reads(db: &Db, filter: &ReadFilter) -> Result<Vec<ReadRow>> {
    db.require_read(Read::AuditReads)?;
    read_rows(db, filter)
}

/// Every read row (all when `case_id` is None): for the library's own
/// checks and tests, never shown to a person.
pub fn list_reads(db: &Db, case_id: Option<i64>) -> Result<Vec<ReadRow>> {
    read_rows(
        db,
        &ReadFilter {
            case_id,
            ..ReadFilter::default()
        },
    )
}

fn read_rows(db: &Db, filter: &ReadFilter) -> Result<Vec<ReadRow>> {
    let mut stmt = db.conn().prepare(
        "SELECT r.id, r.at, r.login, r.role, r.origin, r.action, r.subject, r.case_id,
           c.external_id, r.patient_id, r.prev_hash, r.hash, r.clock
         FROM reads r LEFT JOIN cases c ON c.id = r.case_id
         WHERE (?1 IS NULL OR r.case_id = ?1) AND (?2 IS NULL OR r.login = ?2)
           AND (?3 IS NULL OR r.at >= ?3)
         ORDER BY r.id",
    )?;
    let rows = stmt.query_map(
        rusqlite::params![filter.case_id, filter.login, filter.since],
        |r| {
            Ok(ReadRow {
                id: r.get(0)?,
                at: r.get(1)?,
                login: r.get(2)?,
                role: r.get(3)?,
                origin: r.get(4)?,
                action: r.get(5)?,
                subject: r.get(6)?,
                case_id: r.get(7)?,
                case_external_id: r.get(8)?,
                patient_id: r.get(9)?,
                prev_hash: r.get(10)?,
                hash: r.get(11)?,
                clock: r.get(12)?,
            })
        },
    )?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

impl ReadRow {
    /// One listing line: local time, login, role, origin, what, subject,
    /// case; one line, no control characters.
    pub fn line(&self, tz: Tz) -> String {
        let when = DateTime::parse_from_rfc3339(&self.at).map_or_else(
            |_| self.at.clone(),
            |t| t.with_timezone(&tz).format("%Y-%m-%d %H:%M:%S").to_string(),
        );
        let case = match (&self.case_external_id, self.case_id) {
            (Some(e), _) => e.clone(),
            (None, Some(id)) => format!("#{id}"),
            (None, None) => "-".into(),
        };
        let fields = [
            when,
            self.login.clone(),
            self.role.clone().unwrap_or_else(|| "-".into()),
            self.origin.clone().unwrap_or_else(|| "-".into()),
            format!("read:{}", self.action),
            self.subject.clone().unwrap_or_else(|| "-".into()),
            case,
        ];
        let mut line: Vec<String> = fields.iter().map(|f| sanitize_line(f)).collect();
        if let Some(clock) = &self.clock {
            line.push(format!("clock: {}", sanitize_line(clock)));
        }
        line.join("  ")
    }
}

/// Walks the read trace's chain in id order, as [`verify`] walks the
/// trail's (called by it: no read row needs more than `audit --verify`),
/// from the genesis value or, once pruned, from the checkpoint sealed in
/// the trail (`prune`): `meta` must say what the trail says, no row at or
/// below the checkpoint may remain, and the first remaining row's previous
/// hash must be the checkpoint's hash.
pub(super) fn verify_reads(conn: &Connection, key: Option<&Key>) -> Result<Verdict> {
    let Some(k) = key else {
        return walk_reads(conn, None, i64::MAX);
    };
    // Keyed from the row the seal beside the key names, whatever meta says.
    let from = super::seal::lookup(conn, k)?.reads_from;
    let verdict = walk_reads(conn, key, from)?;
    if matches!(verdict, Verdict::Broken { .. }) {
        return Ok(verdict);
    }
    // meta names the first keyed row once one is written: the sealed one.
    let meta = meta_value(conn, META_READS_FROM)?;
    let written: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM reads WHERE id >= ?1)",
        [from],
        |r| r.get(0),
    )?;
    if meta.as_deref() != Some(from.to_string().as_str()) && (meta.is_some() || written) {
        let says = meta.map_or_else(
            || "has no".to_owned(),
            |m| format!("says '{}' for", sanitize_line(&m)),
        );
        return Ok(Verdict::Broken {
            id: from,
            reason: format!(
                "read trace: meta {says} '{META_READS_FROM}' but the seal beside the key says the trace is keyed from row {from}: meta was changed behind the app's back"
            ),
        });
    }
    Ok(verdict)
}

/// The read trace's first keyed row as `meta` records it (none: never).
pub(super) fn meta_keyed_from(conn: &Connection) -> Result<Option<i64>> {
    meta_value(conn, META_READS_FROM)?
        .map(|from| {
            from.parse::<i64>().map_err(|_| {
                StorageError::Corrupt(format!("meta '{META_READS_FROM}' is not a row id"))
            })
        })
        .transpose()
}

/// Walks the read trace, the rows from `keyed_from` on hashed with `key`.
pub(super) fn walk_reads(conn: &Connection, key: Option<&Key>, keyed_from: i64) -> Result<Verdict> {
    let mut stmt = conn.prepare(&format!("{SELECT_READS} ORDER BY id"))?;
    let mut q = stmt.query([])?;
    let start = match super::prune::chain_start(conn)? {
        Ok(start) => start,
        Err((id, reason)) => return Ok(Verdict::Broken { id, reason }),
    };
    let through = start.as_ref().map(|cp| cp.through);
    let mut prev = start.map_or_else(|| GENESIS.to_owned(), |cp| cp.hash);
    let mut prev_id: Option<i64> = None;
    let mut rows = 0_u64;
    let mut buf = Vec::with_capacity(256);
    while let Some(r) = q.next()? {
        let f = read_fields(r)?;
        let id = f.id;
        if let Some(t) = through.filter(|t| id <= *t) {
            return Ok(Verdict::Broken {
                id,
                reason: format!(
                    "read trace: the row is at or below the pruning checkpoint (row {t}) but still there: the pruning was partial, or rows were put back"
                ),
            });
        }
        if bytes(r, 9)? != Some(prev.as_bytes()) {
            let reason = match (prev_id, through) {
                (Some(p), _) => format!(
                    "read trace: its previous hash is not the hash of read row {p}: a row between them was deleted, or one was inserted or rewritten"
                ),
                (None, Some(t)) => format!(
                    "read trace: its previous hash is not the hash of the pruning checkpoint (row {t}, sealed in the audit trail): rows after the checkpoint were deleted, or the first one was rewritten"
                ),
                (None, None) => "read trace: its previous hash is not the genesis value: the rows before it were deleted".into(),
            };
            return Ok(Verdict::Broken { id, reason });
        }
        encode_read(&mut buf, prev.as_bytes(), &f);
        let k = if id >= keyed_from { key } else { None };
        let computed = hex(&digest(k, &buf));
        if Some(computed.as_bytes()) != bytes(r, 10)? {
            return Ok(Verdict::Broken {
                id,
                reason: "read trace: its content does not match its hash: the row was changed"
                    .into(),
            });
        }
        prev = computed;
        prev_id = Some(id);
        rows += 1;
    }
    Ok(Verdict::Intact {
        rows,
        head: prev,
        anchor_row: None,
    })
}

/// `audit --verify`'s second walk: the read trace's chain (no patient data;
/// every registered user).
pub fn verify_trace(db: &Db) -> Result<Verdict> {
    db.require_read(Read::AuditVerify)?;
    let conn = db.conn();
    let key = chain_key(conn, db.audit_key())?;
    let verdict = verify_reads(conn, key)?;
    super::clock::on_committee(conn, super::clock::Chain::Reads, verdict)
}
