//! The demo databases the benches measure on: made by the real
//! `demo --synthetic N` (once, cached in `target/bench-data/`), as a user
//! makes one.
//!
//! A 1,000,000-case file takes minutes to make. `IR_BENCH_FILE` names an
//! existing one (made with `--today 2026-11-26`, so its week is 2026-W49)
//! to copy into the cache instead; the copy is the one opened (and
//! migrated), never the original.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The day the databases are made and read on.
pub const TODAY: &str = "2026-11-26";
/// The fixture's week on that day.
pub const WEEK: &str = "2026-W49";

/// The size of the large file: 1,000,000 past cases, or `IR_BENCH_LARGE`
/// for a quick run.
pub fn large() -> u64 {
    std::env::var("IR_BENCH_LARGE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000)
}

pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_ir-committee")
}

/// The demo database with `n` synthetic past cases, made (or copied from
/// `IR_BENCH_FILE` for the large size) once.
pub fn database(n: u64) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    std::fs::create_dir_all(&dir).expect("bench data folder");
    let path = dir.join(format!("demo-{n}.sqlite"));
    if path.exists() {
        return path;
    }
    let started = std::time::Instant::now();
    let tmp = dir.join(format!("demo-{n}.partial.sqlite"));
    match std::env::var_os("IR_BENCH_FILE").filter(|_| n == large()) {
        Some(seed) => {
            std::fs::copy(&seed, &tmp).expect("copy IR_BENCH_FILE");
        }
        None => {
            let status = Command::new(bin())
                .args(["--today", TODAY, "--db"])
                .arg(&tmp)
                .args(["demo", "--synthetic", &n.to_string()])
                .status()
                .expect("demo runs");
            assert!(status.success(), "demo --synthetic {n} failed");
        }
    }
    std::fs::rename(&tmp, &path).expect("rename bench database");
    eprintln!("made {} in {:.1?}", path.display(), started.elapsed());
    path
}
