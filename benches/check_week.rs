//! `check --week` on a file holding many past cases must cost about the
//! same as on a small file (the week's query is a range scan on an index).
//!
//! The databases are made by the real `demo --synthetic N` (once, cached in
//! `target/bench-data/`, see `common`). Sizes: 1,000 and 1,000,000 past
//! cases; set `IR_BENCH_LARGE` to use another large size for a quick run, or
//! `IR_BENCH_FILE` to copy an existing large demo file instead of making one.
//!
//! Run: `cargo bench --bench check_week`.

use std::process::Command;

use ir_committee::domain::clock::Clock;
use ir_committee::domain::message::Lang;
use ir_committee::domain::rules::Context;
use ir_committee::domain::week::Week;
use ir_committee::report;
use ir_committee::storage::{Db, read};

mod common;
use common::{TODAY, WEEK, bin, database, large};

const SMALL: u64 = 1_000;

fn main() {
    // Make the files before timing anything.
    database(SMALL);
    database(large());
    divan::main();
}

/// The whole command, as a user runs it: process start, open, query, render.
#[divan::bench(args = [SMALL, large()], sample_count = 50)]
fn command(bencher: divan::Bencher, n: u64) {
    let db = database(n);
    bencher.bench(|| {
        let out = Command::new(bin())
            .args(["--today", TODAY, "--lang", "en", "--db"])
            .arg(&db)
            .args(["check", "--week", WEEK, "--format", "json"])
            .output()
            .expect("check runs");
        assert!(out.status.success());
        out.stdout.len()
    });
}

/// In process: open the file, load the week, judge and render it.
#[divan::bench(args = [SMALL, large()], sample_count = 100)]
fn in_process(bencher: divan::Bencher, n: u64) {
    let path = database(n);
    let week: Week = WEEK.parse().expect("week");
    let clock = Clock::Fixed(chrono::NaiveDate::from_ymd_opt(2026, 11, 26).expect("date"));
    bencher.bench(|| {
        let db = Db::open(&path, clock).expect("open");
        let rules = db.rules().expect("rules");
        let ctx = Context {
            rules: &rules,
            tz: db.timezone().expect("zone"),
        };
        let to_reschedule = read::to_reschedule(&db, week).expect("to reschedule");
        let stored = read::week(&db, week).expect("week");
        let r = report::build(week, &stored, &to_reschedule, &ctx, Lang::En, None);
        serde_json::to_vec(&r).expect("json").len()
    });
}
