//! The append-only triggers, checked (issue 12, point 3).
//!
//! The audit trail and the read trace are append-only because of triggers
//! (migrations 4, 12, 13 and 14); whoever can write the file with the sqlite3
//! shell can drop or replace them. Before every write ([`crate::storage::Db::write`])
//! each of them must be in the file exactly as the code creates it (its
//! SQL in `sqlite_schema`, whitespace outside quotes normalised): else the
//! write is refused with one line naming the trigger, and
//! `audit --verify` fails naming it. Reads go on (the read trace included:
//! its chain still tells).
//!
//! The check runs on every write rather than once at open, so that a
//! trigger dropped while a screen is open is caught as well. Changing the
//! text of one of these triggers in the code needs a migration that
//! recreates it: files made before would otherwise refuse every write.

use std::collections::HashMap;
use std::sync::OnceLock;

#[allow(unused_imports)]
use super::*;

/// Where the code creates them, in migration order: a later trigger of the
/// same name replaces an earlier one (migration 13 replaced
/// `reads_no_delete`, migration 14 `reads_checkpoint_update`).
fn sources() -> [&'static str; 4] {
    [
        crate::storage::migrate::AUDIT_APPEND_ONLY,
        reads::SCHEMA,
        prune::SCHEMA,
        live::SCHEMA,
    ]
}

/// Every `CREATE TRIGGER … END;` of `sql`: its name and its text (without
/// the final semicolon).
fn creates(sql: &str) -> Vec<(&str, &str)> {
    const CREATE: &str = "CREATE TRIGGER ";
    let mut out = Vec::new();
    let mut rest = sql;
    while let Some(i) = rest.find(CREATE) {
        let from = &rest[i..];
        let Some(end) = from.find("END;") else { break };
        let text = &from[..end + 3];
        let name = text[CREATE.len()..].split_whitespace().next().unwrap_or("");
        out.push((name, text));
        rest = &from[end + 4..];
    }
    out
}

/// The text compared: runs of whitespace outside quotes become one space;
/// no space at either end; no final semicolon.
fn normalise(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut quote: Option<char> = None;
    let mut space = false;
    for c in sql.trim().trim_end_matches(';').trim_end().chars() {
        match quote {
            Some(q) => {
                out.push(c);
                if c == q {
                    quote = None;
                }
            }
            None if c.is_whitespace() => space = true,
            None => {
                if space && !out.is_empty() {
                    out.push(' ');
                }
                space = false;
                if matches!(c, '\'' | '"' | '`') {
                    quote = Some(c);
                }
                out.push(c);
            }
        }
    }
    out
}

/// The append-only triggers the code creates, in order: name and SQL as
/// written there.
pub fn expected() -> &'static [(String, String)] {
    static EXPECTED: OnceLock<Vec<(String, String)>> = OnceLock::new();
    EXPECTED.get_or_init(|| {
        let mut list: Vec<(String, String)> = Vec::new();
        for sql in sources() {
            for (name, text) in creates(sql) {
                match list.iter_mut().find(|(n, _)| n == name) {
                    Some(entry) => entry.1 = text.to_owned(),
                    None => list.push((name.to_owned(), text.to_owned())),
                }
            }
        }
        list
    })
}

/// The SQL that creates the trigger `name` as the code does (to restore
/// one, or for tests that tamper and put it back).
pub fn create_sql(name: &str) -> Option<&'static str> {
    expected()
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, sql)| sql.as_str())
}

