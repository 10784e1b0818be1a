//! `audit --verify`'s fast pass: the hash chain, the trail's claims and
//! the live rows read once, in parts, by two workers on read-only
//! connections of their own, then the claims and live rows sort-merged
//! ([`super::live_merge`]).
//!
//! Each audit row's hash depends only on its own fields and its stored
//! `prev_hash`, so the chain is checked in parts of its ids: within a part,
//! each row's hash and link; between parts, that each part's first row
//! links to the previous part's last one. The part that reads an audit row
//! for its hash also reads its claims.
//!
//! It only answers "everything fits" (the chain intact, how many rows, its
//! head, the anchor's row; how many live rows); anything else (a broken
//! row, a mismatch, a part that cannot be read, a worker that sees another
//! state of the file) sends the caller back to the walks in order
//! ([`super::verify`], [`super::live_verify`]), which name the first thing
//! amiss. The workers see the state the plan was made from: each checks,
//! in its own read transaction, that the trail ends with the same row and
//! hash, and the pass defers to the walks when anything was committed to
//! the file while it read (`PRAGMA data_version`).

use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use rusqlite::OpenFlags;
use rusqlite::types::ValueRef;

#[allow(unused_imports)]
use super::*;
use live::{Shape, TRACKED, Version};
use live_merge::{Merged, Rec};

/// Threads reading the file (the project's machines have two cores).
const WORKERS: usize = 2;

/// Parts a large table, or the trail, is read in: enough for the two
/// workers to finish together.
const PARTS: i64 = 8;

/// A table whose first key spans fewer values is read in one part (in
/// tests, small tables are split too, so that the parts are exercised).
const SPLIT_FROM: i64 = if cfg!(test) { 4 } else { 10_000 };

/// The chain to check along the claims: its key, from which row it is
/// keyed, and the anchor looked for.
#[derive(Clone, Copy)]
pub(super) struct Chain<'a> {
    pub key: Option<&'a Key>,
    pub keyed_from: i64,
    pub anchor: Option<&'a str>,
}

/// What the pass found when everything fits.
pub(super) struct Passed {
    /// The chain's verdict (intact, or its anchor not found), when asked.
    pub chain: Option<Verdict>,
    /// Live rows, all matching the trail.
    pub live_rows: u64,
}

/// What a worker reads.
enum Task {
    /// The audit rows whose id is in `lo..hi` (`None`: open).
    Trail(Option<i64>, Option<i64>),
    /// Live rows of a table: all of them, or those whose first key column
    /// is in a range (`None` for NULL).
    Live { table: u8, range: Range },
}

#[derive(Clone, Copy)]
enum Range {
    All,
    Null,
    /// `lo <= first < hi`; an open end is `None` (then every value of any
    /// type beyond the other end, as SQLite orders them).
    Between(Option<i64>, Option<i64>),
}

/// A part of the trail: its claims per table (sorted), and for the chain
/// its first row's `prev_hash`, its last row's hash, its rows and the
/// anchor's row if it holds it.
#[derive(Default)]
struct TrailPart {
    claims: Vec<Vec<Rec>>,
    first_prev: Option<Vec<u8>>,
    last: Option<String>,
    rows: u64,
    anchor_row: Option<i64>,
}

enum Output {
    Trail(TrailPart),
    Live(u8, Vec<Rec>),
}

/// Runs the pass on the file at `path`, the chain checked too when `chain`
/// is given; `beside` runs on the calling thread meanwhile. `Ok(None)`:
/// something did not fit, or the pass could not run (walk in order).
pub(super) fn pass<T>(
    path: &Path,
    chain: Option<Chain<'_>>,
    beside: impl FnOnce() -> T,
) -> Result<(Option<Passed>, T)> {
    // The planner's connection stays open: its `data_version` changes when
    // any other connection commits, so that a write while the workers read
    // (a row moved from one part to another by the sqlite3 shell, which
    // appends no audit row) sends the check back to the walk in order.
    let planned = path
        .is_file()
        .then(|| -> Result<_> {
            let conn = reader(path)?;
            let version = data_version(&conn)?;
            let planned = {
                let tx = conn.unchecked_transaction()?;
                (head(&tx)?, plan(&tx)?, v2_from(&tx)?)
            };
            Ok((conn, version, planned))
        })
        .transpose();
    let Ok(Some((planner, version, (head, tasks, v2_from)))) = planned else {
        return Ok((None, beside()));
    };
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let done: Mutex<Vec<(usize, Output)>> = Mutex::new(Vec::with_capacity(tasks.len()));
    let besides = std::thread::scope(|s| {
        for _ in 0..WORKERS {
            s.spawn(|| {
                let plan = Plan {
                    head: &head,
                    tasks: &tasks,
                    v2_from,
                    chain,
                };
                let ok = work(path, &plan, &next, &stop, &done).unwrap_or(false);
                if !ok {
                    stop.store(true, Ordering::Relaxed);
                }
            });
        }
        beside()
    });
    let done = done.into_inner().unwrap_or_default();
    let unchanged = data_version(&planner).is_ok_and(|v| v == version);
    if !unchanged || stop.load(Ordering::Relaxed) || done.len() != tasks.len() {
        return Ok((None, besides));
    }
    Ok((gather(done, chain), besides))
}

