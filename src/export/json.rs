//! The week's programme as JSON, for other systems: the shape
//! `ir-committee/programme@1` documented in docs/export-format.md. The
//! validated procedures by day, each with what the committee knew
//! (`override`, `now_blocking`), when it was made and the audit head. Its
//! own types, not the model's: the format stays put when the model changes.

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;

use super::Programme;
use super::model::{Entry, PatientLine};
use crate::domain::rules::Item;

/// The format's name and version: a reader checks it first.
pub const FORMAT: &str = "ir-committee/programme@1";

#[derive(Serialize)]
struct Document<'a> {
    format: &'static str,
    week: String,
    timezone: &'a str,
    pseudonymised: bool,
    /// When the export was made: local time in `timezone`.
    edited_at: String,
    audit_head: &'a str,
    /// The local protocol that judged the week.
    protocol: Protocol<'a>,
    days: Vec<Day<'a>>,
}

/// The protocol version that judged the week, its state and its last
/// approval (`null`: never approved).
#[derive(Serialize)]
struct Protocol<'a> {
    version: i64,
    state: crate::domain::protocol::State,
    needs_review: bool,
    approval: Option<ProtocolApproval<'a>>,
    /// As the other formats print it, in the export's language.
    line: &'a str,
}

#[derive(Serialize)]
struct ProtocolApproval<'a> {
    version: i64,
    /// `YYYY-MM-DD`, in `timezone`.
    on: String,
    by: &'a str,
}

#[derive(Serialize)]
struct Day<'a> {
    date: String,
    procedures: Vec<Procedure<'a>>,
}

#[derive(Serialize)]
struct Procedure<'a> {
    external_id: &'a str,
    start: String,
    end: String,
    duration_min: u32,
    room: &'a str,
    operator: &'a str,
    technique: &'a str,
    target: &'a str,
    anaesthesia: &'a str,
    patient: Patient<'a>,
    notes: &'a [String],
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    to_week: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    override_justification: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    decided_by: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    decided_at: Option<&'a str>,
    /// Present when validated by override.
    #[serde(rename = "override", skip_serializing_if = "Option::is_none")]
    overridden: Option<Override<'a>>,
    /// Validated without override and blocking now: the items. Always
    /// present (`[]`: nothing blocks it).
    now_blocking: &'a [Item],
    /// What the wards need to know: always present.
    ward_instructions: WardInstructions<'a>,
}

/// The ward instructions of a procedure.
#[derive(Serialize)]
struct WardInstructions<'a> {
    /// Nobody checked the drug list: to review.
    drugs_unchecked: bool,
    /// Each drug: `recorded` (with `at` and `by`), `review` or `not_recorded`.
    drugs: &'a [crate::domain::instructions::DrugLine],
    inr_day_before: bool,
    /// Every instruction as a line, in the export's language.
    lines: Vec<String>,
}

#[derive(Serialize)]
struct Override<'a> {
    /// Absent when pseudonymised (free text).
    #[serde(skip_serializing_if = "Option::is_none")]
    justification: Option<&'a str>,
    /// The items blocking now.
    blocking: &'a [Item],
}

#[derive(Serialize)]
struct Patient<'a> {
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    birth_date: Option<String>,
    age: i32,
    sex: &'a str,
    ipp: &'a str,
}

/// Writes `p` (pretty-printed, with a final newline).
pub fn render(p: &Programme) -> String {
    let doc = Document {
        format: FORMAT,
        week: p.week.to_string(),
        timezone: &p.timezone,
        pseudonymised: p.pseudonymised,
        edited_at: time(p.edition.at),
        audit_head: &p.edition.audit_head,
        protocol: Protocol {
            version: p.protocol.version,
            state: p.protocol.state,
            needs_review: p.protocol.needs_review,
            approval: p.protocol.approval.as_ref().map(|a| ProtocolApproval {
                version: a.version,
                on: date(a.on),
                by: &a.by,
            }),
            line: &p.protocol.line,
        },
        days: p
            .days()
            .into_iter()
            .map(|(d, list)| Day {
                date: date(d),
                procedures: list
                    .into_iter()
                    .map(|e| procedure(e, p.pseudonymised, p.lang))
                    .collect(),
            })
            .collect(),
    };
    // Strings, numbers and lists only: serialising cannot fail.
    let mut out = serde_json::to_string_pretty(&doc).expect("the document serialises");
    out.push('\n');
    out
}

