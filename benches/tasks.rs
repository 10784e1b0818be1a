//! The chase list of a week on a file holding 1,000,000 past cases (issue
//! 14, "the tasks of a week computed in under 20 ms"): the week's query is
//! a range scan on `cases_by_time`, so the past cases must cost nothing.
//!
//! - `compute`: what `tasks --week` and the `t` screen compute, the file
//!   open: load the cases of the week and the next, judge each, make its
//!   tasks (`domain::tasks::chase`). The 20 ms goal.
//! - `cli`: `tasks --week W --format json` in process (`cli::run`): open,
//!   read table, the read's audit row (a write), the list, the JSON.
//! - `command`: the same as a user runs it (process start included).
//!
//! The databases are made by the real `demo --synthetic N` (once, cached in
//! `target/bench-data/`, see `common`); sizes 1,000 and 1,000,000 past
//! cases. A 1,000,000-case file takes minutes to make: `IR_BENCH_FILE=PATH`
//! copies an existing one made with `--today 2026-11-26` instead;
//! `IR_BENCH_LARGE=N` makes a smaller "large" file for a quick run.
//!
//! Run: `cargo bench --bench tasks`
//! (e.g. `IR_BENCH_FILE=/tmp/fig/big.sqlite cargo bench --bench tasks`).

use std::process::Command;

use chrono::{NaiveDate, NaiveDateTime};
use clap::Parser;

use ir_committee::cli::{self, Cli};
use ir_committee::domain::assess::Assessment;
use ir_committee::domain::clock::Clock;
use ir_committee::domain::rules::Context;
use ir_committee::domain::tasks::chase;
use ir_committee::domain::vocab::DecisionStatus;
use ir_committee::domain::week::Week;
use ir_committee::storage::{Db, read};

mod common;
use common::{TODAY, WEEK, bin, database, large};

const SMALL: u64 = 1_000;

fn main() {
    // Make the files before timing anything, and check the week is there.
    for n in [SMALL, large()] {
        let tasks = compute_once(&open(n));
        assert!(
            tasks > 0,
            "no task in {WEEK} of demo-{n}: made on another day?"
        );
    }
    divan::main();
}

fn clock() -> Clock {
    Clock::Fixed(NaiveDate::from_ymd_opt(2026, 11, 26).expect("date"))
}

fn open(n: u64) -> Db {
    Db::open(&database(n), clock()).expect("open")
}

/// Loads the two weeks and counts their tasks, as `tasks` computes them.
fn compute_once(db: &Db) -> usize {
    let week: Week = WEEK.parse().expect("week");
    let rules = db.rules().expect("rules");
    let ctx = Context {
        rules: &rules,
        tz: db.timezone().expect("zone"),
    };
    let now = NaiveDateTime::parse_from_str("2026-11-26T13:00", "%Y-%m-%dT%H:%M").expect("now");
    let mut stored = read::week(db, week).expect("week");
    stored.extend(read::week(db, week.offset(1)).expect("next week"));
    stored
        .iter()
        .filter(|c| {
            !matches!(
                c.status,
                DecisionStatus::Cancelled | DecisionStatus::Postponed
            )
        })
        .map(|c| {
            let a = Assessment::of_stored(c, &ctx);
            chase(&c.file, &a.dossier, &ctx, now).tasks.len()
        })
        .sum()
}

/// The list computed on an open file.
#[divan::bench(args = [SMALL, large()], sample_count = 100)]
fn compute(bencher: divan::Bencher, n: u64) {
    let db = open(n);
    bencher.bench_local(|| compute_once(&db));
}

fn args(n: u64) -> Vec<String> {
    let db = database(n).display().to_string();
    [
        "ir-committee",
        "--today",
        TODAY,
        "--lang",
        "en",
        "--db",
        &db,
        "tasks",
        "--week",
        WEEK,
        "--format",
        "json",
    ]
    .map(str::to_owned)
    .to_vec()
}

/// `tasks` in process: open, read table, traced read, list, JSON.
#[divan::bench(args = [SMALL, large()], sample_count = 50)]
fn cli(bencher: divan::Bencher, n: u64) {
    let cli = Cli::parse_from(args(n));
    bencher.bench_local(|| {
        let mut out = Vec::new();
        cli::run(&cli, &mut out).expect("tasks runs");
        out.len()
    });
}

/// The whole command, as a user runs it.
#[divan::bench(args = [SMALL, large()], sample_count = 30)]
fn command(bencher: divan::Bencher, n: u64) {
    let args = args(n);
    bencher.bench(|| {
        let out = Command::new(bin())
            .args(&args[1..])
            .output()
            .expect("tasks runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout.len()
    });
}
