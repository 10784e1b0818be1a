//! Comparing two forms, and putting mine on top of theirs after a
//! conflict.

use super::forms::{FieldChange, Form, Group, GroupKind};

impl Form {
    /// The fields that differ from `self` to `other`, line by line.
    pub fn changes(&self, other: &Form) -> Vec<FieldChange> {
        let mut out = Vec::new();
        let n = self.groups.len().max(other.groups.len());
        for gi in 0..n {
            let a = self.groups.get(gi);
            let b = other.groups.get(gi);
            match (a, b) {
                (Some(a), Some(b)) if a.kind != b.kind => {
                    // Different lines at the same place: all of one, all of the other.
                    out.extend(Self::line_changes(gi, Some(a), None));
                    out.extend(Self::line_changes(gi, None, Some(b)));
                    continue;
                }
                (None, None) => continue,
                _ => {}
            }
            out.extend(Self::line_changes(gi, a, b));
        }
        out
    }

    fn line_changes(gi: usize, a: Option<&Group>, b: Option<&Group>) -> Vec<FieldChange> {
        let Some(kind) = a.or(b).map(|g| g.kind) else {
            return Vec::new();
        };
        let get = |g: Option<&Group>, i: usize| {
            g.and_then(|g| g.values.get(i))
                .map(|v| v.trim().to_owned())
                .unwrap_or_default()
        };
        kind.fields()
            .iter()
            .enumerate()
            .filter_map(|(i, spec)| {
                let (from, to) = (get(a, i), get(b, i));
                (from != to).then_some(FieldChange {
                    group: gi,
                    kind,
                    key: spec.key,
                    from,
                    to,
                })
            })
            .collect()
    }

    /// Mine on top of theirs: the fields I changed from the form I started
    /// from (`base`) are applied to what they saved; the rest is theirs.
    /// Only when every line is still the same thing on both sides (the same
    /// lines, in the same order, each naming the same drug, examination,
    /// lesion or level on their side as in mine before I typed): otherwise
    /// `None`, and the person must look at both (nothing is merged blindly).
    pub fn rebase(base: &Form, mine: &Form, theirs: &Form) -> Option<Form> {
        let same_lines = |a: &Form, b: &Form| {
            a.groups.len() == b.groups.len()
                && a.groups
                    .iter()
                    .zip(&b.groups)
                    .all(|(x, y)| x.kind == y.kind && x.values.len() == y.values.len())
        };
        if !(same_lines(base, mine) && same_lines(base, theirs)) {
            return None;
        }
        let same_things = base
            .groups
            .iter()
            .zip(&theirs.groups)
            .all(|(b, t)| b.identity() == t.identity());
        if !same_things {
            return None;
        }
        // A line I made into another drug (examination, level…) takes none
        // of their changes to the old one.
        let crossed = base
            .groups
            .iter()
            .zip(&mine.groups)
            .zip(&theirs.groups)
            .any(|((b, m), t)| b.identity() != m.identity() && t != b);
        if crossed {
            return None;
        }
        let mut out = theirs.clone();
        for (gi, g) in out.groups.iter_mut().enumerate() {
            for (fi, v) in g.values.iter_mut().enumerate() {
                let b = base.groups.get(gi).and_then(|g| g.values.get(fi))?;
                let m = mine.groups.get(gi).and_then(|g| g.values.get(fi))?;
                if m.trim() != b.trim() {
                    v.clone_from(m);
                }
            }
        }
        Some(out)
    }
}

impl Group {
    /// What a line of a list is about: its drug (and name), its
    /// examination and date, its lesion, its level. Single-object lines
    /// have no identity (always the same thing).
    pub fn identity(&self) -> Vec<&str> {
        let keys: &[&str] = match self.kind {
            GroupKind::Medication => &["drug", "name"],
            GroupKind::Imaging => &["kind", "at"],
            GroupKind::Mirels => &["lesion"],
            GroupKind::Sins => &["level", "location"],
            _ => &[],
        };
        keys.iter()
            .map(|k| {
                self.kind
                    .fields()
                    .iter()
                    .position(|f| f.key == *k)
                    .and_then(|i| self.values.get(i))
                    .map_or("", |v| v.trim())
            })
            .collect()
    }
}
