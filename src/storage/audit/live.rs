//! The trail and the live tables agree (issue 12, point 2).
//!
//! Every row of a [`TRACKED`] table names, in its `audit_row` column, the
//! audit row that last wrote it, and that audit row holds a *claim* for it:
//! the table, the row's key (its primary key) and a digest of its content
//! (every column but `audit_row`), or that the write deleted it. The claims
//! of an audit row are its `rows` column, covered by the row's hash, so they
//! cannot be changed without breaking the chain.
//!
//! How rows are claimed: each connection that may write carries TEMP
//! triggers (never in the file, so a write from the sqlite3 shell is not
//! claimed) that note the key of every row a statement inserts, updates or
//! deletes. Each audit row appended through [`super::append_claiming`]
//! claims every row noted since the previous one of its transaction; rows
//! changed after a transaction's last audit row are claimed at commit by
//! one more row, [`CLAIM_ACTION`]. Migration 14 claims the rows that were
//! there before, in [`BASELINE_ACTION`] rows; a later migration that changes
//! tracked rows claims them in its Rust step (`migrate::after`).
//!
//! `audit --verify` ([`super::verify_live`]) then checks that each live row's
//! audit row is the last one to claim its key and that the digests match,
//! and that every row whose last claim says it exists still does.

use std::cell::RefCell;
use std::collections::HashMap;

use rusqlite::Connection;
use rusqlite::types::ValueRef;

use super::super::Result;
pub(crate) use super::row_digest::{Version, digest_as, digest_of};
use crate::storage::StorageError;

/// Every table a write changes, checked against the trail. A migration that
/// adds a table adds it here or to [`EXEMPT`] (a test fails otherwise).
pub const TRACKED: &[&str] = &[
    "meta",
    "patients",
    "cases",
    "evidence",
    "notes",
    "decisions",
    "rules",
    "users",
    "meetings",
    "attendance",
    "calendar_events",
    "import_base",
    "pending_values",
    "outcomes",
    "follow_ups",
    "deaths",
    "operator_links",
    "feed_messages",
    "service_map",
    "lab_unusable",
    "lab_result_status",
    "lab_held",
    "protocol_approvals",
];

/// Tables not checked against the trail, and why.
pub const EXEMPT: &[(&str, &str)] = &[
    ("audit", "the trail itself: hash-chained"),
    ("reads", "the read trace: its own hash chain"),
    (
        "drafts",
        "what a person was typing when a session dropped: not a write of the committee's data, never audited",
    ),
    (
        "case_facts",
        "derived: the indicators' facts of each case, kept by triggers from tracked tables (cases, decisions, evidence, outcomes, follow_ups)",
    ),
    (
        "preferences",
        "a person's own settings of the screen (the board's order): not the committee's data; each change is audited",
    ),
];

/// The column of a tracked table that names the audit row that last wrote it.
pub const COLUMN: &str = "audit_row";

/// The audit action of a row that claims what a transaction changed after
/// its last audit row.
pub const CLAIM_ACTION: &str = "rows.claim";

/// The audit action of the rows that claim what was there before the
/// cross-check existed (migration 14) or what a migration changed.
pub const BASELINE_ACTION: &str = "rows.baseline";

/// Format byte at the start of a `rows` value: its digests are of that
/// version ([`Version`]). Every claim written now is of the latest.
const FORMAT: u8 = Version::LATEST.byte();

/// Bytes of a row digest (SHA-256, truncated).
pub const DIGEST_BYTES: usize = 16;

/// Migration 14: the audit rows' claims, and the `audit_row` column of every
/// tracked table (the baseline claims follow in `migrate::after`).
pub(crate) const SCHEMA: &str = "
    ALTER TABLE audit ADD COLUMN rows BLOB;
    -- Stamping the checkpoint's row with its audit row changes no value.
    DROP TRIGGER reads_checkpoint_update;
    CREATE TRIGGER reads_checkpoint_update BEFORE UPDATE ON meta
    WHEN (old.key = 'reads_pruned_through' OR new.key = 'reads_pruned_through')
      AND (old.key IS NOT new.key OR old.value IS NOT new.value) AND NOT (
        old.key = new.key
        AND new.value GLOB '[1-9]*' AND NOT new.value GLOB '*[^0-9]*' AND length(new.value) <= 18
        AND CAST(new.value AS INTEGER) > CAST(old.value AS INTEGER)
        AND EXISTS (SELECT 1 FROM audit a WHERE a.id = (SELECT max(id) FROM audit)
                AND a.action = 'reads.prune' AND a.outcome = 'done'
                AND instr(' ' || a.new_value || ' ', ' last=' || new.value || ' ') > 0))
    BEGIN SELECT RAISE(ABORT, 'the read trace''s pruning checkpoint only rises, set by ir-committee audit prune-reads'); END;
    ALTER TABLE meta ADD COLUMN audit_row INTEGER;
    ALTER TABLE patients ADD COLUMN audit_row INTEGER;
    ALTER TABLE cases ADD COLUMN audit_row INTEGER;
    ALTER TABLE evidence ADD COLUMN audit_row INTEGER;
    ALTER TABLE notes ADD COLUMN audit_row INTEGER;
    ALTER TABLE decisions ADD COLUMN audit_row INTEGER;
    ALTER TABLE rules ADD COLUMN audit_row INTEGER;
    ALTER TABLE users ADD COLUMN audit_row INTEGER;
    ALTER TABLE meetings ADD COLUMN audit_row INTEGER;
    ALTER TABLE attendance ADD COLUMN audit_row INTEGER;
    ALTER TABLE calendar_events ADD COLUMN audit_row INTEGER;
    ALTER TABLE import_base ADD COLUMN audit_row INTEGER;
    ALTER TABLE pending_values ADD COLUMN audit_row INTEGER;
