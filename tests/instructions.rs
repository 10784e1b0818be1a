//! `instructions` (issue 14, §2): a case's one-page sheet for the patient and
//! the ward, in html and md; for each drug only the planned last intake a
//! person recorded, with who; a drug with none, or whose line blocks, says
//! not to change it — never a date the rules computed; a viewer reads
//! nothing; the read is traced; a file is written as an export is; text from
//! the database is escaped.

mod common;

use std::path::Path;

use common::written::{Report, written_as_an_export_is};
use common::{bin, imported, set_role_by_hand};
use predicates::prelude::*;
use serde_json::Value;

/// The sheet in French (the binary's default language for the sheet).
fn sheet_fr(db: &Path, id: &str, format: &str) -> String {
    let out = assert_cmd::Command::cargo_bin("ir-committee")
        .expect("binary")
        .env_remove("IR_COMMITTEE_DB")
        .env_remove("IR_COMMITTEE_PSEUDONYM_KEY_FILE")
        .arg("--db")
        .arg(db)
        .args(["--today", common::TODAY, "--lang", "fr", "instructions", id])
        .args(["--format", format])
        .output()
        .expect("instructions");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

/// The sheet without its edition line (dated from the clock, 26/11).
fn body(sheet: &str) -> String {
    sheet
        .lines()
        .filter(|l| !l.contains("Édité le"))
        .collect::<Vec<_>>()
        .join("\n")
}

const KEEP: &str =
    "ne modifiez pas ce traitement sans l'avis de votre médecin\u{a0}: l'équipe vous contactera";

#[test]
fn a_recorded_last_intake_is_printed_with_who_recorded_it() {
    let (_dir, db) = imported();
    // SCH-2026-004502, Monday 30/11 09:30: apixaban, last intake 27/11 on
    // file (compliant).
    for format in ["md", "html"] {
        let s = sheet_fr(&db, "SCH-2026-004502", format).replace("&#39;", "'");
        assert!(
            s.contains("dernière prise d'apixaban prévue\u{a0}: 27/11, saisie par "),
            "{s}"
        );
        assert!(s.contains("lundi 30/11/2026 09:30"), "{s}");
        assert!(s.contains("Salle 1"), "{s}");
        assert!(s.contains("Dr Martin, radiologie interventionnelle"), "{s}");
        assert!(s.contains("Édité le jeudi 26/11/2026"), "{s}");
        assert!(!s.contains(KEEP), "{s}");
    }
    let html = sheet_fr(&db, "SCH-2026-004502", "html");
    assert!(html.starts_with("<!DOCTYPE html>"), "{html}");
    assert!(html.contains("<h1>Consignes avant votre intervention</h1>"));
    let md = sheet_fr(&db, "SCH-2026-004502", "md");
    assert!(
        md.starts_with("# Consignes avant votre intervention\n"),
        "{md}"
    );
}

#[test]
fn a_drug_without_a_recorded_intake_or_that_blocks_prints_only_do_not_change() {
    let (_dir, db) = imported();
    // SCH-2026-004507, Tuesday 01/12, high bleeding risk: clopidogrel last
    // taken 28/11 (J−3: blocks; the rule's latest is J−5, 26/11) and aspirin
    // with no last intake. Biology expired: a blood test with its window.
    for format in ["md", "html"] {
        let s = sheet_fr(&db, "SCH-2026-004507", format);
        let keep_html = KEEP.replace('\'', "&#39;");
        let keep = if format == "html" { &keep_html } else { KEEP };
        assert!(s.contains(&format!("clopidogrel\u{a0}: {keep}")), "{s}");
        assert!(s.contains(&format!("aspirine\u{a0}: {keep}")), "{s}");
        // Neither the recorded non-compliant date nor the computed one.
        let b = body(&s);
        assert!(!b.contains("28/11"), "{b}");
        assert!(!b.contains("26/11"), "{b}");
        assert!(!b.contains("dernière prise"), "{b}");
        assert!(b.contains("NFS et créatinine à prélever entre le "), "{b}");
    }
}

#[test]
fn html_escapes_a_hostile_name() {
    let (_dir, db) = imported();
    let conn = rusqlite::Connection::open(&db).expect("open");
    conn.execute(
        "UPDATE patients SET first_name = '<script>alert(\"x\")</script> & Co' \
         WHERE ipp = (SELECT p.ipp FROM patients p JOIN cases c ON c.patient_id = p.id \
                      WHERE c.external_id = 'SCH-2026-004502')",
        [],
    )
    .expect("update");
    drop(conn);
    let html = sheet_fr(&db, "SCH-2026-004502", "html");
    assert!(!html.contains("<script>"), "{html}");
    assert!(
        html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co"),
        "{html}"
    );
    let md = sheet_fr(&db, "SCH-2026-004502", "md");
    assert!(!md.contains("<script>"), "{md}");
}

#[test]
fn a_viewer_reads_nothing_and_the_read_is_traced() {
    let (_dir, db) = imported();
    bin(&db)
        .args(["instructions", "SCH-2026-004502", "--format", "md"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "# Instructions before your procedure",
        ));
    let reads = bin(&db)
        .args(["audit", "--reads", "--format", "json"])
        .output()
        .expect("audit --reads");
    let rows: Vec<Value> = serde_json::from_slice(&reads.stdout).expect("json");
    let traced: Vec<&Value> = rows
        .iter()
        .filter(|r| r["action"] == "instructions")
        .collect();
    assert_eq!(traced.len(), 1, "{rows:#?}");
    assert_eq!(traced[0]["subject"], "md");
    assert!(!traced[0]["case_id"].is_null(), "{:#?}", traced[0]);

    set_role_by_hand(&db, Some("viewer"), None);
    bin(&db)
        .args(["instructions", "SCH-2026-004502", "--format", "md"])
        .assert()
        .failure()
        .stdout("")
        .stderr(predicate::str::contains("may not read instruction sheet"));
}

#[test]
fn a_file_is_written_as_an_export_is() {
    let (dir, db) = imported();
    let file = dir.path().join("consignes.html");
    let html = ["instructions", "SCH-2026-004502", "--format", "html"];
    let report = Report {
        first: &html,
        said: "consignes.html: instruction sheet",
        forced: &html,
        audited: "instructions.html",
    };
    written_as_an_export_is(&db, &file, &report);
}

#[test]
fn a_cancelled_case_gets_no_sheet() {
    let (dir, db) = imported();
    bin(&db)
        .args([
            "decide",
            "SCH-2026-004502",
            "cancel",
            "--reason",
            "declined",
        ])
        .assert()
        .success();
    let file = dir.path().join("x.md");
    bin(&db)
        .args([
            "instructions",
            "SCH-2026-004502",
            "--format",
            "md",
            "--output",
        ])
        .arg(&file)
        .assert()
        .failure()
        .stderr(predicate::str::contains("no instruction sheet"));
    assert!(!file.exists());
}
