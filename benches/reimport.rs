//! Re-importing a week of 200 cases into a file where people typed 50
//! values since the last import: every item of every case goes through the
//! three-way rule (base, stored, file), in one transaction, with the report.
//! `write` commits (the real `import`); `dry_run` rolls back.
//!
//! Run: `cargo bench --bench reimport`.

use chrono::NaiveDate;

use ir_committee::domain::clock::Clock;
use ir_committee::domain::record::EvidenceKind;
use ir_committee::domain::week::Week;
use ir_committee::import::{self, Absent, Mode};
use ir_committee::storage::{Db, Init, cases, read};

const CASES: usize = 200;
const TYPED: usize = 50;

fn clock() -> Clock {
    Clock::Fixed(NaiveDate::from_ymd_opt(2026, 11, 26).expect("date"))
}

/// The fixture's cases repeated under other ids up to 200.
fn week_cases() -> Vec<ir_committee::domain::model::CaseFile> {
    let week: Week = "2026-W49".parse().expect("week");
    let base = ir_committee::demo::fixture_cases(week).expect("fixture");
    (0..)
        .flat_map(|copy| {
            base.iter().cloned().map(move |mut c| {
                c.external_id = format!("{}-{copy}", c.external_id);
                c.patient.ipp = format!("{}{copy}", c.patient.ipp);
                c
            })
        })
        .take(CASES)
        .collect()
}

/// A file with the 200 cases imported, then 50 coagulations typed.
fn database(dir: &std::path::Path) -> Db {
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
    import::save_all(&mut db, &week_cases(), "import:week.json", Absent::Clears).expect("import");
    let typed = r#"{"at":"2026-11-27T08:00","inr":2.4,"platelets_g_l":236}"#;
    for c in read::week(&db, "2026-W49".parse().expect("week"))
        .expect("week")
        .into_iter()
        .take(TYPED)
    {
        let version = c.recorded(EvidenceKind::Coagulation).map(|r| r.version);
        db.write(|w| cases::set_evidence(w, c.id, EvidenceKind::Coagulation, typed, version))
            .expect("typed");
    }
    db
}

fn main() {
    divan::main();
}

#[divan::bench(args = ["write", "dry_run"], sample_count = 20)]
fn reimport_200_cases(bencher: divan::Bencher, mode: &str) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut db = database(dir.path());
    let cases = week_cases();
    let mode = if mode == "write" {
        Mode::Write
    } else {
        Mode::DryRun
    };
    bencher.bench_local(|| {
        import::save_cases(&mut db, &cases, "import:week.json", Absent::Clears, mode)
            .expect("re-import")
    });
}
