//! Re-import: the three-way rule (docs/import-format.md §7). A file that is
//! imported again must never undo, without a word, what a person typed in
//! the meantime. Each evidence object and each schedule field is judged on
//! its own from three values, all in their stored (canonical JSON) form:
//!
//! - **file**: what the file sends now;
//! - **base**: what this source sent last time for this case (none before
//!   its first import, or for a row a form wrote before the rule existed);
//! - **stored**: what the database holds.
//!
//! | file vs base | stored vs base | result |
//! |---|---|---|
//! | equal | any | the source has not changed it: stored is kept |
//! | differ | equal (or nothing stored) | nobody changed it here: the file's is taken |
//! | differ | differ | both changed: a dated object's strictly later date wins; imaging is merged by (kind, date); anything else, and ties, keep the stored one |
//!
//! No source ever replaces a dated value with an older one. A file value
//! that loses is kept as *pending* for a person to choose; a stored value
//! that loses is replaced (and reported). Pure: no database.

use std::cmp::Ordering;

use serde::Serialize;
use serde_json::Value;

use super::model::Imaging;
use super::record::EvidenceKind;
use super::time::When;

/// The base of every file import (JSON or CSV): one source. Later, each
/// hospital feed sender is a source of its own.
pub const FILE_SOURCE: &str = "file";

/// A schedule field of a case, judged on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ScheduleField {
    ScheduledAt,
    Room,
    Operator,
    Techniques,
    Target,
    Anaesthesia,
    BleedingRisk,
    DurationMin,
    PainVas,
    LifeExpectancy,
    /// The access route: recorded by a file or a person (the procedure form).
    Access,
}

impl ScheduleField {
    pub const ALL: [ScheduleField; 11] = [
        ScheduleField::ScheduledAt,
        ScheduleField::Room,
        ScheduleField::Operator,
        ScheduleField::Techniques,
        ScheduleField::Target,
        ScheduleField::Anaesthesia,
        ScheduleField::BleedingRisk,
        ScheduleField::DurationMin,
        ScheduleField::PainVas,
        ScheduleField::LifeExpectancy,
        ScheduleField::Access,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ScheduleField::ScheduledAt => "scheduled_at",
            ScheduleField::Room => "room",
            ScheduleField::Operator => "operator",
            ScheduleField::Techniques => "techniques",
            ScheduleField::Target => "target",
            ScheduleField::Anaesthesia => "anaesthesia",
            ScheduleField::BleedingRisk => "bleeding_risk",
            ScheduleField::DurationMin => "duration_min",
            ScheduleField::PainVas => "pain_vas",
            ScheduleField::LifeExpectancy => "life_expectancy_over_6_months",
            ScheduleField::Access => "access",
        }
    }
}

/// What the rule is applied to: an evidence object or a schedule field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    Evidence(EvidenceKind),
    Schedule(ScheduleField),
}

impl Field {
    /// Every field, evidence first.
    pub fn all() -> impl Iterator<Item = Field> {
        EvidenceKind::ALL
            .into_iter()
            .map(Field::Evidence)
            .chain(ScheduleField::ALL.into_iter().map(Field::Schedule))
    }

    /// The word used in the database, the report and `resolve`.
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Evidence(k) => k.as_str(),
            Field::Schedule(s) => s.as_str(),
        }
    }

    pub fn parse(s: &str) -> Option<Field> {
        Field::all().find(|f| f.as_str() == s)
    }

    /// Dated objects: a later date wins, an older one never replaces.
    pub fn dated(self) -> bool {
        matches!(
            self,
            Field::Evidence(
                EvidenceKind::Consultation
                    | EvidenceKind::AnaesthesiaConsult
                    | EvidenceKind::Biology
                    | EvidenceKind::Coagulation
            )
        )
    }
}

impl std::fmt::Display for Field {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a file value lost.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Loss {
    /// Dated earlier than what is stored.
    Older,
    /// Both changed, dated the same day (or the same time).
    SameDate,
    /// Both changed, and the value has no date: the stored one stays.
    Undated,
}

impl Loss {
    /// The word stored in `pending_values.loss` (as serde writes it).
    pub fn as_str(self) -> &'static str {
        match self {
            Loss::Older => "older",
            Loss::SameDate => "same_date",
            Loss::Undated => "undated",
        }
    }

    /// The stored word back; an unknown one reads `undated` (the rule then
    /// keeps the stored value, as for any undated conflict).
    pub fn parse(s: &str) -> Loss {
        match s {
            "older" => Loss::Older,
            "same_date" => Loss::SameDate,
            _ => Loss::Undated,
        }
    }
}

