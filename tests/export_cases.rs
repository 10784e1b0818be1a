//! `export-cases` (issue 15 §5): the registry extract of a `demo` file
//! (a year of past cases with outcomes and follow-ups), by the real
//! binary. The chair gets CSV and JSON with exactly the documented
//! columns, pseudonymised under a new key each run; anyone else is refused
//! with nothing written; every run is audited (an export row, one read row).

mod common;

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use common::written::{Report, written_as_an_export_is};
use common::{bin, set_role_by_hand};
use ir_committee::testkit::Template;
use serde_json::Value;

const PERIOD: [&str; 4] = ["--from", "2025-01-01", "--to", "2026-12-31"];

/// A demo file (600 past cases with their outcomes and follow-ups), made
/// once per test process, then copied.
fn demo() -> (tempfile::TempDir, std::path::PathBuf) {
    static DEMO: Template = Template::new("demo.sqlite", |db| {
        bin(db).arg("demo").assert().success();
    });
    DEMO.copy()
}

/// The column names of `docs/registry-extract.md`'s table, in order.
fn documented_columns() -> Vec<String> {
    let doc = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/registry-extract.md"),
    )
    .expect("docs/registry-extract.md");
    doc.lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| l.split('`').next())
        .map(str::to_owned)
        .collect()
}

/// `export-cases` to the standard output, which must succeed.
fn extract(db: &Path, format: &str) -> String {
    let out = bin(db)
        .arg("export-cases")
        .args(PERIOD)
        .args(["--format", format, "--output", "-"])
        .output()
        .expect("export-cases");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let body = text.strip_prefix('\u{feff}').expect("a BOM first");
    csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .from_reader(body.as_bytes())
        .records()
        .map(|r| r.expect("a record").iter().map(str::to_owned).collect())
        .collect()
}

fn sql<T: rusqlite::types::FromSql>(db: &Path, q: &str) -> Vec<T> {
    let c = rusqlite::Connection::open(db).expect("open");
    let mut s = c.prepare(q).expect(q);
    s.query_map([], |r| r.get(0))
        .expect(q)
        .collect::<rusqlite::Result<_>>()
        .expect(q)
}

const IN_PERIOD: &str =
    "FROM cases WHERE scheduled_at >= '2025-01-01' AND scheduled_at < '2027-01-01'";

fn audit_rows(db: &Path, reads: bool) -> Vec<Value> {
    let mut cmd = bin(db);
    cmd.arg("audit");
    if reads {
        cmd.arg("--reads");
    }
    let out = cmd.args(["--format", "json"]).output().expect("audit");
    serde_json::from_slice(&out.stdout).expect("json")
}

fn extract_rows(db: &Path) -> (Vec<Value>, Vec<Value>) {
    let exports = audit_rows(db, false)
        .into_iter()
        .filter(|r| r["action"] == "export" || r["action"] == "export.start")
        .collect();
    let reads = audit_rows(db, true)
        .into_iter()
        .filter(|r| r["action"] == "export_cases")
        .collect();
    (exports, reads)
}

#[test]
fn the_chair_gets_csv_and_json_with_the_documented_columns() {
    let (_dir, db) = demo();
    let columns = documented_columns();
    assert!(columns.len() > 30, "{columns:?}");
    let cases: Vec<i64> = sql(&db, &format!("SELECT count(*) {IN_PERIOD}"));
    assert!(cases[0] >= 600, "the demo's past cases: {cases:?}");

    let rows = parse_csv(&extract(&db, "csv"));
    assert_eq!(rows[0], columns);
    assert_eq!(rows.len() as i64 - 1, cases[0]);
    assert!(rows.iter().all(|r| r.len() == columns.len()));

    let json: Value = serde_json::from_str(&extract(&db, "json")).expect("JSON");
    assert_eq!(json["columns"], serde_json::json!(columns));
    assert_eq!(
        (json["from"].as_str(), json["to"].as_str()),
        (Some("2025-01"), Some("2026-12"))
    );
    let procedures = json["procedures"].as_array().expect("procedures");
    assert_eq!(procedures.len() as i64, cases[0]);
    for p in procedures {
        let keys: BTreeSet<&str> = p
            .as_object()
            .expect("object")
            .keys()
            .map(String::as_str)
            .collect();
        let want: BTreeSet<&str> = columns.iter().map(String::as_str).collect();
        assert_eq!(keys, want);
    }
    // What happened after the committee is there.
    let count = |col: &str, value: &str| {
        let i = rows[0].iter().position(|c| c == col).expect(col);
        rows[1..].iter().filter(|r| r[i] == value).count()
    };
    assert!(count("outcome", "performed") > 300);
    assert!(count("outcome", "not_performed") > 0);
    assert!(count("m1_reached", "true") > 100);
    // One pseudonym per patient of the period.
    let patients: Vec<i64> = sql(
        &db,
        &format!("SELECT count(DISTINCT patient_id) {IN_PERIOD}"),
    );
    let pseudonyms: BTreeSet<&str> = rows[1..].iter().map(|r| r[1].as_str()).collect();
    assert_eq!(pseudonyms.len() as i64, patients[0]);
}

