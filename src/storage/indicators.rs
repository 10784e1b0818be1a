//! The facts of the committee's indicators (issue 15 §4) for a period: one
//! query, one row per case scheduled in it (`domain::indicators::Fact`).
//!
//! Precomputed, by the database itself: `case_facts` holds one narrow row
//! per case (its scheduled day, techniques, status, the decision that set
//! it, its consultation's day, its outcome, its worst complication, its M1
//! call), in the order of its day, and triggers on every table those come
//! from replace a case's row in the statement that changes them. So the
//! figures are right after any write (a decision, an outcome, a follow-up,
//! an undo, whichever part of the program or the sqlite3 shell writes it:
//! a test compares the table with the live query after each), and a
//! period is one contiguous range read, growing with the period's cases,
//! not with the file. Deaths are looked up per row (a death changes no
//! case's facts).

use chrono::NaiveDate;
use rusqlite::Row;

use super::{Db, Result};
use crate::domain::indicators::{Committee, Day, Fact, M1, Techniques};
use crate::domain::outcome::CirseGrade;
use crate::domain::time::DATE_FMT;
use crate::domain::vocab::{Analgesics, ReasonCode, Technique};

/// The decision in force of case `c` as a join (`d`): the one the
/// history's replay leaves on top (`domain::record::replay`: each `undone`
/// row reverts the latest decision not yet undone), i.e. the latest
/// decision of the case's status followed by as many `undone` rows as
/// other decisions. Shared by the indicators' facts and the registry
/// extract.
macro_rules! decision_in_force {
    () => {
        "  LEFT JOIN decisions d ON d.id = (
        SELECT max(r.id) FROM decisions r
         WHERE r.case_id = c.id AND r.decision = c.status
           AND (SELECT count(*) FROM decisions u
                 WHERE u.case_id = c.id AND u.id > r.id AND u.decision = 'undone')
             = (SELECT count(*) FROM decisions u
                 WHERE u.case_id = c.id AND u.id > r.id AND u.decision != 'undone'))"
    };
}
pub(crate) use decision_in_force;

/// One case's facts as `case_facts` keeps them (the same columns as the
/// live query the tests compare them with): a macro so that the table's
/// triggers (`concat!`) and the tests share one text.
/// The decision in force (`d`): [`decision_in_force`] (the latest of the
/// case's status alone would be wrong after a second validation or
/// postponement that was then undone).
macro_rules! case_facts_select {
    () => {
        concat!(
            "SELECT substr(c.scheduled_at, 1, 10), c.id, c.patient_id, c.techniques, c.status,
       c.pain_vas, substr(d.at, 1, 10), d.override_justification IS NOT NULL, d.reason_code,
       substr(json_extract(e.data, '$.at'), 1, 10),
       o.performed, substr(o.performed_at, 1, 10), o.techniques, o.reason,
       max(ifnull(o.complication_grade, 0), ifnull(j.complication_grade, 0),
           ifnull(m.complication_grade, 0)),
       m.reached, m.pain, m.analgesics
  FROM cases c
",
            decision_in_force!(),
            "
  LEFT JOIN evidence e ON e.case_id = c.id AND e.kind = 'consultation'
  LEFT JOIN outcomes o ON o.case_id = c.id
  LEFT JOIN follow_ups j ON j.case_id = c.id AND j.kind = 'j1'
  LEFT JOIN follow_ups m ON m.case_id = c.id AND m.kind = 'm1'"
        )
    };
}

/// Replaces the facts row of the case `$id` (an expression of the trigger:
/// `NEW.case_id`, `OLD.id`…): deleted, then read again (nothing when the
/// case is gone).
macro_rules! refresh {
    ($id:literal) => {
        concat!(
            "DELETE FROM case_facts WHERE case_id = ",
            $id,
            "; INSERT INTO case_facts ",
            case_facts_select!(),
            " WHERE c.id = ",
            $id,
            ";"
        )
    };
}

