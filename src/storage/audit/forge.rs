//! What an insider with the sqlite3 shell and the README can do to the
//! chains, for the tamper tests (issue 12): recompute every hash with plain
//! SHA-256 and the documented encoding, as if the chains had never been
//! keyed. Nothing here needs the key; the append-only triggers must be
//! dropped first. Not used by the program.

#[allow(unused_imports)]
use super::*;

/// Recomputes every audit row's `prev_hash` and `hash` with plain SHA-256,
/// in id order from the genesis value (what migration 4 did for the rows
/// written before the chain existed).
#[doc(hidden)]
pub fn rehash_trail_plain(conn: &Connection) -> Result<()> {
    rehash_plain(conn)
}

/// Recomputes every read row's `prev_hash` and `hash` with plain SHA-256,
/// in id order from the genesis value (or the pruning checkpoint).
#[doc(hidden)]
pub fn rehash_reads_plain(conn: &Connection) -> Result<()> {
    let mut prev = match prune::chain_start(conn)? {
        Ok(Some(cp)) => cp.hash,
        _ => GENESIS.to_owned(),
    };
    let mut rows: Vec<(i64, String, String)> = Vec::new();
    let mut buf = Vec::with_capacity(256);
    {
        let mut stmt = conn.prepare(&format!("{} ORDER BY id", reads::SELECT_READS))?;
        let mut q = stmt.query([])?;
        while let Some(r) = q.next()? {
            let f = reads::read_fields(r)?;
            reads::encode_read(&mut buf, prev.as_bytes(), &f);
            let hash = hex(&digest(None, &buf));
            rows.push((f.id, prev, hash.clone()));
            prev = hash;
        }
    }
    let mut update = conn.prepare("UPDATE reads SET prev_hash = ?2, hash = ?3 WHERE id = ?1")?;
    for (id, prev, hash) in &rows {
        update.execute(rusqlite::params![id, prev, hash])?;
    }
    Ok(())
}

/// Runs `sql` on the file by hand and claims the rows it changed in one
/// more audit row (`rows.claim`, login "by hand"): what an insider who
/// edits rows with the sqlite3 shell would have to do to hide it from the
/// cross-check ([`live`]). Needs the audit key when the chain is keyed
/// (`key_file`), as any append does. The tests set roles this way.
#[doc(hidden)]
pub fn by_hand(
    path: &std::path::Path,
    key_file: Option<&std::path::Path>,
    sql: &str,
) -> Result<()> {
    let key = key_file.map(Key::from_file).transpose()?;
    let conn = Connection::open(path)?;
    capture::install_capture(&conn)?;
    let tx = rusqlite::Transaction::new_unchecked(&conn, rusqlite::TransactionBehavior::Immediate)?;
    tx.execute_batch(sql)?;
    let at = crate::domain::clock::Clock::System.timestamp();
    let entry = Entry {
        at: &at,
        login: "by hand",
        role: None,
        origin: None,
        action: live::CLAIM_ACTION,
        case_id: None,
        patient_id: None,
        old_value: None,
        new_value: None,
        outcome: "done",
        clock: None,
    };
    append(&tx, key.as_ref(), &entry)?;
    tx.commit()?;
    Ok(())
}
