//! Information and consent, from the pre-interventional consultation: it is
//! recorded with the radiologist; the explanatory leaflet was handed over;
//! consent is signed, or traced (proof of what was said, by whom, when).
//! Consent needs a date; traced consent needs its author. Every gap is a
//! finding, with the severity of the `consent.required` row.
//!
//! Codes: `consent.ok`, `consent.no_consultation`, `consent.no_radiologist`,
//! `consent.no_leaflet`, `consent.missing` (no consent at all),
//! `consent.no_date`, `consent.traced_no_author`, `consent.after_procedure`,
//! `consent.rule_missing`.

use super::message::ConsentGap;
use super::{
    Context, Evidence, Finding, Findings, Item, Msg, Status, days_before_procedure, present,
    required,
};
use crate::domain::model::CaseFile;
use crate::domain::vocab::ConsentKind;

pub(super) fn findings(case: &CaseFile, ctx: &Context) -> Findings {
    let row = required(ctx, Item::Consent, "consent.required", "*", ctx.risk(case))?;
    let gap =
        |code, gap| Finding::new(code, Status::Missing, row.severity, Msg::ConsentGap { gap });
    let Some(consultation) = &case.consultation else {
        let msg = Msg::NoEvidence {
            what: Evidence::Consultation,
        };
        return Ok(vec![Finding::new(
            "consent.no_consultation",
            Status::Missing,
            row.severity,
            msg,
        )]);
    };

    let mut out = Vec::new();
    let radiologist = present(&consultation.radiologist);
    if radiologist.is_none() {
        out.push(gap("consent.no_radiologist", ConsentGap::Radiologist));
    }
    if consultation.leaflet_given != Some(true) {
        out.push(gap("consent.no_leaflet", ConsentGap::Leaflet));
    }
    let Some(consent) = &consultation.consent else {
        out.push(gap("consent.missing", ConsentGap::Consent));
        return Ok(out);
    };
    let by = present(&consent.by);
    if consent.kind == ConsentKind::Traced && by.is_none() {
        out.push(gap("consent.traced_no_author", ConsentGap::TracedBy));
    }
    match consent.at {
        None => out.push(gap("consent.no_date", ConsentGap::ConsentDate)),
        Some(at) => {
            let after = "consent.after_procedure";
            if let Err(f) = days_before_procedure(case, Evidence::Consent, at, after) {
                out.push(f);
            }
        }
    }
    if let (true, Some(at), Some(radiologist)) = (out.is_empty(), consent.at, radiologist) {
        let msg = Msg::ConsentOk {
            consent: consent.kind,
            at,
            by: by.map(str::to_string),
            radiologist: radiologist.to_string(),
        };
        out.push(Finding::ok("consent.ok", msg));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::super::testkit::{expect, item, with};
    use super::super::{Item, Severity, Status};
    use crate::domain::message::Lang;

    const B: Severity = Severity::Blocking;
    const N: Severity = Severity::None;

    fn consultation(radiologist: Value, leaflet: Value, consent: Value) -> Value {
        json!({ "at": "2026-11-10T10:00", "radiologist": radiologist, "leaflet_given": leaflet,
                "consent": consent })
    }

    #[test]
    #[rustfmt::skip] // one row per case
    fn every_part_is_needed() {
        let (dr, yes) = (|| json!("Dr Roy"), || json!(true));
        let consent = |kind: &str, at: Value, by: Value| json!({ "kind": kind, "at": at, "by": by });
        let signed = || consent("signed", json!("2026-11-10"), Value::Null);
        let table = [
            ("signed", consultation(dr(), yes(), signed()), Status::Ok, N, "consent.ok"),
            ("traced with its author", consultation(dr(), yes(), consent("traced", json!("2026-11-10"), dr())),
             Status::Ok, N, "consent.ok"),
            ("traced without its author", consultation(dr(), yes(), consent("traced", json!("2026-11-10"), json!(" "))),
             Status::Missing, B, "consent.traced_no_author"),
            ("signed without a date", consultation(dr(), yes(), consent("signed", Value::Null, dr())),
             Status::Missing, B, "consent.no_date"),
            ("signed after the procedure", consultation(dr(), yes(), consent("signed", json!("2026-12-02"), dr())),
             Status::OutOfRange, B, "consent.after_procedure"),
            ("leaflet not given", consultation(dr(), json!(false), signed()), Status::Missing, B, "consent.no_leaflet"),
            ("leaflet unknown", consultation(dr(), Value::Null, signed()), Status::Missing, B, "consent.no_leaflet"),
            ("no radiologist", consultation(Value::Null, yes(), signed()), Status::Missing, B, "consent.no_radiologist"),
            ("no consent", consultation(dr(), yes(), Value::Null), Status::Missing, B, "consent.missing"),
            ("no consultation", Value::Null, Status::Missing, B, "consent.no_consultation"),
        ];
        for (label, consultation, status, severity, code) in table {
            let r = item(&with(json!({ "consultation": consultation })), Item::Consent);
            expect(label, &r, status, severity, code);
        }
    }

    #[test]
    fn every_gap_is_listed() {
        let r = item(
            &with(json!({ "consultation": { "at": "2026-11-10" } })),
            Item::Consent,
        );
        assert_eq!(r.findings.len(), 3, "{:?}", r.findings);
        assert_eq!(
            r.message(Lang::En),
            "consultation: radiologist not recorded; explanatory leaflet not recorded as given; \
             no consent recorded (signed or traced)"
        );
    }
}
