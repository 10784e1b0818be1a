//! The re-import rule over random sequences of (form edit, import of the
//! same file, import of a file with a newer dated object, with an INR alone,
//! import of one with an older dated object), on one case's coagulation
//! (dated, judged value by value: issue 16) and drug list (undated),
//! against a model of the rule written from the issues' words:
//! - what is stored and what is pending are exactly what the model says;
//! - no import ever replaces a dated value with an older one;
//! - a stored value is never replaced silently: every replacement appears
//!   in that import's report;
//! - a pending value appears exactly when a file value lost, and it is that
//!   file value; it never goes without a report line.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use ir_committee::domain::clock::Clock;
use std::collections::BTreeMap;

use ir_committee::domain::model::Medication;
use ir_committee::domain::panel::values_of;
use ir_committee::domain::record::EvidenceKind;
use ir_committee::import::{self, ImportReport, Kind, Mode};
use ir_committee::storage::cases::{self, Change};
use ir_committee::storage::{Db, read};
use proptest::prelude::*;

const DRUG_LISTS: [&str; 3] = [
    "[]",
    r#"[{"drug":"aspirin"}]"#,
    r#"[{"drug":"clopidogrel","last_intake":"2026-11-24"}]"#,
];

#[derive(Debug, Clone)]
enum Step {
    /// A person saves the coagulation form (`hours` after the origin), or
    /// the drug list.
    EditCoagulation {
        hours: i64,
        inr: f64,
    },
    EditDrugs {
        list: usize,
    },
    /// The file as last imported, again.
    Same,
    /// A file whose coagulation is dated `hours` after what is stored, with
    /// a drug list.
    Newer {
        hours: i64,
        inr: f64,
        list: usize,
    },
    /// A file whose coagulation holds an INR alone, dated `hours` after
    /// what is stored.
    InrOnly {
        hours: i64,
        inr: f64,
        list: usize,
    },
    /// A file whose coagulation is dated `hours` before what is stored.
    Older {
        hours: i64,
        inr: f64,
        list: usize,
    },
}

fn step() -> impl Strategy<Value = Step> {
    let inr = prop::sample::select(vec![1.0, 1.1, 1.3, 2.4]);
    prop_oneof![
        (0i64..480, inr.clone()).prop_map(|(hours, inr)| Step::EditCoagulation { hours, inr }),
        (0usize..3).prop_map(|list| Step::EditDrugs { list }),
        Just(Step::Same),
        (0i64..72, inr.clone(), 0usize..3).prop_map(|(hours, inr, list)| Step::Newer {
            hours,
            inr,
            list
        }),
        (0i64..72, inr.clone(), 0usize..3).prop_map(|(hours, inr, list)| Step::InrOnly {
            hours,
            inr,
            list
        }),
        (1i64..72, inr, 0usize..3).prop_map(|(hours, inr, list)| Step::Older { hours, inr, list }),
    ]
}

fn origin() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 11, 5)
        .and_then(|d| d.and_hms_opt(8, 0, 0))
        .expect("origin")
}

/// A coagulation as a file sends it (one date for both values).
fn coagulation(at: NaiveDateTime, inr: f64) -> String {
    format!(
        r#"{{"at":"{}","inr":{inr},"platelets_g_l":236}}"#,
        at.format("%Y-%m-%dT%H:%M")
    )
}

