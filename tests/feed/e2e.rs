//! End to end (issue 16): the real `listen`, talked to by python-hl7's MLLP
//! client, and the real `watch`, each applying a lab result to a validated
//! case of the fixture; then `check --format json` reads what they did.

use super::*;

/// Complete and validated in these tests: Monday 2026-11-30 08:00.
const CASE: &str = "SCH-2026-004501";

/// The fixture's case `CASE` validated, and its patient (IPP, last name,
/// birth date as HL7 writes it).
fn validated(db: &Path) -> (String, String, String) {
    common::bin(db)
        .args(["decide", CASE, "validate"])
        .assert()
        .success();
    let week = common::check_json(db);
    let case = week["cases"]
        .as_array()
        .and_then(|cs| cs.iter().find(|c| c["external_id"] == CASE))
        .cloned()
        .unwrap_or_default();
    let p = &case["patient"];
    let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
    (
        text(&p["ipp"]),
        text(&p["last_name"]),
        text(&p["birth_date"]).replace('-', ""),
    )
}

/// An INR of `inr` for that patient, taken on 2026-11-26 at 07:00 (the
/// tests' today).
fn inr_result(id: &str, patient: &(String, String, String), inr: &str) -> String {
    let (ipp, last, birth) = patient;
    [
        format!("MSH|^~\\&|GLIMS|LABO|IRC|RADIO|20261126080000||ORU^R01^ORU_R01|{id}|P|2.5"),
        format!("PID|1||{ipp}^^^CHU^PI||{last}^X||{birth}|F"),
        "OBR|1||L1|HEMOST|||20261126070000".to_owned(),
        format!("OBX|1|NM|34714-6^INR^LN||{inr}|{{INR}}|||||F"),
    ]
    .join("\r")
}

/// The case as `check` reports it: its coagulation item's status, and
/// whether the alert names it.
fn seen_by_check(db: &Path) -> (String, bool) {
    let week = common::check_json(db);
    let case = week["cases"]
        .as_array()
        .and_then(|cs| cs.iter().find(|c| c["external_id"] == CASE))
        .cloned()
        .unwrap_or_default();
    let coag = case["items"]
        .as_array()
        .and_then(|items| items.iter().find(|i| i["item"] == "coagulation"))
        .map(|i| i["status"].as_str().unwrap_or_default().to_owned())
        .unwrap_or_default();
    let alerted = week["alerts"]
        .as_array()
        .is_some_and(|a| a.iter().any(|x| x["external_id"] == CASE));
    (coag, alerted)
}

#[test]
fn a_result_sent_over_mllp_reaches_the_case_and_check_raises_the_alert() -> TestResult {
    let Some(client) = python_client() else {
        return Ok(());
    };
    let (_tmp, db) = common::imported();
    let patient = validated(&db);
    assert_eq!(seen_by_check(&db), ("ok".into(), false));
    let addr = format!("127.0.0.1:{}", free_port()?);
    let child = real_listen_on(&db, &addr, common::TODAY)?;
    let answers = send(
        &client,
        addr.parse()?,
        &[
            Step::Message(inr_result("E2E-1", &patient, "3.1")),
            Step::Message(inr_result("E2E-1", &patient, "3.1")),
            Step::Message(oru_without_pid("E2E-2")),
        ],
    )?;
    let msa = |i: usize| answers[i].clone().unwrap_or_default();
    assert_eq!(msa(0), ("AA".into(), "E2E-1".into()), "{answers:?}");
    assert_eq!(msa(1), ("AA".into(), "E2E-1".into()), "a duplicate: AA");
    assert_eq!(msa(2).0, "AE", "no PID: the message is unusable");
    let (status, err) = child.term()?;
    assert_eq!(status, Some(0), "{err}");
    assert!(
        !err.contains(&patient.0) && !err.contains(&patient.1),
        "{err}"
    );
    assert_eq!(
        seen_by_check(&db),
        ("out_of_range".into(), true),
        "the INR of 3.1 makes the validated case blocking, and check says so"
    );
    Ok(())
}

#[test]
fn a_result_dropped_in_the_folder_reaches_the_case() -> TestResult {
    let (tmp, db) = common::imported();
    let patient = validated(&db);
    let dir = tmp.path().join("drop");
    std::fs::create_dir(&dir)?;
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700))?;
    // Written under a name watch skips, then renamed when complete.
    std::fs::write(dir.join("r1.tmp"), inr_result("W-1", &patient, "3.1"))?;
    std::fs::rename(dir.join("r1.tmp"), dir.join("r1.hl7"))?;
    let child = real(&db)
        .args(["--today", common::TODAY, "watch"])
        .arg(&dir)
        .stderr(Stdio::piped())
        .spawn()?;
    let child = Killed(child);
    wait_for("done/r1.hl7.ack", Duration::from_secs(20), || {
        dir.join("done/r1.hl7.ack").exists()
    });
    let ack = std::fs::read(dir.join("done/r1.hl7.ack"))?;
    assert_eq!(mllp::ack_code(&ack).as_deref(), Some("AA"));
    let (status, err) = child.term()?;
    assert_eq!(status, Some(0), "{err}");
    assert_eq!(seen_by_check(&db), ("out_of_range".into(), true));
    Ok(())
}
