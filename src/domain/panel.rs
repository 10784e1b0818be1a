//! Biology and coagulation value by value: each value has its own date
//! (`dates`, by the value's key in the object; a value it does not name is
//! dated `at`), and `at` is the latest of them. A result never makes an
//! older value look fresh. The three-way re-import rule applied to these
//! objects value by value: `panel_rule.rs`. Pure: no database.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::model::{Biology, Coagulation};
use super::record::EvidenceKind;
use super::reimport::compare_dates;
use super::time::When;

/// Each value's own date, by the value's key (`inr`, `platelets_g_l`, …).
pub type Dates = BTreeMap<String, When>;

/// The values of a panel: key → (the value as JSON, its own date).
pub type Values = BTreeMap<String, (Value, When)>;

/// Whether `kind` is judged value by value (biology, coagulation).
pub fn is_panel(kind: EvidenceKind) -> bool {
    matches!(kind, EvidenceKind::Biology | EvidenceKind::Coagulation)
}

impl Biology {
    /// The keys of the values it holds.
    pub fn present(&self) -> Vec<&'static str> {
        let keys = [
            ("neutrophils_g_l", self.neutrophils_g_l.is_some()),
            ("hemoglobin_g_dl", self.hemoglobin_g_dl.is_some()),
            ("creatinine_umol_l", self.creatinine_umol_l.is_some()),
            ("egfr", self.egfr.is_some()),
            ("sepsis", self.sepsis.is_some()),
        ];
        keys.into_iter().filter(|k| k.1).map(|k| k.0).collect()
    }

    /// The value's own date.
    pub fn date_of(&self, key: &str) -> When {
        self.dates.get(key).copied().unwrap_or(self.at)
    }

    /// The stored form: every present value's date named, `at` the latest;
    /// refused when `dates` names a value the object does not hold.
    pub fn canonical(mut self) -> Result<Biology, String> {
        let present = self.present();
        canon(&mut self.at, &mut self.dates, &present)?;
        Ok(self)
    }
}

impl Coagulation {
    pub fn present(&self) -> Vec<&'static str> {
        let keys = [
            ("inr", self.inr.is_some()),
            ("platelets_g_l", self.platelets_g_l.is_some()),
        ];
        keys.into_iter().filter(|k| k.1).map(|k| k.0).collect()
    }

    pub fn date_of(&self, key: &str) -> When {
        self.dates.get(key).copied().unwrap_or(self.at)
    }

    pub fn canonical(mut self) -> Result<Coagulation, String> {
        let present = self.present();
        canon(&mut self.at, &mut self.dates, &present)?;
        Ok(self)
    }
}

fn canon(at: &mut When, dates: &mut Dates, present: &[&str]) -> Result<(), String> {
    if let Some(k) = dates.keys().find(|k| !present.contains(&k.as_str())) {
        return Err(format!("dates.{k}: the object holds no such value"));
    }
    for k in present {
        dates.entry((*k).to_owned()).or_insert(*at);
    }
    if let Some(latest) = latest(dates.values().copied()) {
        *at = latest;
    }
    Ok(())
}

/// The latest of some dates (a date alone against a time on the same day:
/// the time, the more precise).
pub fn latest(dates: impl Iterator<Item = When>) -> Option<When> {
    dates.max_by(|a, b| match compare_dates(*a, *b) {
        Ordering::Equal => a.cmp(b),
        other => other,
    })
}

/// The canonical JSON of a biology or coagulation object.
pub fn canonical_json(kind: EvidenceKind, json: &str) -> Result<String, String> {
    let text = |e: serde_json::Error| e.to_string();
    match kind {
        EvidenceKind::Biology => {
            let b: Biology = serde_json::from_str(json).map_err(text)?;
            serde_json::to_string(&b.canonical()?).map_err(text)
        }
        EvidenceKind::Coagulation => {
            let c: Coagulation = serde_json::from_str(json).map_err(text)?;
            serde_json::to_string(&c.canonical()?).map_err(text)
        }
        _ => Err(format!("{} is not dated value by value", kind.as_str())),
    }
}

