//! `ir-committee decide`: the committee's decisions from the command line,
//! through the real binary, and the same service from the library (version
//! conflicts, the cases to reschedule).

mod common;

use std::path::Path;

use common::{bin, check_json, hash, imported};
use ir_committee::decide::{self, DecideError, Request};
use ir_committee::domain::message::Lang;
use ir_committee::storage::{Db, audit, identity, read};
use ir_committee::testkit::clock;
use predicates::prelude::*;

/// Complete in the fixture.
const COMPLETE: &str = "SCH-2026-004501";
/// Blocking in the fixture: imaging too old.
const BLOCKING: &str = "SCH-2026-004503";

fn decide_cmd(db: &Path, args: &[&str]) -> assert_cmd::Command {
    let mut cmd = bin(db);
    cmd.arg("decide").args(args);
    cmd
}

/// Runs a refused `decide`: exit 1, one line on stderr, nothing written.
fn refused(db: &Path, args: &[&str]) -> String {
    let before = hash(db);
    let out = decide_cmd(db, args).assert().code(1).get_output().clone();
    assert!(out.stdout.is_empty(), "{args:?} printed on stdout");
    let err = String::from_utf8(out.stderr).expect("utf-8");
    assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
    assert!(err.starts_with("ir-committee: error: "), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(hash(db), before, "{args:?} changed the file");
    err
}

/// The case's JSON in `check` (the fixture's week).
fn case(db: &Path, id: &str) -> serde_json::Value {
    check_json(db)["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .find(|c| c["external_id"] == id)
        .expect("case in the week")
        .clone()
}

/// (status, postponed_to, version) straight from the file.
fn row(db: &Path, id: &str) -> (String, Option<String>, i64) {
    let conn = rusqlite::Connection::open(db).expect("open");
    conn.query_row(
        "SELECT status, postponed_to, version FROM cases WHERE external_id = ?1",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )
    .expect("case row")
}

/// The audit rows of a case whose action starts with `decision.`:
/// (action, login, old, new).
fn decision_audit(
    db: &Path,
    id: &str,
) -> Vec<(String, String, serde_json::Value, serde_json::Value)> {
    let conn = rusqlite::Connection::open(db).expect("open");
    let mut stmt = conn
        .prepare(
            "SELECT a.action, a.login, a.old_value, a.new_value FROM audit a
             JOIN cases c ON c.id = a.case_id
             WHERE c.external_id = ?1 AND a.action LIKE 'decision.%' ORDER BY a.id",
        )
        .expect("prepare");
    stmt.query_map([id], |r| {
        let json = |s: Option<String>| {
            s.and_then(|s| serde_json::from_str(&s).ok())
                .unwrap_or(serde_json::Value::Null)
        };
        Ok((r.get(0)?, r.get(1)?, json(r.get(2)?), json(r.get(3)?)))
    })
    .expect("query")
    .collect::<Result<_, _>>()
    .expect("rows")
}

#[test]
fn decide_has_help() {
    let mut c = assert_cmd::Command::cargo_bin("ir-committee").expect("binary");
    c.args(["decide", "--help"]).assert().success().stdout(
        predicate::str::contains("validate")
            .and(predicate::str::contains("--override"))
            .and(predicate::str::contains("--to-week")),
    );
}

#[test]
fn validating_a_complete_case_takes_effect_with_its_row_and_audit() {
    let (_dir, db) = imported();
    let (_, _, version) = row(&db, COMPLETE);
    decide_cmd(&db, &[COMPLETE, "validate"])
        .assert()
        .success()
        .stdout(format!("{COMPLETE}: validated\n"));
    assert_eq!(row(&db, COMPLETE), ("validated".into(), None, version + 1));
    let c = case(&db, COMPLETE);
    assert_eq!(c["status"], "validated");
    let decisions = c["decisions"].as_array().expect("decisions");
    assert_eq!(decisions.len(), 1);
    assert_eq!(decisions[0]["decision"], "validated");
    assert_eq!(decisions[0]["by"], identity::login());
    assert_eq!(decisions[0]["undone"], false);
    assert_eq!(
        decisions[0]["override_justification"],
        serde_json::Value::Null
    );
    let audit = decision_audit(&db, COMPLETE);
    assert_eq!(audit.len(), 1);
    let (action, login, old, new) = &audit[0];
    assert_eq!(action, "decision.validated");
    assert_eq!(login, &identity::login());
    assert_eq!(old["status"], "pending");
    assert_eq!(new["status"], "validated");
    // Validating it again is refused, and says why.
    let err = refused(&db, &[COMPLETE, "validate"]);
    assert!(err.contains("already validated"), "{err}");
}

#[test]
fn a_blocking_case_needs_an_override_which_is_recorded() {
    let (_dir, db) = imported();
    let err = refused(&db, &[BLOCKING, "validate"]);
    assert!(
        err.contains(&format!(
            "{BLOCKING} has blocking items: imaging: CT 2026-10-11"
        )) && err.contains("(max 42)")
            && err.contains("pass --override \"justification\" to validate anyway"),
        "{err}"
    );
    // An empty justification is no justification.
    let err = refused(&db, &[BLOCKING, "validate", "--override", "  \t "]);
    assert!(err.contains("justification is required"), "{err}");

    decide_cmd(
        &db,
        &[
            BLOCKING,
            "validate",
            "--override",
            "scanner du 20/11 vu en RCP",
        ],
    )
    .assert()
    .success()
    .stdout(format!(
        "{BLOCKING}: validated (override: scanner du 20/11 vu en RCP)\n"
    ));
    let c = case(&db, BLOCKING);
    assert_eq!(c["status"], "validated");
    // Accepted with a justification: an override, not a case gone bad since.
    assert_eq!(c["validated_but_blocking"], false);
    assert_eq!(c["overridden"], true);
    assert_eq!(
        c["decisions"][0]["override_justification"],
        "scanner du 20/11 vu en RCP"
    );
    let audit = decision_audit(&db, BLOCKING);
    assert_eq!(
        audit[0].3["override_justification"],
        "scanner du 20/11 vu en RCP"
    );
}

#[test]
fn postponing_needs_a_reason_and_a_later_week_and_lists_the_case_there() {
    let (_dir, db) = imported();
    let err = refused(&db, &[COMPLETE, "postpone"]);
    assert!(
        err.contains("a reason is required") && err.contains("--reason"),
        "{err}"
    );
    refused(&db, &[COMPLETE, "postpone", "--reason", "   "]);
    for week in ["2026-W49", "2026-W48", "2025-W50"] {
        let err = refused(
            &db,
            &[COMPLETE, "postpone", "--reason", "IRM", "--to-week", week],
        );
        assert!(err.contains("must be after 2026-W49"), "{err}");
    }

    // Without --to-week: the following week.
    decide_cmd(&db, &[COMPLETE, "postpone", "--reason", "attente IRM"])
        .assert()
        .success()
        .stdout(format!(
            "{COMPLETE}: postponed to 2026-W50 (reason: attente IRM)\n"
        ));
    let (status, postponed_to, _) = row(&db, COMPLETE);
    assert_eq!(
        (status.as_str(), postponed_to.as_deref()),
        ("postponed", Some("2026-W50"))
    );
    let c = case(&db, COMPLETE);
    assert_eq!(c["decisions"][0]["to_week"], "2026-W50");
    assert_eq!(c["decisions"][0]["reason"], "attente IRM");

    // The target week lists it "to reschedule"; the case keeps its slot.
    let lib = Db::open(&db, clock()).expect("open");
    let listed = read::to_reschedule(&lib, "2026-W50".parse().expect("week")).expect("list");
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].file.external_id, COMPLETE);
    assert!(!listed[0].recorded.is_empty(), "evidence is loaded");
    assert_eq!(listed[0].decisions.len(), 1);
    assert!(
        read::week(&lib, "2026-W49".parse().expect("week"))
            .expect("week")
            .iter()
            .any(|c| c.file.external_id == COMPLETE)
    );
    drop(lib);

    // Postponed again to an explicit week.
    decide_cmd(
        &db,
        &[
            COMPLETE,
            "postpone",
            "--reason",
            "bloc fermé",
            "--to-week",
            "2026-W52",
        ],
    )
    .assert()
    .success();
    assert_eq!(row(&db, COMPLETE).1.as_deref(), Some("2026-W52"));
}

