//! The cross-check's fast path: the live rows read by two threads at once,
//! each on its own read-only connection, against the claims already read.
//! It only answers "everything matches" (and how many rows); anything else
//! (a mismatch, a count that does not add up, a connection that cannot be
//! opened or that sees another state of the file) sends the caller back to
//! the walk in order, which names the first mismatch.
//!
//! The threads see the state the claims were read from: each checks, in its
//! own read transaction, that the trail ends with the same row and hash
//! (every write to a tracked table appends an audit row in its own
//! transaction).

use std::path::Path;

use rusqlite::OpenFlags;

#[allow(unused_imports)]
use super::*;
use live::{Shape, TRACKED};
use live_verify::{Claims, slot};

/// Threads reading the live rows.
const THREADS: usize = 2;

/// A table, or the part of it whose first key column lies in `lo..hi`.
struct Part {
    table: u8,
    range: Option<(i64, i64)>,
}

/// `Some(rows)` when every live row matches its last claim and every row
/// claimed to exist was found; `None`: walk in order (a mismatch, or the
/// fast path could not run).
pub(super) fn all_match(path: &Path, conn: &Connection, claims: &Claims) -> Result<Option<u64>> {
    if !path.is_file() {
        return Ok(None);
    }
    let head = head(conn)?;
    let parts = parts(conn)?;
    let results: Vec<Option<(u64, u64)>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..THREADS)
            .map(|i| {
                let mine: Vec<&Part> = parts.iter().skip(i).step_by(THREADS).collect();
                let head = &head;
                s.spawn(move || scan(path, head, &mine, claims).ok().flatten())
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().ok().flatten())
            .collect()
    });
    let mut rows = 0;
    let mut matched = 0;
    for r in results {
        let Some((n, m)) = r else { return Ok(None) };
        rows += n;
        matched += m;
    }
    Ok((matched == claims.existing).then_some(rows))
}

/// A read-only connection for the cross-check: no mutex (one thread uses
/// it).
pub(super) fn reader(path: &Path) -> Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(crate::storage::BUSY_TIMEOUT)?;
    conn.pragma_update(None, "trusted_schema", "OFF")?;
    Ok(conn)
}

/// The trail's last row and hash.
fn head(conn: &Connection) -> Result<(i64, Option<String>)> {
    Ok(conn.query_row(
        "SELECT ifnull(max(id), 0), (SELECT hash FROM audit ORDER BY id DESC LIMIT 1) FROM audit",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?)
}

/// Each tracked table, the large ones in two halves of their first key
/// column when it is an integer (a row id, or a case's).
fn parts(conn: &Connection) -> Result<Vec<Part>> {
    let mut out = Vec::new();
    for (t, &table) in TRACKED.iter().enumerate() {
        let t = u8::try_from(t).unwrap_or(u8::MAX);
        let shape = Shape::of(conn, table)?;
        let first = &shape.columns[shape.key[0]];
        let (lo, hi): (Option<i64>, Option<i64>) = conn
            .query_row(
                &format!(
                    "SELECT min(\"{first}\"), max(\"{first}\") FROM main.{table}
                     WHERE typeof(\"{first}\") = 'integer'"
                ),
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap_or((None, None));
        // Split when the key's range is wide (ids and case ids are dense):
        // no count, which would read the whole table once more.
        match (lo, hi) {
            (Some(lo), Some(hi)) if hi.saturating_sub(lo) > 10_000 => {
                let mid = lo + (hi - lo) / 2;
                out.push(Part {
                    table: t,
                    range: Some((i64::MIN, mid)),
                });
                out.push(Part {
                    table: t,
                    range: Some((mid, i64::MAX)),
                });
            }
            _ => out.push(Part {
                table: t,
                range: None,
            }),
        }
    }
    Ok(out)
}

/// Reads `parts` on a connection of its own: `Some((rows, matched))` when
/// all matched, None at the first thing amiss.
fn scan(
    path: &Path,
    head: &(i64, Option<String>),
    parts: &[&Part],
    claims: &Claims,
) -> Result<Option<(u64, u64)>> {
    let conn = reader(path)?;
    let tx = conn.unchecked_transaction()?;
    if &self::head(&tx)? != head {
        return Ok(None);
    }
    let (mut kbuf, mut dbuf) = (Vec::with_capacity(64), Vec::with_capacity(512));
    let (mut rows, mut matched) = (0_u64, 0_u64);
    for part in parts {
        let table = TRACKED[usize::from(part.table)];
        let shape = Shape::of(&tx, table)?;
        let first = &shape.columns[shape.key[0]];
        let sql = match part.range {
            Some(_) => format!(
                "{} WHERE \"{first}\" >= ?1 AND \"{first}\" < ?2",
                shape.select()
            ),
            None => shape.select(),
        };
        let mut stmt = tx.prepare(&sql)?;
        let mut q = match part.range {
            Some((lo, hi)) => stmt.query([lo, hi])?,
            None => stmt.query([])?,
        };
        while let Some(r) = q.next()? {
            rows += 1;
            live::key_of(&shape, r, &mut kbuf)?;
            let digest = live::digest_of(&shape, &kbuf, r, &mut dbuf)?;
            let named: Option<i64> = r.get(shape.audit_row)?;
            match claims.latest.get(&slot(part.table, &kbuf)) {
                Some(c) if c.digest == Some(digest) && named == Some(c.audit) => matched += 1,
                _ => return Ok(None),
            }
        }
    }
    Ok(Some((rows, matched)))
}
