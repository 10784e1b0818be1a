//! The screen's read trace through the real binary (issue 11): the week
//! and a case held on screen are traced, written on every way out (q,
//! SIGTERM, SIGHUP), and patient data is hidden while the trace cannot be
//! written.

use std::path::{Path, PathBuf};
use std::time::Duration;

use nix::sys::signal::Signal;

mod common;
use common::screen::{FIRST, PATIENCE, Screen};

fn prepared() -> (tempfile::TempDir, PathBuf) {
    common::imported()
}

/// (action, external id) of every read row, in order.
fn reads(db: &Path) -> Vec<(String, String)> {
    let conn = rusqlite::Connection::open(db).expect("open");
    let mut stmt = conn
        .prepare(
            "SELECT r.action, ifnull(c.external_id, '-') FROM reads r
             LEFT JOIN cases c ON c.id = r.case_id ORDER BY r.id",
        )
        .expect("query");
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("rows")
}

fn week_cases(db: &Path) -> usize {
    let conn = rusqlite::Connection::open(db).expect("open");
    conn.query_row("SELECT count(*) FROM cases", [], |r| r.get::<_, i64>(0))
        .map(|n| usize::try_from(n).expect("count"))
        .expect("count")
}

/// Opens the board at 120×40, holds the first case `held`, stops it with
/// `stop` (None: q) and returns the exit code.
fn hold_then(db: &Path, held: Duration, stop: Option<Signal>) -> u32 {
    let mut s = Screen::board(db);
    std::thread::sleep(held);
    match stop {
        None => s.send("q"),
        Some(signal) => s.signal(signal),
    }
    s.exit_code(PATIENCE)
}

#[test]
fn a_week_opened_and_a_case_held_three_seconds_are_traced_on_quit() {
    let (_dir, db) = prepared();
    assert_eq!(hold_then(&db, Duration::from_secs(3), None), 0);
    let rows = reads(&db);
    let week: Vec<_> = rows.iter().filter(|r| r.0 == "week").collect();
    assert_eq!(week.len(), week_cases(&db), "one row per case: {rows:?}");
    let cases: Vec<&str> = rows
        .iter()
        .filter(|r| r.0 == "case")
        .map(|r| r.1.as_str())
        .collect();
    assert_eq!(cases, vec![FIRST], "the case held 3 s, once");
}

#[test]
fn a_case_glanced_at_is_not_a_consultation() {
    let (_dir, db) = prepared();
    assert_eq!(hold_then(&db, Duration::from_millis(300), None), 0);
    assert!(reads(&db).iter().all(|r| r.0 == "week"));
}

#[test]
fn sigterm_and_sighup_write_what_was_shown() {
    for signal in [Signal::SIGTERM, Signal::SIGHUP] {
        let (_dir, db) = prepared();
        let code = hold_then(&db, Duration::from_millis(2600), Some(signal));
        assert_eq!(code, 128 + signal as u32);
        let cases: Vec<_> = reads(&db).into_iter().filter(|r| r.0 == "case").collect();
        assert_eq!(cases.len(), 1, "{signal:?}: {cases:?}");
    }
}

#[test]
fn patient_data_is_hidden_while_the_trace_cannot_be_written() {
    let (_dir, db) = prepared();
    let mut s = Screen::board(&db);
    let conn = rusqlite::Connection::open(&db).expect("open");
    conn.execute_batch(
        "CREATE TRIGGER full BEFORE INSERT ON reads BEGIN SELECT RAISE(ABORT, 'disk full'); END;",
    )
    .expect("trigger");
    // The week's rows fail at the first write (a quarter of a second in).
    s.wait_for("Patient data is hidden");
    assert!(!s.contents().contains("BÉRANGER"), "{}", s.contents());
    conn.execute_batch("DROP TRIGGER full;").expect("drop");
    s.wait_for("BÉRANGER");
    s.send("q");
    assert_eq!(s.exit_code(PATIENCE), 0);
    // Kept while failing, written once the trace works again.
    let week: Vec<_> = reads(&db).into_iter().filter(|r| r.0 == "week").collect();
    assert_eq!(week.len(), week_cases(&db), "{week:?}");
}

#[test]
fn quitting_with_consultations_not_traced_says_so_and_fails() {
    let (_dir, db) = prepared();
    let mut s = Screen::board(&db);
    let conn = rusqlite::Connection::open(&db).expect("open");
    conn.execute_batch(
        "CREATE TRIGGER full BEFORE INSERT ON reads BEGIN SELECT RAISE(ABORT, 'disk full'); END;",
    )
    .expect("trigger");
    s.wait_for("Patient data is hidden");
    s.send("q");
    assert_ne!(s.exit_code(PATIENCE), 0);
    s.wait_for("could not be recorded");
}
