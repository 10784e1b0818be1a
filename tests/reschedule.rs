//! `ir-committee reschedule` (issue 14 §3): a postponed case gets a real
//! slot from the command line, through the real binary: who may, the
//! date forms and bounds, the audit row, the case then an ordinary pending
//! case of its new week; and a later re-import follows the three-way rule
//! for the schedule fields.

mod common;

use std::path::{Path, PathBuf};

use common::{bin, fixture, hash, import_ok as import, imported, set_role_by_hand};
use predicates::prelude::*;

/// The first case of the fixture: 2026-11-30 08:00, Salle 1 (week 2026-W49).
const ID: &str = "SCH-2026-004501";

fn postpone(db: &Path) {
    bin(db)
        .args(["decide", ID, "postpone", "--reason", "IRM en panne"])
        .args(["--to-week", "2026-W50"])
        .assert()
        .success();
}

fn reschedule(db: &Path, at: &str, room: &str) -> assert_cmd::Command {
    let mut cmd = bin(db);
    cmd.args(["reschedule", ID, "--at", at, "--room", room]);
    cmd
}

/// The case's JSON in `check` for `week`, if it is one of its own cases.
fn in_week(db: &Path, week: &str) -> Option<serde_json::Value> {
    let out = bin(db)
        .args(["check", "--week", week, "--format", "json"])
        .output()
        .expect("check runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    json["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .find(|c| c["external_id"] == ID)
        .cloned()
}

/// (scheduled_at, room, status, postponed_to) straight from the file.
fn row(db: &Path) -> (String, String, String, Option<String>) {
    let conn = rusqlite::Connection::open(db).expect("open");
    conn.query_row(
        "SELECT scheduled_at, room, status, postponed_to FROM cases WHERE external_id = ?1",
        [ID],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )
    .expect("row")
}

/// A refused `reschedule`: exit 1, one line on stderr, nothing on stdout.
fn refused(cmd: &mut assert_cmd::Command) -> String {
    let out = cmd.assert().code(1).get_output().clone();
    assert!(out.stdout.is_empty());
    let err = String::from_utf8(out.stderr).expect("utf-8");
    assert_eq!(err.lines().count(), 1, "{err}");
    let prefix = [
        "ir-committee: error: ",
        "ir-committee\u{a0}: erreur\u{a0}: ",
    ];
    assert!(prefix.iter().any(|p| err.starts_with(p)), "{err:?}");
    err
}

#[test]
fn reschedule_has_help() {
    let mut c = assert_cmd::Command::cargo_bin("ir-committee").expect("binary");
    c.args(["reschedule", "--help"]).assert().success().stdout(
        predicate::str::contains("--at")
            .and(predicate::str::contains("--room"))
            .and(predicate::str::contains("secretary")),
    );
}

#[test]
fn a_postponed_case_gets_a_slot_and_is_then_pending_in_that_week() {
    let (_dir, db) = imported();
    postpone(&db);
    assert_eq!(row(&db).2, "postponed");
    reschedule(&db, "2026-12-08T09:00", " Salle 2 ")
        .assert()
        .success()
        .stdout(format!(
            "{ID}: rescheduled to 2026-12-08 09:00, Salle 2 (week 2026-W50, pending); was 2026-11-30 08:00, Salle 1\n"
        ));
    assert_eq!(
        row(&db),
        (
            "2026-12-08T09:00".into(),
            "Salle 2".into(),
            "pending".into(),
            None
        )
    );
    // An ordinary pending case of 2026-W50, gone from 2026-W49; its
    // postponement stays in its history.
    let case = in_week(&db, "2026-W50").expect("in 2026-W50");
    assert_eq!(case["status"], "pending");
    assert_eq!(case["scheduled_at"], "2026-12-08T09:00");
    let decisions = case["decisions"].as_array().expect("decisions");
    assert_eq!(decisions.len(), 1);
    assert_eq!(
        (&decisions[0]["decision"], &decisions[0]["undone"]),
        (&"postponed".into(), &false.into())
    );
    assert!(in_week(&db, "2026-W49").is_none());
    // Audited with the old and the new slot.
    let conn = rusqlite::Connection::open(&db).expect("open");
    let (old, new): (String, String) = conn
        .query_row(
            "SELECT old_value, new_value FROM audit WHERE action = 'case.reschedule' AND outcome = 'done'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("one audit row");
    let (old, new): (serde_json::Value, serde_json::Value) = (
        serde_json::from_str(&old).expect("json"),
        serde_json::from_str(&new).expect("json"),
    );
    assert_eq!(
        (&old["scheduled_at"], &old["room"]),
        (&"2026-11-30T08:00".into(), &"Salle 1".into())
    );
    assert_eq!(
        (&old["status"], &old["postponed_to"]),
        (&"postponed".into(), &"2026-W50".into())
    );
    assert_eq!(
        (&new["scheduled_at"], &new["room"]),
        (&"2026-12-08T09:00".into(), &"Salle 2".into())
    );
    assert_eq!(new["status"], "pending");
    bin(&db).args(["audit", "--verify"]).assert().success();
    // Now pending, it is no longer to reschedule.
    let err = refused(&mut reschedule(&db, "2026-12-09T09:00", "Salle 2"));
    assert!(err.contains("is undecided, not postponed"), "{err}");
}

#[test]
fn the_french_date_forms_as_in_the_forms() {
    let table = [
        ("08/12/2026 09:00", "2026-12-08T09:00"),
        ("08/12 14h30", "2026-12-08T14:30"),
        ("aujourd'hui 16:00", "2026-11-26T16:00"),
        ("2026-12-08T09:00", "2026-12-08T09:00"),
    ];
    for (typed, stored) in table {
        let (_dir, db) = imported();
        postpone(&db);
        reschedule(&db, typed, "Salle 2")
            .args(["--lang", "fr"])
            .assert()
            .success()
            .stdout(predicate::str::contains("reprogrammé le"));
        assert_eq!(row(&db).0, stored, "{typed}");
    }
}

#[test]
fn refusals_say_why_in_one_line_and_write_nothing() {
    let (_dir, db) = imported();
    let err = refused(&mut reschedule(&db, "2026-12-08T09:00", "Salle 2"));
    assert!(err.contains("is undecided, not postponed"), "{err}");
    postpone(&db);
    let before = hash(&db);
    let table: [(&str, &str, &str, &str); 6] = [
        ("2026-12-08", "Salle 2", "en", "a time is required"),
        ("08/12/2026 09:00", "Salle 2", "en", "not a date"),
        ("2026-12-08 25:00", "Salle 2", "en", "not a time"),
        (
            "2040-01-01T09:00",
            "Salle 2",
            "en",
            "must lie between 2016-11-26 and 2036-11-26",
        ),
        ("2026-12-08T09:00", " \u{200b}", "en", "a room is required"),
        ("32/12/2026 09:00", "Salle 2", "fr", "date illisible"),
    ];
    for (at, room, lang, why) in table {
        let err = refused(reschedule(&db, at, room).args(["--lang", lang]));
        assert!(err.contains(why), "{at:?} {room:?}: {err}");
    }
    let mut unknown = bin(&db);
    unknown.args([
        "reschedule",
        "SCH-NOPE",
        "--at",
        "2026-12-08T09:00",
        "--room",
        "Salle 2",
    ]);
    assert!(refused(&mut unknown).contains("no case with external id 'SCH-NOPE'"));
    assert_eq!(hash(&db), before, "a refusal writes nothing");
    assert_eq!(row(&db).2, "postponed");
}

#[test]
fn a_chair_or_a_secretary_may_others_are_refused_and_audited() {
    for (role, allowed) in [
        ("secretary", true),
        ("radiologist", false),
        ("anaesthetist", false),
        ("viewer", false),
    ] {
        let (_dir, db) = imported();
        postpone(&db);
        set_role_by_hand(&db, Some(role), None);
        let mut cmd = reschedule(&db, "2026-12-08T09:00", "Salle 2");
        if allowed {
            cmd.assert().success();
            assert_eq!(row(&db).2, "pending", "{role}");
            continue;
        }
        let err = refused(&mut cmd);
        assert!(
            err.contains("may not reschedule a postponed case: allowed for chair, secretary"),
            "{role}: {err}"
        );
        assert_eq!(row(&db).2, "postponed", "{role}");
        let conn = rusqlite::Connection::open(&db).expect("open");
        let n: i64 = conn
            .query_row(
                "SELECT count(*) FROM audit WHERE action = 'case.reschedule' AND outcome = 'refused'",
                [],
                |r| r.get(0),
            )
            .expect("count");
        assert_eq!(n, 1, "{role}: the refusal is audited");
    }
}

/// The fixture with the first case's slot replaced.
fn file_with_slot(dir: &Path, name: &str, at: &str, room: &str) -> PathBuf {
    let text = std::fs::read_to_string(fixture()).expect("fixture");
    let mut doc: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    doc["cases"][0]["procedure"]["scheduled_at"] = at.into();
    doc["cases"][0]["procedure"]["room"] = room.into();
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_string(&doc).expect("JSON")).expect("write");
    path
}

/// The three-way rule for the schedule fields (docs/import-format.md §7):
/// base = what the file sent last, stored = the slot typed here, file =
/// what it sends now.
#[test]
fn a_typed_slot_survives_the_old_file_and_a_moved_one_waits_for_a_person() {
    let (dir, db) = imported();
    postpone(&db);
    reschedule(&db, "2026-12-08T09:00", "Salle 2")
        .assert()
        .success();

    // The same file again (it still holds the old slot): the source has
    // not changed it, the slot typed here stays, nothing to settle.
    import(&db, &fixture());
    assert_eq!(
        row(&db),
        (
            "2026-12-08T09:00".into(),
            "Salle 2".into(),
            "pending".into(),
            None
        )
    );
    let case = in_week(&db, "2026-W50").expect("still in 2026-W50");
    assert_eq!(case["pending"], serde_json::json!([]));

    // A file that moved the case too: both changed, and a slot has no
    // date to judge by, so the typed one stays and the file's waits for a
    // person (blocking, `file.conflict`), field by field.
    let moved = file_with_slot(dir.path(), "moved.json", "2026-12-10T14:00", "Scanner 3");
    let out = import(&db, &moved);
    assert!(
        out.contains(&format!("{ID} scheduled_at: pending")),
        "{out}"
    );
    assert!(out.contains(&format!("{ID} room: pending")), "{out}");
    assert_eq!(row(&db).0, "2026-12-08T09:00");
    let case = in_week(&db, "2026-W50").expect("still in 2026-W50");
    let items: Vec<&str> = case["pending"]
        .as_array()
        .expect("pending")
        .iter()
        .filter_map(|p| p["item"].as_str())
        .collect();
    assert_eq!(items, ["room", "scheduled_at"]);
    assert_eq!(case["complete"], false);

    // A person takes the file's time: the case moves, as resolve says.
    bin(&db)
        .args(["resolve", ID, "scheduled_at", "take"])
        .assert()
        .success();
    assert_eq!(row(&db).0, "2026-12-10T14:00");
}

/// Without a reschedule, a file that moves a postponed case is taken
/// (nobody changed the slot here): the rule, not the reschedule, decides.
#[test]
fn a_file_that_moves_an_untouched_case_is_taken() {
    let (dir, db) = imported();
    let moved = file_with_slot(dir.path(), "moved.json", "2026-12-01T14:00", "Scanner 3");
    import(&db, &moved);
    let (at, room, _, _) = row(&db);
    assert_eq!(
        (at.as_str(), room.as_str()),
        ("2026-12-01T14:00", "Scanner 3")
    );
}
