//! `ir-committee outcome`: what happened on the day of a validated case,
//! through the real binary on a demo file (issue 15 §1): performed, not
//! performed with a coded reason, each rule's refusal (one line, exit 1,
//! nothing written), the complication by role, the audit trail; and the
//! committee's coded reasons (`decide … --reason-code`).

mod common;

use std::path::Path;

use assert_cmd::Command;
use common::{TODAY, bin, hash, imported, set_role_by_hand};

/// Complete in the fixture: Monday 2026-11-30 08:00, Dr Martin,
/// vertebroplasty under conscious sedation.
const CASE: &str = "SCH-2026-004501";
/// Blocking in the fixture (imaging too old): left undecided.
const UNDECIDED: &str = "SCH-2026-004503";
/// A day after the fixture's week: every case of it is past.
const LATER: &str = "2026-12-04";

/// The binary as `common::bin`, on another day.
fn on(db: &Path, day: &str) -> Command {
    let mut cmd = Command::cargo_bin("ir-committee").expect("binary built");
    cmd.arg("--db")
        .arg(db)
        .arg("--today")
        .arg(day)
        .arg("--lang")
        .arg("en");
    cmd.env_remove("IR_COMMITTEE_DB");
    cmd.env_remove("IR_COMMITTEE_PSEUDONYM_KEY_FILE");
    cmd.env_remove("SSH_CONNECTION");
    cmd
}

/// The fixture with `CASE` validated (by the binary, on the committee's
/// Thursday).
fn validated() -> (tempfile::TempDir, std::path::PathBuf) {
    let (dir, db) = imported();
    bin(&db)
        .args(["decide", CASE, "validate"])
        .assert()
        .success();
    (dir, db)
}

/// Runs `outcome ARGS` on `day`, which must succeed: its line.
fn ok(db: &Path, day: &str, args: &[&str]) -> String {
    let out = on(db, day)
        .arg("outcome")
        .args(args)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

/// Runs a refused `outcome ARGS` on `day`: exit `code`, one line on
/// stderr, nothing on stdout, the file unchanged but for an audited
/// permission refusal. Returns the line.
fn refused(db: &Path, day: &str, code: i32, args: &[&str]) -> String {
    let before = hash(db);
    let out = on(db, day)
        .arg("outcome")
        .args(args)
        .assert()
        .code(code)
        .get_output()
        .clone();
    assert!(out.stdout.is_empty(), "{args:?} printed on stdout");
    let err = String::from_utf8(out.stderr).expect("utf-8");
    assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: {err}");
    assert!(err.starts_with("ir-committee: error: "), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    if !err.contains("may not") {
        assert_eq!(hash(db), before, "{args:?} changed the file");
    }
    err
}

/// The `outcomes` row of `CASE`: (performed, performed_at, operator,
/// techniques, anaesthesia, duration, reason, reason_text, grade, version).
type Row = (
    bool,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<i64>,
    Option<String>,
    Option<String>,
    Option<i64>,
    i64,
);

fn row(db: &Path) -> Option<Row> {
    let conn = rusqlite::Connection::open(db).expect("open");
    conn.query_row(
        "SELECT o.performed, o.performed_at, o.operator, o.techniques, o.anaesthesia,
           o.duration_min, o.reason, o.reason_text, o.complication_grade, o.version
         FROM outcomes o JOIN cases c ON c.id = o.case_id WHERE c.external_id = ?1",
        [CASE],
        |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
                r.get(8)?,
                r.get(9)?,
            ))
        },
    )
    .ok()
}

