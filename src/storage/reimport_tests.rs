//! Choosing a pending file value from what was shown: the choice is only
//! made on the values the person saw.

use super::reimport::{Choice, Shown, resolve_shown, stored_json, stored_version};
use super::*;
use crate::domain::record::EvidenceKind;
use crate::domain::reimport::{Field, ScheduleField};

const ID: &str = "SCH-2026-004501";
const COAG: Field = Field::Evidence(EvidenceKind::Coagulation);

use crate::testkit::clock;

fn cases() -> Vec<crate::domain::model::CaseFile> {
    crate::testkit::fixture_cases()
}

/// The fixture imported, a person's coagulation typed over it, then a file
/// with an older one: it waits as a pending value.
fn db_with_pending() -> Db {
    let mut db = Db::open_in_memory(clock()).expect("in-memory database");
    let absent = crate::import::Absent::Clears;
    crate::import::save_all(&mut db, &cases(), "import:week.json", absent).expect("import");
    type_coagulation(&mut db, "2026-11-27T08:00", 2.4);
    import_older(&mut db, "2026-11-26T07:45", 1.0);
    db
}

fn type_coagulation(db: &mut Db, at: &str, inr: f64) {
    let case = read::by_external_id(db, ID).expect("case");
    let version = stored_version(&case, COAG);
    let data = format!(r#"{{"at":"{at}","inr":{inr},"platelets_g_l":236}}"#);
    db.write(|w| cases::set_evidence(w, case.id, EvidenceKind::Coagulation, &data, version))
        .expect("a form's save");
}

fn import_older(db: &mut Db, at: &str, inr: f64) {
    let mut cases = cases();
    let case = cases
        .iter_mut()
        .find(|c| c.external_id == ID)
        .expect("the case");
    case.coagulation = Some(
        serde_json::from_str(&format!(
            r#"{{"at":"{at}","inr":{inr},"platelets_g_l":236}}"#
        ))
        .expect("coagulation"),
    );
    let absent = crate::import::Absent::Clears;
    crate::import::save_all(db, &cases, "import:older.json", absent).expect("import");
}

/// What the screen shows of the case's coagulation conflict.
fn shown(db: &Db) -> Shown {
    let case = read::by_external_id(db, ID).expect("case");
    let p = case.pending.first().expect("a pending value");
    Shown {
        source: p.source.clone(),
        value: p.value.clone(),
        version: stored_version(&case, COAG),
    }
}

fn resolve(db: &mut Db, shown: &Shown, choice: Choice) -> Result<()> {
    let id = read::by_external_id(db, ID).expect("case").id;
    db.write(|w| resolve_shown(w, id, COAG, shown, choice))
}

#[test]
fn what_was_shown_is_kept_and_audited() {
    let mut db = db_with_pending();
    let seen = shown(&db);
    resolve(&mut db, &seen, Choice::Keep).expect("kept");
    let case = read::by_external_id(&db, ID).expect("case");
    assert!(case.pending.is_empty());
    assert_eq!(case.file.coagulation.and_then(|c| c.inr), Some(2.4));
    let actions: Vec<String> = audit::list(&db, Some(case.id))
        .expect("audit")
        .into_iter()
        .map(|r| r.action)
        .collect();
    assert!(actions.contains(&"resolve.coagulation.keep".to_owned()));
}

#[test]
fn a_stored_value_changed_since_it_was_shown_is_not_chosen_over() {
    let mut db = db_with_pending();
    let seen = shown(&db);
    // Someone saves another coagulation meanwhile.
    type_coagulation(&mut db, "2026-11-27T09:00", 2.6);
    let before = audit::list(&db, None).expect("audit").len();
    let e = resolve(&mut db, &seen, Choice::Take).expect_err("refused");
    assert!(matches!(e, StorageError::ChangedSinceShown(_)), "{e}");
    let case = read::by_external_id(&db, ID).expect("case");
    assert_eq!(case.pending.len(), 1, "still waiting");
    assert_eq!(case.file.coagulation.and_then(|c| c.inr), Some(2.6));
    assert_eq!(audit::list(&db, None).expect("audit").len(), before);
}

#[test]
fn a_file_value_changed_since_it_was_shown_is_not_taken() {
    let mut db = db_with_pending();
    let seen = shown(&db);
    // Another file, also older, replaces the pending value meanwhile.
    import_older(&mut db, "2026-11-26T06:00", 1.7);
    let e = resolve(&mut db, &seen, Choice::Take).expect_err("refused");
    assert!(matches!(e, StorageError::ChangedSinceShown(_)), "{e}");
    let case = read::by_external_id(&db, ID).expect("case");
    assert_eq!(case.file.coagulation.and_then(|c| c.inr), Some(2.4));
    // What is shown now can be taken.
    let seen = shown(&db);
    resolve(&mut db, &seen, Choice::Take).expect("taken");
    let case = read::by_external_id(&db, ID).expect("case");
    assert_eq!(case.file.coagulation.and_then(|c| c.inr), Some(1.7));
    assert!(case.pending.is_empty());
}

#[test]
fn the_stored_value_shown_is_the_one_in_the_file() {
    let db = db_with_pending();
    let case = read::by_external_id(&db, ID).expect("case");
    let coag = stored_json(&case.file, COAG)
        .expect("json")
        .expect("stored");
    assert!(coag.contains("2.4"), "{coag}");
    let room = stored_json(&case.file, Field::Schedule(ScheduleField::Room)).expect("json");
    assert_eq!(room.as_deref(), Some(r#""Salle 1""#));
    let risk = stored_json(&case.file, Field::Schedule(ScheduleField::BleedingRisk));
    assert_eq!(risk.expect("json"), None, "not given: nothing stored");
}
