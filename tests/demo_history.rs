//! Issue 15 §6: `demo` and `demo --synthetic N` write past cases with what
//! happened after the committee (outcomes, complications, follow-ups,
//! deaths, coded reasons) at plausible rates, claimed by the trail.

use std::path::Path;

use assert_cmd::Command;

fn app(db: &Path) -> Command {
    let mut cmd = Command::cargo_bin("ir-committee").expect("binary built");
    cmd.arg("--db")
        .arg(db)
        .args(["--lang", "en", "--today", "2026-12-06"]);
    for var in [
        "IR_COMMITTEE_DB",
        "IR_COMMITTEE_PSEUDONYM_KEY_FILE",
        "IR_COMMITTEE_AUDIT_KEY_FILE",
        "SSH_CONNECTION",
    ] {
        cmd.env_remove(var);
    }
    cmd
}

fn count(db: &Path, sql: &str) -> f64 {
    let c = rusqlite::Connection::open(db).expect("open");
    c.query_row(sql, [], |r| r.get::<_, f64>(0))
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

fn within(what: &str, value: f64, low: f64, high: f64) {
    assert!(
        (low..=high).contains(&value),
        "{what}: {value} not within {low}..={high}"
    );
}

/// The rates the demo's history shows, each between bounds.
fn assert_plausible(db: &Path) {
    let validated = count(
        db,
        "SELECT count(*) FROM cases WHERE status = 'validated' AND scheduled_at < '2026-12-06'",
    );
    let outcomes = count(db, "SELECT count(*) FROM outcomes");
    assert_eq!(outcomes, validated, "every past validated case has its day");
    let not_done = count(db, "SELECT count(*) FROM outcomes WHERE performed = 0");
    within("not performed", not_done / outcomes, 0.015, 0.08);
    let preventable = count(
        db,
        "SELECT count(*) FROM outcomes WHERE reason IN ('missing_test', 'drug_not_stopped')",
    );
    assert!(
        preventable * 2.0 > not_done,
        "mostly drug holds and missing tests"
    );
    // Fewer later: the first half of the series against the second.
    let half = |cmp: &str| {
        count(
            db,
            &format!(
                "SELECT avg(o.performed = 0) FROM outcomes o JOIN cases c ON c.id = o.case_id
                  WHERE c.scheduled_at {cmp}
                        (SELECT c2.scheduled_at FROM cases c2 JOIN outcomes o2 ON o2.case_id = c2.id
                          ORDER BY c2.scheduled_at LIMIT 1 OFFSET (SELECT count(*) / 2 FROM outcomes))"
            ),
        )
    };
    assert!(
        half("<") > half(">="),
        "the committee's effect: fewer later"
    );
    let complicated = count(
        db,
        "SELECT count(*) FROM outcomes WHERE complication_grade IS NOT NULL",
    );
    within(
        "immediate complications",
        complicated / outcomes,
        0.005,
        0.07,
    );
    let performed = outcomes - not_done;
    let j1 = count(db, "SELECT count(*) FROM follow_ups WHERE kind = 'j1'");
    within("J+1 called", j1 / performed, 0.2, 0.6);
    // M1: the cases past J+42 (overdue after).
    let past = "SELECT o.case_id FROM outcomes o WHERE o.performed = 1
                  AND date(o.performed_at) < date('2026-12-06', '-42 days')";
    let due = count(db, &format!("SELECT count(*) FROM ({past})"));
    let reached = count(
        db,
        &format!(
            "SELECT count(*) FROM follow_ups WHERE kind = 'm1' AND reached = 1 AND case_id IN ({past})"
        ),
    );
    let not_reached = count(
        db,
        &format!(
            "SELECT count(*) FROM follow_ups WHERE kind = 'm1' AND reached = 0 AND case_id IN ({past})"
        ),
    );
    within("M1 reached", reached / due, 0.75, 0.95);
    within("M1 not reached", not_reached / due, 0.02, 0.15);
    within(
        "M1 overdue",
        (due - reached - not_reached) / due,
        0.02,
        0.15,
    );
    // Pain before and at M1 after a cementoplasty.
    let cementoplasty = "SELECT c.pain_vas AS before, f.pain AS after FROM cases c
          JOIN follow_ups f ON f.case_id = c.id AND f.kind = 'm1' AND f.reached = 1
         WHERE c.techniques = '[\"cementoplasty\"]'";
    within(
        "cementoplasty pain before",
        count(db, &format!("SELECT avg(before) FROM ({cementoplasty})")),
        6.8,
        8.2,
    );
    within(
        "cementoplasty pain at M1",
        count(db, &format!("SELECT avg(after) FROM ({cementoplasty})")),
        2.0,
        4.5,
    );
    let coded = count(
        db,
        "SELECT avg(reason_code IS NOT NULL) FROM decisions WHERE decision IN ('postponed', 'cancelled')",
    );
    assert_eq!(
        coded, 1.0,
        "every postponement and cancellation has its code"
    );
    let patients = count(
        db,
        "SELECT count(DISTINCT patient_id) FROM cases WHERE source = 'synthetic'",
    );
    let deaths = count(db, "SELECT count(*) FROM deaths");
    assert!(deaths >= 1.0, "a few deaths");
    within("deaths", deaths / patients, 0.005, 0.08);
    assert_eq!(
        count(
            db,
            "SELECT count(*) FROM deaths d JOIN cases c ON c.patient_id = d.patient_id
              WHERE date(c.scheduled_at) >= d.died_on"
        ),
        0.0,
        "nobody died before one of their cases"
    );
}

fn verify(db: &Path) {
    let out = app(db).args(["audit", "--verify"]).output().expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("audit trail intact"),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_fresh_demo_has_a_year_of_outcomes_and_follow_ups() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("demo.sqlite");
    app(&db).arg("demo").assert().success();
    assert_plausible(&db);
    verify(&db);
    // Next week's board is the fixture's alone.
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM cases WHERE scheduled_at >= '2026-12-07' AND source != 'demo'"
        ),
        0.0
    );
}

#[test]
fn a_synthetic_demo_has_them_too_and_is_the_same_twice() {
    let dir = tempfile::tempdir().expect("temp dir");
    let a = dir.path().join("a.sqlite");
    let b = dir.path().join("b.sqlite");
    for db in [&a, &b] {
        app(db)
            .args(["demo", "--synthetic", "3000"])
            .assert()
            .success();
    }
    assert_plausible(&a);
    verify(&a);
    let digest = |db: &Path| {
        count(
            db,
            "SELECT sum(length(o.case_id || o.performed || coalesce(o.reason, '') || coalesce(o.complication_grade, '')))
                  + (SELECT sum(f.case_id * 7 + coalesce(f.pain, 11) + f.attempts) FROM follow_ups f)
               FROM outcomes o",
        )
    };
    assert_eq!(digest(&a), digest(&b), "seeded: the same file twice");
}