/// Migration 24: `case_facts`, one narrow row per case in the order of its
/// scheduled day, kept by triggers on every table its facts come from, so
/// that whichever part of the program writes (or the sqlite3 shell), the
/// row is the live query's at the end of the statement. The indicators
/// read a contiguous range of it instead of six lookups per case. Filled
/// from the cases already there.
pub const CASE_FACTS: &str = concat!(
    "CREATE TABLE case_facts (
        day          TEXT NOT NULL,
        case_id      INTEGER NOT NULL,
        patient_id   INTEGER NOT NULL,
        techniques   TEXT,
        status       TEXT,
        pain_vas     INTEGER,
        decided_on   TEXT,
        overridden   INTEGER,
        reason_code  TEXT,
        consultation_on TEXT,
        performed    INTEGER,
        performed_on TEXT,
        techniques_done TEXT,
        not_performed_reason TEXT,
        grade        INTEGER NOT NULL,
        m1_reached   INTEGER,
        m1_pain      INTEGER,
        m1_analgesics TEXT,
        PRIMARY KEY (day, case_id)
    ) WITHOUT ROWID;
    CREATE UNIQUE INDEX case_facts_by_case ON case_facts (case_id);
    INSERT INTO case_facts ",
    case_facts_select!(),
    ";
    CREATE TRIGGER case_facts_case_in AFTER INSERT ON cases BEGIN ",
    refresh!("NEW.id"),
    " END;
    CREATE TRIGGER case_facts_case_up
      AFTER UPDATE OF id, patient_id, scheduled_at, techniques, status, pain_vas ON cases BEGIN ",
    refresh!("OLD.id"),
    refresh!("NEW.id"),
    " END;
    CREATE TRIGGER case_facts_case_out AFTER DELETE ON cases BEGIN
      DELETE FROM case_facts WHERE case_id = OLD.id; END;
    CREATE TRIGGER case_facts_decision_in AFTER INSERT ON decisions BEGIN ",
    refresh!("NEW.case_id"),
    " END;
    CREATE TRIGGER case_facts_decision_up AFTER UPDATE ON decisions BEGIN ",
    refresh!("OLD.case_id"),
    refresh!("NEW.case_id"),
    " END;
    CREATE TRIGGER case_facts_decision_out AFTER DELETE ON decisions BEGIN ",
    refresh!("OLD.case_id"),
    " END;
    CREATE TRIGGER case_facts_evidence_in AFTER INSERT ON evidence
      WHEN NEW.kind = 'consultation' BEGIN ",
    refresh!("NEW.case_id"),
    " END;
    CREATE TRIGGER case_facts_evidence_up AFTER UPDATE ON evidence
      WHEN NEW.kind = 'consultation' OR OLD.kind = 'consultation' BEGIN ",
    refresh!("OLD.case_id"),
    refresh!("NEW.case_id"),
    " END;
    CREATE TRIGGER case_facts_evidence_out AFTER DELETE ON evidence
      WHEN OLD.kind = 'consultation' BEGIN ",
    refresh!("OLD.case_id"),
    " END;
    CREATE TRIGGER case_facts_outcome_in AFTER INSERT ON outcomes BEGIN ",
    refresh!("NEW.case_id"),
    " END;
    CREATE TRIGGER case_facts_outcome_up AFTER UPDATE ON outcomes BEGIN ",
    refresh!("OLD.case_id"),
    refresh!("NEW.case_id"),
    " END;
    CREATE TRIGGER case_facts_outcome_out AFTER DELETE ON outcomes BEGIN ",
    refresh!("OLD.case_id"),
    " END;
    CREATE TRIGGER case_facts_follow_up_in AFTER INSERT ON follow_ups BEGIN ",
    refresh!("NEW.case_id"),
    " END;
    CREATE TRIGGER case_facts_follow_up_up AFTER UPDATE ON follow_ups BEGIN ",
    refresh!("OLD.case_id"),
    refresh!("NEW.case_id"),
    " END;
    CREATE TRIGGER case_facts_follow_up_out AFTER DELETE ON follow_ups BEGIN ",
    refresh!("OLD.case_id"),
    " END;"
);

/// The facts of a period: a range of `case_facts` (its primary key), the
/// patient's death looked up (a few rows, kept apart: a death changes no
/// case's row).
const FACTS: &str = "
SELECT f.patient_id, f.day, f.techniques, f.status, f.pain_vas, f.decided_on, f.overridden,
       f.reason_code, f.consultation_on, f.performed, f.performed_on, f.techniques_done,
       f.not_performed_reason, f.grade, f.m1_reached, f.m1_pain, f.m1_analgesics, x.died_on
  FROM case_facts f
  LEFT JOIN deaths x ON x.patient_id = f.patient_id
 WHERE f.day >= ?1 AND f.day < ?2";

/// The rows `case_facts` should hold, computed from the tables (tests:
/// the triggers keep it so).
#[cfg(test)]
pub(crate) const LIVE_CASE_FACTS: &str = concat!(case_facts_select!(), " ORDER BY 1, 2");