";

/// A tracked table's shape, read from the schema.
#[derive(Debug, Clone)]
pub(crate) struct Shape {
    pub table: &'static str,
    /// Every column, in order.
    pub columns: Vec<String>,
    /// Indexes into `columns` of the primary key, in key order.
    pub key: Vec<usize>,
    /// Index of [`COLUMN`].
    pub audit_row: usize,
    /// Whether the table has a rowid (reported instead of the key).
    pub rowid: bool,
    /// Each column's name as the digest encodes it (length, then bytes).
    pub named: Vec<Vec<u8>>,
    /// For each column, its place in the key, if it is a key column.
    pub key_pos: Vec<Option<usize>>,
}

impl Shape {
    /// The table's shape, from a cache for a file's connection (every write
    /// asks for it): keyed by the file, its schema version and the table,
    /// so that a schema change is seen. In memory: read each time.
    pub fn of(conn: &Connection, table: &'static str) -> Result<Shape> {
        type Cache = HashMap<(String, i64, &'static str), Shape>;
        thread_local! {
            static SHAPES: RefCell<Cache> = RefCell::new(HashMap::new());
        }
        let file = conn.path().filter(|p| !p.is_empty()).map(str::to_owned);
        let Some(file) = file else {
            return Shape::read(conn, table);
        };
        let version: i64 = conn
            .prepare_cached("PRAGMA main.schema_version")?
            .query_row([], |r| r.get(0))?;
        let key = (file, version, table);
        if let Some(s) = SHAPES.with(|c| c.borrow().get(&key).cloned()) {
            return Ok(s);
        }
        let shape = Shape::read(conn, table)?;
        SHAPES.with(|c| {
            let mut c = c.borrow_mut();
            if c.len() > 256 {
                c.clear();
            }
            c.insert(key, shape.clone());
        });
        Ok(shape)
    }

    fn read(conn: &Connection, table: &'static str) -> Result<Shape> {
        let mut stmt =
            conn.prepare_cached("SELECT name, pk FROM pragma_table_info(?1, 'main') ORDER BY cid")?;
        let mut cols: Vec<(String, i64)> = Vec::new();
        let mut q = stmt.query([table])?;
        while let Some(r) = q.next()? {
            cols.push((r.get(0)?, r.get(1)?));
        }
        let mut key: Vec<(i64, usize)> = cols
            .iter()
            .enumerate()
            .filter(|(_, (_, pk))| *pk > 0)
            .map(|(i, (_, pk))| (*pk, i))
            .collect();
        key.sort_unstable();
        let audit_row = cols
            .iter()
            .position(|(n, _)| n == COLUMN)
            .ok_or_else(|| StorageError::Corrupt(format!("table {table} has no {COLUMN}")))?;
        if key.is_empty() {
            return Err(StorageError::Corrupt(format!(
                "table {table} has no primary key"
            )));
        }
        let without_rowid: bool = conn
            .prepare_cached("SELECT wr FROM pragma_table_list WHERE schema = 'main' AND name = ?1")?
            .query_row([table], |r| r.get::<_, i64>(0))
            .map(|wr| wr != 0)?;
        let named = cols
            .iter()
            .map(|(n, _)| {
                let mut b = Vec::with_capacity(8 + n.len());
                put_bytes(&mut b, n.as_bytes());
                b
            })
            .collect();
        let mut key_pos = vec![None; cols.len()];
        for (j, &(_, i)) in key.iter().enumerate() {
            key_pos[i] = Some(j);
        }
        Ok(Shape {
            table,
            named,
            key_pos,
            columns: cols.into_iter().map(|(n, _)| n).collect(),
            key: key.into_iter().map(|(_, i)| i).collect(),
            audit_row,
            rowid: !without_rowid,
        })
    }

    pub(super) fn key_columns(&self) -> impl Iterator<Item = &str> {
        self.key.iter().map(|&i| self.columns[i].as_str())
    }

    /// `SELECT` of every column (then the rowid, when there is one).
    pub fn select(&self) -> String {
        let rowid = if self.rowid { ", rowid" } else { "" };
        format!(
            "SELECT {}{rowid} FROM main.{}",
            self.column_list(),
            self.table
        )
    }

    /// `SELECT` of every column, without the rowid.
    pub(super) fn select_columns(&self) -> String {
        format!("SELECT {} FROM main.{}", self.column_list(), self.table)
    }

    fn column_list(&self) -> String {
        let cols: Vec<String> = self.columns.iter().map(|c| quote(c)).collect();
        cols.join(", ")
    }

    pub(super) fn by_key(&self) -> String {
        let cond: Vec<String> = self
            .key_columns()
            .enumerate()
            .map(|(i, c)| format!("{} IS ?{}", quote(c), i + 1))
            .collect();
        format!("{} WHERE {}", self.select(), cond.join(" AND "))
    }

    /// `json_array(NEW.k1, NEW.k2)` for a trigger (`side` NEW or OLD).
    pub(super) fn key_json(&self, side: &str) -> String {
        let parts: Vec<String> = self
            .key_columns()
            .map(|c| format!("{side}.{}", quote(c)))
            .collect();
        format!("json_array({})", parts.join(", "))
    }
}

pub(super) fn quote(c: &str) -> String {
    format!("\"{}\"", c.replace('"', "\"\""))
}

/// A field of the canonical encodings: NULL 0, text 1 + length + bytes,
/// integer 2 + 8 bytes, real 5 + its 8 bytes, blob 6 + length + bytes
/// (lengths on 8 bytes, big-endian).
pub(super) fn put_value(buf: &mut Vec<u8>, v: ValueRef<'_>) {
    put_value_with(buf, v, 8);
}

/// [`put_value`] with text and blob lengths on the last `len_bytes` (1 to
/// 8) bytes of their big-endian 8 (version 2 row digests use 4).
pub(super) fn put_value_with(buf: &mut Vec<u8>, v: ValueRef<'_>, len_bytes: usize) {
    let sized = |buf: &mut Vec<u8>, tag: u8, b: &[u8]| {
        buf.push(tag);
        let len = (b.len() as u64).to_be_bytes();
        buf.extend_from_slice(&len[8 - len_bytes.clamp(1, 8)..]);
        buf.extend_from_slice(b);
    };
    match v {
        ValueRef::Null => buf.push(0),
        ValueRef::Integer(i) => {
            buf.push(2);
            buf.extend_from_slice(&i.to_be_bytes());
        }
        ValueRef::Real(f) => {
            buf.push(5);
            buf.extend_from_slice(&f.to_bits().to_be_bytes());
        }
        ValueRef::Text(t) => sized(buf, 1, t),
        ValueRef::Blob(b) => sized(buf, 6, b),
    }
}

pub(super) fn put_bytes(buf: &mut Vec<u8>, b: &[u8]) {
    buf.extend_from_slice(&(b.len() as u64).to_be_bytes());
    buf.extend_from_slice(b);
}

/// The key of a row: its primary key's values, encoded.
pub(crate) fn key_of(shape: &Shape, row: &rusqlite::Row<'_>, buf: &mut Vec<u8>) -> Result<()> {
    buf.clear();
    for &i in &shape.key {
        put_value(buf, row.get_ref(i)?);
    }
    Ok(())
}

/// One claim of an audit row: a row of `table` with `key` is as `digest`
/// (of `version`) says, or was deleted (`None`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim<'a> {
    pub table: &'a [u8],
    pub key: &'a [u8],
    pub digest: Option<[u8; DIGEST_BYTES]>,
    pub version: Version,
}

