//! The digest of a live row, as an audit row's claim records it
//! ([`super::live`]). Two versions; a `rows` value's first byte says which
//! its digests are, so a claim is always checked against the digest it was
//! written with.
//!
//! - **Version 1** (claims written by schema versions 14 to 17): SHA-256 of
//!   `ir-committee/row@1\0`, the table and the key (each length-prefixed,
//!   8 bytes big-endian), then every column but `audit_row` that is not
//!   NULL: its name (length-prefixed) and its value as the trail encodes
//!   values (NULL 0, text 1 + length + bytes, integer 2 + 8 bytes, real 5 +
//!   8 bytes, blob 6 + length + bytes).
//! - **Version 2** (every claim written from schema version 18 on,
//!   migration baselines included): the same facts in
//!   fewer bytes, since hashing is most of what `audit --verify` spends on
//!   millions of rows: SHA-256 of `ir-committee/row@2\0`, the table's name
//!   (1 byte of length), the key (4 bytes of length), then every column that
//!   is neither `audit_row`, nor part of the key (already there), nor NULL:
//!   its position in the table (2 bytes) and its value (text and blob
//!   lengths on 4 bytes). A column added later (always at the end, NULL
//!   everywhere) changes no digest; a migration that drops or reorders a
//!   tracked table's columns claims its rows again.
//!
//! Both truncated to [`DIGEST_BYTES`]. No two different rows of a table
//! encode alike in either version.

use rusqlite::types::ValueRef;
use sha2::{Digest, Sha256};

use super::super::Result;
use super::live::{DIGEST_BYTES, Shape, put_bytes, put_value, put_value_with};

/// Which digest a claim holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Version {
    V1,
    V2,
}

impl Version {
    /// What every claim is written with.
    pub const LATEST: Version = Version::V2;

    /// The first byte of a `rows` value holding digests of this version.
    pub const fn byte(self) -> u8 {
        match self {
            Version::V1 => 1,
            Version::V2 => 2,
        }
    }

    pub fn of_byte(b: u8) -> Option<Version> {
        match b {
            1 => Some(Version::V1),
            2 => Some(Version::V2),
            _ => None,
        }
    }
}

/// The digest of a row as claims are written now ([`Version::LATEST`]).
/// `key` is the row's key as [`super::live::key_of`] encoded it.
pub(crate) fn digest_of(
    shape: &Shape,
    key: &[u8],
    row: &rusqlite::Row<'_>,
    buf: &mut Vec<u8>,
) -> Result<[u8; DIGEST_BYTES]> {
    digest_as(Version::LATEST, shape, key, row, buf)
}

/// The digest of a row in `version`. `key` is the row's key as
/// [`super::live::key_of`] encoded it: its columns are taken from it
/// rather than read again.
pub(crate) fn digest_as(
    version: Version,
    shape: &Shape,
    key: &[u8],
    row: &rusqlite::Row<'_>,
    buf: &mut Vec<u8>,
) -> Result<[u8; DIGEST_BYTES]> {
    buf.clear();
    match version {
        Version::V1 => encode_v1(shape, key, row, buf)?,
        Version::V2 => encode_v2(shape, key, row, buf)?,
    }
    let full = Sha256::digest(&buf[..]);
    let mut d = [0; DIGEST_BYTES];
    d.copy_from_slice(&full[..DIGEST_BYTES]);
    Ok(d)
}

fn encode_v1(shape: &Shape, key: &[u8], row: &rusqlite::Row<'_>, buf: &mut Vec<u8>) -> Result<()> {
    let mut fields: [&[u8]; 8] = [&[]; 8];
    let mut n = 0;
    for f in key_fields(key).take(fields.len()) {
        fields[n] = f;
        n += 1;
    }
    buf.extend_from_slice(b"ir-committee/row@1\0");
    put_bytes(buf, shape.table.as_bytes());
    put_bytes(buf, key);
    for (i, name) in shape.named.iter().enumerate() {
        if i == shape.audit_row {
            continue;
        }
        if let Some(j) = shape.key_pos[i]
            && j < n
        {
            if fields[j] != [0] {
                buf.extend_from_slice(name);
                buf.extend_from_slice(fields[j]);
            }
            continue;
        }
        let v = row.get_ref(i)?;
        if matches!(v, ValueRef::Null) {
            continue;
        }
        buf.extend_from_slice(name);
        put_value(buf, v);
    }
    Ok(())
}

fn encode_v2(shape: &Shape, key: &[u8], row: &rusqlite::Row<'_>, buf: &mut Vec<u8>) -> Result<()> {
    buf.extend_from_slice(b"ir-committee/row@2\0");
    let table = shape.table.as_bytes();
    // Table names are ASCII identifiers of a few letters.
    buf.push(u8::try_from(table.len()).unwrap_or(u8::MAX));
    buf.extend_from_slice(&table[..table.len().min(usize::from(u8::MAX))]);
    put_len32(buf, key.len());
    buf.extend_from_slice(key);
    for i in 0..shape.columns.len() {
        if i == shape.audit_row || shape.key_pos[i].is_some() {
            continue;
        }
        let v = row.get_ref(i)?;
        if matches!(v, ValueRef::Null) {
            continue;
        }
        buf.extend_from_slice(&u16::try_from(i).unwrap_or(u16::MAX).to_be_bytes());
        put_value_with(buf, v, 4);
    }
    Ok(())
}

/// A length on 4 bytes, big-endian (SQLite's values are at most 2^31 - 1
/// bytes).
fn put_len32(buf: &mut Vec<u8>, n: usize) {
    buf.extend_from_slice(&u32::try_from(n).unwrap_or(u32::MAX).to_be_bytes());
}

/// The fields of a key as [`super::live::key_of`] encodes them, each with
/// its tag.
fn key_fields(key: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut rest = key;
    std::iter::from_fn(move || {
        let len = match rest.first()? {
            2 | 5 => 9,
            1 | 6 => {
                let n = rest.get(1..9)?;
                9 + usize::try_from(u64::from_be_bytes(n.try_into().ok()?)).ok()?
            }
            _ => 1,
        };
        let (field, tail) = rest.split_at_checked(len)?;
        rest = tail;
        Some(field)
    })
}
