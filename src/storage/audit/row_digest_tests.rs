//! The row digests' two versions: each as documented (encoded here by
//! hand, independently of `row_digest`), and a file whose rows were claimed
//! in version 1 (written before version 2 existed) still verifying, fast
//! and in order, once new writes claim in version 2.

use std::collections::HashMap;

use rusqlite::types::ValueRef;
use sha2::{Digest, Sha256};

use super::live::{DIGEST_BYTES, Shape, TRACKED, Version};
use super::live_tests::{clock, committee, fast, shell};
use super::*;

fn sha16(buf: &[u8]) -> [u8; DIGEST_BYTES] {
    let full = Sha256::digest(buf);
    let mut d = [0; DIGEST_BYTES];
    d.copy_from_slice(&full[..DIGEST_BYTES]);
    d
}

fn len8(buf: &mut Vec<u8>, b: &[u8]) {
    buf.extend_from_slice(&(b.len() as u64).to_be_bytes());
    buf.extend_from_slice(b);
}

/// A value as the trail encodes it, with `len` bytes of length for text
/// and blobs.
fn value(buf: &mut Vec<u8>, v: ValueRef<'_>, len: usize) {
    let sized = |buf: &mut Vec<u8>, tag: u8, b: &[u8]| {
        buf.push(tag);
        buf.extend_from_slice(&(b.len() as u64).to_be_bytes()[8 - len..]);
        buf.extend_from_slice(b);
    };
    match v {
        ValueRef::Null => buf.push(0),
        ValueRef::Integer(i) => {
            buf.push(2);
            buf.extend_from_slice(&i.to_be_bytes());
        }
        ValueRef::Real(f) => {
            buf.push(5);
            buf.extend_from_slice(&f.to_bits().to_be_bytes());
        }
        ValueRef::Text(t) => sized(buf, 1, t),
        ValueRef::Blob(b) => sized(buf, 6, b),
    }
}

/// Every live row's digest in both versions, by hand, against
/// `row_digest`.
#[test]
fn both_versions_encode_as_documented() {
    let (_dir, path) = committee();
    let conn = shell(&path);
    let mut checked = 0;
    for &table in TRACKED {
        let shape = Shape::of(&conn, table).expect("shape");
        let mut stmt = conn.prepare(&shape.select()).expect("select");
        let mut q = stmt.query([]).expect("rows");
        while let Some(r) = q.next().expect("row") {
            let mut key = Vec::new();
            for &i in &shape.key {
                value(&mut key, r.get_ref(i).expect("key"), 8);
            }
            let mut v1 = b"ir-committee/row@1\0".to_vec();
            len8(&mut v1, table.as_bytes());
            len8(&mut v1, &key);
            let mut v2 = b"ir-committee/row@2\0".to_vec();
            v2.push(table.len() as u8);
            v2.extend_from_slice(table.as_bytes());
            v2.extend_from_slice(&(key.len() as u32).to_be_bytes());
            v2.extend_from_slice(&key);
            for (i, name) in shape.columns.iter().enumerate() {
                let v = r.get_ref(i).expect("value");
                if name == live::COLUMN || matches!(v, ValueRef::Null) {
                    continue;
                }
                len8(&mut v1, name.as_bytes());
                value(&mut v1, v, 8);
                if !shape.key.contains(&i) {
                    v2.extend_from_slice(&(i as u16).to_be_bytes());
                    value(&mut v2, v, 4);
                }
            }
            let mut kbuf = Vec::new();
            let mut dbuf = Vec::new();
            live::key_of(&shape, r, &mut kbuf).expect("key");
            assert_eq!(kbuf, key, "{table}");
            let d1 = live::digest_as(Version::V1, &shape, &kbuf, r, &mut dbuf).expect("v1");
            let d2 = live::digest_as(Version::V2, &shape, &kbuf, r, &mut dbuf).expect("v2");
            assert_eq!(d1, sha16(&v1), "{table} v1");
            assert_eq!(d2, sha16(&v2), "{table} v2");
            assert_eq!(live::digest_of(&shape, &kbuf, r, &mut dbuf).expect("d"), d2);
            assert!(v2.len() < v1.len(), "{table}: version 2 hashes fewer bytes");
            checked += 1;
        }
    }
    assert!(checked > 300, "{checked}");
}

