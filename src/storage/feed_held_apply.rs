//! Laboratory values kept (`feed_held`) applied to a case when one can
//! take them: a case created, or given its patient, by a booking or an
//! import, or the patient's identity corrected (ADT^A08). Only the
//! patient's cases a live result reaches ([`upcoming_cases`]).

use std::collections::BTreeMap;

use rusqlite::params;

use super::feed_held::{APPLY_ACTION, Row, Why, cutoff, judge, purge, read_rows, stored_patient};
use super::feed_labs::upcoming_cases;
use super::reimport_apply::ItemReport;
use super::{Result, Writer, audit};
use crate::domain::labs::{Analyte, LabValue};
use crate::domain::time::DATE_FMT;

/// Applies the kept values of the case's patient to the case `case_id`
/// (just created, or given to that patient), when it is one of the
/// patient's cases a live result reaches ([`upcoming_cases`]: a later
/// correction or withdrawal reaches every case a value was given to): by sender, each value by the three-way rule on its own date
/// (of one analyte, the latest specimen; at one time, the latest
/// received), marked applied and audited. Values whose PID does not pass
/// the identity checks on the patient as stored now are left held.
/// Returns what the rule did, for the caller's report.
pub(super) fn apply_to_case(w: &Writer<'_>, case_id: i64) -> Result<Vec<ItemReport>> {
    purge(w)?;
    let (_, today) = super::day::hospital_now(w)?;
    let (patient_id, ipp): (i64, String) = w.tx().query_row(
        "SELECT p.id, p.ipp FROM cases c JOIN patients p ON p.id = c.patient_id
         WHERE c.id = ?1",
        [case_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    if !upcoming_cases(w, patient_id)?.contains(&case_id) {
        return Ok(Vec::new());
    }
    // Not a value too old for any coming case (a correction's mark is
    // kept longer, as the laboratory's last word).
    let since = cutoff(w.tx(), today)?
        .map(|d| d.format(DATE_FMT).to_string())
        .unwrap_or_default();
    let rows = read_rows(w.tx(), "ipp = ?1 AND at >= ?2", &[&ipp, &since])?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let stored = stored_patient(w.tx(), &ipp)?;
    let mut by_source: BTreeMap<&str, Vec<&Row>> = BTreeMap::new();
    for row in &rows {
        if judge(stored.as_ref(), row).0 == Why::NoCase {
            by_source.entry(&row.source).or_default().push(row);
        }
    }
    let mut items = Vec::new();
    for (source, rows) in by_source {
        // Of one analyte, the latest specimen; of one time, a correction
        // over a final result, then the latest received.
        let mut latest: BTreeMap<&str, &Row> = BTreeMap::new();
        for row in &rows {
            let key = row.value.analyte.key();
            let newer = latest.get(key).is_none_or(|old| {
                match crate::domain::reimport::compare_dates(row.value.at, old.value.at) {
                    std::cmp::Ordering::Equal => row.corrected || !old.corrected,
                    later => later.is_gt(),
                }
            });
            if newer {
                latest.insert(key, row);
            }
        }
        let values: Vec<LabValue> = latest.values().map(|r| r.value).collect();
        let origin = rows.last().map(|r| r.origin.as_str()).unwrap_or_default();
        let summary = super::labs::apply(w, case_id, source, origin, &values)?;
        let fresh = rows.iter().any(|r| !r.applied);
        if !summary.changed() && !fresh {
            // Given before (a booking changed again): nothing to say.
            continue;
        }
        items.extend(summary.items);
        let now = w.clock().timestamp();
        for row in rows.iter().filter(|r| !r.applied) {
            w.tx().execute(
                "UPDATE lab_held SET applied_at = ?2 WHERE id = ?1",
                params![row.id, now],
            )?;
        }
        let mut messages: Vec<&str> = rows.iter().map(|r| r.control_id.as_str()).collect();
        messages.dedup();
        let key = |a: &[Analyte]| a.iter().map(|a| a.key()).collect::<Vec<_>>().join(" ");
        let line = format!(
            "{source} #{}: {} kept value(s) applied; taken [{}], superseded [{}], pending [{}], \
             unchanged [{}]",
            messages.join(" #"),
            values.len(),
            key(&summary.taken),
            key(&summary.superseded),
            key(&summary.pending),
            key(&summary.unchanged)
        );
        audit::record(w, APPLY_ACTION, Some(case_id), None, Some(&line))?;
    }
    Ok(items)
}

/// After the hospital's identity service corrected the patient
/// `patient_id` (ADT^A08): the kept values whose PID now names them reach
/// their cases of the coming [`super::feed_labs::LAB_WINDOW_DAYS`] days, as
/// a result arriving now would (the identity advisory shows on those
/// cases meanwhile).
pub(super) fn apply_to_patient(w: &Writer<'_>, patient_id: i64) -> Result<()> {
    for id in upcoming_cases(w, patient_id)? {
        apply_to_case(w, id)?;
    }
    Ok(())
}
