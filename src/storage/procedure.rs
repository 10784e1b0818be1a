//! The procedure's own values beside the schedule: its access route, which
//! a person records in the screen's procedure form ([`set_access`]); who
//! last set a case's bleeding risk and access (read from the audit trail,
//! [`load_set_by`]); and the rule that a case's own `low` bleeding risk is
//! accepted only where every technique's risk is judged per case
//! ([`check_risk`], on every write of the schedule).

use rusqlite::{Connection, OptionalExtension, ToSql, params};

use super::schedule::Schedule;
use super::{Result, StorageError, Writer, audit};
use crate::domain::record::SetBy;
use crate::domain::roles::Permission;
use crate::domain::vocab::{Access, BleedingRisk, Technique};

/// Migration 9: the access route of a case, and the rules rows of the
/// per-case bleeding risk and of the INR threshold by access (the same rows
/// as `schema.sql` seeds; a file that has them keeps its own).
pub const SCHEMA: &str = "
    ALTER TABLE cases ADD COLUMN access TEXT
      CHECK (access IN ('femoral', 'radial', 'venous', 'percutaneous'));
    INSERT OR IGNORE INTO rules (rule, subject, risk, value, unit, severity, source) VALUES
     ('technique.risk_per_case',   'embolisation', '*', NULL, 'flag', 'none',
      'SIR 2019: risk per case (access, sheath, target)'),
     ('technique.arterial_access', 'embolisation', '*', NULL, 'flag', 'advisory',
      'SIR 2019: INR threshold by access; none recorded: the strictest'),
     ('coagulation.inr_max_arterial', 'femoral', 'low', 1.8, 'ratio', 'blocking',
      'SIR 2019 (Patel, JVIR 2019;30:1168): low-risk arterial, femoral access'),
     ('coagulation.inr_max_arterial', 'radial',  'low', 2.2, 'ratio', 'blocking',
      'SIR 2019 (Patel, JVIR 2019;30:1168): low-risk arterial, radial access');";