#[test]
fn cancelling_needs_a_reason() {
    let (_dir, db) = imported();
    let err = refused(&db, &[COMPLETE, "cancel"]);
    assert!(err.contains("a reason is required"), "{err}");
    decide_cmd(
        &db,
        &[COMPLETE, "cancel", "--reason", "patient hospitalisé"],
    )
    .assert()
    .success()
    .stdout(format!(
        "{COMPLETE}: cancelled (reason: patient hospitalisé)\n"
    ));
    assert_eq!(row(&db, COMPLETE).0, "cancelled");
    refused(&db, &[COMPLETE, "cancel", "--reason", "encore"]);
}

#[test]
fn undo_restores_the_previous_status_until_nothing_is_left() {
    let (_dir, db) = imported();
    refused(&db, &[COMPLETE, "undo"]);
    decide_cmd(&db, &[COMPLETE, "validate"]).assert().success();
    decide_cmd(&db, &[COMPLETE, "postpone", "--reason", "IRM"])
        .assert()
        .success();
    decide_cmd(&db, &[COMPLETE, "undo"])
        .assert()
        .success()
        .stdout(format!("{COMPLETE}: last decision undone; now validated\n"));
    assert_eq!(row(&db, COMPLETE).0, "validated");
    assert_eq!(row(&db, COMPLETE).1, None);
    decide_cmd(&db, &[COMPLETE, "undo"])
        .assert()
        .success()
        .stdout(format!("{COMPLETE}: last decision undone; now undecided\n"));
    assert_eq!(row(&db, COMPLETE).0, "pending");
    let err = refused(&db, &[COMPLETE, "undo"]);
    assert!(err.contains("no decision to undo"), "{err}");

    let c = case(&db, COMPLETE);
    let history: Vec<(String, bool)> = c["decisions"]
        .as_array()
        .expect("decisions")
        .iter()
        .map(|d| {
            (
                d["decision"].as_str().expect("decision").to_owned(),
                d["undone"].as_bool().expect("undone"),
            )
        })
        .collect();
    let expected: Vec<(String, bool)> = [
        ("validated", true),
        ("postponed", true),
        ("undone", false),
        ("undone", false),
    ]
    .iter()
    .map(|(d, u)| ((*d).to_owned(), *u))
    .collect();
    assert_eq!(history, expected);
    let actions: Vec<String> = decision_audit(&db, COMPLETE)
        .into_iter()
        .map(|a| a.0)
        .collect();
    assert_eq!(
        actions,
        [
            "decision.validated",
            "decision.postponed",
            "decision.undone",
            "decision.undone"
        ]
    );
    let audit = decision_audit(&db, COMPLETE);
    assert_eq!(audit[2].2["status"], "postponed");
    assert_eq!(audit[2].3["status"], "validated");
}

