//! The seal of a keyed chain (issue 12, point 1): where the fact that a
//! database's chains are keyed is kept out of its writers' reach.
//!
//! `meta` says from which row the trail (`audit_hmac_from`) and the read
//! trace (`reads_hmac_from`) are keyed, but whoever can write the file can
//! delete those rows and recompute every hash with plain SHA-256 (the
//! encoding is documented). So `ir-committee audit seal-key`, run where the
//! key is installed (root at deployment; `demo` and tests on their own
//! files), writes a **seal file** beside the key file (`<key file>.seal`,
//! the key's group, its mode without any write bit for group or others,
//! written atomically). One line per database keyed with that key:
//!
//! ```text
//! seal@1 audit=<first keyed row>:<its hash> reads=<first keyed read row>
//! ```
//!
//! A database's line is the one whose row id holds that very hash in its
//! trail: an HMAC under the key, which nobody without the key can forge,
//! so no identifier stored in the (writable) database is trusted. With a
//! key configured, `audit --verify` then hashes every row from the sealed
//! rows on with the key, whatever `meta` says, and fails when `meta`
//! disagrees with the seal, when no line matches (the trail's keyed rows
//! were rewritten, or the file was never sealed), or when the seal file is
//! missing.

use std::io::Write as _;
use std::os::unix::fs::{MetadataExt, PermissionsExt};

#[allow(unused_imports)]
use super::*;

/// What a seal line records of one database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seal {
    /// The trail's first keyed row.
    pub audit_from: i64,
    /// That row's hash (an HMAC under the key).
    pub audit_hash: String,
    /// The read trace's first keyed row: `meta`'s when one was written
    /// before the seal, else the next row (every later one is keyed).
    pub reads_from: i64,
}

/// What `audit seal-key` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sealed {
    pub seal: Seal,
    /// The seal file.
    pub path: PathBuf,
    /// How many databases the file now seals (this one included).
    pub databases: usize,
    /// Whether this database's line was already there.
    pub already: bool,
}

/// The format of a seal line.
const MAGIC: &str = "seal@1";

/// The audit action of a sealing.
pub const ACTION: &str = "audit.seal";

const HEADER: &str = "# ir-committee audit seals, written by `ir-committee audit seal-key`:\n\
# one line per database keyed with the key beside this file.\n\
# seal@1 audit=<first keyed row>:<its hash> reads=<first keyed read row>\n";

impl Seal {
    fn line(&self) -> String {
        format!(
            "{MAGIC} audit={}:{} reads={}",
            self.audit_from, self.audit_hash, self.reads_from
        )
    }

    fn parse(line: &str) -> Option<Seal> {
        let mut words = line.split_ascii_whitespace();
        if words.next()? != MAGIC {
            return None;
        }
        let (from, hash) = words.next()?.strip_prefix("audit=")?.split_once(':')?;
        let reads = words.next()?.strip_prefix("reads=")?;
        if words.next().is_some()
            || hash.len() != 64
            || !hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
        {
            return None;
        }
        Some(Seal {
            audit_from: from.parse().ok().filter(|n| *n > 0)?,
            audit_hash: hash.to_owned(),
            reads_from: reads.parse().ok().filter(|n| *n > 0)?,
        })
    }
}

/// The seal file of `key`: beside it, `<key file>.seal`.
pub fn path_of(key: &Key) -> PathBuf {
    let mut name = key.path.as_os_str().to_owned();
    name.push(".seal");
    PathBuf::from(name)
}

fn shown(p: &Path) -> String {
    sanitize_line(&p.display().to_string())
}

fn fail(path: &Path, reason: impl std::fmt::Display) -> StorageError {
    StorageError::AuditSeal(format!(
        "cannot use the audit seal {}: {reason}",
        shown(path)
    ))
}

