//! The re-import rule over random sequences of (form edit, import of the
//! same file, import of a file with a newer dated object, import of one with
//! an older dated object), on one case's coagulation (dated) and drug list
//! (undated), against a model of the rule written from the issue's words:
//! - what is stored and what is pending are exactly what the model says;
//! - no import ever replaces a dated value with an older one;
//! - a stored value is never replaced silently: every replacement appears
//!   in that import's report;
//! - a pending value appears exactly when a file value lost, and it is that
//!   file value; it never goes without a report line.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use ir_committee::domain::clock::Clock;
use ir_committee::domain::model::{Coagulation, Medication};
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
        (1i64..72, inr, 0usize..3).prop_map(|(hours, inr, list)| Step::Older { hours, inr, list }),
    ]
}

fn origin() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 11, 5)
        .and_then(|d| d.and_hms_opt(8, 0, 0))
        .expect("origin")
}

/// A coagulation in its stored (canonical) form.
fn coagulation(at: NaiveDateTime, inr: f64) -> String {
    let json = format!(
        r#"{{"at":"{}","inr":{inr},"platelets_g_l":236}}"#,
        at.format("%Y-%m-%dT%H:%M")
    );
    let c: Coagulation = serde_json::from_str(&json).expect("coagulation");
    serde_json::to_string(&c).expect("JSON")
}

fn drugs(list: usize) -> String {
    let m: Vec<Medication> = serde_json::from_str(DRUG_LISTS[list % 3]).expect("drugs");
    serde_json::to_string(&m).expect("JSON")
}

fn at_of(coagulation: &str) -> NaiveDateTime {
    let c: Coagulation = serde_json::from_str(coagulation).expect("stored coagulation");
    c.at.latest()
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
    report
        .items
        .iter()
        .find(|i| i.external_id == case.external_id && i.item.item == kind.as_str())
        .map(|i| i.item.change)
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
        let mut coag = Item { stored: Some(sent.0.clone()), base: Some(sent.0.clone()), pending: None };
        let mut meds = Item { stored: Some(sent.1.clone()), base: Some(sent.1.clone()), pending: None };

        for s in steps {
            let stored_at = coag.stored.as_deref().map(at_of).unwrap_or_else(origin);
            let next = match s {
                Step::EditCoagulation { hours, inr } => {
                    let data = coagulation(origin() + Duration::hours(hours), inr);
                    edit(&mut db, &case, EvidenceKind::Coagulation, &data);
                    coag.stored = Some(data);
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
            coag.import(&sent.0, Some(at_of));
            meds.import(&sent.1, None);

            for (kind, model, file, was) in [
                (EvidenceKind::Coagulation, &coag, &sent.0, &before.0),
                (EvidenceKind::Medications, &meds, &sent.1, &before.1),
            ] {
                let now = observed(&db, &case, kind);
                let change = line(&report, &case, kind);
                // Exactly what the rule says.
                prop_assert_eq!(&now.0, &model.stored, "{:?} stored", kind);
                prop_assert_eq!(&now.1, &model.pending, "{:?} pending", kind);
                // No dated value replaced by an older one.
                if kind == EvidenceKind::Coagulation
                    && let (Some(old), Some(new)) = (&was.0, &now.0)
                    && old != new
                {
                    prop_assert!(at_of(new) >= at_of(old), "replaced {} by the older {}", old, new);
                }
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
