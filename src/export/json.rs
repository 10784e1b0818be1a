//! The week's programme as JSON, for other systems: the shape
//! `ir-committee/programme@1` documented in docs/export-format.md. The
//! validated procedures by day, then the cases set apart. Its own types,
//! not the model's: the format stays put when the model changes.

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;

use super::Programme;
use super::model::{Entry, PatientLine};

/// The format's name and version: a reader checks it first.
pub const FORMAT: &str = "ir-committee/programme@1";

#[derive(Serialize)]
struct Document<'a> {
    format: &'static str,
    week: String,
    timezone: &'a str,
    pseudonymised: bool,
    days: Vec<Day<'a>>,
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
        days: p
            .days()
            .into_iter()
            .map(|(d, list)| Day {
                date: date(d),
                procedures: list
                    .into_iter()
                    .map(|e| procedure(e, p.pseudonymised))
                    .collect(),
            })
            .collect(),
    };
    // Strings, numbers and lists only: serialising cannot fail.
    let mut out = serde_json::to_string_pretty(&doc).expect("the document serialises");
    out.push('\n');
    out
}

fn procedure(e: &Entry, pseudonymised: bool) -> Procedure<'_> {
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
        let mut want = ["format", "week", "timezone", "pseudonymised", "days"];
        let mut got = keys.clone();
        want.sort_unstable();
        got.sort_unstable();
        assert_eq!(got, want);
        assert_eq!(v["format"], "ir-committee/programme@1");
        assert_eq!(v["week"], "2026-W49");
        assert_eq!(v["timezone"], "Europe/Paris");
        assert_eq!(v["pseudonymised"], false);
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
}
