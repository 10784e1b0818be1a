use super::*;
use crate::testkit::open_fixture;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, DATE_FMT).expect("date")
}

fn sql(db: &Db, s: &str) {
    db.conn().execute_batch(s).expect(s);
}

const CASE: &str = "(SELECT id FROM cases ORDER BY scheduled_at, id LIMIT 1)";

/// The fixture's week, and its first case.
fn first(db: &Db) -> (usize, Procedure) {
    let all = procedures(db, d("2026-11-30"), d("2026-12-06")).expect("procedures");
    let one = all.first().cloned().expect("a first case");
    (all.len(), one)
}

#[test]
fn one_row_per_case_of_the_period_with_everything_after_the_committee() {
    let (_dir, db) = open_fixture();
    let cases: i64 = db
        .conn()
        .query_row(
            "SELECT count(*) FROM cases WHERE scheduled_at >= '2026-11-30' AND scheduled_at < '2026-12-07'",
            [],
            |r| r.get(0),
        )
        .expect("count");
    let (n, p) = first(&db);
    assert_eq!(n as i64, cases);
    assert_eq!(p.status, "pending");
    assert_eq!(p.decision, None);
    assert!(p.history.is_empty());
    assert_eq!(p.outcome, None);
    assert!(!p.techniques.is_empty());
    assert!(
        procedures(&db, d("2025-01-01"), d("2025-12-31"))
            .expect("procedures")
            .is_empty()
    );

    // Postponed for a missing test, undone, validated by override (late
    // in the evening, UTC: the next local day in Paris).
    sql(
        &db,
        &format!(
            "INSERT INTO decisions (case_id, at, by_login, decision, reason, reason_code)
               VALUES ({CASE}, '2026-11-26T10:00:00Z', 'chair', 'postponed', 'scan', 'missing_test');
             INSERT INTO decisions (case_id, at, by_login, decision)
               VALUES ({CASE}, '2026-11-27T10:05:00', 'chair', 'undone');
             INSERT INTO decisions (case_id, at, by_login, decision, override_justification)
               VALUES ({CASE}, '2026-11-30T23:30:00Z', 'chair', 'validated', 'urgent');
             UPDATE cases SET status = 'validated' WHERE id = {CASE};"
        ),
    );
    let (_, p) = first(&db);
    assert_eq!(p.status, "validated");
    let last = p.decision.expect("the validation");
    assert!(last.overridden);
    assert_eq!(last.on, Some(d("2026-12-01")));
    let words: Vec<(&str, Option<ReasonCode>, Option<NaiveDate>)> = p
        .history
        .iter()
        .map(|h| (h.decision.as_str(), h.reason_code, h.on))
        .collect();
    // A time without an offset (the demo's) is read by its date.
    assert_eq!(
        words,
        [
            (
                "postponed",
                Some(ReasonCode::MissingTest),
                Some(d("2026-11-26"))
            ),
            ("undone", None, Some(d("2026-11-27"))),
            ("validated", None, Some(d("2026-12-01")))
        ]
    );

    sql(&db, &format!(
        "INSERT INTO outcomes (case_id, performed, performed_at, operator, techniques, anaesthesia,
                               duration_min, complication_grade, complication_text, recorded_at, recorded_by)
           VALUES ({CASE}, 1, '2026-12-01T09:00', 'Dr X', '[\"cementoplasty\",\"neurolysis\"]',
                   'local', 55, 2, 'haematoma', '2026-12-01T12:00:00Z', 'chair');
         INSERT INTO follow_ups (case_id, kind, called_at, reached, recorded_at, recorded_by)
           VALUES ({CASE}, 'j1', '2026-12-02T10:00', 0, '2026-12-02T10:05:00Z', 'chair');
         INSERT INTO follow_ups (case_id, kind, called_at, reached, pain, analgesics, morphine_mg_day,
                                 complication_grade, complication_text, recorded_at, recorded_by)
           VALUES ({CASE}, 'm1', '2027-01-02T10:00', 1, 3, 'decreased', 20.5, 3, 'drain',
                   '2027-01-02T10:05:00Z', 'chair');
         INSERT INTO deaths (patient_id, died_on, recorded_at, recorded_by)
           SELECT patient_id, '2027-02-20', '2027-02-21T10:00:00Z', 'chair' FROM cases WHERE id = {CASE};"
    ));
    let (_, p) = first(&db);
    let o = p.outcome.expect("outcome");
    assert!(o.performed);
    assert_eq!(o.performed_on, Some(d("2026-12-01")));
    assert_eq!(
        o.techniques,
        [Technique::Cementoplasty, Technique::Neurolysis]
    );
    assert_eq!(o.anaesthesia, Some(Anaesthesia::Local));
    assert_eq!(o.duration_min, Some(55));
    assert_eq!(o.complication, CirseGrade::new(2));
    let j1 = p.j1.expect("J+1");
    assert!(!j1.reached);
    assert_eq!(j1.pain, None);
    let m1 = p.m1.expect("M1");
    assert_eq!(
        (m1.reached, m1.pain, m1.analgesics, m1.morphine_mg_day),
        (true, Some(3), Some(Analgesics::Decreased), Some(20.5))
    );
    assert_eq!(m1.complication, CirseGrade::new(3));
    assert_eq!(p.died_on, Some(d("2027-02-20")));
}

#[test]
fn a_word_the_vocabulary_does_not_know_is_refused_not_dropped() {
    let (_dir, db) = open_fixture();
    sql(
        &db,
        &format!("UPDATE cases SET techniques = '[\"trepanation\"]' WHERE id = {CASE};"),
    );
    let err = procedures(&db, d("2026-11-30"), d("2026-12-06")).expect_err("refused");
    assert!(err.to_string().contains("trepanation"), "{err}");
}

#[test]
fn the_query_is_a_range_scan_on_the_time_index() {
    let (_dir, db) = open_fixture();
    let plan: Vec<String> = db
        .conn()
        .prepare(&format!("EXPLAIN QUERY PLAN {PROCEDURES}"))
        .expect("plan")
        .query_map(["2026-01-01", "2027-01-01"], |r| r.get::<_, String>(3))
        .expect("rows")
        .collect::<rusqlite::Result<_>>()
        .expect("plan rows");
    let plan = plan.join("\n");
    assert!(plan.contains("cases_by_time"), "{plan}");
    for table in ["SCAN d", "SCAN o", "SCAN h", "SCAN p", "SCAN x"] {
        assert!(!plan.contains(table), "{plan}");
    }
}
