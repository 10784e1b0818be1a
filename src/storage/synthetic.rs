//! `demo --synthetic N`: realistic past cases spread over the years before a
//! date, written fast (prepared statements, large transactions) so that a
//! file with a million cases can be made in a minute or two.

use chrono::{Datelike, Duration, NaiveDate};
use rusqlite::params;

use super::{Db, Result, Writer, audit};
use crate::domain::vocab::{Anaesthesia, Technique};
use crate::domain::week::Week;

mod after;

/// A series of past cases: how its cases and patients are named, and over
/// how many days before its end it spreads.
#[derive(Debug, Clone, Copy)]
pub struct Series {
    /// Each case's external id is this prefix and its number.
    pub prefix: &'static str,
    /// The first digit of its patients' IPPs (no two series share one).
    pub ipp_lead: char,
    /// The days it spreads over; `None`: a year per 50,000 cases (1 to 40).
    pub span_days: Option<i64>,
}

/// `demo --synthetic N`: the benchmarks' years of history.
pub const SYNTHETIC: Series = Series {
    prefix: "SYN-",
    ipp_lead: '9',
    span_days: None,
};

/// `demo`: the last twelve months of a department, so that a fresh demo
/// has outcomes, follow-ups and a report to show.
pub const HISTORY: Series = Series {
    prefix: "HIS-",
    ipp_lead: '8',
    span_days: Some(364),
};

/// Cases written per transaction (each case with its own audit row).
const CHUNK: u64 = 50_000;
/// Roughly how many cases a year of history holds.
const CASES_PER_YEAR: u64 = 50_000;

const LAST: &[&str] = &[
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefèvre",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
    "Girard",
    "André",
    "Lefebvre",
    "Mercier",
    "Dupont",
    "Lambert",
    "Bonnet",
    "François",
    "Martinez",
    "Légaré",
    "Béranger",
    "Nguyen",
    "Benali",
    "Côté",
    "Müller",
];
const FIRST_F: &[&str] = &[
    "Hélène",
    "Éloïse",
    "Zoé",
    "Gaëlle",
    "Bénédicte",
    "Marie",
    "Anne",
    "Chloé",
    "Inès",
    "Léa",
    "Céline",
    "Noémie",
    "Françoise",
    "Agnès",
    "Maëlys",
];
const FIRST_M: &[&str] = &[
    "François",
    "Loïc",
    "Noël",
    "Côme",
    "Jérôme",
    "Hervé",
    "Jean",
    "Pierre",
    "Raphaël",
    "Anaïs",
    "Gaël",
    "Benoît",
    "Thierry",
    "Karim",
    "Mathéo",
];
const ROOMS: &[&str] = &["Salle 1", "Salle 2", "Scanner 3", "Angio 4"];
const OPERATORS: &[&str] = &[
    "Dr Martin",
    "Dr Nguyen",
    "Dr Benali",
    "Dr Lefèvre",
    "Dr Rousseau",
    "Dr Okafor",
];
const TARGETS: &[&str] = &[
    "L2",
    "L3",
    "T8",
    "T12",
    "cotyle droit",
    "col fémoral gauche",
    "plexus cœliaque",
    "métastase rénale gauche",
    "plèvre droite",
    "côte 7 gauche",
];

/// Adds `n` past cases scheduled before `before`, deterministic for a `seed`.
pub fn generate(db: &mut Db, n: u64, before: NaiveDate, seed: u64) -> Result<()> {
    generate_series(db, n, before, seed, SYNTHETIC)
}

