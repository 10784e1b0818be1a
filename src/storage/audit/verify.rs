//! Walking the chain: `audit --verify [--anchor]`.

#[allow(unused_imports)]
use super::*;

/// What `audit --verify` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Every row fits; `anchor_row` is the row whose hash is the anchor.
    Intact {
        rows: u64,
        head: String,
        anchor_row: Option<i64>,
    },
    /// The first row that does not fit, and why.
    Broken { id: i64, reason: String },
    /// The chain is intact but no row has the anchor's hash.
    AnchorNotFound { rows: u64, head: String },
}

/// Walks the whole chain in id order. A keyed chain needs its key.
pub fn verify(db: &Db, anchor: Option<&str>) -> Result<Verdict> {
    // No patient data, but still not for a login the file does not know.
    db.require_read(crate::domain::roles::Read::AuditVerify)?;
    let conn = db.conn();
    let key = chain_key(conn, db.audit_key())?;
    let verdict = verify_chain(conn, key, anchor)?;
    super::clock::on_committee(conn, super::clock::Chain::Audit, verdict)
}

/// What `audit --verify` found: the trail's chain, then the live rows
/// against the trail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified<T> {
    pub chain: Verdict,
    pub live: LiveVerdict,
    /// What ran beside the check, on the calling thread.
    pub beside: T,
}

/// [`verify`] and [`verify_live`] together, in one pass over the file that
/// two threads share ([`super::verify_fast`]: each audit row read once,
/// for its hash and its claims); `beside` runs on the calling thread
/// meanwhile (the walk of the read trace). When anything does not fit, the
/// walks in order name the first row amiss.
pub fn verify_with_live<T>(
    db: &Db,
    anchor: Option<&str>,
    beside: impl FnOnce() -> T,
) -> Result<Verified<T>> {
    db.require_read(crate::domain::roles::Read::AuditVerify)?;
    let conn = db.conn();
    let key = chain_key(conn, db.audit_key())?;
    let mut live = None;
    let mut besides = None;
    let chain = verify_chain_by(conn, key, |key, keyed_from| {
        let chain = super::verify_fast::Chain {
            key,
            keyed_from,
            anchor,
        };
        let (passed, b) = super::verify_fast::pass(db.path(), Some(chain), beside)?;
        besides = Some(b);
        match passed {
            Some(super::verify_fast::Passed {
                chain: Some(verdict),
                live_rows,
            }) => {
                live = Some(LiveVerdict::Match {
                    rows: live_rows,
                    tables: super::live::TRACKED.len(),
                });
                Ok(verdict)
            }
            _ => walk_chain(conn, key, keyed_from, anchor),
        }
    })?;
    let chain = super::clock::on_committee(conn, super::clock::Chain::Audit, chain)?;
    let live = match live {
        Some(v) => v,
        None => super::live_verify::verify_live_in_order(db)?,
    };
    // The walk always runs, and `beside` with it.
    let beside = besides.ok_or_else(|| {
        StorageError::Corrupt("the check beside the audit walk did not run".into())
    })?;
    Ok(Verified {
        chain,
        live,
        beside,
    })
}

/// [`verify`]'s walk, on a connection or a transaction (the pruning of the
/// read trace walks the trail before it seals a checkpoint in it). With a
/// key, the rows are keyed from the first keyed row its seal names (beside
/// the key file, out of the database writers' reach: [`super::seal`]),
/// whatever `meta` says, and `meta` must agree with the seal; a keyed chain
/// with no seal is an error.
pub(super) fn verify_chain(
    conn: &Connection,
    key: Option<&Key>,
    anchor: Option<&str>,
) -> Result<Verdict> {
    verify_chain_by(conn, key, |key, keyed_from| {
        walk_chain(conn, key, keyed_from, anchor)
    })
}

