//! ORU^R01 (issue 16 §1): a laboratory's results applied to every case of
//! the patient scheduled in the coming [`LAB_WINDOW_DAYS`] days, value by
//! value through the three-way rule with the sender as the source
//! (`storage::labs::apply`: each value keeps its own date). The usable
//! values are also kept (`feed_held`) for a case a later booking or
//! import makes; those that reached no case are listed (`feeds held`).
//!
//! Cautious readings:
//! - a patient the file does not hold: nothing is made (AA, recorded);
//! - a patient whose stored birth date or last name is not the message's
//!   (an identity the lab does not share): no value is applied (AA,
//!   recorded as `identity_mismatch`): a value on the wrong patient could
//!   turn a ✗ into a ✓; a missing value never does, so its withdrawals
//!   (OBX-11 W) are applied;
//! - a value outside its physical bounds, or one analyte given two values
//!   of the same date, is set aside with the parser's set-aside values:
//!   counted in the audit row, never applied;
//! - a final or corrected result of ours set aside (not a number, a unit
//!   not known, undated, outside its bounds, two values of one date) is
//!   not dropped quietly: it is recorded against each case reached
//!   (`lab_unusable`), whose item it makes blocking until a person deals
//!   with it; the stored, older value is left as it was;
//! - OBX-11: a final result its sender corrected (C) or withdrew (W)
//!   before is not applied; a withdrawal removes the value the sender gave
//!   from each case still holding it (`lab_status`), and the case shows why;
//!   one dated at a time the sender gave no value of removes nothing, and
//!   marks the cases holding that sender's value of that day.

use chrono::Duration;
use rusqlite::params;

use super::feed::{Match, Outcome, match_patient};
use super::feed_held::Arrival;
use super::lab_status::Observer;
use super::{Result, Writer};
use crate::domain::feed::{Unusable, UnusableLab};
use crate::domain::labs::LabValue;
use crate::domain::text::fold;
use crate::domain::time::{DATE_FMT, When};
use crate::import::hl7::{LabReport, SetAside, SetAsideReason, Withdrawal};

/// How far ahead a result reaches: the cases of the coming four weeks.
pub const LAB_WINDOW_DAYS: i64 = 28;

/// What applying a report did, for its audit row (no patient data: counts
/// and LOINC codes).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LabNote {
    pub cases: usize,
    pub values: usize,
    /// `CODE reason` of each value set aside (the parser's, the bounds',
    /// and a final result sent after its correction or withdrawal).
    pub set_aside: Vec<String>,
    /// `CODE time: removed from N case(s)` of each withdrawal (OBX-11 W).
    pub withdrawn: Vec<String>,
}

impl LabNote {
    pub fn line(&self) -> String {
        let mut line = format!("{} value(s) to {} case(s)", self.values, self.cases);
        if !self.set_aside.is_empty() {
            line.push_str(&format!(
                "; {} set aside: {}",
                self.set_aside.len(),
                self.set_aside.join(", ")
            ));
        }
        if !self.withdrawn.is_empty() {
            line.push_str(&format!("; withdrawn: {}", self.withdrawn.join(", ")));
        }
        line
    }
}

