//! The registry extract (`export-cases`, issue 15 §5): one row per
//! procedure, always pseudonymised, as CSV or JSON. Pure: the facts are
//! `storage::registry`'s; `cli::export_cases` reads, records and writes.
//! The columns, their types and vocabularies, and the guarantees below are
//! documented in `docs/registry-extract.md` (a test compares its column
//! list with [`COLUMNS`]).
//!
//! Pseudonymisation:
//! - a key of 32 random bytes drawn from the operating system for each
//!   extract ([`Key::random`]), kept in memory for the run only: never
//!   stored, printed nor audited. The pseudonyms are HMAC-SHA-256 under it
//!   of the IPP (patient) and of the scheduling id (procedure), 64 bits in
//!   hex: the same patient has the same pseudonym throughout one extract,
//!   and nothing links two extracts, nor an extract and the pseudonymised
//!   programme (whose key is the department's);
//! - dates as months (`YYYY-MM`), ages in 5-year bands at the procedure
//!   (`70-74`, from 90 on `90+`);
//! - no name, no birth date, no IPP, no scheduling id, no operator, no free
//!   text (notes, targets, reasons' and complications' texts): only coded
//!   values;
//! - the rows are sorted by month, then by pseudonym: their order says
//!   nothing of the days.

use chrono::{Datelike, NaiveDate};
use hmac::{Hmac, Mac};
use serde::Serialize;
use sha2::Sha256;

use crate::domain::scores;
use crate::storage::registry::{FollowUp, Procedure};

/// The columns, in order: the CSV header and the JSON keys of a row.
/// Columns are only ever appended.
pub const COLUMNS: [&str; 36] = [
    "procedure",
    "patient",
    "sex",
    "age_band",
    "month",
    "techniques",
    "anaesthesia_planned",
    "pain_before",
    "mirels_totals",
    "mirels_bands",
    "sins_levels",
    "sins_totals",
    "sins_bands",
    "decision",
    "decision_month",
    "decision_reason_code",
    "decision_override",
    "decisions",
    "outcome",
    "outcome_month",
    "outcome_reason_code",
    "techniques_done",
    "anaesthesia",
    "duration_min",
    "complication_grade",
    "j1_reached",
    "j1_pain",
    "j1_analgesics",
    "j1_morphine_mg_day",
    "j1_complication_grade",
    "m1_reached",
    "m1_pain",
    "m1_analgesics",
    "m1_morphine_mg_day",
    "m1_complication_grade",
    "death_month",
];

/// The extract's own key: random, never stored. Neither `Clone`, `Debug`
/// nor `Serialize`: it cannot be printed or kept by mistake.
pub struct Key([u8; 32]);

impl Key {
    /// 32 bytes from the operating system's generator (`getrandom`).
    pub fn random() -> Result<Key, getrandom::Error> {
        let mut k = [0u8; 32];
        getrandom::fill(&mut k)?;
        Ok(Key(k))
    }

    #[cfg(test)]
    pub(crate) fn fixed(b: u8) -> Key {
        Key([b; 32])
    }

