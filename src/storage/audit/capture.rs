//! How rows are claimed (issue 12, point 2; the format and the shapes are
//! in [`super::live`]): each connection that may write carries TEMP
//! triggers, never in the file, that note the key of every row a statement
//! inserts, updates or deletes; each audit row appended through
//! [`super::append`] claims what was noted since the previous one
//! ([`take`], then [`stamp`] once its id is known).

use rusqlite::{Connection, params_from_iter};

use super::super::Result;
use super::live::{COLUMN, Shape, TRACKED, digest_of, key_of, put_claim, put_value, quote};
use crate::storage::StorageError;

/// Claims per baseline row: a large file's baseline spans several rows.
const BASELINE_CHUNK: usize = 10_000;

/// The TEMP table of rows changed since the last claim.
const CHANGED: &str = "temp.ir_changed";

/// Creates this connection's TEMP capture: the table of changed keys and a
/// trigger per tracked table and statement kind. Idempotent.
pub(crate) fn install_capture(conn: &Connection) -> Result<()> {
    let mut sql = String::from(
        "CREATE TEMP TABLE IF NOT EXISTS ir_changed (
             tbl TEXT NOT NULL, key TEXT NOT NULL, PRIMARY KEY (tbl, key)) WITHOUT ROWID;\n",
    );
    for t in TRACKED {
        let shape = Shape::of(conn, t)?;
        let note = |side: &str| {
            format!(
                // Not `INSERT OR IGNORE`: the outer statement's conflict
                // policy (an upsert, `INSERT OR REPLACE`) would override it.
                "INSERT INTO {CHANGED} (tbl, key) SELECT '{t}', k FROM (SELECT {} AS k)
                   WHERE NOT EXISTS (SELECT 1 FROM {CHANGED} WHERE tbl = '{t}' AND key = k);",
                shape.key_json(side)
            )
        };
        sql.push_str(&format!(
            "CREATE TEMP TRIGGER IF NOT EXISTS ir_claim_{t}_insert AFTER INSERT ON main.{t}
               BEGIN {} END;
             CREATE TEMP TRIGGER IF NOT EXISTS ir_claim_{t}_update AFTER UPDATE ON main.{t}
               BEGIN {} {} END;
             CREATE TEMP TRIGGER IF NOT EXISTS ir_claim_{t}_delete AFTER DELETE ON main.{t}
               BEGIN {} END;\n",
            note("NEW"),
            note("OLD"),
            note("NEW"),
            note("OLD"),
        ));
    }
    conn.execute_batch(&sql)?;
    Ok(())
}

/// Whether this connection notes changes (it has the capture).
fn capturing(conn: &Connection) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM temp.sqlite_schema WHERE name = 'ir_changed'")?
        .exists([])?)
}

/// Whether rows were changed since the last claim.
pub(crate) fn changed(conn: &Connection) -> Result<bool> {
    Ok(capturing(conn)?
        && conn
            .prepare_cached(&format!("SELECT 1 FROM {CHANGED} LIMIT 1"))?
            .exists([])?)
}