/// The seals in `path`; None when there is no such file. A file writable
/// by its group or others (or, running setgid, not root's) is refused: its
/// writers could unseal a chain.
fn load(path: &Path, owner: super::SealOwner) -> Result<Option<Vec<Seal>>> {
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(fail(path, io_reason(&e))),
    };
    if !meta.is_file() {
        return Err(fail(path, "it is not a regular file"));
    }
    if owner == super::SealOwner::Root {
        crate::storage::place::root_owned(meta.uid(), meta.mode()).map_err(|r| fail(path, r))?;
    } else if meta.mode() & 0o022 != 0 {
        return Err(fail(
            path,
            format!(
                "it is writable by its group or others (mode {:04o}; expected 0640 or 0600, like the key)",
                meta.mode() & 0o7777
            ),
        ));
    }
    let text = std::fs::read_to_string(path).map_err(|e| fail(path, io_reason(&e)))?;
    let mut seals = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let seal = Seal::parse(line).ok_or_else(|| {
            fail(
                path,
                format!("line {} is not `{MAGIC} audit=ROW:HASH reads=ROW`", i + 1),
            )
        })?;
        seals.push(seal);
    }
    Ok(Some(seals))
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        std::io::ErrorKind::NotFound => "no such file or folder".into(),
        _ => sanitize_line(&e.to_string()),
    }
}

/// The seal of the chains on `conn`: the line whose first keyed row holds
/// its hash. None found (or no seal file) is an error: a keyed chain must
/// be sealed, else whoever can write the file could strip its key.
pub(super) fn lookup(conn: &Connection, key: &Key) -> Result<Seal> {
    let path = path_of(key);
    let Some(seals) = load(&path, key.seal_owner())? else {
        return Err(StorageError::AuditSeal(format!(
            "the audit trail is keyed but not sealed: there is no {} beside the key, so whoever can write the database could strip the key and recompute its chains; run `ir-committee audit seal-key` where the key is installed (as root in a deployment)",
            shown(&path)
        )));
    };
    let mut stmt = conn.prepare_cached("SELECT hash FROM audit WHERE id = ?1")?;
    for seal in &seals {
        let hash: Option<Option<String>> =
            stmt.query_row([seal.audit_from], |r| r.get(0)).optional()?;
        if hash.flatten().as_deref() == Some(seal.audit_hash.as_str()) {
            return Ok(seal.clone());
        }
    }
    Err(StorageError::AuditSeal(format!(
        "none of the {} seals in {} matches this file's audit trail (no sealed row holds its sealed hash): its keyed rows were rewritten behind the app's back (restore a backup), or it was never sealed (run `ir-committee audit seal-key` as root)",
        seals.len(),
        shown(&path)
    )))
}

/// The trail's first keyed row as `meta` records it (none: not keyed).
fn meta_keyed_from(conn: &Connection) -> Result<Option<i64>> {
    let from: Option<String> = conn
        .query_row("SELECT value FROM meta WHERE key = ?1", [META_FROM], |r| {
            r.get(0)
        })
        .optional()?;
    from.map(|f| {
        f.parse::<i64>()
            .map_err(|_| StorageError::Corrupt(format!("meta '{META_FROM}' is not a row id")))
    })
    .transpose()
}

/// The read trace's next row id (after a pruning: the checkpoint's next).
fn next_read_id(conn: &Connection) -> Result<i64> {
    let last: Option<i64> = conn.query_row("SELECT max(id) FROM reads", [], |r| r.get(0))?;
    Ok(match last {
        Some(id) => id + 1,
        None => prune::checkpoint_for_append(conn)?.map_or(1, |cp| cp.through + 1),
    })
}