/// Puts the parts together: the chain's parts linked end to end, each
/// table's claims merged with its live rows.
fn gather(mut done: Vec<(usize, Output)>, chain: Option<Chain<'_>>) -> Option<Passed> {
    done.sort_unstable_by_key(|(i, _)| *i);
    let mut claims: Vec<Vec<Vec<Rec>>> = vec![Vec::new(); TRACKED.len()];
    let mut live: Vec<Vec<Vec<Rec>>> = vec![Vec::new(); TRACKED.len()];
    let mut prev = GENESIS.to_owned();
    let (mut rows, mut anchor_row) = (0, None);
    for (_, out) in done {
        match out {
            Output::Trail(part) => {
                if chain.is_some() && part.rows > 0 {
                    if part.first_prev.as_deref() != Some(prev.as_bytes()) {
                        return None;
                    }
                    prev = part.last?;
                }
                rows += part.rows;
                // The last match, as the walk in order keeps.
                anchor_row = part.anchor_row.or(anchor_row);
                for (t, recs) in part.claims.into_iter().enumerate() {
                    claims[t].push(recs);
                }
            }
            Output::Live(t, recs) => live[usize::from(t)].push(recs),
        }
    }
    let merged: Vec<Option<u64>> = std::thread::scope(|s| {
        let handles: Vec<_> = claims
            .iter()
            .zip(live.iter())
            .map(|(c, l)| s.spawn(move || live_merge::merge(Merged::new(c), Merged::new(l))))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().ok().flatten())
            .collect()
    });
    let mut live_rows = 0;
    for m in merged {
        live_rows += m?;
    }
    let chain = chain.map(|c| match (c.anchor, anchor_row) {
        (Some(_), None) => Verdict::AnchorNotFound { rows, head: prev },
        _ => Verdict::Intact {
            rows,
            head: prev,
            anchor_row,
        },
    });
    Some(Passed { chain, live_rows })
}

/// What the workers share.
struct Plan<'a> {
    /// The trail's last row and hash, as the plan saw it.
    head: &'a (i64, Option<String>),
    tasks: &'a [Task],
    /// The first audit row whose claims hold version 2 digests.
    v2_from: i64,
    chain: Option<Chain<'a>>,
}

/// Runs tasks until none is left: false when something did not fit (or
/// another worker stopped).
fn work(
    path: &Path,
    plan: &Plan<'_>,
    next: &AtomicUsize,
    stop: &AtomicBool,
    done: &Mutex<Vec<(usize, Output)>>,
) -> Result<bool> {
    let conn = reader(path)?;
    let tx = conn.unchecked_transaction()?;
    if &self::head(&tx)? != plan.head {
        return Ok(false);
    }
    loop {
        if stop.load(Ordering::Relaxed) {
            return Ok(false);
        }
        let i = next.fetch_add(1, Ordering::Relaxed);
        let Some(task) = plan.tasks.get(i) else {
            return Ok(true);
        };
        // Each part sorted here, by the workers: the merge reads the runs.
        let out = match *task {
            Task::Trail(lo, hi) => read_trail(&tx, lo, hi, plan.chain)?.map(Output::Trail),
            Task::Live { table, range } => {
                let mut recs = read_live(&tx, table, range, plan.v2_from)?;
                live_merge::sort(&mut recs);
                Some(Output::Live(table, recs))
            }
        };
        let Some(out) = out else { return Ok(false) };
        match done.lock() {
            Ok(mut d) => d.push((i, out)),
            Err(_) => return Ok(false),
        }
    }
}

/// A read-only connection for the pass: no mutex (one thread uses it).
pub(super) fn reader(path: &Path) -> Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(crate::storage::BUSY_TIMEOUT)?;
    conn.pragma_update(None, "trusted_schema", "OFF")?;
    Ok(conn)
}

/// `PRAGMA data_version`: changes when another connection commits.
fn data_version(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("PRAGMA data_version", [], |r| r.get(0))?)
}

