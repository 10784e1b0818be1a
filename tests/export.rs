//! `export`: the real binary writes the programme and the minutes; files
//! are 0600, every export is audited, a viewer exports pseudonymised only,
//! a calendar re-export cancels what left the programme. Where an export
//! may write (never onto the database): `export/target.rs`.

mod common;
#[path = "export/target.rs"]
mod target;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use common::{bin, imported};
use predicates::prelude::*;

/// Validates two complete cases of the fixture week and one blocking case
/// by override, postpones one, cancels one.
fn decide_some(db: &Path) {
    for (id, args) in [
        ("SCH-2026-004501", vec!["validate"]),
        ("SCH-2026-004502", vec!["validate"]),
        (
            "SCH-2026-004503",
            vec!["validate", "--override", "INR checked the day before"],
        ),
        (
            "SCH-2026-004504",
            vec!["postpone", "--reason", "Anaesthesia consultation missing"],
        ),
        (
            "SCH-2026-004505",
            vec!["cancel", "--reason", "Patient declined"],
        ),
    ] {
        bin(db).arg("decide").arg(id).args(&args).assert().success();
    }
}

/// `ir-committee export --week 2026-W49` on `db`, more arguments to add.
fn export(db: &Path) -> assert_cmd::Command {
    let mut cmd = bin(db);
    cmd.args(["export", "--week", "2026-W49"]);
    cmd
}

fn key_file(dir: &Path) -> std::path::PathBuf {
    let key = dir.join("pseudonym.key");
    std::fs::write(&key, "7f3a9c0d5e1b2a4c6d8e0f1a3b5c7d9e\n").expect("key");
    key
}

fn audit_exports(db: &Path) -> Vec<serde_json::Value> {
    let out = bin(db)
        .args(["audit", "--format", "json"])
        .output()
        .expect("audit");
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).expect("json");
    rows.into_iter()
        .filter(|r| r["action"] == "export")
        .collect()
}

/// The export rows' actions (start, done, failed), oldest first.
fn audit_actions(db: &Path) -> Vec<String> {
    let out = bin(db)
        .args(["audit", "--format", "json"])
        .output()
        .expect("audit");
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).expect("json");
    rows.iter()
        .filter_map(|r| r["action"].as_str())
        .filter(|a| a.starts_with("export"))
        .map(str::to_owned)
        .collect()
}

#[test]
fn every_format_is_written_0600_and_audited() {
    let (dir, db) = imported();
    decide_some(&db);
    for format in ["html", "csv", "ics", "json", "md"] {
        let out = dir.path().join(format!("programme.{format}"));
        export(&db)
            .args(["--format", format, "--output"])
            .arg(&out)
            .assert()
            .success()
            .stdout(predicate::str::contains("3 validated procedures"));
        let mode = std::fs::metadata(&out).expect("file").permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{format}");
        let text = std::fs::read_to_string(&out).expect("text");
        assert!(
            text.contains("SCH-2026-004501")
                || format == "csv"
                || format == "html"
                || format == "md"
        );
    }
    let audited = audit_exports(&db);
    assert_eq!(audited.len(), 5);
    let last: serde_json::Value =
        serde_json::from_str(audited[4]["new_value"].as_str().expect("new value")).expect("json");
    assert_eq!(last["format"], "md");
    assert_eq!(last["cases"], 3);
    assert_eq!(last["pseudonymised"], false);
    assert_eq!(last["week"], "2026-W49");
}

#[test]
fn minutes_are_for_html_and_md_only() {
    let (dir, db) = imported();
    export(&db)
        .args(["--format", "csv", "--minutes", "--output"])
        .arg(dir.path().join("m.csv"))
        .assert()
        .failure()
        .stderr(predicate::str::contains("--minutes is for html and md"));
    assert!(!dir.path().join("m.csv").exists());
}

