//! Rows written under `--today` (issue 12, point 4).
//!
//! A fixed clock dates what is written with a day that is not today, so it
//! writes only demo files (made by `demo` or `init --demo`; `Db::write`
//! refuses it on a committee file, and a reader under it has its reads
//! traced at the machine's time). The audit and read rows written under it
//! say so in their `clock` column ('fixed', covered by their hash), and
//! `audit --verify` fails on a committee file that holds one.

#[allow(unused_imports)]
use super::*;

/// Migration 16: the `clock` column of the audit and read rows, NULL or
/// 'fixed' (older rows NULL: their hashes do not change), and the indexes
/// that let `audit --verify` find a fixed one without a scan.
pub(crate) const SCHEMA: &str = "
    ALTER TABLE audit ADD COLUMN clock TEXT CHECK (clock IS NULL OR clock = 'fixed');
    ALTER TABLE reads ADD COLUMN clock TEXT CHECK (clock IS NULL OR clock = 'fixed');
    CREATE INDEX audit_fixed_clock ON audit (id) WHERE clock IS NOT NULL;
    CREATE INDEX reads_fixed_clock ON reads (id) WHERE clock IS NOT NULL;";

/// The chain a verdict is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Chain {
    Audit,
    Reads,
}

/// `verdict` (a chain's walk), unless the chain is otherwise sound and the
/// file, not a demo file, holds a row written under a fixed clock: then
/// the first such row, by id (no patient data).
pub(super) fn on_committee(conn: &Connection, chain: Chain, verdict: Verdict) -> Result<Verdict> {
    if matches!(verdict, Verdict::Broken { .. }) {
        return Ok(verdict);
    }
    let demo: Option<String> = conn
        .prepare_cached("SELECT value FROM meta WHERE key = 'demo'")?
        .query_row([], |r| r.get(0))
        .optional()?;
    if demo.as_deref() == Some("1") {
        return Ok(verdict);
    }
    let (sql, prefix) = match chain {
        Chain::Audit => ("SELECT min(id) FROM audit WHERE clock IS NOT NULL", ""),
        Chain::Reads => (
            "SELECT min(id) FROM reads WHERE clock IS NOT NULL",
            "read trace: ",
        ),
    };
    let first: Option<i64> = conn.prepare_cached(sql)?.query_row([], |r| r.get(0))?;
    Ok(match first {
        Some(id) => Verdict::Broken {
            id,
            reason: format!(
                "{prefix}it was written under a fixed clock (--today), which only a demo file accepts: this is a committee file, and the row's date is not when it was written"
            ),
        },
        None => verdict,
    })
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::domain::clock::Clock;
    use crate::storage::Init;

    fn fixed() -> Clock {
        Clock::Fixed(NaiveDate::from_ymd_opt(2001, 1, 1).expect("date"))
    }

    fn committee(dir: &Path) -> PathBuf {
        let path = dir.join("c.sqlite");
        let init = Init {
            admin: None,
            name: None,
            timezone: chrono_tz::Europe::Paris,
            demo: false,
        };
        Db::create(&path, Clock::System, &init).expect("create");
        path
    }

    fn rows(db: &Db) -> usize {
        list(db, None).expect("audit").len()
    }

    /// A row without a clock encodes as before the column existed (older
    /// chains keep verifying); with one, the encoding goes on after the
    /// outcome with the marker byte 3 and the text.
    #[test]
    fn the_clock_is_encoded_after_the_outcome_only_when_set() {
        let f = |clock: Option<&'static [u8]>| Fields {
            id: 7,
            at: b"2001-01-01T12:00:00Z",
            login: b"l",
            role: None,
            origin: None,
            action: b"a",
            case_id: None,
            patient_id: None,
            old_value: None,
            new_value: None,
            outcome: b"done",
            clock,
            rows: None,
        };
        let enc = |x: &Fields<'_>| {
            let mut b = Vec::new();
            encode(&mut b, GENESIS.as_bytes(), x);
            b
        };
        let (without, with) = (enc(&f(None)), enc(&f(Some(b"fixed"))));
        assert!(without.ends_with(b"\x01\0\0\0\0\0\0\0\x04done"));
        let mut expected = without.clone();
        expected.extend_from_slice(b"\x03\x01\0\0\0\0\0\0\0\x05fixed");
        assert_eq!(with, expected);
    }

    #[test]
    fn a_fixed_clock_writes_no_committee_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = committee(dir.path());
        let mut db = Db::open(&path, fixed()).expect("open to read");
        let before = rows(&db);
        let refused = db.write(|w| w.set_meta("note", "backdated"));
        assert!(matches!(refused, Err(StorageError::FixedClock(_))));
        assert_eq!(rows(&db), before, "not even a refusal row");
        assert_eq!(db.meta("note").expect("meta"), None);
        // Creating one under it is refused too, before anything is made.
        let other = dir.path().join("other.sqlite");
        let init = Init {
            admin: None,
            name: None,
            timezone: chrono_tz::Europe::Paris,
            demo: false,
        };
        assert!(matches!(
            Db::create(&other, fixed(), &init),
            Err(StorageError::FixedClockInit(_))
        ));
        assert!(!other.exists());
    }

    #[test]
    fn a_demo_file_stamps_and_marks_what_a_fixed_clock_writes() {
        let mut db = Db::open_in_memory(fixed()).expect("db");
        db.write(|w| w.set_meta("note", "rehearsal"))
            .expect("a demo file takes it");
        let row = list(&db, None)
            .expect("audit")
            .into_iter()
            .rfind(|r| r.action == "meta.set")
            .expect("row");
        assert_eq!(row.at, "2001-01-01T12:00:00Z");
        assert_eq!(row.clock.as_deref(), Some("fixed"));
        assert!(matches!(
            verify(&db, None).expect("verify"),
            Verdict::Intact { .. }
        ));
    }

    #[test]
    fn a_committee_file_holding_a_fixed_clock_row_does_not_verify() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = committee(dir.path());
        let db = Db::open(&path, Clock::System).expect("open");
        assert!(matches!(
            verify(&db, None).expect("verify"),
            Verdict::Intact { .. }
        ));
        // Appended through the crate, as a build that did not refuse it would.
        let tx = rusqlite::Transaction::new_unchecked(
            db.conn(),
            rusqlite::TransactionBehavior::Immediate,
        )
        .expect("tx");
        let id = append(
            &tx,
            None,
            &Entry {
                at: "2001-01-01T12:00:00Z",
                login: "mallory",
                role: None,
                origin: None,
                action: "decision.cancel",
                case_id: None,
                patient_id: None,
                old_value: None,
                new_value: None,
                outcome: "refused",
                clock: Some("fixed"),
            },
        )
        .expect("append");
        tx.commit().expect("commit");
        match verify(&db, None).expect("verify") {
            Verdict::Broken { id: at, reason } => {
                assert_eq!(at, id);
                assert!(reason.contains("fixed clock"), "{reason}");
            }
            other => panic!("{other:?}"),
        }
    }
}