/// Applies `r` in `w`'s transaction.
pub(super) fn apply(w: &Writer<'_>, r: &LabReport, origin: &str) -> Result<(Outcome, LabNote)> {
    let mut note = LabNote {
        set_aside: r
            .set_aside
            .iter()
            .map(|s| format!("{} {:?}", s.code, s.reason))
            .collect(),
        ..LabNote::default()
    };
    // Another assigning authority's patient of the same IPP is another
    // patient: as unknown.
    let (patient_id, stored) = match match_patient(w, &r.patient)? {
        Match::Same(id, stored) => (id, stored),
        Match::None | Match::OtherDomain => {
            super::feed_held::hold(w, r, origin, Arrival::UnknownPatient)?;
            return Ok((Outcome::Unknown, note));
        }
    };
    let source = r.header.source();
    let observer = Observer {
        source: &source,
        ipp: &r.patient.ipp,
        authority: &r.patient.authority,
    };
    let birth = r.patient.birth_date.format(DATE_FMT).to_string();
    if stored.birth_date() != birth || fold(stored.last_name()) != fold(&r.patient.last_name) {
        // Removing a value is the cautious direction: the withdrawals of
        // the file's patient of that IPP and authority apply whatever the
        // names; the values do not.
        let cases = upcoming_cases(w, patient_id)?;
        for wd in &r.withdrawn {
            note.withdrawn
                .push(withdraw(w, wd, observer, &cases, origin)?);
        }
        super::feed_held::hold(w, r, origin, Arrival::IdentityMismatch)?;
        return Ok((Outcome::Mismatch, note));
    }
    let (now, _) = super::day::hospital_now(w)?;
    let (values, more, mut unusable) = usable(&r.values, now);
    note.set_aside.extend(more);
    // A final result its sender corrected or withdrew before: not applied.
    let (values, stale, refused) = super::lab_status::screen(w, observer, values, &r.corrected)?;
    note.set_aside.extend(stale);
    unusable.extend(refused);
    unusable.extend(r.set_aside.iter().filter_map(unusable_of));
    for u in &mut unusable {
        u.source.clone_from(&source);
    }
    note.values = values.len();
    let cases = upcoming_cases(w, patient_id)?;
    note.cases = cases.len();
    for &id in &cases {
        for u in &unusable {
            super::lab_unusable::record(w, id, u)?;
        }
    }
    if !values.is_empty() {
        for &id in &cases {
            super::labs::apply(w, id, &source, origin, &values)?;
        }
    }
    for wd in &r.withdrawn {
        note.withdrawn
            .push(withdraw(w, wd, observer, &cases, origin)?);
    }
    // Kept for a case a later booking or import makes (`feed_held`), with
    // the corrections and withdrawals: the laboratory's last word.
    let arrival = if cases.is_empty() {
        Arrival::NoCase
    } else {
        Arrival::Applied
    };
    super::feed_held::hold(w, r, origin, arrival)?;
    Ok((
        Outcome::Applied {
            case_id: cases.first().copied(),
        },
        note,
    ))
}

/// The patient's cases a laboratory's result reaches: those scheduled
/// from today (the hospital's) for [`LAB_WINDOW_DAYS`] days, in time
/// order. Live results, corrections, withdrawals and kept values
/// (`feed_held_apply`) all reach these, so that a later correction or
/// withdrawal reaches every case a value was given to.
pub(super) fn upcoming_cases(w: &Writer<'_>, patient_id: i64) -> Result<Vec<i64>> {
    let (_, today) = super::day::hospital_now(w)?;
    let to = today + Duration::days(LAB_WINDOW_DAYS);
    let cases = w
        .tx()
        .prepare_cached(
            "SELECT id FROM cases WHERE patient_id = ?1
               AND scheduled_at >= ?2 AND scheduled_at < ?3 ORDER BY scheduled_at, id",
        )?
        .query_map(
            params![
                patient_id,
                today.format(DATE_FMT).to_string(),
                to.format(DATE_FMT).to_string()
            ],
            |row| row.get(0),
        )?
        .collect::<rusqlite::Result<_>>()?;
    Ok(cases)
}

