//! End to end: the real binary in a pseudo-terminal, its screen read back
//! with vt100. Each test has its own folder and database, prepared with the
//! binary itself, on the fixture's week (2026-W49).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use nix::sys::signal::Signal;

mod common;
use common::TODAY;
use common::screen::{BIN, FIRST, PATIENCE, Screen, find};

/// Runs a command of the binary (not the screen) and returns its stdout.
fn cli(db: &Path, args: &[&str]) -> String {
    let out = std::process::Command::new(BIN)
        .arg("--db")
        .arg(db)
        .args(["--today", TODAY, "--lang", "en"])
        .args(args)
        .env_remove("IR_COMMITTEE_DB")
        .output()
        .expect("the binary runs");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 output")
}

/// A fresh database with the fixture imported, in its own folder.
fn prepared() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("c.sqlite");
    cli(&db, &["init", "--demo", "--timezone", "Europe/Paris"]);
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/week.json");
    cli(&db, &["import", fixture.to_str().expect("utf-8 path")]);
    (dir, db)
}

/// The status of a case in `check --format json`.
fn status_of(db: &Path, external_id: &str) -> String {
    let report: serde_json::Value =
        serde_json::from_str(&cli(db, &["check", "--format", "json"])).expect("JSON report");
    let cases = report["cases"].as_array().expect("cases");
    let case = cases
        .iter()
        .find(|c| c["external_id"] == external_id)
        .expect("the case is in the week");
    case["status"].as_str().expect("a status").to_owned()
}

#[test]
fn validate_with_keys_then_quit_restores_the_terminal() {
    let (_dir, db) = prepared();
    assert_eq!(status_of(&db, FIRST), "pending");
    let mut s = Screen::board(&db);
    s.send("v");
    s.wait_for(&format!("{FIRST}: validated"));
    s.send("q");
    assert_eq!(s.exit_code(PATIENCE), 0, "quits with status 0");
    // The terminal is handed back: alternate screen left, bracketed paste off.
    s.wait("the terminal restored", |o| {
        find(&o.raw, b"\x1b[?1049l") && find(&o.raw, b"\x1b[?2004l")
    });
    assert_eq!(status_of(&db, FIRST), "validated");
    let conn = rusqlite::Connection::open(&db).expect("open the database");
    let audited: i64 = conn
        .query_row(
            "SELECT count(*) FROM audit a JOIN cases c ON c.id = a.case_id
             WHERE a.action = 'decision.validated' AND c.external_id = ?1",
            [FIRST],
            |r| r.get(0),
        )
        .expect("audit query");
    assert_eq!(audited, 1, "one audit row for the validation");
}

/// How the screen is told to stop.
#[derive(Debug, Clone, Copy)]
enum Stop {
    Signal(Signal),
    /// The terminal itself goes away (the kernel sends SIGHUP, and reads of
    /// the terminal find nothing any more).
    HangUp,
}

/// A note being typed when the screen is told to stop: the program leaves
/// within a second, and the text is kept and offered back.
fn stop_keeps_the_draft(stop: Stop, typed: &str) {
    let (_dir, db) = prepared();
    let mut s = Screen::board(&db);
    s.send("n");
    s.wait_for(&format!("· {FIRST}"));
    s.send(typed);
    s.wait_for(typed);
    let sent = Instant::now();
    match stop {
        Stop::Signal(signal) => s.signal(signal),
        Stop::HangUp => s.hang_up(),
    }
    let code = s.exit_code(Duration::from_secs(1));
    // 128 + the signal, as a shell reports it; a dead terminal counts as SIGHUP.
    let expected = match stop {
        Stop::Signal(signal) => 128 + signal as u32,
        Stop::HangUp => 128 + Signal::SIGHUP as u32,
    };
    assert_eq!(
        code, expected,
        "left by itself rather than being killed ({stop:?})"
    );
    eprintln!("{stop:?}: exited after {:?}", sent.elapsed());
    drop(s);

    let mut again = Screen::board(&db);
    again.send("n");
    again.wait_for("Your unfinished text was restored.");
    again.wait_for(typed);
    // Esc: the draft is not wanted any more, and the screen quits cleanly.
    again.send("\x1b");
    again.wait("the dialog closed", |o| {
        !o.parser.screen().contents().contains(typed)
    });
    again.send("q");
    assert_eq!(again.exit_code(PATIENCE), 0);
}

#[test]
fn sighup_leaves_within_a_second_and_keeps_the_draft() {
    stop_keeps_the_draft(Stop::Signal(Signal::SIGHUP), "Link dropped mid-sentence");
}

#[test]
fn sigterm_leaves_within_a_second_and_keeps_the_draft() {
    stop_keeps_the_draft(Stop::Signal(Signal::SIGTERM), "Told to stop mid-sentence");
}

#[test]
fn a_dropped_link_leaves_within_a_second_and_keeps_the_draft() {
    stop_keeps_the_draft(Stop::HangUp, "Terminal gone mid-sentence");
}

/// A case whose notes fit in the detail pane at 120×40 (the pane does not
/// scroll), fourth on the board.
const NOTED: &str = "SCH-2026-004504";

