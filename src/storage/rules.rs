//! Reads the rules table into the rule engine's [`RuleSet`]. Every row is
//! checked against what the engine expects of its rule ([`RuleRow::check`]):
//! a department may edit the numbers, but a row the engine would misread (an
//! unknown rule, a wrong unit, a NULL, negative, non-finite or absurd value)
//! is refused with one clear line rather than silently judged.

use rusqlite::Connection;

use super::{Result, StorageError};
use crate::domain::rules::{RuleRow, RuleSet, Severity, Unit};
use crate::domain::vocab::BleedingRisk;

/// Loads and checks every row of the `rules` table.
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
        let (rule, subject, risk_word, value, unit, severity, source) = row?;
        let bad = |what: String| {
            StorageError::Corrupt(format!("rules row {rule}/{subject}/{risk_word}: {what}"))
        };
        let risk = match risk_word.as_str() {
            "*" => None,
            r => Some(BleedingRisk::parse(r).ok_or_else(|| bad(format!("unknown risk '{r}'")))?),
        };
        let row = RuleRow {
            unit: Unit::parse(&unit).ok_or_else(|| bad(format!("unknown unit '{unit}'")))?,
            severity: Severity::parse(&severity)
                .ok_or_else(|| bad(format!("unknown severity '{severity}'")))?,
            rule: rule.clone(),
            subject: subject.clone(),
            risk,
            value,
            source,
        };
        row.check().map_err(bad)?;
        out.push(row);
    }
    Ok(RuleSet::new(out))
}

/// A change to one row of the rules table.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub rule: String,
    /// A technique, drug or anaesthesia word, or `*`.
    pub subject: String,
    /// `low`, `high` or `*`.
    pub risk: String,
    pub value: Option<f64>,
    /// Keep the row's severity when None.
    pub severity: Option<Severity>,
}

