//! The real binary: init, demo, import, check, and their failures.

mod common;

use common::{bin, check_json, fixture, hash, imported};
use predicates::prelude::*;

#[test]
fn every_command_has_help() {
    for cmd in [
        vec![],
        vec!["init"],
        vec!["import"],
        vec!["demo"],
        vec!["check"],
    ] {
        let mut c = assert_cmd::Command::cargo_bin("ir-committee").expect("binary");
        c.args(&cmd)
            .arg("--help")
            .assert()
            .success()
            .stdout(predicate::str::contains("Usage"));
    }
}

#[test]
fn init_creates_and_is_idempotent() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("c.sqlite");
    bin(&db)
        .args(["init", "--demo", "--timezone", "Europe/Paris"])
        .assert()
        .success()
        .stdout(predicate::str::contains("created"));
    bin(&db)
        .args(["init", "--demo", "--timezone", "Europe/Paris"])
        .assert()
        .success()
        .stdout(predicate::str::contains("already initialised"));
}

#[test]
fn init_in_a_missing_folder_is_one_clear_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("nope/c.sqlite");
    let out = bin(&db)
        .args(["init", "--demo", "--timezone", "Europe/Paris"])
        .assert()
        .failure()
        .get_output()
        .clone();
    let err = String::from_utf8(out.stderr).expect("utf-8");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("does not exist"), "{err}");
    assert!(!err.contains("panicked"));
}

#[test]
fn commands_refuse_a_missing_database() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("absent.sqlite");
    bin(&db)
        .arg("check")
        .assert()
        .failure()
        .stderr(predicate::str::contains("ir-committee init"));
    assert!(!db.exists(), "check must not create a database");
}

#[test]
fn a_foreign_file_is_refused_and_untouched() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("notes.txt");
    std::fs::write(
        &db,
        "not a database at all, just some text that is long enough",
    )
    .expect("write");
    let before = hash(&db);
    bin(&db)
        .arg("check")
        .assert()
        .failure()
        .stderr(predicate::str::contains("not an ir-committee database"));
    bin(&db)
        .args(["init", "--demo", "--timezone", "Europe/Paris"])
        .assert()
        .failure();
    bin(&db)
        .arg("demo")
        .assert()
        .failure()
        .stderr(predicate::str::contains("not a demo database"));
    assert_eq!(hash(&db), before);
}

#[test]
fn a_newer_schema_is_refused_and_untouched() {
    let (_dir, db) = imported();
    {
        let conn = rusqlite::Connection::open(&db).expect("open");
        conn.pragma_update(None, "user_version", 99)
            .expect("bump version");
    }
    let before = hash(&db);
    bin(&db)
        .arg("check")
        .assert()
        .failure()
        .stderr(predicate::str::contains("newer ir-committee").and(predicate::str::contains("99")));
    assert_eq!(hash(&db), before);
}

#[test]
fn demo_prepares_next_week_without_a_terminal() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("demo.sqlite");
    bin(&db).arg("demo").assert().success().stdout(
        predicate::str::contains("demo database ready").and(predicate::str::contains("2026-W49")),
    );
    let report = check_json(&db);
    assert_eq!(report["week"], "2026-W49");
    assert!(report["cases"].as_array().is_some_and(|c| c.len() >= 24));
    // Recreating a demo file is allowed.
    bin(&db).arg("demo").assert().success();
}

#[test]
fn demo_moves_the_fixture_onto_next_week_whatever_today() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("demo.sqlite");
    let mut c = assert_cmd::Command::cargo_bin("ir-committee").expect("binary");
    c.args(["--today", "2031-03-05", "--lang", "en", "--db"])
        .arg(&db)
        .arg("demo")
        .assert()
        .success();
    let mut c = assert_cmd::Command::cargo_bin("ir-committee").expect("binary");
    let out = c
        .args(["--today", "2031-03-05", "--lang", "en", "--db"])
        .arg(&db)
        .args(["check", "--format", "json"])
        .output()
        .expect("check");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["week"], "2031-W11");
    assert!(v["cases"].as_array().is_some_and(|c| c.len() >= 24));
}

