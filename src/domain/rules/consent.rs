//! Information and consent, from the pre-interventional consultation: it is
//! recorded with the radiologist; the explanatory leaflet was handed over;
//! consent is signed, or traced (proof of what was said, by whom, when).
//! Consent needs a date; traced consent needs its author and what was said
//! (`details`). Every gap is a finding, with the severity of the
//! `consent.required` row.
//!
//! Times: the consultation and the consent must not come after the procedure
//! (a date-time later than the scheduled time is after it, even on day J; a
//! date alone on day J is not). Consent cannot precede the consultation that
//! informed the patient: it is out of range when it is certainly earlier
//! (both date-times: compared to the minute; otherwise by calendar day, so a
//! date-only consent on the consultation's day is fine).
//!
//! Codes: `consent.ok`, `consent.no_consultation`, `consent.no_radiologist`,
//! `consent.no_leaflet`, `consent.missing` (no consent at all),
//! `consent.no_date`, `consent.traced_no_author`, `consent.traced_no_details`,
//! `consent.consultation_after_procedure`, `consent.after_procedure`,
//! `consent.before_consultation`, `consent.rule_missing`.

use super::message::ConsentGap;
use super::{
    Context, Evidence, Finding, Findings, Item, Msg, Status, days_before_procedure, present,
    required,
};
use crate::domain::model::CaseFile;
use crate::domain::time::When;
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
    let after = "consent.consultation_after_procedure";
    if let Err(f) = days_before_procedure(case, Evidence::Consultation, consultation.at, after) {
        out.push(f);
    }
    let Some(consent) = &consultation.consent else {
        out.push(gap("consent.missing", ConsentGap::Consent));
        return Ok(out);
    };
    let by = present(&consent.by);
    if consent.kind == ConsentKind::Traced {
        if by.is_none() {
            out.push(gap("consent.traced_no_author", ConsentGap::TracedBy));
        }
        if present(&consent.details).is_none() {
            out.push(gap("consent.traced_no_details", ConsentGap::TracedDetails));
        }
    }
    match consent.at {
        None => out.push(gap("consent.no_date", ConsentGap::ConsentDate)),
        Some(at) => {
            let after = "consent.after_procedure";
            if let Err(f) = days_before_procedure(case, Evidence::Consent, at, after) {
                out.push(f);
            }
            if before(at, consultation.at) {
                let msg = Msg::ConsentBeforeConsultation {
                    at,
                    consultation: consultation.at,
                };
                out.push(Finding::new(
                    "consent.before_consultation",
                    Status::OutOfRange,
                    row.severity,
                    msg,
                ));
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

/// Whether `a` is certainly earlier than `b`: to the minute when both carry
/// a time, else by calendar day (a date alone may stand for any time of its
/// day, so the same day is never "earlier").
fn before(a: When, b: When) -> bool {
    match (a, b) {
        (When::DateTime(a), When::DateTime(b)) => a < b,
        _ => a.date() < b.date(),
    }
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
        let traced = |at: &str, by: Value, details: Value|
            json!({ "kind": "traced", "at": at, "by": by, "details": details });
        let said = || json!("information orale, accord oral devant sa fille");
        let signed = || consent("signed", json!("2026-11-10"), Value::Null);
        let table = [
            ("signed", consultation(dr(), yes(), signed()), Status::Ok, N, "consent.ok"),
            ("traced with its author and details", consultation(dr(), yes(), traced("2026-11-10", dr(), said())),
             Status::Ok, N, "consent.ok"),
            ("traced without its author", consultation(dr(), yes(), traced("2026-11-10", json!(" "), said())),
             Status::Missing, B, "consent.traced_no_author"),
            ("traced without details", consultation(dr(), yes(), consent("traced", json!("2026-11-10"), dr())),
             Status::Missing, B, "consent.traced_no_details"),
            ("traced with blank details", consultation(dr(), yes(), traced("2026-11-10", dr(), json!(" \n\t "))),
             Status::Missing, B, "consent.traced_no_details"),
            ("traced with neither", consultation(dr(), yes(), consent("traced", json!("2026-11-10"), Value::Null)),
             Status::Missing, B, "consent.traced_no_author"),
            ("signed without details", consultation(dr(), yes(), consent("signed", json!("2026-11-10"), dr())),
             Status::Ok, N, "consent.ok"),
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

    /// Defence in depth for values stored before text was cleaned where it
    /// enters: a name or a "what was said" with no visible character (a
    /// Hangul filler, a Braille blank, a combining grapheme joiner) is not
    /// given, and the consent reads missing, never ok.
    #[test]
    #[rustfmt::skip] // one row per case
    fn an_invisible_stored_text_reads_missing() {
        let traced = |radiologist: &str, by: &str, details: &str| json!({
            "at": "2026-11-10T10:00", "radiologist": radiologist, "leaflet_given": true,
            "consent": { "kind": "traced", "at": "2026-11-10", "by": by, "details": details } });
        let said = "information orale, accord oral devant sa fille";
        let table = [
            ("Hangul filler author", traced("Dr Roy", "\u{3164}", said), "consent.traced_no_author"),
            ("Braille blank details", traced("Dr Roy", "Dr Roy", "\u{2800}"), "consent.traced_no_details"),
            ("both, as in the issue", traced("Dr Roy", "\u{3164}", "\u{2800}"), "consent.traced_no_author"),
            ("CGJ radiologist", traced("\u{34f}", "Dr Roy", said), "consent.no_radiologist"),
            ("tag characters and a lone accent", traced("Dr Roy", "\u{e0041}\u{301}", said), "consent.traced_no_author"),
        ];
        for (label, consultation, code) in table {
            let r = item(&with(json!({ "consultation": consultation })), Item::Consent);
            expect(label, &r, Status::Missing, B, code);
        }
        let both = traced("Dr Roy", "\u{3164}", "\u{2800}");
        let r = item(&with(json!({ "consultation": both })), Item::Consent);
        let codes: Vec<&str> = r.findings.iter().map(|f| f.code).collect();
        assert_eq!(codes, ["consent.traced_no_author", "consent.traced_no_details"]);
    }

    /// The consultation and the consent against the procedure (2026-12-01
    /// 08:00) and against each other.
    #[test]
    #[rustfmt::skip] // one row per case
    fn times_of_the_consultation_and_the_consent() {
        let ok = (Status::Ok, N, "consent.ok");
        let after = (Status::OutOfRange, B, "consent.after_procedure");
        let consultation_after = (Status::OutOfRange, B, "consent.consultation_after_procedure");
        let before = (Status::OutOfRange, B, "consent.before_consultation");
        let table = [
            // Consent on day J.
            ("consent J 07:00, before the 08:00 procedure", "2026-11-10T10:00", "2026-12-01T07:00", ok),
            ("consent J 08:00, at the procedure time", "2026-11-10T10:00", "2026-12-01T08:00", ok),
            ("consent J 08:01, after the procedure", "2026-11-10T10:00", "2026-12-01T08:01", after),
            ("consent J 15:00, after the procedure", "2026-11-10T10:00", "2026-12-01T15:00", after),
            ("consent J, date only", "2026-11-10T10:00", "2026-12-01", ok),
            ("consent J+1, date only", "2026-11-10T10:00", "2026-12-02", after),
            // The consultation on day J.
            ("consultation J 07:00, consent 07:30", "2026-12-01T07:00", "2026-12-01T07:30", ok),
            ("consultation J 15:00, consent 15:30", "2026-12-01T15:00", "2026-12-01T15:30", consultation_after),
            ("consultation J, date only", "2026-12-01", "2026-12-01", ok),
            ("consultation J+1, date only", "2026-12-02", "2026-11-10", consultation_after),
            // Consent against the consultation.
            ("consent one minute before", "2026-11-10T10:00", "2026-11-10T09:59", before),
            ("consent at the consultation", "2026-11-10T10:00", "2026-11-10T10:00", ok),
            ("consent the same day, date only", "2026-11-10T10:00", "2026-11-10", ok),
            ("consent the day before, date only", "2026-11-10T10:00", "2026-11-09", before),
            ("consent the day before, timed", "2026-11-10", "2026-11-09T23:59", before),
            ("consent the same day, consultation date only", "2026-11-10", "2026-11-10T00:01", ok),
            ("consent the next day", "2026-11-10T10:00", "2026-11-11T09:00", ok),
        ];
        for (label, consultation_at, consent_at, (status, severity, code)) in table {
            let case = with(json!({
                "procedure": { "scheduled_at": "2026-12-01T08:00" },
                "consultation": { "at": consultation_at, "radiologist": "Dr Roy", "leaflet_given": true,
                                  "consent": { "kind": "signed", "at": consent_at } }
            }));
            expect(label, &item(&case, Item::Consent), status, severity, code);
        }
    }

    #[test]
    #[rustfmt::skip] // long expected strings
    fn time_messages_name_both_moments() {
        let case = with(json!({
            "consultation": { "at": "2026-11-10T10:00", "radiologist": "Dr Roy", "leaflet_given": true,
                              "consent": { "kind": "traced", "at": "2026-11-09", "by": "Dr Roy" } }
        }));
        let r = item(&case, Item::Consent);
        assert_eq!(r.message(Lang::En),
            "traced consent: what was said is not recorded; \
             consent 2026-11-09 is dated before the consultation 2026-11-10 10:00");
        assert_eq!(r.message(Lang::Fr),
            "consentement tracé\u{a0}: contenu de l'information non renseigné\u{202f}; \
             consentement du 09/11/2026 daté avant la consultation du 10/11/2026 10:00");
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
