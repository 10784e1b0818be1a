//! The hospital's time zone through the real binary (issue 10.2): `init`
//! never takes a server's UTC, `set-timezone` is a chair's audited change,
//! and a file in UTC says so on every `check`. The server's zone is the
//! `TZ` given to the binary: these tests never depend on the machine's.

mod common;

use std::path::Path;

use common::{bin, hash};
use predicates::prelude::*;

/// `init` with no `--timezone`, on a server whose zone is `tz`.
fn init_on_server(db: &Path, tz: &str) -> std::process::Output {
    bin(db)
        .env("TZ", tz)
        .args(["init", "--demo"])
        .output()
        .expect("init runs")
}

/// The zone `check --format json` reports, and its warning codes about
/// the zone (a new file's protocol, never approved, warns too: not this
/// test's matter).
fn zone_and_warnings(db: &Path) -> (String, Vec<String>) {
    let r = common::check_json(db);
    let codes = r["warnings"]
        .as_array()
        .expect("warnings")
        .iter()
        .map(|w| w["code"].as_str().expect("code").to_owned())
        .filter(|c| c != "protocol.needs_review")
        .collect();
    (r["timezone"].as_str().expect("timezone").to_owned(), codes)
}

#[test]
fn init_refuses_a_server_zone_that_is_not_a_place_in_one_line_naming_the_flag() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("c.sqlite");
    for tz in [
        "UTC",
        "Etc/UTC",
        ":UTC",
        "/usr/share/zoneinfo/Etc/UTC",
        "Etc/GMT",
        "GMT",
        "Zulu",
        "UCT",
        "Universal",
        "",
        "Mars/Olympus_Mons",
        "CET-1CEST,M3.5.0,M10.5.0/3",
    ] {
        let out = init_on_server(&db, tz);
        assert!(!out.status.success(), "TZ={tz:?} accepted");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.lines().count(), 1, "TZ={tz:?}: {err}");
        assert!(err.contains("--timezone Europe/Paris"), "TZ={tz:?}: {err}");
        assert!(!err.contains("panicked"), "{err}");
        assert!(out.stdout.is_empty(), "TZ={tz:?}");
        assert!(!db.exists(), "TZ={tz:?}: a file was created");
    }
}

#[test]
fn init_refusal_speaks_french() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("c.sqlite");
    let mut cmd = assert_cmd::Command::cargo_bin("ir-committee").expect("binary");
    let out = cmd
        .env("TZ", "Etc/UTC")
        .env_remove("IR_COMMITTEE_DB")
        .arg("--db")
        .arg(&db)
        .args(["--lang", "fr", "init"])
        .output()
        .expect("runs");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("le fuseau horaire du serveur est Etc/UTC")
            && err.contains("--timezone Europe/Paris"),
        "{err}"
    );
    assert!(!db.exists());
}

#[test]
fn init_takes_a_server_zone_that_names_a_place() {
    for (tz, zone) in [
        ("Europe/Paris", "Europe/Paris"),
        (":America/Cayenne", "America/Cayenne"),
        ("/usr/share/zoneinfo/Indian/Reunion", "Indian/Reunion"),
    ] {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("c.sqlite");
        let out = init_on_server(&db, tz);
        assert!(out.status.success(), "{tz}");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            stdout.contains(&format!("created (time zone {zone}, the server's")),
            "{stdout}"
        );
        assert!(!stdout.contains("warning"), "{stdout}");
        assert_eq!(zone_and_warnings(&db), (zone.to_owned(), vec![]));
    }
}

/// An existing file needs no zone: `init` again on a UTC server says it is
/// already initialised, with the zone it has.
#[test]
fn init_again_on_a_utc_server_keeps_the_file_as_it_is() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("c.sqlite");
    bin(&db)
        .args(["init", "--demo", "--timezone", "Europe/Paris"])
        .assert()
        .success();
    let before = hash(&db);
    let out = init_on_server(&db, "UTC");
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim_end(),
        format!(
            "{}: already initialised (time zone Europe/Paris)",
            db.display()
        )
    );
    assert_eq!(hash(&db), before);
}

