//! Issue 11, point 1: who may read what, through the real binary. Each role
//! (and a login the file does not know) × check, the audit listing, `audit
//! --verify`, an export named and pseudonymised, and the screen; a viewer's
//! `check` names no fixture patient.

mod common;

use std::path::{Path, PathBuf};

use common::{bin, imported};

/// Gives the caller `role` (None: removes them from the users table),
/// another chair being there; written by hand (`common::set_role_by_hand`).
fn set_role(db: &Path, role: Option<&str>) {
    common::set_role_by_hand(db, role, None);
}

fn key_file(dir: &Path) -> PathBuf {
    let key = dir.join("pseudonym.key");
    std::fs::write(&key, "0123456789abcdef0123456789abcdef\n").expect("key");
    key
}

/// What a command gave: Ok(stdout) or Err(stderr), stderr one line on failure.
fn run(db: &Path, key: &Path, args: &[&str]) -> Result<String, String> {
    let out = bin(db)
        .env("IR_COMMITTEE_PSEUDONYM_KEY_FILE", key)
        .args(args)
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    if out.status.success() {
        Ok(stdout)
    } else {
        assert_eq!(stderr.trim_end().lines().count(), 1, "{args:?}: {stderr}");
        assert!(
            stdout.is_empty(),
            "{args:?}: printed on a refusal: {stdout}"
        );
        Err(stderr)
    }
}

/// The expected outcome of each read: I identified, P pseudonymised, -
/// refused. Columns: check, audit, audit --verify, export (named),
/// export --pseudonymise, the screen, audit --reads.
const MATRIX: &[(Option<&str>, &str)] = &[
    (Some("chair"), "IIIIIII"),
    (Some("radiologist"), "I-IIII-"),
    (Some("anaesthetist"), "I-IIII-"),
    (Some("radiographer"), "I-IIII-"),
    (Some("secretary"), "I-IIII-"),
    (Some("viewer"), "P-I-PP-"),
    (Some("auditor"), "PII--PI"),
    (None, "-------"),
];

#[test]
fn every_role_and_every_read() {
    for (role, row) in MATRIX {
        let (dir, db) = imported();
        let key = key_file(dir.path());
        set_role(&db, *role);
        let who = role.unwrap_or("unknown");
        let want: Vec<char> = row.chars().collect();
        let refused = |got: &Result<String, String>, what: &str| {
            let err = got.as_ref().expect_err(what);
            if role.is_none() {
                assert!(err.contains("not a registered user"), "{who} {what}: {err}");
            }
        };
        // check: identified, pseudonymised (said), or refused.
        let check = run(&db, &key, &["check", "--format", "json"]);
        match want[0] {
            '-' => refused(&check, "check"),
            c => {
                let json: serde_json::Value =
                    serde_json::from_str(&check.expect("check")).expect("json");
                assert_eq!(json["pseudonymised"], c == 'P', "{who} check");
            }
        }
        let audit = run(&db, &key, &["audit", "--format", "json"]);
        match want[1] {
            '-' => {
                refused(&audit, "audit");
                if role.is_some() {
                    let err = audit.expect_err("refused");
                    assert!(
                        err.contains("may not read audit list")
                            && err.contains("allowed for chair, auditor"),
                        "{who}: {err}"
                    );
                }
                // Not even whether a case exists.
                let by_case = run(&db, &key, &["audit", "--case", "NO-SUCH-CASE"]);
                assert!(
                    !by_case.expect_err("refused").contains("not found"),
                    "{who}"
                );
            }
            _ => assert!(audit.expect("audit").contains("\"action\": \"import\"")),
        }
        let verify = run(&db, &key, &["audit", "--verify"]);
        match want[2] {
            '-' => refused(&verify, "verify"),
            _ => assert!(verify.expect("verify").contains("audit trail intact")),
        }
        let named = dir.path().join("named.csv");
        let export = run(
            &db,
            &key,
            &[
                "export",
                "--format",
                "csv",
                "--output",
                &named.to_string_lossy(),
            ],
        );
        match want[3] {
            '-' => {
                refused(&export, "export");
                assert!(!named.exists(), "{who}");
            }
            _ => {
                export.expect("export");
                assert!(named.exists(), "{who}");
            }
        }
        let wall = dir.path().join("wall.csv");
        let pseudo = run(
            &db,
            &key,
            &[
                "export",
                "--format",
                "csv",
                "--pseudonymise",
                "--output",
                &wall.to_string_lossy(),
            ],
        );
        match want[4] {
            '-' => {
                refused(&pseudo, "export --pseudonymise");
                assert!(!wall.exists(), "{who}");
            }
            _ => {
                pseudo.expect("export --pseudonymise");
                assert!(wall.exists(), "{who}");
            }
        }
        // The screen: allowed (identified, or pseudonymised with the key),
        // it only asks for a terminal; otherwise the refusal comes first,
        // before any terminal is taken. (`tests/viewer_screen.rs` opens it
        // in a pseudo-terminal.)
        let screen = run(&db, &key, &["tui"]).expect_err("no terminal in tests");
        match want[5] {
            'I' | 'P' => assert!(screen.contains("needs a terminal"), "{who}: {screen}"),
            _ => assert!(screen.contains("not a registered user"), "{who}: {screen}"),
        }
        let traced = run(&db, &key, &["audit", "--reads", "--format", "json"]);
        match want[6] {
            '-' => {
                refused(&traced, "audit --reads");
                if role.is_some() {
                    let err = traced.expect_err("refused");
                    assert!(err.contains("allowed for chair, auditor"), "{who}: {err}");
                }
            }
            // Every earlier read of this run is listed (check, at least).
            _ => assert!(
                traced
                    .expect("audit --reads")
                    .contains("\"action\": \"week\""),
                "{who}"
            ),
        }
    }
}