/// The trail's last row and hash.
fn head(conn: &Connection) -> Result<(i64, Option<String>)> {
    Ok(conn.query_row(
        "SELECT ifnull(max(id), 0), (SELECT hash FROM audit ORDER BY id DESC LIMIT 1) FROM audit",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?)
}

/// The first audit row whose claims hold version 2 digests (`i64::MAX`:
/// none), found in a few lookups: every claim is written in the latest
/// version, and no older program opens a file that holds version 2, so
/// the versions only rise with the ids. Were they mixed (a file changed
/// behind the app's back), a claim would be met with a live row's digest
/// of the other version, and the walk in order would check it.
fn v2_from(conn: &Connection) -> Result<i64> {
    let mut stmt = conn.prepare(
        "SELECT id, substr(rows, 1, 1) FROM audit WHERE id >= ?1 AND rows IS NOT NULL
         ORDER BY id LIMIT 1",
    )?;
    let mut probe = |id: i64| -> Result<Option<(i64, bool)>> {
        Ok(stmt
            .query_row([id], |r| {
                let first: Option<Vec<u8>> = r.get(1).ok();
                Ok((
                    r.get(0)?,
                    first.as_deref() == Some(&[Version::V2.byte()][..]),
                ))
            })
            .optional()?)
    };
    let (Some(mut lo), Some(hi)) = min_max(conn, "audit", "id")? else {
        return Ok(i64::MAX);
    };
    let mut hi = hi.saturating_add(1);
    let mut found = i64::MAX;
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        match probe(mid)? {
            None => hi = mid,
            Some((id, true)) => {
                found = found.min(id);
                hi = mid;
            }
            Some((id, false)) => lo = id.saturating_add(1),
        }
    }
    Ok(found)
}

/// The tasks: the trail in parts of its ids, and each tracked table, the
/// large ones in parts of their first key column (its bounds read off its
/// index: no scan).
fn plan(conn: &Connection) -> Result<Vec<Task>> {
    let mut tasks = Vec::new();
    let (lo, hi) = min_max(conn, "audit", "id")?;
    for (a, b) in bounds(lo, hi) {
        tasks.push(Task::Trail(a, b));
    }
    for (t, &table) in TRACKED.iter().enumerate() {
        let t = u8::try_from(t).unwrap_or(u8::MAX);
        let shape = Shape::of(conn, table)?;
        let (lo, hi) = min_max(conn, table, &live::quote(&shape.columns[shape.key[0]]))?;
        match (lo, hi) {
            (Some(lo), Some(hi)) if hi.saturating_sub(lo) > SPLIT_FROM => {
                tasks.push(Task::Live {
                    table: t,
                    range: Range::Null,
                });
                for (a, b) in bounds(Some(lo), Some(hi)) {
                    tasks.push(Task::Live {
                        table: t,
                        range: Range::Between(a, b),
                    });
                }
            }
            _ => tasks.push(Task::Live {
                table: t,
                range: Range::All,
            }),
        }
    }
    Ok(tasks)
}

/// A column's least and greatest values when they are integers. Two
/// queries: SQLite reads a lone min() or max() off the index.
fn min_max(conn: &Connection, table: &str, col: &str) -> Result<(Option<i64>, Option<i64>)> {
    let int = |v: ValueRef<'_>| match v {
        ValueRef::Integer(i) => Some(i),
        _ => None,
    };
    Ok(conn.query_row(
        &format!(
            "SELECT (SELECT min({col}) FROM main.{table}), (SELECT max({col}) FROM main.{table})"
        ),
        [],
        |r| Ok((int(r.get_ref(0)?), int(r.get_ref(1)?))),
    )?)
}

/// [`PARTS`] ranges covering everything: the first open below, the last
/// open above.
fn bounds(lo: Option<i64>, hi: Option<i64>) -> Vec<(Option<i64>, Option<i64>)> {
    let (Some(lo), Some(hi)) = (lo, hi) else {
        return vec![(None, None)];
    };
    let step = (hi.saturating_sub(lo) / PARTS).max(1);
    let mut cuts: Vec<i64> = (1..PARTS)
        .map(|i| lo.saturating_add(step.saturating_mul(i)))
        .filter(|&c| c > lo && c <= hi)
        .collect();
    cuts.dedup();
    let mut out = Vec::with_capacity(cuts.len() + 1);
    let mut from = None;
    for c in cuts {
        out.push((from, Some(c)));
        from = Some(c);
    }
    out.push((from, None));
    out
}

/// `col >= ?1 AND col < ?2 AND ` for the bounds that are there, and their
/// values.
fn between(col: &str, lo: Option<i64>, hi: Option<i64>) -> (String, Vec<i64>) {
    let mut cond = String::new();
    let mut args = Vec::new();
    for (op, v) in [(">=", lo), ("<", hi)] {
        if let Some(v) = v {
            args.push(v);
            cond.push_str(&format!("{col} {op} ?{} AND ", args.len()));
        }
    }
    (cond, args)
}