fn procedure(e: &Entry, pseudonymised: bool, lang: crate::domain::message::Lang) -> Procedure<'_> {
    Procedure {
        external_id: &e.external_id,
        start: time(e.start),
        end: time(e.end),
        duration_min: e.duration_min,
        room: &e.room,
        operator: &e.operator,
        technique: &e.technique,
        target: &e.target,
        anaesthesia: &e.anaesthesia,
        patient: patient(&e.patient, pseudonymised),
        notes: if pseudonymised { &[] } else { &e.notes },
        status: e.status.as_str(),
        // Withheld (pseudonymised: free text) reads as absent.
        reason: e.reason.as_deref().filter(|r| !r.is_empty()),
        to_week: e.to_week.as_deref(),
        override_justification: e
            .override_justification
            .as_deref()
            .filter(|r| !r.is_empty()),
        decided_by: e.decided_by.as_deref(),
        decided_at: e.decided_at.as_deref(),
        overridden: e.overridden.then(|| Override {
            justification: e
                .override_justification
                .as_deref()
                .filter(|j| !j.is_empty() && !pseudonymised),
            blocking: &e.blocking,
        }),
        now_blocking: &e.now_blocking,
        ward_instructions: WardInstructions {
            drugs_unchecked: e.ward.unchecked,
            drugs: &e.ward.drugs,
            inr_day_before: e.ward.inr_day_before,
            lines: crate::text::export::ward_lines(lang, &e.ward),
        },
    }
}

fn patient(p: &PatientLine, pseudonymised: bool) -> Patient<'_> {
    Patient {
        name: &p.name,
        birth_date: p.birth_date.filter(|_| !pseudonymised).map(date),
        age: p.age,
        sex: &p.sex,
        ipp: &p.ipp,
    }
}

