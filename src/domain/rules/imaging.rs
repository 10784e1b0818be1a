//! Imaging: the most recent planning imaging (CT, MRI, PET-CT) on file,
//! dated at most `imaging.max_age` calendar days before the procedure.
//!
//! Codes: `imaging.ok`, `imaging.missing` (nothing on file),
//! `imaging.not_planning` (only radiographs, ultrasound or bone scans),
//! `imaging.expired`, `imaging.after_procedure`, `imaging.rule_missing`.

use super::{
    Context, Evidence, Finding, Findings, Item, Msg, Severity, Status, Validity, validity,
    within_window,
};
use crate::domain::model::CaseFile;

pub(super) fn findings(case: &CaseFile, ctx: &Context) -> Findings {
    let on_file = case.imaging.as_deref().unwrap_or_default();
    let newest = |planning: bool| {
        on_file
            .iter()
            .filter(|i| i.kind.is_planning() == planning)
            .max_by_key(|i| i.at.date())
    };
    let Some(planning) = newest(true) else {
        let msg = match newest(false) {
            Some(other) => Msg::ImagingNotPlanning {
                imaging: other.kind,
                at: other.at.date(),
            },
            None => Msg::NoPlanningImaging,
        };
        let code = if on_file.is_empty() {
            "imaging.missing"
        } else {
            "imaging.not_planning"
        };
        return Ok(vec![Finding::new(
            code,
            Status::Missing,
            Severity::Blocking,
            msg,
        )]);
    };
    let window = window(case, ctx)?;
    let age = within_window(
        case,
        (Evidence::Imaging(planning.kind), None),
        planning.at,
        &window,
        None,
        "imaging.after_procedure",
        "imaging.expired",
    )?;
    Ok(vec![Finding::ok("imaging.ok", Msg::Age(age))])
}

/// Where planning imaging must be dated: `imaging.max_age` days before day J
/// at most. What judges the item, and what the chase list shows.
pub fn window(case: &CaseFile, ctx: &Context) -> Result<Validity, Finding> {
    validity(case, ctx, Item::Imaging, "imaging.max_age", ctx.risk(case))
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::super::testkit::{expect, item, with};
    use super::super::{Item, ItemResult, Severity, Status};
    use crate::domain::message::Lang;

    const B: Severity = Severity::Blocking;
    const N: Severity = Severity::None;

    fn imaging(on_file: Value) -> ItemResult {
        item(&with(json!({ "imaging": on_file })), Item::Imaging)
    }

    #[test]
    #[rustfmt::skip] // one row per case
    fn planning_imaging_at_the_edges() {
        let one = |kind: &str, at: &str| json!([{ "kind": kind, "at": at }]);
        let two = |k1: &str, a1: &str, k2: &str, a2: &str| json!([{ "kind": k1, "at": a1 }, { "kind": k2, "at": a2 }]);
        let table = [
            ("CT 42 days", one("ct", "2026-10-20"), Status::Ok, N, "imaging.ok"),
            ("CT 43 days", one("ct", "2026-10-19"), Status::Expired, B, "imaging.expired"),
            ("MRI the same day", one("mri", "2026-12-01"), Status::Ok, N, "imaging.ok"),
            ("PET-CT after J", one("pet_ct", "2026-12-02"), Status::OutOfRange, B, "imaging.after_procedure"),
            // Day J, the procedure at 08:30.
            ("CT day J 07:00, before", one("ct", "2026-12-01T07:00"), Status::Ok, N, "imaging.ok"),
            ("CT day J 08:30, at the time", one("ct", "2026-12-01T08:30"), Status::Ok, N, "imaging.ok"),
            ("CT day J 08:31, after", one("ct", "2026-12-01T08:31"), Status::OutOfRange, B, "imaging.after_procedure"),
            ("CT day J 15:00, after", one("ct", "2026-12-01T15:00"), Status::OutOfRange, B, "imaging.after_procedure"),
            ("CT day J after, older CT in date", two("ct", "2026-11-20", "ct", "2026-12-01T15:00"),
             Status::OutOfRange, B, "imaging.after_procedure"),
            ("the newest planning imaging counts", two("ct", "2026-06-01", "mri", "2026-11-20"), Status::Ok, N, "imaging.ok"),
            ("a radiograph does not renew a CT", two("ct", "2026-06-01", "radiograph", "2026-11-20"),
             Status::Expired, B, "imaging.expired"),
            ("only a radiograph", one("radiograph", "2026-11-20"), Status::Missing, B, "imaging.not_planning"),
            ("empty list", json!([]), Status::Missing, B, "imaging.missing"),
            ("absent", Value::Null, Status::Missing, B, "imaging.missing"),
        ];
        for (label, on_file, status, severity, code) in table {
            expect(label, &imaging(on_file), status, severity, code);
        }
    }

    #[test]
    #[rustfmt::skip] // long expected strings
    fn messages_name_the_imaging() {
        let case = with(json!({
            "procedure": { "scheduled_at": "2026-11-30T08:30" },
            "imaging": [{ "kind": "ct", "at": "2026-10-01" }]
        }));
        let r = item(&case, Item::Imaging);
        assert_eq!(r.message(Lang::En), "CT 2026-10-01, 60 days before (max 42)");
        assert_eq!(r.message(Lang::Fr), "TDM du 01/10/2026, 60 jours avant (max 42)");
        let r = imaging(json!([{ "kind": "bone_scan", "at": "2026-11-20" }]));
        assert_eq!(r.message(Lang::En), "no planning imaging (CT, MRI, PET-CT): only bone scan 2026-11-20");
    }
}