/// The audit rows with `lo <= id < hi`: their claims per table, sorted,
/// and with `chain` their hashes and links checked; `None` when a row does
/// not fit or its claims cannot be read.
fn read_trail(
    conn: &Connection,
    lo: Option<i64>,
    hi: Option<i64>,
    chain: Option<Chain<'_>>,
) -> Result<Option<TrailPart>> {
    let mut part = TrailPart {
        claims: vec![Vec::new(); TRACKED.len()],
        ..TrailPart::default()
    };
    let (cond, args) = between("id", lo, hi);
    let mut stmt = conn.prepare(&format!("{SELECT_CHAIN} WHERE {cond} 1 ORDER BY id"))?;
    let mut q = stmt.query(rusqlite::params_from_iter(args))?;
    let mut last_table: Option<(&[u8], u8)> = None;
    let mut buf = Vec::with_capacity(1024);
    while let Some(r) = q.next()? {
        let f = fields(r)?;
        if let Some(c) = chain {
            let (Some(prev), Some(stored)) = (bytes(r, 11)?, bytes(r, 12)?) else {
                return Ok(None);
            };
            match &part.last {
                None => part.first_prev = Some(prev.to_vec()),
                Some(last) if last.as_bytes() == prev => {}
                Some(_) => return Ok(None),
            }
            encode(&mut buf, prev, &f);
            let k = if f.id >= c.keyed_from { c.key } else { None };
            let computed = hex(&digest(k, &buf));
            if computed.as_bytes() != stored {
                return Ok(None);
            }
            if c.anchor == Some(computed.as_str()) {
                part.anchor_row = Some(f.id);
            }
            part.last = Some(computed);
        }
        part.rows += 1;
        // Claims are a blob; anything else the walk in order reports.
        let rows = match r.get_ref(14)? {
            ValueRef::Blob(b) => b,
            ValueRef::Null => continue,
            _ => return Ok(None),
        };
        let Some(claims) = live::claims(rows) else {
            return Ok(None);
        };
        for c in claims {
            let t = match last_table {
                Some((name, t)) if name == c.table => t,
                _ => {
                    let Some(t) = TRACKED.iter().position(|t| t.as_bytes() == c.table) else {
                        return Ok(None);
                    };
                    let t = u8::try_from(t).unwrap_or(u8::MAX);
                    last_table = Some((TRACKED[usize::from(t)].as_bytes(), t));
                    t
                }
            };
            part.claims[usize::from(t)].push(Rec::new(
                t,
                c.key,
                f.id,
                (c.digest.unwrap_or_default(), c.version),
                c.digest.is_some(),
            ));
        }
    }
    for recs in &mut part.claims {
        live_merge::sort(recs);
    }
    Ok(Some(part))
}

/// The live rows of a table (or of a range of its first key column).
fn read_live(conn: &Connection, t: u8, range: Range, v2_from: i64) -> Result<Vec<Rec>> {
    let table = TRACKED[usize::from(t)];
    let shape = Shape::of(conn, table)?;
    let first = live::quote(&shape.columns[shape.key[0]]);
    let select = shape.select_columns();
    let (sql, args) = match range {
        Range::All => (select, vec![]),
        Range::Null => (format!("{select} WHERE {first} IS NULL"), vec![]),
        Range::Between(lo, hi) => {
            let (cond, args) = between(&first, lo, hi);
            (format!("{select} WHERE {cond} 1"), args)
        }
    };
    let mut stmt = conn.prepare(&sql)?;
    let mut q = stmt.query(rusqlite::params_from_iter(args))?;
    let (mut kbuf, mut dbuf) = (Vec::with_capacity(64), Vec::with_capacity(512));
    // Room for one row per value of the key's first column, up to a
    // million (fewer copies as it grows; sparse keys reserve little).
    let width = match range {
        Range::Between(Some(lo), Some(hi)) => usize::try_from(hi.saturating_sub(lo)).ok(),
        _ => None,
    };
    let mut out = Vec::with_capacity(width.unwrap_or(0).min(1 << 20));
    while let Some(r) = q.next()? {
        live::key_of(&shape, r, &mut kbuf)?;
        let named: Option<i64> = r.get(shape.audit_row)?;
        // The version its claim should be of, by the audit row it names.
        let version = match named {
            Some(n) if n >= v2_from => Version::V2,
            _ => Version::V1,
        };
        let digest = live::digest_as(version, &shape, &kbuf, r, &mut dbuf)?;
        out.push(Rec::new(
            t,
            &kbuf,
            named.unwrap_or_default(),
            (digest, version),
            named.is_some(),
        ));
    }
    Ok(out)
}
