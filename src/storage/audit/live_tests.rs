//! The trail against the live tables (issue 12, point 2): what an insider
//! with the sqlite3 shell would do is caught, named by table and internal
//! row id only.

use std::path::{Path, PathBuf};

use super::live::{EXEMPT, TRACKED};
use super::*;

pub(super) use crate::testkit::clock;

/// A file with the fixture week imported and a note: made once per test
/// process and copied.
pub(super) fn committee() -> (tempfile::TempDir, PathBuf) {
    static COMMITTEE: crate::testkit::Template =
        crate::testkit::Template::new("t.sqlite", |path| {
            let (_dir, fixture) = crate::testkit::fixture_db();
            std::fs::copy(&fixture, path).expect("copy");
            let mut db = Db::open(path, clock()).expect("open");
            db.write(|w| crate::storage::notes::add(w, 1, "à revoir", "test"))
                .expect("note");
        });
    COMMITTEE.copy()
}

/// What `audit --verify`'s cross-check says, on a fresh connection.
fn verdict(path: &Path) -> LiveVerdict {
    let db = Db::open(path, clock()).expect("open");
    verify_live(&db).expect("verify")
}

/// A connection as the sqlite3 shell would have: none of the app's capture.
pub(super) fn shell(path: &Path) -> rusqlite::Connection {
    rusqlite::Connection::open(path).expect("shell")
}

fn names_of_patients(path: &Path) -> Vec<String> {
    let conn = shell(path);
    let mut stmt = conn
        .prepare("SELECT last_name, ipp FROM patients UNION SELECT external_id, '' FROM cases")
        .expect("names");
    stmt.query_map([], |r| Ok([r.get::<_, String>(0)?, r.get::<_, String>(1)?]))
        .expect("rows")
        .flat_map(|r| r.expect("row"))
        .filter(|s| s.len() > 2)
        .collect()
}

#[test]
fn every_table_of_a_new_file_is_tracked_or_exempt_with_a_reason() {
    let db = Db::open_in_memory(clock()).expect("db");
    let tables: Vec<String> = db
        .conn()
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        .expect("tables")
        .query_map([], |r| r.get(0))
        .expect("rows")
        .collect::<rusqlite::Result<_>>()
        .expect("names");
    for t in &tables {
        let tracked = TRACKED.contains(&t.as_str());
        let exempt = EXEMPT.iter().any(|(e, why)| e == t && !why.is_empty());
        assert!(
            tracked ^ exempt,
            "table {t}: list it in live::TRACKED (a write changes it) or in live::EXEMPT with why"
        );
    }
    for t in TRACKED.iter().chain(EXEMPT.iter().map(|(t, _)| t)) {
        assert!(
            tables.iter().any(|n| n == t),
            "{t} is listed but not in the schema"
        );
    }
}

/// The fast pass alone, without the walks in order behind it: the chain's
/// verdict (when `chain`) and the live rows, or None.
pub(super) fn fast(
    path: &Path,
    chain: bool,
    anchor: Option<&str>,
) -> Option<(Option<Verdict>, u64)> {
    let chain = chain.then_some(super::verify_fast::Chain {
        key: None,
        keyed_from: i64::MAX,
        anchor,
    });
    let (passed, ()) = super::verify_fast::pass(path, chain, || ()).expect("pass");
    passed.map(|p| (p.chain, p.live_rows))
}

#[test]
fn what_the_app_writes_matches_the_trail() {
    let (_dir, path) = committee();
    match verdict(&path) {
        LiveVerdict::Match { rows, tables } => {
            assert!(rows > 300, "{rows}");
            assert_eq!(tables, TRACKED.len());
            // The fast pass (not the walk in order) said so, and agrees.
            assert_eq!(fast(&path, false, None), Some((None, rows)));
        }
        other => panic!("{other:?}"),
    }
}

