//! Reads the rules table into the rule engine's [`RuleSet`]. Every row is
//! checked against what the engine expects of its rule ([`RuleRow::check`]):
//! a department may edit the numbers, but a row the engine would misread (an
//! unknown rule, a wrong unit, a NULL, negative, non-finite or absurd value)
//! is refused with one clear line rather than silently judged.
//!
//! A chair changes a row ([`set`]) or a technique's bleeding risk
//! ([`set_technique_risk`]); each change raises the row's version, so that a
//! change made from an older read of the row (a screen left open) is refused
//! ([`StorageError::RuleConflict`]) rather than silently undoing another's.

use rusqlite::{Connection, OptionalExtension};

use super::{Result, StorageError, Writer};
use crate::domain::roles::Permission;
use crate::domain::rules::table::RowName;
use crate::domain::rules::{RuleRow, RuleSet, Severity, Unit};
use crate::domain::vocab::{BleedingRisk, Technique};

/// The rule whose rows give each technique's bleeding risk, in their risk column.
const TECHNIQUE_RISK: &str = "technique.bleeding_risk";

/// The migration that writes the drug holds of domain.md §3 item 7 (issue
/// 10). The unit's CHECK widens to `day_noon`, which SQLite can only do by
/// rebuilding the table (rows, versions and key kept). Before a low-risk
/// procedure a direct oral anticoagulant's last intake falls on J−1 before
/// 12:00 or earlier (`day_noon` 1), instead of "≥ 24 h": the rows still
/// at that seeded 24 hours are rewritten, keeping their severity, their
/// version raised so that a change made from an older read is refused; a
/// row a chair changed is left as the chair set it (a stricter 48 h stays
/// 48 h: never loosened behind anyone's back); a missing one is added. Aspirin: one advisory
/// row at high risk for the drug, whatever the technique, replaces the
/// per-technique rows.
pub const DRUG_HOLDS: &str = "
    CREATE TABLE rules_new (
        rule     TEXT NOT NULL,
        subject  TEXT NOT NULL DEFAULT '*',
        risk     TEXT NOT NULL DEFAULT '*' CHECK (risk IN ('low', 'high', '*')),
        value    REAL,
        unit     TEXT NOT NULL CHECK (unit IN ('days', 'day_noon', 'hours', 'minutes', 'g_l',
                   'ratio', 'ml_min', 'flag')),
        severity TEXT NOT NULL CHECK (severity IN ('blocking', 'advisory', 'none')),
        source   TEXT NOT NULL,
        version  INTEGER NOT NULL DEFAULT 1,
        PRIMARY KEY (rule, subject, risk)
    ) STRICT;
    INSERT INTO rules_new (rule, subject, risk, value, unit, severity, source, version)
      SELECT rule, subject, risk, value, unit, severity, source, version FROM rules;
    DROP TABLE rules;
    ALTER TABLE rules_new RENAME TO rules;
    UPDATE rules SET value = 1, unit = 'day_noon', version = version + 1,
        source = 'GIHP 2015: skip the evening before and the morning of'
      WHERE rule = 'medication.hold' AND risk = 'low' AND unit = 'hours' AND value = 24
        AND subject IN ('apixaban', 'rivaroxaban', 'edoxaban', 'dabigatran');
    INSERT OR IGNORE INTO rules (rule, subject, risk, value, unit, severity, source) VALUES
     ('medication.hold', 'apixaban',    'low', 1, 'day_noon', 'blocking', 'GIHP 2015: skip the evening before and the morning of'),
     ('medication.hold', 'rivaroxaban', 'low', 1, 'day_noon', 'blocking', 'GIHP 2015: skip the evening before and the morning of'),
     ('medication.hold', 'edoxaban',    'low', 1, 'day_noon', 'blocking', 'GIHP 2015: skip the evening before and the morning of'),
     ('medication.hold', 'dabigatran',  'low', 1, 'day_noon', 'blocking', 'GIHP 2015: skip the evening before and the morning of');
    DELETE FROM rules WHERE rule = 'medication.aspirin_advisory';
    INSERT INTO rules (rule, subject, risk, value, unit, severity, source) VALUES
     ('medication.aspirin_advisory', 'aspirin', 'high', NULL, 'flag', 'advisory',
      'SIR 2019: hold 3–5 days; GIHP/GFHT/SFAR 2018: usually continued');";