    /// HMAC-SHA-256 of `value` in `domain` (patient, procedure), its first
    /// 8 bytes in lower-case hex.
    fn pseudonym(&self, domain: &str, value: &str) -> String {
        // HMAC takes a key of any length: this cannot fail.
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&self.0) else {
            return String::new();
        };
        mac.update(domain.as_bytes());
        mac.update(&[0]);
        mac.update(value.as_bytes());
        mac.finalize().into_bytes()[..8]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

/// A month as the extract writes it: `2026-03`.
pub fn month(d: NaiveDate) -> String {
    format!("{:04}-{:02}", d.year(), d.month())
}

/// The 5-year band of an age: `70-74`; `90+` from 90 on; None below 0
/// (a birth date after the procedure).
pub fn age_band(age: i32) -> Option<String> {
    match age {
        ..0 => None,
        90.. => Some("90+".to_owned()),
        a => {
            let low = a - a % 5;
            Some(format!("{low}-{}", low + 4))
        }
    }
}

/// One row of the extract. Its fields are [`COLUMNS`], in order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    pub procedure: String,
    pub patient: String,
    pub sex: &'static str,
    pub age_band: Option<String>,
    pub month: String,
    pub techniques: Vec<&'static str>,
    pub anaesthesia_planned: &'static str,
    pub pain_before: Option<u8>,
    pub mirels_totals: Vec<Option<u8>>,
    pub mirels_bands: Vec<Option<&'static str>>,
    pub sins_levels: Vec<Option<String>>,
    pub sins_totals: Vec<Option<u8>>,
    pub sins_bands: Vec<Option<&'static str>>,
    pub decision: String,
    pub decision_month: Option<String>,
    pub decision_reason_code: Option<&'static str>,
    pub decision_override: bool,
    pub decisions: Vec<String>,
    pub outcome: Option<&'static str>,
    pub outcome_month: Option<String>,
    pub outcome_reason_code: Option<&'static str>,
    pub techniques_done: Vec<&'static str>,
    pub anaesthesia: Option<&'static str>,
    pub duration_min: Option<u32>,
    pub complication_grade: Option<u8>,
    pub j1_reached: Option<bool>,
    pub j1_pain: Option<u8>,
    pub j1_analgesics: Option<&'static str>,
    pub j1_morphine_mg_day: Option<f64>,
    pub j1_complication_grade: Option<u8>,
    pub m1_reached: Option<bool>,
    pub m1_pain: Option<u8>,
    pub m1_analgesics: Option<&'static str>,
    pub m1_morphine_mg_day: Option<f64>,
    pub m1_complication_grade: Option<u8>,
    pub death_month: Option<String>,
}

/// The rows of `procedures`, pseudonymised under `key`, sorted by month
/// then pseudonyms.
pub fn rows(procedures: &[Procedure], key: &Key) -> Vec<Row> {
    let mut rows: Vec<Row> = procedures.iter().map(|p| row(p, key)).collect();
    rows.sort_by(|a, b| {
        (&a.month, &a.patient, &a.procedure).cmp(&(&b.month, &b.patient, &b.procedure))
    });
    rows
}

fn row(p: &Procedure, key: &Key) -> Row {
    let s = p.scores.clone().unwrap_or_default();
    let mirels: Vec<_> = s.mirels.iter().map(scores::mirels).collect();
    let sins: Vec<_> = s.sins.iter().map(scores::sins).collect();
    let decision = p.decision.as_ref();
    let outcome = p.outcome.as_ref();
    let (j1, m1) = (follow_up(p.j1.as_ref()), follow_up(p.m1.as_ref()));
    Row {
        procedure: key.pseudonym("procedure", &p.external_id),
        patient: key.pseudonym("patient", &p.ipp),
        sex: p.sex.as_str(),
        age_band: p
            .birth_date
            .and_then(|b| age_band(crate::domain::assess::age_on(b, p.day))),
        month: month(p.day),
        techniques: p.techniques.iter().map(|t| t.as_str()).collect(),
        anaesthesia_planned: p.anaesthesia.as_str(),
        pain_before: p.pain_before,
        mirels_totals: mirels.iter().map(|m| m.total).collect(),
        mirels_bands: mirels.iter().map(|m| m.band.map(|b| b.as_str())).collect(),
        sins_levels: sins
            .iter()
            .map(|x| x.level.map(|l| l.to_string()))
            .collect(),
        sins_totals: sins.iter().map(|x| x.total).collect(),
        sins_bands: sins.iter().map(|x| x.band.map(|b| b.as_str())).collect(),
        decision: p.status.clone(),
        decision_month: decision.and_then(|d| d.on).map(month),
        decision_reason_code: decision.and_then(|d| d.reason_code).map(|c| c.as_str()),
        decision_override: p.status == "validated" && decision.is_some_and(|d| d.overridden),
        decisions: p
            .history
            .iter()
            .map(|h| match h.reason_code {
                Some(c) => format!("{}:{}", h.decision, c.as_str()),
                None => h.decision.clone(),
            })
            .collect(),
        outcome: outcome.map(|o| {
            if o.performed {
                "performed"
            } else {
                "not_performed"
            }
        }),
        outcome_month: outcome.and_then(|o| o.performed_on).map(month),
        outcome_reason_code: outcome.and_then(|o| o.reason).map(|c| c.as_str()),
        techniques_done: outcome
            .map(|o| o.techniques.iter().map(|t| t.as_str()).collect())
            .unwrap_or_default(),
        anaesthesia: outcome.and_then(|o| o.anaesthesia).map(|a| a.as_str()),
        duration_min: outcome.and_then(|o| o.duration_min),
        complication_grade: outcome.and_then(|o| o.complication).map(|g| g.get()),
        j1_reached: j1.reached,
        j1_pain: j1.pain,
        j1_analgesics: j1.analgesics,
        j1_morphine_mg_day: j1.morphine,
        j1_complication_grade: j1.grade,
        m1_reached: m1.reached,
        m1_pain: m1.pain,
        m1_analgesics: m1.analgesics,
        m1_morphine_mg_day: m1.morphine,
        m1_complication_grade: m1.grade,
        death_month: p.died_on.map(month),
    }
}

