//! The audit trail: one row per write, in the write's own transaction.
//!
//! The trail is append-only (triggers refuse UPDATE and DELETE, migration 3)
//! and hash-chained: each row stores `prev_hash`, the hash of the row before
//! it (64 zeros for the first), and `hash`, the SHA-256 of a canonical
//! encoding of `prev_hash` and its own fields ([`encode`]). When an audit key
//! is configured (`IR_COMMITTEE_AUDIT_KEY_FILE`) the hash is an HMAC-SHA-256
//! with that key, so that rewriting the chain behind the app's back needs
//! the key too; `meta` then records that the chain is keyed, from which row,
//! and a check value of the key (never the key itself). `meta` is writable
//! by whoever can write the file, so a keyed chain is also sealed beside
//! its key ([`seal`]), and the append-only triggers are checked before
//! every write ([`guard`]).
//!
//! [`verify`] walks the chain and reports the first row that does not fit:
//! a row edited (its hash no longer matches its content) or deleted or
//! inserted (the next row's `prev_hash` no longer matches).

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use chrono::{DateTime, NaiveDate, TimeZone};
use chrono_tz::Tz;
use hmac::{Hmac, Mac};
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OptionalExtension, Row};
use sha2::{Digest, Sha256};

use super::{Db, Result, StorageError, Writer};
use crate::domain::text::sanitize_line;

/// The `prev_hash` of the first row.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Fewest bytes accepted in a key file (e.g. `openssl rand -hex 32`).
const MIN_KEY_BYTES: usize = 32;

/// `meta` keys: the key check value, and the first row hashed with the key.
const META_CHECK: &str = "audit_hmac_check";
const META_FROM: &str = "audit_hmac_from";

/// Prefix of every encoded row: names the format so that it can evolve.
const DOMAIN: &[u8] = b"ir-committee/audit@1\0";

/// The audit key: HMAC-SHA-256 with the bytes of a file kept outside the
/// database. Never printed, never stored.
#[derive(Clone)]
pub struct Key {
    mac: Hmac<Sha256>,
    /// HMAC of a fixed text: tells whether a key is the chain's one.
    check: String,
    /// The key file: its seal is beside it (`seal`).
    path: PathBuf,
    /// Who must own the seal beside it.
    seal_owner: SealOwner,
}

/// Who may have written the seal file beside the key (`seal`): whoever
/// could write it could unseal a chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SealOwner {
    /// Anyone, as long as neither its group nor others may write it.
    Private,
    /// Root only (a setgid deployment: its users may not have written it).
    Root,
}

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Key(…)")
    }
}

impl Key {
    /// Reads a key file: its bytes, trailing whitespace (a final newline) removed.
    pub fn from_file(path: &Path) -> Result<Key> {
        let fail = |reason: String| StorageError::AuditKey {
            path: PathBuf::from(sanitize_line(&path.display().to_string())),
            reason,
        };
        if path.is_dir() {
            return Err(fail("it is a folder".into()));
        }
        let bytes = std::fs::read(path).map_err(|e| {
            fail(match e.kind() {
                std::io::ErrorKind::NotFound => "no such file".into(),
                std::io::ErrorKind::PermissionDenied => "permission denied".into(),
                _ => sanitize_line(&e.to_string()),
            })
        })?;
        let end = bytes
            .iter()
            .rposition(|b| !b.is_ascii_whitespace())
            .map_or(0, |i| i + 1);
        let bytes = &bytes[..end];
        if bytes.len() < MIN_KEY_BYTES {
            return Err(fail(format!(
                "it holds fewer than {MIN_KEY_BYTES} bytes (make one with `openssl rand -hex 32`)"
            )));
        }
        Key::from_bytes(bytes, path).ok_or_else(|| fail("not a usable key".into()))
    }

    fn from_bytes(bytes: &[u8], path: &Path) -> Option<Key> {
        let mac = Hmac::<Sha256>::new_from_slice(bytes).ok()?;
        let mut m = mac.clone();
        m.update(b"ir-committee/audit-key-check@1");
        let check = hex(&m.finalize().into_bytes().into());
        Some(Key {
            mac,
            check,
            path: path.to_owned(),
            seal_owner: SealOwner::Private,
        })
    }

    /// The same key, whose seal must be owned as `owner` says.
    pub fn with_seal_owner(mut self, owner: SealOwner) -> Key {
        self.seal_owner = owner;
        self
    }

