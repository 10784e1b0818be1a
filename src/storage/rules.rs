//! Reads the rules table into the rule engine's [`RuleSet`].

use rusqlite::Connection;

use super::{Result, StorageError};
use crate::domain::rules::{RuleRow, RuleSet, Severity, Unit};
use crate::domain::vocab::BleedingRisk;

/// Loads every row of the `rules` table.
pub fn load(conn: &Connection) -> Result<RuleSet> {
    let mut stmt = conn.prepare_cached(
        "SELECT rule, subject, risk, value, unit, severity, source FROM rules ORDER BY rule, subject, risk",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, Option<f64>>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, String>(5)?,
            r.get::<_, String>(6)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (rule, subject, risk, value, unit, severity, source) = row?;
        let bad =
            |what: &str| StorageError::Corrupt(format!("rules row {rule}/{subject}: bad {what}"));
        let risk = match risk.as_str() {
            "*" => None,
            r => Some(BleedingRisk::parse(r).ok_or_else(|| bad("risk"))?),
        };
        out.push(RuleRow {
            unit: Unit::parse(&unit).ok_or_else(|| bad("unit"))?,
            severity: Severity::parse(&severity).ok_or_else(|| bad("severity"))?,
            rule,
            subject,
            risk,
            value,
            source,
        });
    }
    Ok(RuleSet::new(out))
}

/// The rules a new database is seeded with (`schema.sql`), for tests.
pub fn seeded() -> RuleSet {
    let conn = Connection::open_in_memory().expect("in-memory SQLite opens");
    conn.execute_batch(super::migrate::SCHEMA)
        .expect("schema.sql applies");
    load(&conn).expect("seed rules load")
}