fn date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// Local wall-clock time in the programme's zone, `YYYY-MM-DDTHH:MM`.
fn time(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M").to_string()
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::*;
    use crate::domain::message::Lang;
    use crate::export::testkit::programme;

    fn parse(p: &Programme) -> Value {
        serde_json::from_str(&render(p)).expect("valid JSON")
    }

    fn strings(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::String(s) => out.push(s.clone()),
            Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
            Value::Object(m) => m.iter().for_each(|(k, x)| {
                out.push(k.clone());
                strings(x, out);
            }),
            _ => {}
        }
    }

    #[test]
    fn json_has_the_documented_shape() {
        let p = programme(Lang::En, false, false);
        let v = parse(&p);
        let keys: Vec<&str> = v
            .as_object()
            .expect("object")
            .keys()
            .map(String::as_str)
            .collect();
        let mut want = [
            "format",
            "week",
            "timezone",
            "pseudonymised",
            "edited_at",
            "audit_head",
            "protocol",
            "days",
        ];
        let mut got = keys.clone();
        want.sort_unstable();
        got.sort_unstable();
        assert_eq!(got, want);
        assert_eq!(v["format"], "ir-committee/programme@1");
        assert_eq!(v["week"], "2026-W49");
        assert_eq!(v["timezone"], "Europe/Paris");
        assert_eq!(v["pseudonymised"], false);
        assert_eq!(
            v["protocol"],
            serde_json::json!({
                "version": 3,
                "state": "approved",
                "needs_review": false,
                "approval": {"version": 3, "on": "2026-11-19", "by": "Dr Hélène Martin"},
                "line": "protocol v3, approved on 2026-11-19 by Dr Hélène Martin",
            })
        );
        let days = v["days"].as_array().expect("days");
        let procedures: Vec<&Value> = days
            .iter()
            .flat_map(|d| d["procedures"].as_array().expect("procedures"))
            .collect();
        assert_eq!(procedures.len(), p.validated.len());
        for (j, e) in procedures.iter().zip(&p.validated) {
            assert_eq!(j["external_id"], e.external_id.as_str());
            assert_eq!(j["start"], e.start.format("%Y-%m-%dT%H:%M").to_string());
            assert_eq!(j["room"], e.room.as_str());
            assert_eq!(j["status"], "validated");
            assert_eq!(j["patient"]["name"], e.patient.name.as_str());
            assert_eq!(j["patient"]["ipp"], e.patient.ipp.as_str());
            let born = e.patient.birth_date.map(|d| d.to_string()).expect("born");
            assert_eq!(j["patient"]["birth_date"], born.as_str());
        }
        for d in days {
            let date = d["date"].as_str().expect("date");
            for j in d["procedures"].as_array().expect("procedures") {
                assert!(j["start"].as_str().expect("start").starts_with(date));
            }
        }
        // Only validated procedures: the programme, never the cases set apart.
        assert!(v.get("set_apart").is_none());
        assert!(
            procedures
                .iter()
                .any(|j| j["override_justification"].is_string())
        );
        assert!(procedures.iter().any(|j| j.get("reason").is_none()));
        assert!(render(&p).ends_with("}\n"));
    }

    #[test]
    fn json_pseudonymised_has_no_birth_date_name_or_ipp() {
        let plain = programme(Lang::En, false, false);
        let pseudo = programme(Lang::En, true, false);
        let v = parse(&pseudo);
        assert_eq!(v["pseudonymised"], true);
        let mut all = Vec::new();
        strings(&v, &mut all);
        assert!(!all.iter().any(|s| s == "birth_date"));
        let entries = plain.validated.iter().chain(&plain.set_apart);
        let mut checked = 0;
        for e in entries {
            let born = e.patient.birth_date.map(|d| d.to_string()).expect("born");
            for secret in [&e.patient.name, &e.patient.ipp, &born] {
                assert!(
                    !all.iter().any(|s| s.contains(secret.as_str())),
                    "{secret} leaks"
                );
            }
            for note in &e.notes {
                assert!(
                    !all.iter().any(|s| s.contains(note.as_str())),
                    "a note leaks"
                );
            }
            checked += 1;
        }
        assert_eq!(checked, plain.validated.len() + plain.set_apart.len());
        let n: usize = v["days"]
            .as_array()
            .expect("days")
            .iter()
            .map(|d| d["procedures"].as_array().expect("procedures").len())
            .sum();
        assert_eq!(n, pseudo.validated.len());
    }

    #[test]
    fn json_says_when_it_was_made_override_and_now_blocking() {
        let p = programme(Lang::En, false, false);
        let v = parse(&p);
        assert_eq!(v["edited_at"], "2026-11-26T16:30");
        assert_eq!(v["audit_head"], "9f2c".repeat(16));
        let procedures: Vec<&Value> = v["days"]
            .as_array()
            .expect("days")
            .iter()
            .flat_map(|d| d["procedures"].as_array().expect("procedures"))
            .collect();
        let codes = |items: &[crate::domain::rules::Item]| -> Vec<Value> {
            items.iter().map(|i| Value::from(i.as_str())).collect()
        };
        let mut seen = (0, 0);
        for (j, e) in procedures.iter().zip(&p.validated) {
            assert_eq!(j["now_blocking"], Value::Array(codes(&e.now_blocking)));
            if e.overridden {
                seen.0 += 1;
                assert_eq!(
                    j["override"]["justification"],
                    "INR of the day before checked by <b>Dr Martin</b> & team"
                );
                assert_eq!(j["override"]["blocking"], Value::Array(codes(&e.blocking)));
                assert_eq!(j["now_blocking"], Value::Array(vec![]));
            } else {
                assert!(j.get("override").is_none(), "{j}");
                seen.1 += usize::from(!e.now_blocking.is_empty());
            }
        }
        assert!(seen.0 == 1 && seen.1 >= 1);
        // Notes keep their line breaks.
        let notes: Vec<&str> = procedures
            .iter()
            .flat_map(|j| j["notes"].as_array().expect("notes"))
            .filter_map(Value::as_str)
            .collect();
        assert!(notes.contains(&"Iodine allergy\n- premedication | per protocol\nin the ward"));
    }

    #[test]
    fn json_pseudonymised_override_has_no_justification() {
        let p = programme(Lang::En, true, false);
        let text = render(&p);
        assert!(!text.contains("INR of the day") && !text.contains("Dr Martin</b>"));
        let v = parse(&p);
        let overrides: Vec<&Value> = v["days"]
            .as_array()
            .expect("days")
            .iter()
            .flat_map(|d| d["procedures"].as_array().expect("procedures"))
            .filter_map(|j| j.get("override"))
            .collect();
        assert_eq!(overrides.len(), 1);
        assert!(overrides[0].get("justification").is_none());
        assert!(overrides[0]["blocking"].is_array());
    }
}