/// An INR alone.
fn inr_only(at: NaiveDateTime, inr: f64) -> String {
    format!(r#"{{"at":"{}","inr":{inr}}}"#, at.format("%Y-%m-%dT%H:%M"))
}

fn drugs(list: usize) -> String {
    let m: Vec<Medication> = serde_json::from_str(DRUG_LISTS[list % 3]).expect("drugs");
    serde_json::to_string(&m).expect("JSON")
}

/// One value and its own date.
type Dated = (serde_json::Value, NaiveDateTime);

/// A coagulation object's values, each with its own date.
fn values(json: &str) -> BTreeMap<String, Dated> {
    values_of(EvidenceKind::Coagulation, json)
        .expect("coagulation")
        .0
        .into_iter()
        .map(|(k, (v, at))| (k, (v, at.latest())))
        .collect()
}

/// The coagulation as the model sees it: each value on its own.
#[derive(Debug, Clone, Default, PartialEq)]
struct Values {
    stored: BTreeMap<String, Dated>,
    base: BTreeMap<String, Dated>,
    pending: BTreeMap<String, Dated>,
}

impl Values {
    /// The rule for each value the file sends (a value it does not send
    /// keeps the stored one, with its own date).
    fn import(&mut self, file: &str) {
        for (k, f) in values(file) {
            let (stored, base) = (self.stored.get(&k).cloned(), self.base.get(&k).cloned());
            if stored.as_ref() == Some(&f) {
                self.pending.remove(&k);
            } else if base.as_ref() == Some(&f) {
                // The source has not changed it.
            } else if let Some(stored) = stored {
                let untouched = base.as_ref() == Some(&stored);
                let wins = if untouched {
                    f.1 >= stored.1
                } else {
                    f.1 > stored.1
                };
                if wins {
                    self.stored.insert(k.clone(), f.clone());
                    self.pending.remove(&k);
                } else {
                    self.pending.insert(k.clone(), f.clone());
                }
            } else {
                self.stored.insert(k.clone(), f.clone());
                self.pending.remove(&k);
            }
            self.base.insert(k, f);
        }
    }

    /// A person's form (`domain::panel::dated_edit`): it shows the stored
    /// values' latest date. A date the person changed goes to the values
    /// they changed, or, when they changed none, to the values that carried
    /// the date shown; a date left as shown dates nothing anew; a value new
    /// to the object takes the form's date.
    fn edit(&mut self, data: &str) {
        let sent = values(data);
        let shown = self.stored.values().map(|s| s.1).max();
        let at = sent.values().map(|s| s.1).max();
        let redated = at != shown;
        let any_changed = sent
            .iter()
            .any(|(k, (v, _))| self.stored.get(k).is_none_or(|s| s.0 != *v));
        for (k, (v, at)) in sent {
            let date = match self.stored.get(&k) {
                None => at,
                Some((old, old_at)) => {
                    let changed = *old != v;
                    let corrected = redated && !any_changed && Some(*old_at) == shown;
                    if (changed && redated) || corrected {
                        at
                    } else {
                        *old_at
                    }
                }
            };
            self.stored.insert(k, (v, date));
        }
    }
}

/// One item as the model sees it.
#[derive(Debug, Clone, Default, PartialEq)]
struct Item {
    stored: Option<String>,
    base: Option<String>,
    pending: Option<String>,
}

impl Item {
    /// The issue's rule for one item the file sends; `dated` gives the
    /// value's date for a dated item.
    fn import(&mut self, file: &str, dated: Option<fn(&str) -> NaiveDateTime>) {
        let file = file.to_owned();
        if self.stored.as_ref() == Some(&file) {
            self.pending = None;
        } else if self.base.as_ref() == Some(&file) {
            // The source has not changed it: stored and pending stay.
        } else if let Some(stored) = self.stored.clone() {
            let untouched = self.base.as_ref() == Some(&stored);
            let file_wins = match dated {
                Some(date) if untouched => date(&file) >= date(&stored),
                Some(date) => date(&file) > date(&stored),
                None => untouched,
            };
            if file_wins {
                self.stored = Some(file.clone());
                self.pending = None;
            } else {
                self.pending = Some(file.clone());
            }
        } else {
            self.stored = Some(file.clone());
            self.pending = None;
        }
        self.base = Some(file);
    }
}

struct Case {
    id: i64,
    external_id: String,
}

fn observed(db: &Db, case: &Case, kind: EvidenceKind) -> (Option<String>, Option<String>) {
    let c = read::by_external_id(db, &case.external_id).expect("case");
    (
        c.file.evidence_json(kind).expect("json"),
        c.pending
            .iter()
            .find(|p| p.item == kind.as_str())
            .map(|p| p.value.clone()),
    )
}

fn line(report: &ImportReport, case: &Case, kind: EvidenceKind) -> Option<Change> {
    lines(report, case, kind).first().copied()
}

/// Every report line of an item (biology and coagulation may have several:
/// values taken, values pending).
fn lines(report: &ImportReport, case: &Case, kind: EvidenceKind) -> Vec<Change> {
    report
        .items
        .iter()
        .filter(|i| i.external_id == case.external_id && i.item.item == kind.as_str())
        .map(|i| i.item.change)
        .collect()
}

fn edit(db: &mut Db, case: &Case, kind: EvidenceKind, data: &str) {
    let c = read::by_external_id(db, &case.external_id).expect("case");
    let version = c.recorded(kind).map(|r| r.version);
    db.write(|w| cases::set_evidence(w, case.id, kind, data, version))
        .expect("edit");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]
    #[test]
    fn the_rule_holds_over_any_sequence(steps in prop::collection::vec(step(), 1..12)) {
        let text = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/week.json"),
        ).expect("fixture");
        let mut template: serde_json::Value = serde_json::from_str(&text).expect("JSON");
        let first = template["cases"][0].clone();
        template["cases"] = serde_json::json!([first]);
        let file_text = |coag: &str, meds: &str| {
            let mut doc = template.clone();
            doc["cases"][0]["coagulation"] = serde_json::from_str(coag).expect("JSON");
            doc["cases"][0]["medications"] = serde_json::from_str(meds).expect("JSON");
            serde_json::to_string(&doc).expect("JSON")
        };
        let today = NaiveDate::from_ymd_opt(2026, 11, 26).expect("today");
        let mut db = Db::open_in_memory(Clock::Fixed(today)).expect("db");
        let mut sent = (coagulation(origin(), 1.05), drugs(0));
        let report = import::import_text(&mut db, &file_text(&sent.0, &sent.1), Some(Kind::Json), "import:week.json", Mode::Write)
            .expect("first import");
        let external_id = template["cases"][0]["external_id"].as_str().expect("id").to_owned();
        let case = Case {
            id: read::by_external_id(&db, &external_id).expect("case").id,
            external_id,
        };
        prop_assert_eq!(report.created.len(), 1);
        let mut coag = Values { stored: values(&sent.0), base: values(&sent.0), pending: BTreeMap::new() };
        let mut meds = Item { stored: Some(sent.1.clone()), base: Some(sent.1.clone()), pending: None };

        for s in steps {
            let stored_at = coag.stored.values().map(|v| v.1).max().unwrap_or_else(origin);
            let next = match s {
                Step::EditCoagulation { hours, inr } => {
                    let data = coagulation(origin() + Duration::hours(hours), inr);
                    edit(&mut db, &case, EvidenceKind::Coagulation, &data);
                    coag.edit(&data);
                    continue;
                }
                Step::EditDrugs { list } => {
                    let data = drugs(list);
                    edit(&mut db, &case, EvidenceKind::Medications, &data);
                    meds.stored = Some(data);
                    continue;
                }
                Step::Same => sent.clone(),
                Step::Newer { hours, inr, list } => {
                    (coagulation(stored_at + Duration::hours(hours), inr), drugs(list))
                }
                Step::InrOnly { hours, inr, list } => {
                    (inr_only(stored_at + Duration::hours(hours), inr), drugs(list))
                }
                Step::Older { hours, inr, list } => {
                    (coagulation(stored_at - Duration::hours(hours), inr), drugs(list))
                }
            };
            let before = (
                observed(&db, &case, EvidenceKind::Coagulation),
                observed(&db, &case, EvidenceKind::Medications),
            );
            let report = import::import_text(
                &mut db, &file_text(&next.0, &next.1), Some(Kind::Json), "import:f.json", Mode::Write,
            ).expect("import");
            sent = next;
            coag.import(&sent.0);
            meds.import(&sent.1, None);

            // The coagulation, value by value.
            let kind = EvidenceKind::Coagulation;
            let now = observed(&db, &case, kind);
            let changes = lines(&report, &case, kind);
            let stored_now = now.0.as_deref().map(values).unwrap_or_default();
            let pending_now = now.1.as_deref().map(values).unwrap_or_default();
            prop_assert_eq!(&stored_now, &coag.stored, "coagulation stored");
            prop_assert_eq!(&pending_now, &coag.pending, "coagulation pending");
            let stored_before = before.0.0.as_deref().map(values).unwrap_or_default();
            for (k, new) in &stored_now {
                if let Some(old) = stored_before.get(k).filter(|old| *old != new) {
                    prop_assert!(new.1 >= old.1, "{}: replaced {:?} by the older {:?}", k, old, new);
                }
            }
            if stored_before != stored_now {
                prop_assert!(
                    changes.iter().any(|c| matches!(c, Change::Updated | Change::Replaced | Change::Created)),
                    "coagulation changed with report {:?}", changes
                );
            }
            if before.0.1 != now.1 {
                prop_assert!(!changes.is_empty(), "coagulation pending changed without a word");
            }
            // Pending reported exactly when a value the file sends lost (now or before).
            let file_values = values(&sent.0);
            let lost = coag.pending.iter().any(|(k, p)| file_values.get(k) == Some(p));
            prop_assert_eq!(changes.contains(&Change::Pending), lost, "report {:?}, pending {:?}", changes, now.1);

            // The drug list, as one undated object.
            {
                let (kind, model, file, was) =
                    (EvidenceKind::Medications, &meds, &sent.1, &before.1);
                let now = observed(&db, &case, kind);
                let change = line(&report, &case, kind);
                // Exactly what the rule says.
                prop_assert_eq!(&now.0, &model.stored, "{:?} stored", kind);
                prop_assert_eq!(&now.1, &model.pending, "{:?} pending", kind);
                // Never silently.
                if was.0 != now.0 {
                    prop_assert!(
                        matches!(change, Some(Change::Updated | Change::Replaced | Change::Created)),
                        "{:?} changed with report {:?}", kind, change
                    );
                }
                if was.1 != now.1 {
                    prop_assert!(change.is_some(), "{:?} pending changed without a word", kind);
                }
                // Pending exactly when the file value lost (now or before).
                prop_assert_eq!(
                    change == Some(Change::Pending),
                    now.1.as_deref() == Some(file.as_str()),
                    "{:?}: report {:?}, pending {:?}", kind, change, now.1
                );
            }
        }
    }
}
