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
    let key = chain_key(conn, key()?)?;
    let verdict = verify_chain(conn, key, anchor)?;
    super::clock::on_committee(conn, super::clock::Chain::Audit, verdict)
}

/// [`verify`]'s walk, on a connection or a transaction (the pruning of the
/// read trace walks the trail before it seals a checkpoint in it).
pub(super) fn verify_chain(
    conn: &Connection,
    key: Option<&Key>,
    anchor: Option<&str>,
) -> Result<Verdict> {
    let keyed_from = match key {
        Some(_) => {
            let from: Option<String> = conn
                .query_row("SELECT value FROM meta WHERE key = ?1", [META_FROM], |r| {
                    r.get(0)
                })
                .optional()?;
            match from.map(|f| f.parse::<i64>()) {
                // Keyed in meta: from that row on.
                Some(Ok(from)) => from,
                Some(Err(_)) => {
                    return Err(StorageError::Corrupt(format!(
                        "meta '{META_FROM}' is not a row id"
                    )));
                }
                // A key is configured but the chain is not keyed yet.
                None => i64::MAX,
            }
        }
        None => i64::MAX,
    };
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
