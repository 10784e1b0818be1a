//! Many hands on one file (issue 4): 8 processes, each making 200
//! read–modify–save edits — half on one shared case, half on a case of its
//! own — through the same storage code as the app. No update may be lost,
//! every conflict must be detected, and no "database is locked" may reach
//! a user.
//!
//! The workers are this test binary run again with `IR_WORKER` set (the
//! `worker` test below does the work only then).

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use ir_committee::domain::model::Medication;
use ir_committee::domain::record::EvidenceKind;
use ir_committee::domain::vocab::Drug;
use ir_committee::storage::{Db, Init, StorageError, cases, read};
use ir_committee::testkit::clock;

const WORKERS: usize = 8;
const EDITS: usize = 200;
const SHARED: &str = "SCH-2026-004501";

/// The external id of worker `n`'s own case.
fn own_case(n: usize) -> String {
    format!("SCH-2026-0045{:02}", 2 + n)
}

/// One read–modify–save: appends an entry to the case's drug list, with
/// the version read; on a conflict, reads again and retries. Returns the
/// number of conflicts met.
fn append(db: &mut Db, external_id: &str, entry: &str) -> usize {
    let mut conflicts = 0;
    loop {
        let case = read::by_external_id(db, external_id).expect("read the case");
        let version = case.recorded(EvidenceKind::Medications).map(|r| r.version);
        let mut list = case.file.medications.unwrap_or_default();
        list.push(Medication {
            drug: Drug::Other,
            name: Some(entry.to_owned()),
            last_intake: None,
            crcl_ml_min: None,
        });
        let data = serde_json::to_string(&list).expect("json");
        match db
            .write(|w| cases::set_evidence(w, case.id, EvidenceKind::Medications, &data, version))
        {
            Ok(_) => return conflicts,
            Err(StorageError::Conflict { .. }) => conflicts += 1,
            Err(e) => panic!("an error reached the user: {e}"),
        }
    }
}

#[test]
fn worker() {
    let (Ok(n), Ok(path)) = (std::env::var("IR_WORKER"), std::env::var("IR_WORKER_DB")) else {
        return; // Not a worker run.
    };
    let n: usize = n.parse().expect("worker number");
    let mut db = Db::open(Path::new(&path), clock()).expect("open");
    let mut conflicts = 0;
    for i in 0..EDITS {
        let (case, entry) = if i % 2 == 0 {
            (SHARED.to_owned(), format!("w{n}-s{i}"))
        } else {
            (own_case(n), format!("w{n}-o{i}"))
        };
        conflicts += append(&mut db, &case, &entry);
    }
    println!("\nCONFLICTS {conflicts}");
}

#[test]
fn eight_processes_lose_no_update() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("shared.sqlite");
    {
        let init = Init {
            timezone: chrono_tz::Europe::Paris,
            demo: true,
            admin: None,
            name: None,
        };
        let mut db = Db::create(&path, clock(), &init).expect("create");
        let week = "2026-W49".parse().expect("week");
        let mut list = ir_committee::demo::fixture_cases(week).expect("fixture");
        for c in &mut list {
            c.medications = Some(Vec::new());
        }
        ir_committee::import::save_all(
            &mut db,
            &list,
            "test",
            ir_committee::import::Absent::Clears,
        )
        .expect("import");
    }
    let exe = std::env::current_exe().expect("test binary");
    let started = Instant::now();
    let children: Vec<_> = (0..WORKERS)
        .map(|n| {
            Command::new(&exe)
                .args(["--exact", "worker", "--nocapture", "--test-threads=1"])
                .env("IR_WORKER", n.to_string())
                .env("IR_WORKER_DB", &path)
                .stdout(std::process::Stdio::piped())
                .spawn()
                .expect("spawn a worker")
        })
        .collect();
    let mut conflicts = 0;
    for child in children {
        let out = child.wait_with_output().expect("worker");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "a worker failed:\n{text}");
        conflicts += text
            .lines()
            .find_map(|l| l.split("CONFLICTS ").nth(1))
            .and_then(|n| n.trim().parse::<usize>().ok())
            .unwrap_or_else(|| panic!("no count from a worker:\n{text}"));
    }
    let elapsed = started.elapsed();
    let db = Db::open(&path, clock()).expect("open");
    let count = |id: &str| {
        read::by_external_id(&db, id)
            .expect("case")
            .file
            .medications
            .map_or(0, |m| m.len())
    };
    // Every save is there: none overwrote another.
    assert_eq!(
        count(SHARED),
        WORKERS * EDITS / 2,
        "lost updates on the shared case"
    );
    for n in 0..WORKERS {
        assert_eq!(
            count(&own_case(n)),
            EDITS / 2,
            "lost updates on worker {n}'s case"
        );
    }
    eprintln!(
        "{WORKERS} processes x {EDITS} edits: {} saves, {conflicts} conflicts detected and retried, 0 lost, in {elapsed:.1?}",
        WORKERS * EDITS
    );
}