/// What to do with one field of one case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// The file holds what is stored.
    Same,
    /// The source has not changed it since it last sent it: what is stored
    /// stays, whoever changed it here.
    SourceUnchanged,
    /// Nothing stored, or nobody changed it here: the file's is taken.
    Take,
    /// Both changed and the file's is dated strictly later: taken; the
    /// stored value it replaces is reported.
    TakeNewer,
    /// Both changed, imaging: the stored studies plus the studies the source
    /// added since it last sent the list (of another kind and date than any
    /// it sent before or is stored): a person's removal stands.
    Merge {
        /// The merged list.
        merged: String,
        /// The studies added, as a list.
        added: String,
    },
    /// Both changed, imaging, and every study of the file is already stored.
    Covered,
    /// The file's value loses; it is kept pending for a person to choose.
    FileLoses(Loss),
}

/// A value that cannot be judged (a stored row that is not what its kind
/// says): the import stops rather than guess.
#[derive(Debug, thiserror::Error)]
#[error("{field}: {reason}")]
pub struct Unreadable {
    pub field: Field,
    pub reason: String,
}

/// Applies the three-way rule to one field. `absent` file values are not
/// values: the caller never asks.
pub fn judge(
    field: Field,
    file: &str,
    base: Option<&str>,
    stored: Option<&str>,
) -> Result<Verdict, Unreadable> {
    // `null` (a source's "none") is what an empty column holds.
    if stored == Some(file) || (stored.is_none() && file == "null") {
        return Ok(Verdict::Same);
    }
    if base == Some(file) {
        return Ok(Verdict::SourceUnchanged);
    }
    let Some(stored) = stored else {
        return Ok(Verdict::Take);
    };
    let untouched_here = base == Some(stored);
    if field.dated() {
        let order = compare_dates(dated_at(field, file)?, dated_at(field, stored)?);
        return Ok(match (untouched_here, order) {
            // The source sends an older value than the one it sent before:
            // never replace a dated value with an older one.
            (true, Ordering::Less) => Verdict::FileLoses(Loss::Older),
            (true, _) => Verdict::Take,
            (false, Ordering::Greater) => Verdict::TakeNewer,
            (false, Ordering::Equal) => Verdict::FileLoses(Loss::SameDate),
            (false, Ordering::Less) => Verdict::FileLoses(Loss::Older),
        });
    }
    if untouched_here {
        return Ok(Verdict::Take);
    }
    if field == Field::Evidence(EvidenceKind::Imaging) {
        let unreadable = |reason| Unreadable { field, reason };
        let (merged, added) = merge_imaging(stored, file, base).map_err(unreadable)?;
        return Ok(match added {
            None => Verdict::Covered,
            Some(added) => Verdict::Merge { merged, added },
        });
    }
    Ok(Verdict::FileLoses(Loss::Undated))
}

/// The `at` of a dated object.
pub fn dated_at(field: Field, json: &str) -> Result<When, Unreadable> {
    let unreadable = |reason: String| Unreadable { field, reason };
    let value: Value = serde_json::from_str(json).map_err(|e| unreadable(e.to_string()))?;
    let at = value
        .get("at")
        .and_then(Value::as_str)
        .ok_or_else(|| unreadable("no date".into()))?;
    When::parse(at).map_err(unreadable)
}

/// Earlier, same, later: by calendar day, then by time when both have one.
/// A date alone against a time on the same day is the same (a tie keeps
/// what is stored: the cautious reading).
pub fn compare_dates(a: When, b: When) -> Ordering {
    match a.date().cmp(&b.date()) {
        Ordering::Equal => match (a, b) {
            (When::DateTime(x), When::DateTime(y)) => x.cmp(&y),
            _ => Ordering::Equal,
        },
        other => other,
    }
}