#[test]
fn the_minutes_carry_attendance_decisions_reasons_overrides_and_the_audit_head() {
    let (dir, db) = imported();
    decide_some(&db);
    let out = dir.path().join("minutes.md");
    export(&db)
        .args(["--format", "md", "--minutes", "--output"])
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::contains("minutes"));
    let text = std::fs::read_to_string(&out).expect("text");
    for expected in [
        "Anaesthesia consultation missing",
        "Patient declined",
        "INR checked the day before",
        "SCH-2026-004504",
        "SCH-2026-004505",
    ] {
        assert!(text.contains(expected), "{expected} missing:\n{text}");
    }
    // The head printed is the chain's head before the export's own row.
    let verify = bin(&db)
        .args(["audit", "--verify"])
        .output()
        .expect("verify");
    let said = String::from_utf8_lossy(&verify.stdout).to_string();
    let rows = audit_exports(&db);
    assert_eq!(rows.len(), 1);
    let head_line = text
        .lines()
        .find(|l| l.contains("--anchor"))
        .expect("the head hash in the minutes");
    let hash: String = head_line
        .split(|c: char| !c.is_ascii_hexdigit())
        .find(|w| w.len() == 64)
        .expect("64 hex digits")
        .to_owned();
    // It anchors: audit --verify --anchor finds it.
    bin(&db)
        .args(["audit", "--verify", "--anchor", &hash])
        .assert()
        .success();
    assert!(!said.is_empty());
}

#[test]
fn pseudonymised_exports_name_no_one() {
    let (dir, db) = imported();
    decide_some(&db);
    let key = key_file(dir.path());
    let fixture: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(common::fixture()).expect("fixture"))
            .expect("json");
    let validated = ["SCH-2026-004501", "SCH-2026-004502", "SCH-2026-004503"];
    for format in ["html", "csv", "ics", "json", "md"] {
        let out = dir.path().join(format!("wall.{format}"));
        export(&db)
            .env("IR_COMMITTEE_PSEUDONYM_KEY_FILE", &key)
            .args(["--pseudonymise", "--format", format, "--output"])
            .arg(&out)
            .assert()
            .success();
        let text = std::fs::read_to_string(&out).expect("text");
        // Validated by override, said without its justification.
        assert!(!text.contains("INR checked the day before"), "{format}");
        assert!(
            text.contains("VALIDATED BY OVERRIDE") || text.contains("\"override\""),
            "{format}: {text}"
        );
        for case in fixture["cases"].as_array().expect("cases") {
            let p = &case["patient"];
            let last = p["last_name"].as_str().expect("name");
            let birth = p["birth_date"].as_str().expect("birth");
            let ipp = p["ipp"].as_str().expect("ipp");
            assert!(
                !text.to_uppercase().contains(&last.to_uppercase()),
                "{format}: {last}"
            );
            assert!(!text.contains(birth), "{format}: {birth}");
            let (y, rest) = birth.split_at(4);
            let french = format!("{}/{}/{y}", &rest[4..6], &rest[1..3]);
            assert!(!text.contains(&french), "{format}: {french}");
            assert!(!text.contains(ipp), "{format}: {ipp}");
            let case_id = case["external_id"].as_str().expect("id");
            assert!(!text.contains(case_id), "{format}: {case_id}");
        }
        if format == "md" {
            // One keyed pseudonym per validated procedure.
            assert_eq!(text.matches("P-").count(), validated.len(), "{text}");
        }
    }
}

#[test]
fn pseudonymising_without_a_key_says_how_to_make_one() {
    let (dir, db) = imported();
    export(&db)
        .env_remove("IR_COMMITTEE_PSEUDONYM_KEY_FILE")
        .args(["--pseudonymise", "--format", "csv", "--output"])
        .arg(dir.path().join("x.csv"))
        .assert()
        .failure()
        .stderr(
            predicate::str::contains("no pseudonym key")
                .and(predicate::str::contains("openssl rand")),
        );
}