/// `ir-committee audit seal-key`: seals this database's chains in the file
/// beside the configured key. Refused without a key, by whoever cannot
/// write beside the key (before anything is written), and for chains that
/// do not verify under `meta`'s own account. The sealing is audited (an
/// [`ACTION`] row, which also keys a chain not keyed yet); sealing again
/// leaves the file as it was.
pub fn seal_key(db: &mut Db) -> Result<Sealed> {
    let key = db.audit_key().cloned().ok_or(StorageError::NoAuditKey)?;
    let key = &key;
    let path = path_of(key);
    let mut seals = load(&path, key.seal_owner())?.unwrap_or_default();
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    };
    // Whoever may not write beside the key stops here, the database untouched.
    let mut tmp = tempfile::Builder::new()
        .prefix(".ir-committee-seal-")
        .tempfile_in(&folder)
        .map_err(|e| {
            fail(
                &path,
                format!("cannot write beside the key: {}", io_reason(&e)),
            )
        })?;
    let shown_path = shown(&path);
    let seal = db.write(|w| {
        let tx = w.tx();
        let key = chain_key(tx, Some(key))?.ok_or(StorageError::NoAuditKey)?;
        let from = meta_keyed_from(tx)?.unwrap_or(i64::MAX);
        if let Verdict::Broken { id, reason } = walk_chain(tx, Some(key), from, None)? {
            return Err(StorageError::AuditSeal(format!(
                "not sealed: the audit trail is broken at row {id} ({reason}); see ir-committee audit --verify"
            )));
        }
        let reads_from = reads::meta_keyed_from(tx)?.unwrap_or(i64::MAX);
        if let Verdict::Broken { id, reason } = reads::walk_reads(tx, Some(key), reads_from)? {
            return Err(StorageError::AuditSeal(format!(
                "not sealed: the read trace is broken at row {id} ({reason}); see ir-committee audit --verify"
            )));
        }
        let reads_from = match reads::meta_keyed_from(tx)? {
            Some(from) => from,
            None => next_read_id(tx)?,
        };
        // Keys the trail from this row if it is not keyed yet.
        record(w, ACTION, None, None, Some(&shown_path))?;
        let audit_from = meta_keyed_from(tx)?.ok_or_else(|| {
            StorageError::Corrupt(format!("meta '{META_FROM}' missing after a keyed write"))
        })?;
        let audit_hash: String =
            tx.query_row("SELECT hash FROM audit WHERE id = ?1", [audit_from], |r| {
                r.get(0)
            })?;
        Ok(Seal {
            audit_from,
            audit_hash,
            reads_from,
        })
    })?;
    let same = |s: &Seal| s.audit_from == seal.audit_from && s.audit_hash == seal.audit_hash;
    if let Some(other) = seals
        .iter()
        .find(|s| same(s) && s.reads_from != seal.reads_from)
    {
        return Err(StorageError::AuditSeal(format!(
            "not sealed: {} already seals a database whose trail starts with the same keyed row {} but whose read trace is keyed from row {} (not {}): two databases made alike share the key (give each its own key), or the read trace was rewritten",
            shown_path, other.audit_from, other.reads_from, seal.reads_from
        )));
    }
    let already = seals.iter().any(same);
    if !already {
        seals.push(seal.clone());
    }
    let mut text = String::from(HEADER);
    for s in &seals {
        text.push_str(&s.line());
        text.push('\n');
    }
    let written = (|| -> std::io::Result<()> {
        tmp.write_all(text.as_bytes())?;
        let key_meta = std::fs::metadata(&key.path)?;
        let file = tmp.as_file();
        // The key's group, the key's mode without write bits for others.
        std::os::unix::fs::fchown(file, None, Some(key_meta.gid()))?;
        let mode = (key_meta.mode() & 0o640) | 0o600;
        file.set_permissions(std::fs::Permissions::from_mode(mode))?;
        file.sync_all()?;
        Ok(())
    })();
    written.map_err(|e| fail(&path, io_reason(&e)))?;
    tmp.persist(&path)
        .map_err(|e| fail(&path, io_reason(&e.error)))?;
    if let Ok(dir) = std::fs::File::open(&folder) {
        let _ = dir.sync_all();
    }
    Ok(Sealed {
        seal,
        path,
        databases: seals.len(),
        already,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seal_line_round_trips_and_a_bad_one_is_refused() {
        let s = Seal {
            audit_from: 1,
            audit_hash: "ab".repeat(32),
            reads_from: 7,
        };
        assert_eq!(Seal::parse(&s.line()), Some(s.clone()));
        for bad in [
            "seal@2 audit=1:00 reads=1",
            &format!("seal@1 audit=0:{} reads=1", "a".repeat(64)),
            &format!("seal@1 audit=1:{} reads=1", "A".repeat(64)),
            &format!("seal@1 audit=1:{} reads=x", "a".repeat(64)),
            &format!("seal@1 audit=1:{} reads=1 more", "a".repeat(64)),
            &format!("seal@1 audit=1:{}", "a".repeat(64)),
        ] {
            assert_eq!(Seal::parse(bad), None, "{bad}");
        }
    }
}