/// Appends a claim to a `rows` value (which starts with [`FORMAT`]).
pub(super) fn put_claim(
    out: &mut Vec<u8>,
    table: &str,
    key: &[u8],
    digest: Option<[u8; DIGEST_BYTES]>,
) {
    if out.is_empty() {
        out.push(FORMAT);
    }
    put_bytes(out, table.as_bytes());
    put_bytes(out, key);
    match digest {
        Some(d) => {
            out.push(1);
            out.extend_from_slice(&d);
        }
        None => out.push(0),
    }
}

/// The claims of a `rows` value, or None when it is malformed.
pub fn claims(rows: &[u8]) -> Option<Vec<Claim<'_>>> {
    let mut out = Vec::new();
    let (&format, mut rest) = rows.split_first()?;
    let version = Version::of_byte(format)?;
    fn take<'a>(rest: &mut &'a [u8], n: usize) -> Option<&'a [u8]> {
        if rest.len() < n {
            return None;
        }
        let (a, b) = rest.split_at(n);
        *rest = b;
        Some(a)
    }
    fn sized<'a>(rest: &mut &'a [u8]) -> Option<&'a [u8]> {
        let len = u64::from_be_bytes(take(rest, 8)?.try_into().ok()?);
        take(rest, usize::try_from(len).ok()?)
    }
    while !rest.is_empty() {
        let table = sized(&mut rest)?;
        let key = sized(&mut rest)?;
        let digest = match take(&mut rest, 1)?[0] {
            1 => Some(take(&mut rest, DIGEST_BYTES)?.try_into().ok()?),
            0 => None,
            _ => return None,
        };
        out.push(Claim {
            table,
            key,
            digest,
            version,
        });
    }
    Some(out)
}