/// The values of an object (any form: only `at`, or `dates` too), each
/// with its own date, and the object's `at`.
pub fn values_of(kind: EvidenceKind, json: &str) -> Result<(Values, When), String> {
    let canonical = canonical_json(kind, json)?;
    let map: Map<String, Value> = serde_json::from_str(&canonical).map_err(|e| e.to_string())?;
    let at = map
        .get("at")
        .and_then(Value::as_str)
        .ok_or("no date")
        .and_then(|s| When::parse(s).map_err(|_| "no date"))?;
    let dates: Dates = match map.get("dates") {
        Some(d) => serde_json::from_value(d.clone()).map_err(|e| e.to_string())?,
        None => Dates::new(),
    };
    let values = map
        .into_iter()
        .filter(|(k, v)| k != "at" && k != "dates" && !v.is_null())
        .map(|(k, v)| {
            let date = dates.get(&k).copied().unwrap_or(at);
            (k, (v, date))
        })
        .collect();
    Ok((values, at))
}

/// The canonical object holding `values`, each with its own date; `at`
/// (used only when there is no value) is the object's date.
pub fn object_of(kind: EvidenceKind, values: &Values, at: When) -> Result<String, String> {
    let at = latest(values.values().map(|v| v.1)).unwrap_or(at);
    let mut map = Map::new();
    map.insert("at".into(), Value::String(at.to_string()));
    let dates: Map<String, Value> = values
        .iter()
        .map(|(k, (_, d))| (k.clone(), Value::String(d.to_string())))
        .collect();
    if !dates.is_empty() {
        map.insert("dates".into(), Value::Object(dates));
    }
    for (k, (v, _)) in values {
        map.insert(k.clone(), v.clone());
    }
    canonical_json(kind, &Value::Object(map).to_string())
}

/// A person's edit of an object (a form, a script). The form shows one
/// date, the stored object's latest (`at`); each value keeps its own:
///
/// - the person **changed the date** (the edit's `at` is not the stored
///   one): the values they changed take it, and nothing else (a new INR
///   typed today never refreshes the platelets beside it); when they
///   changed no value, they corrected the date: the values that carried
///   the date the form showed take the new one, values of another, older
///   date keep theirs;
/// - the person **left the date** as shown: a value they changed takes that
///   date only if it already carried it; a value of an older date keeps its
///   own (a correction of that value: never made fresher by another
///   value's date — the detail shows each value's date);
/// - a value new to the object takes the edit's date; a date the edit
///   names explicitly in `dates` stands.
pub fn dated_edit(
    kind: EvidenceKind,
    stored: Option<&str>,
    edited: &str,
) -> Result<String, String> {
    let Some(stored) = stored else {
        return canonical_json(kind, edited);
    };
    let explicit: Dates = serde_json::from_str::<Map<String, Value>>(edited)
        .ok()
        .and_then(|m| m.get("dates").cloned())
        .map(serde_json::from_value)
        .transpose()
        .map_err(|e| e.to_string())?
        .unwrap_or_default();
    let (old, shown) = values_of(kind, stored)?;
    let (mut new, at) = values_of(kind, edited)?;
    let redated = at != shown;
    let any_changed = new
        .iter()
        .any(|(k, (v, _))| old.get(k).is_none_or(|(old_v, _)| old_v != v));
    for (k, (v, date)) in new.iter_mut() {
        let Some((old_v, old_date)) = old.get(k) else {
            continue;
        };
        if explicit.contains_key(k) {
            continue;
        }
        let changed = old_v != v;
        let date_corrected = redated && !any_changed && *old_date == shown;
        *date = if (changed && redated) || date_corrected {
            at
        } else {
            *old_date
        };
    }
    object_of(kind, &new, at)
}

#[cfg(test)]
#[path = "panel_tests.rs"]
mod tests;