#[test]
fn demo_refuses_a_real_database() {
    let (_dir, db) = common::committee();
    let before = hash(&db);
    bin(&db)
        .arg("demo")
        .assert()
        .failure()
        .stderr(predicate::str::contains("not a demo database"));
    assert_eq!(hash(&db), before);
}

#[test]
fn import_then_reimport_updates_rather_than_duplicates() {
    let (_dir, db) = imported();
    let n = check_json(&db)["cases"]
        .as_array()
        .map(Vec::len)
        .expect("cases");
    bin(&db)
        .arg("import")
        .arg(fixture())
        .assert()
        .success()
        .stdout(predicate::str::contains(format!(
            "0 created, 0 updated, {n} unchanged"
        )));
    assert_eq!(check_json(&db)["cases"].as_array().map(Vec::len), Some(n));
}

#[test]
fn check_json_has_the_documented_shape() {
    let (_dir, db) = imported();
    let v = check_json(&db);
    assert_eq!(v["week"], "2026-W49");
    let cases = v["cases"].as_array().expect("cases");
    assert!(cases.len() >= 24);
    for c in cases {
        for key in [
            "id",
            "external_id",
            "scheduled_at",
            "patient",
            "techniques",
            "status",
            "complete",
            "items",
            "scores",
        ] {
            assert!(c.get(key).is_some(), "{key} missing in {c}");
        }
        assert!(c["id"].is_i64());
        let at = c["scheduled_at"].as_str().expect("scheduled_at");
        assert_eq!(at.len(), 16, "{at}");
        assert!(["F", "M", "X"].contains(&c["patient"]["sex"].as_str().expect("sex")));
        let items = c["items"].as_array().expect("items");
        let names: Vec<&str> = items.iter().filter_map(|i| i["item"].as_str()).collect();
        assert_eq!(
            names,
            [
                "imaging",
                "biology",
                "coagulation",
                "anaesthesia",
                "consent",
                "delay",
                "medication"
            ]
        );
        for i in items {
            assert!(
                ["ok", "missing", "out_of_range", "expired", "not_required"]
                    .contains(&i["status"].as_str().expect("status"))
            );
            assert!(
                ["blocking", "advisory", "none"]
                    .contains(&i["severity"].as_str().expect("severity"))
            );
            assert!(!i["code"].as_str().expect("code").is_empty());
            assert!(!i["message"].as_str().expect("message").is_empty());
        }
        let blocking = items.iter().any(|i| i["severity"] == "blocking");
        assert_eq!(c["complete"].as_bool(), Some(!blocking));
        for s in c["scores"]["sins"].as_array().expect("sins") {
            assert_eq!(
                s["total"].is_null(),
                !s["missing"].as_array().expect("missing").is_empty()
            );
        }
    }
}

#[test]
fn check_text_lists_every_case_by_day() {
    let (_dir, db) = imported();
    let out = bin(&db).arg("check").output().expect("check");
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert!(text.starts_with("Week 2026-W49"), "{text}");
    for day in [
        "Monday 2026-11-30",
        "Tuesday 2026-12-01",
        "Friday 2026-12-04",
    ] {
        assert!(text.contains(day), "{day} in\n{text}");
    }
    assert!(!text.contains('\u{1b}'));
}

