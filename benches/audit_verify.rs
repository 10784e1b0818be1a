//! `audit --verify` walks the whole hash chain and checks every live row
//! against the trail's claims: on the 1,000,000-case synthetic file, whose
//! trail has one audit row per case (1,000,000 rows), it must take under
//! 5 s (issues 4 and 12).
//!
//! The file is made once (about 7 minutes), cached in `target/bench-data/`
//! under the schema version: a new demo file
//! filled by `demo --synthetic`'s generator (each case written with its
//! audit row, as an import does); making it prints the rate. Set
//! `IR_BENCH_AUDIT_ROWS` for another size.
//!
//! Run: `cargo bench --bench audit_verify`.

use std::path::{Path, PathBuf};
use std::process::Command;

use ir_committee::domain::clock::Clock;
use ir_committee::storage::{Db, Init, synthetic};

const TODAY: &str = "2026-11-26";

fn rows() -> u64 {
    std::env::var("IR_BENCH_AUDIT_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000)
}

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_ir-committee")
}

/// A database whose audit trail has about `n` rows, made once.
fn database(n: u64) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    std::fs::create_dir_all(&dir).expect("bench data folder");
    // Named by schema version: a file made by an older program would be
    // migrated by the first sample, and would hold claims in an older
    // digest version.
    let v = ir_committee::storage::migrate::LATEST;
    let path = dir.join(format!("synthetic-{n}-v{v}.sqlite"));
    if path.exists() {
        return path;
    }
    let tmp = dir.join(format!("synthetic-{n}-v{v}.partial.sqlite"));
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", tmp.display()));
    }
    let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 26).expect("day");
    let init = Init {
        timezone: chrono_tz::Europe::Paris,
        demo: true,
        admin: None,
        name: None,
    };
    let mut db = Db::create(&tmp, Clock::Fixed(day), &init).expect("create");
    let started = std::time::Instant::now();
    synthetic::generate(&mut db, n, day, 7).expect("synthetic cases");
    let took = started.elapsed();
    eprintln!(
        "wrote {n} synthetic cases with their audit rows in {took:.1?} ({:.1} µs a case)",
        took.as_secs_f64() * 1e6 / n as f64
    );
    drop(db);
    std::fs::rename(&tmp, &path).expect("rename bench database");
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", tmp.display()));
    }
    path
}

fn main() {
    database(rows());
    divan::main();
}

/// The whole command, as a user runs it.
#[divan::bench(sample_count = 5)]
fn verify_command(bencher: divan::Bencher) {
    let db = database(rows());
    bencher.bench(|| {
        let out = Command::new(bin())
            .args(["--today", TODAY, "--db"])
            .arg(&db)
            .args(["audit", "--verify"])
            .env_remove("IR_COMMITTEE_AUDIT_KEY_FILE")
            .output()
            .expect("verify runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout.len()
    });
}