/// The audit listing of `CASE` (`audit --case --format json`, as a
/// chair), its `outcome.*` rows: (action, outcome, role).
fn trail(db: &Path) -> Vec<(String, String, String)> {
    set_role_by_hand(db, Some("chair"), None);
    let out = on(db, LATER)
        .args(["audit", "--case", CASE, "--format", "json"])
        .output()
        .expect("audit runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let rows = rows
        .as_array()
        .or_else(|| rows["rows"].as_array())
        .cloned()
        .unwrap_or_default();
    assert!(!rows.is_empty(), "{rows:?}");
    rows.iter()
        .filter(|r| {
            r["action"]
                .as_str()
                .is_some_and(|a| a.starts_with("outcome."))
        })
        .map(|r| {
            let s = |k: &str| r[k].as_str().unwrap_or_default().to_owned();
            (s("action"), s("outcome"), s("role"))
        })
        .collect()
}

#[test]
fn performed_with_the_plan_as_defaults_then_replaced_on_purpose() {
    let (_dir, db) = validated();
    let line = ok(&db, LATER, &[CASE, "performed", "--duration", "40"]);
    assert_eq!(
        line.trim_end(),
        "SCH-2026-004501: performed on 2026-11-30 08:00 by Dr Martin \
         (vertebroplasty; conscious sedation; 40\u{a0}min), recorded (version 1)"
    );
    let r = row(&db).expect("row");
    assert!(r.0);
    assert_eq!(r.1.as_deref(), Some("2026-11-30T08:00"));
    assert_eq!(r.2.as_deref(), Some("Dr Martin"));
    assert_eq!(r.3.as_deref(), Some("[\"vertebroplasty\"]"));
    assert_eq!(r.4.as_deref(), Some("conscious_sedation"));
    assert_eq!((r.5, r.9), (Some(40), 1));
    // A second command does not overwrite the first…
    let err = refused(
        &db,
        LATER,
        1,
        &[CASE, "not-performed", "--reason", "equipment"],
    );
    assert!(err.contains("already recorded (version 1)"), "{err}");
    assert!(err.contains("--replace 1"), "{err}");
    // …nor with a stale version.
    let err = refused(
        &db,
        LATER,
        1,
        &[
            CASE,
            "not-performed",
            "--reason",
            "equipment",
            "--replace",
            "7",
        ],
    );
    assert!(err.contains("changed"), "{err}");
    let line = ok(
        &db,
        LATER,
        &[
            CASE,
            "performed",
            "--replace",
            "1",
            "--at",
            "2026-11-30 09:15",
            "--operator",
            "Dr Nguyen",
            "--technique",
            "kyphoplasty",
            "--technique",
            "cementoplasty",
            "--anaesthesia",
            "general",
        ],
    );
    assert!(line.contains("(version 2)"), "{line}");
    let r = row(&db).expect("row");
    assert_eq!(r.1.as_deref(), Some("2026-11-30T09:15"));
    assert_eq!(r.2.as_deref(), Some("Dr Nguyen"));
    assert_eq!(r.3.as_deref(), Some("[\"kyphoplasty\",\"cementoplasty\"]"));
    assert_eq!((r.4.as_deref(), r.5), (Some("general"), None));
}

#[test]
fn not_performed_with_a_coded_reason() {
    let (_dir, db) = validated();
    let err = refused(&db, LATER, 1, &[CASE, "not-performed", "--reason", "other"]);
    assert!(err.contains("needs a text"), "{err}");
    let err = refused(
        &db,
        LATER,
        2,
        &[CASE, "not-performed", "--reason", "forgot"],
    );
    assert!(err.contains("missing_test, drug_not_stopped"), "{err}");
    let line = ok(
        &db,
        LATER,
        &[
            CASE,
            "not-performed",
            "--reason",
            "other",
            "--text",
            "power cut\u{7}",
        ],
    );
    assert_eq!(
        line.trim_end(),
        "SCH-2026-004501: not performed, reason: other (power cut), recorded (version 1)"
    );
    let r = row(&db).expect("row");
    assert!(!r.0);
    assert_eq!(
        (r.6.as_deref(), r.7.as_deref()),
        (Some("other"), Some("power cut"))
    );
    // A procedure not performed has no complication.
    let err = refused(
        &db,
        LATER,
        1,
        &[CASE, "complication", "--grade", "2", "--text", "x"],
    );
    assert!(err.contains("no procedure recorded as performed"), "{err}");
}

/// Each rule's refusal: a case not validated, a day still to come, a time
/// later than now, a case that does not exist, an unknown technique.
#[test]
fn each_rule_refuses_in_one_line_and_writes_nothing() {
    let (_dir, db) = validated();
    let err = refused(&db, LATER, 1, &[UNDECIDED, "performed"]);
    assert!(err.contains("is not validated by the committee"), "{err}");
    // The committee's Thursday: the case is next week.
    let err = refused(&db, TODAY, 1, &[CASE, "performed"]);
    assert!(
        err.contains("is scheduled on 2026-11-30, after today (2026-11-26)"),
        "{err}"
    );
    let err = refused(
        &db,
        "2026-11-30",
        1,
        &[CASE, "performed", "--at", "2026-11-30 15:00"],
    );
    assert!(err.contains("is in the future"), "{err}");
    let err = refused(&db, LATER, 1, &["SCH-0000-000000", "performed"]);
    assert!(err.contains("not found"), "{err}");
    let err = refused(&db, LATER, 2, &[CASE, "performed", "--technique", "magic"]);
    assert!(err.contains("is not a technique"), "{err}");
    let err = refused(
        &db,
        LATER,
        2,
        &[CASE, "complication", "--grade", "7", "--text", "x"],
    );
    assert!(err.contains("1..=6"), "{err}");
    let err = refused(&db, LATER, 1, &[CASE, "performed", "--at", "someday"]);
    assert!(!err.is_empty());
    // Before its scheduled day (2026-11-30), or with no operator.
    let err = refused(
        &db,
        LATER,
        1,
        &[CASE, "performed", "--at", "2026-11-29 23:59"],
    );
    assert!(
        err.contains("is before its scheduled day (2026-11-30)"),
        "{err}"
    );
    let err = refused(&db, LATER, 1, &[CASE, "performed", "--operator", "  "]);
    assert!(err.contains("names its operator"), "{err}");
    assert!(row(&db).is_none(), "nothing recorded");
    // On the day itself, before now (noon UTC: 13:00 in Paris): accepted.
    ok(
        &db,
        "2026-11-30",
        &[CASE, "performed", "--at", "2026-11-30 12:30"],
    );
}

#[test]
fn a_complication_by_an_anaesthetist_not_by_a_radiographer_and_the_trail_says_so() {
    let (_dir, db) = validated();
    set_role_by_hand(&db, Some("radiographer"), None);
    ok(&db, LATER, &[CASE, "performed"]);
    let err = refused(
        &db,
        LATER,
        1,
        &[CASE, "complication", "--grade", "2", "--text", "hématome"],
    );
    assert!(err.contains("may not record complications"), "{err}");
    assert_eq!(row(&db).expect("row").8, None);
    // Its day recorded, the committee's decision no longer changes.
    for args in [
        vec!["decide", CASE, "undo"],
        vec!["decide", CASE, "cancel", "--reason", "x"],
    ] {
        set_role_by_hand(&db, Some("chair"), None);
        let before = hash(&db);
        let out = on(&db, LATER).args(&args).output().expect("runs");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?}");
        assert!(
            err.contains("its day of procedure is recorded (performed)"),
            "{err}"
        );
        assert_eq!(hash(&db), before, "{args:?} changed the file");
    }
    // A viewer is told its role first, not what the case's day holds.
    set_role_by_hand(&db, Some("viewer"), None);
    let err = refused(&db, LATER, 1, &[CASE, "performed"]);
    assert!(
        err.contains("may not record the day of the procedure") && !err.contains("version"),
        "{err}"
    );
    set_role_by_hand(&db, Some("anaesthetist"), None);
    // An anaesthetist does not record the day itself.
    let err = refused(
        &db,
        LATER,
        1,
        &[
            CASE,
            "not-performed",
            "--reason",
            "consent",
            "--replace",
            "1",
        ],
    );
    assert!(
        err.contains("may not record the day of the procedure"),
        "{err}"
    );
    let line = ok(
        &db,
        LATER,
        &[
            CASE,
            "complication",
            "--grade",
            "2",
            "--text",
            "hématome au point de ponction",
        ],
    );
    assert_eq!(
        line.trim_end(),
        "SCH-2026-004501: complication CIRSE grade 2 recorded (version 2)"
    );
    assert_eq!(row(&db).expect("row").8, Some(2));
    // A second one replaces it only on purpose.
    let err = refused(
        &db,
        LATER,
        1,
        &[CASE, "complication", "--grade", "3", "--text", "x"],
    );
    assert!(err.contains("a complication is already recorded"), "{err}");
    assert!(err.contains("--replace 2"), "{err}");
    assert_eq!(
        trail(&db),
        [
            (
                "outcome.record".into(),
                "done".into(),
                "radiographer".into()
            ),
            (
                "outcome.complication".into(),
                "refused".into(),
                "radiographer".into()
            ),
            ("outcome.record".into(), "refused".into(), "viewer".into()),
            (
                "outcome.record".into(),
                "refused".into(),
                "anaesthetist".into()
            ),
            (
                "outcome.complication".into(),
                "done".into(),
                "anaesthetist".into()
            ),
        ]
    );
    // The outcomes table is checked against the trail.
    let out = on(&db, LATER)
        .args(["audit", "--verify"])
        .output()
        .expect("verify runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("live rows match the trail"),
        "{out:?}"
    );
}

