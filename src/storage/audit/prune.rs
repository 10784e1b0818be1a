//! Pruning the read trace (issue 11, point 2): `audit prune-reads --before
//! DATE`, by the auditor only, for rows older than the retention period of
//! the root-owned configuration (`read_retention_months`, default 6),
//! which the caller reads (`crate::deploy::read_retention_months`) and passes.
//!
//! A pruning removes the trace's oldest rows — always a prefix of the
//! chain, never a row after one it keeps — and seals a **checkpoint**: the
//! last removed row's id and hash, written in the audit trail (action
//! [`ACTION`], hash-chained with every other write) and its id in `meta`
//! ([`META_PRUNED_THROUGH`]), in the same transaction, before the rows go.
//! The read chain then starts from the checkpoint instead of the genesis
//! value: `audit --verify` checks that the first remaining row's previous
//! hash is the checkpoint's hash, that `meta` says what the trail's latest
//! pruning says, and that no row at or below the checkpoint remains.
//!
//! Migration 13 ([`SCHEMA`]) lets a DELETE through only for rows at or
//! below `meta`'s checkpoint, and lets that checkpoint only rise, and only
//! to the id the trail's newest row (a pruning) names: a raw DELETE or
//! UPDATE of the trace is still refused. Whoever can drop triggers can get
//! past them; the trail's chain (keyed, anchored in the minutes) is what
//! then tells.

use chrono::{Months, Utc};

#[allow(unused_imports)]
use super::*;
use crate::domain::clock::Clock;

/// The audit action of a pruning (its refusals included).
pub const ACTION: &str = "reads.prune";

/// `meta` key: the id of the last read row pruned (the checkpoint).
pub const META_PRUNED_THROUGH: &str = "reads_pruned_through";

/// Migration 17: the trail's prunings found without reading the trail
/// (every `audit --verify` and every pruning looks for the last one).
pub(crate) const INDEX: &str =
    "CREATE INDEX audit_prunes ON audit (id) WHERE action = 'reads.prune';";

/// The last pruning done: its literal action lets SQLite use [`INDEX`].
pub(super) const LAST_PRUNE: &str = "SELECT id, new_value FROM audit
     WHERE action = 'reads.prune' AND outcome = 'done' ORDER BY id DESC LIMIT 1";

/// Migration 13: a DELETE of read rows only at or below the checkpoint, and
/// a checkpoint that only rises, to what the trail's newest row seals.
pub(crate) const SCHEMA: &str = "
    DROP TRIGGER reads_no_delete;
    CREATE TRIGGER reads_no_delete BEFORE DELETE ON reads
    WHEN old.id > ifnull((SELECT CAST(value AS INTEGER) FROM meta
                          WHERE key = 'reads_pruned_through'), 0)
    BEGIN SELECT RAISE(ABORT, 'the read trace is append-only: only rows at or below its pruning checkpoint may be deleted (ir-committee audit prune-reads)'); END;
    CREATE TRIGGER reads_checkpoint_insert BEFORE INSERT ON meta
    WHEN new.key = 'reads_pruned_through' AND (
        EXISTS (SELECT 1 FROM meta WHERE key = 'reads_pruned_through')
        OR NOT (new.value GLOB '[1-9]*' AND NOT new.value GLOB '*[^0-9]*'
                AND length(new.value) <= 18)
        OR NOT EXISTS (SELECT 1 FROM audit a WHERE a.id = (SELECT max(id) FROM audit)
                AND a.action = 'reads.prune' AND a.outcome = 'done'
                AND instr(' ' || a.new_value || ' ', ' last=' || new.value || ' ') > 0))
    BEGIN SELECT RAISE(ABORT, 'the read trace''s pruning checkpoint is set only by ir-committee audit prune-reads'); END;
    CREATE TRIGGER reads_checkpoint_update BEFORE UPDATE ON meta
    WHEN (old.key = 'reads_pruned_through' OR new.key = 'reads_pruned_through') AND NOT (
        old.key = new.key
        AND new.value GLOB '[1-9]*' AND NOT new.value GLOB '*[^0-9]*' AND length(new.value) <= 18
        AND CAST(new.value AS INTEGER) > CAST(old.value AS INTEGER)
        AND EXISTS (SELECT 1 FROM audit a WHERE a.id = (SELECT max(id) FROM audit)
                AND a.action = 'reads.prune' AND a.outcome = 'done'
                AND instr(' ' || a.new_value || ' ', ' last=' || new.value || ' ') > 0))
    BEGIN SELECT RAISE(ABORT, 'the read trace''s pruning checkpoint only rises, set by ir-committee audit prune-reads'); END;
    CREATE TRIGGER reads_checkpoint_delete BEFORE DELETE ON meta
    WHEN old.key = 'reads_pruned_through'
    BEGIN SELECT RAISE(ABORT, 'the read trace''s pruning checkpoint is never removed'); END;";

