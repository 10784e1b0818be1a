//! `feeds held` and `check`'s count: the laboratory results kept by
//! `feed_held` that reached no case, each with why, judged on the file as
//! it is now.

use std::collections::BTreeMap;

use serde::Serialize;

use super::feed_held::{Stored, Why, cutoff, judge, read_rows, stored_patient};
use super::{Db, Result};
use crate::domain::roles::Read;
use crate::domain::time::DATE_FMT;

/// One result (one message) that reached no case, as `feeds held` lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Held {
    pub received_at: String,
    /// `hl7:MSH-3@MSH-4`.
    pub source: String,
    /// MSH-10.
    pub control_id: String,
    /// The PID as sent.
    pub ipp: String,
    pub authority: String,
    pub last_name: String,
    pub first_name: String,
    pub birth_date: String,
    pub why: Why,
    /// For an identity mismatch: `birth_date`, `last_name`.
    pub differs: Vec<&'static str>,
    pub values: Vec<HeldValue>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HeldValue {
    /// Its key: `inr`, `platelets_g_l`…
    pub analyte: &'static str,
    /// In the stored unit.
    pub value: f64,
    /// The specimen's time.
    pub at: String,
}

/// The results that reached no case and may still matter, oldest first,
/// each with why, judged on the file as it is now.
pub(super) fn held(db: &Db) -> Result<Vec<Held>> {
    let conn = db.conn();
    let today = db.clock().today_in(db.timezone()?);
    let since = cutoff(conn, today)?
        .map(|d| d.format(DATE_FMT).to_string())
        .unwrap_or_default();
    let rows = read_rows(conn, "applied_at IS NULL AND at >= ?1", &[&since])?;
    let mut out: Vec<Held> = Vec::new();
    let mut patients: BTreeMap<String, Option<Stored>> = BTreeMap::new();
    for row in rows {
        if !patients.contains_key(&row.ipp) {
            patients.insert(row.ipp.clone(), stored_patient(conn, &row.ipp)?);
        }
        let stored = patients.get(&row.ipp).and_then(Option::as_ref);
        let (why, differs) = judge(stored, &row);
        let value = HeldValue {
            analyte: row.value.analyte.key(),
            value: row.value.value,
            at: row.value.at.to_string(),
        };
        if let Some(last) = out.last_mut()
            && last.source == row.source
            && last.control_id == row.control_id
        {
            last.values.push(value);
            continue;
        }
        out.push(Held {
            received_at: row.received_at,
            source: row.source,
            control_id: row.control_id,
            ipp: row.ipp,
            authority: row.authority,
            last_name: row.last_name,
            first_name: row.first_name,
            birth_date: row.birth_date,
            why,
            differs,
            values: vec![value],
        });
    }
    Ok(out)
}

/// `feeds held`: the results that reached no case, for who may read them
/// (`Read::HeldResults`); the caller traces the read before showing it.
pub fn list(db: &Db) -> Result<Vec<Held>> {
    db.require_read(Read::HeldResults)?;
    held(db)
}

/// How many results reached no case because the PID's birth date or
/// last name differs from the file's (a count, no patient data: `check`).
pub fn mismatches(db: &Db) -> Result<usize> {
    Ok(held(db)?
        .iter()
        .filter(|h| h.why == Why::IdentityMismatch)
        .count())
}