#[test]
fn a_viewer_exports_pseudonymised_only_and_the_refusal_is_audited() {
    let (dir, db) = imported();
    let me = String::from_utf8(
        std::process::Command::new("id")
            .arg("-un")
            .output()
            .expect("id")
            .stdout,
    )
    .expect("utf-8")
    .trim()
    .to_owned();
    bin(&db)
        .args(["users", "add", "boss", "--role", "chair", "--name", "Boss"])
        .assert()
        .success();
    bin(&db)
        .args(["users", "set-role", &me, "viewer"])
        .assert()
        .success();
    export(&db)
        .args(["--format", "csv", "--output"])
        .arg(dir.path().join("named.csv"))
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "viewer may export only pseudonymised",
        ));
    assert!(!dir.path().join("named.csv").exists());
    let key = key_file(dir.path());
    export(&db)
        .env("IR_COMMITTEE_PSEUDONYM_KEY_FILE", &key)
        .args(["--format", "csv", "--pseudonymise", "--output"])
        .arg(dir.path().join("wall.csv"))
        .assert()
        .success();
    // A viewer may not list the trail (issue 11): the auditor reads it.
    bin(&db)
        .args(["audit", "--format", "json"])
        .assert()
        .failure()
        .stdout("")
        .stderr(predicate::str::contains("may not read audit list"));
    rusqlite::Connection::open(&db)
        .expect("open")
        .execute("UPDATE users SET role = 'auditor' WHERE login = ?1", [&me])
        .expect("auditor");
    let out = bin(&db)
        .args(["audit", "--format", "json"])
        .output()
        .expect("audit");
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).expect("json");
    let exports: Vec<&serde_json::Value> =
        rows.iter().filter(|r| r["action"] == "export").collect();
    assert_eq!(exports.len(), 2, "{exports:?}");
    assert_eq!(exports[0]["outcome"], "refused");
    assert_eq!(exports[1]["outcome"], "done");
}

#[test]
fn a_calendar_re_export_cancels_what_left_the_programme_under_the_same_uid() {
    let (dir, db) = imported();
    decide_some(&db);
    let ics = dir.path().join("week.ics");
    // Each export replaces the last one's file: --force.
    let export = || {
        export(&db)
            .args(["--format", "ics", "--force", "--output"])
            .arg(&ics)
            .assert()
            .success();
        std::fs::read_to_string(&ics).expect("ics")
    };
    let first = export();
    assert_eq!(first.matches("BEGIN:VEVENT").count(), 3);
    assert!(first.contains("UID:SCH-2026-004501@ir-committee"));
    assert!(first.contains("SEQUENCE:0"));
    // The same again: same UIDs, same sequences.
    let again = export();
    assert_eq!(again.matches("SEQUENCE:0").count(), 3);
    // 004501 is postponed: it goes out again, cancelled, sequence up.
    bin(&db)
        .args([
            "decide",
            "SCH-2026-004501",
            "postpone",
            "--reason",
            "MRI first",
        ])
        .assert()
        .success();
    let after = export();
    assert_eq!(after.matches("BEGIN:VEVENT").count(), 3);
    let event = after
        .split("BEGIN:VEVENT")
        .find(|e| e.contains("UID:SCH-2026-004501@ir-committee"))
        .expect("the event is still sent");
    assert!(event.contains("STATUS:CANCELLED"), "{event}");
    assert!(event.contains("SEQUENCE:1"), "{event}");
}

#[test]
fn refuses_to_print_to_a_terminal_and_writes_to_a_pipe() {
    let (_dir, db) = imported();
    // assert_cmd's stdout is a pipe: `-` is allowed there.
    export(&db)
        .args(["--format", "json", "--output", "-"])
        .assert()
        .success()
        .stdout(predicate::str::contains("ir-committee/programme@1"));
}

