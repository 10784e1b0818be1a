//! Recording an export: two exports of the same calendar built at the same
//! time cannot both be recorded (they would share a SEQUENCE).

use super::Format;
use super::run::{Request, commit, prepare};
use crate::decide::{self, Request as Decide};
use crate::domain::message::Lang;
use crate::storage::{Db, read};

fn db() -> Db {
    let mut db = Db::open_in_memory(crate::testkit::clock()).expect("db");
    let cases = crate::testkit::fixture_cases();
    crate::import::save_all(&mut db, &cases, "test", crate::import::Absent::Clears)
        .expect("import");
    let id = read::by_external_id(&db, "SCH-2026-004501")
        .expect("case")
        .id;
    let validate = Decide::Validate {
        override_justification: None,
    };
    decide::decide(&mut db, id, None, validate).expect("validated");
    db
}

fn ics() -> Request {
    Request {
        week: "2026-W49".parse().expect("week"),
        format: Format::Ics,
        minutes: false,
        pseudonymise: false,
        lang: Lang::En,
        file: "-".into(),
    }
}

#[test]
fn two_calendar_exports_built_together_cannot_both_be_recorded() {
    let mut db = db();
    let first = prepare(&mut db, &ics()).expect("built");
    let second = prepare(&mut db, &ics()).expect("built");
    commit(&mut db, &first, ics().week).expect("the first is recorded");
    let refused = commit(&mut db, &second, ics().week).expect_err("the second is refused");
    assert!(refused.to_string().contains("export again"), "{refused}");
    // Built again, it is recorded.
    let again = prepare(&mut db, &ics()).expect("built");
    commit(&mut db, &again, ics().week).expect("recorded");
}

#[test]
fn other_formats_do_not_wait_on_each_other() {
    let mut db = db();
    let mut csv = ics();
    csv.format = Format::Csv;
    let a = prepare(&mut db, &csv).expect("built");
    let b = prepare(&mut db, &csv).expect("built");
    commit(&mut db, &a, csv.week).expect("recorded");
    commit(&mut db, &b, csv.week).expect("recorded");
}