#[test]
fn undo_of_a_postponement_over_a_postponement_restores_the_first_target() {
    let (_dir, db) = imported();
    decide_cmd(
        &db,
        &[
            COMPLETE,
            "postpone",
            "--reason",
            "a",
            "--to-week",
            "2026-W50",
        ],
    )
    .assert()
    .success();
    decide_cmd(
        &db,
        &[
            COMPLETE,
            "postpone",
            "--reason",
            "b",
            "--to-week",
            "2026-W51",
        ],
    )
    .assert()
    .success();
    decide_cmd(&db, &[COMPLETE, "undo"])
        .assert()
        .success()
        .stdout(format!(
            "{COMPLETE}: last decision undone; now postponed to 2026-W50\n"
        ));
    assert_eq!(row(&db, COMPLETE).1.as_deref(), Some("2026-W50"));
}

#[test]
fn a_stale_version_is_a_conflict_naming_who_changed_the_case() {
    let (_dir, db) = imported();
    let mut lib = Db::open(&db, clock()).expect("open");
    let seen = read::by_external_id(&lib, COMPLETE).expect("case");
    // Someone else decides meanwhile (another process).
    decide_cmd(&db, &[COMPLETE, "cancel", "--reason", "décès"])
        .assert()
        .success();
    let audit_rows = |lib: &Db| audit::list(lib, None).expect("audit").len();
    let before = audit_rows(&lib);
    let e = decide::decide(
        &mut lib,
        seen.id,
        Some(seen.version),
        Request::Validate {
            override_justification: None,
        },
    )
    .expect_err("stale view");
    match &e {
        DecideError::Conflict {
            external_id,
            by,
            expected,
            found,
            ..
        } => {
            assert_eq!(external_id, COMPLETE);
            assert_eq!(by, &identity::login());
            assert_eq!((*expected, *found), (seen.version, seen.version + 1));
        }
        other => panic!("{other:?}"),
    }
    let text = e.to_string();
    assert!(
        text.contains(&format!("changed by {}", identity::login())) && text.contains("reload"),
        "{text}"
    );
    assert!(e.message(Lang::Fr).contains("modifié par"));
    assert_eq!(audit_rows(&lib), before, "a refusal writes nothing");
    drop(lib);
    assert_eq!(row(&db, COMPLETE).0, "cancelled");
}