/// Where the read chain starts after a pruning: the last removed row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    /// The last removed row's id: every row at or below it is gone.
    pub through: i64,
    /// Its hash: the first remaining row's previous hash.
    pub hash: String,
}

/// The checkpoint the read chain starts from: `Ok(None)` when the trace
/// was never pruned; `Err((row, why))` when `meta` and the trail's latest
/// pruning disagree, or either cannot be read (the chain is then broken
/// at that row).
pub(super) fn chain_start(conn: &Connection) -> Result<Result<Option<Checkpoint>, (i64, String)>> {
    let meta: Option<String> = conn
        .prepare_cached("SELECT value FROM meta WHERE key = ?1")?
        .query_row([META_PRUNED_THROUGH], |r| r.get(0))
        .optional()?;
    let trail: Option<(i64, Option<String>)> = conn
        .prepare_cached(LAST_PRUNE)?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let meta = match meta.map(|m| m.parse::<i64>().map_err(|_| m)) {
        None => None,
        Some(Ok(n)) => Some(n),
        Some(Err(m)) => {
            return Ok(Err((
                0,
                format!(
                    "read trace: its pruning checkpoint in meta ('{}') is not a row id",
                    sanitize_line(&m)
                ),
            )));
        }
    };
    let sealed = match trail {
        None => None,
        Some((row, value)) => match value.as_deref().and_then(parse_seal) {
            Some(cp) => Some((row, cp)),
            None => {
                return Ok(Err((
                    meta.unwrap_or(0),
                    format!(
                        "read trace: the audit trail's pruning at row {row} does not name its checkpoint (last=ID hash=HASH)"
                    ),
                )));
            }
        },
    };
    Ok(match (meta, sealed) {
        (None, None) => Ok(None),
        (Some(m), None) => Err((
            m,
            format!(
                "read trace: meta says it was pruned through row {m}, but the audit trail records no pruning: rows were deleted behind the app's back"
            ),
        )),
        (None, Some((row, cp))) => Err((
            cp.through,
            format!(
                "read trace: the audit trail's pruning at row {row} ends at row {}, but meta records no checkpoint: it was removed",
                cp.through
            ),
        )),
        (Some(m), Some((row, cp))) if m != cp.through => Err((
            m.min(cp.through),
            format!(
                "read trace: meta says it was pruned through row {m}, but the audit trail's latest pruning (row {row}) says row {}: the checkpoint was changed behind the app's back",
                cp.through
            ),
        )),
        (Some(_), Some((_, cp))) => Ok(Some(cp)),
    })
}

/// The checkpoint named in a pruning's trail value (`… last=ID hash=HASH …`).
fn parse_seal(value: &str) -> Option<Checkpoint> {
    let field = |name: &str| {
        value
            .split_ascii_whitespace()
            .find_map(|w| w.strip_prefix(name)?.strip_prefix('='))
    };
    let through = field("last")?.parse::<i64>().ok()?;
    let hash = field("hash")?;
    (hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit())).then(|| Checkpoint {
        through,
        hash: hash.to_owned(),
    })
}

/// The checkpoint a new row must chain from when the trace is empty (every
/// row pruned); refused when `meta` and the trail disagree.
pub(super) fn checkpoint_for_append(conn: &Connection) -> Result<Option<Checkpoint>> {
    chain_start(conn)?.map_err(|(_, why)| {
        StorageError::Corrupt(format!("{why}; run ir-committee audit --verify"))
    })
}

/// The row the read trace is pruned through, as `meta` says (for
/// `audit --verify`'s line, once the walk has checked it against the trail).
pub fn pruned_through(db: &Db) -> Result<Option<i64>> {
    Ok(db
        .meta(META_PRUNED_THROUGH)?
        .and_then(|v| v.parse::<i64>().ok()))
}

/// The latest `--before` date the retention allows on `today` (in the
/// hospital's zone): `months` months earlier.
pub fn latest_allowed(today: NaiveDate, months: u32) -> Option<NaiveDate> {
    today.checked_sub_months(Months::new(months))
}

/// Today in the hospital's zone (the fixed day under `--today`).
fn hospital_today(clock: Clock, tz: Tz) -> NaiveDate {
    match clock {
        Clock::Fixed(d) => d,
        Clock::System => Utc::now().with_timezone(&tz).date_naive(),
    }
}

