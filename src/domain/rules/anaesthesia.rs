//! Anaesthesia consultation: required when a row `anaesthesia.required`
//! exists for the planned anaesthesia (general, sedation, regional), else
//! not required (local, hypnoanalgesia, MEOPA). When required it must take
//! place on J−`anaesthesia.min_days_before` or earlier (calendar days) and be
//! at most `anaesthesia.max_age` days old.
//!
//! Its conclusion is said beside its date, whatever the date: "not fit" is
//! blocking (`anaesthesia.not_fit`: no evidence clears it, the committee
//! discusses it), "fit with conditions" is an advisory that carries the
//! conditions (`anaesthesia.conditions`), "fit" or no conclusion (a file
//! made before the field existed) changes nothing.
//!
//! Codes: `anaesthesia.not_required`, `anaesthesia.missing`,
//! `anaesthesia.ok`, `anaesthesia.too_late`, `anaesthesia.expired`,
//! `anaesthesia.after_procedure`, `anaesthesia.not_fit`,
//! `anaesthesia.conditions`, `anaesthesia.rule_missing`.

use super::{
    Context, Evidence, Finding, Findings, Item, Latest, Msg, Severity, Status, Validity, Window,
    days_back, days_before_procedure, required_value, rule_missing, validity, within_window,
};
use crate::domain::model::{AnaesthesiaConsult, CaseFile};
use crate::domain::vocab::Conclusion;

pub(super) fn findings(case: &CaseFile, ctx: &Context) -> Findings {
    let risk = ctx.risk(case);
    let anaesthesia = case.procedure.anaesthesia;
    let Some(required) = ctx
        .rules
        .get("anaesthesia.required", anaesthesia.as_str(), risk)
    else {
        let msg = Msg::AnaesthesiaNotRequired { anaesthesia };
        let f = Finding::new(
            "anaesthesia.not_required",
            Status::NotRequired,
            Severity::None,
            msg,
        );
        return Ok(vec![f]);
    };
    let Some(consult) = &case.anaesthesia_consult else {
        let msg = Msg::AnaesthesiaMissing { anaesthesia };
        return Ok(vec![Finding::new(
            "anaesthesia.missing",
            Status::Missing,
            required.severity,
            msg,
        )]);
    };
    let mut out = match timing(case, ctx, consult) {
        Ok(f) | Err(f) => vec![f],
    };
    out.extend(conclusion(consult));
    Ok(out)
}

/// The consultation's date against its window: ok, too late, expired, after
/// the procedure (or a rule row missing).
fn timing(
    case: &CaseFile,
    ctx: &Context,
    consult: &AnaesthesiaConsult,
) -> Result<Finding, Finding> {
    let anaesthesia = case.procedure.anaesthesia;
    let ConsultWindow {
        min,
        min_severity,
        validity,
    } = window(case, ctx)?;
    // After the procedure (even the same day, when timed after it) before
    // "too late": a consultation after the procedure is no consultation.
    let days = days_before_procedure(
        case,
        Evidence::AnaesthesiaConsult,
        consult.at,
        "anaesthesia.after_procedure",
    )?;
    if !validity.window.latest.admits(consult.at) {
        let msg = Msg::AnaesthesiaTooLate {
            at: consult.at,
            days,
            min,
        };
        return Err(Finding::new(
            "anaesthesia.too_late",
            Status::OutOfRange,
            min_severity,
            msg,
        ));
    }
    within_window(
        case,
        (Evidence::AnaesthesiaConsult, None),
        consult.at,
        &validity,
        None,
        "anaesthesia.after_procedure",
        "anaesthesia.expired",
    )?;
    let msg = Msg::AnaesthesiaOk {
        at: consult.at,
        days,
        anaesthesia,
        by: consult.anaesthetist.clone(),
        transcribed_by: consult
            .transcribed_by
            .clone()
            .filter(|t| !crate::domain::text::is_blank(t)),
        fit: consult.conclusion == Some(Conclusion::Fit),
    };
    Ok(Finding::ok("anaesthesia.ok", msg))
}

/// What the conclusion adds: nothing for "fit" (or none recorded).
fn conclusion(consult: &AnaesthesiaConsult) -> Option<Finding> {
    match consult.reads() {
        Conclusion::Fit => None,
        Conclusion::NotFit => Some(Finding::new(
            "anaesthesia.not_fit",
            Status::OutOfRange,
            Severity::Blocking,
            Msg::AnaesthesiaNotFit { at: consult.at },
        )),
        Conclusion::FitWithConditions => Some(Finding::ok_advisory(
            "anaesthesia.conditions",
            Severity::Advisory,
            Msg::AnaesthesiaConditions {
                conditions: consult.conditions.clone().unwrap_or_default(),
            },
        )),
    }
}

