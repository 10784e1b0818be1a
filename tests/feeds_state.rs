//! Issue 16 as the committee sees it, through the real binary: a booking
//! cancelled, deleted or missed at its source is the case's own state
//! (counted apart by `check`, out of the programme and the chase list, in
//! the minutes, a validation before it kept and said), and the identity
//! advisory names what the hospital's system changed. The messages are
//! applied through the feed's handler, as `watch` does.

mod common;

use std::path::Path;

use common::{bin, check_json, imported};
use ir_committee::feed::handler::StorageHandler;
use ir_committee::feed::{Handler, Origin, Payload};

/// Complete in the fixture (validated in the tests that need it).
const COMPLETE: &str = "SCH-2026-004501";
const COMPLETE_IPP: &str = "80012345";
/// Blocking and undecided in the fixture.
const BLOCKING: &str = "SCH-2026-004503";
const BLOCKING_IPP: &str = "80034512";

/// Applies one HL7 message to the file as the feed's handler does; its
/// ACK must be AA.
fn feed(db: &Path, message: &str) {
    let lib = ir_committee::storage::Db::open(db, ir_committee::testkit::clock()).expect("open");
    let mut handler = StorageHandler::new(lib).expect("handler");
    let raw = message.replace('\n', "\r");
    let answer = handler.handle(
        Payload::Hl7(raw.as_bytes()),
        &Origin::File("test.hl7".into()),
    );
    let ack = String::from_utf8_lossy(&answer.bytes).into_owned();
    assert!(answer.accepted && ack.contains("MSA|AA"), "{ack}");
}

/// A booking's end at its source (S15, S17, S26) for `rdv` of `ipp`.
fn ended(trigger: &str, control: &str, rdv: &str, ipp: &str) -> String {
    format!(
        "MSH|^~\\&|AGENDA|CHU|IRCOMMITTEE|RI|20261126100000||SIU^{trigger}^SIU_S12|{control}|P|2.5\n\
         SCH|P-1^IRCOMMITTEE|{rdv}^AGENDA||||ROUTINE|VERT^Vertébroplastie^L|NORMAL|60|min\n\
         PID|1||{ipp}^^^CHU^PI||X^Y||19480314|F\n\
         AIS|1|A|VERT^Vertébroplastie^L|20261130080000|||60|min"
    )
}

fn text(db: &Path, args: &[&str]) -> String {
    let out = bin(db).args(args).output().expect("runs");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

fn case<'a>(report: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    report["cases"]
        .as_array()
        .and_then(|all| all.iter().find(|c| c["external_id"] == id))
        .unwrap_or_else(|| panic!("{id} in check"))
}