#[test]
fn an_unknown_case_is_one_clear_line() {
    let (_dir, db) = imported();
    for action in ["validate", "undo"] {
        let err = refused(&db, &["SCH-0000-000000", action]);
        assert!(
            err.contains("no case with external id 'SCH-0000-000000'"),
            "{err}"
        );
    }
    let err = refused(&db, &["SCH-0000-000000", "postpone", "--reason", "x"]);
    assert!(err.contains("no case with external id"), "{err}");
    // An escape sequence in the id does not reach the terminal.
    let err = refused(&db, &["\u{1b}]0;pwned\u{7}", "validate"]);
    assert!(!err.contains('\u{1b}') && !err.contains('\u{7}'), "{err:?}");
}

#[test]
fn options_that_do_not_apply_are_refused_not_ignored() {
    let (_dir, db) = imported();
    for args in [
        &[COMPLETE, "validate", "--reason", "x"][..],
        &[COMPLETE, "validate", "--to-week", "2026-W50"],
        &[COMPLETE, "cancel", "--reason", "x", "--override", "y"],
        &[COMPLETE, "undo", "--reason", "x"],
    ] {
        let err = refused(&db, args);
        assert!(err.contains("does not apply"), "{err}");
    }
    // Usage mistakes caught by the parser: exit 2, one line.
    for args in [
        &[COMPLETE, "approve"][..],
        &[COMPLETE, "postpone", "--to-week", "next"],
        &[COMPLETE],
    ] {
        let before = hash(&db);
        let out = decide_cmd(&db, args).assert().code(2).get_output().clone();
        let err = String::from_utf8(out.stderr).expect("utf-8");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert_eq!(hash(&db), before);
    }
}