#[test]
fn no_name_ipp_scheduling_id_nor_birth_date_is_in_the_extract() {
    let (_dir, db) = demo();
    let csv = extract(&db, "csv");
    let json = extract(&db, "json");
    let secrets: Vec<String> = sql(
        &db,
        &format!(
            "SELECT ipp FROM patients UNION ALL SELECT last_name FROM patients
             UNION ALL SELECT birth_date FROM patients UNION ALL SELECT external_id {IN_PERIOD}"
        ),
    );
    assert!(secrets.len() > 1000);
    for s in &secrets {
        assert!(!csv.contains(s.as_str()), "{s} in the CSV");
        assert!(!json.contains(&format!("\"{s}\"")), "{s} in the JSON");
    }
}

#[test]
fn two_runs_give_the_same_rows_under_different_pseudonyms() {
    let (_dir, db) = demo();
    let (a, b) = (
        parse_csv(&extract(&db, "csv")),
        parse_csv(&extract(&db, "csv")),
    );
    let pseudonyms = |rows: &[Vec<String>], i: usize| -> BTreeSet<String> {
        rows[1..].iter().map(|r| r[i].clone()).collect()
    };
    for i in [0, 1] {
        assert!(
            pseudonyms(&a, i).is_disjoint(&pseudonyms(&b, i)),
            "column {} shared by two extracts",
            a[0][i]
        );
    }
    // The same procedures otherwise: the rows without their pseudonyms.
    let rest = |rows: &[Vec<String>]| -> Vec<Vec<String>> {
        let mut r: Vec<Vec<String>> = rows[1..].iter().map(|r| r[2..].to_vec()).collect();
        r.sort();
        r
    };
    assert_eq!(rest(&a), rest(&b));
    // Within one extract a patient's procedures share their pseudonym: the
    // same grouping in both.
    let groups = |rows: &[Vec<String>]| -> Vec<usize> {
        let mut n: HashMap<&str, usize> = HashMap::new();
        for r in &rows[1..] {
            *n.entry(r[1].as_str()).or_default() += 1;
        }
        let mut v: Vec<usize> = n.into_values().collect();
        v.sort();
        v
    };
    assert_eq!(groups(&a), groups(&b));
    assert!(
        groups(&a).iter().any(|n| *n > 1),
        "a patient with two procedures"
    );
}