/// Loads and checks every row of the `rules` table.
pub fn load(conn: &Connection) -> Result<RuleSet> {
    let mut stmt = conn.prepare_cached(
        "SELECT rule, subject, risk, value, unit, severity, source, version
         FROM rules ORDER BY rule, subject, risk",
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
            r.get::<_, i64>(7)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (rule, subject, risk_word, value, unit, severity, source, version) = row?;
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
            version,
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
    /// The row's version as the caller read it ([`RuleRow::version`]): if
    /// the row changed since, nothing is written
    /// ([`StorageError::RuleConflict`]). None: no check (a caller that reads
    /// and writes in one transaction).
    pub expected_version: Option<i64>,
}

/// Returns whether anything changed (the same value again writes nothing).
/// Changes a threshold, window or hold (chair only), checked like every row
/// the engine reads, audited old → new. The row must exist: which rules
/// apply to what is fixed by the seed and migrations.
pub fn set(w: &Writer<'_>, c: &Change) -> Result<bool> {
    w.require(Permission::ManageRules, "rules.set", None)?;
    let key = format!("{}/{}/{}", c.rule, c.subject, c.risk);
    let old: Option<(Option<f64>, String, String, String, i64)> = w
        .tx()
        .query_row(
            "SELECT value, unit, severity, source, version FROM rules
             WHERE rule = ?1 AND subject = ?2 AND risk = ?3",
            rusqlite::params![c.rule, c.subject, c.risk],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .optional()?;
    let Some((old_value, unit, old_severity, source, version)) = old else {
        return Err(StorageError::NoRuleRow(key));
    };
    let risk = BleedingRisk::parse(&c.risk);
    check_version(
        w,
        (&c.rule, &c.subject, risk),
        &key,
        c.expected_version,
        version,
    )?;
    let severity = c
        .severity
        .map_or(old_severity.clone(), |s| s.as_str().to_owned());
    let row = RuleRow {
        rule: c.rule.clone(),
        subject: c.subject.clone(),
        risk,
        value: c.value,
        unit: Unit::parse(&unit).ok_or_else(|| StorageError::Corrupt(format!("{key}: unit")))?,
        severity: Severity::parse(&severity)
            .ok_or_else(|| StorageError::Corrupt(format!("{key}: severity")))?,
        source,
        version: version + 1,
    };
    if let Some(problem) = row.problem() {
        return Err(StorageError::RuleRefused {
            row: Box::new(RowName {
                rule: row.rule,
                subject: row.subject,
                risk,
            }),
            problem,
        });
    }
    if old_value == c.value && old_severity == severity {
        // The same value again: nothing written, nothing audited.
        return Ok(false);
    }
    w.tx().execute(
        "UPDATE rules SET value = ?4, severity = ?5, version = version + 1
         WHERE rule = ?1 AND subject = ?2 AND risk = ?3",
        rusqlite::params![c.rule, c.subject, c.risk, c.value, severity],
    )?;
    super::protocol::bump(w)?;
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
    )?;
    Ok(true)
}

/// Sets a technique's bleeding risk (chair only): the risk column of its
/// `technique.bleeding_risk` row, which [`RuleSet::technique_risk`] reads.
/// The technique must have its row. Nothing is written when the risk is
/// already `risk`; otherwise the row's version goes up and the change is
/// audited old → new (`rules.risk`). `expected_version` as in [`Change`].
pub fn set_technique_risk(
    w: &Writer<'_>,
    technique: Technique,
    risk: BleedingRisk,
    expected_version: Option<i64>,
) -> Result<()> {
    w.require(Permission::ManageRules, "rules.risk", None)?;
    let subject = technique.as_str();
    let key = format!("{TECHNIQUE_RISK}/{subject}");
    let rows = w
        .tx()
        .prepare_cached(
            "SELECT risk, version FROM rules WHERE rule = ?1 AND subject = ?2 ORDER BY risk",
        )?
        .query_map([TECHNIQUE_RISK, subject], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let (old, version) = match rows.as_slice() {
        [] => return Err(StorageError::NoRiskRow(technique)),
        [(old, version)] => (old.clone(), *version),
        several => {
            let risks = several.iter().map(|(r, _)| r.clone()).collect();
            return Err(StorageError::RiskRows(technique, risks));
        }
    };
    check_version(
        w,
        (TECHNIQUE_RISK, subject, None),
        &key,
        expected_version,
        version,
    )?;
    if old == risk.as_str() {
        return Ok(());
    }
    w.tx().execute(
        "UPDATE rules SET risk = ?3, version = version + 1
         WHERE rule = ?1 AND subject = ?2 AND risk = ?4",
        rusqlite::params![TECHNIQUE_RISK, subject, risk.as_str(), old],
    )?;
    super::protocol::bump(w)?;
    super::audit::record(
        w,
        "rules.risk",
        None,
        Some(&format!("{key} = {old}")),
        Some(&format!("{key} = {risk}")),
    )
}

/// Refuses a change made from an older read of a row: the caller read
/// version `expected`, the file holds `found`.
fn check_version(
    w: &Writer<'_>,
    (rule, subject, risk): (&str, &str, Option<BleedingRisk>),
    key: &str,
    expected: Option<i64>,
    found: i64,
) -> Result<()> {
    match expected {
        Some(expected) if expected != found => {
            let (by, at) = last_change(w, rule, subject, key)?.unzip();
            Err(StorageError::RuleConflict {
                row: Box::new(RowName {
                    rule: rule.to_owned(),
                    subject: subject.to_owned(),
                    risk,
                }),
                expected,
                found,
                by,
                at,
            })
        }
        _ => Ok(()),
    }
}

/// Who last changed a rules row and when: its newest `rules.set` or
/// `rules.risk` audit row, whose old and new values start with the row's key
/// ("rule/subject/risk = …"). A technique's bleeding risk row is known by
/// its rule and subject alone, since a change of risk changes its key.
fn last_change(
    w: &Writer<'_>,
    rule: &str,
    subject: &str,
    key: &str,
) -> Result<Option<(String, String)>> {
    let [a, b] = if rule == TECHNIQUE_RISK {
        [format!("{rule}/{subject}/"), format!("{rule}/{subject} = ")]
    } else {
        [format!("{key} = "), format!("{key} = ")]
    };
    Ok(w.tx()
        .query_row(
            "SELECT login, at FROM audit
             WHERE action IN ('rules.set', 'rules.risk') AND outcome = 'done'
               AND (instr(old_value, ?1) = 1 OR instr(new_value, ?1) = 1
                 OR instr(old_value, ?2) = 1 OR instr(new_value, ?2) = 1)
             ORDER BY id DESC LIMIT 1",
            [a, b],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

/// The rules a new database starts with (`schema.sql`, then every
/// migration), for the library's unit tests only.
#[cfg(test)]
pub(crate) fn seeded() -> RuleSet {
    seeded_db().rules().expect("seed rules load")
}

/// A new in-memory database (the caller is its chair).
#[cfg(test)]
fn seeded_db() -> super::Db {
    let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 26).expect("date");
    super::Db::open_in_memory(crate::domain::clock::Clock::Fixed(day)).expect("in-memory database")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh in-memory database with the seeded rules, after `edit` (SQL).
    fn load_after(edit: &str) -> Result<RuleSet> {
        let db = seeded_db();
        db.conn().execute_batch(edit).expect("edit applies");
        load(db.conn())
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

    /// Issue 17 (the local protocol): every seeded rule names where it
    /// comes from (a society's guideline, or "local default"): a protocol
    /// the department signs says the source of each threshold.
    #[test]
    fn every_seeded_row_names_its_source() {
        let rules = load_after("").expect("seed rules load");
        let unsourced: Vec<String> = rules
            .rows()
            .iter()
            .filter(|r| r.source.trim().is_empty())
            .map(|r| {
                format!(
                    "{}/{}/{}",
                    r.rule,
                    r.subject,
                    r.risk.map_or("*", |k| k.as_str())
                )
            })
            .collect();
        assert!(unsourced.is_empty(), "no source: {unsourced:?}");
        // The test can fail: a row without one is found.
        let edited = load_after("UPDATE rules SET source = ' ' WHERE rule = 'delay.min_hours'")
            .expect("loads");
        assert!(edited.rows().iter().any(|r| r.source.trim().is_empty()));
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