/// What is wrong with the append-only triggers of the file on `conn`: one
/// line naming each missing or altered trigger; None when all are there
/// exactly as written in the code.
pub fn problems(conn: &Connection) -> Result<Option<String>> {
    let mut stmt =
        conn.prepare_cached("SELECT name, sql FROM sqlite_schema WHERE type = 'trigger'")?;
    let found: HashMap<String, Option<String>> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    static NORMALISED: OnceLock<Vec<(&'static str, String)>> = OnceLock::new();
    let wanted = NORMALISED.get_or_init(|| {
        expected()
            .iter()
            .map(|(name, sql)| (name.as_str(), normalise(sql)))
            .collect()
    });
    let (mut missing, mut altered) = (Vec::new(), Vec::new());
    for (name, sql) in wanted {
        match found.get(*name) {
            None => missing.push(*name),
            Some(have) if have.as_deref().map(normalise).as_ref() != Some(sql) => {
                altered.push(*name);
            }
            Some(_) => {}
        }
    }
    let said = |names: &[&str], one: &str, many: &str| match names {
        [] => None,
        [n] => Some(format!("the append-only trigger {n} {one}")),
        _ => Some(format!(
            "the append-only triggers {} {many}",
            names.join(", ")
        )),
    };
    let parts: Vec<String> = [
        said(&missing, "is missing", "are missing"),
        said(
            &altered,
            "differs from the one ir-committee creates",
            "differ from those ir-committee creates",
        ),
    ]
    .into_iter()
    .flatten()
    .collect();
    Ok((!parts.is_empty()).then(|| parts.join("; ")))
}

/// Refuses when an append-only trigger is missing or altered: before every
/// write, and by `audit --verify`.
pub fn require(conn: &Connection) -> Result<()> {
    match problems(conn)? {
        None => Ok(()),
        Some(what) => Err(StorageError::Triggers(what)),
    }
}

/// [`problems`] of an open database (`audit --verify`).
pub fn check(db: &Db) -> Result<Option<String>> {
    problems(db.conn())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::clock::Clock;

    fn db() -> Db {
        let day = NaiveDate::from_ymd_opt(2026, 11, 26).expect("date");
        Db::open_in_memory(Clock::Fixed(day)).expect("db")
    }

    #[test]
    fn every_append_only_trigger_is_listed_once_in_its_latest_form() {
        let names: Vec<&str> = expected().iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "audit_no_update",
                "audit_no_delete",
                "reads_no_update",
                "reads_no_delete",
                "reads_checkpoint_insert",
                "reads_checkpoint_update",
                "reads_checkpoint_delete",
            ]
        );
        // Migration 13's delete trigger, not migration 12's.
        assert!(
            create_sql("reads_no_delete")
                .is_some_and(|s| s.contains("reads_pruned_through") && s.ends_with("END"))
        );
    }

    #[test]
    fn a_new_file_has_them_all_and_writes() {
        let mut db = db();
        assert_eq!(problems(db.conn()).expect("check"), None);
        db.write(|w| record(w, "note.add", None, None, Some("x")))
            .expect("a write");
    }

    #[test]
    fn a_dropped_or_replaced_trigger_refuses_every_write_naming_it() {
        let mut db = db();
        db.conn()
            .execute_batch("DROP TRIGGER audit_no_delete")
            .expect("drop");
        let err = db
            .write(|w| record(w, "note.add", None, None, Some("x")))
            .expect_err("refused");
        assert!(matches!(err, StorageError::Triggers(_)), "{err}");
        let line = err.to_string();
        assert!(
            line.contains("the append-only trigger audit_no_delete is missing"),
            "{line}"
        );
        assert_eq!(line.lines().count(), 1);
        // Put back as the code writes it, then replaced by one that lets
        // everything through: caught too.
        db.conn()
            .execute_batch(create_sql("audit_no_delete").expect("sql"))
            .expect("restore");
        db.write(|w| record(w, "note.add", None, None, Some("x")))
            .expect("writes again");
        db.conn()
            .execute_batch(
                "DROP TRIGGER reads_no_update;
                 CREATE TRIGGER reads_no_update BEFORE UPDATE ON reads BEGIN SELECT 1; END;",
            )
            .expect("replace");
        let err = db
            .write(|w| record(w, "note.add", None, None, Some("x")))
            .expect_err("refused");
        assert!(
            err.to_string().contains(
                "the append-only trigger reads_no_update differs from the one ir-committee creates"
            ),
            "{err}"
        );
        // Reads go on.
        assert!(list(&db, None).is_ok());
    }

    #[test]
    fn whitespace_outside_quotes_does_not_matter_but_inside_does() {
        assert_eq!(
            normalise("  CREATE TRIGGER t\n    BEGIN SELECT RAISE(ABORT, 'a  b'); END;"),
            "CREATE TRIGGER t BEGIN SELECT RAISE(ABORT, 'a  b'); END"
        );
        assert_ne!(
            normalise("SELECT 'a  b'"),
            normalise("SELECT 'a b'"),
            "a message is compared as written"
        );
    }
}