#[test]
fn an_unknown_format_lists_the_formats() {
    let (_dir, db) = imported();
    bin(&db)
        .args(["export", "--format", "pdf"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("html, csv, ics, json, md"));
}

#[test]
fn a_pseudonymised_calendar_never_repeats_names_sent_before() {
    let (dir, db) = imported();
    decide_some(&db);
    let key = key_file(dir.path());
    let named = dir.path().join("named.ics");
    export(&db)
        .args(["--format", "ics", "--output"])
        .arg(&named)
        .assert()
        .success();
    bin(&db)
        .args([
            "decide",
            "SCH-2026-004502",
            "postpone",
            "--reason",
            "unwell",
        ])
        .assert()
        .success();
    for pseudo in [true, false] {
        let out = dir.path().join(format!("again-{pseudo}.ics"));
        let mut cmd = export(&db);
        cmd.env("IR_COMMITTEE_PSEUDONYM_KEY_FILE", &key)
            .args(["--format", "ics", "--output"])
            .arg(&out);
        if pseudo {
            cmd.arg("--pseudonymise");
        }
        cmd.assert().success();
        let text = std::fs::read_to_string(&out).expect("ics");
        if pseudo {
            for secret in ["DUPR", "80023871", "SCH-2026-0045"] {
                assert!(!text.contains(secret), "{secret} in:\n{text}");
            }
        } else {
            let gone = text
                .split("BEGIN:VEVENT")
                .find(|e| e.contains("UID:SCH-2026-004502@ir-committee"))
                .expect("the postponed case is sent again");
            assert!(gone.contains("STATUS:CANCELLED"), "{gone}");
            assert!(
                !gone.contains("DUPR"),
                "a cancelled event names no one: {gone}"
            );
        }
    }
}

#[test]
fn a_failed_write_records_no_export() {
    let (dir, db) = imported();
    decide_some(&db);
    export(&db)
        .args(["--format", "ics", "--output"])
        .arg(dir.path().join("no-such-folder/week.ics"))
        .assert()
        .failure()
        .stderr(predicate::str::contains("no such folder"));
    export(&db)
        .args(["--format", "md", "--output"])
        .arg(dir.path())
        .assert()
        .failure()
        .stderr(predicate::str::contains("is a folder"));
    // Refused before any temporary file was opened: nothing recorded.
    assert!(audit_actions(&db).is_empty());
    // A write that fails once the temporary file is open (the debug
    // build's test hook stands for a full disk): the start is recorded,
    // then the failure, never an export done; no file is left.
    let ics = dir.path().join("week.ics");
    if cfg!(debug_assertions) {
        export(&db)
            .env("IR_COMMITTEE_TEST_EXPORT", "fail")
            .args(["--format", "ics", "--output"])
            .arg(&ics)
            .assert()
            .failure()
            .stderr(predicate::str::contains("the test made the write fail"));
        assert_eq!(audit_actions(&db), ["export.start", "export.failed"]);
        let names = std::fs::read_dir(dir.path()).expect("dir").flatten();
        let mut left = names.map(|e| e.file_name().to_string_lossy().into_owned());
        assert!(!ics.exists() && !left.any(|n| n.contains("-export.")));
    }
    assert!(audit_exports(&db).is_empty());
    // The calendar state did not move either: the first real export is sequence 0.
    export(&db)
        .args(["--format", "ics", "--output"])
        .arg(&ics)
        .assert()
        .success();
    let text = std::fs::read_to_string(&ics).expect("ics");
    assert_eq!(text.matches("SEQUENCE:0").count(), 3, "{text}");
}

/// A case validated when complete, then made blocking by a later INR, and
/// one validated by override: every format says so (the exports are read
/// back by their parsers in `src/export/`; here, through the binary).
#[test]
fn every_format_says_validated_by_override_and_now_blocking() {
    let (dir, db) = imported();
    decide_some(&db);
    // A worse INR, taken after the decision, arrives by re-import.
    let mut week: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(common::fixture()).expect("fixture"))
            .expect("json");
    let case = week["cases"]
        .as_array_mut()
        .expect("cases")
        .iter_mut()
        .find(|c| c["external_id"] == "SCH-2026-004501")
        .expect("case");
    case["coagulation"] = serde_json::json!({
        "at": "2026-11-27T07:45", "inr": 2.4, "platelets_g_l": 236
    });
    let later = dir.path().join("later.json");
    std::fs::write(&later, week.to_string()).expect("write");
    bin(&db).arg("import").arg(&later).assert().success();
    for format in ["html", "csv", "ics", "json", "md"] {
        let out = dir.path().join(format!("programme.{format}"));
        export(&db)
            .args(["--format", format, "--output"])
            .arg(&out)
            .assert()
            .success();
        // Unfolded (ics folds long lines).
        let text = std::fs::read_to_string(&out)
            .expect("text")
            .replace("\r\n ", "");
        let (blocking, over) = match format {
            "json" => (
                "\"now_blocking\": [\n            \"coagulation\"",
                "\"override\"",
            ),
            // Column 17, "Now blocking" (the ward instructions follow).
            "csv" => (";\"coagulation\";\"", "VALIDATED BY OVERRIDE"),
            _ => (
                "VALIDATED BUT NOW BLOCKING: coagulation",
                "VALIDATED BY OVERRIDE",
            ),
        };
        // Once for the one case (ics: its description and its alert).
        let once = text.matches(blocking).count();
        assert_eq!(once, 1 + usize::from(format == "ics"), "{format}: {text}");
        assert!(text.contains(over), "{format}: {text}");
        assert!(text.contains("INR checked the day before"), "{format}");
        if format == "json" {
            let v: serde_json::Value = serde_json::from_str(&text).expect("json");
            let p = &v["days"][0]["procedures"];
            assert_eq!(p[0]["external_id"], "SCH-2026-004501");
            assert_eq!(p[0]["now_blocking"], serde_json::json!(["coagulation"]));
            assert!(p[0].get("override").is_none());
            assert_eq!(p[1]["external_id"], "SCH-2026-004503");
            assert_eq!(p[1]["now_blocking"], serde_json::json!([]));
            let o = &p[1]["override"];
            assert_eq!(o["justification"], "INR checked the day before");
            assert_eq!(o["blocking"], serde_json::json!(["imaging"]));
        }
        if format == "ics" {
            assert!(text.contains("X-IR-COMMITTEE-ALERT:VALIDATED BUT NOW BLOCKING: coagulation"));
        }
        if matches!(format, "html" | "md" | "json") {
            // The edition's time (the fixed clock: noon UTC, 13:00 in Paris)
            // and the audit head.
            let head = text
                .split(|c: char| !c.is_ascii_hexdigit())
                .find(|w| w.len() == 64)
                .expect("the audit head")
                .to_owned();
            bin(&db)
                .args(["audit", "--verify", "--anchor", &head])
                .assert()
                .success();
            let when = if format == "json" {
                "2026-11-26T13:00"
            } else {
                "26/11/2026 13:00 (Europe/Paris)"
            };
            assert!(text.contains(when), "{format}: {text}");
        }
    }
}