#[test]
fn a_login_the_file_does_not_know_reads_nothing() {
    let (dir, db) = imported();
    let key = key_file(dir.path());
    set_role(&db, None);
    for args in [
        &["check"][..],
        &["check", "--format", "json"],
        &["audit"],
        &["audit", "--verify"],
        &["rules", "list"],
        &["users", "list"],
        &["tui"],
    ] {
        let err = run(&db, &key, args).expect_err("refused");
        assert!(err.contains("is not a registered user"), "{args:?}: {err}");
    }
}

/// Every name, birth date, IPP, scheduling id and piece of free text of the
/// fixture's patients, and the reasons and justification typed below.
fn identifying(fixture: &serde_json::Value) -> Vec<String> {
    let mut out = vec![
        "MRI first, then decide".to_owned(),
        "INR checked the day before by phone".to_owned(),
    ];
    for case in fixture["cases"].as_array().expect("cases") {
        let p = &case["patient"];
        for field in ["last_name", "birth_date", "ipp"] {
            out.push(p[field].as_str().expect("field").to_owned());
        }
        out.push(case["external_id"].as_str().expect("id").to_owned());
        if let Some(n) = case["notes"].as_str() {
            out.push(n.lines().next().unwrap_or(n).to_owned());
        }
    }
    out
}

/// The consent details of the fixture (free text `check` never prints,
/// named or not).
fn consent_details(fixture: &serde_json::Value) -> Vec<String> {
    fixture["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .filter_map(|c| c["consultation"]["consent"]["details"].as_str())
        .map(str::to_owned)
        .collect()
}

#[test]
fn a_viewers_check_names_no_one_and_says_it_is_pseudonymised() {
    let (dir, db) = imported();
    let key = key_file(dir.path());
    // Free text in decisions too: a postponement's reason, an override's
    // justification.
    for args in [
        &[
            "decide",
            "SCH-2026-004501",
            "postpone",
            "--reason",
            "MRI first, then decide",
        ][..],
        &[
            "decide",
            "SCH-2026-004503",
            "validate",
            "--override",
            "INR checked the day before by phone",
        ],
    ] {
        bin(&db).args(args).assert().success();
    }
    let fixture: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(common::fixture()).expect("fixture"))
            .expect("json");
    let secrets = identifying(&fixture);
    // As the chair, the report shows them: the test looks for real things.
    let named = run(&db, &key, &["check", "--format", "json"]).expect("check");
    let upper = named.to_uppercase();
    for s in &secrets {
        assert!(upper.contains(&s.to_uppercase()), "the chair sees {s}");
    }
    let mut secrets = secrets;
    secrets.extend(consent_details(&fixture));
    set_role(&db, Some("viewer"));
    let json = run(&db, &key, &["check", "--format", "json"]).expect("check");
    let report: serde_json::Value = serde_json::from_str(&json).expect("json");
    assert_eq!(report["pseudonymised"], true);
    let first = &report["cases"][0]["patient"];
    assert!(first["initials"].as_str().is_some_and(|i| i.ends_with('.')));
    assert!(first["ipp"].as_str().is_some_and(|i| i.starts_with("P-")));
    assert!(first.get("birth_date").is_none() && first.get("last_name").is_none());
    assert!(
        report["cases"][0]["external_id"]
            .as_str()
            .is_some_and(|i| i.starts_with("C-"))
    );
    // A case validated by override still says so.
    assert!(
        report["cases"]
            .as_array()
            .expect("cases")
            .iter()
            .any(|c| c["overridden"] == true)
    );
    let text = run(&db, &key, &["check"]).expect("check");
    assert!(text.starts_with("PSEUDONYMISED:"), "{text}");
    for out in [&json, &text] {
        let upper = out.to_uppercase();
        for s in &secrets {
            assert!(!upper.contains(&s.to_uppercase()), "{s} in {out}");
        }
        for case in fixture["cases"].as_array().expect("cases") {
            let birth = case["patient"]["birth_date"].as_str().expect("birth");
            let (y, rest) = birth.split_at(4);
            let french = format!("{}/{}/{y}", &rest[4..6], &rest[1..3]);
            assert!(!out.contains(&french), "{french}");
        }
    }
}