/// The rows changed since the last claim, as claims (`rows` value) and the
/// keys still present (to stamp with the audit row). Empty: nothing changed.
pub(crate) struct Pending {
    pub rows: Vec<u8>,
    present: Vec<(&'static str, Vec<rusqlite::types::Value>)>,
}

impl Pending {
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

/// Reads the changed keys and claims each row as it now is.
pub(crate) fn take(conn: &Connection) -> Result<Pending> {
    let mut pending = Pending {
        rows: Vec::new(),
        present: Vec::new(),
    };
    if !capturing(conn)? {
        return Ok(pending);
    }
    let changed: Vec<(String, String)> = conn
        .prepare_cached(&format!("SELECT tbl, key FROM {CHANGED} ORDER BY tbl, key"))?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    if changed.is_empty() {
        return Ok(pending);
    }
    let (mut kbuf, mut dbuf) = (Vec::new(), Vec::new());
    let mut shape: Option<Shape> = None;
    for (tbl, key_json) in changed {
        let Some(table) = TRACKED.iter().copied().find(|t| *t == tbl) else {
            continue;
        };
        if shape.as_ref().is_none_or(|s| s.table != table) {
            shape = Some(Shape::of(conn, table)?);
        }
        let Some(s) = shape.as_ref() else { continue };
        let values = key_values(&key_json)?;
        let mut stmt = conn.prepare_cached(&s.by_key())?;
        let mut q = stmt.query(params_from_iter(values.iter()))?;
        match q.next()? {
            Some(row) => {
                key_of(s, row, &mut kbuf)?;
                let d = digest_of(s, &kbuf, row, &mut dbuf)?;
                put_claim(&mut pending.rows, table, &kbuf, Some(d));
                pending.present.push((table, values));
            }
            None => {
                kbuf.clear();
                for v in &values {
                    put_value(&mut kbuf, v.into());
                }
                put_claim(&mut pending.rows, table, &kbuf, None);
            }
        }
    }
    Ok(pending)
}

/// The key values noted by a trigger (`json_array(…)`).
fn key_values(json: &str) -> Result<Vec<rusqlite::types::Value>> {
    use rusqlite::types::Value;
    let parsed: Vec<serde_json::Value> = serde_json::from_str(json)
        .map_err(|e| StorageError::Corrupt(format!("a changed row's key: {e}")))?;
    parsed
        .into_iter()
        .map(|v| match v {
            serde_json::Value::Null => Ok(Value::Null),
            serde_json::Value::String(s) => Ok(Value::Text(s)),
            serde_json::Value::Number(n) => match n.as_i64() {
                Some(i) => Ok(Value::Integer(i)),
                None => n
                    .as_f64()
                    .map(Value::Real)
                    .ok_or_else(|| StorageError::Corrupt("a changed row's key".into())),
            },
            _ => Err(StorageError::Corrupt("a changed row's key".into())),
        })
        .collect()
}

/// After the audit row `id` holding `pending`'s claims was appended: each
/// claimed row that exists names it, and the noted keys are cleared.
pub(crate) fn stamp(conn: &Connection, id: i64, pending: &Pending) -> Result<()> {
    let mut shape: Option<Shape> = None;
    for (table, values) in &pending.present {
        if shape.as_ref().is_none_or(|s| s.table != *table) {
            shape = Some(Shape::of(conn, table)?);
        }
        let Some(s) = shape.as_ref() else { continue };
        let cond: Vec<String> = s
            .key_columns()
            .enumerate()
            .map(|(i, c)| format!("{} IS ?{}", quote(c), i + 2))
            .collect();
        let sql = format!(
            "UPDATE main.{} SET {COLUMN} = ?1 WHERE {}",
            s.table,
            cond.join(" AND ")
        );
        let mut params: Vec<rusqlite::types::Value> = vec![id.into()];
        params.extend(values.iter().cloned());
        conn.prepare_cached(&sql)?
            .execute(params_from_iter(params.iter()))?;
    }
    if capturing(conn)? {
        conn.prepare_cached(&format!("DELETE FROM {CHANGED}"))?
            .execute([])?;
    }
    Ok(())
}

/// Every row of the tracked tables, as claims (migration 14, and a
/// migration that rewrites a table): `(rows value, keys)` in chunks.
pub(crate) fn baseline(conn: &Connection, tables: &[&'static str]) -> Result<Vec<Pending>> {
    let mut out = Vec::new();
    let mut cur = Pending {
        rows: Vec::new(),
        present: Vec::new(),
    };
    let (mut kbuf, mut dbuf) = (Vec::new(), Vec::new());
    for &table in tables {
        let s = Shape::of(conn, table)?;
        let mut stmt = conn.prepare(&s.select())?;
        let mut q = stmt.query([])?;
        while let Some(row) = q.next()? {
            key_of(&s, row, &mut kbuf)?;
            let d = digest_of(&s, &kbuf, row, &mut dbuf)?;
            put_claim(&mut cur.rows, table, &kbuf, Some(d));
            let values = s
                .key
                .iter()
                .map(|&i| row.get::<_, rusqlite::types::Value>(i))
                .collect::<rusqlite::Result<_>>()?;
            cur.present.push((table, values));
            if cur.present.len() >= BASELINE_CHUNK {
                out.push(std::mem::replace(
                    &mut cur,
                    Pending {
                        rows: Vec::new(),
                        present: Vec::new(),
                    },
                ));
            }
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    Ok(out)
}

/// Claims every row of `tables` as it is now, in [`super::live::BASELINE_ACTION`]
/// rows (migration 14, or a later migration that rewrites a table).
pub(crate) fn claim_baseline(
    conn: &Connection,
    clock: &crate::domain::clock::Clock,
    login: &str,
    key: Option<&super::Key>,
    tables: &[&'static str],
) -> Result<()> {
    let at = clock.timestamp();
    let chunks = baseline(conn, tables)?;
    let total = chunks.len();
    for (i, chunk) in chunks.iter().enumerate() {
        let what = format!("{} of {total}", i + 1);
        let entry = super::Entry {
            at: &at,
            login,
            role: None,
            origin: super::origin(),
            action: super::live::BASELINE_ACTION,
            case_id: None,
            patient_id: None,
            old_value: None,
            new_value: Some(&what),
            outcome: "done",
            // Migration 14 comes before the `clock` column (15).
            clock: None,
        };
        super::append_claims(conn, key, &entry, chunk)?;
    }
    Ok(())
}

/// At commit: the rows changed after the transaction's last audit row are
/// claimed by one more row, [`super::live::CLAIM_ACTION`].
pub(crate) fn claim_rest(w: &crate::storage::Writer<'_>) -> Result<()> {
    if changed(w.tx())? {
        super::write_row(w, super::live::CLAIM_ACTION, None, None, None, "done")?;
    }
    Ok(())
}