    /// Who must own the seal beside this key.
    pub fn seal_owner(&self) -> SealOwner {
        self.seal_owner
    }

    fn digest(&self, bytes: &[u8]) -> [u8; 32] {
        let mut m = self.mac.clone();
        m.update(bytes);
        m.finalize().into_bytes().into()
    }
}

/// Where the session comes from: the client address and port of
/// `SSH_CONNECTION` ("client port server port"), else None. Read once.
pub fn origin() -> Option<&'static str> {
    static ORIGIN: OnceLock<Option<String>> = OnceLock::new();
    ORIGIN
        .get_or_init(|| parse_origin(&std::env::var("SSH_CONNECTION").ok()?))
        .as_deref()
}

fn parse_origin(value: &str) -> Option<String> {
    let mut parts = value.split_ascii_whitespace();
    let ip: std::net::IpAddr = parts.next()?.parse().ok()?;
    let port: u16 = parts.next()?.parse().ok()?;
    Some(std::net::SocketAddr::new(ip, port).to_string())
}

/// The fields a row's hash covers, besides `prev_hash`.
struct Fields<'a> {
    id: i64,
    at: &'a [u8],
    login: &'a [u8],
    role: Option<&'a [u8]>,
    origin: Option<&'a [u8]>,
    action: &'a [u8],
    case_id: Option<i64>,
    patient_id: Option<i64>,
    old_value: Option<&'a [u8]>,
    new_value: Option<&'a [u8]>,
    outcome: &'a [u8],
    /// 'fixed' when written under `--today` (a demo file), else None.
    clock: Option<&'a [u8]>,
    /// The live rows this row claims ([`live`]); None before migration 14.
    rows: Option<&'a [u8]>,
}

/// A text field of the canonical encoding: NULL as one 0 byte, else 1, its
/// length (8 bytes, big-endian) and its bytes.
fn put_text(buf: &mut Vec<u8>, v: Option<&[u8]>) {
    match v {
        None => buf.push(0),
        Some(s) => {
            buf.push(1);
            buf.extend_from_slice(&(s.len() as u64).to_be_bytes());
            buf.extend_from_slice(s);
        }
    }
}

/// An integer field of the canonical encoding: NULL as one 0 byte, else 2
/// and 8 bytes big-endian.
fn put_int(buf: &mut Vec<u8>, v: Option<i64>) {
    match v {
        None => buf.push(0),
        Some(i) => {
            buf.push(2);
            buf.extend_from_slice(&i.to_be_bytes());
        }
    }
}

/// The canonical encoding hashed for a row: a format prefix, then each field
/// in a fixed order, NULL as one 0 byte, text as 1, its length (8 bytes,
/// big-endian) and its bytes, an integer as 2 and 8 bytes big-endian. No
/// two different rows encode alike. Fields added later are encoded only when
/// set, each behind a marker byte of its own (3: `clock`), so that the rows
/// written before them keep their hashes.
fn encode(buf: &mut Vec<u8>, prev_hash: &[u8], f: &Fields<'_>) {
    let (text, int) = (put_text, put_int);
    buf.clear();
    buf.extend_from_slice(DOMAIN);
    text(buf, Some(prev_hash));
    int(buf, Some(f.id));
    text(buf, Some(f.at));
    text(buf, Some(f.login));
    text(buf, f.role);
    text(buf, f.origin);
    text(buf, Some(f.action));
    int(buf, f.case_id);
    int(buf, f.patient_id);
    text(buf, f.old_value);
    text(buf, f.new_value);
    text(buf, Some(f.outcome));
    // Fields added later are encoded only when present, each after its own
    // marker byte, so that the rows written before them keep their hashes.
    if let Some(clock) = f.clock {
        buf.push(3);
        text(buf, Some(clock));
    }
    if let Some(rows) = f.rows {
        buf.push(4);
        buf.extend_from_slice(&(rows.len() as u64).to_be_bytes());
        buf.extend_from_slice(rows);
    }
}

fn digest(key: Option<&Key>, bytes: &[u8]) -> [u8; 32] {
    match key {
        Some(k) => k.digest(bytes),
        None => Sha256::digest(bytes).into(),
    }
}