#[test]
fn escape_sequences_in_a_note_never_reach_the_terminal() {
    let (_dir, db) = prepared();
    let body = "alpha\x1b]52;c;SGVsbG8=\x07bravo\x1b]0;title\x07charlie\x1b[2Jdelta\recho";
    let mut s = Screen::board(&db);
    s.send("jjj");
    s.wait_for(&format!("Case {NOTED}"));
    s.send("n");
    s.wait_for(&format!("· {NOTED}"));
    s.send(&format!("\x1b[200~{body}\x1b[201~"));
    s.wait_for("alpha");
    s.send("\r");
    s.wait_for("Note saved.");
    s.send("q");
    assert_eq!(s.exit_code(PATIENCE), 0);
    s.wait("the terminal restored", |o| find(&o.raw, b"\x1b[?1049l"));
    let typing = s.raw();
    drop(s);

    // A new screen shows the stored note in the detail pane (tall enough
    // for the whole case: the note comes after the dossier).
    let mut again = Screen::open(&db, 120, 60);
    again.wait_for("Week 2026-W49");
    again.wait_for(FIRST);
    again.send("jjj");
    again.wait_for(&format!("Case {NOTED}"));
    // What is left of the sequences is plain text in the detail pane (the
    // right of each row, lines joined where the pane wrapped them).
    again.wait("the note as plain text", |o| {
        let pane: String = (o.parser.screen().contents().lines())
            .filter_map(|l| l.rsplit_once('│'))
            .map(|(_, right)| right.trim_end())
            .collect();
        // A pasted CR is a line break (terminals paste line ends as CR).
        pane.contains("alpha]52;c;SGVsbG8=bravo]0;titlecharlie[2Jdelta") && pane.contains("  echo")
    });
    again.send("q");
    assert_eq!(again.exit_code(PATIENCE), 0);
    again.wait("the terminal restored", |o| find(&o.raw, b"\x1b[?1049l"));

    for (session, raw) in [("typing", typing), ("reading", again.raw())] {
        // The app itself writes no OSC and no BEL: any would be the note's.
        assert!(
            !find(&raw, b"\x1b]"),
            "{session}: an OSC reached the terminal"
        );
        assert!(
            !find(&raw, b"\x07"),
            "{session}: a BEL reached the terminal"
        );
        // The app clears the screen only when it sets up, before its first
        // frame: a clear inside a frame would be the note's.
        let first_frame = raw
            .windows(8)
            .position(|w| w == b"\x1b[?2026h")
            .expect("a synchronized frame");
        assert!(
            !find(&raw[first_frame..], b"\x1b[2J"),
            "{session}: a screen clear came from the note"
        );
        // The note's carriage return is not sent either.
        assert!(
            !find(&raw, b"delta\r"),
            "{session}: the note's \\r was sent"
        );
    }
}

#[test]
fn a_small_terminal_says_so() {
    let (_dir, db) = prepared();
    let mut s = Screen::open(&db, 60, 20);
    s.wait_for("Terminal too small");
    s.wait_for("need 80×24");
    s.send("q");
    assert_eq!(s.exit_code(PATIENCE), 0);
}

/// Issue 4 ("Speed"): an edit saved on one screen shows on another screen
/// open on the same file within 2 s, end to end (the `data_version` poll).
#[test]
fn an_edit_on_one_screen_shows_on_another_within_two_seconds() {
    let (_dir, db) = prepared();
    assert_eq!(status_of(&db, FIRST), "pending");
    let mut a = Screen::board(&db);
    let mut b = Screen::board(&db);

    let saved_in_a = format!("{FIRST}: validated");
    let seen_in_b = format!("Changed elsewhere (marked *): {FIRST}");
    let shows = |s: &Screen, text: &str| s.contents().contains(text);
    assert!(!shows(&b, &seen_in_b), "nothing changed yet");

    // Both screens are watched in one loop, so that each instant is taken
    // when that screen first shows the text, whichever comes first.
    a.send("v");
    let deadline = Instant::now() + PATIENCE;
    let (mut saved, mut seen) = (None, None);
    while saved.is_none() || seen.is_none() {
        if saved.is_none() && shows(&a, &saved_in_a) {
            saved = Some(Instant::now());
        }
        if seen.is_none() && shows(&b, &seen_in_b) {
            seen = Some(Instant::now());
        }
        assert!(
            Instant::now() < deadline,
            "timed out: saved in A {saved:?}, seen in B {seen:?}\nA:\n{}\nB:\n{}",
            a.contents(),
            b.contents()
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    let (saved, seen) = (saved.expect("saved"), seen.expect("seen"));
    let latency = seen.saturating_duration_since(saved);
    eprintln!("save in A → shown in B: {latency:?}");
    assert!(
        latency < Duration::from_secs(2),
        "B showed the change {latency:?} after A saved it"
    );
    // B's selection is the same case: its detail pane marks it too.
    b.wait_for("* changed elsewhere");

    for s in [&mut a, &mut b] {
        s.send("q");
        assert_eq!(s.exit_code(PATIENCE), 0, "quits with status 0");
    }
    assert_eq!(status_of(&db, FIRST), "validated");
    let conn = rusqlite::Connection::open(&db).expect("open the database");
    let audited: i64 = conn
        .query_row(
            "SELECT count(*) FROM audit a JOIN cases c ON c.id = a.case_id
             WHERE a.action = 'decision.validated' AND c.external_id = ?1",
            [FIRST],
            |r| r.get(0),
        )
        .expect("audit query");
    assert_eq!(audited, 1, "one audit row for the validation");
}