/// Changes a threshold, window or hold (chair only), checked like every row
/// the engine reads, audited old → new. The row must exist: which rules
/// apply to what is fixed by the seed and migrations.
pub fn set(w: &super::Writer<'_>, c: &Change) -> Result<()> {
    use rusqlite::OptionalExtension;
    w.require(
        crate::domain::roles::Permission::ManageRules,
        "rules.set",
        None,
    )?;
    let key = format!("{}/{}/{}", c.rule, c.subject, c.risk);
    let old: Option<(Option<f64>, String, String, String)> = w
        .tx()
        .query_row(
            "SELECT value, unit, severity, source FROM rules WHERE rule = ?1 AND subject = ?2 AND risk = ?3",
            rusqlite::params![c.rule, c.subject, c.risk],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    let Some((old_value, unit, old_severity, source)) = old else {
        return Err(StorageError::Invalid(format!(
            "no rules row {key} (see `ir-committee rules list`)"
        )));
    };
    let severity = c
        .severity
        .map_or(old_severity.clone(), |s| s.as_str().to_owned());
    let row = RuleRow {
        rule: c.rule.clone(),
        subject: c.subject.clone(),
        risk: BleedingRisk::parse(&c.risk),
        value: c.value,
        unit: Unit::parse(&unit).ok_or_else(|| StorageError::Corrupt(format!("{key}: unit")))?,
        severity: Severity::parse(&severity)
            .ok_or_else(|| StorageError::Corrupt(format!("{key}: severity")))?,
        source,
    };
    row.check()
        .map_err(|e| StorageError::Invalid(format!("{key}: {e}")))?;
    w.tx().execute(
        "UPDATE rules SET value = ?4, severity = ?5, version = version + 1
         WHERE rule = ?1 AND subject = ?2 AND risk = ?3",
        rusqlite::params![c.rule, c.subject, c.risk, c.value, severity],
    )?;
    let show = |v: Option<f64>, s: &str| {
        format!(
            "{key} = {} ({s})",
            v.map_or("none".into(), |v| v.to_string())
        )
    };
    super::audit::record(
        w,
        "rules.set",
        None,
        Some(&show(old_value, &old_severity)),
        Some(&show(c.value, &severity)),
    )
}

/// The rules a new database is seeded with (`schema.sql`), for the library's
/// unit tests only.
#[cfg(test)]
pub(crate) fn seeded() -> RuleSet {
    let conn = Connection::open_in_memory().expect("in-memory SQLite opens");
    conn.execute_batch(super::migrate::SCHEMA)
        .expect("schema.sql applies");
    load(&conn).expect("seed rules load")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh in-memory database with the seeded rules, after `edit` (SQL).
    fn load_after(edit: &str) -> Result<RuleSet> {
        let conn = Connection::open_in_memory().expect("in-memory SQLite opens");
        conn.execute_batch(super::super::migrate::SCHEMA)
            .expect("schema.sql applies");
        conn.execute_batch(edit).expect("edit applies");
        load(&conn)
    }

    #[test]
    fn every_seeded_row_passes_its_check() {
        let rules = load_after("").expect("seed rules load");
        assert!(rules.rows().len() > 50);
        // Every known rule is seeded at least once.
        for spec in crate::domain::rules::table::KNOWN_RULES {
            assert!(
                rules.rows().iter().any(|r| r.rule == spec.rule),
                "{} not seeded",
                spec.rule
            );
        }
    }

    #[test]
    #[rustfmt::skip] // one row per case
    fn bad_rows_are_refused_at_load_with_one_clear_line() {
        let table = [
            ("UPDATE rules SET value = 1e300 WHERE rule = 'delay.min_hours'",
             "rules row delay.min_hours/*/*: value 1e300 hours out of the range 0–8760"),
            ("UPDATE rules SET unit = 'hours' WHERE rule = 'imaging.max_age'",
             "rules row imaging.max_age/*/*: unit 'hours' not allowed (expected days)"),
            ("UPDATE rules SET value = 1e999 WHERE rule = 'imaging.max_age'",
             "rules row imaging.max_age/*/*: value inf is not a finite number"),
            ("UPDATE rules SET value = -3 WHERE rule = 'medication.hold' AND subject = 'apixaban' AND risk = 'high'",
             "rules row medication.hold/apixaban/high: value -3 days out of the range 0–3650"),
            ("UPDATE rules SET value = NULL WHERE rule = 'coagulation.inr_max' AND risk = 'low'",
             "rules row coagulation.inr_max/*/low: value missing (NULL)"),
            ("UPDATE rules SET value = 40 WHERE rule = 'coagulation.inr_max' AND risk = 'high'",
             "rules row coagulation.inr_max/*/high: value 40 ratio out of the range 0.5–15"),
            ("UPDATE rules SET value = 0 WHERE rule = 'technique.duration' AND subject = 'neurolysis'",
             "rules row technique.duration/neurolysis/*: value 0 minutes out of the range 1–1440"),
            ("INSERT INTO rules (rule, subject, risk, value, unit, severity, source) \
              VALUES ('imaging.max_agee', '*', '*', 42, 'days', 'blocking', 'typo')",
             "rules row imaging.max_agee/*/*: unknown rule 'imaging.max_agee'"),
        ];
        for (edit, expected) in table {
            match load_after(edit) {
                Err(StorageError::Corrupt(msg)) => assert_eq!(msg, expected, "{edit}"),
                other => panic!("{edit}: expected a corrupt row, got {other:?}"),
            }
        }
    }

    #[test]
    fn sane_edits_still_load() {
        for edit in [
            "UPDATE rules SET value = 72 WHERE rule = 'delay.min_hours'",
            "UPDATE rules SET value = 1440, unit = 'minutes' WHERE rule = 'delay.min_hours'",
            "UPDATE rules SET value = 0 WHERE rule = 'imaging.max_age'",
            "UPDATE rules SET value = NULL WHERE rule = 'medication.aspirin_advisory'",
            "UPDATE rules SET value = 7 WHERE rule = 'consent.required'",
        ] {
            assert!(load_after(edit).is_ok(), "{edit}");
        }
    }
}
