//! `audit --verify`'s second half: the live tables against the trail's
//! claims ([`super::live`]). Reports the first mismatch by table and
//! internal row id, never a name, IPP or external id (`audit --verify` is
//! open to every registered user).

use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};
use std::sync::OnceLock;

use rusqlite::types::ValueRef;

#[allow(unused_imports)]
use super::*;
use live::{DIGEST_BYTES, Shape, TRACKED};

/// What the cross-check found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LiveVerdict {
    /// Every live row is as the last audit row to write it recorded, and
    /// every row the trail says exists does.
    Match { rows: u64, tables: usize },
    /// The first row that does not fit: its table, which row (internal
    /// ids only), and why.
    Mismatch {
        table: String,
        row: String,
        reason: String,
    },
}

/// The last claim of a key.
pub(super) struct Latest {
    pub(super) table: u8,
    pub(super) audit: i64,
    pub(super) digest: Option<[u8; DIGEST_BYTES]>,
    /// The digest's version (the claim's `rows` value says it).
    pub(super) version: live::Version,
}

/// A 128-bit hash of a table and key: the map's key. Keyed with random
/// keys drawn once per process (SipHash), so that nobody preparing a file
/// can choose two keys that collide: a collision would let a row stand for
/// another's claim. By chance, two of millions of keys collide with odds of
/// about 2^-80.
pub(super) fn slot(table: u8, key: &[u8]) -> u128 {
    let (h1, h2) = lanes(table, key);
    (u128::from(h1) << 64) | u128::from(h2)
}

/// [`slot`]'s second half alone: a 64-bit keyed hash of a table and key.
pub(super) fn slot64(table: u8, key: &[u8]) -> u64 {
    seeds().1.hash_one((table, key))
}

fn seeds() -> &'static (RandomState, RandomState) {
    static SEEDS: OnceLock<(RandomState, RandomState)> = OnceLock::new();
    SEEDS.get_or_init(|| (RandomState::new(), RandomState::new()))
}

fn lanes(table: u8, key: &[u8]) -> (u64, u64) {
    let (a, b) = seeds();
    (a.hash_one((table, key)), b.hash_one((table, key)))
}

/// The map's own hasher: its keys are already hashes ([`slot`]).
#[derive(Default)]
pub(super) struct Prehashed(u64);

impl std::hash::Hasher for Prehashed {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
    fn write_u128(&mut self, n: u128) {
        self.0 = (n as u64) ^ ((n >> 64) as u64);
    }
}

pub(super) type Slots<V> = HashMap<u128, V, std::hash::BuildHasherDefault<Prehashed>>;

/// Checks the live tables against the trail's claims. On a file, the
/// claims and the live rows are read by two threads at once and
/// sort-merged ([`super::verify_fast`]); whatever that finds amiss is then
/// walked again in order, in one read transaction (one snapshot of both),
/// so that the first mismatch is named.
pub fn verify_live(db: &Db) -> Result<LiveVerdict> {
    db.require_read(crate::domain::roles::Read::AuditVerify)?;
    if let (Some(passed), ()) = super::verify_fast::pass(db.path(), None, || ())? {
        return Ok(LiveVerdict::Match {
            rows: passed.live_rows,
            tables: TRACKED.len(),
        });
    }
    verify_live_in_order(db)
}

/// [`verify_live`]'s walk in order, which names the first mismatch.
pub(super) fn verify_live_in_order(db: &Db) -> Result<LiveVerdict> {
    let tx = db.conn().unchecked_transaction()?;
    let claims = match claims(&tx)? {
        Ok(c) => c,
        Err(v) => return Ok(v),
    };
    let verdict = check_with(&tx, claims)?;
    tx.finish()?;
    Ok(verdict)
}

fn mismatch(table: &str, row: String, reason: String) -> LiveVerdict {
    LiveVerdict::Mismatch {
        table: table.to_owned(),
        row,
        reason,
    }
}

/// Every key's last claim, and how many of them say the row exists; or
/// the audit row whose claims cannot be read.
pub(super) struct Claims {
    pub(super) latest: Slots<Latest>,
}