/// The facts of every case scheduled from `from` to `to` (both included).
/// The caller checks the read table (`Read::Report`) and traces the read.
pub fn facts(db: &Db, from: NaiveDate, to: NaiveDate) -> Result<Vec<Fact>> {
    let start = from.format(DATE_FMT).to_string();
    let end = to
        .succ_opt()
        .unwrap_or(NaiveDate::MAX)
        .format(DATE_FMT)
        .to_string();
    let mut stmt = db.conn().prepare_cached(FACTS)?;
    let rows = stmt.query_map([&start, &end], fact)?;
    let mut out = Vec::new();
    for f in rows {
        // A row whose scheduled day does not read is not a case of the period.
        if let Some(f) = f? {
            out.push(f);
        }
    }
    Ok(out)
}

fn date(s: Option<String>) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.as_deref()?, DATE_FMT).ok()
}

/// The technique words of a JSON array (`["vertebroplasty","…"]`): the
/// quoted words, unknown ones skipped.
fn techniques(json: Option<String>) -> Techniques {
    json.as_deref()
        .unwrap_or("")
        .split('"')
        .skip(1)
        .step_by(2)
        .filter_map(Technique::parse)
        .collect()
}

fn code(s: Option<String>) -> Option<ReasonCode> {
    ReasonCode::parse(s.as_deref()?)
}