/// Rewrites the file as a program of before version 2 would have left it:
/// every claim in version 1 (the latest claim of each row with its version
/// 1 digest), the chain recomputed (no key).
fn as_version_1(path: &std::path::Path) {
    let conn = shell(path);
    conn.execute_batch("DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;")
        .expect("triggers");
    let mut blobs: Vec<(i64, Vec<u8>)> = Vec::new();
    {
        let mut stmt = conn
            .prepare("SELECT id, rows FROM audit WHERE rows IS NOT NULL ORDER BY id")
            .expect("select");
        let mut q = stmt.query([]).expect("rows");
        while let Some(r) = q.next().expect("row") {
            blobs.push((r.get(0).expect("id"), r.get(1).expect("rows")));
        }
    }
    // The last claim of each row: only its digest is ever checked.
    let mut last: HashMap<(Vec<u8>, Vec<u8>), i64> = HashMap::new();
    for (id, rows) in &blobs {
        for c in live::claims(rows).expect("claims") {
            last.insert((c.table.to_vec(), c.key.to_vec()), *id);
        }
    }
    let mut dbuf = Vec::new();
    for (id, rows) in &blobs {
        let mut out = Vec::new();
        for c in live::claims(rows).expect("claims") {
            let table = TRACKED
                .iter()
                .copied()
                .find(|t| t.as_bytes() == c.table)
                .expect("table");
            let mut digest = c.digest;
            if digest.is_some() && last.get(&(c.table.to_vec(), c.key.to_vec())) == Some(id) {
                let shape = Shape::of(&conn, table).expect("shape");
                let mut kbuf = Vec::new();
                let mut stmt = conn.prepare(&shape.select()).expect("select");
                let mut q = stmt.query([]).expect("rows");
                while let Some(r) = q.next().expect("row") {
                    live::key_of(&shape, r, &mut kbuf).expect("key");
                    if kbuf == c.key {
                        digest = Some(
                            live::digest_as(Version::V1, &shape, &kbuf, r, &mut dbuf).expect("v1"),
                        );
                    }
                }
            }
            live::put_claim(&mut out, table, c.key, digest);
        }
        out[0] = Version::V1.byte();
        conn.execute(
            "UPDATE audit SET rows = ?2 WHERE id = ?1",
            rusqlite::params![id, out],
        )
        .expect("rewrite");
    }
    forge::rehash_trail_plain(&conn).expect("rehash");
    conn.execute_batch(crate::storage::migrate::AUDIT_APPEND_ONLY)
        .expect("triggers back");
}

#[test]
fn claims_of_version_1_still_verify_beside_new_ones_of_version_2() {
    let (_dir, path) = committee();
    as_version_1(&path);
    let versions = |path: &std::path::Path| -> Vec<u8> {
        let conn = shell(path);
        let mut stmt = conn
            .prepare("SELECT DISTINCT substr(rows, 1, 1) FROM audit WHERE rows IS NOT NULL")
            .expect("versions");
        let mut v: Vec<u8> = stmt
            .query_map([], |r| r.get::<_, Vec<u8>>(0))
            .expect("rows")
            .map(|b| b.expect("byte")[0])
            .collect();
        v.sort_unstable();
        v
    };
    assert_eq!(versions(&path), vec![1]);
    let all_v1 = fast(&path, true, None).expect("the fast pass verifies version 1");
    let mut db = Db::open(&path, clock()).expect("open");
    assert!(matches!(
        super::live_verify::verify_live_in_order(&db).expect("walk"),
        LiveVerdict::Match { .. }
    ));
    // New writes claim in version 2; the rows they leave alone keep their
    // version 1 claims.
    db.write(|w| crate::storage::notes::add(w, 2, "plus tard", "test"))
        .expect("note");
    drop(db);
    assert_eq!(versions(&path), vec![1, 2]);
    let mixed = fast(&path, true, None).expect("the fast pass verifies both");
    assert_eq!(mixed.1, all_v1.1 + 1);
    let db = Db::open(&path, clock()).expect("open");
    assert!(matches!(
        super::live_verify::verify_live_in_order(&db).expect("walk"),
        LiveVerdict::Match { .. }
    ));
    // A version 1 claim still catches an edit.
    shell(&path)
        .execute_batch("UPDATE cases SET status = 'validated' WHERE id = 3")
        .expect("edit");
    assert_eq!(fast(&path, true, None), None);
    match super::live_verify::verify_live_in_order(&db).expect("walk") {
        LiveVerdict::Mismatch { table, row, .. } => {
            assert_eq!((table.as_str(), row.as_str()), ("cases", "row 3"));
        }
        other => panic!("{other:?}"),
    }
}