#[test]
fn check_refuses_a_bad_week() {
    let (_dir, db) = imported();
    bin(&db)
        .args(["check", "--week", "2026-W60"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("not an ISO week"));
}

#[test]
fn an_empty_week_says_so() {
    let (_dir, db) = imported();
    bin(&db)
        .args(["check", "--week", "2027-W10"])
        .assert()
        .success()
        .stdout(predicate::str::contains("No procedure scheduled"));
}

#[test]
fn a_spoofed_user_does_not_change_the_audit() {
    let (_dir, db) = imported();
    let conn = rusqlite::Connection::open(&db).expect("open");
    let real: String = conn
        .query_row(
            "SELECT login FROM audit ORDER BY id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .expect("row");
    drop(conn);
    let dir = tempfile::tempdir().expect("temp dir");
    let edited = dir.path().join("edited.json");
    let text = std::fs::read_to_string(fixture()).expect("fixture");
    std::fs::write(&edited, text.replacen("\"Salle 1\"", "\"Salle 9\"", 1)).expect("write");
    bin(&db)
        .env("USER", "mallory")
        .env("LOGNAME", "mallory")
        .arg("import")
        .arg(&edited)
        .assert()
        .success();
    let conn = rusqlite::Connection::open(&db).expect("open");
    let logins: Vec<String> = conn
        .prepare("SELECT DISTINCT login FROM audit")
        .expect("prepare")
        .query_map([], |r| r.get(0))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows");
    assert_eq!(logins, vec![real]);
}

#[test]
fn editing_the_rules_table_changes_a_flag_without_a_rebuild() {
    let (_dir, db) = imported();
    let imaging = |v: &serde_json::Value| {
        let case = v["cases"]
            .as_array()
            .expect("cases")
            .iter()
            .find(|c| c["external_id"] == "SCH-2026-004503")
            .expect("case")
            .clone();
        case["items"][0].clone()
    };
    // The CT is 50 days old: expired under the default 42-day window.
    let before = imaging(&check_json(&db));
    assert_eq!(before["status"], "expired");
    assert!(before["message"].as_str().expect("message").contains("42"));
    {
        let conn = rusqlite::Connection::open(&db).expect("open");
        let n = conn
            .execute(
                "UPDATE rules SET value = 60 WHERE rule = 'imaging.max_age'",
                [],
            )
            .expect("update rule");
        assert_eq!(n, 1);
    }
    let after = imaging(&check_json(&db));
    assert_eq!(after["status"], "ok");
    assert!(after["message"].as_str().expect("message").contains("60"));
}

#[test]
fn usage_mistakes_are_one_line_and_exit_2() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("c.sqlite");
    for args in [
        vec!["check", "--week", "2026-W99"],
        vec!["frobnicate"],
        vec!["check", "--format", "pdf"],
        vec!["--today", "2026-02-30", "check"],
    ] {
        let out = bin(&db).args(&args).output().expect("runs");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8(out.stderr).expect("utf-8");
        assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: {err}");
        assert!(err.starts_with("ir-committee: error: "), "{err}");
    }
}

#[test]
fn check_speaks_french() {
    let (_dir, db) = imported();
    let mut c = assert_cmd::Command::cargo_bin("ir-committee").expect("binary");
    let out = c
        .args(["--today", common::TODAY, "--db"])
        .arg(&db)
        .arg("check")
        .env("LANG", "fr_FR.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .output()
        .expect("check");
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert!(text.starts_with("Semaine 2026-W49"), "{text}");
    assert!(text.contains("Lundi 30/11/2026"), "{text}");
    assert!(text.contains("(30/11/2026 → 06/12/2026)"), "{text}");
    assert!(text.contains("TDM du 11/11/2026"), "{text}");
    assert!(text.contains("vertébroplastie"));
}

#[test]
fn an_empty_file_is_not_turned_into_a_database_by_check() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("empty.sqlite");
    std::fs::write(&db, "").expect("write");
    bin(&db)
        .arg("check")
        .assert()
        .failure()
        .stderr(predicate::str::contains("is empty").and(predicate::str::contains("init")));
    assert_eq!(std::fs::metadata(&db).expect("meta").len(), 0);
}

#[test]
fn a_refused_newer_file_keeps_its_wal_untouched() {
    let (_dir, db) = imported();
    {
        let conn = rusqlite::Connection::open(&db).expect("open");
        conn.set_db_config(
            rusqlite::config::DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE,
            true,
        )
        .expect("no checkpoint on close");
        conn.execute("UPDATE cases SET room = 'Salle 42' WHERE id = 1", [])
            .expect("write");
        conn.pragma_update(None, "user_version", 99)
            .expect("bump version");
    }
    let mut wal = db.as_os_str().to_owned();
    wal.push("-wal");
    let wal = std::path::PathBuf::from(wal);
    assert!(
        std::fs::metadata(&wal)
            .map(|m| m.len() > 0)
            .unwrap_or(false),
        "a WAL is left"
    );
    let before = hash(&db);
    bin(&db)
        .arg("check")
        .assert()
        .failure()
        .stderr(predicate::str::contains("newer ir-committee"));
    assert!(wal.exists(), "the WAL must not be checkpointed away");
    assert_eq!(hash(&db), before);
}

#[test]
fn absurd_days_and_weeks_are_usage_errors_not_crashes() {
    let (_dir, db) = imported();
    for args in [
        vec!["check", "--week", "262143-W01"],
        vec!["--today", "+262142-12-31", "check"],
        vec!["--today", "9999-12-31", "check"],
    ] {
        let out = assert_cmd::Command::cargo_bin("ir-committee")
            .expect("binary")
            .arg("--db")
            .arg(&db)
            .args(&args)
            .output()
            .expect("runs");
        let err = String::from_utf8(out.stderr).expect("utf-8");
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: {err}");
    }
}

#[test]
fn check_json_says_who_recorded_each_item_and_carries_the_notes() {
    let (_dir, db) = imported();
    let v = check_json(&db);
    let cases = v["cases"].as_array().expect("cases");
    let with_consultation = cases
        .iter()
        .find(|c| c["items"][4]["status"] == "ok")
        .expect("a consented case");
    let rec = &with_consultation["items"][4]["recorded"];
    assert_eq!(rec["kind"], "consultation");
    assert!(
        rec["source"]
            .as_str()
            .expect("source")
            .starts_with("import:")
    );
    assert!(!rec["by"].as_str().expect("by").is_empty());
    let missing = cases
        .iter()
        .find(|c| c["items"][0]["status"] == "missing")
        .expect("a case without imaging");
    // Absent evidence was recorded by nobody.
    if missing["items"][0]["code"] == "imaging.missing" {
        assert!(
            missing["items"][0]["recorded"].is_null()
                || missing["items"][0]["recorded"]["kind"] == "imaging"
        );
    }
    assert!(
        cases
            .iter()
            .any(|c| c["notes"].as_array().is_some_and(|n| !n.is_empty()))
    );
}

#[test]
fn rules_set_changes_a_flag_and_is_refused_out_of_range() {
    let (_dir, db) = imported();
    bin(&db)
        .args(["rules", "list"])
        .assert()
        .success()
        .stdout(predicate::str::contains("imaging.max_age").and(predicate::str::contains("42")));
    bin(&db)
        .args(["rules", "set", "imaging.max_age", "5000"])
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "5000 is outside 0–3650 days (imaging: validity · all)",
        ));
    bin(&db)
        .args(["rules", "set", "no.such_rule", "3"])
        .assert()
        .failure();
    bin(&db)
        .args(["rules", "set", "imaging.max_age", "60"])
        .assert()
        .success();
    let v = check_json(&db);
    let case = v["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .find(|c| c["external_id"] == "SCH-2026-004503")
        .expect("case");
    assert_eq!(case["items"][0]["status"], "ok");
    let conn = rusqlite::Connection::open(&db).expect("open");
    let n: i64 = conn
        .query_row(
            "SELECT count(*) FROM audit WHERE action = 'rules.set' AND outcome = 'done'",
            [],
            |r| r.get(0),
        )
        .expect("audit");
    assert_eq!(n, 1);
}