/// Applies one withdrawal (OBX-11 W) to the patient's `cases`: the value
/// the sender gave for that analyte and time removed from each case still
/// holding it, which then shows why. Shown without removing anything
/// (the stored value may be the one withdrawn): an undated withdrawal, on
/// every case; one dated at a time the sender gave no value of, on each
/// case holding that sender's value of the same day. Remembered by
/// `feed_held::hold` afterwards. Returns the audit note.
fn withdraw(
    w: &Writer<'_>,
    wd: &Withdrawal,
    o: Observer<'_>,
    cases: &[i64],
    origin: &str,
) -> Result<String> {
    let key = wd.analyte.key();
    let shown = UnusableLab {
        analyte: wd.analyte,
        raw: String::new(),
        unit: String::new(),
        at: wd.at,
        reason: Unusable::Withdrawn,
        source: o.source.to_owned(),
    };
    let Some(at) = wd.at else {
        for &id in cases {
            super::lab_unusable::record(w, id, &shown)?;
        }
        return Ok(format!("{key} undated: shown on {} case(s)", cases.len()));
    };
    let known = super::lab_status::known(w, o, wd.analyte, at)?;
    let (mut removed, mut near) = (0, 0);
    for &id in cases {
        if let Some(raw) =
            super::lab_status::withdraw_from_case(w, id, (o.source, origin), wd.analyte, at)?
        {
            let mut shown = shown.clone();
            shown.raw = raw;
            super::lab_unusable::record(w, id, &shown)?;
            removed += 1;
        } else if !known && super::lab_status::holds_same_day(w, id, o.source, wd.analyte, at)? {
            // No raw value: worded "the stored value of that day may be it".
            super::lab_unusable::record(w, id, &shown)?;
            near += 1;
        }
    }
    let mut line = format!("{key} {at}: removed from {removed} case(s)");
    if near > 0 {
        line.push_str(&format!(", shown on {near} holding a value of that day"));
    }
    Ok(line)
}

/// The values `storage::labs::apply` may take, and the others set aside
/// (`CODE reason`, and as unusable results with no source yet): outside
/// the physical bounds, an analyte given two different values of the
/// same date (neither is taken), or dated after `now` (the hospital's
/// clock) by more than the tolerance (a date alone: after today).
pub(super) fn usable(
    values: &[LabValue],
    now: chrono::NaiveDateTime,
) -> (Vec<LabValue>, Vec<String>, Vec<UnusableLab>) {
    let latest = now + Duration::minutes(crate::domain::feed::FUTURE_TOLERANCE_MIN);
    let future = |at: When| match at {
        When::Date(d) => d > now.date(),
        When::DateTime(t) => t > latest,
    };
    let mut out = Vec::new();
    let mut aside = Vec::new();
    let mut unusable = Vec::new();
    for v in values {
        let key = v.analyte.key();
        let reason = if future(v.at) {
            aside.push(format!("{key} dated in the future"));
            Some((Unusable::Future, String::new()))
        } else if let Err(e) = v.check_bounds() {
            aside.push(format!("{key} outside bounds"));
            Some((Unusable::OutOfBounds, e.unit.to_string()))
        } else if values
            .iter()
            .any(|o| o.analyte == v.analyte && o.at == v.at && o.value != v.value)
        {
            aside.push(format!("{key} two values of one date"));
            Some((Unusable::TwoValues, String::new()))
        } else {
            None
        };
        let Some((reason, unit)) = reason else {
            out.push(*v);
            continue;
        };
        // In the canonical unit the parser converted it to.
        unusable.push(UnusableLab {
            analyte: v.analyte,
            raw: v.value.to_string(),
            unit,
            at: Some(v.at),
            reason,
            source: String::new(),
        });
    }
    (out, aside, unusable)
}

/// A final or corrected result of ours the parser set aside, as an
/// unusable result (no source yet); `None` for a preliminary value or a
/// code this product does not use.
fn unusable_of(s: &SetAside) -> Option<UnusableLab> {
    let seen = s.seen.as_ref()?;
    let reason = match s.reason {
        SetAsideReason::NotANumber(_) => Unusable::NotANumber,
        SetAsideReason::UnknownUnit(_) => Unusable::UnknownUnit,
        SetAsideReason::Undated => Unusable::Undated,
        SetAsideReason::NotFinal(_) | SetAsideReason::NotUsed => return None,
    };
    Some(UnusableLab {
        analyte: seen.analyte,
        raw: seen.value.clone(),
        unit: seen.unit.clone(),
        at: seen.at,
        reason,
        source: String::new(),
    })
}

#[cfg(test)]
#[path = "feed_labs_tests.rs"]
mod tests;