/// The fast pass checks the chain in parts: it finds what the walk in
/// order finds when all is well (rows, head, the anchor's row), and defers
/// to it at any row that does not fit.
#[test]
fn the_fast_pass_agrees_with_the_walk_of_the_chain() {
    let (_dir, path) = committee();
    let db = Db::open(&path, clock()).expect("open");
    let walked = super::verify::verify_chain(db.conn(), None, None).expect("walk");
    let Verdict::Intact { rows, head, .. } = walked.clone() else {
        panic!("{walked:?}");
    };
    assert!(rows > 8, "{rows} rows: the chain is read in several parts");
    let anchor_row: i64 = db
        .conn()
        .query_row("SELECT id FROM audit WHERE id = 3", [], |r| r.get(0))
        .expect("row 3");
    let anchor: String = db
        .conn()
        .query_row("SELECT hash FROM audit WHERE id = 3", [], |r| r.get(0))
        .expect("hash");
    let (chain, live) = fast(&path, true, Some(&anchor)).expect("fast pass");
    assert_eq!(
        chain,
        Some(Verdict::Intact {
            rows,
            head: head.clone(),
            anchor_row: Some(anchor_row),
        })
    );
    assert!(live > 300, "{live}");
    let missing = "0".repeat(63) + "1";
    assert_eq!(
        fast(&path, true, Some(&missing)).map(|(c, _)| c),
        Some(Some(Verdict::AnchorNotFound { rows, head }))
    );
    drop(db);
    let tamperings = [
        "DROP TRIGGER audit_no_update; UPDATE audit SET login = 'x' WHERE id = 5",
        "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE id = 6",
        "DROP TRIGGER audit_no_update; UPDATE audit SET prev_hash = hash WHERE id = 7",
    ];
    for sql in tamperings {
        let (_dir, path) = committee();
        shell(&path).execute_batch(sql).expect(sql);
        assert_eq!(fast(&path, true, None), None, "{sql}");
        let db = Db::open(&path, clock()).expect("open");
        let walked = super::verify::verify_chain(db.conn(), None, None).expect("walk");
        assert!(
            matches!(walked, Verdict::Broken { .. }),
            "{sql}: {walked:?}"
        );
    }
}

/// Each tampering, what the cross-check must name (table, row, words of
/// the reason).
#[test]
fn tampering_behind_the_apps_back_is_caught_and_named_by_internal_ids_only() {
    let table: &[(&str, &str, &str, &str, &str)] = &[
        (
            "a decision edited",
            "UPDATE decisions SET decision = 'validated'",
            "decisions",
            "row 1",
            "changed behind",
        ),
        (
            "a case's status edited",
            "UPDATE cases SET status = 'validated' WHERE id = 3",
            "cases",
            "row 3",
            "changed behind",
        ),
        (
            "the trail emptied",
            "DROP TRIGGER audit_no_delete; DELETE FROM audit;",
            "meta",
            "row 1",
            "no audit row wrote it",
        ),
        (
            "the trail's tail cut off",
            "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE id = (SELECT max(id) FROM audit);",
            "cases",
            "row 1",
            "the trail's tail was cut off",
        ),
        (
            "a live row deleted",
            "DELETE FROM evidence WHERE case_id = 5 AND kind = 'imaging'",
            "evidence",
            "a row written by audit row",
            "no longer exists",
        ),
        (
            "a row inserted",
            "INSERT INTO notes (case_id, at, author, body, source) VALUES (2, 'x', 'y', 'z', 'w')",
            "notes",
            "row 2",
            "no audit row wrote it",
        ),
        (
            "a row pointed at another audit row",
            "UPDATE patients SET audit_row = audit_row - 1 WHERE id = 2",
            "patients",
            "row 2",
            "the last audit row to write it is",
        ),
        (
            "a rules threshold edited",
            "UPDATE rules SET value = 3 WHERE rule = 'coagulation.inr_max' AND risk = 'high'",
            "rules",
            "row",
            "changed behind",
        ),
        (
            "a user's role edited",
            "UPDATE users SET role = 'auditor'",
            "users",
            "row",
            "changed behind",
        ),
        (
            "evidence of a case edited",
            "UPDATE evidence SET data = '{}' WHERE kind = 'coagulation'
               AND case_id = (SELECT max(case_id) FROM evidence WHERE kind = 'coagulation')",
            "evidence",
            "the row with case_id=",
            "changed behind",
        ),
    ];
    for (what, sql, t, row_words, reason_words) in table {
        let (_dir, path) = committee();
        // The decision some of the lines edit.
        {
            let mut db = Db::open(&path, clock()).expect("open");
            let entry = crate::storage::decisions::NewDecision::Cancelled {
                reason: "test".into(),
            };
            db.write(|w| crate::storage::decisions::record(w, 1, None, &entry))
                .expect("decision");
        }
        let names = names_of_patients(&path);
        shell(&path).execute_batch(sql).expect(what);
        assert_eq!(
            fast(&path, false, None),
            None,
            "{what}: the fast pass let it through"
        );
        match verdict(&path) {
            LiveVerdict::Mismatch { table, row, reason } => {
                assert_eq!(&table, t, "{what}: {row}: {reason}");
                assert!(row.contains(row_words), "{what}: {row}");
                assert!(reason.contains(reason_words), "{what}: {reason}");
                let shown = format!("{table} {row} {reason}");
                for n in &names {
                    assert!(!shown.contains(n.as_str()), "{what}: {shown} shows {n}");
                }
            }
            other => panic!("{what}: not caught: {other:?}"),
        }
    }
}

