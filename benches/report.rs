//! The committee's indicators (issue 15 §4): "report over 10 years of a
//! department (30,000 cases) under 300 ms, and over the 1,000,000-case
//! file under 3 s; the S view opens in under 100 ms on the
//! 1,000,000-case file".
//!
//! - `figures`: the read table, the one query (`storage::indicators`), the
//!   read's trace row, the figures and their masking, over every case of
//!   the file (30,000 cases: ten years before today; 1,000,000: twenty).
//! - `cli_html`: `report --format html` in process (`cli::run`): the same,
//!   then the tables and the two SVG charts drawn by plotters.
//! - `stats_open`: `S` pressed on the screen over the file (the last twelve
//!   months read, laid out) and the frame drawn, then Esc.
//!
//! Nothing is precomputed: the query is a range scan on `cases_by_time`
//! with primary-key lookups per case, so the cost follows the period's
//! cases, not the file's.
//!
//! The databases are made by the real `demo --synthetic N` (cached in
//! `target/bench-data/`, see `common`). Run: `cargo bench --bench report`
//! (`IR_BENCH_LARGE=N` for a smaller "large" file).

use chrono::NaiveDate;
use clap::Parser;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

use ir_committee::cli::{self, Cli};
use ir_committee::domain::clock::Clock;
use ir_committee::domain::message::Lang;
use ir_committee::domain::week::Week;
use ir_committee::storage::Db;
use ir_committee::tui::app::{App, Options};
use ir_committee::tui::theme::Theme;

mod common;
use common::{TODAY, WEEK, database, large};

/// Ten years of a department.
const DEPARTMENT: u64 = 30_000;

fn today() -> NaiveDate {
    NaiveDate::parse_from_str(TODAY, "%Y-%m-%d").expect("today")
}

/// The first day of a period holding every case of the file.
fn from(n: u64) -> NaiveDate {
    let years = if n >= 500_000 { 21 } else { 10 };
    today()
        .checked_sub_months(chrono::Months::new(12 * years))
        .expect("from")
}

fn open(n: u64) -> Db {
    Db::open(&database(n), Clock::Fixed(today())).expect("open")
}

fn main() {
    // Make the files first, and check each period holds the file's cases.
    for n in [DEPARTMENT, large()] {
        let db = open(n);
        let (i, _) = ir_committee::report::indicators::figures(&db, from(n), today(), false)
            .expect("figures");
        let cases = u64::from(i.cases.value().unwrap_or(0));
        assert!(cases >= n, "{cases} cases in the period of demo-{n}");
        eprintln!("demo-{n}: {cases} cases from {} to {TODAY}", from(n));
    }
    divan::main();
}

#[divan::bench(args = [DEPARTMENT, large()], sample_count = 10)]
fn figures(bencher: divan::Bencher, n: u64) {
    let db = open(n);
    let from = from(n);
    bencher.bench_local(|| {
        ir_committee::report::indicators::figures(&db, from, today(), false)
            .expect("figures")
            .0
            .cases
    });
}

#[divan::bench(args = [DEPARTMENT, large()], sample_count = 10)]
fn cli_html(bencher: divan::Bencher, n: u64) {
    let db = database(n).display().to_string();
    let from = from(n).to_string();
    let cli = Cli::parse_from([
        "ir-committee",
        "--today",
        TODAY,
        "--lang",
        "en",
        "--db",
        &db,
        "report",
        "--from",
        &from,
        "--to",
        TODAY,
        "--format",
        "html",
    ]);
    bencher.bench_local(|| {
        let mut out = Vec::new();
        cli::run(&cli, &mut out).expect("report runs");
        out.len()
    });
}

#[divan::bench(args = [DEPARTMENT, large()], sample_count = 20)]
fn stats_open(bencher: divan::Bencher, n: u64) {
    let week: Week = WEEK.parse().expect("week");
    let opts = Options {
        lang: Lang::Fr,
        theme: Theme::colour(),
        mouse: false,
    };
    let mut app = App::new(open(n), week, opts, (120, 40)).expect("app");
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
    let press = |c| Event::Key(KeyEvent::new(c, KeyModifiers::NONE));
    bencher.bench_local(|| {
        app.handle_event(press(KeyCode::Char('S')));
        terminal
            .draw(|f| f.render_widget(&app, f.area()))
            .expect("draw");
        app.handle_event(press(KeyCode::Esc));
    });
}