fn fact(r: &Row<'_>) -> rusqlite::Result<Option<Fact>> {
    let Some(day) = date(r.get(1)?) else {
        return Ok(None);
    };
    let status: String = r.get(3)?;
    let reason = code(r.get(7)?);
    let committee = match status.as_str() {
        "validated" => Committee::Validated {
            overridden: r.get::<_, Option<bool>>(6)?.unwrap_or(false),
        },
        "postponed" => Committee::Postponed(reason),
        "cancelled" => Committee::Cancelled(reason),
        _ => Committee::Pending,
    };
    let outcome = match r.get::<_, Option<i64>>(9)? {
        Some(1) => {
            let done = techniques(r.get(11)?);
            date(r.get(10)?).map(|on| Day::Performed {
                on,
                techniques: done,
            })
        }
        Some(_) => code(r.get(12)?).map(Day::NotPerformed),
        None => None,
    };
    let grade: i64 = r.get(13)?;
    let m1 = r
        .get::<_, Option<bool>>(14)?
        .map(|reached| -> rusqlite::Result<M1> {
            Ok(M1 {
                reached,
                pain: r.get::<_, Option<u8>>(15)?,
                analgesics: r
                    .get::<_, Option<String>>(16)?
                    .as_deref()
                    .and_then(Analgesics::parse),
            })
        });
    Ok(Some(Fact {
        patient_id: r.get(0)?,
        day,
        techniques: techniques(r.get(2)?),
        committee,
        decided_on: date(r.get(5)?),
        consultation_on: date(r.get(8)?),
        outcome,
        pain_before: r.get::<_, Option<u8>>(4)?,
        m1: m1.transpose()?,
        complication: u8::try_from(grade).ok().and_then(CirseGrade::new),
        died_on: date(r.get(17)?),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::open_fixture;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, DATE_FMT).expect("date")
    }

    fn sql(db: &Db, s: &str) {
        db.conn().execute_batch(s).expect(s);
    }

    /// Every row of a query, each value as SQLite gives it.
    fn all(db: &Db, q: &str) -> Vec<Vec<rusqlite::types::Value>> {
        let mut stmt = db.conn().prepare(q).expect(q);
        let n = stmt.column_count();
        stmt.query_map([], |r| (0..n).map(|i| r.get(i)).collect())
            .expect("rows")
            .collect::<rusqlite::Result<_>>()
            .expect("values")
    }

    /// `case_facts` is what the live query computes from the tables now.
    fn kept(db: &Db) {
        let kept = all(db, "SELECT * FROM case_facts ORDER BY day, case_id");
        let live = all(db, LIVE_CASE_FACTS);
        assert!(!kept.is_empty());
        assert_eq!(kept, live, "case_facts drifted from the tables");
    }

    /// The facts of the fixture's week, and of its first case.
    fn first(db: &Db) -> (usize, Fact) {
        let f = facts(db, d("2026-11-30"), d("2026-12-06")).expect("facts");
        let id: i64 = db
            .conn()
            .query_row(
                "SELECT patient_id FROM cases ORDER BY scheduled_at, id LIMIT 1",
                [],
                |r| r.get(0),
            )
            .expect("first case");
        let one = f
            .iter()
            .find(|x| x.patient_id == id)
            .cloned()
            .expect("its fact");
        (f.len(), one)
    }

    #[test]
    fn the_facts_follow_every_write_with_nothing_to_maintain() {
        let (_dir, db) = open_fixture();
        let cases: i64 = db
            .conn()
            .query_row(
                "SELECT count(*) FROM cases WHERE scheduled_at >= '2026-11-30' AND scheduled_at < '2026-12-07'",
                [],
                |r| r.get(0),
            )
            .expect("count");
        let (n, f) = first(&db);
        kept(&db);
        assert_eq!(n as i64, cases);
        assert_eq!(f.committee, Committee::Pending);
        assert_eq!(f.outcome, None);
        // Outside the period: nothing.
        assert!(
            facts(&db, d("2025-01-01"), d("2025-12-31"))
                .expect("facts")
                .is_empty()
        );

        let case = "(SELECT id FROM cases ORDER BY scheduled_at, id LIMIT 1)";
        // A validation by override.
        sql(
            &db,
            &format!(
                "INSERT INTO decisions (case_id, at, by_login, decision, override_justification)
               VALUES ({case}, '2026-11-26T10:00:00Z', 'chair', 'validated', 'urgent');
             UPDATE cases SET status = 'validated' WHERE id = {case};"
            ),
        );
        let (_, f) = first(&db);
        kept(&db);
        assert_eq!(f.committee, Committee::Validated { overridden: true });
        assert_eq!(f.decided_on, Some(d("2026-11-26")));
        // Performed, with an immediate CIRSE 2.
        sql(&db, &format!(
            "INSERT INTO outcomes (case_id, performed, performed_at, operator, techniques, anaesthesia,
                                   complication_grade, complication_text, recorded_at, recorded_by)
               VALUES ({case}, 1, '2026-12-01T09:00', 'Dr X', '[\"cementoplasty\",\"neurolysis\"]',
                       'local', 2, 'haematoma', '2026-12-01T12:00:00Z', 'chair');"
        ));
        let (_, f) = first(&db);
        kept(&db);
        let done: Techniques = [Technique::Cementoplasty, Technique::Neurolysis]
            .into_iter()
            .collect();
        assert_eq!(
            f.outcome,
            Some(Day::Performed {
                on: d("2026-12-01"),
                techniques: done
            })
        );
        assert_eq!(f.complication, CirseGrade::new(2));
        // The M1 call: reached, a worse complication since.
        sql(&db, &format!(
            "INSERT INTO follow_ups (case_id, kind, called_at, reached, pain, analgesics,
                                     complication_grade, complication_text, recorded_at, recorded_by)
               VALUES ({case}, 'm1', '2027-01-02T10:00', 1, 3, 'stopped', 3, 'drain',
                       '2027-01-02T10:05:00Z', 'chair');"
        ));
        let (_, f) = first(&db);
        kept(&db);
        assert_eq!(
            f.m1,
            Some(M1 {
                reached: true,
                pain: Some(3),
                analgesics: Some(Analgesics::Stopped)
            })
        );
        assert_eq!(f.complication, CirseGrade::new(3));
        // Postponed for a missing test, then undone: the validation again.
        sql(&db, &format!(
            "INSERT INTO decisions (case_id, at, by_login, decision, reason, reason_code)
               VALUES ({case}, '2026-11-27T10:00:00Z', 'chair', 'postponed', 'scan', 'missing_test');
             UPDATE cases SET status = 'postponed' WHERE id = {case};"
        ));
        let (_, f) = first(&db);
        kept(&db);
        assert_eq!(
            f.committee,
            Committee::Postponed(Some(ReasonCode::MissingTest))
        );
        assert_eq!(f.decided_on, Some(d("2026-11-27")));
        sql(
            &db,
            &format!(
                "INSERT INTO decisions (case_id, at, by_login, decision)
               VALUES ({case}, '2026-11-27T10:05:00Z', 'chair', 'undone');
             UPDATE cases SET status = 'validated' WHERE id = {case};"
            ),
        );
        let (_, f) = first(&db);
        kept(&db);
        assert_eq!(f.committee, Committee::Validated { overridden: true });
        assert_eq!(f.decided_on, Some(d("2026-11-26")));
        // The patient's death.
        sql(&db, &format!(
            "INSERT INTO deaths (patient_id, died_on, recorded_at, recorded_by)
               SELECT patient_id, '2026-12-20', '2026-12-21T10:00:00Z', 'chair' FROM cases WHERE id = {case};"
        ));
        let (_, f) = first(&db);
        kept(&db);
        assert_eq!(f.died_on, Some(d("2026-12-20")));
        // Each other kind of write: the consultation's day changed, the M1
        // call corrected, the outcome withdrawn, a decision row removed,
        // the case moved to another day, then deleted.
        for write in [
            format!(
                "UPDATE evidence SET data = json_set(data, '$.at', '2026-10-01T09:00')
                     WHERE case_id = {case} AND kind = 'consultation'"
            ),
            format!(
                "UPDATE follow_ups SET pain = 5, analgesics = 'decreased' WHERE case_id = {case}"
            ),
            format!("DELETE FROM follow_ups WHERE case_id = {case}"),
            format!("DELETE FROM outcomes WHERE case_id = {case}"),
            format!(
                "DELETE FROM decisions WHERE id = (SELECT max(id) FROM decisions WHERE case_id = {case})"
            ),
            format!("UPDATE cases SET scheduled_at = '2026-12-05T08:00' WHERE id = {case}"),
            format!(
                "UPDATE cases SET techniques = '[\"neurolysis\"]', pain_vas = 4 WHERE id = {case}"
            ),
        ] {
            sql(&db, &write);
            kept(&db);
        }
        let before = all(&db, "SELECT count(*) FROM case_facts");
        sql(&db, "PRAGMA foreign_keys = OFF");
        sql(
            &db,
            &format!(
                "DELETE FROM evidence WHERE case_id = {case}; DELETE FROM notes WHERE case_id = {case}; DELETE FROM decisions WHERE case_id = {case}; DELETE FROM cases WHERE id = {case}"
            ),
        );
        kept(&db);
        assert_ne!(before, all(&db, "SELECT count(*) FROM case_facts"));
    }

    /// A second validation (by override) undone leaves the first in force,
    /// as the replay of the history says; so does a second postponement.
    #[test]
    fn the_decision_in_force_is_the_replays_after_an_undo() {
        let (_dir, db) = open_fixture();
        let case = "(SELECT id FROM cases ORDER BY scheduled_at, id LIMIT 1)";
        let decide = |at: &str, decision: &str, extra: &str, status: &str| {
            let (cols, vals) = match extra {
                "" => (String::new(), String::new()),
                e => (
                    format!(", {}", e.split('=').next().unwrap_or("")),
                    format!(", '{}'", e.split('=').nth(1).unwrap_or("")),
                ),
            };
            sql(
                &db,
                &format!(
                    "INSERT INTO decisions (case_id, at, by_login, decision{cols})
                       VALUES ({case}, '{at}T10:00:00Z', 'chair', '{decision}'{vals});
                     UPDATE cases SET status = '{status}' WHERE id = {case};"
                ),
            );
            kept(&db);
            first(&db).1
        };
        decide("2026-11-20", "validated", "", "validated");
        let f = decide(
            "2026-11-21",
            "validated",
            "override_justification=urgent",
            "validated",
        );
        assert_eq!(f.committee, Committee::Validated { overridden: true });
        let f = decide("2026-11-22", "undone", "", "validated");
        assert_eq!(f.committee, Committee::Validated { overridden: false });
        assert_eq!(f.decided_on, Some(d("2026-11-20")));
        decide(
            "2026-11-23",
            "postponed",
            "reason_code=missing_test",
            "postponed",
        );
        decide(
            "2026-11-24",
            "postponed",
            "reason_code=drug_not_stopped",
            "postponed",
        );
        let f = decide("2026-11-25", "undone", "", "postponed");
        assert_eq!(
            f.committee,
            Committee::Postponed(Some(ReasonCode::MissingTest))
        );
        assert_eq!(f.decided_on, Some(d("2026-11-23")));
        // Undone twice more: back to the first validation, then to none.
        let f = decide("2026-11-26", "undone", "", "validated");
        assert_eq!(f.committee, Committee::Validated { overridden: false });
        let f = decide("2026-11-26", "undone", "", "pending");
        assert_eq!(f.committee, Committee::Pending);
        assert_eq!(f.decided_on, None);
    }

    #[test]
    fn the_query_is_a_range_of_the_facts_table() {
        let (_dir, db) = open_fixture();
        let plan: Vec<String> = db
            .conn()
            .prepare(&format!("EXPLAIN QUERY PLAN {FACTS}"))
            .expect("plan")
            .query_map(["2026-01-01", "2027-01-01"], |r| r.get::<_, String>(3))
            .expect("rows")
            .collect::<rusqlite::Result<_>>()
            .expect("plan rows");
        let plan = plan.join("\n");
        assert!(
            plan.contains("SEARCH f USING PRIMARY KEY (day>? AND day<?)"),
            "{plan}"
        );
        assert!(!plan.contains("SCAN"), "{plan}");
    }
}