pub(super) fn claims(conn: &Connection) -> Result<Result<Claims, LiveVerdict>> {
    let mut latest: Slots<Latest> = Slots::default();
    let mut stmt = conn.prepare("SELECT id, rows FROM audit WHERE rows IS NOT NULL ORDER BY id")?;
    let mut q = stmt.query([])?;
    while let Some(r) = q.next()? {
        let id: i64 = r.get(0)?;
        let rows = match r.get_ref(1)? {
            ValueRef::Blob(b) => b,
            _ => {
                return Ok(Err(mismatch(
                    "audit",
                    format!("row {id}"),
                    "its claims are not a blob".into(),
                )));
            }
        };
        let Some(claims) = live::claims(rows) else {
            return Ok(Err(mismatch(
                "audit",
                format!("row {id}"),
                "its claims cannot be read".into(),
            )));
        };
        for c in claims {
            let Some(t) = TRACKED.iter().position(|t| t.as_bytes() == c.table) else {
                return Ok(Err(mismatch(
                    "audit",
                    format!("row {id}"),
                    "it claims a row of a table that is not checked".into(),
                )));
            };
            let t = u8::try_from(t).unwrap_or(u8::MAX);
            latest.insert(
                slot(t, c.key),
                Latest {
                    table: t,
                    audit: id,
                    digest: c.digest,
                    version: c.version,
                },
            );
        }
    }
    Ok(Ok(Claims { latest }))
}

/// The cross-check in order, one row after another: the first mismatch.
fn check_with(conn: &Connection, claims: Claims) -> Result<LiveVerdict> {
    let mut latest = claims.latest;
    let last: i64 = conn.query_row("SELECT ifnull(max(id), 0) FROM audit", [], |r| r.get(0))?;
    let (mut kbuf, mut dbuf) = (Vec::with_capacity(64), Vec::with_capacity(512));
    let mut rows = 0_u64;
    for (t, &table) in TRACKED.iter().enumerate() {
        let t = u8::try_from(t).unwrap_or(u8::MAX);
        let shape = Shape::of(conn, table)?;
        let mut stmt = conn.prepare(&shape.select())?;
        let mut q = stmt.query([])?;
        while let Some(r) = q.next()? {
            rows += 1;
            live::key_of(&shape, r, &mut kbuf)?;
            let named: Option<i64> = r.get(shape.audit_row)?;
            let which = || describe(&shape, r);
            let Some(claim) = latest.remove(&slot(t, &kbuf)) else {
                return Ok(mismatch(
                    table,
                    which(),
                    "no audit row wrote it: it was written behind the app's back, or the audit rows that wrote it were deleted".into(),
                ));
            };
            let Some(claimed) = claim.digest else {
                return Ok(mismatch(
                    table,
                    which(),
                    format!(
                        "audit row {} deleted it, but it is there: it was put back behind the app's back",
                        claim.audit
                    ),
                ));
            };
            if let Some(n) = named
                && n > last
            {
                return Ok(mismatch(
                    table,
                    which(),
                    format!(
                        "it names audit row {n}, which is not in the trail (its last row is {last}): the trail's tail was cut off"
                    ),
                ));
            }
            if named != Some(claim.audit) {
                let named =
                    named.map_or_else(|| "no audit row".to_owned(), |n| format!("audit row {n}"));
                return Ok(mismatch(
                    table,
                    which(),
                    format!(
                        "it names {named}, but the last audit row to write it is row {}: the row or the trail was changed behind the app's back",
                        claim.audit
                    ),
                ));
            }
            // The digest of the version the claim was written with.
            let digest = live::digest_as(claim.version, &shape, &kbuf, r, &mut dbuf)?;
            if digest != claimed {
                return Ok(mismatch(
                    table,
                    which(),
                    format!(
                        "its content is not what audit row {} recorded: it was changed behind the app's back",
                        claim.audit
                    ),
                ));
            }
        }
    }
    // What the trail says exists and was not found.
    let gone = latest
        .values()
        .filter(|l| l.digest.is_some())
        .min_by_key(|l| l.audit);
    if let Some(l) = gone {
        let table = TRACKED.get(usize::from(l.table)).copied().unwrap_or("?");
        return Ok(mismatch(
            table,
            format!("a row written by audit row {}", l.audit),
            "it no longer exists: it was deleted behind the app's back".into(),
        ));
    }
    Ok(LiveVerdict::Match {
        rows,
        tables: TRACKED.len(),
    })
}

/// Which row, by internal ids only: its rowid, or for a table without one
/// the integer parts of its key (a case's row id).
fn describe(shape: &Shape, r: &rusqlite::Row<'_>) -> String {
    if shape.rowid {
        return match r.get::<_, i64>(shape.columns.len()) {
            Ok(id) => format!("row {id}"),
            Err(_) => "a row".into(),
        };
    }
    let ints: Vec<String> = shape
        .key
        .iter()
        .filter_map(|&i| match r.get_ref(i) {
            Ok(ValueRef::Integer(n)) => Some(format!("{}={n}", shape.columns[i])),
            _ => None,
        })
        .collect();
    format!("the row with {}", ints.join(", "))
}
