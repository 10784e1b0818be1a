//! Exporting a week of 200 validated procedures, in every format, must take
//! under 50 ms: `run::prepare` (read, judge, build, render) and
//! `run::commit` (permission, audit row, calendar state for ics), as the
//! command and the screen run them. Writing the file is left out (disk).
//!
//! Run: `cargo bench --bench export`.

use chrono::NaiveDate;

use ir_committee::decide::{self, Request};
use ir_committee::domain::clock::Clock;
use ir_committee::domain::message::Lang;
use ir_committee::domain::week::Week;
use ir_committee::export::Format;
use ir_committee::export::run::{self, Request as Export};
use ir_committee::import::{self, Absent};
use ir_committee::storage::{Db, Init, read};

const WEEK: &str = "2026-W49";
const CASES: usize = 200;

fn clock() -> Clock {
    Clock::Fixed(NaiveDate::from_ymd_opt(2026, 11, 26).expect("date"))
}

/// A file with 200 validated procedures in the week (the fixture's 34
/// cases repeated under other ids).
fn database(dir: &std::path::Path) -> Db {
    let week: Week = WEEK.parse().expect("week");
    let mut db = Db::create(
        &dir.join("bench.sqlite"),
        clock(),
        &Init {
            timezone: chrono_tz::Europe::Paris,
            demo: true,
            admin: None,
            name: None,
        },
    )
    .expect("create");
    let base = ir_committee::demo::fixture_cases(week).expect("fixture");
    let mut cases = Vec::new();
    for copy in 0.. {
        for c in &base {
            if cases.len() == CASES {
                break;
            }
            let mut c = c.clone();
            c.external_id = format!("{}-{copy}", c.external_id);
            c.patient.ipp = format!("{}{copy}", c.patient.ipp);
            cases.push(c);
        }
        if cases.len() == CASES {
            break;
        }
    }
    import::save_all(&mut db, &cases, "bench", Absent::Clears).expect("import");
    for c in read::week(&db, week).expect("week") {
        let plain = Request::Validate {
            override_justification: None,
        };
        if decide::decide(&mut db, c.id, None, plain).is_err() {
            let forced = Request::Validate {
                override_justification: Some("bench".into()),
            };
            decide::decide(&mut db, c.id, None, forced).expect("validate");
        }
    }
    db
}

fn main() {
    divan::main();
}

#[divan::bench(args = ["html", "csv", "ics", "json", "md", "minutes-html"], sample_count = 30)]
fn export_200_cases(bencher: divan::Bencher, format: &str) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut db = database(dir.path());
    let (name, minutes) = match format.strip_prefix("minutes-") {
        Some(f) => (f, true),
        None => (format, false),
    };
    let req = Export {
        week: WEEK.parse().expect("week"),
        format: Format::parse(name).expect("format"),
        minutes,
        pseudonymise: false,
        lang: Lang::Fr,
        file: "-".into(),
    };
    let p = run::prepare(&mut db, &req).expect("export");
    assert_eq!(p.programme.validated.len(), CASES);
    let week = req.week;
    bencher.bench_local(|| {
        let p = run::prepare(&mut db, &req).expect("export");
        run::commit(&mut db, &p, week).expect("recorded");
        p.text.len()
    });
}