/// Adds `n` past cases of a series scheduled before `before`, with what
/// happened after the committee (`after`), deterministic for a `seed`.
pub fn generate_series(
    db: &mut Db,
    n: u64,
    before: NaiveDate,
    seed: u64,
    series: Series,
) -> Result<()> {
    let mut rng = fastrand::Rng::with_seed(seed);
    // What happened after draws from its own generator: the cases stay
    // those the series always made.
    let mut later = fastrand::Rng::with_seed(seed ^ 0xAF7E_5EED);
    let years = (n / CASES_PER_YEAR).clamp(1, 40);
    let span_days = series.span_days.unwrap_or((years * 365) as i64);
    let start = before - Duration::days(span_days);
    let patients = (n / 3).max(1);
    let mut done = 0;
    while done < n {
        let count = CHUNK.min(n - done);
        // Checked before each transaction and in it: a role may change meanwhile.
        db.write_as(&super::needs::synthetic(), |w| {
            let history = History {
                total: n,
                patients,
                start,
                span_days,
                series,
            };
            chunk(w, (&mut rng, &mut later), done, count, &history)
        })?;
        done += count;
    }
    let glob = format!("{}*", series.ipp_lead);
    db.write_as(&super::needs::synthetic(), |w| after::deaths(w, &glob))
}

/// What every chunk draws from: how many cases in all, how many patients,
/// and the span of days they are spread over.
struct History {
    total: u64,
    patients: u64,
    start: NaiveDate,
    span_days: i64,
    series: Series,
}