fn hex(d: &[u8; 32]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(64);
    for b in d {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    s
}

/// A row to append (its id and hashes are computed by [`append`]).
pub(crate) struct Entry<'a> {
    pub at: &'a str,
    pub login: &'a str,
    pub role: Option<&'a str>,
    pub origin: Option<&'a str>,
    pub action: &'a str,
    pub case_id: Option<i64>,
    pub patient_id: Option<i64>,
    pub old_value: Option<&'a str>,
    pub new_value: Option<&'a str>,
    pub outcome: &'a str,
    /// Some("fixed") when written under `--today` (a demo file only).
    pub clock: Option<&'a str>,
}

/// The key to hash the next row with: the chain's key when it is keyed
/// (refused without it or with another), `key` when one is configured.
fn chain_key<'k>(conn: &Connection, key: Option<&'k Key>) -> Result<Option<&'k Key>> {
    let check: Option<String> = conn
        .prepare_cached("SELECT value FROM meta WHERE key = ?1")?
        .query_row([META_CHECK], |r| r.get(0))
        .optional()?;
    match (check, key) {
        (Some(_), None) => Err(StorageError::AuditKeyNeeded),
        (Some(c), Some(k)) if c != k.check => Err(StorageError::AuditKeyMismatch),
        (_, k) => Ok(k),
    }
}

/// Records in `meta` that rows from `from` on are keyed with `key`.
fn mark_keyed(conn: &Connection, key: &Key, from: i64) -> Result<()> {
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2), (?3, ?4)",
        rusqlite::params![META_CHECK, key.check, META_FROM, from.to_string()],
    )?;
    Ok(())
}

/// Appends a row to the chain, in the caller's transaction: its id follows
/// the last row's, its `prev_hash` is that row's hash. The row claims the
/// live rows this connection changed since its previous row ([`live`]) and
/// they name it.
pub(crate) fn append(conn: &Connection, key: Option<&Key>, e: &Entry<'_>) -> Result<i64> {
    let (key, id, prev) = next(conn, key)?;
    // After `next`, which may have marked the chain keyed in `meta`: that
    // change is claimed by this row too.
    let pending = capture::take(conn)?;
    let rows = (!pending.is_empty()).then_some(pending.rows.as_slice());
    insert(conn, key, id, &prev, e, rows)?;
    capture::stamp(conn, id, &pending)?;
    Ok(id)
}

/// Appends a row that claims `pending` (a baseline chunk), not what the
/// connection noted.
pub(crate) fn append_claims(
    conn: &Connection,
    key: Option<&Key>,
    e: &Entry<'_>,
    pending: &capture::Pending,
) -> Result<i64> {
    let (key, id, prev) = next(conn, key)?;
    insert(conn, key, id, &prev, e, Some(&pending.rows))?;
    capture::stamp(conn, id, pending)?;
    Ok(id)
}

/// The key, id and previous hash of the next row (marking the chain keyed
/// from it when a key is configured and the chain is not yet keyed).
fn next<'k>(conn: &Connection, key: Option<&'k Key>) -> Result<(Option<&'k Key>, i64, String)> {
    let key = chain_key(conn, key)?;
    let last: Option<(i64, Option<String>)> = conn
        .prepare_cached("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1")?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let (id, prev) = match last {
        Some((id, hash)) => (id + 1, hash.unwrap_or_else(|| GENESIS.to_owned())),
        None => (1, GENESIS.to_owned()),
    };
    if let Some(k) = key
        && chain_is_unkeyed(conn)?
    {
        mark_keyed(conn, k, id)?;
    }
    Ok((key, id, prev))
}

fn insert(
    conn: &Connection,
    key: Option<&Key>,
    id: i64,
    prev: &str,
    e: &Entry<'_>,
    rows: Option<&[u8]>,
) -> Result<()> {
    let fields = Fields {
        id,
        at: e.at.as_bytes(),
        login: e.login.as_bytes(),
        role: e.role.map(str::as_bytes),
        origin: e.origin.map(str::as_bytes),
        action: e.action.as_bytes(),
        case_id: e.case_id,
        patient_id: e.patient_id,
        old_value: e.old_value.map(str::as_bytes),
        new_value: e.new_value.map(str::as_bytes),
        outcome: e.outcome.as_bytes(),
        clock: e.clock.map(str::as_bytes),
        rows,
    };
    let mut buf = Vec::with_capacity(256 + rows.map_or(0, <[u8]>::len));
    encode(&mut buf, prev.as_bytes(), &fields);
    let hash = hex(&digest(key, &buf));
    // `clock` and `rows` are named only when set: the migrations before
    // them append rows too.
    let mut values: Vec<&dyn rusqlite::ToSql> = vec![
        &id,
        &e.at,
        &e.login,
        &e.role,
        &e.origin,
        &e.action,
        &e.case_id,
        &e.patient_id,
        &e.old_value,
        &e.new_value,
        &e.outcome,
        &prev,
        &hash,
    ];
    let mut columns = String::new();
    let mut marks = String::new();
    if let Some(clock) = &e.clock {
        values.push(clock);
        columns.push_str(", clock");
        marks.push_str(&format!(", ?{}", values.len()));
    }
    if let Some(rows) = &rows {
        values.push(rows);
        columns.push_str(", rows");
        marks.push_str(&format!(", ?{}", values.len()));
    }
    let sql = format!(
        "INSERT INTO audit (id, at, login, role, origin, action, case_id, patient_id,
           old_value, new_value, outcome, prev_hash, hash{columns})
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13{marks})"
    );
    conn.prepare_cached(&sql)?.execute(values.as_slice())?;
    Ok(())
}

