//! The sort-merge of the cross-check's fast path ([`super::verify_fast`]):
//! the trail's claims and the live rows, each reduced to a flat record,
//! sorted by key and walked side by side. No map of millions of claims,
//! whose random accesses cost more than reading the file.
//!
//! Keys are compared by their first field when it is an integer (a row id
//! or a case's), the first 8 bytes of the next field (so that most parts,
//! read in key order, need no sorting) and a 64-bit hash of the whole key,
//! keyed at random for each run ([`super::live_verify::slot64`]): nobody
//! preparing a file can make two keys share all three, and by chance two
//! keys with the same first two fields collide with odds of about 2^-64.

use super::live::{DIGEST_BYTES, Version};
use super::live_verify::slot64;

/// A claim, or a live row, reduced to what the merge compares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Rec {
    /// The key's first field when it is an integer, else `i64::MAX`.
    pub first: i64,
    /// The next field's first 8 bytes (text, blob) or value (integer), in
    /// an order that follows SQLite's.
    pub second: u64,
    /// A hash of the whole key and its table.
    pub hash: u64,
    /// The audit row that claims it, or that the live row names.
    pub audit: i64,
    pub digest: [u8; DIGEST_BYTES],
    /// A claim: the row exists (else the write deleted it). A live row: it
    /// names an audit row (its `audit_row` is not NULL).
    pub flag: bool,
    /// The digest's version: a claim's, or the one a live row's was
    /// computed in.
    pub version: Version,
}

impl Rec {
    /// A record of `key` (encoded as [`super::live::key_of`] does) in the
    /// table at `table` in [`super::live::TRACKED`].
    pub fn new(
        table: u8,
        key: &[u8],
        audit: i64,
        (digest, version): ([u8; DIGEST_BYTES], Version),
        flag: bool,
    ) -> Rec {
        let (first, rest) = match key {
            [2, a, b, c, d, e, f, g, h, rest @ ..] => {
                (i64::from_be_bytes([*a, *b, *c, *d, *e, *f, *g, *h]), rest)
            }
            _ => (i64::MAX, key),
        };
        Rec {
            first,
            second: prefix(rest),
            hash: slot64(table, key),
            audit,
            digest,
            flag,
            version,
        }
    }

    fn key(&self) -> (i64, u64, u64) {
        (self.first, self.second, self.hash)
    }
}

/// An encoded field (as [`super::live::put_value`] writes it) as a number
/// that orders like it: an integer's value, text's or a blob's first 8
/// bytes; 0 for anything else.
fn prefix(field: &[u8]) -> u64 {
    let word = |b: &[u8]| {
        let mut w = [0_u8; 8];
        let n = b.len().min(8);
        w[..n].copy_from_slice(&b[..n]);
        u64::from_be_bytes(w)
    };
    match field {
        [2, rest @ ..] if rest.len() >= 8 => word(rest) ^ (1 << 63),
        [1 | 6, rest @ ..] if rest.len() >= 8 => word(&rest[8..]),
        _ => 0,
    }
}

/// Sorts by key, and a key's claims by audit row (the last is the latest),
/// stably: two claims of one key in one audit row keep their order, the
/// later one winning as in the walk in order. Most parts are read in that
/// order already (ids rise with the trail).
pub(super) fn sort(recs: &mut [Rec]) {
    let order = |r: &Rec| (r.first, r.second, r.hash, r.audit);
    if !recs.is_sorted_by_key(order) {
        recs.sort_by_key(order);
    }
}

/// Sorted runs read as one: in key order, and among equal keys the
/// earlier run's first (claims runs are in the trail's order, and each is
/// sorted by audit row within a key).
pub(super) struct Merged<'a> {
    runs: Vec<&'a [Rec]>,
    /// The runs follow one another (parts of a table read by key ranges,
    /// claims of a trail whose ids rise with the keys): read them in turn.
    in_turn: bool,
}

impl<'a> Merged<'a> {
    pub fn new(runs: &'a [Vec<Rec>]) -> Merged<'a> {
        let runs: Vec<&[Rec]> = runs
            .iter()
            .filter(|r| !r.is_empty())
            .map(Vec::as_slice)
            .collect();
        let in_turn = runs.windows(2).all(|w| match (w[0].last(), w[1].first()) {
            (Some(a), Some(b)) => a.key() <= b.key(),
            _ => true,
        });
        Merged { runs, in_turn }
    }
}

impl Iterator for Merged<'_> {
    type Item = Rec;

    fn next(&mut self) -> Option<Rec> {
        if self.in_turn {
            while let Some(run) = self.runs.first_mut() {
                if let Some((&rec, rest)) = run.split_first() {
                    *run = rest;
                    return Some(rec);
                }
                self.runs.remove(0);
            }
            return None;
        }
        let mut best: Option<(usize, (i64, u64, u64))> = None;
        for (i, run) in self.runs.iter().enumerate() {
            if let Some(r) = run.first()
                && best.is_none_or(|(_, k)| r.key() < k)
            {
                best = Some((i, r.key()));
            }
        }
        let (i, _) = best?;
        let (&rec, rest) = self.runs[i].split_first()?;
        self.runs[i] = rest;
        Some(rec)
    }
}