fn chunk(
    w: &Writer<'_>,
    (rng, later): (&mut fastrand::Rng, &mut fastrand::Rng),
    first: u64,
    count: u64,
    history: &History,
) -> Result<()> {
    let &History {
        total,
        patients,
        start,
        span_days,
        series,
    } = history;
    let tx = w.tx();
    let now = w.clock().timestamp();
    let mut patient = tx.prepare_cached(
        "INSERT INTO patients (ipp, last_name, first_name, birth_date, sex, search_key)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (ipp) DO NOTHING",
    )?;
    let mut patient_id = tx.prepare_cached("SELECT id FROM patients WHERE ipp = ?1")?;
    let mut case = tx.prepare_cached(
        "INSERT INTO cases (external_id, patient_id, scheduled_at, room, operator, techniques,
           target, anaesthesia, pain_vas, status, postponed_to, source, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?12, 'synthetic', ?11, ?11)",
    )?;
    // cases.status mirrors the latest decision: each past case has its one.
    let mut decision = tx.prepare_cached(
        "INSERT INTO decisions (case_id, at, by_login, decision, reason, to_week, reason_code)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    let mut after = after::After::new(w)?;
    let mut evidence = tx.prepare_cached(
        "INSERT INTO evidence (case_id, kind, data, source, updated_at, updated_by)
         VALUES (?1, ?2, ?3, 'synthetic', ?4, ?5)",
    )?;
    for i in first..first + count {
        let p = rng.u64(0..patients);
        let ipp = format!("{}{p:08}", series.ipp_lead);
        let female = p.is_multiple_of(2);
        let last = LAST[(p as usize / 2) % LAST.len()];
        let names = if female { FIRST_F } else { FIRST_M };
        let first_name = names[(p as usize / 7) % names.len()];
        let birth = NaiveDate::from_ymd_opt(
            1930 + (p % 60) as i32,
            1 + (p % 12) as u32,
            1 + (p % 28) as u32,
        )
        .unwrap_or(start);
        let search = super::cases::search_key(last, first_name, &ipp);
        patient.execute(params![
            ipp,
            last,
            first_name,
            birth.to_string(),
            if female { "F" } else { "M" },
            search
        ])?;
        let pid: i64 = patient_id.query_row([&ipp], |r| r.get(0))?;

        let mut day = start + Duration::days(rng.i64(0..span_days));
        while day.weekday().num_days_from_monday() > 4 {
            day -= Duration::days(1);
        }
        let minutes = 8 * 60 + 30 * rng.i64(0..18);
        let at = day.and_hms_opt(0, 0, 0).unwrap_or_default() + Duration::minutes(minutes);
        let technique = Technique::ALL[rng.usize(0..Technique::ALL.len())];
        let techniques = if rng.u8(0..10) == 0 && technique != Technique::Cementoplasty {
            format!(r#"["{technique}","cementoplasty"]"#)
        } else {
            format!(r#"["{technique}"]"#)
        };
        let anaesthesia = match technique {
            Technique::TunnelledPleuralDrain | Technique::TunnelledPeritonealDrain => {
                Anaesthesia::Local
            }
            Technique::Embolisation => Anaesthesia::ConsciousSedation,
            _ => [Anaesthesia::ConsciousSedation, Anaesthesia::General][rng.usize(0..2)],
        };
        let status = match rng.u8(0..20) {
            0 => "cancelled",
            1 | 2 => "postponed",
            _ => "validated",
        };
        let decided = (day - Duration::days(4))
            .format("%Y-%m-%dT18:00:00")
            .to_string();
        let to_week = (status == "postponed").then(|| Week::containing(day).offset(1).to_string());
        let (reason, reason_code) = after::decision_reason(later, status);
        let room = ROOMS[rng.usize(0..ROOMS.len())];
        let operator = OPERATORS[rng.usize(0..OPERATORS.len())];
        let target = TARGETS[rng.usize(0..TARGETS.len())];
        let pain = after::pain_before(technique, rng.u8(3..10));
        case.execute(params![
            format!("{}{:07}", series.prefix, i + 1),
            pid,
            at.format("%Y-%m-%dT%H:%M").to_string(),
            room,
            operator,
            techniques,
            target,
            anaesthesia.as_str(),
            pain,
            status,
            now,
            to_week,
        ])?;
        let id = tx.last_insert_rowid();

        decision.execute(params![
            id,
            decided,
            "synthetic",
            status,
            reason,
            to_week,
            reason_code.map(|c| c.as_str())
        ])?;
        if status == "validated" {
            let progress = (day - start).num_days() as f64 / span_days as f64;
            after.case(
                later,
                &after::Case {
                    id,
                    at,
                    operator,
                    techniques: &techniques,
                    technique,
                    anaesthesia: anaesthesia.as_str(),
                    pain,
                    progress,
                },
            )?;
        }
        let d = |days: i64| (day - Duration::days(days)).format("%Y-%m-%d").to_string();
        let rows = [
            (
                "consultation",
                format!(
                    r#"{{"at":"{}","radiologist":"{}","leaflet_given":true,"consent":{{"kind":"signed","at":"{}","by":"{}"}}}}"#,
                    d(21),
                    OPERATORS[i as usize % OPERATORS.len()],
                    d(21),
                    OPERATORS[i as usize % OPERATORS.len()]
                ),
            ),
            (
                "imaging",
                format!(r#"[{{"kind":"ct","at":"{}"}}]"#, d(rng.i64(5..40))),
            ),
            (
                "biology",
                format!(
                    r#"{{"at":"{}","neutrophils_g_l":{:.1},"hemoglobin_g_dl":{:.1},"egfr":{}}}"#,
                    d(rng.i64(2..20)),
                    1.0 + rng.f64() * 5.0,
                    9.0 + rng.f64() * 6.0,
                    rng.u8(35..110)
                ),
            ),
            (
                "coagulation",
                format!(
                    r#"{{"at":"{}","inr":{:.2},"platelets_g_l":{}}}"#,
                    d(rng.i64(1..6)),
                    0.9 + rng.f64() * 0.5,
                    rng.u16(90..400)
                ),
            ),
            ("medications", "[]".to_owned()),
        ];
        for (kind, data) in rows {
            // Stored as every write stores them: biology and coagulation
            // name each value's date.
            let data = match crate::domain::record::EvidenceKind::parse(kind) {
                Some(k) if crate::domain::panel::is_panel(k) => {
                    crate::domain::panel::canonical_json(k, &data)
                        .map_err(super::StorageError::Invalid)?
                }
                _ => data,
            };
            evidence.execute(params![id, kind, data, now, w.login()])?;
        }
        // One audit row per case, as an import writes: it claims the case,
        // its decision, its evidence, a new patient, its outcome and
        // follow-ups.
        let what = format!("synthetic case {} of {total}", i + 1);
        audit::record(w, "demo.synthetic", Some(id), None, Some(&what))?;
    }
    Ok(())
}