/// Records the access route of a case as a person chose it (`None`: not
/// recorded), audited (`case.access`). Like the dossier, it needs the
/// permission to record evidence: the operator (a radiologist) chooses the
/// access, and it sets a coagulation threshold. `expected` is the case's
/// version the form was read at: if the case changed since, nothing is
/// written ([`StorageError::Conflict`]). The re-import base is not touched:
/// a file that sends the access it sent before keeps the person's, one
/// that sends another leaves it pending (docs/import-format.md §7).
/// Returns the case's new version.
pub fn set_access(
    w: &Writer<'_>,
    case_id: i64,
    access: Option<Access>,
    expected: i64,
) -> Result<i64> {
    w.require(Permission::RecordEvidence, "case.access", Some(case_id))?;
    let (external_id, version, old): (String, i64, Option<String>) = w
        .tx()
        .query_row(
            "SELECT external_id, version, access FROM cases WHERE id = ?1",
            [case_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?
        .ok_or_else(|| StorageError::NoCase(case_id.to_string()))?;
    if version != expected {
        return Err(super::decisions::conflict(
            w,
            case_id,
            &external_id,
            expected,
            version,
        )?);
    }
    let new = access.map(|a| a.as_str().to_owned());
    if new == old {
        return Ok(version);
    }
    w.tx().execute(
        "UPDATE cases SET access = ?1, updated_at = ?2, version = version + 1 WHERE id = ?3",
        params![new, w.clock().timestamp(), case_id],
    )?;
    // As objects, like the schedule's own audit rows: who set it is read
    // back from them ([`load_set_by`]).
    let json = |v: &Option<String>| serde_json::json!({ "access": v }).to_string();
    audit::record(
        w,
        "case.access",
        Some(case_id),
        Some(&json(&old)),
        Some(&json(&new)),
    )?;
    Ok(version + 1)
}

/// Refuses a case's own `low` bleeding risk being written (`new`, where
/// `old` held something else) unless every technique's risk is judged per
/// case (`technique.risk_per_case`). Import checks it first, with the
/// value's place in the file; this holds for every other path (a value
/// taken by `resolve`, a script). A `low` already stored stays: the rule
/// engine ignores it where it lowers a risk, and says so.
pub(crate) fn check_risk(
    tx: &Connection,
    external_id: &dyn Fn() -> Result<String>,
    old: Option<&Schedule>,
    new: &Schedule,
) -> Result<()> {
    let low = Some(BleedingRisk::Low.as_str());
    if new.bleeding_risk.as_deref() != low || old.is_some_and(|o| o.bleeding_risk.as_deref() == low)
    {
        return Ok(());
    }
    let words: Vec<String> = serde_json::from_str(&new.techniques)?;
    let techniques: Vec<Technique> = words.iter().filter_map(|t| Technique::parse(t)).collect();
    let rules = super::rules::load(tx)?;
    if techniques.len() == words.len() && rules.lowerable(&techniques) {
        return Ok(());
    }
    let why = match rules.not_per_case(&techniques) {
        Some(t) => format!(
            "the risk of {t} ({}) is not judged per case",
            rules.technique_risk(t)
        ),
        None => "it has no technique whose risk is judged per case".to_owned(),
    };
    Err(StorageError::Invalid(format!(
        "{}: bleeding_risk 'low' refused: {why} (a case may only raise its techniques' risk)",
        external_id()?
    )))
}

/// Who last set a case's bleeding risk and its access: (case id, bleeding
/// risk's, access's).
pub(super) type CaseSetBy = (i64, Option<SetBy>, Option<SetBy>);

/// Who last set the bleeding risk and the access of the cases matching
/// `filter` (a condition on `cases c`): the newest audit row that changed
/// each (`case.create`, `case.update`, `case.access`), with the case's
/// source when it was created with the value.
pub(super) fn load_set_by(
    conn: &Connection,
    filter: &str,
    params: &[&dyn ToSql],
) -> Result<Vec<CaseSetBy>> {
    let field = |value: &str, key: &str| {
        format!("json_extract(CASE WHEN json_valid(a.{value}) THEN a.{value} END, '$.{key}')")
    };
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT a.case_id, a.login, a.at, a.action, c.source, {}, {}, {}, {}
         FROM cases c JOIN audit a ON a.case_id = c.id
         WHERE {filter} AND a.outcome = 'done'
           AND a.action IN ('case.create', 'case.update', 'case.access')
         ORDER BY a.case_id, a.id",
        field("old_value", "bleeding_risk"),
        field("new_value", "bleeding_risk"),
        field("old_value", "access"),
        field("new_value", "access"),
    ))?;
    type Row = (i64, String, String, String, String, [Option<String>; 4]);
    let rows = stmt
        .query_map(params, |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                [r.get(5)?, r.get(6)?, r.get(7)?, r.get(8)?],
            ))
        })?
        .collect::<rusqlite::Result<Vec<Row>>>()?;
    let mut out: Vec<CaseSetBy> = Vec::new();
    for (case_id, login, at, action, source, [old_risk, new_risk, old_access, new_access]) in rows {
        if out.last().is_none_or(|(id, _, _)| *id != case_id) {
            out.push((case_id, None, None));
        }
        let Some((_, risk, access)) = out.last_mut() else {
            continue;
        };
        let set_by = || SetBy {
            login: login.clone(),
            at: at.clone(),
            source: (action == "case.create").then(|| source.clone()),
        };
        // `case.access` rows hold the access only.
        if action != "case.access" && old_risk != new_risk {
            *risk = Some(set_by());
        }
        if old_access != new_access {
            *access = Some(set_by());
        }
    }
    Ok(out)
}

#[cfg(test)]
#[path = "procedure_tests.rs"]
mod tests;