#[test]
fn anyone_but_the_chair_is_refused_with_nothing_written() {
    for role in ["radiologist", "viewer", "nurse", "auditor"] {
        let (dir, db) = demo();
        set_role_by_hand(&db, Some(role), None);
        // Read from the file: these roles may not list the trail.
        let trail = || -> Vec<i64> {
            sql(
                &db,
                "SELECT count(*) FROM audit UNION ALL SELECT count(*) FROM reads",
            )
        };
        let before = trail();
        for args in [
            vec!["--format", "csv", "--output", "-"],
            vec!["--format", "json"],
        ] {
            let out = bin(&db)
                .current_dir(dir.path())
                .arg("export-cases")
                .args(PERIOD)
                .args(&args)
                .output()
                .expect("export-cases");
            assert!(!out.status.success(), "{role} {args:?}");
            assert!(out.stdout.is_empty(), "{role}");
            let err = String::from_utf8_lossy(&out.stderr);
            assert_eq!(err.trim_end().lines().count(), 1, "{role}: {err}");
            assert!(
                err.contains(role) || err.contains("may not"),
                "{role}: {err}"
            );
        }
        let files: Vec<_> = std::fs::read_dir(dir.path())
            .expect("dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains("registry-extract"))
            .collect();
        assert!(files.is_empty(), "{role}: {files:?}");
        assert_eq!(trail(), before, "{role}: nothing audited nor traced");
    }
}

#[test]
fn every_run_is_audited_and_traced_once() {
    let (_dir, db) = demo();
    let csv = extract(&db, "csv");
    let n = parse_csv(&csv).len() - 1;
    let (exports, reads) = extract_rows(&db);
    assert_eq!(exports.len(), 1, "{exports:#?}");
    let row: Value =
        serde_json::from_str(exports[0]["new_value"].as_str().expect("new value")).expect("json");
    assert_eq!(row["format"], "cases.csv");
    assert_eq!(row["pseudonymised"], true);
    assert_eq!(row["cases"], n);
    assert_eq!(row["file"], "-");
    assert_eq!(reads.len(), 1, "{reads:#?}");
    assert_eq!(reads[0]["subject"], "2025-01-01..2026-12-31 csv");
    assert_eq!(reads[0]["case"], Value::Null);
    // No key, no pseudonym in the trail.
    let trail = serde_json::to_string(&audit_rows(&db, false)).expect("json");
    let first = &parse_csv(&csv)[1];
    assert!(!trail.contains(&first[0]) && !trail.contains(&first[1]));
    bin(&db)
        .args(["audit", "--verify"])
        .assert()
        .success()
        .stdout(predicates::str::contains("audit trail intact"));
}

#[test]
fn a_file_is_written_as_an_export_is() {
    let (dir, db) = demo();
    let file = dir.path().join("registre.csv");
    let mut first = vec!["export-cases"];
    first.extend(PERIOD);
    first.extend(["--format", "csv"]);
    let mut forced = vec!["export-cases"];
    forced.extend(PERIOD);
    forced.extend(["--format", "json"]);
    let r = Report {
        first: &first,
        said: "registre.csv",
        forced: &forced,
        audited: "cases.csv",
    };
    written_as_an_export_is(&db, &file, &r);
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(&file).expect("file")).expect("JSON");
    assert!(json["procedures"].as_array().is_some_and(|p| !p.is_empty()));
    // Without --output: the default name in the current folder.
    bin(&db)
        .current_dir(dir.path())
        .arg("export-cases")
        .args(PERIOD)
        .args(["--format", "csv"])
        .assert()
        .success();
    assert!(
        dir.path()
            .join("registry-extract-2025-01-01-2026-12-31.csv")
            .is_file()
    );
}

#[test]
fn a_bad_period_is_one_line_and_an_empty_one_a_header() {
    let (dir, db) = demo();
    let rows: &[(&[&str], &str)] = &[
        (
            &["--from", "2026-12-31", "--to", "2026-01-01"],
            "is after --to",
        ),
        (
            &["--from", "2026-02-30", "--to", "2026-12-31"],
            "not a valid date",
        ),
        (&["--from", "2026-01-01"], "--to"),
    ];
    for (args, says) in rows {
        let out = bin(&db)
            .current_dir(dir.path())
            .arg("export-cases")
            .args(*args)
            .args(["--format", "csv", "--output", "-"])
            .output()
            .expect("export-cases");
        assert!(!out.status.success(), "{args:?}");
        assert!(out.stdout.is_empty());
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
        assert!(err.contains(says), "{args:?}: {err}");
    }
    assert_eq!(extract_rows(&db), (Vec::new(), Vec::new()));
    // A period with no case: the header alone, audited all the same.
    let out = bin(&db)
        .arg("export-cases")
        .args(["--from", "2020-01-01", "--to", "2020-12-31"])
        .args(["--format", "csv", "--output", "-"])
        .output()
        .expect("export-cases");
    assert!(out.status.success());
    let rows = parse_csv(&String::from_utf8(out.stdout).expect("utf-8"));
    assert_eq!(rows, [documented_columns()]);
    let (exports, reads) = extract_rows(&db);
    assert_eq!((exports.len(), reads.len()), (1, 1));
}