/// [`verify_chain`] with the walk given: it gets the key and the first
/// keyed row.
fn verify_chain_by<'k>(
    conn: &Connection,
    key: Option<&'k Key>,
    walk: impl FnOnce(Option<&'k Key>, i64) -> Result<Verdict>,
) -> Result<Verdict> {
    let Some(k) = key else {
        return walk(None, i64::MAX);
    };
    let seal = super::seal::lookup(conn, k)?;
    let verdict = walk(key, seal.audit_from)?;
    if matches!(verdict, Verdict::Broken { .. }) {
        return Ok(verdict);
    }
    let meta = |name: &str| -> Result<Option<String>> {
        Ok(conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [name], |r| {
                r.get(0)
            })
            .optional()?)
    };
    let from = meta(META_FROM)?;
    if from.as_deref() != Some(seal.audit_from.to_string().as_str()) {
        let says = from.map_or_else(
            || "has no".to_owned(),
            |f| format!("says '{}' for", sanitize_line(&f)),
        );
        return Ok(Verdict::Broken {
            id: seal.audit_from,
            reason: format!(
                "meta {says} '{META_FROM}' but the seal beside the key says the chain is keyed from row {}: meta was changed behind the app's back",
                seal.audit_from
            ),
        });
    }
    if meta(META_CHECK)?.as_deref() != Some(k.check.as_str()) {
        return Ok(broken(
            seal.audit_from,
            "meta lost the key check value ('audit_hmac_check') of a sealed keyed chain: meta was changed behind the app's back",
        ));
    }
    Ok(verdict)
}

/// Walks the chain, the rows from `keyed_from` on hashed with `key`.
pub(super) fn walk_chain(
    conn: &Connection,
    key: Option<&Key>,
    keyed_from: i64,
    anchor: Option<&str>,
) -> Result<Verdict> {
    let mut stmt = conn.prepare(&format!("{SELECT_CHAIN} ORDER BY id"))?;
    let mut q = stmt.query([])?;
    let mut prev = GENESIS.to_owned();
    let mut prev_id: Option<i64> = None;
    let mut rows = 0_u64;
    let mut anchor_row = None;
    let mut buf = Vec::with_capacity(512);
    while let Some(r) = q.next()? {
        let f = fields(r)?;
        let id = f.id;
        let stored_prev = bytes(r, 11)?;
        let Some(stored) = bytes(r, 12)? else {
            return Ok(broken(id, "it has no hash (written behind the app's back)"));
        };
        if stored_prev != Some(prev.as_bytes()) {
            let reason = match prev_id {
                Some(p) => format!(
                    "its previous hash is not the hash of row {p}: a row between them was deleted, or one was inserted or rewritten"
                ),
                None => {
                    "its previous hash is not the genesis value: the rows before it were deleted"
                        .into()
                }
            };
            return Ok(Verdict::Broken { id, reason });
        }
        encode(&mut buf, prev.as_bytes(), &f);
        let k = if id >= keyed_from { key } else { None };
        let computed = hex(&digest(k, &buf));
        if computed.as_bytes() != stored {
            return Ok(broken(
                id,
                "its content does not match its hash: the row was changed",
            ));
        }
        if anchor == Some(computed.as_str()) {
            anchor_row = Some(id);
        }
        prev = computed;
        prev_id = Some(id);
        rows += 1;
    }
    Ok(match (anchor, anchor_row) {
        (Some(_), None) => Verdict::AnchorNotFound { rows, head: prev },
        _ => Verdict::Intact {
            rows,
            head: prev,
            anchor_row,
        },
    })
}

fn broken(id: i64, reason: &str) -> Verdict {
    Verdict::Broken {
        id,
        reason: reason.to_owned(),
    }
}

/// An anchor as typed: 64 hexadecimal digits (any case), else why not.
pub fn parse_anchor(s: &str) -> Result<String, String> {
    let t = s.trim();
    if t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(t.to_ascii_lowercase())
    } else {
        Err(format!(
            "'{}' is not an audit hash (64 hexadecimal digits, as printed by `audit --verify`)",
            sanitize_line(s)
        ))
    }
}
