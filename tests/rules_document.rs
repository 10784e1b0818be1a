//! `rules document`: the local protocol to a file or the standard output,
//! French unless `--lang en` (whatever the locale), readable by every role;
//! a bad format or a target it cannot write: one line, a non-zero exit.

mod common;

use assert_cmd::Command;
use common::{bin, imported, set_role_by_hand};
use predicates::prelude::*;

/// The binary without `--lang`, in an English locale.
fn bin_default_lang(db: &std::path::Path) -> Command {
    // As `bin`, without its --lang en.
    let mut cmd = Command::cargo_bin("ir-committee").expect("binary built");
    cmd.arg("--db")
        .arg(db)
        .arg("--today")
        .arg(common::TODAY)
        .env_remove("IR_COMMITTEE_DB")
        .env("LANG", "en_GB.UTF-8")
        .env("LC_ALL", "en_GB.UTF-8");
    cmd
}

fn one_line(stderr: &[u8]) -> String {
    let text = String::from_utf8_lossy(stderr).into_owned();
    assert_eq!(text.trim_end().lines().count(), 1, "{text:?}");
    text
}

#[test]
fn the_document_is_french_by_default_and_english_when_asked() {
    let (_dir, db) = imported();
    bin_default_lang(&db)
        .args(["rules", "document", "--format", "md"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "# Protocole local du comité de validation pré-interventionnel",
        ))
        .stdout(predicate::str::contains(
            "| tous | élevé | 1,5 | ratio (INR) |",
        ));
    bin(&db)
        .args(["rules", "document", "--format", "md", "--lang", "en"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "# Local protocol of the pre-interventional validation committee",
        ))
        .stdout(predicate::str::contains(
            "| all | high | 1.5 | ratio (INR) |",
        ));
}

#[test]
fn output_writes_the_file_and_refuses_to_replace_one_without_force() {
    let (dir, db) = imported();
    let file = dir.path().join("protocol.html");
    bin(&db)
        .args(["rules", "document", "--format", "html", "--output"])
        .arg(&file)
        .assert()
        .success()
        .stdout(predicate::str::contains("Local protocol written"));
    let page = std::fs::read_to_string(&file).expect("written");
    assert!(page.starts_with("<!DOCTYPE html>"));
    // --lang en was given (`bin`): the page is in English.
    assert!(page.contains("<html lang=\"en\">"));
    assert!(page.contains("<tr class=\"rule\">"));
    let again = bin(&db)
        .args(["rules", "document", "--format", "html", "--output"])
        .arg(&file)
        .assert()
        .failure();
    let err = one_line(&again.get_output().stderr);
    assert!(err.contains("--force"), "{err}");
    bin(&db)
        .args(["rules", "document", "--format", "md", "--force", "--output"])
        .arg(&file)
        .assert()
        .success();
    assert!(
        std::fs::read_to_string(&file)
            .expect("replaced")
            .starts_with("# Local protocol")
    );
}

#[test]
fn a_bad_format_or_target_is_one_line_and_a_failure() {
    let (dir, db) = imported();
    let bad = bin(&db)
        .args(["rules", "document", "--format", "pdf"])
        .assert()
        .code(2);
    let err = one_line(&bad.get_output().stderr);
    assert!(err.contains("pdf"), "{err}");
    for target in [
        dir.path().to_path_buf(),
        dir.path().join("no-such-folder/protocol.md"),
        db.clone(),
    ] {
        let refused = bin(&db)
            .args(["rules", "document", "--format", "md", "--force", "--output"])
            .arg(&target)
            .assert()
            .failure();
        one_line(&refused.get_output().stderr);
        assert!(refused.get_output().stdout.is_empty());
    }
}

#[test]
fn every_role_reads_it() {
    for role in ["viewer", "secretary", "auditor"] {
        let (_dir, db) = imported();
        set_role_by_hand(&db, Some(role), None);
        bin(&db)
            .args(["rules", "document", "--format", "md"])
            .assert()
            .success()
            .stdout(predicate::str::contains("Local protocol"));
    }
}

#[test]
fn the_committed_clinical_rules_are_what_the_binary_writes_for_a_new_file() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let db = dir.path().join("committee.sqlite");
    // A committee file at the machine's time: no --today.
    let plain = || {
        let mut cmd = Command::cargo_bin("ir-committee").expect("binary built");
        cmd.arg("--db").arg(&db).env_remove("IR_COMMITTEE_DB");
        cmd
    };
    plain()
        .args(["init", "--timezone", "Europe/Paris"])
        .assert()
        .success();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for (lang, doc) in [("en", "clinical-rules.md"), ("fr", "clinical-rules.fr.md")] {
        let out = plain()
            .args(["rules", "document", "--format", "md", "--lang", lang])
            .output()
            .expect("run");
        assert!(out.status.success());
        let committed = std::fs::read(root.join("docs").join(doc)).expect("committed");
        assert!(
            out.stdout == committed,
            "docs/{doc} is not what the binary writes: run scripts/gen-docs"
        );
    }
}