/// Each end at the source, on a case validated before and on one not
/// decided: counted apart (neither complete, blocking, validated nor
/// undecided), said in words with its event, no alert, out of the
/// programme and the chase list, in the minutes; the committee's
/// decisions kept.
#[test]
#[rustfmt::skip] // one row per case
fn a_booking_ended_at_its_source_is_the_cases_own_state() {
    let table = [
        ("S15", COMPLETE, COMPLETE_IPP, true, "validated, then cancelled at source on 2026-11-26 (cancellation, hl7:AGENDA@CHU): not in the programme"),
        ("S17", COMPLETE, COMPLETE_IPP, true, "validated, then cancelled at source on 2026-11-26 (deletion, hl7:AGENDA@CHU)"),
        ("S26", COMPLETE, COMPLETE_IPP, true, "validated, then cancelled at source on 2026-11-26 (no-show, hl7:AGENDA@CHU)"),
        ("S15", BLOCKING, BLOCKING_IPP, false, "cancelled at source on 2026-11-26 (cancellation, hl7:AGENDA@CHU): not a committee decision"),
        ("S26", BLOCKING, BLOCKING_IPP, false, "cancelled at source on 2026-11-26 (no-show, hl7:AGENDA@CHU)"),
    ];
    for (trigger, rdv, ipp, validate, said) in table {
        let (dir, db) = imported();
        if validate {
            bin(&db).args(["decide", rdv, "validate"]).assert().success();
        }
        let before = check_json(&db);
        let tasks_before = text(&db, &["tasks"]);
        assert!(tasks_before.contains(rdv) || validate, "{rdv} chased before");
        feed(&db, &ended(trigger, "M1", rdv, ipp));

        let after = check_json(&db);
        let counts = |r: &serde_json::Value, k: &str| r["counts"][k].as_u64().unwrap_or(99);
        assert_eq!(counts(&after, "cancelled_by_source"), 1, "{trigger} {rdv}");
        assert_eq!(counts(&after, "cases"), counts(&before, "cases"));
        assert_eq!(counts(&after, "cancelled"), 0, "not a committee cancellation");
        let (complete, blocking) = if validate { (1, 0) } else { (0, 1) };
        assert_eq!(counts(&after, "complete"), counts(&before, "complete") - complete);
        assert_eq!(counts(&after, "blocking"), counts(&before, "blocking") - blocking);
        assert_eq!(counts(&after, "validated"), 0, "{trigger} {rdv}");
        let c = case(&after, rdv);
        let end = &c["cancelled_by_source"];
        assert_eq!(end["after_validation"], validate, "{end}");
        assert!(end["message"].as_str().is_some_and(|m| m.starts_with(said)), "{end}");
        // The committee's own decisions stay as they were.
        assert_eq!(c["decisions"].as_array().map(Vec::len), Some(usize::from(validate)));
        assert_eq!(c["status"], if validate { "validated" } else { "pending" });
        assert!(after["alerts"].as_array().is_none_or(Vec::is_empty), "{}", after["alerts"]);
        // No dossier item carries the end any more.
        assert!(!c["items"].to_string().contains("hospital system on"), "{}", c["items"]);

        let check = text(&db, &["check"]);
        assert!(check.contains(&format!("✗ {said}")), "{check}");
        assert!(check.contains("cancelled 0 · cancelled at source 1"), "{check}");

        assert!(!text(&db, &["tasks"]).contains(rdv), "{rdv} left the chase list");
        let sheet = bin(&db)
            .args(["instructions", rdv, "--format", "md", "--output", "-"])
            .output()
            .expect("runs");
        let refused = String::from_utf8_lossy(&sheet.stderr);
        assert!(!sheet.status.success(), "no sheet for {rdv}");
        assert!(refused.contains(&format!("{rdv} is cancelled at source")), "{refused}");
        let programme = text(&db, &["export", "--format", "json", "--output", "-"]);
        assert!(!programme.contains(rdv), "{programme}");
        let minutes = dir.path().join("minutes.md");
        bin(&db)
            .args(["export", "--format", "md", "--minutes", "--output"])
            .arg(&minutes)
            .assert()
            .success();
        let minutes = std::fs::read_to_string(&minutes).expect("minutes");
        let row = minutes
            .lines()
            .find(|l| l.contains(rdv))
            .unwrap_or_else(|| panic!("{rdv} in the minutes:\n{minutes}"));
        assert!(row.contains(said), "{row}");
    }
}