/// Three-way merge of imaging lists: the stored studies, then the file's
/// studies whose (kind, date) is neither stored nor in what the source sent
/// last time (`base`: a study it sent before and a person removed stays
/// removed). Returns the merged list and the added studies (`None`: none),
/// in canonical JSON.
fn merge_imaging(
    stored: &str,
    file: &str,
    base: Option<&str>,
) -> Result<(String, Option<String>), String> {
    let parse = |json: &str| serde_json::from_str::<Vec<Imaging>>(json).map_err(|e| e.to_string());
    let mut merged = parse(stored)?;
    let sent_before = base.map(parse).transpose()?.unwrap_or_default();
    let same = |a: &Imaging, b: &Imaging| a.kind == b.kind && a.at.date() == b.at.date();
    let mut added = Vec::new();
    for study in parse(file)? {
        if !merged.iter().any(|s| same(s, &study)) && !sent_before.iter().any(|s| same(s, &study)) {
            added.push(study.clone());
            merged.push(study);
        }
    }
    if added.is_empty() {
        return Ok((String::new(), None));
    }
    let json = |v: &Vec<Imaging>| serde_json::to_string(v).map_err(|e| e.to_string());
    Ok((json(&merged)?, Some(json(&added)?)))
}

/// [`summary`], with the value's own date for a dated object
/// (`INR 2.4, platelets 236, dated 2026-11-27 08:00`): the dates the rule
/// compared.
pub fn summary_dated(field: Field, json: &str) -> String {
    let text = summary(json);
    match (field.dated() && !dated_apart(json))
        .then(|| dated_at(field, json).ok())
        .flatten()
    {
        Some(at) => format!("{text}, dated {}", at.to_string().replace('T', " ")),
        None => text,
    }
}

/// Whether the values of an object (biology, coagulation) are not all of
/// one date: [`summary`] then says each one's, and no date of the whole
/// object is added.
pub fn dated_apart(json: &str) -> bool {
    serde_json::from_str::<Value>(json)
        .ok()
        .and_then(|v| v.as_object().map(|m| own_dates(m).is_some()))
        .unwrap_or(false)
}

/// The values' own dates of an object whose values are not all of one date.
fn own_dates(map: &serde_json::Map<String, Value>) -> Option<&serde_json::Map<String, Value>> {
    let dates = map.get("dates")?.as_object()?;
    let mut all = dates.values();
    let first = all.next()?;
    all.any(|d| d != first).then_some(dates)
}

/// A value in a line of text: what names the thing first (drug, kind,
/// who), then the other fields with a short label (`INR 2.4, platelets
/// 198`), the object's own date left out; an empty list is `none`.
pub fn summary(json: &str) -> String {
    /// Fields shown by their value alone, first.
    const NAMING: [&str; 6] = ["kind", "drug", "name", "radiologist", "anaesthetist", "by"];
    fn label(key: &str) -> &str {
        match key {
            "inr" => "INR",
            "platelets_g_l" => "platelets",
            "neutrophils_g_l" => "neutrophils",
            "hemoglobin_g_dl" => "Hb",
            "creatinine_umol_l" => "creatinine",
            "egfr" => "eGFR",
            "crcl_ml_min" => "CrCl",
            "last_intake" => "last intake",
            "leaflet_given" => "leaflet",
            other => other,
        }
    }
    fn one(v: &Value) -> String {
        match v {
            Value::String(s) => s.clone(),
            Value::Null => "—".into(),
            // 236.0 reads 236.
            Value::Number(n) => match n.as_f64() {
                Some(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", f as i64),
                _ => n.to_string(),
            },
            Value::Array(items) if items.is_empty() => "none".into(),
            Value::Array(items) => items.iter().map(one).collect::<Vec<_>>().join(" + "),
            Value::Object(map) => {
                let naming = NAMING.iter().filter_map(|k| map.get(*k)).map(one);
                // Values of different dates (biology, coagulation) each say theirs.
                let own = |k: &str| match own_dates(map) {
                    Some(dates) => dates
                        .get(k)
                        .and_then(Value::as_str)
                        .map(|d| format!(" ({})", d.replace('T', " ")))
                        .unwrap_or_default(),
                    None => String::new(),
                };
                let rest = map
                    .iter()
                    .filter(|(k, _)| {
                        !["at", "dates"].contains(&k.as_str()) && !NAMING.contains(&k.as_str())
                    })
                    .map(|(k, v)| format!("{} {}{}", label(k), one(v), own(k)));
                naming.chain(rest).collect::<Vec<_>>().join(", ")
            }
            other => other.to_string(),
        }
    }
    match serde_json::from_str::<Value>(json) {
        Ok(Value::Array(items)) if !items.is_empty() => items
            .iter()
            .map(|i| match i.get("at").and_then(Value::as_str) {
                Some(at) => format!("{} {at}", one(i)),
                None => one(i),
            })
            .collect::<Vec<_>>()
            .join("; "),
        Ok(v) => one(&v),
        Err(_) => json.to_owned(),
    }
}

#[cfg(test)]
mod tests;