/// When the consultation must take place: on J−`anaesthesia.min_days_before`
/// or earlier, and at most `anaesthesia.max_age` days before day J.
pub struct ConsultWindow {
    pub min: f64,
    pub min_severity: Severity,
    /// `anaesthesia.max_age`, its window closing on J−`min`.
    pub validity: Validity,
}

impl ConsultWindow {
    pub fn window(&self) -> Window {
        self.validity.window
    }
}

/// The anaesthesia consultation's window (whether it is required is the
/// item's `anaesthesia.required` row). What judges the item, and what the
/// chase list shows.
pub fn window(case: &CaseFile, ctx: &Context) -> Result<ConsultWindow, Finding> {
    let risk = ctx.risk(case);
    let rule = "anaesthesia.min_days_before";
    let (min, min_severity) = required_value(ctx, Item::Anaesthesia, rule, "*", risk)?;
    let mut validity = validity(case, ctx, Item::Anaesthesia, "anaesthesia.max_age", risk)?;
    // days >= min, days whole: on J − ceil(min) or earlier.
    let last =
        days_back(case.day(), min).ok_or_else(|| rule_missing(Item::Anaesthesia, rule, "*"))?;
    validity.window.latest = Latest::Day(last);
    Ok(ConsultWindow {
        min,
        min_severity,
        validity,
    })
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::super::testkit::{expect, item, with};
    use super::super::{Item, ItemResult, Severity, Status};
    use crate::domain::message::Lang;

    const B: Severity = Severity::Blocking;
    const N: Severity = Severity::None;

    fn anaesthesia(kind: &str, consult: Value) -> ItemResult {
        let procedure = json!({ "anaesthesia": kind });
        let case = with(json!({ "procedure": procedure, "anaesthesia_consult": consult }));
        item(&case, Item::Anaesthesia)
    }

    #[test]
    #[rustfmt::skip] // one row per case
    fn required_consultation_at_the_edges() {
        let at = |s: &str| json!({ "at": s });
        let table = [
            ("J−2", "general", at("2026-11-29T18:00"), Status::Ok, N, "anaesthesia.ok"),
            ("J−1", "general", at("2026-11-30T09:00"), Status::OutOfRange, B, "anaesthesia.too_late"),
            ("day J", "conscious_sedation", at("2026-12-01"), Status::OutOfRange, B, "anaesthesia.too_late"),
            ("after J", "general", at("2026-12-02"), Status::OutOfRange, B, "anaesthesia.after_procedure"),
            // Day J: too late, unless timed after the 08:30 procedure.
            ("day J, before the procedure", "general", at("2026-12-01T07:00"), Status::OutOfRange, B, "anaesthesia.too_late"),
            ("day J, at the procedure time", "general", at("2026-12-01T08:30"), Status::OutOfRange, B, "anaesthesia.too_late"),
            ("day J, after the procedure", "general", at("2026-12-01T15:00"), Status::OutOfRange, B, "anaesthesia.after_procedure"),
            ("day J, one minute after", "general", at("2026-12-01T08:31"), Status::OutOfRange, B, "anaesthesia.after_procedure"),
            ("30 days", "regional", at("2026-11-01"), Status::Ok, N, "anaesthesia.ok"),
            ("31 days", "general", at("2026-10-31"), Status::Expired, B, "anaesthesia.expired"),
            ("general, none", "general", Value::Null, Status::Missing, B, "anaesthesia.missing"),
            ("sedation, none", "conscious_sedation", Value::Null, Status::Missing, B, "anaesthesia.missing"),
            ("regional, none", "regional", Value::Null, Status::Missing, B, "anaesthesia.missing"),
            ("local", "local", Value::Null, Status::NotRequired, N, "anaesthesia.not_required"),
            ("MEOPA", "meopa", Value::Null, Status::NotRequired, N, "anaesthesia.not_required"),
            ("hypnoanalgesia", "hypnoanalgesia", at("2026-10-01"), Status::NotRequired, N, "anaesthesia.not_required"),
        ];
        for (label, kind, consult, status, severity, code) in table {
            expect(label, &anaesthesia(kind, consult), status, severity, code);
        }
    }

    /// The conclusion at the date's edges: "not fit" blocks and "fit with
    /// conditions" advises whatever the date; "fit" and no conclusion (a
    /// file from before the field) read as the date alone says.
    #[test]
    #[rustfmt::skip] // one row per case
    fn the_conclusion_beside_the_date() {
        const A: Severity = Severity::Advisory;
        let dates = [
            ("J−2", "2026-11-29T18:00", Status::Ok, N, "anaesthesia.ok"),
            ("J−1", "2026-11-30T09:00", Status::OutOfRange, B, "anaesthesia.too_late"),
            ("30 days", "2026-11-01", Status::Ok, N, "anaesthesia.ok"),
            ("31 days", "2026-10-31", Status::Expired, B, "anaesthesia.expired"),
            ("after J", "2026-12-02", Status::OutOfRange, B, "anaesthesia.after_procedure"),
        ];
        let conclusions = [
            ("absent", json!({}), None),
            ("fit", json!({ "conclusion": "fit" }), None),
            ("with conditions", json!({ "conclusion": "fit_with_conditions", "conditions": "à jeun 6 h" }),
                Some((Status::Ok, A, "anaesthesia.conditions"))),
            ("not fit", json!({ "conclusion": "not_fit" }),
                Some((Status::OutOfRange, B, "anaesthesia.not_fit"))),
        ];
        for (date_label, at, status, severity, code) in dates {
            for (label, patch, extra) in &conclusions {
                let mut consult = json!({ "at": at, "anaesthetist": "Dr Blanc" });
                for (k, v) in patch.as_object().expect("object") {
                    consult[k] = v.clone();
                }
                let r = anaesthesia("general", consult);
                let label = format!("{label}, {date_label}");
                let mut codes: Vec<&str> = vec![code];
                codes.extend(extra.map(|(_, _, c)| c));
                let mut got: Vec<&str> = r.findings.iter().map(|f| f.code).collect();
                got.sort_unstable();
                codes.sort_unstable();
                assert_eq!(got, codes, "{label}");
                // The item: the most severe of the date and the conclusion.
                let (s, v, c) = match extra {
                    Some((s, v, c)) if *v > severity || (*v == severity && status == Status::Ok) => (*s, *v, *c),
                    _ => (status, severity, code),
                };
                expect(&label, &r, s, v, c);
            }
        }
        // Not required: the conclusion of a consultation sent anyway says nothing.
        let r = anaesthesia("local", json!({ "at": "2026-11-20", "conclusion": "not_fit" }));
        expect("local, not fit", &r, Status::NotRequired, N, "anaesthesia.not_required");
    }

    #[test]
    #[rustfmt::skip] // long expected strings
    fn the_conclusion_and_the_transcription_are_said() {
        let consult = |extra: Value| {
            let mut c = json!({ "at": "2026-11-20T14:00", "anaesthetist": "Dr Blanc" });
            for (k, v) in extra.as_object().expect("object") {
                c[k] = v.clone();
            }
            anaesthesia("general", c)
        };
        let r = consult(json!({}));
        assert_eq!(r.message(Lang::En), "anaesthesia consultation 2026-11-20 14:00 (J−11, Dr Blanc) for general anaesthesia");
        let r = consult(json!({ "conclusion": "fit", "transcribed_by": "sec1" }));
        assert_eq!(r.message(Lang::En), "anaesthesia consultation 2026-11-20 14:00 (J−11, Dr Blanc, transcribed by sec1) for general anaesthesia: fit");
        assert_eq!(r.message(Lang::Fr), "consultation d'anesthésie du 20/11/2026 14:00 (J−11, Dr Blanc, transcrite par sec1) pour anesthésie générale\u{a0}: apte");
        let r = consult(json!({ "conclusion": "fit_with_conditions", "conditions": "à jeun 6 h" }));
        assert!(r.message(Lang::En).starts_with("fit with conditions: à jeun 6 h; anaesthesia consultation"), "{}", r.message(Lang::En));
        assert!(r.message(Lang::Fr).starts_with("apte sous conditions\u{a0}: à jeun 6 h"), "{}", r.message(Lang::Fr));
        let r = consult(json!({ "conclusion": "not_fit" }));
        assert!(r.message(Lang::En).starts_with("anaesthesia consultation 2026-11-20 14:00: not fit for the procedure, to discuss at the committee"),
            "{}", r.message(Lang::En));
        assert!(r.message(Lang::Fr).starts_with("consultation d'anesthésie du 20/11/2026 14:00\u{a0}: non apte à l'acte, à discuter en comité"),
            "{}", r.message(Lang::Fr));
    }

    #[test]
    #[rustfmt::skip] // long expected strings
    fn messages() {
        let r = anaesthesia("local", Value::Null);
        assert_eq!(r.message(Lang::En), "anaesthesia consultation not required (local anaesthesia)");
        assert_eq!(r.message(Lang::Fr), "consultation d'anesthésie non requise (anesthésie locale)");
        let r = anaesthesia("general", json!({ "at": "2026-11-30" }));
        assert_eq!(r.message(Lang::En), "anaesthesia consultation 2026-11-30, J−1: needs J−2 or earlier");
    }
}
