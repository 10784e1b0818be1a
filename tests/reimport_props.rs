//! The re-import rule over random sequences of (form edit, import of the
//! same file, import of a file with a newer dated object, import of one with
//! an older dated object), on one case's coagulation:
//! - no import ever replaces a dated value with an older one;
//! - a stored value is never replaced silently: every replacement appears
//!   in that import's report;
//! - a pending value appears exactly when a file value lost, and it is that
//!   file value.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use ir_committee::domain::clock::Clock;
use ir_committee::domain::record::EvidenceKind;
use ir_committee::domain::reimport::{Field, dated_at};
use ir_committee::import::{self, Kind, Mode};
use ir_committee::storage::cases::{self, Change};
use ir_committee::storage::{Db, read};
use proptest::prelude::*;

const COAG: Field = Field::Evidence(EvidenceKind::Coagulation);

#[derive(Debug, Clone)]
enum Step {
    /// A person saves the coagulation form: `hours` after the origin.
    Edit { hours: i64, inr: f64 },
    /// The file as last imported, again.
    Same,
    /// A file whose coagulation is dated `hours` after what is stored.
    Newer { hours: i64, inr: f64 },
    /// A file whose coagulation is dated `hours` before what is stored.
    Older { hours: i64, inr: f64 },
}

fn step() -> impl Strategy<Value = Step> {
    let inr = prop::sample::select(vec![1.0, 1.1, 1.3, 2.4]);
    prop_oneof![
        (0i64..480, inr.clone()).prop_map(|(hours, inr)| Step::Edit { hours, inr }),
        Just(Step::Same),
        (0i64..72, inr.clone()).prop_map(|(hours, inr)| Step::Newer { hours, inr }),
        (1i64..72, inr).prop_map(|(hours, inr)| Step::Older { hours, inr }),
    ]
}

fn origin() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 11, 5)
        .and_then(|d| d.and_hms_opt(8, 0, 0))
        .expect("origin")
}

fn at(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M").to_string()
}

/// The fixture's first case alone, with this coagulation.
fn file(template: &serde_json::Value, at: &str, inr: f64) -> String {
    let mut doc = template.clone();
    doc["cases"][0]["coagulation"] =
        serde_json::json!({"at": at, "inr": inr, "platelets_g_l": 236});
    serde_json::to_string(&doc).expect("JSON")
}

struct State {
    stored: Option<String>,
    pending: Option<String>,
}

fn state(db: &Db, id: &str) -> State {
    let case = read::by_external_id(db, id).expect("case");
    State {
        stored: case
            .file
            .evidence_json(EvidenceKind::Coagulation)
            .expect("json"),
        pending: case
            .pending
            .iter()
            .find(|p| p.item == "coagulation")
            .map(|p| p.value.clone()),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]
    #[test]
    fn no_older_value_no_silent_replacement_pending_exactly_when_lost(
        steps in prop::collection::vec(step(), 1..10)
    ) {
        let text = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/week.json"),
        ).expect("fixture");
        let mut template: serde_json::Value = serde_json::from_str(&text).expect("JSON");
        let first = template["cases"][0].clone();
        template["cases"] = serde_json::json!([first]);
        let id = template["cases"][0]["external_id"].as_str().expect("id").to_owned();
        let today = NaiveDate::from_ymd_opt(2026, 11, 26).expect("today");
        let mut db = Db::open_in_memory(Clock::Fixed(today)).expect("db");
        let mut last_file = file(&template, &at(origin()), 1.05);
        import::import_text(&mut db, &last_file, Some(Kind::Json), "import:week.json", Mode::Write)
            .expect("first import");

        for s in steps {
            let before = state(&db, &id);
            let stored_at = before
                .stored
                .as_deref()
                .map(|j| dated_at(COAG, j).expect("dated").latest())
                .unwrap_or_else(origin);
            let text = match s {
                Step::Edit { hours, inr } => {
                    let case = read::by_external_id(&db, &id).expect("case");
                    let version = case.recorded(EvidenceKind::Coagulation).map(|r| r.version);
                    let data = format!(
                        r#"{{"at":"{}","inr":{inr},"platelets_g_l":236}}"#,
                        at(origin() + Duration::hours(hours))
                    );
                    db.write(|w| cases::set_evidence(w, case.id, EvidenceKind::Coagulation, &data, version))
                        .expect("edit");
                    continue;
                }
                Step::Same => last_file.clone(),
                Step::Newer { hours, inr } => file(&template, &at(stored_at + Duration::hours(hours)), inr),
                Step::Older { hours, inr } => file(&template, &at(stored_at - Duration::hours(hours)), inr),
            };
            let report = import::import_text(&mut db, &text, Some(Kind::Json), "import:f.json", Mode::Write)
                .expect("import");
            last_file = text;
            let after = state(&db, &id);
            let line = report
                .items
                .iter()
                .find(|i| i.external_id == id && i.item.item == "coagulation")
                .map(|i| i.item.change);
            let sent = {
                let doc: serde_json::Value = serde_json::from_str(&last_file).expect("JSON");
                serde_json::to_string(
                    &serde_json::from_value::<ir_committee::domain::model::Coagulation>(
                        doc["cases"][0]["coagulation"].clone(),
                    )
                    .expect("coagulation"),
                )
                .expect("JSON")
            };

            // No dated value is ever replaced by an older one.
            if let (Some(old), Some(new)) = (&before.stored, &after.stored)
                && old != new
            {
                let (o, n) = (dated_at(COAG, old).expect("old"), dated_at(COAG, new).expect("new"));
                prop_assert!(
                    ir_committee::domain::reimport::compare_dates(n, o) != std::cmp::Ordering::Less,
                    "replaced {old} by the older {new}"
                );
            }
            // Never silently: a replacement is in the report.
            if before.stored != after.stored {
                prop_assert!(
                    matches!(line, Some(Change::Updated | Change::Replaced | Change::Created)),
                    "stored changed from {:?} to {:?} with report {line:?}",
                    before.stored,
                    after.stored
                );
            }
            // A pending value appears exactly when the file value lost.
            if line == Some(Change::Pending) {
                prop_assert_eq!(after.pending.as_deref(), Some(sent.as_str()));
                prop_assert_eq!(&after.stored, &before.stored);
                prop_assert_ne!(after.stored.as_deref(), Some(sent.as_str()));
            } else if after.pending.is_some() && after.pending != before.pending {
                prop_assert!(false, "a pending value appeared without a loss: {line:?}");
            }
            if after.stored.as_deref() == Some(sent.as_str()) {
                prop_assert!(after.pending.is_none(), "the file agrees: nothing pending");
            }
        }
    }
}