/// The minutes name who decided by their name (`users set-name`), not
/// their login.
#[test]
fn the_minutes_name_who_decided_not_their_login() {
    let (dir, db) = imported();
    decide_some(&db);
    let login = ir_committee::storage::identity::login();
    bin(&db)
        .args(["users", "set-name", &login, "Dr Zoé Chair"])
        .assert()
        .success();
    let out = dir.path().join("minutes.md");
    export(&db)
        .args(["--format", "md", "--minutes", "--output"])
        .arg(&out)
        .assert()
        .success();
    let text = std::fs::read_to_string(&out).expect("text");
    let decided: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("SCH-2026-004504") || l.contains("SCH-2026-004503"))
        .collect();
    assert!(!decided.is_empty(), "{text}");
    for l in decided {
        assert!(l.contains("Dr Zoé Chair"), "{l}");
        assert!(!l.contains(&format!("| {login} |")), "{l}");
    }
}

#[test]
fn a_leading_tilde_in_output_is_the_home_folder() {
    let (dir, db) = imported();
    let home = dir.path().join("home");
    std::fs::create_dir(&home).expect("home");
    // `--output=~/…` is not expanded by the shell: the program does it.
    export(&db)
        .env("HOME", &home)
        .args(["--format", "md", "--output=~/programme.md"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            home.join("programme.md").display().to_string(),
        ));
    assert!(home.join("programme.md").exists());
    let audited = audit_exports(&db);
    let record: serde_json::Value =
        serde_json::from_str(audited[0]["new_value"].as_str().expect("new value")).expect("json");
    assert_eq!(
        record["file"],
        home.join("programme.md").display().to_string()
    );
}
