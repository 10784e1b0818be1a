//! The three-way re-import rule (`reimport.rs`) applied to biology and
//! coagulation value by value: each value is judged from its own file,
//! base and stored (value, date) pair. A newer result wins over an older
//! typed value, never the reverse; a value the source does not send keeps
//! the stored one with its own date. Pure: no database.

use std::cmp::Ordering;

use super::panel::{Values, object_of, values_of};
use super::record::EvidenceKind;
use super::reimport::{Field, Loss, Unreadable, compare_dates};
use super::time::When;

/// What to do with one value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueVerdict {
    /// The source sends what is stored.
    Same,
    /// The source has not changed it since it last sent it: stored stays.
    SourceUnchanged,
    /// Nothing stored, or nobody changed it here (and not older): taken.
    Take,
    /// Both changed and the source's is dated strictly later: taken.
    TakeNewer,
    /// The source's value loses: pending for a person.
    Loses(Loss),
}

/// A value and its own date.
pub type Dated = (serde_json::Value, When);

/// The rule for one value (the table of `reimport.rs`, for dated objects).
pub fn judge_value(file: &Dated, base: Option<&Dated>, stored: Option<&Dated>) -> ValueVerdict {
    if stored == Some(file) {
        return ValueVerdict::Same;
    }
    if base == Some(file) {
        return ValueVerdict::SourceUnchanged;
    }
    let Some(stored) = stored else {
        return ValueVerdict::Take;
    };
    let untouched_here = base == Some(stored);
    match (untouched_here, compare_dates(file.1, stored.1)) {
        (_, Ordering::Less) => ValueVerdict::Loses(Loss::Older),
        (true, _) => ValueVerdict::Take,
        (false, Ordering::Greater) => ValueVerdict::TakeNewer,
        (false, Ordering::Equal) => ValueVerdict::Loses(Loss::SameDate),
    }
}

/// What the rule makes of one object of one case for one source.
#[derive(Debug, Clone, PartialEq)]
pub struct Judged {
    /// Each value the source sent, and its verdict.
    pub verdicts: Vec<(String, ValueVerdict)>,
    /// The object to store, when the stored one changes (canonical).
    pub store: Option<String>,
    /// The source's new base: the values it sent before, with those it
    /// sends now (a value it does not send keeps its base).
    pub base: String,
    /// The source's values waiting for a person after this (its earlier
    /// losing values it did not send again, and those that lose now);
    /// `None`: none waits.
    pub pending: Option<String>,
    /// Why the values that lose now lose (older wins over same date).
    pub loss: Option<Loss>,
    /// The values taken, the values now pending, and the earlier pending
    /// values the source dropped (it now sends what is stored, or a value
    /// that was taken), as objects (`None`: none).
    pub taken: Option<String>,
    pub lost: Option<String>,
    pub dropped: Option<String>,
}

/// What becomes of a value that loses because it is older than the stored
/// one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Older {
    /// Kept pending for a person to choose (a file: what it sends may be a
    /// correction someone must see).
    Pending,
    /// Left aside: a laboratory's result older than the stored value says
    /// nothing a person must decide (the newer value stands; a same-date
    /// conflict still waits for a person).
    Superseded,
}

/// Judges `file` (the values one source sends now, any of them) against
/// that source's `base`, the `stored` object and the source's `pending`
/// values, value by value.
pub fn judge_panel(
    kind: EvidenceKind,
    file: &str,
    base: Option<&str>,
    stored: Option<&str>,
    pending: Option<&str>,
    older: Older,
) -> Result<Judged, Unreadable> {
    let field = Field::Evidence(kind);
    let unreadable = |reason: String| Unreadable { field, reason };
    let read = |json: Option<&str>| -> Result<Option<(Values, When)>, Unreadable> {
        json.map(|j| values_of(kind, j))
            .transpose()
            .map_err(unreadable)
    };
    let (file_v, file_at) = read(Some(file))?.ok_or_else(|| unreadable("no file".into()))?;
    let (base_v, _) = read(base)?.unwrap_or_default_at(file_at);
    let stored_read = read(stored)?;
    let stored_at = stored_read.as_ref().map(|s| s.1);
    let stored_v = stored_read.map(|s| s.0).unwrap_or_default();
    let (old_pending, _) = read(pending)?.unwrap_or_default_at(file_at);

    let mut merged = stored_v.clone();
    let mut new_base = base_v.clone();
    let mut new_pending = old_pending.clone();
    let (mut taken, mut lost, mut dropped) = (Values::new(), Values::new(), Values::new());
    let mut loss = None;
    let mut verdicts = Vec::new();
    for (k, fv) in &file_v {
        let verdict = judge_value(fv, base_v.get(k), stored_v.get(k));
        match verdict {
            ValueVerdict::Same => {
                if let Some(p) = new_pending.remove(k) {
                    dropped.insert(k.clone(), p);
                }
            }
            ValueVerdict::SourceUnchanged => {}
            ValueVerdict::Take | ValueVerdict::TakeNewer => {
                merged.insert(k.clone(), fv.clone());
                taken.insert(k.clone(), fv.clone());
                new_pending.remove(k);
            }
            ValueVerdict::Loses(Loss::Older) if older == Older::Superseded => {
                // An earlier pending value of this key stays as it was.
            }
            ValueVerdict::Loses(l) => {
                new_pending.insert(k.clone(), fv.clone());
                lost.insert(k.clone(), fv.clone());
                loss = match (loss, l) {
                    (Some(Loss::Older), _) | (_, Loss::Older) => Some(Loss::Older),
                    _ => Some(l),
                };
            }
        }
        new_base.insert(k.clone(), fv.clone());
        verdicts.push((k.clone(), verdict));
    }
    let object = |v: &Values| object_of(kind, v, file_at).map_err(unreadable);
    let some = |v: &Values| -> Result<Option<String>, Unreadable> {
        if v.is_empty() {
            Ok(None)
        } else {
            object(v).map(Some)
        }
    };
    let store = match stored_at {
        // Nothing stored: the file's object, even without a value.
        None => Some(object(&merged)?),
        Some(_) if merged != stored_v => Some(object(&merged)?),
        Some(_) => None,
    };
    Ok(Judged {
        verdicts,
        store,
        base: object(&new_base)?,
        pending: some(&new_pending)?,
        loss,
        taken: some(&taken)?,
        lost: some(&lost)?,
        dropped: some(&dropped)?,
    })
}

/// A person takes a source's pending values: each replaces the stored
/// value of its key, with its own date; the others stay as stored.
pub fn take_pending(
    kind: EvidenceKind,
    stored: Option<&str>,
    pending: &str,
) -> Result<String, String> {
    let (pending_v, at) = values_of(kind, pending)?;
    let mut merged = match stored {
        Some(s) => values_of(kind, s)?.0,
        None => Values::new(),
    };
    merged.extend(pending_v);
    object_of(kind, &merged, at)
}

trait OrEmpty {
    fn unwrap_or_default_at(self, at: When) -> (Values, When);
}

impl OrEmpty for Option<(Values, When)> {
    fn unwrap_or_default_at(self, at: When) -> (Values, When) {
        self.unwrap_or((Values::new(), at))
    }
}

#[cfg(test)]
#[path = "panel_rule_tests.rs"]
mod tests;