/// ADT^A08: `check` names each trait the hospital's system changed, old →
/// new, since the identity a person last checked (a second change keeps
/// the first "before"); `feeds ack-identity` clears it, audited.
#[test]
fn check_names_what_the_identity_update_changed() {
    let (_dir, db) = imported();
    let a08 = |control: &str, name: &str, birth: &str| {
        format!(
            "MSH|^~\\&|SIH|CHU|IRCOMMITTEE|RI|20261126120000||ADT^A08^ADT_A01|{control}|P|2.5\n\
             EVN|A08|20261126120000\n\
             PID|1||{COMPLETE_IPP}^^^CHU^PI||{name}^Hélène^^^^^L||{birth}|F"
        )
    };
    feed(&db, &a08("A1", "Béranger-Dupont", "19480314"));
    let check = text(&db, &["check"]);
    assert!(
        check.contains(
            "identity changed by the hospital system on 2026-11-26: last name Béranger → Béranger-Dupont: check"
        ),
        "{check}"
    );
    // A second change before anyone checked: still from the identity
    // checked last.
    feed(&db, &a08("A2", "Béranger-Dupont", "19480413"));
    let check = text(&db, &["check"]);
    assert!(
        check.contains(
            "last name Béranger → Béranger-Dupont, birth date 1948-03-14 → 1948-04-13: check"
        ),
        "{check}"
    );
    let fr = assert_cmd::Command::cargo_bin("ir-committee")
        .expect("binary built")
        .env_remove("IR_COMMITTEE_DB")
        .env_remove("IR_COMMITTEE_PSEUDONYM_KEY_FILE")
        .arg("--db")
        .arg(&db)
        .args(["--today", common::TODAY, "--lang", "fr", "check"])
        .output()
        .expect("check runs");
    let fr = String::from_utf8_lossy(&fr.stdout).replace('\u{a0}', " ");
    assert!(
        fr.contains(
            "identité modifiée par le SIH le 26/11/2026 : nom Béranger → Béranger-Dupont, date de naissance 14/03/1948 → 13/04/1948 : vérifier"
        ),
        "{fr}"
    );
    let json = check_json(&db);
    let changes = &case(&json, COMPLETE)["feed"]["identity_changes"];
    assert_eq!(changes[1]["field"], "birth_date", "{changes}");
    assert_eq!(changes[1]["old"], "1948-03-14", "{changes}");

    bin(&db)
        .args(["feeds", "ack-identity", COMPLETE_IPP])
        .assert()
        .success();
    assert!(!text(&db, &["check"]).contains("identity changed"));
    // Changed again after the check: from the identity checked.
    feed(&db, &a08("A3", "Dupont", "19480413"));
    let check = text(&db, &["check"]);
    assert!(
        check.contains("last name Béranger-Dupont → Dupont: check"),
        "{check}"
    );
}

/// A validated case that became blocking raises the alert; once its
/// booking ends at its source it is no longer to be done: no alert.
#[test]
fn a_case_ended_at_its_source_is_not_an_alert() {
    let (dir, db) = imported();
    bin(&db)
        .args(["decide", COMPLETE, "validate"])
        .assert()
        .success();
    let mut doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(common::fixture()).expect("fixture"))
            .expect("json");
    for c in doc["cases"].as_array_mut().expect("cases") {
        if c["external_id"] == COMPLETE {
            c["coagulation"] =
                serde_json::json!({"at": "2026-11-27", "inr": 3.1, "platelets_g_l": 200});
        }
    }
    let file = dir.path().join("again.json");
    std::fs::write(&file, doc.to_string()).expect("write");
    bin(&db).arg("import").arg(&file).assert().success();
    let alerts = |db: &Path| check_json(db)["alerts"].as_array().map_or(0, Vec::len);
    assert_eq!(alerts(&db), 1, "validated, now blocking");
    feed(&db, &ended("S15", "M1", COMPLETE, COMPLETE_IPP));
    assert_eq!(alerts(&db), 0, "cancelled at its source");
    let check = text(&db, &["check"]);
    assert!(!check.starts_with("ALERT"), "{check}");
}

/// A case the source cancelled cannot be validated (there is no procedure
/// to validate, and its feed items would be hidden): refused in one line,
/// nothing written; the committee may still cancel it.
#[test]
fn a_case_ended_at_its_source_cannot_be_validated() {
    let (_dir, db) = imported();
    feed(&db, &ended("S15", "M1", COMPLETE, COMPLETE_IPP));
    let out = bin(&db)
        .args(["decide", COMPLETE, "validate"])
        .output()
        .expect("runs");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("was cancelled at the source"), "{err}");
    assert_eq!(case(&check_json(&db), COMPLETE)["status"], "pending");
    bin(&db)
        .args([
            "decide",
            COMPLETE,
            "cancel",
            "--reason",
            "annulé par le SIH",
        ])
        .assert()
        .success();
}

