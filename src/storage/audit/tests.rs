//! The chain: encoding, keys, verification.

use super::list::{SHOWN_CHARS, short};
use super::*;
use crate::domain::clock::Clock;

fn db_with_rows(n: usize) -> Db {
    let day = NaiveDate::from_ymd_opt(2026, 11, 26).expect("date");
    let mut db = Db::open_in_memory(Clock::Fixed(day)).expect("db");
    db.write(|w| {
        for i in 0..n {
            record(w, "note.add", None, None, Some(&format!("note {i}")))?;
        }
        Ok::<_, StorageError>(())
    })
    .expect("rows");
    db
}

fn last_id(db: &Db) -> i64 {
    db.conn()
        .query_row("SELECT max(id) FROM audit", [], |r| r.get(0))
        .expect("max")
}

#[test]
fn a_new_chain_is_intact() {
    let db = db_with_rows(5);
    let head: String = db
        .conn()
        .query_row("SELECT hash FROM audit ORDER BY id DESC LIMIT 1", [], |r| {
            r.get(0)
        })
        .expect("head");
    match verify(&db, Some(&head)).expect("verify") {
        Verdict::Intact {
            rows,
            head: h,
            anchor_row,
        } => {
            assert_eq!(h, head);
            assert_eq!(i64::try_from(rows).ok(), Some(last_id(&db)));
            assert_eq!(anchor_row, Some(last_id(&db)));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_row_rewritten_with_its_hash_recomputed_is_caught_at_the_next_row() {
    let db = db_with_rows(5);
    let target = last_id(&db) - 2;
    let conn = db.conn();
    conn.execute_batch("DROP TRIGGER audit_no_update")
        .expect("drop");
    conn.execute(
        "UPDATE audit SET new_value = 'forged' WHERE id = ?1",
        [target],
    )
    .expect("edit");
    // The forger recomputes the row's own hash, as this program would.
    let (prev, hash) = conn
        .query_row(&format!("{SELECT_CHAIN} WHERE id = ?1"), [target], |r| {
            let f = fields(r)?;
            let prev = bytes(r, 11)?.unwrap_or_default().to_vec();
            let mut buf = Vec::new();
            encode(&mut buf, &prev, &f);
            Ok((prev, hex(&digest(None, &buf))))
        })
        .expect("recompute");
    assert_eq!(prev.len(), 64);
    conn.execute(
        "UPDATE audit SET hash = ?2 WHERE id = ?1",
        rusqlite::params![target, hash],
    )
    .expect("rehash");
    assert_eq!(
        verify(&db, None).expect("verify"),
        Verdict::Broken {
            id: target + 1,
            reason: format!(
                "its previous hash is not the hash of row {target}: a row between them was deleted, or one was inserted or rewritten"
            ),
        }
    );
}

#[test]
fn the_chain_migration_is_the_one_adding_the_hash_columns() {
    let at = usize::try_from(super::super::migrate::AUDIT_CHAIN_VERSION - 2).expect("index");
    let sql = super::super::migrate::MIGRATIONS
        .get(at)
        .expect("migration");
    assert!(sql.contains("ADD COLUMN prev_hash"), "{sql}");
}

#[test]
fn origin_is_the_client_address_and_port() {
    assert_eq!(
        parse_origin("192.0.2.7 52144 10.0.0.1 22").as_deref(),
        Some("192.0.2.7:52144")
    );
    assert_eq!(
        parse_origin("2001:db8::1 52144 2001:db8::2 22").as_deref(),
        Some("[2001:db8::1]:52144")
    );
    assert_eq!(parse_origin("nonsense"), None);
    assert_eq!(parse_origin(""), None);
}

#[test]
fn the_encoding_is_unambiguous() {
    let f = |old: Option<&'static [u8]>, new: Option<&'static [u8]>| Fields {
        id: 1,
        at: b"t",
        login: b"l",
        role: None,
        origin: None,
        action: b"a",
        case_id: None,
        patient_id: None,
        old_value: old,
        new_value: new,
        outcome: b"done",
        clock: None,
        rows: None,
    };
    let enc = |x: &Fields<'_>| {
        let mut b = Vec::new();
        encode(&mut b, GENESIS.as_bytes(), x);
        b
    };
    // Moving text between fields, or NULL against empty, changes the encoding.
    assert_ne!(
        enc(&f(Some(b"ab"), Some(b"c"))),
        enc(&f(Some(b"a"), Some(b"bc")))
    );
    assert_ne!(enc(&f(None, Some(b""))), enc(&f(Some(b""), None)));
    assert_ne!(enc(&f(None, None)), enc(&f(Some(b""), None)));
}

#[test]
fn anchors_are_64_hex_digits() {
    assert_eq!(
        parse_anchor(&"AB".repeat(32)).as_deref(),
        Ok("ab".repeat(32).as_str())
    );
    assert!(parse_anchor("abc").is_err());
    assert!(parse_anchor(&"g".repeat(64)).is_err());
}

#[test]
fn long_values_are_shortened_on_one_line() {
    let s = short(&format!("a\nb{}", "x".repeat(100)));
    assert_eq!(s.chars().count(), SHOWN_CHARS);
    assert!(!s.contains('\n'));
    assert!(s.ends_with('…'));
}

/// The key is the caller's (issue 13, point 5): storage never looks for
/// one. A file opened with it is keyed from its first row; with it (and
/// sealed) it verifies; without it, or with another, it is refused.
#[test]
fn the_key_the_caller_passes_keys_the_chain() {
    let dir = tempfile::tempdir().expect("dir");
    let key_file = |name: &str, byte: char| {
        let p = dir.path().join(name);
        std::fs::write(&p, byte.to_string().repeat(64)).expect("key");
        Key::from_file(&p).expect("a key")
    };
    let (key, other) = (key_file("key", 'a'), key_file("other", 'b'));
    let path = dir.path().join("t.sqlite");
    let day = NaiveDate::from_ymd_opt(2026, 11, 26).expect("date");
    let opening = |k: Option<&Key>| crate::storage::Opening {
        clock: Clock::Fixed(day),
        audit_key: k.cloned(),
    };
    let init = crate::storage::Init {
        admin: None,
        name: None,
        timezone: chrono_tz::Europe::Paris,
        demo: true,
    };
    let mut db = Db::create(&path, opening(Some(&key)), &init).expect("create");
    assert_eq!(db.meta(META_FROM).expect("meta").as_deref(), Some("1"));
    // A keyed chain verifies once sealed beside its key.
    seal::seal_key(&mut db).expect("sealed");
    let verdict = verify(&db, None);
    assert!(matches!(verdict, Ok(Verdict::Intact { .. })), "{verdict:?}");
    drop(db);
    let db = Db::open(&path, Clock::Fixed(day)).expect("opened without a key");
    assert!(matches!(
        verify(&db, None),
        Err(StorageError::AuditKeyNeeded)
    ));
    drop(db);
    let db = Db::open(&path, opening(Some(&other))).expect("opened with another key");
    assert!(matches!(
        verify(&db, None),
        Err(StorageError::AuditKeyMismatch)
    ));
}