/// A follow-up's cells (all None: no call recorded).
#[derive(Default)]
struct Call {
    reached: Option<bool>,
    pain: Option<u8>,
    analgesics: Option<&'static str>,
    morphine: Option<f64>,
    grade: Option<u8>,
}

fn follow_up(f: Option<&FollowUp>) -> Call {
    f.map_or_else(Call::default, |f| Call {
        reached: Some(f.reached),
        pain: f.pain,
        analgesics: f.analgesics.map(|a| a.as_str()),
        morphine: f.morphine_mg_day,
        grade: f.complication.map(|g| g.get()),
    })
}

/// The extract as CSV: written as the programme's CSV is
/// (`export::csv::sheet`: BOM, `;`, CRLF, every cell quoted, formula cells
/// neutralised); the header is [`COLUMNS`]; an empty cell is a value not
/// recorded; a list's elements are joined by `|`, an element not known
/// written `NA`.
pub fn csv(rows: &[Row]) -> String {
    let header = COLUMNS.map(str::to_owned);
    super::csv::sheet(std::iter::once(header).chain(rows.iter().map(cells)))
}

/// The extract as JSON: `{"from": "YYYY-MM", "to": "YYYY-MM", "columns":
/// [...], "procedures": [{...}]}`, each procedure an object of [`COLUMNS`]
/// (null: not recorded; lists as arrays).
pub fn json(rows: &[Row], from: NaiveDate, to: NaiveDate) -> String {
    /// A struct, not a `json!` map: the keys stay in [`COLUMNS`]' order.
    #[derive(Serialize)]
    struct Extract<'a> {
        from: String,
        to: String,
        columns: &'a [&'a str],
        procedures: &'a [Row],
    }
    let body = Extract {
        from: month(from),
        to: month(to),
        columns: &COLUMNS,
        procedures: rows,
    };
    let mut s = serde_json::to_string_pretty(&body).unwrap_or_default();
    s.push('\n');
    s
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

fn list<T: ToString>(v: &[Option<T>]) -> String {
    v.iter()
        .map(|x| x.as_ref().map_or_else(|| "NA".to_owned(), T::to_string))
        .collect::<Vec<_>>()
        .join("|")
}

fn words(v: &[&str]) -> String {
    v.join("|")
}

fn cells(r: &Row) -> [String; 36] {
    [
        r.procedure.clone(),
        r.patient.clone(),
        r.sex.to_owned(),
        opt(r.age_band.as_deref()),
        r.month.clone(),
        words(&r.techniques),
        r.anaesthesia_planned.to_owned(),
        opt(r.pain_before),
        list(&r.mirels_totals),
        list(&r.mirels_bands),
        list(&r.sins_levels),
        list(&r.sins_totals),
        list(&r.sins_bands),
        r.decision.clone(),
        opt(r.decision_month.as_deref()),
        opt(r.decision_reason_code),
        r.decision_override.to_string(),
        r.decisions.join("|"),
        opt(r.outcome),
        opt(r.outcome_month.as_deref()),
        opt(r.outcome_reason_code),
        words(&r.techniques_done),
        opt(r.anaesthesia),
        opt(r.duration_min),
        opt(r.complication_grade),
        opt(r.j1_reached),
        opt(r.j1_pain),
        opt(r.j1_analgesics),
        opt(r.j1_morphine_mg_day),
        opt(r.j1_complication_grade),
        opt(r.m1_reached),
        opt(r.m1_pain),
        opt(r.m1_analgesics),
        opt(r.m1_morphine_mg_day),
        opt(r.m1_complication_grade),
        opt(r.death_month.as_deref()),
    ]
}

#[cfg(test)]
#[path = "registry_tests.rs"]
mod tests;