#[test]
fn decisions_speak_french() {
    let (_dir, db) = imported();
    let fr = |args: &[&str]| {
        let mut cmd = decide_cmd(&db, args);
        cmd.args(["--lang", "fr"]);
        cmd
    };
    let out = fr(&[BLOCKING, "validate"])
        .assert()
        .code(1)
        .get_output()
        .clone();
    let err = String::from_utf8(out.stderr).expect("utf-8");
    assert!(
        err.contains(&format!(
            "{BLOCKING} a des éléments bloquants\u{a0}: imagerie\u{a0}: "
        )) && err.contains("--override"),
        "{err}"
    );
    fr(&[BLOCKING, "validate", "--override", "vu en RCP"])
        .assert()
        .success()
        .stdout(format!(
            "{BLOCKING}\u{a0}: validé (dérogation\u{a0}: vu en RCP)\n"
        ));
    fr(&[COMPLETE, "postpone", "--reason", "IRM"])
        .assert()
        .success()
        .stdout(format!(
            "{COMPLETE}\u{a0}: reporté à la semaine 2026-W50 (motif\u{a0}: IRM)\n"
        ));
    fr(&[COMPLETE, "undo"]).assert().success().stdout(format!(
        "{COMPLETE}\u{a0}: dernière décision retirée\u{202f}; désormais non décidé\n"
    ));
}

#[test]
fn reasons_are_sanitised_where_they_enter() {
    let (_dir, db) = imported();
    let out = decide_cmd(
        &db,
        &[
            COMPLETE,
            "cancel",
            "--reason",
            "  \u{1b}]52;c;aGk=\u{7}annulé\u{1b}[2J\r  ",
        ],
    )
    .assert()
    .success()
    .get_output()
    .clone();
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{7}'),
        "{text:?}"
    );
    let c = case(&db, COMPLETE);
    assert_eq!(c["decisions"][0]["reason"], "]52;c;aGk=annulé[2J");
}

#[test]
fn a_reimport_never_changes_a_decision() {
    let (dir, db) = imported();
    decide_cmd(&db, &[COMPLETE, "validate"]).assert().success();
    decide_cmd(&db, &[BLOCKING, "postpone", "--reason", "IRM"])
        .assert()
        .success();
    let before_complete = case(&db, COMPLETE)["decisions"].clone();
    let before_blocking = case(&db, BLOCKING)["decisions"].clone();
    // The same file again, with the complete case's coagulation now out of range.
    let mut doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(common::fixture()).expect("fixture"))
            .expect("json");
    for c in doc["cases"].as_array_mut().expect("cases") {
        if c["external_id"] == COMPLETE {
            c["coagulation"] =
                serde_json::json!({"at": "2026-11-27", "inr": 3.1, "platelets_g_l": 200});
        }
    }
    let file = dir.path().join("again.json");
    std::fs::write(&file, doc.to_string()).expect("write");
    bin(&db).arg("import").arg(&file).assert().success();
    let c = case(&db, COMPLETE);
    assert_eq!(c["status"], "validated");
    assert_eq!(c["validated_but_blocking"], true);
    // The alert over the coming four weeks names it, with the item.
    let alerts = &check_json(&db)["alerts"];
    assert_eq!(alerts.as_array().map(Vec::len), Some(1), "{alerts}");
    assert_eq!(alerts[0]["external_id"], COMPLETE);
    assert_eq!(alerts[0]["items"], serde_json::json!(["coagulation"]));
    assert_eq!(c["decisions"], before_complete);
    assert_eq!(case(&db, BLOCKING)["decisions"], before_blocking);
    assert_eq!(row(&db, BLOCKING).0, "postponed");
    assert_eq!(row(&db, BLOCKING).1.as_deref(), Some("2026-W50"));
    // Now blocking: validating it again needs a justification.
    let err = refused(&db, &[COMPLETE, "validate"]);
    assert!(err.contains("coagulation"), "{err}");
    decide_cmd(&db, &[COMPLETE, "validate", "--override", "INR recontrôlé"])
        .assert()
        .success();
    // Validated again, knowingly: no more alert.
    assert_eq!(check_json(&db)["alerts"], serde_json::json!([]));
}
