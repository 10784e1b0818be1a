//! `audit --verify`'s second half: the live tables against the trail's
//! claims ([`super::live`]). Reports the first mismatch by table and
//! internal row id, never a name, IPP or external id (`audit --verify` is
//! open to every registered user).

use std::collections::HashMap;
use std::hash::{Hash, Hasher};

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
struct Latest {
    table: u8,
    audit: i64,
    digest: Option<[u8; DIGEST_BYTES]>,
}

/// A 128-bit hash of a table and key: the map's key. A collision could only
/// make two keys share a claim and be reported as a mismatch, never hide
/// one (a claim's digest covers the table and the key).
fn slot(table: u8, key: &[u8]) -> u128 {
    let mut a = std::collections::hash_map::DefaultHasher::new();
    table.hash(&mut a);
    key.hash(&mut a);
    let mut b = std::collections::hash_map::DefaultHasher::new();
    (!table).hash(&mut b);
    key.hash(&mut b);
    0xa5_u8.hash(&mut b);
    (u128::from(a.finish()) << 64) | u128::from(b.finish())
}

/// Checks the live tables against the trail's claims, in one read
/// transaction (one snapshot of both).
pub fn verify_live(db: &Db) -> Result<LiveVerdict> {
    db.require_read(crate::domain::roles::Read::AuditVerify)?;
    let tx = db.conn().unchecked_transaction()?;
    let verdict = check(&tx)?;
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

pub(super) fn check(conn: &Connection) -> Result<LiveVerdict> {
    let mut latest: HashMap<u128, Latest> = HashMap::new();
    {
        let mut stmt =
            conn.prepare("SELECT id, rows FROM audit WHERE rows IS NOT NULL ORDER BY id")?;
        let mut q = stmt.query([])?;
        while let Some(r) = q.next()? {
            let id: i64 = r.get(0)?;
            let rows = match r.get_ref(1)? {
                ValueRef::Blob(b) => b,
                _ => {
                    return Ok(mismatch(
                        "audit",
                        format!("row {id}"),
                        "its claims are not a blob".into(),
                    ));
                }
            };
            let Some(claims) = live::claims(rows) else {
                return Ok(mismatch(
                    "audit",
                    format!("row {id}"),
                    "its claims cannot be read".into(),
                ));
            };
            for c in claims {
                let Some(t) = TRACKED.iter().position(|t| t.as_bytes() == c.table) else {
                    return Ok(mismatch(
                        "audit",
                        format!("row {id}"),
                        "it claims a row of a table that is not checked".into(),
                    ));
                };
                let t = u8::try_from(t).unwrap_or(u8::MAX);
                latest.insert(
                    slot(t, c.key),
                    Latest {
                        table: t,
                        audit: id,
                        digest: c.digest,
                    },
                );
            }
        }
    }
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
            let digest = live::digest_of(&shape, &kbuf, r, &mut dbuf)?;
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