fn chain_is_unkeyed(conn: &Connection) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT value FROM meta WHERE key = ?1")?
        .query_row([META_CHECK], |_| Ok(()))
        .optional()?
        .is_none())
}

/// Appends an audit row: who (the connection's login and role), when, from
/// where, what, which case (and its patient), old → new, in the write's
/// transaction.
pub fn record(
    w: &Writer<'_>,
    action: &str,
    case_id: Option<i64>,
    old_value: Option<&str>,
    new_value: Option<&str>,
) -> Result<()> {
    write_row(w, action, case_id, old_value, new_value, "done")
}

/// Appends an audit row about a patient rather than one of their cases
/// (a death, issue 15 §2): the row names the patient, no case.
pub fn record_for_patient(
    w: &Writer<'_>,
    action: &str,
    patient_id: i64,
    old_value: Option<&str>,
    new_value: Option<&str>,
) -> Result<()> {
    append_row(
        w,
        action,
        (None, Some(patient_id)),
        (old_value, new_value),
        "done",
    )
}

/// Appends the audit row of an attempt the permission table refused.
pub fn record_refused(w: &Writer<'_>, action: &str, case_id: Option<i64>) -> Result<()> {
    write_row(w, action, case_id, None, None, "refused")
}

fn write_row(
    w: &Writer<'_>,
    action: &str,
    case_id: Option<i64>,
    old_value: Option<&str>,
    new_value: Option<&str>,
    outcome: &str,
) -> Result<()> {
    let patient_id = match case_id {
        Some(id) => w
            .tx()
            .prepare_cached("SELECT patient_id FROM cases WHERE id = ?1")?
            .query_row([id], |r| r.get(0))
            .optional()?,
        None => None,
    };
    append_row(
        w,
        action,
        (case_id, patient_id),
        (old_value, new_value),
        outcome,
    )
}

fn append_row(
    w: &Writer<'_>,
    action: &str,
    (case_id, patient_id): (Option<i64>, Option<i64>),
    (old_value, new_value): (Option<&str>, Option<&str>),
    outcome: &str,
) -> Result<()> {
    let tx = w.tx();
    let at = w.clock().timestamp();
    let clock = matches!(w.clock(), crate::domain::clock::Clock::Fixed(_)).then_some("fixed");
    // A feed message's file or peer, else the SSH session's client.
    let from: Option<&str> = match w.origin() {
        Some(o) => Some(o),
        None => origin(),
    };
    append(
        tx,
        w.audit_key(),
        &Entry {
            at: &at,
            login: w.login(),
            role: w.role().map(|r| r.as_str()),
            origin: from,
            action,
            case_id,
            patient_id,
            old_value,
            new_value,
            outcome,
            clock,
        },
    )?;
    Ok(())
}

pub(crate) mod capture;
mod chain_rows;
pub(crate) mod clock;
#[doc(hidden)]
pub mod forge;
pub mod guard;
mod list;
pub mod live;
mod live_merge;
mod live_verify;
pub mod prune;
pub mod reads;
mod row_digest;
pub mod seal;
mod verify;
mod verify_fast;

use chain_rows::{SELECT_CHAIN, bytes, fields};
pub(crate) use chain_rows::{backfill, rehash_plain};
pub use list::*;
pub use live_verify::*;
pub use verify::*;

#[cfg(test)]
mod tests;

#[cfg(test)]
mod prune_tests;

#[cfg(test)]
mod live_tests;

#[cfg(test)]
mod row_digest_tests;
