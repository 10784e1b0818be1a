//! Issue 12, point 6: an export killed with its temporary file written.
//! The file's name says what it is and whose; the trail has its start and
//! no completion, and says so (the `audit` listing, the minutes); the same
//! person's next export into that folder removes the file.
//!
//! The export is stopped by the debug build's test hook
//! (`IR_COMMITTEE_TEST_EXPORT=pause:FILE`: it writes FILE once the
//! temporary file is written and its start recorded, then waits) and
//! killed with SIGKILL; release builds have no hook.
#![cfg(debug_assertions)]

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::{TODAY, bin, imported};

/// The binary as `common::bin` runs it, as a child process to kill.
fn spawn_export(db: &Path, out: &Path, ready: &Path) -> std::process::Child {
    std::process::Command::new(assert_cmd::cargo::cargo_bin("ir-committee"))
        .arg("--db")
        .arg(db)
        .args(["--today", TODAY, "--lang", "en"])
        .args(["export", "--week", "2026-W49", "--format", "md", "--output"])
        .arg(out)
        .env_remove("IR_COMMITTEE_DB")
        .env_remove("IR_COMMITTEE_PSEUDONYM_KEY_FILE")
        .env_remove("SSH_CONNECTION")
        .env(
            "IR_COMMITTEE_TEST_EXPORT",
            format!("pause:{}", ready.display()),
        )
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn")
}

fn temp_files(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .expect("dir")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().contains("ir-committee-export"))
        .collect()
}

fn audit_text(db: &Path) -> String {
    let out = bin(db).arg("audit").output().expect("audit");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

#[test]
fn a_killed_export_is_named_removed_next_time_and_shown_unfinished() {
    let (dir, db) = imported();
    bin(&db)
        .args(["decide", "SCH-2026-004501", "validate"])
        .assert()
        .success();
    let out = dir.path().join("programme.md");
    let ready = dir.path().join("ready");
    let mut child = spawn_export(&db, &out, &ready);
    let t = Instant::now();
    while !ready.exists() {
        assert!(
            t.elapsed() < Duration::from_secs(60),
            "the export never paused"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(i32::try_from(child.id()).expect("pid")),
        nix::sys::signal::Signal::SIGKILL,
    )
    .expect("kill");
    child.wait().expect("wait");

    // Left behind: one file, named for the target, the person and the
    // process, 0600, with the names in it; no target.
    let login = ir_committee::storage::identity::login();
    let expected = dir.path().join(format!(
        ".programme.md.ir-committee-export.{login}.{}.tmp",
        child.id()
    ));
    assert_eq!(temp_files(dir.path()), std::slice::from_ref(&expected));
    let mode = std::fs::metadata(&expected)
        .expect("meta")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
    assert!(
        std::fs::read_to_string(&expected)
            .expect("text")
            .contains("BÉRANGER")
    );
    assert!(!out.exists());

    // The trail: the start, never completed.
    let text = audit_text(&db);
    let starts: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("export.start"))
        .collect();
    assert_eq!(starts.len(), 1, "{text}");
    assert!(
        starts[0].contains("export.start (never completed)"),
        "{text}"
    );
    assert!(
        !text.lines().any(|l| l.contains("  export  ")),
        "no export done: {text}"
    );

    // The same person's next export into that folder (the minutes) removes
    // the file, and lists the export that never completed.
    let minutes = dir.path().join("minutes.md");
    bin(&db)
        .args([
            "export",
            "--week",
            "2026-W49",
            "--format",
            "md",
            "--minutes",
            "--output",
        ])
        .arg(&minutes)
        .assert()
        .success();
    assert!(
        temp_files(dir.path()).is_empty(),
        "{:?}",
        temp_files(dir.path())
    );
    let doc = std::fs::read_to_string(&minutes).expect("minutes");
    let section = doc
        .split("## Exports started and never completed")
        .nth(1)
        .unwrap_or_else(|| panic!("no such section: {doc}"));
    assert!(
        section.contains(&format!(
            "2026-11-26 13:00 — {login} — programme md, with names"
        )),
        "{section}"
    );
    // The listing still shows the killed one unfinished, the minutes done.
    let text = audit_text(&db);
    assert_eq!(text.matches("(never completed)").count(), 1, "{text}");
    assert_eq!(
        text.lines().filter(|l| l.contains("  export  ")).count(),
        1,
        "{text}"
    );
    let out = bin(&db)
        .args(["audit", "--format", "json"])
        .output()
        .expect("audit");
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).expect("json");
    let completed: Vec<&serde_json::Value> = rows
        .iter()
        .filter(|r| r["action"] == "export.start")
        .map(|r| &r["completed"])
        .collect();
    assert_eq!(
        completed,
        [&serde_json::json!(false), &serde_json::json!(true)]
    );
}

/// Another person's file, and one of a process still running, are left.
#[test]
fn only_the_persons_own_stale_files_are_removed() {
    let (dir, db) = imported();
    let login = ir_committee::storage::identity::login();
    let put = |name: String| {
        let p = dir.path().join(name);
        std::fs::write(&p, "names").expect("write");
        p
    };
    let running = put(format!(
        ".a.md.ir-committee-export.{login}.{}.tmp",
        std::process::id()
    ));
    let other = put(".a.md.ir-committee-export.someone-else.1.tmp".to_owned());
    bin(&db)
        .args(["export", "--week", "2026-W49", "--format", "md", "--output"])
        .arg(dir.path().join("b.md"))
        .assert()
        .success();
    assert!(running.exists() && other.exists());
}
