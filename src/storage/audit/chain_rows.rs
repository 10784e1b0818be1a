//! The chain's rows read back: rehashing them in id order (migration 3's
//! backfill, the plain rehash of `forge`), and the fields of a row as the
//! chain encodes them.

#[allow(unused_imports)]
use super::*;

/// Migration 3: computes `prev_hash` and `hash` of the rows written before
/// the chain existed, in id order (keyed from the first row when a key is
/// configured).
pub(crate) fn backfill(conn: &Connection, key: Option<&Key>) -> Result<()> {
    let first = rehash(conn, key, SELECT_CHAIN_4)?;
    if let Some(k) = key {
        mark_keyed(conn, k, first.unwrap_or(1))?;
    }
    Ok(())
}

/// Recomputes every row's `prev_hash` and `hash` in id order from the
/// genesis value, reading the rows with `select` ([`SELECT_CHAIN`] or, at
/// migration 4, [`SELECT_CHAIN_4`]); returns the first row's id.
fn rehash(conn: &Connection, key: Option<&Key>, select: &str) -> Result<Option<i64>> {
    let mut rows: Vec<(i64, String, String)> = Vec::new();
    let mut prev = GENESIS.to_owned();
    let mut buf = Vec::with_capacity(256);
    {
        let mut stmt = conn.prepare(&format!("{select} ORDER BY id"))?;
        let mut q = stmt.query([])?;
        while let Some(r) = q.next()? {
            let f = fields(r)?;
            encode(&mut buf, prev.as_bytes(), &f);
            let hash = hex(&digest(key, &buf));
            rows.push((f.id, prev, hash.clone()));
            prev = hash;
        }
    }
    let mut update = conn.prepare("UPDATE audit SET prev_hash = ?2, hash = ?3 WHERE id = ?1")?;
    for (id, prev, hash) in &rows {
        update.execute(rusqlite::params![id, prev, hash])?;
    }
    Ok(rows.first().map(|r| r.0))
}

/// The whole chain recomputed with plain SHA-256 ([`forge`]).
pub(crate) fn rehash_plain(conn: &Connection) -> Result<()> {
    rehash(conn, None, SELECT_CHAIN).map(|_| ())
}

/// The columns [`fields`] reads, then `prev_hash`, `hash`, then the
/// columns added later (`clock`, index 13; `rows`, index 14).
pub(super) const SELECT_CHAIN: &str =
    "SELECT id, at, login, role, origin, action, case_id, patient_id,
    old_value, new_value, outcome, prev_hash, hash, clock, rows FROM audit";

/// [`SELECT_CHAIN`] as of migration 4 (its backfill), before the later
/// columns (read as NULL).
const SELECT_CHAIN_4: &str = "SELECT id, at, login, role, origin, action, case_id, patient_id,
    old_value, new_value, outcome, prev_hash, hash, NULL, NULL FROM audit";

pub(super) fn bytes<'r>(r: &'r Row<'_>, i: usize) -> rusqlite::Result<Option<&'r [u8]>> {
    Ok(match r.get_ref(i)? {
        ValueRef::Null => None,
        ValueRef::Text(b) | ValueRef::Blob(b) => Some(b),
        ValueRef::Integer(_) | ValueRef::Real(_) => {
            return Err(rusqlite::Error::InvalidColumnType(
                i,
                "audit column".into(),
                rusqlite::types::Type::Text,
            ));
        }
    })
}

pub(super) fn fields<'r>(r: &'r Row<'_>) -> rusqlite::Result<Fields<'r>> {
    Ok(Fields {
        id: r.get(0)?,
        at: bytes(r, 1)?.unwrap_or_default(),
        login: bytes(r, 2)?.unwrap_or_default(),
        role: bytes(r, 3)?,
        origin: bytes(r, 4)?,
        action: bytes(r, 5)?.unwrap_or_default(),
        case_id: r.get(6)?,
        patient_id: r.get(7)?,
        old_value: bytes(r, 8)?,
        new_value: bytes(r, 9)?,
        outcome: bytes(r, 10)?.unwrap_or_default(),
        clock: bytes(r, 13)?,
        rows: bytes(r, 14)?,
    })
}