#[test]
fn a_viewer_without_a_pseudonym_key_reads_nothing_and_is_told_how_to_install_one() {
    let (_dir, db) = imported();
    set_role(&db, Some("viewer"));
    for args in [&["check"][..], &["check", "--format", "json"], &["tui"]] {
        let out = bin(&db).args(args).output().expect("runs");
        assert!(!out.status.success());
        assert!(out.stdout.is_empty());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("viewer reads pseudonymised data only")
                && err.contains("IR_COMMITTEE_PSEUDONYM_KEY_FILE")
                && err.contains("openssl rand"),
            "{err}"
        );
    }
}

#[test]
fn an_auditor_is_added_by_a_chair_and_writes_nothing() {
    let (dir, db) = imported();
    let key = key_file(dir.path());
    bin(&db)
        .args(["users", "add", "dpo", "--role", "auditor", "--name", "DPO"])
        .assert()
        .success()
        .stdout(predicates::str::contains("dpo: auditor"));
    set_role(&db, Some("auditor"));
    let before = common::hash(&db);
    let err = run(&db, &key, &["decide", "SCH-2026-004501", "validate"]).expect_err("refused");
    assert!(err.contains("may not"), "{err}");
    assert!(run(&db, &key, &["audit"]).is_ok());
    assert_ne!(common::hash(&db), before, "the refusal is audited");
}

/// A value on file waiting for a person (re-import rule) is named in the
/// item's message: a viewer's `check` says that one waits, not what it is
/// (here consent details that name a relative).
#[test]
fn a_viewers_check_says_a_value_on_file_waits_without_showing_it() {
    let (dir, db) = imported();
    let key = key_file(dir.path());
    let secret = "accord de son neveu Gontran";
    // Recorded here after the file's consultation: the file's one waits.
    {
        let mut conn = ir_committee::storage::Db::open(
            &db,
            ir_committee::domain::clock::Clock::Fixed(common::TODAY.parse().expect("today")),
        )
        .expect("open");
        let case =
            ir_committee::storage::read::by_external_id(&conn, "SCH-2026-004501").expect("case");
        let kind = ir_committee::domain::record::EvidenceKind::Consultation;
        let version = case.recorded(kind).map(|r| r.version);
        let recorded = r#"{"at":"2026-11-20T10:00","radiologist":"Dr Martin","leaflet_given":true,"consent":{"kind":"signed","at":"2026-11-20T10:00","by":"Dr Martin"}}"#;
        conn.write(|w| {
            ir_committee::storage::cases::set_evidence(w, case.id, kind, recorded, version)
        })
        .expect("saved as a form saves");
    }
    let mut doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(common::fixture()).expect("fixture"))
            .expect("json");
    doc["cases"][0]["consultation"]["consent"] = serde_json::json!({
        "kind": "traced", "at": "2026-11-09T10:30", "by": "Dr Martin", "details": secret
    });
    let older = dir.path().join("older.json");
    std::fs::write(&older, doc.to_string()).expect("write");
    bin(&db).arg("import").arg(&older).assert().success();
    // The chair sees it in the message: what is looked for is there.
    let named = run(&db, &key, &["check", "--format", "json"]).expect("check");
    assert!(named.contains(secret), "{named}");
    set_role(&db, Some("viewer"));
    for args in [&["check", "--format", "json"][..], &["check"]] {
        let out = run(&db, &key, args).expect("check");
        assert!(!out.contains(secret), "{args:?}: {out}");
        assert!(
            out.contains(
                "conflicting value on file for IR consultation and consent: …, 2026-11-09"
            ),
            "{args:?}: {out}"
        );
    }
}
