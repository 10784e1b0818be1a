//! Migration 7's backfill of the re-import bases.
use super::*;
use crate::domain::clock::Clock;
use crate::storage::Db;

/// A file written before migration 7: what an import wrote gets a base,
/// written exactly as an import writes it (every field of every fixture
/// case compared); what a form wrote ('edit') none; a case older than
/// the window none.
#[test]
fn the_backfill_gives_imported_rows_the_base_an_import_writes() {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 26).expect("date");
    let mut db = Db::open_in_memory(Clock::Fixed(today)).expect("db");
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/week.json"),
    )
    .expect("fixture");
    crate::import::import_text(
        &mut db,
        &text,
        None,
        "import:week.json",
        crate::import::Mode::Write,
    )
    .expect("import");
    let conn = db.conn();
    let rows = |conn: &Connection| -> Vec<(i64, String, String)> {
        let mut stmt = conn
            .prepare(
                // The access route came after migration 7 (none had one).
                "SELECT case_id, item, value FROM import_base
                 WHERE value <> 'null' AND item <> 'access' ORDER BY case_id, item",
            )
            .expect("prepare");
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .expect("query")
            .collect::<rusqlite::Result<Vec<_>>>()
            .expect("rows")
    };
    let written_by_import = rows(conn);
    assert!(
        written_by_import.len() > 34 * 10,
        "{}",
        written_by_import.len()
    );
    conn.execute_batch(
        "DELETE FROM import_base;
         UPDATE evidence SET source = 'edit' WHERE case_id = 1 AND kind = 'coagulation';
         UPDATE cases SET scheduled_at = '2026-08-01T08:00' WHERE id = 2;",
    )
    .expect("as before migration 7");
    backfill(conn, today).expect("backfill");
    let expected: Vec<(i64, String, String)> = written_by_import
        .into_iter()
        .filter(|(case, item, _)| !(*case == 1 && item == "coagulation") && *case != 2)
        .collect();
    assert_eq!(rows(conn), expected);
}