#[test]
fn a_row_put_back_as_it_was_with_its_old_audit_row_is_caught() {
    let (_dir, path) = committee();
    let old: (String, i64) = shell(&path)
        .query_row("SELECT body, audit_row FROM notes WHERE id = 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .expect("old");
    {
        let mut db = Db::open(&path, clock()).expect("open");
        db.write(|w| {
            w.tx()
                .execute("UPDATE notes SET body = 'corrigé' WHERE id = 1", [])?;
            record(w, "note.edit", Some(1), None, Some("corrigé"))
        })
        .expect("edit");
    }
    assert!(matches!(verdict(&path), LiveVerdict::Match { .. }));
    shell(&path)
        .execute(
            "UPDATE notes SET body = ?1, audit_row = ?2 WHERE id = 1",
            rusqlite::params![old.0, old.1],
        )
        .expect("put back");
    match verdict(&path) {
        LiveVerdict::Mismatch { table, row, reason } => {
            assert_eq!((table.as_str(), row.as_str()), ("notes", "row 1"));
            assert!(
                reason.contains("the last audit row to write it"),
                "{reason}"
            );
        }
        other => panic!("not caught: {other:?}"),
    }
}

#[test]
fn rows_changed_after_the_last_audit_row_are_claimed_at_commit() {
    let (_dir, path) = committee();
    let mut db = Db::open(&path, clock()).expect("open");
    db.write(|w| {
        record(w, "note.edit", Some(1), None, Some("x"))?;
        w.tx()
            .execute("UPDATE notes SET body = 'après' WHERE id = 1", [])?;
        Ok::<_, StorageError>(())
    })
    .expect("write");
    let last = list(&db, None).expect("audit").pop().expect("row");
    assert_eq!(last.action, live::CLAIM_ACTION);
    assert!(matches!(
        verify_live(&db).expect("verify"),
        LiveVerdict::Match { .. }
    ));
}

#[test]
fn claims_read_back_as_written_and_garbage_is_refused() {
    let (_dir, path) = committee();
    let rows: Vec<u8> = shell(&path)
        .query_row(
            "SELECT rows FROM audit WHERE action = 'note.add'",
            [],
            |r| r.get(0),
        )
        .expect("rows");
    let claims = live::claims(&rows).expect("claims");
    assert_eq!(claims.len(), 1);
    assert_eq!(claims[0].table, b"notes");
    assert!(claims[0].digest.is_some());
    assert_eq!(live::claims(&rows[..rows.len() - 1]), None);
    assert_eq!(live::claims(&[9, 0]), None);
    assert_eq!(live::claims(&[]), None);
}