/// An identity changed by an imported file (a `*.json` in the watched
/// folder, or `import`) raises the same advisory as the hospital's identity
/// service, naming the file: results must not follow a new identity
/// nobody checked.
#[test]
fn an_identity_changed_by_an_imported_file_is_the_same_advisory() {
    let (dir, db) = imported();
    let mut doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(common::fixture()).expect("fixture"))
            .expect("json");
    for c in doc["cases"].as_array_mut().expect("cases") {
        if c["external_id"] == COMPLETE {
            c["patient"]["birth_date"] = "1948-04-13".into();
        }
    }
    let file = dir.path().join("agenda.json");
    std::fs::write(&file, doc.to_string()).expect("write");
    bin(&db).arg("import").arg(&file).assert().success();
    let check = text(&db, &["check"]);
    assert!(
        check.contains("identity changed by the imported file")
            && check.contains("birth date 1948-03-14 → 1948-04-13: check"),
        "{check}"
    );
    bin(&db)
        .args(["feeds", "ack-identity", COMPLETE_IPP])
        .assert()
        .success();
    assert!(!text(&db, &["check"]).contains("identity changed"));
}

/// A booking that moves a case the committee validated and changes its
/// procedure: `check` says it is to decide again and alerts on it, the
/// programme leaves it out and the minutes say why, until the committee
/// decides again.
#[test]
fn a_validated_case_the_source_changes_is_to_decide_again() {
    let (dir, db) = imported();
    text(&db, &["feeds", "map-service", "VERT", "vertebroplasty"]);
    text(
        &db,
        &["feeds", "map-service", "RF", "radiofrequency_ablation"],
    );
    let booking = |trigger: &str, control: &str, code: &str, at: &str| {
        format!(
            "MSH|^~\\&|AGENDA|CHU|IRCOMMITTEE|RI|20261126100000||SIU^{trigger}^SIU_S12|{control}|P|2.5\n\
             SCH|P-1^IRCOMMITTEE|RDV-2^AGENDA||||ROUTINE|{code}^X^L|NORMAL|60|min\n\
             PID|1||{COMPLETE_IPP}^^^CHU^PI||X^Y||19480314|F\n\
             AIS|1|A|{code}^X^L|{at}|||60|min"
        )
    };
    feed(&db, &booking("S12", "M1", "RF", "20261202100000"));
    text(
        &db,
        &["decide", "RDV-2", "validate", "--override", "bilan au lit"],
    );
    let c = check_json(&db);
    assert!(
        c["alerts"]
            .as_array()
            .is_none_or(|a| a.iter().all(|a| a["external_id"] != "RDV-2"))
    );
    feed(&db, &booking("S13", "M2", "VERT", "20261203140000"));
    let after = check_json(&db);
    let alerts = after["alerts"].as_array().expect("alerts");
    assert!(
        alerts.iter().any(|a| a["external_id"] == "RDV-2"),
        "{alerts:?}"
    );
    let rdv = case(&after, "RDV-2");
    assert_eq!(rdv["validated_but_blocking"], true);
    let said = "changed by the hospital system on 2026-11-26 after the committee's decision \
                (date 2026-12-02 10:00 → 2026-12-03 14:00, technique radiofrequency ablation → \
                vertebroplasty): to decide again";
    assert!(rdv["items"].to_string().contains(said), "{}", rdv["items"]);
    assert_eq!(
        rdv["feed"]["changed_after_decision"]["changes"][0]["field"],
        "scheduled_at"
    );
    assert!(text(&db, &["check"]).contains(said));
    let programme = text(
        &db,
        &[
            "export", "--week", "2026-W49", "--format", "json", "--output", "-",
        ],
    );
    assert!(!programme.contains("RDV-2"), "{programme}");
    let minutes = dir.path().join("minutes.md");
    bin(&db)
        .args([
            "export",
            "--week",
            "2026-W49",
            "--format",
            "md",
            "--minutes",
            "--output",
        ])
        .arg(&minutes)
        .assert()
        .success();
    let minutes = std::fs::read_to_string(&minutes).expect("minutes");
    assert!(minutes.contains("to decide again"), "{minutes}");
    // Decided again: validated as it is now.
    text(
        &db,
        &["decide", "RDV-2", "validate", "--override", "vu en séance"],
    );
    let again = check_json(&db);
    assert!(
        again["alerts"]
            .as_array()
            .is_none_or(|a| a.iter().all(|a| a["external_id"] != "RDV-2"))
    );
    let programme = text(
        &db,
        &[
            "export", "--week", "2026-W49", "--format", "json", "--output", "-",
        ],
    );
    assert!(programme.contains("RDV-2"), "{programme}");
}