/// What a pruning did (or found nothing to do).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pruned {
    /// `--before` as typed; the rows removed are those written before the
    /// hospital's midnight starting that day, `cutoff` (UTC, as stored).
    pub before: NaiveDate,
    pub cutoff: String,
    /// The rows removed, first and last id, and the new checkpoint; None
    /// when there was nothing to remove (nothing is then written).
    pub removed: Option<Removed>,
    /// Rows older than the cutoff kept because they follow a newer row (a
    /// clock set back): the trace is pruned from its start only.
    pub kept_older: u64,
}

/// The rows a pruning removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removed {
    pub count: u64,
    pub first: i64,
    pub checkpoint: Checkpoint,
}

/// Removes the read rows written before the hospital's midnight starting
/// `before`, from the start of the chain, in one transaction with its audit
/// row: the auditor only, `before` at least `months` months before today,
/// and both chains intact (a pruning never erases the evidence of a break).
pub fn prune_reads(db: &mut Db, before: NaiveDate, months: u32) -> Result<Pruned> {
    let tz = db.timezone()?;
    let need = crate::storage::needs::prune_reads();
    db.write_as(&need, |w| {
        let today = hospital_today(w.clock(), tz);
        let latest = latest_allowed(today, months).ok_or_else(|| {
            StorageError::Invalid(format!("no date is {months} months before {today}"))
        })?;
        if before > latest {
            return Err(StorageError::Retention {
                before,
                latest,
                months,
            });
        }
        let tx = w.tx();
        let key = chain_key(tx, w.audit_key())?;
        if let Verdict::Broken { id, reason } = verify_chain(tx, key, None)? {
            return Err(StorageError::ChainBroken {
                chain: "audit trail",
                id,
                reason,
            });
        }
        if let Verdict::Broken { id, reason } = super::reads::verify_reads(tx, key)? {
            return Err(StorageError::ChainBroken {
                chain: "read trace",
                id,
                reason: reason
                    .strip_prefix("read trace: ")
                    .map_or(reason.clone(), str::to_owned),
            });
        }
        let cutoff = since_timestamp(before, tz);
        remove(w, before, cutoff)
    })
}

/// The removal itself, the chains checked: the trail row (the seal), then
/// the checkpoint in `meta`, then the rows (the triggers need that order).
fn remove(w: &Writer<'_>, before: NaiveDate, cutoff: String) -> Result<Pruned> {
    let tx = w.tx();
    let first_kept: Option<i64> = tx.query_row(
        "SELECT min(id) FROM reads WHERE NOT (at < ?1)",
        [&cutoff],
        |r| r.get(0),
    )?;
    let (count, first, last): (i64, Option<i64>, Option<i64>) = tx.query_row(
        "SELECT count(*), min(id), max(id) FROM reads WHERE ?1 IS NULL OR id < ?1",
        [first_kept],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let kept_older: i64 = tx.query_row(
        "SELECT count(*) FROM reads WHERE at < ?1 AND id > ifnull(?2, 0)",
        rusqlite::params![cutoff, last],
        |r| r.get(0),
    )?;
    let kept_older = u64::try_from(kept_older).unwrap_or(0);
    let (Some(first), Some(last)) = (first, last) else {
        return Ok(Pruned {
            before,
            cutoff,
            removed: None,
            kept_older,
        });
    };
    let hash: String =
        tx.query_row("SELECT hash FROM reads WHERE id = ?1", [last], |r| r.get(0))?;
    let previous: Option<String> = tx
        .query_row(
            "SELECT value FROM meta WHERE key = ?1",
            [META_PRUNED_THROUGH],
            |r| r.get(0),
        )
        .optional()?;
    let seal = format!(
        "before={before} count={count} first={first} last={last} hash={hash} cutoff={cutoff}"
    );
    let old = previous.as_ref().map(|p| format!("last={p}"));
    record(w, ACTION, None, old.as_deref(), Some(&seal))?;
    let through = last.to_string();
    if previous.is_some() {
        tx.execute(
            "UPDATE meta SET value = ?2 WHERE key = ?1",
            [META_PRUNED_THROUGH, &through],
        )?;
    } else {
        tx.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2)",
            [META_PRUNED_THROUGH, &through],
        )?;
    }
    let deleted = tx.execute("DELETE FROM reads WHERE id <= ?1", [last])?;
    if i64::try_from(deleted).ok() != Some(count) {
        return Err(StorageError::Corrupt(format!(
            "the read trace's pruning removed {deleted} rows where {count} were counted; nothing was deleted"
        )));
    }
    Ok(Pruned {
        before,
        cutoff,
        removed: Some(Removed {
            count: u64::try_from(count).unwrap_or(0),
            first,
            checkpoint: Checkpoint {
                through: last,
                hash,
            },
        }),
        kept_older,
    })
}
