//! The screen's read trace (issue 11): a week opened, 30 `j` presses, a
//! case held open 3 s: exactly the expected rows, the minute rule
//! included; and patient data hidden while the trace cannot be written.

use std::time::{Duration, Instant};

use ratatui::crossterm::event::KeyCode;

use super::{app, app_with, key, screen};
use crate::domain::message::Lang;
use crate::storage::audit::reads::{ReadRow, list_reads};
use crate::tui::app::App;
use crate::tui::theme::Theme;

fn flushed(app: &App) -> Vec<ReadRow> {
    app.trace_queue().flush(app.db()).expect("flush");
    list_reads(app.db(), None).expect("reads")
}

fn of(rows: &[ReadRow], action: &str) -> Vec<i64> {
    rows.iter()
        .filter(|r| r.action == action)
        .filter_map(|r| r.case_id)
        .collect()
}

#[test]
fn a_week_opened_traces_each_case_once_and_a_held_detail_once() {
    let (_dir, mut app) = app(Lang::En);
    let t0 = Instant::now();
    app.tick(t0);
    let week: Vec<i64> = app.data.cases.iter().map(|c| c.id()).collect();
    assert!(week.len() > 30, "the fixture week has more than 30 cases");
    // 30 presses, 100 ms apart: no detail stays 2 s.
    let mut t = t0;
    for _ in 0..30 {
        t += Duration::from_millis(100);
        key(&mut app, KeyCode::Char('j'));
        app.tick(t);
    }
    let rows = flushed(&app);
    assert_eq!(
        of(&rows, "week"),
        week,
        "one row per case of the week, in order"
    );
    assert!(of(&rows, "case").is_empty(), "no detail was held: {rows:?}");
    assert!(
        rows.iter()
            .all(|r| r.subject.as_deref() == Some("2026-W49"))
    );
    // The 31st case held 3 s counts once, however long it stays.
    let held = app.current().expect("a case").id();
    app.tick(t + Duration::from_secs(3));
    app.tick(t + Duration::from_secs(30));
    let rows = flushed(&app);
    assert_eq!(of(&rows, "case"), vec![held]);
    assert_eq!(rows.len(), week.len() + 1);
}

#[test]
fn the_minute_rule_keeps_one_row_per_case_when_a_week_is_reopened() {
    let (_dir, mut app) = app(Lang::En);
    let first = flushed(&app).len();
    // Away and back in the same minute (the test clock's): nothing new
    // for this week; the next week is empty.
    key(&mut app, KeyCode::Char(']'));
    key(&mut app, KeyCode::Char('['));
    let rows = flushed(&app);
    assert_eq!(rows.len(), first, "{rows:?}");
}

#[test]
fn a_narrow_screen_traces_a_detail_when_it_is_opened() {
    let (_dir, mut app) = app_with(Lang::En, Theme::colour(), (80, 24));
    let t0 = Instant::now();
    app.tick(t0);
    app.tick(t0 + Duration::from_secs(5));
    assert!(
        of(&flushed(&app), "case").is_empty(),
        "the board alone shows no detail"
    );
    key(&mut app, KeyCode::Enter);
    app.tick(t0 + Duration::from_secs(6));
    let id = app.current().expect("a case").id();
    assert_eq!(of(&flushed(&app), "case"), vec![id]);
}

#[test]
fn patient_data_is_hidden_while_the_trace_cannot_be_written() {
    let (_dir, mut app) = app(Lang::En);
    let name = app.data.cases[0].name.last.clone();
    assert!(screen(&app, 120, 40).contains(&name));
    let raw = rusqlite::Connection::open(app.db().path()).expect("raw");
    raw.execute_batch(
        "CREATE TRIGGER full BEFORE INSERT ON reads BEGIN SELECT RAISE(ABORT, 'disk full'); END;",
    )
    .expect("trigger");
    assert!(app.trace_queue().flush(app.db()).is_err());
    app.tick(Instant::now());
    assert!(app.dirty, "the screen redraws to hide the data");
    let hidden = screen(&app, 120, 40);
    assert!(hidden.contains("Patient data is hidden"), "{hidden}");
    assert!(hidden.contains("disk full"), "{hidden}");
    for c in &app.data.cases {
        assert!(
            !hidden.contains(&c.name.last),
            "{} shown:\n{hidden}",
            c.name.last
        );
        assert!(!hidden.contains(&c.stored.file.external_id));
    }
    // Keys do nothing but leave: nobody acts on what they cannot see.
    let before = app.selected;
    key(&mut app, KeyCode::Char('j'));
    key(&mut app, KeyCode::Char('v'));
    assert_eq!(app.selected, before);
    assert!(app.overlay.is_none());
    // Once a write succeeds, the queued rows are written and data shows.
    raw.execute_batch("DROP TRIGGER full;").expect("drop");
    let rows = flushed(&app);
    assert_eq!(of(&rows, "week").len(), app.data.cases.len());
    app.tick(Instant::now());
    assert!(screen(&app, 120, 40).contains(&name));
    key(&mut app, KeyCode::Char('q'));
    assert!(app.quit);
}

#[test]
fn a_read_only_file_shows_no_screen() {
    let (dir, app) = app(Lang::En);
    let path = app.db().path().to_owned();
    let week = app.week();
    drop(app);
    let ro = crate::storage::Db::open_read_only(&path, super::clock()).expect("read-only");
    let opts = crate::tui::app::Options {
        lang: Lang::En,
        theme: Theme::colour(),
        mouse: false,
    };
    // Refused before the terminal is taken: a trace error, one line.
    match crate::tui::run(ro, week, opts, None) {
        Err(crate::tui::TuiError::Storage(e @ crate::storage::StorageError::Trace(_))) => {
            assert!(e.to_string().contains("read-only"), "{e}");
        }
        other => panic!("expected a trace refusal, got {other:?}"),
    }
    drop(dir);
}