/// UTC named explicitly is accepted, with a warning; the file then warns
/// on every `check` (first line of the text, `warnings` in JSON) until a
/// chair sets the hospital's zone.
#[test]
fn a_utc_file_warns_on_every_check_until_a_chair_sets_the_zone() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("c.sqlite");
    bin(&db)
        .env("TZ", "Europe/Paris")
        .args(["init", "--demo", "--timezone", "UTC"])
        .assert()
        .success()
        .stdout(predicate::str::contains("created (time zone UTC)"))
        .stdout(predicate::str::contains(
            "warning: the file's time zone is UTC, not the hospital's",
        ));
    bin(&db)
        .arg("import")
        .arg(common::fixture())
        .assert()
        .success();
    let text = bin(&db).arg("check").output().expect("check");
    let text = String::from_utf8_lossy(&text.stdout);
    let first = text.lines().next().unwrap_or_default();
    assert!(
        first.starts_with("warning: the file's time zone is UTC")
            && first.contains("ir-committee set-timezone"),
        "{text}"
    );
    assert_eq!(
        zone_and_warnings(&db),
        ("UTC".to_owned(), vec!["timezone.not_a_place".to_owned()])
    );

    // Not a chair: refused in one line, nothing changed but the refusal's row.
    set_role(&db, "secretary");
    let out = bin(&db)
        .args(["set-timezone", "Europe/Paris"])
        .output()
        .expect("runs");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("may not"), "{err}");
    assert_eq!(zone_and_warnings(&db).0, "UTC");

    // The chair (a secretary may not list the trail: issue 11).
    set_role(&db, "chair");
    let refused = audit_rows(&db, "meta.timezone");
    assert_eq!(refused.len(), 1);
    assert_eq!(refused[0]["outcome"], "refused");
    let before = hash(&db);
    bin(&db)
        .args(["set-timezone", "Mars/Olympus_Mons"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("is not an IANA time zone"));
    assert_eq!(hash(&db), before, "an unknown zone writes nothing");
    bin(&db)
        .args(["set-timezone", "Europe/Paris"])
        .assert()
        .success()
        .stdout("time zone Europe/Paris (was UTC): every dossier is now judged on this clock\n");
    let rows = audit_rows(&db, "meta.timezone");
    let done = rows.last().expect("row");
    assert_eq!(done["outcome"], "done");
    assert_eq!(done["old_value"], "timezone = UTC");
    assert_eq!(done["new_value"], "timezone = Europe/Paris");
    assert_eq!(zone_and_warnings(&db), ("Europe/Paris".to_owned(), vec![]));
    let text = bin(&db).arg("check").output().expect("check");
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(!text.contains("time zone is UTC"), "{text}");
    // The one warning left: the new file's protocol, never approved.
    assert_eq!(
        text.lines().filter(|l| l.starts_with("warning")).count(),
        1,
        "{text}"
    );
    assert!(
        text.contains("warning: protocol v1, never approved"),
        "{text}"
    );

    // The same zone again: nothing written.
    let before = hash(&db);
    bin(&db)
        .args(["set-timezone", "Europe/Paris"])
        .assert()
        .success()
        .stdout("time zone already Europe/Paris, unchanged\n");
    assert_eq!(hash(&db), before);

    // Back to an Etc zone: accepted, with the warning.
    bin(&db)
        .args(["set-timezone", "Etc/GMT-1"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "warning: the file's time zone is Etc/GMT-1",
        ));
    assert_eq!(
        zone_and_warnings(&db),
        (
            "Etc/GMT-1".to_owned(),
            vec!["timezone.not_a_place".to_owned()]
        )
    );
}

/// Gives the caller `role` (what a chair's `users set-role` would do;
/// written directly by the test, another chair being there).
fn set_role(db: &Path, role: &str) {
    let conn = rusqlite::Connection::open(db).expect("open");
    conn.execute(
        "INSERT INTO users (login, name, role, created_at) VALUES ('boss', 'Boss', 'chair', 'x')
         ON CONFLICT(login) DO NOTHING",
        [],
    )
    .expect("another chair");
    conn.execute(
        "UPDATE users SET role = ?2 WHERE login = ?1",
        [ir_committee::storage::identity::login(), role.to_owned()],
    )
    .expect("role");
}

/// The audit rows of `action`, oldest first.
fn audit_rows(db: &Path, action: &str) -> Vec<serde_json::Value> {
    let out = bin(db)
        .args(["audit", "--format", "json"])
        .output()
        .expect("audit");
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).expect("json");
    rows.into_iter().filter(|r| r["action"] == action).collect()
}

/// `demo` names Paris, whatever the server says.
#[test]
fn demo_is_in_paris_on_a_utc_server() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("demo.sqlite");
    bin(&db).env("TZ", "UTC").arg("demo").assert().success();
    assert_eq!(zone_and_warnings(&db), ("Europe/Paris".to_owned(), vec![]));
}