#[test]
fn rules_set_risk_changes_a_techniques_bleeding_risk() {
    let (_dir, db) = imported();
    bin(&db)
        .args(["rules", "set-risk", "neurolysis", "low"])
        .assert()
        .success()
        .stdout("neurolysis: bleeding risk low (was high)\n");
    bin(&db)
        .args(["rules", "list"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "technique.bleeding_risk\tneurolysis\tlow\t",
        ));
    bin(&db)
        .args(["rules", "set-risk", "neurolysis", "low"])
        .assert()
        .success()
        .stdout("neurolysis: bleeding risk already low, unchanged\n");
    let conn = rusqlite::Connection::open(&db).expect("open");
    let audited: Vec<(String, String)> = conn
        .prepare("SELECT old_value, new_value FROM audit WHERE action = 'rules.risk' AND outcome = 'done'")
        .expect("prepare")
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows");
    assert_eq!(
        audited,
        [(
            "technique.bleeding_risk/neurolysis = high".to_owned(),
            "technique.bleeding_risk/neurolysis = low".to_owned()
        )]
    );
    // Unknown words: one line naming the accepted ones, a non-zero exit,
    // nothing written.
    let before = hash(&db);
    for (args, expected) in [
        (
            ["set-risk", "neurolyse", "low"],
            "'neurolyse' is not a technique (expected one of: vertebroplasty, kyphoplasty,",
        ),
        (
            ["set-risk", "neurolysis", "medium"],
            "'medium' is not a bleeding risk (expected one of: low, high)",
        ),
    ] {
        let out = bin(&db).arg("rules").args(args).output().expect("runs");
        assert!(!out.status.success(), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.contains(expected), "{stderr}");
    }
    assert_eq!(hash(&db), before);
}