/// `decide … postpone|cancel --reason-code`: stored beside the reason,
/// optional, refused for another decision, printed and in the minutes.
#[test]
fn the_committee_codes_its_postponements_and_cancellations() {
    let (_dir, db) = imported();
    let out = bin(&db)
        .args([
            "decide",
            UNDECIDED,
            "postpone",
            "--reason",
            "CT too old",
            "--reason-code",
            "missing_test",
        ])
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim_end(),
        "SCH-2026-004503: postponed to 2026-W50 (reason: missing test — CT too old)"
    );
    bin(&db)
        .args(["decide", "SCH-2026-004509", "cancel", "--reason", "no code"])
        .assert()
        .success();
    let before = hash(&db);
    let out = bin(&db)
        .args(["decide", CASE, "validate", "--reason-code", "consent"])
        .assert()
        .code(1)
        .get_output()
        .clone();
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("--reason-code does not apply"),
        "{out:?}"
    );
    assert_eq!(hash(&db), before);
    let conn = rusqlite::Connection::open(&db).expect("open");
    let codes: Vec<(String, Option<String>)> = conn
        .prepare(
            "SELECT c.external_id, d.reason_code FROM decisions d JOIN cases c ON c.id = d.case_id
             ORDER BY d.id",
        )
        .expect("prepare")
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows");
    assert_eq!(
        codes,
        [
            (UNDECIDED.to_owned(), Some("missing_test".to_owned())),
            ("SCH-2026-004509".to_owned(), None),
        ]
    );
    let out = bin(&db)
        .args(["export", "--minutes", "--format", "md", "--output", "-"])
        .output()
        .expect("export runs");
    let minutes = String::from_utf8_lossy(&out.stdout);
    assert!(minutes.contains("missing test — CT too old"), "{minutes}");
}