/// Walks a table's claims (in key order, each key's claims in the trail's
/// order) beside its live rows (in key order): `Some(rows)` when each live
/// row is its key's last claim and names it, and every other key's last
/// claim is a deletion.
pub(super) fn merge(
    claims: impl Iterator<Item = Rec>,
    live: impl Iterator<Item = Rec>,
) -> Option<u64> {
    let mut claims = claims.peekable();
    // The next key's last claim.
    let mut next_key = move || -> Option<Rec> {
        let mut latest = claims.next()?;
        while let Some(c) = claims.next_if(|c| c.key() == latest.key()) {
            latest = c;
        }
        Some(latest)
    };
    let mut pending = next_key();
    let (mut rows, mut last) = (0_u64, None);
    for row in live {
        let k = row.key();
        if last.is_some_and(|p| p >= k) {
            return None; // two live rows with one key
        }
        last = Some(k);
        loop {
            let c = pending?; // no claim left: nobody wrote this row
            if c.key() > k {
                return None; // nobody wrote this row
            }
            pending = next_key();
            if c.key() < k {
                if c.flag {
                    return None; // claimed to exist, not there
                }
                continue;
            }
            let fits = c.flag
                && row.flag
                && c.audit == row.audit
                && c.version == row.version
                && c.digest == row.digest;
            if !fits {
                return None;
            }
            break;
        }
        rows += 1;
    }
    while let Some(c) = pending {
        if c.flag {
            return None; // claimed to exist, not there
        }
        pending = next_key();
    }
    Some(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn int_key(n: i64) -> Vec<u8> {
        let mut k = vec![2];
        k.extend_from_slice(&n.to_be_bytes());
        k
    }

    fn rec(n: i64, audit: i64, d: u8, flag: bool) -> Rec {
        Rec::new(
            1,
            &int_key(n),
            audit,
            ([d; DIGEST_BYTES], Version::V2),
            flag,
        )
    }

    fn check(claims: &[Vec<Rec>], live: &[Vec<Rec>]) -> Option<u64> {
        let mut claims = claims.to_vec();
        let mut live = live.to_vec();
        claims.iter_mut().for_each(|r| sort(r));
        live.iter_mut().for_each(|r| sort(r));
        merge(Merged::new(&claims), Merged::new(&live))
    }

    #[test]
    fn every_kind_of_disagreement_defers_to_the_walk() {
        let ok = check(
            &[vec![rec(1, 10, 1, true), rec(2, 11, 2, true)]],
            &[vec![rec(2, 11, 2, true), rec(1, 10, 1, true)]],
        );
        assert_eq!(ok, Some(2));
        // The last claim of a key wins, across runs in the trail's order.
        let later = [
            vec![rec(1, 10, 1, true)],
            vec![rec(1, 20, 9, true), rec(3, 21, 3, false)],
        ];
        assert_eq!(check(&later, &[vec![rec(1, 20, 9, true)]]), Some(1));
        assert_eq!(check(&later, &[vec![rec(1, 10, 1, true)]]), None);
        let table: &[(&str, Vec<Rec>)] = &[
            ("edited", vec![rec(1, 10, 7, true), rec(2, 11, 2, true)]),
            (
                "names another row",
                vec![rec(1, 11, 1, true), rec(2, 11, 2, true)],
            ),
            (
                "names none",
                vec![rec(1, 10, 1, false), rec(2, 11, 2, true)],
            ),
            ("deleted", vec![rec(1, 10, 1, true)]),
            (
                "inserted",
                vec![
                    rec(1, 10, 1, true),
                    rec(2, 11, 2, true),
                    rec(5, 11, 2, true),
                ],
            ),
            (
                "twice",
                vec![
                    rec(1, 10, 1, true),
                    rec(1, 10, 1, true),
                    rec(2, 11, 2, true),
                ],
            ),
        ];
        let claims = [vec![rec(1, 10, 1, true), rec(2, 11, 2, true)]];
        for (what, live) in table {
            assert_eq!(check(&claims, std::slice::from_ref(live)), None, "{what}");
        }
        // A row the trail deleted and that is back.
        let deleted = [vec![rec(1, 10, 1, true), rec(1, 12, 0, false)]];
        assert_eq!(check(&deleted, &[vec![]]), Some(0));
        assert_eq!(check(&deleted, &[vec![rec(1, 10, 1, true)]]), None);
        // A claim of another digest version than the live row's.
        let mut v1 = rec(1, 10, 1, true);
        v1.version = Version::V1;
        assert_eq!(check(&[vec![v1]], &[vec![rec(1, 10, 1, true)]]), None);
        // Runs that interleave (a key written again later in the trail).
        let interleaved = [
            vec![rec(1, 10, 1, true), rec(5, 11, 5, true)],
            vec![rec(3, 20, 3, true), rec(5, 21, 6, true)],
        ];
        let live = [
            vec![rec(1, 10, 1, true)],
            vec![rec(3, 20, 3, true), rec(5, 21, 6, true)],
        ];
        assert_eq!(check(&interleaved, &live), Some(3));
        let stale = [vec![
            rec(1, 10, 1, true),
            rec(3, 20, 3, true),
            rec(5, 11, 5, true),
        ]];
        assert_eq!(check(&interleaved, &stale), None);
        // Nothing claimed, nothing there; an emptied trail.
        assert_eq!(check(&[], &[]), Some(0));
        assert_eq!(check(&[], &[vec![rec(1, 10, 1, true)]]), None);
    }
}