#[test]
fn only_a_chair_manages_users_and_rules() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("c.sqlite");
    bin(&db)
        .args([
            "init",
            "--demo",
            "--admin",
            "someone-else",
            "--timezone",
            "Europe/Paris",
        ])
        .assert()
        .success();
    bin(&db)
        .args(["users", "add", "x", "--role", "viewer", "--name", "X"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("may not manage users"));
    bin(&db)
        .args(["rules", "set", "imaging.max_age", "60"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("may not"));
    bin(&db)
        .args(["rules", "set-risk", "neurolysis", "low"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("may not manage rules"));
    // Not a user of the file: it reads nothing either (issue 11).
    bin(&db)
        .args(["users", "list"])
        .assert()
        .failure()
        .stdout("")
        .stderr(predicate::str::contains("is not a registered user"));
}

/// Issue 9: a login or a name with no visible character (a Hangul filler,
/// a Braille blank, a combining grapheme joiner) is refused as empty, in
/// one line, and nothing is written; invisible characters inside a login
/// are removed as it enters.
#[test]
fn users_add_refuses_an_invisible_login_or_name() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("c.sqlite");
    bin(&db)
        .args(["init", "--demo", "--timezone", "Europe/Paris"])
        .assert()
        .success();
    let before = hash(&db);
    for (login, name, expected) in [
        ("\u{3164}", "Dr Hélène Martin", "a login must not be empty"),
        ("\u{34f}", "Dr Hélène Martin", "a login must not be empty"),
        ("hm", "\u{2800}", "the name of 'hm' must not be empty"),
        (
            "hm",
            "\u{115f}\u{1160} \u{ffa0}",
            "the name of 'hm' must not be empty",
        ),
    ] {
        let out = bin(&db)
            .args(["users", "add", login, "--role", "viewer", "--name", name])
            .output()
            .expect("runs");
        assert!(!out.status.success(), "{login:?} {name:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
        assert!(stderr.contains(expected), "{login:?} {name:?}: {stderr}");
    }
    assert_eq!(hash(&db), before, "nothing written");
    bin(&db)
        .args([
            "users",
            "add",
            "h\u{200b}m\u{ad}",
            "--role",
            "viewer",
            "--name",
            "Dr\u{2800}Martin",
        ])
        .assert()
        .success();
    bin(&db)
        .args(["users", "list"])
        .assert()
        .success()
        .stdout(predicate::str::contains("hm\t").and(predicate::str::contains("Dr\u{2800}Martin")));
}
